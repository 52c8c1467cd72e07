"""Fixtures of the browser tests: the handbook built and served on 127.0.0.1, Chromium, axe-core.

The handbook under test is ``example_docs`` unless ``SPHINX_INCIDENT_BROWSER_DOCS``
names another source folder. Without Chromium, Playwright or axe-core the browser
tests skip, except under ``CI=true``, where they must run. Registered as a pytest
plugin by ``conftest.py``, so every ``test_browser*.py`` module shares one build
per theme and one browser.
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
from collections.abc import Callable, Iterator
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from browser_setup import axe_script_path, find_chromium

from conftest import PROJECT, read_json

SOURCE = Path(os.environ.get("SPHINX_INCIDENT_BROWSER_DOCS") or PROJECT / "example_docs")
THEMES = ("alabaster", "furo", "pydata_sphinx_theme")
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
#: folder for the README's screenshots, when set (``docs``)
SCREENSHOTS = os.environ.get("SPHINX_INCIDENT_SCREENSHOTS")


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def build_html(outdir: Path, *options: str, source: Path = SOURCE) -> None:
    """Build a handbook with ``sphinx-build``; it must give no warning."""
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", *options, str(source), str(outdir)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", f"the handbook must build without warnings:\n{result.stderr}"


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1; yields the root URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Sites:
    """One build of the handbook per theme, made when a test first asks for it."""

    def __init__(self, factory: pytest.TempPathFactory, stack: contextlib.ExitStack) -> None:
        self.factory = factory
        self.stack = stack
        self.built: dict[str, dict[str, Any]] = {}

    def __call__(self, theme: str | None = None) -> dict[str, Any]:
        """The handbook built with ``theme`` (``None``: its own) and served on 127.0.0.1."""
        key = theme or "own"
        if key not in self.built:
            outdir = self.factory.mktemp(f"site-{key}")
            doctrees = self.factory.mktemp(f"doctrees-{key}")
            build_html(outdir, *(["-D", f"html_theme={theme}"] if theme else []), "-d", str(doctrees))
            root = self.stack.enter_context(serve(outdir))
            step_list = read_json(outdir / "runbooks.json")
            self.built[key] = {"outdir": outdir, "root": root, "step_list": step_list, "theme": key}
        return self.built[key]


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    with contextlib.ExitStack() as stack:
        yield Sites(tmp_path_factory, stack)


@pytest.fixture(scope="session")
def site(sites: Sites) -> dict[str, Any]:
    """The handbook built with its own theme and served on 127.0.0.1."""
    return sites()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    chromium = find_chromium()
    if chromium is None:
        unavailable("no Chromium found (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def new_context(browser: Any, root: str, **options: Any) -> Any:
    """A fresh browser profile (its own localStorage) that may use the clipboard on ``root``."""
    options.setdefault("viewport", {"width": 1100, "height": 900})
    context = browser.new_context(**options)
    with contextlib.suppress(Exception):  # clipboard permissions are a bonus: Copy also fills a textarea
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=root.rstrip("/"))
    return context


@pytest.fixture
def page(browser: Any, site: dict[str, Any]) -> Iterator[Any]:
    context = new_context(browser, site["root"])
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield new_page
    finally:
        context.close()
    assert not errors, f"the page's script failed: {errors}"


@pytest.fixture(scope="session")
def step_list(site: dict[str, Any]) -> dict[str, Any]:
    return site["step_list"]  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def runbook(step_list: dict[str, Any]) -> dict[str, Any]:
    """The runbook with the most steps: the one the tests work through."""
    found = [r for r in step_list["runbooks"] if r["step_count"] >= 2]
    assert found, f"{SOURCE} has no runbook with two steps"
    return max(found, key=lambda r: r["step_count"])  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = axe_script_path()
    if path is None:
        unavailable("axe-core is not installed (pip install -e '.[test]' brings axe-playwright-python)")
    return path.read_text("utf-8")  # type: ignore[union-attr]


def page_url(site: dict[str, Any], url: str) -> str:
    """A URL of runbooks.json (relative, or under ``html_baseurl``), served from the local build."""
    base = site["step_list"]["base_url"]
    if base and url.startswith(base):
        url = url[len(base) :].lstrip("/")
    return urljoin(site["root"], url)


def open_runbook(page: Any, site: dict[str, Any], runbook: dict[str, Any], fragment: str = "") -> None:
    page.goto(page_url(site, runbook["url"].split("#")[0]) + fragment)
    page.wait_for_selector("html.incident-js")


def panel_of(page: Any, runbook: dict[str, Any]) -> Any:
    return page.locator(f'.incident-panel[data-incident-runbook="{runbook["id"]}"]')


def box_of(page: Any, runbook: dict[str, Any], step_id: str) -> Any:
    return page.locator(f'#{runbook["anchor"]} input[data-incident-step="{step_id}"]').first


def all_steps(runbook: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def visit(steps: list[dict[str, Any]]) -> None:
        for step in steps:
            out.append(step)
            visit(step["substeps"])

    visit(runbook["steps"])
    return out


def stored_runs(page: Any, runbook: dict[str, Any]) -> list[dict[str, Any]]:
    """Every run of ``runbook`` that the page's handbook keeps in localStorage, oldest first
    (``sphinx-incident@<handbook>:<runbook>:run:<run id>``; one handbook per test profile)."""
    return page.evaluate(  # type: ignore[no-any-return]
        """id => Object.keys(localStorage)
                 .filter(k => k.startsWith('sphinx-incident@') && k.includes(':' + id + ':run:'))
                 .map(k => JSON.parse(localStorage.getItem(k)))
                 .sort((a, b) => (a.events[0].time + a.id).localeCompare(b.events[0].time + b.id))""",
        runbook["id"],
    )


def server_clock(context: Any, when: datetime | Callable[[], datetime]) -> None:
    """The web server's clock, as the page reads it (the ``Date`` of a HEAD request for the page,
    to learn how far the device's clock is off), says ``when`` (a time, or a function giving the
    time of each request): for tests that set the browser's clock, so that the server and the
    browser agree, or disagree by as much as the test wants."""

    def answer(route: Any) -> None:
        if route.request.method != "HEAD":
            route.fallback()
            return
        now = when() if callable(when) else when
        route.fulfill(status=200, headers={"Date": format_datetime(now, usegmt=True)}, body="")

    context.route(re.compile(r".*\.html(\?.*)?$"), answer)


def screenshot_path(name: str) -> Path | None:
    if not SCREENSHOTS:
        return None
    folder = PROJECT / SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
