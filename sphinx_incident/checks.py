"""The runbook checks: one list of rules, pure functions from a resolved runbook to problems.

Every rule is declared once in :data:`RULES` (code, default severity, what it
catches, why it matters, how to fix it); the README's rule reference is
generated from that list by :func:`rules_markdown`. The checks read only the
model: structural rules look at how steps were found (``origin``, ``number``,
``list_index``), handbook-wide rules at the ``resolved`` flags that
:class:`~sphinx_incident.resolve.Resolver` fills in once every document is read.

The Sphinx side (:func:`check_handbook`, at ``env-updated``) runs the checks
on every runbook, stores the problems on the runbook, so ``runbooks.json``
and ``sphinx-incident lint`` see them, and logs each as a typed warning.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.util import logging

from .config import get_config
from .domain import incident_domain
from .model import Link, Problem, Reference, Runbook, Severity, Step
from .resolve import Resolver
from .safety import ALLOWED_SCHEMES, UNSAFE_SCHEMES
from .warnings_ import IncidentWarning, warn

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

SEVERITIES = ("error", "warning")
#: a severity setting that turns a rule off
OFF = "off"


@dataclass(frozen=True)
class Rule:
    """One check: its warning subtype and the documentation of what it reports."""

    code: str
    severity: Severity
    summary: str
    why: str
    fix: str

    @property
    def warning_code(self) -> str:
        return f"incident.{self.code}"


RULES: tuple[Rule, ...] = (
    Rule(
        "stray_step",
        "error",
        "A line that reads like a numbered step but is not a list item: `7 **Title**`, `7) Title`, "
        "`7: Title`, or `7. Title` folded into the paragraph above (a lazy continuation line).",
        "Markdown renders it as a plain paragraph or as more text of the previous step: the step "
        "disappears from the checklist and the numbering restarts after it, silently.",
        "Write the step as a list item, `7. **Title**`, with a blank line before it.",
    ),
    Rule(
        "numbering_gap",
        "error",
        "Step numbers skip: a list goes 1-6 and the next one starts at 8, or a runbook starts after 1.",
        "A missing number usually means a step was lost, often to a malformed line just above.",
        "Restore the missing step or renumber the steps.",
    ),
    Rule(
        "numbering_duplicate",
        "error",
        "A list continues with a number already used by an earlier step of the runbook.",
        'Two steps with one number make "do step 4" ambiguous during an incident.',
        "Renumber the steps so each number is used once.",
    ),
    Rule(
        "numbering_restart",
        "warning",
        "A list starts again at 1 in the middle of a runbook.",
        "Readers take the second list for a new procedure and the step numbers stop matching "
        "what people say on the call.",
        "Continue the numbering, or split the runbook into two runbooks.",
    ),
    Rule(
        "detached_substeps",
        "warning",
        "A list between two steps that is not indented under the step above it.",
        "Its items render as a separate list rather than as sub-steps, so they lose their step.",
        "Indent the list to the text of the step above (3 spaces under `1. `).",
    ),
    Rule(
        "untitled_step",
        "warning",
        "A step without a **bold title** where most steps of the runbook have one.",
        "Titles are the checklist: a step without one shows as anonymous text in the step list.",
        "Start the step with a bold title, `1. **Do the thing**. Details...`, or set the "
        "rule `off` when a runbook deliberately has no titles.",
    ),
    Rule(
        "undefined_role",
        "error",
        "A `{role}` reference to a team role that no document of the handbook defines.",
        "Nobody can find who is meant; Sphinx says nothing about it unless run nitpicky.",
        "Define the role with a `team-role` directive, or fix the spelling of the reference.",
    ),
    Rule(
        "undefined_term",
        "error",
        "A `{term}` reference to a term missing from every glossary.",
        "The reader gets no definition where the runbook expects one.",
        "Add the term to a glossary, or fix the spelling of the reference.",
    ),
    Rule(
        "unresolved_reference",
        "error",
        "An internal reference (`[](label)`, `{ref}`, `{doc}`, a `button-ref`) whose target does not exist.",
        "The link leads nowhere in the middle of an incident.",
        "Point it at an existing label or document, or add the missing label.",
    ),
    Rule(
        "bad_url",
        "error",
        "A link or button with an empty or malformed URL.",
        "The link does nothing, or something unexpected, when clicked.",
        "Write a complete `https://` URL.",
    ),
    Rule(
        "unsafe_url",
        "error",
        "A link or button with a `javascript:`, `data:`, `vbscript:` or `file:` URL.",
        "Such links run code or read local files; they are never rendered as links.",
        "Link to an `https://` page instead.",
    ),
    Rule(
        "url_scheme",
        "warning",
        "A link or button whose scheme is not `https`, `http` or `mailto`.",
        "Other schemes open other applications, or nothing, on the responder's machine.",
        "Link to an `https://` page instead.",
    ),
    Rule(
        "link_host",
        "warning",
        "A link or button to a host outside `incident_link_hosts`, when that allowlist is set.",
        "Runbooks should send responders only to the tools the team actually uses.",
        "Link to an allowed host, or add the host to `incident_link_hosts`.",
    ),
    Rule(
        "placeholder_url",
        "error",
        "A link or button to a placeholder: `example.com`, `localhost`, `TODO`, `<name>`.",
        "The runbook was never finished; the link fails when it is needed.",
        "Replace the placeholder with the real URL.",
    ),
    Rule(
        "button_text",
        "error",
        "A button without text of its own (sphinx-design then shows the bare URL).",
        "An empty button tells the responder nothing about where it goes.",
        "Give the button a label saying what it opens.",
    ),
    Rule(
        "empty_runbook",
        "error",
        "A declared runbook with no steps.",
        "The checklist is empty, usually because the steps are not a list.",
        "Write the steps as a numbered list, or stop declaring the section a runbook.",
    ),
    Rule(
        "duplicate_step_id",
        "warning",
        "Two steps whose titles give the same id; the second gets a `-2` suffix.",
        "Step URLs and saved checklist progress then depend on the order of the steps.",
        "Give the steps distinct titles.",
    ),
    Rule(
        "link_broken",
        "error",
        "Only with `lint --check-links`: a URL answering 404, 410 or 5xx, or whose host does not resolve.",
        "The page a step depends on is gone.",
        "Update the URL, or remove the link and say what to do instead.",
    ),
    Rule(
        "link_login",
        "warning",
        "Only with `lint --check-links`: a URL answering 401/403, or redirecting to a login page.",
        "Responders without an account (or before the SSO session is up) cannot open it.",
        "Link to a page everyone on call can open, or say in the step who has access.",
    ),
    Rule(
        "link_timeout",
        "warning",
        "Only with `lint --check-links`: a URL that did not answer within the timeout.",
        "A slow or unreachable tool is a risk during an incident; it may also be a transient failure.",
        "Check the URL by hand; raise `--link-timeout` for slow hosts.",
    ),
    Rule(
        IncidentWarning.UNKNOWN_LABEL.value,
        "error",
        "`incident_runbooks` names a label that no document defines.",
        "The runbook is silently not checked, rendered or exported.",
        "Fix the label in `conf.py`, or add `(label)=` before the runbook's heading.",
    ),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}

_PLACEHOLDER_HOSTS = ("example.com", "example.org", "example.net", "localhost", "0.0.0.0")
_PLACEHOLDER_TEXT = re.compile(r"\bTODO\b|\bFIXME\b|\bXXX\b|<[^<>]*>|%3C[^%]*%3E", re.IGNORECASE)


@dataclass
class Settings:
    """What the checks need from the configuration."""

    severity: Mapping[str, str] = field(default_factory=dict)
    link_hosts: Sequence[str] = ()
    suppress_warnings: Sequence[str] = ()
    #: names the handbook defines, to suggest the one a misspelt reference meant
    known_terms: Sequence[str] = ()
    known_roles: Sequence[str] = ()

    def severity_of(self, code: str) -> str:
        """The rule's severity: configured, else its default; ``off`` when turned off or suppressed."""
        if is_suppressed(code, self.suppress_warnings):
            return OFF
        wanted = self.severity.get(code)
        if wanted in (*SEVERITIES, OFF):
            return str(wanted)
        return RULES_BY_CODE[code].severity


