"""The one URL decision (``sphinx_incident.checking.urls``): read as browsers read URLs, checked against
a real Chromium, and what it means for the checks, links and exports."""

from __future__ import annotations

import csv
import io
import os
import queue
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from url_cases import SAFE_SCHEMES, Page, browser_scheme, edge_urls, github_html

from sphinx_incident.checking.checks import check_runbook, url_problem
from sphinx_incident.checking.rules import Settings
from sphinx_incident.checking.site_urls import relative_to
from sphinx_incident.checking.urls import is_unsafe, link_url, outside_hosts, parse
from sphinx_incident.model import Link, Runbook, Step
from sphinx_incident.rendering.markdown import csv_text, markdown

UNSAFE = {"javascript", "data", "vbscript", "file"}


@pytest.mark.parametrize(
    ("url", "scheme", "host", "is_link"),
    [
        ("javascript://＃%0aalert(1)", "javascript", None, False),  # noqa: RUF001
        ("\x01 JaVa\tScRi\npt:alert(1)", "javascript", None, False),
        ("DATA:text/html,x", "data", None, False),
        ("ｊavascript:alert(1)", "", None, True),  # noqa: RUF001 (not a scheme to a browser: a relative path)
        ("javascript%3Aalert(1)", "", None, True),
        ("//evil.example/x", "", "evil.example", True),
        ("\\\\evil.example", "", "evil.example", True),
        ("/\\evil.example", "", "evil.example", True),
        ("\\/evil.example", "", "evil.example", True),
        ("///evil.example", "", "evil.example", True),
        ("https:\\\\evil.example\\x", "https", "evil.example", True),
        ("HTTPS://ＥＶＩＬ。Example/", "https", "evil.example", True),  # noqa: RUF001
        ("https://good.example.org@evil.example/", "https", "evil.example", True),
        ("http://0x7f.1/", "http", "127.0.0.1", True),
        ("http://[0:0::1]:8080/", "http", "[::1]", True),
        ("https://☃.net/", "https", "xn--n3h.net", True),
        ("https:evil.example", "https", None, False),  # a path or a host, depending on the page
        ("https://", "https", None, False),
        ("http://a b/", "http", None, False),
        ("http://x:99999/", "http", None, False),
        ("http://1.2.3.256/", "http", None, False),
        ("//", "", None, False),
        ("mailto:oncall@example.org", "mailto", None, True),
        ("tel:+15555550100", "tel", None, False),
        ("ftp://files.example.org/", "ftp", None, False),
        ("runbooks.html#step", "", None, True),
        ("#step", "", None, True),
        ("", "", None, False),
    ],
)
def test_urls_are_read_as_browsers_read_them(url: str, scheme: str, host: str | None, is_link: bool) -> None:
    parsed = parse(url)
    assert (parsed.scheme, parsed.host, parsed.is_link) == (scheme, host, is_link)
    assert is_unsafe(url) is (scheme in UNSAFE)


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        # urlsplit raised on it, so it was reported as malformed and stayed a link
        ("javascript://＃%0aalert(1)", "unsafe_url"),  # noqa: RUF001
        ("java\nscript:alert(1)", "unsafe_url"),
        ("https:evil.example", "bad_url"),
        ("http://0x100000000/", "bad_url"),
        ("https://[::1", "bad_url"),
        ("tel:+15555550100", "url_scheme"),
        ("//example.com/x", "placeholder_url"),
        ("https://ＥＸＡＭＰＬＥ.com/", "placeholder_url"),  # noqa: RUF001
        ("https://corp.net/" + "a" * 100_000, None),
        ("http://corp.net:" + "9" * 6000, "bad_url"),  # longer than int() converts
        ("http://" + "9" * 6000, "bad_url"),
        ("http://corp.net:0000080/", None),
        ("//corp.net/x", None),
    ],
)
def test_url_rules(url: str, rule: str | None) -> None:
    found = url_problem(url)
    assert (found[0] if found else None) == rule
    if found:
        assert len(found[1]) < 300  # a long URL is cut in the message


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("//evil.example/x", "evil.example"),
        ("\\\\evil.example", "evil.example"),
        ("/\\evil.example", "evil.example"),
        ("https://good.example.org@evil.example/", "evil.example"),
        ("https://good.example.org.evil.example/", "good.example.org.evil.example"),
        ("https://ｅｖｉｌ.example/", "evil.example"),  # noqa: RUF001
        ("https://DOCS.Good.Example.Org./x", None),
        ("//docs.good.example.org/x", None),
        ("https://good%2Eexample%2Eorg/", None),
        ("mailto:someone@evil.example", None),  # not a host a browser goes to
        ("relative/page.html", None),
    ],
)
def test_scheme_relative_and_backslash_forms_count_as_their_host(url: str, host: str | None) -> None:
    assert outside_hosts(url, ["good.example.org"]) == host
    step = Step("s", "1", "S", "", 1, links=[Link("button", url, "Open", line=3)])
    found = check_runbook(
        Runbook("r", "R", "index", "index.md", 1, steps=[step]), Settings(link_hosts=["good.example.org"])
    )
    assert [p.rule for p in found if p.rule == "link_host"] == (["link_host"] if host else [])


