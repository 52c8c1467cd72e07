/* Which step each event is about after a rebuild (incident-bind.js): an event is on a
 * step only where that step still says what was recorded; every other one is listed,
 * with a candidate, until the responder decides. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ns, makeRun, fp } from "./load.mjs";

const { bind, runs } = ns;

/* steps of a build: [id, text] pairs; a step's fingerprint is that of its text */
function build(pairs) {
  return new Map(pairs.map(([id, text]) => [id, { id, label: text, fingerprint: fp(text) }]));
}

/* an event recorded on a step of id `id` that said `text` */
function on(type, id, text, value = null, at = "2026-01-31T03:20:00Z") {
  return { time: at, type, step: id, fingerprint: fp(text), value };
}

function rebind(orphan, target, steps) {
  return { time: "2026-01-31T04:00:00Z", ...bind.decision(orphan, target, steps) };
}

/* `run` with `event` recorded last */
function add(run, event) {
  const seq = run.events[run.events.length - 1].seq + 1;
  run.events.push(ns.format.expandEvent({ id: "r" + String(seq).padStart(4, "0"), seq, ...event }));
}

const BEFORE = [["drain", "Drain the queue"], ["check", "Check the dashboard for errors"], ["restart", "Restart the broker"]];

test("an event is on its step while the step says what was recorded", () => {
  const run = makeRun([on("tick", "drain", "Drain the queue"), on("assign", "check", "Check the dashboard for errors", "Dana")]);
  /* a first step inserted, a runbook added elsewhere: ids and texts of these steps unchanged */
  const after = build([["announce", "Announce the work"], ...BEFORE]);
  const { stepOf, orphans } = bind.bindEvents(run.events, after);
  assert.deepEqual(stepOf, [null, "drain", "check"]);
  assert.deepEqual(orphans, []);
  const state = runs.stateOf(run, after);
  assert.deepEqual([...state.done.keys()], ["drain"]);
  assert.equal(state.assignee.get("check").value, "Dana");
});

test("a step whose id now names another text is listed, with the step that says what was recorded", () => {
  /* a sub-step inserted before "check" that opens with the same words took its id */
  const run = makeRun([on("tick", "check", "Check the dashboard for errors"), on("note", "check", "Check the dashboard for errors", "red")]);
  const after = build([["drain", "Drain the queue"], ["check", "Check the dashboard for errors first"],
    ["check-2", "Check the dashboard for errors"], ["restart", "Restart the broker"]]);
  const state = runs.stateOf(run, after);
  assert.equal(state.done.size, 0, "no tick on a step whose text was not ticked");
  assert.equal(state.note.size, 0);
  assert.deepEqual(state.orphans, [{ step: "check", fingerprint: fp("Check the dashboard for errors"), kind: "changed", candidate: "check-2", events: [1, 2] }]);
  /* kept: on the step that says it */
  add(run, rebind(state.orphans[0], "check-2", after));
  const kept = runs.stateOf(run, after);
  assert.deepEqual([...kept.done.keys()], ["check-2"]);
  assert.equal(kept.note.get("check-2").value, "red");
  assert.deepEqual(kept.orphans, []);
});

test("a reworded step is gone; a step of another id that says the same is the candidate", () => {
  const run = makeRun([on("tick", "drain", "Drain the queue"), on("tick", "restart", "Restart the broker")]);
  const after = build([["drain-the-queue-first", "Drain the queue first"], ["check", "Check the dashboard for errors"],
    ["restart-broker", "Restart the broker"]]);
  const { orphans } = bind.bindEvents(run.events, after);
  assert.deepEqual(orphans.map((orphan) => [orphan.step, orphan.kind, orphan.candidate]), [
    ["drain", "gone", null],
    ["restart", "gone", "restart-broker"]
  ]);
  /* dropped: on no step, and no longer listed; the events stay in the run */
  add(run, rebind(orphans[0], null, after));
  add(run, rebind(orphans[1], "restart-broker", after));
  const state = runs.stateOf(run, after);
  assert.deepEqual([...state.done.keys()], ["restart-broker"]);
  assert.deepEqual(state.orphans, []);
  assert.equal(run.events.length, 5);
});

test("two steps that swapped texts send each event to the step that says it", () => {
  const run = makeRun([on("tick", "a", "First text"), on("assign", "b", "Second text", "Kim")]);
  const after = build([["a", "Second text"], ["b", "First text"]]);
  const { orphans } = bind.bindEvents(run.events, after);
  assert.deepEqual(orphans.map((orphan) => [orphan.step, orphan.kind, orphan.candidate]), [["a", "changed", "b"], ["b", "changed", "a"]]);
});

