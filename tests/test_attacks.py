"""Hostile input, round three: the attack list, one test (or a small group) per item, in order.

Each test names the attack in its docstring and asserts what happens instead:
no live script link on any page, no hang, no traceback, no stale result, no
file written that the user did not name. Items made safe elsewhere are listed
in their place with a short re-assertion of their core and a pointer to the
module that tests them in full (``test_alerts_hostile.py`` for ``alerts``,
the browser tests for the page's script). Commands that could hang if a fix
broke run in a subprocess with a timeout.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sphinx.util
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp
from url_cases import Page, browser_scheme

from sphinx_incident.checking.urls import UNSAFE_SCHEMES
from sphinx_incident.commands import cli
from sphinx_incident.commands.linkcheck import TIMEOUT, Options, check_url

from conftest import ROOTS, read_json

PYTHON_CLI = [sys.executable, "-m", "sphinx_incident.commands.cli"]


def run_cli(*args: str, timeout: float = 120, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """A command in its own process: a regression that hangs fails the test, not the suite."""
    return subprocess.run([*PYTHON_CLI, *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, check=False, **kwargs)  # fmt: skip


def build(srcdir: Path, builder: str = "html", **kwargs: Any) -> tuple[Path, str]:
    """Build ``srcdir`` (not fresh unless asked); its output folder and warnings."""
    warnings = io.StringIO()
    app = SphinxTestApp(builder, srcdir=srcdir, status=None, warning=warnings, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir), warnings.getvalue()


def live_script_links(outdir: Path) -> list[str]:
    """Every URL of the built pages a browser would follow to script or a local file."""
    return [
        f"{page.name}: {url!r}"
        for page in sorted(outdir.rglob("*.html"))
        for _, url in Page.of(page.read_text("utf-8")).urls
        if browser_scheme(url) in UNSAFE_SCHEMES
    ]


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    return folder


# -- 1. a live javascript: link on the todo list page -------------------------------------------

TODO_HANDBOOK = {
    "conf.py": 'extensions = ["myst_parser", "sphinx.ext.todo", "sphinx_incident"]\n'
    "todo_include_todos = True\n",
    "index.md": "# Index\n\n```{toctree}\n:glob:\n\n*\n```\n",
    # sorts before the runbook's page
    "a-todos.md": "# Todos\n\n```{todolist}\n```\n",
    "runbook.rst": "Runbook\n=======\n\n.. runbook::\n   :id: rb\n\n   #. **Do it**. Now.\n\n"
    "      .. todo::\n\n         Click `here <javascript:alert(document.domain)>`__.\n",
    **{f"page{n}.md": f"# Page {n}\n\nText.\n" for n in range(8)},  # enough for parallel reading
}


def _todo_list_is_safe(outdir: Path) -> None:
    assert live_script_links(outdir) == []
    todos = Page.of((outdir / "a-todos.html").read_text("utf-8"))
    assert "here" in todos.neutralised  # the todo is there, its link as text


@pytest.mark.parametrize("parallel", [1, 2])
def test_1_a_todo_copied_out_of_a_runbook_has_no_live_script_link(tmp_path: Path, parallel: int) -> None:
    """A todo in a step links to javascript:; the todo list page (sorting first, -j 1 and -j 2)
    shows its text, not a live link."""
    outdir, _ = build(write(tmp_path / "src", TODO_HANDBOOK), freshenv=True, parallel=parallel)
    _todo_list_is_safe(outdir)


def test_1_an_incremental_build_of_the_todo_list_page_alone_keeps_it_safe(tmp_path: Path) -> None:
    """Only the todo list page is edited and built again: its copy of the todo stays text."""
    src = write(tmp_path / "src", TODO_HANDBOOK)
    build(src, freshenv=True)
    (src / "a-todos.md").write_text("# Todos, edited\n\n```{todolist}\n```\n", "utf-8")
    outdir, _ = build(src)
    assert "Todos, edited" in (outdir / "a-todos.html").read_text("utf-8")
    _todo_list_is_safe(outdir)


# -- 2. a citation with a javascript: target ----------------------------------------------------

CITATION_HANDBOOK = {
    "conf.py": 'extensions = ["sphinx_incident"]\n',
    "index.rst": "Index\n=====\n\n.. toctree::\n\n   runbook\n   refs\n",
    "runbook.rst": "Runbook\n=======\n\n.. runbook::\n   :id: rb\n\n"
    "   #. **Check the guide** as [GUIDE]_ says.\n",
    "refs.rst": "References\n==========\n\n"
    ".. [GUIDE] The `guide <javascript:alert(document.domain)>`__ and `fine <https://ok.example/>`__.\n",
}


def test_2_a_cited_citation_defined_elsewhere_is_text_and_reported(tmp_path: Path) -> None:
    """A step cites [GUIDE], defined on another page with a javascript: link: the link is text
    there, and unsafe_url is reported once, at the citation's line, naming the citing page."""
    src = write(tmp_path / "src", CITATION_HANDBOOK)
    outdir, warnings = build(src, freshenv=True)
    assert live_script_links(outdir) == []
    refs = Page.of((outdir / "refs.html").read_text("utf-8"))
    assert "guide" in refs.neutralised and refs.links["fine"] == "https://ok.example/"
    reported = [line for line in warnings.splitlines() if "[incident.unsafe_url]" in line]
    assert len(reported) == 1 and "refs.rst:4:" in reported[0] and "(cited from runbook.rst)" in reported[0]
    (step,) = read_json(outdir / "runbooks.json")["runbooks"][0]["steps"]
    (citation,) = step["footnotes"]
    assert citation["label"] == "GUIDE"
    assert [(link["target"], link["url"]) for link in citation["links"]] == [
        ("javascript:alert(document.domain)", None),
        ("https://ok.example/", "https://ok.example/"),
    ]


