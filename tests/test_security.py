"""Markup and template syntax in documents stays text; no unsafe link, path or network access.

Links are checked the way a browser reads them: every ``href``/``src`` of a built
page, read with :mod:`html.parser` and :func:`url_cases.browser_scheme`, must be
``http``, ``https``, ``mailto`` or relative, in steps, in the footnotes steps
cite and in content included into a runbook, for fixed hostile URLs and for
generated ones, in the pages, ``runbooks.json`` and every export.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import re
import shutil
import socket
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp
from url_cases import SAFE_SCHEMES, URL_ATTRIBUTES, Page, browser_scheme, edge_urls, github_html

from sphinx_incident.checking.urls import is_unsafe
from sphinx_incident.commands.export import render
from sphinx_incident.commands.handbook import read_handbook

from conftest import PROJECT, ROOTS, copy_tree, read_json, walk_steps

HOSTILE = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}", "{% raw %}")
UNSAFE_HREF = re.compile(r"""(href|src)\s*=\s*["']?\s*(javascript|data|vbscript):""", re.IGNORECASE)
SAFE_ID = re.compile(r"^[\w.-]+$")


@pytest.mark.sphinx("html", testroot="scale-hostile", freshenv=True)
def test_hostile_text_is_escaped_everywhere(app) -> None:
    app.build()
    outdir = Path(app.outdir)
    pages = sorted(outdir.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text("utf-8")
        assert _live_markup(html) == [], page.name
        assert not UNSAFE_HREF.search(html), page.name
    labelled = (outdir / "labelled.html").read_text("utf-8")
    # template syntax is shown, never evaluated
    assert "{{ 7*7 }}" in labelled and "{% raw %}" in labelled
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in labelled

    text = (outdir / "runbooks.json").read_text("utf-8")
    data = json.loads(text)
    for needle in HOSTILE:
        assert needle in text or json.dumps(needle)[1:-1] in text, needle
    labelled_rb = next(r for r in data["runbooks"] if r["id"] == "hostile-label")
    first = labelled_rb["steps"][0]
    assert first["title"] == "<script>alert(1)</script> first {{ 7*7 }}"
    assert first["roles"][0]["target"] == "<script>alert(1)</script> Lead"
    assert first["roles"][0]["resolved"] is True
    assert first["footnotes"][0]["text"].startswith("Footnote <script>alert(1)</script> {{ 7*7 }}")
    second = labelled_rb["steps"][1]
    assert second["admonitions"][0]["title"] == "<script>alert(1)</script> title {{ 7*7 }}"


@pytest.mark.sphinx("html", testroot="scale-hostile", freshenv=True)
def test_unsafe_urls_never_become_links(app) -> None:
    app.build()
    data = json.loads((Path(app.outdir) / "runbooks.json").read_text("utf-8"))
    links = [link for r in data["runbooks"] for s in _walk(r["steps"]) for link in s["links"]]
    unsafe = [link for link in links if browser_scheme(link["target"]) not in SAFE_SCHEMES]
    assert len(unsafe) >= 4  # two buttons in Markdown, a button and a link in rST
    assert all(link["url"] is None for link in unsafe)
    # the text of a neutralised button or link is still in the page
    assert "Run &lt;script&gt;" in (Path(app.outdir) / "labelled.html").read_text("utf-8")
    other = (Path(app.outdir) / "other.html").read_text("utf-8")
    assert 'class="incident-unsafe-link' in other and ">Go<" in other.replace("\n", "")


@pytest.mark.sphinx("html", testroot="scale-hostile", freshenv=True)
def test_ids_cannot_leave_the_output_directory(app) -> None:
    app.build()
    data = json.loads((Path(app.outdir) / "runbooks.json").read_text("utf-8"))
    ids = []
    for runbook in data["runbooks"]:
        ids += [runbook["id"], runbook["anchor"]]
        for step in _walk(runbook["steps"]):
            ids += [step["id"], step["anchor"]]
    for value in ids:
        assert SAFE_ID.match(value), value
        assert ".." not in value and "/" not in value and "\\" not in value, value
    assert "etc-passwd-script" in {r["id"] for r in data["runbooks"]}
    outdir = Path(app.outdir).resolve()
    for path in outdir.rglob("*"):
        assert path.resolve().is_relative_to(outdir)


@pytest.mark.parametrize(
    ("url", "unsafe"),
    [
        ("javascript:alert(1)", True),
        ("  JaVaScRiPt:alert(1)", True),
        ("java\tscript:alert(1)", True),
        ("data:text/html;base64,PHNjcmlwdD4=", True),
        ("VBScript:msgbox", True),
        ("https://example.org/javascript:", False),
        ("mailto:oncall@example.org", False),
        ("runbooks.html#step", False),
    ],
)
def test_unsafe_url_detection(url: str, unsafe: bool) -> None:
    assert is_unsafe(url) is unsafe


class _LiveMarkup(HTMLParser):
    """Collects what a browser would run: event handlers, unsafe URLs, injected tags."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value is not None and browser_scheme(value) not in SAFE_SCHEMES:
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")
        # a JSON data block is not run; the browser only needs it not to end early,
        # which the parser would show as text after it
        self._in_script = tag == "script" and dict(attrs).get("type") != "application/json"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:40]}")


def _live_markup(html: str) -> list[str]:
    parser = _LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


def _walk(steps: list[dict[str, Any]]):
    for step in steps:
        yield step
        yield from _walk(step["substeps"])


# -- no network ----------------------------------------------------------------


def _loopback(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and (host == "localhost" or host.startswith("/")):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Any connection to a non-loopback address fails the test, and is recorded."""
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family != socket.AF_UNIX and not _loopback(address):
            attempts.append(address)
            raise OSError(f"network access during a build: {address!r}")
        return real_connect(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(address)
        raise OSError(f"network access during a build: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return attempts


HANDBOOKS = ["test-seed", "test-scale-handbook", "test-scale-hostile"]


@pytest.mark.parametrize("root", HANDBOOKS)
def test_builds_make_no_network_access(make_app, tmp_path: Path, no_network: list[Any], root: str) -> None:
    srcdir = tmp_path / root
    shutil.copytree(ROOTS / root, srcdir)
    for builder in ("html", "runbooks"):
        app = make_app(builder, srcdir=srcdir, freshenv=True)
        try:
            app.build()
        finally:
            app.cleanup()
    assert no_network == []


@pytest.mark.skipif(not (PROJECT / "example_docs" / "conf.py").exists(), reason="no example handbook here")
def test_example_handbook_makes_no_network_access(make_app, tmp_path: Path, no_network: list[Any]) -> None:
    srcdir = tmp_path / "example_docs"
    shutil.copytree(PROJECT / "example_docs", srcdir, ignore=shutil.ignore_patterns("_build"))
    app = make_app("html", srcdir=srcdir, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    assert no_network == []


@pytest.mark.parametrize("name", ["../escape.json", "sub/../../escape.json", "<absolute>", ".."])
def test_step_list_stays_in_the_output_directory(make_app, tmp_path: Path, name: str) -> None:
    name = name.replace("<absolute>", str(tmp_path / "escape.json"))
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-seed", srcdir)
    app = make_app("runbooks", srcdir=srcdir, freshenv=True, confoverrides={"incident_json_filename": name})
    try:
        app.build()
    finally:
        app.cleanup()
    assert "incident_json_filename" in app.warning.getvalue()
    assert (Path(app.outdir) / "runbooks.json").is_file()  # the default is used instead
    assert not list(tmp_path.rglob("escape.json"))
    assert not (srcdir / "_build" / "escape.json").exists()


def test_a_step_list_the_extension_did_not_write_is_left_alone(make_app, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-seed", srcdir)
    outdir = tmp_path / "build" / "runbooks"  # where the test app writes
    outdir.mkdir(parents=True)
    theirs = '{"schema_version": "1.1", "generator": {"name": "our-own-script"}, "runbooks": []}\n'
    (outdir / "runbooks.json").write_text(theirs, "utf-8")
    app = make_app("runbooks", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True)
    assert Path(app.outdir) == outdir
    try:
        app.build()
    finally:
        app.cleanup()
    assert (outdir / "runbooks.json").read_text("utf-8") == theirs
    assert "was not written by sphinx-incident" in app.warning.getvalue()
    assert "[incident.config]" in app.warning.getvalue()


def test_a_step_list_of_an_earlier_build_is_written_again(make_app, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-seed", srcdir)
    for project in ("First", "Second"):
        app = make_app("runbooks", srcdir=srcdir, freshenv=True, confoverrides={"project": project})
        try:
            app.build()
        finally:
            app.cleanup()
        assert "was not written" not in app.warning.getvalue()
        assert json.loads((Path(app.outdir) / "runbooks.json").read_text("utf-8"))["project"] == project


# -- links a browser follows ----------------------------------------------------------

UNSAFE_LINKS = ROOTS / "test-unsafe-links"


def _page(path: Path) -> Page:
    return Page.of(path.read_text("utf-8"))


def _followed_unsafely(pages: list[Path]) -> list[str]:
    """Every URL of the pages that a browser would follow to something other than
    http(s), mailto or this site."""
    return [
        f"{page.name}: <{tag}> {url[:80]!r}"
        for page in pages
        for tag, url in _page(page).urls
        if browser_scheme(url) not in SAFE_SCHEMES
    ]


@pytest.fixture(scope="module")
def unsafe_links_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``test-unsafe-links`` built once as HTML, with its warnings."""
    srcdir = copy_tree(UNSAFE_LINKS, tmp_path_factory.mktemp("unsafe-links") / "src")
    warning = io.StringIO()
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, status=None, warning=warning)
    try:
        app.build()
    finally:
        app.cleanup()
    outdir = Path(app.outdir)
    return {"srcdir": srcdir, "outdir": outdir, "warnings": warning.getvalue()}


def test_no_link_in_steps_footnotes_or_included_content_runs_script(
    unsafe_links_site: dict[str, Any],
) -> None:
    outdir = unsafe_links_site["outdir"]
    assert _followed_unsafely(sorted(outdir.glob("*.html"))) == []
    index, footnotes = _page(outdir / "index.html"), _page(outdir / "footnotes.html")
    # a button whose URL made urlsplit raise; a sphinx-design button in included Markdown
    assert {"Run it", "Included button"} <= set(index.neutralised)
    # a footnote cited from a step (outside the runbook's node), a footnote that one
    # cites, and a link in included rST
    assert {"the console", "deeper link", "rst include"} <= set(footnotes.neutralised)
    # safe links stay links
    assert footnotes.links["a fine one"] == "https://tools.corp.test/fine"
    assert index.links["Good"] == "https://docs.tools.corp.test/ok"
    assert index.links["the good page"] == "https://tools.corp.test/included"


def test_scheme_relative_and_backslash_links_are_off_the_allowed_hosts(
    unsafe_links_site: dict[str, Any],
) -> None:
    warnings = unsafe_links_site["warnings"]
    off_hosts = re.findall(r"index\.md:(\d+): WARNING: .*goes to (\S+),.*\[incident\.link_host\]", warnings)
    assert off_hosts == [("18", "evil.example"), ("22", "evil.example"), ("26", "evil.example")]
    # one finding for the button that made urlsplit raise: it runs script, it is not "malformed"
    assert re.search(r"index\.md:12: WARNING: .*javascript:.*\[incident\.unsafe_url\]", warnings)
    assert warnings.count("index.md:12: WARNING") == 1


def test_step_list_offers_no_unsafe_url(unsafe_links_site: dict[str, Any]) -> None:
    data = read_json(unsafe_links_site["outdir"] / "runbooks.json")
    links = [
        link
        for runbook in data["runbooks"]
        for step in walk_steps(runbook["steps"])
        for link in [*step["links"], *(li for f in step["footnotes"] for li in f["links"])]
    ]
    by_target = {link["target"]: link["url"] for link in links}
    for target in (
        "javascript://＃%0aalert(1)",  # noqa: RUF001
        "javascript:alert(3)",
        "vbscript:msgbox(2)",
        "data:text/html,x",
    ):
        assert by_target[target] is None, target
    assert by_target["//evil.example/x"] == "//evil.example/x"
    assert all(link["url"] is None or browser_scheme(link["url"]) in SAFE_SCHEMES for link in links)


def _exports(srcdir: Path) -> dict[tuple[str, str], str]:
    handbook = read_handbook(srcdir)
    return {
        (runbook.id, fmt): render(
            runbook, fmt, "https://handbook.corp.test/", handbook.templates_path, srcdir
        )
        for runbook in handbook.runbooks
        for fmt in ("json", "markdown", "github", "csv")
    }


def _assert_inert(exports: dict[tuple[str, str], str]) -> None:
    for (runbook, fmt), text in exports.items():
        where = f"{runbook} {fmt}"
        if fmt in ("markdown", "github"):
            html = Page.of(github_html(text))
            assert not {"img", "script", "iframe"} & set(html.tags), where
            assert all(browser_scheme(url) in SAFE_SCHEMES for _, url in html.urls), (where, html.urls)
        elif fmt == "json":
            urls = re.findall(r'"url": ("(?:[^"\\]|\\.)*")', text)
            assert all(browser_scheme(json.loads(u)) in SAFE_SCHEMES for u in urls), where
        else:
            for row in list(csv.reader(io.StringIO(text, newline="")))[1:]:
                assert all(cell.lstrip()[:1] not in ("=", "+", "-", "@") for cell in row), (where, row)
                assert all(browser_scheme(u) in SAFE_SCHEMES for u in row[8].split()), (where, row)


def test_exports_of_hostile_links_are_inert(unsafe_links_site: dict[str, Any]) -> None:
    exports = _exports(unsafe_links_site["srcdir"])
    _assert_inert(exports)
    html = Page.of(github_html(exports[("buttons", "markdown")]))
    # four steps, and the five buttons that may be links: nothing added
    assert html.tags.count("a") == 4 + 5 and "img" not in html.tags
    # the URL that tried to add an image and a link is one link, as long as the author wrote it
    assert html.links["Sneaky"].startswith("https://tools.corp.test/x")
    assert html.links["Sneaky"].endswith("evil.example/p.png%29")
    assert "Run it" in html.text and "Included button" in html.text  # text, not links
    assert not {"Run it", "Included button"} & set(html.links)


# -- generated URLs, built ------------------------------------------------------------------

_CONF = 'extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]\n'
#: every line boundary of str.splitlines, which docutils splits a source into lines by: a URL that
#: held one would end its step or footnote early, and the rest of the URL be text outside it
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _myst(urls: list[str]) -> str:
    steps = []
    for index, url in enumerate(urls, 1):
        one_line = _LINE_BREAKS.sub("", url)
        # MyST-Parser looks a relative link up as a file, and fails on a name longer
        # than the file system allows: the Markdown link carries the first 60 characters
        destination = re.sub(r"([\\<>])", r"\\\1", one_line[:60])
        steps.append(
            f"{index}. **Step {index}**. A [Markdown link {index}](<{destination}>).\n\n"
            f"   ~~~{{button-link}} {one_line}\n   Button {index}\n   ~~~\n"
        )
    return (
        "# Generated\n\n```{toctree}\nnotes\n```\n\n````{runbook}\n:id: generated\n\n"
        + "\n".join(steps)
        + "````\n"
    )


def _rst(urls: list[str]) -> str:
    steps, notes = [], []
    for index, url in enumerate(urls, 1):
        uri = _LINE_BREAKS.sub("", url).replace("\\", "\\\\").replace("`", "\\`")
        uri = uri.replace("<", "%3C").replace(">", "%3E")
        steps.append(f"   #. **Step {index}** see [#n{index}]_.")
        notes.append(f".. [#n{index}] `Footnote link {index} <{uri}>`__")
    return (
        "Notes\n=====\n\n.. runbook::\n   :id: notes\n\n"
        + "\n".join(steps)
        + "\n\n"
        + "\n".join(notes)
        + "\n"
    )


# each example is a build: failures are reported as generated, without shrinking
@settings(
    max_examples=10,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(urls=st.lists(edge_urls(), min_size=6, max_size=6))
# found by this test: a footnote's scheme with white space inside, which docutils removes when it
# joins the URI (judged as the page carries it); a line separator (\x1e) inside a URL, which ended
# the footnote early and left the next ones as text outside the runbook
@example(urls=["\x00 \n\tvb scrIPT:///evil.example/x", "", "https://ok.example/", "x", "#a", "mailto:a@b.c"])
@example(
    urls=[
        "",
        "%3AÜM\x8a«Ç\x1ealert(1)Ø",
        "//good.example.org.evil.example" + "/" * 900 + '"onmouseover=alert(1)',
        "\tJavａ%53%63ri\npｔ：//a b?q=<x>",  # noqa: RUF001
        " /%2fＥＶＩＬ.example" + "%" * 900 + "/",  # noqa: RUF001
        "\x01ftp://evil%2eexample" + "9" * 900,
    ]
)
def test_generated_urls_become_safe_links_or_text(urls: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        srcdir = Path(tmp) / "src"
        srcdir.mkdir()
        (srcdir / "conf.py").write_text(_CONF, "utf-8")
        (srcdir / "index.md").write_text(_myst(urls), "utf-8")
        (srcdir / "notes.rst").write_text(_rst(urls), "utf-8")
        app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, status=None, warning=io.StringIO())
        try:
            app.build()
        finally:
            app.cleanup()
        outdir = Path(app.outdir)
        assert _followed_unsafely([outdir / "index.html", outdir / "notes.html"]) == []
        index, notes = _page(outdir / "index.html"), _page(outdir / "notes.html")
        shown = {*index.links, *index.neutralised, *notes.links, *notes.neutralised}
        data = read_json(outdir / "runbooks.json")
        links = [
            link
            for runbook in data["runbooks"]
            for step in walk_steps(runbook["steps"])
            for link in [*step["links"], *(li for f in step["footnotes"] for li in f["links"])]
        ]
        assert links
        for link in links:
            if browser_scheme(link["target"]) not in SAFE_SCHEMES:
                assert link["url"] is None, link
            assert link["url"] is None or browser_scheme(link["url"]) in SAFE_SCHEMES, link
            if link["kind"] != "internal":
                # still in the page: as a link or as its text
                assert link["text"] in shown, link
        _assert_inert(_exports(srcdir))
