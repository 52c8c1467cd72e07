"""Parallel builds give the same step list and the same warnings as serial ones.

The handbook is big enough for Sphinx to split reading across worker
processes, and a team role is defined on nine pages: which definition wins,
and which are reported as duplicates, must not depend on which worker read
which page first.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sphinx.util.console import strip_colors

from conftest import ROOTS

PAGES = 60
ROLE_PAGES = range(3, 60, 7)  # nine pages define the same team role


def duplicate_role_handbook(srcdir: Path) -> Path:
    """60 pages; a runbook on each; the role ``Scribe`` defined on nine of them."""
    srcdir.mkdir(parents=True)
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]\n', "utf-8"
    )
    names = [f"page-{n:02d}" for n in range(PAGES)]
    (srcdir / "index.md").write_text("# Handbook\n\n```{toctree}\n" + "\n".join(names) + "\n```\n", "utf-8")
    for n, name in enumerate(names):
        role = ""
        if n in ROLE_PAGES:
            role = f"```{{team-role}} Scribe\nKeeps the timeline (version {n}).\n```\n\n"
        (srcdir / f"{name}.md").write_text(
            f"# Page {n}\n\n{role}```{{runbook}}\n:id: rb-{n:02d}\n\n"
            f"1. **Open channel {n}**. The {{role}}`Scribe` takes notes.\n"
            f"2. **Close channel {n}**, see {{role}}`Scibe`.\n```\n",
            "utf-8",
        )
    return srcdir


def _build(make_app: Any, srcdir: Path, parallel: int) -> tuple[bytes, list[str]]:
    app = make_app("html", srcdir=srcdir, freshenv=True, parallel=parallel)
    merges: list[int] = []
    app.connect("env-merge-info", lambda app, env, docnames, other: merges.append(len(docnames)))
    try:
        app.build()
    finally:
        app.cleanup()  # restore docutils' registries before the next app in this process
    # with -j N, documents were really read in worker processes and merged back
    assert bool(merges) == (parallel > 1)
    if parallel > 2:
        assert len(merges) >= 2
    warnings = sorted(
        strip_colors(line).replace(str(srcdir), "<src>")
        for line in app.warning.getvalue().splitlines()
        if line.strip()
    )
    return (Path(app.outdir) / "runbooks.json").read_bytes(), warnings


def panels(outdir: Path) -> dict[str, list[str]]:
    """The runbook panels of every page: written, with -j N, by forked worker processes."""
    return {
        page.name: re.findall(r'<div class="incident-panel.*?</script>', page.read_text("utf-8"), re.S)
        for page in sorted(outdir.glob("*.html"))
    }


def test_duplicate_roles_are_decided_the_same_for_any_number_of_workers(
    make_app: Any, tmp_path: Path
) -> None:
    results = {}
    pages = {}
    for jobs in (1, 2, 4):
        srcdir = duplicate_role_handbook(tmp_path / f"j{jobs}")
        results[jobs] = _build(make_app, srcdir, jobs)
        pages[jobs] = panels(srcdir / "_build" / "html")
    assert results[1] == results[2] == results[4]
    # the pages are written from the build's review in every worker
    assert sum(len(found) for found in pages[1].values()) == PAGES
    assert pages[1] == pages[2] == pages[4]
    json_bytes, warnings = results[1]
    duplicates = [w for w in warnings if "[incident.duplicate_role]" in w]
    # every definition but the first (by page name) is reported, at its own page
    assert len(duplicates) == len(ROLE_PAGES) - 1
    assert all("already defined in page-03, line 3" in w for w in duplicates)
    assert b'"url": "page-03.html#role-scribe"' in json_bytes
    # the misspelt role is reported on every page, with the near miss suggested
    misspelt = [w for w in warnings if "[incident.undefined_role]" in w]
    assert len(misspelt) == PAGES
    assert "did you mean 'Scribe'?" in misspelt[0]


@pytest.mark.sphinx("html", testroot="scale-handbook")
def test_parallel_build_is_identical_to_serial(make_app: Any, tmp_path: Path) -> None:
    def copy(name: str) -> Path:
        shutil.copytree(ROOTS / "test-scale-handbook", tmp_path / name)
        return tmp_path / name

    serial_json, serial_warnings = _build(make_app, copy("serial"), parallel=1)
    parallel_json, parallel_warnings = _build(make_app, copy("parallel"), parallel=2)
    assert parallel_json == serial_json
    assert parallel_warnings == serial_warnings
    assert b'"rb-alpha"' in serial_json and b'"epsilon"' in serial_json
    assert len(serial_warnings) == 4  # one unknown term per markdown runbook
