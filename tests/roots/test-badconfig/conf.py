# Configuration values of the wrong type: each warns and falls back to its default.
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
incident_runbooks = ["support:incident-response", 7]
incident_json_filename = 42
incident_html_json = "yes please"
suppress_warnings = ["myst.header"]
