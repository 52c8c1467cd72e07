"""What a link into the handbook can point at: its pages, runbooks, steps, other anchors, redirects.

Built from step list data (``runbooks.json``, or the same data made from a
handbook read in-process), optionally completed with what only a build
knows (:class:`PageFacts`): every page with its source file, every id in
its doctree, its headings in order, the anchors its raw HTML sets, and the
redirects the handbook declares. Pages are keyed by document name; the
:class:`~sphinx_incident.commands.alerts.site.Site` says which URL paths show each page
and which anchors it has on the published site.

Step list data comes from a file anyone may hand over, so every field is
read for what it is: lists that are not lists of objects, numbers where
text is expected and nesting beyond :data:`MAX_DEPTH` are passed over, never
a traceback.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files import ReadError, read_text
from .site import Site
from .urls import Base, read_url, under

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: what separates a runbook's id from a step's id in a step anchor
STEP_SEPARATOR = "--"
#: how deep sub-steps are followed in step list data (the extension writes far fewer levels)
MAX_DEPTH = 32
#: page metadata that names old URLs of the page (Hugo's ``aliases``, Jekyll's ``redirect_from``)
ALIAS_FIELDS = ("aliases", "redirect_from")
_HTML_ANCHOR = re.compile(r"""<a\b[^>]*?\bname\s*=\s*["']([^"']+)["']|\bid\s*=\s*["']([^"']+)["']""", re.I)


def text_of(value: Any) -> str:
    """A field of step list data as text: strings as they are, small numbers written out, the
    rest (lists, objects, ``null``) empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int) and abs(value) < 10**18:
        return str(value)
    return ""