def test_ip_hosts_match_only_exactly() -> None:
    assert outside_hosts("http://127.0.0.1/", ["0.0.1"]) == "127.0.0.1"
    assert outside_hosts("http://2130706433/", ["127.0.0.1"]) is None
    assert outside_hosts("https://ｇｏｏｄ.example.org/", ["GOOD.example.org."]) is None  # noqa: RUF001


# -- properties over generated URLs ----------------------------------------------------


def _one_button_runbook(url: str, text: str, title: str = "Open it") -> Runbook:
    # the url as given, not as resolved: the exports decide again on their own
    button = Link("button", url, text, line=2, url=url)
    step = Step("open", "1", title, "", 2, url="index.html#open", links=[button])
    return Runbook("r", "R", "index", "index.md", 1, url="index.html#r", steps=[step])


@settings(max_examples=400, deadline=None)
@given(url=edge_urls())
def test_only_safe_urls_may_be_links(url: str) -> None:
    allowed = link_url(url)
    if browser_scheme(url) in UNSAFE:
        assert allowed is None
        assert url_problem(url) is not None
    if allowed is not None:
        assert browser_scheme(allowed) in SAFE_SCHEMES


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    url=edge_urls(),
    text=st.sampled_from(["Open", "a](javascript:x) ![i](y.png)", "<b>x</b> `c` *e* ~~s~~ &amp;"]),
)
def test_markdown_and_github_exports_add_no_markup(url: str, text: str) -> None:
    runbook = _one_button_runbook(url, text)
    for fmt in ("markdown", "github"):
        html = Page.of(github_html(markdown(runbook, "https://handbook.example.org/", fmt)))
        assert not {"img", "script", "del", "code", "em"} & set(html.tags)
        assert html.tags.count("strong") == 1  # the step's own label
        assert all(browser_scheme(url) in SAFE_SCHEMES for _, url in html.urls), html.urls
        # the step's own link, the runbook's in the GitHub body, and the button when it may be a link
        expected = (1 if fmt == "markdown" else 2) + (link_url(url) is not None)
        assert html.tags.count("a") == expected, (fmt, html.urls)
        assert " ".join(text.split()) in html.text


FORMULA = st.sampled_from(["=", "+", "-", "@", "\t", "\r", " =", "＝", "\u3000+"])  # noqa: RUF001


@settings(max_examples=200, deadline=None)
@given(start=FORMULA, rest=st.text(max_size=20), url=edge_urls())
def test_csv_cells_are_never_formulas(start: str, rest: str, url: str) -> None:
    runbook = _one_button_runbook(url, "Open", title=start + "cmd|' /C calc'!A0" + rest)
    rows = list(csv.reader(io.StringIO(csv_text(runbook, "https://handbook.example.org/"), newline="")))
    for row in rows[1:]:
        for cell in row:
            assert cell.lstrip()[:1] not in ("=", "+", "-", "@", "＝", "＋", "－", "＠"), row  # noqa: RUF001
            assert not cell.startswith(("\t", "\r", "\n")), row
        assert row[3].startswith("'")  # the title, kept as text
        assert all(browser_scheme(u) in SAFE_SCHEMES for u in row[8].split())


# -- against Chromium's own URL parser ---------------------------------------------------

BASES = ("http://handbook.test/runbooks/page.html", "https://handbook.test/runbooks/page.html")
_PARSE_IN_BROWSER = """
([urls, bases]) => urls.map(u => bases.map(b => {
  try { const x = new URL(u, b); return [x.protocol.slice(0, -1), x.hostname]; }
  catch (e) { return null; }
}))
"""


