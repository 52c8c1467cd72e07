# The rST version of the common defects.
extensions = ["sphinx_design", "sphinx_incident"]
incident_runbooks = ["broken-rst"]
