"""Synthetic handbooks of a chosen size, for the benchmark and the scale tests.

One source folder builds two ways, so the comparison is fair: ``conf-plain``
is a Sphinx + MyST + sphinx-design handbook that defines its team roles the
way handbooks do without this extension (a std cross-reference type), and
``conf-incident`` is the same handbook with ``sphinx_incident`` added.
Runbooks are declared through ``incident_runbooks`` labels and page
metadata, which the plain build reads as ordinary labels and metadata.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass
from pathlib import Path

PLAIN_CONF = """\
# The handbook without sphinx-incident: roles are a std cross-reference type.
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

project = "Synthetic handbook"
extensions = ["myst_parser", "sphinx_design"]
exclude_patterns = ["_build"]
suppress_warnings = ["myst.header"]


class TeamRole(SphinxDirective):
    has_content = True
    required_arguments = 1
    final_argument_whitespace = True

    def run(self):
        name = self.arguments[0].strip()
        anchor = "role-" + nodes.make_id(name)
        node = nodes.container(ids=[anchor])
        node += nodes.rubric(name, name)
        node.extend(self.parse_content_to_nodes())
        self.env.domains["std"].note_object("role-target", name, anchor, location=node)
        return [node]


def setup(app):
    app.add_crossref_type("role-target", "role")
    app.add_directive("team-role", TeamRole)
