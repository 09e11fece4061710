"""The glue for `mkdocs serve --dirty`, and for a warm `mkdocs build`: MkDocs builds a page or
copies a file again only when its source is newer than its output (under `build`, only when it is
handed the file at all), and our fingerprints (incremental.py) decide what is newer.

- Generated pages and files get a stand-in source file (a stub) in the cache folder, rewritten
  only when the page's fingerprint or the file's text changes.
- A brief page whose fingerprint changed while its own file did not (a neighbour was retitled)
  loses its output, which makes MkDocs build it again; so does a page that no longer exists.
- A rebuild leaves out of MkDocs' files what stays as the last build wrote it (DirtyRebuilds).
- What a build did is kept for the next rebuild only once that build has finished.

Under `serve` what the last build did is kept in memory and its site is still there. A warm
`build` (site_mirror.py) reads it from the last build's state file, hands MkDocs generated files
with their text (no stubs: what is handed over is built), and puts back the files it leaves
out from the kept copy of the last build's output, since MkDocs empties `site/` first.
"""

from __future__ import annotations

import gc
import hashlib
import os
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

import jinja2
import jinja2.bccache

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from .. import cache_salt, engine
from ..canonical import Unkeyable, canonical
from ..catalogue import Brief, Catalogue
from ..engine import internals
from ..catalogue.embedded import EmbeddedPage
from ..catalogue.links import file_targets, scan
from ..catalogue.reading import MarkdownSource
from ..incremental import BriefDigests, Remembered, RememberedRelated, StubFiles, digest, page_fingerprints
from ..pages import View, plan_pages
from ..render_cache import RenderCache, extension_distributions


def site_wide_digest(config: MkDocsConfig, options: object, catalogue: Catalogue, template_dirs: list[str]) -> str:
    """What every page shows besides briefs: configuration, vocabularies, authors, templates.
    Settings in their canonical text (within one `serve` process, repr() would do; canonical
    text does not depend on that); templates by their text (a fresh checkout gives every file a
    new time)."""
    try:
        settings = canonical(dict(options), config.site_name, config.site_url or "", config.nav, config.theme.dirs,
                             config.markdown_extensions, config.mdx_configs, config.use_directory_urls,
                             [str(s) for s in config.extra_css], [str(s) for s in config.extra_javascript],
                             dict(config.extra))
    except Unkeyable:  # no stable text: a new digest each build, so every page is built again
        settings = repr(object())
    parts = [settings, repr(catalogue.topics), repr(catalogue.types), repr(catalogue.programs),
             repr(catalogue.authors), repr(catalogue.series), str(catalogue.last_change)]
    for folder in template_dirs:  # edits to our own or the site's template overrides
        for base, _dirs, names in sorted(os.walk(folder)):
            for name in sorted(names):
                with open(os.path.join(base, name), "rb") as template:
                    parts.append(f"{base}/{name}:{hashlib.sha1(template.read()).hexdigest()}")
    return digest(*parts)


# Settings that say where things are, not what a page shows.
_PLACES = frozenset({"plugins", "theme", "config_file_path", "site_dir", "docs_dir", "watch", "dev_addr", "strict"})
# What renders a page besides this package, whose every file goes into the salt too.
_LIBRARIES = ("mkdocs", "properdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "markupsafe",
              "nh3", "citeproc-py", "lxml", "pyyaml", "python-frontmatter", "babel")


def warm_salt(config: MkDocsConfig, package_dir: Path) -> str:
    """What every page of a warm build depends on besides what the page fingerprints cover: the
    engine and the libraries that render, this package's code and templates, and every setting
    (the theme's and each plugin's included). Raises Unkeyable for a setting with no stable text."""
    settings = canonical({key: value for key, value in config.items() if key not in _PLACES}, dict(config.theme),
                         config.theme.dirs, {name: dict(plugin.config) for name, plugin in config.plugins.items()})
    code = sorted(path for path in package_dir.rglob("*") if path.is_file() and path.suffix != ".pyc")
    libraries = sorted(set(_LIBRARIES).union(extension_distributions(config.markdown_extensions)))
    return cache_salt.salt([engine.NAME, settings], libraries, code)


