/* Times and what leaves the page as text (incident-time.js, incident-export.js): the
 * timeline as Markdown, CSV and JSON, the checklist with a run, the new-issue link.
 * Local times are those of a fixed time zone, set through TZ (Node reads it when set). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ns, makeRun, stored, fp } from "./load.mjs";

process.env.TZ = "Europe/Berlin";

const { time, exportText } = ns;

const RUNBOOK = {
  id: "db-failover",
  title: "Database failover",
  url: "https://handbook.example.org/ops/db failover.html#db-failover",
  steps: new Map([
    ["check", { id: "check", label: "1. Check the replica | lag", fingerprint: fp("check"), parent: null }],
    ["promote", { id: "promote", label: "2. Promote the replica", fingerprint: fp("promote"), parent: null }]
  ])
};

function inZone(zone, body) {
  const saved = process.env.TZ;
  process.env.TZ = zone;
  try {
    body();
  } finally {
    process.env.TZ = saved;
  }
}

test("times show in UTC and in local time with its offset", () => {
  assert.equal(time.utcText("2026-01-31T03:12:09Z"), "2026-01-31 03:12:09");
  assert.equal(time.localText("2026-01-31T03:12:09Z"), "2026-01-31 04:12:09 +01:00");
  assert.equal(time.localText("2026-07-01T22:30:00Z"), "2026-07-02 00:30:00 +02:00");
  assert.equal(time.shortTimes("2026-01-31T23:12:09Z"), "23:12 UTC (00:12 local)");
  inZone("America/St_Johns", () => {
    assert.equal(time.localText("2026-01-31T03:12:09Z"), "2026-01-30 23:42:09 -03:30");
  });
  inZone("Asia/Kolkata", () => {
    assert.equal(time.localText("2026-01-31T03:12:09Z"), "2026-01-31 08:42:09 +05:30");
  });
  inZone("UTC", () => {
    assert.equal(time.localText("2026-01-31T03:12:09Z"), "2026-01-31 03:12:09 +00:00");
  });
  assert.equal(time.isoSeconds(new Date(Date.UTC(2026, 0, 31, 3, 12, 9, 999))), "2026-01-31T03:12:09Z");
  assert.match(time.isoSeconds(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

const HOSTILE = makeRun([
  ["tick", "check", null],
  { type: "assign", step: "promote", fingerprint: fp("promote"), value: "=HYPERLINK(\"http://example.org\")", author: "Dana" },
  ["note", "promote", "-2+3 `code` _em_ & <b>\nsecond | line #"],
  ["tick", "gone-step", null],
  ["handoff", null, "link"],
  ["end", null, null]
], { name: "Failover | *now* <script> #" });

test("the Markdown timeline escapes what could be markup and keeps each event on one row", () => {
  const text = exportText.timelineMarkdown(HOSTILE, RUNBOOK);
  const lines = text.split("\n");
  /* a trailing "#" would close the heading; "#" and ">" elsewhere start nothing, and stay bare */
  assert.equal(lines[0], "## Timeline: Failover \\| \\*now\\* \\<script> \\#");
  assert.equal(lines[2], "Runbook: [Database failover](<https://handbook.example.org/ops/db%20failover.html#db-failover>)  ");
  assert.equal(lines[3], "Started 2026-01-31 03:12:09 UTC (2026-01-31 04:12:09 +01:00 local), " +
    "ended 2026-01-31 03:18:09 UTC (2026-01-31 04:18:09 +01:00 local)");
  assert.equal(lines[5], "| Time (UTC) | Local time | Who | Event | Step | Detail |");
  const rows = lines.filter((line) => line.startsWith("| 2026"));
  assert.equal(rows.length, HOSTILE.events.length);
  assert.equal(rows[1], "| 2026-01-31 03:13:09 | 2026-01-31 04:13:09 +01:00 |  | Done | 1. Check the replica \\| lag |  |");
  assert.equal(rows[2], "| 2026-01-31 03:14:09 | 2026-01-31 04:14:09 +01:00 | Dana | Assigned | 2. Promote the replica | " +
    "=HYPERLINK(\"http://example.org\") |");
  assert.equal(rows[3], "| 2026-01-31 03:15:09 | 2026-01-31 04:15:09 +01:00 |  | Note | 2. Promote the replica | " +
    "-2+3 \\`code\\` \\_em\\_ & \\<b> second \\| line \\# |");
  assert.match(rows[4], /\| Done \| gone-step \(not on this version of the runbook\) \|/);
  assert.match(rows[5], /\| Handed over \|  \| imported from a hand-off link \|$/);
  assert.ok(text.endsWith("| Run ended |  |  |\n"));
  assert.equal(exportText.markdownText("a &amp; b & c"), "a \\&amp; b & c");
});

