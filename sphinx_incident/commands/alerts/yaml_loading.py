"""Reading the YAML of rule files within bounds, as Kubernetes and Prometheus read it.

Rule folders hold whatever a repository holds, so every read is bounded:

- files are read as every command reads them (:mod:`sphinx_incident.commands.files`):
  only regular files (a FIFO, a device or a socket named ``*.yml`` is
  refused without being read, so nothing hangs), and at most
  :data:`~sphinx_incident.commands.files.MAX_BYTES` of them;
- aliases are shared in memory, and a document whose aliases would make it
  grow by more than :data:`MAX_ALIAS_GROWTH` nodes when walked (the
  "billion laughs"), or that refers to itself, is refused before anything
  walks it;
- nesting deeper than :data:`MAX_DEPTH` is refused from the parser's event
  stream, before anything composes it (composing recurses once per level,
  in PyYAML's C extension as in its Python composer, and would otherwise
  exhaust the C or the Python stack), and a refusal is a :class:`YamlError`, never a traceback.

Scalars stay the text they are written as, the way a rule's string fields
are read by Prometheus and by Kubernetes (Go's YAML decoders): ``alert:
0x1F`` is the name ``0x1F``, ``2021-13-45`` is text, not a bad date, and
the value tag ``=`` that PyYAML's safe loader refuses is the text ``=``.
Only ``null`` (``~``, empty) becomes ``None``. No tag constructs an object:
an unknown tag (``!Ref``) is read as the plain scalar, list or mapping it
carries. Mappings remember the line of each value.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import CollectionEndEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from ..files import MAX_BYTES, ReadError, read_stream

try:  # libyaml parses several times faster
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


#: the deepest nesting of lists and mappings read; rule files nest about six deep
MAX_DEPTH = 256
#: how many nodes aliases may add to a document beyond those written in it
MAX_ALIAS_GROWTH = 200_000

_NULL = "tag:yaml.org,2002:null"
#: tags whose scalars stay text (Go decodes them into the string fields of a rule)
_TEXT_TAGS = (
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:value",
    "tag:yaml.org,2002:str",
)


class YamlError(ReadError):
    """A file that is not read: not a regular file, too large, not UTF-8, not YAML, or
    unbounded. ``line`` is where, when known; ``kind`` says which (``special``,
    ``size``, ``encoding``, ``syntax``, ``aliases``)."""

    def __init__(self, message: str, line: int | None = None, kind: str = "syntax") -> None:
        super().__init__(message, line, kind)


class Mapping(dict[Any, Any]):
    """A YAML mapping that remembers its line and the line and style of each value (1-based)."""

    line: int = 0
    value_lines: dict[Any, int]
    #: ``|`` or ``>`` for block scalars, ``'``/``"`` for quoted ones, ``None`` for plain
    value_styles: dict[Any, str | None]


class _Constructor(SafeConstructor):
    """PyYAML's safe constructor with text scalars and mappings that keep their lines."""

    #: added to every line: the line before an embedded document's first line
    line_offset = 0
    #: when set, every line is this one (an embedded document whose lines are not known)
    fixed_line: int | None = None

    def _line(self, node: Node) -> int:
        if self.fixed_line is not None:
            return self.fixed_line
        return int(node.start_mark.line) + 1 + self.line_offset

    def construct_text(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            return str(node.value)
        return self.construct_any(node)

    def construct_null(self, node: Node) -> None:
        return None

    def construct_any(self, node: Node) -> Any:
        """A node of an unknown tag: read as what it is, a scalar, a list or a mapping."""
        if isinstance(node, ScalarNode):
            return str(node.value)
        if isinstance(node, SequenceNode):
            return self.construct_yaml_seq(node)
        return self.construct_lined_mapping(node)

    def construct_lined_mapping(self, node: Node) -> Iterator[Mapping]:
        data = Mapping()
        data.line = self._line(node)
        data.value_lines = {}
        data.value_styles = {}
        yield data  # as SafeConstructor does, so the mapping exists before its values
        assert isinstance(node, MappingNode)
        data.update(self.construct_mapping(node))
        # construct_mapping has merged ``<<`` keys into node.value; the last of a repeated key wins
        for key_node, value_node in node.value:
            try:
                key = self.construct_object(key_node)
                data.value_lines[key] = self._line(value_node)
                data.value_styles[key] = getattr(value_node, "style", None)
            except TypeError:  # an unhashable key: construct_mapping already refused it
                continue


for _tag in _TEXT_TAGS:
    _Constructor.add_constructor(_tag, _Constructor.construct_text)
_Constructor.add_constructor(_NULL, _Constructor.construct_null)
_Constructor.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_lined_mapping)
_Constructor.add_constructor(None, _Constructor.construct_any)  # type: ignore[arg-type]


