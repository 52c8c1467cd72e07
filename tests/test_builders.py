"""Every builder: adding the extension never breaks a build, and links and anchors hold.

The handbook also uses ``sphinx.ext.todo`` and sphinx-design tabs, whose HTML
handlers a handler table keyed by builder name would hide; a third-party
builder knows only standard docutils and Sphinx nodes.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOTS, read_json, walk_steps

BUILDERS = ["html", "dirhtml", "singlehtml", "epub", "latex", "text", "man", "texinfo", "xml", "plain"]
WITHOUT = ["myst_parser", "sphinx_design", "sphinx.ext.todo", "plainbuilder"]


def _build(
    make_app: Any, tmp_path: Path, builder: str, extensions: list[str] | None
) -> tuple[Any, Exception | None]:
    name = f"{builder}-{'without' if extensions else 'with'}"
    srcdir = tmp_path / name
    shutil.copytree(ROOTS / "test-builders", srcdir)
    overrides = {"extensions": extensions} if extensions else {}
    if builder == "plain":
        # the third-party builder has no handler for todo_node, with or without us
        wanted = extensions or [*WITHOUT, "sphinx_incident"]
        overrides = {"extensions": [e for e in wanted if e != "sphinx.ext.todo"]}
    app = make_app(builder, srcdir=srcdir, freshenv=True, confoverrides=overrides)
    try:
        app.build()
        failure = None
    except Exception as exc:  # the outcome is what is compared
        failure = exc
    finally:
        app.cleanup()
    return app, failure


def _output(app: Any) -> dict[str, str]:
    """Every file a build wrote, by path under the output folder, as text."""
    out = Path(app.outdir)
    return {
        path.relative_to(out).as_posix(): path.read_text("utf-8", errors="replace")
        for path in out.rglob("*")
        if path.is_file() and ".doctrees" not in path.parts
    }


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_builder_succeeds_as_without_the_extension(make_app: Any, tmp_path: Path, builder: str) -> None:
    plain_app, without = _build(make_app, tmp_path, builder, WITHOUT)
    app, with_ext = _build(make_app, tmp_path, builder, None)
    assert without is None  # the handbook itself builds everywhere
    assert with_ext is None, f"{builder}: {with_ext!r}"
    assert "[incident." not in app.warning.getvalue()
    plain, output = _output(plain_app), _output(app)
    # nothing the handbook wrote without the extension is missing with it
    assert set(plain) - set(output) == set()
    text = "\n".join(output.values())
    # the runbooks are there as written, and the overview tables hold them
    for words in ("Drain the node", "Restart the service", "Issue a new certificate", "Incident Commander"):
        assert words in text, (builder, words)
    assert "●" in text, builder  # the responsibility matrix, filled in for every builder
    assert "●" not in "\n".join(plain.values())


def _html_ids(text: str) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', text))


@pytest.mark.parametrize(
    ("builder", "page", "role_href"),
    [
        ("html", "procedures.html", 'href="roles.html#role-incident-commander"'),
        ("dirhtml", "procedures/index.html", 'href="../roles/#role-incident-commander"'),
        ("singlehtml", "index.html", 'href="#role-incident-commander"'),
        ("epub", "procedures.xhtml", 'href="roles.xhtml#role-incident-commander"'),
    ],
)
def test_role_links_and_step_anchors_in_html_builders(
    make_app: Any, tmp_path: Path, builder: str, page: str, role_href: str
) -> None:
    app, failure = _build(make_app, tmp_path, builder, None)
    assert failure is None
    out = Path(app.outdir)
    html = (out / page).read_text("utf-8")
    assert role_href in html
    roles_page = out / ("index.html" if builder == "singlehtml" else page.replace("procedures", "roles"))
    assert "role-incident-commander" in _html_ids(roles_page.read_text("utf-8"))
    assert "restart-procedure--drain-the-node" in _html_ids(html)
    assert "#document-roles#" not in html  # one fragment: a link a browser can follow


@pytest.mark.parametrize(
    ("builder", "url"),
    [
        ("html", "procedures.html#restart-procedure--drain-the-node"),
        ("dirhtml", "procedures/#restart-procedure--drain-the-node"),
        ("singlehtml", "index.html#restart-procedure--drain-the-node"),
    ],
)
def test_step_urls_in_the_step_list(make_app: Any, tmp_path: Path, builder: str, url: str) -> None:
    app, failure = _build(make_app, tmp_path, builder, None)
    assert failure is None
    data = read_json(Path(app.outdir) / "runbooks.json")
    restart = next(r for r in data["runbooks"] if r["id"] == "restart-procedure")
    assert restart["steps"][0]["url"] == url
    assert restart["steps"][0]["roles"][0]["url"].endswith("#role-incident-commander")
    assert restart["steps"][0]["roles"][0]["url"].count("#") == 1


def test_epub_has_no_step_list(make_app: Any, tmp_path: Path) -> None:
    app, failure = _build(make_app, tmp_path, "epub", None)
    assert failure is None
    assert not (Path(app.outdir) / "runbooks.json").exists()
    assert not (Path(app.outdir) / "_runbooks").exists()
    # the panel does not link a JSON file the e-book does not have
    assert "Runbook as JSON" not in (Path(app.outdir) / "procedures.xhtml").read_text("utf-8")


#: another extension's HTML builder: a site like Sphinx's own, published the same way
SITE_BUILDER = """
from sphinx.builders.html import StandaloneHTMLBuilder


