"""Where a stretch of blocks that fell out of a list lies, and how a finding names it: its
lines ("lines 8-12 are"), its verb ("they fall"), and where the list it split carries on."""

from __future__ import annotations

import re

from docutils import nodes

from ...model.numbers import format_number
from ..doctree import INVISIBLE, node_line
from .context import Extraction
from .steps import Draft


def last_block(draft: Draft) -> nodes.Node | None:
    return next((c for c in reversed(draft.node.children) if not isinstance(c, INVISIBLE)), None)


def lines_of(ex: Extraction, blocks: list[nodes.Node]) -> str:
    first = ex.first_line(blocks[0])
    last = last_line(ex, blocks[-1])
    if first is None or last is None or last <= first:
        return f"line {first} is" if first is not None else "this block is"
    return f"lines {first}-{last} are"


#: the line that closes a Markdown code fence
_FENCE_END = re.compile(r"^\s*(?:`{3,}|~{3,})\s*$")


def _has_line(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and bool(node.line)


def last_line(ex: Extraction, node: nodes.Node) -> int | None:
    """The last source line of a block: its first line and the lines of its text, or the
    last non-blank line before the next block."""
    first = node_line(node)
    source = ex.lines(node)
    if first is None or source is None:
        return first
    parent = node.parent
    after = None
    if parent is not None:
        later = parent.children[parent.index(node) + 1 :]
        after = next((node_line(b) for b in later if node_line(b) is not None), None)
    if after is None and isinstance(node, nodes.Element) and not isinstance(node, nodes.TextElement):
        # the last block of its box or section holds blocks of its own (a note): it ends before
        # what comes next on the page, its closing fence with it
        following = node.next_node(_has_line, descend=False, siblings=True, ascend=True)
        if following is not None and ex.lines(following) is source and (following.line or 0) > first:
            after = following.line
    stop = after if after is not None else first + node.astext().count("\n") + 1
    last = first
    for number in range(first, stop):
        if (source.line(number) or "").strip():
            last = number
    closing = source.line(last + 1) or ""
    if after is None and ex.markdown and isinstance(node, nodes.literal_block) and _FENCE_END.match(closing):
        last += 1  # a fence's closing line, which its text does not count
    return last


def fall(lines: str) -> str:
    return "they fall" if lines.startswith("lines") else "it falls"


def them(lines: str) -> str:
    return "them" if lines.startswith("lines") else "it"


def splits(lines: str) -> str:
    return "split" if lines.startswith("lines") else "splits"


def resumes(last_list: list[Draft], following: nodes.Node | None) -> tuple[str, tuple[int, ...]]:
    """Where the list that a mistake splits carries on, as a message names it ("the list then
    carries on at line 35, where it now starts again at 1"), and that line."""
    items = [c for c in following.children if isinstance(c, nodes.list_item)] if following else []
    line = node_line(items[0]) if items else None
    if line is None:
        return " (the list then carries on)", ()
    assert isinstance(following, nodes.Element)
    shown = shown_number(last_list[-1].node) if last_list else None
    start = int(following.get("start", 1))
    if isinstance(following, nodes.enumerated_list) and shown is not None and start <= shown:
        number = format_number(start, str(following.get("enumtype", "arabic")))
        return f" (the list then carries on at line {line}, where it now starts again at {number})", (line,)
    return f" (the list then carries on at line {line})", (line,)


def shown_number(item: nodes.Node) -> int | None:
    """The number the page shows for an item of a numbered list, as the parser read it."""
    lst = item.parent
    if not isinstance(lst, nodes.enumerated_list):
        return None
    items = [c for c in lst.children if isinstance(c, nodes.list_item)]
    return int(lst.get("start", 1)) + items.index(item) if item in items else None
