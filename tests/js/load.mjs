/* The page's scripts that use no DOM, loaded as the page loads them: classic scripts,
 * in order, each registering on globalThis.sphinxIncident. Node runs them as CommonJS
 * files, where there is no `document` or `window`: a script that touched the page
 * while loading would fail here. */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);

export const PROJECT = fileURLToPath(new URL("../../", import.meta.url));
export const STATIC = path.join(PROJECT, "sphinx_incident", "rendering", "static");
/* in the order of sphinx_incident.rendering.html.SCRIPTS */
export const PURE = [
  "incident-format.js", "incident-time.js", "incident-bind.js", "incident-log.js", "incident-runs.js",
  "incident-merge.js", "incident-store.js", "incident-timeline.js", "incident-export.js", "incident-handoff.js"
];

for (const name of PURE) {
  require(path.join(STATIC, name));
}

export const ns = globalThis.sphinxIncident;

/* The fingerprint a step of id `id` has in these tests (the page gets real ones from Python). */
export function fp(id) {
  return createHash("sha256").update("step " + id).digest("hex").slice(0, 12);
}

/* The steps of a page, as the panel keeps them: a Map of id to {id, label, fingerprint}. */
export function stepsOf(ids, labels = {}) {
  return new Map(ids.map((id) => [id, { id, label: labels[id] || id, fingerprint: fp(id) }]));
}

/* A valid run of runbook "db-failover", in memory (every field of every event, see
 * format.expandEvent), with `events` after its start: each [type, step, value] or
 * [time, type, step, value] (the step's fingerprint that of fp()), or an object of the
 * event's fields. Events without a time are a minute apart; without an id or a seq they get
 * "e0001"... and their position. */
export function makeRun(events = [], fields = {}) {
  const start = Date.parse("2026-01-31T03:12:09Z");
  const run = {
    format: "sphinx-incident-run",
    version: 3,
    runbook: "db-failover",
    id: "20260131T031209123Z-1x2y3z",
    name: "Database failover — 2026-01-31 03:12 UTC",
    events: [{ id: "e0000", time: "2026-01-31T03:12:09Z", type: "start", seq: 1 }],
    ...fields
  };
  events.forEach((entry, index) => {
    const auto = new Date(start + (index + 1) * 60000).toISOString().replace(".000Z", "Z");
    let event = entry;
    if (Array.isArray(entry)) {
      const [at, type, step, value] = entry.length === 4 ? entry : [auto, ...entry];
      event = { time: at, type, step, value, fingerprint: typeof step === "string" ? fp(step) : null };
    }
    run.events.push({ id: "e" + String(index + 1).padStart(4, "0"), seq: index + 2, time: auto, ...event });
  });
  run.events = run.events.map((event) => ns.format.expandEvent(event));
  return run;
}

/* `run` as stored: fields at their default left out, as JSON would read it back */
export function stored(run) {
  return JSON.parse(JSON.stringify(ns.format.compactRun(run)));
}

/* A storage over a Map, as RunStore takes one; `refuse` makes set() fail. */
export function memoryStorage(entries = {}, refuse = false) {
  const map = new Map(Object.entries(entries));
  return {
    map,
    refuse,
    get: (key) => (map.has(key) ? map.get(key) : null),
    set(key, value) {
      if (this.refuse) { return false; }
      map.set(key, value);
      return true;
    },
    remove: (key) => { map.delete(key); },
    keys: () => [...map.keys()]
  };
}

let counter = 0;

/* A clock for recording events at `now`; its random numbers are a counter shared by all
 * clocks, so that ids never meet. */
export function clockAt(now, author = null, offset = null) {
  return { now, precise: now.replace("Z", ".000Z"), author, offset, random: () => { counter += 1; return counter * 7919; } };
}
