"""The one seam between the archive and the engine that runs it (MkDocs 1.6 or its maintained fork
ProperDocs) and the theme (mkdocs-material).

Everything the plugins need to know about *which* engine runs them comes from here: its name,
version and logger names (ProperDocs logs under `properdocs.*`, MkDocs under `mkdocs.*`, and
`--strict` counts warnings on the engine's own logger). Everything that leans on an engine's or the
theme's internals (a private function, the order of its loops, what it logs) lives in
`internals.py` and `theme.py`, and is switched on only for the versions it was tested on; on any
other version it steps aside with one INFO line and the build is slower, never different. The
theme's templates are adapted, for tested versions too, in `header_search.py` (the header's search
box), `page_language.py` (a translation's language in `<html lang>`) and `valid_markup.py` (its
markup where the Nu HTML checker finds errors).
"""

from __future__ import annotations

import logging
from importlib import metadata

import mkdocs  # under `properdocs`, this module is ProperDocs itself (its mkdocs.* import alias)

NAME: str = mkdocs.__name__  # "mkdocs" or "properdocs"
VERSION: str = getattr(mkdocs, "__version__", "?")
LOGGER: str = NAME  # the logger tree `--strict` counts warnings on
BUILD_LOGGER: str = f"{NAME}.commands.build"
PAGES_LOGGER: str = f"{NAME}.structure.pages"  # its level decides whether a render notes links to anchors


def logger() -> logging.Logger:
    """The engine's own logger: a handler here sees every warning `--strict` counts."""
    return logging.getLogger(LOGGER)


def theme_version() -> str:
    try:
        return metadata.version("mkdocs-material")
    except metadata.PackageNotFoundError:
        return "?"


# mkdocs-material versions whose partials and templates the archive's adaptations were tested on.
TESTED_THEMES = ("9.8.1",)


def theme_tested() -> bool:
    return theme_version() in TESTED_THEMES
