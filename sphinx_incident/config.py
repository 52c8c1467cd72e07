"""Configuration: every ``incident_*`` value declared once, with default, type and help.

Values are registered with Sphinx in a loop, checked at ``config-inited``
(a bad value warns and falls back to its default:
:func:`sphinx_incident.checking.settings.check_config`), and read through
:func:`get_config`. The documentation's configuration reference is generated from
:data:`FIELDS`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

PREFIX = "incident_"


@dataclass
class IncidentConfig:
    """The extension's configuration; each field is ``incident_<name>`` in ``conf.py``."""

    runbooks: list[str] = field(
        default_factory=list,
        metadata={
            "rebuild": "env",
            "types": (list, tuple),
            "help": "Runbooks declared without editing the documents: a section label "
            '(`"support:incident-response"`), a document (`"support/incidents"`: its first section), '
            'a section by document and HTML id (`"support/incidents#create-an-incident-report"`), '
            'or a glob of documents (`"runbooks/*"`).',
        },
    )
    lint_scope: str = field(
        default="runbooks",
        metadata={
            "rebuild": "env",
            "types": (str,),
            "validate": lambda value: value in ("runbooks", "discovered"),
            "help": 'What the structural checks look at: `"runbooks"` (the declared runbooks) or '
            '`"discovered"` (also every procedure `sphinx-incident discover` finds that is not declared, '
            "and, in every other list, the mistakes that break any list: a body or a sub-list "
            "indented too little, a run-in list, nesting too deep, typed numbers that skip or repeat; "
            "checked, not rendered or written "
            "to the step list).",
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
            # a bare .json name, so the step list cannot be written outside the output
            # directory, nor over a page, the schema or another file Sphinx writes
            "validate": lambda name: _valid_json_filename(name),
            "help": "File name of the step list, at the root of the output directory: "
            "a bare `.json` name other than `runbooks.schema.json`.",
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
    issue_url: str = field(
        default="",
        metadata={
            "rebuild": "html",
            "types": (str,),
            "validate": lambda url: _valid_issue_url(url),
            "help": "URL template of a new issue in your tracker, with ``{title}`` and ``{body}``: "
            "adds **Open an incident issue** to each runbook's panel, pre-filled with its checklist. "
            "GitHub: ``https://github.com/OWNER/REPO/issues/new?title={title}&body={body}``; "
            "GitLab: ``https://gitlab.com/GROUP/PROJECT/-/issues/new?issue[title]={title}"
            "&issue[description]={body}``. Must be an http(s) URL; empty: no button.",
        },
    )
    alert_site: dict[str, object] = field(
        default_factory=dict,
        metadata={
            "rebuild": "",
            "types": (dict,),
            "validate": lambda value: set(value) <= {"preset", "fold_case", "rewrite", "redirects"},
            "help": "How the published site shows the handbook, for `sphinx-incident alerts`: "
            '``{"preset": "hugo"}`` (``sphinx``, ``html``, ``dirhtml``, ``mkdocs``, ``hugo``, '
            "``docusaurus``, ``github``, ``gitlab``), ``fold_case`` (paths match whatever their "
            "case), ``rewrite`` (``[pattern, replacement]`` pairs applied to a link's path) and "
            "``redirects`` (old path: new path).",
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


#: files in the output folder the step list must never replace
RESERVED_OUTPUTS = frozenset({"runbooks.schema.json", "searchindex.js", "objects.inv", "index.html"})


def _valid_json_filename(name: object) -> bool:
    """A bare ``.json`` file name that Sphinx and the extension do not write themselves."""
    return (
        isinstance(name, str)
        and name.endswith(".json")
        and len(name) > len(".json")
        and not set("/\\\0:") & set(name)
        and not name.startswith(".")
        and name not in RESERVED_OUTPUTS
    )


def _valid_issue_url(url: object) -> bool:
    """Empty, or an http(s) URL with a host: the page only ever opens such a URL."""
    if not isinstance(url, str):
        return False
    if url == "":
        return True
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed IPv6 host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def config_problems(config: Config) -> tuple[dict[str, Any], list[str]]:
    """Each ``incident_*`` value of the wrong type or form, replaced by what is used instead, and
    the messages why. Which rules ``incident_severity`` may name is the checks' to say
    (:func:`sphinx_incident.checking.settings.check_config`)."""
    fixed: dict[str, Any] = {}
    messages: list[str] = []
    for f in FIELDS:
        name = PREFIX + f.name
        value = getattr(config, name)
        validator = f.metadata.get("validate")
        if not isinstance(value, f.metadata["types"]) or (validator is not None and not validator(value)):
            messages.append(
                f"{name} = {value!r} is not valid ({f.metadata['help']}); using the default {_default(f)!r}"
            )
            fixed[name] = _default(f)
    for name in ("runbooks", "link_hosts"):
        value = fixed.get(PREFIX + name, getattr(config, PREFIX + name))
        if not all(isinstance(item, str) for item in value):
            messages.append(f"{PREFIX}{name} must be a list of strings; the other items are ignored")
            fixed[PREFIX + name] = [item for item in value if isinstance(item, str)]
    terms = fixed.get(PREFIX + "matrix_terms", config.incident_matrix_terms)
    if isinstance(terms, list | tuple) and not all(isinstance(item, str) for item in terms):
        messages.append("incident_matrix_terms must be True, False or a list of term names; "
                        "the items that are not names are ignored")  # fmt: skip
        fixed[PREFIX + "matrix_terms"] = [item for item in terms if isinstance(item, str)]
    return fixed, messages


def get_config(config: Config) -> IncidentConfig:
    """The one way the extension reads its configuration."""
    return IncidentConfig.from_sphinx(config)
