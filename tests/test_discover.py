"""Adopting a whole handbook: discover its procedures, declare them by page or section, lint them all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from sphinx_incident.commands import cli
from sphinx_incident.commands.handbook import Handbook, read_handbook
from sphinx_incident.reading.classify import ItemSample, ListSample, classify, instructs_mostly

from conftest import EXAMPLE_DOCS, TESTS, copy_tree

CORPUS = TESTS / "corpus" / "discovery"
EXPECTED = json.loads((CORPUS / "expected.json").read_text("utf-8"))
POSITIVE = {"procedure", "checklist"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Handbook:
    srcdir = tmp_path_factory.mktemp("discovery") / "src"
    shutil.copytree(CORPUS, srcdir, ignore=shutil.ignore_patterns("_build", "expected.json"))
    return read_handbook(srcdir, {"incident_lint_scope": "discovered"}, freshenv=True)


def scores(handbook: Handbook) -> dict[str, float]:
    """Precision and recall of "procedure or checklist" on the hand-labelled corpus."""
    found = {(d.docname, d.line): d for d in handbook.discovered}
    tp = fp = fn = 0
    for item in EXPECTED["lists"]:
        got = found[(item["doc"], item["line"])]
        expected = item["verdict"] in POSITIVE
        tp += got.positive and expected
        fp += got.positive and not expected
        fn += expected and not got.positive
    return {"lists": len(EXPECTED["lists"]), "precision": tp / (tp + fp), "recall": tp / (tp + fn)}


def test_every_list_of_the_corpus_is_classified(corpus: Handbook) -> None:
    found = {(d.docname, d.line) for d in corpus.discovered}
    assert found == {(item["doc"], item["line"]) for item in EXPECTED["lists"]}
    assert len(found) >= 60


def test_procedures_are_told_from_look_alikes(corpus: Handbook) -> None:
    numbers = scores(corpus)
    assert numbers["precision"] >= 0.9
    assert numbers["recall"] >= 0.9


def test_verdicts_name_the_look_alike(corpus: Handbook) -> None:
    found = {(d.docname, d.line): d for d in corpus.discovered}
    agree = sum(found[(i["doc"], i["line"])].verdict == i["verdict"] for i in EXPECTED["lists"])
    assert agree / len(EXPECTED["lists"]) >= 0.75  # the kind of look-alike, not only "not a procedure"


def test_the_classifier_explains_itself() -> None:
    steps = ListSample(
        ordered=True,
        section="Restart the API",
        items=[ItemSample("Drain the node", title="Drain the node", has_code=True), ItemSample("Restart it")],
    )
    verdict = classify(steps)
    assert verdict.verdict == "procedure" and verdict.confidence > 0.9
    assert any("open with an instruction" in reason for reason in verdict.reasons)
    links = ListSample(
        ordered=False, section="See also", items=[ItemSample("Dashboards", link_only=True)] * 3
    )
    assert classify(links).verdict == "links"


# -- the command ---------------------------------------------------------------------------


def test_discover_lists_exactly_the_example_handbooks_runbooks(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["discover", str(EXAMPLE_DOCS), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert sorted((d["docname"], d["declared"], d["verdict"]) for d in found) == [
        ("runbooks/certificate-expiry", True, "procedure"),
        ("runbooks/database-failover", True, "procedure"),
        ("support/incident-reports", True, "procedure"),
        ("support/incidents", True, "procedure"),
    ]
    keys = {
        "docname",
        "source",
        "line",
        "section",
        "steps",
        "confidence",
        "reasons",
        "declared",
        "entry",
        "verdict",
    }
    assert keys <= set(found[0])


def test_conf_output_declares_what_the_labels_declare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The ``conf`` block, pasted into a handbook that declares nothing, gives the same step list."""
    labelled = copy_tree(CORPUS, tmp_path / "labelled")
    assert cli.main(["discover", str(labelled), "--format", "conf"]) == 0
    block = capsys.readouterr().out
    assert block.startswith("incident_runbooks = [\n")
    conf = labelled / "conf.py"
    conf.write_text(conf.read_text("utf-8") + "\n" + block, "utf-8")
    declared = read_handbook(labelled, {"incident_lint_scope": "discovered"}, freshenv=True)
    assert len(declared.runbooks) == len({(d.docname, d.entry) for d in declared.discovered if d.positive})
    assert all(d.declared for d in declared.discovered if d.positive)
    # nothing more to add: discovering again proposes the same block
    assert cli.main(["discover", str(labelled), "--format", "conf"]) == 0
    assert capsys.readouterr().out == block


