"""How the published site names the handbook's pages and anchors.

The same Markdown sources are published in different shapes, and an alert's
``runbook_url`` is written for the site as published. A :class:`Site` says
which URL paths (below the base URL) lead to each page, and which anchors
each page has:

``sphinx`` (the default)
    Sphinx's ``html`` or ``dirhtml`` builder: ``page.html``, ``page/``,
    ``page`` and ``page/index.html`` are the page; anchors are the ids
    Sphinx writes (sections, labels, runbooks, steps, roles, terms).
``html`` / ``dirhtml``
    only the URLs of that builder.
``mkdocs``
    ``page/`` (``use_directory_urls``), ``index.md`` and ``README.md`` as the
    folder's page; heading anchors as Python-Markdown's ``toc`` makes them.
``hugo``
    ``page/`` in lower case, ``_index.md`` and ``index.md`` as the folder's
    page; heading anchors as Hugo's default (GitHub's rules).
``docusaurus``
    ``page`` or ``page/``, number prefixes (``01-``) dropped, ``index.md`` and
    ``README.md`` as the folder's page; heading anchors by GitHub's rules.
``github`` / ``gitlab``
    the Markdown sources shown by the forge: ``page.md`` below a base URL such
    as ``https://github.com/OWNER/REPO/blob/BRANCH/docs/`` (``/tree/`` works
    too), ``README.md`` also as the folder; anchors by that forge's heading
    rules (GitHub finds them whatever their case, GitLab does not).

On top of a preset, ``fold_case`` matches paths whatever their case (a
server that folds case), ``rewrite`` rules turn a link's path into the
path the pages are known by (regular expressions, first match wins), and
``redirects`` name old paths that lead to pages (as the handbook's redirect
extension or the site's aliases do).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: every preset, and what it describes (for --help and messages)
PRESETS: dict[str, str] = {
    "sphinx": "Sphinx html or dirhtml (the default)",
    "html": "Sphinx html: page.html",
    "dirhtml": "Sphinx dirhtml: page/",
    "mkdocs": "MkDocs: page/, toc heading anchors",
    "hugo": "Hugo: lower-case page/, GitHub-style heading anchors",
    "docusaurus": "Docusaurus: page, GitHub-style heading anchors",
    "github": "Markdown sources on GitHub: page.md, GitHub heading anchors",
    "gitlab": "Markdown sources on GitLab: page.md, GitLab heading anchors",
}
#: the keys of ``incident_alert_site``
SITE_KEYS = ("preset", "fold_case", "rewrite", "redirects")

#: how each preset makes heading anchors (``sphinx``: the ids the build wrote)
_ANCHORS = {
    "sphinx": "sphinx",
    "html": "sphinx",
    "dirhtml": "sphinx",
    "mkdocs": "mkdocs",
    "hugo": "github",
    "docusaurus": "github",
    "github": "github",
    "gitlab": "gitlab",
}
#: document names that are their folder's page
_INDEX_NAMES = {
    "mkdocs": ("index", "README"),
    "hugo": ("_index", "index"),
    "docusaurus": ("index", "README"),
    "github": ("README",),
    "gitlab": ("README",),
}
#: ``{#custom-id}`` at the end of a heading, which these generators take as its anchor
_EXPLICIT_ID = re.compile(r"\s*\{#([^\s{}]+)\}\s*$")
_NUMBER_PREFIX = re.compile(r"^\d+[-_.]")


class SiteError(Exception):
    """A site description that cannot be used: an unknown preset or key, a bad expression."""


def _keep_for_slug(char: str) -> bool:
    """GitHub's and GitLab's ``[^\\p{Word}\\- ]``: letters, marks, numbers, connectors, ``-``, space."""
    return char in "- " or unicodedata.category(char)[0] in "LMN" or unicodedata.category(char) == "Pc"


def github_slug(text: str) -> str:
    """A heading's anchor as GitHub (and github-slugger, Hugo, Docusaurus) makes it, before
    duplicates are numbered."""
    return "".join(c for c in text.strip().lower() if _keep_for_slug(c)).replace(" ", "-")


def gitlab_slug(text: str) -> str:
    """A heading's anchor as GitLab makes it: GitHub's, with runs of hyphens made one."""
    return re.sub(r"-{2,}", "-", github_slug(text))


def mkdocs_slug(text: str) -> str:
    """A heading's anchor as Python-Markdown's ``toc`` extension (MkDocs) makes it."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", ascii_text).strip().lower())


