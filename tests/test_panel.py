"""What the panel gives the page's script, the issue URL setting, and the run storage schema."""

from __future__ import annotations

import hashlib
import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sphinx_incident.config import IncidentConfig, _valid_issue_url
from sphinx_incident.model import Reference, Runbook, Step
from sphinx_incident.model.ids import step_fingerprint
from sphinx_incident.rendering.html import SITE_ROOT, checklist_data, script_json
from sphinx_incident.rendering.markdown import markdown

SCHEMA = "incident-run.schema.json"


def _runbook() -> Runbook:
    commander = Reference(
        "Incident Commander", "incident-commander", 3, True, "roles.html#role-incident-commander"
    )
    sub = Step("check.logs", None, "Read the logs", "", 4, ordered=False, anchor="ops-triage--check.logs")
    steps = [
        Step(
            "check",
            "1",
            "Check <the> *dashboard*",
            "",
            3,
            owner=commander,
            anchor="ops-triage--check",
            substeps=[sub],
        ),
        Step(
            "page",
            "2",
            None,
            "Page the vendor when the dashboard is red for long",
            5,
            anchor="ops-triage--page",
        ),
    ]
    for step in (steps[0], sub, steps[1]):
        step.url = f"ops/triage.html#{step.anchor}"
        step.fingerprint = step_fingerprint(step.title, step.text)  # as extraction sets it
    return Runbook("ops-triage", "Triage", "ops/triage", "ops/triage.md", 1, anchor="ops-triage",
                   url="ops/triage.html#ops-triage", steps=steps)  # fmt: skip


def test_checklist_data_carries_labels_and_owners_relative_to_the_page() -> None:
    runbook = _runbook()
    text = markdown(runbook, SITE_ROOT)
    team = [{"name": "Incident Commander", "url": "../roles.html#role-incident-commander"}]
    data = checklist_data(runbook, "ops/triage.html", text, team_roles=team)
    assert data["runbook"] == "ops-triage" and data["title"] == "Triage" and data["anchor"] == "ops-triage"
    assert data["siteRoot"] == "../"
    assert data["steps"] == [
        {
            "id": "check",
            "label": "1. Check <the> *dashboard*",
            "fingerprint": _sha("Check <the> *dashboard*\n"),
            "parent": None,
            # the owner names a team role of the handbook: a run says who holds it
            "owner": {
                "text": "Incident Commander",
                "url": "../roles.html#role-incident-commander",
                "role": "Incident Commander",
            },
        },
        {
            "id": "check.logs",
            "label": "Read the logs",
            "fingerprint": _sha("Read the logs\n"),
            "parent": "check",  # the timeline writes the parent's label before the sub-step's
            "owner": None,
        },
        {
            "id": "page",
            "label": "2. Page the vendor when the dashboard is red for long",
            "fingerprint": _sha("\nPage the vendor when the dashboard is red for long"),
            "parent": None,
            "owner": None,
        },
    ]
    assert data["teamRoles"] == team
    assert checklist_data(runbook, "ops/triage.html", text)["steps"][0]["owner"]["role"] is None
    assert [line["step"] for line in data["lines"] if line["step"]] == ["check", "check.logs", "page"]
    assert "issue" not in data
    # in the page, nothing in the data can close the script element
    assert "<" not in script_json(data)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def test_a_step_fingerprint_is_what_the_step_says_whitespace_aside() -> None:
    """The page's runs name a step by id and fingerprint: the first 12 hex digits of the
    SHA-256 of title, a line break and text, each with runs of whitespace made one space."""
    assert step_fingerprint("Drain the queue", "and wait.") == _sha("Drain the queue\nand wait.")
    assert step_fingerprint(None, "Page the owner.") == _sha("\nPage the owner.")
    drain = step_fingerprint("Drain the queue", "and wait.")
    assert step_fingerprint(" Drain  the\nqueue ", "and\t wait.\n") == drain
    assert step_fingerprint("Drain the queue", "and wait!") != drain
    # the title and the text stay apart: moving words between them is another step
    assert step_fingerprint("Drain", "the queue") != step_fingerprint("Drain the", "queue")
    assert step_fingerprint("Überprüfe 🔥", "") == _sha("Überprüfe 🔥\n")


def test_checklist_data_carries_the_issue_body_when_asked() -> None:
    runbook = _runbook()
    body = markdown(runbook, SITE_ROOT, "github")
    data = checklist_data(runbook, "index.html", markdown(runbook, SITE_ROOT), body)
    assert data["issue"] == {"title": "Incident: Triage", "body": body}
    assert body.startswith("# Incident: Triage\n") and f"]({SITE_ROOT}/ops/triage.html#ops-triage)" in body


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://github.com/OWNER/REPO/issues/new?title={title}&body={body}",
        "https://gitlab.com/GROUP/PROJECT/-/issues/new?issue[title]={title}&issue[description]={body}",
        "http://127.0.0.1:8080/new?t={title}",
        "HTTPS://tracker.example.org/new?title={title}",
    ],
)
def test_issue_url_accepts_http_templates(url: str) -> None:
    assert _valid_issue_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)//{title}",
        "data:text/html,{body}",
        "ftp://tracker.example.org/{title}",
        "//tracker.example.org/new?title={title}",
        "https:///new?title={title}",
        "https://tracker.example.org/new?title={title}\n",
        " https://tracker.example.org/new",
        "https://[::1/new",
        42,
        None,
    ],
)
def test_issue_url_rejects_anything_else(url: Any) -> None:
    assert not _valid_issue_url(url)


def test_issue_url_is_off_by_default() -> None:
    assert IncidentConfig().issue_url == ""


def _schema() -> dict[str, Any]:
    return json.loads((resources.files("sphinx_incident.rendering") / "schema" / SCHEMA).read_text("utf-8"))


def test_the_run_schema_ships_with_the_package_and_is_a_schema() -> None:
    schema = _schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))
    # every JSON file of the schema folder is package data (the built wheel's
    # contents are checked in test_packaging.py)
    assert pyproject["tool"]["setuptools"]["package-data"]["sphinx_incident.rendering.schema"] == ["*.json"]


def test_the_run_schema_reads_a_run_as_the_documentation_shows_it() -> None:
    page = (Path(__file__).parent.parent / "docs" / "reference" / "schemas.md").read_text("utf-8")
    section = page[page.index("### A run") :]
    example = section[
        section.index("```json") + len("```json") : section.index("```\n", section.index("```json") + 7)
    ]
    jsonschema.validate(json.loads(example), _schema())
