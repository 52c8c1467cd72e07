"""The evaluation harness: sources prepared line for line, and scores computed as documented."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "evaluation"))

from agreement import agreement, kappa, noted_by_both
from prepare import (
    docusaurus_admonitions,
    docusaurus_details,
    docusaurus_tabs,
    hugo_front_matter,
    hugo_shortcodes,
    mkdocs_admonitions,
    mkdocs_definitions,
    mkdocs_fences,
    prepare,
    sphinx_name,
)
from score import (
    calibration_table,
    match_by_line,
    score_agreement,
    score_discover,
    score_exact,
    score_lint,
)


def test_a_mkdocs_definition_under_a_heading_is_its_blocks_at_the_margin_on_the_same_lines() -> None:
    # MkDocs shows the body of a definition with no term (a setting's heading above it) as a
    # definition; MyST would read its indented blocks as code: they are set back to the margin
    source = (
        "#### `QUEUE_URL=<url>`\n\n"
        ": Where the workers find the queue.\nNeeded for scheduled jobs.\n\n"
        "    - With a password: `redis://:pw@host`\n"
        "    - Without one: `redis://host`\n\n"
        "    !!! note\n\n        Keep it private.\n\n"
        "Server\n: the host name\n\n    More about the host.\n"
    )
    converted = mkdocs_definitions(source).split("\n")
    assert len(converted) == len(source.split("\n"))
    assert converted[2] == "Where the workers find the queue."
    assert converted[5:7] == ["- With a password: `redis://:pw@host`", "- Without one: `redis://host`"]
    assert converted[8] == "!!! note" and converted[10] == "    Keep it private."
    # a term right above: a definition list MyST reads itself, left as written
    assert converted[12:] == source.split("\n")[12:]


def test_mkdocs_admonitions_become_colon_fences_on_the_same_lines() -> None:
    source = "\n".join(
        [
            "1. Stop the worker.",  # 1
            "",
            '    !!! warning "Careful"',  # 3
            "        Drain the queue first.",
            "",
            "2. Start it again.",  # 6
            "",
            "!!! note",  # 8
            "    Logs are kept a week.",
        ]
    )
    converted = mkdocs_admonitions(source).split("\n")
    assert converted[2] == "    :::{admonition} Careful"
    assert converted[3] == "    Drain the queue first."
    assert converted[4] == "    :::"
    assert converted[5] == "2. Start it again."
    assert converted[7] == ":::{note}"
    assert converted[8] == "Logs are kept a week."
    assert converted[9] == ":::"
    # every line that was there is still on its line
    assert converted[0] == "1. Stop the worker."


def test_mkdocs_admonitions_with_classes_after_their_kind_become_colon_fences_too() -> None:
    # Python-Markdown takes the words after the kind as the box's classes and "" as no title:
    # a list in such a box is on the MkDocs page, and was left out as a line of text
    source = "\n".join(
        ['!!! summary wide boxed "At a glance"', "    - Pull the image.", "    - Run it.", "",
         '!!! note wide ""', "    Tags move with each release.", ""]
    )  # fmt: skip
    converted = mkdocs_admonitions(source).split("\n")
    assert converted[:4] == [":::{admonition} At a glance", "- Pull the image.", "- Run it.", ":::"]
    assert converted[4:7] == [":::{note}", "Tags move with each release.", ":::"]


def test_mkdocs_version_notes_become_boxes_on_the_same_lines() -> None:
    # the version-annotations plugin's notes: a box on the MkDocs page, with what is indented
    # under it; read as text, its bullets were a list run into a paragraph
    source = "\n".join(
        ["The store keeps its data in a database.", "",
         '--- 3.0.0 "Older databases dropped"', "    - Version 12 is no longer supported.",
         "    - Version 13 neither.", "", "+/- 2.2.3", "    The worker class changed.", "",
         "--- not a version note"]
    )  # fmt: skip
    converted = mkdocs_admonitions(source).split("\n")
    assert converted[2:6] == [
        ":::{admonition} Removed in 3.0.0: Older databases dropped",
        "- Version 12 is no longer supported.",
        "- Version 13 neither.",
        ":::",
    ]
    assert converted[6:9] == [":::{admonition} Changed in 2.2.3", "The worker class changed.", ":::"]
    assert converted[9] == "--- not a version note"


def test_mkdocs_fences_with_backticks_in_their_title_open_as_fences_on_the_same_lines() -> None:
    source = '```text title="The `init` output"\nready\n```\n\n```text\nplain\n```'
    converted = mkdocs_fences(source).split("\n")
    assert converted[0] == "```text title=\"The 'init' output\""
    assert converted[1:] == source.split("\n")[1:]


def test_a_line_of_code_between_three_backticks_stays_code_in_the_text() -> None:
    # no fence for Python-Markdown either: converted, it opened one that ran to the next fence
    # and turned every fence after it inside out
    source = "```disk full: no space left on `/var````\n\n```\nplain\n```"
    assert mkdocs_fences(source) == source


def test_mkdocs_content_tabs_become_boxes_on_the_same_lines() -> None:
    # two tabs at the margin after a step, each with its command indented four columns: on the
    # MkDocs page two boxes, not a line of "===" text and a code block
    source = "\n".join(
        ["1. Restart the proxy:", "", '=== "Compose v2"', "", "    ```", "    compose restart", "    ```",
         "", '=== "Compose v1"', "", "    ```", "    compose-v1 restart", "    ```", "", "Done."]
    )  # fmt: skip
    converted = mkdocs_admonitions(source).split("\n")
    assert converted[2] == ":::{container}" and converted[8] == ":::{container}"
    assert converted[4:7] == ["```", "compose restart", "```"]
    assert converted[7] == ":::" and converted[13] == ":::"
    assert converted[14] == "Done." and len(converted) == 15


def test_mkdocs_tabs_in_a_collapsible_box_become_boxes_in_a_box_on_the_same_lines() -> None:
    # two tabs inside a collapsible example, each with a fenced command: the MkDocs page shows
    # the commands as code in tabs; read without the inner boxes, each fence is indented code
    source = "\n".join(
        ["Log in first.", "", '???+ example "Log in"', "", '    === "curl"', "", "        ```bash",
         "        curl -X POST /login", "        ```", "", '    === "Python"', "", "        ```python",
         "        post('/login')", "        ```", "", "Then call the API."]
    )  # fmt: skip
    converted = mkdocs_admonitions(source).split("\n")
    assert len(converted) == 17
    assert converted[2] == "::::{admonition} Log in"
    assert converted[4] == ":::{container}" and converted[10] == ":::{container}"
    assert converted[6:9] == ["```bash", "curl -X POST /login", "```"]
    assert converted[9] == ":::"  # the first tab closes on the blank line after its body
    assert converted[15] == "::::"  # the box closes after the last tab, which it closes too
    assert converted[16] == "Then call the API."


def test_a_tab_with_no_blank_line_after_it_shows_its_body_without_a_box() -> None:
    # no line to close a fence on: the command the tab holds is still the page's code, not an
    # indented code block showing its fence
    source = '- Stop it:\n=== "Compose"\n\n    ```bash\n    compose down\n    ```\n- Move the data.'
    converted = mkdocs_admonitions(source).split("\n")
    assert converted == ["- Stop it:", "", "", "```bash", "compose down", "```", "- Move the data."]
    # and the boxes after it are read as boxes still
    before, after = "Intro.\n\nMore.\n\n", '\n\n=== "Compose"\n\n    ```bash\n    compose up\n    ```\n'
    later = mkdocs_admonitions(before + source + after).split("\n")
    assert later[12] == ":::{container}" and later[14:17] == ["```bash", "compose up", "```"]


def test_an_admonition_closed_by_a_comment_line_becomes_a_fence_on_it() -> None:
    # a linter's switch typed right after the box: the page shows nothing there, so the fence
    # closes on that line and the box's code stays a fenced block
    source = (
        '!!! warning "Numbers vary"\n    Check yours:\n\n    ```\n    tool --rtmin\n    ```\n'
        "<!-- lint-enable -->\nThen:"
    )
    converted = mkdocs_admonitions(source).split("\n")
    assert converted == [
        ":::{admonition} Numbers vary",
        "Check yours:",
        "",
        "```",
        "tool --rtmin",
        "```",
        ":::",
        "Then:",
    ]


def test_an_admonition_with_no_blank_line_after_it_is_left_alone() -> None:
    source = "!!! tip\n    Use the dry run.\nNext paragraph."
    assert mkdocs_admonitions(source) == source


def test_a_box_with_a_blank_line_under_its_title_closes_before_the_text_set_back() -> None:
    # Python-Markdown ends a box at the first line set back to the margin, blank line before it
    # or not: the body moves up onto the blank line under the title, so that the fence closes
    # on the body's last line, and the box's code stays a fenced block, not indented code
    source = '??? example "Expected output"\n\n    ```text\n    ready\n    ```\nNow start it:\n'
    converted = mkdocs_admonitions(source).split("\n")
    assert converted == [
        ":::{admonition} Expected output",
        "```text",
        "ready",
        "```",
        ":::",
        "Now start it:",
        "",
    ]


def test_docusaurus_admonitions_become_colon_fences_on_the_same_lines() -> None:
    # bodies indented four columns are prose in MDX (no indented code): set back to the fence
    source = "\n".join(
        [":::info[Before you start]", "    Take a backup first.", "    It takes a minute.", ":::", "",
         "1. Stop the primary.", "", "   :::warning", "   Writes are lost.", "   :::", "", ":::tip Fast path",
         "Use the script.", ":::"]
    )  # fmt: skip
    converted = docusaurus_admonitions(source).split("\n")
    assert converted[:4] == [
        ":::{admonition} Before you start",
        "Take a backup first.",
        "It takes a minute.",
        ":::",
    ]
    assert converted[5] == "1. Stop the primary."
    assert converted[7:10] == ["   :::{warning}", "   Writes are lost.", "   :::"]
    assert converted[11] == ":::{admonition} Fast path" and converted[13] == ":::"
    assert len(converted) == len(source.split("\n"))


def test_docusaurus_tabs_become_a_tab_set_on_the_same_lines() -> None:
    # each tab's procedure is the tab's, as the reader sees it, not raw HTML between two lists;
    # a note inside a tab keeps its own three colons, which cannot close the tab
    source = "\n".join(
        ['<Tabs groupId="setup">', '<TabItem value="one" label="One server" default>', "",
         "1. Stop it.", "", "</TabItem>", "<TabItem value='ha'>", "", ":::note", "Three servers.", ":::",
         "", "1. Stop them all.", "</TabItem>", "</Tabs>"]
    )  # fmt: skip
    converted = docusaurus_admonitions(docusaurus_tabs(source)).split("\n")
    assert converted[:2] == ["::::::::{tab-set}", ":::::::{tab-item} One server"]
    assert converted[5:7] == [":::::::", ":::::::{tab-item} ha"]
    assert converted[8] == ":::{note}" and converted[10] == ":::"
    assert converted[13:] == [":::::::", "::::::::"]
    assert len(converted) == len(source.split("\n"))


def test_a_docusaurus_collapsible_block_becomes_a_dropdown_on_the_same_lines() -> None:
    # read as an HTML block, the fence under the summary would be raw text and the fences
    # after it would pair wrongly; in MDX it is Markdown, as in a dropdown
    source = "\n".join(
        ["<details>", "<summary>The script</summary>", "```", "- not an item", "```", "</details>"]
    )
    converted = docusaurus_details(source).split("\n")
    assert converted == [":::::::{dropdown} The script", "", "```", "- not an item", "```", ":::::::"]


def test_an_unclosed_docusaurus_admonition_is_left_alone() -> None:
    source = ":::note\nNever closed."
    assert docusaurus_admonitions(source) == source


def test_hugo_front_matter_becomes_blank_lines() -> None:
    text = '+++\ntitle = "Rotate keys"\nweight = 3\n+++\n\n1. Rotate.'
    converted = hugo_front_matter(text)
    assert converted.split("\n")[5] == "1. Rotate."
    assert "title" not in converted
    assert hugo_front_matter("# Plain page\n") == "# Plain page\n"


def test_middleman_pages_become_markdown_pages() -> None:
    assert sphinx_name("source/guides/restore.html.md.erb", "middleman") == "source/guides/restore.md"
    assert sphinx_name("source/team/index.html.md", "middleman") == "source/team/index.md"
    assert sphinx_name("source/notes.md", "middleman") == "source/notes.md"
    assert sphinx_name("docs/page.html.md", "mkdocs") == "docs/page.html.md"
    # a Docusaurus page written as MDX is read as Markdown
    assert sphinx_name("docs/install.mdx", "docusaurus") == "docs/install.md"
    assert sphinx_name("docs/install.mdx", "mkdocs") == "docs/install.mdx"


def test_prepare_reads_the_labelled_commit_from_a_clone(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=repo,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    git("init", "-q")
    (repo / "source").mkdir()
    (repo / "source" / "restore.html.md.erb").write_text("# Restore\n\n1. Stop.\n2. Restore.\n")
    (repo / "source" / "logo.png").write_bytes(b"\x89PNG")
    git("add", ".")
    git("commit", "-q", "-m", "first")
    labelled = git("rev-parse", "HEAD")
    (repo / "source" / "restore.html.md.erb").write_text("# Changed later\n")
    git("commit", "-q", "-am", "second")
    prepared = prepare(repo, labelled, "source", "middleman", tmp_path / "work", "project = 'x'\n")
    assert (prepared.srcdir / "restore.md").read_text() == "# Restore\n\n1. Stop.\n2. Restore.\n"
    assert not (prepared.srcdir / "logo.png").exists()
    assert prepared.repo_path("restore.md") == "source/restore.html.md.erb"
    assert (prepared.srcdir / "conf.py").read_text() == "project = 'x'\n"


def test_prepare_reads_docusaurus_mdx_pages_as_markdown_unless_a_markdown_page_has_the_name(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "install.mdx").write_text("# Install\n\n1. Add the chart.\n2. Install it.\n")
    (repo / "docs" / "twice.md").write_text("# The Markdown one\n")
    (repo / "docs" / "twice.mdx").write_text("# The MDX one\n")
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "pages"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True)
    prepared = prepare(repo, head.stdout.strip(), "docs", "docusaurus", tmp_path / "work", "")
    assert (prepared.srcdir / "install.md").read_text().startswith("# Install\n\n1. Add the chart.")
    assert prepared.repo_path("install.md") == "docs/install.mdx"
    assert (prepared.srcdir / "twice.md").read_text() == "# The Markdown one\n"
    assert prepared.repo_path("twice.md") == "docs/twice.md"


def _label(line: int, verdict: str, kind: str = "numbered", **extra: object) -> dict[str, object]:
    return {"path": "ops.md", "line": line, "kind": kind, "verdict": verdict, **extra}


def _found(line: int, verdict: str, confidence: float = 0.9, **extra: object) -> dict[str, object]:
    return {"path": "ops.md", "line": line, "verdict": verdict, "confidence": confidence, **extra}


def test_matching_prefers_the_exact_line_then_the_nearest() -> None:
    labels = [_label(10, "procedure"), _label(12, "not")]
    found = [_found(11, "procedure"), _found(10, "procedure"), _found(40, "enumeration")]
    pairs, leftover = match_by_line(labels, found)
    assert pairs[0][1] is found[1]  # line 10 exactly, although 11 is listed first
    assert pairs[1][1] is found[0]  # line 12 takes the nearest one left
    assert leftover == [found[2]]


def test_discover_is_scored_per_kind_of_list() -> None:
    labels = [
        _label(1, "procedure"),
        _label(10, "not", category="timeline"),
        _label(20, "checklist", kind="bulleted"),
        _label(30, "not", kind="bulleted", category="links"),
        _label(40, "procedure", kind="bulleted"),
    ]
    found = [
        _found(1, "procedure"),
        _found(10, "procedure", 0.7),
        _found(20, "checklist"),
        _found(30, "toc", 0.8),
        # line 40 is not reported at all
        _found(90, "checklist"),  # on the page, labelled by no one
    ]
    score = score_discover(labels, found, ["ops.md"])
    assert (score.numbered.tp, score.numbered.fp, score.numbered.fn) == (1, 1, 0)
    assert score.numbered.precision == 0.5 and score.numbered.recall == 1.0
    assert (score.bulleted.tp, score.bulleted.fp, score.bulleted.fn, score.bulleted.tn) == (1, 0, 1, 1)
    assert score.unseen == 1 and score.unlabelled == 1
    # a negative verdict with confidence 0.8 is a probability of 0.2 that the list is a procedure
    assert sorted(round(p, 2) for p, _ in score.calibration) == [0.2, 0.7, 0.9, 0.9]


def test_calibration_counts_the_share_of_procedures_above_each_cut() -> None:
    points = [(0.95, True), (0.92, True), (0.91, False), (0.65, True), (0.3, False)]
    table = dict((cut, (n, share)) for cut, n, share in calibration_table(points, cuts=(0.5, 0.9)))
    assert table[0.9] == (3, pytest.approx(2 / 3))
    assert table[0.5] == (4, 0.75)


def test_a_section_is_exact_only_with_exactly_its_procedures_steps() -> None:
    sections = {
        "ops#restore": [_label(10, "procedure", steps=3, substeps=1), _label(30, "not", category="links")],
        "ops#deploy": [_label(50, "procedure", steps=2, substeps=0)],
        "ops#missing": [_label(70, "checklist", kind="bulleted", steps=2, substeps=0)],
    }
    runbooks = {
        "ops#restore": {"steps": [{"line": 10, "substeps": [{"line": 11}]}, {"line": 12}, {"line": 13}]},
        # took the link list too: one step too many, on a line labelled as not a procedure
        "ops#deploy": {"steps": [{"line": 50}, {"line": 51}, {"line": 30}]},
    }
    score = score_exact(sections, runbooks)
    assert (score.exact, score.procedures) == (1, 3)


def test_what_discover_offers_is_checked_against_the_runbook_its_entry_gives() -> None:
    found = [
        {"path": "ops.md", "line": 10, "verdict": "procedure", "entry": "ops#restore"},
        # offered as the page, but the page's runbook holds another list: a disagreement
        {"path": "ops.md", "line": 40, "verdict": "checklist", "entry": "ops"},
        {"path": "ops.md", "line": 60, "verdict": "links", "entry": "ops#restore"},  # not offered
        {"path": "ops.md", "line": 80, "verdict": "procedure", "entry": "ops#undeclared"},
    ]
    runbooks = {
        "ops#restore": {"steps": [{"line": 10}, {"line": 11}]},
        "ops": {"steps": [{"line": 52}]},
    }
    score = score_agreement(found, runbooks)
    assert (score.held, score.offered) == (1, 2)


def test_lint_precision_counts_judged_findings_and_recall_labelled_defects() -> None:
    findings = [
        {"path": "ops.md", "line": 12, "rule": "outdented_body"},
        {"path": "ops.md", "line": 40, "rule": "numbering_restart"},
        {"path": "ops.md", "line": 60, "rule": "placeholder_url"},
        {"path": "other.md", "line": 1, "rule": "placeholder_url"},  # not a labelled page
    ]
    judgements = [
        {"path": "ops.md", "line": 12, "rule": "outdented_body", "verdict": True},
        {"path": "ops.md", "line": 40, "rule": "numbering_restart", "verdict": False},
    ]
    defects = [
        {"path": "ops.md", "line": 11, "kind": "outdented-body"},
        {"path": "ops.md", "line": 80},
        {"path": "ops.md", "line": 20, "kind": "restart"},
    ]
    score, todo = score_lint(findings, judgements, defects, ["ops.md"])
    assert (score.true, score.false, score.unjudged) == (1, 1, 1)
    assert todo == [findings[2]]
    assert (score.found, score.missed) == (1, 2)
    # a finding that names where the list its cause splits starts again finds the restart there
    findings[0]["related"] = [21]
    score, _ = score_lint(findings, judgements, defects, ["ops.md"])
    assert (score.found, score.missed) == (2, 1)
    assert score.by_kind["restart"] == [1, 0]
    assert score.by_rule == {"outdented_body": [1, 0], "numbering_restart": [0, 1]}
    # a finding about a stretch of lines finds a defect labelled at a line inside it
    defects.append({"path": "ops.md", "line": 62, "kind": "other"})
    assert score_lint(findings, judgements, defects, ["ops.md"])[0].missed == 2
    findings[2]["end_line"] = 66
    assert score_lint(findings, judgements, defects, ["ops.md"])[0].missed == 1


def test_every_labels_file_is_well_formed() -> None:
    """The label files are the evaluation's ground truth: each list is on a listed page, in
    order, with a known verdict, and the handbooks split into a tuning and a held-out half."""
    halves = set()
    for path in sorted((PROJECT / "evaluation" / "labels").glob("*.yaml")):
        labels = yaml.safe_load(path.read_text("utf-8"))
        assert labels["handbook"] == path.stem
        assert len(labels["commit"]) == 40
        halves.add(labels["half"])
        pages = labels["pages"]
        assert len(pages) == len(set(pages))
        seen: dict[str, int] = {}
        for item in labels["lists"]:
            assert item["path"] in pages, item
            assert item["kind"] in ("numbered", "bulleted"), item
            assert item["verdict"] in ("procedure", "checklist", "not"), item
            if item["verdict"] == "not":
                assert item.get("category"), item
            else:
                assert item["steps"] >= 1, item
            assert item["line"] > seen.get(item["path"], 0), item
            seen[item["path"]] = item["line"]
        for defect in labels.get("defects") or []:
            assert defect["path"] in pages, defect
    assert halves <= {"tune", "held-out"}


def _stand_in_doctree(tmp_path: Path, page: str) -> Any:
    """The doctree of one Markdown page read with the evaluation's stand-ins."""
    from sphinx.testing.util import SphinxTestApp

    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(PROJECT / 'evaluation')!r})\n"
        'extensions = ["myst_parser", "stubs"]\n',
        "utf-8",
    )
    (tmp_path / "index.md").write_text(page, "utf-8")
    app = SphinxTestApp("dummy", srcdir=tmp_path)
    try:
        app.build()
        return app.env.get_doctree("index")
    finally:
        app.cleanup()


