"""Resolved runbooks -> Markdown / GitHub task lists and CSV: pure functions.

Shared by the ``export`` command and the HTML page's "Copy as Markdown
checklist" button, so both give the same text. Markdown and GitHub output
come from jinja2 templates (overridable through ``templates_path``); each
step is exactly one task line, ``- [ ] ...``, in document order.

Nothing a document says adds markup or an active link to the output: texts
are escaped (:func:`escape_markdown`), only URLs that may be links
(:func:`sphinx_incident.checking.urls.link_url`) become links, and those are encoded
so they cannot end early (:func:`markdown_url`). CSV cells that a
spreadsheet would run as a formula start with a quote (:func:`csv_cell`).
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..checking.urls import link_url, parse
from ..model import Runbook, Step
from ..reading.doctree import clean
from .step_list import involved_roles
from .templates import render

FORMATS = ("json", "markdown", "github", "csv")
TEMPLATES = {"markdown": "checklist.md.jinja", "github": "github.md.jinja"}

#: Markdown's inline syntax (emphasis, code, links, images, HTML, strikethrough, tables),
#: ``&`` where it would start a character reference, and ``>`` where it would start a quote
#: (elsewhere it is plain text: HTML needs a ``<``, which is escaped)
_SPECIAL = re.compile(r"([\\`*_\[\]<!~|])|&(?=#?\w+;)|^\s*>")
#: what could end a URL in Markdown's ``<...>`` or ``(...)`` form (or in a space-separated
#: list), start a code span, or be decoded as a character reference
_URL_SPECIAL = re.compile(r"[\x00-\x20\x7f<>()\\`]|\s|&(?=#?\w+;)")
#: a spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV injection")
_FORMULA_START = ("=", "+", "-", "@")
#: how a task line starts: indentation, then the unticked box
TASK_LINE = re.compile(r"^(\s*)- \[ \] ")


# -- escaping: the two ways document text is written as Markdown -----------------------------


def escape_markdown(text: str) -> str:
    """Text as Markdown that shows it as written, on one line: Markdown's inline syntax
    backslash-escaped. For checklists (export, the page's copy button, issue bodies)."""
    return _SPECIAL.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], clean(text))


#: Markdown's inline punctuation that could start markup: emphasis, code, links, strikethrough,
#: tables, raw HTML and entities (``<``, ``>`` and ``&`` become entities)
_INERT_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
#: ``@name`` mentions and ``#123`` references notify people and link issues: a word joiner breaks them
_MENTION = re.compile(r"([@#])(?=\w)")
WORD_JOINER = "\u2060"


