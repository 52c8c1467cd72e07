"""Reading a ``runbooks.json`` step list written by the extension, for the commands that compare
or check against one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .files import MAX_DATA_BYTES, ReadError, read_text

#: the step list's name when a folder is given
DEFAULT_NAME = "runbooks.json"
#: the major schema version this package reads
#: the step list schemas this version reads: its own, and 1.x (ids made the old way, no step
#: fingerprints), so that a step list kept from before an upgrade can still be compared
READABLE_MAJORS = ("1", "2")


class StepListError(Exception):
    """A file that is not a step list this version can read."""


def step_list_path(path: Path) -> Path:
    """``path`` itself, or the ``runbooks.json`` inside it when it is a folder (a built site)."""
    if path.is_dir():
        inside = path / DEFAULT_NAME
        if not inside.exists():
            raise StepListError(f"{path}: no {DEFAULT_NAME} in this folder")
        return inside
    if not path.exists():
        raise StepListError(f"{path}: no such file or folder")
    return path


def _integer(text: str) -> int | str:
    """A JSON integer; one too long for Python to convert stays its text (a field of the wrong
    type, which readers pass over) rather than making the file unreadable."""
    return int(text) if len(text) <= 4000 else text


def load_step_list(path: Path) -> dict[str, Any]:
    """The data of a step list file (or of the one in a built site's folder)."""
    found = step_list_path(path)
    try:
        # a path named on the command line may be a pipe (``<(curl ...)``); one found in a
        # folder must be a regular file
        text = read_text(found, MAX_DATA_BYTES, special=found == path)
    except ReadError as exc:
        raise StepListError(f"{found}: {exc.message}") from None
    path = found
    try:
        data = json.loads(text, parse_int=_integer)
    except ValueError as exc:
        raise StepListError(f"{path}: not JSON: {exc}") from None
    except RecursionError:
        raise StepListError(f"{path}: not a step list: nested too deeply") from None
    generator = data.get("generator") if isinstance(data, dict) else None
    if not isinstance(generator, dict) or generator.get("name") != "sphinx-incident":
        raise StepListError(f"{path}: not a step list written by sphinx-incident")
    given = data.get("schema_version")
    version = given if isinstance(given, str) else ""
    if version.partition(".")[0] not in READABLE_MAJORS:
        readable = " or ".join(f"{major}.x" for major in READABLE_MAJORS)
        shown = (version[:40] + "...") if len(version) > 40 else version or "(none)"
        raise StepListError(f"{path}: step list schema {shown} is not one this version reads ({readable})")
    if not isinstance(data.get("runbooks"), list) or not all(isinstance(r, dict) for r in data["runbooks"]):
        raise StepListError(f"{path}: `runbooks` is not a list of runbooks")
    return data
