"""The runbook checks: each rule catches its defect, and a clean runbook gives no warning."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import pytest

from sphinx_incident.checking.checks import check_runbook, url_problem
from sphinx_incident.checking.rules import RULES, RULES_BY_CODE, Settings, invalid_severities
from sphinx_incident.commands import linkcheck
from sphinx_incident.commands.alerts.checks import check_alerts
from sphinx_incident.commands.alerts.command import build_handbook, handbook_targets
from sphinx_incident.commands.alerts.rules import read_rules
from sphinx_incident.commands.alerts.site import Site
from sphinx_incident.commands.handbook import read_handbook
from sphinx_incident.commands.linkcheck import RULE_OF_STATUS
from sphinx_incident.model import Link, Note, Reference, Runbook, Step
from sphinx_incident.reading import collect

from conftest import ROOTS, TESTS, read_json

ALERTS_BASE = "https://ops.northwind.test/handbook/"

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WARNING = re.compile(r"^(?P<path>.+?):(?P<line>\d+)?: WARNING: (?P<msg>.*) \[(?P<type>[\w.]+)\]$")


def incident_warnings(text: str) -> list[tuple[str, int | None, str]]:
    """(file name, line, subtype) of every ``incident.*`` warning, in order."""
    found = []
    for raw in ANSI.sub("", text).splitlines():
        match = WARNING.match(raw)
        if match and match["type"].startswith("incident."):
            line = int(match["line"]) if match["line"] else None
            found.append((Path(match["path"]).name, line, match["type"].removeprefix("incident.")))
    return found


# -- whole handbooks, MyST and rST ------------------------------------------------

MYST_EXPECTED = [
    ("conf.py", 3, "unknown_entry"),
    ("index.md", 8, "stray_step"),  # `3 **Third**` folded into step 2 (lazy continuation)
    ("index.md", 11, "detached_substeps"),
    ("index.md", 13, "stray_step"),  # `5 **Fifth**` and `6: **Sixth**`: paragraphs, one run
    ("index.md", 17, "numbering_restart"),
    ("index.md", 19, "outdented_body"),  # text between `1.` and the `2.` typed on from it
    ("index.md", 21, "untitled_step"),
    ("index.md", 23, "numbering_gap"),  # typed 4. after 2. in the same list: Markdown shows 3
    ("index.md", 23, "undefined_role"),
    ("index.md", 23, "undefined_term"),
    ("index.md", 23, "unresolved_reference"),
    ("index.md", 25, "stray_step"),  # `8) **Eighth**` folded
    ("index.md", 31, "numbering_gap"),
    ("index.md", 35, "numbering_duplicate"),
    ("index.md", 42, "unsafe_url"),
    ("index.md", 46, "button_text"),
    ("index.md", 49, "placeholder_url"),
    ("index.md", 49, "url_scheme"),
    ("index.md", 50, "link_host"),
    ("index.md", 50, "placeholder_url"),  # <ticket>
    ("index.md", 51, "bad_url"),
    ("index.md", 52, "duplicate_step_id"),
    ("index.md", 55, "empty_runbook"),
]

RST_EXPECTED = [
    ("index.rst", 11, "stray_step"),  # `3: **Third**` folded into step 2
    ("index.rst", 13, "stray_step"),  # `4 **Fourth**`
    ("index.rst", 15, "numbering_gap"),
    ("index.rst", 15, "undefined_role"),
    ("index.rst", 15, "undefined_term"),
    ("index.rst", 15, "unresolved_reference"),
    ("index.rst", 17, "unsafe_url"),
    ("index.rst", 21, "numbering_gap"),
    ("index.rst", 23, "detached_substeps"),
]


@pytest.mark.sphinx("html", testroot="lint-myst", freshenv=True)
def test_myst_handbook_reports_each_defect_at_its_line(app) -> None:
    app.build()
    assert incident_warnings(app.warning.getvalue()) == MYST_EXPECTED
    # the broken `[](no-such-target)` is one finding, not also MyST's own warning
    assert "myst.xref_missing" not in app.warning.getvalue()


@pytest.mark.sphinx("html", testroot="lint-rst", freshenv=True)
def test_rst_handbook_reports_each_defect_at_its_line(app) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert incident_warnings(warnings) == RST_EXPECTED
    # the dangling {ref} and {term} are reported once, by the checks
    assert "[ref." not in warnings


@pytest.mark.sphinx("html", testroot="lint-clean", freshenv=True)
def test_clean_runbook_gives_no_warning(app) -> None:
    app.build()
    assert ANSI.sub("", app.warning.getvalue()) == ""
    data = read_json(Path(app.outdir) / "runbooks.json")
    assert [r["problems"] for r in data["runbooks"]] == [[]]


@pytest.mark.sphinx("html", testroot="seed", freshenv=True)
def test_seed_terms_are_reported_once(app) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "[ref.term]" not in warnings
    assert warnings.count("[incident.undefined_term]") == 3


#: a page of each list defect read from the source (see test_extraction_cases.py)
DEFECT_PAGES = {
    "sublist.md": "1. **One**.\n  - sub a\n  - sub b\n2. **Two**.\n",
    "body.md": "1. **One**.\n\n  Said of one, two spaces in.\n\n2. **Two**.\n",
    "inline.md": "1. **One**.\n2. **Two**. Restart the pod. 3. Check the logs. 4. Tell the channel.\n",
    "deep.md": "1. **One**\n"
    + "".join(" " * (3 + 2 * n) + f"- level {n + 2}\n" for n in range(12))
    + "2. **Two**\n",
    "empty.md": "- - **One**.\n  - sub a\n- **Two**.\n",
    "foreign.md": "1. **One**.\n\n   .. note:: About one.\n\n2. **Two**.\n",
    "fence.md": "1. **One**:\n\n   ```shell\n   psql\n   ```sql\n   SELECT 1;\n   ```\n\n2. **Two**.\n",
    "joined.md": "- **One**.\n- **Two**.\nThen, for the standby:\n- **Three**.\n",
}


def _lint(srcdir: Path) -> set[str]:
    """The rules ``lint`` reports for a handbook."""
    return {problem.rule for problem in read_handbook(srcdir, freshenv=True).problems}


def test_every_rule_is_proven_by_a_handbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each rule is reported by reading some handbook (or rule file): none is dead code."""
    # the two handbooks above, whose findings their tests compare line by line
    found = {rule for _, _, rule in MYST_EXPECTED + RST_EXPECTED}
    # the handbook as a whole, and the configuration
    found |= _lint(ROOTS / "test-findings") | _lint(ROOTS / "test-badconfig")
    # the list defects read from the source, and a runbook the extension fails to read
    src = tmp_path / "defects"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_incident"]\n', "utf-8")
    (src / "index.md").write_text("# Index\n\n```{toctree}\n:glob:\n\n*\n*/*\n```\n", "utf-8")
    for name, body in DEFECT_PAGES.items():
        (src / name).write_text(f"---\nrunbook: true\n---\n# {name}\n\n{body}", "utf-8")
    (src / "run-in.rst").write_text(
        ":runbook: true\n\nRun in\n======\n\n#. **One**:\n      - sub a\n      - sub b\n#. **Two**.\n",
        "utf-8",
    )
    (src / "indented.rst").write_text(
        ":runbook: true\n\nIndented\n========\n\n#. **One**.\n\n    Then check it.\n\n#. **Two**.\n", "utf-8"
    )
    (src / "broken.md").write_text("---\nrunbook: true\n---\n# Broken\n\n1. **One**.\n", "utf-8")
    # two pages whose names derive one runbook id
    for page in ("ops/db-restore.md", "ops-db/restore.md"):
        (src / page).parent.mkdir(exist_ok=True)
        (src / page).write_text("---\nrunbook: true\n---\n# Restore\n\n1. **Restore**.\n2. **Check**.\n")
    read = collect.extract_runbook

    def fails_on_broken(root: Any, **kwargs: Any) -> Any:
        if kwargs["docname"] == "broken":
            raise RuntimeError("a bug")
        return read(root, **kwargs)

    monkeypatch.setattr(collect, "extract_runbook", fails_on_broken)
    found |= _lint(src)
    # live links: what each answer of a URL is reported as
    runbook = Runbook("r", "R", "r", "r.md", 1, steps=(Step("s", "1", "S", "", 2, links=tuple(
        Link("external", f"https://tools.example-corp.net/{status}", status, 2) for status in RULE_OF_STATUS
    )),))  # fmt: skip
    monkeypatch.setattr(linkcheck, "check_urls", lambda urls, *args, **kwargs: {
        url: linkcheck.LinkResult(url, url.rsplit("/", 1)[1]) for url in urls
    })  # fmt: skip
    args = argparse.Namespace(link_timeout=1.0, link_workers=1, cache_dir=None, cache_ttl=0.0)
    found |= {p.rule for p in linkcheck.link_problems([runbook], Settings(), args)}
    # alert rules against the handbook they link to
    targets = handbook_targets(build_handbook(ROOTS / "test-alerts"), Site())
    (tmp_path / "one-step.yml").write_text(
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n"
        f"          runbook_url: {ALERTS_BASE}runbooks/database.html#database-failover--verify\n",
        "utf-8",
    )
    broken = tmp_path / "broken" / "rules.yml"  # a rule file with a group that is no mapping
    broken.parent.mkdir()
    broken.write_text("groups:\n  - just a string\n", "utf-8")
    for rule_files, coverage in (
        ([TESTS / "alerts" / "failing"], "runbooks"),
        ([tmp_path / "one-step.yml"], "steps"),
        ([broken], None),
    ):
        read = read_rules(rule_files)
        checked = check_alerts(
            read.rules, targets, [ALERTS_BASE], coverage=coverage, read_problems=read.problems
        )
        found |= {p.rule for p in checked.problems}
    # a link to a page the site redirects to a runbook
    moved = handbook_targets(
        build_handbook(ROOTS / "test-alerts"), Site(redirects=(("old/", "runbooks/database.html"),))
    )
    (tmp_path / "one-step.yml").write_text(
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n"
        f"          runbook_url: {ALERTS_BASE}old/\n",
        "utf-8",
    )
    found |= {
        p.rule
        for p in check_alerts(read_rules([tmp_path / "one-step.yml"]).rules, moved, [ALERTS_BASE]).problems
    }
    assert sorted(set(RULES_BY_CODE) - found) == []


