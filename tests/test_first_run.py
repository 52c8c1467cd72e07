"""Lint on a handbook nobody here wrote: each false alarm and each miss seen on real handbooks,
written again in our own words, with the finding a maintainer should (or should not) get."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_extraction_cases import handbook, rules

from sphinx_incident.commands.handbook import Handbook, read_handbook

from conftest import build

MD = "---\nrunbook: true\n---\n# Procedure\n\n"
RST = ":runbook: true\n\nProcedure\n=========\n\n"


def test_a_new_list_after_its_own_lead_in_is_not_a_restart(tmp_path: Path) -> None:
    page = MD + (
        "1. **Drain the node**.\n2. **Restart it**.\n\nThen, on the standby:\n\n"
        "1. **Promote it**.\n2. **Point the app at it**.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


@pytest.mark.parametrize(
    "lead_in",
    [
        "To add a bucket, open the form, fill in the following fields, and save it.",
        "Before the upgrade you should have done the following;",
        "On the second host",
        "Now, you need to add the users who may connect.",
        "After adding the disk, let's check that the guest sees it.",
        "There are two equivalent ways to reach the replica from here.",
        "You can size the volume in one of several ways.",
    ],
    ids=[
        "announces-what-follows",
        "semicolon-for-a-colon",
        "line-standing-as-a-heading",
        "moves-on-to-the-next-part",
        "moves-on-after-a-phrase",
        "there-are-several-ways",
        "in-several-ways",
    ],
)
def test_a_new_list_after_a_lead_in_without_a_colon_is_not_a_restart(tmp_path: Path, lead_in: str) -> None:
    page = (
        RST
        + "#. **Stop the web tier**.\n#. **Back up the database**.\n\n"
        + f"{lead_in}\n\n#. **Name**: any.\n#. **Size**: 10 GB.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_large_number_a_sentence_wraps_onto_a_line_start_is_no_folded_step(tmp_path: Path) -> None:
    # "... port numbers above / 1024. Lower ones ..." in step 1: a count, not a step 1024 the
    # author lost into the text; the step keeps its text and there is nothing to report
    page = RST + (
        "#. **Pick a port** for the proxy from the ports above\n   1024. Lower ones need root.\n"
        "#. **Start** the proxy.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert result.problems == []
    assert [(s.number, s.title) for s in result.runbooks[0].steps] == [("1", "Pick a port"), ("2", "Start")]
    assert "1024. Lower ones need root." in result.runbooks[0].steps[0].text


def test_a_comment_at_the_margin_that_hides_a_steps_lines_is_one_finding(tmp_path: Path) -> None:
    # a remark typed at the margin between a step's bullets: rST takes the bullets indented
    # after it as the comment's text, so the page loses them and the next step starts at 1
    page = RST + (
        "#. **Open** the form.\n\n#. **Fill in** the fields:\n\n   -  **Name**: any name.\n\n"
        ".. check this with the network team\n\n   -  **Size**: any size.\n\n   -  **Zone**: any.\n\n"
        "#. **Click Add**.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert [(p.rule, p.line, p.end_line, p.related) for p in result.problems] == [
        ("outdented_body", 12, 16, (18,))
    ]
    assert "takes lines 14-16 as its own text" in result.problems[0].message
    assert [s.number for s in result.runbooks[0].steps] == ["1", "2", "3"]


def test_a_restart_after_a_label_at_the_margin_names_the_label(tmp_path: Path) -> None:
    # a label for the second half of the steps, typed at the margin: the page shows no text
    # there, but the label ends the list all the same, and that is the line to fix
    page = RST + "#. **Stop** the agent.\n#. **Upgrade** it.\n\n.. _agent-start:\n\n#. **Start** it again.\n"
    (problem,) = handbook(tmp_path, {"p.rst": page}).problems
    assert (problem.rule, problem.line, problem.related) == ("numbering_restart", 11, (9,))
    assert "the text at line 9 ends the list" in problem.message


def test_a_step_commented_out_on_purpose_is_no_finding(tmp_path: Path) -> None:
    page = RST + (
        "#. **Open** the form.\n\n.. #. **Old step**, no longer needed.\n\n      Its details.\n\n"
        "#. **Click Add**.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == [(12, "numbering_restart")]


def test_prose_with_its_example_between_two_lists_of_facts_is_no_outdented_body(tmp_path: Path) -> None:
    # two bullet lists of facts with a paragraph at the margin and the example it introduces
    # between them: the example is the paragraph's, and the bullets after it a list of their own
    page = (
        "# Rules\n\n## How a rule is written\n\nEach rule has two parts:\n\n"
        "- Rules in `in` match traffic in.\n- Rules in `out` match traffic out.\n\n"
        "For both, a rule is written like this:\n\n```yaml\naction: allow\n```\n\n"
        "- The `action` is required.\n- The `source` may be left out.\n"
    )
    assert _first_run(tmp_path, page).problems == []


def test_a_paragraph_and_command_between_a_procedure_s_bullets_fell_out_of_the_step(tmp_path: Path) -> None:
    # between the bullets of a procedure, the explanation and command at the margin are what
    # the first bullet lost: they split the list
    page = MD + (
        "- **Read the client's log** in the monitoring namespace.\n\n"
        "You can read it by running this command:\n\n```console\nkubectl logs deploy/client\n```\n\n"
        "- **Query the error rate** on the metrics page.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == [(8, "outdented_body")]


def test_bullets_after_their_own_lead_in_at_the_margin_are_not_detached_sub_steps(tmp_path: Path) -> None:
    # after the steps, a sentence at the margin leads in to a list of groups: the groups are
    # that sentence's list, not sub-steps of the last step to indent under it
    page = MD + (
        "1. **Read the issue**.\n2. **Check the code**.\n3. **Rate it** on three axes.\n\n"
        "The issues were sorted into:\n\n- **Easy**: docs only\n- **Hard**: code changes\n\n"
        "## Next\n\n1. **Assign** them.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert result.problems == []
    assert [s.substeps for s in result.runbooks[0].steps] == [(), (), ()]


@pytest.mark.parametrize(
    ("name", "page"),
    [
        (
            "p.md",
            MD + "1. **Find the slow query**.\n2. **Stop it** if it holds locks for long.\n\n"
            "Graphs worth a look afterwards:\n\n - [Lock waits](https://graphs.example.test/locks)\n\n"
            " - [Slow queries](https://graphs.example.test/slow)\n",
        ),
        (
            # rST sets the bullets in as a block quote; no step follows them
            "p.rst",
            RST + "1. Find the slow query.\n2. Stop it if it holds locks for long.\n\n"
            "The graphs have improved over time. These were the hardest to get right:\n\n"
            " - the lock waits, which read two sources\n - the slow queries\n",
        ),
    ],
    ids=["markdown", "rst-after-the-last-step"],
)
def test_bullets_set_a_space_in_after_their_own_lead_in_are_not_an_outdented_sub_list(
    tmp_path: Path, name: str, page: str
) -> None:
    # a sentence at the margin ends the steps and leads in to its own list; the list set in by
    # a space is still that sentence's, not a sub-list of the last step
    result = handbook(tmp_path, {name: page})
    assert result.problems == []
    assert [s.substeps for s in result.runbooks[0].steps] == [(), ()]


def test_a_restart_without_a_lead_in_is_still_reported(tmp_path: Path) -> None:
    page = MD + "1. **Drain the node**.\n2. **Restart it**.\n\nIt takes a while.\n\n1. **Check it**.\n"
    assert rules(handbook(tmp_path, {"p.md": page})) == [(11, "numbering_restart")]


@pytest.mark.parametrize("markup", ["p.md", "p.rst"])
def test_a_second_procedure_counted_from_1_by_hand_after_a_remark_is_no_restart(
    tmp_path: Path, markup: str
) -> None:
    """A remark between two lists whose numbers the author typed from 1 each time: two
    procedures, numbered as the page shows them; the remark leads in with no colon, and the
    count is still deliberate."""
    page = (MD if markup == "p.md" else RST) + (
        "1. **Open the queue dashboard**.\n2. **Stop every job**.\n3. **Wait for them to stop**.\n\n"
        "Sometimes the jobs must stay queued. Pausing the queue lets the workers do other work.\n\n"
        "1. **Open the dashboard again**.\n2. **Pause the queue**.\n3. **Resume it later**.\n"
    )
    assert rules(handbook(tmp_path, {markup: page})) == []


def test_a_list_typed_1_throughout_that_starts_again_after_a_remark_is_still_a_restart(
    tmp_path: Path,
) -> None:
    page = MD + (
        "1. **Open the queue dashboard**.\n1. **Stop every job**.\n\nThis takes a while.\n\n"
        "1. **Check that they stopped**.\n1. **Start the new jobs**.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == [(11, "numbering_restart")]


def test_a_remark_and_its_picture_between_two_sub_lists_are_the_step_s_not_a_split_list(
    tmp_path: Path,
) -> None:
    """Under a step, a list of states, then a sentence at the lists' column and the screenshot
    it describes, then a list of colours: CommonMark ends the first sub-list and keeps the
    sentence, the picture and the second list in the step, as the author meant. Prose with
    its picture parts two lists; it fell out of nothing."""
    page = MD + (
        "1. **Scan the image**.\n\n"
        "    * **Queued:** the scan waits.\n    * **Complete:** the scan is done.\n\n"
        "    When the scan is done, the result shows the worst finding by its colour.\n\n"
        "    ![The result](result.png)\n\n"
        "    * **Red:** a critical finding.\n    * **Green:** nothing found.\n\n"
        "1. **Open the report**.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == []
    assert "the worst finding by its colour" in result.runbooks[0].steps[0].text


def test_a_note_that_announces_the_steps_below_it_leads_them_in(tmp_path: Path) -> None:
    """A note at the margin between two parts of a procedure that says the steps below it are
    optional: it leads in to them, not a note the step above lost, and the list it starts is
    a new one (the note asks for it), not a restart."""
    page = RST + (
        "#. **Add the back end** to the configuration.\n\n"
        ".. note:: If you need several paths to the array, follow the steps below on every\n"
        "          node.\n\n"
        "#. **Install the path tools**.\n\n#. **Restart the path daemon**.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_restart_names_the_text_that_parted_the_list(tmp_path: Path) -> None:
    # every item numbered 1, as many Markdown authors write them: a remark at the margin
    # after a step ends the list, and the next step starts a new one. The finding points at
    # the remark (the likely mistake: it was meant inside the step), not only at the restart
    page = MD + (
        "1. **Dump the database**.\n\nThe dump can take an hour; keep the shell open.\n\n"
        "Check its size afterwards.\n\n1. **Stop the application**.\n1. **Restore the dump**.\n"
    )
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line, problem.related) == ("numbering_restart", 12, (8,))
    assert "the text at line 8 ends the list" in problem.message
    assert "indent it to the text of step 1" in problem.message and "number this step 2" in problem.message


def test_an_rst_auto_numbered_list_after_its_lead_in_is_not_a_restart(tmp_path: Path) -> None:
    page = (
        RST + "#. **Install**.\n#. **Configure**.\n\nIf you want a second site:\n\n#. **Copy the config**.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_an_outdented_stretch_is_one_finding_whose_fix_covers_it_all(tmp_path: Path) -> None:
    page = MD + (
        "1. **Open a shell** on the bastion:\n\n```\nssh bastion\n```\n\n"
        "You need the VPN for this.\n\n2. **Restart the worker**.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    (problem,) = result.problems
    assert (problem.rule, problem.line) == ("outdented_body", 8)
    assert "lines 8-12" in problem.message and "step 1" in problem.message
    (runbook,) = result.runbooks
    assert [s.number for s in runbook.steps] == ["1", "2"]  # the list is one again in the model
    assert "You need the VPN" in runbook.steps[0].text


def test_a_fence_cut_by_lines_at_the_margin_is_reported_where_it_is_cut(tmp_path: Path) -> None:
    page = MD + "1. **Write the config**:\n\n    ```\nlisten: 8080\nworkers: 4\n    ```\n\n2. **Reload**.\n"
    result = handbook(tmp_path, {"p.md": page})
    (problem,) = result.problems
    assert (problem.rule, problem.line) == ("outdented_body", 9)
    assert "fence at line 8" in problem.message and "indent them by 4 spaces" in problem.message


def test_a_bulleted_step_is_named_in_the_message(tmp_path: Path) -> None:
    page = MD + "- Stop the cron job.\n\n```\ncrontab -r\n```\n\n- Remove the lock file.\n"
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert problem.rule == "outdented_body"
    assert "the step 'Stop the cron job.'" in problem.message
    assert "step  " not in problem.message and not problem.message.endswith("step ")


def test_prose_and_a_note_before_a_new_bulleted_list_are_not_a_step_body(tmp_path: Path) -> None:
    page = MD + (
        "- Stop the machine.\n- Delete it.\n\n:::{note}\nStopped machines still cost money.\n:::\n\n"
        "To remove everything, delete the group:\n\n- Open the group.\n- Delete it.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_typed_numbers_that_skip_or_repeat_are_found_at_their_line(tmp_path: Path) -> None:
    for name in "abc":
        (tmp_path / name).mkdir()
    skipping = MD + "1. **Back up**.\n2. **Stop**.\n4. **Upgrade**.\n5. **Start**.\n"
    assert rules(handbook(tmp_path / "a", {"p.md": skipping})) == [(8, "numbering_gap")]
    repeating = MD + "1. **Back up**.\n2. **Stop**.\n2. **Upgrade**.\n3. **Start**.\n"
    assert rules(handbook(tmp_path / "b", {"p.md": repeating})) == [(8, "numbering_duplicate")]
    all_ones = MD + "1. **Back up**.\n1. **Stop**.\n1. **Upgrade**.\n"
    assert rules(handbook(tmp_path / "c", {"p.md": all_ones})) == []


def test_rst_takes_the_text_column_of_a_two_digit_number(tmp_path: Path) -> None:
    nine = "".join(f"{n}. **Step {n}**.\n" for n in range(1, 10))
    table = "   .. list-table::\n\n      * - port\n        - 443\n"
    page = RST + nine + "10. **Open the port**:\n\n" + table + "\n11. **Test it**.\n"
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(17, "outdented_body")]  # the directive's line, not its first cell's
    (runbook,) = result.runbooks
    assert "443" in runbook.steps[9].text and not runbook.notes


def test_a_doubled_bullet_is_not_an_outdented_sub_list(tmp_path: Path) -> None:
    page = MD + "- - Open a ticket.\n  - Add the sub-tasks.\n- Read the leaving guide.\n"
    assert "outdented_sublist" not in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


def test_a_list_split_on_purpose_by_raw_html_is_no_finding(tmp_path: Path) -> None:
    page = RST + "-  Subnet: ``10.0.1.0/24``\n-  Gateway: ``10.0.1.1``\n\n.. raw:: html\n\n   <!-- -->\n\n"
    page += "-  Subnet: ``10.0.2.0/24``\n-  Gateway: ``10.0.2.1``\n"
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_development_urls_and_schemes_written_as_text_are_fine(tmp_path: Path) -> None:
    page = RST + (
        "#. **Forward the port** and open `the console <https://localhost:4430/>`_.\n"
        "#. **Turn on the flag** at chrome://flags in the browser.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_first_run_does_not_ask_undeclared_procedures_for_titles(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_incident"]\n', "utf-8")
    (src / "index.md").write_text(
        "# Accounts\n\n## Close an account\n\n1. **Suspend** the user in the admin console.\n"
        "2. **Export** their files to the archive bucket.\n3. Set `owner` to the team lead.\n"
        "4. **Delete** the account.\n",
        "utf-8",
    )
    result = read_handbook(src, {"incident_lint_scope": "discovered"}, freshenv=True)
    assert [p.rule for p in result.problems] == []


def test_a_command_the_last_step_announces_is_its_body_even_at_the_margin(tmp_path: Path) -> None:
    page = MD + (
        "1. **Stop the queue**.\n2. **Turn retries back on** with this command:\n\n"
        "```\nqueuectl retries on\n```\n\nThe nightly check should pass again after this.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(9, "outdented_body")]
    message = result.problems[0].message
    assert "lines 9-11" in message and "step 2" in message and "indent them by 3 spaces" in message
    (runbook,) = result.runbooks
    assert "queuectl retries on" in runbook.steps[1].text, "the command is the step's again"
    assert "nightly check" not in runbook.steps[1].text, "the prose after it is not"


def test_a_bullet_that_announces_its_example_keeps_it(tmp_path: Path) -> None:
    page = MD + (
        "- **Add one user** to the group:\n\n```\nteamctl add ops alice\n```\n\n"
        "- **Add several users** at once:\n\n```\nteamctl add ops bob carol\n```\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == [(8, "outdented_body"), (14, "outdented_body")]


def test_code_after_a_list_whose_last_step_announces_nothing_is_the_page_s(tmp_path: Path) -> None:
    page = MD + (
        "1. **Stop the queue**.\n2. **Turn retries back on**.\n\nTo see the state afterwards:\n\n"
        "```\nqueuectl status\n```\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []
    page = MD + "1. **Stop the queue**.\n2. **Turn retries back on**.\n\n```\nqueuectl status\n```\n"
    (tmp_path / "b").mkdir()
    assert rules(handbook(tmp_path / "b", {"p.md": page})) == []


@pytest.mark.parametrize(
    ("name", "page", "line"),
    [
        (
            "p.rst",
            RST + "#. **Drain the pool**.\n#. **Look for the warning**, which reads like:\n\n"
            "``pool drained, 0 left``\n\nIf it is missing, start again.\n",
            9,
        ),
        (
            "p.md",
            MD + "1. **Drain the pool**.\n2. **Look for the warning**, which reads like:\n\n"
            "`pool drained, 0 left`\n\nIf it is missing, start again.\n",
            9,
        ),
    ],
    ids=["rst", "markdown"],
)
def test_an_inline_code_line_the_last_step_announces_is_its_body(
    tmp_path: Path, name: str, page: str, line: int
) -> None:
    # a line of nothing but inline code is what the step announces, as a code block would be
    result = handbook(tmp_path, {name: page})
    assert rules(result) == [(line, "outdented_body")]
    (runbook,) = result.runbooks
    assert "pool drained, 0 left" in runbook.steps[1].text
    assert "start again" not in runbook.steps[1].text


def test_prose_with_a_line_of_code_between_two_parts_of_a_procedure_is_no_body(tmp_path: Path) -> None:
    # between the two lists, sentences that move on and a command on a line of its own: an
    # example the prose shows, not the last step's body fallen out
    page = RST + (
        "#. Create the share.\n#. Copy its mount point.\n\n"
        "The new share needs two folders. Log in to the file server to make them:\n\n"
        "``ssh files-01``\n\nAlternatively, use the server's console in the browser.\n\n"
        "#. Open the console menu.\n#. Pick the file server.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_an_inline_code_line_after_the_list_that_nothing_announces_is_the_page_s(tmp_path: Path) -> None:
    page = MD + "1. **Drain the pool**.\n2. **Refill it**.\n\n`poolctl status`\n\nshows the state.\n"
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_a_note_at_the_margin_that_splits_a_lettered_list_is_one_finding(tmp_path: Path) -> None:
    # rST lists lettered a., b.: the second list carries on the first as the numbered ones do
    page = RST + (
        "a. **Make the environment**:\n\n   .. code-block:: shell\n\n      mkenv prod\n\n"
        ".. important::\n\n   Keep the environment active from here on.\n\n"
        "b. **Install the tools** into it.\nc. **Check** the versions.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(12, "outdented_body")]
    (runbook,) = result.runbooks
    assert [step.number for step in runbook.steps] == ["a", "b", "c"]


def test_items_set_in_alike_at_the_start_of_a_list_are_siblings_not_a_sub_list(tmp_path: Path) -> None:
    # the list's first items stand two columns in, the later ones at the margin: all one list,
    # and none of the first ones is deeper than the one before it
    page = MD + (
        "  - Look at the error graph.\n  - Look at the latency graph.\n  - Look at the saturation graph.\n"
        "- Check the overview dashboard.\n- Check the error tracker.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == []
    (runbook,) = result.runbooks
    assert [step.substeps for step in runbook.steps] == [()] * 5


def test_a_command_at_the_margin_that_took_a_number_with_it_is_a_body(tmp_path: Path) -> None:
    page = MD + (
        "1. **Start a fresh deployer** in the other zone:\n\n```\nZONE=b make deployer\n```\n\n"
        "3. **Wait** for it to answer.\n4. **Run the pipeline**.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(8, "outdented_body")], "one cause, one finding: no numbering gap too"
    (runbook,) = result.runbooks
    assert [(s.number, s.title) for s in runbook.steps] == [
        ("1", "Start a fresh deployer"), ("2", "Wait"), ("3", "Run the pipeline")
    ]  # fmt: skip
    assert "ZONE=b make deployer" in runbook.steps[0].text


def test_an_rst_sub_list_right_under_its_step_s_text_is_found_and_kept(tmp_path: Path) -> None:
    page = RST + (
        "#. **Take the box out of service**:\n"
        "      - wipe the disks\n"
        "      - print a new label\n"
        "#. **Ship it back**.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(7, "run_in_list")]
    message = result.problems[0].message
    assert "step 1" in message and "blank line" in message and "column 3" in message
    (runbook,) = result.runbooks
    first = runbook.steps[0]
    assert first.title == "Take the box out of service"
    assert [sub.text for sub in first.substeps] == ["wipe the disks", "print a new label"]


def test_rst_bullets_that_run_into_a_step_s_text_are_found(tmp_path: Path) -> None:
    page = RST + "#. **Pack the spares**\n   - two fans\n   - one power supply\n#. **Label the crate**.\n"
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(7, "run_in_list")]
    assert "lines 7-8 of step 1" in result.problems[0].message


def test_rst_definitions_and_dashes_inside_a_sentence_are_not_run_in_lists(tmp_path: Path) -> None:
    page = RST + (
        "#. **Check the window**: it runs from 02:00\n   - 04:00 UTC on weekdays.\n"
        "#. **Read the terms** below.\n\n"
        "Terms\n-----\n\nSpare\n   A part kept in stock.\n\nCrate\n   - the box\n   - its lid\n"
    )
    found = rules(handbook(tmp_path, {"p.rst": page}))
    assert "run_in_list" not in {rule for _, rule in found}


def test_next_steps_folded_into_a_lead_in_line_are_found_once(tmp_path: Path) -> None:
    page = (
        MD
        + "1. **Drain the node**.\n2. **Patch it**.\n\n"
        + "Once it is back:\n3. **Uncordon it**.\n4. **Watch it**.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(10, "stray_step")]
    assert "step 3" in result.problems[0].message and "blank line before it" in result.problems[0].message
    (runbook,) = result.runbooks
    assert any("Uncordon it" in note.text for note in runbook.notes), "their text is kept"


def test_numbers_inside_a_paragraph_after_the_steps_that_do_not_carry_on_are_prose(tmp_path: Path) -> None:
    page = MD + "1. **Drain the node**.\n2. **Patch it**.\n\nThe patch window is\n10 minutes on weekdays.\n"
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_the_same_sub_step_under_several_steps_is_named_under_each_without_a_warning(tmp_path: Path) -> None:
    page = MD + (
        "1. **Restart the worker**.\n   - **Record the reading**.\n"
        "2. **Restart the scheduler**.\n   - **Record the reading**.\n"
        "3. **Compare the readings**.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert "duplicate_step_id" not in {rule for _, rule in rules(result)}
    (runbook,) = result.runbooks
    worker, scheduler, _ = runbook.steps
    assert worker.substeps[0].id == "restart-the-worker-record-the-reading"
    assert scheduler.substeps[0].id == "restart-the-scheduler-record-the-reading"


def test_a_new_top_level_step_never_takes_the_id_a_sub_step_had(tmp_path: Path) -> None:
    """A link to the sub-step "record-the-reading" must not land on a step added later."""
    page = MD + (
        "1. **Restart the worker**.\n   - **Record the reading**.\n"
        "2. **Record the reading** of the whole service.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    (runbook,) = result.runbooks
    ids = [runbook.steps[0].substeps[0].id, runbook.steps[1].id]
    assert "record-the-reading" not in ids and len(set(ids)) == 2
    assert "duplicate_step_id" in {rule for _, rule in rules(result)}, "the clash is reported"


def test_two_equal_titles_at_the_top_level_are_still_a_duplicate(tmp_path: Path) -> None:
    page = MD + "1. **Check the logs**.\n2. **Restart**.\n3. **Check the logs**.\n"
    assert [rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))] == ["duplicate_step_id"]


def test_a_command_a_sub_step_announces_at_its_step_s_column_is_the_sub_step_s(tmp_path: Path) -> None:
    """A fence under a sub-bullet written at the column of the step above it: Markdown ends the
    sub-step there (and splits the sub-list), so the command reads as the step's own text."""
    page = MD + (
        "1. **Drain the node**.\n"
        "2. **Swap the disk.** On the node:\n"
        "   - Unmount the volume with this command:\n"
        "   ```\n   umount /srv/data\n   ```\n"
        "   - Detach it:\n"
        "   ```\n   diskctl detach data\n   ```\n"
        "3. **Return the node** to service.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(9, "outdented_body"), (13, "outdented_body")]
    message = result.problems[0].message
    assert "'Unmount the volume with this command:'" in message
    assert "indented 3 spaces, less than the text" in message and "by 2 spaces more" in message
    (runbook,) = result.runbooks
    unmount, detach = runbook.steps[1].substeps
    assert "umount /srv/data" in unmount.text and "diskctl detach data" in detach.text
    assert "umount" not in runbook.steps[1].text and "diskctl" not in runbook.steps[1].text


def test_a_command_after_a_sub_list_that_announces_nothing_stays_the_step_s(tmp_path: Path) -> None:
    page = MD + (
        "1. **Drain the node**.\n"
        "2. **Swap the disk.** On the node:\n"
        "   - Unmount the volume\n"
        "   - Detach it\n\n"
        "   Then confirm it is gone with:\n\n"
        "   ```\n   diskctl list\n   ```\n"
        "3. **Return the node** to service.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == []
    (runbook,) = result.runbooks
    assert "diskctl list" in runbook.steps[1].text


def test_a_block_at_the_bullets_column_of_a_sub_list_is_the_step_s_unless_announced(tmp_path: Path) -> None:
    """Sub-lists indented four spaces, as some Markdown dialects nest: a note at the bullets'
    column belongs to the step; a command a sub-step announces, indented past the bullets but
    short of the sub-step's text, is the sub-step's."""
    page = MD + (
        "1. **Copy the data.**\n"
        "    - Dump the tables\n"
        "    - Load them on the new host\n\n"
        "    :::{note}\n    Large tables take an hour.\n    :::\n\n"
        "2. **Switch the clients** over:\n"
        "    - Point the clients at the new host with:\n"
        "     ```\n     clientctl point new-host\n     ```\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(16, "outdented_body")]
    assert "indented 5 spaces, less than the text" in result.problems[0].message
    (runbook,) = result.runbooks
    assert [a.text for a in runbook.steps[0].admonitions] == ["Large tables take an hour."]
    assert "clientctl point new-host" in runbook.steps[1].substeps[0].text


def test_an_indented_list_after_its_own_lead_in_is_a_list_of_its_own(tmp_path: Path) -> None:
    """In rST, a list indented under the sentence that introduces it is a block quote: after
    prose that left the steps behind, it is a procedure of its own, not a sub-list of the last
    step indented too little."""
    page = RST + (
        "#. Sign in as an administrator.\n#. Open the user's page.\n\n"
        "Then either rotate the key or reset the device.\n\n"
        "To rotate the key:\n\n"
        "  #. Ask the user for their old key.\n  #. Press **Rotate**.\n\n"
        "To reset the device:\n\n"
        "  #. Press **Reset**.\n  #. Have the user enrol again.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == []
    (runbook,) = result.runbooks
    assert [s.title or s.text for s in runbook.steps][2:] == [
        "Ask the user for their old key.", "Press Rotate.", "Press Reset.", "Have the user enrol again."
    ]  # fmt: skip
    assert all(not s.substeps for s in runbook.steps)


def test_an_item_one_column_off_or_numbered_next_is_a_sibling_not_a_sub_list(tmp_path: Path) -> None:
    """Markdown makes an item indented less than its step's text a sibling; when it is one
    column off, or carries the next number, the author meant a sibling too."""
    deploy = MD + "1. **Open the tunnel**.\n2. **Run the pipeline**.\n  3. **Watch the deploy**.\n"
    checks = MD + "1. **Check the hosts**.\n   1. Look at the pool\n    1. Look at the errors\n"
    result = handbook(tmp_path, {"deploy.md": deploy, "checks.md": checks})
    assert rules(result) == []
    by_id = {runbook.id: runbook.steps for runbook in result.runbooks}
    assert [s.title for s in by_id["deploy"]] == ["Open the tunnel", "Run the pipeline", "Watch the deploy"]
    assert [s.text for s in by_id["checks"][0].substeps] == ["Look at the pool", "Look at the errors"]


def test_a_list_under_a_sub_step_indented_short_of_its_text_is_found_and_kept(tmp_path: Path) -> None:
    page = MD + (
        "1. **Roll out the release.**\n"
        "   1. Watch the migrations finish\n"
        "    1. Inspect the service by hand\n"
        "      - Look at the error rate\n"
        "      - Roll back if it climbs\n"
        "2. **Announce** the release.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(9, "outdented_sublist")]
    assert "indented 6 spaces" in result.problems[0].message and "(column 7)" in result.problems[0].message
    (runbook,) = result.runbooks
    watch, inspect = runbook.steps[0].substeps
    assert watch.text == "Watch the migrations finish" and not watch.substeps
    assert [s.text for s in inspect.substeps] == ["Look at the error rate", "Roll back if it climbs"]


def test_a_fence_cut_at_the_margin_that_swallows_the_next_step_is_one_finding(tmp_path: Path) -> None:
    """Code pasted at the margin inside a step's indented fence ends the step; the fence's own
    closing line then opens a code block that runs on over the next step, and what follows
    it reads as indented code. One cause: one finding, at the cut, naming the two lines."""
    page = MD + (
        "1. Add the flag to the settings file.\n\n"
        "    For example:\n    ```python\nflags.add('dark_mode')\n```\n\n"
        "    See the settings module.\n\n"
        "2. Give the flag a default value.\n\n"
        "    For example:\n    ```yaml\ndark_mode: false\n```\n\n"
        "    See the defaults file.\n\n"
        "3. Read the flag where it is needed.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(10, "outdented_body")]
    assert "lines 10-11 are not indented" in result.problems[0].message


def test_a_first_run_finds_what_breaks_lists_that_are_no_procedure(tmp_path: Path) -> None:
    """A code block at the margin between two bullets of a list of options breaks that list as
    much as a procedure's; its numbering is its own business (lists of facts often restart on
    purpose), so only what breaks any list is reported."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_incident"]\n', "utf-8")
    (src / "index.md").write_text(
        "# Settings\n\n## Where users go\n\nA user can be put in a group in two ways:\n\n"
        "- `groupctl set`, for one user at a time:\n\n```\ngroupctl set staff alice\n```\n\n"
        "- `groupctl add`, for several users:\n\n```\ngroupctl add staff bob carol\n```\n\n"
        "## Limits\n\n1. Ten groups per user.\n2. Fifty users per group.\n\nAnd per site:\n\n"
        "3. A hundred groups.\n",
        "utf-8",
    )
    result = read_handbook(src, {"incident_lint_scope": "discovered"}, freshenv=True)
    assert [(p.line, p.rule) for p in result.problems] == [(9, "outdented_body"), (15, "outdented_body")]


def test_a_command_a_step_stops_short_of_is_its_body_in_rst(tmp_path: Path) -> None:
    """A step whose sentence stops on the command to come ("… by entering") with the command
    written at the margin: the command is the step's, and only then the section goes on."""
    page = RST + (
        "#. Plug in the security key.\n#. Start the key tool by entering\n\n"
        ".. code:: sh\n\n   keytool --gui\n\n"
        "Program the key\n---------------\n\nChoose the first slot.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(9, "outdented_body")]
    (runbook,) = result.runbooks
    assert "keytool --gui" in runbook.steps[1].text
    page = RST + "#. Plug in the security key.\n#. Start the key tool.\n\n.. code:: sh\n\n   keytool --list\n"
    (tmp_path / "b").mkdir()
    assert rules(handbook(tmp_path / "b", {"p.rst": page})) == []


@pytest.mark.parametrize("ending", ["lines like", "lines such as", "lines, as follows"])
def test_settings_a_step_stops_short_of_by_naming_their_kind_are_its_body(
    tmp_path: Path, ending: str
) -> None:
    # the last step ends on "… like", then an rST "::" alone and the settings at the margin:
    # what the step names comes next, so it is the step's, fallen out of it
    page = RST + (
        "#. Open the service's settings.\n#. Add a value called ``Environment``.\n"
        f"#. Put in it {ending}\n\n::\n\n  TMP=/srv/tmp\n  TEMP=/srv/tmp\n\n"
        "Start the service\n-----------------\n\nIt reads them once.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(10, "outdented_body")]
    (runbook,) = result.runbooks
    assert "TMP=/srv/tmp" in runbook.steps[2].text
    # a step that ends on what it likes is whole: the code after it is the page's
    page = RST + "#. Open the settings.\n#. Pick the colours you like.\n\n::\n\n  theme=dark\n"
    (tmp_path / "b").mkdir()
    assert rules(handbook(tmp_path / "b", {"p.rst": page})) == []
    # an item that says what a command shows "as follows": the sample output is the page's
    page = MD + "- `tool status` shows a warning about the disks as follows.\n\n```\nWARN disks\n```\n"
    (tmp_path / "c").mkdir()
    assert rules(handbook(tmp_path / "c", {"p.md": page})) == []


def test_an_rst_list_right_under_its_lead_in_sentence_is_found_and_kept(tmp_path: Path) -> None:
    """Without a blank line, reStructuredText reads a lead-in sentence and the indented list
    under it as a term and its definition: the checklist loses the list."""
    page = RST + (
        "Before you start, make sure that:\n"
        "  - the laptop is charging\n"
        "  - every USB device is unplugged\n\n"
        "#. Insert the install drive.\n#. Boot from it.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(7, "run_in_list")]
    assert "put a blank line before it" in result.problems[0].message
    (runbook,) = result.runbooks
    assert [s.text or s.title for s in runbook.steps] == ["Insert the install drive.", "Boot from it."]
    assert "the laptop is charging" in runbook.intro


def test_a_second_numbered_list_run_into_its_own_lead_in_is_no_restart(tmp_path: Path) -> None:
    """Two numbered lists, each indented right under the sentence that leads in to it (no
    blank line): each is reported once as run in, and the second, which starts at 1 under a
    lead-in of its own, is a new list, not a restart of the first."""
    page = RST + (
        "Limits that apply to every mirror:\n"
        "    #. Only one mirror per site.\n"
        "    #. Mirrors share one key.\n\n"
        "Adding another mirror to the configuration:\n"
        "    #. Open the configuration file.\n"
        "    #. Add the mirror's address.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(7, "run_in_list"), (11, "run_in_list")]


def test_an_rst_definition_list_that_is_one_is_left_alone(tmp_path: Path) -> None:
    page = RST + (
        "Supported systems\n  - Debian\n  - Fedora\n\nRelease notes:\n  - none yet\n\n"
        "#. Insert the install drive.\n#. Boot from it.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_list_split_by_a_cut_fence_names_where_it_starts_again(tmp_path: Path) -> None:
    # every step typed "1.": the page restarts the count after the code that fell out
    page = MD + (
        "1. **Stop the agent**.\n\n1. **Clear its queue**:\n\n    ```\nagent flush --all\n    ```\n\n"
        "1. **Start the agent**.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    (problem,) = result.problems  # the restart is the same cause: not a second finding
    assert (problem.rule, problem.line, problem.related) == ("outdented_body", 11, (14,))
    assert "carries on at line 14, where it now starts again at 1" in problem.message
    (runbook,) = result.runbooks
    assert [s.number for s in runbook.steps] == ["1", "2", "3"]


def test_a_list_split_by_an_outdented_body_names_where_it_carries_on(tmp_path: Path) -> None:
    page = MD + "1. **Tag the release**:\n\n  git tag v2\n\n2. **Push the tag**.\n"
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.related) == ("outdented_body", (10,))
    assert problem.message.endswith("(the list then carries on at line 10)")


def test_a_step_swallowed_by_the_closing_fence_of_a_cut_block_is_named(tmp_path: Path) -> None:
    page = MD + (
        "1. **Add the flag**:\n\n    ```\nflags.add(:beta)\n```\n\n"
        "2. **Set its default** in the config.\n\n    ```\nbeta: false\n```\n"
    )
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line, problem.related) == ("outdented_body", 9, (12,))
    assert "the fence at line 10 then opens a code block that swallows step 2 (line 12)" in problem.message


def test_an_outdented_sublist_names_where_the_list_it_splits_carries_on(tmp_path: Path) -> None:
    page = MD + "1. **Open the console**:\n\n- Go to Keys.\n- Press New.\n\n2. **Copy the key**.\n"
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line, problem.related) == ("outdented_sublist", 8, (11,))
    assert "(the list then carries on at line 11)" in problem.message


def _site(tmp_path: Path, files: dict[str, str], **conf: str) -> Handbook:
    """A handbook of the given files beside an index that lists ``p``; ``parts/`` is left
    out of the build (a folder of files to include)."""
    (tmp_path / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_incident"]\nexclude_patterns = ["parts"]\n'
        + "".join(f"{name} = {value}\n" for name, value in conf.items())
    )
    (tmp_path / "index.md").write_text("# Home\n\n```{toctree}\np\n```\n")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return read_handbook(tmp_path, freshenv=True)


def test_typed_numbers_that_skip_are_found_in_a_list_that_is_no_procedure(tmp_path: Path) -> None:
    # reasons, not steps: no procedure, but the page still shows 4 where the source says 5
    reasons = zip((1, 2, 3, 5), ("slow", "dear", "far", "old"), strict=True)
    page = "# Why we moved\n\nThe reasons were these:\n\n" + "".join(
        f"{n}. The old host was {word}.\n" for n, word in reasons
    )
    result = _site(tmp_path, {"p.md": page}, incident_lint_scope='"discovered"')
    assert not result.runbooks
    assert [(p.line, p.rule) for p in result.problems] == [(8, "numbering_gap")]


def test_a_page_s_own_lists_after_included_steps_are_read_against_the_page(tmp_path: Path) -> None:
    # the runbook opens with steps from another file; the page's own steps after them are
    # checked against the page's lines, and a finding names the page
    page = MD + (
        "```{include} parts/first.md\n```\n\n"
        "3. **Drain the queue**, by running:\n\n```\nqueue drain --all\n```\n\n4. **Restart the worker**.\n"
    )
    included = "1. **Page the owner**.\n2. **Open a channel**.\n"
    result = _site(tmp_path, {"p.md": page, "parts/first.md": included})
    assert [(p.path, p.line, p.rule) for p in result.problems] == [("p.md", 11, "outdented_body")]
    (runbook,) = result.runbooks
    assert "queue drain --all" in runbook.steps[2].text


def test_a_mistake_in_included_steps_is_named_in_the_file_it_is_in(tmp_path: Path) -> None:
    included = (
        "1. **Page the owner**.\n2. **Open a channel**, by running:\n\n```\nchat open\n```\n\n3. **Wave**.\n"
    )
    page = MD + "Some words first.\n\n```{include} parts/first.md\n```\n"
    result = _site(tmp_path, {"p.md": page, "parts/first.md": included})
    assert [(p.path, p.line, p.rule) for p in result.problems] == [("parts/first.md", 4, "outdented_body")]
    assert "(in p.md, which includes it)" in result.problems[0].message


def test_a_list_of_links_under_a_step_is_its_text_not_sub_steps(tmp_path: Path) -> None:
    page = MD + (
        "1. **Tune the parser** rules. These pages help:\n\n"
        "   - [Parser reference](https://docs.example.com/parser)\n"
        "   - [Pattern catalogue](https://docs.example.com/patterns)\n"
        "   - [Regex syntax](https://docs.example.com/regex)\n\n"
        "2. **Restart the shipper**:\n\n   - Stop the service.\n   - Clear its cursor file.\n   - Start it.\n"
    )
    (runbook,) = handbook(tmp_path, {"p.md": page}).runbooks
    tune, restart = runbook.steps
    assert tune.substeps == ()  # nothing to tick: links to read
    assert "Pattern catalogue" in tune.text and len(tune.links) == 3
    assert [s.text for s in restart.substeps] == ["Stop the service.", "Clear its cursor file.", "Start it."]


def test_yaml_pasted_at_the_margin_of_a_step_s_fence_is_reported_as_the_cut_fence(tmp_path: Path) -> None:
    # the margin cuts the fence off; Markdown then reads the YAML's "- key: value" lines as a list
    page = MD + (
        "1. **Add the pools** to the values file:\n\n   ```yaml\n"
        "- pool: blue\n  nodes: 2\n- pool: green\n  nodes: 3\n   ```\n\n"
        "2. **Apply** the values.\n3. **Watch** the rollout.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    (problem,) = result.problems
    assert (problem.rule, problem.line) == ("outdented_body", 9)
    assert "code block of step 1 (its fence at line 8)" in problem.message
    assert "lines 9-13" in problem.message and "indent them by 3 spaces" in problem.message
    assert problem.related == (15,)  # where step 2 carries the list on
    (runbook,) = result.runbooks
    assert [s.number for s in runbook.steps] == ["1", "2", "3"]
    assert not runbook.steps[0].substeps  # the YAML is the step's text, not steps to tick
    assert "pool: green" in runbook.steps[0].text


def test_a_label_entry_does_not_also_declare_a_page_titled_like_it(tmp_path: Path) -> None:
    # "failover" names the label before the runbook's heading; another page's title reads the same
    pages = {
        "index.md": "# Failover\n\nHow we think about it.\n\n```{toctree}\nrun\n```\n",
        "run.md": "(failover)=\n# Fail over the database\n\n1. **Promote** the replica.\n"
        "2. **Repoint** the app.\n",
    }
    result = handbook(tmp_path, pages, conf='incident_runbooks = ["failover"]\n')
    assert [(r.id, r.docname) for r in result.runbooks] == [("failover", "run")]
    assert result.problems == []


def test_text_an_outdented_sub_list_turns_into_code_is_named_and_kept_in_the_step(tmp_path: Path) -> None:
    # the sub-list's items write their text four columns after the bullet, so a paragraph
    # indented for the step (4 spaces) is not in the last item; and with the sub-list two
    # spaces in, the step has ended there: Markdown shows the paragraph as a code block
    page = MD + (
        "1. **Gather the request**:\n"
        "  -   the team name\n"
        "  -   a contact address\n"
        "\n"
        "    If anything is missing, ask the requester.\n"
        "\n"
        "2. **Create the space**.\n"
        "3. **Tell the requester**.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    (problem,) = result.problems
    assert (problem.rule, problem.line, problem.related) == ("outdented_sublist", 7, (10, 12))
    assert "line 10 is then read as code, though indented for the step" in problem.message
    assert "indent it by 1 space more (the list then carries on at line 12)" in problem.message
    (runbook,) = result.runbooks
    assert [s.number for s in runbook.steps] == ["1", "2", "3"]
    assert "If anything is missing" in runbook.steps[0].text
    assert not runbook.notes


def test_a_declared_section_whose_list_is_indented_as_a_whole_has_its_steps(tmp_path: Path) -> None:
    # in reStructuredText a list indented two spaces is a block quote holding the list; the
    # section's runbook was empty (and reported as such) though discover found the procedure
    page = (
        "Firmware updates\n================\n\nWhat this covers.\n\n"
        "What to bring\n~~~~~~~~~~~~~\n\n"
        "  #. A spare drive\n"
        "  #. A laptop with the tools\n"
        "  #. A keyboard\n\n"
        "Back up\n~~~~~~~\n\nBack up first.\n"
    )
    result = handbook(tmp_path, {"p.rst": page}, 'incident_runbooks = ["p#what-to-bring"]\n')
    assert result.problems == []
    (runbook,) = result.runbooks
    assert [(s.number, s.text, s.line) for s in runbook.steps] == [
        ("1", "A spare drive", 9),
        ("2", "A laptop with the tools", 10),
        ("3", "A keyboard", 11),
    ]


def test_a_fence_indented_some_but_too_little_says_how_far_it_is_indented(tmp_path: Path) -> None:
    # the last step's example is fenced two columns in (its text is at three), and a closing
    # remark at the margin follows: the finding is about the fence alone, and says it is
    # indented two spaces (not "not indented"), so one more space keeps it in the step
    page = MD + (
        "1. **Stop the sync**.\n2. **Turn the template off** with this change:\n\n"
        "  ```yaml\n  enabled: false\n  ```\n\nSee the vendor's notes for more.\n"
    )
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line) == ("outdented_body", 9)
    assert "indented 2 spaces, less than the text of step 2 (column 3)" in problem.message
    assert "by 1 space more" in problem.message


def _first_run(tmp_path: Path, page: str, name: str = "index.md") -> Handbook:
    """Lint's first run on a one-page handbook: no configuration, the procedures discover finds."""
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "sphinx_incident"]\n', "utf-8")
    (tmp_path / name).write_text(page, "utf-8")
    return read_handbook(tmp_path, {"incident_lint_scope": "discovered"}, freshenv=True)


def test_a_note_after_a_blank_line_and_a_comment_line_is_the_page_s(tmp_path: Path) -> None:
    # a linter's switch typed on the line above a note is no text: the blank line before it
    # sets the note apart from the last item, as the page shows it
    page = (
        "# Tool\n\n## Options used\n\nThe options are:\n\n"
        "1. `trace=yes` - follow child processes.\n2. `leaks=full` - look for leaks on exit.\n\n"
        "<!-- lint-off -->\n```{note}\nIn a container, add the capability first.\n```\n"
    )
    assert _first_run(tmp_path, page).problems == []


def test_an_example_list_at_the_margin_that_splits_the_steps_is_one_finding(tmp_path: Path) -> None:
    # every step typed "1."; an example of a value at the margin under steps 3 and 4 ends the
    # list and the next step starts a new one. On a first run that is the example fallen out of
    # its step (one finding, naming where the steps carry on), not a restart
    page = (
        "# Importing\n\n## How to import resources\n\n> **Note:** add the resources to your config first\n\n"
        "1. Pick the import action\n1. Type the app name\n1. Enter the addresses\n\n"
        "- for instance `a.b,c.d`\n\n1. Enter the ids\n\n- for instance `x,y`\n\n"
        "1. Enter the branch\n1. Run it\n"
    )
    result = _first_run(tmp_path, page)
    assert [(p.rule, p.line, p.related) for p in result.problems] == [
        ("outdented_sublist", 11, (13,)),
        ("outdented_sublist", 15, (17,)),
    ]
    problem = result.problems[0]
    assert "step 3" in problem.message and "carries on at line 13" in problem.message


@pytest.mark.parametrize(
    "lines",
    [
        "1.**Rotate the key** in the vault.\n2.**Redeploy** the workers.\n3.**Revoke** the old key.\n",
        "1.Rotate the key in the vault.\n2.Redeploy the workers.\n3.Revoke the old key.\n",
    ],
    ids=["bold", "plain"],
)
def test_steps_typed_with_no_space_after_their_numbers_are_found(tmp_path: Path, lines: str) -> None:
    # "1.Rotate": no markup reads a number without a space after it as a list marker, so
    # the page shows the steps as one paragraph; discover still finds them, lint says why
    page = "# Keys\n\n## Rotating the signing key\n\n" + lines
    (problem,) = _first_run(tmp_path, page).problems
    assert (problem.rule, problem.line, problem.end_line) == ("stray_step", 5, 7)
    assert "space" in problem.message and "`1.`" in problem.message


def test_numbers_with_no_space_that_are_versions_or_figures_are_no_steps(tmp_path: Path) -> None:
    page = "# Keys\n\n## Versions\n\n1.2 was the first release.\n2.0 changed the format.\n"
    assert _first_run(tmp_path, page).problems == []


def test_steps_numbered_on_under_the_next_heading_do_not_start_at_the_wrong_number(tmp_path: Path) -> None:
    # a procedure cut by a heading, its numbers typed on (3. after 2.): each section is a
    # procedure of its own on a first run, and the second one starting at 3 is no gap
    page = (
        "# Rebuild a replica\n\n## Prepare\n\n1. Stop replication on the replica.\n"
        "2. Take a snapshot of the primary.\n\n## Restore\n\n3. Restore the snapshot on the replica.\n"
        "4. Start replication again.\n"
    )
    assert [p.rule for p in _first_run(tmp_path, page).problems] == []


def test_steps_starting_above_one_with_nothing_before_them_are_still_a_gap(tmp_path: Path) -> None:
    page = "# Rebuild a replica\n\n3. Restore the snapshot on the replica.\n4. Start replication again.\n"
    assert [(p.rule, p.line) for p in _first_run(tmp_path, page).problems] == [("numbering_gap", 3)]


def test_a_sub_list_carried_on_at_the_margin_is_an_outdented_sub_list_not_a_gap(tmp_path: Path) -> None:
    # numbered steps nested under one of two options; after a tip, the author typed step 3 at
    # the margin: it ends the nesting and starts a list of its own at 3. The finding says that
    # it carries on the sub-list and how far to indent it, not that steps 1 and 2 are missing
    page = (
        "# Golden images\n\n## Mitigation\n\nDo one of these:\n\n- Add nodes that can run the image\n\n"
        "- Turn the image off:\n\n  1. Find the image in the status of the resource.\n\n"
        "  2. Add it to the spec with the enable flag off.\n\n  > Tip: copy it from the status.\n\n"
        "3. Check that the alert clears.\n"
    )
    (problem,) = _first_run(tmp_path, page).problems
    assert (problem.rule, problem.line, problem.related) == ("outdented_sublist", 17, (13,))
    assert "carries on the numbered sub-list whose step 2 is at line 13" in problem.message
    assert "indent it by 2 spaces more" in problem.message


def test_a_screenshot_at_the_margin_between_steps_fell_out_of_the_step_above(tmp_path: Path) -> None:
    # each step ends by pointing at its screenshot, which sits at the margin (centred in an HTML
    # block): it splits the checklist, and the finding names the HTML lines to indent with it
    page = (
        "# Desktop login\n\n## Log in as a directory user\n\nTo log in for the first time:\n\n"
        "- Click the option for an unlisted user:\n\n"
        '<div align="center">\n\n![The login screen](shot1.png)\n</div>\n\n'
        "- Type the login name and the password:\n\n![The password field](shot2.png)\n\n"
        "- The next time, pick the user from the list.\n\n## Known issues\n\nNone.\n"
    )
    problems = _first_run(tmp_path, page).problems
    assert [(p.rule, p.line, p.related) for p in problems] == [
        ("outdented_body", 9, (14,)),
        ("outdented_body", 16, (18,)),
    ]
    assert problems[0].message.startswith("lines 9-12 are not indented")


def test_an_rst_image_at_the_margin_between_numbered_steps_is_reported(tmp_path: Path) -> None:
    page = (
        RST + "1. **Open the console**.\n\n.. image:: console.png\n\n"
        "2. **Pick the instance**.\n3. **Reboot it**.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == [(8, "outdented_body")]


def test_a_command_at_the_margin_after_the_last_step_is_its_own_when_each_has_one(tmp_path: Path) -> None:
    # each step holds its command, indented; the last step's command is at the margin right
    # after the list, with no sentence between: it fell out of that step, as the others show
    page = MD + (
        "- Rebuild the bundle:\n\n  ```\n  certtool rebuild\n  ```\n\n"
        "- List the bundle:\n\n  ```\n  certtool list\n  ```\n\n"
        "- Compare the last lines of your certificate with the bundle's.\n\n"
        "```\ntail -3 ours.pem\n```\n\nThat is all there is to it.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(20, "outdented_body")]
    (runbook,) = result.runbooks
    assert "tail -3 ours.pem" in runbook.steps[-1].text


def test_a_command_at_the_margin_after_the_last_item_is_reported_when_each_earlier_one_fell_out(
    tmp_path: Path,
) -> None:
    # a list of commands, each bullet's command at the margin under it: every command splits the
    # list, and the one after the last bullet fell out of it the same way, though no list follows
    page = MD + (
        "- The versions\n\n```\ntool --version\n```\n\n"
        "- The plugins\n\n```\ntool plugins\n```\n\n"
        "- The debug log\n\n```\ntool --debug\n```\n\n## Next\n\nMore text.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == [
        (8, "outdented_body"),
        (14, "outdented_body"),
        (20, "outdented_body"),
    ]


def test_a_command_after_the_last_item_stays_prose_when_the_earlier_ones_were_indented(
    tmp_path: Path,
) -> None:
    # the earlier split was a paragraph (prose), not a command: the command after the list is
    # the page's own
    page = MD + (
        "- Show the versions.\n\nThey are printed one per line.\n\n"
        "- Show the plugins.\n\n```\ntool --debug\n```\n\nMore text.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_a_command_after_the_last_step_is_not_its_own_when_the_others_hold_none(tmp_path: Path) -> None:
    page = MD + (
        "- Stop the writers.\n- Take the snapshot.\n- Start the writers.\n\n"
        "```\nsnapshot list\n```\n\nThat is all there is to it.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_a_list_starting_above_one_does_not_carry_on_a_far_earlier_procedure(tmp_path: Path) -> None:
    # an earlier procedure has a step 4 (in a sub-list, two sections up); a short list of its
    # own stands between: a list typed from 5 later on carries on neither, so its missing
    # steps 1-4 are reported, not a sub-list indented too little
    page = (
        "# Moving\n\n## Old way\n\n1. Prepare:\n\n   1. Stop it.\n   2. Copy it.\n   3. Check it.\n"
        "   4. Start it.\n\n## Extra\n\n1. Update the address.\n2. Tell the users.\n\n"
        "## New way\n\nCopy the code and load the data.\n\n5. Clear the caches.\n6. Rebuild the menus.\n"
    )
    assert [(p.rule, p.line) for p in _first_run(tmp_path, page).problems] == [("numbering_gap", 21)]


def test_sub_steps_lettered_as_on_paper_are_stray_steps_in_markdown(tmp_path: Path) -> None:
    page = MD + (
        "1. **Free some space**.\n2. **Grow the disk** if the claim can grow:\n\n"
        "   a. Check that the storage class allows it.\n\n   b. Edit the claim to ask for more.\n\n"
        "   c. Restart the machine.\n3. **Check the space** again.\n"
    )
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line) == ("stray_step", 9)
    assert "lines 9, 11, 13" in problem.message and "step 2" in problem.message


def test_sub_steps_lettered_on_a_line_of_the_step_then_after_its_code_are_one_finding(
    tmp_path: Path,
) -> None:
    # "a." runs on from the step's text (no blank line), "b." and "c." open paragraphs after
    # the code fences: one lettered run, as the page shows it (text, not sub-steps)
    page = MD + (
        "1. **Restore the data**.\n   a. Patch the location\n   ```\n   kubectl patch x\n   ```\n"
        "   b. Find the latest backup and restore it.\n   ```\n   tool restore\n   ```\n"
        "   c. Check the pods.\n2. **Check the site**.\n"
    )
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line) == ("stray_step", 7)
    assert "lines 7, 11, 15" in problem.message and "step 1" in problem.message


def test_one_paragraph_opening_with_a_letter_is_not_a_lettered_sub_step(tmp_path: Path) -> None:
    page = MD + (
        "1. **Call the vendor**.\n\n   A. Smith answers the phone on weekdays.\n\n"
        "2. **Open a ticket** with what they said.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_lettered_sub_steps_are_a_list_in_restructuredtext(tmp_path: Path) -> None:
    page = RST + "1. **Grow the disk**:\n\n   a. Check the class.\n   b. Edit it.\n\n2. **Check it**.\n"
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_whole_procedure_indented_under_its_lead_in_keeps_its_steps_and_its_split_code(
    tmp_path: Path,
) -> None:
    # rST makes one block quote of a procedure indented as a whole; code blocks written at
    # the column of its numbers end the list there. The steps are still the runbook's, and
    # each code block is reported once, with how far to indent it
    page = RST + (
        "When a contributor opens a change, follow these steps:\n\n"
        "    1. Read the change.\n"
        "    2. Fetch it into a branch of its own:\n\n"
        "    .. code-block:: bash\n\n"
        "        git fetch origin pull/7/head:topic\n\n"
        "    3. Check the branch out.\n\n"
        "    .. code-block:: bash\n\n"
        "        git checkout topic\n\n"
        "    4. Run the tests.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    (runbook,) = result.runbooks
    assert [s.number for s in runbook.steps] == ["1", "2", "3", "4"]
    assert "git fetch origin" in runbook.steps[1].text
    assert [(p.rule, p.line) for p in result.problems] == [("outdented_body", 11), ("outdented_body", 17)]
    first = result.problems[0].message
    assert "as far as the list's numbers (column 4)" in first and "indent them by 3 spaces" in first


def test_a_step_s_text_wrapped_onto_a_deeper_line_is_one_text_and_reported(tmp_path: Path) -> None:
    # a wrapped line indented deeper than the step's first line, with no blank line: rST
    # makes the first line a term and the rest its definition
    page = RST + (
        "#. Open the console.\n#. Add the callback address to\n      the staging client.\n#. Save it.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    (runbook,) = result.runbooks
    assert runbook.steps[1].text == "Add the callback address to the staging client."
    (problem,) = result.problems
    assert (problem.rule, problem.line) == ("run_in_list", 8)
    assert "step 2" in problem.message and "indent it to column 3" in problem.message


def test_a_definition_under_a_step_after_a_blank_line_is_left_alone(tmp_path: Path) -> None:
    page = RST + "#. Set these:\n\n   timeout\n      How long to wait.\n\n#. Save it.\n"
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_titled_item_over_its_indented_explanation_is_a_definition_as_meant(tmp_path: Path) -> None:
    # a bold title (or a question) with its explanation indented under it reads as the
    # author laid it out: no wrapped line to fix
    page = RST + (
        "Before you merge, ask:\n\n"
        "* **Is the change tested?**\n   Look for a test that fails without it.\n\n"
        "* Does the change need a note in the changelog?\n   Most changes do.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_an_item_s_sentence_going_on_at_a_tab_is_one_text_and_reported(tmp_path: Path) -> None:
    # a bullet's first sentence ends with a full stop and its text goes on one tab in (eight
    # columns, past the text at column 2): no title over an explanation, but one paragraph
    # wrapped onto the wrong column, which the page shows as a glossary entry
    page = RST + (
        "The service reads its settings from two places:\n\n"
        "- The shared store.\n\tEvery node applies what it holds.\n"
        "\tA change is picked up within a minute.\n\n"
        "- The local file.\n\tIt wins over the shared store.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(9, "run_in_list"), (13, "run_in_list")]
    assert "lines 9-10" in result.problems[0].message and "column 2" in result.problems[0].message
    (runbook,) = result.runbooks
    assert runbook.steps[0].text.startswith("The shared store. Every node applies what it holds.")


@pytest.mark.parametrize("glossary_before", [True, False])
def test_a_lone_setting_over_its_meaning_is_the_page_s_layout_where_other_lists_use_it(
    tmp_path: Path, glossary_before: bool
) -> None:
    # the page writes each setting's name over what it does, set in under it (rST makes each
    # item a term and its definition); a list of one such setting after its own lead-in is the
    # same layout, not a sentence wrapped too deep. Alone on the page, it is reported
    settings = (
        "For the disks:\n\n"
        "- ``flushDelay``\n    Raise it on slow disks.\n\n"
        "- ``hashWorkers``\n    Set it to the number of cores.\n\n"
    )
    page = (
        RST
        + (settings if glossary_before else "")
        + ("For the network:\n\n- ``openStreams``\n    Set it at or above the number of cores.\n")
    )
    found = rules(handbook(tmp_path, {"p.rst": page}))
    assert found == ([] if glossary_before else [(9, "run_in_list")])


def test_one_sub_bullet_under_an_item_s_text_with_no_blank_line_is_found(tmp_path: Path) -> None:
    # rST reads the bullet as the item's next line of text: the page shows "- You can..." run
    # into the item; one bullet is enough when it opens as a sentence does
    page = RST + (
        "Order these parts:\n\n"
        "-  two disks of 240 GB\n"
        "-  one memory kit of two matching sticks\n"
        "   -  You can put one stick in each server.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(10, "run_in_list")]
    assert "line 10 of" in result.problems[0].message and "reads it as more" in result.problems[0].message


def test_a_list_after_prose_that_offers_another_way_is_that_way_not_a_restart(tmp_path: Path) -> None:
    # the prose between the lists need not end in a colon: "Alternatively, ..." says the list
    # after it is another procedure
    page = MD + (
        "1. **Open the console**.\n2. **Click Restart**.\n\n"
        "Alternatively, from a shell on the bastion. This needs the VPN.\n\n"
        "1. **Log in to the bastion**.\n2. **Run the restart script**.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_prose_after_the_last_step_one_space_in_is_not_an_outdented_body(tmp_path: Path) -> None:
    # Markdown gives a paragraph's first spaces no meaning; one space before the closing
    # prose is a slip, not a try at indenting it into the step
    page = MD + "- **Find the key** in the vault.\n- **Copy it**.\n\n Once you have it, go on below.\n"
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_prose_two_spaces_in_under_a_numbered_last_step_is_still_reported(tmp_path: Path) -> None:
    page = (
        MD
        + "1. **Find the key** in the vault.\n2. **Copy it** to the clipboard.\n\n  Paste it nowhere else.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == [(9, "outdented_body")]


def test_a_list_carries_on_the_list_that_ends_where_it_starts_not_a_sub_list_passing_by(
    tmp_path: Path,
) -> None:
    # "4." after a remark carries on the outer list (its last item is 3), not the sub-list of
    # its first item, whose third item is not its last
    page = MD + (
        "1. **Open the page**\n   1. log in\n   2. pick the site\n   3. open the menu\n   4. choose Purge\n"
        "2. **Confirm**\n3. **Wait for the banner**\n\nThis takes a minute.\n\n"
        "4. **Check the page again**\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert "outdented_sublist" not in [rule for _, rule in rules(result)]
    (runbook,) = result.runbooks
    assert [s.number for s in runbook.steps] == ["1", "2", "3", "4"]


@pytest.mark.parametrize("number", ["**3.**", "3.)"])
def test_a_step_numbered_in_bold_or_with_a_bracket_is_a_stray_step(tmp_path: Path, number: str) -> None:
    # neither is a list item in Markdown: the step is a paragraph between the lists
    step = f"{number} Copy the dump to the new host."
    page = MD + f"1. Stop the app.\n2. Take a dump.\n\n{step}\n\n4. Start the app.\n"
    result = handbook(tmp_path, {"p.md": page})
    assert (9, "stray_step") in rules(result)
    (runbook,) = result.runbooks
    assert [(s.number, s.text) for s in runbook.steps][2] == ("3", "Copy the dump to the new host.")


def test_a_paragraph_opening_with_a_bold_year_is_no_step(tmp_path: Path) -> None:
    # (the paragraph splits the list the author numbered on: that is its one finding)
    page = MD + "1. Stop the app.\n2. Take a dump.\n\n**2024** was the year we moved.\n\n3. Start the app.\n"
    assert rules(handbook(tmp_path, {"p.md": page})) == [(9, "outdented_body")]


def test_an_item_with_two_markers_is_an_empty_item_holding_a_list(tmp_path: Path) -> None:
    # `- - ` opens a list inside an empty bullet: the page shows a bare bullet with the list
    # beside it, and the checklist a step with no text
    page = MD + (
        "- - Open a ticket to track the hand-over.\n  - Add the template's sub-tasks to it.\n"
        "- Share the leaving guide with them.\n- Tell the team.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    (problem,) = result.problems
    assert (problem.rule, problem.line) == ("empty_item", 6)
    assert "two markers (`- -`)" in problem.message and "remove the first" in problem.message


def test_a_numbered_item_with_only_a_list_under_it_is_reported_in_rst(tmp_path: Path) -> None:
    page = (
        RST + "#. **Stop the old service**.\n\n#.\n\n   - Copy the data.\n   - Check the copy.\n\n"
        "#. **Start**.\n"
    )
    (problem,) = handbook(tmp_path, {"p.rst": page}).problems
    assert (problem.rule, problem.line) == ("empty_item", 8)
    assert "no text of its own" in problem.message


def test_an_item_whose_text_comes_before_its_list_is_not_empty(tmp_path: Path) -> None:
    page = MD + "- Open a ticket:\n  - Add the sub-tasks.\n- Tell the team.\n"
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_sub_steps_lettered_on_the_lines_of_a_step_run_into_its_text_in_markdown(tmp_path: Path) -> None:
    page = MD + (
        "1. **Grow the disk** when it is full:\n   a. check that the class allows it\n"
        "   b. edit the claim\n2. **Check the space**.\n"
    )
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line, problem.end_line) == ("run_in_list", 7, 8)
    assert "no lettered lists" in problem.message and "step 1" in problem.message


def test_sub_items_written_with_escaped_dashes_run_into_the_item_text(tmp_path: Path) -> None:
    # a converter's `\-` keeps the dash as text: the sub-items are more of the item's sentence
    page = MD + (
        "- **Use the fixtures** for the server:\n  \\- `clean`: empties it between tests\n"
        "  \\- `slow`: gives it a long poll\n- **Run the tests**.\n"
    )
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line, problem.end_line) == ("run_in_list", 7, 8)
    assert "backslash" in problem.message and "Use the fixtures" in problem.message
    assert "4 spaces" not in problem.message


def test_escaped_dashes_under_a_paragraph_are_named_as_such(tmp_path: Path) -> None:
    page = MD + "Before you start:\n\\- have the key\n\\- have the VPN\n\n1. **Log in**.\n2. **Restart**.\n"
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line) == ("run_in_list", 7)
    assert "backslash" in problem.message and "4 spaces" not in problem.message


def test_one_line_opening_with_a_letter_in_a_step_is_text(tmp_path: Path) -> None:
    page = MD + (
        "1. **Call the vendor** on the support line.\n   A. Smith answers on weekdays.\n"
        "2. **Open a ticket** with a dash - in it\n   - and a real sub-item.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_a_markdown_code_fence_on_an_rst_page_is_one_finding(tmp_path: Path) -> None:
    page = RST + (
        "#. **Set the command** in the config:\n\n```\n  server:\n    args:\n      - --live\n```\n\n"
        "#. **Deploy it**.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    found = [(p.rule, p.line, p.end_line) for p in result.problems if p.rule == "foreign_markup"]
    assert found == [("foreign_markup", 8, 12)]
    message = next(p.message for p in result.problems if p.rule == "foreign_markup")
    assert "code-block" in message and "reStructuredText page" in message


def test_a_markdown_link_on_an_rst_page_and_an_rst_link_on_a_markdown_one(tmp_path: Path) -> None:
    rst = RST + "#. **Read** [the guide](https://handbook.acme.io/guide) first.\n#. **Restart**.\n"
    md = MD + "1. **Read** `the guide <https://handbook.acme.io/guide>`_ first.\n2. **Restart**.\n"
    result = handbook(tmp_path, {"a.rst": rst, "b.md": md})
    assert sorted((Path(p.path).name, p.line, p.rule) for p in result.problems) == [
        ("a.rst", 6, "foreign_markup"),
        ("b.md", 6, "foreign_markup"),
    ]


def test_an_rst_directive_in_markdown_is_reported_but_not_inside_code(tmp_path: Path) -> None:
    page = MD + (
        "1. **Stop the writers**.\n\n   .. warning:: The queue fills up meanwhile.\n\n"
        "2. **Write the note** in the page's source:\n\n   ```rst\n   .. note:: Done.\n   ```\n"
    )
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line) == ("foreign_markup", 8)
    assert "```{warning}" in problem.message


def test_fences_inside_an_rst_literal_block_are_code(tmp_path: Path) -> None:
    page = (
        RST + "#. **Write the page** in Markdown::\n\n      ```\n      make\n      ```\n\n#. **Push it**.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_markdown_fence_read_as_a_term_on_an_rst_page_is_found(tmp_path: Path) -> None:
    # no blank line after the fence: rST reads it as a term and the indented code as its definition
    page = RST + "#. **Set** the flags:\n\n```\n  server:\n    - --live\n```\n\n#. **Deploy**.\n"
    result = handbook(tmp_path, {"p.rst": page})
    assert [(p.rule, p.line, p.end_line) for p in result.problems if p.rule == "foreign_markup"] == [
        ("foreign_markup", 8, 11)
    ]


def test_foreign_markup_is_found_beside_lists_that_are_no_procedure(tmp_path: Path) -> None:
    # a first run: the section's list is a list of facts, and the rST directive above it is
    # text on the page all the same
    page = (
        "# Service\n\n## Settings\n\n.. note:: The defaults suit most sites.\n\n"
        "The settings are:\n\n- the port, 8080 by default\n- the log level, info by default\n"
    )
    problems = _first_run(tmp_path, page).problems
    assert [(p.rule, p.line) for p in problems] == [("foreign_markup", 5)]


def test_an_included_part_of_a_page_is_not_read_at_the_wrong_lines_of_its_file(tmp_path: Path) -> None:
    # docutils counts the lines of a file included from a marker on (`:start-after:`) from the
    # marker, so a step's line names another line of the file: one holding a fence in a code
    # example. The step's own text holds no fence, so there is none to report
    guide = (
        "Guide\n=====\n\nWrite it like this::\n\n   ```\n   make\n   ```\n\n.. _cut:\n\n\n\n"
        "#. **Build** the page.\n#. **Push** it.\n"
    )
    page = RST + ".. include:: guide.rst\n   :start-after: .. _cut:\n"
    assert rules(handbook(tmp_path, {"p.rst": page, "guide.rst": guide})) == []


def test_a_mistake_in_an_included_part_of_a_file_is_reported_at_its_line_in_that_file(
    tmp_path: Path,
) -> None:
    # the page takes the second half of a shared file, from a label on: a step's command
    # fell out of its item there, and the finding must name the line an editor opens
    shared = (
        "Shared\n======\n\nIntro text.\n\n.. _second-half:\n\n"
        "1. **Stop the service**.\n\n"  # line 8
        ".. code-block:: shell\n\n   systemctl stop web\n\n"  # at the margin: lines 10-12
        "2. **Start it again**.\n"
    )
    page = RST + ".. include:: shared.rst\n   :start-after: .. _second-half:\n"
    result = handbook(tmp_path, {"p.rst": page, "shared.rst": shared})
    assert [(p.path.rsplit("/", 1)[-1], p.line, p.rule) for p in result.problems] == [
        ("shared.rst", 10, "outdented_body")
    ]
    assert "lines 10-12 are not indented" in result.problems[0].message
    (runbook,) = result.runbooks
    assert [step.line for step in runbook.steps] == [8, 14]


def test_an_included_part_keeps_the_build_warnings_at_the_lines_of_its_file(
    make_app: Any, tmp_path: Path
) -> None:
    # Sphinx's own warnings about an included part name the file's own lines too
    shared = "Shared\n======\n\n.. _part:\n\nSee :doc:`nowhere`.\n"
    page = "Page\n====\n\n.. include:: shared.txt\n   :start-line: 3\n"
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_incident"]\n', "utf-8")
    (src / "index.rst").write_text(".. toctree::\n\n   p\n", "utf-8")
    (src / "p.rst").write_text(page, "utf-8")
    (src / "shared.txt").write_text(shared, "utf-8")
    warnings = build(make_app, src).warning.getvalue()
    assert "shared.txt:6: WARNING: unknown document" in warnings
    assert "shared.txt:3:" not in warnings


@pytest.mark.parametrize(
    "opening",
    ["::\n\n", "Enter this on the host::\n\n"],
    ids=["alone", "ending-a-paragraph"],
)
def test_an_rst_literal_block_at_the_margin_between_steps_is_an_outdented_body(
    tmp_path: Path, opening: str
) -> None:
    # the code of a `::` block is indented, but only from the `::` that opens it, and that
    # stands at the margin: the block left step 1 and split the list
    page = RST + "1. **Stop the web tier**.\n\n" + opening + "   systemctl stop web\n\n2. **Check it**.\n"
    problems = handbook(tmp_path, {"p.rst": page}).problems
    assert [(p.rule, p.line, p.end_line) for p in problems] == [("outdented_body", 8, 10)]
    assert "indent them by 3 spaces to keep them in step 1" in problems[0].message


def test_an_rst_literal_block_opened_inside_the_step_stays_in_it(tmp_path: Path) -> None:
    page = RST + "1. **Stop the web tier**::\n\n      systemctl stop web\n\n2. **Check it**.\n"
    result = handbook(tmp_path, {"p.rst": page})
    assert result.problems == []
    assert "systemctl stop web" in result.runbooks[0].steps[0].text


def test_an_rst_item_whose_text_wraps_to_the_margin_is_one_finding_that_names_the_line(
    tmp_path: Path,
) -> None:
    # the first option's text goes on at the margin, so rST reads "1. ..." and that line as a
    # paragraph: the fix is to indent the wrapped line, not to add a blank line (there is one),
    # and the list that then starts at 2 is the same mistake, not a second one
    page = RST + (
        "Pick one of these:\n\n1. **Use the console**. The guide says how\nto find the page.\n\n"
        "2. **Use the API**.\n\n3. **Edit the file** by hand.\n"
    )
    (problem,) = handbook(tmp_path, {"p.rst": page}).problems
    assert (problem.rule, problem.line, problem.end_line) == ("stray_step", 8, 9)
    assert "goes on at line 9" in problem.message and "indent it by 3 spaces more" in problem.message


def test_rst_items_that_all_wrap_to_the_margin_are_each_one_finding(tmp_path: Path) -> None:
    # every item of the list wraps to the margin: each is a numbered paragraph with its own
    # lines to indent, and the run of them is not reported a second time
    page = RST + (
        "1. **Drain the node** so that no new work\nlands on it.\n\n"
        "2. **Patch it** and wait for\nthe reboot.\n\n3. **Return it** to the pool.\n"
    )
    problems = handbook(tmp_path, {"p.rst": page}).problems
    assert [(p.rule, p.line, p.end_line) for p in problems] == [("stray_step", 6, 7), ("stray_step", 9, 10)]


def test_an_auto_numbered_rst_item_whose_text_wraps_to_the_margin_is_a_stray_step(tmp_path: Path) -> None:
    # `#.` with its second line at the margin is a paragraph that shows "#." as text: it is
    # the step after the one before it, reported with the line to indent, and its text is
    # on the checklist without the marker
    page = RST + (
        "#. **Stop the queue**.\n#. **Drain the workers**.\n\n#. **Flush the cache** if the\n"
        "workers held keys.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert [(p.rule, p.line, p.end_line) for p in result.problems] == [("stray_step", 9, 10)]
    assert result.problems[0].message.startswith("step 3 is not a list item")
    step = result.runbooks[0].steps[2]
    assert (step.number, step.title) == ("3", "Flush the cache")
    assert "#" not in step.text


def test_an_rst_item_wrapped_under_its_text_stays_a_step(tmp_path: Path) -> None:
    page = RST + "1. **Use the console**. The guide says how\n   to find the page.\n\n2. **Use the API**.\n"
    result = handbook(tmp_path, {"p.rst": page})
    assert result.problems == []
    assert [step.number for step in result.runbooks[0].steps] == ["1", "2"]


def test_the_step_before_a_list_that_starts_late_is_found_run_into_the_paragraph_above(
    tmp_path: Path,
) -> None:
    # the list starts at 9; its step 8 is the last line of the paragraph above it, which a
    # list that does not start at 1 cannot interrupt, so the page shows it as text
    page = MD + (
        "Copy the database across.\n\nOn the old host, dump it to a file.\n"
        "8. Load the dump on the new host.\n\n9. **Clear the caches**.\n10. **Restart the site**.\n"
    )
    problems = handbook(tmp_path, {"p.md": page}).problems
    assert [(p.rule, p.line) for p in problems] == [("stray_step", 9), ("numbering_gap", 11)]
    assert "step 8" in problems[0].message and "paragraph above" in problems[0].message


def test_a_late_start_with_no_step_run_into_the_text_above_is_only_a_gap(tmp_path: Path) -> None:
    page = MD + "Upgrade in 2 steps:\nthe 3. release needs a restart.\n\n5. **Restart**.\n6. **Check**.\n"
    assert rules(handbook(tmp_path, {"p.md": page})) == [(9, "numbering_gap")]


def test_a_step_folded_after_the_list_and_carried_on_by_the_next_is_one_finding(tmp_path: Path) -> None:
    page = (
        MD + "1. **Drain**.\n2. **Stop**.\n\nOnce it has stopped:\n3. **Copy** the data.\n\n4. **Start**.\n"
    )
    assert [rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))] == ["stray_step"]


def test_the_step_before_a_list_that_starts_late_is_found_in_rst_too(tmp_path: Path) -> None:
    page = (
        RST + "Dump the database to a file.\n8. Load the dump on the new host.\n\n9. **Clear the caches**.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == [(7, "stray_step"), (9, "numbering_gap")]


def test_the_step_before_a_late_list_is_found_in_a_paragraph_further_up(tmp_path: Path) -> None:
    # step 8's line closes the commands for the old host; the new host's commands follow as a
    # paragraph of their own before the list that starts at 9
    page = MD + (
        "On the old host:\n$ dump-db > site.sql\n8. Load the dump on the new host\n\nOn the new host:\n"
        "$ load-db < site.sql\n\n9. **Clear the caches**.\n10. **Restart the site**.\n"
    )
    problems = handbook(tmp_path, {"p.md": page}).problems
    assert [(p.rule, p.line) for p in problems] == [("stray_step", 8), ("numbering_gap", 13)]


def test_items_all_numbered_one_run_into_a_paragraph_are_a_run_in_list(tmp_path: Path) -> None:
    # many Markdown authors number every item 1.; indented 4 spaces under the paragraph, they
    # are more of its text all the same
    page = MD + (
        "The same can be done by hand, as follows:\n    1. Open the console.\n    1. Export the data.\n"
        "    1. Import it on the new host.\n\n1. **Clear the caches**.\n2. **Restart**.\n"
    )
    problems = handbook(tmp_path, {"p.md": page}).problems
    assert [(p.rule, p.line, p.end_line) for p in problems] == [("run_in_list", 7, 9)]


def test_a_numbered_fact_written_without_its_period_is_found_in_a_list_of_facts(tmp_path: Path) -> None:
    # a list of reasons, not a procedure: its third item lost its period, so the page shows a
    # paragraph and a second list, as it would in a procedure
    page = (
        "# History\n\n## Why we moved\n\nThe reasons were these:\n\n1. The old host was slow at night.\n"
        "2. It cost twice as much.\n\n3 **It had no backups** of the database.\n\n"
        "4. Its support ended in May.\n"
    )
    handbook_ = _first_run(tmp_path, page)
    assert not [r for r in handbook_.discovered if r.positive]  # no procedure: a list of facts
    (problem,) = handbook_.problems
    assert (problem.rule, problem.line) == ("stray_step", 10)
    assert problem.message.startswith("item 3 is not a list item")  # a fact, not a step


def test_a_list_that_is_no_procedure_names_its_items_as_items(tmp_path: Path) -> None:
    page = (
        "# Service\n\n## Settings\n\nThe settings it reads are these:\n\n- port, where it listens, like:\n\n"
        "```\nport: 8080\n```\n\n- level, how much it logs.\n- home, where it keeps its data.\n"
    )
    handbook_ = _first_run(tmp_path, page)
    assert not [r for r in handbook_.discovered if r.positive]
    (problem,) = handbook_.problems
    assert problem.rule == "outdented_body" and "out of the item 'port, where it listens" in problem.message
    assert "step" not in problem.message


def test_a_huge_number_after_a_folded_step_is_a_gap_not_a_crash(tmp_path: Path) -> None:
    # reStructuredText takes a number of any size: the gap is wider than a machine integer
    page = RST + (
        "1. **Drain**.\n2. **Stop**.\n\nOnce it has stopped:\n3. **Copy** the data.\n\n"
        "40000000000000000000. **Start**.\n"
    )
    assert [rule for _, rule in rules(handbook(tmp_path, {"p.rst": page}))] == ["stray_step", "numbering_gap"]


def test_the_other_markup_shown_as_code_on_purpose_is_not_reported(tmp_path: Path) -> None:
    # a guide to writing pages shows each markup's link in code, backticks and all
    md = MD + (
        "1. **Write links** as ``[text](https://handbook.acme.io)`` or\n"
        "   `` `text <https://handbook.acme.io>`_ ``.\n"
    )
    rst = RST + "#. **Write links** as ``[text](https://handbook.acme.io)`` in Markdown pages.\n"
    assert rules(handbook(tmp_path, {"a.md": md, "b.rst": rst})) == []


def test_items_run_into_an_item_of_a_list_that_is_no_procedure_are_found(tmp_path: Path) -> None:
    # the section's numbered list is read as its entries; the bulleted list of settings beside
    # it is not, and one of its items swallowed its sub-items (written after backslashes)
    page = (
        "# Service\n\n## Layout\n\nThe code is in two parts:\n\n"
        "1. `core`: the engine\n2. `web`: the pages\n\n"
        "Its settings include:\n\n- `port`: where it listens\n- limits\n  \\- `max_users`: how many at once\n"
        "  \\- `max_rate`: requests a second\n- `home`: where it keeps data\n"
    )
    problems = _first_run(tmp_path, page).problems
    assert [(p.rule, p.line, p.end_line) for p in problems] == [("run_in_list", 14, 15)]
    assert "the item 'limits'" in problems[0].message


def test_a_part_included_into_an_rst_page_is_read_as_rst_whatever_its_file_is_named(
    tmp_path: Path,
) -> None:
    # shared parts of rST pages are often named `.inc` or `.rsti`: their markup is the page's,
    # so an rST directive there is the right markup, not a Markdown page's mistake
    part = (
        "Procedure\n=========\n\nOnly on the new hosts.\n\n.. note:: Needs the new image.\n\n"
        "#. **Stop** the agent.\n#. **Start** it again.\n"
    )
    page = ":runbook: true\n\n.. include:: part.inc\n"
    result = handbook(tmp_path, {"p.rst": page, "part.inc": part})
    assert rules(result) == []
    assert [step.title for step in result.runbooks[0].steps] == ["Stop", "Start"]


def test_a_note_after_a_list_whose_last_item_ends_on_code_is_not_that_items_body(tmp_path: Path) -> None:
    # the last field's sentence ends "... replaced with `-`.": the code is what it is replaced
    # with, not a sentence stopping on a command to come, so the notes after the list are the
    # section's, not the item's fallen out
    page = (
        "# Generators\n\n## Files\n\nBesides the pairs read from the file, these parameters are set:\n\n"
        "- `{{.dir}}`: The folder holding the file, as `/a/b`.\n"
        "- `{{.name}}`: The folder's last part, for example `b`.\n"
        "- `{{.safe}}`: The file's name with each dot replaced with `-`.\n\n"
        "> **Note**\n> The last folder always becomes the name.\n\n"
        "> **Note**\n> With a prefix set, each name above starts with it.\n"
    )
    assert _first_run(tmp_path, page).problems == []


def test_a_command_at_the_margin_between_html_comments_is_one_finding(tmp_path: Path) -> None:
    # every item typed "1."; a command pasted at the margin under step 3, between two HTML
    # comments that switch a style checker off and on: one finding, at the comment that opens
    # the stretch, naming where the steps carry on; not also a restart named after the comment
    page = MD + (
        "1. **Create** the app.\n1. **Open** its settings.\n1. **Copy** the address into the config:\n\n"
        "<!-- style-check off -->\n```yaml\nurl: https://ops.example.org\n```\n<!-- style-check on -->\n\n"
        "1. **Download** the certificate.\n1. **Edit** the config.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(10, "outdented_body")]
    assert "the list then carries on" in result.problems[0].message


def test_code_after_a_last_step_ending_on_the_following_and_a_full_stop_is_its_body(tmp_path: Path) -> None:
    # "... add the following." announces the code under it as much as "... the following:"
    # does; at the margin after the last step, that code fell out of the step
    page = MD + (
        "1. **Open** the config file.\n2. **Add** the following.\n\n"
        "```yaml\nreplicas: 3\n```\n\nThe change applies on the next deploy.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(9, "outdented_body")]


def test_a_code_fence_fallen_out_of_the_last_step_is_named_with_its_closing_line(tmp_path: Path) -> None:
    # the finding names the lines an editor selects to indent: the closing fence too, or the
    # fix leaves it at the margin and the code block then swallows what follows
    page = MD + "1. **Open** the file.\n2. **Add** this to it:\n\n```yaml\nreplicas: 3\nzone: b\n```\n"
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line, problem.end_line) == ("outdented_body", 9, 12)
    assert "lines 9-12 are not indented" in problem.message


def test_steps_numbered_without_a_dot_and_no_bold_are_found_on_a_first_run(tmp_path: Path) -> None:
    # "1 Add ..." is no list item in Markdown: the page shows the numbers as text, in
    # paragraphs, and there is no list in the section at all; the instruction after the
    # number tells it from a count ("30 minutes later")
    steps = (
        "1 Add the hook to the config:\n\n```yaml\nurl: https://hooks.example.org\n```\n\n"
        "2 Define how the app subscribes:\n\n```yaml\nsubscribe: on-deployed\n```\n\n"
        "3 Deploy once and read the log.\n"
    )
    page = "# Guide\n\n## Set it up\n\nDo this once per cluster.\n\n" + steps
    result = _first_run(tmp_path, page)
    assert [(p.line, p.rule) for p in result.problems] == [(7, "stray_step")]


@pytest.mark.parametrize(
    "text",
    ["30 minutes later the queue had drained.", "2 replicas are enough for a staging cluster."],
)
def test_a_paragraph_opening_with_a_count_is_no_step(tmp_path: Path, text: str) -> None:
    page = MD + f"1. Stop the app.\n2. Take a dump.\n\n{text}\n\n3. Start the app.\n"
    assert "stray_step" not in [rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))]


def test_a_note_and_code_a_last_step_announces_are_its_body(tmp_path: Path) -> None:
    # the last step ends with a colon; what it announces comes after a one-line remark, both
    # at the margin: the remark and the code are the step's, one finding for both
    page = MD + (
        "1. **Add** the service to the config.\n2. **Subscribe** the app to the service:\n\n"
        '*Prefix a channel with # and a person with @.*\n\n```yaml\nsubscribe: "#ops"\n```\n'
    )
    result = handbook(tmp_path, {"p.md": page})
    assert [(p.line, p.end_line, p.rule) for p in result.problems] == [(9, 13, "outdented_body")]


def test_code_at_the_margin_that_is_what_the_last_step_names_is_its_body(tmp_path: Path) -> None:
    # the last step names two resources without announcing them; the code right under the
    # list defines exactly those: it is the step's, fallen out of it
    page = MD + (
        "1. **Create** a token for the bot.\n"
        "2. **Store** it in `notify-secret` and reference it from `notify-config`.\n\n"
        "```yaml\nkind: ConfigMap\nname: notify-config\n```\n\n"
        "```yaml\nkind: Secret\nname: notify-secret\n```\n\nThe bot posts from then on.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert [(p.line, p.end_line, p.rule) for p in result.problems] == [(9, 17, "outdented_body")]


def test_code_after_the_last_step_that_names_nothing_of_it_stays_the_sections(tmp_path: Path) -> None:
    page = MD + (
        "1. **Create** a token for the bot.\n2. **Store** it in `notify-secret`.\n\n"
        "The bot then answers with its status:\n\n```yaml\nstatus: ready\n```\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_code_after_a_sub_list_at_the_steps_own_column_is_the_steps_not_the_last_sub_items(
    tmp_path: Path,
) -> None:
    # the sub-items name the placeholders the step's code then holds; the code stands at the
    # step's own column after them, where it belongs: nothing fell out of anything
    page = RST + (
        "#. **Edit** the ``[auth]`` section. Replace:\n\n"
        "   - ``AUTH_PASSWORD`` with the password you chose\n"
        "   - ``AUTH_HOST`` with the address of the identity server\n\n"
        "   .. code-block:: ini\n\n      [auth]\n      password=AUTH_PASSWORD\n      host=AUTH_HOST\n\n"
        "#. **Restart** the service.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_restart_after_a_change_of_marker_names_the_change(tmp_path: Path) -> None:
    # `1)` then `1.`: Markdown starts a new list where the marker changes, and the author typed
    # the new list's numbers from 1 again; the finding says why the list broke
    page = MD + "1) **Drain** the node.\n2) **Stop** it.\n1. **Patch** it.\n2. **Start** it.\n"
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line) == ("numbering_restart", 8)
    assert "`2)` then `1.`" in problem.message and "continue it at 3" in problem.message


def test_a_new_list_numbered_from_0_after_its_lead_in_is_not_a_restart(tmp_path: Path) -> None:
    # the second list counts from 0 on purpose, after a lead-in of its own
    page = RST + (
        "1. **Stop** the agent.\n2. **Start** it again.\n\nAfter that the agent does the rest:\n\n"
        "0. **It checks** the config.\n1. **It reports** to the server.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_list_run_into_its_lead_in_inside_a_note_is_reported(tmp_path: Path) -> None:
    # inside a warning beside the steps, a list right under its lead-in sentence with no blank
    # line: reStructuredText makes a term and a definition of them, in a note as anywhere
    page = RST + (
        "#. **Stop** the old leader.\n#. **Promote** the replica.\n\n"
        ".. warning::\n   Without a leader, a replica is promoted only if:\n"
        "      - it is in sync;\n      - its lag is small.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == [(11, "run_in_list")]


def test_a_note_about_several_items_between_them_is_not_one_items_body(tmp_path: Path) -> None:
    # a warning placed between settings that names three of those above it: it is about the
    # group, where the author put it on purpose, not the body of the last one fallen out
    page = RST + (
        "-  **poll_wait**: seconds between polls.\n-  **lease**: how long the lock lasts.\n"
        "-  **retries**: how long to retry for.\n\n"
        ".. warning::\n    Keep **poll_wait** plus twice **retries** under **lease**.\n\n"
        "-  **backoff**: seconds a standby waits.\n-  **max_lag**: the most a follower may lag.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []
    page = RST + (
        "-  **poll_wait**: seconds between polls.\n-  **lease**: how long the lock lasts.\n\n"
        ".. warning::\n    Never set **lease** under ten seconds.\n\n"
        "-  **backoff**: seconds a standby waits.\n"
    )
    (tmp_path / "one").mkdir()
    assert rules(handbook(tmp_path / "one", {"p.rst": page})) == [(9, "outdented_body")]


def test_a_list_carried_on_twice_is_compared_with_the_number_its_step_shows(tmp_path: Path) -> None:
    # rST: the code of step 1 and the bullets of the next step are indented 2 columns where
    # `1. ` needs 3; the author numbered the steps 1, 3, 4, counting the fallen-out code as a
    # step. The step typed `3.` is read as 2, and the list that then starts at `4.` carries it
    # on: it is not a gap after step 2 (a finding at the wrong line, naming a step not missing)
    page = RST + (
        "After the upgrade:\n\n1. Check that the pods run:\n\n  .. code-block:: bash\n\n"
        "    kubectl get pods\n\n3. Run the smoke tests:\n\n  - log in\n  - post a message\n\n"
        "4. Watch the dashboards.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert [(p.rule, p.line, p.related) for p in result.problems] == [
        ("outdented_body", 10, (14,)),
        ("outdented_sublist", 16, (19,)),
    ]
    (runbook,) = result.runbooks
    assert [s.number for s in runbook.steps] == ["1", "2", "3"]
    assert [s.text for s in runbook.steps[1].substeps] == ["log in", "post a message"]


def test_a_note_after_the_sub_list_a_last_step_announced_is_not_that_step_s(tmp_path: Path) -> None:
    # the last step ends with a colon and its options, indented 2 columns where `3. ` needs 3,
    # fell out of it (one finding); the caution after them, at the margin, is about the whole
    # backup: what the colon announced came already, so the caution is not the step's body
    page = RST + (
        "To back up the server:\n\n1. Dump the database.\n\n2. Copy the settings folder.\n\n"
        "3. Copy the uploaded files, in one of these ways:\n\n"
        "  - from the local folder\n  - from the bucket\n\n"
        ".. note::\n\n   Stop the server while the backup runs.\n\nTo restore, copy them back.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert [(p.rule, p.line) for p in result.problems] == [("outdented_sublist", 14)]
    (runbook,) = result.runbooks
    assert "Stop the server" not in runbook.steps[2].text


@pytest.mark.parametrize("number", ["{n}\\.", "**{n}\\.**"], ids=["escaped", "escaped-in-bold"])
def test_steps_numbered_by_hand_with_an_escaped_dot_are_no_stray_steps(tmp_path: Path, number: str) -> None:
    # a backslash before each number's dot keeps Markdown from making a list: the author numbers
    # the steps by hand so that the commands between them need no indent. On purpose: no
    # finding, and the steps are still the runbook's, in their order
    steps = "".join(
        f"{number.format(n=n)} {text}\n\n```\n{command}\n```\n\n"
        for n, text, command in [
            (1, "Stop the mail stack:", "compose down"),
            (2, "Move the volume:", "rsync -a old/ new/"),
            (3, "Start it again:", "compose up -d"),
        ]
    )
    result = handbook(tmp_path, {"p.md": MD + steps})
    assert result.problems == []
    (runbook,) = result.runbooks
    assert [(s.number, s.text.split(":")[0]) for s in runbook.steps] == [
        ("1", "Stop the mail stack"), ("2", "Move the volume"), ("3", "Start it again")
    ]  # fmt: skip


def test_steps_numbered_as_paragraphs_without_an_escape_are_still_reported(tmp_path: Path) -> None:
    # the same steps typed "1 Stop ..." (no dot): a slip, reported once for the run
    steps = "1 Stop the mail stack.\n\n```\ncompose down\n```\n\n2 Start it again.\n"
    result = handbook(tmp_path, {"p.md": MD + steps})
    assert [(p.rule, p.line, p.end_line) for p in result.problems] == [("stray_step", 6, 12)]


def test_a_new_list_after_a_rule_across_the_page_is_not_a_restart(tmp_path: Path) -> None:
    # a horizontal rule, then a paragraph about another case, then its own steps from 1: two
    # procedures the author set apart, not one list restarted by mistake
    page = MD + (
        "1. **Remove** the old plugin.\n2. **Link** the existing accounts:\n\n"
        "    ```sql\n    UPDATE accounts SET linked = 1;\n    ```\n\n---\n\n"
        "When the accounts were never linked before, the same names can be joined by hand.\n\n"
        "1. **Run** the join query.\n2. **Log in** once as each user.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_bullets_at_the_margin_that_the_last_step_announces_are_its_detached_list(tmp_path: Path) -> None:
    # the last step ends "It covers:" and what it covers follows at the margin: a list of the
    # step's, not indented under it, so the page shows it after the steps, apart from its step
    page = RST + (
        "Getting the review takes three steps:\n\n1. **Collect** the diagnostics bundle.\n\n"
        "2. **Send** it to the support desk.\n\n3. **Read** the report you get back. It covers:\n\n"
        "- how the cluster is doing now\n- what to change first\n\nAsk us if anything is unclear.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert [(p.rule, p.line) for p in result.problems] == [("detached_substeps", 14)]
    assert "**Read**" in result.problems[0].message


def test_bullets_at_the_margin_after_a_last_step_that_announces_nothing_stay_prose(tmp_path: Path) -> None:
    page = RST + (
        "1. **Collect** the diagnostics bundle.\n\n2. **Send** it to the support desk.\n\n"
        "- the desk answers within a day\n- urgent cases go to the on-call phone\n"
    )
    assert handbook(tmp_path, {"p.rst": page}).problems == []


@pytest.mark.parametrize("markup", ["md", "rst"])
def test_a_steps_whole_body_at_the_margin_is_one_finding_with_one_fix(tmp_path: Path, markup: str) -> None:
    # the step's bullets and then its note were both typed at the margin, and the numbered
    # list carries on after them: one stretch fell out of the step, and indenting it all is
    # the fix; not a detached list and an outdented note as two problems
    note = (
        "```{note}\nKeep the copy until the run ends.\n```\n"
        if markup == "md"
        else (".. note::\n\n   Keep the copy until the run ends.\n")
    )
    first = (
        "1. **Stop the writer**.\n2. **Copy the data**:\n"
        if markup == "md"
        else ("#. **Stop the writer**.\n#. **Copy the data**:\n")
    )
    page = (
        (MD if markup == "md" else RST)
        + first
        + "\n- the tables\n- the indexes\n\n"
        + note
        + ("\n3. **Start the writer**.\n")
    )
    result = handbook(tmp_path, {f"p.{markup}": page})
    assert [(p.rule, p.line) for p in result.problems] == [("outdented_body", 9)]
    assert "lines 9-14" in result.problems[0].message and "by 3 spaces" in result.problems[0].message
    steps = result.runbooks[0].steps
    assert [s.title for s in steps] == ["Stop the writer", "Copy the data", "Start the writer"]
    assert [s.text for s in steps[1].substeps] == ["the tables", "the indexes"]


def test_bullets_at_the_margin_after_an_announcing_step_alone_stay_a_detached_list(tmp_path: Path) -> None:
    page = MD + "1. **Stop the writer**.\n2. **Copy the data**:\n\n- the tables\n- the indexes\n"
    result = handbook(tmp_path, {"p.md": page})
    assert [(p.rule, p.line) for p in result.problems] == [("detached_substeps", 9)]


def test_steps_numbered_with_a_dash_are_a_procedure_the_page_shows_as_paragraphs(tmp_path: Path) -> None:
    # "1- Open ..." is no list marker in Markdown or rST: the three steps are paragraphs with
    # numbers in front, one cause, reported once over the lines they take
    page = (
        "# Setup\n\n## Limit who may create groups\n\nTo limit it:\n\n"
        "1- Open the settings file of the instance.\n\n2- Add the variable that names the role.\n\n"
        "3- Restart the web service.\n"
    )
    result = _first_run(tmp_path, page)
    assert [(p.rule, p.line, p.end_line) for p in result.problems] == [("stray_step", 7, 11)]
    assert "steps 1-3 are numbered paragraphs" in result.problems[0].message


def test_a_number_a_dash_and_more_numbers_are_no_steps(tmp_path: Path) -> None:
    # ranges and counts at the start of a line ("5 - 10 minutes", "2- 3 replicas") are prose
    page = (
        "# Sizing\n\n## How long it takes\n\nThe job takes\n\n5 - 10 minutes on a small site.\n\n"
        "2- 3 replicas are enough for most sites, and\n\n1- 2 hours later the index is complete.\n"
    )
    assert _first_run(tmp_path, page).problems == []


@pytest.mark.parametrize("where", ["first paragraph", "second paragraph"])
def test_a_standards_number_wrapped_onto_a_line_of_a_bullet_is_no_folded_step(
    tmp_path: Path, where: str
) -> None:
    # "... the conventions of RFC / 7. As said above ...": the sentence wraps after a name and
    # its number lands at the line's start; a bullet has no number that 7 could go on from
    opening = "" if where == "first paragraph" else "is a checker.\n\n  It "
    page = (
        "Tools\n=====\n\nThere are tools to check the code.\n\n"
        f"* `lint` {opening}checks the code against the conventions of RFC\n"
        "  7. As said above, only run it on the main branch to avoid\n  conflicts.\n\n"
        "* `fmt` formats the code.\n\n* `types` checks the types.\n"
    )
    assert _first_run(tmp_path, page, "index.rst").problems == []


def test_steps_counted_from_one_folded_into_a_bullet_are_still_stray(tmp_path: Path) -> None:
    page = (
        "Restore\n=======\n\nTo restore:\n\n- Check the backup exists.\n"
        "- To restore the data, do this\n  1. Stop the writer.\n  2. Copy the files back.\n"
    )
    result = _first_run(tmp_path, page, "index.rst")
    assert [(p.rule, p.line) for p in result.problems] == [("stray_step", 8), ("stray_step", 9)]


def test_a_last_steps_body_at_the_margin_is_reported_once_not_again_past_other_blocks(tmp_path: Path) -> None:
    # the last step announces a command and the command fell out at the margin: that is one
    # finding. Further down, past a heading in bold, prose and a list of files, another example
    # is the page's, not the step's body a second time
    page = MD + (
        "1. **Configure** the services.\n2. **Adjust** the settings.\n3. **Test** the app for errors:\n\n"
        "```bash\napp run\n```\n\n**Build the assets:**\n\nBuild them first:\n\n"
        "```bash\napp assets build\n```\n\n"
        "If it works, lock them and commit the result:\n\n"
        "- `a.lock` with one tool\n- `b.lock` with the other\n\n"
        "Then build the image with the lock file.\n\n```text\nCOPY a.lock ./\nRUN install --frozen\n```\n\n"
        "Run the lock again when the assets change.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert [(p.rule, p.line, p.end_line) for p in result.problems] == [("outdented_body", 10, 12)]
    assert "app run" in result.runbooks[0].steps[2].text and "COPY" not in result.runbooks[0].steps[2].text


def test_a_number_with_lettered_points_on_its_line_is_an_outline_not_two_markers(tmp_path: Path) -> None:
    # "3.  a) On success ... / b) On error ...": point 3 is made of the lettered points, on
    # purpose; removing the number, as an empty item's fix says, would break the list
    page = (
        "States\n======\n\nA request goes through these states.\n\n1.  The user clicks the button.\n"
        "2.  The script disables the button.\n3.  a) On success the page is updated.\n"
        "    b) On error a message is shown.\n4.  The button is enabled again.\n"
    )
    assert _first_run(tmp_path, page, "index.rst").problems == []


def test_a_number_with_two_bullets_under_it_from_its_line_is_a_step_made_of_them(tmp_path: Path) -> None:
    # "2. * show them … / * or save them …": step 2 is its two bullets, two ways to do it, on
    # purpose; a number typed over a single bullet is still a marker typed twice
    page = (
        "# Failed requests\n\nTo see the requests that failed:\n\n"
        "1. Go to the folder of the logs.\n"
        "2. * Show them on the screen with `grep -l failed *`.\n"
        "   * Or save them with `grep -l failed * > failed.txt`.\n"
    )
    assert _first_run(tmp_path, page).problems == []
    (tmp_path / "one").mkdir()
    single = page.replace("   * Or save them with `grep -l failed * > failed.txt`.\n", "3. Fix each one.\n")
    found = _first_run(tmp_path / "one", single).problems
    assert [(p.rule, p.line) for p in found] == [("empty_item", 6)]


def test_parts_of_a_step_numbered_as_on_paper_run_into_its_text(tmp_path: Path) -> None:
    # "3.1 …" and "3.2 …" typed under step 3: no markup reads them as items, so the page runs
    # them into step 3's text; one finding at the first, naming both
    page = (
        "# After the install\n\nDo these once the server is up:\n\n1. Change the admin password.\n"
        "2. Turn on the feeds.\n3. Set up the accounts.\n3.1 Name a site admin and an org admin\n"
        "3.2 Add the other users with their roles\n4. Name your organisation.\n"
    )
    (problem,) = _first_run(tmp_path, page).problems
    assert (problem.rule, problem.line) == ("stray_step", 8)
    assert "lines 8, 9 of step 3 open with `3.1`, `3.2`" in problem.message
    # parts written as paragraphs of their own, each after a blank line, show as numbered
    (tmp_path / "paragraphs").mkdir()
    apart = page.replace("accounts.\n3.1 Name", "accounts.\n\n   3.1 Name").replace(
        "admin\n3.2", "admin\n\n   3.2"
    )
    assert _first_run(tmp_path / "paragraphs", apart).problems == []
    # a step that gives a size with a decimal is no part of it
    (tmp_path / "size").mkdir()
    sized = page.replace(
        "3.1 Name a site admin and an org admin\n3.2 Add the other users with their roles\n",
        "3.5 GB is enough for them.\n",
    )
    assert _first_run(tmp_path / "size", sized).problems == []


def test_a_bullet_before_a_number_on_one_line_is_still_an_empty_item(tmp_path: Path) -> None:
    page = "Upgrade\n=======\n\nTo upgrade:\n\n* 1. Check the version you run.\n* 2. Read the notes.\n"
    result = _first_run(tmp_path, page, "index.rst")
    assert [(p.rule, p.line) for p in result.problems] == [("empty_item", 6), ("empty_item", 7)]


def test_an_rst_sentence_set_one_column_past_its_step_after_code_is_reported(tmp_path: Path) -> None:
    # a step's follow-up sentence typed at column 4 under "#. " (text at 3), after a "::" block
    # of code at 6: rST reads it, and the command under it, as more of that code; one finding
    # at the sentence, and nothing is lost from the step
    page = RST + (
        "#. **Pull the strings**::\n\n      tx pull --all\n\n"
        "    Then compare the counts with the new folders::\n\n        git status\n\n"
        "   Add the new ones.\n\n#. **Compile** the catalogue.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(10, "indented_body")]
    (problem,) = result.problems
    assert "1 space further than the text of the step at line 6 (column 3)" in problem.message
    assert "more of the code block above it" in problem.message
    (runbook,) = result.runbooks
    assert "compare the counts" in runbook.steps[0].text and len(runbook.steps) == 2


def test_an_rst_paragraph_set_two_columns_past_its_step_is_reported_as_a_quotation(tmp_path: Path) -> None:
    page = RST + (
        "#. **Pull the strings** from the translation service.\n\n"
        "     Compare the counts with the new folders.\n\n#. **Compile** the catalogue.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(8, "indented_body")]
    (problem,) = result.problems
    assert "2 spaces further" in problem.message and "as a quotation" in problem.message
    (runbook,) = result.runbooks
    assert "Compare the counts" in runbook.steps[0].text


def test_a_quotation_set_in_under_its_own_lead_in_is_meant(tmp_path: Path) -> None:
    # "The reply to post:" and the reply set in two columns under it: the lead-in announces a
    # quotation, which the author set in on purpose; no finding, and the quote stays in the step
    page = RST + (
        "#. **Tell the requester** the window is closed. The reply to post:\n\n"
        "     We have paused deploys until the freeze ends on Monday.\n\n#. **Close** the ticket.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == []
    (runbook,) = result.runbooks
    assert "paused deploys" in runbook.steps[0].text and len(runbook.steps) == 2
    # the same quote under a sentence that announces nothing is still a slip, and so is a
    # paragraph set in under a bold label that ends in a colon, the item's name, not a lead-in
    (tmp_path / "slip").mkdir()
    slipped = page.replace("The reply to post:", "Post the reply.")
    assert rules(handbook(tmp_path / "slip", {"p.rst": slipped})) == [(8, "indented_body")]
    (tmp_path / "label").mkdir()
    labelled = RST + (
        "#. **Per node**:\n\n     Set the override on the node itself.\n\n"
        "#. **Per group**: set it on the group.\n"
    )
    assert rules(handbook(tmp_path / "label", {"p.rst": labelled})) == [(8, "indented_body")]


def test_every_item_of_a_list_set_in_alike_is_one_finding_naming_each_line(tmp_path: Path) -> None:
    # the author's habit, not a slip per item: each setting's explanation typed at column 4
    # under "* " (text at 2); one finding for the list, naming each place, not one per item
    page = RST + (
        "The reload hook reads these keys:\n\n"
        "* timeout\n\n    How long the hook waits for the proxy.\n\n"
        "* retries\n\n    How often it asks again before it gives up.\n\n"
        "* target\n\n    Which pool it drains first.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(10, "indented_body")]
    (problem,) = result.problems
    assert problem.related == (14, 18)
    assert "lines 10, 14 and 18" in problem.message and "each indented 2 spaces further" in problem.message
    # items set in by different amounts are different slips: one finding each
    uneven = page.replace("    How often", "   How often")
    (tmp_path / "uneven").mkdir()
    assert rules(handbook(tmp_path / "uneven", {"p.rst": uneven})) == [
        (10, "indented_body"),
        (14, "indented_body"),
        (18, "indented_body"),
    ]


def test_code_indented_past_a_later_line_of_code_is_no_finding(tmp_path: Path) -> None:
    page = RST + "#. **Edit the unit**::\n\n        Restart=always\n    [Install]\n\n#. **Reload** it.\n"
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


@pytest.mark.parametrize(
    "quote",
    [
        "      Keep the old catalogue until the new one is live.\n\n      -- the release guide\n",
        "         Keep the old catalogue until the new one is live.\n",
    ],
    ids=["with-an-attribution", "set-in-further"],
)
def test_an_rst_quotation_meant_as_one_is_no_finding(tmp_path: Path, quote: str) -> None:
    page = RST + "#. **Pull the strings**.\n\n" + quote + "\n#. **Compile** the catalogue.\n"
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_markdown_reads_a_paragraph_set_past_its_step_as_the_step_s_own(tmp_path: Path) -> None:
    page = MD + "1. **Pull the strings**.\n\n    Then check them.\n\n2. **Compile** the catalogue.\n"
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_an_rst_sub_list_set_one_column_past_its_item_is_no_finding(tmp_path: Path) -> None:
    # rST quotes it too, but the page shows it as a sub-list set in a little further: authors
    # write it so on purpose all the time, and readers of real handbooks do not count it
    page = RST + "* **In the first repository**:\n\n   1. Make a branch.\n   2. Push it.\n\n"
    page += "* **Open a request**.\n"
    assert "indented_body" not in {rule for _, rule in rules(handbook(tmp_path, {"p.rst": page}))}


def test_an_rst_sub_list_set_past_its_item_is_read_as_its_sub_steps(tmp_path: Path) -> None:
    # the page shows the quoted list as the step's sub-list: the checklist ticks them apart
    page = RST + "#. **In the first repository**:\n\n    #. Make a branch.\n    #. Push it.\n\n"
    page += "#. **Open a request**.\n"
    (runbook,) = handbook(tmp_path, {"p.rst": page}).runbooks
    first, second = runbook.steps
    assert [step.text for step in first.substeps] == ["Make a branch.", "Push it."]
    assert "Make a branch" not in first.text and second.title == "Open a request"


def test_a_fence_closed_by_a_line_with_a_language_swallows_the_text_after_it(tmp_path: Path) -> None:
    # the author meant ``` then ```sql; a fence line with a language cannot close one, so the
    # sentence and the query are code up to the next bare fence
    page = MD + (
        "1. **Open a shell** on the primary:\n\n   ```shell\n   sudo -i\n   ```sql\n"
        "   Then check the replicas.\n   SELECT * FROM pg_stat_replication;\n   ```\n\n"
        "2. **Fail over** if one lags.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    (problem,) = [p for p in result.problems if p.rule == "unclosed_fence"]
    assert (problem.line, problem.related, problem.end_line) == (8, (10,), 12)
    assert "line 10" in problem.message and "```sql" in problem.message and "bare ``` line" in problem.message
    assert [s.title for s in result.runbooks[0].steps] == ["Open a shell", "Fail over"]


def test_a_missing_opening_fence_is_found_where_the_pairs_go_wrong(tmp_path: Path) -> None:
    # the first command lost its opening fence: its closing line opens a code block that holds
    # the prose and the next fence's opening line
    page = MD + (
        "- **Stop the service**:\n\n  systemctl stop api\n  ```\n\n  Then clear the cache:\n\n"
        "  ```bash\n  rm -rf /var/cache/api\n  ```\n\n- **Start the service**.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert [(p.rule, p.line, p.related) for p in result.problems if p.rule == "unclosed_fence"] == [
        ("unclosed_fence", 9, (13,))
    ]


def test_a_closing_fence_set_in_less_than_its_code_is_one_finding_that_says_to_indent_it(
    tmp_path: Path,
) -> None:
    """The fence that closes a sub-step's code typed a column short: it ends the sub-step and
    opens code that swallows the next sub-step. One cause: the fence's finding, with the
    column to indent it to; nothing about the lines after it falling out of the step."""
    page = MD + (
        "1. **Set the tolerations**.\n"
        "   * In the console, paste these values:\n"
        "     ```yaml\n     tolerations:\n       - key: dedicated\n"
        "    ```\n"
        "   * Or give each component its own:\n"
        "     ```yaml\n     manager:\n       tolerations: []\n     ```\n"
        "2. **Install the chart**.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    (problem,) = result.problems
    assert (problem.rule, problem.line) == ("unclosed_fence", 11)
    assert "typed to close the code fence at line 8" in problem.message
    assert problem.message.endswith("indent it to column 5")


def test_a_bare_fence_under_a_closed_one_opens_code_and_closes_nothing(tmp_path: Path) -> None:
    # the code above is closed in its sub-step; the bare fence at the step's column opens code
    # of its own, which the message says as before (no fence above is left for it to close)
    page = MD + (
        "1. **Write the file**.\n   * Its header:\n     ```yaml\n     kind: Config\n     ```\n"
        "   ```\n   Then the body:\n   ```yaml\n   data: {}\n   ```\n"
    )
    (problem,) = [p for p in handbook(tmp_path, {"p.md": page}).problems if p.rule == "unclosed_fence"]
    assert problem.line == 11 and "typed to close" not in problem.message


@pytest.mark.parametrize(
    "code",
    [
        "````markdown\n   ```bash\n   make\n   ```\n   ````",  # a longer fence shows a fence as code
        "~~~markdown\n   ```bash\n   make\n   ```\n   ~~~",  # so does a fence of tildes
        "```bash\n   make\n       ```bash\n   ```",  # indented four more: code, not a fence
    ],
)
def test_a_fence_shown_as_code_inside_another_is_no_finding(tmp_path: Path, code: str) -> None:
    page = MD + f"1. **Write the readme** like this:\n\n   {code}\n\n2. **Push it**.\n"
    assert "unclosed_fence" not in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


def test_a_fence_with_a_language_in_an_rst_literal_block_is_code(tmp_path: Path) -> None:
    page = RST + "#. **Write the page** in Markdown::\n\n      ```\n      ```bash\n      make\n\n"
    page += "#. **Push it**.\n"
    assert "unclosed_fence" not in {rule for _, rule in rules(handbook(tmp_path, {"p.rst": page}))}


def test_an_unclosed_fence_beside_lists_that_are_no_procedure_is_found(tmp_path: Path) -> None:
    page = (
        "# Service\n\n## Settings\n\nSet them in the config:\n\n```yaml\nport: 8080\n```yaml\n"
        "level: info\n```\n\nThe settings are:\n\n- the port, 8080 by default\n"
        "- the log level, info by default\n"
    )
    problems = _first_run(tmp_path, page).problems
    assert [(p.rule, p.line) for p in problems] == [("unclosed_fence", 7)]


def test_a_sub_list_set_in_one_column_with_another_bullet_is_the_step_s_sub_list(tmp_path: Path) -> None:
    # `` * `` under ``- ``: past the step's bullet, short of its text; with another bullet
    # CommonMark starts a new list there, which the page shows as a list of its own between
    # the steps, where the author set it in as the step's sub-list
    page = MD + (
        "- **Disable the agent** on the node:\n * run `agentctl disable db1`\n"
        "- **Stop the service**.\n- **Upgrade the packages**.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(7, "outdented_sublist")]
    assert "indent it by 1 space more" in result.problems[0].message
    (runbook,) = result.runbooks
    assert [step.title for step in runbook.steps] == [
        "Disable the agent",
        "Stop the service",
        "Upgrade the packages",
    ]
    assert [sub.text for sub in runbook.steps[0].substeps] == ["run agentctl disable db1"]


def test_a_markdown_sub_list_set_four_columns_past_its_step_shows_as_code(tmp_path: Path) -> None:
    # after a blank line, CommonMark reads a block set four columns or more past the item's
    # text as indented code: the page shows the dashes and the words in a code box
    page = MD + (
        "- **Stop the writers** first:\n\n      - the API workers on every node\n"
        "      - the nightly import job on the batch host\n\n- **Back up** the database.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(8, "indented_body")]
    (problem,) = result.problems
    assert "4 spaces further than the text of the step at line 6 (column 2)" in problem.message
    assert "as code" in problem.message and "indent it by 4 spaces less" in problem.message


def test_a_fence_set_four_columns_past_its_step_shows_its_backticks_as_code(tmp_path: Path) -> None:
    # the fence is read as indented code: the page shows the backticks and the language as the
    # first line of the code, and a closing line of backticks after it
    page = MD + (
        "- **Watch the pods** come back:\n\n        ```shell\n        kubectl get pods -w\n"
        "        ```\n\n- **Tell the channel** the restart is done.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(8, "indented_body")]
    (problem,) = result.problems
    assert (
        "fenced code block is indented 6 spaces further than the text of the step at line 6"
        in problem.message
    )
    assert "indent it by 6 spaces less" in problem.message


@pytest.mark.parametrize("first_run", [False, True], ids=["declared", "first-run"])
def test_a_fence_one_column_short_of_its_step_is_one_finding_the_step_s(
    tmp_path: Path, first_run: bool
) -> None:
    # `1.   ` puts the step's text at column 5: a fence set in 4 falls out of the step and,
    # where it lands, is indented code; one cause, one finding: the step's, which says to
    # indent it one more space (removing the 4 spaces would leave the list split)
    steps = "1.   **Stop it**:\n\n    ```\n    svc stop\n    ```\n\n2.   **Start it**.\n3.   **Check it**.\n"
    if first_run:
        result = _first_run(tmp_path, "# Ops\n\n## Restart\n\n" + steps)
        line = 7
    else:
        result = handbook(tmp_path, {"p.md": MD + steps})
        line = 8
    assert [(p.line, p.rule) for p in result.problems] == [(line, "outdented_body")]
    assert "indent them by 1 space more" in result.problems[0].message


def test_a_fence_set_four_columns_in_outside_any_list_shows_its_backticks_as_code(tmp_path: Path) -> None:
    page = MD + (
        "Before you start, save the state:\n\n    ```\n    apictl dump\n    ```\n\n"
        "1. **Restart the service**.\n2. **Check it** answers.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(8, "indented_body")]
    assert "remove the 4 spaces before its fences" in result.problems[0].message


@pytest.mark.parametrize(
    "code",
    [
        "   ````markdown\n   ```bash\n   make\n   ```\n   ````\n",  # a fence shown in a fence, on purpose
        "   ```\n   make\n   ```\n",  # a fence at the step's text
        "      ```\n      make\n      ```\n",  # three columns past it: still a fence
    ],
    ids=["fence-in-fence", "at-the-text", "three-past"],
)
def test_a_fence_markdown_reads_as_one_is_no_indented_body(tmp_path: Path, code: str) -> None:
    page = MD + f"1. **Build it**:\n\n{code}\n2. **Push it**.\n"
    assert "indented_body" not in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


@pytest.mark.parametrize(
    "code",
    [
        "          - name: web\n            port: 80\n",  # YAML: a list of settings
        "          - make test\n          - make docs\n",  # a list of short commands
        "          1. not a step, an example of one\n          port = 80\n",  # not all items
    ],
    ids=["yaml", "commands", "mixed"],
)
def test_indented_code_that_is_no_sub_list_is_no_finding(tmp_path: Path, code: str) -> None:
    page = MD + f"1. **Write the file**:\n\n{code}\n2. **Apply it**.\n"
    assert "indented_body" not in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


def test_a_sub_list_shown_as_code_beside_lists_that_are_no_procedure_is_found(tmp_path: Path) -> None:
    page = (
        "# Service\n\n## Features\n\nIt offers:\n\n- **Resumable uploads** of large files:\n\n"
        "      - files are split into parts sent side by side\n      - a failed part is sent again alone\n\n"
        "- **Previews** of pictures before they are sent\n"
    )
    problems = _first_run(tmp_path, page).problems
    assert [(p.rule, p.line) for p in problems] == [("indented_body", 9)]


def test_a_fence_never_closed_that_runs_over_the_next_heading_is_found(tmp_path: Path) -> None:
    # the closing fence was forgotten: the next section, heading and all, is code on the page
    page = MD + (
        "1. **Allow the site** in the bucket's sharing rules:\n\n"
        '```json\n[\n  {"AllowedOrigins": ["*"]}\n]\n\n## Other providers\n\n'
        "Ask your provider for the same rule.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    (problem,) = [p for p in result.problems if p.rule == "unclosed_fence"]
    assert (problem.line, problem.related) == (8, (13,))
    assert "never closed" in problem.message and "heading at line 13" in problem.message


def test_a_fence_left_open_at_the_end_of_a_page_over_code_only_is_no_finding(tmp_path: Path) -> None:
    # the page shows it as meant: the code runs to the end of the page, and it is all code
    page = MD + "1. **Check the service**:\n\n```shell\nsystemctl status api\n\n# and its log\n"
    page += "journalctl -u api\n"
    assert "unclosed_fence" not in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


def test_fences_of_a_sub_step_are_read_at_the_sub_step_s_depth(tmp_path: Path) -> None:
    # a sub-step's fence is set five columns in: its pairs are read there as at the margin, so a
    # Markdown heading shown inside its closed code is no finding, and a fence it fails to
    # close is one
    closed = "     ```markdown\n     Intro\n\n     ## Usage\n\n     Run it.\n     ```\n"
    unclosed = "     ```shell\n     psql\n     ```sql\n     SELECT 1;\n     ```\n"
    for code, expected in ((closed, set()), (unclosed, {"unclosed_fence"})):
        page = MD + f"1. **Write the docs**:\n   - **The readme**, like this:\n\n{code}\n2. **Push them**.\n"
        folder = tmp_path / str(len(expected))
        folder.mkdir()
        assert {rule for _, rule in rules(handbook(folder, {"p.md": page}))} & {"unclosed_fence"} == expected


def test_indented_code_that_shows_a_fence_is_no_finding(tmp_path: Path) -> None:
    page = MD + "1. **Write the readme**:\n\n           ```bash\n           make\n\n2. **Push it**.\n"
    assert "unclosed_fence" not in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


def test_a_sentence_at_the_margin_that_introduces_its_own_command_is_not_the_last_step_s(
    tmp_path: Path,
) -> None:
    # the last bullet ends on a word ("command.") that can announce code, but the sentence after
    # the list is a lead-in of its own: the code under it is that sentence's, not the bullet's
    page = MD + (
        "- Set the `server_name`.\n"
        "- Add a shared secret, so you can use the `register_user` command.\n\n"
        "Then start the server with this command:\n\n```sh\nserver start --config home.yaml\n```\n"
    )
    assert "outdented_body" not in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


def test_an_example_for_the_whole_list_after_its_last_step_is_not_that_step_s(tmp_path: Path) -> None:
    # the last bullet ends "For example:", but the example sets what another bullet names as
    # code (as a key) and nothing the last one names: it shows the whole list, as the author meant
    page = MD + (
        "- Turn on the replication listener of the main process.\n"
        "- Name the main process in the `instance_map`.\n"
        "- Optionally, set a shared secret for the traffic between workers. For example:\n\n"
        "```yaml\nlisteners:\n  - resources: [replication]\ninstance_map:\n  main: {port: 9093}\n"
        "shared_secret: change-me\n```\n\nRestart the main process afterwards.\n"
    )
    assert "outdented_body" not in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


def test_an_example_after_the_last_step_that_sets_what_it_names_is_still_its_body(tmp_path: Path) -> None:
    # the nearest true case: the example holds what the last bullet names as code
    page = MD + (
        "- Turn on the `replication` listener of the main process.\n"
        "- Set the `shared_secret` for the traffic between workers. For example:\n\n"
        "```yaml\nlisteners:\n  - resources: [replication]\nshared_secret: change-me\n```\n\n"
        "Restart the main process afterwards.\n"
    )
    assert "outdented_body" in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


def test_a_command_that_names_one_other_step_s_file_is_still_the_last_step_s_body(tmp_path: Path) -> None:
    # the last step announces its command ("… for errors:"), which passes the file the first
    # step opened: it uses that file, it is no example of the whole list
    page = MD + (
        "1. Open the `site.cfg` file\n2. Adjust it for production\n"
        "3. Try the web app and the worker for errors:\n\n"
        "```bash\n$ webapp run --extra-files site.cfg\n$ worker run\n```\n\n"
        "**Build the assets:**\n\nBuild them first.\n"
    )
    found = {(rule, line) for line, rule in rules(handbook(tmp_path, {"p.md": page}))}
    assert ("outdented_body", 10) in found


def test_a_command_the_step_names_mid_sentence_is_its_body_at_the_margin(tmp_path: Path) -> None:
    # "run the following command on the other cluster" names what comes, though the sentence
    # goes on past it and ends with no colon: the command at the margin fell out of the step
    page = MD + (
        "* Every peer needs the token. To find its name, run the following command on the other"
        " cluster (east)\n\n```console\n$ kubectl get pool -o name\n```\n\n"
        "Here, `token-east` is the name of the secret.\n\n"
        "* Read the token from the secret and decode it.\n* Create the secret on this cluster.\n"
    )
    problems = handbook(tmp_path, {"p.md": page}).problems
    assert [(p.line, p.end_line, p.rule) for p in problems] == [(8, 10, "outdented_body")]


def test_code_at_the_margin_under_a_last_step_is_reported_though_the_step_s_text_goes_on_after_it(
    tmp_path: Path,
) -> None:
    # the last step announces its command, which sits at the margin; the step's text then
    # goes on at the step's own column: the command cut it off, and indenting the command
    # rejoins both (the paragraph is not reported apart)
    page = MD + (
        "- Run a full update only when you mean to move every package.\n"
        "- On a build server, turn on frozen mode before installing:\n\n"
        "~~~\n$ pkg config set frozen true\n$ pkg install\n~~~\n\n"
        "  Frozen mode needs an up-to-date lock file. Do not turn it on for development.\n\n"
        "## Next\n"
    )
    problems = handbook(tmp_path, {"p.md": page}).problems
    assert [(p.line, p.end_line, p.rule) for p in problems] == [(9, 12, "outdented_body")]


def test_code_at_the_margin_under_a_step_that_announces_nothing_stays_the_page_s(tmp_path: Path) -> None:
    # the nearest false case: the last step announces nothing; the code and the paragraph
    # set in after it are the page's, whatever their columns
    page = MD + (
        "- Run a full update only when you mean to move every package.\n"
        "- Keep the lock file in version control.\n\n"
        "~~~\n$ pkg config list\n~~~\n\n"
        "  The listing shows every setting.\n\n"
        "## Next\n"
    )
    assert "outdented_body" not in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


def test_run_the_following_with_no_noun_announces_the_command_at_the_margin(tmp_path: Path) -> None:
    # "Run the following if you want …": the step names what comes without saying "command",
    # and with no colon; the command at the margin under it is the step's, fallen out of it
    page = MD + (
        "- Run the following if you want to list the sites this account holds, and which of"
        " them are live\n\n```shell\n$ sitectl list\n```\n\n"
        "which prints a table of them.\n"
    )
    problems = handbook(tmp_path, {"p.md": page}).problems
    assert [(p.line, p.rule) for p in problems] == [(8, "outdented_body")]


def test_run_the_following_steps_is_no_command_announced(tmp_path: Path) -> None:
    # the nearest false case: "the following" points at steps to come, not at the code after
    # the list, which the page shows under a sentence of its own
    page = MD + (
        "- Run the following checks before you start, then go on to the next section\n\n"
        "The sites list looks like this:\n\n```shell\n$ sitectl list\n```\n"
    )
    assert "outdented_body" not in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


def test_a_step_that_names_the_following_command_and_holds_it_has_nothing_at_the_margin(
    tmp_path: Path,
) -> None:
    # the nearest false case: the step holds the command it names; the code after the list is
    # the page's, under a sentence of its own
    page = MD + (
        "* Find the pool with the following command on the other cluster\n\n"
        "  ```console\n  $ kubectl get pool -o name\n  ```\n\n"
        "* Create the secret on this cluster.\n\n"
        "```console\n$ kubectl get secret\n```\n"
    )
    assert "outdented_body" not in {rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))}


def test_a_list_of_settings_in_a_section_with_no_procedure_is_still_read_for_its_slips(
    tmp_path: Path,
) -> None:
    # no list here is a procedure, so every list is read for what breaks any list; the
    # settings list is one discover is sure is terms, and its item wrapped deeper still shows
    # as a term and its definition on the page
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "sphinx_incident"]\n', "utf-8")
    (tmp_path / "index.rst").write_text(
        "Mail settings\n=============\n\nThe config file holds these:\n\n"
        "* ``mail_host``: the address of the mail server\n"
        "* ``mail_port``: the port the mail server\n"
        "                 listens on\n"
        "* ``mail_user``: the account it sends as\n\n"
        "The mail server keeps its own logs:\n\n"
        "* Each message gets a line with its id.\n"
        "* Bounced messages are kept for a week.\n",
        "utf-8",
    )
    result = read_handbook(tmp_path, {"incident_lint_scope": "discovered"}, freshenv=True)
    assert [(p.rule, p.line) for p in result.problems] == [("run_in_list", 8)]


def test_items_that_lead_in_to_their_lists_are_run_in_even_when_all_are_written_so(tmp_path: Path) -> None:
    # every item a line ending in a colon over a list indented deeper, no blank line between:
    # rST shows each as a term and its definition, but a line that leads in to a list is an
    # item's text over its sub-items, not a name over its meaning (a glossary, as meant)
    page = RST + (
        "After the upgrade:\n\n"
        "- When the health check passes:\n"
        "    - Keep the new release.\n"
        "    - Delete the old one.\n"
        "- When it fails:\n"
        "    - Switch back to the old release.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == [(9, "run_in_list"), (12, "run_in_list")]


def test_a_table_at_the_margin_is_reported_from_its_top_border(tmp_path: Path) -> None:
    # a step's settings table typed at the margin ends the list; the lines to indent start
    # at the table's top border, which docutils does not number (a fix from the first row
    # would leave the border behind and break the table), for simple and grid tables alike
    for index, table in enumerate(
        (
            "======= =====\nSetting Value\n======= =====\nPort    8443\n======= =====\n",
            "+---------+-------+\n| Setting | Value |\n+=========+=======+\n"
            "| Port    | 8443  |\n+---------+-------+\n",
        )
    ):
        page = RST + "#. **Open** the proxy settings and set:\n\n" + table + "\n#. **Save** them.\n"
        (tmp_path / str(index)).mkdir()
        result = handbook(tmp_path / str(index), {"p.rst": page})
        assert [(p.rule, p.line, p.end_line) for p in result.problems] == [("outdented_body", 8, 12)], table
        assert "lines 8-12" in result.problems[0].message


def test_prose_that_moves_on_or_offers_another_way_without_a_colon_is_no_restart(tmp_path: Path) -> None:
    # "After <one part>, <do the next>." closes one part and opens the next; "Rather than
    # ..., it is also possible to ..." offers another way: the list after either is new
    pages = {
        "moves-on.rst": RST + "#. **Install** the file server.\n#. **Share** the folder.\n\n"
        "After setting up the file server, mount the share on every worker.\n\n"
        "#. **Add** the share to the mount table.\n#. **Mount** it.\n",
        "another-way.rst": RST + "#. **Pick** an image.\n#. **Start** the server from it.\n\n"
        "Rather than letting the scheduler make the disk, it is also possible to make it\n"
        "first, which lets you choose its size.\n\n"
        "#. **Make** the disk.\n#. **Boot** the server from the disk.\n",
        "mid-sentence.rst": RST + "#. **Pick** a region.\n#. **Deploy** there.\n\n"
        "For a test, it is also possible to deploy on a laptop.\n\n"
        "#. **Install** the runtime.\n#. **Run** the local script.\n",
    }
    assert rules(handbook(tmp_path, pages)) == []
    # a sentence of the same part that is no instruction still leaves a restart to report
    (tmp_path / "same").mkdir()
    page = (
        RST
        + "#. **Install** it.\n#. **Share** it.\n\nAfter a while, the share is ready.\n\n#. **Mount** it.\n"
    )
    assert rules(handbook(tmp_path / "same", {"p.rst": page})) == [(11, "numbering_restart")]


def test_a_heading_commented_out_after_the_steps_is_no_outdented_body(tmp_path: Path) -> None:
    # a remark at the margin whose indented text is a section title and its underline: a
    # part of the page put away on purpose (to be written later), not a step's lost lines
    page = RST + (
        "#. **Stop** the agent.\n#. **Upgrade** it.\n\n"
        ".. to do: once the new release is out\n\n   Roll back an upgrade\n   ~~~~~~~~~~~~~~~~~~~~~\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_new_list_after_its_lead_in_and_a_note_is_not_a_restart(tmp_path: Path) -> None:
    # the lead-in ends in a colon and a note follows it before the list: the note belongs to
    # the new part, it does not make the new list a restart
    page = MD + (
        "1. **Rotate the key** on the server.\n2. **Wait** for the status to settle.\n\n"
        "To rotate the key on a cluster of three:\n\n"
        ":::{note}\nPick one server to run every command on.\n:::\n\n"
        "1. **Start the rotation** on the first server.\n2. **Restart** the other two.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_a_command_at_the_margin_of_a_tab_falls_out_of_its_step_at_its_own_line(tmp_path: Path) -> None:
    # a procedure inside a tab of a tab set: what MyST nests is numbered a line too far down,
    # so the step's marker and the command's column were read from the wrong lines and the
    # command at the margin went unreported
    page = MD + (
        "::::{tab-set}\n:::{tab-item} One server\n\n"
        "1. **Stop the service** on the server.\n```\nsystemctl stop app\n```\n"
        "2. **Restore the backup** into the data folder.\n:::\n::::\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(10, "outdented_body")]
    (runbook,) = result.runbooks
    assert [step.title for step in runbook.steps] == ["Stop the service", "Restore the backup"]


def test_a_list_nested_two_boxes_deep_is_read_at_its_own_lines(tmp_path: Path) -> None:
    # a note in a note in a note: each level put the list a line further down; a bullet
    # indented too little under its step is reported on the line it is on
    page = MD + (
        ":::::{note}\n::::{note}\n:::{note}\n"
        "1. **Drain the node**:\n - the web pods\n - the workers\n2. **Reboot it**.\n"
        ":::\n::::\n:::::\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == [(10, "outdented_sublist")]


def test_a_step_typed_with_no_space_after_its_number_is_a_stray_step(tmp_path: Path) -> None:
    # "3.Edit": with no space after the number no markup reads it as an item, so the page
    # shows a paragraph where step 3 should be, after a remark on step 2 or right after it
    remark = "If the file is there already, leave it.\n\n"
    for before, line in (("", 9), (remark, 11)):
        page = MD + (
            "1. Stop the service.\n2. Copy the plugin file.\n\n"
            + before
            + "3.Edit the configuration and enable the plugin.\n\nThen start the service.\n"
        )
        (tmp_path / str(line)).mkdir()
        assert rules(handbook(tmp_path / str(line), {"p.md": page})) == [(line, "stray_step")]
    # a figure written so is no step: "1.5 times", "2.x branch"
    page = MD + "1. Stop the service.\n2. Copy the plugin file.\n\n2.x releases read it too.\n"
    (tmp_path / "figure").mkdir()
    assert rules(handbook(tmp_path / "figure", {"p.md": page})) == []


def test_a_note_at_the_end_of_a_section_is_reported_to_its_closing_fence(tmp_path: Path) -> None:
    # the body the last step lost ends with a note, the last block of its section: the lines
    # to indent run to the note's closing fence, not its opening one (indenting that alone
    # would leave the note unclosed)
    page = (
        "# Upgrading\n\n## Upgrade\n\n1. **Stop the node**.\n2. **Check the version**:\n\n"
        "```\napp --version\n```\n\n```{note}\nEvery node needs it.\n```\n\n## Revert\n\nText.\n"
    )
    (problem,) = _first_run(tmp_path, page).problems
    assert (problem.rule, problem.line, problem.end_line) == ("outdented_body", 8, 14)
    assert problem.message.startswith("lines 8-14 are not indented")


def test_a_last_step_written_as_a_paragraph_is_told_to_become_an_item(tmp_path: Path) -> None:
    # nothing comes after it to restart, and its blank line is there: the message says what
    # the page shows and what to write, no more
    page = MD + "1. Stop the service.\n2. Copy the plugin file.\n\n3.Edit the configuration and enable it.\n"
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert problem.message == (
        "step 3 is not a list item, so it renders as a paragraph after the list; "
        "write it as a list item, `3. ...`"
    )


_ENTRY_TABLE = (
    "  ============  ==========\n  Option        Value\n  ============  ==========\n"
    "  **Zone**      ``{zone}``\n  **Port**      ``53``\n  ============  ==========\n\n"
)


@pytest.mark.parametrize(
    ("lead_in", "first", "found"),
    [
        # a table of an entry's values, then "Save"; the next entry's table, then "Save": the
        # first table stands before the first bullet, where no step could have lost it, so the
        # second leads the action after it as the first does, and is no body of the step before
        ("Add both zones:\n\n", "", []),
        # the nearest true case: each table stands after the step that opens its page, and
        # none before the first step
        (
            "Set up both zones:\n\n- Go to **Zones ‣ Local**.\n\n",
            "- Go to **Zones ‣ Guest**.\n\n",
            [(10, "outdented_body"), (19, "outdented_body")],
        ),
    ],
)
def test_tables_that_each_lead_the_action_after_them_are_the_authors_layout(
    tmp_path: Path, lead_in: str, first: str, found: list[tuple[int, str]]
) -> None:
    between = first or "- Press **Save** and add the next zone.\n\n"
    page = RST + (
        lead_in
        + _ENTRY_TABLE.format(zone="lan")
        + between
        + _ENTRY_TABLE.format(zone="guest")
        + "- Press **Save** and **Apply**.\n"
    ).replace("\n  ", "\n")
    assert rules(handbook(tmp_path, {"p.rst": page})) == found


@pytest.mark.parametrize(
    ("lead_in", "marker", "found"),
    [
        # a quoted requirement over each group of bullets, the first group's too: the layout
        ("> The job must record what it built.\n\n", "-", []),
        # quotations only between the groups, none before the first: a step's, fallen out
        ("What the job does:\n\n", "-", [(11, "outdented_body"), (16, "outdented_body")]),
        # numbered steps typed on after each quotation: remarks that fell out of the steps
        ("> The job must record what it built.\n\n", "1.", [(11, "outdented_body"), (16, "outdented_body")]),
    ],
)
def test_quotations_that_each_lead_the_bullets_after_them_are_the_authors_layout(
    tmp_path: Path, lead_in: str, marker: str, found: list[tuple[int, str]]
) -> None:
    page = MD + (
        lead_in + "- The release job writes a record of each file.\n"
        "- The record names each file by its hash.\n\n"
        "> The record must be signed.\n\n"
        "- A keyless signer signs the record.\n- The signature lands in a public log.\n\n"
        "> Nobody may forge it.\n\n- The signer runs apart from the build.\n"
    ).replace("- ", f"{marker} ")
    assert rules(handbook(tmp_path, {"p.md": page})) == found


def test_code_that_falls_out_of_a_step_inside_a_quotation_is_found(tmp_path: Path) -> None:
    # a checklist set in a quotation ("> * …"), the code of its third step at the quotation's
    # margin: read with the ">" as text, no column in it lined up and nothing was reported
    page = MD + (
        "Then go on with these steps.\n\n> * back up the database first\n"
        "> * create the zones on every node\n> * change the kind in the database:\n>\n"
        "> ```sql\n> UPDATE zone SET kind = 'external';\n> ```\n>\n> * deploy the new configuration\n"
    )
    (found,) = handbook(tmp_path, {"p.md": page}).problems
    assert (found.line, found.rule) == (12, "outdented_body")
    assert "indent them by 2 spaces" in found.message and "carries on at line 16" in found.message
    # the same code set under its step's text, in the quotation: nothing to report
    page = page.replace(
        "> ```sql\n> UPDATE zone SET kind = 'external';\n> ```", ">   ```sql\n>   UPDATE x;\n>   ```"
    )
    (tmp_path / "b").mkdir()
    assert handbook(tmp_path / "b", {"p.md": page}).problems == []


def test_code_under_a_bare_marker_and_a_blank_line_is_told_to_close_the_gap_too(tmp_path: Path) -> None:
    # "1." alone on its line, a blank line, the code at the margin: Markdown ends the item at
    # the blank line, so indenting the code alone leaves the step empty; the fix says so
    page = MD + "Two sample records.\n\n1.\n\n```\nname = one\n```\n\n2.\n\n```\nname = two\n```\n"
    found = handbook(tmp_path, {"p.md": page}).problems
    assert [(p.line, p.rule) for p in found] == [(10, "outdented_body"), (16, "outdented_body")]
    assert all("remove the blank line under the marker of step" in p.message for p in found)
    assert "indent them by 3 spaces" in found[0].message
    # a marker with its text, the code at the margin: indenting is the whole fix
    page = MD + "1. Write the first record\n\n```\nname = one\n```\n\n2. Write the second\n"
    (tmp_path / "b").mkdir()
    (found,) = handbook(tmp_path / "b", {"p.md": page}).problems
    assert "blank line" not in found.message


@pytest.mark.parametrize("bullets", [3, 1])
def test_one_bullet_lists_each_over_its_command_lost_their_commands(tmp_path: Path, bullets: int) -> None:
    # each step a list of one bullet, its command at the margin under it, a remark between:
    # every command fell out of its bullet. One bullet alone over code may caption it: silent
    steps = [
        "- Clone the repository\n\n```\ngit clone x\n```\n\nIt has two parts.\n\n",
        "- Build the command-line tool\n\n```\nmake\n```\n\nThe binary lands in bin.\n\n",
        "- Build the server\n\n```\nmake server\n```\n",
    ]
    page = MD + "".join(steps[:bullets])
    found = rules(handbook(tmp_path, {"p.md": page}))
    assert found == (
        [(8, "outdented_body"), (16, "outdented_body"), (24, "outdented_body")] if bullets > 1 else []
    )


def test_each_lead_in_and_what_it_shows_after_an_announcing_last_step_is_that_steps(
    tmp_path: Path,
) -> None:
    # the last step announces its settings; a remark leads in to the primary's, another
    # sentence to the standby's: both are the step's, and one finding covers them, so that
    # indenting what it names rejoins all of it. The prose after them stays the page's
    page = MD + (
        "1. Stop the sync between the two servers.\n"
        "2. Open the address ranges page:\n\n"
        "With the office network as the example, set this on the primary:\n\n"
        "```\nrange 10.0.0.100 10.0.0.199\n```\n\n"
        "Set this on the standby:\n\n"
        "```\nrange 10.0.0.200 10.0.0.220\n```\n\n"
        "Each server now hands out its own addresses.\n"
    )
    read = handbook(tmp_path, {"p.md": page})
    assert [(p.rule, p.line, p.end_line) for p in read.problems] == [("outdented_body", 9, 19)]
    (runbook,) = read.runbooks
    last = runbook.steps[-1].text
    assert "10.0.0.100" in last and "10.0.0.200" in last and "hands out" not in last


def test_a_lead_in_joined_to_the_last_item_from_the_margin_is_shown_apart_from_its_code(
    tmp_path: Path,
) -> None:
    # the sentence under the last bullet, at the margin with no blank line, leads in to code
    # at the margin: Markdown joins it to the item, so the page shows it inside the item, apart
    # from what it announces. The same sentence indented as the item's is the item's, and the
    # code its body, fallen out
    lead_in = "For example, an account holding this role:\n"
    page = MD + (
        "- Grant **read** to those who check the queue.\n"
        "- Grant **write** to those who drain it.\n" + lead_in + "\n```\nrole: drainer\n```\n"
    )
    (tmp_path / "margin").mkdir()
    result = handbook(tmp_path / "margin", {"p.md": page})
    assert rules(result) == [(8, "joined_line")]
    # the source cannot say whether both are the item's or both follow the list: both fixes
    message = result.problems[0].message
    assert "apart from what it leads in to (line 10)" in message
    assert "indent the block at line 10 to the step's text (column 2)" in message
    assert "put a blank line before line 8" in message
    indented = page.replace(lead_in, "  " + lead_in)
    (tmp_path / "item").mkdir()
    assert rules(handbook(tmp_path / "item", {"p.md": indented})) == [(10, "outdented_body")]


def test_a_list_set_in_four_spaces_after_a_paragraph_is_a_list_the_page_shows_as_code(
    tmp_path: Path,
) -> None:
    # after a paragraph a list set in four spaces continues nothing: CommonMark reads it as
    # indented code, and the page shows a code box of markers. A YAML list set in so is code
    # meant, and so is a single line
    page = (
        "# Backups\n\n## When a backup fails\n\nCheck, in this order:\n\n"
        "    - the disk of the backup host is not full\n"
        "    - the storage credentials have not expired\n\n"
        "The job reads this setting:\n\n"
        "    - name: nightly\n      retain: 7\n"
    )
    result = _first_run(tmp_path, page)
    assert [(p.rule, p.line) for p in result.problems] == [("indented_body", 7)]
    assert "remove the 4 spaces" in result.problems[0].message
    # in a declared runbook, with no discovery: the same finding, once
    declared = (
        MD + "Before you start, check:\n\n    - the disk is not full\n    - the key is valid\n\n1. Restart.\n"
    )
    (tmp_path / "declared").mkdir()
    assert rules(handbook(tmp_path / "declared", {"p.md": declared})) == [(8, "indented_body")]


@pytest.mark.parametrize(
    "item",
    [
        # an item wrapped at the margin throughout: its last line is its own text
        "- The snapshots also need a class of their own, whose purpose is\n"
        "set out in the storage guide.\nIn short, as that guide puts it:\n",
        # a label on the marker's line, its text at the margin under it
        "- Log files:\nLook at the logs of the three services:\n",
    ],
)
def test_a_last_line_at_the_margin_is_the_items_own_when_the_author_wraps_so(
    tmp_path: Path, item: str
) -> None:
    page = MD + "- Install the snapshot controller first.\n" + item + "\n```\nshow this\n```\n"
    assert [rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))] == ["outdented_body"]


def test_code_before_a_sub_list_does_not_make_the_code_after_its_item_a_layout(tmp_path: Path) -> None:
    # code stands before the bullets and after the last one: a command before a list is often
    # its setting up; the code the last bullet announces is still that bullet's
    page = MD + (
        "1. Read the account the directory returns:\n\n"
        '   ```\n   {"cn": "jo"}\n   ```\n'
        "   * Map the fields the handbook needs as follows:\n"
        '   ```\n   {"email": "mail"}\n   ```\n'
    )
    assert [rule for _, rule in rules(handbook(tmp_path, {"p.md": page}))] == ["outdented_body"]


def test_a_bullet_that_captions_the_command_under_it_has_not_lost_the_command(tmp_path: Path) -> None:
    # a step written as a heading, a bullet saying what the command below does, and the
    # command at the margin: the command is the heading's step's, where the author put it, not
    # a body the bullet lost (judged so on first contact; a list of one gives no sign either way)
    page = (
        "# Rotating the key\n\n## Re-encrypt the files\n\n"
        "- for every file that is encrypted now, decrypt it and encrypt it with the new key\n\n"
        '```\nfor f in $(list-encrypted); do reencrypt "$f"; done\n```\n\n'
        "## Remove the old key\n\nDelete it from the vault.\n"
    )
    assert [(p.rule, p.line) for p in _first_run(tmp_path, page).problems] == []


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        # the lead-in of more items typed between two runs of one list: the page shows one list
        (
            "Pin these:\n- actions from outside the team\n- actions with no known publisher\n"
            "Leave these as they are:\n- our own actions\n",
            [(9, "joined_line")],
        ),
        # a remark about the outer item, at its text's column, under the sub-list's last item
        (
            "- **Resize mode**, one of:\n\n  1. `disk`: resize the volume itself.\n"
            "  2. `claim`: change only the claim.\n  The default is `claim`.\n",
            [(10, "joined_line")],
        ),
        # a sentence typed unindented under an item, in the middle of a list: the item's own
        ("- Implement only the calls you need.\nAnswer 404 to the others.\n- Check the token.\n", []),
        # ... and under the last item: a closing remark or more of the item, the source can't say
        ("- keep images until the disk is 85% full\n- evict pods past 90%\nMonitoring alerts at 88%.\n", []),
        # a lead-in under the last item of a numbered list, of bullets set after it at the margin:
        # the step's sub-list set too little, reported as such, or a list after the steps; the
        # sub-list's rule speaks for it, once
        (
            "1. **Maps**, always there.\n2. **Database** limits, when set up.\n"
            "Use the command line when you need to:\n\n- change limits live\n- script them\n",
            [(10, "detached_substeps")],
        ),
        # a lead-in under the last item, of code at the margin: the two are apart on the page
        (
            "- Open a console on the mail host.\n- Clear the unread count.\nFrom the console:\n\n"
            "```\nmail.clear_unread()\n```\n",
            [(8, "joined_line")],
        ),
        # ... whose code is set in as the item's: the item's own lead-in to its own code
        ("1. **Maps**, always there.\n2. **Database** limits.\nSet them so:\n\n   ```\n   on\n   ```\n", []),
        # ... and a line ending in a colon before a heading: nothing after the list it leads in to
        ("- **Maps**, always there.\n- **Database** limits.\nAlso see:\n\n## Limits\n", []),
        # a lead-in under an item whose items follow indented under it: a sub-list of the item
        ("- Send the queries to the router.\nSet these on it:\n    - the network range\n", []),
        # a long line wrapped before a name, the lead-in of the next item running on from it
        (
            "- `--engine` names the engine that reads it back; its name is kept in the backup\n"
            "MANIFEST. Without it, restoring needs this:\n- `--reader` with the command to use.\n",
            [],
        ),
        # the item's own sentence wrapped at the margin: it goes on over the line break
        (
            "- Drain the node and wait until its pods have moved to the\nother nodes of the pool.\n"
            "- Restart the worker.\n",
            [],
        ),
        # a sub-item's own sentence at the sub-list's column, before the sub-list's last item
        (
            "- **Resize mode**, one of:\n\n  1. `disk`: resize the volume.\n  It is the fastest.\n"
            "  2. `claim`: change only the claim.\n",
            [],
        ),
    ],
)
def test_a_sentence_at_the_margin_right_under_an_item_is_joined_to_it(
    tmp_path: Path, items: str, expected: list[tuple[int, str]]
) -> None:
    assert rules(handbook(tmp_path, {"p.md": MD + items})) == expected


def test_a_sentence_under_an_rst_item_is_not_a_markdown_lazy_line(tmp_path: Path) -> None:
    # reStructuredText has no lazy continuation: docutils ends the list there and warns itself
    page = RST + "- keep images until the disk is 85% full\n- evict pods past 90%\n\nMonitoring alerts.\n"
    assert [rule for _, rule in rules(handbook(tmp_path, {"p.rst": page}))] == []


def test_a_mistake_in_a_procedure_under_another_procedure_is_reported_once(tmp_path: Path) -> None:
    # the page's own checklist and the procedure of its subsection are both found; the page's
    # section reads the subsection's lists too, and each named the run-in bullet its own way
    page = (
        "# Node upgrades\n\nBefore you start, make sure you:\n\n"
        "- Tell the team in the channel.\n- Check that the backups of the day ran.\n"
        "- Pause the deploy pipeline.\n\n## When an upgrade stalls\n\n"
        "1. Open the cluster in the portal.\n2. Check the node status:\n"
        "      1. Describe the node:\n"
        "            1. Look for the reason in the output. For example:\n"
        "                              - `eviction blocked`\n"
        "      2. Check the pods.\n3. Resume the upgrade.\n"
    )
    result = handbook(tmp_path, {"p.md": page}, 'incident_lint_scope = "discovered"\n')
    assert rules(result) == [(15, "run_in_list")]
    assert "step 1" in result.problems[0].message


@pytest.mark.parametrize(
    ("last_note", "expected"),
    [
        # the last note only names the command ("… as in this example command."): the command,
        # at the column of the step's text, is the step's, as on every step of the page
        ("   * Give the key a long life, as in this example command.\n", []),
        # a note that leads in to it with a colon takes it: it fell out of that note
        ("   * Give the key a long life with this command:\n", [(11, "outdented_body")]),
    ],
)
def test_a_command_after_a_steps_notes_at_the_steps_column_is_the_steps(
    tmp_path: Path, last_note: str, expected: list[tuple[int, str]]
) -> None:
    page = RST + (
        "#. Create the signing key.\n\n"
        "   * You will be asked for a passphrase.\n" + last_note + "\n"
        "   .. code-block:: bash\n\n       openssl genpkey -out key.pem\n\n"
        "#. Sign the request.\n\n   .. code-block:: bash\n\n       openssl x509 -req -in req.pem\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == expected


def test_a_sub_list_set_a_column_too_far_with_code_after_each_sub_step_reads_as_set_in(
    tmp_path: Path,
) -> None:
    # rST quotes the sub-list, and the code set at the column of its markers, in one block
    # quote: the page shows sub-steps set in a little, and each command at the bullets'
    # column, outside the sub-step that announces it, as when the same sub-list is not quoted
    page = RST + (
        "1. Edit the queue section of the service file\n\n"
        "    * Point the queue at the new broker:\n\n"
        "    .. code-block:: ini\n\n        url = amqp://broker\n\n"
        "    * Turn on the retry policy:\n\n"
        "    .. code-block:: ini\n\n        retries = 5\n\n"
        "2. Restart the service.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert [(p.rule, p.line) for p in result.problems] == [("outdented_body", 10), ("outdented_body", 16)]
    assert "indent them by 2 spaces more" in result.problems[0].message
    (runbook,) = result.runbooks
    first = runbook.steps[0]
    assert [s.text.split("\n")[0] for s in first.substeps] == [
        "Point the queue at the new broker:",
        "Turn on the retry policy:",
    ]
    assert "url = amqp://broker" in first.substeps[0].text
    assert "retries = 5" in first.substeps[1].text


def test_a_quoted_bullet_one_column_past_the_bullets_above_is_one_more_of_them(tmp_path: Path) -> None:
    # the same bullet one column further in than the sub-list above it: rST quotes it, but it
    # is the next sub-step typed a column too far, not a sub-list of the sub-step above, so no
    # "indent it" finding; its code, set where the sub-step's text would be, is its own (no
    # "indent it by 1 more" either: the one slip is the bullet's column)
    page = RST + (
        "#. Configure the database server.\n\n"
        "   * Permit remote access.\n\n"
        "     .. code-block:: console\n\n        # dbctl listen 0.0.0.0\n\n"
        "    * Map each network to a MAC address:\n\n"
        "     .. code-block:: console\n\n        # dbctl set mac-map physnet1:aa:bb\n\n"
        "#. Start the workers.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == []
    (runbook,) = result.runbooks
    subs = runbook.steps[0].substeps
    assert [s.text.split("\n")[0] for s in subs] == [
        "Permit remote access.",
        "Map each network to a MAC address:",
    ]
    assert "mac-map" in subs[1].text


def test_a_list_after_a_lead_in_at_the_margin_is_indented_with_the_lead_in(
    tmp_path: Path,
) -> None:
    # the lead-in paragraph at the margin already ended the step: indenting the list alone
    # changes nothing on the page, so the one finding names everything from the lead-in on,
    # up to the step typed on after it
    page = MD + (
        "1. **Deploy** the proxy with its service off.\n\n"
        "It starts but takes no traffic yet.\n- turn the proxy on\n- keep the service off\n\n"
        "Once it is up\n- look at its dashboard\n- read its logs\n\n"
        "2. **Add** the proxy to the balancer.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(8, "outdented_body")]
    assert "lines 8-14 are not indented" in result.problems[0].message
    assert "indent them by 3 spaces to keep them in step 1" in result.problems[0].message


@pytest.mark.parametrize(
    ("after", "merged"),
    [("- **Push** them.\n", True), ("1. **Push** them.\n", False)],
)
def test_a_joined_lead_in_says_the_lists_merge_only_when_the_next_items_carry_the_list_on(
    tmp_path: Path, after: str, merged: bool
) -> None:
    # a bullet after the lead-in carries the bullet list on; a number starts a list of its own,
    # and the lead-in is still shown inside the item above it
    page = MD + "- **Tag** the image.\n- **Sign** it.\nThen, for our own images:\n" + after
    (problem,) = handbook(tmp_path, {"p.md": page}).problems
    assert (problem.rule, problem.line) == ("joined_line", 8)
    assert ("which join the list above" in problem.message) is merged


def test_a_remark_joined_to_a_sub_list_is_found_in_a_procedure_no_one_declared(tmp_path: Path) -> None:
    # the last line, typed under the last sub-step at its marker's column with no blank line,
    # is set for the outer step; Markdown joins it to the sub-step. Lint found it while the
    # list was not taken for a procedure, and lost it once discover took the list for one
    page = (
        "# Roles\n\n## Add a role\n\nTo add a role, change the following:\n\n"
        "* In the `all` folder:\n\n"
        "   1. Create a file for the role in `module/`.\n"
        "   2. Add the role's switch to `module/variables.tf`.\n"
        "   3. Turn it off for any account that should not have it.\n"
        "   After this, deploy each account to add the role.\n\n"
        "* In the `main.tf` file:\n"
        "   1. Add the role's name to the list of roles.\n"
        "   2. Map each group that needs the role to it.\n"
    )
    result = handbook(tmp_path, {"index.md": page}, 'incident_lint_scope = "discovered"\n')
    assert rules(result) == [(12, "joined_line")]


@pytest.mark.parametrize(
    "sub_list",
    [
        # a line break typed at the end of the item (two spaces): the author broke the line on
        # purpose, and the page shows the next line under it, in the item, as meant
        "  - `enabled`  \n  Checksums are computed every week; this costs disk reads.\n",
        # the same with a backslash
        "  - `enabled`\\\n  Checksums are computed every week; this costs disk reads.\n",
        # the item goes on after the line (its code, set to its text): the line is the item's
        "  - Set the registry address.\n  The chart makes the pull secret from it.\n\n"
        "    ```yaml\n    registry: example.org\n    ```\n",
    ],
    ids=["hard-break", "backslash-break", "item-goes-on"],
)
def test_a_line_under_a_sub_item_that_the_item_holds_on_purpose_is_not_joined(
    tmp_path: Path, sub_list: str
) -> None:
    page = MD + "- **Snapshot checks**\n" + sub_list + "- **Rebuilds**\n  - `fast`\n"
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_what_breaks_any_list_is_checked_in_a_procedure_no_one_declared_too() -> None:
    from sphinx_incident.checking.checks import ANY_LIST, STRUCTURAL

    assert ANY_LIST <= STRUCTURAL


def test_a_checklist_beside_a_sections_procedure_is_checked_as_its_own_entry_reads_it(tmp_path: Path) -> None:
    # discover offers the bullets on their own (a checklist, with an entry naming the list),
    # while the section's reading takes only its numbered procedure: lint read the section
    # and so never the checklist, whose last item announces a command set at the margin
    page = (
        "# Storage\n\n## Bucket access\n\nBefore you start, these things are needed.\n\n"
        "* Access turned on for the cluster that runs the jobs\n"
        "* A service account that can write to the bucket\n"
        "* A policy that lets the jobs act as that account, for example:\n"
        "```bash\ngcloud policy add-binding jobs --role writer\n```\n\n"
        "1. Create the account the jobs run as, and note its name for the settings\n"
        "   of the jobs, which read it at start.\n"
    )
    result = handbook(tmp_path, {"index.md": page}, 'incident_lint_scope = "discovered"\n')
    assert rules(result) == [(10, "outdented_body")]
    (problem,) = result.problems
    assert "'A policy that lets the jobs...'" in problem.message


def test_a_numbered_list_does_not_carry_on_bullets_before_it(tmp_path: Path) -> None:
    # bullets giving the settings a case starts from, a note, then the numbered steps: the
    # numbers start a procedure of their own, so the note is no body the last bullet lost
    page = (
        "Limits\n======\n\nBefore you start, the array has these limits:\n\n"
        "- Read limit: none\n- Write limit: none\n- Spread the load: no\n\n"
        ".. note::\n\n   The block storage side sets its own limits, listed below.\n\n"
        "#. Create the limits with the values above.\n#. Attach them to the volume type.\n"
    )
    result = handbook(tmp_path, {"index.rst": page}, 'incident_lint_scope = "discovered"\n')
    assert rules(result) == []


@pytest.mark.parametrize(
    ("after", "found"),
    [
        # a sentence set as far in as the command, a column past the step's text: rST reads it
        # as more of the code, and the page shows it in the code box
        ("    This creates the tables the counts are kept in, once for each site.\n", True),
        # the command's output, shown as code on purpose: no sentence of prose
        ("    Upgraded tracking-2.1 schema-0.9 summary-1.0 views-3.2 rollups-1.1\n", False),
        # a short word of output
        ("    Done.\n", False),
    ],
    ids=["sentence", "output", "short-output"],
)
def test_a_sentence_set_as_far_in_as_the_code_of_a_step_is_read_as_code(
    tmp_path: Path, after: str, found: bool
) -> None:
    page = (
        RST
        + "1. Add the extension to the configuration file::\n\n    [app:main]\n    plugins = tracking\n\n"
        + "2. Run the migrations of the extension::\n\n    site db upgrade -p tracking\n\n"
        + after
        + "\n3. Set up a job that updates the summary data.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == ([(15, "indented_body")] if found else [])


def test_a_name_with_initials_in_a_bullet_is_one_finding_that_says_to_escape_the_initial(
    tmp_path: Path,
) -> None:
    # rST reads an initial ("H.") at the start of a bullet's text as a lettered list: the page
    # shows an empty bullet. Two initials ("M. O.") open two lists on one line: one mistake
    page = (
        "Sources\n=======\n\n"
        "* A. Writer, B. Other: *A long title of a paper*,\n  a journal, 2025\n"
        "* H. Author: *Hashing*, a meeting, 1994\n"
        "* M. O. Someone: *Prints*, 1981\n"
    )
    result = handbook(tmp_path, {"index.rst": page}, 'incident_lint_scope = "discovered"\n')
    assert rules(result) == [(6, "empty_item"), (7, "empty_item")]
    assert all("escape its dot" in problem.message for problem in result.problems)
    (second,) = [problem for problem in result.problems if problem.line == 7]
    assert "(`M\\.`)" in second.message


def test_a_remark_at_the_margin_after_a_body_set_in_too_little_is_not_the_last_items(tmp_path: Path) -> None:
    # each lettered item's values are set two columns in, one short of its text: the page
    # quotes them. The note after the last item, at the margin, is about the whole example
    page = (
        "Memory\n======\n\nFor example, with a million files:\n\n"
        "a) with the small setting (custom):\n\n  count = 16, usage = 1.5\n\n  total = 1.9\n\n"
        "b) with the default setting:\n\n  count = 5, usage = 0.05\n\n  total = 0.28\n\n"
        ".. note:: There is also an option to turn the cache off.\n"
        "   That saves memory but reads every file.\n"
    )
    result = handbook(tmp_path, {"index.rst": page}, 'incident_lint_scope = "discovered"\n')
    assert rules(result) == [(8, "outdented_body"), (14, "outdented_body")]
    last = max(result.problems, key=lambda problem: problem.line or 0)
    assert (last.end_line, "indented 2 spaces" in last.message) == (16, True)


def test_the_example_between_a_list_of_settings_and_what_to_replace_in_it_is_the_pages(
    tmp_path: Path,
) -> None:
    # the settings the example needs, the example, then what to replace in it: two lists with
    # the page's code between them, not one list split by a block its last setting lost
    page = (
        "Queue\n=====\n\nConfigure the queue\n-------------------\n\n.. tab-set::\n\n"
        "   .. tab-item:: Settings\n\n"
        "      The example below sets every setting of the queue. The required settings are:\n\n"
        "      - :envvar:`QUEUE_ADDRESS`\n      - ``queue.key``\n      - :ref:`format <fmt>`\n\n"
        "      .. code-block:: shell\n\n"
        '         tool config set queue address="HOST" key="KEY" format="FORMAT"\n\n'
        "      - Replace ``HOST`` with the address of the queue.\n"
        "      - Replace ``KEY`` with the key the queue was given.\n\n"
        ".. _fmt:\n\nFormats\n-------\n\nText.\n"
    )
    result = handbook(tmp_path, {"index.rst": page}, 'incident_lint_scope = "discovered"\n')
    assert rules(result) == []


def test_an_example_that_uses_what_two_items_name_is_not_the_last_items_body(tmp_path: Path) -> None:
    # two options, each named as code by its item, then one command that uses both: the
    # example of the two together, set at the margin on purpose before a third option
    page = (
        "Expire\n======\n\nUse the tool to expire old versions and markers:\n\n"
        "- To expire old versions after some days, include ``--old-expire-days``.\n\n"
        "- To expire markers with no versions left, include ``--expire-marker``.\n\n"
        ".. code-block:: shell\n\n   tool rule add ALIAS/PATH --old-expire-days DAYS --expire-marker\n\n"
        "- To expire every version, include ``--expire-all``.\n"
    )
    assert rules(handbook(tmp_path, {"index.rst": page}, 'incident_lint_scope = "discovered"\n')) == []


def test_the_same_list_said_again_after_a_second_example_is_not_the_first_one_split(tmp_path: Path) -> None:
    # "Replace ALIAS ..." under each of two examples: the prose and the second example between
    # them are the page's, not the body of the first list's item
    replace = "- Replace ``ALIAS`` with the alias of the deployment.\n"
    page = (
        'Compress\n========\n\n.. code-block:: shell\n\n   tool config set ALIAS exts=".bin"\n\n'
        + replace
        + "\nThe new list replaces the previous one. To add one, repeat the command with the whole list.\n\n"
        "The following adds ``.pdf`` to the list of the example above:\n\n"
        '.. code-block:: shell\n\n   tool config set ALIAS exts=".bin, .pdf"\n\n' + replace
    )
    assert rules(handbook(tmp_path, {"index.rst": page}, 'incident_lint_scope = "discovered"\n')) == []


def test_a_steps_next_instruction_after_its_sub_list_is_the_steps_own_text(tmp_path: Path) -> None:
    # set at the step's text, after the sub-list of what to replace in the first command, the
    # sentence leads in to the step's second block: the step's own, not the last sub-item's
    page = (
        RST + "#. Back up the tenants.\n\n#. Add the log variables to the tenant's file.\n\n"
        "   Use this command to edit a tenant:\n\n   .. code-block:: shell\n\n"
        "      kubectl edit tenants NAME -n NAMESPACE\n\n"
        "   - Replace ``NAME`` with the name of the tenant.\n"
        "   - Replace ``NAMESPACE`` with its namespace.\n\n"
        "   Add the following values under ``.spec.env`` in the file:\n\n   .. code-block:: yaml\n\n"
        "      - name: LOG_TOKEN\n        value: secret\n\n"
        "   - Replace ``secret`` with the token of the log service.\n\n#. Restart the tenant.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_lead_in_of_a_steps_second_sub_list_is_read_without_failing(tmp_path: Path) -> None:
    # the stretch between the step's two sub-lists is only the second one's lead-in, which
    # leaves nothing to decide about: no finding, and no failure to read the procedure
    page = MD + (
        "1. Create a client for the service.\n2. Turn on the sign-in flows.\n\n"
        "    Flows the command line supports:\n\n    - Code flow with a proof key\n    - Device flow\n\n"
        "    Flows the dashboard supports:\n\n    - Code flow\n    - Code flow with a proof key\n\n"
        "3. Set the allowed return addresses.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


@pytest.mark.parametrize("tasks", ["", 'myst_enable_extensions = ["tasklist"]\n'], ids=["typed", "tasklist"])
def test_a_list_of_plain_bullets_does_not_carry_on_a_task_list(tmp_path: Path, tasks: str) -> None:
    # boxes to tick, a note on them, then a bullet that heads a topic: two lists, and the note
    # is the page's, not the body of the last box
    page = (
        "# Load tests\n\n## Before you test\n\n"
        "* [ ] I have read the guide to the watchdogs\n* [ ] I have turned off the debug logs\n"
        "* [ ] I am watching the logs of the services\n\n"
        "> A note on names: the resolver is known to fail under high load; see the guide.\n\n"
        "* Watchdog differences\n\nRead more on the differences in the docs.\n"
    )
    result = handbook(tmp_path, {"index.md": page}, 'incident_lint_scope = "discovered"\n' + tasks)
    assert rules(result) == []


def test_two_items_typed_with_the_same_words_still_lose_the_code_between_them(tmp_path: Path) -> None:
    # the author copied an item's words for the next one; the command between them, set at
    # the text of the step the sub-list is in, is still the first one's, and splits the list
    page = (
        RST + "#. Create a replicated group.\n\n   * Create a volume type for replication.\n\n"
        "   .. code-block:: console\n\n       cinder type-create rep-vol-1\n\n"
        "   * Create a volume type for replication.\n\n"
        "   .. code-block:: console\n\n       cinder type-key rep-vol-1 set replication=on\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page}))[:1] == [(10, "outdented_body")]


def test_code_an_item_announces_is_its_own_though_it_uses_what_items_before_named(tmp_path: Path) -> None:
    # the secret two items registered appears in the configuration the last item announces
    # ("the properties listed below"): the last item's body, at the margin
    page = MD + (
        "* Run `register recorder SECRET-ONE` and replace `SECRET-ONE` with your own.\n"
        "* Run `register jibri SECRET-ONE` as well.\n"
        "* Go to the settings folder and edit the properties listed below. Leave the rest.\n\n"
        '```\nrecorder {\n    password = "SECRET-ONE"\n}\n```\n\n'
        "* Edit the second file and add the following:\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == [(10, "outdented_body")]


def test_a_snippet_included_at_the_margin_between_steps_is_reported_at_each_include(tmp_path: Path) -> None:
    # the same commands kept in one file and included under a step of two pages, the include
    # typed at the margin: each page's list splits there, and what to indent is each page's
    # include line, not the shared file (indenting that would not mend either page)
    snippet = ".. code-block:: shell\n\n   sudo systemctl stop exampled\n"
    steps = (
        "#. Drain the node.\n\n#. Halt the service.\n\n"
        ".. include:: /parts/halt.txt\n\n3. Edit the settings.\n"
    )
    pages = {
        "parts/halt.txt": snippet,
        "a.rst": RST + steps,
        "b.rst": RST + "Before you start, tell the channel.\n\n" + steps,
    }
    result = handbook(tmp_path, pages)
    found = sorted((p.path, p.line, p.rule) for p in result.problems)
    assert found == [("a.rst", 10, "outdented_body"), ("b.rst", 12, "outdented_body")]
    assert all("with what the include brings in" in p.message for p in result.problems)
    assert all("indent it by 3 spaces to keep it in step 2" in p.message for p in result.problems)


def test_commands_after_a_sub_list_set_where_the_author_sets_every_steps_body_are_the_steps(
    tmp_path: Path,
) -> None:
    # the author sets each step's command four spaces in; under the step with sub-steps the
    # command for all three comes after them at the same column: the page shows it in that
    # step, after its sub-list, as meant, not as a body the last sub-step lost
    page = MD + (
        "1. Make a folder for the data.\n\n    ```\n    mkdir /srv/data\n    ```\n\n"
        "2. Turn on the bridge. This takes three commands:\n\n"
        "   1. Define it.\n   2. Start it.\n   3. Mark it to start at boot.\n\n"
        "    ```\n    virsh net-define br.xml\n    virsh net-start br\n    ```\n\n"
        "3. Check the bridge.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_fields_of_a_second_message_after_its_example_are_a_list_of_their_own(tmp_path: Path) -> None:
    # two messages of an API, each an example and then its fields as bullets: the second
    # field list opens again with the first's name, so the example between is no body the
    # first list's last field lost
    example = "```text\nmessage {name} {{\n  int64 id = 1;\n}}\n```\n\n"
    page = (
        "# Lease calls\n\n"
        + example.format(name="GrantReply")
        + "* `id` - the lease that was granted.\n* `ttl` - how long it lives, in seconds.\n\n"
        + example.format(name="RevokeCall")
        + "* `id` - the lease to revoke; its keys go with it.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page}, 'incident_lint_scope = "discovered"\n')) == []


def test_a_myst_include_at_the_margin_between_steps_is_reported_with_its_fence(tmp_path: Path) -> None:
    # the include's fence, opening and closing line, is what to indent: the finding covers both
    pages = {
        "parts/halt.md": "```shell\nsudo systemctl stop exampled\n```\n",
        "p.md": MD + "1. Drain the node.\n2. Halt the service.\n\n```{include} parts/halt.md\n```\n\n"
        "3. Edit the settings.\n",
    }
    result = handbook(tmp_path, pages, 'exclude_patterns = ["parts"]\n')
    assert [(p.path, p.line, p.end_line, p.rule) for p in result.problems] == [
        ("p.md", 9, 10, "outdented_body")
    ]
    assert "lines 9-10 are not indented" in result.problems[0].message


def test_code_between_two_sub_steps_at_the_steps_body_column_still_falls_out_of_the_first(
    tmp_path: Path,
) -> None:
    # the same column as every step's body, but the sub-list goes on after the code: the code
    # cuts it in two, out of the sub-step that announces it; the last sub-step's code went
    # the same way
    page = MD + (
        "1. Fetch the images for your hosts.\n\n    Pick the file for each host:\n\n"
        "    - **The older hosts**\n\n    ```\n    fetch old.tar\n    ```\n\n"
        "    - **The newer hosts**\n\n    ```\n    fetch new.tar\n    ```\n\n"
        "2. Load the images.\n\n    ```\n    load *.tar\n    ```\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == [(12, "outdented_body"), (18, "outdented_body")]


@pytest.mark.parametrize(
    ("name", "page", "line"),
    [
        (
            "p.rst",
            RST + "#. Turn the swap file on with the helper script.\n\n"
            ".. code-block:: shell\n\n   sudo make-swap --size 4\n\n"
            "Another way\n-----------\n\nThis section tells of another way.\n",
            8,
        ),
        (
            "p.md",
            MD + "1. Once the class exists, create a replica for the volume.\n\n"
            "```console\n$ kubectl apply -f replica.yaml\n```\n\n"
            "## Checking it\n\nThe state says which side leads.\n",
            8,
        ),
    ],
    ids=["rst", "md"],
)
def test_the_code_under_a_procedure_of_one_step_is_that_steps(
    tmp_path: Path, name: str, page: str, line: int
) -> None:
    # a procedure of one numbered step, the command it runs set at the margin under it: there
    # is no other step it could be for, so the step lost it (and the checklist shows no command)
    assert rules(handbook(tmp_path, {name: page})) == [(line, "outdented_body")]


def test_a_remark_under_a_procedure_of_one_step_stays_the_pages(tmp_path: Path) -> None:
    # prose under the one step is the page's, as under any last step; so is code the step
    # already shows
    page = MD + (
        "1. Restart the proxy.\n\n   ```\n   systemctl restart proxy\n   ```\n\n"
        "```\nsystemctl status proxy\n```\n\nIt comes back within a minute.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_a_fenced_note_set_four_columns_past_its_step_shows_its_colons_as_code(tmp_path: Path) -> None:
    # the note is read as indented code: the page shows the colons and the note's name as the
    # first line of a code block, not a note
    page = MD + (
        "1. **Tell the channel** the release starts:\n\n       :::note\n       Starting now.\n"
        "       :::\n\n2. **Run** the publish job.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(8, "indented_body")]
    (problem,) = result.problems
    assert "fenced directive is indented 4 spaces further than the text of the step at line 6" in (
        problem.message
    )


def test_a_fenced_note_at_its_steps_text_is_no_indented_body(tmp_path: Path) -> None:
    page = MD + "1. **Tell the channel**:\n\n   :::{note}\n   Starting now.\n   :::\n\n2. **Run** it.\n"
    assert rules(handbook(tmp_path, {"p.md": page})) == []


@pytest.mark.parametrize(
    "opening",
    [
        '<div class="warning">\n\n<h3>Known limits</h3>\n\n',
        '<aside class="note">\n\n',
        "<h4>Known limits</h4>\n\n",
    ],
    ids=["box-and-heading", "box", "heading"],
)
def test_bullets_in_a_box_or_under_a_heading_of_raw_html_are_no_detached_sub_steps(
    tmp_path: Path, opening: str
) -> None:
    # the author opened a box (or wrote a heading) in HTML after the steps: the bullets in it
    # are the box's, not sub-steps the last step lost
    page = MD + (
        "1. Start the viewer.\n2. Load the logs.\n3. Read them.\n\n"
        + opening
        + "* Pick the right time range.\n* Times are the upload's, not the log's.\n\n</div>\n\n"
        "To read them without the viewer:\n\n1. Download the log file.\n2. Filter it with `jq`.\n"
    )
    assert rules(handbook(tmp_path, {"p.md": page})) == []


def test_code_at_the_margin_under_a_sub_step_is_the_sub_steps_and_the_sub_list_carries_on(
    tmp_path: Path,
) -> None:
    # each sub-step's command is typed at the margin: it ends the whole list, and the next
    # sub-step, set at the sub-list's column, starts a list of its own. The command is the
    # sub-step's (indent it to the sub-step's text, 4 spaces, not to the step's, 2), and the
    # sub-steps after it are still the step's sub-steps, not steps of their own
    page = MD + (
        "- Get the certificates ready.\n"
        "- Prepare the namespace:\n"
        "  - Create the namespace\n"
        "```shell\nkubectl create ns vault\n```\n"
        "  - Store the certificates in a secret:\n"
        "```shell\nkubectl create secret generic vault-tls --from-file=tls.crt\n```\n"
        "- Install the chart.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(9, "outdented_body"), (13, "outdented_body")]
    first, second = sorted(result.problems, key=lambda p: p.line or 0)
    assert "'Create the namespace'" in first.message and "by 4 spaces" in first.message
    assert "'Store the certificates in a secret:'" in second.message and "by 4 spaces" in second.message
    (runbook,) = result.runbooks
    assert [step.title or step.text[:20] for step in runbook.steps] == [
        "Get the certificates",
        "Prepare the namespac",
        "Install the chart.",
    ]
    assert [sub.text[:20] for sub in runbook.steps[1].substeps] == [
        "Create the namespace",
        "Store the certificat",
    ]
    assert "kubectl create ns vault" in runbook.steps[1].substeps[0].text


@pytest.mark.parametrize(
    ("name", "page", "expected"),
    [
        (
            "index.md",
            "# Install\n\n## Steps\n\n### 1. Apply the manifest\n\nRun it.\n\n"
            "### 2. Wait for the webhook\n\nWait.\n\n### 2. Check it end to end\n\nCheck.\n",
            [(13, "numbering_duplicate")],
        ),
        (
            "index.md",
            "# Health\n\n## Indicators\n\n### Overview\n\nText.\n\n### 1. Availability\n\nText.\n\n"
            "### 3. Errors\n\nText.\n\n### Thresholds\n\nText.\n",
            [(13, "numbering_gap")],
        ),
        (
            "index.rst",
            "Translating\n===========\n\n1. Get the files\n----------------\n\nText.\n\n"
            "2. Translate them\n-----------------\n\nText.\n\n3. Commit them\n--------------\n\nText.\n\n"
            "2. Compile them\n---------------\n\nText.\n\n3. Deploy them\n--------------\n\nText.\n",
            [(19, "numbering_duplicate")],
        ),
        (
            "index.md",
            "# Events\n\n## 1) Add the endpoint\n\nText.\n\n## 1) Restart the server\n\nText.\n\n"
            "## 3) Watch the events\n\nText.\n",
            [(7, "numbering_duplicate")],
        ),
        (
            "index.md",
            "# Copy\n\n## 1. Stop\n\nText.\n\n## 2a. Copy the primary\n\nText.\n\n"
            "## 2b. Copy the replica\n\nText.\n\n## 4. Start\n\nText.\n",
            [(15, "numbering_gap")],
        ),
    ],
    ids=["repeat", "skip", "rst-back-to-two", "one-typed-again", "skip-after-lettered-parts"],
)
def test_headings_numbered_out_of_turn_are_found_on_the_first_run(
    tmp_path: Path, name: str, page: str, expected: list[tuple[int, str]]
) -> None:
    # sections typed with step numbers that repeat or skip one: the reader following them
    # meets two parts 2 (or no part 2); one finding at the first heading out of turn
    result = _first_run(tmp_path, page, name)
    assert [(p.line, p.rule) for p in result.problems] == expected
    if "2b." in page:
        assert "numbered 4 after 2b (line 11)" in result.problems[0].message


@pytest.mark.parametrize(
    "headings",
    [
        ["1. Install", "2. Configure", "1. Upgrade", "2. Check"],  # a second sequence, from 1
        ["Before you start", "1. Install", "2. Configure", "Troubleshooting"],
        ["2024 changes", "2025 changes"],  # years, not steps
        ["1.2 Release", "1.4 Release"],  # versions
        [
            "Step 1: Drain",
            "Step 2: Pick the pools",
            "Optional step 3: Resize a pool",
            "Step 4: Update the code",
        ],
        ["Step 0.1", "Step 0.2", "Step 1: Upgrade"],  # steps before the first, numbered apart
        # one step in lettered parts: 2a and 2b are both step 2, and 3 follows them
        ["1. Stop the writers", "2a. Copy the primary", "2b. Copy the replica", "3. Start the writers"],
        ["Step 1: Stop", "Step 2a: Copy the primary", "Step 2b: Copy the replica", "Step 3: Start"],
        [
            "Step 4 - Route it",
            "Step 4(a) - Add an interface",
            "Step 4(b) - Add a NAT rule",
            "Step 5 - Allow it",
        ],
        # one step in two phases, each named so: the author counts them as one
        [
            "Step 2 - Set up the server",
            "Step 3 - Phase 1 clients",
            "Step 3 - Phase 2 clients",
            "Step 4 - Users",
        ],
    ],
    ids=[
        "two-sequences",
        "unnumbered-around",
        "years",
        "versions",
        "optional-step",
        "step-zero-point",
        "lettered-parts",
        "lettered-step-parts",
        "parts-in-brackets",
        "named-phases-of-one-step",
    ],
)
def test_headings_numbered_in_turn_or_not_as_steps_are_no_finding(
    tmp_path: Path, headings: list[str]
) -> None:
    page = "# Guide\n\n" + "".join(f"## {heading}\n\nSome text.\n\n" for heading in headings)
    assert _first_run(tmp_path, page).problems == []


def test_a_lead_in_and_code_after_a_sub_list_ending_on_a_colon_are_still_the_steps(tmp_path: Path) -> None:
    # the last sub-step ends on a colon, but a sentence of its own leads in to the code at the
    # margin: read as the sub-step's, it is no lost body; read as the step's it is, and the
    # stretch is still reported once, for the step
    page = MD + (
        "* Turn off deletion on the volume.\n\n"
        "* Copy the volume's manifest and change it:\n"
        "    * Rename it after the new namespace.\n"
        "    * Drop what the server filled in:\n\n"
        "Your manifest should look like this:\n\n"
        "```yaml\nkind: Volume\nname: shared-team-b\n```\n\n"
        "* Create a claim in the new namespace that names the volume.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(12, "outdented_body")]
    assert "the step 'Copy the volume\u2019s manifest and change...'" in result.problems[0].message
    assert "by 2 spaces" in result.problems[0].message


@pytest.mark.parametrize(
    ("after", "lines"),
    [
        ("Checking it\n-----------\n\nText.\n", "lines 8-11"),
        ("Another part\n============\n\nText.\n", "lines 8-11"),
    ],
    ids=["subsection-next", "section-next"],
)
def test_an_rst_code_block_at_the_margin_is_named_by_all_its_lines_and_no_more(
    tmp_path: Path, after: str, lines: str
) -> None:
    # the directive, its blank line and its code: the fix indents them all (indenting the
    # directive's line alone would leave its code outside it), and not the heading after it
    page = (
        RST
        + "#. Turn the swap file on.\n\n.. code-block:: shell\n\n   make-swap --size 4\n   swapon -a\n\n"
        + after
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(8, "outdented_body")]
    assert result.problems[0].message.startswith(f"{lines} are not indented")


def test_the_code_a_step_lost_after_its_sub_list_stays_the_steps_in_the_checklist(tmp_path: Path) -> None:
    # the stretch is the step's (see the finding above): its code is the step's text in the
    # step list, not the last sub-step's
    page = MD + (
        "* Copy the volume's manifest and change it:\n"
        "    * Rename it after the new namespace.\n"
        "    * Drop what the server filled in:\n\n"
        "Your manifest should look like this:\n\n"
        "```yaml\nkind: Volume\nname: shared-team-b\n```\n\n"
        "* Create a claim in the new namespace that names the volume.\n"
    )
    (runbook,) = handbook(tmp_path, {"p.md": page}).runbooks
    step = runbook.steps[0]
    assert "name: shared-team-b" in step.text
    assert [sub.text for sub in step.substeps] == [
        "Rename it after the new namespace.",
        "Drop what the server filled in:",
    ]


def test_a_lead_in_that_runs_on_into_the_bullets_in_a_note_is_found(tmp_path: Path) -> None:
    # the note's sentence goes on into the bullets under it ("... assume that"), with no blank
    # line between: rST reads the sentence as a term and the bullets as its definition
    page = (
        "Move the mail store\n===================\n\n"
        ".. note::\n\n"
        "   The commands below assume that\n"
        "     - the project is named after the service\n"
        "     - you run them as root\n\n"
        "1. Stop the mail server.\n2. Copy the store to the new disk.\n3. Start the mail server.\n"
    )
    result = _first_run(tmp_path, page, "index.rst")
    assert [(p.line, p.rule) for p in result.problems] == [(7, "run_in_list")]
    assert "put a blank line before it" in result.problems[0].message


def test_a_lead_in_under_an_item_s_first_paragraph_running_into_bullets_is_found(tmp_path: Path) -> None:
    # a later paragraph of an item (not its first line) leads in to bullets with no blank line:
    # the page shows a term and its definition, not the sentence and its list
    page = (
        "Aliases\n=======\n\n"
        "The alias form has these options:\n\n"
        "* Wildcards. When this is set, the address may hold patterns.\n\n"
        "  Some patterns are:\n"
        "    * ``a%`` for every address starting with a\n"
        "    * ``%a`` for every address ending with a\n\n"
        "* Comment. A note for the other administrators.\n"
    )
    result = _first_run(tmp_path, page, "index.rst")
    assert [(p.line, p.rule) for p in result.problems] == [(9, "run_in_list")]


@pytest.mark.parametrize(
    "term",
    ["Spare parts", "The following is required", "Hosts in the first rack"],
    ids=["a-name", "ends-in-a-verb-it-completes", "a-phrase"],
)
def test_a_name_or_a_whole_phrase_over_bullets_in_a_note_is_a_definition(tmp_path: Path, term: str) -> None:
    # a term that does not run on into its list (a name, a phrase that is whole) is a
    # definition list written as one
    page = (
        "Move the mail store\n===================\n\n"
        f".. note::\n\n   {term}\n     - one\n     - two\n\n"
        "1. Stop the mail server.\n2. Copy the store to the new disk.\n3. Start the mail server.\n"
    )
    assert _first_run(tmp_path, page, "index.rst").problems == []


@pytest.mark.parametrize(
    "lead_in",
    [
        "The copy holds every table now. Now it is time to point the application at it.",
        "The application is now set up to read from the copy. Bring the writers back online.",
    ],
    ids=["moves-on-in-its-last-sentence", "a-part-done-now-then-the-next-instruction"],
)
def test_a_one_step_list_after_a_paragraph_that_moves_on_is_not_a_restart(
    tmp_path: Path, lead_in: str
) -> None:
    # the paragraph closes one part and tells what comes next, in its last sentence: the list
    # after it, numbered from 1 by hand, is that next part's, not step 3 cut off
    page = RST + (
        "1. Stop the writers.\n2. Copy the database to the new server.\n\n"
        f"{lead_in}\n\n1. Run ``service app restart``.\n"
    )
    assert rules(handbook(tmp_path, {"p.rst": page})) == []


def test_a_step_typed_1_after_a_sub_list_set_in_too_little_is_one_finding(tmp_path: Path) -> None:
    # every step typed "1.": the bullets under step 2 are set in 2 columns where its text is at
    # 4, which ends the list, and step 3 starts a list of its own. One cause, one finding (at
    # the bullets); step 3 does not carry on the numbered list inside the last bullet
    page = MD + (
        "1.  Change the service type.\n\n"
        "1.  Get the address:\n\n"
        "  - on a laptop:\n\n      ```shell\n      laptop-cmd\n      ```\n\n"
        "  - anywhere else:\n    1.  Find the node's address.\n    1.  Add the port.\n\n"
        "1.  Point the location at the address.\n"
    )
    result = handbook(tmp_path, {"p.md": page})
    assert rules(result) == [(10, "outdented_sublist")]
    assert "carries on at line 20" in result.problems[0].message


def test_code_at_the_margin_after_a_last_step_naming_the_following_syntax_is_its(tmp_path: Path) -> None:
    # the last step says the code follows ("using the following syntax ..."), which rST shows
    # at the margin after the list, and a remark after it that is no part of the step
    page = RST + (
        "1. Enable the login app.\n\n"
        "2. Add the mail backend to the settings file using the following syntax if you run "
        "version 15 or later.\n\n"
        ".. code-block:: php\n\n  'backend' => 'imap',\n\n"
        "If a domain is given, only its users can log in.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(10, "outdented_body")]
    assert "step 2" in result.problems[0].message


def test_the_last_steps_prose_and_code_at_the_margin_as_every_step_before_it_are_its(
    tmp_path: Path,
) -> None:
    # every step's body is written at the margin, sentences and commands, so each splits the
    # list; the last step's is at the margin too, up to its last command, and the remark after
    # it is the page's
    page = RST + (
        "1. Add the filter.\n\n.. code-block:: bash\n\n  cp filter.conf /etc/f2b/\n\n"
        "This blocks the whole subnet.\n\n"
        "2. Restart the service.\n\nMake sure it starts after the network.\n\n"
        ".. code-block:: bash\n\n  sudo systemctl edit f2b\n\nThen restart it.\n\n"
        ".. code-block:: bash\n\n  sudo systemctl restart f2b\n\n"
        "The tracker has the history of this setup.\n"
    )
    result = handbook(tmp_path, {"p.rst": page})
    assert rules(result) == [(8, "outdented_body"), (16, "outdented_body")]
    last = result.problems[1].message
    assert "lines 16-26" in last and "step 2" in last
    assert "sudo systemctl restart f2b" in result.runbooks[0].steps[1].text
    assert "tracker" not in result.runbooks[0].steps[1].text


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "Calendars\n=========\n\n| To set up the calendar the first time:\n"
            "| 1. Log in with the full address.\n| 2. Choose a new calendar.\n| 3. Name it.\n|\n"
            "| Later, point any client at the server.\n",
            (5, "lines 5-7", "`1.`, `2.`, `3.`"),
        ),
        (
            "Snapshots\n=========\n\n| 1. Save the schema first.\n\n"
            ".. code-block:: console\n\n   tool schema > schema.cql\n\n"
            "| 2. Take the snapshot.\n\n"
            ".. code-block:: console\n\n   tool snapshot\n",
            (4, "lines 4, 10", "`1.`, `2.`"),
        ),
    ],
    ids=["one-block", "a-block-per-step"],
)
def test_steps_typed_in_a_line_block_are_stray_steps(
    tmp_path: Path, page: str, expected: tuple[int, str, str]
) -> None:
    # each line opened with "|" keeps its break, so the page shows the numbered lines as text
    (problem,) = _first_run(tmp_path, page, "index.rst").problems
    line, where, numbers = expected
    assert (problem.rule, problem.line) == ("stray_step", line)
    assert where in problem.message and numbers in problem.message


def test_one_numbered_line_or_numbers_out_of_turn_in_a_line_block_are_no_steps(tmp_path: Path) -> None:
    page = (
        "Address\n=======\n\n| 1. Main Street\n| Springfield\n\n"
        "Years\n=====\n\n| 2. edition, 2019\n| 5. edition, 2024\n"
    )
    assert _first_run(tmp_path, page, "index.rst").problems == []


@pytest.mark.parametrize(
    ("name", "page"),
    [
        (
            "index.md",
            "# Reports\n\nWhat the viewer is for:\n\n* Reading the results of nightly runs.\n"
            "* Finding the failed job fast.\n\n![Demo](demo.png)\n\n"
            "* Each report opens in a panel.\n* Known file types are shown inline.\n"
            "* Tables are sortable.\n\n"
            "To start, read the [example](https://example.test/report) first.\n\n"
            "![Graph](graph.png)\n![Table](table.png)\n",
        ),
        (
            "index.md",
            "# Restore\n\n## Check the copy\n\n- Open the app on its temporary address.\n\n"
            "For example the staging one shows the restored data.\n\n"
            "- Check the health page and the admin pages too.\n\n"
            "Where each service keeps its health page:\n\n"
            "| Service |\n|---|\n| [Claims](https://example.test/c) |\n",
        ),
    ],
    ids=["facts-after-a-picture", "steps-after-a-remark"],
)
def test_prose_and_pictures_or_tables_after_a_last_item_are_the_pages(
    tmp_path: Path, name: str, page: str
) -> None:
    # what fell out of the items before was a picture or a remark, not sentences and commands:
    # the sentence, pictures or table after the last item are the page's, not its body (the
    # picture that splits the first list is reported for itself)
    found = [(p.line, p.rule) for p in _first_run(tmp_path, page, name).problems]
    assert found == ([(8, "outdented_body")] if "Demo" in page else [])


def test_code_at_the_margin_after_a_last_item_ending_on_e_g_is_its(tmp_path: Path) -> None:
    # the last item stops at "e.g.", so what it names comes next: the command at the margin
    # after the list is its example, fallen out of it
    page = (
        "# Clean up\n\nThe cleanup command can also:\n\n"
        "1. Clean in small batches, to spare the database.\n\n"
        "2. Show what it would delete without deleting it, with the dry-run option, e.g.\n\n"
        "```\ntool cleanup --dry-run=true\n```\n\n## Tokens\n\nText.\n"
    )
    found = [(p.line, p.rule) for p in _first_run(tmp_path, page).problems]
    assert found == [(9, "outdented_body")]


def test_lead_ins_over_lists_on_a_page_laid_out_in_labels_over_blocks_are_its_layout(
    tmp_path: Path,
) -> None:
    # the page writes "Label:" over an indented block throughout (over settings in line blocks
    # too): its lead-ins over indented lists are that layout, not lists run into their text
    page = (
        "Dashboards\n==========\n\nSources\n-------\n\n"
        "Tickets by date:\n   | Index: ``tickets``\n   | Time field: ``created_at``\n\n"
        "Articles by date:\n   | Index: ``articles``\n   | Time field: ``created_at``\n\n"
        "Panels\n------\n\n"
        "This dashboard shows graphs for:\n   * tickets opened and closed\n   * articles created\n\n"
        "Sources it needs:\n   * ``Tickets by date``\n   * ``Articles by date``\n"
    )
    assert _first_run(tmp_path, page, "index.rst").problems == []


def test_a_lead_in_run_into_its_list_is_found_where_the_page_has_no_such_layout(tmp_path: Path) -> None:
    page = (
        "Dashboards\n==========\n\nPanels\n------\n\n"
        "This dashboard shows graphs for:\n   * tickets opened and closed\n   * articles created\n"
    )
    assert [(p.line, p.rule) for p in _first_run(tmp_path, page, "index.rst").problems] == [
        (8, "run_in_list")
    ]


@pytest.mark.parametrize("name", ["index.rst", "index.md"])
def test_numbers_a_sentence_counts_through_are_no_run_in_list(tmp_path: Path, name: str) -> None:
    # the sentence goes on through "1)" and "2)" on lines of their own: one paragraph, as meant
    title = "Sign-on\n=======\n\n" if name.endswith(".rst") else "# Sign-on\n\n"
    page = title + (
        "With single sign-on anyone who has an account on the intranet will\n"
        "1) have an account here too and\n2) log in with one click.\n"
    )
    assert _first_run(tmp_path, page, name).problems == []


def test_a_lead_in_wrapped_between_the_and_following_leads_in(tmp_path: Path) -> None:
    # "consider the / following pages." wraps between two words: still the sentence that
    # announces the list after it, not a remark that leaves the list a lost sub-list
    page = (
        "Install\n=======\n\nNext steps\n----------\n\n"
        "#. Connect the search engine.\n#. Configure the web server.\n\n"
        "If you expect more than five agents you may want to consider the\nfollowing pages.\n\n"
        "   * The environment variables\n   * The database server\n"
    )
    assert _first_run(tmp_path, page, "index.rst").problems == []


def test_bullets_a_sentence_runs_through_are_still_run_in_items(tmp_path: Path) -> None:
    # bullets, unlike numbers, show as stars in the sentence they run into
    page = (
        "Backend\n=======\n\nThe plain file backend has two problems here, which are\n"
        "* data and metadata mixed together, and\n* payload that is not aligned.\n"
        "So the data has to be split first.\n"
    )
    assert [p.rule for p in _first_run(tmp_path, page, "index.rst").problems] == ["run_in_list"]


def test_one_sentence_over_its_code_does_not_make_a_page_of_labels(tmp_path: Path) -> None:
    # a lead-in run into its code block is no layout of labels: the lead-in run into its list
    # on the same page is still reported
    page = (
        "Routing\n=======\n\nFailures\n--------\n\n#. Bond the interfaces.\n#. Enable the checks.\n\n"
        "Failure modes the gateway handles are:\n   - the chassis loses its network\n"
        "   - the switch daemon stops\n\nBond them first.\n\n"
        "Example of how to let a chassis host gateways:\n   .. code-block:: console\n\n"
        "      $ tool set chassis gateway=true\n"
    )
    found = [(p.line, p.rule) for p in _first_run(tmp_path, page, "index.rst").problems]
    assert (11, "run_in_list") in found


def test_a_last_item_ending_on_for_example_names_nothing_to_come(tmp_path: Path) -> None:
    # "... for example." closes the item's own sentence: the prose and note after the list
    # are the page's, not the item's lost body
    page = (
        "Listening\n=========\n\nTo listen on some interfaces only, these rules apply:\n\n"
        "*   The interface must always be up, so no tunnels.\n"
        "*   The address must be static, so no tracked prefixes for example.\n\n"
        "The form cannot check these rules for you.\n\n.. note::\n    Unsupported setups get no help.\n"
    )
    assert _first_run(tmp_path, page, "index.rst").problems == []


@pytest.mark.parametrize(
    ("groups", "marker", "others"), [(3, "-", 0), (2, "-", 0), (3, "1.", 0), (3, "-", 7)]
)
def test_callouts_after_each_group_of_bullets_are_the_page_s_layout(
    tmp_path: Path, groups: int, marker: str, others: int
) -> None:
    # a test plan: an action or two as bullets, then a callout with what to see, again and
    # again: the callouts are the page's own checks, set after the bullets on purpose. A
    # callout after bullets on a page that does so twice, or on a long page of other bullets
    # (a remark on the bullet above it), or after numbered steps (whose numbers it breaks), is
    # the step's remark that fell out of it
    group = (
        "- Sign in as the test user from address {n}.\n- Open the shared folder.\n\n"
        "```{{attention}}\nVerify that: the folder stays closed.\n```\n\n"
    )
    page = MD + "".join(group.format(n=n) for n in range(groups)).replace("- ", f"{marker} ")
    page += "## Limits\n\n" + "".join(
        f"The store has limit {n}.\n\n- It keeps {n} copies.\n- It drops the oldest.\n\n"
        for n in range(others)
    )
    found = rules(handbook(tmp_path, {"p.md": page}))
    expected = [(9 + 7 * n, "outdented_body") for n in range(groups)]
    assert found == ([] if groups == 3 and marker == "-" and not others else expected)
