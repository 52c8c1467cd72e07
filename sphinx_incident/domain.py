"""The ``incident`` domain: what each document declares, kept per document.

Like ``sphinx.ext.todo``'s domain it stores plain model data per document and
implements ``clear_doc`` / ``merge_domaindata``, so incremental and parallel
builds hold exactly what a fresh build would: each document's runbooks, its
team role definitions (every one, even a second definition of a name), the
``{role}`` references it makes, and the problems found while reading it.
Facts that depend on several documents — which of two definitions of a role
wins, which runbook keeps a contested id — are decided from all of it once
every document is read (:mod:`sphinx_incident.checking.review`), by rules that do not
depend on the order documents were read in.

The many small model objects of a document (runbooks, ``{role}`` references)
are kept packed, one byte string per document (:mod:`sphinx_incident.model.packed`).
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from .model import Problem, RoleDefinition, RoleUse, Runbook, RunbookName
from .model.ids import slugify
from .model.packed import pack, unpack
from .reading.doctree import every, is_role_reference, node_line, source_path

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


class RoleXRefRole(XRefRole):
    """``{role}`Technology Lead``` links to the team role's definition.

    Registered both as ``incident:role`` and, for convenience, as plain
    ``role``; either way the reference belongs to this domain.
    """

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.name = "incident:role"
        # tell process_doc this page has role references worth looking for
        self.env.temp_data[HAS_ROLES] = True
        return super().run()


#: set while a document is read when it holds a ``{role}`` reference
HAS_ROLES = "incident_has_roles"


@dataclass(frozen=True)
class Kept:
    """One kind of data the domain keeps, per document."""

    #: ``packed``: a list of many small model objects, kept packed (:mod:`sphinx_incident.model.packed`);
    #: ``list``: a list kept as it is; ``value``: one value
    how: Literal["packed", "list", "value"]
    what: str


#: everything the domain keeps, each a dict from document name to that document's data:
#: cleared, merged and read per document by the same loop, so none can be forgotten
PER_DOCUMENT: dict[str, Kept] = {
    "runbooks": Kept("packed", "[Runbook] it declares, in document order"),
    "runbook_ids": Kept("list", "[RunbookName]: its runbooks' ids as declared, for deciding every id"),
    "roles": Kept("list", "[RoleDefinition]: every team-role definition, a second one of a name too"),
    "role_uses": Kept("packed", "[RoleUse]: every {role} reference"),
    "problems": Kept("list", "[Problem] found while reading it"),
    "discovered": Kept("list", "[Discovered]: every list, classified"),
    "entries": Kept("list", "[str]: the incident_runbooks entries that matched something in it"),
    "undeclared": Kept("packed", "[Runbook]: procedures discovery found that no one declared; checked only"),
    "overviews": Kept("value", "True: it holds a runbook-index or runbook-matrix"),
    "written": Kept("value", "digest of what its page showed from other documents when last written"),
}


class IncidentDomain(Domain):
    """Runbooks, team roles, role references and reading problems, per document."""

    name = "incident"
    label = "Incident response"
    object_types = {"role": ObjType("team role", "role")}
    # roles read as names in prose, like glossary terms, not as code
    roles = {"role": RoleXRefRole(innernodeclass=nodes.inline)}
    # bump when the shape of the stored data changes
    data_version = 9
    initial_data: ClassVar[dict[str, dict[str, Any]]] = {key: {} for key in PER_DOCUMENT}

    #: (roles by name, roles by slug) of the current definitions; see _role_index
    _index: tuple[dict[str, RoleDefinition], dict[str, RoleDefinition]] | None = None

    # -- the per-document data, as PER_DOCUMENT declares it -----------------------

    def keep(self, key: str, docname: str, items: list[Any]) -> None:
        """Keep a document's list of one kind (packed when so declared); nothing for none."""
        store = self.data[key]
        if not items:
            store.pop(docname, None)
        else:
            store[docname] = pack(items) if PER_DOCUMENT[key].how == "packed" else items

    def kept(self, key: str, docname: str) -> list[Any]:
        """A document's items of one kind, as :meth:`keep` was given them."""
        found = self.data[key].get(docname)
        return unpack(found) if PER_DOCUMENT[key].how == "packed" else list(found or ())

    def every(self, key: str) -> list[tuple[str, Any]]:
        """Every document's items of one kind, with their document, by document name."""
        return [(docname, item) for docname in sorted(self.data[key]) for item in self.kept(key, docname)]

    # -- what documents declare -------------------------------------------------

    def set_runbooks(self, docname: str, runbooks: list[Runbook]) -> None:
        """Keep the runbooks a document declares (in document order), and their names apart,
        so the ids of the whole handbook are decided without unpacking every runbook."""
        ordered = sorted(runbooks, key=lambda r: r.line or 0)
        self.keep("runbooks", docname, ordered)
        names = [RunbookName(r.id, r.explicit_id, r.title, r.source, r.line) for r in ordered]
        self.keep("runbook_ids", docname, names)

    def runbook_names(self) -> list[tuple[str, RunbookName]]:
        """Every runbook's id as declared, by document name, then line."""
        return self.every("runbook_ids")

    def runbooks_in(self, docname: str) -> list[Runbook]:
        return self.kept("runbooks", docname)

    def runbook_docs(self) -> list[str]:
        """The documents that declare runbooks, in an order independent of reading."""
        return sorted(self.data["runbooks"])

    def add_role(self, role: RoleDefinition) -> None:
        self.data["roles"].setdefault(role.docname, []).append(role)
        self._index = None

    def role_definitions(self) -> list[RoleDefinition]:
        """Every ``team-role`` definition, by document name, then line."""
        return [
            role
            for docname in sorted(self.data["roles"])
            for role in sorted(self.data["roles"][docname], key=lambda r: (r.line or 0, r.name))
        ]

    def role_uses(self) -> list[tuple[str, RoleUse]]:
        """Every ``{role}`` reference of the handbook, with its document, in a stable order."""
        return self.every("role_uses")

    def add_problem(self, docname: str, problem: Problem) -> None:
        self.data["problems"].setdefault(docname, []).append(problem)

    def reading_problems(self) -> list[Problem]:
        return [problem for _docname, problem in self.every("problems")]

    def set_undeclared(self, docname: str, runbooks: list[Runbook]) -> None:
        """Keep the procedures discovery found in a document that no one declared."""
        self.keep("undeclared", docname, runbooks)

    def undeclared_runbooks(self) -> list[Runbook]:
        """Procedures found by discovery that no one declared (``incident_lint_scope``)."""
        return [runbook for _docname, runbook in self.every("undeclared")]

    def set_entries(self, docname: str, entries: set[str]) -> None:
        """Keep the ``incident_runbooks`` entries that matched something in a document."""
        self.keep("entries", docname, sorted(entries))

    def matched_entries(self) -> set[str]:
        """The ``incident_runbooks`` entries some document matched."""
        return {entry for _docname, entry in self.every("entries")}

    def set_discovered(self, docname: str, lists: list[Any]) -> None:
        """Keep every list of a document, classified."""
        self.keep("discovered", docname, lists)

    def discovered(self) -> list[Any]:
        """Every list of the handbook, classified, by document then line."""
        return [item for _docname, item in self.every("discovered")]

    def note_overview(self, docname: str) -> None:
        self.data["overviews"][docname] = True

    @property
    def overview_docs(self) -> list[str]:
        """Pages whose overview tables depend on every runbook of the handbook."""
        return sorted(self.data["overviews"])

    # -- team roles, decided from every definition --------------------------------

    def all_roles(self) -> dict[str, RoleDefinition]:
        """The winning definition of each team role: the first by document name, then line.

        Roles defined with ``add_crossref_type("role", "role")`` count too."""
        found: dict[str, RoleDefinition] = {}
        for role in self.role_definitions():
            found.setdefault(role.name, role)
        std = self.env.domains["std"]
        for (objtype, name), (docname, labelid) in sorted(std.objects.items()):
            if objtype == "role" and name not in found:
                found[name] = RoleDefinition(name=name, docname=docname, anchor=labelid)
        return found

    def find_role(self, target: str) -> RoleDefinition | None:
        """Exact name first, then case- and punctuation-insensitive (``product-lead``)."""
        roles, by_slug = self._role_index()
        found = roles.get(target)
        if found is None:
            found = by_slug.get(slugify(target, max_length=10_000))
        return found

    def _role_index(self) -> tuple[dict[str, RoleDefinition], dict[str, RoleDefinition]]:
        """Every role by name and by slug. Every ``{role}`` is looked up, so the index
        is built once and dropped whenever a document is read, cleared or merged."""
        if self._index is None:
            roles = self.all_roles()
            by_slug: dict[str, RoleDefinition] = {}
            for name in sorted(roles):
                by_slug.setdefault(slugify(name, max_length=10_000), roles[name])
            self._index = (roles, by_slug)
        return self._index

    # -- Domain API ---------------------------------------------------------------

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        # the std domain may have gained ``role`` objects from this document
        self._index = None
        if not env.temp_data.get(HAS_ROLES) and not self._std_role_type():
            return  # no {role} in this page: no need to walk it
        uses = [
            RoleUse(
                target=str(node.get("reftarget", "")),
                text=node.astext(),
                path=source_path(env, node, docname),
                line=node_line(node),
            )
            for node in every(document, addnodes.pending_xref)
            if is_role_reference(node)
        ]
        self.keep("role_uses", docname, uses)

    def _std_role_type(self) -> bool:
        """Whether the handbook defines a ``role`` cross-reference type of its own (std domain)."""
        return any("role" in objtype.roles for objtype in self.env.domains["std"].object_types.values())

    def clear_doc(self, docname: str) -> None:
        self._index = None
        for key in PER_DOCUMENT:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:  # type: ignore[override]
        self._index = None
        for key in PER_DOCUMENT:
            for docname in docnames:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        role = self.find_role(target)
        if role is None:
            return None
        ref = make_refnode(builder, fromdocname, role.docname, role.anchor, contnode, role.name)
        if "refuri" in ref:
            # single-page builders answer ``#document-x`` for a page: one fragment, the role's
            ref["refuri"] = single_fragment(ref["refuri"])
        return ref

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        ref = self.resolve_xref(env, fromdocname, builder, "role", target, node, contnode)
        return [("incident:role", ref)] if ref is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        winners: dict[str, RoleDefinition] = {}
        for role in self.role_definitions():  # std ``role`` objects are the std domain's
            winners.setdefault(role.name, role)
        for name, role in sorted(winners.items()):
            yield name, name, "role", role.docname, role.anchor, 1


def single_fragment(url: str) -> str:
    """``index.html#document-x#anchor`` -> ``index.html#anchor`` (single-page builders)."""
    if url.count("#") < 2:
        return url
    return url.split("#", 1)[0] + "#" + url.rsplit("#", 1)[1]


def incident_domain(env: BuildEnvironment) -> IncidentDomain:
    """The domain instance of a build environment."""
    return env.domains["incident"]  # type: ignore[return-value]


def resolve_std_role(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.reference | None:
    """``missing-reference``: a handbook's own ``std:role`` also finds ``team-role`` definitions."""
    if node.get("refdomain") != "std" or node.get("reftype") != "role":
        return None
    domain = incident_domain(env)
    return domain.resolve_xref(
        env, node.get("refdoc", ""), app.builder, "role", node["reftarget"], node, contnode
    )
