"""Telling procedures from other lists: readable signals, weighed by a small logistic model.

A handbook holds many lists that are not procedures: links to read, values
and names, duties, meeting minutes, timelines of past incidents, tips,
options to choose from, API fields, changelogs. :func:`classify` looks at
what a reader looks at — do the items tell someone to do something (an
imperative, perhaps after a phrase saying where or when: "In the console,
choose …"), are they boxes to tick, do they carry commands or sub-steps, does
the heading or the sentence before the list announce steps or things to have
ready — and at what marks the look-alikes. Each signal is a number between 0
and 1 (:func:`signals`); the verdict is the logistic of their weighted sum, so
the confidence it gives is a probability: of the lists given 0.8, about
eight in ten are procedures. Each signal that moved the verdict is named in
the reasons. The weights (:data:`~.weights.WEIGHTS`) were fitted on hand-labelled lists
of real handbooks (see ``evaluation/fit_discover.py``): no model file, no
download, deterministic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .cues import CONTEXT, FOLLOW_UPS, LEAD, OTHER_SUBJECT
from .imperative import AUXILIARY, IMPERATIVES, WORD, first_word, is_imperative, strip_marks
from .weights import WEIGHTS

POSITIVE = ("procedure", "checklist")
VERDICTS = (
    *POSITIVE, "links", "values", "glossary", "meeting-notes", "timeline", "tips", "options", "enumeration",
    "other",
)  # fmt: skip

#: a setting given its value: ``key: value``, ``KEY=value``
_SETTING = re.compile(r"\S\s*[:=]\s*\S")
#: a dash set apart between a name and what it means ("`RETRIES=3` -- how often to retry")
_SPACED_DASH = re.compile(r"\s(?:--?|\u2013|\u2014)\s")
#: a request line of an HTTP API in code (`GET /ring`): an endpoint, though its method is a verb
_ENDPOINT = re.compile(r"^(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\s+/")
_CHECKBOX = re.compile(r"^\s*(?:[\u2705\u2610\u2611\u2612\u2713\u2714]|\[[ xX]?\])")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
#: due dates, as action items carry them: 2024-10-25, 25 Oct, Oct 25, by Friday, by the end of
#: the week, by next sprint, by the 15th; not any "by the" ("the address given by the vendor")
_DATE = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}} {_MONTH}(?!\w)|\b{_MONTH} \d{{1,2}}\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\bby (?:the )?end of\b|\bby next\b"
    r"|\bby the \d{1,2}(?:st|nd|rd|th)\b",
    re.I,
)
#: who an item is for: @name, (Name) at the end, "Name: ..." at the start, "... — Name, date"
_MENTION = re.compile(r"(?:^|\s)@\w+|\(\s*[A-Z][a-z]+\s*\)\s*$|[\u2014\u2013]\s*[A-Z][a-z]+\s*(?:,|$)")
#: a time of day or a day of an event: timelines and agendas
_TIME = re.compile(r"^\s*(?:\d{1,2}[:.h]\d{2}\b|\d{1,2}\s?(?:am|pm)\b|day \d+\b|week \d+\b|t\+\d+)", re.I)
_VERSION = re.compile(r"^\s*v?\d+\.\d+(?:\.\d+)?\b")
#: an item that is a value: a URL, a path, a host, a number, key=value, a quoted string
_VALUE = re.compile(
    r"^\s*(?:[a-z][a-z0-9+.-]*://\S+|[~./][\w./-]+|[\w.-]+\.[a-z]{2,}(?:[:/]\S*)?|\$?\d[\d.,:%/]*\w{0,3}|"
    r"[\w.-]+\s*[=:]\s*\S+|\"[^\"]*\"|'[^']*')\s*[.,;]?\s*$",
    re.I,
)

#: an item that is a word or two in capitals and nothing more: a keyword or a constant
#: (``INSERT``, ``DROP TABLE``, ``MAX_CONNECTIONS``), not an instruction though it is a verb
_KEYWORD = re.compile(r"[A-Z][A-Z0-9_]+(?: [A-Z][A-Z0-9_]+)?")


def _keyword(text: str) -> bool:
    """Whether an item's text is only a keyword or a constant in capitals, marks and all."""
    return bool(_KEYWORD.fullmatch(strip_marks(text).strip(" .,;*_`")))


