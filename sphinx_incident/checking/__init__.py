"""Checking: once every document is read, resolve the runbooks through Sphinx, decide, check and report."""
