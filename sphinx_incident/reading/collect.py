"""Reading: find the runbooks each document declares, extract them, and store them per document.

A runbook is declared three ways, all giving the same model: the ``runbook``
directive, an entry of ``incident_runbooks`` (a label), or page metadata
(:mod:`sphinx_incident.reading.declarations`). At ``doctree-read`` each is
extracted (:func:`~sphinx_incident.reading.extract.extract_runbook`) and every
step's node is given its HTML id, ``<runbook-id>--<step-id>``, so the step's
URL resolves in the page. Problems found while reading are stored with the
document and reported once all documents are read.
"""

from __future__ import annotations

from traceback import format_exception
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..config import get_config
from ..domain import incident_domain
from ..model import Problem, Runbook
from ..model.ids import free_id
from .declarations import Declaration, entry_runbook_id, entry_target, find_declarations, page_root
from .directives import HAS_RUNBOOK_DIRECTIVE
from .discovery import DISCOVER_BUILDER, Discovered, discover_lists, verdict_of
from .doctree import INVISIBLE, node_line, source_of, source_path
from .extract import extract_runbook
from .extract.context import RST_FILES, Extraction
from .extract.headings import headings_out_of_turn
from .extract.items import lists_shown_as_code
from .extract.line_blocks import steps_in_line_blocks
from .lines import mend_nested_lines
from .list_source import SourceLines
from .parts import box_of, is_container

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from ..model import Step

#: the class and attribute the node holding a runbook gets, so the page decorations find it
RUNBOOK_ROOT_CLASS = "incident-runbook-root"
RUNBOOK_ID_ATTRIBUTE = "incident_runbook_id"


def _first_source_node(root: nodes.Element) -> nodes.Node:
    """A node that knows which file the runbook's lines are in (an included one, perhaps)."""
    for node in root.findall(nodes.list_item):
        if getattr(node, "source", None):
            return node
    return root


def _stamp(document: nodes.document, node: nodes.Element, anchor: str) -> str:
    """Give a node an HTML id (unique in the page) and return it. The node's own ids
    stay first: a section's heading keeps the permalink it had."""
    if anchor in node["ids"]:
        return anchor
    given = free_id(anchor, document.ids)
    node["ids"].append(given)
    document.ids[given] = node
    return given


def _anchor_node(root: nodes.Element) -> nodes.Element:
    """The node whose id is the runbook's URL: the root, unless it is the whole page,
    whose id no builder writes; then its first visible block."""
    if not isinstance(root, nodes.document):
        return root
    for child in root.children:
        if isinstance(child, nodes.Element) and not isinstance(child, INVISIBLE):
            return child
    return root


def _runbook_anchor(document: nodes.document, root: nodes.Element, runbook_id: str) -> str:
    """The runbook's anchor: its id, or the id its section already has under that name."""
    node = _anchor_node(root)
    holder = document.ids.get(runbook_id)
    if holder is not None and holder is not node:
        parent = node.parent
        while parent is not None:  # the runbook directive right inside a section of that name
            if parent is holder:
                return runbook_id
            parent = parent.parent
    return _stamp(document, node, runbook_id)


#: where the text of the document being read is kept until its runbooks are extracted
SOURCE_KEY = "incident_source"


def keep_source(app: Sphinx, docname: str, content: list[str]) -> None:
    """``source-read``: keep the document's text (the list Sphinx parses, as other
    extensions leave it) to compare the author's indentation with the parsed lists."""
    app.env.temp_data[SOURCE_KEY] = content


class _Sources:
    """The source lines of the files a document's runbooks come from, read once each."""

    def __init__(self, env: BuildEnvironment, docname: str) -> None:
        self.env = env
        self.docname = docname
        self.own = str(env.doc2path(docname))
        self._read: dict[str, SourceLines | None] = {}

    def of(self, node: nodes.Node) -> SourceLines | None:
        """The lines of the file a node comes from (the nearest of it and its parents that
        names one: inline nodes of rST name none); the page's when none does."""
        path = source_of(node) or self.own
        if path not in self._read:
            self._read[path] = self._load(path)
        return self._read[path]

    def of_markdown(self, node: nodes.Node) -> SourceLines | None:
        """:meth:`of`, for a node from a Markdown file; ``None`` for one from an rST file."""
        path = source_of(node) or self.own
        return None if path.lower().endswith(RST_FILES) else self.of(node)

    def _load(self, path: str) -> SourceLines | None:
        if path == self.own:
            kept = self.env.temp_data.get(SOURCE_KEY)
            if kept:
                return SourceLines(kept[0])
        try:  # an included file: read as it is on disk
            with open(path, encoding="utf-8-sig") as handle:
                return SourceLines(handle.read())
        except (OSError, UnicodeDecodeError):
            return None