class _Loader(_Parser, _Constructor, Resolver):  # type: ignore[misc, valid-type]
    def __init__(self, text: str) -> None:
        _Parser.__init__(self, text)
        _Constructor.__init__(self)
        Resolver.__init__(self)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def check_growth(root: Node, limit: int = MAX_ALIAS_GROWTH, offset: int = 0) -> None:
    """Refuse a document whose aliases refer to themselves, or would make walking it visit
    more than ``limit`` nodes beyond those written. Aliases are shared nodes of the graph:
    its size counted with every alias expanded is computed once per node, without
    expanding anything."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        key = id(node)
        if closing:
            open_nodes.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            sizes[key] = size
            if size - len(sizes) > limit:
                raise YamlError(
                    f"aliases would expand the document beyond {limit} more nodes than it has: refused",
                    int(node.start_mark.line) + 1 + offset,
                    "aliases",
                )
            continue
        if key in sizes:
            continue
        if key in open_nodes:  # reached again from inside itself
            raise YamlError(
                "an alias refers to the node that holds it (a recursive document): refused",
                int(node.start_mark.line) + 1 + offset,
                "aliases",
            )
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def check_depth(text: str, *, offset: int = 0, fixed_line: int | None = None) -> None:
    """Refuse ``text`` if its lists and mappings nest deeper than :data:`MAX_DEPTH`.

    Parsing into events keeps its state on an explicit stack, so this walk is
    safe on any depth; composing nodes is recursive and is not."""
    parser = _Parser(text)
    depth = 0
    while parser.check_event():
        event = parser.get_event()
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = int(event.start_mark.line) + 1 + offset
                raise YamlError(
                    f"lists and mappings nest more than {MAX_DEPTH} deep: refused",
                    line if fixed_line is None else fixed_line,
                )
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def load_documents(text: str, *, line_offset: int = 0, fixed_line: int | None = None) -> list[Any]:
    """Every document of ``text``, read as this module says.

    ``line_offset`` is added to every line (for a document embedded in a block
    scalar of another file); ``fixed_line`` replaces them all (for one embedded
    in a scalar whose lines cannot be mapped)."""
    loader = _Loader(text)
    loader.line_offset = line_offset
    loader.fixed_line = fixed_line
    documents: list[Any] = []
    try:
        check_depth(text, offset=line_offset, fixed_line=fixed_line)
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            check_growth(node, offset=line_offset)
            documents.append(loader.construct_document(node))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (
            fixed_line
            if fixed_line is not None
            else None
            if mark is None
            else int(mark.line) + 1 + line_offset
        )
        problem = exc.problem or exc.context or "not YAML"
        raise YamlError(f"not valid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None
    except ConstructorError as exc:  # pragma: no cover - a MarkedYAMLError, kept for clarity
        raise YamlError(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlError("not valid YAML: nested too deeply", kind="aliases") from None
    except (TypeError, ValueError) as exc:  # an unhashable key ({[a]: b}), a merge of a scalar
        raise YamlError(f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return documents


def line_of(mapping: Any, key: str) -> int | None:
    """The line of ``mapping[key]``'s value, else of the mapping; ``None`` for other data."""
    if isinstance(mapping, Mapping):
        return mapping.value_lines.get(key, mapping.line)
    return None


def style_of(mapping: Any, key: str) -> str | None:
    """How ``mapping[key]``'s scalar is written: ``|``, ``>``, a quote, or ``None`` (plain)."""
    if isinstance(mapping, Mapping):
        return mapping.value_styles.get(key)
    return None


def stdin_text(limit: int = MAX_BYTES) -> str:
    """Standard input's text, at most ``limit`` bytes (``-`` on the command line)."""
    return read_stream(sys.stdin.buffer, limit)
