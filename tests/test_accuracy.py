"""Accuracy on corpora of real-world-style handbook procedures, with hand-written expectations.

``tests/corpus/accuracy`` and ``tests/corpus/heldout`` (written separately, by
other hands, in the styles of five other teams) hold procedures written the
ways team handbooks write them (see ``tests/corpus/README.md``): numbered and
bulleted, bold, italic and no titles, ``Who:`` lead-ins, steps in admonitions,
tabs and cards, sections with sub-procedures, headings as steps, two-digit
numbers, deep nesting, MyST and rST — and defect twins for each kind of list
mistake. Every clean procedure must be modelled exactly and be lint-clean;
every planted defect must be found once, at its line, and nothing else reported.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest

from sphinx_incident.commands.handbook import Handbook, read_handbook
from sphinx_incident.model import Runbook, Step

from conftest import TESTS

CORPORA = ("accuracy", "heldout")


def expected_of(corpus: str) -> dict[str, Any]:
    return json.loads((TESTS / "corpus" / corpus / "expected.json").read_text("utf-8"))


EXPECTED = {corpus: expected_of(corpus) for corpus in CORPORA}


@pytest.fixture(scope="module", params=CORPORA)
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Handbook]:
    name = request.param
    srcdir = tmp_path_factory.mktemp(name) / "src"
    shutil.copytree(TESTS / "corpus" / name, srcdir, ignore=shutil.ignore_patterns("_build", "expected.json"))
    return name, read_handbook(srcdir, freshenv=True)


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


def figures(handbook: Handbook, expected_data: dict[str, Any]) -> dict[str, int]:
    """The corpus figures README reports: procedures exact, defects found, false alarms."""
    exact = sum(
        1
        for expected in expected_data["runbooks"]
        if (built := _built(handbook, expected)) is not None
        and built.title == expected["title"]
        and _shape(built.steps) == _expected_shape(expected["steps"])
    )
    found = {(p.path, p.line, p.rule) for p in handbook.problems}
    planted = {(f["file"], f["line"], f["rule"]) for f in expected_data["findings"]}
    return {
        "procedures": len(expected_data["runbooks"]),
        "exact": exact,
        "defects": len(planted),
        "found": len(planted & found),
        "false_alarms": len(found - planted),
    }


def test_each_procedure_is_modelled_as_written(corpus: tuple[str, Handbook]) -> None:
    name, handbook = corpus
    wrong = []
    for expected in EXPECTED[name]["runbooks"]:
        built = _built(handbook, expected)
        if built is None:
            wrong.append(("not declared or not found", _key(expected)))
        elif built.title != expected["title"] or _shape(built.steps) != _expected_shape(expected["steps"]):
            wrong.append((_key(expected), _shape(built.steps), _expected_shape(expected["steps"])))
    assert wrong == []


def test_every_planted_defect_is_found_once_and_nothing_else(corpus: tuple[str, Handbook]) -> None:
    name, handbook = corpus
    found = sorted((p.path, p.line or 0, p.rule) for p in handbook.problems)
    planted = sorted((f["file"], f["line"], f["rule"]) for f in EXPECTED[name]["findings"])
    assert found == planted


def test_the_corpus_is_what_the_readme_says(corpus: tuple[str, Handbook]) -> None:
    name, handbook = corpus
    numbers = figures(handbook, EXPECTED[name])
    assert numbers["procedures"] >= (40 + 16 if name == "accuracy" else 30 + 12)
    assert numbers == {
        **numbers,
        "exact": numbers["procedures"],
        "found": numbers["defects"],
        "false_alarms": 0,
    }
