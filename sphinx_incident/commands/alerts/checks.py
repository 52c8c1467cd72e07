"""Checking alert rules' runbook links against the handbook: pure functions, no I/O.

Each alerting rule's ``runbook_url`` that points into the handbook (under
one of its base URLs) is resolved to a page and an anchor of
:class:`~sphinx_incident.commands.alerts.targets.HandbookTargets`. What cannot be
resolved becomes a :class:`~sphinx_incident.model.Problem` at the line of
the annotation, with the closest target as a suggestion: a step anchor of a
renamed step gets the anchor of the step it most likely became. Coverage
(runbooks and steps no alert links to) is reported at the runbook's source.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...checking.rules import OFF, Settings
from ...model import Problem
from .rules import AlertRule
from .targets import STEP_SEPARATOR, Anchor, HandbookTargets, page_key, walk_steps

#: a Go template action, as Prometheus and Grafana expand in annotations
TEMPLATE = re.compile(r"\{\{.*?(\}\}|$)", re.S)
#: how alike an old id and a current one must be to be suggested
CUTOFF = 0.6
#: words that say nothing about which step is meant
_STOPWORDS = frozenset({"a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "it", "is", "at", "by"})


@dataclass
class Link:
    """Where one alert's ``runbook_url`` leads in the handbook."""

    rule: AlertRule
    #: the page key, and the anchor ("" for none)
    page: str
    fragment: str
    #: the base URL the link is under, with a trailing slash
    base: str


@dataclass
class Result:
    """What checking the alerts found."""

    problems: list[Problem] = field(default_factory=list)
    #: links into the handbook, resolved or not
    links: list[Link] = field(default_factory=list)
    #: alerts whose runbook_url points elsewhere
    elsewhere: int = 0
    #: runbook id -> names of the alerts that reach it
    covered: dict[str, list[str]] = field(default_factory=dict)


def _fold(url: str) -> str:
    """The URL with its scheme and host lowercased, as they compare."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


def normalise_base(base: str) -> str:
    """A base URL as links are compared with it: scheme and host lowercased, ending in ``/``."""
    base = _fold(base.strip())
    return base if base.endswith("/") else base + "/"


def under_base(url: str, bases: Sequence[str]) -> tuple[str, str] | None:
    """(base, rest) when ``url`` is under one of ``bases`` (normalised), else ``None``."""
    folded = _fold(url)
    for base in bases:
        if folded.startswith(base):
            return base, folded[len(base) :]
        if folded == base[:-1] or folded.startswith(base[:-1] + "#") or folded.startswith(base[:-1] + "?"):
            return base, folded[len(base) - 1 :]
    return None


def split_rest(rest: str) -> tuple[str, str]:
    """``support/incidents.html?x#anchor`` -> (``support/incidents``, ``anchor``)."""
    from urllib.parse import unquote

    path, _, fragment = rest.partition("#")
    return page_key(path.partition("?")[0]), unquote(fragment)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", text.casefold()) if w and w not in _STOPWORDS]


def _similarity(wanted: str, step: dict[str, Any]) -> float:
    """How likely the step is the one an old step id meant: the ids alike, or the old id's
    words in the step's title (ids are made from titles)."""
    step_id = str(step.get("id") or "")
    local_wanted = wanted.rsplit(".", 1)[-1]
    local_id = step_id.rsplit(".", 1)[-1]
    score = max(
        difflib.SequenceMatcher(None, wanted, step_id).ratio(),
        difflib.SequenceMatcher(None, local_wanted, local_id).ratio(),
    )
    words = _words(local_wanted)
    if words:
        title = set(_words(str(step.get("title") or step.get("text") or "")))
        score = max(score, 0.9 * sum(w in title for w in words) / len(words))
    return score


def closest_step(runbook: dict[str, Any], wanted: str) -> dict[str, Any] | None:
    """The step of ``runbook`` an unknown step id most likely meant, or ``None``."""
    best, best_score = None, CUTOFF
    for step in walk_steps(runbook.get("steps") or []):
        score = _similarity(wanted, step)
        if score > best_score:
            best, best_score = step, score
    return best