"""

INCIDENT_CONF = """\
# The same handbook with sphinx-incident.
project = "Synthetic handbook"
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
exclude_patterns = ["_build"]
suppress_warnings = ["myst.header"]
incident_runbooks = {labels!r}
"""


@dataclass(frozen=True)
class Size:
    """How big a synthetic handbook is."""

    pages: int = 500
    runbooks: int = 100
    steps: int = 2000
    terms: int = 50
    roles: int = 10
    #: ``compact``: short pages; ``long``: long pages of prose full of cross-references,
    #: with each runbook in the middle of a page of its own
    shape: str = "compact"

    def steps_for(self, runbook: int) -> int:
        """Steps of one runbook: ``steps`` spread evenly, the remainder to the first ones."""
        base, extra = divmod(self.steps, max(self.runbooks, 1))
        return base + (1 if runbook < extra else 0)


def term_name(index: int) -> str:
    return f"Service Term {index}"


def role_name(index: int) -> str:
    return f"Duty Role {index}"


def step_markdown(runbook: int, step: int, size: Size) -> str:
    """One numbered step, with the features every n-th step carries."""
    term = term_name((runbook * 7 + step) % size.terms)
    role = role_name((runbook + step) % size.roles)
    marker = f"{step + 1}. "
    # content belongs to the item only when indented to its text: 3 spaces under "9. ", 4 under "10. "
    pad = " " * len(marker)
    lines = [
        f"{marker}**Check subsystem {step} of runbook {runbook}**. Ask the {{role}}`{role}` "
        f"to confirm the {{term}}`{term}` is healthy before going on.",
    ]
    if step % 5 == 0:
        lines += ["", f"{pad}- Look at the dashboard.", f"{pad}- **Record the reading** in the channel."]
    if step % 7 == 0:
        lines += [
            "",
            f"{pad}```{{button-link}} https://status.northwind-ops.net/runbook",
            f"{pad}:color: primary",
            "",
            f"{pad}Open the status page",
            f"{pad}```",
        ]
    if step % 11 == 0:
        lines[0] += f" See the footnote.[^fn-{runbook}-{step}]"
    if step % 13 == 0:
        lines += [
            "",
            f"{pad}```{{warning}}",
            f"{pad}Do not restart the service before the reading is recorded.",
            f"{pad}```",
        ]
    return "\n".join(lines)


def runbook_page(runbook: int, size: Size, by_metadata: bool) -> str:
    count = size.steps_for(runbook)
    head = ["---", "runbook: true", "---", ""] if by_metadata else [f"(rb-{runbook})=", ""]
    body = [
        f"# Runbook {runbook}",
        "",
        "Work through these steps in order when the alert fires.",
        "",
    ]
    steps = [step_markdown(runbook, step, size) for step in range(count)]
    notes = [
        f"[^fn-{runbook}-{step}]: Ask the {{role}}`{role_name(step % size.roles)}` if unsure."
        for step in range(count)
        if step % 11 == 0
    ]
    return "\n".join([*head, *body, "\n".join(steps), "", *notes, ""])


def prose_page(index: int, size: Size) -> str:
    """An ordinary page: sections of prose and a bullet list, no runbook."""
    parts = [f"# Topic {index}", ""]
    for section in range(3):
        parts += [
            f"## Part {section}",
            "",
            f"This part explains how {{term}}`{term_name((index + section) % size.terms)}` behaves "
            "under load, what to watch, and whom to ask. " * 3,
            "",
            "- first point to remember",
            "- second point, with `inline code`",
            "",
        ]
    return "\n".join(parts)


def long_prose_page(index: int, size: Size) -> str:
    """A long page: eight labelled sections of prose, each full of references to other pages."""
    parts = [f"# Topic {index}", ""]
    for section in range(8):
        other = (index * 7 + section * 3 + 1) % max(size.pages - size.runbooks - 3, 1)
        parts += [
            f"(topic-{index}-{section})=",
            f"## Part {section} of topic {index}",
            "",
            (
                f"When {{term}}`{term_name((index + section) % size.terms)}` degrades, read "
                f"{{ref}}`topic-{other}-{section % 8}` first, then the overview in "
                f"{{doc}}`/topics/t{other:05d}`. The {{role}}`{role_name(section % size.roles)}` "
                f"decides; see [the status page](https://status.northwind-ops.net/t{index}) "
                "and the dashboards before acting. "
            )
            * 2,
            "",
            "| signal | threshold | action |",
            "| --- | --- | --- |",
            f"| latency | {section * 10 + 100} ms | page the on-call |",
            "| errors | 2 % | open an incident |",
            "",
            "```{note}",
            f"Part {section} changes with every release; check the date at the top.",
            "```",
            "",
            "```console",
            f"$ opsctl inspect topic-{index} --part {section}",
            "```",
            "",
        ]
    return "\n".join(parts)


def long_runbook_page(runbook: int, size: Size) -> str:
    """A long page with a runbook section in its middle, declared by its label."""
    count = size.steps_for(runbook)
    before = [
        f"# Service {runbook}",
        "",
        *(
            f"## Background {part}\n\nService {runbook} serves {{term}}`{term_name(part % size.terms)}`; "
            f"see {{ref}}`topic-{part}-{part % 8}` and {{doc}}`/roles`.\n"
            for part in range(3)
        ),
        f"(rb-{runbook})=",
        f"## Recover service {runbook}",
        "",
        "Work through these steps in order when the alert fires.",
        "",
    ]
    steps = []
    for step in range(count):
        text = step_markdown(runbook, step, size)
        other = (runbook + step) % max(size.pages - size.runbooks - 3, 1)
        steps.append(text + f" Background: {{ref}}`topic-{other}-{step % 8}`.")
    notes = [
        f"[^fn-{runbook}-{step}]: Ask the {{role}}`{role_name(step % size.roles)}` if unsure."
        for step in range(count)
        if step % 11 == 0
    ]
    after = [
        f"## After the incident {part}\n\nWrite it up; see {{ref}}`topic-{part}-0`.\n" for part in range(2)
    ]
    return "\n".join([*before, "\n".join(steps), "", *after, *notes, ""])


def write_handbook(root: Path, size: Size) -> Path:
    """Write the handbook under ``root`` (replaced); returns the source folder."""
    if root.exists():
        shutil.rmtree(root)
    src = root / "src"
    src.mkdir(parents=True)
    names: list[str] = ["glossary", "roles"]
    labels: list[str] = []
    long = size.shape == "long"
    for runbook in range(size.runbooks):
        by_metadata = runbook % 4 == 3 and not long
        if not by_metadata:
            labels.append(f"rb-{runbook}")
        name = f"runbooks/rb{runbook:05d}"
        (src / "runbooks").mkdir(exist_ok=True)
        page = long_runbook_page(runbook, size) if long else runbook_page(runbook, size, by_metadata)
        (src / f"{name}.md").write_text(page, "utf-8")
        names.append(name)
    for index in range(max(size.pages - size.runbooks - 3, 0)):
        name = f"topics/t{index:05d}"
        (src / "topics").mkdir(exist_ok=True)
        (src / f"{name}.md").write_text(
            long_prose_page(index, size) if long else prose_page(index, size), "utf-8"
        )
        names.append(name)
    glossary = ["# Glossary", "", "```{glossary}"]
    for term in range(size.terms):
        glossary += [term_name(term), f"  What {term_name(term)} means.", ""]
    glossary.append("```")
    (src / "glossary.md").write_text("\n".join(glossary) + "\n", "utf-8")
    roles = ["# Roles", ""]
    for role in range(size.roles):
        roles += [f"```{{team-role}} {role_name(role)}", f"Owns duty {role}.", "```", ""]
    (src / "roles.md").write_text("\n".join(roles), "utf-8")
    toctree = ["# Handbook", "", "```{toctree}", ":maxdepth: 1", "", *names, "```", ""]
    (src / "index.md").write_text("\n".join(toctree), "utf-8")
    for variant, text in (("plain", PLAIN_CONF), ("incident", INCIDENT_CONF.format(labels=labels))):
        (root / f"conf-{variant}").mkdir()
        (root / f"conf-{variant}" / "conf.py").write_text(text, "utf-8")
    return src


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic handbook.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--pages", type=int, default=Size.pages)
    parser.add_argument("--runbooks", type=int, default=Size.runbooks)
    parser.add_argument("--steps", type=int, default=Size.steps)
    parser.add_argument("--terms", type=int, default=Size.terms)
    parser.add_argument("--roles", type=int, default=Size.roles)
    parser.add_argument("--shape", choices=("compact", "long"), default=Size.shape)
    args = parser.parse_args(argv)
    size = Size(args.pages, args.runbooks, args.steps, args.terms, args.roles, args.shape)
    print(write_handbook(args.root, size))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
