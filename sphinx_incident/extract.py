"""Extraction: a docutils doctree (before references are resolved) -> the checklist model.

This module is pure: it reads nodes and returns model objects. It knows the
node shapes that MyST-Parser, docutils' rST parser, Sphinx and sphinx-design
produce, so both source formats give the same model. Nothing inside a runbook
is dropped: content that is not a well-formed step is kept as a step with a
telling ``origin``, or as a note, for the checks to report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from docutils import nodes

from .doctree import INVISIBLE, clean, is_button, node_line, only_condition, plain_text
from .ids import IdAllocator, slugify, untitled_slug
from .model import Admonition, Footnote, Link, LinkKind, Note, Reference, Runbook, Step, XRef

#: called with each step's node and its model step (the collector stamps anchors)
OnStep = Callable[[nodes.Element, Step], None]

#: "7 **Title**", "7: Title", "7) Title", "7. Title" at the start of a paragraph
_STEP_LIKE = re.compile(r"^\s*(?P<number>\d{1,4})\s*(?P<sep>[.):]?)\s+")
#: the same, at the start of a line inside a paragraph (a lazy continuation line)
_LINE_STEP_LIKE = re.compile(r"\n[ \t]*(?P<number>\d{1,4})[ \t]*(?P<sep>[.):]?)[ \t]+")
_TITLE_PUNCTUATION = " \t\n.:;,-\u2013\u2014"

#: docutils' specific admonition node classes, by the kind they name
_ADMONITION_KINDS = frozenset(
    "attention caution danger error hint important note tip warning seealso todo".split()
)


def _leading_strong(children: list[nodes.Node]) -> tuple[nodes.strong | None, int]:
    """The strong node a paragraph's children open with, and its index."""
    for index, child in enumerate(children):
        if isinstance(child, nodes.Text) and not str(child).strip():
            continue
        if isinstance(child, nodes.target | nodes.system_message):
            continue
        if isinstance(child, nodes.strong):
            return child, index
        return None, -1
    return None, -1


@dataclass
class _Refs:
    """The references gathered from a piece of a step."""

    terms: list[Reference] = field(default_factory=list)
    roles: list[Reference] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)


