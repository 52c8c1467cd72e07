# Runbooks whose links a browser must never follow to script, or that leave the allowed hosts.
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
incident_link_hosts = ["tools.corp.test"]
exclude_patterns = ["_build", "included.md"]
