"""Live link checking, against an HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sphinx_incident.commands import cli
from sphinx_incident.commands.linkcheck import (
    BROKEN,
    NEEDS_LOGIN,
    OK,
    REDIRECTED,
    TIMEOUT,
    USER_AGENT,
    Options,
    check_urls,
)


class Server:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with server.lock:
                    server.hits[path] += 1
                    server.agents.append(self.headers.get("User-Agent", ""))
                    count = server.hits[path]
                if path == "/slow":
                    time.sleep(1.5)
                    return self.answer(200)
                if path == "/moved":
                    return self.answer(301, {"Location": "/ok"})
                if path == "/admin":
                    return self.answer(302, {"Location": "/login?next=/admin"})
                if path == "/flaky":  # 503 first, then fine
                    return self.answer(503, {"Retry-After": "0"}) if count == 1 else self.answer(200)
                if path == "/busy":  # 429 with a backoff, then fine
                    return self.answer(429) if count == 1 else self.answer(200)
                codes = {"/ok": 200, "/login": 200, "/401": 401, "/403": 403, "/404": 404,
                         "/410": 410, "/500": 500}  # fmt: skip
                return self.answer(codes.get(path, 404))

            def answer(self, code: int, headers: dict[str, str] | None = None) -> None:
                body = b"page"
                self.send_response(code)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.base = f"{'https' if tls else 'http'}://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


EXPECTED = {
    "/ok": OK,
    "/moved": REDIRECTED,
    "/admin": NEEDS_LOGIN,
    "/401": NEEDS_LOGIN,
    "/403": NEEDS_LOGIN,
    "/404": BROKEN,
    "/410": BROKEN,
    "/500": BROKEN,
    "/flaky": OK,
    "/busy": OK,
    "/slow": TIMEOUT,
}


def test_each_status_class(server: Server, tmp_path: Path) -> None:
    urls = [server.url(p) for p in EXPECTED]
    dead = "http://127.0.0.1:1/nothing-listens-here"
    options = Options(timeout=0.5, backoff=0.01, cache_dir=tmp_path)
    results = check_urls([*urls, dead], options)
    assert {path: results[server.url(path)].status for path in EXPECTED} == EXPECTED
    assert results[dead].status == BROKEN
    assert results[server.url("/moved")].final_url == server.url("/ok")
    assert server.hits["/flaky"] == 2 and server.hits["/busy"] == 2  # retried once


def test_a_second_run_answers_from_the_cache(server: Server, tmp_path: Path) -> None:
    urls = [server.url(p) for p in EXPECTED if p != "/slow"]
    options = Options(timeout=2, backoff=0.01, cache_dir=tmp_path)
    first = check_urls(urls, options)
    first_hits = sum(server.hits.values())
    second = check_urls(urls, options)
    assert {u: r.status for u, r in second.items()} == {u: r.status for u, r in first.items()}
    assert sum(server.hits.values()) == first_hits  # no request at all the second time
    assert json.loads((tmp_path / "links.json").read_text("utf-8"))


def test_cache_expires(server: Server, tmp_path: Path) -> None:
    now = [1000.0]
    options = Options(timeout=2, cache_dir=tmp_path, cache_ttl=60, clock=lambda: now[0])
    check_urls([server.url("/ok")], options)
    now[0] += 60  # as old as the cache keeps results: still used
    check_urls([server.url("/ok")], options)
    assert server.hits["/ok"] == 1
    now[0] += 1  # older: asked again
    check_urls([server.url("/ok")], options)
    assert server.hits["/ok"] == 2


def test_per_host_limit(tmp_path: Path) -> None:
    active, peak, lock = 0, 0, threading.Lock()

    class Slow(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            nonlocal active, peak
            with lock:
                active += 1
                peak = max(peak, active)
            time.sleep(0.1)
            with lock:
                active -= 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        check_urls([f"{base}/{n}" for n in range(8)], Options(workers=8, per_host=2))
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert peak == 2


def test_lint_check_links(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text('extensions = ["myst_parser", "sphinx_design"]\n', "utf-8")
    (docs / "index.md").write_text(
        f"""---
runbook: true
---
# Runbook

1. **Open the tool**. [tool]({server.url("/ok")}).

   ```{{button-link}} {server.url("/admin")}
   Admin page
   ```

2. **Read the page**. [gone]({server.url("/404")}).
""",
        "utf-8",
    )
    argv = ["lint", "docs", "--check-links", "--cache-dir", str(tmp_path / "cache"), "--link-timeout", "2"]
    assert cli.main(argv) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"docs/index.md:8: warning: [link_login] {server.url('/admin')} needs a login "
        f"(redirects to {server.url('/login?next=/admin')}): responders without an account cannot open it",
        f"docs/index.md:12: error: [link_broken] {server.url('/404')} is broken: HTTP 404",
        "1 error, 1 warning in 1 runbook",
    ]
    hits = sum(server.hits.values())
    assert cli.main(argv) == 1  # second run: from the cache
    assert sum(server.hits.values()) == hits
    assert cli.main(["lint", "docs"]) == 0  # links are only requested when asked for
    assert sum(server.hits.values()) == hits


def test_sphinx_linkcheck_sees_button_links(server: Server, tmp_path: Path, make_app) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]\nlinkcheck_timeout = 2\n',
        "utf-8",
    )
    (src / "index.md").write_text(
        f"""# Runbook

