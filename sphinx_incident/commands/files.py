"""Reading the files a command is handed, within bounds: regular files only, and only so much.

Whatever a command reads (rule files, step lists, its caches, the redirects
a handbook names) may be a FIFO nobody writes to, ``/dev/zero``, a socket or
a file of gigabytes that happens to have the right name. Every such read
goes through :func:`read_bytes` (or :func:`read_text`): the file is opened
without blocking and examined before anything is read from it, anything but
a regular file is refused (unless named on the command line, see
``special``), and no more than a limit is read. A refusal is a
:class:`ReadError`, whose message the command prints in one line.
"""

from __future__ import annotations

import os
import stat
from typing import Any

#: the most a rule file or a small file of settings may hold
MAX_BYTES = 8 * 1024 * 1024
#: the most a step list or a cache file may hold (a large handbook's step list is megabytes)
MAX_DATA_BYTES = 64 * 1024 * 1024
#: the most of a handbook's document the commands read
MAX_SOURCE_BYTES = 64 * 1024 * 1024


class ReadError(Exception):
    """A file that is not read: not a regular file, too large, not UTF-8, or not readable.
    ``line`` is where, when known; ``kind`` says which (``special``, ``size``, ``encoding``,
    and for the readers built on this one, their own)."""

    def __init__(self, message: str, line: int | None = None, kind: str = "special") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.kind = kind


def _kind(mode: int) -> str | None:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def special_kind(path: str | os.PathLike[str]) -> str | None:
    """What ``path`` is when it is not a regular file (following symbolic links), else ``None``.
    A path that cannot be examined is left to :func:`read_bytes` to report."""
    try:
        return _kind(os.stat(path).st_mode)
    except OSError:
        return None


def size_limit_text(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def read_bytes(path: str | os.PathLike[str], limit: int = MAX_BYTES, *, special: bool = False) -> bytes:
    """The bytes of a file, at most ``limit`` of them, else a :class:`ReadError`.

    A FIFO, a device or a socket is refused without reading, unless ``special``
    (a path named on the command line, such as ``/dev/stdin`` or the pipe of a
    shell's ``<(helm template ...)``), when it is read as a stream up to
    ``limit``: a pipe nobody writes to reads as empty."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc)) from None
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            if not special or kind == "a folder":
                raise ReadError(f"{kind}, not a regular file: not read")
            os.set_blocking(fd, True)  # wait for the writer of a pipe, as ``cat`` does
        data = _read_at_most(fd, limit)
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ReadError(f"larger than {size_limit_text(limit)}: not read", kind="size")
    return data


def read_text(path: str | os.PathLike[str], limit: int = MAX_BYTES, *, special: bool = False) -> str:
    """The text of a file, at most ``limit`` bytes of UTF-8 (a BOM is dropped); see
    :func:`read_bytes`."""
    return decode(read_bytes(path, limit, special=special), limit)


def read_stream(stream: Any, limit: int = MAX_BYTES) -> str:
    """The text of a binary stream (standard input), at most ``limit`` bytes of UTF-8."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(1 << 16, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return decode(b"".join(chunks), limit)


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = os.read(fd, min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def decode(data: bytes, limit: int = MAX_BYTES) -> str:
    """UTF-8 text (a BOM dropped), or a :class:`ReadError` saying where it is not."""
    if len(data) > limit:
        raise ReadError(f"larger than {size_limit_text(limit)}: not read", kind="size")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", line, "encoding") from None
