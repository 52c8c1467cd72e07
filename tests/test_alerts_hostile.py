"""``sphinx-incident alerts`` on hostile input: what a rule file, a rules folder, a step list or
an alert's name may hold, and what the command does with it.

Each case is one thing someone could put in front of the command. The
command answers with a finding or a one-line message, goes on with the rest,
never prints a traceback, never waits forever, never lets text from the
input act on the terminal or the CI runner, and reads only so much.
Commands that could hang if this broke run in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sphinx_incident.commands import cli
from sphinx_incident.commands.alerts.output import printable
from sphinx_incident.commands.alerts.yaml_loading import MAX_DEPTH, YamlError, load_documents

from conftest import ROOTS

BASE = "https://ops.northwind.test/handbook/"
GOOD_URL = f"{BASE}runbooks/database.html"


@pytest.fixture(scope="module")
def step_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile-site")
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "runbooks", str(ROOTS / "test-alerts"),
                    str(out)],
                   check=True, capture_output=True)  # fmt: skip
    return out / "runbooks.json"


def alerts(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["alerts", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def alerts_process(
    *args: str, stdin: bytes | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The command in its own process: a regression that hangs fails the test instead of the suite."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx_incident.commands.cli", "alerts", *args],
        input=None if stdin is None else stdin.decode(), capture_output=True, text=True, timeout=timeout,
        check=False, stdin=None if stdin is not None else subprocess.DEVNULL,
    )  # fmt: skip


def one_rule(name: str = "Fine", url: str = GOOD_URL) -> str:
    return f"groups:\n- name: g\n  rules:\n  - alert: {name}\n    annotations:\n      runbook_url: {url}\n"


# -- YAML aliases ------------------------------------------------------------------------------


def alias_bomb(rules: int = 320, groups: int = 1000) -> str:
    """A small file whose aliases name the same rules in ``groups`` groups: ``rules * groups``
    alerts when walked."""
    lines = ["x-annotations: &a {runbook_url: " + GOOD_URL + "}", "x-rules: &r"]
    lines += [f"  - {{alert: A{n}, annotations: *a}}" for n in range(rules)]
    lines += ["groups:", "  - &g {name: g, rules: *r}"]
    lines += ["  - *g"] * (groups - 1)
    return "\n".join(lines) + "\n"


def test_aliases_that_expand_without_bound_are_refused_in_one_line(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An 18 KB file that would be 320,000 alerts once its aliases are walked."""
    bomb = tmp_path / "rules" / "bomb.yml"
    bomb.parent.mkdir()
    bomb.write_text(alias_bomb(), "utf-8")
    assert bomb.stat().st_size < 20_000
    (tmp_path / "rules" / "good.yml").write_text(one_rule("Broken", f"{BASE}nope.html"), "utf-8")
    start = time.perf_counter()
    status, out, err = alerts(
        capsys, str(tmp_path / "rules"), "--step-list", str(step_list), "--format", "json"
    )
    assert time.perf_counter() - start < 10
    data = json.loads(out)
    assert (status, err) == (1, "")
    assert [(p["rule"], p["line"], p["message"]) for p in data["problems"]] == [
        (
            "alert_rule_file",
            324,
            "aliases would expand the document beyond 200000 more nodes than it has: refused",
        ),
        ("alert_unknown_page", 6, "Broken: no such runbook: no page of the step list at this URL"),
    ]
    assert data["alerts"] == 1  # the other file is still checked


