"""Keeping what a document says from becoming active content in pages, exports and the step list.

Runbooks are pasted from chat, tickets and wikis; a ``javascript:`` or
``data:`` URL in one would become a clickable script in the handbook (docutils
and sphinx-design render such URLs as links unchanged). Inside runbooks they
are rendered as their text instead, the Markdown exports keep them as text,
the step list never offers them as a URL, and the ``unsafe_url`` check
reports them.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .collect import RUNBOOK_ROOT_CLASS

#: schemes that run code or read local files when followed: never rendered as links
UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript", "file"})
#: schemes a runbook link is expected to use
ALLOWED_SCHEMES = frozenset({"https", "http", "mailto"})
#: browsers ignore ASCII whitespace and control characters inside a scheme
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]+")


def scheme_of(url: str) -> str:
    """The lowercased scheme of a URL (``""`` for relative URLs and unparsable ones)."""
    try:
        return urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""


def is_unsafe_url(url: str) -> bool:
    """``True`` for ``javascript:``, ``data:``, ``vbscript:`` and ``file:`` URLs, however spelt."""
    return scheme_of(_IGNORED_BY_BROWSERS.sub("", url)) in UNSAFE_SCHEMES


def _runbook_roots(document: nodes.document) -> list[nodes.Element]:
    return [node for node in document.findall(nodes.Element) if RUNBOOK_ROOT_CLASS in node.get("classes", ())]


class NeutraliseUnsafeLinks(SphinxPostTransform):
    """Replace unsafe-URL references inside runbooks by their text, for every builder."""

    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        for root in _runbook_roots(self.document):
            for ref in list(root.findall(nodes.reference)):
                if ref.parent is None or not is_unsafe_url(str(ref.get("refuri", ""))):
                    continue
                text = nodes.inline("", "", *ref.children, classes=["incident-unsafe-link"])
                text.source, text.line = ref.source, ref.line
                ref.replace_self(text)