def test_a_stand_in_for_an_unknown_directive_is_where_the_directive_is(tmp_path: Path) -> None:
    # a finding about a block of a directive the evaluation stands in for names the line the
    # directive is written on, as the extension's own node would, not its content's
    from docutils import nodes

    doctree = _stand_in_doctree(
        tmp_path, "# Page\n\n```{shellsession}\n:copy:\n:user: admin\n\nls /etc\n```\n"
    )
    (box,) = [n for n in doctree.findall(nodes.container) if "evaluation-stand-in" in n["classes"]]
    assert box.line == 3


def test_rescoring_counts_new_judgements_without_running_the_tool(tmp_path: Path) -> None:
    # what the last run said is kept per handbook; judging a finding and scoring again
    # counts it, and the finding leaves the list still to judge
    sys.path.insert(0, str(PROJECT / "evaluation"))
    from run import score

    work = tmp_path / "ops"
    work.mkdir()
    found = {"path": "ops.md", "line": 3, "ordered": True, "verdict": "procedure", "confidence": 0.9}
    (work / "found.json").write_text(json.dumps([found]), "utf-8")
    finding = {"path": "ops.md", "line": 9, "rule": "outdented_body", "message": "lines 9-10 ..."}
    (work / "findings.json").write_text(json.dumps([finding]), "utf-8")
    labels = {
        "handbook": "ops", "half": "tune", "generator": "sphinx-myst", "pages": ["ops.md"],
        "lists": [{"path": "ops.md", "line": 3, "kind": "numbered", "verdict": "procedure", "steps": 2}],
        "defects": [{"path": "ops.md", "line": 9, "kind": "outdented-body"}],
    }  # fmt: skip
    before = score(labels, tmp_path)
    assert (before.lint.true, before.lint.unjudged, before.lint.found) == (0, 1, 1)
    assert yaml.safe_load((work / "unjudged.yaml").read_text("utf-8"))[0]["line"] == 9
    labels["findings"] = [{"path": "ops.md", "line": 9, "rule": "outdented_body", "verdict": True}]
    after = score(labels, tmp_path)
    assert (after.lint.true, after.lint.unjudged) == (1, 0)
    assert yaml.safe_load((work / "unjudged.yaml").read_text("utf-8")) == []
    assert after.discover.numbered.tp == 1


