"""For each rule, a short example it reports and the nearest one it must not report.

The rule reference shows both under each rule (``docs/_ext/incident_reference.py``), so a
reader sees where the line runs; ``tests/test_rule_examples.py`` builds the Markdown ones
of the runbook rules and checks that the first is reported and the second is not.
"""

from __future__ import annotations

from typing import NamedTuple


class Example(NamedTuple):
    """Source that the rule reports, and the nearest source it leaves alone."""

    reported: str
    not_reported: str


EXAMPLES: dict[str, Example] = {
    # -- the steps of a runbook ----------------------------------------------------
    "stray_step": Example(
        "1. **Drain the node**.\n2. **Restart it**.\n\n3 **Check the logs**.\n",
        "1. **Drain the node**.\n2. **Restart it**.\n\n30 minutes later, check the logs.\n",
    ),
    "outdented_body": Example(
        "1. **Open a shell**:\n\n```\nssh bastion\n```\n\n2. **Restart the worker**.\n",
        "1. **Open a shell**.\n\nThe next two steps need the VPN.\n\n2. **Restart the worker**.\n",
    ),
    "outdented_sublist": Example(
        "1. **Stop the writers**:\n  - the API\n  - the cron jobs\n2. **Back up**.\n",
        "1. **Stop the writers**:\n   - the API\n   - the cron jobs\n2. **Back up**.\n",
    ),
    "indented_body": Example(
        "#. **Pull the strings**::\n\n      tx pull\n\n    Then check them.\n\n#. **Compile**.\n",
        "#. **Pull the strings**::\n\n      tx pull\n\n   Then check them.\n\n#. **Compile**.\n",
    ),
    "run_in_list": Example(
        "#. **Stop the writers**:\n      - the API\n      - the cron jobs\n#. **Back up**.\n",
        "#. **Stop the writers**:\n\n   - the API\n   - the cron jobs\n#. **Back up**.\n",
    ),
    "joined_line": Example(
        "- **Tag** the image.\n- **Sign** it.\nThen, for our own images:\n- **Push** them.\n",
        "- **Tag** the image.\nIt takes the release number.\n- **Sign** it.\n",
    ),
    "inline_step_numbers": Example(
        "1. **Restart**. Wait for it. 2. Check the logs. 3. Tell the channel.\n",
        "1. **Resize** the pool by 2. Then wait.\n",
    ),
    "nesting_too_deep": Example(
        "1. **One**\n"
        + "".join(" " * (3 + 2 * level) + f"- level {level + 2}\n" for level in range(12))
        + "2. **Two**\n",
        "1. **One**\n   - level 2\n     - level 3\n2. **Two**\n",
    ),
    "empty_item": Example(
        "- - **Open a ticket**.\n  - Add the sub-tasks.\n- **Tell the team**.\n",
        "- **Open a ticket**:\n  - Add the sub-tasks.\n- **Tell the team**.\n",
    ),
    "foreign_markup": Example(
        "1. **Open a shell**.\n\n   .. note:: You need the VPN.\n\n2. **Restart the worker**.\n",
        "1. **Open a shell**.\n\n   ```{note}\n   You need the VPN.\n   ```\n\n2. **Restart the worker**.\n",
    ),
    "unclosed_fence": Example(
        "1. **Open the database shell**:\n\n   ```shell\n   psql\n   ```sql\n   SELECT 1;\n   ```\n\n"
        "2. **Restart the worker**.\n",
        "1. **Open the database shell**:\n\n   ```shell\n   psql\n   ```\n\n"
        "   ```sql\n   SELECT 1;\n   ```\n\n2. **Restart the worker**.\n",
    ),
    "numbering_gap": Example(
        "1. **Back up**.\n2. **Stop**.\n4. **Upgrade**.\n",
        "1. **Back up**.\n1. **Stop**.\n1. **Upgrade**.\n",
    ),
    "numbering_duplicate": Example(
        "1. **Back up**.\n2. **Stop**.\n2. **Upgrade**.\n3. **Start**.\n",
        "1. **Back up**.\n2. **Stop**.\n3. **Upgrade**.\n4. **Start**.\n",
    ),
    "numbering_restart": Example(
        "1. **Drain**.\n2. **Restart**.\n\nIt takes a while.\n\n1. **Check it**.\n",
        "1. **Drain**.\n2. **Restart**.\n\nThen, on the standby:\n\n1. **Promote it**.\n",
    ),
    "detached_substeps": Example(
        "1. **Stop the writers**.\n2. **Back up**.\n\n- **The API** first\n- **The cron jobs** next\n",
        "1. **Stop the writers**.\n2. **Back up**.\n\n   - **The API** first\n   - **The cron jobs** next\n",
    ),
    "untitled_step": Example(
        "1. **Drain**.\n2. **Restart**.\n3. Check the logs.\n",
        "1. Drain the node.\n2. Restart it.\n3. Check the logs.\n",
    ),
    "undefined_term": Example(
        "1. **Fail over** to the {term}`standby replica`.\n",
        "1. **Fail over** to the {term}`replica` (a glossary defines replica).\n",
    ),
    "unresolved_reference": Example(
        "1. **Restore** as in [](restore-from-bakup).\n",
        "1. **Restore** as in [](restore-from-backup) (a label that exists).\n",
    ),
    "bad_url": Example(
        "1. **Open** [the dashboard](http://).\n",
        "1. **Open** [the dashboard](https://grafana.acme-ops.net/d/api).\n",
    ),
    "unsafe_url": Example(
        "1. **Open the console**.\n\n   ```{button-link} javascript:open()\n   Console\n   ```\n",
        "1. **Open the console**.\n\n   ```{button-link} https://console.acme-ops.net/\n   Console\n   ```\n",
    ),
    "url_scheme": Example(
        "1. **Get** [the dump](ftp://files.acme-ops.net/dump.sql).\n",
        "Turn the flag on at chrome://flags (a URL written as text, in rST).\n",
    ),
    "link_host": Example(
        "1. **Open** [the wiki](https://wiki.other-corp.org/) (incident_link_hosts = ['acme-ops.net']).\n",
        "1. **Open** [the wiki](https://wiki.acme-ops.net/).\n",
    ),
    "placeholder_url": Example(
        "1. **Open** [the runbook](https://example.com/TODO).\n",
        "1. **Open** [the local console](https://localhost:4430/) after port-forwarding.\n",
    ),
    "button_text": Example(
        "```{button-link} https://status.acme-ops.net/\n```\n",
        "```{button-link} https://status.acme-ops.net/\nStatus page\n```\n",
    ),
    "empty_runbook": Example(
        "# Restore the database\n\nAsk the DBA.\n",
        "# Restore the database\n\n1. **Ask the DBA**.\n",
    ),
    "duplicate_step_id": Example(
        "1. **Check the logs**.\n2. **Restart**.\n3. **Check the logs**.\n",
        "1. **Check the API logs**.\n2. **Restart**.\n3. **Check the worker logs**.\n",
    ),
    "extraction_failed": Example(
        "(a runbook the extension fails on: its traceback is printed with the warning)",
        "(any runbook the extension reads)",
    ),
    # -- the handbook as a whole -------------------------------------------------------
    "undefined_role": Example(
        "{role}`Incident Lead` where no page defines that role",
        "{role}`Incident Lead` with a `team-role` directive named Incident Lead on some page",
    ),
    "duplicate_role": Example(
        "```{team-role} Scribe\n``` on two pages",
        "```{team-role} Scribe\n``` on one page, and {role}`Scribe` elsewhere",
    ),
    "duplicate_runbook": Example(
        "`runbook: restore-db` in the metadata of two pages",
        "`runbook: restore-db` on one page and `runbook: restore-cache` on the other",
    ),
    "ambiguous_runbook_id": Example(
        "`ops/db-restore` and `ops-db/restore` both declared (both ops-db-restore)",
        "`ops/db-restore` declared with `runbook: restore-db` in its metadata",
    ),
    "bad_metadata": Example("runbook: [1, 2]", "runbook: true"),
    # -- the configuration -------------------------------------------------------------
    "config": Example('incident_lint_scope = "everything"', 'incident_lint_scope = "discovered"'),
    "unknown_entry": Example(
        'incident_runbooks = ["db-restor"]', 'incident_runbooks = ["db-restore"]  # a label that exists'
    ),
    "not_a_section": Example(
        'incident_runbooks = ["step-three"]  # a label on a paragraph',
        'incident_runbooks = ["db-restore"]  # a label right before a heading',
    ),
    # -- live links -----------------------------------------------------------------
    "link_broken": Example("a URL answering 404", "a URL answering 200, or redirecting to a page that does"),
    "link_login": Example("a URL answering 403, or redirecting to a sign-in page", "a URL answering 200"),
    "link_timeout": Example("a URL with no answer within --link-timeout", "a URL answering in time"),
    # -- alert rules -------------------------------------------------------------------
    "alert_no_runbook": Example(
        "an alerting rule without runbook_url", "an alerting rule with runbook_url: https://..."
    ),
    "alert_bad_url": Example(
        "runbook_url: handbook/db", "runbook_url: https://handbook.acme-ops.net/db.html"
    ),
    "alert_unknown_page": Example(
        "runbook_url: https://handbook.acme-ops.net/db-old.html (the page is gone)",
        "runbook_url: https://handbook.acme-ops.net/db.html",
    ),
    "alert_unknown_anchor": Example(
        "runbook_url: .../db.html#restore (no such id on the page)",
        "runbook_url: .../db.html#restore-db (the runbook's anchor)",
    ),
    "alert_unknown_step": Example(
        "runbook_url: .../db.html#restore-db--check-logs (the step was renamed)",
        "runbook_url: .../db.html#restore-db--check-the-logs",
    ),
    "alert_not_runbook": Example(
        "runbook_url: .../overview.html (a page with no runbook)", "runbook_url: .../db.html"
    ),
    "alert_templated_url": Example(
        "runbook_url: .../{{ $labels.alertname }}.html", "runbook_url: .../db.html"
    ),
    "alert_via_redirect": Example(
        "runbook_url: .../old-db.html (redirected to db.html)", "runbook_url: .../db.html"
    ),
    "alert_rule_file": Example("a rule file that is not YAML", "a rule file with groups: and rules:"),
    "alert_uncovered_runbook": Example(
        "a runbook no alert links to (with --coverage)", "a runbook one alert's runbook_url points at"
    ),
    "alert_uncovered_step": Example(
        "a top-level step no alert starts at (with --coverage steps)",
        "a step whose anchor an alert's runbook_url names",
    ),
}
