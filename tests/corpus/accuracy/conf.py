"""Accuracy corpus: runbooks whose steps and planted list defects are annotated in expected.json."""

project = "Acme Operations Handbook"
author = "Acme Operations"

extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build"]

# The handbook adopts the extension by naming its labelled sections; a few
# pages declare themselves with page metadata or the runbook directive instead.
incident_runbooks = [
    # clean procedures
    "k8s-node-drain",
    "k8s-pool-cordon",
    "pg-failover",
    "pg-replica-lag",
    "pg-restore-backup",
    "tls-emergency-renewal",
    "cert-expired-client",
    "rabbitmq-backlog",
    "rabbitmq-dlq",
    "kafka-consumer-lag",
    "sqs-redrive",
    "sqs-redrive-fifo",
    "dns-record-change",
    "dns-resolver-outage",
    "deploy-rollback",
    "canary-release",
    "canary-abort",
    "hotfix-release",
    "support-escalation",
    "customer-comms-major",
    "customer-comms-followup",
    "status-page-update",
    "sec-credential-leak",
    "release-web",
    "incident-declare",
    "oncall-handover",
    "postmortem-process",
    "disk-full-volume",
    "object-store-outage",
    "alert-silence",
    "pager-test",
    "vpn-outage",
    "lb-drain-backend",
    "ci-runner-outage",
    "ci-runner-reimage",
    "refund-duplicate-charge",
    "erasure-request",
    # defect twins: copies of the procedures above with one planted list defect
    "k8s-node-drain-body",
    "pg-failover-body",
    "rabbitmq-dlq-body",
    "pg-restore-backup-body",
    "object-store-outage-body",
    "k8s-node-drain-sublist",
    "support-escalation-sublist",
    "pg-failover-sublist",
    "erasure-request-sublist",
    "dns-record-change-sublist",
    "deploy-rollback-inline",
    "hotfix-release-inline",
    "postmortem-process-inline",
    "alert-silence-stray",
    "tls-emergency-renewal-stray",
    "object-store-outage-stray",
    "rabbitmq-dlq-stray",
]
