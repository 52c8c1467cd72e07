"""Discovering the procedures a handbook already has: every list, sampled and classified.

While each document is read, every top-level list of every section (and
the lists in the boxes directly in a section) is sampled for what a reader
sees and classified (:mod:`sphinx_incident.reading.classify`). The results are
stored per document in the ``incident`` domain, with the exact entry that
would declare the list's section a runbook in ``incident_runbooks``. The
``sphinx-incident discover`` command prints them
(:mod:`sphinx_incident.commands.discover`); with
``incident_lint_scope = "discovered"`` the structural checks also run on the
procedures found that no one declared, and the checks for what breaks any list
on the other lists. Discovery runs only with that scope
(which ``discover`` sets for its own read), so ordinary builds do not pay for it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from docutils import nodes
from sphinx import addnodes

from .classify import (
    ItemSample,
    ListSample,
    Verdict,
    classify,
    instructs_mostly,
    signals,
)
from .declarations import page_root
from .doctree import (
    INVISIBLE,
    LISTS,
    ancestors,
    block_text,
    clean,
    is_button,
    is_role_reference,
    item_term,
    lead_in_text,
    node_line,
    plain_text,
)
from .extract.openings import read_opening
from .extract.run_in_items import RunInItems, run_in_items, unspaced_items
from .extract.splitting import numbered_paragraphs, without_number
from .imperative import is_imperative, names_a_thing
from .parts import (
    PART_SEPARATOR,
    box_of,
    box_part,
    next_piece,
    part_name,
    pieces_around,
    pieces_of,
    section_of,
    top_lists,
)

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
    #: the classifier's signals, by name (see :func:`~sphinx_incident.reading.classify.signals`)
    signals: dict[str, float] = field(default_factory=dict, repr=False)
    #: ``list``; ``paragraphs`` for steps written as numbered paragraphs (``**1.** Title``)
    form: str = "list"

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
        term = item_term(item)
        if term is not None:  # "Probe interval" over its meaning, indented: rST's term and definition
            text = block_text(item)
            return ItemSample(
                text=text,
                title=term,
                # a name, not "Restart the service" with its next line indented too deep
                title_then_definition=names_a_thing(term),
                rest=text[len(term) :].strip(),
                has_code=_has_code(item),
                has_sublist=_has_sublist(item),
            )
        return ItemSample(
            text=block_text(item),
            has_code=_has_code(item),
            has_sublist=_has_sublist(item),
            boxed=_boxed(item),
        )
    opening = read_opening(paragraph, "")
    title = opening.bold or opening.italic
    rest = opening.bold_rest if opening.bold else opening.italic_rest
    text = f"{title} {rest}".strip() if title else opening.plain
    typed = _TYPED_BOX.match(text)  # a task list's box, where no extension drew it
    if typed is not None:
        text = text[typed.end() :]
    children = [c for c in paragraph.children if not isinstance(c, INVISIBLE)]
    while children and isinstance(children[0], nodes.Text) and not str(children[0]).strip():
        children.pop(0)
    after = _after_title(children)
    definition = (
        title is not None
        and opening.owner is None
        and (
            rest[:1] in (":", "\u2014", "\u2013")
            or after.startswith(("-", ":", "\u2014", "\u2013"))
            # "**Port:** 993"; "**Log in:** ..." is a step's title, though
            or (_title_ends_in_colon(children) and bool(after.strip()) and not is_imperative(title))
        )
    )
    visible = [c for c in children if not (isinstance(c, nodes.Text) and not str(c).strip(" \t\n.,;:"))]
    # only links, or a title that names a topic and then only links ("**Storage:** [Mounts] •
    # [Share a folder]"): a map of pages, though the links' words may instruct
    linked = visible[1:] if definition and title is not None and not is_imperative(title) else visible
    links = [c for c in linked if isinstance(c, nodes.reference | addnodes.pending_xref)]
    link_only = bool(links) and all(
        c in links or (isinstance(c, nodes.Text) and len(str(c).strip(" \t\n:")) < 4) for c in linked
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
        literal=children[0].astext() if children and isinstance(children[0], nodes.literal) else "",
        only_literal=len(visible) == 1 and isinstance(visible[0], nodes.literal) and opening.owner is None,
        last_literal=visible[-1].astext() if visible and isinstance(visible[-1], nodes.literal) else "",
        opens_with_link=bool(visible) and isinstance(visible[0], nodes.reference | addnodes.pending_xref),
        boxed=typed is not None or _boxed(item),
    )


#: a task list item's box, typed before its text: ``[ ]``, ``[x]``
_TYPED_BOX = re.compile(r"^\[[ xX]\]\s+")


def _boxed(item: nodes.Element) -> bool:
    """Whether the page draws a box to tick before the item: MyST's task lists (``- [ ]``)
    take the box out of the item's text and mark the item."""
    return "task-list-item" in item.get("classes", ())


