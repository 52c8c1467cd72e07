"""Extraction: a docutils doctree (before references are resolved) -> the checklist model.

This module is pure: it reads nodes (and, when given, the source lines they
came from) and returns model objects. It knows the node shapes that
MyST-Parser, docutils' rST parser, Sphinx and sphinx-design produce, so both
source formats give the same model. What becomes a step:

- **Scope.** A runbook declared on a section is that section's own content;
  its subsections are not its steps (one may be a runbook of its own). A
  ``runbook`` directive holds everything inside it. A section with no list of
  its own has its subsections as steps (``### 1. Drain the node``).
- **Which list.** Its numbered lists (one procedure, even when prose
  interrupts them); else its bulleted list; else the list inside an
  admonition, dropdown, tab or card in it (whose title is kept).
- **Titles** are what a reader sees first: the bold text a step opens with,
  after a label target, an emoji or check mark, or a short lead-in line —
  or the italic text, where the runbook's steps consistently use it. A
  lead-in naming who does the step (``Who: <role>``, ``Owner: <role>``, a
  ``{role}`` alone) is the step's owner.
- **Nothing is dropped**, and the author's indentation is read from the
  source: a body that fell out of its step is kept with it, a sub-list
  indented too little is put under its step, and each such mistake is
  recorded with the fix (``runbook.defects``) for the checks to report.
"""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from sphinx import addnodes

from ...model import Admonition, Footnote, Link, LinkKind, Note, Problem, Reference, Runbook, Step, XRef
from ...model.ids import IdAllocator, slugify, untitled_slug
from ..doctree import (
    INVISIBLE,
    block_text,
    clean,
    is_button,
    is_role_reference,
    node_line,
    only_condition,
    plain_text,
    text_of,
)
from ..list_source import Marker, SourceLines, spaces

#: called with each step's node and its model step (the collector stamps anchors)
OnStep = Callable[[nodes.Element, Step], None]

#: "7 **Title**", "7: Title", "7) Title", "7. Title" at the start of a paragraph
_STEP_LIKE = re.compile(r"^\s*(?P<number>\d{1,4})\s*(?P<sep>[.):]?)\s+")
#: the number a step written as a paragraph opens with ("7 ", "7. ", "7.**Title**")
_LEADING_NUMBER = re.compile(r"^\s*\d{1,4}\s*[.):]?\s*")
#: a heading that is a step: "1. Drain the node", "Step 2: Restart", "3) Verify"
_HEADING_STEP = re.compile(
    r"^\s*(?:step\s+)?(?P<number>\d{1,4})\s*(?:[.):\u2013\u2014-]\s*|\s+)(?P<title>\S.*)$", re.IGNORECASE
)
#: a lead-in naming who does the step
_OWNER_LINE = re.compile(
    r"^\s*(?:who|owner|owned by|responsible|role|assignee|performed by|done by)\s*[:\uff1a]\s*"
    r"(?P<name>\S.*?)\s*[.;]?\s*$",
    re.IGNORECASE,
)
#: step numbers typed inline: "... the pod. 4. Check the logs."
_INLINE_NUMBER = re.compile(r"(?:(?<=[.!?;:)])[ \t\n]+|^)(?P<number>\d{1,3})[.)][ \t\n]+(?=\S)")
#: what may stand before a title: check boxes and shortcodes
_MARKUP_SYMBOLS = re.compile(r"^\s*(?:\[[ xX]?\]|:[a-z0-9_+-]+:|\([ xX]?\))?\s*$")
_TITLE_PUNCTUATION = " \t\n.:;,-\u2013\u2014"
#: what follows a title that is a title (not a bold word at the start of a sentence)
_AFTER_TITLE = re.compile(r"^(?:$|\s*\n|\s*[.:;,!?\u2013\u2014-]|\s+\()")
#: the longest lead-in line before a title, in characters
MAX_LEAD_IN = 80

#: docutils' specific admonition node classes, by the kind they name
_ADMONITION_KINDS = frozenset(
    "attention caution danger error hint important note tip warning seealso todo".split()
)
_LISTS = (nodes.bullet_list, nodes.enumerated_list)


# -- small readers -----------------------------------------------------------------------


def format_number(value: int, enumtype: str) -> str:
    """Display an item number the way docutils' enumerated list types do."""
    if enumtype in ("loweralpha", "upperalpha") and 1 <= value <= 26:
        letter = chr(ord("a") + value - 1)
        return letter if enumtype == "loweralpha" else letter.upper()
    if enumtype in ("lowerroman", "upperroman") and 1 <= value < 4000:
        roman = _to_roman(value)
        return roman.lower() if enumtype == "lowerroman" else roman
    return str(value)


def _to_roman(value: int) -> str:
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = []
    for amount, numeral in numerals:
        count, value = divmod(value, amount)
        out.append(numeral * count)
    return "".join(out)


def step_like(paragraph: nodes.Node) -> str | None:
    """The number of a paragraph that reads like a numbered step, else ``None``.

    ``7 **Title**`` (no period, so Markdown makes it a paragraph), ``7: Title``
    and friends. A bare number followed by plain prose ("30 minutes later")
    is not a step: without a separator the number must be followed by bold.
    """
    if not isinstance(paragraph, nodes.paragraph) or not paragraph.children:
        return None
    first = paragraph.children[0]
    if not isinstance(first, nodes.Text):
        return None
    match = _STEP_LIKE.match(str(first))
    if not match:
        return None
    if match.group("sep"):
        return match.group("number")
    rest = str(first)[match.end() :]
    if not rest.strip() and len(paragraph.children) > 1 and isinstance(paragraph[1], nodes.strong):
        return match.group("number")
    return None


@dataclass
class SplitPoint:
    """Where a paragraph holds the start of another step: the child, the offset in it."""

    child: int
    offset: int
    number: str
    line: int | None
    #: ``folded``: at the start of a line (a lazy continuation line);
    #: ``inline``: typed after a sentence, in the middle of a line
    kind: str
    #: the step's first words, as written (``**Next step**``)
    text: str


