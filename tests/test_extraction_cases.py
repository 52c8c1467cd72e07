"""What becomes a step, case by case: scope, titles, owners, containers, list defects.

Each case is a small handbook built in-process; the assertions are what a
handbook maintainer would see in the step list and in ``lint``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sphinx_incident.commands.handbook import Handbook, read_handbook
from sphinx_incident.model import Runbook

from conftest import build

CONF = (
    'extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
)


def handbook(tmp_path: Path, pages: dict[str, str], conf: str = "") -> Handbook:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF + conf, "utf-8")
    names = [name.rsplit(".", 1)[0] for name in pages if name.rsplit(".", 1)[0] != "index"]
    if "index.md" not in pages and "index.rst" not in pages:
        (src / "index.md").write_text("# Index\n\n```{toctree}\n" + "\n".join(names) + "\n```\n", "utf-8")
    for name, text in pages.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, "utf-8")
    return read_handbook(src, freshenv=True)


def titles(runbook: Runbook) -> list[Any]:
    return [(s.number, s.title, [t.title for t in s.substeps]) for s in runbook.steps]


def rules(result: Handbook) -> list[tuple[int | None, str]]:
    return [(p.line, p.rule) for p in sorted(result.problems, key=lambda p: (p.line or 0, p.rule))]


# -- section scope --------------------------------------------------------------------


def test_a_declared_section_does_not_swallow_its_subsections(tmp_path: Path) -> None:
    page = """\
# Databases

(db-restart)=
## Restart the database

1. **Stop the writers**.
2. **Restart the primary**.

(db-verify)=
### Verify the restart

1. **Check replication**.
2. **Check the error rate**.

### Related dashboards

