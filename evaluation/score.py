"""Scoring the tool against the labels: pure functions over plain data.

Labels come from ``labels/<handbook>.yaml`` (see LABELLING.md); the tool's
answers from ``sphinx-incident discover --format json --all``, the step list
of a build that declares the labelled procedures, and ``sphinx-incident lint
--format json``. Everything is matched by repository path and line.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

POSITIVE = ("procedure", "checklist")
#: a tool's line may sit this far from the labelled marker line (a directive's own line, say)
LINE_SLACK = 2


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, said: bool) -> None:
        if truth and said:
            self.tp += 1
        elif said:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    def __iadd__(self, other: Counts) -> Counts:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn
        return self

    @property
    def precision(self) -> float | None:
        said = self.tp + self.fp
        return self.tp / said if said else None

    @property
    def recall(self) -> float | None:
        truth = self.tp + self.fn
        return self.tp / truth if truth else None

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


def match_by_line(
    labels: Sequence[dict[str, Any]], found: Sequence[dict[str, Any]], slack: int = LINE_SLACK
) -> tuple[list[tuple[dict[str, Any], dict[str, Any] | None]], list[dict[str, Any]]]:
    """Pair each label with the tool's item at the same path and line (or the nearest within
    ``slack``, each item used once). Returns the pairs and the items no label took."""
    by_path: dict[str, list[dict[str, Any]]] = {}
    for item in found:
        by_path.setdefault(item["path"], []).append(item)
    taken: set[int] = set()
    pairs: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    exact: dict[int, dict[str, Any]] = {}  # exact lines first, then the nearest of what is left
    for index, label in enumerate(labels):
        for item in by_path.get(label["path"], ()):
            if id(item) not in taken and item.get("line") == label["line"]:
                exact[index] = item
                taken.add(id(item))
                break
    for index, label in enumerate(labels):
        item = exact.get(index)
        if item is None:
            near = [
                candidate
                for candidate in by_path.get(label["path"], ())
                if id(candidate) not in taken
                and candidate.get("line") is not None
                and abs(candidate["line"] - label["line"]) <= slack
            ]
            near.sort(key=lambda candidate: abs(candidate["line"] - label["line"]))
            if near:
                item = near[0]
                taken.add(id(item))
        pairs.append((label, item))
    leftover = [item for item in found if id(item) not in taken]
    return pairs, leftover


@dataclass
class DiscoverScore:
    numbered: Counts = field(default_factory=Counts)
    bulleted: Counts = field(default_factory=Counts)
    #: labelled lists the tool did not report at all
    unseen: int = 0
    #: lists the tool reported on labelled pages that no label names
    unlabelled: int = 0
    #: (probability the tool gives that the list is a procedure, whether it is)
    calibration: list[tuple[float, bool]] = field(default_factory=list)

    def __iadd__(self, other: DiscoverScore) -> DiscoverScore:
        self.numbered += other.numbered
        self.bulleted += other.bulleted
        self.unseen += other.unseen
        self.unlabelled += other.unlabelled
        self.calibration += other.calibration
        return self


def procedure_probability(item: dict[str, Any]) -> float:
    """The tool's confidence read as the probability that the list is a procedure."""
    confidence = float(item.get("confidence", 0.5))
    return confidence if item.get("verdict") in POSITIVE else 1.0 - confidence


def score_discover(
    labels: Sequence[dict[str, Any]], found: Sequence[dict[str, Any]], pages: Iterable[str]
) -> DiscoverScore:
    """Precision and recall of ``discover`` on the labelled lists, numbered and bulleted apart."""
    pages = set(pages)
    on_pages = [item for item in found if item["path"] in pages]
    pairs, leftover = match_by_line(labels, on_pages)
    score = DiscoverScore(unlabelled=len(leftover))
    for label, item in pairs:
        truth = label["verdict"] in POSITIVE
        said = item is not None and item.get("verdict") in POSITIVE
        counts = score.numbered if label["kind"] == "numbered" else score.bulleted
        counts.add(truth, said)
        if item is None:
            score.unseen += 1
        else:
            score.calibration.append((procedure_probability(item), truth))
    return score


def calibration_table(
    points: Sequence[tuple[float, bool]], cuts: Sequence[float] = (0.5, 0.6, 0.7, 0.8, 0.9)
) -> list[tuple[float, int, float | None]]:
    """For each cut c: how many lists the tool gives at least c, and the share of them that are
    procedures (calibrated when that share is about c or above)."""
    rows = []
    for cut in cuts:
        above = [truth for probability, truth in points if probability >= cut]
        rows.append((cut, len(above), sum(above) / len(above) if above else None))
    return rows


def reliability_table(
    points: Sequence[tuple[float, bool]], bins: Sequence[float] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)
) -> list[tuple[float, float, int, float | None, float | None]]:
    """Per probability band: its lists, the mean probability the tool gave, the share that are."""
    rows = []
    for low, high in itertools.pairwise(bins):
        band = [(p, t) for p, t in points if low <= p < high]
        mean = sum(p for p, _ in band) / len(band) if band else None
        share = sum(t for _, t in band) / len(band) if band else None
        rows.append((low, min(high, 1.0), len(band), mean, share))
    return rows