#: a number at the start of a line inside a paragraph: "\n7 **Title**", "\n7. Title", "\n7.**Title**"
_FOLDED = re.compile(r"\n[ \t]*(?P<number>\d{1,4})[ \t]*(?P<sep>[.):]?)(?P<gap>[ \t]*)")
#: what any split point needs somewhere in the text
_MAYBE_SPLIT = re.compile(r"\n[ \t]*\d|[.!?;:)][ \t\n]+\d")
#: a number typed after a sentence: "... the pod. 4. Check the logs."
_INLINE = re.compile(r"(?<=[.!?;:)])[ \t\n]+(?P<number>\d{1,3})[.)](?P<gap>[ \t\n]+)")


def _merged(paragraph: nodes.Element) -> list[nodes.Node]:
    """A paragraph's children with adjacent text joined: MyST gives each soft line break
    a text node of its own, and a folded line starts right after one."""
    merged: list[nodes.Node] = []
    for child in paragraph.children:
        if isinstance(child, nodes.Text) and merged and isinstance(merged[-1], nodes.Text):
            merged[-1] = nodes.Text(str(merged[-1]) + str(child))
        else:
            merged.append(child)
    return merged


def split_points(paragraph: nodes.Element) -> list[SplitPoint]:
    """Places inside a paragraph (after its start) that read like the start of a numbered step.

    Markdown folds ``7 **Next step**`` into the paragraph above it when the
    period is missing (a lazy continuation line); authors also type the next
    steps' numbers inline. The caller decides which ``inline`` ones are steps.
    """
    if not _MAYBE_SPLIT.search(text_of(paragraph)):
        return []  # most paragraphs: one look at the text is enough
    children = _merged(paragraph)
    base = node_line(paragraph)
    found: list[SplitPoint] = []
    breaks = 0
    for index, child in enumerate(children):
        if not isinstance(child, nodes.Text):
            breaks += text_of(child).count("\n")
            continue
        text = str(child)
        following = children[index + 1] if index + 1 < len(children) else None
        emphasised = isinstance(following, nodes.strong | nodes.emphasis)
        for match in _FOLDED.finditer(text):
            after = text[match.end() :]
            if after.strip():
                if not (match["sep"] and match["gap"]):
                    continue  # "2.5 GB", "10 minutes": not a step
                words = after.split("\n", 1)[0]
            elif emphasised and following is not None:
                words = f"**{following.astext()}**"
            else:
                continue
            line = base + breaks + text.count("\n", 0, match.start() + 1) if base else None
            found.append(SplitPoint(index, match.start() + 1, match["number"], line, "folded", clean(words)))
        for match in _INLINE.finditer(text):
            after = text[match.end() :]
            if not after.strip() and not emphasised:
                continue
            line = base + breaks + text.count("\n", 0, match.start("number")) if base else None
            words = after.split("\n", 1)[0] if after.strip() else f"**{following.astext()}**"  # type: ignore[union-attr]
            found.append(
                SplitPoint(index, match.start("number"), match["number"], line, "inline", clean(words))
            )
        breaks += text.count("\n")
    found.sort(key=lambda p: (p.child, p.offset))
    return found


def numbered_lines(paragraph: nodes.Element) -> list[tuple[str, int | None, str]]:
    """Lines inside a paragraph (after its first) that read like a numbered step: (number, line, text)."""
    return [(p.number, p.line, p.text) for p in split_points(paragraph) if p.kind == "folded"]


def _split_children(paragraph: nodes.Element, points: list[SplitPoint]) -> list[nodes.paragraph]:
    """Copies of a paragraph cut at the points: the text before the first, then one per point.

    The doctree is left alone; the copies carry the line each part starts on."""
    children = _merged(paragraph)
    parts: list[nodes.paragraph] = []
    cuts = [(p.child, p.offset, p.line) for p in points]
    start: tuple[int, int] = (0, 0)
    lines = [node_line(paragraph), *(p.line for p in points)]
    for (child, offset, _), line in zip([*cuts, (len(children), 0, None)], lines, strict=True):
        part = nodes.paragraph()
        part.source, part.line = paragraph.source, line
        for index in range(start[0], min(child + 1, len(children))):
            node = children[index]
            if isinstance(node, nodes.Text):
                text = str(node)
                lo = start[1] if index == start[0] else 0
                hi = offset if index == child else len(text)
                if text[lo:hi]:
                    part += nodes.Text(text[lo:hi])
            elif index < child or (index == child and offset > 0):
                if index >= start[0] and not (index == start[0] and start[1] > 0):
                    part += node.deepcopy()
        parts.append(part)
        start = (child, offset)
    return parts


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


def _symbols_only(text: str) -> bool:
    """Emoji, check marks and the like: nothing a reader reads as words."""
    if _MARKUP_SYMBOLS.match(text):
        return True
    return all(not unicodedata.category(ch).startswith(("L", "N")) for ch in text)


def is_container(node: nodes.Node) -> bool:
    """A box a procedure may sit in: an admonition, a dropdown, a tab, a card, a topic."""
    return isinstance(node, nodes.Admonition | nodes.container | nodes.topic | nodes.sidebar) and not (
        isinstance(node, nodes.container) and node.get("incident_runbook")
    )


def _is_box_title(node: nodes.Node) -> bool:
    return isinstance(node, nodes.title | nodes.rubric) or (
        isinstance(node, nodes.container) and any("title" in str(c) for c in node.get("classes", ()))
    )


def container_title(node: nodes.Element) -> str:
    """The title of a box: an admonition's title, a dropdown's or tab's label, a card's title."""
    for child in node.findall(nodes.Element, include_self=False):
        if _is_box_title(child):
            return clean(plain_text(child))
        if isinstance(child, (*_LISTS, nodes.paragraph)):
            break
    return ""


# -- how a step opens ------------------------------------------------------------------------


@dataclass
class Opening:
    """How a step's first lines read: its title candidates, lead-in and owner."""

    bold: str | None = None
    bold_rest: str = ""
    italic: str | None = None
    italic_rest: str = ""
    #: the text of the opening paragraph when it has no title
    plain: str = ""
    #: the lead-in text shown before the title (empty when it only names the owner)
    lead: str = ""
    owner: Reference | None = None
    #: leading blocks of the step's body read as its opening
    blocks: int = 1


def _skippable(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Text):
        return _symbols_only(str(node))
    return isinstance(node, nodes.target | nodes.system_message | nodes.substitution_definition | nodes.image)


