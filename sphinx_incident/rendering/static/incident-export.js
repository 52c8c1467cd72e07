/* sphinx-incident: what leaves the page as text. No DOM.
 *
 * A run's timeline for the postmortem (incident-timeline.js) as Markdown, CSV (with a
 * byte-order mark, and local times a spreadsheet reads as dates), JSON, and as the table
 * the page puts on the clipboard as HTML beside the Markdown; the Markdown checklist with a
 * run's ticks, assignments and notes; a run file; the new-issue link. Text from a run
 * (names, assignees, notes) is escaped for where it goes: Markdown markup characters, and
 * CSV cells a spreadsheet would read as formulas.
 *
 * `runbook` below is what the panel knows of its runbook:
 * {id, title, url, steps: Map of step id to {label, fingerprint, parent, ...}}. An event is
 * shown on the step it is about in this build (incident-bind.js), or by the id it names.
 *
 * Registers globalThis.sphinxIncident.exportText; needs .format, .time, .runs and .timeline. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const time = ns.time;
  const runs = ns.runs;
  const timeline = ns.timeline;
  /* trackers refuse longer URLs; the body then goes through the clipboard */
  const MAX_ISSUE_URL = 8000;
  /* what spreadsheets take for the text encoding of a CSV file */
  const BYTE_ORDER_MARK = "\ufeff";

  /* Text inside a Markdown line: one line, and every character that could start markup
   * escaped. Not "#" or ">" inside a line, which start nothing there and which document
   * editors show with their backslash; "&" only where it would start a character reference. */
  function markdownText(text) {
    return String(text).replace(/\s+/g, " ").trim()
      .replace(/[\\`*_[\]<|~$]|&(?=#?\w+;)/g, "\\$&")
      .replace(/#+$/, function (signs) { return signs.replace(/#/g, "\\#"); });
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

  /* "03:12:09 UTC (04:12:09 +01:00 local)" */
  function bothTimes(iso) {
    return time.utcText(iso) + " UTC (" + time.localText(iso) + " local)";
  }

  /* What heads the timeline, as lines of plain text: the run, its start and end, who held
   * which role, and its milestones. */
  function summary(run, runbook) {
    const state = runs.stateOf(run, runbook.steps);
    const lines = [
      "Started " + bothTimes(state.started) + (state.ended ? ", ended " + bothTimes(state.ended) : "")
    ];
    const roles = Array.from(state.roles.values()).filter(function (role) { return role.value; });
    if (roles.length) {
      lines.push("Roles: " + Array.from(state.roles.keys()).filter(function (name) { return state.roles.get(name).value; })
        .map(function (name) { return name + ": " + state.roles.get(name).value; }).join("; "));
    }
    const milestones = ns.format.MILESTONES.filter(function (name) { return state.milestones.has(name); });
    if (milestones.length) {
      lines.push("Milestones: " + milestones.map(function (name) {
        return timeline.MILESTONE_NAMES[name] + " " + time.utcText(state.milestones.get(name).at).slice(0, 16) + " UTC";
      }).join("; "));
    }
    return lines;
  }

  const TABLE_HEAD = ["Time (UTC)", "Local time", "Who", "Event", "Step", "Detail"];

  /* The timeline as a table: {title, url, runbookTitle, lines, head, rows (cells as text)}. */
  function postmortem(run, runbook) {
    return {
      title: "Timeline: " + run.name,
      runbookTitle: runbook.title,
      url: runbook.url,
      lines: summary(run, runbook),
      head: TABLE_HEAD,
      rows: timeline.rows(run, runbook.steps).map(function (row) {
        return [row.utc, row.local, row.who, row.event, row.label, [row.detail, row.clock && "⚠ " + row.clock].filter(Boolean).join(" — ")];
      })
    };
  }

  function timelineMarkdown(run, runbook) {
    const table = postmortem(run, runbook);
    const lines = [
      "## " + markdownText(table.title),
      "",
      "Runbook: [" + markdownText(runbook.title) + "](<" + runbook.url.replace(/[<>\s]/g, encodeURIComponent) + ">)  "
    ].concat(table.lines.map(function (line, index) {
      return markdownText(line) + (index < table.lines.length - 1 ? "  " : "");
    }), [
      "",
      "| " + table.head.join(" | ") + " |",
      "|" + table.head.map(function () { return " --- |"; }).join("")
    ]);
    table.rows.forEach(function (cells) {
      lines.push("| " + cells.map(markdownText).join(" | ") + " |");
    });
    return lines.join("\n") + "\n";
  }

  const CSV_HEAD = ["time_utc", "time_local", "utc_offset", "who", "event", "step", "step_label", "detail", "clock"];

  /* The CSV, with a byte-order mark (spreadsheets then read it as UTF-8) and times as
   * "2026-01-31 04:12:09", which they read as dates; the local time's offset apart
   * ("UTC+01:00": a bare "+01:00" would be a formula). */
  function timelineCsv(run, runbook) {
    const lines = [CSV_HEAD];
    timeline.rows(run, runbook.steps).forEach(function (row) {
      lines.push([row.utc, row.sheet, "UTC" + row.offset, row.who, row.type, row.step, row.label, row.detail, row.clock]);
    });
    return BYTE_ORDER_MARK + lines.map(function (cells) { return cells.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  function timelineJson(run, runbook) {
    return JSON.stringify({
      format: "sphinx-incident-timeline",
      version: format.VERSION,
      runbook: { id: runbook.id, title: runbook.title, url: runbook.url },
      run: { id: run.id, name: run.name, started: runs.startedAt(run), ended: runs.endedAt(run) },
      events: timeline.rows(run, runbook.steps).map(function (row) {
        return {
          id: row.id, time: row.time, time_local: row.local, who: row.who || null, type: row.type,
          step: row.step || null, step_label: row.label || null, value: row.value, detail: row.detail || null, clock: row.clock || null
        };
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
    return {
      name: runbook.id + "-" + run.id + ".json",
      type: "application/json",
      text: JSON.stringify(format.compactRun(run), null, 2) + "\n"
    };
  }

  /* " · assigned to Dana · note: … (done … by Kim)": what a run says of one step, in Markdown */
  function stepNotes(state, step) {
    const who = state.assignee.get(step);
    const note = state.note.get(step);
    let out = "";
    if (who && who.value) { out += " · assigned to " + markdownText(who.value); }
    if (note && note.value) { out += " · note: " + markdownText(note.value); }
    return out;
  }

  /* The Markdown checklist of the page's data (as `sphinx-incident export` gives it), its
   * links under `siteRoot`; with a run, each step's assignee, note and tick, then the timeline. */
  function checklistText(checklist, siteRoot, run, runbook) {
    const state = run ? runs.stateOf(run, runbook.steps) : null;
    const text = checklist.lines.map(function (line) {
      let out = line.text.split(checklist.placeholder + "/").join(siteRoot);
      if (line.step && state) {
        const done = state.done.get(line.step);
        out += stepNotes(state, line.step);
        if (done) {
          out = out.replace("- [ ] ", "- [x] ") + " (done " + done.time + (done.author ? " by " + markdownText(done.author) : "") + ")";
        }
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
    MAX_ISSUE_URL: MAX_ISSUE_URL,
    markdownText: markdownText,
    csvCell: csvCell,
    postmortem: postmortem,
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
