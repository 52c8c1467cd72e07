"""The state of one runbook's extraction: its nodes, its source lines, the mistakes found."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from docutils import nodes

from ...model import Problem, Step

if TYPE_CHECKING:
    from ..classify import Verdict
from ..doctree import ancestors, node_line, source_of
from ..list_source import Marker, SourceLines

#: an rST directive's first line: ``.. list-table::``
_DIRECTIVE = re.compile(r"^\s*\.\.\s+[\w:.+-]+::")
#: the top border of an rST table: a simple table's ``==== ====``, a grid table's ``+----+``
_TABLE_BORDER = re.compile(r"^\s*(?:=+(?:\s+=+)*|\+(?:[-=]+\+)+)\s*$")
#: a MyST directive's opening fence (```{note}, :::{note})
_MYST_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\s*\{[\w:.+-]+\}")

#: file names of the two markups (any other is a part included into a page of one of them)
RST_FILES = (".rst", ".rest", ".txt")
_MARKDOWN_FILES = (".md", ".markdown", ".myst")

#: called with each step's node and its model step (the collector stamps anchors)
OnStep = Callable[[nodes.Element, Step], None]
#: discovery's verdict on a list: what a section keeps as steps when it holds other lists too
VerdictOf = Callable[[nodes.Element], "Verdict"]


class Extraction:
    """One runbook being read: its root and page, the source lines it comes from, and the
    list mistakes found in them; the extraction's functions all take it."""

    def __init__(
        self,
        document: nodes.document | None,
        on_step: OnStep | None,
        root: nodes.Element,
        docname: str,
        source: SourceLines | None,
    ) -> None:
        self.document = document
        self.on_step = on_step
        self.root = root
        self.docname = docname
        self.source = source
        self.defects: list[Problem] = []
        #: for each stretch of blocks after a step list (by its first block), whether it is
        #: the step's body that fell out: decided once, for all its blocks
        self.stretches: dict[int, frozenset[int]] = {}
        #: the step (its node's id) each stretch was decided for by :func:`.defects.body_fell_out`
        self.stretch_owners: dict[int, int] = {}
        #: for each list (by id) whose items are terms over their meaning, whether it is
        #: written so throughout: decided once, for all its items
        self.glossaries: dict[int, bool] = {}
        #: whether the page is laid out in labels over indented blocks (rST); decided when
        #: first asked
        self.label_layout: bool | None = None
        #: whether a list of the page is written as names over their meanings throughout;
        #: decided when first asked
        self.glossary_layout: bool | None = None
        #: whether the page follows its bulleted lists with callouts (notes, warnings) as its
        #: layout; decided when first asked
        self.callout_layout: bool | None = None
        #: the steps (their nodes' ids) whose body was reported as lost after the end of their list
        self.bodies_reported: set[int] = set()
        #: the numbered lists read as steps (their typed numbers checked as they were read)
        self.numbered_read: set[int] = set()
        #: the runbook's file, and the source folder, relative to which node sources are named
        self.path = ""
        self.srcdir: str | None = None
        #: what a message calls one entry of the lists read: ``step``, or ``item`` in a
        #: section whose lists are no procedure (read for the mistakes that break any list)
        self.noun = "step"
        #: which of several lists of a section are its procedure; without it, every list is
        self.verdict_of: VerdictOf | None = None
        #: the source lines of the file a node comes from, when the runbook holds content
        #: included from other files; without it, every node is read against :attr:`source`
        self.sources: Callable[[nodes.Node], SourceLines | None] | None = None

    def lines(self, node: nodes.Node | None) -> SourceLines | None:
        """The source lines a node's line numbers count in: its own file's; for a node in a
        Markdown quotation, with the quotation's markers as spaces, so that the columns of a
        list in it and of what its items hold are those its text is read at."""
        source = self.source if self.sources is None or node is None else self.sources(node)
        if (
            source is not None
            and node is not None
            and self.markdown
            and any(isinstance(parent, nodes.block_quote) for parent in ancestors(node))
        ):
            return source.unquoted()
        return source

    def file_of(self, node: nodes.Node | None) -> str:
        """The file a node comes from, as problems name it: the runbook's, or an included one."""
        return (self.other_file(node) if node is not None else None) or self.path

    @property
    def markdown(self) -> bool:
        """Whether the runbook's file is Markdown (read by CommonMark's rules), not rST. A file
        named otherwise (a part included into a page, ``.inc``) is read as its page is."""
        path = self.path.lower()
        if not path.endswith(RST_FILES + _MARKDOWN_FILES) and self.document is not None:
            path = str(self.document.get("source") or path).lower()
        return not path.endswith(RST_FILES)

    def other_file(self, node: nodes.Node) -> str | None:
        """The file a node comes from, when it is not the runbook's (content included into it)."""
        source = source_of(node)
        if not source or self.srcdir is None:
            return None
        # docutils names an rST include's nodes by the path it opened, relative to the working folder
        relative = posixpath.relpath(os.path.abspath(str(source)), self.srcdir)
        return relative if relative != self.path and not relative.startswith("../") else None

    def marker(self, node: nodes.Node) -> Marker | None:
        """The list marker on the source line of a node, as the author typed it."""
        source = self.lines(node)
        if source is None:
            return None
        line = self.item_line(node)
        # a list that starts on its parent item's line (``- - text``, the rows of an rST
        # list-table): its marker follows the parent's on that line
        outer: list[nodes.Node] = []
        holder = node.parent.parent if node.parent is not None else None
        while isinstance(holder, nodes.list_item) and node_line(holder) == line:
            outer.append(holder)
            holder = holder.parent.parent if holder.parent is not None else None
        start = 0
        for _ in outer:
            found = source.marker(line, start, rst=not self.markdown)
            if found is None:
                return None
            start = found.content
        return source.marker(line, start, rst=not self.markdown)

    def item_line(self, node: nodes.Node) -> int | None:
        """A node's line; a list item's, the line of its marker. docutils before 0.21 gives an
        rST item no line of its own, so it is read from its first child: for a marker alone on
        its line over an indented list (``#.``, a blank line, ``- text``), the list's line."""
        line = node_line(node)
        source = self.lines(node)
        if self.markdown or node.line or not isinstance(node, nodes.list_item) or source is None or not line:
            return line
        first = next((c for c in node.children if not isinstance(c, nodes.Invisible)), None)
        if not isinstance(first, nodes.bullet_list | nodes.enumerated_list):
            return line
        above = source.first_text_line_above(line) or 0
        marker = source.marker(above, rst=True)
        text = source.line(above) or ""
        indent = source.indent(line)
        alone = marker is not None and not text[marker.indent + len(marker.text) :].strip()
        return (
            above if alone and indent is not None and marker is not None and marker.indent < indent else line
        )

    def indent(self, node: nodes.Node) -> int | None:
        """The column a node's source line starts at."""
        source = self.lines(node)
        if source is None:
            return None
        return source.indent(self.first_line(node))

    def first_line(self, node: nodes.Node) -> int | None:
        """The line a block starts on in the source: a block quote's first block's, and for
        what an rST directive made without a line of its own (a ``list-table``), the
        directive's line rather than its first cell's."""
        target = node.children[0] if isinstance(node, nodes.block_quote) and node.children else node
        line = node_line(target)
        source = self.lines(target)
        if source is not None and self.markdown and line is not None:
            # some MyST-Parser versions give a directive's node its first content line
            above = source.line(line - 1) or ""
            directive = not isinstance(target, nodes.paragraph | nodes.literal_block)
            return line - 1 if directive and _MYST_DIRECTIVE.match(above) else line
        if source is not None and not self.markdown and isinstance(target, nodes.literal_block):
            # an rST literal block is numbered from its first line of code; it stands where
            # the ``::`` that opens it does (a paragraph's end, or alone on its line)
            opened = _opened_at(source, line)
            if opened is not None:
                return opened
        if source is not None and line is not None and not self.markdown and isinstance(target, nodes.table):
            if _TABLE_BORDER.match(source.line(line - 1) or ""):
                return line - 1  # docutils numbers a table from the line after its top border
        if source is not None and not self.markdown and line is not None and target.line:
            # older docutils give a directive with no content (``.. image::``) the blank line after it
            above = source.line(line - 1) or ""
            blank = not (source.line(line) or "").strip()
            return line - 1 if blank and _DIRECTIVE.match(above) else line
        if source is None or self.markdown or line is None or target.line:
            return line
        inner = source.indent(line)
        for number in range(line - 1, max(line - 40, 0), -1):
            text = source.line(number) or ""
            indent = source.indent(number)
            if indent is not None and inner is not None and indent < inner:
                return number if _DIRECTIVE.match(text) else line
        return line

    def defect(
        self,
        rule: str,
        node: nodes.Node | None,
        line: int | None,
        message: str,
        related: tuple[int, ...] = (),
        end_line: int | None = None,
    ) -> None:
        """Record a list mistake read from the source at ``node`` (which names its file), for
        the checks to report; ``related``: the other lines where it shows, which the message
        names; ``end_line``: the last line of the stretch it is about, from ``line``."""
        end = end_line if end_line is not None and line is not None and end_line > line else None
        self.defects.append(Problem(rule, "error", message, self.file_of(node), line, related, end_line=end))


def _opened_at(source: SourceLines, line: int | None) -> int | None:
    """The line of the ``::`` that opens the literal block whose code starts at ``line``:
    the first line above it with text, when that is indented less and ends with ``::``."""
    inner = source.indent(line)
    if line is None or inner is None:
        return None
    number = source.first_text_line_above(line)
    if number is None:
        return None
    indent = source.indent(number)
    text = (source.line(number) or "").rstrip()
    return number if indent is not None and indent < inner and text.endswith("::") else None
