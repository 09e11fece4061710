"""Embedded listings: a fenced block with the info string `briefs` in any Markdown page of
content/ (the home page, an editorial page, a brief, an author's bio) stands for a listing of
the published briefs its keys select (SPEC §4):

    ```briefs
    topic: cyber
    limit: 3
    ```

Plain Python, no MkDocs: finding the blocks (a fence scan that knows other fences, so a block
shown as an example inside a ```` or ~~~ fence stays code), checking their keys against the
catalogue with the file's lines (the loader does, for `briefs check` and the build alike), and
choosing the briefs through the catalogue's indexes, from the smallest: the cost of a block
is that of its smallest index, never of the archive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Any, Callable, Iterable

from .model import Brief, Catalogue
from .problems import Report, suggestion, unknown_entry
from .reading import Located, parse_yaml

INFO = "briefs"
KEYS = ("topic", "author", "type", "program", "series", "year", "limit")
DEFAULT_LIMIT = 5
# Which listing a block links as its "full listing": the first of its keys in this order whose
# listing page exists (a series is the narrowest, a year the widest); a block with no key
# links the latest briefs.
SPECIFICITY = ("series", "author", "topic", "program", "type", "year")
_INDEX = {"topic": "by_topic", "author": "by_author", "type": "by_type", "program": "by_program",
          "series": "by_series", "year": "by_year"}
_SOURCES = {"topic": "site_config/topics.yml", "author": "content/authors/", "type": "site_config/types.yml",
            "program": "site_config/programs.yml", "series": "site_config/series.yml"}

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
# A cheap first look: no line opening a fence whose info string starts with `briefs`, no block.
_MAYBE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[ \t]*briefs\b", re.M)


@dataclass(frozen=True)
class Block:
    """One ```briefs fence of a Markdown text, as written."""

    line: int  # 0-based line of the opening fence within the text scanned
    text: str  # the YAML between the fences
    start: int  # offsets within the text: the opening fence's line start ...
    end: int  # ... to the end of the closing fence's line (its newline included)
    closed: bool = True


def find_blocks(text: str) -> tuple[Block, ...]:
    """Every ```briefs (or ~~~briefs) block of a Markdown text, in order. A fence opens on a line
    indented at most 3 spaces and closes on a line of at least as many of the same character
    and nothing else (CommonMark, as pymdownx.superfences reads it): what lies inside another
    fence is code, never a block. A briefs fence left open runs to the end (`closed` False)."""
    # Every page's text is asked (10,000 briefs): substring tests first, the regular expression
    # (a hundred times slower) only for a text holding both the word and a fence.
    if INFO not in text or ("```" not in text and "~~~" not in text) or not _MAYBE.search(text):
        return ()
    blocks: list[Block] = []
    fence: tuple[str, int, int, int, bool] | None = None  # (character, length, start line, start offset, is ours)
    offset = 0
    lines = text.split("\n")
    for number, line in enumerate(lines):
        match = _FENCE.match(line) if line[:4].lstrip(" ")[:1] in ("`", "~") else None
        if fence is None:
            if match:
                marks, info = match.group(2), match.group(3).strip()
                if not (marks[0] == "`" and "`" in info):  # a backtick fence's info has no backtick
                    fence = (marks[0], len(marks), number, offset, info.split(" ", 1)[0].split("\t", 1)[0] == INFO)
        elif match and match.group(2)[0] == fence[0] and len(match.group(2)) >= fence[1] and not match.group(3).strip():
            if fence[4]:
                end = offset + len(line) + (1 if number + 1 < len(lines) else 0)
                blocks.append(Block(fence[2], "\n".join(lines[fence[2] + 1 : number]) + "\n" if number > fence[2] + 1 else "",
                                    fence[3], end))
            fence = None
        offset += len(line) + 1
    if fence is not None and fence[4]:
        body = lines[fence[2] + 1 :]
        blocks.append(Block(fence[2], "\n".join(body), fence[3], len(text), closed=False))
    return tuple(blocks)


@dataclass(frozen=True)
class Query:
    """What a block asks for: its keys as (name, key) in KEYS order (a topic alias resolved to
    its topic, a year as a number), and how many briefs at most."""

    keys: tuple[tuple[str, Any], ...] = ()
    limit: int = DEFAULT_LIMIT

    def select(self, catalogue: Catalogue) -> tuple[Brief, ...]:
        """The published briefs matching every key: newest first, or in number order when the
        block names a series; at most `limit`. Walks the smallest of the keys' indexes."""
        if not self.keys:
            return catalogue.latest[: self.limit]
        indexes = [(name, getattr(catalogue, _INDEX[name]).get(key, ())) for name, key in self.keys]
        walked, smallest = min(indexes, key=lambda pair: len(pair[1]))
        others = [(name, key) for name, key in self.keys if name != walked]
        matching = (brief for brief in smallest if all(_has(brief, name, key) for name, key in others))
        if any(name == "series" for name, _key in others):  # the walked index is newest first
            return tuple(sorted(matching, key=lambda b: (b.number or 0, b.slug))[: self.limit])
        return tuple(islice(matching, self.limit))

    def full_listing(self, catalogue: Catalogue, exists: Callable[[str], bool]) -> "FullListing | None":
        """The listing page to link below the entries: the one of the block's most specific key
        (SPECIFICITY) whose page `exists(url)`; the latest briefs for a block with no key."""
        if not self.keys:
            return FullListing("latest", "briefs/", "Latest briefs") if exists("briefs/") else None
        given = dict(self.keys)
        for name in SPECIFICITY:
            if name not in given:
                continue
            listing = _listing(catalogue, name, given[name])
            if listing is not None and exists(listing.url):
                return listing
        return None