- [Primary](https://grafana.acme-ops.net/d/primary)
"""
    result = handbook(tmp_path, {"db.md": page}, 'incident_runbooks = ["db-restart", "db-verify"]\n')
    by_label = {r.label: r for r in result.runbooks}
    assert titles(by_label["db-restart"]) == [("1", "Stop the writers", []), ("2", "Restart the primary", [])]
    assert titles(by_label["db-verify"]) == [
        ("1", "Check replication", []),
        ("2", "Check the error rate", []),
    ]
    assert result.problems == []  # no false restart, nothing dropped as nested, no detached bullets


def test_a_section_without_a_list_has_its_subsections_as_steps(tmp_path: Path) -> None:
    page = """\
# Nodes

(drain)=
## Drain a node

Do this when a node misbehaves.

### 1. Cordon the node

Run `kubectl cordon`.

### Step 2: Drain it

- Evict the pods.
- Wait for them to reschedule.

### 3) Hand it over
"""
    result = handbook(tmp_path, {"nodes.md": page}, 'incident_runbooks = ["drain"]\n')
    (runbook,) = result.runbooks
    assert titles(runbook) == [
        ("1", "Cordon the node", []),
        ("2", "Drain it", [None, None]),
        ("3", "Hand it over", []),
    ]
    assert runbook.steps[0].text == "Run kubectl cordon."
    assert runbook.intro == "Do this when a node misbehaves."
    assert result.problems == []


RST_HEADINGS = (
    ":runbook: true\n\nFailover\n========\n\nStop it\n-------\n\nText.\n\nStart it\n--------\n\nMore.\n"
)
MD_HEADINGS = "---\nrunbook: true\n---\n# Failover\n\n## Stop it\n\nText.\n\n## Start it\n\nMore.\n"


@pytest.mark.parametrize(
    ("name", "page", "words"),
    [("p.rst", RST_HEADINGS, ["Stop it", "Start it"]), ("p.md", MD_HEADINGS, ["## Stop it", "## Start it"])],
    ids=["rst", "md"],
)
def test_a_step_that_is_a_heading_is_at_the_line_of_its_words(
    tmp_path: Path, name: str, page: str, words: list[str]
) -> None:
    # the step list and every message lead to the heading's words, not to the rST underline
    (runbook,) = handbook(tmp_path, {name: page}).runbooks
    lines = page.split("\n")
    assert [lines[step.line - 1] for step in runbook.steps if step.line] == words


def test_a_myst_runbook_directive_keeps_its_headings_and_steps(tmp_path: Path) -> None:
    page = (
        "# Page\n\n````{runbook}\n:id: phases\n\n## Before\n\n1. **A**.\n2. **B**.\n\n"
        "## After\n\n3. **C**.\n````\n"
    )
    result = handbook(tmp_path, {"page.md": page})
    (runbook,) = result.runbooks
    assert [s.title for s in runbook.steps] == ["A", "B", "C"]
    assert result.problems == []


# -- titles and owners ------------------------------------------------------------------


def test_titles_after_lead_ins_targets_and_check_marks(tmp_path: Path) -> None:
    page = """\
---
runbook: true
---
# Restart

```{team-role} On-call Engineer
Carries the pager.
```

1. `Who: On-call engineer`
   **Restart the service**. Then watch it.
2. {role}`On-call Engineer`
   **Check the logs**.
3. ✅ **Tell the channel**.
4. _Owner: Support Lead_
   **Update the ticket**.
5. Check the dashboards
   **before** doing anything else.
"""
    result = handbook(tmp_path, {"restart.md": page})
    (runbook,) = result.runbooks
    steps = runbook.steps
    assert [s.title for s in steps] == [
        "Restart the service",
        "Check the logs",
        "Tell the channel",
        "Update the ticket",
        None,  # a bold word on the second line is not a title
    ]
    assert [s.owner.text if s.owner else None for s in steps] == [
        "On-call engineer",
        "On-call Engineer",
        None,
        "Support Lead",
        None,
    ]
    assert steps[0].text == "Then watch it."
    assert steps[0].owner.resolved is True  # a team role of that name exists (case aside)
    assert steps[1].owner.url == "restart.html#role-on-call-engineer"


def test_rst_label_target_before_the_title(tmp_path: Path) -> None:
    page = """\
:runbook: true

Restart
=======

#. .. _first-step:

   **Stop the writers**. Then wait.
#. **Restart**.
"""
    result = handbook(tmp_path, {"restart.rst": page})
    (runbook,) = result.runbooks
    assert [s.title for s in runbook.steps] == ["Stop the writers", "Restart"]


def test_italic_titles_where_the_runbook_uses_them(tmp_path: Path) -> None:
    page = (
        "---\nrunbook: true\n---\n# R\n\n1. *Page the on-call*. Use the app.\n"
        "2. *Open a channel* for it.\n3. *Write it down*.\n"
    )
    (runbook,) = handbook(tmp_path, {"r.md": page}).runbooks
    assert [s.title for s in runbook.steps] == ["Page the on-call", "Open a channel", "Write it down"]


def test_untitled_steps_that_begin_alike_get_distinct_ids_silently(tmp_path: Path) -> None:
    page = (
        "---\nrunbook: true\n---\n# R\n\n"
        "1. Check the dashboard of the primary database for errors.\n"
        "2. Check the dashboard of the primary database for latency.\n"
        "3. **Titled**.\n4. **Titled**.\n"
    )
    result = handbook(tmp_path, {"r.md": page})
    (runbook,) = result.runbooks
    ids = [s.id for s in runbook.steps]
    assert len(set(ids)) == 4
    # each named by its own whole text, whichever comes first
    assert ids[0] == "check-the-dashboard-of-the-primary-database-for-errors"
    assert ids[1] == "check-the-dashboard-of-the-primary-database-for-latency"
    assert rules(result) == [(9, "duplicate_step_id")]  # only the two titled steps, once


def test_a_titled_step_that_shares_its_id_with_an_untitled_one_is_reported(tmp_path: Path) -> None:
    # the titled step's id gets a hash because an untitled sub-step says the same thing: a
    # link to "#check-the-queue" would stop working, so lint says why, at the titled step
    page = (
        "---\nrunbook: true\n---\n# R\n\n1. **Drain the node**.\n   - Check the queue.\n"
        "2. **Check the queue**.\n3. **Uncordon the node**.\n"
    )
    result = handbook(tmp_path, {"r.md": page})
    (runbook,) = result.runbooks
    assert runbook.steps[1].id != "check-the-queue" != runbook.steps[0].substeps[0].id
    (problem,) = [p for p in result.problems if p.rule == "duplicate_step_id"]
    assert problem.line == 8 and "line 7" in problem.message


# -- containers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "box",
    [
        ":::{admonition} Restart procedure\n:class: warning\n\n1. **Stop**.\n2. **Start**.\n:::\n",
        "::::{dropdown} Restart procedure\n1. **Stop**.\n2. **Start**.\n::::\n",
        "::::{tab-set}\n:::{tab-item} Restart procedure\n1. **Stop**.\n2. **Start**.\n:::\n::::\n",
        "::::{card} Restart procedure\n1. **Stop**.\n2. **Start**.\n::::\n",
    ],
    ids=["admonition", "dropdown", "tab", "card"],
)
def test_steps_inside_a_box_are_found(tmp_path: Path, box: str) -> None:
    page = (
        f"# Page\n\n- an unrelated bullet\n\n(restart)=\n## Restart\n\nBefore you start.\n"
        f"\n{box}\nAfterwards, tell the channel.\n"
    )
    result = handbook(tmp_path, {"page.md": page}, 'incident_runbooks = ["restart"]\n')
    (runbook,) = result.runbooks
    assert [s.title for s in runbook.steps] == ["Stop", "Start"]
    assert runbook.container == "Restart procedure"
    assert runbook.intro == "Before you start."
    assert [n.text for n in runbook.notes] == ["Afterwards, tell the channel."]
    assert result.problems == []


# -- list defects read from the source ------------------------------------------------------

CLEAN_TEN = "".join(f"{n}. **Step {n}**.\n" for n in range(1, 10))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (CLEAN_TEN + "10. **Step ten**.\n\n    Body of ten, four spaces.\n", []),
        (CLEAN_TEN + "10. **Step ten**.\n\n   Body of ten, three spaces.\n", [(17, "outdented_body")]),
        ("1. **One**.\n\n```\nrun one\n```\n\n2. **Two**.\n\n```\nrun two\n```\n\n3. **Three**.\n",
         [(8, "outdented_body"), (14, "outdented_body")]),
        # a paragraph between two lists that the author numbered as one is the step's body:
        # the page splits the list around it
        ("1. **One**.\n\nBody of one.\n\n2. **Two**.\n\nBody of two.\n\n3. **Three**.\n",
         [(8, "outdented_body"), (12, "outdented_body")]),
        # between two lists numbered each from 1 it is prose (the author counted the second
        # from 1 again, as the page shows it: nothing to report), as is an aside in brackets
        # or a question to the reader between two parts of one list
        ("1. **Stop**.\n2. **Start**.\n\nThe same again on the standby.\n\n"
         "1. **Stop it**.\n2. **Start it**.\n", []),
        ("1. **One**.\n\n(The rest is the same on every node.)\n\n2. **Two**.\n", []),
        ("1. **One**.\n\nDone? Not yet: the cache is still cold.\n\n2. **Two**.\n", []),
        # the step's sub-list and a paragraph at the margin, then the list typed on: the whole
        # body fell out, one finding from the sub-list on; so too from a paragraph, its list and
        # more prose, and from two sentences, each with its list, up to the step typed on
        ("1. **One**.\n\n- a bullet\n- another\n\nThen it is set.\n\n2. **Two**.\n",
         [(8, "outdented_body")]),
        ("1. **One**.\n\nIn the menu:\n\n- a bullet\n- another\n\nThen it is set.\n\n2. **Two**.\n",
         [(8, "outdented_body")]),
        ("1. **One**\n\nNothing changes yet.\n- a bullet\n- another\n\nOnce done\n- check a\n\n2. **Two**\n",
         [(8, "outdented_body")]),
        # words about steps that are not the steps ahead: the step's own body
        ("1. **One**.\n\nRead the notes for manual steps first.\n\n2. **Two**.\n", [(8, "outdented_body")]),
        ("1. **One**.\n  - sub a\n  - sub b\n2. **Two**.\n", [(7, "outdented_sublist")]),
        ("1. **One**.\n  1. sub a\n  2. sub b\n2. **Two**.\n", [(7, "outdented_sublist")]),
        ("1. **One**.\n2. **Two**. Restart the pod. 3. Check the logs. 4. Tell the channel.\n",
         [(7, "inline_step_numbers")]),
        ("1. **One**. Use 2. as the ratio.\n2. **Two**.\n", []),
    ],
    ids=["ten-ok", "ten-three-spaces", "unindented-commands", "prose-in-one-list", "prose-between-lists",
         "aside", "question", "after-sub-list", "after-prose-and-bullets", "two-lead-ins-and-bullets",
         "manual-steps", "bullets-2-spaces",
         "numbers-2-spaces",
         "inline-numbers", "a-number-in-prose"],
)  # fmt: skip
def test_list_defects_are_found_once_at_their_line(tmp_path: Path, body: str, expected: list[Any]) -> None:
    page = f"---\nrunbook: true\n---\n# R\n\n{body}"
    result = handbook(tmp_path, {"r.md": page})
    assert rules(result) == expected


def test_the_model_keeps_what_the_author_meant(tmp_path: Path) -> None:
    page = (
        "---\nrunbook: true\n---\n# R\n\n"
        "1. **One**.\n\n  Body of one.\n\n1. **Two**.\n  - sub a\n  - sub b\n"
        "1. **Three**. Restart. 4. **Four** now.\n"
    )
    result = handbook(tmp_path, {"r.md": page})
    (runbook,) = result.runbooks
    assert [(s.number, s.title, s.text) for s in runbook.steps] == [
        ("1", "One", "Body of one."),
        ("2", "Two", ""),
        ("3", "Three", "Restart."),
        ("4", "Four", "now."),
    ]
    assert [s.text for s in runbook.steps[1].substeps] == ["sub a", "sub b"]
    assert {p.rule for p in result.problems} == {"outdented_body", "outdented_sublist", "inline_step_numbers"}
    assert not {"numbering_restart", "numbering_gap", "detached_substeps"} & {p.rule for p in result.problems}


def test_a_body_and_its_bullets_at_the_margin_stay_in_their_step(tmp_path: Path) -> None:
    # each step's sentence and bullets typed at the margin, the steps numbered on around them:
    # the author's steps, bodies and sub-steps, in one runbook; one finding a step, none of
    # them a sub-list detached from its step
    page = (
        "---\nrunbook: true\n---\n# Swap the proxy\n\n"
        "1. Prepare the new proxy\n\n"
        "It takes no traffic yet.\n- set the new address\n- leave the old one up\n\n"
        "2. Move the traffic\n\n"
        "Both proxies answer for a while.\n- point the name at the new one\n\n"
        "Then watch\n- the error rate\n- the latency\n\n"
        "3. Retire the old proxy\n"
    )
    result = handbook(tmp_path, {"r.md": page})
    (runbook,) = result.runbooks
    assert [(s.number, s.text, [t.text for t in s.substeps]) for s in runbook.steps] == [
        (
            "1",
            "Prepare the new proxy\n\nIt takes no traffic yet.",
            ["set the new address", "leave the old one up"],
        ),
        (
            "2",
            "Move the traffic\n\nBoth proxies answer for a while.\n\nThen watch",
            ["point the name at the new one", "the error rate", "the latency"],
        ),
        ("3", "Retire the old proxy", []),
    ]
    assert rules(result) == [(8, "outdented_body"), (14, "outdented_body")]
    messages = [p.message for p in result.problems]
    assert "lines 8-10 are not indented" in messages[0] and "step 1" in messages[0]
    assert "lines 14-19 are not indented" in messages[1] and "by 3" in messages[1]


def test_the_last_step_s_body_and_bullets_at_the_margin_stay_in_it_as_the_others_did(tmp_path: Path) -> None:
    # every step's sentence and bullets typed at the margin, the last one's too: nothing is
    # typed on after it, but the list shows how the author wrote a step; one finding each,
    # the last step's bullets its sub-steps, not notes of the runbook
    page = (
        "---\nrunbook: true\n---\n# Swap the proxy\n\n"
        "1. Prepare the new proxy\n\n"
        "It takes no traffic yet.\n- set the new address\n\n"
        "2. Move the traffic\n\n"
        "Both proxies answer for a while.\n- point the name at the new one\n\n"
        "3. Retire the old proxy\n\n"
        "Give it a day first.\n- stop it\n- free its address\n\n"
        "Then check\n- the error rate\n"
    )
    result = handbook(tmp_path, {"r.md": page})
    (runbook,) = result.runbooks
    assert [(s.text, [t.text for t in s.substeps]) for s in runbook.steps][2] == (
        "Retire the old proxy\n\nGive it a day first.\n\nThen check",
        ["stop it", "free its address", "the error rate"],
    )
    assert not runbook.notes
    assert rules(result) == [(8, "outdented_body"), (13, "outdented_body"), (18, "outdented_body")]
    last = result.problems[2].message
    assert "lines 18-23 are not indented" in last and "step 3" in last and "split" not in last


def test_prose_and_bullets_after_a_list_s_last_step_are_the_page_s_when_no_step_lost_its_body(
    tmp_path: Path,
) -> None:
    # the steps before kept their bodies: nothing shows the author wrote a step's at the margin
    page = (
        "---\nrunbook: true\n---\n# R\n\n1. **One**\n\n   Indented as it should be.\n\n"
        "2. **Two**\n\nAfterwards, look at:\n- the error rate\n"
    )
    result = handbook(tmp_path, {"r.md": page})
    assert rules(result) == []
    assert [len(s.substeps) for s in result.runbooks[0].steps] == [0, 0]


def test_bodies_of_titled_bullets_at_the_margin_stay_in_their_step(tmp_path: Path) -> None:
    # bullets that are nothing but a bold title, each followed by its text at the margin: a
    # title alone says nothing, the text under it is what it heads, the last one's too
    page = (
        "---\nrunbook: true\n---\n# Pick a channel\n\n"
        "- **For the newest stable release**\n\nFollow the stable channel.\n\n"
        "- **To try a release early**\n\nFollow edge for nightly builds.\n\nFollow beta before a release.\n\n"
        "- **To test a fix**\n\nFollow the branch of the fix.\n\n<!-- links used above -->\n"
    )
    result = handbook(tmp_path, {"r.md": page})
    (runbook,) = result.runbooks
    assert [(s.title, s.text) for s in runbook.steps] == [
        ("For the newest stable release", "Follow the stable channel."),
        ("To try a release early", "Follow edge for nightly builds.\n\nFollow beta before a release."),
        ("To test a fix", "Follow the branch of the fix."),
    ]
    assert rules(result) == [(8, "outdented_body"), (12, "outdented_body"), (18, "outdented_body")]
    assert "lines 12-14" in result.problems[1].message and "by 2" in result.problems[1].message
    # a comment after the text is no wrapper of it (as an HTML tag around a picture is): not
    # named as lines to indent
    assert result.problems[2].message.startswith("line 18 is not indented")


def test_the_last_titled_bullet_takes_as_much_text_as_the_one_before_it_no_more(tmp_path: Path) -> None:
    # each titled bullet heads one paragraph at the margin; after the last one's, a remark about
    # the whole meeting is the page's again, not more of the last bullet
    page = (
        "---\nrunbook: true\n---\n# Stand-up\n\n"
        "- **Walk the board**\n\nGo through the open issues, newest first.\n\n"
        "- **Blockers**\n\nEach person names what holds them up.\n\n"
        "The delivery lead runs the meeting.\n"
    )
    result = handbook(tmp_path, {"r.md": page})
    (runbook,) = result.runbooks
    assert [(s.title, s.text) for s in runbook.steps] == [
        ("Walk the board", "Go through the open issues, newest first."),
        ("Blockers", "Each person names what holds them up."),
    ]
    assert rules(result) == [(8, "outdented_body"), (12, "outdented_body")]
    assert result.problems[1].message.startswith("line 12 is not indented")


def test_a_sentence_that_goes_on_from_a_bullet_at_the_margin_stays_in_it(tmp_path: Path) -> None:
    # "e.g. ..." opens no sentence of its own: typed at the margin between two bullets, it is
    # the bullet above's, which the page cuts off from it and splits the list around
    page = (
        "---\nrunbook: true\n---\n# Check the restore\n\n"
        "- Confirm the app answers on the temporary address.\n\n"
        "e.g. its home page loads and shows the restored records.\n\n"
        "- Check the health page.\n"
    )
    result = handbook(tmp_path, {"r.md": page})
    (runbook,) = result.runbooks
    assert [s.text for s in runbook.steps] == [
        "Confirm the app answers on the temporary address.\n\ne.g. its home page loads and shows the "
        "restored records.",
        "Check the health page.",
    ]
    assert rules(result) == [(8, "outdented_body")]
    assert "splits the list in two" in result.problems[0].message


@pytest.mark.parametrize(
    "page",
    [
        # an author who writes every line in lower case: a lower-case start says nothing
        "- confirm the app answers\n\nthen tell the channel.\n\n- check the health page\n",
        # a sentence that opens with code or a capital letter is one of its own
        "- Confirm the app answers.\n\n`curl` shows the same.\n\n- Check the health page.\n",
        "- Confirm the app answers.\n\nThen tell the channel.\n\n- Check the health page.\n",
        # a word that joins the bullets ("or" between two ways to do a step) is between them
        "1. **Open the manager** by either:\n\n   * Selecting the Start button\n\n   or\n\n"
        "   * Pressing the Windows key\n\n2. **Create** the machine.\n",
        "- Restart the worker.\n\nor run the restart script instead.\n\n- Check the queue.\n",
        # titles with words of their own after them: the prose between is the page's
        "- **Stable**: the default.\n\nMost teams stay there.\n\n- **Edge**: nightly.\n\nFew do.\n",
        # no titles: prose between two bullet lists is prose
        "- Stable releases\n\nMost teams stay there.\n\n- Edge releases\n\nFew do.\n",
        # a titled bullet that is alone: nothing shows the author wrote the others so
        "- **Stable releases**\n\nMost teams stay there.\n",
    ],
    ids=[
        "all-lower-case", "opens-with-code", "opens-with-a-capital", "or-between-ways", "or-sentence",
        "titles-with-text", "no-titles", "one-titled-bullet",
    ],
)  # fmt: skip
def test_prose_between_bullets_that_no_cue_ties_to_a_bullet_stays_prose(tmp_path: Path, page: str) -> None:
    # neither a bare bold title over it nor a sentence going on from the bullet above
    result = handbook(tmp_path, {"r.md": f"---\nrunbook: true\n---\n# R\n\n{page}"})
    assert "outdented_body" not in {rule for _, rule in rules(result)}


def test_bodies_of_titled_bullets_at_the_margin_stay_in_their_step_in_rst(tmp_path: Path) -> None:
    page = "R\n=\n\n- **For a release**\n\nFollow stable.\n\n- **For a fix**\n\nFollow edge.\n"
    result = handbook(tmp_path, {"r.rst": page}, conf='incident_runbooks = ["r"]\n')
    assert [(s.title, s.text) for s in result.runbooks[0].steps] == [
        ("For a release", "Follow stable."),
        ("For a fix", "Follow edge."),
    ]
    assert rules(result) == [(6, "outdented_body"), (10, "outdented_body")]


def test_an_rst_step_s_body_and_bullets_at_the_margin_stay_in_their_step(tmp_path: Path) -> None:
    # rST starts a list at 2 after them: the author numbered around them as one list
    page = "R\n=\n\n1. **Prepare** it.\n\nNothing changes yet.\n\n- set a\n- set b\n\n2. **Move** it.\n"
    result = handbook(tmp_path, {"r.rst": page}, conf='incident_runbooks = ["r"]\n')
    assert rules(result) == [(6, "outdented_body")]
    first = result.runbooks[0].steps[0]
    assert "Nothing changes yet." in first.text
    assert [s.text for s in first.substeps] == ["set a", "set b"]
    assert [s.number for s in result.runbooks[0].steps] == ["1", "2"]


def test_prose_and_bullets_before_a_list_numbered_from_one_are_not_a_step_s_body(tmp_path: Path) -> None:
    # the list after them starts again: the author did not number around them as one list
    page = (
        "---\nrunbook: true\n---\n# R\n\n1. **One**\n2. **Two**\n\n"
        "Nothing changes yet.\n- a bullet\n- another\n\n1. **Again**\n"
    )
    result = handbook(tmp_path, {"r.md": page})
    assert "outdented_body" not in {rule for _, rule in rules(result)}
    assert "Nothing changes yet." not in result.runbooks[0].steps[1].text


def test_a_list_nested_deeper_than_markdown_reads(tmp_path: Path) -> None:
    lines = ["---", "runbook: true", "---", "# Deep", "", "1. **One**"]
    for level in range(12):
        lines.append(" " * (3 + 2 * level) + f"- level {level + 2}")
    lines += ["2. **Two**", ""]
    result = handbook(tmp_path, {"deep.md": "\n".join(lines)})
    assert rules(result) == [(15, "nesting_too_deep")]


def test_roman_numerals_are_counted_as_numbers(tmp_path: Path) -> None:
    page = (
        ":runbook: true\n\nRoman\n=====\n\ni. **One**.\nii. **Two**.\niii. **Three**.\n"
        "iv. **Four**.\n\nA note.\n\nv. **Five**.\n"
    )
    result = handbook(tmp_path, {"roman.rst": page})
    (runbook,) = result.runbooks
    assert [s.number for s in runbook.steps] == ["i", "ii", "iii", "iv", "v"]
    assert result.problems == []


def test_step_text_keeps_blocks_apart(tmp_path: Path) -> None:
    page = (
        "---\nrunbook: true\n---\n# R\n\n1. **One**.\n\n   > First paragraph.\n   >\n   > Second paragraph.\n"
    )
    (runbook,) = handbook(tmp_path, {"r.md": page}).runbooks
    assert runbook.steps[0].text == "First paragraph.\n\nSecond paragraph."


# -- where runbooks are and what they are called ----------------------------------------------


def test_runbook_in_an_included_file_is_reported_at_that_file(tmp_path: Path) -> None:
    pages = {
        "page.md": "# Page\n\n```{include} parts/restart.md\n```\n",
        "parts/restart.md": "(restart)=\n## Restart\n\n1. **Stop**.\n\n  Then wait.\n\n2. **Start**.\n",
    }
    result = handbook(tmp_path, pages, 'incident_runbooks = ["restart"]\nexclude_patterns = ["parts"]\n')
    assert [(p.path, p.line, p.rule) for p in result.problems] == [("parts/restart.md", 6, "outdented_body")]
    assert result.runbooks[0].source == "parts/restart.md"


def test_a_footnote_cited_by_two_runbooks_is_reported_once(tmp_path: Path) -> None:
    page = (
        "# Page\n\n```{runbook}\n:id: one\n\n1. **A**, see[^n].\n```\n\n"
        "```{runbook}\n:id: two\n\n1. **B**, see[^n].\n```\n\n[^n]: Ask the {role}`Nobody`.\n"
    )
    result = handbook(tmp_path, {"page.md": page})
    assert rules(result) == [(15, "undefined_role")]
    assert all(r.problems for r in result.runbooks)  # each runbook still lists it


def test_undefined_roles_are_found_anywhere_in_the_handbook(tmp_path: Path) -> None:
    pages = {
        "prose.md": (
            "# Prose\n\n```{note}\nAsk the {role}`Incident Comander`.\n```\n\nThe {role}`Scribe` writes.\n"
        ),
        "roles.md": "# Roles\n\n```{team-role} Incident Commander\nLeads.\n```\n",
    }
    result = handbook(tmp_path, pages)
    messages = [(p.path, p.line, p.message) for p in result.problems]
    assert messages[0][:2] == ("prose.md", 4)
    assert "did you mean 'Incident Commander'?" in messages[0][2]
    assert messages[1][:2] == ("prose.md", 7)
    assert len(messages) == 2


def test_matrix_terms_with_a_wrong_item_do_not_crash_the_build(tmp_path: Path) -> None:
    page = "# P\n\n```{runbook}\n:id: r\n\n1. **A**.\n```\n\n```{runbook-matrix}\n```\n"
    result = handbook(tmp_path, {"p.md": page}, 'incident_matrix_terms = ["x", 3]\n')
    assert [(p.rule, p.message) for p in result.problems] == [
        ("config", "incident_matrix_terms must be True, False or a list of term names; "
                   "the items that are not names are ignored"),
    ]  # fmt: skip


@pytest.mark.sphinx("html", testroot="root")
def test_anchors_are_runbook_id_then_step_id(make_app: Any, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF, "utf-8")
    (src / "index.md").write_text(
        "# Incident response\n\n```{runbook}\n1. **Acknowledge**.\n```\n\n```{toctree}\nwhole\n```\n", "utf-8"
    )
    (src / "whole.md").write_text("---\nrunbook: true\n---\n1. **Alone**.\n2. **Together**.\n", "utf-8")
    app = build(make_app, src)
    data = json.loads((Path(app.outdir) / "runbooks.json").read_text("utf-8"))
    first, whole = data["runbooks"]
    # a runbook directive in a page's top section is named by its page
    assert first["id"] == "index"
    assert first["steps"][0]["anchor"] == "index--acknowledge"
    index = (Path(app.outdir) / "index.html").read_text("utf-8")
    assert 'id="index--acknowledge"' in index
    # a page that is a runbook as a whole, without a heading: its anchor exists
    page = (Path(app.outdir) / "whole.html").read_text("utf-8")
    assert f'id="{whole["anchor"]}"' in page
    assert whole["url"] == f"whole.html#{whole['anchor']}"


@pytest.mark.sphinx("html", testroot="root")
def test_runbooks_in_only_blocks_follow_the_builder(make_app: Any, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF, "utf-8")
    (src / "index.rst").write_text(
        "Page\n====\n\n.. only:: latex\n\n   .. runbook::\n      :id: print-only\n\n      #. **Print**.\n\n"
        ".. runbook::\n   :id: everywhere\n\n   #. **Always**.\n\n   .. only:: latex\n\n"
        "      #. **On paper**.\n",
        "utf-8",
    )
    app = build(make_app, src)
    data = json.loads((Path(app.outdir) / "runbooks.json").read_text("utf-8"))
    assert [r["id"] for r in data["runbooks"]] == ["everywhere"]
    assert [s["title"] for s in data["runbooks"][0]["steps"]] == ["Always"]


def test_links_in_content_included_into_a_step_are_reported_at_that_file(tmp_path: Path) -> None:
    pages = {
        "page.md": (
            "---\nrunbook: true\n---\n# Page\n\n"
            "1. **Read the notes**.\n\n   ```{include} parts/notes.md\n   ```\n"
        ),
        "parts/notes.md": (
            "See [the tool](https://tools.corp.test/ok).\n\n```{button-link} javascript:alert(1)\nRun\n```\n"
        ),
    }
    result = handbook(tmp_path, pages, 'exclude_patterns = ["parts"]\n')
    assert [(p.path, p.line, p.rule) for p in result.problems] == [("parts/notes.md", 3, "unsafe_url")]


def test_labels_keep_backslashes_markdown_escapes_them() -> None:
    from sphinx_incident.model import Step
    from sphinx_incident.rendering.markdown import plain_label, step_label

    step = Step(id="s", number="2", title=r"Empty C:\Temp\*", text="", line=1)
    assert plain_label(step) == r"2. Empty C:\Temp\*"
    assert step_label(step) == r"**2. Empty C:\\Temp\\\*" + "**"


@pytest.mark.sphinx("html", testroot="root")
def test_a_page_with_no_top_heading_declared_whole_holds_the_steps_above_its_first_heading(
    make_app: Any, tmp_path: Path
) -> None:
    # a Markdown page with no title: its steps stand above its first "##" heading, which
    # Sphinx takes for the page's title; discover offers the page, and the page is that list
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF + 'incident_runbooks = ["reports"]\n', "utf-8")
    (src / "index.md").write_text("# Handbook\n\n```{toctree}\nreports\n```\n", "utf-8")
    (src / "reports.md").write_text(
        "Read this before the reports go out.\n\n"
        "1. Put your own domain in the example settings.\n"
        "2. Watch the first reports for a few days.\n\n"
        "## Turn the reports on\n\nWrite the settings file, then reload the mail filter.\n\n"
        "## Turn them off\n\n1. Delete the settings file.\n2. Restart the mail filter.\n",
        "utf-8",
    )
    app = build(make_app, src)
    data = json.loads((Path(app.outdir) / "runbooks.json").read_text("utf-8"))
    (runbook,) = data["runbooks"]
    assert [step["text"] for step in runbook["steps"]] == [
        "Put your own domain in the example settings.",
        "Watch the first reports for a few days.",
    ]
    assert runbook["problems"] == []
    page = (Path(app.outdir) / "reports.html").read_text("utf-8")
    assert all(f'id="{step["anchor"]}"' in page for step in runbook["steps"])
    found = read_handbook(src, {"incident_lint_scope": "discovered"}, freshenv=True, discover=True).discovered
    assert [(item.line, item.entry) for item in found if item.docname == "reports"] == [
        (3, "reports"),
        (12, "reports#turn-them-off"),
    ]
    # where the first heading has steps of its own, the page declared whole is still that
    # section, as it always was (a list above it is most often the page's contents)
    (src / "reports.md").write_text(
        "- [Turn them on](#turn-the-reports-on)\n- [Turn them off](#turn-them-off)\n\n"
        "## Turn the reports on\n\n1. Write the settings file.\n2. Reload the mail filter.\n\n"
        "## Turn them off\n\n1. Delete the settings file.\n2. Restart the mail filter.\n",
        "utf-8",
    )
    (runbook,) = read_handbook(src, freshenv=True).runbooks
    assert [step.text for step in runbook.steps] == ["Write the settings file.", "Reload the mail filter."]
