"""Reading a runbook's blocks in order: its step lists, stray steps, sub-lists and prose."""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes

from ...model import Note, Runbook
from ..classify import Verdict
from ..cues import OTHER_SUBJECT
from ..doctree import INVISIBLE, LISTS, block_text, lead_in_text, node_line, quoted_lists
from ..parts import container_title, is_box_title, is_container
from .blocks import list_in, read_admonition, subsections
from .carrying import carried, continues, sub_list_cut
from .comments import hidden_by_comment
from .context import Extraction, VerdictOf
from .defects import body_fell_out, body_with_lists_fell_out, last_body_with_lists_fell_out, sublist_fell_out
from .fences import code_fell_out, fenced
from .lead_ins import leads_in, opens_in_html
from .lookalikes import SURE_LOOKALIKE, surely_prose, titled_items
from .lost import introduces
from .places import last_block
from .run_in import unfold_lead_ins
from .run_in_items import run_in_paragraph, unspaced_steps
from .splitting import auto_numbered, numbered_lines, numbered_paragraphs, step_like
from .steps import Draft, step_from_paragraph, step_from_section, steps_from_list


@dataclass
class _Segment:
    kind: str  # "steps", "sublist", "stray", "prose", "skip"
    node: nodes.Node


def read_blocks(
    extractor: Extraction,
    root: nodes.Element,
    blocks: list[nodes.Node],
    skip: set[int],
    directive: bool,
    runbook: Runbook,
) -> tuple[list[Draft], list[str], list[Note]]:
    """Find the runbook's step lists and read its blocks into steps, intro and notes."""
    blocks = unfold_lead_ins(extractor, blocks)
    _run_in_lists(extractor, blocks)
    kind: type | None = None
    # a list indented as a whole is in a block quote (rST): a list of the runbook all the same
    candidates = [lst for b in blocks for lst in quoted_lists(b)]
    if not candidates and (unquoted := _unquoted(blocks)) is not blocks:
        # the whole procedure indented under its lead-in, code blocks and notes between the
        # steps too (rST makes one block quote of it): its blocks are the runbook's
        blocks = unquoted
        candidates = [lst for b in blocks for lst in quoted_lists(b)]
    if any(isinstance(b, nodes.enumerated_list) for b in candidates):
        kind = nodes.enumerated_list
    elif any(isinstance(b, nodes.bullet_list) for b in candidates):
        kind = nodes.bullet_list
    if kind is not None:
        _in_notes(extractor, blocks)
    intro_before: list[str] = []
    if kind is None and numbered_paragraphs(blocks):
        kind = nodes.enumerated_list  # steps written as numbered paragraphs: the runbook's steps
    if kind is None:
        # the procedure may sit in a box: an admonition, a dropdown, a tab, a card
        for list_kind in (nodes.enumerated_list, nodes.bullet_list):
            for block in blocks:
                if not is_container(block):
                    continue
                found = list_in(block, list_kind)  # type: ignore[arg-type]
                if found is not None and found.parent is not None:
                    runbook.container = container_title(block) or runbook.container
                    position = blocks.index(block)
                    intro_before = [t for t in (block_text(b) for b in blocks[:position]) if t]
                    inner = [c for c in found.parent.children if not is_box_title(c)]
                    after = blocks[position + 1 :]
                    drafts, intro, notes = walk_blocks(extractor, inner, list_kind)
                    notes += [Note(t, node_line(b)) for b in after if (t := block_text(b))]
                    return drafts, intro_before + intro, notes
        sections = subsections(root, skip) if not directive else []
        if sections:
            drafts = [step_from_section(extractor, s, index) for index, s in enumerate(sections)]
            intro = [t for t in (block_text(b) for b in blocks) if t]
            return drafts, intro, []
        kind = nodes.enumerated_list
    return walk_blocks(extractor, blocks, kind)


def _run_in_lists(extractor: Extraction, blocks: list[nodes.Node]) -> None:
    """Report the lists written right under a paragraph of the runbook with no blank line,
    which the page shows as more of the paragraph (``run_in_list``)."""
    for block in blocks:
        if (found := run_in_paragraph(extractor, block)) is not None:
            extractor.defect("run_in_list", block, found[0], found[2], end_line=found[1])
        elif (found := unspaced_steps(extractor, block)) is not None:
            extractor.defect("stray_step", block, found[0], found[2], end_line=found[1])