def is_suppressed(code: str, suppress_warnings: Iterable[str]) -> bool:
    """Whether ``suppress_warnings`` silences the rule, as Sphinx would."""
    names = set(suppress_warnings)
    return bool(names & {"incident", "incident.*", f"incident.{code}"})


def invalid_severities(severity: Mapping[str, object]) -> list[str]:
    """Messages about ``incident_severity`` entries that are not understood."""
    messages = []
    for code, value in severity.items():
        if code not in RULES_BY_CODE:
            messages.append(f"incident_severity names an unknown check {code!r}; it is ignored")
        elif value not in (*SEVERITIES, OFF):
            messages.append(
                f"incident_severity[{code!r}] = {value!r} is not error, warning or off; "
                f"using the default {RULES_BY_CODE[code].severity!r}"
            )
    return messages


# -- the checks ------------------------------------------------------------------


@dataclass
class _Found:
    rule: str
    message: str
    line: int | None


def _number_value(number: str | None) -> int | None:
    if number is None:
        return None
    if number.isdigit():
        return int(number)
    if len(number) == 1 and number.isalpha():
        return ord(number.lower()) - ord("a") + 1
    return None


def _format_number(value: int, like: str) -> str:
    if like.isdigit():
        return str(value)
    return chr(ord("a") + value - 1) if 1 <= value <= 26 else str(value)