def test_2_a_citation_cited_after_an_incremental_build_is_judged_again(tmp_path: Path) -> None:
    """A step starts citing a citation of another page, whose page is unchanged: that page is
    written again, its ssh: link now text as in a runbook, and a link again once uncited."""
    src = write(tmp_path / "src", {
        **CITATION_HANDBOOK,
        "runbook.rst": "Runbook\n=======\n\n.. runbook::\n   :id: rb\n\n   #. **Check the guide**.\n",
        "refs.rst": "References\n==========\n\n.. [GUIDE] The `shell <ssh://bastion.corp.test>`__.\n",
    })  # fmt: skip
    outdir, _ = build(src, freshenv=True)
    assert Page.of((outdir / "refs.html").read_text("utf-8")).links["shell"] == "ssh://bastion.corp.test"
    (src / "runbook.rst").write_text(CITATION_HANDBOOK["runbook.rst"], "utf-8")
    outdir, warnings = build(src)
    assert "shell" in Page.of((outdir / "refs.html").read_text("utf-8")).neutralised
    assert "refs.rst:4: WARNING: warning: the URL 'ssh://bastion.corp.test' uses ssh:" in warnings
    (src / "runbook.rst").write_text(
        "Runbook\n=======\n\n.. runbook::\n   :id: rb\n\n   #. **Check the guide**.\n", "utf-8"
    )
    outdir, _ = build(src)
    assert Page.of((outdir / "refs.html").read_text("utf-8")).links["shell"] == "ssh://bastion.corp.test"


# -- 3. builders without pages --------------------------------------------------------------------

#: what some builders need to run at all, with or without the extension
BUILDER_CONF = {
    "applehelp": {"applehelp_bundle_id": "test.builders", "applehelp_disable_external_tools": True}
}
#: extensions that bring builders of their own
BUILDER_EXTENSIONS = ["sphinx.ext.coverage", "sphinx.ext.doctest"]
#: what tests/test_builders.py compares in full, output file by output file
COMPARED = {"html", "dirhtml", "singlehtml", "epub", "latex", "text", "man", "texinfo", "xml"}


def _every_builder() -> list[str]:
    app = SphinxTestApp("dummy", srcdir=ROOTS / "test-builders", status=None, warning=io.StringIO(),
                        confoverrides={"extensions": [*BUILDER_EXTENSIONS, "sphinx_incident"]})  # fmt: skip
    try:
        return sorted(set(app.registry.builders) - {"plain"})  # plain: the test root's own
    finally:
        app.cleanup()


def _build_with(tmp_path: Path, builder: str, extensions: list[str]) -> Exception | None:
    srcdir = tmp_path / f"{builder}-{len(extensions)}"
    shutil.copytree(ROOTS / "test-builders", srcdir)
    overrides = {"extensions": extensions, **BUILDER_CONF.get(builder, {})}
    try:
        build(srcdir, builder, freshenv=True, confoverrides=overrides)
    except Exception as exc:  # the outcome is what is compared
        return exc
    return None