def split_step_anchor(fragment: str, runbooks: Iterable[str]) -> tuple[str, str] | None:
    """(runbook id, step id) when the anchor reads ``<runbook-id>--<step-id>`` for a known
    runbook, trying every ``--`` (ids may hold one)."""
    known = set(runbooks)
    start = 0
    while (at := fragment.find(STEP_SEPARATOR, start)) > 0:
        if fragment[:at] in known:
            return fragment[:at], fragment[at + len(STEP_SEPARATOR) :]
        start = at + 1
    return None


def _describe(anchor: Anchor) -> str:
    if anchor.step is None:
        return f'runbook "{anchor.title}"'
    number = f"step {anchor.number} " if anchor.number else "step "
    return f'{number}"{anchor.title}" of runbook {anchor.runbook!r}'


class Checker:
    """Checks alert rules against one handbook's targets."""

    def __init__(self, targets: HandbookTargets, base_urls: Sequence[str], settings: Settings) -> None:
        self.targets = targets
        self.bases = [normalise_base(b) for b in base_urls if b.strip()]
        self.settings = settings
        self.result = Result()
        #: (alert, its URL up to the template, scheme and host lowercased) of templated links
        self.templated: list[tuple[AlertRule, str]] = []

    # -- reporting -----------------------------------------------------------------
    def report(self, code: str, message: str, path: str, line: int | None) -> None:
        severity = self.settings.severity_of(code)
        if severity != OFF:
            self.result.problems.append(Problem(code, severity, message, path, line))  # type: ignore[arg-type]

    def _at(self, rule: AlertRule, code: str, message: str) -> None:
        self.report(code, f"alert {rule.name}: {message}", rule.path, rule.url_line or rule.line)

    def url_for(self, base: str, anchor: Anchor) -> str:
        """The URL of a runbook or step anchor under the base a link used."""
        rel = anchor.url
        if self.targets.base_url and rel.startswith(self.targets.base_url):
            rel = rel[len(self.targets.base_url) :].lstrip("/")
        if "://" in rel:
            return rel
        return base + rel

    # -- one alert -------------------------------------------------------------------
    def check(self, rule: AlertRule) -> None:
        url = rule.runbook_url
        if url is None or not url.strip():
            what = "has no" if url is None else "has an empty"
            self._at(rule, "alert_no_runbook", f"{what} runbook_url annotation")
            return
        match = TEMPLATE.search(url)
        if match:
            self.templated.append((rule, _fold(url[: match.start()])))
            self.check_template(rule, url)
            return
        found = under_base(url, self.bases)
        if found is None:
            if not re.match(r"(?i)https?://[^/\s]", url):
                self._at(rule, "alert_bad_url", f"runbook_url {url!r} is not an absolute http(s) URL")
            else:
                self.result.elsewhere += 1
            return
        base, rest = found
        page, fragment = split_rest(rest)
        self.result.links.append(Link(rule, page, fragment, base))
        self.check_link(rule, url, base, page, fragment)

    def check_link(self, rule: AlertRule, url: str, base: str, key: str, fragment: str) -> None:
        targets = self.targets
        shown = url.partition("#")[0]
        page = targets.pages.get(key)
        elsewhere = targets.anchors.get(fragment) if fragment else None
        if page is None:
            hint = self._page_hint(base, key, elsewhere)
            if targets.complete:
                self._at(rule, "alert_unknown_page", f"{shown} is not a page of the handbook{hint}")
            else:
                self._at(
                    rule,
                    "alert_unknown_page",
                    f"{shown} is not a page of the step list: it holds no runbook, or does not exist{hint}",
                )
            return
        if not fragment:
            if not page.runbooks:
                self._at(rule, "alert_not_runbook", f"{shown} is a page that holds no runbook")
            self._cover_page(rule, page.runbooks)
            return
        if fragment in page.ids:
            anchor = targets.anchors.get(fragment)
            if anchor is not None and anchor.page == key:
                self._cover(rule, anchor)
            elif not page.runbooks:
                self._at(
                    rule,
                    "alert_not_runbook",
                    f"{shown} is a page that holds no runbook (#{fragment} is on it)",
                )
            else:
                self._cover_page(rule, page.runbooks)
            return
        # the anchor is not on the page
        if elsewhere is not None:
            self._at(
                rule,
                "alert_unknown_anchor",
                f"#{fragment} is not on {shown}: {_describe(elsewhere)} is on another page, "
                f"use {self.url_for(base, elsewhere)}",
            )
            return
        step = split_step_anchor(fragment, targets.runbooks)
        if step is not None:
            self.unknown_step(rule, base, fragment, *step)
            return
        # with a step list alone, other anchors (sections, ...) of a page cannot be told wrong
        if targets.complete:
            no_runbook = "" if page.runbooks else " (a page that holds no runbook)"
            suggestion = self._anchor_hint(base, fragment, page.runbooks)
            self._at(
                rule,
                "alert_unknown_anchor",
                f"#{fragment} is not an anchor of {shown}{no_runbook}{suggestion}",
            )

    def unknown_step(self, rule: AlertRule, base: str, fragment: str, runbook_id: str, step_id: str) -> None:
        runbook = self.targets.runbooks[runbook_id]
        step = closest_step(runbook, step_id)
        message = f"runbook {runbook_id!r} has no step {step_id!r} (#{fragment}): renamed or removed"
        if step is not None:
            anchor = self.targets.anchors.get(str(step.get("anchor")))
            if anchor is not None:
                number = f"step {anchor.number} " if anchor.number else "step "
                message += f'; did you mean {number}"{anchor.title}": {self.url_for(base, anchor)}'
        else:
            anchor = self.targets.anchors.get(str(runbook.get("anchor") or runbook_id))
            if anchor is not None:
                message += f"; its steps are at {self.url_for(base, anchor)}"
        self._at(rule, "alert_unknown_step", message)

    def _page_hint(self, base: str, key: str, elsewhere: Anchor | None) -> str:
        if elsewhere is not None:
            return f"; {_describe(elsewhere)} is at {self.url_for(base, elsewhere)}"
        close = difflib.get_close_matches(key, [k for k in self.targets.pages if k], n=1, cutoff=CUTOFF)
        if close:
            page = self.targets.pages[close[0]]
            if page.runbooks:
                anchor = self.targets.anchors.get(page.runbooks[0])
                if anchor is not None:
                    return f"; did you mean {self.url_for(base, anchor).partition('#')[0]}?"
            return f"; did you mean the page {close[0]}?"
        return ""

    def _anchor_hint(self, base: str, fragment: str, runbooks: list[str]) -> str:
        """A runbook or step anchor like ``fragment``: on the same page first, then anywhere."""
        anchors = self.targets.anchors
        here = [a for a, t in anchors.items() if t.runbook in runbooks]
        for pool in (here, list(anchors)):
            close = difflib.get_close_matches(fragment, pool, n=1, cutoff=CUTOFF)
            if close:
                anchor = anchors[close[0]]
                return f"; did you mean {_describe(anchor)}: {self.url_for(base, anchor)}"
        return ""

    # -- templated links ---------------------------------------------------------------
    def check_template(self, rule: AlertRule, url: str) -> None:
        match = TEMPLATE.search(url)
        assert match is not None
        prefix = url[: match.start()]
        template = match.group(0)
        folded = _fold(prefix)
        base = next((b for b in self.bases if folded.startswith(b)), None)
        if base is None:
            if any(b.startswith(folded) for b in self.bases) or not self.bases:
                self._at(
                    rule,
                    "alert_templated_url",
                    f"runbook_url is a template ({template}): whether it points into the handbook "
                    "cannot be checked",
                )
            else:
                self.result.elsewhere += 1
            return
        rest = folded[len(base) :]
        path, hash_, fragment_prefix = rest.partition("#")
        checked = f"only {prefix!r} before it is checked"
        if not hash_:
            # the page itself is templated: some page must start with the known part
            path_prefix = path.partition("?")[0]
            if not any(self._page_url(k).startswith(path_prefix) for k in self.targets.pages):
                self._at(
                    rule,
                    "alert_unknown_page",
                    f"runbook_url is a template ({template}) and no page of the handbook starts with "
                    f"{base + path_prefix!r}",
                )
                return
            self._at(rule, "alert_templated_url", f"runbook_url is a template ({template}); {checked}")
            return
        key, _ = split_rest(path)
        page = self.targets.pages.get(key)
        if page is None:
            self.check_link(rule, prefix, base, key, "")
            return
        if fragment_prefix and not any(i.startswith(fragment_prefix) for i in page.ids):
            step = split_step_anchor(fragment_prefix, self.targets.runbooks)
            if step is not None or self.targets.complete:
                self._at(
                    rule,
                    "alert_unknown_anchor",
                    f"runbook_url is a template ({template}) and no anchor of {prefix.partition('#')[0]} "
                    f"starts with #{fragment_prefix}",
                )
                return
        self._at(rule, "alert_templated_url", f"runbook_url is a template ({template}); {checked}")

    def _page_url(self, key: str) -> str:
        """The page's path as its runbooks' URLs write it (``support/incidents.html``)."""
        page = self.targets.pages[key]
        for rid in page.runbooks:
            anchor = self.targets.anchors.get(str(self.targets.runbooks[rid].get("anchor") or rid))
            if anchor is not None:
                rel = anchor.url
                if self.targets.base_url and rel.startswith(self.targets.base_url):
                    rel = rel[len(self.targets.base_url) :].lstrip("/")
                return rel.partition("#")[0]
        return key

    # -- coverage ----------------------------------------------------------------------
    def _cover(self, rule: AlertRule, anchor: Anchor) -> None:
        self.result.covered.setdefault(anchor.runbook, []).append(rule.name)

    def _cover_page(self, rule: AlertRule, runbooks: list[str]) -> None:
        for rid in runbooks:
            self.result.covered.setdefault(rid, []).append(rule.name)

    def coverage(self, steps: bool, root: str = "") -> None:
        """Report the runbooks no alert reaches and, with ``steps``, the top-level steps that no
        alert links to (directly or through one of their sub-steps) in runbooks where alerts
        link to steps: a runbook every alert links to as a whole has no step entry points."""
        linked_steps: set[tuple[str, str]] = set()
        for link in self.result.links:
            anchor = self.targets.anchors.get(link.fragment)
            if anchor is not None and anchor.step is not None and anchor.page == link.page:
                linked_steps.add((anchor.runbook, anchor.top or anchor.step))
        for rid, runbook in self.targets.runbooks.items():
            path = f"{root}{runbook.get('source') or ''}"
            if rid not in self.result.covered:
                maybe = ""
                reaching = self._templated_reaching(rid)
                if reaching:
                    maybe = f" (the templated runbook_url of alert {reaching} may)"
                self.report(
                    "alert_uncovered_runbook",
                    f'no alert links to runbook {rid!r} ("{runbook.get("title")}"){maybe}',
                    path,
                    runbook.get("line"),
                )
                continue
            if not steps or not any(r == rid for r, _ in linked_steps):
                continue
            for step in runbook.get("steps") or []:
                if (rid, str(step.get("id"))) in linked_steps:
                    continue
                number = f"step {step.get('number')} " if step.get("number") else "step "
                title = step.get("title") or step.get("text") or step.get("id")
                self.report(
                    "alert_uncovered_step",
                    f'no alert links to {number}"{title}" of runbook {rid!r}',
                    path,
                    step.get("line"),
                )

    def _templated_reaching(self, runbook_id: str) -> str | None:
        """The name of an alert whose templated runbook_url may expand to the URL of the runbook
        or of one of its steps."""
        urls = [
            self.url_for(base, anchor)
            for base in self.bases
            for anchor in self.targets.anchors.values()
            if anchor.runbook == runbook_id
        ]
        for rule, prefix in self.templated:
            if any(url.startswith(prefix) for url in urls):
                return rule.name
        return None


def check_alerts(
    rules: Iterable[AlertRule],
    targets: HandbookTargets,
    base_urls: Sequence[str],
    settings: Settings | None = None,
    *,
    coverage: str | None = None,
    source_root: str = "",
) -> Result:
    """Every finding about ``rules`` against the handbook's ``targets``.

    ``coverage`` is ``None``, ``"runbooks"`` or ``"steps"``; ``source_root``
    is put before the runbooks' source paths in coverage findings.
    """
    checker = Checker(targets, base_urls, settings or Settings())
    for rule in rules:
        checker.check(rule)
    if coverage:
        checker.coverage(coverage == "steps", source_root)
    return checker.result
