"""What changed between two step lists: runbooks and steps matched, and their differences.

Pure functions over step list data (``runbooks.json`` as parsed JSON):
runbooks are matched by id, then (when an id changed) by title and steps;
steps by id, then by title and text similarity, so a renamed step is one
changed step rather than a removed and an added one. A step that changed
place among its siblings is *moved* only when it left the longest run of
steps that kept their order, so inserting one step does not move the rest.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from ...model.ids import step_fingerprint

Status = Literal["added", "removed", "changed"]
#: how alike two steps must be to be taken for one step whose id changed
STEP_CUTOFF = 0.5
#: how alike two runbooks must be to be taken for one runbook whose id changed
RUNBOOK_CUTOFF = 0.5
_WORD = re.compile(r"\S+")
#: what a changed step can differ in besides its number, in the order reports list them
DETAILS = (
    "renamed", "retitled", "moved", "text", "owner", "roles", "terms", "links", "buttons", "admonitions",
)  # fmt: skip


@dataclass
class StepRef:
    """A step as the change report names it."""

    id: str
    #: the step's place: its number and its parents' (``["2", "b"]``), ``None`` for bullets
    numbers: list[str | None]
    title: str
    anchor: str = ""


@dataclass
class ItemChange:
    """A role, term, link, button or admonition added to, removed from or changed in a step."""

    status: Status
    #: what it is called (a role's or term's name, a link's text, an admonition's kind and title)
    label: str
    old: str | None = None
    new: str | None = None


@dataclass
class WordDiff:
    """A text's change as runs of words: ``(op, text)`` with op ``=``, ``-`` or ``+``."""

    ops: list[tuple[str, str]]


@dataclass
class StepChange:
    """One step added, removed, or changed (in place, text, references...)."""

    status: Status
    old: StepRef | None = None
    new: StepRef | None = None
    #: the id changed (the step was matched by its title and text)
    renamed: bool = False
    #: the step says what it said (same fingerprint), whatever its id
    same_text: bool = True
    moved: bool = False
    #: moved under another step, or out of one
    reparented: bool = False
    renumbered: bool = False
    retitled: bool = False
    text: WordDiff | None = None
    owner: ItemChange | None = None
    roles: list[ItemChange] = field(default_factory=list)
    terms: list[ItemChange] = field(default_factory=list)
    links: list[ItemChange] = field(default_factory=list)
    buttons: list[ItemChange] = field(default_factory=list)
    admonitions: list[ItemChange] = field(default_factory=list)

    def only_renumbered(self) -> bool:
        """Whether the step's number is all that changed (it follows an added or removed step)."""
        return self.status == "changed" and self.renumbered and not self.details()

    def details(self) -> list[str]:
        """The names of what changed, besides the number."""
        return [name for name in DETAILS if getattr(self, name)]


@dataclass
class RunbookChange:
    """One runbook added, removed or changed."""

    status: Status
    id: str
    title: str
    #: when the id changed: the old one
    old_id: str | None = None
    old_title: str | None = None
    #: the page it is on (``docname``), when it moved: the old page
    page: str = ""
    old_page: str | None = None
    url: str = ""
    step_count: int = 0
    owners: list[ItemChange] = field(default_factory=list)
    intro: WordDiff | None = None
    steps: list[StepChange] = field(default_factory=list)


@dataclass
class Changes:
    """Every change between two step lists, runbooks in the new list's order, removed ones last."""

    runbooks: list[RunbookChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.runbooks)

    def count(self, status: Status) -> int:
        return sum(1 for r in self.runbooks if r.status == status)


# -- helpers ------------------------------------------------------------------------------------


def fingerprint_of(step: dict[str, Any]) -> str:
    """A step's fingerprint: as the step list gives it, or (for step lists before 2.0, which
    have none) made the same way from its title and text."""
    given = step.get("fingerprint")
    if isinstance(given, str) and given:
        return given
    title = step.get("title")
    return step_fingerprint(title if isinstance(title, str) else None, str(step.get("text") or ""))


