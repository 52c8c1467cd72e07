"""Reference pages built from sphinx-incident's own code, so the documentation cannot drift from it.

Directives, each making plain docutils nodes (tables, definition lists,
literal blocks) that every builder renders:

``incident-config-table``
    every ``incident_*`` value of :data:`sphinx_incident.config.FIELDS`;
``incident-rules`` (option ``:scope:``)
    the rules of :data:`sphinx_incident.checking.rules.RULES` that look at one scope;
``incident-cli [COMMAND]``
    usage, description and arguments of ``sphinx-incident`` or one of its
    sub-commands, read from :func:`sphinx_incident.commands.cli.get_parser`;
``incident-schema PATH``
    a JSON Schema, property by property;
``incident-directives``
    the directives, roles and builders the extension registers with Sphinx;
``incident-action-inputs PATH`` and ``incident-precommit-hook PATH``
    the inputs of the GitHub Action and the pre-commit hook, from their YAML files.

Each documented item is also a cross-reference target: ``{confval}`` for
configuration values, ``{incident-rule}`` for rules, ``{option}`` for command-line
arguments and ``{rst:dir}`` / ``{rst:role}`` for directives and roles, so prose
pages link to the reference and a nitpicky build fails when a link names
something that no longer exists. Once every page is read, the build warns
about anything in the code that no page documents.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import typing
from collections.abc import Callable, Iterable
from dataclasses import MISSING, Field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import yaml
from docutils import nodes
from docutils.parsers.rst import directives, roles
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_incident import config
from sphinx_incident.checking import rules
from sphinx_incident.checking.rule_examples import EXAMPLES
from sphinx_incident.commands import cli

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata, OptionSpec

logger = logging.getLogger(__name__)

#: the object type (in Sphinx's standard domain) of a rule, and the role that links to one
RULE_OBJTYPE = "incident-rule"
#: the program name the standard domain files ``sphinx-incident lint`` options under
PROGRAM = "sphinx-incident"
#: what a warning of this extension is typed as, so ``suppress_warnings`` could name it
WARNING_TYPE = "incident-docs"


# -- inline text -------------------------------------------------------------------------

#: ``literal`` (rST), `code` (Markdown) and **strong**: the markup the help texts use.
#: A literal ends at the last of a run of backticks, as in rST (``{role}`x```). Command-line
#: options written bare (``--fail-on``, ``-D``) read as literals too, and stay intact
#: (smart quotes would turn ``--`` into a dash).
_INLINE = re.compile(
    r"``(?P<rst>.+?)``(?!`)|`(?P<md>[^`]+)`|\*\*(?P<strong>.+?)\*\*"
    r"|(?<![\w-])(?P<option>--[a-z][\w-]*|-[A-Z])(?![\w-])"
)


def inline(text: str, docname: str) -> list[nodes.Node]:
    """Nodes for a help text on the page ``docname``; a literal that names a configuration
    value links to it."""
    out: list[nodes.Node] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            out.append(nodes.Text(text[position : match.start()]))
        if match["strong"] is not None:
            out.append(nodes.strong(match["strong"], match["strong"]))
        else:
            code = next(match[group] for group in ("rst", "md", "option") if match[group] is not None)
            out.append(_literal(code, docname))
        position = match.end()
    if position < len(text):
        out.append(nodes.Text(text[position:]))
    return out


def _literal(code: str, docname: str) -> nodes.Node:
    literal = nodes.literal(code, code)
    if code not in {config.PREFIX + f.name for f in config.FIELDS}:
        return literal
    xref = addnodes.pending_xref(
        "",
        refdomain="std",
        reftype="confval",
        reftarget=code,
        refexplicit=False,
        refwarn=True,
        refdoc=docname,
    )
    xref += literal
    return xref


def paragraph(*children: nodes.Node | str) -> nodes.paragraph:
    para = nodes.paragraph()
    for child in children:
        para += nodes.Text(child) if isinstance(child, str) else child
    return para


def table(headers: list[str], widths: list[int], rows: Iterable[list[list[nodes.Node]]]) -> nodes.table:
    """A docutils table: a header row, then one row per item, each cell a list of body nodes."""
    result = nodes.table(classes=["incident-reference"])
    group = nodes.tgroup(cols=len(headers))
    result += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row([[paragraph(header)] for header in headers])
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += _row(cells)
    return result


def _row(cells: list[list[nodes.Node]]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry.extend(cell)
        row += entry
    return row


class ReferenceDirective(SphinxDirective):
    """What the reference directives share: anchoring an item where it is documented."""

    def anchor(self, node: nodes.Element, objtype: str, name: str, node_id: str) -> nodes.Element:
        """Give ``node`` the item's anchor and an index entry; returns ``node``."""
        node["ids"].append(node_id)
        self.state.document.note_explicit_target(node)
        node.insert(0, addnodes.index(entries=[("single", f"{name} ({objtype})", node_id, "", None)]))
        return node

    def make_id(self, prefix: str, name: str) -> str:
        return nodes.make_id(f"{prefix}-{name}")


