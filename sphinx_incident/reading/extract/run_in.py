"""A list written right under a line of a step's text, with no blank line between.

reStructuredText needs a blank line before a list. Without one it reads the
list as something else, and the page and the checklist both lose it:

- indented deeper than the text, the text becomes a *term* and the list its
  *definition* (a definition list): the step's sub-steps become a glossary
  entry;
- at the text's own indentation, the list's lines are more of the paragraph:
  ``- wipe it`` runs into the step's text.

A step's text wrapped onto a line indented deeper than its first is the same
mistake without a list: the first line becomes a term, the rest its definition.
Wrapped onto a line short of its text (at the margin), the item is no item at
all: reStructuredText reads its lines as one paragraph that starts with a number.

Markdown lets a list interrupt a paragraph, so there only items it cannot read as
a list run into the text: lettered ones (``a.``: Markdown has no lettered lists),
ones after a backslash (``\\-``), and ones indented 4 spaces or more past it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docutils import nodes

from ..doctree import INVISIBLE, LISTS, definition_entries, item_term, node_line, sole_entry
from ..imperative import names_a_thing
from ..list_source import spaces
from .context import Extraction
from .run_in_items import run_in_paragraph

#: a bullet at the start of a line of a paragraph: a list item that needed a blank line before it
_BULLET = re.compile(r"^[ \t]*[-*+\u2022][ \t]+\S")


@dataclass
class RunIn:
    """A list that a missing blank line turned into a term's definition: where it is."""

    #: the line the list starts at
    line: int | None
    #: the column the list's marker stands at, and the column of the step's text
    indent: int | None
    content: int | None
    #: the text's own lines indented deeper (no list): how many of them there are
    wrapped: int = 0


def unfold_item(ex: Extraction, body: list[nodes.Node]) -> tuple[list[nodes.Node], RunIn | None]:
    """An item's blocks as the author meant them, where a missing blank line made a term and its
    definition of them: its text and the list under it (:func:`unfold_definition`), its text
    wrapped too deep (:func:`unfold_wrapped`), or a later paragraph leading in to a list
    (:func:`unfold_lead_ins`, reported there); with where the first two are, to report."""
    body, run_in = unfold_definition(ex, body)
    if run_in is None:
        body, run_in = unfold_wrapped(ex, body)
    return (body, run_in) if run_in is not None else (unfold_lead_ins(ex, body), None)


def unfold_definition(ex: Extraction, body: list[nodes.Node]) -> tuple[list[nodes.Node], RunIn | None]:
    """A step's blocks as the author meant them, when its text and the list under it became a
    definition list (one term, a definition of nothing but lists): the term read as the
    step's paragraph, then the lists, as sub-steps."""
    visible = [child for child in body if not isinstance(child, INVISIBLE)]
    if ex.markdown or not visible:
        return body, None
    unfolded = _unfold(ex, visible[0])
    if unfolded is None:
        return body, None
    blocks, run_in = unfolded
    at = body.index(visible[0])
    return [*body[:at], *blocks, *body[at + 1 :]], run_in


def unfold_wrapped(ex: Extraction, body: list[nodes.Node]) -> tuple[list[nodes.Node], RunIn | None]:
    """A step's blocks as the author meant them, when its text was wrapped onto lines indented
    deeper than its first, so that the first line became a term and the rest its definition
    (rST): the term and the definition read as one paragraph."""
    visible = [child for child in body if not isinstance(child, INVISIBLE)]
    entry = sole_entry(visible[0]) if visible and not ex.markdown else None
    if entry is None:
        return body, None
    term, parts = entry
    if len(parts) != 1 or not isinstance(parts[0], nodes.paragraph):
        return body, None
    line = node_line(parts[0])
    source = ex.lines(parts[0])
    marker = source.marker(line - 1, rst=True) if source is not None and line else None
    if source is None or line is None or marker is None:
        return body, None  # the term is the step's first line, right above: else a real definition
    if _complete(term) or _terms_throughout(ex, visible[0]):
        return body, None  # "**Is it tested?**" over its explanation: a definition list as meant
    paragraph = nodes.paragraph("", "", *[c.deepcopy() for c in term.children], nodes.Text("\n"))
    paragraph.extend(c.deepcopy() for c in parts[0].children)
    paragraph.source, paragraph.line = term.source, line - 1
    at = body.index(visible[0])
    run_in = RunIn(line, source.indent(line), marker.content, wrapped=parts[0].astext().count("\n") + 1)
    return [*body[:at], paragraph, *body[at + 1 :]], run_in


