"""The configuration as the checks apply it: checked when ``conf.py`` is read, and the
severities and suppressions every finding is decided by (:class:`~.rules.Settings`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config import PREFIX, config_problems, get_config
from ..model import Problem
from .report import conf_line, conf_path, emit, with_severity
from .rules import RULES_BY_CODE, Settings, invalid_severities

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def check_config(app: Sphinx, config: Config) -> None:
    """At ``config-inited``: each bad value is reported once and replaced, so nothing later trips on it."""
    fixed, messages = config_problems(config)
    severity = fixed.get(PREFIX + "severity", config.incident_severity)
    bad = invalid_severities(severity)
    if bad:
        messages.extend(bad)
        fixed[PREFIX + "severity"] = {
            code: value
            for code, value in severity.items()
            if code in RULES_BY_CODE and value in ("error", "warning", "off")
        }
    for name, value in fixed.items():
        setattr(config, name, value)
    settings = Settings(
        severity=config.incident_severity, suppress_warnings=list(config.suppress_warnings or ())
    )
    for message in messages:
        name = message.split(" ", 1)[0].split("[", 1)[0]
        problem = with_severity(
            Problem("config", "warning", message, conf_path(app), conf_line(app, name)), settings
        )
        if problem is not None:
            emit(app.srcdir, problem)


def settings_from(app: Sphinx) -> Settings:
    """The severities, suppressions and allowed link hosts of ``app``'s configuration."""
    config = get_config(app.config)
    return Settings(
        severity=config.severity,
        link_hosts=[str(h) for h in config.link_hosts],
        suppress_warnings=list(app.config.suppress_warnings or ()),
    )
