"""Shared fixtures: Sphinx's own testing fixtures and this project's testroots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

TESTS = Path(__file__).parent
ROOTS = TESTS / "roots"
PROJECT = TESTS.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot=...)`` finds ``test-<name>`` folders."""
    return ROOTS


def read_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))
