/* The run model (incident-log.js, incident-runs.js): what a run's events say, new events
 * and their clocks, fields and their conflicts, new runs, the room a run keeps. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ns, makeRun, stored, fp, stepsOf, clockAt } from "./load.mjs";

const { runs, format, log } = ns;
const STEPS = stepsOf(["a", "b", "c", "__proto__", "constructor", "hasOwnProperty"]);

test("a run's state is what its events say, read in order", () => {
  const run = makeRun([
    ["tick", "a", null],
    ["tick", "b", null],
    ["untick", "a", null],
    { type: "assign", step: "b", fingerprint: fp("b"), value: "Dana" },
    { type: "note", step: "b", fingerprint: fp("b"), value: "Replica lag 40 s" },
    { type: "assign", step: "c", fingerprint: fp("c"), value: "Kim" },
    { type: "assign", step: "b", fingerprint: fp("b"), value: "", prev: ["e0004"] },
    ["reset", null, null],
    { type: "tick", step: "c", fingerprint: fp("c"), author: "Sam" },
    { type: "note", step: "c", fingerprint: fp("c"), value: "done by hand" },
    { type: "note", step: "c", fingerprint: fp("c"), value: "", prev: ["e0010"] },
    ["end", null, null]
  ]);
  const state = runs.stateOf(run, STEPS);
  assert.equal(state.started, "2026-01-31T03:12:09Z");
  assert.equal(state.ended, run.events[run.events.length - 1].time);
  assert.deepEqual([...state.done], [["c", { time: run.events[9].time, author: "Sam", id: "e0009" }]]);
  assert.deepEqual([...state.assignee.keys()], ["c"]);
  assert.equal(state.assignee.get("c").value, "Kim");
  assert.deepEqual([...state.note.keys()], ["b"]);
  assert.equal(state.note.get("b").value, "Replica lag 40 s");
  assert.ok(runs.isEnded(run));
  assert.equal(runs.endedAt(run), state.ended);
  assert.ok(!runs.isEnded(makeRun([["tick", "a", null]])));
});

test("a tick after a reset counts from the reset; an undo brings the cleared ticks back", () => {
  const state = runs.stateOf(makeRun([["tick", "a", null], ["reset", null, null], ["untick", "b", null], ["tick", "b", null]]), STEPS);
  assert.deepEqual([...state.done.keys()], ["b"]);
  assert.equal(state.ended, null);
  const undone = makeRun([["tick", "a", null], ["reset", null, null], ["tick", "b", null], { type: "undo", value: "e0002" }]);
  assert.deepEqual([...runs.stateOf(undone, STEPS).done.keys()], ["a", "b"]);
});

test("an end, then a reopen: the run is open again", () => {
  const run = makeRun([["end", null, null], ["reopen", null, null]]);
  assert.equal(runs.stateOf(run, STEPS).ended, null);
  assert.ok(!runs.isEnded(run));
  assert.equal(runs.endedAt(run), null);
});

test("step ids and role names such as __proto__ are only keys", () => {
  const run = makeRun([
    ["tick", "__proto__", null],
    ["assign", "constructor", "Dana"],
    ["note", "hasOwnProperty", "x"],
    { type: "role", role: "__proto__", value: "Kim" }
  ]);
  assert.equal(format.runProblem(stored(run)), null);
  const state = runs.stateOf(run, STEPS);
  assert.ok(state.done.has("__proto__"));
  assert.equal(state.assignee.get("constructor").value, "Dana");
  assert.equal(state.roles.get("__proto__").value, "Kim");
  assert.equal(state.done.size + state.assignee.size + state.note.size, 3);
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
  assert.equal({}.hasOwnProperty, Object.prototype.hasOwnProperty);
});

test("edits of one field made without seeing each other are both kept: the later wins, the other shows", () => {
  const run = makeRun([
    { type: "assign", step: "a", fingerprint: fp("a"), value: "Dana", author: "Commander" },
    /* two devices replace Dana, neither seeing the other's edit */
    { type: "assign", step: "a", fingerprint: fp("a"), value: "Kim", author: "Commander", prev: ["e0001"], time: "2026-01-31T03:20:00Z" },
    { type: "assign", step: "a", fingerprint: fp("a"), value: "Sam", author: "Responder", prev: ["e0001"], time: "2026-01-31T03:21:00Z" }
  ]);
  const assignee = runs.stateOf(run, STEPS).assignee.get("a");
  assert.equal(assignee.value, "Sam");
  assert.equal(assignee.author, "Responder");
  assert.deepEqual(assignee.others.map((other) => [other.value, other.author]), [["Kim", "Commander"]]);
  /* an edit that has seen both settles it */
  run.events.push(format.expandEvent({ id: "e0004", seq: 5, time: "2026-01-31T03:22:00Z", type: "assign", step: "a",
    fingerprint: fp("a"), value: "Sam", prev: ["e0002", "e0003"] }));
  assert.deepEqual(runs.stateOf(run, STEPS).assignee.get("a").others, []);
  /* two edits that say the same are no conflict */
  const same = makeRun([
    { type: "note", step: "a", fingerprint: fp("a"), value: "x" },
    { type: "note", step: "a", fingerprint: fp("a"), value: "y", prev: ["e0001"] },
    { type: "note", step: "a", fingerprint: fp("a"), value: "y", prev: ["e0001"] }
  ]);
  assert.deepEqual(runs.stateOf(same, STEPS).note.get("a").others, []);
});

