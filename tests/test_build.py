"""Building the example handbook: the step list, its schema, anchors and determinism."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest

from sphinx_incident.rendering.builder import handbook_runbooks
from sphinx_incident.rendering.step_list import document, document_chunks, dumps, load_schema

from conftest import EXAMPLE_DOCS, build, copy_tree, read_json, walk_steps


@pytest.fixture
def example_src(tmp_path: Path) -> Path:
    return copy_tree(EXAMPLE_DOCS, tmp_path / "src")


def test_example_builds_without_warnings_and_validates(make_app, example_src) -> None:
    app = build(make_app, example_src)
    assert app.warning.getvalue() == ""
    data = read_json(Path(app.outdir) / "runbooks.json")
    jsonschema.validate(data, load_schema())
    # the schema is published beside the data
    assert read_json(Path(app.outdir) / "runbooks.schema.json") == load_schema()
    assert data["project"] == "Northwind Operations Handbook"
    ids = {r["id"]: r["declared_by"] for r in data["runbooks"]}
    assert ids == {
        "support-incident-response": "config",
        "incident-report": "directive",
        "database-failover": "directive",
        "certificate-expiry": "metadata",
    }


def test_every_step_url_resolves_in_the_built_html(make_app, example_src) -> None:
    app = build(make_app, example_src)
    outdir = Path(app.outdir)
    data = read_json(outdir / "runbooks.json")
    checked = 0
    for runbook in data["runbooks"]:
        page, _, fragment = runbook["url"].partition("#")
        assert f'id="{fragment}"' in (outdir / page).read_text("utf-8")
        for step in walk_steps(runbook["steps"]):
            page, _, fragment = step["url"].partition("#")
            html = (outdir / page).read_text("utf-8")
            assert re.search(rf'id="{re.escape(fragment)}"', html), step["url"]
            checked += 1
    assert checked >= 25


def test_every_reference_in_the_example_resolves(make_app, example_src) -> None:
    app = build(make_app, example_src)
    data = read_json(Path(app.outdir) / "runbooks.json")
    for runbook in data["runbooks"]:
        for step in walk_steps(runbook["steps"]):
            refs = step["terms"] + step["roles"] + [x for x in step["links"] if x["kind"] == "internal"]
            for ref in refs:
                assert ref["resolved"] is True, (step["id"], ref)
                assert (ref["url"] and "#" in ref["url"]) or ref["url"].endswith(".html")


def test_runbooks_builder_writes_the_same_step_list_without_pages(make_app, example_src, tmp_path) -> None:
    html = build(make_app, example_src)
    alone = build(make_app, example_src, "runbooks", builddir=tmp_path / "alone")
    out = Path(alone.outdir)
    assert (out / "runbooks.json").read_bytes() == (Path(html.outdir) / "runbooks.json").read_bytes()
    assert not list(out.rglob("*.html"))
    assert alone.warning.getvalue() == ""


def test_html_baseurl_makes_urls_absolute(make_app, example_src) -> None:
    app = build(
        make_app,
        example_src,
        "runbooks",
        confoverrides={"html_baseurl": "https://handbook.northwind-ops.net/"},
    )
    data = read_json(Path(app.outdir) / "runbooks.json")
    assert data["base_url"] == "https://handbook.northwind-ops.net/"
    for runbook in data["runbooks"]:
        for step in walk_steps(runbook["steps"]):
            assert step["url"].startswith("https://handbook.northwind-ops.net/"), step["url"]


def test_two_builds_give_byte_identical_json(make_app, tmp_path) -> None:
    outputs = []
    for name in ("one", "two"):
        src = copy_tree(EXAMPLE_DOCS, tmp_path / name)
        app = build(make_app, src)
        outputs.append((Path(app.outdir) / "runbooks.json").read_bytes())
    assert outputs[0] == outputs[1]


def test_the_step_list_is_written_a_runbook_at_a_time_as_json_would_write_it_whole(
    make_app, example_src
) -> None:
    app = build(make_app, example_src)
    runbooks = handbook_runbooks(app)
    assert len(runbooks) == 4
    written = (Path(app.outdir) / "runbooks.json").read_text("utf-8")
    assert written == dumps(document(runbooks, app.config.project, ""))
    # and with one runbook, or none: the list closes as json.dumps closes it
    for some in (runbooks[:1], []):
        assert "".join(document_chunks(iter(some), "P", "https://x/")) == dumps(
            document(some, "P", "https://x/")
        )


def test_parallel_build_gives_the_same_json(make_app, tmp_path) -> None:
    serial = build(make_app, copy_tree(EXAMPLE_DOCS, tmp_path / "serial"))
    parallel = build(make_app, copy_tree(EXAMPLE_DOCS, tmp_path / "parallel"), parallel=2)
    assert parallel.warning.getvalue() == serial.warning.getvalue() == ""
    assert (Path(parallel.outdir) / "runbooks.json").read_bytes() == (
        Path(serial.outdir) / "runbooks.json"
    ).read_bytes()


def test_json_can_be_turned_off(make_app, example_src) -> None:
    app = build(make_app, example_src, confoverrides={"incident_html_json": False})
    assert not (Path(app.outdir) / "runbooks.json").exists()


@pytest.mark.parametrize("builder", ["text", "latex", "man"])
def test_other_builders_render_runbooks_as_prose(make_app, example_src, builder) -> None:
    app = build(make_app, example_src, builder)
    assert app.warning.getvalue() == ""
    written = "\n".join(
        p.read_text("utf-8", errors="replace") for p in Path(app.outdir).rglob("*") if p.is_file()
    )
    assert "Promote the replica" in written
