"""HTML rendering of runbooks: checkboxes, permalinks, a header panel, and the static files.

The directive and the collector make format-neutral doctrees (steps are the
list items or paragraphs that carry ``<runbook>--<step>`` ids). For HTML
builders only, at ``doctree-resolved``, :class:`RunbookDecorator` marks where each
runbook's panel goes; as the page is written, :class:`PageRenderer` renders the
panel from ``panel.html`` and adds in front of each step a checkbox (disabled
until the script enables it, so without JavaScript the page reads as the
original numbered prose) and after its first line a permalink.
The script gets what it needs as JSON in the page (:func:`checklist_data`):
the Markdown checklist, which it never builds itself, so "Copy" matches
``sphinx-incident export``; each step's label and owner role, for incident
runs and their timeline; and, with ``incident_issue_url``, the new issue's
title and body. Runs live in the browser only (``schema/incident-run.schema.json``).
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.epub3 import Epub3Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

from ..checking.review import review_of, review_of_env
from ..checking.site_urls import relative_to
from ..config import get_config
from ..domain import incident_domain, single_fragment
from ..model import Runbook, Step
from ..model.ids import slugify
from ..reading.collect import RUNBOOK_ID_ATTRIBUTE
from .markdown import markdown, plain_label, task_lines
from .step_list import involved_roles, runbook_data, write_atomic
from .templates import environment

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
#: stands for the site root in the page's checklist; the script puts the real one in
SITE_ROOT = "@@incident-site-root@@"
#: per-runbook JSON files, next to the step list
RUNBOOK_DIR = "_runbooks"
#: set on a page's doctree once a runbook's panel is on it
PANELS = "incident-panels"
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def runbook_json_path(runbook_id: str) -> str | None:
    """Where the JSON of one runbook goes, relative to the output root; ``None``
    for an id that could not be a plain file name (ids are slugs; this is a guard)."""
    if not _SAFE_ID.match(runbook_id) or ".." in runbook_id:
        return None
    return f"{RUNBOOK_DIR}/{runbook_id}.json"


def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _root_prefix(target_uri: str) -> str:
    """The relative path from a page to the site root (``""``, ``"../"`` ...)."""
    return "../" * target_uri.count("/")


def _first_paragraph(node: nodes.Element) -> nodes.Element | None:
    if isinstance(node, nodes.paragraph):
        return node
    for child in node.children:
        if isinstance(child, nodes.paragraph):
            return child
        if not isinstance(child, nodes.Invisible | nodes.target):
            return None
    return None


def _title_node(node: nodes.Element, step: Step) -> nodes.Element | None:
    """The bold text a step's title is, where it opens one of the step's first two paragraphs
    (the second after a lead-in line such as ``Who: <role>``)."""
    if not step.title:
        return None
    paragraphs = [child for child in node.children if isinstance(child, nodes.paragraph)][:2]
    for paragraph in paragraphs if isinstance(node, nodes.list_item) else [node]:
        for child in paragraph.children:
            if isinstance(child, nodes.raw) or (isinstance(child, nodes.Text) and not child.strip()):
                continue
            if isinstance(child, nodes.strong) and " ".join(child.astext().split()) == step.title:
                return child
            break
    return None


def _decorate_step(node: nodes.Element, step: Step, check: nodes.Node, link: nodes.Node) -> None:
    """A checkbox before the step's first line, a permalink after it; the step and its bold
    title marked for the page's style and script (a tap on the title ticks the step)."""
    paragraph = _first_paragraph(node)
    if paragraph is None:
        node.insert(0, check)
        node.append(link)
        return
    for box in [c for c in paragraph.children if _task_box(c)]:
        paragraph.remove(box)  # the step's own box replaces a task list's: one tick, not two
    paragraph.insert(0, check)
    paragraph.append(link)
    _add_class(node, "incident-step")
    title = _title_node(node, step)
    if title is not None:
        _add_class(title, "incident-step-title")


def _task_box(node: nodes.Node) -> bool:
    """The box MyST draws before a task list's item (``- [ ]``), as raw HTML."""
    return isinstance(node, nodes.raw) and "task-list-item-checkbox" in node.astext()


