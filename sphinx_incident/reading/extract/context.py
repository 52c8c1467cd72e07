"""The state of one runbook's extraction: its nodes, its source lines, the mistakes found."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from typing import TYPE_CHECKING

from docutils import nodes

from ...model import Problem, Step

if TYPE_CHECKING:
    from ..classify import Verdict
from ..doctree import node_line
from ..list_source import Marker, SourceLines

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
        #: the runbook's file, and the source folder, relative to which node sources are named
        self.path = ""
        self.srcdir: str | None = None
        #: which of several lists of a section are its procedure; without it, every list is
        self.verdict_of: VerdictOf | None = None

    def other_file(self, node: nodes.Node) -> str | None:
        """The file a node comes from, when it is not the runbook's (content included into it)."""
        source = None
        holder: nodes.Node | None = node
        while holder is not None and not source:  # inline nodes of rST carry no source of their own
            source = getattr(holder, "source", None)
            holder = holder.parent
        if not source or self.srcdir is None:
            return None
        # docutils names an rST include's nodes by the path it opened, relative to the working folder
        relative = posixpath.relpath(os.path.abspath(str(source)), self.srcdir)
        return relative if relative != self.path and not relative.startswith("../") else None

    def marker(self, node: nodes.Node) -> Marker | None:
        """The list marker on the source line of a node, as the author typed it."""
        if self.source is None:
            return None
        return self.source.marker(node_line(node))

    def indent(self, node: nodes.Node) -> int | None:
        """The column a node's source line starts at."""
        if self.source is None:
            return None
        line = node_line(node)
        if isinstance(node, nodes.block_quote):
            line = node_line(node.children[0]) if node.children else line
        return self.source.indent(line)

    def defect(self, rule: str, line: int | None, message: str) -> None:
        """Record a list mistake read from the source, for the checks to report."""
        self.defects.append(Problem(rule, "error", message, self.path, line))