# -- configuration -------------------------------------------------------------------------


def default_of(field: Field[Any]) -> Any:
    if field.default_factory is not MISSING:
        return field.default_factory()
    return field.default


class ConfigTable(ReferenceDirective):
    """``incident-config-table``: every configuration value, with its type, default and help."""

    def run(self) -> list[nodes.Node]:
        std = self.env.domains["std"]
        items = nodes.definition_list(classes=["incident-config"])
        for field in config.FIELDS:
            name = config.PREFIX + field.name
            node_id = nodes.make_id(f"confval-{name}")
            std.note_object("confval", name, node_id, location=(self.env.docname, self.lineno))
            term = nodes.term("", "", nodes.literal(name, name))
            self.anchor(term, "configuration value", name, node_id)
            default = repr(default_of(field))
            definition = nodes.definition()
            definition += paragraph(
                nodes.strong("Type: ", "Type: "),
                nodes.literal(str(field.type), str(field.type)),
                nodes.Text(" · "),
                nodes.strong("Default: ", "Default: "),
                nodes.literal(default, default),
            )
            definition += paragraph(*inline(field.metadata["help"], self.env.docname))
            items += nodes.definition_list_item("", term, definition)
        return [items]


# -- rules -------------------------------------------------------------------------------

SCOPES: tuple[str, ...] = typing.get_args(rules.Scope)


class RulesList(ReferenceDirective):
    """``incident-rules :scope: SCOPE``: each rule of the scope, what it catches, why, how to fix."""

    option_spec: ClassVar[OptionSpec] = {"scope": lambda value: directives.choice(value, SCOPES)}

    def run(self) -> list[nodes.Node]:
        scope = self.options.get("scope")
        if scope is None:
            raise self.error(f"incident-rules needs :scope: (one of {', '.join(SCOPES)})")
        std = self.env.domains["std"]
        items = nodes.definition_list(classes=["incident-rules"])
        for rule in rules.RULES:
            if rule.scope != scope:
                continue
            node_id = self.make_id("rule", rule.code)
            std.note_object(RULE_OBJTYPE, rule.code, node_id, location=(self.env.docname, self.lineno))
            term = nodes.term(
                "", "", nodes.literal(rule.code, rule.code), nodes.Text(f" ({rule.severity} by default)")
            )
            self.anchor(term, "rule", rule.warning_code, node_id)
            definition = nodes.definition()
            definition += paragraph(*inline(rule.summary, self.env.docname))
            definition += paragraph(
                nodes.strong("Why it matters: ", "Why it matters: "), *inline(rule.why, self.env.docname)
            )
            definition += paragraph(
                nodes.strong("How to fix: ", "How to fix: "), *inline(rule.fix, self.env.docname)
            )
            example = EXAMPLES[rule.code]
            for label, text in (("Reported: ", example.reported), ("Not reported: ", example.not_reported)):
                definition += paragraph(nodes.strong(label, label))
                definition += nodes.literal_block(text, text.rstrip("\n"), language="text")
            definition += paragraph(
                nodes.strong("Warning type: ", "Warning type: "),
                nodes.literal(rule.warning_code, rule.warning_code),
            )
            items += nodes.definition_list_item("", term, definition)
        if not items.children:
            raise self.error(f"no rule has the scope {scope!r}")
        return [items]


# -- command line ----------------------------------------------------------------------------


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The sub-command parsers of ``sphinx-incident``, in the order ``--help`` lists them."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def program_parser(command: str | None) -> argparse.ArgumentParser:
    """A fresh parser for ``sphinx-incident`` or one of its commands, formatting at a fixed width."""
    parser = cli.get_parser()
    if command is not None:
        commands = subcommands(parser)
        if command not in commands:
            raise KeyError(command)
        parser = commands[command]
    # usage lines wrap at the terminal's width otherwise: the page must not depend on it
    parser.formatter_class = lambda prog: argparse.HelpFormatter(prog, width=88)
    return parser