# -- configuration: suppression and severity -----------------------------------------


@pytest.mark.sphinx(
    "runbooks",
    testroot="lint-myst",
    freshenv=True,
    confoverrides={"suppress_warnings": ["incident.numbering_gap"]},
)
def test_suppress_warnings_silences_exactly_one_rule(app) -> None:
    app.build()
    got = incident_warnings(app.warning.getvalue())
    assert got == [w for w in MYST_EXPECTED if w[2] != "numbering_gap"]
    data = read_json(Path(app.outdir) / "runbooks.json")
    rules = {p["rule"] for r in data["runbooks"] for p in r["problems"]}
    assert "numbering_gap" not in rules
    assert "stray_step" in rules


@pytest.mark.sphinx(
    "runbooks",
    testroot="lint-myst",
    freshenv=True,
    confoverrides={
        "incident_severity": {
            "numbering_gap": "warning",
            "stray_step": "off",
            "no_such_rule": "error",
            "bad_url": "fatal",
        }
    },
)
def test_severity_is_configurable_and_bad_entries_fall_back(app) -> None:
    app.build()
    warnings = app.warning.getvalue()
    data = read_json(Path(app.outdir) / "runbooks.json")
    problems = [p for r in data["runbooks"] for p in r["problems"]]
    assert {p["severity"] for p in problems if p["rule"] == "numbering_gap"} == {"warning"}
    assert not [p for p in problems if p["rule"] == "stray_step"]
    assert {p["severity"] for p in problems if p["rule"] == "bad_url"} == {"error"}
    assert "unknown check 'no_such_rule'" in warnings
    assert "incident_severity['bad_url'] = 'fatal'" in warnings


