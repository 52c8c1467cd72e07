"""Overview pages: ``runbook-index`` (every runbook in a table) and ``runbook-matrix`` (roles x steps).

The directives leave placeholder nodes; at ``doctree-resolved``, when every
runbook of the handbook is known, they are replaced by plain docutils tables,
so every builder renders them. Pages holding a placeholder are written again
whenever any runbook changes (:mod:`sphinx_incident.checking.review`), so the tables
never go stale in incremental builds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util.docutils import SphinxDirective

from ..checking.review import review_of
from ..checking.site_urls import relative_to, relative_uri, target_uri
from ..config import get_config
from ..domain import incident_domain, single_fragment
from ..model import Reference, Runbook, Step
from .html import runbook_json_path, writes_step_list
from .markdown import plain_label
from .step_list import involved_roles

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.util.typing import OptionSpec

MARK = "●"


class runbook_index(nodes.General, nodes.Element):
    """Placeholder for the table of every runbook."""


class runbook_matrix(nodes.General, nodes.Element):
    """Placeholder for the responsibility matrix of one or every runbook."""


class RunbookIndexDirective(SphinxDirective):
    """A table of every runbook: title, step count, roles, problems, JSON link."""

    option_spec: ClassVar[OptionSpec] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        incident_domain(self.env).note_overview(self.env.docname)
        node = runbook_index("", classes=["incident-runbook-index", *self.options.get("class", [])])
        self.set_source_info(node)
        return [node]


class RunbookMatrixDirective(SphinxDirective):
    """Who does what: for each runbook, its steps against the roles they name."""

    optional_arguments = 1
    option_spec: ClassVar[OptionSpec] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        incident_domain(self.env).note_overview(self.env.docname)
        node = runbook_matrix(
            "",
            classes=["incident-runbook-matrix", *self.options.get("class", [])],
            runbook_id=self.arguments[0].strip() if self.arguments else "",
        )
        self.set_source_info(node)
        return [node]


# -- filling the placeholders -----------------------------------------------

#: the widest a column gets in plain-text output (builders that wrap table cells)
MAX_COLUMN_WIDTH = 40


def _text_width(cell: nodes.Node | str) -> int:
    text = cell if isinstance(cell, str) else cell.astext()
    return max((len(line) for line in text.splitlines()), default=0)


def _table(headers: list[str], rows: list[list[nodes.Node | str]], classes: list[str]) -> nodes.table:
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    table += group
    # real widths: the text builder wraps each cell to its column's width
    for column, header in enumerate(headers):
        widest = max([len(header), *(_text_width(row[column]) for row in rows)])
        group += nodes.colspec(colwidth=min(max(widest, 3), MAX_COLUMN_WIDTH))
    head = nodes.thead()
    group += head
    head += _row([nodes.Text(h) for h in headers])
    body = nodes.tbody()
    group += body
    for row in rows:
        body += _row(row)
    return table


def _row(cells: list[nodes.Node | str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        paragraph = nodes.paragraph()
        paragraph += nodes.Text(cell) if isinstance(cell, str) else cell
        entry += paragraph
        row += entry
    return row


def _link(text: str, url: str | None) -> nodes.Node:
    if not url:
        return nodes.Text(text)
    ref = nodes.reference("", "", internal=True, refuri=url)
    ref += nodes.Text(text)
    return ref


class Links:
    """Links from one page to anchors in others, as the builder writes them (or none)."""

    def __init__(self, builder: Builder, fromdoc: str, page: str) -> None:
        self.builder = builder
        self.fromdoc = fromdoc
        #: the page's own URL, for site-root-relative URLs
        self.page = page

    def __call__(self, docname: str, anchor: str = "") -> str | None:
        uri = relative_uri(self.builder, self.fromdoc, docname)
        if uri is None:  # a builder that leaves that document out, or writes no pages
            return None
        return single_fragment(f"{uri}#{anchor}") if anchor else uri


def _responsibilities(step: Step, terms: bool | list[str]) -> list[Reference]:
    """The roles a step makes someone responsible for: its owner and the roles its own
    text names. A role named only in a footnote of the step is not one of them."""
    refs = [step.owner] if step.owner is not None else []
    refs.extend(step.roles)
    if terms:
        wanted = None if terms is True else {t.lower() for t in terms}  # type: ignore[union-attr]
        refs.extend(t for t in step.terms if wanted is None or t.target.lower() in wanted)
    return refs


def index_table(runbooks: list[Runbook], links: Links, json_url: Any) -> nodes.Node:
    headers = ["Runbook", "Steps", "Roles", "Problems"]
    show_json = any(json_url(r) for r in runbooks)
    if show_json:
        headers.append("JSON")
    rows: list[list[nodes.Node | str]] = []
    for runbook in runbooks:
        roles = nodes.inline()
        for number, role in enumerate(involved_roles(runbook)):
            if number:
                roles += nodes.Text(", ")
            roles += _link(role["name"], relative_to(links.page, role["url"]))
        row: list[nodes.Node | str] = [
            _link(runbook.title, links(runbook.docname, runbook.anchor)),
            str(runbook.step_count()),
            roles,
            str(len(runbook.problems)),
        ]
        if show_json:
            url = json_url(runbook)
            row.append(_link("JSON", url) if url else "")
        rows.append(row)
    if not rows:
        return nodes.paragraph("", "This handbook has no runbooks yet.")
    return _table(headers, rows, ["incident-index-table"])


def _step_cell(step: Step, url: str | None) -> nodes.Node:
    """A step's name, indented by its depth outside the link, so the link is the name only."""
    depth = step.id.count(".")
    cell = nodes.inline(classes=[f"incident-depth-{min(depth, 6)}"])
    if depth:
        cell += nodes.Text("\u2003" * depth)
    cell += _link(plain_label(step), url)
    return cell


