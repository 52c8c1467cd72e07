"""List items typed on the lines of a paragraph with no blank line before them, which the page
shows as more of its text: in reStructuredText any list so typed, in Markdown a list it cannot
read there (lettered, after a backslash, or set 4 columns past the text it is under), and
numbers typed with no space after them. What they are (:class:`RunInItems`) and what to tell
the author (:func:`run_in_items_message`)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from docutils import nodes

from ..doctree import node_line
from ..list_source import SourceLines, spaces
from .context import Extraction


def run_in_paragraph(ex: Extraction, paragraph: nodes.Node, step: str = "") -> tuple[int, int, str] | None:
    """The list items run into a paragraph (of ``step``'s text, or of the page), as ``(first
    line, last line, message)``."""
    source = ex.lines(paragraph)
    items = run_in_items(paragraph, source)
    short = _short_of_the_text(ex, paragraph, items, source) if step and ex.markdown else None
    return _found(paragraph, items, ex.markdown, step, short)


def _short_of_the_text(
    ex: Extraction, paragraph: nodes.Node, items: RunInItems | None, source: SourceLines | None
) -> tuple[int, int] | None:
    """Markdown: where the run-in items' markers stand and where the text of the step they
    are under starts, when the markers stand short of it (two tabs and a star, under a tab, a
    star and four spaces): 4 columns past the list the step is in, they are more of its text,
    and only set at its text do they become its sub-list."""
    item = paragraph.parent
    start = node_line(paragraph)
    if items is None or items.how or source is None or start is None:
        return None
    if not isinstance(item, nodes.list_item) or item.index(paragraph) != 0:
        return None
    marker = ex.marker(item)
    column = source.indent(start + items.first)
    if marker is None or column is None or column >= marker.content:
        return None
    return column, marker.content


def _found(
    paragraph: nodes.Node,
    items: RunInItems | None,
    markdown: bool,
    step: str = "",
    short: tuple[int, int] | None = None,
) -> tuple[int, int, str] | None:
    """Items the page shows as lines of a paragraph, as ``(first line, last line, message)``."""
    start = node_line(paragraph)
    if items is None or start is None:
        return None
    first, last = start + items.first, start + items.last
    return first, last, run_in_items_message(items, first, last, markdown, step, short)


#: a list item's marker at the start of a line of a paragraph: ``- ``, ``* ``, ``1. ``, ``2) ``,
#: ``#. ``, ``a. ``
_ITEM = re.compile(
    r"^[ \t]*(?:(?P<bullet>[-*+\u2022])|(?P<number>\d{1,3}|#)[.)]|(?P<letter>[a-zA-Z])[.)])"
    r"[ \t]+(?P<text>\S.*)$"
)


@dataclass
class RunInItems:
    """List items written on the lines of a paragraph after its text, with no blank line
    before them: where they are (lines counted from the paragraph's first), what they say,
    and, when the markup says why they are text, how: ``lettered`` (Markdown has no lettered
    lists) or ``escaped`` (a backslash before each marker)."""

    first: int
    last: int
    ordered: bool
    texts: list[str]
    how: str = ""
    markers: list[str] = field(default_factory=list)
    #: where an item's text starts, when a line that carries an item on is typed short of it
    #: (rST then ends the item there, blank line or not)
    short_of: int | None = None


#: a step's number with its text right after it, no space between: ``1.Restart``, ``2.**Title**``
#: (as the page shows it: bold is text by then); a figure (``1.5``) goes on with a digit
_UNSPACED = re.compile(r"^[ \t]*(?P<number>\d{1,2})[.)](?P<text>[^\W\d_].*)$")


def unspaced_items(paragraph: nodes.Node) -> RunInItems | None:
    """Steps typed with no space after their numbers (``1.Restart``, ``2.Check``), from a
    paragraph's first line, numbered from 1 in turn: no markup reads such a number as a list
    marker, so the page shows one paragraph."""
    if not isinstance(paragraph, nodes.paragraph):
        return None
    lines = paragraph.astext().split("\n")
    items = [match for line in lines if (match := _UNSPACED.match(line))]
    if len(items) < 2 or not _UNSPACED.match(lines[0]):
        return None
    if [match["number"] for match in items] != [str(n) for n in range(1, len(items) + 1)]:
        return None
    markers = [line.strip()[: len(match["number"]) + 1] for line, match in zip(lines, items, strict=False)]
    return RunInItems(0, len(lines) - 1, True, [m["text"] for m in items], "unspaced", markers)


def unspaced_steps(ex: Extraction, paragraph: nodes.Node) -> tuple[int, int, str] | None:
    """The steps a paragraph holds typed with no space after their numbers, as ``(first line,
    last line, message)``."""
    return _found(paragraph, unspaced_items(paragraph), ex.markdown)


def _kind(match: re.Match[str]) -> str:
    return "bullet" if match["bullet"] else "letter" if match["letter"] else "number"


def run_in_items(paragraph: nodes.Node, source: SourceLines | None = None) -> RunInItems | None:
    """The list at the end of a paragraph that a missing blank line made more of its text: two
    items or more (one after a line that ends in a colon), bulleted, numbered from 1 (or each
    ``1.``) or lettered from ``a`` in turn, each item's wrapped lines allowed. reStructuredText needs a
    blank line before a list; Markdown only lets a numbered list that starts at 1 (or a
    bulleted one) interrupt a paragraph, has no lettered lists, and keeps a marker after a
    backslash as text. ``source``: the paragraph's file, to tell the backslash."""
    if not isinstance(paragraph, nodes.paragraph):
        return None
    lines = paragraph.astext().split("\n")
    first = next((i for i, line in enumerate(lines) if i and _ITEM.match(line)), None)
    if first is None:
        return None
    items = [(i, match) for i, line in enumerate(lines) if i >= first and (match := _ITEM.match(line))]
    kinds = {_kind(match) for _, match in items}
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    if kind == "number":
        numbers = [match["number"] for _, match in items]
        same = numbers == [numbers[0]] * len(numbers) and numbers[0] in ("#", "1")  # ``1.`` each
        if not same and numbers != [str(n) for n in range(1, len(numbers) + 1)]:
            return None
    if kind == "letter":
        letters = "".join(match["letter"] for _, match in items)
        if len(letters) < 2 or not string.ascii_letters.startswith(letters.lower()):
            return None
    if len(items) < 2 and not lines[first - 1].rstrip().endswith(":"):
        return None
    texts = [match["text"] for _, match in items]
    if kind != "bullet" and _counted_through(lines[first - 1], texts):
        return None  # numbers a sentence counts through (bullets there show as stars in it)
    markers = [lines[i].split(None, 1)[0] for i, _ in items]
    start = node_line(paragraph)
    typed = source.line(start + first) if source is not None and start is not None else None
    how = "lettered" if kind == "letter" else "escaped" if (typed or "").lstrip().startswith("\\") else ""
    short_of = _carried_on_short(source, start, first, len(lines) - 1, {i for i, _ in items})
    return RunInItems(first, len(lines) - 1, kind != "bullet", texts, how, markers, short_of)


def _carried_on_short(
    source: SourceLines | None, start: int | None, first: int, last: int, item_lines: set[int]
) -> int | None:
    """Where the items' text starts, when a line carrying one of them on (counted from the
    paragraph's first) is indented short of it: a blank line before the list is not enough."""
    if source is None or start is None:
        return None
    column = None
    for index in range(first, last + 1):
        if index in item_lines:
            marker = source.marker(start + index, rst=True)
            column = marker.content if marker is not None else None
            continue
        indent = source.indent(start + index)
        if column is not None and indent is not None and indent < column:
            return column
    return None


#: the end of an item a sentence goes on from into the next: "... here too and", "... first,"
_GOES_ON = re.compile(r"(?:[,;]|\band|\bor)\s*$", re.I)


def _counted_through(before: str, texts: list[str]) -> bool:
    """Whether the items are what one sentence counts through ("anyone will / 1) have an
    account and / 2) log in."): the line before stops mid-sentence, on a word, and each item
    but the last goes on into the next. One paragraph, as meant."""
    stripped = before.rstrip()
    return bool(stripped) and stripped[-1].isalnum() and all(_GOES_ON.search(t) for t in texts[:-1])


def run_in_items_message(
    items: RunInItems,
    first: int | None,
    last: int | None,
    markdown: bool,
    step: str = "",
    short: tuple[int, int] | None = None,
) -> str:
    """What to tell the author of list items run into the paragraph above them (or into the
    text of ``step``). Markdown lets a list interrupt a paragraph unless its markers are
    indented 4 spaces or more, lettered, or escaped."""
    kind = "numbered" if items.ordered else "bulleted"
    many = first is not None and last is not None and last > first
    lines = f"lines {first}-{last}" if many else f"line {first}"
    if items.how == "unspaced":
        shown = ", ".join(f"`{marker}`" for marker in items.markers[:3])
        return (
            f"{lines} open with {shown} and no space after the number, so no markup reads them "
            "as list items: the page shows them as one paragraph; put a space after each number"
        )
    where = f"{lines} are {kind} list items" if many else f"{lines} is a {kind} list item"
    them = "them" if many else "it"
    under = f"the text of {step}" if step else "a paragraph"
    indented = " indented to the text above" if step else ""
    if markdown and items.how == "lettered":
        letters = ", ".join(f"`{marker}`" for marker in items.markers[:3])
        return (
            f"{lines} open with {letters} right under {under}, but Markdown has no lettered "
            f"lists: the page shows {them} as more of its text, not a list; write {them} as a list "
            f"(`1.`, `2.` or `-`){indented}"
        )
    if markdown and items.how == "escaped":
        return (
            f"{where} written with a backslash before the marker (`\\{items.markers[0]}`) right "
            f"under {under}: the backslash keeps the marker as text, so the page shows {them} as "
            f"more of its text, not a list; remove the backslash{'es' if many else ''}"
        )
    if markdown and short is not None:
        column, text = short
        return (
            f"{where} typed at column {column}, right under {under} but short of it (column {text}), "
            f"so Markdown reads {them} as more of its text, not a list: the page shows one "
            f"paragraph; indent {them} by {spaces(text - column)} more, to column {text}, to make "
            f"{them} its sub-list"
        )
    if markdown:
        return (
            f"{where} indented 4 spaces or more right under {under}, so Markdown reads {them} "
            "as more of its text, not a list: the page shows one paragraph; indent "
            f"{them} less than 4 spaces (a blank line alone would make {them} a code block)"
        )
    carry_on = (
        f", and indent the lines that carry each item on to column {items.short_of}, where its text starts"
        if items.short_of is not None
        else ""
    )
    return (
        f"{where} written right under {under} with no blank line, so reStructuredText reads "
        f"{them} as more of its text, not a list: the page shows one paragraph; put a blank line "
        f"before the first item{carry_on}"
    )