def _title_after(children: list[nodes.Node], index: int) -> bool:
    """Whether what follows an emphasised run makes it a title, not a word of a sentence."""
    rest = "".join(plain_text(c) for c in children[index + 1 :])
    return bool(_AFTER_TITLE.match(rest))


def _owner_of(lead: list[nodes.Node], docname: str, line: int | None) -> tuple[Reference | None, bool]:
    """The owner a lead-in names, and whether the lead-in says nothing else."""
    roles = [
        n for child in lead if isinstance(child, nodes.Element) for n in child.findall(is_role_reference)
    ]
    text = clean("".join(plain_text(c) for c in lead))
    match = _OWNER_LINE.match(text)
    if len(roles) == 1 and (match or clean(text.strip(" :;,.-")) == clean(roles[0].astext())):
        role = roles[0]
        ref = Reference(
            text=clean(role.astext()),
            target=str(role.get("reftarget", "")),
            line=node_line(role),
            xref=xref_of(role),
        )
        return ref, True
    if match:
        name = match["name"].strip("`*_ ")
        return Reference(text=name, target=name, line=line), True
    return None, False


def _first_line(children: list[nodes.Node], start: int) -> tuple[list[nodes.Node], list[nodes.Node]] | None:
    """The nodes of a paragraph's first line (from ``start``) and those after the line break."""
    for position in range(start, len(children)):
        child = children[position]
        if isinstance(child, nodes.Text) and "\n" in str(child):
            before, _, after = str(child).partition("\n")
            return [*children[start:position], nodes.Text(before)], [
                nodes.Text(after),
                *children[position + 1 :],
            ]
    return None


def _skip_leading(children: list[nodes.Node], index: int = 0) -> int:
    while index < len(children) and (
        _skippable(children[index])
        or (isinstance(children[index], nodes.Text) and not str(children[index]).strip())
    ):
        index += 1
    return index


def _text_of(children: list[nodes.Node]) -> str:
    return clean("".join(plain_text(c) for c in children))


def read_opening(paragraph: nodes.paragraph, docname: str, strip_number: bool = False) -> Opening:
    """Title candidates of a step's first paragraph (bold and italic), its lead-in and owner."""
    children = list(paragraph.children)
    if strip_number and children and isinstance(children[0], nodes.Text):
        match = _LEADING_NUMBER.match(str(children[0]))
        if match:
            children[0] = nodes.Text(str(children[0])[match.end() :])
    opening = Opening(plain=_text_of(children))
    index = _skip_leading(children)
    split = _first_line(children, index)
    owner: Reference | None = None
    owner_only = False
    if split is not None:
        # a first line that names who does the step, in any markup (`Who: X`, _Owner: X_, {role})
        owner, owner_only = _owner_of(split[0], docname, node_line(paragraph))
    if owner is not None or (
        index < len(children) and not isinstance(children[index], nodes.strong | nodes.emphasis)
    ):
        # a short lead-in line, then (on the next line) the title
        if split is None:
            return opening
        lead, children = split
        lead_text = _text_of(lead)
        if not lead_text or len(lead_text) > MAX_LEAD_IN:
            return opening
        if owner is not None:
            opening.owner = owner
            if owner_only:  # the line that names the owner is not part of the step's text
                opening.plain = _text_of(children)
        index = _skip_leading(children)
        if index >= len(children) or not isinstance(children[index], nodes.strong | nodes.emphasis):
            return opening
        if owner is None and not _title_after(children, index):
            return opening  # a bold word on the second line is not a title after any lead-in
        opening.lead = "" if owner is not None and owner_only else lead_text
    if index >= len(children):
        return opening
    first = children[index]
    if not isinstance(first, nodes.strong | nodes.emphasis):
        return opening
    title = clean(plain_text(first)).rstrip(":.").strip() or None
    rest = _text_of(children[index + 1 :]).lstrip(_TITLE_PUNCTUATION).strip()
    if isinstance(first, nodes.strong):
        opening.bold, opening.bold_rest = title, rest
    else:  # an italic title counts where the runbook's steps use them consistently
        opening.italic, opening.italic_rest = title, rest
    return opening


# -- the extraction --------------------------------------------------------------------------


@dataclass
class _Refs:
    """The references gathered from a piece of a step."""

    terms: list[Reference] = field(default_factory=list)
    roles: list[Reference] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)


@dataclass
class _Draft:
    """A step being read; its title and id are decided once the whole runbook is read."""

    node: nodes.Element
    step: Step
    opening: Opening | None
    texts: list[str]
    marker: Marker | None = None
    children: list[_Draft] = field(default_factory=list)


@dataclass
class _Segment:
    kind: str  # "steps", "sublist", "stray", "prose", "skip"
    node: nodes.Node


