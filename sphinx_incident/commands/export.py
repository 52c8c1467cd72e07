"""The ``export`` command: one runbook of a handbook as JSON, Markdown, a GitHub issue body or CSV."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..model import Runbook
from ..rendering.markdown import FORMATS, csv_text, markdown
from ..rendering.step_list import dumps, runbook_data, write_atomic
from .handbook import HandbookError, read_handbook

#: files under the source folder that are never an export's destination
SOURCE_SUFFIXES = {".md", ".rst", ".txt", ".py", ".toml", ".cfg", ".ini", ".json", ".yaml", ".yml"}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="export a runbook as a checklist (json, markdown, github, csv)",
        description="Export one runbook of a handbook as a checklist. Without --runbook, list the runbooks.",
    )
    parser.add_argument("sourcedir", nargs="?", default=".", type=Path, help="the handbook's source folder")
    parser.add_argument("--runbook", metavar="ID", help="id of the runbook to export")
    parser.add_argument("--format", choices=FORMATS, default="markdown", help="output format (markdown)")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="make step links absolute under URL (default: html_baseurl, else relative to the site root)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, help="write to FILE instead of stdout")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace FILE when it exists (never a file inside the source folder)",
    )
    parser.set_defaults(func=run)
    return parser


def render(
    runbook: Runbook, fmt: str, base_url: str = "", templates_path: Any = (), confdir: Any = None
) -> str:
    """The text of one export format."""
    if fmt == "json":
        data = runbook_data(runbook)
        return dumps(_absolute_urls(data, base_url) if base_url else data)
    if fmt == "csv":
        return csv_text(runbook, base_url)
    return markdown(runbook, base_url, fmt, templates_path, confdir)


def _absolute_urls(data: Any, base_url: str) -> Any:
    from ..rendering.markdown import absolute

    if isinstance(data, dict):
        return {
            k: absolute(v, base_url) if k == "url" and isinstance(v, str) else _absolute_urls(v, base_url)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_absolute_urls(v, base_url) for v in data]
    return data


def refuse_output(output: Path, srcdir: Path, force: bool = False) -> str | None:
    """Why ``output`` must not be written, or ``None`` when it may."""
    target = output.resolve()
    try:
        target.relative_to(srcdir.resolve())
        inside = True
    except ValueError:
        inside = False
    if inside and target.exists():
        return f"refusing to overwrite {output}: it is an existing file inside the source folder {srcdir}"
    if inside and (target.suffix.lower() in SOURCE_SUFFIXES or target.name == "conf.py"):
        return (
            f"refusing to write {output}: a {target.suffix} file inside the source folder "
            "would be read as a source"
        )
    if output.is_dir():
        return f"cannot write {output}: it is a folder; name a file"
    if (output.exists() or output.is_symlink()) and not force:
        return f"refusing to overwrite {output}: it exists; add --force to replace it"
    folder = output.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"cannot write {output}: {folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write {output}: {folder} is not writable"
    return None


def write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet, atomically: a finished temporary file is
    linked into place, which fails rather than replace a file made in the meantime."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            # a file system without hard links: create it exclusively instead
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    finally:
        Path(tmp).unlink(missing_ok=True)


def run(args: argparse.Namespace) -> int:
    srcdir: Path = args.sourcedir
    if args.output is not None:
        reason = refuse_output(args.output, srcdir, args.force)
        if reason:
            print(f"sphinx-incident export: {reason}", file=sys.stderr)
            return 2
    try:
        handbook = read_handbook(srcdir)
    except HandbookError as exc:
        print(f"sphinx-incident export: {exc}", file=sys.stderr)
        return 2
    if not args.runbook:
        for runbook in handbook.runbooks:
            print(f"{runbook.id}\t{runbook.title}")
        return 0
    found = {r.id: r for r in handbook.runbooks}
    if args.runbook not in found:
        known = ", ".join(found) or "(none)"
        print(
            f"sphinx-incident export: no runbook {args.runbook!r}; known runbooks: {known}", file=sys.stderr
        )
        return 2
    base_url = args.base_url if args.base_url is not None else handbook.html_baseurl
    text = render(found[args.runbook], args.format, base_url, handbook.templates_path, handbook.srcdir)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        if args.force:
            write_atomic(args.output, text)
        else:
            write_new(args.output, text)
    except FileExistsError:
        print(f"sphinx-incident export: refusing to overwrite {args.output}: it exists", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"sphinx-incident export: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0
