"""Where a stretch of blocks that fell out of a list lies, and how a finding names it: its
lines ("lines 8-12 are", in the page where includes brought it in), its verb ("they fall"),
where the list it split carries on, and the finding itself, once :mod:`.defects` has decided
that the stretch fell out (at the list's margin, or set in too little)."""

from __future__ import annotations

import re

from docutils import nodes

from ...model.numbers import format_number
from ..doctree import INVISIBLE, node_line
from ..list_source import SourceLines, spaces
from .context import Extraction
from .steps import Draft, heading_line, step_label


def last_block(draft: Draft) -> nodes.Node | None:
    return next((c for c in reversed(draft.node.children) if not isinstance(c, INVISIBLE)), None)


def lines_of(ex: Extraction, blocks: list[nodes.Node]) -> str:
    return lines_between(ex.first_line(blocks[0]), last_line(ex, blocks[-1]))


def lines_between(first: int | None, last: int | None) -> str:
    """How a finding names the lines of a stretch: "lines 8-12 are", "line 8 is"."""
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
        after = next((line for b in later if (line := _starts(ex, b)) is not None), None)
    if after is None and isinstance(node, nodes.Element) and not isinstance(node, nodes.TextElement):
        # the last block of its box or section holds blocks of its own (a note): it ends before
        # what comes next on the page, its closing fence with it
        following = node.next_node(_has_line, descend=False, siblings=True, ascend=True)
        if following is not None and ex.lines(following) is source and (following.line or 0) > first:
            after = following.line
    if after is None and not ex.markdown and isinstance(node, nodes.literal_block):
        # an rST code block, nothing after it on the page to stop at: the directive holds the
        # lines set in under it, blank ones between
        return _directive_end(source, first, len(source.lines) + 1, None, body=True)
    stop = after if after is not None else first + node.astext().count("\n") + 1
    last = first
    for number in range(first, stop):
        if (source.line(number) or "").strip():
            last = number
    closing = source.line(last + 1) or ""
    if after is None and ex.markdown and isinstance(node, nodes.literal_block) and _FENCE_END.match(closing):
        last += 1  # a fence's closing line, which its text does not count
    return last


def _starts(ex: Extraction, node: nodes.Node) -> int | None:
    """The first source line of a block; of an rST section, its heading's overline or words,
    above the underline docutils gives the section."""
    if not isinstance(node, nodes.section) or ex.markdown:
        return node_line(node)
    line = heading_line(ex, node)
    source = ex.lines(node)
    above = (source.line(line - 1) or "").strip() if source is not None and line is not None else ""
    return line - 1 if line is not None and _ADORNMENT.match(above) else line


#: a line of one punctuation character repeated: an rST title's overline
_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1+$")


#: the line of an include directive: reStructuredText's, or MyST's fenced one (its fence)
_INCLUDE = re.compile(r"^\s*(?:\.\.\s+include::|(?P<fence>`{3,}|:{3,})\s*\{include\})")
#: how far past the step an include that brought a stretch in is looked for, with no later
#: block of the page to stop at
_INCLUDE_REACH = 200


def included_stretch(
    ex: Extraction, blocks: list[nodes.Node], step: nodes.Node, margin: int
) -> tuple[int, int, int] | None:
    """Where, in the page, a stretch lies that the page's include directives (set no further
    in than the list's ``margin``) bring in from other files, in part or whole: its first and
    last line there, and how many includes. The directive is where the author put what it
    brings in, so that is what to indent. ``None`` when the stretch is all the page's own, or
    the step is not the page's (the whole list is included)."""
    own = [block for block in blocks if ex.other_file(block) is None]
    if len(own) == len(blocks) or ex.other_file(step) is not None:
        return None
    includes = _includes(ex, blocks, step, margin)
    if not includes:
        return None
    lines = [
        line for block in own for line in (ex.first_line(block), last_line(ex, block)) if line is not None
    ]
    lines += [line for include in includes for line in include]
    return min(lines), max(lines), len(includes)


def _includes(
    ex: Extraction, blocks: list[nodes.Node], step: nodes.Node, margin: int
) -> list[tuple[int, int]]:
    """The first and last lines of the include directives at ``margin`` or less, from the
    page's ``step`` to its next block after the stretch."""
    start = node_line(step)
    if start is None or ex.source is None:
        return []
    after = blocks[-1].next_node(
        lambda node: _has_line(node) and ex.other_file(node) is None,
        descend=False,
        siblings=True,
        ascend=True,
    )
    stop = (
        after.line
        if isinstance(after, nodes.Element) and (after.line or 0) > start
        else start + _INCLUDE_REACH
    )
    found = []
    for number in range(start + 1, stop):
        indent = ex.source.indent(number)
        include = (
            _INCLUDE.match(ex.source.line(number) or "") if indent is not None and indent <= margin else None
        )
        if include is not None:
            found.append((number, _directive_end(ex.source, number, stop, include["fence"])))
    return found


