"""Steps hidden in a paragraph: a numbered line that is not a list item, and numbers folded
into the paragraph above (a lazy continuation line) or typed inline after a sentence."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from docutils import nodes

from ...model.numbers import BRACKETED_SUFFIX, ESCAPED_SUFFIX
from ..doctree import LISTS, clean, inline_children, node_line, text_of
from ..imperative import is_imperative

_Numbered = TypeVar("_Numbered")

#: what follows a step's number: "7." "7)" "7:" "7.)"
SEPARATOR = r"(?:\.\)|[.):])"
#: "7 **Title**", "7: Title", "7) Title", "7. Title", "7.) Title", "7- Title" at the start of a
#: paragraph (a dash is no list marker after a number; without a space before it, it is no
#: range either, "5 - 10 minutes", so it stands as a bare number does)
_STEP_LIKE = re.compile(rf"^\s*(?P<number>\d{{1,4}})(?:\s*(?P<sep>{SEPARATOR})|-)?\s+")
#: a step's number with its text right after it, no space between: "3.Edit the file"
_UNSPACED_STEP = re.compile(r"^\s*(?P<number>\d{1,2})[.)](?=[^\W\d_])")
#: rST's auto-numbered marker opening a paragraph: an item that rST did not read as one
_AUTO_NUMBERED = re.compile(rf"^\s*#{SEPARATOR}\s+")
#: a number in brackets that opens a paragraph: "(7) Title" (rST reads it as an item, Markdown not)
_PARENTHESISED = re.compile(r"^\s*\((?P<number>\d{1,2})\)\s+(?=\S)")
#: a number in bold or italic that opens a paragraph: "**7.** Title"
_BOLD_NUMBER = re.compile(rf"^\s*(?P<number>\d{{1,4}})\s*{SEPARATOR}\s*$")


def bold_number(node: nodes.Node) -> str | None:
    """The number a bold or italic ``**7.**`` opening a paragraph holds, else ``None``."""
    if not isinstance(node, nodes.strong | nodes.emphasis):
        return None
    match = _BOLD_NUMBER.match(node.astext())
    return match.group("number") if match else None


def step_like(paragraph: nodes.Node) -> str | None:
    """The number of a paragraph that reads like a numbered step, else ``None``.

    ``7 **Title**`` (no period, so Markdown makes it a paragraph), ``7: Title``,
    ``7.) Title``, ``(7) Title``, ``**7.** Title``, ``7.Title`` (no space after the number) and
    friends.
    A bare number followed by plain prose ("30 minutes later") is not a step: without a
    separator (or with a dash, ``7- Restart the agent``) the number must be followed by
    bold, or by an instruction ("7 Restart the agent").
    """
    if not isinstance(paragraph, nodes.paragraph) or not paragraph.children:
        return None
    first = paragraph.children[0]
    opening = inline_children(paragraph)[:2]
    if len(opening) == 2 and isinstance(opening[0], nodes.strong | nodes.emphasis):
        return bold_number(opening[0])
    if not isinstance(first, nodes.Text):
        return None
    bold_next = len(paragraph.children) > 1 and isinstance(paragraph[1], nodes.strong)
    parenthesised = _PARENTHESISED.match(str(first))
    if parenthesised:
        return parenthesised.group("number")
    match = _STEP_LIKE.match(str(first))
    if not match:
        # "3.Edit the file": no space after the number, so no markup reads it as an item
        unspaced = _UNSPACED_STEP.match(str(first))
        if unspaced and is_imperative(paragraph.astext()[unspaced.end() :]):
            return unspaced.group("number")
        return None
    if match.group("sep"):
        return match.group("number")
    rest = str(first)[match.end() :]
    if not rest.strip() and bold_next:
        return match.group("number")
    # "1 Add the hook": a number without its dot, then an instruction (not "30 minutes later")
    text = paragraph.astext()
    bare = _STEP_LIKE.match(text)
    if bare and len(bare.group("number")) <= 2 and is_imperative(text[bare.end() :]):
        return bare.group("number")
    return None


def auto_numbered(paragraph: nodes.Node) -> bool:
    """Whether a paragraph opens with ``#.``: an auto-numbered item that is no list item
    (its text wrapped to the margin), which the page shows with the ``#.`` as text."""
    if not isinstance(paragraph, nodes.paragraph) or not paragraph.children:
        return False
    first = paragraph.children[0]
    return isinstance(first, nodes.Text) and _AUTO_NUMBERED.match(str(first)) is not None


