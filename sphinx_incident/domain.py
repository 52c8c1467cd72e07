"""The ``incident`` domain: runbooks and team roles collected across documents.

Like ``sphinx.ext.todo``'s domain, it stores plain model data per document
and implements ``clear_doc`` / ``merge_domaindata`` so that incremental and
parallel builds see exactly the documents that define each runbook and role.
It also resolves ``{role}`` cross-references to team role definitions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Set
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from .ids import slugify
from .model import RoleDefinition, Runbook

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


_RolesByName = dict[str, RoleDefinition]


class RoleXRefRole(XRefRole):
    """``{role}`Technology Lead``` links to the team role's definition.

    Registered both as ``incident:role`` and, for convenience, as plain
    ``role``; either way the reference belongs to this domain.
    """

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.name = "incident:role"
        return super().run()


class IncidentDomain(Domain):
    """Runbooks (per document) and team roles (per definition)."""

    name = "incident"
    label = "Incident response"
    object_types = {"role": ObjType("team role", "role")}
    # roles read as names in prose, like glossary terms, not as code
    roles = {"role": RoleXRefRole(innernodeclass=nodes.inline)}
    # bump when the shape of the stored data changes
    data_version = 4
    #: (counts it was built from, roles by name, roles by slug); see _role_index
    _team_role_index: tuple[tuple[int, int], _RolesByName, _RolesByName] | None = None
    initial_data = {
        "runbooks": {},  # docname -> list[Runbook]
        "roles": {},  # role name -> RoleDefinition
        "overviews": {},  # docname -> True: pages with runbook-index / runbook-matrix
        "role_refs": {},  # docname -> sorted role targets its {role} references name
        "role_snapshot": {},  # role name -> (docname, anchor) when pages were last written
        "runbook_digest": "",  # digest of every runbook when overview pages were last written
    }

    @property
    def runbooks_by_doc(self) -> dict[str, list[Runbook]]:
        return self.data["runbooks"]

    @property
    def role_definitions(self) -> dict[str, RoleDefinition]:
        return self.data["roles"]

    @property
    def overview_docs(self) -> set[str]:
        """Pages whose overview tables depend on every runbook of the handbook."""
        return set(self.data["overviews"])

    def pages_with_stale_overviews(self) -> list[str]:
        """Overview pages to write again because a runbook appeared, changed or vanished."""
        digest = hashlib.sha256(repr(self.runbooks()).encode("utf-8")).hexdigest()
        previous, self.data["runbook_digest"] = self.data["runbook_digest"], digest
        return sorted(self.overview_docs) if digest != previous else []

    def note_overview(self, docname: str) -> None:
        self.data["overviews"][docname] = True

    def add_runbook(self, runbook: Runbook) -> None:
        self.runbooks_by_doc.setdefault(runbook.docname, []).append(runbook)

    def add_role(self, role: RoleDefinition) -> RoleDefinition | None:
        """Record a role; returns the earlier definition when the name is taken."""
        existing = self.role_definitions.get(role.name)
        if existing is not None and (existing.docname, existing.anchor) != (role.docname, role.anchor):
            return existing
        self.role_definitions[role.name] = role
        self._forget_role_index()
        return None

    def runbooks(self) -> list[Runbook]:
        """Every runbook, in a stable order: by document, then position."""
        return [
            runbook
            for docname in sorted(self.runbooks_by_doc)
            for runbook in sorted(self.runbooks_by_doc[docname], key=lambda r: r.line or 0)
        ]

    def all_roles(self) -> dict[str, RoleDefinition]:
        """Team roles from role directives and from ``add_crossref_type("role", "role")``."""
        found = dict(self.role_definitions)
        std = self.env.domains["std"]
        for (objtype, name), (docname, labelid) in std.objects.items():
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
        """Every role by name and by slug, built once per state of the handbook.

        Every ``{role}`` reference is looked up, so rebuilding and slugifying
        the whole role list per lookup made resolving quadratic. The index
        lives on the instance, not in ``self.data``, so it is never pickled;
        it is dropped whenever a document is read, cleared or merged, and
        rebuilt when the counts it was built from change.
        """
        std_objects = self.env.domains["std"].objects
        key = (len(self.role_definitions), len(std_objects))
        cached = getattr(self, "_team_role_index", None)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        roles = self.all_roles()
        by_slug: dict[str, RoleDefinition] = {}
        for name in sorted(roles):  # the first name in sorted order wins, as before
            by_slug.setdefault(slugify(name, max_length=10_000), roles[name])
        self._team_role_index = (key, roles, by_slug)
        return roles, by_slug

    def _forget_role_index(self) -> None:
        self._team_role_index = None

    # -- Domain API ---------------------------------------------------------

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        # the std domain may have gained ``role`` objects from this document
        self._forget_role_index()
        targets = {
            str(node.get("reftarget", ""))
            for node in document.findall(addnodes.pending_xref)
            if node.get("refdomain") == "incident" and node.get("reftype") == "role"
        }
        if targets:
            self.data["role_refs"][docname] = sorted(targets)

    def pages_with_stale_roles(self) -> list[str]:
        """Documents to write again because a team role appeared, moved or vanished.

        A page that only references a role is not re-read when the role's
        definition changes elsewhere, so its link (or its missing link) would
        go stale. Compares the roles with those of the previous build and
        remembers the current ones.
        """
        current = {name: (role.docname, role.anchor) for name, role in self.all_roles().items()}
        previous = self.data["role_snapshot"]
        self.data["role_snapshot"] = current
        if not previous or previous == current:
            return []
        return sorted(self.data["role_refs"])

    def clear_doc(self, docname: str) -> None:
        self._forget_role_index()
        self.runbooks_by_doc.pop(docname, None)
        self.data["overviews"].pop(docname, None)
        self.data["role_refs"].pop(docname, None)
        for name in [n for n, r in self.role_definitions.items() if r.docname == docname]:
            del self.role_definitions[name]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:  # type: ignore[override]
        self._forget_role_index()
        for docname in docnames:
            if docname in otherdata["runbooks"]:
                self.runbooks_by_doc[docname] = otherdata["runbooks"][docname]
        for docname in docnames:
            if docname in otherdata["overviews"]:
                self.data["overviews"][docname] = True
            if docname in otherdata["role_refs"]:
                self.data["role_refs"][docname] = otherdata["role_refs"][docname]
        for name, role in otherdata["roles"].items():
            if role.docname in docnames:
                self.role_definitions.setdefault(name, role)

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
        return make_refnode(builder, fromdocname, role.docname, role.anchor, contnode, role.name)

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
        for name, role in sorted(self.role_definitions.items()):
            yield name, name, "role", role.docname, role.anchor, 1


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


def rewrite_stale_role_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: pages whose ``{role}`` links changed are written again."""
    return incident_domain(env).pages_with_stale_roles()
