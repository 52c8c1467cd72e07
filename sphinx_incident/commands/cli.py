"""The ``sphinx-incident`` command line: ``get_parser()`` and ``main(argv) -> int``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..version import __version__
from . import discover, export, lint
from .alerts import command as alerts
from .diff import command as diff
from .errors import crash_line, report_usage
from .findings import INTERRUPTED, USAGE
from .terminal import Output, OutputError, guard_standard_streams, silence_stdout


class Parser(argparse.ArgumentParser):
    """argparse's parser, reporting a bad command line in one line (and the command's ``--help``)."""

    def error(self, message: str) -> NoReturn:
        report_usage(self.prog, f"{message} (see {self.prog} --help)")
        raise SystemExit(USAGE)


def get_parser() -> argparse.ArgumentParser:
    parser = Parser(
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


def main(argv: Sequence[str] | None = None) -> int:
    guard_standard_streams()
    original = sys.stdout
    output = original if isinstance(original, Output) else Output(original)
    sys.stdout = output  # type: ignore[assignment]
    parser = get_parser()
    prog = parser.prog
    try:
        args = parser.parse_args(argv)
        if args.command is not None:
            prog = f"{parser.prog} {args.command}"
        return _run(parser, args)
    except BrokenPipeError:
        # the reader of a pipe went away (``lint | head -1``): what is left goes nowhere
        silence_stdout(output.stream)
        return 1
    except OutputError as exc:  # a closed standard output, a full disk
        silence_stdout(output.stream)
        report_usage(prog, f"cannot write the output: {exc.strerror or exc}")
        return USAGE
    finally:
        sys.stdout = original


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command is None:
        parser.print_help()
        sys.stdout.flush()
        return 0
    try:
        status = int(args.func(args))
        sys.stdout.flush()
        return status
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except (BrokenPipeError, OutputError):
        raise
    except Exception as exc:  # a bug of sphinx-incident: one line, and the traceback in a file
        print(crash_line(f"{parser.prog} {args.command}", exc), file=sys.stderr)
        return USAGE


if __name__ == "__main__":
    sys.exit(main())
