"""The checklist model: runbooks, their steps and what the steps reference.

Plain dataclasses with no docutils inside, so the model can be stored on the
Sphinx environment, compared in tests, and serialised to JSON by the
renderers and the command line alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any, Literal, NamedTuple

LinkKind = Literal["button", "external", "internal"]

#: field metadata of what the model keeps for itself and never writes to JSON
INTERNAL = {"json": False}


class XRef(NamedTuple):
    """A cross-reference as the parser left it (a ``pending_xref``), for Sphinx to resolve.

    ``attributes`` are the node's own (``refdomain``, ``reftype``,
    ``reftarget``, ``refexplicit``, ...) as ``(name, value)`` pairs in name
    order, list values as tuples; ``content`` is the tag name, classes and
    text of the node inside it. Immutable plain values: equal references are
    equal, so a page resolves each distinct one once.
    """

    attributes: tuple[tuple[str, Any], ...]
    content_tag: str = "inline"
    content_classes: tuple[str, ...] = ()
    content_text: str = ""


StepOrigin = Literal["item", "paragraph", "detached", "outdented", "section"]
Severity = Literal["error", "warning"]


@dataclass(slots=True)
class Reference:
    """A ``{term}`` or ``{role}`` reference made by a step."""

    #: the text as written (``Technology Lead``)
    text: str
    #: what it points at (the target of ``Product Lead <product-lead>``)
    target: str
    line: int | None = None
    #: filled in when the handbook is resolved; ``None`` until then
    resolved: bool | None = None
    url: str | None = None
    xref: XRef | None = field(default=None, metadata=INTERNAL)
    #: the file it is written in, when content was included into the runbook from another file
    source: str | None = field(default=None, metadata=INTERNAL)


@dataclass(slots=True)
class Link:
    """A hyperlink, cross-reference or sphinx-design button in a step."""

    kind: LinkKind
    #: URL for ``button``/``external``; label, document or URL for ``internal``
    target: str
    text: str
    line: int | None = None
    #: for internal links: how the reference was written (``ref``, ``doc``, ``myst``, ...)
    reftype: str | None = None
    resolved: bool | None = None
    url: str | None = None
    xref: XRef | None = field(default=None, metadata=INTERNAL)
    #: the file it is written in, when content was included into the runbook from another file
    source: str | None = field(default=None, metadata=INTERNAL)


@dataclass(slots=True)
class Admonition:
    """An admonition (``warning``, ``note``, a titled ``admonition`` ...) in a step."""

    kind: str
    title: str
    text: str
    line: int | None = None
    classes: tuple[str, ...] = ()


@dataclass(slots=True)
class Footnote:
    """A footnote referenced from a step, with the references in its text."""

    label: str
    text: str
    line: int | None = None
    terms: tuple[Reference, ...] = ()
    roles: tuple[Reference, ...] = ()
    links: tuple[Link, ...] = ()


@dataclass(slots=True)
class Step:
    """One step of a runbook, or a sub-step of a step."""

    id: str
    #: the number (``"3"``, ``"b"``, ``"iv"``); ``None`` for bullets
    number: str | None
    title: str | None
    text: str
    line: int | None
    #: how the step was found: a list ``item``; a ``section`` whose heading is the
    #: step; a ``paragraph`` that reads like a numbered step but is not a list item;
    #: a list ``detached`` from its step, or ``outdented`` (indented less than the
    #: step's text, so Markdown took it out of the step)
    origin: StepOrigin = "item"
    ordered: bool = True
    #: which list of the runbook (or of the parent step) the item belongs to, from 0
    list_index: int = 0
    #: who does the step, from a lead-in line (``Who: <role>``, or a ``{role}`` alone)
    owner: Reference | None = None
    #: the HTML ``id`` of the step in the rendered page
    anchor: str = ""
    #: page URL + anchor; filled in when the handbook is resolved
    url: str | None = None
    #: a short digest of the title and text (:func:`~sphinx_incident.model.ids.step_fingerprint`):
    #: what a saved tick checks to know the step still says what was ticked
    fingerprint: str = ""
    substeps: tuple[Step, ...] = ()
    terms: tuple[Reference, ...] = ()
    roles: tuple[Reference, ...] = ()
    links: tuple[Link, ...] = ()
    admonitions: tuple[Admonition, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    #: lines of the step's text that read like the next numbered step, folded
    #: into the paragraph by Markdown (a lazy continuation line): kept for the checks
    swallowed: tuple[Note, ...] = ()
    #: the condition of the ``only`` blocks around the step, if any
    only: str | None = field(default=None, metadata=INTERNAL)
    #: how the list numbers its items: ``arabic``, ``loweralpha``, ``lowerroman``...
    enumtype: str = field(default="arabic", metadata=INTERNAL)
    #: what follows the number in the list's marker: ``.`` or ``)``
    suffix: str = field(default=".", metadata=INTERNAL)
    #: the step opens a list that follows its own lead-in ("Then:", a heading): a new list
    #: there is deliberate, not a numbering restart
    after_lead_in: bool = field(default=False, metadata=INTERNAL)
    #: the step opens a list that text parts from the list before it: the line the text starts
    after_text: int | None = field(default=None, metadata=INTERNAL)
    #: the step opens a list that starts above 1 and carries on a numbered list earlier on
    #: its page (typed on after a heading or a remark): the line of the step it follows
    carries_on: int | None = field(default=None, metadata=INTERNAL)
    #: the file it is written in, when it was included into the runbook from another file
    #: (its ``line`` is that file's)
    source: str | None = field(default=None, metadata=INTERNAL)

    def walk(self) -> Iterator[Step]:
        """This step and all its sub-steps, depth first, in document order."""
        yield self
        for sub in self.substeps:
            yield from sub.walk()


@dataclass(slots=True)
class Note:
    """Runbook content between or after the steps that belongs to no step."""

    text: str
    line: int | None = None


@dataclass(slots=True)
class Problem:
    """Something wrong with a runbook, found by a check."""

    rule: str
    severity: Severity
    message: str
    path: str
    line: int | None = None
    #: other lines of the same file where this one cause shows (where the list it splits
    #: carries on, renumbered; a step it swallows), named in the message
    related: tuple[int, ...] = field(default=(), metadata=INTERNAL)
    #: the traceback of an error of sphinx-incident itself behind the problem, for a bug report
    detail: str = field(default="", metadata=INTERNAL)
    #: the last line of the stretch the problem is about, when it spans several ("lines 8-12")
    end_line: int | None = field(default=None, metadata=INTERNAL)


@dataclass(slots=True)
class Runbook:
    """A runbook: an ordered list of steps an on-call engineer works through."""

    id: str
    title: str
    docname: str
    #: path of the source file, relative to the source directory
    source: str
    line: int | None
    #: the HTML ``id`` of the runbook in its page
    anchor: str = ""
    url: str | None = None
    #: how the runbook was declared: ``directive``, ``config`` or ``metadata``
    declared_by: str = "directive"
    #: the label (``incident_runbooks``) or metadata value that declared it
    label: str | None = None
    intro: str = ""
    #: the title of the admonition, dropdown, tab or card the steps are in, if they are in one
    container: str | None = None
    #: roles that own the runbook as a whole (the directive's ``:roles:``)
    owners: tuple[Reference, ...] = ()
    steps: tuple[Step, ...] = ()
    notes: tuple[Note, ...] = ()
    problems: tuple[Problem, ...] = ()
    #: (wanted, given) for each titled or pinned step whose id another step wanted too,
    #: told apart by a hash of its text
    id_collisions: tuple[tuple[str, str], ...] = ()
    #: the condition of the ``only`` blocks around the runbook, if any
    only: str | None = field(default=None, metadata=INTERNAL)
    #: whether the author gave the id (``:id:``, a label, a metadata value) or it was derived
    explicit_id: bool = field(default=False, metadata=INTERNAL)
    #: list mistakes read from the source while extracting, for the checks to report
    defects: tuple[Problem, ...] = field(default=(), metadata=INTERNAL)

    def walk(self) -> Iterator[Step]:
        """Every step and sub-step, depth first, in document order."""
        for step in self.steps:
            yield from step.walk()

    def step_count(self) -> int:
        """The number of top-level steps."""
        return len(self.steps)


class RunbookName(NamedTuple):
    """A runbook's id as its document declares it, with what the handbook-wide decision on ids
    needs to know of it (see :func:`sphinx_incident.checking.review.settle_runbook_ids`)."""

    id: str
    explicit: bool
    title: str
    source: str
    line: int | None


@dataclass(slots=True)
class RoleUse:
    """A ``{role}`` reference anywhere in the handbook, for the handbook-wide role check."""

    target: str
    text: str
    #: the source file, relative to the source folder
    path: str
    line: int | None = None


@dataclass(slots=True)
class RoleDefinition:
    """A team role defined by a role directive somewhere in the handbook."""

    name: str
    docname: str
    anchor: str
    line: int | None = None
    text: str = ""
    #: the source file, relative to the source folder
    source: str = ""


_FIELDS: dict[type, tuple[str, ...]] = {}


def _json_fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.metadata.get("json", True))
    return names


def to_dict(obj: Any) -> Any:
    """Convert a model object to plain JSON data, keeping field order (internal fields left out)."""
    cls = type(obj)
    if hasattr(cls, "__dataclass_fields__"):
        return {name: to_dict(getattr(obj, name)) for name in _json_fields(cls)}
    if cls is list or cls is tuple:
        return [to_dict(item) for item in obj]
    return obj
