"""``incident_issue_url``: the panel's button opens the tracker's new-issue page, pre-filled.

The tracker is a server the test starts on 127.0.0.1 that records what the
page asked for; the body must be ``sphinx-incident export --format github``
with links absolute (``html_baseurl``, else the page's own location).
"""

from __future__ import annotations

import contextlib
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_fixtures import SOURCE, build_html, new_context, panel_of, serve

from sphinx_incident.commands.cli import main

from conftest import copy_tree, read_json

pytestmark = pytest.mark.browser

GITHUB = "{tracker}new?title={{title}}&body={{body}}"
GITLAB = "{tracker}group/project/-/issues/new?issue[title]={{title}}&issue[description]={{body}}"


class Tracker:
    """A stand-in issue tracker: it records every request and answers with a page."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        tracker = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/favicon.ico":  # the browser's own request, not the page's
                    self.send_error(404)
                    return
                tracker.requests.append(self.path)
                body = b"<!doctype html><title>New issue</title><p>new issue"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> Tracker:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def tracker() -> Iterator[Tracker]:
    with Tracker() as running:
        yield running


@contextlib.contextmanager
def _site(tmp_path: Path, template: str, *options: str, source: Path = SOURCE) -> Iterator[dict[str, Any]]:
    out = tmp_path / "html"
    build_html(out, "-D", f"incident_issue_url={template}", *options, source=source)
    with serve(out) as root:
        yield {"outdir": out, "root": root, "step_list": read_json(out / "runbooks.json")}


def _open(context: Any, site: dict[str, Any], runbook: dict[str, Any]) -> Any:
    page = context.new_page()
    page.goto(site["root"] + runbook["url"].split("#")[0])
    page.wait_for_selector("html.incident-js")
    return page


def _click_issue(page: Any, context: Any, runbook: dict[str, Any], tracker: Tracker) -> dict[str, list[str]]:
    before = len(tracker.requests)
    with context.expect_page() as popup:
        panel_of(page, runbook).locator("button.incident-issue").click()
    popup.value.wait_for_load_state()
    assert len(tracker.requests) == before + 1, "one request reached the tracker"
    popup.value.close()
    return parse_qs(urlsplit(tracker.requests[-1]).query, keep_blank_values=True)


def _export(runbook_id: str, base_url: str, capsys: Any, source: Path = SOURCE) -> str:
    capsys.readouterr()
    assert (
        main(["export", str(source), "--runbook", runbook_id, "--format", "github", "--base-url", base_url])
        == 0
    )
    return capsys.readouterr().out  # type: ignore[no-any-return]


@pytest.mark.parametrize(("template", "title_key", "body_key"), [
    (GITHUB, "title", "body"), (GITLAB, "issue[title]", "issue[description]")
])  # fmt: skip
def test_the_button_opens_a_prefilled_new_issue(
    browser: Any, tracker: Tracker, tmp_path: Path, capsys: Any, template: str, title_key: str, body_key: str
) -> None:
    with _site(tmp_path, template.format(tracker=tracker.url)) as site:
        runbook = max(site["step_list"]["runbooks"], key=lambda r: r["step_count"])
        expected_body = _export(runbook["id"], site["root"], capsys)
        context = new_context(browser, site["root"])
        try:
            page = _open(context, site, runbook)
            query = _click_issue(page, context, runbook, tracker)
            assert query[title_key] == [f"Incident: {runbook['title']}"]
            assert query[body_key] == [expected_body]
            assert f"]({site['root']}" in expected_body, "links are absolute, under the page's own site"
            assert (
                panel_of(page, runbook).locator(".incident-status").inner_text()
                == "Opened the new-issue page."
            )
            # with a run going, the issue takes the run's name
            panel = panel_of(page, runbook)
            panel.locator("button.incident-run-new").click()
            panel.locator("input.incident-run-name").fill("Hub down & out #3 +1")
            panel.locator("input.incident-run-name").press("Enter")
            query = _click_issue(page, context, runbook, tracker)
            assert query[title_key] == ["Hub down & out #3 +1"]
            assert query[body_key] == [expected_body]
        finally:
            context.close()


def test_html_baseurl_makes_the_links(browser: Any, tracker: Tracker, tmp_path: Path, capsys: Any) -> None:
    base = "https://handbook.example.org/ops/"
    with _site(tmp_path, GITHUB.format(tracker=tracker.url), "-D", f"html_baseurl={base}") as site:
        runbook = max(site["step_list"]["runbooks"], key=lambda r: r["step_count"])
        context = new_context(browser, site["root"])
        try:
            page = context.new_page()
            page.goto(site["root"] + runbook["url"][len(base) :].split("#")[0])
            page.wait_for_selector("html.incident-js")
            body = _click_issue(page, context, runbook, tracker)["body"][0]
        finally:
            context.close()
        assert body == _export(runbook["id"], base, capsys)
        assert f"]({base}" in body and site["root"] not in body


def _long_handbook(tmp_path: Path) -> Path:
    source = copy_tree(SOURCE, tmp_path / "src")
    steps = "\n".join(
        f"{n}. **Check subsystem number {n} of the platform** and write down what you see there."
        for n in range(1, 91)
    )
    (source / "long.md").write_text(
        f"---\nrunbook: long-checklist\n---\n\n# A long checklist\n\n{steps}\n", "utf-8"
    )
    index = source / "index.md"
    index.write_text(index.read_text("utf-8").replace("overview\n", "overview\nlong\n", 1), "utf-8")
    return source


def test_a_body_too_long_for_a_link_goes_through_the_clipboard(
    browser: Any, tracker: Tracker, tmp_path: Path, capsys: Any
) -> None:
    source = _long_handbook(tmp_path)
    with _site(tmp_path, GITHUB.format(tracker=tracker.url), source=source) as site:
        runbook = next(r for r in site["step_list"]["runbooks"] if r["id"] == "long-checklist")
        expected_body = _export(runbook["id"], site["root"], capsys, source=source)
        context = new_context(browser, site["root"])
        try:
            page = _open(context, site, runbook)
            query = _click_issue(page, context, runbook, tracker)
            assert query["title"] == ["Incident: A long checklist"]
            assert query["body"] == [""]
            assert len(tracker.requests[-1]) < 8000
            panel = panel_of(page, runbook)
            assert panel.locator("textarea.incident-copy-buffer").input_value() == expected_body
            with contextlib.suppress(Exception):  # where the clipboard may be read, it holds the body too
                assert page.evaluate("() => navigator.clipboard.readText()") == expected_body
            assert panel.locator(".incident-status").inner_text() == (
                "The checklist is too long for a link: it is on the clipboard, paste it into the new issue."
            )
        finally:
            context.close()


def test_a_template_that_is_not_http_is_a_config_problem_and_no_button(tmp_path: Path) -> None:
    out = tmp_path / "html"
    command = [
        sys.executable, "-m", "sphinx", "-q", "-b", "html",
        "-D", "incident_issue_url=javascript:alert(1)//{title}", str(SOURCE), str(out),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "incident_issue_url = 'javascript:alert(1)//{title}' is not valid" in result.stderr
    assert "[incident.config]" in result.stderr
    pages = [p.read_text("utf-8") for p in out.rglob("*.html")]
    assert not any("incident-issue" in page or "javascript:alert" in page for page in pages)
    shutil.rmtree(out)
