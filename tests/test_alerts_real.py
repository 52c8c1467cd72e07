"""The harness that measures ``sphinx-incident alerts`` on real repositories: its truth is computed
as documented, without the tool, and its run reports the confusion matrix."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "evaluation"))

from alerts_real import heading_anchors, main, runbook_url_lines, truth

SITE = "https://git.example.test/ops/runbooks/blob/main/"


@pytest.fixture
def repositories(tmp_path: Path) -> tuple[Path, Path]:
    runbooks = tmp_path / "runbooks"
    (runbooks / "alerts").mkdir(parents=True)
    (runbooks / "alerts" / "DiskFull.md").write_text(
        "# DiskFull\n\n## Meaning\n\nThe disk is full.\n\n## Mitigation\n\n1. **Free space**.\n\n"
        "## Meaning\n",
        "utf-8",
    )
    (runbooks / "README.md").write_text("# Runbooks\n", "utf-8")
    rules = tmp_path / "rules"
    (rules / "test").mkdir(parents=True)
    (rules / "rules.yaml").write_text(
        "groups:\n- name: g\n  rules:\n"
        f"  - alert: DiskFull\n    annotations:\n      runbook_url: {SITE}alerts/DiskFull.md#Mitigation\n"
        f"  - alert: DiskGone\n    annotations:\n      runbook_url: {SITE}alerts/DiskGone.md\n"
        f"  - alert: DiskOdd\n    annotations:\n      runbook_url: '{SITE}alerts/DiskFull.md#meaning-2'\n"
        f"  - alert: Elsewhere\n    annotations:\n      runbook_url: https://wiki.example.test/x\n",
        "utf-8",
    )
    # a promtool test expects the annotation too: not a link of an alert
    (rules / "test" / "unit.yaml").write_text(
        "tests:\n- alert_rule_test:\n  - exp_alerts:\n    - exp_annotations:\n"
        f"        runbook_url: {SITE}alerts/DiskGone.md\n",
        "utf-8",
    )
    return runbooks, rules


def test_the_truth_is_the_files_and_their_github_headings(repositories: tuple[Path, Path]) -> None:
    runbooks, rules = repositories
    assert heading_anchors((runbooks / "alerts" / "DiskFull.md").read_text("utf-8")) == {
        "diskfull", "meaning", "mitigation", "meaning-1",
    }  # fmt: skip
    files = {"alerts/DiskFull.md", "README.md"}
    found = [
        (Path(path).name, line, truth(url, SITE, files, runbooks))
        for path, line, url in runbook_url_lines([rules])
    ]
    assert found == [
        ("rules.yaml", 6, True),
        ("rules.yaml", 9, False),
        ("rules.yaml", 12, False),
        ("rules.yaml", 15, None),
    ]


def test_the_run_prints_the_confusion_matrix(
    repositories: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    runbooks, rules = repositories
    status = main(
        ["--runbooks", str(runbooks), "--site-url", SITE, "--runbook-glob", "alerts/*", "--rules", str(rules)]
    )
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert out[1:4] == [
        "                 reported broken   passed",
        "truly broken                   2        0",
        "truly fine                     0        1",
    ]
