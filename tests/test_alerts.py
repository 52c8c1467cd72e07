"""``sphinx-incident alerts``: alert rules' runbook links checked against a handbook."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_incident.checking.rules import RULES
from sphinx_incident.commands import cli
from sphinx_incident.commands.alerts.checks import Checker, check_alerts, closest_step, split_step_anchor
from sphinx_incident.commands.alerts.command import BuiltHandbook, build_handbook, handbook_targets
from sphinx_incident.commands.alerts.rules import AlertRule, read_rules
from sphinx_incident.commands.alerts.site import Site, github_slug, gitlab_slug, mkdocs_slug, site_from
from sphinx_incident.commands.alerts.targets import HandbookTargets, targets_from_step_list
from sphinx_incident.commands.alerts.urls import read_base, read_url, resolve_dots, under

from conftest import ROOTS, TESTS

ALERTS = TESTS / "alerts"
COLLECTION = ALERTS / "handbooks" / "collection"
BASE = "https://ops.northwind.test/handbook/"
#: where the collection is published by a static site generator, and shown on the forges
SITE = "https://runbooks.lattice.test/"
GITHUB = "https://github.com/lattice/runbooks/blob/main/"
GITLAB = "https://gitlab.com/lattice/runbooks/-/blob/main/"
#: rules proven by the failing and clean fixtures; the others have tests of their own below
LINK_RULES = [
    r.code for r in RULES
    if r.scope == "alerts" and r.code not in ("alert_uncovered_runbook", "alert_uncovered_step",
                                               "alert_rule_file", "alert_via_redirect")
]  # fmt: skip

FAILING_EXPECTED = """\
alerts/failing/grafana.yaml:10: warning: CertificateExpiresSoon: has no runbook_url annotation [alert_no_runbook]
alerts/failing/grafana.yaml:29: error: CertificateRenewalFailed: runbook 'certificate-renewal' has no step 'renew' [alert_unknown_step]
    url: https://ops.northwind.test/handbook/incidents.html#certificate-renewal--renew
    did you mean: https://ops.northwind.test/handbook/incidents.html#certificate-renewal--renew-it (step 2 "Renew it")
alerts/failing/grafana.yaml:39: warning: CertificateProbeFailing: templated ({{ index $labels "runbook" }}): only the part before it is checked [alert_templated_url]
    url: https://ops.northwind.test/handbook/incidents.html#{{ index $labels "runbook" }}
alerts/failing/prometheus.yml:5: warning: PostgresPrimaryDown: has no runbook_url annotation [alert_no_runbook]
alerts/failing/prometheus.yml:14: error: PostgresReplicaLag: runbook_url is not an absolute http(s) URL [alert_bad_url]
    url: runbooks/database.md
alerts/failing/prometheus.yml:18: error: PostgresConnectionsExhausted: no such runbook: no page at this URL [alert_unknown_page]
    url: https://ops.northwind.test/handbook/runbooks/postgres.html
alerts/failing/prometheus.yml:22: error: PostgresReplicaNotPromoted: runbook 'database-failover' has no step 'promote-replica' [alert_unknown_step]
    url: https://ops.northwind.test/handbook/runbooks/database.html#database-failover--promote-replica
    did you mean: https://ops.northwind.test/handbook/runbooks/database.html#database-failover--promote-the-replica (step 2 "Promote the replica")
alerts/failing/prometheus.yml:26: error: PostgresDiskFull: the page has no anchor #backround [alert_unknown_anchor]
    url: https://ops.northwind.test/handbook/runbooks/database.html#backround
    did you mean: https://ops.northwind.test/handbook/runbooks/database.html#background
alerts/failing/prometheus.yml:30: warning: PostgresDown: templated ({{ $labels.job }}): only the part before it is checked [alert_templated_url]
    url: https://ops.northwind.test/handbook/runbooks/{{ $labels.job }}.html
