"""``sphinx-incident lint``: the runbooks' problems, one line each, with an exit status for CI.

The handbook is read in-process with the ``runbooks`` builder (no HTML is
written); the problems are those the checks stored on each runbook, plus the
extension's own warnings that belong to no runbook (an ``incident_runbooks``
label that does not exist, a bad configuration value). Paths are printed
relative to the current directory (absolute when the handbook is
outside it), so editors and GitHub annotations find
the files.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checks import RULES_BY_CODE
from .handbook import HandbookError, read_handbook
from .warnings_ import IncidentWarning

if TYPE_CHECKING:
    from .model import Runbook

#: exit statuses
OK, FAILED, USAGE = 0, 1, 2

_SEVERITY_RANK = {"error": 2, "warning": 1}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WARNING_LINE = re.compile(
    r"^(?P<path>.+?)(?::(?P<line>\d+))?: WARNING: (?:(?:error|warning): )?(?P<message>.*) "
    r"\[incident\.(?P<rule>\w+)\]$"
)


@dataclass
class Finding:
    """One line of lint output."""

    path: str
    line: int | None
    severity: str
    rule: str
    message: str

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.rule, self.message)


class UsageError(Exception):
    """A bad command line; reported in one line, exit status 2."""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "lint",
        help="check the runbooks of a handbook",
        description="Build the handbook (no HTML is written) and print every problem of its "
        "runbooks, one per line: path:line: severity: [rule] message. Exit status: 0 when "
        "nothing at or above --fail-on, 1 when there is, 2 for a usage or configuration error.",
    )
    parser.add_argument("sourcedir", nargs="?", default=".", metavar="SOURCEDIR",
                        help="the folder holding conf.py (default: the current folder)")  # fmt: skip
    parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                        help="text (default), json, or github (GitHub Actions annotations)")  # fmt: skip
    parser.add_argument("--fail-on", choices=("error", "warning"), default="error",
                        help="lowest severity that makes the exit status 1 (default: error)")  # fmt: skip
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="name=value",
                        help="override a conf.py setting, as sphinx-build -D does")  # fmt: skip
    parser.add_argument("--check-links", action="store_true",
                        help="also request every http(s) URL of the runbooks (off by default)")  # fmt: skip
    parser.add_argument("--link-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="seconds to wait for each URL (default: 10)")  # fmt: skip
    parser.add_argument("--link-workers", type=int, default=8, metavar="N",
                        help="URLs requested at once (default: 8; 2 per host)")  # fmt: skip
    parser.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                        help="where link results are kept (default: ~/.cache/sphinx-incident)",
                        )  # fmt: skip
    parser.add_argument("--cache-ttl", type=float, default=24.0, metavar="HOURS",
                        help="how long a link result is reused (default: 24; 0: no cache)")  # fmt: skip
    parser.set_defaults(func=run)
    return parser


def parse_defines(defines: list[str]) -> dict[str, str]:
    """``-D name=value`` pairs; Sphinx converts the strings (``a,b`` to a list) itself."""
    overrides = {}
    for item in defines:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-D expects name=value, got {item!r}")
        overrides[name.strip()] = value
    return overrides


def _relative(path: str | Path) -> str:
    """Relative to the current directory when the file is below it, else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith(os.pardir) else relative


def findings_of(runbooks: list[Runbook], srcdir: Path, warnings: str) -> list[Finding]:
    """The runbooks' stored problems, plus the extension's warnings outside any runbook."""
    found = [
        Finding(_relative(srcdir / p.path), p.line, p.severity, p.rule, p.message)
        for runbook in runbooks
        for p in runbook.problems
    ]
    runbook_rules = set(RULES_BY_CODE) - {IncidentWarning.UNKNOWN_LABEL.value}
    for raw in _ANSI.sub("", warnings).splitlines():
        match = _WARNING_LINE.match(raw)
        if match is None or match["rule"] in runbook_rules:
            continue
        rule = match["rule"]
        severity = RULES_BY_CODE[rule].severity if rule in RULES_BY_CODE else "warning"
        line = int(match["line"]) if match["line"] else None
        found.append(Finding(_relative(match["path"].rstrip(":")), line, severity, rule, match["message"]))
    return sorted(found, key=Finding.sort_key)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(findings: list[Finding], runbooks: int) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(runbooks, 'runbook')}"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render(findings: list[Finding], runbooks: int, fmt: str) -> str:
    if fmt == "json":
        data = {
            "problems": [asdict(f) for f in findings],
            "errors": sum(1 for f in findings if f.severity == "error"),
            "warnings": sum(1 for f in findings if f.severity == "warning"),
            "runbooks": runbooks,
        }
        return json.dumps(data, indent=2, ensure_ascii=False)
    lines = []
    for f in findings:
        if fmt == "github":
            props = f"file={_gh_escape(f.path, True)}"
            if f.line:
                props += f",line={f.line}"
            props += f",title={_gh_escape('incident.' + f.rule, True)}"
            lines.append(f"::{f.severity} {props}::{_gh_escape(f.message)}")
        else:
            where = f"{f.path}:{f.line}" if f.line else f.path
            lines.append(f"{where}: {f.severity}: [{f.rule}] {f.message}")
    lines.append(summary(findings, runbooks))
    return "\n".join(lines)


def exit_status(findings: list[Finding], fail_on: str) -> int:
    threshold = _SEVERITY_RANK[fail_on]
    return FAILED if any(_SEVERITY_RANK.get(f.severity, 0) >= threshold for f in findings) else OK


def one_line(message: str) -> str:
    """A message in one line: Sphinx's configuration errors carry the whole traceback
    of conf.py; its first line and the exception at its end say what is wrong."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) <= 1:
        return message.strip()
    return f"{lines[0]} {lines[-1]}"


def run(args: argparse.Namespace) -> int:
    try:
        overrides = parse_defines(args.define)
        srcdir = Path(args.sourcedir)
        if not srcdir.is_dir():
            raise UsageError(f"{args.sourcedir}: no such folder")
        handbook = read_handbook(srcdir, overrides, freshenv=True)
    except (UsageError, HandbookError) as exc:
        print(f"sphinx-incident lint: {one_line(str(exc))}", file=sys.stderr)
        return USAGE
    findings = findings_of(handbook.runbooks, handbook.srcdir, handbook.warnings)
    if args.check_links:
        from .linkcheck import link_findings

        findings = sorted(
            [*findings, *link_findings(handbook.runbooks, handbook.srcdir, args)], key=Finding.sort_key
        )
    print(render(findings, len(handbook.runbooks), args.format))
    return exit_status(findings, args.fail_on)
