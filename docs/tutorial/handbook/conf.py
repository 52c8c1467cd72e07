# Sphinx configuration of the Kestrel Freight on-call handbook.
project = "Kestrel Freight on-call handbook"
author = "Kestrel Freight platform team"

extensions = ["myst_parser", "sphinx_design"]
exclude_patterns = ["_build"]