def test_3_every_builder_sphinx_ships_works_with_the_extension(tmp_path: Path) -> None:
    """-b changes and -b coverage raised NotImplementedError once a runbook existed: every
    builder registered (Sphinx's own, its bundled ones, coverage, doctest) builds the handbook
    with the extension whenever it does without."""
    builders = _every_builder()
    assert {"changes", "coverage", "doctest", "linkcheck", "gettext", "json", "pickle"} <= set(builders)
    without = ["myst_parser", "sphinx_design", "sphinx.ext.todo", "plainbuilder", *BUILDER_EXTENSIONS]
    failures = {}
    for builder in sorted(set(builders) - COMPARED):
        if not builder.startswith("runbooks") and _build_with(tmp_path, builder, without) is not None:
            continue  # the handbook itself does not build there: nothing to compare
        failure = _build_with(tmp_path, builder, [*without, "sphinx_incident"])
        if failure is not None:
            failures[builder] = repr(failure)
    assert failures == {}


# -- 4. [page script] storage full --------------------------------------------------------------
# The page's script: its browser tests (tests/test_browser_runs.py) own items 4, 13 and 14.


# -- 5. YAML aliases in alerts [done: tests/test_alerts_hostile.py] -----------------------------


def test_5_yaml_aliases_are_bounded() -> None:
    """An 18 KB rule file whose aliases expand to 320,000 alerts is refused, fast (see
    test_alerts_hostile.py for the command's output)."""
    from test_alerts_hostile import alias_bomb

    from sphinx_incident.commands.alerts.yaml_loading import YamlError, load_documents

    start = time.perf_counter()
    with pytest.raises(YamlError, match="aliases would expand"):
        load_documents(alias_bomb())
    assert time.perf_counter() - start < 5


# -- 6. special files and huge files, for every command --------------------------------------


@pytest.fixture
def special_handbook(tmp_path: Path) -> Path:
    src = write(tmp_path / "docs", {
        "conf.py": 'extensions = ["myst_parser", "sphinx_incident"]\n',
        "index.md": "# Index\n\n```{runbook}\n:id: rb\n\n1. **Do it**.\n```\n",
    })  # fmt: skip
    os.mkfifo(src / "pipe.md")
    (src / "zero.md").symlink_to("/dev/zero")
    return src


def test_6_a_fifo_or_a_device_named_like_a_page_is_skipped_by_every_command(special_handbook: Path) -> None:
    """A FIFO and a link to /dev/zero named *.md in the source folder made lint (and every
    command reading the handbook) wait forever: they are notes, and the rest is read."""
    result = run_cli("lint", str(special_handbook), "--no-cache", timeout=90)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"{special_handbook / 'pipe.md'}: note: skipped: a named pipe (FIFO), not a regular file: not read",
        f"{special_handbook / 'zero.md'}: note: skipped: a character device, not a regular file: not read",
        "0 errors, 0 warnings in 1 runbook; 2 files skipped",
    ]
    for args in (["export", str(special_handbook)], ["discover", str(special_handbook)]):
        assert run_cli(*args, timeout=90).returncode == 0
    result = run_cli("diff", str(special_handbook), str(special_handbook), timeout=90)
    assert result.returncode == 0
    assert f"note: {special_handbook / 'pipe.md'}: skipped: a named pipe (FIFO)" in result.stderr


def test_6_a_step_list_that_is_a_fifo_or_too_large_is_refused_in_one_line(tmp_path: Path) -> None:
    """diff's step list in a site folder is a FIFO, or beyond the size cap: one line, exit 2."""
    site = tmp_path / "site"
    site.mkdir()
    os.mkfifo(site / "runbooks.json")
    result = run_cli("diff", str(site), str(site), timeout=30)
    assert result.returncode == 2
    assert result.stderr == (
        f"sphinx-incident diff: {site / 'runbooks.json'}: a named pipe (FIFO), not a regular file: not read\n"
    )
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(65 * 1024 * 1024)
    result = run_cli("diff", str(huge), str(huge), timeout=30)
    assert (result.returncode, result.stderr) == (
        2,
        f"sphinx-incident diff: {huge}: larger than 64 MiB: not read\n",
    )