def _numbered_dash(slugs: Iterable[str]) -> list[str]:
    """``a``, ``a`` -> ``a``, ``a-1`` (github-slugger's numbering of repeated anchors)."""
    occurrences: dict[str, int] = {}
    out = []
    for original in slugs:
        slug = original
        while slug in occurrences:
            occurrences[original] += 1
            slug = f"{original}-{occurrences[original]}"
        occurrences[slug] = 0
        out.append(slug)
    return out


def _numbered_underscore(slugs: Iterable[str]) -> list[str]:
    """``a``, ``a`` -> ``a``, ``a_1`` (Python-Markdown's numbering; an empty one becomes ``_1``)."""
    seen: set[str] = set()
    out = []
    for slug in slugs:
        while slug in seen or not slug:
            match = re.match(r"^(.*)_([0-9]+)$", slug)
            slug = f"{match.group(1)}_{int(match.group(2)) + 1}" if match else f"{slug}_1"
        seen.add(slug)
        out.append(slug)
    return out


@dataclass(frozen=True)
class Site:
    """The published site's shape (see the module's documentation)."""

    preset: str = "sphinx"
    fold_case: bool = False
    rewrites: tuple[tuple[re.Pattern[str], str], ...] = ()
    #: (old path, new path) below the base URL
    redirects: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def anchor_style(self) -> str:
        return _ANCHORS[self.preset]

    @property
    def anchors_fold_case(self) -> bool:
        """GitHub's page script finds a heading's anchor whatever the link's case."""
        return self.preset == "github"

    @property
    def is_forge(self) -> bool:
        return self.preset in ("github", "gitlab")

    # -- pages -------------------------------------------------------------------------
    def page_forms(self, docname: str, source: str | None = None) -> list[str]:
        """The paths below the base URL that show the page, the one the site links to first."""
        preset = self.preset
        if preset in ("github", "gitlab"):
            path = source or f"{docname}.md"
            folder, _, name = path.rpartition("/")
            forms = [path]
            if name.rsplit(".", 1)[0] in _INDEX_NAMES[preset]:
                forms += [f"{folder}/" if folder else "", folder]
            return _unique(forms)
        folder, _, name = docname.rpartition("/")
        if preset == "docusaurus":
            folder = "/".join(_NUMBER_PREFIX.sub("", part) for part in folder.split("/")) if folder else ""
            name = _NUMBER_PREFIX.sub("", name)
        slash = f"{folder}/" if folder else ""
        index = name in _INDEX_NAMES.get(preset, ("index",))
        if preset in ("sphinx", "html", "dirhtml"):
            if index:
                forms = [slash, f"{slash}index.html"] + ([folder] if preset != "html" else [])
            elif preset == "html":
                forms = [f"{slash}{name}.html"]
            elif preset == "dirhtml":
                forms = [f"{slash}{name}/", f"{slash}{name}", f"{slash}{name}/index.html"]
            else:
                forms = [
                    f"{slash}{name}.html",
                    f"{slash}{name}/",
                    f"{slash}{name}",
                    f"{slash}{name}/index.html",
                ]
        elif preset == "docusaurus":
            forms = [folder, slash] if index else [f"{slash}{name}", f"{slash}{name}/"]
        else:  # mkdocs, hugo: directory URLs
            forms = [slash, f"{slash}index.html"] if index else [
                f"{slash}{name}/", f"{slash}{name}", f"{slash}{name}/index.html"
            ]  # fmt: skip
        if preset == "hugo":
            forms = [form.lower().replace(" ", "-") for form in forms]
        return _unique(forms)

    def path_key(self, path: str) -> str:
        """A path as pages are looked up by: case folded when the server folds it."""
        return path.casefold() if self.fold_case else path

    def rewrite(self, path: str) -> str:
        """The path after the first rewrite rule that matches it."""
        for pattern, replacement in self.rewrites:
            if pattern.search(path):
                return pattern.sub(replacement, path, count=1)
        return path

    def base_variants(self, path: str) -> list[str]:
        """A base URL's path and the other paths the forge shows the same files under
        (``/blob/`` and ``/tree/``)."""
        variants = [path]
        if self.preset == "github":
            for old, new in (("/blob/", "/tree/"), ("/tree/", "/blob/")):
                if old in path:
                    variants.append(path.replace(old, new, 1))
        elif self.preset == "gitlab":
            for old, new in (("/-/blob/", "/-/tree/"), ("/-/tree/", "/-/blob/")):
                if old in path:
                    variants.append(path.replace(old, new, 1))
            variants += [v.replace("/-/", "/", 1) for v in list(variants) if "/-/" in v]
        return _unique(variants)

    # -- anchors -----------------------------------------------------------------------
    def heading_anchors(self, headings: Sequence[str]) -> list[str]:
        """The anchors the site gives a page's headings, in order (not for ``sphinx`` styles,
        whose ids come from the build)."""
        style = self.anchor_style
        explicit_ok = self.preset in ("hugo", "mkdocs", "docusaurus")
        slugs = []
        for heading in headings:
            match = _EXPLICIT_ID.search(heading) if explicit_ok else None
            if match:
                slugs.append(("explicit", match.group(1)))
                continue
            if style == "mkdocs":
                slugs.append(("auto", mkdocs_slug(heading)))
            elif style == "gitlab":
                slugs.append(("auto", gitlab_slug(heading)))
            else:
                slugs.append(("auto", github_slug(heading)))
        autos = [s for kind, s in slugs if kind == "auto"]
        numbered = iter(_numbered_underscore(autos) if style == "mkdocs" else _numbered_dash(autos))
        return [s if kind == "explicit" else next(numbered) for kind, s in slugs]

    def anchor_key(self, anchor: str) -> str:
        """An anchor as it is looked up: GitHub's ``user-content-`` prefix dropped, its case
        folded where the site's script finds anchors whatever their case."""
        if self.is_forge and anchor.startswith("user-content-"):
            anchor = anchor[len("user-content-") :]
        return anchor.lower() if self.anchors_fold_case else anchor


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def url_style(path: str) -> str:
    """How a link writes a page: ``.html``, ``/`` (a folder), ``.md`` or ``""`` (bare)."""
    last = path.rsplit("/", 1)[-1]
    if not last:
        return "/"
    for suffix in (".html", ".htm", ".md"):
        if last.endswith(suffix):
            return ".html" if suffix == ".htm" else suffix
    return ""


