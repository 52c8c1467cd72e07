"""The package's shape: one-way imports between its layers, no cycle, small files and functions.

Every module of ``sphinx_incident`` is parsed and every import it writes
counts: at the top, inside functions, and under ``if TYPE_CHECKING:`` (a type
is a dependency too). Importing a submodule also runs its parent packages'
``__init__``; those implicit imports are not counted, as import linters do not.

The layers, in the order data flows through a build:

- ``model``: the checklist model, plain data; imports nothing else of the package;
- ``config``: the configuration, declared once; nothing else either;
- ``reading`` and ``domain``: doctrees to the model, stored per document;
- ``checking``: resolution, the decisions that need every document, the checks;
- ``rendering``: pages, overview tables, the step list, exports;
- ``extension``: the registration table;
- ``commands``: the command line, which drives the extension and is never imported by it.

``version`` may be imported by all; the package's ``__init__`` and ``__main__``
are the two ways in: Sphinx's ``setup`` and ``python -m sphinx_incident``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sphinx_incident"
NAME = PACKAGE.name
#: the most lines a file may have, and a Python function
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80

LAYERS = ("model", "config", "reading", "domain", "checking", "rendering", "extension", "commands")
#: each layer, and the layers it may import from besides itself (``version`` is everyone's)
MAY_IMPORT: dict[str, set[str]] = {
    "model": set(),
    "config": set(),
    "reading": {"model", "config", "domain"},
    "domain": {"model", "config", "reading"},
    "checking": {"model", "config", "domain", "reading"},
    "rendering": {"model", "config", "domain", "reading", "checking"},
    "extension": {"model", "config", "domain", "reading", "checking", "rendering"},
    "commands": {"model", "config", "domain", "reading", "checking", "rendering", "extension"},
    "package": {"extension", "commands"},
    "version": set(),
}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("__main__",):
        return "package"
    return parts[1] if parts[1] in LAYERS or parts[1] == "version" else "package"


def imports_of(module: str) -> list[Import]:
    """The package's modules that ``module`` imports, wherever in it the import is written."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            # ``from . import steps`` imports the module ``steps``; ``from .steps import Draft`` its module
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                       for alias in node.names]  # fmt: skip
        else:
            continue
        for target in dict.fromkeys(targets):
            if target.split(".")[0] == NAME and target in MODULES and target != module:
                found.append(Import(module, target, node.lineno))
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def cycles(graph: dict[str, list[Import]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for edge in graph[module]:
            if edge.imported not in index:
                visit(edge.imported)
                low[module] = min(low[module], low[edge.imported])
            elif edge.imported in on_stack:
                low[module] = min(low[module], index[edge.imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_the_import_graph_is_read() -> None:
    """A sanity check of the parser: imports inside functions and under TYPE_CHECKING count."""
    edges = {(e.importer, e.imported) for e in GRAPH[f"{NAME}.commands.export"]}
    assert (f"{NAME}.commands.export", f"{NAME}.rendering.markdown") in edges
    inside_setup = {e.imported for e in GRAPH[NAME]}
    assert f"{NAME}.extension" in inside_setup  # imported inside setup()
    assert cycles({"a": [Import("a", "b", 1)], "b": [Import("b", "a", 1)]}) == [["a", "b"]]


def test_no_import_cycle() -> None:
    assert cycles(GRAPH) == []


def test_imports_go_one_way_between_layers() -> None:
    wrong = [
        f"{e.importer} ({layer(e.importer)}) imports {e.imported} ({layer(e.imported)}), line {e.line}"
        for edges in GRAPH.values()
        for e in edges
        if layer(e.imported) not in {layer(e.importer), "version", *MAY_IMPORT[layer(e.importer)]}
    ]
    assert wrong == []


def test_the_extension_never_imports_a_command() -> None:
    """Commands drive the extension; the extension, read by every Sphinx build, knows none of them."""
    reached: set[str] = set()
    todo = [f"{NAME}.extension"]
    while todo:
        module = todo.pop()
        if module not in reached:
            reached.add(module)
            todo.extend(e.imported for e in GRAPH[module])
    assert sorted(m for m in reached if layer(m) == "commands") == []


def _sized_files() -> list[object]:
    files = sorted(
        p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".js") and "__pycache__" not in p.parts
    )
    return [pytest.param(path, id=path.relative_to(PACKAGE).as_posix()) for path in files]


@pytest.mark.parametrize("path", _sized_files())
def test_no_file_is_longer_than_600_lines(path: Path) -> None:
    assert len(path.read_text("utf-8").splitlines()) <= MAX_FILE_LINES


def test_no_function_is_longer_than_80_lines() -> None:
    long = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{module}.{node.name}: {lines} lines")
    assert long == []


def test_the_top_of_the_package_stays_small() -> None:
    entries = [p.name for p in PACKAGE.iterdir() if p.name != "__pycache__"]
    assert len(entries) <= 12, sorted(entries)
