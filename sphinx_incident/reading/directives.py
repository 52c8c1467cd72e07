"""Directives that declare runbooks and team roles, as standard docutils structure.

``runbook`` wraps a process written as a numbered list in a container;
``team-role`` (also ``incident:role``) defines a team role that ``{role}``
references link to: a target (the anchor) and a container with the role's
name and description. Every builder renders containers and targets, so no
visitor of our own is needed; the HTML decorations are added for HTML
builders only (:mod:`sphinx_incident.rendering.html`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..domain import incident_domain
from ..model import RoleDefinition
from ..model.ids import given_runbook_id, slugify
from .doctree import clean, plain_text, source_path

if TYPE_CHECKING:
    from sphinx.util.typing import OptionSpec


#: the attribute that marks the container a ``runbook`` directive made
RUNBOOK_ATTRIBUTE = "incident_runbook"
#: set while a document is read when it holds a ``runbook`` directive
HAS_RUNBOOK_DIRECTIVE = "incident_has_runbook_directive"
#: the class of a team role's container
TEAM_ROLE_CLASS = "incident-team-role"


def is_runbook_directive(node: nodes.Node) -> bool:
    """The container of a ``runbook`` directive."""
    return isinstance(node, nodes.container) and bool(node.get(RUNBOOK_ATTRIBUTE))


def _comma_list(argument: str | None) -> list[str]:
    """A comma-separated list of names (``Incident Commander, Scribe``)."""
    return [item.strip() for item in (argument or "").split(",") if item.strip()]


def _is_myst(directive: SphinxDirective) -> bool:
    """Whether the directive is in a MyST document (MyST runs directives with a state of its own)."""
    return type(directive.state).__module__.startswith("myst_parser")


class RunbookDirective(SphinxDirective):
    """Declare the process inside it as a runbook.

    ::

        ```{runbook}
        :id: incident-response
        :title: Incident response
        :roles: Incident Commander, External Liaison

        1. **Acknowledge the incident**. ...
        ```
    """

    has_content = True
    required_arguments = 0
    optional_arguments = 0
    option_spec: ClassVar[OptionSpec] = {
        "id": directives.unchanged_required,
        "title": directives.unchanged_required,
        "roles": _comma_list,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        node = nodes.container(
            "",
            classes=["incident-runbook", *self.options.get("class", [])],
            runbook_id=given_runbook_id(self.options.get("id", "")),
            runbook_title=self.options.get("title", ""),
            runbook_roles=self.options.get("roles", []),
        )
        node[RUNBOOK_ATTRIBUTE] = True
        self.env.temp_data[HAS_RUNBOOK_DIRECTIVE] = True  # the collector looks for them only then
        self.set_source_info(node)
        # MyST would move sections out of the directive, leaving it empty: there its
        # headings become rubrics (headings that are not sections); rST keeps sections
        node.extend(self.parse_content_to_nodes(allow_section_headings=not _is_myst(self)))
        return [node]


class TeamRoleDirective(SphinxDirective):
    """Define a team role: ``{role}`` references to its name link here.

    ::

        ```{team-role} Technology Lead
        Validates and reviews the actions Subject Matter Experts recommend.
        ```
    """

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[OptionSpec] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        name = clean(self.arguments[0])
        anchor = "role-" + (slugify(name, max_length=10_000) or "unnamed")
        document = self.state.document
        # the anchor is a target, which HTML, LaTeX, Texinfo and EPUB all make linkable
        target = nodes.target("", "")
        if anchor in document.ids:
            anchor = document.set_id(target, suggested_prefix=anchor)
        else:
            target["ids"].append(anchor)
            document.ids[anchor] = target
        self.set_source_info(target)
        node = nodes.container("", classes=[TEAM_ROLE_CLASS, *self.options.get("class", [])])
        self.set_source_info(node)
        title = nodes.rubric(name, name, classes=["incident-role-name"])
        self.set_source_info(title)
        node += title
        node.extend(self.parse_content_to_nodes())
        incident_domain(self.env).add_role(
            RoleDefinition(
                name=name,
                docname=self.env.docname,
                anchor=anchor,
                line=self.lineno,
                text="\n\n".join(clean(plain_text(c)) for c in node.children[1:]),
                source=source_path(self.env, node, self.env.docname),
            )
        )
        return [target, node]
