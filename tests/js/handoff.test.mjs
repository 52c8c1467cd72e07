/* Hand-off links (incident-handoff.js): a run survives the trip through a link, and
 * what comes back from a damaged, foreign or oversized link is refused with a reason. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { ns, makeRun, stored } from "./load.mjs";

const { handoff, format } = ns;

function base64url(bytes) {
  return Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const RUN = makeRun([
  ["tick", "check", null],
  ["assign", "promote", "Zoë (on call) 🚒"],
  ["note", "promote", "Replica lag 40 s\nfailover at 03:20"]
], { name: "Failover — 東京 region" });

test("a run comes back from its link as it was", async () => {
  const packed = await handoff.pack(RUN);
  assert.equal(packed.slice(0, 2), handoff.canCompress() ? "d." : "j.");
  assert.match(packed, /^[dj]\.[A-Za-z0-9_-]+$/);
  const link = handoff.linkTo("https://handbook.example.org/ops/db.html#db-failover--check", packed);
  assert.equal(link, "https://handbook.example.org/ops/db.html#incident-run=" + packed);
  const back = await handoff.unpack(handoff.packedIn(new URL(link).hash));
  assert.deepEqual(back, stored(RUN));
  assert.equal(format.runProblem(back, "db-failover"), null);
});

test("a compressed link is shorter than the run's JSON", { skip: !handoff.canCompress() && "no deflate-raw here" }, async () => {
  const long = makeRun(Array.from({ length: 300 }, (_, index) => ["tick", "step-" + (index % 20), null]));
  const packed = await handoff.pack(long);
  assert.ok(packed.length < JSON.stringify(long).length / 4, packed.length);
  assert.deepEqual(await handoff.unpack(packed), stored(long));
});

test("links made elsewhere: uncompressed ones, and ones compressed by zlib, read back", async () => {
  const json = Buffer.from(JSON.stringify(stored(RUN)));
  assert.deepEqual(await handoff.unpack("j." + base64url(json)), stored(RUN));
  if (handoff.canCompress()) {
    assert.deepEqual(await handoff.unpack("d." + base64url(deflateRawSync(json))), stored(RUN));
  }
});

test("only a hand-off fragment is one", () => {
  assert.equal(handoff.packedIn("#incident-run=d.abc"), "d.abc");
  assert.equal(handoff.packedIn("#incident-run="), "");
  assert.equal(handoff.packedIn("#db-failover--check"), null);
  assert.equal(handoff.packedIn(""), null);
  assert.equal(handoff.packedIn("#x-incident-run=d.abc"), null);
});

async function refusal(text) {
  try {
    await handoff.unpack(text);
  } catch (error) {
    return error.message;
  }
  assert.fail("unpacked " + text.slice(0, 40));
}

test("damaged and foreign links are refused, saying why", async () => {
  assert.equal(await refusal("d.not base64!"), "the link is damaged");
  assert.equal(await refusal("x." + base64url(Buffer.from("{}"))), "it is not a sphinx-incident hand-off link");
  assert.equal(await refusal("j." + base64url(Buffer.from("not json"))), "it is not JSON");
  assert.equal(await refusal("j." + base64url(Buffer.from([0x22, 0xff, 0xfe, 0x22]))), "it is not JSON");
  if (handoff.canCompress()) {
    assert.equal(await refusal("d." + base64url(Buffer.from("not deflate data at all"))), "the link is damaged");
    const cut = (await handoff.pack(RUN)).slice(0, 30);
    assert.equal(await refusal(cut), "the link is damaged");
  }
});

test("a small link that would inflate past the size limit is refused", { skip: !handoff.canCompress() && "no deflate-raw here" }, async () => {
  const bomb = deflateRawSync(Buffer.alloc(8 * format.LIMITS.bytes, 0x20));
  const packed = "d." + base64url(bomb);
  assert.ok(packed.length < 30000, packed.length);
  assert.equal(await refusal(packed), "it is larger than " + format.LIMITS.bytes + " bytes");
  const plain = "j." + base64url(Buffer.alloc(format.LIMITS.bytes + 1, 0x20));
  assert.equal(await refusal(plain), "it is larger than " + format.LIMITS.bytes + " bytes");
});

test("what a link carries is still checked like any run", async () => {
  const tampered = JSON.stringify(RUN).replace('"name"', '"__proto__":{"polluted":1},"name"');
  const data = await handoff.unpack("j." + base64url(Buffer.from(tampered)));
  assert.equal(format.runProblem(data), "it has unexpected or missing fields");
  assert.equal({}.polluted, undefined);
});
