"""A handbook's sources as a Sphinx source folder, lines where the labels say they are.

Handbooks written for other generators are read as their authors would read
them after moving to Sphinx with MyST-Parser, changed only where the other
generator's syntax has a MyST equivalent, and always line for line, so that a
label's line is the tool's line:

- Middleman pages (``x.html.md.erb``, ``x.html.md``) become ``x.md``;
- Hugo's TOML front matter (``+++``) becomes blank lines (MyST reads YAML
  front matter as it is); Hugo shortcodes that wrap content, each tag on a line of its own
  (``{{< tabs >}}`` … ``{{< /tabs >}}``, ``{{% alert %}}`` … ``{{% /alert %}}``), become
  sphinx-design tabs, code fences (``highlight``, ``mermaid``) or boxes;
- MkDocs admonitions (``!!! note "Title"`` and a body indented four columns; classes after
  the kind, ``!!! note wide ""``, are the box's styling)
  become MyST colon fences, the closing fence on the blank line after the body;
  content tabs (``=== "Title"``) and the version notes of the version-annotations
  plugin (``+++ 2.1.0``, ``--- 2.1.0``, ``~~~ 2.1.0``, ``+/- 2.1.0``) become boxes the same way;
  backticks in a code fence's info string (``title="The `init` output"``, which
  Python-Markdown's fences take and CommonMark's do not) become quotes;
- Docusaurus admonitions (``:::note``, ``:::info[Title]``, ``:::tip Title``)
  become MyST colon fences, their bodies set back to the fence's column (MDX
  has no indented code, so a body indented four columns is prose there).

Nothing else is rewritten: Liquid, ERB and other shortcodes (in a line of text, or closing
themselves) stay as text, as they would in a first Sphinx build of such a handbook.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

#: folders never copied: version control, dependencies, build output
SKIP_DIRS = {".git", "node_modules", "_build", "vendor", ".venv", "venv", "site-packages", "__pycache__"}
#: what is copied: pages, included fragments and the files Sphinx reads beside them
COPY_SUFFIXES = {".md", ".mdx", ".rst", ".txt", ".erb", ".markdown", ".inc", ".csv", ".yaml", ".yml", ".json"}

_ADMONITION = re.compile(
    r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)(?:[ \t]+[\w-]+)*"
    r'(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$'
)
#: a version note of the MkDocs version-annotations plugin (``+++ 2.1.0 "Title"``: added;
#: ``---``: removed; ``~~~`` or ``+/-``: changed) and its body indented four columns: a box
_VERSION_NOTE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<mark>\+\+\+|---|~~~|\+/-)[ \t]+(?P<version>v?\d[\w.-]*)"
    r'(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$'
)
_VERSION_WORDS = {"+++": "Added in", "---": "Removed in", "~~~": "Changed in", "+/-": "Changed in"}
#: a code fence's opening line as Python-Markdown reads it, whose info string may hold backticks
#: (``title="The `init` output"``), which CommonMark's fences do not take. Only a language and
#: attributes make such an info string:
#: a line of code between three backticks (``` ```error: zone not found``` ```) is code in the
#: text for both
_FENCE_OPENING = re.compile(
    r"^(?P<fence>[ \t]*`{3,})(?P<info>[ \t]*(?:\{[^{}]*`[^{}]*\}|[\w#.+-]*(?:[ \t]+[\w-]+="
    r"(?:\"[^\"]*\"|'[^']*'|[^\s\"']+))*)[ \t]*)$"
)
#: a content tab (``=== "Title"``) and its body indented four columns: a box on the page
_TAB = re.compile(r'^(?P<indent>[ \t]*)===!?\+?[ \t]+"(?P<title>[^"]*)"[ \t]*$')
#: an HTML comment alone on its line (``<!-- markdownlint-disable … -->``): nothing the page shows
_COMMENT = re.compile(r"^[ \t]*<!--.*-->[ \t]*$")
_MYST_ADMONITIONS = {"note", "warning", "tip", "important", "caution", "danger", "attention", "hint", "error"}
_MIDDLEMAN = re.compile(r"\.html\.(?:md|markdown)(?:\.erb)?$")


@dataclass
class Prepared:
    """A Sphinx source folder made from a handbook, and how its paths map back."""

    srcdir: Path
    #: Sphinx source path (relative to srcdir) -> repository path
    to_repo: dict[str, str] = field(default_factory=dict)

    def repo_path(self, source: str) -> str:
        return self.to_repo.get(source, source)


def sphinx_name(repo_relative: str, generator: str) -> str:
    """The file name a page gets in the Sphinx source folder: a Middleman page's, and a
    Docusaurus page written as MDX, as Markdown's."""
    if generator == "middleman":
        return _MIDDLEMAN.sub(".md", repo_relative)
    if generator == "docusaurus" and repo_relative.endswith(".mdx"):
        return repo_relative[: -len(".mdx")] + ".md"
    return repo_relative


