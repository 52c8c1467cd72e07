"""A line Markdown joins to the list item above it (``joined_line``): written with no blank
line under the item and indented less than the item's text, CommonMark reads it as more of
the item's paragraph (a lazy continuation line), so the page shows it inside the item.

Reported only where what the line is for shows in the source, not from its words alone (a
sentence under an item is as often the item's own, written unindented):

- the lead-in of a list, typed between two runs of items of one list ("Leave these as they
  are:"): joined to the item above it, it merges the two lists into one;
- a remark indented to the text of the item a sub-list is in, right under that sub-list's last
  item: the author set it for the outer item, the page puts it in the last sub-item;
- a lead-in ending in a colon, typed right under the last item of a list, whose code, example
  or text comes after a blank line outside the item: the page shows the lead-in inside the
  item and what it announces apart from it. Either both are the item's (the block is set
  too little) or both come after the list (the lead-in lacks its blank line); the source
  cannot say which, so the message gives both fixes. A list after the lead-in is left to
  the rules of sub-lists set too little.
"""

from __future__ import annotations

import re

from docutils import nodes

from ..doctree import plain_text
from ..list_source import Marker, SourceLines
from .context import Extraction
from .names import named
from .places import last_line
from .unclosed import HEADING

#: a line that opens a sentence of its own: a capital letter, bold or a code span first
_OPENS_SENTENCE = re.compile(r"^(?:\*\*|__|`)?[A-Z]")
#: how a line ends when the sentence goes on past it (a comma, a joining word)
_GOES_ON = re.compile(
    r"(?:[,;(/&+\-\u2013\u2014]|\b(?:a|an|and|as|at|by|for|from|in|into|of|on|or|the|to|with))$", re.I
)
#: how a line ends when it ends a sentence
_ENDS = re.compile(r"[.!?)`*_\]]$")
#: a line the author ends with a line break (two spaces or a backslash): the next line is
#: more of the paragraph on purpose, shown under it
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")
#: a line this long that stops without ending a sentence is taken as wrapped by its author
_WRAPPED = 60


def joined_to_items(extractor: Extraction, root: nodes.Element) -> None:
    """Markdown: each list item whose paragraph holds a lead-in of the items after it, or a
    remark set for the item its list is in (the two cases above), joined to it from a column
    left of its text. Reported once per item, at that line."""
    if not extractor.markdown:
        return
    for item in root.findall(nodes.list_item):
        marker = extractor.marker(item)
        if marker is None:
            continue
        last = item.parent is not None and item is item.parent.children[-1]
        outer = _outer_marker(extractor, item) if last else None
        for paragraph in (c for c in item.children if isinstance(c, nodes.paragraph)):
            ends_item = paragraph is item.children[-1]
            # a remark for the outer item ends its sub-item: one the item goes on after is its own
            found = _joined_line(
                extractor,
                paragraph,
                marker,
                outer if ends_item else None,
                last and outer is None and ends_item,
            )
            if found is None:
                continue
            line, end, what, block = found
            # named by the words of its first line: the joined line is in the same paragraph
            name = named(extractor.noun, plain_text(item).split("\n")[0], extractor.item_line(item))
            noun = extractor.noun
            said = (
                f"line {line}, {what}, is typed right under {name} with no blank line between, "
                f"so Markdown reads it as more of that {noun}'s text and the page shows it inside "
                f"the {noun}"
            )
            if block is None:
                fix = "; put a blank line before it"
            else:
                fix = (
                    f", apart from what it leads in to (line {block}), which is set outside the {noun}: "
                    f"if both are the {noun}'s, indent the block at line {block} to the {noun}'s text "
                    f"(column {marker.content}); if both follow the list, put a blank line before "
                    f"line {line}"
                )
            extractor.defect("joined_line", paragraph, line, said + fix, end_line=end)
            break  # one finding per item


def _outer_marker(extractor: Extraction, item: nodes.Element) -> Marker | None:
    """The marker of the item the list of ``item`` is in, if it is in one."""
    lst = item.parent
    holder = lst.parent if lst is not None else None
    return extractor.marker(holder) if isinstance(holder, nodes.list_item) else None


def _joined_line(
    extractor: Extraction, paragraph: nodes.paragraph, marker: Marker, outer: Marker | None, closing: bool
) -> tuple[int, int, str, int | None] | None:
    """The line of the paragraph Markdown joined to the item, the paragraph's last line, what
    the line is for and, for a lead-in whose block is set outside the item, that block's
    line; ``outer``: the marker of the item the list is in, for a last item; ``closing``: the
    paragraph ends the last item of a list in no other list."""
    source = extractor.lines(paragraph)
    start, end = extractor.first_line(paragraph), last_line(extractor, paragraph)
    if source is None or start is None or end is None or end <= start:
        return None
    for number in range(start + 1, end + 1):
        column = source.indent(number)
        if column is None:
            return None  # a blank line: the paragraph is not one stretch of lines
        if column >= marker.content or _HARD_BREAK.search(source.line(number - 1) or ""):
            continue  # indented as the item's text, or on a line the author broke: their own
        if column > marker.indent or not _new_sentence(source, number):
            return None  # the item's text wrapped less indented: written as the item's
        text = (source.line(number) or "").rstrip()
        after = source.marker(number + 1)
        if text.endswith(":") and after is not None and after.indent == marker.indent:
            same = after.text == marker.text or (
                after.typed is not None and marker.typed is not None and after.text[-1] == marker.text[-1]
            )  # CommonMark carries a list on over a marker of its kind: the same bullet, or delimiter
            what = "the lead-in of the items after it" + (", which join the list above" if same else "")
            return number, end, what, None
        if outer is not None and outer.content <= column:
            return number, end, "set for the item its list is in", None
        if closing and (block := _led_in_block(source, end, marker)) is not None:
            return number, end, "a lead-in", block
        return None
    return None


def _led_in_block(source: SourceLines, end: int, marker: Marker) -> int | None:
    """The line of the block the paragraph ending at line ``end`` leads in to (it ends in a
    colon), where that block is set at or left of the item's marker, so outside the item the
    lead-in is joined to; not a heading, which no lead-in announces, nor a list (a sub-list
    set too little, which its own rules report), nor the end of the page."""
    if not (source.line(end) or "").rstrip().endswith(":"):
        return None
    number = end + 1
    while source.line(number) is not None and source.indent(number) is None:
        number += 1
    column = source.indent(number)
    if column is None or column > marker.indent or source.marker(number) is not None:
        return None
    return None if HEADING.match(source.line(number) or "") else number


def _new_sentence(source: SourceLines, number: int) -> bool:
    """Whether the line opens a sentence of its own, not one the line above goes on with (it
    stops on a joining word, or is a long line that stops without ending its sentence: the
    author wrapped it there), nor the text a label or lead-in ending that line in a colon
    awaits."""
    text = (source.line(number) or "").strip()
    above = (source.line(number - 1) or "").rstrip()
    if not _OPENS_SENTENCE.match(text) or source.marker(number) is not None:
        return False
    if above.endswith(":") or _GOES_ON.search(above):
        return False
    return bool(_ENDS.search(above)) or len(above) < _WRAPPED