def _title_ends_in_colon(children: list[nodes.Node]) -> bool:
    """Whether the item opens with a bold or italic title that holds its own colon (``**Port:**``)."""
    first = children[0] if children else None
    return isinstance(first, nodes.strong | nodes.emphasis) and first.astext().rstrip().endswith(":")


def _after_title(children: list[nodes.Node]) -> str:
    if children and isinstance(children[0], nodes.strong | nodes.emphasis):
        return "".join(plain_text(c) for c in children[1:]).lstrip()
    return ""


def _has_code(item: nodes.Element) -> bool:
    return any(True for _ in item.findall(nodes.literal_block))


def _has_sublist(item: nodes.Element) -> bool:
    return any(isinstance(c, LISTS) for c in item.children)


def sample_list(lst: nodes.Element, section_title: str, page_title: str = "") -> ListSample:
    items = [sample_item(item) for item in lst.children if isinstance(item, nodes.list_item)]
    return ListSample(
        ordered=isinstance(lst, nodes.enumerated_list),
        items=items,
        section=section_title,
        lead_in=lead_in_text(lst),
        page=page_title,
    )


def page_title(document: nodes.document) -> str:
    """The title of a page: its first section's."""
    top = next(iter(document.findall(nodes.section)), None)
    if top is None or not top.children or not isinstance(top[0], nodes.title):
        return ""
    return clean(plain_text(top[0]))


def section_entry(
    document: nodes.document, section: nodes.Element | None, docname: str, root: nodes.Element | None = None
) -> str:
    """What declares a section in ``incident_runbooks``: its label, the page, or ``doc#id``
    (``root``: the page's :func:`~.declarations.page_root`, when the caller has it)."""
    if section is None:
        return docname
    for name in section.get("names", ()):
        if document.nametypes.get(name):  # an explicit label, not the title's own name
            return str(name)
    if section is (root if root is not None else page_root(document)):  # the page declared whole
        return docname
    ids = section.get("ids") or [""]
    return f"{docname}#{ids[0]}"


def _covered(lst: nodes.Node, roots: set[int]) -> bool:
    """Whether a declared runbook holds the list."""
    parent: nodes.Node | None = lst
    while parent is not None:
        if id(parent) in roots:
            return True
        parent = parent.parent
    return False


def _code_around(lst: nodes.Element) -> bool:
    """Whether a code block stands right before or after the list."""
    parent = lst.parent
    if parent is None:
        return False
    index = parent.index(lst)
    around = [c for c in parent.children[max(0, index - 1) : index + 2] if c is not lst]
    return any(isinstance(c, nodes.literal_block) for c in around)


def procedure_share(document: nodes.document) -> float:
    """The share of a page's numbered lists whose items mostly instruct."""
    numbered = [lst for lst in top_lists(document) if isinstance(lst, nodes.enumerated_list)]
    if not numbered:
        return 0.0
    return sum(_instructs_mostly(lst) for lst in numbered) / len(numbered)


def _instructs_mostly(lst: nodes.Element) -> bool:
    items = [item for item in lst.children if isinstance(item, nodes.list_item)]
    return instructs_mostly((sample_item(item) for item in items), len(items))


def list_sample(lst: nodes.Element, document: nodes.document, share: float | None = None) -> ListSample:
    """A list as the classifier reads it, in its section and page."""
    return _placed(sample_list(lst, ""), lst, document, procedure_share(document) if share is None else share)


def _placed(sample: ListSample, node: nodes.Element, document: nodes.document, share: float) -> ListSample:
    """``sample`` read where ``node`` stands: its section, the sections around it, its page."""
    section = section_of(node)
    sample.section = _title_of(section)
    sample.page = page_title(document)
    sample.page_procedures = share
    sample.code_around = _code_around(node)
    sample.outer = "\n".join(_outer_titles(section))
    return sample


def _title_of(section: nodes.Element | None) -> str:
    return clean(plain_text(section[0])) if section is not None and section.children else ""


def _outer_titles(section: nodes.Element | None) -> list[str]:
    """The titles of the sections around ``section``, innermost first."""
    around = ancestors(section) if section is not None else iter(())
    return [
        clean(plain_text(parent[0]))
        for parent in around
        if isinstance(parent, nodes.section) and parent.children and isinstance(parent[0], nodes.title)
    ]