test("the CSV timeline has a byte-order mark, dates a spreadsheet reads, who, and defuses formulas", () => {
  const text = exportText.timelineCsv(HOSTILE, RUNBOOK);
  assert.ok(text.startsWith("\ufeff"), "a byte-order mark: spreadsheets read “ ” and — right");
  const lines = text.slice(1).split("\r\n");
  assert.equal(lines[0], '"time_utc","time_local","utc_offset","who","event","step","step_label","detail","clock"');
  assert.equal(lines[3], '"2026-01-31 03:14:09","2026-01-31 04:14:09","UTC+01:00","Dana","assign","promote","2. Promote the replica",' +
    '"\'=HYPERLINK(""http://example.org"")",""');
  assert.ok(lines[4].endsWith(',"\'-2+3 `code` _em_ & <b>\nsecond | line #",""'));
  assert.equal(lines[lines.length - 1], "");
  assert.equal(lines.length, HOSTILE.events.length + 2);
  for (const cell of ["+1", "@SUM(A1)", "\tx", "\nx", " =HYPERLINK(1)", "\u3000=1", "\uff1dcmd|' /C calc'!A0", "\ufe66x"]) {
    assert.equal(exportText.csvCell(cell), "\"'" + cell + "\"", JSON.stringify(cell));
  }
  /* a lone carriage return would end the row in some readers: it becomes a line feed */
  assert.equal(exportText.csvCell("\r=1"), "\"'\n=1\"");
  assert.equal(exportText.csvCell("a\r\nb\rc"), "\"a\nb\nc\"");
  for (const cell of ["plain", "a-b", "\u2212 1", "\ufeff=1", ""]) {
    assert.equal(exportText.csvCell(cell), "\"" + cell + "\"", JSON.stringify(cell));
  }
  assert.equal(exportText.csvCell("a \"b\", c"), '"a ""b"", c"');
});

test("the JSON timeline carries the runbook, the run and each event", () => {
  const data = JSON.parse(exportText.timelineJson(HOSTILE, RUNBOOK));
  assert.equal(data.format, "sphinx-incident-timeline");
  assert.deepEqual(data.runbook, { id: "db-failover", title: "Database failover", url: RUNBOOK.url });
  assert.deepEqual(data.run, {
    id: HOSTILE.id, name: HOSTILE.name, started: "2026-01-31T03:12:09Z", ended: "2026-01-31T03:18:09Z"
  });
  assert.deepEqual(data.events[0], {
    id: "e0000", time: "2026-01-31T03:12:09Z", time_local: "2026-01-31 04:12:09 +01:00", who: null, type: "start",
    step: null, step_label: null, value: null, detail: null, clock: null
  });
  assert.equal(data.events[2].who, "Dana");
  assert.equal(data.events[3].value, HOSTILE.events[3].value);
  assert.equal(data.events[4].step_label, "gone-step (not on this version of the runbook)");
});

test("the timeline is in order of time: sub-steps under their parent, entries at their time, clocks flagged", () => {
  const steps = new Map([
    ["comm", { id: "comm", label: "6. Communicate our status", fingerprint: fp("comm"), parent: null }],
    ["ticket", { id: "ticket", label: "1. Assign the support ticket", fingerprint: fp("ticket"), parent: "comm" }]
  ]);
  const run = makeRun([
    { type: "tick", step: "ticket", fingerprint: fp("ticket"), author: "Kim", time: "2026-01-31T03:20:00Z" },
    /* recorded at 03:15 by a clock 10 minutes behind: it happened at 03:25 */
    { type: "tick", step: "comm", fingerprint: fp("comm"), author: "Sam", time: "2026-01-31T03:15:00Z", offset: -600 },
    { type: "milestone", value: "detected", at: "2026-01-31T02:50:00Z", author: "Dana", time: "2026-01-31T03:30:00Z" },
    { type: "entry", value: "Customer reported 500s", at: "2026-01-31T02:45:00Z", time: "2026-01-31T03:31:00Z" }
  ]);
  const rows = ns.timeline.rows(run, steps);
  assert.deepEqual(rows.map((row) => [row.time, row.who, row.event, row.label]), [
    ["2026-01-31T02:45:00Z", "", "Timeline entry", ""],
    ["2026-01-31T02:50:00Z", "Dana", "Detected", ""],
    ["2026-01-31T03:12:09Z", "", "Run started", ""],
    ["2026-01-31T03:20:00Z", "Kim", "Done", "6. Communicate our status › 1. Assign the support ticket"],
    ["2026-01-31T03:25:00Z", "Sam", "Done", "6. Communicate our status"]
  ]);
  assert.equal(rows[4].clock, "recorded as 03:15:00 UTC by a clock 10 min behind");
  assert.equal(rows[0].detail, "Customer reported 500s, entered 03:31 UTC (04:31 local)");
  assert.equal(rows[1].detail, "entered 03:30 UTC (04:30 local)");
  const table = exportText.postmortem(run, { ...RUNBOOK, steps });
  assert.deepEqual(table.lines, ["Started 2026-01-31 03:12:09 UTC (2026-01-31 04:12:09 +01:00 local)", "Milestones: Detected 2026-01-31 02:50 UTC"]);
  assert.equal(table.rows[4][5], "⚠ recorded as 03:15:00 UTC by a clock 10 min behind");
});

