"""Stable identity: an edit changes the id of what it edits, and of nothing else.

Alert rules, saved incident runs, hand-off links and diffs reach a step
through its runbook's id and its own. A handbook is edited one step at a
time (:data:`EDITS`, one line each); after each edit it is built again and
every runbook id and step id is compared with the build before: exactly the
ids the edit names may change (none, for most edits), whatever the order in
which pages are read or declared, and whatever the number of parallel
readers. Adding a case is one line.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import walk_steps

Edit = Callable[[Path], None]


def replace(name: str, old: str, new: str) -> Edit:
    def edit(src: Path) -> None:
        text = (src / name).read_text("utf-8")
        assert old in text, (name, old)
        (src / name).write_text(text.replace(old, new, 1), "utf-8")

    return edit


def write(name: str, text: str) -> Edit:
    def edit(src: Path) -> None:
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, "utf-8")

    return edit


def rename(old: str, new: str) -> Edit:
    def edit(src: Path) -> None:
        (src / new).parent.mkdir(parents=True, exist_ok=True)
        (src / old).rename(src / new)

    return edit


CONF = (
    'extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]\n'
    "incident_runbooks = [\n"
    '    "ops/database#restore-from-backup",\n'
    '    "ops/database#rotate-credentials",\n'
    '    "alerts/*",\n'
    "]\n"
)

CLOSE_INCIDENT = """\
# Close an incident

1. **Confirm recovery** on the dashboards.
2. Tell the stakeholders that the service is back.
   - Mark the incident as "Resolved" in the paging app.
   - Post the all-clear in the incident channel.
3. **Write the timeline** while it is fresh.
4. Schedule the review within five working days.
"""

DATABASE = """\
# Database

## Restore from backup

1. **Stop the writers**.
2. **Restore the snapshot** into a new instance.
3. **Switch the connection string**.

## Rotate credentials

1. **Create the new user**.
2. **Deploy the new secret**.
"""

ALERT = """\
# {title}

## Mitigation

1. **Check the dashboard**.
2. **Scale out** the deployment.
"""

BASE = {
    "conf.py": CONF,
    "index.md": "# Handbook\n\n```{toctree}\n:glob:\n\n*\n*/*\n```\n",
    "close-incident.md": "---\nrunbook: true\n---\n" + CLOSE_INCIDENT,
    "ops/database.md": DATABASE,
    "alerts/api-latency-high.md": ALERT.format(title="API latency high"),
    "alerts/api-latency-high-for-writes.md": ALERT.format(title="API latency high for writes"),
}

#: (what the edit does, the edit, the step ids it may change as (runbook id, step id),
#: the runbook ids it may change)
EDITS: list[tuple[str, Edit, set[tuple[str, str]], set[str]]] = [
    (
        "insert a first step",
        replace(
            "close-incident.md",
            "1. **Confirm recovery**",
            "1. **Open the incident log**.\n1. **Confirm recovery**",
        ),
        set(),
        set(),
    ),
    (
        "insert a sub-step that shares its first six words with the next one",
        replace(
            "close-incident.md",
            '   - Mark the incident as "Resolved"',
            "   - Mark the incident as resolved in the status page too.\n"
            '   - Mark the incident as "Resolved"',
        ),
        set(),
        set(),
    ),
    (
        "reword a title",
        replace("close-incident.md", "**Write the timeline**", "**Write down the timeline**"),
        {("close-incident", "write-the-timeline")},
        set(),
    ),
    (
        "reword an untitled step",
        replace("close-incident.md", "within five working days", "within three working days"),
        {("close-incident", "schedule-the-review-within-five-working-days")},
        set(),
    ),
    (
        "reword a step that has sub-steps",
        replace("close-incident.md", "Tell the stakeholders that", "Tell everyone who asked that"),
        {("close-incident", "tell-the-stakeholders-that-the-service-is-back")},
        set(),
    ),
    (
        "add a runbook on another page",
        write("alerts/api-errors.md", ALERT.format(title="API errors")),
        set(),
        set(),
    ),
    (
        "swap two declarations",
        replace(
            "conf.py",
            '    "ops/database#restore-from-backup",\n    "ops/database#rotate-credentials",\n',
            '    "ops/database#rotate-credentials",\n    "ops/database#restore-from-backup",\n',
        ),
        set(),
        set(),
    ),
    (
        "add a page that sorts before the others and derives a similar id",
        write("alerts/api-latency-high-for-reads.md", ALERT.format(title="API latency high for reads")),
        set(),
        set(),
    ),
    (
        "rename a page so it sorts the other way",
        rename("alerts/api-latency-high.md", "alerts/zz-api-latency-high.md"),
        set(),
        {"alerts-api-latency-high"},
    ),
]


def _ids(out: Path) -> dict[str, dict[str, str]]:
    """runbook id -> {step id: its text's fingerprint}."""
    data = json.loads((out / "runbooks.json").read_text("utf-8"))
    found: dict[str, dict[str, str]] = {}
    for runbook in data["runbooks"]:
        steps = walk_steps(runbook["steps"])
        ids = [step["id"] for step in steps]
        assert len(ids) == len(set(ids)), f"duplicate step ids in {runbook['id']}: {ids}"
        found[runbook["id"]] = {step["id"]: step["fingerprint"] for step in steps}
    assert len(found) == len(data["runbooks"]), "duplicate runbook ids"
    return found


def _build(make_app: Any, src: Path, parallel: int) -> dict[str, dict[str, str]]:
    app = make_app("runbooks", srcdir=src, freshenv=True, parallel=parallel)
    try:
        app.build()
    finally:
        app.cleanup()
    return _ids(Path(app.outdir))


def _source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    for name, text in BASE.items():
        write(name, text)(src)
    return src


@pytest.mark.parametrize("parallel", [1, 2])
def test_an_edit_changes_only_the_ids_of_what_it_edits(make_app: Any, tmp_path: Path, parallel: int) -> None:
    src = _source(tmp_path)
    before = _build(make_app, src, parallel)
    assert "close-incident" in before and "ops-database.restore-from-backup" in before
    for what, edit, steps_may_change, runbooks_may_change in EDITS:
        edit(src)
        after = _build(make_app, src, parallel)
        for runbook_id, steps in before.items():
            if runbook_id in runbooks_may_change:
                continue
            assert runbook_id in after, f"after '{what}': runbook {runbook_id} lost its id"
            for step_id, fingerprint in steps.items():
                if (runbook_id, step_id) in steps_may_change:
                    assert step_id not in after[runbook_id], f"after '{what}': {step_id} kept its id"
                    continue
                assert step_id in after[runbook_id], f"after '{what}': {runbook_id} lost step {step_id}"
                if fingerprint != after[runbook_id][step_id]:
                    pytest.fail(f"after '{what}': {runbook_id}/{step_id} now names another text")
        before = after


def test_the_same_handbook_gives_the_same_ids_in_every_order_and_worker_count(
    make_app: Any, tmp_path: Path
) -> None:
    src = _source(tmp_path)
    serial = _build(make_app, src, 1)
    copy = tmp_path / "copy"
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns("_build"))
    replace(
        "conf.py",
        '    "ops/database#restore-from-backup",\n    "ops/database#rotate-credentials",\n',
        '    "ops/database#rotate-credentials",\n    "ops/database#restore-from-backup",\n',
    )(copy)
    assert _build(make_app, copy, 2) == serial