test("a text found on two steps gives no candidate but the step of the same id", () => {
  const run = makeRun([on("tick", "gone", "Verify"), on("tick", "x", "Verify")]);
  const after = build([["x", "Something else"], ["verify-a", "Verify"], ["verify-b", "Verify"]]);
  const { orphans } = bind.bindEvents(run.events, after);
  assert.deepEqual(orphans.map((orphan) => [orphan.step, orphan.kind, orphan.candidate]), [["gone", "gone", null], ["x", "changed", "x"]]);
});

test("events without a fingerprint are listed as unchecked, on the step of their id if any", () => {
  const run = makeRun([{ time: "2026-01-31T03:20:00Z", type: "tick", step: "drain", fingerprint: null, value: null }]);
  const after = build(BEFORE);
  const { orphans } = bind.bindEvents(run.events, after);
  assert.deepEqual(orphans.map((orphan) => [orphan.step, orphan.kind, orphan.candidate]), [["drain", "unchecked", "drain"]]);
  add(run, rebind(orphans[0], "drain", after));
  assert.deepEqual([...runs.stateOf(run, after).done.keys()], ["drain"]);
});

test("a decision holds over later builds, and is asked again when its step changes", () => {
  const run = makeRun([on("tick", "drain", "Drain the queue")]);
  const second = build([["drain-all", "Drain the queue"]]);
  add(run, rebind(bind.bindEvents(run.events, second).orphans[0], "drain-all", second));
  assert.deepEqual([...runs.stateOf(run, second).done.keys()], ["drain-all"]);
  /* the third build rewords the step again: listed under the step the decision named */
  const third = build([["drain-all", "Drain every queue"]]);
  const { orphans } = bind.bindEvents(run.events, third);
  assert.deepEqual(orphans.map((orphan) => [orphan.step, orphan.kind, orphan.candidate, orphan.events]), [["drain-all", "changed", "drain-all", [1]]]);
  /* a tick recorded after the decision, on the new step, is bound directly */
  add(run, on("tick", "drain-all", "Drain the queue"));
  assert.deepEqual(bind.bindEvents(run.events, third).orphans[0].events, [1, 3]);
});

test("decisions that lead round in a circle end", () => {
  const steps = build([["a", "A"]]);
  const run = makeRun([
    on("tick", "x", "X"),
    { time: "2026-01-31T04:00:00Z", type: "rebind", step: "y", fingerprint: fp("Y"), value: { step: "x", fingerprint: fp("X") } },
    { time: "2026-01-31T04:00:00Z", type: "rebind", step: "x", fingerprint: fp("X"), value: { step: "y", fingerprint: fp("Y") } }
  ]);
  const { stepOf, orphans } = bind.bindEvents(run.events, steps);
  assert.deepEqual(stepOf, [null, null, null, null]);
  assert.equal(orphans.length, 1);
});

/* a small deterministic random generator, so a failure can be replayed */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

test("randomised rebuilds: never a tick on a step whose text was not ticked, never an event lost", () => {
  const texts = ["Drain", "Stop", "Check", "Restart", "Verify", "Announce", "Page", "Roll back"];
  for (let seed = 1; seed <= 300; seed += 1) {
    const next = random(seed);
    const pick = (list) => list[Math.floor(next() * list.length)];
    const ids = ["s1", "s2", "s3", "s4", "s5", "s6"];
    const before = new Map(ids.map((id) => [id, pick(texts)]));
    const events = Array.from({ length: 1 + Math.floor(next() * 12) }, () => {
      const id = pick(ids);
      return on(pick(["tick", "untick", "assign", "note"]), id, before.get(id), "x");
    }).map((event) => (event.type === "tick" || event.type === "untick" ? { ...event, value: null } : event));
    const run = makeRun(events);
    /* a rebuild: some ids go, some texts change, some new steps */
    const after = new Map();
    ids.concat(["s7", "s8"]).forEach((id) => {
      const roll = next();
      if (roll < 0.2) { return; }
      const text = roll < 0.45 || !before.has(id) ? pick(texts) + (next() < 0.5 ? " again" : "") : before.get(id);
      after.set(id, { id, label: text, fingerprint: fp(text) });
    });
    const { stepOf, orphans } = bind.bindEvents(run.events, after);
    const listed = orphans.flatMap((orphan) => orphan.events);
    run.events.forEach((event, index) => {
      if (event.step === null) { return; }
      const bound = stepOf[index];
      if (bound !== null) {
        assert.equal(after.get(bound).fingerprint, event.fingerprint, `seed ${seed}: event ${index} on a step that says something else`);
        assert.ok(!listed.includes(index), `seed ${seed}`);
      } else {
        assert.equal(listed.filter((found) => found === index).length, 1, `seed ${seed}: event ${index} neither bound nor listed once`);
      }
    });
    for (const orphan of orphans) {
      if (orphan.candidate !== null && orphan.kind !== "changed") {
        assert.ok(after.has(orphan.candidate), `seed ${seed}`);
      }
      const state = runs.stateOf(run, after);
      assert.ok([...state.done.keys()].every((id) => stepOf.includes(id)), `seed ${seed}`);
    }
  }
});
