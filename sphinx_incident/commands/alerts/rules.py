"""Reading alerting rules from rule repositories as they are.

The shapes of YAML that carry alerts whose ``runbook_url`` annotation links
to a runbook:

- a Prometheus rule file: ``groups[].rules[]``, where alerting rules have
  ``alert:`` (rules with ``record:`` are recording rules, not alerts); Thanos,
  Loki, Mimir and Cortex rule files, and VictoriaMetrics' ``vmalert`` files,
  have the same shape (Mimir's ``namespace:`` beside ``groups`` is ignored);
- a Kubernetes ``PrometheusRule`` (Prometheus Operator) or ``VMRule``
  (VictoriaMetrics Operator): the same groups under ``spec.groups``; an empty
  ``spec`` or empty ``groups`` is a rule file without alerts;
- a ``kind: List`` of those (what ``kubectl get prometheusrule -o yaml``
  prints), and a ``ConfigMap`` whose ``data`` holds rule files;
- a Grafana alert-rule provisioning file: ``apiVersion: 1`` and
  ``groups[].rules[]``, each rule named by its ``title``.

A file may hold several YAML documents (``---``); documents of other kinds
(a Deployment beside the ``PrometheusRule``, a CRD, Helm values) are
skipped. Reading follows :mod:`sphinx_incident.commands.alerts.yaml_loading`: regular files
only, bounded, scalars as text. In a folder, a file that holds no rule
group, or is not YAML and has no ``alert:`` key, is skipped with a
:class:`Note`; what is wrong inside a rule file is a :class:`ReadProblem` at
its line, and the other files, groups and rules are still read.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..files import ReadError, read_text, special_kind
from .yaml_loading import YamlError, line_of, load_documents, stdin_text, style_of

RuleSource = Literal["prometheus", "kubernetes", "victoriametrics", "grafana", "configmap"]
#: the annotation that links an alert to its runbook, in Prometheus and Grafana alike
RUNBOOK_ANNOTATION = "runbook_url"
#: file names looked at inside folders
SUFFIXES = (".yml", ".yaml")
#: how findings name standard input, and the paths that name it on the command line
STDIN_SHOWN = "<stdin>"
_STDIN_PATHS = ("-", "/dev/stdin")
#: Kubernetes kinds whose ``spec.groups`` are rule groups
_RULE_KINDS: dict[str, RuleSource] = {"PrometheusRule": "kubernetes", "VMRule": "victoriametrics"}
#: a line that defines an alerting rule, for telling a broken rule file from other broken YAML
_ALERT_KEY = re.compile(r"(?:^|[{,])[ \t-]*[\"']?alert[\"']?[ \t]*:[ \t]*\S", re.M)
_TEMPLATE = re.compile(r"\{\{")


class RuleFileError(Exception):
    """A command-line argument that names nothing to read: a missing path, or a file or folder
    with no rule file at all."""


@dataclass(frozen=True)
class AlertRule:
    """One alerting rule and where its runbook link is written."""

    #: the alert's name (Prometheus ``alert``, Grafana ``title``)
    name: str
    #: the rule file, as the command line named it (or found it in a named folder)
    path: str
    #: the line of the rule's name
    line: int
    source: RuleSource
    group: str
    #: the annotation's value; ``None`` when the rule has none
    runbook_url: str | None = None
    #: the line of the annotation's value
    url_line: int | None = None


@dataclass(frozen=True)
class Note:
    """A file that was not read for rules, and why; it does not change the exit status."""

    path: str
    reason: str


@dataclass(frozen=True)
class ReadProblem:
    """Something wrong in a rule file (reported as ``alert_rule_file``); reading goes on."""

    path: str
    line: int | None
    message: str


@dataclass
class RuleFiles:
    """What reading the rule files gave."""

    rules: list[AlertRule] = field(default_factory=list)
    #: the files that held at least one rule document (possibly without alerts)
    files: list[str] = field(default_factory=list)
    #: recording rules seen (counted, not checked)
    recording: int = 0
    notes: list[Note] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """A file to read: where it is, how findings name it, and whether it was named itself."""

    path: Path | None
    shown: str
    named: bool


def _excluded(relative: str, name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(relative, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def rule_sources(given: str | Path, exclude: Sequence[str] = ()) -> tuple[list[Source], list[Note]]:
    """The files to read for one command-line argument, in a stable order, and the notes on
    the files of a folder that are not read because they are not regular files.

    A folder is searched for ``.yml``/``.yaml`` files; hidden folders, symbolic links to
    folders and what matches an ``exclude`` glob (against the path below the folder, or the
    name) are not entered."""
    text = str(given)
    if text in _STDIN_PATHS:
        return [Source(None, STDIN_SHOWN, True)], []
    path = Path(given)
    if path.is_dir():
        found: list[Source] = []
        notes: list[Note] = []
        for folder, dirnames, filenames in os.walk(path):
            below = Path(folder).relative_to(path)
            dirnames[:] = sorted(
                d for d in dirnames
                if not d.startswith(".") and not _excluded((below / d).as_posix(), d, exclude)
            )  # fmt: skip
            for name in sorted(filenames):
                if not name.endswith(SUFFIXES) or _excluded((below / name).as_posix(), name, exclude):
                    continue
                file = Path(folder) / name
                kind = special_kind(file)
                if kind is not None:
                    notes.append(Note(str(file), f"{kind}, not a regular file: not read"))
                else:
                    found.append(Source(file, str(file), False))
        return found, notes
    if os.path.lexists(path) and (path.exists() or path.is_symlink()):
        if not path.exists():
            raise RuleFileError(f"{given}: a symbolic link to nothing")
        return [Source(path, text, True)], []
    raise RuleFileError(f"{given}: no such file or folder")


def _text(value: Any) -> str | None:
    """A scalar's text (every scalar is read as text); ``None`` for null and for lists and
    mappings."""
    return value.strip() if isinstance(value, str) else None


class _Reader:
    """Reads the documents of one file into a :class:`RuleFiles`."""

    def __init__(self, result: RuleFiles, source: Source, annotation: str) -> None:
        self.result = result
        self.source = source
        self.shown = source.shown
        self.annotation = annotation
        #: kinds of the documents that held no rules, to say what the file was
        self.kinds: list[str] = []
        self.held = False
        self.unshaped: tuple[int | None, str] | None = None

    def problem(self, line: int | None, message: str) -> None:
        self.result.problems.append(ReadProblem(self.shown, line, message))

    def read(self, text: str) -> None:
        try:
            documents = load_documents(text)
        except YamlError as exc:
            self.unreadable(text, exc)
            return
        for document in documents:
            self.document(document)
        if self.held:
            self.result.files.append(self.shown)
        elif self.unshaped is not None and self.source.named:
            self.problem(*self.unshaped)
        else:
            self.result.notes.append(Note(self.shown, self.no_rules_reason()))

    def unreadable(self, text: str, exc: YamlError) -> None:
        """A file that is not YAML (or not bounded): a problem when it was named, defines alerts
        or is refused for its aliases, else a note (a Helm template, some other YAML-like file)."""
        defines_alerts = _ALERT_KEY.search(text) is not None and not _TEMPLATE.search(text)
        if self.source.named or defines_alerts or exc.kind == "aliases":
            self.problem(exc.line, exc.message)
        elif _TEMPLATE.search(text):
            where = f" (line {exc.line})" if exc.line else ""
            self.result.notes.append(
                Note(self.shown, f"a template, not YAML{where}: check what it renders to instead")
            )
        else:
            where = f" (line {exc.line})" if exc.line else ""
            self.result.notes.append(Note(self.shown, f"{exc.message}{where}"))

    def no_rules_reason(self) -> str:
        if self.unshaped is not None:
            return f"no alerting rules: {self.unshaped[1]}"
        kinds = list(dict.fromkeys(self.kinds))
        if not kinds:
            return "no alerting rules: no document has rule groups"
        shown = ", ".join(kinds[:4]) + (", ..." if len(kinds) > 4 else "")
        return f"no alerting rules: it holds {shown}"

    # -- documents -------------------------------------------------------------------
    def document(self, document: Any, depth: int = 0) -> None:
        if not isinstance(document, dict):
            if document is not None:
                self.kinds.append("a list" if isinstance(document, list) else "text")
            return
        kind = _text(document.get("kind"))
        if kind in _RULE_KINDS:
            self.held = True
            spec = document.get("spec")
            if spec is None:
                return
            if not isinstance(spec, dict):
                self.problem(line_of(document, "spec"), f"the `spec` of this {kind} is not a mapping")
                return
            self.groups(_RULE_KINDS[kind], spec.get("groups"), spec, strict=True)
            return
        if kind is not None and kind.endswith("List") and isinstance(document.get("items"), list):
            if depth < 4:  # a List of Lists is unusual; a deeper one is not Kubernetes
                for item in document["items"]:
                    self.document(item, depth + 1)
            return
        if kind == "ConfigMap":
            self.config_map(document)
            return
        if "groups" in document:
            source: RuleSource = "grafana" if "apiVersion" in document else "prometheus"
            self.groups(source, document["groups"], document, strict=False)
            return
        if kind is None and "rule_files" in document and "tests" in document:
            self.kinds.append("a promtool unit test")
            return
        self.kinds.append(kind or "a mapping without rule groups")

    def config_map(self, document: dict[Any, Any]) -> None:
        """The rule files a ConfigMap's ``data`` holds as text."""
        data = document.get("data")
        held = False
        if isinstance(data, dict):
            for key, value in data.items():
                if not isinstance(value, str) or "groups" not in value:
                    continue
                line = line_of(data, key)
                # a literal block keeps the embedded file's lines, starting after the ``|`` line
                exact = style_of(data, key) == "|" and line is not None
                try:
                    embedded = load_documents(
                        value,
                        line_offset=line if exact and line else 0,
                        fixed_line=None if exact else line,
                    )
                except YamlError as exc:
                    self.problem(exc.line, f"the rule file {key!r} of this ConfigMap: {exc.message}")
                    continue
                for inner in embedded:
                    if isinstance(inner, dict) and "groups" in inner:
                        held = True
                        self.groups("configmap", inner["groups"], inner, strict=False)
        if not held:
            self.kinds.append("ConfigMap")

    def groups(self, source: RuleSource, groups: Any, parent: Any, *, strict: bool) -> None:
        if groups is None:
            self.held = True
            return
        looks_like_rules = isinstance(groups, list) and (
            not groups or any(isinstance(g, dict) and ("rules" in g or "name" in g) for g in groups)
        )
        if not looks_like_rules:
            where = line_of(parent, "groups") or 1
            if strict:
                self.problem(where, "`groups` is not a list of rule groups")
            elif self.unshaped is None:
                self.unshaped = (where, "`groups` is not a list of rule groups")
            return
        self.held = True
        for group in groups:
            if not isinstance(group, dict):
                self.problem(line_of(parent, "groups"), "a rule group is not a mapping")
                continue
            name = _text(group.get("name")) or ""
            entries = group.get("rules")
            if entries is None:
                continue
            if not isinstance(entries, list):
                self.problem(line_of(group, "rules"), f"`rules` of group {name!r} is not a list")
                continue
            for entry in entries:
                if not isinstance(entry, dict):
                    self.problem(line_of(group, "rules"), f"a rule of group {name!r} is not a mapping")
                    continue
                self.rule(source, name, entry)

    def rule(self, source: RuleSource, group: str, entry: dict[Any, Any]) -> None:
        if source == "grafana":
            key = "title"
        elif "alert" in entry:
            key = "alert"
        else:
            self.result.recording += "record" in entry
            return
        annotations = entry.get("annotations")
        value = annotations.get(self.annotation) if isinstance(annotations, dict) else None
        url = None if value is None else value.strip() if isinstance(value, str) else "(a list or mapping)"
        self.result.rules.append(
            AlertRule(
                name=_text(entry.get(key)) or "(unnamed)",
                path=self.shown,
                line=line_of(entry, key) or 1,
                source=source,
                group=group,
                runbook_url=url,
                url_line=line_of(annotations, self.annotation) if value is not None else None,
            )
        )