class _Extractor:
    """Walks one runbook's nodes; one instance per runbook."""

    def __init__(
        self,
        document: nodes.document | None,
        on_step: OnStep | None,
        root: nodes.Element,
        docname: str,
        source: SourceLines | None,
    ) -> None:
        self.document = document
        self.on_step = on_step
        self.root = root
        self.docname = docname
        self.source = source
        self.defects: list[Problem] = []
        #: the runbook's file, and the source folder, relative to which node sources are named
        self.path = ""
        self.srcdir: str | None = None

    def other_file(self, node: nodes.Node) -> str | None:
        """The file a node comes from, when it is not the runbook's (content included into it)."""
        source = None
        holder: nodes.Node | None = node
        while holder is not None and not source:  # inline nodes of rST carry no source of their own
            source = getattr(holder, "source", None)
            holder = holder.parent
        if not source or self.srcdir is None:
            return None
        # docutils names an rST include's nodes by the path it opened, relative to the working folder
        relative = posixpath.relpath(os.path.abspath(str(source)), self.srcdir)
        return relative if relative != self.path and not relative.startswith("../") else None

    # -- references ---------------------------------------------------------

    def collect_refs(self, roots: list[nodes.Node], skip: Callable[[nodes.Node], bool]) -> _Refs:
        refs = _Refs()
        seen_footnotes: set[str] = set()
        for root in roots:
            for node in self._findall(root, skip):
                self._collect_one(node, refs, seen_footnotes)
        return refs

    def _findall(self, root: nodes.Node, skip: Callable[[nodes.Node], bool]) -> Iterator[nodes.Node]:
        if skip(root):
            return
        yield root
        if isinstance(root, nodes.Element):
            for child in root.children:
                yield from self._findall(child, skip)

    def _collect_one(self, node: nodes.Node, refs: _Refs, seen_footnotes: set[str]) -> None:
        if not isinstance(node, nodes.Element):
            return
        if node.tagname != "pending_xref" and not isinstance(
            node, nodes.reference | nodes.footnote_reference
        ):
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
                    Reference(text=text, target=target, line=line, xref=xref, source=self.other_file(node))
                )
            elif reftype == "role" and domain in ("std", "incident"):
                refs.roles.append(
                    Reference(text=text, target=target, line=line, xref=xref, source=self.other_file(node))
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
                        source=self.other_file(node),
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
                        source=self.other_file(node),
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
            footnote = self._footnote(node)
            if footnote is not None and footnote.label not in seen_footnotes:
                seen_footnotes.add(footnote.label)
                refs.footnotes.append(footnote)

    def _footnote(self, ref: nodes.footnote_reference) -> Footnote | None:
        refid = ref.get("refid")
        target = self.document.ids.get(refid) if (self.document is not None and refid) else None
        if not isinstance(target, nodes.footnote):
            label = str(ref.get("refname") or refid or ref.astext())
            return Footnote(label=label, text="", line=node_line(ref))
        names = target.get("names") or []
        label = str(names[0]) if names else clean(target[0].astext()) if len(target) else str(refid)
        body = [child for child in target.children if not isinstance(child, nodes.label)]
        inner = self.collect_refs(body, skip=lambda n: False)
        return Footnote(
            label=label,
            text="\n\n".join(t for t in (block_text(b) for b in body) if t),
            line=node_line(target),
            terms=tuple(inner.terms),
            roles=tuple(inner.roles),
            links=tuple(inner.links),
        )

    # -- source lines -------------------------------------------------------

    def _marker(self, node: nodes.Node) -> Marker | None:
        if self.source is None:
            return None
        return self.source.marker(node_line(node))

    def _indent(self, node: nodes.Node) -> int | None:
        if self.source is None:
            return None
        line = node_line(node)
        if isinstance(node, nodes.block_quote):
            line = node_line(node.children[0]) if node.children else line
        return self.source.indent(line)

    def defect(self, rule: str, line: int | None, message: str) -> None:
        self.defects.append(Problem(rule, "error", message, self.path, line))

    # -- steps --------------------------------------------------------------

    def steps_from_list(
        self,
        lst: nodes.Element,
        list_index: int,
        origin: str = "item",
        numbering: tuple[int, str] | None = None,
    ) -> list[_Draft]:
        """The steps of one list: its items, with items indented deeper than their
        siblings (a sub-list indented too little, which Markdown made siblings) put
        under the item above them. ``numbering`` (start, type) numbers a list that
        carries on the steps before it, as the author wrote it."""
        ordered = isinstance(lst, nodes.enumerated_list)
        start = int(lst.get("start", 1)) if ordered else 1
        enumtype = str(lst.get("enumtype", "arabic"))
        if numbering is not None and ordered:
            start, enumtype = numbering
        items = [item for item in lst.children if isinstance(item, nodes.list_item)]
        markers = [self._marker(item) for item in items]
        base = min((m.indent for m in markers if m is not None), default=0)
        drafts: list[_Draft] = []
        deeper: list[tuple[nodes.Element, Marker]] = []
        count = 0

        def attach_deeper() -> None:
            if not deeper or not drafts:
                return
            parent = drafts[-1]
            first_item, first_marker = deeper[0]
            needed = (parent.marker.content if parent.marker else first_marker.indent) - first_marker.indent
            self.defect(
                "outdented_sublist",
                node_line(first_item),
                f"this list is indented {spaces(first_marker.indent)}, less than the text of step "
                f"{parent.step.number or parent.step.line} above it, so its items became steps of their own; "
                f"indent it by {spaces(max(needed, 1))} more to keep them in that step",
            )
            sub_ordered = isinstance(lst, nodes.enumerated_list)
            for sub_index, (item, marker) in enumerate(deeper):
                number = str(sub_index + 1) if sub_ordered else None
                parent.children.extend(self.step_from_item(item, number, sub_ordered, 0, "outdented", marker))
            deeper.clear()

        # the position of the list's last item that is a step of it, not of the step above
        last_kept = max(
            (p for p, m in enumerate(markers) if not (m is not None and m.indent > base)), default=-1
        )
        for position, (item, marker) in enumerate(zip(items, markers, strict=True)):
            if marker is not None and marker.indent > base and drafts:
                deeper.append((item, marker))
                continue
            attach_deeper()
            number = format_number(start + count, enumtype) if ordered else None
            count += 1
            # the number the next item of this list will have, to tell typed-in steps from prose
            upcoming = start + count if ordered and position < last_kept else None
            for draft in self.step_from_item(item, number, ordered, list_index, origin, marker, upcoming):
                draft.step.enumtype = enumtype if draft.step.origin != "inline" else "arabic"
                drafts.append(draft)
                if draft.step.origin == "inline":
                    count += 1
        attach_deeper()
        return drafts

    def step_from_item(
        self,
        item: nodes.Element,
        number: str | None,
        ordered: bool,
        list_index: int,
        origin: str,
        marker: Marker | None = None,
        upcoming: int | None = None,
    ) -> list[_Draft]:
        """The step of a list item — and the steps folded into or typed inside its first
        paragraph, which the author meant as steps of their own (``upcoming`` is the
        number the list's next item has, ``None`` after the last)."""
        body = list(item.children)
        paragraph = next((c for c in body if not isinstance(c, INVISIBLE)), None)
        points = self._step_points(paragraph, number, ordered, upcoming)
        pieces: list[list[nodes.Node]] = []
        if points:
            assert isinstance(paragraph, nodes.paragraph)
            parts = _split_children(paragraph, points)
            cut = body.index(paragraph)
            pieces = [[part] for part in parts[1:]]
            pieces[-1].extend(body[cut + 1 :])  # what follows the paragraph follows the last step in it
            body = [*body[:cut], parts[0]]
        lists = [c for c in body if isinstance(c, _LISTS)]
        draft = self._make_step(item, body, lists, number, ordered, list_index, origin)
        if paragraph is not None and points:  # the folded lines, reported as stray steps
            draft.step.swallowed = tuple(
                Note(text=f"{n} {t}".strip(), line=line) for n, line, t in numbered_lines(paragraph)
            )
        draft.marker = marker if marker is not None else self._marker(item)
        for sub_index, sub_list in enumerate(lists):
            draft.children.extend(self.steps_from_list(sub_list, sub_index))
        drafts = [draft]
        for point, piece in zip(points, pieces, strict=True):
            sub_lists = [c for c in piece if isinstance(c, _LISTS)]
            extra = self._make_step(
                item, piece, sub_lists, point.number, True, list_index, "inline", strip_number=True
            )
            extra.step.line = point.line
            for sub_index, sub_list in enumerate(sub_lists):
                extra.children.extend(self.steps_from_list(sub_list, sub_index))
            drafts.append(extra)
        return drafts

    def _step_points(
        self, paragraph: nodes.Node | None, number: str | None, ordered: bool, upcoming: int | None
    ) -> list[SplitPoint]:
        """Where a step's first paragraph holds further steps: folded lines that read like
        a step, and, in a numbered list, the next step numbers typed inline when the list
        has no such steps."""
        if not isinstance(paragraph, nodes.paragraph):
            return []
        points = split_points(paragraph)
        value = int(number) if number is not None and number.isdigit() else None
        kept: list[SplitPoint] = []
        inline: list[SplitPoint] = []
        for point in points:
            if point.kind == "folded":
                kept.append(point)
                continue
            expected = (value + 1 + len(inline)) if value is not None and ordered else None
            if expected is not None and int(point.number) == expected and upcoming != expected:
                inline.append(point)
                kept.append(point)
        if inline:
            listed = [p.number for p in inline]
            what = f"number {listed[0]} is" if len(listed) == 1 else f"numbers {' and '.join(listed)} are"
            self.defect(
                "inline_step_numbers",
                inline[0].line,
                f"step {what} typed inside step {number}, so they are not items of the list; start "
                f"each on a line of its own (`{listed[0]}. ...`)",
            )
        return kept

    def step_from_paragraph(self, paragraph: nodes.paragraph, number: str, list_index: int) -> _Draft:
        return self._make_step(
            paragraph, [paragraph], [], number, True, list_index, "paragraph", strip_number=True
        )

    def step_from_section(self, section: nodes.section, list_index: int) -> _Draft:
        """A subsection that is a step: its heading the title, its lists the sub-steps."""
        heading = clean(plain_text(section[0])) if section.children else ""
        match = _HEADING_STEP.match(heading)
        number, title = (match["number"], match["title"].strip()) if match else (None, heading)
        body = [c for c in section.children[1:] if not isinstance(c, nodes.section)]
        lists = [c for c in body if isinstance(c, _LISTS)]
        owner = None
        first = next((c for c in body if not isinstance(c, INVISIBLE)), None)
        if isinstance(first, nodes.paragraph) and "\n" not in text_of(first).strip():
            owner, owner_only = _owner_of(list(first.children), self.docname, node_line(first))
            if owner is not None and owner_only:
                body = [c for c in body if c is not first]  # who does the step, not its text
        draft = self._make_step(
            section, body, lists, number, number is not None, list_index, "section", titled=False
        )
        draft.opening = Opening(bold=title.rstrip(":.") or None, plain=heading, blocks=0, owner=owner)
        for sub_index, sub_list in enumerate(lists):
            draft.children.extend(self.steps_from_list(sub_list, sub_index))
        return draft

    def _make_step(
        self,
        node: nodes.Element,
        body: list[nodes.Node],
        lists: list[nodes.Element],
        number: str | None,
        ordered: bool,
        list_index: int,
        origin: str,
        strip_number: bool = False,
        titled: bool = True,
    ) -> _Draft:
        opening: Opening | None = None
        texts: list[str] = []
        admonitions: list[Admonition] = []
        visible = [c for c in body if not isinstance(c, INVISIBLE) and c not in lists]
        used: set[int] = set()
        if titled and visible and isinstance(visible[0], nodes.paragraph):
            opening = read_opening(visible[0], self.docname, strip_number)
            used.add(id(visible[0]))
            first_line_only = "\n" not in text_of(visible[0]).strip()
            if (
                opening.bold is None
                and opening.italic is None
                and opening.owner is None
                and first_line_only
                and 0 < len(opening.plain) <= MAX_LEAD_IN
            ):
                # a lead-in on a paragraph of its own, the title in the next one
                owner, owner_only = _owner_of(list(visible[0].children), self.docname, node_line(visible[0]))
                second = None
                if len(visible) > 1 and isinstance(visible[1], nodes.paragraph):
                    second = read_opening(visible[1], self.docname)
                if second is not None and (second.bold is not None or second.italic is not None):
                    second.owner = owner or second.owner
                    second.lead = "" if owner_only else opening.plain
                    second.blocks = 2
                    opening = second
                    used.add(id(visible[1]))
                elif owner is not None and owner_only:
                    opening = Opening(owner=owner)  # who does the step; its text follows
        for child in body:
            if id(child) in used or child in lists or isinstance(child, INVISIBLE):
                continue
            if isinstance(child, nodes.Admonition):
                admonitions.append(self._admonition(child))
                continue
            if isinstance(child, nodes.paragraph) and self._only_buttons(child):
                continue
            text = block_text(child)
            if text:
                texts.append(text)
        swallowed = [
            Note(text=f"{found_number} {found_text}".strip(), line=found_line)
            for child in body
            if isinstance(child, nodes.paragraph)
            for found_number, found_line, found_text in numbered_lines(child)
        ]
        refs = self.collect_refs(
            [c for c in body if c not in lists],
            skip=lambda n: isinstance(n, _LISTS) and n in lists,
        )
        step = Step(
            id="",
            number=number,
            title=None,
            text="",
            line=node_line(node),
            origin=origin,  # type: ignore[arg-type]
            ordered=ordered,
            list_index=list_index,
            terms=tuple(refs.terms),
            roles=tuple(refs.roles),
            links=tuple(refs.links),
            admonitions=tuple(admonitions),
            footnotes=tuple(refs.footnotes),
            swallowed=tuple(swallowed),
            only=only_condition(node, stop=self.root),
        )
        return _Draft(node, step, opening, texts)

    @staticmethod
    def _only_buttons(paragraph: nodes.paragraph) -> bool:
        buttons = [n for n in paragraph.findall(include_self=False) if is_button(n)]
        if not buttons:
            return False
        remaining = plain_text(paragraph)
        for button in buttons:
            remaining = remaining.replace(plain_text(button), "", 1)
        return not remaining.strip()

    def _admonition(self, node: nodes.Element) -> Admonition:
        classes = [str(c) for c in node.get("classes", ())]
        if node.tagname in _ADMONITION_KINDS:
            kind = node.tagname
        else:
            kind = next((c for c in classes if c in _ADMONITION_KINDS), node.tagname)
        title_node = next((c for c in node.children if isinstance(c, nodes.title)), None)
        title = clean(plain_text(title_node)) if title_node is not None else kind.capitalize()
        body = [c for c in node.children if not isinstance(c, nodes.title)]
        text = "\n\n".join(t for t in (block_text(b) for b in body) if t)
        # the title is on the directive's own line; docutils before 0.22 gives the node the
        # line its body starts on
        line = title_node.line if title_node is not None and title_node.line else node_line(node)
        return Admonition(kind=kind, title=title, text=text, line=line, classes=tuple(classes))


# -- the blocks of a runbook -------------------------------------------------------------


def own_blocks(root: nodes.Element, skip: set[int], directive: bool) -> list[nodes.Node]:
    """The blocks a runbook holds, in source order.

    A section's subsections are not its content (section scope); a ``runbook``
    directive holds everything inside it, its headings included. ``only``
    blocks are looked into (their steps carry the condition).
    """
    found: list[nodes.Node] = []
    for child in root.children:
        if id(child) in skip or isinstance(child, nodes.title):
            continue
        if isinstance(child, nodes.section):
            if directive:
                found.extend(own_blocks(child, skip, directive))
            continue
        if isinstance(child, addnodes.only):
            found.extend(own_blocks(child, skip, directive))
            continue
        found.append(child)
    return found


def _subsections(root: nodes.Element, skip: set[int]) -> list[nodes.section]:
    return [c for c in root.children if isinstance(c, nodes.section) and id(c) not in skip]


def _list_in(container: nodes.Element, kind: type) -> nodes.Element | None:
    """The first list of a kind in a box, not inside another list."""
    for node in container.findall(kind, include_self=False):
        parent = node.parent
        inside_item = False
        while parent is not None and parent is not container:
            if isinstance(parent, nodes.list_item):
                inside_item = True
                break
            parent = parent.parent
        if not inside_item:
            return node
    return None


def _number_value(step: Step) -> int | None:
    number = step.number
    if number is None:
        return None
    if number.isdigit():
        return int(number)
    return None


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
    srcdir: str | None = None,
) -> Runbook:
    """Build the model of one runbook from its node (a section, a page, a ``runbook`` container).

    ``on_step`` is told of every step with its node, so the caller can give
    the node an HTML id; the function itself changes nothing. With
    ``source_lines`` (the text of the file the runbook is in) the author's
    indentation is compared with what the parser built.
    """
    extractor = _Extractor(root.document, on_step, root, docname, source_lines)
    extractor.path = source
    extractor.srcdir = srcdir
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
    blocks = own_blocks(root, skip, directive)
    drafts, intro, notes = _read_blocks(extractor, root, blocks, skip, directive, runbook)
    runbook.intro = "\n\n".join(intro)
    runbook.notes = tuple(notes)
    _lost_to_nesting(extractor, root)
    _finish(extractor, runbook, drafts)
    runbook.defects = tuple(sorted(extractor.defects, key=lambda p: (p.line or 0, p.rule)))
    return runbook


