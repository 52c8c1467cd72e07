"""Steps: list items (and the steps folded into them), stray numbered paragraphs and
subsections, read into drafts whose titles and ids are decided once the runbook is read."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from docutils import nodes

from ...model import Admonition, Note, Step
from ...model.numbers import (
    format_number,
)
from ..doctree import (
    INVISIBLE,
    LISTS,
    ancestors,
    block_text,
    clean,
    is_button,
    node_line,
    only_condition,
    plain_text,
    text_of,
)
from ..list_source import Marker, spaces
from .blocks import lift_quoted_lists, read_admonition, read_figure
from .context import Extraction
from .lead_ins import leads_in
from .lookalikes import not_sub_steps
from .names import first_words, named
from .openings import Opening, owner_of, step_opening
from .references import collect_refs
from .run_in import run_in_message, run_in_text, unfold_item, unindented_text
from .splitting import (
    SplitPoint,
    could_be_step,
    counted_from_one,
    lettered_message,
    lettered_paragraphs,
    numbered_by_hand,
    numbered_lines,
    numbered_parts,
    parts_message,
    split_children,
    split_points,
)

#: a heading that is a step: "1. Drain the node", "Step 2: Restart", "3) Verify"
_HEADING_STEP = re.compile(
    r"^\s*(?:step\s+)?(?P<number>\d{1,4})\s*(?:[.):\u2013\u2014-]\s*|\s+)(?P<title>\S.*)$", re.IGNORECASE
)
#: a heading of any page typed with a step number, stricter than a declared runbook's heading
#: step (where every subsection is a step): ``2. Wait``, ``2) Wait``, ``Step 2: Wait``,
#: ``Optional step 3 - Wait``, ``2b. Copy``, ``Step 2(b)`` (a lettered part of step 2), not a
#: year (``2024 changes``) nor a version (``1.2 Release``)
_TYPED_STEP = re.compile(
    r"^(?:(?P<number>\d{1,2})(?P<part>\([a-z]\)|[a-z]?)[.):]\s+\S"
    r"|(?:[\w()-]+\s+){0,2}?step\s+(?P<step>\d{1,2})(?P<steppart>\([a-z]\)|[a-z]?)(?![.\w]))",
    re.I,
)


def typed_step_number(heading: str) -> tuple[int, str] | None:
    """The step number a heading of any page is typed with (:data:`_TYPED_STEP`) and the letter
    of its part (``"b"`` for ``2b.``, else ``""``); else ``None``."""
    match = _TYPED_STEP.match(heading)
    if match is None:
        return None
    return int(match["number"] or match["step"]), (match["part"] or match["steppart"] or "").lower()


@dataclass
class Draft:
    """A step being read; its title and id are decided once the whole runbook is read."""

    node: nodes.Element
    step: Step
    opening: Opening | None
    texts: list[str]
    marker: Marker | None = None
    children: list[Draft] = field(default_factory=list)
    #: the blocks the step was read from (its sub-lists among them), and those of them not
    #: read into its text (its opening, its sub-lists)
    body: list[nodes.Node] = field(default_factory=list)
    unread: frozenset[int] = frozenset()
    #: how many of :attr:`texts` were read from :attr:`body` (more are added after)
    read: int = 0
    #: what a message calls it: ``step``, or ``item`` in a list that is no procedure
    noun: str = "step"


def step_label(draft: Draft) -> str:
    """How a message names a step: by its number, else its bold title, else its first words."""
    step, noun = draft.step, draft.noun
    if step.number:
        return f"{noun} {step.number}"
    opening = draft.opening
    return named(
        noun, (opening.bold if opening and opening.bold else None) or first_words(draft.node), step.line
    )


def steps_from_list(
    ex: Extraction,
    lst: nodes.Element,
    list_index: int,
    origin: str = "item",
    numbering: tuple[int, str] | None = None,
) -> list[Draft]:
    """The steps of one list: its items, with items indented deeper than their
    siblings (a sub-list indented too little, which Markdown made siblings) put
    under the item above them. ``numbering`` (start, type) numbers a list that
    carries on the steps before it, as the author wrote it."""
    ordered = isinstance(lst, nodes.enumerated_list)
    start = int(lst.get("start", 1)) if ordered else 1
    enumtype = str(lst.get("enumtype", "arabic"))
    if numbering is not None and ordered:
        start, enumtype = numbering
    items = [item for item in lst.children if isinstance(item, nodes.list_item)]
    markers = [ex.marker(item) for item in items]
    base = min((m.indent for m in markers if m is not None), default=0)
    drafts: list[Draft] = []
    deeper: list[tuple[nodes.Element, Marker]] = []
    count = 0

    def attach_deeper() -> None:
        if not deeper or not drafts:
            return
        parent = drafts[-1]
        first_item, first_marker = deeper[0]
        needed = (parent.marker.content if parent.marker else first_marker.indent) - first_marker.indent
        ex.defect(
            "outdented_sublist",
            first_item,
            node_line(first_item),
            f"this list is indented {spaces(first_marker.indent)}, less than the text of "
            f"{step_label(parent)} above it, so its items became steps of their own; "
            f"indent it by {spaces(max(needed, 1))} more to keep them in that step",
        )
        sub_ordered = isinstance(lst, nodes.enumerated_list)
        for sub_index, (item, marker) in enumerate(deeper):
            number = str(sub_index + 1) if sub_ordered else None
            parent.children.extend(step_from_item(ex, item, number, sub_ordered, 0, "outdented", marker))
        deeper.clear()

    #: the list's own items, their markers and how many steps each holds (steps folded into it)
    kept: list[tuple[nodes.Element, Marker | None, int]] = []
    nested = _nested_items(markers, base)
    # the position of the list's last item that is a step of it, not of the step above
    last_kept = max((p for p in range(len(markers)) if p not in nested), default=-1)
    for position, (item, marker) in enumerate(zip(items, markers, strict=True)):
        if position in nested and marker is not None:
            deeper.append((item, marker))
            continue
        attach_deeper()
        number = format_number(start + count, enumtype) if ordered else None
        count += 1
        # the number the next item of this list will have, to tell typed-in steps from prose
        upcoming = start + count if ordered and position < last_kept else None
        made = step_from_item(ex, item, number, ordered, list_index, origin, marker, upcoming)
        kept.append((item, marker, len(made)))
        for draft in made:
            draft.step.enumtype = enumtype if draft.step.origin != "inline" else "arabic"
            draft.step.suffix = str(lst.get("suffix", "."))
            drafts.append(draft)
            if len(drafts) == 1:
                before, after_list = _before(lst)
                parted = _text_between(ex, before, after_list)
                # a list counted from 1 by hand again after a remark: a procedure of its own
                counted = parted is not None and _counted_from_one(markers, nested)
                draft.step.after_lead_in = leads_in(before) or counted
                draft.step.after_text = parted
                if ordered and start > 1 and int(lst.get("start", 1)) > 1:  # typed on, not merged
                    draft.step.carries_on = _carried_on(ex, lst, start, enumtype)
            if draft.step.origin == "inline":
                count += 1
    attach_deeper()
    if ordered and ex.markdown:
        typed_numbers(ex, kept)
    ex.numbered_read.add(id(lst))
    return drafts


def _nested_items(markers: list[Marker | None], base: int) -> set[int]:
    """The positions of the items indented deeper than their siblings that the author meant
    under the item above: a sub-list indented too little, which Markdown made siblings. Items
    set in alike from the list's first on are siblings: none is deeper than the one before."""
    nested: set[int] = set()
    before: Marker | None = None
    for position, marker in enumerate(markers):
        if marker is None:
            continue
        if (
            marker.indent > base
            and before is not None
            and marker.indent > before.indent
            and (position - 1 in nested or not _numbered_as_sibling(marker, before))
        ):
            nested.add(position)
        else:
            before = marker
    return nested


