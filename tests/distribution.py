"""Build and install sphinx-incident as a user would, without reaching the network.

The packaging, pre-commit and GitHub Action tests share these helpers. Installs
resolve every dependency from a local folder of wheels (a *wheelhouse*) packed
from the distributions already installed in the test environment, with the
package index turned off: a real dependency resolution, nothing downloaded.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import PROJECT

#: what a copy of the checkout leaves out: environments, caches, build output
IGNORED = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "_build", "*.egg-info", "__pycache__", "*.py[cod]",
    ".*_cache", ".hypothesis", ".incident-cache", ".nox", ".tox",
)  # fmt: skip

#: files of an installed distribution's .dist-info that belong to the installation, not the wheel
INSTALL_RECORDS = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


def copy_checkout(dest: Path) -> Path:
    """The working tree as it is (committed or not), without build output or environments."""
    shutil.copytree(PROJECT, dest, ignore=IGNORED)
    return dest


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )


def offline_env(wheelhouse: Path, **extra: str) -> dict[str, str]:
    """The environment for pip (also run by pre-commit or a script) to install from ``wheelhouse`` only.

    ``PIP_CONFIG_FILE=os.devnull`` keeps the machine's pip configuration (other
    indexes, find-links, constraints) out of the resolution.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        # byte-compiling every installed module is most of an install's time, and only a cache
        PIP_NO_COMPILE="1",
        # virtualenv (used by pre-commit) would otherwise look for newer seed packages in the background
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
    )
    env.update(extra)
    return env


def requirement_closure(names: list[str]) -> list[metadata.Distribution]:
    """The installed distributions ``names`` need to run, themselves included."""
    found: dict[str, metadata.Distribution] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(canonicalize_name(name), frozenset[str]()) for name in names]
    while todo:
        key, extras = todo.pop()
        if (key, extras) in seen:
            continue
        seen.add((key, extras))
        dist = found.setdefault(key, metadata.distribution(key))
        for line in dist.requires or []:
            req = Requirement(line)
            environments = [{"extra": extra} for extra in ("", *extras)]
            if req.marker is None or any(req.marker.evaluate(e) for e in environments):
                todo.append((canonicalize_name(req.name), frozenset(req.extras)))
    return sorted(found.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def pack_installed(dist: metadata.Distribution, dest: Path) -> Path:
    """A wheel of an installed distribution, from the files its RECORD lists.

    Scripts (recorded outside site-packages) are left out: pip writes them
    again from ``entry_points.txt``.
    """
    files = [f for f in dist.files or [] if not str(f).startswith("..") and "__pycache__" not in f.parts]
    info_dir = next(f.parts[0] for f in files if f.parts[0].endswith(".dist-info"))
    name, version = info_dir.removesuffix(".dist-info").split("-", 1)
    wheel_info = Path(str(dist.locate_file(f"{info_dir}/WHEEL"))).read_text("utf-8")
    tag = re.search(r"^Tag: (\S+)$", wheel_info, re.MULTILINE)
    assert tag, f"{info_dir}/WHEEL names no tag"
    target = dest / f"{name}-{version}-{tag.group(1)}.whl"
    record = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as wheel:
        for file in files:
            arcname = file.as_posix()
            if file.parts[0] == info_dir and file.name in INSTALL_RECORDS:
                continue
            data = Path(str(dist.locate_file(file))).read_bytes()
            wheel.writestr(arcname, data)
            record.append(f"{arcname},{_record_hash(data)},{len(data)}")
        record.append(f"{info_dir}/RECORD,,")
        wheel.writestr(f"{info_dir}/RECORD", "\n".join(record) + "\n")
    return target


@functools.cache
def wheelhouse(base: Path) -> Path:
    """Wheels of sphinx-incident's dependencies and of its build backend, packed from this environment.

    Cached per test session (``base`` is the session's temporary folder), so the
    tests that install the package share one.
    """
    folder = base / "wheelhouse"
    folder.mkdir()
    for dist in requirement_closure(["sphinx-incident", "setuptools"]):
        if canonicalize_name(dist.metadata["Name"]) != "sphinx-incident":  # built from the checkout
            pack_installed(dist, folder)
    return folder


@functools.cache
def snapshot_repository(base: Path) -> tuple[Path, str]:
    """A git repository holding the working tree in one commit, and that commit's id.

    pre-commit installs a hook from a git repository at a revision; this one has
    the files as they are now, so uncommitted and new files are tested too.
    """
    repo = copy_checkout(base / "sphinx-incident-repository")
    git(repo, "init", "--quiet")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "snapshot")
    return repo, git(repo, "rev-parse", "HEAD").strip()


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Handbook Maintainer",
    "GIT_AUTHOR_EMAIL": "maintainer@handbook.example",
    "GIT_COMMITTER_NAME": "Handbook Maintainer",
    "GIT_COMMITTER_EMAIL": "maintainer@handbook.example",
}


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_IDENTITY, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    result = run(
        "git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args, cwd=repo, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def make_venv(path: Path) -> Path:
    """A new virtual environment with pip and nothing else; returns its ``bin`` folder."""
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / ("Scripts" if sys.platform == "win32" else "bin")
