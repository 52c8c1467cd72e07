"""The references of a step: ``{term}``, ``{role}``, links, buttons and the footnotes it cites.

Cross-references are kept as the parser left them (:class:`~sphinx_incident.model.XRef`),
for Sphinx to resolve once every document is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes

from ...model import Footnote, Link, LinkKind, Reference, XRef
from ..doctree import block_text, clean, is_button, node_line, text_of
from .context import Extraction


def owner_reference(name: str, docname: str, line: int | None) -> Reference:
    """A team role named as an owner (``:roles:``), resolved like a ``{role}`` reference."""
    attributes = {"refdomain": "incident", "reftype": "role", "reftarget": name, "refexplicit": False}
    return Reference(text=name, target=name, line=line, xref=XRef(_pairs(attributes), "inline", (), name))


#: attributes a stored cross-reference does without: structural ones, the page it is on
#: (known from the runbook) and whether to warn (the resolution always asks to be told)
_NOT_KEPT = frozenset({"ids", "classes", "names", "dupnames", "backrefs", "refdoc", "refwarn"})


def xref_of(node: nodes.Element) -> XRef:
    """What Sphinx needs to resolve a ``pending_xref`` later: its attributes and its content."""
    attributes = _pairs(
        {key: value for key, value in node.attributes.items() if key not in _NOT_KEPT and _plain_value(value)}
    )
    content = node.children[0] if node.children else None
    if isinstance(content, nodes.Element):
        return XRef(
            attributes, content.tagname, tuple(str(c) for c in content.get("classes", ())), text_of(content)
        )
    return XRef(attributes, "inline", (), text_of(node))


def _pairs(attributes: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Attributes as :class:`XRef` keeps them: sorted pairs, lists as tuples."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in attributes.items()))


def _plain_value(value: object) -> bool:
    if isinstance(value, str | int | float | bool) or value is None:
        return True
    return isinstance(value, list | tuple) and all(isinstance(v, str | int | float | bool) for v in value)


@dataclass
class Refs:
    """The references gathered from a piece of a step."""

    terms: list[Reference] = field(default_factory=list)
    roles: list[Reference] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)


def collect_refs(ex: Extraction, roots: list[nodes.Node], skip: Callable[[nodes.Node], bool]) -> Refs:
    refs = Refs()
    seen_footnotes: set[str] = set()
    for root in roots:
        for node in _findall(root, skip):
            _collect_one(ex, node, refs, seen_footnotes)
    return refs


def _findall(root: nodes.Node, skip: Callable[[nodes.Node], bool]) -> Iterator[nodes.Node]:
    if skip(root):
        return
    yield root
    if isinstance(root, nodes.Element):
        for child in root.children:
            yield from _findall(child, skip)


def _collect_one(ex: Extraction, node: nodes.Node, refs: Refs, seen_footnotes: set[str]) -> None:
    if not isinstance(node, nodes.Element):
        return
    if node.tagname != "pending_xref" and not isinstance(node, nodes.reference | nodes.footnote_reference):
        return
    line = node_line(node)
    if node.tagname == "pending_xref":
        domain = str(node.get("refdomain", "") or "")
        reftype = str(node.get("reftype", ""))
        target = str(node.get("reftarget", ""))
        text = clean(text_of(node))
        xref = xref_of(node)
        if reftype == "term" and domain == "std":
            refs.terms.append(
                Reference(text=text, target=target, line=line, xref=xref, source=ex.other_file(node))
            )
        elif reftype == "role" and domain in ("std", "incident"):
            refs.roles.append(
                Reference(text=text, target=target, line=line, xref=xref, source=ex.other_file(node))
            )
        else:
            xref_kind: LinkKind = "button" if is_button(node) else "internal"
            qualified = reftype if domain in ("", "std", "True") else f"{domain}:{reftype}"
            refs.links.append(
                Link(
                    kind=xref_kind,
                    target=target,
                    text=text,
                    line=line,
                    reftype=qualified,
                    xref=xref,
                    source=ex.other_file(node),
                )
            )
    elif isinstance(node, nodes.reference):
        text = clean(text_of(node))
        if "refuri" in node:
            uri_kind: LinkKind = "button" if is_button(node) else "external"
            refs.links.append(
                Link(
                    kind=uri_kind,
                    target=str(node["refuri"]),
                    text=text,
                    line=line,
                    source=ex.other_file(node),
                )
            )
        elif "refid" in node:
            # an internal hyperlink to a target in this same page: resolved by docutils
            refs.links.append(
                Link(
                    kind="internal",
                    target=str(node["refid"]),
                    text=text,
                    line=line,
                    reftype="refid",
                    resolved=True,
                )
            )
    elif isinstance(node, nodes.footnote_reference):
        footnote = _footnote(ex, node)
        if footnote is not None and footnote.label not in seen_footnotes:
            seen_footnotes.add(footnote.label)
            refs.footnotes.append(footnote)


def _footnote(ex: Extraction, ref: nodes.footnote_reference) -> Footnote | None:
    refid = ref.get("refid")
    target = ex.document.ids.get(refid) if (ex.document is not None and refid) else None
    if not isinstance(target, nodes.footnote):
        label = str(ref.get("refname") or refid or ref.astext())
        return Footnote(label=label, text="", line=node_line(ref))
    names = target.get("names") or []
    label = str(names[0]) if names else clean(target[0].astext()) if len(target) else str(refid)
    body = [child for child in target.children if not isinstance(child, nodes.label)]
    inner = collect_refs(ex, body, skip=lambda n: False)
    return Footnote(
        label=label,
        text="\n\n".join(t for t in (block_text(b) for b in body) if t),
        line=node_line(target),
        terms=tuple(inner.terms),
        roles=tuple(inner.roles),
        links=tuple(inner.links),
    )
