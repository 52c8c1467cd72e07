"""The wheel and sdist build cleanly, hold every file, and work installed in a fresh environment."""

from __future__ import annotations

import email.parser
import json
import os
import re
import shutil
import sys
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
from distribution import copy_checkout, make_venv, offline_env, run, wheelhouse
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

import sphinx_incident

from conftest import EXAMPLE_DOCS, PROJECT, ROOTS

VERSION = sphinx_incident.__version__
PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))
OLDEST = PROJECT / ".ci" / "oldest-versions.txt"


@dataclass
class Dists:
    wheel: Path
    sdist: Path
    output: str


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    """``python -m build`` on a copy of the checkout, with the build backend of this environment."""
    base = tmp_path_factory.mktemp("build")
    source = copy_checkout(base / "sphinx-incident")
    # setuptools warns that it cannot byte-compile when this is set, as it is on some
    # CI machines; a maintainer building a release does not have it
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = run(
        sys.executable, "-m", "build", "--no-isolation", "--outdir", base / "dist", source, cwd=base, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return Dists(
        wheel=base / "dist" / f"sphinx_incident-{VERSION}-py3-none-any.whl",
        sdist=base / "dist" / f"sphinx_incident-{VERSION}.tar.gz",
        output=result.stdout + result.stderr,
    )


def tracked(folder: Path) -> set[str]:
    """The source files under ``folder``, relative to the checkout (no caches, no build output)."""
    return {
        path.relative_to(PROJECT).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and not {"__pycache__", "_build"} & set(path.parts) and path.suffix != ".pyc"
    }


@pytest.mark.integration
def test_build_prints_no_warning(dists: Dists) -> None:
    assert dists.wheel.is_file() and dists.sdist.is_file()
    warnings = [line for line in dists.output.splitlines() if re.search(r"(?i)\bwarn", line)]
    assert warnings == []


@pytest.mark.integration
def test_wheel_holds_the_package_with_its_data_files(dists: Dists) -> None:
    with zipfile.ZipFile(dists.wheel) as wheel:
        names = set(wheel.namelist())
        meta = email.parser.Parser().parsestr(
            wheel.read(f"sphinx_incident-{VERSION}.dist-info/METADATA").decode()
        )
        entry_points = wheel.read(f"sphinx_incident-{VERSION}.dist-info/entry_points.txt").decode()
    # every file of the package folder, templates, JavaScript, CSS and the schema included
    assert {n for n in names if n.startswith("sphinx_incident/")} == tracked(PROJECT / "sphinx_incident")
    assert {"sphinx_incident/py.typed", "sphinx_incident/rendering/schema/runbooks.schema.json"} <= names
    assert f"sphinx_incident-{VERSION}.dist-info/licenses/LICENSE" in names
    assert meta["Version"] == VERSION
    assert meta["License-Expression"] == "MIT"
    assert meta["Requires-Python"] == PYPROJECT["project"]["requires-python"]
    required = sorted(str(Requirement(r)) for r in meta.get_all("Requires-Dist") if "extra ==" not in r)
    assert required == sorted(str(Requirement(r)) for r in PYPROJECT["project"]["dependencies"])
    assert "sphinx-incident = sphinx_incident.commands.cli:main" in entry_points
    assert not [n for n in names if n.startswith(("tests/", "example_docs/", "benchmarks/"))]


@pytest.mark.integration
def test_sdist_holds_what_the_tests_need(dists: Dists) -> None:
    with tarfile.open(dists.sdist) as sdist:
        prefix = f"sphinx_incident-{VERSION}/"
        names = {m.name.removeprefix(prefix) for m in sdist.getmembers() if m.isfile()}
    wanted = {
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "pyproject.toml",
        ".pre-commit-hooks.yaml",
        "action.yml",
        ".ci/oldest-versions.txt",
    }
    wanted |= tracked(PROJECT / "sphinx_incident") | tracked(ROOTS) | tracked(EXAMPLE_DOCS)
    wanted |= {p.relative_to(PROJECT).as_posix() for p in (PROJECT / "tests").glob("*.py")}
    wanted |= tracked(PROJECT / "tests" / "golden")
    wanted |= tracked(PROJECT / "tests" / "js")  # the JavaScript unit tests
    wanted |= tracked(PROJECT / "docs")  # tests/test_docs.py builds the documentation site
    assert wanted - names == set()
    assert not [n for n in names if "__pycache__" in n or "/_build/" in n or n.endswith(".pyc")]


@pytest.mark.integration
def test_twine_check_passes(dists: Dists) -> None:
    result = run(
        sys.executable, "-m", "twine", "check", "--strict", dists.wheel, dists.sdist, cwd=dists.wheel.parent
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


@pytest.mark.integration
def test_installed_wheel_builds_lints_and_exports(
    dists: Dists, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A user's install: the wheel and its dependencies in a new environment, nothing from the checkout."""
    bin_dir = make_venv(tmp_path / "venv")
    env = offline_env(wheelhouse(tmp_path_factory.getbasetemp()))
    install = run(bin_dir / "python", "-m", "pip", "install", dists.wheel, cwd=tmp_path, env=env)
    assert install.returncode == 0, install.stdout + install.stderr

    where = run(
        bin_dir / "python",
        "-c",
        "import sphinx_incident; print(sphinx_incident.__file__)",
        cwd=tmp_path,
        env=env,
    )
    assert Path(where.stdout.strip()).is_relative_to(tmp_path / "venv"), where.stdout + where.stderr
    version = run(bin_dir / "sphinx-incident", "--version", cwd=tmp_path, env=env)
    assert version.stdout.strip() == f"sphinx-incident {VERSION}"

    handbook = shutil.copytree(EXAMPLE_DOCS, tmp_path / "handbook", ignore=shutil.ignore_patterns("_build"))
    html = tmp_path / "html"
    build = run(bin_dir / "sphinx-build", "-W", "-q", "-b", "html", handbook, html, cwd=tmp_path, env=env)
    assert build.returncode == 0, build.stdout + build.stderr
    # the data files the wheel must carry: static assets, templates (the panel) and the schema
    assert (html / "_static" / "sphinx-incident.js").is_file()
    assert (html / "_static" / "sphinx-incident.css").is_file()
    assert 'class="incident-panel' in (html / "support" / "incidents.html").read_text("utf-8")
    schema = json.loads(
        (PROJECT / "sphinx_incident" / "rendering" / "schema" / "runbooks.schema.json").read_text("utf-8")
    )
    data = json.loads((html / "runbooks.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    assert len(data["runbooks"]) == 4

    lint = run(bin_dir / "sphinx-incident", "lint", "handbook", "--fail-on", "warning", cwd=tmp_path, env=env)
    assert (lint.returncode, lint.stdout) == (0, "0 errors, 0 warnings in 4 runbooks\n"), lint.stderr
    broken = handbook / "support" / "incidents.md"
    broken.write_text(broken.read_text("utf-8").replace("7. **Communicate", "7 **Communicate"), "utf-8")
    lint = run(bin_dir / "sphinx-incident", "lint", "handbook", cwd=tmp_path, env=env)
    assert lint.returncode == 1
    assert "handbook/support/incidents.md:" in lint.stdout and "[stray_step] step 7" in lint.stdout

    export = run(
        bin_dir / "sphinx-incident", "export", "handbook", "--runbook", "certificate-expiry",
        "--format", "markdown", "--base-url", "https://handbook.example.org/", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert export.returncode == 0, export.stderr
    assert export.stdout.startswith("## Renewing an expiring certificate\n")
    assert (
        "- [ ] **1. " in export.stdout
        and "https://handbook.example.org/runbooks/certificate-expiry.html#" in export.stdout
    )


def test_version_lives_in_one_place() -> None:
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "sphinx_incident.version.__version__"
    }


def test_changelog_has_unreleased_and_current_version() -> None:
    text = (PROJECT / "CHANGELOG.md").read_text("utf-8")
    headings = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.MULTILINE)
    assert headings[0] == ("Unreleased", "")
    # the version the package carries has its dated section, below Unreleased
    assert headings[1][0] == VERSION and headings[1][1]
    assert [Version(v) for v, _ in headings[1:]] == sorted(
        (Version(v) for v, _ in headings[1:]), reverse=True
    )


def test_oldest_versions_are_the_floors_of_pyproject() -> None:
    """``make test-oldest`` pins each dependency at the lowest version pyproject.toml allows."""
    pins = {}
    for line in OLDEST.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", line
            pins[canonicalize_name(req.name)] = Version(spec.version)
    floors = {}
    for line in PYPROJECT["project"]["dependencies"]:
        req = Requirement(line)
        (low,) = [s for s in req.specifier if s.operator == ">="]
        floors[canonicalize_name(req.name)] = Version(low.version)
    assert pins == floors


def test_ci_runs_the_suite_with_the_oldest_versions_too() -> None:
    script = (PROJECT / ".ci" / "run").read_text("utf-8")
    assert re.search(r"^make test$", script, re.MULTILINE)
    assert re.search(r"^make test-integration$", script, re.MULTILINE)
    assert re.search(r"^make test-oldest$", script, re.MULTILINE)
    makefile = (PROJECT / "Makefile").read_text("utf-8")
    assert f"OLDEST_PINS := {OLDEST.relative_to(PROJECT)}\n" in makefile
    assert "pip install --quiet -c $(OLDEST_PINS) -e" in makefile
