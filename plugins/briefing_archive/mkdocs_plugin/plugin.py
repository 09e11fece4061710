"""The `briefing-archive` MkDocs plugin: thin event handlers over the catalogue and the page plan.

Order of a build (state: state.py, one home for what a `serve` keeps and one for what a build knows):
- on_startup  (once per `mkdocs serve`) makes the ServeState later rebuilds reuse.
- on_config   reads the briefs' git history (one `git log`, again only when HEAD moved under
              `serve`), reads and checks the whole archive once (catalogue), plans every page;
              any content error stops the build here, before anything is written. A `build`
              then takes up the state the last one kept (site_mirror.py), when it can trust it.
- on_pre_build  (under `serve --dirty`) drops the engine's warning that a dirty build is
              inaccurate: the fingerprints make it accurate.
- on_files    drops drafts and scheduled briefs (unless drafts are shown), adds the generated
              pages, feeds, JSON API, citation files, redirects (aliases and earlier addresses)
              and our stylesheets; under a dirty rebuild, leaves out what stays as the last build
              wrote it; makes the archive's pages (archive_pages.py), whose bodies may come from
              the render cache; has every brief's references formatted (outputs/citation_cache.py)
              and every share card drawn (outputs/share_cards.py).
- on_page_read_source  hands MkDocs the body of each brief the catalogue read.
- on_page_markdown  gives each archive page its template and title, resolves wiki-links; puts a
                    placeholder where any page has a ```briefs block (embedded_listings.py).
- on_page_content   sanitizes what editors wrote (bodies from the cache file too).
- on_nav      starts the body workers for a cold build (body_workers.py).
- on_env      dates every page; has a translation's page say its language in <html lang>
              (engine/page_language.py); makes the theme's markup valid HTML
              (engine/valid_markup.py); has the theme's navigation rendered once per folder for
              pages outside it (engine/theme.py); starts the page workers (page_workers.py).
- on_page_context   hands the page's view (a brief, a listing page, an index) to its template;
                    renders each embedded listing into its placeholder.
- on_template_context  gives the sitemap the pages a dirty rebuild left out, and the error page
                       (404.html, our template in place of the theme's) the catalogue.
- on_post_page  (last) claims the next page from the page workers.
- on_post_build     waits for the page workers; a warm build puts back what it left out or did
                    not render, and keeps its output and state for the next; saves the render
                    cache, the formatted references and the drawn cards (first builds only under
                    `serve`, which keeps them in memory).
- on_shutdown once `build` or `gh-deploy` is done, spares the exiting process its last
              garbage collection.

A large archive's build says how far it is (progress.py): what on_config read and checked, then
every few seconds the pages whose Markdown is rendered (counted in on_page_content) and the pages
built (on_post_page, with those the page workers built), INFO lines on the plugin's logger.

With `speed_ups: false` every shortcut is off (one process, no caches, no shared partials, pages
as MkDocs makes and renders them): the plain path the tests compare every other with.
"""

from __future__ import annotations

import gc
import html
import os
import posixpath
import time
from functools import partial
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .. import progress
from ..canonical import Unkeyable
from ..catalogue import ArchivePaths, Report, load_archive
from ..catalogue.history import read_history
from ..catalogue.links import WikiLink, file_targets, markdown_text, replace_wiki_links, scan
from ..catalogue.read_cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from ..catalogue.text import format_date, language_name
from ..engine import internals, page_language, theme, valid_markup
from ..outputs.api import API_FILES, SLUGS
from ..outputs.citation_cache import FILE_NAME as CITATION_CACHE, CitationCache
from ..outputs.citations import CITATION_FILES, citation_file
from ..outputs.feeds import atom_feed, feeds
from ..outputs.card_drawing import Fonts, find_fonts
from ..outputs.share_cards import FOLDER as CARDS_FOLDER, CardCache, ShareCard, place_card, share_cards
from ..outputs.sharing import alternate_feeds, head_meta
from ..pages import BriefPage, ListingPage, plan_pages
from ..redirects import plan_redirects, redirect_html
from ..render_cache import RenderCache, salt
from ..sanitize import clean_html
from ..site_mirror import WarmState
from ..structured_data import absolute, brief_json_ld, script_json
from .archive_pages import BodyRenders, BriefBodyPage, GeneratedPage
from .config import ArchiveConfig
from .dirty_rebuilds import DirtyRebuilds, site_wide_digest, warm_salt
from .embedded_listings import fill, place
from .page_workers import GIVEN_AWAY_TEMPLATE as NOT_RENDERED_TEMPLATE, STATELESS_PLUGINS, worker_count
from .state import BuildState, ServeState

