"""Telling procedures from other lists: a small scoring function anyone can read.

A handbook holds many lists that are not procedures: enumerations of
services or people, agendas, ranked priorities, tables of contents, meeting
notes, glossaries. :func:`classify` looks at what a reader would look at —
do the items tell someone to do something (an imperative verb first), do
they carry commands, sub-steps, roles or buttons, does the heading or the
sentence before the list announce steps — and at what marks the look-alikes
(items that are only links, ``Term: definition`` pairs, names and dates,
times of day, a heading about priorities or principles). Each signal adds to
or takes from a score, and each that fired is named in the reasons, so a
verdict can always be explained. No model, no download: deterministic rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

#: the score from which a list is a procedure (numbered) or a checklist (bulleted)
THRESHOLD = 1.0

POSITIVE = ("procedure", "checklist")
VERDICTS = (
    *POSITIVE, "enumeration", "agenda", "ranked", "toc", "meeting-notes", "glossary", "other",
)  # fmt: skip

#: verbs in the imperative, as steps and checks start
IMPERATIVES = frozenset(
    """
    accept acknowledge activate add adjust alert allow announce answer append apply approve archive ask
    assess assign attach audit authorize back backport block book bootstrap bounce build bump call cancel
    capture change check choose clean clear click clone close collect comment commit communicate compare
    compile complete configure confirm connect consider contact continue copy cordon create cut deactivate
    decide declare decommission decrypt delegate delete deploy deprovision describe destroy detach
    determine disable disconnect dismiss dispatch document double download drain drop dump edit email
    empty enable encrypt end enforce ensure enter escalate estimate evacuate evict examine execute exit
    expire export extend fail file fill filter find finish fix flag flip flush follow force fork forward
    freeze gather generate get give go grant grep halt hand handle hold identify ignore import increase
    inform initiate inspect install investigate invite invoke isolate issue join keep kill label launch
    leave let limit link list load locate lock log look lower make mark merge message migrate mirror
    mitigate monitor mount move mute name navigate note notify observe obtain offboard onboard open order
    page paste patch pause pay pick pin ping plan point post power prepare press prevent print prioritize
    promote propose protect provide provision publish pull purge push put query queue quiesce raise read
    reboot rebuild receive reconcile record recover redeploy redirect reduce refresh register reindex
    reject release reload remind remove rename renew reopen repair repeat replace replay reply report
    request rerun reroute reserve reset resize resolve respond restart restore resume retry return revert
    review revoke rewrite rollback roll rotate route run save scale schedule scan search secure select
    send set settle share shift ship shut sign silence skip snapshot sort spin split ssh start stash stop
    store submit subscribe suspend swap switch sync tag take tell terminate test tick toggle trace track
    transfer trigger truncate try tune turn type unblock uncordon undo uninstall unlock unmount unpause
    unpin unset update upgrade upload use validate verify view visit vote wait walk warn watch wipe write
    """.split()
)

#: openings that read like a step without an imperative first word
_STEP_OPENINGS = re.compile(
    r"^(?:do not|don't|never|always|make sure|be sure|if|when|once|after|before|in )\b", re.I
)
#: words in a heading or the sentence before a list that announce steps
_ANNOUNCES_STEPS = re.compile(
    r"\b(?:steps?|procedure|process|how to|runbook|playbook|checklist|follow(?:ing)? these|do this|"
    r"to do|what to do|instructions?|before you|first,)\b",
    re.I,
)
#: headings and lead-ins that announce a look-alike, by verdict
_ANNOUNCES = {
    verdict: re.compile(rf"\b(?:{words})\b", re.I)
    for verdict, words in {
        "toc": r"on this page|contents|reading order|read (?:these|first)|dashboards|links|see also|index",
        "agenda": r"agenda|schedule|first week|timetable|itinerary",
        "ranked": r"priorit(?:y|ies)|top \d+|top (?:five|ten|three)|ranked|in order of|most common",
        "meeting-notes": r"attendees|minutes|notes of|meeting notes|decisions|action items|present:",
        "other": r"principles|values|goals|requirements|release notes|changelog|questions|faq"
        r"|out of scope|non-goals",
        "glossary": r"glossary|definitions|terms|acronyms|levels|tiers",
    }.items()
}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
#: due dates, as action items carry them: 2024-10-25, 25 Oct, Oct 25, by Friday
_DATE = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}} {_MONTH}(?!\w)|\b{_MONTH} \d{{1,2}}\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\bby (?:end of|next|the)\b",
    re.I,
)
#: who an item is for: @name, (Name) at the end, "Name: ..." at the start, "... — Name, date"
_MENTION = re.compile(
    r"(?:^|\s)@\w+|\(\s*[A-Z][a-z]+\s*\)\s*$|^[A-Z][a-z]+(?: [A-Z][a-z]+)?:\s"
    r"|[\u2014\u2013]\s*[A-Z][a-z]+\s*(?:,|$)"
)
_TIME = re.compile(
    r"^\s*(?:\d{1,2}[:.]\d{2}|day \d+|week \d+|monday|tuesday|wednesday|thursday|friday)\b", re.I
)
_VERSION = re.compile(r"^\s*v?\d+\.\d+(?:\.\d+)?\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_CHECKBOX = re.compile(r"^\s*(?:[\u2705\u2610\u2611\u2612\u2713\u2714]|\[[ xX]?\])")


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

    @property
    def checkbox(self) -> bool:
        """The item opens with a check mark or a box to tick."""
        return bool(_CHECKBOX.match(self.text))


@dataclass
class ListSample:
    """What the classifier reads of one list and its place in the page."""

    ordered: bool
    items: list[ItemSample]
    section: str = ""
    #: the paragraph right before the list, if any
    lead_in: str = ""


@dataclass
class Verdict:
    verdict: str
    score: float
    confidence: float
    reasons: list[str] = field(default_factory=list)

    @property
    def positive(self) -> bool:
        return self.verdict in POSITIVE


def first_word(text: str) -> str:
    match = _WORD.search(text)
    return match.group(0).lower() if match else ""


def is_imperative(text: str) -> bool:
    """Whether a step's text opens by telling someone what to do."""
    text = text.strip().lstrip("\u2705\u2610\u2611\u26a0\ufe0f[]x ")
    return first_word(text) in IMPERATIVES or bool(_STEP_OPENINGS.match(text))


