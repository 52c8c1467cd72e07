"""``sphinx-incident alerts``: alert rules' runbook links checked against a handbook."""

from __future__ import annotations

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
from sphinx_incident.commands.alerts.checks import check_alerts, closest_step, split_step_anchor, under_base
from sphinx_incident.commands.alerts.command import handbook_targets
from sphinx_incident.commands.alerts.rules import AlertRule, RuleFileError, read_rules
from sphinx_incident.commands.alerts.targets import HandbookTargets, page_key, targets_from_step_list

from conftest import ROOTS, TESTS

ALERTS = TESTS / "alerts"
BASE = "https://ops.northwind.test/handbook/"
LINK_RULES = [r.code for r in RULES if r.scope == "alerts" and not r.code.startswith("alert_uncovered")]

FAILING_EXPECTED = """\
alerts/failing/grafana.yaml:10: warning: [alert_no_runbook] alert CertificateExpiresSoon: has no runbook_url annotation
alerts/failing/grafana.yaml:29: error: [alert_unknown_step] alert CertificateRenewalFailed: runbook 'certificate-renewal' has no step 'renew' (#certificate-renewal--renew): renamed or removed; did you mean step 2 "Renew it": https://ops.northwind.test/handbook/incidents.html#certificate-renewal--renew-it
alerts/failing/grafana.yaml:39: warning: [alert_templated_url] alert CertificateProbeFailing: runbook_url is a template ({{ index $labels "runbook" }}); only 'https://ops.northwind.test/handbook/incidents.html#' before it is checked
alerts/failing/prometheus.yml:5: warning: [alert_no_runbook] alert PostgresPrimaryDown: has no runbook_url annotation
alerts/failing/prometheus.yml:14: error: [alert_bad_url] alert PostgresReplicaLag: runbook_url 'runbooks/database.md' is not an absolute http(s) URL
alerts/failing/prometheus.yml:18: error: [alert_unknown_page] alert PostgresConnectionsExhausted: https://ops.northwind.test/handbook/runbooks/postgres.html is not a page of the handbook; did you mean https://ops.northwind.test/handbook/runbooks/database.html?
alerts/failing/prometheus.yml:22: error: [alert_unknown_step] alert PostgresReplicaNotPromoted: runbook 'database-failover' has no step 'promote-replica' (#database-failover--promote-replica): renamed or removed; did you mean step 2 "Promote the replica": https://ops.northwind.test/handbook/runbooks/database.html#database-failover--promote-the-replica
alerts/failing/prometheus.yml:26: error: [alert_unknown_anchor] alert PostgresDiskFull: #backround is not an anchor of https://ops.northwind.test/handbook/runbooks/database.html
alerts/failing/prometheus.yml:30: warning: [alert_templated_url] alert PostgresDown: runbook_url is a template ({{ $labels.job }}); only 'https://ops.northwind.test/handbook/runbooks/' before it is checked
alerts/failing/prometheusrule.yaml:13: warning: [alert_not_runbook] alert NobodyAcknowledged: https://ops.northwind.test/handbook/roles.html is a page that holds no runbook (#role-incident-commander is on it)
alerts/failing/prometheusrule.yaml:17: error: [alert_unknown_anchor] alert SupportTicketBacklog: #incident-response is not on https://ops.northwind.test/handbook/index.html: runbook "Incident response" is on another page, use https://ops.northwind.test/handbook/incidents.html#incident-response
alerts/failing/prometheusrule.yaml:21: error: [alert_unknown_anchor] alert IncidentStepOverdue: runbook_url is a template ({{ $labels.step }}) and no anchor of https://ops.northwind.test/handbook/incidents.html starts with #incident-responce--
7 errors, 5 warnings in 12 alerts (6 linking into the handbook) in 3 rule files
"""  # noqa: E501


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the tests folder, so paths print as ``alerts/...``."""
    monkeypatch.chdir(TESTS)
    return TESTS


@pytest.fixture(scope="module")
def step_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test handbook's runbooks.json, built once."""
    out = tmp_path_factory.mktemp("alerts-site")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "runbooks", str(ROOTS / "test-alerts"), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out / "runbooks.json"


