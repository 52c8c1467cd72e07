# A handbook that alert rules link to: runbooks on two pages, a page of roles, a plain page.
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
html_baseurl = "https://ops.northwind.test/handbook/"
