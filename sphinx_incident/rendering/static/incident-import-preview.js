/* sphinx-incident: importing a run handed over as a file or a link. What would come in is
 * checked (format.readRun) and summed up in the panel, its events on the steps of this
 * build; nothing is saved before "Import this run". A copy of a run this browser has (the
 * same history) is merged with it, and the preview says what the import adds, what only
 * this browser's copy has (it stays), and where the two differ (both kept, and shown). A
 * run that shares only its name with one here is named apart. The imported run becomes the
 * active one, and the preview says so. The summary describes the button that imports, so
 * a screen reader reads it with the button. A link's run is opened in the panel of its
 * runbook (openFromFragment), and the fragment is taken off the address once it was read.
 *
 * Registers globalThis.sphinxIncident.ImportPreview and .openFromFragment. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const time = ns.time;
  const runs = ns.runs;
  const merge = ns.merge;
  const timeline = ns.timeline;
  const handoff = ns.handoff;
  const browser = ns.browser;
  const element = browser.element;
  const LIMITS = format.LIMITS;
  /* what the preview calls events of each type, one and several */
  const KINDS = {
    start: ["start", "starts"], tick: ["tick", "ticks"], untick: ["untick", "unticks"], assign: ["assignment", "assignments"],
    note: ["note", "notes"], reset: ["reset", "resets"], undo: ["undo", "undos"], handoff: ["hand-off", "hand-offs"],
    rebind: ["decision on a changed step", "decisions on changed steps"], role: ["role given", "roles given"],
    milestone: ["milestone", "milestones"], entry: ["timeline entry", "timeline entries"], end: ["end", "ends"],
    reopen: ["reopening", "reopenings"]
  };

  function clearFragment() {
    if (handoff.packedIn(window.location.hash) !== null) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }

  /* "3 events (2 ticks, 1 note) by Kim and Sam" */
  function counted(events) {
    const kinds = new Map();
    const authors = [];
    events.forEach(function (event) {
      kinds.set(event.type, (kinds.get(event.type) || 0) + 1);
      if (event.author && authors.indexOf(event.author) < 0) { authors.push(event.author); }
    });
    const parts = Array.from(kinds.keys()).map(function (type) {
      const count = kinds.get(type);
      return count + " " + KINDS[type][count === 1 ? 0 : 1];
    });
    return events.length + (events.length === 1 ? " event" : " events") + " (" + parts.join(", ") + ")" +
      (authors.length ? " by " + authors.join(", ") : "");
  }

  /* what one version of field `key` says: a milestone's time, else its value */
  function versionText(key, event) {
    if (key.indexOf("milestone ") === 0) { return event.at ? time.shortTimes(event.at) : "cleared"; }
    return event.value || "nothing";
  }

  class ImportPreview {
    constructor(panel) {
      this.panel = panel;
      this.pending = null; // {run, source, local, name} while the preview is shown
      const el = this.el = panel.el;
      el.importSummary.id = el.importSummary.id || "incident-import-summary-" + panel.runbook;
      el.importAccept.setAttribute("aria-describedby", el.importSummary.id);
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
      const run = read.run;
      const local = panel.runs.find(function (other) { return merge.sharesHistory(other, run); }) || null;
      const differences = local ? merge.differences(local, run, panel.steps) : null;
      if (differences && differences.problem) { this.refuse(differences.problem); return false; }
      const taken = panel.runs.filter(function (other) { return other.id !== run.id; }).map(function (other) { return other.name; });
      const sameId = panel.runs.find(function (other) { return other.id === run.id; });
      if (sameId && !local) { this.refuse("this browser has another run of the same id"); return false; }
      this.pending = { run: run, source: source, merged: differences ? differences.merged : null, name: merge.nameApart(run.name, taken) };
      this.el.importSummary.textContent = this.summary(run, differences).join(" ");
      this.showDifferences(differences);
      this.el.importBox.hidden = false;
      this.el.status.textContent = "";
      this.el.importAccept.focus();
      return true;
    }

    /* The sentences of the preview. */
    summary(run, differences) {
      const pending = this.pending;
      const result = differences ? differences.merged : run;
      const state = runs.stateOf(result, this.panel.steps);
      const parts = ["Import the run “" + run.name + "”, started " + time.shortTimes(state.started) +
        (state.ended ? " and ended " + time.shortTimes(state.ended) : "") + "?"];
      if (differences) {
        parts.push(differences.added.length
          ? "This browser has a copy of it: the import adds " + counted(differences.added) + "."
          : "This browser already has every event of it: importing changes nothing but the hand-off.");
        if (differences.kept.length) { parts.push("This copy's " + counted(differences.kept) + " stay."); }
      } else if (pending.name !== run.name) {
        parts.push("A run here has the same name but another history: this one is imported as “" + pending.name + "”.");
      }
      parts.push((differences ? "Then " : "") + state.done.size + " of " + this.panel.boxes.length + " steps done, " +
        state.assignee.size + " assigned, " + state.note.size + " with notes, " + result.events.length + " events.");
      const unknown = state.orphans.length;
      if (unknown) {
        parts.push(unknown + (unknown === 1 ? " step it names is" : " steps it names are") +
          " gone or changed in this version of the runbook: you decide what becomes of them once it is imported.");
      }
      if (differences && differences.conflicts.length) {
        parts.push("The two copies differ in " + differences.conflicts.length + (differences.conflicts.length === 1 ? " place" : " places") +
          " (below): both versions are kept and shown.");
      }
      parts.push("It becomes the active run.");
      return parts;
    }

    /* The fields where the copies differ: "The assignee of “3. Promote”: “Kim” (Kim, 03:20 UTC
     * (04:20 local), in the import) and “Dana” (Dana, …, here)". */
    showDifferences(differences) {
      const list = this.el.importDifferences;
      list.textContent = "";
      list.hidden = !differences || !differences.conflicts.length;
      if (list.hidden) { return; }
      const local = this.panel.runs.find(function (run) { return run.id === differences.merged.id; });
      const mine = new Set(local.events.map(function (event) { return event.id; }));
      differences.conflicts.forEach(function (conflict) {
        const versions = [conflict.winner].concat(conflict.others).map(function (event) {
          return "“" + versionText(conflict.key, event) + "” (" + (event.author ? event.author + ", " : "") +
            time.shortTimes(event.time) + (mine.has(event.id) ? ", here" : ", in the import") + ")";
        });
        list.appendChild(element("li", "", this.fieldName(conflict.key) + ": " + versions.join(" and ")));
      }, this);
    }

    fieldName(key) {
      const space = key.indexOf(" ");
      const kind = key.slice(0, space);
      const name = key.slice(space + 1);
      const step = "“" + timeline.stepLabel(this.panel.steps, name) + "”";
      return {
        assignee: "The assignee of " + step, note: "The note on " + step, role: "Who holds the role " + name,
        milestone: "The milestone " + (timeline.MILESTONE_NAMES[name] || name), entry: "A timeline entry"
      }[kind];
    }

    accept() {
      const pending = this.pending;
      if (!pending) { return; }
      const panel = this.panel;
      const run = pending.merged || Object.assign({}, pending.run, { name: pending.name });
      runs.markHandedOff(run, pending.source, browser.clock());
      const stored = panel.adopt(run);
      panel.actions.clearUndo();
      this.close(stored ? (pending.merged ? "Merged the run “" + run.name + "” with this browser's copy." :
        "Imported the run “" + run.name + "”.") + " It is the active run." : null);
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