def alerts(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["alerts", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# -- the command against a built handbook ---------------------------------------------------


def test_failing_rules_against_the_handbook(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = alerts(capsys, "alerts/failing", "--handbook", "roots/test-alerts")
    assert (status, err) == (1, "")
    assert out == FAILING_EXPECTED


def test_clean_rules_of_every_shape(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = alerts(capsys, "alerts/clean", "--handbook", "roots/test-alerts", "--coverage")
    assert status == 0
    # a plain rules file, a PrometheusRule manifest (after a ConfigMap) and a Grafana file
    assert out == "0 errors, 0 warnings in 6 alerts (6 linking into the handbook) in 3 rule files\n"


@pytest.fixture(scope="module")
def built_targets() -> HandbookTargets:
    """The test handbook's targets as a build knows them (every page and id)."""
    return handbook_targets(ROOTS / "test-alerts")[0]


@pytest.mark.parametrize("code", LINK_RULES)
def test_each_check_has_a_failing_and_a_clean_fixture(code: str, built_targets: HandbookTargets) -> None:
    targets = built_targets
    failing = check_alerts(read_rules([ALERTS / "failing"]).rules, targets, [BASE]).problems
    clean = check_alerts(read_rules([ALERTS / "clean"]).rules, targets, [BASE]).problems
    assert code in {p.rule for p in failing}
    assert clean == []


def test_step_list_knows_fewer_anchors_and_says_so(
    here: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = alerts(capsys, "alerts/failing", "--step-list", str(step_list.parent))
    assert status == 1
    lines = out.splitlines()
    # a page of no runbook that the step list does not name: unknown or runbook-less, it cannot tell
    assert (
        "alerts/failing/prometheusrule.yaml:17: error: [alert_unknown_page] alert SupportTicketBacklog: "
        "https://ops.northwind.test/handbook/index.html is not a page of the step list: it holds no "
        'runbook, or does not exist; runbook "Incident response" is at '
        "https://ops.northwind.test/handbook/incidents.html#incident-response"
    ) in lines
    # section anchors are not in the step list: #backround cannot be told wrong, so it is not reported
    assert not any("PostgresDiskFull" in line for line in lines)
    # renamed steps and team-role anchors are known from the step list alone
    assert any("[alert_unknown_step] alert PostgresReplicaNotPromoted" in line for line in lines)
    assert any("[alert_not_runbook] alert NobodyAcknowledged" in line for line in lines)
    # the base URL came from the step list's base_url
    assert "in 12 alerts (6 linking into the handbook)" in lines[-1]


def test_renamed_step_in_a_commit_is_reported_with_its_new_anchor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOTS / "test-alerts", repo / "docs")
    (repo / "alerts.yml").write_text(
        "groups:\n"
        "  - name: database\n"
        "    rules:\n"
        "      - alert: PostgresReplicaNotPromoted\n"
        "        expr: pg_promote_requested == 1\n"
        "        annotations:\n"
        f"          runbook_url: {BASE}runbooks/database.html#database-failover--promote-the-replica\n",
        "utf-8",
    )
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
    assert out.splitlines()[0] == (
        "alerts.yml:7: error: [alert_unknown_step] alert PostgresReplicaNotPromoted: runbook "
        "'database-failover' has no step 'promote-the-replica' (#database-failover--promote-the-replica): "
        'renamed or removed; did you mean step 2 "Promote the standby": '
        f"{BASE}runbooks/database.html#database-failover--promote-the-standby"
    )


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


def rule_file(path: Path, *urls: str) -> Path:
    lines = ["groups:", "  - name: g", "    rules:"]
    for n, url in enumerate(urls):
        lines += [f"      - alert: Alert{n}", "        expr: up == 0", "        annotations:",
                  f"          runbook_url: {BASE}{url}"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_coverage_reports_runbooks_no_alert_reaches(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = rule_file(tmp_path / "r.yml", "runbooks/database.html")
    status, out, _ = alerts(capsys, str(rules), "--step-list", str(step_list), "--coverage")
    assert status == 0  # warnings only
    assert out.splitlines()[:2] == [
        "incidents.md:6: warning: [alert_uncovered_runbook] no alert links to runbook 'incident-response' "
        '("Incident response")',
        "incidents.md:16: warning: [alert_uncovered_runbook] no alert links to runbook "
        "'certificate-renewal' (\"Certificate renewal\")",
    ]
    # a link to the page covers the runbook, but enters at no step: no step findings for it
    assert "alert_uncovered_step" not in out
    status, out, _ = alerts(
        capsys, str(rules), "--step-list", str(step_list), "--coverage", "--format", "json"
    )
    assert json.loads(out)["coverage"] == {
        "incident-response": [], "certificate-renewal": [], "database-failover": ["Alert0"],
    }  # fmt: skip
    # --fail-on warning makes the uncovered runbooks fail the run
    assert (
        alerts(capsys, str(rules), "--step-list", str(step_list), "--coverage", "--fail-on", "warning")[0]
        == 1
    )


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
    assert (status, out.splitlines()[0]) == (0, "0 errors, 0 warnings in 6 alerts (6 linking into the handbook) in 1 rule file")  # fmt: skip # noqa: E501
    missing = rule_file(tmp_path / "missing.yml", page + "confirm-the-primary-is-down", page + "verify",
                        "incidents.html#incident-response", "incidents.html#certificate-renewal")  # fmt: skip
    status, out, _ = alerts(capsys, str(missing), "--step-list", str(step_list), "--coverage", "steps")
    assert out.splitlines()[:-1] == [
        "runbooks/database.md:8: warning: [alert_uncovered_step] no alert links to step 2 "
        "\"Promote the replica\" of runbook 'database-failover'",
        "runbooks/database.md:11: warning: [alert_uncovered_step] no alert links to step 3 "
        "\"Point the services at the new primary\" of runbook 'database-failover'",
    ]


# -- output formats and severities ---------------------------------------------------------


def test_json_and_github_formats(here: Path, step_list: Path, capsys: pytest.CaptureFixture[str]) -> None:
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
        "message": "alert PostgresPrimaryDown: has no runbook_url annotation",
    }  # fmt: skip
    status, out, _ = alerts(capsys, "alerts/failing/prometheus.yml", "--step-list", str(step_list),
                            "--format", "github")  # fmt: skip
    assert out.splitlines()[1] == (
        "::error file=alerts/failing/prometheus.yml,line=14,title=incident.alert_bad_url::"
        "alert PostgresReplicaLag: runbook_url 'runbooks/database.md' is not an absolute http(s) URL"
    )


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
    assert out.splitlines()[0].startswith("alerts/failing/grafana.yaml:10: error: [alert_no_runbook]")
    assert "alert_unknown_step" not in out


def test_base_url_option_and_mirrors(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "r.yml"
    rules.write_text(
        "groups:\n- name: g\n  rules:\n"
        "  - alert: A\n    annotations:\n      runbook_url: https://mirror.northwind.test/hb/incidents.html#nope--x\n"
        "  - alert: B\n    annotations:\n      runbook_url: https://ops.northwind.test/handbook/incidents.html\n",
        "utf-8",
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
        ("bad.yml", ["bad.yml"], "bad.yml:4: not valid YAML: "),
        (
            "notrules.yml",
            ["notrules.yml"],
            "notrules.yml: no Prometheus rule file, PrometheusRule manifest or "
            "Grafana alert-rule provisioning file in this file",
        ),
        ("shape.yml", ["shape.yml"], "shape.yml:1: `groups` is not a list of rule groups"),
        (
            "ok.yml",
            ["ok.yml", "--severity", "alert_nope=off"],
            "--severity names an unknown rule 'alert_nope'",
        ),
        ("ok.yml", ["ok.yml", "--severity", "alert_no_runbook=loud"], "the level is error, warning or off"),
    ],
)
def test_usage_errors(
    setup: str | None, args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    step_list: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    contents = {
        "bad.yml": "groups:\n  - name: g\n    rules: [\n  - alert: X\n",
        "notrules.yml": "replicaCount: 2\nimage: prom/prometheus\n",
        "shape.yml": "groups: 3\n",
        "ok.yml": "groups: []\n",
    }
    if setup:
        (tmp_path / setup).write_text(contents[setup], "utf-8")
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


# -- the pure parts --------------------------------------------------------------------------


def test_page_keys_match_html_and_dirhtml_urls() -> None:
    assert {page_key(p) for p in ("support/incidents.html", "support/incidents/", "/support/incidents",
                                  "support/incidents/index.html")} == {"support/incidents"}  # fmt: skip
    assert page_key("") == page_key("index.html") == page_key("/") == ""


def test_under_base() -> None:
    bases = ["https://ops.northwind.test/handbook/"]
    assert under_base("HTTPS://OPS.Northwind.test/handbook/a.html#x", bases) == (bases[0], "a.html#x")
    assert under_base("https://ops.northwind.test/handbook#x", bases) == (bases[0], "#x")
    assert under_base("https://ops.northwind.test/handbook2/a.html", bases) is None
    assert under_base("https://ops.northwind.test/Handbook/a.html", bases) is None  # paths are case-sensitive


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
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / ".hidden").mkdir()
    (tmp_path / "rules" / ".hidden" / "x.yml").write_text("groups: 3\n", "utf-8")  # hidden: not read
    (tmp_path / "rules" / "notes.txt").write_text("groups: 3\n", "utf-8")  # not .yml/.yaml: not read
    (tmp_path / "rules" / "r.yaml").write_text(
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
        "---\n"
        "kind: Deployment\n"
        "spec: {groups: []}\n",
        "utf-8",
    )
    found = read_rules([tmp_path / "rules", tmp_path / "rules" / "r.yaml"])
    assert found.files == [str(tmp_path / "rules" / "r.yaml")]
    assert found.recording == 1
    assert [(r.name, r.line, r.runbook_url, r.url_line, r.source) for r in found.rules] == [
        ("Merged", 8, f"{BASE}incidents.html", 2, "prometheus"),
        ("42", 11, None, None, "prometheus"),
    ]
    with pytest.raises(RuleFileError, match="not a UTF-8 text file"):
        (tmp_path / "latin.yml").write_bytes(b"groups:\n- name: caf\xe9\n")
        read_rules([tmp_path / "latin.yml"])


def test_templated_links_check_what_precedes_the_template(step_list: Path) -> None:
    targets = targets_from_step_list(json.loads(step_list.read_text("utf-8")))

    def codes(url: str) -> list[str]:
        rule = AlertRule("A", "r.yml", 1, "prometheus", "g", url, 2)
        return [p.rule for p in check_alerts([rule], targets, [BASE]).problems]

    assert codes(BASE + "incidents.html#incident-response--{{ $labels.step }}") == ["alert_templated_url"]
    assert codes(BASE + "incidents.html#nope--{{ $labels.step }}") == ["alert_templated_url"]  # unknowable
    assert codes(BASE + "incidents.html#incident-response--nope{{ $labels.step }}") == [
        "alert_unknown_anchor"
    ]
    assert codes(BASE + "nowhere.html#{{ $labels.step }}") == ["alert_unknown_page"]
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
    assert set(pages) == {"", "incidents", "roles", "runbooks/database"}
    for key, page in pages.items():
        html = (tmp_path / f"{key or 'index'}.html").read_text("utf-8")
        html_ids = set(re.findall(r'\bid="([^"]+)"', html))
        assert page.ids <= html_ids, key
        assert html_ids - page.ids <= {"searchbox"}, key


def test_a_misspelt_runbook_anchor_gets_a_suggestion_only_when_every_id_is_known(
    built_targets: HandbookTargets, step_list: Path
) -> None:
    rule = AlertRule("A", "r.yml", 1, "prometheus", "g", f"{BASE}incidents.html#incident-responce", 2)
    (problem,) = check_alerts([rule], built_targets, [BASE]).problems
    assert problem.message == (
        f"alert A: #incident-responce is not an anchor of {BASE}incidents.html; did you mean runbook "
        f'"Incident response": {BASE}incidents.html#incident-response'
    )
    # a step list does not know the page's section ids: the anchor may be one of them
    assert (
        check_alerts(
            [rule], targets_from_step_list(json.loads(step_list.read_text("utf-8"))), [BASE]
        ).problems
        == []
    )
