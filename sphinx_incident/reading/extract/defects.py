"""List mistakes read from the source: a step's body or sub-list indented too little to stay
in the step, each recorded with its fix (mistakes in the items themselves: :mod:`.items`;
what a list's last step lost at the margin: :mod:`.lost`)."""

from __future__ import annotations

import itertools

from docutils import nodes

from ..doctree import INVISIBLE, LISTS, node_line, quoted_lists
from ..list_source import Marker, spaces
from .carrying import continues, said_again
from .context import Extraction
from .fences import fence_cut
from .lost import code_line, introduces, is_body, is_picture, is_prose, lost_at_the_end
from .margin_bodies import aside, goes_on, numbered_on, right_after, titled_as_before, titled_on
from .on_purpose import placed_on_purpose
from .places import lines_of, outer_body, report_at_margin, report_too_little, resumes, splits
from .splitting import step_like
from .steps import Draft, move_blocks, step_label


def sublist_fell_out(
    ex: Extraction,
    node: nodes.Node,
    indent: int | None,
    previous: Draft,
    last_list: list[Draft],
    next_list: nodes.Node | None,
    code: list[nodes.Node] | None = None,
) -> bool:
    """Whether a list after a step is the step's sub-list, indented too little to stay in it
    (a list at the margin only when the step list carries on after it); else it is a list
    detached from its step. ``code`` is the text after it, indented for the step, that Markdown
    shows as code because the sub-list ended the step: named in the same finding."""
    content = previous.marker.content if previous.marker is not None else None
    carries_on = next_list is not None and continues(last_list, next_list, ex)
    if (
        previous.step.origin != "item"
        or indent is None
        or content is None
        or indent >= content
        or (indent == 0 and not carries_on)
    ):
        return False
    then, related = resumes(last_list, next_list) if carries_on else ("", ())
    shown = ""
    if code:
        lines = lines_of(ex, code)
        shown = f" ({lines} then read as code, though indented for the {previous.noun})"
        first = ex.first_line(code[0])
        related = ((first,) if first is not None else ()) + related
    ex.defect(
        "outdented_sublist",
        node,
        node_line(node),
        f"this list is indented {spaces(indent)}, less than the text of {step_label(previous)} "
        f"above it (column {content}), so it is not part of that {previous.noun}{shown}; indent it by "
        f"{spaces(content - indent)} more{then}",
        related,
    )
    return True


def body_fell_out(
    extractor: Extraction,
    node: nodes.Node,
    previous: Draft,
    last_list: list[Draft],
    next_list: nodes.Node | None,
    floor: int | None = None,
    tentative: bool = False,
) -> bool:
    """Whether a block after a step is that step's body, indented too little to stay in it.

    The blocks between a step list and what follows it are one stretch, decided (and
    reported) once, at its first block: a body indented some but too little, or one at the
    margin that holds more than prose (a command, a note, a table) between a list and the
    list that carries it on. Paragraphs alone between two lists are prose, unless the list
    after them is typed on from the step's number right after its list. For a sub-list,
    ``floor`` is the column of the text of the step it is in: a block from there to the
    sub-list's own column is at its margin. A ``tentative`` reading (as a sub-step's) that
    finds no body leaves the stretch to be decided again (as the step's), and takes none of
    a stretch decided as another step's."""
    if previous.step.origin != "item" or previous.marker is None or not last_list:
        return False
    blocks, following = _stretch(node)
    first = blocks[0] if blocks else node
    if id(first) not in extractor.stretches:
        blocks = blocks or [node]
        fell = _decide(extractor, blocks, following, previous, last_list, floor)
        if tentative and not fell:
            return False
        extractor.stretches[id(first)] = fell | _markup_within(blocks, fell)
        extractor.stretch_owners[id(first)] = id(previous.node)
    elif tentative and extractor.stretch_owners.get(id(first)) != id(previous.node):
        return False  # decided as another step's (the one the sub-step is in)
    return id(node) in extractor.stretches[id(first)]


def body_with_lists_fell_out(
    ex: Extraction, blocks: list[nodes.Node], previous: Draft, last_list: list[Draft], following: nodes.Node
) -> bool:
    """Whether the blocks between a step and the list typed on from its number (``2.``, then
    ``3.``) are that step's body, sub-lists and all, at the margin: prose and lists that the
    author numbered around as one list ("2. Deploy", a sentence and its bullets at the
    margin, "3. Check"). Reported once, from the first block to the last: the page shows
    them outside the step and splits the list around them. Only a stretch that opens with
    prose right after the step's list and holds a list too (prose alone, or a list first,
    are decided as any stretch is), all of it at the list's margin."""
    shown = _prose_and_lists(ex, blocks, previous, last_list)
    if shown is None or not numbered_on(ex, shown, following, last_list[-1]):
        return False
    report_at_margin(ex, shown, previous, True, resumes(last_list, following))
    ex.stretches[id(blocks[0])] = frozenset(id(block) for block in blocks)
    return True


