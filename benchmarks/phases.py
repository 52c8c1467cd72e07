"""Where a whole ``sphinx-build`` spends its time, in the main process and in every ``-j``
writer: a timed build and the summary of its record.

    python benchmarks/phases.py RECORD [sphinx-build arguments]

runs ``sphinx-build`` with each phase, each event listener and each garbage collection
timed, and the objects the collector tracks counted in the main process when writing starts
and in each writer every few pages; every process (``-j N`` writers are forks of the main
one) appends one JSON line per timing to RECORD. :func:`summarise` reads it back: the
phases of the build, the full collections in the writers, the objects counted, and the
time of each of the extension's listeners.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: the extension's listeners are told apart from everyone else's by their module
OURS = "sphinx_incident"


class Recorder:
    """Appends ``[pid, kind, name, seconds]`` lines to one file, from any process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._gc_start = 0.0
        #: count the objects left after the next full collection (set every few pages written)
        self.count_due = False

    def add(self, kind: str, name: str, seconds: float) -> None:
        with self.path.open("a") as out:
            out.write(json.dumps([os.getpid(), kind, name, round(seconds, 6)]) + "\n")

    def timed(self, kind: str, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(kind, name, time.perf_counter() - start)

        return wrapper

    def count(self, name: str) -> None:
        """The objects the collector tracks in this process now (what a full collection walks);
        counted right after a full collection, so that garbage not yet collected is not."""
        self.add("objects", name, float(len(gc.get_objects())))

    def on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        elif info["generation"] == 2:
            self.add("gc", "full collection", time.perf_counter() - self._gc_start)
            if self.count_due:
                self.count_due = False
                self.count("writer")


def instrument(recorder: Recorder) -> None:
    """Time Sphinx's phases, every event listener connected from now on, and full collections."""
    from sphinx import events
    from sphinx.builders import Builder
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

    gc.callbacks.append(recorder.on_gc)
    connect = events.EventManager.connect

    def timed_connect(self: Any, name: str, callback: Callable[..., Any], priority: int) -> int:
        module = getattr(callback, "__module__", "") or ""
        label = f"{name} {module}.{getattr(callback, '__qualname__', '')}"
        return connect(self, name, recorder.timed("listener", label, callback), priority)

    events.EventManager.connect = timed_connect  # type: ignore[method-assign]
    for owner, method, kind in (
        (Builder, "read", "phase"),
        (BuildEnvironment, "get_and_resolve_doctree", "resolve"),
        (Builder, "write_doc", "write"),
        (StandaloneHTMLBuilder, "write_doc", "write"),
        (Builder, "finish", "phase"),
        (StandaloneHTMLBuilder, "finish", "phase"),
    ):
        if method in vars(owner):
            setattr(owner, method, recorder.timed(kind, method, vars(owner)[method]))
    _count_objects(recorder, Builder, StandaloneHTMLBuilder)


#: a writer counts its objects after the first full collection that follows its first page,
#: and again after every this many pages
COUNT_EVERY = 25


def _count_objects(recorder: Recorder, builder: Any, html: Any) -> None:
    """Count the tracked objects in the main process when writing starts (what every ``-j``
    writer inherits) and in each writer every :data:`COUNT_EVERY` pages, after its next full
    collection (what it keeps)."""
    main_pid = os.getpid()
    # Sphinx 8.1 split the writing of the pages (``write_documents``) out of ``write``
    starts = "write_documents" if hasattr(builder, "write_documents") else "write"
    write, write_doc = getattr(builder, starts), html.write_doc
    written = {"pages": 0}

    def counted_write(self: Any, *args: Any, **kwargs: Any) -> Any:
        gc.collect()  # what is alive, not what is left to collect
        recorder.count("main, when writing starts")
        return write(self, *args, **kwargs)

    def counted_write_doc(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = write_doc(self, *args, **kwargs)
        if os.getpid() != main_pid:
            written["pages"] += 1
            if written["pages"] % COUNT_EVERY == 1:  # its first page, then every few: counted
                recorder.count_due = True  # after the writer's next full collection
        return result

    setattr(builder, starts, counted_write)
    html.write_doc = counted_write_doc


def summarise(record: Path) -> dict[str, float]:
    """Seconds per line of the summary: phases, writing, full collections, our listeners."""
    rows = [json.loads(line) for line in record.read_text().splitlines()]
    main_pid = next(pid for pid, kind, name, _ in rows if kind == "phase" and name == "build")
    totals: dict[str, float] = defaultdict(float)
    for pid, kind, name, seconds in rows:
        where = "main" if pid == main_pid else "writers"
        if kind == "phase":
            totals[name] += seconds
        elif kind in ("resolve", "write"):
            totals[f"{kind} ({where})"] += seconds
        elif kind == "gc":
            totals[f"full collections ({where})"] += seconds
        elif kind == "objects":  # a count, not seconds: the largest of each kind
            key = f"tracked objects ({name})"
            totals[key] = max(totals[key], seconds)
        elif kind == "listener" and OURS in name:
            event, function = name.split(" ", 1)
            totals[f"  {event}: {function.removeprefix(OURS + '.')}"] += seconds
            totals["extension's listeners (all processes)"] += seconds
    return dict(totals)


def main(argv: list[str]) -> int:
    recorder = Recorder(Path(argv[0]))
    instrument(recorder)
    from sphinx.cmd.build import main as sphinx_build

    start = time.perf_counter()
    status = sphinx_build(argv[1:])
    recorder.add("phase", "build", time.perf_counter() - start)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
