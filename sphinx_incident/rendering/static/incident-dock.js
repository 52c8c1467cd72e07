/* sphinx-incident: a panel's dock, a compact bar fixed at the bottom of the window. While
 * the runbook is in view but its panel's progress is not (step 150 of 200, on a phone), it
 * shows the progress, the panel's last message, the next step not done (a button that goes
 * to its box) and a way back to the panel. While the browser does not save the run it
 * shows a banner, whatever is in view, with a button that saves the run as a file: a
 * failure cannot be missed, and nothing is lost with the page.
 *
 * The docks of a page's panels share one container; the page keeps room for it below what
 * the keyboard focuses (scroll-padding), so no control ends up under it.
 *
 * Registers globalThis.sphinxIncident.Dock. */
(function (ns) {
  "use strict";

  const browser = ns.browser;
  const element = browser.element;

  /* the one container of the page's docks */
  function container() {
    let found = document.querySelector(".incident-docks");
    if (!found) {
      found = element("div", "incident-docks");
      document.body.appendChild(found);
    }
    return found;
  }

  function button(className, text) {
    const node = element("button", className, text);
    node.type = "button";
    return node;
  }

  class Dock {
    constructor(panel) {
      this.panel = panel;
      this.inView = { region: false, progress: true };
      const node = this.node = element("div", "incident-dock");
      node.setAttribute("role", "region");
      node.setAttribute("aria-label", "Incident run: " + panel.title());
      node.hidden = true;
      this.banner = element("div", "incident-banner");
      this.banner.setAttribute("role", "alert");
      this.bannerText = element("p", "incident-banner-text");
      this.saveFile = button("incident-banner-save", "Save the run as a file");
      this.banner.appendChild(this.bannerText);
      this.banner.appendChild(this.saveFile);
      this.bar = element("div", "incident-dock-bar");
      this.progress = element("span", "incident-dock-progress");
      this.status = element("span", "incident-dock-status");
      this.status.setAttribute("aria-hidden", "true"); // the panel's own status line is announced
      this.next = button("incident-dock-next", "");
      this.back = button("incident-dock-panel", "Panel");
      this.back.setAttribute("aria-label", "Back to the run's panel");
      [this.progress, this.next, this.back, this.status].forEach(function (part) { this.bar.appendChild(part); }, this);
      node.appendChild(this.banner);
      node.appendChild(this.bar);
      container().appendChild(node);
      browser.listen(this.saveFile, "click", function () { panel.share.downloadRun(); }, this);
      browser.listen(this.next, "click", this.goNext, this);
      browser.listen(this.back, "click", this.goBack, this);
      this.watch();
    }

    /* Follow whether the runbook and the panel's progress are in view. */
    watch() {
      if (typeof window.IntersectionObserver !== "function") { return; }
      const panel = this.panel;
      const region = panel.panel.closest(".incident-runbook-live") || panel.panel.parentNode;
      const observer = new window.IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          this.inView[entry.target === region ? "region" : "progress"] = entry.isIntersecting;
        }, this);
        this.refresh();
      }.bind(this));
      observer.observe(region);
      observer.observe(panel.el.progressRow);
    }

    /* the first box not ticked, in the page's order */
    nextBox() {
      return this.panel.boxes.find(function (box) { return !box.checked && !box.disabled; }) || null;
    }

    goNext() {
      const box = this.nextBox();
      if (!box) { return; }
      box.scrollIntoView({ block: "center", behavior: "instant" }); // not the theme's smooth scrolling
      box.focus({ preventScroll: true });
    }

    goBack() {
      const panel = this.panel;
      panel.el.progressRow.scrollIntoView({ block: "center", behavior: "instant" });
      (panel.el.select.offsetParent ? panel.el.select : panel.el.newRun).focus({ preventScroll: true });
    }

    refresh() {
      const panel = this.panel;
      const failing = !panel.stored && panel.active !== null;
      this.banner.hidden = !failing;
      if (failing) {
        this.bannerText.textContent = "This browser is not saving the run “" + panel.active.name + "”: its storage " +
          "is full or turned off. What you record stays on this page until it is closed: save the run as a file to keep it.";
      }
      const barShown = panel.active !== null && this.inView.region && !this.inView.progress;
      this.bar.hidden = !barShown;
      if (barShown) { this.refreshBar(); }
      const shown = failing || barShown;
      if (this.node.hidden === shown || shown) {
        this.node.hidden = !shown;
        /* room below what the keyboard focuses, for the docks shown (a layout read: only when one is) */
        const height = this.node.parentNode.offsetHeight;
        document.documentElement.style.setProperty("--incident-dock-space", height ? height + 8 + "px" : "0px");
      }
    }

    refreshBar() {
      const panel = this.panel;
      const text = panel.el.progressText.textContent;
      if (this.progress.textContent !== text) { this.progress.textContent = text; }
      this.status.textContent = panel.el.status.textContent;
      const box = this.nextBox();
      this.next.hidden = box === null;
      if (box) {
        const step = panel.steps.get(box.getAttribute("data-incident-step"));
        this.next.textContent = "Next: " + (step ? step.label : box.getAttribute("data-incident-step"));
      }
    }
  }

  ns.Dock = Dock;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
