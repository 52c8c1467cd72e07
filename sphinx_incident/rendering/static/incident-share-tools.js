/* sphinx-incident: what a panel hands to others. The Markdown checklist with the run
 * on the clipboard (and beside it, for document editors, the same as HTML: a list and
 * the timeline's table), a new issue in the tracker named by incident_issue_url, and the
 * active run as a hand-off link or a run file. A link made on a page opened from disk
 * holds that page's path: the panel says it opens only on this machine.
 *
 * Registers globalThis.sphinxIncident.ShareTools. */
(function (ns) {
  "use strict";

  const exportText = ns.exportText;
  const time = ns.time;
  const timeline = ns.timeline;
  const handoff = ns.handoff;
  const browser = ns.browser;
  const element = browser.element;

  /* The checklist as HTML, with the run's ticks, then the timeline's table. */
  function checklistHtml(panel) {
    const root = element("div");
    root.appendChild(element("h2", "", panel.title()));
    const state = panel.state();
    const list = root.appendChild(element("ul"));
    panel.steps.forEach(function (step, id) {
      const done = state ? state.done.get(id) : null;
      const who = state ? state.assignee.get(id) : null;
      const note = state ? state.note.get(id) : null;
      list.appendChild(element("li", "", (done ? "☑ " : "☐ ") + timeline.stepLabel(panel.steps, id) +
        (who && who.value ? " · assigned to " + who.value : "") + (note && note.value ? " · note: " + note.value : "") +
        (done ? " (done " + time.utcText(done.time) + " UTC" + (done.author ? " by " + done.author : "") + ")" : "")));
    });
    if (panel.active) { root.appendChild(ns.postmortemTable(exportText.postmortem(panel.active, panel.about()))); }
    return root;
  }

  class ShareTools {
    constructor(panel) {
      this.panel = panel;
      const el = this.el = panel.el;
      browser.listen(el.copy, "click", this.copy, this);
      browser.listen(el.issue, "click", this.openIssue, this);
      browser.listen(el.link, "click", this.copyLink, this);
      browser.listen(el.downloadRun, "click", this.downloadRun, this);
      const template = panel.panel.getAttribute("data-incident-issue-url");
      el.issue.hidden = !(exportText.isIssueTemplate(template) && panel.checklist.issue);
    }

    say(message) {
      this.panel.say(message);
    }

    /* The checklist (as `sphinx-incident export` gives it) with the run's ticks,
     * assignments and notes, then the run's timeline. */
    copy() {
      const panel = this.panel;
      const text = exportText.checklistText(panel.checklist, panel.siteRoot(), panel.active, panel.about());
      browser.copyRich(text, checklistHtml(panel), panel.panel).then(function (copied) {
        this.say(copied ? "Copied" + (panel.active ? " the checklist and the run's timeline." : ".") : "Select and copy the text below.");
      }.bind(this));
    }

    /* A new-issue page with the checklist as its body; a body too long for a link goes by the clipboard. */
    openIssue() {
      const panel = this.panel;
      const issue = panel.checklist.issue;
      if (!issue) { return; }
      const template = panel.panel.getAttribute("data-incident-issue-url") || "";
      const title = panel.active ? panel.active.name : issue.title;
      const body = issue.body.split(panel.checklist.placeholder + "/").join(panel.siteRoot());
      const links = exportText.issueLinks(template, title, body);
      if (!links.valid) { this.say("The issue tracker's address is not an http(s) URL."); return; }
      if (links.fits) {
        this.openWindow(links.full, "Opened the new-issue page.");
        return;
      }
      browser.copyText(body, panel.panel).then(function (copied) {
        this.openWindow(links.short, copied
          ? "The checklist is too long for a link: it is on the clipboard, paste it into the new issue."
          : "The checklist is too long for a link: copy it from “Copy as Markdown checklist” into the new issue.");
      }.bind(this));
    }

    openWindow(url, message) {
      const opened = window.open(url, "_blank");
      if (opened) {
        opened.opener = null;
        this.say(message);
        return;
      }
      this.say(message + " The browser blocked the new window: ");
      const link = browser.element("a", "", "open the new-issue page");
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      this.el.status.appendChild(link);
    }

    copyLink() {
      const panel = this.panel;
      const run = panel.active;
      if (!run) { return; }
      const el = this.el;
      handoff.pack(run).then(function (packed) {
        const url = handoff.linkTo(browser.pageUrl(), packed);
        el.handoff.hidden = false;
        el.handoffLink.value = url;
        const local = window.location.protocol === "file:";
        el.handoffWarning.hidden = !local;
        el.handoffWarning.textContent = local ? "This page is opened from disk: the link holds its path (" +
          decodeURIComponent(window.location.pathname) + ") and opens the run only on this machine. " +
          "To hand over to another machine, send the run file." : "";
        return browser.copyText(url, panel.panel).then(function (copied) {
          this.say((copied ? "Copied the hand-off link" : "Select and copy the hand-off link") +
            " (" + url.length + " characters). " + (local ? "It opens only on this machine: see below."
              : "Opening it restores the run in another browser, or merges it with a copy there."));
          if (!copied) { el.handoffLink.select(); }
        }.bind(this));
      }.bind(this), function (error) {
        this.say("The hand-off link could not be made: " + error.message + ".");
      }.bind(this));
    }

    downloadRun() {
      const run = this.panel.active;
      if (!run) { return; }
      browser.download(exportText.runFile(run, this.panel.about()));
      this.say("Downloaded the run file: import it on another machine to hand the run over.");
    }
  }

  ns.ShareTools = ShareTools;
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
