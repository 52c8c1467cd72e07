"""Benchmark: what sphinx-incident costs on top of a plain Sphinx + MyST + sphinx-design build.

    .venv/bin/python benchmarks/run.py --pages 500 --runbooks 100 --steps 2000
    .venv/bin/python benchmarks/run.py --scaling      # extraction cost per step, 1x/4x/16x
    .venv/bin/python benchmarks/run.py --profile      # the extension's share of one build
    .venv/bin/python benchmarks/run.py --growth --sizes 500,1000,2000 --jobs 1,2 --repeat 3
        # whole builds, plain against the extension, as the handbook grows
    .venv/bin/python benchmarks/run.py --phases --pages 1000 --runbooks 200 --steps 4000 --jobs 2
        # one size, each build's time phase by phase, in the main process and the writers

Each variant is a fresh ``sphinx-build -E -q`` subprocess; variants are
interleaved within each repetition (so a busy machine slows them alike) and
the table reports the median wall time and the peak resident memory.
"""

from __future__ import annotations

import argparse
import compileall
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Size, write_handbook
from phases import summarise

BIN = Path(sys.executable).parent
SPHINX_BUILD = str(BIN / "sphinx-build")
INCIDENT_CLI = str(BIN / "sphinx-incident")


@dataclass
class Variant:
    name: str
    argv: list[str]
    times: list[float] = field(default_factory=list)
    peaks_kib: list[int] = field(default_factory=list)
    #: processor time of each run (:attr:`Measured.cpu`)
    cpu_times: list[float] = field(default_factory=list)
    #: processor time of each run less its full garbage collections (``--growth``)
    work_times: list[float] = field(default_factory=list)
    warnings: int = 0
    #: run (untimed) before each timed run: warms a cache, edits a page
    before: Any = None


@dataclass
class Measured:
    """One run of a command."""

    #: wall time (s)
    elapsed: float
    #: peak resident memory of the command or of any process it waited for (KiB, ``ru_maxrss``)
    peak_kib: int
    #: processor time, user and system, of the command and the processes it waited for
    #: (``-j N`` writers included): unlike wall time, not lengthened by a busy machine (s)
    cpu: float
    #: time the machine's processors waited for the host while it ran (Linux guests'
    #: ``steal`` in ``/proc/stat``, all processors together; ``None`` where there is none): a
    #: run with much of it was slowed by other work on the host, not by what it ran (s)
    steal: float | None
    stderr: str


def _steal() -> float | None:
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


#: counts the full garbage collections of a build (``sitecustomize`` there)
GC_RECORD = Path(__file__).resolve().parent / "gc_record"


def full_collections(record: Path) -> tuple[int, float]:
    """How many full collections a record of :data:`GC_RECORD` holds, and their seconds."""
    lines = record.read_text("ascii").split() if record.exists() else []
    return len(lines) // 2, sum(float(seconds) for seconds in lines[1::2])


def run_measured(argv: list[str], gc_record: Path | None = None, hash_seed: int | None = None) -> Measured:
    """Run a command and measure it (:class:`Measured`); a failure stops the benchmark.
    With ``gc_record``, its Python processes append their full collections there; with
    ``hash_seed``, they hash strings with that seed (``PYTHONHASHSEED``)."""
    env = None
    if gc_record is not None or hash_seed is not None:
        env = dict(os.environ)
    if gc_record is not None:
        gc_record.unlink(missing_ok=True)
        path = os.pathsep.join(p for p in (str(GC_RECORD), os.environ.get("PYTHONPATH", "")) if p)
        env |= {"PYTHONPATH": path, "INCIDENT_BENCH_GC_RECORD": str(gc_record)}
    if hash_seed is not None:
        env |= {"PYTHONHASHSEED": str(hash_seed)}
    with tempfile.TemporaryFile() as err:
        steal_before = _steal()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        steal_after = _steal()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    steal = steal_after - steal_before if steal_before is not None and steal_after is not None else None
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(elapsed, int(usage.ru_maxrss), cpu, steal, stderr)


def run_child(argv: list[str]) -> tuple[float, int, str]:
    """Run a command; its wall time, peak RSS in KiB (``ru_maxrss``) and stderr."""
    run = run_measured(argv)
    return run.elapsed, run.peak_kib, run.stderr