log = get_plugin_logger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE_DIR / "templates"
# One stylesheet, print rules included: every stylesheet in <head> holds up the first paint.
STYLESHEETS = ("assets/briefing-archive.css",)
SITE_SCRIPTS = ("assets/briefing-archive.js",)  # on every page, after the theme's script
# Loaded by the templates that use them (brief.html, archive/not-found.html).
SCRIPTS = ("assets/briefing-archive-cite.js", "assets/briefing-archive-not-found.js")
NOT_FOUND = "404.html"  # the theme's error page, which our templates folder has in its place
WARM_DIR = "warm"  # under the cache folder: what a build keeps for the next (site_mirror.py)
NO_CARD_FONTS = ("share cards not drawn: the fonts they are set in, Noto Serif CJK and Noto Sans CJK (with Hangul), "
                 "are not installed (Debian and Ubuntu: apt-get install fonts-noto-cjk)")
DIRECTORY_URLS_ONLY = ("use_directory_urls: false is not supported: the archive's addresses are folders "
                       "(/briefs/<year>/<slug>/), as its feeds, API and redirects publish them; "
                       "remove the setting from mkdocs.yml")


def drafts_enabled(option: bool) -> bool:
    return option or os.environ.get("BRIEFS_DRAFTS", "").lower() in ("1", "true", "yes")


def _stop_on_errors(report: Report) -> None:
    """Prints every problem in the words `briefs check` uses; any error stops the build."""
    for problem in report.sorted():
        (log.error if problem.is_error else log.info)(str(problem))
    if report.errors:
        count = len(report.errors)
        raise PluginError(f"{count} content error{'s' * (count != 1)}: fix the lines above; nothing was published")


def _nav_src_uris(nav: object) -> Iterator[str]:
    """The pages `nav:` in mkdocs.yml names."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_src_uris(value)
    elif isinstance(nav, list):
        for value in nav:
            yield from _nav_src_uris(value)


def site_language(config: MkDocsConfig) -> str:
    """The theme's language: a brief without its own has it."""
    return config.theme.get("language") or "en"


def _use_templates(theme) -> None:
    """Our templates folder after a custom_dir and before the theme's own: our 404.html takes the
    place of the theme's, and a custom_dir still overrides any template of ours."""
    folder = str(TEMPLATES)
    if folder in theme.dirs:  # put there by `briefing-search`, after the theme's
        theme.dirs.remove(folder)
    theme.dirs.insert(1 if theme.custom_dir else 0, folder)


def _autoescape_archive_templates(theme) -> Callable[[str | None], bool]:
    """Which templates are autoescaped: ours, and the error page when it is ours (a custom_dir's
    own is left as the theme renders it). The error page is the template MkDocs renders, so the
    escaping of everything it calls (our macros among them) follows its own."""
    error_page = next((folder for folder in theme.dirs if os.path.isfile(os.path.join(folder, NOT_FOUND))), None)
    own_error_page = error_page == str(TEMPLATES)
    return lambda name: bool(name) and (name.startswith("archive/") or (own_error_page and name == NOT_FOUND))


