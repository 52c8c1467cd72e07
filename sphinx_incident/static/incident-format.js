/* sphinx-incident: the storage format of an incident run, and its rules. No DOM.
 *
 * A run is {format, version, runbook, id, name, events}, each event {time, type, step,
 * value}; it has the same form in localStorage, in a run file and in a hand-off link.
 * Whatever is read back, from storage, a file or a link, passes runProblem() before
 * anything else sees it: the rules of sphinx_incident/schema/incident-run.schema.json
 * (exact keys, ids, one-line names and assignees, notes, UTC times to the second, the
 * limits below), and one the schema cannot say: nothing happens after a run's end.
 * Keys are compared as own keys, so "__proto__" in a file is just an unexpected key.
 *
 * Registers globalThis.sphinxIncident.format (see sphinx-incident.js for why the page's
 * scripts are classic scripts sharing one namespace object). */
(function (ns) {
  "use strict";

  const FORMAT = "sphinx-incident-run";
  const VERSION = 1;
  /* the schema's maxLength and maxItems, and the largest run a file or link may carry */
  const LIMITS = Object.freeze({ name: 200, assignee: 200, note: 2000, events: 5000, id: 1000, bytes: 1048576 });
  const RUN_KEYS = ["events", "format", "id", "name", "runbook", "version"];
  /* An event's fields, sorted. A later version that adds fields (an event id, an
   * author, a step fingerprint) lists them here and in the schema, with a new VERSION. */
  const EVENT_KEYS = ["step", "time", "type", "value"];
  const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
  const TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$/;
  const NOT_IN_ID = /[/\\<>"'&\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/u;
  const CONTROL = /[\u0000-\u001f\u007f]/;
  const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f]/;

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* `object` has exactly `keys` (sorted) as its own keys */
  function hasKeys(object, keys) {
    const own = Object.keys(object).sort();
    return own.length === keys.length && own.every(function (key, index) { return key === keys[index]; });
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

  /* UTC to the second, and a real date ("2026-02-30T..." is not) */
  function isTime(value) {
    if (typeof value !== "string" || !TIME.test(value)) { return false; }
    const parsed = new Date(value);
    return !isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) + "Z" === value;
  }

  /* Why `event` is not a valid event, or null. */
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

  /* Why `events` is not a run's list of events, or null: one start first, nothing after an end. */
  function eventsProblem(events) {
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
    return eventsProblem(data.events);
  }

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
    isObject: isObject,
    isId: isId,
    isTime: isTime,
    isLine: isLine,
    isText: isText,
    eventProblem: eventProblem,
    runProblem: runProblem,
    cleanLine: cleanLine,
    cleanText: cleanText
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
