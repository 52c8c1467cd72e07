"""``sphinx-incident diff``: the runbooks of two versions of a handbook, compared step by step."""
