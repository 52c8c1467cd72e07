"""List mistakes read from the source: a step's body or sub-list indented too little to stay
in the step, and lists nested deeper than Markdown reads; each recorded with its fix."""

from __future__ import annotations

from collections.abc import Iterator

from docutils import nodes

from ..doctree import LISTS, node_line
from ..list_source import spaces
from .context import Extraction
from .steps import Draft, continues


def sublist_fell_out(
    ex: Extraction,
    node: nodes.Node,
    indent: int | None,
    previous: Draft,
    last_list: list[Draft],
    next_list: nodes.Node | None,
) -> bool:
    """Whether a list after a step is the step's sub-list, indented too little to stay in it
    (a list at the margin only when the step list carries on after it); else it is a list
    detached from its step."""
    content = previous.marker.content if previous.marker is not None else None
    if (
        previous.step.origin != "item"
        or indent is None
        or content is None
        or indent >= content
        or (indent == 0 and not (next_list is not None and continues(last_list, next_list, ex)))
    ):
        return False
    ex.defect(
        "outdented_sublist",
        node_line(node),
        f"this list is indented {spaces(indent)}, less than the text of step "
        f"{previous.step.number or ''} above it (column {content}), so it is not part of that "
        f"step; indent it by {spaces(content - indent)} more",
    )
    return True


def body_fell_out(
    extractor: Extraction,
    node: nodes.Node,
    previous: Draft,
    last_list: list[Draft],
    next_list: nodes.Node | None,
) -> bool:
    """Whether a block after a step is that step's body, indented too little to stay in it."""
    if previous.step.origin != "item" or previous.marker is None or not last_list:
        return False
    indent = extractor.indent(node)
    if indent is None:
        return False
    content = previous.marker.content
    number = previous.step.number or ""
    if 0 < indent < content:
        extractor.defect(
            "outdented_body",
            node_line(node),
            f"this line is indented {spaces(indent)}, less than the text of step {number} (column "
            f"{content}), so it falls out of the step; indent it by {spaces(content - indent)} more "
            f"to keep it in step {number}",
        )
        return True
    # at the margin, prose between steps may be meant as prose; not when every step is a
    # one-item list (bodies written unindented), nor for commands, which belong to a step
    if (
        indent == 0
        and (len(last_list) == 1 or isinstance(node, nodes.literal_block))
        and isinstance(next_list, nodes.Element)
        and continues(last_list, next_list, extractor)
    ):
        extractor.defect(
            "outdented_body",
            node_line(node),
            f"this line is not indented, so it ends the list and splits the steps into one-item "
            f"lists; indent it by {spaces(content)} to keep it in step {number}",
        )
        return True
    return False


def lost_to_nesting(extractor: Extraction, root: nodes.Element) -> None:
    """Markdown stops reading a list nested deeper than it allows: the item and what follows are lost."""
    if extractor.source is None:
        return
    for item in root.findall(nodes.list_item):
        if item.children:
            continue
        line = node_line(item)
        text = extractor.source.line(line)
        marker = extractor.source.marker(line)
        if text is None or marker is None or not text[marker.content :].strip():
            continue
        depth = sum(1 for parent in _ancestors(item, root) if isinstance(parent, LISTS))
        extractor.defect(
            "nesting_too_deep",
            line,
            f"this item is nested {depth} lists deep, deeper than Markdown reads: it and everything "
            "after it up to the end of the block are missing from the page; nest the list less deeply",
        )
        return


def _ancestors(node: nodes.Node, stop: nodes.Node) -> Iterator[nodes.Node]:
    parent = node.parent
    while parent is not None and parent is not stop:
        yield parent
        parent = parent.parent
