"""Fit the weights of discover's classifier on hand-labelled lists: the tuning half only.

Usage::

    python evaluation/fit_discover.py --checkouts DIR [--write]

Every list of the tuning half of the evaluation (``half: tune``) and of the
project's own discovery corpus (``tests/corpus/discovery``) is read as
``discover`` reads it; its signals (:func:`sphinx_incident.reading.classify.signals`)
and its label make one example. A logistic model with an L2 penalty is fitted
by Newton's method; the penalty is the one that predicts best when each
handbook in turn is left out (its log-likelihood on the left-out lists). The
held-out half is never read here. With ``--write`` the fitted weights replace
:data:`~sphinx_incident.reading.weights.WEIGHTS` in that module's source.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

from prepare import prepare  # noqa: E402
from run import _root_doc, conf_py  # noqa: E402
from score import POSITIVE, match_by_line  # noqa: E402

from sphinx_incident.commands.handbook import read_handbook  # noqa: E402
from sphinx_incident.reading import weights as fitted_weights  # noqa: E402

Example = tuple[dict[str, float], int, str]

#: what each signal is expected to weigh before any data is seen (a judgement): the fit is
#: drawn towards these, so a signal the tuning lists rarely show (a timeline's times, a
#: changelog's versions) keeps the weight it should have rather than none
PRIORS: dict[str, float] = {
    "bias": -1.0,
    "instructions": 3.0,
    "ticks": 1.5,
    "states": 1.0,
    "titled": 0.4,
    "definitions": -1.5,
    "links": -2.5,
    "opens_with_link": -0.5,
    "values": -1.5,
    "settings": -1.5,
    "people_dates": -1.5,
    "times": -1.5,
    "questions": -1.5,
    "versions": -1.5,
    "descriptive": -1.0,
    "we_you": -0.5,
    "short": -0.8,
    "long": 0.3,
    "code": 0.6,
    "sublists": 0.3,
    "roles": 0.4,
    "single": -0.5,
    "numbered": 0.8,
    "heading_instruction": 0.6,
    "heading_version": -1.5,
    "advice": -1.0,
    "alternatives": -1.5,
    "labels": -0.5,
    "lead_needs": 0.8,
    "lead_can": -0.6,
    "lead_either": -0.6,
    "lead_choices": -1.5,
    "lead_one_of": -1.5,
    "lead_purpose": 0.5,
    "lead_names": -0.5,
    "says_steps": 0.8,
    "says_ready": 1.5,
    "says_links": -1.2,
    "says_facts": -1.0,
    "says_options": -1.0,
    "says_tips": -1.2,
    "says_minutes": -1.5,
    "says_retro": -1.5,
    "says_timeline": -1.5,
    "says_glossary": -1.2,
    "says_changelog": -1.5,
    "says_duties": -1.2,
    "says_ranked": -1.2,
    "page_report": -1.0,
    "outer_follow_ups": -1.5,
    "page_procedures": 0.5,
    "code_around": 0.3,
    "page_steps": 0.5,
    "page_checklist": 1.0,
    "page_instruction": 0.3,
    "page_changelog": -2.0,
}


def _discovered(srcdir: Path) -> list[Any]:
    found = read_handbook(
        srcdir, {"incident_lint_scope": "discovered"}, freshenv=True, discover=True
    ).discovered
    return [item for item in found if item.form == "list"]  # the labels are lists


def handbook_examples(labels: dict[str, Any], checkout: Path, workdir: Path) -> list[Example]:
    """(signals, 1 for a procedure, handbook) for every labelled list the tool finds."""
    prepared = prepare(checkout, labels["commit"], labels["root"], labels["generator"], workdir, "")
    (prepared.srcdir / "conf.py").write_text(conf_py(labels["handbook"], _root_doc(prepared.srcdir)), "utf-8")
    found = []
    for item in _discovered(prepared.srcdir):
        found.append({"path": prepared.repo_path(item.source), "line": item.line, "signals": item.signals})
    pages = set(labels["pages"])
    pairs, _ = match_by_line(labels["lists"], [f for f in found if f["path"] in pages])
    return [
        (item["signals"], int(label["verdict"] in POSITIVE), labels["handbook"])
        for label, item in pairs
        if item
    ]


def corpus_examples() -> list[Example]:
    """The project's own discovery corpus, labelled when it was written."""
    corpus = PROJECT / "tests" / "corpus" / "discovery"
    expected = json.loads((corpus / "expected.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        srcdir = Path(tmp) / "src"
        shutil.copytree(corpus, srcdir, ignore=shutil.ignore_patterns("_build", "expected.json"))
        found = {(d.docname, d.line): d.signals for d in _discovered(srcdir)}
    return [
        (found[(item["doc"], item["line"])], int(item["verdict"] in POSITIVE), "corpus")
        for item in expected["lists"]
        if (item["doc"], item["line"]) in found
    ]


# -- the model ---------------------------------------------------------------------------------


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the systems here are a few dozen wide)."""
    n = len(vector)
    rows = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        if abs(rows[col][col]) < 1e-12:
            continue
        for r in range(n):
            if r != col and rows[r][col]:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] if abs(rows[i][i]) > 1e-12 else 0.0 for i in range(n)]


def fit(examples: list[Example], names: list[str], penalty: float, rounds: int = 30) -> list[float]:
    """Weights (bias first) of an L2-penalised logistic model, by Newton's method."""
    xs = [[1.0, *(signals.get(name, 0.0) for name in names)] for signals, _, _ in examples]
    ys = [y for _, y, _ in examples]
    width = len(names) + 1
    prior = [PRIORS.get("bias", 0.0), *(PRIORS.get(name, 0.0) for name in names)]
    weights = list(prior)
    for _ in range(rounds):
        gradient = [0.0] * width
        hessian = [[0.0] * width for _ in range(width)]
        for x, y in zip(xs, ys, strict=True):
            p = 1.0 / (1.0 + math.exp(-sum(w * v for w, v in zip(weights, x, strict=True))))
            for i in range(width):
                gradient[i] += (p - y) * x[i]
                if x[i]:
                    for j in range(width):
                        hessian[i][j] += p * (1 - p) * x[i] * x[j]
        for i in range(1, width):  # drawn towards the prior; the bias is free
            gradient[i] += penalty * (weights[i] - prior[i])
            hessian[i][i] += penalty
        hessian[0][0] += 1e-6
        step = _solve(hessian, gradient)
        weights = [w - s for w, s in zip(weights, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return weights


def log_likelihood(examples: list[Example], names: list[str], weights: list[float]) -> float:
    total = 0.0
    for signals, y, _ in examples:
        score = weights[0] + sum(w * signals.get(n, 0.0) for w, n in zip(weights[1:], names, strict=True))
        p = min(max(1.0 / (1.0 + math.exp(-score)), 1e-9), 1 - 1e-9)
        total += math.log(p if y else 1 - p)
    return total


def choose_penalty(examples: list[Example], names: list[str]) -> float:
    """The penalty that predicts each left-out handbook best."""
    groups = sorted({group for _, _, group in examples})
    best, best_score = 1.0, -math.inf
    for penalty in (0.1, 0.3, 1.0, 3.0, 10.0):
        score = 0.0
        for group in groups:
            train = [e for e in examples if e[2] != group]
            test = [e for e in examples if e[2] == group]
            score += log_likelihood(test, names, fit(train, names, penalty))
        print(f"penalty {penalty}: left-out log-likelihood {score:.1f}", file=sys.stderr)
        if score > best_score:
            best, best_score = penalty, score
    return best


def cross_validated(examples: list[Example], names: list[str], penalty: float) -> None:
    """Precision and recall when each handbook is predicted by weights fitted without it."""
    counts = {True: [0, 0, 0], False: [0, 0, 0]}  # numbered? -> tp, fp, fn
    for group in sorted({g for _, _, g in examples}):
        weights = fit([e for e in examples if e[2] != group], names, penalty)
        for signals, y, g in examples:
            if g != group:
                continue
            score = weights[0] + sum(w * signals.get(n, 0.0) for w, n in zip(weights[1:], names, strict=True))
            said = score >= 0
            row = counts[bool(signals.get("numbered"))]
            row[0] += said and bool(y)
            row[1] += said and not y
            row[2] += (not said) and bool(y)
    for numbered, (tp, fp, fn) in counts.items():
        kind = "numbered" if numbered else "bulleted"
        print(
            f"left-out {kind}: precision {tp / max(1, tp + fp):.2f}, recall {tp / max(1, tp + fn):.2f}",
            file=sys.stderr,
        )


def write_weights(weights: dict[str, float]) -> None:
    path = Path(fitted_weights.__file__)
    text = path.read_text("utf-8")
    body = "".join(f'    "{name}": {value:.2f},\n' for name, value in weights.items())
    text = re.sub(
        r"(WEIGHTS: dict\[str, float\] = \{\n)(.*?)(\n\})",
        lambda m: m.group(1) + body.rstrip("\n") + m.group(3),
        text,
        flags=re.S,
    )
    path.write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkouts", type=Path, required=True)
    parser.add_argument("--labels", type=Path, default=HERE / "labels")
    parser.add_argument("--workdir", type=Path, default=HERE / ".work" / "fit")
    parser.add_argument("--write", action="store_true", help="write the weights into weights.py")
    args = parser.parse_args(argv)
    examples = corpus_examples()
    for path in sorted(args.labels.glob("*.yaml")):
        labels = yaml.safe_load(path.read_text("utf-8"))
        if labels.get("half") != "tune":
            continue  # the held-out half is for measuring only
        checkout = args.checkouts / labels["handbook"]
        if not checkout.exists():
            print(f"{labels['handbook']}: no clone at {checkout}; see evaluation/README.md", file=sys.stderr)
            continue
        print(f"{labels['handbook']}: reading", file=sys.stderr)
        examples += handbook_examples(labels, checkout, args.workdir / labels["handbook"])
    names = [name for name in fitted_weights.WEIGHTS if name != "bias"]
    print(f"{len(examples)} lists, {sum(y for _, y, _ in examples)} procedures", file=sys.stderr)
    penalty = choose_penalty(examples, names)
    cross_validated(examples, names, penalty)
    weights = fit(examples, names, penalty)
    fitted = {"bias": weights[0], **dict(zip(names, weights[1:], strict=True))}
    for name, value in fitted.items():
        print(f"{name:22} {value:+.2f}")
    if args.write:
        write_weights(fitted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