def _read_blocks(
    extractor: _Extractor,
    root: nodes.Element,
    blocks: list[nodes.Node],
    skip: set[int],
    directive: bool,
    runbook: Runbook,
) -> tuple[list[_Draft], list[str], list[Note]]:
    """Find the runbook's step lists and read its blocks into steps, intro and notes."""
    kind: type | None = None
    if any(isinstance(b, nodes.enumerated_list) for b in blocks):
        kind = nodes.enumerated_list
    elif any(isinstance(b, nodes.bullet_list) for b in blocks):
        kind = nodes.bullet_list
    intro_before: list[str] = []
    if kind is None:
        # the procedure may sit in a box: an admonition, a dropdown, a tab, a card
        for list_kind in (nodes.enumerated_list, nodes.bullet_list):
            for block in blocks:
                if not is_container(block):
                    continue
                found = _list_in(block, list_kind)  # type: ignore[arg-type]
                if found is not None and found.parent is not None:
                    runbook.container = container_title(block) or None
                    position = blocks.index(block)
                    intro_before = [t for t in (block_text(b) for b in blocks[:position]) if t]
                    inner = [c for c in found.parent.children if not _is_box_title(c)]
                    after = blocks[position + 1 :]
                    drafts, intro, notes = _walk(extractor, inner, list_kind)
                    notes += [Note(t, node_line(b)) for b in after if (t := block_text(b))]
                    return drafts, intro_before + intro, notes
        subsections = _subsections(root, skip) if not directive else []
        if subsections:
            drafts = [extractor.step_from_section(s, index) for index, s in enumerate(subsections)]
            intro = [t for t in (block_text(b) for b in blocks) if t]
            return drafts, intro, []
        kind = nodes.enumerated_list
    return _walk(extractor, blocks, kind)