def _in_notes(extractor: Extraction, blocks: list[nodes.Node]) -> None:
    """Report the lists run into the text above them in the notes beside the steps (a warning
    whose lead-in sentence and list became a term and its definition): read for nothing else."""
    for block in blocks:
        if isinstance(block, nodes.Admonition):
            children = list(block.children)
            unfold_lead_ins(extractor, children)
            _run_in_lists(extractor, children)


def _unquoted(blocks: list[nodes.Node]) -> list[nodes.Node]:
    """``blocks`` with each block quote that holds lists of its own replaced by its blocks;
    ``blocks`` itself when there is none."""
    if not any(_holds_lists(b) for b in blocks):
        return blocks
    return [inner for b in blocks for inner in (b.children if _holds_lists(b) else [b])]


def _holds_lists(block: nodes.Node) -> bool:
    return isinstance(block, nodes.block_quote) and any(isinstance(c, LISTS) for c in block.children)


def _not_procedures(
    blocks: list[nodes.Node], kind: type, verdict_of: VerdictOf | None, items: bool = False
) -> set[int]:
    """The step lists of a runbook's blocks that are surely no procedure, when others are: a
    list of links or values beside the steps stays prose. Where discovery takes none of them
    for steps (the author declared the section, discovery doubts it), only the lists it is
    sure are links, values, terms or a record stay prose, and only while another list is
    left for the steps. A list whose numbering carries on the steps before it is steps,
    whatever it reads like. A section read for its ``items`` (none of its lists a procedure,
    each read for the mistakes that break any list) keeps them all."""
    lists = [b for b in blocks if isinstance(b, kind)]
    if verdict_of is None or len(lists) < 2 or items:
        return set()  # a section read for its items: discovery took none of its lists for steps
    verdicts = {id(lst): verdict_of(lst) for lst in lists}  # type: ignore[arg-type]

    def known(node: nodes.Element) -> Verdict:  # each list classified once
        return verdicts[id(node)]

    if not any(v.positive for v in verdicts.values()):
        prose = {id(lst) for lst in lists if surely_prose(lst, known) and not _carries_on(lst)}
        return prose if len(prose) < len(lists) else set()

    return {
        id(lst)
        for lst in lists
        if not verdicts[id(lst)].positive
        and (surely_prose(lst, known) or _apart_by_a_lead_in(blocks, lst, lists, verdicts))
        and not _carries_on(lst)
    }


def _carries_on(lst: nodes.Element) -> bool:
    """Whether a list's numbering carries on from steps before it (it starts past 1)."""
    return isinstance(lst, nodes.enumerated_list) and int(lst.get("start", 1)) > 1


def _apart_by_a_lead_in(
    blocks: list[nodes.Node], lst: nodes.Element, lists: list[nodes.Element], verdicts: dict[int, Verdict]
) -> bool:
    """Whether a list discovery is sure is no procedure stands apart from the steps by a
    lead-in: before the steps' own ("To add a node:"), or after them under its own ("It then
    goes through two phases:"). What the section says around the steps, not a part of them.
    A list whose lead-in tells what something else does ("The host will then go through these
    stages:") is no procedure of the reader's, however unsure discovery is of its items."""
    if verdicts[id(lst)].confidence < SURE_LOOKALIKE and not OTHER_SUBJECT.search(lead_in_text(lst)):
        return False
    position = lists.index(lst)
    after = next((o for o in lists[position + 1 :] if verdicts[id(o)].positive), None)
    before = next((o for o in reversed(lists[:position]) if verdicts[id(o)].positive), None)
    apart = [(lst, after)] if after is not None else []
    apart += [(before, lst)] if before is not None else []
    for first, second in apart:
        between = blocks[blocks.index(first) + 1 : blocks.index(second)]
        if between and isinstance(between[-1], nodes.paragraph) and leads_in(between):
            return True
    return False