def in_style(forms: Sequence[str], style: str) -> str:
    """The page's form in a link's style, else the site's own."""
    for form in forms:
        if url_style(form) == style and (form or style == "/"):
            return form
    return forms[0]


def site_from(
    conf: Mapping[str, Any] | None,
    *,
    preset: str | None = None,
    fold_case: bool | None = None,
    rewrites: Sequence[str] = (),
) -> Site:
    """The site described by ``incident_alert_site`` (``conf``), with the command line's
    options over it. A description that cannot be used is a :class:`SiteError`."""
    conf = dict(conf or {})
    unknown = sorted(str(k) for k in conf if k not in SITE_KEYS)
    if unknown:
        raise SiteError(f"incident_alert_site has unknown keys {unknown}: known are {list(SITE_KEYS)}")
    chosen = preset or conf.get("preset") or "sphinx"
    if chosen not in PRESETS:
        raise SiteError(f"unknown site preset {chosen!r}: one of {', '.join(PRESETS)}")
    folded = conf.get("fold_case", False) if fold_case is None else fold_case
    if not isinstance(folded, bool):
        raise SiteError("incident_alert_site['fold_case'] is True or False")
    pairs: list[tuple[str, str]] = []
    configured = conf.get("rewrite") or []
    if not isinstance(configured, list | tuple):
        raise SiteError("incident_alert_site['rewrite'] is a list of [pattern, replacement] pairs")
    for item in configured:
        if not (isinstance(item, list | tuple) and len(item) == 2 and all(isinstance(p, str) for p in item)):
            raise SiteError(
                f"incident_alert_site['rewrite'] item {item!r} is not a [pattern, replacement] pair"
            )
        pairs.append((item[0], item[1]))
    for item in rewrites:
        pattern, sep, replacement = item.partition("=")
        if not sep or not pattern:
            raise SiteError(f"--rewrite expects PATTERN=REPLACEMENT, got {item!r}")
        pairs.append((pattern, replacement))
    compiled = []
    for pattern, replacement in pairs:
        try:
            regex = re.compile(pattern)
            regex.sub(replacement, "", count=1)  # a bad group reference fails here, not later
        except (re.error, IndexError) as exc:
            raise SiteError(f"rewrite {pattern!r} -> {replacement!r}: {exc}") from None
        compiled.append((regex, replacement))
    redirects = conf.get("redirects") or {}
    if not isinstance(redirects, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in redirects.items()
    ):
        raise SiteError("incident_alert_site['redirects'] maps old paths to new paths (strings)")
    return Site(
        chosen,
        folded,
        tuple(compiled),
        tuple((k.lstrip("/"), v.lstrip("/")) for k, v in redirects.items()),
    )
