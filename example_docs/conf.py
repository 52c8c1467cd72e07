# Example team handbook for sphinx-incident: `make docs` builds it.
project = "Northwind Operations Handbook"
author = "Northwind Operations"
copyright = "2026, Northwind Operations"

extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build"]

# The incident-response page was written before the extension existed: it is
# adopted as a runbook by its label, without editing it.
incident_runbooks = ["support:incident-response"]

html_theme = "alabaster"
html_title = project