```{{runbook}}
1. **Open the template**.

   ```{{button-link}} {server.url("/404")}
   Template
   ```
```
""",
        "utf-8",
    )
    app = make_app("linkcheck", srcdir=src)
    app.build()
    report = [json.loads(line) for line in (Path(app.outdir) / "output.json").read_text().splitlines()]
    assert [(r["uri"], r["status"]) for r in report] == [(server.url("/404"), "broken")]
    assert server.hits["/404"] >= 1


def test_timeouts_are_not_cached(server: Server, tmp_path: Path) -> None:
    options = Options(timeout=0.3, cache_dir=tmp_path)
    check_urls([server.url("/slow")], options)
    check_urls([server.url("/slow")], options)
    assert server.hits["/slow"] == 2


def test_progress_only_on_a_terminal(server: Server) -> None:
    class Tty:
        def __init__(self, tty: bool) -> None:
            self.tty, self.text = tty, ""

        def isatty(self) -> bool:
            return self.tty

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    terminal, pipe = Tty(True), Tty(False)
    check_urls([server.url("/ok")], Options(cache_ttl=0), progress=terminal)  # type: ignore[arg-type]
    check_urls([server.url("/ok")], Options(cache_ttl=0), progress=pipe)  # type: ignore[arg-type]
    assert "checking links: 1/1" in terminal.text
    assert pipe.text == ""


def test_link_rules_follow_severity_and_suppression(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """``incident_severity`` and ``suppress_warnings`` apply to the link rules as to every other."""
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_design"]\n'
        'incident_severity = {"link_broken": "warning"}\n'
        'suppress_warnings = ["incident.link_login"]\n',
        "utf-8",
    )
    (docs / "index.md").write_text(
        f"---\nrunbook: true\n---\n# Runbook\n\n1. **Open**. [admin]({server.url('/admin')}).\n"
        f"2. **Read**. [gone]({server.url('/404')}).\n3. **Wait**. [slow]({server.url('/slow')}).\n",
        "utf-8",
    )
    argv = ["lint", "docs", "--check-links", "--cache-ttl", "0", "--link-timeout", "0.5"]
    assert cli.main(argv) == 0  # nothing at error any more
    assert capsys.readouterr().out.splitlines() == [
        f"docs/index.md:7: warning: [link_broken] {server.url('/404')} is broken: HTTP 404",
        f"docs/index.md:8: warning: [link_timeout] {server.url('/slow')} did not answer: no answer in 0.5s",
        "0 errors, 2 warnings in 1 runbook",
    ]


def test_damaged_cache_entries_are_checked_again(server: Server, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    url = server.url("/ok")
    (cache / "links.json").write_text(
        json.dumps({url: {"url": url, "status": "ok", "checked_at": "yesterday"}, "x": 3, "y": [1]}), "utf-8"
    )
    results = check_urls([url], Options(cache_dir=cache))
    assert results[url].status == "ok"
    assert server.hits["/ok"] == 1  # asked again rather than trusting the damaged entry
    (cache / "links.json").write_text("[1, 2, 3]", "utf-8")  # not even an object
    assert check_urls([url], Options(cache_dir=cache))[url].status == "ok"


# -- how Sphinx requests URLs: its TLS settings and user agent apply ---------------------------


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    """An HTTPS server on 127.0.0.1 with a certificate made for it, trusted by nobody yet."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    srv = Server(tls=context)
    srv.thread.start()
    yield srv, cert
    srv.httpd.shutdown()
    srv.httpd.server_close()


def test_tls_settings_reach_the_request(https_server: tuple[Server, Path]) -> None:
    server, cert = https_server
    url = server.url("/ok")
    host = url.split("/")[2]

    def status(**tls: object) -> str:
        return check_urls([url], Options(timeout=5, cache_ttl=0, **tls))[url].status  # type: ignore[arg-type]

    assert status() == BROKEN  # a certificate no authority signed
    assert status(tls_cacerts=str(cert)) == OK
    assert status(tls_cacerts={host: str(cert)}) == OK
    assert status(tls_cacerts={"elsewhere.example.org": str(cert)}) == BROKEN
    assert status(tls_verify=False) == OK


def test_lint_requests_links_as_the_handbook_configures_sphinx(
    https_server: tuple[Server, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    server, cert = https_server
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        f"---\nrunbook: true\n---\n# Runbook\n\n1. **Open the tool**. [tool]({server.url('/ok')}).\n", "utf-8"
    )
    argv = ["lint", "docs", "--check-links", "--cache-ttl", "0", "--link-timeout", "5"]
    (docs / "conf.py").write_text('extensions = ["myst_parser"]\n', "utf-8")
    assert cli.main(argv) == 1  # the certificate is not trusted
    assert "[link_broken]" in capsys.readouterr().out
    assert server.agents == []  # no request got through the handshake
    (docs / "conf.py").write_text(
        f'extensions = ["myst_parser"]\ntls_cacerts = {str(cert)!r}\nuser_agent = "handbook-checker/1"\n',
        "utf-8",
    )
    assert cli.main(argv) == 0
    assert server.agents == ["handbook-checker/1"]


def test_the_checker_names_itself_unless_the_handbook_sets_a_user_agent(server: Server) -> None:
    check_urls([server.url("/ok")], Options(cache_ttl=0))
    assert server.agents == [USER_AGENT]
