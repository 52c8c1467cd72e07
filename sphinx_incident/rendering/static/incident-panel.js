/* sphinx-incident: one runbook's panel, and the checkboxes of its steps.
 *
 * The Panel holds the runbook's runs (loaded from localStorage through a RunStore) and
 * the active one. A tick, an assignment, a note, a role, a milestone or an entry is an
 * event appended to the active run, stamped with who recorded it and by which clock, and
 * saved at once; a first tick with no run starts one. A save merges with the copy stored
 * (another tab may have saved since), and a change of storage by another tab is merged in:
 * two tabs of the page lose nothing. While the browser does not save, the panel says so
 * until it saves again (the dock's banner), and never says "saved".
 *
 * It keeps the boxes, the progress and the run's buttons in step with the active run,
 * and hands the rest to its parts (one class each, in the files loaded before this one).
 * Everything the panel needs is in the page: its data attributes and its
 * <script type="application/json" class="incident-checklist"> block.
 *
 * Registers globalThis.sphinxIncident.Panel. */
(function (ns) {
  "use strict";

  const runs = ns.runs;
  const merge = ns.merge;
  const log = ns.log;
  const browser = ns.browser;
  const LIMITS = ns.format.LIMITS;

  /* The panel's parts; a template without one of them just goes without its feature. */
  const PARTS = {
    none: ".incident-run-none", choose: ".incident-run-choose", select: ".incident-run-select",
    info: ".incident-run-info", newRun: ".incident-run-new", importButton: ".incident-run-import",
    file: ".incident-run-file", form: ".incident-run-form", name: ".incident-run-name",
    formCancel: ".incident-run-form-cancel",
    responderForm: ".incident-responder", responderName: ".incident-responder-name",
    responderShown: ".incident-responder-shown", responderText: ".incident-responder-text",
    responderChange: ".incident-responder-change",
    importBox: ".incident-import", importSummary: ".incident-import-summary",
    importDifferences: ".incident-import-differences",
    importAccept: ".incident-import-accept", importCancel: ".incident-import-cancel",
    changed: ".incident-changed", changedIntro: ".incident-changed-intro", changedList: ".incident-changed-list",
    changedAll: ".incident-changed-all", keepAll: ".incident-changed-keep-all", dropAll: ".incident-changed-drop-all",
    progressRow: ".incident-progress-row", progress: ".incident-progress", progressText: ".incident-progress-text",
    milestonesShown: ".incident-milestones-shown",
    reset: ".incident-reset", copy: ".incident-copy", issue: ".incident-issue",
    runLog: ".incident-run-log", roles: ".incident-roles", rolesList: ".incident-roles-list",
    milestoneForm: ".incident-milestone-form", milestones: ".incident-milestones",
    milestoneName: ".incident-milestone-name", milestoneTime: ".incident-milestone-time",
    milestoneClear: ".incident-milestone-clear",
    entryForm: ".incident-entry-form", entryLegend: ".incident-entry-legend", entryText: ".incident-entry-text",
    entryTime: ".incident-entry-time", entrySave: ".incident-entry-save", entryRemove: ".incident-entry-remove",
    entryCancel: ".incident-entry-cancel",
    tools: ".incident-run-tools", end: ".incident-run-end", reopen: ".incident-run-reopen",
    remove: ".incident-run-delete", link: ".incident-run-link", handoff: ".incident-handoff",
    handoffLink: ".incident-handoff-link", handoffWarning: ".incident-handoff-warning",
    downloadRun: ".incident-run-download", timelineCopy: ".incident-timeline-copy", timeline: ".incident-timeline",
    status: ".incident-status, .incident-copy-status", undo: ".incident-undo"
  };

  function findParts(panel) {
    const el = {};
    Object.keys(PARTS).forEach(function (name) {
      el[name] = panel.querySelector(PARTS[name]) || document.createElement("span");
    });
    return el;
  }

  class Panel {
    constructor(panel) {
      this.panel = panel;
      this.runbook = panel.getAttribute("data-incident-runbook");
      this.checklist = JSON.parse(panel.querySelector("script.incident-checklist").textContent);
      this.steps = new Map((this.checklist.steps || []).map(function (step) { return [step.id, step]; }));
      const handbook = ns.store.handbookKey(panel.getAttribute("data-incident-handbook") || "",
        browser.handbookRoot(this.checklist.siteRoot));
      this.store = new ns.store.RunStore(handbook, this.runbook, browser.localStore);
      this.runs = [];
      this.active = null;
      this.stored = true; // whether the last save was taken by the storage
      const runbook = this.runbook;
      this.boxes = Array.prototype.slice.call(panel.parentNode.querySelectorAll("input.incident-check-input"))
        .filter(function (box) { return box.getAttribute("data-incident-runbook") === runbook; });
      this.el = findParts(panel);
      this.chooser = new ns.RunChooser(this);
      this.responder = new ns.ResponderForm(this);
      this.details = new ns.StepDetails(this);
      this.timeline = new ns.TimelineView(this);
      this.importer = new ns.ImportPreview(this);
      this.changed = new ns.ChangedSteps(this);
      this.share = new ns.ShareTools(this);
      this.runLog = new ns.RunLog(this);
      this.actions = new ns.RunActions(this);
      this.dock = new ns.Dock(this);
      this.wire();
      this.load();
      this.refresh();
    }

    wire() {
      this.boxes.forEach(function (box) {
        box.disabled = false;
        browser.listen(box, "change", function () {
          this.record(box.checked ? "tick" : "untick", box.getAttribute("data-incident-step"), null);
        }, this);
        const step = box.closest(".incident-step");
        const title = step ? step.querySelector(".incident-step-title") : null;
        if (title) { browser.listen(title, "click", function (event) { this.tapTitle(event, box); }, this); }
      }, this);
      window.addEventListener("storage", function (event) {
        if (event.storageArea === window.localStorage && this.store.owns(event.key)) { this.sync(event.key); }
      }.bind(this));
      document.addEventListener("sphinx-incident-responder", this.refresh.bind(this));
    }

    /* A tap on a step's title ticks it, as a tap on its box does; not one on a link in it. */
    tapTitle(event, box) {
      if (event.target.closest("a, button, input, label") || box.disabled) { return; }
      box.click();
    }

    /* ---- the runbook ---- */

    title() {
      return this.checklist.title || this.runbook;
    }

    /* What the exports say of the runbook (see incident-export.js). */
    about() {
      const url = browser.pageUrl() + (this.checklist.anchor ? "#" + this.checklist.anchor : "");
      return { id: this.runbook, title: this.title(), url: url, steps: this.steps };
    }

    siteRoot() {
      return new URL(this.checklist.siteRoot || "./", window.location.href).href;
    }

    defaultName(iso) {
      return runs.defaultName(this.title(), iso);
    }

    /* The active run's state, its events on the steps of this build. */
    state() {
      return this.active ? runs.stateOf(this.active, this.steps) : null;
    }

    say(message) {
      this.el.status.textContent = message;
      if (this.dock) { this.dock.refresh(); }
    }

    /* Say that something was done, only where the run it changed is stored: else the
     * warning save() gave stays. */
    done(message) {
      if (this.stored) { this.say(message); }
    }

    /* ---- runs, in this tab and in storage ---- */

    load() {
      this.store.migrate(this.title(), browser.clock());
      this.runs = this.store.runs();
      this.active = runs.pickActive(this.runs, this.store.activeId());
    }

    /* Another tab changed `key`: a run deleted there goes here too; a run changed there is
     * merged with this tab's copy, and what only this tab has is written back. */
    sync(key) {
      const runId = this.store.runIdOf(key);
      if (runId === null) { return; }
      const stored = this.store.get(runId);
      const mine = this.runs.find(function (run) { return run.id === runId; });
      let run = stored;
      if (stored && mine && merge.sharesHistory(stored, mine)) {
        run = merge.merge(stored, mine).run || stored;
        if (run.events.length > stored.events.length) { run = this.save(run); }
      }
      this.runs = run ? runs.withRun(this.runs, run) : this.runs.filter(function (other) { return other.id !== runId; });
      if (this.active && this.active.id === runId) { this.active = run || runs.pickActive(this.runs, null); }
      this.refresh();
    }

    /* Store `run`, merged with the stored copy; returns what is kept now. A run the storage
     * refused stays in the page, and the banner says so, until a save succeeds. */
    save(run) {
      const result = this.store.save(run);
      this.stored = result.stored;
      if (!this.stored) {
        this.say("The browser did not let the page save this change: it lasts until the page is left.");
      }
      const kept = result.run;
      this.runs = runs.withRun(this.runs, kept);
      if (this.active && this.active.id === kept.id) { this.active = kept; }
      this.dock.refresh();
      return kept;
    }

    /* Keep `run` (new, or in place of this browser's copy) and make it the active run;
     * whether it was stored. */
    adopt(run) {
      this.activate(this.save(run));
      return this.stored;
    }

    /* A new run, made active; `fromForm` when asked for, else it is started by a first tick
     * and the focus stays where the user is. */
    startRun(name, fromForm) {
      const run = runs.newRun(this.runbook, name, browser.clock());
      this.adopt(run);
      this.chooser.closeStartForm(true);
      this.actions.clearUndo();
      this.done("Started the run “" + name + "”.");
      this.refresh();
      if (fromForm) { this.el.select.focus(); }
      return this.active;
    }

    activate(run) {
      this.active = run;
      this.store.setActive(run ? run.id : null);
    }

    switchTo(runId) {
      const run = this.runs.find(function (candidate) { return candidate.id === runId; });
      if (!run) { return; }
      this.activate(run);
      this.actions.clearUndo();
      this.details.close();
      this.say("Switched to the run “" + run.name + "”.");
      this.refresh();
    }

    isOpen() {
      return this.active !== null && !runs.isEnded(this.active);
    }

    /* An event as append() takes it: {type, step, fingerprint, value, role, at, prev}. A step
     * is named by id and by the fingerprint of what it says in this build; an edit of a
     * field names the edits it replaces (`extra.prev`, those the person saw, else every
     * one the run has of it). `extra`: role, at, prev and root (the entry an edit is of). */
    change(type, step, value, extra) {
      const more = extra || {};
      const known = step === null ? null : this.steps.get(step);
      const out = { type: type, step: step, fingerprint: known ? known.fingerprint : null, value: value, role: more.role, at: more.at };
      const key = {
        assign: "assignee " + step, note: "note " + step, role: "role " + more.role,
        milestone: "milestone " + value, entry: more.root ? "entry " + more.root : null
      }[type];
      if (more.prev) {
        out.prev = more.prev;
      } else if (key) {
        out.prev = this.heads(key);
      }
      return out;
    }

    /* The ids of field `key`'s edits no other replaces, in the active run: what an edit of
     * the field made now replaces. A form takes them when it opens (what the person saw). */
    heads(key, state) {
      return this.active ? log.headIds(this.active.events, (state || this.state()).fields, key) : [];
    }

    /* Add an event to the active run; with no run, a first tick starts one. */
    record(type, step, value, extra) {
      return this.append([this.change(type, step, value, extra)]);
    }

    /* Add events (see change()) to the active run, at one time; whether they were added
     * (stored or not: `stored` says). */
    append(changes) {
      if (!this.isOpen()) {
        if (this.active !== null && changes[0].type !== "reopen") { this.refresh(); return false; } // ended: read-only
        if (this.active === null) { this.startRun(this.defaultName(browser.clock().now), false); }
      }
      const run = this.active;
      if (!runs.appendEvents(run, changes, browser.clock())) {
        this.say("This run has reached " + (LIMITS.events - 1) + " events: end it and start another run.");
        this.refresh();
        return false;
      }
      this.save(run);
      this.actions.clearUndo();
      this.refresh();
      return true;
    }

    /* ---- the page: boxes, step details, progress, run bar ---- */

    refresh() {
      const el = this.el;
      const state = this.state();
      const readOnly = state !== null && state.ended !== null;
      const done = this.refreshBoxes(state, readOnly);
      el.progress.value = done;
      const progress = done + " of " + this.boxes.length + " done";
      if (el.progressText.textContent !== progress) { el.progressText.textContent = progress; }
      this.chooser.refresh(state);
      this.responder.refresh();
      this.actions.refresh(state, readOnly, done);
      el.tools.hidden = !this.active;
      if (!this.active) { el.handoff.hidden = true; }
      this.panel.classList.toggle("incident-has-run", Boolean(this.active));
      this.changed.refresh(state, readOnly);
      this.runLog.refresh(state, readOnly);
      this.timeline.refresh();
      this.dock.refresh();
    }

    /* Each box as the run says, read-only in an ended run; returns how many are ticked. */
    refreshBoxes(state, readOnly) {
      let done = 0;
      this.boxes.forEach(function (box) {
        const stepId = box.getAttribute("data-incident-step");
        const when = state ? state.done.get(stepId) : undefined;
        box.checked = Boolean(when);
        box.disabled = readOnly;
        box.title = when ? "Done " + when.time : "";
        if (box.checked) { done += 1; }
        const step = box.closest(".incident-step");
        if (step) { step.classList.toggle("incident-step-done", box.checked); }
        this.details.refresh(box, stepId, state, readOnly);
      }, this);
      return done;
    }
  }

  ns.Panel = Panel;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