def test_a_rescore_names_the_commit_the_tool_ran_at(tmp_path: Path) -> None:
    # judging findings later and scoring again must not credit the figures to the commit
    # they are scored at: the tool's outputs are the run's
    sys.path.insert(0, str(PROJECT / "evaluation"))
    from run import COMMIT_FILE, main

    work = tmp_path / "work"
    (work / "ops").mkdir(parents=True)
    (work / COMMIT_FILE).write_text("0123456789ab\n", "utf-8")
    (work / "ops" / "found.json").write_text("[]", "utf-8")
    (work / "ops" / "findings.json").write_text("[]", "utf-8")
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "ops.yaml").write_text(
        "handbook: ops\nhalf: tune\ngenerator: sphinx-myst\npages: [ops.md]\nlists: []\ndefects: []\n",
        "utf-8",
    )
    results = tmp_path / "results.md"
    args = ["--checkouts", str(tmp_path), "--labels", str(labels), "--workdir", str(work)]
    assert main([*args, "--results", str(results), "--rescore"]) == 0
    assert results.read_text("utf-8").startswith("Measured at commit `0123456789ab`.")


def test_a_rescore_names_each_handbook_s_commit_when_runs_of_some_came_later(tmp_path: Path) -> None:
    # a run with --only remakes some handbooks' outputs: the others are still the older run's,
    # and the table must not credit them to the later commit
    sys.path.insert(0, str(PROJECT / "evaluation"))
    from run import COMMIT_FILE, main

    work, labels = tmp_path / "work", tmp_path / "labels"
    labels.mkdir()
    (work).mkdir()
    (work / COMMIT_FILE).write_text("aaaaaaaaaaaa\n", "utf-8")  # the whole run, kept as older runs kept it
    for name in ("ops", "sre", "web"):
        (work / name).mkdir()
        (work / name / "found.json").write_text("[]", "utf-8")
        (work / name / "findings.json").write_text("[]", "utf-8")
        (labels / f"{name}.yaml").write_text(
            f"handbook: {name}\nhalf: tune\ngenerator: mkdocs\npages: [a.md]\nlists: []\ndefects: []\n",
            "utf-8",
        )
    (work / "sre" / COMMIT_FILE).write_text("bbbbbbbbbbbb\n", "utf-8")  # run again alone
    results = tmp_path / "results.md"
    args = ["--checkouts", str(tmp_path), "--labels", str(labels), "--workdir", str(work)]
    assert main([*args, "--results", str(results), "--rescore"]) == 0
    assert results.read_text("utf-8").startswith("Measured at commit `aaaaaaaaaaaa`, `bbbbbbbbbbbb` for sre.")


