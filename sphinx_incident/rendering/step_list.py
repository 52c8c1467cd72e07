"""The machine-readable step list: resolved runbooks -> ``runbooks.json``.

The output is deterministic (stable order, no timestamps, sorted nothing that
the author ordered) so two builds of the same sources are byte-identical, and
it validates against the JSON Schema shipped in ``schema/runbooks.schema.json``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from ..model import Reference, Runbook, to_dict
from ..version import __version__

#: bump the major part when a consumer could break, the minor when fields are added
SCHEMA_VERSION = "2.0"
SCHEMA_RESOURCE = "schema/runbooks.schema.json"
#: the schema's name when it is published beside the step list
SCHEMA_FILENAME = "runbooks.schema.json"


def involved_roles(runbook: Runbook) -> list[dict[str, Any]]:
    """The distinct roles a runbook involves (owners first, then in step order)."""
    seen: dict[str, Reference] = {}
    refs = list(runbook.owners)
    for step in runbook.walk():
        refs.extend(step.roles)
        for footnote in step.footnotes:
            refs.extend(footnote.roles)
    for ref in refs:
        seen.setdefault(ref.target, ref)
    return [
        {"name": ref.text, "target": ref.target, "resolved": ref.resolved, "url": ref.url}
        for ref in seen.values()
    ]


def runbook_data(runbook: Runbook) -> dict[str, Any]:
    """One runbook as JSON data: the model's fields plus a few derived ones."""
    data = to_dict(runbook)
    data["step_count"] = runbook.step_count()
    data["roles"] = involved_roles(runbook)
    return data


def document(
    runbooks: list[Runbook], project: str, base_url: str = "", data: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The whole ``runbooks.json`` document (``data``: the runbooks' data, when already made)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "sphinx-incident", "version": __version__},
        "project": project,
        "base_url": base_url,
        "runbooks": data if data is not None else [runbook_data(r) for r in runbooks],
    }


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def document_chunks(runbooks: Iterable[Runbook], project: str, base_url: str = "") -> Iterator[str]:
    """``dumps(document(runbooks, ...))``, byte for byte, one runbook at a time.

    A large handbook's step list is written without its whole model, its JSON
    data or its text in memory at once: ``runbooks`` may be a generator.
    """
    head = dumps(document([], project, base_url))
    closing = '"runbooks": []\n}\n'
    assert head.endswith(closing)  # the runbooks are the document's last member
    yield head[: -len(closing)] + '"runbooks": ['
    separator = "\n"
    for runbook in runbooks:
        # the same text json.dumps gives an item at depth 2 of an indent-2 document
        text = json.dumps(runbook_data(runbook), indent=2, ensure_ascii=False)
        yield separator + "    " + text.replace("\n", "\n    ")
        separator = ",\n"
    yield ("]" if separator == "\n" else "\n  ]") + "\n}\n"


def write_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Write through a temporary file in the same folder, so readers never see half a file.

    ``text`` is a string, or the chunks of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                handle.writelines(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_schema() -> dict[str, Any]:
    """The JSON Schema every ``runbooks.json`` validates against."""
    text = resources.files("sphinx_incident.rendering").joinpath(SCHEMA_RESOURCE).read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]
