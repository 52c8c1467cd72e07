"""Reading a handbook in-process for the command line: Sphinx with the extension, no pages.

The ``lint`` and ``export`` commands both need the resolved runbooks of a
handbook and the problems its build reported. This runs Sphinx's
``runbooks`` builder (which renders no page) on the handbook, adding
``sphinx_incident`` to its extensions when ``conf.py`` does not list it, and
records the problems the extension reports (:mod:`sphinx_incident.checking.report`).
"""

from __future__ import annotations

import io
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.project import Project
from sphinx.util.docutils import docutils_namespace, patch_docutils
from sphinx.util.tags import Tags

from ..checking.report import recording
from ..checking.rules import Settings
from ..checking.settings import settings_from
from ..domain import incident_domain
from ..model import Problem, Runbook
from ..reading.discovery import DISCOVER_BUILDER
from ..rendering.builder import ReadRunbooksBuilder, handbook_runbooks
from .cache import SourceDigests
from .errors import UsageError, one_line, raised_in_extension
from .files import MAX_SOURCE_BYTES, size_limit_text, special_kind
from .terminal import printable

EXTENSION = "sphinx_incident"


class HandbookError(Exception):
    """The handbook cannot be read: no conf.py, a broken conf.py, a bad override. The message
    is one line (of a traceback of conf.py, its first and last lines)."""


@dataclass
class Handbook:
    """What reading a handbook gave: its resolved runbooks and every problem the build reported."""

    srcdir: Path
    project: str
    runbooks: list[Runbook]
    #: every finding of the extension, at its final severity; paths relative to ``srcdir``
    problems: list[Problem] = field(default_factory=list)
    #: Sphinx's own warnings, as printed
    warnings: str = ""
    html_baseurl: str = ""
    #: the configured severities and suppressions, for findings made outside the build
    settings: Settings = field(default_factory=Settings)
    templates_path: list[str] = field(default_factory=list)
    #: the handbook's Sphinx configuration, as read (``tls_verify`` and the like)
    config: Config | None = None
    #: every list of the handbook, classified (see :mod:`sphinx_incident.reading.discovery`)
    discovered: list[Any] = field(default_factory=list)
    #: the entries of ``incident_runbooks``
    runbook_entries: list[str] = field(default_factory=list)
    #: the documents this build read (all of them, unless a kept build folder made it incremental)
    read: list[str] = field(default_factory=list)
    #: documents left out because they could not be read: (path relative to ``srcdir``, why)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def parse_defines(defines: list[str]) -> dict[str, str]:
    """``-D name=value`` pairs; Sphinx converts the strings (``a,b`` to a list) itself."""
    overrides = {}
    for item in defines:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-D expects name=value, got {item!r}")
        overrides[name.strip()] = value
    return overrides


def extensions_with_ours(confdir: Path, overrides: Mapping[str, Any]) -> list[str]:
    """The handbook's extensions, plus this one when conf.py does not list it."""
    if "extensions" in overrides:
        value = overrides["extensions"]
        extensions = value.split(",") if isinstance(value, str) else list(value)
    else:
        try:
            config = Config.read(confdir, overrides={}, tags=Tags())
        except ConfigError as exc:  # conf.py is user code: report, don't trace back
            raise HandbookError(f"cannot read {confdir / 'conf.py'}: {one_line(str(exc))}") from exc
        extensions = list(config.extensions)
    if EXTENSION not in extensions:
        extensions.append(EXTENSION)
    return extensions


def _glob_escape(path: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in path)


def leave_out_unreadable(app: Sphinx) -> list[tuple[str, str]]:
    """Leave out of the build the documents it could not read: a FIFO or a device named like a
    page (reading it would wait forever, or without end), or a file beyond
    :data:`~sphinx_incident.commands.files.MAX_SOURCE_BYTES`. They are found the way Sphinx
    finds documents, and added to ``exclude_patterns`` before it looks; each is returned as
    (path relative to the source folder, why)."""
    config = app.config
    exclude = [*config.exclude_patterns, *config.templates_path, *app.builder.get_asset_paths()]
    project = Project(app.srcdir, config.source_suffix)
    skipped = []
    for docname in sorted(project.discover(exclude, config.include_patterns)):
        path = Path(project.doc2path(docname, absolute=True))
        reason = special_kind(path)
        if reason is not None:
            reason = f"{reason}, not a regular file: not read"
        else:
            try:
                too_large = path.stat().st_size > MAX_SOURCE_BYTES
            except OSError:
                continue  # Sphinx reports what it cannot open
            if not too_large:
                continue
            reason = f"larger than {size_limit_text(MAX_SOURCE_BYTES)}: not read"
        relative = path.relative_to(Path(app.srcdir)).as_posix()
        config.exclude_patterns = [*config.exclude_patterns, _glob_escape(relative)]
        skipped.append((relative, reason))
    return skipped


