"""``sphinx-incident lint``: output, formats, exit statuses, and the seed acceptance."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from sphinx_incident.commands import cli

from conftest import ROOTS

SEED_EXPECTED = """\
docs/index.md:17: error: [unresolved_reference] the reference to 'incidents:communications' points at no label or document
docs/index.md:21: error: [undefined_term] term 'Support Triagers' is not in any glossary; add it to a glossary or fix the name
docs/index.md:37: error: [unresolved_reference] the reference to 'incidents:create-report' points at no label or document
docs/index.md:42: error: [undefined_role] role 'Technology Lead' is not defined in any document; define it with a team-role directive or fix the name
docs/index.md:44: error: [undefined_term] term 'External Liason' is not in any glossary; add it to a glossary or fix the name
docs/index.md:45: error: [undefined_term] term 'Community Representative' is not in any glossary; add it to a glossary or fix the name
docs/index.md:63: error: [stray_step] step 7 is not a list item, so it renders as a paragraph and the list restarts after it; write `7. **Communicate when the incident is resolved**` with a blank line before it
docs/index.md:66: error: [numbering_gap] step 8 follows step 6: step 7 is missing from the list (line 63 writes step 7 as a paragraph)
docs/index.md:67: error: [unresolved_reference] the reference to 'incidents:create-report' points at no label or document
docs/index.md:69: error: [undefined_role] role 'Technology Lead' is not defined in any document; define it with a team-role directive or fix the name
10 errors, 0 warnings in 1 runbook
"""  # noqa: E501


def copy_root(name: str, dest: Path, conf: str | None = None) -> Path:
    shutil.copytree(ROOTS / f"test-{name}", dest)
    if conf is not None:
        (dest / "conf.py").write_text(conf, "utf-8")
    return dest


@pytest.fixture
def seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return copy_root("seed", tmp_path / "docs")


def test_seed_acceptance(seed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["lint", "docs"]) == 1
    assert capsys.readouterr().out == SEED_EXPECTED


def test_extension_is_added_when_conf_py_does_not_list_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    copy_root("seed", tmp_path / "docs", 'extensions = ["myst_parser", "sphinx_design"]\n'
              'incident_runbooks = ["support:incident-response"]\n')  # fmt: skip
    assert cli.main(["lint", "docs"]) == 1
    assert capsys.readouterr().out == SEED_EXPECTED


def test_runbooks_named_with_d(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    copy_root("seed", tmp_path / "docs", 'extensions = ["myst_parser", "sphinx_design"]\n')
    # no runbook declared: the role references are still checked, handbook-wide
    assert cli.main(["lint", "docs"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        SEED_EXPECTED.splitlines()[3],
        SEED_EXPECTED.splitlines()[9],
        "2 errors, 0 warnings in 0 runbooks",
    ]
    assert cli.main(["lint", "docs", "-D", "incident_runbooks=support:incident-response,nope"]) == 1
    out = capsys.readouterr().out
    assert "docs/index.md:63: error: [stray_step]" in out
    assert "docs/conf.py: error: [unknown_entry] incident_runbooks names 'nope'" in out


def test_fail_on_and_severity_overrides(seed: Path, capsys) -> None:
    args = ["lint", "docs"] + [f"-D incident_severity.{r}=warning".split(" ", 1)[1]
                                for r in ("unresolved_reference", "undefined_term", "undefined_role",
                                          "stray_step", "numbering_gap")]  # fmt: skip
    args = ["lint", "docs"] + [x for a in args[2:] for x in ("-D", a)]
    assert cli.main(args) == 0
    assert capsys.readouterr().out.endswith("0 errors, 10 warnings in 1 runbook\n")
    assert cli.main([*args, "--fail-on", "warning"]) == 1


def test_suppressed_rule_is_not_reported(seed: Path, capsys) -> None:
    assert cli.main(["lint", "docs", "-D", "suppress_warnings=incident.undefined_term"]) == 1
    out = capsys.readouterr().out
    assert "undefined_term" not in out
    assert out.endswith("7 errors, 0 warnings in 1 runbook\n")


def test_clean_handbook_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    copy_root("lint-clean", tmp_path / "docs")
    assert cli.main(["lint", "docs", "--fail-on", "warning"]) == 0
    assert capsys.readouterr().out == "0 errors, 0 warnings in 1 runbook\n"


def test_rst_handbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    copy_root("lint-rst", tmp_path / "docs")
    assert cli.main(["lint", "docs"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("docs/index.rst:11: error: [stray_step] step 3 (**Third**)")
    assert lines[-1] == "8 errors, 1 warning in 2 runbooks"


def test_json_format(seed: Path, capsys) -> None:
    assert cli.main(["lint", "docs", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["errors"], data["warnings"], data["runbooks"]) == (10, 0, 1)
    assert data["problems"][6] == {
        "path": "docs/index.md",
        "line": 63,
        "related": [],
        "severity": "error",
        "rule": "stray_step",
        "message": "step 7 is not a list item, so it renders as a paragraph and the list restarts "
        "after it; write `7. **Communicate when the incident is resolved**` with a blank line before it",
    }


def test_github_format(seed: Path, capsys) -> None:
    assert cli.main(["lint", "docs", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[7] == (
        "::error file=docs/index.md,line=66,title=incident.numbering_gap::"
        "step 8 follows step 6: step 7 is missing from the list (line 63 writes step 7 as a paragraph)"
    )
    assert lines[-1] == "10 errors, 0 warnings in 1 runbook"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["lint", "missing"], "missing: no such folder"),
        (["lint", "."], "has no conf.py"),
        (["lint", "docs", "-D", "nonsense"], "-D expects name=value, got 'nonsense'"),
    ],
)
def test_usage_errors_exit_2_without_traceback(seed: Path, capsys, argv, message) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_broken_conf_py_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    copy_root("seed", tmp_path / "docs", "raise RuntimeError('boom')\n")
    assert cli.main(["lint", "docs"]) == 2
    err = capsys.readouterr().err
    assert "boom" in err and "Traceback" not in err


def test_another_extension_failing_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The handbook's own extension failing is the handbook's problem: one line, no traceback file."""
    monkeypatch.chdir(tmp_path)
    conf = copy_root("seed", tmp_path / "docs") / "conf.py"
    conf.write_text(conf.read_text("utf-8") + f"import sys\nsys.path.insert(0, {str(tmp_path)!r})\n"
                    "extensions.append('local')\n", "utf-8")  # fmt: skip
    (tmp_path / "local.py").write_text(
        "def setup(app):\n    app.connect('doctree-read', lambda app, doctree: 1 / 0)\n", "utf-8"
    )
    assert cli.main(["lint", "docs", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sphinx-incident lint: cannot build ") and "division by zero" in err
    assert len(err.strip().splitlines()) == 1 and "traceback" not in err.lower()


def test_a_bug_of_the_extension_is_one_line_naming_its_traceback(
    seed: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from sphinx_incident.checking import review

    def broken(app: object, env: object) -> None:
        raise KeyError("no such runbook")

    monkeypatch.setattr(review, "build_review", broken)
    assert cli.main(["lint", "docs", "--no-cache"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("sphinx-incident lint: internal error: ExtensionError: ")
    saved = re.search(r"the full traceback is in (\S+)\)$", line)
    assert saved, line
    traceback = Path(saved[1]).read_text("utf-8")
    Path(saved[1]).unlink()
    assert "in review_handbook" in traceback and "in broken" in traceback
    assert "KeyError: 'no such runbook'" in traceback


def test_bad_option_value_exits_2(seed: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["lint", "docs", "--format", "xml"])
    assert exc.value.code == 2


def test_pre_commit_hook_definition() -> None:
    from conftest import PROJECT

    text = (PROJECT / ".pre-commit-hooks.yaml").read_text("utf-8")
    assert "id: sphinx-incident-lint" in text
    assert "entry: sphinx-incident lint" in text
    assert "pass_filenames: false" in text


def test_findings_do_not_depend_on_how_sphinx_prints_warnings(seed: Path, capsys) -> None:
    """lint reads the extension's records, not the printed text."""
    conf = seed / "conf.py"
    conf.write_text(
        conf.read_text("utf-8")
        + 'show_warning_types = False\nincident_runbooks = ["support:incident-response", "nope"]\n',
        "utf-8",
    )
    assert cli.main(["lint", "docs"]) == 1
    out = capsys.readouterr().out
    assert "docs/conf.py:5: error: [unknown_entry] incident_runbooks names 'nope'" in out
    assert out.endswith("11 errors, 0 warnings in 1 runbook\n")


def test_configuration_problems_without_a_location_are_reported(seed: Path, capsys) -> None:
    conf = seed / "conf.py"
    conf.write_text(conf.read_text("utf-8") + 'incident_severity = {"stray_step": "fatal"}\n', "utf-8")
    assert cli.main(["lint", "docs", "--fail-on", "warning"]) == 1
    out = capsys.readouterr().out
    assert (
        "docs/conf.py:4: error: [config] incident_severity['stray_step'] = 'fatal' is not error, "
        "warning or off; using the default 'error'" in out
    )
    assert out.endswith("11 errors, 0 warnings in 1 runbook\n")


def test_ctrl_c_exits_130_without_traceback(seed: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    from sphinx_incident.commands import lint

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(lint, "read_handbook", interrupted)
    assert cli.main(["lint", "docs"]) == 130
    err = capsys.readouterr().err
    assert err == "sphinx-incident: interrupted\n"


def test_output_into_a_closed_pipe_is_quiet(seed: Path) -> None:
    import subprocess
    import sys

    # more findings than a pipe holds, so writing really fails once the reader is gone
    steps = "".join(f"{n}. **Step {n}** with {{term}}`Missing {n}`.\n" for n in range(1, 1201))
    (seed / "many.md").write_text(f"---\nrunbook: true\n---\n# Many\n\n{steps}", "utf-8")
    script = "import sys; from sphinx_incident.commands.cli import main; sys.exit(main(['lint', 'docs']))"
    lint = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert lint.stdout is not None
    first = lint.stdout.readline()
    lint.stdout.close()  # like `| head -1`
    _, err = lint.communicate()
    assert first.startswith(b"docs/index.md:17: error:")
    assert b"Traceback" not in err and b"BrokenPipeError" not in err


@pytest.mark.parametrize("value", ["0", "nan", "-1", "inf", "soon"])
def test_link_timeout_must_be_a_positive_number(seed: Path, capsys, value: str) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["lint", "docs", "--check-links", "--link-timeout", value])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--link-timeout" in err and "Traceback" not in err


def test_a_cache_folder_that_is_a_file_is_a_usage_error(seed: Path, capsys) -> None:
    (seed.parent / "cache").write_text("not a folder", "utf-8")
    assert cli.main(["lint", "docs", "--check-links", "--cache-dir", "cache"]) == 2
    err = capsys.readouterr().err
    assert "is a file" in err and "Traceback" not in err


def test_a_finding_about_a_stretch_of_lines_carries_its_last_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    # an editor or a review marks the whole stretch, not only its first line
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text('extensions = ["myst_parser", "sphinx_incident"]\n', "utf-8")
    (docs / "index.md").write_text(
        "---\nrunbook: true\n---\n# Failover\n\n1. **Open a shell** on the bastion:\n\n"
        "```\nssh bastion\n```\n\nYou need the VPN for this.\n\n2. **Restart the worker**.\n",
        "utf-8",
    )
    assert cli.main(["lint", "docs", "--format", "json"]) == 1
    (problem,) = json.loads(capsys.readouterr().out)["problems"]
    assert (problem["rule"], problem["line"], problem["end_line"]) == ("outdented_body", 8, 12)
    assert cli.main(["lint", "docs", "--format", "github"]) == 1
    assert "file=docs/index.md,line=8,endLine=12,title=incident.outdented_body::" in capsys.readouterr().out
