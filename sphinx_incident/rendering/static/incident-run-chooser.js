/* sphinx-incident: a panel's run bar. The list of runs to switch between, the line
 * that says when the active run started or ended, the form that starts a new run, and
 * the responder's name: given once per browser, kept in it, and on every event recorded.
 *
 * Registers globalThis.sphinxIncident.RunChooser and .ResponderForm. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const time = ns.time;
  const runs = ns.runs;
  const browser = ns.browser;

  class RunChooser {
    constructor(panel) {
      this.panel = panel;
      const el = this.el = panel.el;
      browser.listen(el.newRun, "click", this.openStartForm, this);
      browser.listen(el.formCancel, "click", function () { this.closeStartForm(); }, this);
      browser.listen(el.form, "submit", function (event) {
        event.preventDefault();
        const name = format.cleanLine(el.name.value, format.LIMITS.name);
        panel.startRun(name || panel.defaultName(time.isoSeconds()), true);
      }, this);
      browser.listen(el.form, "keydown", function (event) { if (event.key === "Escape") { this.closeStartForm(); } }, this);
      browser.listen(el.select, "change", function () { panel.switchTo(el.select.value); }, this);
    }

    openStartForm() {
      const el = this.el;
      if (!el.form.hidden) { this.closeStartForm(); return; }
      el.form.hidden = false;
      el.newRun.setAttribute("aria-expanded", "true");
      el.name.value = this.panel.defaultName(time.isoSeconds());
      el.name.focus();
      el.name.select();
    }

    /* Hide the form; the focus goes back to its button unless a run was just `started`. */
    closeStartForm(started) {
      const el = this.el;
      const wasOpen = !el.form.hidden;
      el.form.hidden = true;
      el.newRun.setAttribute("aria-expanded", "false");
      if (wasOpen && started !== true) { el.newRun.focus(); }
    }

    /* The bar as the panel's runs are; `state` is the active run's, or null. */
    refresh(state) {
      const el = this.el;
      const count = this.panel.runs.length;
      el.none.hidden = count > 0;
      el.choose.hidden = count === 0;
      this.refreshSelect();
      el.info.textContent = !state ? "" : state.ended
        ? "Ended " + time.shortTimes(state.ended) + ": read-only."
        : "Started " + time.shortTimes(state.started) + ".";
      el.newRun.textContent = count ? "Start another run" : "Start an incident run";
    }

    /* The options are made again only when the runs, their names or their ends changed. */
    refreshSelect() {
      const select = this.el.select;
      const list = this.panel.runs;
      const signature = list.map(function (run) {
        return run.id + (runs.isEnded(run) ? "!" : "") + run.name;
      }).join("\n");
      if (select.getAttribute("data-incident-runs") !== signature) {
        select.setAttribute("data-incident-runs", signature);
        select.textContent = "";
        list.forEach(function (run) {
          const option = browser.element("option", "", run.name + (runs.isEnded(run) ? " (ended)" : ""));
          option.value = run.id;
          select.appendChild(option);
        });
      }
      if (this.panel.active) { select.value = this.panel.active.id; }
    }
  }

  /* "Your name": asked for until given, then shown with a button to change it. Every
   * panel of every page of the origin shares it. */
  class ResponderForm {
    constructor(panel) {
      this.panel = panel;
      this.changing = false;
      const el = this.el = panel.el;
      browser.listen(el.responderForm, "submit", function (event) {
        event.preventDefault();
        this.save();
      }, this);
      browser.listen(el.responderForm, "keydown", function (event) {
        if (event.key === "Escape" && browser.responder()) { this.show(false, true); }
      }, this);
      browser.listen(el.responderChange, "click", function () { this.show(true, true); }, this);
    }

    save() {
      const name = format.cleanLine(this.el.responderName.value, format.LIMITS.name);
      if (!browser.setResponder(name)) {
        this.panel.say("The browser did not let the page keep your name.");
        return;
      }
      this.changing = false;
      this.panel.say(name ? "Events you record say “" + name + "” did them." : "Your name is forgotten.");
      document.dispatchEvent(new window.CustomEvent("sphinx-incident-responder"));
      (name ? this.el.responderChange : this.el.responderName).focus();
    }

    /* The form while it is asked for (no name, or `changing`), else the name and its button. */
    show(changing, focus) {
      this.changing = changing;
      this.refresh();
      if (focus) { (changing ? this.el.responderName : this.el.responderChange).focus(); }
    }

    refresh() {
      const el = this.el;
      const name = browser.responder();
      const asking = !name || this.changing;
      el.responderForm.hidden = !asking;
      el.responderShown.hidden = asking;
      el.responderChange.setAttribute("aria-expanded", String(asking));
      el.responderText.textContent = name ? "Recording as " + name + "." : "";
      if (asking && document.activeElement !== el.responderName) { el.responderName.value = name; }
    }
  }

  ns.RunChooser = RunChooser;
  ns.ResponderForm = ResponderForm;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
