"""The GitHub Action (``action.yml``): its inputs, and its shell steps run as a runner would run them.

The action itself runs on GitHub. Here its ``run`` steps are executed with
bash exactly as written, after the ``${{ ... }}`` expressions they use are
filled in, in a new virtual environment that stands for the Python
actions/setup-python provides; pip installs from a local wheelhouse.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from distribution import make_venv, offline_env, run, snapshot_repository, wheelhouse

from conftest import PROJECT

ACTION = yaml.safe_load((PROJECT / "action.yml").read_text("utf-8"))

CONF = 'extensions = ["myst_parser", "sphinx_design", "sphinx_incident"]\nincident_runbooks = ["outage"]\n'
RUNBOOK = """\
(outage)=
# Outage

1. **Acknowledge the page**. Say so in the on-call channel.

3 **Write the report**. Share it with the team.
"""

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(expression: str, inputs: dict[str, str], github: dict[str, str]) -> str:
    """The few expression forms the action uses; anything else fails the test, to be added here knowingly."""
    if match := re.fullmatch(r"inputs\.([\w-]+)", expression):
        return inputs[match.group(1)]
    if match := re.fullmatch(r"github\.(\w+)", expression):
        return github[match.group(1)]
    if match := re.fullmatch(r"inputs\.([\w-]+) != ''", expression):
        return "true" if inputs[match.group(1)] != "" else ""
    raise AssertionError(f"expression not understood by this test: {expression}")


def substitute(text: str, inputs: dict[str, str], github: dict[str, str]) -> str:
    return EXPRESSION.sub(lambda m: evaluate(m.group(1), inputs, github), text)


def resolve_inputs(given: dict[str, str]) -> dict[str, str]:
    unknown = set(given) - set(ACTION["inputs"])
    assert not unknown, f"not inputs of the action: {unknown}"
    return {name: given.get(name, spec.get("default", "")) for name, spec in ACTION["inputs"].items()}


class Runner:
    """Runs the composite action's ``run`` steps in a workspace, the way a GitHub runner does."""

    def __init__(self, workspace: Path, action_path: Path, python_bin: Path, env: dict[str, str]) -> None:
        self.workspace = workspace
        self.github = {"action_path": str(action_path), "workspace": str(workspace)}
        self.env = {
            **env,
            "PATH": f"{python_bin}:{env['PATH']}",
            "GITHUB_ACTION_PATH": str(action_path),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTIONS": "true",
        }

    def step(self, name: str, **given: str) -> tuple[int, str]:
        inputs = resolve_inputs(given)
        (step,) = [s for s in ACTION["runs"]["steps"] if s.get("name") == name]
        if "if" in step and not evaluate(step["if"], inputs, self.github):
            return 0, "(skipped)"
        assert step["shell"] == "bash"
        script = self.workspace.parent / "step.sh"
        script.write_text(substitute(step["run"], inputs, self.github), "utf-8")
        env = {
            **self.env,
            **{k: substitute(str(v), inputs, self.github) for k, v in step.get("env", {}).items()},
        }
        # GitHub's command line for `shell: bash`
        result = run("bash", "--noprofile", "--norc", "-eo", "pipefail", script, cwd=self.workspace, env=env)
        return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    base = tmp_path_factory.mktemp("action")
    workspace = base / "workspace"
    (workspace / "docs").mkdir(parents=True)
    (workspace / "docs" / "conf.py").write_text(CONF, "utf-8")
    (workspace / "docs" / "index.md").write_text(RUNBOOK, "utf-8")
    action_path, _ = snapshot_repository(tmp_path_factory.getbasetemp())
    python_bin = make_venv(base / "python")
    env = offline_env(wheelhouse(tmp_path_factory.getbasetemp()))
    runner = Runner(workspace, action_path, python_bin, env)
    status, output = runner.step("Install sphinx-incident")
    assert status == 0, output
    return runner


