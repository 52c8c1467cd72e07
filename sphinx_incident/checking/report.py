"""Reporting findings: a :class:`~sphinx_incident.model.Problem` becomes a typed, located warning.

Every finding of the extension goes through :func:`emit`: it applies the
rule's severity (``incident_severity``, ``off``, ``suppress_warnings``),
logs a Sphinx warning of type ``incident`` and the rule's subtype at the
problem's ``file:line``, and attaches the problem itself to the log record.
``sphinx-incident lint`` collects those records (:class:`Recorder`) instead
of reading the printed text, so what it reports is exactly what the build
said.
"""

from __future__ import annotations

import logging as std_logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from ..model import Problem
from .rules import OFF, WARNING_TYPE, Settings

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: the log record attribute that carries the problem
RECORD_ATTRIBUTE = "incident_problem"
#: the logger every module of the extension logs under (``sphinx.sphinx_incident.*``)
LOGGER_NAME = "sphinx.sphinx_incident"

logger = logging.getLogger(__name__)


def conf_path(app: Sphinx) -> str:
    """``conf.py``, relative to the source folder: where configuration problems are."""
    if not app.confdir:
        return "conf.py"
    return Path(os.path.relpath(Path(app.confdir) / "conf.py", app.srcdir)).as_posix()


def conf_line(app: Sphinx, text: str) -> int | None:
    """The first line of ``conf.py`` that mentions ``text``, for configuration problems."""
    if not app.confdir or not text:
        return None
    try:
        lines = (Path(app.confdir) / "conf.py").read_text("utf-8").splitlines()
    except OSError:
        return None
    return next((number for number, line in enumerate(lines, 1) if text in line), None)


def with_severity(problem: Problem, settings: Settings) -> Problem | None:
    """The problem at its configured severity, or ``None`` when its rule is off or suppressed."""
    severity = settings.severity_of(problem.rule)
    if severity == OFF:
        return None
    return replace(problem, severity=severity)  # type: ignore[arg-type]


def _location(srcdir: str | Path, problem: Problem) -> nodes.Element:
    # a bare node carrying the file and line: Sphinx prints it as ``file:line``,
    # also for included files, which a (docname, line) location would misname
    where = nodes.Element()
    where.source = str(Path(srcdir) / problem.path) if problem.path else None
    where.line = problem.line
    return where


class ExtensionBug(Exception):
    """An error of sphinx-incident itself behind a finding; its message is the original traceback."""


def emit(srcdir: str | Path, problem: Problem) -> None:
    """Log one finding (already at its final severity) as a Sphinx warning.

    A finding caused by an error of the extension itself carries its traceback: it is
    printed under the warning, and raised with it by ``--exception-on-warning``, so
    ``-T`` shows where it came from."""
    logger.warning(
        f"{problem.severity}: {problem.message}",
        type=WARNING_TYPE,
        subtype=problem.rule,
        location=_location(srcdir, problem),
        extra={RECORD_ATTRIBUTE: problem},
        exc_info=ExtensionBug(problem.detail.rstrip()) if problem.detail else None,
    )


class Recorder(std_logging.Handler):
    """Collects the problems the extension logs, whatever Sphinx prints."""

    def __init__(self) -> None:
        super().__init__(std_logging.WARNING)
        self.problems: list[Problem] = []

    def emit(self, record: std_logging.LogRecord) -> None:
        problem = getattr(record, RECORD_ATTRIBUTE, None)
        if isinstance(problem, Problem):
            self.problems.append(problem)


@contextmanager
def recording() -> Iterator[Recorder]:
    """Record every problem the extension reports while the block runs.

    The handler sits on the extension's own logger, which Sphinx leaves in
    place when it sets up logging for a new application (it resets only the
    ``sphinx`` logger's handlers), so configuration problems found while the
    application starts are recorded too."""
    recorder = Recorder()
    target = std_logging.getLogger(LOGGER_NAME)
    target.addHandler(recorder)
    try:
        yield recorder
    finally:
        target.removeHandler(recorder)
