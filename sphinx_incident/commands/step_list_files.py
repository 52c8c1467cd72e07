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


# -- step list data of any shape, in the shape the schema gives it -------------------------

#: how deep sub-steps are followed (the extension writes far fewer levels)
MAX_DEPTH = 32
#: fields of each kind of object, and the kind of each field's value
_REF = {"text": "text", "target": "text", "resolved": "any", "url": "text?"}
_LINK = {**_REF, "kind": "text", "reftype": "text?", "line": "any"}
_ADMONITION = {"kind": "text", "title": "text", "text": "text"}
_STEP = {
    "id": "text", "number": "text?", "title": "text?", "text": "text", "anchor": "text",
    "fingerprint": "text", "url": "text?", "line": "any", "owner": "ref?", "roles": "refs",
    "terms": "refs", "links": "links", "admonitions": "admonitions",
}  # fmt: skip
_RUNBOOK = {
    "id": "text", "title": "text", "docname": "text", "source": "text", "url": "text?",
    "anchor": "text", "intro": "text", "line": "any", "owners": "refs", "roles": "refs",
}  # fmt: skip


def _text(value: Any) -> str | None:
    """A field's text: strings as they are, numbers written out (small ones), else ``None``."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**18:
        return str(value)
    return None


def _objects(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _shaped(value: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, kind in fields.items():
        given = value.get(name)
        if kind == "text":
            out[name] = _text(given) or ""
        elif kind == "text?":
            out[name] = _text(given)
        elif kind == "ref?":
            out[name] = _shaped(given, _REF) if isinstance(given, dict) else None
        elif kind == "refs":
            out[name] = [_shaped(item, _REF) for item in _objects(given)]
        elif kind == "links":
            out[name] = [_shaped(item, _LINK) for item in _objects(given)]
        elif kind == "admonitions":
            out[name] = [_shaped(item, _ADMONITION) for item in _objects(given)]
        elif isinstance(given, str | int | float | bool) or given is None:
            out[name] = given  # kept only when it is a plain value
    return out


def _steps(value: Any, depth: int = 0) -> list[dict[str, Any]]:
    steps = []
    for item in _objects(value):
        step = _shaped(item, _STEP)
        step["substeps"] = _steps(item.get("substeps"), depth + 1) if depth + 1 < MAX_DEPTH else []
        steps.append(step)
    return steps


def shaped_step_list(data: dict[str, Any]) -> dict[str, Any]:
    """Step list data as the schema shapes it, whatever a file held: every field the commands
    compare of the type the schema gives it (text that is not text is empty, lists that are
    not lists of objects are empty, sub-steps at most :data:`MAX_DEPTH` deep), so that no
    reader of it meets an object where it expects text, or recurses without end."""
    runbooks = []
    for item in _objects(data.get("runbooks")):
        runbook = _shaped(item, _RUNBOOK)
        runbook["steps"] = _steps(item.get("steps"))
        runbooks.append(runbook)
    return {
        "schema_version": _text(data.get("schema_version")) or "",
        "generator": data.get("generator") if isinstance(data.get("generator"), dict) else {},
        "project": _text(data.get("project")) or "",
        "base_url": _text(data.get("base_url")) or "",
        "runbooks": runbooks,
    }
