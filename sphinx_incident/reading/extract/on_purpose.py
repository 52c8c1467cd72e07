"""What stands after a list where its author put it, for the list as a whole, not a body that
fell out of its last step: a remark about several entries, an example using what several name,
tables or quotations leading each group, callouts a page sets after its bullets."""

from __future__ import annotations

import re

from docutils import nodes

from ..doctree import INVISIBLE
from .context import Extraction
from .lost import code_names, introduces, is_prose
from .steps import Draft


def placed_on_purpose(
    ex: Extraction, blocks: list[nodes.Node], last_list: list[Draft], floor: int | None
) -> bool:
    """Whether the stretch is where the author put it, for the list as a whole: about two or
    more of its entries, an example using what two or more name, or tables leading each; or,
    after a sub-list, the next instruction of the step it is in, set at that step's text and
    leading in to what follows ("Add these values to the file:")."""
    return (
        (
            floor is not None
            and bool(blocks)
            and is_prose(blocks[0])
            and introduces(blocks[0])
            and ex.indent(blocks[0]) == floor
        )
        or _about_several(blocks, last_list)
        or _leads_each_step(ex, blocks, last_list)
        or _callout_after_bullets(ex, blocks, last_list)
        or _uses_several(blocks, last_list)
    )


def _about_several(blocks: list[nodes.Node], last_list: list[Draft]) -> bool:
    """Whether the blocks name two or more of the list's entries by their names (a warning
    between settings about three of them): about the group, where the author put it."""
    text = " ".join(block.astext() for block in blocks)
    names = {name for draft in last_list if (name := _entry_name(draft)) and len(name) >= 3}
    return sum(1 for name in names if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)) >= 2


def _uses_several(blocks: list[nodes.Node], last_list: list[Draft]) -> bool:
    """Whether code right after the list uses what two or more of its entries write as code
    (the options two bullets name, in one command), where the last one does not announce it
    (a colon): an example of those entries together, where the author put it."""
    if not blocks or not isinstance(blocks[0], nodes.literal_block) or len(last_list) < 2:
        return False
    if _ANNOUNCES.search(last_list[-1].node.astext().rstrip()):
        return False  # "… edit the properties listed below": the last entry's own code
    code = blocks[0].astext()
    return sum(any(name in code for name in code_names(draft)) for draft in last_list) >= 2


#: an entry that announces what comes after it: a colon at its end, or words that point on
_ANNOUNCES = re.compile(r":$|\b(?:following|below|this|these)\b", re.I)


def _leads_each_step(ex: Extraction, blocks: list[nodes.Node], last_list: list[Draft]) -> bool:
    """Whether the stretch is tables, or quotations, as is the block right before the list's
    first step, where no step can have lost it: each leads what comes after it (the values of
    an entry, then "Save"; a quoted requirement, then the bullets that meet it), laid out as
    the author meant, not a body that fell out. (Not code: a command before a list is often its
    setting up, and the next one a step's; not quotations between numbered steps, a remark
    that fell out of the step before.)"""
    kinds = {type(block) for block in blocks}
    if kinds not in ({nodes.table}, {nodes.block_quote}):
        return False
    first = last_list[0].node.parent if last_list else None
    parent = first.parent if first is not None else None
    if first is None or parent is None:
        return False
    if kinds == {nodes.block_quote} and not isinstance(first, nodes.bullet_list):
        return False  # a remark between numbered steps typed on: the step's, fallen out
    before = [c for c in parent.children[: parent.index(first)] if not isinstance(c, INVISIBLE)]
    if not before or type(before[-1]) not in kinds:
        return False
    return not any(id(before[-1]) in fell for fell in ex.stretches.values())


#: the fewest bulleted lists, each followed by a callout, that make it the page's layout
_CALLOUT_LAYOUT = 3
#: and the least share of the page's bulleted lists (not sub-lists) they must be
_CALLOUT_SHARE = 1 / 3


def _callout_after_bullets(ex: Extraction, blocks: list[nodes.Node], last_list: list[Draft]) -> bool:
    """Whether the stretch is callouts only (a note, a "Verify that" box) after bullets whose
    last announces nothing, on a page that follows three or more of its bulleted lists, and a
    third of them, with a callout: each says what the bullets before it come to, the page's
    layout, not a body that fell out. (A few notes between the bullets of a long page are
    remarks on the bullet above them; after numbered steps a callout is a remark that fell
    out of the step before: the page shows it breaking the numbers.)"""
    if not blocks or not all(isinstance(block, nodes.Admonition) for block in blocks):
        return False
    lst = last_list[-1].node.parent if last_list else None
    if not isinstance(lst, nodes.bullet_list) or _ANNOUNCES.search(_first_text(last_list[-1])):
        return False
    if ex.callout_layout is None:
        page = ex.document if ex.document is not None else ex.root
        bullets = [b for b in page.findall(nodes.bullet_list) if not isinstance(b.parent, nodes.list_item)]
        followed = sum(1 for b in bullets if _callout_next(b))
        ex.callout_layout = followed >= max(_CALLOUT_LAYOUT, _CALLOUT_SHARE * len(bullets))
    return ex.callout_layout


def _callout_next(node: nodes.Node) -> bool:
    """Whether the block right after a node, past what the page does not show, is a callout."""
    parent = node.parent
    if parent is None:
        return False
    after = (c for c in parent.children[parent.index(node) + 1 :] if not isinstance(c, INVISIBLE))
    return isinstance(next(after, None), nodes.Admonition)


def _first_paragraph(draft: Draft) -> nodes.paragraph | None:
    return next(iter(draft.node.findall(nodes.paragraph)), None)


def _first_text(draft: Draft) -> str:
    """The text of a step's first paragraph, as it ends (where it would announce a block)."""
    first = _first_paragraph(draft)
    return first.astext().rstrip() if first is not None else ""


def _entry_name(draft: Draft) -> str | None:
    """What an entry is named by: the bold text or the code it opens with."""
    first = _first_paragraph(draft)
    if first is None:
        return None
    opening = next((c for c in first.children if not isinstance(c, nodes.Text) or c.strip()), None)
    return opening.astext().strip() if isinstance(opening, nodes.strong | nodes.literal) else None
