"""The ``incident`` domain: runbooks and team roles collected across documents.

Like ``sphinx.ext.todo``'s domain, it stores plain model data per document
and implements ``clear_doc`` / ``merge_domaindata`` so that incremental and
parallel builds see exactly the documents that define each runbook and role.
It also resolves ``{role}`` cross-references to team role definitions.
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import TYPE_CHECKING, Any

from docutils import nodes
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
    data_version = 2
    initial_data = {
        "runbooks": {},  # docname -> list[Runbook]
        "roles": {},  # role name -> RoleDefinition
        "overviews": {},  # docname -> True: pages with runbook-index / runbook-matrix
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

    def note_overview(self, docname: str) -> None:
        self.data["overviews"][docname] = True

    def add_runbook(self, runbook: Runbook) -> None:
        self.runbooks_by_doc.setdefault(runbook.docname, []).append(runbook)

    def add_role(self, role: RoleDefinition) -> RoleDefinition | None:
        """Record a role; returns the earlier definition when the name is taken."""
        existing = self.role_definitions.get(role.name)
        if existing is not None and existing.docname != role.docname:
            return existing
        if existing is not None and existing.anchor != role.anchor:
            return existing
        self.role_definitions[role.name] = role
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
        roles = self.all_roles()
        if target in roles:
            return roles[target]
        wanted = slugify(target, max_length=10_000)
        for name in sorted(roles):
            if slugify(name, max_length=10_000) == wanted:
                return roles[name]
        return None

    # -- Domain API ---------------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        self.runbooks_by_doc.pop(docname, None)
        self.data["overviews"].pop(docname, None)
        for name in [n for n, r in self.role_definitions.items() if r.docname == docname]:
            del self.role_definitions[name]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:  # type: ignore[override]
        for docname in docnames:
            if docname in otherdata["runbooks"]:
                self.runbooks_by_doc[docname] = otherdata["runbooks"][docname]
        for docname in docnames:
            if docname in otherdata["overviews"]:
                self.data["overviews"][docname] = True
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