def argument_names(action: argparse.Action) -> list[str]:
    """What ``{option}`` names an argument by: each option string, or a positional's metavar."""
    if action.option_strings:
        return list(action.option_strings)
    return [str(action.metavar or action.dest)]


def documented_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        action
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
    ]


class CommandLine(ReferenceDirective):
    """``incident-cli [COMMAND]``: the usage and every argument of the program or a sub-command."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        command = self.arguments[0] if self.arguments else None
        try:
            parser = program_parser(command)
        except KeyError:
            known = ", ".join(subcommands(cli.get_parser()))
            raise self.error(f"sphinx-incident has no command {command!r} (it has {known})") from None
        program = PROGRAM if command is None else f"{PROGRAM}-{command}"
        formatter = parser._get_formatter()
        usage = parser.format_usage().strip()
        result: list[nodes.Node] = [nodes.literal_block(usage, usage, language="text")]
        if parser.description:
            result.append(paragraph(*inline(parser.description, self.env.docname)))
        if command is None:
            result.append(self._commands(parser))
        required_groups = {
            id(action): group
            for group in parser._mutually_exclusive_groups
            if group.required
            for action in group._group_actions
        }
        items = nodes.definition_list(classes=["incident-cli"])
        std = self.env.domains["std"]
        for action in documented_actions(parser):
            invocation = formatter._format_action_invocation(action)
            node_id = self.make_id(f"cmdoption-{program}", argument_names(action)[-1])
            for name in argument_names(action):
                std.add_program_option(program, name, self.env.docname, node_id)
            term = nodes.term("", "", nodes.literal(invocation, invocation))
            shown = PROGRAM if command is None else f"{PROGRAM} {command}"
            self.anchor(term, "command-line argument", f"{shown} {argument_names(action)[0]}", node_id)
            definition = nodes.definition()
            text = formatter._expand_help(action) if action.help else ""
            para = paragraph(*inline(text, self.env.docname))
            if id(action) in required_groups:
                para += nodes.Text(" Required: one of ")
                for i, other in enumerate(required_groups[id(action)]._group_actions):
                    if i:
                        para += nodes.Text(" or ")
                    para += nodes.literal(other.option_strings[0], other.option_strings[0])
                para += nodes.Text(".")
            elif action.required and action.option_strings:
                para += nodes.Text(" Required.")
            definition += para
            items += nodes.definition_list_item("", term, definition)
        result.append(items)
        return result

    def _commands(self, parser: argparse.ArgumentParser) -> nodes.Node:
        helps = {}
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
        rows = []
        for name in subcommands(parser):
            rows.append(
                [
                    [paragraph(nodes.literal(name, name))],
                    [paragraph(*inline(helps.get(name, ""), self.env.docname))],
                ]
            )
        return table(["command", "what it does"], [20, 80], rows)


# -- JSON Schema ------------------------------------------------------------------------------


#: what the rubric of a schema's top-level object says
TOP = "the document"


class SchemaRenderer:
    """A JSON Schema, as a table of properties per object and a line per other definition."""

    def __init__(self, schema: dict[str, Any], prefix: str, docname: str) -> None:
        self.schema = schema
        self.prefix = prefix
        self.docname = docname
        #: objects met inside others that get a table of their own: (name, schema)
        self.pending: list[tuple[str, dict[str, Any]]] = []
        self.named: dict[int, str] = {}

    def anchor(self, name: str) -> str:
        return nodes.make_id(f"{self.prefix}-{name}")

    def render(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        self.pending.append((TOP, self.schema))
        for name, definition in self.schema.get("$defs", {}).items():
            self.pending.append((name, definition))
        done = 0
        while done < len(self.pending):
            name, definition = self.pending[done]
            done += 1
            out.extend(self.definition(name, definition))
        return out

    def definition(self, name: str, schema: dict[str, Any]) -> list[nodes.Node]:
        title = nodes.rubric("", "", nodes.literal(name, name))
        title["ids"].append(self.anchor(name))
        out: list[nodes.Node] = [title]
        description = schema.get("description")
        if description and name != TOP:
            out.append(paragraph(*inline(description, self.docname)))
        if "properties" in schema and schema.get("type") == "object":
            out.append(self.properties(name, schema))
            if schema.get("additionalProperties") is False:
                out.append(paragraph("No other properties are allowed."))
        elif self.described_alternatives(schema):
            (keyword,) = [k for k in ("oneOf", "anyOf") if k in schema]
            out.append(
                paragraph(
                    nodes.strong("Type: ", "Type: "), "exactly one of" if keyword == "oneOf" else "any of"
                )
            )
            items = nodes.bullet_list()
            for alternative in schema[keyword]:
                described = alternative["description"].rstrip(".")
                items += nodes.list_item(
                    "",
                    paragraph(nodes.emphasis(described, described), ": ", *self.type_of(alternative, name)),
                )
            out.append(items)
        else:
            out.append(paragraph(nodes.strong("Type: ", "Type: "), *self.type_of(schema, name)))
        return out

    @staticmethod
    def described_alternatives(schema: dict[str, Any]) -> bool:
        """Alternatives that each say what they are: listed one a line, with what they say."""
        alternatives = schema.get("oneOf") or schema.get("anyOf") or []
        return bool(alternatives) and all("description" in a for a in alternatives) and len(schema) == 1

    def properties(self, owner: str, schema: dict[str, Any]) -> nodes.table:
        required = set(schema.get("required", ()))
        described = any(sub.get("description") for sub in schema["properties"].values())
        rows = []
        for prop, sub in schema["properties"].items():
            name_cell = paragraph(nodes.literal(prop, prop))
            if prop in required:
                name_cell += nodes.Text(" (required)")
            path = prop if owner == TOP else f"{owner}.{prop}"
            text: list[nodes.Node] = []
            if sub.get("description"):
                text.append(paragraph(*inline(sub["description"], self.docname)))
            cells = [[name_cell], [paragraph(*self.type_of(sub, path))]]
            rows.append([*cells, text] if described else cells)
        if described:
            return table(["property", "type", "description"], [22, 38, 40], rows)
        return table(["property", "type"], [30, 70], rows)

    def ref_name(self, ref: str) -> str:
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"only references to #/$defs/ are rendered, not {ref!r}")
        return ref.removeprefix("#/$defs/")

    def link(self, name: str) -> nodes.Node:
        return nodes.reference("", "", nodes.literal(name, name), refid=self.anchor(name), internal=True)

    def type_of(self, schema: dict[str, Any] | bool, path: str) -> list[nodes.Node]:
        """Inline nodes saying what a value is: its type, constants, alternatives and constraints.
        A boolean schema is a property an event of one kind may not have (``false``), or any value."""
        if isinstance(schema, bool):
            return [nodes.Text("any value" if schema else "not allowed")]
        parts: list[list[nodes.Node]] = []
        if "$ref" in schema:
            parts.append([self.link(self.ref_name(schema["$ref"]))])
        if "const" in schema:
            value = json.dumps(schema["const"])
            parts.append([nodes.Text("the constant "), nodes.literal(value, value)])
        if "enum" in schema:
            values = [json.dumps(v) for v in schema["enum"]]
            words: list[nodes.Node] = [nodes.Text("one of ")]
            for i, value in enumerate(values):
                if i:
                    words.append(nodes.Text(", "))
                words.append(nodes.literal(value, value))
            parts.append(words)
        if "type" in schema and not ("properties" in schema and schema.get("type") == "object"):
            kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if kinds == ["array"]:
                parts.append(self.array(schema, path))
            else:
                parts.append([nodes.Text(" or ".join(kinds))])
        elif "properties" in schema and schema.get("type") == "object":
            # an object inside another gets a table of its own, named by where it sits
            if id(schema) not in self.named:
                self.named[id(schema)] = path
                self.pending.append((path, schema))
            parts.append([nodes.Text("an object: "), self.link(self.named[id(schema)])])
        for keyword, joiner in (("oneOf", " or "), ("anyOf", " or "), ("allOf", " and ")):
            if keyword in schema:
                alternatives: list[nodes.Node] = []
                for i, alternative in enumerate(schema[keyword]):
                    if i:
                        alternatives.append(nodes.Text(joiner))
                    described = alternative.get("description")
                    inner = self.type_of(alternative, path)
                    if described:
                        alternatives.append(nodes.emphasis(described, described))
                        alternatives.append(nodes.Text(": "))
                    alternatives.extend(inner)
                parts.append(alternatives)
        if "properties" in schema and "$ref" in schema:
            # an event of one kind: the referenced object with some properties narrowed
            narrowed: list[nodes.Node] = [nodes.Text("with ")]
            for i, (prop, sub) in enumerate(schema["properties"].items()):
                if i:
                    narrowed.append(nodes.Text("; "))
                narrowed.append(nodes.literal(prop, prop))
                narrowed.append(nodes.Text(": "))
                narrowed.extend(self.type_of(sub, f"{path}.{prop}"))
            parts.append(narrowed)
        constraints = self.constraints(schema)
        if constraints:
            parts.append([nodes.Text("(" + "; ".join(constraints) + ")")])
        out: list[nodes.Node] = []
        for i, part in enumerate(parts):
            if i:
                out.append(nodes.Text(" "))
            out.extend(part)
        out.extend(self.patterns(schema))
        return out or [nodes.Text("any value")]

    def array(self, schema: dict[str, Any], path: str) -> list[nodes.Node]:
        out: list[nodes.Node] = [nodes.Text("array")]
        if "prefixItems" in schema:
            out.append(nodes.Text(": first "))
            for i, item in enumerate(schema["prefixItems"]):
                if i:
                    out.append(nodes.Text(", then "))
                out.extend(self.type_of(item, f"{path}[{i}]"))
            out.append(nodes.Text(", then each"))
        if "items" in schema:
            out.append(nodes.Text(" of "))
            out.extend(self.type_of(schema["items"], f"{path}[]"))
        if "contains" in schema:
            low, high = schema.get("minContains", 1), schema.get("maxContains")
            count = f"at most {high}" if low == 0 and high is not None else f"at least {low}"
            out.append(nodes.Text(f", holding {count} "))
            out.extend(self.type_of(schema["contains"], path))
        return out

    def constraints(self, schema: dict[str, Any]) -> list[str]:
        said = []
        for low, high, unit in (
            ("minLength", "maxLength", "characters"),
            ("minItems", "maxItems", "items"),
            ("minimum", "maximum", ""),
        ):
            a, b = schema.get(low), schema.get(high)
            if a is not None and a == b:
                said.append(f"exactly {a} {_units(unit, a)}".strip())
            elif a is not None and b is not None:
                said.append(f"{a} to {b} {_units(unit, b)}".strip())
            elif a is not None:
                said.append(f"at least {a} {_units(unit, a)}".strip())
            elif b is not None:
                said.append(f"at most {b} {_units(unit, b)}".strip())
        if "format" in schema:
            said.append(f"format {schema['format']}")
        return said

    def patterns(self, schema: dict[str, Any]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for words, pattern in (
            ("matching", schema.get("pattern")),
            ("never matching", schema.get("not", {}).get("pattern")),
        ):
            if pattern is not None:
                out += [nodes.Text(f" {words} "), nodes.literal(pattern, pattern)]
        return out


def _units(unit: str, count: int) -> str:
    """``characters`` and ``items``, or the singular for one."""
    return unit.removesuffix("s") if count == 1 else unit


class Schema(SphinxDirective):
    """``incident-schema PATH``: a JSON Schema file (relative to this page), definition by definition."""

    required_arguments = 1
    option_spec: ClassVar[OptionSpec] = {"prefix": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        relative, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(relative)
        try:
            schema = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise self.error(f"cannot read the schema {self.arguments[0]}: {error}") from None
        prefix = self.options.get("prefix") or Path(path).name.removesuffix(".json").replace(".", "-")
        intro = paragraph(
            nodes.strong(schema.get("title", ""), schema.get("title", "")),
            nodes.Text(": "),
            *inline(schema.get("description", ""), self.env.docname),
        )
        ident = paragraph(
            nodes.Text("JSON Schema draft 2020-12, "), nodes.literal(schema["$id"], schema["$id"])
        )
        return [intro, ident, *SchemaRenderer(schema, prefix, self.env.docname).render()]


# -- directives, roles and builders --------------------------------------------------------------


def _ours(thing: object) -> bool:
    kind = thing if isinstance(thing, type) else type(thing)
    return kind.__module__.split(".", 1)[0] == "sphinx_incident"


def first_paragraph(thing: object) -> str:
    """The first paragraph of a class's docstring, on one line."""
    kind = thing if isinstance(thing, type) else type(thing)
    doc = inspect.getdoc(kind) or ""
    return " ".join(doc.split("\n\n", 1)[0].split())


