"""Once every document is read: decide, resolve, check and report — the same way on every build.

At ``env-updated`` (after parallel readers are merged, on every build, even
when no document changed) :func:`review_handbook`:

- decides what depends on several documents from everything stored, by rules
  independent of reading order: the winning definition of each team role
  (first by document name, then line), which of two runbooks with one id is
  renamed, which ``incident_runbooks`` labels match nothing;
- resolves every runbook through Sphinx, once (:mod:`sphinx_incident.checking.resolve`);
- runs the checks and the handbook-wide role check, applies the configured
  severities and reports every finding (:mod:`sphinx_incident.checking.report`);
- returns the pages to write again because what they show from other
  documents changed since they were written (a role renamed elsewhere, a
  runbook id freed, a severity changed), so an incremental build gives the
  pages and the step list a fresh build would.

The result, a :class:`Review`, is what the pages, the overview tables and
the step list are written from.
"""

from __future__ import annotations

import hashlib
import logging as stdlib_logging
import pickle
import weakref
from collections.abc import Callable, Iterable, Iterator, KeysView
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.util import logging

from ..config import get_config
from ..domain import incident_domain
from ..model import Problem, Runbook, RunbookName
from ..model.ids import MAX_RUNBOOK_ID, distinct
from ..model.packed import pack, unpack
from ..reading.collect import RUNBOOK_ROOT_CLASS
from ..reading.discovery import DISCOVER_BUILDER
from .checks import check_runbook, check_structure, undefined_role_message
from .citations import cited_labels
from .report import conf_line, conf_path, emit, with_severity
from .resolve import PROBE, resolve_runbooks
from .rules import OFF, Settings
from .settings import settings_from
from .site_urls import PageUrls

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


@dataclass
class Review:
    """The decisions of one build, made once every document is read.

    The resolved runbooks are kept packed, one byte string per page
    (:mod:`sphinx_incident.model.packed`), and unpacked when a page, an overview
    table or the step list is written: the review lives through the whole
    writing phase. For the same reason the review is made, and the step list
    written, one document at a time: the model of the whole handbook is
    never in memory at once.
    """

    #: every finding of the build, at its final severity, each once, sorted
    problems: list[Problem] = field(default_factory=list)
    #: document -> packed ``[(id as declared, resolved runbook), ...]``, in document order
    packed: dict[str, bytes] = field(default_factory=dict)
    #: the labels of the citations the runbooks cite, whose links the pages judge as a runbook's
    cited_citations: frozenset[str] = frozenset()
    #: document -> the ids its runbooks were declared with: what a page asks while it is resolved,
    #: without unpacking its runbooks
    declared: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, problems: list[Problem], runbooks: list[tuple[str, Runbook]]) -> Review:
        """A review of ``runbooks`` (``(id as declared, resolved runbook)``, in handbook order)."""
        pages: dict[str, list[tuple[str, Runbook]]] = {}
        for declared, runbook in runbooks:
            pages.setdefault(runbook.docname, []).append((declared, runbook))
        review = cls(problems)
        for docname, page in pages.items():
            review.keep(docname, page)
        return review

    def keep(self, docname: str, page: list[tuple[str, Runbook]]) -> None:
        """Keep one document's resolved runbooks (``(id as declared, runbook)``), packed, and
        the ids they were declared with."""
        self.packed[docname] = pack(page)
        self.declared[docname] = frozenset(declared for declared, _ in page)

    @property
    def pages(self) -> KeysView[str]:
        """The documents that hold runbooks (asked once per page written: no copy)."""
        return self.packed.keys()

    @property
    def runbooks(self) -> list[Runbook]:
        """Every runbook the builder includes, resolved, with its final id and problems."""
        return list(self.each_runbook())

    def each_runbook(self) -> Iterator[Runbook]:
        """:attr:`runbooks`, one document's worth in memory at a time."""
        for docname in self.packed:
            yield from self.runbooks_of(docname)

    def runbooks_of(self, docname: str) -> list[Runbook]:
        return [runbook for _declared, runbook in self.declared_in(docname)]

    def declared_in(self, docname: str) -> list[tuple[str, Runbook]]:
        """The runbooks of one document with the ids they were declared with."""
        return unpack(self.packed.get(docname))

    def declares(self, docname: str, declared: str) -> bool:
        """Whether the builder includes the runbook declared as ``declared`` in ``docname``."""
        return declared in self.declared.get(docname, ())


