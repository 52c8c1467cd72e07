# Every field a document controls holds markup or template syntax.
project = "Hostile {{ 7*7 }} <script>alert(1)</script>"
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
incident_runbooks = ["hostile-label"]
# Markdown passes inline HTML through as raw HTML, like ``.. raw:: html``: that
# is the author's own markup, not text. Turned off here so the markup below is
# text, which everything downstream must escape.
myst_disable_syntax = ["html_inline", "html_block"]
# alabaster's sidebar prints `project` as HTML: this file's own markup, not a
# document's. Sphinx 9's test app swaps alabaster for `basic`; Sphinx 8's keeps
# it, so name the theme and test the same pages on both.
html_theme = "basic"