def last_body_with_lists_fell_out(
    ex: Extraction, blocks: list[nodes.Node], previous: Draft, last_list: list[Draft]
) -> list[nodes.Node]:
    """The blocks after a list's last step, up to its last list, that are that step's body
    and sub-lists at the margin, where steps before it lost theirs so (the caller knows):
    the author wrote every step so, the last one too, though no step is typed on after it to
    show it. The same stretch as :func:`body_with_lists_fell_out` takes, right after the
    step's list, no aside, question or words about the steps ahead; prose after its last
    list is left to the page. Reported once."""
    shown = _prose_and_lists(ex, blocks, previous, last_list, to_last_list=True)
    if shown is None or not right_after(shown[0], last_list[-1]) or aside(shown):
        return []
    report_at_margin(ex, shown, previous, False, ("", ()))
    taken = blocks[: blocks.index(shown[-1]) + 1]
    ex.stretches[id(blocks[0])] = frozenset(id(block) for block in taken)
    return taken


def _prose_and_lists(
    ex: Extraction,
    blocks: list[nodes.Node],
    previous: Draft,
    last_list: list[Draft],
    to_last_list: bool = False,
) -> list[nodes.Node] | None:
    """The blocks a reader sees of a stretch after a list item (up to its last list, with
    ``to_last_list``), when they open with prose, hold a list and stand at the list's margin."""
    if previous.step.origin != "item" or previous.marker is None or not last_list:
        return None
    shown = [block for block in blocks if not _markup_only(block)]
    ends = [i for i, block in enumerate(shown) if isinstance(block, LISTS)]
    if not ends or not is_prose(shown[0]):
        return None
    if to_last_list:
        shown = shown[: ends[-1] + 1]
    margin = previous.marker.indent
    return None if any(ex.indent(block) != margin for block in shown) else shown


def _markup_within(blocks: list[nodes.Node], fell: frozenset[int]) -> frozenset[int]:
    """The markup-only blocks (an HTML comment that switches a style checker off) among the
    blocks that fell out of a step: before the last of them, or after it when they fell out
    to the end of the stretch. They go with the step's body, not end the list themselves."""
    if not fell:
        return frozenset()
    shown = [i for i, block in enumerate(blocks) if not _markup_only(block)]
    last = max((i for i in shown if id(blocks[i]) in fell), default=None)
    if last is None:
        return frozenset()
    end = len(blocks) if last == shown[-1] else last
    return frozenset(id(block) for block in blocks[:end] if _markup_only(block))


def substep_bodies(extractor: Extraction, drafts: list[Draft]) -> None:
    """Blocks of a step after one of its sub-lists, at the step's own column, that belong to
    the sub-list's last step (a command it announces, or one that splits the sub-list in two):
    reported as for a step list, and read into that sub-step."""
    for draft in drafts:
        substep_bodies(extractor, draft.children)
        content = draft.marker.content if draft.marker is not None else None
        if content is None or draft.step.origin == "inline":
            continue
        body = [block for block in draft.body if _in_item(block, draft.node)]
        above: Marker | None = None  # the marker of the sub-list before this one
        for position, block in enumerate(body):
            subs = [child for child in draft.children if child.node.parent is block]
            if not isinstance(block, LISTS) or not subs:
                continue
            one_on = above is not None and _one_column_on(extractor, block, above)
            above = subs[-1].marker
            rest = body[position + 1 :]
            after = list(itertools.takewhile(lambda b: not isinstance(b, LISTS), rest))
            if one_on:
                # set a column too far, with what follows it set where its text would be: its
                # last item's body, as the author set it
                if above is not None:
                    kept = [b for b in after if (extractor.indent(b) or 0) >= above.content - 1]
                    if kept:
                        move_blocks(draft, kept, subs[-1])
                continue
            following = rest[len(after)] if len(after) < len(rest) else None
            fallen = [
                b
                for b in after
                if not isinstance(b, INVISIBLE)
                and body_fell_out(extractor, b, subs[-1], subs, following, floor=content)
            ]
            if fallen:
                move_blocks(draft, fallen, subs[-1])
            if not after and isinstance(following, LISTS):
                _sub_sublist(extractor, draft, following, subs)


