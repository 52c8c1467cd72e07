"""The page's JavaScript: its unit tests under Node, its load order, and its size.

``tests/js/*.test.mjs`` test the scripts that use no DOM (the run format, times, the
run model, exports, hand-off links) with Node's built-in test runner; the browser
tests cover the rest. Without Node the unit tests skip, except under ``CI=true``,
where they must run (``tests/browser_setup.py`` installs Debian's ``nodejs``).
The other tests read the scripts: each file needs only what the files loaded before
it register, the DOM-free ones touch no page, and no file is over 600 lines or
function over 80.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sphinx_incident.rendering.html import SCRIPTS, STATIC
from sphinx_incident.rendering.markdown import csv_cell

from conftest import PROJECT

JS_TESTS = PROJECT / "tests" / "js"
#: the scripts that use no DOM, loaded first (``tests/js/load.mjs`` loads them in Node)
PURE = SCRIPTS[:10]
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80


def find_node() -> str | None:
    return shutil.which("node") or shutil.which("nodejs")


def test_the_unit_tests_pass_under_node() -> None:
    node = _node_or_skip()
    files = sorted(JS_TESTS.glob("*.test.mjs"))
    assert files
    # the files by name: from Node 21 on, `node --test <folder>` no longer searches a folder
    result = subprocess.run(
        [node, "--test", *(str(path.relative_to(PROJECT)) for path in files)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^# fail 0$", result.stdout, re.MULTILINE), result.stdout


def _node_or_skip() -> str:
    node = find_node()
    if node is None:
        message = "Node.js is not installed (Debian: apt-get install nodejs)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the JavaScript unit tests must run in CI: {message}")
        pytest.skip(message)
    return node


#: cells a spreadsheet could read as a formula, and some it could not
CSV_CASES = [
    "=1+1", '=HYPERLINK("http://example.org")', ' =HYPERLINK("http://example.org")', "  +1", "-2", "@SUM(A1)",
    "\uff1dcmd|' /C calc'!A0", "\uff0b1", "\uff0d1", "\uff20x", "\ufe66x", "\u3000=1", "\u00a0@x", "\u2028=1",
    "\x1c=1", "\x85-1", "\n=1", "\r=1", "\r\n=1", "\t=1", "\tx", "a\rb", "a\r\nb", "\ufeff=1", "\u2212 1",
    "plain", "", 'a "quoted" b, c', "Dana (on call)", "🔥=1", "'=1",
]  # fmt: skip


def test_the_page_escapes_csv_cells_as_the_export_does() -> None:
    """The timeline CSV of the page and ``export --format csv`` neutralise the same cells:
    the page's csvCell gives, once read back, what render_markdown.csv_cell gives."""
    node = _node_or_skip()
    script = (
        f"import {{ ns }} from {json.dumps((JS_TESTS / 'load.mjs').as_uri())};\n"
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf-8'));\n"
    ).replace("require('fs')", "(await import('node:fs'))")
    script += "process.stdout.write(JSON.stringify(cases.map((cell) => ns.exportText.csvCell(cell))));\n"
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps(CSV_CASES),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)
    for value, cell in zip(CSV_CASES, page, strict=True):
        [[read]] = list(csv.reader(io.StringIO(cell, newline="")))
        assert read == csv_cell(value), f"{value!r}: the page writes {cell!r}"


# ---- reading the scripts ----


def _regex_may_start(before: str) -> bool:
    """Whether a ``/`` after ``before`` (the code so far, literals as ``0``) starts a
    regular expression rather than a division."""
    before = before.rstrip()
    return (
        not before
        or before[-1] in "(,=:[!&|?{};+-*%<>~^"
        or re.search(r"\b(return|typeof)$", before) is not None
    )


def code_only(text: str) -> str:
    """``text`` with comments, strings, template literals and regular expressions blanked,
    line breaks kept: what is left has only the braces of the code."""
    out: list[str] = []
    seen = ""  # the code before the current character, literals as 0 and comments left out
    index, size = 0, len(text)
    while index < size:
        char, pair = text[index], text[index : index + 2]
        if pair in ("//", "/*"):
            end = text.find("\n" if pair == "//" else "*/", index + 2)
            end = size if end < 0 else end + (0 if pair == "//" else 2)
        elif char in "'\"`" or (char == "/" and _regex_may_start(seen)):
            end, in_class = index + 1, False
            while end < size and (text[end] != char or in_class):
                if text[end] == "\\":
                    end += 1
                elif char == "/" and text[end] in "[]":
                    in_class = text[end] == "["
                end += 1
            end += 1
            seen = seen[-40:] + "0"
        else:
            out.append(char)
            seen = seen[-40:] + char
            index += 1
            continue
        out.append(re.sub(r"[^\n]", " ", text[index:end]))
        index = end
    return "".join(out)


