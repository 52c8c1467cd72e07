"""The ``runbooks`` builder and the step list written beside HTML builds.

``sphinx-build -b runbooks SRC OUT`` reads the handbook and writes
``OUT/runbooks.json`` without rendering any page, like ``linkcheck`` it
collects and writes in :meth:`RunbooksBuilder.finish`. HTML builds write the
same file at ``build-finished`` unless ``incident_html_json`` is off.
"""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.builders import Builder
from sphinx.util import logging

from .config import get_config
from .render_html import write_runbook_files
from .render_json import SCHEMA_FILENAME, document, dumps, load_schema, write_atomic
from .resolve import page_urls, resolved_runbooks

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx

    from .model import Runbook

logger = logging.getLogger(__name__)


def handbook_runbooks(builder: Builder) -> list[Runbook]:
    """Every runbook of the built handbook, resolved against the builder's page URLs."""
    baseurl = str(builder.config.html_baseurl or "")
    return resolved_runbooks(builder.env, page_urls(builder.get_target_uri, baseurl))


def write_step_list(builder: Builder, outdir: Path, runbooks: list[Runbook] | None = None) -> Path:
    """Write ``runbooks.json`` (or ``incident_json_filename``) into ``outdir``."""
    config = builder.config
    path = outdir / get_config(config).json_filename
    if runbooks is None:
        runbooks = handbook_runbooks(builder)
    data = document(runbooks, config.project, str(config.html_baseurl or ""))
    write_atomic(path, dumps(data))
    # publish the schema beside the data, so consumers can validate what they read
    write_atomic(outdir / SCHEMA_FILENAME, dumps(load_schema()))
    return path


class RunbooksBuilder(Builder):
    """Writes the machine-readable step list of every runbook, and no pages."""

    name = "runbooks"
    format = "runbooks"
    epilog = "The step list is in %(outdir)s."
    allow_parallel = True

    def get_outdated_docs(self) -> Iterable[str]:
        return self.env.found_docs

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        # URLs point into the HTML site built from the same sources
        return docname + (self.config.html_file_suffix or ".html")

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def write_documents(self, docnames: Set[str]) -> None:
        # the step list comes from the environment; no page is rendered
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass

    def finish(self) -> None:
        path = write_step_list(self, Path(self.outdir))
        logger.info("wrote %s", path)


def write_html_step_list(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: HTML builds also write the step list at the site root,
    and one file per runbook for the panels' JSON links, from one resolution."""
    if exception is not None or app.builder.format != "html":
        return
    if not get_config(app.config).html_json:
        return
    runbooks = handbook_runbooks(app.builder)
    write_step_list(app.builder, Path(app.outdir), runbooks)
    write_runbook_files(runbooks, Path(app.outdir))
