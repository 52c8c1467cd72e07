"""What discovery says of a list inside a runbook: links, values, terms or a record that stay
prose beside the steps (or in a step), not steps with checkboxes."""

from __future__ import annotations

from docutils import nodes

from .context import VerdictOf
from .openings import skip_leading

#: a list discovery is at least this sure is no procedure stays prose beside a section's steps
SURE_LOOKALIKE = 0.7
#: the look-alikes that stay prose: lists of links, of values, of terms, of what happened
PROSE_KINDS = ("links", "values", "glossary", "timeline", "meeting-notes")


def surely_prose(node: nodes.Node, verdict_of: VerdictOf) -> bool:
    """Whether discovery is sure a list is links, values, terms or a record, not steps (a list
    whose items open with bold titles reads as steps, whatever else it says)."""
    if not isinstance(node, nodes.Element) or titled_items(node):
        return False
    verdict = verdict_of(node)
    return verdict.verdict in PROSE_KINDS and verdict.confidence >= SURE_LOOKALIKE


def titled_items(node: nodes.Node) -> bool:
    """Whether most items of a list open with a bold title, as steps do."""
    items = list(node.findall(nodes.list_item)) if isinstance(node, nodes.Element) else []
    titled = 0
    for item in items:
        paragraph = next((c for c in item.children if isinstance(c, nodes.paragraph)), None)
        children = list(paragraph.children) if paragraph is not None else []
        index = skip_leading(children)
        titled += index < len(children) and isinstance(children[index], nodes.strong)
    return bool(items) and titled * 2 >= len(items)
