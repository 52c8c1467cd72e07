"""Markdown code fences paired wrongly: a fence closed by a line that opens another, or a fence
left out, so the next one opens where the author closed. A line of backticks with a language
after it (```` ```sql ````) cannot close a fence, so the code runs on past it, and the steps,
text and code after it show as code up to the next bare fence (or the end of the step, or
of the page)."""

from __future__ import annotations

import re

from docutils import nodes

from ..list_source import SourceLines
from .context import Extraction
from .fences import fenced

#: a fence line: three backticks or tildes or more, then perhaps a language or directive
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\s`][^`]*)?$")

#: how many lines of options (``:caption:``, ``:linenos:``) a fenced directive may have
#: before its code
_OPTIONS = 12


def unclosed_fences(ex: Extraction, root: nodes.Element) -> None:
    """Report each fenced code block of a Markdown runbook whose code holds the opening line of
    another fence of its kind (``unclosed_fence``): the fence meant to close the code is not
    there, or not bare, so the code swallowed what came after."""
    if not ex.markdown:
        return
    for block in root.findall(nodes.literal_block):
        if not fenced(ex, block):
            continue
        opening = ex.first_line(block)
        source = ex.lines(block)
        if opening is None or source is None:
            continue
        fence = _FENCE.match(source.line(opening) or "")
        if fence is None:
            continue
        code = block.astext().splitlines()
        inner = next(
            (
                (offset, found)
                for offset, text in enumerate(code, start=1)
                if (found := _FENCE.match(text)) is not None
                and found["info"]
                and found["fence"][0] == fence["fence"][0]
                and len(found["fence"]) >= len(fence["fence"])
            ),
            None,
        )
        if inner is None:
            continue
        offset, found = inner
        start = _first_code_line(source, opening, code[0])  # after a directive's options, if any
        line, last = start + offset - 1, start + len(code) - 1
        shown = found["fence"] + found["info"].strip()
        ex.defect(
            "unclosed_fence",
            block,
            opening,
            f"the code fence opened at line {opening} is not closed before line {line}, which opens "
            f"another ({shown}): a fence with a language after it cannot close one, so lines "
            f"{opening + 1}-{last} show as one code block, text and all; close the code with a bare "
            f"{fence['fence']} line before line {line}, or, if line {opening} was meant to close "
            "the code above it, add the fence that opens that code",
            related=(line,),
            end_line=last,
        )


def _first_code_line(source: SourceLines, opening: int, first: str) -> int:
    """The line the code starts at: the first after the fence that reads as the code's first
    line (a directive's options come between them)."""
    for number in range(opening + 1, opening + 1 + _OPTIONS):
        if (source.line(number) or "").strip() == first.strip():
            return number
    return opening + 1
