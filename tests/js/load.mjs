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
export const STATIC = path.join(PROJECT, "sphinx_incident", "static");
/* in the order of render_html.SCRIPTS */
export const PURE = ["incident-format.js", "incident-time.js", "incident-bind.js", "incident-runs.js", "incident-export.js", "incident-handoff.js"];

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

/* A valid run of runbook "db-failover" with `events` after its start (each [type, step, value]
 * or [time, type, step, value], the step's fingerprint that of fp(); or an event object as it
 * is); events without a time are a minute apart. */
export function makeRun(events = [], fields = {}) {
  const start = Date.parse("2026-01-31T03:12:09Z");
  const run = {
    format: "sphinx-incident-run",
    version: 2,
    runbook: "db-failover",
    id: "20260131T031209123Z-1x2y3z",
    name: "Database failover — 2026-01-31 03:12 UTC",
    events: [{ time: "2026-01-31T03:12:09Z", type: "start", step: null, fingerprint: null, value: null }],
    ...fields
  };
  events.forEach((event, index) => {
    if (!Array.isArray(event)) {
      run.events.push(event);
      return;
    }
    const [at, type, step, value] = event.length === 4
      ? event
      : [new Date(start + (index + 1) * 60000).toISOString().replace(".000Z", "Z"), ...event];
    run.events.push({ time: at, type, step, fingerprint: step === null || typeof step !== "string" ? null : fp(step), value });
  });
  return run;
}