def _numbered_as_sibling(marker: Marker, before: Marker | None) -> bool:
    """Whether a numbered item right after its sibling, indented deeper, is numbered as the
    next of them, or typed with the same number one column off (a slip: nesting takes more)."""
    if before is None or not (marker.typed or "").isdigit() or not (before.typed or "").isdigit():
        return False
    assert marker.typed is not None and before.typed is not None
    if int(marker.typed) == int(before.typed) + 1:
        return True
    return marker.typed == before.typed and marker.indent - before.indent == 1


def _counted_from_one(markers: list[Marker | None], nested: set[int]) -> bool:
    """Whether the author typed the list's numbers one by one from 1 (``1. 2. 3.``, two items
    or more): the page shows the count they typed, so such a list after a remark is one they
    started again on purpose (a second procedure), not a count the remark broke. Numbers all
    alike (``1. 1.``) or the auto ``#.`` leave the count to the page."""
    typed = [m.typed for position, m in enumerate(markers) if position not in nested and m is not None]
    return len(typed) >= 2 and typed == [str(number) for number in range(1, len(typed) + 1)]


def typed_numbers(ex: Extraction, items: list[tuple[nodes.Element, Marker | None, int]]) -> None:
    """Markdown numbers a list from its first item and ignores the numbers typed after it:
    typed numbers that skip or repeat (``1. 2. 4.``) are a step the author lost, or one they
    count twice, that the page hides. Numbers all alike (``1. 1. 1.``) are a way of writing.
    ``items`` are the list's items with the number of steps each holds (folded ones too)."""
    typed = [
        (item, int(m.typed), held)
        for item, m, held in items
        if m is not None and m.typed and m.typed.isdigit()
    ]
    if len(typed) < 2 or len({number for _, number, _ in typed}) == 1:
        return
    for (_, before, held), (item, number, _) in itertools.pairwise(typed):
        expected = before + held
        if number == expected:
            continue
        gap = number > expected
        fix = "restore the missing step or renumber the list" if gap else "renumber the list"
        ex.defect(
            "numbering_gap" if gap else "numbering_duplicate",
            item,
            node_line(item),
            f"this item is typed {number}. after {before}., so the typed numbering "
            f"{'skips' if gap else 'repeats'}; Markdown shows it as {expected} all the same: {fix}",
        )
        return  # the first one: the numbers after it follow from it