def _failure(message: str, path: str, line: int | None, exc: Exception) -> Problem:
    """An ``extraction_failed`` problem, carrying the traceback of the exception behind it."""
    return Problem("extraction_failed", "error", message, path, line, detail="".join(format_exception(exc)))


def _undeclared_root(named: Declaration | None, section: nodes.Element) -> nodes.Element:
    """What lint reads for a procedure discovery found (``named``: what its entry declares):
    its section, where the procedures of the section's own text are read as a declared section
    reads them; the part its entry names where that is a box or in one (a tab), which reading
    the section would not reach."""
    if named is None or named.node is section:
        return section
    inside = named.node if is_container(named.node) else box_of(named.node, section)
    return named.node if inside is not None else section


def _extract_undeclared(
    env: BuildEnvironment,
    document: nodes.document,
    docname: str,
    lists: list[Discovered],
    roots: list[nodes.Element],
    sources: _Sources,
) -> None:
    """The procedures discovery found that no one declared: extracted to be checked, not rendered,
    each as declaring its entry would take it (a section, or the part of one: a tab, a list).
    The sections whose lists are all something else are extracted too, for the mistakes that
    break any list (:data:`~sphinx_incident.checking.checks.ANY_LIST`)."""
    domain = incident_domain(env)
    found: list[Runbook] = []
    done: set[str] = set()
    procedures = [item for item in lists if item.positive]
    others = [item for item in lists if not item.positive]
    for item in procedures + others:
        if item.declared or item.entry in done:
            continue
        done.add(item.entry)
        section = document.ids.get(item.section_id) if item.section_id else page_root(document)
        if not isinstance(section, nodes.section | nodes.document):
            continue
        named = entry_target(document, item.entry, docname) if item.positive else None
        root = _undeclared_root(named, section)
        model = _extract_found(env, docname, item, root, roots, sources)
        if model is None:
            continue
        found.append(model)
        part = _part_left_out(named, item, root, model)
        if (
            part is not None
            and (alone := _extract_found(env, docname, item, part, roots, sources)) is not None
        ):
            found.append(alone)
    domain.set_undeclared(docname, found)


def _part_left_out(
    named: Declaration | None, item: Discovered, root: nodes.Element, model: Runbook
) -> nodes.Element | None:
    """The list a procedure's entry names, where reading its section (``root``) did not take
    it for steps (a checklist beside the section's numbered procedure): declaring the entry
    takes that list, so lint reads it as well, for what only its own reading shows (a command
    at the margin its last item announces)."""
    if named is None or item.line is None or not isinstance(root, nodes.section | nodes.document):
        return None
    if named.node is root:
        return None
    if any(step.line == item.line and (step.source or model.source) == item.source for step in model.steps):
        return None
    return named.node


def _extract_found(
    env: BuildEnvironment,
    docname: str,
    item: Discovered,
    root: nodes.Element,
    roots: list[nodes.Element],
    sources: _Sources,
) -> Runbook | None:
    """The model of what a procedure discovery found takes, read from ``root``; ``None``, with
    an ``extraction_failed`` problem, where reading it failed."""
    return _read_runbook(
        env,
        docname,
        root,
        sources,
        (f"the procedure {item.entry!r} that discovery found", "it is not checked"),
        runbook_id=entry_runbook_id(item.entry, docname),
        title=item.section,
        declared_by="discovered" if item.positive else "listed",
        label=item.entry,
        other_roots=roots,
    )