@pytest.mark.sphinx("runbooks", testroot="seed", freshenv=True)
def test_problems_are_stored_in_the_step_list(app) -> None:
    app.build()
    (runbook,) = read_json(Path(app.outdir) / "runbooks.json")["runbooks"]
    first = runbook["problems"][0]
    assert set(first) == {"rule", "severity", "message", "path", "line"}
    assert first["path"] == "index.md"
    assert [(p["line"], p["rule"]) for p in runbook["problems"]] == [
        (17, "unresolved_reference"),
        (21, "undefined_term"),
        (37, "unresolved_reference"),
        (42, "undefined_role"),
        (44, "undefined_term"),
        (45, "undefined_term"),
        (63, "stray_step"),
        (66, "numbering_gap"),
        (67, "unresolved_reference"),
        (69, "undefined_role"),
    ]


@pytest.mark.sphinx("html", testroot="lint-myst", freshenv=True)
def test_incremental_build_reports_the_same(app) -> None:
    app.build()
    first = incident_warnings(app.warning.getvalue())
    app.warning.truncate(0)
    app.warning.seek(0)
    app.build()  # nothing changed: no document is read again
    assert incident_warnings(app.warning.getvalue()) == first == MYST_EXPECTED


@pytest.mark.sphinx("html", testroot="lint-myst", freshenv=True, parallel=2)
def test_parallel_build_reports_the_same(app) -> None:
    app.build()
    assert incident_warnings(app.warning.getvalue()) == MYST_EXPECTED


