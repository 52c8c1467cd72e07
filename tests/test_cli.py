"""The ``sphinx-incident`` entry point: help and version."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sphinx_incident import __version__
from sphinx_incident.cli import main


def test_no_command_prints_help(capsys) -> None:
    assert main([]) == 0
    assert "usage: sphinx-incident" in capsys.readouterr().out


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"sphinx-incident {__version__}"


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_incident.cli", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "Lint, discover, export, diff and link-check the incident runbooks" in result.stdout
