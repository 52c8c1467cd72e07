/* sphinx-incident: what a panel shows and edits of each step. Below a step's first
 * line: its owner role (and who holds it in the run), and in a run when it was done and
 * by whom, its assignee and note, and edits of them made without seeing each other, all as
 * text and all describing the step's checkbox for screen readers (aria-describedby); at
 * the end of that line, in an open run, a button that opens the form to assign the step
 * or note on it (one form per panel, moved to the step being edited; Enter in the name
 * field or Ctrl+Enter in the note saves it, Escape cancels).
 *
 * Registers globalThis.sphinxIncident.StepDetails. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const time = ns.time;
  const browser = ns.browser;
  const element = browser.element;
  const LIMITS = format.LIMITS;
  let described = 0; // for ids of the details lines

  /* "Sam, 03:14 UTC (04:14 local)" */
  function by(edit) {
    return (edit.author ? edit.author + ", " : "") + time.shortTimes(edit.time);
  }

  /* The edits of a field that conflict with the one shown: "Also assigned to Kim (Sam, …)". */
  function conflicts(field, what) {
    return field ? field.others.map(function (other) {
      const text = other.value ? "also " + what.set + " “" + other.value + "”" : "also " + what.cleared;
      return element("span", "incident-step-conflict", text.charAt(0).toUpperCase() + text.slice(1) + " (" + by(other) +
        "): made without seeing the other, save the " + what.name + " again to settle it.");
    }) : [];
  }

  /* whether saving `value` in a field that has `before` (or nothing) is an edit: it is when
   * it differs, and when the field is in conflict (the edit settles it) */
  function needed(before, value) {
    return before ? value !== before.value || before.others.length > 0 : value !== "";
  }

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
      const owner = step && step.owner;
      const details = owner && owner.text ? [this.ownerPart(owner, state)] : [];
      if (state) { Array.prototype.push.apply(details, this.runParts(state, stepId)); }
      details.forEach(function (detail) { meta.insertBefore(detail, edit.parentNode === meta ? edit : null); });
      meta.hidden = !Array.prototype.some.call(meta.childNodes, function (child) { return child !== edit || !edit.hidden; });
      if (!meta.id) { described += 1; meta.id = "incident-step-details-" + described; }
      if (details.length) { box.setAttribute("aria-describedby", meta.id); } else { box.removeAttribute("aria-describedby"); }
    }

    /* What the run says of a step: when it was done and by whom, its assignee, its note, and
     * edits that conflict with them. */
    runParts(state, stepId) {
      const parts = [];
      const when = state.done.get(stepId);
      const who = state.assignee.get(stepId);
      const note = state.note.get(stepId);
      if (when) {
        parts.push(element("span", "incident-step-when", "Done " + time.shortTimes(when.time) + (when.author ? " by " + when.author : "")));
      }
      if (who && who.value) { parts.push(element("span", "incident-step-assignee", "Assigned to " + who.value)); }
      if (note && note.value) { parts.push(element("span", "incident-step-note", "Note: " + note.value)); }
      return parts.concat(
        conflicts(who, { set: "assigned to", cleared: "unassigned", name: "assignment" }),
        conflicts(note, { set: "noted", cleared: "the note removed", name: "note" })
      );
    }

    /* "Owner: <role>", the role a link only where it is one the page may follow, and who
     * holds the role in the run. */
    ownerPart(owner, state) {
      const part = element("span", "incident-step-owner", "Owner: ");
      const holder = state && owner.role ? state.roles.get(owner.role) : null;
      const href = owner.url ? browser.safeHref(owner.url) : null;
      let name = element("span", "", owner.text);
      if (href) {
        name = element("a", "", owner.text);
        name.href = href;
      }
      part.appendChild(name);
      if (holder && holder.value) { part.appendChild(element("span", "incident-step-role-holder", " — " + holder.value)); }
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
      browser.listen(form, "keydown", function (event) {
        if (event.key === "Escape") { this.close(true); }
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          save.click();
        }
      }, this);
      this.inputs = { who: whoInput, note: noteInput };
      return form;
    }

    open(box, stepId, button) {
      this.close();
      const state = this.panel.state();
      const meta = this.metas.get(box).meta;
      /* what the person sees now is what their edit replaces, whatever another tab saves meanwhile */
      this.editing = { box: box, stepId: stepId, who: this.panel.heads("assignee " + stepId), note: this.panel.heads("note " + stepId) };
      button.setAttribute("aria-expanded", "true");
      const who = state.assignee.get(stepId);
      const note = state.note.get(stepId);
      this.inputs.who.value = who ? who.value : "";
      this.inputs.note.value = note ? note.value : "";
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
      const before = { who: state.assignee.get(editing.stepId), note: state.note.get(editing.stepId) };
      if (needed(before.who, who)) { changes.push(panel.change("assign", editing.stepId, who, { prev: editing.who })); }
      if (needed(before.note, note)) { changes.push(panel.change("note", editing.stepId, note, { prev: editing.note })); }
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