class SiteBuilder(StandaloneHTMLBuilder):
    name = "site"


def setup(app):
    app.add_builder(SiteBuilder)
    return {"parallel_read_safe": True}
"""


def test_a_third_party_html_builder_writes_the_step_list(make_app: Any, tmp_path: Path) -> None:
    srcdir = tmp_path / "site"
    shutil.copytree(ROOTS / "test-builders", srcdir)
    (srcdir / "_ext" / "sitebuilder.py").write_text(SITE_BUILDER, "utf-8")
    extensions = ["myst_parser", "sphinx_design", "sphinx.ext.todo", "sitebuilder", "sphinx_incident"]
    app = make_app("site", srcdir=srcdir, freshenv=True, confoverrides={"extensions": extensions})
    try:
        app.build()
    finally:
        app.cleanup()
    out = Path(app.outdir)
    restart = next(r for r in read_json(out / "runbooks.json")["runbooks"] if r["id"] == "restart-procedure")
    assert restart["steps"][0]["url"] == "procedures.html#restart-procedure--drain-the-node"
    assert (out / "_runbooks" / "restart-procedure.json").is_file()
    assert '<a href="_runbooks/restart-procedure.json">Runbook as JSON</a>' in (
        out / "procedures.html"
    ).read_text("utf-8")


def test_latex_role_links_have_their_labels(make_app: Any, tmp_path: Path) -> None:
    app, failure = _build(make_app, tmp_path, "latex", None)
    assert failure is None
    tex = (Path(app.outdir) / "builders.tex").read_text("utf-8")
    assert r"\hyperref[\detokenize{roles:role-incident-commander}]" in tex
    assert r"\label{\detokenize{roles:role-incident-commander}}" in tex
    assert r"\label{\detokenize{roles:role-security-lead}}" in tex


def test_text_overview_tables_have_real_column_widths(make_app: Any, tmp_path: Path) -> None:
    app, failure = _build(make_app, tmp_path, "text", None)
    assert failure is None
    text = (Path(app.outdir) / "overview.txt").read_text("utf-8")
    assert "Restart the API" in text and "Rotate the certificate" in text
    assert "Drain the node" in text  # matrix rows keep whole words
    widest = max(len(line) for line in text.splitlines())
    assert widest < 160


@pytest.mark.parametrize("builder", ["html", "singlehtml"])
def test_every_runbook_gets_its_panel_and_checkboxes_on_a_single_page_too(
    make_app: Any, tmp_path: Path, builder: str
) -> None:
    """A single-page build holds every page's runbooks: each gets its panel, each step its box,
    and the page loads the scripts that make them work."""
    app, failure = _build(make_app, tmp_path, builder, None)
    assert failure is None
    data = read_json(Path(app.outdir) / "runbooks.json")
    pages = {runbook["url"].split("#")[0] for runbook in data["runbooks"]}
    html = "\n".join((Path(app.outdir) / page).read_text("utf-8") for page in pages)
    assert html.count('class="incident-panel"') == len(data["runbooks"])
    steps = sum(1 for runbook in data["runbooks"] for _ in walk_steps(runbook["steps"]))
    assert html.count('class="incident-check-input"') == steps
    assert "incident-panel.js" in html
