/* The storage format's rules (incident-format.js): what a page accepts from storage,
 * a run file or a hand-off link, and why it refuses the rest. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ns, PROJECT, makeRun, fp } from "./load.mjs";

const { format } = ns;
const SCHEMA = JSON.parse(
  readFileSync(path.join(PROJECT, "sphinx_incident", "schema", "incident-run.schema.json"), "utf-8")
);

function problem(run, runbook) {
  return format.runProblem(JSON.parse(JSON.stringify(run)), runbook);
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
  assert.equal(format.LIMITS.events, SCHEMA.properties.events.maxItems);
  assert.equal(format.FORMAT, SCHEMA.properties.format.const);
  assert.equal(format.VERSION, SCHEMA.properties.version.const);
  assert.deepEqual(Object.keys(defs.event.properties).sort(), ["fingerprint", "step", "time", "type", "value"]);
});

test("a run with every kind of event is valid", () => {
  const run = makeRun([
    ["tick", "check", null],
    ["untick", "check", null],
    ["assign", "check", "Dana (on call)"],
    ["assign", "check", ""],
    ["note", "check", "two\nlines"],
    ["reset", null, null],
    ["handoff", null, "link"],
    ["handoff", null, "file"],
    ["end", null, null]
  ]);
  assert.equal(problem(run, "db-failover"), null);
});

test("a run of another runbook, or of a newer version, is refused", () => {
  assert.equal(problem(makeRun(), "web-outage"), "it is a run of another runbook");
  assert.equal(problem(makeRun([], { version: 3 })), "it was saved by a newer version of sphinx-incident");
  assert.equal(problem(makeRun([], { version: "2" })), "its format version is not supported");
  assert.equal(problem(makeRun([], { version: 1 })), "its format version is not supported"); // readRun upgrades it
  assert.equal(problem(makeRun([], { format: "other" })), "it is not a sphinx-incident run");
  assert.equal(format.runProblem(null), "it is not a sphinx-incident run");
  assert.equal(format.runProblem([makeRun()]), "it is not a sphinx-incident run");
});

test("unexpected and missing fields are refused, __proto__ included", () => {
  assert.equal(problem(makeRun([], { owner: "me" })), "it has unexpected or missing fields");
  const missing = makeRun();
  delete missing.name;
  assert.equal(problem(missing), "it has unexpected or missing fields");
  /* JSON.parse makes "__proto__" an own key, as a tampered file or link would */
  const text = JSON.stringify(makeRun([["tick", "check", null]]));
  const atTop = JSON.parse(text.replace("{", '{"__proto__":{"polluted":true},'));
  assert.equal(format.runProblem(atTop), "it has unexpected or missing fields");
  const inEvent = JSON.parse(text.replace('{"time":"2026-01-31T03:13', '{"__proto__":{},"time":"2026-01-31T03:13'));
  assert.equal(format.runProblem(inEvent), "an event is not of the expected form (event 2)");
  assert.equal({}.polluted, undefined);
});

test("run ids, runbook ids and step ids follow the schema", () => {
  assert.equal(problem(makeRun([], { id: "../../etc" })), "it has no valid run id");
  assert.equal(problem(makeRun([], { id: "a".repeat(65) })), "it has no valid run id");
  assert.equal(problem(makeRun([], { id: "a".repeat(64) })), null);
  assert.equal(problem(makeRun([], { id: "-start" })), "it has no valid run id");
  assert.equal(problem(makeRun([], { runbook: "" })), "it names no valid runbook");
  assert.equal(problem(makeRun([], { runbook: "a<b" })), "it names no valid runbook");
  for (const step of ["a/b", "a b", "<b>", "a\u00a0b", "a\u2028b", "\ufeff", "", null]) {
    assert.equal(problem(makeRun([["tick", step, null]])), "a tick names no valid step (event 2)", JSON.stringify(step));
  }
  assert.equal(problem(makeRun([["tick", "check.logs_2-é", null]])), null);
  assert.equal(problem(makeRun([["tick", "x".repeat(1001), null]])), "a tick names no valid step (event 2)");
});

test("names, assignees and notes: one line or text, counted in code points", () => {
  assert.equal(problem(makeRun([], { name: "" })), "it has no valid name");
  assert.equal(problem(makeRun([], { name: "two\nlines" })), "it has no valid name");
  assert.equal(problem(makeRun([], { name: "x".repeat(201) })), "it has no valid name");
  /* 200 emoji are 400 UTF-16 units, and 200 characters for JSON Schema */
  assert.equal(problem(makeRun([], { name: "🚒".repeat(200) })), null);
  assert.equal(problem(makeRun([["assign", "check", "Dana\nKim"]])), "an assignment is not valid (event 2)");
  assert.equal(problem(makeRun([["assign", "check", null]])), "an assignment is not valid (event 2)");
  assert.equal(problem(makeRun([["note", "check", "x".repeat(2000)]])), null);
  assert.equal(problem(makeRun([["note", "check", "x".repeat(2001)]])), "a note is not valid (event 2)");
  assert.equal(problem(makeRun([["note", "check", "bell\u0007"]])), "a note is not valid (event 2)");
});