def only_evaluator(builder: Builder) -> Callable[[str | None], bool]:
    """Whether an ``only`` condition holds for this builder, as Sphinx decides it."""

    def include(condition: str | None) -> bool:
        if not condition:
            return True
        try:
            return bool(builder.tags.eval_condition(condition))
        except Exception:  # Sphinx reports a malformed condition itself
            return True

    return include


def page_urls(builder: Builder) -> PageUrls:
    return PageUrls(builder, str(builder.config.html_baseurl or ""))


def _term_names(env: BuildEnvironment) -> list[str]:
    std = env.domains["std"]
    return sorted({name for (objtype, name) in std.objects if objtype == "term"})


def _role_problems(env: BuildEnvironment, settings: Settings) -> list[Problem]:
    """Duplicate definitions, and ``{role}`` references to no role, anywhere in the handbook."""
    domain = incident_domain(env)
    found = []
    first: dict[str, Any] = {}
    for role in domain.role_definitions():
        winner = first.setdefault(role.name, role)
        if winner is not role:
            where = f"{winner.docname}" + (f", line {winner.line}" if winner.line else "")
            found.append(
                Problem(
                    "duplicate_role",
                    "warning",
                    f"team role {role.name!r} is already defined in {where}; "
                    "{role} references link to that definition",
                    role.source,
                    role.line,
                )
            )
    for _docname, use in domain.role_uses():
        if domain.find_role(use.target) is None:
            message = undefined_role_message(use.target, settings.known_roles)
            found.append(Problem("undefined_role", "error", message, use.path, use.line))
    return found


def _unknown_entries(app: Sphinx, env: BuildEnvironment) -> list[Problem]:
    """``incident_runbooks`` entries that no document matched: no label, page or section."""
    matched = incident_domain(env).matched_entries()
    problems = []
    for entry in get_config(app.config).runbooks:
        if entry in matched:
            continue  # declared a runbook, or was reported while reading (not a section)
        problems.append(
            Problem(
                "unknown_entry",
                "error",
                f"incident_runbooks names {entry!r}, but no label, document or section of the "
                "handbook matches it",
                conf_path(app),
                conf_line(app, entry),
            )
        )
    return problems


def settle_runbook_ids(
    names: list[tuple[str, RunbookName]],
) -> tuple[dict[tuple[str, int], str], list[Problem]]:
    """The id of every runbook of the handbook, decided from all of them at once.

    ``names`` are every runbook's declared id, by document. An id only one runbook wants
    is its id. Where several want one, the author's id (``:id:``, a label, metadata) keeps
    it when only one of them is the author's; every other gets a hash of its own page and
    title (:func:`~sphinx_incident.model.ids.distinct`), so no id depends on the order pages are
    named or read, or on another page being added. Returns (document, its runbook's index)
    -> id, and one problem per id wanted twice: an error where the author gave it twice, a
    warning where a derived id met another.
    """
    final = distinct(
        [name.id for _, name in names],
        [f"{docname}\n{name.title}" for docname, name in names],
        [name.explicit for _, name in names],
        MAX_RUNBOOK_ID,
    )
    settled: dict[tuple[str, int], str] = {}
    groups: dict[str, list[tuple[RunbookName, str]]] = {}
    position: dict[str, int] = {}
    for (docname, name), given in zip(names, final, strict=True):
        settled[(docname, position.get(docname, 0))] = given
        position[docname] = position.get(docname, 0) + 1
        groups.setdefault(name.id, []).append((name, given))
    return settled, [_clash(wanted, members) for wanted, members in groups.items() if len(members) > 1]


