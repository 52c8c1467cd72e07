"""Build a corpus with plain Sphinx, MyST and sphinx-design (no sphinx_incident) and print its lists.

The corpora's annotations say what the Markdown and reStructuredText parsers make of
each page: which list a step is in, where a mis-indented body or sub-list ends up.
This script shows that structure, so every annotation can be checked against the
parsers themselves rather than against the extension under test::

    .venv/bin/python tests/corpus/plain_build.py accuracy            # build with -W, outline every list
    .venv/bin/python tests/corpus/plain_build.py accuracy defects/   # only documents under defects/

The copy is built in a temporary folder with ``-W``: a corpus page that makes plain
Sphinx warn fails here. ``team-role`` and ``{role}`` are stood in for by a generic
object type, and ``runbook`` by a container, so the pages build without the extension.
"""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docutils import nodes

HERE = Path(__file__).resolve().parent

PLAIN_CONF = """
import os

_here = os.path.dirname(os.path.abspath(__file__))
exec(open(os.path.join(_here, "corpus_conf.py")).read())
extensions = [name for name in extensions if name != "sphinx_incident"]
exclude_patterns = ["_build", "corpus_conf.py", "expected.json"]


def setup(app):
    from docutils import nodes
    from docutils.parsers.rst import Directive, directives

    class Runbook(Directive):
        has_content = True
        option_spec = {name: directives.unchanged for name in ("id", "title", "roles", "class")}

        def run(self):
            node = nodes.container(classes=["runbook"])
            self.state.nested_parse(self.content, self.content_offset, node)
            return [node]

    app.add_directive("runbook", Runbook)
    app.add_object_type("team-role", "role")
"""

LISTS = (nodes.bullet_list, nodes.enumerated_list)
CONTAINERS = (nodes.container, nodes.Admonition, nodes.block_quote, nodes.definition_list)


def outline(node: nodes.Element, depth: int, out: list[str]) -> None:
    """Sections, lists (with each item's line and first words) and the blocks lists sit in."""
    pad = "  " * depth
    for child in node.children:
        if isinstance(child, nodes.section):
            out.append(f"{pad}# {child[0].astext()}")
            outline(child, depth + 1, out)
        elif isinstance(child, LISTS):
            kind = "ol" if isinstance(child, nodes.enumerated_list) else "ul"
            out.append(f"{pad}{kind} start={child.get('start', 1)}")
            for item in child.children:
                first = item.children[0] if item.children else item
                words = first.astext().replace("\n", " ")[:64]
                out.append(f"{pad}  - line {first.line}: {words}")
                outline(item, depth + 2, out)
        elif isinstance(child, nodes.paragraph) and not isinstance(node, nodes.list_item):
            out.append(f"{pad}| line {child.line}: {child.astext().replace(chr(10), ' ')[:56]}")
        elif isinstance(child, CONTAINERS):
            out.append(f"{pad}[{child.tagname}]")
            outline(child, depth + 1, out)


def main(argv: list[str]) -> int:
    if not argv or not (HERE / argv[0] / "conf.py").is_file():
        print(__doc__)
        return 2
    name, prefix = argv[0], (argv[1] if len(argv) > 1 else "")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / name
        shutil.copytree(HERE / name, src, ignore=shutil.ignore_patterns("_build"))
        (src / "conf.py").rename(src / "corpus_conf.py")
        (src / "conf.py").write_text(PLAIN_CONF)
        out = src / "_build"
        command = [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "pseudoxml",
            str(src),
            str(out),
        ]
        result = subprocess.run(command, check=False)
        if result.returncode:
            return result.returncode
        lines: list[str] = []
        for path in sorted((out / ".doctrees").rglob("*.doctree")):
            docname = path.relative_to(out / ".doctrees").with_suffix("").as_posix()
            if not docname.startswith(prefix):
                continue
            lines.append(f"== {docname}")
            with path.open("rb") as handle:
                outline(pickle.load(handle), 0, lines)
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
