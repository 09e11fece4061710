"""Formatted references kept across builds, by the CSL record they are formatted from.

Formatting a brief in Chicago, APA and MLA costs ~2.5 ms of CPU (citation_styles.py): half a
minute at 10,000 briefs, on every build. A brief's references change only when its record does
(its title, authors, date, series, address…), so each is kept in `.cache/` under a hash of the
record, salted with citeproc-py's version, the style files and the code that formats; only the
entries the latest build used are kept. What is missing is formatted before the pages are built,
on every core when there are many (a page worker's results would not come back to be kept).
The plain path (`speed_ups: false`) keeps nothing and formats without citeproc-py's speed-ups
(citation_styles.render), so the oracle holds them to citeproc-py as released.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from .. import cache_salt
from ..forking import fork_workers
from ..catalogue import Brief
from . import citation_styles
from .citation_styles import STYLES, STYLES_DIR, RenderedCitation
from .citations import csl_record

FILE_NAME = "citations.json"
# Below this many to format, starting workers costs more than they save.
PARALLEL_FROM = 200
_CHUNK = 50


def _salt() -> str:
    here = Path(__file__).resolve().parent
    return cache_salt.salt([], ["citeproc-py", "lxml", "nh3"],
                           [here / "citation_styles.py", here / "citeproc_speedups.py", here / "citation_cache.py",
                            *(STYLES_DIR / style.file for style in STYLES)])


def _key(record: dict) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _format(records: list[dict], *, speed_ups: bool = True) -> list[list[str]]:
    return [[citation.html for citation in citation_styles.render(record, speed_ups=speed_ups)] for record in records]


class CitationCache:
    """`path` None: nothing is read or kept, every reference is formatted; `speed_ups` False
    (the plain path): formatted by citeproc-py as released."""

    def __init__(self, path: Path | None, *, speed_ups: bool = True) -> None:
        self.path, self.salt, self.speed_ups = path, _salt(), speed_ups
        self.stored: dict[str, list[str]] = self._read() if path else {}
        self.used: dict[str, list[str]] = {}
        self.changed = False

    def _read(self) -> dict[str, list[str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        entries = data.get("entries") if isinstance(data, dict) and data.get("salt") == self.salt else None
        return entries if isinstance(entries, dict) else {}

    def prepare(self, briefs: list[Brief], publisher: str, site_url: str) -> None:
        """Formats, on every core when there are many, the references of a whole build that the
        cache does not have; they are all this build uses (page workers' pages too)."""
        keys_used, missing = [], {}
        for brief in briefs:
            record = csl_record(brief, publisher, site_url)
            key = _key(record)
            keys_used.append(key)
            if key not in self.stored:
                missing[key] = record
        if missing:
            self._format_missing(missing)
        self.used.update((key, self.stored[key]) for key in keys_used)

    def _format_missing(self, missing: dict[str, dict]) -> None:
        keys, records = list(missing), list(missing.values())
        workers = fork_workers(len(records), PARALLEL_FROM)
        if workers > 1:
            citation_styles.load_styles()  # parsed once, before the fork
            chunks = [records[i : i + _CHUNK] for i in range(0, len(records), _CHUNK)]
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                formatted = [entry for chunk in pool.map(partial(_format, speed_ups=self.speed_ups), chunks)
                             for entry in chunk]
        else:
            formatted = _format(records, speed_ups=self.speed_ups)
        self.stored.update(zip(keys, formatted))
        self.changed = True

    def rendered(self, brief: Brief, publisher: str, site_url: str) -> list[RenderedCitation]:
        record = csl_record(brief, publisher, site_url)
        key = _key(record)
        entry = self.stored.get(key)
        if entry is None:
            entry = self.stored[key] = _format([record], speed_ups=self.speed_ups)[0]
            self.changed = True
        self.used[key] = entry
        return [RenderedCitation(style, citation_styles.safe_html(html)) for style, html in zip(STYLES, entry)]

    def save(self) -> None:
        """Keeps the entries this build used."""
        if self.path is None or not (self.changed or len(self.used) != len(self.stored)):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"salt": self.salt, "entries": dict(sorted(self.used.items()))},
                                        ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path)
        self.stored, self.used, self.changed = self.used, {}, False