def _clash(wanted: str, members: list[tuple[RunbookName, str]]) -> Problem:
    """One finding for runbooks that wanted one id, at the first of them, naming the others."""

    def place(name: RunbookName) -> str:
        return name.source + (f":{name.line}" if name.line else "")

    first, now = members[0]
    others = ", ".join(f"{place(name)} (now {given!r})" for name, given in members[1:])
    if sum(1 for name, _ in members if name.explicit) > 1:
        return Problem(
            "duplicate_runbook",
            "error",
            f"runbook id {wanted!r} is given to {len(members)} runbooks: this one (now {now!r}) and "
            f"{others}; give each its own id",
            first.source,
            first.line,
        )
    return Problem(
        "ambiguous_runbook_id",
        "warning",
        f"{len(members)} runbooks want the id {wanted!r}: this one (now {now!r}) and {others}; "
        "give the ones that take it from their page an id of their own (:id:, a label or metadata)",
        first.source,
        first.line,
    )


def _named_owners(env: BuildEnvironment, runbooks: list[Runbook], urls: PageUrls) -> None:
    """Owners named in plain text (``Who: On-call engineer``) link to a team role of that name."""
    domain = incident_domain(env)
    for runbook in runbooks:
        for step in runbook.walk():
            owner = step.owner
            if owner is None or owner.resolved is not None:  # a {role}, resolved by Sphinx
                continue
            role = domain.find_role(owner.target)
            if role is not None:
                owner.resolved, owner.url = True, urls.url(role.docname, role.anchor)


def build_review(app: Sphinx, env: BuildEnvironment) -> Review:
    """Resolve and check every runbook; collect every finding of the handbook."""
    domain = incident_domain(env)
    settings = replace(
        settings_from(app), known_terms=_term_names(env), known_roles=sorted(domain.all_roles())
    )
    urls = page_urls(app.builder)
    include = only_evaluator(app.builder)
    settled, found = settle_runbook_ids(domain.runbook_names())
    #: for problems in a file included into pages: the pages
    including: dict[tuple[str, str, int, str], set[str]] = {}
    review = Review()
    cited: set[str] = set()
    #: documents that others include: parts numbered to follow what stands before them there
    parts = {part for included in env.included.values() for part in included}
    for docname in domain.runbook_docs():  # one document at a time: see Review
        runbooks = domain.runbooks_in(docname)
        declared_as: dict[int, str] = {}
        for index, runbook in enumerate(runbooks):  # the pages know each runbook by its declared id
            declared_as[id(runbook)] = runbook.id
            runbook.id = settled.get((docname, index), runbook.id)
        resolved = resolve_runbooks(app, urls, runbooks, include)
        cited |= cited_labels(resolved)
        declared = [declared_as[id(runbook)] for runbook in resolved]
        _named_owners(env, resolved, urls)
        own = str(env.doc2path(docname, False))
        for runbook in resolved:
            runbook.problems = tuple(check_runbook(runbook, settings, docname in parts))
            found.extend(runbook.problems)
            _note_including_page(including, runbook.problems, own)
        if resolved:
            review.keep(docname, list(zip(declared, resolved, strict=True)))
    # a section read for the mistakes that break any list, or a procedure found in a section
    # that holds another one in a subsection, reads the lists the other reads too: a mistake in
    # both is one finding, in the words of a declared runbook, else of the innermost procedure
    # (the one starting lowest on its page), which read the list as its steps
    at = {(problem.path, problem.rule, problem.line) for problem in found}
    for undeclared in sorted(
        domain.undeclared_runbooks(),
        key=lambda runbook: (runbook.declared_by == "listed", runbook.docname, -(runbook.line or 0)),
    ):
        checked = check_structure(undeclared, settings, undeclared.docname in parts)
        # every page that shows a mistake of a part it includes, the first one to report it or not
        _note_including_page(including, checked, str(env.doc2path(undeclared.docname, False)))
        structure = [problem for problem in checked if (problem.path, problem.rule, problem.line) not in at]
        at |= {(problem.path, problem.rule, problem.line) for problem in structure}
        found.extend(structure)
    found += _role_problems(env, settings)
    found += _unknown_entries(app, env)
    # a block a page shows as code where it fell out of a step is the step's one finding
    fell_out = {(problem.path, problem.line) for problem in found if problem.rule == "outdented_body"}
    found += [
        problem
        for problem in domain.reading_problems()
        if problem.rule != "indented_body" or (problem.path, problem.line) not in fell_out
    ]
    problems: dict[tuple[str, str, int, str], Problem] = {}
    for problem in found:
        final = with_severity(problem, settings)
        if final is not None:  # a footnote cited by two runbooks is one problem
            problems.setdefault((final.path, final.rule, final.line or 0, final.message), final)
    # documents only cited from a page: those that others include are parts of theirs
    pages = {str(env.doc2path(docname, False)) for docname in env.found_docs - parts}
    reported = [_with_including_pages(problem, including, pages) for problem in problems.values()]
    review.problems = sorted(reported, key=lambda p: (p.path, p.line or 0, p.rule, p.message))
    review.cited_citations = frozenset(cited)
    return review


