"""The rendered runbooks in a real Chromium: ticks persist, reset clears, Copy matches the export.

The handbook under test is ``example_docs`` unless
``SPHINX_INCIDENT_BROWSER_DOCS`` names another source folder (the example
handbook, in the full suite). Without Chromium or Playwright the tests skip,
except under ``CI=true``, where they must run. With
``SPHINX_INCIDENT_SCREENSHOT=PATH`` the setup also writes the README's screenshot.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from browser_setup import find_chromium

from sphinx_incident.cli import main

from conftest import PROJECT, read_json

pytestmark = pytest.mark.browser

SOURCE = Path(os.environ.get("SPHINX_INCIDENT_BROWSER_DOCS") or PROJECT / "example_docs")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _build_html(outdir: Path, *options: str) -> None:
    """Build the handbook under test with ``sphinx-build``; it must give no warning."""
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", *options, str(SOURCE), str(outdir)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", f"the handbook must build without warnings:\n{result.stderr}"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The handbook built into a temporary folder and served on 127.0.0.1."""
    outdir = tmp_path_factory.mktemp("browser-site")
    _build_html(outdir, "-d", str(tmp_path_factory.mktemp("browser-doctrees")))
    handler = functools.partial(_QuietHandler, directory=str(outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"outdir": outdir, "root": f"http://127.0.0.1:{server.server_address[1]}/"}
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    chromium = find_chromium()
    if chromium is None:
        _unavailable("no Chromium found (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, site: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    with contextlib.suppress(Exception):  # clipboard permissions are a bonus: Copy also fills a textarea
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site["root"].rstrip("/"))
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        context.close()


@pytest.fixture(scope="session")
def step_list(site: dict[str, Any]) -> dict[str, Any]:
    return read_json(site["outdir"] / "runbooks.json")  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def runbook(step_list: dict[str, Any]) -> dict[str, Any]:
    """The runbook with the most steps: the one the tests work through."""
    found = [r for r in step_list["runbooks"] if r["step_count"] >= 2]
    assert found, f"{SOURCE} has no runbook with two steps"
    return max(found, key=lambda r: r["step_count"])  # type: ignore[no-any-return]


def _open(page: Any, site: dict[str, Any], runbook: dict[str, Any]) -> None:
    page.goto(urljoin(site["root"], runbook["url"].split("#")[0]))
    page.wait_for_selector("html.incident-js")


def _panel(page: Any, runbook: dict[str, Any]) -> Any:
    return page.locator(f'.incident-panel[data-incident-runbook="{runbook["id"]}"]')


def _box(page: Any, runbook: dict[str, Any], step_id: str) -> Any:
    return page.locator(f'#{runbook["anchor"]} input[data-incident-step="{step_id}"]').first


def _total(runbook: dict[str, Any]) -> int:
    def count(steps: list[dict[str, Any]]) -> int:
        return sum(1 + count(s["substeps"]) for s in steps)

    return count(runbook["steps"])


def _tick_two(page: Any, runbook: dict[str, Any]) -> list[str]:
    chosen = [runbook["steps"][0]["id"], runbook["steps"][1]["id"]]
    for step_id in chosen:
        _box(page, runbook, step_id).check()
    return chosen


def test_ticks_survive_a_reload_and_reset_clears_them(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    _open(page, site, runbook)
    panel = _panel(page, runbook)
    total = _total(runbook)
    assert panel.locator(".incident-progress-text").inner_text() == f"0 of {total} done"
    chosen = _tick_two(page, runbook)
    page.reload()
    page.wait_for_selector("html.incident-js")
    for step_id in chosen:
        assert _box(page, runbook, step_id).is_checked()
    assert not _box(
        page, runbook, runbook["steps"][2]["id"] if len(runbook["steps"]) > 2 else "x"
    ).is_checked()
    assert panel.locator(".incident-progress-text").inner_text() == f"2 of {total} done"
    assert panel.locator("progress").evaluate("p => p.value") == 2
    saved = page.evaluate(f"() => JSON.parse(localStorage.getItem('sphinx-incident:{runbook['id']}'))")
    assert sorted(saved) == sorted(chosen)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", when) for when in saved.values())

    screenshot = os.environ.get("SPHINX_INCIDENT_SCREENSHOT")
    if screenshot:
        page.evaluate("() => window.scrollTo(0, 0)")
        panel.scroll_into_view_if_needed()
        page.screenshot(path=str(PROJECT / screenshot))

    panel.locator("button.incident-reset").click()
    assert panel.locator(".incident-progress-text").inner_text() == f"0 of {total} done"
    page.reload()
    page.wait_for_selector("html.incident-js")
    for step_id in chosen:
        assert not _box(page, runbook, step_id).is_checked()
    assert page.evaluate(f"() => localStorage.getItem('sphinx-incident:{runbook['id']}')") is None


def test_keyboard_ticks_a_step(page: Any, site: dict[str, Any], runbook: dict[str, Any]) -> None:
    _open(page, site, runbook)
    box = _box(page, runbook, runbook["steps"][0]["id"])
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    _panel(page, runbook).locator("button.incident-reset").click()


def test_copy_matches_the_export(
    page: Any, site: dict[str, Any], runbook: dict[str, Any], step_list: dict[str, Any], capsys: Any
) -> None:
    _open(page, site, runbook)
    chosen = _tick_two(page, runbook)
    panel = _panel(page, runbook)
    panel.locator("button.incident-copy").click()
    page.wait_for_function("() => document.querySelector('.incident-copy-buffer') !== null")
    copied = panel.locator("textarea.incident-copy-buffer").input_value()
    with contextlib.suppress(Exception):
        assert page.evaluate("() => navigator.clipboard.readText()") == copied
    panel.locator("button.incident-reset").click()

    base = [] if step_list["base_url"] else ["--base-url", site["root"]]
    capsys.readouterr()
    assert main(["export", str(SOURCE), "--runbook", runbook["id"], "--format", "markdown", *base]) == 0
    exported = capsys.readouterr().out

    ticked = [line for line in copied.splitlines() if "- [x] " in line]
    assert len(ticked) == len(chosen)
    assert all(re.search(r" \(done \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$", line) for line in ticked)
    untimed = re.sub(r" \(done [^)]*\)$", "", copied, flags=re.M).replace("- [x] ", "- [ ] ")
    assert untimed == exported


def test_every_step_url_scrolls_to_an_element(
    page: Any, site: dict[str, Any], step_list: dict[str, Any]
) -> None:
    checked = 0
    for book in step_list["runbooks"]:
        urls = [book["url"]]

        def collect(steps: list[dict[str, Any]], into: list[str] = urls) -> None:
            for step in steps:
                into.append(step["url"])
                collect(step["substeps"], into)

        collect(book["steps"])
        for url in urls:
            absolute = (
                urljoin(site["root"], url) if not step_list["base_url"] else _local(url, step_list, site)
            )
            page.goto(absolute)
            fragment = urlsplit(absolute).fragment
            found = page.evaluate(
                """id => { const el = document.getElementById(id);
                          if (!el) return null;
                          const r = el.getBoundingClientRect();
                          return {top: r.top, height: window.innerHeight}; }""",
                fragment,
            )
            assert found is not None, f"{url}: no element with id {fragment!r}"
            assert -1 <= found["top"] < found["height"], f"{url}: the page did not scroll to the step"
            checked += 1
    assert checked > 0


def _local(url: str, step_list: dict[str, Any], site: dict[str, Any]) -> str:
    """A URL under ``html_baseurl``, served from the local build instead."""
    return site["root"] + url[len(step_list["base_url"]) :].lstrip("/")


def test_without_javascript_the_page_is_the_numbered_prose(
    browser: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(urljoin(site["root"], runbook["url"].split("#")[0]))
        assert not page.locator("input.incident-check-input").first.is_visible()
        assert not page.locator(".incident-panel-live").first.is_visible()
        assert page.locator(f"#{runbook['steps'][0]['anchor']}").is_visible()
        page.emulate_media(media="print")
        assert page.locator("input.incident-check-input").first.is_visible()
        assert not page.locator("button.incident-copy").first.is_visible()
    finally:
        context.close()


def test_dark_furo_theme_renders_the_panel(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "furo"
    _build_html(out, "-D", "html_theme=furo")
    step_list = read_json(out / "runbooks.json")
    page_path = step_list["runbooks"][0]["url"].split("#")[0]
    if step_list["base_url"]:
        page_path = page_path[len(step_list["base_url"]) :].lstrip("/")
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.goto((out / page_path).as_uri())
        page.wait_for_selector("html.incident-js")
        colours = page.evaluate(
            """() => { const p = document.querySelector('.incident-panel');
                      const s = getComputedStyle(p);
                      return [s.backgroundColor, s.color]; }"""
        )
        panel_bg, panel_fg = colours
        assert panel_bg != "rgb(246, 248, 250)", "the panel should take furo's dark surface colour"
        assert panel_fg != "rgb(0, 0, 0)"
    finally:
        context.close()
