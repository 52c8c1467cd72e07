/* sphinx-incident: work through a rendered runbook during an incident.
 *
 * Each runbook panel keeps incident runs in the browser's localStorage, per handbook.
 * A run is a name and a list of events (start, tick, untick, assign, note, reset,
 * handoff, rebind, end); its ticks, assignments and notes are what the events say, read
 * in order, each on the step it names by id and fingerprint (a step that is gone or
 * changed since is listed for the responder to decide on), and the events are the run's
 * timeline. A run hands off as a file or as a link whose
 * fragment carries it compressed (nothing is sent anywhere). Whatever is read back,
 * from storage, a file or a link, is checked against the rules of
 * sphinx_incident/schema/incident-run.schema.json and only ever shown as text.
 *
 * Why classic scripts: handbooks are also opened from disk (file://), and Chromium
 * refuses <script type="module"> there (CORS: a file:// page's origin is "null").
 * So each file is a classic script, one function run at once, that registers what it
 * offers on one namespace object, globalThis.sphinxIncident; Sphinx loads them with
 * `defer`, which keeps their order (render_html.py lists it: each file needs only
 * those before it). No bundler, no build step. The files, in that order:
 *
 *   incident-format.js          the storage format and its rules (validation, limits)
 *   incident-time.js            times in UTC and local time
 *   incident-bind.js            which step each event is about in this build
 *   incident-runs.js            the run model: events to state, runs, a run store over any storage
 *   incident-export.js          timeline as Markdown, CSV and JSON, checklist text, issue links
 *   incident-handoff.js         hand-off links: pack and unpack a run
 *   incident-browser.js         localStorage, elements made with text, downloads, clipboard
 *   incident-run-chooser.js     a panel's run bar and new-run form
 *   incident-step-details.js    a step's owner, tick time, assignee and note, and their form
 *   incident-timeline-view.js   a panel's timeline and its downloads
 *   incident-import-preview.js  importing a run from a file or a link
 *   incident-changed-steps.js   the steps a run names that are gone or changed, and the decisions
 *   incident-share-tools.js     copy, new issue, hand-off link, run file
 *   incident-panel.js           one runbook's panel, holding the parts above
 *   sphinx-incident.js          this file: a Panel for each panel of the page
 *
 * The first six use no DOM and are unit-tested with Node (tests/js/). */
(function (ns) {
  "use strict";

  function start() {
    document.documentElement.classList.add("incident-js");
    const panels = [];
    Array.prototype.forEach.call(document.querySelectorAll(".incident-panel"), function (node) {
      try {
        panels.push(new ns.Panel(node));
      } catch (error) {
        /* a panel whose data cannot be read stays as printed; the others still work */
        if (window.console) { window.console.error("sphinx-incident:", error); }
      }
    });
    ns.openFromFragment(panels);
    window.addEventListener("hashchange", function () { ns.openFromFragment(panels); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