def test_6_caches_that_are_special_files_are_ignored(tmp_path: Path) -> None:
    """The link cache and the page digests of lint's cache folder are FIFOs: read as no cache."""
    from sphinx_incident.commands.cache import DIGESTS, SourceDigests
    from sphinx_incident.commands.files import ReadError, read_text
    from sphinx_incident.commands.linkcheck import CACHE_FILE, Cache

    os.mkfifo(tmp_path / CACHE_FILE)
    os.mkfifo(tmp_path / DIGESTS)
    assert Cache(tmp_path, 60).entries == {}
    assert SourceDigests(tmp_path).kept == {}
    with pytest.raises(ReadError, match="not a regular file"):
        read_text(tmp_path / DIGESTS)


# -- 7. --link-timeout bounds a whole request ----------------------------------------------------


@pytest.fixture
def dripping_server() -> Iterator[str]:
    """A server that sends its headers one byte every 0.2 seconds, for minutes."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(4096)
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 2000:
                    if stop.is_set():
                        return
                    conn.send(bytes([byte]))
                    time.sleep(0.2)
            except OSError:
                return

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/runbook"
    stop.set()
    server.close()


def test_7_a_server_dripping_its_headers_cannot_hold_a_link_check(dripping_server: str) -> None:
    """Headers at a byte every 0.2 s kept a 2-second check going for minutes: it ends in time."""
    start = time.monotonic()
    result = check_url(dripping_server, Options(timeout=2, retries=0))
    assert time.monotonic() - start < 4
    assert (result.status, result.detail) == (TIMEOUT, "no answer in 2s")


def test_7_lint_check_links_ends_within_its_timeout(
    dripping_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """lint --check-links --link-timeout 2 on a handbook linking to that server."""
    src = write(tmp_path / "docs", {
        "conf.py": 'extensions = ["myst_parser", "sphinx_incident"]\n',
        "index.md": "# Index\n\n```{runbook}\n:id: rb\n\n"
        f"1. **Open** [the board]({dripping_server}).\n```\n",
    })  # fmt: skip
    start = time.monotonic()
    result = run_cli("lint", str(src), "--check-links", "--link-timeout", "2", "--no-cache", timeout=60)
    assert time.monotonic() - start < 30
    assert result.returncode == 0, result.stderr
    assert f"[link_timeout] {dripping_server} did not answer: no answer in 2s" in result.stdout


# -- 8. a malformed runbooks.json in diff -------------------------------------------------------


def _step_list(step: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema_version": "2.0", "generator": {"name": "sphinx-incident"}, "project": "p", "base_url": "",
        "runbooks": [{"id": "rb", "title": "Runbook", "docname": "rb", "steps": [step]}],
    }  # fmt: skip


MALFORMED_STEPS = {
    "number is an object": {"number": {"x": 1}},
    "owner is a string": {"owner": "Incident Commander"},
    "roles and links of wrong types": {"roles": "x", "links": [1, None, "x"], "admonitions": {"a": 1}},
    "title and text nested deep": {"title": [[[[[["x"]]]]]] * 3, "text": json.loads("[" * 600 + "]" * 600)},
}


@pytest.mark.parametrize("case", list(MALFORMED_STEPS))
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_8_diff_reads_a_malformed_step_list_for_what_it_holds(case: str, fmt: str, tmp_path: Path) -> None:
    """diff raised TypeError (number an object), AttributeError (owner a string), RecursionError
    (deep nesting): the comparison is made of what the file holds, without a traceback."""
    good = {"id": "a", "number": "1", "title": "Do it", "text": "Now.", "substeps": []}
    (tmp_path / "old.json").write_text(json.dumps(_step_list(good)), "utf-8")
    (tmp_path / "new.json").write_text(json.dumps(_step_list({**good, **MALFORMED_STEPS[case]})), "utf-8")
    status = cli.main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--format", fmt])
    assert status == 0


def test_8_sub_steps_nested_far_beyond_what_the_extension_writes(tmp_path: Path, capsys) -> None:
    """Sub-steps 400 deep in a file, and 5,000 deep in data read by a JSON reader that nests
    deeper than Python recurses (3.12's): the comparison follows 32 levels, never recursing
    as deep as the data goes."""
    from sphinx_incident.commands.diff.changes import compare
    from sphinx_incident.commands.step_list_files import shaped_step_list

    deep = '{"id": "s", "title": "s", "substeps": [' * 400 + "]}" * 400
    text = json.dumps(_step_list({"id": "a", "number": "1", "title": "A", "substeps": []}))
    (tmp_path / "old.json").write_text(text, "utf-8")
    (tmp_path / "new.json").write_text(text.replace('"substeps": []', f'"substeps": [{deep}]'), "utf-8")
    assert cli.main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")]) == 0
    assert capsys.readouterr().out.count("+ added step") == 31  # below the top-level step: 32 levels
    data = _step_list({"id": "a", "number": "1", "title": "A", "substeps": []})
    step = data["runbooks"][0]["steps"][0]
    for level in range(5000):
        step["substeps"] = [{"id": f"s{level}", "title": "s", "substeps": []}]
        step = step["substeps"][0]
    changes = compare(
        shaped_step_list(_step_list({"id": "a", "number": "1", "title": "A"})), shaped_step_list(data)
    )
    assert [s.status for s in changes.runbooks[0].steps] == ["added"] * 31


# -- 9. what commands print ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def handbook_and_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    src = tmp_path_factory.mktemp("print") / "docs"
    shutil.copytree(ROOTS / "test-alerts", src)
    site, _ = build(src, "runbooks", freshenv=True)
    return src, site / "runbooks.json"


def _every_command(src: Path, step_list: Path, rules: Path) -> dict[str, list[str]]:
    return {
        "lint": ["lint", str(src), "--no-cache"],
        "discover": ["discover", str(src)],
        "export": ["export", str(src)],
        "alerts": ["alerts", str(rules), "--step-list", str(step_list)],
        "diff": ["diff", str(step_list), str(step_list)],
    }


@pytest.mark.parametrize("stream", ["closed", "full"])
@pytest.mark.parametrize("command", ["lint", "discover", "export", "alerts", "diff"])
def test_9_every_command_with_a_closed_or_full_stdout_says_so_in_one_line(
    command: str, stream: str, handbook_and_site: tuple[Path, Path], tmp_path: Path
) -> None:
    """>&- and >/dev/full gave every command a traceback: one line on stderr, exit status 2."""
    src, step_list = handbook_and_site
    rules = tmp_path / "rules.yml"
    rules.write_text("groups:\n- name: g\n  rules:\n  - alert: A\n", "utf-8")
    args = [*PYTHON_CLI, *_every_command(src, step_list, rules)[command]]
    if stream == "closed":
        result = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *args], capture_output=True, text=True,
                                timeout=120, check=False)  # fmt: skip
        reason = "standard output is closed"
    else:
        with open("/dev/full", "w") as full:
            result = subprocess.run(args, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
                                    check=False)  # fmt: skip
        reason = "No space left on device"
    assert result.returncode == 2
    assert result.stderr == f"sphinx-incident {command}: cannot write the output: {reason}\n"


def test_9_diff_prints_titles_through_the_escape(tmp_path: Path, capsys) -> None:
    """A step title with an escape sequence and a forged workflow command, in diff's text."""
    good = {"id": "a", "number": "1", "title": "Do it", "text": "Now.", "substeps": []}
    hostile = {**good, "title": "Do \x1b[2J\x1b]8;;https://evil.test\x07it\r\n::error::forged\u202e"}
    (tmp_path / "old.json").write_text(json.dumps(_step_list(good)), "utf-8")
    (tmp_path / "new.json").write_text(json.dumps(_step_list(hostile)), "utf-8")
    for fmt in ("text", "markdown"):
        assert (
            cli.main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--format", fmt]) == 0
        )
        out = capsys.readouterr().out
        assert not any(c in out for c in "\x1b\x07\r\u202e")
        assert not any(line.startswith("::") for line in out.splitlines())
        assert "\\x1b" in out and "\\x07" in out and "\\u202e" in out
        if fmt == "text":
            assert "\\x1b[2J\\x1b]8;;https://evil.test\\x07it ::error::forged\\u202e" in out


def test_9_alert_names_are_escaped() -> None:
    """[done: test_alerts_hostile.py] alert names go through the same escape."""
    from sphinx_incident.commands.alerts.output import printable as alerts_printable
    from sphinx_incident.commands.terminal import printable

    assert alerts_printable is printable


#: what must never reach a terminal or a CI log raw: controls, line and paragraph separators,
#: the code points that reorder text, the byte order mark
_ACTIVE = {"Cc", "Zl", "Zp"}
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8")))
@example("\x1b[2J\n::error::x\r\u2028\u202e\x85\x9b")
@example("::error file=x::y")
def test_9_the_escape_leaves_one_inert_line_whatever_the_text(text: str) -> None:
    """Arbitrary text through the one escape: one line with no control character, line
    separator or bidi control, never a workflow command at the start of a line, and the same
    text always the same line."""
    from sphinx_incident.commands.terminal import github, printable, printable_path

    for escaped in (printable(text), github(text), github(text, prop=True), printable_path(text)):
        assert not any(unicodedata.category(c) in _ACTIVE or c in _BIDI for c in escaped), escaped
        assert len(escaped.splitlines()) <= 1
    assert not printable_path(text).startswith(("::", "##"))
    assert printable(text) == printable(text)


# -- 10. the lint cache trusts modification times --------------------------------------------


def test_10_an_edit_with_an_older_time_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys) -> None:  # fmt: skip
    """An edit followed by touch -d 2000-01-01 (cp -p, tar, rsync -t) left a cached lint green."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOTS / "test-scale-handbook", tmp_path / "docs")
    assert cli.main(["lint", "docs"]) == 1
    warm = capsys.readouterr().out
    page = tmp_path / "docs" / "beta.md"
    page.write_text(page.read_text("utf-8").replace("**Close beta**", "Close beta"), "utf-8")
    os.utime(page, (946684800, 946684800))  # 2000-01-01
    cli.main(["lint", "docs"])
    cached = capsys.readouterr().out
    cli.main(["lint", "docs", "--no-cache"])
    assert cached == capsys.readouterr().out != warm
    assert "[untitled_step]" in cached


# -- 11. export -o writes what the next build reads ---------------------------------------------


@pytest.mark.parametrize("target", ["notes.markdown", "_templates/panel.html", "_static/x.css", "conf.py"])
def test_11_export_refuses_what_the_build_reads(target: str, tmp_path: Path, capsys) -> None:
    """-o docs/notes.markdown (a configured source_suffix) became a page; -o
    docs/_templates/panel.html replaced the runbook panel: refused, nothing written."""
    src = shutil.copytree(ROOTS / "test-seed", tmp_path / "docs")
    with open(src / "conf.py", "a", encoding="utf-8") as conf:
        conf.write('source_suffix = {".md": "markdown", ".markdown": "markdown"}\n'
                   'templates_path = ["_templates"]\nhtml_static_path = ["_static"]\n')  # fmt: skip
    before = sorted(p.relative_to(src).as_posix() for p in src.rglob("*"))
    status = cli.main(["export", str(src), "--runbook", "support-incident-response", "-o", str(src / target)])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "refusing" in err, err
    assert sorted(p.relative_to(src).as_posix() for p in src.rglob("*")) == before


def test_11_export_may_write_what_the_build_leaves_alone(tmp_path: Path) -> None:
    """A file no build reads, inside the source folder (an excluded folder, another suffix)."""
    src = shutil.copytree(ROOTS / "test-seed", tmp_path / "docs")
    with open(src / "conf.py", "a", encoding="utf-8") as conf:
        conf.write('exclude_patterns = ["_build"]\n')
    for target in ("_build/checklist.md", "checklist.txt"):
        assert cli.main(["export", str(src), "--runbook", "support-incident-response",
                         "-o", str(src / target)]) == 0  # fmt: skip
        assert (src / target).read_text("utf-8").startswith("## Incident response process")


def test_11_a_pipe_or_a_device_named_with_force_is_written_into_never_replaced(
    tmp_path: Path, capsys
) -> None:
    """-o PIPE --force replaced the pipe (or a device: /dev/null, run as root) with a regular
    file: it is written into, as a shell's redirection does; a pipe nobody reads is an error."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    args = ["export", str(ROOTS / "test-seed"), "--runbook", "support-incident-response", "-o", str(pipe)]
    assert cli.main([*args, "--force"]) == 2
    assert capsys.readouterr().err.endswith(f"cannot write {pipe}: no process reads this pipe\n")
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    time.sleep(0.2)  # the reader opens the pipe first
    assert cli.main(args) == 0
    reader.join(30)
    assert received[0].decode("utf-8").startswith("## Incident response process")
    assert stat.S_ISFIFO(pipe.stat().st_mode)