def test_action_is_a_composite_action_with_documented_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert {"source", "version", "fail-on", "args"} <= set(inputs)
    assert inputs["source"]["default"] == "docs"
    assert inputs["fail-on"]["default"] == "error"
    assert all(spec.get("description") for spec in inputs.values())
    setup, install, lint = ACTION["runs"]["steps"]
    assert setup["uses"].startswith("actions/setup-python@v")
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    assert '"${VERSION:-$GITHUB_ACTION_PATH}"' in install["run"]
    assert "sphinx-incident lint --format github" in lint["run"]


def test_inputs_reach_scripts_only_through_the_environment() -> None:
    """An input pasted into a script would run as shell code (`args: $(curl ...)`)."""
    for step in ACTION["runs"]["steps"]:
        assert not EXPRESSION.search(step.get("run", "")), step["name"]


@pytest.mark.integration
def test_installs_the_action_checkout_by_default(runner: Runner) -> None:
    status, output = runner.step("sphinx-incident lint")
    assert status == 1, output
    assert output.splitlines()[0] == (
        "::error file=docs/index.md,line=6,title=incident.stray_step::step 3 is not a list item, "
        "so it renders as a paragraph after the list; write it as a list item, `3. **Write the report**`"
    )
    where = run(
        "python",
        "-c",
        "import sphinx_incident; print(sphinx_incident.__file__)",
        cwd=runner.workspace,
        env=runner.env,
    )
    assert Path(where.stdout.strip()).is_relative_to(runner.workspace.parent / "python")


@pytest.mark.integration
def test_args_and_fail_on(runner: Runner) -> None:
    lowered = "-D incident_severity.stray_step=warning"
    status, output = runner.step("sphinx-incident lint", args=lowered)
    assert status == 0, output
    assert output.startswith("::warning file=docs/index.md,line=6,title=incident.stray_step::")
    assert output.endswith("0 errors, 1 warning in 1 runbook\n")

    status, output = runner.step("sphinx-incident lint", args=lowered, **{"fail-on": "warning"})
    assert status == 1, output


@pytest.mark.integration
def test_source_input_and_inert_args(runner: Runner) -> None:
    (runner.workspace / "handbook").mkdir(exist_ok=True)
    for name in ("conf.py", "index.md"):
        (runner.workspace / "handbook" / name).write_text((runner.workspace / "docs" / name).read_text())
    status, output = runner.step("sphinx-incident lint", source="handbook")
    assert status == 1
    assert output.startswith("::error file=handbook/index.md,line=6,")

    # shell syntax in an input is passed on as words, never run
    marker = runner.workspace / "ran"
    status, output = runner.step("sphinx-incident lint", args=f"$(touch {marker}) *")
    assert status == 2 and not marker.exists(), output
    # and `*` reaches the command as it is, not as the workspace's file names
    assert f"unrecognized arguments: {marker}) * -- docs" in output


@pytest.mark.integration
def test_requirements_input_installs_what_conf_py_loads(runner: Runner) -> None:
    """A handbook whose conf.py loads an extension of its own: lint needs it installed."""
    handbook = runner.workspace / "team-handbook"
    package = handbook / "_ext"
    (package / "team_glossary").mkdir(parents=True)
    (package / "pyproject.toml").write_text(TEAM_EXTENSION_PYPROJECT, "utf-8")
    (package / "team_glossary" / "__init__.py").write_text(TEAM_EXTENSION, "utf-8")
    (handbook / "conf.py").write_text(CONF + 'extensions.append("team_glossary")\n', "utf-8")
    (handbook / "index.md").write_text(RUNBOOK.replace("3 **Write", "2. **Write"), "utf-8")
    (handbook / "requirements.txt").write_text("./team-handbook/_ext\n", "utf-8")

    status, output = runner.step("sphinx-incident lint", source="team-handbook")
    assert status == 2 and "team_glossary" in output, output

    status, output = runner.step("Install sphinx-incident", requirements="team-handbook/requirements.txt")
    assert status == 0, output
    status, output = runner.step("sphinx-incident lint", source="team-handbook")
    assert (status, output) == (0, "0 errors, 0 warnings in 1 runbook\n")


TEAM_EXTENSION_PYPROJECT = """\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "team-glossary"
version = "1.0"
"""

TEAM_EXTENSION = """\
def setup(app):
    return {"parallel_read_safe": True}
"""
