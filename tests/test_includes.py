"""A part of a file included into an rST page keeps the lines of its file, and nothing else
about the page changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_extraction_cases import handbook

from sphinx_incident.reading.includes import lines_before

from conftest import build

WHOLE = ["Title", "=====", "", ".. _cut:", "", "Text after the cut.", "", "- one", "- two"]


def test_a_part_from_a_marker_on_starts_at_the_end_of_the_marker_line() -> None:
    # `:start-after: .. _cut:` leaves the rest of the marker's line, empty here, as line 1
    assert lines_before(["", "", "Text after the cut.", "", "- one", "- two"], WHOLE) == 3


def test_a_part_may_end_inside_a_line_and_start_inside_another() -> None:
    assert lines_before(["after the cut.", "", "- one", "-"], WHOLE) == 5
    assert lines_before(["after"], WHOLE) == 5


def test_a_whole_file_or_its_start_needs_no_lines_before_it() -> None:
    assert lines_before(WHOLE, WHOLE) == 0
    assert lines_before(WHOLE[:4], WHOLE) == 0


def test_a_part_the_file_does_not_hold_is_left_where_it_is() -> None:
    # another extension changed the text on its way in: nothing to place it by
    assert lines_before(["Text after the cut, edited.", "", "- one"], WHOLE) == 0
    assert lines_before([*WHOLE, "more"], WHOLE) == 0
    assert lines_before([], WHOLE) == 0


def test_two_parts_of_one_file_on_one_page_each_keep_their_lines(tmp_path: Path) -> None:
    # a page that takes a shared file piece by piece, one include per piece: a mistake in
    # each piece is named at its own line of the shared file
    shared = (
        "Shared\n======\n\n.. _one:\n\n1. **Stop the web tier**.\n\n"  # step at line 6
        ".. code-block:: shell\n\n   systemctl stop web\n\n2. **Check it**.\n\n"  # command at 8
        ".. _two:\n\n3. **Start the web tier**.\n\n"  # step at line 16
        ".. code-block:: shell\n\n   systemctl start web\n\n4. **Check it again**.\n"  # command at 18
    )
    page = (
        ":runbook: true\n\nProcedure\n=========\n\n"
        ".. include:: shared.txt\n   :start-after: .. _one:\n   :end-before: .. _two:\n\n"
        ".. include:: shared.txt\n   :start-after: .. _two:\n"
    )
    result = handbook(tmp_path, {"p.rst": page, "shared.txt": shared})
    assert [(p.path.rsplit("/", 1)[-1], p.line, p.rule) for p in result.problems] == [
        ("shared.txt", 8, "outdented_body"),
        ("shared.txt", 18, "outdented_body"),
    ]


def _page_body(make_app: Any, src: Path, extensions: list[str]) -> str:
    (src / "conf.py").write_text(f"extensions = {extensions!r}\n", "utf-8")
    app = build(make_app, src)
    html = (Path(app.outdir) / "p.html").read_text("utf-8")
    return html[html.index('<div class="body"') : html.index('<div class="sphinxsidebar"')]


def test_placing_a_part_changes_nothing_on_the_page(make_app: Any, tmp_path: Path) -> None:
    # a part cut inside a line, included into a list item and into a note: the page reads the
    # same with the extension as without it
    src = tmp_path / "src"
    src.mkdir()
    (src / "index.rst").write_text(".. toctree::\n\n   p\n", "utf-8")
    (src / "shared.txt").write_text(
        "Head\n====\n\nkeep: the first words, *emphasis*\nand a second line.\n\n"
        "- an item\n\n  its text\n\n::\n\n   code\n\nEND\n",
        "utf-8",
    )
    (src / "p.rst").write_text(
        "Page\n====\n\n- An item that takes a part:\n\n  .. include:: shared.txt\n"
        "     :start-after: keep:\n     :end-before: END\n\n"
        ".. note::\n\n   .. include:: shared.txt\n      :start-line: 6\n\nAfter.\n",
        "utf-8",
    )
    plain = _page_body(make_app, src, [])
    assert "the first words" in plain and "its text" in plain
    assert _page_body(make_app, src, ["sphinx_incident"]) == plain


RST_PAGE = ":runbook: true\n\nProcedure\n=========\n\n#. Install it.\n\n#. Edit the file.\n\n"


def test_steps_included_from_a_shared_file_are_named_at_their_own_file(tmp_path: Path) -> None:
    """A shared part numbered to follow three steps, included after two: the page skips a
    number, and the finding is at the shared file's line (the page's line 1 is its first),
    naming the page that shows the gap; the shared file read alone starts where it must."""
    page = RST_PAGE + ".. include:: parts/finish.rst\n"
    shared = "4. Finish the configuration.\n\n5. Check it.\n"
    result = handbook(tmp_path, {"p.rst": page, "parts/finish.rst": shared})
    assert [(p.path, p.line, p.rule) for p in result.problems] == [("parts/finish.rst", 1, "numbering_gap")]
    assert "step 3 is missing" in result.problems[0].message
    assert result.problems[0].message.endswith("(in p.rst, which includes it)")


def test_an_auto_numbered_step_after_an_included_step_restarts_at_1_with_no_text_between(
    tmp_path: Path,
) -> None:
    """The page counts again from 1 after a list that ends its included file: a restart, but
    no text parts the lists (docutils' note on the included list's start is no text), so the
    fix is the number."""
    page = RST_PAGE + ".. include:: parts/finish.rst\n\n#. Fill the database.\n"
    shared = "3. Finish the configuration.\n"
    result = handbook(
        tmp_path, {"p.rst": page, "parts/finish.rst": shared}, conf="exclude_patterns = ['parts']\n"
    )
    assert [(p.path, p.line, p.rule) for p in result.problems] == [("p.rst", 12, "numbering_restart")]
    assert "text at line" not in result.problems[0].message
    assert "continue it at 4" in result.problems[0].message


def test_a_part_numbered_to_follow_the_steps_of_its_page_may_start_above_1(tmp_path: Path) -> None:
    """A shared part that carries on the page's three steps at 4: Sphinx reads it as a document
    of its own too, and alone it starts at 4; where it is meant to be read, the count is right."""
    page = (
        "Install\n=======\n\n#. Install the packages.\n\n#. Edit the configuration file.\n\n"
        "#. Create the database.\n\n.. include:: parts/finish.rst\n"
    )
    shared = (
        "4. Finish the configuration in the file.\n\n5. Restart the service.\n\n6. Check the service log.\n"
    )
    result = handbook(
        tmp_path, {"p.rst": page, "parts/finish.rst": shared}, conf='incident_lint_scope = "discovered"\n'
    )
    assert result.problems == []


def test_a_mistake_in_a_part_names_every_page_that_shows_it(tmp_path: Path) -> None:
    """Two install pages, each with two steps, include a part numbered from 4: the gap is one
    finding, at the part, naming both pages (not only the first one read)."""
    page = "Install on {0}\n=============\n\n#. Install the packages.\n\n#. Edit the configuration file.\n\n"
    page += ".. include:: parts/finish.rst\n"
    shared = "4. Finish the configuration in the file.\n\n5. Restart the service.\n"
    result = handbook(
        tmp_path,
        {"a.rst": page.format("A"), "b.rst": page.format("B"), "parts/finish.rst": shared},
        conf='incident_lint_scope = "discovered"\n',
    )
    (problem,) = result.problems
    assert (problem.path, problem.line, problem.rule) == ("parts/finish.rst", 1, "numbering_gap")
    assert problem.message.endswith("(in a.rst, b.rst, which include it)")
