"""Procedures written as numbered paragraphs (``**1.** Title``, ``1.) Title``) on a page with no
list: the page shows paragraphs, not a list, so no checklist tool sees steps. ``discover``
offers such a run as the procedure it was meant to be, lint's first run reports it once (the
whole run), and a declared section reads the paragraphs as its steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_extraction_cases import handbook

from sphinx_incident.commands import cli
from sphinx_incident.commands.handbook import Handbook, read_handbook

BOLD = """\
# Copy a table back from a snapshot

The snapshot holds yesterday's rows.

**1.** Open a tunnel to the snapshot host:

```
ssh -L 5433:snapshot:5432 bastion
```

**2.** Dump the one table you need with `pg_dump`.

**3.** Load the dump into the live database and compare the row counts.

## What to tell the team

Post the row counts in the channel.
"""

BRACKETED_RST = """\
Rebuild an account by hand
==========================

1.) In the infrastructure repository, plan against the production workspace.

2.) Apply the plan with your administrator credentials.

3.) Log in to the account and check that the networks look right.
"""


# Markdown has no list marker in brackets: "(1) …" opens a paragraph (rST reads it as an item)
PARENTHESISED = """\
# Keep traces longer

To set up the second store:

(1) add a second backend, for example `cold_store`:

```yaml
backends:
  cold_store: {}
```

(2) name that backend as the one the query service archives to.

(3) restart the query service and save a trace from the UI.
"""


def _first_run(tmp_path: Path, name: str, page: str) -> Handbook:
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "sphinx_incident"]\n', "utf-8")
    (tmp_path / name).write_text(page, "utf-8")
    return read_handbook(tmp_path, {"incident_lint_scope": "discovered"}, freshenv=True)


@pytest.mark.parametrize(
    ("name", "page", "lines"),
    [("index.md", BOLD, (5, 13)), ("index.rst", BRACKETED_RST, (4, 8))],
)
def test_a_procedure_in_numbered_paragraphs_is_reported_once_on_a_first_run(
    tmp_path: Path, name: str, page: str, lines: tuple[int, int]
) -> None:
    (problem,) = _first_run(tmp_path, name, page).problems
    assert (problem.rule, problem.line, problem.end_line) == ("stray_step", *lines)
    assert problem.message.startswith(
        "steps 1-3 are numbered paragraphs, not list items, so the page shows no list"
    )


def test_discover_offers_numbered_paragraphs_as_a_procedure(tmp_path: Path, capsys) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "sphinx_incident"]\n', "utf-8")
    (tmp_path / "index.md").write_text(BOLD, "utf-8")
    assert cli.main(["discover", str(tmp_path), "--format", "json"]) == 0
    (found,) = json.loads(capsys.readouterr().out)
    assert (found["line"], found["steps"], found["form"], found["verdict"]) == (
        5,
        3,
        "paragraphs",
        "procedure",
    )
    assert found["entry"] == "index"
    assert found["reasons"][0] == "steps written as numbered paragraphs, not as a list"


def test_a_declared_section_of_numbered_paragraphs_has_them_as_its_steps(tmp_path: Path) -> None:
    page = "---\nrunbook: true\n---\n" + BOLD
    result = handbook(tmp_path, {"p.md": page})
    (runbook,) = result.runbooks
    assert [(s.number, s.line) for s in runbook.steps] == [("1", 8), ("2", 14), ("3", 16)]
    assert "ssh -L 5433:snapshot:5432 bastion" in runbook.steps[0].text
    assert [p.rule for p in result.problems] == ["stray_step"]


def test_steps_numbered_in_brackets_are_offered_as_a_procedure_and_taken_as_written(
    tmp_path: Path, capsys
) -> None:
    # Markdown has no "(1)" marker: hand-numbered paragraphs, a layout readers take as meant
    assert _first_run(tmp_path, "index.md", PARENTHESISED).problems == []
    (tmp_path / "index.md").write_text(PARENTHESISED, "utf-8")
    assert cli.main(["discover", str(tmp_path), "--format", "json"]) == 0
    (found,) = json.loads(capsys.readouterr().out)
    assert (found["line"], found["steps"], found["form"], found["verdict"]) == (
        5,
        3,
        "paragraphs",
        "procedure",
    )


def test_steps_numbered_in_brackets_are_read_without_their_numbers(tmp_path: Path) -> None:
    result = handbook(tmp_path, {"p.md": "---\nrunbook: true\n---\n" + PARENTHESISED})
    (runbook,) = result.runbooks
    assert [(s.number, s.line) for s in runbook.steps] == [("1", 8), ("2", 15), ("3", 17)]
    assert runbook.steps[0].text.startswith("add a second backend")
    assert "cold_store: {}" in runbook.steps[0].text
    assert result.problems == []


@pytest.mark.parametrize(
    "paragraphs",
    [
        # numbers out of turn: a year and a count, not steps
        "**2019.** The first outage.\n\n**2021.** The second one.\n",
        # a single numbered paragraph is a remark, not a procedure
        "**1.** Only one thing to note here.\n",
        # numbered but not in turn
        "1.) Keep the logs.\n\n3.) Keep the metrics.\n",
    ],
)
def test_paragraphs_that_are_not_a_numbered_run_are_left_alone(tmp_path: Path, paragraphs: str) -> None:
    result = _first_run(tmp_path, "index.md", "# Notes\n\nSome text.\n\n" + paragraphs)
    assert result.problems == [] and result.discovered == []


def test_numbered_paragraphs_after_a_list_are_one_finding_naming_where_the_list_ends(tmp_path: Path) -> None:
    page = "---\nrunbook: true\n---\n# Procedure\n\n1. **Stop it**.\n2. **Wait**.\n\n"
    page += "**3.** Start it.\n\n**4.** Check it.\n"
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line, problem.end_line) == ("stray_step", 9, 11)
    assert problem.message.startswith(
        "steps 3-4 are numbered paragraphs, not list items, so the list ends before them"
    )


RUN_IN_RST = """\
Build a new image
=================

