"""The documentation site builds cleanly and tells the truth.

The site under ``docs/`` is built as ``make site`` builds it (``-W --keep-going -n``)
into a temporary folder. Its reference pages must list every configuration value,
rule, command-line argument, directive and role the code has; its examples must be
what the code really prints; and the tutorial's commands, run on the tutorial's
handbook, must print what the tutorial shows.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import MISSING
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from unittest import mock

import jsonschema
import pytest
from docutils import nodes

from sphinx_incident import config, extension
from sphinx_incident.checking import rules
from sphinx_incident.commands import cli
from sphinx_incident.rendering.step_list import load_schema

from conftest import PROJECT, read_json

DOCS = PROJECT / "docs"
SCHEMAS = PROJECT / "sphinx_incident" / "rendering" / "schema"
TUTORIAL_HANDBOOK = DOCS / "tutorial" / "handbook"
#: where the tutorial pretends its handbook is, in the output it shows
SHOWN_CHECKOUT = "/home/sam/handbook"
#: the published address the how-to pages give the example handbook
BASE_URL = "https://handbook.kestrel-freight.test/"


def run(*args: str | Path, cwd: Path, merged: bool = False) -> subprocess.CompletedProcess[str]:
    """Run a command; with ``merged``, its stderr goes into its stdout, in the order it was printed.

    The output is compared with what the pages show, so it is asked for without colour, whatever the
    terminal, ``CI`` or ``FORCE_COLOR`` of the machine running the tests says (``NO_COLOR`` wins).
    """
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        text=True,
        check=False,
        timeout=600,
    )


def sphinx_incident(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "sphinx_incident.commands.cli", *args, cwd=cwd)


# -- the built site ---------------------------------------------------------------------------


#: what Sphinx's smart quotes make of plain punctuation, undone to compare texts
_SMART = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "..."})


#: code spans (rST and Markdown) and strong emphasis, as the help texts write them
_MARKUP = re.compile(r"``(.+?)``(?!`)|`([^`]+)`|\*\*(.+?)\*\*")


def normal(text: str) -> str:
    """Plain quotes, single spaces."""
    return " ".join(text.translate(_SMART).split())


def plain(text: str) -> str:
    """A help text as a page shows it: without its code and emphasis marks."""
    return normal(_MARKUP.sub(lambda m: next(g for g in m.groups() if g is not None), text))


class Page(HTMLParser):
    """The ids and the text of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.parts: list[str] = []
        self.feed(html)

    #: elements that end a line of text: their content is not run together with the next
    BLOCKS = frozenset("p dt dd li td th div section h1 h2 h3 h4 h5 h6 pre tr br".split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return normal("".join(self.parts))


class Site:
    def __init__(self, outdir: Path, result: subprocess.CompletedProcess[str]) -> None:
        self.outdir = outdir
        self.result = result

    def html(self, page: str) -> str:
        return (self.outdir / f"{page}.html").read_text("utf-8")

    def page(self, page: str) -> Page:
        return Page(self.html(page))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The site, built as ``make site`` builds it, outside the repository."""
    base = tmp_path_factory.mktemp("site")
    result = run(
        sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html",
        "-d", base / "doctrees", DOCS, base / "html", cwd=base,
    )  # fmt: skip
    return Site(base / "html", result)


def test_the_site_builds_without_a_warning(site: Site) -> None:
    assert site.result.returncode == 0, site.result.stderr
    assert site.result.stderr == ""
    assert (site.outdir / "index.html").is_file()


def test_the_configuration_page_lists_every_value(site: Site) -> None:
    page = site.page("reference/configuration")
    documented = {i.removeprefix("confval-") for i in page.ids if i.startswith("confval-")}
    assert documented == {nodes.make_id(config.PREFIX + f.name) for f in config.FIELDS}
    for field in config.FIELDS:
        name = config.PREFIX + field.name
        default = field.default_factory() if field.default_factory is not MISSING else field.default
        assert f"{name} Type: {field.type} · Default: {default!r}" in page.text
        assert plain(field.metadata["help"])[:60] in page.text, name


def section_of(html: str, section_id: str) -> str:
    """The HTML of the section with this id, up to the next section (these pages nest none deeper)."""
    start = html.index(f'<section id="{section_id}">')
    following = html.find("<section id=", start + 1)
    return html[start : following if following > 0 else None]


SCOPE_SECTIONS = {
    "runbook": "runbook-rules",
    "handbook": "handbook-rules",
    "config": "configuration-rules",
    "links": "link-rules",
    "alerts": "alert-rules",
}


def test_the_rules_page_lists_every_rule_under_its_scope(site: Site) -> None:
    html = site.html("reference/rules")
    page = Page(html)
    documented = {i.removeprefix("rule-") for i in page.ids if i.startswith("rule-")}
    assert documented == {nodes.make_id(rule.code) for rule in rules.RULES}
    assert set(SCOPE_SECTIONS) == {rule.scope for rule in rules.RULES}
    for rule in rules.RULES:
        section = Page(section_of(html, SCOPE_SECTIONS[rule.scope]))
        assert f"rule-{nodes.make_id(rule.code)}" in section.ids, rule.code
        assert f"{rule.code} ({rule.severity} by default)" in section.text
        for text in (rule.summary, rule.why, rule.fix):
            assert plain(text) in section.text, (rule.code, text)


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli.get_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_the_command_line_page_lists_every_command_and_argument(site: Site) -> None:
    html = site.html("reference/cli")
    page = Page(html)
    commands = subcommands()
    assert list(commands) == ["lint", "discover", "export", "alerts", "diff"]
    for command, parser in commands.items():
        section = Page(section_of(html, f"sphinx-incident-{command}"))
        assert f"usage: sphinx-incident {command}" in section.text
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            name = action.option_strings[-1] if action.option_strings else (action.metavar or action.dest)
            assert f"cmdoption-{nodes.make_id(f'sphinx-incident-{command}-{name}')}" in section.ids, name
            help_text = (action.help or "") % {"default": action.default}
            assert plain(help_text) in section.text, name
    assert "cmdoption-sphinx-incident-version" in page.ids


def test_the_directives_page_lists_what_the_extension_registers(site: Site) -> None:
    app = mock.MagicMock()
    extension.setup(app)
    directive_names = {c.args[0] for c in app.add_directive.call_args_list}
    directive_names |= {f"{c.args[0]}:{c.args[1]}" for c in app.add_directive_to_domain.call_args_list}
    role_names = {c.args[0] for c in app.add_role.call_args_list} | {"incident:role"}
    builders = [c.args[0] for c in app.add_builder.call_args_list]
    page = site.page("reference/directives")
    documented = {i for i in page.ids if i.startswith("directive-")}
    expected = set()
    for name in directive_names:
        directive = (
            app.add_directive.call_args_list + app.add_directive_to_domain.call_args_list
        )  # the class registered under the name, for its options
        (cls,) = {c.args[-1] for c in directive if name in (c.args[0], ":".join(map(str, c.args[:2])))}
        expected.add(f"directive-{nodes.make_id(name)}")
        expected |= {f"directive-{nodes.make_id(name)}-{option}" for option in cls.option_spec}
    assert documented == expected
    assert {i.removeprefix("role-") for i in page.ids if i.startswith("role-")} == {
        nodes.make_id(name) for name in role_names
    }
    assert [b.name for b in builders] == ["runbooks", "runbooks-read", "runbooks-discover"]
    for builder in builders:
        summary = plain((inspect.getdoc(builder) or "").split("\n\n")[0])
        assert f"{builder.name} {summary}" in page.text


def schema_definitions(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The objects of a schema that have properties: the top level, each ``$defs`` entry."""
    found = {"the document": schema}
    found.update({k: v for k, v in schema.get("$defs", {}).items() if "properties" in v})
    return found


@pytest.mark.parametrize("filename", ["runbooks.schema.json", "incident-run.schema.json"])
def test_the_schema_page_renders_every_property(site: Site, filename: str) -> None:
    html = site.html("reference/schemas")
    schema = read_json(SCHEMAS / filename)
    prefix = filename.removesuffix(".json").replace(".", "-")
    for name, definition in schema_definitions(schema).items():
        anchor = f'id="{nodes.make_id(f"{prefix}-{name}")}"'
        assert anchor in html, name
        start = html.index(anchor)
        following = html.find('class="rubric"', start + len(anchor))
        section = Page(html[start : following if following > 0 else None])
        for prop in definition["properties"]:
            required = " (required)" if prop in definition.get("required", ()) else ""
            if definition.get("type") == "object":
                assert f"{prop}{required}" in section.text, (name, prop)
            else:  # an event of one kind: the narrowed properties are listed in its type
                assert prop in section.text, (name, prop)
    for name in schema.get("$defs", {}):
        assert f'id="{nodes.make_id(f"{prefix}-{name}")}"' in html, name


# -- the live example handbook -----------------------------------------------------------------------


def test_the_example_runbook_page_has_its_checklist(site: Site) -> None:
    html = site.html("example/tracking-api")
    page = Page(html)
    assert 'class="incident-panel"' in html
    checks = re.findall(
        r'<input type="checkbox" class="incident-check-input"[^>]*data-incident-step="([^"]+)"', html
    )
    assert checks == [
        "acknowledge-the-page",
        "open-an-incident-channel",
        "check-the-last-deploy",
        "roll-back-the-last-deploy",
        "keep-the-rollback",
        "call-for-help",
        "tell-the-carriers",
        "write-down-what-happened",
    ]
    for step in checks:
        assert f"tracking-api-outage--{step}" in page.ids
    assert "6 steps (8 with sub-steps)" in page.text

    step_list = read_json(site.outdir / "runbooks.json")
    jsonschema.validate(step_list, load_schema())
    declared = {r["id"]: r["declared_by"] for r in step_list["runbooks"]}
    assert declared == {"tracking-api-outage": "config", "label-queue": "directive", "handover": "metadata"}
    assert all(r["problems"] == [] for r in step_list["runbooks"])

    overview = site.page("example/overview")
    for title in ("When the tracking API is down", "Clearing a stuck label queue", "Handing over the pager"):
        assert title in overview.text
    roles = site.page("example/roles")
    assert {"role-primary", "role-incident-lead", "role-carrier-liaison"} <= roles.ids


# -- examples in the pages are real ----------------------------------------------------------------


def fenced(page: str, language: str, after: str = "") -> str:
    """The body of the first fenced block in ``language`` after the text ``after``."""
    text = (DOCS / page).read_text("utf-8")
    start = text.index(f"```{language}\n", text.index(after)) + len(f"```{language}\n")
    return text[start : text.index("```", start)]


def console(page: str, command: str, after: str = "") -> str:
    """What a page shows a command printing: the lines after ``$ command`` in a console block."""
    text = (DOCS / page).read_text("utf-8")
    opening = f"```console\n$ {command}\n"
    start = text.index(opening, text.index(after)) + len(opening)
    return text[start : text.index("```", start)]


def test_the_step_list_example_is_the_site_s_own(site: Site) -> None:
    example = json.loads(fenced("explanation/step-list.md", "json"))
    jsonschema.validate(example, load_schema())
    real = read_json(site.outdir / "runbooks.json")
    assert {k: v for k, v in example.items() if k not in ("runbooks", "generator")} == {
        k: v for k, v in real.items() if k not in ("runbooks", "generator")
    }
    (shown,) = example["runbooks"]
    (actual,) = [r for r in real["runbooks"] if r["id"] == shown["id"]]
    assert {k: v for k, v in shown.items() if k != "steps"} == {
        k: v for k, v in actual.items() if k != "steps"
    }
    by_id = {step["id"]: step for step in actual["steps"]}
    for step in shown["steps"]:
        assert step == by_id[step["id"]]


def test_the_export_examples_are_what_export_prints(tmp_path: Path) -> None:
    def export(form: str) -> str:
        result = sphinx_incident(
            "export", DOCS, "--runbook", "tracking-api-outage", "--format", form, "--base-url", BASE_URL,
            cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert export("markdown") == fenced("howto/export.md", "markdown", "`markdown` (the default)")
    # the other two are shown in part: every line shown is a line of the output
    for form, language, after in (("github", "markdown", "`github` is"), ("csv", "text", "`csv` has")):
        lines = export(form).splitlines()
        shown = [line for line in fenced("howto/export.md", language, after).splitlines() if line != "..."]
        assert shown and all(line in lines for line in shown), form


def test_the_alerts_example_is_what_alerts_prints(site: Site, tmp_path: Path) -> None:
    shutil.copytree(DOCS / "howto" / "monitoring", tmp_path / "monitoring")
    # the page runs it on a site built into docs/_build/html; the test has its own
    shown = console(
        "howto/alerts.md",
        f"sphinx-incident alerts monitoring --step-list docs/_build/html --base-url {BASE_URL}",
    )
    result = sphinx_incident(
        "alerts", "monitoring", "--step-list", site.outdir, "--base-url", BASE_URL, cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == shown


#: the pull request of the diff how-to, as edits of the example handbook's pages: the first two
#: steps swapped and one retitled, a step reworded, a step given to another role with a new button
#: URL, and a step of a second runbook removed
PULL_REQUEST = {
    "tracking-api.md": [
        (
            "1. Who: {role}`Primary`\n\n"
            "   **Acknowledge the page** in the paging app, so the secondary is not paged\n"
            "   as well.\n2. **Open an incident channel** named `#inc-<date>-tracking` and post the\n"
            "   alert's link in it. Everything about the incident is said there.\n",
            "1. **Open an incident channel** named `#inc-<date>-tracking` and post the\n"
            "   alert's link in it. Everything about the incident is said there.\n2. Who: {role}`Primary`\n\n"
            "   **Acknowledge the page within 15 minutes** in the paging app, so the\n"
            "   secondary is not paged as well.\n",
        ),
        ("finished in the\n   last hour,", "finished in the\n   last two hours,"),
        ("Who: {role}`Carrier Liaison`", "Who: {role}`Incident Lead`"),
        ("status.kestrel-freight.test/incidents/new", "status.kestrel-freight.test/admin/incidents/new"),
    ],
    "label-queue.rst": [
        (
            "   #. **Retry the oldest job**. If it fails again, move it to the dead-letter\n"
            "      queue so the jobs behind it can run.\n\n",
            "",
        )
    ],
}


def test_the_diff_example_is_what_diff_prints(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DOCS / "example", repo / "docs")
    (repo / "docs" / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]\n'
        'incident_runbooks = ["tracking-api-outage"]\n',
        "utf-8",
    )
    env = {
        "PATH": os.environ["PATH"], "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Handbook", "GIT_AUTHOR_EMAIL": "handbook@kestrel-freight.test",
        "GIT_COMMITTER_NAME": "Handbook", "GIT_COMMITTER_EMAIL": "handbook@kestrel-freight.test",
    }  # fmt: skip
    for command in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "Handbook"]):
        subprocess.run(["git", *command], cwd=repo, env=env, check=True, capture_output=True)
    for name, edits in PULL_REQUEST.items():
        path = repo / "docs" / name
        text = path.read_text("utf-8")
        for old, new in edits:
            assert old in text, (name, old)
            text = text.replace(old, new)
        path.write_text(text, "utf-8")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()

    for form in ("text", "markdown"):
        result = sphinx_incident("diff", "docs", "--git", "main", "--format", form, cwd=repo)
        assert result.returncode == 0, result.stderr
        if form == "text":
            shown = console("howto/diff.md", "sphinx-incident diff docs --git main")
        else:
            shown = fenced("howto/diff.md", "markdown", "The comment for the change above")
        # the page shows the commit of the handbook it was made on
        shown_commit = re.search(r"main \((\w+)\)", shown)
        assert shown_commit, shown
        assert result.stdout == shown.replace(shown_commit.group(1), commit), form


