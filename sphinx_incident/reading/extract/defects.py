"""List mistakes read from the source: a step's body or sub-list indented too little to stay
in the step, each recorded with its fix (mistakes in the items themselves: :mod:`.items`)."""

from __future__ import annotations

import itertools
import re

from docutils import nodes

from ..doctree import INVISIBLE, LISTS, block_text, node_line, quoted_lists
from ..list_source import spaces
from .carrying import continues
from .context import Extraction
from .fences import fence_cut
from .places import fall, last_block, last_line, lines_of, resumes, splits, them
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
) -> bool:
    """Whether a block after a step is that step's body, indented too little to stay in it.

    The blocks between a step list and what follows it are one stretch, decided (and
    reported) once, at its first block: a body indented some but too little, or one at the
    margin that holds more than prose (a command, a note, a table) between a list and the
    list that carries it on. Paragraphs alone between two lists are prose. For a sub-list,
    ``floor`` is the column of the text of the step it is in: a block from there to the
    sub-list's own column is at its margin."""
    if previous.step.origin != "item" or previous.marker is None or not last_list:
        return False
    blocks, following = _stretch(node)
    first = blocks[0] if blocks else node
    if id(first) not in extractor.stretches:
        blocks = blocks or [node]
        fell = _decide(extractor, blocks, following, previous, last_list, floor)
        extractor.stretches[id(first)] = fell | _markup_within(blocks, fell)
    return id(node) in extractor.stretches[id(first)]


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
        body = [block for block in draft.body if block.parent is draft.node]
        for position, block in enumerate(body):
            subs = [child for child in draft.children if child.node.parent is block]
            if not isinstance(block, LISTS) or not subs:
                continue
            rest = body[position + 1 :]
            after = list(itertools.takewhile(lambda b: not isinstance(b, LISTS), rest))
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


def _sub_sublist(extractor: Extraction, draft: Draft, lst: nodes.Node, subs: list[Draft]) -> None:
    """A list right after a sub-list, indented past its markers but short of its last item's
    text: that item's own sub-list, indented too little; reported, and its steps moved there."""
    last = subs[-1]
    indent = extractor.indent(lst)
    if last.marker is None or indent is None or not last.marker.indent < indent < last.marker.content:
        return
    if not sublist_fell_out(extractor, lst, indent, last, subs, None):
        return
    moved = [child for child in draft.children if child.node.parent is lst]
    draft.children = [child for child in draft.children if child.node.parent is not lst]
    index = max((child.step.list_index for child in last.children), default=-1) + 1
    for child in moved:
        child.step.origin, child.step.list_index = "outdented", index
    last.children.extend(moved)