def objects(value: Any) -> list[dict[str, Any]]:
    """The objects of a list in step list data; anything else holds none."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def top_steps(steps: Any) -> list[dict[str, Any]]:
    """The top-level steps of step list data (a sub-step's id says nothing of its parent)."""
    return list(objects(steps))


def walk_steps(steps: Any) -> Iterator[dict[str, Any]]:
    """Every step and sub-step of step list data, depth first, at most :data:`MAX_DEPTH` deep."""
    stack: list[tuple[int, Iterator[dict[str, Any]]]] = [(0, iter(objects(steps)))]
    while stack:
        depth, items = stack[-1]
        step = next(items, None)
        if step is None:
            stack.pop()
            continue
        yield step
        if depth + 1 < MAX_DEPTH:
            stack.append((depth + 1, iter(objects(step.get("substeps")))))


def docname_of(url: str, base_url: str = "") -> str:
    """The document name of a URL the step list gives (``support/incidents.html#x``, possibly
    under its base URL), as the ``runbooks`` builder writes them."""
    if base_url and url.startswith(base_url):
        url = url[len(base_url) :]
    path = url.partition("#")[0].partition("?")[0].lstrip("/")
    for suffix in (".html", ".htm"):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path.rstrip("/") + ("/index" if path.endswith("/") else "") if path else "index"


@dataclass(frozen=True)
class Anchor:
    """A runbook's or a step's anchor, and where it is."""

    docname: str
    runbook: str
    #: the step's id; ``None`` for the runbook's own anchor
    step: str | None
    title: str
    #: as displayed (``"3"``); ``None`` for bullets and runbooks
    number: str | None
    #: the id of the top-level step it is, or is under; ``None`` for runbooks
    top: str | None = None

    def describe(self) -> str:
        if self.step is None:
            return f'runbook "{self.title}"'
        number = f"step {self.number} " if self.number else "step "
        return f'{number}"{self.title}"'


@dataclass
class Page:
    """One page of the handbook."""

    docname: str
    #: the source file below the source folder (``support/incidents.md``), when known
    source: str | None = None
    #: the runbooks on the page, in order
    runbooks: list[str] = field(default_factory=list)
    #: every anchor known on the page, as :meth:`Site.anchor_key` looks them up
    ids: set[str] = field(default_factory=set)
    #: the paths below the base URL that show the page, the site's own first
    forms: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Redirect:
    """An old path that leads to a page."""

    docname: str
    #: where the redirect is declared (``redirects in conf.py``, ``aliases of old.md``)
    declared: str


@dataclass(frozen=True)
class PageFacts:
    """What a build knows of one page beyond the step list."""

    docname: str
    source: str | None
    #: the ids of the doctree, which Sphinx writes into the page
    ids: frozenset[str]
    #: the section titles, in document order
    headings: tuple[str, ...]
    #: the anchors the page's raw HTML sets (``<a name="...">``, ``id="..."``)
    html_anchors: frozenset[str] = frozenset()
    #: old URLs the page's metadata names
    aliases: tuple[str, ...] = ()


@dataclass
class HandbookTargets:
    """Everything a ``runbook_url`` may point at."""

    #: the site's base URL as the step list recorded it (``html_baseurl``), or ``""``
    base_url: str
    site: Site = field(default_factory=Site)
    pages: dict[str, Page] = field(default_factory=dict)
    #: every runbook and step anchor (by :meth:`Site.anchor_key`), wherever it is
    anchors: dict[str, Anchor] = field(default_factory=dict)
    #: the runbooks' data by id, in order
    runbooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: True when every page and every id of each page is known (read from a build), so an
    #: unknown page or anchor is certainly wrong; False for a step list alone
    complete: bool = False
    #: (old path key, (docname, declared)) pairs, resolved by :meth:`finish`
    redirect_sources: list[tuple[str, Redirect]] = field(default_factory=list)
    #: path key -> docname, and path key -> redirect, made by :meth:`finish`
    by_path: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, Redirect] = field(default_factory=dict)

    def page(self, docname: str) -> Page:
        found = self.pages.get(docname)
        if found is None:
            found = self.pages[docname] = Page(docname)
        return found

    def finish(self) -> HandbookTargets:
        """Index the pages by every path that shows them, and the redirects by their old paths."""
        site = self.site
        self.by_path = {}
        for docname, page in self.pages.items():
            page.forms = site.page_forms(docname, page.source)
            for form in page.forms:
                self.by_path.setdefault(site.path_key(form), docname)
        self.redirects = {}
        for old, redirect in self.redirect_sources:
            if redirect.docname in self.pages:
                self.redirects.setdefault(site.path_key(old), redirect)
        return self

    def lookup(self, path: str) -> str | None:
        return self.by_path.get(self.site.path_key(path))

    def add_redirect(
        self, old_docname: str | None, old_path: str | None, docname: str, declared: str
    ) -> None:
        """``old_docname``'s page (every path that would show it), or ``old_path``, leads to
        ``docname``."""
        redirect = Redirect(docname, declared)
        olds = self.site.page_forms(old_docname) if old_docname is not None else [old_path or ""]
        self.redirect_sources += [(old, redirect) for old in olds]


def _runbook_title_anchor(site: Site, title: str, headings: tuple[str, ...] | None) -> str | None:
    """The anchor a slug-style site gives the runbook's heading."""
    if headings is None:
        return site.heading_anchors([title])[0] if title else None
    anchors = site.heading_anchors(headings)
    for heading, anchor in zip(headings, anchors, strict=True):
        if heading == title:
            return anchor
    return None


