"""``sphinx-incident diff``: what changed in the runbooks between two versions of a handbook.

Each side is a ``runbooks.json``, a built site's folder holding one, a source
folder, or (``--git REV [REV2]``) a git revision of the source folder. The
comparison is :mod:`sphinx_incident.commands.diff.changes`; the output
:mod:`sphinx_incident.commands.diff.render` (text, a Markdown pull-request comment,
JSON).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import UsageError, report_usage
from ..findings import FAILED, OK, USAGE
from .changes import compare
from .render import FORMATS, render
from .sources import Repository, Side, SideError, load_path

PROG = "sphinx-incident diff"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "diff",
        usage="%(prog)s [options] OLD NEW\n       %(prog)s [options] [SOURCEDIR] --git REV [REV2]",
        help="show what changed in the runbooks between two versions of a handbook",
        description="Compare the runbooks of two versions of a handbook, step by step: steps "
        "added, removed, moved, renumbered, retitled, reworded, and changes to their owners, roles, "
        "terms, links, buttons and admonitions. OLD and NEW are runbooks.json files, built site "
        "folders holding one, or source folders; with --git, REV (and REV2, default: the working "
        "tree) of the source folder SOURCEDIR (default: the current folder).",
    )
    parser.add_argument("sides", nargs="*", metavar="PATH",
                        help="OLD and NEW: step lists, built sites or source folders; with --git, "
                        "the source folder")  # fmt: skip
    parser.add_argument("--git", nargs="+", metavar="REV",
                        help="compare git revisions of the source folder: REV [REV2]")  # fmt: skip
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), markdown (a pull-request comment), or json")  # fmt: skip
    parser.add_argument("--exit-code", action="store_true",
                        help="exit with status 1 when runbooks changed, as git diff --exit-code")  # fmt: skip
    parser.set_defaults(func=run)
    return parser


def resolve_sides(paths: list[str], revs: list[str] | None) -> tuple[Side, Side]:
    """Read both sides the command line names."""
    if revs is None:
        if len(paths) != 2:
            raise UsageError("expects OLD and NEW, or a source folder and --git REV [REV2]")
        return load_path(Path(paths[0])), load_path(Path(paths[1]))
    revs = list(revs)
    paths = list(paths)
    # ``diff --git HEAD~1 docs``: the folder was read as a revision
    if not paths and len(revs) >= 2 and Path(revs[-1]).is_dir():
        paths = [revs.pop()]
    if len(paths) > 1:
        raise UsageError("with --git, name one source folder")
    if len(revs) > 2:
        raise UsageError("--git takes one or two revisions: REV [REV2]")
    repo = Repository.of(Path(paths[0] if paths else "."))
    old = repo.side(revs[0])
    new = repo.side(revs[1]) if len(revs) == 2 else repo.working_tree()
    return old, new


def run(args: argparse.Namespace) -> int:
    try:
        old, new = resolve_sides(args.sides, args.git)
    except (UsageError, SideError) as exc:
        report_usage(PROG, str(exc))
        return USAGE
    changes = compare(old.data, new.data)
    sys.stdout.write(render(changes, args.format, old.label, new.label))
    return FAILED if args.exit_code and changes.changed else OK
