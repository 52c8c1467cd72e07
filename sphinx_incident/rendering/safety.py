"""Keeping what a document says from becoming active content in the pages of a runbook.

Runbooks are pasted from chat, tickets and wikis; a ``javascript:`` or
``data:`` URL in one would become a clickable script in the handbook (docutils
and sphinx-design render such URLs as links unchanged). In a runbook, in the
footnotes its steps cite and in what it includes, every link whose URL may
not be a link (:func:`sphinx_incident.checking.urls.link_url`: only ``http``,
``https``, ``mailto`` and relative URLs, read as browsers read them) is
rendered as its text instead. The step list and the exports ask the same
function; the checks report such URLs.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..checking.urls import clean, link_url
from ..reading.collect import RUNBOOK_ROOT_CLASS

#: the class of the text that replaces a link which may not be one
UNSAFE_LINK_CLASS = "incident-unsafe-link"


def runbook_roots(document: nodes.document) -> list[nodes.Element]:
    """The nodes that hold runbooks (included content is inside them)."""
    return [node for node in document.findall(nodes.Element) if RUNBOOK_ROOT_CLASS in node.get("classes", ())]


def cited_footnotes(document: nodes.document, roots: list[nodes.Element]) -> list[nodes.footnote]:
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


class NeutraliseUnsafeLinks(SphinxPostTransform):
    """Replace the links of runbooks (and of the footnotes they cite) that may not be links
    by their text, for every builder."""

    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        roots = runbook_roots(self.document)
        if not roots:
            return
        for root in [*roots, *cited_footnotes(self.document, roots)]:
            for ref in list(root.findall(nodes.reference)):
                refuri = str(ref.get("refuri", ""))
                # no URL (a link in this page) or an empty one (this page itself) is safe
                if ref.parent is None or not clean(refuri) or link_url(refuri) is not None:
                    continue
                text = nodes.inline("", "", *ref.children, classes=[UNSAFE_LINK_CLASS])
                text.source, text.line = ref.source, ref.line
                ref.replace_self(text)