def registered(app: Sphinx) -> dict[str, list[tuple[str, object]]]:
    """What the extension registers, by kind: (name, the directive class, role or builder class)."""
    found: dict[str, list[tuple[str, object]]] = {"directive": [], "role": [], "builder": []}
    for name, directive in sorted(directives._directives.items()):  # type: ignore[attr-defined]
        if _ours(directive):
            found["directive"].append((name, directive))
    for name, role in sorted(roles._roles.items()):  # type: ignore[attr-defined]
        if _ours(role):
            found["role"].append((name, role))
    for domain_name, domain_directives in app.registry.domain_directives.items():
        for name, directive in domain_directives.items():
            if _ours(directive):
                found["directive"].append((f"{domain_name}:{name}", directive))
    for domain_name, domain in app.registry.domains.items():
        if _ours(domain):
            for name, role in domain.roles.items():
                found["role"].append((f"{domain_name}:{name}", role))
    for name, builder in sorted(app.registry.builders.items()):
        if _ours(builder):
            found["builder"].append((name, builder))
    return found


#: what sphinx-incident registered, read once the build's extensions are all set up
_REGISTERED: dict[str, list[tuple[str, object]]] = {}


def note_registrations(app: Sphinx) -> None:
    """``builder-inited``: every extension is set up; its registrations are final."""
    _REGISTERED.clear()
    _REGISTERED.update(registered(app))


