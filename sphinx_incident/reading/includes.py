"""Line numbers of a part of a file included into a reStructuredText page.

docutils numbers the lines of a file included from a marker on (``:start-after:``,
``:start-line:``) from the marker, not from the top of the file (its include directive
says so in a note of its own). Every line it gives there names another line of the file:
the build's warnings do, and so would every finding that compares a list with the lines
the author typed. Sphinx hands the part it is about to parse to ``include-read``; the part
is placed back where it stands in the file by blank lines before it, which rST reads as
nothing, so each line the parser numbers is the file's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: what docutils reads as a space before it numbers the lines
_WHITESPACE = re.compile("[\v\f]")
#: docutils' tab width for an included file, unless the directive names another
_TAB_WIDTH = 8


def _lines(text: str) -> list[str]:
    """The lines as the rST parser holds them: tabs expanded, no spaces at the ends."""
    return [line.expandtabs(_TAB_WIDTH).rstrip() for line in _WHITESPACE.sub(" ", text).splitlines()]


def lines_before(part: Sequence[str], whole: Sequence[str]) -> int:
    """How many lines of ``whole`` stand before ``part`` (0 when ``part`` is not a part of
    it, or starts it). The part's first line may be the end of a line of the file (the text
    after a ``:start-after:`` marker), its last the start of one (before ``:end-before:``)."""
    count = len(part)
    if not count or count > len(whole):
        return 0
    first, last = part[0], part[-1]
    for start in range(len(whole) - count + 1):
        if count == 1:
            if first in whole[start]:
                return start
            continue
        if (
            whole[start].endswith(first)
            and (count < 3 or whole[start + 1] == part[1])
            and whole[start + 1 : start + count - 1] == list(part[1:-1])
            and whole[start + count - 1].startswith(last)
        ):
            return start
    return 0


def place_included_part(app: Sphinx, relative_path: Path, docname: str, content: list[str]) -> None:
    """``include-read``: put blank lines before a part of a file so that its lines are
    numbered as the file's. A whole file (and MyST's include, which hands over the whole
    file and numbers its part itself) is left as it is, and so is a part this cannot find
    in the file on disk (another extension changed it)."""
    part = _lines(content[0])
    if not any(part):
        return
    try:
        with open(Path(app.srcdir) / relative_path, encoding="utf-8-sig") as handle:
            whole = _lines(handle.read())
    except (OSError, UnicodeDecodeError):
        return
    before = lines_before(part, whole)
    if before:
        content[0] = "\n" * before + content[0]
