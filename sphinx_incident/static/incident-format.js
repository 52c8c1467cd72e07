/* sphinx-incident: the storage format of an incident run, and its rules. No DOM.
 *
 * A run is {format, version, runbook, id, name, events}, each event {time, type, step,
 * fingerprint, value}; it has the same form in localStorage, in a run file and in a
 * hand-off link. An event about a step names it by id and by fingerprint (a digest of
 * what the step said, from the page's data), so that a rebuilt page can tell whether
 * the step still says what was ticked (incident-bind.js).
 *
 * Whatever is read back, from storage, a file or a link, goes through readRun() before
 * anything else sees it: a run of an older version is brought to this one (version 1
 * had no fingerprints: its events get none), then checked against the rules of
 * sphinx_incident/schema/incident-run.schema.json (exact keys, ids, one-line names and
 * assignees, notes, UTC times to the second, the limits below; an open run keeps room
 * for its end), and one the schema cannot say: nothing happens after a run's end. Keys are compared as own keys, so
 * "__proto__" in a file is just an unexpected key.
 *
 * Registers globalThis.sphinxIncident.format (see sphinx-incident.js for why the page's
 * scripts are classic scripts sharing one namespace object). */
(function (ns) {
  "use strict";

  const FORMAT = "sphinx-incident-run";
  const VERSION = 2;
  /* the schema's maxLength and maxItems, and the largest run a file or link may carry */
  const LIMITS = Object.freeze({ name: 200, assignee: 200, note: 2000, events: 5000, id: 1000, bytes: 1048576 });
  const RUN_KEYS = ["events", "format", "id", "name", "runbook", "version"];
  /* An event's fields, sorted, in this version and in the older ones the page still reads. */
  const EVENT_KEYS = ["fingerprint", "step", "time", "type", "value"];
  const OLDER_EVENT_KEYS = { 1: ["step", "time", "type", "value"] };
  const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
  const TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$/;
  const FINGERPRINT = /^[0-9a-f]{12}$/;
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

  /* a step's fingerprint, as in the page's data; null where it was not recorded (version 1) */
  function isFingerprint(value) {
    return value === null || (typeof value === "string" && FINGERPRINT.test(value));
  }

  /* UTC to the second, and a real date ("2026-02-30T..." is not) */
  function isTime(value) {
    if (typeof value !== "string" || !TIME.test(value)) { return false; }
    const parsed = new Date(value);
    return !isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) + "Z" === value;
  }

  /* a step named by id and fingerprint */
  function isStepRef(step, fingerprint) {
    return isId(step) && isFingerprint(fingerprint);
  }

  /* A rebind says where the events of a step that changed belong now: on `step` (with its
   * fingerprint), or on no step (both null); `value` names the step as the events do. */
  function rebindProblem(event) {
    const from = event.value;
    const valid = isObject(from) && hasKeys(from, ["fingerprint", "step"]) && isStepRef(from.step, from.fingerprint) &&
      (event.step === null ? event.fingerprint === null : isStepRef(event.step, event.fingerprint) && event.fingerprint !== null);
    return valid ? null : "a rebind is not valid";
  }

  /* Why `event` is not a valid event, or null. */
  function eventProblem(event) {
    if (!isObject(event) || !hasKeys(event, EVENT_KEYS)) { return "an event is not of the expected form"; }
    if (!isTime(event.time)) { return "an event has no valid time"; }
    const bare = event.step === null && event.fingerprint === null;
    const onStep = isStepRef(event.step, event.fingerprint);
    switch (event.type) {
      case "start": case "end": case "reset":
        return bare && event.value === null ? null : "a " + event.type + " event names a step or a value";
      case "handoff":
        return bare && (event.value === "link" || event.value === "file") ? null : "a hand-off event is not valid";
      case "tick": case "untick":
        return onStep && event.value === null ? null : "a tick names no valid step";
      case "assign":
        return onStep && isLine(event.value, LIMITS.assignee) ? null : "an assignment is not valid";
      case "note":
        return onStep && isText(event.value, LIMITS.note) ? null : "a note is not valid";
      case "rebind":
        return rebindProblem(event);
      default:
        return "an event has an unknown type";
    }
  }

  /* Why `events` is not a run's list of events, or null: one start first, nothing after an
   * end, and room for the end in an open run. */
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
    if (events[events.length - 1].type !== "end" && events.length > LIMITS.events - 1) {
      return "an open run has at most " + (LIMITS.events - 1) + " events, so that it can end";
    }
    return null;
  }

  /* Why `data` is not a run of this version of `runbookId` (any runbook when undefined), or null. */
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

  /* A run of an older version in this version's form, or null when it is not one (readRun
   * then checks the result). Version 1 events had no fingerprint: they get none. */
  function upgrade(data) {
    const keys = isObject(data) && data.format === FORMAT ? OLDER_EVENT_KEYS[data.version] : undefined;
    if (!keys || !hasKeys(data, RUN_KEYS) || !Array.isArray(data.events) || data.events.length > LIMITS.events) {
      return null;
    }
    if (!data.events.every(function (event) { return isObject(event) && hasKeys(event, keys); })) { return null; }
    const run = Object.assign({}, data, { version: VERSION });
    run.events = data.events.map(function (event) {
      return { time: event.time, type: event.type, step: event.step, fingerprint: null, value: event.value };
    });
    return run;
  }

  /* {run, problem}: `data` as a run of this version of `runbookId` (any runbook when
   * undefined), brought up from an older version where it is one; else run is null and
   * problem says why. `upgraded` says whether it was of an older version. */
  function readRun(data, runbookId) {
    const older = upgrade(data);
    const run = older || data;
    const problem = runProblem(run, runbookId);
    return { run: problem ? null : run, problem: problem, upgraded: Boolean(older) };
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
    isFingerprint: isFingerprint,
    isTime: isTime,
    isLine: isLine,
    isText: isText,
    eventProblem: eventProblem,
    runProblem: runProblem,
    readRun: readRun,
    cleanLine: cleanLine,
    cleanText: cleanText
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
