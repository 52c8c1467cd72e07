/* The store of a runbook's runs over a key-value storage (incident-store.js): per handbook,
 * a save that merges with what another tab stored, runs it cannot read left alone, and
 * what earlier versions kept moved once. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ns, makeRun, stored, stepsOf, clockAt, memoryStorage, fp } from "./load.mjs";

const { runs, format, store: storeModule } = ns;
const HANDBOOK = "0123456789abcdef";
const KEY = "sphinx-incident@" + HANDBOOK + ":db-failover:run:";
const OLD_KEY = "sphinx-incident:db-failover:run:";
const STEPS = stepsOf(["a", "b", "c"]);

function store(storage, handbook = HANDBOOK) {
  return new storeModule.RunStore(handbook, "db-failover", storage);
}

test("the store reads back what it saved, oldest first, and only its runbook's runs", () => {
  const storage = memoryStorage({ "sphinx-incident@0123456789abcdef:web-outage:run:x": JSON.stringify(stored(makeRun([], { runbook: "web-outage", id: "x" }))) });
  const here = store(storage);
  const later = makeRun([["tick", "a", null]], { id: "later", events: [{ id: "s000", time: "2026-02-01T00:00:00Z", type: "start", seq: 1 }] });
  const earlier = makeRun([], { id: "earlier" });
  assert.equal(here.save(later).stored, true);
  assert.equal(here.save(earlier).stored, true);
  assert.deepEqual(here.runs(), [earlier, later]);
  assert.equal(JSON.parse(storage.get(KEY + "later")).events[1].value, undefined, "stored without its defaults");
  assert.equal(here.unreadable, 0);
  here.setActive("later");
  assert.equal(here.activeId(), "later");
  here.setActive(null);
  assert.equal(here.activeId(), null);
  here.remove("earlier");
  assert.deepEqual(here.runs().map((run) => run.id), ["later"]);
  assert.equal(store(memoryStorage({}, true)).save(earlier).stored, false);
  /* another handbook's runs of the same runbook are not this one's */
  assert.deepEqual(store(storage, "fedcba9876543210").runs(), []);
});

test("a save merges with the copy another tab stored since: nothing is lost", () => {
  const storage = memoryStorage();
  const run = makeRun([["tick", "a", null]], { id: "shared" });
  store(storage).save(run);
  /* two tabs read the same run, each ticks a step, each saves */
  const tab1 = structuredClone(run);
  const tab2 = structuredClone(run);
  runs.appendEvents(tab1, [{ type: "tick", step: "b", fingerprint: fp("b") }], clockAt("2026-01-31T03:20:00Z", "Dana"));
  runs.appendEvents(tab2, [{ type: "tick", step: "c", fingerprint: fp("c") }], clockAt("2026-01-31T03:20:00Z", "Dana"));
  store(storage).save(tab1);
  const kept = store(storage).save(tab2).run;
  assert.equal(kept.events.length, 4);
  assert.deepEqual([...runs.stateOf(store(storage).get("shared"), STEPS).done.keys()].sort(), ["a", "b", "c"]);
});

test("runs the store cannot read are counted and left in storage untouched", () => {
  const tampered = JSON.stringify(stored(makeRun([["tick", "<img src=x>", null]], { id: "t" })));
  const entries = {
    [KEY + "t"]: tampered,
    [KEY + "newer"]: JSON.stringify(stored(makeRun([], { id: "newer", version: 4 }))),
    [KEY + "elsewhere"]: JSON.stringify(stored(makeRun([], { id: "other-id" }))), // key and id disagree
    [KEY + "broken"]: "{not json",
    [KEY + "ok"]: JSON.stringify(stored(makeRun([], { id: "ok" })))
  };
  const storage = memoryStorage(entries);
  const here = store(storage);
  assert.deepEqual(here.runs().map((run) => run.id), ["ok"]);
  assert.equal(here.unreadable, 4);
  assert.deepEqual(Object.fromEntries(storage.map), entries);
});