test("a later edit wins by the time it happened: a clock known to be off is corrected", () => {
  const run = makeRun([
    { type: "role", role: "Scribe", value: "Dana", time: "2026-01-31T03:20:00Z" },
    /* stamped earlier, by a clock ten minutes behind: it happened at 03:25 */
    { type: "role", role: "Scribe", value: "Kim", time: "2026-01-31T03:15:00Z", offset: -600 }
  ]);
  assert.equal(runs.stateOf(run, STEPS).roles.get("Scribe").value, "Kim");
});

test("milestones and timeline entries: set at a time, edited, cleared", () => {
  const run = makeRun([
    { type: "milestone", value: "detected", at: "2026-01-31T02:50:00Z", author: "Dana" },
    { type: "milestone", value: "mitigated", at: "2026-01-31T03:40:00Z" },
    { type: "milestone", value: "mitigated", prev: ["e0002"] },
    { type: "entry", value: "Customer reported errors", at: "2026-01-31T02:45:00Z" },
    { type: "entry", value: "Vendor called", time: "2026-01-31T03:30:00Z" },
    { type: "entry", value: "Vendor called back", at: "2026-01-31T03:35:00Z", prev: ["e0005"] },
    { type: "entry", value: "wrong", at: "2026-01-31T03:36:00Z" },
    { type: "entry", value: "", prev: ["e0007"] }
  ]);
  const state = runs.stateOf(run, STEPS);
  assert.deepEqual([...state.milestones.keys()], ["detected"]);
  assert.equal(state.milestones.get("detected").at, "2026-01-31T02:50:00Z");
  assert.deepEqual(state.entries.map((entry) => [entry.value, entry.at, entry.root]), [
    ["Customer reported errors", "2026-01-31T02:45:00Z", "e0004"],
    ["Vendor called back", "2026-01-31T03:35:00Z", "e0005"]
  ]);
});

test("events recorded after what their device knew: seq one more, ids apart, who and which clock", () => {
  const run = makeRun([["tick", "a", null]]);
  const clock = clockAt("2026-01-31T03:30:00Z", "Dana");
  assert.ok(runs.appendEvents(run, [{ type: "tick", step: "b", fingerprint: fp("b") }, { type: "note", step: "b", fingerprint: fp("b"), value: "x" }], clock));
  const [tick, note] = run.events.slice(-2);
  assert.deepEqual([tick.seq, note.seq], [3, 4]);
  assert.notEqual(tick.id, note.id);
  assert.equal(tick.author, "Dana");
  assert.equal(tick.offset, null);
  assert.equal(format.runProblem(stored(run)), null);
  /* a clock that reads earlier than an event the device has is behind by at least that much */
  runs.appendEvents(run, [{ type: "untick", step: "b", fingerprint: fp("b") }], clockAt("2026-01-31T03:20:00Z", "Kim"));
  assert.equal(run.events[run.events.length - 1].offset, -600);
  assert.equal(log.correctedTime(run.events[run.events.length - 1]), "2026-01-31T03:30:00Z");
  /* a clock measured against the server: its offset as measured */
  runs.appendEvents(run, [{ type: "reset" }], clockAt("2026-01-31T03:50:00Z", "Kim", 120));
  assert.equal(run.events[run.events.length - 1].offset, 120);
});

test("a new run is valid, its id starting with the time it started", () => {
  const clock = { now: "2026-01-31T03:12:09Z", precise: "2026-01-31T03:12:09.457Z", author: "Dana", offset: null, random: () => 123456789 };
  const run = runs.newRun("db-failover", "Failover", clock);
  assert.equal(run.id, "20260131T031209457Z-21i3v9");
  assert.equal(run.events.length, 1);
  assert.deepEqual(stored(run).events[0], { id: "021i3v9021i3v9", time: "2026-01-31T03:12:09Z", type: "start", seq: 1, author: "Dana" });
  assert.equal(format.runProblem(stored(run), "db-failover"), null);
  /* a run started at another time than now (a migration) goes by that time */
  const old = runs.newRun("db-failover", "Old ticks", { ...clock, now: "2025-12-01T08:00:00Z", random: () => 0 });
  assert.equal(old.id, "20251201T080000Z-0");
  assert.deepEqual(Object.keys(run), ["format", "version", "runbook", "id", "name", "events"]);
});

