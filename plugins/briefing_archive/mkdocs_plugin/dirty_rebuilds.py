"""The glue for `mkdocs serve --dirty`: MkDocs builds a page or copies a file again only when its
source is newer than its output, and our fingerprints (incremental.py) decide what is newer.

- Generated pages and files get a stand-in source file (a stub) in the cache folder, rewritten
  only when the page's fingerprint or the file's text changes.
- A brief page whose fingerprint changed while its own file did not (a neighbour was retitled)
  loses its output, which makes MkDocs build it again; so does a page that no longer exists.
- Fingerprints are kept for the next rebuild only once a build has finished.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from pathlib import Path
from typing import Callable, Iterable

import jinja2
import jinja2.bccache

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ..catalogue import Brief, Catalogue
from ..incremental import Remembered, RememberedRelated, StubFiles, brief_digests, digest, page_fingerprints
from ..pages import View


def site_wide_digest(config: MkDocsConfig, options: object, catalogue: Catalogue, template_dirs: list[str]) -> str:
    """What every page shows besides briefs: configuration, vocabularies, authors, templates."""
    parts = [repr(options), config.site_name, config.site_url or "", repr(config.nav), repr(config.theme.dirs),
             repr(config.extra_css), repr(config.extra_javascript), repr(config.extra),
             repr(catalogue.topics), repr(catalogue.types), repr(catalogue.programs), repr(catalogue.authors),
             str(catalogue.last_change)]
    for folder in template_dirs:  # edits to our own or the site's template overrides
        for base, _dirs, names in sorted(os.walk(folder)):
            for name in sorted(names):
                stat = os.stat(os.path.join(base, name))
                parts.append(f"{base}/{name}:{stat.st_mtime_ns}:{stat.st_size}")
    return digest(*parts)


class DirtyRebuilds:
    def __init__(self) -> None:
        self.related = RememberedRelated()
        self.stubs: StubFiles | None = None
        self.built: dict[str, str] = {}  # page src_uri -> its fingerprint, as last built
        self.outputs_built: set[str] = set()  # output file of every page and generated file, as last built
        self.planned: dict[str, str] = {}
        self.outputs_planned: set[str] = set()
        self.outputs = Remembered()
        self.templates = TemplateCache()
        self.quiet = AccurateDirtyBuilds()
        self.collector = CollectorPause()

    def start(self, stub_folder: Path) -> None:
        if self.stubs is None or self.stubs.folder != stub_folder:
            self.stubs = StubFiles(stub_folder)

    def file(self, config: MkDocsConfig, src_uri: str, content: str) -> File:
        return File.generated(config, src_uri, abs_src_path=self.stubs.path(src_uri, content))

    def plan(self, plan: dict[str, View], catalogue: Catalogue, site_wide: str) -> None:
        self.site_wide, self.digests = site_wide, brief_digests(catalogue)
        self.everything = digest(site_wide, *self.digests.values())
        self.fingerprints = page_fingerprints(plan, catalogue, site_wide, self.digests)

    def output(self, kind: str, name: str, briefs: Iterable[Brief], make: Callable[[], str]) -> str:
        """`make()`, or what it made last time from the same briefs and site-wide settings."""
        return self.outputs.get((kind, name, self.site_wide, *(self.digests[b.slug] for b in briefs)), make)

    def all_briefs_output(self, kind: str, name: str, make: Callable[[], str]) -> str:
        return self.outputs.get((kind, name, self.everything), make)

    def invalidate(self, files: Files) -> None:
        """Removes the output of every page to build again that MkDocs would think unchanged,
        and what the last build wrote that this one will not (a brief deleted or renamed)."""
        self.planned = {}
        for src_uri, fingerprint in self.fingerprints.items():
            file = files.src_uris.get(src_uri)
            if file is None:
                continue
            self.planned[src_uri] = fingerprint
            before = self.built.get(src_uri)
            if before is not None and before != fingerprint and not file.generated_by:
                _remove(file.abs_dest_path)
        self.outputs_planned = {file.abs_dest_path for file in files}
        for output in self.outputs_built - self.outputs_planned:
            _remove(output)

    def finished(self) -> None:
        self.built, self.outputs_built = self.planned, self.outputs_planned
        self.outputs.finished()


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


class AccurateDirtyBuilds(logging.Filter):
    """Drops MkDocs' warning that a dirty build may be inaccurate: with the fingerprints it is not."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
