"""The real incident-response process, verbatim, against its hand-written model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import PROJECT, ROOTS, read_json

GOLDEN = Path(__file__).parent / "golden" / "seed-model.json"
SHARED_SEED = PROJECT.parent / "shared" / "seeds" / "incident-response-process.md"

# the fields the golden file spells out for each kind of object
STEP_KEYS = ("id", "number", "title", "line", "origin", "ordered", "list_index", "text")
REF_KEYS = ("target", "line", "resolved")
LINK_KEYS = ("kind", "target", "text", "line", "resolved")
ADMONITION_KEYS = ("kind", "title", "line", "text")


def project_step(step: dict[str, Any]) -> dict[str, Any]:
    """The part of a built step the golden file writes down."""
    out = {key: step[key] for key in STEP_KEYS}
    out["terms"] = [{k: t[k] for k in REF_KEYS} for t in step["terms"]]
    out["roles"] = [{k: r[k] for k in REF_KEYS} for r in step["roles"]]
    out["links"] = [{k: link[k] for k in LINK_KEYS} for link in step["links"]]
    out["admonitions"] = [{k: a[k] for k in ADMONITION_KEYS} for a in step["admonitions"]]
    out["footnotes"] = [
        {
            "label": f["label"],
            "line": f["line"],
            "text": f["text"],
            **({"roles": [{k: r[k] for k in REF_KEYS} for r in f["roles"]]} if f["roles"] else {}),
        }
        for f in step["footnotes"]
    ]
    out["substeps"] = [project_step(s) for s in step["substeps"]]
    return out


def golden_step(step: dict[str, Any]) -> dict[str, Any]:
    out = {key: step[key] for key in STEP_KEYS}
    for key in ("terms", "roles", "links", "admonitions", "footnotes"):
        out[key] = step[key]
    out["substeps"] = [golden_step(s) for s in step["substeps"]]
    return out


def test_seed_fixture_is_verbatim() -> None:
    """The testroot holds the shared seed byte for byte (defects and all)."""
    if not SHARED_SEED.exists():
        pytest.skip("the shared seed is not beside this checkout")
    assert (ROOTS / "test-seed" / "index.md").read_bytes() == SHARED_SEED.read_bytes()


@pytest.mark.sphinx("runbooks", testroot="seed", freshenv=True)
def test_seed_model_matches_golden(app) -> None:
    app.build()
    built = read_json(Path(app.outdir) / "runbooks.json")
    golden = json.loads(GOLDEN.read_text("utf-8"))
    assert len(built["runbooks"]) == 1
    runbook = built["runbooks"][0]
    for key in ("id", "title", "line", "declared_by", "label", "intro", "notes"):
        assert runbook[key] == golden[key], key
    assert [project_step(s) for s in runbook["steps"]] == [golden_step(s) for s in golden["steps"]]


@pytest.mark.sphinx("runbooks", testroot="seed", freshenv=True)
def test_seed_keeps_the_broken_step_seven(app) -> None:
    """``7 **Communicate…**`` is no list item, but the step and its bullets are kept."""
    app.build()
    runbook = read_json(Path(app.outdir) / "runbooks.json")["runbooks"][0]
    numbers = [s["number"] for s in runbook["steps"]]
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "8"]
    seven = runbook["steps"][6]
    assert seven["origin"] == "paragraph"
    assert [s["origin"] for s in seven["substeps"]] == ["detached", "detached"]


@pytest.mark.sphinx("html", testroot="seed", freshenv=True)
def test_seed_footnote_is_in_both_steps(app) -> None:
    app.build()
    runbook = read_json(Path(app.outdir) / "runbooks.json")["runbooks"][0]
    having = [
        s["id"]
        for top in runbook["steps"]
        for s in [top, *top["substeps"]]
        if any(f["label"] == "note-on-delegation" for f in s["footnotes"])
    ]
    assert having == [
        "assign-it-to-the-incident-commander",
        "delegate-to-subject-matter-experts-as-needed",
    ]
