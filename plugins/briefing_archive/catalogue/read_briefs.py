"""Reading every brief file of an archive, on every core when there are many.

What is read here depends on one file alone (its text, front matter, links and length), so
it can run in worker processes; checking the fields against the vocabularies and the other
briefs stays in the loader. Results come back in the order of the files given, so the
report and the catalogue are the same whichever way they were read. A read cache
(read_cache.py) answers for the files whose bytes it has seen; only the others are read.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from .embedded import Block, find_blocks
from ..forking import fork_workers
from .links import WIKI_LINK, BodyLinks, scan
from .problems import Problem, Report
from .read_cache import ReadCache, encode, key_of
from .reading import MarkdownSource, decode_text, parse_markdown, read_bytes
from .text import derived_summary, first_paragraph, reading_minutes

# Below this, starting the workers costs more than they save.
PARALLEL_FROM = 1000


@dataclass(frozen=True)
class ReadBrief:
    source: MarkdownSource | None  # None if the file is unreadable; `problems` says why
    links: BodyLinks
    minutes: int
    has_text: bool
    problems: tuple[Problem, ...]
    # The summary derived from the body, when the brief gives none and the paragraph it is taken
    # from names no other brief (whose title it would show); None otherwise, or when not asked for.
    derived_summary: str | None = None
    blocks: tuple[Block, ...] = ()  # the body's ```briefs blocks (embedded.py), lines within the body


Keyed = tuple[str | None, ReadBrief, str | None]  # key in the read cache, the read, the read encoded for it


def read_brief(file: Path, shown: str, keep_body: bool = True, encoded: bool = False,
               summaries: bool = False) -> Keyed:
    """What reading the file finds, with the key of the bytes it read in the read cache (None if
    unreadable) and, if `encoded`, the read as the cache keeps it. `keep_body=False` leaves the
    body text out of the source (a check needs only what is read from it here), which spares
    sending it back from a worker. `summaries`: a brief's summary is derived here where it can be."""
    report = Report()
    raw = read_bytes(file, shown, report)
    if raw is None:
        return None, ReadBrief(None, BodyLinks((), ()), 0, False, tuple(report.problems)), None
    key, source = key_of(shown, raw), parse_markdown(raw, shown, report)
    if source is None:
        read = ReadBrief(None, BodyLinks((), ()), 0, False, tuple(report.problems))
    else:
        read = ReadBrief(source, scan(source.body), reading_minutes(source.body), bool(source.body.strip()),
                         tuple(report.problems), _summary_alone(source) if summaries else None,
                         find_blocks(source.body))
        read = read if keep_body else replace(read, source=replace(source, body=""))
    return key, read, encode(read) if encoded else None


def _summary_alone(source: MarkdownSource) -> str | None:
    """Derived here, beside the read (in a worker for a large archive), where it can be."""
    if source.meta.data.get("summary") or WIKI_LINK.search(first_paragraph(source.body)):
        return None
    return derived_summary(source.body)


def _read_chunk(chunk: list[tuple[Path, str]], keep_bodies: bool = True, encoded: bool = False,
                summaries: bool = False) -> list[Keyed]:
    return [read_brief(file, shown, keep_bodies, encoded, summaries) for file, shown in chunk]


def _cached(file: Path, shown: str, keep_body: bool, cache: ReadCache) -> Keyed | None:
    """What the cache holds for the file's bytes as they are now; None if nothing (or unreadable)."""
    raw = read_bytes(file, shown, Report())  # unreadable: read_brief says why
    if raw is None:
        return None
    key = key_of(shown, raw)
    if key not in cache.stored:
        return None
    text = decode_text(raw, shown, Report()) if keep_body else None
    fields = cache.fields(key, shown, text)
    return (key, ReadBrief(**fields), None) if fields is not None else None


class ReadMemo:
    """What earlier reads found, by file and the file's size, modification time and inode, so
    that a process that builds again (`mkdocs serve`) reads only the files that changed."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[tuple[int, int, int], ReadBrief]] = {}

    @staticmethod
    def stamp(file: Path) -> tuple[int, int, int] | None:
        try:
            stat = file.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size, stat.st_ino

    def get(self, file: Path, stamp: tuple[int, int, int] | None) -> ReadBrief | None:
        entry = self.entries.get(str(file))
        return entry[1] if entry and stamp and entry[0] == stamp else None


def _read_files(files: list[tuple[Path, str]], keep_bodies: bool, encoded: bool, summaries: bool) -> list[Keyed]:
    workers = fork_workers(len(files), PARALLEL_FROM)
    if workers == 1:
        return _read_chunk(files, keep_bodies, encoded, summaries)
    size = -(-len(files) // (workers * 4))  # a few chunks per worker evens out slow files
    chunks = [files[start : start + size] for start in range(0, len(files), size)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        read_chunk = partial(_read_chunk, keep_bodies=keep_bodies, encoded=encoded, summaries=summaries)
        return [read for chunk in pool.map(read_chunk, chunks) for read in chunk]


def _read_all(files: list[tuple[Path, str]], keep_bodies: bool, cache: ReadCache | None,
              summaries: bool) -> list[ReadBrief]:
    if cache is None:
        return [read for _key, read, _encoded in _read_files(files, keep_bodies, False, summaries)]
    # Taking a read from the cache costs less than sending it back from a worker: done here.
    keyed = [_cached(file, shown, keep_bodies, cache) for file, shown in files] if cache.stored else [None] * len(files)
    missing = [index for index, found in enumerate(keyed) if found is None]
    for index, found in zip(missing, _read_files([files[index] for index in missing], keep_bodies, True, summaries)):
        keyed[index] = found
    reads = []
    for key, read, encoded in keyed:
        if key is not None:
            cache.note(key, encoded)
        reads.append(read)
    return reads


def read_briefs(files: list[tuple[Path, str]], memo: ReadMemo | None = None,
                keep_bodies: bool = True, cache: ReadCache | None = None, summaries: bool = False) -> list[ReadBrief]:
    """Each (file, path shown to editors) read, in the order given; with a memo, only files
    that changed since it last saw them are read again; with a cache, only files whose bytes
    it has not seen. `summaries` (briefs, with their bodies): see ReadBrief.derived_summary."""
    if memo is None:
        return _read_all(files, keep_bodies, cache, summaries)
    stamps = [memo.stamp(file) for file, _shown in files]
    reads = [memo.get(file, stamp) for (file, _shown), stamp in zip(files, stamps)]
    missing = [index for index, read in enumerate(reads) if read is None]
    for index, read in zip(missing, _read_all([files[index] for index in missing], keep_bodies, cache, summaries)):
        reads[index] = read
    memo.entries = {str(file): (stamp, read) for (file, _shown), stamp, read in zip(files, stamps, reads)
                    if stamp is not None}
    return reads
