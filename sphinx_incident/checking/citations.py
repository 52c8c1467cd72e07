"""The citations a runbook's steps cite, read from the page that defines them.

A footnote is on the page of the step that cites it, and is read with the
runbook. A citation is the handbook's: ``[GUIDE]_`` in a step may cite a
citation defined on any page, which Sphinx resolves once every document is
read. So once every document is read, each citation a step cites is read
from its page's doctree and kept in the step as a
:class:`~sphinx_incident.model.Footnote`: its links are checked, offered in
the step list and shown as text when they may not be links, as a footnote's
are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ..model import Footnote, Link, Runbook, Step
from ..reading.doctree import block_text, clean, node_line, source_path, text_of

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

#: how a step's link to a citation is kept (``domain:reftype`` of its ``pending_xref``)
CITATION_REFTYPE = "citation:ref"


def cited_labels(runbooks: list[Runbook]) -> set[str]:
    """The labels of the citations the steps of ``runbooks`` (and their footnotes) cite."""
    return {
        link.target
        for runbook in runbooks
        for step in runbook.walk()
        for link in [*step.links, *(li for f in step.footnotes for li in f.links)]
        if link.reftype == CITATION_REFTYPE
    }


class _Citations:
    """The handbook's citations, their pages' doctrees loaded once each."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.env = env
        self.where: dict[str, tuple[str, str, int]] = env.domains["citation"].data.get("citations", {})
        self.doctrees: dict[str, nodes.document] = {}
        self.read: dict[tuple[str, str], Footnote | None] = {}

    def footnote(self, label: str, runbook_source: str) -> Footnote | None:
        found = self.where.get(label)
        if found is None:
            return None  # an unknown citation: the reference is reported unresolved
        docname, labelid, _line = found
        key = (label, runbook_source)
        if key not in self.read:
            self.read[key] = self._read(label, docname, labelid, runbook_source)
        return self.read[key]

    def _read(self, label: str, docname: str, labelid: str, runbook_source: str) -> Footnote | None:
        if docname not in self.doctrees:
            self.doctrees[docname] = self.env.get_doctree(docname)
        citation = self.doctrees[docname].ids.get(labelid)
        if not isinstance(citation, nodes.citation):
            return None
        source = source_path(self.env, citation, docname)
        body = [child for child in citation.children if not isinstance(child, nodes.label)]
        links = tuple(
            Link(
                kind="external",
                target=str(ref["refuri"]),
                text=clean(text_of(ref)),
                line=node_line(ref),
                source=source if source != runbook_source else None,
            )
            for child in body
            for ref in child.findall(nodes.reference)
            if "refuri" in ref
        )
        text = "\n\n".join(t for t in (block_text(b) for b in body) if t)
        return Footnote(label=label, text=text, line=node_line(citation), links=links)


def add_cited_citations(env: BuildEnvironment, runbooks: list[Runbook]) -> None:
    """Keep in each step the citations it cites, as footnotes (after its own footnotes)."""
    if not cited_labels(runbooks):
        return
    citations = _Citations(env)
    for runbook in runbooks:
        for step in runbook.walk():
            _add(step, runbook.source, citations)


def _add(step: Step, runbook_source: str, citations: _Citations) -> None:
    have = {footnote.label for footnote in step.footnotes}
    added = []
    for link in step.links:
        if link.reftype != CITATION_REFTYPE or link.target in have:
            continue
        footnote = citations.footnote(link.target, runbook_source)
        if footnote is not None:
            have.add(link.target)
            added.append(footnote)
    if added:
        step.footnotes = (*step.footnotes, *added)