def test_text_output_says_what_to_add(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = copy_tree(CORPUS, tmp_path / "src")
    assert cli.main(["discover", str(src)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any("ops/deploys.md:" in line and "add 'ops/deploys#roll-back-a-deploy'" in line for line in out)
    assert out[-2].endswith("not declared")
    assert cli.main(["discover", str(src), "--all"]) == 0
    assert "links (" in capsys.readouterr().out


# -- declaring without labels ----------------------------------------------------------------

PAGE = """\
# Incidents

Intro prose.

(respond)=
## Respond to an incident

1. **Acknowledge**. Tell the channel.
2. **Fix it**.

## Communicate

- Post an update.
"""


@pytest.mark.parametrize(
    ("entry", "runbook_id"),
    [
        ("respond", "respond"),
        ("support/incidents#respond-to-an-incident", "support-incidents.respond-to-an-incident"),
    ],
)
def test_section_entries_give_the_label_model(tmp_path: Path, entry: str, runbook_id: str) -> None:
    runbook = _only_runbook(tmp_path, {"support/incidents.md": PAGE}, entry)
    assert runbook["id"] == runbook_id
    assert runbook["label"] == entry
    assert [s["title"] for s in runbook["steps"]] == ["Acknowledge", "Fix it"]


@pytest.mark.parametrize(
    ("entry", "runbook_id"), [("runbooks/restart", "runbooks-restart"), ("runbooks/*", "runbooks-restart")]
)
def test_page_entries_give_the_label_model(tmp_path: Path, entry: str, runbook_id: str) -> None:
    page = "# Restart\n\n1. **Drain**.\n2. **Restart**.\n"
    labelled = "(restart-label)=\n" + page
    by_page = _only_runbook(tmp_path / "page", {"runbooks/restart.md": page}, entry)
    by_label = _only_runbook(tmp_path / "label", {"runbooks/restart.md": labelled}, "restart-label")
    assert by_page["id"] == runbook_id
    positional = ("id", "label", "anchor", "url", "line")
    assert _without(by_page, positional) == _without(by_label, positional)


def _without(data: Any, keys: tuple[str, ...]) -> Any:
    if isinstance(data, dict):
        return {k: _without(v, keys) for k, v in data.items() if k not in keys}
    if isinstance(data, list):
        return [_without(v, keys) for v in data]
    return data


def _only_runbook(tmp_path: Path, pages: dict[str, str], entry: str) -> dict[str, Any]:
    src = tmp_path / "src"
    for name, text in pages.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, "utf-8")
    names = "\n".join(name.removesuffix(".md") for name in pages)
    (src / "index.md").write_text(f"# Handbook\n\n```{{toctree}}\n{names}\n```\n", "utf-8")
    (src / "conf.py").write_text(
        f'extensions = ["myst_parser", "sphinx_incident"]\nincident_runbooks = [{entry!r}]\n', "utf-8"
    )
    handbook = read_handbook(src, freshenv=True)
    assert handbook.problems == []
    from sphinx_incident.rendering.step_list import runbook_data

    (runbook,) = handbook.runbooks
    return runbook_data(runbook)


def test_an_entry_that_matches_nothing(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "index.md").write_text(PAGE, "utf-8")
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_incident"]\n'
        'incident_runbooks = ["nope", "index#no-such-id", "runbooks/*", "index#respond"]\n',
        "utf-8",
    )
    handbook = read_handbook(src, freshenv=True)
    assert [(p.rule, p.line) for p in handbook.problems] == [
        ("unknown_entry", 2),
        ("unknown_entry", 2),
        ("unknown_entry", 2),
    ]
    assert [r.label for r in handbook.runbooks] == ["index#respond"]


# -- linting what no one declared ---------------------------------------------------------------


def test_lint_scope_discovered_checks_undeclared_procedures(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text('extensions = ["myst_parser"]\n', "utf-8")
    (docs / "index.md").write_text(
        "# Ops\n\n## Restart the API\n\n1. **Drain the node**.\n\n  Wait for the pods.\n\n"
        "2. **Restart the service**.\n\n## Team\n\n- Priya, manager\n- Tomasz, databases\n",
        "utf-8",
    )
    assert cli.main(["lint", "docs"]) == 0
    assert capsys.readouterr().out == "0 errors, 0 warnings in 0 runbooks\n"
    assert cli.main(["lint", "docs", "--scope", "discovered"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("docs/index.md:7: error: [outdented_body]")
    assert out[-1] == "1 error, 0 warnings in 0 runbooks"  # checked, but not a runbook of the step list


def test_conf_output_for_the_example_handbook_gives_its_step_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without its labels in conf.py, discover proposes them again, and they give the same step list."""
    original = read_handbook(copy_tree(EXAMPLE_DOCS, tmp_path / "original"), freshenv=True)
    bare = copy_tree(EXAMPLE_DOCS, tmp_path / "bare")
    conf = bare / "conf.py"
    conf.write_text(conf.read_text("utf-8").replace("incident_runbooks = ", "_declared = "), "utf-8")
    assert cli.main(["discover", str(bare), "--format", "conf"]) == 0
    block = capsys.readouterr().out
    assert block == "incident_runbooks = [\n    'support:incident-response',\n]\n"
    conf.write_text(conf.read_text("utf-8") + "\n" + block, "utf-8")
    pasted = read_handbook(bare, freshenv=True)
    from sphinx_incident.rendering.step_list import document, dumps

    assert dumps(document(pasted.runbooks, "x")) == dumps(document(original.runbooks, "x"))


def test_a_list_in_an_included_file_is_found_at_its_own_line_and_names_the_page(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "shared").mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["myst_parser"]\nexclude_patterns = ["shared"]\n')
    (src / "shared" / "steps.md").write_text("Intro.\n\n1. **Drain the node**.\n2. **Reboot it**.\n")
    (src / "index.md").write_text("# Reboot a node\n\nFirst.\n\n```{include} shared/steps.md\n```\n")
    handbook = read_handbook(src, {"incident_lint_scope": "discovered"}, freshenv=True, discover=True)
    (found,) = handbook.discovered
    assert (found.source, found.line, found.page) == ("shared/steps.md", 3, "index.md")


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("II..", True), ("I...", False), ("..II", True), ("...", False), ("I.I", True), ("", False)],
)
def test_a_page_s_procedures_are_read_only_until_the_answer_is_known(pattern: str, expected: bool) -> None:
    # "I" instructs, "." does not: at least half must; the items are read lazily and never
    # past the one that settles it (a page's long procedures are read once more for this)
    read: list[str] = []

    def items():
        for mark in pattern:
            read.append(mark)
            yield ItemSample("Restart the proxy" if mark == "I" else "The proxy restarts")

    assert instructs_mostly(items(), len(pattern)) is expected
    settled = {"II..": 2, "I...": 4, "..II": 4, "...": 2, "I.I": 3, "": 0}[pattern]
    assert len(read) == settled
