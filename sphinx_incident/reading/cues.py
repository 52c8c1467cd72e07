"""What the words around a list say of it: the heading, the sentence before it, the
sections around it. Patterns only; :mod:`.classify` weighs what they find."""

from __future__ import annotations

import re


def words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b", re.I)


#: what a reader does with things a list names, when the words before it say they are things to do
#: ("Things to check:", "Some things you can try:"), not things to know
_TRY = r"(?:try|check|verify|confirm|look (?:at|for)|do)\b"

#: what a heading or the sentence before a list says of it
CONTEXT = {
    "steps": words(
        r"steps?|procedure|process|how to|runbook|playbook|instructions?|follow(?:ing)? these|do this|"
        r"to do|what to do|as follows|do the following|first,"
    ),
    "ready": words(
        # "ensure", not as a purpose ("in order to ensure") or what something does ("it will
        # ensure that …"), unless what to ensure is the list after it ("in order to ensure:")
        r"make sure|(?<!order to )(?<!will )(?<!would )(?<!helps )ensure|"
        r"(?:(?<=order to )|(?<=will )|(?<=would )|(?<=helps ))ensure(?=(?: that)?\s*:)|be sure|"
        r"check that|verify that|confirm that|you(?:'ll| will)? need|have ready|"
        r"ready before|before you (?:begin|start|continue)|before (?:starting|continuing|beginning)|"
        r"prerequisites?|checklist|what you need|you should have|gather|"
        rf"things (?:to|you (?:can|could|should|must)) {_TRY}|"
        r"(?:check|verify|confirm|inspect|review|note) (?:for )?the following"
    ),
    "links": words(
        r"see also|links?|resources|further reading|read more|more information|reading list|"
        r"the following (?:pages|documents|guides|articles|links)|documentation|references"
    ),
    "facts": words(
        rf"allows? you to|lets you|you can(?! {_TRY})|can be used|features?|supports?|includes?|"
        # a heading that names capabilities ("Key capabilities"), not a purpose that mentions
        # them ("To grant extra capabilities, the following steps must be taken:")
        r"capabilit(?:y|ies)(?=[ \t]*(?:\n|$))|"
        r"consists? of|contains?|such as|for example|e\.g\.|for instance|benefits|advantages|why"
    ),
    "options": words(
        r"one of|either|options?|choices|alternatives?|alternatively|choose|depending on|ways to"
    ),
    "tips": words(
        r"tips?|notes?(?! the following)|best practices?|guidelines?|principles?|recommendations?|rules|"
        rf"(?:keep|bear)(?: [\w-]+){{0,3}} in mind|remember|do's|don'ts|things to(?! {_TRY})|good to know|"
        r"caveats?|advice"
    ),
    # "Actions" alone heads a runbook's steps as often as a meeting's tasks, and "present" is
    # a meeting's only as the label of who came ("Present:")
    "minutes": words(
        r"attendees|minutes|action items?|follow[- ]ups?|agenda|decisions|discussed|present(?=\s*:)"
    ),
    "retro": words(
        r"what went (?:well|wrong|badly)|went well|lessons?|learned|learnt|could have gone better|"
        r"root causes?|contributing factors?|impact|where we got lucky"
    ),
    "timeline": words(r"timeline|chronology|sequence of events|what happened"),
    "glossary": words(
        r"glossary|definitions?|terms|acronyms|abbreviations|fields|parameters|attributes|"
        # a command's arguments, named as such ("Arguments:", "the following arguments"), not
        # what to run it with ("… with reversed arguments:")
        r"(?:following|supported|available|optional|required) arguments|(?<![\w ])arguments(?=\s*:)|"
        # what a setting may be set to: "These are the values available for the mode"
        r"(?:settings|values|variables|flags|modes) (?:available|supported|accepted|allowed)|"
        r"(?:available|supported|accepted|allowed|possible|valid) (?:settings|values|variables|flags|modes)"
    ),
    "changelog": words(
        r"changelog|change log|release notes|what's new|new features|bug fixes|fixed|breaking changes"
    ),
    "duties": words(r"responsible for|responsibilities|duties|accountable|role of|the role|expectations"),
    "ranked": words(
        r"priorit(?:y|ies)|top \d+|top (?:three|five|ten)|ranked|in order of|most common|principles|"
        r"values|goals|non-goals|out of scope|standards|policy|policies|requirements|how we work|"
        r"ways of working|working agreements|our approach|culture"
    ),
    "report": words(r"incident report|post-?mortem|retrospective|incident review|incident summary"),
}
#: a section around the list's own that collects what is still to do after an incident or a
#: meeting: every list under it records a task, whatever its sub-heading ("Monitoring")
FOLLOW_UPS = words(r"action items?|follow[- ]ups?|next actions|minutes|attendees|agenda")