#: blocks that are more than prose: at the margin between a list and the list that carries it
#: on, they belong to the step before (a heading or a paragraph there is the author's prose)
_BODY = (
    nodes.literal_block,
    nodes.doctest_block,
    nodes.math_block,
    nodes.line_block,
    nodes.Admonition,
    nodes.table,
    nodes.figure,
    nodes.image,
    nodes.container,
    nodes.block_quote,
)


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
    if blocks and introduces(blocks[-1]) and following is not None:
        # the list after the stretch has a lead-in of its own: it starts something new
        blocks, carries_on = blocks[:-1], False
    elif isinstance(following, nodes.bullet_list) and _prose_between(ex, blocks):
        carries_on = False  # bullets after prose: a list of their own
    stretch = frozenset(id(block) for block in blocks)  # a lead-in stays the next list's
    if _about_several(blocks, last_list):
        return frozenset()
    # columns from the list's own margin: a paragraph at the margin of an indented list
    # (an rST list in a block quote) is prose after the list, as one at column 0 is
    margin = previous.marker.indent
    indents = [ex.indent(block) for block in blocks]
    if floor is not None:  # a sub-list's: from the text of the step it is in to its own column
        indents = [
            margin if indent is not None and floor <= indent < margin else indent for indent in indents
        ]
    known = [indent - margin for indent in indents if indent is not None]
    column = content  # where the step's text starts; ``content`` is from here on the list's margin
    content -= margin
    if known[:1] == [0] and fence_cut(
        ex, previous, blocks, column, following if carries_on else None, last_list
    ):
        return stretch
    if not known or any(indent >= content for indent in known) or any(indent < 0 for indent in known):
        return frozenset()  # in the step already, or a stretch that is not all outdented
    name = step_label(previous)
    then, related = resumes(last_list, following) if carries_on else ("", ())
    if ex.markdown and not carries_on and floor is None and max(known) == 1:
        return frozenset()  # one space before the prose after the list: a slip of no meaning
    if min(known) > 0:
        _too_little(ex, blocks, min(known) + margin, column, name, (then, related))
        return stretch
    # at the margin, paragraphs between steps are prose; a command, a note or a table
    # belongs to the step before when the list carries on after it, when it follows the
    # step's last line without a blank line (Markdown lets a fence or a note end a list there),
    # or when the step's text ends by announcing it ("… with this command:")
    if not body:
        return frozenset()
    if not carries_on:
        lost = _lost_at_the_end(ex, blocks, previous, last_list, top=floor is None)
        if not lost:
            return frozenset()
        blocks, stretch = lost, frozenset(id(block) for block in lost)
    written = [indent for block in blocks if (indent := ex.indent(block)) is not None]
    blocks = _with_wrappers(blocks, written_out)  # reported with the HTML lines around them
    # inside the step above, or (the prose after them left out) indented some: too little
    too_little = bool(written) and (floor is not None or min(written) > margin)
    blocks = blocks if too_little else _with_detached(blocks, previous)
    lines = lines_of(ex, blocks)
    split = f" and {splits(lines)} the list in two" if carries_on else ""
    if too_little:
        _too_little(ex, blocks, min(written), column, name, (then, related), split)
        return stretch
    ex.defect(
        "outdented_body",
        blocks[0],
        ex.first_line(blocks[0]),
        f"{lines} {_at_margin(margin, previous)}, so {fall(lines)} out of {name}{split}; "
        f"indent {them(lines)} by {spaces(content)} to keep {them(lines)} in {name}{then}",
        related,
        last_line(ex, blocks[-1]),
    )
    return stretch


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


def _about_several(blocks: list[nodes.Node], last_list: list[Draft]) -> bool:
    """Whether the blocks name two or more of the list's entries by their names (a warning
    between settings about three of them): about the group, where the author put it."""
    text = " ".join(block.astext() for block in blocks)
    names = {name for draft in last_list if (name := _entry_name(draft)) and len(name) >= 3}
    return sum(1 for name in names if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)) >= 2


def _entry_name(draft: Draft) -> str | None:
    """What an entry is named by: the bold text or the code it opens with."""
    first = next(iter(draft.node.findall(nodes.paragraph)), None)
    if first is None:
        return None
    opening = next((c for c in first.children if not isinstance(c, nodes.Text) or c.strip()), None)
    return opening.astext().strip() if isinstance(opening, nodes.strong | nodes.literal) else None


def _at_margin(margin: int, previous: Draft) -> str:
    """Where a stretch at the list's margin stands: "not indented", or, in an indented list,
    at the column of its numbers or bullets."""
    if not margin:
        return "not indented"
    marks = "numbers" if isinstance(previous.node.parent, nodes.enumerated_list) else "bullets"
    return f"indented only as far as the list's {marks} (column {margin})"


