/* sphinx-incident: times. No DOM.
 *
 * Events are stamped in UTC to the second ("2026-01-31T03:12:09Z"); the page and the
 * exports show them in UTC and in the browser's local time, with its offset.
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

  /* "2026-01-31 04:12:09 +01:00" */
  function localText(iso) {
    const date = new Date(iso);
    const offset = -date.getTimezoneOffset();
    const sign = offset < 0 ? "-" : "+";
    const minutes = Math.abs(offset);
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + " " +
      pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) + " " +
      sign + pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60);
  }

  /* "03:12 UTC (04:12 local)", for the page */
  function shortTimes(iso) {
    return iso.slice(11, 16) + " UTC (" + localText(iso).slice(11, 16) + " local)";
  }

  ns.time = Object.freeze({
    isoSeconds: isoSeconds,
    utcText: utcText,
    localText: localText,
    shortTimes: shortTimes
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
