"""The rendered handbook on a phone and for assistive technology, in three themes.

At 360 and 390 CSS px the runbook, index and matrix pages never scroll
sideways (wide tables scroll in their own box); every target the extension
adds is at least 24x24 px (WCAG 2.2 target size); a bulleted sub-step has one
marker, its checkbox; and axe-core finds no serious or critical violation in
the page's content, light and dark. The theme's own chrome (navigation,
sidebars, footer) is the theme's: axe is run on the main content.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from browser_fixtures import (
    THEMES,
    Sites,
    box_of,
    new_context,
    open_runbook,
    page_url,
    panel_of,
    screenshot_path,
    server_clock,
)

pytestmark = pytest.mark.browser

PHONES = (360, 390)
IMPACTS = ("serious", "critical")


def _overview_pages(site: dict[str, Any]) -> dict[str, str]:
    """Which built page holds the runbook index, and which a responsibility matrix."""
    found: dict[str, str] = {}
    outdir: Path = site["outdir"]
    for path in sorted(outdir.rglob("*.html")):
        text = path.read_text("utf-8")
        for kind in ("index", "matrix"):
            if f"incident-{kind}-table" in text:
                found.setdefault(kind, path.relative_to(outdir).as_posix())
    assert set(found) == {"index", "matrix"}, "the handbook under test has no runbook-index or runbook-matrix"
    return found


def _work_a_run(page: Any, runbook: dict[str, Any]) -> None:
    """A run in progress: ticks, an assignment, the run's tools and log and a step's form open."""
    panel = panel_of(page, runbook)
    box_of(page, runbook, runbook["steps"][0]["id"]).check()
    box_of(page, runbook, runbook["steps"][1]["id"]).check()
    step = runbook["steps"][1]
    page.locator(f"#{step['anchor']} .incident-step-edit").first.click()
    page.locator(".incident-step-assignee-input").fill("Dana (on call)")
    page.locator(".incident-step-save").click()
    panel.locator(".incident-run-tools summary").click()
    panel.locator(".incident-run-log summary").click()  # roles, milestones, timeline entries
    page.locator(f"#{runbook['steps'][0]['anchor']} .incident-step-edit").first.click()


def _sideways(page: Any) -> dict[str, Any]:
    return page.evaluate(  # type: ignore[no-any-return]
        """() => ({scroll: document.documentElement.scrollWidth, width: window.innerWidth,
                   wide: Array.from(document.querySelectorAll('body *'))
                     .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5
                                   && !el.closest('table, pre, .highlight')
                                   && getComputedStyle(el).position !== 'fixed')
                     .slice(0, 5).map(el => el.tagName + '.' + el.className)})"""
    )


@pytest.mark.parametrize("theme", THEMES)
def test_no_sideways_scroll_on_a_phone(browser: Any, sites: Sites, theme: str) -> None:
    site = sites(theme)
    runbook = max(site["step_list"]["runbooks"], key=lambda r: r["step_count"])
    overview = _overview_pages(site)
    for width in PHONES:
        context = new_context(
            browser, site["root"], viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True
        )
        try:
            page = context.new_page()
            open_runbook(page, site, runbook)
            _work_a_run(page, runbook)
            result = _sideways(page)
            assert result["scroll"] <= width, f"{theme} {width}px runbook page: {result}"
            for kind, path in overview.items():
                page.goto(site["root"] + path)
                page.wait_for_load_state()
                result = _sideways(page)
                assert result["scroll"] <= width, f"{theme} {width}px {kind} page: {result}"
                tables = page.evaluate(
                    f"""() => Array.from(document.querySelectorAll('table.incident-{kind}-table'))
                          .map(t => ({{
                          right: t.getBoundingClientRect().right,
                          scrolls: t.scrollWidth > t.clientWidth,
                          overflow: getComputedStyle(t).overflowX}}))"""
                )
                assert tables and all(t["right"] <= width + 0.5 for t in tables), (theme, width, kind, tables)
                if kind == "matrix":
                    # the matrix is wider than a phone: it scrolls inside its own box
                    assert any(t["scrolls"] for t in tables), tables
                    assert all(t["overflow"] == "auto" for t in tables)
        finally:
            context.close()


@pytest.mark.parametrize("theme", THEMES)
def test_targets_are_at_least_24_px_and_a_sub_step_has_one_marker(
    browser: Any, sites: Sites, theme: str
) -> None:
    site = sites(theme)
    runbook = max(site["step_list"]["runbooks"], key=lambda r: r["step_count"])
    context = new_context(browser, site["root"], viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        open_runbook(page, site, runbook)
        _work_a_run(page, runbook)
        small = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                        '.incident-panel button, .incident-panel select, .incident-panel summary,'
                        + '.incident-panel input:not([type=file]), .incident-check-input,'
                        + '.incident-step-meta button, .incident-step-edit, .incident-step-form input,'
                        + '.incident-step-form textarea'))
                     .filter(el => el.getClientRects().length)
                     .map(el => ({what: el.className || el.tagName, box: el.getBoundingClientRect()}))
                     .filter(t => t.box.width < 24 || t.box.height < 24)
                     .map(t => t.what + ' ' + Math.round(t.box.width) + 'x' + Math.round(t.box.height))"""
        )
        assert small == [], f"{theme}: targets smaller than 24x24 px: {small}"
        markers = page.evaluate(
            """() => Array.from(document.querySelectorAll('li.incident-step')).map(li => ({
                       bullet: li.parentElement.tagName === 'UL',
                       style: getComputedStyle(li).listStyleType,
                       marker: getComputedStyle(li, '::marker').content}))"""
        )
        bullets = [m for m in markers if m["bullet"]]
        assert bullets, "the runbook under test has bulleted sub-steps"
        assert all(m["style"] == "none" for m in bullets), f"{theme}: a bullet beside the checkbox: {bullets}"
        assert all(m["style"] != "none" for m in markers if not m["bullet"]), "numbers stay"
    finally:
        context.close()