@dataclass(frozen=True)
class BuiltPage:
    """What the sitemap reads (as `file.page.…`) of a page that a rebuild leaves as it was."""

    canonical_url: str | None
    abs_url: str | None
    update_date: str
    is_link = False

    @property
    def page(self) -> "BuiltPage":
        return self


class DirtyRebuilds:
    """What one `mkdocs serve --dirty` remembers from build to build, and what it tells MkDocs.

    After a first build, a rebuild hands MkDocs only the files it must build or copy again (plus
    the pages those link to and the navigation's): MkDocs makes a Page for every Markdown file
    it is given, which at 10,000 briefs costs more than the rebuild itself. What is left out is
    already in the site as the last build wrote it; the sitemap lists it from what that build saw.
    """

    def __init__(self, site_dir: Path | None = None) -> None:
        """`site_dir`: a warm `build`'s output folder, which it writes from empty; None under `serve`."""
        self.site_dir = site_dir
        self.related = RememberedRelated()
        self.brief_digests = BriefDigests()
        self.planned_from: tuple | None = None  # (catalogue, page size) of `planned`
        self.fingerprinted_from: tuple | None = None  # (plan, site-wide digest, catalogue readers) of `fingerprints`
        self.stubs: StubFiles | None = None
        # As the last finished build left them, by src_uri:
        self.built: dict[str, str] = {}  # planned page -> its fingerprint
        self.generated_built: dict[str, str] = {}  # generated file -> its stub's text
        self.dests_built: dict[str, str] = {}  # every file -> its dest_uri
        self.sources_built: dict[str, MarkdownSource] = {}  # brief page -> its source as read
        self.sitemap_built: dict[str, BuiltPage] = {}  # every page -> what the sitemap shows of it
        self.read_catalogue_built: frozenset[str] = frozenset()  # pages whose template read the whole catalogue
        self.outputs = Remembered()
        self.render_cache: RenderCache | None = None  # the bodies, kept in memory from build to build
        self.templates = TemplateCache()
        self.dirty_notice = internals.DirtyBuildNotice()
        self.collector = CollectorPause()

    def start(self, stub_folder: Path) -> None:
        if self.stubs is None or self.stubs.folder != stub_folder:
            self.stubs = StubFiles(stub_folder)

    def pages(self, catalogue: Catalogue, page_size: int) -> dict[str, View]:
        """Every page, planned again only when the catalogue is not the last build's (the
        loader hands it over as it was when an edit changed a brief's text alone)."""
        if self.planned_from is None or self.planned_from[0] is not catalogue or self.planned_from[1] != page_size:
            self.planned_from = (catalogue, page_size)
            self.planned = plan_pages(catalogue, page_size, self.related.index_for(catalogue))
        return self.planned

    def plan(self, plan: dict[str, View], catalogue: Catalogue, site_wide: str,
             sources: dict[str, MarkdownSource], embedded: dict[str, EmbeddedPage]) -> None:
        """`sources`: each brief's source as read, by slug; the loader hands over an unchanged
        file's source as the object it read before. `embedded`: the pages with ```briefs blocks."""
        # Under `serve`, the loader hands over an unchanged file's source as the same object;
        # a new process compares their bodies' digests.
        self.sources = {brief.src_uri: sources[brief.slug] if self.site_dir is None else digest(sources[brief.slug].body)
                        for brief in catalogue.every}
        self.site_wide, self.digests = site_wide, self.brief_digests.of(catalogue)
        self.everything = digest(site_wide, *self.digests.values())
        self.contexts: set[str] = set()  # pages whose template this build renders
        self.reading: set[str] = set()  # of those, the ones that read the whole catalogue
        readers = self.read_catalogue_built
        if self.fingerprinted_from is None or self.fingerprinted_from[0] is not plan \
                or self.fingerprinted_from[1:] != (site_wide, readers, embedded):
            self.fingerprinted_from = (plan, site_wide, readers, embedded)
            self.fingerprints = page_fingerprints(plan, catalogue, site_wide, self.digests, readers, embedded)

    def catalogue_for(self, src_uri: str, catalogue: Catalogue, view: View) -> "CatalogueReads":
        """The catalogue as the template of the page `src_uri` sees it: noting whether it reads
        more of it than its view's fingerprint covers."""
        self.contexts.add(src_uri)
        return CatalogueReads(catalogue, partial(self.reading.add, src_uri),
                              getattr(view, "SUBJECT_QUERIES", frozenset()), getattr(view, "subject_key", None))

    def add_output(self, src_uri: str, kind: str, name: str, briefs: Iterable[Brief], make: Callable[[], str]) -> None:
        """A generated file `make()` makes from these briefs and the site-wide settings: under
        `serve`, what it made last time from the same; a warm build compares what it is made
        from with the last build's, so an unchanged file is not even made."""
        self._add_made(src_uri, (kind, name, self.site_wide, *(self.digests[b.slug] for b in briefs)), make)

    def add_all_briefs_output(self, src_uri: str, kind: str, make: Callable[[], str]) -> None:
        """Likewise for a file made from every brief."""
        self._add_made(src_uri, (kind, src_uri, self.everything), make)

    def _add_made(self, src_uri: str, made_from: tuple[str, ...], make: Callable[[], str]) -> None:
        if self.site_dir is None:
            self.add(src_uri, self.outputs.get(made_from, make))
        else:
            self.add(src_uri, make, kept_as=digest(*made_from))

    def begin_files(self, files: Files, config: MkDocsConfig, always: Iterable[str]) -> None:
        """`always`: files every build hands MkDocs (the navigation's pages)."""
        self.files, self.config, self.always = files, config, frozenset(always)
        self.generated: dict[str, str] = {}
        self.left_out: set[str] = set()
        self.kept: set[str] = set()  # a warm build's pages as the last build wrote them, not rendered
        self.order = [file.src_uri for file in files if file.is_documentation_page()]

    def add(self, src_uri: str, content: str | Callable[[], str], kept_as: str | None = None) -> None:
        """A generated file, standing on a stub file that holds `content` (a page's fingerprint);
        left out when the last finished build wrote it with the same content (never in a first
        build, which has no last). A warm build hands MkDocs the content itself, and compares
        `kept_as` (what the content is made from), or the content's digest."""
        if kept_as is None:
            kept_as = content if self.site_dir is None else digest(content)  # a state file holds digests
        if self._leaves_out(src_uri, kept_as):
            return
        if callable(content):
            content = content()
        if self.site_dir is None:
            self.files.append(File.generated(self.config, src_uri, abs_src_path=self.stubs.path(src_uri, content)))
        else:
            self.files.append(File.generated(self.config, src_uri, content=content))

    def add_file(self, src_uri: str, made_from: str, path: Callable[[], str]) -> File | None:
        """A generated file copied from the file at `path()` (a share card), left out (None) when
        the last finished build wrote it from the same `made_from`; otherwise, under `serve`, its
        output is removed first, so MkDocs copies it whatever the two files' times say (a card
        drawn before may come back)."""
        if self._leaves_out(src_uri, made_from):
            return None
        file = File.generated(self.config, src_uri, abs_src_path=path())
        if self.site_dir is None:
            _remove(file.abs_dest_path)
        self.files.append(file)
        return file

    def _leaves_out(self, src_uri: str, kept_as: str) -> bool:
        """Notes a generated file and what it is kept as; whether the last finished build wrote it
        from the same, so this one leaves it out."""
        self.generated[src_uri] = kept_as
        if src_uri.endswith(".md"):
            self.order.append(src_uri)
        if self.generated_built.get(src_uri) == kept_as and src_uri not in self.always:
            self.left_out.add(src_uri)
            return True
        return False

    def dest_uris(self) -> set[str]:
        """Where every file of this build goes, left out or not."""
        return {file.dest_uri for file in self.files} | {self.dests_built[src_uri] for src_uri in self.left_out}

    def settle(self, brief_links: Callable[[str], list[str] | None]) -> None:
        """Once every file is in: removes the output of every page to build again that MkDocs
        would think unchanged, and what the last build wrote that this one will not (a brief
        deleted or renamed); leaves out the brief pages that stay as they are, unless a page
        built again links to them. `brief_links(src_uri)`: the files a brief's body links to."""
        files = self.files
        unchanged: list[File] = []
        for src_uri, fingerprint in self.fingerprints.items():
            file = files.src_uris.get(src_uri)
            if file is None or src_uri in self.generated:
                continue
            before = self.built.get(src_uri)
            if before is not None and before != fingerprint:
                if self.site_dir is None:
                    _remove(file.abs_dest_path)
            elif before == fingerprint and src_uri not in self.always and src_uri in self.sources \
                    and self._same_source(src_uri):  # a brief page, its file as it was
                unchanged.append(file)
        if self.site_dir is not None:
            # A warm build keeps them among MkDocs' files (so links to them resolve and their
            # anchors are checked as in a full build) but does not render their template.
            self.kept = {file.src_uri for file in unchanged}
            unchanged = []
        staying = {file.src_uri for file in unchanged}
        linked: set[str] = set()
        for file in files if staying else ():
            if file.src_uri in staying or file.src_uri in self.generated or not file.is_documentation_page():
                continue
            targets = brief_links(file.src_uri)
            if targets is None and file.is_modified():  # another page MkDocs builds again: an author's profile
                targets = file_targets(scan(file.content_string).targets, file.src_uri)
            linked.update(targets or ())
        for file in unchanged:
            if file.src_uri not in linked:
                files.remove(file)
                self.left_out.add(file.src_uri)
        self.dests = {src_uri: file.dest_uri for src_uri, file in files.src_uris.items()}
        self.dests.update((src_uri, self.dests_built[src_uri]) for src_uri in self.left_out)
        if self.site_dir is None:
            for gone in set(self.dests_built.values()) - set(self.dests.values()):
                _remove(os.path.join(self.config.site_dir, gone))

    def _same_source(self, src_uri: str) -> bool:
        before, now = self.sources_built.get(src_uri), self.sources[src_uri]
        return before is now or (self.site_dir is not None and before == now)

    def left_out_dests(self) -> list[str]:
        """Where the files this build leaves out, or keeps without rendering, go (a warm `build`
        puts them back there)."""
        return sorted([self.dests_built[src_uri] for src_uri in self.left_out] + [self.dests[src_uri] for src_uri in self.kept])

    def written_dests(self) -> list[str]:
        """Where this build's pages and generated files go: what a warm build keeps for the next."""
        made = (self.fingerprints.keys() | self.generated.keys()) - self.kept
        return sorted(file.dest_uri for src_uri, file in self.files.src_uris.items() if src_uri in made)

    def pages_rendered(self) -> tuple[list[str], list[str]]:
        """In a page worker: the pages whose template it rendered, and those that read the whole catalogue."""
        return sorted(self.contexts), sorted(self.reading)

    def learn(self, rendered: tuple[list[str], list[str]]) -> None:
        """What a page worker's `pages_rendered` said."""
        contexts, reading = rendered
        self.contexts.update(contexts)
        self.reading.update(reading)

    def record(self) -> dict:
        """What the next build in a new process needs of this finished one (JSON)."""
        return {
            "built": self.built, "generated": self.generated_built, "dests": self.dests_built,
            "sources": self.sources_built, "read_catalogue": sorted(self.read_catalogue_built),
            "sitemap": {src_uri: [page.canonical_url, page.abs_url, page.update_date]
                        for src_uri, page in self.sitemap_built.items()},
            "related": self.related.record(),
        }

    def resume(self, record: dict, present: set[str]) -> None:
        """Takes up where the build that left `record` finished; `present`: the destinations whose
        files are still kept as it wrote them (what is not is built again)."""
        dests = record["dests"]
        kept = {src_uri for src_uri, dest_uri in dests.items() if dest_uri in present}
        self.built = {src_uri: fingerprint for src_uri, fingerprint in record["built"].items() if src_uri in kept}
        self.generated_built = {src_uri: text for src_uri, text in record["generated"].items() if src_uri in kept}
        self.dests_built, self.sources_built = dests, record["sources"]
        self.read_catalogue_built = frozenset(record["read_catalogue"])
        self.sitemap_built = {src_uri: BuiltPage(*page) for src_uri, page in record["sitemap"].items()}
        self.related.resume(record["related"])

    def sitemap_pages(self) -> list:
        """Every page in the order a full build lists them: this build's, or what the last showed."""
        return [self.files.src_uris.get(src_uri) or self.sitemap_built[src_uri] for src_uri in self.order]

    def finished(self) -> None:
        present = self.files.src_uris
        self.built = {src_uri: fingerprint for src_uri, fingerprint in self.fingerprints.items()
                      if src_uri in present or src_uri in self.left_out}
        self.generated_built, self.dests_built, self.sources_built = self.generated, self.dests, self.sources
        self.read_catalogue_built = frozenset((self.read_catalogue_built - self.contexts) | self.reading)
        self.sitemap_built = {
            src_uri: BuiltPage(file.page.canonical_url, file.page.abs_url, file.page.update_date)
            if (file := present.get(src_uri)) else self.sitemap_built[src_uri]
            for src_uri in self.order}
        self.outputs.finished()