class _Extractor:
    """Walks one runbook's nodes; one instance per runbook."""

    def __init__(self, document: nodes.document | None, on_step: OnStep | None, root: nodes.Element) -> None:
        self.document = document
        self.root = root
        self.on_step = on_step
        self.ids = IdAllocator()

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
            text = clean(node.astext())
            xref = xref_of(node)
            if reftype == "term" and domain == "std":
                refs.terms.append(Reference(text=text, target=target, line=line, xref=xref))
            elif reftype == "role" and domain in ("std", "incident"):
                refs.roles.append(Reference(text=text, target=target, line=line, xref=xref))
            else:
                xref_kind: LinkKind = "button" if is_button(node) else "internal"
                qualified = reftype if domain in ("", "std", "True") else f"{domain}:{reftype}"
                refs.links.append(
                    Link(kind=xref_kind, target=target, text=text, line=line, reftype=qualified, xref=xref)
                )
        elif isinstance(node, nodes.reference):
            text = clean(node.astext())
            if "refuri" in node:
                uri_kind: LinkKind = "button" if is_button(node) else "external"
                refs.links.append(Link(kind=uri_kind, target=str(node["refuri"]), text=text, line=line))
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
            text="\n\n".join(t for t in (clean(plain_text(b)) for b in body) if t),
            line=node_line(target),
            terms=inner.terms,
            roles=inner.roles,
            links=inner.links,
        )

    # -- steps --------------------------------------------------------------

    def steps_from_list(
        self, lst: nodes.Element, list_index: int, parent: Step | None, origin: str = "item"
    ) -> list[Step]:
        ordered = isinstance(lst, nodes.enumerated_list)
        start = int(lst.get("start", 1)) if ordered else 1
        enumtype = str(lst.get("enumtype", "arabic"))
        steps = []
        for index, item in enumerate(lst.children):
            if not isinstance(item, nodes.list_item):
                continue
            number = format_number(start + index, enumtype) if ordered else None
            steps.append(self.step_from_item(item, number, ordered, list_index, parent, origin))
        return steps

    def step_from_item(
        self,
        item: nodes.Element,
        number: str | None,
        ordered: bool,
        list_index: int,
        parent: Step | None,
        origin: str = "item",
    ) -> Step:
        body = list(item.children)
        lists = [c for c in body if isinstance(c, nodes.bullet_list | nodes.enumerated_list)]
        return self._make_step(item, body, lists, number, ordered, list_index, parent, origin)

    def step_from_paragraph(self, paragraph: nodes.paragraph, number: str, list_index: int) -> Step:
        return self._make_step(
            paragraph, [paragraph], [], number, True, list_index, None, "paragraph", strip_number=True
        )

    def _make_step(
        self,
        node: nodes.Element,
        body: list[nodes.Node],
        lists: list[nodes.Element],
        number: str | None,
        ordered: bool,
        list_index: int,
        parent: Step | None,
        origin: str,
        strip_number: bool = False,
    ) -> Step:
        title: str | None = None
        texts: list[str] = []
        admonitions: list[Admonition] = []
        for position, child in enumerate(body):
            if child in lists or isinstance(child, INVISIBLE):
                continue
            if isinstance(child, nodes.Admonition):
                admonitions.append(self._admonition(child))
                continue
            if isinstance(child, nodes.paragraph) and self._only_buttons(child):
                continue
            if position == 0 and isinstance(child, nodes.paragraph):
                title, rest = self._split_title(child, strip_number)
                if rest:
                    texts.append(rest)
                continue
            text = clean(plain_text(child))
            if text:
                texts.append(text)

        text = "\n\n".join(texts)
        swallowed = [
            Note(text=f"{found_number} {found_text}".strip(), line=found_line)
            for child in body
            if isinstance(child, nodes.paragraph)
            for found_number, found_line, found_text in numbered_lines(child)
        ]
        refs = self.collect_refs(
            [c for c in body if c not in lists],
            skip=lambda n: isinstance(n, nodes.bullet_list | nodes.enumerated_list) and n in lists,
        )
        slug = slugify(title) if title else untitled_slug(text)
        if not slug:
            slug = f"step-{number}" if number else "step"
        wanted = f"{parent.id}.{slug}" if parent is not None else slug
        step = Step(
            id=self.ids.allocate(wanted),
            number=number,
            title=title,
            text=text,
            line=node_line(node),
            origin=origin,  # type: ignore[arg-type]
            ordered=ordered,
            list_index=list_index,
            terms=refs.terms,
            roles=refs.roles,
            links=refs.links,
            admonitions=admonitions,
            footnotes=refs.footnotes,
            swallowed=swallowed,
            only=only_condition(node, stop=self.root),
        )
        if self.on_step is not None:
            self.on_step(node, step)
        for sub_index, sub_list in enumerate(lists):
            step.substeps.extend(self.steps_from_list(sub_list, sub_index, step))
        return step

    def _split_title(self, paragraph: nodes.paragraph, strip_number: bool) -> tuple[str | None, str]:
        """The leading bold title of a step's first paragraph, and the rest of it."""
        children = list(paragraph.children)
        if strip_number and children and isinstance(children[0], nodes.Text):
            match = _STEP_LIKE.match(str(children[0]))
            if match:
                children[0] = nodes.Text(str(children[0])[match.end() :])
        # looked for in the list itself: copying the children into a probe
        # paragraph (to leave the doctree alone) was half the cost of extraction
        strong, index = _leading_strong(children)
        if strong is None:
            return None, clean("".join(plain_text(c) for c in children))
        title = clean(plain_text(strong)) or None
        rest = clean("".join(plain_text(c) for c in children[index + 1 :]))
        return title, rest.lstrip(_TITLE_PUNCTUATION).strip()

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
        text = "\n\n".join(t for t in (clean(plain_text(b)) for b in body) if t)
        return Admonition(kind=kind, title=title, text=text, line=node_line(node), classes=classes)


def owner_reference(name: str, docname: str, line: int | None) -> Reference:
    """A team role named as an owner (``:roles:``), resolved like a ``{role}`` reference."""
    attributes = {"refdomain": "incident", "reftype": "role", "reftarget": name, "refexplicit": False,
                  "refwarn": True, "refdoc": docname}  # fmt: skip
    return Reference(text=name, target=name, line=line, xref=XRef(attributes, "inline", [], name))


def xref_of(node: nodes.Element) -> XRef:
    """What Sphinx needs to resolve a ``pending_xref`` later: its attributes and its content."""
    attributes = {
        key: value
        for key, value in node.attributes.items()
        if key not in ("ids", "classes", "names", "dupnames", "backrefs") and _plain_value(value)
    }
    content = node.children[0] if node.children else None
    if isinstance(content, nodes.Element):
        return XRef(
            attributes, content.tagname, [str(c) for c in content.get("classes", ())], content.astext()
        )
    return XRef(attributes, "inline", [], node.astext())


