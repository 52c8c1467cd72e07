/* The run model (incident-runs.js): what a run's events say, new runs, the room a run
 * keeps, and the store of a runbook's runs over a storage it is given. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ns, makeRun, fp, stepsOf } from "./load.mjs";

const { runs, format } = ns;

/* The storage interface a RunStore is given, over a Map; `refuse` makes set() fail. */
function memoryStorage(entries = {}, refuse = false) {
  const map = new Map(Object.entries(entries));
  return {
    map,
    get: (key) => (map.has(key) ? map.get(key) : null),
    set: (key, value) => {
      if (refuse) { return false; }
      map.set(key, value);
      return true;
    },
    remove: (key) => { map.delete(key); },
    keys: () => [...map.keys()]
  };
}

const HANDBOOK = "0123456789abcdef";
const KEY = "sphinx-incident@" + HANDBOOK + ":db-failover:run:";
const OLD_KEY = "sphinx-incident:db-failover:run:";
const STEPS = stepsOf(["a", "b", "c", "__proto__", "constructor", "hasOwnProperty"]);

function store(storage) {
  return new runs.RunStore(HANDBOOK, "db-failover", storage);
}

test("a run's state is what its events say, read in order", () => {
  const run = makeRun([
    ["tick", "a", null],
    ["tick", "b", null],
    ["untick", "a", null],
    ["assign", "b", "Dana"],
    ["note", "b", "Replica lag 40 s"],
    ["assign", "c", "Kim"],
    ["assign", "b", ""],
    ["reset", null, null],
    ["tick", "c", null],
    ["note", "c", "done by hand"],
    ["note", "c", ""],
    ["end", null, null]
  ]);
  const state = runs.stateOf(run, STEPS);
  assert.equal(state.started, "2026-01-31T03:12:09Z");
  assert.equal(state.ended, run.events[run.events.length - 1].time);
  assert.deepEqual([...state.done], [["c", run.events[9].time]]);
  assert.deepEqual([...state.assignee], [["c", "Kim"]]);
  assert.deepEqual([...state.note], [["b", "Replica lag 40 s"]]);
  assert.ok(runs.isEnded(run));
  assert.ok(!runs.isEnded(makeRun([["tick", "a", null]])));
});

test("a tick after a reset counts from the reset; an untick of an untouched step does nothing", () => {
  const state = runs.stateOf(makeRun([["tick", "a", null], ["reset", null, null], ["untick", "b", null], ["tick", "a", null]]), STEPS);
  assert.deepEqual([...state.done.keys()], ["a"]);
  assert.equal(state.ended, null);
});

test("step ids such as __proto__ are only keys", () => {
  const run = makeRun([
    ["tick", "__proto__", null],
    ["assign", "constructor", "Dana"],
    ["note", "hasOwnProperty", "x"]
  ]);
  assert.equal(format.runProblem(run), null);
  const state = runs.stateOf(run, STEPS);
  assert.ok(state.done.has("__proto__"));
  assert.equal(state.assignee.get("constructor"), "Dana");
  assert.equal(state.done.size + state.assignee.size + state.note.size, 3);
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
  assert.equal({}.hasOwnProperty, Object.prototype.hasOwnProperty);
});