def _text_between(ex: Extraction, before: list[nodes.Node], after_list: bool) -> int | None:
    """The line where the text that parts a list from the list before it starts (``before`` and
    ``after_list`` as :func:`_before` gives them; a comment or a label at the margin, which the
    page does not show, ends a list all the same), unless a heading ends it."""
    text = [b for b in before if not isinstance(b, nodes.system_message)]
    if not text or not after_list or isinstance(before[-1], nodes.rubric | nodes.title):
        return None  # nothing, or only the parser's notes (a list's start value): no text
    return ex.first_line(text[0])


def _carried_on(ex: Extraction, lst: nodes.Element, start: int, enumtype: str) -> int | None:
    """The line of the item numbered ``start - 1`` that a list starting above 1 carries on: the
    nearest before it on the page that ends a list numbered the same way. Where that item is in a
    list nested in another's item and this list is not in that item (typed at a lower indent,
    so it ended the nesting), the list is a sub-list indented too little: reported."""
    document = lst.document
    if document is None:
        return None
    earlier: list[nodes.Element] = []
    for other in document.findall(nodes.enumerated_list):
        if other is lst:
            break
        if str(other.get("enumtype", "arabic")) == enumtype:
            earlier.append(other)
    found: nodes.Element | None = None
    depth = _depth(lst)
    for other in reversed(earlier):  # the nearest; past sub-lists, not past a list of its level
        items = [c for c in other.children if isinstance(c, nodes.list_item)]
        shown = start - 1 - int(other.get("start", 1))
        if items and shown == len(items) - 1:  # a list is carried on from its last item
            found = items[shown]
            break
        if _depth(other) <= depth:
            return None
    if found is None:
        return None
    line = node_line(found)
    holder = found.parent.parent if found.parent is not None else None
    inside = any(parent is holder for parent in ancestors(lst))
    if isinstance(holder, nodes.list_item) and not inside and line is not None:
        _outdented_continuation(ex, lst, found, line)
    return line


def _depth(node: nodes.Node) -> int:
    """How many list items a node is in."""
    return sum(isinstance(parent, nodes.list_item) for parent in ancestors(node))


