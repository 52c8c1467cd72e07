/* sphinx-incident: a run's timeline, for the page and for the postmortem. No DOM.
 *
 * One row per event, in order of time: the time it happened (a milestone or a timeline
 * entry at the time it is about, any other event at its time corrected by its device's
 * clock offset), then the run's order. Each row says who recorded it, what happened, on
 * which step (a sub-step as "parent › sub-step"), and flags a clock that was off by a
 * minute or more. The exports (incident-export.js) and the panel's list are made from it.
 *
 * `steps` below is a Map of step id to {label, fingerprint, parent, ...}: the page's steps.
 *
 * Registers globalThis.sphinxIncident.timeline; needs .format, .time, .log and .runs. */
(function (ns) {
  "use strict";

  const time = ns.time;
  const log = ns.log;
  const runs = ns.runs;

  const EVENT_NAMES = Object.freeze({
    start: "Run started", tick: "Done", untick: "Not done", assign: "Assigned", note: "Note",
    reset: "Ticks cleared", handoff: "Handed over", rebind: "Changed step decided", end: "Run ended",
    reopen: "Run reopened", undo: "Undone", role: "Role", milestone: "Milestone", entry: "Timeline entry"
  });
  const MILESTONE_NAMES = Object.freeze({
    detected: "Detected", acknowledged: "Acknowledged", mitigated: "Mitigated", resolved: "Resolved"
  });

  /* A step's label, a sub-step's after its parent's ("6. Communicate … › 1. Assign …"); a
   * step the runbook no longer has goes by its id. */
  function stepLabel(steps, stepId) {
    const step = stepId ? steps.get(stepId) : null;
    if (!step) { return stepId || ""; }
    const path = [step.label];
    const seen = new Set([stepId]);
    let parent = step.parent ? steps.get(step.parent) : null;
    while (parent && !seen.has(parent.id)) {
      seen.add(parent.id);
      path.unshift(parent.label);
      parent = parent.parent ? steps.get(parent.parent) : null;
    }
    return path.join(" › ");
  }

  /* The label of an event's step: the step it is about in this build (`bound`), else its
   * id, said to be not on this version of the runbook. */
  function eventLabel(steps, event, bound) {
    if (event.type === "rebind") { return stepLabel(steps, event.step); }
    if (event.step === null) { return ""; }
    return bound === null ? event.step + " (not on this version of the runbook)" : stepLabel(steps, bound);
  }

  function eventName(event) {
    return event.type === "milestone" ? MILESTONE_NAMES[event.value] : EVENT_NAMES[event.type];
  }

  /* "entered 04:00 UTC (05:00 local)" for an entry about another time than it was written */
  function entered(event, when) {
    return Math.abs(time.secondsBetween(when, log.correctedTime(event))) >= log.SKEW
      ? "entered " + time.shortTimes(log.correctedTime(event)) : "";
  }

  function joined(parts) {
    return parts.filter(Boolean).join(", ");
  }

  /* what a row says beyond its event and step */
  function eventDetail(event, when, byId) {
    switch (event.type) {
      case "assign": return event.value || "nobody";
      case "note": return event.value || "(note removed)";
      case "handoff": return event.value === "link" ? "imported from a hand-off link" : "imported from a run file";
      case "rebind":
        return (event.step === null ? "dropped what was recorded on " : "kept what was recorded on ") + event.value.step;
      case "undo": {
        const undone = byId.get(event.value);
        return undone ? "the ticks cleared at " + time.shortTimes(undone.time) + " are back" : "";
      }
      case "role": return event.role + ": " + (event.value || "nobody");
      case "milestone": return event.at === null ? "cleared" : entered(event, when);
      case "entry": return joined([event.value || "(entry removed)", entered(event, when)]);
      default: return "";
    }
  }

  /* "recorded as 03:02:09 UTC by a clock 10 min behind", or "" */
  function clockNote(event) {
    if (!log.isSkewed(event)) { return ""; }
    return "recorded as " + time.utcText(event.time).slice(11) + " UTC by a clock " +
      time.durationText(event.offset) + (event.offset < 0 ? " behind" : " ahead");
  }

  /* when an event happened: a milestone or an entry at the time it is about */
  function whenOf(event) {
    return (event.type === "milestone" || event.type === "entry") && event.at ? event.at : log.correctedTime(event);
  }

  /* One row per event, in order of time, with everything the page and the exports show of it:
   * {id, time (ISO), utc, local, sheet, offset, who, type, event, step, label, value, detail, clock}. */
  function rows(run, steps) {
    const state = runs.stateOf(run, steps);
    const byId = new Map(run.events.map(function (event) { return [event.id, event]; }));
    const list = run.events.map(function (event, index) {
      const when = whenOf(event);
      return {
        index: index,
        id: event.id,
        time: when,
        utc: time.utcText(when),
        local: time.localText(when),
        sheet: time.sheetText(when),
        offset: time.offsetText(when),
        who: event.author || "",
        type: event.type,
        event: eventName(event),
        step: event.step || "",
        label: eventLabel(steps, event, state.stepOf[index]),
        value: event.type === "rebind" ? event.value.step : event.value,
        detail: eventDetail(event, when, byId),
        clock: clockNote(event)
      };
    });
    return list.sort(function (a, b) { return a.time < b.time ? -1 : a.time > b.time ? 1 : a.index - b.index; });
  }

  ns.timeline = Object.freeze({
    EVENT_NAMES: EVENT_NAMES,
    MILESTONE_NAMES: MILESTONE_NAMES,
    stepLabel: stepLabel,
    rows: rows
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
