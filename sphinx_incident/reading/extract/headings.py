"""Headings typed with step numbers that repeat or skip one: the parts of a procedure written
as sections (``### 1. Apply the manifest``, ``### 2. Wait``, ``### 2. Check``), which no
markup numbers, so the page shows the slip as typed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docutils import nodes

from ..doctree import clean, plain_text
from .context import Extraction
from .steps import heading_line

#: a heading typed with a step number: ``2. Wait``, ``2) Wait``, ``Step 2: Wait`` (not a year,
#: ``2024 changes``, nor a version, ``1.2 Release``)
_NUMBERED = re.compile(r"^(?:step\s+)?(?P<number>\d{1,2})[.):]\s+\S", re.I)


def headings_out_of_turn(extractor: Extraction, root: nodes.Element, skip: set[int]) -> None:
    """Report, for each section (and the page), the first of its subsections whose typed number
    repeats or skips one after the numbered subsection before it (``numbering_duplicate``,
    ``numbering_gap``); a number 1 starts a sequence of its own. Sections in ``skip`` (by
    ``id()``: declared runbooks, whose steps the runbook checks) are left out."""
    for parent in (root, *root.findall(nodes.section)):
        if id(parent) in skip:
            continue
        for section, number, before in _out_of_turn(extractor, parent):
            again = number <= before[0]
            fix = "renumber the headings" if again else "restore the missing part or renumber the headings"
            extractor.defect(
                "numbering_duplicate" if again else "numbering_gap",
                section,
                heading_line(extractor, section),
                f"this heading is numbered {number} after {before[0]} (line {before[1]}), so the "
                f"headings' numbering {'repeats' if again else 'skips'} a number, as the page shows "
                f"it: {fix}",
                (before[1],) if before[1] else (),
            )


def _out_of_turn(
    extractor: Extraction, parent: nodes.Element
) -> Iterator[tuple[nodes.section, int, tuple[int, int]]]:
    """The numbered subsections of ``parent`` typed out of turn, each with the number and line
    of the numbered one before it; after each, the count goes on from its number."""
    before: tuple[int, int] | None = None
    for section in parent.children:
        if not isinstance(section, nodes.section) or not section.children:
            continue
        match = _NUMBERED.match(clean(plain_text(section[0])))
        if match is None:
            continue
        number = int(match["number"])
        if before is not None and number not in (1, before[0] + 1):
            yield section, number, before
        before = (number, heading_line(extractor, section) or 0)