#: a command line: a program's name in lower case (after a prompt or ``sudo``), then arguments
_COMMAND_LINE = re.compile(r"^(?:\$\s*)?(?:sudo\s+)?[a-z][\w.-]*(?:\s+(?![=:])\S+)+$")

#: an item that is a label and what it is set to: "Gateway: 10.0.0.1", "Timeout = 30s"
_FIELD = re.compile(r"^\s*(?P<label>[^:=.!?]{1,40}?)\s*[:=]\s+(?P<rest>\S.*)$", re.S)


@dataclass
class ItemSample:
    """What the classifier reads of one list item."""

    #: the item's first line of text, with its title if it has one
    text: str
    #: the bold or italic text it opens with, if any
    title: str | None = None
    #: whether the title is followed by ``:`` or a dash and a description (``**Term**: ...``)
    title_then_definition: bool = False
    #: the text after the title
    rest: str = ""
    #: the item is only a link (or links)
    link_only: bool = False
    has_code: bool = False
    has_sublist: bool = False
    has_role: bool = False
    has_button: bool = False
    #: the item's text opens with a literal (``code``) term
    opens_with_literal: bool = False
    #: the code the item opens with, where it does
    literal: str = ""
    #: the item's text is one literal and nothing else
    only_literal: bool = False
    #: the code the item ends with, where it does ("Apply: `tool update --yes`")
    last_literal: str = ""
    #: the item's text opens with a link
    opens_with_link: bool = False
    #: the page draws a box to tick before the item (a Markdown task list item, ``- [ ]``,
    #: whose box the parser took out of the text)
    boxed: bool = False

    @property
    def checkbox(self) -> bool:
        """The item opens with a check mark or a box to tick."""
        return self.boxed or bool(_CHECKBOX.match(self.text))

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def command(self) -> bool:
        """The item is a command line and nothing else (``brew install syncthing``): a
        program's name and its arguments, not a value (a path, ``key = value``)."""
        return self.only_literal and bool(_COMMAND_LINE.match(self.text.strip()))


@dataclass
class ListSample:
    """What the classifier reads of one list and its place in the page."""

    ordered: bool
    items: list[ItemSample]
    section: str = ""
    #: the paragraph right before the list, if any
    lead_in: str = ""
    #: the title of the page the list is on
    page: str = ""
    #: the share of the page's numbered lists whose items mostly instruct
    page_procedures: float = 0.0
    #: whether a code block stands right before or after the list
    code_around: bool = False
    #: the titles of the sections around the list's own, outermost last ("Action items" over
    #: its "Monitoring"), one per line
    outer: str = ""


@dataclass
class Verdict:
    verdict: str
    #: the weighted sum of the signals (the log-odds that the list is a procedure)
    score: float
    #: how sure the verdict is: the probability of a procedure for a positive verdict, of a
    #: look-alike for a negative one
    confidence: float
    reasons: list[str] = field(default_factory=list)

    @property
    def positive(self) -> bool:
        return self.verdict in POSITIVE

    @property
    def probability(self) -> float:
        """The probability that the list is a procedure or a checklist."""
        return self.confidence if self.positive else 1.0 - self.confidence


def _command_after(item: ItemSample, value: str) -> bool:
    """Whether what follows a label's colon is a command line in code and nothing more."""
    code = item.last_literal.strip()
    return bool(code) and value.strip(" .") == code and bool(_COMMAND_LINE.match(code))


def _field(item: ItemSample) -> tuple[str, str] | None:
    """(label, value) of an item that names a setting and its value, if it is one."""
    match = _FIELD.match(item.text)
    if match is None or len(match["label"].split()) > 4:
        return None
    label, rest = match["label"], match["rest"]
    # "Run the following: ..." instructs; "Monitor Subnet: 10.0.3.0/24" names a setting (a
    # name in title case, or a value after the colon), though "monitor" is a verb too
    if len(label.split()) >= 2 and is_imperative(label):
        if not (_named(label) or (_opens_with_value(rest) and not _DETERMINER.search(label))):
            return None
    return label, rest