def _one_column_on(extractor: Extraction, lst: nodes.Node, above: Marker) -> bool:
    """Whether a bullet list opens with the bullet of the list above it, one column further in:
    more items of that list typed a column too far (rST quotes them), not a sub-list."""
    first = extractor.marker(lst.children[0]) if isinstance(lst, nodes.Element) and lst.children else None
    return (
        first is not None
        and first.typed is None
        and first.text == above.text
        and first.indent == above.indent + 1
    )


def _in_item(block: nodes.Node, item: nodes.Node) -> bool:
    """Whether the block is the item's own, or in a block quote of the item's that was read as
    its blocks (a sub-list set a column too far, and what follows it)."""
    parent = block.parent
    return parent is item or (isinstance(parent, nodes.block_quote) and parent.parent is item)


def _sub_sublist(extractor: Extraction, draft: Draft, lst: nodes.Node, subs: list[Draft]) -> None:
    """A list right after a sub-list, indented past its markers but short of its last item's
    text: that item's own sub-list, indented too little; reported, and its steps moved there."""
    last = subs[-1]
    indent = extractor.indent(lst)
    if last.marker is None or indent is None or not last.marker.indent < indent < last.marker.content:
        return
    if _one_column_on(extractor, lst, last.marker):
        return  # more items of the list, typed a column too far
    if not sublist_fell_out(extractor, lst, indent, last, subs, None):
        return
    moved = [child for child in draft.children if child.node.parent is lst]
    draft.children = [child for child in draft.children if child.node.parent is not lst]
    index = max((child.step.list_index for child in last.children), default=-1) + 1
    for child in moved:
        child.step.origin, child.step.list_index = "outdented", index
    last.children.extend(moved)


def _stretch(node: nodes.Node) -> tuple[list[nodes.Node], nodes.Node | None]:
    """The blocks between the lists around ``node`` (its siblings), and the list after them."""
    parent = node.parent
    if parent is None:
        return [node], None
    siblings = list(parent.children)
    here = siblings.index(node)
    start = here
    while start > 0 and not _ends_stretch(siblings[start - 1]):
        start -= 1
    end = here
    while end + 1 < len(siblings) and not _ends_stretch(siblings[end + 1]):
        end += 1
    blocks = [b for b in siblings[start : end + 1] if not isinstance(b, INVISIBLE)]
    following = siblings[end + 1] if end + 1 < len(siblings) else None
    return blocks, following if isinstance(following, LISTS) else None


def _ends_stretch(node: nodes.Node) -> bool:
    return (
        isinstance(node, (*LISTS, nodes.section, nodes.title, nodes.rubric))
        or step_like(node) is not None
        or bool(quoted_lists(node))
    )