def verdict_of(lst: nodes.Element) -> Verdict:
    """Discovery's verdict on one list, in its section and page: what a declared section keeps
    as its steps when it holds other lists too (or a step, under its text)."""
    document = lst.document
    if document is None:
        return Verdict("procedure", 0.0, 0.5)
    share = _SHARES.get(document)
    if share is None:  # once per page, not once per list asked about
        share = _SHARES[document] = procedure_share(document)
    pieces = pieces_around(lst)
    if len(pieces) > 1:  # judged as one list, as discover judges it
        return classify(_joined([list_sample(piece, document, share) for piece in pieces]))
    return classify(list_sample(lst, document, share))


def _joined(samples: list[ListSample]) -> ListSample:
    """One sample of the pieces of a list the margin cut: their items, with code beside them."""
    return dataclasses.replace(
        samples[0], items=[item for sample in samples for item in sample.items], code_around=True
    )


#: :func:`procedure_share` of the pages being read, while their doctrees live
_SHARES: weakref.WeakKeyDictionary[nodes.document, float] = weakref.WeakKeyDictionary()


def _entries(
    document: nodes.document, docname: str, lists: list[nodes.Element], positive: dict[int, bool]
) -> dict[int, str]:
    """The ``incident_runbooks`` entry that declares each list's procedure.

    A section whose procedure lists make one procedure (one list, or lists whose numbering
    carries on) is declared whole; its other lists stay prose. Where a section holds two
    procedures, or its procedure sits in a box beside other lists, each is declared as a part:
    ``doc#section/2``, or ``doc#section/<box title>``."""
    entries: dict[int, str] = {}
    root = page_root(document)  # once per page, not once per section
    by_section: dict[int, list[nodes.Element]] = {}
    sections: dict[int, nodes.Element | None] = {}
    for lst in lists:
        section = section_of(lst)
        by_section.setdefault(id(section), []).append(lst)
        sections[id(section)] = section
    for key, members in by_section.items():
        section = sections[key]
        whole = section_entry(document, section, docname, root)
        procedures = [lst for lst in members if positive[id(lst)]]
        apart = (
            section is not None
            and section.get("ids")
            and (
                _separate(procedures, section)
                or (
                    procedures
                    and len(members) > len(procedures)
                    and any(box_of(p, section) is not None for p in procedures)
                )
            )
        )
        # the pieces of one list a command at the margin cut share one part: the box holding
        # them, when they are all its procedure; else the first piece, which takes the others
        shared: dict[int, str] = {}
        if apart and section is not None:
            for pieces in pieces_of(procedures):
                name = box_part(pieces, procedures, section) or part_name(pieces[0], section)
                shared.update((id(piece), name) for piece in pieces)
        for lst in members:
            if apart and positive[id(lst)]:
                assert section is not None  # apart only for a section with an id
                name = shared.get(id(lst)) or part_name(lst, section)
                entries[id(lst)] = f"{docname}#{section['ids'][0]}{PART_SEPARATOR}{name}"
            else:
                entries[id(lst)] = whole
    return entries


def _separate(procedures: list[nodes.Element], section: nodes.Element) -> bool:
    """Whether a section's procedure lists are more than one procedure: a later list starts
    again at 1, is of the other kind, or sits in another box; not the pieces of one list a
    command at the margin cut (:func:`_pieces`), which the section holds as one procedure."""
    for before, after in itertools.pairwise(procedures):
        if next_piece(before, after):
            continue
        if type(before) is not type(after) or box_of(before, section) is not box_of(after, section):
            return True
        if isinstance(after, nodes.enumerated_list) and int(after.get("start", 1)) <= 1:
            return True
    return False


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
    share = procedure_share(document)
    lists = [lst for lst in top_lists(document)]
    verdicts = {}
    samples = {}
    for lst in lists:
        samples[id(lst)] = sample = list_sample(lst, document, share)
        verdicts[id(lst)] = classify(sample)
    weighed = dict(samples)  # what each list's verdict weighed: a piece's, its whole list
    for pieces in pieces_of(lists):  # one list cut by code at the margin: judged as one
        joined = _joined([samples[id(piece)] for piece in pieces])
        verdict = classify(joined)
        verdicts.update((id(piece), verdict) for piece in pieces)
        weighed.update((id(piece), joined) for piece in pieces)
    entries = _entries(document, docname, lists, {key: v.positive for key, v in verdicts.items()})
    place = _Place(docname, source, source_of, roots)
    found = []
    for lst in lists:
        key = id(lst)
        found.append(place.found(lst, samples[key], verdicts[key], entry=entries[key], weighed=weighed[key]))
    runs = paragraph_procedures(document, place, share)
    if not runs:
        return found
    # in the order of the page, the lists and the runs of numbered paragraphs together
    order = {id(node): index for index, node in enumerate(document.findall(nodes.Element))}
    firsts = [id(lst) for lst in lists] + [id(run[0]) for run, _ in runs]
    merged = list(zip(firsts, found + [item for _, item in runs], strict=True))
    return [item for _, item in sorted(merged, key=lambda pair: order.get(pair[0], 0))]


