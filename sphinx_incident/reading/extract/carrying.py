"""Whether a list carries on the steps before it, and how it is numbered when it does: a list
that a fallen-out body, a note or a heading cut off from the steps above it."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes

from ...model.numbers import ALPHA, ROMAN, arabic_value, format_number, number_value, roman_value
from ..doctree import INVISIBLE
from ..imperative import is_imperative
from .context import Extraction
from .lost import introduces
from .places import last_block
from .steps import Draft


def continues(
    before: list[Draft], lst: nodes.Element, extractor: Extraction, after_body: bool = False
) -> bool:
    """Whether a list carries on the numbering of the steps before it, as written. After a
    body that fell out of the last step (``after_body``), a list that skips one number carries
    on too: the author counted the fallen-out block as a step of its own."""
    if not before:
        return False
    if isinstance(lst, nodes.bullet_list):
        # bullets carry no numbers: a bulleted checklist carries on where its items are bullets
        # too, but not plain bullets after a task list, nor instructions (what to replace in an
        # example) after names (the settings it needs): two lists, the block between them the
        # page's
        # and not names after names that open again with the first one's (the fields of a
        # second message after the first's example): a list of its own
        if before[-1].step.ordered or _ticked(before[-1].node) != _ticked(lst):
            return False
        names = all(_name_of(draft.node) is not None for draft in before)
        item = _first_item(lst)
        again = item is not None and _name_of(item) == _name_of(before[0].node)
        return not (names and (_instructs(lst) or again))
    if not isinstance(lst, nodes.enumerated_list) or not before[-1].step.ordered:
        return False  # numbers carry on no bullets: after bulleted steps a numbered list is new
    last = before[-1]
    items = [c for c in lst.children if isinstance(c, nodes.list_item)]
    if not items:
        return False
    start = int(lst.get("start", 1))
    # the number the last step has here, and the one its marker shows (``3.`` carried on as 2);
    # letters and roman numerals count in a list of their own kind (``b.`` after ``a.``)
    typed = last.marker.typed if last.marker is not None else None
    own_kind = str(lst.get("enumtype", "arabic")) == last.step.enumtype
    values = {number_value(last.step) if own_kind else arabic_value(last.step.number)}
    values.add(int(typed) if typed and typed.isdigit() else None)
    if any(v is not None and (start == v + 1 or (after_body and start == v + 2)) for v in values):
        return True
    marker = extractor.marker(items[0])
    if marker is None or last.marker is None:
        return False
    # the same number typed again ("1." for every step), or rST's auto-numbering "#."
    return marker.typed == "#" or (marker.typed is not None and marker.typed == last.marker.typed)


def sub_list_cut(
    extractor: Extraction, last: Draft, lst: nodes.Node | None
) -> tuple[list[Draft], bool] | None:
    """Markdown: the sub-steps of the step ``last`` whose last one a block at the margin after
    them belongs to, and whether the list after that block carries them on. It carries them
    on when it is set at the column of their markers, past the step's own (``  - `` under
    ``- ``): the block ended the whole list, step, sub-list and all, and what the author
    typed next at the sub-list's column is more of its sub-steps, not steps of their own.
    Else the block is the last sub-step's when that sub-step announces it ("… in a
    secret:"), and the list after it carries on what it would anyway."""
    if not extractor.markdown or last.marker is None or not last.children:
        return None
    lost = last.children[-1]
    if lost.step.origin != "item" or lost.marker is None:
        return None
    column = lost.marker.indent
    subs = [d for d in last.children if d.step.origin == "item" and d.marker and d.marker.indent == column]
    item = _first_item(lst)
    marker = extractor.marker(item) if item is not None else None
    if (
        marker is not None
        and isinstance(lst, nodes.Element)
        and last.marker.indent < marker.indent == column
        and continues(subs, lst, extractor, after_body=True)
    ):
        return subs, True
    return (subs, False) if introduces(last_block(subs[-1])) else None


def carried(drafts: list[Draft], lst: nodes.Element, merging: bool) -> tuple[int, str] | None:
    """How a list that carries on the steps before it is numbered, as the author meant it:
    after a fallen-out body, from the next number; ``v.`` after ``iv.`` (docutils reads a
    lone ``v`` as a letter), as a roman numeral."""
    previous = drafts[-1].step if drafts else None
    if previous is None or not isinstance(lst, nodes.enumerated_list):
        return None
    if merging and previous.number is not None and previous.number.isdigit():
        return int(previous.number) + 1, "arabic"
    kind = str(lst.get("enumtype", "arabic"))
    items = [c for c in lst.children if isinstance(c, nodes.list_item)]
    if previous.enumtype in ROMAN and kind in ALPHA and items:
        letter = format_number(int(lst.get("start", 1)), kind)
        value = roman_value(letter.lower())
        if value is not None:
            return value, previous.enumtype
    return None


def _name_of(item: nodes.Node) -> str | None:
    """The name an item's text opens with, written as code or a link (``url``), not with
    words: an item of a list of settings, variables or pages; ``None`` for words."""
    paragraph = next((c for c in item.children if isinstance(c, nodes.paragraph)), None)
    if paragraph is None:
        return None
    first = next(
        (
            c
            for c in paragraph.children
            if not isinstance(c, INVISIBLE) and not (isinstance(c, nodes.Text) and not c.strip())
        ),
        None,
    )  # an environment variable's role writes its index entry and target before it
    return (
        first.astext() if isinstance(first, nodes.literal | nodes.reference | addnodes.pending_xref) else None
    )


def _instructs(lst: nodes.Element) -> bool:
    """Whether the first item of a list tells the reader what to do."""
    item = _first_item(lst)
    return item is not None and is_imperative(item.astext().strip())


def said_again(before: list[Draft], lst: nodes.Element) -> bool:
    """Whether a bullet list opens with the very item the steps before opened with ("Replace
    ``ALIAS`` with …" under each of two examples): the same list said again for what comes
    before it, not the first one carried on."""
    item = _first_item(lst)
    first = before[0].node
    return item is not None and " ".join(item.astext().split()) == " ".join(first.astext().split())


#: a task list's item: a box to tick typed before its text
_BOX = re.compile(r"^\[[ xX]\]\s")


def _ticked(node: nodes.Node) -> bool:
    """Whether an item (or a list's first item) opens with a box to tick (``[ ] Check …``): a
    task list, which a list of plain bullets does not carry on."""
    item = node if isinstance(node, nodes.list_item) else _first_item(node)
    if item is None:
        return False  # MyST's task lists mark their items; as text, the box is typed out
    return "task-list-item" in item.get("classes", ()) or bool(_BOX.match(item.astext().lstrip()))


def _first_item(lst: nodes.Node) -> nodes.Element | None:
    """A list's first item."""
    return (
        next((c for c in lst.children if isinstance(c, nodes.list_item)), None)
        if isinstance(lst, nodes.Element)
        else None
    )
