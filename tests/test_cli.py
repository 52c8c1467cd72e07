"""The ``sphinx-incident`` entry point: help and version."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from sphinx_incident import __version__
from sphinx_incident.commands.cli import main


def test_no_command_prints_help(capsys) -> None:
    assert main([]) == 0
    assert "usage: sphinx-incident" in capsys.readouterr().out


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"sphinx-incident {__version__}"


def test_the_installed_console_script_runs_the_command_line() -> None:
    """``sphinx-incident`` as pip installed it, beside this interpreter."""
    script = Path(sysconfig.get_path("scripts")) / "sphinx-incident"
    result = subprocess.run([script, "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: sphinx-incident ")
    assert "Lint, discover, export, diff and link-check the incident runbooks" in result.stdout


def test_python_m_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_incident", "--version"], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout.strip()) == (0, f"sphinx-incident {__version__}")