# -- the tutorial, step by step -----------------------------------------------------------------------


@pytest.fixture
def handbook(tmp_path: Path) -> Path:
    """A checkout of the tutorial's handbook, as it is before the tutorial: ``docs/`` in a repository."""
    repo = tmp_path / "handbook"
    shutil.copytree(TUTORIAL_HANDBOOK, repo / "docs")
    return repo


def test_the_tutorial_s_commands_print_what_it_shows(handbook: Path) -> None:
    page = "tutorial/index.md"
    conf = handbook / "docs" / "conf.py"

    # 2. add the extension
    before = 'extensions = ["myst_parser", "sphinx_design"]'
    after = fenced(page, "python", "## 2. Add it to").strip()
    assert before in conf.read_text("utf-8") and after.startswith("extensions = [")
    conf.write_text(conf.read_text("utf-8").replace(before, after), "utf-8")

    # 3. find the procedures
    found = sphinx_incident("discover", "docs", cwd=handbook)
    assert found.returncode == 0, found.stderr
    assert found.stdout == console(page, "sphinx-incident discover docs")

    # 4. declare them
    block = sphinx_incident("discover", "docs", "--format", "conf", cwd=handbook)
    assert block.stdout == console(page, "sphinx-incident discover docs --format conf")
    conf.write_text(conf.read_text("utf-8") + block.stdout, "utf-8")

    # 5. build and read the warnings
    build = run(
        sys.executable, "-m", "sphinx", "-b", "html", "docs", "docs/_build/html", cwd=handbook, merged=True
    )
    assert build.returncode == 0, build.stdout
    output = build.stdout.replace(str(handbook), SHOWN_CHECKOUT)
    shown = console(page, "sphinx-build -b html docs docs/_build/html").splitlines()
    assert [line for line in shown if line != "..."] == [
        line for line in output.splitlines() if line in shown
    ], output

    # the lint and its formats, as the CI how-to shows them on this handbook
    lint = sphinx_incident("lint", "docs", cwd=handbook)
    assert lint.returncode == 1
    assert lint.stdout == console("howto/lint-in-ci.md", "sphinx-incident lint docs")
    as_json = sphinx_incident("lint", "docs", "--format", "json", cwd=handbook)
    assert json.loads(as_json.stdout) == json.loads(
        fenced("howto/lint-in-ci.md", "json", "Output for machines")
    )
    github = sphinx_incident("lint", "docs", "--format", "github", cwd=handbook)
    assert fenced("howto/lint-in-ci.md", "text", "`--format github` prints") in github.stdout

    # 6. fix one: the lines the tutorial shows replace the stray step
    page_file = handbook / "docs" / "tracking-api.md"
    lines = page_file.read_text("utf-8").splitlines(keepends=True)
    fix = fenced(page, "markdown", "## 6. Fix one")
    assert lines[17].startswith("4 **Roll back")
    lines[17:19] = [fix]
    page_file.write_text("".join(lines), "utf-8")

    # 7. lint until it is green
    steps = console(page, "sphinx-incident lint docs")
    lint = sphinx_incident("lint", "docs", cwd=handbook)
    assert lint.returncode == 1
    assert lint.stdout == steps
    page_file.write_text(page_file.read_text("utf-8").replace("Carrier Liason", "Carrier Liaison"), "utf-8")
    lint = sphinx_incident("lint", "docs", cwd=handbook)
    assert lint.returncode == 0
    assert lint.stdout == console(page, "sphinx-incident lint docs", after="and lint again")