def _outdented_continuation(ex: Extraction, lst: nodes.Element, found: nodes.Element, line: int) -> None:
    """A list that carries on a sub-list's numbering at a lower indent than the sub-list."""
    items = [c for c in lst.children if isinstance(c, nodes.list_item)]
    mine, theirs = (ex.marker(items[0]) if items else None), ex.marker(found)
    if mine is None or theirs is None or mine.indent >= theirs.indent or ex.file_of(lst) != ex.file_of(found):
        return
    number = format_number(int(lst.get("start", 1)) - 1, str(lst.get("enumtype", "arabic")))
    ex.defect(
        "outdented_sublist",
        items[0],
        node_line(items[0]),
        f"this list carries on the numbered sub-list whose step {number} is at line {line}, but it "
        f"is indented {spaces(mine.indent)}, less than that sub-list "
        f"(column {theirs.indent}), so it is not part of it and starts a list of its own; indent it "
        f"by {spaces(theirs.indent - mine.indent)} more",
        (line,),
    )


def _before(lst: nodes.Element) -> tuple[list[nodes.Node], bool]:
    """The blocks between a list and the list before it among its siblings (all that precede
    it, when none does), and whether a list does. A list that is the definition of a term
    (written right under its lead-in with no blank line, rST) has that term before it."""
    parent = lst.parent
    if parent is None:
        return [], False
    if isinstance(parent, nodes.definition) and parent.index(lst) == 0:
        terms = [c for c in parent.parent.children if isinstance(c, nodes.term)] if parent.parent else []
        return terms[-1:], False
    if isinstance(parent, nodes.block_quote) and parent.index(lst) == 0 and parent.parent is not None:
        lst, parent = parent, parent.parent  # indented under its lead-in (rST)
    before: list[nodes.Node] = []
    for block in reversed(parent.children[: parent.index(lst)]):
        if isinstance(block, LISTS):
            return before, True
        before.insert(0, block)
    return before, False


def step_from_item(
    ex: Extraction,
    item: nodes.Element,
    number: str | None,
    ordered: bool,
    list_index: int,
    origin: str,
    marker: Marker | None = None,
    upcoming: int | None = None,
) -> list[Draft]:
    """The step of a list item — and the steps folded into or typed inside its first
    paragraph, which the author meant as steps of their own (``upcoming`` is the
    number the list's next item has, ``None`` after the last)."""
    body, run_in = unfold_item(ex, lift_quoted_lists(list(item.children)))
    paragraph = next((c for c in body if not isinstance(c, INVISIBLE)), None)
    points = step_points(ex, paragraph, number, ordered, upcoming)
    pieces: list[list[nodes.Node]] = []
    if points:
        assert isinstance(paragraph, nodes.paragraph)
        parts = split_children(paragraph, points)
        cut = body.index(paragraph)
        pieces = [[part] for part in parts[1:]]
        pieces[-1].extend(body[cut + 1 :])  # what follows the paragraph follows the last step in it
        body = [*body[:cut], parts[0]]
    # a list of links or values under a step is part of its text, not sub-steps to tick
    verdict_of = ex.verdict_of
    lists = [
        c
        for c in body
        if isinstance(c, LISTS) and not (verdict_of is not None and not_sub_steps(c, verdict_of))
    ]
    draft = make_step(ex, item, body, lists, number, ordered, list_index, origin)
    if paragraph is not None and points:  # the folded lines, reported as stray steps
        draft.step.swallowed = tuple(
            Note(text=f"{p.number} {p.text}".strip(), line=p.line) for p in points if p.kind == "folded"
        )
    draft.marker = marker if marker is not None else ex.marker(item)
    if run_in is not None:
        ex.defect("run_in_list", item, run_in.line, run_in_message(run_in, step_label(draft), draft.noun))
    elif (text := run_in_text(ex, body, step_label(draft))) is not None:
        ex.defect("run_in_list", item, text[0], text[2], end_line=text[1])
    elif ex.markdown and (lettered := lettered_paragraphs(body)):
        ex.defect("stray_step", item, lettered[0][1], lettered_message(lettered, step_label(draft)))
    elif parts := numbered_parts(body, number):
        ex.defect("stray_step", item, parts[0][1], parts_message(parts, step_label(draft)))
    for sub_index, sub_list in enumerate(lists):
        draft.children.extend(steps_from_list(ex, sub_list, sub_index))
    drafts = [draft]
    for point, piece in zip(points, pieces, strict=True):
        sub_lists = [c for c in piece if isinstance(c, LISTS)]
        extra = make_step(
            ex, item, piece, sub_lists, point.number, True, list_index, "inline", strip_number=True
        )
        extra.step.line = point.line
        for sub_index, sub_list in enumerate(sub_lists):
            extra.children.extend(steps_from_list(ex, sub_list, sub_index))
        drafts.append(extra)
    return drafts


