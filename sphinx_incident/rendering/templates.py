"""The jinja2 templates: one environment, the project's ``templates_path`` searched first.

HTML templates (``*.html``) are autoescaped; the Markdown ones (``*.md.jinja``)
are not, because their output is Markdown source, escaped by the renderer.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape


@lru_cache(maxsize=8)
def _environment(search_path: tuple[str, ...]) -> Environment:
    loaders: list[BaseLoader] = [FileSystemLoader(list(search_path))] if search_path else []
    loaders.append(PackageLoader("sphinx_incident.rendering", "templates"))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html", "xml"), default_for_string=False),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def environment(templates_path: Sequence[str | Path] = (), confdir: str | Path | None = None) -> Environment:
    """The template environment of a project: its ``templates_path`` (relative to
    ``confdir``) before the templates shipped in the package."""
    return _project_environment(
        tuple(str(p) for p in templates_path), str(confdir) if confdir is not None else None
    )


@lru_cache(maxsize=8)
def _project_environment(templates_path: tuple[str, ...], confdir: str | None) -> Environment:
    # looked up once per project: pages render a few templates per step
    base = Path(confdir) if confdir is not None else Path.cwd()
    folders = tuple(str((base / p).resolve()) for p in templates_path)
    return _environment(tuple(f for f in folders if Path(f).is_dir()))


def render(
    name: str, templates_path: Sequence[str | Path] = (), confdir: str | Path | None = None, **context: object
) -> str:
    return environment(templates_path, confdir).get_template(name).render(**context)
