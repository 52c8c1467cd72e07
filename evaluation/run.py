"""The evaluation on real public handbooks: discover, the model and lint against labels made by hand.

Usage::

    python evaluation/run.py --checkouts DIR [--only NAME ...] [--results evaluation/results.md]

``DIR/<handbook>`` is a clone of the handbook's repository (see
``evaluation/README.md``); the labelled commit is read from it with ``git
archive``, so the clone may be at any commit and need not have a work tree.
For each handbook in ``evaluation/labels/`` this prepares a Sphinx source
folder (:mod:`prepare`), runs ``sphinx-incident discover`` and ``lint`` on it
as a new user would (no configuration beyond the extensions), declares the
labelled procedures' sections and builds their step list, and scores all of
it against the labels (:mod:`score`). Findings not judged yet are written to
``<workdir>/<handbook>/unjudged.yaml`` for someone to judge by reading the source.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from prepare import Prepared, prepare  # noqa: E402
from score import (  # noqa: E402
    AgreeScore,
    Counts,
    DiscoverScore,
    ExactScore,
    LintScore,
    calibration_table,
    expected_sections,
    match_by_line,
    reliability_table,
    score_agreement,
    score_discover,
    score_exact,
    score_lint,
)

MYST_EXTENSIONS = ["colon_fence", "deflist", "tasklist", "attrs_inline", "fieldlist", "dollarmath",
                   "substitution", "html_admonition", "html_image"]  # fmt: skip


def conf_py(name: str, root_doc: str, runbooks: list[str] | None = None) -> str:
    """The conf.py a new user would write: the handbook's markups, the extension, nothing tuned."""
    text = f"""\
        import sys
        sys.path.insert(0, {str(HERE)!r})
        project = {name!r}
        root_doc = {root_doc!r}
        extensions = ["myst_parser", "sphinx_design", "sphinx.ext.todo", "sphinx_incident", "stubs"]
        source_suffix = {{".rst": "restructuredtext", ".md": "markdown"}}
        myst_enable_extensions = {MYST_EXTENSIONS!r}
        myst_heading_anchors = 3
        exclude_patterns = ["_build", "**/node_modules", "**/.git"]
        """
    if runbooks is not None:
        text += f"incident_runbooks = {runbooks!r}\n"
    return textwrap.dedent(text)


#: the page made for handbooks whose folder has no front page (Sphinx needs one)
MADE_ROOT = "evaluation-root"


def _root_doc(srcdir: Path) -> str:
    for candidate in ("index.md", "index.rst", "_index.md", "README.md"):
        if (srcdir / candidate).is_file():
            return candidate.rsplit(".", 1)[0]
    (srcdir / f"{MADE_ROOT}.md").write_text("# Pages\n\n```{toctree}\n:glob:\n\n*\n```\n", "utf-8")
    return MADE_ROOT


def _command() -> list[str]:
    script = Path(sys.executable).with_name("sphinx-incident")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sphinx_incident"]


def _run_json(args: list[str], log: Path) -> Any:
    result = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    log.write_text(result.stderr, "utf-8")
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(args)} exited {result.returncode}; see {log}")
    return json.loads(result.stdout or "[]")


def _with_repo_paths(items: list[dict[str, Any]], prepared: Prepared, key: str) -> list[dict[str, Any]]:
    """Paths as the labels write them: relative to the repository (the tool's are relative to the
    source folder, or to the working folder for lint)."""
    srcdir = prepared.srcdir.resolve()
    for item in items:
        path = Path(str(item.get(key) or ""))
        if path.is_absolute() or (Path.cwd() / path).resolve().is_relative_to(srcdir):
            resolved = path if path.is_absolute() else (Path.cwd() / path).resolve()
            if resolved.is_relative_to(srcdir):
                path = resolved.relative_to(srcdir)
        item["path"] = prepared.repo_path(path.as_posix())
    return items


@dataclass
class Result:
    name: str
    half: str
    generator: str
    lists: int = 0
    discover: DiscoverScore = field(default_factory=DiscoverScore)
    exact: ExactScore = field(default_factory=ExactScore)
    agree: AgreeScore = field(default_factory=AgreeScore)
    lint: LintScore = field(default_factory=LintScore)


