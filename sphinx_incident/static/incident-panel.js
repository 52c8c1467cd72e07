/* sphinx-incident: one runbook's panel, and the checkboxes of its steps.
 *
 * The Panel holds the runbook's runs (loaded from localStorage through a RunStore)
 * and the active one; a tick, an assignment or a note is an event appended to the
 * active run and saved at once, and a first tick with no run starts one. It keeps
 * the boxes, the progress and the run's buttons in step with the active run, and
 * hands the rest to its parts: the run chooser, the step details, the timeline, the
 * import preview and the share tools (one class each, in the files loaded before
 * this one). Everything the panel needs is in the page: its data attributes and its
 * <script type="application/json" class="incident-checklist"> block.
 *
 * Registers globalThis.sphinxIncident.Panel. */
(function (ns) {
  "use strict";

  const time = ns.time;
  const runs = ns.runs;
  const browser = ns.browser;
  const LIMITS = ns.format.LIMITS;

  /* The panel's parts; a template without one of them just goes without its feature. */
  const PARTS = {
    none: ".incident-run-none",
    choose: ".incident-run-choose",
    select: ".incident-run-select",
    info: ".incident-run-info",
    newRun: ".incident-run-new",
    importButton: ".incident-run-import",
    file: ".incident-run-file",
    form: ".incident-run-form",
    name: ".incident-run-name",
    formCancel: ".incident-run-form-cancel",
    importBox: ".incident-import",
    importSummary: ".incident-import-summary",
    importAccept: ".incident-import-accept",
    importCancel: ".incident-import-cancel",
    changed: ".incident-changed",
    changedIntro: ".incident-changed-intro",
    changedList: ".incident-changed-list",
    changedAll: ".incident-changed-all",
    keepAll: ".incident-changed-keep-all",
    dropAll: ".incident-changed-drop-all",
    progress: ".incident-progress",
    progressText: ".incident-progress-text",
    reset: ".incident-reset",
    copy: ".incident-copy",
    issue: ".incident-issue",
    tools: ".incident-run-tools",
    end: ".incident-run-end",
    remove: ".incident-run-delete",
    link: ".incident-run-link",
    handoff: ".incident-handoff",
    handoffLink: ".incident-handoff-link",
    downloadRun: ".incident-run-download",
    timeline: ".incident-timeline",
    status: ".incident-status, .incident-copy-status",
    undo: ".incident-undo"
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
      const handbook = runs.handbookKey(panel.getAttribute("data-incident-handbook") || "",
        browser.handbookRoot(this.checklist.siteRoot));
      this.store = new runs.RunStore(handbook, this.runbook, browser.localStore);
      this.runs = [];
      this.active = null;
      this.undo = null;
      this.stored = true;
      const runbook = this.runbook;
      this.boxes = Array.prototype.slice.call(panel.parentNode.querySelectorAll("input.incident-check-input"))
        .filter(function (box) { return box.getAttribute("data-incident-runbook") === runbook; });
      this.el = findParts(panel);
      this.chooser = new ns.RunChooser(this);
      this.details = new ns.StepDetails(this);
      this.timeline = new ns.TimelineView(this);
      this.importer = new ns.ImportPreview(this);
      this.changed = new ns.ChangedSteps(this);
      this.share = new ns.ShareTools(this);
      this.wire();
      this.load();
      this.refresh();
    }

    wire() {
      const el = this.el;
      this.boxes.forEach(function (box) {
        box.disabled = false;
        browser.listen(box, "change", function () {
          this.record(box.checked ? "tick" : "untick", box.getAttribute("data-incident-step"), null);
        }, this);
      }, this);
      browser.listen(el.reset, "click", this.reset, this);
      browser.listen(el.end, "click", this.endRun, this);
      browser.listen(el.remove, "click", this.deleteRun, this);
      browser.listen(el.undo, "click", this.applyUndo, this);
      window.addEventListener("storage", function (event) {
        if (event.storageArea === window.localStorage && this.store.owns(event.key)) { this.load(); this.refresh(); }
      }.bind(this));
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
    }

    /* Say that something was done, only where the run it changed is stored: else the
     * warning save() gave stays. */
    done(message) {
      if (this.stored) { this.say(message); }
    }

    /* ---- runs ---- */

    load() {
      this.store.migrate(this.title(), browser.randomWord());
      this.runs = this.store.runs();
      this.active = runs.pickActive(this.runs, this.store.activeId());
    }

    /* Store `run`; whether the storage took it. A run it refused stays in the page, and the
     * page says so, until the page is left. */
    save(run) {
      this.stored = this.store.save(run);
      if (!this.stored) {
        this.say("The browser did not let the page save this change: it lasts until the page is left.");
      }
      return this.stored;
    }

    /* Keep `run` (new, or in place of this browser's copy) and make it the active run;
     * whether it was stored. */
    adopt(run) {
      const stored = this.save(run);
      this.runs = runs.withRun(this.runs, run);
      this.activate(run);
      return stored;
    }

    /* A new run, made active; `fromForm` when asked for, else it is started by a first tick
     * and the focus stays where the user is. */
    startRun(name, fromForm) {
      const run = runs.newRun(this.runbook, name, time.isoSeconds(), browser.randomWord());
      this.adopt(run);
      this.chooser.closeStartForm(true);
      this.clearUndo();
      this.done("Started the run “" + name + "”.");
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
      this.details.close();
      this.say("Switched to the run “" + run.name + "”.");
      this.refresh();
    }

    isOpen() {
      return this.active !== null && !runs.isEnded(this.active);
    }

    /* An event about `step` (or about no step: null) as append() takes it: the step is
     * named by id and by the fingerprint of what it says in this build. */
    change(type, step, value) {
      const known = step === null ? null : this.steps.get(step);
      return [type, step, known ? known.fingerprint : null, value];
    }

    /* Add an event to the active run; with no run, a first tick starts one. */
    record(type, step, value) {
      return this.append([this.change(type, step, value)]);
    }

    /* Add events ([type, step, fingerprint, value]) to the active run, at one time; whether
     * they were added (stored or not: `stored` says). */
    append(changes) {
      if (!this.isOpen()) {
        if (this.active !== null) { this.refresh(); return false; } // an ended run is read-only
        this.startRun(this.defaultName(time.isoSeconds()), false);
      }
      const run = this.active;
      if (!runs.appendEvents(run, changes, time.isoSeconds())) {
        this.say("This run has reached " + (LIMITS.events - 1) + " events: end it and start another run.");
        this.refresh();
        return false;
      }
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
      this.activate(runs.pickActive(this.runs, null));
      this.clearUndo();
      this.details.close();
      this.say("Deleted the run “" + run.name + "”.");
      this.refresh();
      (this.runs.length ? this.el.select : this.el.newRun).focus();
    }

    reset() {
      if (!this.isOpen() || this.state().done.size === 0) { return; }
      const before = this.active.events.length;
      if (!this.record("reset", null, null)) { return; }
      this.offerUndo("Cleared every tick of this run.", before);
    }

    /* ---- undo: back to the run's first `length` events, while nothing else happened since ---- */

    offerUndo(message, length) {
      this.undo = { run: this.active, length: length };
      this.done(message);
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
      this.done("Undone.");
      this.refresh();
      this.el.reset.focus();
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
      el.reset.disabled = !(state && !readOnly && done > 0);
      el.tools.hidden = !this.active;
      el.end.hidden = readOnly;
      if (!this.active) { el.handoff.hidden = true; }
      this.panel.classList.toggle("incident-has-run", Boolean(this.active));
      this.changed.refresh(state, readOnly);
      this.timeline.refresh();
    }

    /* Each box as the run says, read-only in an ended run; returns how many are ticked. */
    refreshBoxes(state, readOnly) {
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
        this.details.refresh(box, stepId, state, readOnly);
      }, this);
      return done;
    }
  }

  ns.Panel = Panel;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
