"""Directives that declare runbooks and team roles, and the format-neutral nodes they make.

``runbook`` wraps a process written as a numbered list; ``team-role`` (also
``incident:role``) defines a team role that ``{role}`` references link to.
HTML specifics live in the renderers; every other builder just renders the
node's children.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .domain import incident_domain
from .ids import slugify
from .model import RoleDefinition
from .parser import clean, plain_text
from .warnings_ import IncidentWarning, warn

if TYPE_CHECKING:
    from sphinx.util.typing import OptionSpec

logger = logging.getLogger(__name__)


class runbook(nodes.General, nodes.Element):
    """A runbook declared with the ``runbook`` directive; holds its content."""


class team_role(nodes.General, nodes.Element):
    """The definition of a team role; holds its name and description."""


def _comma_list(argument: str | None) -> list[str]:
    return [item.strip() for item in (argument or "").split(",") if item.strip()]


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
        node = runbook(
            "",
            classes=["incident-runbook", *self.options.get("class", [])],
            runbook_id=slugify(self.options.get("id", "")),
            runbook_title=self.options.get("title", ""),
            runbook_roles=self.options.get("roles", []),
        )
        self.set_source_info(node)
        node.extend(self.parse_content_to_nodes(allow_section_headings=True))
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
        node = team_role("", classes=["incident-role", *self.options.get("class", [])])
        node["role_name"] = name
        self.set_source_info(node)
        if anchor in self.state.document.ids:
            anchor = self.state.document.set_id(node, suggested_prefix=anchor)
        else:
            node["ids"].append(anchor)
            self.state.document.ids[anchor] = node
        title = nodes.rubric(name, name, classes=["incident-role-name"])
        self.set_source_info(title)
        node += title
        node.extend(self.parse_content_to_nodes())
        definition = RoleDefinition(
            name=name,
            docname=self.env.docname,
            anchor=anchor,
            line=self.lineno,
            text="\n\n".join(clean(plain_text(c)) for c in node.children[1:]),
        )
        earlier = incident_domain(self.env).add_role(definition)
        if earlier is not None:
            warn(
                logger,
                IncidentWarning.DUPLICATE_ROLE,
                f"team role {name!r} is already defined in {earlier.docname}"
                + (f", line {earlier.line}" if earlier.line else ""),
                location=node,
            )
        return [node]


def visit_passthrough(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """Builders without a renderer of their own just render the children."""


def depart_passthrough(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    pass