#: words a sentence has and a setting's name has not ("Set the timeout: 30s" instructs)
_DETERMINER = re.compile(r"\b(?:the|a|an|your|our|this|these|that|those|each|every|all|its|their)\b", re.I)


def _named(label: str) -> bool:
    """Whether a label is written as a name: each of its words capitalised ("Monitor Gateway")."""
    words = [word for word in label.split() if word[:1].isalpha()]
    return bool(words) and all(word[0].isupper() for word in words)


def _opens_with_value(text: str) -> bool:
    """Whether a text opens with a value: an address, a number, a path ("10.0.3.1 (gateway)")."""
    first = text.split(maxsplit=1)[0].strip("`'\"*,;") if text.strip() else ""
    return bool(first) and bool(_VALUE.match(first))


def _is_value(text: str) -> bool:
    return bool(_VALUE.match(text)) or (len(text.split()) <= 3 and not is_imperative(text))


def _defines(item: ItemSample) -> bool:
    """An item written as a term, a colon and what it means ("**Build**: the image is built");
    not a title whose colon leads in to the sub-list or block under it."""
    return item.title_then_definition and bool(item.rest.lstrip(" :-\u2014\u2013").strip())


def _instructs(item: ItemSample) -> bool:
    """An item that tells someone to do something. ``**Build**: the image is built`` does
    not: after a term and a colon, the description is what reads as an instruction or not;
    nor does ``Monitor subnet: 10.0.3.0/24``, a setting and its value."""
    if _defines(item):
        return is_imperative(item.rest)
    if _keyword(item.text):
        return False
    named = _SETTING.search(item.literal) or _ENDPOINT.match(item.literal)
    if item.literal and named and item.text.startswith(item.literal):
        # "`override: replace` swaps the whole entry": a setting and its value in code, or an
        # endpoint (`DELETE /member`), what follows says what it does; the value is no verb,
        # though "replace" is one
        return is_imperative(item.text[len(item.literal) :].lstrip(" :-\u2013\u2014"))
    if item.title_then_definition:  # "**Open the console**:" over its sub-list: the title says it
        return is_imperative(item.title or "")
    field = _field(item)
    if field is not None and not item.title:
        if _command_after(item, field[1]):
            return is_imperative(field[0])  # "Apply: `tool update --yes`": run it to apply
        return not _opens_with_value(field[1]) and is_imperative(field[1])
    return is_imperative(item.title or item.text) or (bool(item.title) and is_imperative(item.rest))


def instructs_mostly(items: Iterable[ItemSample], count: int) -> bool:
    """Whether at least half of a list's ``count`` items tell someone to do something. The
    items are read one at a time, and only until the answer is known: a page's long
    procedures are read once more for this, so half of each is enough."""
    need = (count + 1) // 2  # a share of at least 0.5
    instructing = 0
    for seen, item in enumerate(items, start=1):
        instructing += _instructs(item)
        if instructing >= need:
            return True
        if instructing + count - seen < need:
            return False
    return False


#: participles that do not end in -ed, of verbs that tell someone what to do
_IRREGULAR_DONE = frozenset(
    "sent done made written taken given held told begun chosen kept found built drawn shown known "
    "shut rung struck undone rewritten".split()
)
#: words a narrative puts between a verb and its object, or before a participle ("was told")
_AFTER_VERB = frozenset("the a an our their his her its this that these those my your".split())
#: openings of a clause that is no state of its own: a condition, a time, a negation
_NOT_A_STATE = frozenset("if when whenever once unless otherwise while after before no".split())
#: a participle after one of these qualifies the noun before it ("share of tests executed")
_PREPOSITIONS = frozenset("of in on for with to from by at per".split())


def _participle(word: str) -> bool:
    """Whether a word is the past participle of a verb that tells someone what to do."""
    if word in _IRREGULAR_DONE:
        return True
    if not word.endswith("ed") or len(word) < 5:
        return False
    stems = (word[:-1], word[:-2], word[:-3], word[:-3] + "y" if word.endswith("ied") else "")
    return any(stem in IMPERATIVES for stem in stems if stem)