def step_points(
    ex: Extraction,
    paragraph: nodes.Node | None,
    number: str | None,
    ordered: bool,
    upcoming: int | None,
) -> list[SplitPoint]:
    """Where a step's first paragraph holds further steps: folded lines that read like
    a step, and, in a numbered list, the next step numbers typed inline when the list
    has no such steps."""
    if not isinstance(paragraph, nodes.paragraph):
        return []
    points = split_points(paragraph)
    value = int(number) if number is not None and number.isdigit() else None
    kept: list[SplitPoint] = []
    inline: list[SplitPoint] = []
    for point in points:
        if point.kind == "folded":
            if could_be_step(point.number, number):
                kept.append(point)
            continue
        expected = (value + 1 + len(inline)) if value is not None and ordered else None
        if expected is not None and int(point.number) == expected and upcoming != expected:
            inline.append(point)
            kept.append(point)
    if inline:
        listed = [p.number for p in inline]
        what = f"number {listed[0]} is" if len(listed) == 1 else f"numbers {' and '.join(listed)} are"
        ex.defect(
            "inline_step_numbers",
            paragraph,
            inline[0].line,
            f"step {what} typed inside step {number}, so they are not items of the list; start "
            f"each on a line of its own (`{listed[0]}. ...`)",
        )
    return kept if ordered else counted_from_one(kept, lambda point: point.number)


def step_from_paragraph(ex: Extraction, paragraph: nodes.paragraph, number: str, list_index: int) -> Draft:
    unindented_text(ex, paragraph, number)
    draft = make_step(
        ex, paragraph, [paragraph], [], number, True, list_index, "paragraph", strip_number=True
    )
    source, line = ex.lines(paragraph), ex.first_line(paragraph)
    if ex.markdown and source is not None and line is not None:
        draft.step.suffix = numbered_by_hand(source.line(line) or "") or draft.step.suffix
    return draft


def heading_line(ex: Extraction, section: nodes.Element) -> int | None:
    """The line of a section's heading text: docutils gives an rST title the line of the
    underline below it (MyST, the heading's own)."""
    line = node_line(section[0] if section.children else section)
    return line - 1 if line is not None and line > 1 and not ex.markdown else line


def step_from_section(ex: Extraction, section: nodes.section, list_index: int) -> Draft:
    """A subsection that is a step: its heading the title, its lists the sub-steps."""
    heading = clean(plain_text(section[0])) if section.children else ""
    match = _HEADING_STEP.match(heading)
    number, title = (match["number"], match["title"].strip()) if match else (None, heading)
    body = [c for c in section.children[1:] if not isinstance(c, nodes.section)]
    lists = [c for c in body if isinstance(c, LISTS)]
    owner = None
    first = next((c for c in body if not isinstance(c, INVISIBLE)), None)
    if isinstance(first, nodes.paragraph) and "\n" not in text_of(first).strip():
        owner, owner_only = owner_of(list(first.children), ex.docname, node_line(first))
        if owner is not None and owner_only:
            body = [c for c in body if c is not first]  # who does the step, not its text
    draft = make_step(
        ex, section, body, lists, number, number is not None, list_index, "section", titled=False
    )
    draft.opening = Opening(bold=title.rstrip(":.") or None, plain=heading, blocks=0, owner=owner)
    for sub_index, sub_list in enumerate(lists):
        draft.children.extend(steps_from_list(ex, sub_list, sub_index))
    return draft


