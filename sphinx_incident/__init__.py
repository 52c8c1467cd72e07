"""sphinx-incident: incident-response runbooks as validated, linked checklists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__all__ = ["__version__", "setup"]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Sphinx entry point; the registrations are in :mod:`sphinx_incident.extension`."""
    from .extension import setup as setup_extension

    return setup_extension(app)
