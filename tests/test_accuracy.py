"""Accuracy on a corpus of real-world-style handbook procedures, with hand-written expectations.

``tests/corpus/accuracy`` holds procedures written in the styles team
handbooks use (see ``tests/corpus/README.md``): numbered and bulleted, bold,
italic and no titles, ``Who:`` lead-ins, steps in admonitions, sections with
sub-procedures, headings as steps, two-digit numbers, deep nesting, MyST and
rST — and a defect twin for each kind of list mistake. Every clean procedure
must be modelled exactly and be lint-clean; every planted defect must be
found once, at its line, and nothing else reported.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest

from sphinx_incident.handbook import Handbook, read_handbook
from sphinx_incident.model import Runbook, Step

from conftest import TESTS

CORPUS = TESTS / "corpus" / "accuracy"
EXPECTED = json.loads((CORPUS / "expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Handbook:
    srcdir = tmp_path_factory.mktemp("accuracy") / "src"
    shutil.copytree(CORPUS, srcdir, ignore=shutil.ignore_patterns("_build", "expected.json"))
    return read_handbook(srcdir, freshenv=True)


def _key(expected: dict[str, Any]) -> tuple[str, str]:
    return expected["doc"], expected.get("label") or expected["id"]


def _built(handbook: Handbook, expected: dict[str, Any]) -> Runbook | None:
    docname, name = _key(expected)
    for runbook in handbook.runbooks:
        if runbook.docname != docname:
            continue
        if runbook.label == name or runbook.id == name:
            return runbook
    return None


def _shape(steps: list[Step]) -> list[dict[str, Any]]:
    """The model as the expectations write it: titles, owners, sub-steps."""
    out = []
    for step in steps:
        item: dict[str, Any] = {"title": step.title}
        if step.owner is not None:
            item["owner"] = step.owner.text
        if step.substeps:
            item["substeps"] = _shape(step.substeps)
        out.append(item)
    return out


def _expected_shape(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for step in steps:
        item: dict[str, Any] = {"title": step["title"]}
        if step.get("owner"):
            item["owner"] = step["owner"]
        if step.get("substeps"):
            item["substeps"] = _expected_shape(step["substeps"])
        out.append(item)
    return out


def figures(handbook: Handbook) -> dict[str, int]:
    """The corpus figures README reports: procedures exact, defects found, false alarms."""
    exact = sum(
        1
        for expected in EXPECTED["runbooks"]
        if (built := _built(handbook, expected)) is not None
        and built.title == expected["title"]
        and _shape(built.steps) == _expected_shape(expected["steps"])
    )
    found = {(p.path, p.line, p.rule) for p in handbook.problems}
    planted = {(f["file"], f["line"], f["rule"]) for f in EXPECTED["findings"]}
    return {
        "procedures": len(EXPECTED["runbooks"]),
        "exact": exact,
        "defects": len(planted),
        "found": len(planted & found),
        "false_alarms": len(found - planted),
    }


@pytest.mark.parametrize("expected", EXPECTED["runbooks"], ids=lambda e: "/".join(_key(e)))
def test_each_procedure_is_modelled_as_written(handbook: Handbook, expected: dict[str, Any]) -> None:
    built = _built(handbook, expected)
    assert built is not None, "not declared or not found"
    assert built.title == expected["title"]
    assert _shape(built.steps) == _expected_shape(expected["steps"])


def test_every_planted_defect_is_found_once_and_nothing_else(handbook: Handbook) -> None:
    found = sorted((p.path, p.line or 0, p.rule) for p in handbook.problems)
    planted = sorted((f["file"], f["line"], f["rule"]) for f in EXPECTED["findings"])
    assert found == planted


def test_the_corpus_is_what_the_readme_says(handbook: Handbook) -> None:
    numbers = figures(handbook)
    assert numbers["procedures"] >= 40 + 16
    assert numbers == {
        **numbers,
        "exact": numbers["procedures"],
        "found": numbers["defects"],
        "false_alarms": 0,
    }