# -- 12. lint --cache-dir . -----------------------------------------------------------------------


def test_12_a_cache_folder_holding_other_files_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys) -> None:  # fmt: skip
    """--cache-dir . wrote a .gitignore of * into the work tree (hiding every new file from git)
    and doctrees/ and runbooks/ beside the user's files: refused, nothing written."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOTS / "test-seed", tmp_path / "docs")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert cli.main(["lint", "docs", "--cache-dir", "."]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("sphinx-incident lint: the cache folder . holds files of its own")
        and err.count("\n") == 1
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    # a new folder becomes the cache's own, and stays usable
    for _ in range(2):
        assert cli.main(["lint", "docs", "--cache-dir", "cache"]) == 1
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_text("utf-8").startswith("Signature: 8a477f597d28d172")


# -- 13, 14. [page script] ---------------------------------------------------------------------
# The page's script: its browser tests own them.


# -- 15. a bad incident_severity entry ------------------------------------------------------------


def test_15_a_misspelt_check_in_incident_severity_fails_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys) -> None:  # fmt: skip
    """incident_severity = {"unsafe_ulr": ...} was a warning and lint exited 0: one error finding
    naming the value, and exit status 1."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "docs", {
        "conf.py": 'extensions = ["myst_parser", "sphinx_incident"]\n'
        'incident_severity = {"unsafe_ulr": "warning"}\n',
        "index.md": "# Index\n\n```{runbook}\n:id: rb\n\n1. **Do it**.\n```\n",
    })  # fmt: skip
    assert cli.main(["lint", "docs"]) == 1
    assert capsys.readouterr().out == (
        "docs/conf.py:2: error: [config] incident_severity names an unknown check 'unsafe_ulr' "
        "(did you mean 'unsafe_url'?); it is ignored\n"
        "1 error, 0 warnings in 1 runbook\n"
    )