def _classify(blocks: list[nodes.Node], kind: type) -> list[_Segment]:
    segments = []
    for block in blocks:
        if isinstance(block, INVISIBLE):
            segments.append(_Segment("skip", block))
        elif isinstance(block, kind):
            segments.append(_Segment("steps", block))
        elif isinstance(block, _LISTS) or (
            isinstance(block, nodes.block_quote)
            and block.children
            and all(isinstance(c, _LISTS) for c in block.children)
        ):
            segments.append(_Segment("sublist", block))
        elif step_like(block) is not None:
            segments.append(_Segment("stray", block))
        else:
            segments.append(_Segment("prose", block))
    return segments


def _continues(before: list[_Draft], lst: nodes.Element, extractor: _Extractor) -> bool:
    """Whether a list carries on the numbering of the steps before it, as written."""
    if not before:
        return False
    if isinstance(lst, nodes.bullet_list):
        # bullets carry no numbers: a bulleted checklist carries on where its items are bullets too
        return not before[-1].step.ordered
    if not isinstance(lst, nodes.enumerated_list):
        return False
    last = before[-1]
    value = _number_value(last.step)
    items = [c for c in lst.children if isinstance(c, nodes.list_item)]
    if not items:
        return False
    start = int(lst.get("start", 1))
    if value is not None and start == value + 1:
        return True
    marker = extractor._marker(items[0])
    if marker is None or last.marker is None:
        return False
    # the same number typed again ("1." for every step), or rST's auto-numbering "#."
    return marker.typed == "#" or (marker.typed is not None and marker.typed == last.marker.typed)