def read_source(source: Source, result: RuleFiles, annotation: str = RUNBOOK_ANNOTATION) -> None:
    """Read one file into ``result``."""
    reader = _Reader(result, source, annotation)
    try:
        if source.path is None:
            text = stdin_text()
        else:
            text = read_text(source.path, special=source.named)
    except ReadError as exc:
        if source.named:
            reader.problem(exc.line, exc.message)
        else:
            where = f" (line {exc.line})" if exc.line else ""
            result.notes.append(Note(source.shown, f"{exc.message}{where}"))
        return
    reader.read(text)


def read_rules(
    paths: Iterable[str | Path], annotation: str = RUNBOOK_ANNOTATION, exclude: Sequence[str] = ()
) -> RuleFiles:
    """The alerting rules of every named file and folder.

    An argument that names nothing, or a file or folder without any rule file,
    is a :class:`RuleFileError`: the command line most likely names the wrong
    place."""
    result = RuleFiles()
    seen: set[Path | None] = set()
    for given in paths:
        sources, notes = rule_sources(given, exclude)
        result.notes += notes
        held = 0
        for source in sources:
            key = source.path.resolve() if source.path is not None else None
            if key in seen:
                held += 1  # named twice, or inside a folder also named: read once
                continue
            seen.add(key)
            files, problems = len(result.files), len(result.problems)
            read_source(source, result, annotation)
            held += len(result.files) - files + (len(result.problems) > problems)
        if not held:
            where = "standard input" if str(given) in _STDIN_PATHS else (
                f"this {'folder' if Path(given).is_dir() else 'file'}"
            )  # fmt: skip
            raise RuleFileError(
                f"{given}: no Prometheus rule file, PrometheusRule, VMRule or Grafana alert-rule "
                f"provisioning file in {where}"
            )
    return result
