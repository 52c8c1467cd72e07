"""Whether a text tells someone what to do: the imperative a step or a check opens with.

An instruction opens with a verb ("Restart the proxy"), perhaps after a phrase
saying where, when or on what condition ("In the console, choose …", "If it
failed, retry …", "At the sign-in prompt enter …"), or a word placing it in a
sequence ("Then select …"), or a phrase that instructs with no imperative
("Make sure …", "You need to …"). A noun spelt as a verb that is the subject
of the sentence ("Backup is per node") is no instruction.
"""

from __future__ import annotations

import re

#: verbs in the imperative, as steps and checks start
IMPERATIVES = frozenset(
    """
    abort accept acknowledge activate add adjust alert allocate allow amend announce answer append
    apply approve archive ask assess assign attach attempt audit authenticate authorise authorize
    back backfill backport backup begin block book boot bootstrap bounce bring browse build bump
    call cancel capture cd change check checkout chmod choose chown claim clean clear click clone
    close collapse collect comment commit communicate compare compile complete compress configure
    confirm connect consult contact continue convert copy cordon create curl cut deactivate debug
    decide declare decline decommission decrease decrypt define delegate delete deploy deprovision
    describe deselect destroy detach determine dig disable disconnect discuss dismiss dispatch
    document double double-click downgrade download drag drain drop dump duplicate edit eject email
    empty enable encrypt end enforce ensure enter erase escalate establish estimate evacuate
    evaluate evict examine exec execute exit expand expire export extend extract fail fetch file
    fill filter find finish fix flag flash flip flush follow force fork forward freeze gather
    generate get give go grab grant grep halt hand handle hold hover identify ignore import increase
    inform initialise initialize initiate insert inspect install investigate invite invoke isolate
    issue join keep kill label launch leave let limit link list load locate lock log login logon
    logout long-press look lower make mark merge message migrate mirror mitigate modify monitor
    mount move mute name navigate note notify observe obtain offboard onboard open order page paste
    patch pause pay perform pick pin ping place plan plug point post power prepare press preview prevent
    print prioritise prioritize proceed promote propose protect provide provision prune publish pull
    purge push put query queue quiesce raise re-create re-enable re-run read reassign rebase reboot
    rebuild receive recheck reconcile reconfigure record recover recreate recycle redeploy redirect
    reduce refresh regenerate register reindex reinstall reject release reload remind remove rename
    renew reopen repair repeat replace replay reply report request reroute rerun reserve reset
    resize resolve respond restart restore restrict resume retrieve retry return revert review
    revoke rewrite right-click roll rollback rotate route rsync run save scale schedule scp scroll
    search secure select send set setup share shift ship shut sign signin silence skip snapshot sort
    specify spin split ssh start stash stop store submit subscribe sudo summarise summarize supply
    suspend swap swipe switch sync tag take tap tell terminate test tick toggle trace track transfer
    trigger troubleshoot truncate try tune turn type unassign unblock uncheck uncomment uncompress
    uncordon undo uninstall unlock unmount unpack unpause unpin unplug unset unsubscribe untick
    unzip update upgrade upload use validate verify view visit vote wait walk warn watch wipe
    withdraw write
    """.split()
)

#: a phrase before the verb saying where, when or on what condition: "In the console, choose …",
#: "If the job failed, restart …", "From the Purge menu, select …", "Then:"
_LEADING_PHRASE = re.compile(
    r"^(?:(?:in|on|from|under|within|inside|at|via|using|with|for|after|before|once|when|whenever|if|"
    r"unless|while|then|next|now|finally|first|second|third|lastly|optionally|alternatively|afterwards|"
    r"again|also|here|there|to\s+\w+|as\s+\w+|step\s+\d+|optional|note)\b[^.;!?]{0,90}?[,:\u2014\u2013]\s*)",
    re.I,
)
#: a word that places a step in the sequence, right before its verb with no comma ("Then select
#: Import", "Now restart the proxy")
_SEQUENCE = re.compile(r"^(?:then|now|next|finally|afterwards|lastly|just|simply)\s+(?=\w)", re.I)
#: openings that instruct without an imperative first word
_STEP_OPENINGS = re.compile(
    r"^(?:do not|don't|do the following|do this|never|always|make sure|be sure|please|"
    r"you (?:must|should|need to|will need to|have to|"
    r"'ll need to))\b",
    re.I,
)
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")