def _walk(
    extractor: _Extractor, blocks: list[nodes.Node], kind: type
) -> tuple[list[_Draft], list[str], list[Note]]:
    """Read a sequence of blocks holding step lists of ``kind``."""
    segments = _classify(blocks, kind)
    drafts: list[_Draft] = []
    intro: list[str] = []
    notes: list[Note] = []
    list_index = 0
    #: the steps of the last step list, and whether the list after a fallen-out body continues it
    last_list: list[_Draft] = []
    merge_next = False
    for position, segment in enumerate(segments):
        node = segment.node
        if segment.kind == "skip":
            continue
        if segment.kind == "steps" and drafts and _only_links(node):
            # a list of links after the steps ("See also"): prose, not more steps
            notes.append(Note(block_text(node), node_line(node)))
            continue
        if segment.kind == "steps":
            assert isinstance(node, nodes.Element)
            merging = merge_next and bool(drafts)
            index = list_index - 1 if merging else list_index
            new = extractor.steps_from_list(node, index, numbering=_carried(drafts, node, merging))
            if not merging:
                list_index += 1
            merge_next = False
            drafts.extend(new)
            last_list = new
            continue
        if segment.kind == "stray":
            number = step_like(node)
            assert number is not None and isinstance(node, nodes.paragraph)
            drafts.append(extractor.step_from_paragraph(node, number, list_index))
            list_index += 1
            last_list = []
            continue
        previous = drafts[-1] if drafts else None
        following = next((s for s in segments[position + 1 :] if s.kind != "skip"), None)
        next_list = following.node if following is not None and following.kind == "steps" else None
        if segment.kind == "sublist":
            later_steps = any(s.kind in ("steps", "stray") for s in segments[position + 1 :])
            indent = extractor._indent(node)
            if previous is None or (not later_steps and not indent and not _titled_items(node)):
                # before the steps, or a list at the margin after the last one that does not
                # read like steps (a "See also" list of links): prose
                text = block_text(node)
                if text:
                    (notes if previous is not None else intro).append(
                        Note(text, node_line(node)) if previous is not None else text  # type: ignore[arg-type]
                    )
                continue
            origin = "detached"
            content = previous.marker.content if previous.marker is not None else None
            if (
                previous.step.origin == "item"
                and indent is not None
                and content is not None
                and indent < content
                and (indent > 0 or (next_list is not None and _continues(last_list, next_list, extractor)))
            ):
                origin = "outdented"
                extractor.defect(
                    "outdented_sublist",
                    node_line(node),
                    f"this list is indented {spaces(indent)}, less than the text of step "
                    f"{previous.step.number or ''} above it (column {content}), so it is not part of that "
                    f"step; indent it by {spaces(content - indent)} more",
                )
            if (
                origin == "outdented"
                and next_list is not None
                and _continues(last_list, next_list, extractor)
            ):
                merge_next = True  # the list after it carries on the steps the sub-list split
            lists = node.children if isinstance(node, nodes.block_quote) else [node]
            for lst in lists:
                index = max((d.step.list_index for d in previous.children), default=-1) + 1
                previous.children.extend(extractor.steps_from_list(lst, index, origin))  # type: ignore[arg-type]
            continue
        # prose: a body that fell out of its step, the intro, or a note
        text = _prose_text(extractor, node)
        if previous is None:
            if text:
                intro.append(text)
            continue
        if text and _fell_out(extractor, node, previous, last_list, next_list):
            previous.texts.append(text)
            merge_next = next_list is not None and _continues(last_list, next_list, extractor)
            continue
        if text:
            notes.append(Note(text=text, line=node_line(node)))
    return drafts, intro, notes


def _only_links(node: nodes.Node) -> bool:
    """Whether every item of a list is nothing but a link (or links)."""
    items = (
        [c for c in node.children if isinstance(c, nodes.list_item)]
        if isinstance(node, nodes.Element)
        else []
    )
    if not items:
        return False
    for item in items:
        blocks = [c for c in item.children if not isinstance(c, INVISIBLE)]
        if len(blocks) != 1 or not isinstance(blocks[0], nodes.paragraph):
            return False
        words = [
            c
            for c in blocks[0].children
            if not (isinstance(c, nodes.Text) and not str(c).strip(" \t\n.,;:-"))
        ]
        if not words or not all(isinstance(c, nodes.reference | addnodes.pending_xref) for c in words):
            return False
    return True


def _titled_items(node: nodes.Node) -> bool:
    """Whether most items of a list open with a bold title, as steps do."""
    items = list(node.findall(nodes.list_item)) if isinstance(node, nodes.Element) else []
    titled = 0
    for item in items:
        paragraph = next((c for c in item.children if isinstance(c, nodes.paragraph)), None)
        children = list(paragraph.children) if paragraph is not None else []
        index = _skip_leading(children)
        titled += index < len(children) and isinstance(children[index], nodes.strong)
    return bool(items) and titled * 2 >= len(items)


def _prose_text(extractor: _Extractor, node: nodes.Node) -> str:
    if isinstance(node, nodes.Admonition):
        adm = extractor._admonition(node)
        return f"{adm.title}: {adm.text}" if adm.text else adm.title
    return block_text(node)


