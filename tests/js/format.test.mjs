/* The storage format's rules (incident-format.js): what a page accepts from storage,
 * a run file or a hand-off link, and why it refuses the rest. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ns, PROJECT, makeRun, stored, fp } from "./load.mjs";

const { format } = ns;
const SCHEMA = JSON.parse(
  readFileSync(path.join(PROJECT, "sphinx_incident", "rendering", "schema", "incident-run.schema.json"), "utf-8")
);

/* why `run` (in memory) is refused once stored, or null */
function problem(run, runbook) {
  return format.runProblem(stored(run), runbook);
}

/* why a stored run whose event 2 is `event` is refused, or null */
function eventProblem(event) {
  const run = stored(makeRun());
  run.events.push({ id: "e0001", time: "2026-01-31T03:13:09Z", seq: 2, ...event });
  return format.runProblem(JSON.parse(JSON.stringify(run)));
}

test("the run the documentation shows is valid", () => {
  const page = readFileSync(path.join(PROJECT, "docs", "reference", "schemas.md"), "utf-8");
  const section = page.slice(page.indexOf("### A run"));
  const example = section.slice(section.indexOf("```json") + 7, section.indexOf("```\n", section.indexOf("```json") + 7));
  const run = JSON.parse(example);
  assert.equal(format.runProblem(run, run.runbook), null);
  assert.equal(format.runProblem(run), null);
});

test("the limits are the schema's", () => {
  const defs = SCHEMA.$defs;
  assert.equal(format.LIMITS.name, defs.line.maxLength);
  assert.equal(format.LIMITS.assignee, defs.line.maxLength);
  assert.equal(format.LIMITS.note, defs.text.maxLength);
  assert.equal(format.LIMITS.id, defs.id.maxLength);
  assert.equal(format.LIMITS.prev, defs.prev.maxItems);
  assert.equal(format.LIMITS.events, SCHEMA.properties.events.maxItems);
  assert.equal(format.FORMAT, SCHEMA.properties.format.const);
  assert.equal(format.VERSION, SCHEMA.properties.version.const);
  assert.deepEqual(Object.keys(defs.event.properties).sort(),
    ["at", "author", "fingerprint", "id", "offset", "prev", "role", "seq", "step", "time", "type", "value"]);
  assert.deepEqual(defs.event.properties.type.enum.slice().sort(), Object.keys(format.FIELDS).sort());
  assert.deepEqual(defs.milestone.enum, format.MILESTONES);
});

test("a run with every kind of event is valid, and stores without its defaults", () => {
  const run = makeRun([
    ["tick", "check", null],
    ["untick", "check", null],
    ["assign", "check", "Dana (on call)"],
    ["assign", "check", ""],
    ["note", "check", "two\nlines"],
    ["reset", null, null],
    { type: "undo", value: "e0006" },
    ["handoff", null, "link"],
    ["handoff", null, "file"],
    { type: "role", role: "Incident Commander", value: "Dana", author: "Sam", offset: -600 },
    { type: "milestone", value: "detected", at: "2026-01-31T03:00:00Z", prev: ["e0003"] },
    { type: "milestone", value: "detected" },
    { type: "entry", value: "Vendor called back", at: "2026-01-31T03:20:00Z" },
    { type: "rebind", step: "check", fingerprint: fp("check"), value: { step: "old", fingerprint: null } },
    ["end", null, null],
    ["reopen", null, null],
    ["end", null, null]
  ]);
  assert.equal(problem(run, "db-failover"), null);
  const tick = stored(run).events[1];
  assert.deepEqual(tick, { id: "e0001", time: run.events[1].time, type: "tick", seq: 2, step: "check", fingerprint: fp("check") });
  assert.deepEqual(format.readRun(stored(run)).run, run, "read back, every field is there again");
});

test("a run of another runbook, or of a newer version, is refused", () => {
  assert.equal(problem(makeRun(), "web-outage"), "it is a run of another runbook");
  assert.equal(problem(makeRun([], { version: 4 })), "it was saved by a newer version of sphinx-incident");
  assert.equal(problem(makeRun([], { version: "3" })), "its format version is not supported");
  assert.equal(problem(makeRun([], { format: "other" })), "it is not a sphinx-incident run");
  assert.equal(format.runProblem(null), "it is not a sphinx-incident run");
  assert.equal(format.runProblem([makeRun()]), "it is not a sphinx-incident run");
});

