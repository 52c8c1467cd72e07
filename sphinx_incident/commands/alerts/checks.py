"""Checking alert rules' runbook links against the handbook: pure functions, no I/O.

Each alerting rule's ``runbook_url`` is read as a browser reads it
(:mod:`~sphinx_incident.commands.alerts.urls`); when it is under one of the
handbook's base URLs it is resolved to a page (through the site's shape,
:mod:`~sphinx_incident.commands.alerts.site`, and its redirects) and an anchor of
:class:`~sphinx_incident.commands.alerts.targets.HandbookTargets`. What cannot be
resolved becomes a :class:`Finding` at the line of the annotation.

A finding suggests a target only when it is close: the anchor named by the
link is on another page, a renamed step whose title holds the old id's
words, a page in the same folder whose name is nearly the same (or one of
the same name elsewhere), an anchor of the same page spelt nearly alike. The
suggestion is written in the link's own style (scheme, host, ``.html`` or
not). Each distinct URL is judged once. Coverage (runbooks and steps no alert
links to) is reported at the runbook's source.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...checking.rules import OFF, Settings
from ...checking.urls import parse
from ...model import Problem
from .rules import AlertRule, ReadProblem
from .site import in_style, url_style
from .targets import STEP_SEPARATOR, HandbookTargets, Page, Redirect, text_of, top_steps, walk_steps
from .urls import Base, WebUrl, read_base, read_url, under

#: a Go template action, as Prometheus and Grafana expand in annotations
TEMPLATE = re.compile(r"\{\{.*?(\}\}|$)", re.S)
#: how alike an old step id and a current one must be to be suggested
CUTOFF = 0.6
#: how alike two page names, or two anchors of one page, must be to be suggested
NAME_CUTOFF = 0.85
#: words that say nothing about which step is meant
_STOPWORDS = frozenset({"a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "it", "is", "at", "by"})
_NAME_NOISE = re.compile(r"[\s_.-]+")


@dataclass(frozen=True)
class Suggestion:
    """Where a link most likely meant to go: a URL, and what is there."""

    url: str
    what: str = ""


@dataclass
class Finding:
    """One finding, with the fields a machine reads."""

    rule: str
    severity: str
    path: str
    line: int | None
    #: what is wrong, without the alert's name
    reason: str
    alert: str | None = None
    url: str | None = None
    #: the page the URL leads to (its path below the base URL), when there is one
    page: str | None = None
    anchor: str | None = None
    suggestion: Suggestion | None = None

    @property
    def message(self) -> str:
        """The finding in one line (the text output splits it over several)."""
        text = f"{self.alert}: {self.reason}" if self.alert is not None else self.reason
        if self.suggestion is not None:
            what = f" ({self.suggestion.what})" if self.suggestion.what else ""
            text += f"; did you mean {self.suggestion.url}{what}"
        return text

    def problem(self) -> Problem:
        return Problem(self.rule, self.severity, self.message, self.path, self.line)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Said:
    """A finding about a URL, before it is said about an alert."""

    rule: str
    reason: str
    suggestion: Suggestion | None = None


@dataclass(frozen=True)
class Verdict:
    """What one distinct URL leads to: judged once, said about every alert that uses it."""

    into_handbook: bool
    said: tuple[_Said, ...] = ()
    page: str | None = None
    anchor: str | None = None
    #: the runbooks the link reaches, and the step (runbook, top-level step id) it enters at
    covers: tuple[str, ...] = ()
    step: tuple[str, str] | None = None


@dataclass
class Link:
    """Where one alert's ``runbook_url`` leads in the handbook."""

    rule: AlertRule
    page: str | None
    fragment: str | None


@dataclass
class Result:
    """What checking the alerts found."""

    findings: list[Finding] = field(default_factory=list)
    #: links into the handbook, resolved or not
    links: list[Link] = field(default_factory=list)
    #: alerts whose runbook_url points elsewhere
    elsewhere: int = 0
    #: runbook id -> names of the alerts that reach it
    covered: dict[str, list[str]] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return [f.problem() for f in self.findings]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", text.casefold()) if w and w not in _STOPWORDS]


def _similarity(wanted: str, step: dict[str, Any]) -> float:
    """How likely the step is the one an old step id meant: the ids alike, or the old id's
    words in the step's title (ids are made from titles)."""
    step_id = text_of(step.get("id"))
    local_wanted = wanted.rsplit(".", 1)[-1]
    local_id = step_id.rsplit(".", 1)[-1]
    score = max(
        difflib.SequenceMatcher(None, wanted, step_id).ratio(),
        difflib.SequenceMatcher(None, local_wanted, local_id).ratio(),
    )
    words = _words(local_wanted)
    if words:
        title = set(_words(text_of(step.get("title")) or text_of(step.get("text"))))
        score = max(score, 0.9 * sum(w in title for w in words) / len(words))
    return score


