"""How the commands report what goes wrong.

A usage error (a missing folder, a bad option, a handbook that does not
build) is the user's to fix: one line on stderr, exit status 2. An error in
sphinx-incident itself is a bug to report: one line too, naming a file that
holds the full traceback, as ``sphinx-build`` does for its own crashes.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import traceback
from pathlib import Path

import sphinx

from ..version import __version__
from .terminal import printable

#: where the modules of the extension are; the commands' own modules are below COMMANDS
PACKAGE = Path(__file__).resolve().parent.parent
COMMANDS = Path(__file__).resolve().parent


class UsageError(Exception):
    """A bad command line; reported in one line, exit status 2."""


def one_line(message: str) -> str:
    """A message in one line: Sphinx's configuration errors carry the whole traceback
    of conf.py; its first line and the exception at its end say what is wrong."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) <= 1:
        return message.strip()
    return f"{lines[0]} {lines[-1]}"


def report_usage(prog: str, message: str) -> None:
    """Print a usage error in one line on stderr: ``prog: message``, the message escaped
    (a line break in a path is ``\\n``, not a second line)."""
    print(f"{prog}: {printable(message)}", file=sys.stderr)


def raised_in_extension(exc: BaseException) -> bool:
    """Whether the extension's own code (not the commands', not a handbook's) raised ``exc``,
    or the exception it was raised from (Sphinx wraps a failing event handler's)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for frame in traceback.extract_tb(current.__traceback__):
            path = Path(frame.filename).resolve()
            if path.is_relative_to(PACKAGE) and not path.is_relative_to(COMMANDS):
                return True
        current = current.__cause__ or current.__context__
    return False


def save_traceback(exc: BaseException) -> Path:
    """Write the versions and the full traceback of ``exc`` to a new file; its path."""
    with tempfile.NamedTemporaryFile(
        "w", prefix="sphinx-incident-err-", suffix=".log", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(
            f"# sphinx-incident {__version__}, Sphinx {sphinx.__display_version__}, "
            f"Python {platform.python_version()} on {platform.platform()}\n"
            f"# {' '.join(sys.argv)}\n"
        )
        handle.write("".join(traceback.format_exception(exc)))
    return Path(handle.name)


def crash_line(prog: str, exc: BaseException) -> str:
    """The one line an error of sphinx-incident itself is reported in, with its traceback's file."""
    path = save_traceback(exc)
    what = printable(one_line(str(exc)))
    return (
        f"{prog}: internal error: {type(exc).__name__}{': ' + what if what else ''} "
        f"(a bug of sphinx-incident; the full traceback is in {path})"
    )
