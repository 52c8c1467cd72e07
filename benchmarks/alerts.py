"""Benchmark: ``sphinx-incident alerts`` on thousands of alerts against a built step list.

    .venv/bin/python benchmarks/alerts.py                 # 3,000 alerts, 300 runbooks
    .venv/bin/python benchmarks/alerts.py --alerts 10000 --profile

A synthetic handbook (:mod:`generate`) is built once into a step list; rule
files of the three shapes (Prometheus, PrometheusRule, Grafana) are written
with a mix of links as real repositories have them: most to steps and
runbooks that exist, some to renamed steps and moved pages, templated ones,
alerts without a link, many alerts sharing a URL. Each timed run is a fresh
``sphinx-incident alerts ... --coverage steps`` process (reading the rule
files, the step list, checking, printing); the figure is the median wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Size, write_handbook

BIN = Path(sys.executable).parent
BASE = "https://handbook.bench.test/"
#: goal: this many alerts checked within this many seconds
GOAL = (3000, 10.0)


def build_step_list(root: Path, runbooks: int) -> Path:
    """The synthetic handbook's ``runbooks.json``."""
    src = write_handbook(root / "handbook", Size(pages=runbooks + 20, runbooks=runbooks, steps=runbooks * 10))
    out = root / "site"
    subprocess.run(
        [str(BIN / "sphinx-build"), "-q", "-b", "runbooks", "-c", str(src.parent / "conf-incident"),
         "-D", f"html_baseurl={BASE}", str(src), str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    return out / "runbooks.json"


def link_for(index: int, runbooks: list[dict]) -> str | None:
    """The ``runbook_url`` of alert ``index``: a deterministic mix of what repositories hold."""
    runbook = runbooks[index % len(runbooks)]
    steps = runbook["steps"] or [{"anchor": runbook["anchor"]}]
    step = steps[(index // len(runbooks)) % len(steps)]
    kind = index % 20
    page = runbook["url"].partition("#")[0]
    if kind < 11:
        return step["url"] if "url" in step else page
    if kind < 14:
        return page
    if kind == 14:
        return f"{page}#{runbook['anchor']}--renamed-step-{index % 7}"
    if kind == 15:
        return page.replace("/rb", "/old-rb")
    if kind == 16:
        return BASE + "runbooks/{{ $labels.runbook }}.html"
    if kind == 17:
        return None
    if kind == 18:
        return page.replace("https://", "http://")
    return f"https://wiki.bench.test/alerts/{index % 50}"


def write_rules(folder: Path, alerts: int, runbooks: list[dict], per_file: int = 100) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for first in range(0, alerts, per_file):
        shape = (first // per_file) % 3
        lines: list[str] = []
        indent = "    " if shape == 1 else ""
        if shape == 1:
            lines += ["apiVersion: monitoring.coreos.com/v1", "kind: PrometheusRule",
                      "metadata:", f"  name: bench-{first}", "spec:", "  groups:"]  # fmt: skip
        else:
            lines += ["apiVersion: 1" if shape == 2 else "# rules", "groups:"]
        lines += [f"{indent}- name: group-{first}", f"{indent}  rules:"]
        for index in range(first, min(first + per_file, alerts)):
            name_key = "title" if shape == 2 else "alert"
            lines += [f"{indent}    - {name_key}: BenchAlert{index}", f"{indent}      expr: up == 0",
                      f"{indent}      labels:", f"{indent}        severity: page",
                      f"{indent}      annotations:",
                      f"{indent}        summary: alert {index} fired"]  # fmt: skip
            url = link_for(index, runbooks)
            if url is not None:
                lines.append(f'{indent}        runbook_url: "{url}"')
        (folder / f"rules-{first:05d}.yaml").write_text("\n".join(lines) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, default=GOAL[0])
    parser.add_argument("--runbooks", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--profile", action="store_true", help="print where one in-process run spends its time"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="alerts-bench-") as tmp:
        root = Path(tmp)
        step_list = build_step_list(root, args.runbooks)
        runbooks = json.loads(step_list.read_text("utf-8"))["runbooks"]
        write_rules(root / "rules", args.alerts, runbooks)
        command = ["alerts", str(root / "rules"), "--step-list", str(step_list), "--coverage", "steps"]
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = subprocess.run([str(BIN / "sphinx-incident"), *command], capture_output=True, text=True,
                                    check=False)  # fmt: skip
            times.append(time.perf_counter() - start)
            if result.returncode not in (0, 1):
                print(result.stderr, file=sys.stderr)
                return 2
        summary = result.stdout.strip().splitlines()[-1]
        median = statistics.median(times)
        print(f"{args.alerts} alerts, {len(runbooks)} runbooks: median {median:.2f} s of {args.repeat} runs "
              f"({', '.join(f'{t:.2f}' for t in times)})")  # fmt: skip
        print(f"  {summary}")
        if args.alerts >= GOAL[0]:
            rate = args.alerts / median
            print(f"  goal: {GOAL[0]} alerts in {GOAL[1]:.0f} s; {rate:.0f} alerts/s, "
                  f"{'met' if median * GOAL[0] / args.alerts <= GOAL[1] else 'NOT met'}")  # fmt: skip
        if args.profile:
            from sphinx_incident.commands import cli

            profiler = cProfile.Profile()
            out = io.StringIO()
            stdout, sys.stdout = sys.stdout, out
            try:
                profiler.runcall(cli.main, command)
            finally:
                sys.stdout = stdout
            stats = io.StringIO()
            pstats.Stats(profiler, stream=stats).sort_stats("cumulative").print_stats(25)
            print(stats.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
