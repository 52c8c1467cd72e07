"""Markup and template syntax in documents stays text; no unsafe link, path or network access."""

from __future__ import annotations

import ipaddress
import json
import re
import shutil
import socket
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from sphinx_incident.safety import is_unsafe_url

from conftest import PROJECT, ROOTS

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
    unsafe = [link for link in links if is_unsafe_url(link["target"])]
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
    assert is_unsafe_url(url) is unsafe


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
            if name in ("href", "src", "action", "formaction") and value and is_unsafe_url(value):
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