def hugo_front_matter(text: str) -> str:
    """TOML front matter (``+++`` ... ``+++``) as blank lines."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        return text
    for index in range(1, len(lines)):
        if lines[index].strip() == "+++":
            return "\n".join([""] * (index + 1) + lines[index + 1 :])
    return text


#: a Hugo shortcode opened or closed on a line of its own: ``{{< tabs >}}``, ``{{% alert
#: title="Note" %}}``, ``{{< /tabs >}}``; not one that closes itself (``{{< figure … />}}``)
_SHORTCODE = re.compile(
    r"^(?P<indent>[ \t]*)\{\{(?P<delimiter>[<%])[ \t]*(?P<closing>/)?[ \t]*(?P<name>[\w.-]+(?:/[\w.-]+)*)"
    r"(?P<arguments>(?:[^/>%]|/(?![>%]))*)(?P<end>[>%])\}\}[ \t]*$"
)
#: a shortcode's title, from the first of these arguments it has
_SHORTCODE_TITLE = re.compile(
    r"""\b(?:title|header|name|label)=(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)')"""
)
#: or from its first argument, given without a name (``{{< alert "Careful" >}}``)
_SHORTCODE_POSITIONAL = re.compile(r"""^[ \t]*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)')""")
#: shortcodes whose content is code, not Markdown
_SHORTCODE_CODE = frozenset({"highlight", "code", "mermaid", "codeblock"})


def hugo_shortcodes(text: str) -> str:
    """Shortcodes that wrap content (``{{< tabs >}}`` … ``{{< /tabs >}}``), each on lines of its
    own, as what the page shows, line for line: a set of tabs and its tabs as sphinx-design's
    ``tab-set`` and ``tab-item``, one for code (``highlight``, ``mermaid``) as a code fence, any
    other (an alert, a note, a collapsible block) as a box titled as the page titles it. Left
    as they are, their lines are paragraphs of raw text that end every list they stand in.

    Some stay as they are: one right under a line of text (Hugo renders it into that line's
    paragraph, a list item's perhaps, and ends no list: code it wraps is kept as more of that
    paragraph's text, :func:`_inert`), and one that holds a heading (a
    heading in a box is none in MyST: the page's sections under it would be lost). A set of
    tabs holding anything but tabs is a box, and so are its tabs."""
    lines = text.split("\n")
    found = _shortcode_pairs(lines)
    in_text: list[tuple[int, int]] = []
    for start, end, opening in sorted(found, key=lambda pair: pair[0]):
        if any(s < start and end < e for s, e in in_text):
            continue  # inside one that is text already
        above = lines[start - 1] if start else ""
        lines[start : end + 1] = _kept_in(above, lines[start : end + 1])
        if _under_a_line(above) and _code_only(opening, lines[start + 1 : end]):
            in_text.append((start, end))
            lines[start + 1 : end] = [_inert(line) for line in lines[start + 1 : end]]
    pairs = [
        pair
        for pair in found
        if not any(s <= pair[0] and pair[1] <= e for s, e in in_text) and _converts(lines, pair)
    ]
    # a fence has more colons than every fence inside it, so that none of them closes it
    height = {start: 0 for start, _, _ in pairs}
    for start, end, _ in sorted(pairs, key=lambda pair: pair[1] - pair[0]):
        height[start] = max((height[s] + 1 for s, e, _ in pairs if start < s and e < end), default=0)
    sets = {start for start, end, opening in pairs if _tab_set(lines, pairs, start, end, opening)}
    for start, end, opening in pairs:
        # the tag as it stands now (set in with what it is in, :func:`_kept_in`), and what it
        # wraps, at least as far in
        tag = lines[start]
        indent, name = tag[: len(tag) - len(tag.lstrip())], opening["name"].lower()
        if name in _SHORTCODE_CODE:
            language = next(iter(opening["arguments"].split()), "").strip('"')
            lines[start], lines[end] = f"{indent}````{language}", f"{indent}````"
            continue
        fence = ":" * (3 + height[start])
        label = _shortcode_label(opening["arguments"])
        if start in sets:
            lines[start] = f"{indent}{fence}{{tab-set}}"
        elif any(s < start and end < e for s, e, _ in pairs if s in sets):
            lines[start] = f"{indent}{fence}{{tab-item}} {label or 'Tab'}"
        else:
            lines[start] = f"{indent}{fence}{{admonition}} {label or name}"
        lines[end] = f"{indent}{fence}"
    return "\n".join(lines)