def evaluate(labels: dict[str, Any], checkout: Path, workdir: Path) -> Result:
    """Run the tool on one handbook, keep what it said in ``workdir``, and score it."""
    name = labels["handbook"]
    work = workdir / name
    work.mkdir(parents=True, exist_ok=True)
    prepared = prepare(checkout, labels["commit"], labels["root"], labels["generator"], work, "")
    srcdir = prepared.srcdir
    root_doc = _root_doc(srcdir)
    (srcdir / "conf.py").write_text(conf_py(name, root_doc), "utf-8")
    pages = labels["pages"]
    lists = labels["lists"]

    found = _run_json(
        [*_command(), "discover", str(srcdir), "--format", "json", "--all"], work / "discover.log"
    )
    # the labels are lists: steps written as numbered paragraphs are measured by lint's recall
    found = [
        item for item in _with_repo_paths(found, prepared, "source") if item.get("form", "list") == "list"
    ]
    (work / "found.json").write_text(json.dumps(found, indent=1), "utf-8")

    findings = _run_json(
        [*_command(), "lint", str(srcdir), "--scope", "discovered", "--format", "json", "--no-cache"],
        work / "lint.log",
    )["problems"]
    findings = _with_repo_paths(findings, prepared, "path")
    (work / "findings.json").write_text(json.dumps(findings, indent=1, sort_keys=True), "utf-8")

    pairs, _ = match_by_line(lists, [item for item in found if item["path"] in set(pages)])
    declared = sorted(
        entry
        for entry, members in expected_sections(pairs).items()
        if any(m["verdict"] != "not" for m in members)
    )
    (srcdir / "conf.py").write_text(conf_py(name, root_doc, declared), "utf-8")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "runbooks", "-E", str(srcdir), str(work / "runbooks")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return score(labels, workdir)


def score(labels: dict[str, Any], workdir: Path) -> Result:
    """Score what the tool said on one handbook (kept in ``workdir`` by :func:`evaluate`)
    against its labels: after judging findings, ``--rescore`` counts them without a new run."""
    work = workdir / labels["handbook"]
    pages = labels["pages"]
    lists = labels["lists"]
    result = Result(labels["handbook"], labels.get("half", "tune"), labels["generator"], lists=len(lists))
    found = json.loads((work / "found.json").read_text("utf-8"))
    result.discover = score_discover(lists, found, pages)
    findings = json.loads((work / "findings.json").read_text("utf-8"))
    result.lint, todo = score_lint(findings, labels.get("findings") or [], labels.get("defects") or [], pages)
    (work / "unjudged.yaml").write_text(
        yaml.safe_dump(
            [{k: f.get(k) for k in ("path", "line", "rule", "severity", "message")} for f in todo],
            sort_keys=False,
            allow_unicode=True,
        ),
        "utf-8",
    )
    pairs, _ = match_by_line(lists, [item for item in found if item["path"] in set(pages)])
    sections = expected_sections(pairs)
    step_list_path = work / "runbooks" / "runbooks.json"
    step_list = json.loads(step_list_path.read_text("utf-8")) if step_list_path.exists() else {}
    by_entry = {str(r.get("label")): r for r in step_list.get("runbooks", []) if r.get("label")}
    result.exact = score_exact(sections, by_entry)
    result.agree = score_agreement(found, by_entry)
    return result


# -- the report ------------------------------------------------------------------------------------


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _pr(counts: Counts) -> str:
    return f"{_ratio(counts.precision)} / {_ratio(counts.recall)} ({counts.tp + counts.fn} of {counts.total})"


def report(results: list[Result], measured_at: str) -> str:
    lines = [
        f"Measured at {measured_at}.",
        "",
        "| handbook | half | source | lists | discover numbered P / R (procedures of lists) "
        "| discover bulleted P / R | not reported / not labelled | modelled exactly "
        "| lint P (true of judged) | lint R (defects) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    halves: dict[str, Result] = {}
    for result in results:
        lines.append(_row(result))
        total = halves.setdefault(result.half, Result(f"**{result.half} half**", result.half, ""))
        total.lists += result.lists
        total.discover += result.discover
        total.exact += result.exact
        total.agree += result.agree
        total.lint += result.lint
    for half in sorted(halves):
        lines.append(_row(halves[half]))
    lines += [
        "",
        "What discover offers and what declaring it gives (every list discover takes for a procedure "
        "whose entry the run declared, on any page of the handbook: does its first item start a step "
        "of that entry's runbook?):",
        "",
        "| half | lists offered | in their runbook | share |",
        "|---|---|---|---|",
    ]
    for half in sorted(halves):
        agree = halves[half].agree
        lines.append(f"| {half} | {agree.offered} | {agree.held} | {_ratio(agree.share)} |")
    lines += ["", "Calibration of discover's confidence (every labelled list, both halves apart):", ""]
    for half in sorted(halves):
        points = halves[half].discover.calibration
        lines += [
            f"*{half} half*",
            "",
            "| confidence ≥ | lists | share that are procedures |",
            "|---|---|---|",
        ]
        lines += [f"| {cut:.1f} | {n} | {_ratio(share)} |" for cut, n, share in calibration_table(points)]
        lines += ["", "| band | lists | mean confidence | share that are procedures |", "|---|---|---|---|"]
        lines += [
            f"| {low:.1f} to {high:.1f} | {n} | {_ratio(mean)} | {_ratio(share)} |"
            for low, high, n, mean, share in reliability_table(points)
        ]
        lines.append("")
    lines += [
        "Lint findings by rule (true / false, judged; precision):",
        "",
        "| rule | true | false | precision |",
        "|---|---|---|---|",
    ]
    rules: dict[str, list[int]] = {}
    kinds: dict[str, list[int]] = {}
    for result in results:
        for rule, (t, f) in result.lint.by_rule.items():
            mine = rules.setdefault(f"{rule} ({result.half})", [0, 0])
            mine[0] += t
            mine[1] += f
        for kind, (hit, miss) in result.lint.by_kind.items():
            mine = kinds.setdefault(f"{kind} ({result.half})", [0, 0])
            mine[0] += hit
            mine[1] += miss
    lines += [
        f"| {rule} | {t} | {f} | {_ratio(t / (t + f) if t + f else None)} |"
        for rule, (t, f) in sorted(rules.items())
    ]
    lines += [
        "",
        "Labelled structural defects by kind (found / missed; recall):",
        "",
        "| kind | found | missed | recall |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {kind} | {hit} | {miss} | {_ratio(hit / (hit + miss) if hit + miss else None)} |"
        for kind, (hit, miss) in sorted(kinds.items())
    ]
    return "\n".join(lines) + "\n"


def _row(result: Result) -> str:
    lint = result.lint
    # the counts as well as the ratio: 148 of 165 shows as 0.90 and is short of it
    judged = f"{_ratio(lint.precision)} ({lint.true} of {lint.true + lint.false}" + (
        f", {lint.unjudged} unjudged)" if lint.unjudged else ")"
    )
    return (
        f"| {result.name} | {result.half} | {result.generator} | {result.lists} "
        f"| {_pr(result.discover.numbered)} | {_pr(result.discover.bulleted)} "
        f"| {result.discover.unseen} / {result.discover.unlabelled} "
        f"| {_ratio(result.exact.share)} ({result.exact.exact} of {result.exact.procedures}) "
        f"| {judged} | {_ratio(lint.recall)} ({lint.found} of {lint.found + lint.missed}) |"
    )


#: the commit of the tool a handbook's outputs (in its working folder) come from
COMMIT_FILE = "commit.txt"


def _this_commit() -> str:
    return subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True
    ).stdout.strip()