def _add_class(node: nodes.Element, name: str) -> None:
    if name not in node.get("classes", []):
        node["classes"] = [*node.get("classes", []), name]


def _runbook_roots(document: nodes.document, default: str) -> list[tuple[nodes.Element, str]]:
    """The runbooks' root nodes of a page, each with the document it comes from: single-page
    builders put every page in one doctree, each under a ``start_of_file`` node. Read from the
    top down (Sphinx moves a page's nodes under that node without setting their parent)."""
    found: list[tuple[nodes.Element, str]] = []
    stack: list[tuple[nodes.Node, str]] = [(document, default)]
    while stack:
        node, docname = stack.pop()
        if isinstance(node, addnodes.start_of_file):
            docname = str(node["docname"])
        if _is_runbook_root(node):
            found.append((node, docname))  # type: ignore[arg-type]
        if isinstance(node, nodes.Element):
            stack.extend((child, docname) for child in reversed(node.children))
    return found


class incident_decoration(nodes.raw):
    """Where the HTML writer puts a runbook's panel, and, once it has placed them, a step's
    checkbox or permalink.

    The resolved doctree carries one per runbook, saying only which (``kind``: ``panel``;
    the runbook's ``docname`` and declared ``runbook`` id; the ``page`` written; whether it
    sits ``inside`` the runbook's root or right before it): with ``-j N`` Sphinx resolves
    pages well ahead of the processes that write them and keeps every resolved doctree until
    its page is written, so whatever is added here is held for most of the handbook at once.
    :func:`visit_decoration` renders the panel as the page is written, and places the
    runbook's checkboxes and permalinks (``kind`` ``check`` and ``link``, with the ``step``
    id) in the steps, which come after it in the page. A ``raw`` node to anything that does
    not know it: no text, no words for the search index."""


def visit_decoration(translator: Any, node: incident_decoration) -> None:
    """HTML writers: the decoration's HTML (a translator writes one page, so it keeps the
    page's renderer: templates and runbooks are looked up once per page).

    Builders that assemble their pages through ``html-page-context`` get a mark in the body
    instead, which :func:`fill_decorations` replaces with the HTML once the page is
    assembled: Sphinx logs every event's arguments, the page's body among them, and with
    ``-j N`` each writer keeps those records until its chunk of pages is written, then sends
    them to the main process. A runbook page's panel, checkboxes and permalinks are most of
    its body, so the records would carry them twice over (``docs/explanation/performance.md``).
    """
    renderer = getattr(translator, "_incident_renderer", None)
    if renderer is None or renderer.docname != node["page"]:
        renderer = PageRenderer(translator.builder, str(node["page"]), translator.document)
        translator._incident_renderer = renderer
    if node["kind"] == "panel":
        renderer.place_steps(node)
    if isinstance(translator.builder, StandaloneHTMLBuilder):
        translator.body.append(_defer(translator.document, renderer, node))
    else:
        translator.body.append(renderer.html(node))
    if node["kind"] != "panel" and node.parent is not None:
        # placed by the panel's visit for this writing only: with ``-j N`` a writer keeps
        # every doctree of its chunk until the chunk is written, and a second writing of the
        # page places them again
        node.parent.remove(node)
    raise nodes.SkipNode


#: a page's decorations still to render (:func:`fill_decorations`), each with the page's
#: renderer, in the order of their marks
DEFERRED = "incident-deferred"
#: the marks stand in a body only between writing and assembling a page; a token of this
#: process's own, so that no text of a page (raw HTML included) can pass for one
_MARK_OPENING = f"<!--sphinx-incident {secrets.token_hex(8)} "
_MARK = re.compile(rf"{re.escape(_MARK_OPENING)}(\d+)-->")


def _defer(document: nodes.document, renderer: PageRenderer, node: incident_decoration) -> str:
    pending = document.setdefault(DEFERRED, [])
    pending.append((renderer, node))
    return f"{_MARK_OPENING}{len(pending) - 1}-->"


