"""Configuration values: a bad value warns with a subtype and falls back to its default."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import read_json


@pytest.mark.sphinx("html", testroot="badconfig", freshenv=True)
def test_bad_values_warn_and_fall_back(app) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "incident_json_filename = 42 is not valid" in warnings
    assert "incident_html_json = 'yes please' is not valid" in warnings
    assert "incident_runbooks must be a list of strings" in warnings
    assert warnings.count("[incident.config]") == 3
    # the defaults are used: the step list is written, under its default name
    assert read_json(Path(app.outdir) / "runbooks.json")["runbooks"]


@pytest.mark.sphinx(
    "runbooks",
    testroot="seed",
    srcdir="seed-json-filename",  # an output folder of its own: no runbooks.json from other tests
    freshenv=True,
    confoverrides={"incident_json_filename": "steps.json"},
)
def test_json_filename(app) -> None:
    app.build()
    assert (Path(app.outdir) / "steps.json").exists()
    assert not (Path(app.outdir) / "runbooks.json").exists()
