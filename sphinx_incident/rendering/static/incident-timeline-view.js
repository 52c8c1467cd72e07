/* sphinx-incident: a panel's timeline of the active run, newest first, in UTC and local
 * time, with who recorded each event and clocks that were off flagged (the rows are made
 * in incident-timeline.js); a timeline entry of an open run has a button to edit it. Its
 * downloads as Markdown, CSV and JSON, and "Copy for the postmortem": the timeline as
 * Markdown and, beside it on the clipboard, as an HTML table that document editors paste
 * as a table. The list is filled only while the run's tools are open, with the newest
 * events of a long run.
 *
 * Registers globalThis.sphinxIncident.TimelineView and .postmortemTable. */
(function (ns) {
  "use strict";

  const exportText = ns.exportText;
  const timeline = ns.timeline;
  const runs = ns.runs;
  const browser = ns.browser;
  const element = browser.element;
  /* the newest events the panel lists; a long run's others are in the downloads */
  const SHOWN = 300;

  /* The timeline as HTML for the clipboard: a heading, the summary, a table. Made as
   * elements with their text, so nothing in a run becomes markup. */
  function postmortemTable(table) {
    const root = element("div");
    root.appendChild(element("h2", "", table.title));
    const about = element("p", "", "Runbook: ");
    const link = element("a", "", table.runbookTitle);
    const href = browser.safeHref(table.url);
    if (href) { link.href = href; }
    about.appendChild(link);
    table.lines.forEach(function (line) {
      about.appendChild(element("br"));
      about.appendChild(document.createTextNode(line));
    });
    root.appendChild(about);
    const grid = element("table");
    grid.border = "1";
    const headRow = element("tr");
    table.head.forEach(function (cell) { headRow.appendChild(element("th", "", cell)); });
    grid.appendChild(element("thead")).appendChild(headRow);
    const body = grid.appendChild(element("tbody"));
    table.rows.forEach(function (cells) {
      const row = body.appendChild(element("tr"));
      cells.forEach(function (cell) { row.appendChild(element("td", "", cell)); });
    });
    root.appendChild(grid);
    return root;
  }

  class TimelineView {
    constructor(panel) {
      this.panel = panel;
      const el = this.el = panel.el;
      browser.listen(el.tools, "toggle", this.refresh, this);
      browser.listen(el.timelineCopy, "click", this.copy, this);
      Array.prototype.forEach.call(panel.panel.querySelectorAll(".incident-timeline-export"), function (button) {
        browser.listen(button, "click", function () { this.download(button.getAttribute("data-incident-format")); }, this);
      }, this);
    }

    /* The list as the active run is, made again only when the run changed. */
    refresh() {
      const list = this.el.timeline;
      const panel = this.panel;
      const run = panel.active;
      if (!run || !this.el.tools.open) { return; }
      const open = panel.isOpen();
      const signature = [run.id, run.events.length, run.events[run.events.length - 1].id, open].join(" ");
      if (list.getAttribute("data-incident-shown") === signature) { return; }
      list.setAttribute("data-incident-shown", signature);
      const entries = new Map(runs.stateOf(run, panel.steps).entries.map(function (entry) { return [entry.id, entry]; }));
      const day = runs.startedAt(run).slice(0, 10);
      const rows = timeline.rows(run, panel.steps).reverse();
      list.textContent = "";
      rows.slice(0, SHOWN).forEach(function (row) {
        list.appendChild(this.item(row, day, open ? entries.get(row.id) : undefined));
      }, this);
      if (rows.length > SHOWN) {
        list.appendChild(element("li", "incident-timeline-more", "… and " + (rows.length - SHOWN) +
          " earlier events: the downloads have them all."));
      }
    }

    /* One event: "03:12:09 UTC (04:12:09 local) Dana: Done: 2. Drain the queue — detail", the
     * date where it is not `day` (the run's first, in UTC); `entry`, the timeline entry it is
     * the latest version of, gets an edit button. */
    item(row, day, entry) {
      const item = element("li", row.clock ? "incident-timeline-skewed" : "");
      const stamp = element("time", "", (row.time.slice(0, 10) === day ? row.utc.slice(11) : row.utc) + " UTC");
      stamp.dateTime = row.time;
      item.appendChild(stamp);
      const local = row.local.slice(0, 10) === row.utc.slice(0, 10) ? row.local.slice(11, 19) : row.local.slice(0, 19);
      item.appendChild(element("span", "incident-timeline-local", " (" + local + " local)"));
      item.appendChild(document.createTextNode(" " + (row.who ? row.who + ": " : "") + row.event +
        (row.label ? ": " + row.label : "") + (row.detail ? " — " + row.detail : "")));
      if (row.clock) { item.appendChild(element("span", "incident-timeline-clock", " ⚠ " + row.clock)); }
      if (entry) {
        const edit = element("button", "incident-timeline-edit", "Edit");
        edit.type = "button";
        edit.setAttribute("aria-label", "Edit the entry: " + entry.value);
        browser.listen(edit, "click", function () { this.panel.runLog.editEntry(entry); }, this);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(edit);
      }
      return item;
    }

    /* The timeline on the clipboard, as Markdown and as an HTML table. */
    copy() {
      const panel = this.panel;
      const run = panel.active;
      if (!run) { return; }
      const text = exportText.timelineMarkdown(run, panel.about());
      const html = postmortemTable(exportText.postmortem(run, panel.about()));
      browser.copyRich(text, html, panel.panel).then(function (copied) {
        panel.say(copied ? "Copied the timeline: paste it into the postmortem, as a table or as Markdown."
          : "Select and copy the text below.");
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
  ns.postmortemTable = postmortemTable;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
