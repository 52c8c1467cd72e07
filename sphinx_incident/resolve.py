"""Resolving a stored model against the whole handbook: URLs, terms, roles, labels.

Runbooks are extracted while each document is read, before Sphinx resolves
cross-references; this module answers, once every document is known, which
references point somewhere and where. It works on copies, so what is stored
on the environment stays as read.
"""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .domain import incident_domain
from .model import Footnote, Link, Reference, Runbook, Step
from .safety import is_unsafe_url

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

#: docname -> URL of its page, relative to the site root (or absolute)
PageUrl = Callable[[str], str]


@dataclass
class Target:
    docname: str
    anchor: str


class Resolver:
    """Looks references up in the handbook's std and incident domains."""

    def __init__(self, env: BuildEnvironment, page_url: PageUrl) -> None:
        self.env = env
        self.page_url = page_url
        std = env.domains["std"]
        self._labels: dict[str, tuple[str, str]] = dict(std.anonlabels)
        self._terms: dict[str, tuple[str, str]] = {}
        for (objtype, name), (docname, labelid) in std.objects.items():
            if objtype == "term":
                self._terms.setdefault(name, (docname, labelid))
                self._terms.setdefault(name.lower(), (docname, labelid))
        self._domain = incident_domain(env)
        self._docs = set(env.all_docs)

    def term_names(self) -> list[str]:
        """Every glossary term of the handbook, as written."""
        std = self.env.domains["std"]
        return sorted({name for (objtype, name) in std.objects if objtype == "term"})

    def url(self, docname: str, anchor: str | None = None) -> str:
        base = self.page_url(docname)
        return f"{base}#{anchor}" if anchor else base

    # -- lookups ------------------------------------------------------------

    def term(self, target: str) -> Target | None:
        hit = self._terms.get(target) or self._terms.get(target.lower())
        return Target(*hit) if hit else None

    def role(self, target: str) -> Target | None:
        found = self._domain.find_role(target)
        return Target(found.docname, found.anchor) if found else None

    def label(self, target: str) -> Target | None:
        hit = self._labels.get(target) or self._labels.get(target.lower())
        return Target(*hit) if hit else None

    def doc(self, target: str, fromdoc: str) -> Target | None:
        target = target.removesuffix(".md").removesuffix(".rst")
        if target.startswith("/"):
            candidate = target.lstrip("/")
        else:
            candidate = posixpath.normpath(posixpath.join(posixpath.dirname(fromdoc), target))
        for name in (candidate, target):
            if name in self._docs:
                return Target(name, "")
        return None

    def internal(self, link: Link, fromdoc: str) -> Target | None:
        target = link.target
        reftype = link.reftype or ""
        if reftype == "refid":
            return Target(fromdoc, target)
        if reftype == "doc":
            return self.doc(target, fromdoc)
        if reftype in ("ref", "numref", "keyword"):
            return self.label(target)
        if reftype == "term":
            return self.term(target)
        # myst / any / button-ref: a label, then a document, then ``doc#anchor``
        found = self.label(target) or self.doc(target, fromdoc)
        if found is None and "#" in target:
            path, _, anchor = target.partition("#")
            page = self.doc(path, fromdoc) if path else Target(fromdoc, "")
            if page is not None:
                found = Target(page.docname, anchor)
        return found

    # -- filling in a model -------------------------------------------------

    def _reference(self, ref: Reference, lookup: Callable[[str], Target | None]) -> None:
        hit = lookup(ref.target)
        ref.resolved = hit is not None
        ref.url = self.url(hit.docname, hit.anchor) if hit else None

    def _link(self, link: Link, fromdoc: str) -> None:
        if link.kind != "internal" and not (link.kind == "button" and link.reftype):
            # the target stays as written; only safe URLs are offered as links
            link.url = None if is_unsafe_url(link.target) else link.target
            return
        hit = self.internal(link, fromdoc)
        link.resolved = hit is not None
        link.url = self.url(hit.docname, hit.anchor) if hit else None

    def _footnote(self, footnote: Footnote, fromdoc: str) -> None:
        for term in footnote.terms:
            self._reference(term, self.term)
        for role in footnote.roles:
            self._reference(role, self.role)
        for link in footnote.links:
            self._link(link, fromdoc)

    def _step(self, step: Step, fromdoc: str) -> None:
        step.url = self.url(fromdoc, step.anchor)
        for term in step.terms:
            self._reference(term, self.term)
        for role in step.roles:
            self._reference(role, self.role)
        for link in step.links:
            self._link(link, fromdoc)
        for footnote in step.footnotes:
            self._footnote(footnote, fromdoc)

    def runbook(self, stored: Runbook) -> Runbook:
        """A resolved copy of a stored runbook."""
        runbook = copy.deepcopy(stored)
        runbook.url = self.url(runbook.docname, runbook.anchor)
        for owner in runbook.owners:
            self._reference(owner, self.role)
        for step in runbook.walk():
            self._step(step, runbook.docname)
        return runbook


def unique_ids(runbooks: list[Runbook]) -> list[str]:
    """The runbooks' ids, the later of two equal ones suffixed ``-2``, ``-3`` ..."""
    seen: set[str] = set()
    ids = []
    for runbook in runbooks:
        given, counter = runbook.id, 1
        while given in seen:
            counter += 1
            given = f"{runbook.id}-{counter}"
        seen.add(given)
        ids.append(given)
    return ids


def resolved_runbooks(env: BuildEnvironment, page_url: PageUrl, docname: str | None = None) -> list[Runbook]:
    """The handbook's runbooks (or one page's), resolved, in stable order, with unique ids.

    Resolving copies each runbook: a page asks for its own runbooks only, so
    writing every page costs time linear in the handbook, not quadratic.
    """
    stored = incident_domain(env).runbooks()
    resolver = Resolver(env, page_url)
    resolved = []
    for runbook, runbook_id in zip(stored, unique_ids(stored), strict=True):
        if docname is not None and runbook.docname != docname:
            continue
        copy_ = resolver.runbook(runbook)
        copy_.id = runbook_id
        resolved.append(copy_)
    return resolved


def page_urls(target_uri: Callable[[str], str], baseurl: str = "") -> PageUrl:
    """Page URLs from a builder's ``get_target_uri``: relative to the site root,
    or absolute under ``html_baseurl`` when that is set."""

    def page_url(docname: str) -> str:
        relative = target_uri(docname)
        if baseurl:
            return baseurl.rstrip("/") + "/" + relative
        return relative

    return page_url
