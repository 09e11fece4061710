"""mkdocs-material's markup made valid HTML where the Nu HTML checker finds errors in it on our pages.

- `base.html` gives its drawer and search toggles, two checkboxes, `autocomplete="off"`, which HTML
  allows on text-like inputs only (material means browsers not to restore a checked drawer on
  going back; assets/briefing-archive.js unchecks them on `pageshow` instead). `ToggleLoader`
  hands Jinja the theme's base.html without those two attributes: only where each toggle is
  there once, as tested; otherwise the template is left as it is and one INFO line says so.
- `partials/toc.html` labels the table of contents' title `for="__toc"`, the checkbox that
  `partials/nav-item.html` renders beside the page's own entry in the navigation: on a page
  outside the navigation (every brief, every listing) the label named no control. Our
  `partials/toc.html` renders that checkbox first on such a page, then the theme's partial,
  reached under a prefix (as page_language.py does for partials/language.html).

Both lean on material's templates, so they are on only for the versions tested
(`TESTED_THEMES`), and never touch a `custom_dir`'s own template.
"""

from __future__ import annotations

import re
from typing import Callable

from jinja2 import BaseLoader, ChoiceLoader, DictLoader, Environment, PrefixLoader
from mkdocs.plugins import get_plugin_logger
from mkdocs.theme import Theme

from . import TESTED_THEMES, theme_tested, theme_version
from .theme import _is_materials_own

log = get_plugin_logger(__name__)

BASE = "base.html"
TOC = "partials/toc.html"
PREFIX = "briefing-archive-theme-toc"  # `PREFIX/partials/toc.html`: the theme's own
TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)"[^>]*?) autocomplete="off"')
TOGGLES = 2
SUPPORTED = theme_tested()
# The checkbox as partials/nav-item.html renders it, for a page it does not render it for.
TOC_SOURCE = (
    "{#- The table of contents' checkbox for a page outside the navigation "
    "(briefing_archive/engine/valid_markup.py) -#}\n"
    "{%- if page and page.toc and page not in nav.pages -%}\n"
    '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">\n'
    "{%- endif -%}\n"
    '{% include "' + PREFIX + "/" + TOC + '" %}'
)


def without_toggle_autocomplete(source: str) -> str | None:
    """material's base.html without `autocomplete="off"` on its two toggles; None unless each
    is there once."""
    adapted, count = TOGGLE_AUTOCOMPLETE.subn(r"\1", source)
    return adapted if count == TOGGLES else None


class ToggleLoader(BaseLoader):
    """`loader`, with material's own base.html given `without_toggle_autocomplete`."""

    def __init__(self, loader: BaseLoader, theme: Theme) -> None:
        self.loader = loader
        self.theme = theme
        self.told = False

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        if template != BASE or not _is_materials_own(self.theme, BASE):
            return source, filename, uptodate
        adapted = without_toggle_autocomplete(source)
        if adapted is None:
            if not self.told:
                self.told = True
                log.info(f"the theme's {BASE} toggles are not as tested: left as they are")
            return source, filename, uptodate
        return adapted, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


def install(env: Environment, theme: Theme) -> bool:
    """Both adaptations; False, and the environment as it was, on a theme they were not tested on."""
    if theme.name != "material":
        return False
    if not SUPPORTED:
        log.info(f"mkdocs-material {theme_version()} is not a version the markup fixes were tested on "
                 f"({', '.join(TESTED_THEMES)}): its templates are left as they are")
        return False
    loader = env.loader
    assert loader is not None
    if _is_materials_own(theme, TOC):
        loader = ChoiceLoader([DictLoader({TOC: TOC_SOURCE}), PrefixLoader({PREFIX: loader}), loader])
    env.loader = ToggleLoader(loader, theme)
    return True
