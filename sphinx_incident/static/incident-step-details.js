/* sphinx-incident: what a panel shows and edits of each step. Below a step's first
 * line: its owner role, and in a run its tick time, assignee and note, all as text;
 * at the end of that line, in an open run, a button that opens the form to assign
 * the step or note on it (one form per panel, moved to the step being edited).
 *
 * Registers globalThis.sphinxIncident.StepDetails. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const time = ns.time;
  const browser = ns.browser;
  const element = browser.element;
  const LIMITS = format.LIMITS;

  class StepDetails {
    constructor(panel) {
      this.panel = panel;
      this.metas = new Map(); // box: {meta, edit}
      this.editing = null; // {box, stepId} while the form is open
      this.inputs = null;
      this.form = this.makeForm();
    }

    /* The details line and edit button of a box, made on first use. */
    partsOf(box, stepId) {
      let parts = this.metas.get(box);
      if (parts) { return parts; }
      parts = { meta: element("div", "incident-step-meta"), edit: element("button", "incident-step-edit") };
      parts.edit.type = "button";
      parts.edit.setAttribute("aria-expanded", "false");
      browser.listen(parts.edit, "click", function () { this.open(box, stepId, parts.edit); }, this);
      const line = box.closest("p");
      if (line && line.parentNode) {
        line.appendChild(parts.edit);
        line.parentNode.insertBefore(parts.meta, line.nextSibling);
      } else {
        const step = box.closest(".incident-step") || box.parentNode;
        step.appendChild(parts.meta);
        parts.meta.appendChild(parts.edit);
      }
      this.metas.set(box, parts);
      return parts;
    }

    /* One step as the run's `state` says (null: no run); the open form is left as it is. */
    refresh(box, stepId, state, readOnly) {
      const parts = this.partsOf(box, stepId);
      const step = this.panel.steps.get(stepId);
      const who = state ? state.assignee.get(stepId) : undefined;
      const note = state ? state.note.get(stepId) : undefined;
      const edit = parts.edit;
      edit.hidden = !state || readOnly;
      edit.textContent = who || note ? "Edit assignment or note" : "Assign or note";
      edit.setAttribute("aria-label", edit.textContent + ": " + (step ? step.label : stepId));
      if (this.editing && this.editing.box === box) { return; }
      const meta = parts.meta;
      Array.prototype.slice.call(meta.childNodes).forEach(function (child) {
        if (child !== edit) { child.remove(); }
      });
      const details = [];
      const owner = step && step.owner;
      if (owner && owner.text) { details.push(this.ownerPart(owner)); }
      if (state) {
        const when = state.done.get(stepId);
        if (when) { details.push(element("span", "incident-step-when", "Done " + time.shortTimes(when))); }
        if (who) { details.push(element("span", "incident-step-assignee", "Assigned to " + who)); }
        if (note) { details.push(element("span", "incident-step-note", "Note: " + note)); }
      }
      details.forEach(function (detail) { meta.insertBefore(detail, edit.parentNode === meta ? edit : null); });
      meta.hidden = !Array.prototype.some.call(meta.childNodes, function (child) { return child !== edit || !edit.hidden; });
    }

    /* "Owner: <role>", the role a link only where it is one the page may follow. */
    ownerPart(owner) {
      const part = element("span", "incident-step-owner", "Owner: ");
      const href = owner.url ? browser.safeHref(owner.url) : null;
      let name = element("span", "", owner.text);
      if (href) {
        name = element("a", "", owner.text);
        name.href = href;
      }
      part.appendChild(name);
      return part;
    }

    makeForm() {
      const form = element("form", "incident-step-form");
      const who = element("label", "", "Assigned to ");
      const whoInput = element("input", "incident-step-assignee-input");
      whoInput.type = "text";
      whoInput.maxLength = LIMITS.assignee;
      whoInput.autocomplete = "off";
      who.appendChild(whoInput);
      const note = element("label", "", "Note ");
      const noteInput = element("textarea", "incident-step-note-input");
      noteInput.rows = 2;
      noteInput.maxLength = LIMITS.note;
      note.appendChild(noteInput);
      const save = element("button", "incident-step-save", "Save");
      save.type = "submit";
      const cancel = element("button", "incident-step-cancel", "Cancel");
      cancel.type = "button";
      const buttons = element("span", "incident-step-form-buttons");
      buttons.appendChild(save);
      buttons.appendChild(cancel);
      form.appendChild(who);
      form.appendChild(note);
      form.appendChild(buttons);
      browser.listen(form, "submit", function (event) {
        event.preventDefault();
        this.save(format.cleanLine(whoInput.value, LIMITS.assignee), format.cleanText(noteInput.value, LIMITS.note));
      }, this);
      browser.listen(cancel, "click", function () { this.close(true); }, this);
      browser.listen(form, "keydown", function (event) { if (event.key === "Escape") { this.close(true); } }, this);
      this.inputs = { who: whoInput, note: noteInput };
      return form;
    }

    open(box, stepId, button) {
      this.close();
      const state = this.panel.state();
      const meta = this.metas.get(box).meta;
      this.editing = { box: box, stepId: stepId };
      button.setAttribute("aria-expanded", "true");
      this.inputs.who.value = state.assignee.get(stepId) || "";
      this.inputs.note.value = state.note.get(stepId) || "";
      const step = this.panel.steps.get(stepId);
      this.form.setAttribute("aria-label", "Assignment and note: " + (step ? step.label : stepId));
      meta.appendChild(this.form);
      meta.hidden = false;
      this.inputs.who.focus();
    }

    /* Close the form, if open, and show the step again; the focus back on its button when `refocus`. */
    close(refocus) {
      const editing = this.editing;
      if (!editing) { return; }
      this.editing = null;
      this.form.remove();
      this.panel.refresh();
      if (refocus) { this.metas.get(editing.box).edit.focus(); }
    }

    /* An assignment and a note as events, only those that changed, at one time. */
    save(who, note) {
      const panel = this.panel;
      const editing = this.editing;
      if (!editing || !panel.isOpen()) { this.close(true); return; }
      const state = panel.state();
      const changes = [];
      if (who !== (state.assignee.get(editing.stepId) || "")) { changes.push(panel.change("assign", editing.stepId, who)); }
      if (note !== (state.note.get(editing.stepId) || "")) { changes.push(panel.change("note", editing.stepId, note)); }
      this.editing = null;
      this.form.remove();
      if (!changes.length) {
        panel.say("Nothing changed.");
        panel.refresh();
      } else if (panel.append(changes)) {
        panel.done("Saved.");
      }
      this.metas.get(editing.box).edit.focus();
    }
  }

  ns.StepDetails = StepDetails;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