test("unexpected and missing fields are refused, __proto__ included", () => {
  assert.equal(problem(makeRun([], { owner: "me" })), "it has unexpected or missing fields");
  const missing = stored(makeRun());
  delete missing.name;
  assert.equal(format.runProblem(missing), "it has unexpected or missing fields");
  /* JSON.parse makes "__proto__" an own key, as a tampered file or link would */
  const text = JSON.stringify(stored(makeRun([["tick", "check", null]])));
  const atTop = JSON.parse(text.replace("{", '{"__proto__":{"polluted":true},'));
  assert.equal(format.runProblem(atTop), "it has unexpected or missing fields");
  const inEvent = JSON.parse(text.replace('{"id":"e0001"', '{"__proto__":{},"id":"e0001"'));
  assert.equal(format.runProblem(inEvent), "an event is not of the expected form (event 2)");
  assert.equal({}.polluted, undefined);
  /* a field another type has is not this one's */
  assert.equal(eventProblem({ type: "tick", step: "check", value: "x" }), "an event is not of the expected form (event 2)");
  assert.equal(eventProblem({ type: "end", step: "check" }), "an event is not of the expected form (event 2)");
  assert.equal(eventProblem({ type: "tick", step: "check", seq: undefined }), "an event is not of the expected form (event 2)");
  assert.equal(eventProblem({ type: "__proto__" }), "an event has an unknown type (event 2)");
});

test("run ids, event ids, runbook ids and step ids follow the schema", () => {
  assert.equal(problem(makeRun([], { id: "../../etc" })), "it has no valid run id");
  assert.equal(problem(makeRun([], { id: "a".repeat(65) })), "it has no valid run id");
  assert.equal(problem(makeRun([], { id: "a".repeat(64) })), null);
  assert.equal(problem(makeRun([], { id: "-start" })), "it has no valid run id");
  assert.equal(problem(makeRun([], { runbook: "" })), "it names no valid runbook");
  assert.equal(problem(makeRun([], { runbook: "a<b" })), "it names no valid runbook");
  for (const step of ["a/b", "a b", "<b>", "a\u00a0b", "a\u2028b", "\ufeff", ""]) {
    assert.equal(eventProblem({ type: "tick", step }), "a tick names no valid step (event 2)", JSON.stringify(step));
  }
  assert.equal(eventProblem({ type: "tick" }), "a tick names no valid step (event 2)");
  assert.equal(eventProblem({ type: "tick", step: "check.logs_2-é" }), null);
  assert.equal(eventProblem({ type: "tick", step: "x".repeat(1001) }), "a tick names no valid step (event 2)");
  for (const id of ["abc", "a b c d", "x".repeat(65), "<img>", 12]) {
    assert.equal(eventProblem({ type: "reset", id }), "an event has no valid id (event 2)", String(id));
  }
  const twice = makeRun([["tick", "a", null], ["tick", "b", null]]);
  twice.events[2].id = twice.events[1].id;
  twice.events[2].seq = 2;
  assert.equal(problem(twice), "its events are not in order");
  twice.events[2].seq = 3;
  assert.equal(problem(twice), "two of its events have one id");
});

test("names, assignees, roles and notes: one line or text, counted in code points", () => {
  assert.equal(problem(makeRun([], { name: "" })), "it has no valid name");
  assert.equal(problem(makeRun([], { name: "two\nlines" })), "it has no valid name");
  assert.equal(problem(makeRun([], { name: "x".repeat(201) })), "it has no valid name");
  /* 200 emoji are 400 UTF-16 units, and 200 characters for JSON Schema */
  assert.equal(problem(makeRun([], { name: "🚒".repeat(200) })), null);
  assert.equal(eventProblem({ type: "assign", step: "check", value: "Dana\nKim" }), "an assignment is not valid (event 2)");
  assert.equal(eventProblem({ type: "assign", step: "check" }), "an assignment is not valid (event 2)");
  assert.equal(eventProblem({ type: "note", step: "check", value: "x".repeat(2000) }), null);
  assert.equal(eventProblem({ type: "note", step: "check", value: "x".repeat(2001) }), "a note is not valid (event 2)");
  assert.equal(eventProblem({ type: "note", step: "check", value: "bell\u0007" }), "a note is not valid (event 2)");
  assert.equal(eventProblem({ type: "role", role: "Scribe", value: "" }), null);
  assert.equal(eventProblem({ type: "role", role: "", value: "Dana" }), "a role assignment is not valid (event 2)");
  assert.equal(eventProblem({ type: "role", value: "Dana" }), "a role assignment is not valid (event 2)");
  assert.equal(eventProblem({ type: "entry", value: "two\nlines" }), null);
  assert.equal(eventProblem({ type: "entry", value: "a\u0000" }), "a timeline entry is not valid (event 2)");
  assert.equal(eventProblem({ type: "milestone", value: "fixed" }), "a milestone is not valid (event 2)");
  assert.equal(eventProblem({ type: "reset", author: "" }), "an event has no valid author (event 2)");
  assert.equal(eventProblem({ type: "reset", author: "Dana\n" }), "an event has no valid author (event 2)");
});

