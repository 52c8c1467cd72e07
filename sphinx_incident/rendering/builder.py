"""The ``runbooks`` builder and the step list written beside HTML builds.

``sphinx-build -b runbooks SRC OUT`` reads the handbook and writes
``OUT/runbooks.json`` without rendering any page; like ``linkcheck`` it
collects and writes in :meth:`RunbooksBuilder.finish`. HTML builds write the
same file at ``build-finished`` unless ``incident_html_json`` is off. Both
write what the review of the build decided (:mod:`sphinx_incident.checking.review`).
"""

from __future__ import annotations

import re
from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.builders import Builder
from sphinx.util import logging

from ..checking.report import conf_line, conf_path, emit
from ..checking.review import review_of
from ..config import get_config
from ..model import Problem
from ..reading.discovery import DISCOVER_BUILDER
from .html import write_runbook_files, writes_step_list
from .step_list import SCHEMA_FILENAME, document_chunks, dumps, load_schema, write_atomic

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from ..model import Runbook

logger = logging.getLogger(__name__)

#: the tags ``only`` blocks see in the ``runbooks`` builder: its URLs are the HTML site's
HTML_TAGS = ("html", "format_html", "builder_html")


def handbook_runbooks(app: Sphinx) -> list[Runbook]:
    """Every runbook of the built handbook, resolved, as this build's review decided."""
    return list(each_runbook(app))


def each_runbook(app: Sphinx) -> Iterator[Runbook]:
    """:func:`handbook_runbooks`, one document's runbooks in memory at a time."""
    review = review_of(app)
    if review is not None:
        yield from review.each_runbook()


#: how every step list this extension writes begins (see rendering.step_list.document)
_OUR_HEAD = re.compile(r'\A\{\s*"schema_version": "[^"]*",\s*"generator": \{\s*"name": "sphinx-incident"')


def _ours(path: Path) -> bool:
    """Whether an existing file is a step list this extension wrote.

    Only its head is read: a large handbook's step list is megabytes, and a
    build that writes it again should not hold it in memory twice."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512).decode("utf-8", "replace")
    except OSError:
        return False
    return _OUR_HEAD.match(head) is not None


def write_step_list(app: Sphinx, outdir: Path, runbooks: Iterable[Runbook]) -> Path | None:
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
    write_atomic(path, document_chunks(runbooks, config.project, str(config.html_baseurl or "")))
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
        path = write_step_list(self._sphinx, Path(self.outdir), each_runbook(self._sphinx))
        if path is not None:
            logger.info("wrote %s", path)


class ReadRunbooksBuilder(RunbooksBuilder):
    """Reads, resolves and checks every runbook, as ``runbooks`` does, and writes nothing.

    The commands that need a handbook's model (``lint``, ``export``, ``alerts``,
    ``diff``) read it this way: the step list of a throw-away folder would cost a
    large handbook a second."""

    name = "runbooks-read"
    epilog = ""

    def finish(self) -> None:
        pass


class DiscoverBuilder(ReadRunbooksBuilder):
    """Classifies every list of the handbook and extracts no runbook: ``discover`` reads this way."""

    name = DISCOVER_BUILDER


def write_html_step_list(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: HTML site builds also write the step list at the site root,
    and one file per runbook for the panels' JSON links."""
    if exception is not None or not writes_step_list(app.builder):
        return
    if not get_config(app.config).html_json:
        return
    if write_step_list(app, Path(app.outdir), each_runbook(app)) is not None:
        write_runbook_files(each_runbook(app), Path(app.outdir))