#: a list item's marker and the spaces after it: its text starts where they end
_ITEM_START = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")


def _kept_in(above: str, shortcode: list[str]) -> list[str]:
    """A shortcode, its tags and what they wrap, set in to the column it stands at: Hugo puts
    what it makes in the place of the whole of it, so nothing in it (code fenced at the margin,
    a note's text) ends a list item it is in. Right under a line of text, that is the text's
    column: what it makes goes into that line's paragraph."""
    column = _indent_width(shortcode[0])
    if _under_a_line(above):
        item = _ITEM_START.match(above)
        column = len(item.group(0).expandtabs(4)) if item else _indent_width(above)
    tags = [_set_in(line, column - _indent_width(line)) for line in (shortcode[0], shortcode[-1])]
    inner = shortcode[1:-1]
    short = column - min((_indent_width(line) for line in inner if line.strip()), default=column)
    return [tags[0], *(_set_in(line, short) for line in inner), tags[1]]


#: what starts a block at the start of a line: a list item, a quotation, a heading, a fence,
#: a table's row, HTML
_BLOCK_START = re.compile(r"^(?P<indent>\s*)(?:[-*+>#`~|<=_]|\d{1,9}[.)])")
#: a character that shows nothing and is no space: before a block's start, it keeps it as text
_NOTHING = "\u200b"


def _code_only(opening: re.Match[str], inner: list[str]) -> bool:
    """Whether a shortcode wraps code and nothing else: code itself, or fences and code
    shortcodes only (a toggle between two outputs). One that wraps Markdown (a set of tabs,
    a note) has it rendered on its own, as blocks."""
    if opening["name"].lower() in _SHORTCODE_CODE:
        return True
    fenced, depth = False, 0
    for line in inner:
        tag = _SHORTCODE.match(line)
        if _FENCE_LINE.match(line) and not depth:
            fenced = not fenced
        elif tag is not None and tag["name"].lower() in _SHORTCODE_CODE:
            depth += -1 if tag["closing"] else 1
        elif line.strip() and not fenced and not depth:
            return False
    return True


def _inert(line: str) -> str:
    """A line a shortcode wraps as more text of the paragraph it is written in: what would start
    a block there kept as text by an invisible character before it (a backslash would read as
    a marker escaped by hand), and a blank line kept from ending the paragraph."""
    if not line.strip():
        return _NOTHING
    match = _BLOCK_START.match(line)
    return line if match is None else f"{match['indent']}{_NOTHING}{line[match.end('indent') :]}"


def _set_in(line: str, by: int) -> str:
    return " " * by + line if by > 0 and line.strip() else line


def _under_a_line(above: str) -> bool:
    """Whether a line is text a shortcode right under it is part of (not a heading, a fence…)."""
    return bool(above.strip()) and not _NOT_TEXT.match(above)


