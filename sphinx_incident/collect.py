"""Finding the runbooks of each document as it is read, and storing their models.

A runbook is declared three ways, all giving the same model: the ``runbook``
directive, a section label listed in ``incident_runbooks``, or page metadata.
Each is extracted (:func:`~sphinx_incident.parser.extract_runbook`) and every
step's node is given its HTML id, so the step's URL resolves in the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from .config import get_config
from .directives import runbook as runbook_node
from .domain import incident_domain
from .ids import slugify
from .parser import clean, extract_runbook, node_line, plain_text
from .warnings_ import IncidentWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .model import Step

logger = logging.getLogger(__name__)

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", ""}


@dataclass
class Declaration:
    """A node that holds a runbook, and how it was declared."""

    node: nodes.Element
    declared_by: str
    runbook_id: str
    title: str
    label: str | None = None
    owners: tuple[str, ...] = ()


def _section_title(node: nodes.Element) -> str:
    if isinstance(node, nodes.section) and node.children and isinstance(node[0], nodes.title):
        return clean(plain_text(node[0]))
    return ""


def _enclosing_title(node: nodes.Element) -> str:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            return _section_title(parent)
        parent = parent.parent
    return ""


def normalise_label(label: str) -> str:
    """Labels as docutils stores names: lowercase, single spaces."""
    return " ".join(label.lower().split())


def find_declarations(
    document: nodes.document, labels: list[str], metadata: dict[str, object], metadata_key: str, docname: str
) -> list[Declaration]:
    """Every runbook declared in a document, outermost first, in source order."""
    found: list[Declaration] = []
    for node in document.findall(runbook_node):
        title = str(node.get("runbook_title") or "") or _enclosing_title(node)
        runbook_id = str(node.get("runbook_id") or "") or slugify(title) or slugify(docname)
        found.append(
            Declaration(node, "directive", runbook_id, title, owners=tuple(node.get("runbook_roles", ())))
        )
    for label in labels:
        key = normalise_label(label)
        refid = document.nameids.get(key)
        target = document.ids.get(refid) if refid else None
        if target is None:
            continue
        if not isinstance(target, nodes.section):
            warn(
                logger,
                IncidentWarning.NOT_A_SECTION,
                f"incident_runbooks label {label!r} is not on a section heading; "
                "put the label right before the heading of the runbook",
                location=target,
            )
            continue
        title = _section_title(target)
        found.append(Declaration(target, "config", slugify(label) or slugify(title), title, label=label))
    value = metadata.get(metadata_key)
    if value is not None:
        text = str(value).strip()
        section = next(iter(document.findall(nodes.section)), None)
        root = section if section is not None else document
        title = _section_title(root) or docname
        if text.lower() in _FALSE:
            pass
        else:
            runbook_id = slugify(title) if text.lower() in _TRUE else slugify(text)
            if not runbook_id:
                warn(
                    logger,
                    IncidentWarning.BAD_METADATA,
                    f"page metadata {metadata_key}: {text!r} is neither true/false nor a runbook id",
                    location=(docname, 1),
                )
                runbook_id = slugify(docname)
            found.append(Declaration(root, "metadata", runbook_id, title, label=text))
    # a runbook inside another is part of the outer one: keep the outermost
    kept: list[Declaration] = []
    for decl in sorted(found, key=lambda d: _depth(d.node)):
        outer = next((k for k in kept if _contains(k.node, decl.node)), None)
        if outer is not None:
            if outer.node is not decl.node or outer.declared_by != decl.declared_by:
                warn(
                    logger,
                    IncidentWarning.NESTED_RUNBOOK,
                    f"runbook {decl.runbook_id!r} ({decl.declared_by}) is inside runbook "
                    f"{outer.runbook_id!r} ({outer.declared_by}); only the outer one is kept",
                    location=decl.node,
                )
            continue
        kept.append(decl)
    return sorted(kept, key=lambda d: node_line(d.node) or 0)


def _depth(node: nodes.Node) -> int:
    depth = 0
    while node.parent is not None:
        depth += 1
        node = node.parent
    return depth


def _contains(outer: nodes.Node, inner: nodes.Node) -> bool:
    node: nodes.Node | None = inner
    while node is not None:
        if node is outer:
            return True
        node = node.parent
    return False


def _stamp(document: nodes.document, node: nodes.Element, anchor: str) -> str:
    """Give a node an HTML id (unique in the page) and return it."""
    if anchor in node["ids"]:
        return anchor
    given = anchor
    counter = 1
    while given in document.ids:
        counter += 1
        given = f"{anchor}-{counter}"
    node["ids"].insert(0, given)
    document.ids[given] = node
    return given


def collect_runbooks(app: Sphinx, document: nodes.document) -> None:
    """``doctree-read``: extract the document's runbooks into the domain."""
    env: BuildEnvironment = app.env
    docname = env.docname
    config = get_config(app.config)
    declarations = find_declarations(
        document, config.runbooks, env.metadata.get(docname, {}), config.metadata_key, docname
    )
    if not declarations:
        return
    domain = incident_domain(env)
    source = env.doc2path(docname, False)
    for decl in declarations:
        anchor = _stamp(document, decl.node, decl.runbook_id)

        def on_step(node: nodes.Element, step: Step, _prefix: str = anchor) -> None:
            step.anchor = _stamp(document, node, f"{_prefix}--{step.id}")

        try:
            model = extract_runbook(
                decl.node,
                runbook_id=decl.runbook_id,
                title=decl.title,
                docname=docname,
                source=str(source),
                declared_by=decl.declared_by,
                label=decl.label,
                owners=list(decl.owners),
                on_step=on_step,
            )
        except Exception as exc:  # never take the handbook build down with us
            warn(
                logger,
                IncidentWarning.EXTRACTION_FAILED,
                f"runbook {decl.runbook_id!r} could not be read ({type(exc).__name__}: {exc}); "
                "the page is built as it is, without the runbook",
                location=decl.node,
            )
            continue
        model.anchor = anchor
        decl.node["classes"] = [*decl.node.get("classes", []), "incident-runbook-root"]
        domain.add_runbook(model)


def check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: labels in ``incident_runbooks`` exist, runbook ids are unique."""
    runbooks = incident_domain(env).runbooks()
    first: dict[str, str] = {}
    for runbook in runbooks:
        if runbook.id in first:
            warn(
                logger,
                IncidentWarning.DUPLICATE_RUNBOOK,
                f"runbook id {runbook.id!r} is already used in {first[runbook.id]}; "
                "give one of them another :id: (the step list renames this one)",
                location=(runbook.docname, runbook.line),
            )
        else:
            first[runbook.id] = runbook.docname
    found = {normalise_label(r.label) for r in runbooks if r.declared_by == "config" and r.label}
    std = env.domains["std"]
    for label in get_config(app.config).runbooks:
        if normalise_label(label) in found:
            continue
        if normalise_label(label) in std.anonlabels:
            continue  # reported as not-a-section while reading
        warn(
            logger,
            IncidentWarning.UNKNOWN_LABEL,
            f"incident_runbooks names {label!r}, but no document defines that label",
            location=_conf_location(app, label),
        )


def _conf_location(app: Sphinx, label: str) -> nodes.Node | None:
    """A location in conf.py (the line naming ``label``), for warnings about the configuration."""
    if not app.confdir:
        return None
    path = app.confdir / "conf.py"
    node = nodes.Element()
    node.source = str(path)
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError:
        lines = []
    node.line = next((n for n, text in enumerate(lines, 1) if label in text), None)
    return node
