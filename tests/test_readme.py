"""README.md tells the truth: its generated reference tables match the code.

Run ``python tests/test_readme.py`` to regenerate them after changing a
configuration value or a warning.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sphinx_incident import config, rules  # noqa: E402

README = ROOT / "README.md"
SECTIONS = {
    "config": config.reference_markdown,
    "rules": rules.rules_markdown,
}


def region(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {name}-start -->\n)(.*?)(<!-- {name}-end -->)", re.S)


def regenerate(text: str) -> str:
    for name, make in SECTIONS.items():
        text = region(name).sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(3), text)
    return text


def test_readme_reference_tables_are_current() -> None:
    text = README.read_text("utf-8")
    for name in SECTIONS:
        assert region(name).search(text), f"README.md lost its {name} markers"
    assert regenerate(text) == text, "README.md is stale: run `python tests/test_readme.py`"


def test_readme_json_example_validates_against_the_schema() -> None:
    import json

    import jsonschema

    from sphinx_incident.render_json import load_schema

    text = README.read_text("utf-8")
    section = text[text.index("## The JSON step list") :]
    example = section[section.index("```json") + len("```json") : section.index("```\n\n")]
    jsonschema.validate(json.loads(example), load_schema())


def test_readme_has_no_leftover_merge_markers() -> None:
    text = README.read_text("utf-8")
    assert not re.search(r"^(<{7}|>{7}|={7})( |$)", text, re.M)


def test_readme_quick_start_is_the_two_make_commands() -> None:
    text = README.read_text("utf-8")
    assert "make docs" in text and "make test" in text
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert re.search(r"^docs:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


if __name__ == "__main__":
    README.write_text(regenerate(README.read_text("utf-8")), "utf-8")
    print("README.md regenerated")