class _ChromiumUrls:
    """Chromium's ``new URL()``, driven from a thread of its own: the browser tests may
    already run Playwright's Sync API in the main thread, and it allows one per thread."""

    def __init__(self, executable: str) -> None:
        self._requests: queue.Queue[list[Any] | None] = queue.Queue()
        self._results: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._serve, args=(executable,), daemon=True)
        self._thread.start()
        self._answer()  # launched, or the reason it did not

    def _serve(self, executable: str) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=executable, args=["--headless", "--no-sandbox"]
                )
                try:
                    page = browser.new_page()
                    self._results.put(None)
                    while (request := self._requests.get()) is not None:
                        self._results.put(page.evaluate(_PARSE_IN_BROWSER, request))
                finally:
                    browser.close()
        except Exception as exc:  # handed to the test's thread
            self._results.put(exc)

    def _answer(self) -> Any:
        found = self._results.get(timeout=120)
        if isinstance(found, Exception):
            raise found
        return found

    def parse(self, urls: list[str]) -> list[list[list[str] | None]]:
        self._requests.put([urls, list(BASES)])
        return self._answer()  # type: ignore[no-any-return]

    def close(self) -> None:
        self._requests.put(None)
        self._thread.join(timeout=30)


@pytest.fixture(scope="module")
def chromium() -> Iterator[_ChromiumUrls]:
    from browser_setup import find_chromium

    executable = find_chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        executable = None
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("browser tests must run in CI: no Chromium or Playwright")
        pytest.skip("no Chromium or Playwright")
    parser = _ChromiumUrls(executable)
    try:
        yield parser
    finally:
        parser.close()


@pytest.mark.browser
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(edge_urls(), min_size=25, max_size=25))
def test_the_decision_agrees_with_chromium(chromium: _ChromiumUrls, batch: list[str]) -> None:
    results = chromium.parse(batch)
    for url, in_browser in zip(batch, results, strict=True):
        ours = parse(url)
        for base, found in zip(BASES, in_browser, strict=True):
            if found is not None and found[0] in UNSAFE:
                assert not ours.is_link, (url, base, found)
            if not ours.is_link:
                continue
            assert found is not None, (url, base, "Chromium cannot parse it")
            scheme, host = found
            assert scheme in ("http", "https", "mailto"), (url, base, found)
            if ours.host is not None:
                assert host == ours.host, (url, base, found)
            elif not ours.scheme:
                assert host == "handbook.test", (url, base, found)
        # a URL reported as malformed goes to one place on every page in Chromium only
        # when this reading is too strict; Chromium alone lets a host have spaces and
        # other characters the URL Standard forbids there
        if ours.error and ours.scheme in ("http", "https", "") and "not allowed in a host" not in ours.error:
            assert in_browser[0] is None or in_browser[0] != in_browser[1], (url, ours.error, in_browser)


# -- URLs between the pages of the built site -----------------------------------------------


@pytest.mark.parametrize(
    ("page", "url", "relative"),
    [
        ("procedures.html", "roles.html#role-lead", "roles.html#role-lead"),
        ("ops/triage.html", "roles.html#role-lead", "../roles.html#role-lead"),
        ("ops/triage.html", "ops/roles.html#role-lead", "roles.html#role-lead"),
        ("ops/triage/", "roles/#role-lead", "../../roles/#role-lead"),
        ("roles.html", "roles.html#role-lead", "#role-lead"),
        ("ops/roles.html", "ops/roles.html", "roles.html"),
        ("ops/triage/", "ops/roles/#role-lead", "../roles/#role-lead"),
        ("ops/triage.html", "_runbooks/triage.json", "../_runbooks/triage.json"),
        ("#document-index", "index.html#role-lead", "index.html#role-lead"),
        (
            "ops/triage.html",
            "https://handbook.example.org/roles.html",
            "https://handbook.example.org/roles.html",
        ),
        ("ops/triage.html", "/roles.html", "/roles.html"),
        ("ops/triage.html", "#step", "#step"),
        ("ops/triage.html", None, None),
    ],
)
def test_site_urls_relative_to_a_page(page: str, url: str | None, relative: str | None) -> None:
    assert relative_to(page, url) == relative
