/* sphinx-incident: a panel's timeline of the active run, in UTC and local time, and
 * its downloads as Markdown, CSV and JSON (the text is made in incident-export.js).
 * The list is filled only while the run's tools are open.
 *
 * Registers globalThis.sphinxIncident.TimelineView. */
(function (ns) {
  "use strict";

  const exportText = ns.exportText;
  const browser = ns.browser;
  const element = browser.element;

  class TimelineView {
    constructor(panel) {
      this.panel = panel;
      const el = this.el = panel.el;
      browser.listen(el.tools, "toggle", this.refresh, this);
      Array.prototype.forEach.call(panel.panel.querySelectorAll(".incident-timeline-export"), function (button) {
        browser.listen(button, "click", function () { this.download(button.getAttribute("data-incident-format")); }, this);
      }, this);
    }

    refresh() {
      const list = this.el.timeline;
      const run = this.panel.active;
      if (!run || !this.el.tools.open) { return; }
      list.textContent = "";
      exportText.timelineRows(run, this.panel.steps).forEach(function (row) {
        const item = element("li");
        const stamp = element("time", "", row.utc + " UTC");
        stamp.dateTime = row.time;
        item.appendChild(stamp);
        const local = row.local.slice(0, 10) === row.utc.slice(0, 10) ? row.local.slice(11, 19) : row.local.slice(0, 19);
        item.appendChild(element("span", "incident-timeline-local", " (" + local + " local)"));
        item.appendChild(document.createTextNode(" " + row.event + (row.label ? ": " + row.label : "") +
          (row.detail ? " — " + row.detail : "")));
        list.appendChild(item);
      });
    }

    /* `kind`: "markdown", "csv" or "json" */
    download(kind) {
      const run = this.panel.active;
      if (!run) { return; }
      browser.download(exportText.timelineFile(run, this.panel.about(), kind));
      this.panel.say("Downloaded the timeline (" + run.events.length + " events).");
    }
  }

  ns.TimelineView = TimelineView;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
