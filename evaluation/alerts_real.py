"""`sphinx-incident alerts` on a real rule repository and its published runbooks, against a truth
computed without the tool.

Usage::

    python evaluation/alerts_real.py --runbooks RUNBOOKS_CHECKOUT --site-url URL \\
        --rules RULES_CHECKOUT [RULES_CHECKOUT ...] [--runbook-glob GLOB] [--preset github]

``RUNBOOKS_CHECKOUT`` is a work tree of the repository whose Markdown files
the forge (or site) publishes under ``URL``; ``RULES_CHECKOUT`` are work trees
of the repositories whose rule files link there, given whole, as they are.

The harness:

1. makes a Sphinx source folder of the runbooks' Markdown files, with the
   ``conf.py`` that describes the published site (the one
   ``docs/howto/alerts.md`` shows), and runs ``sphinx-incident alerts`` on
   the whole rule checkouts with ``--format json``, timing it;
2. computes the truth on its own: every ``runbook_url`` line of every
   ``.yml``/``.yaml`` file (found with a regular expression, not by reading
   rules), and for each literal URL under ``URL`` (``/blob/`` or ``/tree/``)
   whether the file exists in the checkout (exactly, case included) and,
   for an anchor, whether one of the file's headings has it: headings are
   read with markdown-it-py and made anchors with mdit-py-plugins' GitHub
   slug function, repeated ones numbered ``-1``, ``-2`` as GitHub does, and
   compared whatever their case, as GitHub's page script does;
3. prints the confusion matrix of the tool's link findings against it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors.index import slugify

#: the rules that say a link leads nowhere useful
BROKEN_RULES = {"alert_unknown_page", "alert_unknown_anchor", "alert_unknown_step", "alert_not_runbook"}
_URL_LINE = re.compile(r"""^\s*["']?runbook_url["']?\s*:\s*(.*?)\s*$""")


def conf_py(site_url: str, preset: str, runbook_glob: str, root_doc: str) -> str:
    """The configuration that describes the published runbooks (shown in docs/howto/alerts.md)."""
    return (
        f'project = "Runbooks"\n'
        f'extensions = ["myst_parser"]\n'
        f"root_doc = {root_doc!r}\n"
        f"html_baseurl = {site_url!r}\n"
        f"incident_runbooks = [{runbook_glob!r}]\n"
        f'incident_alert_site = {{"preset": {preset!r}}}\n'
    )


def handbook_from(runbooks: Path, target: Path, conf: str) -> None:
    """The Markdown files of ``runbooks``, at their paths, and ``conf.py``."""
    for folder, dirnames, filenames in os.walk(runbooks):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.endswith(".md"):
                source = Path(folder) / name
                copy = target / source.relative_to(runbooks)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, copy)
    (target / "conf.py").write_text(conf, "utf-8")


# -- the truth, without the tool -------------------------------------------------------------


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file, lower-cased."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    seen: Counter[str] = Counter()
    found = set()
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        text = "".join(
            child.content for child in inline.children or [] if child.type in ("text", "code_inline")
        )
        slug = slugify(text.strip())
        anchor = slug if not seen[slug] else f"{slug}-{seen[slug]}"
        seen[slug] += 1
        found.add(anchor.lower())
    return found


def _under_annotations(lines: list[str], index: int) -> bool:
    """Whether line ``index`` is a key of an ``annotations:`` mapping (not, say, of the
    ``exp_annotations`` of a promtool test)."""
    indent = len(lines[index]) - len(lines[index].lstrip())
    for line in reversed(lines[:index]):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(line) - len(line.lstrip()) < indent:
            return re.match(r"""^-?\s*["']?annotations["']?\s*:\s*$""", stripped) is not None
    return False


