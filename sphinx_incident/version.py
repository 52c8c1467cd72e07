"""The version of sphinx-incident, in one place: the package, the extension and the step list read it."""

__version__ = "0.1.0"
