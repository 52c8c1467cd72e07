"""A third-party builder that knows only standard docutils and Sphinx nodes.

Like many builders outside Sphinx, its translator raises NotImplementedError
for a node type it has never heard of.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.builders import Builder

KNOWN = {
    cls
    for module in (nodes, addnodes)
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, nodes.Node)
}


class PlainTranslator(nodes.GenericNodeVisitor):
    def __init__(self, document: nodes.document) -> None:
        super().__init__(document)
        self.text: list[str] = []

    def default_visit(self, node: nodes.Node) -> None:
        if type(node) not in KNOWN:
            raise NotImplementedError(f"unknown node type: {node.tagname}")
        if isinstance(node, nodes.Text):
            self.text.append(node.astext())

    def default_departure(self, node: nodes.Node) -> None:
        pass


class PlainBuilder(Builder):
    name = "plain"
    format = "plain"

    def get_outdated_docs(self):
        return self.env.found_docs

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return docname + ".txt"

    def prepare_writing(self, docnames) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        visitor = PlainTranslator(doctree)
        doctree.walkabout(visitor)
        path = Path(self.outdir, docname + ".txt")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(visitor.text), "utf-8")


def setup(app):
    app.add_builder(PlainBuilder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