def test_a_second_labeller_is_scored_against_the_first_as_the_tool_is() -> None:
    first = [
        {"path": "a.md", "line": 3, "kind": "bulleted", "verdict": "checklist"},
        {"path": "a.md", "line": 9, "kind": "bulleted", "verdict": "not"},
        {"path": "a.md", "line": 15, "kind": "bulleted", "verdict": "procedure"},
        {"path": "a.md", "line": 21, "kind": "numbered", "verdict": "procedure"},
    ]
    second = [
        {"path": "a.md", "line": 3, "kind": "bulleted", "verdict": "procedure"},  # both positive
        {"path": "a.md", "line": 9, "kind": "bulleted", "verdict": "checklist"},  # a false "yes"
        {"path": "a.md", "line": 15, "kind": "bulleted", "verdict": "not"},  # a miss
        {"path": "a.md", "line": 21, "kind": "numbered", "verdict": "procedure"},
        {"path": "a.md", "line": 40, "kind": "bulleted", "verdict": "not"},  # a list the first did not see
    ]
    found = agreement(first, second)
    assert (found.bulleted.tp, found.bulleted.fp, found.bulleted.fn) == (1, 1, 1)
    assert (found.numbered.tp, found.numbered.total) == (1, 1)
    assert found.unmatched == 1
    assert found.bulleted.precision == 0.5 and found.bulleted.recall == 0.5


