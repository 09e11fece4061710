"""The `briefing-archive` MkDocs plugin: thin event handlers over the catalogue and the page plan.

Order of a build:
- on_config   reads and checks the whole archive once (catalogue), plans every page;
              any content error stops the build here, before anything is written.
- on_files    drops drafts (unless shown), adds the generated pages, feeds, JSON API,
              citation files, alias redirects and our stylesheets.
- on_page_markdown  gives each archive page its template, title and dates.
- on_page_content   sanitizes what editors wrote.
- on_page_context   hands the page's view (a brief, a listing page, an index) to its template.
"""

from __future__ import annotations

import html
import os
import posixpath
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ..catalogue import ArchivePaths, Catalogue, Report, load_archive
from ..catalogue.links import WikiLink, markdown_text, replace_wiki_links, scan
from ..catalogue.text import format_date
from ..outputs.api import API_FILES
from ..outputs.citations import bibtex, citation_file, citation_text, ris
from ..outputs.feeds import atom_feed, feeds
from ..outputs.sharing import alternate_feeds, head_meta
from ..pages import BriefPage, ListingPage, View, plan_pages
from ..redirects import plan_redirects, redirect_html
from ..sanitize import clean_html
from ..structured_data import brief_json_ld, script_json
from .config import ArchiveConfig

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


def _autoescape_archive_templates(name: str | None) -> bool:
    return bool(name) and name.startswith("archive/")


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config.theme.dirs.append(str(PACKAGE_DIR / "templates"))
        config.extra_css.extend(s for s in STYLESHEETS if s not in config.extra_css)
        root = Path(config.config_file_path).resolve().parent
        paths = ArchivePaths(root=root, docs_dir=Path(config.docs_dir).resolve(),
                             config_dir=root / self.config.vocabularies)
        self.show_drafts = drafts_enabled(self.config.drafts)
        loaded = load_archive(paths, site_name=config.site_name, include_drafts=self.show_drafts)
        _stop_on_errors(loaded.report)
        self.loaded = loaded
        self.catalogue: Catalogue = loaded.catalogue
        self.plan: dict[str, View] = plan_pages(self.catalogue, self.config.page_size)
        self.hidden_drafts = {b.src_uri for b in loaded.briefs.values() if b.draft and not self.show_drafts}
        self.newest = max((b.updated or b.date for b in self.catalogue.latest), default=None)
        return config

    # Runs after other plugins have added their files, so a generated page never hides a real one.
    @event_priority(-50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for src_uri in self.hidden_drafts:
            draft = files.get_file_from_path(src_uri)
            if draft:
                files.remove(draft)
        for src_uri in self.plan:
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, content=""))
        for stylesheet in STYLESHEETS:
            files.append(File.generated(config, stylesheet, abs_src_path=str(PACKAGE_DIR / stylesheet)))
        site_url = config.site_url or ""
        for feed in feeds(self.catalogue):
            files.append(File.generated(config, feed.url, content=atom_feed(feed, self.catalogue, site_url, self.config.feed_size)))
        for src_uri, render in API_FILES.items():
            files.append(File.generated(config, src_uri, content=render(self.catalogue, site_url)))
        for brief in self.catalogue.latest:
            for extension, render in (("bib", bibtex), ("ris", ris)):
                files.append(File.generated(config, citation_file(brief, extension),
                                            content=render(brief, config.site_name, site_url)))
        redirects, report = plan_redirects(self.loaded, {f.dest_uri for f in files})
        _stop_on_errors(report)
        for redirect in redirects:
            files.append(File.generated(config, redirect.dest_uri, content=redirect_html(redirect, site_url)))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        view = self.plan.get(page.file.src_uri)
        if self.newest:
            page.update_date = self.newest.isoformat()
        if view is None:
            return markdown
        # Editors' fields never reach the theme's meta: the theme prints meta unescaped.
        page.meta = {"template": view.template, "title": html.escape(view.title), "hide": ["navigation", "toc"]}
        if isinstance(view, BriefPage):
            brief = view.brief
            page.meta["description"] = html.escape(brief.summary)
            page.update_date = (brief.updated or brief.date).isoformat()
            links = scan(markdown).wiki
            if links:
                return replace_wiki_links(markdown, links, lambda link: self._wiki_link(link, brief.src_uri))
        return markdown

    def _wiki_link(self, link: WikiLink, from_src_uri: str) -> str:
        """A Markdown link to the brief's source file, which MkDocs turns into its relative URL."""
        target = self.loaded.briefs[link.slug]
        path = posixpath.relpath(target.src_uri, posixpath.dirname(from_src_uri))
        text = link.text if link.text is not None else markdown_text(target.title)
        return f"[{text}](<{path}>)"

    def on_page_content(self, content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return clean_html(content, frozenset(self.config.embed_hosts))

    def on_env(self, env, config: MkDocsConfig, files: Files):
        # The theme's own templates are not autoescaped; ours are, so nothing an editor
        # writes can become markup on a page.
        env.autoescape = _autoescape_archive_templates
        env.filters["archive_date"] = format_date
        return env

    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        view = self.plan.get(page.file.src_uri)
        if view is None:
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

    def on_serve(self, server, config: MkDocsConfig, builder):
        server.watch(str(Path(config.config_file_path).resolve().parent / self.config.vocabularies))
        return server