test("a new run is valid, its id starting with the time it started", () => {
  const run = runs.newRun("db-failover", "Failover", "2026-01-31T03:12:09Z", 123456789, "2026-01-31T03:12:09.457Z");
  assert.equal(run.id, "20260131T031209457Z-21i3v9");
  assert.deepEqual(run.events, [{ time: "2026-01-31T03:12:09Z", type: "start", step: null, fingerprint: null, value: null }]);
  assert.equal(format.runProblem(run, "db-failover"), null);
  /* a run started at another time than now (a migration) goes by that time */
  const old = runs.newRun("db-failover", "Old ticks", "2025-12-01T08:00:00Z", 0, "2026-01-31T03:12:09.457Z");
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
  const older = makeRun([], { id: "z", events: [{ time: "2026-01-30T00:00:00Z", type: "start", step: null, fingerprint: null, value: null }] });
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
  const handed = runs.markHandedOff(run, "file", "2026-01-31T05:00:00Z");
  assert.deepEqual(handed.events[4998], { time: "2026-01-31T05:00:00Z", type: "handoff", step: null, fingerprint: null, value: "file" });
  assert.equal(runs.appendEvents(run, [["tick", "x", fp("x"), null]], "2026-01-31T05:00:00Z"), false);
  assert.equal(run.events.length, 4999);
  assert.equal(format.runProblem(run), null);
  assert.equal(runs.appendEvents(run, [["end", null, null, null]], "2026-01-31T05:01:00Z"), true);
  assert.equal(run.events.length, 5000);
  assert.equal(format.runProblem(run), null);
  /* an ended run is not marked */
  assert.equal(runs.markHandedOff(run, "link", "2026-01-31T05:02:00Z").events.length, 5000);
  const small = makeRun();
  assert.equal(runs.appendEvents(small, [["assign", "a", fp("a"), "Dana"], ["note", "a", fp("a"), "x"]], "2026-01-31T05:00:00Z"), true);
  assert.equal(format.runProblem(small), null);
  assert.deepEqual(small.events.slice(1).map((event) => event.time), ["2026-01-31T05:00:00Z", "2026-01-31T05:00:00Z"]);
});

test("an imported run of 4,999 events can still be ended", () => {
  const ticks = Array.from({ length: 4998 }, (_, index) => ["2026-01-31T04:00:00Z", "tick", "s" + (index % 7), null]);
  const run = makeRun(ticks);
  assert.equal(run.events.length, 4999);
  assert.equal(format.runProblem(run), null);
  /* the hand-off is not recorded where it would take the end's place */
  assert.equal(runs.markHandedOff(run, "link", "2026-01-31T05:00:00Z").events.length, 4999);
  assert.equal(runs.appendEvents(run, [["tick", "s1", fp("s1"), null]], "2026-01-31T05:01:00Z"), false);
  assert.equal(runs.appendEvents(run, [["end", null, null, null]], "2026-01-31T05:01:00Z"), true);
  assert.equal(runs.endedAt(run), "2026-01-31T05:01:00Z");
  assert.equal(format.runProblem(run), null);
});

test("events on steps this build does not have are on no step, and listed", () => {
  const run = makeRun([["tick", "a", null], ["tick", "gone", null], ["note", "gone", "x"], ["reset", null, null], ["tick", "b", null]]);
  const state = runs.stateOf(run, STEPS);
  assert.deepEqual([...state.done.keys()], ["b"]);
  assert.equal(state.note.size, 0);
  assert.deepEqual(state.issues.map((issue) => [issue.step, issue.kind, issue.events]), [["gone", "gone", [2, 3]]]);
  assert.deepEqual(runs.effectOf(run, [2, 3]), { done: run.events[2].time, assignee: "", note: "x" });
});

test("the store reads back what it saved, oldest first, and only its runbook's runs", () => {
  const storage = memoryStorage({ "sphinx-incident:web-outage:run:x": JSON.stringify(makeRun([], { runbook: "web-outage", id: "x" })) });
  const store = new runs.RunStore(HANDBOOK, "db-failover", storage);
  const later = makeRun([["tick", "a", null]], { id: "later", events: [{ time: "2026-02-01T00:00:00Z", type: "start", step: null, fingerprint: null, value: null }] });
  const earlier = makeRun([], { id: "earlier" });
  assert.equal(store.save(later), true);
  assert.equal(store.save(earlier), true);
  assert.deepEqual(store.runs(), [earlier, later]);
  assert.equal(store.unreadable, 0);
  store.setActive("later");
  assert.equal(store.activeId(), "later");
  store.setActive(null);
  assert.equal(store.activeId(), null);
  store.remove("earlier");
  assert.deepEqual(store.runs().map((run) => run.id), ["later"]);
  assert.equal(store.runs().length, 1);
  assert.equal(new runs.RunStore(HANDBOOK, "db-failover", memoryStorage({}, true)).save(earlier), false);
  /* another handbook's runs of the same runbook are not this one's */
  assert.deepEqual(new runs.RunStore("fedcba9876543210", "db-failover", storage).runs(), []);
});

