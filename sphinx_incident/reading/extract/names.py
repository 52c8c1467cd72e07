"""How a finding names a step, or an item of a list that is no procedure, when it has no
number: by its first words, as the page shows them."""

from __future__ import annotations

from docutils import nodes

from ..doctree import INVISIBLE, block_text


def named(noun: str, words: str, line: int | None) -> str:
    """``the step 'Drain the node'``: by its first six words, else by its line."""
    short = " ".join(words.split()[:6]) + ("..." if len(words.split()) > 6 else "")
    return f"the {noun} '{short}'" if short else f"the {noun} at line {line}"


def first_words(node: nodes.Node) -> str:
    """The text of an item's first block; of a definition list there (rST made one of the
    step's text and the list under it), its term's, not its sub-items' too."""
    blocks = (
        [c for c in node.children if not isinstance(c, INVISIBLE)] if isinstance(node, nodes.Element) else []
    )
    if not blocks:
        return block_text(node)
    if isinstance(blocks[0], nodes.definition_list):
        term = next(blocks[0].findall(nodes.term), None)
        return term.astext() if term is not None else ""
    return block_text(blocks[0])
