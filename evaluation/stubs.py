"""Stand-ins for the directives and roles of extensions the evaluation does not install.

A handbook's own ``conf.py`` loads extensions (tabs, notebooks, diagrams,
link shorteners) that are not installed where the evaluation runs. Without
them docutils drops every block they wrap, lists included, which would count
against the tool for what the missing extension did. This extension finds the
directive and role names a handbook uses, and registers each one Sphinx does
not know as a plain container whose content is parsed (what most layout
directives are) or as a role that shows its text. The directives known to show
their content as it is typed (a terminal session, a shell prompt) stand in as
a literal block: parsed, their output would read as lists that are not there.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles
from sphinx.util.docutils import is_directive_registered, is_role_registered

_RST_DIRECTIVE = re.compile(r"^\s*\.\.\s+([A-Za-z][\w:.-]*)::", re.M)
_MYST_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{([A-Za-z][\w:.-]*)\}", re.M)
_RST_ROLE = re.compile(r"(?<![\w`]):([A-Za-z][\w:.-]*):`")
_MYST_ROLE = re.compile(r"(?<![\w`]){([A-Za-z][\w:.-]*)}`")


class AnyOptions(dict):  # type: ignore[type-arg]
    """An option spec that takes every option as text."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged


class StandIn(Directive):
    has_content = True
    optional_arguments = 10
    final_argument_whitespace = True
    option_spec = AnyOptions()

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["evaluation-stand-in"])
        # where the directive is written, as the extensions' own nodes say
        box.source, box.line = self.state_machine.get_source_and_line(self.lineno)
        if self.arguments:
            box += nodes.paragraph(text=" ".join(self.arguments))
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


#: directives of extensions that show their content literally (commands and their output)
LITERAL = frozenset({"terminal", "prompt"})


class LiteralStandIn(StandIn):
    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        block = nodes.literal_block(text, text, classes=["evaluation-stand-in"])
        block.source, block.line = self.state_machine.get_source_and_line(self.lineno)
        return [block]


def _text_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None,
               content: Any = None) -> tuple[list[nodes.Node], list[nodes.system_message]]:  # fmt: skip
    return [nodes.inline(rawtext, text)], []


def used_names(srcdir: Path) -> tuple[set[str], set[str]]:
    """The directive and role names the handbook's pages use."""
    found_directives: set[str] = set()
    found_roles: set[str] = set()
    for path in srcdir.rglob("*"):
        if path.suffix not in (".md", ".rst", ".txt") or not path.is_file():
            continue
        text = path.read_text("utf-8", errors="replace")
        found_directives.update(_RST_DIRECTIVE.findall(text))
        found_directives.update(_MYST_DIRECTIVE.findall(text))
        found_roles.update(_RST_ROLE.findall(text))
        found_roles.update(_MYST_ROLE.findall(text))
    return found_directives, found_roles


def _docutils_directive(name: str) -> bool:
    """docutils' own directives (``raw``, ``list-table``...) are loaded on first use, so
    ``is_directive_registered`` does not know them yet: they must not be stood in for."""
    return name.lower() in directives._directive_registry


def register_stand_ins(app: Any) -> None:
    names, role_names = used_names(Path(app.srcdir))
    for name in sorted(names):
        if ":" in name or is_directive_registered(name) or _docutils_directive(name):
            continue
        directives.register_directive(name, LiteralStandIn if name in LITERAL else StandIn)
    for name in sorted(role_names):
        if ":" in name or is_role_registered(name):
            continue
        roles.register_local_role(name, _text_role)  # type: ignore[arg-type]


def setup(app: Any) -> dict[str, Any]:
    # after every extension of conf.py has registered its own
    app.connect("builder-inited", register_stand_ins, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
