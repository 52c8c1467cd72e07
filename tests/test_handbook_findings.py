"""Findings about the handbook as a whole, decided once every document is read."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conftest import build, read_json

WARNING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): WARNING: (?P<msg>.*) \[incident\.(?P<rule>\w+)\]$")


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
        ("index.md", 10, "not_a_section"),
        ("odd-metadata.md", 1, "bad_metadata"),
        ("second.md", 3, "duplicate_role"),
        ("second.md", 7, "duplicate_runbook"),
    ]
    warnings = app.warning.getvalue()
    assert "team role 'Scribe' is already defined in first, line 3" in warnings
    assert "runbook id 'restart' is already used in first; this one is 'restart-2'" in warnings
    data = read_json(Path(app.outdir) / "runbooks.json")
    assert [(r["docname"], r["id"]) for r in data["runbooks"]] == [
        ("first", "restart"),
        ("odd-metadata", "odd-metadata"),
        ("second", "restart-2"),
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


def test_a_runbook_whose_own_id_is_a_suffix_given_earlier_is_renamed_and_told() -> None:
    from sphinx_incident.checking.review import _final_ids
    from sphinx_incident.model import Runbook

    taken: dict[str, str] = {}
    first = [Runbook("restart", "Restart", "a", "a.md", 3), Runbook("restart", "Restart", "a", "a.md", 9)]
    later = [Runbook("restart-2", "Restart, again", "b", "b.md", 1)]
    problems = _final_ids(first, taken) + _final_ids(later, taken)  # one document after the other
    assert [r.id for r in first + later] == ["restart", "restart-2", "restart-2-2"]
    assert [(p.rule, p.path, p.line) for p in problems] == [
        ("duplicate_runbook", "a.md", 9),
        ("duplicate_runbook", "b.md", 1),
    ]
    assert "runbook id 'restart-2' is already used in a; this one is 'restart-2-2'" in problems[1].message
