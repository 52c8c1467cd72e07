"""Once a runbook is read: each step's title (bold, or italic where the runbook uses it),
text and id, and the collector told of each step's node."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Runbook, Step
from ...model.ids import IdAllocator, slugify, untitled_slug
from .context import Extraction
from .steps import Draft


def finish(extractor: Extraction, runbook: Runbook, drafts: list[Draft]) -> None:
    """Decide titles (bold, or italic where the runbook uses it), texts and ids; tell ``on_step``."""
    everything = list(_walk_drafts(drafts))
    openings = [d.opening for d in everything if d.opening is not None and d.step.origin != "section"]
    bold = sum(1 for o in openings if o.bold)
    italic = sum(1 for o in openings if o.italic)
    use_italic = bold == 0 and italic >= 2 and italic * 2 >= len(openings)
    ids = IdAllocator()
    #: id -> the words of the untitled step that holds it
    untitled_words: dict[str, list[str]] = {}

    def settle(draft: Draft, parent: Step | None) -> None:
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
        if step.title:
            wanted = slugify(step.title)
        else:
            wanted = untitled_slug(step.text)
        if not wanted:
            wanted = f"step-{step.number}" if step.number else "step"
        if parent is not None:
            wanted = f"{parent.id}.{wanted}"
        if not step.title:
            wanted = _distinct_untitled(wanted, step, parent, ids, untitled_words)
            step.id = ids.allocate(wanted, report=False)
        else:
            step.id = ids.allocate(wanted)
        if extractor.on_step is not None:
            extractor.on_step(draft.node, step)
        for child in draft.children:
            settle(child, step)
        step.substeps = tuple(child.step for child in draft.children)

    for draft in drafts:
        settle(draft, None)
    runbook.steps = tuple(d.step for d in drafts)
    runbook.id_collisions = tuple(ids.collisions)


def _distinct_untitled(
    wanted: str, step: Step, parent: Step | None, ids: IdAllocator, words_of: dict[str, list[str]]
) -> str:
    """Untitled steps that begin alike get their words up to the first that differs from the
    step holding the id, so their ids differ silently and say what differs."""
    words = slugify(step.text, max_length=10_000).split("-")
    prefix = f"{parent.id}." if parent is not None else ""
    candidate = wanted
    while ids.taken(candidate):
        other = words_of.get(candidate, [])
        differ = next(
            (i for i, (a, b) in enumerate(zip(words, other, strict=False)) if a != b),
            min(len(words), len(other)),
        )
        if differ + 1 > len(words) or differ + 1 <= len(candidate.removeprefix(prefix).split("-")):
            break
        candidate = prefix + "-".join(words[: differ + 1])
    words_of.setdefault(candidate, words)
    return candidate


def _walk_drafts(drafts: list[Draft]) -> Iterator[Draft]:
    for draft in drafts:
        yield draft
        yield from _walk_drafts(draft.children)
