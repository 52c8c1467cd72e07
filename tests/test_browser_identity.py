"""Runs bind to steps, not to positions: a rebuilt handbook, runs per handbook, in Chromium.

A run names each step it records by id and by fingerprint (what the step said). These
tests build a small handbook written here, work a run, rebuild it with the edits that
move ids and numbers, reload, and check that every tick is on a step with the text that
was ticked, or listed for the responder: never on a step whose text was not ticked. The
ids are whatever the build gives: the tests read them from ``runbooks.json``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from browser_fixtures import build_html, new_context, serve

from sphinx_incident.model.ids import step_fingerprint

from conftest import read_json

pytestmark = pytest.mark.browser

CONF = """
project = "Queue Handbook"
extensions = ["myst_parser", "sphinx_incident"]
incident_runbooks = {declarations!r}
html_theme = "alabaster"
"""

INDEX = """# Queue handbook

```{{toctree}}
{pages}
```
"""

QUEUE = """(queue-restart)=
# Restart the queue

{first}1. **Drain the queue** and wait until it is empty.
1. **Stop the workers** on every node.
{inserted}   - Check the dashboard for the red error rate of the workers.
   - Page the owner of the workers.
1. **{restart}** and watch its log.
1. **Tell the channel** that the queue is back.
"""

CACHE = """(cache-flush)=
# Flush the cache

1. **Announce the flush** in the channel.
1. **Flush the cache** from the console.
"""

DISK = """(disk-full)=
# Disk full

