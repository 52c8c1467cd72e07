extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
incident_runbooks = ["not-a-heading"]