test("times are real UTC times to the second", () => {
  for (const time of ["2026-02-30T00:00:00Z", "2026-01-31T03:12:09.123Z", "2026-01-31 03:12:09Z",
    "2026-01-31T04:12:09+01:00", "2026-01-31T24:00:00Z", 1769829129]) {
    assert.equal(problem(makeRun([[time, "tick", "check", null]])), "an event has no valid time (event 2)", String(time));
  }
  assert.equal(problem(makeRun([["2028-02-29T23:59:59Z", "tick", "check", null]])), null);
});

test("a run begins with its one start and nothing follows its end", () => {
  assert.equal(problem(makeRun([["start", null, null]])), "a run begins with its one start event");
  assert.equal(problem(makeRun([["end", null, null], ["tick", "check", null]])), "nothing can happen after a run's end");
  assert.equal(problem(makeRun([["end", null, null], ["end", null, null]])), "nothing can happen after a run's end");
  const late = makeRun([["tick", "check", null]]);
  late.events.shift();
  assert.equal(problem(late), "a run begins with its one start event");
  assert.equal(problem(makeRun([], { events: [] })), "it has no valid list of events");
  assert.equal(problem(makeRun([["end", "check", null]])), "a end event names a step or a value (event 2)");
  assert.equal(problem(makeRun([["handoff", null, "mail"]])), "a hand-off event is not valid (event 2)");
  assert.equal(problem(makeRun([["delete", "check", null]])), "an event has an unknown type (event 2)");
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
  full.events.push({ time: "2026-01-31T04:00:00Z", type: "end", step: null, fingerprint: null, value: null });
  assert.equal(problem(full), "it has no valid list of events");
  /* the schema says the same */
  assert.equal(SCHEMA.else.properties.events.maxItems, format.LIMITS.events - 1);
});

test("an event names its step by id and fingerprint; other events by neither", () => {
  const tick = (fingerprint) => ({ time: "2026-01-31T03:13:00Z", type: "tick", step: "check", fingerprint, value: null });
  assert.equal(problem(makeRun([tick(fp("check"))])), null);
  assert.equal(problem(makeRun([tick(null)])), null, "unknown: recorded by version 1");
  for (const bad of ["ABCDEF012345", "0123456789a", "0123456789abc", "", 12, undefined]) {
    assert.equal(problem(makeRun([tick(bad)])), bad === undefined
      ? "an event is not of the expected form (event 2)"
      : "a tick names no valid step (event 2)", String(bad));
  }
  const end = { time: "2026-01-31T03:13:00Z", type: "end", step: null, fingerprint: fp("check"), value: null };
  assert.equal(problem(makeRun([end])), "a end event names a step or a value (event 2)");
});

test("a rebind moves what was recorded on one step to another, or to none", () => {
  const rebind = (step, fingerprint, value) => ({ time: "2026-01-31T03:13:00Z", type: "rebind", step, fingerprint, value });
  const from = { step: "old", fingerprint: fp("old") };
  assert.equal(problem(makeRun([rebind("check", fp("check"), from)])), null);
  assert.equal(problem(makeRun([rebind(null, null, from)])), null);
  assert.equal(problem(makeRun([rebind("check", fp("check"), { step: "old", fingerprint: null })])), null);
  for (const [step, fingerprint, value] of [
    ["check", null, from], // kept on a step, but not what it says
    [null, fp("check"), from],
    ["check", fp("check"), { step: "old" }],
    ["check", fp("check"), { step: "old", fingerprint: null, more: 1 }],
    ["check", fp("check"), { step: "a b", fingerprint: null }],
    ["check", fp("check"), "old"],
    ["check", fp("check"), null]
  ]) {
    assert.equal(problem(makeRun([rebind(step, fingerprint, value)])), "a rebind is not valid (event 2)", JSON.stringify([step, fingerprint, value]));
  }
});

test("a run of version 1 is read as this version, its events without fingerprints", () => {
  const old = {
    format: "sphinx-incident-run", version: 1, runbook: "db-failover", id: "r1", name: "Old run",
    events: [
      { time: "2026-01-31T03:12:09Z", type: "start", step: null, value: null },
      { time: "2026-01-31T03:13:09Z", type: "tick", step: "check", value: null },
      { time: "2026-01-31T03:14:09Z", type: "note", step: "check", value: "two\nlines" }
    ]
  };
  const read = format.readRun(JSON.parse(JSON.stringify(old)), "db-failover");
  assert.equal(read.problem, null);
  assert.equal(read.upgraded, true);
  assert.equal(read.run.version, format.VERSION);
  assert.deepEqual(read.run.events.map((event) => [event.type, event.step, event.fingerprint]), [
    ["start", null, null], ["tick", "check", null], ["note", "check", null]
  ]);
  assert.equal(format.readRun(makeRun(), "db-failover").upgraded, false);
  /* an old run is held to the same rules once brought up, and to its own form before */
  assert.equal(format.readRun({ ...old, runbook: "web" }, "db-failover").problem, "it is a run of another runbook");
  const extra = JSON.parse(JSON.stringify(old));
  extra.events[1].fingerprint = fp("check");
  assert.equal(format.readRun(extra).problem, "its format version is not supported");
  const bad = JSON.parse(JSON.stringify(old));
  bad.events[1].step = "a b";
  assert.equal(format.readRun(bad).problem, "a tick names no valid step (event 2)");
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
