"""Extraction as a pure function: docutils doctrees in, checklist model out, no Sphinx build."""

from __future__ import annotations

from hashlib import sha256

from docutils import nodes
from docutils.core import publish_doctree

from sphinx_incident.model import Runbook
from sphinx_incident.model.numbers import format_number
from sphinx_incident.reading.doctree import node_line
from sphinx_incident.reading.extract import extract_runbook
from sphinx_incident.reading.extract.splitting import step_like
from sphinx_incident.reading.lines import mend_nested_lines
from sphinx_incident.reading.list_source import SourceLines

SETTINGS = {"report_level": 5, "halt_level": 5, "warning_stream": False, "doctitle_xform": False}


def parse(rst: str) -> nodes.document:
    return publish_doctree(rst, settings_overrides=SETTINGS)


def runbook_of(rst: str, **kwargs: object) -> Runbook:
    document = parse(rst)
    section = next(iter(document.findall(nodes.section)))
    return extract_runbook(
        section,
        runbook_id="rb",
        title="Runbook",
        docname="doc",
        source="doc.rst",
        **kwargs,  # type: ignore[arg-type]
    )


PROCESS = """\
Process
=======

Before you start, read this.

1. **Acknowledge the incident**. Tell people.

   - **Page the on-call** engineer.
   - Untitled sub-step with a `dashboard <https://dash.northwind-ops.net/>`_.

2. **Fix it**: carefully.

   .. warning:: Never in production.

3. Untitled step.
"""


def test_steps_titles_text_and_numbers() -> None:
    runbook = runbook_of(PROCESS)
    assert runbook.intro == "Before you start, read this."
    assert [(s.number, s.title) for s in runbook.steps] == [
        ("1", "Acknowledge the incident"),
        ("2", "Fix it"),
        ("3", None),
    ]
    first = runbook.steps[0]
    assert first.text == "Tell people."
    assert first.line == 6
    assert [s.title for s in first.substeps] == ["Page the on-call", None]
    assert first.substeps[0].id == "page-the-on-call"  # its own: rewording the parent keeps it
    assert first.substeps[0].ordered is False and first.substeps[0].number is None


def test_links_and_admonitions_belong_to_their_step() -> None:
    runbook = runbook_of(PROCESS)
    sub = runbook.steps[0].substeps[1]
    assert [(link.kind, link.target, link.text) for link in sub.links] == [
        ("external", "https://dash.northwind-ops.net/", "dashboard")
    ]
    assert runbook.steps[0].links == ()  # the sub-step's link is not its parent's
    (adm,) = runbook.steps[1].admonitions
    assert (adm.kind, adm.title, adm.text) == ("warning", "Warning", "Never in production.")
    assert runbook.steps[1].text == "carefully."


def test_ids_follow_titles_not_numbers() -> None:
    """Renumbering or reordering steps leaves every id unchanged."""
    before = runbook_of(PROCESS)
    reordered = (
        PROCESS.replace("1. **Acknowledge", "7. **Acknowledge")
        .replace("2. **Fix it**", "8. **Fix it**")
        .replace("3. Untitled", "9. Untitled")
    )
    after = runbook_of(reordered)
    assert [s.id for s in after.walk()] == [s.id for s in before.walk()]
    assert [s.number for s in after.steps] == ["7", "8", "9"]


def test_steps_that_want_one_id_are_told_apart_by_their_own_text() -> None:
    runbook = runbook_of("T\n=\n\n1. **Check** the logs.\n2. **Check** the graphs.\n3. **Check** the logs.\n")
    ids = [s.id for s in runbook.steps]
    logs, graphs = (
        f"check-{sha256(f'Check{chr(10)}{text}'.encode()).hexdigest()[:8]}"
        for text in ("the logs.", "the graphs.")
    )
    # two steps that say exactly the same thing: the last resort is their order
    assert ids == [logs, graphs, f"{logs}-2"]
    # a step added before them changes none of their ids
    again = runbook_of("T\n=\n\n1. **Check** the alerts.\n2. **Check** the logs.\n3. **Check** the graphs.\n")
    assert [s.id for s in again.steps][1:] == [logs, graphs]


def test_a_label_at_the_start_of_a_step_pins_its_id() -> None:
    runbook = runbook_of("T\n=\n\n1. .. _stop-writes:\n\n   **Stop the writers** first.\n2. **Restore**.\n")
    assert [s.id for s in runbook.steps] == ["stop-writes", "restore"]
    reworded = runbook_of(
        "T\n=\n\n1. .. _stop-writes:\n\n   **Pause every writer** first.\n2. **Restore**.\n"
    )
    assert reworded.steps[0].id == "stop-writes"


def test_footnotes_are_copied_into_every_step_that_cites_them() -> None:
    runbook = runbook_of("T\n=\n\n1. **One** [#why]_\n2. **Two** [#why]_\n\n.. [#why] Because.\n")
    assert [[f.label for f in s.footnotes] for s in runbook.steps] == [["why"], ["why"]]
    assert runbook.steps[0].footnotes[0].text == "Because."