test("downloads are named after the runbook and the run; a run file is the run as stored", () => {
  const names = ["markdown", "csv", "json"].map((kind) => exportText.timelineFile(HOSTILE, RUNBOOK, kind));
  assert.deepEqual(names.map((file) => file.name), [
    "db-failover-" + HOSTILE.id + "-timeline.md",
    "db-failover-" + HOSTILE.id + "-timeline.csv",
    "db-failover-" + HOSTILE.id + "-timeline.json"
  ]);
  const file = exportText.runFile(HOSTILE, RUNBOOK);
  assert.equal(file.name, "db-failover-" + HOSTILE.id + ".json");
  assert.deepEqual(JSON.parse(file.text), stored(HOSTILE));
});

test("the checklist carries the run's ticks, who did them, assignees and notes, then its timeline", () => {
  const checklist = {
    placeholder: "@@incident-site-root@@",
    lines: [
      { text: "## Database failover", step: null },
      { text: "- [ ] **1. Check** ([link](@@incident-site-root@@/ops/db.html#check))", step: "check" },
      { text: "- [ ] **2. Promote**", step: "promote" }
    ]
  };
  const plain = exportText.checklistText(checklist, "https://h.example/", null, RUNBOOK);
  assert.equal(plain, "## Database failover\n- [ ] **1. Check** ([link](https://h.example/ops/db.html#check))\n- [ ] **2. Promote**\n");
  const text = exportText.checklistText(checklist, "https://h.example/", HOSTILE, RUNBOOK);
  const [list, timeline] = text.split("\n## Timeline: ");
  assert.equal(list.split("\n")[1], "- [x] **1. Check** ([link](https://h.example/ops/db.html#check)) (done 2026-01-31T03:13:09Z)");
  assert.equal(list.split("\n")[2], "- [ ] **2. Promote** · assigned to =HYPERLINK(\"http://example.org\") · " +
    "note: -2+3 \\`code\\` \\_em\\_ & \\<b> second \\| line \\#");
  assert.ok(timeline.startsWith("Failover \\| \\*now\\*"));
  const byKim = makeRun([{ type: "tick", step: "check", fingerprint: fp("check"), author: "Kim" }]);
  assert.match(exportText.checklistText(checklist, "https://h.example/", byKim, RUNBOOK), / \(done 2026-01-31T03:13:09Z by Kim\)\n/);
});

test("a new-issue link carries the body while it fits, and only http(s) links are made", () => {
  const template = "https://tracker.example.org/new?title={title}&body={body}";
  assert.ok(exportText.isIssueTemplate(template));
  assert.ok(!exportText.isIssueTemplate("javascript:alert(1)//{title}"));
  assert.ok(!exportText.isIssueTemplate(""));
  const small = exportText.issueLinks(template, "Incident: a & b", "# Body\n");
  assert.deepEqual(small, {
    full: "https://tracker.example.org/new?title=Incident%3A%20a%20%26%20b&body=%23%20Body%0A",
    short: "https://tracker.example.org/new?title=Incident%3A%20a%20%26%20b&body=",
    valid: true,
    fits: true
  });
  const large = exportText.issueLinks(template, "t", "x".repeat(exportText.MAX_ISSUE_URL));
  assert.equal(large.fits, false);
  assert.equal(large.short, "https://tracker.example.org/new?title=t&body=");
  assert.equal(exportText.issueLinks("{body}", "t", "javascript:alert(1)").valid, false);
});
