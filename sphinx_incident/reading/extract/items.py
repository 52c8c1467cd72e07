"""Mistakes in a list's items, read from the source: an item with no text of its own, a
step typed as the last line of the paragraph above its list, and lists nested deeper than
Markdown reads; each recorded with its fix."""

from __future__ import annotations

from collections.abc import Iterator

from docutils import nodes

from ..doctree import INVISIBLE, LISTS, ancestors, node_line
from .context import Extraction
from .places import shown_number
from .splitting import numbered_lines
from .steps import Draft


def empty_items(extractor: Extraction, root: nodes.Element) -> None:
    """A list item with nothing of its own before the list it holds: two markers on one line
    (``- - text``), or a marker alone over an indented list. The page shows a bare bullet or
    number beside the list; the checklist, a step with no text."""
    for item in root.findall(nodes.list_item):
        first = next((c for c in item.children if not isinstance(c, INVISIBLE)), None)
        if not isinstance(first, LISTS):
            continue
        line = extractor.item_line(item)
        source = extractor.lines(item)
        outer = source.marker(line) if source is not None else None
        inner = source.marker(line, outer.content) if source is not None and outer is not None else None
        if inner is not None and _outline(item, first):
            continue
        number = shown_number(item)
        mark = "bullet" if number is None else f"number {number}"
        if outer is not None and inner is not None:
            message = (
                f"the item at line {line} starts with two markers (`{outer.text} {inner.text}`), "
                f"so it holds nothing but the list the second one opens: the page shows an empty "
                f"{mark} beside that list, and the checklist a step with no text; remove the first "
                "marker (and indent what was meant as the item's sub-list under its text)"
            )
        else:
            message = (
                f"the item at line {line} has no text of its own, only the list under it: the page "
                f"shows an empty {mark} and the checklist a step with no text; write what the step "
                "is on the marker's line, above its list"
            )
        extractor.defect("empty_item", item, line, message)


def _outline(item: nodes.Element, inner: nodes.Node) -> bool:
    """A number followed on its line by a letter or a roman numeral (``5. a) ...``): an outline
    numbered on purpose, its point 5 made of the lettered points, not a marker typed twice."""
    outer = item.parent
    return (
        isinstance(outer, nodes.enumerated_list)
        and isinstance(inner, nodes.enumerated_list)
        and outer.get("enumtype") != inner.get("enumtype")
    )


def run_into_the_text_above(extractor: Extraction, root: nodes.Element, drafts: list[Draft]) -> None:
    """The step before a list that starts after 1, written as the last line of the paragraph
    above it with no blank line: a list that does not start at 1 cannot interrupt a paragraph
    in Markdown (and none can in rST), so the page shows the step as text (``stray_step``).
    Once per step: one folded after a list is its step's already (:attr:`Step.swallowed`)."""
    known = {note.line for draft in every_draft(drafts) for note in draft.step.swallowed}
    for lst in root.findall(nodes.enumerated_list):
        start = int(lst.get("start", 1))
        parent = lst.parent
        if start <= 1 or parent is None:
            continue
        found = _folded_above(parent.children[: parent.index(lst)], str(start - 1))
        if found is None or found[1] in known:
            continue
        paragraph, line, text = found
        extractor.defect(
            "stray_step",
            paragraph,
            line,
            f"{extractor.noun} {start - 1} ({text}) is a line of a paragraph above the list, which starts at "
            f"{start}: with no blank line before it, it is more of the paragraph's text on the page; "
            f"put a blank line before it (and after its text), and the list starts at {start - 1}",
        )


def _folded_above(blocks: list[nodes.Node], number: str) -> tuple[nodes.Node, int | None, str] | None:
    """The line typed as step ``number`` in the paragraphs right above a list (up to the list,
    heading or block before them): the paragraph, the line, the step's text."""
    for block in reversed(blocks):
        if isinstance(block, INVISIBLE):
            continue
        if not isinstance(block, nodes.paragraph):
            return None
        folded = [entry for entry in numbered_lines(block) if entry[0] == number]
        if folded:
            return block, folded[-1][1], folded[-1][2]
    return None


def every_draft(drafts: list[Draft]) -> Iterator[Draft]:
    """The drafts and their sub-steps', depth first."""
    for draft in drafts:
        yield draft
        yield from every_draft(draft.children)


def lost_to_nesting(extractor: Extraction, root: nodes.Element) -> None:
    """Markdown stops reading a list nested deeper than it allows: the item and what follows are lost."""
    if not extractor.markdown:  # rST has no such limit
        return
    for item in root.findall(nodes.list_item):
        source = extractor.lines(item)
        if item.children or source is None:
            continue
        line = node_line(item)
        text = source.line(line)
        marker = source.marker(line)
        if text is None or marker is None or not text[marker.content :].strip():
            continue
        depth = sum(1 for parent in ancestors(item, root) if isinstance(parent, LISTS))
        extractor.defect(
            "nesting_too_deep",
            item,
            line,
            f"this item is nested {depth} lists deep, deeper than Markdown reads: it and everything "
            "after it up to the end of the block are missing from the page; nest the list less deeply",
        )
        return