test("runs the store cannot read are counted and left in storage untouched", () => {
  const tampered = JSON.stringify(makeRun([["tick", "<img src=x>", null]], { id: "t" }));
  const entries = {
    [KEY + "t"]: tampered,
    [KEY + "newer"]: JSON.stringify(makeRun([], { id: "newer", version: 3 })),
    [KEY + "elsewhere"]: JSON.stringify(makeRun([], { id: "other-id" })), // key and id disagree
    [KEY + "broken"]: "{not json",
    [KEY + "ok"]: JSON.stringify(makeRun([], { id: "ok" }))
  };
  const storage = memoryStorage(entries);
  const store = new runs.RunStore(HANDBOOK, "db-failover", storage);
  assert.deepEqual(store.runs().map((run) => run.id), ["ok"]);
  assert.equal(store.unreadable, 4);
  assert.deepEqual(Object.fromEntries(storage.map), entries);
});

test("the store says which storage keys are its own", () => {
  const store = new runs.RunStore(HANDBOOK, "db-failover", memoryStorage());
  assert.ok(store.owns(null));
  assert.ok(store.owns("sphinx-incident@" + HANDBOOK + ":db-failover:active"));
  assert.ok(store.owns(KEY + "x"));
  assert.ok(!store.owns("sphinx-incident@" + HANDBOOK + ":db-failover-2:run:x"));
  assert.ok(!store.owns("sphinx-incident@fedcba9876543210:db-failover:run:x"));
  assert.ok(!store.owns(OLD_KEY + "x"));
  assert.ok(!store.owns("other"));
});

test("ticks saved before runs existed become a first run", () => {
  const legacy = { b: "2026-01-31T03:20:00Z", a: "2026-01-31T03:15:00Z", "bad/id": "2026-01-31T03:16:00Z", c: "yesterday" };
  const storage = memoryStorage({ "sphinx-incident:db-failover": JSON.stringify(legacy) });
  const store = new runs.RunStore(HANDBOOK, "db-failover", storage);
  store.migrate("Database failover", 35);
  const [run] = store.runs();
  assert.equal(run.name, "Database failover — 2026-01-31 03:15 UTC");
  assert.equal(run.id, "20260131T031500Z-z");
  assert.deepEqual(run.events.map((event) => [event.time, event.type, event.step, event.fingerprint]), [
    ["2026-01-31T03:15:00Z", "start", null, null],
    ["2026-01-31T03:15:00Z", "tick", "a", null],
    ["2026-01-31T03:20:00Z", "tick", "b", null]
  ]);
  /* saved without what the steps said: listed for the responder, on no step yet */
  const state = runs.stateOf(run, STEPS);
  assert.equal(state.done.size, 0);
  assert.deepEqual(state.issues.map((issue) => [issue.step, issue.kind, issue.candidate]), [["a", "unchecked", "a"], ["b", "unchecked", "b"]]);
  assert.equal(storage.get("sphinx-incident:db-failover"), null);
  assert.equal(store.activeId(), run.id);
});