def _classify(
    blocks: list[nodes.Node],
    kind: type,
    verdict_of: VerdictOf | None = None,
    items: bool = False,
    ex: Extraction | None = None,
) -> list[_Segment]:
    segments = []
    prose = _not_procedures(blocks, kind, verdict_of, items)
    for block in blocks:
        if isinstance(block, INVISIBLE):
            segments.append(_Segment("skip", block))
        elif id(block) in prose:
            segments.append(_Segment("prose", block))
        elif isinstance(block, kind) and ex is not None and _set_in_under(ex, segments, block):
            segments.append(_Segment("sublist", block))
        elif isinstance(block, kind):
            segments.append(_Segment("steps", block))
        elif _own_lists(block, kind) and (_after_prose(segments) or not _steps_read(segments)):
            # step lists indented after their own lead-in, or before any step (in rST, a block
            # quote): lists of their own, not sub-steps of a step the prose already left behind
            segments.extend(_Segment("steps", lst) for lst in block.children)
        elif quoted_lists(block):
            segments.append(_Segment("sublist", block))
        elif step_like(block) is not None or auto_numbered(block):
            segments.append(_Segment("stray", block))
        else:
            segments.append(_Segment("prose", block))
    return segments


def _set_in_under(ex: Extraction, segments: list[_Segment], lst: nodes.Element) -> bool:
    """Markdown: whether a list of bullets right after a list of bullet steps is set in past
    the steps' bullets, short of their text (`` * `` under ``- ``): with another bullet, or
    after a blank line, CommonMark starts a new list there, but the author set it in as the
    last step's sub-list (``outdented_sublist``), not as more steps."""
    if not ex.markdown or not isinstance(lst, nodes.bullet_list):
        return False
    before = next((s for s in reversed(segments) if s.kind != "skip"), None)
    if before is None or before.kind != "steps" or not isinstance(before.node, nodes.bullet_list):
        return False
    last = next((c for c in reversed(before.node.children) if isinstance(c, nodes.list_item)), None)
    first = next((c for c in lst.children if isinstance(c, nodes.list_item)), None)
    above = ex.marker(last) if last is not None else None
    here = ex.marker(first) if first is not None else None
    return above is not None and here is not None and above.indent < here.indent < above.content


def _next_number(drafts: list[Draft]) -> str:
    """The number after the last step read, when it has one; else 1."""
    last = drafts[-1].step.number if drafts else None
    return str(int(last) + 1) if last is not None and last.isdigit() and len(last) < 6 else "1"


def _steps_read(segments: list[_Segment]) -> bool:
    """Whether a step list, a stray step or a sub-list was read already."""
    return any(s.kind in ("steps", "stray", "sublist") for s in segments)


def _own_lists(block: nodes.Node, kind: type) -> bool:
    """Whether a block is a block quote holding only lists of ``kind``."""
    lists = quoted_lists(block)
    return (
        isinstance(block, nodes.block_quote) and bool(lists) and all(isinstance(lst, kind) for lst in lists)
    )


def _after_prose(segments: list[_Segment]) -> bool:
    """Whether the block read last (not counting invisible ones) is prose."""
    last = next((s for s in reversed(segments) if s.kind != "skip"), None)
    return last is not None and last.kind == "prose" and isinstance(last.node, nodes.paragraph)


def walk_blocks(
    ex: Extraction, blocks: list[nodes.Node], kind: type
) -> tuple[list[Draft], list[str], list[Note]]:
    """Read a sequence of blocks holding step lists of ``kind``: the steps, the intro, the notes."""
    segments = _classify(unfold_lead_ins(ex, blocks), kind, ex.verdict_of, items=ex.noun == "item", ex=ex)
    return _Walk(ex, segments).run()


