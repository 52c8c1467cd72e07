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


def _first_run(tmp_path: Path, name: str, page: str) -> Handbook:
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "sphinx_incident"]\n', "utf-8")
    (tmp_path / name).write_text(page, "utf-8")
    return read_handbook(tmp_path, {"incident_lint_scope": "discovered"}, freshenv=True)


@pytest.mark.parametrize(
    ("name", "page", "lines"), [("index.md", BOLD, (5, 13)), ("index.rst", BRACKETED_RST, (4, 8))]
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