def _ran_at(workdir: Path, handbook: str) -> str:
    """The commit a handbook's outputs were made at: kept beside them by the run that made
    them (a run with ``--only`` remakes only some), else by the whole run (older runs kept one
    file for the folder)."""
    for kept in (workdir / handbook / COMMIT_FILE, workdir / COMMIT_FILE):
        if kept.is_file():
            return kept.read_text("utf-8").strip()
    return "unknown"


def _measured_at(commits: dict[str, str]) -> str:
    """The commit (or commits, each with its handbooks) the scored outputs were made at."""
    by_commit: dict[str, list[str]] = {}
    for handbook, commit in sorted(commits.items()):
        by_commit.setdefault(commit, []).append(handbook)
    if len(by_commit) <= 1:
        return f"commit `{next(iter(by_commit), _this_commit())}`"
    # the commit most handbooks were run at, then each other one with the handbooks it made
    ordered = sorted(by_commit.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    most, others = ordered[0][0], ordered[1:]
    return f"commit `{most}`, " + ", ".join(f"`{commit}` for {', '.join(names)}" for commit, names in others)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkouts", type=Path, required=True, help="folder of clones, one per handbook")
    parser.add_argument("--labels", type=Path, default=HERE / "labels")
    parser.add_argument("--workdir", type=Path, default=HERE / ".work")
    parser.add_argument("--only", nargs="*", default=None, help="handbooks to evaluate (default: all)")
    parser.add_argument("--half", choices=("tune", "held-out"), default=None)
    parser.add_argument("--results", type=Path, default=None, help="write the Markdown tables here")
    parser.add_argument(
        "--rescore",
        action="store_true",
        help="score the last run's outputs (in --workdir) again, after judging findings; run nothing",
    )
    args = parser.parse_args(argv)
    results = []
    commits: dict[str, str] = {}  # a rescore scores what each run said: named by its commit
    for path in sorted(args.labels.glob("*.yaml")):
        labels = yaml.safe_load(path.read_text("utf-8"))
        if args.only and labels["handbook"] not in args.only:
            continue
        if args.half and labels.get("half") != args.half:
            continue
        if args.rescore:
            if not (args.workdir / labels["handbook"] / "found.json").exists():
                print(f"{labels['handbook']}: not run yet, nothing to score", file=sys.stderr)
                continue
            results.append(score(labels, args.workdir))
            commits[labels["handbook"]] = _ran_at(args.workdir, labels["handbook"])
            continue
        checkout = args.checkouts / labels["handbook"]
        if not checkout.exists():
            print(f"{labels['handbook']}: no clone at {checkout}; see evaluation/README.md", file=sys.stderr)
            continue
        print(f"{labels['handbook']}: evaluating", file=sys.stderr)
        results.append(evaluate(labels, checkout, args.workdir))
        commits[labels["handbook"]] = _this_commit()
        (args.workdir / labels["handbook"] / COMMIT_FILE).write_text(
            commits[labels["handbook"]] + "\n", "utf-8"
        )
    text = report(results, _measured_at(commits))
    if args.results:
        args.results.write_text(text, "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
