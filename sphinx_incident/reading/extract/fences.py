"""Code pasted at the margin inside a fenced code block a step ends with: Markdown ends the
step (and the code block) at the first line indented less than the step's text, so the rest
falls out of the step as text, or as a list when it is YAML's ``- name: web``."""

from __future__ import annotations

import itertools
import re

from docutils import nodes

from ..doctree import node_line
from ..list_source import spaces
from .carrying import continues
from .context import Extraction
from .places import fall, last_block, last_line, resumes, them
from .steps import Draft, step_label

#: the opening line of a fenced code block
FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")


def fenced(ex: Extraction, block: nodes.Node) -> bool:
    """Whether a code block is written between fences (else it is indented code)."""
    source = ex.lines(block)
    line = ex.first_line(block)
    return source is not None and line is not None and bool(FENCE.match(source.line(line) or ""))


def code_fell_out(
    ex: Extraction, node: nodes.Node, previous: Draft, last_list: list[Draft], next_list: nodes.Node | None
) -> bool:
    """Whether a list after a step is code pasted at the margin inside the fence the step ends
    with (YAML's ``- name: web``), which Markdown reads as a list once the margin cut the fence
    off: reported as the cut fence, not as a sub-list indented too little."""
    if previous.step.origin != "item" or previous.marker is None or not last_list:
        return False
    if cut_fence(ex, previous) != ex.first_line(node):
        return False  # the common case, decided without asking where the list carries on
    following = next_list if next_list is not None and continues(last_list, next_list, ex) else None
    return fence_cut(ex, previous, [node], previous.marker.content, following, last_list)


def fence_cut(
    ex: Extraction,
    previous: Draft,
    blocks: list[nodes.Node],
    column: int,
    following: nodes.Node | None,
    last_list: list[Draft],
) -> bool:
    """Whether the stretch starts where code pasted at the margin cut off the fence the step
    ends with; reported, with the list that ``following`` carries on, or the step that the
    fence's closing line, opening a code block of its own, swallows. The rest of the stretch
    (the fence's closing line on, perhaps read as indented code) is the step's too: it is whole
    again once the lines at the margin are."""
    cut = cut_fence(ex, previous)
    fence = last_block(previous)
    if cut is None or fence is None or not blocks or cut != ex.first_line(blocks[0]):
        return False
    cut_off = list(itertools.takewhile(lambda block: (ex.indent(block) or 0) < column, blocks))
    # up to the fence's own closing line, which then opens a code block at the margin
    closing = next((ex.first_line(b) for b in cut_off if isinstance(b, nodes.literal_block)), None)
    last = closing if closing is not None else last_line(ex, cut_off[-1])
    lines = f"lines {cut}-{last} are" if last is not None and last > cut else f"line {cut} is"
    then, related = resumes(last_list, following) if following is not None else ("", ())
    swallowed = _swallowed(ex, previous, blocks, closing)
    if swallowed is not None:
        source = ex.lines(fence)
        marker = source.marker(swallowed) if source is not None else None
        what = (
            f"{previous.noun} {marker.typed}"
            if marker is not None and marker.typed
            else f"the next {previous.noun}"
        )
        then = (
            f"; the fence at line {closing} then opens a code block that swallows {what} (line {swallowed})"
        )
        related = (swallowed,)
    ex.defect(
        "outdented_body",
        fence,
        cut,
        f"{lines} not indented, so the code block of {step_label(previous)} (its fence at line "
        f"{node_line(fence)}) ends there and {fall(lines)} out of the {previous.noun} as text; indent "
        f"{them(lines)} by {spaces(ex.indent(fence) or column)}, as the fence is{then}",
        related,
        last,
    )
    return True


def _swallowed(ex: Extraction, previous: Draft, blocks: list[nodes.Node], closing: int | None) -> int | None:
    """The line of the first step written inside the code block that a fence's closing line
    opens when the fence was cut off before it: a list marker at the column of the step's own."""
    block = next(
        (b for b in blocks if isinstance(b, nodes.literal_block) and ex.first_line(b) == closing), None
    )
    end = last_line(ex, block) if block is not None else None
    source = ex.lines(block)
    if closing is None or end is None or source is None or previous.marker is None:
        return None
    for number in range(closing + 1, end + 1):
        marker = source.marker(number)
        if marker is not None and marker.indent == previous.marker.indent and marker.typed is not None:
            return number
    return None


def cut_fence(ex: Extraction, draft: Draft) -> int | None:
    """The line that cuts off the fenced code block a step ends with: Markdown ends the step
    (and the code block) at the first line indented less than the step's text, so a command
    pasted at the margin inside an indented fence falls out of the step as a paragraph."""
    last = last_block(draft)
    source = ex.lines(last)
    if source is None or draft.marker is None or not isinstance(last, nodes.literal_block):
        return None
    opening = node_line(last)
    match = FENCE.match(source.line(opening) or "")
    if opening is None or match is None:
        return None
    closing = match["fence"][0] * len(match["fence"])
    content = draft.marker.content
    number = opening + 1
    while (text := source.line(number)) is not None:
        indent = source.indent(number)
        if indent is not None and indent < content:
            return number
        if indent is not None and text.strip().startswith(closing) and not text.strip(closing[0] + " "):
            return None  # closed inside the step
        number += 1
    return None
