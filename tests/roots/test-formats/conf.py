# One runbook written twice, in MyST and in rST: both must give the same model.
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
exclude_patterns = ["_build"]
