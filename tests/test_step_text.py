"""A step's text is the author's text: code as written, no other extension's HTML or LaTeX,
references by the titles the page shows, notes and figure captions apart from the words."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from test_extraction_cases import handbook

from sphinx_incident.model import Step

MD = "---\nrunbook: true\n---\n# Procedure\n\n"
RST = ":runbook: true\n\nProcedure\n=========\n\n"


def only_step(tmp_path: Path, pages: dict[str, str], conf: str = "") -> tuple[Step, list[str]]:
    result = handbook(tmp_path, pages, conf)
    (runbook,) = result.runbooks
    return runbook.steps[0], [p.rule for p in result.problems]


def test_a_code_block_keeps_its_line_breaks(tmp_path: Path) -> None:
    page = (
        MD
        + "1. **Clear the cache** in the console:\n\n"
        + "   ```js\n   // drop the old entries\n   cache.clear();\n   ```\n"
    )
    step, _ = only_step(tmp_path, {"p.md": page})
    assert step.text.endswith("// drop the old entries\ncache.clear();")


def test_raw_output_for_other_formats_is_not_step_text(tmp_path: Path) -> None:
    page = RST + (
        "#. **Check the banner**.\n\n   .. raw:: html\n\n      <div class='banner'></div>\n\n"
        "   .. raw:: latex\n\n      \\begin{center}\\end{center}\n\n   It should say ready.\n"
    )
    step, _ = only_step(tmp_path, {"p.rst": page})
    assert step.text == "It should say ready."


@pytest.mark.parametrize("line_break", ["  \n", "\\\n"], ids=["two-spaces", "backslash"])
def test_a_line_break_typed_in_a_step_parts_its_words_as_on_the_page(tmp_path: Path, line_break: str) -> None:
    # Markdown's parser writes the break as raw HTML and LaTeX: neither is text, but the
    # words either side of the break are two, not one
    page = MD + f"1. Restart the writer:{line_break}   then check the queue.\n"
    step, rules = only_step(tmp_path, {"p.md": page})
    assert step.text.split() == ["Restart", "the", "writer:", "then", "check", "the", "queue."]
    assert "<br" not in step.text and rules == []


def test_references_show_their_titles_as_the_page_does(tmp_path: Path) -> None:
    pages = {
        "p.md": MD + "1. **Read** {doc}`guide` and {ref}`restore`, then [](restore).\n",
        "guide.md": "# The operator guide\n\n(restore)=\n## Restoring a backup\n\nText.\n",
    }
    step, problems = only_step(tmp_path, pages)
    assert step.text == "The operator guide and Restoring a backup, then Restoring a backup."
    assert problems == []


def test_figure_captions_and_boxed_notes_are_kept_apart(tmp_path: Path) -> None:
    page = RST + (
        "#. **Open the dashboard**.\n\n   .. figure:: missing.png\n\n      The error panel.\n\n"
        "   .. container:: box\n\n      .. note:: It loads slowly.\n\n      Wait for it.\n"
    )
    step, _ = only_step(tmp_path, {"p.rst": page})
    assert step.text == "Wait for it."
    assert [(a.kind, a.title, a.text) for a in step.admonitions] == [
        ("figure", "The error panel.", ""),
        ("note", "Note", "It loads slowly."),
    ]


#: the directives of common extensions, each in a step: (module to load, page, words the step keeps)
EXTENSIONS = {
    "sphinx_prompt": (
        RST + "#. **List the files**:\n\n   .. prompt:: bash $\n\n      ls -la /srv\n",
        "ls -la /srv",
    ),
    "sphinx_tabs.tabs": (
        RST + "#. **Install it**:\n\n   .. tabs::\n\n      .. tab:: Debian\n\n         Use apt.\n",
        "Use apt.",
    ),
    "sphinx_copybutton": (RST + "#. **Run it**:\n\n   .. code-block:: sh\n\n      make run\n", "make run"),
    "sphinxcontrib.httpdomain": (
        RST + "#. **Call the API**:\n\n   .. http:get:: /health\n\n      Answers 200 when up.\n",
        "Answers 200 when up.",
    ),
    "sphinx_design": (
        RST + "#. **Pick one**:\n\n   .. dropdown:: Details\n\n      Read the log first.\n",
        "Read the log first.",
    ),
    "sphinx.ext.todo": (
        RST + "#. **Plan it**.\n\n   .. todo:: Write the rollback.\n\n   Then go.\n",
        "Then go.",
    ),
    "sphinx.ext.graphviz": (
        RST + "#. **Follow the flow**:\n\n   .. graphviz::\n\n      digraph { a -> b }\n\n   Then go.\n",
        "Then go.",
    ),
}


@pytest.mark.parametrize("loaded", [True, False], ids=["loaded", "not-loaded"])
@pytest.mark.parametrize("module", sorted(EXTENSIONS))
def test_the_nodes_of_common_extensions_give_the_authors_text(
    tmp_path: Path, module: str, loaded: bool
) -> None:
    if importlib.util.find_spec(module.split(".")[0]) is None:
        pytest.skip(f"{module} is not installed (a test extra)")
    page, words = EXTENSIONS[module]
    conf = 'extensions = ["myst_parser", "sphinx_incident"' + (f', "{module}"' if loaded else "") + "]\n"
    result = handbook(tmp_path, {"p.rst": page}, conf)
    (runbook,) = result.runbooks  # read, never a failed extraction, with or without the extension
    step = runbook.steps[0]
    assert "extraction_failed" not in {p.rule for p in result.problems}
    text = " ".join([step.text, *(a.text for a in step.admonitions)])
    if loaded:
        assert words in text
    assert "<" not in step.text and "\\begin" not in step.text  # no HTML, no LaTeX
