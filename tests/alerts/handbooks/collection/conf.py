# Runbooks kept as a Markdown collection, one page per alert, as community runbook repositories
# are: published by a static site generator (Hugo: lower-case URLs) or read on the forge.
project = "Lattice platform runbooks"
extensions = ["myst_parser"]
root_doc = "README"
html_baseurl = "https://runbooks.lattice.test/"
incident_runbooks = ["storage/Volume*", "network/Link*", "mixin/runbook"]
suppress_warnings = ["toc.not_included", "myst.header"]
