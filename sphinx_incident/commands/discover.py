"""``sphinx-incident discover``: the procedures a handbook already has, and how to declare them.

The handbook is read with every list classified while it is read
(:mod:`sphinx_incident.reading.discovery`); this prints the procedures and
checklists found, or an ``incident_runbooks`` block that declares them.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from ..reading.discovery import Discovered
from .arguments import number_in

#: ``--min-confidence``: a probability a procedure is given, from one half up
CONFIDENCE = number_in("a number between 0.5 and 1", 0.5, 1)


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
                        help="list every list read, one line each, with its verdict (by default: one "
                             "line per procedure, which may span several lists)")  # fmt: skip
    parser.add_argument("--under", action="append", default=[], metavar="FOLDER",
                        help="only lists in files under this folder of the source (repeatable)")  # fmt: skip
    parser.add_argument("--min-confidence", type=CONFIDENCE, default=0.5, metavar="C",
                        help="only procedures the classifier gives at least this probability, between "
                             "0.5 and 1 (default 0.5: every list it takes for a procedure)")  # fmt: skip
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="name=value",
                        help="override a conf.py setting, as sphinx-build -D does")  # fmt: skip
    parser.set_defaults(func=run)
    return parser


def selected(found: list[Discovered], under: list[str], min_confidence: float = 0.5) -> list[Discovered]:
    """The lists of files under the given folders (all without any), with procedures below
    ``min_confidence`` counted as not procedures."""
    folders = [folder.strip("/") + "/" for folder in under if folder.strip("/")]
    kept = []
    for item in found:
        if folders and not any(item.source.startswith(folder) for folder in folders):
            continue
        if item.positive and item.confidence < min_confidence:
            item = replace(item, verdict="uncertain")
        kept.append(item)
    return kept


def procedures(found: list[Discovered], everything: bool = False) -> list[Discovered]:
    """One line per procedure: the first list of each entry, with the steps of every list of
    the entry that is a procedure (what the runbook it declares holds; a procedure interrupted
    by prose, or continued in a second list, is one); every list with ``everything``."""
    if everything:
        return found
    kept: dict[tuple[str, str], Discovered] = {}
    for item in found:
        if not item.positive:
            continue
        key = (item.docname, item.entry)
        if key in kept:
            kept[key] = replace(kept[key], steps=kept[key].steps + item.steps)
        else:
            kept[key] = item
    return list(kept.values())


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


def render_text(shown: list[Discovered], every: list[Discovered], srcdir: Path, everything: bool) -> str:
    """One line (and its reasons) per procedure, or per list with ``everything``; then what was
    counted, so that the two views' numbers add up."""
    from .findings import display_path

    lines = []
    for item in shown:
        path = display_path(srcdir / item.source)
        where = f"{path}:{item.line}" if item.line else path
        if item.page:
            where += f" (included in {display_path(srcdir / item.page)})"
        state = "declared" if item.declared else f"add {item.entry!r}"
        kind = item.verdict
        lines.append(f"{where}: {kind} ({item.steps} {'steps' if item.ordered else 'items'}, "
                     f"confidence {item.confidence:.2f}) in {item.section!r}: {state}")  # fmt: skip
        lines.append("    " + ("; ".join(item.reasons) or "no signal either way"))
    lines.append(summary(every))
    if not everything:
        others = sum(1 for item in every if not item.positive)
        lines.append(f"{others} other lists are not procedures (--all lists every one with its verdict)")
    return "\n".join(lines)


def summary(every: list[Discovered]) -> str:
    """What was found, counted the same way whatever is shown: lists, then procedures."""
    procedures_found = procedures(every)
    lists = sum(1 for item in every if item.positive)
    undeclared = sum(1 for item in procedures_found if not item.declared)
    pages = len({item.docname for item in every})
    written = sum(1 for item in every if item.form != "list")
    as_paragraphs = f" ({written} of them written as paragraphs)" if written else ""
    return (
        f"{len(every)} lists in {pages} pages{as_paragraphs}; {len(procedures_found)} procedures and "
        f"checklists (in {lists} of the lists), {undeclared} not declared"
    )


def _as_json(item: Discovered) -> dict[str, Any]:
    """A list as ``--format json`` prints it: what the text says, without the raw signals."""
    data = asdict(item)
    data.pop("signals", None)
    return data


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
    every = selected(handbook.discovered, args.under, args.min_confidence)
    found = procedures(every, args.all)
    if args.format == "json":
        print(json.dumps([_as_json(item) for item in found], indent=2, ensure_ascii=False))
    elif args.format == "conf":
        print(conf_block(every, handbook.runbook_entries))
    else:
        print(render_text(found, every, handbook.srcdir, args.all))
    return 0
