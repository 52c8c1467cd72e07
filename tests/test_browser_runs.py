"""Incident runs in a real Chromium: several runs, assignments and notes, hand-off, the timeline.

Every run is kept in localStorage as events; these tests work the page as an
on-call engineer would (clicks, keyboard, downloads, a second browser profile
for the hand-off) and check what the page shows against what it stored, and
what it stored against ``sphinx_incident/rendering/schema/incident-run.schema.json``.
"""

from __future__ import annotations

import base64
import copy
import csv
import io
import json
import re
import unicodedata
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from browser_fixtures import (
    all_steps,
    box_of,
    new_context,
    open_runbook,
    panel_of,
    server_clock,
    stored_runs,
)

from sphinx_incident.model.ids import step_fingerprint

pytestmark = pytest.mark.browser

SCHEMA = json.loads(
    (
        Path(__file__).parent.parent / "sphinx_incident" / "rendering" / "schema" / "incident-run.schema.json"
    ).read_text()
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
# the part of the schema that bounds an open run's length, checked without reading every event
OPEN_RUN_LIMIT = jsonschema.Draft202012Validator(SCHEMA["else"])
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _start_run(panel: Any, name: str) -> None:
    panel.locator("button.incident-run-new").click()
    field = panel.locator("input.incident-run-name")
    assert _focused(field)
    assert re.fullmatch(r".+ — \d{4}-\d\d-\d\d \d\d:\d\d UTC", field.input_value()), "the default name"
    field.fill(name)
    field.press("Enter")


def _focused(locator: Any) -> bool:
    return locator.evaluate("node => node === document.activeElement")  # type: ignore[no-any-return]


def _select(panel: Any) -> Any:
    return panel.locator("select.incident-run-select")


def _edit(page: Any, step: dict[str, Any], who: str | None = None, note: str | None = None) -> None:
    page.locator(f"#{step['anchor']} .incident-step-edit").first.click()
    if who is not None:
        page.locator(".incident-step-assignee-input").fill(who)
    if note is not None:
        page.locator(".incident-step-note-input").fill(note)
    page.locator(".incident-step-save").click()


def _labels(runbook: dict[str, Any]) -> dict[str, str]:
    return {
        s["id"]: (f"{s['number']}. " if s["number"] else "") + s["title"]
        for s in all_steps(runbook)
        if s["title"]
    }


def test_two_runs_keep_their_own_ticks_and_the_panel_switches_between_them(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    first, second, third = (s["id"] for s in runbook["steps"][:3])
    assert panel.locator(".incident-run-none").is_visible()
    assert not panel.locator(".incident-run-tools").is_visible(), "the run tools wait for a run"
    _start_run(panel, "Database outage")
    assert _focused(_select(panel))
    box_of(page, runbook, first).check()
    _start_run(panel, "Certificate expired")
    assert panel.locator(".incident-progress-text").inner_text().startswith("0 of ")
    box_of(page, runbook, second).check()
    box_of(page, runbook, third).check()
    assert [o.strip() for o in _select(panel).locator("option").all_inner_texts()] == [
        "Database outage",
        "Certificate expired",
    ]
    assert [r["name"] for r in stored_runs(page, runbook)] == ["Database outage", "Certificate expired"]
    assert _select(panel).input_value() == stored_runs(page, runbook)[1]["id"]

    _select(panel).select_option(label="Database outage")
    assert panel.locator(".incident-status").inner_text() == "Switched to the run “Database outage”."
    assert box_of(page, runbook, first).is_checked()
    assert not box_of(page, runbook, second).is_checked()
    assert panel.locator(".incident-progress-text").inner_text().startswith("1 of ")

    page.reload()  # the active run is remembered
    page.wait_for_selector("html.incident-js")
    assert _select(panel).locator("option:checked").inner_text() == "Database outage"
    assert box_of(page, runbook, first).is_checked()
    _select(panel).select_option(label="Certificate expired")
    assert [box_of(page, runbook, s).is_checked() for s in (first, second, third)] == [False, True, True]
    runs = stored_runs(page, runbook)
    assert [r["name"] for r in runs] == ["Database outage", "Certificate expired"]
    for run in runs:
        VALIDATOR.validate(run)


def test_assignments_and_notes_are_shown_as_text_and_kept_in_the_run(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    step = runbook["steps"][0]
    assert (
        page.locator(f"#{step['anchor']} .incident-step-edit").count() == 0
        or not page.locator(f"#{step['anchor']} .incident-step-edit").first.is_visible()
    ), "assignments wait for a run"
    _start_run(panel, "Hub down")
    hostile = '<img src=x onerror="document.title=1">'
    _edit(page, step, who="Alice " + hostile, note="Paged the database team\nsecond line")
    item = page.locator(f"#{step['anchor']}")
    assert item.locator(".incident-step-assignee").first.inner_text() == "Assigned to Alice " + hostile
    assert (
        item.locator(".incident-step-note").first.inner_text() == "Note: Paged the database team\nsecond line"
    )
    assert page.locator("img[src=x]").count() == 0
    assert panel.locator(".incident-status").inner_text() == "Saved."
    edit = item.locator(".incident-step-edit").first
    assert _focused(edit), "the focus returns to the step's button"
    assert edit.inner_text() == "Edit assignment or note"

    # by keyboard: open, change the assignee, Enter saves; Escape cancels
    page.keyboard.press("Enter")
    assignee = page.locator(".incident-step-assignee-input")
    assert _focused(assignee) and assignee.input_value() == "Alice " + hostile
    assignee.fill("Bob")
    page.keyboard.press("Enter")
    assert item.locator(".incident-step-assignee").first.inner_text() == "Assigned to Bob"
    page.keyboard.press("Enter")
    page.keyboard.type("ignored")
    page.keyboard.press("Escape")
    assert page.locator(".incident-step-form").count() == 0
    assert item.locator(".incident-step-assignee").first.inner_text() == "Assigned to Bob"

    page.reload()
    page.wait_for_selector("html.incident-js")
    assert item.locator(".incident-step-assignee").first.inner_text() == "Assigned to Bob"
    [run] = stored_runs(page, runbook)
    assert [(e["type"], e["step"], e["value"]) for e in run["events"][1:]] == [
        ("assign", step["id"], "Alice " + hostile),
        ("note", step["id"], "Paged the database team\nsecond line"),
        ("assign", step["id"], "Bob"),
    ]


def test_an_ended_run_is_read_only_and_deleting_asks_first(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    first = runbook["steps"][0]
    _start_run(panel, "Short incident")
    box_of(page, runbook, first["id"]).check()
    panel.locator(".incident-run-tools summary").click()
    panel.locator("button.incident-run-end").click()
    assert box_of(page, runbook, first["id"]).is_disabled()
    assert box_of(page, runbook, first["id"]).is_checked()
    assert not page.locator(f"#{first['anchor']} .incident-step-edit").first.is_visible()
    assert panel.locator(".incident-run-info").inner_text().startswith("Ended ")
    assert _select(panel).locator("option:checked").inner_text() == "Short incident (ended)"
    # ending can be undone
    panel.locator("button.incident-undo").click()
    assert not box_of(page, runbook, first["id"]).is_disabled()
    panel.locator("button.incident-run-end").click()

    page.once("dialog", lambda dialog: dialog.dismiss())
    panel.locator("button.incident-run-delete").click()
    assert panel.locator(".incident-status").inner_text() == "The run was kept."
    assert len(stored_runs(page, runbook)) == 1
    questions: list[str] = []

    def accept(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    panel.locator("button.incident-run-delete").click()
    assert questions and "Short incident" in questions[0] and "cannot be undone" in questions[0]
    assert stored_runs(page, runbook) == []
    assert not box_of(page, runbook, first["id"]).is_checked()
    assert panel.locator(".incident-run-none").is_visible()


def test_runs_of_earlier_versions_move_to_the_handbook_and_wait_for_the_responder(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    """Ticks of the version before runs, and version 1 runs kept per runbook id, move once to
    the handbook's own keys; saved without what their steps said, they are listed, not ticked."""
    first, second, third = (s["id"] for s in runbook["steps"][:3])
    open_runbook(page, site, runbook)
    legacy = {second: "2026-01-31T03:14:00Z", first: "2026-01-31T03:12:09Z", "gone-step": "not a time"}
    version_1 = {
        "format": "sphinx-incident-run",
        "version": 1,
        "runbook": runbook["id"],
        "id": "20260130T080000Z-old",
        "name": "Yesterday's run",
        "events": [
            {"time": "2026-01-30T08:00:00Z", "type": "start", "step": None, "value": None},
            {"time": "2026-01-30T08:01:00Z", "type": "tick", "step": third, "value": None},
            {"time": "2026-01-30T08:02:00Z", "type": "assign", "step": "no-such-step", "value": "Dana"},
        ],
    }
    page.evaluate(
        "entries => entries.forEach(([key, value]) => localStorage.setItem(key, value))",
        [
            [f"sphinx-incident:{runbook['id']}", json.dumps(legacy)],
            [f"sphinx-incident:{runbook['id']}:run:{version_1['id']}", json.dumps(version_1)],
        ],
    )
    page.reload()
    page.wait_for_selector("html.incident-js")
    panel = panel_of(page, runbook)
    old_keys = page.evaluate(
        "id => Object.keys(localStorage).filter(k => k.startsWith('sphinx-incident:' + id))", runbook["id"]
    )
    assert old_keys == [], "the old keys are gone once their runs moved"
    runs = stored_runs(page, runbook)
    assert [r["name"] for r in runs] == ["Yesterday's run", f"{runbook['title']} — 2026-01-31 03:12 UTC"]
    for run in runs:
        VALIDATOR.validate(run)
        assert all(e.get("fingerprint") is None for e in run["events"])
    ticks = runs[1]
    assert [(e["time"], e["type"], e.get("step")) for e in ticks["events"]] == [
        ("2026-01-31T03:12:09Z", "start", None),
        ("2026-01-31T03:12:09Z", "tick", first),
        ("2026-01-31T03:14:00Z", "tick", second),
    ]
    # the migrated ticks are the active run; nothing is ticked until the responder says so
    assert _select(panel).input_value() == ticks["id"]
    assert not box_of(page, runbook, first).is_checked() and not box_of(page, runbook, second).is_checked()
    changed = panel.locator(".incident-changed")
    assert changed.is_visible()
    items = changed.locator(".incident-changed-item").all_inner_texts()
    assert len(items) == 2 and all("recorded by an earlier version" in item for item in items)
    changed.locator("button.incident-changed-keep-all").click()
    assert box_of(page, runbook, first).is_checked() and box_of(page, runbook, second).is_checked()
    assert not changed.is_visible()
    assert [e["type"] for e in stored_runs(page, runbook)[1]["events"]][-2:] == ["rebind", "rebind"]

    # the version 1 run: its step is kept, the one that is gone dropped; both stay on the timeline
    _select(panel).select_option(label="Yesterday's run")
    assert not box_of(page, runbook, third).is_checked()
    items = changed.locator(".incident-changed-item")
    assert items.count() == 2
    gone = items.filter(has_text="no-such-step")
    assert "is no longer in the runbook: assigned to Dana." in gone.inner_text()
    assert gone.locator("button.incident-changed-keep").count() == 0, "nothing to keep it on"
    gone.locator("button.incident-changed-drop").click()
    assert changed.locator(".incident-changed-item").count() == 1
    assert _focused(changed.locator("button.incident-changed-keep")), "the focus goes to the next decision"
    changed.locator("button.incident-changed-keep").click()
    assert box_of(page, runbook, third).is_checked()
    page.reload()
    page.wait_for_selector("html.incident-js")
    assert box_of(page, runbook, third).is_checked()
    assert not changed.is_visible()
    panel.locator(".incident-run-tools summary").click()
    panel.locator("ol.incident-timeline > li").first.wait_for()  # filled once the tools open
    assert len(panel.locator("ol.incident-timeline > li").all_inner_texts()) == 5


def test_a_run_file_moves_to_a_fresh_browser(
    browser: Any, page: Any, site: dict[str, Any], runbook: dict[str, Any], tmp_path: Path
) -> None:
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    first, second = runbook["steps"][0], runbook["steps"][1]
    _start_run(panel, "Hand me over")
    box_of(page, runbook, first["id"]).check()
    _edit(page, second, who="Dana", note="Waiting for the vendor")
    panel.locator(".incident-run-tools summary").click()
    with page.expect_download() as info:
        panel.locator("button.incident-run-download").click()
    download = info.value
    assert re.fullmatch(rf"{re.escape(runbook['id'])}-[A-Za-z0-9_-]+\.json", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    exported = json.loads(saved.read_text("utf-8"))
    VALIDATOR.validate(exported)
    assert exported == stored_runs(page, runbook)[0]

    context = new_context(browser, site["root"])
    try:
        other = context.new_page()
        open_runbook(other, site, runbook)
        other_panel = panel_of(other, runbook)
        with other.expect_file_chooser() as chooser:
            other_panel.locator("button.incident-run-import").click()
        chooser.value.set_files(str(saved))
        summary = other_panel.locator(".incident-import-summary")
        summary.wait_for()
        assert summary.inner_text().startswith("Import the run “Hand me over”, started ")
        assert (
            "1 of " in summary.inner_text() and "1 assigned, 1 with notes, 4 events" in summary.inner_text()
        )
        assert stored_runs(other, runbook) == [], "nothing is saved before the import is confirmed"
        assert _focused(other_panel.locator("button.incident-import-accept"))
        other_panel.locator("button.incident-import-accept").click()
        assert box_of(other, runbook, first["id"]).is_checked()
        assert other.locator(f"#{second['anchor']} .incident-step-assignee").first.inner_text() == (
            "Assigned to Dana"
        )
        [imported] = stored_runs(other, runbook)
        VALIDATOR.validate(imported)
        assert imported["events"][:-1] == exported["events"]
        assert imported["events"][-1]["type"] == "handoff" and imported["events"][-1]["value"] == "file"
        assert imported["id"] == exported["id"] and imported["name"] == "Hand me over"
    finally:
        context.close()


def test_a_hand_off_link_restores_the_run_in_a_fresh_browser(
    browser: Any, page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    _start_run(panel, "Linked run ✓ — ünïcode")
    box_of(page, runbook, runbook["steps"][0]["id"]).check()
    _edit(page, runbook["steps"][0], note="x" * 1500)  # compressible
    panel.locator(".incident-run-tools summary").click()
    panel.locator("button.incident-run-link").click()
    page.wait_for_function("() => document.querySelector('.incident-handoff-link').value !== ''")
    link = panel.locator("input.incident-handoff-link").input_value()
    assert link.startswith(page.url.split("#")[0] + "#incident-run=d.")
    assert len(link) < 1000, "the link is compressed"
    assert "Copied the hand-off link" in panel.locator(".incident-status").inner_text()
    original = stored_runs(page, runbook)[0]

    context = new_context(browser, site["root"])
    try:
        other = context.new_page()
        other.goto(link)
        other_panel = panel_of(other, runbook)
        other_panel.locator(".incident-import-summary").wait_for()
        assert "Linked run ✓ — ünïcode" in other_panel.locator(".incident-import-summary").inner_text()
        other_panel.locator("button.incident-import-accept").click()
        assert "#" not in other.url, "the fragment is dropped once read"
        [restored] = stored_runs(other, runbook)
        assert restored["events"][:-1] == original["events"]
        assert restored["events"][-1]["value"] == "link"
        other.reload()
        other.wait_for_selector("html.incident-js")
        assert not other_panel.locator(".incident-import").is_visible()
    finally:
        context.close()


def _event(hhmmss: str, kind: str, seq: int, **fields: Any) -> dict[str, Any]:
    """An event as stored, recorded at ``hhmmss`` UTC: fields at their default left out."""
    return {"id": f"e{seq:04d}", "time": f"2026-01-31T{hhmmss}Z", "type": kind, "seq": seq, **fields}


VALID = {
    "format": "sphinx-incident-run",
    "version": 3,
    "runbook": "RUNBOOK",
    "id": "20260131T031209Z-abc",
    "name": "Imported run",
    "events": [
        _event("03:12:09", "start", 1, author="Dana"),
        _event("03:13:00", "tick", 2, step="STEP", fingerprint="0123456789ab", author="Dana", offset=-600),
        _event("03:14:00", "assign", 3, step="STEP", value="Alice"),
        _event(
            "03:15:00", "note", 4, step="STEP", fingerprint="0123456789ab", value="two\nlines", prev=["e0003"]
        ),
        _event(
            "03:15:30",
            "rebind",
            5,
            step="STEP",
            fingerprint="ba9876543210",
            value={"step": "STEP", "fingerprint": None},
        ),
        _event("03:15:40", "role", 6, role="Incident Commander", value="Dana"),
        _event("03:15:50", "milestone", 7, value="detected", at="2026-01-31T03:00:00Z"),
        _event("03:15:55", "entry", 8, value="Vendor called"),
        _event("03:16:00", "end", 9),
    ],
}


def _set(path: str, value: Any) -> Any:
    def mutate(data: Any) -> Any:
        target = data
        keys = path.split(".")
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        last = keys[-1]
        if value is _DELETE:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
        return data

    return mutate


_DELETE = object()
START = _event("03:12:09", "start", 1)
#: (what, change): the page accepts exactly what the schema accepts
CASES = [
    ("valid", lambda d: d),
    ("valid, step named __proto__", _set("events.1.step", "__proto__")),
    ("valid, markup in the name", _set("name", '<img src=x onerror="document.title=1">')),
    ("valid, no end", lambda d: {**d, "events": d["events"][:-1]}),
    ("valid, defaults given as null", _set("events.1.offset", None)),
    ("valid, an author given as null", _set("events.2.author", None)),
    ("another format", _set("format", "something-else")),
    ("a newer version", _set("version", 4)),
    ("version as text", _set("version", "3")),
    ("an extra field", _set("script", "alert(1)")),
    ("no name", _set("name", _DELETE)),
    ("an empty name", _set("name", "")),
    ("a name on two lines", _set("name", "one\ntwo")),
    ("a name too long", _set("name", "n" * 201)),
    ("a run id with a slash", _set("id", "../../etc")),
    ("a run id with a newline", _set("id", "abc\n")),
    ("no events", _set("events", [])),
    ("events as an object", _set("events", {"0": START})),
    ("first event is a tick", lambda d: {**d, "events": d["events"][1:]}),
    ("two starts", lambda d: {**d, "events": [START, *d["events"]]}),
    ("an event without id", _set("events.1.id", _DELETE)),
    ("an event id with a space", _set("events.1.id", "e 01")),
    ("an event id too short", _set("events.1.id", "e01")),
    ("no sequence number", _set("events.1.seq", _DELETE)),
    ("a sequence number of 0", _set("events.1.seq", 0)),
    ("a sequence number as text", _set("events.1.seq", "2")),
    ("an empty author", _set("events.1.author", "")),
    ("an author on two lines", _set("events.1.author", "Da\nna")),
    ("an offset in fractions", _set("events.1.offset", 1.5)),
    ("an offset of centuries", _set("events.1.offset", 10**10)),
    ("a tick without a step", _set("events.1.step", None)),
    ("a tick with a value", _set("events.1.value", "x")),
    ("a tick that replaces others", _set("events.1.prev", ["e0002"])),
    ("a step id with a space", _set("events.1.step", "a b")),
    ("a step id with a quote", _set("events.1.step", 'a"b')),
    ("a runbook id with markup", _set("runbook", "<b>")),
    ("a fingerprint in capitals", _set("events.1.fingerprint", "0123456789AB")),
    ("a fingerprint too short", _set("events.1.fingerprint", "0123456789a")),
    ("a fingerprint on a start", _set("events.0.fingerprint", "0123456789ab")),
    ("a rebind to no step, with a fingerprint", _set("events.4.step", None)),
    ("a rebind to a step, without a fingerprint", _set("events.4.fingerprint", None)),
    (
        "a rebind to no step",
        lambda d: _set("events.4.fingerprint", _DELETE)(_set("events.4.step", _DELETE)(d)),
    ),
    ("a rebind from a step named by text", _set("events.4.value", "STEP")),
    ("a rebind with more", _set("events.4.value.more", 1)),
    ("an assignee with a control character", _set("events.2.value", "Al\u0007ice")),
    ("an assignee as an object", _set("events.2.value", {"name": "Alice"})),
    ("an assignee on two lines", _set("events.2.value", "Al\nice")),
    ("an assignee too long", _set("events.2.value", "a" * 201)),
    ("an assignment without value", _set("events.2.value", _DELETE)),
    ("a note too long", _set("events.3.value", "a" * 2001)),
    ("a note of 2000 emoji", _set("events.3.value", "🔥" * 2000)),
    ("a note replacing an event twice", _set("events.3.prev", ["e0003", "e0003"])),
    ("a note replacing 17 events", _set("events.3.prev", [f"e{n:04d}" for n in range(17)])),
    ("a role without a name", _set("events.5.role", _DELETE)),
    ("a role named by nothing", _set("events.5.role", "")),
    ("an unknown milestone", _set("events.6.value", "fixed")),
    ("a milestone at a local time", _set("events.6.at", "2026-01-31T04:00:00+01:00")),
    ("a cleared milestone", _set("events.6.at", _DELETE)),
    ("an entry with a control character", _set("events.7.value", "a\u0000")),
    ("an unknown event", _set("events.1.type", "delete")),
    ("a local time", _set("events.1.time", "2026-01-31T04:13:00+01:00")),
    ("a time with a newline", _set("events.1.time", "2026-01-31T03:13:00Z\n")),
    ("a time as a number", _set("events.1.time", 1769829180)),
    (
        "a hand-off by mail",
        lambda d: {**d, "events": [START, _event("03:13:00", "handoff", 2, value="mail")]},
    ),
    ("an extra event field", _set("events.1.html", "<b>")),
    ("an array", lambda d: [d]),
    ("null", lambda d: None),
]


def _import(page: Any, panel: Any, data: bytes) -> str:
    """Give the page a run file; returns "preview" or the refusal message."""
    page.evaluate("() => { document.querySelector('.incident-status').textContent = ''; }")
    panel.locator("input.incident-run-file").set_input_files(
        files=[{"name": "run.json", "mimeType": "application/json", "buffer": data}]
    )
    page.wait_for_function(
        """() => !document.querySelector('.incident-import').hidden
                 || document.querySelector('.incident-status').textContent !== ''"""
    )
    if panel.locator(".incident-import").is_visible():
        panel.locator("button.incident-import-cancel").click()
        return "preview"
    return panel.locator(".incident-status").inner_text()  # type: ignore[no-any-return]


def test_the_page_accepts_exactly_the_runs_the_schema_accepts(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    valid = json.loads(
        json.dumps(VALID).replace("RUNBOOK", runbook["id"]).replace("STEP", runbook["steps"][0]["id"])
    )
    outcomes = {}
    for what, change in CASES:
        data = change(copy.deepcopy(valid))
        schema_ok = VALIDATOR.is_valid(data)
        outcome = _import(page, panel, json.dumps(data).encode())
        assert (outcome == "preview") == schema_ok, f"{what}: schema says {schema_ok}, the page {outcome!r}"
        if not schema_ok:
            assert outcome.startswith("Nothing was imported: "), what
        outcomes[what] = outcome
    assert (
        outcomes["a newer version"]
        == "Nothing was imported: it was saved by a newer version of sphinx-incident."
    )
    assert page.locator("img[src=x]").count() == 0 and page.title() != "1"
    assert stored_runs(page, runbook) == [], "a cancelled or refused import stores nothing"

    # what only the page can tell: the runbook, and the order and the ids of the events
    foreign = {**valid, "runbook": "another-runbook"}
    unordered = {
        **valid,
        "events": [*valid["events"][:2], valid["events"][3], valid["events"][2], *valid["events"][4:]],
    }
    twice = {**valid, "events": [*valid["events"], {**valid["events"][1], "seq": 10}]}
    assert VALIDATOR.is_valid(foreign) and VALIDATOR.is_valid(unordered) and VALIDATOR.is_valid(twice)
    assert _import(page, panel, json.dumps(foreign).encode()) == (
        "Nothing was imported: it is a run of another runbook."
    )
    assert _import(page, panel, json.dumps(unordered).encode()) == (
        "Nothing was imported: its events are not in order."
    )
    assert _import(page, panel, json.dumps(twice).encode()) == (
        "Nothing was imported: two of its events have one id."
    )
    assert _import(page, panel, b"{not json") == "Nothing was imported: it is not JSON."
    # runs of version 1, saved before fingerprints and event ids, are read too
    version_1 = copy.deepcopy(valid)
    version_1["version"] = 1
    version_1["events"] = [
        {"time": e["time"], "type": e["type"], "step": e.get("step"), "value": e.get("value")}
        for e in valid["events"]
        if e["type"] in ("start", "tick", "assign", "note", "end")
    ]
    assert _import(page, panel, json.dumps(version_1).encode()) == "preview"
    version_1["events"][1]["fingerprint"] = None
    assert _import(page, panel, json.dumps(version_1).encode()) == (
        "Nothing was imported: its format version is not supported."
    )
    assert _import(page, panel, b"\xff\xfe" + b"x" * 10) == "Nothing was imported: it is not JSON."


def test_the_import_preview_counts_only_the_steps_of_this_runbook(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    """Ticks on steps the runbook does not have (``__proto__``, a step since removed) are not
    "steps done": the preview counts what lands on this build's steps, and says what does not."""
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    first = runbook["steps"][0]
    fingerprint = step_fingerprint(first["title"], first["text"])
    data = json.loads(json.dumps(VALID).replace("RUNBOOK", runbook["id"]))
    data["events"] = [
        data["events"][0],
        _event("03:13:00", "tick", 2, step="__proto__"),
        _event("03:13:00", "tick", 3, step="constructor", fingerprint="0123456789ab"),
        _event("03:13:00", "tick", 4, step=first["id"], fingerprint=fingerprint),
        # it said something else
        _event("03:13:00", "tick", 5, step=runbook["steps"][1]["id"], fingerprint="0123456789ab"),
    ]
    VALIDATOR.validate(data)
    panel.locator("input.incident-run-file").set_input_files(
        files=[{"name": "run.json", "mimeType": "application/json", "buffer": json.dumps(data).encode()}]
    )
    summary = panel.locator(".incident-import-summary")
    summary.wait_for()
    total = len(all_steps(runbook))
    assert f"1 of {total} steps done, 0 assigned, 0 with notes, 5 events." in summary.inner_text()
    assert "3 steps it names are gone or changed in this version of the runbook" in summary.inner_text()
    panel.locator("button.incident-import-accept").click()
    assert box_of(page, runbook, first["id"]).is_checked()
    assert panel.locator(".incident-progress-text").inner_text() == f"1 of {total} done"
    assert panel.locator(".incident-changed-item").count() == 3


#: the browser's storage is full: every write of the page's keys fails as Chromium's does
FULL_STORAGE = """
const setItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  if (String(key).startsWith("sphinx-incident")) {
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  }
  return setItem.call(this, key, value);
};
"""
NOT_SAVED = "The browser did not let the page save this change"


def test_with_storage_full_the_page_never_says_saved(
    browser: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    context = new_context(browser, site["root"])
    context.add_init_script(FULL_STORAGE)
    try:
        page = context.new_page()
        open_runbook(page, site, runbook)
        panel = panel_of(page, runbook)
        status = panel.locator(".incident-status")
        first = runbook["steps"][0]
        box_of(page, runbook, first["id"]).check()  # starts a run
        assert status.inner_text().startswith(NOT_SAVED), status.inner_text()
        _edit(page, first, who="Dana")
        assert status.inner_text().startswith(NOT_SAVED), "no “Saved.” for what was not saved"
        data = json.loads(
            json.dumps(VALID).replace("RUNBOOK", runbook["id"]).replace("STEP", runbook["steps"][1]["id"])
        )
        panel.locator("input.incident-run-file").set_input_files(
            files=[{"name": "run.json", "mimeType": "application/json", "buffer": json.dumps(data).encode()}]
        )
        panel.locator("button.incident-import-accept").click()
        assert status.inner_text().startswith(NOT_SAVED), "no “Imported” for what was not saved"
        _start_run(panel, "Not kept")
        assert status.inner_text().startswith(NOT_SAVED)
        page.reload()
        page.wait_for_selector("html.incident-js")
        assert stored_runs(page, runbook) == [], "as the page said, nothing was kept"
    finally:
        context.close()


def test_an_imported_run_of_4999_events_can_be_ended(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    open_runbook(page, site, runbook)
    panel = panel_of(page, runbook)
    first = runbook["steps"][0]
    fingerprint = step_fingerprint(first["title"], first["text"])
    events = [_event("03:12:09", "start", 1)] + [
        _event("03:13:00", "tick" if n % 2 else "untick", n + 2, step=first["id"], fingerprint=fingerprint)
        for n in range(4998)
    ]
    data = {**VALID, "runbook": runbook["id"], "events": events}
    # the schema's rules on each kind of event (all 5,000 take seconds each to check) and its limit
    VALIDATOR.validate({**data, "events": events[:3] + events[-3:]})
    assert OPEN_RUN_LIMIT.is_valid(data)
    panel.locator("input.incident-run-file").set_input_files(
        files=[{"name": "run.json", "mimeType": "application/json", "buffer": json.dumps(data).encode()}]
    )
    panel.locator("button.incident-import-accept").click()
    panel.locator(".incident-run-tools summary").click()
    panel.locator("button.incident-run-end").click()
    assert panel.locator(".incident-status").inner_text().startswith("Ended the run")
    [run] = stored_runs(page, runbook)
    assert len(run["events"]) == 5000 and run["events"][-1]["type"] == "end"
    VALIDATOR.validate({**run, "events": run["events"][:3] + run["events"][-3:]})
    # an open run of 5,000 events could never end: it is refused
    full = {
        **data,
        "events": [*events, _event("03:14:00", "tick", 5000, step=first["id"], fingerprint=fingerprint)],
    }
    assert not OPEN_RUN_LIMIT.is_valid(full)
    assert _import(page, panel, json.dumps(full).encode()) == (
        "Nothing was imported: an open run has at most 4999 events, so that it can end."
    )


def _link(site: dict[str, Any], runbook: dict[str, Any], payload: str) -> str:
    return site["root"] + runbook["url"].split("#")[0] + "#incident-run=" + payload


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def test_a_damaged_or_foreign_link_imports_nothing(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    valid = json.loads(
        json.dumps(VALID).replace("RUNBOOK", runbook["id"]).replace("STEP", runbook["steps"][0]["id"])
    )
    panel = panel_of(page, runbook)
    cases = {
        "d." + _b64(_deflate(json.dumps(valid).encode())): None,  # a good link, made by Python
        "j." + _b64(json.dumps(valid).encode()): None,  # uncompressed, for browsers without CompressionStream
        "d." + _b64(b"not deflate at all"): "the hand-off link could not be read, the link is damaged",
        "d.%%%": "the hand-off link could not be read, the link is damaged",
        "x." + _b64(b"{}"): "the hand-off link could not be read, it is not a sphinx-incident hand-off link",
        "d." + _b64(_deflate(b'{"a":"' + b"x" * 3_000_000 + b'"}')): (
            "the hand-off link could not be read, it is larger than 1048576 bytes"
        ),
        "d." + _b64(_deflate(json.dumps({**valid, "runbook": "elsewhere"}).encode())): (
            "the hand-off link is for a runbook that is not on this page"
        ),
        "d." + _b64(_deflate(json.dumps({**valid, "name": "a\u0000b"}).encode())): "it has no valid name",
    }
    for payload, refusal in cases.items():
        page.goto("about:blank")
        page.goto(_link(site, runbook, payload))
        page.wait_for_selector("html.incident-js")
        page.wait_for_function(
            """() => !document.querySelector('.incident-import').hidden
                     || document.querySelector('.incident-status').textContent !== ''"""
        )
        if refusal is None:
            assert panel.locator(".incident-import").is_visible(), payload[:40]
            panel.locator("button.incident-import-cancel").click()
        else:
            assert page.locator(".incident-panel .incident-status").first.inner_text() == (
                f"Nothing was imported: {refusal}."
            )
        assert "#" not in page.url
    assert stored_runs(page, runbook) == []


def _download(page: Any, panel: Any, fmt: str) -> str:
    with page.expect_download() as info:
        panel.locator(f'button.incident-timeline-export[data-incident-format="{fmt}"]').click()
    return Path(info.value.path()).read_text("utf-8")


def test_the_timeline_exports_are_the_recorded_events(
    browser: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    # a time zone with a half-hour offset, so local times cannot pass by accident, and a clock
    # the test sets: the run starts at 23:55 in Kolkata (18:25 UTC) and goes on past midnight
    context = new_context(browser, site["root"], timezone_id="Asia/Kolkata", accept_downloads=True)
    context.clock.install(time=datetime(2026, 1, 31, 18, 20, tzinfo=UTC))
    server_clock(context, datetime(2026, 1, 31, 18, 25, tzinfo=UTC))
    try:
        page = context.new_page()
        page.clock.pause_at(datetime(2026, 1, 31, 18, 25, tzinfo=UTC))
        open_runbook(page, site, runbook)
        panel = panel_of(page, runbook)
        first, second = runbook["steps"][0], runbook["steps"][1]
        name = "**Outage** | <script>alert(1)</script> [x](javascript:alert(1))"
        _start_run(panel, name)
        box_of(page, runbook, first["id"]).check()
        page.clock.fast_forward("10:00")
        box_of(page, runbook, second["id"]).check()
        box_of(page, runbook, second["id"]).uncheck()
        _edit(page, first, who='=HYPERLINK("http://example.org")', note="-2+3 `code` _em_ & <b>")
        _edit(page, second, who="\uff1dcmd|' /C calc'!A0")  # a fullwidth equals sign
        _edit(page, second, who="")
        panel.locator("button.incident-reset").click()
        panel.locator(".incident-run-tools summary").click()
        panel.locator("button.incident-run-end").click()
        [run] = stored_runs(page, runbook)
        events = run["events"]
        assert [e["type"] for e in events] == [
            "start", "tick", "tick", "untick", "assign", "note", "assign", "assign", "reset", "end"
        ]  # fmt: skip
        labels = _labels(runbook)

        def local(iso: str) -> str:
            utc = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return (utc + timedelta(hours=5, minutes=30)).strftime("%Y-%m-%d %H:%M:%S") + " +05:30"

        timeline = json.loads(_download(page, panel, "json"))
        assert timeline["format"] == "sphinx-incident-timeline"
        assert timeline["run"] == {
            "id": run["id"], "name": name, "started": events[0]["time"], "ended": events[-1]["time"]
        }  # fmt: skip
        assert timeline["runbook"]["id"] == runbook["id"]
        assert timeline["runbook"]["url"].endswith("#" + runbook["anchor"])
        fields = ("id", "time", "type", "step", "value")
        assert [{k: e.get(k) for k in fields} for e in timeline["events"]] == [
            {k: e.get(k) for k in fields} for e in events
        ]
        assert [e["time_local"] for e in timeline["events"]] == [local(e["time"]) for e in events]
        assert [e["step_label"] for e in timeline["events"]] == [labels.get(e.get("step")) for e in events]

        text = _download(page, panel, "csv")
        assert text.startswith("\ufeff"), "a byte-order mark, so that spreadsheets read UTF-8"
        table = list(csv.reader(io.StringIO(text[1:], newline="")))
        assert table[0] == [
            "time_utc", "time_local", "utc_offset", "who", "event", "step", "step_label", "detail", "clock"
        ]  # fmt: skip
        rows = table[1:]
        assert [r[0] for r in rows] == [e["time"].replace("T", " ")[:-1] for e in events]
        assert [r[1] for r in rows] == [local(e["time"])[:19] for e in events]
        assert {r[2] for r in rows} == {"UTC+05:30"}
        assert [r[4] for r in rows] == [e["type"] for e in events]
        assert [r[5] for r in rows] == [e.get("step", "") for e in events]
        # formulas are neutralised: the cell keeps the text behind a quote
        assert rows[4][7] == '\'=HYPERLINK("http://example.org")'
        assert rows[5][7] == "'-2+3 `code` _em_ & <b>"
        assert rows[6][7] == "'\uff1dcmd|' /C calc'!A0"
        assert all(
            not unicodedata.normalize("NFKC", cell.lstrip()).startswith(("=", "+", "-", "@", "\t", "\r"))
            for row in rows
            for cell in row
        )

        markdown = _download(page, panel, "markdown")
        lines = markdown.splitlines()
        assert lines[0] == (
            "## Timeline: \\*\\*Outage\\*\\* \\| \\<script>alert(1)\\</script> \\[x\\](javascript:alert(1))"
        )
        table_rows = [line for line in lines if re.match(r"\| \d{4}-", line)]
        assert len(table_rows) == len(events)
        cells = [re.split(r"(?<!\\) \| ", row.strip("| ")) for row in table_rows]
        assert [c[0] for c in cells] == [e["time"].replace("T", " ")[:-1] for e in events]
        assert [c[1] for c in cells] == [local(e["time"]) for e in events]
        assert [c[3] for c in cells] == [
            "Run started", "Done", "Done", "Not done", "Assigned", "Note", "Assigned", "Assigned",
            "Ticks cleared", "Run ended",
        ]  # fmt: skip
        assert cells[4][5] == '=HYPERLINK("http://example.org")'
        assert cells[5][5] == "-2+3 \\`code\\` \\_em\\_ & \\<b>"
        assert cells[7][5] == "nobody"
        # what the page shows is the same list, newest first
        panel.locator("ol.incident-timeline > li").first.wait_for()
        shown = panel.locator("ol.incident-timeline > li").all_inner_texts()
        assert len(shown) == len(events)
        assert shown[-1].endswith("Run started") and shown[0].endswith("Run ended")
        assert events[1]["time"] == "2026-01-31T18:25:00Z" and events[2]["time"] == "2026-01-31T18:35:00Z"
        # the local time, with its date when that is another day than in UTC; the UTC date
        # where it is not the day the run started
        assert shown[-2] == f"18:25:00 UTC (23:55:00 local) Done: {labels[first['id']]}"
        assert shown[-3] == f"18:35:00 UTC (2026-02-01 00:05:00 local) Done: {labels[second['id']]}"
        # and Copy carries it after the checklist
        panel.locator("button.incident-copy").click()
        page.wait_for_function("() => document.querySelector('.incident-copy-buffer') !== null")
        copied = panel.locator("textarea.incident-copy-buffer").input_value()
        assert copied.endswith(markdown)
        # the checklist part carries the step's assignee and note, escaped, on its line
        [line] = [line for line in copied.splitlines() if f"#{first['anchor']}>" in line]
        assert line.startswith("- [ ] ")
        assert line.endswith(
            ' · assigned to =HYPERLINK("http://example.org") · note: -2+3 \\`code\\` \\_em\\_ & \\<b>'
        )
    finally:
        context.close()


def test_a_step_owner_from_the_model_is_shown_beside_the_step(
    page: Any, site: dict[str, Any], runbook: dict[str, Any]
) -> None:
    """Owners come from runbooks.json's ``owner``; the page gets them in its checklist data."""
    first, second = runbook["steps"][0], runbook["steps"][1]
    owners = [
        {"text": "Incident Commander", "url": "../roles.html#role-incident-commander"},
        {
            "text": "<img src=x onerror=\"document.title='owned'\">",
            "url": "javascript:document.title='owned'",
        },
    ]

    def rewrite(route: Any) -> None:
        response = route.fetch()
        body = response.text()
        for owner in owners:
            body = body.replace('"owner":null', '"owner":' + json.dumps(owner).replace("<", "\\u003c"), 1)
        route.fulfill(response=response, body=body)

    page.route(re.compile(r".*\.html$"), rewrite)
    open_runbook(page, site, runbook)
    shown = page.locator(f"#{first['anchor']} .incident-step-owner").first
    assert shown.inner_text() == "Owner: Incident Commander"
    href = shown.locator("a").get_attribute("href")
    assert href is not None and href.endswith("roles.html#role-incident-commander")
    hostile = page.locator(f"#{second['anchor']} .incident-step-owner").first
    assert hostile.inner_text() == "Owner: " + owners[1]["text"]
    assert hostile.locator("a").count() == 0, "a javascript: URL is no link"
    assert page.locator("img[src=x]").count() == 0 and page.title() != "owned"
