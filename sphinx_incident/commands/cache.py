"""The commands' cache folder: a folder of its own, and pages read again when their content changed.

``lint`` keeps the handbook as read (Sphinx's doctrees and environment) and
its link results in a cache folder, so the next run reads only what changed.

The folder is the cache's own: made by :func:`prepare_cache` with a
``CACHEDIR.TAG`` (the cache directory tag backup and archive tools skip) and
a ``.gitignore`` that keeps it out of version control. A folder that holds
anything else is never used, so ``--cache-dir .`` cannot hide the work tree
from git or mix the cache into a folder of the user's.

Sphinx decides what to read again by modification times, which ``cp -p``,
``tar``, ``rsync -t`` and ``touch -d`` set back: an edit with an older time
would be missed, and a cached lint stay green where a cold one fails.
:class:`SourceDigests` keeps a digest of each document's content (and of the
files it includes) beside the cache, and names every document whose digest
changed for Sphinx to read again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .files import MAX_DATA_BYTES, MAX_SOURCE_BYTES, ReadError, read_bytes, read_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: the cache directory tag (https://bford.info/cachedir/)
TAG_NAME = "CACHEDIR.TAG"
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by sphinx-incident lint.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
_IGNORE = "# made by sphinx-incident lint: nothing here belongs in version control\n*\n"
#: what a cache folder of an earlier version holds: its .gitignore said so
_OLD_MARK = "# made by sphinx-incident lint"
#: the digests of the documents as last read
DIGESTS = "sources.json"


def _ours(folder: Path) -> bool:
    """Whether ``folder`` is a cache folder this package made."""
    try:
        if read_text(folder / TAG_NAME, 4096).startswith(TAG.splitlines()[0]):
            return True
    except ReadError:
        pass
    try:
        return read_text(folder / ".gitignore", 4096).startswith(_OLD_MARK)
    except ReadError:
        return False


def prepare_cache(folder: Path) -> Path:
    """The cache folder, made when missing; a folder of the user's is refused (a
    :class:`UsageError`): one that holds files this package did not make."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"the cache folder {folder} is a file; pass another --cache-dir")
    try:
        if folder.is_dir() and any(folder.iterdir()) and not _ours(folder):
            raise UsageError(
                f"the cache folder {folder} holds files of its own; pass --cache-dir a new or "
                "empty folder, which the cache will have to itself"
            )
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in ((TAG_NAME, TAG), (".gitignore", _IGNORE)):
            if not (folder / name).exists():
                (folder / name).write_text(text, "utf-8")
    except OSError as exc:
        raise UsageError(f"cannot use the cache folder {folder}: {exc.strerror or exc}") from exc
    return folder


class SourceDigests:
    """The content digest of every document (with what it includes) as last read, kept in the
    cache folder; the documents whose content changed since, for Sphinx to read again."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / DIGESTS
        self.kept = self._load()
        self._files: dict[Path, str] = {}

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(read_text(self.path, MAX_DATA_BYTES))
        except (ReadError, ValueError, RecursionError):
            return {}  # none yet, or damaged: every document counts as changed once
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}

    def _file(self, path: Path) -> str:
        if path not in self._files:
            try:
                self._files[path] = hashlib.sha256(read_bytes(path, MAX_SOURCE_BYTES)).hexdigest()
            except ReadError as exc:
                self._files[path] = f"unread: {exc.message}"
        return self._files[path]

    def digest(self, env: BuildEnvironment, docname: str) -> str:
        """The digest of a document's file and of the files it depends on (includes)."""
        srcdir = Path(env.srcdir)
        paths = [Path(env.doc2path(docname))]
        paths += sorted(Path(dep) if Path(dep).is_absolute() else srcdir / dep
                        for dep in env.dependencies.get(docname, ()))  # fmt: skip
        combined = hashlib.sha256()
        for path in paths:
            combined.update(f"{path}\0{self._file(path)}\0".encode())
        return combined.hexdigest()

    def changed(self, app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                removed: set[str]) -> list[str]:  # fmt: skip
        """``env-get-outdated``: the documents Sphinx keeps whose content is not what was read."""
        return sorted(
            docname
            for docname in env.found_docs
            if docname not in added and docname not in changed and docname not in removed
            and self.kept.get(docname) != self.digest(env, docname)
        )  # fmt: skip

    def save(self, env: BuildEnvironment) -> None:
        """Keep the digests of the documents as this run read them. A file is digested once per
        run: one edited while the build read it is read again next time, never missed."""
        data: dict[str, Any] = {docname: self.digest(env, docname) for docname in sorted(env.found_docs)}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(data, indent=0, sort_keys=True), "utf-8")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)  # the next run reads more again, nothing worse