You can build the image two ways:
1. Start from the template folder (environment file and all)
2. Write a Dockerfile (for images that need system packages)

We prefer the first.

Pick a template
===============

Look through the folder of images.
"""


def test_a_list_run_into_the_paragraph_above_it_is_found_on_a_page_with_no_list(tmp_path: Path) -> None:
    # reStructuredText needs a blank line before a list: without it the items are more of the
    # paragraph's text, and the page has no list anywhere for discovery to start from
    (problem,) = _first_run(tmp_path, "index.rst", RUN_IN_RST).problems
    assert (problem.rule, problem.line, problem.end_line) == ("run_in_list", 5, 6)
    assert problem.message.startswith("lines 5-6 are numbered list items written right under a paragraph")
    assert "put a blank line before the first item" in problem.message
    assert "carry each item on" not in problem.message  # each item is one line


def test_items_run_into_a_paragraph_whose_lines_go_on_at_the_margin_say_to_indent_them_too(
    tmp_path: Path,
) -> None:
    # each item's text carries on at the margin: a blank line before the list alone would end
    # each item at its first line, so the fix says to indent those lines to the text too
    page = RUN_IN_RST.replace(
        "1. Start from the template folder (environment file and all)\n",
        "1. Start from the template folder, with the environment\nfile and all\n",
    )
    (problem,) = _first_run(tmp_path, "index.rst", page).problems
    assert (problem.rule, problem.line) == ("run_in_list", 5)
    assert problem.message.endswith(
        "put a blank line before the first item, and indent the lines that carry each item on to "
        "column 3, where its text starts"
    )


def test_discover_says_the_list_is_run_into_its_paragraph(tmp_path: Path, capsys) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "sphinx_incident"]\n', "utf-8")
    (tmp_path / "index.rst").write_text(RUN_IN_RST, "utf-8")
    assert cli.main(["discover", str(tmp_path), "--all"]) == 0
    out = capsys.readouterr().out
    assert "index.rst:4:" in out and "(2 steps," in out
    assert "a list run into the paragraph above it" in out
    assert "1 lists in 1 pages (1 of them written as paragraphs)" in out


def test_bullets_run_into_a_declared_runbook_s_lead_in_are_reported(tmp_path: Path) -> None:
    page = (
        ":runbook: true\n\nRotate the key\n==============\n\nBefore you start, check that:\n"
        "- you can reach the vault\n- the old key still works\n\n1. **Make a new key**.\n"
        "2. **Swap it in**.\n"
    )
    problems = handbook(tmp_path, {"p.rst": page}).problems
    assert [(p.rule, p.line, p.end_line) for p in problems] == [("run_in_list", 7, 8)]
    assert problems[0].message.startswith("lines 7-8 are bulleted list items")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # a dash that wraps a sentence is no bullet
        ("index.rst", "The window runs from 02:00\n- or so - until the batch ends.\n"),
        # a number that wraps a sentence is no step: no colon before it, and not from 1
        ("index.rst", "It was fixed in version\n2. The next release kept it.\n"),
        # Markdown lets a list that starts at 1 interrupt the paragraph: a real list
        ("index.md", "Do this:\n1. Stop it.\n2. Start it.\n"),
    ],
)
def test_lines_that_only_look_like_items_under_a_paragraph_are_left_alone(
    tmp_path: Path, name: str, text: str
) -> None:
    title = "Notes\n=====\n\n" if name.endswith(".rst") else "# Notes\n\n"
    result = _first_run(tmp_path, name, title + text)
    assert [p.rule for p in result.problems] == []


def test_markdown_bullets_indented_under_a_paragraph_are_told_to_come_out(tmp_path: Path) -> None:
    # four spaces in, the bullets cannot interrupt the paragraph: Markdown runs them into it
    page = "# Restore\n\n## Into a new cluster\n\nYou will need:\n"
    page += "    - the backup's location\n    - its name\n"
    (problem,) = _first_run(tmp_path, "index.md", page).problems
    assert (problem.rule, problem.line, problem.end_line) == ("run_in_list", 6, 7)
    assert "indent them less than 4 spaces" in problem.message


def test_markdown_bullets_short_of_their_item_s_text_are_told_to_go_in_to_it(tmp_path: Path) -> None:
    # indented with tabs: the item's text starts at column 9 (a tab, the star, four spaces), its
    # sub-bullets' stars at column 8 (two tabs), four past the list around it and one short of
    # the text: Markdown runs them into the text, and only set at column 9 are they its sub-list;
    # "less than 4 spaces" would make them the item's siblings
    page = "# Accounts\n\nManage the accounts:\n\n- **Actions:** what an admin can do:\n"
    page += "\t*    **Edit the account:** only some settings here:\n"
    page += "\t\t*   **Terms:** whether they were accepted.\n\t\t*   **Password:** force a change.\n"
    page += "\t*    **Remove the account:** for good.\n"
    (problem,) = _first_run(tmp_path, "index.md", page).problems
    assert (problem.rule, problem.line, problem.end_line) == ("run_in_list", 7, 8)
    assert "short of it (column 9)" in problem.message
    assert "indent them by 1 space more, to column 9" in problem.message
    assert "less than 4 spaces" not in problem.message


def test_two_lead_ins_each_over_their_list_with_no_blank_line_are_both_found(tmp_path: Path) -> None:
    # two sentences, each with its list indented right under it: reStructuredText makes one
    # definition list of two entries, and neither list is a list of the page
    page = (
        "Set up a hub\n============\n\nBefore you begin\n----------------\n"
        "Working installs of these tools:\n  - the secrets tool\n  - the deploy tool\n\n"
        "Access to the following systems:\n  - the cloud console\n  - the repository\n\n"
        "Set up\n------\n\n1. Run the installer.\n2. Open the hub.\n"
    )
    problems = _first_run(tmp_path, "index.rst", page).problems
    assert [(p.rule, p.line) for p in problems] == [("run_in_list", 7), ("run_in_list", 11)]
    assert all("reads the sentence as a term and the list as its definition" in p.message for p in problems)


def test_typed_numbers_that_repeat_in_a_list_of_links_under_a_step_are_found(tmp_path: Path) -> None:
    # the list under step 1 is links, the step's prose, not sub-steps: its typed numbers still
    # go 1, 2, 3 then 2, and Markdown shows 4 where the author typed 2
    page = (
        "# Give a hub access\n\n1. Open the app page of your hub:\n\n"
        "   1. [First hub](https://apps.example.org/first)\n   2. [Second hub](https://apps.example.org/second)\n"
        "   3. [Third hub](https://apps.example.org/third)\n   2. [Ask for another](https://example.org/new)\n\n"
        "2. Click the install button.\n3. Pick the repositories.\n"
    )
    (problem,) = _first_run(tmp_path, "index.md", page).problems
    assert (problem.rule, problem.line) == ("numbering_duplicate", 8)
    assert "typed 2. after 3." in problem.message and "Markdown shows it as 4" in problem.message


def test_a_bullet_whose_sub_list_became_a_definition_is_named_by_its_own_text(tmp_path: Path) -> None:
    page = (
        "Tools\n=====\n\nInstall these:\n\n- the secrets tool\n- the deploy tool\n"
        "   - its manual\n   - ``pip install deploy``\n- the cloud command line\n"
    )
    (problem,) = _first_run(tmp_path, "index.rst", page).problems
    assert (problem.rule, problem.line) == ("run_in_list", 8)
    # a list of things to install, not a procedure: its entries are items, not steps
    assert "the text of the item 'the deploy tool' with no blank line" in problem.message
    assert "shows that text as a term and the list set in under it" in problem.message
    assert "step" not in problem.message
