"""Reading a list's source lines: where its markers stand and where each item's content starts.

CommonMark puts an item's content at the column after its marker and the
spaces that follow it (``1. `` -> 3, ``10. `` -> 4, ``- `` -> 2); a
continuation indented less than that is not part of the item. The parsed
doctree only shows the result; these pure functions read the author's
indentation from the source lines, so the extraction can tell what the
author meant and say exactly how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: a list item's first line: indentation, the marker, the spaces after it
_MARKER = re.compile(
    r"^(?P<indent>[ \t]*)"
    r"(?P<marker>(?P<number>\d{1,9}|#|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})[.)]|\((?:\d{1,9}|#|[a-zA-Z])\)|[-*+\u2022])"
    r"(?P<space>[ \t]+|$)"
)
#: CommonMark: more than four spaces after a marker start an indented code block
_MAX_GAP = 4


@dataclass(frozen=True)
class Marker:
    """A list marker as written on its source line."""

    #: the column the marker starts at
    indent: int
    #: the marker itself: ``1.``, ``#.``, ``-``
    text: str
    #: the column the item's content starts at
    content: int
    #: the number typed (``"10"``, ``"#"``), ``None`` for bullets
    typed: str | None


#: the quotation markers that open a Markdown line: ``>``, each perhaps after up to three spaces and
#: with the one space after it that belongs to it
_QUOTE = re.compile(r"^(?: {0,3}> ?)+")


class SourceLines:
    """The lines of one source file, numbered from 1 like the parsers' ``line``."""

    def __init__(self, text: str) -> None:
        self.lines = [line.expandtabs(4) for line in text.splitlines()]
        self._unquoted: SourceLines | None = None

    def unquoted(self) -> SourceLines:
        """The lines with Markdown's quotation markers (``> ``, ``> > ``) at their start as
        spaces: inside a quotation, the columns of its lists and of what their items hold, as
        they are read once the markers are taken off, and as they would be without them."""
        if self._unquoted is None:
            view = SourceLines("")
            view.lines = [_QUOTE.sub(lambda m: " " * len(m.group()), line) for line in self.lines]
            view._unquoted = view
            self._unquoted = view
        return self._unquoted

    def line(self, number: int | None) -> str | None:
        if number is None or not 1 <= number <= len(self.lines):
            return None
        return self.lines[number - 1]

    def indent(self, number: int | None) -> int | None:
        """The column the line's text starts at; ``None`` for a blank or missing line."""
        text = self.line(number)
        if text is None or not text.strip():
            return None
        return len(text) - len(text.lstrip(" "))

    def marker(self, number: int | None, start: int = 0, rst: bool = False) -> Marker | None:
        """The list marker that opens the line (from column ``start``: the marker of a list
        that starts on its parent item's line, ``- - text``), if any; ``rst`` reads the
        item's text column as reStructuredText does (any number of spaces after the marker)."""
        text = self.line(number)
        if text is None:
            return None
        match = _MARKER.match(text[start:])
        if match is None:
            return None
        indent = start + len(match["indent"])
        end = indent + len(match["marker"])
        gap = len(match["space"])
        # rST puts the item's text wherever the first line's text starts
        fits = 1 <= gap <= _MAX_GAP or (rst and gap >= 1)
        content = end + (gap if fits and text[end + gap :].strip() else 1)
        typed = match["number"] if match["number"] is not None else None
        return Marker(indent, match["marker"], content, typed)

    def first_text_line(self, start: int, stop: int | None = None) -> int | None:
        """The first non-blank line from ``start`` (up to ``stop``, excluded)."""
        last = len(self.lines) if stop is None else min(stop - 1, len(self.lines))
        for number in range(max(start, 1), last + 1):
            if self.lines[number - 1].strip():
                return number
        return None

    def first_text_line_above(self, line: int) -> int | None:
        """The nearest non-blank line above ``line``."""
        for number in range(min(line, len(self.lines) + 1) - 1, 0, -1):
            if self.lines[number - 1].strip():
                return number
        return None


def spaces(count: int) -> str:
    return f"{count} space{'' if count == 1 else 's'}"


def markers_in(lines: SourceLines, numbers: Sequence[int | None]) -> list[Marker | None]:
    return [lines.marker(number) for number in numbers]
