"""The extension's registrations, as a table: what sphinx-incident adds to Sphinx."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from . import __version__
from .builder import RunbooksBuilder, write_html_step_list
from .checks import check_handbook, quiet_duplicate_warning
from .collect import check_consistency, collect_runbooks
from .config import check_config, register
from .directives import (
    RunbookDirective,
    TeamRoleDirective,
    depart_passthrough,
    runbook,
    team_role,
    visit_passthrough,
)
from .domain import IncidentDomain, RoleXRefRole, resolve_std_role, rewrite_stale_role_pages
from .overview import (
    RunbookIndexDirective,
    RunbookMatrixDirective,
    fill_overviews,
    outdated_overviews,
)
from .render_html import (
    add_static_files,
    decorate_runbooks,
    depart_runbook_html,
    depart_team_role_html,
    visit_runbook_html,
    visit_team_role_html,
)
from .safety import NeutraliseUnsafeLinks

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: bump when the shape of what the extension stores on the environment changes
ENV_VERSION = 4

_PASSTHROUGH = {
    builder: (visit_passthrough, depart_passthrough)
    for builder in ("latex", "text", "man", "texinfo", "epub", "singlehtml", "xml")
}


def setup(app: Sphinx) -> ExtensionMetadata:
    # configuration
    register(app)
    app.connect("config-inited", check_config)

    # declaring runbooks and roles
    app.add_domain(IncidentDomain)
    app.add_directive("runbook", RunbookDirective)
    app.add_directive("team-role", TeamRoleDirective)
    app.add_directive_to_domain("incident", "role", TeamRoleDirective)
    # ``{role}`` for handbooks whose conf.py does not define its own
    app.add_role("role", RoleXRefRole(innernodeclass=nodes.inline))
    app.connect("missing-reference", resolve_std_role)

    # nodes: HTML renders wrappers with ids, every other builder the children
    app.add_node(
        runbook,
        html=(visit_runbook_html, depart_runbook_html),
        **_PASSTHROUGH,  # type: ignore[arg-type]
    )
    app.add_node(
        team_role,
        html=(visit_team_role_html, depart_team_role_html),
        **_PASSTHROUGH,  # type: ignore[arg-type]
    )

    # reading: extract each document's runbooks after Sphinx's own
    # MetadataCollector (priority 500) has read the page metadata we look at
    app.connect("doctree-read", collect_runbooks, priority=600)

    # checking: every runbook, on every build (not only when a document was
    # read again, as env-check-consistency would), once all documents are read
    app.connect("env-updated", check_consistency)
    app.connect("env-updated", check_handbook)
    app.connect("missing-reference", quiet_duplicate_warning)
    # pages whose {role} links changed elsewhere are written again
    app.connect("env-updated", rewrite_stale_role_pages)
    # javascript:/data: links inside runbooks render as their text
    app.add_post_transform(NeutraliseUnsafeLinks)

    # overview pages: placeholders filled once every runbook is known
    app.add_directive("runbook-index", RunbookIndexDirective)
    app.add_directive("runbook-matrix", RunbookMatrixDirective)
    app.connect("env-updated", outdated_overviews)
    app.connect("doctree-resolved", fill_overviews)

    # writing: the step list (and, in HTML builds, one JSON file per runbook)
    app.add_builder(RunbooksBuilder)
    app.connect("build-finished", write_html_step_list)

    # HTML: checkboxes, permalinks and a panel per runbook
    app.connect("doctree-resolved", decorate_runbooks)
    app.connect("builder-inited", add_static_files)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
