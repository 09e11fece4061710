"""The archive's pages as MkDocs `Page` subclasses that know how they render (as mkdocs-material's
blog does with its `Post` and `View` pages), made in `on_files` for pages outside the navigation.

They go through MkDocs' page lifecycle like any page: every plugin sees the real Markdown in
`on_page_markdown` and the real HTML in `on_page_content`, `on_page_context` and `on_post_page`.
Only the step between, `render()`, may be answered without a Markdown converter:

- `BriefBodyPage`: a brief's body is what an earlier render of the very same Markdown left (the
  render cache, or a body worker of this build), keyed on the Markdown as it stands once every
  plugin's `on_page_markdown` has run; anything else renders as MkDocs renders it.
- `GeneratedPage`: a page everything on which comes from its template renders no Markdown, and
  MkDocs' render of no Markdown is known: no HTML, no headings, no anchors, no links.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from .. import engine
from ..catalogue.links import file_targets, scan
from ..render_cache import RenderCache
from .body_workers import BodyWorkers


class WarningCount(logging.Handler):
    """Counts the warnings `--strict` counts (the engine's logger): a body whose render warned is
    not kept, so it warns again in the next build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def install(self) -> None:
        engine.logger().addHandler(self)

    def remove(self) -> None:
        engine.logger().removeHandler(self)


def _notes_links_to_anchors() -> bool:
    """MkDocs' render notes a page's links to other pages' anchors unless it logs at DEBUG."""
    return logging.getLogger(engine.PAGES_LOGGER).getEffectiveLevel() > logging.DEBUG


def _toc_tokens(items: list[AnchorLink]) -> list[dict]:
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _toc_tokens(i.children)} for i in items]


def saved_render(page: Page) -> dict:
    """What MkDocs' render left on `page`, in the form the render cache keeps."""
    return {
        "html": page.content,
        "toc": _toc_tokens(list(page.toc)),
        "anchors": sorted(page.present_anchor_ids or ()),
        # None when the render did not note them (a build logging at DEBUG): no use to one that does
        "links_to_anchors": None if page.links_to_anchors is None
        else {f.src_uri: links for f, links in page.links_to_anchors.items()},
    }


def restore_render(page: Page, saved: dict, files: Files) -> bool:
    """Leaves on `page` what its render left when `saved` was made; False if `saved` lacks what
    a render notes in this build."""
    notes_links = _notes_links_to_anchors()
    if notes_links and saved["links_to_anchors"] is None:
        return False
    page.content = saved["html"]
    page.toc = get_toc(saved["toc"])
    page.present_anchor_ids = set(saved["anchors"])
    if notes_links:
        linked = ((files.get_file_from_path(uri), links) for uri, links in saved["links_to_anchors"].items())
        page.links_to_anchors = {f: links for f, links in linked if f is not None}
    return True


@dataclass
class BodyRenders:
    """For one build: the render cache and the body workers, met where a brief renders."""

    cache: RenderCache
    warnings: WarningCount
    workers: BodyWorkers
    sanitized: dict[str, tuple[str, str]]  # the build's: what a body worker's sanitizer made of a body
    rendered: dict[str, tuple[str, dict]] = field(default_factory=dict)  # in a body worker: src_uri -> (key, entry)

    def key(self, page: Page, files: Files) -> str | None:
        """The cache key of the page's Markdown as it stands; None when the render's result is
        more than the cache keeps (a page with no title of its own takes it from the render)."""
        if "title" not in page.meta:
            return None
        src_uri = page.file.src_uri
        targets = file_targets(scan(page.markdown).targets, src_uri)

        def url_of(target: str) -> str | None:
            found = files.get_file_from_path(target)
            return found.url if found is not None else None

        return self.cache.key(src_uri, page.markdown, targets, url_of)

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        key = self.key(page, files)
        if key is not None:
            from_worker = self.workers.body_for(page.file.src_uri)
            if from_worker and from_worker["key"] == key:
                self.cache.put(key, from_worker["entry"])
                if from_worker["sanitized"] is not None:
                    self.sanitized[page.file.src_uri] = (from_worker["entry"]["html"], from_worker["sanitized"])
            saved = self.cache.get(key)
            if saved is not None and restore_render(page, saved, files):
                return
        warnings_before = self.warnings.count
        Page.render(page, config, files)
        if key is not None and self.warnings.count == warnings_before:
            entry = saved_render(page)
            self.cache.put(key, entry)
            if self.workers.in_worker:  # to be sent back to the build's own process
                self.rendered[page.file.src_uri] = (key, entry)

    def take_rendered(self, src_uri: str) -> tuple[str, dict] | None:
        return self.rendered.pop(src_uri, None)


class BriefBodyPage(Page):
    """A brief's page, whose body may come from the render cache (see BodyRenders)."""

    def __init__(self, file: File, config: MkDocsConfig, bodies: BodyRenders) -> None:
        super().__init__(None, file, config)
        self.bodies = bodies

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.bodies.render(self, config, files)


class GeneratedPage(Page):
    """A page the archive generates: its template shows everything on it."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is not None and self.markdown.strip():  # a plugin gave it Markdown
            return super().render(config, files)
        # What MkDocs' render of no Markdown leaves (Markdown's convert returns "" at once).
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        if _notes_links_to_anchors():
            self.links_to_anchors = {}
