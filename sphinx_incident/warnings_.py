"""The extension's warning subtypes, one per rule, each suppressible by name.

Every warning is logged with ``type="incident"`` and one of these subtypes,
so ``suppress_warnings = ["incident.<subtype>"]`` silences exactly one kind.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from sphinx.util.logging import SphinxLoggerAdapter

WARNING_TYPE = "incident"


class IncidentWarning(Enum):
    """Subtypes of ``incident`` warnings raised while reading and writing: (subtype, when)."""

    help: str

    def __new__(cls, subtype: str, help: str) -> IncidentWarning:
        member = object.__new__(cls)
        member._value_ = subtype
        member.help = help
        return member

    CONFIG = (
        "config",
        "A configuration value has the wrong type or form; its default is used.",
    )

    UNKNOWN_LABEL = (
        "unknown_label",
        "`incident_runbooks` names a label that no document defines.",
    )

    NOT_A_SECTION = (
        "not_a_section",
        "`incident_runbooks` names a label that is not on a section heading.",
    )

    NESTED_RUNBOOK = (
        "nested_runbook",
        "A runbook is declared inside another runbook; the inner one is ignored.",
    )

    DUPLICATE_RUNBOOK = (
        "duplicate_runbook",
        "Two runbooks in the handbook have the same id; the later one is renamed.",
    )

    DUPLICATE_ROLE = (
        "duplicate_role",
        "Two role directives define the same team role.",
    )

    BAD_METADATA = (
        "bad_metadata",
        "The page metadata that marks a runbook has a value that is not understood.",
    )

    EXTRACTION_FAILED = (
        "extraction_failed",
        "A runbook could not be turned into a checklist; its page is built unchanged.",
    )

    @property
    def code(self) -> str:
        """``incident.<subtype>``, as written in ``suppress_warnings``."""
        return f"{WARNING_TYPE}.{self.value}"


def warn(
    logger: SphinxLoggerAdapter,
    subtype: IncidentWarning | str,
    message: str,
    location: Any = None,
    **kwargs: Any,
) -> None:
    """Log a typed, suppressible warning at ``location`` (a node, docname, or (docname, line))."""
    name = subtype.value if isinstance(subtype, IncidentWarning) else subtype
    logger.warning(
        message,
        type=WARNING_TYPE,
        subtype=name,
        location=location,
        **kwargs,
    )


def reference_markdown() -> str:
    """The table of reading warnings, for the README."""
    rows = ["| subtype | when |", "| --- | --- |"]
    for member in IncidentWarning:
        rows.append(f"| `{member.code}` | {member.help} |")
    return "\n".join(rows)