def _done_state(item: ItemSample) -> bool:
    """An item that says what is done, as checklists to tick are often written: "Incident
    channel opened", "Status page updated after each change". A narrative says who did what
    to what ("The primary acknowledged the page"), or uses an auxiliary ("was rolled back")."""
    words = [word.lower() for word in WORD.findall(strip_marks(item.title or item.text))[:7]]
    if len(words) < 2 or words[0] in _AFTER_VERB or words[0] in ("we", "you", "they", "i", "it"):
        return False
    if words[0] in _NOT_A_STATE or item.opens_with_literal:
        return False  # "If possible, use the version specified", "No planned meetings", `initrd` ...
    if AUXILIARY.intersection(words):
        return False  # "Requests rejected with a 403 are logged"
    if words[0] in IMPERATIVES and not _participle(words[1]):
        return False  # "Issue a refund", though "Issue created" is a state
    for position, word in enumerate(words[1:4], start=1):  # a state names a thing in a word or three
        if _participle(word):
            following = words[position + 1] if position + 1 < len(words) else ""
            return following not in _AFTER_VERB and not _PREPOSITIONS.intersection(words[1:position])
    return False


def _third_person(text: str) -> bool:
    word = first_word(text)
    return len(word) > 3 and word.endswith("s") and (word[:-1] in IMPERATIVES or word[:-2] in IMPERATIVES)


def _share(items: Sequence[ItemSample], test: Callable[[ItemSample], object]) -> float:
    if not items:
        return 0.0
    return sum(1 for item in items if test(item)) / len(items)


#: items that advise rather than instruct: prohibitions, "try to", "consider"
_ADVICE = re.compile(
    r"^(?:do not|don't|never|avoid|try to|try not to|consider|prefer|remember|keep in mind|it is|it's|"
    r"there is|there are|be careful|be aware|note that)\b",
    re.I,
)


#: a page title that calls the page a project's roadmap: its items are plans, changes still to
#: come, though they open with verbs; not a guide's "Installation roadmap", which is its steps
_ROADMAP = re.compile(r"^\s*(?:(?:the|our|project|product)\s+)?roadmap\b", re.I)

#: a page title that calls the page a checklist
_CHECKLIST = re.compile(r"\bcheck-?lists?\b", re.I)

#: the first word of an item offered in place of the one before ("Alternatively, …", "Or …")
_ALTERNATIVE = frozenset("alternatively otherwise or instead".split())