def test_a_defect_counts_as_noted_by_both_readers_within_a_line_of_each_other() -> None:
    first = [
        {"path": "a.md", "line": 10, "kind": "outdented-body"},
        {"path": "a.md", "line": 30, "kind": "restart"},  # the second reader saw none there
        {"path": "b.md", "line": 5, "kind": "stray-step"},
    ]
    second = [
        {"path": "a.md", "line": 11, "kind": "restart"},  # the same place, called another kind
        {"path": "a.md", "line": 50, "kind": "outdented-body"},  # the first reader saw none
        {"path": "a.md", "line": 5, "kind": "stray-step"},  # the line, on another page
    ]
    assert noted_by_both(first, second) == ((1, 3), (1, 3))


def test_kappa_is_one_for_full_agreement_and_zero_for_chance() -> None:
    from score import Counts

    assert kappa(Counts(tp=5, tn=5)) == 1.0
    assert kappa(Counts(tp=1, fp=1, fn=1, tn=1)) == 0.0
    assert kappa(Counts()) is None


def test_a_stand_in_for_a_terminal_session_shows_its_output_as_typed(tmp_path: Path) -> None:
    # a terminal directive shows a command and its output literally: read as Markdown, output
    # lines starting with " * " would be lists the page does not have, and lint would report them
    from docutils import nodes

    doctree = _stand_in_doctree(
        tmp_path,
        "# Page\n\n```{terminal}\n:user: admin\n\nsudo join example.com\n"
        " * Resolving the domain\nPassword for admin:\n * Checking packages\n```\n",
    )
    assert not list(doctree.findall(nodes.bullet_list))
    (block,) = doctree.findall(nodes.literal_block)
    assert " * Resolving the domain\nPassword for admin:" in block.astext()
    assert block.line == 3


