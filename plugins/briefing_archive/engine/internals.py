"""What the page and body workers need of the engine that no public API gives, for the versions
it was tested on. On any other engine version `SUPPORTED` is False, the plugin does not start
workers (one INFO line says so), and MkDocs builds every page itself: slower, never different.

- `populate_page` / `build_page`: the engine's own reading-and-rendering and page-building
  steps (`_populate_page`, `_build_page`), so a page a worker builds is the page the engine
  builds, byte for byte, with every plugin's events.
- `EmptyPageNotice`: the engine logs one INFO line for a page whose template rendered nothing,
  right after that page's `on_post_page` event; a page given away to a worker renders nothing
  here, and that line is dropped. Told by when it comes, not by its text.
- `DirtyBuildNotice`: the engine warns at the start of every `--dirty` build that its pages may
  be inaccurate, right after the plugins' `on_pre_build`; with the archive's fingerprints they
  are not, and under `serve` the warning is dropped, again told by when it comes.
"""

from __future__ import annotations

import logging

from . import BUILD_LOGGER, NAME, TESTED_THEMES, VERSION, theme_tested, theme_version

# Engine versions whose private page-building steps these functions were tested against.
TESTED_ENGINES = {"mkdocs": ("1.6.1",), "properdocs": ("1.6.7",)}
SUPPORTED: bool = VERSION in TESTED_ENGINES.get(NAME, ()) and theme_tested()
UNSUPPORTED_NOTE = (f"page workers off: {NAME} {VERSION} with mkdocs-material {theme_version()} is not a version "
                    f"they were tested on ({', '.join(f'{n} {v[0]}' for n, v in TESTED_ENGINES.items())}, "
                    f"mkdocs-material {TESTED_THEMES[0]}); building every page in this process")

if SUPPORTED:
    from mkdocs.commands.build import _build_page, _populate_page


def populate_page(page, config, files) -> None:
    """Reads and renders one page as the engine does before it builds any: every plugin event
    from on_pre_page to on_page_content, with the engine's note of the page being read
    (`config._current_page`, which its `!relative` YAML tag and some extensions read)."""
    _populate_page(page, config, files, False)


def build_page(page, config, doc_files, nav, env) -> None:
    """Builds and writes one page as the engine's own build loop does (not `--dirty`)."""
    _build_page(page, config, doc_files, nav, env, False, excluded=page.file.inclusion.is_excluded())


class _NextRecord(logging.Filter):
    """Drops the next record of one level on the engine's build logger once told to expect it."""

    LEVEL = logging.INFO

    def __init__(self) -> None:
        super().__init__()
        self.expected = False

    def expect(self) -> None:
        self.expected = True

    def filter(self, record: logging.LogRecord) -> bool:
        drop = self.expected and record.levelno == self.LEVEL
        self.expected = False
        return not drop

    def install(self) -> None:
        logging.getLogger(BUILD_LOGGER).addFilter(self)

    def remove(self) -> None:
        logging.getLogger(BUILD_LOGGER).removeFilter(self)


class EmptyPageNotice(_NextRecord):
    """The INFO line after a page that rendered nothing (`expect` from the last `on_post_page`)."""


class DirtyBuildNotice(_NextRecord):
    """The WARNING at the start of a `--dirty` build (`expect` from the last `on_pre_build`)."""

    LEVEL = logging.WARNING

    def expect(self) -> None:
        self.expected = SUPPORTED  # elsewhere the warning may come at another moment: let it show