1. **Find the largest folders** on the volume.
1. **Free space** by removing old logs.
"""


def _write(source: Path, version: int) -> dict[str, str]:
    """The handbook as it is before (1) and after (2) the edits; returns the page of each runbook."""
    if source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True)
    if version == 1:
        pages = {"queue-restart": "queue", "cache-flush": "cache"}
        declarations = ["queue-restart", "cache-flush"]
        queue = QUEUE.format(first="", inserted="", restart="Restart the broker")
    else:
        # renamed pages, a runbook added on another page, the declarations in another order
        pages = {"queue-restart": "ops/queue-restart", "cache-flush": "ops/cache", "disk-full": "disk"}
        declarations = ["cache-flush", "disk-full", "queue-restart"]
        queue = QUEUE.format(
            first="1. **Announce the restart** in the channel.\n",  # a first step
            # a sub-step that opens with the same six words as the next one
            inserted="   - Check the dashboard for the red alerts first.\n",
            restart="Restart the message broker",  # a reworded title
        )
        (source / "disk.md").write_text(DISK, "utf-8")
    (source / "conf.py").write_text(CONF.format(declarations=declarations), "utf-8")
    (source / "index.md").write_text(INDEX.format(pages="\n".join(pages.values())), "utf-8")
    for runbook, text in (("queue-restart", queue), ("cache-flush", CACHE)):
        path = source / (pages[runbook] + ".md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return pages


def _steps(step_list: dict[str, Any], runbook: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def visit(steps: list[dict[str, Any]]) -> None:
        for step in steps:
            found.append(step)
            visit(step["substeps"])

    visit(next(r for r in step_list["runbooks"] if r["id"] == runbook)["steps"])
    return found


def _says(step: dict[str, Any]) -> str:
    return step_fingerprint(step["title"], step["text"])


def _box(page: Any, step: dict[str, Any]) -> Any:
    return page.locator(f'input.incident-check-input[data-incident-step="{step["id"]}"]').first


def _find(steps: list[dict[str, Any]], words: str) -> dict[str, Any]:
    [step] = [s for s in steps if (s["title"] or s["text"]).startswith(words)]
    return step


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html.incident-js")


def _edit(page: Any, step: dict[str, Any], who: str = "", note: str = "") -> None:
    page.locator(f'[id="{step["anchor"]}"] .incident-step-edit').first.click()
    page.locator(".incident-step-assignee-input").fill(who)
    page.locator(".incident-step-note-input").fill(note)
    page.locator(".incident-step-save").click()


def _ticked_texts(page: Any, steps: list[dict[str, Any]]) -> set[str]:
    return {_says(step) for step in steps if _box(page, step).is_checked()}


def test_a_rebuild_never_moves_a_tick_to_a_step_that_says_something_else(
    browser: Any, tmp_path: Path
) -> None:
    source, out = tmp_path / "src", tmp_path / "html"
    pages = _write(source, 1)
    build_html(out, "-E", source=source)
    before = read_json(out / "runbooks.json")
    queue, cache = _steps(before, "queue-restart"), _steps(before, "cache-flush")
    with serve(out) as root:
        context = new_context(browser, root)
        try:
            page = context.new_page()
            _open(page, root + pages["queue-restart"] + ".html")
            acted = [_find(queue, w) for w in ("Drain", "Stop", "Check the dashboard", "Restart the broker")]
            for step in acted:
                _box(page, step).check()
            _edit(page, _find(queue, "Tell the channel"), who="Dana")
            _edit(page, _find(queue, "Page the owner"), note="Owner paged at 03:20")
            ticked = {_says(step) for step in acted}
            _open(page, root + pages["cache-flush"] + ".html")
            _box(page, _find(cache, "Flush the cache")).check()

            pages = _write(source, 2)
            build_html(out, "-E", source=source)
            after = read_json(out / "runbooks.json")
            queue, cache = _steps(after, "queue-restart"), _steps(after, "cache-flush")
            assert [s["number"] for s in queue if s["title"] == "Drain the queue"] == ["2"], "numbers moved"

            _open(page, root + pages["queue-restart"] + ".html")
            panel = page.locator('.incident-panel[data-incident-runbook="queue-restart"]')
            on_steps = _ticked_texts(page, queue)
            assert on_steps <= ticked, "a tick on a step whose text was not ticked"
            listed = panel.locator(".incident-changed-item").all_inner_texts()
            missing = ticked - on_steps
            # each tick is on the step with the same text, or its step is listed
            assert len(listed) >= len(missing), (listed, missing)
            restart = ("Restart the broker", "restart-the-broker")
            assert any(name in item for item in listed for name in restart), listed
            assert not any(_says(s) == _says(_find(queue, "Restart the message broker")) for s in acted)
            # the assignment and the note are on the steps that say what they said
            tell, owner = _find(queue, "Tell the channel"), _find(queue, "Page the owner")
            assert page.locator(f'[id="{tell["anchor"]}"] .incident-step-assignee').first.inner_text() == (
                "Assigned to Dana"
            )
            assert page.locator(f'[id="{owner["anchor"]}"] .incident-step-note').first.inner_text() == (
                "Note: Owner paged at 03:20"
            )
            # the responder keeps what can be kept: still only on steps with the text ticked
            keep_all = panel.locator("button.incident-changed-keep-all")
            if keep_all.is_visible():
                keep_all.click()
            else:
                for button in panel.locator("button.incident-changed-keep").all():
                    button.click()
            kept = _ticked_texts(page, queue)
            assert kept <= ticked
            assert kept == ticked - {_says(s) for s in acted if s["title"] == "Restart the broker"}
            for item in panel.locator(".incident-changed-item").all():
                item.locator("button.incident-changed-drop").click()
            assert not panel.locator(".incident-changed").is_visible()
            page.reload()
            page.wait_for_selector("html.incident-js")
            assert _ticked_texts(page, queue) == kept

            # the other runbook's page was renamed; its tick is where it was
            _open(page, root + pages["cache-flush"] + ".html")
            assert _ticked_texts(page, cache) == {_says(_find(cache, "Flush the cache"))}
            cache_panel = page.locator('.incident-panel[data-incident-runbook="cache-flush"]')
            assert not cache_panel.locator(".incident-changed").is_visible()
        finally:
            context.close()


def test_two_handbooks_on_one_origin_or_on_disk_keep_their_own_runs(browser: Any, tmp_path: Path) -> None:
    source, served = tmp_path / "src", tmp_path / "served"
    pages = _write(source, 1)
    for name in ("a", "b"):
        build_html(served / name, source=source)
    copy = shutil.copytree(served / "a", tmp_path / "copy-of-a")
    steps = _steps(read_json(served / "a" / "runbooks.json"), "queue-restart")
    drain, stop = _find(steps, "Drain"), _find(steps, "Stop")
    path = pages["queue-restart"] + ".html"
    with serve(served) as root:
        context = new_context(browser, root)
        try:
            page = context.new_page()
            _open(page, f"{root}a/{path}")
            _box(page, drain).check()
            _open(page, f"{root}b/{path}")
            assert not _box(page, drain).is_checked(), "another handbook on the same origin"
            _box(page, stop).check()
            _open(page, f"{root}a/{path}")
            assert _box(page, drain).is_checked() and not _box(page, stop).is_checked()
            # two copies opened from disk: one origin for every file, but two roots
            _open(page, (served / "a" / path).as_uri())
            _box(page, stop).check()
            _open(page, (copy / path).as_uri())
            assert not _box(page, stop).is_checked()
            _open(page, (served / "a" / path).as_uri())
            assert _box(page, stop).is_checked() and not _box(page, drain).is_checked()
        finally:
            context.close()
