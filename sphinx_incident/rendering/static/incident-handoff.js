/* sphinx-incident: hand-off links. No DOM.
 *
 * A link hands a run over in its fragment, "#incident-run=d.<data>": the run's JSON,
 * deflate-raw compressed (CompressionStream), base64url; "j.<data>" is the JSON
 * uncompressed, for browsers without CompressionStream. Nothing is sent anywhere.
 * unpack() refuses more than the format's byte limit (a small link must not inflate
 * to gigabytes) and returns parsed JSON that the caller checks with format.runProblem.
 *
 * Registers globalThis.sphinxIncident.handoff; needs .format. */
(function (ns) {
  "use strict";

  const LIMITS = ns.format.LIMITS;
  const FRAGMENT = "incident-run=";

  function toBase64Url(bytes) {
    let binary = "";
    for (let index = 0; index < bytes.length; index += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(index, index + 0x8000));
    }
    return globalThis.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64Url(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) { throw new Error("it is not base64url"); }
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = globalThis.atob(base64 + "===".slice((base64.length + 3) % 4));
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index += 1) { bytes[index] = binary.charCodeAt(index); }
    return bytes;
  }

  /* The bytes of a stream, refusing more than `limit`. */
  async function readAll(stream, limit) {
    const reader = stream.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const part = await reader.read();
      if (part.done) { break; }
      total += part.value.length;
      if (total > limit) {
        reader.cancel().catch(function () { /* already failed */ });
        throw new Error("it is larger than " + limit + " bytes");
      }
      chunks.push(part.value);
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    chunks.forEach(function (chunk) { bytes.set(chunk, offset); offset += chunk.length; });
    return bytes;
  }

  function canCompress() {
    try {
      new CompressionStream("deflate-raw"); // eslint-disable-line no-new
      return typeof DecompressionStream === "function";
    } catch (error) {
      return false;
    }
  }

  /* "d.<data>" (or "j.<data>" where the browser cannot compress): what follows FRAGMENT; the
   * run as stored, without the fields at their default */
  async function pack(run) {
    const bytes = new TextEncoder().encode(JSON.stringify(ns.format.compactRun(run)));
    if (canCompress()) {
      const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
      return "d." + toBase64Url(await readAll(stream, Infinity));
    }
    return "j." + toBase64Url(bytes);
  }

  async function inflate(bytes) {
    if (!canCompress()) { throw new Error("this browser cannot read compressed links: import the run file instead"); }
    try {
      return await readAll(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")), LIMITS.bytes);
    } catch (error) {
      throw new Error(/larger/.test(error.message) ? error.message : "the link is damaged");
    }
  }

  /* The JSON that pack() packed; rejects with an Error whose message says why not. */
  async function unpack(text) {
    const kind = text.slice(0, 2);
    let bytes;
    try {
      bytes = fromBase64Url(text.slice(2));
    } catch (error) {
      throw new Error("the link is damaged");
    }
    if (kind === "d.") {
      bytes = await inflate(bytes);
    } else if (kind !== "j.") {
      throw new Error("it is not a sphinx-incident hand-off link");
    }
    if (bytes.length > LIMITS.bytes) { throw new Error("it is larger than " + LIMITS.bytes + " bytes"); }
    try {
      return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch (error) {
      throw new Error("it is not JSON");
    }
  }

  /* The hand-off link of a page (its URL without the fragment) for a packed run. */
  function linkTo(pageUrl, packed) {
    return pageUrl.split("#")[0] + "#" + FRAGMENT + packed;
  }

  /* What a URL fragment ("#incident-run=...") carries, or null when it is no hand-off. */
  function packedIn(hash) {
    return hash.indexOf("#" + FRAGMENT) === 0 ? hash.slice(FRAGMENT.length + 1) : null;
  }

  ns.handoff = Object.freeze({
    canCompress: canCompress,
    pack: pack,
    unpack: unpack,
    linkTo: linkTo,
    packedIn: packedIn
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