# MkDocs commands whose process ends once plugins' on_shutdown has run (not `serve`'s rebuilds).
EXITS_AFTER_SHUTDOWN = frozenset({"build", "gh-deploy"})


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    # For the life of the process (on_startup); empty when a build is run without a command.
    command = ""
    dirty = False  # `--dirty`: MkDocs builds only pages whose source is newer than their output
    serve: ServeState | None = None  # kept across the builds of one `mkdocs serve`
    build: BuildState  # made anew by each build's on_config

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty
        if command == "serve":
            self.serve = ServeState(rebuilds=DirtyRebuilds() if dirty else None)
            if self.serve.rebuilds:
                self.serve.rebuilds.dirty_notice.install()

    def on_shutdown(self) -> None:
        if self._rebuilds:
            self._rebuilds.dirty_notice.remove()
        if self.command in EXITS_AFTER_SHUTDOWN:
            # The process exits next. Its last garbage collection would walk everything the build
            # made only to free memory the system takes back anyway: 4 s at 10,000 briefs.
            gc.freeze()

    @property
    def _rebuilds(self) -> DirtyRebuilds | None:
        return self.serve.rebuilds if self.serve else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        started = time.monotonic()
        if not config.use_directory_urls:
            raise PluginError(DIRECTORY_URLS_ONLY)
        speed_ups = self.config.speed_ups
        rebuilds = self._rebuilds if speed_ups else None
        rebuilding = bool(rebuilds and rebuilds.built)
        root = Path(config.config_file_path).resolve().parent
        warm = self._warm_state(config, root) if speed_ups and not rebuilds else None
        if warm:
            rebuilds = DirtyRebuilds(site_dir=Path(config.site_dir))
        if rebuilding:
            rebuilds.collector.pause()
        _use_templates(config.theme)
        config.extra_css.extend(s for s in STYLESHEETS if s not in config.extra_css)
        config.extra_javascript.extend(s for s in SITE_SCRIPTS if s not in config.extra_javascript)
        paths = ArchivePaths(root=root, docs_dir=Path(config.docs_dir).resolve(),
                             config_dir=root / self.config.vocabularies)
        show_drafts = drafts_enabled(self.config.drafts)
        cache_dir = root / self.config.cache_dir if self.config.cache_dir and speed_ups else None
        history = read_history(paths.briefs_dir, kept=self.serve.history if self.serve else None)
        if self.serve:
            self.serve.history = history
        if history.notice:
            # Not a warning: the checkout's depth is the workflow's choice, no edit to the content
            # can change it, and what the build saw it published correctly (a strict build of a
            # shallow clone on purpose passes). The project's workflows fetch the whole history.
            log.info(history.notice)
        loaded = load_archive(paths, site_name=config.site_name, include_drafts=show_drafts,
                              memo=self.serve.load_memo if self.serve and speed_ups else None, cache_dir=cache_dir,
                              language=site_language(config), history=history)
        _stop_on_errors(loaded.report)
        catalogue = loaded.catalogue
        # Read only now: a build stopped by a content error leaves the state for the next.
        record = warm.load() if warm else None
        if record:
            rebuilds.resume(record, warm.mirror.verified(record["mirror"]))
        plan = rebuilds.pages(catalogue, self.config.page_size) if rebuilds else plan_pages(catalogue, self.config.page_size)
        if not rebuilding and progress.is_large(len(plan)):
            log.info(f"Read and checked {len(loaded.briefs):,} briefs and {len(catalogue.authors):,} authors "
                     f"in {time.monotonic() - started:.1f} s")
        if rebuilds:
            rebuilds.start(root / (self.config.cache_dir or DEFAULT_CACHE_DIR) / "serve")
            template_dirs = [str(TEMPLATES)] + ([config.theme.custom_dir] if config.theme.custom_dir else [])
            rebuilds.plan(plan, catalogue, site_wide_digest(config, self.config, catalogue, template_dirs), loaded.sources,
                          loaded.embedded)
        self.build = BuildState(
            speed_ups=speed_ups, rebuilds=rebuilds, loaded=loaded, plan=plan, rebuilding=rebuilding, warm=warm, warm_record=record,
            unpublished={b.src_uri for slug, b in loaded.briefs.items() if slug not in catalogue.briefs})
        self.build.warnings.install()
        return config

    def _warm_state(self, config: MkDocsConfig, root: Path) -> WarmState | None:
        """Where a `build` finds what the last one did, when it can trust it: with a cache folder,
        a clean site folder, and no plugin or hook but ours (another's page events could show
        anything, so it could not be known unchanged); else None (every page is built)."""
        if self.command not in EXITS_AFTER_SHUTDOWN or self.dirty or not self.config.cache_dir \
                or not set(config.plugins) <= STATELESS_PLUGINS or not internals.SUPPORTED:
            return None
        try:
            salt = warm_salt(config, PACKAGE_DIR)
        except Unkeyable as reason:
            log.info(f"every page built: the settings have no stable text to compare with the last build's ({reason})")
            return None
        return WarmState(root / self.config.cache_dir / WARM_DIR, salt)

    @event_priority(-1000)  # last: the engine's warning comes right after the last on_pre_build
    def on_pre_build(self, config: MkDocsConfig) -> None:
        if self.build.rebuilds and self.serve:
            self.build.rebuilds.dirty_notice.expect()

    # Runs after other plugins have added their files, so a generated page never hides a real one.
    @event_priority(-50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        state, rebuilds = self.build, self.build.rebuilds
        for src_uri in state.unpublished:
            hidden = files.src_uris.get(src_uri)
            if hidden:
                files.remove(hidden)
        in_nav = frozenset(_nav_src_uris(config.nav))
        if rebuilds:
            rebuilds.begin_files(files, config, in_nav)
            add = rebuilds.add
        else:
            def add(src_uri: str, content: str) -> None:
                files.append(File.generated(config, src_uri, content=content))
        catalogue = state.catalogue
        for src_uri in state.plan:
            if src_uri not in files.src_uris:
                # Under a dirty rebuild, the stub holds the fingerprint: the page is built again when it changes.
                add(src_uri, rebuilds.fingerprints[src_uri] if rebuilds else "")
                state.generated_pages.add(src_uri)
        for asset in STYLESHEETS + SITE_SCRIPTS + SCRIPTS:
            files.append(File.generated(config, asset, abs_src_path=str(PACKAGE_DIR / asset)))
        docs_dir = Path(config.docs_dir)
        for brief in catalogue.every:
            if brief.pdf:  # the PDF edition beside its page, where readers and Scholar look for it
                files.append(File.generated(config, brief.pdf_url, abs_src_path=str(docs_dir / brief.pdf)))
        site_url = config.site_url or ""
        size = self.config.feed_size
        for feed in feeds(catalogue):
            make = partial(atom_feed, feed, catalogue, site_url, size)
            if rebuilds:
                rebuilds.add_output(feed.url, "feed", feed.url, feed.listing.briefs[:size], make)
            else:
                add(feed.url, make())
        for src_uri, render in API_FILES.items():
            make = partial(render, catalogue, site_url)
            if rebuilds:
                rebuilds.add_all_briefs_output(src_uri, "api", make)
            else:
                add(src_uri, make())
        for brief in catalogue.every:
            for extension, render in CITATION_FILES.items():
                make = partial(render, brief, config.site_name, site_url)
                if rebuilds:
                    rebuilds.add_output(citation_file(brief, extension), extension, brief.slug, (brief,), make)
                else:
                    add(citation_file(brief, extension), make())
        state.citations = self._citations(config)
        state.share_cards = self._share_cards(files, config)
        taken = rebuilds.dest_uris() if rebuilds else {f.dest_uri for f in files}
        redirects, report = plan_redirects(state.loaded, taken)
        _stop_on_errors(report)
        # Only now, past the last content error: a build that stops publishes nothing.
        for dest, kept in state.card_places:
            place_card(dest, kept)
        for redirect in redirects:
            add(redirect.dest_uri, redirect_html(redirect, site_url))
        if rebuilds:
            rebuilds.settle(self._brief_link_targets)
        if state.speed_ups:
            self._make_archive_pages(files, config, in_nav)
        return files

    def _citations(self, config: MkDocsConfig) -> CitationCache:
        """Every brief's references in each style, from the cache where it has them; what it
        lacks is formatted now, on every core, unless this is a rebuild (which formats only the
        pages it builds again). The plain path keeps nothing and formats each page's own, with
        citeproc-py as released."""
        state = self.build
        if not state.speed_ups:
            return CitationCache(None, speed_ups=False)
        kept = self.serve.citations if self.serve else None
        if kept is None:
            root = Path(config.config_file_path).resolve().parent
            kept = CitationCache(root / self.config.cache_dir / CITATION_CACHE if self.config.cache_dir else None)
            if self.serve:
                self.serve.citations = kept
        if not state.rebuilding:
            kept.prepare(list(state.catalogue.every), config.site_name, config.site_url or "")
        return kept

    def _share_cards(self, files: Files, config: MkDocsConfig) -> dict[str, ShareCard]:
        """Each page's share card, every card added as a file: taken from the cache, which has
        what it lacks drawn now, on every core (a rebuild draws only the cards that changed), and
        noted to be linked into the site folder (share_cards.place_card, once the content has
        passed every check); on the plain path drawn as it is added.
        None when the option is off or the fonts are missing."""
        state = self.build
        fonts = find_fonts() if self.config.share_cards else None
        if fonts is None:
            if self.config.share_cards and not state.rebuilding:
                log.info(NO_CARD_FONTS)
            return {}
        cards = share_cards(state.plan, state.catalogue, config.site_description or "")
        drawn = {share.url: share.card for share in cards.values()}
        state.cards = cache = self._card_cache(config, fonts)
        if cache.folder and not state.rebuilding:
            cache.prepare(drawn.values())
        for url, card in drawn.items():
            if state.rebuilds and cache.folder:
                # A card left out stays in the site and so in the cache: the next build that
                # changes its page finds it drawn.
                file = state.rebuilds.add_file(url, cache.use(card), partial(cache.path, card))
                if file and state.warm:  # a build writes into an emptied folder: linked there, not copied
                    state.card_places.append((file.abs_dest_path, file.abs_src_path))
            elif cache.folder:
                file = File.generated(config, url, abs_src_path=cache.path(card))
                state.card_places.append((file.abs_dest_path, file.abs_src_path))
                files.append(file)
            else:
                file = File.generated(config, url, content=cache.png(card))
                state.card_places.append((file.abs_dest_path, None))
                files.append(file)
        return cards

    def _card_cache(self, config: MkDocsConfig, fonts: Fonts) -> CardCache:
        """The cache of drawn cards (kept for a whole `serve`); one that keeps nothing on the plain path."""
        if not (self.build.speed_ups and self.config.cache_dir):
            return CardCache(None, fonts)
        folder = Path(config.config_file_path).resolve().parent / self.config.cache_dir / CARDS_FOLDER
        kept = self.serve.cards if self.serve else None
        if kept is None or (kept.folder, kept.fonts) != (folder, fonts):
            kept = CardCache(folder, fonts)
            if self.serve:
                self.serve.cards = kept
        return kept

    def _render_cache(self, config: MkDocsConfig) -> RenderCache | None:
        """The cache of rendered bodies, salted with the Markdown settings as they stand once
        every plugin's on_config has run; None when those settings have no stable text."""
        if not self.config.cache_dir:
            return None
        root = Path(config.config_file_path).resolve().parent
        settings = (config.markdown_extensions, config.mdx_configs, config.use_directory_urls, dict(config.validation))
        try:
            body_salt = salt(settings, self.config.embed_hosts, config.markdown_extensions)
        except Unkeyable as reason:
            log.info(f"rendered bodies not cached: {reason}")
            return None
        path = root / self.config.cache_dir / "bodies.json"
        kept = self.build.rebuilds.render_cache if self.build.rebuilds else None
        return kept if kept and (kept.path, kept.salt) == (path, body_salt) else RenderCache(path, body_salt)

    def _make_archive_pages(self, files: Files, config: MkDocsConfig, in_nav: frozenset[str]) -> None:
        """The archive's pages outside the navigation, as pages that know how they render (a page
        the navigation names gets its title from there, so MkDocs makes it)."""
        state = self.build
        cache = self._render_cache(config)
        state.bodies = BodyRenders(cache, state.warnings, state.body_workers, state.sanitized) if cache else None
        for src_uri, view in state.plan.items():
            file = files.src_uris.get(src_uri)
            if file is None or src_uri in in_nav or file.page is not None:
                continue
            if isinstance(view, BriefPage):
                if state.bodies:
                    BriefBodyPage(file, config, state.bodies)
            elif src_uri in state.generated_pages:
                GeneratedPage(None, file, config)

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        """A brief's body as the loader read it: MkDocs would read the file again and parse its
        front matter with the pure-Python YAML loader, for fields the page never shows (see
        on_page_markdown). The blank line first ends MkDocs' MultiMarkdown meta at once; MkDocs
        drops it with the body's leading newlines, as it does after front matter."""
        if not self.build.speed_ups:
            return None
        brief = self.build.catalogue.by_src_uri.get(page.file.src_uri)
        source = self.build.loaded.sources.get(brief.slug) if brief else None
        return "\n" + source.body if source else None

    def _view_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        view = self.build.plan.get(page.file.src_uri)
        if view is None:
            return markdown
        if page.file.src_uri in self.build.generated_pages:
            markdown = ""  # what a stub holds is no content
        # Editors' fields never reach the theme's meta: the theme prints meta unescaped.
        template = NOT_RENDERED_TEMPLATE if self._kept(page) else view.template
        page.meta = {"template": template, "title": html.escape(view.title), "hide": ["navigation", "toc"]}
        if isinstance(view, BriefPage):
            brief = view.brief
            page.meta["description"] = html.escape(brief.summary)
            links = scan(markdown).wiki
            if links:
                markdown = replace_wiki_links(markdown, links, lambda link: self._wiki_link(link, brief.src_uri))
        return markdown

    def _embedded_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Any page's ```briefs blocks, each a placeholder for its listing (embedded_listings.py)."""
        markdown, slots = place(markdown, f"{Path(config.docs_dir).name}/{page.file.src_uri}", page.file.src_uri,
                                self.build.loaded, _stop_on_errors)
        if slots:
            self.build.embedded[page.file.src_uri] = slots
        return markdown

    on_page_markdown = CombinedEvent(_view_markdown, _embedded_markdown)

    def _kept(self, page: Page) -> bool:
        """Whether a warm build takes this page as the last build wrote it (its template renders
        nothing; the file is put back in on_post_build)."""
        rebuilds = self.build.rebuilds
        return bool(rebuilds and rebuilds.kept) and page.file.src_uri in rebuilds.kept

    def _wiki_link(self, link: WikiLink, from_src_uri: str) -> str:
        """A Markdown link to the brief's source file, which MkDocs turns into its relative URL."""
        target = self.build.loaded.briefs[link.slug]
        path = posixpath.relpath(target.src_uri, posixpath.dirname(from_src_uri))
        text = link.text if link.text is not None else markdown_text(target.title)
        return f"[{text}](<{path}>)"

    def _brief_link_targets(self, src_uri: str) -> list[str] | None:
        """The files a brief's body links to, or None for a page that is not a brief."""
        loaded = self.build.loaded
        brief = loaded.catalogue.by_src_uri.get(src_uri)
        if brief is None:
            return None
        links = loaded.body_links[brief.slug]
        wiki = [loaded.briefs[link.slug].src_uri for link in links.wiki if link.slug in loaded.briefs]
        return wiki + file_targets(links.targets, src_uri)

    def on_page_content(self, content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Sanitizes every page's body, cached ones too: the cache is a file in the repository that
        a pull request could bring. The sanitizer's result for the same HTML is taken from a body
        worker of this build when it had it."""
        state = self.build
        if state.rendering and not state.body_workers.in_worker:
            state.pages_rendered += 1
            state.rendering.done(state.pages_rendered)
        if not content or self._kept(page):  # a kept page's content is not shown: it is not rendered
            return content
        done = state.sanitized.pop(page.file.src_uri, None)
        clean = done[1] if done and done[0] == content else clean_html(content, frozenset(self.config.embed_hosts))
        if state.body_workers.in_worker:
            state.sanitized[page.file.src_uri] = (content, clean)
        return clean

    def _worker_render(self, src_uri: str) -> dict | None:
        """In a body worker: what it sends back of a brief it rendered."""
        taken = self.build.bodies.take_rendered(src_uri) if self.build.bodies else None
        if taken is None:
            return None
        key, entry = taken
        done = self.build.sanitized.pop(src_uri, None)
        # Only the sanitizer's output, and only for the render's own HTML: the HTML it was given
        # is in the entry already, and need not cross the pipe twice.
        return {"key": key, "entry": entry, "sanitized": done[1] if done and done[0] == entry["html"] else None}

    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        state = self.build
        state.nav = nav
        pages = list(files.documentation_pages())
        if not state.rebuilding:
            state.rendering = progress.Step("Rendered the Markdown of", len(pages), log.info)
        if not state.speed_ups:
            return nav
        # The files are final here: the same count serves the body workers now, the page workers later.
        state.workers = worker_count(self.config.build_workers, config, len(pages), self.dirty)
        briefs = [file for file in pages if isinstance(file.page, BriefBodyPage)]
        cache = state.bodies.cache if state.bodies else None
        # Only when most bodies are missing from the cache: for a cached body a worker saves nothing.
        if state.workers > 1 and cache and not state.rebuilding and len(cache.stored) < len(briefs) / 2:
            state.body_workers.start(state.workers, briefs, config, files, self._worker_render)
        return nav

    def on_post_build(self, config: MkDocsConfig) -> None:
        state = self.build
        if state.page_workers.processes:
            log.debug(f"{len(state.page_workers.given_away)} pages built by page workers")
        state.page_workers.finish()  # before the search plugin indexes the pages they wrote
        rebuilds = state.rebuilds
        if rebuilds:
            rebuilds.finished()
            rebuilds.collector.resume()
        if state.warm:
            self._keep_for_next_build(config)
        state.kept_notice.remove()
        state.warnings.remove()
        if state.citations and not state.rebuilding:
            state.citations.save()
        if state.cards and not state.rebuilding:
            state.cards.save()
        cache = state.bodies.cache if state.bodies else None
        if cache:
            log.debug(f"rendered bodies: {cache.hits} from the cache, {cache.misses} rendered")
            if not state.rebuilding:
                cache.save(keep_unused=bool(state.warm))
            if rebuilds:
                cache.next_build()
                rebuilds.render_cache = cache

    def _keep_for_next_build(self, config: MkDocsConfig) -> None:
        """Puts back what this build left out as the last one wrote it (before the search plugin
        reads the site), then keeps what it wrote, and the state, for the next build; unless
        something warned, which the next build must then build and warn of again."""
        state = self.build
        rebuilds, warm = state.rebuilds, state.warm
        site_dir = Path(config.site_dir)
        left_out = rebuilds.left_out_dests()
        warm.mirror.restore(site_dir, left_out)
        log.debug(f"warm build: {len(left_out)} files as the last build wrote them")
        if state.warnings.count:
            return
        before = state.warm_record["mirror"] if state.warm_record else {}
        kept = {dest_uri: before[dest_uri] for dest_uri in left_out}
        kept.update(warm.mirror.keep(site_dir, rebuilds.written_dests()))
        warm.mirror.forget(before.keys() - kept.keys())
        warm.save({**rebuilds.record(), "mirror": kept})

    def on_build_error(self, error: Exception) -> None:
        state = getattr(self, "build", None)
        if state is None:
            return
        if state.rebuilds:
            state.rebuilds.collector.resume()
        state.warnings.remove()
        state.kept_notice.remove()
        state.page_workers.stop()
        state.body_workers.stop()

    def _set_up_env(self, env, config: MkDocsConfig, files: Files):
        state = self.build
        state.body_workers.finish()  # every page has been read and rendered by now
        if state.rebuilds and state.rebuilds.kept:
            state.kept_notice.install()  # before the page workers fork: they skip kept pages too
        # The theme's own templates are not autoescaped; ours are, so nothing an editor
        # writes can become markup on a page.
        env.autoescape = _autoescape_archive_templates(config.theme)
        env.filters["archive_date"] = format_date
        env.filters["language_name"] = language_name
        # A feature, on every path: a translation's page says its language in <html lang>.
        page_language.install(env, config.theme)
        # The theme's markup where the Nu HTML checker finds it invalid, on every path too.
        valid_markup.install(env, config.theme)
        if state.speed_ups and theme.SUPPORTED:
            theme.SharedPartials(state.nav).install(env, config.theme)
        if state.rebuilds:
            env.bytecode_cache = state.rebuilds.templates
        state.env = env
        # Here rather than as each page is read: a dirty rebuild reads only the pages it builds,
        # and the sitemap lists every page's date.
        catalogue = state.catalogue
        for file in files.documentation_pages():
            view = state.plan.get(file.src_uri)
            if isinstance(view, BriefPage):
                file.page.update_date = view.brief.last_change.isoformat()
            elif catalogue.last_change:
                file.page.update_date = catalogue.last_change.isoformat()
        return env

    @event_priority(-100)  # last: workers must see the environment every plugin has set up
    def _start_page_workers(self, env, config: MkDocsConfig, files: Files):
        state = self.build
        if not state.rebuilding:
            state.building = progress.Step("Built", len(files.documentation_pages()), log.info)
        if state.workers > 1:
            rebuilds = state.rebuilds
            state.page_workers.start(state.workers, config, files, state.nav, env,
                                     *((rebuilds.pages_rendered, rebuilds.learn) if rebuilds else ()))
        return env

    on_env = CombinedEvent(_set_up_env, _start_page_workers)

    def _view_context(self, context, page: Page, config: MkDocsConfig, nav):
        state = self.build
        view = state.plan.get(page.file.src_uri)
        if view is None or state.page_workers.is_given_away(page.file.src_uri) or self._kept(page):
            return context
        site_url = config.site_url or ""
        catalogue = state.catalogue
        # Under a dirty rebuild, a page that shows every brief anyway need not be watched reading them.
        watched = state.rebuilds and not getattr(view, "SHOWS_EVERY_BRIEF", False)
        context["archive"] = state.rebuilds.catalogue_for(page.file.src_uri, catalogue, view) if watched else catalogue
        context["view"] = view
        context["archive_options"] = self.config
        if isinstance(view, ListingPage):
            # rel=prev/next in the head are the listing's own pages (listing.html), not the
            # page's neighbours in the navigation, which the theme would print as well.
            page.previous_page = page.next_page = None
        versions = view.versions if isinstance(view, BriefPage) else ()
        context["archive_head"] = {
            "feeds": alternate_feeds(view, catalogue),
            "meta": head_meta(view, catalogue, site_url, self.config.share_image,
                              state.share_cards.get(page.file.src_uri)),
            "languages": [(other.language, absolute(site_url, other.url)) for other in versions],
        }
        if isinstance(view, BriefPage):
            brief = view.brief
            if brief.language != site_language(config):  # the loader's default
                context[page_language.PAGE_LANGUAGE] = brief.language
            context["json_ld"] = script_json(brief_json_ld(brief, config.site_name, site_url, versions))
            context["citation"] = {
                "styles": state.citations.rendered(brief, config.site_name, site_url),
                "bibtex": citation_file(brief, "bib"),
                "ris": citation_file(brief, "ris"),
                "csl_json": citation_file(brief, "json"),
            }
        return context

    def _embedded_context(self, context, page: Page, config: MkDocsConfig, nav):
        """Each embedded listing rendered into its placeholder, relative to the page, through the
        theme's environment (final only now)."""
        state = self.build
        src_uri = page.file.src_uri
        slots = state.embedded.get(src_uri)
        if not slots or state.page_workers.is_given_away(src_uri) or self._kept(page):
            return context
        catalogue = state.catalogue
        # A template override that reads the whole catalogue is noted under a dirty rebuild, as
        # the page's own template would be.
        archive = context.get("archive") or (state.rebuilds.catalogue_for(src_uri, catalogue, None)
                                             if state.rebuilds else catalogue)
        page.content, missing = fill(page.content or "", slots, state.env, dict(context, archive=archive),
                                     catalogue, self._listing_exists)
        for _slot in missing:
            log.warning(f"{Path(config.docs_dir).name}/{src_uri}: an embedded listing (```briefs) has no place "
                        "on the page: a plugin took out the placeholder it stood on")
        return context

    on_page_context = CombinedEvent(_view_context, _embedded_context)

    def _listing_exists(self, url: str) -> bool:
        """Whether the archive has a page at `url` (an embedded listing links its full listing)."""
        state = self.build
        if state.urls is None:
            state.urls = frozenset(view.url for view in state.plan.values())
        return url in state.urls

    def on_template_context(self, context, template_name: str, config: MkDocsConfig):
        rebuilds = self.build.rebuilds
        if template_name == "sitemap.xml" and rebuilds:
            context["pages"] = rebuilds.sitemap_pages()  # with the pages a rebuild leaves out
        if template_name == NOT_FOUND:
            # Served at any address: MkDocs renders it with the site's own path as base, so its
            # links are site-absolute, and the script resolves the briefs' paths from that root.
            context["archive"] = self.build.catalogue
            context["not_found"] = {"root": urlsplit(config.site_url or "/").path.rstrip("/") + "/",
                                    "index": SLUGS}
        return context

    @event_priority(-1000)  # last: a page given away to a page worker stays empty whatever others add
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        state = self.build
        workers = state.page_workers
        if state.building and not workers.in_worker:
            if not workers.is_given_away(page.file.src_uri):
                state.pages_built += 1
            state.building.done(state.pages_built + workers.built_by_workers)
        output = workers.page_built(page, output)
        if self._kept(page):
            state.kept_notice.expect()
            return ""
        return output

    def on_serve(self, server, config: MkDocsConfig, builder):
        server.watch(str(Path(config.config_file_path).resolve().parent / self.config.vocabularies))
        return server
