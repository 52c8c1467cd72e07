"""``sphinx-incident lint``: the handbook's problems, one line each, with an exit status for CI.

The handbook is read in-process with the ``runbooks`` builder (no HTML is
written); the problems are the records of what the extension reported while
building it (:mod:`sphinx_incident.checking.report`): every runbook's problems, the
handbook-wide role checks and the configuration's, at their configured
severities. Paths are printed relative to the current directory (absolute
when the handbook is outside it), so editors and GitHub annotations find the
files.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .arguments import number_in
from .cache import prepare_cache
from .errors import UsageError, report_usage
from .findings import FORMATS, USAGE, display_path, exit_status, located, render
from .handbook import HandbookError, parse_defines, read_handbook

PROG = "sphinx-incident lint"
#: the cache folder's name inside the source folder's build folder
CACHE_FOLDER = "sphinx-incident-lint"
#: ``--link-timeout``: seconds, above zero
SECONDS = number_in("a number of seconds above 0", 0, above=True)


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
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json, or github (GitHub Actions annotations)")  # fmt: skip
    parser.add_argument("--fail-on", choices=("error", "warning"), default="error",
                        help="lowest severity that makes the exit status 1 (default: error)")  # fmt: skip
    parser.add_argument("--scope", choices=("runbooks", "discovered"), default=None,
                        help="runbooks: the declared runbooks; discovered: also every procedure "
                        "`discover` finds (default: incident_lint_scope)")  # fmt: skip
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="name=value",
                        help="override a conf.py setting, as sphinx-build -D does")  # fmt: skip
    parser.add_argument("--check-links", action="store_true",
                        help="also request every http(s) URL of the runbooks (off by default)")  # fmt: skip
    parser.add_argument("--link-timeout", type=SECONDS, default=10.0, metavar="SECONDS",
                        help="the most seconds one URL's check takes, redirects and retries included "
                        "(default: 10)")  # fmt: skip
    parser.add_argument("--link-workers", type=int, default=8, metavar="N",
                        help="URLs requested at once (default: 8; 2 per host)")  # fmt: skip
    parser.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                        help="where the read handbook and link results are kept between runs, so the "
                        "next lint reads only the pages that changed: a new or empty folder, the "
                        f"cache's own (default: SOURCEDIR/_build/{CACHE_FOLDER})")  # fmt: skip
    parser.add_argument("--no-cache", action="store_true",
                        help="read the whole handbook afresh and keep nothing")  # fmt: skip
    parser.add_argument("--cache-ttl", type=float, default=24.0, metavar="HOURS",
                        help="how long a link result is reused (default: 24; 0: no cache)")  # fmt: skip
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        overrides = parse_defines(args.define)
        if args.scope is not None:
            overrides["incident_lint_scope"] = args.scope
        srcdir = Path(args.sourcedir)
        if not srcdir.is_dir():
            raise UsageError(f"{args.sourcedir}: no such folder")
        cache = None if args.no_cache else prepare_cache(args.cache_dir or srcdir / "_build" / CACHE_FOLDER)
        args.cache_dir = cache  # link results are kept there too
        handbook = read_handbook(srcdir, overrides, build_dir=cache, freshenv=cache is None)
    except (UsageError, HandbookError) as exc:
        report_usage(PROG, str(exc))
        return USAGE
    problems = list(handbook.problems)
    if args.check_links:
        from .linkcheck import LinkCheckError, link_problems

        try:
            problems += link_problems(handbook.runbooks, handbook.settings, args, handbook.config)
        except LinkCheckError as exc:
            report_usage(PROG, str(exc))
            return USAGE
    shown = located(problems, handbook.srcdir)
    status = exit_status(shown, args.fail_on)
    count = len(handbook.runbooks)
    subject = f"{count} runbook{'' if count == 1 else 's'}"
    skipped = [(display_path(handbook.srcdir / path), reason) for path, reason in handbook.skipped]
    print(render(shown, args.format, subject, {"runbooks": count}, skipped))
    return status
