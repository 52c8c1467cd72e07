/* Copies of one run merged (incident-merge.js): a commander and two responders record on
 * their own copies and hand them to each other in any order; the merge keeps every event,
 * gives the same run whichever copy is read first, and shows edits made without seeing
 * each other as conflicts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ns, makeRun, stored, fp, stepsOf, clockAt } from "./load.mjs";

const { runs, merge, format } = ns;
const STEPS = stepsOf(["a", "b", "c", "d"]);
const ROLES = ["Incident Commander", "Scribe"];

/* a small deterministic random generator, so a failure can be replayed */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/* A change a device could record on its copy, as the page does (an edit replaces the heads
 * of its field that the device knows). */
function change(run, next) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  const step = pick(["a", "b", "c", "d"]);
  const state = runs.stateOf(run, STEPS);
  const heads = (key) => ns.log.headIds(run.events, state.fields, key);
  switch (pick(["tick", "untick", "assign", "note", "role", "milestone", "entry", "reset"])) {
    case "tick": return { type: "tick", step, fingerprint: fp(step) };
    case "untick": return { type: "untick", step, fingerprint: fp(step) };
    case "assign": return { type: "assign", step, fingerprint: fp(step), value: pick(["Dana", "Kim", ""]), prev: heads("assignee " + step) };
    case "note": return { type: "note", step, fingerprint: fp(step), value: pick(["lag", "ok", ""]), prev: heads("note " + step) };
    case "role": {
      const role = pick(ROLES);
      return { type: "role", role, value: pick(["Dana", "Sam"]), prev: heads("role " + role) };
    }
    case "milestone": return { type: "milestone", value: "mitigated", at: "2026-01-31T04:00:00Z", prev: heads("milestone mitigated") };
    case "entry": return { type: "entry", value: pick(["Vendor called", "Rolled back"]) };
    default: return { type: "reset" };
  }
}

/* The copies of three devices after a random history of recordings and hand-offs. Clocks
 * differ: the second responder's is ten minutes slow. */
function history(seed, length) {
  const next = random(seed);
  const base = makeRun([], { id: "shared" });
  const devices = [
    { name: "Commander", copy: structuredClone(base), skew: 0 },
    { name: "Responder 1", copy: structuredClone(base), skew: 30 },
    { name: "Responder 2", copy: structuredClone(base), skew: -600 }
  ];
  for (let minute = 1; minute <= length; minute += 1) {
    const device = devices[Math.floor(next() * devices.length)];
    if (next() < 0.25) {
      /* a hand-off: the device sends its copy to another, which merges it */
      const other = devices[(devices.indexOf(device) + 1 + Math.floor(next() * 2)) % 3];
      other.copy = merge.merge(other.copy, structuredClone(device.copy)).run;
      continue;
    }
    const at = new Date(Date.parse("2026-01-31T03:12:09Z") + (minute * 60 + device.skew) * 1000).toISOString().replace(".000Z", "Z");
    runs.appendEvents(device.copy, [change(device.copy, next)], clockAt(at, device.name));
  }
  return devices.map((device) => device.copy);
}

/* what the run says, in a form deepEqual compares */
function said(run) {
  const state = runs.stateOf(run, STEPS);
  const fields = (map) => [...map].map(([key, value]) => [key, value.value, value.at, value.others.map((other) => other.id).sort()]);
  return {
    done: [...state.done.keys()].sort(),
    assignee: fields(state.assignee), note: fields(state.note), roles: fields(state.roles), milestones: fields(state.milestones),
    entries: state.entries.map((entry) => [entry.root, entry.value])
  };
}

test("any history of three devices merges to the same run in any order, and loses nothing", () => {
  for (let seed = 1; seed <= 200; seed += 1) {
    const [commander, first, second] = history(seed, 30);
    const ab = merge.merge(commander, first).run;
    const ba = merge.merge(first, commander).run;
    assert.ok(ab && ba, `seed ${seed}`);
    assert.deepEqual(ab.events, ba.events, `seed ${seed}: the order of import changed the events`);
    assert.deepEqual(said(ab), said(ba), `seed ${seed}`);
    const left = merge.merge(ab, second).run;
    const right = merge.merge(commander, merge.merge(second, first).run).run;
    assert.deepEqual(left.events, right.events, `seed ${seed}: three copies`);
    assert.deepEqual(said(left), said(right), `seed ${seed}`);
    const ids = new Set([commander, first, second].flatMap((copy) => copy.events.map((event) => event.id)));
    assert.equal(left.events.length, ids.size, `seed ${seed}: an event was lost`);
    assert.equal(format.runProblem(stored(left)), null, `seed ${seed}`);
    /* merging a copy into itself, or an older copy into a newer one, changes nothing */
    assert.deepEqual(merge.merge(left, ab).run.events, left.events, `seed ${seed}`);
  }
});

