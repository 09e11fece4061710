"""The theme's site navigation rendered once per folder, not once per page.

mkdocs-material renders the whole site navigation into every page: the drawer
(`partials/nav.html`) and the tabs (`partials/tabs.html`), ~1 ms a page, as much as the rest of
a brief page's template. For a page that is not in the navigation, what they render depends on
the site (config, nav, translations), which a build does not change, and on where the page is,
because every link in them is relative to the page's folder. Pages side by side outside the
navigation (the briefs of one year, the author profiles) get the same bytes, so the first of
them renders it and the others reuse it. Pages in the navigation, or above a page in it (their
links to it would differ from a sibling's), have theirs rendered as the theme always does.

This leans on what material's partials show (their names, and that they show nothing of the
page but its place), so it is on only for the mkdocs-material versions it was tested on
(`SUPPORTED`); elsewhere every page renders them, as the theme does. Only mkdocs-material's own
partials are shared: a `custom_dir` may override one with markup
that shows the page itself, and such an override is rendered for every page. `{% include %}` of
a shared partial finds a one-line template that asks `SharedPartials.render`, which renders the
theme's, reached under a prefix.
"""

from __future__ import annotations

import os
import posixpath
from typing import Iterable

from jinja2 import ChoiceLoader, DictLoader, Environment, PrefixLoader, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme
from mkdocs.utils import get_theme_dir

from . import theme_tested

MATERIAL_PARTIALS = ("partials/nav.html", "partials/tabs.html")
SUPPORTED = theme_tested()
THEME_PREFIX = "briefing-archive-theme"  # `THEME_PREFIX/partials/nav.html`: the theme's own
GLOBAL = "archive_shared_partial"


def _entries(items: Iterable) -> Iterable:
    for item in items:
        yield item
        yield from _entries(getattr(item, "children", None) or ())


def _and_folders_above(url: str) -> set[str]:
    """`a/b/c/` -> {"", "a/", "a/b/", "a/b/c/"}, `a/b.html` -> {"", "a/", "a/b.html"}: the URL
    and the URLs of the folders it is in."""
    parts = url.split("/")[:-1]
    return {url}.union("/".join(parts[:depth]) + "/" if depth else "" for depth in range(len(parts) + 1))


def _is_materials_own(theme: Theme, name: str) -> bool:
    """Whether `name` is mkdocs-material's own template, not one a `custom_dir` overrides."""
    if theme.name != "material":
        return False
    found = next((folder for folder in theme.dirs if os.path.isfile(os.path.join(folder, name))), None)
    return found is not None and os.path.samefile(found, get_theme_dir("material"))


class SharedPartials:
    """For one build: the shared partials rendered so far, by partial and folder."""

    def __init__(self, nav) -> None:
        # The URLs of the navigation's entries and of every folder above one; the home page ("")
        # is above every page, in the navigation or not. Sections have no URL.
        urls = (getattr(entry, "url", None) for entry in _entries(nav.items))
        self.nav_or_above = {""}.union(*(_and_folders_above(url) for url in urls if url is not None))
        self.rendered: dict[tuple[str, str], Markup] = {}

    def install(self, env: Environment, theme: Theme) -> None:
        shared = [name for name in MATERIAL_PARTIALS if _is_materials_own(theme, name)]
        if not shared:
            return
        loader = env.loader
        wrappers = {name: "{{ %s(%r) }}" % (GLOBAL, name) for name in shared}
        env.loader = ChoiceLoader([DictLoader(wrappers), PrefixLoader({THEME_PREFIX: loader}), loader])
        env.globals[GLOBAL] = self.render

    def place_of(self, page: object) -> str | None:
        """The folder `page` is in, if what the shared partials render for it is what they
        render for every other page there; None if it must have its own. (Pages' URLs are all
        folders, `a/b/`, or all files, `a/b.html`, as `use_directory_urls` says, so pages in
        one folder are all as deep.)"""
        if not isinstance(page, Page) or page.url in self.nav_or_above:
            return None
        return posixpath.dirname(page.url.rstrip("/"))

    @pass_context
    def render(self, context: Context, name: str) -> Markup:
        place = self.place_of(context.get("page"))
        if place is None:
            return self._render_theirs(context, name)
        key = (name, place)
        if key not in self.rendered:
            self.rendered[key] = self._render_theirs(context, name)
        return self.rendered[key]

    @staticmethod
    def _render_theirs(context: Context, name: str) -> Markup:
        template = context.environment.get_template(f"{THEME_PREFIX}/{name}")
        return Markup(template.render(context.get_all()))
