"""Model data kept packed while a build runs: pickled, then compressed.

The environment holds each document's runbooks and ``{role}`` references
for the whole build, and the review holds the resolved runbooks while pages
are written. Kept as model objects, they would be thousands of small objects
that Python's garbage collector walks again and again while Sphinx writes
pages (it keeps every doctree alive then), and several megabytes of a large
handbook's peak memory. Packed, one byte string per document, the collector
skips them and they take a fifth of the room; they are unpacked, one
document at a time, where a page, a check or the step list needs them.
"""

from __future__ import annotations

import pickle
import zlib
from typing import Any

#: fast compression: model data is repetitive, and the smallest size is not worth the time
_LEVEL = 1


def pack(items: list[Any]) -> bytes:
    return zlib.compress(pickle.dumps(items, pickle.HIGHEST_PROTOCOL), _LEVEL)


def unpack(blob: bytes | None) -> list[Any]:
    """What :func:`pack` packed; nothing for ``None``."""
    # only ever bytes that pack() made, in this build or in the environment Sphinx pickled
    return pickle.loads(zlib.decompress(blob)) if blob else []  # type: ignore[no-any-return]