#: where a function's body starts: declarations and expressions, arrow functions with a
#: body, and methods (a name, its parameters and a brace at the start of a line)
FUNCTION_START = re.compile(
    r"\bfunction\b[^{;]*\{"
    r"|=>\s*\{"
    r"|^\s*(?:(?:async|static|get|set)\s+)*(?!(?:if|for|while|switch|catch|function)\b)[A-Za-z_$][\w$]*\s*\([^)]*\)\s*\{",
    re.MULTILINE,
)


def function_lengths(text: str) -> list[tuple[int, int]]:
    """(first line, number of lines) of every function and method, by matching braces.
    The function that wraps a whole file (``(function (ns) {`` at the start of a line)
    is the module, not a function."""
    code = code_only(text)
    found = []
    for match in FUNCTION_START.finditer(code):
        start = match.end() - 1
        if code.startswith("(function", code.rfind("\n", 0, start) + 1):
            continue
        depth = 0
        for end in range(start, len(code)):
            depth += {"{": 1, "}": -1}.get(code[end], 0)
            if depth == 0:
                break
        found.append((code.count("\n", 0, start) + 1, code.count("\n", start, end) + 1))
    return found


def scripts() -> list[Path]:
    return sorted(STATIC.glob("*.js")) + sorted(JS_TESTS.glob("*.mjs"))


def test_the_scan_finds_functions_and_ignores_braces_in_text() -> None:
    body = "\n".join(["  x += 1;"] * 81)
    sample = (
        "(function (ns) {\n"
        '  const a = "{", b = /[\\\\`{]/g, c = `}`; // {\n'
        "  /* { */\n"
        f"  function long(value) {{\n{body}\n  }}\n"
        "  class A {\n    method(a, b) {\n      return a / b / 2;\n    }\n  }\n"
        "  [1].map((n) => { return n; });\n"
        "}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));\n"
    )
    assert function_lengths(sample) == [(4, 83), (88, 3), (92, 1)]


def test_no_script_over_600_lines_or_function_over_80() -> None:
    too_long = []
    functions = 0
    for path in scripts():
        text = path.read_text("utf-8")
        lines = text.count("\n")
        if lines > MAX_FILE_LINES:
            too_long.append(f"{path.name}: {lines} lines")
        for first, length in function_lengths(text):
            functions += 1
            if length > MAX_FUNCTION_LINES:
                too_long.append(f"{path.name}:{first}: a function of {length} lines")
    assert too_long == []
    assert functions > 150  # the scan sees the functions (a broken scan would see few)


def test_every_script_is_loaded_and_needs_only_those_before_it() -> None:
    assert set(SCRIPTS) == {path.name for path in STATIC.glob("*.js")}
    assert SCRIPTS[-1] == "sphinx-incident.js"
    registered: set[str] = set()
    for name in SCRIPTS:
        code = code_only((STATIC / name).read_text("utf-8"))
        assert code.rstrip().endswith("}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));"), (
            name
        )
        own = set(re.findall(r"\bns\.(\w+)\s*=(?!=)", code))
        used = set(re.findall(r"\bns\.(\w+)", code)) - own
        assert used <= registered, f"{name} uses {sorted(used - registered)} before they are registered"
        assert not own & registered, f"{name} registers {sorted(own & registered)} again"
        registered |= own


def test_the_scripts_without_dom_touch_no_page() -> None:
    loaded = re.search(r"export const PURE = \[([^\]]*)\]", (JS_TESTS / "load.mjs").read_text("utf-8"))
    assert loaded is not None and re.findall(r'"([^"]+)"', loaded.group(1)) == list(PURE)
    for name in PURE:
        code = code_only((STATIC / name).read_text("utf-8"))
        assert not re.search(r"\b(document|window|navigator|localStorage)\b", code), name
