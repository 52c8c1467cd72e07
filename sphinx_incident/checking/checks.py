"""The runbook checks: pure functions from a resolved runbook to its problems.

The rules they report are declared in :mod:`sphinx_incident.checking.rules`. The
checks read only the model: structural rules look at how steps were found
(``origin``, ``number``, ``list_index``), reference rules at the ``resolved``
flags that :mod:`sphinx_incident.checking.resolve` fills in once every document is
read. :mod:`sphinx_incident.checking.review` runs them on every build.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..model import Link, Problem, Reference, Runbook, Step
from ..model.numbers import BRACKETED_SUFFIX, ESCAPED_SUFFIX, format_number, number_value
from . import urls
from .rules import OFF, Settings

# -- the checks ------------------------------------------------------------------


@dataclass
class _Found:
    rule: str
    message: str
    line: int | None
    #: the file, when not the runbook's own (content included from another file)
    path: str | None = None
    #: other lines where the same cause shows (:attr:`Problem.related`)
    related: tuple[int, ...] = ()
    #: the last line of a stretch (:attr:`Problem.end_line`)
    end_line: int | None = None


def _stray_steps(runbook: Runbook) -> Iterator[_Found]:
    noun = "item" if runbook.declared_by == "listed" else "step"  # a list that is no procedure
    # a numbered paragraph whose cause the extraction read from the source: reported there
    read = {defect.line for defect in runbook.defects if defect.rule == "stray_step"}
    runs = _paragraph_runs(runbook, read)
    for step in runbook.walk():
        if step.origin == "paragraph" and id(step) in runs:
            run = runs[id(step)]
            if step is run[0]:
                shows = "the page shows no list" if run[0].number == "1" else "the list ends before them"
                yield _Found(
                    "stray_step",
                    f"{noun}s {run[0].number}-{run[-1].number} are numbered paragraphs, not list items, so "
                    f"{shows}; write each as `{run[0].number}. ...` (a list item), with what belongs "
                    "to the step indented under it",
                    step.line,
                    step.source,
                    end_line=run[-1].line,
                )
        elif _stray(step) and step.line not in read:
            title = f"**{step.title}**" if step.title else "..."
            written = f"`{step.number}. {title}`"
            if runbook.steps and step is runbook.steps[-1]:
                # the last step: no list after it restarts, and its blank line may be there
                told = f"renders as a paragraph after the list; write it as a list item, {written}"
            else:
                told = (
                    "renders as a paragraph and the list restarts after it; "
                    f"write {written} with a blank line before it"
                )
            yield _Found(
                "stray_step",
                f"{noun} {step.number} is not a list item, so it {told}",
                step.line,
                step.source,
            )
        for line in step.swallowed:
            number, _, rest = line.text.partition(" ")
            yield _Found(
                "stray_step",
                f"{noun} {number} ({rest}) is folded into the paragraph above it as a continuation "
                f"line; write `{number}. {rest}` on its own line, with a blank line before it",
                line.line,
                step.source,
            )


def _written_as_paragraphs(strays: Sequence[Step], value: int) -> bool:
    """Whether every step before the list's first (numbered ``value``) is a numbered paragraph:
    each is reported as a stray step, and the list starts late for that one cause."""
    typed = {number_value(step) for step in strays}
    return value - 1 <= len(typed) and all(number in typed for number in range(1, value))


def _stray(step: Step) -> bool:
    """A step written as a numbered paragraph by mistake; not one whose number's dot the author
    escaped to keep the page from making it a list item, nor one numbered in brackets
    (``(1)``), which no Markdown list marker is (hand-numbered steps, on purpose)."""
    return step.origin == "paragraph" and step.suffix not in (ESCAPED_SUFFIX, BRACKETED_SUFFIX)


def _paragraph_runs(runbook: Runbook, read: set[int | None]) -> dict[int, list[Step]]:
    """The steps written as numbered paragraphs one after another (two or more, numbered in
    turn, no list item between them), by each step's ``id()``: one mistake, reported once.
    Those at the ``read`` lines are reported with their own causes, each apart."""
    runs: dict[int, list[Step]] = {}
    for steps in [runbook.steps, *(s.substeps for s in runbook.walk() if s.substeps)]:
        run: list[Step] = []
        for step in [*steps, None]:
            stray = step is not None and _stray(step) and step.line not in read
            value = number_value(step) if step is not None and stray else None
            if value is not None and run and value == (number_value(run[-1]) or 0) + 1:
                run.append(step)  # type: ignore[arg-type]
                continue
            if len(run) >= 2:
                runs.update((id(s), run) for s in run)
            run = [step] if value is not None and step is not None else []
    return runs


def _numbering(steps: Sequence[Step], top_level: bool) -> Iterator[_Found]:
    """Gaps, duplicates and restarts between the lists of one level of steps."""
    # a list may count from 0 on purpose ("0. Prerequisites"): its steps are numbered too
    items = [
        s
        for s in steps
        if s.origin in ("item", "section", "inline") and s.ordered and number_value(s) is not None
    ]
    strays = [s for s in steps if s.origin == "paragraph" and number_value(s)]
    seen: dict[int, Step] = {}
    previous: Step | None = None
    for step in items:
        value = number_value(step)
        assert value is not None and step.number is not None
        if previous is None:
            # else typed on after a break, or the steps before it are written as paragraphs
            if (
                value > 1
                and top_level
                and step.carries_on is None
                and not _written_as_paragraphs(strays, value)
            ):
                yield _Found(
                    "numbering_gap", f"the steps start at {step.number}, not at 1", step.line, step.source
                )
        elif step.list_index != previous.list_index:
            before = number_value(previous) or 0
            if value == before + 1:
                pass  # a list continued after an interruption
            elif value <= 1 and step.after_lead_in:
                pass  # a new list after its own lead-in ("Then:"): deliberate
            elif value <= 1:
                following = format_number(before + 1, step.enumtype)
                parted = step.after_text
                yield _Found(
                    "numbering_restart",
                    f"the numbering restarts at {step.number} after step {previous.number}; "
                    + (
                        f"the text at line {parted} ends the list: indent it to the text of step "
                        f"{previous.number} if it belongs to that step, and the list carries on as one; "
                        f"or number this step {following}"
                        if parted is not None
                        else _marker_change(previous, step) + f"continue it at {following}"
                    ),
                    step.line,
                    step.source,
                    related=(parted,) if parted is not None else (),
                )
            elif value in seen:
                yield _Found(
                    "numbering_duplicate",
                    f"step {step.number} is numbered like the step at line {seen[value].line}",
                    step.line,
                    step.source,
                )
            elif value > before + 1 and _all_folded(steps, before, value, step.enumtype):
                pass  # the missing steps are folded into the text above: reported as stray steps
            elif value > before + 1:
                # only the ends of the gap: a typo like 1000000 must not list every number
                first = format_number(before + 1, step.enumtype)
                last = format_number(value - 1, step.enumtype)
                what = f"step {first} is" if value - before == 2 else f"steps {first}-{last} are"
                lost = [s for s in strays if before < (number_value(s) or 0) < value]
                why = (
                    f" from the list (line {lost[0].line} writes step {lost[0].number} as a paragraph)"
                    if lost
                    else ""
                )
                yield _Found(
                    "numbering_gap",
                    f"step {step.number} follows step {previous.number}: {what} missing{why}",
                    step.line,
                    step.source,
                )
        seen.setdefault(value, step)
        previous = step


def _marker_change(previous: Step, step: Step) -> str:
    """Why a list broke where its marker changes (``2)`` then ``1.``), or nothing."""
    if previous.suffix == step.suffix:
        return ""
    return (
        f"`{previous.number}{previous.suffix}` then `{step.number}{step.suffix}` start a new list "
        "where the marker changes; keep one marker and "
    )


def _all_folded(steps: Sequence[Step], before: int, after: int, enumtype: str) -> bool:
    """Whether each number between two steps is a step folded into a paragraph
    (:attr:`Step.swallowed`); a gap wider than the folded steps (a typo like 1000000) is not."""
    folded = {note.text.partition(" ")[0] for step in steps for note in step.swallowed}
    if after - before - 1 > len(folded):
        return False
    return all(format_number(n, enumtype) in folded for n in range(before + 1, after))


def _numbering_all(runbook: Runbook, part: bool = False) -> Iterator[_Found]:
    """``part``: the runbook's document is included into others, numbered to follow what
    stands before it there: it may start above 1."""
    yield from _numbering(runbook.steps, top_level=not part)
    for step in runbook.walk():
        if step.substeps:
            yield from _numbering(step.substeps, top_level=False)


def _detached(runbook: Runbook) -> Iterator[_Found]:
    for step in runbook.walk():
        if step.origin == "paragraph":
            continue  # fixing the stray step re-attaches its list: one report is enough
        reported: set[int] = set()
        for sub in step.substeps:
            if sub.origin == "detached" and sub.list_index not in reported:
                reported.add(sub.list_index)
                yield _Found(
                    "detached_substeps",
                    f"this list is not indented under the step above ({_name(step)}), so it is "
                    "not part of it; indent it, with any text between that step and it (a lead-in "
                    "at the margin ends the step too), to the text of that step",
                    sub.line,
                    sub.source,
                )


def _name(step: Step) -> str:
    return f"**{step.title}**" if step.title else f"step {step.number or step.id}"


def _untitled(runbook: Runbook) -> Iterator[_Found]:
    steps = [s for s in runbook.steps if s.origin != "detached"]
    titled = sum(1 for s in steps if s.title)
    if titled * 2 <= len(steps):
        return  # a runbook written without titles is consistent
    for step in steps:
        if not step.title and (step.text or not step.substeps):  # no text at all: an empty item
            yield _Found(
                "untitled_step",
                f"step {step.number or step.id} has no bold title, unlike the other steps; "
                "start it with **Title**",
                step.line,
                step.source,
            )


def _did_you_mean(target: str, known: Sequence[str]) -> str:
    """`` (did you mean 'External Liaison'?)`` when a defined name is close to ``target``."""
    by_key = {name.casefold(): name for name in known}
    close = difflib.get_close_matches(target.casefold(), list(by_key), n=1, cutoff=0.8)
    return f" (did you mean {by_key[close[0]]!r}?)" if close else ""


def _references(runbook: Runbook, settings: Settings) -> Iterator[_Found]:
    for step in runbook.walk():
        refs: list[tuple[str, Reference]] = [("term", r) for r in step.terms]
        refs += [("role", r) for r in step.roles]
        links: list[Link] = list(step.links)
        for footnote in step.footnotes:
            refs += [("term", r) for r in footnote.terms]
            refs += [("role", r) for r in footnote.roles]
            links += footnote.links
        if step.owner is not None and step.owner.resolved is False:  # a {role} that resolves nowhere
            refs.append(("role", step.owner))
        for kind, ref in refs:
            if ref.resolved is not False:
                continue
            if kind == "role":
                yield _Found(
                    "undefined_role",
                    undefined_role_message(ref.target, settings.known_roles),
                    ref.line,
                    ref.source,
                )
            else:
                yield _Found(
                    "undefined_term",
                    f"term {ref.target!r} is not in any glossary"
                    f"{_did_you_mean(ref.target, settings.known_terms)}; "
                    "add it to a glossary or fix the name",
                    ref.line,
                    ref.source,
                )
        for link in links:
            yield from _link(link)
    for owner in runbook.owners:
        if owner.resolved is False:
            yield _Found(
                "undefined_role", undefined_role_message(owner.target, settings.known_roles), owner.line
            )


def undefined_role_message(target: str, known: Sequence[str]) -> str:
    """The one wording of ``undefined_role``, wherever the reference is."""
    return (
        f"role {target!r} is not defined in any document{_did_you_mean(target, known)}; "
        "define it with a team-role directive or fix the name"
    )


def url_problem(url: str) -> tuple[str, str] | None:
    """The rule and message for a URL that is malformed, unsafe or a placeholder, else ``None``."""
    return urls.problem(url)


def _link(link: Link) -> Iterator[_Found]:
    for found in _link_problems(link):
        found.path = link.source  # a link in content included from another file is reported there
        yield found


def _link_problems(link: Link) -> Iterator[_Found]:
    if link.kind == "button" and link.text.strip() in ("", link.target.strip()):
        # sphinx-design shows the bare URL when a button has no content
        yield _Found("button_text", "the button has no text of its own; say what it opens", link.line)
    internal = link.kind == "internal" or (link.kind == "button" and link.reftype)
    if internal:
        if link.resolved is False:
            yield _Found(
                "unresolved_reference",
                f"the reference to {link.target!r} points at no label or document",
                link.line,
            )
        return
    found = url_problem(link.target)
    if found is not None and found[0] == "url_scheme" and _written_as_text(link):
        return  # `chrome://flags` in prose: the parser made a link of text the author wrote as text
    if found is not None:
        yield _Found(found[0], found[1], link.line)


def _written_as_text(link: Link) -> bool:
    """A URL the author wrote as plain text, which the parser linked on its own (rST's
    standalone URIs): its text is the URL itself."""
    return link.kind == "external" and link.text.strip() == link.target.strip()


def _link_hosts(runbook: Runbook, hosts: Sequence[str]) -> Iterator[_Found]:
    if not hosts:
        return
    for link in iter_links(runbook):
        if link.kind not in ("external", "button") or link.reftype:
            continue
        # a broken or placeholder URL is reported once, by its own rule
        host = urls.outside_hosts(link.target, hosts)
        if host is not None:
            yield _Found(
                "link_host",
                f"the link goes to {host}, which is not in incident_link_hosts",
                link.line,
                link.source,
            )


def _empty(runbook: Runbook) -> Iterator[_Found]:
    if not runbook.steps:
        yield _Found(
            "empty_runbook",
            f"runbook {runbook.id!r} has no steps; write them as a numbered list",
            runbook.line,
        )


def _collisions(runbook: Runbook) -> Iterator[_Found]:
    """One finding for each set of titled or pinned steps that wanted one id, at the last of
    them (the one that repeats what came before), naming the lines of the others."""
    by_id = {step.id: step for step in runbook.walk()}
    groups: dict[str, list[Step]] = {}
    for wanted, given in runbook.id_collisions:
        step = by_id.get(given)
        if step is not None:
            groups.setdefault(wanted, []).append(step)
    for wanted, steps in groups.items():
        *earlier, last = steps
        if not earlier:
            continue
        lines = [str(step.line) for step in earlier if step.line]
        others = (
            f"the one at line {lines[0]}"
            if len(earlier) == 1 and lines
            else f"the ones at lines {', '.join(lines)}"
            if lines
            else "another"
        )
        yield _Found(
            "duplicate_step_id",
            f"this step and {others} would have the same id, {wanted!r}, so each id "
            "ends in a hash of its text and changes when the step is reworded: give the steps "
            "distinct titles, or pin the ids with labels",
            last.line or runbook.line,
            last.source if last.line else None,
        )


def iter_links(runbook: Runbook) -> Iterator[Link]:
    """Every link of a runbook's steps and of their footnotes, in document order."""
    for step in runbook.walk():
        yield from step.links
        for footnote in step.footnotes:
            yield from footnote.links