def _directive_end(source: SourceLines, number: int, stop: int, fence: str | None, body: bool = False) -> int:
    """The last line of the directive at ``number``: its ``fence``'s closing line (MyST), or
    the last of the option lines set in under it (rST), or with its ``body`` the last line
    set in under it, past blank lines."""
    last = number
    for later in range(number + 1, stop):
        if fence is not None:
            if (source.line(later) or "").strip() == fence:
                return later
            continue
        indent = source.indent(later)
        if indent is None and body and source.line(later) is not None:
            continue
        if indent is None or indent <= (source.indent(number) or 0):
            break
        last = later
    return last


def at_margin(margin: int, previous: Draft) -> str:
    """Where a stretch at the list's margin stands: "not indented", or, in an indented list,
    at the column of its numbers or bullets."""
    if not margin:
        return "not indented"
    marks = "numbers" if isinstance(previous.node.parent, nodes.enumerated_list) else "bullets"
    return f"indented only as far as the list's {marks} (column {margin})"


def outer_body(ex: Extraction, sub_list: list[Draft], indents: list[int | None], floor: int | None) -> bool:
    """Whether blocks after a sub-list (``floor``: the text column of the step it is in), which
    no more of it follows, stand where the author sets the bodies of that step's siblings: the
    page shows them in that step, after its sub-steps, as the author set them (commands for all
    of them), not as a body the last sub-step lost. Not when the last sub-step leads in to them
    with a colon, nor when earlier sub-steps lost their bodies so (the sub-list is in pieces):
    the last one's went the same way."""
    if not sub_list or floor is None or sub_list[-1].node.astext().rstrip().endswith(":"):
        return False
    lst = sub_list[-1].node.parent
    outer = lst.parent if lst is not None else None
    written = {indent for indent in indents if indent is not None}
    if not written or lst is None or not isinstance(outer, nodes.list_item) or outer.parent is None:
        return False
    if any(isinstance(block, type(lst)) for block in outer.children[: outer.index(lst)]):
        return False  # an earlier piece of the sub-list, cut off by a body of its own
    columns = {
        ex.indent(block)
        for item in outer.parent.children
        if isinstance(item, nodes.list_item) and item is not outer
        for block in item.children[1:]
        if not isinstance(block, (nodes.bullet_list, nodes.enumerated_list, *INVISIBLE))
    }
    return written <= columns


def report_at_margin(
    ex: Extraction,
    blocks: list[nodes.Node],
    previous: Draft,
    splitting: bool,
    resumes: tuple[str, tuple[int, ...]],
) -> None:
    """Report blocks at the list's margin that fell out of the step ``previous`` (and, with
    ``splitting``, split the list in two); where they came in by include directives at the
    margin, the page's lines of the stretch, with them."""
    assert previous.marker is not None
    name = step_label(previous)
    content = previous.marker.content - previous.marker.indent  # its text's columns past the margin
    then, related = resumes
    node, first, last, brought = blocks[0], ex.first_line(blocks[0]), last_line(ex, blocks[-1]), ""
    included = included_stretch(ex, blocks, previous.node, previous.marker.indent)
    if included is not None:  # what to indent is the page's include, not the file it brings in
        node, (first, last, count) = previous.node, included
        brought = f", with what the include{' brings' if count == 1 else 's bring'} in,"
    lines = lines_between(first, last)
    split = f" and {splits(lines)} the list in two" if splitting else ""
    bare = (
        f"remove the blank line under the marker of {name} (a marker alone on its line over a "
        "blank line is an empty item) and "
        if _bare_marker(ex, previous)
        else ""
    )
    ex.defect(
        "outdented_body",
        node,
        first,
        f"{lines} {at_margin(previous.marker.indent, previous)}, so {fall(lines)} out of {name}{brought}"
        f"{split}; {bare}indent {them(lines)} by {spaces(content)} to keep {them(lines)} in {name}{then}",
        related,
        last,
    )


def _bare_marker(ex: Extraction, step: Draft) -> bool:
    """Whether a Markdown step is a marker alone on its line over a blank line (``1.``, a blank
    line, its code): under such a marker the item's content must start on the very next line,
    so Markdown ends this one at the blank line, empty, and indenting what the author meant as
    its content does not bring it back while the blank line stays."""
    source = ex.lines(step.node)
    line = ex.item_line(step.node)
    if not ex.markdown or source is None or line is None or step.marker is None or step.node.astext().strip():
        return False
    return (source.line(line) or "").strip() == step.marker.text and not (source.line(line + 1) or "").strip()


def report_too_little(
    ex: Extraction,
    blocks: list[nodes.Node],
    indent: int,
    column: int,
    name: str,
    resumes: tuple[str, tuple[int, ...]],
    split: str = "",
) -> None:
    lines = lines_of(ex, blocks)
    then, related = resumes
    ex.defect(
        "outdented_body",
        blocks[0],
        ex.first_line(blocks[0]),
        f"{lines} {f'indented {spaces(indent)}, less than' if indent else 'not indented to'} the text "
        f"of {name} (column {column}), so {fall(lines)} out of the {ex.noun}{split}; indent {them(lines)} by "
        f"{spaces(column - indent)}{' more' if indent else ''} "
        f"to keep {them(lines)} in {name}{then}",
        related,
        last_line(ex, blocks[-1]),
    )


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
