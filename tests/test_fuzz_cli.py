"""Every command of the command line, driven with generated arguments, files and output streams.

Each example is one run of ``sphinx-incident`` in its own process: a command
(``lint``, ``discover``, ``export``, ``alerts``, ``diff``, or none), options
drawn from what its parser takes and from arbitrary text, and paths drawn from
a world of hostile files made for the example: random bytes under the names
the commands look for, JSON and YAML nested thousands deep, a YAML alias bomb,
step lists with fields of random types, a FIFO, ``/dev/zero``, folders,
missing paths, names with line breaks and escape sequences, and handbooks
with a FIFO or random bytes for a page. Standard output is a pipe, closed
(``>&-``) or ``/dev/full``; or standard input is closed (``<&-``).

Whatever it is given, a run ends in bounded time with exit status 0, 1 or 2,
no traceback and no internal error, says why in one line of standard error
when it fails (besides notes on files it skipped), and leaves the handbook's
own files as they were, whatever ``-o`` or ``--cache-dir`` named.

``make test`` tries a few runs; ``make test-integration`` many more.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from conftest import ROOTS

PYTHON_CLI = [sys.executable, "-m", "sphinx_incident.commands.cli"]
#: the longest a run may take: a handbook is built, at most twice (diff)
TIMEOUT = 150
#: standard output a pipe (twice as often), closed, a full disk; or standard input closed
STREAMS = ["pipe", "pipe", "closed", "full", "no stdin"]
#: runs per property: a few in the fast suite, many more in the integration target
RUNS = [pytest.param(6, id="short"), pytest.param(80, id="long", marks=pytest.mark.integration)]


@pytest.fixture(scope="module")
def step_list_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("fuzz-site")
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "runbooks", str(ROOTS / "test-alerts"),
                    str(out)], check=True, capture_output=True)  # fmt: skip
    return (out / "runbooks.json").read_text("utf-8")


# -- the world of files a run is given ---------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
HOSTILE_NAMES = ["plain", "with space", "new\nline", "esc\x1b[2J", "::error::x", "uni\u202ecode"]


@st.composite
def worlds(draw: st.DrawFn) -> dict[str, Any]:
    """What the files of one run hold (made by :func:`make_world`)."""
    return {
        "bytes": draw(st.binary(max_size=3000)),
        "depth": draw(st.integers(min_value=1, max_value=20000)),
        "yaml_depth": draw(st.integers(min_value=1, max_value=20000)),
        "mutations": draw(st.lists(st.tuples(st.integers(0, 10**6), json_values), max_size=6)),
        "name": draw(st.sampled_from(HOSTILE_NAMES)),
        "page": draw(st.sampled_from(["fifo", "bytes", "device", "none"])),
        "title": draw(st.text(max_size=40)),
    }


def _mutate(data: Any, mutations: list[tuple[int, Any]]) -> Any:
    """Replace the value at some places of JSON data (chosen by number) with random values."""
    for number, value in mutations:
        places: list[tuple[Any, Any]] = []
        stack = [data]
        while stack and len(places) < 5000:
            item = stack.pop()
            keys = (
                list(item) if isinstance(item, dict) else range(len(item)) if isinstance(item, list) else []
            )
            for key in keys:
                places.append((item, key))
                stack.append(item[key])
        if places:
            holder, key = places[number % len(places)]
            holder[key] = value
    return data


def make_world(root: Path, world: dict[str, Any], step_list: str) -> dict[str, str]:
    """The files of one run, under ``root``, by the names the arguments use."""
    name = world["name"]
    paths: dict[str, Path] = {}

    def file(key: str, relative: str, data: bytes | str) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data)
        paths[key] = path

    file("bytes", f"{name}.json", world["bytes"])
    file("bytes_yaml", f"rules/{name}.yml", world["bytes"])
    file("deep_json", "deep.json", "[" * world["depth"] + "]" * world["depth"])
    file(
        "deep_yaml", "rules-deep/deep.yml", "groups: " + "[" * world["yaml_depth"] + "]" * world["yaml_depth"]
    )
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 10)}]" for n in range(8)
    ]
    file("bomb", "bomb.yml", "\n".join(bomb) + "\ngroups: [*i]\n")
    file("rules", "ok/rules.yml", "groups:\n- name: g\n  rules:\n  - alert: A\n    annotations:\n"
         "      runbook_url: https://ops.northwind.test/handbook/nope.html\n")  # fmt: skip
    file("step_list", "site/runbooks.json", step_list)
    mutated = _mutate(json.loads(step_list), world["mutations"])
    file("mutated", "mutated/runbooks.json", json.dumps(mutated, ensure_ascii=False))
    fifo = root / f"pipe-{len(name)}"
    os.mkfifo(fifo)
    paths["fifo"] = fifo
    folder = root / "fifo-site"
    folder.mkdir()
    os.mkfifo(folder / "runbooks.json")
    paths["fifo_site"] = folder
    handbook = shutil.copytree(ROOTS / "test-seed", root / "docs")
    index = handbook / "index.md"
    index.write_text(index.read_text("utf-8").replace("Incident response process", world["title"] or "x", 1))
    if world["page"] == "fifo":
        os.mkfifo(handbook / "pipe.md")
    elif world["page"] == "bytes":
        (handbook / "junk.md").write_bytes(world["bytes"])
    elif world["page"] == "device":
        (handbook / "zero.md").symlink_to("/dev/zero")
    paths["handbook"] = handbook
    odd = shutil.copytree(ROOTS / "test-alerts", root / "odd docs")
    (odd / "conf.py").write_text((odd / "conf.py").read_text("utf-8") + "\nincident_severity = {'x': 'y'}\n")
    paths["handbook_odd"] = odd
    paths["out"] = root / "out" / f"{name}.md"
    paths["src_out"] = handbook / "new-page.md"
    paths["missing"] = root / "missing" / name
    paths["folder"] = root / "empty-folder"
    paths["folder"].mkdir()
    return {key: str(path) for key, path in paths.items()} | {"zero": "/dev/zero", "null": "/dev/null"}


# -- the command lines ---------------------------------------------------------------------------

PATHS = ["bytes", "bytes_yaml", "deep_json", "deep_yaml", "bomb", "rules", "step_list", "mutated", "fifo",
         "fifo_site", "handbook", "missing", "folder", "zero", "null"]  # fmt: skip
# anything a command line can carry: exec refuses an argument that holds a NUL byte
junk = st.text(st.characters(exclude_characters="\x00"), max_size=12)
path = st.sampled_from(PATHS).map(lambda key: "{" + key + "}")


def opt(name: str, *values: str) -> st.SearchStrategy[list[str]]:
    """An option, with one of ``values`` (or a path, ``{key}``) when it takes one."""
    if not values:
        return st.just([name])
    return st.sampled_from(values).map(lambda value: [name, value])


OPTIONS: dict[str, list[st.SearchStrategy[list[str]]]] = {
    "lint": [
        opt("--format", "text", "json", "github", "x"),
        opt("--fail-on", "error", "warning"),
        opt("--scope", "runbooks", "discovered"),
        opt("-D", "incident_severity=x", "project=p", "x", "="),
        opt("--no-cache"),
        opt("--cache-dir", "{folder}", "{handbook}", "{bytes}", "{out}", "{fifo_site}"),
        opt("--link-timeout", "0", "-1", "nan", "inf", "1e999", "x"),
    ],
    "discover": [
        opt("--format", "text", "json", "conf"),
        opt("--all"),
        opt("-D", "incident_runbooks=x", "x"),
    ],
    "export": [
        opt("--runbook", "support-incident-response", "nope", ""),
        opt("--format", "json", "markdown", "github", "csv"),
        opt("-o", "{out}", "{src_out}", "{folder}", "{bytes}", "{null}", "{fifo}"),
        opt("--force"),
        opt("--base-url", "https://x.test/", "javascript:alert(1)//", ""),
    ],
    "alerts": [
        st.sampled_from(["{step_list}", "{mutated}", "{fifo_site}", "{deep_json}"]).map(
            lambda p: ["--step-list", p]
        ),
        st.tuples(st.just("--step-list"), path).map(list),
        st.tuples(st.just("--handbook"), path).map(list),
        opt("--base-url", "https://ops.northwind.test/handbook/", "x"),
        opt("--format", "text", "json", "github", "sarif"),
        opt("--coverage", "runbooks", "steps"),
        opt("--rewrite", "(=x", "a=b", "x"),
        opt("--severity", "alert_no_runbook=off", "x=y"),
    ],
    "diff": [
        opt("--format", "text", "markdown", "json"),
        opt("--exit-code"),
        opt("--git", "HEAD", "-x", "nope"),
    ],
}
#: a handbook most of the time, so that most runs read one
source = st.sampled_from(["{handbook}"] * 4 + ["{handbook_odd}"] * 2) | path
POSITIONAL: dict[str, st.SearchStrategy[list[str]]] = {
    "lint": st.lists(source, min_size=1, max_size=1) | st.lists(path, max_size=1),
    "discover": st.lists(source, min_size=1, max_size=1) | st.lists(path, max_size=1),
    "export": st.lists(source, min_size=1, max_size=1) | st.lists(path, max_size=1),
    "alerts": st.lists(
        st.sampled_from(["{rules}", "{bytes_yaml}", "{deep_yaml}", "{bomb}", "{fifo}", "-"]) | path,
        min_size=1,
        max_size=2,
    ),
    "diff": st.lists(
        st.sampled_from(["{step_list}", "{mutated}", "{deep_json}", "{handbook}"]), min_size=2, max_size=2
    )
    | st.lists(path, max_size=3),
}


#: what a command needs to get anywhere (``alerts``: a step list or a handbook)
REQUIRED: dict[str, st.SearchStrategy[list[str]]] = {
    "alerts": opt("--step-list", "{step_list}", "{mutated}", "{fifo_site}", "{deep_json}")
    | opt("--handbook", "{handbook}", "{handbook_odd}", "{fifo}"),
}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from([*OPTIONS, None]))
    if command is None:
        return draw(st.lists(junk | st.sampled_from(["--version", "--help", "-h"]), max_size=3))
    args = [command, *draw(POSITIONAL[command])]
    if command in REQUIRED and draw(st.integers(0, 9)):
        args += draw(REQUIRED[command])
    for option in draw(st.lists(st.sampled_from(OPTIONS[command]), max_size=3, unique_by=id)):
        args += draw(option)
    if draw(st.integers(0, 5)) == 0:  # an argument no command takes
        args.insert(draw(st.integers(1, len(args))), draw(junk))
    return args


# -- a run ---------------------------------------------------------------------------------------


def run(args: list[str], stream: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The command line in its own process, in ``cwd`` (so a command that defaults to the
    current folder, or to its git repository, finds only the run's files), standard output a
    pipe, closed or full."""
    command = [*PYTHON_CLI, *args]
    kwargs: dict[str, Any] = {"stdin": subprocess.DEVNULL, "stderr": subprocess.PIPE, "timeout": TIMEOUT,
                              "check": False, "cwd": cwd}  # fmt: skip
    if stream == "closed":
        return subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *command], **kwargs)
    if stream == "no stdin":
        return subprocess.run(["sh", "-c", 'exec "$@" <&-', "sh", *command], stdout=subprocess.PIPE, **kwargs)
    if stream == "full":
        with open("/dev/full", "wb") as full:
            return subprocess.run(command, stdout=full, **kwargs)
    return subprocess.run(command, stdout=subprocess.PIPE, **kwargs)


