"""Configuration: every ``incident_*`` value declared once, with default, type and help.

Values are registered with Sphinx in a loop, checked at ``config-inited``
(a bad value warns and falls back to its default), and read through
:func:`get_config`. The README's configuration reference is generated from
:data:`FIELDS`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from .warnings_ import IncidentWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

PREFIX = "incident_"


@dataclass
class IncidentConfig:
    """The extension's configuration; each field is ``incident_<name>`` in ``conf.py``."""

    runbooks: list[str] = field(
        default_factory=list,
        metadata={
            "rebuild": "env",
            "types": (list, tuple),
            "help": "Labels of sections that are runbooks, for handbooks that "
            "adopt the extension without editing their documents "
            '(`["support:incident-response"]`).',
        },
    )
    metadata_key: str = field(
        default="runbook",
        metadata={
            "rebuild": "env",
            "types": (str,),
            "help": "Page metadata field (MyST front matter or rST field list) "
            "that marks a whole page as a runbook; its value is `true` or the runbook id.",
        },
    )
    html_json: bool = field(
        default=True,
        metadata={
            "rebuild": "html",
            "types": (bool,),
            "help": "Write the step list next to the HTML pages.",
        },
    )
    json_filename: str = field(
        default="runbooks.json",
        metadata={
            "rebuild": "html",
            "types": (str,),
            # a bare file name, so the step list cannot be written outside the output directory
            "validate": lambda name: bool(name) and name not in (".", "..") and not set("/\\\0") & set(name),
            "help": "File name of the step list, at the root of the output directory.",
        },
    )
    severity: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "rebuild": "",
            "types": (dict,),
            "help": "Severity per check, overriding its default: ``error``, ``warning`` "
            'or ``off`` (``{"numbering_gap": "warning"}``). See the rule list under Checks.',
        },
    )
    link_hosts: list[str] = field(
        default_factory=list,
        metadata={
            "rebuild": "",
            "types": (list, tuple),
            "help": "When set, links in runbooks must point at these hosts or their "
            'sub-domains (``["example.org"]``); empty allows any host.',
        },
    )

    show_problems: bool = field(
        default=False,
        metadata={
            "rebuild": "html",
            "types": (bool,),
            "help": "List each runbook's problems in its panel on the HTML page "
            "(off by default: published handbooks should not show them).",
        },
    )
    matrix_terms: bool | list[str] = field(
        default=False,
        metadata={
            "rebuild": "env",
            "types": (bool, list, tuple),
            "help": "Glossary terms that count as responsibilities in ``runbook-matrix`` "
            "besides ``{role}`` references: ``True`` for every ``{term}``, or a list of term names.",
        },
    )

    @classmethod
    def from_sphinx(cls, config: Config) -> IncidentConfig:
        return cls(**{f.name: getattr(config, PREFIX + f.name) for f in dataclasses.fields(cls)})


FIELDS = dataclasses.fields(IncidentConfig)


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return f.default


def register(app: Sphinx) -> None:
    """Declare every ``incident_*`` value to Sphinx."""
    for f in FIELDS:
        app.add_config_value(
            PREFIX + f.name,
            _default(f),
            f.metadata["rebuild"],
            types=f.metadata["types"],
            description=f.metadata["help"],
        )


def check_config(app: Sphinx, config: Config) -> None:
    """At ``config-inited``: a value of the wrong type warns and falls back to its default."""
    for f in FIELDS:
        name = PREFIX + f.name
        value = getattr(config, name)
        validator = f.metadata.get("validate")
        ok = isinstance(value, f.metadata["types"]) and (validator is None or validator(value))
        if not ok:
            warn(
                logger,
                IncidentWarning.CONFIG,
                f"{name} = {value!r} is not valid ({f.metadata['help']}); using the default {_default(f)!r}",
            )
            setattr(config, name, _default(f))
    labels = getattr(config, PREFIX + "runbooks")
    if not all(isinstance(label, str) for label in labels):
        warn(logger, IncidentWarning.CONFIG, "incident_runbooks must be a list of labels (strings)")
        setattr(config, PREFIX + "runbooks", [label for label in labels if isinstance(label, str)])


def get_config(config: Config) -> IncidentConfig:
    """The one way the extension reads its configuration."""
    return IncidentConfig.from_sphinx(config)


def reference_markdown() -> str:
    """The configuration reference table, for the README."""
    rows = ["| name | default | description |", "| --- | --- | --- |"]
    for f in FIELDS:
        text = f.metadata["help"].replace("``", "`")  # rST literals read as Markdown code
        rows.append(f"| `{PREFIX}{f.name}` | `{_default(f)!r}` | {text} |")
    return "\n".join(rows)