def _decide(
    ex: Extraction,
    blocks: list[nodes.Node],
    following: nodes.Node | None,
    previous: Draft,
    last_list: list[Draft],
    floor: int | None = None,
) -> frozenset[int]:
    """The blocks of a stretch that fell out of the step before it (their ids), reported."""
    assert previous.marker is not None
    content = previous.marker.content
    written_out = blocks
    blocks = [block for block in blocks if not _markup_only(block)]
    if not blocks:
        return frozenset()
    body, carries_on = _body_and_carries_on(ex, blocks, following, last_list)
    # one list split around its entries' bodies: titled entries, or a bullet's sentence going on
    titled = titled_on(blocks, following, last_list) or goes_on(blocks, following, previous)
    last_titled = 0 if titled else titled_as_before(ex, blocks, following, last_list)
    if titled or last_titled:
        body, carries_on = True, titled
        blocks = blocks[:last_titled] if last_titled else blocks  # the last entry's, no more
    elif blocks and introduces(blocks[-1]) and following is not None:
        # the list after the stretch has a lead-in of its own: it starts something new
        blocks, carries_on = blocks[:-1], False
    elif isinstance(following, nodes.bullet_list) and _prose_between(ex, blocks):
        carries_on = False  # bullets after prose: a list of their own
    stretch = frozenset(id(block) for block in blocks)  # a lead-in stays the next list's
    if placed_on_purpose(ex, blocks, last_list, floor):
        return frozenset()
    # columns from the list's own margin (of an indented list too: prose at it follows the list)
    margin = previous.marker.indent
    indents = _indents(ex, blocks, margin, floor)
    known = [indent - margin for indent in indents if indent is not None]
    column = content  # where the step's text starts; ``content`` is from here on the list's margin
    content -= margin
    if known[:1] == [0] and fence_cut(
        ex, previous, blocks, column, following if carries_on else None, last_list
    ):
        return stretch
    if floor is None and not carries_on:
        blocks, indents, known = _cut_off_text(blocks, indents, margin, content)
    if not known or any(not 0 <= i < content for i in known):
        return frozenset()  # in the step already, or a stretch that is not all outdented
    if not carries_on and outer_body(ex, last_list, indents, floor):
        return frozenset()  # after the sub-list, where the step it is in has its body
    name = step_label(previous)
    then, related = resumes(last_list, following) if carries_on else ("", ())
    if ex.markdown and not carries_on and floor is None and max(known) == 1:
        return frozenset()  # one space before the prose after the list: a slip of no meaning
    if known[0] > 0 and min(known) == 0 and not carries_on and floor is None:
        return _set_in_too_little(ex, blocks, margin, column, name, (then, related))
    if min(known) > 0:
        report_too_little(ex, blocks, min(known) + margin, column, name, (then, related))
        return stretch
    # at the margin, paragraphs between steps are prose, unless the list after them is typed on
    # from the step's number; a command, a note or a table is the step's when the list carries
    # on after it, when it follows the step's last line without a blank line (Markdown lets a
    # fence or a note end a list there), or when the step's text announces it ("… with this:")
    if not body and not (carries_on and numbered_on(ex, blocks, following, last_list[-1])):
        return frozenset()
    if not carries_on and not last_titled:
        lost = lost_at_the_end(ex, blocks, previous, last_list, top=floor is None)
        if not lost:
            return frozenset()
        blocks, stretch = lost, frozenset(id(block) for block in lost)
    written = [indent for block in blocks if (indent := ex.indent(block)) is not None]
    blocks = _with_wrappers(blocks, written_out, carries_on)  # reported with the HTML lines around them
    # inside the step above, or (the prose after them left out) indented some: too little
    too_little = bool(written) and (floor is not None or min(written) > margin)
    blocks = blocks if too_little else _with_detached(blocks, previous)
    lines = lines_of(ex, blocks)
    split = f" and {splits(lines)} the list in two" if carries_on else ""
    if too_little:
        report_too_little(ex, blocks, min(written), column, name, (then, related), split)
        return stretch
    report_at_margin(ex, blocks, previous, carries_on, (then, related))
    return stretch


def _indents(ex: Extraction, blocks: list[nodes.Node], margin: int, floor: int | None) -> list[int | None]:
    """Each block's column; after a sub-list (``floor``), one from the text of the step it is
    in to the sub-list's own column counts as at the sub-list's margin."""
    indents = [ex.indent(block) for block in blocks]
    if floor is None:
        return indents
    return [margin if indent is not None and floor <= indent < margin else indent for indent in indents]


def _cut_off_text(
    blocks: list[nodes.Node], indents: list[int | None], margin: int, content: int
) -> tuple[list[nodes.Node], list[int | None], list[int]]:
    """The stretch up to the step's own text that what is outdented before it cut off: code at
    the margin under a last step, then a paragraph set at the step's text ("  Frozen mode
    needs …"), which the author wrote as more of the step. The outdented blocks are what fell
    out; the rest comes back with them once they are indented, and is not reported apart."""
    at = [None if indent is None else indent - margin for indent in indents]
    cut = next((n for n, indent in enumerate(at) if indent is not None and indent >= content), None)
    if (
        cut
        and any(is_body(block) for block in blocks[:cut])
        and all(indent is None or 0 <= indent < content for indent in at[:cut])
        and all(indent is None or indent >= content for indent in at[cut:])
    ):
        blocks, indents = blocks[:cut], indents[:cut]
    return blocks, indents, [indent - margin for indent in indents if indent is not None]


def _with_detached(blocks: list[nodes.Node], previous: Draft) -> list[nodes.Node]:
    """The stretch, from the step's own sub-list at the margin when that list comes right
    before it: the step's whole body fell out (its bullets, then a note or a command), and
    indenting it all is the one fix, reported once, not also as ``detached_substeps``."""
    parent = blocks[0].parent
    if parent is None:
        return blocks
    siblings = list(parent.children)
    before = [b for b in siblings[: siblings.index(blocks[0])] if not isinstance(b, INVISIBLE)]
    if not before or not isinstance(before[-1], nodes.bullet_list):
        return blocks
    sublist = before[-1]
    moved = [c for c in previous.children if c.node.parent is sublist and c.step.origin == "detached"]
    if not moved:
        return blocks
    for child in moved:
        child.step.origin = "outdented"  # reported here
    return [sublist, *blocks]


