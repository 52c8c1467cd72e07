"""Mistakes in a list's items, read from the source: an item with no text of its own, a
step typed as the last line of the paragraph above its list, lists nested deeper than
Markdown reads, and (rST) a paragraph of an item indented past its text, which the page
quotes; each recorded with its fix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from docutils import nodes

from ..doctree import INVISIBLE, LISTS, ancestors, node_line
from ..list_source import spaces
from ..parts import inside_item
from .context import Extraction
from .fences import FENCE, fenced
from .places import shown_number
from .splitting import numbered_lines
from .steps import Draft


def empty_items(extractor: Extraction, root: nodes.Element) -> None:
    """A list item with nothing of its own before the list it holds: two markers on one line
    (``- - text``), or a marker alone over an indented list. The page shows a bare bullet or
    number beside the list; the checklist, a step with no text."""
    reported: set[tuple[int, int | None]] = set()
    for item in root.findall(nodes.list_item):
        first = next((c for c in item.children if not isinstance(c, INVISIBLE)), None)
        if not isinstance(first, LISTS):
            continue
        line = extractor.item_line(item)
        source = extractor.lines(item)
        if (id(source), line) in reported:
            continue  # three markers on a line (``* M. O. Name``): one mistake, told once
        reported.add((id(source), line))
        outer = source.marker(line) if source is not None else None
        inner = source.marker(line, outer.content) if source is not None and outer is not None else None
        if inner is not None and _outline(item, first):
            continue
        number = shown_number(item)
        mark = "bullet" if number is None else f"number {number}"
        if outer is not None and inner is not None:
            fix = "remove the first marker (and indent what was meant as the item's sub-list under its text)"
            if _initial(inner.text) and not extractor.markdown:
                escaped = f"{inner.text[:-1]}\\{inner.text[-1]}"
                fix = (
                    f"if `{inner.text}` is an initial or a word, not a marker, escape its dot "
                    f"(`{escaped}`) so that it is read as text; else remove the first marker"
                )
            message = (
                f"the item at line {line} starts with two markers (`{outer.text} {inner.text}`), "
                f"so it holds nothing but the list the second one opens: the page shows an empty "
                f"{mark} beside that list, and the checklist a step with no text; {fix}"
            )
        else:
            message = (
                f"the item at line {line} has no text of its own, only the list under it: the page "
                f"shows an empty {mark} and the checklist a step with no text; write what the step "
                "is on the marker's line, above its list"
            )
        extractor.defect("empty_item", item, line, message)


def _initial(marker: str) -> bool:
    """Whether a marker is one letter and a full stop (``H.``), which rST takes for a lettered
    list where a line opens with a name's initial."""
    return len(marker) == 2 and marker[0].isalpha() and marker[1] == "."


def _outline(item: nodes.Element, inner: nodes.Node) -> bool:
    """A number followed on its line by a letter or a roman numeral (``5. a) ...``): an outline
    numbered on purpose, its point 5 made of the lettered points, not a marker typed twice; or
    by a bullet whose list goes on under it (``2. * run this`` over ``   * or this``): step 2
    made of its bullets, two ways or parts of it, where a marker typed twice opens one item."""
    outer = item.parent
    if not isinstance(outer, nodes.enumerated_list):
        return False
    if isinstance(inner, nodes.bullet_list):
        return len(inner.children) >= 2
    return isinstance(inner, nodes.enumerated_list) and outer.get("enumtype") != inner.get("enumtype")


def run_into_the_text_above(extractor: Extraction, root: nodes.Element, drafts: list[Draft]) -> None:
    """The step before a list that starts after 1, written as the last line of the paragraph
    above it with no blank line: a list that does not start at 1 cannot interrupt a paragraph
    in Markdown (and none can in rST), so the page shows the step as text (``stray_step``).
    Once per step: one folded after a list is its step's already (:attr:`Step.swallowed`)."""
    known = {note.line for draft in every_draft(drafts) for note in draft.step.swallowed}
    for lst in root.findall(nodes.enumerated_list):
        start = int(lst.get("start", 1))
        parent = lst.parent
        if start <= 1 or parent is None:
            continue
        found = _folded_above(parent.children[: parent.index(lst)], str(start - 1))
        if found is None or found[1] in known:
            continue
        paragraph, line, text = found
        extractor.defect(
            "stray_step",
            paragraph,
            line,
            f"{extractor.noun} {start - 1} ({text}) is a line of a paragraph above the list, which starts at "
            f"{start}: with no blank line before it, it is more of the paragraph's text on the page; "
            f"put a blank line before it (and after its text), and the list starts at {start - 1}",
        )


