"""Loaded by the Python of a benchmarked build (``PYTHONPATH``) when
``INCIDENT_BENCH_GC_RECORD`` names a file: appends one line per full garbage collection,
``<pid> <seconds>``, from the build's process and from every ``-j`` writer forked from it.

Half of a large build's time can be full collections, whose number moves from run to run of
the same code (the order of sets and dictionaries changes with each process's hash seed, and
with it when the collector runs): counted, a pair of builds says how much of its difference
is that.
"""

import gc
import os
import time

_RECORD = os.environ.get("INCIDENT_BENCH_GC_RECORD")

if _RECORD:
    _started = [0.0]

    def _time_full_collections(phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            _started[0] = time.perf_counter()
            return
        seconds = time.perf_counter() - _started[0]
        with open(_RECORD, "a", encoding="ascii") as record:
            record.write(f"{os.getpid()} {seconds:.6f}\n")

    gc.callbacks.append(_time_full_collections)
