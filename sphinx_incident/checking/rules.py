"""The rule catalogue: every finding the extension reports, declared once.

Each :class:`Rule` is a warning subtype (``incident.<code>``), with a default
severity and the documentation of what it catches, why it matters and how to
fix it. Builds, ``sphinx-incident lint`` and link checking all report these
codes; ``incident_severity`` and ``suppress_warnings`` apply to each of them
the same way (:class:`Settings`). The documentation's rule reference is
generated from :data:`RULES`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..model import Severity

#: the type of every warning the extension logs
WARNING_TYPE = "incident"
SEVERITIES: tuple[Severity, ...] = ("error", "warning")
#: a severity setting that turns a rule off
OFF = "off"

#: where a rule looks: a runbook's steps, the handbook as a whole, the
#: configuration, (only with ``lint --check-links``) the live web, or (only
#: with ``sphinx-incident alerts``) the alert rules that link to the runbooks
Scope = Literal["runbook", "handbook", "config", "links", "alerts"]


@dataclass(frozen=True)
class Rule:
    """One kind of finding: its warning subtype and its documentation."""

    code: str
    severity: Severity
    scope: Scope
    summary: str
    why: str
    fix: str

    @property
    def warning_code(self) -> str:
        """``incident.<code>``, as written in ``suppress_warnings``."""
        return f"{WARNING_TYPE}.{self.code}"


RULES: tuple[Rule, ...] = (
    # -- the steps of a runbook ----------------------------------------------------
    Rule(
        "stray_step",
        "error",
        "runbook",
        "A line that reads like a step but is not a list item: `7 **Title**`, `7) Title`, `7: Title`, "
        "`7.) Title`, `**7.** Title`, or `7. Title` folded into the paragraph above (a lazy continuation "
        "line); a procedure written as numbered paragraphs (once for the run; not `1\\.` or `(1)`, numbered "
        "by hand on purpose); steps typed with no space after their numbers (`1.Restart`); in Markdown, "
        "sub-steps lettered `a.`, `b.`; `3.1`, `3.2` run into a step's text; in rST, a line block (`| 1.`).",
        "Markdown renders it as a plain paragraph or as more text of the previous step: the step "
        "disappears from the checklist and the numbering restarts after it, silently.",
        "Write the step as a list item, `7. **Title**`, with a blank line before it.",
    ),
    Rule(
        "outdented_body",
        "error",
        "runbook",
        "A step's text (a paragraph, a code block, a note) indented less than the step's own text starts, so "
        "it falls out of the step: 3 spaces under `10.`, none at all between steps, which splits the list "
        'into one-item lists, or none under a last step that announces it ("… with this command:") or a '
        "procedure's only numbered step. A paragraph alone at the margin between steps is prose, unless it "
        "comes right after the step's list, the list after it is typed on from the step's number (`2.`, the "
        "paragraph, `3.`), and it is no aside in brackets, no question and not about the steps ahead; with "
        'bullets after it ("Both proxies answer for a while." and what to do then), the paragraph, its '
        "bullets and any more prose and bullets up to that step are the step's body and sub-steps, reported "
        "once from the paragraph on, and after the list's last step too when the steps before it lost "
        "theirs so. A bullet that is nothing but a bold title, one to a list, over a paragraph at the "
        "margin, then another such bullet, heads that paragraph: it is the bullet's text (the last one's "
        'too); so is a paragraph between two bullets that opens in lower case ("e.g. …") where the bullets '
        "open with capitals: it goes on from the bullet above. The same holds inside a step: a command "
        "written at the column of a sub-list's bullets falls out of the sub-step that announces it, or "
        "splits the sub-list; in Markdown, one at the margin under a sub-step is that sub-step's when it "
        "announces it or when more sub-steps follow at the sub-list's column (they stay sub-steps).",
        "The page looks almost right, but the text belongs to no step; a split list renumbers or restarts.",
        "Indent it to the column where the step's text starts (3 spaces under `1. `, 4 under `10. `); "
        "the message says by how much.",
    ),
    Rule(
        "outdented_sublist",
        "error",
        "runbook",
        "A sub-list indented less than its step's text (2 spaces under `1. `), so its items become "
        "steps of their own, or a list of their own; at any depth. A numbered item one column off, "
        "or numbered as the next of its siblings, is a sibling and no finding.",
        "Sub-steps turn into top-level steps (or lose their step) and the numbering no longer "
        "matches what people say on the call.",
        "Indent the sub-list to the column where the step's text starts; the message says by how much.",
    ),
    Rule(
        "indented_body",
        "warning",
        "runbook",
        "In reStructuredText, a paragraph of a step indented a column or two further than the step's text "
        "(4 spaces under `#. `): rST reads it, and what is indented with it, as a block quote, or after a "
        "`::` code block as more of the code (so is a sentence after it set as far in as the code). A "
        "quote with an attribution, set in three columns or more, or announced by a sentence ending in "
        "a colon, is meant; so is a sub-list (the page shows it as the step's sub-list, set in a little "
        "further). In Markdown, a sub-list set four columns or more past the step's text after a blank "
        "line (6 spaces under `- `), which CommonMark reads as indented code; a list of settings or "
        "commands there is code meant. Also a Markdown list of two items or more set four spaces in where "
        "it continues no list (after a paragraph): the page shows it as code. A fenced code block or "
        "directive (`:::note`) set in as far (in a step, or where it continues no list) is indented code "
        "too: the page shows its fences as code. Several items of one list set in alike: one finding.",
        "The page shows the step's own text as a quotation, set in and styled apart from the step, or as "
        "code, so it reads as a remark or a command rather than as what to do; nothing else says so.",
        "Indent it to the column where the step's text starts; the message says by how much.",
    ),
    Rule(
        "run_in_list",
        "error",
        "runbook",
        "In reStructuredText, a list written right under a line of a step's text with no blank line "
        "between: indented deeper, the text becomes a term and the list its definition; at the same "
        "indentation, the bullets run into the text as words. The same for a list right under the "
        'sentence that leads in to it ("Before you start, make sure that:", "This assumes that"), '
        "for a list run into any paragraph of the page (its items are more of the paragraph's text), "
        "and for a step's text wrapped onto a line indented deeper than its first. In Markdown, list "
        "items that run into the text above them: lettered (`a.`, `b.`: Markdown has no lettered "
        "lists), written after a backslash (`\\-`), or indented 4 spaces or more past the text.",
        "The sub-steps are not on the checklist (and the page shows a glossary entry, or a paragraph "
        "with dashes in it).",
        "Put a blank line between the text and the list, and indent the list to the column of the "
        "step's text (in Markdown: number or bullet the items, without a backslash).",
    ),
    Rule(
        "joined_line",
        "warning",
        "runbook",
        "In Markdown, a line typed right under a list item with no blank line between and indented "
        "less than the item's text, which CommonMark reads as more of the item's text (a lazy "
        "continuation line), where the source shows it is not the item's: the lead-in of more "
        'items ("Leave these as they are:") typed between two runs of one list; a remark '
        "indented to the text of the item a sub-list is in, under the sub-list's last item; or a "
        'lead-in ending in a colon ("For example, a role like this:") typed at the margin under '
        "a list's last item, whose code or text comes after a blank line outside the item. A "
        "sentence typed unindented under an item is otherwise taken as the item's own.",
        "The page shows the line inside the item, run into its words; a lead-in joined so merges "
        "the list after it into the list above, or stands apart from the code it announces, and "
        "the checklist carries it as that item's text.",
        "Put a blank line before it; for a lead-in whose code is the item's, indent the code to "
        "the item's text instead.",
    ),
    Rule(
        "inline_step_numbers",
        "error",
        "runbook",
        "The next step numbers typed inside a step's paragraph (`...restart the pod. 4. Check the "
        "logs. 5. Tell the channel.`), where the list has no such steps.",
        "Those steps are not on the checklist: nobody ticks them, and they are easy to miss mid-incident.",
        "Start each step on a line of its own: `4. Check the logs.`",
    ),
    Rule(
        "nesting_too_deep",
        "error",
        "runbook",
        "A list nested deeper than Markdown reads: the item and all after it in the block are missing.",
        "Steps vanish from the page without any other sign.",
        "Nest the list less deeply; split deep detail into sub-steps of a later step or into prose.",
    ),
    Rule(
        "empty_item",
        "error",
        "runbook",
        "An item with nothing of its own before the list it holds: `- - Open a ticket`, or a marker alone "
        "over an indented list; not a number before a letter (`5. a)`) or two bullets (`2. *`): its parts.",
        "The page shows a bare bullet or number beside the list, and the checklist a step with no "
        "text, which nobody can tick for anything.",
        "Remove the doubled marker, or write the step's text on its marker's line.",
    ),
    Rule(
        "foreign_markup",
        "error",
        "runbook",
        "Markup of the other language in a runbook: a Markdown code fence (```) or link "
        "(`[text](url)`) on a reStructuredText page, a reStructuredText directive (`.. note::`) "
        "or link (`` `text <url>`_ ``) on a Markdown page.",
        "The page shows the markup as text; a fenced command becomes paragraphs, lists or "
        "definitions, and the checklist carries them as the step's words.",
        "Write it in the page's own markup: `.. code-block::` with the code indented under it, "
        "`` `text <url>`_ ``, a fenced directive, `[text](url)`.",
    ),
    Rule(
        "unclosed_fence",
        "error",
        "runbook",
        "In Markdown, a code fence not closed where the author meant: the closing line has a "
        "language after it (```` ```sql ````), the opening fence is missing (the closing one "
        "opens code instead), or the closing fence is set in less than the one it closes (in a "
        "list item, it ends the item and opens code). Either way the code holds another fence's "
        "opening line. Also a fence never closed whose code runs on over the page's next heading "
        "(one left open at the end of a page, over code only, shows as meant).",
        "The code runs on, and the steps, text and notes after it show as code, on the page and "
        "in the checklist, up to the next bare fence (or the end of the step or of the page).",
        "Close the code with a bare fence (```` ``` ````), add the missing opening one, or indent "
        "the closing fence to the one it closes; the message names the lines.",
    ),
    Rule(
        "numbering_gap",
        "error",
        "runbook",
        "Step numbers skip: a list goes 1-6 and the next one starts at 8, or a runbook starts after 1. On "
        "lint's first run (`--scope discovered`), also headings typed with step numbers that skip one "
        "(`### 1. …`, then `### 3. …`) anywhere in a section.",
        "A missing number usually means a step was lost, often to a malformed line just above.",
        "Restore the missing step or renumber the steps.",
    ),
    Rule(
        "numbering_duplicate",
        "error",
        "runbook",
        "A list continues with a number already used by an earlier step of the runbook; on lint's first "
        "run, also a heading typed with a step number no higher than the one before it (`### 2.` twice).",
        'Two steps with one number make "do step 4" ambiguous during an incident.',
        "Renumber the steps so each number is used once.",
    ),
    Rule(
        "numbering_restart",
        "warning",
        "runbook",
        "A list starts again at 1 in the middle of a runbook; not a new list after its own "
        'lead-in ("Then, on the standby:"), nor one typed `1. 2.` again after a remark (a second '
        "procedure, numbered as the page shows it).",
        "Readers take the second list for a new procedure and the step numbers stop matching "
        "what people say on the call.",
        "Continue the numbering, or split the runbook into two runbooks.",
    ),
    Rule(
        "detached_substeps",
        "warning",
        "runbook",
        "A list between two steps that is not indented under the step above it (one after prose "
        "at the margin, where the next step is typed on from that step's number, is reported with "
        "that prose as `outdented_body`).",
        "Its items render as a separate list rather than as sub-steps, so they lose their step.",
        "Indent the list to the text of the step above (3 spaces under `1. `), and with it any "
        "text between the step and the list: a lead-in at the margin ends the step as well.",
    ),
    Rule(
        "untitled_step",
        "warning",
        "runbook",
        "A step without a **bold title** where most steps of the runbook have one.",
        "Titles are the checklist: a step without one shows as anonymous text in the step list.",
        "Start the step with a bold title, `1. **Do the thing**. Details...`, or set the "
        "rule `off` when a runbook deliberately has no titles.",
    ),
    Rule(
        "undefined_term",
        "error",
        "runbook",
        "A `{term}` reference to a term missing from every glossary.",
        "The reader gets no definition where the runbook expects one.",
        "Add the term to a glossary, or fix the spelling of the reference.",
    ),
    Rule(
        "unresolved_reference",
        "error",
        "runbook",
        "An internal reference (`[](label)`, `{ref}`, `{doc}`, a `button-ref`) whose target does not exist.",
        "The link leads nowhere in the middle of an incident.",
        "Point it at an existing label or document, or add the missing label.",
    ),
    Rule(
        "bad_url",
        "error",
        "runbook",
        "A link or button with an empty or malformed URL (as browsers read URLs).",
        "It is shown as text, not a link: as written it would lead nowhere, or somewhere unexpected.",
        "Write a complete `https://` URL.",
    ),
    Rule(
        "unsafe_url",
        "error",
        "runbook",
        "A link or button with a `javascript:`, `data:`, `vbscript:` or `file:` URL.",
        "Such links run code or read local files; they are never rendered as links.",
        "Link to an `https://` page instead.",
    ),
    Rule(
        "url_scheme",
        "warning",
        "runbook",
        "A link or button whose scheme is not `https`, `http` or `mailto`; not a URL written as "
        "plain text (`chrome://flags` in a sentence), which the page shows as text anyway.",
        "It is shown as text, not a link: other schemes open other applications, or nothing.",
        "Link to an `https://` page instead.",
    ),
    Rule(
        "link_host",
        "warning",
        "runbook",
        "A link or button to a host outside `incident_link_hosts` (`//host` and `\\\\host` forms too), "
        "when that allowlist is set.",
        "Runbooks should send responders only to the tools the team actually uses.",
        "Link to an allowed host, or add the host to `incident_link_hosts`.",
    ),
    Rule(
        "placeholder_url",
        "error",
        "runbook",
        "A link or button to a placeholder: a domain reserved for examples (`example.com`, "
        "`example.org`, `example.net`), `TODO`, `<name>`.",
        "The runbook was never finished; the link fails when it is needed.",
        "Replace the placeholder with the real URL.",
    ),
    Rule(
        "button_text",
        "error",
        "runbook",
        "A button without text of its own (sphinx-design then shows the bare URL).",
        "An empty button tells the responder nothing about where it goes.",
        "Give the button a label saying what it opens.",
    ),
    Rule(
        "empty_runbook",
        "error",
        "runbook",
        "A declared runbook with no steps.",
        "The checklist is empty, usually because the steps are not a list.",
        "Write the steps as a numbered list, or stop declaring the section a runbook.",
    ),
    Rule(
        "duplicate_step_id",
        "warning",
        "runbook",
        "A titled (or pinned) step of a runbook would have the same id as another step; each gets a "
        "hash of its text after it.",
        "The ids change whenever one of the steps is reworded, so links and saved progress do too.",
        "Give the steps distinct titles, or pin each id with a label before the step.",
    ),
    Rule(
        "extraction_failed",
        "error",
        "runbook",
        "A runbook could not be turned into a checklist; its page is built unchanged.",
        "The runbook is missing from the step list and is not checked.",
        "Report the runbook's source, with the traceback printed under the warning, as a bug of "
        "sphinx-incident; meanwhile simplify its markup.",
    ),
    # -- the handbook as a whole -------------------------------------------------------
    Rule(
        "undefined_role",
        "error",
        "handbook",
        "A `{role}` reference, anywhere in the handbook, to a team role that no document defines.",
        "Nobody can find who is meant; Sphinx says nothing about it unless run nitpicky.",
        "Define the role with a `team-role` directive, or fix the spelling of the reference.",
    ),
    Rule(
        "duplicate_role",
        "warning",
        "handbook",
        "Two `team-role` directives define the same team role; the one in the first document "
        "(by name, then line) is the one `{role}` links to.",
        "Readers land on one definition while the other says something else.",
        "Keep one definition and link to it from the other place.",
    ),
    Rule(
        "duplicate_runbook",
        "error",
        "handbook",
        "Two runbooks are given the same id (`:id:`, a label or a metadata value); each gets a hash "
        "of its page and title after the id.",
        "Links and saved checklist progress that name the id cannot tell which runbook is meant.",
        "Give each runbook its own id.",
    ),
    Rule(
        "ambiguous_runbook_id",
        "warning",
        "handbook",
        "A runbook's id derived from its page (and section) is also another runbook's id, as when "
        "`ops/db-restore` and `ops-db/restore` are both declared; those that derived it get a hash "
        "of their page and title after it.",
        "The id of such a runbook changed when the other one appeared, so links to it may break.",
        "Give the runbook an id of its own: `:id:`, a label, or a metadata value.",
    ),
    Rule(
        "bad_metadata",
        "warning",
        "handbook",
        "The page metadata field that marks a runbook has a value that is neither true/false nor an id.",
        "The page may not be the runbook its author meant.",
        "Write `runbook: true`, or the runbook's id.",
    ),
    # -- the configuration -------------------------------------------------------------
    Rule(
        "config",
        "error",
        "config",
        "A configuration value has the wrong type or form, or names a check that does not "
        "exist; its default is used.",
        "The handbook is built as if the setting were not there: a misspelt check in "
        "`incident_severity` silently leaves the severity the team chose unapplied.",
        "Fix the value in `conf.py` (see the configuration reference).",
    ),
    Rule(
        "unknown_entry",
        "error",
        "config",
        "An `incident_runbooks` entry (a label, a document, `document#section-id` or a glob of "
        "documents) that matches nothing in the handbook.",
        "The runbook is silently not checked, rendered or exported.",
        "Fix the entry in `conf.py`, or add `(label)=` before the runbook's heading.",
    ),
    Rule(
        "not_a_section",
        "error",
        "config",
        "An `incident_runbooks` entry names a label or an id that is not on a section heading.",
        "The runbook is not checked, rendered or exported.",
        "Put the label right before the heading of the runbook.",
    ),
    # -- live links (lint --check-links) -------------------------------------------------
    Rule(
        "link_broken",
        "error",
        "links",
        "Only with `lint --check-links`: a URL answering 404, 410 or 5xx, or whose host does not resolve.",
        "The page a step depends on is gone.",
        "Update the URL, or remove the link and say what to do instead.",
    ),
    Rule(
        "link_login",
        "warning",
        "links",
        "Only with `lint --check-links`: a URL answering 401/403, or redirecting to a login page.",
        "Responders without an account (or before the SSO session is up) cannot open it.",
        "Link to a page everyone on call can open, or say in the step who has access.",
    ),
    Rule(
        "link_timeout",
        "warning",
        "links",
        "Only with `lint --check-links`: a URL that did not answer within the timeout.",
        "A slow or unreachable tool is a risk during an incident; it may also be a transient failure.",
        "Check the URL by hand; raise `--link-timeout` for slow hosts.",
    ),
    # -- alert rules (sphinx-incident alerts) ------------------------------------------
    Rule(
        "alert_no_runbook",
        "warning",
        "alerts",
        "Only with `sphinx-incident alerts`: an alerting rule without a `runbook_url` annotation, "
        "or with an empty one.",
        "Whoever is paged by the alert gets no procedure to follow.",
        "Add `runbook_url` to the rule's annotations, pointing at the runbook or the step to start from.",
    ),
    Rule(
        "alert_bad_url",
        "error",
        "alerts",
        "Only with `sphinx-incident alerts`: a `runbook_url` that is neither an absolute "
        "`http(s)://` URL nor a template (`TODO`, `runbooks/db.md`).",
        "Alertmanager, Grafana and the paging tool show it as a link that opens nothing.",
        "Write the runbook's full URL, as the published handbook shows it.",
    ),
    Rule(
        "alert_unknown_page",
        "error",
        "alerts",
        "Only with `sphinx-incident alerts`: a `runbook_url` under the handbook's base URL whose "
        "page the handbook does not have (or, read from `runbooks.json`, a page holding no runbook "
        "that the step list does not name either).",
        "The link answers 404 when the alert fires, usually because the page was moved or renamed.",
        "Point the URL at the runbook's current page; the message suggests the closest one.",
    ),
    Rule(
        "alert_unknown_anchor",
        "error",
        "alerts",
        "Only with `sphinx-incident alerts`: a `runbook_url` whose `#anchor` is not on its page: "
        "a runbook or step anchor that is on another page, or (reading the handbook) an id the "
        "page does not have.",
        "The page opens at its top, not at the runbook or step the alert meant.",
        "Use the URL the message suggests, or copy the step's permalink from the page.",
    ),
    Rule(
        "alert_unknown_step",
        "error",
        "alerts",
        "Only with `sphinx-incident alerts`: a `runbook_url` to `#<runbook>--<step>` where the "
        "runbook has no such step: the step was renamed (its id comes from its title) or removed.",
        "The responder lands on the runbook's page but not on the step to start from, and may "
        "start at the wrong one.",
        "Use the anchor of the step it became, which the message suggests, or link to the runbook.",
    ),
    Rule(
        "alert_not_runbook",
        "warning",
        "alerts",
        "Only with `sphinx-incident alerts`: a `runbook_url` to a page of the handbook that holds "
        "no runbook.",
        "The responder gets prose instead of a checklist, often because the runbook moved.",
        "Link to the runbook, or declare the procedure on that page a runbook.",
    ),
    Rule(
        "alert_templated_url",
        "warning",
        "alerts",
        "Only with `sphinx-incident alerts`: a `runbook_url` with a template (`{{ $labels.alertname }}`); "
        "only the part before the template is checked.",
        "Where the link leads depends on the labels of each firing alert, so it cannot be checked "
        "ahead of time.",
        "Write one literal URL per alerting rule, or set the rule `off` when templates are deliberate.",
    ),
    Rule(
        "alert_via_redirect",
        "warning",
        "alerts",
        "Only with `sphinx-incident alerts`: a `runbook_url` to an old URL that the handbook "
        "redirects to a page (a redirects extension's map, a page's `aliases`, the site's `redirects`).",
        "The link works only as long as the redirect is kept, and a redirect may drop the anchor.",
        "Link to the page's current URL, which the message suggests.",
    ),
    Rule(
        "alert_rule_file",
        "error",
        "alerts",
        "Only with `sphinx-incident alerts`: a rule file that cannot be read (not UTF-8, not YAML, "
        "aliases that expand without bound, too large, not a regular file) or a rule group or rule "
        "of the wrong shape; in a folder, files without an `alert:` key are skipped with a note instead.",
        "Prometheus or the operator refuses the file or the group, so its alerts never fire.",
        "Fix the file at the line given; check what a template renders to rather than the template.",
    ),
    Rule(
        "alert_uncovered_runbook",
        "warning",
        "alerts",
        "Only with `sphinx-incident alerts --coverage`: a runbook that no alert links to (its "
        "page, its anchor or one of its steps).",
        "Nothing pages anyone into it: it may be obsolete, or an alert lacks its runbook_url.",
        "Link an alert to it, or remove the runbook when nothing needs it.",
    ),
    Rule(
        "alert_uncovered_step",
        "warning",
        "alerts",
        "Only with `sphinx-incident alerts --coverage steps`: a top-level step that no alert "
        "links to, in a runbook that some alert reaches.",
        "For runbooks whose alerts each start at their own step, the step no alert starts at may "
        "be missing its alert.",
        "Link the alert that should start there to the step's anchor.",
    ),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def is_suppressed(code: str, suppress_warnings: Iterable[str]) -> bool:
    """Whether ``suppress_warnings`` silences the rule, as Sphinx would."""
    names = set(suppress_warnings)
    return bool(names & {WARNING_TYPE, f"{WARNING_TYPE}.*", f"{WARNING_TYPE}.{code}"})


@dataclass
class Settings:
    """What deciding a finding's severity needs from the configuration."""

    severity: Mapping[str, str] = field(default_factory=dict)
    link_hosts: Sequence[str] = ()
    suppress_warnings: Sequence[str] = ()
    #: names the handbook defines, to suggest the one a misspelt reference meant
    known_terms: Sequence[str] = ()
    known_roles: Sequence[str] = ()

    def severity_of(self, code: str) -> str:
        """The rule's severity: configured, else its default; ``off`` when turned off or suppressed."""
        if is_suppressed(code, self.suppress_warnings):
            return OFF
        wanted = self.severity.get(code)
        if wanted in (*SEVERITIES, OFF):
            return str(wanted)
        rule = RULES_BY_CODE.get(code)
        return rule.severity if rule is not None else "warning"


def invalid_severities(severity: Mapping[object, object]) -> list[str]:
    """Messages about ``incident_severity`` entries that are not understood."""
    messages = []
    for code, value in severity.items():
        if code not in RULES_BY_CODE:
            close = difflib.get_close_matches(str(code), list(RULES_BY_CODE), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            messages.append(f"incident_severity names an unknown check {code!r}{hint}; it is ignored")
        elif value not in (*SEVERITIES, OFF):
            messages.append(
                f"incident_severity[{code!r}] = {value!r} is not error, warning or off; "
                f"using the default {RULES_BY_CODE[str(code)].severity!r}"
            )
    return messages
