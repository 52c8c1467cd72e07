"""An rST comment typed at the margin between a step's lines.

A comment (``.. a remark``) takes every indented line after it as its own text,
blank lines or not. Typed at the margin under a step, it ends the list, and the
step's next lines, indented as the step's text is, become the comment's: the
page does not show them, and the parser says nothing. The list after them
starts again. One mistake: reported once, where the comment is.
"""

from __future__ import annotations

import re

from docutils import nodes

from ..list_source import SourceLines, spaces
from .carrying import continues
from .context import Extraction
from .places import resumes
from .steps import Draft, step_label

#: a comment's first line: ``..`` and some text that is not a directive's or a target's
_COMMENT = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+(?!_)(?!\[)(?!\|)(?![\w:.+-]+::)\S")
#: a comment's text that is markup put out of the page on purpose: an item, a directive
_MARKUP = re.compile(r"^(?:[-*+]|#\.|\d+[.)]|\.\.)(?:\s|$)")
#: a section title's underline: a heading put out of the page on purpose, not a step's lines
_UNDERLINE = re.compile(r"^[ \t]*([=\-~^\"'`#*+<>_:.])\1{3,}[ \t]*$")
#: how far above the line docutils gives a comment its first line may be
_REACH = 200


def _opening(source: SourceLines, comment: nodes.comment) -> int | None:
    """The line a comment starts on: docutils numbers it from the end of its text."""
    first = comment.astext().split("\n", 1)[0].strip()
    if not first or comment.line is None or _MARKUP.match(first):
        return None  # a step or a block commented out on purpose
    for number in range(min(comment.line, len(source.lines)), max(comment.line - _REACH, 0), -1):
        text = source.line(number) or ""
        if _COMMENT.match(text) and text.strip()[2:].strip() == first:
            return number
    return None


def hidden_by_comment(
    ex: Extraction,
    comment: nodes.Node,
    previous: Draft | None,
    last_list: list[Draft],
    following: nodes.Node | None,
) -> bool:
    """Report a comment at the margin under ``previous`` (the step read last, in
    ``last_list``) that takes lines indented as that step's text; ``following``: the list
    after it. True when reported and that list carries the steps on."""
    if ex.markdown or not isinstance(comment, nodes.comment) or previous is None or previous.marker is None:
        return False
    source = ex.lines(comment)
    start = _opening(source, comment) if source is not None else None
    if source is None or start is None:
        return False
    indent, column = source.indent(start), previous.marker.content
    if indent is None or indent >= column:
        return False
    hidden = [
        number
        for number in range(start + 1, start + comment.astext().count("\n") + 2)
        if (source.indent(number) or 0) >= column and not (source.line(number - 1) or "").strip()
    ]
    if not hidden:
        return False
    end = start + comment.astext().count("\n")
    while end > hidden[0] and not (source.line(end) or "").strip():
        end -= 1
    if any(_UNDERLINE.match(source.line(number) or "") for number in range(hidden[0] + 1, end + 1)):
        return False  # a heading commented out with what is under it: meant to be off the page
    name = step_label(previous)
    carries_on = isinstance(following, nodes.Element) and continues(last_list, following, ex)
    then, related = resumes(last_list, following) if carries_on else ("", ())
    lines, them = (f"line {end}", "it") if end == hidden[0] else (f"lines {hidden[0]}-{end}", "them")
    ex.defect(
        "outdented_body",
        comment,
        start,
        f"the comment at line {start} is not indented to the text of {name}, so it ends the list "
        f"and takes {lines} as its own text: the page does not show {them}; indent the comment by "
        f"{spaces(column - indent)} to keep {'both' if them == 'it' else 'it and them'} in {name}{then}",
        related,
        end,
    )
    return carries_on
