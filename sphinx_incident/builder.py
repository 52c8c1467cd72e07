"""The ``runbooks`` builder and the step list written beside HTML builds.

``sphinx-build -b runbooks SRC OUT`` reads the handbook and writes
``OUT/runbooks.json`` without rendering any page; like ``linkcheck`` it
collects and writes in :meth:`RunbooksBuilder.finish`. HTML builds write the
same file at ``build-finished`` unless ``incident_html_json`` is off. Both
write what the review of the build decided (:mod:`sphinx_incident.review`).
"""

from __future__ import annotations

import json
from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders import Builder
from sphinx.util import logging

from .config import get_config
from .domain import incident_domain
from .model import Problem
from .render_html import write_runbook_files, writes_step_list
from .render_json import SCHEMA_FILENAME, document, dumps, load_schema, runbook_data, write_atomic
from .report import conf_line, conf_path, emit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .model import Runbook

logger = logging.getLogger(__name__)

#: the tags ``only`` blocks see in the ``runbooks`` builder: its URLs are the HTML site's
HTML_TAGS = ("html", "format_html", "builder_html")


def handbook_runbooks(env: BuildEnvironment) -> list[Runbook]:
    """Every runbook of the built handbook, resolved, as this build's review decided."""
    review = incident_domain(env).review
    return review.runbooks if review is not None else []


def _ours(path: Path) -> bool:
    """Whether an existing file is a step list this extension wrote."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("generator", {}).get("name") == "sphinx-incident"


def write_step_list(
    app: Sphinx, outdir: Path, runbooks: list[Runbook], data: list[dict[str, Any]] | None = None
) -> Path | None:
    """Write ``runbooks.json`` (or ``incident_json_filename``) into ``outdir``.

    A file of that name that the extension did not write (one copied from
    ``html_extra_path``, say) is left alone, with a warning."""
    config = app.config
    name = get_config(config).json_filename
    path = outdir / name
    if path.exists() and not _ours(path):
        emit(
            app.srcdir,
            Problem(
                "config",
                "warning",
                f"{path} exists and was not written by sphinx-incident; the step list is not "
                "written over it: set incident_json_filename to another name",
                conf_path(app),
                conf_line(app, "incident_json_filename"),
            ),
        )
        return None
    write_atomic(path, dumps(document(runbooks, config.project, str(config.html_baseurl or ""), data)))
    # publish the schema beside the data, so consumers can validate what they read
    write_atomic(outdir / SCHEMA_FILENAME, dumps(load_schema()))
    return path


class RunbooksBuilder(Builder):
    """Writes the machine-readable step list of every runbook, and no pages."""

    name = "runbooks"
    format = "runbooks"
    epilog = "The step list is in %(outdir)s."
    allow_parallel = True

    def __init__(self, app: Sphinx, env: BuildEnvironment) -> None:
        super().__init__(app, env)
        self._sphinx = app  # ``Builder.app`` is deprecated; writing the step list needs it

    def init(self) -> None:
        # the step list describes the HTML site: ``only`` blocks are decided as for HTML
        for tag in HTML_TAGS:
            self.tags.add(tag)

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
        path = write_step_list(self._sphinx, Path(self.outdir), handbook_runbooks(self.env))
        if path is not None:
            logger.info("wrote %s", path)


def write_html_step_list(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: HTML site builds also write the step list at the site root,
    and one file per runbook for the panels' JSON links."""
    if exception is not None or not writes_step_list(app.builder):
        return
    if not get_config(app.config).html_json:
        return
    runbooks = handbook_runbooks(app.env)
    data = [runbook_data(r) for r in runbooks]  # once, for the step list and the files per runbook
    if write_step_list(app, Path(app.outdir), runbooks, data) is not None:
        write_runbook_files(runbooks, Path(app.outdir), data)
