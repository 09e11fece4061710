"""The `briefing-archive` MkDocs plugin: thin event handlers over the catalogue and the page plan.

Order of a build:
- on_startup  (once per `mkdocs serve`) keeps what later rebuilds reuse: what earlier loads
              read and checked (LoadMemo), and under `--dirty` what the last build wrote and
              the fingerprints that decide what to build again (dirty_rebuilds.py).
- on_config   reads and checks the whole archive once (catalogue), plans every page;
              any content error stops the build here, before anything is written.
- on_files    drops drafts (unless shown), adds the generated pages, feeds, JSON API,
              citation files, alias redirects and our stylesheets; under a dirty rebuild,
              leaves out what stays as the last build wrote it.
- on_page_read_source  hands MkDocs the body of each brief the catalogue read.
- on_page_markdown  gives each archive page its template and title; takes cached bodies.
- on_page_content   sanitizes what editors wrote (bodies from the cache file too).
- on_env      dates every page; has the theme's navigation rendered once per folder for pages
              outside it (shared_partials.py); starts the page workers (page_workers.py).
- on_page_context   hands the page's view (a brief, a listing page, an index) to its template.
- on_template_context  gives the sitemap the pages a dirty rebuild left out.
- on_post_build     waits for the page workers; saves the render cache (first builds only
                    under `serve`, which keeps it in memory).
- on_shutdown once `build` or `gh-deploy` is done, spares the exiting process its last
              garbage collection.
"""

from __future__ import annotations

import gc
import html
import logging
import os
import posixpath
from functools import partial
from pathlib import Path
from typing import Iterator

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from ..catalogue import ArchivePaths, Catalogue, LoadMemo, Report, load_archive
from ..catalogue.links import WikiLink, file_targets, markdown_text, replace_wiki_links, scan
from ..catalogue.read_cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from ..catalogue.text import format_date
from ..outputs.api import API_FILES
from ..outputs.citations import bibtex, citation_file, citation_text, ris
from ..outputs.feeds import atom_feed, feeds
from ..outputs.sharing import alternate_feeds, head_meta
from ..pages import BriefPage, ListingPage, View, plan_pages
from ..redirects import plan_redirects, redirect_html
from ..render_cache import RenderCache, salt
from ..sanitize import clean_html
from ..structured_data import brief_json_ld, script_json
from .config import ArchiveConfig
from .dirty_rebuilds import DirtyRebuilds, site_wide_digest
from .body_workers import BodyWorkers
from .page_workers import PageWorkers, worker_count
from .shared_partials import SharedPartials

log = get_plugin_logger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
STYLESHEETS = ("assets/briefing-archive.css", "assets/briefing-archive-print.css")


def drafts_enabled(option: bool) -> bool:
    return option or os.environ.get("BRIEFS_DRAFTS", "").lower() in ("1", "true", "yes")


def _stop_on_errors(report: Report) -> None:
    """Prints every problem in the words `briefs check` uses; any error stops the build."""
    for problem in report.sorted():
        (log.error if problem.is_error else log.info)(str(problem))
    if report.errors:
        count = len(report.errors)
        raise PluginError(f"{count} content error{'s' * (count != 1)}: fix the lines above; nothing was published")


class _WarningCount(logging.Handler):
    """Counts warnings while a body renders: a body that warned is not cached, so it warns again."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _toc_tokens(items: list[AnchorLink]) -> list[dict]:
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _toc_tokens(i.children)} for i in items]


def _saved_render(page: Page, content: str) -> dict:
    """What MkDocs' render of a page leaves on it, in a form the render cache can keep."""
    return {
        "html": content,
        "toc": _toc_tokens(list(page.toc)),
        "anchors": sorted(page.present_anchor_ids or ()),
        "links_to_anchors": {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()},
    }


_NOTHING_RENDERED = {"html": "", "toc": [], "anchors": [], "links_to_anchors": {}}


def _render_from(saved: dict, page: Page, files: Files, markdown: str) -> None:
    """Replaces `page.render` for this page with putting back what an earlier render of this
    `markdown` left (unless a later plugin changed the Markdown after all).

    MkDocs builds a new Markdown converter for every page it renders, which costs more than
    the rest of a cached or empty page's build; the page ends up as that render leaves it.
    """
    def render(config: MkDocsConfig, files_now: Files) -> None:
        if page.markdown != markdown:
            return Page.render(page, config, files_now)
        page.content = saved["html"]
        page.toc = get_toc(saved["toc"])
        page.present_anchor_ids = set(saved["anchors"])
        linked = ((files.get_file_from_path(uri), links) for uri, links in saved["links_to_anchors"].items())
        page.links_to_anchors = {f: links for f, links in linked if f is not None}

    page.render = render


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