# -- pure checks on small models -------------------------------------------------------


def step(number: str | None, title: str | None = "T", line: int = 1, **kw) -> Step:
    return Step(id=f"s{number}-{line}", number=number, title=title, text="", line=line, **kw)


def runbook(*steps: Step, **kw) -> Runbook:
    return Runbook(id="r", title="R", docname="d", source="d.md", line=1, steps=list(steps), **kw)


def rules(problems) -> list[tuple[str, int | None]]:
    return [(p.rule, p.line) for p in problems]


def test_a_clean_model_has_no_problem() -> None:
    assert check_runbook(runbook(step("1", line=1), step("2", line=2), step("3", line=3))) == []


def test_a_list_continued_after_a_paragraph_is_not_a_gap() -> None:
    good = runbook(step("1", line=1), step("2", line=2), step("3", line=5, list_index=1))
    assert check_runbook(good) == []


def test_gap_duplicate_restart_between_lists() -> None:
    rb = runbook(
        step("1", line=1), step("2", line=2),
        step("4", line=4, list_index=1),
        step("2", line=6, list_index=2),
        step("1", line=8, list_index=3),
    )  # fmt: skip
    assert rules(check_runbook(rb)) == [
        ("numbering_gap", 4), ("numbering_duplicate", 6), ("numbering_restart", 8)
    ]  # fmt: skip


def test_a_huge_gap_names_its_ends_without_listing_every_number() -> None:
    """A typo such as 1000000000 once made the check list a billion missing numbers."""
    rb = runbook(step("1", line=1), step("1000000000", line=3, list_index=1))
    (problem,) = check_runbook(rb)
    assert problem.rule == "numbering_gap"
    assert problem.message == "step 1000000000 follows step 1: steps 2-999999999 are missing"


def test_misspelt_references_get_a_suggestion() -> None:
    terms = [Reference("External Liason", "External Liason", line=4, resolved=False)]
    roles = [Reference("Tech Lead", "Tech Lead", line=5, resolved=False)]
    rb = runbook(step("1", terms=terms, roles=roles))
    settings = Settings(known_terms=["External Liaison", "Support Triagers"], known_roles=["Technology Lead"])
    messages = [p.message for p in check_runbook(rb, settings)]
    assert "term 'External Liason' is not in any glossary (did you mean 'External Liaison'?)" in messages[0]
    # too far from any defined role: no guess
    assert "did you mean" not in messages[1]


def test_a_gap_left_by_a_stray_step_points_at_it() -> None:
    rb = runbook(
        step("1", line=1),
        step("2", line=2, origin="paragraph", list_index=1),
        step("3", line=4, list_index=2),
    )
    gap = next(p for p in check_runbook(rb) if p.rule == "numbering_gap")
    assert gap.message == (
        "step 3 follows step 1: step 2 is missing from the list (line 2 writes step 2 as a paragraph)"
    )


def test_substep_numbering_is_checked_too() -> None:
    parent = step("1", substeps=[step("a", line=2), step("c", line=3, list_index=1)])
    assert rules(check_runbook(runbook(parent))) == [("numbering_gap", 3)]


def test_swallowed_line_is_a_stray_step() -> None:
    rb = runbook(step("1"), step("2", line=2, swallowed=[Note("3 **Next**", line=3)]))
    (problem,) = check_runbook(rb)
    assert (problem.rule, problem.line) == ("stray_step", 3)
    assert "`3. **Next**`" in problem.message