def _defects(runbook: Runbook) -> Iterator[_Found]:
    """List mistakes read from the source when the runbook was extracted."""
    for defect in runbook.defects:
        path = defect.path or None
        yield _Found(defect.rule, defect.message, defect.line, path, defect.related, defect.end_line)


#: the rules about how a procedure is written down, which need no resolved references:
#: what ``incident_lint_scope = "discovered"`` runs on procedures no one declared
#: (``untitled_step`` is not one: titles are the checklist's convention, which a procedure
#: no one declared has not taken on)
STRUCTURAL = frozenset(
    {"stray_step", "numbering_gap", "numbering_duplicate", "numbering_restart", "detached_substeps",
     "outdented_body", "outdented_sublist", "indented_body", "run_in_list", "inline_step_numbers",
     "nesting_too_deep", "empty_item", "foreign_markup", "unclosed_fence", "joined_line"}
)  # fmt: skip


#: the mistakes that break any list, procedure or not, as the page shows it: what
#: ``incident_lint_scope = "discovered"`` runs on the sections whose lists are something else
#: (numbering is a procedure's: other lists are often several lists on purpose)
ANY_LIST = frozenset(
    {
        "outdented_body",
        "outdented_sublist",
        "indented_body",
        "run_in_list",
        "joined_line",
        "nesting_too_deep",
        "empty_item",
        "foreign_markup",
        "unclosed_fence",
        "stray_step",
    }
)


