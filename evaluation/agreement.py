"""How far two labellers agree on the same pages: the ceiling for discover's and lint's figures.

A second labeller labels the pages of a handbook blind (``agreement/<handbook>.yaml``,
written as LABELLING.md says, without seeing the first labels or the tool's output). Scored
against the first labels as the tool is, the second labeller's precision and recall are what
a careful person reaches on lists nobody agreed on beforehand; Cohen's kappa says how much of
the agreement is more than chance. Where both noted structural defects, how many of each
reader's the other found (within a line, as lint's recall counts) is the ceiling for lint's
recall: a defect one careful reader sees and another does not.

    python evaluation/agreement.py [handbook ...]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from score import POSITIVE, Counts, match_by_line

HERE = Path(__file__).resolve().parent


@dataclass
class Agreement:
    """The second labeller's verdicts scored against the first's, numbered and bulleted apart."""

    numbered: Counts = field(default_factory=Counts)
    bulleted: Counts = field(default_factory=Counts)
    #: lists only one of the two labelled (a list boundary read differently)
    unmatched: int = 0
    #: structural defects: (the first reader's the second also noted, the first reader's)
    first_defects: tuple[int, int] = (0, 0)
    #: (the second reader's the first also noted, the second reader's)
    second_defects: tuple[int, int] = (0, 0)

    def __iadd__(self, other: Agreement) -> Agreement:
        self.numbered += other.numbered
        self.bulleted += other.bulleted
        self.unmatched += other.unmatched
        self.first_defects = _add(self.first_defects, other.first_defects)
        self.second_defects = _add(self.second_defects, other.second_defects)
        return self


def _add(one: tuple[int, int], other: tuple[int, int]) -> tuple[int, int]:
    return one[0] + other[0], one[1] + other[1]


def noted_by_both(
    first: Sequence[dict[str, Any]], second: Sequence[dict[str, Any]], slack: int = 1
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Of each reader's structural defects, how many the other noted at the same place (the
    same path, within ``slack`` lines, whatever kind each called it): (found, of) for the
    first reader's, then for the second's."""

    def seen(defect: dict[str, Any], others: Sequence[dict[str, Any]]) -> bool:
        return any(
            other["path"] == defect["path"] and abs(int(other["line"]) - int(defect["line"])) <= slack
            for other in others
        )

    return (
        (sum(seen(defect, second) for defect in first), len(first)),
        (sum(seen(defect, first) for defect in second), len(second)),
    )


def agreement(first: Sequence[dict[str, Any]], second: Sequence[dict[str, Any]]) -> Agreement:
    """Match the second labeller's lists to the first's by path and line (as the tool's are)
    and count where their verdicts (a procedure or checklist, or not) agree."""
    pairs, leftover = match_by_line(first, second)
    result = Agreement(unmatched=len(leftover))
    for label, other in pairs:
        if other is None:
            result.unmatched += 1
            continue
        counts = result.numbered if label["kind"] == "numbered" else result.bulleted
        counts.add(label["verdict"] in POSITIVE, other["verdict"] in POSITIVE)
    return result


def kappa(counts: Counts) -> float | None:
    """Cohen's kappa of two raters' yes/no verdicts: 1 is full agreement, 0 what chance gives."""
    total = counts.total
    if not total:
        return None
    observed = (counts.tp + counts.tn) / total
    first_yes = (counts.tp + counts.fn) / total
    second_yes = (counts.tp + counts.fp) / total
    chance = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    return None if chance == 1 else (observed - chance) / (1 - chance)


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _share(pair: tuple[int, int]) -> str:
    found, of = pair
    return "-" if not of else f"{found / of:.2f} ({found} of {of})"


def table(rows: list[tuple[str, Agreement]]) -> str:
    lines = [
        "| handbook | lists matched | numbered P / R, kappa | bulleted P / R, kappa | read as another list "
        "| first reader's defects the second noted | second reader's defects the first noted |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, found in rows:
        cells = [
            f"{_figure(c.precision)} / {_figure(c.recall)}, {_figure(kappa(c))} ({c.total})"
            if c.total
            else "-"
            for c in (found.numbered, found.bulleted)
        ]
        matched = found.numbered.total + found.bulleted.total
        lines.append(
            f"| {name} | {matched} | {cells[0]} | {cells[1]} | {found.unmatched} "
            f"| {_share(found.first_defects)} | {_share(found.second_defects)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("handbooks", nargs="*", help="handbooks with a second labelling (default: all)")
    args = parser.parse_args(argv)
    seconds = sorted((HERE / "agreement").glob("*.yaml"))
    if args.handbooks:
        seconds = [path for path in seconds if path.stem in args.handbooks]
    rows: list[tuple[str, Agreement]] = []
    total = Agreement()
    for path in seconds:
        second = yaml.safe_load(path.read_text("utf-8"))
        first = yaml.safe_load((HERE / "labels" / path.name).read_text("utf-8"))
        pages = set(first["pages"]) & set(second["pages"])
        found = Agreement()
        if second.get("lists") is not None:  # a second reader who labelled the lists
            found = agreement(
                [x for x in first["lists"] if x["path"] in pages],
                [x for x in second["lists"] if x["path"] in pages],
            )
        if second.get("defects") is not None:  # a second reader who noted defects
            found.first_defects, found.second_defects = noted_by_both(
                [x for x in first.get("defects") or () if x["path"] in pages],
                [x for x in second["defects"] if x["path"] in pages],
            )
        rows.append((path.stem, found))
        total += found
    if len(rows) > 1:
        rows.append(("**all**", total))
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
