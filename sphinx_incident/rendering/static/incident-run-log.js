/* sphinx-incident: what a run records beyond its steps. Who holds each incident role of
 * the handbook (its team roles, from the page's data) in this run, shown too on the steps
 * those roles own; the milestones (detected, acknowledged, mitigated, resolved) with the
 * time each happened; and timeline entries, notes of the run at a time the responder may
 * set (backdate) and edit later. Each is a field of the run (incident-log.js): edits made
 * without seeing each other are shown side by side. Times are typed in local time.
 *
 * Registers globalThis.sphinxIncident.RunLog. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const time = ns.time;
  const timeline = ns.timeline;
  const browser = ns.browser;
  const element = browser.element;
  const LIMITS = format.LIMITS;

  /* "Dana (Sam, 03:14 UTC (04:14 local))": an edit, for the lists */
  function byline(edit) {
    return (edit.author ? edit.author + ", " : "") + time.shortTimes(edit.time);
  }

  class RunLog {
    constructor(panel) {
      this.panel = panel;
      const el = this.el = panel.el;
      this.editing = null; // the timeline entry being edited
      this.roleInputs = new Map();
      this.timeTyped = false; // the milestone's time was typed: it is kept until the milestone is set
      this.makeRoles(panel.checklist.teamRoles || []);
      browser.listen(el.roles, "submit", function (event) { event.preventDefault(); this.saveRoles(); }, this);
      browser.listen(el.milestoneForm, "submit", function (event) { event.preventDefault(); this.setMilestone(false); }, this);
      browser.listen(el.milestoneClear, "click", function () { this.setMilestone(true); }, this);
      browser.listen(el.milestoneTime, "input", function () { this.timeTyped = true; }, this);
      browser.listen(el.entryForm, "submit", function (event) { event.preventDefault(); this.saveEntry(false); }, this);
      browser.listen(el.entryRemove, "click", function () { this.saveEntry(true); }, this);
      browser.listen(el.entryCancel, "click", function () { this.stopEditing(true); }, this);
      browser.listen(el.entryForm, "keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); el.entrySave.click(); }
        if (event.key === "Escape" && this.editing) { this.stopEditing(true); }
      }, this);
    }

    /* an input per team role of the handbook */
    makeRoles(roles) {
      this.el.roles.hidden = roles.length === 0;
      roles.forEach(function (role) {
        const label = element("label", "incident-role-row", role.name + " ");
        const input = element("input", "incident-role-person");
        input.type = "text";
        input.maxLength = LIMITS.assignee;
        input.autocomplete = "off";
        label.appendChild(input);
        const others = element("span", "incident-role-conflict");
        label.appendChild(others);
        this.el.rolesList.appendChild(label);
        this.roleInputs.set(role.name, { input: input, others: others });
      }, this);
    }

    refresh(state, readOnly) {
      const el = this.el;
      el.runLog.hidden = !state;
      Array.prototype.forEach.call(el.runLog.querySelectorAll("fieldset"), function (set) { set.disabled = readOnly; });
      const roles = state ? state.roles : new Map();
      const panel = this.panel;
      this.roleInputs.forEach(function (parts, name) {
        const held = roles.get(name);
        if (document.activeElement !== parts.input) {
          parts.input.value = held ? held.value : "";
          parts.prev = state ? panel.heads("role " + name, state) : []; // what a change of the name shown replaces
        }
        parts.others.textContent = held && held.others.length ? " Also given to " + held.others.map(function (other) {
          return "“" + (other.value || "nobody") + "” (" + byline(other) + ")";
        }).join(", ") + ": save the roles to settle it." : "";
      });
      this.refreshMilestones(state ? state.milestones : new Map());
      if (!this.timeTyped) { this.el.milestoneTime.value = time.toLocalInput(time.isoSeconds()); }
    }

    /* The milestones set, in the form's list and on the progress line. */
    refreshMilestones(milestones) {
      const list = this.el.milestones;
      list.textContent = "";
      const shown = [];
      format.MILESTONES.forEach(function (name) {
        const set = milestones.get(name);
        if (!set) { return; }
        const title = timeline.MILESTONE_NAMES[name];
        const text = set.at ? title + ": " + time.shortTimes(set.at) + (set.author ? ", set by " + set.author : "") : title + ": cleared";
        const item = element("li", "incident-milestone", text);
        set.others.forEach(function (other) {
          item.appendChild(element("span", "incident-milestone-conflict", "; also " +
            (other.at ? time.shortTimes(other.at) : "cleared") + " (" + byline(other) + ")"));
        });
        list.appendChild(item);
        if (set.at) { shown.push(title + " " + time.shortTimes(set.at)); }
      });
      const line = shown.join(" · ");
      if (this.el.milestonesShown.textContent !== line) { this.el.milestonesShown.textContent = line; }
    }

    saveRoles() {
      const panel = this.panel;
      if (!panel.isOpen() && panel.active) { return; }
      const state = panel.state();
      const changes = [];
      this.roleInputs.forEach(function (parts, name) {
        const value = format.cleanLine(parts.input.value, LIMITS.assignee);
        const held = state ? state.roles.get(name) : null;
        if (held ? value !== held.value || held.others.length : value) {
          changes.push({ type: "role", role: name, value: value, prev: parts.prev });
        }
      });
      if (!changes.length) { panel.say("Nothing changed."); return; }
      if (!panel.active) { panel.startRun(panel.defaultName(time.isoSeconds()), false); }
      const recorded = changes.map(function (change) {
        return panel.change("role", null, change.value, { role: change.role, prev: change.prev });
      });
      if (panel.append(recorded)) { panel.done("Saved who holds each role."); }
    }

    /* Set the milestone chosen to the time typed (now when none), or clear it. */
    setMilestone(clear) {
      const panel = this.panel;
      const name = this.el.milestoneName.value;
      const at = clear ? null : time.fromLocalInput(this.el.milestoneTime.value) || time.isoSeconds();
      if (format.MILESTONES.indexOf(name) < 0) { return; }
      this.timeTyped = false;
      if (!panel.record("milestone", null, name, { at: at })) { return; }
      const title = timeline.MILESTONE_NAMES[name];
      panel.done(clear ? "Cleared the milestone “" + title + "”." : title + ": " + time.shortTimes(at) + ".");
    }

    /* Open the entry form on `entry` (from the timeline), to change its text or time. */
    editEntry(entry) {
      const el = this.el;
      this.editing = entry;
      el.runLog.open = true;
      el.entryText.value = entry.value;
      el.entryTime.value = time.toLocalInput(entry.at);
      el.entryLegend.textContent = "Edit the timeline entry";
      el.entrySave.textContent = "Save the entry";
      el.entryRemove.hidden = false;
      el.entryCancel.hidden = false;
      el.entryText.focus();
    }

    stopEditing(refocus) {
      const el = this.el;
      this.editing = null;
      el.entryText.value = "";
      el.entryTime.value = "";
      el.entryLegend.textContent = "Add to the timeline";
      el.entrySave.textContent = "Add to the timeline";
      el.entryRemove.hidden = true;
      el.entryCancel.hidden = true;
      if (refocus) { el.entryText.focus(); }
    }

    /* A new entry, or the edit of the one being edited; `remove`: an empty edit. */
    saveEntry(remove) {
      const panel = this.panel;
      const el = this.el;
      const text = remove ? "" : format.cleanText(el.entryText.value, LIMITS.note);
      if (!text && !remove) { el.entryText.focus(); return; }
      const typed = time.fromLocalInput(el.entryTime.value);
      const editing = this.editing;
      const extra = editing ? { root: editing.root, at: typed || editing.at } : { at: typed };
      if (!panel.record("entry", null, text, extra)) { return; }
      this.stopEditing(false);
      panel.done(remove ? "Removed the entry from the timeline." : editing ? "Saved the entry." : "Added to the timeline.");
      el.entryText.focus();
    }
  }

  ns.RunLog = RunLog;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