def test_hugo_shortcodes_that_wrap_content_become_what_the_page_shows_on_the_same_lines() -> None:
    # a note box between two steps, tabs with a tab each, code in a highlight shortcode: read
    # as text, each tag was a paragraph at the margin that ended the list around it
    source = [
        "1. Add the repository",
        "",
        '{{% pageinfo color="info" %}}',
        "On old releases install the transport first.",
        "{{% /pageinfo %}}",
        "2. Install the package",
        "",
        '{{< tabs name="os" >}}',
        '{{% tab name="Debian" %}}',
        "apt install tool",
        "{{% /tab %}}",
        "{{< /tabs >}}",
        "{{< highlight bash >}}",
        "- not: a list",
        "{{< /highlight >}}",
        "",
        '{{< figure src="a.png" >}}',
        "{{< /unopened >}}",
    ]
    converted = hugo_shortcodes("\n".join(source)).split("\n")
    assert len(converted) == len(source)
    assert converted[2:5] == [":::{admonition} pageinfo", source[3], ":::"]
    assert converted[7:12] == ["::::{tab-set}", ":::{tab-item} Debian", "apt install tool", ":::", "::::"]
    assert converted[12:15] == ["````bash", "- not: a list", "````"]
    # what does not wrap content is left as the page has it
    assert converted[15:] == source[15:]
    # tabs that hold a heading stay text (a heading in a box is no section in MyST), and tabs
    # with anything beside their tabs (a comment) are boxes, as are their tabs
    headed = ["{{< tabs >}}", "{{% tab %}}", "## Install with the script", "{{% /tab %}}", "{{< /tabs >}}"]
    assert hugo_shortcodes("\n".join(headed)).split("\n") == headed
    mixed = ["{{< tabs >}}", "<!-- the script -->", "{{% tab %}}", "Run it.", "{{% /tab %}}", "{{< /tabs >}}"]
    assert hugo_shortcodes("\n".join(mixed)).split("\n") == [
        "::::{admonition} tabs",
        mixed[1],
        ":::{admonition} tab",
        "Run it.",
        ":::",
        "::::",
    ]
    # right under a sub-step's text, with no blank line: Hugo renders it into that text, and
    # the list goes on; a box there would end it
    lazy = "\n".join(
        [
            "1. Enter the settings",
            "   - **Mode**: the main one",
            "{{< note >}}",
            "Override it here.",
            "{{< /note >}}",
        ]
    )
    assert hugo_shortcodes(lazy).split("\n")[2:] == [
        "     {{< note >}}",
        "     Override it here.",
        "     {{< /note >}}",
    ]


