/* sphinx-incident: what a panel does to its active run as a whole. Reset (clear every
 * tick), End run (read-only from then on), Reopen run, Delete run (asks first), and Undo
 * of a reset or an end, offered until the next change. Undo and Reopen are events of the
 * run (an undo names the reset it takes back; a reopen follows an end), so they merge
 * like any other. After each, the focus goes to the button that is there to use next.
 *
 * Registers globalThis.sphinxIncident.RunActions. */
(function (ns) {
  "use strict";

  const runs = ns.runs;
  const browser = ns.browser;

  class RunActions {
    constructor(panel) {
      this.panel = panel;
      this.el = panel.el;
      this.undo = null; // {runId, type, id} while Undo is offered
      browser.listen(this.el.reset, "click", this.reset, this);
      browser.listen(this.el.end, "click", this.endRun, this);
      browser.listen(this.el.reopen, "click", this.reopen, this);
      browser.listen(this.el.remove, "click", this.deleteRun, this);
      browser.listen(this.el.undo, "click", this.applyUndo, this);
    }

    refresh(state, readOnly, done) {
      this.el.reset.disabled = !(state && !readOnly && done > 0);
      this.el.end.hidden = readOnly;
      this.el.reopen.hidden = !readOnly;
    }

    /* the id of the active run's latest event of `type` */
    latest(type) {
      const found = this.panel.active.events.filter(function (event) { return event.type === type; });
      return found[found.length - 1].id;
    }

    endRun() {
      const panel = this.panel;
      if (!panel.isOpen() || !panel.record("end", null, null)) { return; }
      this.offerUndo("Ended the run “" + panel.active.name + "”: it is kept, read-only. Reopen it to go on.", "end");
    }

    reopen() {
      const panel = this.panel;
      if (panel.isOpen() || !panel.active || !panel.record("reopen", null, null)) { return; }
      panel.done("Reopened the run “" + panel.active.name + "”.");
      this.el.end.focus();
    }

    reset() {
      const panel = this.panel;
      if (!panel.isOpen() || panel.state().done.size === 0) { return; }
      if (!panel.record("reset", null, null)) { return; }
      this.offerUndo("Cleared every tick of this run.", "reset");
    }

    deleteRun() {
      const panel = this.panel;
      const run = panel.active;
      if (!run) { return; }
      const question = "Delete the run “" + run.name + "” and its timeline (" + run.events.length +
        " events) from this browser? This cannot be undone.";
      if (!window.confirm(question)) { panel.say("The run was kept."); return; }
      panel.store.remove(run.id);
      panel.runs = panel.runs.filter(function (other) { return other !== run; });
      panel.activate(runs.pickActive(panel.runs, null));
      this.clearUndo();
      panel.details.close();
      panel.say("Deleted the run “" + run.name + "”.");
      panel.refresh();
      (panel.runs.length ? this.el.select : this.el.newRun).focus();
    }

    /* Offer Undo of the `type` ("reset" or "end") just recorded; the focus goes to it. */
    offerUndo(message, type) {
      this.undo = { runId: this.panel.active.id, type: type, id: this.latest(type) };
      this.panel.done(message);
      this.el.undo.hidden = false;
      this.el.undo.focus();
    }

    clearUndo() {
      this.undo = null;
      this.el.undo.hidden = true;
    }

    applyUndo() {
      const panel = this.panel;
      const undo = this.undo;
      this.clearUndo();
      if (!undo || !panel.active || panel.active.id !== undo.runId) {
        panel.say("Nothing to undo: the run changed in another tab.");
        return;
      }
      const done = undo.type === "reset" ? panel.record("undo", null, undo.id) : panel.record("reopen", null, null);
      if (!done) { return; }
      panel.done("Undone.");
      (undo.type === "reset" ? this.el.reset : this.el.end).focus();
    }
  }

  ns.RunActions = RunActions;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
