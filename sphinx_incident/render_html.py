"""HTML rendering of runbook and team-role nodes.

The runbook is a ``<div>`` carrying its id, so the step list's runbook URL
resolves; steps keep the list markup their parser made, with ids added at
read time. Other builders render the nodes' children unchanged.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes


def visit_runbook_html(self: Any, node: nodes.Element) -> None:
    self.body.append(
        self.starttag(node, "div", "", **{"data-runbook": node["ids"][0] if node["ids"] else ""})
    )


def depart_runbook_html(self: Any, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def visit_team_role_html(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "div", "", **{"data-role": node.get("role_name", "")}))


def depart_team_role_html(self: Any, node: nodes.Element) -> None:
    self.body.append("</div>\n")
