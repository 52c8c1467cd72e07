"""Incremental equals fresh: after every edit, an incremental build gives what a fresh one gives.

A handbook is edited step by step (the list of :data:`EDITS`, one line each);
after each edit it is built incrementally, and a copy is built from scratch
(``-E``). Both must give the same ``runbooks.json`` (byte for byte), the same
``incident`` warnings, and the same main content on every page. Adding a case
is one line.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.util.console import strip_colors

Edit = Callable[[Path], None]


def write(name: str, text: str) -> Edit:
    return lambda src: (src / name).write_text(text, "utf-8") and None


def replace(name: str, old: str, new: str) -> Edit:
    def edit(src: Path) -> None:
        text = (src / name).read_text("utf-8")
        assert old in text, (name, old)
        (src / name).write_text(text.replace(old, new), "utf-8")

    return edit


def delete(name: str) -> Edit:
    return lambda src: (src / name).unlink()


def conf(line: str) -> Edit:
    return lambda src: (src / "conf.py").write_text(
        (src / "conf.py").read_text("utf-8") + line + "\n", "utf-8"
    )


ROLES = "# Roles\n\n```{team-role} Incident Commander\nRuns the incident.\n```\n"

#: a procedure no runbook declaration covers, with a stray step the structural checks report
UNDECLARED = (
    "# Delta\n\n## Fail over the database\n\n"
    "1. **Stop the writes** to the primary.\n2. **Promote the replica** to primary.\n\n"
    "3 **Point the service** at the new primary.\n"
)

#: (what the edit does, the edit); applied in order to one handbook
EDITS: list[tuple[str, Edit]] = [
    ("add the first team role", write("roles.md", ROLES)),
    (
        "define a role a runbook owns",
        replace(
            "roles.md",
            "Runs the incident.\n```\n",
            "Runs the incident.\n```\n\n```{team-role} Scribe\nNotes.\n```\n",
        ),
    ),
    (
        "define a role a second time",
        write("more-roles.md", "# More roles\n\n```{team-role} Incident Commander\nAgain.\n```\n"),
    ),
    (
        "remove the first definition",
        replace("roles.md", "```{team-role} Incident Commander\nRuns the incident.\n```\n", ""),
    ),
    ("rename a role", replace("more-roles.md", "Incident Commander", "Incident Lead")),
    ("rename an owner-only role", replace("roles.md", "team-role} Scribe", "team-role} Recorder")),
    ("delete the page that held an id first", delete("alpha.md")),
    (
        "add it back",
        write("alpha.md", "# Alpha\n\n```{runbook}\n:id: restart\n\n1. **Stop**.\n2. **Start**.\n```\n"),
    ),
    ("delete a page", delete("gamma.md")),
    ("declare a section by label", conf('incident_runbooks = ["by-label"]')),
    ("change the metadata key", conf('incident_metadata_key = "procedure"')),
    ("change a rule's severity", conf('incident_severity = {"undefined_term": "warning"}')),
    ("show problems in the panels", conf("incident_show_problems = True")),
    ("fix the glossary term", replace("glossary.md", "Severity Level", "Severity")),
    ("check the procedures no one declared", conf('incident_lint_scope = "discovered"')),
    ("add a page with an undeclared procedure", write("delta.md", UNDECLARED)),
    ("delete the page with the undeclared procedure", delete("delta.md")),
]

BASE = {
    "conf.py": 'extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]\n',
    "index.md": (
        "# Handbook\n\n```{toctree}\n:glob:\n\n*\n```\n\n"
        "```{runbook-index}\n```\n\n```{runbook-matrix}\n```\n"
    ),
    "glossary.md": "# Glossary\n\n```{glossary}\nSeverity Level\n  How bad it is.\n```\n",
    "alpha.md": "# Alpha\n\n```{runbook}\n:id: restart\n\n1. **Stop**.\n2. **Start**.\n```\n",
    "beta.md": (
        "# Beta\n\n```{runbook}\n:id: restart\n:roles: Scribe\n\n"
        "1. **Page the {role}`Incident Commander`**.\n2. **Set the {term}`Severity`**.\n```\n\n"
        "(by-label)=\n## Rollback\n\n1. **Revert**.\n2. **Deploy**.\n"
    ),
    "gamma.md": (
        "---\nrunbook: true\nprocedure: true\n---\n# Gamma\n\n"
        "1. **One**, ask the {role}`Incident Commander`.\n2. **Two**.\n"
    ),
    "prose.md": "# Prose\n\nThe {role}`Incident Commander` decides; the {role}`Scribe` writes.\n",
}

_MAIN = re.compile(r'<div class="body" role="main">(.*?)<div class="sphinxsidebar"', re.S)


def _snapshot(app: Any, srcdir: Path) -> dict[str, Any]:
    out = Path(app.outdir)
    warnings = sorted(
        strip_colors(line).replace(str(srcdir), "<src>")
        for line in app.warning.getvalue().splitlines()
        if "[incident." in line
    )
    pages = {}
    for page in sorted(out.glob("*.html")):
        if page.name in ("genindex.html", "search.html"):
            continue
        match = _MAIN.search(page.read_text("utf-8"))
        pages[page.name] = match.group(1) if match else ""
    return {
        "json": (out / "runbooks.json").read_text("utf-8"),
        "warnings": warnings,
        "pages": pages,
        "runbook_files": sorted(p.name for p in (out / "_runbooks").glob("*.json")),
    }


def _build(make_app: Any, srcdir: Path, fresh: bool) -> dict[str, Any]:
    app = make_app("html", srcdir=srcdir, freshenv=fresh)
    try:
        app.build()
    finally:
        app.cleanup()
    return _snapshot(app, srcdir)


def test_incremental_builds_equal_fresh_builds_after_every_edit(make_app: Any, tmp_path: Path) -> None:
    src = tmp_path / "incremental"
    src.mkdir()
    for name, text in BASE.items():
        (src / name).write_text(text, "utf-8")
    _build(make_app, src, fresh=True)
    for number, (what, edit) in enumerate(EDITS, 1):
        edit(src)
        incremental = _build(make_app, src, fresh=False)
        copy = tmp_path / f"fresh-{number}"
        shutil.copytree(src, copy, ignore=shutil.ignore_patterns("_build"))
        fresh = _build(make_app, copy, fresh=True)
        for key in ("json", "warnings", "runbook_files"):
            assert incremental[key] == fresh[key], f"after '{what}': {key} differs"
        # (Sphinx leaves the pages of deleted documents in place: only the fresh set counts)
        for page, body in fresh["pages"].items():
            assert incremental["pages"].get(page) == body, f"after '{what}': {page} differs"
