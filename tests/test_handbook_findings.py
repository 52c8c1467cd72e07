"""Findings about the handbook as a whole, decided once every document is read."""

from __future__ import annotations

import re
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest

from conftest import build, read_json

WARNING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): WARNING: (?P<msg>.*) \[incident\.(?P<rule>\w+)\]$")


def hashed(wanted: str, page: str, title: str) -> str:
    """The id a runbook gets when another wants its id too: a hash of its page and title after it."""
    return f"{wanted}-{sha256(f'{page}{chr(10)}{title}'.encode()).hexdigest()[:8]}"


def findings(app: Any) -> list[tuple[str, int, str]]:
    found = []
    for line in re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue()).splitlines():
        match = WARNING.match(line)
        if match:
            found.append((Path(match["path"]).name, int(match["line"]), match["rule"]))
    return found


@pytest.mark.sphinx("html", testroot="findings", freshenv=True)
def test_each_handbook_finding_at_its_line(app: Any) -> None:
    app.build()
    assert findings(app) == [
        ("first.md", 7, "duplicate_runbook"),
        ("index.md", 10, "not_a_section"),
        ("odd-metadata.md", 1, "bad_metadata"),
        ("second.md", 3, "duplicate_role"),
    ]
    warnings = app.warning.getvalue()
    assert "team role 'Scribe' is already defined in first, line 3" in warnings
    # neither keeps the id the author gave twice: each gets a hash of its own page and title
    first, second = hashed("restart", "first", "First"), hashed("restart", "second", "Second")
    assert (
        f"runbook id 'restart' is given to 2 runbooks: this one (now '{first}') and second.md:7 "
        f"(now '{second}'); give each its own id" in warnings
    )
    data = read_json(Path(app.outdir) / "runbooks.json")
    assert [(r["docname"], r["id"]) for r in data["runbooks"]] == [
        ("first", first),
        ("odd-metadata", "odd-metadata"),
        ("second", second),
    ]
    # {role} links go to the first definition, by document name
    html = (Path(app.outdir) / "first.html").read_text("utf-8")
    assert 'href="#role-scribe"' in html


