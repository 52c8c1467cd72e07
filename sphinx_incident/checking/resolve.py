"""Resolving the stored runbooks through Sphinx: the domains, ``missing-reference``, intersphinx.

Runbooks are extracted while each document is read, before Sphinx resolves
references, so the model keeps each cross-reference as the parser left it
(:class:`~sphinx_incident.model.XRef`). Once every document is read, copies of
those ``pending_xref`` nodes, in a small document of their own, go through
the post-transforms Sphinx applies to a page it writes (those of
``BuildEnvironment.apply_post_transforms``, without the ``doctree-resolved``
event it then emits: that event tells every extension a page is ready to be
written, and a document of probes is no page): the reference resolvers (Sphinx's
and MyST-Parser's) ask the domains' ``resolve_xref``, then emit
``missing-reference``, so intersphinx and every other extension's resolver
answer exactly as they do in the page. An
unresolved reference is recognised by Sphinx's ``warn-missing-reference``
event (or MyST's ``xref_missing`` warning), which is kept out of the build's
output: the checks report it once, in their own words.

This runs once per build, for every runbook (:func:`resolve_runbooks`); the
result is what the checks, the pages, the overview tables and the step list
all use.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransformer
from sphinx.util import logging
from sphinx.util.docutils import new_document

from ..model import Footnote, Link, Reference, Runbook, Step, XRef
from ..reading.doctree import clean, every
from .citations import add_cited_citations
from .site_urls import PageUrls, has_pages
from .urls import link_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.domains import Domain

#: marks the copies of references this module resolves, for :func:`note_unresolved`
PROBE = "incident_probe"


# -- resolving cross-references ------------------------------------------------------


@dataclass
class Resolution:
    """What Sphinx made of one cross-reference."""

    #: ``None`` when this builder cannot tell: one that writes no pages (``changes``, ``coverage``)
    resolved: bool | None
    #: the reference's URL relative to the page it is on, ``#id`` for the same page;
    #: ``None`` when unresolved, or when this builder makes no link there
    refuri: str | None = None
    #: the text the reference shows once resolved (a section title for ``[](label)``)
    text: str = ""


def _probe(xref: XRef, docname: str) -> addnodes.pending_xref:
    content_class = nodes.literal if xref.content_tag == "literal" else nodes.inline
    content = content_class(xref.content_text, xref.content_text, classes=list(xref.content_classes))
    attributes = {k: list(v) if isinstance(v, tuple) else v for k, v in xref.attributes}
    node = addnodes.pending_xref("", content, **attributes)
    node["refdoc"] = docname
    node[PROBE] = True
    # ask to be told when it does not resolve, whatever the author wanted in the page
    node["refwarn"] = True
    return node


def note_unresolved(app: Sphinx, domain: Domain | None, node: addnodes.pending_xref) -> bool | None:
    """``warn-missing-reference``: a probe that did not resolve is noted, not logged."""
    if not node.get(PROBE):
        return None
    node["incident_unresolved"] = True
    return True


def resolve_xrefs(app: Sphinx, docname: str, xrefs: list[XRef]) -> list[Resolution]:
    """Resolve references made in ``docname`` as Sphinx resolves them when writing its page."""
    if not xrefs:
        return []
    if not has_pages(app.builder, docname):
        # Sphinx resolves nothing for a builder without pages: its domains would ask it for URLs
        return [Resolution(None) for _ in xrefs]
    # a page names the same role or term many times: each distinct reference is resolved once
    distinct = list(dict.fromkeys(xrefs))
    resolved = dict(zip(distinct, _resolve_distinct(app, docname, distinct), strict=True))
    return [resolved[xref] for xref in xrefs]


def _resolve_distinct(app: Sphinx, docname: str, xrefs: list[XRef]) -> list[Resolution]:
    env = app.env
    document = new_document(str(env.doc2path(docname)))
    document.settings.env = env
    holders = []
    probes = []
    for xref in xrefs:
        probe = _probe(xref, docname)
        holder = nodes.paragraph("", "", probe)
        document += holder
        holders.append(holder)
        probes.append(probe)
    with logging.suppress_logging() as memory:
        post_transform(app, document, docname)
    # MyST reports its own unresolved references with a warning of its own
    missing = {
        id(getattr(record, "location", None))
        for record in memory.buffer
        if getattr(record, "type", "") == "myst" and getattr(record, "subtype", "") == "xref_missing"
    }
    results = []
    for holder, probe in zip(holders, probes, strict=True):
        result = holder.children[0] if holder.children else None
        if probe.get("incident_unresolved") or id(probe) in missing:
            results.append(Resolution(False))
        elif isinstance(result, nodes.reference):
            refuri = result.get("refuri")
            if refuri is None and result.get("refid"):
                refuri = "#" + str(result["refid"])
            results.append(
                Resolution(True, str(refuri) if refuri is not None else None, clean(result.astext()))
            )
        else:
            # resolved, but this builder makes no link to it (a page it leaves out)
            results.append(Resolution(True, None, clean(holder.astext())))
    _let_go(document, probes)
    return results


def post_transform(app: Sphinx, document: nodes.document, docname: str) -> None:
    """Apply the post-transforms Sphinx applies to the page ``docname`` when it writes it, as
    ``BuildEnvironment.apply_post_transforms`` does, with that page as the current document
    (the resolvers read its name), but without emitting ``doctree-resolved``: extensions
    that index, count or export each page written there would be handed this document, under
    the name of a real page."""
    env = app.env
    transformer = SphinxTransformer(document)
    transformer.set_environment(env)
    transformer.add_transforms(app.registry.get_post_transforms())
    if hasattr(env, "current_document"):  # Sphinx 8.2 and later
        backup = env.current_document
        current = copy.deepcopy(backup)
        current.docname = docname
        env.current_document = current
        try:
            transformer.apply_transforms()
        finally:
            env.current_document = backup
    else:  # Sphinx 8.0 and 8.1: a dictionary
        data: Any = env.temp_data
        saved = dict(data)
        data["docname"] = docname
        try:
            transformer.apply_transforms()
        finally:
            data.clear()
            data.update(saved)


def _let_go(document: nodes.document, probes: list[addnodes.pending_xref]) -> None:
    """Break the cycles of a document of probes, so that it is freed as soon as it is dropped.

    Its nodes point up at their parents and at it, it points at itself, its transformer
    and reporter point back at it, and the probes Sphinx replaced, with what they held,
    still point up: left so, only a full collection of the whole process frees it. In a
    large handbook those are rare, so every page's probes would stay in memory while the
    pages are written; and forcing one walks everything the build holds. Each node keeps
    its attributes: it is only cut from the others.

    Older docutils leave the document listening to its reporter, which Sphinx shares
    between the documents it makes: that would keep every probe document alive to the
    end of the build, collected or not."""
    reporter, observer = document.reporter, document.note_transform_message
    if reporter is not None and observer in reporter.observers:
        reporter.detach_observer(observer)
    for node in [node for root in (document, *probes) for node in every(root, nodes.Node)]:
        node.parent = None
        node.document = None
        if isinstance(node, nodes.Element):
            node.children = []
    document.transformer = None  # type: ignore[assignment]
    document.reporter = None  # type: ignore[assignment]


# -- resolving whole runbooks -----------------------------------------------------------


def _references(runbook: Runbook) -> Iterator[Reference | Link]:
    yield from runbook.owners
    for step in runbook.walk():
        yield from _step_references(step)


def _step_references(step: Step) -> Iterator[Reference | Link]:
    if step.owner is not None:
        yield step.owner
    yield from step.terms
    yield from step.roles
    yield from step.links
    for footnote in step.footnotes:
        yield from _footnote_references(footnote)


def _footnote_references(footnote: Footnote) -> Iterator[Reference | Link]:
    yield from footnote.terms
    yield from footnote.roles
    yield from footnote.links


def resolve_runbooks(
    app: Sphinx,
    urls: PageUrls,
    runbooks: list[Runbook],
    include: Callable[[str | None], bool] = lambda only: True,
) -> list[Runbook]:
    """The runbooks this builder includes, resolved: URLs, references, ``only`` blocks applied.

    ``include`` decides the ``only`` conditions for the builder at hand. The
    runbooks are changed in place: pass copies (the domain hands out fresh
    ones), so that what is stored on the environment stays as read.
    """
    resolved: list[Runbook] = []
    by_doc: dict[str, list[Runbook]] = {}
    for runbook in runbooks:
        if not include(runbook.only):
            continue
        _drop_excluded(runbook, include)
        resolved.append(runbook)
        by_doc.setdefault(runbook.docname, []).append(runbook)
    for docname, runbooks in by_doc.items():
        add_cited_citations(app.env, runbooks)
        refs = [ref for runbook in runbooks for ref in _references(runbook) if ref.xref is not None]
        titled: dict[int, tuple[str, str]] = {}
        for ref, result in zip(refs, resolve_xrefs(app, docname, [r.xref for r in refs]), strict=True):  # type: ignore[misc]
            ref.resolved = result.resolved
            ref.url = urls.from_page(docname, result.refuri) if result.refuri is not None else None
            if result.text and (not ref.text or _shows_title(ref.xref)):
                # ``[](label)``, ``{doc}`path``` and ``{ref}`label``` show the target's title
                titled[id(ref)] = (ref.text or ref.target, result.text)
                ref.text = result.text
        for runbook in runbooks:
            runbook.url = urls.url(docname, runbook.anchor)
            for step in runbook.walk():
                step.url = urls.url(docname, step.anchor)
                step.text = _with_titles(step.text, [titled[id(li)] for li in step.links if id(li) in titled])
                for link in [*step.links, *(li for f in step.footnotes for li in f.links)]:
                    _plain_link(link, docname, urls)
        for ref in refs:
            ref.xref = None  # resolved: the pages and the step list need it no more
    return resolved


#: cross-references whose text, unless the author gave one, is their target's title
_TITLED_TYPES = frozenset({"ref", "doc", "myst", "any", "numref"})


def _shows_title(xref: XRef | None) -> bool:
    if xref is None:
        return False
    attributes = dict(xref.attributes)
    return attributes.get("refexplicit") is False and attributes.get("reftype") in _TITLED_TYPES


def _with_titles(text: str, titles: list[tuple[str, str]]) -> str:
    """A step's text as the page shows it: each reference by its target's title, not by the
    label or path it was written with."""
    for shown, title in titles:
        if shown and shown in text:
            text = text.replace(shown, title, 1)
    return text


def _plain_link(link: Link, docname: str, urls: PageUrls) -> None:
    """Links that are no cross-reference: a URL as written, or an id in the same page."""
    if link.xref is not None:
        return
    if link.reftype == "refid":
        link.resolved = True
        link.url = urls.url(docname, link.target)
        return
    # only URLs that may be links are offered as links, as a browser reads them;
    # the target stays as written
    link.url = link_url(link.target)


def _drop_excluded(runbook: Runbook, include: Callable[[str | None], bool]) -> None:
    """Leave out the steps inside ``only`` blocks this builder excludes."""

    def keep(steps: tuple[Step, ...]) -> tuple[Step, ...]:
        kept = tuple(step for step in steps if include(step.only))
        for step in kept:
            step.substeps = keep(step.substeps)
        return kept

    runbook.steps = keep(runbook.steps)
