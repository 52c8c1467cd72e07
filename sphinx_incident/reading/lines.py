"""The lines of what a Markdown page's nested directives hold, as the page has them.

MyST-Parser numbers the content of a directive nested in another one line too
far down for each level it is nested (a list in a ``tab-item`` of a
``tab-set``, a note in a note). Everything read from the source at those lines
then misses: a step's marker, the column a command starts at. Before a page's
runbooks are read, each box's lines are checked against the source: where the
text of its first paragraph stands a line or more above where the box says, the
box's content is moved up to it. Where the lines are right (rST pages, a box at
the top level, a parser that numbers them rightly), nothing moves.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from docutils import nodes

from .doctree import every
from .list_source import SourceLines

#: the furthest a box's content is found above where it says it is: one line a level
_MOST_LEVELS = 3
#: words that find a paragraph's first line in the source, whatever its inline markup
_WORD = re.compile(r"[^\W_][\w'-]{2,}")
#: nodes that hold text or lists of their own, or are parts of one (an item, a table's row or
#: cell, a definition): no directive makes them, so they stand where their box does
_NOT_BOXES = (
    nodes.document,
    nodes.section,
    nodes.TextElement,
    nodes.Inline,
    nodes.Part,
    nodes.bullet_list,
    nodes.enumerated_list,
    nodes.definition_list,
    nodes.table,
)


def mend_nested_lines(document: nodes.document, lines_of: Callable[[nodes.Node], SourceLines | None]) -> None:
    """Move the content of each box on a Markdown page to the lines its text stands on in
    the source (``lines_of``: a node's file's lines). Boxes are taken outermost first, so
    a box inside one that moved is measured where it now is."""
    for box in _boxes(document):
        source = lines_of(box)
        if source is None:
            continue
        shift = _shift(box, source)
        if shift:
            for node in box.findall(include_self=False):
                if isinstance(node, nodes.Element) and node.line:
                    node.line += shift


def _boxes(document: nodes.document) -> list[nodes.Element]:
    """The page's boxes, outermost first, in document order. Text (a paragraph, a title, a
    literal block and what is inline in them) holds no box: it is not walked into."""
    return [
        node
        for node in every(document, nodes.Element, not_into=nodes.TextElement)
        if not isinstance(node, _NOT_BOXES)
    ]


def _shift(box: nodes.Element, source: SourceLines) -> int:
    """How far up the source has the text of a box's first paragraph (its own, or its first
    list's first item's), as a negative number; 0 where it is where the box says."""
    paragraph = _first_paragraph(box)
    if paragraph is None or not paragraph.line:
        return 0
    words = _WORD.findall(paragraph.astext().split("\n", 1)[0])[:3]
    if not words:
        return 0
    for shift in range(0, -_MOST_LEVELS - 1, -1):
        text = source.line(paragraph.line + shift)
        if text is not None and _in_order(words, text):
            return shift
    return 0


def _first_paragraph(box: nodes.Element) -> nodes.paragraph | None:
    for child in box.children:
        if isinstance(child, nodes.paragraph):
            return child
        if isinstance(child, nodes.bullet_list | nodes.enumerated_list) and child.children:
            item = child.children[0]
            first = item.children[0] if isinstance(item, nodes.Element) and item.children else None
            return first if isinstance(first, nodes.paragraph) else None
    return None


def _in_order(words: list[str], text: str) -> bool:
    position = 0
    for word in words:
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True
