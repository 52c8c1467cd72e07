"""Stable, safe identifiers for runbooks and steps.

Ids end up in HTML ``id`` attributes, URL fragments, browser storage keys and
file names, so they are reduced to lowercase word characters and hyphens:
nothing in them can escape an output directory or break out of an attribute.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

_NON_WORD = re.compile(r"[^\w]+")
_UNDERSCORES = re.compile(r"_+")

#: longest slug derived from a title, cut at a word boundary
MAX_SLUG = 48
#: words taken from a step's text when it has no title
UNTITLED_WORDS = 6


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """``"Trigger an incident in PagerDuty!"`` -> ``"trigger-an-incident-in-pagerduty"``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    slug = _NON_WORD.sub("-", text)
    slug = _UNDERSCORES.sub("-", slug).strip("-")
    if len(slug) > max_length:
        cut = slug.rfind("-", 0, max_length + 1)
        slug = slug[: cut if cut > 0 else max_length].strip("-")
    return slug


def untitled_slug(text: str) -> str:
    """A slug from the first words of a step that has no title."""
    words = slugify(text, max_length=10_000).split("-")
    return slugify("-".join(words[:UNTITLED_WORDS]))


def free_id(wanted: str, taken: Container[str]) -> str:
    """``wanted``, or the first of ``wanted-2``, ``wanted-3``... that is not taken."""
    given = wanted
    counter = 1
    while given in taken:
        counter += 1
        given = f"{wanted}-{counter}"
    return given


class IdAllocator:
    """Hands out ids unique within one runbook, suffixing ``-2``, ``-3`` on collision."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        #: (wanted, given) for every id that collided
        self.collisions: list[tuple[str, str]] = []

    def taken(self, candidate: str) -> bool:
        return candidate in self._seen

    def allocate(self, wanted: str, report: bool = True) -> str:
        """``wanted``, or it suffixed; ``report`` records a collision (for titled steps)."""
        given = free_id(wanted, self._seen)
        if given != wanted and report:
            self.collisions.append((wanted, given))
        self._seen.add(given)
        return given