@dataclass(frozen=True)
class FullListing:
    kind: str  # latest | topic | author | type | program | series | year
    url: str
    title: str  # the subject's: a topic's title, an author's name, a type's plural, a year


def _listing(catalogue: Catalogue, name: str, key: Any) -> FullListing | None:
    if name == "year":
        return FullListing("year", f"archive/{key}/", str(key))
    table = {"topic": catalogue.topics, "author": catalogue.authors, "type": catalogue.types,
             "program": catalogue.programs, "series": catalogue.series}[name]
    entry = table.get(key)
    if entry is None:
        return None
    title = entry.name if name == "author" else entry.plural if name == "type" else entry.title
    return FullListing(name, entry.url, title)


def _has(brief: Brief, name: str, key: Any) -> bool:
    if name == "topic":
        return any(topic.key == key for topic in brief.topics)
    if name == "author":
        return any(author.key == key for author in brief.authors)
    if name == "type":
        return brief.type.key == key
    if name == "program":
        return brief.program is not None and brief.program.key == key
    if name == "series":
        return brief.series is not None and brief.series.key == key
    return brief.year == key


def check_block(block: Block, path: str, first_line: int, catalogue: Catalogue, report: Report) -> Query | None:
    """The block's query, or None when something in it is wrong (each problem reported on its
    line of the file: `first_line` is the file's line of the block's opening fence)."""
    if not block.closed:
        report.error(path, first_line, "this ```briefs block is not closed: add a line ``` after its last key")
        return None
    located = parse_yaml(block.text, path, report, first_line + 1)
    if located is None:
        return None
    if not located.is_mapping:
        report.error(path, located.line, f"a briefs block holds 'key: value' lines, like 'topic: cyber' (keys: {', '.join(KEYS)})")
        return None
    problems = len(report.problems)
    keys: list[tuple[str, Any]] = []
    limit = DEFAULT_LIMIT
    for name, value in located.data.items():
        line = located.line_of(str(name))
        if name in KEYS and (value is None or value == ""):
            report.error(path, line, f"'{name}' is empty: give it a value, like '{name}: {_EXAMPLES[name]}'")
        elif name not in KEYS:
            hint = suggestion(str(name), KEYS) or f" (keys: {', '.join(KEYS)})"
            report.error(path, line, f"unknown key '{name}' in a briefs block{hint}")
        elif name == "limit":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                report.error(path, line, f"'limit' must be a whole number from 1 up, like 'limit: 3', not '{value}'")
            else:
                limit = value
        elif name == "year":
            year = value if isinstance(value, int) and not isinstance(value, bool) else \
                int(value) if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()) else None
            if year is None or not 1000 <= year <= 9999:
                report.error(path, line, f"'year' must be a year written with four digits, like 'year: 2023', not '{value}'")
            else:
                keys.append(("year", year))
        else:
            key = _entry_key(name, value, catalogue, path, line, report)
            if key is not None:
                keys.append((name, key))
    if any(problem.is_error for problem in report.problems[problems:]):
        return None
    return Query(keys=tuple(sorted(keys, key=lambda pair: KEYS.index(pair[0]))), limit=limit)


def _entry_key(name: str, value: object, catalogue: Catalogue, path: str, line: int, report: Report) -> str | None:
    """The key a `topic`/`author`/`type`/`program`/`series` line names, in the words the front
    matter's checks use (an alias of a topic is taken, with the same warning)."""
    if isinstance(value, (list, dict)):
        report.error(path, line, f"'{name}' takes one {name} key, like '{name}: {_EXAMPLES[name]}'; "
                                 "keys of different kinds combine (a topic and a year, say)")
        return None
    if name == "topic":
        aliases = {alias: topic.key for topic in catalogue.topics.values() for alias in topic.aliases}
        if value in catalogue.topics:
            return str(value)
        if value in aliases:
            report.warning(path, line, f"topic '{value}' is an alias; write '{aliases[value]}'")
            return aliases[value]
        report.error(path, line, unknown_entry("topic", value, _SOURCES["topic"], {**catalogue.topics, **dict.fromkeys(aliases)},
                                               {t.title: t.key for t in catalogue.topics.values()}))
        return None
    table, names = {
        "author": (catalogue.authors, {a.name: a.key for a in catalogue.authors.values()}),
        "type": (catalogue.types, {t.title: t.key for t in catalogue.types.values()}),
        "program": (catalogue.programs, {p.title: p.key for p in catalogue.programs.values()}),
        "series": (catalogue.series, {s.title: s.key for s in catalogue.series.values()}),
    }[name]
    if isinstance(value, str) and value in table:
        return value
    report.error(path, line, unknown_entry(name, value, _SOURCES[name], table, names))
    return None


_EXAMPLES = {"topic": "cyber", "author": "min-ji-kim", "type": "policy-brief", "program": "ccti", "series": "kpr",
             "year": "2023", "limit": "3"}


@dataclass(frozen=True)
class EmbeddedPage:
    """The blocks of one page: their texts as written (to know them again in the Markdown the
    build is handed) and their queries (None for a block with a problem)."""

    path: str  # as shown to editors
    texts: tuple[str, ...]
    queries: tuple[Query | None, ...]


def check_page(path: str, blocks: Iterable[Block], first_line: int, catalogue: Catalogue,
               report: Report) -> EmbeddedPage:
    """Every block of a page whose scanned text starts on line `first_line` of the file."""
    blocks = tuple(blocks)
    return EmbeddedPage(path, tuple(b.text for b in blocks),
                        tuple(check_block(b, path, first_line + b.line, catalogue, report) for b in blocks))
