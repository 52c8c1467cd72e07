"""Once a runbook is read: each step's title (bold, or italic where the runbook uses it),
text and id, and the collector told of each step's node.

A step's id comes from what it says (:mod:`sphinx_incident.model.ids`), or from a label
the author pinned it with; steps that would share one are told apart by their own text,
never by their place, so an edit elsewhere in the runbook changes no step's id."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from docutils import nodes

from ...model import Runbook, Step
from ...model.ids import MAX_STEP_ID, distinct, pinned_step_id, shorten, step_fingerprint, step_id
from ..doctree import INVISIBLE
from .context import Extraction
from .steps import Draft


def finish(extractor: Extraction, runbook: Runbook, drafts: list[Draft]) -> None:
    """Decide titles (bold, or italic where the runbook uses it), texts and ids; tell ``on_step``.

    A step's id comes from what it says (:mod:`sphinx_incident.model.ids`), or from a label the
    author pinned it with; steps that would share one are told apart by their own text,
    never by their place, so an edit elsewhere in the runbook changes no step's id."""
    everything = list(_walk_drafts(drafts))
    openings = [d.opening for d in everything if d.opening is not None and d.step.origin != "section"]
    bold = sum(1 for o in openings if o.bold)
    italic = sum(1 for o in openings if o.italic)
    use_italic = bold == 0 and italic >= 2 and italic * 2 >= len(openings)
    for draft in everything:
        _settle_text(draft, use_italic)
    pinned = [_pinned_label(draft.node) for draft in everything]
    steps = [draft.step for draft in everything]
    wanted = [
        pinned_step_id(label) if label else step_id(step.title, step.text)
        for label, step in zip(pinned, steps, strict=True)
    ]
    parents = _parents(drafts)
    wanted = _under_parents(steps, wanted, pinned, parents)
    # what tells apart steps that still want one id: their own title and text (and, for
    # sub-steps saying the same under steps that want one id, the step they are under)
    own = {id(step): want for step, want in zip(steps, wanted, strict=True)}
    contents = [
        f"{step.title or ''}\n{step.text}"
        + (f"\n{own[id(parents[id(step)])]}" if id(step) in parents else "")
        for step in steps
    ]
    fixed = [bool(label) for label in pinned]
    final = distinct(wanted, contents, fixed, MAX_STEP_ID)
    # untitled steps alike are told apart silently; where a titled or pinned step is one of
    # them, its id changed too, so every step of the set is reported with it
    named = {want for step, want, label in zip(steps, wanted, pinned, strict=True) if step.title or label}
    collisions = []
    for step, want, given in zip(steps, wanted, final, strict=True):
        step.id = given
        step.fingerprint = step_fingerprint(step.title, step.text)
        if given != want and want in named:
            collisions.append((want, given))
    for draft in everything:
        draft.step.substeps = tuple(child.step for child in draft.children)
        if extractor.on_step is not None:
            extractor.on_step(draft.node, draft.step)
    runbook.steps = tuple(d.step for d in drafts)
    runbook.id_collisions = tuple(collisions)


def _settle_text(draft: Draft, use_italic: bool) -> None:
    """A step's title (bold, or italic where the runbook uses it), owner and text."""
    step = draft.step
    opening = draft.opening
    texts = list(draft.texts)
    if opening is not None:
        if opening.bold:
            step.title, rest = opening.bold, opening.bold_rest
        elif use_italic and opening.italic:
            step.title, rest = opening.italic, opening.italic_rest
        else:
            step.title, rest = None, opening.plain
        if step.origin == "section":
            rest = ""
        if opening.lead and step.title:
            rest = f"{opening.lead} {rest}".strip() if rest else opening.lead
        step.owner = opening.owner
        if rest:
            texts.insert(0, rest)
    step.text = "\n\n".join(t for t in texts if t)


def _pinned_label(node: nodes.Element) -> str | None:
    """The label an author put at the very start of a step to pin its id: ``(name)=`` in
    MyST, ``.. _name:`` in reStructuredText, before the step's first paragraph."""
    for child in node.children:
        if isinstance(child, nodes.target):
            name = child.get("refid") or next(iter(child.get("names", ())), None)
            if name:
                return str(name)
            continue
        if not isinstance(child, INVISIBLE):
            return None
    return None


def _parents(drafts: list[Draft]) -> dict[int, Step]:
    """For each sub-step (by ``id()`` of its step), the step it is under."""
    found: dict[int, Step] = {}

    def visit(children: list[Draft], parent: Step) -> None:
        for child in children:
            found[id(child.step)] = parent
            visit(child.children, child.step)

    for draft in drafts:
        visit(draft.children, draft.step)
    return found


def _under_parents(
    steps: list[Step], wanted: list[str], pinned: list[str | None], parents: dict[int, Step]
) -> list[str]:
    """The ids wanted, with sub-steps that say the same thing under several steps named under
    their parents (``restart-the-worker-check-the-logs``): the same "check the logs" under
    several steps is one habit of writing, not a clash, and the parent's name keeps each one's
    id readable and as stable as the parent's. Only where every step (not pinned) wanting the
    id is a sub-step: a top-level step never takes the plain id a sub-step had, so adding one
    moves no link to another step (they are told apart by their text, and reported)."""
    counts = Counter(wanted)
    groups: dict[str, list[int]] = {}
    for index, (want, label) in enumerate(zip(wanted, pinned, strict=True)):
        if not label:
            groups.setdefault(want, []).append(index)
    under = {
        index
        for want, members in groups.items()
        if counts[want] > 1 and all(id(steps[i]) in parents for i in members)
        for index in members
    }
    wanted_of: dict[int, str] = {}
    result = []
    for index, (step, want) in enumerate(zip(steps, wanted, strict=True)):
        if index in under:  # parents come first: a sub-sub-step is named under its parent's new name
            want = shorten(f"{wanted_of[id(parents[id(step)])]}-{want}", MAX_STEP_ID)
        wanted_of[id(step)] = want
        result.append(want)
    return result


def _walk_drafts(drafts: list[Draft]) -> Iterator[Draft]:
    for draft in drafts:
        yield draft
        yield from _walk_drafts(draft.children)
