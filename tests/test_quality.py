"""The code stays formatted, lint-free and type-checked: ruff and mypy run with the tests."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import PROJECT

#: the Python folders of the project that exist in this checkout
SOURCES = [name for name in ("sphinx_incident", "tests", "benchmarks", "docs") if (PROJECT / name).is_dir()]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=PROJECT, capture_output=True, text=True, check=False)


@pytest.mark.skipif(shutil.which("ruff") is None and not (PROJECT / ".venv/bin/ruff").exists(), reason="ruff")
def test_ruff_lint_and_format() -> None:
    ruff = shutil.which("ruff") or str(PROJECT / ".venv/bin/ruff")
    lint = run(ruff, "check", *SOURCES)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = run(ruff, "format", "--check", *SOURCES)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy() -> None:
    pytest.importorskip("mypy")
    result = run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