test("old ticks that are not an object stay; an object with no valid tick goes", () => {
  const unreadable = memoryStorage({ "sphinx-incident:db-failover": "[1, 2" });
  store(unreadable).migrate("Database failover", 1);
  assert.equal(unreadable.get("sphinx-incident:db-failover"), "[1, 2");
  const empty = memoryStorage({ "sphinx-incident:db-failover": JSON.stringify({ "a b": "2026-01-31T03:15:00Z" }) });
  const emptied = store(empty);
  emptied.migrate("Database failover", 1);
  assert.equal(empty.get("sphinx-incident:db-failover"), null);
  assert.deepEqual(emptied.runs(), []);
  /* a storage that refuses the run keeps the old ticks */
  const refusing = memoryStorage({ "sphinx-incident:db-failover": JSON.stringify({ a: "2026-01-31T03:15:00Z" }) }, true);
  store(refusing).migrate("Database failover", 1);
  assert.notEqual(refusing.get("sphinx-incident:db-failover"), null);
});

test("runs kept per runbook id by version 1 move to the handbook's keys, once", () => {
  const v1 = {
    format: "sphinx-incident-run", version: 1, runbook: "db-failover", id: "old", name: "Old run",
    events: [
      { time: "2026-01-31T03:12:09Z", type: "start", step: null, value: null },
      { time: "2026-01-31T03:13:09Z", type: "tick", step: "a", value: null },
      { time: "2026-01-31T03:14:09Z", type: "assign", step: "gone", value: "Dana" }
    ]
  };
  const other = { ...v1, runbook: "web-outage", id: "web" };
  const storage = memoryStorage({
    [OLD_KEY + "old"]: JSON.stringify(v1),
    [OLD_KEY + "broken"]: "{not json",
    "sphinx-incident:db-failover:active": "old",
    "sphinx-incident:web-outage:run:web": JSON.stringify(other)
  });
  const here = store(storage);
  here.migrate("Database failover", 1);
  const [run] = here.runs();
  assert.equal(run.version, format.VERSION);
  assert.deepEqual(run.events.map((event) => event.fingerprint), [null, null, null]);
  assert.equal(storage.get(OLD_KEY + "old"), null, "moved");
  assert.equal(storage.get(OLD_KEY + "broken"), "{not json", "what cannot be read stays");
  assert.notEqual(storage.get("sphinx-incident:web-outage:run:web"), null, "another runbook's run stays");
  assert.equal(here.activeId(), "old");
  assert.equal(storage.get("sphinx-incident:db-failover:active"), null);
  /* every event on a step is listed: the step of the id is unchecked, the other is gone */
  const state = runs.stateOf(run, STEPS);
  assert.deepEqual(state.issues.map((issue) => [issue.step, issue.kind, issue.candidate]), [["a", "unchecked", "a"], ["gone", "gone", null]]);
  /* once: a second handbook of the origin finds nothing left to move */
  const second = new runs.RunStore("fedcba9876543210", "db-failover", storage);
  second.migrate("Database failover", 2);
  assert.deepEqual(second.runs(), []);
  /* a storage that refuses the run keeps the old key */
  const refusing = memoryStorage({ [OLD_KEY + "old"]: JSON.stringify(v1) }, true);
  store(refusing).migrate("Database failover", 1);
  assert.notEqual(refusing.get(OLD_KEY + "old"), null);
});

test("a handbook is its project and its published root", () => {
  const key = runs.handbookKey("Northwind Operations Handbook", "https://ops.example.org/handbook/");
  assert.match(key, /^[0-9a-f]{16}$/);
  assert.equal(runs.handbookKey("Northwind Operations Handbook", "https://ops.example.org/handbook/"), key);
  const others = [
    runs.handbookKey("Northwind Operations Handbook", "https://ops.example.org/handbook/v2/"),
    runs.handbookKey("Northwind Ops", "https://ops.example.org/handbook/"),
    runs.handbookKey("Northwind Operations Handbook", "file:///home/dana/handbook/_build/html/"),
    runs.handbookKey("Northwind Operations Handbook", "file:///home/dana/copy/_build/html/"),
    runs.handbookKey("Northwind Operations Handbook\nhttps://ops.example.org/handbook/", "")
  ];
  assert.equal(new Set([key, ...others]).size, others.length + 1);
});
