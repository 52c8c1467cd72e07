# One runbook written twice, in MyST and in rST: both must give the same model.
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
exclude_patterns = ["_build"]
# step 3 is untitled on purpose, to compare how both parsers keep untitled steps
suppress_warnings = ["incident.untitled_step"]