def test_a_few_aliases_are_read_as_written(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # what rule files do with aliases: shared annotations, merged defaults
    (tmp_path / "r.yml").write_text(alias_bomb(rules=3, groups=3), "utf-8")
    status, out, _ = alerts(capsys, str(tmp_path / "r.yml"), "--step-list", str(step_list))
    assert (status, out) == (
        0,
        "0 errors, 0 warnings in 9 alerts (9 linking into the handbook) in 1 rule file\n",
    )


def test_an_alias_inside_itself_is_refused(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "r.yml").write_text("groups: &g\n- name: g\n  rules: *g\n", "utf-8")
    status, out, err = alerts(capsys, str(tmp_path / "r.yml"), "--step-list", str(step_list))
    assert (status, err) == (1, "")
    assert (
        "an alias refers to the node that holds it (a recursive document): refused [alert_rule_file]" in out
    )


def test_tags_construct_nothing(tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "ran"
    (tmp_path / "r.yml").write_text(
        "groups:\n- name: g\n  rules:\n"
        f"  - alert: !!python/object/apply:os.system [touch {marker}]\n"
        f"    annotations: !Ref {{runbook_url: {GOOD_URL}}}\n",
        "utf-8",
    )
    status, out, err = alerts(
        capsys, str(tmp_path / "r.yml"), "--step-list", str(step_list), "--format", "json"
    )
    assert not marker.exists()
    assert (status, err, json.loads(out)["linked"]) == (0, "", 1)


def test_nesting_beyond_what_yaml_parsers_take_is_a_finding(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "r.yml").write_text("groups: " + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    status, out, err = alerts(capsys, str(tmp_path / "r.yml"), "--step-list", str(step_list))
    assert (status, err) == (1, "")
    assert out.splitlines()[0].endswith("[alert_rule_file]")


@pytest.mark.parametrize(
    "text",
    [
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "".join(" " * i + "- \n" for i in range(0, 2 * (MAX_DEPTH + 1), 2)) + "x\n",
    ],
    ids=["flow", "block"],
)
def test_nesting_is_refused_before_any_parser_recurses_into_it(text: str) -> None:
    # the refusal may not depend on the libyaml a PyYAML wheel was built with:
    # older ones compose any depth recursively and crash the interpreter
    with pytest.raises(YamlError, match=f"nest more than {MAX_DEPTH} deep") as refused:
        load_documents("# a rule file\n" + text, line_offset=10)
    assert refused.value.line is not None and refused.value.line > 11


def test_nesting_as_deep_as_the_bound_is_read() -> None:
    text = "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH
    value = load_documents(text)[0]
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == ["x"]


# -- special files -----------------------------------------------------------------------------


def test_a_symlink_to_an_endless_device_in_a_folder_is_not_read(tmp_path: Path, step_list: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "zero.yml").symlink_to("/dev/zero")
    (rules / "good.yml").write_text(one_rule(), "utf-8")
    result = alerts_process(str(rules), "--step-list", str(step_list))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"{rules / 'zero.yml'}: note: skipped: a character device, not a regular file: not read",
        "0 errors, 0 warnings in 1 alert (1 linking into the handbook) in 1 rule file; 1 file skipped",
    ]


def test_an_endless_device_named_on_the_command_line_is_read_only_so_far(
    tmp_path: Path, step_list: Path
) -> None:
    (tmp_path / "good.yml").write_text(one_rule(), "utf-8")
    result = alerts_process("/dev/zero", str(tmp_path / "good.yml"), "--step-list", str(step_list))
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines()[0] == "/dev/zero: error: larger than 8 MiB: not read [alert_rule_file]"


def test_a_fifo_in_a_folder_does_not_hang_the_run(tmp_path: Path, step_list: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    os.mkfifo(rules / "pipe.yml")
    (rules / "good.yml").write_text(one_rule(), "utf-8")
    result = alerts_process(str(rules), "--step-list", str(step_list), timeout=30)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == (
        f"{rules / 'pipe.yml'}: note: skipped: a named pipe (FIFO), not a regular file: not read"
    )


def test_a_fifo_named_on_the_command_line_without_a_writer_does_not_hang(
    tmp_path: Path, step_list: Path
) -> None:
    os.mkfifo(tmp_path / "pipe.yml")
    result = alerts_process(str(tmp_path / "pipe.yml"), "--step-list", str(step_list), timeout=30)
    assert result.returncode == 2
    assert result.stderr.endswith("pipe.yml: no Prometheus rule file, PrometheusRule, VMRule or Grafana "
                                  "alert-rule "
                                  "provisioning file in this file\n")  # fmt: skip


@pytest.mark.parametrize("name", ["/dev/stdin", "-"])
def test_standard_input_is_read(name: str, step_list: Path) -> None:
    result = alerts_process(
        name, "--step-list", str(step_list), stdin=one_rule("Piped", f"{BASE}nope.html").encode()
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == (
        "<stdin>:6: error: Piped: no such runbook: no page of the step list at this URL [alert_unknown_page]"
    )


def test_a_file_too_large_in_a_folder_is_skipped(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "huge.yml").write_bytes(b"# " + b"x" * (9 * 1024 * 1024) + b"\n")
    (tmp_path / "good.yml").write_text(one_rule(), "utf-8")
    status, out, _ = alerts(capsys, str(tmp_path), "--step-list", str(step_list))
    assert status == 0
    assert out.splitlines()[0] == f"{tmp_path / 'huge.yml'}: note: skipped: larger than 8 MiB: not read"


# -- malformed step lists ------------------------------------------------------------------------


def mutate(data: dict[str, Any], case: str) -> None:
    runbook = data["runbooks"][0]
    step = runbook["steps"][0]
    if case == "steps not a list":
        runbook["steps"] = "1. do it"
    elif case == "steps of strings":
        runbook["steps"] = ["a", 3, None, step]
    elif case == "substeps not a list":
        step["substeps"] = {"id": "x"}
    elif case == "links not objects":
        step["links"] = ["https://x", 1, None]
    elif case == "footnotes of wrong types":
        step["footnotes"] = [{"roles": "Incident Commander", "terms": [1, None]}, "x"]
    elif case == "roles and owners of wrong types":
        runbook["owners"], runbook["roles"], step["owner"] = 5, [None, "x"], "x"
    elif case == "fields of wrong types":
        runbook["id"], runbook["title"], runbook["url"], runbook["line"] = 12345, ["t"], 9, "x"
        step["id"], step["title"], step["number"], step["anchor"], step["line"] = 7, {"x": 1}, [2], 3, "x"
    elif case == "numbers too long to print":
        runbook["line"], step["number"] = "HUGE", "HUGE"  # replaced in the JSON text
    elif case == "sub-steps nested 400 deep":
        deepest = step
        for _ in range(400):
            deepest["substeps"] = [{"id": "s", "title": "s", "substeps": []}]
            deepest = deepest["substeps"][0]
    elif case == "base_url not text":
        data["base_url"] = ["x"]


@pytest.mark.parametrize(
    "case",
    [
        "steps not a list", "steps of strings", "substeps not a list", "links not objects",
        "footnotes of wrong types", "roles and owners of wrong types", "fields of wrong types",
        "numbers too long to print", "sub-steps nested 400 deep", "base_url not text",
    ],
)  # fmt: skip
def test_a_malformed_step_list_is_read_for_what_it_holds(
    case: str, tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(step_list.read_text("utf-8"))
    mutate(data, case)
    bad = tmp_path / "runbooks.json"
    bad.write_text(json.dumps(data).replace('"HUGE"', "9" * 5000), "utf-8")
    rules = tmp_path / "r.yml"
    rules.write_text(one_rule("A", f"{BASE}incidents.html#incident-response--nope"), "utf-8")
    status, out, err = alerts(
        capsys, str(rules), "--step-list", str(bad), "--base-url", BASE, "--coverage", "steps"
    )
    assert status in (0, 1) and err == ""
    assert out.endswith("in 1 alert (1 linking into the handbook) in 1 rule file\n")


def test_a_step_list_nested_beyond_what_json_takes_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    depth = 100_000
    (tmp_path / "runbooks.json").write_text(
        '{"generator": {"name": "sphinx-incident"}, "schema_version": "1.1", "runbooks": '
        + "[" * depth
        + "]" * depth
        + "}",
        "utf-8",
    )
    (tmp_path / "r.yml").write_text(one_rule(), "utf-8")
    status, out, err = alerts(
        capsys, str(tmp_path / "r.yml"), "--step-list", str(tmp_path), "--base-url", BASE
    )
    assert (status, out) == (2, "")
    assert (
        err == f"sphinx-incident alerts: {tmp_path / 'runbooks.json'}: not a step list: nested too deeply\n"
    )


# -- what is printed ---------------------------------------------------------------------------------

HOSTILE_NAMES = {
    # a newline would start a line the GitHub runner reads as a workflow command
    "forged workflow command": 'Evil"\n::error file=.github/workflows/x.yml,line=1::forged\n::add-mask::x',
    "terminal escape sequences": "Red\x1b[31mAlert\x1b]8;;https://evil.test\x07link\x1b]8;;\x07\x1b[2J",
    "bidi override": "Disk\u202efull\u2066",
    "carriage return": "Looks fine\r[alert_no_runbook] all good",
}


@pytest.mark.parametrize("case", list(HOSTILE_NAMES))
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_names_from_rule_files_cannot_act_on_the_terminal_or_the_runner(
    case: str, fmt: str, tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = HOSTILE_NAMES[case]
    rules = tmp_path / "r.yml"
    rules.write_text(
        "groups:\n- name: g\n  rules:\n  - alert: " + json.dumps(name) + "\n    annotations:\n"
        "      runbook_url: " + json.dumps(f"{BASE}nope.html#\x1b[2J\n::error::x") + "\n",
        "utf-8",
    )
    status, out, err = alerts(capsys, str(rules), "--step-list", str(step_list), "--format", fmt)
    assert (status, err) == (1, "")
    lines = out.splitlines()
    if fmt == "text":
        assert not any(line.startswith("::") for line in lines)
    else:
        assert [line.split(" ", 1)[0] for line in lines[:-1]] == ["::error"]
    assert not any(c in out for c in "\x1b\x07\r\u202e\u2066")
    assert printable(name) in out or printable(name).replace("%", "%25") in out
    # the summary is still the last line
    assert lines[-1].startswith("1 error, 0 warnings in 1 alert")


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_names_are_kept_whole_in_json(
    fmt: str, tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # C1 controls (\x9b is CSI on 8-bit terminals) and bidi controls are left raw by JSON encoders
    name = HOSTILE_NAMES["forged workflow command"] + "\x9b2J\u202e"
    (tmp_path / "r.yml").write_text(
        "groups:\n- name: g\n  rules:\n  - alert: " + json.dumps(name) + "\n", "utf-8"
    )
    _, out, _ = alerts(capsys, str(tmp_path / "r.yml"), "--step-list", str(step_list), "--format", fmt)
    data = json.loads(out)
    found = data["problems"][0] if fmt == "json" else data["runs"][0]["results"][0]["properties"]
    assert found["alert"] == name
    assert not any(c in out for c in "\x9b\u202e") and "\n::" not in out


def test_a_name_of_five_thousand_hex_digits(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digits = "f" * 5000
    (tmp_path / "r.yml").write_text(f"groups:\n- name: g\n  rules:\n  - alert: 0x{digits}\n", "utf-8")
    status, out, err = alerts(capsys, str(tmp_path / "r.yml"), "--step-list", str(step_list))
    assert (status, err) == (0, "")
    first = out.splitlines()[0]
    assert first.startswith(
        f"{tmp_path / 'r.yml'}:4: warning: 0x{'f' * 78}...(5002 characters): has no runbook_url"
    )
    assert len(first) < 250


def test_paths_and_usage_errors_are_printed_escaped(
    tmp_path: Path, step_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "bad\x1b[2Jname\n::error::x.yml").write_text("kind: Deployment\n", "utf-8")
    (tmp_path / "rules" / "good.yml").write_text(one_rule(), "utf-8")
    status, out, _ = alerts(capsys, str(tmp_path / "rules"), "--step-list", str(step_list))
    assert status == 0 and "\x1b" not in out and not any(line.startswith("::") for line in out.splitlines())
    status, out, err = alerts(capsys, "missing\n::error::x.yml", "--step-list", str(step_list))
    assert (status, out) == (2, "")
    assert err == "sphinx-incident alerts: missing\\n::error::x.yml: no such file or folder\n"
