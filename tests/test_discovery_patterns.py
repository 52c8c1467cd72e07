"""Discovery on text written by others: each pattern real handbooks showed, in our own words.

The classifier's cases are lists written the ways other teams write them
(items that open with where or when before the verb, timelines of past
incidents, lists of links, values, duties and tips); the build cases are
sections that hold a procedure beside other lists, two procedures, or a
procedure in a tab: what ``discover`` suggests declares exactly what it found.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes

from sphinx_incident.commands import cli
from sphinx_incident.commands.handbook import read_handbook
from sphinx_incident.reading.classify import ItemSample, ListSample, classify
from sphinx_incident.reading.discovery import verdict_of


def items(*texts: str, **flags: Any) -> list[ItemSample]:
    return [ItemSample(text, **flags) for text in texts]


PROCEDURES = {
    "a phrase saying where comes before the verb": ListSample(
        ordered=True,
        section="Purge a cached page",
        items=items(
            "Under All services, choose the delivery service.",
            "From the Purge menu, pick Purge by URL.",
            "On the confirmation page, type the page's address.",
            "In the audit log, check that the purge is listed.",
        ),
    ),
    "a place named with no comma before the verb": ListSample(
        ordered=False,
        section="2. Reset your password",
        items=items(
            "At the sign-in prompt enter your full account name and press **Next**",
            "On the password screen click the **Forgot it** link.",
            "From your phone, in the mail app open the reset message.",
            "Under the new password field type it again.",
        ),
    ),
    "plain instructions with verbs people type as nouns": ListSample(
        ordered=True,
        section="Renew the admin password",
        items=items(
            "Login to the catalogue admin site.",
            "Restart the log shipper on each node.",
            "Rotate the admin credentials.",
            "Connect to the restored backup database and count the rows.",
        ),
    ),
    "verbs of clicking, placing and trying, and a step that opens with 'then'": ListSample(
        ordered=False,
        section="Turn on the archive",
        items=items(
            "Place the new key file in the settings folder.",
            "Right-click the host and pick Maintenance.",
            "Then select Import at the top of the page.",
            "Attempt a login as the test user.",
            "Bring the site back online.",
        ),
    ),
    "what to do under an alert's 'Actions' heading, beside a command": ListSample(
        ordered=False,
        section="Actions",
        page="Queue depth panel",
        items=items(
            "Find the broker that holds the deepest queue on the overview dashboard.",
            "You can see the consumers of that queue from the admin shell.",
            "The consumer deployment lives in the workers namespace.",
            "Restart it if it is stuck.",
        ),
        code_around=True,
    ),
    "a checklist that says what is done": ListSample(
        ordered=False,
        section="Declare",
        page="Checklist for a security incident",
        items=items(
            "Incident channel opened and pinned",
            "Severity assigned (it may change later)",
            "Status page updated with a first notice",
            "Support desk told what to say to callers",
        ),
    ),
    "what the reader will do, finishing the sentence before": ListSample(
        ordered=False,
        section="Move an account",
        lead_in="For each account you move, you will need to:",
        items=items(
            "export its settings",
            "create it again in the new region",
            "import the settings and check the billing contact",
        ),
    ),
    "instructions that end in the value to use after a colon": ListSample(
        ordered=False,
        section="Tune the worker",
        items=items(
            "Set the queue timeout: 30s",
            "Raise the connection limit: 200",
            "Restart the worker and check its log.",
        ),
    ),
    "every item a titled instruction, as a glossary is laid out": ListSample(
        ordered=False,
        section="Hand over",
        items=[
            ItemSample(
                "Silences: list every silence and when it ends",
                title="Silences",
                title_then_definition=True,
                rest=": list every silence and when it ends",
            ),
            ItemSample(
                "Tickets: reassign the open ones",
                title="Tickets",
                title_then_definition=True,
                rest=": reassign the open ones",
            ),
            ItemSample(
                "Pager: check it shows the next person",
                title="Pager",
                title_then_definition=True,
                rest=": check it shows the next person",
            ),
        ],
    ),
    "titled steps whose colon leads in to the details under them": ListSample(
        ordered=True,
        section="Step 1: Make a folder for the test",
        items=[
            ItemSample(
                f"{title}:",
                title=title,
                title_then_definition=True,
                rest=":",
                has_sublist=True,
            )
            for title in ("Sign in to the Console", "Go to the State Bucket", "Create a Folder for Testing")
        ],
    ),
    "instructions after a lead-in that ends with what they act on": ListSample(
        ordered=False,
        section="Trust a private certificate authority",
        lead_in="With the certificate saved as ca.pem, run these commands to install it:",
        items=items(
            "Generate a key for the authority",
            "Install the certificate tools",
            "Copy the certificate into the trust folder",
        ),
    ),
    "bullets that each say 'do the following' over numbered steps": ListSample(
        ordered=False,
        section="Hook scripts",
        items=[
            ItemSample("For a hook that runs after one kind of event, do the following:", has_sublist=True),
            ItemSample("To run a hook after every event, do this:", has_sublist=True),
        ],
    ),
    "things to have ready, announced by the sentence before": ListSample(
        ordered=False,
        section="Replace a disk",
        lead_in="Before you start, make sure you have:",
        items=items("a replacement disk of the same size", "the rack's key", "a change ticket number"),
    ),
    "things to check, written as what should be so": ListSample(
        ordered=False,
        section="Before you page the database team",
        lead_in="Things to check first:",
        items=items(
            "The primary's disk is not full",
            "Replication lag is under a minute",
            "No backup job is running at the moment",
        ),
    ),
    "what to look at, after a sentence asking to check the following": ListSample(
        ordered=False,
        section="A stuck queue",
        lead_in="If the queue is stuck, check the following for clues:",
        items=items("The worker logs for errors", "The broker's disk usage", "The latency between the zones"),
    ),
    "signs of health to note in the output": ListSample(
        ordered=False,
        section="After the upgrade",
        lead_in="In the status output, note the following signs that the cluster is healthy:",
        items=items(
            "Every node is listed as ready",
            "The leader has been elected",
            "No job has been waiting for more than a minute",
        ),
    ),
    # the nearest true ones to purposes ending "to:" and tools' actions: what the reader must do
    "what the reader needs to do, finishing the sentence before": ListSample(
        ordered=False,
        section="Roll back the release",
        lead_in="In short, to go back to the previous release you need to:",
        items=items("Stop the server", "Install the previous package", "Start the server again"),
    ),
    "steps to use one of several tools, which names no alternatives": ListSample(
        ordered=True,
        section="Testing a validator",
        lead_in="To use one of these helpers you have to:",
        items=items("Write a small function that calls the validator", "Wrap it in the helper", "Call it"),
    ),
    "steps whose lead-in ends in a 'to' that goes with its verb": ListSample(
        ordered=False,
        section="Upgrade a source install",
        lead_in="The steps are the same whichever release you are moving to:",
        items=items("Read the changelog", "Back up the database", "Install the new release"),
    ),
    "what the reader is reminded to do, finishing the sentence before": ListSample(
        ordered=False,
        section="Hand over the pager",
        lead_in="At the end of the week, make sure to:",
        items=items("Close the alerts you silenced", "Write the hand-over note", "Tell the next engineer"),
    ),
    "instructions that say who gave or named something, which is no due date": ListSample(
        ordered=False,
        section="Install a plugin by hand",
        lead_in="If the plugin is not in the catalogue:",
        items=items(
            "Download the archive from the address given by the vendor",
            "Unpack it into the plugins folder named by the settings file",
            "If it was packed right, the plugins page lists it after a reload",
        ),
    ),
    "steps under a sentence that opens with what they are for, one of them a remark": ListSample(
        ordered=False,
        section="Plugins",
        lead_in="If you want to add a plugin that the catalogue does not list:",
        items=items(
            "Fetch the plugin's archive from its project page",
            "Unpack it into the plugins folder",
            "A plugin packed correctly shows on the plugins page after a reload",
        ),
    ),
    "a step that opens with 'now just' before its verb": ListSample(
        ordered=True,
        section="Moving the data folder",
        lead_in="Rather than changing the settings, the recommended course of action is very simple.",
        items=items(
            "Copy the data folder to the bigger disk, for example /srv/data.",
            "Now just link the old path to the new folder.",
        ),
    ),
    "a checklist the sentence before calls an example of one": ListSample(
        ordered=False,
        section="Before a release",
        lead_in="An example of a checklist for the release day:",
        items=items("Tag the release", "Publish the notes", "Tell the support desk what changed"),
    ),
    "steps the sentence before calls steps, though it ends in 'are:'": ListSample(
        ordered=False,
        section="The quarterly drill",
        lead_in="The steps of the drill are:",
        items=items("Page the secondary on-call", "Fail the primary database over", "Time the recovery"),
    ),
}

LOOKALIKES = {
    "rules a model keeps, under a lead-in saying they were added to ensure something": ListSample(
        ordered=False,
        section="Zone nesting rules",
        lead_in="These rules were added for the Zone model in order to ensure a sound map of the network:",
        items=items(
            "A `Zone` of kind `Region` should only sit under another `Region`",
            "A `Zone` of kind `Site` should only sit under a `Region`",
            "Any `Zone` can be a top-level zone (with nothing above it)",
        ),
    ),
    "what a command does for you, after 'this command will ensure'": ListSample(
        ordered=False,
        section="After an upgrade",
        lead_in="Run the upgrade tool. It will ensure that the tasks after installing run, such as:",
        items=items(
            "Moving the database to the plugin's new tables",
            "Gathering the static files the plugin ships",
            "And so on",
        ),
    ),
    "the settings a mode may take, each with what it makes the server do": ListSample(
        ordered=False,
        section="Serial update settings",
        lead_in="These are the settings available for the serial mode.",
        items=items(
            "STRICT: Raise the serial by one, but never past the date.",
            "DATE: Set the serial to the date and a two-digit counter.",
            "COUNTER: Increase the serial by one on each change.",
        ),
    ),
    "settings and their values in code, each with what it does": ListSample(
        ordered=False,
        section="Merging layers",
        lead_in="The mode field of each entry decides how it meets the entry of the same name:",
        items=[
            ItemSample(text, opens_with_literal=True, literal=text.split(" swaps")[0].split(" adds")[0])
            for text in (
                "mode: replace swaps the whole entry for the new one.",
                "mode: merge adds the new fields to the old entry.",
            )
        ],
    ),
    "sentences that open with a place and go on to say what happens there": ListSample(
        ordered=False,
        section="How the sync runs",
        items=items(
            "In the check phase the agent reads every file's hash.",
            "At the top of the status page is a summary of the last run.",
            "In this mode the server restarts the workers one by one.",
            "On a busy host the copy phase takes longest.",
        ),
    ),
    "what something is used for, after 'are:'": ListSample(
        ordered=False,
        section="The sandbox",
        lead_in="The usual reasons to book the sandbox are:",
        items=items(
            "Test a release before it goes out",
            "Check a bug a customer reported",
            "Run a drill with engineers new to the rota",
        ),
    ),
    "what a role may do beyond another, 'as' the other": ListSample(
        ordered=False,
        section="Permissions",
        lead_in="An admin can do everything as a maintainer plus:",
        items=items("Delete the project", "Transfer it to another group", "Change who may see it"),
    ),
    "house rules of style": ListSample(
        ordered=False,
        section="Style",
        lead_in="Lines end without spaces. Other formatting rules:",
        items=items("Use four spaces to indent", "Use single quotes for strings", "Keep lines short"),
    ),
    "ways to get one thing, each after the first an alternative": ListSample(
        ordered=False,
        section="The database",
        lead_in="The service needs a PostgreSQL database:",
        items=items(
            "Install PostgreSQL on the same machine.",
            "Alternatively, point it at a database server you already run.",
            "Otherwise, use a database your cloud provider runs for you.",
        ),
    ),
    "two ways to get one thing, counted by the sentence before": ListSample(
        ordered=False,
        section="The database",
        lead_in="There are two ways to get the database the service needs:",
        items=items(
            "Install PostgreSQL on the same host.", "Use a database your cloud provider runs for you."
        ),
    ),
    "two use cases, counted by the sentence before, each an instruction": ListSample(
        ordered=True,
        section="Add a package source",
        lead_in="Below are two use cases for a new package source:",
        items=items(
            "Serve packages from a mirror inside the network", "Restore the default source after deleting it"
        ),
    ),
    "kinds of record, named in capitals, though their names are verbs": ListSample(
        ordered=False,
        section="Redo log",
        lead_in="There are two types of redo log record:",
        items=items("INSERT", "**UPDATE**"),
    ),
    "what a client library can do, under its capabilities": ListSample(
        ordered=False,
        section="Capabilities",
        lead_in="",
        items=items(
            "Create, read and close tickets",
            "Add or remove labels",
            "Upload attachments",
            "Full text search over tickets",
            "Export reports",
        ),
    ),
    "a script's arguments, each saying what it makes the script do": ListSample(
        ordered=False,
        section="fetch.py",
        lead_in="Fetch rules from the server.\nArguments:",
        items=items("**all**: Fetch every rule there is.", "**ticket**: Fetch the rules of one ticket."),
    ),
    "things to keep in mind, not to check": ListSample(
        ordered=False,
        section="Working with the queue",
        lead_in="Some things to keep in mind:",
        items=items(
            "Jobs are retried three times",
            "Check the dead-letter queue now and then",
            "A job that runs for an hour is killed",
        ),
    ),
    "advice to keep in mind, with words between 'keep' and 'in mind'": ListSample(
        ordered=False,
        section="Signing keys",
        lead_in="Keep the following in mind when you rotate the signing keys:",
        items=items(
            "Do not reuse an old key for signing.",
            "Store the private key where only the signer can read it.",
            "If a key leaks, make a new one and publish the packages again.",
        ),
    ),
    "what a guide covers": ListSample(
        ordered=False,
        section="Back up and restore the portal",
        page="How to back up and restore the portal",
        lead_in="This guide covers:",
        items=items(
            "Back up the database with point-in-time recovery",
            "Back up the settings files the app server needs",
            "Test a restore on a spare host",
        ),
    ),
    "examples of what another role does": ListSample(
        ordered=False,
        section="Cluster admins",
        lead_in="Examples of tasks done by the cluster admins:",
        items=items(
            "Install the agents on new clusters.",
            "Grant teams access to their namespaces.",
            "Register the repositories each team owns.",
        ),
    ),
    "what a setup script will do": ListSample(
        ordered=False,
        section="Set up the workspace",
        lead_in="This will:",
        items=items(
            "Download and unpack the toolchain into ./tools;",
            "Install the package manager into ./pm;",
            "Create an empty build folder.",
        ),
        code_around=True,
    ),
    "what a service does on its own": ListSample(
        ordered=False,
        section="Automatic recovery",
        lead_in="The controller polls every node, and takes the following actions:",
        items=items(
            "If the node answers, do nothing.",
            "If it misses three polls, cordon it.",
            "If it comes back, uncordon it and alert the admin.",
        ),
    ),
    "what a tutorial will teach": ListSample(
        ordered=False,
        section="What you will learn",
        page="Serve packages from your own cache",
        lead_in="By the end you will learn how to:",
        items=items(
            "Create a key pair to sign what the cache serves",
            "Turn on the services the cache host needs",
            "Check that clients fetch from the cache",
        ),
    ),
    "what a proxy is useful for, finishing a sentence that ends in 'to:'": ListSample(
        ordered=False,
        section="The gateway",
        lead_in="A gateway in front of the cluster is useful to:",
        items=items(
            "Terminate TLS for every site",
            "Route requests to the nodes that are up",
            "Redirect old addresses to the new site",
        ),
    ),
    "what a tool will attempt on its own, told in the third person": ListSample(
        ordered=False,
        section="Database address",
        lead_in="If you give only the scheme, the agent will attempt to do the following:",
        items=items("Connect to the local socket as the admin user", "Create a database named jobs"),
    ),
    "what a manifest performs, counted": ListSample(
        ordered=False,
        section="Configure the proxy",
        lead_in="The manifest performs three functions:",
        items=items(
            "Move the proxy to ports that do not clash",
            "Turn on the compatibility mode",
            "Disable the published service",
        ),
    ),
    "ways out of one problem, the reader to do one of them": ListSample(
        ordered=False,
        section="Host names",
        lead_in="If two machines share a host name, you must do one of the following:",
        items=items(
            "Change the host name to one of its own",
            "Set the node name in the config file",
            "Set the node id option to add a random suffix to the name",
        ),
    ),
    "what a setup tool sees done, told in the passive": ListSample(
        ordered=False,
        section="Set up the first node",
        lead_in="Run on its own, the installer will ensure the following tasks are done:",
        items=items(
            "Turn on the remote interface",
            "Create a signing key if there is none",
            "Write the node's own certificate",
        ),
    ),
    "what a tool does on its own by default": ListSample(
        ordered=True,
        section="How it works",
        lead_in="Given no rules of its own, the checker does the following by default:",
        items=items("Gather the addresses to try", "Try each in turn", "Return the newest version found"),
    ),
    "what the commands above do, told after them": ListSample(
        ordered=True,
        section="Request the certificate",
        lead_in="What all of these commands do is:",
        items=items("Make a key pair", "Write a signing request for it", "Send the request to the authority"),
    ),
    "what a standby server is doing, told as it happens": ListSample(
        ordered=True,
        section="Replication",
        lead_in="When it asks for updates, the standby server is doing the following:",
        items=items(
            "Erase its own copy of the tables",
            "Open a channel to the active server",
            "Fetch every table the active server holds",
        ),
    ),
    "a project's plans on its roadmap page, worded as things to do": ListSample(
        ordered=False,
        section="Storage",
        page="Roadmap",
        items=items("Make the new engine the default", "Drop support for the oldest format"),
    ),
    "what a command does, step by step": ListSample(
        ordered=False,
        section="Rebuild on every change",
        lead_in="This command does the following:",
        items=items(
            "List every source file",
            "Watch them and restart the build on each change",
            "Run the program it built",
        ),
        code_around=True,
    ),
    "files named like verbs, each with what it holds": ListSample(
        ordered=False,
        section="Manifests",
        items=items(
            "install.yaml - every component, with rights over the whole cluster.",
            "setup.py - the script that builds the package.",
            opens_with_link=True,
        ),
    ),
    "a timeline of a past incident": ListSample(
        ordered=False,
        section="Timeline",
        page="Incident report: checkout errors",
        items=items(
            "14:02 The error-rate alert fired.",
            "14:08 The primary acknowledged the page.",
            "14:31 The deploy was rolled back.",
            "15:10 Error rates were back to normal.",
        ),
    ),
    "what went well in a review": ListSample(
        ordered=True,
        section="What went well",
        page="Post-mortem of the queue outage",
        items=items(
            "Alerts fired within a minute.",
            "The runbook for the queue was up to date.",
            "Customers were told within the hour.",
        ),
    ),
    "pages to read": ListSample(
        ordered=False,
        section="Before your first shift",
        lead_in="Open the following four pages:",
        items=items(
            "On-call basics", "Escalation paths", "The status page", "Paging etiquette", link_only=True
        ),
    ),
    "two domain names": ListSample(
        ordered=False,
        section="Production",
        lead_in="The service answers on:",
        items=items("shop.example-retail.test", "api.example-retail.test"),
    ),
    "a role's duties": ListSample(
        ordered=False,
        section="Incident commander",
        lead_in="The incident commander is responsible for:",
        items=items(
            "deciding the severity",
            "keeping the timeline",
            "handing the incident over when their shift ends",
        ),
    ),
    "follow-ups in minutes": ListSample(
        ordered=False,
        section="Actions",
        page="Weekly operations meeting, 3 March",
        items=items(
            "Priya to update the database runbook by Friday",
            "Tom to check the backup alerts (due 10 March)",
            "@lee to book the game day",
        ),
    ),
    "tasks recorded under a review's action items, each heading a theme": ListSample(
        ordered=True,
        section="Monitoring",
        outer="Action items\nThe queue outage of 2 May",
        items=items(
            "Add an alert on the queue's age.",
            "Page the database team when replication lags.",
            "Document how to drain a worker.",
        ),
    ),
    "what an application is to be able to do, finishing the sentence before": ListSample(
        ordered=True,
        section="What we need",
        lead_in="We want the billing service to be able to:",
        items=items("authenticate its users", "create accounts for them", "open their invoices"),
    ),
    "what a role may do, after the role is named": ListSample(
        ordered=False,
        section="Roles in a team",
        lead_in="A reviewer can:",
        items=items("Approve a change to the schedule", "Comment on any open request"),
    ),
    "what the reader may do once somewhere, not what to do": ListSample(
        ordered=False,
        section="The reports page",
        lead_in="From the reports page you can:",
        items=items("Export the week's pages as a table", "Filter by team", "Share a report with a link"),
    ),
    "what a role may do beyond another role": ListSample(
        ordered=False,
        section="Roles in a team",
        lead_in="An owner can do everything a reviewer can plus:",
        items=items("Add people to the team", "Remove a rota", "Change who is on call this week"),
    ),
    "two choices the page goes on to pick from": ListSample(
        ordered=True,
        section="Who may log in",
        lead_in="At this point there are two choices:",
        items=items("allow anyone who can log in", "allow only the users named in the file"),
    ),
    "tips": ListSample(
        ordered=False,
        section="Tips",
        items=items(
            "Keep status updates short.",
            "Avoid guessing a time to recovery.",
            "It is fine to ask for help early.",
        ),
    ),
    "what was done, told as a story": ListSample(
        ordered=False,
        section="Response",
        items=items(
            "The primary acknowledged the page.",
            "Traffic was moved to the standby region.",
            "Support answered the first tickets within the hour.",
        ),
    ),
    "what a job does, finishing the sentence before": ListSample(
        ordered=False,
        section="Nightly clean-up",
        lead_in="Every night at two, the clean-up job will:",
        items=items(
            "restart the workers that are stuck",
            "check the free disk space of every node",
            "page the on-call engineer when a disk is full",
        ),
    ),
    "settings whose names open with a word that is also a verb": ListSample(
        ordered=False,
        section="Addresses of the backup network",
        items=items(
            "Record Store Subnet: 10.44.8.0/24",
            "Record Store Gateway: 10.44.8.1",
            "Monitor Host (eth2) : 10.44.8.9",
        ),
    ),
    "facts whose subject is a noun spelt as a verb": ListSample(
        ordered=False,
        section="Back up the queue",
        items=items(
            "Backup is done one broker at a time; each broker keeps its own copy.",
            "Restore works the same for plain and for encrypted queues.",
        ),
    ),
    "fields of an API": ListSample(
        ordered=False,
        section="Response fields",
        items=[
            ItemSample("id: the incident's identifier", opens_with_literal=True),
            ItemSample("status: open, mitigated or resolved", opens_with_literal=True),
            ItemSample("started_at: when it was opened", opens_with_literal=True),
        ],
    ),
}


@pytest.mark.parametrize("name", PROCEDURES)
def test_instructions_written_by_others_are_procedures(name: str) -> None:
    verdict = classify(PROCEDURES[name])
    assert verdict.positive, (name, verdict)


def test_steps_to_grant_a_capability_are_steps() -> None:
    # "capabilities" names what a list is only as a heading; in a purpose it is what the steps get
    sample = ListSample(
        ordered=False,
        section="Ownership",
        lead_in="To grant the service extra capabilities, the following steps must be taken:",
        items=items(
            "The binary must belong to root and be writable by no one else.",
            "The binary must hold the capabilities to change owners of files and to act as their "
            "owner, which the service needs to write files it does not own.",
        ),
    )
    assert classify(sample).positive


def test_a_place_named_with_no_comma_before_the_verb_still_opens_an_instruction() -> None:
    verdict = classify(PROCEDURES["a place named with no comma before the verb"])
    assert "100% of items open with an instruction" in verdict.reasons[0]
    statements = classify(LOOKALIKES["sentences that open with a place and go on to say what happens there"])
    assert not any("open with an instruction" in reason for reason in statements.reasons)


def test_a_word_of_sequence_or_ease_before_the_verb_still_opens_an_instruction() -> None:
    verdict = classify(PROCEDURES["a step that opens with 'now just' before its verb"])
    assert "100% of items open with an instruction" in verdict.reasons[0]


@pytest.mark.parametrize("name", LOOKALIKES)
def test_lists_that_only_look_like_procedures_are_not(name: str) -> None:
    verdict = classify(LOOKALIKES[name])
    assert not verdict.positive, (name, verdict)


def test_an_installation_roadmap_is_steps_and_only_a_roadmap_page_holds_plans() -> None:
    # "Installation roadmap" over a guide's steps announces no changes; a page called
    # "Roadmap" is a project's plans, whatever its section's heading
    steps = ListSample(
        ordered=True,
        section="Installation roadmap",
        page="Installing the platform",
        items=items("Install the command-line tools", "A cluster of three nodes", "The serving layer"),
    )
    assert not any("changes" in reason or "roadmap" in reason for reason in classify(steps).reasons)
    plans = ListSample(ordered=True, section="Storage", page="Project roadmap", items=steps.items)
    assert "the page is a changelog or a roadmap" in " ".join(classify(plans).reasons)


def test_ensure_as_the_purpose_of_a_rule_or_a_command_asks_nothing_of_the_reader() -> None:
    # "in order to ensure", "it will ensure": why the rules were added, what a command does;
    # only "ensure the following" said to the reader asks for things to have or check
    for name in (
        "rules a model keeps, under a lead-in saying they were added to ensure something",
        "what a command does for you, after 'this command will ensure'",
    ):
        verdict = classify(LOOKALIKES[name])
        assert not any("things to have or check" in reason for reason in verdict.reasons), name
    asked = ListSample(
        ordered=False,
        section="Before you upgrade",
        lead_in="Before you start, ensure that:",
        items=items("The database is backed up", "The old workers are stopped"),
    )
    assert any("things to have or check" in reason for reason in classify(asked).reasons)
    # what to ensure is the list itself: the things to check, though "in order to" comes first
    listed = ListSample(
        ordered=False,
        section="Fix the metadata by hand",
        lead_in="The metadata file should be edited in order to ensure:",
        items=items("It holds the `origin` entry", "Its labels hold no label of the old system"),
    )
    assert any("things to have or check" in reason for reason in classify(listed).reasons)


def test_the_confidence_is_the_probability_of_a_procedure() -> None:
    sure = classify(PROCEDURES["a phrase saying where comes before the verb"])
    timeline = classify(LOOKALIKES["a timeline of a past incident"])
    assert sure.probability > 0.8 and timeline.probability < 0.2
    assert timeline.confidence == pytest.approx(1 - timeline.probability, abs=0.011)


# -- sections as other teams write them ----------------------------------------------------------

CONF = (
    'extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
)

FAILOVER = """\
# Move traffic to the other CDN

