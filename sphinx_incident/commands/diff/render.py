"""The changes between two step lists as text, as a Markdown pull-request comment, or as JSON.

Everything taken from the documents (titles, texts, role names, link texts
and URLs) goes through the commands' one escape
(:func:`~sphinx_incident.commands.terminal.printable`), after its white space is
collapsed, so it cannot act on a terminal or start a line of its own; in
Markdown it is also escaped so that no input adds markup, HTML, a link,
a mention or an issue reference to the comment: HTML-escaped inside the
``<summary>`` line, backslash- and entity-escaped in the Markdown body, URLs
and ids in code spans (:mod:`sphinx_incident.rendering.markdown`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ...reading.doctree import clean
from ...rendering.markdown import code_span, inert_html, inert_markdown
from ..terminal import json_text as printable_json
from ..terminal import printable
from .changes import Changes, ItemChange, RunbookChange, StepChange, StepRef, WordDiff, word_diff

FORMATS = ("text", "markdown", "json")
#: words of unchanged text kept around each change of a word diff
CONTEXT = 4
#: the mark of a comment this command wrote, for workflows that update it in place
COMMENT_MARK = "<!-- sphinx-incident diff -->"
ELLIPSIS = "…"
ARROW = "→"
#: how the working tree is named as a side
WORKING_TREE = "the working tree"


class Style:
    """How the text report writes things; :class:`MarkdownStyle` escapes and marks them up."""

    def text(self, value: str) -> str:
        return printable(clean(value))

    def quoted(self, value: str) -> str:
        return f'"{printable(clean(value))}"'

    def code(self, value: str) -> str:
        return printable(clean(value))

    def deleted(self, value: str) -> str:
        return f"[-{value}-]"

    def inserted(self, value: str) -> str:
        return f"{{+{value}+}}"

    def strong(self, value: str) -> str:
        return value


class MarkdownStyle(Style):
    def text(self, value: str) -> str:
        return printable(inert_markdown(value))

    def quoted(self, value: str) -> str:
        return f"“{printable(inert_markdown(value))}”"

    def code(self, value: str) -> str:
        return printable(code_span(value))

    def deleted(self, value: str) -> str:
        return f"<del>{value}</del>"

    def inserted(self, value: str) -> str:
        return f"<ins>{value}</ins>"

    def strong(self, value: str) -> str:
        return f"**{value}**"


# -- shared wording ------------------------------------------------------------------------------


def step_name(ref: StepRef, style: Style | None = None) -> str:
    """``step 2.b`` (bullets are ``•``)."""
    numbers = ".".join(n if n is not None else "•" for n in ref.numbers)
    return f"step {(style or Style()).text(numbers)}" if numbers else "step"


def step_label(ref: StepRef, style: Style) -> str:
    title = ref.title or ref.id
    return f"{step_name(ref, style)} {style.quoted(title)}"


def words(diff: WordDiff, style: Style) -> str:
    """A word diff with a few words of context around each change."""
    out = []
    last = len(diff.ops) - 1
    for i, (op, text) in enumerate(diff.ops):
        if op == "-":
            out.append(style.deleted(style.text(text)))
        elif op == "+":
            out.append(style.inserted(style.text(text)))
        else:
            run = text.split(" ")
            head = run[:CONTEXT] if i > 0 else []
            tail = run[-CONTEXT:] if i < last else []
            if len(head) + len(tail) >= len(run):
                out.append(style.text(text))
                continue
            kept = [style.text(" ".join(head))] if head else []
            kept.append(ELLIPSIS)
            if tail:
                kept.append(style.text(" ".join(tail)))
            out.append(" ".join(kept))
    return " ".join(out)


def _items(kind: str, items: list[ItemChange], style: Style, urls: bool = False) -> list[str]:
    parts = []
    for item in items:
        name = f"{kind} {style.quoted(item.label)}"
        if item.status == "changed":
            if urls:
                parts.append(f"{name}: {style.code(item.old or '')} {ARROW} {style.code(item.new or '')}")
            else:
                parts.append(f"{name} reworded: {words(_as_diff(item), style)}")
        elif urls and (item.new or item.old):
            parts.append(f"{name} {item.status} ({style.code(item.new or item.old or '')})")
        else:
            parts.append(f"{name} {item.status}")
    return parts


def _as_diff(item: ItemChange) -> WordDiff:
    return word_diff(item.old or "", item.new or "") or WordDiff([("=", item.new or "")])


def step_details(change: StepChange, style: Style) -> list[str]:
    """What changed in a step, one phrase each."""
    assert change.old is not None and change.new is not None
    parts = []
    if change.retitled:
        parts.append(f"retitled from {style.quoted(change.old.title or change.old.id)}")
    if change.renamed:
        ids = f"{style.code(change.old.id)} {ARROW} {style.code(change.new.id)}"
        if change.same_text:
            parts.append(f"id {ids} although it says the same (links to the old anchor break)")
        else:
            parts.append(f"id {ids} (links to the old anchor break)")

    if change.moved:
        if change.reparented:
            parts.append(f"moved from {step_name(change.old, style)}")
        else:
            parts.append(f"moved (was {step_name(change.old, style)})")
    elif change.renumbered and change.details():
        parts.append(f"renumbered (was {step_name(change.old, style)})")
    if change.text is not None:
        parts.append(f"text: {words(change.text, style)}")
    if change.owner is not None:
        owner = change.owner
        if owner.status == "changed":
            parts.append(f"owner {style.quoted(owner.old or '')} {ARROW} {style.quoted(owner.new or '')}")
        else:
            parts.append(f"owner {style.quoted(owner.label)} {owner.status}")
    parts += _items("role", change.roles, style)
    parts += _items("term", change.terms, style)
    parts += _items("link", change.links, style, urls=True)
    parts += _items("button", change.buttons, style, urls=True)
    parts += _items("admonition", change.admonitions, style)
    if not change.renamed and not change.same_text:
        parts.append("same id, new words: saved runs ask the responder about their ticks on it")
    return parts


def renumbered(runbook: RunbookChange) -> list[StepChange]:
    return [s for s in runbook.steps if s.only_renumbered()]


def _renumbering(steps: list[StepChange], style: Style) -> str:
    pairs = []
    for step in steps:
        assert step.old is not None and step.new is not None
        old, new = step_name(step.old, style), step_name(step.new, style)
        pairs.append(f"{old.removeprefix('step ')} {ARROW} {new.removeprefix('step ')}")
    return ", ".join(pairs)


def runbook_details(runbook: RunbookChange, style: Style) -> list[str]:
    """What changed in the runbook itself (not its steps)."""
    parts = []
    if runbook.old_id is not None:
        parts.append(
            f"id {style.code(runbook.old_id)} {ARROW} {style.code(runbook.id)} "
            "(links to the old anchors break)"
        )
    if runbook.old_title is not None:
        parts.append(f"retitled from {style.quoted(runbook.old_title)}")
    if runbook.old_page is not None:
        parts.append(f"moved from page {style.code(runbook.old_page)} to {style.code(runbook.page)}")
    parts += _items("owner", runbook.owners, style)
    if runbook.intro is not None:
        parts.append(f"introduction: {words(runbook.intro, style)}")
    return parts


def summary(changes: Changes) -> str:
    """``2 runbooks changed, 1 added``."""
    if not changes.changed:
        return "no runbook changed"
    counts = [(changes.count(status), status) for status in ("changed", "added", "removed")]
    shown = [(n, word) for n, word in counts if n]
    (first, word), rest = shown[0], shown[1:]
    return ", ".join([f"{_plural(first, 'runbook')} {word}", *(f"{n} {w}" for n, w in rest)])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def step_counts(runbook: RunbookChange) -> str:
    """``1 step added, 2 changed``."""
    added = sum(1 for s in runbook.steps if s.status == "added")
    removed = sum(1 for s in runbook.steps if s.status == "removed")
    changed = sum(1 for s in runbook.steps if s.status == "changed" and not s.only_renumbered())
    moved = sum(1 for s in runbook.steps if s.moved)
    parts = [f"{n} {word}" for n, word in ((added, "added"), (removed, "removed"), (changed, "changed")) if n]
    text = ""
    if parts:
        first, *rest = parts
        number, _, word = first.partition(" ")
        text = ", ".join([f"{_plural(int(number), 'step')} {word}", *rest])
    if moved:
        text += f" ({moved} moved)"
    if not text and renumbered(runbook):
        text = "steps renumbered"
    return text


# -- text ----------------------------------------------------------------------------------------


def _step_lines(runbook: RunbookChange, style: Style) -> list[str]:
    lines = []
    for change in runbook.steps:
        if change.status == "added":
            assert change.new is not None
            lines.append(f"  + added {step_label(change.new, style)}")
        elif change.status == "removed":
            assert change.old is not None
            lines.append(f"  - removed {step_label(change.old, style)}")
        elif not change.only_renumbered():
            assert change.new is not None
            lines.append(f"  ~ {step_label(change.new, style)}: " + "; ".join(step_details(change, style)))
    again = renumbered(runbook)
    if again:
        lines.append(f"  renumbered: {_renumbering(again, style)}")
    return lines


def text(changes: Changes, old_label: str = "", new_label: str = "") -> str:
    style = Style()
    lines = []
    if old_label or new_label:
        lines.append(
            f"runbook changes from {printable(old_label)} to {printable(new_label)}: {summary(changes)}"
        )
    else:
        lines.append(f"runbook changes: {summary(changes)}")
    for runbook in changes.runbooks:
        head = f"runbook {style.code(runbook.id)} {style.quoted(runbook.title)}"
        page = style.code(runbook.page)
        if runbook.status == "added":
            lines.append(f"+ {head} added ({_plural(runbook.step_count, 'step')}, page {page})")
            continue
        if runbook.status == "removed":
            lines.append(f"- {head} removed ({_plural(runbook.step_count, 'step')}, page {page})")
            continue
        counts = step_counts(runbook)
        lines.append(f"~ {head}" + (f": {counts}" if counts else ""))
        lines += [f"  * {part}" for part in runbook_details(runbook, style)]
        lines += _step_lines(runbook, style)
    return "\n".join(lines) + "\n"


# -- markdown ------------------------------------------------------------------------------------


def _side(label: str) -> str:
    return label if label == WORKING_TREE else printable(code_span(label))


def markdown(changes: Changes, old_label: str = "", new_label: str = "") -> str:
    """A pull-request comment: a summary line, then one collapsible section per runbook."""
    style = MarkdownStyle()
    out = [COMMENT_MARK, "### Runbook changes", ""]
    if old_label or new_label:
        out += [f"From {_side(old_label)} to {_side(new_label)}: {summary(changes)}.", ""]
    else:
        out += [f"{summary(changes).capitalize()}.", ""]
    for runbook in changes.runbooks:
        if runbook.status == "changed":
            what = step_counts(runbook) or "changed"
        else:
            what = f"{runbook.status}, {_plural(runbook.step_count, 'step')}"
        out += [
            "<details>",
            f"<summary><strong>{printable(inert_html(runbook.title))}</strong> "
            f"(<code>{printable(inert_html(runbook.id))}</code>): {printable(inert_html(what))}</summary>",
            "",
        ]
        items = [f"- {part[0].upper()}{part[1:]}" for part in runbook_details(runbook, style)]
        for change in runbook.steps:
            if change.status == "added":
                assert change.new is not None
                items.append(f"- **Added** {step_label(change.new, style)}")
            elif change.status == "removed":
                assert change.old is not None
                items.append(f"- **Removed** {step_label(change.old, style)}")
            elif not change.only_renumbered():
                assert change.new is not None
                details = step_details(change, style)
                if len(details) == 1:
                    items.append(f"- **Changed** {step_label(change.new, style)}: {details[0]}")
                else:
                    items.append(f"- **Changed** {step_label(change.new, style)}:")
                    items += [f"  - {part}" for part in details]
        again = renumbered(runbook)
        if again:
            items.append(f"- Renumbered: {_renumbering(again, style)}")
        if runbook.status == "removed":
            items.append(f"- Was on page {style.code(runbook.page)}")
        out += [*items, "", "</details>", ""]
    return "\n".join(out).rstrip("\n") + "\n"


# -- json ----------------------------------------------------------------------------------------


def json_text(changes: Changes, old_label: str = "", new_label: str = "") -> str:
    data: dict[str, Any] = {
        "old": old_label,
        "new": new_label,
        "changed": changes.count("changed"),
        "added": changes.count("added"),
        "removed": changes.count("removed"),
        "runbooks": [dataclasses.asdict(r) for r in changes.runbooks],
    }
    return printable_json(data) + "\n"


def render(changes: Changes, fmt: str, old_label: str = "", new_label: str = "") -> str:
    if fmt == "json":
        return json_text(changes, old_label, new_label)
    if fmt == "markdown":
        return markdown(changes, old_label, new_label)
    return text(changes, old_label, new_label)