test("edits made on one device after another, with hand-offs between, never conflict", () => {
  for (let seed = 1; seed <= 100; seed += 1) {
    const next = random(seed);
    let copy = makeRun([], { id: "shared" });
    for (let minute = 1; minute <= 25; minute += 1) {
      const at = new Date(Date.parse("2026-01-31T03:12:09Z") + minute * 60000).toISOString().replace(".000Z", "Z");
      runs.appendEvents(copy, [change(copy, next)], clockAt(at, minute % 2 ? "Dana" : "Kim"));
      copy = merge.merge(makeRun([], { id: "shared" }), structuredClone(copy)).run; // a round trip
    }
    const state = runs.stateOf(copy, STEPS);
    for (const map of [state.assignee, state.note, state.roles, state.milestones]) {
      for (const [key, value] of map) { assert.deepEqual(value.others, [], `seed ${seed}: ${key}`); }
    }
  }
});

test("a hand-back merges: the commander's tick and note stay beside the responder's", () => {
  const base = makeRun([["tick", "a", null]], { id: "shared" });
  const commander = structuredClone(base);
  const responder = structuredClone(base);
  runs.appendEvents(responder, [{ type: "tick", step: "b", fingerprint: fp("b") }, { type: "note", step: "b", fingerprint: fp("b"), value: "restarted" }],
    clockAt("2026-01-31T03:30:00Z", "Kim"));
  runs.appendEvents(commander, [{ type: "tick", step: "d", fingerprint: fp("d") }, { type: "note", step: "d", fingerprint: fp("d"), value: "paged" }],
    clockAt("2026-01-31T03:31:00Z", "Dana"));
  const found = merge.differences(commander, responder, STEPS);
  assert.equal(found.problem, null);
  assert.deepEqual(found.added.map((event) => [event.type, event.author]), [["tick", "Kim"], ["note", "Kim"]]);
  assert.deepEqual(found.kept.map((event) => [event.type, event.author]), [["tick", "Dana"], ["note", "Dana"]]);
  assert.deepEqual(found.conflicts, []);
  const state = runs.stateOf(found.merged, STEPS);
  assert.deepEqual([...state.done.keys()].sort(), ["a", "b", "d"]);
  assert.deepEqual([...state.note].map(([step, note]) => [step, note.value]).sort(), [["b", "restarted"], ["d", "paged"]]);
});

test("the same field edited on both copies is a conflict the preview shows", () => {
  const base = makeRun([{ type: "assign", step: "c", fingerprint: fp("c"), value: "Sam" }], { id: "shared" });
  const commander = structuredClone(base);
  const responder = structuredClone(base);
  runs.appendEvents(commander, [{ type: "assign", step: "c", fingerprint: fp("c"), value: "Dana", prev: ["e0001"] }], clockAt("2026-01-31T03:30:00Z", "Dana"));
  runs.appendEvents(responder, [{ type: "assign", step: "c", fingerprint: fp("c"), value: "Kim", prev: ["e0001"] }], clockAt("2026-01-31T03:31:00Z", "Kim"));
  const found = merge.differences(commander, responder, STEPS);
  assert.equal(found.conflicts.length, 1);
  assert.equal(found.conflicts[0].key, "assignee c");
  assert.equal(found.conflicts[0].winner.value, "Kim");
  assert.deepEqual(found.conflicts[0].others.map((event) => event.value), ["Dana"]);
  assert.equal(runs.stateOf(found.merged, STEPS).assignee.get("c").others[0].value, "Dana");
});

test("copies without shared history do not merge; their names are told apart", () => {
  const one = makeRun([], { id: "one" });
  const two = makeRun([], { id: "two" });
  assert.equal(merge.merge(one, two).problem, "the two runs share no history");
  assert.equal(merge.nameApart("Outage", ["Outage", "Outage (2)"]), "Outage (3)");
  assert.equal(merge.nameApart("Outage", ["Other"]), "Outage");
  const long = "x".repeat(200);
  const apart = merge.nameApart(long, [long]);
  assert.ok(apart.endsWith(" (2)") && format.isLine(apart, 200) && Array.from(apart).length <= 200);
});

test("two copies too big together are not merged", () => {
  const ticks = (author) => Array.from({ length: 2600 }, (_, index) => ({ type: "tick", step: "a", fingerprint: fp("a"), author, id: author + index }));
  const base = makeRun([], { id: "shared" });
  const left = { ...base, events: base.events.concat(makeRun(ticks("left")).events.slice(1)) };
  const right = { ...base, events: base.events.concat(makeRun(ticks("right")).events.slice(1)) };
  assert.equal(merge.merge(left, right).problem, "together the two copies have more events than a run may hold");
});

test("the random histories have what the properties are about: hand-offs, skewed clocks, conflicts", () => {
  let conflicts = 0;
  let skewed = 0;
  for (let seed = 1; seed <= 200; seed += 1) {
    const [commander, first, second] = history(seed, 30);
    const merged = merge.merge(merge.merge(commander, first).run, second).run;
    const state = runs.stateOf(merged, STEPS);
    conflicts += [state.assignee, state.note, state.roles].reduce((sum, map) => sum + [...map.values()].filter((value) => value.others.length).length, 0);
    skewed += merged.events.filter((event) => event.offset && event.offset < 0).length ? 1 : 0;
  }
  assert.ok(conflicts > 20, `${conflicts} conflicts`);
  assert.ok(skewed > 20, `${skewed} histories with a clock known to be behind`);
});
