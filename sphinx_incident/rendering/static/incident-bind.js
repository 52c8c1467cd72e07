/* sphinx-incident: which step each of a run's events is about, in this build. No DOM.
 *
 * An event names its step by id and fingerprint (incident-format.js). After a rebuild a
 * step may be gone, may say something else under the same id, or may say the same under
 * another id; events of a version 1 run have no fingerprint at all. bindEvents() puts an
 * event on a step only where the step of that id says what the event's fingerprint says;
 * every other event is listed, grouped by the step it names, with a candidate step for
 * it (the one step that now says what was recorded, else the step of the same id), and
 * the responder decides: keep the events on the candidate, or drop them. A decision is a
 * "rebind" event, so it is part of the run, moves with it in a hand-off, and is on its
 * timeline: nothing moves silently.
 *
 * `steps` below is a Map of step id to {fingerprint, ...}: the steps of the page.
 *
 * Registers globalThis.sphinxIncident.bind. */
(function (ns) {
  "use strict";

  /* one key for a step id and a fingerprint (ids have no spaces) */
  function pairKey(step, fingerprint) {
    return step + " " + (fingerprint || "");
  }

  /* What each rebind says, by the step it moves events from: the last decision counts. */
  function decisions(events) {
    const map = new Map();
    events.forEach(function (event) {
      if (event.type === "rebind") {
        map.set(pairKey(event.value.step, event.value.fingerprint), { step: event.step, fingerprint: event.fingerprint });
      }
    });
    return map;
  }

  /* Where events recorded on (step, fingerprint) belong after the decisions: followed
   * through decisions made on later builds; {step: null} when they were dropped. */
  function follow(map, step, fingerprint) {
    let at = { step: step, fingerprint: fingerprint };
    for (let hops = 0; hops <= map.size; hops += 1) {
      const next = map.get(pairKey(at.step, at.fingerprint));
      if (!next) { return at; }
      if (next.step === null) { return next; }
      at = next;
    }
    return at; // a cycle of decisions: the last step reached
  }

  /* Current step ids by fingerprint. */
  function byFingerprint(steps) {
    const found = new Map();
    steps.forEach(function (step, id) {
      const list = found.get(step.fingerprint) || [];
      list.push(id);
      found.set(step.fingerprint, list);
    });
    return found;
  }

  /* Why events on (step, fingerprint) cannot be put on a step, and where they might go. */
  function orphanGroup(at, steps, fingerprints) {
    const same = steps.has(at.step) ? at.step : null;
    const matches = at.fingerprint === null ? [] : fingerprints.get(at.fingerprint) || [];
    return {
      step: at.step,
      fingerprint: at.fingerprint,
      /* "gone": no step of that id; "changed": it says something else now; "unchecked":
       * recorded without a fingerprint, by a version that did not keep one */
      kind: same === null ? "gone" : at.fingerprint === null ? "unchecked" : "changed",
      candidate: matches.length === 1 ? matches[0] : same,
      events: []
    };
  }

  /* {stepOf, orphans}: stepOf[i] is the step event i is about in this build, or null (not
   * about a step, dropped, or listed); orphans are the listed groups, in the order their
   * first event happened: {step, fingerprint, kind, candidate, events: [indices]}. */
  function bindEvents(events, steps) {
    const map = decisions(events);
    const fingerprints = byFingerprint(steps);
    const orphans = new Map();
    const stepOf = events.map(function (event, index) {
      if (event.step === null || event.type === "rebind") { return null; }
      const at = follow(map, event.step, event.fingerprint);
      if (at.step === null) { return null; }
      const step = steps.get(at.step);
      if (step && at.fingerprint !== null && step.fingerprint === at.fingerprint) { return at.step; }
      const key = pairKey(at.step, at.fingerprint);
      if (!orphans.has(key)) { orphans.set(key, orphanGroup(at, steps, fingerprints)); }
      orphans.get(key).events.push(index);
      return null;
    });
    return { stepOf: stepOf, orphans: Array.from(orphans.values()) };
  }

  /* The rebind event ({type, step, fingerprint, value}) that keeps the events of `orphan` on
   * the step `target` (a step id of `steps`), or drops them (`target` null). */
  function decision(orphan, target, steps) {
    const from = { step: orphan.step, fingerprint: orphan.fingerprint };
    return {
      type: "rebind",
      step: target,
      fingerprint: target === null ? null : steps.get(target).fingerprint,
      value: from
    };
  }

  ns.bind = Object.freeze({
    bindEvents: bindEvents,
    decision: decision
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
