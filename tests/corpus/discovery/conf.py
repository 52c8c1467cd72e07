"""Discovery corpus: every list of these pages has a hand-assigned verdict in expected.json."""

project = "Platform Handbook"
author = "Acme Platform Operations"

extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 2
exclude_patterns = ["_build"]

# No runbook is declared: the lists are for telling procedures from look-alikes.
incident_runbooks: list[str] = []
