"""The blocks of a runbook: what a section or a ``runbook`` directive holds, the boxes a
procedure may sit in (admonitions, dropdowns, tabs, cards), and admonitions in steps."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from ...model import Admonition
from ..doctree import LISTS, block_text, clean, node_line, plain_text

#: docutils' specific admonition node classes, by the kind they name
_ADMONITION_KINDS = frozenset(
    "attention caution danger error hint important note tip warning seealso todo".split()
)


def own_blocks(root: nodes.Element, skip: set[int], directive: bool) -> list[nodes.Node]:
    """The blocks a runbook holds, in source order.

    A section's subsections are not its content (section scope); a ``runbook``
    directive holds everything inside it, its headings included. ``only``
    blocks are looked into (their steps carry the condition).
    """
    found: list[nodes.Node] = []
    for child in root.children:
        if id(child) in skip or isinstance(child, nodes.title):
            continue
        if isinstance(child, nodes.section):
            if directive:
                found.extend(own_blocks(child, skip, directive))
            continue
        if isinstance(child, addnodes.only):
            found.extend(own_blocks(child, skip, directive))
            continue
        found.append(child)
    return found


def lift_quoted_lists(body: list[nodes.Node]) -> list[nodes.Node]:
    """An item's blocks, each block quote that opens with a list replaced by its blocks: rST
    quotes a sub-list set a column or more past its item's text, with whatever the author
    set at that column after it (code, a note, more sub-lists), and the page shows it as
    the item's sub-list, set in a little further, and what follows it."""
    lifted: list[nodes.Node] = []
    for index, block in enumerate(body):
        quoted = isinstance(block, nodes.block_quote) and bool(block.children)
        if index and quoted and isinstance(block.children[0], LISTS):
            lifted.extend(block.children)
        else:
            lifted.append(block)
    return lifted


def subsections(root: nodes.Element, skip: set[int]) -> list[nodes.section]:
    return [c for c in root.children if isinstance(c, nodes.section) and id(c) not in skip]


def list_in(container: nodes.Element, kind: type) -> nodes.Element | None:
    """The first list of a kind in a box, not inside another list."""
    for node in container.findall(kind, include_self=False):
        parent = node.parent
        inside_item = False
        while parent is not None and parent is not container:
            if isinstance(parent, nodes.list_item):
                inside_item = True
                break
            parent = parent.parent
        if not inside_item:
            return node
    return None


def read_admonition(node: nodes.Element) -> Admonition:
    """An admonition (``warning``, ``note``, a titled ``admonition``...) as the model keeps it."""
    classes = [str(c) for c in node.get("classes", ())]
    if node.tagname in _ADMONITION_KINDS:
        kind = node.tagname
    else:
        kind = next((c for c in classes if c in _ADMONITION_KINDS), node.tagname)
    title_node = next((c for c in node.children if isinstance(c, nodes.title)), None)
    title = clean(plain_text(title_node)) if title_node is not None else kind.capitalize()
    body = [c for c in node.children if not isinstance(c, nodes.title)]
    text = "\n\n".join(t for t in (block_text(b) for b in body) if t)
    # the title is on the directive's own line; docutils before 0.22 gives the node the
    # line its body starts on
    line = title_node.line if title_node is not None and title_node.line else node_line(node)
    return Admonition(kind=kind, title=title, text=text, line=line, classes=tuple(classes))


def read_figure(node: nodes.Element) -> Admonition:
    """A figure as the model keeps it, apart from the step's text: its caption the title,
    its legend the text (the image itself is no text)."""
    caption = next((c for c in node.children if isinstance(c, nodes.caption)), None)
    legend = next((c for c in node.children if isinstance(c, nodes.legend)), None)
    title = clean(plain_text(caption)) if caption is not None else "Figure"
    text = block_text(legend) if legend is not None else ""
    return Admonition(kind="figure", title=title, text=text, line=node_line(node), classes=())