def test_a_shortcode_right_under_a_steps_text_stays_in_the_step_whatever_it_wraps() -> None:
    # a toggle of two outputs written under a step's sentence, its fences at the margin, a blank
    # line in it: Hugo sets what it makes into that sentence's paragraph, and step 2 carries on
    # the list. What it wraps is kept as more of the paragraph's text, set in with it
    source = [
        "1. Create the user",
        "   This prints the user:",
        "   {{< language-toggle >}}",
        "```yaml",
        "- name: ops",
        "",
        "```",
        "{{< code json >}}",
        '{"name": "ops"}',
        "{{< /code >}}",
        "{{< /language-toggle >}}",
        "",
        "2. Give it a role",
        "{{< code shell >}}",
        "tool role add ops",
        "{{< /code >}}",
        "The role shows in the list.",
    ]
    converted = hugo_shortcodes("\n".join(source)).split("\n")
    assert converted[2:12] == [
        "   {{< language-toggle >}}",
        "   \u200b```yaml",
        "   \u200b- name: ops",
        "\u200b",
        "   \u200b```",
        "   {{< code json >}}",
        '   {"name": "ops"}',
        "   {{< /code >}}",
        "   {{< /language-toggle >}}",
        "",
    ]
    # tabs right under a line of text hold Markdown, which Hugo renders on its own: left as
    # Markdown, their steps are a list
    tabs = [
        "Pick your platform:",
        "{{< tabs Linux >}}",
        "{{% codetab %}}",
        "1. Install it",
        "{{% /codetab %}}",
    ]
    tabs.append("{{< /tabs >}}")
    assert "1. Install it" in hugo_shortcodes("\n".join(tabs)).split("\n")
    # code right under a step's text: what it makes is in that text, and so is the text after
    assert converted[13:] == ["   {{< code shell >}}", "   tool role add ops", "   {{< /code >}}", source[-1]]
    # after a blank line, set in under the step: a box, what it wraps set in with it
    boxed_code = [
        "2. Give it a role",
        "",
        "   {{< toggle >}}",
        "{{< code text >}}",
        "name: ops",
        "{{< /code >}}",
    ]
    boxed_code.append("{{< /toggle >}}")
    assert hugo_shortcodes("\n".join(boxed_code)).split("\n")[2:] == [
        "   ::::{admonition} toggle",
        "   ````text",
        "   name: ops",
        "   ````",
        "   ::::",
    ]
    # a note set in under a step, its text at the margin: the note, and the list, go on
    noted = [
        "1. Create the user",
        "",
        "   {{% notice %}}",
        "Keep the password.",
        "{{% /notice %}}",
        "2. Log in",
    ]
    assert hugo_shortcodes("\n".join(noted)).split("\n")[2:] == [
        "   :::{admonition} notice",
        "   Keep the password.",
        "   :::",
        "2. Log in",
    ]


def test_code_in_a_shortcode_under_a_step_stays_in_the_step_wherever_its_lines_start() -> None:
    # the tags indented under step 1, the output they wrap at the margin: Hugo shows the code
    # in the step; a fence whose lines start left of it would end the step, and the list
    source = ["1. Check the log", "", "   {{< code text >}}", "INFO ready", "  INFO done", "{{< /code >}}"]
    assert hugo_shortcodes("\n".join(source)).split("\n")[2:] == [
        "   ````text",
        "   INFO ready",
        "     INFO done",
        "   ````",
    ]
    # lines written under the tag's indent are left as written
    indented = ["1. Check the log", "", "   {{< code text >}}", "   INFO ready", "   {{< /code >}}"]
    assert hugo_shortcodes("\n".join(indented)).split("\n")[2:] == ["   ````text", "   INFO ready", "   ````"]