def _folded_above(blocks: list[nodes.Node], number: str) -> tuple[nodes.Node, int | None, str] | None:
    """The line typed as step ``number`` in the paragraphs right above a list (up to the list,
    heading or block before them): the paragraph, the line, the step's text."""
    for block in reversed(blocks):
        if isinstance(block, INVISIBLE):
            continue
        if not isinstance(block, nodes.paragraph):
            return None
        folded = [entry for entry in numbered_lines(block) if entry[0] == number]
        if folded:
            return block, folded[-1][1], folded[-1][2]
    return None


def every_draft(drafts: list[Draft]) -> Iterator[Draft]:
    """The drafts and their sub-steps', depth first."""
    for draft in drafts:
        yield draft
        yield from every_draft(draft.children)


def lost_to_nesting(extractor: Extraction, root: nodes.Element) -> None:
    """Markdown stops reading a list nested deeper than it allows: the item and what follows are lost."""
    if not extractor.markdown:  # rST has no such limit
        return
    for item in root.findall(nodes.list_item):
        source = extractor.lines(item)
        if item.children or source is None:
            continue
        line = node_line(item)
        text = source.line(line)
        marker = source.marker(line)
        if text is None or marker is None or not text[marker.content :].strip():
            continue
        depth = sum(1 for parent in ancestors(item, root) if isinstance(parent, LISTS))
        extractor.defect(
            "nesting_too_deep",
            item,
            line,
            f"this item is nested {depth} lists deep, deeper than Markdown reads: it and everything "
            "after it up to the end of the block are missing from the page; nest the list less deeply",
        )
        return


def _announces(paragraph: nodes.paragraph) -> bool:
    """Whether a paragraph is a sentence that ends in a colon, announcing what comes next ("The
    reply to post:"), not a label over the item's body (``**Per node**:``)."""
    words = [
        child.astext()
        for child in paragraph.children
        if not isinstance(child, nodes.strong | nodes.emphasis | nodes.literal)
    ]
    return paragraph.astext().rstrip().endswith(":") and len(" ".join(words).split()) >= 3


#: how much further than its item's text a block may stand and still be taken for a slip: a
#: quotation meant as one is set in further (rST's own examples use three columns or more)
_SLIP = 2
#: a line of prose, not of code: a word, then at least two more, with no code punctuation
_PROSE = re.compile(r"^[A-Za-z`*][\w`*'\-,]*(?: [^\s=(){};<>$|]+){2,}")


def indented_past_the_text(extractor: Extraction, root: nodes.Element) -> None:
    """A block of an item indented past the item's text is not read as the item's next block
    (``indented_body``). rST: a paragraph a column or two past it is, after a paragraph, a
    block quote, which the page sets apart from the step as a quotation; after a ``::`` code
    block, more of the code. A quote with an attribution, or set in further, is taken as
    meant. Markdown reads up to three extra spaces as the same block, but a sub-list set four
    or more past the text, after a blank line, is indented code: the page shows its markers.
    Where every such block of a list's items is set in alike, in two items or more, that is the
    author's habit: one finding for the list, naming each place."""
    found_in: dict[int, list[_SetIn]] = {}
    for item in root.findall(nodes.list_item):
        marker = extractor.marker(item)
        if marker is None:
            continue
        for block in item.children[1:]:
            if extractor.markdown:
                found = _list_as_code(extractor, block, marker.content)
                what, markup = "sub-list", "Markdown"
                if found is None and (found := _fence_as_code(extractor, block, marker.content)):
                    what = _fenced(block)
            else:
                found = _quoted(extractor, block, marker.content) or _in_code(
                    extractor, block, marker.content
                )
                what, markup = "paragraph", "reStructuredText"
            if found is not None:
                line, extra, shown = found
                set_in = _SetIn(item, block, line, extra, shown, what, markup, marker.content)
                found_in.setdefault(id(item.parent), []).append(set_in)
    for found_list in found_in.values():
        if len({set_in.item_id for set_in in found_list}) > 1 and len(_alike(found_list)) == 1:
            _report_habit(extractor, found_list)
            continue
        for set_in in found_list:
            extractor.defect(
                "indented_body",
                set_in.block,
                set_in.line,
                f"this {set_in.what} is indented {spaces(set_in.extra)} further than the text of the "
                f"{extractor.noun} at line {extractor.item_line(set_in.item)} (column {set_in.column}): "
                f"{set_in.markup} reads it {set_in.shown}; indent it by {spaces(set_in.extra)} less",
            )


