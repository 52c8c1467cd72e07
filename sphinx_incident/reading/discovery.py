"""Discovering the procedures a handbook already has: every list, sampled and classified.

While each document is read, every top-level list of every section (and
the lists in the boxes directly in a section) is sampled for what a reader
sees and classified (:mod:`sphinx_incident.reading.classify`). The results are
stored per document in the ``incident`` domain, with the exact entry that
would declare the list's section a runbook in ``incident_runbooks``. The
``sphinx-incident discover`` command prints them
(:mod:`sphinx_incident.commands.discover`); with
``incident_lint_scope = "discovered"`` the structural checks also run on the
procedures found that no one declared. Discovery runs only with that scope
(which ``discover`` sets for its own read), so ordinary builds do not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from docutils import nodes
from sphinx import addnodes

from .classify import ItemSample, ListSample, classify
from .doctree import INVISIBLE, LISTS, block_text, clean, is_button, is_role_reference, node_line, plain_text
from .extract.openings import read_opening

#: the builder ``sphinx-incident discover`` reads a handbook with: every list is classified
#: (with ``incident_lint_scope = "discovered"``), and no runbook is extracted, resolved or checked
DISCOVER_BUILDER = "runbooks-discover"


@dataclass
class Discovered:
    """A list of the handbook, and what the classifier made of it."""

    docname: str
    #: the file that holds the list (an included file, perhaps), relative to the source folder
    source: str
    line: int | None
    section: str
    #: the HTML id of the section holding the list
    section_id: str
    steps: int
    ordered: bool
    verdict: str
    confidence: float
    reasons: list[str] = field(default_factory=list)
    #: whether a runbook declaration already covers the list
    declared: bool = False
    #: what declares its section in ``incident_runbooks``: a label, a document, ``doc#id``
    entry: str = ""
    #: the page that includes the file holding the list, when that is another file
    page: str = ""

    @property
    def positive(self) -> bool:
        return self.verdict in ("procedure", "checklist")


def _first_paragraph(item: nodes.Element) -> nodes.paragraph | None:
    for child in item.children:
        if isinstance(child, nodes.paragraph):
            return child
        if not isinstance(child, INVISIBLE):
            return None
    return None


def sample_item(item: nodes.Element) -> ItemSample:
    """What a reader sees of a list item, read the way steps are read (titles after
    lead-ins, owners), plus its links, commands, sub-lists, roles and buttons."""
    paragraph = _first_paragraph(item)
    if paragraph is None:
        return ItemSample(text=block_text(item), has_code=_has_code(item), has_sublist=_has_sublist(item))
    opening = read_opening(paragraph, "")
    title = opening.bold or opening.italic
    rest = opening.bold_rest if opening.bold else opening.italic_rest
    text = f"{title} {rest}".strip() if title else opening.plain
    children = [c for c in paragraph.children if not isinstance(c, INVISIBLE)]
    while children and isinstance(children[0], nodes.Text) and not str(children[0]).strip():
        children.pop(0)
    after = _after_title(children)
    definition = (
        title is not None
        and opening.owner is None
        and (rest[:1] in (":", "\u2014", "\u2013") or after.startswith(("-", ":", "\u2014", "\u2013")))
    )
    visible = [c for c in children if not (isinstance(c, nodes.Text) and not str(c).strip(" \t\n.,;:"))]
    link_only = bool(visible) and all(
        isinstance(c, nodes.reference | addnodes.pending_xref)
        or (isinstance(c, nodes.Text) and len(str(c).strip()) < 4)
        for c in visible
    )
    return ItemSample(
        text=text,
        title=title,
        title_then_definition=definition,
        rest=rest,
        link_only=link_only,
        has_code=_has_code(item),
        has_sublist=_has_sublist(item),
        has_role=opening.owner is not None or any(True for _ in item.findall(is_role_reference)),
        has_button=any(is_button(n) for n in item.findall(nodes.Element)),
        opens_with_literal=bool(children)
        and isinstance(children[0], nodes.literal)
        and opening.owner is None,
    )


def _after_title(children: list[nodes.Node]) -> str:
    if children and isinstance(children[0], nodes.strong | nodes.emphasis):
        return "".join(plain_text(c) for c in children[1:]).lstrip()
    return ""


def _has_code(item: nodes.Element) -> bool:
    return any(True for _ in item.findall(nodes.literal_block))


def _has_sublist(item: nodes.Element) -> bool:
    return any(isinstance(c, LISTS) for c in item.children)


def _lead_in(lst: nodes.Element) -> str:
    parent = lst.parent
    if parent is None:
        return ""
    index = parent.index(lst)
    for sibling in reversed(parent.children[:index]):
        if isinstance(sibling, INVISIBLE):
            continue
        return block_text(sibling) if isinstance(sibling, nodes.paragraph) else ""
    return ""


def sample_list(lst: nodes.Element, section_title: str) -> ListSample:
    items = [sample_item(item) for item in lst.children if isinstance(item, nodes.list_item)]
    return ListSample(
        ordered=isinstance(lst, nodes.enumerated_list),
        items=items,
        section=section_title,
        lead_in=_lead_in(lst),
    )


def _section_of(node: nodes.Node) -> nodes.Element | None:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            return parent
        parent = parent.parent
    return None


def _inside_item(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.list_item):
            return True
        parent = parent.parent
    return False


def section_entry(document: nodes.document, section: nodes.Element | None, docname: str) -> str:
    """What declares a section in ``incident_runbooks``: its label, the page, or ``doc#id``."""
    if section is None:
        return docname
    for name in section.get("names", ()):
        if document.nametypes.get(name):  # an explicit label, not the title's own name
            return str(name)
    top = next(iter(document.findall(nodes.section)), None)
    if section is top:
        return docname
    ids = section.get("ids") or [""]
    return f"{docname}#{ids[0]}"


def discover_lists(
    document: nodes.document,
    docname: str,
    source: str,
    declared: list[nodes.Element],
    source_of: Callable[[nodes.Node], str] | None = None,
) -> list[Discovered]:
    """Every top-level list of the document's sections, classified, in source order.

    ``source`` is the page's file; ``source_of`` tells the file a node comes from, for
    lists in files the page includes."""
    roots = {id(node) for node in declared}
    found = []
    for lst in document.findall(lambda n: isinstance(n, LISTS)):
        if _inside_item(lst):
            continue
        section = _section_of(lst)
        title = clean(plain_text(section[0])) if section is not None and section.children else docname
        verdict = classify(sample_list(lst, title))
        covered = False
        parent: nodes.Node | None = lst
        while parent is not None:
            if id(parent) in roots:
                covered = True
                break
            parent = parent.parent
        held_in = source_of(lst) if source_of is not None else source
        found.append(
            Discovered(
                docname=docname,
                source=held_in,
                page=source if held_in != source else "",
                line=node_line(lst),
                section=title,
                section_id=str((section.get("ids") or [""])[0]) if section is not None else "",
                steps=sum(1 for c in lst.children if isinstance(c, nodes.list_item)),
                ordered=isinstance(lst, nodes.enumerated_list),
                verdict=verdict.verdict,
                confidence=verdict.confidence,
                reasons=verdict.reasons,
                declared=covered,
                entry=section_entry(document, section, docname),
            )
        )
    return found
