"""``sphinx-incident alerts``: the runbook links of alerting rules, checked against the handbook."""
