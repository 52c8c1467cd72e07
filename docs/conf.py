"""The sphinx-incident documentation: built with sphinx-incident itself (`make site`)."""

from __future__ import annotations

import sys
from pathlib import Path

import sphinx_incident

# the local extension that writes the reference pages from the code
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sphinx-incident"
author = "sphinx-incident developers"
copyright = "sphinx-incident developers"
release = version = sphinx_incident.__version__

extensions = ["myst_parser", "sphinx_design", "sphinx_incident", "incident_reference"]
myst_enable_extensions = ["colon_fence", "deflist"]
# `[text](#a-heading)` links to headings of level 1 to 3
myst_heading_anchors = 3

# the tutorial's handbook is a Sphinx project of its own, shown and tested, not part of the site
exclude_patterns = ["_build", "tutorial/handbook"]

html_theme = "furo"
html_title = f"sphinx-incident {version}"

# The example handbook inside this site: its pages are runbooks declared in
# each of the three ways (here by label; the others by directive and by page metadata).
incident_runbooks = ["tracking-api-outage"]
