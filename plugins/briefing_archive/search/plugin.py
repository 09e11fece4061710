"""The `briefing-search` plugin: a search page, a header search box, and a Pagefind index.

- on_config        puts our templates on the theme path (if `briefing-archive` has not) and our
                   stylesheet on every page.
- on_files         adds the search page (`search/index.md`, generated) and our assets.
- on_page_markdown gives the search page its template and title.
- on_env           gives brief pages the word they all carry for filter-only browsing, and has
                   mkdocs-material's header include a small search form
                   (`archive/header-search.html`, put into the theme's `partials/header.html` by
                   engine/header_search.py): material only shows its own search box with its own
                   `search` plugin, which this one replaces.
- on_page_context  hands the template the filters and the paths it needs.
- on_post_build    runs Pagefind over the built site (under `mkdocs serve`, in a thread beside the
                   server), once per part of the index (index_parts.py) whose pages changed
                   since a kept bundle was made (index_cache.py); for a large archive it says
                   when it starts and as each part is done (progress.py). Only elements marked
                   `data-pagefind-body` (the brief pages) are indexed, with the filters and
                   metadata they carry. Each new bundle's filter index is put in one order
                   (bundle_order.py), so the same pages give the same bundle, byte for byte.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .. import progress
from ..engine import header_search
from .bundle_order import TESTED_VERSIONS, UnknownLayout, bundle_version, indexed_pages, stabilize
from .config import SearchConfig
from .index_cache import IndexCache, pagefind_settings, part_digest
from .index_parts import IndexPart, briefs_per_year, plan_parts

log = get_plugin_logger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE.parent / "templates"
TEMPLATE = "archive/search.html"
STYLESHEET = "assets/briefing-search.css"
SCRIPT = "assets/briefing-search.js"

# Filter keys as brief pages tag them (data-pagefind-filter), with the label readers see.
FILTERS = (("topic", "Topic"), ("type", "Type"), ("program", "Program"), ("author", "Author"), ("year", "Year"))

# A word in a metadata field of every brief page, never in its text (so never in an excerpt).
# Browsing by filters alone searches for it: Pagefind 1.5.2 answers a search with no word by
# fetching every index chunk (16 MB at 10,000 briefs), and a search for this word by fetching one.
EVERY_BRIEF = "zzzallbriefs"

# Included at the end of mkdocs-material's header bar; asks `briefing_search_action(page)`.
HEADER_PARTIAL = "archive/header-search.html"


# What Markdown puts into a brief's body that is no word of its text, so never part of an excerpt:
# the headings' permalinks ("¶", the `toc` extension's) and the footnotes' way back ("↩").
NOT_TEXT = (".headerlink", ".footnote-backref")
PAGEFIND_OPTIONS = tuple(option for selector in NOT_TEXT for option in ("--exclude-selectors", selector))


def run_pagefind(site_dir: Path, part: IndexPart) -> str:
    """Indexes the brief pages of `part` into `site_dir/part.bundle`; returns Pagefind's report.
    Raises PluginError."""
    # Only brief pages carry data-pagefind-body; globbing them spares Pagefind parsing every listing.
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", part.bundle,
               "--glob", part.glob, *PAGEFIND_OPTIONS]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise PluginError(f"could not run Pagefind: {error}") from error
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise PluginError("Pagefind failed to index the site: " + " / ".join(detail))
    return result.stdout


class SearchPlugin(BasePlugin[SearchConfig]):
    # Under `mkdocs serve`, Pagefind runs beside the server once a build is done, so a preview
    # does not wait for a whole new index (its search catches up a few seconds later).
    indexer: threading.Thread | None = None
    serving = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving, self.dirty = command == "serve", dirty
        self.lock = threading.Lock()
        self.wanted: tuple | None = None  # the arguments of an index asked for while one was running

    def on_pre_build(self, config: MkDocsConfig) -> None:
        indexer = self.indexer
        if indexer and not self.dirty:
            indexer.join()  # a clean build empties the site folder Pagefind is writing into

    def on_shutdown(self) -> None:
        indexer = self.indexer
        if indexer:
            indexer.join()

    def _index_beside_server(self) -> None:
        while True:
            with self.lock:
                wanted, self.wanted = self.wanted, None
                if wanted is None:
                    self.indexer = None
                    return
            try:
                _index(*wanted)
            except PluginError as error:  # nobody to raise to: the build is over
                log.error(str(error))

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if str(TEMPLATES) not in config.theme.dirs:
            config.theme.dirs.append(str(TEMPLATES))
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if files.get_file_from_path(self.config.page) is None:
            files.append(File.generated(config, self.config.page, content=""))
        for asset in (STYLESHEET, SCRIPT):
            files.append(File.generated(config, asset, abs_src_path=str(HERE / asset)))
        self.search_url = files.get_file_from_path(self.config.page).url
        per_year = briefs_per_year(file.src_uri for file in files)
        self.parts = plan_parts(per_year, self.config.briefs_per_index, self.config.bundle_dir)
        return files

    def on_env(self, env, config: MkDocsConfig, files: Files):
        # The briefs published, for what indexing says: drafts are gone from the files by now.
        self.briefs = sum(briefs_per_year(file.src_uri for file in files).values())
        env.globals["pagefind_every_brief"] = EVERY_BRIEF
        # The error page is served at any depth, so its links are site-absolute.
        self.site_root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
        env.globals["briefing_search_action"] = self.header_action
        if self.config.header_form:
            header_search.install(env, HEADER_PARTIAL)
        return env

    def header_action(self, page: object) -> str:
        """Where the header's search form submits from `page`: the search page's URL relative to
        it, site-absolute on a template with no page (404.html); empty where there is no form."""
        if not self.config.header_form:
            return ""
        if not isinstance(page, Page):
            return self.site_root + self.search_url
        if self._is_search_page(page):
            return ""
        return get_relative_url(self.search_url, page.url)

    def _is_search_page(self, page: Page) -> bool:
        return page.file.src_uri == self.config.page

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self._is_search_page(page):
            page.meta.setdefault("title", "Search")
            page.meta["template"] = TEMPLATE
            page.meta.setdefault("description", f"Search the briefs of {config.site_name}.")
            page.meta["hide"] = ["navigation", "toc"]
        return markdown

    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        if self._is_search_page(page):
            context["search_ui"] = {
                "filters": FILTERS,
                "bundle": self.parts[0].bundle + "/",
                "parts": [{"bundle": part.bundle + "/", "years": part.years} for part in self.parts],
                "script": SCRIPT,
                "page_size": self.config.page_size,
                "every": EVERY_BRIEF,
            }
        return context

    @event_priority(-100)  # last: after every plugin has written its pages
    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.config.index:
            log.warning("search index not built (index: false): the search page will find nothing")
            return
        cache = None
        if self.config.cache_dir:
            cache = IndexCache(Path(config.config_file_path).resolve().parent / self.config.cache_dir)
        index = (Path(config.site_dir), self.parts, cache, self.briefs)
        if not self.serving:
            _index(*index)
            return
        with self.lock:  # one index at a time: a build during an index gets one more when it ends
            self.wanted = index
            if self.indexer is None:
                self.indexer = threading.Thread(target=self._index_beside_server, name="briefing-search-pagefind",
                                                daemon=True)
                self.indexer.start()


def _index(site_dir: Path, parts: list[IndexPart], cache: IndexCache | None, briefs: int) -> None:
    """Indexes each part whose pages changed, or puts back its kept bundle. For a large archive
    (progress.py) it says when it starts and, when there are parts, as each is done."""
    started = time.perf_counter()
    large = progress.is_large(briefs)
    if large:
        log.info(f"Indexing {briefs:,} briefs for search with Pagefind" + (f", in {len(parts)} parts" if len(parts) > 1 else ""))

    def part_done(number: int, part: IndexPart, how: str) -> None:
        if large and len(parts) > 1:
            years = f"{part.years[-1]}–{part.years[0]}" if len(part.years) > 1 else part.years[0]
            log.info(f"Search index part {number} of {len(parts)} ({years}) {how}")

    # The first part's folder holds the others: no stale fragments or parts from an older build.
    shutil.rmtree(site_dir / parts[0].bundle, ignore_errors=True)
    pages, kept = 0, 0
    unordered: set[str] = set()
    settings = "\0".join((pagefind_settings(), *PAGEFIND_OPTIONS)) if cache else ""
    for number, part in enumerate(parts, start=1):  # one after the other: memory is bounded by the largest part
        digest = part_digest(site_dir, part, settings) if cache else ""
        if cache and cache.restore(digest, site_dir / part.bundle):
            kept += 1
            part_done(number, part, "kept from the last build")
            continue
        run_pagefind(site_dir, part)
        bundle = site_dir / part.bundle
        pages += indexed_pages(bundle)
        try:
            if not stabilize(bundle):
                unordered.add(bundle_version(bundle) or "?")
        except UnknownLayout as error:
            log.warning(f"search bundle {part.bundle}/ left in Pagefind's own order, which changes from "
                        f"build to build: {error}")
        except OSError as error:
            raise PluginError(f"could not write the search bundle {part.bundle}/: {error}") from error
        if cache:
            cache.keep(digest, bundle)
        part_done(number, part, "indexed")
    if unordered:
        log.info(f"search bundle left in Pagefind's own order (Pagefind {', '.join(sorted(unordered))}): its "
                 f"filter index is put in order for Pagefind {', '.join(TESTED_VERSIONS)} only")
    if cache:
        cache.forget_unused()
    into = f" in {len(parts) - kept} parts" if len(parts) - kept > 1 else ""
    unchanged = f"; {kept} of {len(parts)} parts unchanged, kept from the last build" if kept else ""
    log.info(f"Pagefind indexed {pages} pages{into} in {time.perf_counter() - started:.1f} s{unchanged}")