# -- found by the generated-URL test -----------------------------------------------------------


@pytest.mark.parametrize("cited", [True, False])
def test_a_footnote_scheme_with_white_space_inside_is_judged_as_the_page_carries_it(
    tmp_path: Path, cited: bool
) -> None:
    """A footnote outside the runbook links to `<\\x00 \\n\\tvb scrIPT:///...>`, which docutils
    joins into a vbscript: URL: text on the page, cited from a step or not."""
    cite = " see [#n1]_" if cited else ""
    src = write(tmp_path / "src", {
        "conf.py": 'extensions = ["sphinx_incident"]\n',
        "index.rst": f"Notes\n=====\n\n.. runbook::\n   :id: notes\n\n   #. **Step 1**{cite}.\n\n"
        ".. [#n1] `Footnote link 1 <\x00 \n\tvb scrIPT:///evil.example/x>`__\n",
    })  # fmt: skip
    outdir, _ = build(src, freshenv=True)
    assert live_script_links(outdir) == []
    assert "Footnote link 1" in Page.of((outdir / "index.html").read_text("utf-8")).neutralised


# -- found by the fuzz test of the command line (test_fuzz_cli.py) ----------------------------


def test_a_page_that_is_not_utf8_is_named_with_its_line(tmp_path: Path, capsys) -> None:
    """Random bytes for a page stop Sphinx itself ("Encoding error!"): the command says which page
    and line, in one line, instead of the bare UnicodeDecodeError."""
    src = write(tmp_path / "docs", {
        "conf.py": 'extensions = ["myst_parser", "sphinx_incident"]\n',
        "index.md": "# Index\n\n```{toctree}\njunk\n```\n",
    })  # fmt: skip
    (src / "junk.md").write_bytes(b"# Junk\n\nfine\n\xd4\xff\xfe\n")
    for command in ("lint", "export", "discover"):
        status = cli.main([command, str(src)])
        err = capsys.readouterr().err
        if hasattr(sphinx.util, "UnicodeDecodeErrorHandler"):  # older Sphinx reads it, with "?"
            assert status == 0 and "Traceback" not in err
            continue
        assert status == 2
        assert err == (
            f"sphinx-incident {command}: cannot build {src}: {src / 'junk.md'}:4: "
            "not utf-8 text (invalid continuation byte at byte 13)\n"
        )
