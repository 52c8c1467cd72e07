"""The parts of a section a procedure can be: its lists, and the boxes that hold them.

A section may hold more than one procedure, or a procedure and other lists
(links, values, names). ``incident_runbooks`` can name one part of a section,
``doc#section-id/part``, where ``part`` is

- the title of a box holding a list (an admonition, a dropdown, a tab, a card:
  ``/rollback`` for a tab titled "Rollback");
- the opening words of a list's first item, as a slug (``/stop-the-writers``
  for the list whose first step reads "Stop the writers on every host."): as
  many as tell it from the section's other lists;
- the title of a box and the opening words of a list in it, where lists of
  other boxes open alike (the same steps in two tabs): ``/ubuntu/extract-the-archive``;
- or the number of a list among the section's lists (``/2``: its second list,
  counting the lists in its boxes).

A part named by what it says keeps naming it, and its runbook keeps its id,
when a list is added above it; a number then names another list. Discovery
suggests a box's title, else a list's opening words, else a box's title and
the words, and a number only where two lists of one box open alike (or the
words would make a name too long to read).
"""

from __future__ import annotations

import re

from docutils import nodes

from ..model.ids import slugify
from .doctree import INVISIBLE, LISTS, ancestors, clean, plain_text

#: what separates a section's id from the part of it an entry names
PART_SEPARATOR = "/"


def is_container(node: nodes.Node) -> bool:
    """A box a procedure may sit in: an admonition, a dropdown, a tab, a card, a topic."""
    return isinstance(node, nodes.Admonition | nodes.container | nodes.topic | nodes.sidebar) and not (
        isinstance(node, nodes.container) and node.get("incident_runbook")
    )


def is_box_title(node: nodes.Node) -> bool:
    return isinstance(node, nodes.title | nodes.rubric) or (
        isinstance(node, nodes.container) and any("title" in str(c) for c in node.get("classes", ()))
    )


def container_title(node: nodes.Element) -> str:
    """The title of a box: an admonition's title, a dropdown's or tab's label, a card's title."""
    for child in node.findall(nodes.Element, include_self=False):
        if is_box_title(child):
            return clean(plain_text(child))
        if isinstance(child, (*LISTS, nodes.paragraph)):
            break
    return ""


def section_of(node: nodes.Node) -> nodes.section | None:
    """The section a node is in."""
    return next((parent for parent in ancestors(node) if isinstance(parent, nodes.section)), None)


def inside_item(node: nodes.Node) -> bool:
    """Whether a node is inside a list item (a nested list belongs to its outer list)."""
    return any(isinstance(parent, nodes.list_item) for parent in ancestors(node))


def top_lists(root: nodes.Element) -> list[nodes.Element]:
    """Every list of a page or section that is inside no list item, in document order."""
    return [lst for lst in root.findall(lambda n: isinstance(n, LISTS)) if not inside_item(lst)]


def section_lists(section: nodes.Element) -> list[nodes.Element]:
    """The lists of a section itself (not of its subsections), in document order: what ``/N``
    counts."""
    return [lst for lst in top_lists(section) if section_of(lst) is section or section_of(lst) is None]


def box_of(node: nodes.Node, stop: nodes.Node | None) -> nodes.Element | None:
    """The box holding a node, below ``stop``: the innermost one with a title (a tab's label is
    its item's, not its content's), else the innermost."""
    innermost = None
    parent = node.parent
    while parent is not None and parent is not stop:
        if is_container(parent):
            if container_title(parent):  # type: ignore[arg-type]
                return parent  # type: ignore[return-value]
            innermost = innermost or parent
        parent = parent.parent
    return innermost  # type: ignore[return-value]


#: fewest words of a first item that name a list (all of them when it has fewer)
NAME_WORDS = 4
#: most words of a first item a suggested name takes before it falls back to a number
MAX_NAME_WORDS = 12
#: longest suggested name (a script written without spaces makes one long word)
MAX_NAME_LENGTH = 64


def opening(lst: nodes.Element) -> str:
    """The slug of what a list's first item says first (its first paragraph): what names it."""
    item = next(iter(lst.children), None)
    if not isinstance(item, nodes.Element):
        return ""
    first = next(iter(item.children), None)
    return slugify(plain_text(first)) if isinstance(first, nodes.paragraph) else ""


def _titled(lists: list[nodes.Element], section: nodes.Element, title: str) -> list[nodes.Element]:
    """The boxes of a section's lists whose title's slug is ``title``, in document order."""
    boxes: list[nodes.Element] = []
    for lst in lists:
        box = box_of(lst, section)
        if box is not None and box not in boxes and slugify(container_title(box)) == title:
            boxes.append(box)
    return boxes


def _opening_with(lists: list[nodes.Element], words: str) -> list[nodes.Element]:
    return [lst for lst in lists if (said := opening(lst)) == words or said.startswith(f"{words}-")]


def parts_named(section: nodes.Element, part: str) -> list[nodes.Element]:
    """Every list or box an entry's ``/part`` may name in a section: the ``part``-th list; else
    the boxes whose title's slug is ``part``; else the lists whose first item opens with it;
    for ``box/words``, the lists of that box whose first item opens with the words."""
    lists = section_lists(section)
    if part.isdigit():
        number = int(part)
        return [lists[number - 1]] if 0 < number <= len(lists) else []
    title, _, words = part.partition(PART_SEPARATOR)
    if words:
        boxes = _titled(lists, section, slugify(title))
        inside = [lst for lst in lists if box_of(lst, section) in boxes]
        return _opening_with(inside, slugify(words)) if slugify(words) else []
    wanted = slugify(part)
    if not wanted:
        return []
    return _titled(lists, section, wanted) or _opening_with(lists, wanted)


