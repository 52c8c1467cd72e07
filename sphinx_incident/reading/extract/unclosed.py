"""Markdown code fences paired wrongly: a fence closed by a line that opens another, or a fence
left out, so the next one opens where the author closed. A line of backticks with a language
after it (```` ```sql ````) cannot close a fence, so the code runs on past it, and the steps,
text and code after it show as code up to the next bare fence (or the end of the step, or
of the page)."""

from __future__ import annotations

import re

from docutils import nodes

from ..list_source import SourceLines, spaces
from .context import Extraction

#: a fence line: three backticks or tildes or more, then perhaps a language or directive
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\s`][^`]*)?$")

#: a Markdown heading (``## Next section``)
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S")
#: how many lines of options (``:caption:``, ``:linenos:``) a fenced directive may have
#: before its code
_OPTIONS = 12


def unclosed_fences(ex: Extraction, root: nodes.Element) -> None:
    """Report each fenced code block of a Markdown runbook that swallowed what came after it
    (``unclosed_fence``): its code holds the opening line of another fence of its kind (the
    fence meant to close it is not there, or not bare), or it is never closed and runs on
    over the page's next headings."""
    if not ex.markdown:
        return
    for block in root.findall(nodes.literal_block):
        source = ex.lines(block)
        opening = ex.first_line(block)
        if source is None or opening is None:
            continue
        fence = _fence_line(source, opening)  # none for indented code
        code = block.astext().splitlines()
        if fence is None or not code or (source.line(opening) or "").strip() == code[0].strip():
            continue  # indented code whose own first line shows a fence
        start = _first_code_line(source, opening, code[0])  # after a directive's options, if any
        last = start + len(code) - 1
        found = _opens_another(source, fence, code, start, opening) or _never_closed(
            source, fence, code, start, opening
        )
        if found is not None:
            line, message = found
            ex.defect("unclosed_fence", block, opening, message, related=(line,), end_line=last)


def _closes_above(source: SourceLines, fence: re.Match[str], opening: int) -> tuple[int, int, int] | None:
    """The line and column of the fence above that a bare fence at ``opening`` was typed to
    close, when it is set in less than that fence: it ends the list item the code is in, and
    opens code of its own instead. The nearest fence line above, of the kind, deeper, and one
    that opens code (the fences above it pair up)."""
    if fence["info"]:
        return None
    column = source.indent(opening) or 0
    for number in range(opening - 1, 0, -1):
        above = _fence_line(source, number)
        if above is None:
            continue
        deeper = source.indent(number) or 0
        opens = sum(_fence_line(source, n) is not None for n in range(1, number + 1)) % 2 == 1
        return (number, deeper, column) if _of_the_kind(fence, above) and deeper > column and opens else None
    return None


def _opens_another(
    source: SourceLines, fence: re.Match[str], code: list[str], start: int, opening: int
) -> tuple[int, str] | None:
    """A line of the code that opens another fence of the kind (a language after it)."""
    for offset, text in enumerate(code):
        found = _FENCE.match(text)
        if found is None or not found["info"] or not _of_the_kind(found, fence):
            continue
        line = start + offset
        shown = found["fence"] + found["info"].strip()
        closes = _closes_above(source, fence, opening)  # only for a fence that went wrong
        if closes is not None:
            above, column, here = closes
            return line, (
                f"line {opening} was typed to close the code fence at line {above}, but it is "
                f"indented {spaces(here)}, less than that fence (column {column}), so it ends the "
                f"list item that code is in and opens code of its own: lines {opening + 1}-"
                f"{start + len(code) - 1} show as one code block, text, the fence at line {line} "
                f"({shown}) and all; indent it to column {column}"
            )
        return line, (
            f"the code fence opened at line {opening} is not closed before line {line}, which opens "
            f"another ({shown}): a fence with a language after it cannot close one, so lines "
            f"{opening + 1}-{start + len(code) - 1} show as one code block, text and all; close the "
            f"code with a bare {fence['fence']} line before line {line}, or, if line {opening} was "
            "meant to close the code above it, add the fence that opens that code"
        )
    return None


def _never_closed(
    source: SourceLines, fence: re.Match[str], code: list[str], start: int, opening: int
) -> tuple[int, str] | None:
    """A fence no line closes, whose code runs on over a heading: the rest of the page is
    code (a fence left open at the end of a page, over code only, shows as meant)."""
    number = start + len(code)
    while source.line(number) is not None:
        if (
            (closing := _fence_line(source, number)) is not None
            and not closing["info"]
            and _of_the_kind(closing, fence)
        ):
            return None
        number += 1
    heading = next((offset for offset in range(1, len(code) - 1) if _set_apart_heading(code, offset)), None)
    if heading is None:
        return None
    line = start + heading
    return line, (
        f"the code fence opened at line {opening} is never closed, so the rest of the page shows "
        f"as code, the heading at line {line} and all after it; close the code with a bare "
        f"{fence['fence']} line where it ends"
    )


def _set_apart_heading(code: list[str], offset: int) -> bool:
    """A Markdown heading with a blank line before and after it, as a page's are (a comment in
    a script is written right above its command)."""
    return bool(HEADING.match(code[offset])) and not code[offset - 1].strip() and not code[offset + 1].strip()


def _fence_line(source: SourceLines, number: int) -> re.Match[str] | None:
    """The fence on a line of the source, at whatever depth of lists it is indented (the code's
    own lines are read without their list's indentation, so ``_FENCE`` applies to them as is)."""
    return _FENCE.match((source.line(number) or "").lstrip(" \t"))


def _of_the_kind(found: re.Match[str], fence: re.Match[str]) -> bool:
    """Whether a fence line could close ``fence``: the same character, as many or more."""
    return found["fence"][0] == fence["fence"][0] and len(found["fence"]) >= len(fence["fence"])


def _first_code_line(source: SourceLines, opening: int, first: str) -> int:
    """The line the code starts at: the first after the fence that reads as the code's first
    line (a directive's options come between them)."""
    for number in range(opening + 1, opening + 1 + _OPTIONS):
        if (source.line(number) or "").strip() == first.strip():
            return number
    return opening + 1