test("a default name fits the name's limit, however long the title", () => {
  assert.equal(runs.defaultName("Database failover", "2026-01-31T03:12:09Z"), "Database failover — 2026-01-31 03:12 UTC");
  const name = runs.defaultName("🚒".repeat(500) + "\n", "2026-01-31T03:12:09Z");
  assert.ok(format.isLine(name, format.LIMITS.name), name);
  assert.ok(name.endsWith(" — 2026-01-31 03:12 UTC"));
});

test("runs sort by start, then id; the active run is the one asked for, else the newest open one", () => {
  const first = makeRun([], { id: "b" });
  const second = makeRun([["end", null, null]], { id: "c" });
  const older = makeRun([], { id: "z", events: [{ id: "s000", time: "2026-01-30T00:00:00Z", type: "start", seq: 1 }] });
  const sorted = runs.sortRuns([second, first, older]);
  assert.deepEqual(sorted.map((run) => run.id), ["z", "b", "c"]);
  assert.equal(runs.pickActive(sorted, "z").id, "z");
  assert.equal(runs.pickActive(sorted, "gone").id, "b"); // c is the newest, but ended
  assert.equal(runs.pickActive([older, second], null).id, "z");
  assert.equal(runs.pickActive([second], null).id, "c");
  assert.equal(runs.pickActive([], "z"), null);
  const replaced = makeRun([["tick", "a", null]], { id: "b" });
  assert.deepEqual(runs.withRun(sorted, replaced).map((run) => run.id), ["z", "b", "c"]);
  assert.equal(runs.withRun(sorted, replaced)[1], replaced);
});

test("a full run keeps room to end, and an imported run says it was handed over", () => {
  const ticks = Array.from({ length: 4997 }, (_, index) => ["2026-01-31T04:00:00Z", "tick", "s" + index, null]);
  const run = makeRun(ticks);
  assert.equal(run.events.length, 4998);
  const handed = runs.markHandedOff(run, "file", clockAt("2026-01-31T05:00:00Z"));
  assert.deepEqual([handed.events[4998].type, handed.events[4998].value], ["handoff", "file"]);
  assert.equal(runs.appendEvents(run, [{ type: "tick", step: "x", fingerprint: fp("x") }], clockAt("2026-01-31T05:00:00Z")), false);
  assert.equal(run.events.length, 4999);
  assert.equal(format.runProblem(stored(run)), null);
  assert.equal(runs.appendEvents(run, [{ type: "end" }], clockAt("2026-01-31T05:01:00Z")), true);
  assert.equal(run.events.length, 5000);
  assert.equal(format.runProblem(stored(run)), null);
  /* an ended run is not marked */
  assert.equal(runs.markHandedOff(run, "link", clockAt("2026-01-31T05:02:00Z")).events.length, 5000);
});

test("an imported run of 4,999 events can still be ended", () => {
  const ticks = Array.from({ length: 4998 }, (_, index) => ["2026-01-31T04:00:00Z", "tick", "s" + (index % 7), null]);
  const run = makeRun(ticks);
  assert.equal(run.events.length, 4999);
  assert.equal(format.runProblem(stored(run)), null);
  /* the hand-off is not recorded where it would take the end's place */
  assert.equal(runs.markHandedOff(run, "link", clockAt("2026-01-31T05:00:00Z")).events.length, 4999);
  assert.equal(runs.appendEvents(run, [{ type: "tick", step: "s1", fingerprint: fp("s1") }], clockAt("2026-01-31T05:01:00Z")), false);
  assert.equal(runs.appendEvents(run, [{ type: "end" }], clockAt("2026-01-31T05:01:00Z")), true);
  assert.equal(runs.endedAt(run), "2026-01-31T05:01:00Z");
  assert.equal(format.runProblem(stored(run)), null);
});

test("events on steps this build does not have are on no step, and listed", () => {
  const run = makeRun([["tick", "a", null], ["tick", "gone", null], ["note", "gone", "x"], ["reset", null, null], ["tick", "b", null]]);
  const state = runs.stateOf(run, STEPS);
  assert.deepEqual([...state.done.keys()], ["b"]);
  assert.equal(state.note.size, 0);
  assert.deepEqual(state.orphans.map((orphan) => [orphan.step, orphan.kind, orphan.events]), [["gone", "gone", [2, 3]]]);
  assert.deepEqual(runs.effectOf(run, [2, 3]), { done: run.events[2].time, assignee: "", note: "x" });
});