AUXILIARY = frozenset(
    "is are was were be been being has have had will would should must can could get got".split()
)
#: what follows a subject and no imperative: an auxiliary, or a verb in the third person
_SUBJECT_VERBS = (AUXILIARY - {"be", "been", "being", "have", "get", "got"}) | frozenset(
    "does did cannot may might works means requires needs happens depends allows lets helps ensures".split()
)


def first_word(text: str) -> str:
    match = WORD.search(text)
    return match.group(0).lower() if match else ""


#: a first word that is part of a name, not a verb: a file (``install.yaml``, ``run.sh``), a
#: path (``deploy/``), an identifier (``build_all``, ``restart()``)
_PART_OF_A_NAME = re.compile(r"^[^A-Za-z]*[A-Za-z][A-Za-z'-]*(?:\.\w|[/_(@])")


def strip_marks(text: str) -> str:
    return text.strip().lstrip("\u2705\u2610\u2611\u2612\u2713\u2714\u26a0\ufe0f[]xX*-> ").strip()


#: the second word of a text, where the first is a word
_SECOND_WORD = re.compile(r"^[^A-Za-z]*[A-Za-z][A-Za-z'-]*\s+([A-Za-z]+)")


def _opens_with_verb(text: str) -> bool:
    return (
        first_word(text) in IMPERATIVES and not _PART_OF_A_NAME.match(text) and not _opens_with_subject(text)
    )


def _opens_with_subject(text: str) -> bool:
    """Whether a text's first word is the subject of the verb after it, not a verb itself
    ("Backup is per node", "Restore requires a restart"): a noun that is spelt as a verb.
    Not before a bare "be", "have" or "get", which follow an imperative ("Go get the key")."""
    second = _SECOND_WORD.match(text)
    return second is not None and second.group(1).lower() in _SUBJECT_VERBS


def names_a_thing(term: str) -> bool:
    """Whether a term set over its explanation names something rather than telling the reader
    what to do: one lowercase word (``nightly``, ``start``: a folder, a setting) or a phrase
    that is no instruction (``Probe interval``). A term that ends in a colon leads in to what
    is under it ("If it fails:", "Check the logs:"): no name."""
    if term.rstrip().endswith(":"):
        return False
    words = term.split()
    return (len(words) == 1 and term.islower()) or not is_imperative(term)


def is_imperative(text: str) -> bool:
    """Whether a text opens by telling someone what to do, perhaps after a phrase saying where,
    when or on what condition ("In the console, choose …", "If it failed, retry …")."""
    text = strip_marks(text)
    for _ in range(3):
        if _opens_with_verb(text) or _STEP_OPENINGS.match(text):
            return True
        phrase = _LEADING_PHRASE.match(text) or _SEQUENCE.match(text)
        if phrase is None or phrase.end() >= len(text):
            return _place_then_verb(text)
        text = strip_marks(text[phrase.end() :])
    return False


#: a place named with no comma after it ("At the login prompt enter …", "On the next screen
#: click …"): a preposition, an article, the place's words, then the verb and what it acts on
_PLACE = re.compile(
    r"^(?:in|on|at|from|under|within|inside|via)\s+(?:the|your|a|an|this|that|each|its)\s+", re.I
)
#: the words that follow an imperative and no noun: what it acts on, or where
_OBJECT = frozenset("the a an your on in to into it them this that all each every any".split())
#: the most words a place takes before its verb
_PLACE_WORDS = 4


def _place_then_verb(text: str) -> bool:
    """Whether a text opens with a place and no comma, then tells what to do there: a verb
    after at least one word of the place, itself followed by what it acts on ("the", "your",
    "on") or by a name in bold, code or capitals ("click **Next**"), so a noun spelt as a verb
    ("the check phase") is not taken for one."""
    place = _PLACE.match(text)
    if place is None:
        return False
    words = text[place.end() :].split()
    for i in range(1, min(_PLACE_WORDS, len(words) - 2) + 1):
        verb, after = words[i].lower(), words[i + 1]
        if verb in IMPERATIVES and (after.lower() in _OBJECT or after[:1] in "*`'\"" or after[:1].isupper()):
            return True
    return False
