/* sphinx-incident: a run's event log. No DOM.
 *
 * New events are made here: a random id, the recording time, one more seq than any
 * event the device has (so a run's order puts them after everything their device knew),
 * the responder's name, and the device's clock offset when known. When it is not known
 * and the device's clock reads earlier than an event it already has, the clock is behind
 * by at least that much: the event records it as its offset, so the timeline can put it
 * after what it followed and flag the clock.
 *
 * A field is what an assignment, a note, a role, a milestone or a timeline entry sets:
 * the assignee of one step, the person in one role... An edit names in `prev` the edits
 * of its field it replaces (those its device knew). The edits no other edit replaces are
 * the field's heads: one, or several when people edited the field without seeing each
 * other's edit. The latest head (by corrected time) is the field's value; the others are
 * a conflict the page shows.
 *
 * Registers globalThis.sphinxIncident.log; needs .format and .time. */
(function (ns) {
  "use strict";

  const time = ns.time;
  /* from this many seconds on, a clock counts as off */
  const SKEW = 60;

  /* the time an event happened by the reference clock: its time less its device's offset */
  function correctedTime(event) {
    return event.offset ? time.shifted(event.time, -event.offset) : event.time;
  }

  /* whether the clock of the device that recorded `event` was off by a minute or more */
  function isSkewed(event) {
    return Math.abs(event.offset || 0) >= SKEW;
  }

  /* an event id from `random`, a function that gives 32-bit numbers */
  function newEventId(random) {
    return [random(), random()].map(function (word) { return (word >>> 0).toString(36).padStart(7, "0"); }).join("");
  }

  /* the latest corrected time of `events` */
  function latestTime(events) {
    return events.reduce(function (latest, event) {
      const at = correctedTime(event);
      return at > latest ? at : latest;
    }, events[0].time);
  }

  /* The device's clock offset for events recorded now in `run`: `clock.offset` when it was
   * measured, else how far it is behind the latest event it has (null when it is not). */
  function offsetFor(run, clock) {
    if (clock.offset !== null && clock.offset !== undefined) { return clock.offset || null; }
    const behind = time.secondsBetween(clock.now, latestTime(run.events));
    return behind > 1 ? -behind : null;
  }

  /* The events of `changes` (each {type, step, fingerprint, value, role, at, prev}, fields
   * left out at their default) as recorded now by `clock`: {now (an ISO time), offset
   * (seconds, or null when unknown), author (or null), random (a function)}. */
  function recordEvents(run, changes, clock) {
    const seq = run.events[run.events.length - 1].seq + 1;
    const offset = offsetFor(run, clock);
    return changes.map(function (change, index) {
      return {
        id: newEventId(clock.random),
        time: clock.now,
        type: change.type,
        seq: seq + index,
        author: clock.author || null,
        offset: offset,
        step: change.step === undefined ? null : change.step,
        fingerprint: change.fingerprint || null,
        value: change.value === undefined ? null : change.value,
        role: change.role || null,
        at: change.at || null,
        prev: change.prev || []
      };
    });
  }

  /* The ids of the resets an undo took back. */
  function undone(events) {
    const found = new Set();
    events.forEach(function (event) { if (event.type === "undo") { found.add(event.value); } });
    return found;
  }

  /* Each timeline entry's first version: an entry that replaces others belongs to the
   * entry the first of them belongs to. */
  function entryRoots(events) {
    const byId = new Map();
    events.forEach(function (event) { if (event.type === "entry") { byId.set(event.id, event); } });
    const roots = new Map();
    byId.forEach(function (event) {
      const seen = new Set();
      let at = event;
      while (at.prev.length && byId.has(at.prev[0]) && !seen.has(at.id) && !roots.has(at.id)) {
        seen.add(at.id);
        at = byId.get(at.prev[0]);
      }
      const root = roots.has(at.id) ? roots.get(at.id) : at.id;
      seen.forEach(function (id) { roots.set(id, root); });
      roots.set(event.id, root);
    });
    return roots;
  }

  /* The field event `index` edits, or null; `step` is the step it is about in this build. */
  function fieldKey(event, step, roots) {
    switch (event.type) {
      case "assign": return step === null ? null : "assignee " + step;
      case "note": return step === null ? null : "note " + step;
      case "role": return "role " + event.role;
      case "milestone": return "milestone " + event.value;
      case "entry": return "entry " + roots.get(event.id);
      default: return null;
    }
  }

  /* later first: corrected time, then the run's order */
  function latestFirst(events) {
    return function (a, b) {
      const x = correctedTime(events[a]);
      const y = correctedTime(events[b]);
      return x < y ? 1 : x > y ? -1 : b - a;
    };
  }

  function sameEdit(a, b) {
    return a.value === b.value && a.at === b.at;
  }

  /* Map of field key to {heads, winner, others} (indices of `events`): the field's heads,
   * the latest of them, and the heads that say something else than it. `stepOf[i]` is the
   * step event i is about in this build (incident-bind.js). */
  function fields(events, stepOf) {
    const roots = entryRoots(events);
    const groups = new Map();
    events.forEach(function (event, index) {
      const key = fieldKey(event, stepOf[index], roots);
      if (key === null) { return; }
      if (!groups.has(key)) { groups.set(key, []); }
      groups.get(key).push(index);
    });
    const result = new Map();
    groups.forEach(function (indices, key) {
      const replaced = new Set();
      indices.forEach(function (index) { events[index].prev.forEach(function (id) { replaced.add(id); }); });
      let heads = indices.filter(function (index) { return !replaced.has(events[index].id); });
      if (!heads.length) { heads = [indices[indices.length - 1]]; } // edits that replace each other in a circle
      heads.sort(latestFirst(events));
      const winner = heads[0];
      const others = heads.slice(1).filter(function (index) { return !sameEdit(events[index], events[winner]); });
      result.set(key, { heads: heads, winner: winner, others: others });
    });
    return result;
  }

  /* The ids an edit of field `key` replaces: every head of the field. */
  function headIds(events, fieldsMap, key) {
    const field = fieldsMap.get(key);
    return field ? field.heads.slice(0, ns.format.LIMITS.prev).map(function (index) { return events[index].id; }) : [];
  }

  ns.log = Object.freeze({
    SKEW: SKEW,
    correctedTime: correctedTime,
    isSkewed: isSkewed,
    newEventId: newEventId,
    recordEvents: recordEvents,
    undone: undone,
    entryRoots: entryRoots,
    fieldKey: fieldKey,
    fields: fields,
    headIds: headIds
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
