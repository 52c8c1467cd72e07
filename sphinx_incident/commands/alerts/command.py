"""``sphinx-incident alerts``: do the alert rules' runbook links still lead to runbooks and steps?

Reads Prometheus rule files, ``PrometheusRule`` manifests and Grafana
alert-rule provisioning files (:mod:`sphinx_incident.commands.alerts.rules`), and the
handbook, either built in-process (``--handbook``, which knows every page and
id) or from its ``runbooks.json`` (``--step-list``). The checks are
:mod:`sphinx_incident.commands.alerts.checks`; findings print as ``lint``'s do.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...checking.rules import OFF, RULES_BY_CODE, SEVERITIES, Settings
from ...rendering.step_list import document
from ..errors import UsageError, one_line
from ..findings import FORMATS, USAGE, exit_status, located, render
from ..handbook import HandbookError, read_handbook
from ..step_list_files import StepListError, load_step_list
from .checks import check_alerts
from .rules import RUNBOOK_ANNOTATION, RuleFileError, read_rules
from .targets import HandbookTargets, complete_targets, page_ids, targets_from_step_list

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PROG = "sphinx-incident alerts"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "alerts",
        help="check the runbook links of Prometheus and Grafana alert rules",
        description="Check that the runbook_url of every alerting rule leads to a runbook, or a step "
        "of one, of the handbook; print one problem per line: rulefile:line: severity: [rule] "
        "message. Exit status: 0 when nothing at or above --fail-on, 1 when there is, 2 for a "
        "usage error (a missing file, YAML that does not parse, a handbook that does not build).",
    )
    parser.add_argument("rules", nargs="+", metavar="RULES",
                        help="rule files, or folders searched for .yml/.yaml files")  # fmt: skip
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--handbook", type=Path, metavar="SOURCEDIR",
                        help="build the handbook in SOURCEDIR (knows every page and id)")  # fmt: skip
    source.add_argument("--step-list", type=Path, metavar="FILE",
                        help="read runbooks.json (or the built site folder holding it)")  # fmt: skip
    parser.add_argument("--base-url", action="append", default=[], metavar="URL",
                        help="where the handbook is published (default: html_baseurl, or the step "
                        "list's base_url); repeat for mirrors")  # fmt: skip
    parser.add_argument("--coverage", nargs="?", const="runbooks", choices=("runbooks", "steps"),
                        help="also report runbooks (or, with 'steps', steps) no alert links to")  # fmt: skip
    parser.add_argument("--annotation", default=RUNBOOK_ANNOTATION, metavar="NAME",
                        help=f"the annotation holding the link (default: {RUNBOOK_ANNOTATION})")  # fmt: skip
    parser.add_argument("--severity", action="append", default=[], metavar="RULE=LEVEL",
                        help="change a rule's severity: error, warning or off (repeatable)")  # fmt: skip
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json, or github (GitHub Actions annotations)")  # fmt: skip
    parser.add_argument("--fail-on", choices=("error", "warning"), default="error",
                        help="lowest severity that makes the exit status 1 (default: error)")  # fmt: skip
    parser.set_defaults(func=run)
    return parser


def parse_severities(items: list[str]) -> dict[str, str]:
    """``--severity RULE=LEVEL`` pairs, checked against the rule catalogue."""
    found = {}
    for item in items:
        code, sep, level = (part.strip() for part in item.partition("="))
        if not sep or not code:
            raise UsageError(f"--severity expects RULE=LEVEL, got {item!r}")
        if code not in RULES_BY_CODE:
            raise UsageError(f"--severity names an unknown rule {code!r}")
        if level not in (*SEVERITIES, OFF):
            raise UsageError(f"--severity {code}={level!r}: the level is error, warning or off")
        found[code] = level
    return found


def handbook_targets(srcdir: Path) -> tuple[HandbookTargets, Settings, str]:
    """Build the handbook: its targets (complete), its severity settings, its html_baseurl."""
    if not srcdir.is_dir():
        raise UsageError(f"{srcdir}: no such folder")
    ids: dict[str, set[str]] = {}

    def collect(app: Sphinx) -> None:
        ids.update(page_ids(app))

    handbook = read_handbook(srcdir, freshenv=True, after_build=collect)
    data = document(handbook.runbooks, handbook.project, handbook.html_baseurl)
    targets = complete_targets(targets_from_step_list(data), ids)
    return targets, handbook.settings, handbook.html_baseurl


def run(args: argparse.Namespace) -> int:
    try:
        overrides = parse_severities(args.severity)
        rule_files = read_rules(args.rules, args.annotation)
        if args.handbook is not None:
            targets, settings, base = handbook_targets(args.handbook)
            source_root = f"{args.handbook.resolve()}/"
        else:
            targets = targets_from_step_list(load_step_list(args.step_list))
            settings, base, source_root = Settings(), targets.base_url, ""
        bases = [b for b in args.base_url if b.strip()] or ([base] if base else [])
        if not bases:
            where = (
                "html_baseurl in conf.py" if args.handbook is not None else "the step list has no base_url"
            )
            raise UsageError(f"no base URL to recognise links into the handbook: pass --base-url ({where})")
    except (UsageError, RuleFileError, StepListError, HandbookError) as exc:
        print(f"{PROG}: {one_line(str(exc))}", file=sys.stderr)
        return USAGE
    settings = dataclasses.replace(settings, severity={**settings.severity, **overrides})
    result = check_alerts(
        rule_files.rules, targets, bases, settings, coverage=args.coverage, source_root=source_root
    )
    shown = located(result.problems, ".")
    status = exit_status(shown, args.fail_on)
    alerts, files = len(rule_files.rules), len(rule_files.files)
    subject = (
        f"{alerts} alert{'' if alerts == 1 else 's'} "
        f"({len(result.links)} linking into the handbook) in {files} rule file{'' if files == 1 else 's'}"
    )
    extra: dict[str, object] = {
        "alerts": alerts,
        "rule_files": files,
        "linked": len(result.links),
        "elsewhere": result.elsewhere,
    }
    if args.coverage:
        extra["coverage"] = {rid: sorted(set(result.covered.get(rid, []))) for rid in targets.runbooks}
    print(render(shown, args.format, subject, extra))
    return status