def _complete(term: nodes.Element) -> bool:
    """Whether a term reads as a title over its explanation, not as a line cut short: a bold
    or italic title, a question or a lead-in. A sentence that ends with a full stop and goes
    on at a deeper indent is a paragraph wrapped onto the wrong column."""
    visible = [c for c in term.children if not (isinstance(c, nodes.Text) and not c.strip())]
    if len(visible) == 1 and isinstance(visible[0], nodes.strong | nodes.emphasis):
        return True
    return term.astext().rstrip().endswith(("?", "!", ":"))


#: a term longer than this is a sentence cut short, not the name of something
_NAME_WORDS = 6


def _terms_throughout(ex: Extraction, block: nodes.Node) -> bool:
    """Whether the list an item's definition list stands in is written as terms over what they
    mean throughout, on purpose: every item one term and its definition, the terms names
    (``Backlog``) rather than sentences cut short or instructions. One item so written among
    steps is a slip; a whole list of names over their meanings is a glossary laid out as
    meant. (Names over bullets, ``nightly`` then ``- what runs``, are not: the author typed a
    sub-list, and the page shows a definition instead.) Decided once per list."""
    item = block.parent
    container = item.parent if isinstance(item, nodes.list_item) else None
    if not isinstance(container, LISTS):
        return False
    if id(container) not in ex.glossaries:
        terms = _name_terms(container)
        ex.glossaries[id(container)] = terms is not None and (
            _names_throughout(terms)
            or (len(terms) == 1 and names_a_thing(terms[0]) and _glossary_page(ex, block))
        )
    return ex.glossaries[id(container)]


def _glossary_page(ex: Extraction, block: nodes.Node) -> bool:
    """Whether another list of the page is written as names over their meanings throughout:
    a list of one such item there is the page's layout too (a lone setting over what it does,
    under its own lead-in), not a line wrapped too deep. Decided once a runbook's page."""
    if ex.glossary_layout is None:
        document = block.document
        lists = document.findall(lambda node: isinstance(node, LISTS)) if document is not None else ()
        ex.glossary_layout = any(
            (terms := _name_terms(each)) is not None and _names_throughout(terms) for each in lists
        )
    return ex.glossary_layout


def _name_terms(container: nodes.Element) -> list[str] | None:
    """The terms a list's items are written as, one each, if each could name something (a few
    words, no full stop); ``None`` if any item is written otherwise."""
    terms = []
    for each in container.children:
        if not isinstance(each, nodes.list_item):
            continue
        text = item_term(each) or ""
        if not text or text.endswith(".") or len(text.split()) > _NAME_WORDS:
            return None
        terms.append(text)
    return terms


def _names_throughout(terms: list[str]) -> bool:
    return len(terms) >= 2 and 2 * sum(names_a_thing(term) for term in terms) >= len(terms)


def unfold_lead_ins(ex: Extraction, blocks: list[nodes.Node]) -> list[nodes.Node]:
    """A runbook's blocks as the author meant them, when a sentence that leads in to a list
    ("Before you start, make sure that:") and the list right under it became a definition
    list: the sentence, then the list; reported (``run_in_list``)."""
    if ex.markdown:
        return blocks
    result: list[nodes.Node] = []
    for block in blocks:
        unfolded = [_unfold_entry(ex, term, lists) for term, lists in definition_entries(block)]
        found = [u for u in unfolded if u is not None and _lead_in(u[0][0]) and _above(ex, block, u[1])]
        if not found or len(found) != len(unfolded) or _labels_over_blocks(ex, block):
            result.append(block)
            continue
        # each entry a sentence that leads in to its list ("Install these:", then "Ask for:")
        for parts, run_in in found:
            ex.defect(
                "run_in_list",
                block,
                run_in.line,
                "this list follows the sentence that leads in to it with no blank line, so "
                "reStructuredText reads the sentence as a term and the list as its definition: "
                "the page shows the sentence as a term and the list set in under it; put a blank "
                "line before it",
            )
            result.extend(parts)
    return result