alerts/failing/prometheusrule.yaml:13: warning: NobodyAcknowledged: the page holds no runbook (#role-incident-commander is on it) [alert_not_runbook]
    url: https://ops.northwind.test/handbook/roles.html#role-incident-commander
alerts/failing/prometheusrule.yaml:17: error: SupportTicketBacklog: #incident-response is on another page [alert_unknown_anchor]
    url: https://ops.northwind.test/handbook/index.html#incident-response
    did you mean: https://ops.northwind.test/handbook/incidents.html#incident-response (runbook "Incident response")
alerts/failing/prometheusrule.yaml:21: error: IncidentStepOverdue: templated ({{ $labels.step }}): no anchor of the page starts with #incident-responce-- [alert_unknown_anchor]
    url: https://ops.northwind.test/handbook/incidents.html#incident-responce--{{ $labels.step }}
7 errors, 5 warnings in 12 alerts (6 linking into the handbook) in 3 rule files
"""  # noqa: E501


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the tests folder, so paths print as ``alerts/...``."""
    monkeypatch.chdir(TESTS)
    return TESTS


def build_step_list(source: Path, out: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "runbooks", str(source), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out / "runbooks.json"


@pytest.fixture(scope="module")
def step_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test handbook's runbooks.json, built once."""
    return build_step_list(ROOTS / "test-alerts", tmp_path_factory.mktemp("alerts-site"))


def alerts(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["alerts", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def rule_file(path: Path, *urls: str, base: str = BASE) -> Path:
    """A Prometheus rule file with one alert per URL (``Alert0``, ``Alert1`` ...)."""
    lines = ["groups:", "  - name: g", "    rules:"]
    for n, url in enumerate(urls):
        lines += [f"      - alert: Alert{n}", "        expr: up == 0", "        annotations:",
                  f"          runbook_url: {base}{url}"]  # fmt: skip
    return write(path, "\n".join(lines) + "\n")


def rules_of(*urls: str) -> list[AlertRule]:
    return [AlertRule(f"Alert{n}", "r.yml", 1, "prometheus", "g", url, n + 2) for n, url in enumerate(urls)]


def findings(targets: HandbookTargets, *urls: str, base: str = BASE) -> list[tuple[str, str, str | None]]:
    """(alert, rule, suggested URL) of every finding about these URLs."""
    result = check_alerts(rules_of(*(base + url for url in urls)), targets, [base])
    return [(f.alert or "", f.rule, f.suggestion.url if f.suggestion else None) for f in result.findings]


# -- the command against a built handbook ---------------------------------------------------


def test_failing_rules_against_the_handbook(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = alerts(capsys, "alerts/failing", "--handbook", "roots/test-alerts")
    assert (status, err) == (1, "")
    assert out == FAILING_EXPECTED


def test_clean_rules_of_every_shape(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = alerts(capsys, "alerts/clean", "--handbook", "roots/test-alerts")
    assert status == 0
    # a plain rules file, a PrometheusRule manifest (after a ConfigMap) and a Grafana file
    assert out == "0 errors, 0 warnings in 6 alerts (6 linking into the handbook) in 3 rule files\n"


@pytest.fixture(scope="module")
def built() -> BuiltHandbook:
    return build_handbook(ROOTS / "test-alerts")


@pytest.fixture(scope="module")
def built_targets(built: BuiltHandbook) -> HandbookTargets:
    """The test handbook's targets as a build knows them (every page and id)."""
    return handbook_targets(built, Site())


@pytest.mark.parametrize("code", LINK_RULES)
def test_each_check_has_a_failing_and_a_clean_fixture(code: str, built_targets: HandbookTargets) -> None:
    targets = built_targets
    failing = check_alerts(read_rules([ALERTS / "failing"]).rules, targets, [BASE]).findings
    clean = check_alerts(read_rules([ALERTS / "clean"]).rules, targets, [BASE]).findings
    assert code in {p.rule for p in failing}
    assert clean == []


def test_step_list_knows_fewer_anchors_and_says_so(
    here: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = alerts(capsys, "alerts/failing", "--step-list", str(step_list.parent))
    assert status == 1
    lines = out.splitlines()
    # a page of no runbook that the step list does not name: unknown or runbook-less, it cannot tell
    at = lines.index(
        "alerts/failing/prometheusrule.yaml:17: error: SupportTicketBacklog: no page of the step list at "
        "this URL [alert_unknown_page]"
    )
    assert lines[at + 2] == (
        "    did you mean: https://ops.northwind.test/handbook/incidents.html#incident-response "
        '(runbook "Incident response")'
    )
    # section anchors are not in the step list: #backround cannot be told wrong, so it is not reported
    assert not any("PostgresDiskFull" in line for line in lines)
    # renamed steps and team-role anchors are known from the step list alone
    assert any(
        "PostgresReplicaNotPromoted: runbook 'database-failover' has no step" in line for line in lines
    )
    assert any("NobodyAcknowledged: the page holds no runbook" in line for line in lines)
    # the base URL came from the step list's base_url
    assert "in 12 alerts (6 linking into the handbook)" in lines[-1]


def test_renamed_step_in_a_commit_is_reported_with_its_new_anchor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOTS / "test-alerts", repo / "docs")
    rule_file(repo / "alerts.yml", "runbooks/database.html#database-failover--promote-the-replica")
    git = git_in(repo, monkeypatch)
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "Database failover runbook and its alert")
    monkeypatch.chdir(repo)
    assert alerts(capsys, "alerts.yml", "--handbook", "docs")[0] == 0

    page = repo / "docs" / "runbooks" / "database.md"
    page.write_text(page.read_text("utf-8").replace("**Promote the replica**", "**Promote the standby**"))
    git("commit", "-q", "-am", "Name the replica the standby, as the console does")
    status, out, _ = alerts(capsys, "alerts.yml", "--handbook", "docs")
    assert status == 1
    assert out.splitlines()[:3] == [
        "alerts.yml:7: error: Alert0: runbook 'database-failover' has no step 'promote-the-replica' "
        "[alert_unknown_step]",
        f"    url: {BASE}runbooks/database.html#database-failover--promote-the-replica",
        f"    did you mean: {BASE}runbooks/database.html#database-failover--promote-the-standby "
        '(step 2 "Promote the standby")',
    ]


def git_in(repo: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A ``git`` runner for ``repo`` that ignores the user's and the system's configuration."""
    for name, value in {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Handbook",
        "GIT_AUTHOR_EMAIL": "handbook@northwind.test",
        "GIT_COMMITTER_NAME": "Handbook",
        "GIT_COMMITTER_EMAIL": "handbook@northwind.test",
    }.items():
        monkeypatch.setenv(name, value)

    def git(*args: str) -> str:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
        return result.stdout

    return git


# -- coverage ---------------------------------------------------------------------------------


def test_coverage_reports_runbooks_no_alert_reaches_and_tabulates_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the usual layout: the step list in the handbook's build folder, run from the repository
    shutil.copytree(ROOTS / "test-alerts", tmp_path / "docs")
    built_list = build_step_list(tmp_path / "docs", tmp_path / "docs" / "_build" / "html")
    rules = rule_file(tmp_path / "r.yml", "runbooks/database.html")
    monkeypatch.chdir(tmp_path)
    status, out, _ = alerts(capsys, "r.yml", "--step-list", str(built_list.parent), "--coverage")
    assert status == 0  # warnings only
    # paths relative to the current folder, so annotations land on the runbook's file
    assert out.splitlines() == [
        "docs/incidents.md:6: warning: no alert links to runbook 'incident-response' (\"Incident response\") "
        "[alert_uncovered_runbook]",
        "docs/incidents.md:16: warning: no alert links to runbook 'certificate-renewal' "
        '("Certificate renewal") [alert_uncovered_runbook]',
        "coverage: 1 of 3 runbooks reached by an alert",
        "  alerts  runbook              source",
        "       0  incident-response    docs/incidents.md:6",
        "       0  certificate-renewal  docs/incidents.md:16",
        "       1  database-failover    docs/runbooks/database.md:5",
        "0 errors, 2 warnings in 1 alert (1 linking into the handbook) in 1 rule file",
    ]
    status, out, _ = alerts(
        capsys, str(rules), "--step-list", str(built_list), "--coverage", "--format", "json"
    )
    assert json.loads(out)["coverage"] == {
        "incident-response": [], "certificate-renewal": [], "database-failover": ["Alert0"],
    }  # fmt: skip
    # --fail-on warning makes the uncovered runbooks fail the run
    args = (str(rules), "--step-list", str(built_list), "--coverage", "--fail-on", "warning")
    assert alerts(capsys, *args)[0] == 1
    # --source-dir says where the sources are when the step list is elsewhere
    elsewhere = str(shutil.copy(built_list, tmp_path / "runbooks.json"))
    _, out, _ = alerts(capsys, "r.yml", "--step-list", elsewhere, "--coverage", "--source-dir", "docs")
    assert out.startswith("docs/incidents.md:6: warning: no alert links to runbook 'incident-response'")


def test_step_coverage_in_runbooks_whose_alerts_start_at_steps(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = "runbooks/database.html#database-failover--"
    every = rule_file(
        tmp_path / "every.yml",
        page + "confirm-the-primary-is-down",
        page + "run-the-promotion-job",  # a sub-step covers its step
        page + "point-the-services-at-the-new-primary",
        page + "verify",
        "incidents.html#incident-response",
        "incidents.html#certificate-renewal",
    )
    status, out, _ = alerts(capsys, str(every), "--step-list", str(step_list), "--coverage", "steps")
    assert status == 0
    assert out.splitlines()[0] == "coverage: 3 of 3 runbooks reached by an alert"
    missing = rule_file(tmp_path / "missing.yml", page + "confirm-the-primary-is-down", page + "verify",
                        "incidents.html#incident-response", "incidents.html#certificate-renewal")  # fmt: skip
    status, out, _ = alerts(capsys, str(missing), "--step-list", str(step_list), "--coverage", "steps",
                            "--source-dir", str(ROOTS / "test-alerts"))  # fmt: skip
    source = os.path.relpath(ROOTS / "test-alerts" / "runbooks" / "database.md")
    assert out.splitlines()[:2] == [
        f'{source}:8: warning: no alert links to step 2 "Promote the replica" of runbook '
        "'database-failover' [alert_uncovered_step]",
        f'{source}:11: warning: no alert links to step 3 "Point the services at the new primary" of '
        "runbook 'database-failover' [alert_uncovered_step]",
    ]


# -- output formats and severities ---------------------------------------------------------


def test_json_findings_carry_structured_fields(
    here: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = alerts(capsys, "alerts/failing/prometheus.yml", "--step-list", str(step_list),
                            "--format", "json")  # fmt: skip
    data = json.loads(out)
    assert status == 1
    assert (data["alerts"], data["rule_files"], data["linked"], data["errors"], data["warnings"]) == (
        6,
        1,
        3,
        3,
        2,
    )
    assert data["problems"][0] == {
        "path": "alerts/failing/prometheus.yml", "line": 5, "severity": "warning", "rule": "alert_no_runbook",
        "message": "PostgresPrimaryDown: has no runbook_url annotation", "alert": "PostgresPrimaryDown",
        "url": None, "page": None, "anchor": None, "reason": "has no runbook_url annotation", "suggestion": None,  # noqa: E501
    }  # fmt: skip
    renamed = next(p for p in data["problems"] if p["alert"] == "PostgresReplicaNotPromoted")
    assert {k: renamed[k] for k in ("url", "page", "anchor", "reason", "suggestion")} == {
        "url": f"{BASE}runbooks/database.html#database-failover--promote-replica",
        "page": "runbooks/database.html",
        "anchor": "database-failover--promote-replica",
        "reason": "runbook 'database-failover' has no step 'promote-replica'",
        "suggestion": {
            "url": f"{BASE}runbooks/database.html#database-failover--promote-the-replica",
            "what": 'step 2 "Promote the replica"',
        },
    }


def test_github_annotations(here: Path, step_list: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = alerts(capsys, "alerts/failing/prometheus.yml", "--step-list", str(step_list),
                            "--format", "github")  # fmt: skip
    assert out.splitlines()[1] == (
        "::error file=alerts/failing/prometheus.yml,line=14,title=incident.alert_bad_url::"
        "PostgresReplicaLag: runbook_url is not an absolute http(s) URL"
    )


def test_sarif_for_code_scanning(here: Path, step_list: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = alerts(capsys, "alerts/failing/prometheus.yml", "--step-list", str(step_list),
                            "--format", "sarif")  # fmt: skip
    sarif = json.loads(out)
    assert (status, sarif["version"]) == (1, "2.1.0")
    (run,) = sarif["runs"]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {r.code for r in RULES if r.scope == "alerts"}
    renamed = next(r for r in run["results"] if r["properties"]["alert"] == "PostgresReplicaNotPromoted")
    assert renamed["ruleId"] == "alert_unknown_step" and renamed["level"] == "error"
    assert renamed["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "alerts/failing/prometheus.yml"}, "region": {"startLine": 22}}}]  # fmt: skip # noqa: E501
    assert renamed["properties"]["suggestion"]["url"].endswith("#database-failover--promote-the-replica")


def test_text_lines_fit_a_ci_log(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each finding is a short line saying what is wrong; the URLs are on indented lines below."""
    _, out, _ = alerts(capsys, "alerts/failing", "--handbook", "roots/test-alerts")
    headlines = [line for line in out.splitlines()[:-1] if not line.startswith("    ")]
    details = [line for line in out.splitlines() if line.startswith("    ")]
    assert len(headlines) == 12
    assert all(
        re.fullmatch(r"alerts/failing/\S+:\d+: (error|warning): \w+: .* \[alert_\w+\]", h) for h in headlines
    )
    assert sorted(len(h) for h in headlines)[6] < 140 and max(len(h) for h in headlines) < 180
    assert all(d.startswith(("    url: ", "    did you mean: ")) for d in details)
    assert not any("://" in h for h in headlines)


def test_each_distinct_url_is_judged_once(
    built_targets: HandbookTargets, monkeypatch: pytest.MonkeyPatch
) -> None:
    judged: list[str] = []
    judge = Checker.judge
    monkeypatch.setattr(Checker, "judge", lambda self, url: judged.append(url) or judge(self, url))
    urls = [f"{BASE}runbooks/postgres.html", f"{BASE}incidents.html#certificate-renewal--renew"] * 50
    result = check_alerts(rules_of(*urls), built_targets, [BASE])
    assert len(result.findings) == 100
    assert sorted(judged) == sorted(set(urls))


def test_severities_from_the_command_line_and_conf_py(
    here: Path, tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["alerts/failing/grafana.yaml", "--step-list", str(step_list)]
    status, out, _ = alerts(capsys, *args, "--severity", "alert_unknown_step=warning",
                            "--severity", "alert_templated_url=off")  # fmt: skip
    assert status == 0
    assert out.splitlines()[-1].startswith("0 errors, 2 warnings")
    assert "alert_templated_url" not in out
    # the handbook's own incident_severity and suppress_warnings apply too
    docs = shutil.copytree(ROOTS / "test-alerts", tmp_path / "docs")
    with (docs / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('incident_severity = {"alert_no_runbook": "error"}\n'
                   'suppress_warnings = ["incident.alert_unknown_step"]\n')  # fmt: skip
    status, out, _ = alerts(capsys, "alerts/failing/grafana.yaml", "--handbook", str(docs))
    assert status == 1
    assert out.splitlines()[0].startswith("alerts/failing/grafana.yaml:10: error: CertificateExpiresSoon")
    assert "alert_unknown_step" not in out


def test_base_url_option_and_mirrors(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = write(
        tmp_path / "r.yml",
        "groups:\n- name: g\n  rules:\n"
        "  - alert: A\n    annotations:\n      runbook_url: https://mirror.northwind.test/hb/incidents.html#nope--x\n"
        "  - alert: B\n    annotations:\n      runbook_url: https://ops.northwind.test/handbook/incidents.html\n",
    )
    # only the mirror is named: links to the main site are links elsewhere, not checked
    status, out, _ = alerts(capsys, str(rules), "--step-list", str(step_list),
                            "--base-url", "https://mirror.northwind.test/hb")  # fmt: skip
    assert status == 0
    assert out.endswith("0 errors, 0 warnings in 2 alerts (1 linking into the handbook) in 1 rule file\n")
    _, out, _ = alerts(capsys, str(rules), "--step-list", str(step_list),
                       "--base-url", "https://mirror.northwind.test/hb", "--base-url", BASE)  # fmt: skip
    assert "(2 linking into the handbook)" in out


# -- usage errors: one line on stderr, status 2 ------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ["missing.yml"], "missing.yml: no such file or folder"),
        (
            "notrules.yml",
            ["notrules.yml"],
            "notrules.yml: no Prometheus rule file, PrometheusRule, VMRule or "
            "Grafana alert-rule provisioning file in this file",
        ),
        (
            "ok.yml",
            ["ok.yml", "--severity", "alert_nope=off"],
            "--severity names an unknown rule 'alert_nope'",
        ),
        ("ok.yml", ["ok.yml", "--severity", "alert_no_runbook=loud"], "the level is error, warning or off"),
        ("ok.yml", ["ok.yml", "--rewrite", "(=x"], "rewrite '(' -> 'x': missing ), unterminated subpattern"),
        ("ok.yml", ["ok.yml", "--rewrite", "a=\\9"], "invalid group reference 9"),
    ],
)
def test_usage_errors(
    setup: str | None, args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    step_list: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    contents = {"notrules.yml": "replicaCount: 2\nimage: prom/prometheus\n", "ok.yml": "groups: []\n"}
    if setup:
        write(tmp_path / setup, contents[setup])
    status, out, err = alerts(capsys, *args, "--step-list", str(step_list))
    assert (status, out) == (2, "")
    assert err.startswith("sphinx-incident alerts: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_handbook_that_does_not_build_and_a_bad_step_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = shutil.copytree(ROOTS / "test-alerts", tmp_path / "docs")
    (docs / "conf.py").write_text("raise RuntimeError('no config today')\n", "utf-8")
    status, _, err = alerts(capsys, str(ALERTS / "clean"), "--handbook", str(docs))
    assert status == 2 and "no config today" in err and err.count("\n") == 1
    status, _, err = alerts(capsys, str(ALERTS / "clean"), "--handbook", str(tmp_path / "nowhere"))
    assert status == 2 and "nowhere: no such folder" in err
    (tmp_path / "runbooks.json").write_text("{not json", "utf-8")
    status, _, err = alerts(capsys, str(ALERTS / "clean"), "--step-list", str(tmp_path))
    assert status == 2 and "runbooks.json: not JSON" in err
    (tmp_path / "runbooks.json").write_text('{"generator": {"name": "sphinx-incident"}, "schema_version": '
                                            '"1.1", "base_url": "", "runbooks": []}', "utf-8")  # fmt: skip
    status, _, err = alerts(capsys, str(ALERTS / "clean"), "--step-list", str(tmp_path))
    assert status == 2 and "no base URL" in err and "--base-url" in err


# -- the published site's shape ---------------------------------------------------------------


@pytest.fixture(scope="module")
def collection() -> BuiltHandbook:
    """A Markdown collection of runbooks, one page per alert, with mixed-case file names."""
    return build_handbook(COLLECTION)


#: links to the collection as Hugo publishes it: lower-case paths, folders as pages
HUGO_LINKS = [
    "storage/volumefillingup/",
    "storage/volumeinodesfillingup/#mitigation",
    "network/linkflapping/",
    "mixin/runbook/#alert-name-ingestqueue-full",
    "storage/volumenotmounted/",  # no such runbook
    "mixin/runbook/#ingest-ring-unhealthy",  # the anchor is #ingestringunhealthy
]


def test_a_hugo_site_serves_lower_case_paths(collection: BuiltHandbook) -> None:
    """Mixed-case sources, lower-case URLs: read as a Sphinx site every link is a false alarm;
    described as Hugo, exactly the broken ones are reported, and coverage names the one runbook
    no alert reaches."""
    as_sphinx = handbook_targets(collection, Site())
    assert [rule for _, rule, _ in findings(as_sphinx, *HUGO_LINKS, base=SITE)] == [
        "alert_unknown_page", "alert_unknown_page", "alert_unknown_page",
        "alert_unknown_anchor",  # Sphinx's dirhtml has mixin/runbook/, but not GitHub's anchors
        "alert_unknown_page", "alert_unknown_anchor",
    ]  # fmt: skip
    hugo = handbook_targets(collection, Site("hugo"))
    assert findings(hugo, *HUGO_LINKS, base=SITE) == [
        ("Alert4", "alert_unknown_page", None),
        ("Alert5", "alert_unknown_anchor", f"{SITE}mixin/runbook/#ingestringunhealthy"),
    ]
    result = check_alerts(rules_of(*(SITE + url for url in HUGO_LINKS)), hugo, [SITE], coverage="runbooks")
    uncovered = [f.reason for f in result.findings if f.rule == "alert_uncovered_runbook"]
    assert uncovered == ["no alert links to runbook 'storage-volumeerrors' (\"VolumeErrors\")"]
    # a folder's _index.md is the folder's page
    assert hugo.lookup("storage/") == "storage/_index"


def test_fold_case_and_rewrite_rules(collection: BuiltHandbook) -> None:
    # a server that folds case, and a site that publishes the storage runbooks under /volumes/
    links = ["storage/VOLUMEFILLINGUP/", "volumes/volumeerrors/", "volumes/VolumeErrors/"]
    strict = handbook_targets(collection, Site("dirhtml"))
    assert [rule for _, rule, _ in findings(strict, *links, base=SITE)] == ["alert_unknown_page"] * 3
    site = site_from({"preset": "dirhtml", "fold_case": True}, rewrites=["^volumes/=storage/"])
    assert findings(handbook_targets(collection, site), *links, base=SITE) == []


def test_markdown_sources_on_github(collection: BuiltHandbook) -> None:
    """Links to the sources as GitHub shows them: ``blob/`` or ``tree/``, anchors by GitHub's
    heading rules, found whatever their case; a wrong anchor is a missing anchor, not a page."""
    github = handbook_targets(collection, Site("github"))
    fine = [
        "mixin/runbook.md#ingestringunhealthy",
        "mixin/runbook.md#IngestRingUnhealthy",
        "mixin/runbook.md#alert-name-ingestqueue-full",  # Sphinx would make it ...-ingest-queue-full
        "mixin/runbook.md#ingestcompactor----halted",
        "mixin/runbook.md#quick-checks-1",  # the second "Quick checks"
        "mixin/runbook.md#user-content-quick-checks",
        "mixin/runbook.md#legacy-queue-full",  # <a name=...> in the page
        "storage/VolumeFillingUp.md",
        "storage/VolumeFillingUp.md#mitigation",
    ]
    assert findings(github, *fine, base=GITHUB) == []
    assert findings(github, *fine, base=GITHUB.replace("/blob/", "/tree/")) == []
    assert findings(
        github,
        "mixin/runbook.md#alert-name-ingest-queue-full",
        "storage/volumefillingup.md",  # GitHub's paths are case-sensitive
        "storage/VolumeFillingUp.html",
        base=GITHUB,
    ) == [
        ("Alert0", "alert_unknown_anchor", f"{GITHUB}mixin/runbook.md#alert-name-ingestqueue-full"),
        ("Alert1", "alert_unknown_page", f"{GITHUB}storage/VolumeFillingUp.md"),
        ("Alert2", "alert_unknown_page", f"{GITHUB}storage/VolumeFillingUp.md"),
    ]


def test_markdown_sources_on_gitlab(collection: BuiltHandbook) -> None:
    gitlab = handbook_targets(collection, Site("gitlab"))
    assert findings(gitlab, "mixin/runbook.md#ingestcompactor-halted", "storage/VolumeErrors.md",
                    base=GITLAB) == []  # fmt: skip
    assert findings(gitlab, "storage/VolumeErrors.md", base=GITLAB.replace("/-/blob/", "/-/tree/")) == []
    # GitLab finds an anchor only in its own case
    assert [r for _, r, _ in findings(gitlab, "mixin/runbook.md#IngestRingUnhealthy", base=GITLAB)] == [
        "alert_unknown_anchor"
    ]


def test_heading_anchor_rules_of_each_generator() -> None:
    assert github_slug("Alert Name: Ingest.Queue Full") == "alert-name-ingestqueue-full"
    assert github_slug("IngestCompactor -- Halted") == "ingestcompactor----halted"
    assert github_slug("Überlauf `queue_size` (v2)") == "überlauf-queue_size-v2"
    assert gitlab_slug("IngestCompactor -- Halted") == "ingestcompactor-halted"
    assert mkdocs_slug("Überlauf: the Queue!") == "uberlauf-the-queue"
    assert Site("github").heading_anchors(["A", "A", "A-1"]) == ["a", "a-1", "a-1-1"]
    assert Site("mkdocs").heading_anchors(["A", "A", "!"]) == ["a", "a_1", "_1"]
    assert Site("hugo").heading_anchors(["Queue full {#queue}", "Queue full"]) == ["queue", "queue-full"]


@pytest.mark.parametrize(
    ("preset", "docname", "source", "forms"),
    [
        ("sphinx", "ops/db", None, ["ops/db.html", "ops/db/", "ops/db", "ops/db/index.html"]),
        ("html", "ops/db", None, ["ops/db.html"]),
        ("html", "ops/index", None, ["ops/", "ops/index.html"]),
        ("dirhtml", "ops/db", None, ["ops/db/", "ops/db", "ops/db/index.html"]),
        ("dirhtml", "index", None, ["", "index.html"]),
        ("mkdocs", "ops/README", "ops/README.md", ["ops/", "ops/index.html"]),
        (
            "hugo",
            "Ops/Disk Full",
            "Ops/Disk Full.md",
            ["ops/disk-full/", "ops/disk-full", "ops/disk-full/index.html"],
        ),
        ("hugo", "ops/_index", "ops/_index.md", ["ops/", "ops/index.html"]),
        ("docusaurus", "01-ops/02-db", "01-ops/02-db.md", ["ops/db", "ops/db/"]),
        ("github", "ops/Db", "ops/Db.md", ["ops/Db.md"]),
        ("github", "ops/README", "ops/README.md", ["ops/README.md", "ops/", "ops"]),
        ("gitlab", "ops/db", "ops/db.rst", ["ops/db.rst"]),
    ],
)
def test_page_urls_of_each_preset(preset: str, docname: str, source: str | None, forms: list[str]) -> None:
    assert Site(preset).page_forms(docname, source) == forms


def test_the_site_from_conf_py_and_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = shutil.copytree(COLLECTION, tmp_path / "runbooks")
    with (docs / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('incident_alert_site = {"preset": "hugo"}\n')
    rule_file(
        tmp_path / "rules.yml", "storage/volumefillingup/", "mixin/runbook/#ingestringunhealthy", base=SITE
    )
    monkeypatch.chdir(tmp_path)
    status, out, _ = alerts(capsys, "rules.yml", "--handbook", "runbooks")
    assert (status, out) == (
        0,
        "0 errors, 0 warnings in 2 alerts (2 linking into the handbook) in 1 rule file\n",
    )
    # the command line's --site is over conf.py's
    status, out, _ = alerts(capsys, "rules.yml", "--handbook", "runbooks", "--site", "github",
                            "--base-url", SITE)  # fmt: skip
    assert status == 1 and out.count("[alert_unknown_page]") == 2
    (docs / "conf.py").write_text(
        (docs / "conf.py").read_text("utf-8") + 'incident_alert_site = {"preset": "jekyll"}\n', "utf-8"
    )
    status, _, err = alerts(capsys, "rules.yml", "--handbook", "runbooks")
    assert status == 2
    assert err == (
        "sphinx-incident alerts: unknown site preset 'jekyll': one of sphinx, html, dirhtml, mkdocs, hugo, "
        "docusaurus, github, gitlab\n"
    )


def test_redirects_of_the_handbook_count_as_targets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Old URLs the handbook redirects: a redirects extension's map in conf.py (the extension
    need not be installed to read it), rediraffe's map, a page's ``aliases``, the site's own."""
    docs = shutil.copytree(COLLECTION, tmp_path / "runbooks")
    with (docs / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(
            'redirects = {"storage/DiskErrors": "VolumeErrors.html", "old/*": "../index.html"}\n'
            'rediraffe_redirects = {"network/Flapping.md": "network/LinkFlapping.md"}\n'
            'incident_alert_site = {"redirects": {"ingest/": "mixin/runbook.html"}}\n'
        )
    rule_file(
        tmp_path / "rules.yml",
        "storage/DiskErrors.html",  # sphinx-reredirects
        "network/Flapping.html#mitigation",  # rediraffe, with an anchor of the page it leads to
        "storage/disk-filling-up/",  # the page's aliases
        "ingest/#ingestringunhealthy",  # the site's redirects
        "network/Flapping.html#no-such-anchor",
        base=SITE,
    )
    monkeypatch.chdir(tmp_path)
    status, out, _ = alerts(capsys, "rules.yml", "--handbook", "runbooks", "--coverage", "--format", "json")
    data = json.loads(out)
    assert status == 1
    via = [
        (p["alert"], p["reason"], p["suggestion"]["url"])
        for p in data["problems"]
        if p["rule"] == "alert_via_redirect"
    ]
    assert via == [
        ("Alert0", "reaches its page via redirect (redirects in conf.py)", f"{SITE}storage/VolumeErrors.html"),  # noqa: E501
        ("Alert1", "reaches its page via redirect (rediraffe_redirects in conf.py)",
         f"{SITE}network/LinkFlapping.html#mitigation"),
        ("Alert2", "reaches its page via redirect (aliases of storage/VolumeFillingUp.md)",
         f"{SITE}storage/VolumeFillingUp/"),
        ("Alert3", "reaches its page via redirect (redirects of incident_alert_site)",
         f"{SITE}mixin/runbook/#ingestringunhealthy"),
        ("Alert4", "reaches its page via redirect (rediraffe_redirects in conf.py)",
         f"{SITE}network/LinkFlapping.html#no-such-anchor"),
    ]  # fmt: skip
    # the anchor is checked on the page the redirect leads to
    assert [(p["alert"], p["rule"]) for p in data["problems"] if p["severity"] == "error"] == [
        ("Alert4", "alert_unknown_anchor")
    ]
    assert data["coverage"]["storage-volumeerrors"] == ["Alert0"]


# -- rule repositories as they are ---------------------------------------------------------------


def prometheus_rules(*alerts_: tuple[str, str], indent: str = "") -> str:
    lines = [f"{indent}groups:", f"{indent}  - name: group", f"{indent}    rules:"]
    for name, url in alerts_:
        lines += [f"{indent}      - alert: {name}", f"{indent}        expr: up == 0",
                  f"{indent}        annotations:", f"{indent}          runbook_url: {url}"]  # fmt: skip
    return "\n".join(lines) + "\n"


REPOSITORY = {
    # what a monitoring repository holds besides rule files
    "setup/crd.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n"
    "  versions:\n  - schema:\n      openAPIV3Schema:\n        properties:\n          operator:\n"
    "            enum:\n            - =\n            - '!='\n            - =~\n",
    "grafana/policies.yaml": "apiVersion: 1\npolicies:\n  - orgId: 1\n    receiver: ops\n"
    "    routes:\n      - receiver: test\n        object_matchers: [[monitor, =, testdata]]\n",
    "deploy/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: prometheus}\n",
    "chart/templates/rules.yaml": "{{- if .Values.rules.enabled }}\ngroups:\n{{ toYaml .Values.rules | indent 2 }}\n"  # noqa: E501
    "{{- end }}\n",
    "tests/unit.yaml": "rule_files: [../rules/app.yml]\ntests:\n  - interval: 1m\n",
    "empty.yaml": "",
    # rule files of every shape
    "rules/app.yml": prometheus_rules(("AppDown", f"{BASE}incidents.html#incident-response")),
    "rules/empty-spec.yaml": "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: none}\n"  # noqa: E501
    "spec: {}\n",
    "rules/empty-groups.yaml": "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups: []\n",  # noqa: E501
    "kubectl/list.yaml": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: monitoring.coreos.com/v1\n"
    "  kind: PrometheusRule\n  metadata: {name: db}\n  spec:\n"
    + prometheus_rules(("DbDown", f"{BASE}runbooks/database.html"), indent="    "),
    "victoria/vmrule.yaml": "apiVersion: operator.victoriametrics.com/v1beta1\nkind: VMRule\nmetadata: {name: vm}\n"  # noqa: E501
    "spec:\n" + prometheus_rules(("CertExpiry", f"{BASE}incidents.html#certificate-renewal"), indent="  "),
    "thanos/rules.yaml": "groups:\n- name: thanos\n  partial_response_strategy: warn\n  rules:\n"
    f"  - alert: ThanosDown\n    annotations:\n      runbook_url: {BASE}runbooks/database.html\n",
    "mimir/rules.yaml": "namespace: tenant-a\n" + prometheus_rules(("MimirDown", f"{BASE}nowhere.html")),
    "configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: loki-rules}\ndata:\n"
    "  loki.rules.yaml: |\n" + prometheus_rules(("LokiDown", f"{BASE}nope.html"), indent="    "),
}


def test_a_rules_folder_as_a_repository_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every kind of file a monitoring repository holds, in one folder run: the rules of every
    shape are read, each other file is skipped with a note, and only the broken links fail."""
    for name, text in REPOSITORY.items():
        write(tmp_path / "repo" / name, text)
    monkeypatch.chdir(tmp_path)
    status, out, err = alerts(capsys, "repo", "--step-list", str(step_list))
    assert (status, err) == (1, "")
    assert out.splitlines() == [
        "repo/chart/templates/rules.yaml: note: skipped: a template, not YAML (line 1): check what it renders to "  # noqa: E501
        "instead",
        "repo/deploy/deployment.yaml: note: skipped: no alerting rules: it holds Deployment",
        "repo/empty.yaml: note: skipped: no alerting rules: no document has rule groups",
        "repo/grafana/policies.yaml: note: skipped: no alerting rules: it holds a mapping without rule groups",  # noqa: E501
        "repo/setup/crd.yaml: note: skipped: no alerting rules: it holds CustomResourceDefinition",
        "repo/tests/unit.yaml: note: skipped: no alerting rules: it holds a promtool unit test",
        # the line inside the ConfigMap's embedded rule file, counted in the ConfigMap
        "repo/configmap.yaml:12: error: LokiDown: no such runbook: no page of the step list at this URL "
        "[alert_unknown_page]",
        f"    url: {BASE}nope.html",
        "repo/mimir/rules.yaml:8: error: MimirDown: no such runbook: no page of the step list at this URL "
        "[alert_unknown_page]",
        f"    url: {BASE}nowhere.html",
        "2 errors, 0 warnings in 6 alerts (6 linking into the handbook) in 8 rule files; 6 files skipped",
    ]
    assert (
        (tmp_path / "repo" / "configmap.yaml")
        .read_text("utf-8")
        .splitlines()[11]
        .strip()
        .startswith("runbook_url")
    )
    # notes never change the exit status
    monkeypatch.chdir(tmp_path / "repo")
    status, out, _ = alerts(capsys, ".", "--step-list", str(step_list), "--exclude", "mimir",
                            "--exclude", "configmap.yaml", "--format", "json")  # fmt: skip
    data = json.loads(out)
    assert (status, data["alerts"], len(data["skipped"])) == (0, 4, 6)
    assert data["skipped"][0] == {
        "path": "chart/templates/rules.yaml",
        "reason": "a template, not YAML (line 1): check what it renders to instead",
    }


def test_excluded_files_and_folders_are_not_read(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "rules" / "app.yml", prometheus_rules(("A", f"{BASE}nope.html")))
    write(tmp_path / "rules" / "vendor" / "x" / "lib.yml", prometheus_rules(("B", f"{BASE}nope.html")))
    write(tmp_path / "rules" / "app.test.yml", prometheus_rules(("C", f"{BASE}nope.html")))
    found = read_rules([tmp_path / "rules"], exclude=["vendor", "*.test.yml"])
    assert [r.name for r in found.rules] == ["A"]
    found = read_rules([tmp_path / "rules"], exclude=["vendor/x/*"])
    assert [r.name for r in found.rules] == ["C", "A"]  # app.test.yml, app.yml


def test_what_is_wrong_in_a_rule_file_is_a_finding_and_the_run_goes_on(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "rules" / "a-broken.yml", "groups:\n  - name: g\n    rules: [\n  - alert: X\n")
    write(tmp_path / "rules" / "b-shapes.yml", "groups:\n  - just a name\n  - name: g\n    rules: 3\n"
          "  - name: h\n    rules:\n      - 7\n" + prometheus_rules(("Fine", f"{BASE}incidents.html"))[8:])  # fmt: skip # noqa: E501
    write(tmp_path / "rules" / "c-good.yml", prometheus_rules(("Broken", f"{BASE}nope.html")))
    write(tmp_path / "named.yml", "groups: 3\n")
    status, out, _ = alerts(capsys, str(tmp_path / "rules"), str(tmp_path / "named.yml"),
                            "--step-list", str(step_list), "--format", "json")  # fmt: skip
    data = json.loads(out)
    assert status == 1
    assert [(Path(p["path"]).name, p["line"], p["rule"], p["message"]) for p in data["problems"]] == [
        ("named.yml", 1, "alert_rule_file", "`groups` is not a list of rule groups"),
        ("a-broken.yml", 4, "alert_rule_file", "not valid YAML: did not find expected node content"),
        ("b-shapes.yml", 2, "alert_rule_file", "a rule group is not a mapping"),
        ("b-shapes.yml", 4, "alert_rule_file", "`rules` of group 'g' is not a list"),
        ("b-shapes.yml", 7, "alert_rule_file", "a rule of group 'h' is not a mapping"),
        (
            "c-good.yml",
            7,
            "alert_unknown_page",
            "Broken: no such runbook: no page of the step list at this URL",
        ),
    ]
    assert data["alerts"] == 2


def test_rules_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``kubectl get prometheusrule -A -o yaml | sphinx-incident alerts - ...``"""
    text = REPOSITORY["kubectl/list.yaml"].replace("database.html", "databse.html")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    status, out, _ = alerts(capsys, "-", "--step-list", str(step_list))
    assert status == 1
    assert out.splitlines()[:3] == [
        "<stdin>:14: error: DbDown: no page of the step list at this URL [alert_unknown_page]",
        f"    url: {BASE}runbooks/databse.html",
        f'    did you mean: {BASE}runbooks/database.html (runbook "Database failover")',
    ]


# -- URLs read as browsers read them -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://ops.northwind.test/handbook/runbooks/database.html#database-failover",  # the other scheme
        "https://ops.northwind.test:443/handbook/runbooks/database.html",  # the default port
        "http://ops.northwind.test:80/handbook/runbooks/database.html",
        "HTTPS://OPS.Northwind.TEST/handbook/runbooks/database.html",
        "https://ops.northwind.test/handbook/./runbooks/../runbooks/database.html",  # dot segments
        "https://ops.northwind.test/handbook/runbooks/%2e/database.html",
        "https://ops.northwind.test\\handbook\\runbooks\\database.html",  # backslashes
        "https://ops.northwind.test/handbook/runbooks/%64atabase.html",  # percent-encoding
        "https://ops.northwind.test/handbook/runbooks/database.html#database-failover--verify",
        "https://ops.northwind.test/handbook/runbooks/database.html#database%2Dfailover--verify",
        "https://ops.northwind.test/handbook/runbooks/database/",  # dirhtml's trailing slash
        "https://ops.northwind.test/handbook/runbooks/database",
        "https://oncall@ops.northwind.test/handbook/runbooks/database.html",
        "  https://ops.northwind.test/handbook/runbooks/data\tbase.html  ",  # as a browser cleans it
    ],
)
def test_links_are_read_as_browsers_read_them(url: str, built_targets: HandbookTargets) -> None:
    result = check_alerts(rules_of(url), built_targets, [BASE])
    assert (result.findings, len(result.links), result.covered) == ([], 1, {"database-failover": ["Alert0"]})


def test_links_to_other_sites_are_not_checked(built_targets: HandbookTargets) -> None:
    urls = ["https://ops.northwind.test:8443/handbook/x.html", "https://ops.northwind.test/handbook2/x.html",
            "https://ops.northwind.test.evil/handbook/x.html", "https://evil@example.org/handbook/x.html"]  # fmt: skip # noqa: E501
    result = check_alerts(rules_of(*urls), built_targets, [BASE])
    assert (result.findings, result.elsewhere) == ([], 4)


def test_reading_urls() -> None:
    url = read_url("HTTP://Ops.Example:80/a/./b/../c%20d/?q=1#x%20y")
    assert url is not None
    assert (url.scheme, url.origin, url.path, url.query, url.fragment) == (
        "http",
        "ops.example",
        "/a/c d/",
        "q=1",
        "x y",
    )
    assert read_url("https://ops.example") is not None and read_url("https://ops.example").path == "/"  # type: ignore[union-attr]
    assert [read_url(u) for u in ("runbooks/db.md", "mailto:x@y", "https:ops.example/x", "https://[::1")] == [
        None
    ] * 4
    assert resolve_dots("/a/b/..") == "/a/" and resolve_dots("/../../x") == "/x"
    base = read_base("https://ops.example/Docs")
    assert base is not None
    assert under(read_url("https://ops.example/docs/x"), base) is None  # type: ignore[arg-type]
    assert under(read_url("https://ops.example/docs/x"), base, fold_case=True) == "x"  # type: ignore[arg-type]
    assert under(read_url("https://ops.example/Docs"), base) == ""  # type: ignore[arg-type]


# -- suggestions: only when close, in the link's style ----------------------------------------------


def test_suggestions_only_when_close_and_in_the_links_own_style(collection: BuiltHandbook) -> None:
    site = handbook_targets(collection, Site("sphinx"))
    assert findings(
        site,
        "storage/NodeMemoryHighUtilization.html",  # nothing like it: no suggestion at all
        "storage/VolumeFillingUps",  # nearly the name, in the same folder, written without .html
        "network/VolumeErrors/",  # the very name, in another folder
        "network/VolumeFillingDown.html",  # another folder, another name
        "mixin/runbook.html#mixin-runbook--ingestringunhealthy.forget-the-member",  # a renamed sub-step
        "mixin/runbook.html#mixin-runbook--restore-the-backup",  # no step like it
        "mixin/runbook.html#quikc",  # too far from any anchor
        base=SITE,
    ) == [
        ("Alert0", "alert_unknown_page", None),
        ("Alert1", "alert_unknown_page", f"{SITE}storage/VolumeFillingUp"),
        ("Alert2", "alert_unknown_page", f"{SITE}storage/VolumeErrors/"),
        ("Alert3", "alert_unknown_page", None),
        ("Alert4", "alert_unknown_step",
         f"{SITE}mixin/runbook.html#mixin-runbook--forget-the-members"),
        ("Alert5", "alert_unknown_step", None),
        ("Alert6", "alert_unknown_anchor", None),
    ]  # fmt: skip
    # a suggestion keeps the link's scheme and host
    assert findings(site, "storage/VolumeFillingUps", base=SITE.replace("https", "http"))[0][2] == (
        "http://runbooks.lattice.test/storage/VolumeFillingUp"
    )


def test_no_suggestion_says_no_such_runbook(collection: BuiltHandbook) -> None:
    result = check_alerts(rules_of(f"{SITE}storage/NodeMemoryHighUtilization.html"),
                          handbook_targets(collection, Site()), [SITE])  # fmt: skip
    (finding,) = result.findings
    assert finding.message == "Alert0: no such runbook: no page at this URL"


# -- the pure parts --------------------------------------------------------------------------


def test_step_anchor_split_and_closest_step() -> None:
    assert split_step_anchor("a--b--c", ["a--b"]) == ("a--b", "c")
    assert split_step_anchor("a--b--c", ["a"]) == ("a", "b--c")
    assert split_step_anchor("x--y", ["a"]) is None
    runbook = {"steps": [
        {"id": "find-the-certificate", "title": "Find the certificate", "substeps": []},
        {"id": "renew-it", "title": "Renew it", "substeps": []},
        {"id": "page-the-incident-commander", "title": "Page the Incident Commander", "substeps": [
            {"id": "page-the-incident-commander.open-pagerduty", "title": "Open PagerDuty", "substeps": []},
        ]},
    ]}  # fmt: skip
    assert closest_step(runbook, "renew")["id"] == "renew-it"  # type: ignore[index]
    # every word of the old id is in the new title
    assert closest_step(runbook, "page-the-commander")["id"] == "page-the-incident-commander"  # type: ignore[index]
    assert closest_step(runbook, "page-the-incident-commander.open-pager-duty")["id"] == (  # type: ignore[index]
        "page-the-incident-commander.open-pagerduty"
    )
    assert closest_step(runbook, "restore-from-backup") is None


def test_reading_rules_keeps_lines_and_skips_what_is_not_an_alert(tmp_path: Path) -> None:
    write(tmp_path / "rules" / ".hidden" / "x.yml", "groups: 3\n")  # hidden: not read
    write(tmp_path / "rules" / "notes.txt", "groups: 3\n")  # not .yml/.yaml: not read
    write(
        tmp_path / "rules" / "r.yaml",
        "defaults: &links\n"
        f"  runbook_url: {BASE}incidents.html\n"
        "groups:\n"
        "  - name: g\n"
        "    rules:\n"
        "      - record: job:up:sum\n"
        "        expr: sum(up)\n"
        "      - alert: Merged\n"
        "        annotations:\n"
        "          <<: *links\n"
        "      - alert: 42\n"
        "        annotations: not a mapping\n"
        "      - alert: 0x1F\n"
        "        annotations: {runbook_url: 2021-13-45}\n"
        "---\n"
        "kind: Deployment\n"
        "spec: {groups: []}\n",
    )
    found = read_rules([tmp_path / "rules", tmp_path / "rules" / "r.yaml"])
    assert found.files == [str(tmp_path / "rules" / "r.yaml")]
    assert found.recording == 1
    # names and URLs are the text written: Prometheus reads them into strings
    assert [(r.name, r.line, r.runbook_url, r.url_line, r.source) for r in found.rules] == [
        ("Merged", 8, f"{BASE}incidents.html", 2, "prometheus"),
        ("42", 11, None, None, "prometheus"),
        ("0x1F", 13, "2021-13-45", 14, "prometheus"),
    ]
    write(tmp_path / "latin.yml", "groups:\n- name: caf\xe9\n").write_bytes(b"groups:\n- name: caf\xe9\n")
    (problem,) = read_rules([tmp_path / "latin.yml"]).problems
    assert (problem.line, problem.message) == (2, "not UTF-8 text (invalid continuation byte at byte 19)")


def test_templated_links_check_what_precedes_the_template(step_list: Path) -> None:
    targets = targets_from_step_list(json.loads(step_list.read_text("utf-8"))).finish()

    def codes(url: str) -> list[str]:
        return [p.rule for p in check_alerts(rules_of(url), targets, [BASE]).findings]

    assert codes(BASE + "incidents.html#incident-response--{{ $labels.step }}") == ["alert_templated_url"]
    assert codes(BASE + "incidents.html#nope--{{ $labels.step }}") == ["alert_templated_url"]  # unknowable
    assert codes(BASE + "incidents.html#incident-response--nope{{ $labels.step }}") == [
        "alert_unknown_anchor"
    ]
    assert codes(BASE + "nowhere.html#{{ $labels.step }}") == ["alert_unknown_page"]
    assert codes(BASE + "run{{ $labels.step }}") == ["alert_templated_url"]  # runbooks/...
    assert codes(BASE + "zzz/{{ $labels.step }}") == ["alert_unknown_page"]
    assert codes("{{ $externalURL }}/runbooks") == ["alert_templated_url"]  # may be the handbook
    assert codes("https://wiki.northwind.test/{{ $labels.alertname }}") == []  # elsewhere


def test_page_ids_from_the_build_are_the_ids_of_the_html_pages(
    built_targets: HandbookTargets, tmp_path: Path
) -> None:
    """What --handbook accepts as an anchor is exactly what the pages carry: no anchor accepted
    that a page lacks, none of the page's own reported missing (the theme adds its search box)."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(ROOTS / "test-alerts"), str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pages = built_targets.pages
    assert set(pages) == {"index", "incidents", "roles", "runbooks/database"}
    for page in pages.values():
        html = (
            (tmp_path / page.forms[0]).read_text("utf-8")
            if page.forms[0]
            else (tmp_path / "index.html").read_text("utf-8")
        )
        html_ids = set(re.findall(r'\bid="([^"]+)"', html))
        assert page.ids <= html_ids, page.docname
        assert html_ids - page.ids <= {"searchbox"}, page.docname


def test_a_misspelt_runbook_anchor_gets_a_suggestion_only_when_every_id_is_known(
    built_targets: HandbookTargets, step_list: Path
) -> None:
    rule = rules_of(f"{BASE}incidents.html#incident-responce")
    (finding,) = check_alerts(rule, built_targets, [BASE]).findings
    assert finding.message == (
        f"Alert0: the page has no anchor #incident-responce; did you mean {BASE}incidents.html#incident-response "  # noqa: E501
        '(runbook "Incident response")'
    )
    # a step list does not know the page's section ids: the anchor may be one of them
    from_list = targets_from_step_list(json.loads(step_list.read_text("utf-8"))).finish()
    assert check_alerts(rule, from_list, [BASE]).findings == []