def _too_little(
    ex: Extraction,
    blocks: list[nodes.Node],
    indent: int,
    column: int,
    name: str,
    resumes: tuple[str, tuple[int, ...]],
    split: str = "",
) -> None:
    lines = lines_of(ex, blocks)
    then, related = resumes
    ex.defect(
        "outdented_body",
        blocks[0],
        ex.first_line(blocks[0]),
        f"{lines} indented {spaces(indent)}, less than the text of {name} (column {column}), "
        f"so {fall(lines)} out of the {ex.noun}{split}; indent {them(lines)} by "
        f"{spaces(column - indent)} more "
        f"to keep {them(lines)} in {name}{then}",
        related,
        last_line(ex, blocks[-1]),
    )


def _body_and_carries_on(
    ex: Extraction, blocks: list[nodes.Node], following: nodes.Node | None, last_list: list[Draft]
) -> tuple[bool, bool]:
    """Whether a stretch holds more than prose, and whether the list after it carries on the
    steps before it. Between two lists, a line of inline code among sentences is an example
    they show, not a body."""
    body = any(_is_body(block) for block in blocks)
    carries_on = isinstance(following, nodes.Element) and continues(last_list, following, ex, after_body=body)
    if carries_on and any(_is_prose(block) for block in blocks):
        body = any(_is_body(block) and not _code_line(block) for block in blocks)
    return body, carries_on


def _is_body(block: nodes.Node) -> bool:
    """A block that is more than prose: code, a note, a table, a picture."""
    return isinstance(block, _BODY) or _picture(block) or _code_line(block)


def _prose_between(ex: Extraction, blocks: list[nodes.Node]) -> bool:
    """Whether prose parts two bullet lists: it ends the stretch between them, or, between
    lists that are no procedure (facts, settings), stands anywhere in it, with what it shows
    ("For both, a rule looks like this:" and an example). Between a procedure's bullets, a
    paragraph and a command at the margin are what a step lost."""
    if ex.noun == "item":
        return any(_is_prose(block) for block in blocks)
    return bool(blocks) and _is_prose(blocks[-1])


def _is_prose(block: nodes.Node) -> bool:
    return isinstance(block, nodes.paragraph) and not _picture(block) and not _code_line(block)


def _code_line(block: nodes.Node) -> bool:
    """A paragraph of nothing but one piece of inline code: a command or a log line shown on
    a line of its own, as a code block would show it."""
    shown = _shown(block)
    return len(shown) == 1 and isinstance(shown[0], nodes.literal)


def _picture(block: nodes.Node) -> bool:
    """A paragraph of nothing but images (a screenshot between two steps)."""
    shown = _shown(block)
    return bool(shown) and all(isinstance(_unlinked(child), nodes.image) for child in shown)


def _unlinked(node: nodes.Node) -> nodes.Node:
    """What a link of one thing holds (an image that links to its full size); else ``node``."""
    return node.children[0] if isinstance(node, nodes.reference) and len(node.children) == 1 else node


def _shown(block: nodes.Node) -> list[nodes.Node]:
    """What a paragraph shows, the blank text between its parts left out (none for a block
    that is no paragraph)."""
    if not isinstance(block, nodes.paragraph):
        return []
    return [c for c in block.children if not (isinstance(c, nodes.Text) and not c.strip())]


def _with_wrappers(blocks: list[nodes.Node], written: list[nodes.Node]) -> list[nodes.Node]:
    """``blocks`` and the raw HTML right around them as written (``<div align="center">`` and
    its ``</div>`` around a screenshot): to indent as well, so named in the finding."""
    if not blocks or blocks[0] not in written or blocks[-1] not in written:
        return blocks
    start, end = written.index(blocks[0]), written.index(blocks[-1])
    while start > 0 and _markup_only(written[start - 1]):
        start -= 1
    while end + 1 < len(written) and _markup_only(written[end + 1]):
        end += 1
    return written[start : end + 1]


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


def introduces(block: nodes.Node) -> bool:
    """A lead-in: a heading, or a paragraph ending in a colon ("**Admin**:", "Then:")."""
    if isinstance(block, nodes.rubric | nodes.title):
        return True
    return isinstance(block, nodes.paragraph) and block_text(block).rstrip(" *_)").endswith(":")


