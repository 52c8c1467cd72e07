"""Steps typed inside a reStructuredText line block (each line opened with ``|``, which keeps
the line breaks as typed): the page shows lines of text with numbers in them, not a list to
follow or tick, and nothing numbers them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docutils import nodes

from ..doctree import node_line
from .context import Extraction

#: a line of a line block typed as a step: ``1. Log in``, ``2) Click Create``
_NUMBERED = re.compile(r"^\s*(?P<number>\d{1,2})[.)]\s+\S")


def steps_in_line_blocks(extractor: Extraction, root: nodes.Element) -> None:
    """Report (``stray_step``) each run of lines numbered 1, 2, ... in turn, two or more, in
    the line blocks that stand side by side in one part of the page (one block, or one per
    step with code or notes between): one finding for the run, at its first line."""
    parents: dict[int, list[nodes.line_block]] = {}
    for block in root.findall(nodes.line_block):
        if not isinstance(block.parent, nodes.line_block):  # an indented line block is its lines'
            parents.setdefault(id(block.parent), []).append(block)
    for blocks in parents.values():
        for run in _runs(blocks):
            lines = [line for _number, line in run]
            numbers = ", ".join(f"`{number}.`" for number, _line in run)
            where = (
                f"lines {lines[0]}-{lines[-1]}"
                if lines[-1] - lines[0] == len(lines) - 1
                else ("lines " + ", ".join(str(line) for line in lines))
            )
            extractor.defect(
                "stray_step",
                blocks[0],
                lines[0],
                f"{where} are typed as steps ({numbers}) inside a line block (each line opened with "
                "`|`), so the page shows them as lines of text, not a list: write them as a "
                "numbered list, without the `|`",
                tuple(lines[1:]),
            )


def _runs(blocks: list[nodes.line_block]) -> Iterator[list[tuple[int, int]]]:
    """The runs of lines numbered 1, 2, ... in turn, two or more, as ``(number, line)``; a
    number out of turn ends a run (and a 1 starts the next)."""
    run: list[tuple[int, int]] = []
    for block in blocks:
        for line in block.findall(nodes.line):
            match = _NUMBERED.match(line.astext())
            at = node_line(line)
            if match is None or at is None:
                continue
            number = int(match["number"])
            if number == len(run) + 1:
                run.append((number, at))
                continue
            if len(run) >= 2:
                yield run
            run = [(number, at)] if number == 1 else []
    if len(run) >= 2:
        yield run