def inert_markdown(text: str) -> str:
    """Text as Markdown that is inert where comments are read (GitHub): rendered as written,
    on one line, never as markup, HTML, a mention or an issue reference. For ``diff``."""
    text = _INERT_SPECIAL.sub(r"\\\1", clean(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub(lambda m: m.group(1) + WORD_JOINER, text)


def inert_html(text: str) -> str:
    """Text inside HTML of a comment (a ``<summary>``): escaped, on one line, mentions broken."""
    return _MENTION.sub(lambda m: m.group(1) + WORD_JOINER, html.escape(clean(text), quote=True))


def code_span(text: str) -> str:
    """A code span that holds any text: fenced with more backticks than the text has in a row."""
    text = clean(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_url(url: str) -> str:
    """A URL for Markdown's ``<...>`` and ``(...)`` forms and for lists of URLs: spaces,
    controls, ``<>()``, backslashes and backticks percent-encoded, so the URL cannot end
    early and what follows it cannot become markup."""
    return _URL_SPECIAL.sub(lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode()), url)


def absolute(url: str | None, base_url: str) -> str | None:
    """``url`` under ``base_url`` unless it is already absolute (or there is no base)."""
    if not url or not base_url:
        return url
    parsed = parse(url)
    if parsed.scheme or parsed.text.startswith(("/", "\\")):
        return url
    return base_url.rstrip("/") + "/" + url


def link(url: str | None, base_url: str = "") -> str | None:
    """A URL as a Markdown link's destination, or ``None`` when it may not be a link."""
    safe = link_url(absolute(link_url(url), base_url))
    return markdown_url(safe) if safe else None


def csv_cell(value: str | int) -> str | int:
    """A CSV cell a spreadsheet shows as text: one that would start a formula gets a leading ``'``."""
    if not isinstance(value, str) or not value:
        return value
    # the csv module quotes a cell with a line feed but not one with a lone carriage
    # return, which readers take for the end of the row
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    # some spreadsheets drop leading spaces; fullwidth signs are read as formulas too
    first = value.lstrip()[:1]
    if value[0] in "\t\r\n" or unicodedata.normalize("NFKC", first).startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass
class LinkItem:
    text: str
    url: str


@dataclass
class Item:
    """One task line: a step or sub-step."""

    step_id: str
    depth: int
    #: ``**1. Acknowledge the incident**``, escaped
    label: str
    url: str | None
    links: list[LinkItem] = field(default_factory=list)


def plain_label(step: Step) -> str:
    """A step's label as text (``1. Acknowledge the incident``): its number and title, or
    the first words of an untitled step."""
    title = step.title or _first_words(step.text) or step.id
    number = f"{step.number}. " if step.number else ""
    return " ".join((number + title).split())


def step_label(step: Step) -> str:
    """The label as Markdown: bold, with Markdown's syntax escaped."""
    return f"**{escape_markdown(plain_label(step))}**"


def _first_words(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def items(runbook: Runbook, base_url: str = "") -> list[Item]:
    """The task lines of a runbook, depth first; button links kept as links."""
    found: list[Item] = []

    def visit(step: Step, depth: int) -> None:
        links = [
            # a URL that may not be a link keeps its text but is never a link
            LinkItem(escape_markdown(button.text or button.target), link(button.url, base_url) or "")
            for button in step.links
            if button.kind == "button"
        ]
        found.append(Item(step.id, depth, step_label(step), link(step.url, base_url), links))
        for sub in step.substeps:
            visit(sub, depth + 1)

    for step in runbook.steps:
        visit(step, 0)
    return found


def _context(runbook: Runbook, base_url: str) -> dict[str, object]:
    roles = [
        {"name": escape_markdown(r["name"]), "url": link(r["url"], base_url)} for r in involved_roles(runbook)
    ]
    return {
        "runbook": runbook,
        "title": escape_markdown(runbook.title),
        "runbook_url": link(runbook.url, base_url),
        "roles": roles,
        "items": items(runbook, base_url),
    }


def markdown(
    runbook: Runbook,
    base_url: str = "",
    fmt: str = "markdown",
    templates_path: Sequence[str | Path] = (),
    confdir: str | Path | None = None,
) -> str:
    """The ``markdown`` or ``github`` text of a runbook."""
    text = render(TEMPLATES[fmt], templates_path, confdir, **_context(runbook, base_url))
    return text.rstrip("\n") + "\n"


def task_lines(text: str, runbook: Runbook) -> list[dict[str, str | None]]:
    """Split rendered Markdown into lines, each task line tagged with its step id
    (the n-th task line is the n-th step), for the page's Copy button."""
    steps = [step.id for step in runbook.walk()]
    lines: list[dict[str, str | None]] = []
    index = 0
    for line in text.splitlines():
        step_id = None
        if TASK_LINE.match(line) and index < len(steps):
            step_id = steps[index]
            index += 1
        lines.append({"text": line, "step": step_id})
    return lines


CSV_COLUMNS = ("runbook", "step", "number", "title", "depth", "url", "roles", "terms", "links")


def csv_text(runbook: Runbook, base_url: str = "") -> str:
    """One row per step and sub-step. Written with the csv module, not a
    template, so quoting of commas and quotes is always right; no cell is a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def url(value: str | None) -> str:
        return link(value, base_url) or ""

    def visit(step: Step, depth: int) -> None:
        row = (
            runbook.id,
            step.id,
            step.number or "",
            step.title or _first_words(step.text),
            depth,
            url(step.url),
            "; ".join(dict.fromkeys(r.text for r in step.roles)),
            "; ".join(dict.fromkeys(t.text for t in step.terms)),
            " ".join(filter(None, (url(li.url) for li in step.links))),
        )
        writer.writerow([csv_cell(cell) for cell in row])
        for sub in step.substeps:
            visit(sub, depth + 1)

    for step in runbook.steps:
        visit(step, 0)
    return out.getvalue()
