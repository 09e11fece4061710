"""Rendering brief bodies on every core when the render cache does not have them (a cold build).

MkDocs reads and renders every page, one at a time, before it builds any (its populate loop).
From `on_nav`, forked workers go through the brief pages from the last, doing for each what that
loop does (the engine's own step, through the engine seam: every plugin's events around
MkDocs' Markdown render), and send back the render in the form the render cache keeps, under
the key of the Markdown the plugins left, with what the sanitizer made of it; MkDocs goes from
the first. When MkDocs reaches a page a worker took, its render comes from the worker if the
Markdown the plugins leave here has the same key, like any cached body, and every plugin's
`on_page_content` still runs on it here. A body whose render logged anything is not sent:
MkDocs renders it again here, so the message is shown, and counted by `--strict`.
"""

from __future__ import annotations

import multiprocessing
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from ..engine import internals
from .page_workers import Capture, Worker, fork_workers, stop_workers

log = get_plugin_logger(__name__)

FREE, HERE, WORKER = 0, 1, 2

# What a worker sends for a page: (position, its render or None if MkDocs must render it here).
# A render: {"key": cache key, "entry": cache entry, "sanitized": what the sanitizer made of the
# entry's HTML, or None}.
Rendered = dict | None


def _render_from_back(flags, lock, briefs: list[File], config: MkDocsConfig, files: Files,
                      rendered: Callable[[str], Rendered], connection: Connection) -> None:
    capture = Capture.installed()
    try:
        for position in range(len(briefs) - 1, -1, -1):
            with lock:
                if flags[position] != FREE:
                    break  # MkDocs has come this far: the rest are its own
                flags[position] = WORKER
            file = briefs[position]
            logged = len(capture.records)
            internals.populate_page(file.page, config, files)
            body = rendered(file.src_uri)
            connection.send((position, body if len(capture.records) == logged else None))
        connection.send(("done", None))
    except BaseException:  # everything, so this process never dies without saying why
        connection.send(("failed", traceback.format_exc()))
    finally:
        connection.close()


@dataclass
class BodyWorkers:
    """Workers started for one build's populate loop; `body_for` meets them page by page."""

    processes: list[Worker] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)
    received: dict[int, Rendered] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    flags: object = None
    lock: object = None
    in_worker: bool = False  # true in a forked worker's copy

    def start(self, count: int, briefs: list[File], config: MkDocsConfig, files: Files,
              rendered: Callable[[str], Rendered]) -> None:
        context = multiprocessing.get_context("fork")
        self.flags, self.lock = context.RawArray("b", len(briefs)), context.Lock()
        self.positions = {file.src_uri: position for position, file in enumerate(briefs)}
        self.processes = fork_workers(count, "briefing-archive-bodies", self._work,
                                      (self.flags, self.lock, briefs, config, files, rendered))

    def _work(self, *args) -> None:
        self.in_worker = True
        _render_from_back(*args)

    def body_for(self, src_uri: str) -> Rendered:
        """The worker's render of this brief's body, waiting for it if need be; None if this
        process is to render it (it took the page first, or the worker could not)."""
        position = self.positions.get(src_uri)
        if position is None or not self.processes:
            return None
        while self._receive(timeout=0):  # keep the pipes flowing: a worker waits while its pipe is full
            pass
        with self.lock:
            if self.flags[position] == FREE:
                self.flags[position] = HERE
                return None
        while position not in self.received and self._receive():
            pass
        return self.received.pop(position, None)

    def _receive(self, timeout: float | None = None) -> bool:
        """Takes what the workers have sent (waiting up to `timeout`, None: until something comes);
        False if nothing came, or none of them will send more."""
        open_connections = [connection for _process, connection in self.processes if not connection.closed]
        ready = wait(open_connections, timeout) if open_connections else []
        if not ready:
            return False
        for connection in ready:
            try:
                position, body = connection.recv()
            except EOFError:
                connection.close()
                continue
            if position == "failed":
                self.failures.append(body)
            if isinstance(position, int):
                self.received[position] = body
            else:
                connection.close()
        return True

    def finish(self) -> None:
        while self._receive():
            pass
        self.stop()
        if self.failures:
            for failure in self.failures:
                log.error(failure)
            raise PluginError("rendering brief bodies failed in a worker; see the errors above")

    def stop(self) -> None:
        stop_workers(self.processes)
