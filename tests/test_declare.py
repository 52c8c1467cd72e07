"""Declaring runbooks (label, directive, metadata), team roles, and MyST/rST parity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import read_json, walk_steps

POSITIONAL = ("line", "docname", "source", "url", "anchor")


def without(data: Any, keys: tuple[str, ...]) -> Any:
    """The JSON with the keys that depend on where the runbook is written removed."""
    if isinstance(data, dict):
        return {k: without(v, keys) for k, v in data.items() if k not in keys}
    if isinstance(data, list):
        return [without(item, keys) for item in data]
    return data


@pytest.mark.sphinx("html", testroot="formats", freshenv=True)
def test_myst_and_rst_give_equal_models(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    runbooks = {r["id"]: r for r in read_json(Path(app.outdir) / "runbooks.json")["runbooks"]}
    myst, rst = runbooks["twin-myst"], runbooks["twin-rst"]
    # the model is rich enough for the comparison to mean something
    assert myst["step_count"] == 3
    kinds = {(x["kind"]) for s in walk_steps(myst["steps"]) for x in s["links"]}
    assert kinds == {"button", "external", "internal"}
    assert myst["steps"][1]["footnotes"][0]["label"] == "why"
    assert without(myst, (*POSITIONAL, "id")) == without(rst, (*POSITIONAL, "id"))


@pytest.mark.sphinx("html", testroot="declare", freshenv=True)
def test_three_declarations_give_the_same_steps(app) -> None:
    app.build()
    runbooks = read_json(Path(app.outdir) / "runbooks.json")["runbooks"]
    by_way = {r["declared_by"]: r for r in runbooks}
    assert set(by_way) == {"config", "directive", "metadata"}
    steps = {way: without(r["steps"], (*POSITIONAL,)) for way, r in by_way.items()}
    assert steps["config"] == steps["directive"] == steps["metadata"]
    assert [s["title"] for s in by_way["config"]["steps"]] == ["Acknowledge", "Resolve"]
    # the label names its runbook; the others are named by their page
    assert {way: r["id"] for way, r in by_way.items()} == {
        "config": "by-label",
        "directive": "directive",
        "metadata": "metadata",
    }


@pytest.mark.sphinx("html", testroot="declare", freshenv=True)
def test_unknown_entry_warns_with_subtype(app) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "incident_runbooks names 'no-such-label'" in warnings
    assert "[incident.unknown_entry]" in warnings
    assert warnings.count("WARNING") == 1  # each runbook's id is its own: no duplicate


@pytest.mark.sphinx(
    "html",
    testroot="declare",
    freshenv=True,
    confoverrides={"suppress_warnings": ["incident.unknown_entry"]},
)
def test_warnings_are_suppressible_by_subtype(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="declare", freshenv=True)
def test_docutils_role_directive_is_left_alone(app) -> None:
    app.build()
    html = (Path(app.outdir) / "custom-role.html").read_text("utf-8")
    assert '<em class="highlight">highlighted</em>' in html


@pytest.mark.sphinx("html", testroot="roles-crossref", freshenv=True)
def test_handbook_with_its_own_role_crossref_type_builds_unchanged(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    runbook = read_json(Path(app.outdir) / "runbooks.json")["runbooks"][0]
    roles = [r for s in runbook["steps"] for r in s["roles"]]
    assert [(r["text"], r["target"], r["resolved"]) for r in roles] == [
        ("Technology Lead", "Technology Lead", True),
        ("Product Lead", "product-lead", True),
        ("Support Triager", "Support Triager", True),
    ]
    assert roles[0]["url"].startswith("roles.html#")
    html = (Path(app.outdir) / "process.html").read_text("utf-8")
    assert 'href="roles.html#' in html
    # the handbook's own {role} also reaches roles defined with team-role
    assert 'href="roles.html#role-support-triager"' in html


@pytest.mark.sphinx("html", testroot="formats", freshenv=True)
def test_team_role_links_and_anchor(app) -> None:
    app.build()
    html = (Path(app.outdir) / "myst.html").read_text("utf-8")
    assert 'href="defs.html#role-technology-lead"' in html
    assert 'id="role-technology-lead"' in (Path(app.outdir) / "defs.html").read_text("utf-8")