def check_run(result: subprocess.CompletedProcess[bytes], args: list[str]) -> None:
    err = result.stderr.decode("utf-8", "replace")
    where = f"{args!r}\n--- stderr ---\n{err}"
    assert result.returncode in (0, 1, 2), where
    assert "Traceback" not in err and "internal error" not in err, where
    lines = [line for line in err.splitlines() if line]
    if {"--help", "-h", "--version"} & set(args):
        return
    # every line is the command's own: notes on skipped files, and at most one error
    assert all(line.startswith("sphinx-incident") for line in lines), where
    errors = [line for line in lines if ": note: " not in line]
    assert len(errors) <= 1, where
    if result.returncode == 2:
        assert len(errors) == 1, where


def sources(folder: Path) -> dict[str, bytes | str]:
    """A handbook's files (not its build output), by path: their bytes, or what they are."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else "not a file"
        for path in sorted(folder.rglob("*"))
        if "_build" not in path.relative_to(folder).parts and not path.is_dir()
    }


def _property(step_list: str) -> Callable[[dict[str, Any], list[str], str], None]:
    def one_run(world: dict[str, Any], args: list[str], stream: str) -> None:
        with tempfile.TemporaryDirectory(prefix="fuzz-cli-") as tmp:
            paths = make_world(Path(tmp), world, step_list)
            concrete = [paths.get(arg[1:-1], arg) if arg.startswith("{") and arg.endswith("}") else arg
                        for arg in args]  # fmt: skip
            before = sources(Path(paths["handbook"]))
            result = run(concrete, stream, Path(tmp))
            event(f"{args[0] if args else '(none)'} exit {result.returncode}")
            check_run(result, concrete)
            # whatever -o or --cache-dir named, the handbook's own files are as they were
            assert sources(Path(paths["handbook"])) == before, concrete

    return one_run


@pytest.mark.parametrize("examples", RUNS)
def test_every_command_takes_anything_in_one_line(step_list_text: str, examples: int) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        # each example is a process (and often a build): no shrinking, the example is reported as run
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(world=worlds(), args=command_lines(), stream=st.sampled_from(STREAMS))
    def runs(world: dict[str, Any], args: list[str], stream: str) -> None:
        _property(step_list_text)(world, args, stream)

    runs()
