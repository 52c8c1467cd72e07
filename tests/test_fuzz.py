"""Generated runbook documents, well-formed and not, in MyST and rST: the build never fails.

Documents mix well-formed steps (a bold title, text, nested sub-steps down
to six levels, unicode and right-to-left words, huge numbers) with noise:
stray and unknown directives, unbalanced markup, numbers without a period,
empty items, stray roles. The properties: building raises nothing, every
warning names its file and line, and every well-formed step is in the model
with its title, in document order.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from myst_parser import __version__ as myst_version
from packaging.version import Version
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from sphinx_incident.reading.extract import extract_runbook

WORDS = ["alpha", "Beta", "café", "naïve", "über", "Ωmega", "漢字", "שלום", "مرحبا", "🔥", "x9", "ok"]
#: characters that unbalance markup; never at the start of a line
JUNK = "*`_[]{}<>|\\:#!~=+-()^\"'/.,;? aZ9שلا🔥"  # noqa: RUF001 (right-to-left letters on purpose)
MAX_DEPTH = 6
OLD_MYST = Version(myst_version) < Version("5.1")


@dataclass
class Step:
    title: str
    text: str
    ordered: bool = True
    substeps: list[Step] = field(default_factory=list)

    def titles(self) -> list[str]:
        return [self.title, *(t for sub in self.substeps for t in sub.titles())]


words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


def steps(depth: int) -> st.SearchStrategy[Step]:
    children = st.lists(steps(depth + 1), max_size=2) if depth < MAX_DEPTH else st.just([])
    return st.builds(Step, title=words, text=words, ordered=st.booleans(), substeps=children)


#: (kind, payload) of a block that is not a well-formed step
noise = st.one_of(
    st.tuples(st.just("junk"), st.text(JUNK, min_size=1, max_size=30)),
    st.tuples(st.just("directive"), st.sampled_from(["note", "warning", "nonexistent", "admonition"])),
    st.tuples(st.just("no-period"), st.integers(0, 99_999)),
    st.tuples(st.just("huge"), st.integers(10**9, 10**30)),
    st.tuples(st.just("empty"), st.integers(1, 9)),
    st.tuples(st.just("roles"), words),
    st.tuples(st.just("bullet"), words),
)

#: the runbook body: groups of consecutive well-formed steps, with noise between
documents = st.tuples(
    st.lists(st.tuples(st.lists(steps(1), min_size=1, max_size=3), st.lists(noise, max_size=2)), max_size=4),
    st.integers(1, 999_999_999),
)


def _indent(text: str, width: int) -> str:
    return "\n".join((" " * width + line) if line else "" for line in text.splitlines())


# -- MyST ----------------------------------------------------------------------


def myst_step(step: Step, marker: str) -> str:
    body = f"{marker} **{step.title}**. {step.text} {{role}}`{step.text}` and {{term}}`{step.title}`.\n"
    width = len(marker) + 1
    for index, sub in enumerate(step.substeps):
        sub_marker = f"{index + 1}." if sub.ordered else "-"
        body += "\n" + _indent(myst_step(sub, sub_marker), width) + "\n"
    return body


def myst_noise(kind: str, payload: object) -> str:
    if kind == "junk":
        return f"x {payload}\n"
    if kind == "directive":
        return f"```{{{payload}}} Stray\nInside a stray {payload}.\n```\n"
    if kind == "no-period":
        return f"{payload} **Looks like a step** but is not.\n"
    if kind == "huge":
        return f"{payload}. **Huge number** item.\n"
    if kind == "empty":
        return f"{payload}.\n"
    if kind == "roles":
        return f"x {{role}}`{payload}` {{term}}`{payload}` {{unknownrole}}`{payload}` {{role}}`\n"
    return f"- **{payload}** a bullet between numbered steps.\n"


def myst_document(doc: tuple[list, int]) -> tuple[str, list[str]]:
    groups, start = doc
    blocks, expected = ["(rb)=", "# Generated runbook\n", "Intro.\n"], []
    number = start
    for group, noises in groups:
        for step in group:
            blocks.append(myst_step(step, f"{number}."))
            expected += step.titles()
            number = min(number + 1, 999_999_999)
        blocks += [myst_noise(*n) for n in noises]
    return "\n".join(blocks), expected


# -- rST -----------------------------------------------------------------------


def rst_step(step: Step, marker: str) -> str:
    body = f"{marker} **{step.title}**. {step.text} :role:`{step.text}` and :term:`{step.title}`.\n"
    width = len(marker) + 1
    for index, sub in enumerate(step.substeps):
        sub_marker = f"{index + 1}." if sub.ordered else "-"
        body += "\n" + _indent(rst_step(sub, sub_marker), width) + "\n"
    return body


def rst_noise(kind: str, payload: object) -> str:
    if kind == "junk":
        return f"x {payload}\n"
    if kind == "directive":
        return f".. {payload}::\n" if payload != "note" else ".. note:: Inside a stray note.\n"
    if kind == "no-period":
        return f"{payload} **Looks like a step** but is not.\n"
    if kind == "huge":
        return f"{payload}. **Huge number** item.\n"
    if kind == "empty":
        return "#.\n"
    if kind == "roles":
        return f"x :role:`{payload}` :term:`{payload}` :unknownrole:`{payload}` :role:`\n"
    return f"- **{payload}** a bullet between numbered steps.\n"


def rst_document(doc: tuple[list, int], roles: bool = True) -> tuple[str, list[str]]:
    groups, start = doc
    blocks, expected = [".. _rb:", "", "Generated runbook", "=================\n", "Intro.\n"], []
    for group, noises in groups:
        # docutils numbers a list consecutively: each group is one list
        for offset, step in enumerate(group):
            blocks.append(rst_step(step, f"{start + offset}."))
            expected += step.titles()
        blocks += [rst_noise(*n) for n in noises]
    text = "\n".join(blocks)
    if not roles:
        text = re.sub(r":(role|term|unknownrole):`", "`", text)
    return text, expected


# -- properties ----------------------------------------------------------------


def is_subsequence(wanted: list[str], found: list[str | None]) -> bool:
    remaining = iter(found)
    return all(any(title == item for item in remaining) for title in wanted)


def walk(steps_: list[dict]) -> list[dict]:
    out = []
    for step in steps_:
        out.append(step)
        out += walk(step["substeps"])
    return out


LOCATED = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): (WARNING|ERROR|CRITICAL|SEVERE)")


def build(srcdir: Path, filename: str, text: str) -> tuple[dict, list[str]]:
    for old in srcdir.glob("index.*"):
        old.unlink()
    (srcdir / filename).write_text(text, "utf-8")
    warning = io.StringIO()
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, warning=warning, status=None)
    try:
        app.build()
    finally:
        app.cleanup()
    data = json.loads((Path(app.outdir) / "runbooks.json").read_text("utf-8"))
    lines = [strip_colors(line) for line in warning.getvalue().splitlines()]
    # a message's continuation lines (docutils explains some errors on the next lines) are not warnings
    return data, [line for line in lines if re.search(r"\b(WARNING|ERROR|CRITICAL|SEVERE)\b", line)]


@pytest.fixture(scope="module")
def srcdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz")
    (path / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]\n'
        'incident_runbooks = ["rb"]\nsuppress_warnings = ["myst.header"]\n',
        "utf-8",
    )
    return path


def check(srcdir: Path, filename: str, text: str, expected: list[str]) -> None:
    data, warnings = build(srcdir, filename, text)
    for line in warnings:
        match = LOCATED.match(line)
        assert match, f"warning without file:line: {line!r}\n--- document ---\n{text}"
        # MyST-Parser before 5.1 names the file of its own warnings about unknown
        # directives and roles `<doc>.md.rst`
        myst_own = OLD_MYST and re.search(r"\[myst\.(directive|role)_unknown\]$", line) is not None
        assert Path(match["path"]).name in ({filename, f"{filename}.rst"} if myst_own else {filename}), line
    [runbook] = data["runbooks"]
    titles = [step["title"] for step in walk(runbook["steps"])]
    assert is_subsequence(expected, titles), f"{expected} not in {titles}\n--- document ---\n{text}"


BUILD_SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: how many documents a property is tried on: a few in the fast suite, many more in the
#: integration target (``make test-integration``)
BUILDS = [pytest.param(8, id="short"), pytest.param(60, id="long", marks=pytest.mark.integration)]
PARSES = [pytest.param(40, id="short"), pytest.param(500, id="long", marks=pytest.mark.integration)]


@pytest.mark.parametrize("examples", BUILDS)
def test_myst_documents_build(srcdir: Path, examples: int) -> None:
    @settings(BUILD_SETTINGS, max_examples=examples)
    @given(doc=documents)
    def builds(doc: tuple[list, int]) -> None:
        text, expected = myst_document(doc)
        check(srcdir, "index.md", text, expected)

    builds()


@pytest.mark.parametrize("examples", BUILDS)
def test_rst_documents_build(srcdir: Path, examples: int) -> None:
    @settings(BUILD_SETTINGS, max_examples=examples)
    @given(doc=documents)
    def builds(doc: tuple[list, int]) -> None:
        text, expected = rst_document(doc)
        check(srcdir, "index.rst", text, expected)

    builds()


@pytest.mark.parametrize("examples", PARSES)
def test_extraction_keeps_every_well_formed_step(examples: int) -> None:
    """The pure parser, on docutils doctrees: no Sphinx, so many more examples."""

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(doc=documents)
    def keeps(doc: tuple[list, int]) -> None:
        text, expected = rst_document(doc, roles=False)
        document = publish_doctree(
            text, settings_overrides={"report_level": 5, "halt_level": 5, "doctitle_xform": False}
        )
        section = next(document.findall(nodes.section))
        model = extract_runbook(
            section, runbook_id="rb", title="Generated", docname="index", source="index.rst"
        )
        titles = [step.title for step in model.walk()]
        assert is_subsequence(expected, titles), f"{expected} not in {titles}\n{text}"
        assert len({step.id for step in model.walk()}) == len(titles)  # ids are unique

    keeps()
