/* sphinx-incident: importing a run handed over as a file or a link. What would come
 * in is checked (format.readRun) and summed up in the panel, its events on the steps of
 * this build; nothing is saved before "Import this run". A link's run is opened in the panel of its runbook
 * (openFromFragment), and the fragment is taken off the address once it was read.
 *
 * Registers globalThis.sphinxIncident.ImportPreview and .openFromFragment. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const time = ns.time;
  const runs = ns.runs;
  const handoff = ns.handoff;
  const browser = ns.browser;
  const LIMITS = format.LIMITS;

  function clearFragment() {
    if (handoff.packedIn(window.location.hash) !== null) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }

  class ImportPreview {
    constructor(panel) {
      this.panel = panel;
      this.pending = null; // {run, source} while the preview is shown
      const el = this.el = panel.el;
      browser.listen(el.importButton, "click", function () { el.file.value = ""; el.file.click(); }, this);
      browser.listen(el.file, "change", this.readFile, this);
      browser.listen(el.importAccept, "click", this.accept, this);
      browser.listen(el.importCancel, "click", function () { this.close("Nothing was imported."); }, this);
    }

    readFile() {
      const file = this.el.file.files && this.el.file.files[0];
      if (!file) { return; }
      if (file.size > LIMITS.bytes) { this.refuse("the file is larger than " + LIMITS.bytes + " bytes"); return; }
      file.text().then(function (text) {
        let data;
        try { data = JSON.parse(text); } catch (error) { this.refuse("it is not JSON"); return; }
        this.preview(data, "file");
      }.bind(this), function () { this.refuse("the file could not be read"); }.bind(this));
    }

    refuse(reason) {
      this.close();
      this.panel.say("Nothing was imported: " + reason + ".");
    }

    /* Show what importing `data` (from a "file" or a "link") would bring in. */
    preview(data, source) {
      const panel = this.panel;
      const read = format.readRun(data, panel.runbook);
      if (read.problem) { this.refuse(read.problem); return false; }
      this.pending = { run: read.run, source: source };
      this.el.importSummary.textContent = this.summary(read.run).join(" ");
      this.el.importBox.hidden = false;
      this.el.status.textContent = "";
      this.el.importAccept.focus();
      return true;
    }

    /* The sentences of the preview. */
    summary(run) {
      const state = runs.stateOf(run, this.panel.steps);
      const unknown = state.issues.length;
      const mine = this.panel.runs.find(function (other) { return other.id === run.id; });
      const parts = [
        "Import the run “" + run.name + "”, started " + time.shortTimes(state.started) +
          (state.ended ? " and ended " + time.shortTimes(state.ended) : "") + "?",
        state.done.size + " of " + this.panel.boxes.length + " steps done, " + state.assignee.size + " assigned, " +
          state.note.size + " with notes, " + run.events.length + " events."
      ];
      if (mine) { parts.push("It replaces this browser's copy of the run (" + mine.events.length + " events)."); }
      if (unknown) {
        parts.push(unknown + (unknown === 1 ? " step it names is" : " steps it names are") +
          " gone or changed in this version of the runbook: you decide what becomes of them once it is imported.");
      }
      return parts;
    }

    accept() {
      const pending = this.pending;
      if (!pending) { return; }
      const panel = this.panel;
      const run = runs.markHandedOff(pending.run, pending.source, time.isoSeconds());
      const stored = panel.adopt(run);
      panel.clearUndo();
      this.close(stored ? "Imported the run “" + run.name + "”." : null);
      panel.refresh();
      this.el.select.focus();
    }

    close(message) {
      this.pending = null;
      this.el.importBox.hidden = true;
      clearFragment();
      if (message) { this.panel.say(message); }
    }
  }

  /* A hand-off link (#incident-run=...) opens an import preview in the panel of its runbook. */
  function openFromFragment(panels) {
    const packed = handoff.packedIn(window.location.hash);
    if (packed === null || !panels.length) { return; }
    const first = panels[0];
    handoff.unpack(packed).then(function (data) {
      const problem = format.readRun(data).problem;
      const target = problem ? null : panels.find(function (panel) { return panel.runbook === data.runbook; });
      if (target) {
        target.panel.scrollIntoView();
        target.importer.preview(data, "link");
        return;
      }
      first.importer.refuse(problem ? problem : "the hand-off link is for a runbook that is not on this page");
      first.panel.scrollIntoView();
    }, function (error) {
      first.importer.refuse("the hand-off link could not be read, " + error.message);
      first.panel.scrollIntoView();
    });
  }

  ns.ImportPreview = ImportPreview;
  ns.openFromFragment = openFromFragment;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