def fill_decorations(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """``html-page-context``, before the handlers of other extensions and themes, which see
    the page whole: the HTML of the decorations :func:`visit_decoration` marked in the body."""
    pending = doctree.attributes.pop(DEFERRED, None) if doctree is not None else None
    body = context.get("body")
    if pending is None or not isinstance(body, str):
        return

    def html(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(pending):
            return ""
        renderer, node = pending[index]
        return str(renderer.html(node))

    context["body"] = _MARK.sub(html, body)


def depart_decoration(translator: Any, node: incident_decoration) -> None:
    """Never called: the visit skips the node."""


def _mark(
    kind: str, page: str, docname: str, runbook_id: str, step: str = "", **more: Any
) -> incident_decoration:
    return incident_decoration(
        "", "", format="html", kind=kind, page=page, docname=docname, runbook=runbook_id, step=step, **more
    )


class RunbookDecorator:
    """Mark each runbook of one HTML page for the writer to make it a checklist people can
    work through: a panel above the runbook, and, placed by :class:`PageRenderer` as the page
    is written, a checkbox before each step and a permalink after its first line."""

    def __init__(self, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        self.app = app
        self.document = doctree
        self.docname = docname

    def run(self) -> None:
        review = review_of(self.app)
        if review is None or (self.docname not in review.pages and not self.document.get("docname")):
            return  # a page without runbooks (single-page builders mark their one doctree)
        for root, docname in _runbook_roots(self.document, self.docname):
            declared = str(root[RUNBOOK_ID_ATTRIBUTE])
            if not review.declares(docname, declared):
                continue  # left out of this builder's output (an ``only`` block)
            self._add_panel(root, docname, declared)
            self.document[PANELS] = True  # the page gets the scripts (add_page_scripts)

    def _add_panel(self, root: nodes.Element, docname: str, declared: str) -> None:
        if isinstance(root, nodes.section | nodes.container):
            index = 1 if root.children and isinstance(root.children[0], nodes.title) else 0
            root.insert(index, _mark("panel", self.docname, docname, declared, inside=True))
        elif root.parent is not None:  # the first block of a page that is a runbook as a whole
            root.parent.insert(root.parent.index(root), _mark("panel", self.docname, docname, declared))
        root["classes"] = [*root.get("classes", []), "incident-runbook-live"]


class PageRenderer:
    """The HTML of one page's decorations, rendered as the page is written."""

    def __init__(self, builder: Builder, docname: str, document: nodes.document) -> None:
        self.builder = builder
        self.env = builder.env
        self.config = builder.config
        self.confdir = builder.confdir
        self.docname = docname
        self.document = document
        self.page = builder.get_target_uri(docname)
        self.baseurl = str(self.config.html_baseurl or "")
        self._templates: dict[str, Any] = {}
        self._runbooks: dict[tuple[str, str], tuple[Runbook, dict[str, Step]]] = {}
        self._by_id: dict[str, nodes.Element] | None = None

    def html(self, node: incident_decoration) -> str:
        found = self._runbook(str(node["docname"]), str(node["runbook"]))
        if found is None:
            return ""
        runbook, steps = found
        if node["kind"] == "panel":
            return self._panel(runbook)
        step = steps.get(str(node["step"]))
        if step is None:
            return ""
        label = plain_label(step)
        name = "step-check.html" if node["kind"] == "check" else "step-permalink.html"
        context = {"runbook": runbook} if node["kind"] == "check" else {}
        return self._render(name, step=step, label=label, **context).strip()

    def place_steps(self, panel: incident_decoration) -> None:
        """Put a checkbox and a permalink in each step of the runbook whose panel is being
        written. The steps follow the panel in the page (it opens the runbook), so the writer
        reaches them, and what is put in them, after this."""
        found = self._runbook(str(panel["docname"]), str(panel["runbook"]))
        if found is None:
            return
        runbook = found[0]
        if self._by_id is None:
            self._by_id = {}
            for element in self.document.findall(nodes.Element):
                for node_id in element.get("ids", []):
                    self._by_id.setdefault(node_id, element)
        docname, declared = str(panel["docname"]), str(panel["runbook"])
        for step in runbook.walk():
            target = self._by_id.get(step.anchor)
            if target is not None:
                check = _mark("check", self.docname, docname, declared, step.id)
                link = _mark("link", self.docname, docname, declared, step.id)
                _decorate_step(target, step, check, link)

    def _runbook(self, docname: str, runbook_id: str) -> tuple[Runbook, dict[str, Step]] | None:
        key = (docname, runbook_id)
        if key not in self._runbooks:
            review = review_of_env(self.env)
            declared = dict(review.declared_in(docname)) if review is not None else {}
            runbook = declared.get(runbook_id)
            if runbook is None:
                return None
            self._runbooks[key] = (runbook, {step.id: step for step in runbook.walk()})
        return self._runbooks[key]

    def _render(self, name: str, **context: Any) -> str:
        template = self._templates.get(name)
        if template is None:  # looked up once per page: every step renders two
            template = self._templates[name] = environment(
                self.config.templates_path, self.confdir
            ).get_template(name)
        return template.render(**context)

    def _team_roles(self, page: str) -> list[dict[str, str | None]]:
        """Every team role of the handbook, its URL relative to ``page``: the incident roles
        a run assigns to people."""
        roles = []
        for name, role in sorted(incident_domain(self.env).all_roles().items()):
            try:
                url = single_fragment(self.builder.get_target_uri(role.docname) + "#" + role.anchor)
            except Exception:  # a role on a page this builder does not write
                url = None
            roles.append({"name": name, "url": relative_to(page, url) if url else None})
        return roles

    def _panel(self, runbook: Runbook) -> str:
        config = get_config(self.config)
        page = self.page
        prefix = _root_prefix(page)
        base = "" if self.baseurl else SITE_ROOT
        text = markdown(runbook, base, "markdown", self.config.templates_path, self.confdir)
        issue_body = (
            markdown(runbook, base, "github", self.config.templates_path, self.confdir)
            if config.issue_url
            else None
        )
        checklist = checklist_data(runbook, page, text, issue_body, self._team_roles(page))
        json_path = (
            runbook_json_path(runbook.id) if config.html_json and writes_step_list(self.builder) else None
        )
        roles = [
            {"name": role["name"], "url": relative_to(page, role["url"])} for role in involved_roles(runbook)
        ]
        html = self._render(
            "panel.html",
            runbook=runbook,
            handbook=self.config.project,
            total=sum(1 for _ in runbook.walk()),
            roles=roles,
            json_url=prefix + json_path if json_path else None,
            problems=runbook.problems if config.show_problems else [],
            issue_url=config.issue_url,
            checklist_json=script_json(checklist),
        )
        return html.strip()


def _owner(step: Step, page: str, roles: dict[str, str]) -> dict[str, Any] | None:
    """A step's owner for the page: its text and URL, and the team role it names, if any."""
    if step.owner is None:
        return None
    role = roles.get(slugify(step.owner.target, max_length=10_000)) or roles.get(
        slugify(step.owner.text, max_length=10_000)
    )
    return {"text": step.owner.text, "url": relative_to(page, step.owner.url), "role": role}


def checklist_data(
    runbook: Runbook,
    page: str,
    text: str,
    issue_body: str | None = None,
    team_roles: list[dict[str, str | None]] | None = None,
) -> dict[str, Any]:
    """What the page's script gets about one runbook (``<script class="incident-checklist">``).

    ``lines``: the Markdown checklist, each task line tagged with its step id;
    ``steps``: every step in order with its label, owner role and fingerprint
    (:func:`~sphinx_incident.model.ids.step_fingerprint`: a run's events name a step by id and
    fingerprint, so that after a rebuild the page can tell whether a step still
    says what was ticked), its parent step (the timeline writes the parent's label before a sub-step's),
    and the team role its owner names; ``teamRoles``: every team role of the handbook
    (``team_roles``), for the run to assign people to; ``issue``: the title and
    GitHub-format body of a new incident issue, when ``incident_issue_url`` is set.
    URLs under the site root start with :data:`SITE_ROOT`, which the script
    replaces, and the owner's and roles' URLs are relative to ``page``.
    """
    roles = {slugify(str(role["name"]), max_length=10_000): str(role["name"]) for role in team_roles or []}
    parents = {sub.id: step.id for step in runbook.walk() for sub in step.substeps}
    data: dict[str, Any] = {
        "runbook": runbook.id,
        "title": runbook.title,
        "anchor": runbook.anchor,
        "siteRoot": _root_prefix(page) or "./",
        "placeholder": SITE_ROOT,
        "lines": task_lines(text, runbook),
        "steps": [
            {
                "id": step.id,
                "label": plain_label(step),
                "fingerprint": step.fingerprint,
                "parent": parents.get(step.id),
                "owner": _owner(step, page, roles),
            }
            for step in runbook.walk()
        ],
        "teamRoles": team_roles or [],
    }
    if issue_body is not None:
        data["issue"] = {"title": f"Incident: {runbook.title}", "body": issue_body}
    return data


def _is_runbook_root(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and RUNBOOK_ID_ATTRIBUTE in node.attributes


def writes_step_list(builder: Builder) -> bool:
    """HTML builders that publish a site write the step list beside it; e-books do not."""
    return isinstance(builder, StandaloneHTMLBuilder) and not isinstance(builder, Epub3Builder)


def decorate_runbooks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: HTML builders only; other builders keep the plain prose.

    At this point references are resolved and the builder (for page URLs) is
    at hand, which a post-transform reaches only through deprecated API."""
    if app.builder.format == "html":
        RunbookDecorator(app, doctree, docname).run()


def write_runbook_files(runbooks: Iterable[Runbook], outdir: Path) -> None:
    """One ``_runbooks/<id>.json`` per runbook, linked from its panel; files of runbooks
    that are gone are removed (the folder is the extension's own)."""
    outdir = outdir.resolve()
    written = set()
    for runbook in runbooks:
        relative = runbook_json_path(runbook.id)
        if relative is None:
            continue
        path = (outdir / relative).resolve()
        if not path.is_relative_to(outdir):
            continue
        # compact: these files are for the page's script and for tools, not for reading
        text = json.dumps(runbook_data(runbook), ensure_ascii=False, separators=(",", ":")) + "\n"
        if not path.exists() or path.read_text("utf-8") != text:  # unchanged files keep their time
            write_atomic(path, text)
        written.add(path.name)
    folder = outdir / RUNBOOK_DIR
    if folder.is_dir():
        for stale in folder.glob("*.json"):
            if stale.name not in written:
                stale.unlink(missing_ok=True)


#: The page's scripts, in the order they load: classic scripts (handbooks are also
#: opened from file://, where browsers refuse module scripts), each registering on
#: ``globalThis.sphinxIncident`` what the later ones use; ``defer`` keeps this order.
SCRIPTS = (
    "incident-format.js",
    "incident-time.js",
    "incident-bind.js",
    "incident-log.js",
    "incident-runs.js",
    "incident-merge.js",
    "incident-store.js",
    "incident-timeline.js",
    "incident-export.js",
    "incident-handoff.js",
    "incident-browser.js",
    "incident-run-chooser.js",
    "incident-step-details.js",
    "incident-timeline-view.js",
    "incident-import-preview.js",
    "incident-changed-steps.js",
    "incident-share-tools.js",
    "incident-run-log.js",
    "incident-run-actions.js",
    "incident-dock.js",
    "incident-panel.js",
    "sphinx-incident.js",
)


def add_static_files(app: Sphinx) -> None:
    """``builder-inited``: ship the scripts and style sheet with HTML builds. The style sheet
    is on every page (the overview tables use it); the scripts go on pages with a runbook."""
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("sphinx-incident.css")


def add_page_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """``html-page-context``: the page's scripts, on a page that holds a runbook's panel only
    (a file added here is added to this page alone); other pages load none of them.

    They are given to the builder, which puts them on this page and forgets them after it,
    not to ``app.add_js_file``: that also records each file in the application's registry
    for good and logs it, once per script and page, and under ``-j N`` every writer sends
    those records back to the main process, so a handbook's build would keep and ship more
    for each runbook page it has."""
    add_js_file = getattr(app.builder, "add_js_file", None)
    if app.builder.format == "html" and add_js_file and doctree is not None and doctree.get(PANELS):
        for script in SCRIPTS:
            add_js_file(script, priority=500, defer="defer")
