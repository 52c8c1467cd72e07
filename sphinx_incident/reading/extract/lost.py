"""What a step lost to the margin after a list's last step: the blocks there that are the
step's (a command it announces, one of the kind every other step holds) and the kinds of block
that are more than prose (:func:`is_body`), which the stretches between lists are judged by."""

from __future__ import annotations

import itertools
import re

from docutils import nodes

from ..doctree import INVISIBLE, LISTS, block_text
from ..imperative import is_imperative
from .context import Extraction
from .lead_ins import announces_steps, sentences
from .places import last_block, last_line
from .steps import Draft

#: an HTML comment alone on its line (``<!-- markdownlint-disable … -->``)
_COMMENT_LINE = re.compile(r"^[ \t]*<!--.*-->[ \t]*$")
#: blocks that are more than prose: at the margin between a list and the list that carries it
#: on, they belong to the step before (a heading or a paragraph there is the author's prose)
BODY = (
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


def is_body(block: nodes.Node) -> bool:
    """A block that is more than prose: code, a note, a table, a picture."""
    return isinstance(block, BODY) or _picture(block) or code_line(block)


def is_prose(block: nodes.Node) -> bool:
    return isinstance(block, nodes.paragraph) and not _picture(block) and not code_line(block)


def is_picture(block: nodes.Node) -> bool:
    """A picture: an image, a figure, or a paragraph of nothing but images."""
    return isinstance(block, nodes.image | nodes.figure) or _picture(block)


def code_line(block: nodes.Node) -> bool:
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


def introduces(block: nodes.Node) -> bool:
    """A lead-in: a heading, a paragraph ending in a colon ("**Admin**:", "Then:"), or a note
    that announces the steps below it ("If you need it, follow the steps below.")."""
    if isinstance(block, nodes.rubric | nodes.title):
        return True
    if isinstance(block, nodes.Admonition):
        return announces_steps(block)
    return isinstance(block, nodes.paragraph) and block_text(block).rstrip(" *_)").endswith(":")


#: the words a step's sentence can stop on when what it names comes next, unpunctuated:
#: "Open a terminal and enter", "… by running", "Add the following.", "… the dry-run option,
#: e.g." (not a sentence ending on its object, as "replaced with `-`.", whose code reads as a
#: dash)
_WANTS_OBJECT = re.compile(
    r"\b(?:enter|entering|run|running|type|typing|execute|executing|paste|pasting|following|"
    r"command|commands|with|using|e\.g)[\s:.,\u2014\u2013]*$",
    re.I,
)
#: or, in a step that says what to do, the kind of thing it names: "Add entries like", "… such
#: as", "… as follows" (not what someone likes; nor an item that only says what a command
#: shows "as follows", whose sample output is the page's)
_NAMES_KIND = re.compile(
    r"\b(?:such as|as follows|(?<!you )(?<!we )(?<!they )(?<!would )like)[\s:.,\u2014\u2013]*$", re.I
)


#: a sentence naming what is to come wherever it says it: "To find its name, run the following
#: command on the other cluster"; or running "the following" with no noun, which can only be
#: code ("Run the following if you want to …"), not "the following steps"
_NAMES_WHAT_FOLLOWS = re.compile(
    r"\b(?:the|these) following\s+(?:[\w-]+\s+){0,2}?"
    r"(?:commands?|code|snippets?|ya?ml|json|output|scripts?|manifests?|configuration|config|lines?|"
    r"syntax)\b"
    r"|\b(?:run|execute|enter|type|paste|issue)\s+the\s+following"
    r"(?=\s*(?:$|[,.;:(]|\s(?:if|to|on|in|from|as|with|when|and|or|for|at|after|before|once)\b))",
    re.I,
)


def _announces(ex: Extraction, draft: Draft) -> bool:
    """Whether a step's text ends by announcing what follows ("… with this command:"), stops
    where what it names is to come ("… by entering"), or its last sentence names what follows
    and the step holds no code of its own ("Run the following command on the other cluster").
    Not a lead-in Markdown joined to the step from the margin (:func:`_joined_lead_in`)."""
    last = last_block(draft)
    if last is None or not isinstance(last, nodes.paragraph) or _joined_lead_in(ex, draft, last):
        return False
    text = block_text(last).rstrip(" *_)")
    if introduces(last) or _WANTS_OBJECT.search(text):
        return True
    if _NAMES_KIND.search(text) and is_imperative(text):
        return True
    sentence = (sentences(text) or [""])[-1]
    holds_code = next(draft.node.findall(nodes.literal_block), None) is not None
    return bool(_NAMES_WHAT_FOLLOWS.search(sentence)) and not holds_code


def _joined_lead_in(ex: Extraction, draft: Draft, last: nodes.paragraph) -> bool:
    """Whether the step's text ends on a sentence of its own written at the margin under it,
    with no blank line between, that leads in to what follows ("For example, a role like
    this:"): Markdown joins such a line to the item as more of its text, but the author wrote
    it after the list, for what comes under it, not as the step's."""
    if not ex.markdown or draft.marker is None:
        return False
    source, start, end = ex.lines(last), ex.first_line(last), last_line(ex, last)
    if source is None or start is None or end is None or end <= start:
        return False
    content = draft.marker.content
    line = source.line(end) or ""
    written = line.strip()
    if not (_column(line) < content and written.endswith(":") and written[:1].isupper()):
        return False
    # the one line at the margin: an author who wraps the whole item there wrote it as the item's
    # text ("… is\ndefined in …\nIn short:"), and a label's own line ("Log files:") awaits it
    above = [source.line(number) or "" for number in range(start + 1, end)]
    before = (source.line(end - 1) or "").rstrip()
    return all(_column(text) >= content for text in above if text.strip()) and not before.endswith(":")


def _column(line: str) -> int:
    return len(line) - len(line.lstrip())


def lost_at_the_end(
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
    remark), one of the kind every other step holds or that fell out of the steps before it;
    for a list's own steps (``top``) also code holding a name the step writes as code, and code
    under a procedure of one step (after a sub-list, the step it is in is where they belong);
    and where the steps before lost sentences and commands at the margin, the last step's
    sentences and commands, up to its last command. Not the prose after them."""
    first = blocks[0]
    # what the step announced came already when a sub-list fell out of it before these blocks
    answered = any(child.step.origin in ("outdented", "detached") for child in previous.children)
    # after a sub-list, at the column of the step it is in, a block is where it belongs: a
    # sub-step's sentence that only names it ("… as in this example command.") does not take
    # it from the step; a lead-in ending in a colon does
    announced = (
        (top or introduces(last_block(previous)))
        and _announces(ex, previous)
        and not answered
        and not _shows_the_others(previous, last_list, blocks)
    )
    if top and announced and is_prose(first) and len(blocks) > 1 and is_body(blocks[1]):
        # a remark before what the step announces ("Prefix a channel with #."): both the step's,
        # unless the remark is a lead-in of its own after a step that only ends on a word that
        # can announce ("… the `register` command."): what comes under it is the remark's
        if introduces(first) and not introduces(last_block(previous)):
            return []
        return _led_in(blocks)
    if top and ex.noun == "step" and is_prose(first) and _as_before(ex, first, previous):
        # every step's body fell out at the margin, sentences and commands: the last step's
        # too, to its last command (the prose after that is the page's)
        run = list(itertools.takewhile(lambda block: is_body(block) or is_prose(block), blocks))
        while run and not isinstance(run[-1], nodes.literal_block):
            run.pop()
        return run if run and _fell_with_code(ex, previous) else []
    if not is_body(first) or not (
        _attached(ex, first)
        or announced
        or _as_the_others(first, previous, last_list)
        or _as_before(ex, first, previous)
        or (
            top
            and ex.noun == "step"
            and (_names_of(previous, first) or _only_step(first, previous, last_list))
        )
    ):
        return []
    return list(itertools.takewhile(is_body, blocks))


def _led_in(blocks: list[nodes.Node]) -> list[nodes.Node]:
    """A remark and what it shows, then each further sentence that leads in to more of it
    ("Set this on the backup:" over a second table) with what it shows: all of it the step
    announced. The prose after it is the page's."""
    taken = [blocks[0], *itertools.takewhile(is_body, blocks[1:])]
    while (
        len(blocks) > len(taken) + 1
        and is_prose(lead := blocks[len(taken)])
        and introduces(lead)
        and is_body(blocks[len(taken) + 1])
    ):
        taken += [lead, *itertools.takewhile(is_body, blocks[len(taken) + 1 :])]
    return taken


#: the shortest code a step names that, found in a code block after it, makes the block its
_NAME_LENGTH = 5


def _names_of(previous: Draft, block: nodes.Node) -> bool:
    """Whether a code block holds a name the step writes as code ("Store it in
    `notify-secret`" over a block defining ``notify-secret``): what the step is about."""
    if not isinstance(block, nodes.literal_block):
        return False
    code = block.astext()
    return any(name in code for name in code_names(previous))


def _only_step(block: nodes.Node, previous: Draft, last_list: list[Draft]) -> bool:
    """Whether code comes under a procedure of one numbered step, its first list of one item,
    that shows no code of its own ("1. Turn the swap file on with the script." over the
    command): no other step could be its; or under one of two or more lists of one bullet each
    over its code. (A bullet alone under a heading may caption the code of the step the
    heading is; a number says the item is the step.)"""
    lst = previous.node.parent
    return (
        len(last_list) == 1
        and (
            (previous.step.list_index == 0 and isinstance(lst, nodes.enumerated_list))
            or _bullets_over_code(lst)
        )
        and isinstance(block, nodes.literal_block)
        and next(previous.node.findall(nodes.literal_block), None) is None
    )


def _bullets_over_code(lst: nodes.Node | None) -> bool:
    """Whether a list of one bullet with code right under it at the margin is one of two or
    more such in its section: a step each, every one of which lost its command (one alone
    may caption the code of the step its heading is). Not after numbered steps: bullets there
    are the sub-steps of the step above, and reported as such (``detached_substeps``)."""
    parent = lst.parent if lst is not None else None
    if parent is None:
        return False
    blocks = [child for child in parent.children if not isinstance(child, INVISIBLE)]
    if any(isinstance(block, nodes.enumerated_list) for block in blocks[: blocks.index(lst)]):
        return False  # bullets after numbered steps: their sub-steps at the margin, reported so
    over_code = [
        block
        for block, after in itertools.pairwise(blocks)
        if isinstance(block, nodes.bullet_list)
        and len(block.children) == 1
        and isinstance(after, nodes.literal_block)
    ]
    return len(over_code) >= 2 and any(block is lst for block in over_code)


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
    return any(_sets(text, name) for draft in others for name in code_names(draft))


def code_names(draft: Draft) -> set[str]:
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


def _fell_with_code(ex: Extraction, previous: Draft) -> bool:
    """Whether a stretch that fell out of a step of the lists right before the last step's
    holds a command: the author's habit is sentences and commands at the margin, not a
    remark now and then."""
    lst = previous.node.parent
    parent = lst.parent if lst is not None else None
    if parent is None:
        return False
    fell = set().union(*ex.stretches.values())
    for block in reversed(parent.children[: parent.index(lst)]):
        if isinstance(block, (*INVISIBLE, *LISTS)):
            continue  # the lists the stretches split
        if id(block) not in fell:
            return False
        if isinstance(block, nodes.literal_block):
            return True
    return False


def _attached(ex: Extraction, block: nodes.Node) -> bool:
    """Whether a block starts on the line right after the text before it (no blank line; an
    HTML comment alone on its line between them is no text: the page shows nothing there)."""
    line = ex.first_line(block)
    source = ex.lines(block)
    if source is None or line is None or not ex.markdown:
        return False
    above = line - 1
    while above > 1 and _COMMENT_LINE.match(source.line(above) or ""):
        above -= 1
    return bool((source.line(above) or "").strip())
