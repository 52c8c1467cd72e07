"""``sphinx-incident alerts``: do the alert rules' runbook links still lead to runbooks and steps?

Reads rule repositories as they are (:mod:`sphinx_incident.commands.alerts.rules`),
and the handbook, either built in-process (``--handbook``, which knows every
page and id) or from its ``runbooks.json`` (``--step-list``), published in
the shape :mod:`sphinx_incident.commands.alerts.site` describes. The checks are
:mod:`sphinx_incident.commands.alerts.checks`; the output is
:mod:`sphinx_incident.commands.alerts.output`.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...checking.rules import OFF, RULES_BY_CODE, SEVERITIES, Settings
from ...rendering.step_list import document
from ..errors import report_usage
from ..findings import USAGE
from ..handbook import HandbookError, note_skipped, read_handbook
from ..step_list_files import StepListError, load_step_list
from .checks import Result, check_alerts
from .output import FORMATS, Report, exit_status, render
from .rules import RUNBOOK_ANNOTATION, RuleFileError, read_rules
from .site import PRESETS, Site, SiteError, site_from
from .targets import (
    HandbookTargets,
    PageFacts,
    add_redirects,
    page_facts,
    targets_from_step_list,
    text_of,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PROG = "sphinx-incident alerts"


class UsageError(Exception):
    """A bad command line; reported in one line, exit status 2."""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "alerts",
        help="check the runbook links of Prometheus and Grafana alert rules",
        description="Check that the runbook_url of every alerting rule leads to a runbook, or a step "
        "of one, of the handbook; print one finding per line: rulefile:line: severity: alert: "
        "problem [rule], with the URL and a suggestion on indented lines. Exit status: 0 when "
        "nothing at or above --fail-on, 1 when there is, 2 for a usage error (a missing file or "
        "folder, a handbook that does not build, a step list that is not one).",
    )
    parser.add_argument("rules", nargs="+", metavar="RULES",
                        help="rule files, or folders searched for .yml/.yaml files; "
                        "- for standard input")  # fmt: skip
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--handbook", type=Path, metavar="SOURCEDIR",
                        help="build the handbook in SOURCEDIR (knows every page and id)")  # fmt: skip
    source.add_argument("--step-list", type=Path, metavar="FILE",
                        help="read runbooks.json (or the built site folder holding it)")  # fmt: skip
    parser.add_argument("--base-url", action="append", default=[], metavar="URL",
                        help="where the handbook is published (default: html_baseurl, or the step "
                        "list's base_url); repeat for mirrors")  # fmt: skip
    parser.add_argument("--site", choices=tuple(PRESETS), metavar="PRESET",
                        help="the published site's shape: "
                        + "; ".join(f"{k}: {v}" for k, v in PRESETS.items())
                        + " (default: incident_alert_site in conf.py, else sphinx)")  # fmt: skip
    parser.add_argument("--fold-case", action="store_true", default=None,
                        help="match page paths whatever their case (a server that folds case)")  # fmt: skip
    parser.add_argument("--rewrite", action="append", default=[], metavar="PATTERN=REPLACEMENT",
                        help="rewrite a link's path below the base URL before looking it up (a "
                        "Python regular expression; the first that matches applies; repeatable)")  # fmt: skip
    parser.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="in folders, skip files and folders whose path below the folder, or "
                        "name, matches GLOB (repeatable)")  # fmt: skip
    parser.add_argument("--source-dir", type=Path, metavar="DIR",
                        help="with --step-list: the handbook's source folder, for the paths of "
                        "coverage findings (default: found from the step list's location)")  # fmt: skip
    parser.add_argument("--coverage", nargs="?", const="runbooks", choices=("runbooks", "steps"),
                        help="also report runbooks (or, with 'steps', steps) no alert links to, "
                        "with a table of every runbook")  # fmt: skip
    parser.add_argument("--annotation", default=RUNBOOK_ANNOTATION, metavar="NAME",
                        help=f"the annotation holding the link (default: {RUNBOOK_ANNOTATION})")  # fmt: skip
    parser.add_argument("--severity", action="append", default=[], metavar="RULE=LEVEL",
                        help="change a rule's severity: error, warning or off (repeatable)")  # fmt: skip
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json, github (GitHub Actions annotations) "
                        "or sarif")  # fmt: skip
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


def _site(conf: Any, args: argparse.Namespace) -> Site:
    return site_from(
        conf if isinstance(conf, dict) else None,
        preset=getattr(args, "site", None),
        fold_case=getattr(args, "fold_case", None),
        rewrites=getattr(args, "rewrite", []),
    )


@dataclass
class BuiltHandbook:
    """What building a handbook tells the command: its step list data, its pages, its
    redirects, its site description and severity settings."""

    data: dict[str, Any]
    facts: dict[str, PageFacts]
    #: the redirect maps of conf.py (``redirects``, ``rediraffe_redirects``)
    redirect_config: dict[str, Any]
    confdir: Path
    #: ``incident_alert_site``
    site_config: dict[str, Any]
    settings: Settings
    html_baseurl: str


def build_handbook(srcdir: Path) -> BuiltHandbook:
    """Build the handbook in ``srcdir`` (no pages written) and keep what checking links needs."""
    if not srcdir.is_dir():
        raise UsageError(f"{srcdir}: no such folder")
    built: dict[str, Any] = {}

    def collect(app: Sphinx) -> None:
        raw = getattr(app.config, "_raw_config", {})
        built.update(
            facts=page_facts(app),
            redirect_config={name: raw.get(name) for name in ("redirects", "rediraffe_redirects")},
            confdir=Path(app.confdir),
            site_config=dict(app.config.incident_alert_site or {}),
        )

    # headings as written: a forge or another generator makes anchors from the text itself,
    # before any typography (``--`` stays two hyphens)
    handbook = read_handbook(srcdir, {"smartquotes": False}, freshenv=True, after_build=collect)
    note_skipped(PROG, handbook)
    data = document(handbook.runbooks, handbook.project, handbook.html_baseurl)
    return BuiltHandbook(data, settings=handbook.settings, html_baseurl=handbook.html_baseurl, **built)


def handbook_targets(built: BuiltHandbook, site: Site, base_urls: Sequence[str] = ()) -> HandbookTargets:
    """The built handbook's targets (complete) on the site ``site`` describes."""
    targets = targets_from_step_list(built.data, site, built.facts)
    given = [b for b in base_urls if b.strip()]
    if given:  # the pages' aliases are paths below the base URL the links use
        targets.base_url = given[0]
    add_redirects(targets, built.facts, built.redirect_config, built.confdir)
    return targets.finish()