#: how an option's value is read, for the converters docutils provides
_CONVERTERS: dict[Callable[..., Any], str] = {
    directives.unchanged: "text, may be empty",
    directives.unchanged_required: "text",
    directives.class_option: "class names, separated by spaces",
    directives.flag: "no value",
}


def value_kind(converter: Callable[..., Any]) -> str:
    if converter in _CONVERTERS:
        return _CONVERTERS[converter]
    doc = inspect.getdoc(converter)
    if doc:
        return doc.split("\n", 1)[0].rstrip(".")
    return converter.__name__.strip("_").replace("_", " ")


def arguments_of(directive: type[Any]) -> str:
    required, optional = directive.required_arguments, directive.optional_arguments
    if not required and not optional:
        return "none"
    spaces = ", may contain spaces" if directive.final_argument_whitespace else ""
    if required:
        return f"{required} required{spaces}"
    return f"{optional} optional{spaces}"


class Registrations(ReferenceDirective):
    """``incident-directives``: every directive, role and builder sphinx-incident adds to Sphinx."""

    def run(self) -> list[nodes.Node]:
        found = _REGISTERED
        rst = self.env.domains["rst"]
        location = (self.env.docname, self.lineno)
        directive_items = nodes.definition_list(classes=["incident-directives"])
        first_name: dict[object, str] = {}
        for name, directive in found["directive"]:
            assert isinstance(directive, type)
            node_id = self.make_id("directive", name)
            rst.note_object("directive", name, node_id, location=location)
            term = nodes.term("", "", nodes.literal(name, name))
            self.anchor(term, "directive", name, node_id)
            definition = nodes.definition()
            alias = first_name.setdefault(directive, name)
            if alias != name:
                definition += paragraph("The same directive as ", nodes.literal(alias, alias), ".")
            else:
                definition += paragraph(*inline(first_paragraph(directive), self.env.docname))
            definition += paragraph(
                nodes.strong("Argument: ", "Argument: "),
                arguments_of(directive),
                " · ",
                nodes.strong("Content: ", "Content: "),
                "yes" if getattr(directive, "has_content", False) else "no",
            )
            options = nodes.bullet_list()
            for option, converter in (getattr(directive, "option_spec", None) or {}).items():
                rst.note_object(
                    "directive:option", f"{name}:{option}", f"{node_id}-{option}", location=location
                )
                item = nodes.list_item(
                    "", paragraph(nodes.literal(f":{option}:", f":{option}:"), f" {value_kind(converter)}")
                )
                item["ids"].append(f"{node_id}-{option}")
                options += item
            if options.children:
                definition += paragraph(nodes.strong("Options:", "Options:"))
                definition += options
            directive_items += nodes.definition_list_item("", term, definition)
        role_items = nodes.definition_list(classes=["incident-roles"])
        for name, role in found["role"]:
            node_id = self.make_id("role", name)
            rst.note_object("role", name, node_id, location=location)
            term = nodes.term("", "", nodes.literal(name, name))
            self.anchor(term, "role", name, node_id)
            role_items += nodes.definition_list_item(
                "", term, nodes.definition("", paragraph(*inline(first_paragraph(role), self.env.docname)))
            )
        builder_items = nodes.definition_list(classes=["incident-builders"])
        for name, builder in found["builder"]:
            term = nodes.term("", "", nodes.literal(name, name))
            builder_items += nodes.definition_list_item(
                "", term, nodes.definition("", paragraph(*inline(first_paragraph(builder), self.env.docname)))
            )
        return [
            nodes.rubric("", "Directives"),
            directive_items,
            nodes.rubric("", "Roles"),
            role_items,
            nodes.rubric("", "Builders"),
            builder_items,
        ]


