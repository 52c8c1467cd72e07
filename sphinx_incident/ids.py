"""Stable, safe identifiers for runbooks and steps.

Ids end up in HTML ``id`` attributes, URL fragments, browser storage keys and
file names, so they are reduced to lowercase word characters and hyphens:
nothing in them can escape an output directory or break out of an attribute.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+")
_UNDERSCORES = re.compile(r"_+")
_WHITESPACE = re.compile(r"\s+")

#: longest slug derived from a title, cut at a word boundary
MAX_SLUG = 48
#: words taken from a step's text when it has no title
UNTITLED_WORDS = 6
#: hex digits of a step's fingerprint
FINGERPRINT_DIGITS = 12


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


def _normal(text: str | None) -> str:
    """``text`` with runs of whitespace made one space, and stripped (``None``: empty)."""
    return _WHITESPACE.sub(" ", text or "").strip()


def step_fingerprint(title: str | None, text: str) -> str:
    """A short digest of what a step says (its title and its own text), so that a saved tick
    can tell whether the step it names still says what was ticked: the first 12 hex digits
    of the SHA-256 of ``title + "\\n" + text``, each with whitespace collapsed."""
    whole = f"{_normal(title)}\n{_normal(text)}"
    return hashlib.sha256(whole.encode("utf-8")).hexdigest()[:FINGERPRINT_DIGITS]


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
        given = wanted
        counter = 1
        while given in self._seen:
            counter += 1
            given = f"{wanted}-{counter}"
        if given != wanted and report:
            self.collisions.append((wanted, given))
        self._seen.add(given)
        return given
