"""Reading: find the runbooks each document declares, extract them, and store them per document.

A runbook is declared three ways, all giving the same model: the ``runbook``
directive, an entry of ``incident_runbooks`` (a label), or page metadata.
Each is extracted (:func:`~sphinx_incident.extract.extract_runbook`) and every
step's node is given its HTML id, ``<runbook-id>--<step-id>``, so the step's
URL resolves in the page. Problems found while reading are stored with the
document and reported once all documents are read.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes

from ..config import get_config
from ..domain import incident_domain, source_path
from ..model import Problem, Runbook
from ..model.ids import slugify
from .directives import HAS_RUNBOOK_DIRECTIVE, is_runbook_directive
from .discovery import Discovered, discover_lists
from .doctree import INVISIBLE, clean, node_line, plain_text
from .extract import extract_runbook
from .list_source import SourceLines

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from ..model import Step

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", ""}
#: the class and attribute the node holding a runbook gets, so the page decorations find it
RUNBOOK_ROOT_CLASS = "incident-runbook-root"
RUNBOOK_ID_ATTRIBUTE = "incident_runbook_id"
#: where a declaration comes from, in the order one wins over another on the same node
PRECEDENCE = ("directive", "config", "metadata")


@dataclass
class Declaration:
    """A node that holds a runbook, and how it was declared."""

    node: nodes.Element
    declared_by: str
    runbook_id: str
    title: str
    label: str | None = None
    owners: tuple[str, ...] = ()


def section_title(node: nodes.Element) -> str:
    if isinstance(node, nodes.section) and node.children and isinstance(node[0], nodes.title):
        return clean(plain_text(node[0]))
    return ""


def _enclosing_title(node: nodes.Element) -> str:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            return section_title(parent)
        parent = parent.parent
    return ""


def normalise_label(label: str) -> str:
    """Labels as docutils stores names: lowercase, single spaces."""
    return " ".join(label.lower().split())


_GLOB = re.compile(r"[*?\[]")


def page_root(document: nodes.document) -> nodes.Element:
    """What a page declared as a whole holds: its first section, or the page itself."""
    section = next(iter(document.findall(nodes.section)), None)
    return section if section is not None else document


def entry_kind(entry: str) -> str:
    """How an ``incident_runbooks`` entry names runbooks: ``section`` (``doc#id``), ``glob``,
    or ``label`` (a label, or a document: which one is decided by what exists)."""
    if "#" in entry:
        return "section"
    if _GLOB.search(entry):
        return "glob"
    return "label"


def _entry_declarations(
    document: nodes.document,
    entry: str,
    docname: str,
    report: list[tuple[str, str, nodes.Node | None]],
    matched: set[str],
) -> list[Declaration]:
    """The runbook an ``incident_runbooks`` entry declares in this document, if any."""
    kind = entry_kind(entry)
    target: nodes.Node | None = None
    runbook_id = ""
    if kind == "section":
        page, _, section_id = entry.partition("#")
        if page.removesuffix(".md").removesuffix(".rst") != docname:
            return []
        target = document.ids.get(section_id)
        runbook_id = slugify(section_id)
        if target is None:
            return []
    elif kind == "glob":
        if not fnmatch.fnmatchcase(docname, entry):
            return []
        target, runbook_id = page_root(document), slugify(docname)
    else:
        refid = document.nameids.get(normalise_label(entry))
        target = document.ids.get(refid) if refid else None
        if target is not None:
            runbook_id = slugify(entry)
        elif entry.removesuffix(".md").removesuffix(".rst") == docname:
            target, runbook_id = page_root(document), slugify(docname)
        else:
            return []
    matched.add(entry)
    if not isinstance(target, nodes.section | nodes.document):
        report.append(
            (
                "not_a_section",
                f"incident_runbooks entry {entry!r} is not on a section heading; "
                "put the label right before the heading of the runbook",
                target,
            )
        )
        return []
    title = section_title(target) or docname
    return [Declaration(target, "config", runbook_id or slugify(title), title, label=entry)]


def find_declarations(
    document: nodes.document,
    labels: list[str],
    metadata: dict[str, object],
    metadata_key: str,
    docname: str,
    problems: list[tuple[str, str, nodes.Node | None]] | None = None,
    matched: set[str] | None = None,
    has_directives: bool = True,
) -> list[Declaration]:
    """Every runbook a document declares, in source order; one per node.

    ``problems`` receives (rule, message, node) for declarations that are not understood,
    ``matched`` the ``incident_runbooks`` entries that named something in the document.
    """
    report = problems if problems is not None else []
    matched = matched if matched is not None else set()
    found: list[Declaration] = []
    directives = document.findall(is_runbook_directive) if has_directives else ()
    for node in directives:
        title = str(node.get("runbook_title") or "") or _enclosing_title(node)
        runbook_id = str(node.get("runbook_id") or "") or slugify(title) or slugify(docname)
        found.append(
            Declaration(node, "directive", runbook_id, title, owners=tuple(node.get("runbook_roles", ())))
        )
    for entry in labels:
        found.extend(_entry_declarations(document, entry, docname, report, matched))
    value = metadata.get(metadata_key)
    if value is not None:
        text = str(value).strip()
        if text.lower() not in _FALSE:
            root = page_root(document)
            title = section_title(root) or docname
            runbook_id = slugify(title) if text.lower() in _TRUE else slugify(text)
            if not runbook_id:
                report.append(
                    (
                        "bad_metadata",
                        f"page metadata {metadata_key}: {text!r} is neither true/false nor a runbook id",
                        None,
                    )
                )
                runbook_id = slugify(docname)
            found.append(Declaration(root, "metadata", runbook_id, title, label=text))
    # one runbook per node: the directive, then the configuration, then metadata
    kept: dict[int, Declaration] = {}
    for decl in sorted(found, key=lambda d: PRECEDENCE.index(d.declared_by)):
        kept.setdefault(id(decl.node), decl)
    return sorted(kept.values(), key=lambda d: node_line(d.node) or 0)


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
    given = anchor
    counter = 1
    while given in document.ids:
        counter += 1
        given = f"{anchor}-{counter}"
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
        path = str(getattr(node, "source", None) or self.own)
        if path not in self._read:
            self._read[path] = self._load(path)
        return self._read[path]

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


def _extract_undeclared(
    env: BuildEnvironment,
    document: nodes.document,
    docname: str,
    lists: list[Discovered],
    roots: list[nodes.Element],
    sources: _Sources,
) -> None:
    """The procedures discovery found that no one declared: extracted to be checked, not rendered."""
    found: list[Runbook] = []
    done: set[str] = set()
    for item in lists:
        if not item.positive or item.declared or item.entry in done:
            continue
        done.add(item.entry)
        section = document.ids.get(item.section_id) if item.section_id else page_root(document)
        if not isinstance(section, nodes.section | nodes.document):
            continue
        source = source_path(env, _first_source_node(section), docname)
        try:
            model = extract_runbook(
                section,
                runbook_id=slugify(item.entry),
                title=item.section,
                docname=docname,
                source=source,
                declared_by="discovered",
                label=item.entry,
                other_roots=roots,
                source_lines=sources.of(_first_source_node(section)),
                srcdir=str(env.srcdir),
            )
        except Exception:  # a procedure no one declared must never break the build
            continue
        found.append(model)
    incident_domain(env).set_undeclared(docname, found)


def collect_runbooks(app: Sphinx, document: nodes.document) -> None:
    """``doctree-read``: extract the document's runbooks into the domain."""
    env: BuildEnvironment = app.env
    docname = env.docname
    config = get_config(app.config)
    domain = incident_domain(env)
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
    sources = _Sources(env, docname)
    runbooks: list[Runbook] = []
    if config.lint_scope == "discovered":
        # only when asked for: classifying every list of every page costs a build time
        lists = discover_lists(document, docname, page_source, roots)
        domain.set_discovered(docname, lists)
        if getattr(app.builder, "discover_only", False):  # see RunbooksBuilder
            return  # the lists are all discover wants: what is declared is known from roots
        _extract_undeclared(env, document, docname, lists, roots, sources)
    for decl in declarations:
        anchor = _runbook_anchor(document, decl.node, decl.runbook_id)

        def on_step(node: nodes.Element, step: Step, _prefix: str = decl.runbook_id) -> None:
            step.anchor = _stamp(document, node, f"{_prefix}--{step.id}")

        source = source_path(env, _first_source_node(decl.node), docname)
        try:
            model = extract_runbook(
                decl.node,
                runbook_id=decl.runbook_id,
                title=decl.title,
                docname=docname,
                source=source,
                declared_by=decl.declared_by,
                label=decl.label,
                owners=list(decl.owners),
                on_step=on_step,
                other_roots=[r for r in roots if r is not decl.node],
                source_lines=sources.of(_first_source_node(decl.node)),
                srcdir=str(env.srcdir),
            )
        except Exception as exc:  # never take the handbook build down with us
            message = (
                f"runbook {decl.runbook_id!r} could not be read ({type(exc).__name__}: {exc}); "
                "the page is built as it is, without the runbook"
            )
            domain.add_problem(
                docname, Problem("extraction_failed", "error", message, source, node_line(decl.node))
            )
            continue
        model.anchor = anchor
        # the class marks what the runbook holds (a whole page, when declared so),
        # the attribute where its panel goes
        decl.node["classes"] = [*decl.node.get("classes", []), RUNBOOK_ROOT_CLASS]
        _anchor_node(decl.node)[RUNBOOK_ID_ATTRIBUTE] = decl.runbook_id
        runbooks.append(model)
    domain.set_runbooks(docname, runbooks)
