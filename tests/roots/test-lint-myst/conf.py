# Runbooks with one defect of each kind, at known lines.
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
incident_runbooks = ["broken", "links", "empty", "no-such-label"]
incident_link_hosts = ["tools.example-corp.net"]
