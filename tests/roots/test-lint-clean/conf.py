# A well-formed runbook: every check must stay quiet.
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
incident_runbooks = ["clean-runbook"]
incident_link_hosts = ["status.example-tools.net", "docs.python.org"]
