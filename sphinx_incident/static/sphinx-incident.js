/* sphinx-incident: tick runbook steps, keep the ticks in localStorage, copy the checklist.
 * Everything the script needs is in the page: each panel's data attributes and its
 * <script type="application/json" class="incident-checklist"> block. */
"use strict";
(function () {
  var PREFIX = "sphinx-incident:";

  function load(runbookId) {
    try {
      var saved = JSON.parse(window.localStorage.getItem(PREFIX + runbookId) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch (error) {
      return {};
    }
  }

  function save(runbookId, ticks) {
    try {
      if (Object.keys(ticks).length) {
        window.localStorage.setItem(PREFIX + runbookId, JSON.stringify(ticks));
      } else {
        window.localStorage.removeItem(PREFIX + runbookId);
      }
    } catch (error) {
      /* storage full or disabled: ticks last until the page is left */
    }
  }

  function markdown(checklist, ticks) {
    var root = new URL(checklist.siteRoot, window.location.href).href;
    return checklist.lines.map(function (line) {
      var text = line.text.split(checklist.placeholder + "/").join(root);
      if (line.step && ticks[line.step]) {
        text = text.replace("- [ ] ", "- [x] ") + " (done " + ticks[line.step] + ")";
      }
      return text;
    }).join("\n") + "\n";
  }

  function copyText(text, panel) {
    var area = panel.querySelector("textarea.incident-copy-buffer");
    if (!area) {
      area = document.createElement("textarea");
      area.className = "incident-copy-buffer";
      area.setAttribute("aria-hidden", "true");
      area.readOnly = true;
      panel.appendChild(area);
    }
    area.value = text;
    var status = panel.querySelector(".incident-copy-status");
    function done(message) { if (status) { status.textContent = message; } }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(
        function () { done("Copied"); },
        function () { area.select(); done(document.execCommand("copy") ? "Copied" : "Select and copy the text below"); }
      );
    }
    area.select();
    done(document.execCommand("copy") ? "Copied" : "Select and copy the text below");
    return Promise.resolve();
  }

  function setUp(panel) {
    var runbookId = panel.getAttribute("data-incident-runbook");
    var dataBlock = panel.querySelector("script.incident-checklist");
    var checklist = JSON.parse(dataBlock.textContent);
    var root = panel.parentNode;
    var boxes = Array.prototype.slice.call(root.querySelectorAll("input.incident-check-input"));
    var progress = panel.querySelector(".incident-progress");
    var progressText = panel.querySelector(".incident-progress-text");
    var ticks = load(runbookId);

    function refresh() {
      var done = 0;
      boxes.forEach(function (box) {
        var stepId = box.getAttribute("data-incident-step");
        box.checked = Boolean(ticks[stepId]);
        box.title = ticks[stepId] ? "Done " + ticks[stepId] : "";
        if (box.checked) { done += 1; }
        var step = box.closest(".incident-step");
        if (step) { step.classList.toggle("incident-step-done", box.checked); }
      });
      progress.value = done;
      progressText.textContent = done + " of " + boxes.length + " done";
    }

    boxes.forEach(function (box) {
      box.disabled = false;
      box.addEventListener("change", function () {
        var stepId = box.getAttribute("data-incident-step");
        if (box.checked) {
          ticks[stepId] = new Date().toISOString().replace(/\.\d+Z$/, "Z");
        } else {
          delete ticks[stepId];
        }
        save(runbookId, ticks);
        refresh();
      });
    });
    panel.querySelector(".incident-reset").addEventListener("click", function () {
      ticks = {};
      save(runbookId, ticks);
      refresh();
    });
    panel.querySelector(".incident-copy").addEventListener("click", function () {
      copyText(markdown(checklist, ticks), panel);
    });
    window.addEventListener("storage", function (event) {
      if (event.key === PREFIX + runbookId) { ticks = load(runbookId); refresh(); }
    });
    refresh();
  }

  function start() {
    document.documentElement.classList.add("incident-js");
    Array.prototype.forEach.call(document.querySelectorAll(".incident-panel"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
