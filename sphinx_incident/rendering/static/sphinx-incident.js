/* sphinx-incident: work through a rendered runbook during an incident.
 *
 * Each runbook panel keeps incident runs in the browser's localStorage. A run is a
 * name and a list of events (start, tick, untick, assign, note, reset, handoff, end);
 * its ticks, assignments and notes are what the events say, read in order, and the
 * events are the run's timeline. A run hands off as a file or as a link whose
 * fragment carries it compressed (nothing is sent anywhere). Whatever is read back,
 * from storage, a file or a link, is checked against the rules of
 * sphinx_incident/schema/incident-run.schema.json and only ever shown as text.
 * Everything else the script needs is in the page: each panel's data attributes and
 * its <script type="application/json" class="incident-checklist"> block. */
"use strict";
(function () {
  /* ---- the storage format (schema/incident-run.schema.json) ---- */

  const PREFIX = "sphinx-incident:";
  const FORMAT = "sphinx-incident-run";
  const VERSION = 1;
  const LIMITS = { name: 200, assignee: 200, note: 2000, events: 5000, id: 1000, bytes: 1048576 };
  const RUN_KEYS = ["events", "format", "id", "name", "runbook", "version"];
  const EVENT_KEYS = ["step", "time", "type", "value"];
  const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
  const TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$/;
  const NOT_IN_ID = /[/\\<>"'&\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/u;
  const CONTROL = /[\u0000-\u001f\u007f]/;
  const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f]/;
  const FRAGMENT = "incident-run=";
  /* trackers refuse longer URLs; the body then goes through the clipboard */
  const MAX_ISSUE_URL = 8000;

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function hasKeys(object, keys) {
    const own = Object.keys(object).sort();
    return own.length === keys.length && own.every(function (key, index) { return key === keys[index]; });
  }

  /* JSON Schema counts characters as code points */
  function codePoints(text) {
    return Array.from(text).length;
  }

  function isLine(value, max) {
    return typeof value === "string" && codePoints(value) <= max && !CONTROL.test(value);
  }

  function isText(value, max) {
    return typeof value === "string" && codePoints(value) <= max && !CONTROL_BUT_NEWLINE.test(value);
  }

  function isId(value) {
    return typeof value === "string" && value.length > 0 && codePoints(value) <= LIMITS.id && !NOT_IN_ID.test(value);
  }

  function isTime(value) {
    if (typeof value !== "string" || !TIME.test(value)) { return false; }
    const parsed = new Date(value);
    return !isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) + "Z" === value;
  }

  function eventProblem(event) {
    if (!isObject(event) || !hasKeys(event, EVENT_KEYS)) { return "an event is not of the expected form"; }
    if (!isTime(event.time)) { return "an event has no valid time"; }
    const bare = event.step === null && event.value === null;
    switch (event.type) {
      case "start": case "end": case "reset":
        return bare ? null : "a " + event.type + " event names a step or a value";
      case "handoff":
        return event.step === null && (event.value === "link" || event.value === "file") ? null : "a hand-off event is not valid";
      case "tick": case "untick":
        return isId(event.step) && event.value === null ? null : "a tick names no valid step";
      case "assign":
        return isId(event.step) && isLine(event.value, LIMITS.assignee) ? null : "an assignment is not valid";
      case "note":
        return isId(event.step) && isText(event.value, LIMITS.note) ? null : "a note is not valid";
      default:
        return "an event has an unknown type";
    }
  }

  /* Why `data` is not a run of `runbookId` (any runbook when undefined), or null. */
  function runProblem(data, runbookId) {
    if (!isObject(data) || data.format !== FORMAT) { return "it is not a sphinx-incident run"; }
    if (data.version !== VERSION) {
      return typeof data.version === "number" && data.version > VERSION
        ? "it was saved by a newer version of sphinx-incident"
        : "its format version is not supported";
    }
    if (!hasKeys(data, RUN_KEYS)) { return "it has unexpected or missing fields"; }
    if (!isId(data.runbook)) { return "it names no valid runbook"; }
    if (runbookId !== undefined && data.runbook !== runbookId) { return "it is a run of another runbook"; }
    if (typeof data.id !== "string" || !RUN_ID.test(data.id)) { return "it has no valid run id"; }
    if (!isLine(data.name, LIMITS.name) || data.name.length === 0) { return "it has no valid name"; }
    const events = data.events;
    if (!Array.isArray(events) || events.length === 0 || events.length > LIMITS.events) {
      return "it has no valid list of events";
    }
    for (let index = 0; index < events.length; index += 1) {
      const problem = eventProblem(events[index]);
      if (problem) { return problem + " (event " + (index + 1) + ")"; }
      if ((index === 0) !== (events[index].type === "start")) { return "a run begins with its one start event"; }
      if (events[index].type === "end" && index !== events.length - 1) { return "nothing can happen after a run's end"; }
    }
    return null;
  }

  /* What a run's events say: when it started and ended, and per step its tick time,
   * assignee and note. Maps, so that no step id can reach an object's prototype. */
  function stateOf(run) {
    const state = { started: run.events[0].time, ended: null, done: new Map(), assignee: new Map(), note: new Map() };
    run.events.forEach(function (event) {
      switch (event.type) {
        case "tick": state.done.set(event.step, event.time); break;
        case "untick": state.done.delete(event.step); break;
        case "reset": state.done.clear(); break;
        case "assign":
          if (event.value) { state.assignee.set(event.step, event.value); } else { state.assignee.delete(event.step); }
          break;
        case "note":
          if (event.value) { state.note.set(event.step, event.value); } else { state.note.delete(event.step); }
          break;
        case "end": state.ended = event.time; break;
        default: break;
      }
    });
    return state;
  }

  /* ---- browser storage: one key per run, one for the active run, the old ticks ---- */

  const storage = {
    get: function (key) {
      try { return window.localStorage.getItem(key); } catch (error) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, value); return true; } catch (error) { return false; }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(key); } catch (error) { /* storage disabled */ }
    },
    keys: function () {
      const keys = [];
      try {
        for (let index = 0; index < window.localStorage.length; index += 1) { keys.push(window.localStorage.key(index)); }
      } catch (error) { /* storage disabled */ }
      return keys;
    }
  };

  /* Oldest first: by start time, then id (ids made here start with the time to the millisecond). */
  function sortRuns(runs) {
    return runs.sort(function (a, b) {
      const x = a.events[0].time + a.id;
      const y = b.events[0].time + b.id;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }

  class RunStore {
    constructor(runbookId) {
      this.runbook = runbookId;
      this.legacyKey = PREFIX + runbookId;
      this.activeKey = PREFIX + runbookId + ":active";
      this.runPrefix = PREFIX + runbookId + ":run:";
      this.unreadable = 0;
    }

    owns(key) {
      return key === null || key === this.legacyKey || key === this.activeKey || key.startsWith(this.runPrefix);
    }

    /* Every readable run, oldest first; runs that break the rules are left alone and counted. */
    runs() {
      const runs = [];
      this.unreadable = 0;
      storage.keys().forEach(function (key) {
        if (!key || !key.startsWith(this.runPrefix)) { return; }
        let data = null;
        try { data = JSON.parse(storage.get(key)); } catch (error) { data = null; }
        if (runProblem(data, this.runbook) === null && key === this.runPrefix + data.id) {
          runs.push(data);
        } else {
          this.unreadable += 1;
        }
      }, this);
      return sortRuns(runs);
    }

    save(run) {
      return storage.set(this.runPrefix + run.id, JSON.stringify(run));
    }

    remove(runId) {
      storage.remove(this.runPrefix + runId);
    }

    activeId() {
      return storage.get(this.activeKey);
    }

    setActive(runId) {
      if (runId) { storage.set(this.activeKey, runId); } else { storage.remove(this.activeKey); }
    }
  }

  /* ---- times: stored in UTC to the second, shown in UTC and local time ---- */

  function nowIso() {
    return new Date().toISOString().replace(/\.[0-9]+Z$/, "Z");
  }

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  /* "2026-01-31 03:12:09" */
  function utcText(iso) {
    return iso.slice(0, 10) + " " + iso.slice(11, 19);
  }

  /* "2026-01-31 04:12:09 +01:00" */
  function localText(iso) {
    const date = new Date(iso);
    const offset = -date.getTimezoneOffset();
    const sign = offset < 0 ? "-" : "+";
    const minutes = Math.abs(offset);
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + " " +
      pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) + " " +
      sign + pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60);
  }

  /* "03:12 UTC (04:12 local)", for the page */
  function shortTimes(iso) {
    return iso.slice(11, 16) + " UTC (" + localText(iso).slice(11, 16) + " local)";
  }

  /* ---- exports: checklist, timeline as Markdown, CSV and JSON ---- */

  const EVENT_NAMES = {
    start: "Run started", tick: "Done", untick: "Not done", assign: "Assigned", note: "Note",
    reset: "Ticks cleared", handoff: "Handed over", end: "Run ended"
  };

  /* Text inside a Markdown line: one line, and every character that could start markup escaped. */
  function markdownText(text) {
    return String(text).replace(/\s+/g, " ").trim().replace(/[\\`*_[\]<>|~&#$]/g, "\\$&");
  }

  /* OWASP CSV injection: a cell a spreadsheet would read as a formula starts with a quote. */
  function csvCell(value) {
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }
    return "\"" + text.replace(/"/g, "\"\"") + "\"";
  }

  function eventDetail(event) {
    switch (event.type) {
      case "assign": return event.value || "nobody";
      case "note": return event.value || "(note removed)";
      case "handoff": return event.value === "link" ? "imported from a hand-off link" : "imported from a run file";
      default: return "";
    }
  }

  /* ---- hand-off links: JSON, deflate-raw, base64url, in the URL fragment ---- */

  function toBase64Url(bytes) {
    let binary = "";
    for (let index = 0; index < bytes.length; index += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(index, index + 0x8000));
    }
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64Url(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) { throw new Error("it is not base64url"); }
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = window.atob(base64 + "===".slice((base64.length + 3) % 4));
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index += 1) { bytes[index] = binary.charCodeAt(index); }
    return bytes;
  }

  /* The bytes of a stream, refusing more than `limit` (a small link must not inflate to gigabytes). */
  async function readAll(stream, limit) {
    const reader = stream.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const part = await reader.read();
      if (part.done) { break; }
      total += part.value.length;
      if (total > limit) {
        reader.cancel().catch(function () { /* already failed */ });
        throw new Error("it is larger than " + limit + " bytes");
      }
      chunks.push(part.value);
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    chunks.forEach(function (chunk) { bytes.set(chunk, offset); offset += chunk.length; });
    return bytes;
  }

  function canCompress() {
    try {
      new CompressionStream("deflate-raw"); // eslint-disable-line no-new
      return typeof DecompressionStream === "function";
    } catch (error) {
      return false;
    }
  }

  async function pack(run) {
    const bytes = new TextEncoder().encode(JSON.stringify(run));
    if (canCompress()) {
      const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
      return "d." + toBase64Url(await readAll(stream, Infinity));
    }
    return "j." + toBase64Url(bytes);
  }

  async function unpack(text) {
    const kind = text.slice(0, 2);
    let bytes;
    try {
      bytes = fromBase64Url(text.slice(2));
    } catch (error) {
      throw new Error("the link is damaged");
    }
    if (kind === "d.") {
      if (!canCompress()) { throw new Error("this browser cannot read compressed links: import the run file instead"); }
      try {
        bytes = await readAll(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")), LIMITS.bytes);
      } catch (error) {
        throw new Error(/larger/.test(error.message) ? error.message : "the link is damaged");
      }
    } else if (kind !== "j.") {
      throw new Error("it is not a sphinx-incident hand-off link");
    }
    if (bytes.length > LIMITS.bytes) { throw new Error("it is larger than " + LIMITS.bytes + " bytes"); }
    try {
      return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch (error) {
      throw new Error("it is not JSON");
    }
  }

  /* ---- small helpers for the page ---- */

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function isHttpUrl(text) {
    try {
      const url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch (error) {
      return false;
    }
  }

  /* A link the page may follow: http(s), or relative to (and on the same scheme as) the page. */
  function safeHref(href) {
    try {
      const url = new URL(href, window.location.href);
      return ["http:", "https:", window.location.protocol].indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function download(filename, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type: type }));
    const link = element("a");
    link.href = url;
    link.download = filename;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  /* Copy `text`: the clipboard API, else a selected textarea; resolves to whether it worked. */
  function copyText(text, panel) {
    let area = panel.querySelector("textarea.incident-copy-buffer");
    if (!area) {
      area = element("textarea", "incident-copy-buffer");
      area.setAttribute("aria-hidden", "true");
      area.tabIndex = -1;
      area.readOnly = true;
      panel.appendChild(area);
    }
    area.value = text;
    function fallback() {
      area.select();
      try { return document.execCommand("copy"); } catch (error) { return false; }
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, fallback);
    }
    return Promise.resolve(fallback());
  }

  function cleanLine(text, max) {
    return Array.from(String(text).replace(/[\u0000-\u001f\u007f]+/g, " ").trim()).slice(0, max).join("").trim();
  }

  function cleanText(text, max) {
    const lines = String(text).replace(/\r\n?/g, "\n").replace(/[\u0000-\u0009\u000b-\u001f\u007f]+/g, " ");
    return Array.from(lines.trim()).slice(0, max).join("").trim();
  }

  /* ---- one runbook panel ---- */

  class Panel {
    constructor(panel) {
      this.panel = panel;
      this.runbook = panel.getAttribute("data-incident-runbook");
      this.checklist = JSON.parse(panel.querySelector("script.incident-checklist").textContent);
      this.steps = new Map((this.checklist.steps || []).map(function (step) { return [step.id, step]; }));
      this.store = new RunStore(this.runbook);
      this.runs = [];
      this.active = null;
      this.undo = null;
      this.pending = null;
      this.editing = null;
      const runbook = this.runbook;
      this.boxes = Array.prototype.slice.call(panel.parentNode.querySelectorAll("input.incident-check-input"))
        .filter(function (box) { return box.getAttribute("data-incident-runbook") === runbook; });
      this.metas = new Map();
      this.find();
      this.wire();
      this.load();
      this.refresh();
    }

    /* The panel's parts; a template without one of them just goes without its feature. */
    find() {
      const panel = this.panel;
      function part(selector) { return panel.querySelector(selector) || document.createElement("span"); }
      this.el = {
        none: part(".incident-run-none"),
        choose: part(".incident-run-choose"),
        select: part(".incident-run-select"),
        info: part(".incident-run-info"),
        newRun: part(".incident-run-new"),
        importButton: part(".incident-run-import"),
        file: part(".incident-run-file"),
        form: part(".incident-run-form"),
        name: part(".incident-run-name"),
        formCancel: part(".incident-run-form-cancel"),
        importBox: part(".incident-import"),
        importSummary: part(".incident-import-summary"),
        importAccept: part(".incident-import-accept"),
        importCancel: part(".incident-import-cancel"),
        progress: part(".incident-progress"),
        progressText: part(".incident-progress-text"),
        reset: part(".incident-reset"),
        copy: part(".incident-copy"),
        issue: part(".incident-issue"),
        tools: part(".incident-run-tools"),
        end: part(".incident-run-end"),
        remove: part(".incident-run-delete"),
        link: part(".incident-run-link"),
        handoff: part(".incident-handoff"),
        handoffLink: part(".incident-handoff-link"),
        downloadRun: part(".incident-run-download"),
        timeline: part(".incident-timeline"),
        status: part(".incident-status, .incident-copy-status"),
        undo: part(".incident-undo")
      };
      this.stepForm = this.makeStepForm();
    }

    on(node, type, handler) {
      node.addEventListener(type, handler.bind(this));
    }

    wire() {
      const el = this.el;
      this.boxes.forEach(function (box) {
        box.disabled = false;
        this.on(box, "change", function () {
          this.record(box.checked ? "tick" : "untick", box.getAttribute("data-incident-step"), null);
        });
      }, this);
      this.on(el.newRun, "click", this.openStartForm);
      this.on(el.formCancel, "click", this.closeStartForm);
      this.on(el.form, "submit", function (event) {
        event.preventDefault();
        this.startRun(cleanLine(el.name.value, LIMITS.name) || this.defaultName(nowIso()), true);
      });
      this.on(el.form, "keydown", function (event) { if (event.key === "Escape") { this.closeStartForm(); } });
      this.on(el.select, "change", function () { this.switchTo(el.select.value); });
      this.on(el.importButton, "click", function () { el.file.value = ""; el.file.click(); });
      this.on(el.file, "change", this.readFile);
      this.on(el.importAccept, "click", this.acceptImport);
      this.on(el.importCancel, "click", function () { this.closeImport("Nothing was imported."); });
      this.on(el.reset, "click", this.reset);
      this.on(el.copy, "click", this.copy);
      this.on(el.issue, "click", this.openIssue);
      this.on(el.end, "click", this.endRun);
      this.on(el.remove, "click", this.deleteRun);
      this.on(el.link, "click", this.copyLink);
      this.on(el.downloadRun, "click", this.downloadRun);
      this.on(el.undo, "click", this.applyUndo);
      this.on(el.tools, "toggle", this.refreshTimeline);
      Array.prototype.forEach.call(this.panel.querySelectorAll(".incident-timeline-export"), function (button) {
        this.on(button, "click", function () { this.exportTimeline(button.getAttribute("data-incident-format")); });
      }, this);
      const template = this.panel.getAttribute("data-incident-issue-url");
      el.issue.hidden = !(template && this.checklist.issue && isHttpUrl(template.replace(/\{(title|body)\}/g, "")));
      window.addEventListener("storage", function (event) {
        if (event.storageArea === window.localStorage && this.store.owns(event.key)) { this.load(); this.refresh(); }
      }.bind(this));
    }

    /* ---- runs ---- */

    load() {
      this.migrate();
      this.runs = this.store.runs();
      const wanted = this.store.activeId();
      const open = this.runs.filter(function (run) { return stateOf(run).ended === null; });
      this.active = this.runs.find(function (run) { return run.id === wanted; }) ||
        open[open.length - 1] || this.runs[this.runs.length - 1] || null;
    }

    /* Ticks saved by versions before runs ({step id: time} under the runbook's key) become a first run. */
    migrate() {
      const raw = storage.get(this.store.legacyKey);
      if (raw === null) { return; }
      let ticks = null;
      try { ticks = JSON.parse(raw); } catch (error) { return; }
      if (!isObject(ticks)) { return; }
      const entries = Object.keys(ticks)
        .filter(function (step) { return isId(step) && isTime(ticks[step]); })
        .map(function (step) { return [ticks[step], step]; })
        .sort();
      if (!entries.length) { storage.remove(this.store.legacyKey); return; }
      const run = this.newRun(this.defaultName(entries[0][0]), entries[0][0]);
      entries.slice(0, LIMITS.events - 1).forEach(function (entry) {
        run.events.push({ time: entry[0], type: "tick", step: entry[1], value: null });
      });
      if (runProblem(run, this.runbook) === null && this.store.save(run)) {
        storage.remove(this.store.legacyKey);
        this.store.setActive(run.id);
      }
    }

    defaultName(iso) {
      return cleanLine(this.checklist.title || this.runbook, LIMITS.name - 24) + " — " + utcText(iso).slice(0, 16) + " UTC";
    }

    newRun(name, started) {
      const random = new Uint32Array(1);
      window.crypto.getRandomValues(random);
      const now = new Date().toISOString();
      const stamp = started.slice(0, 19) === now.slice(0, 19) ? now : started;
      return {
        format: FORMAT,
        version: VERSION,
        runbook: this.runbook,
        id: stamp.replace(/[-:.]/g, "") + "-" + random[0].toString(36),
        name: name,
        events: [{ time: started, type: "start", step: null, value: null }]
      };
    }

    save(run) {
      if (!this.store.save(run)) {
        this.say("The browser did not let the page save this change: it lasts until the page is left.");
      }
    }

    /* A new run, made active; `fromForm` when asked for, else it is started by a first tick
     * and the focus stays where the user is. */
    startRun(name, fromForm) {
      const run = this.newRun(name, nowIso());
      this.save(run);
      this.runs = sortRuns(this.runs.concat([run]));
      this.activate(run);
      this.closeStartForm(true);
      this.clearUndo();
      this.say("Started the run “" + name + "”.");
      this.refresh();
      if (fromForm) { this.el.select.focus(); }
      return run;
    }

    activate(run) {
      this.active = run;
      this.store.setActive(run ? run.id : null);
    }

    switchTo(runId) {
      const run = this.runs.find(function (candidate) { return candidate.id === runId; });
      if (!run) { return; }
      this.activate(run);
      this.clearUndo();
      this.closeStepForm();
      this.say("Switched to the run “" + run.name + "”.");
      this.refresh();
    }

    isOpen() {
      return this.active !== null && stateOf(this.active).ended === null;
    }

    /* Add events ([type, step, value]) to the active run; with no run, a first tick starts one. */
    record(type, step, value) {
      return this.append([[type, step, value]]);
    }

    append(changes) {
      if (!this.isOpen()) {
        if (this.active !== null) { this.refresh(); return false; } // an ended run is read-only
        this.startRun(this.defaultName(nowIso()), false);
      }
      const run = this.active;
      /* room is kept for a hand-off and an end event, so a full run can still end */
      const room = LIMITS.events - (changes[0][0] === "end" ? 0 : 2) - run.events.length;
      if (changes.length > room) {
        this.say("This run has reached " + LIMITS.events + " events: end it and start another run.");
        this.refresh();
        return false;
      }
      const time = nowIso();
      changes.forEach(function (change) {
        run.events.push({ time: time, type: change[0], step: change[1], value: change[2] });
      });
      this.save(run);
      this.clearUndo();
      this.refresh();
      return true;
    }

    endRun() {
      if (!this.isOpen()) { return; }
      const before = this.active.events.length;
      if (!this.record("end", null, null)) { return; }
      this.offerUndo("Ended the run “" + this.active.name + "”: it is kept, read-only.", before);
    }

    deleteRun() {
      const run = this.active;
      if (!run) { return; }
      const question = "Delete the run “" + run.name + "” and its timeline (" + run.events.length +
        " events) from this browser? This cannot be undone.";
      if (!window.confirm(question)) { this.say("The run was kept."); return; }
      this.store.remove(run.id);
      this.runs = this.runs.filter(function (other) { return other !== run; });
      const open = this.runs.filter(function (other) { return stateOf(other).ended === null; });
      this.activate(open[open.length - 1] || this.runs[this.runs.length - 1] || null);
      this.clearUndo();
      this.closeStepForm();
      this.say("Deleted the run “" + run.name + "”.");
      this.refresh();
      (this.runs.length ? this.el.select : this.el.newRun).focus();
    }

    reset() {
      if (!this.isOpen() || stateOf(this.active).done.size === 0) { return; }
      const before = this.active.events.length;
      if (!this.record("reset", null, null)) { return; }
      this.offerUndo("Cleared every tick of this run.", before);
    }

    /* Undo takes the run back to its first `length` events, while nothing else happened since. */
    offerUndo(message, length) {
      this.undo = { run: this.active, length: length };
      this.say(message);
      this.el.undo.hidden = false;
    }

    clearUndo() {
      this.undo = null;
      this.el.undo.hidden = true;
    }

    applyUndo() {
      const undo = this.undo;
      this.clearUndo();
      if (!undo || this.runs.indexOf(undo.run) < 0) { this.say("Nothing to undo: the run changed in another tab."); return; }
      undo.run.events.length = undo.length;
      this.save(undo.run);
      this.activate(undo.run);
      this.say("Undone.");
      this.refresh();
      this.el.reset.focus();
    }

    openStartForm() {
      const el = this.el;
      if (!el.form.hidden) { this.closeStartForm(); return; }
      el.form.hidden = false;
      el.newRun.setAttribute("aria-expanded", "true");
      el.name.value = this.defaultName(nowIso());
      el.name.focus();
      el.name.select();
    }

    closeStartForm(started) {
      const el = this.el;
      const wasOpen = !el.form.hidden;
      el.form.hidden = true;
      el.newRun.setAttribute("aria-expanded", "false");
      if (wasOpen && started !== true) { el.newRun.focus(); }
    }

    /* ---- the page: boxes, step details, progress, run bar ---- */

    refresh() {
      const el = this.el;
      const state = this.active ? stateOf(this.active) : null;
      const readOnly = state !== null && state.ended !== null;
      let done = 0;
      this.boxes.forEach(function (box) {
        const stepId = box.getAttribute("data-incident-step");
        const when = state ? state.done.get(stepId) : undefined;
        box.checked = Boolean(when);
        box.disabled = readOnly;
        box.title = when ? "Done " + when : "";
        if (box.checked) { done += 1; }
        const step = box.closest(".incident-step");
        if (step) { step.classList.toggle("incident-step-done", box.checked); }
        this.refreshStep(box, stepId, state, readOnly);
      }, this);
      el.progress.value = done;
      const progress = done + " of " + this.boxes.length + " done";
      if (el.progressText.textContent !== progress) { el.progressText.textContent = progress; }

      el.none.hidden = this.runs.length > 0;
      el.choose.hidden = this.runs.length === 0;
      this.refreshSelect();
      el.info.textContent = !state ? "" : state.ended
        ? "Ended " + shortTimes(state.ended) + ": read-only."
        : "Started " + shortTimes(state.started) + ".";
      el.newRun.textContent = this.runs.length ? "Start another run" : "Start an incident run";
      el.reset.disabled = !(state && !readOnly && done > 0);
      el.tools.hidden = !this.active;
      el.end.hidden = readOnly;
      if (!this.active) { el.handoff.hidden = true; }
      this.panel.classList.toggle("incident-has-run", Boolean(this.active));
      this.refreshTimeline();
    }

    refreshSelect() {
      const select = this.el.select;
      const signature = this.runs.map(function (run) {
        return run.id + (stateOf(run).ended ? "!" : "") + run.name;
      }).join("\n");
      if (select.getAttribute("data-incident-runs") !== signature) {
        select.setAttribute("data-incident-runs", signature);
        select.textContent = "";
        this.runs.forEach(function (run) {
          const ended = stateOf(run).ended;
          const option = element("option", "", run.name + (ended ? " (ended)" : ""));
          option.value = run.id;
          select.appendChild(option);
        });
      }
      if (this.active) { select.value = this.active.id; }
    }

    /* At the end of a step's first line, in an open run: a button to assign it or note on it.
     * Below that line: its owner role, and in a run its tick time, assignee and note. */
    refreshStep(box, stepId, state, readOnly) {
      let parts = this.metas.get(box);
      if (!parts) {
        parts = { meta: element("div", "incident-step-meta"), edit: element("button", "incident-step-edit") };
        parts.edit.type = "button";
        parts.edit.setAttribute("aria-expanded", "false");
        this.on(parts.edit, "click", function () { this.openStepForm(box, stepId, parts.edit); });
        const line = box.closest("p");
        if (line && line.parentNode) {
          line.appendChild(parts.edit);
          line.parentNode.insertBefore(parts.meta, line.nextSibling);
        } else {
          const step = box.closest(".incident-step") || box.parentNode;
          step.appendChild(parts.meta);
          parts.meta.appendChild(parts.edit);
        }
        this.metas.set(box, parts);
      }
      const step = this.steps.get(stepId);
      const who = state ? state.assignee.get(stepId) : undefined;
      const note = state ? state.note.get(stepId) : undefined;
      const edit = parts.edit;
      edit.hidden = !state || readOnly;
      edit.textContent = who || note ? "Edit assignment or note" : "Assign or note";
      edit.setAttribute("aria-label", edit.textContent + ": " + (step ? step.label : stepId));
      if (this.editing && this.editing.box === box) { return; } // keep the open form as it is
      const meta = parts.meta;
      Array.prototype.slice.call(meta.childNodes).forEach(function (child) {
        if (child !== edit) { child.remove(); }
      });
      const owner = step && step.owner;
      if (owner && owner.text) {
        const part = element("span", "incident-step-owner", "Owner: ");
        const href = owner.url ? safeHref(owner.url) : null;
        let name = element("span", "", owner.text);
        if (href) {
          name = element("a", "", owner.text);
          name.href = href;
        }
        part.appendChild(name);
        meta.insertBefore(part, edit.parentNode === meta ? edit : null);
      }
      if (state) {
        const when = state.done.get(stepId);
        const details = [];
        if (when) { details.push(element("span", "incident-step-when", "Done " + shortTimes(when))); }
        if (who) { details.push(element("span", "incident-step-assignee", "Assigned to " + who)); }
        if (note) { details.push(element("span", "incident-step-note", "Note: " + note)); }
        details.forEach(function (detail) { meta.insertBefore(detail, edit.parentNode === meta ? edit : null); });
      }
      meta.hidden = !Array.prototype.some.call(meta.childNodes, function (child) { return child !== edit || !edit.hidden; });
    }

    makeStepForm() {
      const form = element("form", "incident-step-form");
      const who = element("label", "", "Assigned to ");
      const whoInput = element("input", "incident-step-assignee-input");
      whoInput.type = "text";
      whoInput.maxLength = LIMITS.assignee;
      whoInput.autocomplete = "off";
      who.appendChild(whoInput);
      const note = element("label", "", "Note ");
      const noteInput = element("textarea", "incident-step-note-input");
      noteInput.rows = 2;
      noteInput.maxLength = LIMITS.note;
      note.appendChild(noteInput);
      const save = element("button", "incident-step-save", "Save");
      save.type = "submit";
      const cancel = element("button", "incident-step-cancel", "Cancel");
      cancel.type = "button";
      const buttons = element("span", "incident-step-form-buttons");
      buttons.appendChild(save);
      buttons.appendChild(cancel);
      form.appendChild(who);
      form.appendChild(note);
      form.appendChild(buttons);
      this.on(form, "submit", function (event) {
        event.preventDefault();
        this.saveStepForm(cleanLine(whoInput.value, LIMITS.assignee), cleanText(noteInput.value, LIMITS.note));
      });
      this.on(cancel, "click", function () { this.closeStepForm(true); });
      this.on(form, "keydown", function (event) { if (event.key === "Escape") { this.closeStepForm(true); } });
      this.formInputs = { who: whoInput, note: noteInput };
      return form;
    }

    openStepForm(box, stepId, button) {
      this.closeStepForm();
      const state = stateOf(this.active);
      const meta = this.metas.get(box).meta;
      this.editing = { box: box, stepId: stepId };
      button.setAttribute("aria-expanded", "true");
      this.formInputs.who.value = state.assignee.get(stepId) || "";
      this.formInputs.note.value = state.note.get(stepId) || "";
      const step = this.steps.get(stepId);
      this.stepForm.setAttribute("aria-label", "Assignment and note: " + (step ? step.label : stepId));
      meta.appendChild(this.stepForm);
      meta.hidden = false;
      this.formInputs.who.focus();
    }

    closeStepForm(refocus) {
      const editing = this.editing;
      if (!editing) { return; }
      this.editing = null;
      this.stepForm.remove();
      this.refresh();
      if (refocus) { this.metas.get(editing.box).edit.focus(); }
    }

    saveStepForm(who, note) {
      const editing = this.editing;
      if (!editing || !this.isOpen()) { this.closeStepForm(true); return; }
      const state = stateOf(this.active);
      const changes = [];
      if (who !== (state.assignee.get(editing.stepId) || "")) { changes.push(["assign", editing.stepId, who]); }
      if (note !== (state.note.get(editing.stepId) || "")) { changes.push(["note", editing.stepId, note]); }
      this.editing = null;
      this.stepForm.remove();
      if (!changes.length) {
        this.say("Nothing changed.");
        this.refresh();
      } else if (this.append(changes)) {
        this.say("Saved.");
      }
      this.metas.get(editing.box).edit.focus();
    }

    refreshTimeline() {
      const list = this.el.timeline;
      if (!this.active || !this.el.tools.open) { return; }
      list.textContent = "";
      this.timelineRows(this.active).forEach(function (row) {
        const item = element("li");
        const time = element("time", "", row.utc + " UTC");
        time.dateTime = row.time;
        item.appendChild(time);
        const local = row.local.slice(0, 10) === row.utc.slice(0, 10) ? row.local.slice(11, 19) : row.local.slice(0, 19);
        item.appendChild(element("span", "incident-timeline-local", " (" + local + " local)"));
        item.appendChild(document.createTextNode(" " + row.event + (row.label ? ": " + row.label : "") +
          (row.detail ? " — " + row.detail : "")));
        list.appendChild(item);
      });
    }

    say(message) {
      this.el.status.textContent = message;
    }

    /* ---- exports ---- */

    siteRoot() {
      return new URL(this.checklist.siteRoot || "./", window.location.href).href;
    }

    runbookUrl() {
      return window.location.href.split("#")[0] + (this.checklist.anchor ? "#" + this.checklist.anchor : "");
    }

    label(stepId) {
      const step = stepId ? this.steps.get(stepId) : null;
      return step ? step.label : stepId || "";
    }

    timelineRows(run) {
      return run.events.map(function (event) {
        return {
          time: event.time,
          utc: utcText(event.time),
          local: localText(event.time),
          type: event.type,
          event: EVENT_NAMES[event.type],
          step: event.step || "",
          label: this.label(event.step),
          value: event.value,
          detail: eventDetail(event)
        };
      }, this);
    }

    timelineMarkdown(run) {
      const state = stateOf(run);
      const lines = [
        "## Timeline: " + markdownText(run.name),
        "",
        "Runbook: [" + markdownText(this.checklist.title || this.runbook) + "](<" + this.runbookUrl().replace(/[<>\s]/g, encodeURIComponent) + ">)  ",
        "Started " + utcText(state.started) + " UTC (" + localText(state.started) + " local)" +
          (state.ended ? ", ended " + utcText(state.ended) + " UTC (" + localText(state.ended) + " local)" : ""),
        "",
        "| Time (UTC) | Local time | Event | Step | Detail |",
        "| --- | --- | --- | --- | --- |"
      ];
      this.timelineRows(run).forEach(function (row) {
        lines.push("| " + [row.utc, row.local, row.event, row.label, row.detail].map(markdownText).join(" | ") + " |");
      });
      return lines.join("\n") + "\n";
    }

    timelineCsv(run) {
      const rows = [["time_utc", "time_local", "event", "step", "step_label", "detail"]];
      this.timelineRows(run).forEach(function (row) {
        rows.push([row.time, row.local, row.type, row.step, row.label, row.value === null ? "" : row.value]);
      });
      return rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
    }

    timelineJson(run) {
      const state = stateOf(run);
      return JSON.stringify({
        format: "sphinx-incident-timeline",
        version: VERSION,
        runbook: { id: this.runbook, title: this.checklist.title || this.runbook, url: this.runbookUrl() },
        run: { id: run.id, name: run.name, started: state.started, ended: state.ended },
        events: this.timelineRows(run).map(function (row) {
          return { time: row.time, time_local: row.local, type: row.type, step: row.step || null, step_label: row.label || null, value: row.value };
        })
      }, null, 2) + "\n";
    }

    exportTimeline(format) {
      const run = this.active;
      if (!run) { return; }
      const base = this.runbook + "-" + run.id + "-timeline";
      if (format === "csv") {
        download(base + ".csv", "text/csv;charset=utf-8", this.timelineCsv(run));
      } else if (format === "json") {
        download(base + ".json", "application/json", this.timelineJson(run));
      } else {
        download(base + ".md", "text/markdown;charset=utf-8", this.timelineMarkdown(run));
      }
      this.say("Downloaded the timeline (" + run.events.length + " events).");
    }

    /* The Markdown checklist (as `sphinx-incident export` gives it) with the run's ticks,
     * assignments and notes, then the run's timeline. */
    checklistText() {
      const checklist = this.checklist;
      const root = this.siteRoot();
      const state = this.active ? stateOf(this.active) : null;
      const text = checklist.lines.map(function (line) {
        let out = line.text.split(checklist.placeholder + "/").join(root);
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
      return this.active ? text + "\n" + this.timelineMarkdown(this.active) : text;
    }

    copy() {
      const text = this.checklistText();
      copyText(text, this.panel).then(function (copied) {
        this.say(copied ? "Copied" + (this.active ? " the checklist and the run's timeline." : ".") : "Select and copy the text below.");
      }.bind(this));
    }

    /* ---- a new issue in the tracker named by incident_issue_url ---- */

    openIssue() {
      const template = this.panel.getAttribute("data-incident-issue-url") || "";
      const issue = this.checklist.issue;
      if (!issue) { return; }
      const title = this.active ? this.active.name : issue.title;
      const body = issue.body.split(this.checklist.placeholder + "/").join(this.siteRoot());
      function fill(text) {
        return template.replace(/\{(title|body)\}/g, function (match, key) {
          return encodeURIComponent(key === "title" ? title : text);
        });
      }
      const full = fill(body);
      if (!isHttpUrl(full)) { this.say("The issue tracker's address is not an http(s) URL."); return; }
      if (full.length <= MAX_ISSUE_URL) {
        this.openWindow(full, "Opened the new-issue page.");
        return;
      }
      const short = fill("");
      copyText(body, this.panel).then(function (copied) {
        this.openWindow(short, copied
          ? "The checklist is too long for a link: it is on the clipboard, paste it into the new issue."
          : "The checklist is too long for a link: copy it from “Copy as Markdown checklist” into the new issue.");
      }.bind(this));
    }

    openWindow(url, message) {
      const opened = window.open(url, "_blank");
      if (opened) {
        opened.opener = null;
        this.say(message);
        return;
      }
      this.say(message + " The browser blocked the new window: ");
      const link = element("a", "", "open the new-issue page");
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      this.el.status.appendChild(link);
    }

    /* ---- hand-off ---- */

    copyLink() {
      const run = this.active;
      if (!run) { return; }
      pack(run).then(function (packed) {
        const url = window.location.href.split("#")[0] + "#" + FRAGMENT + packed;
        this.el.handoff.hidden = false;
        this.el.handoffLink.value = url;
        return copyText(url, this.panel).then(function (copied) {
          this.say((copied ? "Copied the hand-off link" : "Select and copy the hand-off link") +
            " (" + url.length + " characters). Opening it restores the run in another browser.");
          if (!copied) { this.el.handoffLink.select(); }
        }.bind(this));
      }.bind(this), function (error) {
        this.say("The hand-off link could not be made: " + error.message + ".");
      }.bind(this));
    }

    downloadRun() {
      const run = this.active;
      if (!run) { return; }
      download(this.runbook + "-" + run.id + ".json", "application/json", JSON.stringify(run, null, 2) + "\n");
      this.say("Downloaded the run file: import it on another machine to hand the run over.");
    }

    readFile() {
      const file = this.el.file.files && this.el.file.files[0];
      if (!file) { return; }
      if (file.size > LIMITS.bytes) { this.refuse("the file is larger than " + LIMITS.bytes + " bytes"); return; }
      file.text().then(function (text) {
        let data;
        try { data = JSON.parse(text); } catch (error) { this.refuse("it is not JSON"); return; }
        this.preview(data, "file");
      }.bind(this), function () { this.refuse("the file could not be read"); }.bind(this));
    }

    refuse(reason) {
      this.closeImport();
      this.say("Nothing was imported: " + reason + ".");
    }

    /* Show what an import would bring in; nothing is saved before "Import this run". */
    preview(data, source) {
      const problem = runProblem(data, this.runbook);
      if (problem) { this.refuse(problem); return false; }
      const state = stateOf(data);
      const known = this.steps;
      const unknown = data.events.filter(function (event) { return event.step !== null && !known.has(event.step); }).length;
      const mine = this.runs.find(function (run) { return run.id === data.id; });
      const parts = [
        "Import the run “" + data.name + "”, started " + shortTimes(state.started) +
          (state.ended ? " and ended " + shortTimes(state.ended) : "") + "?",
        state.done.size + " of " + this.boxes.length + " steps done, " + state.assignee.size + " assigned, " +
          state.note.size + " with notes, " + data.events.length + " events."
      ];
      if (mine) { parts.push("It replaces this browser's copy of the run (" + mine.events.length + " events)."); }
      if (unknown) { parts.push(unknown + " of its events name steps this version of the runbook does not have."); }
      this.pending = { run: data, source: source };
      this.el.importSummary.textContent = parts.join(" ");
      this.el.importBox.hidden = false;
      this.el.status.textContent = "";
      this.el.importAccept.focus();
      return true;
    }

    acceptImport() {
      const pending = this.pending;
      if (!pending) { return; }
      const run = pending.run;
      if (stateOf(run).ended === null && run.events.length < LIMITS.events) {
        run.events.push({ time: nowIso(), type: "handoff", step: null, value: pending.source });
      }
      this.save(run);
      this.runs = sortRuns(this.runs.filter(function (other) { return other.id !== run.id; }).concat([run]));
      this.activate(run);
      this.clearUndo();
      this.closeImport("Imported the run “" + run.name + "”.");
      this.refresh();
      this.el.select.focus();
    }

    closeImport(message) {
      this.pending = null;
      this.el.importBox.hidden = true;
      clearFragment();
      if (message) { this.say(message); }
    }
  }

  /* ---- hand-off links: #incident-run=... opens an import preview in the run's panel ---- */

  function clearFragment() {
    if (window.location.hash.indexOf("#" + FRAGMENT) === 0) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }

  function readFragment(panels) {
    const hash = window.location.hash;
    if (hash.indexOf("#" + FRAGMENT) !== 0 || !panels.length) { return; }
    const packed = hash.slice(FRAGMENT.length + 1);
    unpack(packed).then(function (data) {
      const problem = runProblem(data);
      const target = problem ? null : panels.find(function (panel) { return panel.runbook === data.runbook; });
      if (target) {
        target.panel.scrollIntoView();
        target.preview(data, "link");
        return;
      }
      panels[0].refuse(problem ? problem : "the hand-off link is for a runbook that is not on this page");
      panels[0].panel.scrollIntoView();
    }, function (error) {
      panels[0].refuse("the hand-off link could not be read, " + error.message);
      panels[0].panel.scrollIntoView();
    });
  }

  function start() {
    document.documentElement.classList.add("incident-js");
    const panels = [];
    Array.prototype.forEach.call(document.querySelectorAll(".incident-panel"), function (node) {
      try {
        panels.push(new Panel(node));
      } catch (error) {
        /* a panel whose data cannot be read stays as printed; the others still work */
        if (window.console) { window.console.error("sphinx-incident:", error); }
      }
    });
    readFragment(panels);
    window.addEventListener("hashchange", function () { readFragment(panels); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
