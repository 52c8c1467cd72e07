"""Stable, safe identifiers for runbooks and steps.

Ids end up in HTML ``id`` attributes, URL fragments, browser storage keys and
file names, so they are reduced to lowercase word characters and hyphens:
nothing in them can escape an output directory or break out of an attribute.

Everything the project links to a step goes through these ids, so they are
made from what they name and from nothing else — never from a position, an
order of reading, or a counter:

- a runbook declared for a whole page is named by the page (``ops/database``
  -> ``ops-database``); one declared for a section by the page and the
  section, joined by a dot (``ops-database.restore-from-backup``); an id the
  author gives (``:id:``, a label, a metadata value) is kept as given;
- a step is named by its title, or by its own text when it has none (a
  sub-step by its own, not its parent's); an author can pin it with a label;
- an id too long to read is cut at a word and ends in a short hash of the
  whole, so two long ids with a common opening stay apart;
- where two things still derive the same id, each gets a short hash of its own
  content, whatever else is in the handbook.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Container

_NON_WORD = re.compile(r"[^\w]+")
_UNDERSCORES = re.compile(r"_+")
_WHITESPACE = re.compile(r"\s+")

#: longest runbook id kept whole; a longer one is cut and ends in a hash of the whole
MAX_RUNBOOK_ID = 128
#: longest step id kept whole (a slug of about ten words)
MAX_STEP_ID = 64
#: hex digits of the hash that ends a shortened or disambiguated id
HASH_DIGITS = 8
#: what joins a page's id and a section's in the id of a runbook declared for a section
SECTION_SEPARATOR = "."
#: hex digits of a step's fingerprint
FINGERPRINT_DIGITS = 12


def slugify(text: str, max_length: int | None = None) -> str:
    """``"Trigger an incident in PagerDuty!"`` -> ``"trigger-an-incident-in-pagerduty"``.

    Whole unless ``max_length`` is given; then cut at a word boundary (for names
    shown to people, never for ids: see :func:`shorten`)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    slug = _NON_WORD.sub("-", text)
    slug = _UNDERSCORES.sub("-", slug).strip("-")
    if max_length is not None and len(slug) > max_length:
        cut = slug.rfind("-", 0, max_length + 1)
        slug = slug[: cut if cut > 0 else max_length].strip("-")
    return slug


def short_hash(text: str, digits: int = HASH_DIGITS) -> str:
    """The first ``digits`` hex digits of the SHA-256 of ``text``: the same in every build."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:digits]


def shorten(identifier: str, limit: int) -> str:
    """``identifier`` when it is at most ``limit`` long; else its opening, cut at a word
    boundary, and ``-`` and a hash of the whole, so that no two long ids meet."""
    if len(identifier) <= limit:
        return identifier
    keep = limit - HASH_DIGITS - 1
    cut = max(identifier.rfind("-", 0, keep + 1), identifier.rfind(SECTION_SEPARATOR, 0, keep + 1))
    head = identifier[: cut if cut > 0 else keep].rstrip("-.")
    return f"{head}-{short_hash(identifier)}"


def free_id(wanted: str, taken: Container[str]) -> str:
    """``wanted``, or the first of ``wanted-2``, ``wanted-3``... that is not taken: for HTML ids
    within one page, where another element may already hold the anchor a step wants."""
    given = wanted
    counter = 1
    while given in taken:
        counter += 1
        given = f"{wanted}-{counter}"
    return given


def with_hash(identifier: str, content: str, limit: int) -> str:
    """``identifier`` told apart from others like it by a hash of ``content``."""
    return shorten(f"{identifier}-{short_hash(content)}", limit)


# -- runbooks --------------------------------------------------------------------------------


def page_runbook_id(docname: str) -> str:
    """The id of a runbook declared for a whole page: the document name, ``/`` as ``-``."""
    return shorten(slugify(docname) or "page", MAX_RUNBOOK_ID)


def section_runbook_id(docname: str, section: str) -> str:
    """The id of a runbook declared for a section (or by a directive in one) of a page."""
    whole = f"{slugify(docname) or 'page'}{SECTION_SEPARATOR}{slugify(section) or 'section'}"
    return shorten(whole, MAX_RUNBOOK_ID)


def part_runbook_id(docname: str, section: str, part: str) -> str:
    """The id of a runbook declared for one list or box of a section (``doc#section/part``)."""
    whole = SECTION_SEPARATOR.join(
        (slugify(docname) or "page", slugify(section) or "section", slugify(part) or "part")
    )
    return shorten(whole, MAX_RUNBOOK_ID)


def given_runbook_id(text: str) -> str:
    """An id the author gave (``:id:``, a label, a metadata value), as an id."""
    return shorten(slugify(text), MAX_RUNBOOK_ID)


# -- steps -----------------------------------------------------------------------------------


def _normal(text: str | None) -> str:
    return _WHITESPACE.sub(" ", text or "").strip()


def step_fingerprint(title: str | None, text: str) -> str:
    """A short digest of what a step says (its title and its own text), so that a saved tick
    can tell whether the step it names still says what was ticked."""
    whole = f"{_normal(title)}\n{_normal(text)}"
    return hashlib.sha256(whole.encode("utf-8")).hexdigest()[:FINGERPRINT_DIGITS]


def step_id(title: str | None, text: str) -> str:
    """The id a step derives: from its title, or from its own text when it has none."""
    slug = slugify(title) if title else ""
    if not slug:
        slug = slugify(text)
    if not slug:  # a step of only code or symbols: named by what it holds
        slug = f"step-{short_hash(_normal(text), 6)}" if _normal(text) else "step"
    return shorten(slug, MAX_STEP_ID)


def pinned_step_id(label: str) -> str:
    """The id an author pins with a label at the start of the step."""
    return shorten(slugify(label), MAX_STEP_ID)


def distinct(wanted: list[str], contents: list[str], fixed: list[bool], limit: int) -> list[str]:
    """Ids for items that wanted ``wanted``, each distinct, decided from the items alone.

    Items whose wanted id is unique keep it. Where several want one id, the one the author
    gave (``fixed``) keeps it when it is the only one given; every other gets ``-`` and a
    hash of its own ``contents``. Only where contents are equal too does the order of the
    items decide (``-2``, ``-3``). Nothing depends on reading order or on ids elsewhere."""
    groups: dict[str, list[int]] = {}
    for index, name in enumerate(wanted):
        groups.setdefault(name, []).append(index)
    given = list(wanted)
    for name, members in groups.items():
        if len(members) == 1:
            continue
        keeper = [i for i in members if fixed[i]]
        for index in members:
            if len(keeper) == 1 and index == keeper[0]:
                continue
            given[index] = with_hash(name, contents[index], limit)
    used = set(given)
    seen: set[str] = set()
    final = []
    for name in given:  # equal contents: the last resort is order
        candidate, counter = name, 1
        while candidate in seen or (candidate != name and candidate in used):
            counter += 1
            candidate = f"{name}-{counter}"
        seen.add(candidate)
        final.append(candidate)
    return final
