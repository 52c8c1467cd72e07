"""Every rule shows an example it reports and the nearest one it does not: the Markdown
examples of the runbook rules are built, and the rule keeps to both."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_extraction_cases import handbook

from sphinx_incident.checking.rule_examples import EXAMPLES
from sphinx_incident.checking.rules import RULES

#: runbook rules whose examples are whole runbooks (the others need a glossary, a label,
#: an allowlist or a failing extension around them)
BUILT = ["stray_step", "outdented_body", "outdented_sublist", "inline_step_numbers", "nesting_too_deep",
         "empty_item", "foreign_markup", "unclosed_fence", "numbering_gap", "numbering_duplicate",
         "numbering_restart", "detached_substeps", "untitled_step", "joined_line",
         "bad_url", "unsafe_url", "placeholder_url", "duplicate_step_id", "empty_runbook"]  # fmt: skip


def test_every_rule_has_both_examples() -> None:
    assert set(EXAMPLES) == {rule.code for rule in RULES}
    for code, example in EXAMPLES.items():
        assert example.reported.strip() and example.not_reported.strip(), code
        assert example.reported != example.not_reported, code


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """The rules reported on each example page, by page name."""
    pages = {}
    for code in BUILT:
        for kind, text in zip(("yes", "no"), EXAMPLES[code], strict=True):
            body = text if text.startswith("# ") else f"# {code}\n\n{text}"
            pages[f"{code}-{kind}.md"] = f"---\nrunbook: true\n---\n{body}"
    result = handbook(tmp_path_factory.mktemp("examples"), pages)
    by_page: dict[str, set[str]] = {name.removesuffix(".md"): set() for name in pages}
    for problem in result.problems:
        by_page[Path(problem.path).stem].add(problem.rule)
    return by_page


@pytest.mark.parametrize("code", BUILT)
def test_the_rule_reports_its_example_and_not_the_nearest_one(found: dict[str, set[str]], code: str) -> None:
    assert code in found[f"{code}-yes"]
    assert code not in found[f"{code}-no"]


#: runbook rules whose examples are reStructuredText
BUILT_RST = ["indented_body", "run_in_list"]


@pytest.mark.parametrize("code", BUILT_RST)
def test_the_rst_rule_reports_its_example_and_not_the_nearest_one(tmp_path: Path, code: str) -> None:
    pages = {
        f"{code}-{kind}.rst": f":runbook: true\n\n{code}\n{'=' * len(code)}\n\n{text}"
        for kind, text in zip(("yes", "no"), EXAMPLES[code], strict=True)
    }
    result = handbook(tmp_path, pages)
    found = {(Path(problem.path).stem, problem.rule) for problem in result.problems}
    assert (f"{code}-yes", code) in found
    assert (f"{code}-no", code) not in found
