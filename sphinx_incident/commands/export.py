"""The ``export`` command: one runbook of a handbook as JSON, Markdown, a GitHub issue body or CSV."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Runbook
from ..rendering.markdown import FORMATS, csv_text, markdown
from ..rendering.step_list import dumps, runbook_data, write_atomic
from .errors import report_usage
from .files import special_kind
from .handbook import HandbookError, note_skipped, read_handbook
from .terminal import printable

if TYPE_CHECKING:
    from sphinx.config import Config

PROG = "sphinx-incident export"


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
    """Why ``output`` must not be written, or ``None`` when it may: what can be told before the
    handbook is read (:func:`read_by_build` tells the rest)."""
    if _inside(output, srcdir) and (output.exists() or output.is_symlink()):
        return f"refusing to overwrite {output}: it is an existing file inside the source folder {srcdir}"
    if output.is_dir():
        return f"cannot write {output}: it is a folder; name a file"
    if output.exists() and special_kind(output) is not None:
        return None  # a device or a pipe (/dev/stdout, >(...)): written into, never replaced
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


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


#: the options naming files or folders, relative to the configuration folder, that a build reads
_READ_FOLDERS = ("templates_path", "html_static_path", "html_extra_path", "locale_dirs")


def read_by_build(output: Path, srcdir: Path, config: Config | None) -> str | None:
    """Why the next build of the handbook would read ``output``, or ``None`` when it would not:
    a page (any ``source_suffix``, unless ``exclude_patterns`` leaves it out), ``conf.py``, or
    a file under ``templates_path``, ``html_static_path``, ``html_extra_path`` or
    ``locale_dirs``, as the handbook's configuration says."""
    if not _inside(output, srcdir):
        return None
    srcdir = srcdir.resolve()
    target = output.resolve()
    relative = target.relative_to(srcdir).as_posix()
    if relative == "conf.py":
        return f"refusing to write {output}: it is the handbook's conf.py"
    if config is None:
        return None
    declared = _declared(srcdir)
    for option in _READ_FOLDERS:
        for entry in _entries(config, option, declared):
            folder = (srcdir / entry).resolve()
            if target == folder or target.is_relative_to(folder):
                return f"refusing to write {output}: it is inside {option} ({entry}), which the build reads"
    suffixes = [str(s) for s in (config.source_suffix or {})]
    suffix = next((s for s in suffixes if target.name.lower().endswith(s.lower())), None)
    if suffix is not None and _read_as_page(relative, config):
        return (
            f"refusing to write {output}: a {suffix} file inside the source folder is read as a page "
            "(source_suffix)"
        )
    return None


def _declared(confdir: Path) -> dict[str, Any]:
    """The options as ``conf.py`` sets them, read again: the build has changed its own copies
    (Sphinx drops the entries of ``html_static_path`` that do not exist yet, in place on
    some versions, and extensions add theirs)."""
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    try:
        return dict(Config.read(confdir, overrides={}, tags=Tags())._raw_config)
    except Exception:  # a conf.py that cannot be read twice: the build's copies must do
        return {}


def _entries(config: Config, option: str, declared: dict[str, Any]) -> list[str]:
    """An option's entries as conf.py gives them, and as Sphinx kept them: Sphinx drops the
    entries of ``html_static_path`` and ``html_extra_path`` that do not exist yet, which the
    next build reads once the export has made them."""
    found: list[str] = []
    raw = getattr(config, "_raw_config", {})
    for value in (declared.get(option), raw.get(option), getattr(config, option, None)):
        items = [value] if isinstance(value, str | os.PathLike) else value
        if isinstance(items, list | tuple):
            found += [str(item) for item in items if isinstance(item, str | os.PathLike)]
    return list(dict.fromkeys(found))


def _read_as_page(relative: str, config: Config) -> bool:
    """Whether Sphinx's search for documents takes ``relative`` (below the source folder)."""
    from sphinx.project import EXCLUDE_PATHS
    from sphinx.util.matching import Matcher

    included = Matcher(list(config.include_patterns or ["**"]))
    excluded = Matcher([*(config.exclude_patterns or []), *EXCLUDE_PATHS])
    parts = relative.split("/")
    # a folder left out leaves out what it holds
    folders = ["/".join(parts[:n]) for n in range(1, len(parts))]
    return included(relative) and not excluded(relative) and not any(excluded(f) for f in folders)


def write_stream(path: Path, text: str) -> None:
    """Write into a file that is no regular file (a device, a pipe: ``/dev/stdout``, ``>(...)``)
    as a shell's redirection does: never replacing it, and never waiting for a pipe that no
    process reads (an :class:`OSError` instead)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OSError(exc.errno, "no process reads this pipe") from None
        raise
    os.set_blocking(fd, True)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


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
            report_usage(PROG, reason)
            return 2
    try:
        handbook = read_handbook(srcdir)
    except HandbookError as exc:
        report_usage(PROG, str(exc))
        return 2
    note_skipped(PROG, handbook)
    if args.output is not None:
        reason = read_by_build(args.output, srcdir, handbook.config)
        if reason:
            report_usage(PROG, reason)
            return 2
    if not args.runbook:
        for runbook in handbook.runbooks:
            print(f"{printable(runbook.id)}\t{printable(runbook.title)}")
        return 0
    found = {r.id: r for r in handbook.runbooks}
    if args.runbook not in found:
        known = ", ".join(found) or "(none)"
        report_usage(PROG, f"no runbook {args.runbook!r}; known runbooks: {known}")
        return 2
    base_url = args.base_url if args.base_url is not None else handbook.html_baseurl
    text = render(found[args.runbook], args.format, base_url, handbook.templates_path, handbook.srcdir)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        if args.output.exists() and special_kind(args.output) is not None:
            write_stream(args.output, text)
        elif args.force:
            write_atomic(args.output, text)
        else:
            write_new(args.output, text)
    except FileExistsError:
        report_usage(PROG, f"refusing to overwrite {args.output}: it exists")
        return 2
    except OSError as exc:
        report_usage(PROG, f"cannot write {args.output}: {exc.strerror or exc}")
        return 2
    return 0