## Production

Read these first:

- [The CDN dashboard](https://cdn.example-retail.test/dash)
- [The DNS console](https://dns.example-retail.test/)
- [The fail-over design](https://wiki.example-retail.test/failover)

The production names are:

- shop.example-retail.test
- api.example-retail.test

Then:

- Lower the DNS record's time to live to sixty seconds.
- Point the record at the other CDN and watch the error rate.
"""

TWO_PROCEDURES = """\
Database
========

Restore and rotate
------------------

To restore the database from last night's backup:

1. Stop the writers.
2. Restore the snapshot into a new instance.
3. Switch the connection string.

To rotate the database's password:

1. Create the new password in the vault.
2. Deploy the services with it.
"""

TABS = """\
# Install the agent

## On your machine

::::{tab-set}
:::{tab-item} Linux
1. Download the package for your distribution.
2. Install it with the package manager.
:::
:::{tab-item} macOS
1. Download the disk image.
2. Drag the agent into Applications.
:::
::::

See also:

- [Agent settings](https://docs.example-retail.test/agent)
"""


def _handbook(tmp_path: Path, pages: dict[str, str], conf: str = CONF) -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(conf, "utf-8")
    toctree = "\n".join(name.rsplit(".", 1)[0] for name in pages)
    (src / "index.md").write_text(f"# Handbook\n\n```{{toctree}}\n{toctree}\n```\n", "utf-8")
    for name, text in pages.items():
        (src / name).write_text(text, "utf-8")
    return src


def _discover(capsys: pytest.CaptureFixture[str], src: Path, *args: str) -> Any:
    assert cli.main(["discover", str(src), *args]) == 0
    out = capsys.readouterr().out
    return json.loads(out) if "json" in args else out


def _declared(src: Path, entries: list[str]) -> list[Any]:
    return read_handbook(src, {"incident_runbooks": entries}, freshenv=True).runbooks


def _declared_as_found(capsys: pytest.CaptureFixture[str], src: Path) -> Any:
    """The runbook that declaring the one procedure discover finds on a page gives."""
    (found,) = _discover(capsys, src, "--format", "json")
    assert found["verdict"] == "procedure"
    (runbook,) = _declared(src, [found["entry"]])
    return runbook


#: the conf.py of a handbook with reStructuredText pages too
RST_CONF = CONF + 'source_suffix = [".md", ".rst"]\n'


def test_a_declared_section_takes_its_procedure_and_leaves_links_and_values_as_prose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _handbook(tmp_path, {"failover.md": FAILOVER})
    found = _discover(capsys, src, "--format", "json")
    (procedure,) = found
    assert (procedure["entry"], procedure["steps"]) == ("failover#production", 2)
    (runbook,) = _declared(src, [procedure["entry"]])
    assert [step.text for step in runbook.steps] == [
        "Lower the DNS record\u2019s time to live to sixty seconds.",  # Sphinx's smart quotes
        "Point the record at the other CDN and watch the error rate.",
    ]
    prose = runbook.intro + " ".join(note.text for note in runbook.notes)
    assert "shop.example-retail.test" in prose and "The DNS console" in prose


def test_two_procedures_of_one_section_are_found_and_declared_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _handbook(tmp_path, {"database.rst": TWO_PROCEDURES}, RST_CONF)
    found = _discover(capsys, src, "--format", "json")
    assert [(item["entry"], item["steps"]) for item in found] == [
        ("database#restore-and-rotate/stop-the-writers", 3),
        ("database#restore-and-rotate/create-the-new-password", 2),
    ]
    restore, rotate = _declared(src, [item["entry"] for item in found])
    assert restore.steps[0].text == "Stop the writers."
    assert [s.text for s in rotate.steps] == [
        "Create the new password in the vault.",
        "Deploy the services with it.",
    ]
    assert (restore.id, rotate.id) == (
        "database.restore-and-rotate.stop-the-writers",
        "database.restore-and-rotate.create-the-new-password",
    )
    # a list's number still names it, as entries written before named parts do
    restore, rotate = _declared(src, ["database#restore-and-rotate/1", "database#restore-and-rotate/2"])
    assert restore.steps[0].text == "Stop the writers."
    assert rotate.steps[0].text == "Create the new password in the vault."
    assert (restore.id, rotate.id) == ("database.restore-and-rotate.1", "database.restore-and-rotate.2")


def test_a_list_added_above_a_declared_part_leaves_it_and_its_id_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = RST_CONF
    src = _handbook(tmp_path, {"database.rst": TWO_PROCEDURES}, conf)
    entries = [item["entry"] for item in _discover(capsys, src, "--format", "json")]
    before = [(r.id, [s.id for s in r.steps]) for r in _declared(src, entries)]
    links = (
        "Dashboards to keep open:\n\n- `https://grafana.example.test/db`\n- `https://status.example.test`\n\n"
    )
    moved = TWO_PROCEDURES.replace("To restore", f"{links}To restore")
    (src / "database.rst").write_text(moved, "utf-8")
    after = [(r.id, [s.id for s in r.steps]) for r in _declared(src, entries)]
    assert after == before
    assert before[0][0] == "database.restore-and-rotate.stop-the-writers"
    assert before[0][1][0] == "stop-the-writers"


TWO_LOGINS = """\
# Hosts

## Restart the pair

To restart the primary:

1. Log in to the primary host as the operator.
2. Restart the service.

To restart the replica:

1. Log in to the replica host as the operator.
2. Restart the service.

To restart both at once:

1. Log in to the primary host as the operator.
2. Run the restart playbook for the pair.
"""


def test_lists_that_open_alike_are_named_by_as_many_words_as_tell_them_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _handbook(tmp_path, {"hosts.md": TWO_LOGINS})
    found = _discover(capsys, src, "--format", "json")
    # the first and third open with the same words: only their numbers tell them apart
    assert [item["entry"] for item in found] == [
        "hosts#restart-the-pair/1",
        "hosts#restart-the-pair/log-in-to-the-replica",
        "hosts#restart-the-pair/3",
    ]
    _, replica, both = _declared(src, [item["entry"] for item in found])
    assert [s.text for s in both.steps][1] == "Run the restart playbook for the pair."
    assert replica.steps[0].text == "Log in to the replica host as the operator."


TWO_TABS_ALIKE = """\
# Agent

## Install or upgrade it

::::{tab-set}
:::{tab-item} Debian
To install it:

1. Fetch the release archive from the mirror.
2. Unpack it under the system folder.

To upgrade it:

1. Stop the agent service.
2. Unpack the new archive over the old one.
:::
:::{tab-item} Fedora
To install it:

1. Fetch the release archive from the mirror.
2. Unpack it under the service folder.

To upgrade it:

1. Stop the agent service.
2. Unpack the new archive and relabel it.
:::
::::
"""


def test_lists_that_open_alike_in_two_tabs_are_named_by_the_tab_and_their_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _handbook(tmp_path, {"agent.md": TWO_TABS_ALIKE})
    found = _discover(capsys, src, "--format", "json")
    assert [item["entry"] for item in found] == [
        "agent#install-or-upgrade-it/debian/fetch-the-release-archive",
        "agent#install-or-upgrade-it/debian/stop-the-agent-service",
        "agent#install-or-upgrade-it/fedora/fetch-the-release-archive",
        "agent#install-or-upgrade-it/fedora/stop-the-agent-service",
    ]
    runbooks = _declared(src, [item["entry"] for item in found])
    assert [r.steps[1].text for r in runbooks] == [
        "Unpack it under the system folder.",
        "Unpack the new archive over the old one.",
        "Unpack it under the service folder.",
        "Unpack the new archive and relabel it.",
    ]
    assert runbooks[3].id == "agent.install-or-upgrade-it.fedora-stop-the-agent-service"


def test_a_first_step_written_without_spaces_names_its_part_only_when_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a script with no spaces between words makes a first step one long word: the entry would
    # carry the whole sentence, so a long one is named by its number instead
    long = "\u30b5\u30fc\u30d3\u30b9" * 20  # one word of 80 letters
    page = (
        "# Host\n\n## Restart\n\nFirst:\n\n1. \u505c\u6b62\u3059\u308b\n2. Wait.\n\n"
        f"Then:\n\n1. {long}\n2. Start it.\n"
    )
    src = _handbook(tmp_path, {"host.md": page})
    found = _discover(capsys, src, "--format", "json")
    assert [item["entry"] for item in found] == ["host#restart/\u505c\u6b62\u3059\u308b", "host#restart/2"]
    short, numbered = _declared(src, [item["entry"] for item in found])
    assert (short.steps[1].text, numbered.steps[1].text) == ("Wait.", "Start it.")


def test_a_part_named_by_words_that_open_two_lists_is_reported(tmp_path: Path) -> None:
    src = _handbook(tmp_path, {"hosts.md": TWO_LOGINS})
    entries = ["hosts#restart-the-pair/log-in-to-the"]
    handbook = read_handbook(src, {"incident_runbooks": entries}, freshenv=True)
    (problem,) = [p for p in handbook.problems if p.rule == "unknown_entry"]
    assert "'log-in-to-the' opens 3 lists of the section" in problem.message
    assert handbook.runbooks == []


def test_procedures_in_tabs_are_declared_by_the_tab_s_title_without_editing_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _handbook(tmp_path, {"agent.md": TABS})
    found = _discover(capsys, src, "--format", "json")
    assert [item["entry"] for item in found] == [
        "agent#on-your-machine/linux",
        "agent#on-your-machine/macos",
    ]
    conf = _discover(capsys, src, "--format", "conf")
    assert "'agent#on-your-machine/macos'," in conf
    linux, macos = _declared(src, [item["entry"] for item in found])
    assert (macos.container, [s.text for s in macos.steps]) == (
        "macOS",
        ["Download the disk image.", "Drag the agent into Applications."],
    )
    assert linux.steps[0].text == "Download the package for your distribution."


def test_a_part_that_is_not_there_is_reported_with_what_there_is(tmp_path: Path) -> None:
    src = _handbook(tmp_path, {"agent.md": TABS})
    handbook = read_handbook(src, {"incident_runbooks": ["agent#on-your-machine/windows"]}, freshenv=True)
    (problem,) = [p for p in handbook.problems if p.rule == "unknown_entry"]
    assert "names part 'windows' of a section that has 3 lists" in problem.message
    assert handbook.runbooks == []


def test_discover_filters_by_folder_and_confidence_and_its_counts_add_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _handbook(tmp_path, {"failover.md": FAILOVER, "agent.md": TABS})
    (src / "ops").mkdir()
    (src / "ops" / "database.md").write_text("# Restore\n\n1. Stop the writers.\n2. Restore the snapshot.\n")
    (src / "index.md").write_text("# Handbook\n\n```{toctree}\n:glob:\n\n*\nops/*\n```\n")
    default = _discover(capsys, src).splitlines()
    everything = _discover(capsys, src, "--all").splitlines()
    # the same counts in both views: 8 lists, 4 procedures in 4 of them
    assert (
        default[-2]
        == everything[-1]
        == "7 lists in 3 pages; 4 procedures and checklists (in 4 of the lists), 4 not declared"
    )
    assert default[-1] == "3 other lists are not procedures (--all lists every one with its verdict)"
    under = _discover(capsys, src, "--under", "ops", "--format", "json")
    assert [item["entry"] for item in under] == ["ops/database"]
    sure = _discover(capsys, src, "--min-confidence", "0.99", "--format", "json")
    assert all(item["confidence"] >= 0.99 for item in sure)
    with pytest.raises(SystemExit) as exit_status:  # a usage error, as argparse reports one
        cli.main(["discover", str(src), "--min-confidence", "0.2"])
    assert exit_status.value.code == 2
    assert "'0.2' is not a number between 0.5 and 1" in capsys.readouterr().err


def test_an_incident_review_s_action_items_are_not_procedures_but_its_fix_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a review's follow-ups are written as instructions, under themes of their own; the
    # theme's heading does not say what they are, the section around it does
    review = (
        "# The queue outage of 2 May\n\n## Summary\n\nThe queue stopped for an hour.\n\n"
        "## How we fixed it\n\n1. Drain the stuck worker.\n2. Restart the queue.\n"
        "3. Watch the backlog fall.\n\n"
        "## Action items\n\n### Monitoring\n\n1. Add an alert on the queue's age.\n"
        "2. Page the database team when replication lags.\n\n"
        "### Documentation\n\n1. Document how to drain a worker.\n2. Link the runbook from the alert.\n"
    )
    src = _handbook(tmp_path, {"review.md": review})
    found = _discover(capsys, src, "--format", "json")
    assert [f["entry"] for f in found] == ["review#how-we-fixed-it"]


def test_a_participle_in_a_condition_or_after_a_preposition_is_no_state_to_tick() -> None:
    # "Channel opened" says what is done; "share of requests rejected" names a measure, and
    # "If the key expired, ..." a condition: neither is a checklist's state
    from sphinx_incident.reading.classify import signals

    def states(*texts: str) -> float:
        return signals(ListSample(ordered=False, items=items(*texts)))["states"]

    assert states("Incident channel opened", "Severity assigned") == 1.0
    assert states("Share of requests rejected", "Number of pods restarted") == 0.0
    assert states("If the key expired, ask for a new one", "Otherwise, use the one stored") == 0.0
    assert states("No planned deploys on Friday") == 0.0
    # a participle far into a description, or in a name written as code, is no state either
    assert states("Database server - all the users' encrypted keys live there") == 0.0
    assert (
        signals(
            ListSample(ordered=False, items=[ItemSample("`requests_closed_total`", opens_with_literal=True)])
        )["states"]
        == 0.0
    )


SPLIT_BY_CODE = """\
# Moving the mail store

## Moving it

To move the store:

1. make sure last night's backup finished
1. now stop the mail service on the old host:
```
systemctl stop mailstore
```
1. then the copy, which takes about an hour for each 50 GB:
```
rsync -a /srv/mail new-host:/srv/mail
```
1. the service on the new host, last of all
```
systemctl start mailstore
```

## Sizes

Typical stores:

- about 50 GB for a team
```
du -sh /srv/mail
```
- a few GB for a test host
"""


def test_the_pieces_of_a_list_cut_by_code_at_the_margin_are_judged_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # commands at the margin end the list in Markdown: each piece alone says little (one item
    # without a verb at its start), but together they are the procedure the author wrote
    src = _handbook(tmp_path, {"mail.md": SPLIT_BY_CODE})
    found = _discover(capsys, src, "--all", "--format", "json")
    pieces = [item for item in found if item["section"] == "Moving it"]
    assert [(item["line"], item["steps"]) for item in pieces] == [(7, 2), (12, 1), (16, 1)]
    assert {item["verdict"] for item in pieces} == {"procedure"}
    assert len({item["confidence"] for item in pieces}) == 1
    # pieces of a list of facts stay what they are
    sizes = [item for item in found if item["section"] == "Sizes"]
    assert sizes and not any(item["verdict"] in ("procedure", "checklist") for item in sizes)


COMMAND_STEPS = """\
# The agent on a Mac

## Using homebrew

1. `brew install tidewatch`
2. Follow the information brew shows to start it at login.

## Commands worth knowing

- `tidewatch status --all`
- `tidewatch logs --follow`
- `tidewatch version`
"""


def test_a_numbered_step_that_is_only_a_command_line_says_to_run_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _handbook(tmp_path, {"agent.md": COMMAND_STEPS})
    found = _discover(capsys, src, "--all", "--format", "json")
    verdicts = {item["section"]: item["verdict"] for item in found}
    assert verdicts["Using homebrew"] == "procedure"
    # bullets of commands are a reference to look up, not steps
    assert verdicts["Commands worth knowing"] not in ("procedure", "checklist")


KINDS_THEN_STEPS = """\
# Add a cache node

## A read-write node

Read-write nodes sit in front of the primary. There are two sorts:

- Shared nodes (the `cache` module)
- Nodes for the batch workers (the `cache-batch` module)

To add a read-write node:

- Raise the pool size in the role for the sort of node you add.
- Raise the node count in the infrastructure repository.
- Apply both changes and wait for the node to come up.
"""


def test_a_list_of_kinds_before_the_steps_own_lead_in_stays_prose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the steps have a lead-in of their own ("To add ...:"): the list before it describes,
    # it is no part of the procedure, though it reads like no links or values either
    src = _handbook(tmp_path, {"cache.md": KINDS_THEN_STEPS})
    (procedure,) = _discover(capsys, src, "--format", "json")
    (runbook,) = _declared(src, [procedure["entry"]])
    assert [step.text.split()[0] for step in runbook.steps] == ["Raise", "Raise", "Apply"]
    assert "Shared nodes" in runbook.intro + " ".join(note.text for note in runbook.notes)


STEPS_THEN_FACTS = """\
# Rebuild a replica

## Rebuilding

1. Stop the database on the replica.
1. Move the old data directory aside.
1. Start the base backup from the upstream host.
1. Start the database again.

Once it is started, the replica goes through two phases:

1. Crash recovery, while connections are refused
1. Catching up with the upstream host, while it lags behind
"""


def test_a_list_of_facts_after_the_steps_under_its_own_lead_in_stays_prose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _handbook(tmp_path, {"replica.md": STEPS_THEN_FACTS})
    (procedure,) = _discover(capsys, src, "--format", "json")
    (runbook,) = _declared(src, [procedure["entry"]])
    assert [step.text.split()[0] for step in runbook.steps] == ["Stop", "Move", "Start", "Start"]
    assert "Crash recovery" in " ".join(note.text for note in runbook.notes)


STEPS_THEN_WHAT_IT_DOES = """\
# Restore a deleted project

## Restore the database

1. Open a change request for the restore host.
1. Pick the backup from before the deletion.
1. Start the restore job with that backup.

The restore host will then go through these stages:

1. The backup will be downloaded
1. The server will replay the logs up to the chosen time
1. The database accepts connections once the replay is over
"""


def test_a_list_of_what_something_else_does_after_the_steps_stays_prose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # its lead-in tells what the host does, not the reader: discovery doubts it as steps, if not
    # surely, and in the declared section it is what the section says around the steps
    src = _handbook(tmp_path, {"restore.md": STEPS_THEN_WHAT_IT_DOES})
    found = _discover(capsys, src, "--format", "json", "--all")
    assert found[0]["verdict"] == "procedure"
    assert found[1]["verdict"] not in ("procedure", "checklist")
    (runbook,) = _declared(src, [found[0]["entry"]])
    assert [step.text.split()[0] for step in runbook.steps] == ["Open", "Pick", "Start"]
    assert "replay the logs" in " ".join(note.text for note in runbook.notes)


def test_a_task_list_is_read_the_same_with_the_task_list_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # with MyST's task lists the page shows each `[ ]` as a checkbox and the item's text without
    # it: the boxes are still there to tick, whether or not the extension draws them
    page = (
        "# Closing an incident\n\n## Before you close it\n\n"
        "- [ ] The incident is over\n- [ ] The sections above are filled in\n"
        "- [x] The report has a clean title\n- [ ] Each follow-up has an issue\n"
    )
    verdicts = []
    for name, extensions in (("plain", '["colon_fence"]'), ("tasks", '["colon_fence", "tasklist"]')):
        (tmp_path / name).mkdir()
        src = _handbook(
            tmp_path / name, {"closing.md": page}, CONF + f"myst_enable_extensions = {extensions}\n"
        )
        (found,) = _discover(capsys, src, "--format", "json", "--all")
        assert "items are boxes to tick" in " ".join(found["reasons"]), name
        verdicts.append((found["verdict"], found["confidence"], found["reasons"]))
    assert verdicts[0] == verdicts[1]


def test_a_list_that_nothing_weighs_against_is_named_by_what_it_looks_like() -> None:
    # descriptions weigh nothing either way; the verdict still says what the list is
    verdict = classify(
        ListSample(
            ordered=False,
            section="How the queue works",
            items=items("The queue holds every job in order", "A worker takes the oldest job first"),
        )
    )
    assert (verdict.positive, verdict.verdict) == (False, "enumeration")


FORM_FIELDS = """\
Add a peer gateway
==================

#. Open the network page.

#. Click **Add gateway** and fill in the form:

   - **Name**: a name for the gateway, unique in the project.
   - **Address**: the public address the peer answers on.
   - **Shared key**: the secret both ends hold; it cannot hold a quote.

     .. note:: Both ends must use the same key, or the tunnel never comes up.

   - **Lifetime**: how long a session lasts before the keys change.

#. Save the gateway and wait for it to show as ready.
"""


def test_the_described_fields_of_a_form_under_a_step_are_its_text_not_sub_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # bold names, each followed by what it means: terms of a form, not steps to tick
    src = _handbook(tmp_path, {"gateway.rst": FORM_FIELDS}, RST_CONF)
    (found,) = _discover(capsys, src, "--format", "json")
    (runbook,) = _declared(src, [found["entry"]])
    assert [len(step.substeps) for step in runbook.steps] == [0, 0, 0]
    fill = runbook.steps[1]
    assert "a name for the gateway, unique in the project" in fill.text
    assert "how long a session lasts" in fill.text
    # a note in the list is the step's note, not words run into its text
    assert [note.text for note in fill.admonitions] == [
        "Both ends must use the same key, or the tunnel never comes up."
    ]
    assert "tunnel never comes up" not in fill.text
    # bold titles that say what to do are still sub-steps
    steps = FORM_FIELDS
    for meaning, instruction in (
        ("a name for the gateway, unique in the project", "type a name for the gateway"),
        ("the public address the peer answers on", "enter the peer's public address"),
        ("the secret both ends hold; it cannot hold a quote", "paste the secret both ends hold"),
        ("how long a session lasts before the keys change", "choose how long a session lasts"),
    ):
        steps = steps.replace(meaning, instruction)
    (src / "gateway.rst").write_text(steps, "utf-8")
    (runbook,) = _declared(src, [found["entry"]])
    assert [len(step.substeps) for step in runbook.steps] == [0, 4, 0]


EXPLAINED = """\
# The export job fails

## When an export fails

1. Look up the failing runs in the error tracker. It shows why each run failed, such as:
   - a wrong server name, typed into the customer's export settings;
   - the customer's build server being down, which fails every run.
2. Tell the customer which setting is wrong.
3. Compare the counts of exported records:
   - per bucket;
   - per customer, for the five largest customers.
"""


def test_an_explanation_under_a_step_is_its_text_and_what_finishes_an_instruction_is_sub_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _handbook(tmp_path, {"export.md": EXPLAINED})
    runbook = _declared_as_found(capsys, src)
    # the bullets under step 1 are what the tracker may show: no boxes to tick, but still the
    # step's text
    assert [len(step.substeps) for step in runbook.steps] == [0, 0, 2]
    assert "a wrong server name, typed into" in runbook.steps[0].text
    assert "which fails every run" in runbook.steps[0].text
    # "compare the counts:" asks for each of the bullets under it
    assert [sub.text for sub in runbook.steps[2].substeps] == [
        "per bucket;",
        "per customer, for the five largest customers.",
    ]


DECLARED_UNSURE = """\
# Mail setup

## Before the first send

Useful pages while you work:

- [Mail server settings](https://mail.example.test/settings)
- [Sender reputation](https://reputation.example.test)

The headers of a test message should look right:

- the received-from header names your own mail server;
- the sender-policy header says pass or neutral.
"""


def test_a_declared_section_leaves_a_list_of_links_as_prose_when_discover_doubts_its_steps(
    tmp_path: Path,
) -> None:
    # the author declared the section; discover takes neither list for steps, but is sure
    # that one is only links: the other list is the steps, the links stay prose
    src = _handbook(tmp_path, {"mail.md": DECLARED_UNSURE})
    (runbook,) = _declared(src, ["mail#before-the-first-send"])
    assert [step.text for step in runbook.steps] == [
        "the received-from header names your own mail server;",
        "the sender-policy header says pass or neutral.",
    ]
    assert "Mail server settings" in runbook.intro + " ".join(note.text for note in runbook.notes)


PHONE_SETUP = """\
# Set up mail on a phone

1. Install the mail app from the app store.
2. Tap **Add account**.
3. Enter the following details:
    - **Incoming server:** the host name of your mail server
    - **Security:** STARTTLS or SSL/TLS
    - **Port:** 993 with SSL, or 143 with STARTTLS
4. **Pick the policy:**
   In the **Policy** menu choose one of the following options:
     - `none` \u2013 no TLS at all, even when the server offers it.
     - `may` \u2013 TLS when the server offers it, not required.
     - `verify` \u2013 TLS required and the certificate checked.
5. **Log in:** sign in with your full address and your password.
6. Tap **Next** and finish the setup.
"""


def test_fields_with_their_colon_in_bold_and_options_to_choose_from_are_a_step_s_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "**Port:** 993" names a field and its value as "**Port**: 993" does; "choose one of the
    # following" offers alternatives: one is picked, none is ticked
    src = _handbook(tmp_path, {"phone.md": PHONE_SETUP})
    runbook = _declared_as_found(capsys, src)
    assert [len(step.substeps) for step in runbook.steps] == [0, 0, 0, 0, 0, 0]
    assert "993 with SSL" in runbook.steps[2].text
    assert "TLS when the server offers it" in runbook.steps[3].text
    # a bold title with its colon that says what to do is still the step's title
    assert runbook.steps[4].title == "Log in"


def test_a_choice_to_make_for_each_item_is_still_sub_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the same bullets asked for one by one, with no choice offered, stay boxes to tick
    page = PHONE_SETUP.replace(
        "In the **Policy** menu choose one of the following options:", "Set each of these:"
    )
    page = page.replace("`none` \u2013 no TLS at all, even when the server offers it.", "Turn off `none`.")
    page = page.replace("`may` \u2013 TLS when the server offers it, not required.", "Turn off `may`.")
    page = page.replace("`verify` \u2013 TLS required and the certificate checked.", "Turn on `verify`.")
    src = _handbook(tmp_path, {"phone.md": page})
    runbook = _declared_as_found(capsys, src)
    assert [len(step.substeps) for step in runbook.steps] == [0, 0, 0, 3, 0, 0]


MAINTENANCE = """\
Maintenance mode
================

#. In the hosts pane, select the server, then do one of the
   following:

   - Right-click it, then click **Enter maintenance mode** on the menu.

   - On the **Server** menu, click **Enter maintenance mode**.

#. Confirm with **Enter maintenance mode**.

#. Wait until the pane shows every guest moved off the server.
"""


def test_instructions_offered_as_alternatives_are_one_step_not_sub_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # two ways to do the same thing, under "do one of the following" (wrapped over two lines):
    # the reader does one, so neither is a box to tick
    src = _handbook(tmp_path, {"hosts.rst": MAINTENANCE}, RST_CONF)
    runbook = _declared_as_found(capsys, src)
    assert [len(step.substeps) for step in runbook.steps] == [0, 0, 0]
    assert "On the Server menu, click Enter maintenance mode" in runbook.steps[0].text


HOOKS = """\
Hook folders
============

A hook runs when its folder's event happens:

- nightly
    - scripts that run once a night
- restart
    - scripts that run after the service restarts
"""

SCREEN_PARTS = (
    """\
The status screen
=================

The parts of the screen, from left to right:

1.  Queue name
      Which queue the row is about.
2.  Filter
      Narrows the rows to one team's queues.
3.  Show paused queues
      Paused queues are hidden unless this is on.
4.  Backlog
      How many messages wait to be delivered.

"""
    + HOOKS
    + """\
- update
    - scripts that run after an upgrade

Drain a queue
=============

1.  Pause the queue from the status screen.
      The consumers finish what they hold first.
2.  Move the waiting messages to the spare queue.
3.  Resume the queue.
"""
)


def test_items_that_are_a_term_over_its_meaning_are_terms_not_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An item whose next line is indented deeper is, to reStructuredText, a term and its
    definition: where the term is a name ("Backlog", "nightly"), the list describes things;
    where it is an instruction, the item is a step whose text slipped (lint says so). A name
    over its meaning is a glossary as meant; a name over bullets is a sub-list the page shows
    as a definition instead, which lint reports though the list is no procedure."""
    src = _handbook(tmp_path, {"queues.rst": SCREEN_PARTS}, RST_CONF)
    found = {item["section"]: item for item in _discover(capsys, src, "--format", "json", "--all")}
    assert found["The status screen"]["verdict"] not in ("procedure", "checklist"), found["The status screen"]
    assert found["Hook folders"]["verdict"] not in ("procedure", "checklist"), found["Hook folders"]
    assert found["Drain a queue"]["verdict"] == "procedure"
    assert cli.main(["lint", str(src), "--scope", "discovered", "--format", "json", "--no-cache"]) in (0, 1)
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["rule"], p["line"]) for p in problems] == [
        ("run_in_list", 21),  # the bullet under "nightly": its line
        ("run_in_list", 23),
        ("run_in_list", 25),
        ("run_in_list", 31),
    ]


HOOKS_SPLIT = (
    HOOKS
    + """
.. note::

    A hook that fails is logged and skipped.

- warmup
    - start caches before traffic arrives
- import
    - run before the first start
"""
)


def test_every_list_of_a_section_that_holds_no_procedure_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A section discovery takes for no procedure is read for the mistakes that break any list,
    all of its lists: one list alone may read like a checklist where the whole does not, and
    must not leave the others out as prose."""
    src = _handbook(tmp_path, {"hooks.rst": HOOKS_SPLIT}, RST_CONF)
    assert not any(
        item["verdict"] in ("procedure", "checklist")
        for item in _discover(capsys, src, "--format", "json", "--all")
    )
    assert cli.main(["lint", str(src), "--scope", "discovered", "--format", "json", "--no-cache"]) in (0, 1)
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["rule"], p["line"]) for p in problems] == [
        ("run_in_list", 7),
        ("run_in_list", 9),
        ("outdented_body", 11),
        ("run_in_list", 16),
        ("run_in_list", 18),
    ]


def test_declaring_a_list_cut_by_code_at_the_margin_takes_every_piece(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # what discover judged as one procedure it offers as one, and declaring it keeps every
    # piece: none is a procedure of its own for starting at 1 again, as a Markdown list after
    # a command at the margin does
    src = _handbook(tmp_path, {"mail.md": SPLIT_BY_CODE})
    found = _discover(capsys, src, "--format", "json")
    (entry,) = {item["entry"] for item in found if item["section"] == "Moving it"}
    assert entry == "mail#moving-it"
    (runbook,) = _declared(src, [entry])
    assert [step.text.split()[0] for step in runbook.steps] == ["make", "now", "then", "the"]


def test_each_piece_of_a_list_cut_by_code_is_weighed_and_judged_as_the_whole(tmp_path: Path) -> None:
    # what discover reports each piece weighed is what its verdict weighed (the classifier's
    # weights are fitted on it), and a declared section asks the same question of a piece
    src = _handbook(tmp_path, {"mail.md": SPLIT_BY_CODE})
    asked: list[tuple[str, float]] = []

    def ask(app: Any) -> None:
        doctree = app.env.get_doctree("mail")
        for lst in doctree.findall(nodes.enumerated_list):
            verdict = verdict_of(lst)
            asked.append((verdict.verdict, verdict.confidence))

    overrides = {"incident_lint_scope": "discovered"}
    found = read_handbook(src, overrides, freshenv=True, discover=True, after_build=ask).discovered
    pieces = [item for item in found if item.section == "Moving it"]
    assert len(pieces) == 3 and pieces[0].signals["code_around"] == 1.0
    assert all(piece.signals == pieces[0].signals for piece in pieces)
    assert asked == [(piece.verdict, piece.confidence) for piece in pieces]


CUT_IN_A_TAB = """\
# Loading images

## Offline hosts

Hosts with no route out need these images:

- the agent image
- the network image

::::{tab-set}
:::{tab-item} By hand

1. Download the image archive on a host that is online.
```
curl -LO https://example.org/images.tar
```
2. Copy the archive into the image folder of each offline host.
3. Restart the agent so that it loads them.
:::
:::{tab-item} From a registry

Point the agent at the registry mirror in its configuration file.
:::
::::
"""


def test_a_list_cut_by_a_command_in_a_tab_is_offered_as_the_tab(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # in a tab, beside a list of values: the pieces of the one procedure share the tab's
    # entry, and declaring it keeps every step and finds the command that cut the list
    src = _handbook(tmp_path, {"images.md": CUT_IN_A_TAB})
    found = _discover(capsys, src, "--format", "json")
    assert {item["entry"] for item in found} == {"images#offline-hosts/by-hand"}
    (runbook,) = _declared(src, ["images#offline-hosts/by-hand"])
    assert [step.text.split()[0] for step in runbook.steps] == ["Download", "Copy", "Restart"]
    handbook = read_handbook(src, {"incident_runbooks": ["images#offline-hosts/by-hand"]}, freshenv=True)
    assert [(p.rule, p.line) for p in handbook.problems] == [("outdented_body", 14)]


CUT_BY_ALTERNATIVE_COMMANDS = """\
# Archiving logs

## Before the move

The cold store keeps these folders:

- the application's logs
- the proxy's logs

::::{tab-set}
:::{tab-item} With the archiver

1. Pack the day's logs into one archive on the log host.

```
archiver pack /var/log/app
```
or
```
archiver pack --compress /var/log/app
```

2. Copy the archive to the cold store.

```
archiver push cold-store
```
3. Delete the packed logs from the log host.
:::
:::{tab-item} By hand

Copy the log folder to the cold store with any tool you trust.
:::
::::
"""


def test_a_word_joining_two_commands_does_not_cut_the_list_they_stand_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "or" alone between two commands at the margin offers the second instead of the first:
    # the list goes on after them, one procedure, offered as its tab, and declaring it finds
    # both stretches the margin cut off
    src = _handbook(tmp_path, {"logs.md": CUT_BY_ALTERNATIVE_COMMANDS})
    found = _discover(capsys, src, "--format", "json", "--all")
    pieces = [(item["line"], item["verdict"], item["entry"]) for item in found if item["ordered"]]
    entry = "logs#before-the-move/with-the-archiver"
    assert pieces == [(13, "procedure", entry), (23, "procedure", entry), (28, "procedure", entry)]
    (runbook,) = _declared(src, [entry])
    assert [step.text.split()[0] for step in runbook.steps] == ["Pack", "Copy", "Delete"]
    handbook = read_handbook(src, {"incident_runbooks": [entry]}, freshenv=True)
    assert [(p.rule, p.line, p.end_line) for p in handbook.problems] == [
        ("outdented_body", 15, 21),
        ("outdented_body", 25, 27),
    ]


TWO_PROCEDURES_ONE_COMMAND_LOST = """\
# Certificates

## Renewing them

The proxy's certificate runs out every ninety days.

1. Stop the proxy on the edge host.
2. Request a new certificate from the issuer.
3. Install the certificate with this command:

```
certctl install --host edge
```

To take the old certificate out of use as well:

1. Revoke the old certificate at the issuer.
2. Remove it from the trust store of every client.
"""


def test_a_part_that_names_a_list_takes_the_command_its_last_step_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # two procedures in one section are offered apart; the first one's last command stands at
    # the margin: declaring the part keeps the command in its step, and lint reads the part
    # as declaring it would, so it finds the command whether declared or only discovered
    src = _handbook(tmp_path, {"certs.md": TWO_PROCEDURES_ONE_COMMAND_LOST})
    found = _discover(capsys, src, "--format", "json")
    entries = [item["entry"] for item in found]
    assert entries == [
        "certs#renewing-them/stop-the-proxy-on",
        "certs#renewing-them/revoke-the-old-certificate",
    ]
    (runbook,) = _declared(src, [entries[0]])
    assert "certctl install --host edge" in runbook.steps[-1].text
    for overrides in ({"incident_runbooks": [entries[0]]}, {"incident_lint_scope": "discovered"}):
        handbook = read_handbook(src, overrides, freshenv=True)
        assert [(p.rule, p.line, p.end_line) for p in handbook.problems] == [("outdented_body", 11, 13)]


CUT_BESIDE_A_CHECKLIST = """\
# Cold start

## Bringing the cluster up

::::{tab-set}
:::{tab-item} From backups

1. Fetch the newest backup from the vault.

```
vault fetch cluster-backup
```

2. Unpack it on the first node.

```
tar -xf cluster-backup.tar
```

3. Start the first node from the unpacked data.

:::{warning}
Before you start the others, make sure that:

- check the first node reports itself healthy
- confirm no client writes to it yet
:::
:::
:::{tab-item} From scratch

Follow the installation guide.
:::
::::
"""


def test_the_pieces_of_a_list_in_a_tab_beside_another_procedure_are_one_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the tab holds a checklist too, so it names neither alone: the pieces share the part
    # their first piece's words name, and that part takes all of them
    src = _handbook(tmp_path, {"cold.md": CUT_BESIDE_A_CHECKLIST})
    found = _discover(capsys, src, "--format", "json", "--all")
    pieces = [item["entry"] for item in found if item["ordered"]]
    assert pieces == ["cold#bringing-the-cluster-up/fetch-the-newest-backup"] * 3
    (runbook,) = _declared(src, [pieces[0]])
    assert [step.text.split()[0] for step in runbook.steps] == ["Fetch", "Unpack", "Start"]
    handbook = read_handbook(src, {"incident_lint_scope": "discovered"}, freshenv=True)
    assert [(p.rule, p.line) for p in handbook.problems] == [("outdented_body", 10), ("outdented_body", 16)]


SETTINGS_WITH_DASHES = """\
# Install the agent

## From a package

1. Download the package for your machine.
1. Install it with `dpkg`.

   On a new install, these variables change what the installer does:
   * `SKIP_SAMPLE_CERTS=true` -- keeps the installer from writing sample certificates. Use it
     when you bring your own.
   * `NO_LOGIN_PLUGIN=true` -- leaves the login plugin out. Only for a laptop.

   Put them before the command:
   ```bash
   sudo env SKIP_SAMPLE_CERTS=true dpkg -i agent.deb
   ```
1. Start the service.
"""


@pytest.mark.parametrize("dash", ["--", "\u2014", ":"])
def test_settings_named_in_code_over_a_dash_and_their_meaning_are_a_step_s_text(
    tmp_path: Path, dash: str
) -> None:
    # each bullet names a variable in code, then, after a dash, what it does: the step's
    # explanation of its settings, not two sub-steps to tick
    src = _handbook(tmp_path, {"agent.md": SETTINGS_WITH_DASHES.replace(" -- ", f" {dash} ")})
    (runbook,) = _declared(src, ["agent#from-a-package"])
    assert [len(step.substeps) for step in runbook.steps] == [0, 0, 0]
    assert "leaves the login plugin out" in runbook.steps[1].text


SETTINGS_IN_CODE = """\
# Layers

## How layers meet

The `mode` field of each entry decides how it meets the entry of the same name:

- `mode: replace` swaps the whole entry for the new one.
- `mode: merge` adds the new fields to the old entry, field by field.
"""


def test_a_setting_s_value_in_code_spelt_as_a_verb_opens_no_instruction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the value in code ("replace") is spelt as a verb; what follows it says what it does
    src = _handbook(tmp_path, {"layers.md": SETTINGS_IN_CODE})
    (found,) = _discover(capsys, src, "--all", "--format", "json")
    assert found["verdict"] not in ("procedure", "checklist")
    assert not any("open with an instruction" in reason for reason in found["reasons"])
    verdict = classify(LOOKALIKES["settings and their values in code, each with what it does"])
    assert not any("open with an instruction" in reason for reason in verdict.reasons)


TOPIC_LINKS = """\
# Find your way

## By topic

- **Basics:** [Launch a server](a.md) • [Stop a server](a.md) • [Servers](a.md)
- **Storage:** [Share a folder with a server](a.md) • [Mounts](a.md)
- **Networking:** [Add a network to a server](a.md) • [Debug the network](a.md)
"""

#: the nearest true case: titles that say what to do, each over the link to the page that shows how
TOPIC_STEPS = """\
# Set up

## First time

- **Launch a server:** follow [the launch guide](a.md) with the defaults.
- **Share a folder:** mount your work folder as [the mounts page](a.md) shows.
- **Add a network:** attach the bridge, as [networks](a.md) explains.
"""


def test_links_under_a_topic_s_title_are_a_list_of_links_though_their_words_instruct(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a landing page's topics, each a bold title and then only links, some of whose words
    # are instructions ("Launch a server"): a map of the handbook, nothing to tick
    src = _handbook(tmp_path, {"map.md": TOPIC_LINKS})
    (found,) = _discover(capsys, src, "--all", "--format", "json")
    assert found["verdict"] not in ("procedure", "checklist"), found["reasons"]
    assert found["verdict"] == "links"
    (tmp_path / "steps").mkdir()
    src = _handbook(tmp_path / "steps", {"setup.md": TOPIC_STEPS})
    (found,) = _discover(capsys, src, "--all", "--format", "json")
    assert found["verdict"] in ("procedure", "checklist"), found["reasons"]


def test_settings_under_bold_names_with_short_values_are_no_list_of_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a title and then a short value ("**port**: 993") holds no link: read as links, such a
    # list was called "links", and one under a step turned into sub-steps
    page = "# Mail\n\n## Settings\n\nSet these in the config file:\n\n- **port**: 993\n- **retries**: 3\n"
    src = _handbook(tmp_path, {"mail.md": page})
    (found,) = _discover(capsys, src, "--all", "--format", "json")
    assert found["verdict"] != "links"
    assert not any("items are links" in reason for reason in found["reasons"])


ENDPOINTS = """\
# Ring

## Endpoints

- `GET /store/ring`<br />
  Shows the state of the ring, with the tokens each member owns.
- `POST /store/flush`<br />
  Writes every member's cache to disk.
- `DELETE /store/member`<br />
  Takes a member out of the ring.
"""


def test_http_endpoints_in_code_each_with_what_it_does_are_no_instructions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the method is spelt as a verb ("GET", "DELETE"); the request line names an endpoint of
    # an API, and what follows says what it does
    src = _handbook(tmp_path, {"ring.md": ENDPOINTS})
    (found,) = _discover(capsys, src, "--all", "--format", "json")
    assert found["verdict"] not in ("procedure", "checklist"), found["reasons"]
    assert not any("open with an instruction" in reason for reason in found["reasons"])


COMMANDS_UNDER_LABELS = """\
# Clusters

## Upgrading by hand

- Open the cluster's settings with `tool edit cluster web`.
- Set `version` to the release you want.
- Preview: `tool update cluster web`
- Apply: `tool update cluster web --yes`

## Defaults

- Region: `eu-west-1`
- Example: `tool get cluster web`
- Size: `small`
"""


def test_a_command_under_a_label_that_instructs_is_an_instruction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Apply: `tool update …`" says to run the command to apply: every item of the first list
    # instructs. A label that names something ("Region:", "Example:") over a value or a command
    # does not
    src = _handbook(tmp_path, {"clusters.md": COMMANDS_UNDER_LABELS})
    upgrade, defaults = _discover(capsys, src, "--all", "--format", "json")
    assert "100% of items open with an instruction" in upgrade["reasons"][0]
    assert upgrade["verdict"] in ("procedure", "checklist")
    assert defaults["verdict"] not in ("procedure", "checklist")
    assert not any("open with an instruction" in reason for reason in defaults["reasons"])