def _stray_steps(runbook: Runbook) -> Iterator[_Found]:
    for step in runbook.walk():
        if step.origin == "paragraph":
            title = f"**{step.title}**" if step.title else "..."
            yield _Found(
                "stray_step",
                f"step {step.number} is not a list item, so it renders as a paragraph and the "
                f"list restarts after it; write `{step.number}. {title}` with a blank line before it",
                step.line,
            )
        for line in step.swallowed:
            number, _, rest = line.text.partition(" ")
            yield _Found(
                "stray_step",
                f"step {number} ({rest}) is folded into the paragraph above it as a continuation "
                f"line; write `{number}. {rest}` on its own line, with a blank line before it",
                line.line,
            )


def _numbering(steps: list[Step], top_level: bool) -> Iterator[_Found]:
    """Gaps, duplicates and restarts between the lists of one level of steps."""
    items = [s for s in steps if s.origin == "item" and s.ordered and _number_value(s.number)]
    strays = [s for s in steps if s.origin == "paragraph" and _number_value(s.number)]
    seen: dict[int, Step] = {}
    previous: Step | None = None
    for step in items:
        value = _number_value(step.number)
        assert value is not None and step.number is not None
        if previous is None:
            if value != 1 and top_level:
                yield _Found("numbering_gap", f"the steps start at {step.number}, not at 1", step.line)
        elif step.list_index != previous.list_index:
            before = _number_value(previous.number) or 0
            if value == before + 1:
                pass  # a list continued after an interruption
            elif value == 1:
                yield _Found(
                    "numbering_restart",
                    f"the numbering restarts at {step.number} after step {previous.number}; "
                    f"continue it at {_format_number(before + 1, step.number)}",
                    step.line,
                )
            elif value in seen:
                yield _Found(
                    "numbering_duplicate",
                    f"step {step.number} is numbered like the step at line {seen[value].line}",
                    step.line,
                )
            elif value > before + 1:
                # only the ends of the gap: a typo like 1000000 must not list every number
                first, last = _format_number(before + 1, step.number), _format_number(value - 1, step.number)
                what = f"step {first} is" if value - before == 2 else f"steps {first}-{last} are"
                lost = [s for s in strays if before < (_number_value(s.number) or 0) < value]
                why = (
                    f" from the list (line {lost[0].line} writes step {lost[0].number} as a paragraph)"
                    if lost
                    else ""
                )
                yield _Found(
                    "numbering_gap",
                    f"step {step.number} follows step {previous.number}: {what} missing{why}",
                    step.line,
                )
        seen.setdefault(value, step)
        previous = step


