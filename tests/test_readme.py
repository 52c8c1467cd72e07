"""README.md keeps its promises: the two commands, an example that works, links that lead somewhere.

Everything else README used to say is in the documentation site under ``docs/``,
checked by ``tests/test_docs.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from conftest import PROJECT, build

README = PROJECT / "README.md"


def readme() -> str:
    return README.read_text("utf-8")


def test_readme_has_no_leftover_merge_markers() -> None:
    assert not re.search(r"^(<{7}|>{7}|={7})( |$)", readme(), re.M)


def test_readme_quick_start_is_the_two_make_commands() -> None:
    text = readme()
    quick_start = text[text.index("## Quick start") :]
    block = quick_start[
        quick_start.index("```console\n") + len("```console\n") : quick_start.index("```\n\n")
    ]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    assert commands == ["make docs", "make test"]
    makefile = (PROJECT / "Makefile").read_text("utf-8")
    assert re.search(r"^docs:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert re.search(r"^site:", makefile, re.M), "README names make site"
    assert "make test" in (PROJECT / ".ci" / "run").read_text("utf-8")


def relative_links(text: str) -> list[str]:
    """The targets of the Markdown links and images that point into the repository."""
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t) and not t.startswith("#")]


def test_readme_links_lead_to_files_of_the_repository() -> None:
    links = relative_links(readme())
    assert "docs/screenshot-runbook.png" in links
    assert "docs/tutorial/index.md" in links
    for link in links:
        path = PROJECT / unquote(link.split("#", 1)[0])
        assert path.is_file(), f"README links to {link}, which does not exist"


def test_readme_links_every_page_of_the_documentation() -> None:
    linked = {PROJECT / link for link in relative_links(readme())}
    pages = {
        page
        for page in (PROJECT / "docs").rglob("*.md")
        if not {"_build", "handbook", "example"} & set(page.relative_to(PROJECT / "docs").parts)
        and page.name != "index.md"
    }
    assert pages - linked == set(), "pages of docs/ that README does not link"


def fenced(text: str, language: str, after: str) -> str:
    start = text.index(f"```{language}\n", text.index(after)) + len(f"```{language}\n")
    return text[start : text.index("```", start)]


def test_readme_handbook_example_builds_a_runbook(make_app: Any, tmp_path: Path) -> None:
    """The ten lines of "Use it in a handbook", as a handbook: one runbook, its steps, no warning."""
    text = readme()
    section = text[text.index("## Use it in a handbook") :]
    (tmp_path / "conf.py").write_text(fenced(section, "python", "In `conf.py`"), "utf-8")
    page = fenced(section, "markdown", "tracking-api.md")
    (tmp_path / "tracking-api.md").write_text(page, "utf-8")
    (tmp_path / "index.md").write_text("# Handbook\n\n```{toctree}\ntracking-api\n```\n", "utf-8")
    app = build(make_app, tmp_path)
    assert app.warning.getvalue() == ""
    step_list = json.loads((Path(app.outdir) / "runbooks.json").read_text("utf-8"))
    (runbook,) = step_list["runbooks"]
    assert runbook["title"] == "When the tracking API is down"
    assert [s["title"] for s in runbook["steps"]] == ["Acknowledge the page", "Check the last deploy"]
    html = (Path(app.outdir) / "tracking-api.html").read_text("utf-8")
    assert 'class="incident-panel"' in html and html.count('class="incident-check-input"') == 2