def lint_available() -> bool:
    """``sphinx-incident lint`` lights up once the command exists."""
    try:
        done = subprocess.run([INCIDENT_CLI, "lint", "--help"], capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def variants(root: Path, src: Path) -> list[Variant]:
    def build(builder: str, conf: str, out: str) -> list[str]:
        return [SPHINX_BUILD, "-E", "-q", "-b", builder, "-c", str(root / conf), str(src), str(root / out)]

    found = [
        Variant("html plain", build("html", "conf-plain", "out-plain")),
        Variant("html + sphinx-incident", build("html", "conf-incident", "out-incident")),
        Variant("runbooks builder", build("runbooks", "conf-incident", "out-runbooks")),
    ]
    if lint_available():
        # lint reads the handbook's own conf.py: give it a copy of the incident one
        shutil.copy(root / "conf-incident" / "conf.py", src / "conf.py")
        cache = root / "lint-cache"
        lint = [INCIDENT_CLI, "lint", str(src), "--cache-dir", str(cache)]
        page = next(iter(sorted((src / "runbooks").glob("*.md"))))
        edits = iter(range(1_000_000))

        def warm() -> None:
            run_child(lint)  # a lint that leaves the cache up to date

        def edit_one_page() -> None:
            warm()
            text = page.read_text("utf-8").split("\n<!-- edit ")[0]
            page.write_text(f"{text}\n<!-- edit {next(edits)} -->\n", "utf-8")

        found += [
            Variant("lint, cold (--no-cache)", [INCIDENT_CLI, "lint", str(src), "--no-cache"]),
            Variant("lint, warm (no change)", lint, before=warm),
            Variant("lint after a one-page edit", lint, before=edit_one_page),
            Variant("discover", [INCIDENT_CLI, "discover", str(src)]),
        ]
    return found


def compile_package() -> None:
    """Byte-compile the extension, as installing its wheel does: a checkout installed in
    editable mode under ``PYTHONDONTWRITEBYTECODE`` would compile it again in every build,
    which Sphinx and the other packages, installed from wheels, never pay."""
    import sphinx_incident

    compileall.compile_dir(str(Path(sphinx_incident.__file__).parent), quiet=1)


def compare(size: Size, repeat: int, root: Path) -> None:
    compile_package()
    src = write_handbook(root, size)
    print(
        f"handbook ({size.shape}): {size.pages} pages, {size.runbooks} runbooks, {size.steps} steps, "
        f"{size.terms} terms, {size.roles} roles; {repeat} repetitions, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    todo = variants(root, src)
    for round_ in range(repeat):
        # rotate the order so no variant always runs first on a cold cache
        order = todo[round_ % len(todo) :] + todo[: round_ % len(todo)]
        for variant in order:
            if variant.before is not None:
                variant.before()
            elapsed, peak, stderr = run_child(variant.argv)
            variant.times.append(elapsed)
            variant.peaks_kib.append(peak)
            variant.warnings = stderr.count("WARNING")
        print(f"  round {round_ + 1}/{repeat} done", file=sys.stderr, flush=True)
    base = todo[0]
    base_time = statistics.median(base.times)
    base_peak = max(base.peaks_kib)
    print()
    header = f"{'variant':<24} {'median s':>9} {'min s':>7} {'x plain':>8}"
    print(f"{header} {'peak MiB':>9} {'x plain':>8} {'warn':>5}")
    for variant in todo:
        median = statistics.median(variant.times)
        peak = max(variant.peaks_kib)
        print(
            f"{variant.name:<24} {median:>9.2f} {min(variant.times):>7.2f} {median / base_time:>8.3f} "
            f"{peak / 1024:>9.1f} {peak / base_peak:>8.3f} {variant.warnings:>5}"
        )
    if len(todo) < 4:
        print("\n(sphinx-incident lint is not available in this install: skipped)")
    # lint exits 1 when the handbook has problems: the synthetic one has none


def growth(
    sizes: list[int], jobs: list[int], repeat: int, shape: str, root: Path, seeds: list[int] | None = None
) -> None:
    """The whole HTML build, plain against the extension, at each size and ``-j``: one
    runbook per five pages, 20 steps each. Plain Sphinx's own cost grows faster than the
    handbook on this shape (every page's sidebar lists every page), so a per-page cost of
    the extension that grew with the handbook would show as a ratio rising with the size.

    With ``seeds``, round *i* gives both builds of the pair hash seed ``seeds[i]``, so that
    the two differ by the extension alone, not also by the order of their sets and
    dictionaries of strings."""
    compile_package()
    python = sys.version.split()[0]
    seeded = f", hash seeds {', '.join(map(str, seeds))}" if seeds else ""
    print(f"{repeat} interleaved repetitions, {os.cpu_count()} CPUs, Python {python}, shape {shape}{seeded}")
    header = f"{'pages':>6} {'runbooks':>8} {'steps':>6} {'-j':>3} {'plain s':>8} {'with s':>8} {'x wall':>7}"
    print(f"{header} {'plain MiB':>9} {'with MiB':>9} {'x peak':>7} {'x cpu':>6} {'x no-gc':>7}", flush=True)
    for pages in sizes:
        runbooks = max(pages // 5, 1)
        size = Size(pages, runbooks, runbooks * 20, 50, 10, shape)
        here = root / f"growth-{pages}"
        src = write_handbook(here, size)
        for j in jobs:
            pair = [
                Variant(
                    name,
                    [
                        SPHINX_BUILD,
                        "-E",
                        "-q",
                        "-j",
                        str(j),
                        "-b",
                        "html",
                        "-c",
                        str(here / conf),
                        str(src),
                        str(here / out),
                    ],
                )
                for name, conf, out in (
                    ("plain", "conf-plain", "out-plain"),
                    ("with", "conf-incident", "out-incident"),
                )
            ]
            for round_ in range(repeat):
                steals = []
                collections: dict[str, tuple[int, float]] = {}
                for variant in pair[round_ % 2 :] + pair[: round_ % 2]:
                    record = here / f"gc-{variant.name}.txt"
                    seed = seeds[round_ % len(seeds)] if seeds else None
                    run = run_measured(variant.argv, gc_record=record, hash_seed=seed)
                    variant.times.append(run.elapsed)
                    variant.peaks_kib.append(run.peak_kib)
                    variant.cpu_times.append(run.cpu)
                    steals.append(f"{run.steal:.1f}" if run.steal is not None else "-")
                    collections[variant.name] = full_collections(record)
                    variant.work_times.append(run.cpu - collections[variant.name][1])
                plain_run, with_run = (f"{v.times[-1]:.1f} s {v.peaks_kib[-1] / 1024:.0f} MiB" for v in pair)
                cpu = [v.cpu_times[-1] for v in pair]
                (plain_n, plain_s), (with_n, with_s) = collections["plain"], collections["with"]
                print(
                    f"  {pages} pages -j {j}, run {round_ + 1}{f' (seed {seed})' if seeds else ''}: "
                    f"plain {plain_run}, with {with_run}, "
                    f"x {pair[1].times[-1] / pair[0].times[-1]:.3f}; processor time {cpu[0]:.1f} s, "
                    f"{cpu[1]:.1f} s, x {cpu[1] / cpu[0]:.3f}; full collections {plain_n} ({plain_s:.1f} s), "
                    f"{with_n} ({with_s:.1f} s); processor time without them x "
                    f"{pair[1].work_times[-1] / pair[0].work_times[-1]:.3f}; "
                    f"stolen (s, in run order) {', '.join(steals)}",
                    file=sys.stderr,
                    flush=True,
                )
            plain, with_ = (statistics.median(v.times) for v in pair)
            plain_peak, with_peak = (statistics.median(v.peaks_kib) / 1024 for v in pair)
            plain_cpu, with_cpu = (statistics.median(v.cpu_times) for v in pair)
            plain_work, with_work = (statistics.median(v.work_times) for v in pair)
            print(
                f"{pages:>6} {runbooks:>8} {runbooks * 20:>6} {j:>3} {plain:>8.1f} {with_:>8.1f} "
                f"{with_ / plain:>7.3f} {plain_peak:>9.0f} {with_peak:>9.0f} {with_peak / plain_peak:>7.3f} "
                f"{with_cpu / plain_cpu:>6.3f} {with_work / plain_work:>7.3f}",
                flush=True,
            )
        shutil.rmtree(here, ignore_errors=True)


def phases(size: Size, jobs: int, repeat: int, root: Path) -> None:
    """One handbook built plain and with the extension, each build timed phase by phase, in
    the main process and in the ``-j`` writers (:mod:`phases`): where the extension's extra
    time goes, its own listeners apart from what Sphinx does more because of it."""
    compile_package()
    src = write_handbook(root, size)
    records: dict[str, list[dict[str, float]]] = {"plain": [], "with": []}
    walls: dict[str, list[float]] = {"plain": [], "with": []}
    order = [("plain", "conf-plain", "out-plain"), ("with", "conf-incident", "out-incident")]
    for round_ in range(repeat):
        for name, conf, out in order[round_ % 2 :] + order[: round_ % 2]:
            record = root / f"phases-{name}-{round_}.jsonl"
            record.unlink(missing_ok=True)
            argv = [sys.executable, str(Path(__file__).with_name("phases.py")), str(record)]
            argv += ["-E", "-q", "-j", str(jobs), "-b", "html", "-c", str(root / conf)]
            argv += [str(src), str(root / out)]
            elapsed, _peak, _stderr = run_child(argv)
            walls[name].append(elapsed)
            records[name].append(summarise(record))
    print(f"{size.pages} pages, {size.runbooks} runbooks, -j {jobs}, median of {repeat} interleaved runs (s)")
    print(f"{'':<64} {'plain':>8} {'with':>8} {'extra':>8}")
    plain_wall, with_wall = statistics.median(walls["plain"]), statistics.median(walls["with"])
    print(f"{'wall time':<64} {plain_wall:>8.2f} {with_wall:>8.2f} {with_wall - plain_wall:>+8.2f}")
    lines = sorted({line for run in records["plain"] + records["with"] for line in run}, key=_phase_order)
    for line in lines:
        plain, with_ = (statistics.median(r.get(line, 0.0) for r in records[n]) for n in ("plain", "with"))
        if max(plain, with_) < 0.005:
            continue  # a listener that costs nothing measurable
        if line.startswith("tracked objects"):  # counts, not seconds
            print(f"{line:<64} {plain:>8.0f} {with_:>8.0f} {with_ - plain:>+8.0f}")
            continue
        print(f"{line:<64} {plain:>8.2f} {with_:>8.2f} {with_ - plain:>+8.2f}")


def _phase_order(line: str) -> tuple[int, str]:
    first = ("build", "read", "resolve", "write", "full", "tracked", "finish", "extension", " ")
    return next((i for i, start in enumerate(first) if line.startswith(start)), len(first)), line


def _build_in_process(src: Path, root: Path, builder: str, around: Any = None) -> Any:
    """Build ``src`` with the extension's configuration inside this process; the app.

    ``around`` (a context manager factory, e.g. a profiler's) wraps the build itself.
    """
    from contextlib import nullcontext

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    with patch_docutils(src), docutils_namespace():
        app = Sphinx(
            src,
            root / "conf-incident",
            root / "out",
            root / "doctrees",
            builder,
            status=None,
            warning=io.StringIO(),
            freshenv=True,
        )
        with around() if around is not None else nullcontext():
            app.build()
    return app


# -- scaling: extraction alone, on the doctrees Sphinx stored ---------------


def _read_doctrees(size: Size, root: Path) -> tuple[object, list[tuple[object, object]]]:
    """Build a handbook in-process with the runbooks builder; its env and runbook roots."""
    from docutils import nodes

    from sphinx_incident.config import get_config
    from sphinx_incident.reading.declarations import find_declarations

    app = _build_in_process(write_handbook(root, size), root, "runbooks")
    env = app.env
    config = get_config(app.config)
    roots = []
    for docname in sorted(env.found_docs):
        if not docname.startswith("runbooks/"):
            continue
        doctree = env.get_doctree(docname)
        for decl in find_declarations(
            doctree, config.runbooks, env.metadata[docname], config.metadata_key, docname
        ):
            assert isinstance(decl.node, nodes.Element)
            roots.append((docname, decl))
    return app, roots


def _time_extraction(roots: list[tuple[object, object]], repeat: int) -> tuple[float, int]:
    from sphinx_incident.reading.extract import extract_runbook

    best = float("inf")
    steps = 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = 0
        for docname, decl in roots:
            model = extract_runbook(
                decl.node,
                runbook_id=decl.runbook_id,
                title=decl.title,
                docname=docname,
                source=docname + ".md",
                declared_by=decl.declared_by,
                label=decl.label,
            )
            count += sum(1 for _ in model.walk())
        best = min(best, time.perf_counter() - start)
        steps = count
    return best, steps


def _time_step_list(app: object, repeat: int) -> float:
    from sphinx_incident.rendering.builder import handbook_runbooks
    from sphinx_incident.rendering.step_list import document, dumps

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        dumps(document(handbook_runbooks(app), "bench"))
        best = min(best, time.perf_counter() - start)
    return best


def _time_checks(app: object, repeat: int) -> float:
    from sphinx_incident.checking.checks import check_runbook
    from sphinx_incident.rendering.builder import handbook_runbooks

    runbooks = handbook_runbooks(app)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for runbook in runbooks:
            check_runbook(runbook)
        best = min(best, time.perf_counter() - start)
    return best


def scaling(base: Size, repeat: int, root: Path) -> None:
    print("extraction (extract_runbook on stored doctrees), checks, step list JSON; best of", repeat)
    print(
        f"{'case':<28} {'steps':>7} {'extract ms':>11} {'us/step':>8} {'checks ms':>10} {'us/step':>8} "
        f"{'step list ms':>16} {'us/step':>8}"
    )
    per_runbook = max(base.steps // max(base.runbooks, 1), 1)
    cases = []
    for factor in (1, 4, 16):
        runbooks = base.runbooks * factor
        cases.append(
            (
                f"{factor}x ({runbooks} runbooks)",
                Size(runbooks + 3, runbooks, runbooks * per_runbook, base.terms, base.roles),
            )
        )
    cases.append(("one runbook of 5,000 steps", Size(4, 1, 5000, base.terms, base.roles)))
    for name, size in cases:
        app, roots = _read_doctrees(size, root / "scaling")
        elapsed, steps = _time_extraction(roots, repeat)
        checks = _time_checks(app, repeat)
        resolve = _time_step_list(app, repeat)
        print(
            f"{name:<28} {steps:>7} {elapsed * 1000:>11.1f} {elapsed / steps * 1e6:>8.1f} "
            f"{checks * 1000:>10.1f} {checks / steps * 1e6:>8.1f} "
            f"{resolve * 1000:>16.1f} {resolve / steps * 1e6:>8.1f}"
        )


# -- profile: the extension's share of one in-process HTML build ------------


def profile(size: Size, root: Path) -> None:
    profiler = cProfile.Profile()
    _build_in_process(write_handbook(root, size), root, "html", around=lambda: profiler)
    stats = pstats.Stats(profiler)
    total = max(v[3] for v in stats.stats.values())  # the build's cumulative time
    print(f"in-process HTML build: {total:.2f} s")
    for func, (_cc, _nc, _tt, cumulative, _callers) in sorted(
        stats.stats.items(), key=lambda item: -item[1][3]
    ):
        filename, _line, name = func
        if "sphinx_incident" in filename and name in {
            "collect_runbooks",
            "write_html_step_list",
            "resolve_xref",
            "check_labels",
            "extract_runbook",
            "run",
        }:
            print(f"  {Path(filename).name}:{name:<24} {cumulative:>7.3f} s  {cumulative / total:>6.1%}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats("sphinx_incident", 15)
    print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--runbooks", type=int, default=100)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--terms", type=int, default=50)
    parser.add_argument("--roles", type=int, default=10)
    parser.add_argument("--shape", choices=("compact", "long"), default="compact",
                        help="compact: short pages; long: long pages full of cross-references")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=5, help="repetitions (median reported)")
    parser.add_argument("--workdir", type=Path, help="where to write handbooks (default: a temporary folder)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--scaling", action="store_true", help="extraction cost per step at 1x, 4x, 16x")
    mode.add_argument("--profile", action="store_true", help="profile one in-process HTML build")
    mode.add_argument("--growth", action="store_true", help="whole builds at --sizes and --jobs")
    mode.add_argument("--phases", action="store_true", help="one size, each build timed phase by phase")
    parser.add_argument("--sizes", default="500,1000,2000", help="pages per handbook for --growth")
    parser.add_argument("--jobs", default="1,2", help="sphinx-build -j values for --growth")
    parser.add_argument("--seeds", help="--growth: PYTHONHASHSEED of each round, the same for both builds")
    args = parser.parse_args(argv)
    size = Size(args.pages, args.runbooks, args.steps, args.terms, args.roles, args.shape)
    with tempfile.TemporaryDirectory(prefix="incident-bench-") as tmp:
        root = args.workdir or Path(tmp)
        if args.scaling:
            scaling(size, args.repeat, root)
        elif args.profile:
            profile(size, root)
        elif args.growth:
            sizes = [int(n) for n in args.sizes.split(",")]
            jobs = [int(n) for n in args.jobs.split(",")]
            seeds = [int(n) for n in args.seeds.split(",")] if args.seeds else None
            growth(sizes, jobs, args.repeat, args.shape, root, seeds)
        elif args.phases:
            phases(size, int(args.jobs.split(",")[-1]), args.repeat, root / "phases")
        else:
            compare(size, args.repeat, root / "handbook")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