def check_structure(runbook: Runbook, settings: Settings | None = None, part: bool = False) -> list[Problem]:
    """The structural problems of a runbook, resolved or not; of a section holding lists that
    are not procedures (``declared_by == "listed"``), those that break any list, and numbers
    typed in one Markdown list that skip or repeat (the page shows other numbers than the
    source, in any list)."""
    problems = check_runbook(runbook, settings, part)
    if runbook.declared_by != "listed":
        return [p for p in problems if p.rule in STRUCTURAL]
    typed = {(d.rule, d.line, d.message) for d in runbook.defects if d.rule in _NUMBERING}
    return [p for p in problems if p.rule in ANY_LIST or (p.rule, p.line, p.message) in typed]


#: the numbering rules; read from the source (:attr:`Runbook.defects`), they are about the
#: numbers typed in one list
_NUMBERING = frozenset({"numbering_gap", "numbering_duplicate"})


def check_runbook(runbook: Runbook, settings: Settings | None = None, part: bool = False) -> list[Problem]:
    """The problems of one resolved runbook, sorted by line, each reported once; ``part``:
    its document is a part that other documents include (:func:`_numbering_all`)."""
    settings = settings or Settings()
    found: list[_Found] = [
        *_empty(runbook),
        *_defects(runbook),
        *_stray_steps(runbook),
        *_numbering_all(runbook, part),
        *_detached(runbook),
        *_untitled(runbook),
        *_references(runbook, settings),
        *_link_hosts(runbook, settings.link_hosts),
        *_collisions(runbook),
    ]
    # a fence line that fell out of its step and opens code that swallows what follows: one
    # cause, told by the fence's finding, which says what the page shows
    fences = {(item.path, item.line) for item in found if item.rule == "unclosed_fence"}
    found = [item for item in found if item.rule != "outdented_body" or (item.path, item.line) not in fences]
    problems: list[Problem] = []
    seen: set[tuple[str, str | None, int | None, str]] = set()
    for item in found:
        severity = settings.severity_of(item.rule)
        key = (item.rule, item.path, item.line, item.message)
        if severity == OFF or key in seen:
            continue  # a footnote cited by two steps is one problem
        seen.add(key)
        path = item.path or runbook.source
        problems.append(
            Problem(item.rule, severity, item.message, path, item.line, item.related, end_line=item.end_line)  # type: ignore[arg-type]
        )
    problems.sort(key=lambda p: (p.line or 0, p.rule))
    return problems
