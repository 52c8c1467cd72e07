"""The extension's registrations, as a table: what sphinx-incident adds to Sphinx."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from .checking.resolve import note_unresolved
from .checking.review import quiet_duplicate_warning, quiet_myst_duplicates, review_handbook
from .checking.settings import check_config
from .config import register
from .domain import IncidentDomain, RoleXRefRole, resolve_std_role
from .reading.collect import collect_runbooks, keep_source
from .reading.directives import RunbookDirective, TeamRoleDirective
from .reading.includes import place_included_part
from .rendering.builder import DiscoverBuilder, ReadRunbooksBuilder, RunbooksBuilder, write_html_step_list
from .rendering.html import (
    add_page_scripts,
    add_static_files,
    decorate_runbooks,
    depart_decoration,
    fill_decorations,
    incident_decoration,
    visit_decoration,
)
from .rendering.overview import RunbookIndexDirective, RunbookMatrixDirective, fill_overviews
from .rendering.safety import NeutraliseUnsafeLinks, neutralise_resolved
from .version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: bump when the shape of what the extension stores on the environment changes
STORED_DATA_VERSION = 13


def environment_version(package: Path, version: str = __version__) -> int:
    """The version of what the extension keeps on Sphinx's environment: Sphinx reads every
    document again when it changes. It changes with the stored data's shape, with each
    release, and with the code that reads runbooks (its Python sources): a handbook built
    with the extension installed from a commit between releases, or from a checkout being
    edited, is read again when that code is not the code that read it."""
    digest = hashlib.sha256(version.encode())
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    return STORED_DATA_VERSION * 10**8 + int(digest.hexdigest()[:6], 16)


ENV_VERSION = environment_version(Path(__file__).parent)


def setup(app: Sphinx) -> ExtensionMetadata:
    # configuration, checked once when conf.py is read
    register(app)
    app.connect("config-inited", check_config)

    # declaring runbooks and roles: directives that make plain docutils
    # containers and targets, which every builder renders
    app.add_domain(IncidentDomain)
    app.add_directive("runbook", RunbookDirective)
    app.add_directive("team-role", TeamRoleDirective)
    app.add_directive_to_domain("incident", "role", TeamRoleDirective)
    # ``{role}`` for handbooks whose conf.py does not define its own
    app.add_role("role", RoleXRefRole(innernodeclass=nodes.inline))
    app.connect("missing-reference", resolve_std_role)

    # reading: keep each document's text to read the author's list indentation,
    # then extract each document's runbooks after Sphinx's own
    # MetadataCollector (priority 500) has read the page metadata we look at
    app.connect("source-read", keep_source, priority=900)
    # a part of a file included from a marker on is numbered as the file's lines
    app.connect("include-read", place_included_part, priority=900)
    app.connect("doctree-read", collect_runbooks, priority=600)

    # once every document is read, on every build: decide what depends on
    # several documents, resolve the runbooks through Sphinx, check and report,
    # and name the pages to write again
    app.connect("env-updated", review_handbook)
    # resolving a runbook's references tells unresolved ones apart quietly
    app.connect("warn-missing-reference", note_unresolved, priority=100)
    app.connect("missing-reference", quiet_duplicate_warning)
    app.connect("builder-inited", quiet_myst_duplicates)
    # links that may not be links render as their text, on every page: a post-transform, and
    # once more after every other extension has added to the resolved page (the todo list)
    app.add_post_transform(NeutraliseUnsafeLinks)
    app.connect("doctree-resolved", neutralise_resolved, priority=900)

    # overview pages: placeholders filled once every runbook is known
    app.add_directive("runbook-index", RunbookIndexDirective)
    app.add_directive("runbook-matrix", RunbookMatrixDirective)
    app.connect("doctree-resolved", fill_overviews)

    # writing: the step list (and, in HTML builds, one JSON file per runbook)
    app.add_builder(RunbooksBuilder)
    # how the commands read a handbook: its model without the step list; its lists alone
    app.add_builder(ReadRunbooksBuilder)
    app.add_builder(DiscoverBuilder)
    app.connect("build-finished", write_html_step_list)

    # HTML only: checkboxes, permalinks and a panel per runbook
    app.connect("doctree-resolved", decorate_runbooks)
    app.add_node(incident_decoration, html=(visit_decoration, depart_decoration))
    app.connect("builder-inited", add_static_files)
    # before other extensions' and themes' handlers, which see the page whole
    app.connect("html-page-context", fill_decorations, priority=100)
    app.connect("html-page-context", add_page_scripts)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