def _note_including_page(including: dict[tuple[str, str, int, str], set[str]], problems: Iterable[Problem],
                         page: str) -> None:  # fmt: skip
    """Remember, for problems in a file included into ``page``, that it was found there."""
    for problem in problems:
        if problem.path != page:
            key = (problem.path, problem.rule, problem.line or 0, problem.message)
            including.setdefault(key, set()).add(page)


def _with_including_pages(
    problem: Problem, including: dict[tuple[str, str, int, str], set[str]], documents: set[str]
) -> Problem:
    """A problem in an included file names the pages that include it (and one in a citation on
    a page of its own, one of ``documents``, the pages that cite it): one finding for the
    file, whatever number of pages show it."""
    pages = including.get((problem.path, problem.rule, problem.line or 0, problem.message))
    if not pages:
        return problem
    named = ", ".join(sorted(pages))
    if problem.path in documents:
        return replace(problem, message=f"{problem.message} (cited from {named})")
    verb = "includes" if len(pages) == 1 else "include"
    return replace(problem, message=f"{problem.message} (in {named}, which {verb} it)")


# -- writing pages again when what they show from elsewhere changed -----------------------


def _digest(*parts: Any) -> str:
    # pickled model data is the same bytes for the same data in one Python: cheap and exact
    return hashlib.sha256(pickle.dumps(parts, pickle.HIGHEST_PROTOCOL)).hexdigest()


def page_digests(env: BuildEnvironment, review: Review, show_problems: bool) -> dict[str, str]:
    """For each page that shows something decided from other documents, a digest of it."""
    domain = incident_domain(env)
    overviews = domain.overview_docs
    every: list[str] = []  # what overview tables show: every runbook, whole
    parts: dict[str, list[Any]] = {}
    for runbook in review.each_runbook():
        whole = _digest(runbook) if (show_problems or overviews) else ""
        every.append(whole)
        shown = whole if show_problems else _digest(replace(runbook, problems=()))
        parts.setdefault(runbook.docname, []).append(shown)
    for docname, use in domain.role_uses():
        role = domain.find_role(use.target)
        parts.setdefault(docname, []).append((use.target, (role.docname, role.anchor) if role else None))
    # a runbook's panel offers every team role of the handbook, for a run to give to people
    team = sorted((name, role.docname, role.anchor) for name, role in domain.all_roles().items())
    for docname in {runbook.docname for runbook in review.each_runbook()}:
        parts[docname].append(team)
    for docname in overviews:
        parts.setdefault(docname, []).append(every)
    # a citation a runbook cites shows its links as a runbook's (rendering.safety)
    citations = env.domains["citation"].data.get("citations", {})
    for label in sorted(review.cited_citations):
        if label in citations:
            parts.setdefault(citations[label][0], []).append(("cited", label))
    return {docname: _digest(*items) for docname, items in parts.items()}


#: the review of each application's current build, made at ``env-updated`` and read while
#: its pages, overview tables and step list are written (worker processes of a parallel
#: write inherit it); an application's entry goes when the application does
_REVIEWS: WeakKeyDictionary[Sphinx, Review] = WeakKeyDictionary()
_ENV_REVIEWS: WeakKeyDictionary[BuildEnvironment, Review] = WeakKeyDictionary()