def matrix(
    runbook: Runbook, defined_roles: Sequence[tuple[str, str | None]], terms: bool | list[str], links: Links
) -> list[nodes.Node]:
    """The responsibility matrix of one runbook, with its gaps called out."""
    columns: dict[str, tuple[str, str | None]] = {}
    for name, url in defined_roles:
        columns.setdefault(name.lower(), (name, url))
    steps = list(runbook.walk())
    owned: dict[str, set[str]] = {}
    for step in steps:
        for ref in _responsibilities(step, terms):
            key = ref.text.lower() if ref.text.lower() in columns else ref.target.lower()
            columns.setdefault(key, (ref.text, relative_to(links.page, ref.url)))
            owned.setdefault(step.id, set()).add(key)
    keys = list(columns)
    section = nodes.container(classes=["incident-matrix"])
    title = nodes.paragraph()
    title += nodes.strong("", "")
    title[0] += _link(runbook.title, links(runbook.docname, runbook.anchor))
    section += title
    header_cells = ["Step", *(columns[k][0] for k in keys)]
    rows: list[list[nodes.Node | str]] = []
    for step in steps:
        cells: list[nodes.Node | str] = [_step_cell(step, links(runbook.docname, step.anchor))]
        cells.extend(MARK if k in owned.get(step.id, set()) else "" for k in keys)
        rows.append(cells)
    section += _table(header_cells, rows, ["incident-matrix-table"])
    nobody = [s for s in steps if not owned.get(s.id)]
    unused = [columns[k][0] for k in keys if not any(k in v for v in owned.values())]
    if nobody:
        section += nodes.paragraph("", f"Steps that name no role ({len(nobody)}):")
        gaps = nodes.bullet_list(classes=["incident-matrix-gaps"])
        for step in nobody:
            gaps += nodes.list_item(
                "", nodes.paragraph("", "", _step_cell(step, links(runbook.docname, step.anchor)))
            )
        section += gaps
    if unused:
        section += nodes.paragraph("", f"Roles that own no step: {', '.join(unused)}")
    return [section]


def fill_overviews(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: replace the placeholders with tables, links relative to this page."""
    domain = incident_domain(app.env)
    # HTML pages are one document each; other builders may put several in one doctree
    one_page = isinstance(app.builder, StandaloneHTMLBuilder) and doctree.get("docname") is None
    if one_page and docname not in domain.overview_docs:
        return  # no placeholder here: no need to walk the page
    placeholders = list(doctree.findall(lambda n: isinstance(n, runbook_index | runbook_matrix)))
    if not placeholders:
        return
    builder = app.builder
    review = review_of(app)
    runbooks = review.runbooks if review is not None else []
    page = target_uri(builder, docname) or ""
    links = Links(builder, docname, page)
    config = get_config(app.config)
    show_json = writes_step_list(builder) and config.html_json

    def json_url(runbook: Runbook) -> str | None:
        path = runbook_json_path(runbook.id)
        return relative_to(page, path) if (show_json and path) else None

    defined = [
        (role.name, links(role.docname, role.anchor))
        for role in sorted(domain.all_roles().values(), key=lambda r: r.name.lower())
    ]
    for node in placeholders:
        if isinstance(node, runbook_index):
            node.replace_self(index_table(runbooks, links, json_url))
            continue
        wanted = node.get("runbook_id", "")
        chosen = [r for r in runbooks if not wanted or r.id == wanted]
        content: list[nodes.Node] = []
        for runbook in chosen:
            content.extend(matrix(runbook, defined, config.matrix_terms, links))
        if not content:
            content = [nodes.paragraph("", f"No runbook {wanted!r}." if wanted else "No runbooks yet.")]
        node.replace_self(content)