def targets_from_step_list(
    data: dict[str, Any], site: Site | None = None, facts: dict[str, PageFacts] | None = None
) -> HandbookTargets:
    """The targets a step list names: its runbooks' pages and anchors, and the pages and
    anchors of the roles, terms and internal links it resolved. With ``facts`` (from a
    build), every page, its ids and headings complete them."""
    site = site or Site()
    base_url = text_of(data.get("base_url"))
    targets = HandbookTargets(base_url, site)
    sphinx_ids = site.anchor_style == "sphinx"
    for runbook in objects(data.get("runbooks")):
        rid = text_of(runbook.get("id"))
        if not rid or rid in targets.runbooks:
            continue
        targets.runbooks[rid] = runbook
        docname = text_of(runbook.get("docname")) or docname_of(text_of(runbook.get("url")), base_url)
        page = targets.page(docname)
        page.source = page.source or text_of(runbook.get("source")) or None
        page.runbooks.append(rid)
        title = text_of(runbook.get("title"))
        if sphinx_ids:
            anchor = text_of(runbook.get("anchor")) or rid
        else:
            known = facts.get(docname) if facts else None
            anchor = _runbook_title_anchor(site, title, known.headings if known else None) or ""
        if anchor:
            page.ids.add(site.anchor_key(anchor))
            targets.anchors.setdefault(site.anchor_key(anchor), Anchor(docname, rid, None, title, None))
        if not sphinx_ids:
            continue  # steps have anchors only on the pages Sphinx writes
        for top in top_steps(runbook.get("steps")):
            for step in walk_steps([top]):
                step_id = text_of(step.get("id"))
                step_anchor = text_of(step.get("anchor")) or f"{anchor}{STEP_SEPARATOR}{step_id}"
                page.ids.add(step_anchor)
                targets.anchors.setdefault(
                    step_anchor,
                    Anchor(
                        docname,
                        rid,
                        step_id,
                        text_of(step.get("title")) or text_of(step.get("text")),
                        text_of(step.get("number")) or None,
                        text_of(top.get("id")),
                    ),
                )
    if sphinx_ids:
        # roles, terms and resolved internal links name anchors of their own pages
        for url in _resolved_urls(data):
            if read_url(url) is not None and not (base_url and url.startswith(base_url)):
                continue  # a link out of the handbook
            docname = docname_of(url, base_url)
            fragment = url.partition("#")[2]
            page = targets.page(docname)
            if fragment:
                page.ids.add(fragment)
    if facts is not None:
        for docname, fact in facts.items():
            page = targets.page(docname)
            page.source = fact.source or page.source
            if sphinx_ids:
                page.ids.update(fact.ids | fact.html_anchors)
            else:
                page.ids.update(site.anchor_key(a) for a in site.heading_anchors(fact.headings))
                page.ids.update(site.anchor_key(a) for a in fact.html_anchors)
        targets.complete = True
    return targets


def _resolved_urls(data: dict[str, Any]) -> Iterator[str]:
    """The ``url`` of every resolved role, term and internal link in the data."""
    for runbook in objects(data.get("runbooks")):
        refs: list[dict[str, Any]] = objects(runbook.get("owners")) + objects(runbook.get("roles"))
        for step in walk_steps(runbook.get("steps")):
            if isinstance(step.get("owner"), dict):
                refs.append(step["owner"])
            refs += objects(step.get("roles")) + objects(step.get("terms"))
            refs += [link for link in objects(step.get("links")) if link.get("kind") == "internal"]
            for footnote in objects(step.get("footnotes")):
                refs += objects(footnote.get("roles")) + objects(footnote.get("terms"))
        for ref in refs:
            url = text_of(ref.get("url"))
            if ref.get("resolved") is not False and url:
                yield url


# -- what a build knows ----------------------------------------------------------------------


def page_facts(app: Sphinx) -> dict[str, PageFacts]:
    """Every page of a built handbook: its source, the ids of its doctree, its headings, the
    anchors its raw HTML sets and its aliases.

    The ids are those the HTML pages carry for sections, labels, targets
    (team roles), glossary terms and footnotes; runbook and step anchors are
    added by the extension when pages are written and come from the step list.
    """
    from docutils import nodes

    env = app.env
    srcdir = Path(app.srcdir)
    found: dict[str, PageFacts] = {}
    for docname in sorted(env.found_docs):
        try:
            source: str | None = Path(env.doc2path(docname)).relative_to(srcdir).as_posix()
        except ValueError:
            source = None
        ids: set[str] = set()
        html_anchors: set[str] = set()
        headings: list[str] = []
        try:
            doctree = env.get_doctree(docname)
        except Exception:  # a page whose doctree is gone is still a page
            found[docname] = PageFacts(docname, source, frozenset(), ())
            continue
        for node in doctree.findall(nodes.Element):
            ids.update(node.get("ids", ()))
            if isinstance(node, nodes.raw) and "html" in node.get("format", "").split():
                for name, id_ in _HTML_ANCHOR.findall(node.astext()):
                    html_anchors.add(name or id_)
            if isinstance(node, nodes.section) and node.children and isinstance(node[0], nodes.title):
                headings.append(node[0].astext())
        found[docname] = PageFacts(
            docname,
            source,
            frozenset(ids),
            tuple(headings),
            frozenset(html_anchors),
            _aliases(env.metadata.get(docname, {})),
        )
    return found


