"""The ``sphinx-incident`` command line: one module (or package) per command; each drives the extension."""
