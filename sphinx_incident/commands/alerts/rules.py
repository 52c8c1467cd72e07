"""Reading alerting rules: Prometheus rule files, ``PrometheusRule`` manifests, Grafana provisioning.

Three shapes of YAML carry the alerts whose ``runbook_url`` annotation links
to a runbook:

- a Prometheus rule file: ``groups[].rules[]``, where alerting rules have
  ``alert:`` (rules with ``record:`` are recording rules, not alerts);
- a Kubernetes ``PrometheusRule`` manifest (Prometheus Operator): the same
  groups under ``spec.groups``;
- a Grafana alert-rule provisioning file: ``apiVersion: 1`` and
  ``groups[].rules[]``, each rule with a ``title``.

A file may hold several YAML documents (``---``); documents of any other
kind (a Deployment next to the ``PrometheusRule``, a Helm values file) are
skipped. Every rule keeps the line of its name and of its ``runbook_url`` so
findings point at them. YAML is read with PyYAML's safe loader: aliases are
shared, never expanded, and no tag constructs an object.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

RuleSource = Literal["prometheus", "kubernetes", "grafana"]
#: the annotation that links an alert to its runbook, in Prometheus and Grafana alike
RUNBOOK_ANNOTATION = "runbook_url"
#: file names looked at inside folders
SUFFIXES = (".yml", ".yaml")


class RuleFileError(Exception):
    """A rule file that cannot be read: missing, not UTF-8, not YAML, or not shaped as rules."""


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


@dataclass
class RuleFiles:
    """What reading the rule files gave."""

    rules: list[AlertRule]
    #: the files that held at least one rule group
    files: list[str]
    #: recording rules seen (counted, not checked)
    recording: int = 0


class _Mapping(dict[Any, Any]):
    """A YAML mapping that remembers the line of each value (1-based)."""

    line: int = 0
    value_lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, with mappings that keep their lines."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Iterator[_Mapping]:
    data = _Mapping()
    data.line = node.start_mark.line + 1
    data.value_lines = {}
    yield data  # as SafeConstructor does, so recursive aliases still work
    data.update(loader.construct_mapping(node))
    # construct_mapping has merged ``<<`` keys into node.value; the last of a repeated key wins
    for key_node, value_node in node.value:
        try:
            key = loader.construct_object(key_node)
            data.value_lines[key] = value_node.start_mark.line + 1
        except TypeError:  # an unhashable key: construct_mapping already refused it
            continue


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _line_of(mapping: Any, key: str) -> int | None:
    if isinstance(mapping, _Mapping):
        return mapping.value_lines.get(key, mapping.line)
    return None


def rule_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to read: each named file, and the ``.yml``/``.yaml`` files below each named
    folder (hidden folders skipped), in a stable order."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            below = []
            for folder, dirnames, filenames in os.walk(path):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                below += [Path(folder) / name for name in filenames if name.endswith(SUFFIXES)]
            found += sorted(below)
        elif path.is_file():
            found.append(path)
        else:
            raise RuleFileError(f"{given}: no such file or folder")
    return list(dict.fromkeys(found))


def _documents(path: Path) -> list[Any]:
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleFileError(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise RuleFileError(f"{path}: {exc.strerror or exc}") from None
    try:
        return list(yaml.load_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleFileError(f"{where}: not valid YAML: {problem}") from None
    except (TypeError, ValueError, RecursionError) as exc:  # unhashable keys, absurd nesting
        raise RuleFileError(f"{path}: not valid YAML: {exc}") from None


def _groups(document: Any) -> tuple[RuleSource, Any, Any] | None:
    """The rule groups of a document and their source, or ``None`` for other documents."""
    if not isinstance(document, dict):
        return None
    if document.get("kind") == "PrometheusRule":
        spec = document.get("spec")
        groups = spec.get("groups") if isinstance(spec, dict) else None
        return "kubernetes", groups, spec if isinstance(spec, dict) else document
    if "groups" not in document:
        return None
    # Grafana's provisioning files start with ``apiVersion: 1``; Prometheus rule files have no such key
    source: RuleSource = "grafana" if "apiVersion" in document else "prometheus"
    return source, document["groups"], document


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def read_rule_file(path: Path, annotation: str = RUNBOOK_ANNOTATION) -> RuleFiles:
    """The alerting rules of one file (empty when it holds no rule groups)."""
    rules: list[AlertRule] = []
    recording = 0
    held_rules = False
    shown = str(path)
    for document in _documents(path):
        found = _groups(document)
        if found is None:
            continue
        source, groups, parent = found
        if not isinstance(groups, list):
            raise RuleFileError(
                f"{shown}:{_line_of(parent, 'groups') or 1}: `groups` is not a list of rule groups"
            )
        held_rules = True
        for group in groups:
            if not isinstance(group, dict):
                raise RuleFileError(
                    f"{shown}:{_line_of(parent, 'groups') or 1}: a rule group is not a mapping"
                )
            group_name = _text(group.get("name")) or ""
            entries = group.get("rules") or []
            if not isinstance(entries, list):
                raise RuleFileError(
                    f"{shown}:{_line_of(group, 'rules')}: `rules` of group {group_name!r} is not a list"
                )
            for entry in entries:
                if not isinstance(entry, dict):
                    raise RuleFileError(
                        f"{shown}:{_line_of(group, 'rules')}: a rule of group {group_name!r} is not a mapping"
                    )
                if source == "grafana":
                    key = "title"
                elif "alert" in entry:
                    key = "alert"
                else:
                    recording += "record" in entry
                    continue
                annotations = entry.get("annotations")
                url = annotations.get(annotation) if isinstance(annotations, dict) else None
                rules.append(
                    AlertRule(
                        name=_text(entry.get(key)) or "(unnamed)",
                        path=shown,
                        line=_line_of(entry, key) or 1,
                        source=source,
                        group=group_name,
                        runbook_url=_text(url),
                        url_line=_line_of(annotations, annotation) if url is not None else None,
                    )
                )
    return RuleFiles(rules, [shown] if held_rules else [], recording)


def read_rules(paths: Iterable[str | Path], annotation: str = RUNBOOK_ANNOTATION) -> RuleFiles:
    """The alerting rules of every named file and folder.

    A named file, or a named folder, that holds no rule group at all is an
    error: the command line most likely names the wrong place."""
    result = RuleFiles([], [])
    seen: set[Path] = set()
    for given in paths:
        files = rule_files([given])
        held = 0
        for path in files:
            if path.resolve() in seen:
                held += 1  # named twice, or inside a folder also named: read once
                continue
            seen.add(path.resolve())
            one = read_rule_file(path, annotation)
            result.rules += one.rules
            result.files += one.files
            result.recording += one.recording
            held += len(one.files)
        if not held:
            kind = "folder" if Path(given).is_dir() else "file"
            raise RuleFileError(
                f"{given}: no Prometheus rule file, PrometheusRule manifest or Grafana alert-rule "
                f"provisioning file in this {kind}"
            )
    return result