class _Walk:
    """One pass over a runbook's blocks, in order; each kind of block is read by its own method."""

    def __init__(self, ex: Extraction, segments: list[_Segment]) -> None:
        self.ex = ex
        self.segments = segments
        self.drafts: list[Draft] = []
        self.intro: list[str] = []
        self.notes: list[Note] = []
        self.list_index = 0
        #: the steps of the last step list, and whether the list after a fallen-out body continues it
        self.last_list: list[Draft] = []
        self.merge_next = False
        #: the step whose sub-list the next list carries on, after a body that fell out of it
        self.merge_into: Draft | None = None
        #: blocks shown as code only because a sub-list indented too little ended their step
        self.rejoined: set[int] = set()
        #: whether the step read last is a numbered paragraph, not a list item
        self.after_stray = False
        #: whether a step of the list read last lost a body with sub-lists to the margin
        self.bodies_with_lists = False

    def run(self) -> tuple[list[Draft], list[str], list[Note]]:
        read: set[int] = set()  # segments already read with the ones before them
        for position, segment in enumerate(self.segments):
            if position in read:
                continue
            node = segment.node
            if segment.kind in ("prose", "sublist") and (body := self._body_with_lists(position)):
                read.update(range(position, position + len(body)))
                continue
            if segment.kind == "skip":
                # a comment at the margin under a step hides the step's next lines
                previous = self.drafts[-1] if self.drafts else None
                if isinstance(node, nodes.comment) and hidden_by_comment(
                    self.ex, node, previous, self.last_list, self._next_list(position)
                ):
                    self.merge_next = True
                continue
            if segment.kind == "steps" and self.drafts and _only_links(node):
                # a list of links after the steps ("See also"): prose, not more steps
                self.notes.append(Note(block_text(node), node_line(node)))
            elif segment.kind == "steps":
                assert isinstance(node, nodes.Element)
                self.step_list(node)
            elif segment.kind == "stray":
                assert isinstance(node, nodes.paragraph)
                self.stray_step(node)
            else:
                later = self.segments[position + 1 :]
                next_list = self._next_list(position)
                if segment.kind == "sublist":
                    self.sublist(
                        node, next_list, later, self._after_own_lead_in(position), self._announced(position)
                    )
                else:
                    self.prose(node, next_list, later)
        return self.drafts, self.intro, self.notes

    def _body_with_lists(self, position: int) -> list[_Segment]:
        """The segments from ``position`` up to the next step list, read into the step before
        them, when they are its body and sub-lists fallen to the margin between it and the list
        typed on from its number (:func:`.defects.body_with_lists_fell_out`); else none."""
        before = next((s for s in reversed(self.segments[:position]) if s.kind != "skip"), None)
        previous = self.drafts[-1] if self.drafts else None
        if before is None or before.kind != "steps" or previous is None or not self.last_list:
            return []
        if previous is not self.last_list[-1]:
            return []
        body: list[_Segment] = []
        for segment in self.segments[position:]:
            if segment.kind == "steps":
                break
            if segment.kind == "stray":
                return []
            body.append(segment)
        else:
            # after the list's last step: its body too, when the steps before lost theirs so
            if not self.bodies_with_lists:
                return []
            taken = last_body_with_lists_fell_out(self.ex, [s.node for s in body], previous, self.last_list)
            return self._read_into(previous, body[: len(taken)])
        following = self.segments[position + len(body)].node
        blocks = [segment.node for segment in body]
        if not body_with_lists_fell_out(self.ex, blocks, previous, self.last_list, following):
            return []
        self.bodies_with_lists = True
        self.merge_next = continues(self.last_list, following, self.ex, after_body=True)
        return self._read_into(previous, body)

    def _read_into(self, previous: Draft, body: list[_Segment]) -> list[_Segment]:
        """Read a step's body and sub-lists that fell out of it into the step."""
        for segment in body:
            block = segment.node
            if segment.kind == "sublist":
                for lst in block.children if isinstance(block, nodes.block_quote) else [block]:
                    index = max((d.step.list_index for d in previous.children), default=-1) + 1
                    previous.children.extend(steps_from_list(self.ex, lst, index, "outdented"))
            elif segment.kind == "prose" and (text := _prose_text(block)):
                previous.texts.append(text)
        return body

    def _next_list(self, position: int) -> nodes.Node | None:
        """The step list right after the segment at ``position`` (past invisible blocks), if
        the next block is one."""
        following = next((s for s in self.segments[position + 1 :] if s.kind != "skip"), None)
        return following.node if following is not None and following.kind == "steps" else None

    def _announced(self, position: int) -> bool:
        """Whether the block at ``position`` comes right after the step list, whose last step's
        text ends by announcing it ("The report holds:"): what it announces, at the margin."""
        before = next((s for s in reversed(self.segments[:position]) if s.kind != "skip"), None)
        last = self.last_list[-1] if self.last_list else None
        if before is None or before.kind != "steps" or last is None or last is not self.drafts[-1]:
            return False
        block = last_block(last)
        return isinstance(block, nodes.paragraph) and introduces(block)

    def _after_own_lead_in(self, position: int) -> bool:
        """Whether the block at ``position`` follows a lead-in of its own at the margin ("Issues
        were grouped into:"), or raw HTML that opens a part of its own (a heading, a box): a
        list there is theirs, not sub-steps of the step above."""
        before = next((s for s in reversed(self.segments[:position]) if s.kind != "skip"), None)
        if before is None or before.kind != "prose":
            return False
        if opens_in_html(before.node):
            return True
        return (
            isinstance(before.node, nodes.paragraph)
            and not self.ex.indent(before.node)
            and leads_in([before.node])
        )

    def step_list(self, node: nodes.Element) -> None:
        if self.merge_into is not None:  # more sub-steps of the step above, cut off by its body
            parent, self.merge_into = self.merge_into, None
            index = parent.children[-1].step.list_index
            numbering = carried(parent.children, node, merging=True)
            parent.children.extend(steps_from_list(self.ex, node, index, numbering=numbering))
            return
        merging = self.merge_next and bool(self.drafts)
        index = self.list_index - 1 if merging else self.list_index
        new = steps_from_list(self.ex, node, index, numbering=carried(self.drafts, node, merging))
        if not merging:
            self.list_index += 1
            self.bodies_with_lists = False
        self.merge_next = False
        self.drafts.extend(new)
        self.last_list = new
        self.after_stray = False

    def stray_step(self, node: nodes.paragraph) -> None:
        # an auto-numbered item (``#.``) that is no item: numbered after the step before it
        number = step_like(node) or _next_number(self.drafts)
        self.drafts.append(step_from_paragraph(self.ex, node, number, self.list_index))
        self.list_index += 1
        self.last_list = []
        self.after_stray = True

    def sublist(
        self,
        node: nodes.Node,
        next_list: nodes.Node | None,
        later: list[_Segment],
        after_lead_in: bool,
        announced: bool = False,
    ) -> None:
        later_steps = any(s.kind in ("steps", "stray") for s in later)
        previous = self.drafts[-1] if self.drafts else None
        indent = self.ex.indent(node)
        if previous is not None and code_fell_out(self.ex, node, previous, self.last_list, next_list):
            # code the margin cut out of the step's fence: the step's text, not its sub-steps
            if text := block_text(node):
                previous.texts.append(text)
            self.merge_next = next_list is not None and continues(self.last_list, next_list, self.ex)
            return
        if (
            previous is None
            # after its own lead-in at the margin: that sentence's list (in Markdown, set in a
            # few spaces or not, it can no longer join the step above; in rST, set in as a
            # block quote, after the last step)
            or (after_lead_in and (not indent or self.ex.markdown or not later_steps))
            or (not later_steps and not indent and not titled_items(node) and not announced)
        ):
            # before the steps, or a list at the margin after the last one that does not
            # read like steps (a "See also" list of links): prose
            text = block_text(node)
            if text and previous is not None:
                self.notes.append(Note(text, node_line(node)))
            elif text:
                self.intro.append(text)
            return
        if not indent and self._lookalike(node):
            # a list of links or values at the margin after a step: that step's prose; one
            # that splits the step list (it carries on after it) fell out of the step
            if text := block_text(node):
                previous.texts.append(text)
            if sublist_fell_out(self.ex, node, indent, previous, self.last_list, next_list):
                self.merge_next = True
            return
        code, after = self._code_by_indent(later, previous)
        if code:
            next_list = after
        outdented = sublist_fell_out(self.ex, node, indent, previous, self.last_list, next_list, code)
        if outdented:
            self.rejoined.update(id(block) for block in code)
        if outdented and next_list is not None and continues(self.last_list, next_list, self.ex):
            self.merge_next = True  # the list after it carries on the steps the sub-list split
        lists = node.children if isinstance(node, nodes.block_quote) else [node]
        for lst in lists:
            index = max((d.step.list_index for d in previous.children), default=-1) + 1
            origin = "outdented" if outdented else "detached"
            previous.children.extend(steps_from_list(self.ex, lst, index, origin))  # type: ignore[arg-type]

    def _code_by_indent(
        self, later: list[_Segment], previous: Draft
    ) -> tuple[list[nodes.Node], nodes.Node | None]:
        """The blocks after a sub-list, up to the next step list (returned too), that Markdown
        shows as code only because the sub-list, indented too little, ended the step: text
        indented for the step (from the column of its text to less than four more), which is
        the step's again once the sub-list is indented. None when anything else comes first."""
        if not self.ex.markdown or previous.marker is None:
            return [], None
        content = previous.marker.content
        code: list[nodes.Node] = []
        for segment in later:
            if segment.kind == "skip":
                continue
            if segment.kind == "steps":
                return code, segment.node
            block = segment.node
            code_block = isinstance(block, nodes.literal_block) and not fenced(self.ex, block)
            if segment.kind != "prose" or not code_block:
                return [], None
            indent = self.ex.indent(block)
            if indent is None or not content <= indent < content + 4:
                return [], None
            code.append(block)
        return code, None

    def _lookalike(self, node: nodes.Node) -> bool:
        """Whether a list at the margin after a step is surely links or values, not sub-steps
        (a list whose items open with bold titles reads as steps, whatever else it says)."""
        verdict_of = self.ex.verdict_of
        lists = node.children if isinstance(node, nodes.block_quote) else [node]
        return verdict_of is not None and all(surely_prose(lst, verdict_of) for lst in lists)

    def prose(self, node: nodes.Node, next_list: nodes.Node | None, later: list[_Segment]) -> None:
        """A body that fell out of its step, the intro, or a note."""
        previous = self.drafts[-1] if self.drafts else None
        text = _prose_text(node)
        if previous is None:
            if text:
                self.intro.append(text)
            return
        if self.after_stray and (
            isinstance(node, nodes.literal_block) or any(s.kind in ("steps", "stray") for s in later)
        ):
            # what follows a step written as a numbered paragraph, up to the next step, is its
            # text (nothing is indented under a paragraph); code after the last one too
            if text:
                previous.texts.append(text)
            return
        if text and id(node) in self.rejoined:
            previous.texts.append(text)  # reported with the sub-list that ended the step
            return
        cut = sub_list_cut(self.ex, previous, next_list)
        if cut is not None and body_fell_out(self.ex, node, cut[0][-1], cut[0], next_list, 0, tentative=True):
            if text:  # the last sub-step's; the list after it more of its sub-steps, or steps
                cut[0][-1].texts.append(text)
            if cut[1]:
                self.merge_into = previous
            else:
                self.merge_next = next_list is not None and continues(
                    self.last_list, next_list, self.ex, after_body=True
                )
            return
        if body_fell_out(self.ex, node, previous, self.last_list, next_list):
            if text:  # a screenshot has none
                previous.texts.append(text)
            self.merge_next = next_list is not None and continues(
                self.last_list, next_list, self.ex, after_body=True
            )
            return
        if text:
            self.notes.append(Note(text=text, line=node_line(node)))
            self.folded_steps(node)

    def folded_steps(self, node: nodes.Node) -> None:
        """The next steps written on the lines of a paragraph after the list, with no blank
        line before them ("Then:" and ``3. Restart``): the paragraph swallows them, as Markdown
        only lets a list that starts at 1 interrupt a paragraph. Reported as stray steps of the
        step before, once: the blank line that lets the first one start a list fixes them all
        (their text stays in the note)."""
        last = next((d for d in reversed(self.drafts) if (d.step.number or "").isdigit()), None)
        if last is None or not isinstance(node, nodes.paragraph):
            return
        folded = numbered_lines(node)
        if folded and folded[0][0] == str(int(last.step.number or 0) + 1):
            number, line, text = folded[0]
            last.step.swallowed = (*last.step.swallowed, Note(text=f"{number} {text}".strip(), line=line))


def _only_links(node: nodes.Node) -> bool:
    """Whether every item of a list is nothing but a link (or links)."""
    items = (
        [c for c in node.children if isinstance(c, nodes.list_item)]
        if isinstance(node, nodes.Element)
        else []
    )
    if not items:
        return False
    for item in items:
        blocks = [c for c in item.children if not isinstance(c, INVISIBLE)]
        if len(blocks) != 1 or not isinstance(blocks[0], nodes.paragraph):
            return False
        words = [
            c
            for c in blocks[0].children
            if not (isinstance(c, nodes.Text) and not str(c).strip(" \t\n.,;:-"))
        ]
        if not words or not all(isinstance(c, nodes.reference | addnodes.pending_xref) for c in words):
            return False
    return True


def _prose_text(node: nodes.Node) -> str:
    if isinstance(node, nodes.Admonition):
        adm = read_admonition(node)
        return f"{adm.title}: {adm.text}" if adm.text else adm.title
    return block_text(node)