@dataclass
class _Place:
    """Where the lists of one document are: what every :class:`Discovered` of it shares."""

    docname: str
    #: the page's file; ``source_of`` tells the file a node comes from (an included one)
    source: str
    source_of: Callable[[nodes.Node], str] | None
    #: the declared runbooks' nodes, by ``id()``
    roots: set[int]

    def found(
        self,
        node: nodes.Element,
        sample: ListSample,
        verdict: Verdict,
        entry: str,
        why: str = "",
        weighed: ListSample | None = None,
    ) -> Discovered:
        """What discovery reports of a list (or of steps written as no list, with ``why``);
        ``weighed`` is what its verdict weighed, when that is more than the list (its pieces)."""
        section = section_of(node)
        held_in = self.source_of(node) if self.source_of is not None else self.source
        return Discovered(
            docname=self.docname,
            source=held_in,
            page=self.source if held_in != self.source else "",
            line=node_line(node),
            section=_title_of(section) or self.docname,
            section_id=str((section.get("ids") or [""])[0]) if section is not None else "",
            steps=len(sample.items),
            ordered=sample.ordered,
            verdict=verdict.verdict,
            confidence=verdict.confidence,
            reasons=[why, *verdict.reasons] if why else verdict.reasons,
            declared=_covered(node, self.roots),
            entry=entry,
            signals=signals(weighed or sample),
            form="paragraphs" if why else "list",
        )


def paragraph_procedures(
    document: nodes.document, place: _Place, share: float
) -> list[tuple[list[nodes.Element], Discovered]]:
    """The steps in a document's sections that are no list, each classified as the list it
    was meant to be: numbered paragraphs (``**1.** Title``, ``1.) Title``), and a list run
    into the paragraph above it (:func:`~.extract.run_in.run_in_items`) or typed with no space
    after its numbers."""
    found = []
    for parent in (document, *document.findall(nodes.section)):
        runs: list[tuple[list[nodes.Element], ListSample, str]] = [
            (run, _run_sample(run, document, share), "steps written as numbered paragraphs, not as a list")
            for run in numbered_paragraphs(list(parent.children))
        ]
        runs += [
            ([block], _run_in_sample(block, items, document, share), _UNREAD[items.how == "unspaced"])
            for block in parent.children
            if isinstance(block, nodes.paragraph)
            and (items := run_in_items(block) or unspaced_items(block)) is not None
        ]
        section = parent if isinstance(parent, nodes.section) else None
        entry = section_entry(document, section, place.docname)
        found += [
            (run, place.found(run[0], sample, classify(sample), entry, why)) for run, sample, why in runs
        ]
    return found


#: why a list that the page shows as a paragraph is one: run into the paragraph above it, or
#: typed with no space after its numbers
_UNREAD = ("a list run into the paragraph above it", "steps typed with no space after their numbers")


def _run_in_sample(
    paragraph: nodes.paragraph, items: RunInItems, document: nodes.document, share: float
) -> ListSample:
    """A list run into the paragraph above it, as the classifier reads a list: the paragraph's
    text before the items is its lead-in."""
    sample = ListSample(ordered=items.ordered, items=[ItemSample(text=text) for text in items.texts])
    sample.lead_in = clean("\n".join(paragraph.astext().split("\n")[: items.first]))
    return _placed(sample, paragraph, document, share)


def _run_sample(run: list[nodes.Element], document: nodes.document, share: float) -> ListSample:
    """Numbered paragraphs as the classifier reads a list: each step's paragraph without its
    number, with the code blocks that follow it up to the next step."""
    parent = run[0].parent
    assert parent is not None
    starts = [parent.index(paragraph) for paragraph in run]
    ends = [*starts[1:], len(parent.children)]
    items = []
    for paragraph, start, end in zip(run, starts, ends, strict=True):
        code = [b.deepcopy() for b in parent.children[start + 1 : end] if isinstance(b, nodes.literal_block)]
        items.append(sample_item(nodes.list_item("", without_number(paragraph), *code)))  # type: ignore[arg-type]
    sample = ListSample(ordered=True, items=items, lead_in=lead_in_text(run[0]))
    return _placed(sample, run[0], document, share)