def signals(sample: ListSample) -> dict[str, float]:
    """Every signal of a list, each between 0 and 1."""
    items = sample.items
    context = f"{sample.section}\n{sample.lead_in}"

    def says(kind: str, where: str = context) -> float:
        return 1.0 if CONTEXT[kind].search(where) else 0.0

    heading = sample.section.strip()
    return {
        # items that finish a sentence about something else ("The nightly job then:") say
        # what it does, though they open with verbs
        # in a numbered list, an item that is only a command line says to run it
        "instructions": 0.0
        if OTHER_SUBJECT.search(sample.lead_in)
        else _share(items, lambda i: _instructs(i) or (sample.ordered and i.command)),
        "ticks": _share(items, lambda i: i.checkbox),
        "states": _share(items, _done_state),
        "titled": _share(items, lambda i: i.title is not None and not _defines(i)),
        "definitions": _share(
            items,
            lambda i: (
                (_defines(i) and not is_imperative(i.rest))
                or (i.opens_with_literal and ":" in i.text[:60])
                or (bool(_SETTING.search(i.literal)) and bool(_SPACED_DASH.search(i.text[:60])))
                or (bool(_ENDPOINT.match(i.literal)) and i.words > len(i.literal.split()))
            ),
        ),
        "links": _share(items, lambda i: i.link_only),
        "opens_with_link": _share(items, lambda i: i.opens_with_link and not i.link_only),
        "values": _share(
            items,
            lambda i: (
                (bool(_VALUE.match(i.text)) or _keyword(i.text) or (i.opens_with_literal and i.words <= 4))
                and not (sample.ordered and i.command)
            ),
        ),
        "people_dates": _share(items, lambda i: bool(_MENTION.search(i.text) or _DATE.search(i.text))),
        "times": _share(items, lambda i: bool(_TIME.match(i.text))),
        "questions": _share(items, lambda i: i.text.rstrip().endswith("?")),
        "versions": _share(items, lambda i: bool(_VERSION.match(i.text))),
        "descriptive": _share(
            items,
            lambda i: _third_person(i.title or i.text) or first_word(i.text) in ("the", "a", "an", "it"),
        ),
        "we_you": _share(items, lambda i: first_word(i.text) in ("we", "you", "they", "i", "our", "your")),
        "short": _share(items, lambda i: i.words <= 5 and not _instructs(i)),
        "long": min(1.0, sum(i.words for i in items) / max(1, len(items)) / 40),
        "code": 1.0 if any(i.has_code for i in items) else 0.0,
        "sublists": 1.0 if any(i.has_sublist for i in items) else 0.0,
        "roles": 1.0 if any(i.has_role or i.has_button for i in items) else 0.0,
        "single": 1.0 if len(items) < 2 else 0.0,
        "numbered": 1.0 if sample.ordered else 0.0,
        "heading_instruction": 1.0
        if heading and is_imperative(heading) and not heading.lower().startswith(("if ", "when "))
        else 0.0,
        "heading_version": 1.0 if _VERSION.match(heading) else 0.0,
        "advice": _share(items, lambda i: bool(_ADVICE.match(strip_marks(i.title or i.text)))),
        "alternatives": _share(items, lambda i: first_word(strip_marks(i.title or i.text)) in _ALTERNATIVE),
        "labels": _share(items, lambda i: i.text.rstrip().endswith(":")),
        **{f"lead_{kind}": 1.0 if pattern.search(sample.lead_in) else 0.0 for kind, pattern in LEAD.items()},
        **{f"says_{kind}": says(kind) for kind in CONTEXT if kind != "report"},
        "page_report": says("report", sample.page),
        "outer_follow_ups": 1.0 if FOLLOW_UPS.search(sample.outer) else 0.0,
        "page_procedures": sample.page_procedures,
        "code_around": 1.0 if sample.code_around else 0.0,
        "page_steps": max(says("steps", sample.page), says("ready", sample.page)),
        # the author calls the page a checklist: its lists are what to tick
        "page_checklist": 1.0 if _CHECKLIST.search(sample.page) else 0.0,
        "page_instruction": 1.0 if sample.page and is_imperative(sample.page) else 0.0,
        "page_changelog": says("changelog", sample.page) or float(bool(_ROADMAP.match(sample.page))),
    }


