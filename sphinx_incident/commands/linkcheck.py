"""Live link checking for ``sphinx-incident lint --check-links``: every runbook URL, requested.

Opt-in and never part of a build. URLs are requested concurrently (a bounded
pool, and at most a few requests per host at once), each within one deadline
for all it takes (:class:`Deadline`: connecting, the answers, redirects and
retries), retrying 429 and 503 answers after their ``Retry-After`` or an
exponential backoff when that fits in the deadline.
Each URL is classified as ``ok``, ``redirected``, ``needs-login`` (401/403,
or a redirect to a login page), ``broken`` (404/410/5xx/DNS failure) or
``timeout``. Results are cached in a JSON file with an expiry, so a second
run in CI or pre-commit does not request the same URLs again.

Requests go through Sphinx's own :mod:`sphinx.util.requests`,
so the handbook's ``tls_verify``, ``tls_cacerts`` and ``user_agent`` apply as
they do to ``sphinx-build -b linkcheck``. That builder does the same job for
whole sites but is bound to a builder run and its output files; it also sees
button-link URLs (they are plain references), so it covers runbooks too.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from sphinx.util import requests as sphinx_requests
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..checking.checks import iter_links, url_problem
from ..checking.report import with_severity
from ..checking.rules import RULES_BY_CODE, Settings
from ..checking.urls import parse as parse_url
from ..model import Problem
from .files import MAX_DATA_BYTES, ReadError, read_text

if TYPE_CHECKING:
    import argparse

    from sphinx.config import Config

    from ..model import Runbook

OK, REDIRECTED, NEEDS_LOGIN, BROKEN, TIMEOUT = "ok", "redirected", "needs-login", "broken", "timeout"
#: the lint rule (and so severity) of each status that is a problem
RULE_OF_STATUS = {BROKEN: "link_broken", NEEDS_LOGIN: "link_login", TIMEOUT: "link_timeout"}

_LOGIN_PATH = re.compile(r"/(log[-_]?in|sign[-_]?in|auth|sso|session/new|oauth)\b", re.IGNORECASE)
_RETRY_STATUSES = (429, 503)
#: a ``Retry-After`` longer than this is not waited for: the URL counts as broken
MAX_RETRY_WAIT = 30.0
USER_AGENT = "sphinx-incident-linkcheck (+https://pypi.org/project/sphinx-incident/)"
CACHE_FILE = "links.json"


@dataclass
class LinkResult:
    url: str
    status: str
    code: int | None = None
    final_url: str | None = None
    detail: str = ""
    checked_at: float = 0.0


@dataclass
class Options:
    timeout: float = 10.0
    workers: int = 8
    per_host: int = 2
    retries: int = 2
    backoff: float = 0.5
    cache_dir: Path | None = None
    #: seconds a cached result is reused; 0 turns the cache off
    cache_ttl: float = 24 * 3600.0
    #: Sphinx's ``tls_verify`` and ``tls_cacerts`` (a file, or one per host) of the handbook
    tls_verify: bool = True
    tls_cacerts: str | dict[str, str] | None = None
    #: the handbook's ``user_agent``, else this checker's own
    user_agent: str = USER_AGENT
    #: the time now, in seconds; when results are checked and how old a cached one is
    clock: Callable[[], float] = time.time


def classify(code: int, final_url: str, redirected: bool) -> str:
    """The status class of a final HTTP answer."""
    if code in (401, 403):
        return NEEDS_LOGIN
    if redirected and _LOGIN_PATH.search(urlsplit(final_url).path):
        return NEEDS_LOGIN
    if 200 <= code < 300:
        return REDIRECTED if redirected else OK
    return BROKEN


def _retry_after(response: requests.Response, attempt: int, backoff: float) -> float:
    value = response.headers.get("Retry-After", "")
    if value.strip().isdigit():
        return float(value)
    return backoff * (2**attempt)


class Deadline:
    """The end of one URL's check: every socket opened for it is shut when it passes.

    A timeout of the socket library bounds each wait for a byte, not the whole
    answer: a server sending its headers a byte a second would hold a check (and a
    CI job) for as long as it likes. A timer shuts the check's sockets down when
    the deadline passes, whatever the request is waiting for (the TLS handshake,
    the headers, a redirect's next answer)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if not self.expired:
                return
        _shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # closed already


def _tracked(base: type[HTTPConnection], deadline: Deadline) -> type[HTTPConnection]:
    """A connection class whose sockets the deadline shuts when it passes."""

    class Tracked(base):  # type: ignore[valid-type, misc]
        def _new_conn(self) -> socket.socket:
            sock: socket.socket = super()._new_conn()
            deadline.track(sock)
            return sock

    return Tracked


class _DeadlineAdapter(HTTPAdapter):
    """requests' adapter, its connections under a :class:`Deadline`."""

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline
        super().__init__(max_retries=0)

    def _pools(self) -> dict[str, type[HTTPConnectionPool]]:
        http, https = _tracked(HTTPConnection, self.deadline), _tracked(HTTPSConnection, self.deadline)
        return {
            "http": type("Pool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("Pool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
        }

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools()

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = self._pools()
        return manager


def request(url: str, options: Options, deadline: Deadline) -> requests.Response:
    """GET ``url`` as Sphinx requests URLs: its TLS settings and user agent, redirects followed;
    the body is not read. Every connection is shut when ``deadline`` passes."""
    session = sphinx_requests._Session()
    adapter = _DeadlineAdapter(deadline)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    wait = min(options.timeout, max(deadline.remaining(), 0.001))
    try:
        return session.request(
            "GET",
            url,
            _user_agent=options.user_agent,
            _tls_info=(options.tls_verify, options.tls_cacerts),
            timeout=wait,
            allow_redirects=True,
            stream=True,
        )
    finally:
        session.close()


def check_url(url: str, options: Options, sleep: Callable[[float], None] = time.sleep) -> LinkResult:
    """Request one URL (following redirects) and classify the answer, within ``options.timeout``
    seconds in all: connecting, the answers, redirects and retries."""
    with Deadline(options.timeout) as deadline:
        return _check(url, options, deadline, sleep)


def _check(url: str, options: Options, deadline: Deadline, sleep: Callable[[float], None]) -> LinkResult:
    attempt = 0
    while True:
        try:
            with request(url, options, deadline) as response:
                code = response.status_code
                if code in _RETRY_STATUSES and attempt < options.retries:
                    wait = _retry_after(response, attempt, options.backoff)
                    if wait <= MAX_RETRY_WAIT and wait < deadline.remaining():
                        attempt += 1
                        sleep(wait)
                        continue
                redirected = bool(response.history)
                status = classify(code, response.url, redirected)
                return LinkResult(
                    url, status, code, response.url if redirected else None, f"HTTP {code}", options.clock()
                )
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            if deadline.expired or isinstance(exc, requests.Timeout):
                detail = f"no answer in {options.timeout:g}s"
                return LinkResult(url, TIMEOUT, detail=detail, checked_at=options.clock())
            reason = type(exc).__name__
            return LinkResult(url, BROKEN, detail=f"{reason}: cannot connect", checked_at=options.clock())


class LinkCheckError(Exception):
    """Link checking cannot run as asked (a cache folder that is a file, say)."""


class Cache:
    """URL -> result, in one JSON file; entries older than the expiry are ignored."""

    def __init__(self, folder: Path | None, ttl: float) -> None:
        self.path = folder / CACHE_FILE if folder is not None and ttl > 0 else None
        self.ttl = ttl
        self.entries: dict[str, Any] = {}
        if folder is not None and ttl > 0 and folder.exists() and not folder.is_dir():
            raise LinkCheckError(f"the link cache folder {folder} is a file; pass another --cache-dir")
        if self.path is not None and self.path.exists():
            try:
                loaded = json.loads(read_text(self.path, MAX_DATA_BYTES))
            except (ReadError, ValueError, RecursionError):
                loaded = {}  # a damaged cache (or not a file at all) is only a slower run
            self.entries = loaded if isinstance(loaded, dict) else {}

    def get(self, url: str, now: float) -> LinkResult | None:
        entry = self.entries.get(url)
        try:
            if not isinstance(entry, dict) or now - float(entry.get("checked_at", 0)) > self.ttl:
                return None
            result = LinkResult(**entry)
        except (TypeError, ValueError):
            return None  # a damaged entry is checked again
        return (
            result
            if result.url == url and result.status in RULE_OF_STATUS.keys() | {OK, REDIRECTED}
            else None
        )

    def put(self, result: LinkResult) -> None:
        if result.status != TIMEOUT:  # a timeout may be the network's fault: ask again next time
            self.entries[result.url] = asdict(result)

    def save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.entries, indent=1, sort_keys=True), "utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            raise LinkCheckError(f"cannot write the link cache {self.path}: {exc.strerror or exc}") from exc


class _Progress:
    """``checking links: 12/40`` on one terminal line; silent when not a terminal."""

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total = total
        self.stream = stream if stream is not None and stream.isatty() else None
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if self.stream is not None:
            self.stream.write(f"\rchecking links: {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self.total:
            self.stream.write("\n")
            self.stream.flush()


def check_urls(
    urls: Iterable[str], options: Options | None = None, progress: TextIO | None = None
) -> dict[str, LinkResult]:
    """Check every distinct URL, from the cache where it is fresh, concurrently otherwise."""
    options = options or Options()
    cache = Cache(options.cache_dir, options.cache_ttl)
    now = options.clock()
    results: dict[str, LinkResult] = {}
    todo = []
    for url in dict.fromkeys(urls):
        cached = cache.get(url, now)
        if cached is not None:
            results[url] = cached
        else:
            todo.append(url)
    hosts: dict[str, threading.Semaphore] = {}
    lock = threading.Lock()

    def one(url: str) -> LinkResult:
        host = parse_url(url).host or ""
        with lock:
            gate = hosts.setdefault(host, threading.Semaphore(max(1, options.per_host)))
        with gate:  # be polite: a few requests per host at once
            return check_url(url, options)

    bar = _Progress(len(todo), progress)
    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        futures = {pool.submit(one, url): url for url in todo}
        for future in as_completed(futures):
            result = future.result()
            results[result.url] = result
            cache.put(result)
            bar.step()
    bar.close()
    cache.save()
    return results


def runbook_urls(runbooks: list[Runbook]) -> list[tuple[str, str, int | None]]:
    """(url, source path, line) of every http(s) link and button of the runbooks."""
    found = []
    for runbook in runbooks:
        for link in iter_links(runbook):
            if link.kind not in ("external", "button") or link.reftype:
                continue
            parsed = parse_url(link.target)
            if parsed.scheme not in ("http", "https") or url_problem(link.target):
                continue  # malformed and placeholder URLs are reported by the checks already
            # what a browser would request
            found.append((parsed.text, runbook.source, link.line))
    return found


def _message(result: LinkResult) -> str:
    if result.status == NEEDS_LOGIN:
        where = f" (redirects to {result.final_url})" if result.final_url else ""
        return f"{result.url} needs a login{where}: responders without an account cannot open it"
    if result.status == TIMEOUT:
        return f"{result.url} did not answer: {result.detail}"
    return f"{result.url} is broken: {result.detail}"


def link_problems(
    runbooks: list[Runbook], settings: Settings, args: argparse.Namespace, config: Config | None = None
) -> list[Problem]:
    """The problems of ``--check-links``, at the handbook's configured severities;
    paths relative to the source folder, like every other problem. ``config`` is the
    handbook's, for how Sphinx requests URLs."""
    options = Options(
        timeout=args.link_timeout,
        workers=args.link_workers,
        cache_dir=args.cache_dir,
        cache_ttl=args.cache_ttl * 3600.0,
    )
    if config is not None:
        options.tls_verify = bool(config.tls_verify)
        options.tls_cacerts = config.tls_cacerts
        options.user_agent = config.user_agent or USER_AGENT
    places = runbook_urls(runbooks)
    results = check_urls([url for url, _, _ in places], options, progress=sys.stderr)
    problems = []
    for url, path, line in places:
        rule = RULE_OF_STATUS.get(results[url].status)
        if rule is None:
            continue
        problem = with_severity(
            Problem(rule, RULES_BY_CODE[rule].severity, _message(results[url]), path, line), settings
        )
        if problem is not None:
            problems.append(problem)
    return problems
