/* sphinx-incident: times. No DOM.
 *
 * Events are stamped in UTC to the second ("2026-01-31T03:12:09Z") by the clock of the
 * device that records them, with that clock's offset when it is known (incident-format.js);
 * the page and the exports show them in UTC and in the browser's local time, with its
 * offset, and in spreadsheets as a local date and time they read.
 *
 * Registers globalThis.sphinxIncident.time. */
(function (ns) {
  "use strict";

  /* "2026-01-31T03:12:09Z": `date` (now when left out) in UTC, to the second */
  function isoSeconds(date) {
    return (date || new Date()).toISOString().replace(/\.[0-9]+Z$/, "Z");
  }

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  /* "2026-01-31 03:12:09" */
  function utcText(iso) {
    return iso.slice(0, 10) + " " + iso.slice(11, 19);
  }

  /* "2026-01-31 04:12:09", the local date and time, as spreadsheets read one */
  function sheetText(iso) {
    const date = new Date(iso);
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + " " +
      pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds());
  }

  /* "+01:00": the local offset from UTC at `iso` */
  function offsetText(iso) {
    const offset = -new Date(iso).getTimezoneOffset();
    const minutes = Math.abs(offset);
    return (offset < 0 ? "-" : "+") + pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60);
  }

  /* "2026-01-31 04:12:09 +01:00" */
  function localText(iso) {
    return sheetText(iso) + " " + offsetText(iso);
  }

  /* "03:12 UTC (04:12 local)", for the page */
  function shortTimes(iso) {
    return iso.slice(11, 16) + " UTC (" + sheetText(iso).slice(11, 16) + " local)";
  }

  /* `iso` moved by `seconds` */
  function shifted(iso, seconds) {
    return isoSeconds(new Date(Date.parse(iso) + seconds * 1000));
  }

  /* seconds from `earlier` to `later` (ISO times) */
  function secondsBetween(earlier, later) {
    return Math.round((Date.parse(later) - Date.parse(earlier)) / 1000);
  }

  /* "10 min", "2 h 5 min", "40 s": a duration, for a clock that is off */
  function durationText(seconds) {
    const total = Math.abs(Math.round(seconds));
    if (total < 60) { return total + " s"; }
    const minutes = Math.round(total / 60);
    return minutes < 60 ? minutes + " min" : Math.floor(minutes / 60) + " h" + (minutes % 60 ? " " + minutes % 60 + " min" : "");
  }

  /* "2026-01-31T04:12:09": `iso` in local time, as a datetime-local input shows it */
  function toLocalInput(iso) {
    return sheetText(iso).replace(" ", "T");
  }

  /* The UTC time of what a datetime-local input holds ("2026-01-31T04:12" or with seconds),
   * read in local time; null when it holds no time. */
  function fromLocalInput(text) {
    const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?/.exec(String(text));
    if (!match) { return null; }
    const parts = match.slice(1).map(function (part) { return Number(part || 0); });
    const date = new Date(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
    return isNaN(date.getTime()) ? null : isoSeconds(date);
  }

  ns.time = Object.freeze({
    isoSeconds: isoSeconds,
    utcText: utcText,
    sheetText: sheetText,
    offsetText: offsetText,
    localText: localText,
    shortTimes: shortTimes,
    shifted: shifted,
    secondsBetween: secondsBetween,
    durationText: durationText,
    toLocalInput: toLocalInput,
    fromLocalInput: fromLocalInput
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
