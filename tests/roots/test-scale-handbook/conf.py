# A small multi-page handbook for the parallel and incremental build tests.
project = "Scale handbook"
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
incident_runbooks = ["rb-alpha", "rb-beta", "rb-gamma", "rb-delta"]
