/* sphinx-incident: the run model. No DOM.
 *
 * A run is a name and a list of events (start, tick, untick, assign, note, reset,
 * handoff, rebind, end; the form is in incident-format.js). Its ticks, assignments and
 * notes are what the events say, read in order, each on the step it is about in this
 * build (stateOf, with incident-bind.js), and the events are the run's timeline.
 *
 * RunStore keeps the runs of one runbook of one handbook in a key-value storage it is
 * given (the page gives it localStorage, see incident-browser.js). A handbook is its
 * project's name and its published root (handbookKey), so two handbooks on one origin,
 * or two copies opened from disk, never share runs:
 * "sphinx-incident@<handbook>:<runbook>:run:<run id>" per run and
 * "sphinx-incident@<handbook>:<runbook>:active" for the active run. Runs kept by earlier
 * versions under keys per runbook id ("sphinx-incident:<runbook>:run:<run id>"), and the
 * ticks of versions before runs ("sphinx-incident:<runbook>"), move once to the first
 * handbook that shows their runbook. Runs it cannot read are counted and left in
 * storage untouched.
 *
 * Registers globalThis.sphinxIncident.runs; needs .format, .time and .bind. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const time = ns.time;
  const bind = ns.bind;
  const LIMITS = format.LIMITS;
  const PREFIX = "sphinx-incident:";
  const HANDBOOK_PREFIX = "sphinx-incident@";

  /* Every event is made here, so that fields a later version adds are added in one place. */
  function makeEvent(at, type, step, fingerprint, value) {
    return { time: at, type: type, step: step, fingerprint: fingerprint, value: value };
  }

  /* ---- what a run's events say ---- */

  /* Maps, so that no step id can reach an object's prototype. */
  function emptyState(started) {
    return { started: started, ended: null, done: new Map(), assignee: new Map(), note: new Map(), issues: [] };
  }

  /* What one event does to a run's state, on `step` (the step it is about in this build,
   * null when none): the only place that says so. */
  function applyEvent(state, event, step) {
    switch (event.type) {
      case "tick": if (step !== null) { state.done.set(step, event.time); } break;
      case "untick": if (step !== null) { state.done.delete(step); } break;
      case "reset": state.done.clear(); break;
      case "assign": setOrDelete(state.assignee, step, event.value); break;
      case "note": setOrDelete(state.note, step, event.value); break;
      case "end": state.ended = event.time; break;
      default: break;
    }
    return state;
  }

  function setOrDelete(map, step, value) {
    if (step === null) { return; }
    if (value) { map.set(step, value); } else { map.delete(step); }
  }

  /* When a run started and ended, and per step of `steps` (a Map of step id to
   * {fingerprint, ...}) its tick time, assignee and note; `issues`: the events whose step
   * is gone or changed, for the responder to decide on (incident-bind.js). */
  function stateOf(run, steps) {
    const binding = bind.bindEvents(run.events, steps);
    const state = emptyState(run.events[0].time);
    run.events.forEach(function (event, index) { applyEvent(state, event, binding.stepOf[index]); });
    state.issues = binding.issues;
    return state;
  }

  /* What the events of `indices` say of the one step they name: {done, assignee, note}. */
  function effectOf(run, indices) {
    const state = emptyState(null);
    indices.forEach(function (index) { applyEvent(state, run.events[index], ""); });
    return { done: state.done.get("") || null, assignee: state.assignee.get("") || "", note: state.note.get("") || "" };
  }

  function startedAt(run) {
    return run.events[0].time;
  }

  function endedAt(run) {
    const last = run.events[run.events.length - 1];
    return last.type === "end" ? last.time : null;
  }

  function isEnded(run) {
    return endedAt(run) !== null;
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
      events: [makeEvent(started, "start", null, null, null)]
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

  /* Add `changes` ([type, step, fingerprint, value]) at time `at`; false, and nothing added,
   * when the run is full. An open run keeps room for its end (incident-format.js), so a full
   * run can always end. */
  function appendEvents(run, changes, at) {
    const room = LIMITS.events - (changes[0][0] === "end" ? 0 : 1) - run.events.length;
    if (changes.length > room) { return false; }
    changes.forEach(function (change) {
      run.events.push(makeEvent(at, change[0], change[1], change[2], change[3]));
    });
    return true;
  }

  /* An open run imported from a "link" or a "file" says so on its timeline, where that
   * leaves room for its end. */
  function markHandedOff(run, source, at) {
    if (!isEnded(run) && run.events.length < LIMITS.events - 1) {
      run.events.push(makeEvent(at, "handoff", null, null, source));
    }
    return run;
  }

  /* The run that ticks saved before runs existed ({step id: time}) become, or null when none
   * is valid. They were saved without what the step said: their fingerprint is unknown. */
  function legacyRun(ticks, runbook, title, random) {
    const entries = Object.keys(ticks)
      .filter(function (step) { return format.isId(step) && format.isTime(ticks[step]); })
      .map(function (step) { return [ticks[step], step]; })
      .sort();
    if (!entries.length) { return null; }
    const run = newRun(runbook, defaultName(title, entries[0][0]), entries[0][0], random);
    entries.slice(0, LIMITS.events - 1).forEach(function (entry) {
      run.events.push(makeEvent(entry[0], "tick", entry[1], null, null));
    });
    return run;
  }

  /* ---- the runs of one runbook of one handbook in a key-value storage ---- */

  /* 32 bits of FNV-1a over the UTF-16 units of `text`, from `seed` */
  function fnv(text, seed) {
    let hash = seed >>> 0;
    for (let index = 0; index < text.length; index += 1) {
      hash = Math.imul(hash ^ text.charCodeAt(index), 16777619) >>> 0;
    }
    return hash;
  }

  /* The handbook's part of its storage keys: 16 hex digits made from the project's name
   * and the handbook's published root (an absolute URL). */
  function handbookKey(project, root) {
    const text = String(project) + "\n" + String(root);
    return [fnv(text, 2166136261), fnv(text, 0x9e3779b9)].map(function (half) {
      return half.toString(16).padStart(8, "0");
    }).join("");
  }

  /* `storage`: get(key) (null when absent), set(key, value) (false when refused),
   * remove(key), keys(); none of them throws. */
  class RunStore {
    constructor(handbook, runbookId, storage) {
      this.runbook = runbookId;
      this.storage = storage;
      const own = HANDBOOK_PREFIX + handbook + ":" + runbookId + ":";
      this.activeKey = own + "active";
      this.runPrefix = own + "run:";
      /* where earlier versions kept this runbook's runs, on any handbook of the origin */
      this.legacyKey = PREFIX + runbookId;
      this.oldActiveKey = PREFIX + runbookId + ":active";
      this.oldRunPrefix = PREFIX + runbookId + ":run:";
      this.unreadable = 0;
    }

    /* whether a change of `key` (null: storage cleared) can change what runs() returns */
    owns(key) {
      return key === null || key === this.activeKey || key.startsWith(this.runPrefix);
    }

    /* The run kept under `key` for this runbook, brought to this version; null when there
     * is none or it breaks the rules. */
    read(key, prefix) {
      let data = null;
      try { data = JSON.parse(this.storage.get(key)); } catch (error) { data = null; }
      const found = format.readRun(data, this.runbook).run;
      return found && key === prefix + found.id ? found : null;
    }

    /* Every readable run, oldest first; runs that break the rules are left alone and counted. */
    runs() {
      const found = [];
      this.unreadable = 0;
      this.storage.keys().forEach(function (key) {
        if (!key || !key.startsWith(this.runPrefix)) { return; }
        const run = this.read(key, this.runPrefix);
        if (run) { found.push(run); } else { this.unreadable += 1; }
      }, this);
      return sortRuns(found);
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

    /* What earlier versions kept of this runbook moves here, once: the ticks of versions
     * before runs become a first run named after `title`, and runs kept per runbook id
     * move under this handbook's keys. An old key goes once its run is saved here. */
    migrate(title, random) {
      this.migrateTicks(title, random);
      this.storage.keys().forEach(function (key) {
        if (!key || !key.startsWith(this.oldRunPrefix)) { return; }
        const run = this.read(key, this.oldRunPrefix);
        if (run && (this.storage.get(this.runPrefix + run.id) !== null || this.save(run))) {
          this.storage.remove(key);
        }
      }, this);
      const active = this.storage.get(this.oldActiveKey);
      if (active !== null) {
        if (this.activeId() === null) { this.setActive(active); }
        this.storage.remove(this.oldActiveKey);
      }
    }

    migrateTicks(title, random) {
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
    handbookKey: handbookKey,
    RunStore: RunStore
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