def _read_runbook(
    env: BuildEnvironment,
    docname: str,
    root: nodes.Element,
    sources: _Sources,
    failure: tuple[str, str],
    **model: Any,
) -> Runbook | None:
    """The model of the runbook read from ``root`` (``model``: what tells it from the others);
    ``None`` where reading it failed, with an ``extraction_failed`` problem that names it and
    says what follows (``failure``): a bug of ours must not break the build."""
    first = _first_source_node(root)
    source = source_path(env, first, docname)
    try:
        return extract_runbook(
            root,
            docname=docname,
            source=source,
            source_lines=sources.of(first),
            sources=sources.of,
            srcdir=str(env.srcdir),
            verdict_of=verdict_of,
            **model,
        )
    except Exception as exc:  # reported, with its traceback
        what, then = failure
        message = f"{what} could not be read ({type(exc).__name__}: {exc}); {then}"
        incident_domain(env).add_problem(docname, _failure(message, source, node_line(root), exc))
        return None


def _page_defects(
    env: BuildEnvironment,
    document: nodes.document,
    docname: str,
    sources: _Sources,
    roots: list[nodes.Element],
) -> None:
    """What the page shows wrong outside any list section: the lists of a Markdown page set in
    so far that the page shows them as code, where no list section reaches them (a list after
    a paragraph), steps typed in line blocks, and headings typed with step numbers out of
    turn, outside the declared runbooks (whose steps the runbook checks)."""
    page = Extraction(document, None, document, docname, sources.of_markdown(document))
    page.path = str(env.doc2path(docname, False))
    page.srcdir = str(env.srcdir)
    page.sources = sources.of
    lists_shown_as_code(page, document)
    steps_in_line_blocks(page, document)
    declared = {id(section) for root in roots for section in root.findall(nodes.section)}
    headings_out_of_turn(page, document, declared | {id(root) for root in roots})
    for problem in page.defects:
        incident_domain(env).add_problem(docname, problem)


def collect_runbooks(app: Sphinx, document: nodes.document) -> None:
    """``doctree-read``: extract the document's runbooks into the domain."""
    env: BuildEnvironment = app.env
    docname = env.docname
    config = get_config(app.config)
    domain = incident_domain(env)
    sources = _Sources(env, docname)
    mend_nested_lines(document, sources.of_markdown)
    found: list[tuple[str, str, nodes.Node | None]] = []
    matched: set[str] = set()
    declarations = find_declarations(
        document,
        config.runbooks,
        env.metadata.get(docname, {}),
        config.metadata_key,
        docname,
        found,
        matched,
        has_directives=bool(env.temp_data.get(HAS_RUNBOOK_DIRECTIVE)),
    )
    domain.set_entries(docname, matched)
    page_source = str(env.doc2path(docname, False))
    for rule, message, node in found:
        path = source_path(env, node, docname) if node is not None else page_source
        domain.add_problem(docname, Problem(rule, "error", message, path, node_line(node) if node else 1))
    roots = [decl.node for decl in declarations]
    runbooks: list[Runbook] = []
    if config.lint_scope == "discovered":
        # only when asked for: classifying every list of every page costs a build time
        lists = discover_lists(
            document, docname, page_source, roots, lambda node: source_path(env, node, docname)
        )
        domain.set_discovered(docname, lists)
        if app.builder.name == DISCOVER_BUILDER:
            return  # the lists are all discover wants: what is declared is known from roots
        _extract_undeclared(env, document, docname, lists, roots, sources)
        _page_defects(env, document, docname, sources, roots)
    for decl in declarations:
        anchor = _runbook_anchor(document, decl.node, decl.runbook_id)

        def on_step(node: nodes.Element, step: Step, _prefix: str = decl.runbook_id) -> None:
            step.anchor = _stamp(document, node, f"{_prefix}--{step.id}")

        model = _read_runbook(
            env,
            docname,
            decl.node,
            sources,
            (f"runbook {decl.runbook_id!r}", "the page is built as it is, without the runbook"),
            runbook_id=decl.runbook_id,
            title=decl.title,
            declared_by=decl.declared_by,
            label=decl.label,
            owners=list(decl.owners),
            on_step=on_step,
            other_roots=[r for r in roots if r is not decl.node],
        )
        if model is None:
            continue
        model.anchor = anchor
        # the class marks what the runbook holds (a whole page, when declared so),
        # the attribute where its panel goes
        decl.node["classes"] = [*decl.node.get("classes", []), RUNBOOK_ROOT_CLASS]
        _anchor_node(decl.node)[RUNBOOK_ID_ATTRIBUTE] = decl.runbook_id
        model.explicit_id = decl.explicit
        runbooks.append(model)
    domain.set_runbooks(docname, runbooks)
