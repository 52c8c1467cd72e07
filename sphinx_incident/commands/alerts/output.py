"""What ``sphinx-incident alerts`` prints: text for people, JSON, GitHub annotations and SARIF.

Everything printed that came from a rule file, a step list or a URL goes
through the commands' one escape (:func:`~sphinx_incident.commands.terminal.printable`)
once, here: an alert name cannot forge a line (a GitHub ``::error`` command,
a fake finding) or send escape sequences to the terminal. JSON and SARIF are
escaped by their encoder. Output is sorted and holds no timings, so two runs print the same.

The text output fits a CI log: each finding is a short line, ``path:line:
severity: alert: what is wrong [rule]``, followed by its URL and the
suggestion on indented lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...checking.rules import RULES
from ...version import __version__
from ..findings import display_path
from ..terminal import github as _gh
from ..terminal import json_text, printable, printable_path
from .checks import Finding
from .rules import Note

FORMATS = ("text", "json", "github", "sarif")
_RANK = {"error": 2, "warning": 1}
#: alert names longer than this are shortened in text and annotations
LONGEST_NAME = 120
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def short_name(name: str) -> str:
    """An alert name as shown: shortened when absurdly long, always printable."""
    if len(name) > LONGEST_NAME:
        name = f"{name[: LONGEST_NAME - 40]}...({len(name)} characters)"
    return printable(name)


@dataclass
class Report:
    """Everything one run prints."""

    findings: list[Finding]
    notes: list[Note]
    alerts: int
    files: int
    linked: int
    elsewhere: int
    #: runbook id -> (title, source path, line, names of the alerts reaching it); ``None``
    #: without ``--coverage``
    coverage: dict[str, tuple[str, str, int | None, list[str]]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def shown(self) -> Report:
        """The report with paths as the user should see them (relative to the current folder
        when below it), findings each once, sorted by file, line and rule."""
        unique: dict[tuple[Any, ...], Finding] = {}
        for f in self.findings:
            path = display_path(f.path) if f.path and not f.path.startswith("<") else f.path
            copy = Finding(
                f.rule, f.severity, path, f.line, f.reason, f.alert, f.url, f.page, f.anchor, f.suggestion
            )
            unique.setdefault((path, f.line or 0, f.rule, f.message), copy)
        notes = sorted(
            {
                Note(display_path(n.path) if not n.path.startswith("<") else n.path, n.reason)
                for n in self.notes
            },
            key=lambda n: (n.path, n.reason),
        )
        coverage = None
        if self.coverage is not None:
            coverage = {
                rid: (title, display_path(path) if path else path, line, names)
                for rid, (title, path, line, names) in self.coverage.items()
            }
        return Report(
            [unique[k] for k in sorted(unique)], notes, self.alerts, self.files, self.linked,
            self.elsewhere, coverage, self.extra,
        )  # fmt: skip


def counts(findings: Sequence[Finding]) -> tuple[int, int]:
    return (
        sum(1 for f in findings if f.severity == "error"),
        sum(1 for f in findings if f.severity == "warning"),
    )


def exit_status(findings: Sequence[Finding], fail_on: str) -> int:
    """1 when a finding is at or above ``fail_on``, else 0."""
    threshold = _RANK[fail_on]
    return 1 if any(_RANK.get(f.severity, 0) >= threshold for f in findings) else 0


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: Report) -> str:
    """``1 error, 2 warnings in 5 alerts (3 linking into the handbook) in 1 rule file``."""
    errors, warnings = counts(report.findings)
    text = (
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(report.alerts, 'alert')} "
        f"({report.linked} linking into the handbook) in {_plural(report.files, 'rule file')}"
    )
    if report.notes:
        text += f"; {_plural(len(report.notes), 'file')} skipped"
    return text


def render(report: Report, fmt: str) -> str:
    """The report in one of :data:`FORMATS`."""
    if fmt == "json":
        return render_json(report)
    if fmt == "sarif":
        return render_sarif(report)
    if fmt == "github":
        return render_github(report)
    return render_text(report)


# -- text -----------------------------------------------------------------------------------


def _headline(f: Finding) -> str:
    what = printable(f.reason)
    if f.alert is not None:
        what = f"{short_name(f.alert)}: {what}"
    where = f"{printable_path(f.path)}:{f.line}" if f.line else printable_path(f.path)
    prefix = f"{where}: " if where else ""
    return f"{prefix}{f.severity}: {what} [{f.rule}]"


def render_text(report: Report) -> str:
    lines = [f"{printable_path(n.path)}: note: skipped: {printable(n.reason)}" for n in report.notes]
    for f in report.findings:
        lines.append(_headline(f))
        if f.url:
            lines.append(f"    url: {printable(f.url)}")
        if f.suggestion is not None:
            what = f" ({printable(f.suggestion.what)})" if f.suggestion.what else ""
            lines.append(f"    did you mean: {printable(f.suggestion.url)}{what}")
    if report.coverage is not None:
        lines += coverage_table(report.coverage)
    lines.append(summary(report))
    return "\n".join(lines)


def coverage_table(coverage: dict[str, tuple[str, str, int | None, list[str]]]) -> list[str]:
    """Every runbook with how many alerts reach it and where it is written."""
    reached = sum(1 for *_, names in coverage.values() if names)
    rows = [
        (str(len(set(names))), printable(rid), f"{printable(path)}:{line}" if line else printable(path))
        for rid, (_, path, line, names) in coverage.items()
    ]
    header = ("alerts", "runbook", "source")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(2)]
    lines = [f"coverage: {reached} of {_plural(len(coverage), 'runbook')} reached by an alert"]
    for row in [header, *rows]:
        lines.append(f"  {row[0]:>{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}".rstrip())
    return lines


# -- GitHub Actions ------------------------------------------------------------------------


def render_github(report: Report) -> str:
    lines = []
    for n in report.notes:
        lines.append(f"::notice file={_gh(n.path, True)},title={_gh('skipped', True)}::{_gh(n.reason)}")
    for f in report.findings:
        props = f"file={_gh(f.path, True)}" if f.path else ""
        if f.line:
            props += f",line={f.line}"
        props += ("," if props else "") + f"title={_gh('incident.' + f.rule, True)}"
        message = f.message if f.alert is None else f.message.replace(f.alert, short_name(f.alert), 1)
        lines.append(f"::{f.severity} {props}::{_gh(message)}")
    lines.append(summary(report))
    return "\n".join(lines)


# -- JSON and SARIF -----------------------------------------------------------------------


def finding_data(f: Finding) -> dict[str, Any]:
    return {
        "path": f.path,
        "line": f.line,
        "severity": f.severity,
        "rule": f.rule,
        "message": f.message,
        "alert": f.alert,
        "url": f.url,
        "page": f.page,
        "anchor": f.anchor,
        "reason": f.reason,
        "suggestion": None if f.suggestion is None else {"url": f.suggestion.url, "what": f.suggestion.what},
    }


def render_json(report: Report) -> str:
    errors, warnings = counts(report.findings)
    data: dict[str, Any] = {
        "problems": [finding_data(f) for f in report.findings],
        "errors": errors,
        "warnings": warnings,
        "alerts": report.alerts,
        "rule_files": report.files,
        "linked": report.linked,
        "elsewhere": report.elsewhere,
        "skipped": [{"path": n.path, "reason": n.reason} for n in report.notes],
        **report.extra,
    }
    if report.coverage is not None:
        data["coverage"] = {rid: sorted(set(names)) for rid, (*_, names) in report.coverage.items()}
    return json_text(data)


def _location(path: str, line: int | None) -> dict[str, Any]:
    uri = Path(path).as_uri() if Path(path).is_absolute() else Path(path).as_posix()
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if line:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def render_sarif(report: Report) -> str:
    """SARIF 2.1.0, as code-scanning services read it: one run, the alert rules as its rules."""
    rules = [r for r in RULES if r.scope == "alerts"]
    results = []
    for f in report.findings:
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "level": f.severity,
            "message": {"text": f.message},
            "properties": {
                k: v
                for k, v in finding_data(f).items()
                if k not in ("path", "line", "severity", "rule", "message")
            },
        }
        if f.path:
            result["locations"] = [_location(f.path, f.line)]
        results.append(result)
    notifications = [
        {"level": "note", "message": {"text": f"skipped: {n.reason}"}, "locations": [_location(n.path, None)]}
        for n in report.notes
        if not n.path.startswith("<")
    ]
    data = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sphinx-incident",
                        "version": __version__,
                        "rules": [
                            {
                                "id": r.code,
                                "shortDescription": {"text": r.summary},
                                "help": {"text": r.fix},
                                "defaultConfiguration": {"level": r.severity},
                            }
                            for r in rules
                        ],
                    }
                },
                "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
                "results": results,
            }
        ],
    }
    return json_text(data)
