/* sphinx-incident: the run model. No DOM.
 *
 * A run is a name and a list of events (start, tick, untick, assign, note, reset,
 * handoff, end; the form is in incident-format.js). Its ticks, assignments and notes
 * are what the events say, read in order (stateOf), and the events are the run's
 * timeline. RunStore keeps the runs of one runbook in a key-value storage it is given
 * (the page gives it localStorage, see incident-browser.js): one key per run,
 * "sphinx-incident:<runbook>:run:<run id>", one for the active run, and the ticks of
 * versions before runs, which become a first run. Runs it cannot read are counted
 * and left in storage untouched.
 *
 * Registers globalThis.sphinxIncident.runs; needs .format and .time. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const time = ns.time;
  const LIMITS = format.LIMITS;
  const PREFIX = "sphinx-incident:";

  /* Every event is made here, so that fields a later version adds are added in one place. */
  function makeEvent(at, type, step, value) {
    return { time: at, type: type, step: step, value: value };
  }

  /* ---- what a run's events say ---- */

  /* Maps, so that no step id can reach an object's prototype. */
  function emptyState(started) {
    return { started: started, ended: null, done: new Map(), assignee: new Map(), note: new Map() };
  }

  /* What one event does to a run's state: the only place that says so. */
  function applyEvent(state, event) {
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
    return state;
  }

  /* When a run started and ended, and per step its tick time, assignee and note. */
  function stateOf(run) {
    return run.events.reduce(applyEvent, emptyState(run.events[0].time));
  }

  function isEnded(run) {
    return run.events.some(function (event) { return event.type === "end"; });
  }

  /* How many of the run's events name a step that `steps` (a Map or Set of step ids) does not have. */
  function stepsNotIn(run, steps) {
    return run.events.filter(function (event) { return event.step !== null && !steps.has(event.step); }).length;
  }

  /* ---- runs ---- */

  /* A new run, started at `started`. Its id starts with the time to the millisecond when
   * it starts now (`now`, an ISO time, defaults to the clock), and ends with `random`. */
  function newRun(runbook, name, started, random, now) {
    const current = now || new Date().toISOString();
    const stamp = started.slice(0, 19) === current.slice(0, 19) ? current : started;
    return {
      format: format.FORMAT,
      version: format.VERSION,
      runbook: runbook,
      id: stamp.replace(/[-:.]/g, "") + "-" + (random >>> 0).toString(36),
      name: name,
      events: [makeEvent(started, "start", null, null)]
    };
  }

  /* "Database failover — 2026-01-31 03:12 UTC" */
  function defaultName(title, iso) {
    return format.cleanLine(title, LIMITS.name - 24) + " — " + time.utcText(iso).slice(0, 16) + " UTC";
  }

  /* Oldest first: by start time, then id (ids made here start with the time to the millisecond). */
  function sortRuns(runs) {
    return runs.sort(function (a, b) {
      const x = a.events[0].time + a.id;
      const y = b.events[0].time + b.id;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }

  /* `runs` with `run` in place of the run of the same id, sorted. */
  function withRun(runs, run) {
    return sortRuns(runs.filter(function (other) { return other.id !== run.id; }).concat([run]));
  }

  /* The run to show: the one whose id is `wantedId`, else the newest open run, else the newest run. */
  function pickActive(runs, wantedId) {
    const open = runs.filter(function (run) { return !isEnded(run); });
    return runs.find(function (run) { return run.id === wantedId; }) ||
      open[open.length - 1] || runs[runs.length - 1] || null;
  }

  /* Add `changes` ([type, step, value]) at time `at`; false, and nothing added, when the run is
   * full. Room is kept for a hand-off and an end event, so a full run can still end. */
  function appendEvents(run, changes, at) {
    const room = LIMITS.events - (changes[0][0] === "end" ? 0 : 2) - run.events.length;
    if (changes.length > room) { return false; }
    changes.forEach(function (change) {
      run.events.push(makeEvent(at, change[0], change[1], change[2]));
    });
    return true;
  }

  /* An open run imported from a "link" or a "file" says so on its timeline. */
  function markHandedOff(run, source, at) {
    if (!isEnded(run) && run.events.length < LIMITS.events) {
      run.events.push(makeEvent(at, "handoff", null, source));
    }
    return run;
  }

  /* The run that ticks saved before runs existed ({step id: time}) become, or null when none is valid. */
  function legacyRun(ticks, runbook, title, random) {
    const entries = Object.keys(ticks)
      .filter(function (step) { return format.isId(step) && format.isTime(ticks[step]); })
      .map(function (step) { return [ticks[step], step]; })
      .sort();
    if (!entries.length) { return null; }
    const run = newRun(runbook, defaultName(title, entries[0][0]), entries[0][0], random);
    entries.slice(0, LIMITS.events - 1).forEach(function (entry) {
      run.events.push(makeEvent(entry[0], "tick", entry[1], null));
    });
    return run;
  }

  /* ---- the runs of one runbook in a key-value storage ---- */

  /* `storage`: get(key) (null when absent), set(key, value) (false when refused),
   * remove(key), keys(); none of them throws. */
  class RunStore {
    constructor(runbookId, storage) {
      this.runbook = runbookId;
      this.storage = storage;
      this.legacyKey = PREFIX + runbookId;
      this.activeKey = PREFIX + runbookId + ":active";
      this.runPrefix = PREFIX + runbookId + ":run:";
      this.unreadable = 0;
    }

    /* whether a change of `key` (null: storage cleared) can change what runs() returns */
    owns(key) {
      return key === null || key === this.legacyKey || key === this.activeKey || key.startsWith(this.runPrefix);
    }

    /* Every readable run, oldest first; runs that break the rules are left alone and counted. */
    runs() {
      const runs = [];
      this.unreadable = 0;
      this.storage.keys().forEach(function (key) {
        if (!key || !key.startsWith(this.runPrefix)) { return; }
        let data = null;
        try { data = JSON.parse(this.storage.get(key)); } catch (error) { data = null; }
        if (format.runProblem(data, this.runbook) === null && key === this.runPrefix + data.id) {
          runs.push(data);
        } else {
          this.unreadable += 1;
        }
      }, this);
      return sortRuns(runs);
    }

    save(run) {
      return this.storage.set(this.runPrefix + run.id, JSON.stringify(run));
    }

    remove(runId) {
      this.storage.remove(this.runPrefix + runId);
    }

    activeId() {
      return this.storage.get(this.activeKey);
    }

    setActive(runId) {
      if (runId) { this.storage.set(this.activeKey, runId); } else { this.storage.remove(this.activeKey); }
    }

    /* Ticks saved by versions before runs, under the runbook's own key, become a first run
     * named after `title`; the old key goes once the run is saved. */
    migrate(title, random) {
      const raw = this.storage.get(this.legacyKey);
      if (raw === null) { return; }
      let ticks = null;
      try { ticks = JSON.parse(raw); } catch (error) { return; }
      if (!format.isObject(ticks)) { return; }
      const run = legacyRun(ticks, this.runbook, title, random);
      if (run === null) { this.storage.remove(this.legacyKey); return; }
      if (format.runProblem(run, this.runbook) === null && this.save(run)) {
        this.storage.remove(this.legacyKey);
        this.setActive(run.id);
      }
    }
  }

  ns.runs = Object.freeze({
    makeEvent: makeEvent,
    applyEvent: applyEvent,
    stateOf: stateOf,
    isEnded: isEnded,
    stepsNotIn: stepsNotIn,
    newRun: newRun,
    defaultName: defaultName,
    sortRuns: sortRuns,
    withRun: withRun,
    pickActive: pickActive,
    appendEvents: appendEvents,
    markHandedOff: markHandedOff,
    RunStore: RunStore
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