# -- regenerating the examples ------------------------------------------------------------------------


def compact_json(value: dict[str, Any], indent: int = 0) -> str:
    """JSON as the pages show it: the document, its runbooks and their steps one key a line;
    every other list one item a line, and every other object on one line."""
    pad = " " * indent
    lines = []
    for key, item in value.items():
        if isinstance(item, list) and item:
            inner = [
                compact_json(x, indent + 4)
                if key in ("runbooks", "steps")
                else json.dumps(x, ensure_ascii=False)
                for x in item
            ]
            body = ",\n".join(f"{pad}    {x}" for x in inner)
            lines.append(f'{pad}  "{key}": [\n{body}\n{pad}  ]')
        else:
            lines.append(f'{pad}  "{key}": {json.dumps(item, ensure_ascii=False)}')
    return "{\n" + ",\n".join(lines) + f"\n{pad}}}"


def replace_block(page: str, language: str, after: str, body: str) -> None:
    path = DOCS / page
    text = path.read_text("utf-8")
    start = text.index(f"```{language}\n", text.index(after)) + len(f"```{language}\n")
    path.write_text(text[:start] + body + text[text.index("```", start) :], "utf-8")


def regenerate() -> None:
    """Write the examples of the step-list and export pages again from this site's own runbooks."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        built = run(
            sys.executable, "-m", "sphinx", "-q", "-b", "runbooks", DOCS, out, "-d", out / "doctrees", cwd=out
        )
        assert built.returncode == 0, built.stderr
        real = read_json(out / "runbooks.json")
        exported = sphinx_incident(
            "export", DOCS, "--runbook", "tracking-api-outage", "--base-url", BASE_URL, cwd=out
        )
    shown = json.loads(fenced("explanation/step-list.md", "json"))
    (runbook,) = [r for r in real["runbooks"] if r["id"] == shown["runbooks"][0]["id"]]
    keep = [step["id"] for step in shown["runbooks"][0]["steps"]]
    runbook["steps"] = [step for step in runbook["steps"] if step["id"] in keep]
    real["runbooks"] = [runbook]
    replace_block("explanation/step-list.md", "json", "", compact_json(real) + "\n")
    replace_block("howto/export.md", "markdown", "`markdown` (the default)", exported.stdout)


if __name__ == "__main__":
    regenerate()
    print("docs/explanation/step-list.md and docs/howto/export.md regenerated")