def _set_in_too_little(
    ex: Extraction,
    blocks: list[nodes.Node],
    margin: int,
    column: int,
    name: str,
    resumes: tuple[str, tuple[int, ...]],
) -> frozenset[int]:
    """After a list's last step, blocks set in some, then blocks at the list's margin: the ones
    set in are the step's, indented too little; the page goes on at the margin after them (a
    remark on the whole list), which stays where it is."""
    inside = _set_in(ex, blocks, margin)
    report_too_little(ex, inside, min(ex.indent(block) or column for block in inside), column, name, resumes)
    return frozenset(id(block) for block in inside)


def _set_in(ex: Extraction, blocks: list[nodes.Node], margin: int) -> list[nodes.Node]:
    """The blocks of a stretch up to the first at the list's margin (those with no column of
    their own, a target, go with the ones around them), without such blocks at its end."""
    inside: list[nodes.Node] = []
    for block in blocks:
        indent = ex.indent(block)
        if indent is not None and indent <= margin:
            break
        inside.append(block)
    while inside and ex.indent(inside[-1]) is None:
        inside.pop()
    return inside


def _body_and_carries_on(
    ex: Extraction, blocks: list[nodes.Node], following: nodes.Node | None, last_list: list[Draft]
) -> tuple[bool, bool]:
    """Whether a stretch holds more than prose, and whether the list after it carries on the
    steps before it. Between two lists, a line of inline code among sentences is an example
    they show, not a body."""
    body = any(is_body(block) for block in blocks)
    carries_on = isinstance(following, nodes.Element) and continues(last_list, following, ex, after_body=body)
    prose = any(is_prose(block) for block in blocks)
    if carries_on and prose and said_again(last_list, following):
        carries_on = False  # the list said again for a second example the prose brings in
    if carries_on and prose:
        body = any(is_body(block) and not code_line(block) for block in blocks)
    return body, carries_on


def _prose_between(ex: Extraction, blocks: list[nodes.Node]) -> bool:
    """Whether prose parts two bullet lists: it ends the stretch between them (the pictures
    that show what it says after it), or, between lists that are no procedure (facts,
    settings), stands anywhere in it, with what it shows ("For both, a rule looks like this:"
    and an example). Between a procedure's bullets, a paragraph and a command at the margin
    are what a step lost."""
    if ex.noun == "item":
        return any(is_prose(block) for block in blocks)
    shown = list(blocks)
    while len(shown) > 1 and is_picture(shown[-1]):
        shown.pop()
    return bool(shown) and is_prose(shown[-1])


def _with_wrappers(blocks: list[nodes.Node], written: list[nodes.Node], carries_on: bool) -> list[nodes.Node]:
    """``blocks`` and the raw HTML right around them as written (``<div align="center">`` and
    its ``</div>`` around a screenshot, comments that switch a checker off and on): to indent
    as well, so named in the finding. A comment after them where no list ``carries_on`` is
    left where it is."""
    if not blocks or blocks[0] not in written or blocks[-1] not in written:
        return blocks
    start, end = written.index(blocks[0]), written.index(blocks[-1])
    while start > 0 and _markup_only(written[start - 1]):
        start -= 1
    while end + 1 < len(written) and _markup_only(written[end + 1]):
        end += 1
    after = written[written.index(blocks[-1]) + 1 : end + 1]
    if not carries_on and all(_comment(block) for block in after):
        # a comment after them where no list carries on (``<!-- links -->``) ends no list: the
        # page's own, not to indent with them; one between two lists splits them as well
        end -= len(after)
    return written[start : end + 1]


def _comment(block: nodes.Node) -> bool:
    """Whether raw HTML is nothing but a comment (``<!-- links -->``)."""
    text = block.astext().strip()
    return text.startswith("<!--") and text.endswith("-->") and text.count("<!--") == 1


def _markup_only(block: nodes.Node) -> bool:
    """Output for another format (``.. raw:: html``, often an empty comment that splits two
    lists on purpose): nothing a reader of the step sees."""
    if isinstance(block, nodes.raw):
        return True
    return (
        isinstance(block, nodes.container)
        and bool(block.children)
        and all(isinstance(child, (nodes.raw, *INVISIBLE)) for child in block.children)
    )
