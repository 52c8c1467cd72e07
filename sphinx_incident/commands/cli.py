"""The ``sphinx-incident`` command line: ``get_parser()`` and ``main(argv) -> int``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..version import __version__
from . import discover, export, lint
from .alerts import command as alerts
from .diff import command as diff
from .errors import crash_line
from .findings import INTERRUPTED, USAGE


def get_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sphinx-incident",
        description="Lint, discover, export, diff and link-check the incident runbooks of a Sphinx handbook.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    # each command module adds its sub-parser and sets ``func`` (args -> exit status)
    lint.add_parser(subparsers)
    discover.add_parser(subparsers)
    export.add_parser(subparsers)
    alerts.add_parser(subparsers)
    diff.add_parser(subparsers)
    del subparsers
    return parser


def _quiet_stdout() -> None:
    """After the reader of a pipe went away (``lint | head -1``), send what is left nowhere,
    so Python does not complain again when it flushes standard output at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = get_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        status = int(args.func(args))
        sys.stdout.flush()
        return status
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except Exception as exc:  # a bug of sphinx-incident: one line, and the traceback in a file
        sys.stdout.flush()
        print(crash_line(f"{parser.prog} {args.command}", exc), file=sys.stderr)
        return USAGE


if __name__ == "__main__":
    sys.exit(main())