def review_of(app: Sphinx) -> Review | None:
    """The decisions of ``app``'s current build, once every document is read; ``None`` before."""
    return _REVIEWS.get(app)


def review_of_env(env: BuildEnvironment) -> Review | None:
    """:func:`review_of` for what knows the build environment alone (a transform)."""
    return _ENV_REVIEWS.get(env)


def keep_review(app: Sphinx, review: Review) -> None:
    """Make ``review`` what the writing phase of ``app``'s build reads."""
    _REVIEWS[app] = review
    _ENV_REVIEWS[app.env] = review


def review_handbook(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: decide, check and report; return the pages to write again."""
    if app.builder.name == DISCOVER_BUILDER:
        return []  # discover reads the classified lists alone
    domain = incident_domain(env)
    review = build_review(app, env)
    keep_review(app, review)
    for problem in review.problems:
        emit(app.srcdir, problem)
    digests = page_digests(env, review, get_config(app.config).show_problems)
    written: dict[str, str] = domain.data["written"]  # the whole handbook's, replaced at once
    stale = sorted(
        docname
        for docname in set(digests) | set(written)
        if digests.get(docname) != written.get(docname) and docname in env.all_docs
    )
    domain.data["written"] = digests
    return stale


# -- Sphinx's own warnings for what the checks report ---------------------------------

#: Sphinx's warnings for references the checks also report, by reftype
_DUPLICATED = {"term": "undefined_term", "ref": "unresolved_reference", "doc": "unresolved_reference",
               "numref": "unresolved_reference"}  # fmt: skip


def _in_runbook(node: nodes.Node) -> bool:
    parent: nodes.Node | None = node
    while parent is not None:
        if isinstance(parent, nodes.Element) and RUNBOOK_ROOT_CLASS in parent.get("classes", ()):
            return True
        parent = parent.parent
    return False


def quiet_duplicate_warning(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> None:
    """``missing-reference``: a dangling ``{term}``/``{ref}``/``{doc}`` inside a runbook is
    reported once, by the check, so Sphinx's own ``ref.*`` warning is turned off for it
    (``refwarn``; nitpicky builds still warn). MyST's ``myst.xref_missing`` for
    ``[](target)`` has no such switch: :class:`_QuietMystDuplicate` filters it."""
    rule = _DUPLICATED.get(str(node.get("reftype", "")))
    if rule is None or node.get("refdomain") not in ("std", "") or node.get(PROBE):
        return
    if settings_from(app).severity_of(rule) != OFF and _in_runbook(node):
        node["refwarn"] = False


#: where MyST-Parser logs its ``myst.xref_missing`` warnings
_MYST_LOGGER = "sphinx.myst_parser.sphinx_ext.myst_refs"


class _QuietMystDuplicate(stdlib_logging.Filter):
    """Drops MyST's ``myst.xref_missing`` for a ``[](target)`` inside a runbook, which the
    check reports as ``unresolved_reference``: one finding per broken link. MyST has no
    per-reference switch, as Sphinx's ``refwarn`` is, so its record is filtered."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = weakref.ref(app)

    def filter(self, record: stdlib_logging.LogRecord) -> bool:
        if getattr(record, "type", None) != "myst" or getattr(record, "subtype", None) != "xref_missing":
            return True
        app = self.app()
        node = getattr(record, "location", None)
        if app is None or not isinstance(node, nodes.Node):
            return True
        return settings_from(app).severity_of("unresolved_reference") == OFF or not _in_runbook(node)


def quiet_myst_duplicates(app: Sphinx) -> None:
    """``builder-inited``: filter MyST's warnings for the references the checks report."""
    logger = stdlib_logging.getLogger(_MYST_LOGGER)
    for old in [f for f in logger.filters if isinstance(f, _QuietMystDuplicate) and f.app() in (None, app)]:
        logger.removeFilter(old)  # an application's filter is installed once; gone ones are dropped
    logger.addFilter(_QuietMystDuplicate(app))
