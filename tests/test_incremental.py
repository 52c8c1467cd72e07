"""Incremental builds: only changed pages are read, and the step list never goes stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import sphinx_incident
from sphinx_incident.domain import IncidentDomain
from sphinx_incident.extension import ENV_VERSION, environment_version, setup

from conftest import ROOTS


@pytest.fixture
def srcdir(tmp_path: Path) -> Path:
    path = tmp_path / "src"
    shutil.copytree(ROOTS / "test-scale-handbook", path)
    return path


def build(make_app, srcdir: Path, **kwargs: Any) -> tuple[list[str], dict[str, Any], Any]:
    """Build without ``-E``; the documents read, the step list, and the app."""
    app = make_app("html", srcdir=srcdir, freshenv=False, **kwargs)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(sorted(docnames)))
    try:
        app.build()
    finally:
        app.cleanup()  # restore docutils' registries before the next app in this process
    assert "WARNING: while setting up" not in app.warning.getvalue()
    data = json.loads((Path(app.outdir) / "runbooks.json").read_text("utf-8"))
    return read, data, app


def runbook(data: dict[str, Any], runbook_id: str) -> dict[str, Any] | None:
    return next((r for r in data["runbooks"] if r["id"] == runbook_id), None)


def test_editing_one_step_rereads_only_its_page(make_app, srcdir: Path) -> None:
    first_read, first, _ = build(make_app, srcdir)
    assert "alpha" in first_read and "beta" in first_read
    page = srcdir / "beta.md"
    page.write_text(page.read_text("utf-8").replace("**Close beta**", "**Archive beta**"), "utf-8")
    read, second, app = build(make_app, srcdir)
    assert read == ["beta"]
    before, after = runbook(first, "rb-beta"), runbook(second, "rb-beta")
    assert before["steps"][2]["title"] == "Close beta"
    assert after["steps"][2]["title"] == "Archive beta"
    assert after["steps"][2]["anchor"] == "rb-beta--archive-beta"
    assert "rb-beta--archive-beta" in (Path(app.outdir) / "beta.html").read_text("utf-8")
    # every other runbook is unchanged
    assert [r for r in first["runbooks"] if r["id"] != "rb-beta"] == [
        r for r in second["runbooks"] if r["id"] != "rb-beta"
    ]


def test_deleting_a_page_removes_its_runbooks(make_app, srcdir: Path) -> None:
    _, first, _ = build(make_app, srcdir)
    assert runbook(first, "zeta") is not None
    (srcdir / "zeta.md").unlink()
    index = srcdir / "index.md"
    index.write_text(index.read_text("utf-8").replace("zeta\n", ""), "utf-8")
    _, second, app = build(make_app, srcdir)
    assert runbook(second, "zeta") is None
    assert app.env.domains["incident"].runbooks_in("zeta") == []
    assert len(second["runbooks"]) == len(first["runbooks"]) - 1
    # the overview page is written again without the deleted runbook
    overview = (Path(app.outdir) / "overview.html").read_text("utf-8")
    assert "Runbook alpha" in overview
    assert "Runbook zeta" not in overview


def test_renaming_a_role_unresolves_old_references(make_app, srcdir: Path) -> None:
    _, first, _ = build(make_app, srcdir)
    scribe = [ref for ref in runbook(first, "rb-alpha")["roles"] if ref["target"] == "Scribe"]
    assert scribe and scribe[0]["resolved"] is True
    roles = srcdir / "roles.md"
    roles.write_text(roles.read_text("utf-8").replace("Scribe", "Recorder"), "utf-8")
    read, second, app = build(make_app, srcdir)
    assert "alpha" not in read  # only roles.md changed...
    scribe = [ref for ref in runbook(second, "rb-alpha")["roles"] if ref["target"] == "Scribe"]
    assert scribe[0]["resolved"] is False and scribe[0]["url"] is None
    # ...but the pages that link to the old name are written again, without the stale link
    assert "role-scribe" not in (Path(app.outdir) / "alpha.html").read_text("utf-8")
    # and the dangling reference is reported on this incremental build, without -E
    warnings = app.warning.getvalue()
    assert "role 'Scribe' is not defined in any document" in warnings
    assert "[incident.undefined_role]" in warnings


def test_adding_the_extension_to_a_built_project(make_app, srcdir: Path) -> None:
    conf = srcdir / "conf.py"
    original = conf.read_text("utf-8")
    conf.write_text(
        'project = "Scale handbook"\nextensions = ["myst_parser", "sphinx_design"]\n'
        "def setup(app):\n"
        '    app.add_crossref_type("team-role", "role")\n',
        "utf-8",
    )
    for name in ("roles.md", "epsilon.rst"):
        (srcdir / name).unlink()
    index = srcdir / "index.md"
    index.write_text(index.read_text("utf-8").replace("roles\n", "").replace("epsilon\n", ""), "utf-8")
    app = make_app("html", srcdir=srcdir, freshenv=False)
    try:
        app.build()
    finally:
        app.cleanup()
    assert not (Path(app.outdir) / "runbooks.json").exists()
    conf.write_text(original, "utf-8")
    _, data, app = build(make_app, srcdir)
    assert {r["id"] for r in data["runbooks"]} == {
        "rb-alpha", "rb-beta", "rb-gamma", "rb-delta", "zeta"
    }  # fmt: skip
    assert all(len(r["steps"]) >= 2 for r in data["runbooks"])


def test_the_environment_is_read_again_when_the_extension_s_code_changes(tmp_path: Path) -> None:
    # installed from a commit between releases, the version string stays the same while the
    # code that reads runbooks changes: a kept environment would hold what the old code read
    package = tmp_path / "sphinx_incident"
    shutil.copytree(
        Path(sphinx_incident.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__")
    )
    before = environment_version(package, "1.0")
    assert environment_version(package, "1.0") == before  # the same code, the same version
    steps = package / "reading" / "extract" / "steps.py"
    steps.write_text(steps.read_text("utf-8") + "\n# a change\n", "utf-8")
    assert environment_version(package, "1.0") != before
    assert environment_version(package, "1.1") != environment_version(package, "1.0")


def test_stored_data_is_versioned() -> None:
    class App:
        def __getattr__(self, name: str) -> Any:
            return lambda *args, **kwargs: None

    assert setup(App())["env_version"] == ENV_VERSION  # type: ignore[arg-type]
    assert isinstance(IncidentDomain.data_version, int)
    assert set(IncidentDomain.initial_data) == {
        "runbooks",
        "runbook_ids",
        "roles",
        "role_uses",
        "problems",
        "discovered",
        "entries",
        "undeclared",
        "overviews",
        "written",
    }
