# A handbook that defined its own {role} before adopting the extension.
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
incident_runbooks = ["support:incident-response"]


def setup(app):
    app.add_crossref_type("role", "role")
