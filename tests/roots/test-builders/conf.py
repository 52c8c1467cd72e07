# A handbook that also uses sphinx.ext.todo and sphinx-design tabs, built with every builder.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "Builders"
copyright = "2026, Ops"
version = "1"
extensions = ["myst_parser", "sphinx_design", "sphinx.ext.todo", "plainbuilder", "sphinx_incident"]
exclude_patterns = ["_build", "_ext"]
todo_include_todos = True
incident_runbooks = ["restart-procedure"]
latex_documents = [("index", "builders.tex", "Builders", "Ops", "manual")]
texinfo_documents = [("index", "builders", "Builders", "Ops", "builders", "Runbooks.", "Misc")]
man_pages = [("index", "builders", "Builders", ["Ops"], 7)]
myst_enable_extensions = ["colon_fence"]