def runbook_url_lines(rules: list[Path]) -> list[tuple[str, int, str]]:
    """(file, line, URL) of every ``runbook_url`` annotation written on one line of a YAML file."""
    found = []
    for root in rules:
        for folder, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.endswith((".yml", ".yaml")):
                    continue
                path = Path(folder) / name
                if not path.is_file():
                    continue
                try:
                    text = path.read_text("utf-8")
                except (UnicodeDecodeError, OSError):
                    continue
                lines = text.splitlines()
                for number, line in enumerate(lines, 1):
                    match = _URL_LINE.match(line)
                    if match and match.group(1) and _under_annotations(lines, number - 1):
                        found.append((str(path), number, match.group(1).strip("\"'")))
    return found


def truth(url: str, site_url: str, files: set[str], runbooks: Path) -> bool | None:
    """Whether ``url`` leads to a file (and heading) of the runbooks; ``None`` when it is not a
    literal link under the site."""
    if "{{" in url:
        return None
    prefixes = {site_url, site_url.replace("/blob/", "/tree/", 1)}
    prefix = next((p for p in prefixes if url.startswith(p)), None)
    if prefix is None:
        return None
    path, _, fragment = url[len(prefix) :].partition("#")
    path = unquote(path.partition("?")[0])
    if path not in files:
        return False
    if not fragment:
        return True
    return unquote(fragment).lower() in heading_anchors((runbooks / path).read_text("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runbooks", type=Path, required=True)
    parser.add_argument("--site-url", required=True, help="where the runbooks are published, ending in /")
    parser.add_argument("--rules", type=Path, nargs="+", required=True)
    parser.add_argument("--runbook-glob", default="*", help="incident_runbooks entry (default: every page)")
    parser.add_argument("--root-doc", default="README")
    parser.add_argument("--preset", default="github")
    args = parser.parse_args(argv)

    files = set()
    for folder, dirnames, filenames in os.walk(args.runbooks):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        files.update((Path(folder) / name).relative_to(args.runbooks).as_posix() for name in filenames)
    cwd = Path(os.path.commonpath([p.resolve() for p in args.rules]))
    cwd = cwd if cwd.is_dir() and len(args.rules) > 1 else cwd.parent
    with tempfile.TemporaryDirectory(prefix="alerts-real-") as tmp:
        source = Path(tmp) / "handbook"
        handbook_from(
            args.runbooks, source, conf_py(args.site_url, args.preset, args.runbook_glob, args.root_doc)
        )
        command = [
            str(Path(sys.executable).parent / "sphinx-incident"), "alerts",
            *[str(p.resolve().relative_to(cwd)) for p in args.rules],
            "--handbook", str(source), "--format", "json",
        ]  # fmt: skip
        start = time.perf_counter()
        run = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
    if run.returncode not in (0, 1):
        print(run.stderr, file=sys.stderr)
        return 2
    report = json.loads(run.stdout)
    flagged = {(p["path"], p["line"]): p["rule"] for p in report["problems"] if p["rule"] in BROKEN_RULES}

    matrix: Counter[str] = Counter()
    wrong = []
    for path, line, url in runbook_url_lines(args.rules):
        actual = truth(url, args.site_url, files, args.runbooks)
        if actual is None:
            continue
        shown = os.path.relpath(path, cwd)
        said_broken = (shown, line) in flagged
        cell = ("fine" if actual else "broken") + "/" + ("reported" if said_broken else "passed")
        matrix[cell] += 1
        if actual == said_broken:
            wrong.append(f"  {shown}:{line} {url} truth={'fine' if actual else 'broken'}")

    print(f"exit status {run.returncode} in {elapsed:.1f} s; {report['alerts']} alerts in "
          f"{report['rule_files']} rule files, {len(report['skipped'])} files skipped, "
          f"{report['linked']} links into the site")  # fmt: skip
    print("                 reported broken   passed")
    print(f"truly broken     {matrix['broken/reported']:>15}   {matrix['broken/passed']:>6}")
    print(f"truly fine       {matrix['fine/reported']:>15}   {matrix['fine/passed']:>6}")
    print("findings:", dict(sorted(Counter(p["rule"] for p in report["problems"]).items())))
    if wrong:
        print("disagreements:", *wrong, sep="\n")
    return 0 if not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
