"""A second lint reads nothing; a lint after editing one page reads that page only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sphinx_incident.commands import cli
from sphinx_incident.commands.handbook import read_handbook
from sphinx_incident.commands.lint import CACHE_FOLDER

from conftest import ROOTS


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOTS / "test-scale-handbook", tmp_path / "docs")
    return tmp_path / "docs"


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = cli.main(["lint", "docs", *args])
    return status, capsys.readouterr().out


def test_the_cache_keeps_findings_and_reads_only_what_changed(docs: Path, capsys) -> None:
    cold_status, cold = lint(capsys, "--no-cache")
    assert not (docs / "_build").exists()  # --no-cache keeps nothing
    assert lint(capsys) == (cold_status, cold)  # first run with the cache: reads everything
    cache = docs / "_build" / CACHE_FOLDER
    assert (cache / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"
    assert lint(capsys) == (cold_status, cold)  # warm: the same findings

    warm = read_handbook(docs, build_dir=cache)
    assert warm.read == []  # nothing was read again
    page = docs / "beta.md"
    page.write_text(page.read_text("utf-8").replace("**Close beta**", "Close beta"), "utf-8")
    edited = read_handbook(docs, build_dir=cache)
    assert edited.read == ["beta"]
    fresh = read_handbook(docs, freshenv=True)
    assert sorted(map(repr, edited.problems)) == sorted(map(repr, fresh.problems))
    assert any(p.rule == "untitled_step" for p in edited.problems)


def test_a_cache_folder_that_is_a_file(docs: Path, capsys) -> None:
    (docs.parent / "cache").write_text("", "utf-8")
    assert cli.main(["lint", "docs", "--cache-dir", "cache"]) == 2
    assert "is a file" in capsys.readouterr().err
