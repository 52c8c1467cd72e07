"""Parallel builds give the same step list and the same warnings as serial ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinx.util.console import strip_colors

from conftest import ROOTS


def _build(make_app, tmp_path: Path, name: str, parallel: int) -> tuple[bytes, list[str]]:
    srcdir = tmp_path / name
    shutil.copytree(ROOTS / "test-scale-handbook", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True, parallel=parallel)
    merges: list[int] = []
    app.connect("env-merge-info", lambda app, env, docnames, other: merges.append(len(docnames)))
    try:
        app.build()
    finally:
        app.cleanup()  # restore docutils' registries before the next app in this process
    # warnings name the source folder: compare them relative to it
    warnings = sorted(
        strip_colors(line).replace(str(srcdir), "<src>")
        for line in app.warning.getvalue().splitlines()
        if line.strip()
    )
    # with -j 2, documents were really read in worker processes and merged back
    assert bool(merges) == (parallel > 1)
    return (Path(app.outdir) / "runbooks.json").read_bytes(), warnings


@pytest.mark.sphinx("html", testroot="scale-handbook")
def test_parallel_build_is_identical_to_serial(make_app, tmp_path: Path) -> None:
    serial_json, serial_warnings = _build(make_app, tmp_path, "serial", parallel=1)
    parallel_json, parallel_warnings = _build(make_app, tmp_path, "parallel", parallel=2)
    assert parallel_json == serial_json
    assert parallel_warnings == serial_warnings
    # the testroot is big enough for Sphinx to read it in parallel (more than 5 documents)
    assert b'"rb-alpha"' in serial_json and b'"epsilon"' in serial_json
    assert len(serial_warnings) == 4  # one unknown term per markdown runbook
