"""Held-out accuracy corpus: runbooks written as five teams write them, and their defect twins.

Written independently of the first accuracy corpus, to check that extraction and
lint generalise: expected.json says, for every runbook, the steps its author
meant and, for the whole corpus, every finding lint should report.
"""

project = "Kestrel Freight operations handbook"
author = "Kestrel Freight"

extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build", "expected.json"]

incident_runbooks = [
    # platform (SRE)
    "sre-redis-failover",
    "sre-redis-evictions",
    "sre-node-cordon",
    "sre-kubelet-restart",
    "sre-pg-replica-lag",
    # customer support
    "support-p1-escalation",
    "support-goodwill-credits",
    "support-account-takeover",
    "support-bulk-email-pause",
    # security
    "sec-phishing-response",
    "sec-phishing-takedown",
    "sec-phishing-triage",
    "sec-host-isolate",
    "sec-host-forensics",
    # data and ML
    "ml-model-rollback",
    "ml-drift-alert",
    "data-pii-purge",
    "data-dashboard-fix",
    # site operations
    "ops-power-loss",
    "ops-generator-test",
    "ops-conveyor-stop",
    "ops-scanner-outage",
    "ops-shift-handover",
    "ops-forklift-collision",
    "ops-wan-failover",
    "ops-badge-outage",
    "ops-cold-room-alarm",
    # defect twins: each a copy of one runbook above with one planted mistake
    "sre-redis-failover-body",
    "sre-node-cordon-bodies",
    "sre-pg-replica-lag-body",
    "support-p1-escalation-sublist",
    "support-goodwill-credits-inline",
    "support-status-page-stray",
    "support-account-takeover-sublist",
    "support-bulk-email-pause-stray",
    "sec-host-isolate-inline",
    "ml-drift-alert-fence",
    "ops-generator-test-body",
    "ops-generator-test-sublist",
    "ops-conveyor-stop-inline",
    "ops-scanner-outage-stray",
    "ops-forklift-collision-stray",
    "ops-cold-room-alarm-stray",
]