def _words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def word_diff(old: str, new: str) -> WordDiff | None:
    """The word-level difference of two texts; ``None`` when their words are the same."""
    a, b = _words(old), _words(new)
    if a == b:
        return None
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", " ".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            ops.append(("-", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(("+", " ".join(b[j1:j2])))
    return WordDiff(ops)


def _ratio(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass
class _Words:
    """A step's title and text as words, and as sets of (word, occurrence) for a quick bound."""

    title: list[str]
    text: list[str]
    title_set: frozenset[tuple[str, int]]
    text_set: frozenset[tuple[str, int]]

    @classmethod
    def of(cls, step: dict[str, Any]) -> _Words:
        title = _words(str(step.get("title") or "").casefold())
        text = _words(str(step.get("text") or "").casefold())
        return cls(title, text, cls._counted(title), cls._counted(text))

    @staticmethod
    def _counted(words: list[str]) -> frozenset[tuple[str, int]]:
        seen: Counter[str] = Counter()
        out = []
        for word in words:
            seen[word] += 1
            out.append((word, seen[word]))
        return frozenset(out)


def _bound(a: frozenset[tuple[str, int]], b: frozenset[tuple[str, int]]) -> float:
    """An upper bound of SequenceMatcher's ratio: twice the common words over all words."""
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def _similarity(old: _Words, new: _Words, cutoff: float = 0.0) -> float:
    """How alike two steps read: half their titles, half their texts (texts alone when a step has
    no title). Returns 0 early when even the quick bound is below ``cutoff``."""
    titled = bool(old.title and new.title)
    text_bound = _bound(old.text_set, new.text_set)
    bound = 0.5 * _bound(old.title_set, new.title_set) + 0.5 * text_bound if titled else text_bound
    if bound < cutoff:
        return 0.0
    text = _ratio(old.text, new.text)
    return 0.5 * _ratio(old.title, new.title) + 0.5 * text if titled else text


def step_similarity(old: dict[str, Any], new: dict[str, Any]) -> float:
    """How alike two steps read: their titles and their texts."""
    return _similarity(_Words.of(old), _Words.of(new))


def _label(ref: dict[str, Any] | None) -> str:
    if not ref:
        return ""
    return str(ref.get("text") or ref.get("target") or "")


# -- steps --------------------------------------------------------------------------------------


@dataclass
class _Flat:
    """A step with its place in the runbook's tree."""

    step: dict[str, Any]
    #: index in the runbook's depth-first order
    order: int
    parent: str | None
    #: index among its siblings
    index: int
    numbers: list[str | None]

    @property
    def id(self) -> str:
        return str(self.step.get("id") or "")

    def ref(self) -> StepRef:
        return StepRef(
            self.id, self.numbers, str(self.step.get("title") or ""), str(self.step.get("anchor") or "")
        )


def _flatten(steps: list[dict[str, Any]]) -> list[_Flat]:
    flat: list[_Flat] = []

    def walk(items: list[dict[str, Any]], parent: str | None, numbers: list[str | None]) -> None:
        for index, step in enumerate(items):
            if not isinstance(step, dict):
                continue
            here = [*numbers, step.get("number")]
            flat.append(_Flat(step, len(flat), parent, index, here))
            walk(step.get("substeps") or [], str(step.get("id") or ""), here)

    walk(steps, None, [])
    return flat


def match_steps(old: list[_Flat], new: list[_Flat]) -> dict[int, int]:
    """Old order -> new order for the steps that are one step: same id, else alike enough."""
    matched: dict[int, int] = {}
    new_by_id: dict[str, _Flat] = {}
    for n in new:
        new_by_id.setdefault(n.id, n)
    taken: set[int] = set()
    for o in old:
        same = new_by_id.get(o.id)
        if same is not None and same.order not in taken:
            matched[o.order] = same.order
            taken.add(same.order)
    rest_old = [o for o in old if o.order not in matched]
    rest_new = [n for n in new if n.order not in taken]
    scored = []
    new_words = [_Words.of(n.step) for n in rest_new] if rest_old else []
    for o in rest_old:
        old_words = _Words.of(o.step)
        for n, n_words in zip(rest_new, new_words, strict=True):
            # a sub-step whose parent was renamed keeps its own part of the id
            if "." in o.id and o.id.rpartition(".")[2] == n.id.rpartition(".")[2]:
                score = max(0.75, _similarity(old_words, n_words))
            else:
                score = _similarity(old_words, n_words, STEP_CUTOFF)
            if score >= STEP_CUTOFF:
                scored.append((-score, o.order, n.order))
    for _, o_order, n_order in sorted(scored):
        if o_order not in matched and n_order not in taken:
            matched[o_order] = n_order
            taken.add(n_order)
    return matched


def _heaviest_increasing(values: list[int], weights: list[int]) -> set[int]:
    """The positions of the heaviest strictly increasing subsequence of ``values`` (distinct
    non-negative ints), in O(n log n) with a Fenwick tree of prefix maxima."""
    size = max(values, default=-1) + 1
    best = [0] * (size + 1)
    best_at = [-1] * (size + 1)
    score = [0] * len(values)
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        top, at, j = 0, -1, value  # the best chain ending below ``value``
        while j > 0:
            if best[j] > top:
                top, at = best[j], best_at[j]
            j -= j & -j
        score[i], previous[i] = top + weights[i], at
        j = value + 1
        while j <= size:
            if score[i] > best[j]:
                best[j], best_at[j] = score[i], i
            j += j & -j
    keep: set[int] = set()
    i = max(range(len(values)), key=lambda k: score[k], default=-1)
    while i >= 0:
        keep.add(i)
        i = previous[i]
    return keep


def _items(
    old: list[dict[str, Any]], new: list[dict[str, Any]], key: Any, label: Any, value: Any
) -> list[ItemChange]:
    """Added and removed items of two lists (as multisets of ``key``); a removed and an added
    item with the same label are one changed item (``value`` old -> new)."""
    old_keys = Counter(key(i) for i in old)
    new_keys = Counter(key(i) for i in new)
    removed = [i for i in old if _take(old_keys, new_keys, key(i))]
    old_keys = Counter(key(i) for i in old)
    new_keys = Counter(key(i) for i in new)
    added = [i for i in new if _take(new_keys, old_keys, key(i))]
    changes: list[ItemChange] = []
    for item in removed:
        partner = next((a for a in added if label(a) == label(item)), None)
        if partner is not None:
            added.remove(partner)
            changes.append(ItemChange("changed", label(item), value(item), value(partner)))
        else:
            changes.append(ItemChange("removed", label(item), value(item), None))
    changes += [ItemChange("added", label(a), None, value(a)) for a in added]
    return changes


def _take(mine: Counter[Any], theirs: Counter[Any], key: Any) -> bool:
    """Whether this occurrence of ``key`` has no counterpart in ``theirs`` (consuming one)."""
    mine[key] -= 1
    if theirs[key] > 0:
        theirs[key] -= 1
        return False
    return True


def _distinct(refs: list[Any]) -> list[dict[str, Any]]:
    """References by target, each once: naming a role twice does not add a role."""
    found: dict[str, dict[str, Any]] = {}
    for ref in refs:
        if isinstance(ref, dict):
            found.setdefault(str(ref.get("target") or ref.get("text")), ref)
    return list(found.values())


def compare_refs(old: list[Any], new: list[Any]) -> list[ItemChange]:
    """Roles or terms added and removed (by target)."""
    return _items(
        _distinct(old),
        _distinct(new),
        lambda r: str(r.get("target") or r.get("text")),
        _label,
        lambda r: None,
    )


def compare_links(old: list[Any], new: list[Any]) -> list[ItemChange]:
    """Links (or buttons) added, removed, or pointing elsewhere under the same text."""
    return _items(
        [link for link in old if isinstance(link, dict)],
        [link for link in new if isinstance(link, dict)],
        lambda link: (str(link.get("text") or ""), str(link.get("target") or "")),
        lambda link: str(link.get("text") or link.get("target") or ""),
        lambda link: str(link.get("target") or ""),
    )


def compare_admonitions(old: list[Any], new: list[Any]) -> list[ItemChange]:
    """Admonitions added, removed, or reworded (same kind and title)."""

    def label(a: dict[str, Any]) -> str:
        title = str(a.get("title") or "")
        kind = str(a.get("kind") or "")
        return kind if not title or title.casefold() == kind.casefold() else f"{kind}: {title}"

    return _items(
        [a for a in old if isinstance(a, dict)],
        [a for a in new if isinstance(a, dict)],
        lambda a: (label(a), " ".join(_words(str(a.get("text") or "")))),
        label,
        lambda a: " ".join(_words(str(a.get("text") or ""))),
    )


def _kind(links: Any, button: bool) -> list[Any]:
    return [
        link for link in links or [] if isinstance(link, dict) and (link.get("kind") == "button") == button
    ]


def compare_step(old: dict[str, Any], new: dict[str, Any], change: StepChange) -> None:
    """Fill ``change`` with what differs between two matched steps."""
    change.renamed = str(old.get("id")) != str(new.get("id"))
    change.same_text = fingerprint_of(old) == fingerprint_of(new)
    change.retitled = (old.get("title") or "") != (new.get("title") or "")
    change.renumbered = old.get("number") != new.get("number") and old.get("number") is not None
    change.text = word_diff(str(old.get("text") or ""), str(new.get("text") or ""))
    old_owner, new_owner = _label(old.get("owner")), _label(new.get("owner"))
    if old_owner != new_owner:
        status: Status = "changed" if old_owner and new_owner else ("added" if new_owner else "removed")
        change.owner = ItemChange(status, new_owner or old_owner, old_owner or None, new_owner or None)
    change.roles = compare_refs(old.get("roles") or [], new.get("roles") or [])
    change.terms = compare_refs(old.get("terms") or [], new.get("terms") or [])
    change.links = compare_links(_kind(old.get("links"), False), _kind(new.get("links"), False))
    change.buttons = compare_links(_kind(old.get("links"), True), _kind(new.get("links"), True))
    change.admonitions = compare_admonitions(old.get("admonitions") or [], new.get("admonitions") or [])


def compare_steps(old_steps: list[dict[str, Any]], new_steps: list[dict[str, Any]]) -> list[StepChange]:
    """The changes of one runbook's steps, in the new order (removed steps where they were)."""
    old, new = _flatten(old_steps), _flatten(new_steps)
    matched = match_steps(old, new)
    reverse = {n: o for o, n in matched.items()}
    old_by_id = {o.id: o for o in old}
    new_by_order = {n.order: n for n in new}

    # what changed in each matched step, before deciding which steps moved
    compared: dict[int, StepChange] = {}
    for n in new:
        if n.order in reverse:
            o = old[reverse[n.order]]
            compared[n.order] = change = StepChange("changed", old=o.ref(), new=n.ref())
            compare_step(o.step, n.step, change)

    # moved: per group of new siblings, those outside the run of steps that kept their order;
    # of the longest such runs, the one that keeps the steps that changed least in place
    moved: set[int] = set()
    reparented: set[int] = set()
    groups: dict[str | None, list[_Flat]] = {}
    for n in new:
        groups.setdefault(n.parent, []).append(n)
    for parent, siblings in groups.items():
        kept: list[tuple[int, int]] = []
        for n in siblings:
            if n.order not in reverse:
                continue
            o = old[reverse[n.order]]
            mapped_parent = None
            if o.parent is not None and o.parent in old_by_id:
                target = matched.get(old_by_id[o.parent].order)
                mapped_parent = new_by_order[target].id if target is not None else f"\0{o.parent}"
            if mapped_parent != parent:
                reparented.add(n.order)
                continue
            kept.append((o.index, n.order))
        heavy = 3 * len(kept) + 1  # one more step in order outweighs every preference below
        weights = [
            heavy
            + 2 * (not compared[order].renumbered)  # a step that kept its number did not move
            + (not compared[order].details())  # nor, rather, did one that is otherwise unchanged
            for _, order in kept
        ]
        in_order = _heaviest_increasing([index for index, _ in kept], weights)
        moved.update(order for k, (_, order) in enumerate(kept) if k not in in_order)

    changes: list[tuple[float, StepChange]] = []
    for n in new:
        if n.order not in reverse:
            changes.append((n.order, StepChange("added", new=n.ref())))
            continue
        change = compared[n.order]
        change.moved = n.order in moved or n.order in reparented
        change.reparented = n.order in reparented
        if change.moved:
            change.renumbered = False  # the move says it
        if change.details() or change.renumbered:
            changes.append((n.order, change))
    # a removed step goes right after the new place of the old step before it (first when none)
    place: float = -1
    for o in old:
        if o.order in matched:
            place = matched[o.order]
            continue
        changes.append((place + 0.5, StepChange("removed", old=o.ref())))
    return [change for _, change in sorted(changes, key=lambda pair: pair[0])]


# -- runbooks -----------------------------------------------------------------------------------


def _runbook_similarity(old: dict[str, Any], new: dict[str, Any]) -> float:
    old_ids = {str(s.get("id")) for s in old.get("steps") or [] if isinstance(s, dict)}
    new_ids = {str(s.get("id")) for s in new.get("steps") or [] if isinstance(s, dict)}
    steps = len(old_ids & new_ids) / len(old_ids | new_ids) if old_ids | new_ids else 0.0
    titles = _ratio(
        _words(str(old.get("title") or "").casefold()), _words(str(new.get("title") or "").casefold())
    )
    return 0.5 * titles + 0.5 * steps


def _runbooks(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for runbook in data.get("runbooks") or []:
        if isinstance(runbook, dict) and runbook.get("id"):
            found.setdefault(str(runbook["id"]), runbook)
    return found


def _runbook_change(kind: Status, rid: str, runbook: dict[str, Any], **fields: Any) -> RunbookChange:
    """A change of ``kind`` to a runbook of a step list, named and linked as that step list has it."""
    return RunbookChange(
        kind,
        rid,
        str(runbook.get("title") or ""),
        page=str(runbook.get("docname") or ""),
        url=str(runbook.get("url") or ""),
        step_count=len(runbook.get("steps") or []),
        **fields,
    )


def compare_runbook(old: dict[str, Any], new: dict[str, Any]) -> RunbookChange | None:
    """The changes of one runbook, or ``None`` when nothing a reader sees changed."""
    change = _runbook_change("changed", str(new.get("id")), new)
    if old.get("id") != new.get("id"):
        change.old_id = str(old.get("id"))
    if (old.get("title") or "") != (new.get("title") or ""):
        change.old_title = str(old.get("title") or "")
    if (old.get("docname") or "") != (new.get("docname") or ""):
        change.old_page = str(old.get("docname") or "")
    change.owners = compare_refs(old.get("owners") or [], new.get("owners") or [])
    change.intro = word_diff(str(old.get("intro") or ""), str(new.get("intro") or ""))
    change.steps = compare_steps(old.get("steps") or [], new.get("steps") or [])
    if any((change.old_id, change.old_title is not None, change.old_page, change.owners, change.intro)):
        return change
    return change if change.steps else None


def compare(old_data: dict[str, Any], new_data: dict[str, Any]) -> Changes:
    """Every change from one step list to another."""
    old, new = _runbooks(old_data), _runbooks(new_data)
    pairs = {rid: rid for rid in new if rid in old}
    rest_old = [rid for rid in old if rid not in pairs]
    rest_new = [rid for rid in new if rid not in pairs]
    scored = sorted(
        (-score, o, n)
        for o in rest_old
        for n in rest_new
        if (score := _runbook_similarity(old[o], new[n])) >= RUNBOOK_CUTOFF
    )
    renamed: dict[str, str] = {}  # new id -> old id
    for _, o, n in scored:
        if o not in renamed.values() and n not in renamed:
            renamed[n] = o
    changes = Changes()
    for rid, runbook in new.items():
        old_id = pairs.get(rid) or renamed.get(rid)
        if old_id is None:
            changes.runbooks.append(
                _runbook_change(
                    "added",
                    rid,
                    runbook,
                    steps=[StepChange("added", new=f.ref()) for f in _flatten(runbook.get("steps") or [])],
                )
            )
            continue
        change = compare_runbook(old[old_id], runbook)
        if change is not None:
            changes.runbooks.append(change)
    for rid, runbook in old.items():
        if rid in pairs or rid in renamed.values():
            continue
        changes.runbooks.append(_runbook_change("removed", rid, runbook))
    return changes
