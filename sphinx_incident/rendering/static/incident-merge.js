/* sphinx-incident: two copies of one run, merged. No DOM.
 *
 * Copies of one run share its history: its id and its start event. Merging them is the
 * union of their events by event id, in the run's order (seq, then id): the same whichever
 * copy is read first, and nothing either copy recorded is lost. What the merged run says
 * follows (incident-runs.js): a step's latest state wins, and edits of one field made
 * without seeing each other are kept side by side as a conflict. differences() says what
 * a merge adds and what differs, for the import preview. Runs that share no history but
 * a name are named apart.
 *
 * Registers globalThis.sphinxIncident.merge; needs .format, .runs. */
(function (ns) {
  "use strict";

  const format = ns.format;
  const runs = ns.runs;
  const LIMITS = format.LIMITS;

  /* whether `a` and `b` are copies of one run */
  function sharesHistory(a, b) {
    return a.id === b.id && a.runbook === b.runbook && a.events[0].id === b.events[0].id;
  }

  /* Of two events of one id (they should be equal), the one kept: the same whichever copy
   * is read first. */
  function pick(a, b) {
    const x = JSON.stringify(format.compactEvent(a));
    const y = JSON.stringify(format.compactEvent(b));
    return x <= y ? a : b;
  }

  /* {run, problem}: the copies `a` and `b` of one run merged, or run null and why not. */
  function merge(a, b) {
    if (!sharesHistory(a, b)) { return { run: null, problem: "the two runs share no history" }; }
    const byId = new Map();
    a.events.concat(b.events).forEach(function (event) {
      const have = byId.get(event.id);
      byId.set(event.id, have ? pick(have, event) : event);
    });
    const events = Array.from(byId.values()).sort(format.compareEvents);
    const run = Object.assign({}, a, { name: a.name <= b.name ? a.name : b.name, events: events });
    const problem = format.runProblem(format.compactRun(run));
    if (problem === null) { return { run: run, problem: null }; }
    const full = events.length > LIMITS.events || /at most/.test(problem);
    return { run: null, problem: full ? "together the two copies have more events than a run may hold" : problem };
  }

  /* What merging `incoming` into `local` (copies of one run) does, on the steps of `steps`:
   * {merged, problem, added (events only the import has), kept (events only this copy
   * has), conflicts: [{key, winner, others}] (events; fields where the two copies' edits
   * differ, at least one of each side among them)}. */
  function differences(local, incoming, steps) {
    const result = merge(local, incoming);
    const mine = new Set(local.events.map(function (event) { return event.id; }));
    const theirs = new Set(incoming.events.map(function (event) { return event.id; }));
    const out = {
      merged: result.run,
      problem: result.problem,
      added: incoming.events.filter(function (event) { return !mine.has(event.id); }),
      kept: local.events.filter(function (event) { return !theirs.has(event.id); }),
      conflicts: []
    };
    if (!result.run) { return out; }
    const events = result.run.events;
    runs.stateOf(result.run, steps).fields.forEach(function (field, key) {
      if (!field.others.length) { return; }
      const ids = [field.winner].concat(field.others).map(function (index) { return events[index].id; });
      const fromHere = ids.some(function (id) { return mine.has(id) && !theirs.has(id); });
      const fromThere = ids.some(function (id) { return theirs.has(id) && !mine.has(id); });
      if (fromHere && fromThere) {
        out.conflicts.push({
          key: key,
          winner: events[field.winner],
          others: field.others.map(function (index) { return events[index]; })
        });
      }
    });
    return out;
  }

  /* `name`, or, when one of `taken` has it, "<name> (2)", "(3)"...: a name no run has. */
  function nameApart(name, taken) {
    if (taken.indexOf(name) < 0) { return name; }
    for (let number = 2; ; number += 1) {
      const suffix = " (" + number + ")";
      const candidate = format.cleanLine(name, LIMITS.name - suffix.length) + suffix;
      if (taken.indexOf(candidate) < 0) { return candidate; }
    }
  }

  ns.merge = Object.freeze({
    sharesHistory: sharesHistory,
    merge: merge,
    differences: differences,
    nameApart: nameApart
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
