"""The benchmark's phase record: a build timed in every process, summed as the table shows it."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

PHASES = Path(__file__).resolve().parents[1] / "benchmarks" / "phases.py"
_spec = importlib.util.spec_from_file_location("bench_phases", PHASES)
assert _spec is not None and _spec.loader is not None
phases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(phases)


def test_the_summary_tells_the_writers_and_the_extension_s_listeners_apart(tmp_path: Path) -> None:
    record = tmp_path / "record.jsonl"
    rows = [
        [10, "phase", "read", 2.0],
        [10, "resolve", "get_and_resolve_doctree", 0.5],
        [11, "write", "write_doc", 3.0],
        [12, "write", "write_doc", 4.0],
        [11, "gc", "full collection", 1.5],
        [10, "gc", "full collection", 0.25],
        [11, "listener", "html-page-context sphinx_incident.rendering.html.fill_decorations", 0.125],
        [10, "listener", "env-updated sphinx_incident.checking.review.review_handbook", 0.5],
        [
            10,
            "listener",
            "doctree-read sphinx.environment.collectors.toctree.TocTreeCollector.process_doc",
            9.0,
        ],
        [10, "objects", "main, when writing starts", 900.0],
        [11, "objects", "writer", 700.0],
        [12, "objects", "writer", 750.0],
        [10, "phase", "build", 10.0],
    ]
    record.write_text("".join(json.dumps(row) + "\n" for row in rows))
    summary = phases.summarise(record)
    assert summary["write (writers)"] == 7.0 and "write (main)" not in summary
    assert summary["full collections (writers)"] == 1.5 and summary["full collections (main)"] == 0.25
    assert summary["extension's listeners (all processes)"] == 0.625  # Sphinx's own are not ours
    assert summary["  env-updated: checking.review.review_handbook"] == 0.5
    assert summary["build"] == 10.0 and summary["read"] == 2.0
    # counts are no seconds to add up: the most any writer held
    assert summary["tracked objects (writer)"] == 750.0
    assert summary["tracked objects (main, when writing starts)"] == 900.0


def test_a_parallel_build_is_recorded_in_its_writers_too(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_incident"]\n', "utf-8")
    pages = "".join(f"   page{n}\n" for n in range(12))
    (src / "index.rst").write_text(f"Index\n=====\n\n.. toctree::\n\n{pages}", "utf-8")
    for n in range(12):
        (src / f"page{n}.md").write_text(f"---\nrunbook: true\n---\n# Page {n}\n\n1. **Do it**.\n", "utf-8")
    record = tmp_path / "record.jsonl"
    argv = [
        sys.executable,
        str(PHASES),
        str(record),
        "-q",
        "-j",
        "2",
        "-b",
        "html",
        str(src),
        str(tmp_path / "out"),
    ]
    subprocess.run(argv, check=True, capture_output=True)
    summary = phases.summarise(record)
    assert summary["write (writers)"] > 0  # the pages were written by forked writers
    # what the writers inherit, counted once all is read (a writer counts after its full
    # collections, which twelve small pages may not bring about)
    assert summary["tracked objects (main, when writing starts)"] > 10_000
    assert summary["  doctree-read: reading.collect.collect_runbooks"] > 0
    assert (tmp_path / "out" / "page3.html").is_file()