def _labels_over_blocks(ex: Extraction, block: nodes.Node) -> bool:
    """Whether the page is laid out in labels over indented blocks ("Tickets by date:" over its
    settings in a line block, and more so): short terms ending in a colon over something that
    is no list, two or more, show the author writes them so on purpose, and a lead-in over an
    indented list there is that layout, not a list run into its text (one sentence over its
    code is the same slip as over a list). Decided once a runbook's page, and only once a
    lead-in run into its list is found there."""
    if ex.label_layout is None:
        document = block.document
        labels = [
            term
            for deflist in (document.findall(nodes.definition_list) if document is not None else ())
            for term, definition in definition_entries(deflist)
            if _label(term) and any(not isinstance(part, LISTS) for part in definition)
        ]
        ex.label_layout = len(labels) >= 2
    return ex.label_layout


def _label(term: nodes.term) -> bool:
    """A term written as a label: a few words and a colon ("Tickets by date:")."""
    text = term.astext().strip()
    return text.endswith(":") and len(text.split()) <= _NAME_WORDS


def _lead_in(paragraph: nodes.Node) -> bool:
    """Whether a term reads as a sentence that leads in to a list: three words or more, then a
    colon or a word the sentence goes on after (:func:`_leads_on`)."""
    text = paragraph.astext().strip()
    return _leads_on(text) and len(text.split()) >= 3


#: the last words of a sentence that goes on into the list under it ("... assume that")
_RUNS_ON = frozenset(
    "that are is include includes including following the to of for with and or as like".split()
)


def _leads_on(text: str) -> bool:
    """Whether a line ends where its sentence goes on into what is under it: a colon, or a word
    no sentence ends on (``... assume that``, ``... such as``)."""
    words = text.rstrip().split()
    return bool(words) and (words[-1].endswith(":") or words[-1].lower() in _RUNS_ON)


def _above(ex: Extraction, block: nodes.Node, run_in: RunIn) -> bool:
    """Whether the source has the sentence right above the list's first marker (as the file
    has it: an included part of a file is numbered from where it starts)."""
    source = ex.lines(block)
    above = source.line(run_in.line - 1) if source is not None and run_in.line else None
    return (
        source is not None
        and above is not None
        and _leads_on(above)
        and source.marker(run_in.line, rst=True) is not None
    )


def _unfold(ex: Extraction, block: nodes.Node) -> tuple[list[nodes.Node], RunIn] | None:
    """A definition list of one term whose definition is nothing but lists, as the text (a
    paragraph) and the lists it was meant to be."""
    entry = sole_entry(block)
    if entry is None:
        return None
    return _unfold_entry(ex, *entry)


def _unfold_entry(
    ex: Extraction, term: nodes.term, lists: list[nodes.Node]
) -> tuple[list[nodes.Node], RunIn] | None:
    if not lists or not all(isinstance(c, LISTS) for c in lists):
        return None
    line = node_line(lists[0])
    source = ex.lines(lists[0])
    indent = source.indent(line) if source is not None else None
    # the text is the line right above the list (no blank line between: that is the mistake);
    # its marker gives the text's column (older docutils give the term the wrong line)
    above = line - 1 if line is not None else None
    marker = source.marker(above, rst=True) if source is not None else None
    content = marker.content if marker is not None else None
    paragraph = nodes.paragraph("", "", *[child.deepcopy() for child in term.children])
    paragraph.source, paragraph.line = term.source, above or term.line
    return [paragraph, *lists], RunIn(line, indent, content)


def run_in_message(run_in: RunIn, step: str, noun: str = "step") -> str:
    """What to tell the author of a list (or wrapped text) read as a definition."""
    if run_in.wrapped:
        first = run_in.line or 0
        last = first + run_in.wrapped - 1
        lines = f"line {first}" if last == first else f"lines {first}-{last}"
        return (
            f"the text of {step} goes on at {lines} indented deeper than its first line, so "
            "reStructuredText reads that first line as a term and the rest as its definition: the "
            f"page shows a glossary entry; indent {'it' if run_in.wrapped == 1 else 'them'} to "
            f"column {run_in.content}, as the first line is"
        )
    fix = "put a blank line before it"
    lost = (
        "the sub-steps are not on the checklist"
        if noun == "step"
        else f"the page shows that text as a term and the list set in under it, not {step} and its list"
    )
    if run_in.indent is not None and run_in.content is not None and run_in.indent != run_in.content:
        fix += f" and indent it to column {run_in.content}, as the text of {step} is"
    return (
        f"this list follows the text of {step} with no blank line, so reStructuredText reads that "
        f"text as a term and the list as its definition: {lost}; {fix}"
    )