def _fell_out(
    extractor: _Extractor,
    node: nodes.Node,
    previous: _Draft,
    last_list: list[_Draft],
    next_list: nodes.Node | None,
) -> bool:
    """Whether a block after a step is that step's body, indented too little to stay in it."""
    if previous.step.origin != "item" or previous.marker is None or not last_list:
        return False
    indent = extractor._indent(node)
    if indent is None:
        return False
    content = previous.marker.content
    number = previous.step.number or ""
    if 0 < indent < content:
        extractor.defect(
            "outdented_body",
            node_line(node),
            f"this line is indented {spaces(indent)}, less than the text of step {number} (column "
            f"{content}), so it falls out of the step; indent it by {spaces(content - indent)} more "
            f"to keep it in step {number}",
        )
        return True
    # at the margin, prose between steps may be meant as prose; not when every step is a
    # one-item list (bodies written unindented), nor for commands, which belong to a step
    if (
        indent == 0
        and (len(last_list) == 1 or isinstance(node, nodes.literal_block))
        and isinstance(next_list, nodes.Element)
        and _continues(last_list, next_list, extractor)
    ):
        extractor.defect(
            "outdented_body",
            node_line(node),
            f"this line is not indented, so it ends the list and splits the steps into one-item "
            f"lists; indent it by {spaces(content)} to keep it in step {number}",
        )
        return True
    return False


def _carried(drafts: list[_Draft], lst: nodes.Element, merging: bool) -> tuple[int, str] | None:
    """How a list that carries on the steps before it is numbered, as the author meant it:
    after a fallen-out body, from the next number; ``v.`` after ``iv.`` (docutils reads a
    lone ``v`` as a letter), as a roman numeral."""
    previous = drafts[-1].step if drafts else None
    if previous is None or not isinstance(lst, nodes.enumerated_list):
        return None
    if merging and previous.number is not None and previous.number.isdigit():
        return int(previous.number) + 1, "arabic"
    kind = str(lst.get("enumtype", "arabic"))
    items = [c for c in lst.children if isinstance(c, nodes.list_item)]
    if previous.enumtype in ("lowerroman", "upperroman") and kind in ("loweralpha", "upperalpha") and items:
        letter = format_number(int(lst.get("start", 1)), kind)
        value = _ROMAN_VALUES.get(letter.lower())
        if value is not None:
            return value, previous.enumtype
    return None


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _lost_to_nesting(extractor: _Extractor, root: nodes.Element) -> None:
    """Markdown stops reading a list nested deeper than it allows: the item and what follows are lost."""
    if extractor.source is None:
        return
    for item in root.findall(nodes.list_item):
        if item.children:
            continue
        line = node_line(item)
        text = extractor.source.line(line)
        marker = extractor.source.marker(line)
        if text is None or marker is None or not text[marker.content :].strip():
            continue
        depth = sum(1 for parent in _ancestors(item, root) if isinstance(parent, _LISTS))
        extractor.defect(
            "nesting_too_deep",
            line,
            f"this item is nested {depth} lists deep, deeper than Markdown reads: it and everything "
            "after it up to the end of the block are missing from the page; nest the list less deeply",
        )
        return


def _ancestors(node: nodes.Node, stop: nodes.Node) -> Iterator[nodes.Node]:
    parent = node.parent
    while parent is not None and parent is not stop:
        yield parent
        parent = parent.parent


def _finish(extractor: _Extractor, runbook: Runbook, drafts: list[_Draft]) -> None:
    """Decide titles (bold, or italic where the runbook uses it), texts and ids; tell ``on_step``."""
    everything = list(_walk_drafts(drafts))
    openings = [d.opening for d in everything if d.opening is not None and d.step.origin != "section"]
    bold = sum(1 for o in openings if o.bold)
    italic = sum(1 for o in openings if o.italic)
    use_italic = bold == 0 and italic >= 2 and italic * 2 >= len(openings)
    ids = IdAllocator()
    #: id -> the words of the untitled step that holds it
    untitled_words: dict[str, list[str]] = {}

    def settle(draft: _Draft, parent: Step | None) -> None:
        step = draft.step
        opening = draft.opening
        texts = list(draft.texts)
        if opening is not None:
            if opening.bold:
                step.title, rest = opening.bold, opening.bold_rest
            elif use_italic and opening.italic:
                step.title, rest = opening.italic, opening.italic_rest
            else:
                step.title, rest = None, opening.plain
            if step.origin == "section":
                rest = ""
            if opening.lead and step.title:
                rest = f"{opening.lead} {rest}".strip() if rest else opening.lead
            step.owner = opening.owner
            if rest:
                texts.insert(0, rest)
        step.text = "\n\n".join(t for t in texts if t)
        if step.title:
            wanted = slugify(step.title)
        else:
            wanted = untitled_slug(step.text)
        if not wanted:
            wanted = f"step-{step.number}" if step.number else "step"
        if parent is not None:
            wanted = f"{parent.id}.{wanted}"
        if not step.title:
            wanted = _distinct_untitled(wanted, step, parent, ids, untitled_words)
            step.id = ids.allocate(wanted, report=False)
        else:
            step.id = ids.allocate(wanted)
        if extractor.on_step is not None:
            extractor.on_step(draft.node, step)
        for child in draft.children:
            settle(child, step)
        step.substeps = tuple(child.step for child in draft.children)

    for draft in drafts:
        settle(draft, None)
    runbook.steps = tuple(d.step for d in drafts)
    runbook.id_collisions = tuple(ids.collisions)


def _distinct_untitled(
    wanted: str, step: Step, parent: Step | None, ids: IdAllocator, words_of: dict[str, list[str]]
) -> str:
    """Untitled steps that begin alike get their words up to the first that differs from the
    step holding the id, so their ids differ silently and say what differs."""
    words = slugify(step.text, max_length=10_000).split("-")
    prefix = f"{parent.id}." if parent is not None else ""
    candidate = wanted
    while ids.taken(candidate):
        other = words_of.get(candidate, [])
        differ = next(
            (i for i, (a, b) in enumerate(zip(words, other, strict=False)) if a != b),
            min(len(words), len(other)),
        )
        if differ + 1 > len(words) or differ + 1 <= len(candidate.removeprefix(prefix).split("-")):
            break
        candidate = prefix + "-".join(words[: differ + 1])
    words_of.setdefault(candidate, words)
    return candidate


def _walk_drafts(drafts: list[_Draft]) -> Iterator[_Draft]:
    for draft in drafts:
        yield draft
        yield from _walk_drafts(draft.children)