def note_skipped(prog: str, handbook: Handbook) -> None:
    """Tell, on stderr, each document left out because it could not be read (a note: the
    command goes on, and its exit status does not change)."""
    for path, reason in handbook.skipped:
        print(f"{prog}: note: {printable(str(handbook.srcdir / path))}: skipped: {printable(reason)}",
              file=sys.stderr)  # fmt: skip


def _not_built(srcdir: Path, exc: Exception, app: Sphinx | None) -> str:
    """Why the handbook did not build, in one line: for a page that is not UTF-8 text (which
    Sphinx itself stops at), which page and line."""
    if isinstance(exc, UnicodeDecodeError) and app is not None:
        docname = app.env.temp_data.get("docname")
        if docname:
            data = exc.object if isinstance(exc.object, bytes) else b""
            line = data[: exc.start].count(b"\n") + 1
            where = f"{app.env.doc2path(docname)}:{line}"
            return (
                f"cannot build {srcdir}: {where}: not {exc.encoding} text ({exc.reason} at byte {exc.start})"
            )
    return f"cannot build {srcdir}: {type(exc).__name__}: {one_line(str(exc))}"


def read_handbook(
    srcdir: Path,
    overrides: Mapping[str, Any] | None = None,
    *,
    build_dir: Path | None = None,
    parallel: int = 1,
    freshenv: bool = False,
    status: IO[str] | None = None,
    after_build: Callable[[Sphinx], None] | None = None,
    discover: bool = False,
) -> Handbook:
    """Build ``srcdir`` with the ``runbooks`` builder and return its runbooks and problems.

    ``build_dir`` keeps the doctrees between runs (a second run is
    incremental); without it a temporary folder is used and removed.
    ``after_build`` is called with the application once the build is done,
    while its doctrees are still there, for callers that need more of the
    handbook than its runbooks (the ids of its pages, say). With
    ``discover`` only the lists are classified (``discovered``): no
    runbook is resolved or checked.
    """
    srcdir = srcdir.resolve()
    if not (srcdir / "conf.py").is_file():
        raise HandbookError(f"{srcdir} has no conf.py: is it a Sphinx source folder?")
    overrides = dict(overrides or {})
    overrides["extensions"] = extensions_with_ours(srcdir, overrides)
    warnings = io.StringIO()
    app: Sphinx | None = None
    with tempfile.TemporaryDirectory(prefix="sphinx-incident-") as tmp:
        base = build_dir if build_dir is not None else Path(tmp)
        try:
            with patch_docutils(srcdir), docutils_namespace(), recording() as recorder:
                app = Sphinx(
                    srcdir,
                    srcdir,
                    base / "runbooks",
                    base / "doctrees",
                    DISCOVER_BUILDER if discover else ReadRunbooksBuilder.name,
                    confoverrides=overrides,
                    status=status,
                    warning=warnings,
                    freshenv=freshenv,
                    parallel=parallel,
                )
                skipped = leave_out_unreadable(app)
                read: list[str] = []
                app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(sorted(docnames)))
                digests = SourceDigests(build_dir) if build_dir is not None else None
                if digests is not None:  # a kept build: what changed is told by content, not time
                    app.connect("env-get-outdated", digests.changed)
                app.build()
                if digests is not None:
                    digests.save(app.env)
                runbooks = handbook_runbooks(app)
                if after_build is not None:
                    after_build(app)
        except HandbookError:
            raise
        except Exception as exc:
            if raised_in_extension(exc):
                raise  # a bug of sphinx-incident: the command reports it with its traceback
            # a broken conf.py, or another extension of the handbook: a message, not a traceback
            raise HandbookError(_not_built(srcdir, exc, app)) from exc
    return Handbook(
        srcdir=srcdir,
        project=str(app.config.project),
        runbooks=runbooks,
        problems=list(recorder.problems),
        warnings=warnings.getvalue(),
        html_baseurl=str(app.config.html_baseurl or ""),
        settings=settings_from(app),
        templates_path=[str(p) for p in app.config.templates_path],
        config=app.config,
        discovered=incident_domain(app.env).discovered(),
        read=read,
        runbook_entries=[str(e) for e in app.config.incident_runbooks],
        skipped=skipped,
    )