# -- the GitHub Action and the pre-commit hook -------------------------------------------------


class YamlFileDirective(SphinxDirective):
    """A directive that reads a YAML file named relative to the page."""

    required_arguments = 1

    def load(self) -> Any:
        relative, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(relative)
        try:
            return yaml.safe_load(Path(path).read_text("utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise self.error(f"cannot read {self.arguments[0]}: {error}") from None


class ActionInputs(YamlFileDirective):
    """``incident-action-inputs PATH``: the inputs of a GitHub Action, from its ``action.yml``."""

    def run(self) -> list[nodes.Node]:
        action = self.load()
        rows = []
        for name, spec in (action.get("inputs") or {}).items():
            default = str(spec.get("default", ""))
            rows.append(
                [
                    [paragraph(nodes.literal(name, name))],
                    [paragraph(nodes.literal(default, default)) if default else paragraph("(empty)")],
                    [
                        paragraph(
                            *inline(" ".join(str(spec.get("description", "")).split()), self.env.docname)
                        )
                    ],
                ]
            )
        intro = paragraph(*inline(" ".join(str(action.get("description", "")).split()), self.env.docname))
        return [intro, table(["input", "default", "description"], [18, 14, 68], rows)]


class PrecommitHook(YamlFileDirective):
    """``incident-precommit-hook PATH``: each hook of a ``.pre-commit-hooks.yaml``, key by key."""

    def run(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for hook in self.load() or []:
            rows = []
            for key, value in hook.items():
                text = json.dumps(value) if not isinstance(value, str) else value
                rows.append([[paragraph(nodes.literal(key, key))], [paragraph(nodes.literal(text, text))]])
            out.append(table(["key", "value"], [25, 75], rows))
        return out


# -- nothing left out ------------------------------------------------------------------------------


def check_everything_is_documented(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn about each configuration value, rule, argument or directive no page documents."""
    std, rst = env.domains["std"], env.domains["rst"]
    documented = set(std.objects)
    missing = [f"configuration value {config.PREFIX}{f.name}" for f in config.FIELDS
               if ("confval", config.PREFIX + f.name) not in documented]  # fmt: skip
    missing += [f"rule {r.code}" for r in rules.RULES if (RULE_OBJTYPE, r.code) not in documented]
    parser = cli.get_parser()
    programs = {PROGRAM: parser} | {f"{PROGRAM}-{name}": sub for name, sub in subcommands(parser).items()}
    for program, sub in programs.items():
        for action in documented_actions(sub):
            for name in argument_names(action):
                if (program, name) not in std.progoptions:
                    missing.append(f"argument {name} of {program.replace('-', ' ', 1)}")
    found = registered(app)
    for kind in ("directive", "role"):
        missing += [f"{kind} {name}" for name, _ in found[kind] if (kind, name) not in rst.objects]
    for item in missing:
        logger.warning("no page documents the %s", item, type=WARNING_TYPE, subtype="missing")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_object_type(
        RULE_OBJTYPE, RULE_OBJTYPE, objname="sphinx-incident rule", ref_nodeclass=nodes.literal
    )
    app.add_directive("incident-config-table", ConfigTable)
    app.add_directive("incident-rules", RulesList)
    app.add_directive("incident-cli", CommandLine)
    app.add_directive("incident-schema", Schema)
    app.add_directive("incident-directives", Registrations)
    app.add_directive("incident-action-inputs", ActionInputs)
    app.add_directive("incident-precommit-hook", PrecommitHook)
    app.connect("builder-inited", note_registrations)
    app.connect("env-check-consistency", check_everything_is_documented)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