test("times are real UTC times to the second; offsets and sequence numbers are integers", () => {
  for (const time of ["2026-02-30T00:00:00Z", "2026-01-31T03:12:09.123Z", "2026-01-31 03:12:09Z",
    "2026-01-31T04:12:09+01:00", "2026-01-31T24:00:00Z", 1769829129]) {
    assert.equal(eventProblem({ type: "reset", time }), "an event has no valid time (event 2)", String(time));
    assert.equal(eventProblem({ type: "entry", value: "x", at: time }), "an event is about no valid time (event 2)", String(time));
  }
  assert.equal(eventProblem({ type: "reset", time: "2028-02-29T23:59:59Z" }), null);
  assert.equal(eventProblem({ type: "reset", offset: null }), null, "null: the default, unknown");
  for (const offset of [1.5, "60", 315576001]) {
    assert.equal(eventProblem({ type: "reset", offset }), "an event has no valid clock offset (event 2)", String(offset));
  }
  assert.equal(eventProblem({ type: "reset", offset: -600 }), null);
  for (const seq of [0, -1, 2.5, "2"]) {
    assert.equal(eventProblem({ type: "reset", seq }), "an event has no valid sequence number (event 2)", String(seq));
  }
});

test("an edit names at most 16 other events it replaces, each once", () => {
  const prev = (list) => eventProblem({ type: "assign", step: "check", value: "Kim", prev: list });
  assert.equal(prev(["e0000"]), null);
  assert.equal(prev(Array.from({ length: 16 }, (_, index) => "e" + String(index).padStart(4, "0"))), null);
  assert.equal(prev(Array.from({ length: 17 }, (_, index) => "e" + String(index).padStart(4, "0"))), "an event replaces no valid events (event 2)");
  assert.equal(prev(["e0000", "e0000"]), "an event replaces no valid events (event 2)");
  assert.equal(prev("e0000"), "an event replaces no valid events (event 2)");
  assert.equal(eventProblem({ type: "tick", step: "check", prev: ["e0000"] }), "an event is not of the expected form (event 2)");
});

test("a run begins with its one start, in order; after an end only what merged or a reopen", () => {
  assert.equal(problem(makeRun([{ type: "start" }])), "a run begins with its one start event");
  const late = makeRun([["tick", "check", null]]);
  late.events.shift();
  assert.equal(problem(late), "a run begins with its one start event");
  assert.equal(problem(makeRun([], { events: [] })), "it has no valid list of events");
  const backwards = makeRun([["tick", "a", null], ["tick", "b", null]]);
  backwards.events[2].seq = 2;
  backwards.events[2].id = "a0000";
  assert.equal(problem(backwards), "its events are not in order");
  /* a copy that ticked before it learnt of the end merges after it: the run stays ended */
  const merged = makeRun([["end", null, null], ["tick", "check", null]]);
  assert.equal(problem(merged), null);
  assert.ok(format.endsEnded(merged.events));
  assert.ok(!format.endsEnded(makeRun([["end", null, null], ["reopen", null, null]]).events));
  assert.equal(eventProblem({ type: "handoff", value: "mail" }), "a hand-off event is not valid (event 2)");
  assert.equal(eventProblem({ type: "undo", value: "not an id" }), "an undo names no valid event (event 2)");
  assert.equal(eventProblem({ type: "delete" }), "an event has an unknown type (event 2)");
});

test("a run has at most 5,000 events, and an open one at most 4,999, so that it can end", () => {
  const ticks = Array.from({ length: 4998 }, (_, index) => ["2026-01-31T04:00:00Z", "tick", "s" + index, null]);
  const open = makeRun(ticks);
  assert.equal(open.events.length, 4999);
  assert.equal(problem(open), null);
  const ended = makeRun(ticks.concat([["2026-01-31T04:00:00Z", "end", null, null]]));
  assert.equal(ended.events.length, 5000);
  assert.equal(problem(ended), null);
  const full = makeRun(ticks.concat([["2026-01-31T04:00:00Z", "tick", "x", null]]));
  assert.equal(problem(full), "an open run has at most 4999 events, so that it can end");
  full.events.push(format.expandEvent({ id: "z9999", time: "2026-01-31T04:00:00Z", type: "end", seq: 9999 }));
  assert.equal(problem(full), "it has no valid list of events");
  /* the schema says the same */
  assert.equal(SCHEMA.else.properties.events.maxItems, format.LIMITS.events - 1);
});

test("an event names its step by id and fingerprint", () => {
  const tick = (fingerprint) => ({ type: "tick", step: "check", fingerprint });
  assert.equal(eventProblem(tick(fp("check"))), null);
  assert.equal(eventProblem({ type: "tick", step: "check" }), null, "unknown: recorded by version 1");
  for (const bad of ["ABCDEF012345", "0123456789a", "0123456789abc", "", 12]) {
    assert.equal(eventProblem(tick(bad)), "a tick names no valid step (event 2)", String(bad));
  }
});

