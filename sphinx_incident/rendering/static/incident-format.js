/* sphinx-incident: the storage format of an incident run, and its rules. No DOM.
 *
 * A run is {format, version, runbook, id, name, events}: an event log that merges. Each
 * event has a unique `id`, a `time` (UTC to the second, by the clock of the device that
 * recorded it), a `type` and a `seq` (one more than the largest seq the device had seen:
 * events sorted by seq, then id, come after every event their device knew of). Besides,
 * as its type allows: `author` (who recorded it), `offset` (that device's clock minus a
 * reference clock, in seconds, when known), `step` and `fingerprint` (the step it is
 * about, by id and by a digest of what the step said: incident-bind.js), `value`, `role`,
 * `at` (the time an entry or milestone is about, when it is not the recording time) and
 * `prev` (the events of the same field the device knew of, which this one replaces: two
 * edits that replace the same one are a conflict, shown and not dropped).
 *
 * The form has the same rules in localStorage, in a run file and in a hand-off link,
 * where fields at their default (null, or an empty `prev`) are left out (compactRun).
 * Whatever is read back goes through readRun() before anything else sees it: a run of an
 * older version is brought to this one (version 1 had no fingerprints, versions 1 and 2
 * no event ids: their events get ids made from their content), then checked against the
 * rules of sphinx_incident/schema/incident-run.schema.json, and ones the schema cannot
 * say (one start, first; events in order; ids unique; an open run keeps room for its
 * end). Keys are compared as own keys, so "__proto__" in a file is just an unexpected key.
 *
 * Registers globalThis.sphinxIncident.format (see sphinx-incident.js for why the page's
 * scripts are classic scripts sharing one namespace object). */