@dataclass
class SplitPoint:
    """Where a paragraph holds the start of another step: the child, the offset in it."""

    child: int
    offset: int
    number: str
    line: int | None
    #: ``folded``: at the start of a line (a lazy continuation line);
    #: ``inline``: typed after a sentence, in the middle of a line
    kind: str
    #: the step's first words, as written (``**Next step**``)
    text: str


#: a number at the start of a line inside a paragraph: "\n7 **Title**", "\n7. Title", "\n7.**Title**"
_FOLDED = re.compile(r"\n[ \t]*(?P<number>\d{1,4})[ \t]*(?P<sep>[.):]?)(?P<gap>[ \t]*)")


#: what any split point needs somewhere in the text
_MAYBE_SPLIT = re.compile(r"\n[ \t]*\d|[.!?;:)][ \t\n]+\d")


#: a number typed after a sentence: "... the pod. 4. Check the logs."
_INLINE = re.compile(r"(?<=[.!?;:)])[ \t\n]+(?P<number>\d{1,3})[.)](?P<gap>[ \t\n]+)")


def _merged(paragraph: nodes.Element) -> list[nodes.Node]:
    """A paragraph's children with adjacent text joined: MyST gives each soft line break
    a text node of its own, and a folded line starts right after one."""
    merged: list[nodes.Node] = []
    for child in paragraph.children:
        if isinstance(child, nodes.Text) and merged and isinstance(merged[-1], nodes.Text):
            merged[-1] = nodes.Text(str(merged[-1]) + str(child))
        else:
            merged.append(child)
    return merged


def split_points(paragraph: nodes.Element) -> list[SplitPoint]:
    """Places inside a paragraph (after its start) that read like the start of a numbered step.

    Markdown folds ``7 **Next step**`` into the paragraph above it when the
    period is missing (a lazy continuation line); authors also type the next
    steps' numbers inline. The caller decides which ``inline`` ones are steps.
    """
    if not _MAYBE_SPLIT.search(text_of(paragraph)):
        return []  # most paragraphs: one look at the text is enough
    children = _merged(paragraph)
    base = node_line(paragraph)
    found: list[SplitPoint] = []
    breaks = 0
    for index, child in enumerate(children):
        if not isinstance(child, nodes.Text):
            breaks += text_of(child).count("\n")
            continue
        text = str(child)
        following = children[index + 1] if index + 1 < len(children) else None
        emphasised = isinstance(following, nodes.strong | nodes.emphasis)
        for match in _FOLDED.finditer(text):
            after = text[match.end() :]
            if after.strip():
                if not (match["sep"] and match["gap"]):
                    continue  # "2.5 GB", "10 minutes": not a step
                words = after.split("\n", 1)[0]
            elif emphasised and following is not None:
                words = f"**{following.astext()}**"
            else:
                continue
            line = base + breaks + text.count("\n", 0, match.start() + 1) if base else None
            found.append(SplitPoint(index, match.start() + 1, match["number"], line, "folded", clean(words)))
        for match in _INLINE.finditer(text):
            after = text[match.end() :]
            if not after.strip() and not emphasised:
                continue
            line = base + breaks + text.count("\n", 0, match.start("number")) if base else None
            words = after.split("\n", 1)[0] if after.strip() else f"**{following.astext()}**"  # type: ignore[union-attr]
            found.append(
                SplitPoint(index, match.start("number"), match["number"], line, "inline", clean(words))
            )
        breaks += text.count("\n")
    found.sort(key=lambda p: (p.child, p.offset))
    return found


#: how far past its step's number a line folded into the step may be numbered and still be a step
_FOLD_REACH = 9
#: the highest number a line folded into text that is no numbered step may have and be a step
_FOLD_MOST = 99


def could_be_step(found: str, number: str | None) -> bool:
    """Whether a line folded into the text of step ``number`` (``None``: text that is no
    numbered step) with the number ``found`` can be a step the author lost there: numbered
    as a few steps on, not as a year or a count that a sentence wrapped onto the line's
    start ("… VLAN IDs above / 1000. Since …")."""
    most = int(number) + _FOLD_REACH if number is not None and number.isdigit() else _FOLD_MOST
    return int(found) <= most