test("the store says which storage keys are its own", () => {
  const here = store(memoryStorage());
  assert.ok(here.owns(null));
  assert.ok(here.owns("sphinx-incident@" + HANDBOOK + ":db-failover:active"));
  assert.ok(here.owns(KEY + "x"));
  assert.equal(here.runIdOf(KEY + "x"), "x");
  assert.equal(here.runIdOf("sphinx-incident@" + HANDBOOK + ":db-failover:active"), null);
  assert.ok(!here.owns("sphinx-incident@" + HANDBOOK + ":db-failover-2:run:x"));
  assert.ok(!here.owns("sphinx-incident@fedcba9876543210:db-failover:run:x"));
  assert.ok(!here.owns(OLD_KEY + "x"));
  assert.ok(!here.owns("other"));
});

test("ticks saved before runs existed become a first run", () => {
  const legacy = { b: "2026-01-31T03:20:00Z", a: "2026-01-31T03:15:00Z", "bad/id": "2026-01-31T03:16:00Z", c: "yesterday" };
  const storage = memoryStorage({ "sphinx-incident:db-failover": JSON.stringify(legacy) });
  const here = store(storage);
  here.migrate("Database failover", { ...clockAt("2026-02-01T00:00:00Z"), random: () => 35 });
  const [run] = here.runs();
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
  assert.deepEqual(state.orphans.map((orphan) => [orphan.step, orphan.kind, orphan.candidate]), [["a", "unchecked", "a"], ["b", "unchecked", "b"]]);
  assert.equal(storage.get("sphinx-incident:db-failover"), null);
  assert.equal(here.activeId(), run.id);
});

test("old ticks that are not an object stay; an object with no valid tick goes", () => {
  const clock = clockAt("2026-02-01T00:00:00Z");
  const unreadable = memoryStorage({ "sphinx-incident:db-failover": "[1, 2" });
  store(unreadable).migrate("Database failover", clock);
  assert.equal(unreadable.get("sphinx-incident:db-failover"), "[1, 2");
  const empty = memoryStorage({ "sphinx-incident:db-failover": JSON.stringify({ "a b": "2026-01-31T03:15:00Z" }) });
  const emptied = store(empty);
  emptied.migrate("Database failover", clock);
  assert.equal(empty.get("sphinx-incident:db-failover"), null);
  assert.deepEqual(emptied.runs(), []);
  /* a storage that refuses the run keeps the old ticks */
  const refusing = memoryStorage({ "sphinx-incident:db-failover": JSON.stringify({ a: "2026-01-31T03:15:00Z" }) }, true);
  store(refusing).migrate("Database failover", clock);
  assert.notEqual(refusing.get("sphinx-incident:db-failover"), null);
});

test("runs kept per runbook id by version 1 move to the handbook's keys, once", () => {
  const clock = clockAt("2026-02-01T00:00:00Z");
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
  here.migrate("Database failover", clock);
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
  assert.deepEqual(state.orphans.map((orphan) => [orphan.step, orphan.kind, orphan.candidate]), [["a", "unchecked", "a"], ["gone", "gone", null]]);
  /* once: a second handbook of the origin finds nothing left to move */
  const second = store(storage, "fedcba9876543210");
  second.migrate("Database failover", clock);
  assert.deepEqual(second.runs(), []);
  /* a storage that refuses the run keeps the old key */
  const refusing = memoryStorage({ [OLD_KEY + "old"]: JSON.stringify(v1) }, true);
  store(refusing).migrate("Database failover", clock);
  assert.notEqual(refusing.get(OLD_KEY + "old"), null);
});

test("a handbook is its project and its published root", () => {
  const key = storeModule.handbookKey("Northwind Operations Handbook", "https://ops.example.org/handbook/");
  assert.match(key, /^[0-9a-f]{16}$/);
  assert.equal(storeModule.handbookKey("Northwind Operations Handbook", "https://ops.example.org/handbook/"), key);
  const others = [
    storeModule.handbookKey("Northwind Operations Handbook", "https://ops.example.org/handbook/v2/"),
    storeModule.handbookKey("Northwind Ops", "https://ops.example.org/handbook/"),
    storeModule.handbookKey("Northwind Operations Handbook", "file:///home/dana/handbook/_build/html/"),
    storeModule.handbookKey("Northwind Operations Handbook", "file:///home/dana/copy/_build/html/"),
    storeModule.handbookKey("Northwind Operations Handbook\nhttps://ops.example.org/handbook/", "")
  ];
  assert.equal(new Set([key, ...others]).size, others.length + 1);
});