def test_restarted_lists_stay_in_source_order_with_their_list_index() -> None:
    runbook = runbook_of("T\n=\n\n1. **A**\n2. **B**\n\nProse between.\n\n4. **D**\n")
    assert [(s.number, s.list_index) for s in runbook.steps] == [("1", 0), ("2", 0), ("4", 1)]
    assert [n.text for n in runbook.notes] == ["Prose between."]


def test_on_step_sees_every_step_and_its_node() -> None:
    seen: list[tuple[str, str]] = []
    runbook_of(PROCESS, on_step=lambda node, step: seen.append((node.tagname, step.id)))
    assert [step_id for _, step_id in seen] == [
        "acknowledge-the-incident",
        "page-the-on-call",
        "untitled-sub-step-with-a-dashboard",
        "fix-it",
        "untitled-step",
    ]
    assert {tag for tag, _ in seen} == {"list_item"}


def test_extraction_does_not_change_the_doctree() -> None:
    document = parse(PROCESS)
    before = document.pformat()
    section = next(iter(document.findall(nodes.section)))
    extract_runbook(section, runbook_id="rb", title="T", docname="d", source="d.rst")
    assert document.pformat() == before


def test_step_like_paragraphs() -> None:
    document = parse("7: Close the ticket.\n\n2023 was a long year.\n")
    first, second = list(document.findall(nodes.paragraph))
    assert step_like(first) == "7"
    assert step_like(second) is None


def test_bullet_only_runbook_has_bulleted_steps() -> None:
    runbook = runbook_of("T\n=\n\n- **Check the alert**\n- **Silence it**\n")
    assert [(s.title, s.ordered, s.number) for s in runbook.steps] == [
        ("Check the alert", False, None),
        ("Silence it", False, None),
    ]


def test_number_formats() -> None:
    assert [format_number(n, "loweralpha") for n in (1, 2, 26)] == ["a", "b", "z"]
    assert format_number(4, "upperroman") == "IV"
    assert format_number(9, "lowerroman") == "ix"
    assert format_number(27, "loweralpha") == "27"
    assert format_number(12, "arabic") == "12"


def _mended(document: nodes.document, source: str) -> list[tuple[str, int | None]]:
    lines = SourceLines(source)
    mend_nested_lines(document, lambda node: lines)
    return [(node.astext(), node.line) for node in document.findall(nodes.paragraph)]


def test_a_box_nested_in_a_box_moves_up_to_where_its_text_is() -> None:
    # what a nested directive holds is numbered a line too far down: it moves up to its text
    source = "intro\n:::{note}\n:::{tip}\nDrain the node first.\n:::\n:::\n"
    tip = nodes.tip("", nodes.paragraph("", "Drain the node first."))
    tip[0].line = 5
    note = nodes.note("", tip)
    document = parse("")
    document += note
    assert _mended(document, source) == [("Drain the node first.", 4)]


def test_a_table_cell_or_a_definition_stays_where_it_is_when_its_words_stand_above() -> None:
    # no directive makes a cell or a definition, so neither is moved: the same words on a line
    # above (the sentence before the table, the previous term's definition) are not where it is
    source = "Open the web server admin page.\n\n| Service | Port |\n|---|---|\n| web server admin | 8080 |\n"
    cell = nodes.entry("", nodes.paragraph("", "web server admin"))
    cell[0].line = 3  # MyST puts a cell's text at its table's first line
    table = nodes.table("", nodes.tgroup("", nodes.tbody("", nodes.row("", cell))))
    glossary = "Backups\n: work in progress\n\nBuilds\n: work in progress\n"
    definition = nodes.definition("", nodes.paragraph("", "work in progress"))
    definition[0].line = 4  # and a definition's at its term's line
    terms = nodes.definition_list("", nodes.definition_list_item("", nodes.term("", "Builds"), definition))
    for box, source_text, line in ((table, source, 3), (terms, glossary, 4)):
        document = parse("")
        document += box
        assert [found for _, found in _mended(document, source_text)] == [line]


def test_a_reference_in_a_paragraph_is_found_on_the_line_it_is_written_on() -> None:
    """rST gives inline nodes their paragraph's first line: the line breaks before a
    reference, in the text and inside the markup before it, move a finding to its own line."""
    document = parse(
        "Process\n=======\n\n"
        "#. **Page** the `first <https://a.example>`_ person,\n"
        "   then *wait for\n"
        "   a reply from* `the second <https://b.example>`_ and\n"
        "   *then* ask `the third <https://c.example>`_.\n"
    )
    lines = {ref.astext(): node_line(ref) for ref in document.findall(nodes.reference)}
    assert lines == {"first": 4, "the second": 6, "the third": 7}
