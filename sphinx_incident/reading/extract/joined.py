"""A line Markdown joins to the list item above it (``joined_line``): written with no blank
line under the item and indented less than the item's text, CommonMark reads it as more of
the item's paragraph (a lazy continuation line), so the page shows it inside the item.

Reported only where what the line is for shows in the source, not from its words alone (a
sentence under an item is as often the item's own, written unindented):

- the lead-in of a list, typed between two runs of items of one list ("Leave these as they
  are:"): joined to the item above it, it merges the two lists into one;
- a remark indented to the text of the item a sub-list is in, right under that sub-list's last
  item: the author set it for the outer item, the page puts it in the last sub-item;
- a lead-in ending in a colon, typed right under the last item of a list, whose example, code
  or list comes after a blank line outside the item: what it announces is not the item's, so
  the lead-in was meant after the list, where the page does not show it.
"""

from __future__ import annotations

import re

from docutils import nodes

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
#: what the third case's message calls its line
_LEADS_OUT = "the lead-in of what comes after the list"
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
            closing = last and outer is None and paragraph is item.children[-1]
            found = _joined_line(extractor, paragraph, marker, outer, closing)
            if found is None:
                continue
            line, end, what = found
            # named by the words of its first line: the joined line is in the same paragraph
            name = named(extractor.noun, item.astext().split("\n")[0], extractor.item_line(item))
            extractor.defect(
                "joined_line",
                paragraph,
                line,
                f"line {line}, {what}, is typed right under {name} with no blank line between, "
                f"so Markdown reads it as more of that {extractor.noun}'s text and the page shows "
                f"it inside the {extractor.noun}; put a blank line before it",
                end_line=end,
            )
            break  # one finding per item


def lead_in_joined_from_margin(extractor: Extraction, paragraph: nodes.paragraph, marker: Marker) -> bool:
    """Whether the paragraph, the last of the last item of a list in no other list, ends with a
    lead-in typed at the margin under the item and joined to it, whose block comes after the
    list: that block is the lead-in's, not the item's (third case above)."""
    found = _joined_line(extractor, paragraph, marker, None, closing=True)
    return found is not None and found[2] == _LEADS_OUT


def _outer_marker(extractor: Extraction, item: nodes.Element) -> Marker | None:
    """The marker of the item the list of ``item`` is in, if it is in one."""
    lst = item.parent
    holder = lst.parent if lst is not None else None
    return extractor.marker(holder) if isinstance(holder, nodes.list_item) else None


def _joined_line(
    extractor: Extraction, paragraph: nodes.paragraph, marker: Marker, outer: Marker | None, closing: bool
) -> tuple[int, int, str] | None:
    """The line of the paragraph Markdown joined to the item, the paragraph's last line and
    what the line is for; ``outer``: the marker of the item the list is in, for a last item;
    ``closing``: the paragraph ends the last item of a list in no other list."""
    source = extractor.lines(paragraph)
    start, end = extractor.first_line(paragraph), last_line(extractor, paragraph)
    if source is None or start is None or end is None or end <= start:
        return None
    for number in range(start + 1, end + 1):
        column = source.indent(number)
        if column is None:
            return None  # a blank line: the paragraph is not one stretch of lines
        if column >= marker.content:
            continue  # indented as the item's text: the author's own continuation
        if column > marker.indent or not _new_sentence(source, number):
            return None  # the item's text wrapped less indented: written as the item's
        text = (source.line(number) or "").rstrip()
        after = source.marker(number + 1)
        if text.endswith(":") and after is not None and after.indent == marker.indent:
            same = after.text == marker.text or (
                after.typed is not None and marker.typed is not None and after.text[-1] == marker.text[-1]
            )  # CommonMark carries a list on over a marker of its kind: the same bullet, or delimiter
            return (
                number,
                end,
                "the lead-in of the items after it" + (", which join the list above" if same else ""),
            )
        if outer is not None and outer.content <= column:
            return number, end, "set for the item its list is in"
        if closing and _leads_out(source, end, marker):
            return number, end, _LEADS_OUT
        return None
    return None


def _leads_out(source: SourceLines, end: int, marker: Marker) -> bool:
    """Whether the paragraph ending at line ``end`` leads in to a block after it (it ends in a
    colon) that is set outside the item (left of its text), so not in the item it is joined to:
    not a heading, which no lead-in announces, nor the end of the page."""
    if not (source.line(end) or "").rstrip().endswith(":"):
        return False
    number = end + 1
    while source.line(number) is not None and source.indent(number) is None:
        number += 1
    column = source.indent(number)
    if column is None or column >= marker.content:
        return False
    return not HEADING.match(source.line(number) or "")


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