def _shortcode_pairs(lines: list[str]) -> list[tuple[int, int, re.Match[str]]]:
    """Each shortcode opened and closed on lines of its own: its two lines and its opening."""
    pairs: list[tuple[int, int, re.Match[str]]] = []
    opened: list[tuple[int, re.Match[str]]] = []
    for index, line in enumerate(lines):
        match = _SHORTCODE.match(line)
        if match is None or {"<": ">", "%": "%"}[match["delimiter"]] != match["end"]:
            continue
        if not match["closing"]:
            opened.append((index, match))
            continue
        depth = next(
            (d for d in range(len(opened) - 1, -1, -1) if opened[d][1]["name"] == match["name"]), None
        )
        if depth is not None:  # a closing tag with no opening one is left as it is
            start, opening = opened[depth]
            del opened[depth:]
            pairs.append((start, index, opening))
    return pairs


#: a line a paragraph above it cannot take in: a heading, a fence, HTML, a table's row
_NOT_TEXT = re.compile(r"^\s*(?:#|`{3,}|~{3,}|:{3,}|<|\||\{\{[<%])")
#: a Markdown heading
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
#: a code fence's opening or closing line
_FENCE_LINE = re.compile(r"^\s*(?:`{3,}|~{3,})")


def _converts(lines: list[str], pair: tuple[int, int, re.Match[str]]) -> bool:
    """Whether a shortcode becomes what it shows: not under a line of text, holding no heading
    (outside code)."""
    start, end, _ = pair
    if start and _under_a_line(lines[start - 1]):
        return False
    fenced = False
    for line in lines[start + 1 : end]:
        if _FENCE_LINE.match(line):
            fenced = not fenced
        elif not fenced and _HEADING.match(line):
            return False
    return True


def _tab_set(
    lines: list[str],
    pairs: list[tuple[int, int, re.Match[str]]],
    start: int,
    end: int,
    opening: re.Match[str],
) -> bool:
    """Whether a shortcode is a set of tabs holding tabs alone: every line in it is a tab's."""
    if not opening["name"].lower().endswith(("tabs", "tabpane")):
        return False
    tabs = [(s, e) for s, e, o in pairs if start < s and e < end and o["name"].lower().endswith("tab")]
    inside = {index for s, e in tabs for index in range(s, e + 1)}
    return bool(tabs) and all(not lines[i].strip() or i in inside for i in range(start + 1, end))


def _shortcode_label(arguments: str) -> str:
    """A shortcode's title: its ``title=``, ``header=``, ``name=`` or ``label=``, else its first
    argument given without a name."""
    title = _SHORTCODE_TITLE.search(arguments)
    if title:
        return title["double"] or title["single"]
    positional = _SHORTCODE_POSITIONAL.match(arguments)
    return (positional["double"] or positional["single"]) if positional else ""


def _indent_width(text: str) -> int:
    return len(text.expandtabs(4)) - len(text.expandtabs(4).lstrip(" "))


def mkdocs_admonitions(text: str) -> str:
    """``!!! kind "Title"`` and its indented body as a MyST ``:::{kind} Title`` fence, line for line;
    a box in a box (a content tab in a collapsible example) too, the outer fence given more
    colons than any inside it."""
    return "\n".join(_boxes(text.split("\n"))[0])