def test_a_hundred_glob_declared_pages_with_long_common_prefixes_get_distinct_plain_ids(
    make_app: Any, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_incident"]\nincident_runbooks = ["runbooks/kubernetes/*"]\n'
    )
    (src / "index.md").write_text("# Runbooks\n\n```{toctree}\n:glob:\n\nrunbooks/kubernetes/*\n```\n")
    folder = src / "runbooks" / "kubernetes"
    folder.mkdir(parents=True)
    names = []
    for number in range(100):
        digest = hashlib.sha256(str(number).encode()).hexdigest()[:6]
        name = f"kubernetes-persistent-volume-claim-pending-for-longer-than-expected-{digest}"
        names.append(name)
        (folder / f"{name}.md").write_text(
            f"# Volume claim {digest}\n\n## Mitigation\n\n"
            "1. **Describe the claim**.\n2. **Check the class**.\n"
        )
    ids = _build(make_app, src, 1)
    assert sorted(ids) == sorted(f"runbooks-kubernetes-{name}" for name in names)


def test_pages_whose_names_derive_one_id_both_get_their_own_and_the_build_says_so(
    make_app: Any, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    write(
        "conf.py",
        'extensions = ["myst_parser", "sphinx_incident"]\nincident_runbooks = ["ops/*", "ops-db/*"]\n',
    )(src)
    write("index.md", "# Handbook\n\n```{toctree}\n:glob:\n\n*/*\n```\n")(src)
    write("ops/db-restore.md", "# Restore the database\n\n1. **Stop the writers**.\n2. **Restore**.\n")(src)
    write("ops-db/restore.md", "# Restore from tape\n\n1. **Load the tape**.\n2. **Restore**.\n")(src)
    app = make_app("runbooks", srcdir=src, freshenv=True)
    app.build()
    ids = sorted(_ids(Path(app.outdir)))
    assert len(ids) == 2 and all(i.startswith("ops-db-restore-") for i in ids)
    warnings = app.warning.getvalue()
    assert warnings.count("[incident.ambiguous_runbook_id]") == 1
    assert "2 runbooks want the id 'ops-db-restore'" in warnings