def _instructs(item: ItemSample) -> bool:
    """An item that tells someone to do something. ``**Build**: the image is built`` does
    not: after a term and a colon, the description is what reads as an instruction or not."""
    if item.title_then_definition:
        return is_imperative(item.rest)
    return is_imperative(item.title or item.text)


def _third_person(text: str) -> bool:
    word = first_word(text)
    return len(word) > 3 and word.endswith("s") and (word[:-1] in IMPERATIVES or word[:-2] in IMPERATIVES)


def _share(items: Sequence[ItemSample], test: Callable[[ItemSample], object]) -> float:
    if not items:
        return 0.0
    return sum(1 for item in items if test(item)) / len(items)


def _look_alikes(
    items: Sequence[ItemSample], imperative: float, context: str
) -> tuple[dict[str, float], float]:
    """What marks the lists that look like procedures but are not, by verdict, with its
    weight; and the share of short items that are no instruction."""
    evidence: dict[str, float] = {}
    links = _share(items, lambda i: i.link_only)
    if links >= 0.6:
        evidence["toc"] = 2.0 * links
    definitions = _share(
        items, lambda i: i.title_then_definition or (i.opens_with_literal and ":" in i.text[:60])
    )
    if definitions >= 0.6 and imperative < 0.5:
        evidence["glossary"] = 1.5 * definitions
    people = _share(items, lambda i: bool(_MENTION.search(i.text) or _DATE.search(i.text)))
    if people >= 0.4:
        evidence["meeting-notes"] = 1.5 * people
    times = _share(items, lambda i: bool(_TIME.match(i.text)))
    if times >= 0.5:
        evidence["agenda"] = 1.5 * times
    questions = _share(items, lambda i: i.text.rstrip().endswith("?"))
    versions = _share(items, lambda i: bool(_VERSION.match(i.text)))
    if questions >= 0.5 or versions >= 0.5:
        evidence["other"] = 1.5 * max(questions, versions)
    descriptive = _share(
        items, lambda i: _third_person(i.title or i.text) or first_word(i.text) in ("the", "a", "an")
    )
    if descriptive >= 0.5:
        evidence["enumeration"] = 1.2 * descriptive
    short = _share(items, lambda i: len(i.text.split()) <= 6 and not _instructs(i))
    if short >= 0.6:
        evidence["enumeration"] = max(evidence.get("enumeration", 0.0), 1.0 * short)
    for verdict, pattern in _ANNOUNCES.items():
        if pattern.search(context):
            evidence[verdict] = evidence.get(verdict, 0.0) + 1.6
    return evidence, short


def classify(sample: ListSample) -> Verdict:
    """Score a list: a procedure or checklist when the score reaches :data:`THRESHOLD`."""
    items = sample.items
    reasons: list[str] = []
    score = 0.0

    def signal(weight: float, reason: str) -> None:
        nonlocal score
        score += weight
        reasons.append(f"{reason} ({weight:+.1f})")

    opening = [item.title or item.text for item in items]
    imperative = _share(items, _instructs)
    if imperative:
        signal(2.2 * imperative, f"{round(imperative * 100)}% of items open with an instruction")
    boxes = _share(items, lambda i: i.checkbox)
    if boxes >= 0.5:
        signal(1.2 * boxes, "items are boxes to tick")
    titled = _share(items, lambda i: i.title is not None and not i.title_then_definition)
    if titled and imperative >= 0.5:
        signal(0.4 * titled, "items open with bold or italic step titles")
    context = f"{sample.section}\n{sample.lead_in}"
    if _ANNOUNCES_STEPS.search(context):
        signal(0.6, "the heading or the sentence before announces steps")
    if is_imperative(sample.section) and not sample.section.lower().startswith(("if ", "when ")):
        signal(0.5, "the heading is an instruction")
    for test, weight, reason in (
        (lambda i: i.has_code, 0.5, "commands in code blocks"),
        (lambda i: i.has_sublist, 0.3, "sub-steps"),
        (lambda i: i.has_role or i.has_button, 0.3, "team roles or buttons"),
    ):
        if any(test(item) for item in items):
            signal(weight, reason)

    evidence, short = _look_alikes(items, imperative, context)
    for verdict, weight in sorted(evidence.items(), key=lambda kv: -kv[1]):
        what = "a table of contents" if verdict == "toc" else verdict.replace("-", " ")
        signal(-weight, f"reads like {what}")
    if len(items) < 2:
        signal(-1.0, "a single item")

    if score >= THRESHOLD:
        verdict = "procedure" if sample.ordered else "checklist"
    elif evidence:
        verdict = max(evidence.items(), key=lambda kv: kv[1])[0]
    else:
        verdict = "enumeration" if short >= 0.5 or not opening else "other"
    confidence = 1 / (1 + math.exp(-2.0 * (score - THRESHOLD)))
    if verdict not in POSITIVE:
        confidence = 1 - confidence
    return Verdict(verdict, round(score, 2), round(confidence, 2), reasons)