def source_root(step_list: Path, runbooks: dict[str, dict[str, Any]], given: Path | None) -> str:
    """The folder the step list's runbook sources are relative to, as a prefix: the one given,
    else the nearest folder above the step list (or the current one) that holds most of them."""
    if given is not None:
        return f"{given}/"
    sources = [text_of(r.get("source")) for r in runbooks.values() if text_of(r.get("source"))]
    if not sources:
        return ""
    start = step_list.resolve()
    candidates = [*list(start.parents)[:6], Path.cwd()]
    best, best_count = None, 0
    for folder in candidates:
        count = sum((folder / s).is_file() for s in sources[:50])
        if count > best_count:
            best, best_count = folder, count
    return f"{best}/" if best is not None else ""


def run(args: argparse.Namespace) -> int:
    try:
        overrides = parse_severities(args.severity)
        rule_files = read_rules(args.rules, args.annotation, args.exclude)
        if args.handbook is not None:
            built = build_handbook(args.handbook)
            site = _site(built.site_config, args)
            targets = handbook_targets(built, site, args.base_url)
            settings, base = built.settings, built.html_baseurl
            root = f"{args.handbook.resolve()}/"
        else:
            site = _site(None, args)
            data = load_step_list(args.step_list)
            targets = targets_from_step_list(data, site).finish()
            settings, base = Settings(), targets.base_url
            root = source_root(args.step_list, targets.runbooks, args.source_dir)
        bases = [b for b in args.base_url if b.strip()] or ([base] if base else [])
        if not bases:
            where = (
                "html_baseurl in conf.py" if args.handbook is not None else "the step list has no base_url"
            )
            raise UsageError(f"no base URL to recognise links into the handbook: pass --base-url ({where})")
    except (UsageError, RuleFileError, StepListError, HandbookError, SiteError) as exc:
        # a broken conf.py comes with its traceback: its first and last lines say what is wrong
        report_usage(PROG, str(exc))
        return USAGE
    settings = dataclasses.replace(settings, severity={**settings.severity, **overrides})
    result = check_alerts(
        rule_files.rules,
        targets,
        bases,
        settings,
        coverage=args.coverage,
        source_root=root,
        read_problems=rule_files.problems,
    )
    report = Report(
        result.findings,
        rule_files.notes,
        alerts=len(rule_files.rules),
        files=len(rule_files.files),
        linked=len(result.links),
        elsewhere=result.elsewhere,
        coverage=_coverage(targets, result, root) if args.coverage else None,
    ).shown()
    print(render(report, args.format))
    return exit_status(report.findings, args.fail_on)


def _coverage(
    targets: HandbookTargets, result: Result, root: str
) -> dict[str, tuple[str, str, int | None, list[str]]]:
    table = {}
    for rid, runbook in targets.runbooks.items():
        source = text_of(runbook.get("source"))
        line = runbook.get("line") if isinstance(runbook.get("line"), int) else None
        table[rid] = (text_of(runbook.get("title")), f"{root}{source}" if source else "", line,
                      result.covered.get(rid, []))  # fmt: skip
    return table
