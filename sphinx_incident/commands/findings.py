"""Findings on the command line: one format for ``lint``, link checking and every other command.

A finding is a :class:`~sphinx_incident.model.Problem` (rule, severity,
message, path, line). The commands print them as ``path:line: severity:
[rule] message`` lines, as JSON, or as GitHub Actions annotations, sorted by
file and line, and turn them into an exit status. Paths and messages are
printed through the commands' one escape (:mod:`sphinx_incident.commands.terminal`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..model import Problem
from .terminal import github, json_text, printable, printable_path

#: exit statuses shared by every command
OK, FAILED, USAGE = 0, 1, 2
#: what a command exits with when interrupted (128 + SIGINT), as shells do
INTERRUPTED = 130
FORMATS = ("text", "json", "github")

_RANK = {"error": 2, "warning": 1}


def display_path(path: str | Path) -> str:
    """Relative to the current directory when the file is below it, else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith(os.pardir) else relative


def located(problems: Iterable[Problem], root: str | Path) -> list[Problem]:
    """Problems whose paths are relative to ``root``, with paths as the user should see them,
    each once, sorted by file, line and rule."""
    unique: dict[tuple[str, int, str, str], Problem] = {}
    for p in problems:
        shown = replace(p, path=display_path(Path(root) / p.path) if p.path else "", detail="")
        unique.setdefault((shown.path, shown.line or 0, shown.rule, shown.message), shown)
    return [unique[key] for key in sorted(unique)]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def counts(problems: list[Problem]) -> tuple[int, int]:
    return (
        sum(1 for p in problems if p.severity == "error"),
        sum(1 for p in problems if p.severity == "warning"),
    )


def summary(problems: list[Problem], subject: str, skipped: int = 0) -> str:
    """``2 errors, 1 warning in 3 runbooks`` (``; 1 file skipped``)."""
    errors, warnings = counts(problems)
    text = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {subject}"
    return f"{text}; {_plural(skipped, 'file')} skipped" if skipped else text


def render(
    problems: list[Problem],
    fmt: str,
    subject: str,
    extra: dict[str, object] | None = None,
    skipped: list[tuple[str, str]] | None = None,
) -> str:
    """The findings in one of :data:`FORMATS`; text and github end with the summary line.
    ``skipped``: the files not read, (path as shown, why), as notes that change no exit status."""
    skipped = skipped or []
    if fmt == "json":
        errors, warnings = counts(problems)
        data: dict[str, object] = {
            "problems": [
                {
                    "path": p.path,
                    "line": p.line,
                    **({"end_line": p.end_line} if p.end_line else {}),
                    "related": list(p.related),
                    "severity": p.severity,
                    "rule": p.rule,
                    "message": p.message,
                }
                for p in problems
            ],
            "errors": errors,
            "warnings": warnings,
            **(extra or {}),
        }
        if skipped:
            data["skipped"] = [{"path": path, "reason": reason} for path, reason in skipped]
        return json_text(data)
    lines = []
    for path, reason in skipped:
        if fmt == "github":
            lines.append(f"::notice file={github(path, True)},title=skipped::{github(reason)}")
        else:
            lines.append(f"{printable_path(path)}: note: skipped: {printable(reason)}")
    for p in problems:
        if fmt == "github":
            props = f"file={github(p.path, True)}" if p.path else ""
            if p.line:
                props += f",line={p.line}"
                if p.end_line:
                    props += f",endLine={p.end_line}"
            props += ("," if props else "") + f"title={github('incident.' + p.rule, True)}"
            lines.append(f"::{p.severity} {props}::{github(p.message)}")
        else:
            where = f"{printable_path(p.path)}:{p.line}" if p.line else printable_path(p.path)
            what = f"{p.severity}: [{p.rule}] {printable(p.message)}"
            lines.append(f"{where}: {what}" if where else what)
    lines.append(summary(problems, subject, len(skipped)))
    return "\n".join(lines)


def exit_status(problems: list[Problem], fail_on: str) -> int:
    """1 when a finding is at or above ``fail_on``, else 0."""
    threshold = _RANK[fail_on]
    return FAILED if any(_RANK.get(p.severity, 0) >= threshold for p in problems) else OK
