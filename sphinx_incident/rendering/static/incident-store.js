/* sphinx-incident: the runs of one runbook of one handbook in a key-value storage. No DOM.
 *
 * RunStore is given the storage (the page gives it localStorage, see incident-browser.js).
 * A handbook is its project's name and its published root (handbookKey), so two handbooks
 * on one origin, or two copies opened from disk, never share runs:
 * "sphinx-incident@<handbook>:<runbook>:run:<run id>" per run and
 * "sphinx-incident@<handbook>:<runbook>:active" for the active run. A save reads the
 * stored copy first and writes the two merged (incident-merge.js): another tab of the
 * page that saved in between loses nothing. Runs kept by earlier versions under keys per
 * runbook id ("sphinx-incident:<runbook>:run:<run id>"), and the ticks of versions before
 * runs ("sphinx-incident:<runbook>"), move once to the first handbook that shows their
 * runbook. Runs it cannot read are counted and left in storage untouched.
 *
 * Registers globalThis.sphinxIncident.store; needs .format, .runs and .merge. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const runs = ns.runs;
  const merge = ns.merge;
  const PREFIX = "sphinx-incident:";
  const HANDBOOK_PREFIX = "sphinx-incident@";

  /* The handbook's part of its storage keys: 16 hex digits made from the project's name
   * and the handbook's published root (an absolute URL). */
  function handbookKey(project, root) {
    return format.digest(String(project) + "\n" + String(root));
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

    /* the id of the run kept under `key`, or null when it is no run key of this store */
    runIdOf(key) {
      return key !== null && key.startsWith(this.runPrefix) ? key.slice(this.runPrefix.length) : null;
    }

    /* The run kept under `key` for this runbook, brought to this version; null when there
     * is none or it breaks the rules. */
    read(key, prefix) {
      let data = null;
      try { data = JSON.parse(this.storage.get(key)); } catch (error) { data = null; }
      const found = format.readRun(data, this.runbook).run;
      return found && key === (prefix || this.runPrefix) + found.id ? found : null;
    }

    /* Every readable run, oldest first; runs that break the rules are left alone and counted. */
    runs() {
      const found = [];
      this.unreadable = 0;
      this.storage.keys().forEach(function (key) {
        if (!key || !key.startsWith(this.runPrefix)) { return; }
        const run = this.read(key);
        if (run) { found.push(run); } else { this.unreadable += 1; }
      }, this);
      return runs.sortRuns(found);
    }

    /* The stored copy of run `runId`, or null. */
    get(runId) {
      return this.read(this.runPrefix + runId);
    }

    /* Store `run`, merged with the copy already stored (another tab may have saved since
     * this one read it): {stored (whether the storage took it), run (what is kept now)}. */
    save(run) {
      const there = this.get(run.id);
      const merged = there && merge.sharesHistory(there, run) ? merge.merge(there, run).run || run : run;
      const stored = this.storage.set(this.runPrefix + run.id, JSON.stringify(format.compactRun(merged)));
      return { stored: stored, run: merged };
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
    migrate(title, clock) {
      this.migrateTicks(title, clock);
      this.storage.keys().forEach(function (key) {
        if (!key || !key.startsWith(this.oldRunPrefix)) { return; }
        const run = this.read(key, this.oldRunPrefix);
        if (run && (this.storage.get(this.runPrefix + run.id) !== null || this.save(run).stored)) {
          this.storage.remove(key);
        }
      }, this);
      const active = this.storage.get(this.oldActiveKey);
      if (active !== null) {
        if (this.activeId() === null) { this.setActive(active); }
        this.storage.remove(this.oldActiveKey);
      }
    }

    migrateTicks(title, clock) {
      const raw = this.storage.get(this.legacyKey);
      if (raw === null) { return; }
      let ticks = null;
      try { ticks = JSON.parse(raw); } catch (error) { return; }
      if (!format.isObject(ticks)) { return; }
      const run = runs.legacyRun(ticks, this.runbook, title, clock);
      if (run === null) { this.storage.remove(this.legacyKey); return; }
      if (format.runProblem(format.compactRun(run), this.runbook) === null && this.save(run).stored) {
        this.storage.remove(this.legacyKey);
        this.setActive(run.id);
      }
    }
  }

  ns.store = Object.freeze({
    handbookKey: handbookKey,
    RunStore: RunStore
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
