"""Building pages on every core: forked workers render a share of the pages while MkDocs renders
the rest, so a large archive is not bound to one core (MkDocs builds pages one at a time).

Once every plugin's `on_env` has run, everything a page's build reads (config, navigation,
files, the Jinja environment, each page's rendered body) is final. Workers forked then run
MkDocs' own page build (the same code, so the same bytes) and write those pages. MkDocs goes
through the pages from the first; the workers take them from the last, and the two meet
wherever the work has split evenly: before building a page, this process claims it (in
`on_post_page` of the page before), and once a worker has it, this page and all after it get
a template that renders nothing, and the plugin's last `on_post_page` leaves it empty whatever
other plugins add, so MkDocs skips it without writing. Anything a worker logs is sent back and
logged here once it is done, so warnings still show and `--strict` counts them.

MkDocs' page-building step and the order of its loop are not public: they come through the
engine seam (`engine.internals`), on the engine versions it was tested on only.

It is only safe where no plugin keeps state from a page's build (a search index filled in
`on_page_context`, say), so it runs only with plugins known to keep none, and never where
another thread is running (`mkdocs serve`), because forking then is not safe.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
import traceback
from dataclasses import dataclass, field
from typing import Callable
from multiprocessing.connection import Connection

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .. import engine
from ..engine import internals

log = get_plugin_logger(__name__)

GIVEN_AWAY_TEMPLATE = "archive/built-by-worker.html"
# Plugins that keep nothing from one page's build to the next (ours).
STATELESS_PLUGINS = frozenset({"briefing-archive", "briefing-search"})
AUTO_FROM_PAGES = 300  # below this, forking costs more than it saves


def worker_count(option: int, config: MkDocsConfig, pages: int, dirty: bool) -> int:
    """Processes to build pages with, this one included (1 means MkDocs alone). `option`: the
    `build_workers` option (0: as many as there are cores, for a large archive whose plugins
    are all known to keep no state between pages). Never under `--dirty`: MkDocs then skips
    unchanged pages before any plugin event, so which page it builds next cannot be followed."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1 or dirty:
        return 1
    if option:
        count = max(1, option)
    elif pages < AUTO_FROM_PAGES or not set(config.plugins) <= STATELESS_PLUGINS:
        return 1
    else:
        count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if count > 1 and not internals.SUPPORTED:
        log.info(internals.UNSUPPORTED_NOTE)
        return 1
    return count


