"""``sphinx-incident diff``: runbook changes between two step lists, built sites or git revisions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sphinx_incident.commands import cli
from sphinx_incident.commands.diff.changes import Changes, StepChange, compare, compare_steps
from sphinx_incident.commands.diff.render import Style, markdown, step_details, text
from sphinx_incident.rendering.markdown import code_span, inert_markdown

from conftest import ROOTS

# -- step list data written by hand ------------------------------------------------------------


def ref(name: str) -> dict[str, Any]:
    return {"text": name, "target": name, "line": 1, "resolved": True, "url": None}


def link(text: str, target: str, kind: str = "external") -> dict[str, Any]:
    return {
        "kind": kind,
        "target": target,
        "text": text,
        "line": 1,
        "reftype": None,
        "resolved": None,
        "url": target,
    }


def step(
    sid: str, title: str | None, body: str = "", number: str | None = None, **fields: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": sid, "number": number, "title": title, "text": body, "line": 1, "origin": "item",
        "ordered": number is not None, "list_index": 0, "owner": None, "anchor": f"rb--{sid}", "url": None,
        "substeps": [], "terms": [], "roles": [], "links": [], "admonitions": [], "footnotes": [],
        "swallowed": [],
    }  # fmt: skip
    data.update(fields)
    return data


def numbered(*steps: dict[str, Any]) -> list[dict[str, Any]]:
    """The steps numbered 1, 2, 3... as their list would number them."""
    return [{**s, "number": str(n)} for n, s in enumerate(steps, 1)]


def runbook(
    rid: str, steps: list[dict[str, Any]], title: str = "Incident response", **fields: Any
) -> dict[str, Any]:
    data = {"id": rid, "title": title, "docname": "incidents", "url": f"incidents.html#{rid}", "anchor": rid,
            "owners": [], "intro": "", "steps": steps}  # fmt: skip
    data.update(fields)
    return data


def doc(*runbooks: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": "1.1", "generator": {"name": "sphinx-incident", "version": "0"}, "project": "P",
            "base_url": "", "runbooks": list(runbooks)}  # fmt: skip


ACK = step("acknowledge-the-incident", "Acknowledge the incident", "in the support ticket.")
PAGE = step(
    "page-the-incident-commander", "Page the Incident Commander", "through PagerDuty, with the ticket link."
)
COMM = step("communicate-our-status", "Communicate our status", "every few hours in the incident channel.")
RESOLVE = step("resolve", "Resolve", "the incident and close the ticket.")


def steps_of(changes: Changes, rid: str = "ir") -> list[StepChange]:
    return next(r for r in changes.runbooks if r.id == rid).steps


def summary(change: StepChange) -> tuple[str, str | None, list[str]]:
    ref_ = change.new or change.old
    assert ref_ is not None
    details = change.details() + (["renumbered"] if change.renumbered else [])
    return change.status, ref_.id, details


# -- each kind of change ---------------------------------------------------------------------


def test_nothing_changed() -> None:
    data = doc(runbook("ir", numbered(ACK, PAGE, COMM)))
    changes = compare(data, json.loads(json.dumps(data)))
    assert not changes.changed
    assert text(changes) == "runbook changes: no runbook changed\n"


def test_step_removed_renumbers_the_rest_without_moving_them() -> None:
    changes = compare(doc(runbook("ir", numbered(ACK, PAGE, COMM, RESOLVE))),
                      doc(runbook("ir", numbered(ACK, COMM, RESOLVE))))  # fmt: skip
    assert [summary(c) for c in steps_of(changes)] == [
        ("removed", "page-the-incident-commander", []),
        ("changed", "communicate-our-status", ["renumbered"]),
        ("changed", "resolve", ["renumbered"]),
    ]
    assert text(changes) == (
        "runbook changes: 1 runbook changed\n"
        '~ runbook ir "Incident response": 1 step removed\n'
        '  - removed step 2 "Page the Incident Commander"\n'
        "  renumbered: 3 → 2, 4 → 3\n"
    )


def test_step_added_at_the_top() -> None:
    changes = compare(doc(runbook("ir", numbered(PAGE, COMM))), doc(runbook("ir", numbered(ACK, PAGE, COMM))))
    assert [summary(c) for c in steps_of(changes)] == [
        ("added", "acknowledge-the-incident", []),
        ("changed", "page-the-incident-commander", ["renumbered"]),
        ("changed", "communicate-our-status", ["renumbered"]),
    ]


def test_one_step_moved_is_the_only_one_moved() -> None:
    changes = compare(doc(runbook("ir", numbered(ACK, PAGE, COMM, RESOLVE))),
                      doc(runbook("ir", numbered(ACK, COMM, RESOLVE, PAGE))))  # fmt: skip
    assert [summary(c) for c in steps_of(changes)] == [
        ("changed", "communicate-our-status", ["renumbered"]),
        ("changed", "resolve", ["renumbered"]),
        ("changed", "page-the-incident-commander", ["moved"]),
    ]
    assert '~ step 4 "Page the Incident Commander": moved (was step 2)' in text(changes)


def test_retitled_step_with_a_new_id_is_one_changed_step() -> None:
    renamed = step("page-the-incident-commander-on-call", "Page the Incident Commander on call", PAGE["text"])
    changes = compare(doc(runbook("ir", numbered(ACK, PAGE))), doc(runbook("ir", numbered(ACK, renamed))))
    (change,) = steps_of(changes)
    assert summary(change) == ("changed", "page-the-incident-commander-on-call", ["renamed", "retitled"])
    assert change.old is not None and change.old.id == "page-the-incident-commander"
    assert text(changes).splitlines()[-1] == (
        '  ~ step 2 "Page the Incident Commander on call": retitled from "Page the Incident Commander"; '
        "id page-the-incident-commander → page-the-incident-commander-on-call (links to the old anchor break)"
    )


def test_rename_and_reorder_is_not_a_removal_and_an_addition() -> None:
    renamed = step(
        "page-the-on-call-commander", "Page the on-call commander", "through PagerDuty, with the ticket."
    )
    changes = compare(doc(runbook("ir", numbered(ACK, PAGE, COMM, RESOLVE))),
                      doc(runbook("ir", numbered(ACK, COMM, renamed, RESOLVE))))  # fmt: skip
    assert {c.status for c in steps_of(changes)} == {"changed"}
    assert [summary(c) for c in steps_of(changes)] == [
        ("changed", "communicate-our-status", ["renumbered"]),
        ("changed", "page-the-on-call-commander", ["renamed", "retitled", "moved", "text"]),
    ]


def test_text_owner_and_references() -> None:
    old = step("triage", "Triage", "Ask the Technology Lead to review the fix before it ships.",
               owner=ref("Technology Lead"), roles=[ref("Technology Lead")], terms=[ref("SLO")])  # fmt: skip
    new = step("triage", "Triage", "Ask the Incident Commander to review the fix before it ships.",
               owner=ref("Incident Commander"), roles=[ref("Incident Commander"), ref("Incident Commander")],
               terms=[ref("SLO"), ref("Error budget")])  # fmt: skip
    (change,) = steps_of(compare(doc(runbook("ir", numbered(old))), doc(runbook("ir", numbered(new)))))
    assert change.text is not None and change.text.ops == [
        ("=", "Ask the"), ("-", "Technology Lead"), ("+", "Incident Commander"),
        ("=", "to review the fix before it ships."),
    ]  # fmt: skip
    assert (change.owner.status, change.owner.old, change.owner.new) == (  # type: ignore[union-attr]
        "changed", "Technology Lead", "Incident Commander")  # fmt: skip
    # a role named twice is one role
    assert [(r.status, r.label) for r in change.roles] == [("removed", "Technology Lead"),
                                                           ("added", "Incident Commander")]  # fmt: skip
    assert [(t.status, t.label) for t in change.terms] == [("added", "Error budget")]


def test_links_buttons_and_admonitions() -> None:
    old = step("open-a-ticket", "Open a ticket", "", links=[
        link("Status page", "https://status.northwind.test/new", "button"),
        link("Escalation policy", "https://wiki.northwind.test/escalation"),
        link("Old dashboard", "https://grafana.northwind.test/d/old"),
    ], admonitions=[{"kind": "warning", "title": "Warning", "text": "Do not use threads.", "line": 1,
                     "classes": []}])  # fmt: skip
    new = step("open-a-ticket", "Open a ticket", "", links=[
        link("Status page", "https://status.northwind.test/incidents/new", "button"),
        link("Escalation policy", "https://wiki.northwind.test/escalation"),
        link("Runbook dashboard", "https://grafana.northwind.test/d/runbooks"),
    ], admonitions=[{"kind": "warning", "title": "Warning", "text": "Never use threads.", "line": 1,
                     "classes": []},
                    {"kind": "note", "title": "Note", "text": "PagerDuty imports the channel.", "line": 2,
                     "classes": []}])  # fmt: skip
    changes = compare(doc(runbook("ir", numbered(old))), doc(runbook("ir", numbered(new))))
    assert text(changes).splitlines()[-1] == (
        '  ~ step 1 "Open a ticket": link "Old dashboard" removed (https://grafana.northwind.test/d/old); '
        'link "Runbook dashboard" added (https://grafana.northwind.test/d/runbooks); '
        'button "Status page": https://status.northwind.test/new → '
        "https://status.northwind.test/incidents/new; "
        'admonition "warning" reworded: [-Do not-] {+Never+} use threads.; admonition "note" added'
    )


def test_sub_step_moved_to_another_step() -> None:
    sub = step("a.check-the-logs", "Check the logs", "of the service.")
    old = [step("a", "Investigate", "", "1", substeps=[sub]), step("b", "Mitigate", "", "2")]
    moved = {**sub, "id": "b.check-the-logs", "anchor": "rb--b.check-the-logs"}
    new = [step("a", "Investigate", "", "1"), step("b", "Mitigate", "", "2", substeps=[moved])]
    (change,) = steps_of(compare(doc(runbook("ir", old)), doc(runbook("ir", new))))
    assert summary(change) == ("changed", "b.check-the-logs", ["renamed", "moved"])
    assert change.reparented


def test_runbooks_added_removed_and_renamed() -> None:
    old = doc(runbook("ir", numbered(ACK, PAGE)), runbook("old-failover", numbered(COMM), title="Failover"))
    new = doc(
        runbook("incident-response", numbered(ACK, PAGE)), runbook("cert", numbered(RESOLVE), title="Certs")
    )
    changes = compare(old, new)
    assert [(r.status, r.id, r.old_id) for r in changes.runbooks] == [
        ("changed", "incident-response", "ir"), ("added", "cert", None), ("removed", "old-failover", None),
    ]  # fmt: skip
    assert text(changes) == (
        "runbook changes: 1 runbook changed, 1 added, 1 removed\n"
        '~ runbook incident-response "Incident response"\n'
        "  * id ir → incident-response (links to the old anchors break)\n"
        '+ runbook cert "Certs" added (1 step, page incidents)\n'
        '- runbook old-failover "Failover" removed (1 step, page incidents)\n'
    )


# -- the pull-request comment ------------------------------------------------------------------

EXPECTED_COMMENT = """\
<!-- sphinx-incident diff -->
### Runbook changes

