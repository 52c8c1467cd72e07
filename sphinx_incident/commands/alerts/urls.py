"""Runbook links read as browsers read them, and whether one is under the handbook's base URL.

Before a ``runbook_url`` is matched against the handbook it is read the way a
browser (and the web server behind it) reads it: what
:func:`sphinx_incident.urls.parse` does (C0 controls and spaces stripped, tabs
and newlines removed, the scheme's case folded, hosts mapped as browsers map
them), and then the port made explicit only when it is not the scheme's
default (``:443`` on https), backslashes read as slashes, ``.`` and ``..``
segments resolved (``%2e`` included), the path and the fragment
percent-decoded, user names dropped. A link is under a base URL when it goes
to the same host and port, whatever its scheme (``http://`` to a handbook
published on ``https://`` is the same handbook, one redirect away), and its
path starts with the base's path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from ...checking.urls import parse

_DEFAULT_PORTS = {"http": 80, "https": 443}
_AUTHORITY_END = re.compile(r"[/\\?#]")
_SINGLE_DOT = frozenset({".", "%2e"})
_DOUBLE_DOT = frozenset({"..", ".%2e", "%2e.", "%2e%2e"})


@dataclass(frozen=True)
class WebUrl:
    """An http(s) URL as a browser reads it."""

    scheme: str
    #: the host as browsers map it (lowercase, ASCII)
    host: str
    #: ``None`` for the scheme's default port
    port: int | None
    #: starts with ``/``; dot segments resolved, backslashes as slashes, percent-decoded
    path: str
    query: str
    #: percent-decoded, without ``#``; ``None`` when the URL has no ``#``
    fragment: str | None

    @property
    def origin(self) -> str:
        """``host`` or ``host:port``: what two URLs must share to be on the same site."""
        return self.host if self.port is None else f"{self.host}:{self.port}"

    def with_path(self, path: str, fragment: str | None = None) -> str:
        """This URL's scheme and origin with another path (and fragment)."""
        tail = "" if fragment is None else f"#{fragment}"
        return f"{self.scheme}://{self.origin}{path}{tail}"


def resolve_dots(path: str) -> str:
    """``/a/./b/../c`` -> ``/a/c``, as the URL Standard's path parser does (``%2e`` is a dot)."""
    segments = path.split("/")[1:]
    out: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        folded = segment.lower()
        if folded in _SINGLE_DOT:
            if last:
                out.append("")
        elif folded in _DOUBLE_DOT:
            if out:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/" + "/".join(out)


def read_url(url: str) -> WebUrl | None:
    """``url`` as a browser reads it, when it is an absolute http(s) URL with a host; else
    ``None``."""
    parsed = parse(url)
    if parsed.error is not None or parsed.scheme not in _DEFAULT_PORTS or not parsed.host:
        return None
    rest = parsed.text[len(parsed.scheme) + 1 :].lstrip("/\\")
    end = _AUTHORITY_END.search(rest)
    authority, tail = (rest[: end.start()], rest[end.start() :]) if end else (rest, "")
    hostport = authority.rpartition("@")[2]
    port_text = hostport.rpartition("]")[2] if hostport.startswith("[") else hostport
    _, colon, digits = port_text.partition(":")
    port = int(digits.lstrip("0") or "0") if colon and digits else None
    if port == _DEFAULT_PORTS[parsed.scheme]:
        port = None
    before_fragment, hash_, fragment = tail.partition("#")
    path, _, query = before_fragment.partition("?")
    path = resolve_dots(path.replace("\\", "/") or "/")
    return WebUrl(
        parsed.scheme,
        parsed.host,
        port,
        unquote(path, errors="replace"),
        query,
        unquote(fragment, errors="replace") if hash_ else None,
    )


@dataclass(frozen=True)
class Base:
    """A base URL the handbook is published under."""

    #: as given (for messages)
    text: str
    url: WebUrl

    @property
    def path(self) -> str:
        return self.url.path if self.url.path.endswith("/") else self.url.path + "/"


def read_base(text: str) -> Base | None:
    """A base URL as links are compared with it; ``None`` when it is not an http(s) URL."""
    url = read_url(text.strip())
    if url is None:
        return None
    return Base(text.strip(), url)


def under(url: WebUrl, base: Base, fold_case: bool = False) -> str | None:
    """The path of ``url`` below ``base`` (``""`` for the base itself), or ``None``."""
    if url.origin != base.url.origin:
        return None
    path, prefix = url.path, base.path
    if fold_case:
        path, prefix = path.casefold(), prefix.casefold()
    if path.startswith(prefix):
        # folding may change a string's length (U+0130); the folded rest is then what matches
        return url.path[len(prefix) :] if len(path) == len(url.path) else path[len(prefix) :]
    if path + "/" == prefix:
        return ""
    return None
