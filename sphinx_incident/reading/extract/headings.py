"""Headings typed with step numbers that repeat or skip one: the parts of a procedure written
as sections (``### 1. Apply the manifest``, ``### 2. Wait``, ``### 2. Check``), which no
markup numbers, so the page shows the slip as typed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docutils import nodes

from ..doctree import clean, plain_text
from .context import Extraction
from .steps import heading_line, typed_step_number


def headings_out_of_turn(extractor: Extraction, root: nodes.Element, skip: set[int]) -> None:
    """Report, for each section (and the page), the first of its subsections whose typed number
    repeats or skips one after the numbered subsection before it (``numbering_duplicate``,
    ``numbering_gap``): one finding for the run, where the author's numbering first goes
    wrong. A number 1 followed by a 2 (or by no numbered subsection) starts a sequence of its
    own; one followed by more of the sequence before it is a slip (``1)``, ``1)``, ``3)``). The
    lettered parts of a step (``2a.``, ``2b.``) are that step, each of them, and so are its
    phases or parts, each named with its own number (``3 - Phase 1 …``, ``3 - Phase 2 …``).
    Sections in ``skip`` (by ``id()``: declared runbooks, whose steps the runbook checks) are
    left out."""
    for parent in (root, *root.findall(nodes.section)):
        if id(parent) in skip:
            continue
        numbered = list(_numbered(extractor, parent))
        for index, (section, (number, part), line) in enumerate(numbered[1:], start=1):
            (before, before_part), before_line = numbered[index - 1][1:]
            after = numbered[index + 1][1][0] if index + 1 < len(numbered) else 2
            if number == before + 1 or (number == 1 and after == 2) or (part and number == before):
                continue
            if number == before and _phases(section, numbered[index - 1][0]):
                continue
            again = number <= before
            fix = "renumber the headings" if again else "restore the missing part or renumber the headings"
            extractor.defect(
                "numbering_duplicate" if again else "numbering_gap",
                section,
                line,
                f"this heading is numbered {number}{part} after {before}{before_part} (line "
                f"{before_line}), so the headings' numbering {'repeats' if again else 'skips'} a "
                f"number, as the page shows it: {fix}",
                (before_line,) if before_line else (),
            )
            break


def _numbered(
    extractor: Extraction, parent: nodes.Element
) -> Iterator[tuple[nodes.section, tuple[int, str], int | None]]:
    """The subsections of ``parent`` whose headings are typed with a step number, with the
    number and letter of its part (:func:`typed_step_number`) and the heading's line."""
    for section in parent.children:
        if isinstance(section, nodes.section) and section.children:
            typed = typed_step_number(clean(plain_text(section[0])))
            if typed is not None:
                yield section, typed, heading_line(extractor, section)


#: a part of a step named with its own number: ``Phase 2``, ``Part 1``, ``Stage 3``
_PHASE = re.compile(r"\b(?P<word>phase|part|stage)\s+(?P<number>\d{1,2})\b", re.I)


def _phases(section: nodes.section, before: nodes.section) -> bool:
    """Whether two headings typed with one step number name two parts of it (``Phase 1``,
    ``Phase 2``), not the same step twice."""
    mine, theirs = (_PHASE.search(plain_text(s[0])) for s in (section, before))
    return (
        mine is not None
        and theirs is not None
        and mine["word"].lower() == theirs["word"].lower()
        and mine["number"] != theirs["number"]
    )
