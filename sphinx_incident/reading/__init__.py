"""Reading: doctrees to the checklist model, while Sphinx reads each document."""
