"""One more partial at the end of mkdocs-material's header bar, put there in the theme's template.

Material shows a search box in its header only with its own `search` plugin, which
`briefing-search` replaces. Its `partials/header.html` draws the bar as one
`<nav class="md-header__inner md-grid">`, whose last item is the repository link;
`HeaderLoader` wraps the Jinja environment's loader and, when Jinja loads material's own
`partials/header.html`, hands it that source with `{% include "<partial>" %}` just before the
bar's `</nav>`. Pages are rendered by the theme as always, with the partial in their header.

This leans on the markup of material's template, tested on the versions in `TESTED_THEMES`. On
any version the change is made only where it is unambiguous (one `<nav class="md-header__inner`,
one `</nav>`); where it is not, the template is left as the theme has it, one WARNING says so,
and pages are built without the partial: never a broken page. A `custom_dir` that has its own
`partials/header.html` is never changed (it may include the partial itself), and one INFO line
says so.
"""

from __future__ import annotations

import os
from typing import Callable

from jinja2 import BaseLoader, Environment
from mkdocs.plugins import get_plugin_logger
from mkdocs.utils import get_theme_dir

from . import TESTED_THEMES, theme_version

log = get_plugin_logger(__name__)

HEADER = "partials/header.html"
BAR = '<nav class="md-header__inner'
BAR_END = "</nav>"


def add_include(source: str, partial: str) -> str | None:
    """`source` (material's partials/header.html) with `{% include partial %}` just before its
    header bar's `</nav>`; None if the bar is not there once and only once."""
    if source.count("<nav") != 1 or source.count(BAR) != 1 or source.count(BAR_END) != 1:
        return None
    end = source.find(BAR_END)
    if end < source.find(BAR):
        return None
    return source[:end] + "{% include " + repr(partial) + " %}" + source[end:]


def _is_materials_own(filename: str | None) -> bool:
    if not filename:
        return False
    try:
        return os.path.samefile(filename, os.path.join(get_theme_dir("material"), HEADER))
    except (OSError, KeyError):
        return False


class HeaderLoader(BaseLoader):
    """`loader`, with material's own partials/header.html adapted to include `partial`."""

    def __init__(self, loader: BaseLoader, partial: str) -> None:
        self.loader = loader
        self.partial = partial
        self.told = False  # one line a build, however often the header is loaded

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        if template != HEADER:
            return source, filename, uptodate
        if not _is_materials_own(filename):
            self._tell_once(log.info, f"{HEADER} is the site's own ({filename}): left as it is, so it has no "
                                      f"search box unless it includes \"{self.partial}\"")
            return source, filename, uptodate
        adapted = add_include(source, self.partial)
        if adapted is None:
            tested = "" if theme_version() in TESTED_THEMES else f", tested on {', '.join(TESTED_THEMES)}"
            self._tell_once(log.warning, f"could not adapt the theme's {HEADER} (mkdocs-material {theme_version()}"
                                         f"{tested}): its header bar is not where it was; pages are built without "
                                         f"the header search box")
            return source, filename, uptodate
        if theme_version() not in TESTED_THEMES:
            log.debug(f"adapted {HEADER} of mkdocs-material {theme_version()} (tested on {', '.join(TESTED_THEMES)})")
        return adapted, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()

    def _tell_once(self, say: Callable[[str], None], message: str) -> None:
        if not self.told:
            self.told = True
            say(message)


def install(env: Environment, partial: str) -> HeaderLoader:
    """Has pages that render material's header include `partial` at the end of its bar."""
    if isinstance(env.loader, HeaderLoader) and env.loader.partial == partial:
        return env.loader
    assert env.loader is not None
    env.loader = HeaderLoader(env.loader, partial)
    return env.loader