def numbered_lines(paragraph: nodes.Element, number: str | None = None) -> list[tuple[str, int | None, str]]:
    """Lines inside a paragraph (after its first) that read like a numbered step, in the text of
    step ``number``: (number, line, text)."""
    return [
        (p.number, p.line, p.text)
        for p in split_points(paragraph)
        if p.kind == "folded" and could_be_step(p.number, number)
    ]


def counted_from_one(folded: list[_Numbered], number: Callable[[_Numbered], str]) -> list[_Numbered]:
    """Of the numbered lines folded into a bullet's text, those numbered 1, 2, 3... from the
    first: steps typed there with no blank line. A bullet has no number to go on from, so a
    line that starts with any other number is a sentence wrapped onto it ("... RFC / 7. As
    said ...")."""
    kept: list[_Numbered] = []
    for found in folded:
        if number(found) != str(len(kept) + 1):
            break
        kept.append(found)
    return kept


def split_children(paragraph: nodes.Element, points: list[SplitPoint]) -> list[nodes.paragraph]:
    """Copies of a paragraph cut at the points: the text before the first, then one per point.

    The doctree is left alone; the copies carry the line each part starts on."""
    children = _merged(paragraph)
    parts: list[nodes.paragraph] = []
    cuts = [(p.child, p.offset, p.line) for p in points]
    start: tuple[int, int] = (0, 0)
    lines = [node_line(paragraph), *(p.line for p in points)]
    for (child, offset, _), line in zip([*cuts, (len(children), 0, None)], lines, strict=True):
        part = nodes.paragraph()
        part.source, part.line = paragraph.source, line
        for index in range(start[0], min(child + 1, len(children))):
            node = children[index]
            if isinstance(node, nodes.Text):
                text = str(node)
                lo = start[1] if index == start[0] else 0
                hi = offset if index == child else len(text)
                if text[lo:hi]:
                    part += nodes.Text(text[lo:hi])
            elif index < child or (index == child and offset > 0):
                if index >= start[0] and not (index == start[0] and start[1] > 0):
                    part += node.deepcopy()
        parts.append(part)
        start = (child, offset)
    return parts


#: "a. Check the class", "b) Edit the claim": a lettered step, which Markdown does not read as a list
_LETTERED = re.compile(r"^\s*(?P<letter>[a-zA-Z])[.)]\s+\S")


def lettered_paragraphs(blocks: list[nodes.Node]) -> list[tuple[str, int | None]]:
    """The paragraphs among ``blocks``, or lines of them, that open with the letters ``a.``,
    ``b.``... in turn, two or more: sub-steps lettered as on paper, which Markdown shows as
    paragraphs, or as more of the text they run on from (``(letter, line)`` each; empty when
    there are none)."""
    found: list[tuple[str, int | None]] = []
    for _, text, line in _paragraph_lines(blocks):
        match = _LETTERED.match(text)
        if match is None:
            continue
        letter = match["letter"]
        expected = chr(ord(found[-1][0]) + 1) if found else ("a" if letter.islower() else "A")
        if letter != expected:
            return found if len(found) >= 2 else []
        found.append((letter, line))
    return found if len(found) >= 2 else []


def _paragraph_lines(blocks: list[nodes.Node]) -> Iterator[tuple[int, str, int | None]]:
    """Each line of the paragraphs among ``blocks``: where it stands in its paragraph, its
    text, and its line in the source."""
    for block in blocks:
        if not isinstance(block, nodes.paragraph):
            continue
        start = node_line(block)
        for offset, text in enumerate(text_of(block).split("\n")):
            yield offset, text, start + offset if start is not None else None


def lettered_message(lettered: list[tuple[str, int | None]], step: str) -> str:
    """What to tell the author of sub-steps lettered ``a.``, ``b.`` in Markdown."""
    letters = ", ".join(f"`{letter}.`" for letter, _ in lettered)
    lines = ", ".join(str(line) for _, line in lettered if line is not None)
    return (
        f"lines {lines} of {step} open with {letters}: Markdown has no lettered "
        "lists, so they are text of the step, not sub-steps to tick; write them as a "
        "sub-list (`1.`, `2.`, ... or `-`) indented to the step's text"
    )


