"""The pre-commit hook, run by the real pre-commit on a handbook in a git repository.

pre-commit installs the hook as it does for any team: it clones this
repository at a revision and pip-installs it into a virtual environment of its
own. Here pip resolves everything from a local wheelhouse with the index
turned off, so the run reaches no network.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from distribution import git, offline_env, run, snapshot_repository, wheelhouse

from conftest import PROJECT

HOOK_ID = "sphinx-incident-lint"

CONF = """\
extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]
incident_runbooks = ["outage"]
"""

BROKEN = """\
# Handbook

(outage)=
## Outage

1. **Acknowledge the page**. Say so in the on-call channel.
2. **Find the cause**. Read the dashboards.

3 **Write the report**. Share it with the team.
"""

FIXED = BROKEN.replace("3 **Write", "3. **Write")


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return snapshot_repository(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    store = tmp_path_factory.mktemp("pre-commit-home")
    return offline_env(wheelhouse(tmp_path_factory.getbasetemp()), PRE_COMMIT_HOME=str(store), NO_COLOR="1")


def handbook_repository(path: Path, folder: str) -> Path:
    """A team's repository: a handbook in ``folder`` with a broken runbook, committed."""
    (path / folder).mkdir(parents=True)
    (path / folder / "conf.py").write_text(CONF, "utf-8")
    (path / folder / "index.md").write_text(BROKEN, "utf-8")
    git(path, "init", "--quiet")
    git(path, "add", "--all")
    git(path, "commit", "--quiet", "-m", "Handbook with an outage runbook")
    return path


def fix_runbook(repo: Path, folder: str) -> None:
    (repo / folder / "index.md").write_text(FIXED, "utf-8")
    git(repo, "commit", "--quiet", "--all", "-m", "Make step 3 a list item")


def pre_commit(*args: str | Path, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    result = run(sys.executable, "-m", "pre_commit", *args, "--color", "never", cwd=cwd, env=env)
    return result.returncode, result.stdout + result.stderr


def hook_line(output: str) -> str:
    (line,) = [line for line in output.splitlines() if line.startswith("sphinx-incident lint.")]
    return line


@pytest.mark.integration
def test_try_repo_fails_on_a_broken_runbook(
    hook_repository: tuple[Path, str], env: dict[str, str], tmp_path: Path
) -> None:
    # try-repo takes no hook arguments: the hook's default `args: [docs]` applies
    repo, rev = hook_repository
    handbook = handbook_repository(tmp_path / "team", "docs")
    status, output = pre_commit("try-repo", repo, HOOK_ID, "--ref", rev, "--all-files", cwd=handbook, env=env)
    assert status == 1, output
    assert hook_line(output).endswith("Failed")
    assert "docs/index.md:9: error: [stray_step] step 3 is not a list item" in output
    assert "1 error, 0 warnings in 1 runbook" in output


@pytest.mark.integration
def test_config_file_fails_then_passes_once_the_runbook_is_fixed(
    hook_repository: tuple[Path, str], env: dict[str, str], tmp_path: Path
) -> None:
    """The way a team uses it: the hook in .pre-commit-config.yaml, `args` naming the handbook folder."""
    repo, rev = hook_repository
    handbook = handbook_repository(tmp_path / "team", "handbook")
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [{"id": HOOK_ID, "args": ["handbook"]}]}]}
    (handbook / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), "utf-8")
    git(handbook, "add", ".pre-commit-config.yaml")
    git(handbook, "commit", "--quiet", "-m", "Lint the runbooks before each commit")

    status, output = pre_commit("run", "--all-files", cwd=handbook, env=env)
    assert status == 1, output
    assert hook_line(output).endswith("Failed")
    assert "handbook/index.md:9: error: [stray_step] step 3 is not a list item" in output

    fix_runbook(handbook, "handbook")
    status, output = pre_commit("run", "--all-files", cwd=handbook, env=env)
    assert status == 0, output
    assert hook_line(output).endswith("Passed")
    # a commit that touches no handbook file does not run the hook at all
    (handbook / "notes.txt").write_text("on-call rota\n", "utf-8")
    git(handbook, "add", "notes.txt")
    status, output = pre_commit("run", cwd=handbook, env=env)
    assert status == 0, output
    assert re.search(r"^sphinx-incident lint\.+\(no files to check\)Skipped$", output, re.MULTILINE), output


def test_hook_definition_and_documented_snippet() -> None:
    (hook,) = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == HOOK_ID
    assert hook["entry"] == "sphinx-incident lint"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["args"] == ["docs"]
    for name in ("docs/index.md", "docs/runbooks/db.rst", "docs/conf.py"):
        assert re.search(hook["files"], name), name
    assert not re.search(hook["files"], "docs/_static/logo.png")

    page = (PROJECT / "docs" / "howto" / "pre-commit.md").read_text("utf-8")
    snippet = re.search(r"```yaml\n(.*?)```", page, re.DOTALL)
    assert snippet, "the pre-commit how-to shows a .pre-commit-config.yaml entry"
    entry = yaml.safe_load(snippet.group(1))
    assert [h["id"] for h in entry["hooks"]] == [HOOK_ID]
    assert re.fullmatch(r"v\d+\.\d+\.\d+", entry["rev"]), "a release tag"
    assert "<" not in snippet.group(1), "no placeholder left to fill in"
