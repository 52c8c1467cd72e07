/* sphinx-incident: the steps a run names that are gone or changed in this build. The
 * panel lists them (incident-bind.js finds them) with what the run recorded on each, and
 * the responder decides: keep it on the step named (the step that now says what was
 * recorded, else the step of the same id), or drop it. A decision is a "rebind" event of
 * the run; dropped events stay on the timeline. An ended run's list is only shown.
 *
 * Registers globalThis.sphinxIncident.ChangedSteps. */
(function (ns) {
  "use strict";

  const time = ns.time;
  const runs = ns.runs;
  const bind = ns.bind;
  const browser = ns.browser;
  const element = browser.element;
  /* characters of a note shown in the list */
  const NOTE_SHOWN = 80;

  class ChangedSteps {
    constructor(panel) {
      this.panel = panel;
      this.el = panel.el;
      this.orphans = [];
      this.signature = null;
      browser.listen(this.el.keepAll, "click", function () { this.decide(this.orphans, true); }, this);
      browser.listen(this.el.dropAll, "click", function () { this.decide(this.orphans, false); }, this);
    }

    label(stepId) {
      const step = this.panel.steps.get(stepId);
      return step ? step.label : stepId;
    }

    /* "“2. Drain the queue” says something else now: done 03:12 UTC (04:12 local), assigned to Dana." */
    describe(orphan) {
      const effect = runs.effectOf(this.panel.active, orphan.events);
      const recorded = [];
      if (effect.done) { recorded.push("done " + time.shortTimes(effect.done)); }
      if (effect.assignee) { recorded.push("assigned to " + effect.assignee); }
      if (effect.note) {
        const note = Array.from(effect.note.replace(/\s+/g, " "));
        recorded.push("note “" + note.slice(0, NOTE_SHOWN).join("") + (note.length > NOTE_SHOWN ? "…" : "") + "”");
      }
      const what = recorded.length ? recorded.join(", ") : orphan.events.length + " events, nothing left on the step";
      const named = {
        gone: "“" + orphan.step + "” is no longer in the runbook",
        changed: "“" + this.label(orphan.step) + "” said something else when the run recorded this",
        unchecked: "“" + this.label(orphan.step) + "” was recorded by an earlier version, which did not keep what the step said"
      }[orphan.kind];
      return named + ": " + what + ".";
    }

    /* The list as the active run's `state` says; made again only when it changed. */
    refresh(state, readOnly) {
      const el = this.el;
      this.orphans = state ? state.orphans : [];
      const signature = JSON.stringify([readOnly, this.orphans]);
      if (signature === this.signature) { return; }
      this.signature = signature;
      el.changed.hidden = this.orphans.length === 0;
      el.changedList.textContent = "";
      if (!this.orphans.length) { return; }
      const count = this.orphans.length === 1 ? "One step this run names is" : this.orphans.length + " steps this run names are";
      el.changedIntro.textContent = count + " gone or changed since the run recorded them. " + (readOnly
        ? "The run has ended: what it recorded there stays on its timeline, on no step."
        : "Nothing was moved: keep each on the step named, or drop it (it stays on the timeline).");
      this.orphans.forEach(function (orphan) { el.changedList.appendChild(this.item(orphan, readOnly)); }, this);
      el.changedAll.hidden = readOnly || this.orphans.length < 2;
      el.keepAll.hidden = !this.orphans.some(function (orphan) { return orphan.candidate !== null; });
    }

    item(orphan, readOnly) {
      const item = element("li", "incident-changed-item", this.describe(orphan));
      if (readOnly) { return item; }
      const buttons = element("span", "incident-changed-buttons");
      if (orphan.candidate !== null) {
        const keep = element("button", "incident-changed-keep", "Keep on “" + this.label(orphan.candidate) + "”");
        keep.type = "button";
        browser.listen(keep, "click", function () { this.decide([orphan], true); }, this);
        buttons.appendChild(keep);
      }
      const drop = element("button", "incident-changed-drop", "Drop");
      drop.type = "button";
      drop.setAttribute("aria-label", "Drop what was recorded on “" + (orphan.kind === "gone" ? orphan.step : this.label(orphan.step)) + "”");
      browser.listen(drop, "click", function () { this.decide([orphan], false); }, this);
      buttons.appendChild(drop);
      item.appendChild(buttons);
      return item;
    }

    /* Keep each of `orphans` on its candidate step (`keep`; those without one are left), or drop them. */
    decide(orphans, keep) {
      const panel = this.panel;
      const steps = panel.steps;
      const chosen = orphans.filter(function (orphan) { return !keep || orphan.candidate !== null; });
      if (!chosen.length) { return; }
      const changes = chosen.map(function (orphan) { return bind.decision(orphan, keep ? orphan.candidate : null, steps); });
      if (!panel.append(changes)) { return; }
      panel.done(keep
        ? (chosen.length === 1 ? "Kept it on “" + this.label(chosen[0].candidate) + "”." : "Kept " + chosen.length + " steps' events on the steps named.")
        : (chosen.length === 1 ? "Dropped it: it stays on the timeline." : "Dropped " + chosen.length + " steps' events: they stay on the timeline."));
      const next = this.el.changedList.querySelector("button");
      (next && !this.el.changed.hidden ? next : this.el.select).focus();
    }
  }

  ns.ChangedSteps = ChangedSteps;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
