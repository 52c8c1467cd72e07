"""The export command: golden files for the seed runbook, listing, errors, safe writing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from sphinx_incident.commands.cli import main
from sphinx_incident.commands.export import write_new
from sphinx_incident.rendering.markdown import escape_markdown, task_lines

from conftest import ROOTS, TESTS

SEED = ROOTS / "test-seed"
RUNBOOK = "support-incident-response"
BASE = "https://handbook.example.org/"
GOLDEN = {"json": "json", "markdown": "md", "github": "github.md", "csv": "csv"}


@pytest.mark.parametrize("fmt", sorted(GOLDEN))
def test_seed_export_matches_golden_file(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"out.{GOLDEN[fmt]}"
    args = [str(SEED), "--runbook", RUNBOOK, "--format", fmt, "--base-url", BASE, "-o", str(out)]
    assert main(["export", *args]) == 0
    golden = TESTS / "golden" / f"seed-export.{GOLDEN[fmt]}"
    assert out.read_text("utf-8") == golden.read_text("utf-8")


def test_markdown_is_a_nested_task_list_with_buttons_as_links(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(SEED), "--runbook", RUNBOOK, "--base-url", BASE]) == 0
    text = capsys.readouterr().out
    assert text.startswith("## Incident response process\n\n- [ ] **1. Acknowledge the incident** — <")
    assert "\n  - [ ] **Create a new Slack channel** — <https://handbook.example.org/index.html#" in text
    assert "[Incident update template](https://2i2c.freshdesk.com/" in text
    assert sum(1 for line in text.splitlines() if line.lstrip().startswith("- [ ]")) == 18


def test_without_base_url_links_are_relative(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(SEED), "--runbook", RUNBOOK]) == 0
    assert "<index.html#support-incident-response--acknowledge-the-incident>" in capsys.readouterr().out


def test_without_runbook_lists_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(SEED)]) == 0
    assert capsys.readouterr().out == f"{RUNBOOK}\tIncident response process\n"


def test_unknown_runbook_lists_known_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(SEED), "--runbook", "nope"]) == 2
    err = capsys.readouterr().err
    assert "'nope'" in err and RUNBOOK in err


@pytest.mark.parametrize("name", ["index.md", "conf.py", "new-page.md", "notes.rst"])
def test_refuses_to_write_into_sources(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for file in SEED.iterdir():
        (src / file.name).write_bytes(file.read_bytes())
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    assert main(["export", str(src), "--runbook", RUNBOOK, "-o", str(src / name)]) == 2
    assert "refusing" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before


def test_writes_atomically_outside_sources(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "checklist.md"
    assert main(["export", str(SEED), "--runbook", RUNBOOK, "-o", str(out)]) == 0
    assert out.read_text("utf-8").startswith("## Incident response process")
    assert [p.name for p in out.parent.iterdir()] == ["checklist.md"]


def test_project_templates_override_the_shipped_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    (src / "_templates").mkdir(parents=True)
    (src / "index.md").write_text((SEED / "index.md").read_text("utf-8"), "utf-8")
    (src / "conf.py").write_text(
        (SEED / "conf.py").read_text("utf-8") + 'templates_path = ["_templates"]\n', "utf-8"
    )
    (src / "_templates" / "checklist.md.jinja").write_text(
        "{# custom #}\nOURS {{ title }}\n{% for item in items %}\n- [ ] {{ item.label }}\n{% endfor %}\n",
        "utf-8",
    )
    assert main(["export", str(src), "--runbook", RUNBOOK]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OURS Incident response process\n- [ ] **1. Acknowledge the incident**\n")


def test_escape_and_task_lines() -> None:
    assert escape_markdown("Type `/pd trigger` *now* [x]") == r"Type \`/pd trigger\` \*now\* \[x\]"
    # text pasted into a chat shows backslashes: '>' only quotes at the start of a line
    assert escape_markdown("Drain -> restart if load > 5") == "Drain -> restart if load > 5"
    assert escape_markdown("> 5 pods down") == r"\> 5 pods down"
    assert escape_markdown("<b>bold</b>") == r"\<b>bold\</b>"
    from sphinx_incident.model import Runbook, Step

    runbook = Runbook("r", "R", "index", "index.md", 1, steps=[Step("a", "1", "A", "", 1)])
    lines = task_lines("## R\n\n- [ ] **1. A**\n", runbook)
    assert lines[-1] == {"text": "- [ ] **1. A**", "step": "a"}
    assert lines[0]["step"] is None


def test_export_refuses_an_existing_file_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "README.md"
    out.write_text("the team's own notes\n", "utf-8")
    args = ["export", str(SEED), "--runbook", RUNBOOK, "-o", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err and str(out) in err
    assert out.read_text("utf-8") == "the team's own notes\n"
    assert main([*args, "--force"]) == 0
    assert out.read_text("utf-8").startswith("## Incident response process")


@pytest.mark.parametrize("where", ["directory", "under-a-file", "read-only"])
def test_export_to_a_path_it_cannot_write_is_one_line(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = {
        "directory": tmp_path,
        "under-a-file": tmp_path / "file" / "out.md",
        "read-only": tmp_path / "ro" / "out.md",
    }[where]
    (tmp_path / "file").write_text("x", "utf-8")
    (tmp_path / "ro").mkdir()
    if where == "read-only":
        # root may write anywhere: make the write itself fail as it would for anyone else
        real = os.open

        def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
            if str(path).startswith(str(tmp_path / "ro")):
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    args = ["export", str(SEED), "--runbook", RUNBOOK, "-o", str(target)]
    for force in ([], ["--force"]):
        assert main([*args, *force]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.count("\n") == 1, captured.err
        assert "Traceback" not in captured.err and "sphinx-incident export:" in captured.err
        assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_file_made_while_exporting_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "checklist.md"
    out.write_text("made in the meantime\n", "utf-8")
    with pytest.raises(FileExistsError):
        write_new(out, "the export\n")
    assert out.read_text("utf-8") == "made in the meantime\n"
    assert [p.name for p in tmp_path.iterdir()] == ["checklist.md"]
