"""What the commands print: one escape for text from the input, and standard output that may fail.

Everything a command prints that came from a document, a rule file, a step
list or a URL goes through :func:`printable`, once, where it is printed:
control characters, line breaks and the code points that reorder text are
written as escapes, so no input can forge a line of output (a GitHub
``::error`` command, a finding that is not one) or send escape sequences to
the terminal. :func:`github` adds what GitHub's workflow commands need on
top; :func:`json_text` keeps JSON printable the same way; :func:`printable_path`
keeps a file name from starting a workflow command at the start of a line.

Standard output can fail: closed by the shell (``>&-``), a full disk
(``/dev/full``), a reader that went away (``| head -1``).
:func:`guard_standard_streams` makes sure nothing the command opens takes
the place of a closed stream, and :class:`Output` turns a failed write into
an :class:`OutputError`, which the command line reports in one line.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sys
from typing import IO, Any

#: C0 and C1 controls, DEL, line and paragraph separators, bidi controls, the BOM
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
#: what JSON encoders leave raw in strings of :data:`_UNPRINTABLE` (they escape C0 controls, and
#: the raw newlines of the output's indentation must stay)
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
#: the last guard on standard output: what a command writes itself is printable already, but
#: for the line breaks and tabs of its layout (JSON escapes are used, valid in JSON strings too)
_UNPRINTABLE_IN_OUTPUT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: how CI runners recognise a command in a line of a job's output (GitHub's ``::name``, the
#: ``##[name]`` form GitHub and Azure Pipelines also read)
_WORKFLOW_COMMAND = re.compile(r"\A(?:::|##)")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escape(match: re.Match[str]) -> str:
    # valid inside a JSON string, and as readable in text
    return f"\\u{ord(match.group()):04x}"


def printable(text: str) -> str:
    """``text`` with every control character, line break and bidi control as an escape
    (``\\x1b``, ``\\n``, ``\\u202e``): one line of plain characters."""
    return _UNPRINTABLE.sub(_escape, text)


def printable_path(text: str) -> str:
    """A file path as printed at the start of a line: :func:`printable`, and ``./`` before a
    name that a CI runner would read as a workflow command (``::error::x.md``)."""
    shown = printable(text)
    return f"./{shown}" if _WORKFLOW_COMMAND.match(shown) else shown


def github(text: str, prop: bool = False) -> str:
    """Text for a GitHub Actions workflow command: its own escapes for ``%``, line breaks and
    (in a property) ``:`` and ``,``, then :func:`printable`."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return printable(text)


def json_text(data: Any, indent: int | None = 2) -> str:
    """``data`` as JSON whose text is printable too: the encoder escapes C0 controls, and the C1
    controls and bidi controls it would leave raw are written as ``\\uXXXX`` escapes (the
    same data once decoded)."""
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return _RAW_IN_JSON.sub(_json_escape, text)


# -- standard output ------------------------------------------------------------------------


class OutputError(OSError):
    """Standard output could not be written: closed, full, or an I/O error."""


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def guard_standard_streams() -> None:
    """Put ``/dev/null`` in the place of a closed standard stream, so that no file the command
    opens gets its number and receives its output; standard output that was closed fails
    on the first write (:class:`Output`)."""
    for fd in (0, 1, 2):
        if _is_open(fd):
            continue
        try:
            null = os.open(os.devnull, os.O_RDWR)
        except OSError:
            continue
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
        if fd == 0 and sys.stdin is None:
            sys.stdin = open(os.devnull, encoding="utf-8")  # lives with the process
        elif fd == 1:
            sys.stdout = Output(None)  # type: ignore[assignment]
        elif fd == 2 and sys.stderr is None:
            sys.stderr = open(os.devnull, "w", encoding="utf-8")  # lives with the process


class Output:
    """Standard output for a command: writes that fail raise :class:`OutputError`."""

    def __init__(self, stream: IO[str] | None) -> None:
        self.stream = stream

    def _fail(self, exc: OSError | None) -> OutputError:
        if exc is None:
            return OutputError(errno.EBADF, "standard output is closed")
        return OutputError(exc.errno, exc.strerror or str(exc))

    def write(self, text: str) -> int:
        if self.stream is None:
            raise self._fail(None)
        try:
            return self.stream.write(_UNPRINTABLE_IN_OUTPUT.sub(_json_escape, text))
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:  # ValueError: a stream closed under us
            raise self._fail(exc if isinstance(exc, OSError) else None) from None

    def flush(self) -> None:
        if self.stream is None:
            return
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise self._fail(exc if isinstance(exc, OSError) else None) from None

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def fileno(self) -> int:
        if self.stream is None:
            raise self._fail(None)
        return self.stream.fileno()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def silence_stdout(stream: IO[str] | None) -> None:
    """After writing to the process's standard output failed, send what is still buffered
    nowhere, so Python does not report the failure again (with a traceback) when it flushes
    standard output at exit. Another stream (a test's capture) is left as it is."""
    if stream is None or stream is not sys.__stdout__:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:
        pass
    flush = getattr(stream, "flush", None)
    try:
        if flush is not None:
            flush()
    except (OSError, ValueError):
        pass