def _aliases(metadata: dict[str, Any]) -> tuple[str, ...]:
    """The old URLs a page's metadata names; MyST keeps a front matter list as JSON text."""
    found: list[str] = []
    for name in ALIAS_FIELDS:
        value = metadata.get(name)
        if isinstance(value, str) and value.startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                pass
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found += [item for item in value if isinstance(item, str)]
    return tuple(found)


def add_redirects(
    targets: HandbookTargets, facts: dict[str, PageFacts], config: dict[str, Any], confdir: Path
) -> None:
    """The redirects a handbook declares: sphinx-reredirects' ``redirects``, sphinxext-rediraffe's
    ``rediraffe_redirects`` (a mapping, or the file holding one), the pages' ``aliases`` and
    ``redirect_from``, and the site's own ``redirects``."""
    site = targets.site
    targets.finish()
    by_source = {f.source.rsplit(".", 1)[0]: d for d, f in facts.items() if f.source}
    for old, new in _mapping(config.get("redirects")).items():
        if any(c in old for c in "*?[$"):
            continue  # a pattern over documents, not one old page
        docname = _redirect_target(targets, old, new)
        if docname is not None:
            targets.add_redirect(old, None, docname, "redirects in conf.py")
    rediraffe = config.get("rediraffe_redirects")
    pairs = _mapping(rediraffe)
    if isinstance(rediraffe, str):
        pairs = _rediraffe_file(confdir / rediraffe)
    for old, new in pairs.items():
        new_doc = by_source.get(new.rsplit(".", 1)[0] if "." in new else new, new)
        if new_doc in facts:
            targets.add_redirect(old.rsplit(".", 1)[0] if "." in old else old, None, new_doc,
                                 "rediraffe_redirects in conf.py")  # fmt: skip
    base = read_url(targets.base_url) if targets.base_url else None
    for docname, fact in facts.items():
        for alias in fact.aliases:
            path = _alias_path(alias, docname, base.path if base else "/")
            if path is not None:
                targets.add_redirect(None, path, docname, f"aliases of {fact.source or docname}")
    for old, new in site.redirects:
        docname = targets.lookup(new)
        if docname is not None:
            targets.add_redirect(None, old, docname, "redirects of incident_alert_site")


def _mapping(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _rediraffe_file(path: Path) -> dict[str, str]:
    """sphinxext-rediraffe's redirects file: ``old new`` a line, ``#`` comments."""
    pairs: dict[str, str] = {}
    try:
        text = read_text(path)
    except ReadError:  # a redirects file that cannot be read names no redirect
        return pairs
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 2:
            pairs[parts[0].strip("\"'")] = parts[1].strip("\"'")
    return pairs


def _redirect_target(targets: HandbookTargets, old_docname: str, target: str) -> str | None:
    """The page a sphinx-reredirects target leads to: a URL relative to the old page's, or an
    absolute one under the base URL."""
    url = read_url(target)
    if url is not None:
        base = read_url(targets.base_url) if targets.base_url else None
        if base is None:
            return None
        rest = under(url, Base(targets.base_url, base))
        return None if rest is None else targets.lookup(rest)
    old_form = targets.site.page_forms(old_docname)[0]
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(old_form), target.partition("#")[0]))
    if joined.startswith(".."):
        return None
    return targets.lookup("" if joined == "." else joined) or targets.lookup(joined + "/")


def _alias_path(alias: str, docname: str, base_path: str) -> str | None:
    """An alias as a path below the base URL: from the site's root when it starts with ``/``
    (Hugo and Jekyll put it below the base URL; a path that spells the base out is read as
    one), else from the page's folder."""
    if alias.startswith("/"):
        if base_path != "/" and alias.startswith(base_path):
            return alias[len(base_path) :]
        return alias.lstrip("/")
    folder = posixpath.dirname(docname)
    return posixpath.join(folder, alias) if folder else alias
