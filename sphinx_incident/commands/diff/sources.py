"""The two sides of ``sphinx-incident diff``: step list files, built sites, source folders and
git revisions, each read as step list data.

A git revision is checked out with ``git worktree add --detach`` into a
temporary folder (hooks off), built there with the ``runbooks`` builder, and
the checkout removed again, so the user's working tree, index and branches
are never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...rendering.step_list import document
from ..handbook import HandbookError, note_skipped, read_handbook
from ..step_list_files import DEFAULT_NAME, StepListError, load_step_list, shaped_step_list
from .render import WORKING_TREE


class SideError(Exception):
    """A side that cannot be read: no such file, not a step list, a handbook that does not build,
    an unknown revision."""


@dataclass
class Side:
    """One side of the comparison: its step list data and how to name it."""

    data: dict[str, Any]
    label: str


def build(srcdir: Path) -> dict[str, Any]:
    """Step list data of the handbook in ``srcdir``, read in-process (no pages written)."""
    try:
        handbook = read_handbook(srcdir, freshenv=True)
    except HandbookError as exc:
        raise SideError(str(exc)) from None
    note_skipped("sphinx-incident diff", handbook)
    return document(handbook.runbooks, handbook.project, handbook.html_baseurl)


def load_path(path: Path) -> Side:
    """A ``runbooks.json``, a built site's folder holding one, or a source folder (built)."""
    if path.is_dir() and not (path / DEFAULT_NAME).is_file() and (path / "conf.py").is_file():
        return Side(build(path), str(path))
    try:
        # a file anyone may hand over: read for what it holds, in the schema's shape
        return Side(shaped_step_list(load_step_list(path)), str(path))
    except StepListError as exc:
        raise SideError(str(exc)) from None


def _git(*args: str, cwd: Path) -> str:
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError:
        raise SideError("git is not installed (needed for --git)") from None
    except OSError as exc:
        raise SideError(f"cannot run git: {exc}") from None
    if result.returncode != 0:
        message = next((line for line in result.stderr.splitlines() if line.strip()), "failed")
        raise SideError(f"git {args[0]}: {message.removeprefix('fatal: ')}")
    return result.stdout.strip()


@dataclass
class Repository:
    """The git repository holding a handbook's source folder."""

    top: Path
    #: the source folder, relative to the top of the repository
    srcdir: Path

    @classmethod
    def of(cls, srcdir: Path) -> Repository:
        if not srcdir.is_dir():
            raise SideError(f"{srcdir}: no such folder")
        try:
            top = Path(_git("rev-parse", "--show-toplevel", cwd=srcdir)).resolve()
        except SideError:
            raise SideError(f"{srcdir} is not inside a git repository") from None
        return cls(top, srcdir.resolve().relative_to(top))

    def commit(self, rev: str) -> str:
        """The full commit id ``rev`` names."""
        if not rev or rev.startswith("-"):
            raise SideError(f"{rev!r} is not a revision")
        try:
            return _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=self.top)
        except SideError:
            raise SideError(f"{rev!r} names no commit of {self.top}") from None

    def side(self, rev: str) -> Side:
        """The handbook as it was at ``rev``, built from a temporary checkout."""
        commit = self.commit(rev)
        short = _git("rev-parse", "--short", commit, cwd=self.top)
        label = rev if rev == short else f"{rev} ({short})"
        tmp = Path(tempfile.mkdtemp(prefix="sphinx-incident-diff-"))
        checkout = tmp / "checkout"
        try:
            # hooks off: a post-checkout hook of the repository must not run for a comparison
            _git("-c", "core.hooksPath=/dev/null", "worktree", "add", "--detach", "--quiet",
                 str(checkout), commit, cwd=self.top)  # fmt: skip
            srcdir = checkout / self.srcdir
            if not (srcdir / "conf.py").is_file():
                raise SideError(f"{label}: {self.srcdir.as_posix() or '.'} has no conf.py at that revision")
            try:
                data = build(srcdir)
            except SideError as exc:
                raise SideError(f"{label}: {exc}") from None
        finally:
            try:
                _git("worktree", "remove", "--force", str(checkout), cwd=self.top)
            except SideError:
                shutil.rmtree(tmp, ignore_errors=True)
                try:
                    _git("worktree", "prune", cwd=self.top)
                except SideError:
                    pass
            shutil.rmtree(tmp, ignore_errors=True)
        return Side(data, label)

    def working_tree(self) -> Side:
        return Side(build(self.top / self.srcdir), WORKING_TREE)