def _axe(page: Any, axe_source: str) -> list[str]:
    """axe-core's serious and critical violations in the page's main content."""
    page.add_script_tag(content=axe_source)
    found = page.evaluate(
        """async impacts => {
             const main = document.querySelector('[role=main]') || document.querySelector('main')
                          || document.body;
             const result = await axe.run(main, {resultTypes: ['violations']});
             return result.violations.filter(v => impacts.includes(v.impact))
               .map(v => v.id + ' (' + v.impact + '): '
                         + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
           }""",
        list(IMPACTS),
    )
    return found  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("theme", "scheme"),
    [
        ("furo", "light"),
        ("furo", "dark"),
        ("alabaster", "light"),
        ("pydata_sphinx_theme", "light"),
        ("pydata_sphinx_theme", "dark"),
    ],
)
def test_axe_finds_no_serious_violation(
    browser: Any, sites: Sites, axe_source: str, theme: str, scheme: str
) -> None:
    site = sites(theme)
    runbook = max(site["step_list"]["runbooks"], key=lambda r: r["step_count"])
    overview = _overview_pages(site)
    context = new_context(browser, site["root"], color_scheme=scheme)
    try:
        page = context.new_page()
        open_runbook(page, site, runbook)
        assert _axe(page, axe_source) == [], f"{theme} {scheme}: runbook page"
        _work_a_run(page, runbook)  # the run's controls, the timeline and a step's form
        assert _axe(page, axe_source) == [], f"{theme} {scheme}: runbook page with a run"
        for kind, path in overview.items():
            page.goto(site["root"] + path)
            page.wait_for_load_state()
            assert _axe(page, axe_source) == [], f"{theme} {scheme}: {kind} page"
        if theme == "furo":
            background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
            assert (background == "rgb(255, 255, 255)") == (scheme == "light"), "the scheme took effect"
    finally:
        context.close()


