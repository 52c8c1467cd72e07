/* sphinx-incident: what leaves the page as text. No DOM.
 *
 * A run's timeline as Markdown, CSV and JSON; the Markdown checklist with a run's
 * ticks, assignments and notes; a run file; the new-issue link. Text from a run
 * (names, assignees, notes) is escaped for where it goes: Markdown markup characters,
 * and CSV cells a spreadsheet would read as formulas.
 *
 * `runbook` below is what the panel knows of its runbook:
 * {id, title, url, steps: Map of step id to {label, fingerprint, ...}}. An event is shown on
 * the step it is about in this build (incident-bind.js), or by the id it names.
 *
 * Registers globalThis.sphinxIncident.exportText; needs .format, .time, .bind and .runs. */
(function (ns) {
  "use strict";

  const time = ns.time;
  const runs = ns.runs;
  /* trackers refuse longer URLs; the body then goes through the clipboard */
  const MAX_ISSUE_URL = 8000;

  const EVENT_NAMES = Object.freeze({
    start: "Run started", tick: "Done", untick: "Not done", assign: "Assigned", note: "Note",
    reset: "Ticks cleared", handoff: "Handed over", rebind: "Changed step decided", end: "Run ended"
  });

  /* Text inside a Markdown line: one line, and every character that could start markup escaped. */
  function markdownText(text) {
    return String(text).replace(/\s+/g, " ").trim().replace(/[\\`*_[\]<>|~&#$]/g, "\\$&");
  }

  /* What Python's str.lstrip() takes off (str.isspace), so that the page's rule is the one
   * of `sphinx-incident export --format csv` (render_markdown.csv_cell). */
  const LEADING_SPACE = /^[\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  const FORMULA_START = /^[=+\-@]/;

  /* OWASP CSV injection: a cell a spreadsheet would read as a formula starts with a quote.
   * Spreadsheets also read a formula after leading spaces (of any kind) or a line break, and
   * in fullwidth signs ("＝"), which NFKC makes "="; a lone carriage return becomes a line
   * feed, which readers do not take for the end of the row. Every cell is quoted. */
  function csvCell(value) {
    let text = String(value).replace(/\r\n?/g, "\n");
    const first = Array.from(text.replace(LEADING_SPACE, "")).slice(0, 1).join("").normalize("NFKC");
    if (/^[\t\n]/.test(text) || FORMULA_START.test(first)) { text = "'" + text; }
    return "\"" + text.replace(/"/g, "\"\"") + "\"";
  }

  function eventDetail(event) {
    switch (event.type) {
      case "assign": return event.value || "nobody";
      case "note": return event.value || "(note removed)";
      case "handoff": return event.value === "link" ? "imported from a hand-off link" : "imported from a run file";
      case "rebind":
        return (event.step === null ? "dropped what was recorded on " : "kept what was recorded on ") + event.value.step;
      default: return "";
    }
  }

  /* A step's label; a step the runbook no longer has goes by its id. */
  function stepLabel(steps, stepId) {
    const step = stepId ? steps.get(stepId) : null;
    return step ? step.label : stepId || "";
  }

  /* The label of event `index`'s step: the step it is about in this build (`bound`), else
   * its id, said to be not on this version of the runbook. */
  function eventLabel(event, bound) {
    if (bound !== null || event.step === null || event.type === "rebind") { return null; }
    return event.step + " (not on this version of the runbook)";
  }

  /* A value as text: a rebind's value names a step */
  function valueText(event) {
    return event.type === "rebind" ? event.value.step : event.value;
  }

  /* One row per event, with everything the page and the exports show of it. */
  function timelineRows(run, steps) {
    const stepOf = ns.bind.bindEvents(run.events, steps).stepOf;
    return run.events.map(function (event, index) {
      const bound = stepOf[index];
      return {
        time: event.time,
        utc: time.utcText(event.time),
        local: time.localText(event.time),
        type: event.type,
        event: EVENT_NAMES[event.type],
        step: event.step || "",
        label: eventLabel(event, bound) || stepLabel(steps, bound === null ? event.step : bound),
        value: valueText(event),
        detail: eventDetail(event)
      };
    });
  }

  function timelineMarkdown(run, runbook) {
    const state = { started: runs.startedAt(run), ended: runs.endedAt(run) };
    const lines = [
      "## Timeline: " + markdownText(run.name),
      "",
      "Runbook: [" + markdownText(runbook.title) + "](<" + runbook.url.replace(/[<>\s]/g, encodeURIComponent) + ">)  ",
      "Started " + time.utcText(state.started) + " UTC (" + time.localText(state.started) + " local)" +
        (state.ended ? ", ended " + time.utcText(state.ended) + " UTC (" + time.localText(state.ended) + " local)" : ""),
      "",
      "| Time (UTC) | Local time | Event | Step | Detail |",
      "| --- | --- | --- | --- | --- |"
    ];
    timelineRows(run, runbook.steps).forEach(function (row) {
      lines.push("| " + [row.utc, row.local, row.event, row.label, row.detail].map(markdownText).join(" | ") + " |");
    });
    return lines.join("\n") + "\n";
  }

  function timelineCsv(run, runbook) {
    const rows = [["time_utc", "time_local", "event", "step", "step_label", "detail"]];
    timelineRows(run, runbook.steps).forEach(function (row) {
      rows.push([row.time, row.local, row.type, row.step, row.label, row.value === null ? "" : row.value]);
    });
    return rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  function timelineJson(run, runbook) {
    const state = { started: runs.startedAt(run), ended: runs.endedAt(run) };
    return JSON.stringify({
      format: "sphinx-incident-timeline",
      version: ns.format.VERSION,
      runbook: { id: runbook.id, title: runbook.title, url: runbook.url },
      run: { id: run.id, name: run.name, started: state.started, ended: state.ended },
      events: timelineRows(run, runbook.steps).map(function (row) {
        return { time: row.time, time_local: row.local, type: row.type, step: row.step || null, step_label: row.label || null, value: row.value };
      })
    }, null, 2) + "\n";
  }

  /* The timeline as a file to download: {name, type, text}; `kind` is "markdown", "csv" or "json". */
  function timelineFile(run, runbook, kind) {
    const base = runbook.id + "-" + run.id + "-timeline";
    if (kind === "csv") {
      return { name: base + ".csv", type: "text/csv;charset=utf-8", text: timelineCsv(run, runbook) };
    }
    if (kind === "json") {
      return { name: base + ".json", type: "application/json", text: timelineJson(run, runbook) };
    }
    return { name: base + ".md", type: "text/markdown;charset=utf-8", text: timelineMarkdown(run, runbook) };
  }

  /* The run itself, as a file another browser imports. */
  function runFile(run, runbook) {
    return { name: runbook.id + "-" + run.id + ".json", type: "application/json", text: JSON.stringify(run, null, 2) + "\n" };
  }

  /* The Markdown checklist of the page's data (as `sphinx-incident export` gives it), its
   * links under `siteRoot`; with a run, each step's assignee, note and tick, then the timeline. */
  function checklistText(checklist, siteRoot, run, runbook) {
    const state = run ? runs.stateOf(run, runbook.steps) : null;
    const text = checklist.lines.map(function (line) {
      let out = line.text.split(checklist.placeholder + "/").join(siteRoot);
      if (line.step && state) {
        const who = state.assignee.get(line.step);
        const note = state.note.get(line.step);
        const done = state.done.get(line.step);
        if (who) { out += " · assigned to " + markdownText(who); }
        if (note) { out += " · note: " + markdownText(note); }
        if (done) { out = out.replace("- [ ] ", "- [x] ") + " (done " + done + ")"; }
      }
      return out;
    }).join("\n") + "\n";
    return run ? text + "\n" + timelineMarkdown(run, runbook) : text;
  }

  /* ---- a new issue in the tracker named by incident_issue_url ---- */

  function isHttpUrl(text) {
    try {
      const url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch (error) {
      return false;
    }
  }

  /* whether `template` ("...{title}...{body}...") makes http(s) links */
  function isIssueTemplate(template) {
    return Boolean(template) && isHttpUrl(template.replace(/\{(title|body)\}/g, ""));
  }

  /* The new-issue link with `body`, and `short`, the one without it, for when the
   * full one is longer than trackers take (`fits` false) or not http(s) (`valid` false). */
  function issueLinks(template, title, body) {
    function fill(text) {
      return template.replace(/\{(title|body)\}/g, function (match, key) {
        return encodeURIComponent(key === "title" ? title : text);
      });
    }
    const full = fill(body);
    return { full: full, short: fill(""), valid: isHttpUrl(full), fits: full.length <= MAX_ISSUE_URL };
  }

  ns.exportText = Object.freeze({
    EVENT_NAMES: EVENT_NAMES,
    MAX_ISSUE_URL: MAX_ISSUE_URL,
    markdownText: markdownText,
    csvCell: csvCell,
    stepLabel: stepLabel,
    timelineRows: timelineRows,
    timelineMarkdown: timelineMarkdown,
    timelineCsv: timelineCsv,
    timelineJson: timelineJson,
    timelineFile: timelineFile,
    runFile: runFile,
    checklistText: checklistText,
    isHttpUrl: isHttpUrl,
    isIssueTemplate: isIssueTemplate,
    issueLinks: issueLinks
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