@dataclass(frozen=True)
class _SetIn:
    """A block of an item set in past the item's text, and how the page reads it."""

    item: nodes.list_item
    block: nodes.Node
    line: int | None
    extra: int
    shown: str
    what: str
    markup: str
    column: int

    @property
    def item_id(self) -> int:
        return id(self.item)


def _alike(found_list: list[_SetIn]) -> set[tuple[int, str, str, int]]:
    return {(set_in.extra, set_in.what, set_in.shown, set_in.column) for set_in in found_list}


def _report_habit(extractor: Extraction, found_list: list[_SetIn]) -> None:
    """One finding for blocks set in alike in several items of one list, at the first."""
    first, *others = found_list
    lines = [str(set_in.line) for set_in in found_list if set_in.line is not None]
    named = f"{', '.join(lines[:-1])} and {lines[-1]}" if len(lines) > 1 else "".join(lines)
    extractor.defect(
        "indented_body",
        first.block,
        first.line,
        f"the {first.what}s at lines {named} are each indented {spaces(first.extra)} further than "
        f"the text of their {extractor.noun} (column {first.column}): {first.markup} reads each "
        f"{first.shown}; indent them by {spaces(first.extra)} less",
        related=tuple(set_in.line for set_in in others if set_in.line is not None),
    )


def lists_shown_as_code(extractor: Extraction, root: nodes.Element) -> None:
    """Markdown: a list of two items or more set four columns or more in outside any list
    (after a paragraph, where it continues nothing), which CommonMark reads as indented code:
    the page shows a code block of its markers and words (``indented_body``); a fenced code
    block set in as far, whose fence the page shows. A list of settings or commands there is
    taken as code meant."""
    if not extractor.markdown:
        return
    fell = set().union(*extractor.stretches.values())
    for block in root.findall(nodes.literal_block):
        if inside_item(block) or id(block) in fell:
            continue  # in a list, or fallen out of a step (``outdented_body`` says how to indent it)
        what, before = "list", "its markers"
        found = _list_as_code(extractor, block, 0)
        if found is None and (found := _fence_as_code(extractor, block, 0)) is not None:
            what, before = _fenced(block), "its fences"
        elif found is None or len([t for t in block.astext().splitlines() if t.strip()]) < 2:
            continue
        line, extra, shown = found
        extractor.defect(
            "indented_body",
            block,
            line,
            f"this {what} is indented {spaces(extra)}, where it continues no list: Markdown reads it "
            f"{shown}; remove the {spaces(extra)} before {before}",
        )


def _quoted(extractor: Extraction, block: nodes.Node, content: int) -> tuple[int | None, int, str] | None:
    """A block quote made of a paragraph set a column or two past the item's text; not one right
    under a sentence of the item that ends in a colon ("The message to send:"), which announces
    the quotation the author set in."""
    if not isinstance(block, nodes.block_quote) or not block.children:
        return None
    if not isinstance(block.children[0], nodes.paragraph) or block.next_node(nodes.attribution):
        return None
    before = block.previous_sibling()
    if isinstance(before, nodes.paragraph) and _announces(before):
        return None
    indent = extractor.indent(block)
    if indent is None or not 0 < indent - content <= _SLIP:
        return None
    return extractor.first_line(block), indent - content, f"as a quotation, set in from the {extractor.noun}"


#: how much further than its item's text Markdown takes a block (after a blank line) for code
_CODE_INDENT = 4