From `main` to `pr-42`: 1 runbook changed, 1 added.

<details>
<summary><strong>Incident response</strong> (<code>ir</code>): 1 step added, 1 removed, 2 changed (1 moved)</summary>

- **Removed** step 1 “Acknowledge the incident”
- **Changed** step 1 “Communicate our status”: moved (was step 3)
- **Changed** step 2 “Page the \\*on-call\\* commander”:
  - retitled from “Page the Incident Commander”
  - id `page-the-incident-commander` → `page-the-on-call-commander` (links to the old anchor break)
  - text: through PagerDuty, <del>with the ticket link.</del> <ins>then tell @\u2060oncall &lt;script&gt;alert(1)&lt;/script&gt;</ins>
- **Added** step 3 “Escalate \\[now\\](javascript:alert(1))”

</details>

<details>
<summary><strong>Certs &lt;b&gt;&amp;&lt;/b&gt;</strong> (<code>cert</code>): added, 1 step</summary>

- **Added** step 1 “Resolve”

</details>
"""  # noqa: E501


def test_markdown_comment_matches_the_hand_written_one() -> None:
    renamed = step("page-the-on-call-commander", "Page the *on-call* commander",
                   "through PagerDuty, then tell @oncall <script>alert(1)</script>")  # fmt: skip
    escalate = step("escalate-now-javascript-alert-1", "Escalate [now](javascript:alert(1))", "")
    old = doc(runbook("ir", numbered(ACK, PAGE, COMM, RESOLVE)))
    new = doc(runbook("ir", numbered(COMM, renamed, escalate, RESOLVE)),
              runbook("cert", numbered(RESOLVE), title="Certs <b>&</b>"))  # fmt: skip
    assert markdown(compare(old, new), "main", "pr-42") == EXPECTED_COMMENT


def test_markdown_escaping() -> None:
    assert inert_markdown("a *b* _c_ `d` [e](f) <g> & h | i ~~j~~ \\") == (
        "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) &lt;g&gt; &amp; h \\| i \\~\\~j\\~\\~ \\\\"
    )
    assert inert_markdown("ping @team about #12\nnow") == "ping @\u2060team about #\u206012 now"
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x`") == "`` `x` ``"


# -- the command: files, folders and git ---------------------------------------------------------


def write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), "utf-8")
    return path


def test_files_and_site_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write(tmp_path / "old" / "runbooks.json", doc(runbook("ir", numbered(ACK, PAGE))))
    new = write(tmp_path / "new.json", doc(runbook("ir", numbered(ACK))))
    assert cli.main(["diff", str(old.parent), str(new)]) == 0
    assert "removed step 2" in capsys.readouterr().out
    assert cli.main(["diff", str(old.parent), str(new), "--exit-code"]) == 1
    assert cli.main(["diff", str(old), str(old), "--exit-code"]) == 0
    assert cli.main(["diff", str(old), str(new), "--format", "json"]) == 0
    capsys.readouterr()
    cli.main(["diff", str(old), str(new), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert (data["changed"], data["runbooks"][0]["steps"][0]["status"]) == (1, "removed")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["only-one.json"], "expects OLD and NEW"),
        (["missing.json", "missing.json"], "missing.json: no such file or folder"),
        (["bad.json", "bad.json"], "bad.json: not JSON"),
        (["a", "b", "--git", "HEAD~1"], "with --git, name one source folder"),
        (["a", "--git", "HEAD~2", "HEAD~1", "HEAD"], "--git takes one or two revisions"),
    ],
)
def test_usage_errors(args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.json").write_text("{", "utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert cli.main(["diff", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sphinx-incident diff: ") and message in err and err.count("\n") == 1


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding a real handbook under docs/, committed twice: the second commit
    renames a step, moves another, and changes a button's URL."""
    for name, value in {
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Handbook", "GIT_AUTHOR_EMAIL": "handbook@northwind.test",
        "GIT_COMMITTER_NAME": "Handbook", "GIT_COMMITTER_EMAIL": "handbook@northwind.test",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    root = tmp_path / "repo"
    shutil.copytree(ROOTS / "test-alerts", root / "docs")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Handbook")
    page = root / "docs" / "incidents.md"
    page.write_text(
        page.read_text("utf-8").replace(
            "1. **Acknowledge the incident** in the support ticket.\n"
            "2. **Page the Incident Commander**. Who: {role}`Incident Commander`\n",
            "1. **Page the on-call Incident Commander**. Who: {role}`Incident Commander`\n"
            "2. **Acknowledge the incident** in the support ticket.\n",
        ),
        "utf-8",
    )
    git(root, "commit", "-q", "-am", "Page first, then acknowledge")
    return root


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def test_git_revisions_of_a_real_handbook(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo / "docs")
    # REV2 defaults to the working tree, the source folder to the current one
    assert cli.main(["diff", "--git", "HEAD~1", "--exit-code"]) == 1
    out = capsys.readouterr().out
    short = git(repo, "rev-parse", "--short", "HEAD~1").strip()
    assert out == (
        f"runbook changes from HEAD~1 ({short}) to the working tree: 1 runbook changed\n"
        '~ runbook incident-response "Incident response": 1 step changed (1 moved)\n'
        '  ~ step 1 "Page the on-call Incident Commander": retitled from "Page the Incident Commander"; '
        "id page-the-incident-commander → page-the-on-call-incident-commander (links to the old anchor "
        "break); moved (was step 2)\n"
        "  renumbered: 1 → 2\n"
    )
    # the temporary checkouts are gone
    assert git(repo, "worktree", "list").count("\n") == 1
    # the folder may follow the revisions, as with `git diff`
    monkeypatch.chdir(repo)
    assert cli.main(["diff", "--git", "HEAD~1", "HEAD", "docs", "--format", "markdown"]) == 0
    comment = capsys.readouterr().out
    assert "<summary><strong>Incident response</strong> (<code>incident-response</code>)" in comment
    assert cli.main(["diff", "docs", "--git", "HEAD", "--exit-code"]) == 0
    assert "no runbook changed" in capsys.readouterr().out


def test_git_errors(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(repo)
    assert cli.main(["diff", "docs", "--git", "no-such-branch"]) == 2
    assert "'no-such-branch' names no commit" in capsys.readouterr().err
    assert cli.main(["diff", "docs", "--git", "--upload-pack=touch /tmp/x"]) == 2
    assert "is not a revision" in capsys.readouterr().err
    outside = tmp_path / "plain"
    outside.mkdir()
    assert cli.main(["diff", str(outside), "--git", "HEAD"]) == 2
    assert "is not inside a git repository" in capsys.readouterr().err
    # a revision whose source folder has no conf.py
    git(repo, "rm", "-q", "docs/conf.py")
    git(repo, "commit", "-q", "-m", "No configuration")
    assert cli.main(["diff", "docs", "--git", "HEAD~1", "HEAD"]) == 2
    short = git(repo, "rev-parse", "--short", "HEAD").strip()
    assert (
        capsys.readouterr().err
        == f"sphinx-incident diff: HEAD ({short}): docs has no conf.py at that revision\n"
    )
    assert git(repo, "worktree", "list").count("\n") == 1


def test_runbook_level_changes() -> None:
    old = runbook("ir", numbered(ACK), title="Incident response", docname="incidents",
                  owners=[ref("Incident Commander")],
                  intro="Follow these steps for every incident.")  # fmt: skip
    new = runbook("ir", numbered(ACK), title="Responding to incidents", docname="support/incidents",
                  owners=[ref("Incident Commander"), ref("Technology Lead")],
                  intro="Follow these steps for every major incident.")  # fmt: skip
    assert text(compare(doc(old), doc(new))) == (
        "runbook changes: 1 runbook changed\n"
        '~ runbook ir "Responding to incidents"\n'
        '  * retitled from "Incident response"\n'
        "  * moved from page incidents to support/incidents\n"
        '  * owner "Technology Lead" added\n'
        "  * introduction: … these steps for every {+major+} incident.\n"
    )


HOSTILE = [
    '<img src=x onerror="alert(1)">',
    "</details></summary><script>alert(1)</script>",
    "[click](javascript:alert(1)) ![pixel](https://tracker.test/p.png)",
    "<https://evil.test> *bold* _it_ `code` ~~gone~~ | table |",
    "@everyone see #1",
    "&lt;b&gt; &#60;i&#62;",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_nothing_from_the_documents_becomes_markup_in_the_comment(hostile: str) -> None:
    from html.parser import HTMLParser

    from markdown_it import MarkdownIt

    def note(body: str) -> dict[str, Any]:
        return {"kind": "note", "title": "Note", "text": body, "line": 1, "classes": []}

    old_step = step("a", "Acknowledge", "Say hello.", roles=[ref("Lead")], admonitions=[note("x")],
                    links=[link("Status", "https://status.test/a", "button")])  # fmt: skip
    new_step = step("a", f"Acknowledge {hostile}", f"Say {hostile}.", owner=ref(hostile),
                    links=[link(f"Status {hostile}", f"https://status.test/{hostile}", "button")],
                    roles=[ref(hostile)], terms=[ref(hostile)],
                    admonitions=[note(hostile)])  # fmt: skip
    old = doc(runbook("ir", numbered(old_step)), runbook("gone", numbered(ACK), title=hostile))
    new = doc(
        runbook("ir", numbered(new_step), title=hostile), runbook("new", numbered(new_step), title=hostile)
    )
    comment = markdown(compare(old, new), hostile, "the working tree")
    rendered = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(comment)

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.tags: set[str] = set()
            self.text: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.add(tag)
            assert attrs == [], (tag, attrs)  # no attribute comes from anywhere

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    parser = Tags()
    parser.feed(rendered)
    assert parser.tags <= {"details", "summary", "strong", "code", "del", "ins", "ul", "li", "h3", "p"}
    # the hostile text is shown as written (mentions and references broken by a word joiner)
    shown = "".join(parser.text).replace("\u2060", "")
    assert " ".join(hostile.split()) in shown


def test_an_id_change_without_a_word_changed_and_new_words_under_an_old_id_are_both_told() -> None:
    old = [
        {"id": "stop-writers", "title": None, "text": "Stop the writers.", "number": "1"},
        {"id": "restore", "title": "Restore", "text": "From last night.", "number": "2"},
    ]
    new = [
        {"id": "pinned-stop", "title": None, "text": "Stop the writers.", "number": "1"},
        {"id": "restore", "title": "Restore", "text": "From the last hour.", "number": "2"},
    ]
    changes = compare_steps(old, new)
    by_id = {c.new.id: c for c in changes if c.new is not None}
    assert by_id["pinned-stop"].renamed and by_id["pinned-stop"].same_text
    assert not by_id["restore"].renamed and not by_id["restore"].same_text
    text = "; ".join(step_details(by_id["pinned-stop"], Style()))
    assert "although it says the same" in text
    text = "; ".join(step_details(by_id["restore"], Style()))
    assert text.endswith("same id, new words: saved runs ask the responder about their ticks on it")
