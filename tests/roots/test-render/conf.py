# A small handbook for the rendering tests: a MyST process, a glossary, roles, an rST runbook.
project = "Render handbook"
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
incident_runbooks = ["support:incident-response"]
exclude_patterns = ["_build"]
