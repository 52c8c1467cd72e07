"""Rendering: the runbooks of the reviewed build as pages, overview tables, the step list and exports."""
