"""What a link into the handbook can point at: its pages, runbooks, steps and other anchors.

Built from step list data (``runbooks.json``, or the same data made from a
handbook read in-process), optionally completed with what only a build
knows: every page of the handbook and every id in each page's doctree
(sections, labels, team roles, glossary terms, footnotes). Pages are keyed
by their path under the site root without ``.html`` (``support/incidents``),
so links into a ``dirhtml`` site (``support/incidents/``) find them too.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: what separates a runbook's id from a step's id in a step anchor
STEP_SEPARATOR = "--"


def page_key(path: str) -> str:
    """``support/incidents.html``, ``support/incidents/`` and ``support/incidents/index.html``
    -> ``support/incidents``; the site root -> ``""``."""
    path = unquote(path).lstrip("/")
    for suffix in (".html", ".htm"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    path = path.rstrip("/")
    if path == "index":
        return ""
    if path.endswith("/index"):
        return path[: -len("/index")]
    return path


@dataclass(frozen=True)
class Anchor:
    """A runbook's or a step's anchor, and where it is."""

    page: str
    runbook: str
    #: the step's id; ``None`` for the runbook's own anchor
    step: str | None
    title: str
    #: as displayed (``"3"``); ``None`` for bullets and runbooks
    number: str | None
    #: the URL as the step list gives it (relative to the site root unless it has a base URL)
    url: str
    #: the id of the top-level step it is (or is under); ``None`` for runbooks
    top: str | None = None


@dataclass
class Page:
    """One page of the handbook."""

    key: str
    #: the runbooks on the page, in order
    runbooks: list[str] = field(default_factory=list)
    #: every id known on the page
    ids: set[str] = field(default_factory=set)


@dataclass
class HandbookTargets:
    """Everything a ``runbook_url`` may point at."""

    #: the site's base URL as the step list recorded it (``html_baseurl``), or ``""``
    base_url: str
    pages: dict[str, Page] = field(default_factory=dict)
    #: every runbook and step anchor, wherever it is
    anchors: dict[str, Anchor] = field(default_factory=dict)
    #: the runbooks' data by id, in order
    runbooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: True when every page and every id of each page is known (read from a build), so an
    #: unknown page or anchor is certainly wrong; False for a step list alone
    complete: bool = False

    def page(self, key: str) -> Page:
        return self.pages.setdefault(key, Page(key))


def walk_steps(steps: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every step and sub-step of step list data, depth first."""
    for step in steps:
        yield step
        yield from walk_steps(step.get("substeps") or [])


def relative_url(url: str, base_url: str) -> str:
    """A step list URL relative to the site root (the step list makes them absolute under its
    base URL)."""
    if base_url and url.startswith(base_url):
        return url[len(base_url) :].lstrip("/")
    return url


def _page_and_fragment(url: str, base_url: str) -> tuple[str, str]:
    rel = relative_url(url, base_url)
    path, _, fragment = rel.partition("#")
    return page_key(path.partition("?")[0]), unquote(fragment)


def targets_from_step_list(data: dict[str, Any]) -> HandbookTargets:
    """The targets a step list names: its runbooks' pages and anchors, and the pages and
    anchors of the roles, terms and internal links it resolved (team-role and term anchors)."""
    base_url = str(data.get("base_url") or "")
    targets = HandbookTargets(base_url)
    for runbook in data.get("runbooks") or []:
        if not isinstance(runbook, dict) or not runbook.get("id"):
            continue
        rid = str(runbook["id"])
        targets.runbooks.setdefault(rid, runbook)
        key, _ = _page_and_fragment(str(runbook.get("url") or runbook.get("docname") or ""), base_url)
        page = targets.page(key)
        page.runbooks.append(rid)
        anchor = str(runbook.get("anchor") or rid)
        page.ids.add(anchor)
        targets.anchors.setdefault(
            anchor,
            Anchor(key, rid, None, str(runbook.get("title") or ""), None, str(runbook.get("url") or "")),
        )
        for top in runbook.get("steps") or []:
            for step in walk_steps([top]):
                step_anchor = str(step.get("anchor") or f"{anchor}{STEP_SEPARATOR}{step.get('id')}")
                page.ids.add(step_anchor)
                targets.anchors.setdefault(
                    step_anchor,
                    Anchor(
                        key,
                        rid,
                        str(step.get("id")),
                        str(step.get("title") or step.get("text") or ""),
                        step.get("number"),
                        str(step.get("url") or ""),
                        str(top.get("id")),
                    ),
                )
    # roles, terms and resolved internal links name anchors of their own pages
    for url in _resolved_urls(data):
        key, fragment = _page_and_fragment(url, base_url)
        if urlsplit(relative_url(url, base_url)).scheme:
            continue  # a link out of the handbook
        page = targets.page(key)
        if fragment:
            page.ids.add(fragment)
    return targets


def _resolved_urls(data: Any) -> Iterator[str]:
    """The ``url`` of every resolved role, term and internal link in the data."""
    for runbook in data.get("runbooks") or []:
        if not isinstance(runbook, dict):
            continue
        refs: list[Any] = list(runbook.get("owners") or []) + list(runbook.get("roles") or [])
        for step in walk_steps(runbook.get("steps") or []):
            refs += [step.get("owner")] if step.get("owner") else []
            refs += list(step.get("roles") or []) + list(step.get("terms") or [])
            refs += [link for link in step.get("links") or [] if link.get("kind") == "internal"]
            for footnote in step.get("footnotes") or []:
                refs += list(footnote.get("roles") or []) + list(footnote.get("terms") or [])
        for ref in refs:
            if isinstance(ref, dict) and ref.get("resolved") is not False and ref.get("url"):
                yield str(ref["url"])


def page_ids(app: Sphinx) -> dict[str, set[str]]:
    """Every page of a built handbook and every id in its doctree, by page key.

    The ids are those the HTML pages carry for sections, labels, targets
    (team roles), glossary terms and footnotes; runbook and step anchors are
    added by the extension when pages are written and come from the step list.
    """
    from docutils import nodes

    env = app.env
    found: dict[str, set[str]] = {}
    for docname in sorted(env.found_docs):
        key = page_key(app.builder.get_target_uri(docname))
        ids = found.setdefault(key, set())
        try:
            doctree = env.get_doctree(docname)
        except (OSError, EOFError, pickle.UnpicklingError):  # a page whose doctree is gone is still a page
            continue
        for node in doctree.findall(nodes.Element):
            ids.update(node.get("ids", ()))
    return found


def complete_targets(targets: HandbookTargets, ids: dict[str, set[str]]) -> HandbookTargets:
    """``targets`` completed with every page of the handbook and every id of each page."""
    for key, page_ids_ in ids.items():
        targets.page(key).ids.update(page_ids_)
    targets.complete = True
    return targets