#: the words a step's sentence can stop on when what it names comes next, unpunctuated:
#: "Open a terminal and enter", "… by running", "Add the following." (not a sentence ending
#: on its object, as "replaced with `-`.", whose code reads as a dash)
_WANTS_OBJECT = re.compile(
    r"\b(?:enter|entering|run|running|type|typing|execute|executing|paste|pasting|following|"
    r"command|commands|with|using)[\s:.\u2014\u2013]*$",
    re.I,
)


#: a sentence naming what is to come wherever it says it: "To find its name, run the following
#: command on the other cluster"
_NAMES_WHAT_FOLLOWS = re.compile(
    r"\b(?:the|these) following\s+(?:[\w-]+\s+){0,2}?"
    r"(?:commands?|code|snippets?|ya?ml|json|output|scripts?|manifests?|configuration|config|lines?)\b",
    re.I,
)


def _announces(draft: Draft) -> bool:
    """Whether a step's text ends by announcing what follows ("… with this command:"), stops
    where what it names is to come ("… by entering"), or its last sentence names what follows
    and the step holds no code of its own ("Run the following command on the other cluster")."""
    last = last_block(draft)
    if last is None or not isinstance(last, nodes.paragraph):
        return False
    text = block_text(last).rstrip(" *_)")
    if introduces(last) or _WANTS_OBJECT.search(text):
        return True
    sentence = re.split(r"(?<=[.!?])\s+", text)[-1]
    holds_code = next(draft.node.findall(nodes.literal_block), None) is not None
    return bool(_NAMES_WHAT_FOLLOWS.search(sentence)) and not holds_code


def _lost_at_the_end(
    ex: Extraction, blocks: list[nodes.Node], previous: Draft, last_list: list[Draft], top: bool = True
) -> list[nodes.Node]:
    """:func:`_lost_blocks`, once per step: a later stretch after the same step, beyond prose,
    a heading in bold or another list, is not its body reported a second time."""
    if id(previous.node) in ex.bodies_reported:
        return []
    lost = _lost_blocks(ex, blocks, previous, last_list, top)
    if lost:
        ex.bodies_reported.add(id(previous.node))
    return lost


def _lost_blocks(
    ex: Extraction, blocks: list[nodes.Node], previous: Draft, last_list: list[Draft], top: bool = True
) -> list[nodes.Node]:
    """The blocks at the margin after a list's last step that are that step's: a command, a
    note or a picture right under its last line, one its text announces (perhaps after a
    remark), one of the kind every other step holds or that fell out of the steps before it,
    or code holding a name the step writes as code; not the prose after them. The last two only
    for a list's own steps (``top``): after a sub-list, the step it is in is where they belong."""
    first = blocks[0]
    # what the step announced came already when a sub-list fell out of it before these blocks
    answered = any(child.step.origin in ("outdented", "detached") for child in previous.children)
    announced = _announces(previous) and not answered and not _shows_the_others(previous, last_list, blocks)
    if top and announced and _is_prose(first) and len(blocks) > 1 and _is_body(blocks[1]):
        # a remark before what the step announces ("Prefix a channel with #."): both the step's,
        # unless the remark is a lead-in of its own after a step that only ends on a word that
        # can announce ("… the `register` command."): what comes under it is the remark's
        if introduces(first) and not introduces(last_block(previous)):
            return []
        return [first, *itertools.takewhile(_is_body, blocks[1:])]
    if not _is_body(first) or not (
        _attached(ex, first)
        or announced
        or _as_the_others(first, previous, last_list)
        or (top and ex.noun == "step" and _sole_step_command(first, previous, last_list))
        or _as_before(ex, first, previous)
        or (top and ex.noun == "step" and _names_of(previous, first))
    ):
        return []
    return list(itertools.takewhile(_is_body, blocks))


