"""How a step opens: its title (bold, or italic), the lead-in line before it, and its owner."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from docutils import nodes

from ...model import Reference
from ..doctree import clean, inline_children, is_role_reference, node_line, plain_text, text_of
from .references import xref_of
from .splitting import SEPARATOR, bold_number

#: the number a step written as a paragraph opens with ("7 ", "7. ", "7.**Title**")
_LEADING_NUMBER = re.compile(rf"^\s*(?:\(\d{{1,2}}\)|\d{{1,4}}\s*{SEPARATOR}?)\s*")


#: a lead-in naming who does the step
_OWNER_LINE = re.compile(
    r"^\s*(?:who|owner|owned by|responsible|role|assignee|performed by|done by)\s*[:\uff1a]\s*"
    r"(?P<name>\S.*?)\s*[.;]?\s*$",
    re.IGNORECASE,
)


#: what may stand before a title: check boxes and shortcodes
_MARKUP_SYMBOLS = re.compile(r"^\s*(?:\[[ xX]?\]|:[a-z0-9_+-]+:|\([ xX]?\))?\s*$")


_TITLE_PUNCTUATION = " \t\n.:;,-\u2013\u2014"


#: what follows a title that is a title (not a bold word at the start of a sentence)
_AFTER_TITLE = re.compile(r"^(?:$|\s*\n|\s*[.:;,!?\u2013\u2014-]|\s+\()")


#: the longest lead-in line before a title, in characters
MAX_LEAD_IN = 80


def symbols_only(text: str) -> bool:
    """Emoji, check marks and the like: nothing a reader reads as words."""
    if _MARKUP_SYMBOLS.match(text):
        return True
    return all(not unicodedata.category(ch).startswith(("L", "N")) for ch in text)


@dataclass
class Opening:
    """How a step's first lines read: its title candidates, lead-in and owner."""

    bold: str | None = None
    bold_rest: str = ""
    italic: str | None = None
    italic_rest: str = ""
    #: the text of the opening paragraph when it has no title
    plain: str = ""
    #: the lead-in text shown before the title (empty when it only names the owner)
    lead: str = ""
    owner: Reference | None = None
    #: leading blocks of the step's body read as its opening
    blocks: int = 1


def _skippable(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Text):
        return symbols_only(str(node))
    # raw output carries no words of the step (a task list's box to tick, drawn as HTML)
    return isinstance(
        node, nodes.target | nodes.system_message | nodes.substitution_definition | nodes.image | nodes.raw
    )


def _title_after(children: list[nodes.Node], index: int) -> bool:
    """Whether what follows an emphasised run makes it a title, not a word of a sentence."""
    rest = "".join(plain_text(c) for c in children[index + 1 :])
    return bool(_AFTER_TITLE.match(rest))


def owner_of(lead: list[nodes.Node], docname: str, line: int | None) -> tuple[Reference | None, bool]:
    """The owner a lead-in names, and whether the lead-in says nothing else."""
    roles = [
        n for child in lead if isinstance(child, nodes.Element) for n in child.findall(is_role_reference)
    ]
    text = clean("".join(plain_text(c) for c in lead))
    match = _OWNER_LINE.match(text)
    if len(roles) == 1 and (match or clean(text.strip(" :;,.-")) == clean(roles[0].astext())):
        role = roles[0]
        ref = Reference(
            text=clean(role.astext()),
            target=str(role.get("reftarget", "")),
            line=node_line(role),
            xref=xref_of(role),
        )
        return ref, True
    if match:
        name = match["name"].strip("`*_ ")
        return Reference(text=name, target=name, line=line), True
    return None, False


def _first_line(children: list[nodes.Node], start: int) -> tuple[list[nodes.Node], list[nodes.Node]] | None:
    """The nodes of a paragraph's first line (from ``start``) and those after the line break."""
    for position in range(start, len(children)):
        child = children[position]
        if isinstance(child, nodes.Text) and "\n" in str(child):
            before, _, after = str(child).partition("\n")
            return [*children[start:position], nodes.Text(before)], [
                nodes.Text(after),
                *children[position + 1 :],
            ]
    return None


