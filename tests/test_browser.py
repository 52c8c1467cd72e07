"""The rendered runbooks in a real Chromium: ticks persist, reset asks for undo, Copy matches the export.

Fixtures (the handbook built and served on 127.0.0.1, Chromium, axe-core) are
in ``browser_fixtures.py``; with ``SPHINX_INCIDENT_SCREENSHOTS=docs`` the tests
also write the README's screenshots there.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_fixtures import (
    SOURCE,
    box_of,
    build_html,
    open_runbook,
    page_url,
    panel_of,
    screenshot_path,
    server_clock,
    stored_runs,
)

from sphinx_incident.commands.cli import main

from conftest import read_json

pytestmark = pytest.mark.browser
#: when the screenshots' runs happen: the pictures change only when the page does
SHOT_TIME = datetime(2026, 1, 31, 3, 12, 9, tzinfo=UTC)


def _total(runbook: dict[str, Any]) -> int:
    def count(steps: list[dict[str, Any]]) -> int:
        return sum(1 + count(s["substeps"]) for s in steps)

    return count(runbook["steps"])


def _tick_two(page: Any, runbook: dict[str, Any]) -> list[str]:
    chosen = [runbook["steps"][0]["id"], runbook["steps"][1]["id"]]
    for step_id in chosen:
        box_of(page, runbook, step_id).check()
    return chosen


def test_ticks_survive_a_reload_and_a_reset_can_be_undone(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    total = _total(runbook)
    progress = panel.locator(".incident-progress-text")
    assert progress.inner_text() == f"0 of {total} done"
    assert panel.locator("button.incident-reset").is_disabled()
    chosen = _tick_two(page, runbook)
    page.reload()
    page.wait_for_selector("html.incident-js")
    for step_id in chosen:
        assert box_of(page, runbook, step_id).is_checked()
    assert not box_of(page, runbook, runbook["steps"][2]["id"]).is_checked()
    assert progress.inner_text() == f"2 of {total} done"
    assert panel.locator("progress").evaluate("p => p.value") == 2
    [run] = stored_runs(page, runbook)
    ticks = [e for e in run["events"] if e["type"] == "tick"]
    assert [e["step"] for e in ticks] == chosen
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["time"]) for e in run["events"])

    panel.locator("button.incident-reset").click()
    assert progress.inner_text() == f"0 of {total} done"
    assert panel.locator(".incident-status").inner_text() == "Cleared every tick of this run."
    undo = panel.locator("button.incident-undo")
    assert undo.is_visible()
    undo.click()
    assert progress.inner_text() == f"2 of {total} done"
    assert not undo.is_visible()
    page.reload()
    page.wait_for_selector("html.incident-js")
    for step_id in chosen:
        assert box_of(page, runbook, step_id).is_checked()
    # the undo is an event of the run: it takes that reset back, in every copy of the run
    events = stored_runs(page, runbook)[0]["events"]
    assert [e["type"] for e in events] == ["start", "tick", "tick", "reset", "undo"]
    assert events[4]["value"] == events[3]["id"]

    # a reset that is not undone stays, and is on the run's timeline
    panel.locator("button.incident-reset").click()
    page.reload()
    page.wait_for_selector("html.incident-js")
    assert progress.inner_text() == f"0 of {total} done"
    assert [e["type"] for e in stored_runs(page, runbook)[0]["events"]][-1] == "reset"


def test_undo_is_gone_once_something_else_happens(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    _tick_two(page, runbook)
    panel.locator("button.incident-reset").click()
    box_of(page, runbook, runbook["steps"][2]["id"]).check()
    assert not panel.locator("button.incident-undo").is_visible()
    assert [e["type"] for e in stored_runs(page, runbook)[0]["events"]][-2:] == ["reset", "tick"]


def test_keyboard_ticks_a_step_and_keeps_the_focus(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    open_runbook(page, site, runbook)
    box = box_of(page, runbook, runbook["steps"][0]["id"])
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    # the first tick started a run; the focus is still on the box
    assert box.evaluate("b => b === document.activeElement")
    assert panel_of(page, runbook).locator(".incident-status").inner_text().startswith("Started the run")
    page.keyboard.press("Space")
    assert not box.is_checked()


def test_a_handbook_opened_from_disk_works(page: Any, site: dict[str, Any], runbook: dict[str, Any]) -> None:
    """Handbooks are opened from file:// too, where Chromium refuses ``<script type="module">``
    (CORS, origin "null"): the page's scripts are classic ones, and every one of them loads."""
    failed: list[str] = []
    page.on("console", lambda message: failed.append(message.text) if message.type == "error" else None)
    path = runbook["url"].split("#")[0]
    if site["step_list"]["base_url"]:
        path = path[len(site["step_list"]["base_url"]) :].lstrip("/")
    url = (site["outdir"] / path).as_uri()
    assert url.startswith("file:///")
    page.goto(url)
    page.wait_for_selector("html.incident-js")
    assert page.locator("script[type=module]").count() == 0
    first = runbook["steps"][0]["id"]
    box_of(page, runbook, first).check()
    page.reload()
    page.wait_for_selector("html.incident-js")
    assert box_of(page, runbook, first).is_checked()
    assert panel_of(page, runbook).locator(".incident-progress-text").inner_text().startswith("1 of ")
    [run] = stored_runs(page, runbook)
    assert [e["type"] for e in run["events"]] == ["start", "tick"]
    assert failed == []


