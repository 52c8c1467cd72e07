"""Incident runs a team relies on, in Chromium: a commander and responders on several devices.

Each test plays people working one incident: a commander on a desktop, responders on
phones, a second tab; hand-offs both ways; clocks that disagree; a browser that does
not save. They run in furo and pydata-sphinx-theme, on a desktop and at 390 px on a
touch screen, against a handbook written here (team roles, a step owned by a role,
sub-steps, and a runbook of 200 steps). With ``SPHINX_INCIDENT_SCREENSHOTS=docs`` the
furo desktop runs also write the how-to's screenshots.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from browser_fixtures import build_html, new_context, screenshot_path, serve, server_clock

from sphinx_incident.model.ids import step_fingerprint

from conftest import read_json

pytestmark = pytest.mark.browser

SCHEMA = json.loads(
    (
        Path(__file__).parent.parent / "sphinx_incident" / "rendering" / "schema" / "incident-run.schema.json"
    ).read_text()
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

CONF = """
project = "Platform Handbook"
extensions = ["myst_parser", "sphinx_incident"]
html_theme = "alabaster"
html_title = "Platform Handbook"
"""
INDEX = """# Platform handbook

```{toctree}
queue
long
roles
```
"""
ROLES = """# Team roles

```{team-role} Incident Commander
Runs the incident and makes the calls.
```

```{team-role} Communications Lead
Keeps customers and the company informed.
```
"""
QUEUE = """---
runbook: queue-outage
---

# Queue outage

1. **Acknowledge the page** in the paging tool.
2. Who: {role}`Communications Lead`

   **Open the incident channel** and invite the responders.
3. **Communicate our status** every half hour.
   1. Assign the support ticket to the new liaison.
   2. Post an update for the {role}`Communications Lead` to send.
4. **Restart the broker** and watch its log.
5. **Close the incident** once the queue drains.
"""
LONG = "---\nrunbook: platform-check\n---\n\n# Platform check\n\n" + "".join(
    f"{n}. **Check item {n}** of the platform list.\n" for n in range(1, 201)
)
# Each theme and each device once: what these tests exercise is the run (its events, merges
# and exports), which no theme changes; how every theme lays the panel out on a phone and on a
# desktop is tested across all themes (test_browser_layout.py, and the theme-controls test below).
PLACES = [
    ("furo", "desktop"),
    ("pydata_sphinx_theme", "phone"),
]


def write_handbook(source: Path) -> Path:
    source.mkdir(parents=True, exist_ok=True)
    for name, text in {
        "conf.py": CONF, "index.md": INDEX, "roles.md": ROLES, "queue.md": QUEUE, "long.md": LONG
    }.items():  # fmt: skip
        (source / name).write_text(text, "utf-8")
    return source


class TeamSites:
    """The handbook built once per theme and served, when a test first asks for the theme."""

    def __init__(self, factory: pytest.TempPathFactory, stack: contextlib.ExitStack) -> None:
        self.source = write_handbook(factory.mktemp("team-src"))
        self.factory = factory
        self.stack = stack
        self.built: dict[str, dict[str, Any]] = {}

    def __call__(self, theme: str) -> dict[str, Any]:
        if theme not in self.built:
            outdir = self.factory.mktemp(f"team-{theme}")
            build_html(outdir, "-D", f"html_theme={theme}", source=self.source)
            root = self.stack.enter_context(serve(outdir))
            self.built[theme] = {
                "outdir": outdir,
                "root": root,
                "step_list": read_json(outdir / "runbooks.json"),
            }
        return self.built[theme]


@pytest.fixture(scope="session")
def team_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamSites]:
    with contextlib.ExitStack() as stack:
        yield TeamSites(tmp_path_factory, stack)


@pytest.fixture(params=PLACES, ids=[f"{theme.split('_')[0]}-{device}" for theme, device in PLACES])
def where(request: Any, team_sites: TeamSites) -> dict[str, Any]:
    """The handbook in one theme, and the device a test's people use: a desktop, or a phone."""
    theme, device = request.param
    return {**team_sites(theme), "theme": theme, "phone": device == "phone"}


def device(browser: Any, where: dict[str, Any], **options: Any) -> Any:
    """A browser profile of its own (a person's device): a desktop, or a 390 px touch screen."""
    if where["phone"]:
        options.setdefault("viewport", {"width": 390, "height": 844})
        options.update(is_mobile=True, has_touch=True)
    options.setdefault("accept_downloads", True)
    return new_context(browser, where["root"], **options)