#: the shortest code a step names that, found in a code block after it, makes the block its
_NAME_LENGTH = 5


def _names_of(previous: Draft, block: nodes.Node) -> bool:
    """Whether a code block holds a name the step writes as code ("Store it in
    `notify-secret`" over a block defining ``notify-secret``): what the step is about."""
    if not isinstance(block, nodes.literal_block):
        return False
    code = block.astext()
    return any(name in code for name in _code_names(previous))


def _shows_the_others(previous: Draft, last_list: list[Draft], blocks: list[nodes.Node]) -> bool:
    """Whether the code after a list, which its last step announces ("For example:"), sets
    what the other steps name as code (``instance_map:`` at the start of a line) and holds
    nothing the last one names: an example of the whole list, where the author meant it. Code
    that only uses what another step named (a command given the file step 1 opened) is the
    last step's own."""
    code = next((block for block in blocks[:2] if isinstance(block, nodes.literal_block)), None)
    if code is None or _names_of(previous, code):
        return False
    text = code.astext()
    others = [draft for draft in last_list if draft is not previous]
    return any(_sets(text, name) for draft in others for name in _code_names(draft))


def _code_names(draft: Draft) -> set[str]:
    """What a step writes as code, long enough to stand for a name."""
    names = {lit.astext().strip() for lit in draft.node.findall(nodes.literal)}
    return {name for name in names if len(name) >= _NAME_LENGTH}


def _sets(code: str, name: str) -> bool:
    """Whether code sets ``name``: as a key or a variable at the start of one of its lines."""
    key = rf"^[ \t]*(?:- )?[\"']?{re.escape(name)}[\"']?[ \t]*[:=]"
    return re.search(key, code, re.MULTILINE) is not None


def _as_the_others(block: nodes.Node, previous: Draft, last_list: list[Draft]) -> bool:
    """Whether the steps before the last each hold a block of this kind (a command each) and
    the last holds none: the one right after the list, at the margin, is the last step's."""
    kind = type(block)
    others = [draft for draft in last_list if draft is not previous and draft.step.origin == "item"]
    holding = sum(1 for draft in others if next(draft.node.findall(kind), None) is not None)
    return holding >= 2 and 2 * holding >= len(others) and next(previous.node.findall(kind), None) is None


def _sole_step_command(block: nodes.Node, previous: Draft, last_list: list[Draft]) -> bool:
    """Whether a command right after a procedure of one step, which holds none, is that step's:
    the procedure is the step and its command ("Create the replica." over ``kubectl apply``).
    Not after a list of one item that follows other lists of its parent: steps parted by prose."""
    steps = [draft for draft in last_list if draft.step.origin == "item"]
    lst = previous.node.parent
    parent = lst.parent if lst is not None else None
    if parent is None or steps != [previous] or not isinstance(block, nodes.literal_block):
        return False
    if any(isinstance(child, LISTS) for child in parent.children[: parent.index(lst)]):
        return False
    return next(previous.node.findall(nodes.literal_block), None) is None


def _as_before(ex: Extraction, block: nodes.Node, previous: Draft) -> bool:
    """Whether the list of the last step was split from the one before it by a block of this
    kind that fell out of a step (a command at the margin under every item): the one after the
    last item is the same slip, though no list follows it."""
    lst = previous.node.parent
    parent = lst.parent if lst is not None else None
    if parent is None:
        return False
    before = [c for c in parent.children[: parent.index(lst)] if not isinstance(c, INVISIBLE)]
    if not before or type(before[-1]) is not type(block):
        return False
    return any(id(before[-1]) in fell for fell in ex.stretches.values())


def _attached(ex: Extraction, block: nodes.Node) -> bool:
    """Whether a block starts on the line right after the text before it (no blank line)."""
    line = ex.first_line(block)
    source = ex.lines(block)
    if source is None or line is None or not ex.markdown:
        return False
    return bool((source.line(line - 1) or "").strip())