def _autoescape_archive_templates(name: str | None) -> bool:
    return bool(name) and name.startswith("archive/")


# MkDocs commands whose process ends once plugins' on_shutdown has run (not `serve`'s rebuilds).
EXITS_AFTER_SHUTDOWN = frozenset({"build", "gh-deploy"})


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    # Kept across the builds of one `mkdocs serve` (MkDocs keeps a plugin that has on_startup).
    load_memo: LoadMemo | None = None
    rebuilds: DirtyRebuilds | None = None
    dirty = False  # `--dirty`: MkDocs builds only pages whose source is newer than their output
    command = ""  # the MkDocs command running (on_startup); empty when a build is run without one

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty, self.command = dirty, command
        self.load_memo = LoadMemo() if command == "serve" else None
        self.rebuilds = DirtyRebuilds() if command == "serve" and dirty else None
        if self.rebuilds:
            logging.getLogger("mkdocs.commands.build").addFilter(self.rebuilds.quiet)

    def on_shutdown(self) -> None:
        if self.rebuilds:
            logging.getLogger("mkdocs.commands.build").removeFilter(self.rebuilds.quiet)
        if self.command in EXITS_AFTER_SHUTDOWN:
            # The process exits next. Its last garbage collection would walk everything the build
            # made only to free memory the system takes back anyway: 4 s at 10,000 briefs.
            gc.freeze()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.rebuilding = bool(self.rebuilds and self.rebuilds.built)
        if self.rebuilding:
            self.rebuilds.collector.pause()
        self.warnings = _WarningCount()
        config.theme.dirs.append(str(PACKAGE_DIR / "templates"))
        config.extra_css.extend(s for s in STYLESHEETS if s not in config.extra_css)
        root = Path(config.config_file_path).resolve().parent
        paths = ArchivePaths(root=root, docs_dir=Path(config.docs_dir).resolve(),
                             config_dir=root / self.config.vocabularies)
        self.show_drafts = drafts_enabled(self.config.drafts)
        loaded = load_archive(paths, site_name=config.site_name, include_drafts=self.show_drafts, memo=self.load_memo,
                              cache_dir=root / self.config.cache_dir if self.config.cache_dir else None)
        _stop_on_errors(loaded.report)
        self.loaded = loaded
        self.catalogue: Catalogue = loaded.catalogue
        self.plan: dict[str, View] = self.rebuilds.pages(self.catalogue, self.config.page_size) if self.rebuilds \
            else plan_pages(self.catalogue, self.config.page_size)
        if self.rebuilds:
            self.rebuilds.start(root / (self.config.cache_dir or DEFAULT_CACHE_DIR) / "serve")
            template_dirs = [str(PACKAGE_DIR / "templates")] + ([config.theme.custom_dir] if config.theme.custom_dir else [])
            self.rebuilds.plan(self.plan, self.catalogue,
                               site_wide_digest(config, self.config, self.catalogue, template_dirs), loaded.sources)
        self.hidden_drafts = {b.src_uri for b in loaded.briefs.values() if b.draft and not self.show_drafts}
        self.cache = None
        if self.config.cache_dir:
            markdown_config = (config.markdown_extensions, config.mdx_configs, config.use_directory_urls)
            path, body_salt = root / self.config.cache_dir / "bodies.json", salt(markdown_config, self.config.embed_hosts)
            kept = self.rebuilds.render_cache if self.rebuilds else None
            self.cache = kept if kept and (kept.path, kept.salt) == (path, body_salt) else RenderCache(path, body_salt)
        self.pending: dict[str, tuple[str, int]] = {}
        self.sanitized: dict[str, str] = {}  # src_uri -> the HTML a worker of this build rendered and sanitized
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self.page_workers = PageWorkers()
        self.body_workers = BodyWorkers()
        self.rendered_here: dict[str, tuple[str, dict]] = {}
        return config

    # Runs after other plugins have added their files, so a generated page never hides a real one.
    @event_priority(-50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for src_uri in self.hidden_drafts:
            draft = files.src_uris.get(src_uri)
            if draft:
                files.remove(draft)
        if self.rebuilds:
            self.rebuilds.begin_files(files, config, _nav_src_uris(config.nav))
            add = self.rebuilds.add
        else:
            def add(src_uri: str, content: str) -> None:
                files.append(File.generated(config, src_uri, content=content))
        self.generated_pages = set()
        for src_uri in self.plan:
            if src_uri not in files.src_uris:
                # Under a dirty rebuild, the stub holds the fingerprint: the page is built again when it changes.
                add(src_uri, self.rebuilds.fingerprints[src_uri] if self.rebuilds else "")
                self.generated_pages.add(src_uri)
        for stylesheet in STYLESHEETS:
            files.append(File.generated(config, stylesheet, abs_src_path=str(PACKAGE_DIR / stylesheet)))
        site_url = config.site_url or ""
        size = self.config.feed_size
        for feed in feeds(self.catalogue):
            make = partial(atom_feed, feed, self.catalogue, site_url, size)
            add(feed.url, self.rebuilds.output("feed", feed.url, feed.listing.briefs[:size], make) if self.rebuilds else make())
        for src_uri, render in API_FILES.items():
            make = partial(render, self.catalogue, site_url)
            add(src_uri, self.rebuilds.all_briefs_output("api", src_uri, make) if self.rebuilds else make())
        for brief in self.catalogue.latest:
            for extension, render in (("bib", bibtex), ("ris", ris)):
                make = partial(render, brief, config.site_name, site_url)
                add(citation_file(brief, extension),
                    self.rebuilds.output(extension, brief.slug, (brief,), make) if self.rebuilds else make())
        taken = self.rebuilds.dest_uris() if self.rebuilds else {f.dest_uri for f in files}
        redirects, report = plan_redirects(self.loaded, taken)
        _stop_on_errors(report)
        for redirect in redirects:
            add(redirect.dest_uri, redirect_html(redirect, site_url))
        if self.rebuilds:
            self.rebuilds.settle(self._brief_link_targets)
        return files

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        """A brief's body as the loader read it: MkDocs would read the file again and parse its
        front matter with the pure-Python YAML loader, for fields the page never shows (see
        on_page_markdown). The blank line first ends MkDocs' MultiMarkdown meta at once; MkDocs
        drops it with the body's leading newlines, as it does after front matter."""
        brief = self.catalogue.by_src_uri.get(page.file.src_uri)
        source = self.loaded.sources.get(brief.slug) if brief else None
        return "\n" + source.body if source else None

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        view = self.plan.get(page.file.src_uri)
        if view is None:
            return markdown
        if page.file.src_uri in self.generated_pages:
            markdown = ""  # what a stub holds is no content
        # Editors' fields never reach the theme's meta: the theme prints meta unescaped.
        page.meta = {"template": view.template, "title": html.escape(view.title), "hide": ["navigation", "toc"]}
        if isinstance(view, BriefPage):
            brief = view.brief
            page.meta["description"] = html.escape(brief.summary)
            links = scan(markdown).wiki
            if links:
                markdown = replace_wiki_links(markdown, links, lambda link: self._wiki_link(link, brief.src_uri))
            if self.cache:
                key = self.cache.key(brief.src_uri, markdown, file_targets(scan(markdown).targets, brief.src_uri),
                                     lambda target: files.get_file_from_path(target) is not None)
                from_worker = self.body_workers.body_for(brief.src_uri)
                if from_worker and from_worker[0] == key:
                    self.cache.put(*from_worker)
                    self.sanitized[brief.src_uri] = from_worker[1]["html"]
                body = self.cache.get(key)
                if body is not None:
                    _render_from(body, page, files, "")
                    return ""
                self.pending[brief.src_uri] = (key, self.warnings.count)
        elif not markdown.strip():  # a generated page: everything on it comes from its template
            _render_from(_NOTHING_RENDERED, page, files, markdown)
        return markdown

    def _wiki_link(self, link: WikiLink, from_src_uri: str) -> str:
        """A Markdown link to the brief's source file, which MkDocs turns into its relative URL."""
        target = self.loaded.briefs[link.slug]
        path = posixpath.relpath(target.src_uri, posixpath.dirname(from_src_uri))
        text = link.text if link.text is not None else markdown_text(target.title)
        return f"[{text}](<{path}>)"

    def _brief_link_targets(self, src_uri: str) -> list[str] | None:
        """The files a brief's body links to, or None for a page that is not a brief."""
        brief = self.catalogue.by_src_uri.get(src_uri)
        if brief is None:
            return None
        links = self.loaded.body_links[brief.slug]
        wiki = [self.loaded.briefs[link.slug].src_uri for link in links.wiki if link.slug in self.loaded.briefs]
        return wiki + file_targets(links.targets, src_uri)

    def on_page_content(self, content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        src_uri = page.file.src_uri
        # Bodies from the cache file too: it is a file in the repository that a pull request could
        # bring. Not the very HTML a worker forked from this build rendered and sanitized.
        if content and self.sanitized.pop(src_uri, None) is not content:
            content = clean_html(content, frozenset(self.config.embed_hosts))
        if src_uri in self.pending:
            key, warnings_before = self.pending.pop(src_uri)
            if self.warnings.count == warnings_before:
                self.cache.put(key, _saved_render(page, content))
                self.rendered_here[src_uri] = (key, self.cache.used[key])
        return content

    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        self.nav = nav
        pages = list(files.documentation_pages())
        # The files are final here: the same count serves the body workers now, the page workers later.
        self.workers = worker_count(self.config.build_workers, config, len(pages))
        briefs = [file for file in pages if isinstance(self.plan.get(file.src_uri), BriefPage)]
        # Only when most bodies are missing from the cache: for a cached body a worker saves nothing.
        if self.workers > 1 and self.cache and not self.dirty and len(self.cache.stored) < len(briefs) / 2:
            self.body_workers.start(self.workers, briefs, config, files,
                                    lambda src_uri: self.rendered_here.pop(src_uri, None))
        return nav

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.page_workers.processes:
            log.debug(f"{len(self.page_workers.given_away)} pages built by page workers")
        self.page_workers.finish()  # before the search plugin indexes the pages they wrote
        if self.rebuilds:
            self.rebuilds.finished()
            self.rebuilds.collector.resume()
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.cache:
            log.debug(f"rendered bodies: {self.cache.hits} from the cache, {self.cache.misses} rendered")
            if not self.rebuilding:
                self.cache.save()
            if self.rebuilds:
                self.cache.next_build()
                self.rebuilds.render_cache = self.cache

    def on_build_error(self, error: Exception) -> None:
        if self.rebuilds:
            self.rebuilds.collector.resume()
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if hasattr(self, "page_workers"):
            self.page_workers.stop()
            self.body_workers.stop()

    def _set_up_env(self, env, config: MkDocsConfig, files: Files):
        self.body_workers.finish()  # every page has been read and rendered by now
        self.rendered_here.clear()
        # The theme's own templates are not autoescaped; ours are, so nothing an editor
        # writes can become markup on a page.
        env.autoescape = _autoescape_archive_templates
        env.filters["archive_date"] = format_date
        SharedPartials(self.nav).install(env, config.theme)
        if self.rebuilds:
            env.bytecode_cache = self.rebuilds.templates
        # Here rather than as each page is read: a dirty rebuild reads only the pages it builds,
        # and the sitemap lists every page's date.
        for file in files.documentation_pages():
            view = self.plan.get(file.src_uri)
            if isinstance(view, BriefPage):
                file.page.update_date = (view.brief.updated or view.brief.date).isoformat()
            elif self.catalogue.last_change:
                file.page.update_date = self.catalogue.last_change.isoformat()
        return env

    @event_priority(-100)  # last: workers must see the environment every plugin has set up
    def _start_page_workers(self, env, config: MkDocsConfig, files: Files):
        if self.workers > 1:
            self.page_workers.start(self.workers, config, files, self.nav, env, self.dirty)
        return env

    on_env = CombinedEvent(_set_up_env, _start_page_workers)

    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        view = self.plan.get(page.file.src_uri)
        if view is None or self.page_workers.is_given_away(page.file.src_uri):
            return context
        site_url = config.site_url or ""
        context["archive"] = self.catalogue
        context["view"] = view
        context["archive_options"] = self.config
        if isinstance(view, ListingPage):
            # rel=prev/next in the head are the listing's own pages (listing.html), not the
            # page's neighbours in the navigation, which the theme would print as well.
            page.previous_page = page.next_page = None
        context["archive_head"] = {
            "feeds": alternate_feeds(view, self.catalogue),
            "meta": head_meta(view, self.catalogue, site_url, self.config.share_image),
        }
        if isinstance(view, BriefPage):
            brief = view.brief
            context["json_ld"] = script_json(brief_json_ld(brief, config.site_name, site_url))
            context["citation"] = {
                "text": citation_text(brief, config.site_name, site_url),
                "bibtex": citation_file(brief, "bib"),
                "ris": citation_file(brief, "ris"),
            }
        return context

    def on_template_context(self, context, template_name: str, config: MkDocsConfig):
        if template_name == "sitemap.xml" and self.rebuilds:
            context["pages"] = self.rebuilds.sitemap_pages()  # with the pages a rebuild leaves out
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        self.page_workers.page_built(page)
        return output

    def on_serve(self, server, config: MkDocsConfig, builder):
        server.watch(str(Path(config.config_file_path).resolve().parent / self.config.vocabularies))
        return server