def bullets_in_text(ex: Extraction, body: list[nodes.Node]) -> tuple[int, int] | None:
    """The first and last line of the bullets that end a step's paragraph: list items written
    with no blank line before them, read as more of the text (rST only). Two bullets or more,
    or one after a line ending in a colon; a dash inside a sentence is not one."""
    if ex.markdown:
        return None
    for block in body:
        source = ex.lines(block)
        if not isinstance(block, nodes.paragraph) or source is None:
            continue
        first = node_line(block)
        if first is None:
            continue
        numbers = range(first + 1, first + block.astext().count("\n") + 1)
        bullets = [number for number in numbers if _BULLET.match(source.line(number) or "")]
        if not bullets or bullets != list(range(bullets[0], numbers.stop)):
            continue  # a dash inside the text ("from 02:00 - 04:00"), not a list at its end
        lead_in = (source.line(bullets[0] - 1) or "").rstrip().endswith(":")
        if len(bullets) >= 2 or lead_in or _opens_a_sentence(source.line(bullets[0]) or ""):
            return bullets[0], bullets[-1]
    return None


#: a bullet whose text opens as a sentence does: a capital letter, or code or bold first
_SENTENCE_BULLET = re.compile(r"^[ \t]*[-*+\u2022][ \t]+(?:[A-Z][a-z]|``|\*\*)")


def _opens_a_sentence(line: str) -> bool:
    """Whether the one bullet at the end of a paragraph starts an item of its own ("- You can
    ..."), not the rest of a sentence wrapped onto a dash ("- 04:00", "- and then ...")."""
    return bool(_SENTENCE_BULLET.match(line))


def bullets_message(lines: tuple[int, int], step: str) -> str:
    first, last = lines
    where = f"line {first} of {step} starts" if first == last else f"lines {first}-{last} of {step} start"
    return (
        f"{where} with a bullet right after the text, with no blank line, so reStructuredText reads "
        f"{'it' if first == last else 'them'} as more of the text, not as a list; put a blank line "
        "before the first bullet"
    )


def run_in_text(ex: Extraction, body: list[nodes.Node], step: str) -> tuple[int, int, str] | None:
    """The list items a step's text runs into, as ``(first line, last line, message)``: in
    rST, bullets after its text with no blank line; in Markdown, items lettered, written
    after a backslash, or indented 4 spaces past the text, all read as more of it."""
    if not ex.markdown:
        lines = bullets_in_text(ex, body)
        return None if lines is None else (lines[0], lines[1], bullets_message(lines, step))
    return next((found for block in body if (found := run_in_paragraph(ex, block, step)) is not None), None)


def unindented_text(ex: Extraction, paragraph: nodes.paragraph, number: str) -> bool:
    """An rST item whose text goes on at a line short of its text's column: the marker line
    and the lines after it are one paragraph. Reported as a stray step with that cause
    (true when it is)."""
    source = ex.lines(paragraph)
    first = ex.first_line(paragraph)
    if ex.markdown or source is None or first is None:
        return False
    marker = source.marker(first, rst=True)
    indent = source.indent(first + 1)
    if marker is None or indent is None or not marker.indent <= indent < marker.content:
        return False
    last = first + 1
    while source.indent(last + 1) is not None:
        last += 1
    lines = f"line {last}" if last == first + 1 else f"lines {first + 1}-{last}"
    them, are = ("it", "is") if last == first + 1 else ("them", "are")
    ex.defect(
        "stray_step",
        paragraph,
        first,
        f"{ex.noun} {number} is not a list item: its text goes on at {lines}, which {are} not "
        f"indented to its text (column {marker.content}), so reStructuredText reads the item as "
        f"a paragraph; indent {them} by {spaces(marker.content - indent)} more",
        end_line=last,
    )
    return True
