"""Hostile URLs for the tests, and how a reader meets them: a hypothesis strategy around
browsers' parsing edge cases, an independent reading of the scheme a browser gives an
``href``, an HTML reader of pages and GitHub's rendering of Markdown.

The strategy mixes schemes (safe, unsafe and others) with what browsers ignore or
fold (case, C0 controls, tabs and newlines inside the scheme), what they do not
(percent-encoding, fullwidth and other Unicode look-alikes, non-ASCII colons),
backslashes, missing schemes, ``//`` forms, credentials before a host, IPv4
numbers in other notations, Markdown and HTML syntax, and very long inputs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from hypothesis import strategies as st
from markdown_it import MarkdownIt

SCHEMES = ["javascript", "JavaScript", "data", "vbscript", "file", "http", "https", "mailto", "ftp", "tel"]
#: Unicode characters that look like (or fold to) ASCII letters of the schemes
LOOKALIKES = {
    "a": ["а", "ａ", "ᵃ"],  # noqa: RUF001 (look-alikes on purpose)
    "c": ["с", "ｃ"],  # noqa: RUF001
    "e": ["е", "ｅ"],  # noqa: RUF001
    "h": ["һ", "ｈ"],  # noqa: RUF001
    "i": ["і", "ｉ", "ı"],  # noqa: RUF001
    "j": ["ј", "ｊ"],  # noqa: RUF001
    "p": ["р", "ｐ"],  # noqa: RUF001
    "s": ["ѕ", "ｓ", "ſ"],  # noqa: RUF001
    "t": ["ｔ"],  # noqa: RUF001
    "v": ["ѵ", "ｖ"],  # noqa: RUF001
}
NOISE = [
    "\t",
    "\n",
    "\r",
    "\x00",
    "\x01",
    "\x08",
    "\x1f",
    " ",
    "\x7f",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "%09",
    "%0a",
]
COLONS = [":", ":", ":", ":", "%3a", "%3A", "：", "\ufe55", "&#58;"]  # noqa: RUF001
SLASHES = ["", "/", "//", "//", "//", "\\\\", "/\\", "\\/", "///", "\\", "/%2f", "／／", "\t/\n/"]  # noqa: RUF001
HOSTS = [
    "evil.example",
    "good.example.org",
    "docs.good.example.org",
    "ＥＶＩＬ.example",  # noqa: RUF001
    "evil。example",
    "evil．example",  # noqa: RUF001
    "good.example.org@evil.example",
    "good.example.org.evil.example",
    "evil.example\\@good.example.org",
    "[::1]",
    "127.1",
    "0x7f.0.0.1",
    "2130706433",
    "☃.net",
    "xn--n3h.net",
    "evil%2eexample",
    "evil.example:8080",
    "evil.example:99999",
    "",
    "evil.example.",
    "a b",
]
TAILS = [
    "",
    "/",
    "/x",
    "alert(1)",
    "%0aalert(1)",
    "＃%0aalert(1)",  # noqa: RUF001
    "?q=<x>",
    "#f",
    ")![t](https://evil.example/p.png)",
    "/p?a=1&b=2",
    "/`code`",
    '/"onmouseover=alert(1)',
    "/<script>",
    "/&#x6A;",
    "/a b",
]


@st.composite
def _mutated(draw: st.DrawFn, word: str) -> str:
    """``word`` with its letters upper-cased, swapped for look-alikes, noise put between them."""
    out = []
    for char in word:
        op = draw(st.sampled_from(["keep"] * 5 + ["upper", "look", "noise", "percent"]))
        if op == "upper":
            char = char.swapcase()
        elif op == "look" and char.lower() in LOOKALIKES:
            char = draw(st.sampled_from(LOOKALIKES[char.lower()]))
        elif op == "noise":
            char = draw(st.sampled_from(NOISE)) + char
        elif op == "percent":
            char = f"%{ord(char):02x}"
        out.append(char)
    return "".join(out)


@st.composite
def edge_urls(draw: st.DrawFn) -> str:
    """One URL around the edge cases of browsers' URL parsing."""
    kind = draw(st.sampled_from(["scheme", "scheme", "scheme", "relative", "free"]))
    if kind == "free":
        pieces = st.sampled_from([*NOISE, *COLONS, *SLASHES, *TAILS, "javascript", "http", "evil.example"])
        return "".join(draw(st.lists(pieces | st.text(max_size=3), max_size=8)))
    before = draw(st.sampled_from(["", "", "", " ", "\x01", "\t", "\x00 \n"]))
    host = draw(st.sampled_from(HOSTS))
    tail = draw(st.sampled_from(TAILS))
    long_part = draw(
        st.sampled_from(
            ["", "", "", "", "a" * 3000, "/" * 2000, "%" * 1500, "0." * 500, "9" * 5000, ":" + "9" * 5000]
        )
    )
    if kind == "relative":
        return before + draw(st.sampled_from(SLASHES)) + host + long_part + tail
    scheme = draw(_mutated(draw(st.sampled_from(SCHEMES))))
    return (
        before
        + scheme
        + draw(st.sampled_from(COLONS))
        + draw(st.sampled_from(SLASHES))
        + host
        + long_part
        + tail
    )


#: attributes whose value a browser follows or loads
URL_ATTRIBUTES = ("href", "src", "action", "formaction")
#: schemes that may be followed from a runbook; ``""`` is a relative URL
SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})
_C0_OR_SPACE = "".join(chr(code) for code in range(0x21))


def browser_scheme(href: str) -> str:
    """The scheme a browser gives an ``href`` (``""`` when relative), read as the URL Standard
    says: outer C0 controls and spaces stripped, tabs and newlines removed, ASCII scheme."""
    text = re.sub("[\t\n\r]", "", href.strip(_C0_OR_SPACE))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", text, re.ASCII)
    return match.group(1).lower() if match else ""


class Page(HTMLParser):
    """What a browser sees in a page: its tags, every URL attribute, each link's text and
    ``href``, the text of the links the extension neutralised, and all its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text = ""
        self.urls: list[tuple[str, str]] = []
        self.links: dict[str, str] = {}
        self.neutralised: list[str] = []
        #: open links and neutralised links: tag, href (``None`` when neutralised), depth, text
        self._open: list[list[Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        for name in URL_ATTRIBUTES:
            if found.get(name) is not None:
                self.urls.append((tag, str(found[name])))
        if tag == "a" and found.get("href") is not None:
            self._open.append([tag, str(found["href"]), 0, []])
        elif "incident-unsafe-link" in str(found.get("class") or "").split():
            self._open.append([tag, None, 0, []])
        elif self._open and self._open[-1][0] == tag:
            self._open[-1][2] += 1

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            return
        if self._open[-1][2]:
            self._open[-1][2] -= 1
            return
        _, href, _, text = self._open.pop()
        words = " ".join("".join(text).split())
        if href is None:
            self.neutralised.append(words)
        else:
            self.links[words] = href

    def handle_data(self, data: str) -> None:
        self.text += data
        for entry in self._open:
            entry[3].append(data)

    @classmethod
    def of(cls, html: str) -> Page:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser


def github_html(markdown: str) -> str:
    """Markdown rendered as GitHub renders it (CommonMark, tables, strikethrough), with
    markdown-it's own refusal of ``javascript:`` links turned off: only the export protects."""
    md = MarkdownIt("commonmark").enable(["strikethrough", "table"])
    md.validateLink = lambda url: True
    return md.render(markdown)