#: how each signal reads in a reason, when it is present
_PHRASES = {
    "instructions": "{share} of items open with an instruction",
    "ticks": "items are boxes to tick",
    "states": "items say what is done, as a checklist to tick",
    "titled": "items open with bold or italic titles",
    "definitions": "items read like terms and their definitions",
    "links": "items are links",
    "opens_with_link": "items open with a link",
    "values": "items are values (names, addresses, settings)",
    "settings": "items are settings and their values",
    "people_dates": "items name people or dates",
    "times": "items open with times",
    "questions": "items are questions",
    "versions": "items open with version numbers",
    "descriptive": "items describe rather than instruct",
    "we_you": "items say what someone does",
    "short": "items are short names",
    "long": "items are long",
    "code": "commands in code blocks",
    "sublists": "sub-steps",
    "roles": "team roles or buttons",
    "single": "a single item",
    "numbered": "a numbered list",
    "heading_instruction": "the heading is an instruction",
    "heading_version": "the heading is a version",
    "advice": "items advise rather than instruct",
    "alternatives": "items are alternatives to one another",
    "labels": "items are labels for what follows",
    "lead_needs": "the sentence before says what is needed or must be done",
    "lead_can": "the sentence before says what something does or can do",
    "lead_either": "the sentence before offers alternatives",
    "lead_choices": "the sentence before counts the alternatives",
    "lead_one_of": "the sentence before asks for one of the items",
    "lead_purpose": "the sentence before says what the items are for",
    "lead_names": "the sentence before names what something is or holds",
    "says_steps": "the heading or the sentence before announces steps",
    "says_ready": "the heading or the sentence before asks for things to have or check",
    "says_links": "the heading or the sentence before announces links",
    "says_facts": "the heading or the sentence before announces features or facts",
    "says_options": "the heading or the sentence before announces options",
    "says_tips": "the heading or the sentence before announces tips or guidelines",
    "says_minutes": "the heading or the sentence before announces minutes",
    "says_retro": "the heading or the sentence before announces a review of an incident",
    "says_timeline": "the heading or the sentence before announces a timeline",
    "says_glossary": "the heading or the sentence before announces terms or fields",
    "says_changelog": "the heading or the sentence before announces changes",
    "says_duties": "the heading or the sentence before announces duties",
    "says_ranked": "the heading or the sentence before announces priorities, principles or goals",
    "page_report": "the page is an incident report",
    "outer_follow_ups": "the list is under a section of action items or follow-ups",
    "page_procedures": "the page's numbered lists are instructions",
    "code_around": "a code block stands beside the list",
    "page_steps": "the page's title announces steps or a checklist",
    "page_checklist": "the page is a checklist",
    "page_instruction": "the page's title is an instruction",
    "page_changelog": "the page is a changelog or a roadmap",
}

#: which look-alike a negative signal points to
_LOOKALIKE = {
    "links": "links", "opens_with_link": "links", "says_links": "links",
    "values": "values", "settings": "values",
    "short": "enumeration", "descriptive": "enumeration", "we_you": "enumeration",
    "definitions": "glossary", "says_glossary": "glossary",
    "people_dates": "meeting-notes", "says_minutes": "meeting-notes", "outer_follow_ups": "meeting-notes",
    "times": "timeline", "says_timeline": "timeline", "says_retro": "timeline", "page_report": "timeline",
    "says_tips": "tips", "says_duties": "tips", "says_ranked": "tips", "says_facts": "enumeration",
    "says_options": "options", "lead_either": "options", "lead_can": "enumeration", "labels": "options",
    "advice": "tips", "alternatives": "options", "lead_choices": "options",
    "lead_one_of": "options", "lead_names": "enumeration",
    "questions": "other", "versions": "other", "heading_version": "other", "says_changelog": "other",
    "page_changelog": "other",
}  # fmt: skip
#: a signal is named in the reasons when it moves the verdict at least this much
_REASON_FLOOR = 0.25


def classify(sample: ListSample) -> Verdict:
    """The verdict on a list: a procedure (numbered) or a checklist (bulleted) when the
    probability the weighed signals give is at least one half."""
    found = signals(sample)
    contributions = {name: WEIGHTS.get(name, 0.0) * value for name, value in found.items() if value}
    score = WEIGHTS["bias"] + sum(contributions.values())
    probability = 1.0 / (1.0 + math.exp(-score))
    reasons = []
    for name, weight in sorted(contributions.items(), key=lambda kv: (-abs(kv[1]), kv[0])):
        if abs(weight) < _REASON_FLOOR:
            continue
        phrase = _PHRASES[name].format(share=f"{round(found[name] * 100)}%")
        reasons.append(f"{phrase} ({weight:+.1f})")
    if probability >= 0.5:
        verdict = "procedure" if sample.ordered else "checklist"
        confidence = probability
    else:
        against = [
            (weight, name) for name, weight in contributions.items() if weight < 0 and name in _LOOKALIKE
        ]
        if against:
            verdict = _LOOKALIKE[min(against)[1]]
        else:  # what it looks like most, though that weighs nothing either way (descriptions)
            looks = sorted((-value, name) for name, value in found.items() if value and name in _LOOKALIKE)
            verdict = _LOOKALIKE[looks[0][1]] if looks else "other"
        confidence = 1.0 - probability
    return Verdict(verdict, round(score, 2), round(confidence, 2), reasons)