def _list_as_code(
    extractor: Extraction, block: nodes.Node, content: int
) -> tuple[int | None, int, str] | None:
    """Markdown: indented code set four columns or more past the item's text whose every line
    is an item of a list in words (not a list of settings or commands): a sub-list set in too
    far, which the page shows as a code block, markers and all."""
    source = extractor.lines(block)
    first = extractor.first_line(block)
    if (
        not isinstance(block, nodes.literal_block)
        or source is None
        or first is None
        or fenced(extractor, block)
    ):
        return None
    indent = extractor.indent(block)
    if indent is None or indent - content < _CODE_INDENT or source.marker(first) is None:
        return None
    for number in range(first, first + len(block.astext().splitlines())):
        text = source.line(number) or ""
        marker = source.marker(number)
        words = text[marker.content :] if marker is not None else text.strip()
        if text.strip() and not _PROSE.match(words):
            return None  # a list of settings or commands, or a line of code among the items
    return first, indent - content, "as code, a code block of its markers and words"


def _fence_as_code(
    extractor: Extraction, block: nodes.Node, content: int
) -> tuple[int | None, int, str] | None:
    """Markdown: indented code, set four columns or more past the item's text (or the margin),
    whose first line is a fence: the author meant a fenced code block (or a fenced directive,
    ``:::note``), and the page shows an indented one with the fence's backticks, tildes or
    colons and its language (or name) as code. Told from a fenced block whose code shows a
    fence by its source: here the code's first line is the block's first line as written."""
    source = extractor.lines(block)
    first = extractor.first_line(block)
    if not isinstance(block, nodes.literal_block) or source is None or first is None:
        return None
    code = block.astext().splitlines()
    opening = code[0].strip() if code else ""
    if (
        not (FENCE.match(opening) or _COLON_FENCE.match(opening))
        or (source.line(first) or "").strip() != opening
    ):
        return None
    indent = extractor.indent(block)
    if indent is None or indent - content < _CODE_INDENT:
        return None
    return first, indent - content, "as indented code, and the page shows the fence's marks as code"


#: the opening line of a fenced directive: colons, then its name (``:::{note}``, ``:::info``)
_COLON_FENCE = re.compile(r"^:{3,}[ \t]*[{\w]")


def _fenced(block: nodes.Node) -> str:
    """What a fence that Markdown read as indented code opened, as a message names it."""
    return "fenced directive" if _COLON_FENCE.match(block.astext().lstrip()) else "fenced code block"


def _in_code(extractor: Extraction, block: nodes.Node, content: int) -> tuple[int | None, int, str] | None:
    """A line of prose inside a ``::`` code block, set a column or two past the item's text and
    less than the code: the code block took it, and what follows it, as code."""
    source = extractor.lines(block)
    first = node_line(block)
    if not isinstance(block, nodes.literal_block) or source is None or first is None:
        return None
    code = block.astext().splitlines()
    if not code or source.line(first) is None or (source.line(first) or "").strip() != code[0].strip():
        return None  # not numbered as its source (older docutils, or a directive's code)
    top = source.indent(first)
    for offset, text in enumerate(code[1:], start=1):
        indent = source.indent(first + offset)
        if (source.line(first + offset) or "").strip() != text.strip():
            return None
        if indent is None or top is None or not 0 < indent - content <= _SLIP:
            continue
        if indent < top and _PROSE.match(text.strip()):
            return first + offset, indent - content, "as more of the code block above it"
        if indent == top and not code[offset - 1].strip() and _closing_prose(code[offset:]):
            return first + offset, indent - content, "as more of the code block above it"
    return None


#: the fewest words of a sentence after a code block set as far in as the code, taken for prose
_SENTENCE_WORDS = 6


def _closing_prose(lines: list[str]) -> bool:
    """Whether the lines that end a code block, after a blank line, are a sentence of prose
    ("This creates the tables the counts are stored in."), not more code or its output: each
    line words with no code punctuation, the first opening with a capital, six words or more,
    two of them the small words sentences are made of ("the", "to", "will")."""
    text = " ".join(line.strip() for line in lines if line.strip())
    words = text.split()
    return (
        len(words) >= _SENTENCE_WORDS
        and text[:1].isupper()
        and len(_FUNCTION_WORDS.intersection(word.lower() for word in words)) >= 2
        and all(_PROSE.match(line.strip()) or _WORDS.match(line.strip()) for line in lines if line.strip())
    )


#: words that show a line is English prose: code and its output seldom hold two of them
_FUNCTION_WORDS = frozenset(
    "a an the to of in on for with and or is are be will this that it you your these those".split()
)
#: a line of words going on with a sentence (no code punctuation), short as it may be
_WORDS = re.compile(r"^[\w`*'\-,.]+(?: [^\s=(){};<>$|]+)*[.]?$")