class CatalogueReads:
    """The catalogue, noting when a template reads it beyond what its page's fingerprint covers
    (such a page shows every brief): anything but the view's `subject_queries` asked of its own
    subject."""

    __slots__ = ("_catalogue", "_noted", "_subject_queries", "_subject")

    def __init__(self, catalogue: Catalogue, noted: Callable[[], None], subject_queries: frozenset[str],
                 subject: str | None) -> None:
        self._catalogue, self._noted = catalogue, noted
        self._subject_queries, self._subject = subject_queries, subject

    def __getattr__(self, name: str):
        value = getattr(self._catalogue, name)
        if name not in self._subject_queries:
            self._noted()
            return value

        def asked(key: str, *args, **kwargs):
            if key != self._subject:
                self._noted()
            return value(key, *args, **kwargs)

        return asked


class CollectorPause:
    """A rebuild allocates among millions of objects that outlive it (the catalogue, the memos, the
    last build's pages), and Python's cyclic collector walks them all several times per rebuild:
    2 to 3 s of a 10,000-brief rebuild. A rebuild renders few pages and leaves little garbage, so
    the collector is paused while it runs and collects once, a moment after, while the editor
    reads the page. Not for a first build: rendering every page leaves too much garbage."""

    COLLECT_AFTER_S = 2.0

    def __init__(self) -> None:
        self.paused = False
        self.later: threading.Timer | None = None

    def pause(self) -> None:
        if self.later:
            self.later.cancel()
        if gc.isenabled():
            gc.disable()
            self.paused = True

    def resume(self) -> None:
        if not self.paused:
            return
        gc.enable()
        self.paused = False
        self.later = threading.Timer(self.COLLECT_AFTER_S, gc.collect)
        self.later.daemon = True
        self.later.start()


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory from build to build (MkDocs makes a new Jinja
    environment for each); Jinja checks each against its template's source."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
