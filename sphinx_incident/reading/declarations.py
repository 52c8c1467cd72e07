"""What declares a runbook: the ``runbook`` directive, an ``incident_runbooks`` entry, page metadata.

The three ways give the same model. :func:`find_declarations` finds every
runbook a document declares, one per node (the directive wins over the
configuration, the configuration over metadata), and reports the entries and
metadata values it cannot understand.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from docutils import nodes

from ..model.ids import given_runbook_id, page_runbook_id, part_runbook_id, section_runbook_id
from .directives import is_runbook_directive
from .doctree import LISTS, clean, node_line, plain_text
from .parts import PART_SEPARATOR, container_title, is_container, parts_named, section_lists, section_of

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", ""}
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
    #: the id is the author's (``:id:``, a label, a metadata value), not derived from the page
    explicit: bool = False


def section_title(node: nodes.Element) -> str:
    if isinstance(node, nodes.section) and node.children and isinstance(node[0], nodes.title):
        return clean(plain_text(node[0]))
    return ""


def _enclosing_title(node: nodes.Element) -> str:
    section = section_of(node)
    return section_title(section) if section is not None else ""


def normalise_label(label: str) -> str:
    """Labels as docutils stores names: lowercase, single spaces."""
    return " ".join(label.lower().split())


_GLOB = re.compile(r"[*?\[]")


def page_root(document: nodes.document) -> nodes.Element:
    """What a page declared as a whole holds: its first section (its title's, which the rest
    of the page sits under), or the page itself: where it has no section, or where a list
    stands outside its sections and its first section holds none (a Markdown page with no top
    heading, its steps above a first ``##`` heading of prose)."""
    section = next(iter(document.findall(nodes.section)), None)
    if section is None:
        return document
    if any(isinstance(child, LISTS) for child in document.children) and not section_lists(section):
        return document
    return section


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
    explicit = False
    part = ""
    if kind == "section":
        page, _, fragment = entry.partition("#")
        section_id, _, part = fragment.partition(PART_SEPARATOR)
        if page.removesuffix(".md").removesuffix(".rst") != docname:
            return []
        target = document.ids.get(section_id)
        if target is None:
            return []
        runbook_id = section_runbook_id(docname, section_id)
        if part and isinstance(target, nodes.section):
            return _part_declaration(target, entry, docname, section_id, part, report, matched)
    elif kind == "glob":
        if not fnmatch.fnmatchcase(docname, entry):
            return []
        target, runbook_id = page_root(document), page_runbook_id(docname)
    else:
        # a label the author wrote: a heading's own name (a page titled like the label) is not
        name = normalise_label(entry)
        refid = document.nameids.get(name) if document.nametypes.get(name) else None
        target = document.ids.get(refid) if refid else None
        if target is not None:
            runbook_id, explicit = given_runbook_id(entry), True
        elif entry.removesuffix(".md").removesuffix(".rst") == docname:
            target, runbook_id = page_root(document), page_runbook_id(docname)
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
    if not runbook_id:  # a label of only punctuation
        runbook_id, explicit = page_runbook_id(docname), False
    return [Declaration(target, "config", runbook_id, title, label=entry, explicit=explicit)]


def _part_declaration(
    section: nodes.section,
    entry: str,
    docname: str,
    section_id: str,
    part: str,
    report: list[tuple[str, str, nodes.Node | None]],
    matched: set[str],
) -> list[Declaration]:
    """The runbook ``doc#section/part`` declares: one list or box of a section."""
    matched.add(entry)
    named = parts_named(section, part)
    if len(named) != 1:
        count = len(section_lists(section))
        if named:
            message = (
                f"incident_runbooks entry {entry!r}: {part!r} opens {len(named)} lists of the "
                "section; give more of the first step's words, or the list's number"
            )
        else:
            message = (
                f"incident_runbooks entry {entry!r} names part {part!r} of a section that has "
                f"{count} list{'s' if count != 1 else ''}: give the opening words of a list's "
                f"first step, a number from 1 to {count}, or the title of a box (admonition, "
                "dropdown, tab, card) holding one"
            )
        report.append(("unknown_entry", message, section))
        return []
    (target,) = named
    title = (container_title(target) if is_container(target) else "") or section_title(section) or docname
    return [Declaration(target, "config", part_runbook_id(docname, section_id, part), title, label=entry)]


def entry_target(document: nodes.document, entry: str, docname: str) -> Declaration | None:
    """What an ``incident_runbooks`` entry (as discovery suggests it) would declare in this
    document, if it names one thing there: a section, a page, or a part of a section."""
    found = _entry_declarations(document, entry, docname, [], set())
    return found[0] if len(found) == 1 else None


def entry_runbook_id(entry: str, docname: str) -> str:
    """The id a procedure gets when ``entry`` (as discovery suggests it) declares it."""
    page, _, fragment = entry.partition("#")
    section_id, _, part = fragment.partition(PART_SEPARATOR)
    if part:
        return part_runbook_id(page, section_id, part)
    if section_id:
        return section_runbook_id(page, section_id)
    return page_runbook_id(docname) if page == docname else given_runbook_id(entry)


def directive_runbook_id(document: nodes.document, node: nodes.Element, docname: str) -> tuple[str, bool]:
    """A ``runbook`` directive's id: its ``:id:``; else from the page and its ``:title:`` or
    the section it stands in (the page alone, in the page's top section)."""
    given = str(node.get("runbook_id") or "")
    if given:
        return given, True
    title = str(node.get("runbook_title") or "")
    if title:
        return section_runbook_id(docname, title), False
    section = section_of(node)
    if section is None or section is page_root(document) or not section.get("ids"):
        return page_runbook_id(docname), False
    return section_runbook_id(docname, str(section["ids"][0])), False


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
        runbook_id, explicit = directive_runbook_id(document, node, docname)
        owners = tuple(node.get("runbook_roles", ()))
        found.append(Declaration(node, "directive", runbook_id, title, owners=owners, explicit=explicit))
    for entry in labels:
        found.extend(_entry_declarations(document, entry, docname, report, matched))
    value = metadata.get(metadata_key)
    if value is not None:
        text = str(value).strip()
        if text.lower() not in _FALSE:
            root = page_root(document)
            title = section_title(root) or docname
            explicit = text.lower() not in _TRUE
            runbook_id = given_runbook_id(text) if explicit else page_runbook_id(docname)
            if not runbook_id:
                report.append(
                    (
                        "bad_metadata",
                        f"page metadata {metadata_key}: {text!r} is neither true/false nor a runbook id",
                        None,
                    )
                )
                runbook_id, explicit = page_runbook_id(docname), False
            found.append(Declaration(root, "metadata", runbook_id, title, label=text, explicit=explicit))
    # one runbook per node: the directive, then the configuration, then metadata
    kept: dict[int, Declaration] = {}
    for decl in sorted(found, key=lambda d: PRECEDENCE.index(d.declared_by)):
        kept.setdefault(id(decl.node), decl)
    return sorted(kept.values(), key=lambda d: node_line(d.node) or 0)