(function (ns) {
  "use strict";

  const FORMAT = "sphinx-incident-run";
  const VERSION = 3;
  /* the schema's maxLength and maxItems, and the largest run a file or link may carry */
  const LIMITS = Object.freeze({ name: 200, assignee: 200, note: 2000, events: 5000, id: 1000, prev: 16, bytes: 1048576 });
  const MILESTONES = Object.freeze(["detected", "acknowledged", "mitigated", "resolved"]);
  const RUN_KEYS = ["events", "format", "id", "name", "runbook", "version"];
  /* every event may have these; the first four it must have */
  const COMMON = ["id", "time", "type", "seq", "author", "offset"];
  /* the fields of an event besides COMMON, by type; each left out is at its default */
  const FIELDS = {
    start: [], end: [], reset: [], reopen: [],
    handoff: ["value"], undo: ["value"],
    tick: ["step", "fingerprint"], untick: ["step", "fingerprint"],
    assign: ["step", "fingerprint", "value", "prev"], note: ["step", "fingerprint", "value", "prev"],
    rebind: ["step", "fingerprint", "value"],
    role: ["role", "value", "prev"],
    milestone: ["value", "at", "prev"],
    entry: ["value", "at", "prev"]
  };
  const DEFAULTS = { author: null, offset: null, step: null, fingerprint: null, value: null, role: null, at: null, prev: [] };
  const OLDER_EVENT_KEYS = { 1: ["step", "time", "type", "value"], 2: ["fingerprint", "step", "time", "type", "value"] };
  const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
  const EVENT_ID = /^[A-Za-z0-9_-]{4,64}$/;
  const TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$/;
  const FINGERPRINT = /^[0-9a-f]{12}$/;
  const NOT_IN_ID = /[/\\<>"'&\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/u;
  const CONTROL = /[\u0000-\u001f\u007f]/;
  const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f]/;
  /* a clock offset larger than ten years is no clock */
  const MAX_OFFSET = 315576000;

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  /* `object` has exactly `keys` (sorted) as its own keys */
  function hasKeys(object, keys) {
    const found = Object.keys(object).sort();
    return found.length === keys.length && found.every(function (key, index) { return key === keys[index]; });
  }

  /* JSON Schema counts characters as code points */
  function codePoints(text) {
    return Array.from(text).length;
  }

  /* one line: a name or an assignee */
  function isLine(value, max) {
    return typeof value === "string" && codePoints(value) <= max && !CONTROL.test(value);
  }

  /* a short text that may have line breaks: a note */
  function isText(value, max) {
    return typeof value === "string" && codePoints(value) <= max && !CONTROL_BUT_NEWLINE.test(value);
  }

  /* a runbook or step id, as in runbooks.json */
  function isId(value) {
    return typeof value === "string" && value.length > 0 && codePoints(value) <= LIMITS.id && !NOT_IN_ID.test(value);
  }

  function isEventId(value) {
    return typeof value === "string" && EVENT_ID.test(value);
  }

  /* a step's fingerprint, as in the page's data; null where it was not recorded */
  function isFingerprint(value) {
    return value === null || (typeof value === "string" && FINGERPRINT.test(value));
  }

  /* UTC to the second, and a real date ("2026-02-30T..." is not) */
  function isTime(value) {
    if (typeof value !== "string" || !TIME.test(value)) { return false; }
    const parsed = new Date(value);
    return !isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) + "Z" === value;
  }

  /* 16 hex digits of two FNV-1a hashes of `text`: for ids made from content, never for secrets */
  function digest(text) {
    return [2166136261, 0x9e3779b9].map(function (seed) {
      let hash = seed >>> 0;
      for (let index = 0; index < text.length; index += 1) {
        hash = Math.imul(hash ^ text.charCodeAt(index), 16777619) >>> 0;
      }
      return hash.toString(16).padStart(8, "0");
    }).join("");
  }

  /* ---- one event ---- */

  /* `event` with every field its type has, those left out at their default */
  function expandEvent(event) {
    const full = { id: event.id, time: event.time, type: event.type, seq: event.seq };
    Object.keys(DEFAULTS).forEach(function (key) {
      full[key] = own(event, key) ? event[key] : DEFAULTS[key];
    });
    return full;
  }

  /* `event` without the fields at their default, and without those its type does not have */
  function compactEvent(event) {
    const out = { id: event.id, time: event.time, type: event.type, seq: event.seq };
    const fields = ["author", "offset"].concat(FIELDS[event.type] || []);
    fields.forEach(function (key) {
      const value = event[key];
      if (value !== null && value !== undefined && !(key === "prev" && value.length === 0)) { out[key] = value; }
    });
    return out;
  }

  function compactRun(run) {
    return Object.assign({}, run, { events: run.events.map(compactEvent) });
  }

  function commonProblem(event) {
    if (!isEventId(event.id)) { return "an event has no valid id"; }
    if (!isTime(event.time)) { return "an event has no valid time"; }
    if (!Number.isSafeInteger(event.seq) || event.seq < 1) { return "an event has no valid sequence number"; }
    if (event.author !== null && !(isLine(event.author, LIMITS.name) && event.author.length > 0)) { return "an event has no valid author"; }
    if (event.offset !== null && !(Number.isSafeInteger(event.offset) && Math.abs(event.offset) <= MAX_OFFSET)) {
      return "an event has no valid clock offset";
    }
    const prev = event.prev;
    if (!Array.isArray(prev) || prev.length > LIMITS.prev || !prev.every(isEventId) || new Set(prev).size !== prev.length) {
      return "an event replaces no valid events";
    }
    return event.at === null || isTime(event.at) ? null : "an event is about no valid time";
  }

  /* Why the fields of `event` (expanded) do not fit its type, or null. */
  function typeProblem(event) {
    const onStep = isId(event.step) && isFingerprint(event.fingerprint);
    switch (event.type) {
      case "start": case "end": case "reset": case "reopen":
        return null;
      case "handoff":
        return event.value === "link" || event.value === "file" ? null : "a hand-off event is not valid";
      case "undo":
        return isEventId(event.value) ? null : "an undo names no valid event";
      case "tick": case "untick":
        return onStep ? null : "a tick names no valid step";
      case "assign":
        return onStep && isLine(event.value, LIMITS.assignee) ? null : "an assignment is not valid";
      case "note":
        return onStep && isText(event.value, LIMITS.note) ? null : "a note is not valid";
      case "rebind":
        return rebindProblem(event);
      case "role":
        return isLine(event.role, LIMITS.name) && event.role.length > 0 && isLine(event.value, LIMITS.assignee)
          ? null : "a role assignment is not valid";
      case "milestone":
        return MILESTONES.indexOf(event.value) >= 0 ? null : "a milestone is not valid";
      default: // entry
        return isText(event.value, LIMITS.note) ? null : "a timeline entry is not valid";
    }
  }

  /* A rebind says where the events of a step that changed belong now: on `step` (with its
   * fingerprint), or on no step (both null); `value` names the step as the events do. */
  function rebindProblem(event) {
    const from = event.value;
    const valid = isObject(from) && hasKeys(from, ["fingerprint", "step"]) && isId(from.step) && isFingerprint(from.fingerprint) &&
      (event.step === null ? event.fingerprint === null : isId(event.step) && event.fingerprint !== null && isFingerprint(event.fingerprint));
    return valid ? null : "a rebind is not valid";
  }

  /* Why `event` (as stored: fields at their default may be left out) is not valid, or null. */
  function eventProblem(event) {
    if (!isObject(event) || !own(FIELDS, event.type)) {
      return isObject(event) && own(event, "type") ? "an event has an unknown type" : "an event is not of the expected form";
    }
    const allowed = COMMON.concat(FIELDS[event.type]);
    const keys = Object.keys(event);
    if (!keys.every(function (key) { return allowed.indexOf(key) >= 0; }) ||
        !["id", "time", "type", "seq"].every(function (key) { return own(event, key); })) {
      return "an event is not of the expected form";
    }
    const full = expandEvent(event);
    return commonProblem(full) || typeProblem(full);
  }

  /* ---- the list of events ---- */

  /* events in the order of a run: by seq, then id */
  function compareEvents(a, b) {
    return a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  /* whether the last end or reopen of `events` is an end */
  function endsEnded(events) {
    for (let index = events.length - 1; index >= 0; index -= 1) {
      if (events[index].type === "end") { return true; }
      if (events[index].type === "reopen") { return false; }
    }
    return false;
  }

  /* Why `events` is not a run's list of events, or null: one start, first; in order; ids
   * unique; room for the end in an open run. */
  function eventsProblem(events) {
    if (!Array.isArray(events) || events.length === 0 || events.length > LIMITS.events) {
      return "it has no valid list of events";
    }
    const ids = new Set();
    for (let index = 0; index < events.length; index += 1) {
      const problem = eventProblem(events[index]);
      if (problem) { return problem + " (event " + (index + 1) + ")"; }
      if ((index === 0) !== (events[index].type === "start")) { return "a run begins with its one start event"; }
      if (index > 0 && compareEvents(events[index - 1], events[index]) >= 0) { return "its events are not in order"; }
      if (ids.has(events[index].id)) { return "two of its events have one id"; }
      ids.add(events[index].id);
    }
    if (!endsEnded(events) && events.length > LIMITS.events - 1) {
      return "an open run has at most " + (LIMITS.events - 1) + " events, so that it can end";
    }
    return null;
  }

  /* Why `data` (as stored) is not a run of this version of `runbookId` (any runbook when
   * undefined), or null. */
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
    return eventsProblem(data.events);
  }

  /* ---- older versions ---- */

  /* The events of a version 1 or 2 run in this version's form: an id made from the run's id,
   * the position and the content (two browsers bringing up copies of one run agree on it),
   * a seq by position, and, for assignments and notes, the previous one of their step. */
  function upgradeEvents(runId, events) {
    const last = new Map();
    return events.map(function (event, index) {
      const id = "v" + digest(runId + " " + index + " " + JSON.stringify(event)).slice(0, 15);
      const out = { id: id, time: event.time, type: event.type, seq: index + 1 };
      if (event.step !== null) { out.step = event.step; }
      if (event.fingerprint) { out.fingerprint = event.fingerprint; }
      if (event.value !== null) { out.value = event.value; }
      if (event.type === "assign" || event.type === "note") {
        const key = event.type + " " + event.step;
        if (last.has(key)) { out.prev = [last.get(key)]; }
        last.set(key, id);
      }
      return out;
    });
  }

  /* A run of an older version in this version's stored form, or null when it is not one
   * (readRun then checks the result). */
  function upgrade(data) {
    const keys = isObject(data) && data.format === FORMAT && own(OLDER_EVENT_KEYS, data.version)
      ? OLDER_EVENT_KEYS[data.version] : undefined;
    if (!keys || !hasKeys(data, RUN_KEYS) || typeof data.id !== "string" || !Array.isArray(data.events) ||
        data.events.length > LIMITS.events) {
      return null;
    }
    if (!data.events.every(function (event) { return isObject(event) && hasKeys(event, keys); })) { return null; }
    if (data.events.some(function (event, index) { return event.type === "end" && index !== data.events.length - 1; })) {
      return null; // versions 1 and 2 had nothing after an end
    }
    return Object.assign({}, data, { version: VERSION, events: upgradeEvents(data.id, data.events) });
  }

  /* {run, problem, upgraded}: `data` as a run of this version of `runbookId` (any runbook
   * when undefined), brought up from an older version where it is one, its events with
   * every field (expandEvent); else run is null and problem says why. */
  function readRun(data, runbookId) {
    const older = upgrade(data);
    const stored = older || data;
    const problem = isObject(data) && own(OLDER_EVENT_KEYS, data.version) && !older
      ? "its format version is not supported"
      : runProblem(stored, runbookId);
    if (problem) { return { run: null, problem: problem, upgraded: false }; }
    return { run: Object.assign({}, stored, { events: stored.events.map(expandEvent) }), problem: null, upgraded: Boolean(older) };
  }

  /* ---- what people type ---- */

  /* What a person typed, made one valid line of at most `max` characters. */
  function cleanLine(text, max) {
    return Array.from(String(text).replace(/[\u0000-\u001f\u007f]+/g, " ").trim()).slice(0, max).join("").trim();
  }

  /* What a person typed, made a valid text (line breaks kept) of at most `max` characters. */
  function cleanText(text, max) {
    const lines = String(text).replace(/\r\n?/g, "\n").replace(/[\u0000-\u0009\u000b-\u001f\u007f]+/g, " ");
    return Array.from(lines.trim()).slice(0, max).join("").trim();
  }

  ns.format = Object.freeze({
    FORMAT: FORMAT,
    VERSION: VERSION,
    LIMITS: LIMITS,
    MILESTONES: MILESTONES,
    FIELDS: FIELDS,
    isObject: isObject,
    isId: isId,
    isEventId: isEventId,
    isFingerprint: isFingerprint,
    isTime: isTime,
    isLine: isLine,
    isText: isText,
    digest: digest,
    expandEvent: expandEvent,
    compactEvent: compactEvent,
    compactRun: compactRun,
    compareEvents: compareEvents,
    endsEnded: endsEnded,
    eventProblem: eventProblem,
    runProblem: runProblem,
    readRun: readRun,
    cleanLine: cleanLine,
    cleanText: cleanText
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