def _plain_value(value: object) -> bool:
    if isinstance(value, str | int | float | bool) or value is None:
        return True
    return isinstance(value, list | tuple) and all(isinstance(v, str | int | float | bool) for v in value)


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


def step_like(paragraph: nodes.Element) -> str | None:
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


def numbered_lines(paragraph: nodes.Element) -> list[tuple[str, int | None, str]]:
    """Lines inside a paragraph (after its first) that read like a numbered step.

    Markdown folds ``7 **Next step**`` into the paragraph above it when the
    period is missing (a lazy continuation line). Returns (number, line, text).
    """
    # MyST gives each soft line break its own Text node: join adjacent Text
    # nodes into runs, each followed by the node (if any) that ends it
    runs: list[tuple[str, nodes.Node | None]] = []
    pending: list[str] = []
    for child in paragraph.children:
        if isinstance(child, nodes.Text):
            pending.append(str(child))
            continue
        runs.append(("".join(pending), child))
        pending = []
    runs.append(("".join(pending), None))

    found = []
    offset = 0
    base = node_line(paragraph)
    for text, following in runs:
        for match in _LINE_STEP_LIKE.finditer(text):
            after = text[match.end() :]
            followed_by_bold = not after.strip() and isinstance(following, nodes.strong)
            if match.group("sep") or followed_by_bold:
                line_no = base + offset + text.count("\n", 0, match.start() + 1) if base else None
                rest = after.split("\n", 1)[0]
                if followed_by_bold and following is not None:
                    rest = f"**{following.astext()}**"
                found.append((match.group("number"), line_no, clean(rest)))
        offset += text.count("\n")
        if following is not None:
            offset += following.astext().count("\n")
    return found


def iter_blocks(root: nodes.Element) -> Iterator[nodes.Node]:
    """The body blocks of a runbook in source order, descending into sub-sections."""
    for child in root.children:
        if isinstance(child, nodes.title):
            continue
        if isinstance(child, nodes.section):
            yield from iter_blocks(child)
            continue
        yield child


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
) -> Runbook:
    """Build the model of one runbook from its node (a section or a runbook node).

    ``on_step`` is told of every step with its node, so the caller can give
    the node an HTML id; the function itself changes nothing.
    """
    document = root.document
    extractor = _Extractor(document, on_step, root)
    runbook = Runbook(
        id=runbook_id,
        title=title,
        docname=docname,
        source=source,
        line=node_line(root),
        declared_by=declared_by,
        label=label,
        owners=[owner_reference(name, docname, node_line(root)) for name in owners or []],
        only=only_condition(root),
    )
    skip = {id(node) for node in other_roots or ()}
    blocks = [b for b in iter_blocks(root) if id(b) not in skip]
    has_enumerated = any(isinstance(b, nodes.enumerated_list) for b in blocks)
    intro: list[str] = []
    list_index = 0
    for block in blocks:
        if isinstance(block, INVISIBLE):
            continue
        if isinstance(block, nodes.enumerated_list) or (
            isinstance(block, nodes.bullet_list) and not has_enumerated
        ):
            runbook.steps.extend(extractor.steps_from_list(block, list_index, None))
            list_index += 1
            continue
        if isinstance(block, nodes.bullet_list | nodes.enumerated_list) and runbook.steps:
            # bullets between numbered steps: sub-steps whose indentation
            # detached them from the step above
            owner = runbook.steps[-1]
            index = max((s.list_index for s in owner.substeps), default=-1) + 1
            owner.substeps.extend(extractor.steps_from_list(block, index, owner, "detached"))
            continue
        number = step_like(block) if isinstance(block, nodes.Element) else None
        if number is not None:
            step = extractor.step_from_paragraph(block, number, list_index)  # type: ignore[arg-type]
            runbook.steps.append(step)
            list_index += 1
            continue
        text = clean(plain_text(block))
        if isinstance(block, nodes.Admonition):
            adm = extractor._admonition(block)
            text = f"{adm.title}: {adm.text}" if adm.text else adm.title
        if not text:
            continue
        if runbook.steps:
            runbook.notes.append(Note(text=text, line=node_line(block)))
        else:
            intro.append(text)
    runbook.intro = "\n\n".join(intro)
    runbook.id_collisions = list(extractor.ids.collisions)
    return runbook