def _boxes(lines: list[str], nested: bool = False) -> tuple[list[str], int]:
    """The lines with each MkDocs box as a colon fence, and the most colons a fence has. In a
    box (``nested``) the last box may end where its box ends: its fence is left open there,
    which MyST closes with the box around it."""
    out = list(lines)
    most = 0
    index = 0
    while index < len(lines):
        match = _ADMONITION.match(lines[index])
        tab = _TAB.match(lines[index]) if match is None else None
        version = _VERSION_NOTE.match(lines[index]) if match is None and tab is None else None
        if match is None and tab is None and version is None:
            index += 1
            continue
        indent = (match or tab or version).group("indent")  # type: ignore[union-attr]
        width = _indent_width(indent)
        if tab is not None:
            head = "{container}"  # what the tab shows, in a box of its own
        elif version is not None:
            said = f"{_VERSION_WORDS[version['mark']]} {version['version']}"
            head = (
                f"{{admonition}} {said}: {version['title']}" if version["title"] else f"{{admonition}} {said}"
            )
        else:
            kind = match.group("kind").lower()  # type: ignore[union-attr]
            title = match.group("title")  # type: ignore[union-attr]
            known = kind in _MYST_ADMONITIONS
            # no title, or an empty one (``""``: the box shows none), for a kind MyST knows
            head = f"{{{kind}}}" if known and not title else f"{{admonition}} {title or kind.title()}"
        body_end = index
        scan = index + 1
        while scan < len(lines):
            line = lines[scan]
            if line.strip() and _indent_width(line) < width + 4:
                break
            if line.strip():
                body_end = scan
            scan += 1
        closing = body_end + 1
        open_at_end = nested and closing >= len(lines)
        if body_end == index:
            index += 1  # no body: left as MyST reads it
            continue
        # no blank line (nor a comment line, which the page does not show) to close a fence on:
        # a tab's body is what the page shows there, set back to the tab's column without its
        # box; an admonition whose title line has a blank line under it has its body moved up a
        # line onto it, to close on the body's last line (Python-Markdown ends the box at the
        # first line set back, blank line or not); any other is left as MyST reads it
        unclosed = (
            closing < len(lines) and bool(lines[closing].strip()) and not _COMMENT.match(lines[closing])
        )
        shifted = unclosed and tab is None and not lines[index + 1].strip() and body_end > index + 1
        if unclosed and not shifted:
            if tab is not None:
                out[index] = ""
                for body in range(index + 1, body_end + 1):
                    if lines[body].strip():
                        out[body] = indent + lines[body].expandtabs(4)[width + 4 :]
            index = index + 1 if tab is None else body_end + 1
            continue
        start = index + 2 if shifted else index + 1
        body = [
            indent + line.expandtabs(4)[width + 4 :] if line.strip() else line
            for line in lines[start : body_end + 1]
        ]  # the body back to the fence's indentation, its own boxes made fences too
        body, inner = _boxes(body, nested=True)
        colons = ":" * max(3, inner + 1)
        most = max(most, len(colons))
        out[index] = f"{indent}{colons}{head}"
        out[index + 1 : body_end + (0 if shifted else 1)] = body
        if shifted:
            out[body_end] = f"{indent}{colons}"
        elif closing < len(lines):
            out[closing] = f"{indent}{colons}"
        elif not open_at_end:
            out.append(f"{indent}{colons}")
        index = body_end + 1
    return out, most


#: a Docusaurus admonition's opening fence: ``:::note``, ``:::info[Title]``, ``:::tip Title``
_DOCUSAURUS = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>:{3,})(?P<kind>[a-zA-Z][\w-]*)"
    r"(?:\[(?P<bracket>[^\]]*)\]|[ \t]+(?P<title>\S.*?))?[ \t]*$"
)


def docusaurus_admonitions(text: str) -> str:
    """``:::kind[Title]`` ... ``:::`` as a MyST ``:::{kind}`` fence, line for line; the body's lines
    set back to the fence's column where they are indented past it."""
    lines = text.split("\n")
    out = list(lines)
    index = 0
    while index < len(lines):
        match = _DOCUSAURUS.match(lines[index])
        if match is None:
            index += 1
            continue
        indent, fence = match.group("indent"), match.group("fence")
        close = next(
            (i for i in range(index + 1, len(lines)) if lines[i].strip() == fence),
            None,
        )
        if close is None:
            index += 1
            continue
        kind = match.group("kind").lower()
        title = match.group("bracket") or match.group("title")
        out[index] = (
            f"{indent}{fence}{{{kind}}}"
            if kind in _MYST_ADMONITIONS and not title
            else f"{indent}{fence}{{admonition}} {title or kind.title()}"
        )
        body = [line for line in lines[index + 1 : close] if line.strip()]
        width = _indent_width(indent)
        deepest = min((_indent_width(line) for line in body), default=width)
        shift = deepest - width
        if shift > 0:
            for line_index in range(index + 1, close):
                line = lines[line_index]
                if line.strip():
                    out[line_index] = line.expandtabs(4)[shift:]
        out[close] = f"{indent}{fence}"
        index = close + 1
    return "\n".join(out)


