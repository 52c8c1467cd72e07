"""Markup of the other language, which the page shows as text: a Markdown code fence or link
on a reStructuredText page, a reStructuredText directive or link on a Markdown page. Authors
who write both (or paste from one into the other) slip into the wrong one; the parser reads
it as words, or, for a fence, reads the code as lists and definitions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docutils import nodes

from ..doctree import node_line
from ..list_source import SourceLines
from .context import Extraction

#: a fence line: three backticks or more, perhaps a language after them (a line of tildes is
#: more often a section title's underline on a reStructuredText page)
_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,})(?!.*`)")
#: ``[text](https://…)``: a Markdown link; a target that is an address or a path
_MARKDOWN_LINK = re.compile(r"(?<![\\!])\[[^\]\n]+\]\((?:https?://|/|\.{1,2}/)[^)\s]*\)")
#: ``.. note::``, ``.. code-block:: yaml``: a directive at the start of a line
_RST_DIRECTIVE = re.compile(r"^[ \t]*\.\. (?P<name>[A-Za-z][\w:-]*)::(?:[ \t]|$)")
#: ```text <https://…>`_``: a reStructuredText link to an address
_RST_LINK = re.compile(r"`[^`<>\n]+ <https?://[^>\s]+>`__?")


def foreign_markup(ex: Extraction, root: nodes.Element) -> None:
    """Report each piece of the other markup language in the runbook's text (``foreign_markup``)."""
    fenced_until = 0  # the code between a fence and its closing one is the fence's finding
    for node in root.findall(_text_blocks):
        source = ex.lines(node)
        line = node_line(node)
        if source is None or line is None or line <= fenced_until:
            continue
        found = (
            _markdown_in_rst(source, line, node) if not ex.markdown else _rst_in_markdown(source, line, node)
        )
        if found is not None:
            first, last, message = found
            ex.defect("foreign_markup", node, first, message, end_line=last)
            fenced_until = last


def _text_blocks(node: nodes.Node) -> bool:
    return isinstance(node, nodes.paragraph | nodes.term)


def _lines(source: SourceLines, line: int, node: nodes.Node) -> Iterator[tuple[int, str]]:
    """The source lines of a paragraph (or a term: one line)."""
    count = node.astext().count("\n") + 1 if isinstance(node, nodes.paragraph) else 1
    for number in range(line, line + count):
        text = source.line(number)
        if text is not None:
            yield number, text


def _markdown_in_rst(source: SourceLines, line: int, node: nodes.Node) -> tuple[int, int, str] | None:
    if isinstance(node, nodes.term):  # docutils before 0.21 numbers a term a line or two late
        line = next((n for n in range(line, max(line - 3, 1) - 1, -1) if _is_fence(source, n, node)), line)
    opening = _FENCE.match(source.line(line) or "")
    if opening is not None and node.astext().lstrip().startswith(opening["fence"]):
        closing = _closing(source, line, opening["fence"])
        lines = f"lines {line}-{closing} are" if closing is not None else f"line {line} opens"
        return (
            line,
            closing or line,
            f"{lines} a Markdown code fence ({opening['fence']}) on a reStructuredText page, which "
            "has none: the page shows the backticks as text and the code as paragraphs, lists or "
            "definitions; write `.. code-block::` (and the language) and indent the code under it",
        )
    for number, text in _lines(source, line, node):
        if (link := _MARKDOWN_LINK.search(text)) is not None and not _in_code(node, link[0]):
            return (
                number,
                number,
                f"line {number} writes a link the Markdown way ({link[0]}) on a reStructuredText "
                "page: the page shows the brackets and the address as text; write it as "
                "`` `text <address>`_ ``",
            )
    return None


def _rst_in_markdown(source: SourceLines, line: int, node: nodes.Node) -> tuple[int, int, str] | None:
    for number, text in _lines(source, line, node):
        if number == line and (directive := _RST_DIRECTIVE.match(text)) is not None:
            name = directive["name"]
            return (
                number,
                number,
                f"line {number} is a reStructuredText directive (`.. {name}::`) on a Markdown page, "
                f"which shows it as text; write it as a fenced directive (```` ```{{{name}}} ````, "
                "its content, then ```` ``` ````)",
            )
        if (link := _RST_LINK.search(text)) is not None and _read_as_code(node, link[0]):
            return (
                number,
                number,
                f"line {number} writes a link the reStructuredText way ({link[0]}) on a Markdown "
                "page, which shows it as code; write it as `[text](address)`",
            )
    return None


def _is_fence(source: SourceLines, number: int, node: nodes.Node) -> bool:
    """Whether the line is a fence that the node's text is (a term read from a fence line)."""
    return _FENCE.match(source.line(number) or "") is not None and (source.line(number) or "").strip() == (
        node.astext().strip()
    )


def _closing(source: SourceLines, opening: int, fence: str) -> int | None:
    """The line of the fence that closes the one at ``opening`` (the same character, as long)."""
    number = opening + 1
    while (text := source.line(number)) is not None:
        match = _FENCE.match(text)
        if match is not None and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence):
            return number
        number += 1
    return None


def _in_code(node: nodes.Node, text: str) -> bool:
    """Whether ``text`` is written as code in the block (shown as it is, on purpose)."""
    return any(text in literal.astext() for literal in node.findall(nodes.literal))


def _read_as_code(node: nodes.Node, link: str) -> bool:
    """Whether a reStructuredText link on a Markdown page was read as code: its backticks made
    a code span of the words and the address (written inside a longer code span, the whole
    link is shown as code on purpose, backticks and all)."""
    inner = link[1 : link.rindex("`")]
    return any(literal.astext() == inner for literal in node.findall(nodes.literal))