def test_untitled_only_when_most_steps_have_titles() -> None:
    assert rules(check_runbook(runbook(step("1"), step("2"), step("3", title=None, line=3)))) == [
        ("untitled_step", 3)
    ]
    assert check_runbook(runbook(step("1", title=None), step("2", title=None), step("3"))) == []


def test_detached_list_under_a_stray_step_is_not_reported_twice() -> None:
    stray = step("2", origin="paragraph", line=2, substeps=[step(None, origin="detached", line=3)])
    assert rules(check_runbook(runbook(step("1"), stray))) == [("stray_step", 2)]


def test_unresolved_references_once_per_line() -> None:
    role = Reference("Lead", "Lead", line=4, resolved=False)
    rb = runbook(step("1", roles=[role, role], terms=[Reference("X", "X", 5, resolved=True)]))
    assert rules(check_runbook(rb)) == [("undefined_role", 4)]


def test_steps_that_want_one_id_are_one_finding_at_the_later_step() -> None:
    rb = runbook(
        step("1", line=1),
        step("2", line=2),
        step("3", line=3),
        id_collisions=[("check", "check-1a2b3c4d"), ("check", "check-5e6f7a8b")],
    )
    rb.steps[0].id, rb.steps[2].id = "check-1a2b3c4d", "check-5e6f7a8b"
    found = check_runbook(rb)
    assert rules(found) == [("duplicate_step_id", 3)]
    assert "the one at line 1" in found[0].message


def test_link_hosts_allowlist_accepts_subdomains() -> None:
    links = [
        Link("external", "https://wiki.corp.net/a", "a", line=1),
        Link("button", "https://evil.net/a", "Open", line=2),
        Link("external", "mailto:oncall@corp.net", "mail", line=3),
    ]
    rb = runbook(step("1", links=links))
    assert rules(check_runbook(rb, Settings(link_hosts=["corp.net"]))) == [("link_host", 2)]
    assert check_runbook(rb) == []


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("", "bad_url"),
        ("   ", "bad_url"),
        ("https://", "bad_url"),
        ("http://[::1", "bad_url"),
        ("javascript:alert(1)", "unsafe_url"),
        ("JavaScript:alert(1)", "unsafe_url"),
        ("data:text/html,<b>", "unsafe_url"),
        ("file:///etc/passwd", "unsafe_url"),
        ("ftp://files.corp.net/x", "url_scheme"),
        ("https://example.com/", "placeholder_url"),
        ("https://docs.example.org/x", "placeholder_url"),
        # a development server is a real address, not a URL left to fill in
        ("http://localhost:8000/", None),
        ("https://localhost:4430/", None),
        ("http://127.0.0.1:8080/admin", None),
        ("http://0.0.0.0:5000/", None),
        ("https://corp.net/TODO", "placeholder_url"),
        ("https://corp.net/tickets/<id>", "placeholder_url"),
        ("https://corp.net/tickets/%3Cid%3E", "placeholder_url"),
        ("https://corp.net/tickets/42", None),
        ("mailto:oncall@corp.net", None),
        ("https://todos.corp.net/list", None),
        ("relative/page.html", None),
    ],
)
def test_url_problems(url: str, rule: str | None) -> None:
    found = url_problem(url)
    assert (found[0] if found else None) == rule


def test_bad_severity_entries_are_named() -> None:
    messages = invalid_severities({"numbering_gap": "loud", "nope": "error", "stray_step": "off"})
    assert len(messages) == 2


def test_every_rule_says_what_it_catches_why_and_how_to_fix_it() -> None:
    # the documentation's rule reference is made from these texts (tests/test_docs.py)
    for rule in RULES:
        assert rule.summary and rule.why and rule.fix


@pytest.mark.sphinx("html", testroot="lint-myst", freshenv=True)
def test_unsafe_urls_are_never_rendered_as_links(app) -> None:
    app.build()
    html = (Path(app.outdir) / "index.html").read_text("utf-8")
    assert "javascript:" not in html
    assert "Run" in html


@pytest.mark.sphinx("html", testroot="lint-rst", freshenv=True)
def test_unsafe_button_in_rst_is_not_a_link(app) -> None:
    app.build()
    html = (Path(app.outdir) / "index.html").read_text("utf-8")
    assert "javascript:" not in html
