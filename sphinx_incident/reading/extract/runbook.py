"""One runbook, from its node to the model: the entry point of the extraction."""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes

from ...model import Runbook
from ..doctree import LISTS, ancestors, node_line, only_condition, plain_text
from ..list_source import SourceLines
from ..parts import container_title, is_box_title, is_container, list_part_blocks
from .blocks import own_blocks
from .context import Extraction, OnStep, VerdictOf
from .defects import substep_bodies
from .finish import finish
from .foreign import foreign_markup
from .items import (
    empty_items,
    every_draft,
    indented_past_the_text,
    lists_shown_as_code,
    lost_to_nesting,
    run_into_the_text_above,
)
from .joined import joined_to_items
from .names import named
from .references import owner_reference
from .run_in import run_in_text
from .steps import Draft, typed_numbers
from .unclosed import unclosed_fences
from .walk import read_blocks


def extract_runbook(
    root: nodes.Element,
    *,
    runbook_id: str,
    title: str,
    docname: str,
    source: str,
    declared_by: str = "directive",
    label: str | None = None,
    owners: list[str] | None = None,
    on_step: OnStep | None = None,
    other_roots: list[nodes.Element] | None = None,
    source_lines: SourceLines | None = None,
    sources: Callable[[nodes.Node], SourceLines | None] | None = None,
    srcdir: str | None = None,
    verdict_of: VerdictOf | None = None,
) -> Runbook:
    """Build the model of one runbook from its node (a section, a page, a ``runbook`` container).

    ``on_step`` is told of every step with its node, so the caller can give
    the node an HTML id; the function itself changes nothing. With
    ``source_lines`` (the text of the file the runbook is in) the author's
    indentation is compared with what the parser built; with ``sources`` (the lines of the
    file a node comes from), each node is compared with its own file's lines. With ``verdict_of`` (discovery's
    verdict on a list), a section that holds lists besides its procedure keeps them as prose.
    The root may also be one list, or one box (an admonition, a dropdown, a tab, a card)
    holding the procedure: ``incident_runbooks`` names those as ``doc#section/part``.
    """
    extractor = Extraction(root.document, on_step, root, docname, source_lines)
    extractor.path = source
    extractor.srcdir = srcdir
    extractor.verdict_of = verdict_of
    extractor.noun = "item" if declared_by == "listed" else "step"
    extractor.sources = sources
    runbook = Runbook(
        id=runbook_id,
        title=title,
        docname=docname,
        source=source,
        line=node_line(root),
        declared_by=declared_by,
        label=label,
        owners=tuple(owner_reference(name, docname, node_line(root)) for name in owners or ()),
        only=only_condition(root),
    )
    skip = {id(node) for node in other_roots or ()}
    directive = isinstance(root, nodes.container)
    if isinstance(root, LISTS):  # one list of a section, with its pieces and what its end lost
        blocks: list[nodes.Node] = list_part_blocks(root)
    elif is_container(root):  # one box of a section (a runbook directive is no box)
        runbook.container = container_title(root) or None
        blocks = [b for b in own_blocks(root, skip, True) if not is_box_title(b)]
        directive = True
    else:
        blocks = own_blocks(root, skip, directive)
    drafts, intro, notes = read_blocks(extractor, root, blocks, skip, directive, runbook)
    runbook.intro = "\n\n".join(intro)
    runbook.notes = tuple(notes)
    # what the runbook holds: its root, or the blocks a part that names one list takes
    scope = [b for b in blocks if isinstance(b, nodes.Element)] if isinstance(root, LISTS) else [root]
    for held in scope:
        lost_to_nesting(extractor, held)
        empty_items(extractor, held)
        indented_past_the_text(extractor, held)
        lists_shown_as_code(extractor, held)
        foreign_markup(extractor, held)
        unclosed_fences(extractor, held)
        run_into_the_text_above(extractor, held, drafts)
        joined_to_items(extractor, held)
        _numbers_of_other_lists(extractor, held, skip)
        _run_in_beside_steps(extractor, held, skip, drafts)
    substep_bodies(extractor, drafts)
    finish(extractor, runbook, drafts)
    runbook.defects = tuple(sorted(extractor.defects, key=lambda p: (p.line or 0, p.rule)))
    return runbook


def _numbers_of_other_lists(extractor: Extraction, root: nodes.Element, skip: set[int]) -> None:
    """Typed numbers that skip or repeat in the runbook's Markdown lists that were not read as
    steps (a list of links under a step, a list of values): the page shows other numbers than
    the source there too. Lists whose items stand at several columns are left to the nesting
    checks."""
    if not extractor.markdown:
        return
    for lst in root.findall(nodes.enumerated_list):
        if id(lst) in extractor.numbered_read or any(id(a) in skip for a in ancestors(lst, root)):
            continue
        items = [item for item in lst.children if isinstance(item, nodes.list_item)]
        markers = [extractor.marker(item) for item in items]
        if len({m.indent for m in markers if m is not None}) == 1:
            typed_numbers(extractor, [(item, marker, 1) for item, marker in zip(items, markers, strict=True)])


def _run_in_beside_steps(
    extractor: Extraction, root: nodes.Element, skip: set[int], drafts: list[Draft]
) -> None:
    """List items run into the text of an item of a list that was not read as steps (a list of
    fixtures, of settings): the page shows them as words there too (``run_in_list``). The
    steps' own are reported as they are read."""
    read = {id(draft.node) for draft in every_draft(drafts)}
    for item in root.findall(nodes.list_item):
        if id(item) in read or any(id(a) in skip for a in ancestors(item, root)):
            continue
        first = next((c for c in item.children if isinstance(c, nodes.paragraph)), None)
        if first is None:
            continue
        name = named("item", plain_text(first).split("\n")[0], node_line(item))  # its text's first line
        if (found := run_in_text(extractor, list(item.children), name)) is not None:
            extractor.defect("run_in_list", item, found[0], found[2], end_line=found[1])
