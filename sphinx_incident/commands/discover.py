"""``sphinx-incident discover``: the procedures a handbook already has, and how to declare them.

The handbook is read with every list classified while it is read
(:mod:`sphinx_incident.reading.discovery`); this prints the procedures and
checklists found, or an ``incident_runbooks`` block that declares them.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..reading.discovery import Discovered


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "discover",
        help="list the procedures a handbook already has",
        description="Read the handbook (no HTML is written) and list the numbered and bulleted lists "
        "that are procedures or checklists, with the entry that declares each in incident_runbooks.",
    )
    parser.add_argument("sourcedir", nargs="?", default=".", metavar="SOURCEDIR",
                        help="the folder holding conf.py (default: the current folder)")  # fmt: skip
    parser.add_argument("--format", choices=("text", "json", "conf"), default="text",
                        help="text (default), json, or conf (a ready incident_runbooks block)")  # fmt: skip
    parser.add_argument("--all", action="store_true",
                        help="also list the lists that are not procedures, with their verdict")  # fmt: skip
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="name=value",
                        help="override a conf.py setting, as sphinx-build -D does")  # fmt: skip
    parser.set_defaults(func=run)
    return parser


def procedures(found: list[Discovered], everything: bool = False) -> list[Discovered]:
    """The procedures, one per section (a procedure interrupted by prose is one); all lists with ``--all``."""
    if everything:
        return found
    seen: set[tuple[str, str]] = set()
    kept = []
    for item in found:
        key = (item.docname, item.entry)
        if item.positive and key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def conf_block(found: list[Discovered], existing: list[str]) -> str:
    """``incident_runbooks = [...]``: the entries already there, then one per undeclared procedure."""
    entries = list(existing)
    for item in procedures(found):
        if not item.declared and item.entry not in entries:
            entries.append(item.entry)
    lines = ["incident_runbooks = ["]
    lines += [f"    {entry!r}," for entry in entries]
    lines.append("]")
    return "\n".join(lines)


def render_text(found: list[Discovered], srcdir: Path) -> str:
    from .findings import display_path

    lines = []
    for item in found:
        path = display_path(srcdir / item.source)
        where = f"{path}:{item.line}" if item.line else path
        if item.page:
            where += f" (included in {display_path(srcdir / item.page)})"
        state = "declared" if item.declared else f"add {item.entry!r}"
        kind = item.verdict
        lines.append(f"{where}: {kind} ({item.steps} {'steps' if item.ordered else 'items'}, "
                     f"confidence {item.confidence:.2f}) in {item.section!r}: {state}")  # fmt: skip
        lines.append("    " + ("; ".join(item.reasons) or "no signal either way"))
    positives = sum(1 for item in found if item.positive)
    undeclared = sum(1 for item in found if item.positive and not item.declared)
    lines.append(f"{positives} procedures and checklists, {undeclared} not declared")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from .errors import UsageError, one_line
    from .findings import USAGE
    from .handbook import HandbookError, parse_defines, read_handbook

    try:
        srcdir = Path(args.sourcedir)
        if not srcdir.is_dir():
            raise UsageError(f"{args.sourcedir}: no such folder")
        overrides = parse_defines(args.define)
        overrides["incident_lint_scope"] = "discovered"  # lists are classified while read
        handbook = read_handbook(srcdir, overrides, freshenv=True, discover=True)
    except (UsageError, HandbookError) as exc:
        print(f"sphinx-incident discover: {one_line(str(exc))}", file=sys.stderr)
        return USAGE
    found = procedures(handbook.discovered, args.all)
    if args.format == "json":
        print(json.dumps([asdict(item) for item in found], indent=2, ensure_ascii=False))
    elif args.format == "conf":
        print(conf_block(handbook.discovered, handbook.runbook_entries))
    else:
        print(render_text(found, handbook.srcdir))
    return 0
