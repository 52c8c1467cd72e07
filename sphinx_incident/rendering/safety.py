"""Keeping what a document says from becoming active content, on every page of every build.

Runbooks are pasted from chat, tickets and wikis; a ``javascript:`` or
``data:`` URL in one would become a clickable script in the handbook (docutils
and sphinx-design render such URLs as links unchanged), and other extensions
copy what a runbook holds onto pages of their own (``sphinx.ext.todo``'s
todo list). So every link of every page, whatever put it there and whatever
order pages are written in, is judged by one function,
:func:`sphinx_incident.checking.urls.may_link`, on its URL exactly as the page
will carry it (the ``refuri`` docutils made, its white space already handled):

- in a runbook, in the footnotes its steps cite (and that those cite) and in
  the citations its steps cite, wherever they are, only ``http``, ``https``,
  ``mailto`` and relative URLs stay links;
- anywhere else, a URL that runs script or opens local files (``javascript:``,
  ``data:``, ``vbscript:``, ``file:``, however spelt) is never a link.

A link that may not be one is rendered as its text. This runs as a
post-transform (for every builder, and for the content Sphinx resolves on its
own, such as the todo list's copies) and once more when a page is resolved,
after every other extension has added its content to it. The step list and
the exports ask the same module; the checks report such URLs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..checking.review import review_of_env
from ..checking.urls import may_link
from ..reading.collect import RUNBOOK_ROOT_CLASS
from ..reading.doctree import every

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: the class of the text that replaces a link which may not be one
UNSAFE_LINK_CLASS = "incident-unsafe-link"


def runbook_roots(document: nodes.Node) -> list[nodes.Element]:
    """The nodes that hold runbooks (included content is inside them)."""
    return [node for node in document.findall(nodes.Element) if RUNBOOK_ROOT_CLASS in node.get("classes", ())]


def cited_footnotes(document: nodes.Node, roots: list[nodes.Element]) -> list[nodes.footnote]:
    """The footnotes cited from inside ``roots`` (and from those footnotes, and so on)
    that are not inside them: a footnote's text stands where the document ends it."""
    inside = {id(node) for root in roots for node in root.findall(nodes.footnote)}
    by_id = {
        node_id: footnote
        for footnote in document.findall(nodes.footnote)
        if id(footnote) not in inside
        for node_id in footnote["ids"]
    }
    found: dict[int, nodes.footnote] = {}
    todo: list[nodes.Element] = list(roots)
    while todo:
        for ref in todo.pop().findall(nodes.footnote_reference):
            footnote = by_id.get(str(ref.get("refid", "")))
            if footnote is not None and id(footnote) not in found:
                found[id(footnote)] = footnote
                todo.append(footnote)
    return list(found.values())


def cited_citations(document: nodes.Node, labels: frozenset[str]) -> list[nodes.citation]:
    """The citations of ``document`` that a runbook's steps cite (by label, from any page)."""
    if not labels:
        return []
    return [
        citation
        for citation in document.findall(nodes.citation)
        if any(name in labels for name in (*citation.get("names", ()), *citation.get("dupnames", ())))
        or (len(citation) and isinstance(citation[0], nodes.label) and citation[0].astext() in labels)
    ]


def neutralise(document: nodes.Node, cited: frozenset[str] = frozenset()) -> None:
    """Replace every link of ``document`` that may not be a link by its text (see the module).
    ``cited``: the labels of the citations runbooks cite."""
    # a link that may be one in a runbook may be one anywhere: where the page's runbooks are
    # is only looked for when a link is in doubt (most pages have none)
    doubtful = [
        ref
        for ref in every(document, nodes.reference)
        if "refuri" in ref and not may_link(str(ref["refuri"]), in_runbook=True)
    ]
    if not doubtful:
        return
    roots = runbook_roots(document)
    strict_roots = [*roots, *cited_footnotes(document, roots), *cited_citations(document, cited)]
    strict = {id(ref) for root in strict_roots for ref in root.findall(nodes.reference)}
    for ref in doubtful:
        if ref.parent is None:
            continue  # taken out with a link around it
        if may_link(str(ref["refuri"]), in_runbook=id(ref) in strict):
            continue
        text = nodes.inline("", "", *ref.children, classes=[UNSAFE_LINK_CLASS])
        text.source, text.line = ref.source, ref.line
        ref.replace_self(text)


def _cited(env: BuildEnvironment) -> frozenset[str]:
    review = review_of_env(env)
    return review.cited_citations if review is not None else frozenset()


class NeutraliseUnsafeLinks(SphinxPostTransform):
    """Replace the links that may not be links by their text, in every document resolved, for
    every builder."""

    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        neutralise(self.document, _cited(self.env))


def neutralise_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, after every other handler: what other extensions added to the page
    once it was resolved (and so after the post-transforms) is judged too."""
    neutralise(doctree, _cited(app.env))
