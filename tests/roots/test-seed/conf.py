# The real incident-response process, verbatim, adopted without editing it.
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
incident_runbooks = ["support:incident-response"]