#: what the sentence right before a list says of it
LEAD = {
    # the items are what the reader must have, provide, check or do
    "needs": words(
        r"must|needs?|needed|should|shall|required?|requires|have to|ensure|ensuring|make sure|"
        r"be sure|check|verify|confirm|consider|provide|remember|acquire|prepare|gather|collect|follow|"
        r"note the following"
    ),
    # the items are what something does or lets you do
    "can": words(
        rf"allows? you to|lets? you|enables? you to|you can(?! {_TRY})|one can|can be used|is used to|"
        r"are used to|will allow|gives you|offers|provides"
    ),
    # the items are alternatives
    "either": words(r"one of|either|or|ideas?|options?|choices|alternatives?|possibilities|ways|depending"),
    # the items are a counted set of alternatives: "There are two ways to do this:"
    "choices": words(
        r"(?:two|three|four|several|a few|multiple|different|\d+) (?:ways|choices|options|alternatives|"
        r"approaches|methods|possibilities|scenarios|(?:use )?cases)"
    ),
    # what the items are for opens the sentence that leads in to them: "To rotate the key:",
    # "If you want to restore a backup:", "In order to drain a node:"; not where the sentence
    # goes on to offer ways or an example ("To fix it, there are two options:", "… a setup like
    # the following:")
    "purpose": re.compile(
        r"(?:^|[.!?]\s+)(?:to|in order to|if you (?:want|need|wish|would like|are ready) to)\s+\w+"
        r"(?![^.!?]*\b(?:one of|options?|ways|either|alternatives?|you can|you could|there are|like|"
        r"such as|for example)\b)[^.!?]*:\s*$",
        re.I,
    ),
    # the sentence names what something is made of or holds: "The supported options are:",
    # "Typical uses include:", "… statistics including:"; not "The steps are:"
    "names": re.compile(
        r"(?:^|[.!?]\s+)(?![^.!?]*\b(?:steps?|procedures?|instructions|actions)\b)[^.!?]*"
        r"\b(?:are|include|includes|including)\s*:\s*$",
        re.I,
    ),
    # the reader is to pick one of the items: "… do one of the following:", "Either:"
    # (the phrase closes the sentence: "To use one of these tools you have to:" asks for steps)
    "one_of": re.compile(
        r"\bone of (?:the following|these)(?:\s+[\w-]+){0,2}\s*:-?\s*$|\beither\s*:-?\s*$", re.I
    ),
}
#: a sentence before a list whose items finish it with what someone or something else does,
#: or what the reader will learn to do: "… they:", "The script will:", "… which then:",
#: "This command does the following:", "You'll learn how to:"; what a role may do: "A member
#: can:", "An owner can do everything a member can plus:"; what the reader may do: "You can:"
OTHER_SUBJECT = re.compile(
    # "it" and "this" only before a verb ("This will:"): "… install it:" ends an instruction with
    # its object
    r"(?:\b(?:they|which|who)(?:\s+(?:will|would|can|could|also|then|may|each|all|both))*"
    r"|\b(?:it|this)(?:\s+(?:will|would|can|could|also|then|may))+"
    r"|\b(?:the|this|these|that|those|our|each|a|an|any|every)\s+[\w-]+(?:\s+[\w-]+)?"
    r"(?:\s+(?:also|then|each|all|both))?(?:\s+(?:will|would|can|could|then|also|may))+"
    # what one role may do beyond what another may: "… can do everything an editor can plus:"
    r"|\bplus"
    # what the reader may do there, which are possibilities, not steps: "From this page you can:",
    # "To upgrade it, one can:"
    r"|\b(?:you|one)(?:\s+(?:also|then))?\s+(?:can|could|may)(?:\s+(?:also|then))?"
    # what something does: "This command does the following:"
    r"|\b(?:the|this|these|that|those|each)\s+[\w-]+(?:\s+[\w-]+)?\s+(?:does|do|performs?|will do)"
    r"\s+the following"
    # what something does, asked as what: "What this script does:", "What all of these commands
    # do is:"; not what to do, nor what a person does ("What the incident lead does:")
    r"|\bwhat\s+(?:all\s+(?:of\s+)?)?(?:this|that|these|those|it)(?:\s+[\w-]+)?\s+(?:does|do|did)(?:\s+(?:is|are))?"
    # what something is to be able to do, or what a reader will learn to do: "We want the app to
    # be able to:", "You will learn how to:"
    r"|\bable to|\blearn(?:\s+how)?\s+to"
    # what something is for, or lets someone do: "This dashboard is useful to:", "It allows the
    # proxy to:"; not what the reader needs or has to do ("you need to:", "make sure to:"), nor a
    # "to" that goes with the verb before it ("the release you are upgrading to:")
    r"|(?<!need )(?<!needs )(?<!have )(?<!has )(?<!had )(?<!going )(?<!want )(?<!wants )(?<!ought )"
    r"(?<!got )(?<!sure )(?<!remember )(?<!forget )(?<!require you )(?<!requires you )(?<!ing )\bto"
    # what a tool or a team does, told in the third person: "The command performs the following
    # actions:", "The installer will do the following:", "It does this in two steps:"
    r"|\b(?!you\b|we\b|i\b)\w+\s+(?:(?:will|would)\s+(?!be\b)\w+|does|performs|takes|accomplishes|"
    r"(?:is|are) doing)"
    r"(?:\s+\w+){0,4}?\s+(?:the following|these|(?:\w+\s+)?(?:main\s+)?"
    r"(?:steps|functions|actions|operations|tasks))"
    # and what it does to them, in the passive ("… will ensure the following steps are taken:"),
    # or when ("It does the following by default:")
    r"(?:\s+\w+)?(?:\s+(?:are|is|get|will be)\s+\w+|\s+by\s+default)?"
    # what a page is about, which names topics: "It covers:", "This guide does not cover:"
    r"|(?:^|[.!?]\s+)(?:it|this|that|the)(?:\s+[\w-]+){0,2}\s+(?:covers|does(?:n't| not) cover|will cover)"
    # examples of what others do or of what there is, not steps: "Examples of tasks the admins
    # do:"; not an example of steps or a checklist
    r"|(?:^|[.!?]\s+)(?:some\s+)?examples?\s+of\b(?![^.!?:]*\b(?:steps?|checklists?|procedures?|runbooks?)\b)"
    r"[^.!?:]*)\s*:\s*$",
    re.I,
)
