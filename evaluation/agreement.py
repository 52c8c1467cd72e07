"""How far two labellers agree on the same pages: the ceiling for discover's figures.

A second labeller labels the pages of a handbook blind (``agreement/<handbook>.yaml``,
written as LABELLING.md says, without seeing the first labels or the tool's output). Scored
against the first labels as the tool is, the second labeller's precision and recall are what
a careful person reaches on lists nobody agreed on beforehand; Cohen's kappa says how much of
the agreement is more than chance.

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

    def __iadd__(self, other: Agreement) -> Agreement:
        self.numbered += other.numbered
        self.bulleted += other.bulleted
        self.unmatched += other.unmatched
        return self


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


def table(rows: list[tuple[str, Agreement]]) -> str:
    lines = [
        "| handbook | lists matched | numbered P / R, kappa | bulleted P / R, kappa | read as another list |",
        "|---|---|---|---|---|",
    ]
    for name, found in rows:
        cells = [
            f"{_figure(c.precision)} / {_figure(c.recall)}, {_figure(kappa(c))} ({c.total})"
            for c in (found.numbered, found.bulleted)
        ]
        matched = found.numbered.total + found.bulleted.total
        lines.append(f"| {name} | {matched} | {cells[0]} | {cells[1]} | {found.unmatched} |")
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
        found = agreement(
            [x for x in first["lists"] if x["path"] in pages],
            [x for x in second["lists"] if x["path"] in pages],
        )
        rows.append((path.stem, found))
        total += found
    if len(rows) > 1:
        rows.append(("**all**", total))
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