def _numbering_all(runbook: Runbook) -> Iterator[_Found]:
    yield from _numbering(runbook.steps, top_level=True)
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
                    "not part of it; indent it to the text of that step",
                    sub.line,
                )


def _name(step: Step) -> str:
    return f"**{step.title}**" if step.title else f"step {step.number or step.id}"


def _untitled(runbook: Runbook) -> Iterator[_Found]:
    steps = [s for s in runbook.steps if s.origin != "detached"]
    titled = sum(1 for s in steps if s.title)
    if titled * 2 <= len(steps):
        return  # a runbook written without titles is consistent
    for step in steps:
        if not step.title:
            yield _Found(
                "untitled_step",
                f"step {step.number or step.id} has no bold title, unlike the other steps; "
                "start it with **Title**",
                step.line,
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
        for kind, ref in refs:
            if ref.resolved is not False:
                continue
            if kind == "role":
                yield _Found(
                    "undefined_role",
                    f"role {ref.target!r} is not defined in any document"
                    f"{_did_you_mean(ref.target, settings.known_roles)}; define it with a "
                    "team-role directive or fix the name",
                    ref.line,
                )
            else:
                yield _Found(
                    "undefined_term",
                    f"term {ref.target!r} is not in any glossary"
                    f"{_did_you_mean(ref.target, settings.known_terms)}; "
                    "add it to a glossary or fix the name",
                    ref.line,
                )
        for link in links:
            yield from _link(link)
    for owner in runbook.owners:
        if owner.resolved is False:
            yield _Found(
                "undefined_role",
                f"role {owner.target!r} is not defined in any document; define it with a "
                "team-role directive or fix the name",
                owner.line,
            )


def url_problem(url: str) -> tuple[str, str] | None:
    """The rule and message for a URL that is malformed, unsafe or a placeholder, else ``None``."""
    text = url.strip()
    if not text:
        return "bad_url", "the link has an empty URL"
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError as exc:
        return "bad_url", f"the URL {url!r} is malformed ({exc})"
    scheme = parts.scheme.lower()
    if scheme in UNSAFE_SCHEMES:
        return "unsafe_url", f"the URL {url[:60]!r} uses {scheme}:, which is never rendered as a link"
    if scheme in ("http", "https") and not host:
        return "bad_url", f"the URL {url!r} has no host"
    if scheme and scheme not in ALLOWED_SCHEMES:
        return "url_scheme", f"the URL {url!r} uses {scheme}:; use https://, http:// or mailto:"
    if any(host == h or host.endswith("." + h) for h in _PLACEHOLDER_HOSTS) or _PLACEHOLDER_TEXT.search(text):
        return "placeholder_url", f"the URL {url!r} is a placeholder; put the real URL in"
    return None


def _link(link: Link) -> Iterator[_Found]:
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
    if found is not None:
        yield _Found(found[0], found[1], link.line)


def _link_hosts(runbook: Runbook, hosts: Sequence[str]) -> Iterator[_Found]:
    if not hosts:
        return
    allowed = [h.lower().strip(".") for h in hosts]
    for link in iter_links(runbook):
        if link.kind not in ("external", "button") or link.reftype:
            continue
        try:
            parts = urlsplit(link.target.strip())
            host = (parts.hostname or "").lower()
        except ValueError:
            continue
        if parts.scheme.lower() not in ("http", "https") or not host or url_problem(link.target):
            continue  # a broken or placeholder URL is reported once, by its own rule
        if not any(host == h or host.endswith("." + h) for h in allowed):
            yield _Found(
                "link_host",
                f"the link goes to {host}, which is not in incident_link_hosts",
                link.line,
            )


def _empty(runbook: Runbook) -> Iterator[_Found]:
    if not runbook.steps:
        yield _Found(
            "empty_runbook",
            f"runbook {runbook.id!r} has no steps; write them as a numbered list",
            runbook.line,
        )


def _collisions(runbook: Runbook) -> Iterator[_Found]:
    by_id = {step.id: step for step in runbook.walk()}
    for wanted, given in runbook.id_collisions:
        step = by_id.get(given)
        yield _Found(
            "duplicate_step_id",
            f"two steps have the id {wanted!r}; this one became {given!r}: give them distinct titles",
            step.line if step else runbook.line,
        )


def iter_links(runbook: Runbook) -> Iterator[Link]:
    """Every link of a runbook's steps and of their footnotes, in document order."""
    for step in runbook.walk():
        yield from step.links
        for footnote in step.footnotes:
            yield from footnote.links


def check_runbook(runbook: Runbook, settings: Settings | None = None) -> list[Problem]:
    """The problems of one resolved runbook, sorted by line, each reported once."""
    settings = settings or Settings()
    found: list[_Found] = [
        *_empty(runbook),
        *_stray_steps(runbook),
        *_numbering_all(runbook),
        *_detached(runbook),
        *_untitled(runbook),
        *_references(runbook, settings),
        *_link_hosts(runbook, settings.link_hosts),
        *_collisions(runbook),
    ]
    problems: list[Problem] = []
    seen: set[tuple[str, int | None, str]] = set()
    for item in found:
        severity = settings.severity_of(item.rule)
        key = (item.rule, item.line, item.message)
        if severity == OFF or key in seen:
            continue  # a footnote cited by two steps is one problem
        seen.add(key)
        problems.append(Problem(item.rule, severity, item.message, runbook.source, item.line))  # type: ignore[arg-type]
    problems.sort(key=lambda p: (p.line or 0, p.rule))
    return problems


# -- Sphinx ------------------------------------------------------------------------


def settings_from(app: Sphinx) -> Settings:
    config = get_config(app.config)
    return Settings(
        severity=config.severity,
        link_hosts=[str(h) for h in config.link_hosts],
        suppress_warnings=list(app.config.suppress_warnings or ()),
    )


def check_handbook(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: check every runbook, store its problems and log them as warnings.

    It runs on every build, once all documents (and parallel readers' data)
    are in, so incremental, parallel and full builds report the same problems.
    """
    for message in invalid_severities(get_config(app.config).severity):
        warn(logger, IncidentWarning.CONFIG, message)
    resolver = Resolver(env, page_url=lambda docname: docname)
    settings = replace(
        settings_from(app),
        known_terms=resolver.term_names(),
        known_roles=sorted(incident_domain(env).all_roles()),
    )
    for stored in incident_domain(env).runbooks():
        stored.problems = check_runbook(resolver.runbook(stored), settings)
        for problem in stored.problems:
            warn(
                logger,
                problem.rule,
                f"{problem.severity}: {problem.message}",
                location=(stored.docname, problem.line),
            )


def _in_runbook(node: nodes.Node) -> bool:
    parent: nodes.Node | None = node
    while parent is not None:
        if isinstance(parent, nodes.Element) and "incident-runbook-root" in parent.get("classes", ()):
            return True
        parent = parent.parent
    return False


#: Sphinx's own warnings for references the checks also report, by reftype
_DUPLICATED = {"term": "undefined_term", "ref": "unresolved_reference", "doc": "unresolved_reference",
               "numref": "unresolved_reference"}  # fmt: skip


def quiet_duplicate_warning(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> None:
    """``missing-reference``: a dangling ``{term}``/``{ref}``/``{doc}`` inside a runbook is
    reported once, by the check, so Sphinx's own ``ref.*`` warning is turned off for it
    (``refwarn``; nitpicky builds still warn). MyST's ``myst.xref_missing`` for
    ``[](target)`` has no such switch and still shows."""
    rule = _DUPLICATED.get(str(node.get("reftype", "")))
    if rule is None or node.get("refdomain") not in ("std", ""):
        return
    if settings_from(app).severity_of(rule) != OFF and _in_runbook(node):
        node["refwarn"] = False


def rules_markdown() -> str:
    """The rule reference for the README: one row per rule."""
    rows = [
        "| check (`incident.<check>`) | default | what it catches | why it matters | how to fix |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in RULES:
        rows.append(f"| `{rule.code}` | {rule.severity} | {rule.summary} | {rule.why} | {rule.fix} |")
    return "\n".join(rows)
