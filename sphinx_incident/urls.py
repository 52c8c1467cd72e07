"""URL safety: which links may be rendered as links, in pages, exports and the step list."""

from __future__ import annotations

from urllib.parse import urlsplit

#: URL schemes that run code or read local files when followed: never rendered as links
UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript", "file"})
#: URL schemes a runbook link is expected to use
ALLOWED_SCHEMES = frozenset({"https", "http", "mailto"})


def scheme_of(url: str) -> str:
    """The lowercased scheme of a URL (``""`` for relative URLs and unparsable ones)."""
    try:
        return urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""


def unsafe_scheme(url: str) -> bool:
    """Whether a URL runs code or reads local files when followed."""
    # browsers ignore control characters and whitespace inside the scheme
    compact = "".join(ch for ch in url if ch > " ")
    return scheme_of(compact) in UNSAFE_SCHEMES
