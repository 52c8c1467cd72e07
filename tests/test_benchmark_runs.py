"""The benchmark's measure of one run: wall time, and processor time a busy machine does not lengthen."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load_run() -> object:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("bench_run", BENCHMARKS / "run.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_run"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


run = _load_run()

BUSY = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"
# a -j N build's writers are processes the build waits for: their time is the build's
BUSY_CHILD = (
    "import os, time\npid = os.fork()\n"
    "if pid == 0:\n    end = time.process_time() + 0.3\n"
    "    while time.process_time() < end: pass\n    os._exit(0)\n"
    "os.waitpid(pid, 0)\n"
)


def test_processor_time_counts_work_not_waiting_and_includes_the_processes_waited_for() -> None:
    waiting = run.run_measured([sys.executable, "-c", "import time; time.sleep(0.4)"])  # type: ignore[attr-defined]
    working = run.run_measured([sys.executable, "-c", BUSY])  # type: ignore[attr-defined]
    forked = run.run_measured([sys.executable, "-c", BUSY_CHILD])  # type: ignore[attr-defined]
    assert waiting.elapsed >= 0.4 and waiting.cpu < 0.2
    assert working.cpu >= 0.3
    assert forked.cpu >= 0.3
    assert waiting.peak_kib > 0
    if Path("/proc/stat").exists():
        assert waiting.steal is not None and waiting.steal >= 0


COLLECTING = (
    "import gc, os\ngc.collect()\npid = os.fork()\n"
    "if pid == 0:\n    gc.collect()\n    gc.collect(0)\n    os._exit(0)\n"
    "os.waitpid(pid, 0)\n"
)


def test_a_build_s_full_collections_are_counted_in_every_process_it_forks(tmp_path: Path) -> None:
    record = tmp_path / "gc.txt"
    run.run_measured([sys.executable, "-c", COLLECTING], gc_record=record)  # type: ignore[attr-defined]
    count, seconds = run.full_collections(record)  # type: ignore[attr-defined]
    # one in the process, one in its fork (a young collection is not counted); maybe one at exit
    assert count >= 2
    assert len({line.split()[0] for line in record.read_text().splitlines()}) == 2
    assert seconds >= 0


HASHING = "import sys\nopen(sys.argv[1], 'w').write(str(hash('runbook')))\n"


def test_both_builds_of_a_seeded_pair_hash_alike_and_another_seed_hashes_otherwise(tmp_path: Path) -> None:
    def hashed(seed: int) -> str:
        out = tmp_path / f"hash-{seed}.txt"
        run.run_measured([sys.executable, "-c", HASHING, str(out)], hash_seed=seed)  # type: ignore[attr-defined]
        return out.read_text()

    first = hashed(3)
    assert hashed(3) == first
    assert hashed(4) != first