class Capture(logging.Handler):
    """In a worker: keeps what is logged, to be sent back, instead of printing it."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))

    @classmethod
    def installed(cls) -> "Capture":
        capture = cls()
        for name in ("", engine.LOGGER):
            logging.getLogger(name).handlers = [capture]
        return capture


Worker = tuple[multiprocessing.Process, Connection]


def fork_workers(count: int, name: str, target, args: tuple) -> list[Worker]:
    """`count - 1` forked processes running `target(*args, connection)`, each with the end of a
    pipe this process reads from."""
    context = multiprocessing.get_context("fork")
    workers = []
    # Objects that exist now are left out of the workers' garbage collections, which would
    # otherwise touch, and so copy, every page of memory they share with this process.
    gc.freeze()
    for index in range(1, count):
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=target, args=(*args, sending), name=f"{name}-{index}", daemon=True)
        process.start()
        sending.close()
        workers.append((process, receiving))
    gc.unfreeze()
    return workers


def stop_workers(workers: list[Worker]) -> None:
    for process, connection in workers:
        if process.is_alive():
            process.terminate()
        process.join()
        connection.close()
    workers.clear()


class _Claims:
    """Which pages are taken: this process takes them from the front, workers from the back."""

    def __init__(self, count: int, context) -> None:
        self.lock = context.Lock()
        self.front = context.RawValue("q", 0)  # the next page this process would take
        self.back = context.RawValue("q", count - 1)  # the next page a worker would take
        self.built_by_workers = context.RawValue("q", 0)  # pages the workers have written

    def built_one(self) -> None:
        with self.lock:
            self.built_by_workers.value += 1

    def take_front(self) -> int | None:
        with self.lock:
            if self.front.value > self.back.value:
                return None
            self.front.value += 1
            return self.front.value - 1

    def take_back(self) -> int | None:
        with self.lock:
            if self.back.value < self.front.value:
                return None
            self.back.value -= 1
            return self.back.value + 1


def _build_from_back(claims: _Claims, doc_files: list[File], config: MkDocsConfig, nav: Navigation,
                     env, report: Callable[[], object], connection: Connection) -> None:
    """In a worker: build pages from the back as MkDocs would, then send back what was logged and
    what `report()` says of the pages built."""
    capture = Capture.installed()
    try:
        while (index := claims.take_back()) is not None:
            file = doc_files[index]
            internals.build_page(file.page, config, doc_files, nav, env)
            claims.built_one()
        connection.send(("done", capture.records, report()))
    except BaseException:  # everything, so this process never dies without saying why
        connection.send(("failed", capture.records + [(engine.LOGGER, logging.ERROR, traceback.format_exc())], None))
    finally:
        connection.close()


@dataclass
class PageWorkers:
    """Workers started for one build; `finish` waits for them and reports what they logged."""

    processes: list[Worker] = field(default_factory=list)
    given_away: set[str] = field(default_factory=set)
    doc_files: list[File] = field(default_factory=list)
    claims: _Claims | None = None
    position: int = 0  # of the next page MkDocs builds here
    in_worker: bool = False  # true in a forked worker's copy
    empty_page_notice: internals.EmptyPageNotice = field(default_factory=internals.EmptyPageNotice)
    received: Callable[[object], None] | None = None  # given what each worker's `report()` said

    def start(self, count: int, config: MkDocsConfig, files: Files, nav: Navigation, env,
              report: Callable[[], object] = lambda: None, received: Callable[[object], None] | None = None) -> None:
        """Forks `count - 1` workers; this process claims the first page for MkDocs. `report()`, in
        a worker once it is done: what it learnt of the pages it built, for `received`."""
        self.doc_files = list(files.documentation_pages())  # the list and order MkDocs builds in
        self.claims = _Claims(len(self.doc_files), multiprocessing.get_context("fork"))
        self.received = received
        self.processes = fork_workers(count, "briefing-archive-pages", self._work, (config, nav, env, report))
        self.empty_page_notice.install()
        self._claim_next()

    def _work(self, config: MkDocsConfig, nav: Navigation, env, report: Callable[[], object],
              connection: Connection) -> None:
        self.in_worker = True
        claims, self.claims = self.claims, None  # the plugin's events here must not claim pages
        _build_from_back(claims, self.doc_files, config, nav, env, report, connection)

    def _claim_next(self) -> None:
        """Claims the next page in MkDocs' order for this process; if a worker has it already,
        gives it and every later page away."""
        if self.claims is None or self.given_away or self.position >= len(self.doc_files):
            return
        if self.claims.take_front() is None:
            for file in self.doc_files[self.position :]:
                file.page.meta["template"] = GIVEN_AWAY_TEMPLATE
                self.given_away.add(file.src_uri)
        self.position += 1

    def page_built(self, page: Page, output: str) -> str:
        """Called as each page's build ends in this process, last of the plugins' `on_post_page`:
        claims the next page; a page given away stays empty (MkDocs then writes nothing)."""
        given_away = page.file.src_uri in self.given_away
        if self.claims is not None and not given_away and self.doc_files[self.position - 1] is not page.file:
            # Not the page claimed for it: the engine builds in another order than the one tested.
            raise PluginError(f"page workers: {page.file.src_uri} was built out of the expected order; "
                              "set build_workers: 1 in mkdocs.yml")
        self._claim_next()
        if given_away:
            self.empty_page_notice.expect()
            return ""
        return output

    def is_given_away(self, src_uri: str) -> bool:
        return src_uri in self.given_away

    @property
    def built_by_workers(self) -> int:
        """Pages the workers have built so far (read from this process while they build)."""
        return self.claims.built_by_workers.value if self.claims else 0

    def finish(self) -> None:
        """Waits for every worker; re-logs what they logged; raises if one failed."""
        failed = []
        for process, connection in self.processes:
            try:
                status, records, learnt = connection.recv()
            except EOFError:
                status, records, learnt = "failed", [(engine.LOGGER, logging.ERROR, f"exit code {process.exitcode}")], None
            process.join()
            for name, level, message in records:
                logging.getLogger(name).log(level, message)
            if status != "done":
                failed.append(process.name)
            elif self.received:
                self.received(learnt)
        self.stop()
        if failed:
            raise PluginError(f"building pages failed in {', '.join(failed)}; see the errors above")

    def stop(self) -> None:
        stop_workers(self.processes)
        self.claims, self.position = None, 0
        self.empty_page_notice.remove()