def skip_leading(children: list[nodes.Node], index: int = 0) -> int:
    while index < len(children) and (
        _skippable(children[index])
        or (isinstance(children[index], nodes.Text) and not str(children[index]).strip())
    ):
        index += 1
    return index


def plain_text_of(children: list[nodes.Node]) -> str:
    return clean("".join(plain_text(c) for c in children))


def read_opening(paragraph: nodes.paragraph, docname: str, strip_number: bool = False) -> Opening:
    """Title candidates of a step's first paragraph (bold and italic), its lead-in and owner."""
    children = inline_children(paragraph) if strip_number else list(paragraph.children)
    if strip_number and children and bold_number(children[0]) is not None:  # "**7.** Title"
        children = children[1:]
        if children and isinstance(children[0], nodes.Text):
            children[0] = nodes.Text(str(children[0]).lstrip())
    elif strip_number and children and isinstance(children[0], nodes.Text):
        match = _LEADING_NUMBER.match(str(children[0]))
        if match:
            children[0] = nodes.Text(str(children[0])[match.end() :])
    opening = Opening(plain=plain_text_of(children))
    index = skip_leading(children)
    split = _first_line(children, index)
    owner: Reference | None = None
    owner_only = False
    if split is not None:
        # a first line that names who does the step, in any markup (`Who: X`, _Owner: X_, {role})
        owner, owner_only = owner_of(split[0], docname, node_line(paragraph))
    if owner is not None or (
        index < len(children) and not isinstance(children[index], nodes.strong | nodes.emphasis)
    ):
        # a short lead-in line, then (on the next line) the title
        if split is None:
            return opening
        lead, children = split
        lead_text = plain_text_of(lead)
        if not lead_text or len(lead_text) > MAX_LEAD_IN:
            return opening
        if owner is not None:
            opening.owner = owner
            if owner_only:  # the line that names the owner is not part of the step's text
                opening.plain = plain_text_of(children)
        index = skip_leading(children)
        if index >= len(children) or not isinstance(children[index], nodes.strong | nodes.emphasis):
            return opening
        if owner is None and not _title_after(children, index):
            return opening  # a bold word on the second line is not a title after any lead-in
        opening.lead = "" if owner is not None and owner_only else lead_text
    if index >= len(children):
        return opening
    first = children[index]
    if not isinstance(first, nodes.strong | nodes.emphasis):
        return opening
    title = clean(plain_text(first)).rstrip(":.").strip() or None
    rest = plain_text_of(children[index + 1 :]).lstrip(_TITLE_PUNCTUATION).strip()
    if isinstance(first, nodes.strong):
        opening.bold, opening.bold_rest = title, rest
    else:  # an italic title counts where the runbook's steps use them consistently
        opening.italic, opening.italic_rest = title, rest
    return opening


def step_opening(
    visible: list[nodes.Node], docname: str, strip_number: bool = False
) -> tuple[Opening, set[int]]:
    """How a step whose first visible block is a paragraph opens, and the ``id()`` of the
    blocks read as its opening: the paragraph, or a lead-in paragraph and the next one."""
    first = visible[0]
    assert isinstance(first, nodes.paragraph)
    opening = read_opening(first, docname, strip_number)
    used = {id(first)}
    first_line_only = "\n" not in text_of(first).strip()
    if (
        opening.bold is None
        and opening.italic is None
        and opening.owner is None
        and first_line_only
        and 0 < len(opening.plain) <= MAX_LEAD_IN
    ):
        # a lead-in on a paragraph of its own, the title in the next one
        owner, owner_only = owner_of(list(first.children), docname, node_line(first))
        second = None
        if len(visible) > 1 and isinstance(visible[1], nodes.paragraph):
            second = read_opening(visible[1], docname)
        if second is not None and (second.bold is not None or second.italic is not None):
            second.owner = owner or second.owner
            second.lead = "" if owner_only else opening.plain
            second.blocks = 2
            opening = second
            used.add(id(visible[1]))
        elif owner is not None and owner_only:
            opening = Opening(owner=owner)  # who does the step; its text follows
    return opening, used