def steps_of(where: dict[str, Any], runbook: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def visit(steps: list[dict[str, Any]]) -> None:
        for step in steps:
            found.append(step)
            visit(step["substeps"])

    visit(next(r for r in where["step_list"]["runbooks"] if r["id"] == runbook)["steps"])
    return found


def open_page(page: Any, where: dict[str, Any], name: str = "queue", fragment: str = "") -> Any:
    page.goto(where["root"] + name + ".html" + fragment)
    page.wait_for_selector("html.incident-js")
    return page.locator(".incident-panel").first


def box(page: Any, step: dict[str, Any]) -> Any:
    return page.locator(f'input.incident-check-input[data-incident-step="{step["id"]}"]').first


def item(page: Any, step: dict[str, Any]) -> Any:
    return page.locator(f'[id="{step["anchor"]}"]')


def give_name(panel: Any, name: str) -> None:
    panel.locator("input.incident-responder-name").fill(name)
    panel.locator("button.incident-responder-save").click()
    assert panel.locator(".incident-responder-text").inner_text() == f"Recording as {name}."


def edit(page: Any, step: dict[str, Any], who: str | None = None, note: str | None = None) -> None:
    item(page, step).locator(".incident-step-edit").first.click()
    if who is not None:
        page.locator(".incident-step-assignee-input").fill(who)
    if note is not None:
        page.locator(".incident-step-note-input").fill(note)
    page.locator(".incident-step-save").click()


def stored(page: Any, runbook: str = "queue-outage") -> list[dict[str, Any]]:
    """The runs of ``runbook`` the page's handbook keeps, as stored."""
    return page.evaluate(  # type: ignore[no-any-return]
        """id => Object.keys(localStorage)
                 .filter(k => k.startsWith('sphinx-incident@') && k.includes(':' + id + ':run:'))
                 .map(k => JSON.parse(localStorage.getItem(k)))""",
        runbook,
    )


def hand_off_link(panel: Any) -> str:
    tools = panel.locator(".incident-run-tools")
    if not tools.evaluate("d => d.open"):
        tools.locator("summary").click()
    panel.locator("input.incident-handoff-link").evaluate("input => { input.value = ''; }")
    panel.locator("button.incident-run-link").click()
    panel.page.wait_for_function("() => document.querySelector('.incident-handoff-link').value !== ''")
    return panel.locator("input.incident-handoff-link").input_value()  # type: ignore[no-any-return]


def timeline(panel: Any) -> list[str]:
    """The rows of the panel's timeline, newest first (the list is filled once it is opened)."""
    tools = panel.locator(".incident-run-tools")
    if not tools.evaluate("d => d.open"):
        tools.locator("summary").click()
    panel.locator("ol.incident-timeline > li").first.wait_for()
    return panel.locator("ol.incident-timeline > li").all_inner_texts()  # type: ignore[no-any-return]


def timeline_times(panel: Any) -> list[str]:
    """The UTC time (ISO) of each row of the panel's timeline, as shown: newest first."""
    timeline(panel)
    return panel.locator("ol.incident-timeline > li > time").evaluate_all(  # type: ignore[no-any-return]
        "stamps => stamps.map(t => t.dateTime)"
    )


def shoot(where: dict[str, Any], page: Any, name: str, locator: Any) -> None:
    """A screenshot of the how-to, from the furo desktop run only."""
    path = screenshot_path(name)
    if path and where["theme"] == "furo" and not where["phone"]:
        locator.scroll_into_view_if_needed()
        locator.screenshot(path=str(path))


class Clock:
    """One time for every device of a test (and the web server), set as the incident goes on."""

    def __init__(self, *contexts: Any) -> None:
        self.now = datetime(2026, 1, 31, 3, 12, tzinfo=UTC)
        self.contexts = contexts
        for context in contexts:
            server_clock(context, lambda: self.now)
        self.at(0)

    def at(self, minutes: int) -> None:
        """It is ``minutes`` after 03:12 UTC."""
        self.now = datetime(2026, 1, 31, 3, 12, tzinfo=UTC) + timedelta(minutes=minutes)
        for context in self.contexts:
            context.clock.set_fixed_time(self.now)


def test_a_hand_back_merges_and_the_commander_loses_nothing(browser: Any, where: dict[str, Any]) -> None:
    """The commander hands the run to a responder, both go on working, the responder hands it
    back: importing it merges both copies, and the preview said what it adds and what differs."""
    steps = steps_of(where, "queue-outage")
    ack, channel, status, broker, close = (steps[n] for n in (0, 1, 2, 5, 6))
    commander_device = device(browser, where, timezone_id="Europe/Berlin")
    responder_device = device(browser, where, timezone_id="Europe/Berlin")
    clock = Clock(commander_device, responder_device)
    try:
        commander = commander_device.new_page()
        panel = open_page(commander, where)
        give_name(panel, "Dana")
        box(commander, ack).check()
        clock.at(2)
        edit(commander, status, who="Sam", note="Status page updated")
        clock.at(3)
        link = hand_off_link(panel)

        clock.at(4)
        responder = responder_device.new_page()
        responder.goto(link)
        other = responder.locator(".incident-panel").first
        other.locator(".incident-import-summary").wait_for()
        other.locator("button.incident-import-accept").click()
        give_name(other, "Kim")
        clock.at(7)
        box(responder, broker).check()
        clock.at(8)
        edit(responder, broker, note="Broker restarted on node 2")
        clock.at(9)
        edit(responder, status, who="Kim")  # the commander changes it too, unseen: a conflict
        clock.at(10)
        link_back = hand_off_link(other)

        # meanwhile the commander ticks another step and notes on one
        clock.at(6)
        box(commander, close).check()
        clock.at(8)
        edit(commander, channel, note="#inc-queue opened")
        clock.at(9)
        edit(commander, status, who="Dana")

        clock.at(11)
        commander.goto(link_back)
        summary = panel.locator(".incident-import-summary")
        summary.wait_for()
        text = summary.inner_text()
        assert "This browser has a copy of it: the import adds" in text, text
        assert "the import adds 4 events (1 hand-off, 1 tick, 1 note, 1 assignment) by Kim." in text, text
        assert "This copy's 3 events (1 tick, 1 note, 1 assignment) by Dana stay." in text, text
        assert "The two copies differ in 1 place (below): both versions are kept and shown." in text
        assert "It becomes the active run." in text
        differences = panel.locator(".incident-import-differences").all_inner_texts()
        assert len(differences) == 1 and differences[0].startswith(
            "The assignee of “3. Communicate our status”"
        )
        assert (
            "“Dana” (Dana" in differences[0]
            and "here" in differences[0]
            and "in the import" in differences[0]
        )
        shoot(where, commander, "screenshot-handoff.png", panel.locator(".incident-import"))
        panel.locator("button.incident-import-accept").click()

        # nothing either of them recorded is lost
        for step in (ack, broker, close):
            assert box(commander, step).is_checked(), step["id"]
        assert (
            item(commander, channel).locator(".incident-step-note").first.inner_text()
            == "Note: #inc-queue opened"
        )
        assert item(commander, broker).locator(".incident-step-note").first.inner_text() == (
            "Note: Broker restarted on node 2"
        )
        conflict = item(commander, status).locator(".incident-step-conflict")
        assert conflict.count() == 1 and "made without seeing the other" in conflict.inner_text()
        [run] = stored(commander)
        VALIDATOR.validate(run)
        authors = {e.get("author") for e in run["events"]}
        assert {"Dana", "Kim"} <= authors
        assert panel.locator(".incident-status").inner_text().startswith("Merged the run")
        rows = timeline(panel)
        assert "03:19:00 UTC (04:19:00 local) Kim: Done: 4. Restart the broker" in rows, rows
        assert rows[-1] == "03:12:00 UTC (04:12:00 local) Dana: Run started"
        panel.locator(".incident-handoff").evaluate("p => { p.hidden = true; }")
        shoot(where, commander, "screenshot-timeline.png", panel.locator(".incident-run-tools"))

        # saving the assignment again, having seen both, settles the conflict
        edit(commander, status, who="Dana")
        assert item(commander, status).locator(".incident-step-conflict").count() == 0
        # a second tab of the commander's sees the merged run
        tab = commander_device.new_page()
        open_page(tab, where)
        assert all(box(tab, step).is_checked() for step in (ack, broker, close))
    finally:
        commander_device.close()
        responder_device.close()


def test_two_tabs_ticking_at_the_same_moment_lose_nothing(browser: Any, where: dict[str, Any]) -> None:
    """Sixteen ticks, eight in each of two tabs of one page, at the same moment: all sixteen
    are kept, in storage and in both tabs. An assignment saved in both is shown twice."""
    steps = steps_of(where, "platform-check")
    context = device(browser, where)
    try:
        first, second = context.new_page(), context.new_page()
        panel = open_page(first, where, "long")
        panel.locator("button.incident-run-new").click()
        panel.locator("input.incident-run-name").press("Enter")
        open_page(second, where, "long")
        burst = """([ids, at]) => { setTimeout(() => ids.forEach(id =>
                     document.querySelector(`input[data-incident-step="${id}"]`).click()),
                   at - Date.now()); }"""
        at = first.evaluate("() => Date.now() + 500")
        first.evaluate(burst, [[s["id"] for s in steps[:16:2]], at])
        second.evaluate(burst, [[s["id"] for s in steps[1:16:2]], at])
        for page in (first, second):
            page.wait_for_function(
                "() => document.querySelectorAll('input.incident-check-input:checked').length === 16"
            )
        [run] = stored(first, "platform-check")
        assert sorted(e["step"] for e in run["events"] if e["type"] == "tick") == sorted(
            s["id"] for s in steps[:16]
        )
        VALIDATOR.validate(run)

        # one step assigned in both tabs, each form opened before the other tab saved: the
        # second save does not silently replace the first, both are kept and shown
        target = steps[20]
        for page in (first, second):
            item(page, target).locator(".incident-step-edit").first.click()
        first.locator(".incident-step-assignee-input").fill("Dana")
        first.locator(".incident-step-save").click()
        second.locator(".incident-step-assignee-input").fill("Kim")
        second.locator(".incident-step-save").click()
        first.wait_for_function("() => document.querySelectorAll('.incident-step-conflict').length === 1")
        shown = item(first, target)
        assert shown.locator(".incident-step-assignee").inner_text() in (
            "Assigned to Dana",
            "Assigned to Kim",
        )
        assert shown.locator(".incident-step-conflict").count() == 1
    finally:
        context.close()


def test_a_run_of_the_same_name_is_named_apart_and_becomes_the_active_run(
    browser: Any, where: dict[str, Any], tmp_path: Path
) -> None:
    steps = steps_of(where, "queue-outage")
    one, two = device(browser, where), device(browser, where)
    try:
        mine = one.new_page()
        panel = open_page(mine, where)
        panel.locator("button.incident-run-new").click()
        panel.locator("input.incident-run-name").fill("Queue outage")
        panel.locator("input.incident-run-name").press("Enter")
        theirs = two.new_page()
        other = open_page(theirs, where)
        other.locator("button.incident-run-new").click()
        other.locator("input.incident-run-name").fill("Queue outage")
        other.locator("input.incident-run-name").press("Enter")
        box(theirs, steps[0]).check()
        other.locator(".incident-run-tools summary").click()
        with theirs.expect_download() as info:
            other.locator("button.incident-run-download").click()
        info.value.save_as(tmp_path / "run.json")

        panel.locator("input.incident-run-file").set_input_files(str(tmp_path / "run.json"))
        summary = panel.locator(".incident-import-summary")
        summary.wait_for()
        assert (
            "A run here has the same name but another history: this one is imported as “Queue outage (2)”."
            in (summary.inner_text())
        )
        assert summary.inner_text().endswith("It becomes the active run.")
        panel.locator("button.incident-import-accept").click()
        options = panel.locator("select.incident-run-select option").all_inner_texts()
        assert sorted(o.strip() for o in options) == ["Queue outage", "Queue outage (2)"]
        assert panel.locator("select.incident-run-select option:checked").inner_text() == "Queue outage (2)"
        assert panel.locator(".incident-status").inner_text() == (
            "Imported the run “Queue outage (2)”. It is the active run."
        )
        assert box(mine, steps[0]).is_checked()
    finally:
        one.close()
        two.close()


def local_input(iso: str, zone: timedelta) -> str:
    """What a datetime-local input holds for ``iso`` in a browser at ``zone`` from UTC."""
    return (datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ") + zone).strftime("%Y-%m-%dT%H:%M:%S")


def test_who_did_what_roles_milestones_and_timeline_entries(browser: Any, where: dict[str, Any]) -> None:
    steps = steps_of(where, "queue-outage")
    ack, channel = steps[0], steps[1]
    context = device(browser, where, timezone_id="Europe/Berlin")
    try:
        page = context.new_page()
        panel = open_page(page, where)
        assert panel.locator("form.incident-responder").is_visible(), "the name is asked for"
        give_name(panel, "Dana")
        page.reload()
        page.wait_for_selector("html.incident-js")
        assert not panel.locator("form.incident-responder").is_visible(), "once per browser"
        box(page, ack).check()
        assert item(page, ack).locator(".incident-step-when").inner_text().endswith(" by Dana")

        log = panel.locator(".incident-run-log")
        log.locator("summary").click()
        roles = log.locator("form.incident-roles")
        assert roles.locator("label.incident-role-row").all_inner_texts() == [
            "Communications Lead",
            "Incident Commander",
        ]
        roles.locator("label.incident-role-row", has_text="Communications Lead").locator("input").fill("Kim")
        roles.locator("label.incident-role-row", has_text="Incident Commander").locator("input").fill("Dana")
        roles.locator("button[type=submit]").click()
        # the step the role owns says who holds it
        assert (
            item(page, channel).locator(".incident-step-owner").first.inner_text()
            == "Owner: Communications Lead — Kim"
        )

        [run] = stored(page)
        started = run["events"][0]["time"]
        detected = (datetime.strptime(started, "%Y-%m-%dT%H:%M:%SZ") - timedelta(minutes=20)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        log.locator("select.incident-milestone-name").select_option("detected")
        log.locator("input.incident-milestone-time").fill(local_input(detected, timedelta(hours=1)))
        log.locator("form.incident-milestone-form button[type=submit]").click()
        assert (
            log.locator(".incident-milestones li")
            .all_inner_texts()[0]
            .startswith(f"Detected: {detected[11:16]} UTC")
        )
        reported = (datetime.strptime(started, "%Y-%m-%dT%H:%M:%SZ") - timedelta(minutes=30)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        log.locator("textarea.incident-entry-text").fill("Customers report queue errors")
        log.locator("input.incident-entry-time").fill(local_input(reported, timedelta(hours=1)))
        log.locator("textarea.incident-entry-text").press("Control+Enter")  # Ctrl+Enter adds it
        rows = timeline(panel)
        # oldest last: the entry, then the milestone, then the run's start
        assert timeline_times(panel)[-3:] == [started, detected, reported]
        assert "Dana: Timeline entry — Customers report queue errors, entered " in rows[-1]
        assert "Dana: Detected — entered" in rows[-2]
        assert rows[-3].endswith("Dana: Run started")

        # an entry's text and time are edited from the timeline
        panel.locator(".incident-timeline-edit").first.click()
        assert log.locator("textarea.incident-entry-text").input_value() == "Customers report queue errors"
        earlier = (datetime.strptime(reported, "%Y-%m-%dT%H:%M:%SZ") - timedelta(minutes=5)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        log.locator("textarea.incident-entry-text").fill("First customer report of queue errors")
        log.locator("input.incident-entry-time").fill(local_input(earlier, timedelta(hours=1)))
        log.locator("button.incident-entry-save").click()
        rows = timeline(panel)
        entries = [row for row in rows if "Timeline entry" in row]
        assert len(entries) == 2, "the edit is on the timeline too"
        assert timeline_times(panel)[-1] == earlier and "First customer report" in rows[-1]
        [run] = stored(page)
        VALIDATOR.validate(run)
        assert all(e.get("author") == "Dana" for e in run["events"])
        assert any(
            e["type"] == "role" and e["role"] == "Communications Lead" and e["value"] == "Kim"
            for e in run["events"]
        )
        assert (
            panel.locator(".incident-milestones-shown")
            .inner_text()
            .startswith(f"Detected {detected[11:16]} UTC")
        )
    finally:
        context.close()


def test_a_slow_clock_is_corrected_and_flagged_on_the_timeline(browser: Any, where: dict[str, Any]) -> None:
    """A responder's phone is ten minutes slow: its events are put where they happened, and
    the timeline says whose clock was off, by how much."""
    steps = steps_of(where, "queue-outage")
    commander_device = device(browser, where)
    slow_device = device(browser, where)
    now = datetime.now(UTC).replace(microsecond=0)
    slow_device.clock.install(time=now - timedelta(minutes=10))
    try:
        commander = commander_device.new_page()
        panel = open_page(commander, where)
        give_name(panel, "Dana")
        box(commander, steps[0]).check()
        link = hand_off_link(panel)
        slow = slow_device.new_page()
        slow.goto(link)
        other = slow.locator(".incident-panel").first
        other.locator("button.incident-import-accept").click()
        give_name(other, "Kim")
        slow.wait_for_function("() => sphinxIncident.browser.clock().offset !== null")
        box(slow, steps[5]).check()
        [run] = stored(slow)
        tick = run["events"][-1]
        assert tick["author"] == "Kim" and -610 <= tick["offset"] <= -590, tick
        commander.goto(hand_off_link(other))
        panel.locator("button.incident-import-accept").click()
        rows = timeline(panel)
        kim = next(row for row in rows if "Kim: Done: 4. Restart the broker" in row)
        assert "⚠ recorded as " in kim and "by a clock 10 min behind" in kim
        times = timeline_times(panel)
        assert times == sorted(times, reverse=True), "newest first, by the time it happened"
    finally:
        commander_device.close()
        slow_device.close()


#: the browser's storage is full while ``window.storageFull`` is true: writes of the page's keys
#: fail as Chromium's do
FULL_STORAGE = """
window.storageFull = true;
const setItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  if (window.storageFull && String(key).startsWith("sphinx-incident")) {
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  }
  return setItem.call(this, key, value);
};
"""


FIRST_RUN = "Platform check, first run"


def in_view(locator: Any) -> bool:
    return locator.evaluate(  # type: ignore[no-any-return]
        """el => { const r = el.getBoundingClientRect();
                   return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }"""
    )


def test_a_run_that_cannot_be_saved_says_so_until_it_can_and_saves_as_a_file(
    browser: Any, where: dict[str, Any], tmp_path: Path
) -> None:
    steps = steps_of(where, "platform-check")
    context = device(browser, where)
    context.add_init_script(FULL_STORAGE)
    try:
        page = context.new_page()
        panel = open_page(page, where, "long")
        banner = page.locator(".incident-banner")
        assert not banner.is_visible()
        panel.locator("button.incident-run-new").click()
        panel.locator("input.incident-run-name").fill(FIRST_RUN)
        panel.locator("input.incident-run-name").press("Enter")
        box(page, steps[0]).check()
        assert banner.is_visible() and banner.get_attribute("role") == "alert"
        assert "This browser is not saving the run" in banner.inner_text()
        # far down the page, with the panel out of view, the banner is still there
        box(page, steps[150]).scroll_into_view_if_needed()
        box(page, steps[150]).check()
        assert in_view(banner) and not in_view(panel.locator(".incident-status"))
        edit(page, steps[150], note="checked by hand")
        assert "Saved." not in panel.locator(".incident-status").inner_text()
        assert in_view(banner)
        # an import says nothing of success either, and the banner stays
        import_run(page, panel, long_run(where, 3) | {"id": "20260131T031209Z-other", "name": "Other"})
        assert not panel.locator(".incident-status").inner_text().startswith("Imported")
        assert in_view(banner) and "“Other”" in banner.inner_text()
        panel.locator("select.incident-run-select").select_option(label=FIRST_RUN)
        # the run is saved as a file from the banner, with everything recorded
        with page.expect_download() as info:
            banner.locator("button.incident-banner-save").click()
        info.value.save_as(tmp_path / "run.json")
        saved = json.loads((tmp_path / "run.json").read_text("utf-8"))
        VALIDATOR.validate(saved)
        assert [e["type"] for e in saved["events"]][1:] == ["tick", "tick", "note"]
        # once the browser saves again, the banner goes
        page.evaluate("() => { window.storageFull = false; }")
        box(page, steps[151]).check()
        assert not banner.is_visible()
        [run] = stored(page, "platform-check")
        assert len(run["events"]) == 5
    finally:
        context.close()


CLIPBOARD_HTML = """async () => {
  const [item] = await navigator.clipboard.read();
  return item.types.includes('text/html') ? await (await item.getType('text/html')).text() : null;
}"""


def test_the_postmortem_timeline_says_who_with_sub_steps_under_their_parent_and_pastes_as_a_table(
    browser: Any, where: dict[str, Any]
) -> None:
    steps = steps_of(where, "queue-outage")
    ticket = steps[3]
    context = device(browser, where, timezone_id="Europe/Berlin")
    clock = Clock(context)
    try:
        page = context.new_page()
        panel = open_page(page, where)
        give_name(panel, "Dana")
        box(page, steps[0]).check()
        log = panel.locator(".incident-run-log")
        log.locator("summary").click()
        log.locator("label.incident-role-row", has_text="Incident Commander").locator("input").fill("Dana")
        log.locator("form.incident-roles button[type=submit]").click()
        log.locator("select.incident-milestone-name").select_option("detected")
        log.locator("input.incident-milestone-time").fill("2026-01-31T04:02:00")  # 03:02 UTC, backdated
        log.locator("form.incident-milestone-form button[type=submit]").click()
        log.locator("textarea.incident-entry-text").fill("Customers report queue errors")
        log.locator("input.incident-entry-time").fill("2026-01-31T04:05:00")
        log.locator("button.incident-entry-save").click()
        clock.at(6)
        box(page, ticket).check()
        clock.at(9)
        edit(page, steps[0], note="Paged at 03:00 #incident > urgent")
        panel.locator(".incident-run-tools summary").click()
        with page.expect_download() as info:
            panel.locator('button.incident-timeline-export[data-incident-format="csv"]').click()
        text = Path(info.value.path()).read_text("utf-8")
        assert text.startswith("\ufeff")
        table = list(csv.reader(io.StringIO(text[1:], newline="")))
        header, rows = table[0], table[1:]
        assert header[:4] == ["time_utc", "time_local", "utc_offset", "who"]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row[1]) for row in rows), (
            "a date spreadsheets read"
        )
        assert {row[2] for row in rows} == {"UTC+01:00"}
        assert {row[3] for row in rows} == {"Dana"}
        assert "3. Communicate our status \u203a 1. Assign the support ticket to the new liaison." in [
            row[6] for row in rows
        ]
        with page.expect_download() as info:
            panel.locator('button.incident-timeline-export[data-incident-format="markdown"]').click()
        markdown = Path(info.value.path()).read_text("utf-8")
        assert "\\#" not in markdown and "\\>" not in markdown
        assert "| Dana | Note | 1. Acknowledge the page | Paged at 03:00 #incident > urgent |" in markdown
        assert "Roles: Incident Commander: Dana  \nMilestones: Detected 2026-01-31 03:02 UTC\n" in markdown
        times = ["03:02", "03:05", "03:12", "03:12", "03:12", "03:18", "03:21"]
        assert [row[0][11:16] for row in rows] == times, "in order of the time things happened"

        panel.locator("button.incident-timeline-copy").click()
        page.wait_for_function(
            "() => document.querySelector('.incident-status').textContent.startsWith('Copied the timeline')"
        )
        html = page.evaluate(CLIPBOARD_HTML)
        assert html and "<table" in html and "<script" not in html
        # pasted into a document editor, it is a table with a row per event
        editor = context.new_page()
        editor.goto(where["root"] + "roles.html")
        editor.evaluate(
            """() => { document.body.innerHTML = '';
                       const doc = document.createElement('div');
                       doc.contentEditable = 'true'; doc.className = 'editor';
                       doc.style.cssText = 'padding:1em;font:14px sans-serif;background:#fff;color:#000';
                       document.body.appendChild(doc); doc.focus(); }"""
        )
        editor.keyboard.press("ControlOrMeta+V")
        pasted = editor.locator(".editor table")
        pasted.wait_for()
        assert pasted.locator("tr").count() == 1 + len(rows)
        cells = pasted.locator("tr").nth(len(rows)).locator("td").all_inner_texts()
        assert cells[2:5] == ["Dana", "Note", "1. Acknowledge the page"]
        shoot(where, editor, "screenshot-postmortem.png", editor.locator(".editor"))
    finally:
        context.close()


def sizes(page: Any, selector: str) -> list[tuple[str, int, int]]:
    """(class, width, height) of every visible element of ``selector``."""
    return [
        (what, round(width), round(height))
        for what, width, height in page.evaluate(
            """selector => Array.from(document.querySelectorAll(selector))
                 .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
                 .map(el => { const r = el.getBoundingClientRect();
                              return [el.className, r.width, r.height]; })""",
            selector,
        )
    ]


def test_targets_are_large_enough_and_a_tap_on_a_title_ticks_the_step(
    browser: Any, where: dict[str, Any]
) -> None:
    """44x44 px on a touch screen (checkboxes by their label, the step's button, its permalink,
    the panel's and the dock's buttons), 24x24 with a mouse."""
    steps = steps_of(where, "queue-outage")
    least = 44 if where["phone"] else 24
    context = device(browser, where)
    try:
        page = context.new_page()
        open_page(page, where)
        title = item(page, steps[1]).locator(".incident-step-title")  # after a lead-in line: "Who: …"
        if where["phone"]:
            title.tap()
        else:
            title.click()
        assert box(page, steps[1]).is_checked(), "a tap on the title ticks the step"
        item(page, steps[0]).locator(".incident-step-title").click()
        assert box(page, steps[0]).is_checked()
        item(page, steps[0]).locator(".incident-step-title").click()
        assert not box(page, steps[0]).is_checked(), "and a second one unticks it"
        targets = (
            ".incident-check, .incident-step-edit, .incident-permalink, "
            ".incident-panel button, .incident-dock button"
        )
        found = sizes(page, targets)
        assert len(found) > 15
        small = [target for target in found if target[1] < least or target[2] < least]
        assert small == [], f"targets smaller than {least}x{least} px: {small}"
    finally:
        context.close()


def long_run(where: dict[str, Any], ticked: int) -> dict[str, Any]:
    """A run of the 200-step runbook with its first ``ticked`` steps done, as a file holds it."""
    steps = steps_of(where, "platform-check")
    events = [{"id": "e0000", "time": "2026-01-31T03:12:09Z", "type": "start", "seq": 1, "author": "Dana"}]
    for n, step in enumerate(steps[:ticked]):
        minute = timedelta(minutes=n // 4, seconds=n % 4 * 15)
        at = (datetime(2026, 1, 31, 3, 13, tzinfo=UTC) + minute).strftime("%Y-%m-%dT%H:%M:%SZ")
        events.append({
            "id": f"e{n + 1:04d}", "time": at, "type": "tick", "seq": n + 2, "author": "Dana",
            "step": step["id"], "fingerprint": step_fingerprint(step["title"], step["text"]),
        })  # fmt: skip
    run = {
        "format": "sphinx-incident-run", "version": 3, "runbook": "platform-check",
        "id": "20260131T031209Z-long", "name": "Platform check", "events": events,
    }  # fmt: skip
    VALIDATOR.validate(run)
    return run


def import_run(page: Any, panel: Any, run: dict[str, Any]) -> None:
    panel.locator("input.incident-run-file").set_input_files(
        files=[{"name": "run.json", "mimeType": "application/json", "buffer": json.dumps(run).encode()}]
    )
    panel.locator("button.incident-import-accept").click()


def uncovered(page: Any, locator: Any) -> bool:
    """Whether the middle of ``locator`` is its own, not under something else."""
    return locator.evaluate(  # type: ignore[no-any-return]
        """el => { const r = el.getBoundingClientRect();
                   const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                   return hit !== null && (hit === el || el.contains(hit) || hit.contains(el)); }"""
    )


def test_far_down_a_long_runbook_the_dock_shows_progress_status_and_the_next_step(
    browser: Any, where: dict[str, Any]
) -> None:
    steps = steps_of(where, "platform-check")
    context = device(browser, where)
    try:
        page = context.new_page()
        panel = open_page(page, where, "long")
        import_run(page, panel, long_run(where, 149))
        dock = page.locator(".incident-dock")
        assert not dock.is_visible(), "the panel is in view"
        box(page, steps[160]).scroll_into_view_if_needed()
        dock.locator(".incident-dock-bar").wait_for()
        assert in_view(dock)
        assert dock.locator(".incident-dock-progress").inner_text() == "149 of 200 done"
        assert (
            dock.locator(".incident-dock-status").inner_text().startswith("Imported the run “Platform check”")
        )
        next_step = dock.locator("button.incident-dock-next")
        assert next_step.inner_text() == "Next: 150. Check item 150"
        next_step.click()
        target = box(page, steps[149])
        assert target.evaluate("b => b === document.activeElement")
        assert in_view(target) and uncovered(page, target), "the next step, not under the dock"
        page.keyboard.press("Space")
        assert dock.locator(".incident-dock-progress").inner_text() == "150 of 200 done"
        assert next_step.inner_text() == "Next: 151. Check item 151"
        dock.locator("button.incident-dock-panel").click()
        assert in_view(panel.locator(".incident-progress-row"))
        dock.wait_for(state="hidden")
    finally:
        context.close()


def test_the_timeline_is_newest_first_and_scrolls_in_its_own_box(browser: Any, where: dict[str, Any]) -> None:
    context = device(browser, where)
    try:
        page = context.new_page()
        panel = open_page(page, where, "long")
        import_run(page, panel, long_run(where, 60))
        rows = timeline(panel)
        assert len(rows) == 62
        assert "Handed over" in rows[0] and rows[-1].endswith("Dana: Run started"), "newest first"
        assert "Check item 60" in rows[1]
        shape = panel.locator("ol.incident-timeline").evaluate(
            """list => { const box = list.getBoundingClientRect();
                        const shown = Array.from(list.children).filter(li => {
                          const r = li.getBoundingClientRect();
                          return r.top >= box.top && r.bottom <= box.bottom; });
                        return {scrolls: list.scrollHeight > list.clientHeight,
                                overflow: getComputedStyle(list).overflowY, shown: shown.length}; }"""
        )
        assert shape["scrolls"] and shape["overflow"] == "auto"
        assert shape["shown"] >= 8, f"only {shape['shown']} events in view"
    finally:
        context.close()


def test_focus_stays_where_the_work_goes_on_and_an_ended_run_reopens(
    browser: Any, where: dict[str, Any]
) -> None:
    """After Reset or End run the focus is on Undo (the button that was used is gone or
    disabled), after Undo on the button undone; an ended run reopens once Undo is gone."""
    steps = steps_of(where, "queue-outage")
    context = device(browser, where)
    try:
        page = context.new_page()
        panel = open_page(page, where)
        box(page, steps[0]).check()
        focused = "() => document.activeElement.className"
        panel.locator("button.incident-reset").click()
        assert page.evaluate(focused) == "incident-undo"
        page.keyboard.press("Enter")
        assert page.evaluate(focused) == "incident-reset" and box(page, steps[0]).is_checked()
        panel.locator(".incident-run-tools summary").click()
        panel.locator("button.incident-run-end").click()
        assert page.evaluate(focused) == "incident-undo"
        page.keyboard.press("Enter")
        assert page.evaluate(focused) == "incident-run-end" and not box(page, steps[0]).is_disabled()
        panel.locator("button.incident-run-end").click()
        page.reload()
        page.wait_for_selector("html.incident-js")
        assert box(page, steps[0]).is_disabled() and not panel.locator("button.incident-undo").is_visible()
        panel.locator(".incident-run-tools summary").click()
        panel.locator("button.incident-run-reopen").click()
        assert not box(page, steps[0]).is_disabled()
        assert page.evaluate(focused) == "incident-run-end"
        assert panel.locator(".incident-status").inner_text().startswith("Reopened the run")
        box(page, steps[1]).check()
        [run] = stored(page)
        assert [e["type"] for e in run["events"]][-2:] == ["reopen", "tick"]
        VALIDATOR.validate(run)
    finally:
        context.close()


def test_screen_readers_hear_the_import_summary_and_each_step_s_details(
    browser: Any, where: dict[str, Any]
) -> None:
    """The import button is described by the summary (read when the focus lands on it); a
    step's checkbox by its done time, assignee and note; Ctrl+Enter saves a note."""
    steps = steps_of(where, "queue-outage")
    context = device(browser, where)
    try:
        page = context.new_page()
        panel = open_page(page, where)
        give_name(panel, "Dana")
        box(page, steps[0]).check()
        item(page, steps[0]).locator(".incident-step-edit").first.click()
        page.locator(".incident-step-assignee-input").fill("Kim")
        page.locator(".incident-step-note-input").fill("Paged the vendor")
        page.locator(".incident-step-note-input").press("Control+Enter")
        assert panel.locator(".incident-status").inner_text() == "Saved."
        described = box(page, steps[0]).evaluate(
            "b => (b.getAttribute('aria-describedby') || '').split(' ')"
            ".map(id => document.getElementById(id))"
            ".filter(Boolean).map(el => el.textContent).join(' ')"
        )
        assert "Done " in described and " by Dana" in described
        assert "Assigned to Kim" in described and "Note: Paged the vendor" in described
        accessible = box(page, steps[0]).evaluate("b => b.labels[0].textContent")
        assert accessible == "Done: 1. Acknowledge the page"

        link = hand_off_link(panel)
        other = context.new_page()
        other.goto(link)
        other_panel = other.locator(".incident-panel").first
        accept = other_panel.locator("button.incident-import-accept")
        accept.wait_for()
        assert accept.evaluate("b => b === document.activeElement")
        summary_id = accept.get_attribute("aria-describedby")
        assert summary_id and other.locator(f'[id="{summary_id}"]').inner_text().startswith("Import the run")
    finally:
        context.close()


def test_a_hand_off_link_from_a_page_opened_from_disk_says_it_opens_only_here(
    browser: Any, where: dict[str, Any]
) -> None:
    context = device(browser, where)
    try:
        page = context.new_page()
        path = where["outdir"] / "queue.html"
        page.goto(path.as_uri())
        page.wait_for_selector("html.incident-js")
        panel = page.locator(".incident-panel").first
        panel.locator("button.incident-run-new").click()
        panel.locator("input.incident-run-name").press("Enter")
        assert hand_off_link(panel).startswith(path.as_uri() + "#incident-run=")
        warning = panel.locator(".incident-handoff-warning")
        assert warning.is_visible()
        assert "opened from disk" in warning.inner_text() and str(path) in warning.inner_text()
        assert "send the run file" in warning.inner_text()
        assert "It opens only on this machine" in panel.locator(".incident-status").inner_text()
    finally:
        context.close()


ALL_THEMES = ("alabaster", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_rtd_theme")
CONTROLS = (
    ".incident-panel button, .incident-panel select, .incident-panel input:not([type=file]), "
    ".incident-panel textarea, .incident-panel summary, .incident-check-input, .incident-step-edit, "
    ".incident-permalink, .incident-dock button"
)


@pytest.mark.parametrize("theme", ALL_THEMES)
def test_no_theme_control_covers_the_run_s_controls_on_a_phone(
    browser: Any, team_sites: TeamSites, theme: str
) -> None:
    """Scrolled up and down (themes show "back to top" then), each control the page adds,
    focused as the keyboard does, is in view and under no theme control, nor under the dock."""
    where = {**team_sites(theme), "theme": theme, "phone": True}
    context = device(browser, where)
    try:
        page = context.new_page()
        panel = open_page(page, where, "long")
        import_run(page, panel, long_run(where, 120))
        panel.locator(".incident-run-tools summary").click()
        panel.locator(".incident-run-log summary").click()
        # where the focus lands, not how it glides there: the theme's smooth scrolling off
        page.add_style_tag(content="html, body { scroll-behavior: auto !important; }")
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.mouse.wheel(0, -400)  # scrolling up brings back-to-top buttons out
        page.wait_for_timeout(400)
        covered = page.evaluate(
            """selector => Array.from(document.querySelectorAll(selector))
                 .filter(el => el.getClientRects().length && !el.disabled)
                 .map(el => {
                   el.focus({focusVisible: true});
                   const r = el.getBoundingClientRect();
                   const x = r.left + r.width / 2, y = r.top + r.height / 2;
                   const hit = document.elementFromPoint(x, y);
                   const own = hit && (hit === el || el.contains(hit) || hit.contains(el)
                                       || (hit.closest('label')
                                           && hit.closest('label') === el.closest('label')));
                   return own && y >= 0 && y <= window.innerHeight ? null
                     : el.className + ' under ' + (hit ? hit.tagName + '.' + hit.className : 'nothing');
                 }).filter(Boolean).slice(0, 8)""",
            CONTROLS,
        )
        assert covered == [], f"{theme}: {covered}"
    finally:
        context.close()


def test_an_imported_run_of_4999_events_can_be_ended(browser: Any, where: dict[str, Any]) -> None:
    """A run one event short of the limit is imported (no hand-off event takes the end's
    place), and ends."""
    context = device(browser, where)
    try:
        page = context.new_page()
        panel = open_page(page, where, "long")
        run = long_run(where, 200)
        step = run["events"][1]
        run["events"] += [
            {**step, "id": f"u{n:04d}", "seq": 202 + n, "type": "untick" if n % 2 == 0 else "tick"}
            for n in range(4999 - len(run["events"]))
        ]
        assert len(run["events"]) == 4999
        import_run(page, panel, run)
        panel.locator(".incident-run-tools summary").click()
        panel.locator("button.incident-run-end").click()
        assert panel.locator(".incident-status").inner_text().startswith("Ended the run")
        [kept] = stored(page, "platform-check")
        assert len(kept["events"]) == 5000 and kept["events"][-1]["type"] == "end"
        # the schema's rules, on the kinds of events kept (all 5,000 take seconds to check)
        VALIDATOR.validate({**kept, "events": kept["events"][:3] + kept["events"][-3:]})
    finally:
        context.close()
