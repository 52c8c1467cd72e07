"""The published site's URLs: page URLs from the builder, relative and absolute forms.

Pure string arithmetic over what the builder answers (``get_target_uri``),
shared by the resolution of runbooks, the team role links and the pages.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from sphinx.errors import NoUri
from sphinx.util import osutil

from ..domain import single_fragment

if TYPE_CHECKING:
    from sphinx.builders import Builder

#: a URL with a scheme, or protocol-relative: used as it is
_ABSOLUTE_PREFIXES = ("//",)
_FAKE_ORIGIN = "http://incident.invalid/"


#: what a builder raises for a page it has no URL for: ``NoUri`` for one it leaves out, and
#: ``NotImplementedError`` from builders that write no pages at all (``changes``, ``coverage``)
NO_URI = (NoUri, NotImplementedError)


def target_uri(builder: Builder, docname: str) -> str | None:
    """The builder's URL of a document, ``None`` when it has none."""
    try:
        return builder.get_target_uri(docname)
    except NO_URI:
        return None


def has_pages(builder: Builder, docname: str) -> bool:
    """Whether the builder writes pages that links can point at (``changes`` and ``coverage``
    write reports instead: their ``get_target_uri`` is not implemented)."""
    try:
        builder.get_target_uri(docname)
    except NotImplementedError:
        return False
    except NoUri:
        pass
    return True


def relative_uri(builder: Builder, fromdoc: str, docname: str) -> str | None:
    """The builder's URL of a document relative to another, ``None`` when it has none."""
    try:
        return builder.get_relative_uri(fromdoc, docname)
    except NO_URI:
        return None


class PageUrls:
    """URLs of the built pages, relative to the site root (or absolute under ``html_baseurl``)."""

    def __init__(self, builder: Builder, baseurl: str = "") -> None:
        self.builder = builder
        self.baseurl = baseurl.rstrip("/") + "/" if baseurl else ""
        self._pages: dict[str, str] = {}

    def page(self, docname: str) -> str:
        """The page of a document, without the site root; ``""`` when the builder has none."""
        found = self._pages.get(docname)
        if found is None:
            found = target_uri(self.builder, docname) or ""
            if found.startswith("#"):
                # a single-page builder: every document is a part of the root page
                suffix = getattr(self.builder, "out_suffix", ".html")
                found = f"{self.builder.config.root_doc}{suffix}{found}"
            self._pages[docname] = found
        return found

    def url(self, docname: str, anchor: str = "") -> str:
        """The URL of a document (and an anchor in it), as published."""
        page = self.page(docname)
        url = f"{page.split('#', 1)[0]}#{anchor}" if anchor else page
        return self.absolute(url)

    def absolute(self, url: str) -> str:
        if not self.baseurl or _has_scheme(url) or url.startswith("/"):
            return url
        return self.baseurl + url

    def from_page(self, docname: str, refuri: str) -> str:
        """A URL written relative to ``docname``'s page, relative to the site root instead."""
        refuri = single_fragment(refuri)
        if _has_scheme(refuri) or refuri.startswith(_ABSOLUTE_PREFIXES) or refuri.startswith("/"):
            return refuri
        page = self.page(docname)
        if refuri.startswith("#"):
            return self.absolute(page.split("#", 1)[0] + refuri)
        joined = urljoin(_FAKE_ORIGIN + page.split("#", 1)[0], refuri)
        return self.absolute(joined.removeprefix(_FAKE_ORIGIN))


def _has_scheme(url: str) -> bool:
    try:
        return bool(urlsplit(url).scheme)
    except ValueError:
        return False


def relative_to(page: str, url: str | None) -> str | None:
    """A site-root-relative URL, relative to ``page`` (a page URL from the same root), as
    Sphinx writes its own links: ``ops/roles.html#x`` from ``ops/triage.html`` is
    ``roles.html#x``, and a link into the page itself is ``#x``. (Sphinx's ``relative_uri``
    leaves the fragment out; it is put back.)"""
    if not url or _has_scheme(url) or url.startswith(("/", "#")):
        return url
    path, hash_, fragment = url.partition("#")
    relative = osutil.relative_uri(page.split("#", 1)[0], path)
    if not relative and not hash_:
        relative = posixpath.basename(path) or "./"
    return relative + hash_ + fragment
