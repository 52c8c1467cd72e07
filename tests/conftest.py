"""Shared fixtures: Sphinx's own testing fixtures and this project's testroots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

# browser_fixtures: the built handbook, Chromium and axe-core, shared by the test_browser*.py modules
pytest_plugins = ("sphinx.testing.fixtures", "browser_fixtures")

TESTS = Path(__file__).parent
ROOTS = TESTS / "roots"
PROJECT = TESTS.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot=...)`` finds ``test-<name>`` folders."""
    return ROOTS


def read_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


EXAMPLE_DOCS = PROJECT / "example_docs"


def copy_tree(source: Path, target: Path) -> Path:
    """A private copy of a source folder, without build output."""
    import shutil

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    return target


def walk_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every step and sub-step of a JSON step list, depth first."""
    out = []
    for step in steps:
        out.append(step)
        out.extend(walk_steps(step["substeps"]))
    return out


def build(make_app: Any, srcdir: Path, builder: str = "html", **kwargs: Any) -> Any:
    """A fresh build of ``srcdir`` with Sphinx's ``make_app`` fixture."""
    app = make_app(builder, srcdir=srcdir, freshenv=True, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()  # restore docutils' registries before the next app of the same test
    return app
