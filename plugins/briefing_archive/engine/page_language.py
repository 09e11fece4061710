"""A page's own language in `<html lang>`: a brief's page in another language than the site's.

mkdocs-material writes `<html lang="{{ lang.t('language') }}">` in its base.html, `lang` being
`partials/language.html` imported with the page's context, whose macro `t(key)` looks the key up
in the table of the site's language (`theme.language`). Readers' screen readers, fonts and line
breaking, and Pagefind (which makes one index per `<html lang>`) take the page's language from
there, so a translation's page must say its own.

`install` puts, in front of the Jinja environment's loader, a `partials/language.html` of our own
whose `t("language")` is the page's language when the page's context names one
(`PAGE_LANGUAGE`, set by the archive for a brief in another language than the site's) and which
answers every other key from the theme's own partial, reached under a prefix (`PREFIX`). The
labels, the text direction and everything else the theme words stay in the site's language: only
the brief's text is translated.

This is a feature, not a speed-up: it is on in every build, `speed_ups: false` included, and
stands apart from the shared partials of theme.py, which wrap the loader after it under another
prefix (each reaches the theme's own templates through the loader it wrapped). It leans on the name of material's partial and on its macro `t`, so it is on only for the
mkdocs-material versions it was tested on (`TESTED_THEMES`); on any other, pages keep the site's
language and one INFO line says so. A `custom_dir` with its own `partials/language.html` is left
as it is (it may read `page_language` itself), and one INFO line says so.
"""

from __future__ import annotations

from jinja2 import ChoiceLoader, DictLoader, Environment, PrefixLoader
from mkdocs.plugins import get_plugin_logger
from mkdocs.theme import Theme

from . import TESTED_THEMES, theme_tested, theme_version
from .theme import _is_materials_own

log = get_plugin_logger(__name__)

PARTIAL = "partials/language.html"
PREFIX = "briefing-archive-theme-language"  # `PREFIX/partials/language.html`: the theme's own
PAGE_LANGUAGE = "page_language"  # in a page's context: its language, where it is not the site's
SUPPORTED = theme_tested()

# Whitespace-free like material's own: `t` is printed inside an attribute.
SOURCE = (
    "{#- The page's own language (briefing_archive/engine/page_language.py), the theme's words -#}\n"
    '{%- import "' + PREFIX + '/' + PARTIAL + '" as theirs with context -%}\n'
    "{%- macro t(key) -%}\n"
    "{%- if key == 'language' and " + PAGE_LANGUAGE + " is defined and " + PAGE_LANGUAGE + " -%}\n"
    "{{ " + PAGE_LANGUAGE + " | e }}\n"
    "{%- else -%}\n"
    "{{ theirs.t(key) }}\n"
    "{%- endif -%}\n"
    "{%- endmacro -%}\n"
)


def install(env: Environment, theme: Theme) -> bool:
    """Has `<html lang>` say a page's own language (`PAGE_LANGUAGE` in its context). False, and
    the environment as it was, where the theme's partial is not one this was tested on."""
    if theme.name != "material":
        return False
    if not SUPPORTED:
        log.info(f"translations' pages keep the site's language in <html lang>: mkdocs-material "
                 f"{theme_version()} is not a version this was tested on ({', '.join(TESTED_THEMES)})")
        return False
    if not _is_materials_own(theme, PARTIAL):
        log.info(f"{PARTIAL} is the site's own (custom_dir): left as it is, so <html lang> says what it says; "
                 f"a translation's language is '{PAGE_LANGUAGE}' in the page's context")
        return False
    loader = env.loader
    assert loader is not None
    env.loader = ChoiceLoader([DictLoader({PARTIAL: SOURCE}), PrefixLoader({PREFIX: loader}), loader])
    return True