def test_everything_works_by_keyboard(browser: Any, site: dict[str, Any]) -> None:
    """Tab reaches the run controls in order; Enter and Space work them; progress is announced."""
    runbook = max(site["step_list"]["runbooks"], key=lambda r: r["step_count"])
    context = new_context(browser, site["root"])
    try:
        page = context.new_page()
        open_runbook(page, site, runbook)
        panel = panel_of(page, runbook)
        assert panel.locator(".incident-progress-text").get_attribute("aria-live") == "polite"
        assert panel.locator(".incident-status").get_attribute("role") == "status"
        panel.locator("button.incident-run-new").focus()
        page.keyboard.press("Enter")
        page.keyboard.press("End")  # the default name is selected: keep it, and add to it
        page.keyboard.type(" (keyboard)")
        page.keyboard.press("Enter")  # starts the run; the focus goes to the run list
        assert page.evaluate("() => document.activeElement.className") == "incident-run-select"
        assert panel.locator(".incident-run-select option:checked").inner_text().endswith(" (keyboard)")
        box = box_of(page, runbook, runbook["steps"][0]["id"])
        box.focus()
        page.keyboard.press("Space")
        assert panel.locator(".incident-progress-text").inner_text().startswith("1 of ")
        page.keyboard.press("Tab")  # past the step's own links to its button
        for _ in range(10):
            if page.evaluate("() => document.activeElement.classList.contains('incident-step-edit')"):
                break
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.keyboard.type("Kim")
        page.keyboard.press("Enter")
        assert page.locator(
            f"#{runbook['steps'][0]['anchor']} .incident-step-assignee"
        ).first.inner_text() == ("Assigned to Kim")
        panel.locator(".incident-run-tools summary").focus()
        page.keyboard.press("Enter")
        assert panel.locator(".incident-run-tools").evaluate("d => d.open")
        panel.locator("button.incident-reset").focus()
        page.keyboard.press("Enter")
        assert panel.locator(".incident-progress-text").inner_text().startswith("0 of ")
        panel.locator("button.incident-undo").focus()
        page.keyboard.press("Enter")
        assert panel.locator(".incident-progress-text").inner_text().startswith("1 of ")
        assert page.evaluate("() => document.activeElement.className") == "incident-reset"
    finally:
        context.close()


def test_phone_screenshot(browser: Any, sites: Sites) -> None:
    """The README's phone picture (furo, 390 px): a run in progress, no sideways scroll."""
    site = sites("furo")
    runbook = max(site["step_list"]["runbooks"], key=lambda r: r["step_count"])
    context = new_context(
        browser,
        site["root"],
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        shot_time = datetime(2026, 1, 31, 3, 12, 9, tzinfo=UTC)
        context.clock.set_fixed_time(shot_time)
        server_clock(context, shot_time)
        page = context.new_page()
        page.goto(page_url(site, runbook["url"].split("#")[0]))
        page.wait_for_selector("html.incident-js")
        panel = panel_of(page, runbook)
        panel.locator("input.incident-responder-name").fill("Kim")
        panel.locator("button.incident-responder-save").click()
        panel.locator("button.incident-run-new").click()
        panel.locator("input.incident-run-name").fill("Hub outage, EU region")
        panel.locator(".incident-run-form button[type=submit]").click()
        box_of(page, runbook, runbook["steps"][0]["id"]).check()
        box_of(page, runbook, runbook["steps"][1]["id"]).check()
        step = runbook["steps"][1]
        page.locator(f"#{step['anchor']} .incident-step-edit").first.click()
        page.locator(".incident-step-assignee-input").fill("Dana (on call)")
        page.locator(".incident-step-save").click()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        path = screenshot_path("screenshot-phone.png")
        if path:
            page.evaluate("() => window.scrollTo(0, 0)")
            panel.evaluate("p => window.scrollTo(0, p.getBoundingClientRect().top + window.scrollY - 60)")
            page.screenshot(path=str(path))
    finally:
        context.close()