def expected_sections(
    pairs: Sequence[tuple[dict[str, Any], dict[str, Any] | None]],
) -> dict[str, list[dict[str, Any]]]:
    """The entry discover gives each labelled list's section -> the labels in that section."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for label, item in pairs:
        if item is None or not item.get("entry"):
            continue
        sections.setdefault(item["entry"], []).append(label)
    return sections


def runbook_shape(runbook: dict[str, Any]) -> tuple[int, int, set[int]]:
    """Top-level steps, sub-steps, and the lines of the top-level steps of a step-list runbook."""
    steps = runbook.get("steps", [])
    subs = sum(len(step.get("substeps", [])) for step in steps)
    lines = {step["line"] for step in steps if step.get("line")}
    return len(steps), subs, lines


@dataclass
class ExactScore:
    procedures: int = 0
    exact: int = 0

    def __iadd__(self, other: ExactScore) -> ExactScore:
        self.procedures += other.procedures
        self.exact += other.exact
        return self

    @property
    def share(self) -> float | None:
        return self.exact / self.procedures if self.procedures else None


def score_exact(sections: dict[str, list[dict[str, Any]]], runbooks: dict[str, dict[str, Any]]) -> ExactScore:
    """A section's procedures are modelled exactly when its runbook has exactly their steps and
    sub-steps, and no step of a list labelled as not a procedure."""
    score = ExactScore()
    for entry, labels in sections.items():
        positives = [label for label in labels if label["verdict"] in POSITIVE]
        if not positives:
            continue
        score.procedures += len(positives)
        runbook = runbooks.get(entry)
        if runbook is None:
            continue
        steps, subs, lines = runbook_shape(runbook)
        want_steps = sum(int(label.get("steps", 0)) for label in positives)
        want_subs = sum(int(label.get("substeps", 0)) for label in positives)
        negatives = {label["line"] for label in labels if label["verdict"] not in POSITIVE}
        if steps == want_steps and subs == want_subs and not (lines & negatives):
            score.exact += len(positives)
    return score


@dataclass
class AgreeScore:
    #: lists discover takes for a procedure, in a section the run declared
    offered: int = 0
    #: of those, the lists whose first item is a step of the section's runbook
    held: int = 0

    def __iadd__(self, other: AgreeScore) -> AgreeScore:
        self.offered += other.offered
        self.held += other.held
        return self

    @property
    def share(self) -> float | None:
        return self.held / self.offered if self.offered else None


def score_agreement(found: Sequence[dict[str, Any]], runbooks: dict[str, dict[str, Any]]) -> AgreeScore:
    """Whether what discover offers is what declaring its entry gives: each list it takes for a
    procedure, whose entry the run declared, should start a step of that entry's runbook."""
    score = AgreeScore()
    for item in found:
        runbook = runbooks.get(str(item.get("entry")))
        if item.get("verdict") not in POSITIVE or runbook is None or item.get("line") is None:
            continue
        score.offered += 1
        lines = {step.get("line") for step in runbook.get("steps", [])}
        score.held += any(line is not None and abs(line - item["line"]) <= 1 for line in lines)
    return score


@dataclass
class LintScore:
    #: judged findings: true and false
    true: int = 0
    false: int = 0
    #: findings nobody has judged yet
    unjudged: int = 0
    #: labelled structural defects found / missed
    found: int = 0
    missed: int = 0
    by_rule: dict[str, list[int]] = field(default_factory=dict)
    #: labelled defects found / missed, by their kind (restart, outdented-body...)
    by_kind: dict[str, list[int]] = field(default_factory=dict)

    def __iadd__(self, other: LintScore) -> LintScore:
        self.true += other.true
        self.false += other.false
        self.unjudged += other.unjudged
        self.found += other.found
        self.missed += other.missed
        for rule, (t, f) in other.by_rule.items():
            mine = self.by_rule.setdefault(rule, [0, 0])
            mine[0] += t
            mine[1] += f
        for kind, (hit, miss) in other.by_kind.items():
            mine = self.by_kind.setdefault(kind, [0, 0])
            mine[0] += hit
            mine[1] += miss
        return self

    @property
    def precision(self) -> float | None:
        judged = self.true + self.false
        return self.true / judged if judged else None

    @property
    def recall(self) -> float | None:
        labelled = self.found + self.missed
        return self.found / labelled if labelled else None


def score_lint(
    findings: Sequence[dict[str, Any]],
    judgements: Sequence[dict[str, Any]],
    defects: Sequence[dict[str, Any]],
    pages: Iterable[str],
) -> tuple[LintScore, list[dict[str, Any]]]:
    """Lint's precision on the judged findings of the labelled pages, and its recall of the
    labelled structural defects (a finding within one line of the defect finds it, at its own
    line or at one its message names as showing the same cause, ``related``: the line where
    the list it splits starts again). Returns the score and the findings that still need a
    judgement."""
    pages = set(pages)
    score = LintScore()
    verdicts = {(j["path"], j["line"], j["rule"]): bool(j["verdict"]) for j in judgements}
    todo = []
    on_pages = [f for f in findings if f["path"] in pages]
    for finding in on_pages:
        key = (finding["path"], finding.get("line"), finding["rule"])
        verdict = verdicts.get(key)
        if verdict is None:
            score.unjudged += 1
            todo.append(finding)
            continue
        counts = score.by_rule.setdefault(finding["rule"], [0, 0])
        if verdict:
            score.true += 1
            counts[0] += 1
        else:
            score.false += 1
            counts[1] += 1
    for defect in defects:
        hit = any(
            f["path"] == defect["path"] and any(abs(line - defect["line"]) <= 1 for line in _lines_of(f))
            for f in on_pages
        )
        kind = score.by_kind.setdefault(str(defect.get("kind", "other")), [0, 0])
        if hit:
            score.found += 1
            kind[0] += 1
        else:
            score.missed += 1
            kind[1] += 1
    return score, todo


def _lines_of(finding: dict[str, Any]) -> list[int]:
    """The lines a finding is at: its own (through its `end_line`, for a stretch) and those
    where the same cause shows."""
    line, end = finding.get("line"), finding.get("end_line")
    own = list(range(line, (end or line) + 1)) if line is not None else []
    return own + [int(line) for line in finding.get("related") or ()]
