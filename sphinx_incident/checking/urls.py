"""The one decision on URLs: what a browser makes of a URL, and whether a runbook may link to it.

Every place a runbook's URL can become a link asks this module: the pages
(:mod:`~sphinx_incident.rendering.safety`), ``runbooks.json`` and the step list
(:mod:`~sphinx_incident.checking.resolve`), the exports
(:mod:`~sphinx_incident.rendering.markdown`), the checks
(:mod:`~sphinx_incident.checking.checks`) and the link checker. A URL is read the way
browsers read it (the WHATWG URL Standard's basic URL parser, for the parts
that decide where a link goes): leading and trailing C0 controls and spaces
are stripped, tabs and newlines anywhere are removed, the scheme is only
ASCII letters, digits, ``+``, ``-`` and ``.`` and its case is folded, a
backslash counts as a slash in ``http(s)`` URLs and in relative ones (pages
are served over http(s)), ``//host``, ``\\\\host`` and ``/\\host`` go to
``host``, and hosts are mapped as browsers map them (UTS #46: fullwidth
letters and ideographic full stops fold to ASCII, IPv4 numbers in any
notation are canonicalised).

Only ``http``, ``https`` and ``mailto`` URLs and relative ones may become
links (an allowlist, not a list of schemes known to be dangerous); an URL a
browser could not parse, or could parse two ways depending on the page it is
on (``https:host`` without ``//``), is never a link either.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote_to_bytes

import idna

#: schemes a runbook may link to; relative URLs may be links too
LINK_SCHEMES = frozenset({"https", "http", "mailto"})
#: schemes that run code or read local files when followed: reported as ``unsafe_url``
UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript", "file"})
#: schemes whose URLs go to a host (and where a backslash is a slash)
_HOST_SCHEMES = frozenset({"https", "http"})

_C0_OR_SPACE = "".join(chr(code) for code in range(0x21))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:", re.ASCII)
_SLASHES = "/\\"
#: where the authority of an http(s) or scheme-relative URL ends
_AUTHORITY_END = re.compile(r"[/\\?#]")
_PORT = re.compile(r"[0-9]*", re.ASCII)
_OPAQUE_AUTHORITY_END = re.compile(r"[/?#]")
#: code points a browser refuses in the host of a URL of another scheme
#: (URL Standard, "forbidden host code point")
_FORBIDDEN_HOST = frozenset("\x00\t\n\r #/:<>?@[\\]^|")
#: code points a browser refuses in a domain once it is mapped
#: (URL Standard, "forbidden domain code point")
_FORBIDDEN_DOMAIN = frozenset("\x00\t\n\r #/:<>?@[\\]^|%\x7f") | frozenset(chr(c) for c in range(0x20))
_IPV4_DIGITS = {
    10: frozenset("0123456789"),
    16: frozenset("0123456789abcdefABCDEF"),
    8: frozenset("01234567"),
}

#: the domains reserved for examples (RFC 2606): a link there was never filled in. Development
#: addresses (``localhost``, ``127.0.0.1``, a port-forward) are real places a step sends people
_PLACEHOLDER_HOSTS = ("example.com", "example.org", "example.net")
_PLACEHOLDER_TEXT = re.compile(r"\bTODO\b|\bFIXME\b|\bXXX\b|<[^<>]*>|%3C[^%]*%3E", re.IGNORECASE)


@dataclass(frozen=True)
class Url:
    """What a browser makes of a URL written in a document."""

    #: the URL as a browser reads it: stripped, tabs and newlines removed
    text: str
    #: the scheme, lowercase; ``""`` for a relative URL
    scheme: str
    #: where an http(s) or scheme-relative URL goes (ASCII, lowercase); ``None`` for others
    host: str | None = None
    #: why a browser would not parse it, or would parse it differently on different pages
    error: str | None = None

    @property
    def is_link(self) -> bool:
        """May this URL be rendered as a link?"""
        return bool(self.text) and self.error is None and (not self.scheme or self.scheme in LINK_SCHEMES)


def clean(url: str) -> str:
    """The URL as a browser reads it: outer C0 controls and spaces stripped, tabs and newlines removed."""
    return _TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE))


@lru_cache(maxsize=4096)
def parse(url: str) -> Url:
    """Read ``url`` as a browser does, as far as it decides where a link goes. (Every link of
    every page is read, twice, and a handbook's pages share most of their URLs: each is read
    once; a :class:`Url` is frozen.)"""
    text = clean(url)
    if not text:
        return Url(text, "", error="it is empty")
    match = _SCHEME.match(text)
    if match is None:
        # relative, resolved against a page served over http(s): two slashes or
        # backslashes in any mix (and any more after them) start a host
        if len(text) >= 2 and text[0] in _SLASHES and text[1] in _SLASHES:
            host, error = _authority_host(text.lstrip(_SLASHES))
            return Url(text, "", host, error)
        return Url(text, "")
    scheme = match.group()[:-1].lower()
    if scheme not in _HOST_SCHEMES:
        if text[match.end() :].startswith("//"):
            # ``mailto://x``: an authority, which a browser can refuse; the mail
            # program, not the browser, goes there
            return Url(text, scheme, error=_opaque_authority_error(text[match.end() + 2 :]))
        return Url(text, scheme)
    rest = text[match.end() :]
    after = rest.lstrip(_SLASHES)
    if len(rest) - len(after) < 2:
        # ``https:host`` and ``https:/host`` are a path on a page of the same
        # scheme and a host on any other: never a link
        return Url(text, scheme, error=f"{scheme}: is not followed by //")
    host, error = _authority_host(after)
    return Url(text, scheme, host, error)


def link_url(url: str | None) -> str | None:
    """``url`` as a browser reads it when a runbook may link to it, else ``None`` (show it as text)."""
    if url is None:
        return None
    parsed = parse(url)
    return parsed.text if parsed.is_link else None


@lru_cache(maxsize=4096)
def may_link(url: str, *, in_runbook: bool) -> bool:
    """Whether a URL, as a page will carry it, may stay a link there: the one decision for
    every link of every page. In a runbook (and what its steps cite) only URLs that may be links
    (:func:`link_url`); anywhere else, any URL but those that run script or open local files
    (:func:`is_unsafe`). No URL at all (the page itself) is always one. (Asked of every link of
    every page, twice: a pure function of its arguments, answered once for each.)"""
    if not clean(url):
        return True
    if in_runbook:
        return link_url(url) is not None
    return not is_unsafe(url)


def is_unsafe(url: str) -> bool:
    """``True`` for ``javascript:``, ``data:``, ``vbscript:`` and ``file:`` URLs, however spelt."""
    return parse(url).scheme in UNSAFE_SCHEMES


def problem(url: str) -> tuple[str, str] | None:
    """The rule and message for a URL that is empty, malformed, unsafe, of another scheme
    or a placeholder; ``None`` for a URL that is fine."""
    parsed = parse(url)
    shown = url if len(url) <= 80 else url[:77] + "..."
    if not parsed.text:
        return "bad_url", "the link has an empty URL"
    if parsed.scheme in UNSAFE_SCHEMES:
        return "unsafe_url", f"the URL {shown!r} uses {parsed.scheme}:, which is never rendered as a link"
    if parsed.error is not None:
        return "bad_url", f"the URL {shown!r} is malformed ({parsed.error}), so it is shown as text"
    if parsed.scheme and parsed.scheme not in LINK_SCHEMES:
        return (
            "url_scheme",
            f"the URL {shown!r} uses {parsed.scheme}:, so it is shown as text; "
            "use https://, http:// or mailto:",
        )
    host = (parsed.host or "").rstrip(".")
    if any(_within(host, h) for h in _PLACEHOLDER_HOSTS) or _PLACEHOLDER_TEXT.search(parsed.text):
        return "placeholder_url", f"the URL {shown!r} is a placeholder; put the real URL in"
    return None


def outside_hosts(url: str, hosts: Sequence[str]) -> str | None:
    """The host ``url`` goes to when ``hosts`` is set and does not hold it, else ``None``.

    A URL with a problem of its own (:func:`problem`) is left to that rule."""
    if not hosts or problem(url) is not None:
        return None
    host = parse(url).host
    if not host:
        return None
    host = host.rstrip(".")
    return None if any(_within(host, _allowed(h)) for h in hosts) else host


def _allowed(entry: str) -> str:
    """An ``incident_link_hosts`` entry, mapped as hosts in URLs are."""
    text = entry.strip().strip(".")
    host, error = _host(text)
    return (host if error is None and host is not None else text.lower()).rstrip(".")


def _within(host: str, allowed: str) -> bool:
    """``host`` is ``allowed`` or, for a domain, one of its subdomains."""
    if not allowed:
        return False
    if host == allowed:
        return True
    return not _is_ip(host) and host.endswith("." + allowed)


def _is_ip(host: str) -> bool:
    return host.startswith("[") or _ends_in_number(host)


# -- hosts (URL Standard: the authority and host parsers) ----------------------------------


def _authority_host(rest: str) -> tuple[str | None, str | None]:
    """The host of an http(s) authority (what follows ``//``), or why it is not one."""
    hostname, error = _split_authority(rest, _AUTHORITY_END)
    if error is not None:
        return None, error
    return _host(hostname)


def _opaque_authority_error(rest: str) -> str | None:
    """Why a browser refuses the authority of a URL of another scheme, if it does."""
    hostname, error = _split_authority(rest, _OPAQUE_AUTHORITY_END)
    if error is None and not hostname.startswith("[") and any(c in _FORBIDDEN_HOST for c in hostname):
        error = "the host has characters not allowed in a host name"
    return error


def _split_authority(rest: str, ends: re.Pattern[str]) -> tuple[str, str | None]:
    """The host part of an authority, and why its port is refused, if it is."""
    end = ends.search(rest)
    # the host follows the last ``@``: ``https://good.example@evil.example``
    authority = (rest[: end.start()] if end else rest).rpartition("@")[2]
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            return authority, "an IPv6 host is not closed by ]"
        hostname, after = authority[: close + 1], authority[close + 1 :]
        if after and not after.startswith(":"):
            return hostname, "text follows the IPv6 host"
        port = after[1:]
    else:
        hostname, _, port = authority.partition(":")
    digits = port.lstrip("0")  # leading zeros are allowed, and int() refuses very long numbers
    if not _PORT.fullmatch(port) or len(digits) > 5 or int(digits or "0") > 65535:
        return hostname, f"the port {port[:20]!r} is not a number up to 65535"
    return hostname, None


def _host(text: str) -> tuple[str | None, str | None]:
    if not text:
        return None, "it has no host"
    if text.startswith("["):
        inner = text[1:-1] if text.endswith("]") else ""
        try:
            if "%" in inner:
                raise ValueError(inner)
            return f"[{ipaddress.IPv6Address(inner).compressed}]", None
        except ValueError:
            return None, "the IPv6 host is malformed"
    decoded = unquote_to_bytes(text).decode("utf-8", errors="replace")
    try:
        mapped = _uts46_map(decoded)
    except (idna.IDNAError, ValueError):
        return None, "the host has characters not allowed in a host name"
    labels = mapped.split(".")
    if not mapped.isascii() or any(label.startswith("xn--") for label in labels):
        try:
            labels = _ascii_labels(labels)
        except (idna.IDNAError, UnicodeError):
            return None, "the host's international name is malformed"
    host = ".".join(labels)
    if not host:
        return None, "it has no host"
    if any(char in _FORBIDDEN_DOMAIN for char in host):
        return None, "the host has characters not allowed in a host name"
    if _ends_in_number(host):
        ipv4 = _ipv4(host)
        if ipv4 is None:
            return None, "the host looks like an IPv4 address but is not one"
        return ipv4, None
    return host, None


def _ascii_labels(labels: list[str]) -> list[str]:
    """International labels as ``xn--`` labels, checked as browsers check them (UTS #46:
    punycode that decodes, no leading combining mark, joiners in context, the bidi rule)."""
    unicode_labels = [
        label[4:].encode("ascii").decode("punycode") if label.startswith("xn--") else label
        for label in labels
    ]
    # a name with a right-to-left label is a bidi name: every label must keep the bidi rule
    rtl = any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for label in unicode_labels for c in label)
    for label in unicode_labels:
        if not label:
            continue
        idna.check_initial_combiner(label)
        if any(unicodedata.category(char) == "Cn" for char in label):
            # browsers' Unicode versions differ; a code point unassigned in ours is refused
            raise idna.IDNAError("an unassigned code point")
        for position, char in enumerate(label):
            if char in "\u200c\u200d" and not idna.valid_contextj(label, position):
                raise idna.IDNAError("a joiner out of context")
        if rtl:
            idna.check_bidi(label, check_ltr=True)
    return [
        label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii") for label in labels
    ]


def _uts46_map(domain: str) -> str:
    """UTS #46 mapping as browsers apply it (no STD3 rules). International names longer
    than idna maps (1024 characters) are refused; Chromium refuses them from a little
    over that length too."""
    if domain.isascii():
        return domain.lower()
    return idna.uts46_remap(domain, std3_rules=False)


def _ends_in_number(host: str) -> bool:
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1]
    return bool(last) and ((last.isascii() and last.isdigit()) or _ipv4_number(last) is not None)


def _ipv4_number(part: str) -> int | None:
    if not part:
        return None
    radix = 10
    if part[:2] in ("0x", "0X"):
        part, radix = part[2:], 16
    elif len(part) > 1 and part[0] == "0":
        part, radix = part[1:], 8
    if not part:
        return 0
    if not set(part) <= _IPV4_DIGITS[radix]:
        return None
    try:
        return int(part, radix)
    except ValueError:  # more digits than int() converts: far too large anyway
        return 1 << 64


def _ipv4(host: str) -> str | None:
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        return None
    numbers = [_ipv4_number(part) for part in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    address = values[-1] + sum(n * 256 ** (3 - i) for i, n in enumerate(values[:-1]))
    return str(ipaddress.IPv4Address(address))
