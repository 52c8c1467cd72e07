/* sphinx-incident: what a panel hands to others. The Markdown checklist with the
 * run on the clipboard, a new issue in the tracker named by incident_issue_url, and
 * the active run as a hand-off link or a run file.
 *
 * Registers globalThis.sphinxIncident.ShareTools. */
(function (ns) {
  "use strict";

  const exportText = ns.exportText;
  const handoff = ns.handoff;
  const browser = ns.browser;

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
      browser.copyText(text, panel.panel).then(function (copied) {
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
        return browser.copyText(url, panel.panel).then(function (copied) {
          this.say((copied ? "Copied the hand-off link" : "Select and copy the hand-off link") +
            " (" + url.length + " characters). Opening it restores the run in another browser.");
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
