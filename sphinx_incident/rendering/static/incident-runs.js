/* sphinx-incident: the run model. No DOM.
 *
 * A run is a name and an event log (incident-format.js, incident-log.js). What it says
 * is stateOf(run, steps): read in the run's order, each event on the step it is about in
 * this build (incident-bind.js), ticks, unticks and resets give each step's done state
 * (the latest wins; an undo takes a reset back), end and reopen whether the run is ended,
 * and each field (a step's assignee and note, who holds a role, a milestone, a timeline
 * entry) has the value of its latest edit, with the edits it conflicts with.
 *
 * Registers globalThis.sphinxIncident.runs; needs .format, .time, .bind and .log. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const time = ns.time;
  const bind = ns.bind;
  const log = ns.log;
  const LIMITS = format.LIMITS;

  /* ---- what a run's events say ---- */

  /* Maps, so that no step id or role name can reach an object's prototype. */
  function emptyState(started) {
    return {
      started: started, ended: null, done: new Map(), assignee: new Map(), note: new Map(),
      roles: new Map(), milestones: new Map(), entries: [], orphans: [], stepOf: [], fields: new Map()
    };
  }

  /* what the timeline and the page say of who did something when */
  function byline(event) {
    return { time: log.correctedTime(event), author: event.author, id: event.id };
  }

  /* What one event does to the done state and the end of a run, on `step` (the step it is
   * about in this build, null when none); the fields are read apart (placeField). */
  function replay(state, event, step, undone) {
    switch (event.type) {
      case "tick": if (step !== null) { state.done.set(step, byline(event)); } break;
      case "untick": if (step !== null) { state.done.delete(step); } break;
      case "reset": if (!undone.has(event.id)) { state.done.clear(); } break;
      case "end": state.ended = event.time; break;
      case "reopen": state.ended = null; break;
      default: break;
    }
  }

  /* {value, at, author, time, id, others}: what a field's winning edit says, and the edits
   * that say something else; null where it says nothing and nothing conflicts. */
  function edit(events, field) {
    const event = events[field.winner];
    const others = field.others.map(function (index) {
      const other = events[index];
      return Object.assign({ value: other.value, at: other.at }, byline(other));
    });
    if (!event.value && !others.length && event.type !== "milestone") { return null; }
    if (event.type === "milestone" && event.at === null && !others.length) { return null; }
    return Object.assign({ value: event.value, at: event.at, others: others }, byline(event));
  }

  /* Put field `key`'s value in the state. */
  function placeField(state, events, key, field) {
    const value = edit(events, field);
    if (value === null) { return; }
    const space = key.indexOf(" ");
    const kind = key.slice(0, space);
    const name = key.slice(space + 1);
    if (kind === "entry") {
      value.root = name;
      value.at = value.at || value.time;
      state.entries.push(value);
      return;
    }
    const map = { assignee: state.assignee, note: state.note, role: state.roles, milestone: state.milestones }[kind];
    map.set(name, value);
  }

  /* What the run says, on the steps of this build: `steps` is a Map of step id to
   * {fingerprint, ...}. `orphans`: the events whose step is gone or changed, for the
   * responder to decide on (incident-bind.js); `fields` and `stepOf` for new edits. */
  function stateOf(run, steps) {
    const events = run.events;
    const binding = bind.bindEvents(events, steps);
    const state = emptyState(events[0].time);
    const undone = log.undone(events);
    events.forEach(function (event, index) { replay(state, event, binding.stepOf[index], undone); });
    state.fields = log.fields(events, binding.stepOf);
    state.fields.forEach(function (field, key) { placeField(state, events, key, field); });
    state.entries.sort(function (a, b) { return a.at < b.at ? -1 : a.at > b.at ? 1 : 0; });
    state.orphans = binding.orphans;
    state.stepOf = binding.stepOf;
    return state;
  }

  /* What the events of `indices` say of the one step they name: {done, assignee, note}. */
  function effectOf(run, indices) {
    const state = { done: null, assignee: "", note: "" };
    indices.forEach(function (index) {
      const event = run.events[index];
      if (event.type === "tick") { state.done = event.time; }
      if (event.type === "untick") { state.done = null; }
      if (event.type === "assign") { state.assignee = event.value; }
      if (event.type === "note") { state.note = event.value; }
    });
    return state;
  }

  function startedAt(run) {
    return run.events[0].time;
  }

  function isEnded(run) {
    return format.endsEnded(run.events);
  }

  /* when the run ended, or null while it is open */
  function endedAt(run) {
    if (!isEnded(run)) { return null; }
    for (let index = run.events.length - 1; ; index -= 1) {
      if (run.events[index].type === "end") { return run.events[index].time; }
    }
  }

  /* ---- runs ---- */

  /* A new run, started at `clock.now` by `clock.author`. Its id starts with the time to the
   * millisecond when it starts now (`clock.precise`, an ISO time, defaults to the clock),
   * and ends with a random number; `name` is its name. */
  function newRun(runbook, name, clock) {
    const current = clock.precise || new Date().toISOString();
    const stamp = clock.now.slice(0, 19) === current.slice(0, 19) ? current : clock.now;
    const start = { id: log.newEventId(clock.random), time: clock.now, type: "start", seq: 1 };
    return {
      format: format.FORMAT,
      version: format.VERSION,
      runbook: runbook,
      id: stamp.replace(/[-:.]/g, "") + "-" + (clock.random() >>> 0).toString(36),
      name: name,
      events: [format.expandEvent(Object.assign(start, { author: clock.author || null }))]
    };
  }

  /* "Database failover — 2026-01-31 03:12 UTC" */
  function defaultName(title, iso) {
    return format.cleanLine(title, LIMITS.name - 24) + " — " + time.utcText(iso).slice(0, 16) + " UTC";
  }

  /* Oldest first: by start time, then id (ids made here start with the time to the millisecond). */
  function sortRuns(list) {
    return list.sort(function (a, b) {
      const x = a.events[0].time + a.id;
      const y = b.events[0].time + b.id;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }

  /* `list` with `run` in place of the run of the same id, sorted. */
  function withRun(list, run) {
    return sortRuns(list.filter(function (other) { return other.id !== run.id; }).concat([run]));
  }

  /* The run to show: the one whose id is `wantedId`, else the newest open run, else the newest run. */
  function pickActive(list, wantedId) {
    const open = list.filter(function (run) { return !isEnded(run); });
    return list.find(function (run) { return run.id === wantedId; }) ||
      open[open.length - 1] || list[list.length - 1] || null;
  }

  /* Add `changes` (see log.recordEvents) recorded by `clock`; false, and nothing added, when
   * the run is full. An open run keeps room for its end (incident-format.js), so a full
   * run can always end. */
  function appendEvents(run, changes, clock) {
    const room = LIMITS.events - (changes[0].type === "end" ? 0 : 1) - run.events.length;
    if (changes.length > room) { return false; }
    log.recordEvents(run, changes, clock).forEach(function (event) { run.events.push(event); });
    return true;
  }

  /* An open run imported from a "link" or a "file" says so on its timeline, where that
   * leaves room for its end. */
  function markHandedOff(run, source, clock) {
    if (!isEnded(run) && run.events.length < LIMITS.events - 1) {
      appendEvents(run, [{ type: "handoff", value: source }], clock);
    }
    return run;
  }

  /* The run that ticks saved before runs existed ({step id: time}) become, or null when none
   * is valid. They were saved without what the step said: their fingerprint is unknown. */
  function legacyRun(ticks, runbook, title, clock) {
    const entries = Object.keys(ticks)
      .filter(function (step) { return format.isId(step) && format.isTime(ticks[step]); })
      .map(function (step) { return [ticks[step], step]; })
      .sort();
    if (!entries.length) { return null; }
    const run = newRun(runbook, defaultName(title, entries[0][0]), Object.assign({}, clock, { now: entries[0][0], author: null }));
    entries.slice(0, LIMITS.events - 2).forEach(function (entry, index) {
      run.events.push(format.expandEvent({
        id: "t" + format.digest(runbook + " " + entry[1]).slice(0, 15), time: entry[0], type: "tick", seq: index + 2, step: entry[1]
      }));
    });
    return run;
  }

  ns.runs = Object.freeze({
    stateOf: stateOf,
    effectOf: effectOf,
    startedAt: startedAt,
    endedAt: endedAt,
    isEnded: isEnded,
    newRun: newRun,
    defaultName: defaultName,
    sortRuns: sortRuns,
    withRun: withRun,
    pickActive: pickActive,
    appendEvents: appendEvents,
    markHandedOff: markHandedOff,
    legacyRun: legacyRun
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