def test_copy_matches_the_export_and_carries_the_timeline(
    page: Any, site: dict[str, Any], runbook: dict[str, Any], step_list: dict[str, Any], capsys: Any
) -> None:
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    panel.locator("button.incident-copy").click()  # no run yet: the plain checklist
    page.wait_for_function("() => document.querySelector('.incident-copy-buffer') !== null")
    plain = panel.locator("textarea.incident-copy-buffer").input_value()
    chosen = _tick_two(page, runbook)
    panel.locator("button.incident-copy").click()
    page.wait_for_function(
        "() => document.querySelector('.incident-status').textContent.startsWith('Copied')"
    )
    copied = panel.locator("textarea.incident-copy-buffer").input_value()
    with contextlib.suppress(Exception):
        assert page.evaluate("() => navigator.clipboard.readText()") == copied

    base = [] if step_list["base_url"] else ["--base-url", site["root"]]
    capsys.readouterr()
    assert main(["export", str(SOURCE), "--runbook", runbook["id"], "--format", "markdown", *base]) == 0
    exported = capsys.readouterr().out
    assert plain == exported

    checklist, timeline = copied.split("\n## Timeline: ", 1)
    ticked = [line for line in checklist.splitlines() if "- [x] " in line]
    assert len(ticked) == len(chosen)
    assert all(re.search(r" \(done \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$", line) for line in ticked)
    untimed = re.sub(r" \(done [^)]*\)$", "", checklist, flags=re.M).replace("- [x] ", "- [ ] ")
    assert untimed == exported
    rows = [line for line in timeline.splitlines() if line.startswith("| 2")]
    assert [row.split(" | ")[3] for row in rows] == ["Run started", "Done", "Done"]


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
            absolute = page_url(site, url)
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


def test_without_javascript_the_page_is_the_numbered_prose(
    browser: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(page_url(site, runbook["url"].split("#")[0]))
        assert not page.locator("input.incident-check-input").first.is_visible()
        assert not page.locator(".incident-panel-live").first.is_visible()
        assert not page.locator("button.incident-run-new").first.is_visible()
        assert page.locator(".incident-step-meta").count() == 0
        assert page.locator(f"#{runbook['steps'][0]['anchor']}").is_visible()
        page.emulate_media(media="print")
        assert page.locator("input.incident-check-input").first.is_visible()
        assert not page.locator("button.incident-copy").first.is_visible()
    finally:
        context.close()


def test_dark_furo_theme_renders_the_panel(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "furo"
    build_html(out, "-D", "html_theme=furo")
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


def test_desktop_screenshot_with_a_run_in_progress(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    """The README's desktop picture: a run with ticks, an assignment and a note, at a set time."""
    page.clock.set_fixed_time(SHOT_TIME)
    server_clock(page.context, SHOT_TIME)
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    panel.locator("input.incident-responder-name").fill("Kim")
    panel.locator("button.incident-responder-save").click()
    panel.locator("button.incident-run-new").click()
    panel.locator("input.incident-run-name").fill("Hub outage, EU region")
    panel.locator(".incident-run-form button[type=submit]").click()
    _tick_two(page, runbook)
    second = runbook["steps"][1]
    page.locator(f"#{second['anchor']} .incident-step-edit").first.click()
    page.locator(".incident-step-assignee-input").fill("Dana (on call)")
    page.locator(".incident-step-note-input").fill("Incident channel: #inc-hub-eu")
    page.locator(".incident-step-save").click()
    assert panel.locator(".incident-run-select option:checked").inner_text() == "Hub outage, EU region"
    assert page.locator(f"#{second['anchor']} .incident-step-assignee").first.inner_text() == (
        "Assigned to Dana (on call)"
    )
    path = screenshot_path("screenshot-runbook.png")
    if path:
        panel.locator(".incident-run-tools summary").click()
        page.evaluate("() => window.scrollTo(0, 0)")
        panel.scroll_into_view_if_needed()
        page.set_viewport_size({"width": 1100, "height": 1100})
        page.screenshot(path=str(path))