def make_step(
    ex: Extraction,
    node: nodes.Element,
    body: list[nodes.Node],
    lists: list[nodes.Element],
    number: str | None,
    ordered: bool,
    list_index: int,
    origin: str,
    strip_number: bool = False,
    titled: bool = True,
) -> Draft:
    opening: Opening | None = None
    visible = [c for c in body if not isinstance(c, INVISIBLE) and c not in lists]
    used: set[int] = set()
    if titled and visible and isinstance(visible[0], nodes.paragraph):
        opening, used = step_opening(visible, ex.docname, strip_number)
    unread = frozenset(used | {id(lst) for lst in lists})
    texts, admonitions = _read_body(body, unread)
    folded = [
        found
        for child in body
        if isinstance(child, nodes.paragraph)
        for found in numbered_lines(child, number)
    ]
    swallowed = [
        Note(text=f"{n} {text}".strip(), line=line)
        for n, line, text in (folded if ordered else counted_from_one(folded, lambda found: found[0]))
    ]
    refs = collect_refs(
        ex,
        [c for c in body if c not in lists],
        skip=lambda n: isinstance(n, LISTS) and n in lists,
    )
    step = Step(
        id="",
        number=number,
        title=None,
        text="",
        line=heading_line(ex, node) if isinstance(node, nodes.section) else node_line(node),
        origin=origin,  # type: ignore[arg-type]
        ordered=ordered,
        list_index=list_index,
        terms=tuple(refs.terms),
        roles=tuple(refs.roles),
        links=tuple(refs.links),
        admonitions=tuple(admonitions),
        footnotes=tuple(refs.footnotes),
        swallowed=tuple(swallowed),
        only=only_condition(node, stop=ex.root),
        source=ex.other_file(node),
    )
    return Draft(node, step, opening, texts, body=body, unread=unread, read=len(texts), noun=ex.noun)


def _read_body(body: list[nodes.Node], unread: frozenset[int]) -> tuple[list[str], list[Admonition]]:
    texts: list[str] = []
    admonitions: list[Admonition] = []
    for child in body:
        if id(child) not in unread and not isinstance(child, INVISIBLE):
            _read_block(child, texts, admonitions)
    return texts, admonitions


def move_blocks(source: Draft, blocks: list[nodes.Node], target: Draft) -> None:
    """Read ``blocks``, part of ``source``'s body, into ``target`` instead: a body that fell
    out of a sub-step into the text of the step above it."""
    unread = source.unread | {id(block) for block in blocks}
    texts, admonitions = _read_body(source.body, unread)
    source.texts[: source.read] = texts
    source.read, source.unread = len(texts), unread
    source.step.admonitions = tuple(admonitions)
    texts, admonitions = _read_body(blocks, frozenset())
    target.texts.extend(texts)
    target.step.admonitions = (*target.step.admonitions, *admonitions)


#: blocks that may hold a note or a figure among their text: a box, a list and its parts
_HOLDERS = (
    nodes.container,
    nodes.compound,
    *LISTS,
    nodes.list_item,
    nodes.definition_list,
    nodes.definition_list_item,
    nodes.definition,
)


def _read_block(node: nodes.Node, texts: list[str], admonitions: list[Admonition]) -> None:
    """A block of a step: its text, with notes and figure captions kept apart, also when
    they sit in a box (a tab, a dropdown) or in a list that is the step's text (a form's
    fields, described) rather than right in the step."""
    if isinstance(node, nodes.Admonition):
        admonitions.append(read_admonition(node))
    elif isinstance(node, nodes.figure):
        admonitions.append(read_figure(node))
    elif isinstance(node, nodes.paragraph) and only_buttons(node):
        return
    elif isinstance(node, _HOLDERS) and any(
        isinstance(n, nodes.Admonition | nodes.figure) for n in node.findall(include_self=False)
    ):
        for child in node.children:
            if not isinstance(child, INVISIBLE):
                _read_block(child, texts, admonitions)
    elif text := block_text(node):
        texts.append(text)


def only_buttons(paragraph: nodes.paragraph) -> bool:
    buttons = [n for n in paragraph.findall(include_self=False) if is_button(n)]
    if not buttons:
        return False
    remaining = plain_text(paragraph)
    for button in buttons:
        remaining = remaining.replace(plain_text(button), "", 1)
    return not remaining.strip()