#: a Docusaurus tab set or tab, opened or closed on a line of its own: ``<Tabs groupId="os">``,
#: ``<TabItem value="deb" label="Debian" default>``, ``</TabItem>``
_DOCUSAURUS_TAB = re.compile(
    r"^(?P<indent>[ \t]*)<(?P<closing>/?)(?P<tag>Tabs|TabItem)\b(?P<attributes>[^>]*)>[ \t]*$"
)
#: a tab's name, from its label or else its value
_TAB_NAME = re.compile(
    r"""\b(?P<key>label|value)=(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|\{["'](?P<expr>[^"']*)["']\})"""
)
#: colons of the fences that stand for a set of boxes (tabs) and for a box in one (a tab, a
#: dropdown): more than any admonition inside them has, so that none closes them
_SET_FENCE = "::::::::"
_BOX_FENCE = ":::::::"


def docusaurus_tabs(text: str) -> str:
    """``<Tabs>`` and ``<TabItem label="…">`` as sphinx-design's ``tab-set`` and ``tab-item``
    colon fences, line for line, so that what each tab holds is read as a tab's, as a reader
    of the page sees it, not as raw HTML between lists."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        match = _DOCUSAURUS_TAB.match(line)
        if match is None:
            continue
        indent, tag = match["indent"], match["tag"]
        fence = _SET_FENCE if tag == "Tabs" else _BOX_FENCE
        if match["closing"]:
            lines[index] = f"{indent}{fence}"
        elif tag == "Tabs":
            lines[index] = f"{indent}{fence}{{tab-set}}"
        else:
            names = {
                m["key"]: m["double"] or m["single"] or m["expr"]
                for m in _TAB_NAME.finditer(match["attributes"])
            }
            lines[index] = f"{indent}{fence}{{tab-item}} {names.get('label') or names.get('value') or 'Tab'}"
    return "\n".join(lines)


#: a collapsible block opened, its summary, and closed, each on a line of its own
_DETAILS = re.compile(r"^(?P<indent>[ \t]*)<(?P<closing>/?)details\b[^>]*>[ \t]*$")
_SUMMARY = re.compile(r"^[ \t]*<summary>(?P<title>.*?)</summary>[ \t]*$")


def docusaurus_details(text: str) -> str:
    """``<details>`` with its ``<summary>`` on the next line as sphinx-design's ``dropdown``,
    line for line (the summary's line left blank). In MDX what they hold is Markdown; read as
    an HTML block, a fence right under the summary would be raw text, and every fence after
    it would pair with the wrong one."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        match = _DETAILS.match(line)
        if match is None:
            continue
        indent, fence = match["indent"], _BOX_FENCE
        if match["closing"]:
            lines[index] = f"{indent}{fence}"
            continue
        summary = _SUMMARY.match(lines[index + 1]) if index + 1 < len(lines) else None
        title = (summary["title"].strip() if summary else "") or "Details"
        lines[index] = f"{indent}{fence}{{dropdown}} {title}"
        if summary:
            lines[index + 1] = ""
    return "\n".join(lines)


#: a definition's opening line, at the margin: ``: The text …``
_DEFINITION = re.compile(r"^:[ \t]{1,3}(?=\S)")


def mkdocs_definitions(text: str) -> str:
    """A definition with no term before it (``: …`` right under a heading, its blocks indented
    four spaces under it), which MkDocs shows as a definition's body and MyST as a paragraph
    over code: its blocks, line for line, at the margin. (Under a paragraph, ``: …`` is a
    definition list MyST reads as MkDocs does, and is left alone.)"""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        opener = _DEFINITION.match(lines[index])
        above = next((line for line in reversed(lines[:index]) if line.strip()), "#")
        if opener is None or not above.startswith("#"):  # a term above: MyST's definition list
            index += 1
            continue
        lines[index] = lines[index][opener.end() :]
        index += 1
        while index < len(lines) and lines[index].strip():  # the rest of its first paragraph
            index += 1
        while index < len(lines) and (not lines[index].strip() or _indent_width(lines[index]) >= 4):
            if lines[index].strip():
                lines[index] = lines[index].expandtabs(4)[4:]
            index += 1
    return "\n".join(lines)


def mkdocs_fences(text: str) -> str:
    """A code fence whose info string holds backticks (a title naming a command in code) as
    one MyST opens: the backticks in its info string as quotes, line for line."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        fence = _FENCE_OPENING.match(line)
        if fence is not None:
            lines[index] = fence["fence"] + fence["info"].replace("`", "'")
    return "\n".join(lines)


def convert(text: str, generator: str) -> str:
    if generator == "hugo":
        return hugo_shortcodes(hugo_front_matter(text))
    if generator == "mkdocs":
        return mkdocs_admonitions(mkdocs_definitions(mkdocs_fences(text)))
    if generator == "docusaurus":
        return docusaurus_admonitions(docusaurus_details(docusaurus_tabs(text)))
    return text


def export_tree(checkout: Path, commit: str, root: str, into: Path) -> None:
    """The labelled commit's pages under ``root``, from a clone (work tree or not), into ``into``.

    Blobs are read one by one (``git cat-file --batch``), only those a build reads, so a
    clone without its large binary files serves as well as a full one."""
    pathspec = [] if root in ("", ".") else ["--", root]
    listing = subprocess.run(
        ["git", "-C", str(checkout), "ls-tree", "-r", "-z", "-l", commit, *pathspec],
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8", "replace")
    wanted: list[tuple[str, str]] = []
    for entry in filter(None, listing.split("\0")):
        meta, _, name = entry.partition("\t")
        _mode, kind, sha, size = meta.split()
        if kind != "blob" or not size.isdigit() or int(size) >= 2_000_000:  # "BAD": not in the clone
            continue
        if SKIP_DIRS.intersection(Path(name).parts):
            continue
        if Path(name).suffix.lower() in COPY_SUFFIXES or _MIDDLEMAN.search(name):
            wanted.append((sha, name))
    batch = subprocess.run(
        ["git", "-C", str(checkout), "cat-file", "--batch"],
        input="".join(f"{sha}\n" for sha, _ in wanted).encode(),
        check=True,
        capture_output=True,
    ).stdout
    position = 0
    for _sha, name in wanted:
        header_end = batch.index(b"\n", position)
        header = batch[position:header_end].split()
        if header[-1] == b"missing":
            position = header_end + 1
            continue
        size = int(header[2])
        content = batch[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def prepare(checkout: Path, commit: str, root: str, generator: str, workdir: Path, conf: str) -> Prepared:
    """A Sphinx source folder for the handbook in ``workdir``, with ``conf`` as its conf.py."""
    raw = workdir / "raw"
    srcdir = workdir / "src"
    for folder in (raw, srcdir):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    export_tree(checkout, commit, root, raw)
    base = raw / root if root not in ("", ".") else raw
    prepared = Prepared(srcdir)
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        relative = path.relative_to(base).as_posix()
        name = sphinx_name(relative, generator)
        if relative.endswith(".mdx") and name != relative and (base / name).exists():
            continue  # a page of that name is there already (``a.md`` beside ``a.mdx``): it wins
        target = srcdir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in (".md", ".markdown", ".erb", ".mdx"):
            text = path.read_text("utf-8", errors="replace")
            target.write_text(convert(text, generator), "utf-8")
        else:
            shutil.copyfile(path, target)
        repo = relative if root in ("", ".") else f"{root.rstrip('/')}/{relative}"
        prepared.to_repo[name] = repo
    (srcdir / "conf.py").write_text(conf, "utf-8")
    return prepared