test("a rebind moves what was recorded on one step to another, or to none", () => {
  const rebind = (step, fingerprint, value) => eventProblem({ type: "rebind", step, fingerprint, value });
  const from = { step: "old", fingerprint: fp("old") };
  assert.equal(rebind("check", fp("check"), from), null);
  assert.equal(eventProblem({ type: "rebind", value: from }), null);
  assert.equal(rebind("check", fp("check"), { step: "old", fingerprint: null }), null);
  for (const [step, fingerprint, value] of [
    ["check", null, from], // kept on a step, but not what it says
    [null, fp("check"), from],
    ["check", fp("check"), { step: "old" }],
    ["check", fp("check"), { step: "old", fingerprint: null, more: 1 }],
    ["check", fp("check"), { step: "a b", fingerprint: null }],
    ["check", fp("check"), "old"],
    ["check", fp("check"), null]
  ]) {
    assert.equal(rebind(step, fingerprint, value), "a rebind is not valid (event 2)", JSON.stringify([step, fingerprint, value]));
  }
});

const V1 = {
  format: "sphinx-incident-run", version: 1, runbook: "db-failover", id: "r1", name: "Old run",
  events: [
    { time: "2026-01-31T03:12:09Z", type: "start", step: null, value: null },
    { time: "2026-01-31T03:13:09Z", type: "tick", step: "check", value: null },
    { time: "2026-01-31T03:14:09Z", type: "note", step: "check", value: "first" },
    { time: "2026-01-31T03:15:09Z", type: "note", step: "check", value: "two\nlines" }
  ]
};

test("runs of versions 1 and 2 are read as this version: ids from their content, seq by position", () => {
  const read = format.readRun(JSON.parse(JSON.stringify(V1)), "db-failover");
  assert.equal(read.problem, null);
  assert.equal(read.upgraded, true);
  assert.equal(read.run.version, format.VERSION);
  assert.deepEqual(read.run.events.map((event) => [event.type, event.step, event.fingerprint, event.seq]), [
    ["start", null, null, 1], ["tick", "check", null, 2], ["note", "check", null, 3], ["note", "check", null, 4]
  ]);
  /* a note replaces the note before it on its step: old runs had one editor */
  assert.deepEqual(read.run.events[3].prev, [read.run.events[2].id]);
  /* two browsers bringing up copies of one run give its events the same ids */
  assert.deepEqual(format.readRun(JSON.parse(JSON.stringify(V1))).run.events.map((event) => event.id),
    read.run.events.map((event) => event.id));
  assert.equal(new Set(read.run.events.map((event) => event.id)).size, 4);
  const v2 = { ...V1, version: 2, events: V1.events.map((event) => ({ ...event, fingerprint: event.step ? fp(event.step) : null })) };
  assert.equal(format.readRun(v2).run.events[1].fingerprint, fp("check"));
  assert.equal(format.readRun(makeRun()).upgraded, false);
});

test("an old run is held to its own form, then to this version's rules", () => {
  assert.equal(format.readRun({ ...V1, runbook: "web" }, "db-failover").problem, "it is a run of another runbook");
  const extra = JSON.parse(JSON.stringify(V1));
  extra.events[1].fingerprint = fp("check");
  assert.equal(format.readRun(extra).problem, "its format version is not supported");
  const bad = JSON.parse(JSON.stringify(V1));
  bad.events[1].step = "a b";
  assert.equal(format.readRun(bad).problem, "a tick names no valid step (event 2)");
  const afterEnd = JSON.parse(JSON.stringify(V1));
  afterEnd.events.splice(2, 0, { time: "2026-01-31T03:13:30Z", type: "end", step: null, value: null });
  assert.equal(format.readRun(afterEnd).problem, "its format version is not supported");
  assert.equal(format.readRun({ ...V1, version: "__proto__" }).problem, "its format version is not supported");
  assert.equal(format.readRun(null).problem, "it is not a sphinx-incident run");
});

test("what a person types is made valid", () => {
  assert.equal(format.cleanLine("  Dana\t(on call)\r\n ", 200), "Dana (on call)");
  assert.equal(format.cleanLine("🚒".repeat(5), 3), "🚒🚒🚒");
  assert.equal(format.cleanLine("ab   ", 3), "ab");
  assert.equal(format.cleanText(" first\r\nsecond\rthird\u0000! ", 2000), "first\nsecond\nthird !");
  assert.equal(format.cleanText("x".repeat(2500), 2000).length, 2000);
  assert.ok(format.isLine(format.cleanLine("a\u0007b\nc", 200), 200));
});
