/* sphinx-incident: what the panels use of the browser.
 *
 * localStorage as the storage a RunStore is given (a browser that refuses storage
 * reads as empty and says a change was not saved), the responder's name (one per
 * browser), the clock events are recorded by (with its offset from the web server's,
 * read once from the page's Date header where there is a server), elements made with
 * their text (nothing from a run or the page's data is ever parsed as HTML), links the
 * page may follow, downloads, the clipboard (plain text, and HTML beside it), random
 * numbers.
 *
 * Registers globalThis.sphinxIncident.browser; needs .time. */
(function (ns) {
  "use strict";

  /* localStorage, for RunStore: nothing throws */
  const localStore = Object.freeze({
    get: function (key) {
      try { return window.localStorage.getItem(key); } catch (error) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, value); return true; } catch (error) { return false; }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(key); } catch (error) { /* storage disabled */ }
    },
    keys: function () {
      const keys = [];
      try {
        for (let index = 0; index < window.localStorage.length; index += 1) { keys.push(window.localStorage.key(index)); }
      } catch (error) { /* storage disabled */ }
      return keys;
    }
  });

  /* ---- who records, and by which clock ---- */

  const RESPONDER_KEY = "sphinx-incident/responder";
  const LIMIT = ns.format.LIMITS.name;
  /* seconds of offset that are the Date header's rounding and the request's time, not a clock */
  const CLOCK_NOISE = 5;
  let clockOffset = null;

  /* the responder's name in this browser, or "" */
  function responder() {
    const name = localStore.get(RESPONDER_KEY);
    return name && ns.format.isLine(name, LIMIT) ? name : "";
  }

  /* Keep `name` (cleaned) as the responder's name; whether the browser kept it. */
  function setResponder(name) {
    const clean = ns.format.cleanLine(name, LIMIT);
    if (!clean) { localStore.remove(RESPONDER_KEY); return true; }
    return localStore.set(RESPONDER_KEY, clean);
  }

  /* Once per page, where it came from a web server: this device's clock minus the server's,
   * in seconds, from the Date header of the page (to the second, halfway through the request). */
  function measureClock() {
    if (!/^https?:$/.test(window.location.protocol) || typeof window.fetch !== "function") { return Promise.resolve(null); }
    const sent = Date.now();
    return window.fetch(window.location.href.split("#")[0], { method: "HEAD", cache: "no-store" }).then(function (response) {
      const server = Date.parse(response.headers.get("Date") || "");
      if (isNaN(server)) { return null; }
      const local = (sent + Date.now()) / 2;
      const offset = Math.round((local - server - 500) / 1000);
      clockOffset = Math.abs(offset) < CLOCK_NOISE ? 0 : offset;
      return clockOffset;
    }, function () { return null; });
  }

  /* What an event recorded now is stamped with (incident-log.js). */
  function clock() {
    return {
      now: ns.time.isoSeconds(),
      precise: new Date().toISOString(),
      offset: clockOffset,
      author: responder() || null,
      random: randomWord
    };
  }

  /* A new element with a class and text: the one way text reaches the page. */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* `handler` called with `owner` as `this` */
  function listen(node, type, handler, owner) {
    node.addEventListener(type, handler.bind(owner));
  }

  /* A link the page may follow: http(s), or relative to (and on the same scheme as) the page. */
  function safeHref(href) {
    try {
      const url = new URL(href, window.location.href);
      return ["http:", "https:", window.location.protocol].indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  /* Download `file` ({name, type, text}). */
  function download(file) {
    const url = URL.createObjectURL(new Blob([file.text], { type: file.type }));
    const link = element("a");
    link.href = url;
    link.download = file.name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  /* the hidden textarea of `panel` that holds what was copied */
  function copyBuffer(panel) {
    let area = panel.querySelector("textarea.incident-copy-buffer");
    if (!area) {
      area = element("textarea", "incident-copy-buffer");
      area.setAttribute("aria-hidden", "true");
      area.tabIndex = -1;
      area.readOnly = true;
      panel.appendChild(area);
    }
    return area;
  }

  /* Copy `text`: the clipboard API, else a selected textarea in `panel`; resolves to whether it worked. */
  function copyText(text, panel) {
    const area = copyBuffer(panel);
    area.value = text;
    function fallback() {
      area.select();
      try { return document.execCommand("copy"); } catch (error) { return false; }
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, fallback);
    }
    return Promise.resolve(fallback());
  }

  /* Put `text` on the clipboard, and `html` (a node whose markup is made by the page, text
   * only from its text) beside it, so that document editors paste a table; resolves to
   * whether it worked (else the text is in a selected textarea of `panel`). */
  function copyRich(text, html, panel) {
    if (navigator.clipboard && navigator.clipboard.write && typeof window.ClipboardItem === "function") {
      const item = new window.ClipboardItem({
        "text/plain": new Blob([text], { type: "text/plain" }),
        "text/html": new Blob([html.outerHTML], { type: "text/html" })
      });
      return navigator.clipboard.write([item]).then(function () {
        copyBuffer(panel).value = text;
        return true;
      }, function () { return copyText(text, panel); });
    }
    return copyText(text, panel);
  }

  /* a random 32-bit number, for run and event ids */
  function randomWord() {
    const random = new Uint32Array(1);
    window.crypto.getRandomValues(random);
    return random[0];
  }

  /* The handbook's published root, as an absolute URL: the page's content root (Sphinx
   * writes it on <html>; older versions in DOCUMENTATION_OPTIONS), else `fallback` (the
   * path to the root that the panel's data gives), resolved against the page. */
  function handbookRoot(fallback) {
    const given = document.documentElement.dataset.content_root;
    /* a `const` of documentation_options.js: a global, but not a property of window */
    const options = typeof DOCUMENTATION_OPTIONS === "object" ? DOCUMENTATION_OPTIONS : null; // eslint-disable-line no-undef
    const root = typeof given === "string" ? given
      : options && typeof options.URL_ROOT === "string" ? options.URL_ROOT : fallback;
    try {
      return new URL(root || "./", window.location.href).href;
    } catch (error) {
      return new URL("./", window.location.href).href;
    }
  }

  /* The URL of the page without its fragment. */
  function pageUrl() {
    return window.location.href.split("#")[0];
  }

  ns.browser = Object.freeze({
    localStore: localStore,
    responder: responder,
    setResponder: setResponder,
    measureClock: measureClock,
    clock: clock,
    element: element,
    listen: listen,
    safeHref: safeHref,
    download: download,
    copyText: copyText,
    copyRich: copyRich,
    randomWord: randomWord,
    handbookRoot: handbookRoot,
    pageUrl: pageUrl
  });
}(globalThis.sphinxIncident = globalThis.sphinxIncident || {}));