#: a part of a step numbered as on paper, on a line of its text: ``3.1 Add the users``
_PART = re.compile(r"^\s*(?P<step>\d{1,2})\.(?P<part>\d{1,2})\.?\s+\S")


def numbered_parts(blocks: list[nodes.Node], number: str | None) -> list[tuple[str, int | None]]:
    """The lines of a step's paragraphs, after the first of each, that open with the step's
    number and a part's (``3.1``, ``3.2`` in step 3), in turn from 1: its sub-steps numbered as
    on paper, which no markup reads as list items, so the page runs them into the text above
    them (``(number, line)`` each; empty when there are none). A paragraph of its own that
    opens so shows as the author numbered it."""
    found: list[tuple[str, int | None]] = []
    if number is None or not number.isdigit():
        return found
    for offset, text, line in _paragraph_lines(blocks):
        match = _PART.match(text)
        if match is None or match["step"] != number or not offset:
            continue  # a paragraph of its own that opens with the number shows as numbered
        if int(match["part"]) != len(found) + 1:
            return found
        found.append((f"{number}.{match['part']}", line))
    return found


def parts_message(parts: list[tuple[str, int | None]], step: str) -> str:
    """What to tell the author of a step's parts numbered ``3.1``, ``3.2`` on lines of its text."""
    numbers = ", ".join(f"`{part}`" for part, _ in parts)
    lines = ", ".join(str(line) for _, line in parts if line is not None)
    where = f"lines {lines} of {step} open" if len(parts) > 1 else f"line {lines} of {step} opens"
    return (
        f"{where} with {numbers}: no markup reads a number with a dot inside it as a list "
        f"marker, so {'they are' if len(parts) > 1 else 'it is'} text of the step, run into it, "
        "not sub-steps to tick; write them as a sub-list (`1.`, `2.`, ... or `-`) indented to "
        "the step's text"
    )


def numbered_paragraphs(blocks: list[nodes.Node]) -> list[list[nodes.paragraph]]:
    """The runs of paragraphs among ``blocks`` that open with the numbers 1, 2, 3... in turn,
    two or more, with no list or section between them: a procedure written as numbered
    paragraphs (``**1.** Title``, ``1.) Title``), which the page shows as no list at all.
    Code blocks, notes and prose may stand between the steps; a list or a number out of
    turn ends the run."""
    runs: list[list[nodes.paragraph]] = []
    run: list[nodes.paragraph] = []
    for block in blocks:
        number = step_like(block)
        if number is not None:
            if int(number) == len(run) + 1:
                run.append(block)  # type: ignore[arg-type]
                continue
            if len(run) >= 2:
                runs.append(run)
            run = [block] if number == "1" else []  # type: ignore[list-item]
        elif isinstance(block, (*LISTS, nodes.section)):
            if len(run) >= 2:
                runs.append(run)
            run = []
    if len(run) >= 2:
        runs.append(run)
    return runs


def without_number(paragraph: nodes.paragraph) -> nodes.paragraph:
    """A copy of a numbered paragraph without its number: the step's text as a list item
    would hold it."""
    copy = paragraph.deepcopy()
    children = inline_children(copy)
    if children and bold_number(children[0]) is not None:
        copy.remove(children[0])
    elif children and isinstance(children[0], nodes.Text):
        match = (
            _STEP_LIKE.match(str(children[0]))
            or _PARENTHESISED.match(str(children[0]))
            or _AUTO_NUMBERED.match(str(children[0]))
        )
        if match:
            copy.replace(children[0], nodes.Text(str(children[0])[match.end() :]))
    return copy


#: a number typed with a backslash before its dot (``1\.``, ``**2\.**``): no list, on purpose
_ESCAPED_NUMBER = re.compile(r"^\s*(?:\*\*|__)?\d{1,4}\\[.)]")


def numbered_by_hand(line: str) -> str | None:
    r"""The :attr:`Step.suffix` of a Markdown paragraph whose number its author kept from making
    a list item (``1\.``, ``(1)``), from its first line as typed; ``None`` for any other."""
    if _ESCAPED_NUMBER.match(line):
        return ESCAPED_SUFFIX
    # a number in brackets is no list marker in Markdown: numbered by hand on purpose
    return BRACKETED_SUFFIX if _PARENTHESISED.match(line) else None