@pytest.mark.sphinx("html", testroot="findings", freshenv=True)
def test_a_runbook_that_cannot_be_read_leaves_the_page_and_the_build(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinx_incident.reading import collect

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("unexpected markup")

    monkeypatch.setattr(collect, "extract_runbook", broken)
    app.build()
    assert ("first.md", 7, "extraction_failed") in findings(app)
    warnings = app.warning.getvalue()
    assert "runbook 'restart' could not be read (RuntimeError: unexpected markup)" in warnings
    # the error is a bug of the extension: its whole traceback is there to report
    assert "Traceback (most recent call last):" in warnings and ", in broken\n" in warnings
    assert "Stop the service" in (Path(app.outdir) / "first.html").read_text("utf-8")
    assert read_json(Path(app.outdir) / "runbooks.json")["runbooks"] == []


def test_a_discovered_procedure_that_cannot_be_read_is_reported(
    make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinx_incident.reading import collect

    read = collect.extract_runbook

    def broken_for_discovered(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("declared_by") == "discovered":
            raise RuntimeError("unexpected markup")
        return read(*args, **kwargs)

    monkeypatch.setattr(collect, "extract_runbook", broken_for_discovered)
    (tmp_path / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_incident"]\nincident_lint_scope = "discovered"\n', "utf-8"
    )
    (tmp_path / "index.md").write_text(
        "# Handbook\n\n## Fail over the database\n\n"
        "1. **Stop the writes** to the primary.\n2. **Promote the replica** to primary.\n",
        "utf-8",
    )
    app = build(make_app, tmp_path)
    assert ("index.md", 3, "extraction_failed") in findings(app)
    warnings = app.warning.getvalue()
    assert "found could not be read (RuntimeError: unexpected markup); it is not checked" in warnings
    assert ", in broken_for_discovered\n" in warnings


def test_references_are_resolved_by_sphinx_intersphinx_included(make_app: Any, tmp_path: Path) -> None:
    """An intersphinx reference in a step resolves (and is no unresolved_reference);
    an empty-text ``[](label)`` shows its target's title."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "conf.py").write_text('project = "Other"\nextensions = ["myst_parser"]\n', "utf-8")
    (other / "index.md").write_text(
        "# Other\n\n(vendor-escalation)=\n## Escalate to the vendor\n\nCall them.\n", "utf-8"
    )
    built = make_app("html", srcdir=other, freshenv=True)
    built.build()
    inventory = Path(built.outdir) / "objects.inv"
    assert inventory.exists()

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_incident", "sphinx.ext.intersphinx"]\n'
        f'intersphinx_mapping = {{"vendor": ("https://vendor.example.org/docs/", {str(inventory)!r})}}\n',
        "utf-8",
    )
    (src / "index.md").write_text(
        "# Handbook\n\n(on-call)=\n## On call\n\nText.\n\n```{runbook}\n:id: escalate\n\n"
        "1. **Escalate**: follow {ref}`vendor:vendor-escalation`.\n2. **Read** [](on-call) first.\n```\n",
        "utf-8",
    )
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    assert "[incident." not in app.warning.getvalue()
    (runbook,) = read_json(Path(app.outdir) / "runbooks.json")["runbooks"]
    escalate, read = (step["links"][0] for step in runbook["steps"])
    assert escalate["resolved"] is True
    assert escalate["url"] == "https://vendor.example.org/docs/index.html#vendor-escalation"
    assert read["text"] == "On call"
    assert read["url"] == "index.html#on-call"


def test_runbook_ids_are_decided_from_the_runbooks_not_their_order() -> None:
    """Whatever order the documents come in, each runbook gets the same id; an id wanted once
    is kept; of ids wanted twice, the author's keeps it over a derived one."""
    from sphinx_incident.checking.review import settle_runbook_ids
    from sphinx_incident.model import RunbookName

    names = [
        ("ops/db-restore", RunbookName("ops-db-restore", False, "Restore", "ops/db-restore.md", 1)),
        ("ops-db/restore", RunbookName("ops-db-restore", False, "Restore", "ops-db/restore.md", 1)),
        ("pager", RunbookName("restart", True, "Restart", "pager.md", 5)),
        ("zz-restart", RunbookName("restart", False, "Restart", "zz-restart.md", 1)),
        ("solo", RunbookName("solo", False, "Solo", "solo.md", 1)),
    ]

    def ids(order: list[tuple[str, RunbookName]]) -> dict[str, str]:
        settled, _ = settle_runbook_ids(order)
        return {docname: settled[(docname, 0)] for docname, _ in order}

    forward = ids(names)
    assert forward == ids(list(reversed(names)))
    assert forward["solo"] == "solo"
    assert forward["pager"] == "restart"  # the author's id wins over one derived from a page name
    assert forward["zz-restart"].startswith("restart-") and forward["zz-restart"] != "restart-2"
    assert forward["ops/db-restore"] != forward["ops-db/restore"]
    assert {forward["ops/db-restore"], forward["ops-db/restore"]} == {
        hashed("ops-db-restore", page, "Restore") for page in ("ops/db-restore", "ops-db/restore")
    }
    _, problems = settle_runbook_ids(names)
    assert sorted((p.rule, p.path) for p in problems) == [
        ("ambiguous_runbook_id", "ops/db-restore.md"),
        ("ambiguous_runbook_id", "pager.md"),
    ]


def test_a_defect_in_a_file_three_pages_include_is_one_finding_there_naming_the_pages(
    make_app: Any, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    (src / "ops").mkdir(parents=True)
    (src / "shared").mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_incident"]\nincident_runbooks = ["ops/*"]\n'
        'exclude_patterns = ["shared"]\n'
    )
    (src / "index.md").write_text("# Handbook\n\n```{toctree}\n:glob:\n\nops/*\n```\n")
    (src / "shared" / "restart.md").write_text(
        "1. **Stop the service**.\n2. **Clear the cache**.\n3 **Start the service**.\n"
    )
    for page in ("api", "web", "worker"):
        (src / "ops" / f"{page}.md").write_text(
            f"# Restart the {page}\n\n```{{include}} ../shared/restart.md\n```\n"
        )
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    assert findings(app) == [("restart.md", 3, "stray_step")]
    assert "(in ops/api.md, ops/web.md, ops/worker.md, which include it)" in app.warning.getvalue()