def box_part(pieces: list[nodes.Element], procedures: list[nodes.Element], section: nodes.Element) -> str:
    """The title that names the box holding the pieces of one list, when they are all the
    procedure lists it holds and its title names it alone; else ``""``."""
    box = box_of(pieces[0], section)
    if box is None or any(box_of(piece, section) is not box for piece in pieces):
        return ""
    if [lst for lst in procedures if box_of(lst, section) is box] != pieces:
        return ""
    title = slugify(container_title(box))
    return title if title and not title.isdigit() and parts_named(section, title) == [box] else ""


def part_name(lst: nodes.Element, section: nodes.Element) -> str:
    """What names a list in an entry: its box's title when that names it alone; else the fewest
    opening words of its first item that name it alone; else, where lists of other boxes open
    alike (the same steps in two tabs), its box's title and its words; else its number."""
    lists = section_lists(section)
    box = box_of(lst, section)
    title = slugify(container_title(box)) if box is not None else ""
    titled = bool(title) and not title.isdigit()
    if titled and [other for other in lists if box_of(other, section) is box] == [lst]:
        if parts_named(section, title) == [box]:
            return title
    words = opening(lst).split("-")
    for prefix in ("", f"{title}{PART_SEPARATOR}") if titled else ("",):
        for count in range(min(NAME_WORDS, len(words)), min(MAX_NAME_WORDS, len(words)) + 1):
            name = "-".join(words[:count])
            if len(name) > MAX_NAME_LENGTH:
                break
            if name and not name.isdigit() and parts_named(section, prefix + name) == [lst]:
                return prefix + name
    return str(lists.index(lst) + 1) if lst in lists else ""


# -- the pieces of one list -----------------------------------------------------------------

#: what may stand between the pieces of one list cut in two: a command, a note, a picture or a
#: table at the margin; a paragraph or a heading between two lists parts them
BETWEEN_PIECES = (
    nodes.literal_block,
    nodes.doctest_block,
    nodes.math_block,
    nodes.Admonition,
    nodes.table,
    nodes.figure,
    nodes.image,
    *INVISIBLE,
)

#: a word alone between two commands, offering the second instead of the first: "or", "Or:"
_JOINER = re.compile(r"(?:or|or else|alternatively|or alternatively)\s*[:,.]?", re.I)


def between_pieces(siblings: list[nodes.Node], index: int) -> bool:
    """Whether the block at ``index`` may stand between the pieces of one list: a command, a
    note, a picture, a table, or a joining word between two commands ("or")."""
    block = siblings[index]
    if isinstance(block, BETWEEN_PIECES):
        return True
    return (
        isinstance(block, nodes.paragraph)
        and bool(_JOINER.fullmatch(block.astext().strip()))
        and 0 < index < len(siblings) - 1
        and isinstance(siblings[index - 1], nodes.literal_block)
        and isinstance(siblings[index + 1], nodes.literal_block)
    )


def next_piece(before: nodes.Element, lst: nodes.Element) -> bool:
    """Whether ``lst`` carries on ``before`` as the next piece of one list: of one kind, side by
    side in one parent, with only what may stand between pieces between them."""
    parent = lst.parent
    if parent is None or before.parent is not parent or type(before) is not type(lst):
        return False
    start, end = parent.index(before), parent.index(lst)
    siblings = parent.children
    return end > start + 1 and all(between_pieces(siblings, index) for index in range(start + 1, end))


def pieces_of(lists: list[nodes.Element]) -> list[list[nodes.Element]]:
    """The runs of two lists or more, of one kind and side by side in one parent, with only
    code, notes, pictures or tables between them: one list the margin cut into pieces (a
    command at the margin ends a Markdown list), with no lead-in of its own to start another."""
    runs: list[list[nodes.Element]] = []
    for lst in lists:
        last = runs[-1][-1] if runs else None
        if last is not None and next_piece(last, lst):
            runs[-1].append(lst)
        else:
            runs.append([lst])
    return [run for run in runs if len(run) > 1]


def pieces_around(lst: nodes.Element) -> list[nodes.Element]:
    """The pieces of the one list a list is a piece of (:func:`pieces_of`), or the list alone."""
    if lst.parent is None or inside_item(lst):
        return [lst]
    run = [lst]
    while (before := _list_beside(run[0], -1)) is not None and next_piece(before, run[0]):
        run.insert(0, before)
    while (after := _list_beside(run[-1], 1)) is not None and next_piece(run[-1], after):
        run.append(after)
    return run


def _list_beside(lst: nodes.Element, step: int) -> nodes.Element | None:
    """The list before (``step`` -1) or after (1) a list in its parent, past what may stand
    between the pieces of one list, if a list is there."""
    siblings = lst.parent.children
    index = lst.parent.index(lst) + step
    while 0 <= index < len(siblings) and between_pieces(siblings, index):
        index += step
    beside = siblings[index] if 0 <= index < len(siblings) else None
    return beside if isinstance(beside, LISTS) else None


def list_part_blocks(lst: nodes.Element) -> list[nodes.Node]:
    """What a part that names one list takes: the list, the pieces of it after it with what
    stands between them (a command at the margin cut it), and what stands right after its
    last piece (a command, a note, a table), where its last step may have lost its body."""
    if lst.parent is None or inside_item(lst):
        return [lst]
    pieces = pieces_around(lst)
    siblings = lst.parent.children
    start, end = siblings.index(lst), siblings.index(pieces[-1]) + 1
    while end < len(siblings) and between_pieces(siblings, end):
        end += 1
    while end - 1 > start and isinstance(siblings[end - 1], INVISIBLE):
        end -= 1  # a target or comment before what follows is that block's
    return list(siblings[start:end])