def closest_step(runbook: dict[str, Any], wanted: str) -> dict[str, Any] | None:
    """The step of ``runbook`` an unknown step id most likely meant, or ``None``."""
    best, best_score = None, CUTOFF
    for step in walk_steps(runbook.get("steps")):
        score = _similarity(wanted, step)
        if score > best_score:
            best, best_score = step, score
    return best


def split_step_anchor(fragment: str, runbooks: Iterable[str]) -> tuple[str, str] | None:
    """(runbook id, step id) when the anchor reads ``<runbook-id>--<step-id>`` for a known
    runbook, trying every ``--`` (ids may hold one)."""
    known = runbooks if isinstance(runbooks, dict | set | frozenset) else set(runbooks)
    start = 0
    while (at := fragment.find(STEP_SEPARATOR, start)) > 0:
        if fragment[:at] in known:
            return fragment[:at], fragment[at + len(STEP_SEPARATOR) :]
        start = at + 1
    return None


def _name(path: str) -> str:
    """A page path's last segment as names are compared: no suffix, case or separators."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    for suffix in (".html", ".htm", ".md", ".rst"):
        if last.endswith(suffix):
            last = last[: -len(suffix)]
    return _NAME_NOISE.sub("", last.casefold())


def _folder(path: str) -> str:
    return posixpath.dirname(path.rstrip("/")).casefold()


class Checker:
    """Checks alert rules against one handbook's targets."""

    def __init__(self, targets: HandbookTargets, base_urls: Sequence[str], settings: Settings) -> None:
        self.targets = targets
        self.site = targets.site
        bases = [b for b in (read_base(text) for text in base_urls if text.strip()) if b is not None]
        #: every base, with the other paths a forge shows the same files under
        self.bases: list[Base] = []
        for base in bases:
            for path in self.site.base_variants(base.path):
                self.bases.append(Base(base.text, _replace_path(base.url, path)))
        self.settings = settings
        self.result = Result()
        self.verdicts: dict[str, Verdict] = {}
        #: (alert, base, path prefix, fragment prefix or None) of templated links
        self.templated: list[tuple[AlertRule, str, str | None]] = []
        self._page_names: dict[str, list[str]] | None = None

    # -- reporting -----------------------------------------------------------------
    def report(self, finding: Finding) -> None:
        severity = self.settings.severity_of(finding.rule)
        if severity != OFF:
            finding.severity = severity
            self.result.findings.append(finding)

    def _at(self, rule: AlertRule, said: _Said, verdict: Verdict | None = None) -> None:
        self.report(
            Finding(
                said.rule,
                "",
                rule.path,
                rule.url_line or rule.line,
                said.reason,
                alert=rule.name,
                url=rule.runbook_url,
                page=verdict.page if verdict else None,
                anchor=verdict.anchor if verdict else None,
                suggestion=said.suggestion,
            )
        )

    def read_problems(self, problems: Iterable[ReadProblem]) -> None:
        for problem in problems:
            self.report(Finding("alert_rule_file", "", problem.path, problem.line, problem.message))

    # -- one alert -------------------------------------------------------------------
    def check(self, rule: AlertRule) -> None:
        url = rule.runbook_url
        if url is None or not url.strip():
            what = "has no" if url is None else "has an empty"
            self._at(rule, _Said("alert_no_runbook", f"{what} runbook_url annotation"))
            return
        verdict = self.verdicts.get(url)
        if verdict is None:
            verdict = self.verdicts[url] = self.judge(url)
        templated = TEMPLATE.search(url) is not None
        if not verdict.into_handbook:
            if not verdict.said:
                self.result.elsewhere += 1
        elif not templated:
            self.result.links.append(Link(rule, verdict.page, verdict.anchor))
        for said in verdict.said:
            self._at(rule, said, verdict)
        for rid in verdict.covers:
            self.result.covered.setdefault(rid, []).append(rule.name)
        if templated:
            self._remember_template(rule, url)

    def judge(self, url: str) -> Verdict:
        """What ``url`` leads to."""
        match = TEMPLATE.search(url)
        if match:
            return self.judge_template(url, match)
        web = read_url(url)
        if web is None:
            parsed = parse(url)
            why = f" ({parsed.error})" if parsed.error else ""
            return Verdict(
                False, (_Said("alert_bad_url", f"runbook_url is not an absolute http(s) URL{why}"),)
            )
        found = self._under_base(web)
        if found is None:
            return Verdict(False)
        base, rest = found
        return self.judge_link(web, base, rest)

    def _under_base(self, web: WebUrl) -> tuple[Base, str] | None:
        for base in self.bases:
            rest = under(web, base, self.site.fold_case)
            if rest is not None:
                return base, rest
        return None

    def judge_link(self, web: WebUrl, base: Base, rest: str) -> Verdict:
        targets = self.targets
        path = self.site.rewrite(rest)
        fragment = web.fragment or None
        docname = targets.lookup(path)
        said: list[_Said] = []
        if docname is None:
            redirect = targets.redirects.get(self.site.path_key(path))
            if redirect is not None:
                docname = redirect.docname
                said.append(self._via_redirect(web, base, path, redirect))
        if docname is None:
            return Verdict(True, (self.unknown_page(web, base, path, fragment),), page=None, anchor=fragment)
        page = targets.pages[docname]
        shown_page = page.forms[0]
        if fragment is None:
            if not page.runbooks:
                said.append(_Said("alert_not_runbook", "the page holds no runbook"))
            return Verdict(True, tuple(said), shown_page, None, tuple(page.runbooks))
        key = self.site.anchor_key(fragment)
        if key in page.ids:
            anchor = targets.anchors.get(key)
            if anchor is not None and anchor.docname == docname:
                step = (anchor.runbook, anchor.top or anchor.step) if anchor.step else None
                return Verdict(True, tuple(said), shown_page, fragment, (anchor.runbook,), step)
            if not page.runbooks:
                said.append(_Said("alert_not_runbook", f"the page holds no runbook (#{fragment} is on it)"))
            return Verdict(True, tuple(said), shown_page, fragment, tuple(page.runbooks))
        missing = self.unknown_anchor(web, base, page, fragment, key, path)
        return Verdict(True, (*said, *([missing] if missing else [])), shown_page, fragment)

    # -- what is wrong, and what was meant ------------------------------------------------
    def url_of(self, web: WebUrl, base: Base, docname: str, anchor: str | None, style_of: str) -> str:
        """The URL of a page (and anchor) as the link would write it: its scheme and host, the
        base it is under, the page in its style."""
        page = self.targets.pages[docname]
        return web.with_path(base.path + in_style(page.forms, url_style(style_of)), anchor)

    def _via_redirect(self, web: WebUrl, base: Base, path: str, redirect: Redirect) -> _Said:
        direct = self.url_of(web, base, redirect.docname, web.fragment, path)
        return _Said(
            "alert_via_redirect",
            f"reaches its page via redirect ({redirect.declared})",
            Suggestion(direct),
        )

    def unknown_page(self, web: WebUrl, base: Base, path: str, fragment: str | None) -> _Said:
        """No page at ``path``: the anchor's page when the anchor is a known one, else a page of
        nearly the same name, else nothing ("no such runbook")."""
        targets = self.targets
        key = self.site.anchor_key(fragment) if fragment else None
        elsewhere = targets.anchors.get(key) if key else None
        where = "no page at this URL" if targets.complete else "no page of the step list at this URL"
        if elsewhere is not None:
            url = self.url_of(web, base, elsewhere.docname, fragment, path)
            return _Said("alert_unknown_page", where, Suggestion(url, elsewhere.describe()))
        close = self._close_page(path)
        if close is not None:
            page = targets.pages[close]
            what = (
                f'runbook "{text_of(targets.runbooks[page.runbooks[0]].get("title"))}"'
                if page.runbooks
                else ""
            )
            return _Said(
                "alert_unknown_page", where, Suggestion(self.url_of(web, base, close, None, path), what)
            )
        return _Said("alert_unknown_page", f"no such runbook: {where}")

    def _close_page(self, path: str) -> str | None:
        """A page whose name is nearly the link's in the same folder, or the very name
        elsewhere (a page moved), when there is exactly one such."""
        if self._page_names is None:
            self._page_names = {}
            for docname, page in self.targets.pages.items():
                self._page_names.setdefault(_name(page.forms[0] or "index"), []).append(docname)
        wanted = _name(path or "index")
        if not wanted:
            return None
        folder = _folder(path)
        same = self._page_names.get(wanted, [])
        if len(same) == 1:
            return same[0]
        nearby = [
            docname
            for docname, page in self.targets.pages.items()
            if _folder(page.forms[0]) == folder and page.forms[0].rstrip("/") != path.rstrip("/")
        ]
        names = {_name(self.targets.pages[d].forms[0] or "index"): d for d in nearby}
        close = difflib.get_close_matches(wanted, list(names), n=2, cutoff=NAME_CUTOFF)
        return names[close[0]] if len(close) == 1 else None

    def unknown_anchor(
        self, web: WebUrl, base: Base, page: Page, fragment: str, key: str, path: str
    ) -> _Said | None:
        """Why the page has no anchor ``fragment``, and the anchor meant when it is close:
        the same runbook or step anchor on another page, the step a renamed one became, an
        anchor of the page spelt nearly alike. ``None`` when a step list cannot tell."""
        targets = self.targets
        elsewhere = targets.anchors.get(key)
        if elsewhere is not None:
            url = self.url_of(web, base, elsewhere.docname, fragment, path)
            return _Said(
                "alert_unknown_anchor",
                f"#{fragment} is on another page",
                Suggestion(url, elsewhere.describe()),
            )
        step = split_step_anchor(fragment, targets.runbooks) if self.site.anchor_style == "sphinx" else None
        if step is not None:
            return self.unknown_step(web, base, path, *step)
        if not targets.complete:
            return None  # with a step list alone, other anchors cannot be told wrong
        no_runbook = "" if page.runbooks else " (a page that holds no runbook)"
        close = difflib.get_close_matches(key, sorted(page.ids), n=1, cutoff=NAME_CUTOFF)
        if close:
            anchor = targets.anchors.get(close[0])
            url = self.url_of(web, base, page.docname, close[0], path)
            return _Said(
                "alert_unknown_anchor",
                f"the page has no anchor #{fragment}{no_runbook}",
                Suggestion(url, anchor.describe() if anchor else ""),
            )
        return _Said("alert_unknown_anchor", f"the page has no anchor #{fragment}{no_runbook}")

    def unknown_step(self, web: WebUrl, base: Base, path: str, runbook_id: str, step_id: str) -> _Said:
        """A step anchor of a runbook that has no such step, with the step it most likely became."""
        runbook = self.targets.runbooks[runbook_id]
        step = closest_step(runbook, step_id)
        reason = f"runbook {runbook_id!r} has no step {step_id!r}"
        if step is not None:
            anchor_id = (
                text_of(step.get("anchor")) or f"{runbook_id}{STEP_SEPARATOR}{text_of(step.get('id'))}"
            )
            anchor = self.targets.anchors.get(anchor_id)
            if anchor is not None:
                url = self.url_of(web, base, anchor.docname, anchor_id, path)
                return _Said("alert_unknown_step", reason, Suggestion(url, anchor.describe()))
        return _Said("alert_unknown_step", reason)

    # -- templated links ---------------------------------------------------------------
    def judge_template(self, url: str, match: re.Match[str]) -> Verdict:
        prefix = url[: match.start()]
        template = match.group(0)
        template = template if len(template) <= 60 else template[:57] + "..."
        cannot = _Said(
            "alert_templated_url",
            f"templated ({template}): where it leads cannot be checked",
        )
        web = read_url(prefix)
        lowered = prefix.strip().lower()
        if web is None or (web.path == "/" and not re.search(r"(?i)^\s*https?://[^/\\]+[/\\]", prefix)):
            # the template is in the scheme or the host: it may or may not be the handbook
            if not lowered or any(b.text.lower().startswith(lowered) for b in self.bases):
                return Verdict(False, (cannot,))
            return Verdict(False)
        found = self._under_base(web)
        if found is None:
            if any(b.url.origin == web.origin and b.path.startswith(web.path) for b in self.bases):
                return Verdict(True, (cannot,))
            return Verdict(False)
        base, rest = found
        checked = _Said("alert_templated_url", f"templated ({template}): only the part before it is checked")
        if web.fragment is None:
            start = self.site.path_key(self.site.rewrite(rest))
            if any(self.site.path_key(form).startswith(start) for page in self.targets.pages.values()
                   for form in page.forms):  # fmt: skip
                return Verdict(True, (checked,))
            return Verdict(
                True,
                (
                    _Said(
                        "alert_unknown_page",
                        f"templated ({template}): no page's URL starts with the part before it",
                    ),
                ),
            )
        docname = self.targets.lookup(self.site.rewrite(rest))
        if docname is None:
            verdict = self.judge_link(web, base, rest)
            return Verdict(True, verdict.said, verdict.page, None)
        page = self.targets.pages[docname]
        start = self.site.anchor_key(web.fragment)
        if start and not any(i.startswith(start) for i in page.ids):
            step = (
                split_step_anchor(start, self.targets.runbooks)
                if self.site.anchor_style == "sphinx"
                else None
            )
            if step is not None or self.targets.complete:
                return Verdict(
                    True,
                    (
                        _Said(
                            "alert_unknown_anchor",
                            f"templated ({template}): no anchor of the page starts with #{web.fragment}",
                        ),
                    ),
                    page.forms[0],
                )
        return Verdict(True, (checked,), page.forms[0])

    def _remember_template(self, rule: AlertRule, url: str) -> None:
        match = TEMPLATE.search(url)
        assert match is not None
        web = read_url(url[: match.start()])
        if web is None:
            self.templated.append((rule, "", None))
            return
        found = self._under_base(web)
        if found is not None:
            self.templated.append((rule, self.site.path_key(found[1]), web.fragment))

    def _templated_reaching(self, runbook_id: str) -> str | None:
        """The name of an alert whose templated runbook_url may expand to the URL of the
        runbook or of one of its steps."""
        anchors = [a for a, target in self.targets.anchors.items() if target.runbook == runbook_id]
        pages = [p for p in self.targets.pages.values() if runbook_id in p.runbooks]
        for rule, path, fragment in self.templated:
            for page in pages:
                for form in page.forms:
                    if not self.site.path_key(form).startswith(path) and not (
                        fragment is not None and self.site.path_key(form) == path
                    ):
                        continue
                    if fragment is None or any(a.startswith(self.site.anchor_key(fragment)) for a in anchors):
                        return rule.name
        return None

    # -- coverage ----------------------------------------------------------------------
    def coverage(self, steps: bool, root: str = "") -> None:
        """Report the runbooks no alert reaches and, with ``steps``, the top-level steps that no
        alert links to (directly or through one of their sub-steps) in runbooks where alerts
        link to steps: a runbook every alert links to as a whole has no step entry points."""
        linked_steps = {v.step for v in self.verdicts.values() if v.step is not None}
        for rid, runbook in self.targets.runbooks.items():
            path = f"{root}{text_of(runbook.get('source'))}"
            line = runbook.get("line") if isinstance(runbook.get("line"), int) else None
            if rid not in self.result.covered:
                maybe = ""
                reaching = self._templated_reaching(rid)
                if reaching:
                    maybe = f" (the templated runbook_url of alert {reaching} may)"
                self.report(
                    Finding(
                        "alert_uncovered_runbook",
                        "",
                        path,
                        line,
                        f'no alert links to runbook {rid!r} ("{text_of(runbook.get("title"))}"){maybe}',
                    )
                )
                continue
            if not steps or not any(r == rid for r, _ in linked_steps):
                continue
            for step in top_steps(runbook.get("steps")):
                if (rid, text_of(step.get("id"))) in linked_steps:
                    continue
                number = f"step {text_of(step.get('number'))} " if text_of(step.get("number")) else "step "
                title = text_of(step.get("title")) or text_of(step.get("text")) or text_of(step.get("id"))
                self.report(
                    Finding(
                        "alert_uncovered_step",
                        "",
                        path,
                        step.get("line") if isinstance(step.get("line"), int) else None,
                        f'no alert links to {number}"{title}" of runbook {rid!r}',
                    )
                )


def _replace_path(url: WebUrl, path: str) -> WebUrl:
    return WebUrl(url.scheme, url.host, url.port, path, url.query, url.fragment)


def check_alerts(
    rules: Iterable[AlertRule],
    targets: HandbookTargets,
    base_urls: Sequence[str],
    settings: Settings | None = None,
    *,
    coverage: str | None = None,
    source_root: str = "",
    read_problems: Iterable[ReadProblem] = (),
) -> Result:
    """Every finding about ``rules`` against the handbook's ``targets``.

    ``coverage`` is ``None``, ``"runbooks"`` or ``"steps"``; ``source_root``
    is put before the runbooks' source paths in coverage findings;
    ``read_problems`` are what reading the rule files found.
    """
    if not targets.by_path:
        targets.finish()
    checker = Checker(targets, base_urls, settings or Settings())
    checker.read_problems(read_problems)
    for rule in rules:
        checker.check(rule)
    if coverage:
        checker.coverage(coverage == "steps", source_root)
    return checker.result
