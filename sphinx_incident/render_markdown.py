"""Resolved runbooks -> Markdown / GitHub task lists and CSV: pure functions.

Shared by the ``export`` command and the HTML page's "Copy as Markdown
checklist" button, so both give the same text. Markdown and GitHub output
come from jinja2 templates (overridable through ``templates_path``); each
step is exactly one task line, ``- [ ] ...``, in document order.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .model import Runbook, Step
from .render_json import involved_roles
from .safety import is_unsafe_url
from .templates import render

FORMATS = ("json", "markdown", "github", "csv")
TEMPLATES = {"markdown": "checklist.md.jinja", "github": "github.md.jinja"}

_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: how a task line starts: indentation, then the unticked box
TASK_LINE = re.compile(r"^(\s*)- \[ \] ")


def escape(text: str) -> str:
    """Escape Markdown's inline syntax in plain text (titles, link texts)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def absolute(url: str | None, base_url: str) -> str | None:
    """``url`` under ``base_url`` unless it is already absolute (or there is no base)."""
    if not url or not base_url or _ABSOLUTE.match(url) or url.startswith("/"):
        return url
    return base_url.rstrip("/") + "/" + url


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


def step_label(step: Step) -> str:
    title = step.title or _first_words(step.text) or step.id
    number = f"{step.number}. " if step.number else ""
    return f"**{escape(number + title)}**"


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
            # an unsafe URL keeps its text but is never a link
            LinkItem(
                escape(link.text or link.target),
                "" if not link.url or is_unsafe_url(link.url) else absolute(link.url, base_url) or "",
            )
            for link in step.links
            if link.kind == "button"
        ]
        found.append(Item(step.id, depth, step_label(step), absolute(step.url, base_url), links))
        for sub in step.substeps:
            visit(sub, depth + 1)

    for step in runbook.steps:
        visit(step, 0)
    return found


def _context(runbook: Runbook, base_url: str) -> dict[str, object]:
    roles = [
        {"name": escape(r["name"]), "url": absolute(r["url"], base_url)} for r in involved_roles(runbook)
    ]
    return {
        "runbook": runbook,
        "title": escape(runbook.title),
        "runbook_url": absolute(runbook.url, base_url),
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
    template, so quoting of commas and quotes is always right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def visit(step: Step, depth: int) -> None:
        writer.writerow(
            (
                runbook.id,
                step.id,
                step.number or "",
                step.title or _first_words(step.text),
                depth,
                absolute(step.url, base_url) or "",
                "; ".join(dict.fromkeys(r.text for r in step.roles)),
                "; ".join(dict.fromkeys(t.text for t in step.terms)),
                " ".join(absolute(link.url, base_url) or "" for link in step.links if link.url),
            )
        )
        for sub in step.substeps:
            visit(sub, depth + 1)

    for step in runbook.steps:
        visit(step, 0)
    return out.getvalue()
