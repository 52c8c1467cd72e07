"""HTML rendering, overview pages and non-HTML builders of the rendering testroot."""

from __future__ import annotations

import gc
import json
import re
import weakref
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from sphinx.util.docutils import new_document

from sphinx_incident.checking import resolve
from sphinx_incident.rendering.html import SCRIPTS, SITE_ROOT, runbook_json_path, script_json

from conftest import read_json


def _warnings(app: Any) -> str:
    return app.warning.getvalue()


def _checklist(html: str) -> dict[str, Any]:
    block = re.search(
        r'<script type="application/json" class="incident-checklist">(.*?)</script>', html, re.S
    )
    assert block
    return json.loads(block.group(1))


@pytest.mark.sphinx("html", testroot="render", freshenv=True)
def test_the_review_frees_its_probe_documents_without_the_collector(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # resolving a page's references makes a document of probes; left as a cycle of nodes, only
    # a full collection frees it, and in a large handbook those are rare: the pages (and every
    # -j writer, forked from this process) would be written beside them. Forcing a collection
    # instead walks everything the build holds, and shifts when the writers' own ones come.
    made: list[weakref.ref[nodes.document]] = []

    def tracked(*args: Any, **kwargs: Any) -> nodes.document:
        document = new_document(*args, **kwargs)
        made.append(weakref.ref(document))
        return document

    monkeypatch.setattr(resolve, "new_document", tracked)
    alive: list[int] = []
    app.connect(
        "env-updated", lambda app, env: alive.append(sum(ref() is not None for ref in made)), priority=999
    )
    enabled = gc.isenabled()
    gc.disable()  # only what nothing refers to any more is freed
    try:
        app.build()
    finally:
        if enabled:
            gc.enable()
    assert made, "the review resolved no reference: nothing was tested"
    assert alive == [0]
    assert (Path(app.outdir) / "incidents.html").is_file()


@pytest.mark.sphinx("html", testroot="render", freshenv=True)
def test_other_extensions_hear_of_each_page_written_once_and_of_nothing_else(app: Any) -> None:
    # ``doctree-resolved`` tells every extension a page is ready to be written: one that
    # indexes, counts or exports pages there must not be handed the documents the extension
    # resolves its references in, under the name of a real page, before that page is written
    heard: list[str] = []
    app.connect("doctree-resolved", lambda app, doctree, docname: heard.append(docname))
    app.build()
    assert "incidents" in heard, "no runbook page was written: nothing was tested"
    assert sorted(heard) == sorted(app.env.found_docs)


@pytest.mark.sphinx("html", testroot="render", freshenv=True)
def test_html_steps_get_checkboxes_permalinks_and_a_panel(app: Any) -> None:
    app.build()
    assert _warnings(app) == ""
    html = (Path(app.outdir) / "incidents.html").read_text("utf-8")
    assert html.count('<input type="checkbox" class="incident-check-input"') == 10
    assert 'data-incident-step="select-the-service" disabled' in html
    assert 'href="#support-incident-response--acknowledge-the-incident"' in html
    assert "8 steps (10 with sub-steps)" in html
    assert '<a class="incident-role" href="roles.html#' in html
    assert '<a href="_runbooks/support-incident-response.json">Runbook as JSON</a>' in html
    assert "sphinx-incident.js" in html and "sphinx-incident.css" in html
    assert (Path(app.outdir) / "_static" / "sphinx-incident.js").is_file()
    # a page without a runbook gets the style sheet (overview tables) but none of the scripts
    glossary = (Path(app.outdir) / "glossary.html").read_text("utf-8")
    assert "sphinx-incident.css" in glossary and "incident-" + "format.js" not in glossary
    assert "sphinx-incident.js" not in glossary
    loaded = re.findall(r'<script [^>]*src="_static/([\w.-]+\.js)', html)
    scripts = [name for name in loaded if name in SCRIPTS]
    assert scripts == list(SCRIPTS), "every script, once, in their order"
    assert len(re.findall(r'<script defer="defer" src="_static/incident-', html)) == len(SCRIPTS) - 1
    # given to the page alone: the application keeps no record of them per page written
    # (a large handbook would otherwise keep, and under -j N ship, more for each runbook page)
    assert not [entry for entry in app.registry.js_files if entry[0] in SCRIPTS]
    data = read_json(Path(app.outdir) / "_runbooks" / "support-incident-response.json")
    assert data["id"] == "support-incident-response" and data["step_count"] == 8
    checklist = _checklist(html)
    assert checklist["runbook"] == "support-incident-response"
    assert [line["step"] for line in checklist["lines"] if line["step"]][:2] == [
        "acknowledge-the-incident",
        "trigger-an-incident-in-pagerduty",
    ]
    assert all(SITE_ROOT in line["text"] for line in checklist["lines"] if line["step"])
    # a step's bold title is marked: a tap on it ticks the step
    assert '<strong class="incident-step-title">Acknowledge the incident</strong>' in html
    assert html.count('class="incident-step-title"') == 10  # every step, and the titled sub-steps
    # the panel names its handbook, and the page gets every team role, for the run's roles
    assert 'data-incident-handbook="' + app.config.project + '"' in html
    assert [role["name"] for role in checklist["teamRoles"]] == sorted(
        role["name"] for role in checklist["teamRoles"]
    ) and checklist["teamRoles"]
    # the rST runbook declared with the directive gets the same treatment
    outage = (Path(app.outdir) / "outage.html").read_text("utf-8")
    assert outage.count('class="incident-check-input"') == 5
    assert "No problems" not in outage and "incident-problems" not in outage


@pytest.mark.sphinx(
    "html", testroot="render", freshenv=True, confoverrides={"html_baseurl": "https://ops.example.org/"}
)
def test_page_checklist_is_the_export_markdown(app: Any) -> None:
    app.build()
    html = (Path(app.outdir) / "incidents.html").read_text("utf-8")
    lines = [line["text"] for line in _checklist(html)["lines"]]

    def task(label: str, anchor: str, depth: int = 0) -> str:
        url = f"https://ops.example.org/incidents.html#support-incident-response--{anchor}"
        return f"{'  ' * depth}- [ ] **{label}** — <{url}>"

    template = "https://support.northwind-ops.net/templates/first-response"
    assert lines == [
        "## Incident response process",
        "",
        task("1. Acknowledge the incident", "acknowledge-the-incident")
        + f" · [Incident first response template]({template})",
        task("2. Trigger an incident in PagerDuty", "trigger-an-incident-in-pagerduty"),
        task("Select the service", "select-the-service", depth=1),
        task("Create a Slack channel", "create-a-slack-channel", depth=1),
        task("3. Set priority", "set-priority"),
        task("4. Try resolving the issue", "try-resolving-the-issue"),
        task("5. Delegate to Subject Matter Experts", "delegate-to-subject-matter-experts"),
        task("6. Communicate our status every few hours", "communicate-our-status-every-few-hours"),
        task("7. Communicate when the incident is resolved", "communicate-when-the-incident-is-resolved"),
        task("8. Create an incident report", "create-an-incident-report"),
    ]


@pytest.mark.sphinx("html", testroot="render", freshenv=True, confoverrides={"incident_show_problems": True})
def test_show_problems_lists_them_in_the_panel(app: Any) -> None:
    from dataclasses import replace

    from sphinx_incident.checking.review import Review, keep_review, review_of
    from sphinx_incident.model import Problem

    def with_problem(app: Any, env: Any) -> None:  # after the review has checked the runbooks
        review = review_of(app)
        problem = Problem("step-without-role", "warning", "Step <1> names no role", "x.md", 3)
        runbooks = [
            (declared, replace(runbook, problems=(problem,)))
            for docname in sorted(review.pages)
            for declared, runbook in review.declared_in(docname)
        ]
        keep_review(app, Review.of(review.problems, runbooks))

    app.connect("env-updated", with_problem, priority=900)
    app.build()
    html = (Path(app.outdir) / "incidents.html").read_text("utf-8")
    assert "1 problem found" in html
    assert "Step &lt;1&gt; names no role (line 3)" in html  # autoescaped


@pytest.mark.sphinx(
    "html", testroot="seed", srcdir="seed-show-problems", freshenv=True,
    confoverrides={"incident_show_problems": True},
)  # fmt: skip
def test_the_seeds_real_problems_show_in_its_panel(app: Any) -> None:
    app.build()
    html = (Path(app.outdir) / "index.html").read_text("utf-8")
    assert "10 problems found" in html
    assert "step 7 is not a list item" in html
    assert "step 8 follows step 6" in html


@pytest.mark.sphinx("html", testroot="render", freshenv=True, confoverrides={"html_theme": "furo"})
def test_furo_builds_without_warnings(app: Any) -> None:
    app.build()
    assert _warnings(app) == ""
    html = (Path(app.outdir) / "incidents.html").read_text("utf-8")
    assert 'class="incident-panel"' in html and "sphinx-incident.css" in html


@pytest.mark.sphinx("html", testroot="render", freshenv=True)
def test_overview_tables(app: Any) -> None:
    app.build()
    html = (Path(app.outdir) / "overview.html").read_text("utf-8")
    link = '<a class="reference internal" href="incidents.html#support-incident-response">'
    assert link + "Incident response process</a>" in html
    assert 'href="_runbooks/datacentre-outage.json"' in html
    assert "Roles that own no step: Scribe" in html
    # a role named only in a step's footnote does not make the step that role's
    assert "Steps that name no role (7)" in html
    assert html.count("●") == 5
    # the steps without a role are a list, one per line, each linked without its indentation
    gaps = html.split('class="incident-matrix-gaps simple"', 1)[1].split("</ul>", 1)[0]
    assert gaps.count("<li>") == 7
    anchor = "support-incident-response--communicate-when-the-incident-is-resolved"
    assert f'<a class="reference internal" href="incidents.html#{anchor}">7. Communicate when' in gaps


@pytest.mark.sphinx("html", testroot="render", freshenv=True, confoverrides={"incident_matrix_terms": True})
def test_matrix_can_count_terms(app: Any) -> None:
    app.build()
    html = (Path(app.outdir) / "overview.html").read_text("utf-8")
    assert "Community Representative" in html
    assert "Steps that name no role (6)" in html  # step 1 names a term


@pytest.mark.sphinx("html", testroot="render", freshenv=True)
def test_overview_follows_incremental_changes(app: Any) -> None:
    app.build()
    source = Path(app.srcdir) / "outage.rst"
    source.write_text(source.read_text("utf-8").replace("Tell users", "Tell everyone"), "utf-8")
    app.build()
    html = (Path(app.outdir) / "overview.html").read_text("utf-8")
    assert "3. Tell everyone" in html and "Tell users" not in html


@pytest.mark.parametrize(("builder", "suffix"), [("text", "txt"), ("latex", "tex"), ("man", "1")])
def test_other_builders(builder: str, suffix: str, make_app: Any, rootdir: Path, tmp_path: Path) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-render", src)
    app = make_app(builder, srcdir=src, freshenv=True)
    app.build()
    assert _warnings(app) == ""
    text = "\n".join(p.read_text("utf-8") for p in Path(app.outdir).rglob(f"*.{suffix}"))
    assert "Acknowledge the incident" in text and "Promote the replica" in text
    assert "Steps that name no role" in text
    assert "incident-check" not in text


def test_helpers_guard_paths_and_script_data() -> None:
    assert runbook_json_path("incident-response") == "_runbooks/incident-response.json"
    assert runbook_json_path("../etc/passwd") is None
    assert runbook_json_path("a/b") is None
    assert "</script>" not in script_json({"x": "</script><b>&"})
    assert json.loads(script_json({"x": "</script>&"})) == {"x": "</script>&"}


@pytest.mark.sphinx("html", testroot="render", freshenv=True, parallel=2)
def test_parallel_build_renders_the_same_overview(app: Any) -> None:
    app.build()
    assert _warnings(app) == ""
    html = (Path(app.outdir) / "overview.html").read_text("utf-8")
    assert "Roles that own no step: Scribe" in html
    assert (Path(app.outdir) / "incidents.html").read_text("utf-8").count(
        'class="incident-check-input"'
    ) == 10


@pytest.mark.sphinx("dirhtml", testroot="render", freshenv=True)
def test_dirhtml_links_reach_the_site_root(app: Any) -> None:
    app.build()
    html = (Path(app.outdir) / "incidents" / "index.html").read_text("utf-8")
    assert '<a href="../_runbooks/support-incident-response.json">' in html
    assert '"siteRoot":"../"' in html


@pytest.mark.sphinx("html", testroot="render", freshenv=True)
def test_resolved_pages_hold_no_rendered_panels_and_search_finds_no_panel_words(app: Any) -> None:
    """With ``-j N`` Sphinx keeps resolved doctrees until their pages are written, so they carry
    one small placeholder per runbook, from which the writer renders the panel and places the
    steps' checkboxes and permalinks; the panel's own words (Reset, Undo, CSV ...) are not the
    page's text, so search does not find a runbook page by them."""
    from docutils import nodes

    from sphinx_incident.rendering.html import incident_decoration

    app.build()
    tree = app.env.get_and_resolve_doctree("incidents", app.builder)
    placeholders = list(tree.findall(incident_decoration))
    assert [node["kind"] for node in placeholders] == ["panel"]  # nothing per step is held
    assert all(node.astext() == "" for node in tree.findall(nodes.raw))
    html = (Path(app.outdir) / "incidents.html").read_text("utf-8")
    assert 'class="incident-panel' in html and "Reset" in html  # the writer rendered them
    assert html.count('class="incident-check"') == 10 and html.count('class="incident-permalink"') == 10
    index = (Path(app.outdir) / "searchindex.js").read_text("utf-8")
    terms = json.loads(index[index.index("(") + 1 : index.rindex(")")])["terms"]
    docnames = json.loads(index[index.index("(") + 1 : index.rindex(")")])["docnames"]
    page = docnames.index("incidents")
    for word in ("reset", "undo", "csv"):
        found = terms.get(word, [])
        assert page not in (found if isinstance(found, list) else [found]), word


@pytest.mark.sphinx("html", testroot="render", freshenv=True, verbosity=2)
def test_what_sphinx_logs_of_a_runbook_page_is_the_page_without_its_decorations(app: Any) -> None:
    """Sphinx logs every event with its arguments, a page's whole body among them, and with
    ``-j N`` a writer keeps those records until its chunk of pages is written, then sends them
    to the main process: the panel, checkboxes and permalinks (most of a runbook page) are
    put in the page once it is assembled, so the records carry the page as Sphinx made it,
    and the page written is the whole one."""
    app.build()
    logged = [
        line
        for line in app.status.getvalue().splitlines()
        if "emitting event: 'html-page-context'('incidents', " in line
    ]
    assert len(logged) == 1
    assert "incident-panel-live" not in logged[0] and "incident-check-input" not in logged[0]
    assert "incident-permalink" not in logged[0]
    html = (Path(app.outdir) / "incidents.html").read_text("utf-8")
    assert html.count('class="incident-panel-live"') == 1
    assert html.count('class="incident-check-input"') == 10 and html.count('class="incident-permalink"') == 10
    assert "<!--sphinx-incident" not in html


@pytest.mark.sphinx("html", testroot="render", freshenv=True)
def test_a_comment_in_a_page_that_looks_like_a_decoration_mark_stays_as_written(app: Any) -> None:
    from sphinx_incident.rendering import html as rendering

    forged = f"<!--sphinx-incident {'0' * 16} 0-->"
    source = Path(app.srcdir) / "incidents.md"
    source.write_text(source.read_text("utf-8") + f"\n\n{forged}\n", "utf-8")
    app.build()
    html = (Path(app.outdir) / "incidents.html").read_text("utf-8")
    assert forged in html and rendering._MARK_OPENING not in html
    assert html.count('class="incident-panel-live"') == 1


@pytest.mark.sphinx("html", testroot="render", freshenv=True)
def test_written_pages_keep_no_step_decorations_and_write_the_same_twice(app: Any) -> None:
    """With ``-j N`` a writer process keeps every doctree of its chunk of pages until the
    chunk is written: the checkboxes and permalinks placed in a page's steps as it is
    written are taken out again, so a runbook page holds one placeholder per runbook after
    it is written, as before, and writing the same doctree again gives the same page
    (not a second checkbox in every step)."""
    from sphinx_incident.rendering.html import incident_decoration

    app.build()
    page = Path(app.outdir) / "incidents.html"
    first = page.read_text("utf-8")
    tree = app.env.get_and_resolve_doctree("incidents", app.builder)
    app.builder.write_doc("incidents", tree)
    assert [node["kind"] for node in tree.findall(incident_decoration)] == ["panel"]
    app.builder.write_doc("incidents", tree)
    again = page.read_text("utf-8")
    assert again.count('class="incident-check"') == 10
    assert again == first


def test_a_task_list_runbook_has_one_box_per_step_and_keeps_its_titles(make_app: Any, tmp_path: Path) -> None:
    # MyST draws a task list's `- [ ]` as a disabled box before the item's text: in a runbook the
    # step's own box replaces it (two boxes would ask for two ticks, and the page's one could
    # not be ticked), and the bold title after it is still the step's title
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_incident"]\nmyst_enable_extensions = ["tasklist"]\n', "utf-8"
    )
    (src / "index.md").write_text(
        "---\nrunbook: true\n---\n# Closing\n\n- [ ] **Stand down** the responders\n"
        "- [x] **File** the report\n",
        "utf-8",
    )
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    html = (Path(app.outdir) / "index.html").read_text("utf-8")
    assert html.count('type="checkbox"') == 2 and html.count('class="incident-check-input"') == 2
    assert "task-list-item-checkbox" not in html
    (runbook,) = read_json(Path(app.outdir) / "runbooks.json")["runbooks"]
    assert [(step["id"], step["title"]) for step in runbook["steps"]] == [
        ("stand-down", "Stand down"),
        ("file", "File"),
    ]
