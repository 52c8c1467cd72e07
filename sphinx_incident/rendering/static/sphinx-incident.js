/* sphinx-incident: work through a rendered runbook during an incident.
 *
 * Each runbook panel keeps incident runs in the browser's localStorage, per handbook. A
 * run is an event log that merges: every event has its own id, who recorded it, its time
 * and the recording clock's offset when known. Its ticks, assignments, notes, roles,
 * milestones and timeline entries are what the events say, each event on the step it
 * names by id and fingerprint (a step that is gone or changed since is listed for the
 * responder to decide on), and the events are the run's timeline. A run hands off as a
 * file or as a link whose fragment carries it compressed (nothing is sent anywhere), and
 * an import of a copy of a run merges with it. Whatever is read back, from storage, a file
 * or a link, is checked against the rules of sphinx_incident/schema/incident-run.schema.json
 * and only ever shown as text.
 *
 * Why classic scripts: handbooks are also opened from disk (file://), and Chromium
 * refuses <script type="module"> there (CORS: a file:// page's origin is "null").
 * So each file is a classic script, one function run at once, that registers what it
 * offers on one namespace object, globalThis.sphinxIncident; Sphinx loads them with
 * `defer`, which keeps their order (render_html.py lists it: each file needs only
 * those before it). No bundler, no build step. The files, in that order:
 *
 *   incident-format.js          the storage format and its rules (validation, limits, older versions)
 *   incident-time.js            times in UTC, local time and spreadsheets
 *   incident-bind.js            which step each event is about in this build
 *   incident-log.js             the event log: new events, clocks, fields and their conflicts
 *   incident-runs.js            the run model: what a run's events say, runs
 *   incident-merge.js           two copies of one run merged, and what differs
 *   incident-store.js           a run store over any storage, per handbook; earlier keys
 *   incident-timeline.js        the timeline's rows, in order of time
 *   incident-export.js          timeline as Markdown, CSV and JSON, checklist text, issue links
 *   incident-handoff.js         hand-off links: pack and unpack a run
 *   incident-browser.js         localStorage, the responder, the clock, elements made with text, clipboard
 *   incident-run-chooser.js     a panel's run bar, new-run form and the responder's name
 *   incident-step-details.js    a step's owner, tick, assignee and note, and their form
 *   incident-timeline-view.js   a panel's timeline, its downloads and the postmortem copy
 *   incident-import-preview.js  importing a run from a file or a link, merging copies
 *   incident-changed-steps.js   the steps a run names that are gone or changed, and the decisions
 *   incident-share-tools.js     copy, new issue, hand-off link, run file
 *   incident-run-log.js         roles, milestones and timeline entries of a run
 *   incident-run-actions.js     reset, end, reopen, delete, undo
 *   incident-dock.js            the bar fixed at the bottom: progress, next step, failures
 *   incident-panel.js           one runbook's panel, holding the parts above
 *   sphinx-incident.js          this file: a Panel for each panel of the page
 *
 * The first ten use no DOM and are unit-tested with Node (tests/js/). */
(function (ns) {
  "use strict";

  function start() {
    const html = document.documentElement;
    html.classList.add("incident-js");
    const panels = [];
    Array.prototype.forEach.call(document.querySelectorAll(".incident-panel"), function (node) {
      try {
        panels.push(new ns.Panel(node));
      } catch (error) {
        /* a panel whose data cannot be read stays as printed; the others still work */
        if (window.console) { window.console.error("sphinx-incident:", error); }
      }
    });
    /* a page with runs: themes' floating buttons give way to the dock (sphinx-incident.css) */
    html.classList.toggle("incident-page", panels.length > 0);
    if (panels.length) { ns.browser.measureClock(); }
    ns.openFromFragment(panels);
    window.addEventListener("hashchange", function () { ns.openFromFragment(panels); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
