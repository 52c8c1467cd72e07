"""What discovery says of a list inside a runbook: links, values, terms or a record that stay
prose beside the steps (or in a step), not steps with checkboxes."""

from __future__ import annotations

import re

from docutils import nodes

from ..imperative import is_imperative
from .context import VerdictOf
from .openings import skip_leading

#: a list discovery is at least this sure is no procedure stays prose beside a section's steps
SURE_LOOKALIKE = 0.7
#: the look-alikes that stay prose: lists of links, of values, of terms, of what happened
PROSE_KINDS = ("links", "values", "glossary", "timeline", "meeting-notes")
#: terms and what each means: titles that are terms, not the titles of steps
GLOSSARY = "glossary"


def surely_prose(node: nodes.Node, verdict_of: VerdictOf) -> bool:
    """Whether discovery is sure a list is links, values, terms or a record, not steps. A list
    whose items open with bold titles reads as steps, whatever else it says, unless discovery
    is sure the titles are terms, each followed by what it means (``**Name**: a unique name``:
    the fields of a form, described)."""
    if not isinstance(node, nodes.Element):
        return False
    verdict = verdict_of(node)
    if verdict.verdict not in PROSE_KINDS or verdict.confidence < SURE_LOOKALIKE:
        return False
    return verdict.verdict == GLOSSARY or not titled_items(node)


def titled_items(node: nodes.Node) -> bool:
    """Whether most items of a list open with a bold title, as steps do."""
    items = list(node.findall(nodes.list_item)) if isinstance(node, nodes.Element) else []
    titled = 0
    for item in items:
        paragraph = next((c for c in item.children if isinstance(c, nodes.paragraph)), None)
        children = list(paragraph.children) if paragraph is not None else []
        index = skip_leading(children)
        titled += index < len(children) and isinstance(children[index], nodes.strong)
    return bool(items) and titled * 2 >= len(items)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

#: a list under a step that discovery is at least this sure is no procedure (of any kind: the
#: tabs a page shows, an example, the ways to do it) is the step's text, not sub-steps to tick
SURE_NOT_STEPS = 0.9


def not_sub_steps(node: nodes.Node, verdict_of: VerdictOf) -> bool:
    """Whether a list under a step is the step's text rather than its sub-steps: links, values,
    terms or a record (as :func:`surely_prose`); alternatives to pick one of ("do one of the
    following:"), whatever they say; or any list discovery is sure is no procedure, whose items
    do not open with titles as steps do, and that does not finish an instruction ("compare
    the counts:" over "per bucket", "per customer" asks for each)."""
    if not isinstance(node, nodes.Element):
        return False
    if _offers_a_choice(node):  # "do one of the following:": one is picked, none is ticked
        return True  # whatever discovery would say: no need to classify the list
    verdict = verdict_of(node)  # classified once, for both tests
    if surely_prose(node, lambda _: verdict):
        return True
    if titled_items(node) or verdict.positive:
        return False
    return not _finishes_an_instruction(node) and verdict.confidence >= SURE_NOT_STEPS


#: a sentence that offers the items as alternatives to pick from
_CHOICE = re.compile(
    r"\b(?:one|either)\s+of\s+(?:the\s+following|these|them|two|three)\b|\bchoose\s+(?:one|either|between)\b",
    re.I,
)


def _offers_a_choice(node: nodes.Element) -> bool:
    """Whether the paragraph right before a list offers its items as alternatives."""
    before = _paragraph_before(node)
    return before is not None and bool(_CHOICE.search(before.astext()))


def _paragraph_before(node: nodes.Element) -> nodes.paragraph | None:
    parent = node.parent
    at = parent.index(node) if parent is not None else 0
    before = parent[at - 1] if parent is not None and at > 0 else None
    return before if isinstance(before, nodes.paragraph) else None


def _finishes_an_instruction(node: nodes.Element) -> bool:
    """Whether the sentence right before a list tells the reader to do something."""
    before = _paragraph_before(node)
    if before is None:
        return False
    sentences = _SENTENCE_END.split(before.astext().strip())
    return bool(sentences) and is_imperative(sentences[-1])
