"""Doctree helpers: the text a reader sees, and the source file and line of a node.

Shared by the extraction, the collector and the directives; pure functions of
docutils nodes as MyST-Parser, docutils' rST parser, Sphinx and sphinx-design
make them.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeVar

import docutils
from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

_WS = re.compile(r"\s+")

_N = TypeVar("_N", bound=nodes.Node)

#: the list node types: a step list, a sub-list, any list discovery classifies
LISTS = (nodes.bullet_list, nodes.enumerated_list)

#: node types that carry no content of their own (targets, comments, messages...)
INVISIBLE = (
    nodes.target,
    nodes.comment,
    nodes.system_message,
    nodes.substitution_definition,
    nodes.transition,
    nodes.footnote,
    nodes.citation,
    nodes.Invisible,
)


def quoted_lists(block: nodes.Node) -> list[nodes.Node]:
    """A list block, or the lists of a block quote that holds only lists."""
    if isinstance(block, LISTS):
        return [block]
    if (
        isinstance(block, nodes.block_quote)
        and block.children
        and all(isinstance(c, LISTS) for c in block.children)
    ):
        return list(block.children)
    return []


def every(
    root: nodes.Node, kind: type[_N], not_into: type[nodes.Node] | tuple[type[nodes.Node], ...] = ()
) -> list[_N]:
    """The nodes of ``kind`` in ``root``, itself included, in document order: what
    ``root.findall(kind)`` yields, walked without a generator per node (the walks that run
    over every node of every page). Nodes of ``not_into`` are taken, not walked into."""
    found: list[_N] = []
    todo = [root]
    while todo:
        node = todo.pop()
        if isinstance(node, kind):
            found.append(node)
        if node.children and not isinstance(node, not_into):
            todo.extend(reversed(node.children))
    return found


def clean(text: str) -> str:
    """Collapse whitespace as a browser would."""
    return _WS.sub(" ", text).strip()


def source_of(node: nodes.Node) -> str | None:
    """The file a node was read from: its own ``source``, else the nearest parent's (inline
    nodes of rST name none)."""
    holder: nodes.Node | None = node
    while holder is not None and not getattr(holder, "source", None):
        holder = holder.parent
    return str(holder.source) if holder is not None else None


#: docutils before 0.21 may give a definition list's entry and term the line after the term
_TERM_LINE_AFTER = docutils.__version_info__ < (0, 21)


def _own_line(node: nodes.Node) -> int | None:
    if _TERM_LINE_AFTER and node.line and isinstance(node, nodes.definition_list_item | nodes.term):
        # it does when the term takes its definition's first line; an entry after another in
        # the same list has its own line (a list item's terms over their sub-lists, say)
        entry = node if isinstance(node, nodes.definition_list_item) else node.parent
        definition = next((c for c in entry.children if isinstance(c, nodes.definition)), None)
        below = (
            next((c.line for c in definition.findall(include_self=False) if c.line), None)
            if definition
            else None
        )
        return node.line - 1 if below is None or below <= node.line else node.line
    return node.line


def node_line(node: nodes.Node | None) -> int | None:
    """The best source line for a node: its own, a descendant's, or an ancestor's."""
    if node is None:
        return None
    if node.line and isinstance(node, nodes.Inline):
        # parsers give inline nodes their paragraph's first line: add the line
        # breaks before the node so a reference on line 3 of a paragraph says so
        block = node.parent
        while block is not None and not isinstance(block, nodes.TextElement | nodes.Body):
            block = block.parent
        if isinstance(block, nodes.TextElement) and block.line == node.line:
            return node.line + _breaks_before(node, block)
        return node.line
    if node.line:
        return _own_line(node)
    if isinstance(node, nodes.Element):
        for child in node.findall(include_self=False):
            if child.line:
                return _own_line(child)
    parent = node.parent
    while parent is not None:
        if parent.line:
            if isinstance(parent, nodes.TextElement):
                # an inline node: its paragraph's line plus the line breaks before it
                return parent.line + _breaks_before(node, parent)
            return parent.line
        parent = parent.parent
    return None


def _breaks_before(node: nodes.Node, ancestor: nodes.Element) -> int:
    """How many line breaks the text of ``ancestor`` has before ``node`` starts (asked of every
    reference in a step: a paragraph's nodes, walked with :func:`every`)."""
    count = 0
    for child in every(ancestor, nodes.Node)[1:]:
        if child is node:
            break
        if isinstance(child, nodes.Text):
            count += child.count("\n")
    return count


def sole_entry(block: nodes.Node) -> tuple[nodes.term, list[nodes.Node]] | None:
    """A definition list of one entry: its term and the visible blocks of its definition."""
    entries = definition_entries(block)
    return entries[0] if len(entries) == 1 else None


def definition_entries(block: nodes.Node) -> list[tuple[nodes.term, list[nodes.Node]]]:
    """Every entry of a definition list: its term and the visible blocks of its definition."""
    found = []
    for entry in block.children if isinstance(block, nodes.definition_list) else ():
        term = next((c for c in entry.children if isinstance(c, nodes.term)), None)
        definition = next((c for c in entry.children if isinstance(c, nodes.definition)), None)
        if term is None or definition is None:
            return []
        found.append((term, [c for c in definition.children if not isinstance(c, INVISIBLE)]))
    return found


def item_term(item: nodes.Element) -> str | None:
    """The term of a list item that is one term and its definition (a first line with the
    next indented deeper, which reStructuredText reads as a definition list), if it is one."""
    blocks = [c for c in item.children if not isinstance(c, INVISIBLE)]
    entry = sole_entry(blocks[0]) if len(blocks) == 1 else None
    return (entry[0].astext().strip() or None) if entry is not None else None


def is_role_reference(node: nodes.Node) -> bool:
    """A ``{role}`` reference: the incident domain's, or a handbook's own ``std:role`` type."""
    return (
        isinstance(node, addnodes.pending_xref)
        and node.get("reftype") == "role"
        and node.get("refdomain") in ("incident", "std")
    )


def is_button(node: nodes.Node) -> bool:
    """A sphinx-design ``button-link`` (reference) or ``button-ref`` (pending_xref)."""
    return isinstance(node, nodes.Element) and "sd-btn" in node.get("classes", ())


#: raw HTML that is only a line break
_LINE_BREAK = re.compile(r"^\s*<br\s*/?>\s*$", re.I)


def plain_text(node: nodes.Node) -> str:
    """The text a reader sees, without footnote markers or parser messages."""
    if isinstance(node, nodes.Text):
        text = str(node)
        # astext() drops rST's escape markers (``\ `` before a footnote); most text has none
        return node.astext() if "\x00" in text else text
    if isinstance(node, nodes.raw):
        # another extension's HTML or LaTeX, not the author's words; but a line break the
        # author typed (Markdown's, which the parser writes as raw ``<br />``) parts words
        return "\n" if node.get("format") == "html" and _LINE_BREAK.match(node.astext()) else ""
    if isinstance(node, nodes.system_message | nodes.footnote_reference | nodes.citation_reference):
        return ""
    if isinstance(node, nodes.Element) and node.tagname == "pending_xref" and not node.astext():
        # ``[](label)`` takes its text from the target at resolve time
        return str(node.get("reftarget", ""))
    if isinstance(node, nodes.Element):
        return "".join(plain_text(child) for child in node.children)
    return ""


def inline_children(node: nodes.Element) -> list[nodes.Node]:
    """A paragraph's children without the empty text nodes MyST leaves between inline markup."""
    return [c for c in node.children if not (isinstance(c, nodes.Text) and not str(c))]


def text_of(node: nodes.Node) -> str:
    """``node.astext()``, faster: docutils unescapes every text node on its own."""
    if isinstance(node, nodes.Text):
        text = str(node)
    elif isinstance(node, nodes.Element):
        text = "".join([text_of(child) for child in node.children])
    else:
        return node.astext()
    return nodes.unescape(text) if "\x00" in text else text


def lead_in_text(lst: nodes.Element) -> str:
    """The text of the paragraph right before a list (what leads in to it), past comments and
    targets; nothing where another block stands there."""
    parent = lst.parent
    if parent is None:
        return ""
    index = parent.index(lst)
    for sibling in reversed(parent.children[:index]):
        if isinstance(sibling, INVISIBLE):
            continue
        return block_text(sibling) if isinstance(sibling, nodes.paragraph) else ""
    return ""


def block_text(node: nodes.Node) -> str:
    """The text of a block as a reader sees it: paragraphs apart (a blank line between
    them), whitespace inside each collapsed."""
    if isinstance(node, nodes.raw):
        return _raw_source(node)
    if isinstance(node, INVISIBLE):
        return ""
    if isinstance(node, nodes.literal_block | nodes.doctest_block | nodes.math_block):
        # code as written: its line breaks are what it says (a `//` comment ends at one)
        return "\n".join(line.rstrip() for line in plain_text(node).strip("\n").splitlines())
    if isinstance(node, nodes.TextElement) or not isinstance(node, nodes.Element):
        return clean(plain_text(node))
    parts = [block_text(child) for child in node.children]
    return "\n\n".join(part for part in parts if part)


def _raw_source(node: nodes.raw) -> str:
    """What the author wrote behind another extension's output: an extension that renders the
    author's text as HTML and LaTeX (a prompt directive) keeps that text as the node's source;
    ``.. raw::`` itself keeps none. Read once, from the HTML one."""
    source = str(node.rawsource or "")
    if not source.strip() or source == node.astext() or "html" not in str(node.get("format", "")).split():
        return ""
    return "\n".join(line.rstrip() for line in source.strip("\n").splitlines())


def ancestors(node: nodes.Node, stop: nodes.Node | None = None) -> Iterator[nodes.Node]:
    """The nodes ``node`` is in, innermost first, up to (not including) ``stop``."""
    parent = node.parent
    while parent is not None and parent is not stop:
        yield parent
        parent = parent.parent


def only_condition(node: nodes.Node, stop: nodes.Node | None = None) -> str | None:
    """The condition of the ``only`` blocks around ``node`` (up to ``stop``), joined with ``and``."""
    found = [f"({parent['expr']})" for parent in ancestors(node, stop) if isinstance(parent, addnodes.only)]
    return " and ".join(reversed(found)) or None


def source_path(env: BuildEnvironment, node: nodes.Node, docname: str) -> str:
    """The file a node comes from (an included file, say), relative to the source folder."""
    source = str(getattr(node, "source", None) or "")
    if source:
        # string arithmetic, no file system calls: this runs for every {role} of every page
        # rST includes name their nodes by the path docutils opened, relative to the working folder
        relative = posixpath.relpath(os.path.abspath(source), str(env.srcdir))
        return source if relative.startswith("../") else relative
    return str(env.doc2path(docname, False))
