"""What shows that prose at a list's margin, which the page sets outside the list, is the
body of the step above it: the list after it is typed on from that step's number, the step
is a bare bold title in a list of such titles, each over its text, or the prose goes on from
the bullet above it (it opens in lower case). Prose set apart on purpose
(an aside in brackets, a question, words about the steps ahead) is the page's."""

from __future__ import annotations

import re

from docutils import nodes

from ..doctree import INVISIBLE
from .context import Extraction
from .lost import is_body, is_prose
from .steps import Draft


def numbered_on(ex: Extraction, blocks: list[nodes.Node], following: nodes.Node | None, last: Draft) -> bool:
    """Whether prose at the margin between two numbered lists is the body of the step before
    it: the list after it is typed on from that step's number (``2.``, prose, ``3.``), so the
    author wrote one list, and the prose is no aside set apart on purpose (in brackets), no
    words to the reader (a question) and not about the steps ahead: the page splits the list
    around it. Only prose right after the step's list, or after its sub-list that fell out
    with it: after anything else, the step's body, if it is one, started before that."""
    if not isinstance(following, nodes.enumerated_list) or last.step.number is None:
        return False
    items = [c for c in following.children if isinstance(c, nodes.list_item)]
    marker = ex.marker(items[0]) if items else None
    if marker is None or not marker.typed or not marker.typed.isdigit() or not last.step.number.isdigit():
        return False
    if int(marker.typed) != int(last.step.number) + 1 or not right_after(blocks[0], last):
        return False
    return not aside(blocks)


def aside(blocks: list[nodes.Node]) -> bool:
    """Whether prose after a step is set apart from it on purpose: an aside in brackets, words
    to the reader (a question), or about the steps ahead."""
    text = " ".join(block.astext().strip() for block in blocks)
    return (text.startswith("(") and text.endswith(")")) or "?" in text or bool(_STEPS_AHEAD.search(text))


def titled_on(blocks: list[nodes.Node], following: nodes.Node | None, last_list: list[Draft]) -> bool:
    """Whether prose at the margin between two lists of one entry each, both entries nothing
    but a bold title ("- **I want the latest release**", a paragraph, "- **I want a fix**"),
    is the body of the entry before it: a title alone says nothing, so what follows it is what
    it heads; the page splits one list of titled entries around their bodies."""
    if not isinstance(following, nodes.bullet_list) or not _titled_bullet(last_list):
        return False
    items = [c for c in following.children if isinstance(c, nodes.list_item)]
    return (
        bool(items)
        and _title_only(items[0])
        and all(is_prose(block) or is_body(block) for block in blocks)
        and right_after(blocks[0], last_list[0])
        and not aside(blocks)
    )


def goes_on(blocks: list[nodes.Node], following: nodes.Node | None, last: Draft) -> bool:
    """Whether a paragraph at the margin between two bullet lists goes on from the bullet
    before it: it opens in lower case ("e.g. the home page loads", "which restarts it"), where
    the author starts that bullet and the next with a capital, so it is no sentence of its own
    but more of the bullet's, which the page cuts off and splits the list around. Not when it
    opens with a word that joins the two bullets ("or", "then"): that stands between them."""
    if not isinstance(following, nodes.bullet_list) or not isinstance(last.node.parent, nodes.bullet_list):
        return False
    if len(blocks) != 1 or not isinstance(blocks[0], nodes.paragraph) or not right_after(blocks[0], last):
        return False
    items = [c for c in following.children if isinstance(c, nodes.list_item)]
    words = blocks[0].astext().split(maxsplit=1)
    return (
        bool(items)
        and bool(words)
        and words[0].strip(",:;").lower() not in _JOINING
        and _opens(blocks[0]) == "lower"
        and _opens(last.node) == "upper"
        and _opens(items[0]) == "upper"
        and not aside(blocks)
    )


#: words that join the bullet above to the one after it ("or" between two ways to do a step,
#: "or run the script instead"): between the two, not more of the first
_JOINING = frozenset("or and then otherwise alternatively else also plus".split())


def _opens(node: nodes.Node) -> str | None:
    """How the first words of a block, or of an item's first paragraph, open: "upper" or
    "lower" case letter, as plain text (not code, a link or emphasis); else ``None``."""
    paragraph = node if isinstance(node, nodes.paragraph) else next(iter(node.findall(nodes.paragraph)), None)
    first = paragraph.children[0] if paragraph is not None and paragraph.children else None
    text = str(first).lstrip() if isinstance(first, nodes.Text) else ""
    if not text or not text[0].isalpha():
        return None
    return "upper" if text[0].isupper() else "lower"


def titled_as_before(
    ex: Extraction, blocks: list[nodes.Node], following: nodes.Node | None, last_list: list[Draft]
) -> int:
    """How many blocks of prose at the margin after the last of such titled entries, where
    nothing follows, are its body as well: as many as the stretch right before its list, which
    fell out of the entry before it (:func:`titled_on`); what comes after them is the page's
    again. None (0) when that stretch did not fall out so."""
    if following is not None or not _titled_bullet(last_list) or aside(blocks):
        return 0
    lst = last_list[0].node.parent
    parent = lst.parent if lst is not None else None
    if parent is None or not right_after(blocks[0], last_list[0]):
        return 0
    before = [c for c in parent.children[: parent.index(lst)] if not isinstance(c, INVISIBLE)]
    fell = next((fell for fell in ex.stretches.values() if before and id(before[-1]) in fell), None)
    if fell is None:
        return 0
    taken = 0
    while taken < len(before) and id(before[-1 - taken]) in fell:
        taken += 1
    return taken


def _titled_bullet(last_list: list[Draft]) -> bool:
    """Whether a list is one bullet that is nothing but a bold title. (A numbered list says by
    its numbers whether it goes on after the prose under a step.)"""
    return (
        len(last_list) == 1
        and isinstance(last_list[0].node.parent, nodes.bullet_list)
        and _title_only(last_list[0].node)
    )


def _title_only(item: nodes.Node) -> bool:
    """Whether a list item holds nothing but a bold title (a full stop or colon after it)."""
    shown = (
        [c for c in item.children if not isinstance(c, INVISIBLE)] if isinstance(item, nodes.Element) else []
    )
    if len(shown) != 1 or not isinstance(shown[0], nodes.paragraph):
        return False
    parts = [c for c in shown[0].children if not (isinstance(c, nodes.Text) and not c.strip(" \n.:"))]
    return len(parts) == 1 and isinstance(parts[0], nodes.strong)


def right_after(block: nodes.Node, last: Draft) -> bool:
    """Whether ``block`` is the first thing the page shows after the list of the step ``last``,
    or after the sub-list that fell out of that step (its whole body fell out)."""
    parent, lst = block.parent, last.node.parent
    if parent is None or lst is None or lst.parent is not parent:
        return False
    between = [
        n
        for n in parent.children[parent.index(lst) + 1 : parent.index(block)]
        if not isinstance(n, INVISIBLE)
    ]
    return not between or (
        len(between) == 1
        and any(
            child.node.parent is between[0] and child.step.origin == "detached" for child in last.children
        )
    )


#: words about the steps ahead ("the next two steps", "the remaining steps"): a note on the
#: procedure between its steps, not the body of the step before ("skip this step" is)
_STEPS_AHEAD = re.compile(
    r"\b(?:next|following|remaining|other|these|those|all|rest\s+of\s+the)\s+(?:\w+\s+)?steps?\b"
    r"|\bsteps\s+(?:below|that\s+follow)\b",
    re.I,
)
