"""Reads the whole archive into one `Catalogue`, checking every rule of SPEC §2–3 on the way.

Nothing here stops at the first problem: each rule adds to a `Report`, so an editor sees
every mistake of a pull request at once, each with its file, line and, where one fits,
a did-you-mean.
"""

from __future__ import annotations

import gc
import gzip
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, TypeVar
from urllib.parse import urlsplit

from .history import History
from .embedded import Block, EmbeddedPage, check_page, find_blocks
from .links import BodyLinks, resolve_target
from .model import Author, Brief, BriefType, Catalogue, Correction, Link, Program, Series, Topic
from .problems import Problem, Report, suggestion, unknown_entry
from .reading import Located, MarkdownSource, parse_yaml, read_text
from .read_briefs import ReadBrief, ReadMemo, read_briefs
from .read_cache import FILE_NAME as READ_CACHE, ReadCache
from .text import SUMMARY_LENGTH, derived_summary, is_slug, slugify

BRIEF_FIELDS = ("title", "date", "type", "authors", "topics", "program", "summary",
                "updated", "related", "aliases", "draft", "series", "number", "corrections",
                "language", "translation_of", "pdf")
AUTHOR_FIELDS = ("name", "role", "program", "photo", "links", "alumni", "family", "given")
TOPIC_FIELDS = ("title", "description", "group", "aliases")
TYPE_FIELDS = ("title", "plural")
PROGRAM_FIELDS = ("title", "short", "description")
SERIES_FIELDS = ("title", "short", "description")
CORRECTION_FIELDS = ("date", "note")
PDF_LIMIT = 50 * 1024 * 1024
SCHEDULED = "scheduled: "  # how the note on a scheduled brief starts (`briefs check` counts them apart)
# BCP 47 as editors write it: a language, then an optional script and region (en, ko, pt-BR, zh-Hant-TW).
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$")

LINK_SCHEMES = ("http", "https", "mailto")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"\d{4}")
_ALIAS = re.compile(r"^/([A-Za-z0-9._~-]+/)*([A-Za-z0-9._~-]+)?$")

T = TypeVar("T")


@dataclass(frozen=True)
class ArchivePaths:
    """Where an archive's files are. `root` is the repository; paths in messages are relative to it."""

    root: Path
    docs_dir: Path
    config_dir: Path

    @classmethod
    def at(cls, root: Path) -> "ArchivePaths":
        root = root.resolve()
        return cls(root=root, docs_dir=root / "content", config_dir=root / "site_config")

    def shown(self, file: Path | str) -> str:
        text, root = str(file), str(self.root)
        if text.startswith(root + os.sep):  # the usual case, without pathlib's cost
            return text[len(root) + 1 :].replace(os.sep, "/")
        try:
            return Path(file).resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError, RuntimeError):
            return Path(file).as_posix()

    @property
    def briefs_dir(self) -> Path:
        return self.docs_dir / "briefs"

    @property
    def authors_dir(self) -> Path:
        return self.docs_dir / "authors"


class _Fields:
    """Typed access to one mapping of front matter or YAML, reporting what is wrong with each field."""

    def __init__(self, located: Located, path: str, report: Report, what: str):
        self.located, self.path, self.report, self.what = located, path, report, what
        self.data: Mapping[str, Any] = located.data

    def line(self, key: str, index: int | None = None) -> int:
        return self.located.line_of(key, index)

    def error(self, key: str, message: str, index: int | None = None) -> None:
        self.report.error(self.path, self.line(key, index), message)

    def only(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                hint = suggestion(str(key), allowed) or f" (allowed: {', '.join(allowed)})"
                self.error(str(key), f"unknown field '{key}' in {self.what}{hint}")

    def missing(self, key: str, example: str) -> None:
        self.report.error(self.path, self.located.line, f"missing required field '{key}' (add a line like '{example}')")

    def text(self, key: str, *, required: str | None = None) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key, required)
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(key, f"'{key}' must be text")
            return ""
        value = str(value).strip()
        if not value and required:
            self.error(key, f"'{key}' is empty")
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, not '{value}'")
            return False
        return value

    def date(self, key: str, *, required: str | None = None) -> date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key, required)
            return None
        text = str(value).strip()
        if not _ISO_DATE.match(text):
            self.error(key, f"'{key}' must be a date written YYYY-MM-DD, like 2023-06-26, not '{text}'")
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.error(key, f"'{key}' is not a real calendar date: '{text}'")
            return None

    def number(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        problem = number_problem(value, key)
        if problem:
            self.error(key, problem)
            return None
        return value

    def entry(self, key: str, table: Mapping[str, T], kind: str, source: str,
              *, required: str | None = None, names: dict[str, str] | None = None) -> T | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key, required)
            return None
        if isinstance(value, str) and value in table:
            return table[value]
        self.error(key, unknown_entry(kind, value, source, table, names))
        return None

    def items(self, key: str, *, required: str | None = None) -> list[tuple[int, Any]]:
        """(index, item) pairs of a list field; a lone value is reported, not guessed at."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key, required)
            return []
        if not isinstance(value, list):
            self.error(key, f"'{key}' must be a list, like '{key}: [{value}]'")
            return []
        if not value and required:
            self.error(key, f"'{key}' is empty; give at least one")
        return list(enumerate(value))

    def entries(self, key: str, resolve: Callable[[Any], T | None], kind: str, source: str,
                *, required: str | None = None, names: dict[str, str] | None = None,
                candidates: Mapping[str, Any] = {}) -> list[T]:
        found: list[T] = []
        seen: set[int] = set()
        for index, item in self.items(key, required=required):
            resolved = resolve(item) if isinstance(item, str) else None
            if resolved is None:
                self.error(key, unknown_entry(kind, item, source, candidates, names), index)
            elif id(resolved) in seen:
                self.error(key, f"{kind} '{item}' is listed twice", index)
            else:
                seen.add(id(resolved))
                found.append(resolved)
        return found


def _mapping_file(file: Path, paths: ArchivePaths, report: Report) -> tuple[str, Located | None]:
    shown = paths.shown(file)
    if not file.is_file():
        report.error(shown, 1, f"{shown} is missing; the archive needs it")
        return shown, None
    text = read_text(file, shown, report)
    located = parse_yaml(text, shown, report) if text is not None else None
    if located is not None and not located.is_mapping:
        report.error(shown, located.line, "this file must map each key to its fields ('key:' then indented 'title: ...')")
        return shown, None
    return shown, located


def _vocabulary(file: Path, paths: ArchivePaths, report: Report, allowed: tuple[str, ...],
                build: Callable[[str, _Fields], T | None]) -> tuple[dict[str, T], dict[str, int]]:
    """The entries of one vocabulary file, and the line of each key."""
    shown, located = _mapping_file(file, paths, report)
    if located is None:
        return {}, {}
    table: dict[str, T] = {}
    for key, fields in located.data.items():
        line = located.line_of(str(key))
        if not is_slug(key):
            report.error(shown, line, f"key '{key}' must be lowercase letters, digits and single hyphens, like '{slugify(str(key)) or 'my-key'}'")
            continue
        child = located.child.get(key)
        if child is None:
            report.error(shown, line, f"'{key}' needs its fields indented below it (at least 'title:')")
            continue
        entry = _Fields(child, shown, report, f"'{key}'")
        entry.only(allowed)
        built = build(key, entry)
        if built is not None:
            table[key] = built
    return table, {key: located.line_of(key) for key in table}


def _load_topics(paths: ArchivePaths, report: Report) -> tuple[dict[str, Topic], dict[str, str], dict[str, int]]:
    """Topics, the alias -> key map, and the line of each topic (for warnings about unused ones)."""
    aliases: dict[str, str] = {}
    alias_check: list[tuple[str, str, _Fields, int]] = []

    def build(key: str, fields: _Fields) -> Topic | None:
        own = []
        for index, alias in fields.items("aliases"):
            if not is_slug(alias):
                fields.error("aliases", f"topic alias '{alias}' must be lowercase letters, digits and single hyphens", index)
                continue
            own.append(alias)
            alias_check.append((alias, key, fields, index))
        title = fields.text("title", required="title: Cyber")
        return Topic(key=key, title=title or key, description=fields.text("description"),
                     group=fields.text("group"), aliases=tuple(own))

    topics, lines = _vocabulary(paths.config_dir / "topics.yml", paths, report, TOPIC_FIELDS, build)
    for alias, key, fields, index in alias_check:
        if alias in topics:
            fields.error("aliases", f"alias '{alias}' of topic '{key}' is itself a topic key", index)
        elif alias in aliases:
            fields.error("aliases", f"alias '{alias}' is already an alias of topic '{aliases[alias]}'", index)
        else:
            aliases[alias] = key
    return topics, aliases, lines


def _load_types(paths: ArchivePaths, report: Report) -> dict[str, BriefType]:
    def build(key: str, fields: _Fields) -> BriefType:
        title = fields.text("title", required="title: Policy Brief") or key
        return BriefType(key=key, title=title, plural=fields.text("plural") or title + "s")

    return _vocabulary(paths.config_dir / "types.yml", paths, report, TYPE_FIELDS, build)[0]


def _load_programs(paths: ArchivePaths, report: Report) -> dict[str, Program]:
    def build(key: str, fields: _Fields) -> Program:
        return Program(key=key, title=fields.text("title", required="title: Center on …") or key,
                       short=fields.text("short"), description=fields.text("description"))

    return _vocabulary(paths.config_dir / "programs.yml", paths, report, PROGRAM_FIELDS, build)[0]


def _link(label: str, value: str, fields: _Fields) -> Link | None:
    if label == "email" and "@" in value and ":" not in value:
        value = "mailto:" + value
    parts = urlsplit(value)
    if parts.scheme not in LINK_SCHEMES or (parts.scheme != "mailto" and not parts.netloc):
        fields.error("links", f"link '{label}' must be a full https:// address (or an email address), not '{value}'")
        return None
    return Link(label=label, url=value)


def _load_series(paths: ArchivePaths, report: Report) -> dict[str, Series]:
    """site_config/series.yml, an optional file: an archive may have no series."""
    def build(key: str, fields: _Fields) -> Series:
        return Series(key=key, title=fields.text("title", required="title: Korea Program Report") or key,
                      short=fields.text("short"), description=fields.text("description"))

    file = paths.config_dir / "series.yml"
    return _vocabulary(file, paths, report, SERIES_FIELDS, build)[0] if file.is_file() else {}


def _file_in_docs(paths: ArchivePaths, value: str) -> tuple[bool, bool]:
    """Whether a path an editor wrote stays inside content/, and whether it names a file there."""
    try:  # a NUL byte fails resolve(), a name longer than the disk allows fails is_file()
        target = (paths.docs_dir / value).resolve()
        inside = target.is_relative_to(paths.docs_dir.resolve())
    except (OSError, ValueError):
        inside = False
    inside = inside and not value.startswith("/") and ".." not in Path(value).parts
    try:
        return inside, inside and target.is_file()
    except OSError:
        return inside, False


def _starts_as_pdf(file: Path) -> bool:
    with file.open("rb") as opened:
        return opened.read(5) == b"%PDF-"


def build_date(environ: Mapping[str, str] = os.environ) -> date:
    """The build's date: today (UTC), or the day of SOURCE_DATE_EPOCH when it is set, so that a
    build is reproducible (reproducible-builds.org); scheduled briefs go out from that day."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return datetime.now(tz=timezone.utc).date()


def _load_author(file: Path, paths: ArchivePaths, programs: dict[str, Program],
                 report: Report, read: ReadBrief) -> Author | None:
    shown = paths.shown(file)
    key = file.stem
    if not is_slug(key):
        report.error(shown, 1, f"author file name '{file.name}' must be lowercase letters, digits and single hyphens, like '{slugify(key)}.md'")
        return None
    report.problems.extend(read.problems)
    source = read.source
    if source is None:
        return None
    fields = _Fields(source.meta, shown, report, "an author profile")
    fields.only(AUTHOR_FIELDS)
    links: list[Link] = []
    raw_links = source.meta.data.get("links")
    if raw_links is not None and not isinstance(raw_links, dict):
        fields.error("links", "'links' must be label: address lines, like 'website: https://…'")
    for label, value in (raw_links or {}).items() if isinstance(raw_links, dict) else ():
        if not isinstance(value, str) or not value.strip():
            fields.error("links", f"link '{label}' must be an address")
            continue
        link = _link(str(label), value.strip(), fields)
        if link:
            links.append(link)
    photo = fields.text("photo")
    if photo:
        inside, found = _file_in_docs(paths, photo)
        if not inside:
            fields.error("photo", f"'photo' must be a path inside content/, like 'authors/photos/{key}.jpg'")
            photo = ""
        elif not found:
            fields.error("photo", f"photo 'content/{photo}' does not exist")
            photo = ""
    return Author(
        key=key,
        name=fields.text("name", required="name: Min-ji Kim"),
        src_uri=f"authors/{file.name}",
        role=fields.text("role"),
        program=fields.entry("program", programs, "program", "site_config/programs.yml"),
        photo=photo,
        links=tuple(links),
        alumni=fields.flag("alumni"),
        family=fields.text("family"),
        given=fields.text("given"),
    )


def _check_alias(alias: Any, fields: _Fields, index: int) -> str | None:
    # `.` and `..` segments name another folder; a segment or path too long for a disk fails the write.
    if not isinstance(alias, str) or not alias.startswith("/") or alias.startswith("//") \
            or any(part in (".", "..") or len(part) > 255 for part in alias.split("/")) \
            or len(alias) > 1024 or not _ALIAS.match(alias):
        fields.error("aliases", f"alias '{alias}' must be a path on this site, like '/analysis/2023/old-name/'", index)
        return None
    return alias


class _BriefReader:
    """Reads one brief against the vocabularies and authors."""

    def __init__(self, paths: ArchivePaths, report: Report, topics: dict[str, Topic],
                 topic_aliases: dict[str, str], types: dict[str, BriefType],
                 programs: dict[str, Program], authors: dict[str, Author],
                 series: dict[str, Series], language: str, today: date):
        self.paths, self.report = paths, report
        self.topics, self.topic_aliases = topics, topic_aliases
        self.types, self.programs, self.authors = types, programs, authors
        self.series, self.language, self.today = series, language, today
        self.author_names = {a.name: a.key for a in authors.values()}
        self.topic_names = {t.title: t.key for t in topics.values()}
        self.topic_candidates = {**topics, **dict.fromkeys(topic_aliases)}

    def read(self, file: Path, shown: str, read: ReadBrief) -> tuple[Brief, MarkdownSource] | None:
        year_dir, slug = file.parent.name, file.stem
        if not is_slug(slug):
            self.report.error(shown, 1, f"file name '{file.name}' must be lowercase letters, digits and single hyphens, like '{slugify(slug) or 'my-brief'}.md'")
            return None
        self.report.problems.extend(read.problems)
        source = read.source
        if source is None:
            return None
        fields = _Fields(source.meta, shown, self.report, "a brief")
        fields.only(BRIEF_FIELDS)
        title = fields.text("title", required="title: Allied Cyber Talks Can Blunt Crypto Theft")
        published = fields.date("date", required="date: 2023-06-26")
        if published and str(published.year) != year_dir:
            fields.error("date", f"the date is in {published.year} but the file is in briefs/{year_dir}/; move it to content/briefs/{published.year}/{file.name}")
        updated = fields.date("updated")
        if updated and published and updated < published:
            fields.error("updated", f"'updated' ({updated}) is before 'date' ({published})")
        brief_type = fields.entry("type", self.types, "type", "site_config/types.yml",
                                  required="type: policy-brief", names={t.title: t.key for t in self.types.values()})
        authors = fields.entries("authors", self.authors.get, "author", "content/authors/",
                                 required="authors: [min-ji-kim]", names=self.author_names, candidates=self.authors)
        topics = fields.entries("topics", self._topic(fields), "topic", "site_config/topics.yml",
                                required="topics: [cyber]", names=self.topic_names, candidates=self.topic_candidates)
        program = fields.entry("program", self.programs, "program", "site_config/programs.yml",
                               names={p.title: p.key for p in self.programs.values()})
        summary = fields.text("summary")
        if len(summary) > 2 * SUMMARY_LENGTH:
            self.report.warning(shown, fields.line("summary"), f"the summary has {len(summary)} characters; readers see about {SUMMARY_LENGTH} in listings, so shorten it")
        if not read.has_text:
            self.report.warning(shown, source.body_line, "the brief has no text below its front matter")
        related = []
        for index, item in fields.items("related"):
            if is_slug(item):
                related.append(item)
            else:
                fields.error("related", f"'{item}' is not a brief slug (the file name without .md)", index)
        aliases = [a for index, item in fields.items("aliases") if (a := _check_alias(item, fields, index))]
        draft = fields.flag("draft")
        series = fields.entry("series", self.series, "series", "site_config/series.yml",
                              names={s.title: s.key for s in self.series.values()})
        number = fields.number("number")
        if series and number is None and "number" not in fields.data:
            fields.error("series", f"a brief of a series needs its number: add a line like 'number: 1' below 'series'")
        if number is not None and "series" not in fields.data:
            fields.error("number", "'number' is the brief's number in a series: add 'series: <key>' (site_config/series.yml) or remove it")
        corrections = self._corrections(fields, published)
        language = self._language(fields)
        translation_of = fields.text("translation_of")
        if translation_of and not is_slug(translation_of):
            fields.error("translation_of", f"'{translation_of}' is not a brief slug (the original's file name without .md)")
            translation_of = ""
        pdf = self._pdf(fields)
        if not (title and published and brief_type and authors and topics):
            return None
        scheduled = published > self.today
        if scheduled and not draft:
            self.report.note(shown, fields.line("date"), f"{SCHEDULED}published by the first build on or after {published.isoformat()}")
        return Brief(
            slug=slug, src_uri=f"briefs/{year_dir}/{file.name}", title=title, date=published,
            type=brief_type, authors=tuple(authors), topics=tuple(topics),
            summary=summary, program=program, updated=updated,
            related=tuple(related), aliases=tuple(aliases), draft=draft,
            reading_minutes=read.minutes, series=series, number=number if series else None,
            corrections=corrections, language=language, translation_of=translation_of, pdf=pdf,
            scheduled=scheduled,
        ), source

    def _corrections(self, fields: _Fields, published: date | None) -> tuple[Correction, ...]:
        found: list[Correction] = []
        for index, item in fields.items("corrections"):
            if not isinstance(item, dict):
                fields.error("corrections", "each correction is a date and a note, like '- {date: 2023-06-30, note: The figure for 2022 was corrected.}'", index)
                continue
            unknown = [str(k) for k in item if k not in CORRECTION_FIELDS]
            for key in unknown:
                fields.error("corrections", f"unknown field '{key}' in a correction{suggestion(key, CORRECTION_FIELDS) or ' (a correction has a date and a note)'}", index)
            raw_date, note = item.get("date"), item.get("note")
            text = str(raw_date).strip() if raw_date is not None else ""
            when = None
            if not text:
                if not unknown:  # a misspelt 'date' has its did-you-mean already
                    fields.error("corrections", "a correction needs its date, like 'date: 2023-06-30'", index)
            elif not _ISO_DATE.match(text):
                fields.error("corrections", f"a correction's date must be written YYYY-MM-DD, like 2023-06-30, not '{text}'", index)
            else:
                try:
                    when = date.fromisoformat(text)
                except ValueError:
                    fields.error("corrections", f"a correction's date is not a real calendar date: '{text}'", index)
            if not isinstance(note, str) or not note.strip():
                if not (unknown and note is None):
                    fields.error("corrections", "a correction needs a note saying what was corrected, like 'note: The figure for 2022 was corrected.'", index)
                note = ""
            if when is None or not note or unknown:
                continue
            if published and when < published:
                fields.error("corrections", f"the correction dated {when} is before the brief's date ({published})", index)
                continue
            if found and when < found[-1].date:
                fields.error("corrections", f"corrections are listed oldest first; the one dated {when} comes before {found[-1].date}", index)
                continue
            found.append(Correction(date=when, note=note.strip()))
        return tuple(found)

    def _language(self, fields: _Fields) -> str:
        value = fields.data.get("language")
        if value is None:
            return self.language
        problem = language_problem(value)
        if problem:
            fields.error("language", problem)
            return self.language
        return value.strip()

    def _pdf(self, fields: _Fields) -> str:
        pdf = fields.text("pdf")
        if not pdf:
            return ""
        inside, found = _file_in_docs(self.paths, pdf)
        if not inside:
            fields.error("pdf", f"'pdf' must be a path inside content/, like 'briefs/pdf/{Path(pdf).stem or 'my-brief'}.pdf'")
        elif not pdf.lower().endswith(".pdf"):
            fields.error("pdf", f"'pdf' must name a .pdf file, not '{pdf}'")
        elif not found:
            fields.error("pdf", f"the PDF 'content/{pdf}' does not exist")
        elif (self.paths.docs_dir / pdf).stat().st_size > PDF_LIMIT:
            fields.error("pdf", f"the PDF 'content/{pdf}' is larger than 50 MB; make a smaller edition for the web")
        elif not _starts_as_pdf(self.paths.docs_dir / pdf):
            fields.error("pdf", f"'content/{pdf}' is not a PDF file (it does not start as one)")
        else:
            return pdf
        return ""

    def _topic(self, fields: _Fields) -> Callable[[str], Topic | None]:
        def resolve(key: str) -> Topic | None:
            if key in self.topics:
                return self.topics[key]
            if key in self.topic_aliases:
                canonical = self.topic_aliases[key]
                index = list(fields.data.get("topics") or []).index(key)
                self.report.warning(fields.path, fields.line("topics", index),
                                    f"topic '{key}' is an alias; write '{canonical}'")
                return self.topics[canonical]
            return None
        return resolve


@dataclass
class LoadedArchive:
    """The catalogue plus what checks and later stages need from the sources."""

    catalogue: Catalogue
    report: Report
    briefs: dict[str, Brief]  # slug -> every valid brief, drafts included
    sources: dict[str, MarkdownSource]  # slug -> its source file
    all_slugs: frozenset[str]
    body_links: dict[str, BodyLinks]  # slug -> the links its body holds
    # slug -> ((an earlier address from git history, "/briefs/2022/old/", the file it was), ...):
    # those no other page uses and the brief's own address and aliases do not cover
    former: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    embedded: dict[str, EmbeddedPage] = field(default_factory=dict)  # src_uri -> its ```briefs blocks, checked


# Files MkDocs would copy into the site as they are, unsanitized, where a browser runs script.
_ACTIVE_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".xml", ".xsl", ".xslt", ".js", ".mjs", ".swf"}
_ACTIVE_SVG = re.compile(rb"<script|<foreignobject|\son[a-z]+\s*=|javascript:|<!entity", re.I)
_OTHER_MARKDOWN = {".markdown", ".mdown", ".mkdn", ".mkd"}


def check_files(paths: ArchivePaths, report: Report) -> list[Path]:
    """What the build would publish without reading it: links out of content/, active files.
    Returns the Markdown pages that are neither briefs nor author profiles (the home page,
    editorial pages), whose embedded listings the loader checks.

    A symbolic link (to a file or a folder) must stay inside the folder it is in: MkDocs follows
    it and would publish whatever it points at (a key, `.git/config`, `/etc/passwd`). HTML,
    script, XML and SVG with script would be copied as they are, never sanitized.
    """
    editorial: list[Path] = []
    briefs, authors = os.path.join(str(paths.docs_dir), "briefs", ""), os.path.join(str(paths.docs_dir), "authors")
    for top in (paths.docs_dir, paths.config_dir):
        if not top.is_dir():
            continue
        real_top = top.resolve()
        for entry in _entries(str(top), skip_templates=top == paths.docs_dir):
            shown = paths.shown(entry.path)
            if entry.is_symlink():
                path = Path(entry.path)
                try:
                    inside = path.resolve().is_relative_to(real_top)
                except (OSError, RuntimeError):  # a loop of links
                    inside = False
                if not inside:
                    report.error(shown, 1, f"a link to '{os.readlink(path)}', outside {top.name}/: the build would publish what it points at; put the file itself here")
                    continue
                if not path.exists():  # MkDocs would fail copying it, with a traceback
                    report.error(shown, 1, f"a link to '{os.readlink(path)}', which does not exist")
                    continue
                if path.is_dir():  # MkDocs would publish the folder again here, past these checks
                    report.error(shown, 1, f"a link to the folder '{os.readlink(path)}': move or copy the folder here instead")
                    continue
            if top != paths.docs_dir or entry.is_dir():
                continue
            suffix = os.path.splitext(entry.name)[1].lower()
            if (suffix == ".md" or suffix in _OTHER_MARKDOWN) and not entry.path.startswith(briefs) \
                    and os.path.dirname(entry.path) != authors:
                editorial.append(Path(entry.path))
            if suffix in _ACTIVE_SUFFIXES or (suffix in (".svg", ".svgz") and _ACTIVE_SVG.search(_head(Path(entry.path)))):
                report.error(shown, 1, f"'{entry.name}' would be published as it is, unsanitized, and can run script in a reader's browser; write the page in Markdown (images: PNG, JPEG, WebP or an SVG without script)")
            elif suffix in _OTHER_MARKDOWN and shown.startswith("content/briefs/"):
                report.error(shown, 1, f"briefs are '.md' files: rename '{entry.name}' to '{os.path.splitext(entry.name)[0]}.md'")
    return editorial


def _entries(top: str, skip_templates: bool) -> Iterator[os.DirEntry]:
    """Every entry under `top` MkDocs would publish, in a fixed order, without following links:
    dot files and a top-level templates/ are left out, as MkDocs leaves them out of the site."""
    stack = [(top, True)]
    while stack:
        folder, is_top = stack.pop()
        with os.scandir(folder) as scan:
            entries = sorted((e for e in scan if not e.name.startswith(".") and not (
                is_top and skip_templates and e.name == "templates" and e.is_dir(follow_symlinks=False))),
                key=lambda e: e.name)
        yield from entries
        stack.extend((e.path, False) for e in reversed(entries) if e.is_dir(follow_symlinks=False))


def _head(path: Path) -> bytes:
    """An SVG's text (unzipped for .svgz); anything unreadable counts as active."""
    try:
        raw = path.read_bytes()
        return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    except Exception:  # unreadable, or a corrupt .svgz (zlib.error)
        return b"<script"


def brief_files(paths: ArchivePaths, report: Report) -> list[Path]:
    """Every brief file, in a fixed order; anything misplaced under briefs/ is reported."""
    found = []
    if not paths.briefs_dir.is_dir():
        return found
    top = str(paths.briefs_dir)
    for folder, _dirs, names in os.walk(top):
        relative = os.path.relpath(folder, top)
        in_year = _YEAR.fullmatch(relative) is not None
        for name in names:
            if not name.endswith(".md"):
                continue
            if not in_year:
                report.error(paths.shown(Path(folder, name)), 1, "briefs live in content/briefs/<YYYY>/<slug>.md, where YYYY is the year of the brief's date")
                continue
            found.append((relative, name))
    return [Path(top, relative, name) for relative, name in sorted(found)]  # by year, then name


class LoadMemo:
    """What the earlier loads of one process made (`mkdocs serve`), so that a load after an edit
    reads and checks again only what the edit touched. A brief checked before is taken as it was
    only while its read and every vocabulary and author it was checked against are the very
    objects it was checked against; a vocabulary or the authors equal to the last load's are
    taken as the last load's objects, so an edit to a brief leaves them, and the other briefs, be."""

    def __init__(self) -> None:
        self.briefs = ReadMemo()
        self.authors = ReadMemo()
        self.made: dict[str, tuple[str, Any]] = {}  # name -> (its repr, what an earlier load made)
        self.checked: dict[str, tuple[ReadBrief, tuple, Any, tuple[Problem, ...]]] = {}  # by file shown
        self.summaries: dict[tuple, str] = {}  # summaries derived from bodies
        self.summarised: dict[str, tuple[Brief, str, Brief]] = {}  # slug -> (brief, summary, brief with it)
        self.resolved: dict[str, tuple[BodyLinks, str, list[tuple[str, str]]]] = {}  # see _check_links
        self.made_catalogue: Catalogue | None = None

    def catalogue(self, site_name: str, topics: dict[str, Topic], types: dict[str, BriefType],
                  programs: dict[str, Program], authors: dict[str, Author], briefs: dict[str, Brief],
                  links_to: dict[str, frozenset[str]], series: dict[str, Series]) -> Catalogue:
        """The last load's catalogue when it is made of the very same objects and links, as after
        an edit to a brief's text alone: what was planned from it still holds."""
        last = self.made_catalogue
        if last is not None and last.site_name == site_name and last.links_to == links_to \
                and all(now is then for now, then in ((topics, last.topics), (types, last.types), (series, last.series),
                                                      (programs, last.programs), (authors, last.authors))) \
                and len(briefs) == len(last.briefs) \
                and all(slug == before and brief is same for (slug, brief), (before, same)
                        in zip(briefs.items(), last.briefs.items())):
            return last
        self.made_catalogue = Catalogue(site_name=site_name, topics=topics, types=types, programs=programs,
                                        authors=authors, briefs=briefs, links_to=links_to, series=series)
        return self.made_catalogue

    def same(self, name: str, made: T) -> T:
        shown = repr(made)
        before = self.made.get(name)
        if before is not None and before[0] == shown:
            return before[1]
        self.made[name] = (shown, made)
        return made


def load_archive(paths: ArchivePaths, *, site_name: str = "", include_drafts: bool = False,
                 derive_summaries: bool = True, memo: LoadMemo | None = None,
                 cache_dir: Path | None = None, language: str = "en", today: date | None = None,
                 history: History | None = None) -> LoadedArchive:
    """Reads and checks the whole archive. A check alone passes `derive_summaries=False`: briefs
    without a `summary` then keep an empty one instead of one rendered from their text, and the
    sources keep no body text. With `cache_dir`, what reading each file found is kept there
    (read_cache.py) and files read before are not read again. `language` is the site's, which
    a brief without its own has; briefs dated after `today` (default: `build_date()`) are
    scheduled, left out like drafts. With `history` (history.py), each brief's earlier addresses
    are checked against every other brief's and kept in `former`."""
    # A load makes some hundred objects per brief and keeps nearly all of them; Python's cyclic
    # collector would walk them all again each time enough more were made (a fifth of a
    # 10,000-brief check). They make no cycles, so the collector waits until the load is done
    # (in the read workers too, which inherit it).
    collecting = gc.isenabled()
    gc.disable()
    # A load after the first of a process (`mkdocs serve`) reads only the files that changed, from
    # its memo; the cache, which keeps only the entries a load used, is the first load's.
    first = memo is None or not memo.briefs.entries
    try:
        return _load(paths, site_name, include_drafts, derive_summaries, memo,
                     ReadCache(cache_dir / READ_CACHE) if cache_dir is not None and first else None,
                     language, today or build_date(), history)
    finally:
        if collecting:
            gc.enable()


def _load(paths: ArchivePaths, site_name: str, include_drafts: bool, derive_summaries: bool,
          memo: LoadMemo | None, cache: ReadCache | None, language: str, today: date,
          history: History | None) -> LoadedArchive:
    report = Report()
    editorial = check_files(paths, report)
    same = memo.same if memo else lambda _name, made: made
    topics, topic_aliases, topic_lines = _load_topics(paths, report)
    topics, topic_aliases = same("topics", topics), same("topic aliases", topic_aliases)
    types = same("types", _load_types(paths, report))
    programs = same("programs", _load_programs(paths, report))
    series = same("series", _load_series(paths, report))

    authors: dict[str, Author] = {}
    author_files = [(file, paths.shown(file)) for file in sorted(paths.authors_dir.glob("*.md"))] \
        if paths.authors_dir.is_dir() else []
    # Pages whose text holds ```briefs blocks: (file shown, src_uri, the body's first line, its blocks).
    embedding: list[tuple[str, str, int, tuple[Block, ...]]] = []
    for (file, shown), read in zip(author_files, read_briefs(author_files, memo and memo.authors, cache=cache)):
        author = _load_author(file, paths, programs, report, read)
        if author:
            authors[author.key] = author
        if read.blocks and read.source is not None:
            embedding.append((shown, f"authors/{file.name}", read.source.body_line, read.blocks))
    authors = same("authors", authors)

    reader = _BriefReader(paths, report, topics, topic_aliases, types, programs, authors, series, language, today)
    context = (topics, topic_aliases, types, programs, authors, series, language, today)
    briefs: dict[str, Brief] = {}
    sources: dict[str, MarkdownSource] = {}
    body_links: dict[str, BodyLinks] = {}
    summaries_read: dict[str, str | None] = {}
    seen: dict[str, str] = {}
    checked: dict[str, tuple[ReadBrief, tuple, Any, tuple[Problem, ...]]] = {}
    files = [(file, paths.shown(file)) for file in brief_files(paths, report)]
    reads = read_briefs(files, memo and memo.briefs, keep_bodies=derive_summaries, cache=cache,
                        summaries=derive_summaries)
    if cache is not None:
        cache.save()
    for (file, shown), read in zip(files, reads):
        if file.stem in seen:
            # Both files are named, so a check of either one alone (pre-commit) still sees it.
            report.error(shown, 1, f"slug '{file.stem}' is already used by {seen[file.stem]}; slugs are unique across all years, so rename this file")
            report.error(seen[file.stem], 1, f"slug '{file.stem}' is also used by {shown}; slugs are unique across all years, so rename one of them")
            continue
        seen[file.stem] = shown
        if read.blocks and read.source is not None:
            embedding.append((shown, _src_uri(file, paths), read.source.body_line, read.blocks))
        before = memo.checked.get(shown) if memo else None
        if before and before[0] is read and all(now is then for now, then in zip(context, before[1])):
            loaded = before[2]
            report.problems.extend(before[3])
        else:
            count = len(report.problems)
            loaded = reader.read(file, shown, read)
            if loaded and before and before[2] and repr(before[2][0]) == repr(loaded[0]):
                loaded = (before[2][0], loaded[1])  # the text changed, not the brief: the object stays
            before = (read, context, loaded, tuple(report.problems[count:]))
        checked[shown] = before
        if loaded:
            briefs[loaded[0].slug], sources[loaded[0].slug] = loaded
            body_links[loaded[0].slug] = read.links
            summaries_read[loaded[0].slug] = read.derived_summary

    all_slugs = frozenset(seen)
    titles = {slug: brief.title for slug, brief in briefs.items()}
    summaries: dict[tuple, str] = {}
    summarised: dict[str, tuple[Brief, str, Brief]] = {}
    for slug, brief in briefs.items() if derive_summaries else ():
        if not brief.summary:
            body = sources[slug].body
            # What a summary shows: the body and the titles its wiki-links take.
            key = (body, tuple((link.slug, titles.get(link.slug)) for link in body_links[slug].wiki))
            summary = memo.summaries.get(key) if memo else None
            if summary is None:
                summary = summaries_read[slug]  # derived while reading, if it names no other brief
            if summary is None:
                summary = derived_summary(body, titles)
            summaries[key] = summary
            earlier = memo.summarised.get(slug) if memo else None
            with_summary = earlier[2] if earlier and earlier[0] is brief and earlier[1] == summary \
                else replace(brief, summary=summary)
            summarised[slug] = (brief, summary, with_summary)
            briefs[slug] = with_summary
    alias_owner = _check_cross_references(briefs, sources, all_slugs, report)
    former = _check_history(briefs, sources, alias_owner, history, paths, [shown for _file, shown in files], report) \
        if history and history.claims else {}
    _check_publication_record(briefs, sources, all_slugs, report)
    links_to, resolved = _check_links(briefs, sources, body_links, all_slugs, report, memo.resolved if memo else {})
    if memo is not None:
        memo.checked, memo.summaries, memo.summarised, memo.resolved = checked, summaries, summarised, resolved
    shown_briefs = {slug: b for slug, b in briefs.items() if include_drafts or not _unpublished(b)}
    # A translation goes out with its original, not before.
    shown_briefs = {slug: b for slug, b in shown_briefs.items()
                    if not b.translation_of or b.translation_of in shown_briefs}
    make = memo.catalogue if memo else Catalogue
    catalogue = make(site_name=site_name, topics=topics, types=types, programs=programs,
                     authors=authors, briefs=shown_briefs, links_to=links_to, series=series)
    _warn_unused(catalogue, briefs, paths, topic_lines, report)
    embedding += _editorial_blocks(editorial, paths)
    embedded = {src_uri: check_page(shown, blocks, first_line, catalogue, report)
                for shown, src_uri, first_line, blocks in sorted(embedding, key=lambda page: page[1])}
    return LoadedArchive(catalogue=catalogue, report=report, briefs=briefs, sources=sources,
                         all_slugs=all_slugs, body_links=body_links, former=former,
                         embedded=embedded)


def _src_uri(file: Path, paths: ArchivePaths) -> str:
    return os.path.relpath(file, paths.docs_dir).replace(os.sep, "/")


# MkDocs' own front matter: a YAML block between '---' and '---' (or '...') lines at the top.
_PAGE_META = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def _editorial_blocks(files: list[Path], paths: ArchivePaths) -> list[tuple[str, str, int, tuple[Block, ...]]]:
    """The ```briefs blocks of the pages that are neither briefs nor author profiles (the home
    page, editorial pages): few, read again by every load."""
    found = []
    for file in files:
        shown = paths.shown(file)
        text = read_text(file, shown, Report())  # an unreadable page is MkDocs' to report
        if text is None or "briefs" not in text:
            continue
        meta = _PAGE_META.match(text)
        body_start = meta.end() if meta else 0
        blocks = find_blocks(text[body_start:])
        if blocks:
            found.append((shown, _src_uri(file, paths), text.count("\n", 0, body_start) + 1, blocks))
    return found


def _check_links(briefs: dict[str, Brief], sources: dict[str, MarkdownSource],
                 body_links: dict[str, BodyLinks], all_slugs: frozenset[str], report: Report,
                 resolved: dict[str, tuple[BodyLinks, str, list[tuple[str, str]]]],
                 ) -> tuple[dict[str, frozenset[str]], dict[str, tuple[BodyLinks, str, list[tuple[str, str]]]]]:
    """Reports wiki-links to unknown or unpublished briefs; returns which briefs each brief links
    to, and what each brief's ordinary links point at (a file's path or a page's address, by the
    brief's address). `resolved`: what an earlier load found they point at."""
    now_resolved = {}
    by_src = {b.src_uri: slug for slug, b in briefs.items()}
    by_url = {b.url: slug for slug, b in briefs.items()}
    links_to: dict[str, frozenset[str]] = {}
    for slug, brief in briefs.items():
        source, found = sources[slug], body_links[slug]
        targets: set[str] = set()
        for link in found.wiki:
            line = source.body_line + link.line
            if link.slug not in all_slugs:
                report.error(source.path, line, f"unknown brief '{link.slug}' in wiki-link [[{link.slug}]]{suggestion(link.slug, all_slugs)}")
            elif link.slug in briefs and briefs[link.slug].draft and not brief.draft:
                report.error(source.path, line, f"wiki-link to '{link.slug}', which is a draft: readers would get a dead link until it is published")
            elif link.slug in briefs and briefs[link.slug].scheduled and not brief.draft \
                    and briefs[link.slug].date > brief.date:
                report.error(source.path, line, f"wiki-link to '{link.slug}', which is scheduled for {briefs[link.slug].date}: readers would get a dead link until then")
            else:
                targets.add(link.slug)
        earlier = resolved.get(slug)
        if earlier is None or earlier[0] is not found or earlier[1] != brief.url:
            earlier = (found, brief.url, [r for target in found.targets if (r := resolve_target(target, brief.src_uri, brief.url))])
        now_resolved[slug] = earlier
        for kind, key in earlier[2]:
            other = (by_src if kind == "src" else by_url).get(key)
            if other:
                targets.add(other)
        targets.discard(slug)
        links_to[slug] = frozenset(targets)
    return links_to, now_resolved


def _normalised(alias: str) -> str:
    """An alias as the address it is: `/old` and `/old/` are one page."""
    return alias if alias.endswith("/") or "." in alias.rsplit("/", 1)[-1] else alias + "/"


def _unpublished(brief: Brief) -> bool:
    return brief.draft or brief.scheduled


def number_problem(value: object, key: str = "number") -> str | None:
    """What is wrong with a number an editor wrote (a series number), or None."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return f"'{key}' must be a whole number from 1 up, like '{key}: 12', not '{value}'"
    return None


def number_taken(series: str, number: int, path: str) -> str:
    """The words for a series number another brief has; `briefs new` refuses one in these words."""
    return f"number {number} of series '{series}' is already used by {path}; each number is used once in a series"


def language_problem(value: object) -> str | None:
    """What is wrong with a language tag an editor wrote, or None."""
    if isinstance(value, str) and LANGUAGE_TAG.match(value.strip()):
        return None
    return f"'language' must be a language tag like 'en', 'ko' or 'pt-BR', not '{value}'"


def translation_problem(slug: str, language: str, original_slug: str, briefs: Mapping[str, Brief],
                        all_slugs: frozenset[str], translated: Mapping[tuple[str, str], str]) -> tuple[str, str] | None:
    """What is wrong with brief `slug` in `language` translating `original_slug`, as (the field to
    point at, the message), or None. `translated`: (original, language) -> the file of a translation
    already there. The check and `briefs new` both ask here, so they refuse in the same words."""
    original = briefs.get(original_slug)
    if original_slug == slug:
        return "translation_of", "a brief cannot be a translation of itself"
    if original is None:
        if original_slug in all_slugs:  # a brief with errors of its own, reported there
            return None
        return "translation_of", f"unknown brief '{original_slug}' in translation_of{suggestion(original_slug, all_slugs)}"
    if original.translation_of:
        return "translation_of", (f"'{original_slug}' is itself a translation (of '{original.translation_of}'); "
                                  f"name the original, '{original.translation_of}'")
    if original.language == language:
        return "language", (f"a translation must be in another language than its original; both are '{language}' "
                            "(set 'language', like 'language: ko')")
    first = translated.get((original_slug, language))
    if first is not None:
        return "translation_of", f"'{original_slug}' already has a translation into '{language}': {first}; keep one"
    return None


def _check_publication_record(briefs: dict[str, Brief], sources: dict[str, MarkdownSource],
                              all_slugs: frozenset[str], report: Report) -> None:
    """Series numbers used once in each series; translations of an existing original, one a language."""
    numbers: dict[tuple[str, int], str] = {}
    translated: dict[tuple[str, str], str] = {}
    for slug, brief in sorted(briefs.items()):
        source = sources[slug]
        meta = source.meta
        if brief.series and brief.number and not brief.translation_of:
            taken = numbers.setdefault((brief.series.key, brief.number), slug)
            if taken != slug:
                # Both files are named, so a check of either one alone (pre-commit) still sees it.
                report.error(source.path, meta.line_of("number"), number_taken(brief.series.key, brief.number, sources[taken].path))
                report.error(sources[taken].path, sources[taken].meta.line_of("number"),
                             f"number {brief.number} of series '{brief.series.key}' is also used by {source.path}; each number is used once in a series")
        original_slug = brief.translation_of
        if not original_slug:
            continue
        problem = translation_problem(slug, brief.language, original_slug, briefs, all_slugs, translated)
        if problem is None:
            if original_slug in briefs and original_slug != slug:
                translated[(original_slug, brief.language)] = source.path
            continue
        field, message = problem
        key = field if field in meta.data else "translation_of"
        report.error(source.path, meta.line_of(key), message)


def _check_cross_references(briefs: dict[str, Brief], sources: dict[str, MarkdownSource],
                            all_slugs: frozenset[str], report: Report) -> dict[str, str]:
    """Checks related briefs and aliases; returns the brief each alias (normalised) is of."""
    alias_owner: dict[str, str] = {}
    brief_urls = {"/" + b.url for b in briefs.values()}
    for slug, brief in sorted(briefs.items()):
        meta = sources[slug].meta
        for index, other in enumerate(brief.related):
            if other == slug:
                report.error(sources[slug].path, meta.line_of("related", index), "a brief cannot list itself as related")
            elif other not in all_slugs:
                report.error(sources[slug].path, meta.line_of("related", index),
                             f"unknown brief '{other}' in related{suggestion(other, all_slugs)}")
        for index, alias in enumerate(brief.aliases):
            normalised = _normalised(alias)
            line = meta.line_of("aliases", index)
            if normalised in brief_urls:
                report.error(sources[slug].path, line, f"alias '{alias}' is the address of a brief; choose an old address that no page uses")
            elif normalised in alias_owner:
                report.error(sources[slug].path, line, f"alias '{alias}' is already an alias of '{alias_owner[normalised]}'")
            else:
                alias_owner[normalised] = slug
    return alias_owner


_BRIEF_PATH = re.compile(r"briefs/(\d{4})/([a-z0-9]+(?:-[a-z0-9]+)*)\.md")


def _check_history(briefs: dict[str, Brief], sources: dict[str, MarkdownSource], alias_owner: dict[str, str],
                   history: History, paths: ArchivePaths, files: list[str], report: Report,
                   ) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each brief's earlier addresses from git history (`/briefs/<YYYY>/<slug>/` of each path its
    file had), those its own address or aliases do not already cover. One that is now another
    brief's address or alias is an error on both files: the old links would lead elsewhere."""
    docs = paths.shown(paths.docs_dir) + "/"
    url_owner = {("/" + b.url).casefold(): slug for slug, b in briefs.items()}
    aliases = {alias.casefold(): slug for alias, slug in alias_owner.items()}
    # The brief files there are now (those that did not load too: a path stays theirs).
    earlier = history.earlier(shown[len(docs):] for shown in files if shown.startswith(docs))
    former: dict[str, tuple[tuple[str, str], ...]] = {}
    for slug, brief in sorted(briefs.items()):
        source = sources[slug]
        covered = {("/" + brief.url).casefold(), *(_normalised(a).casefold() for a in brief.aliases)}
        kept = []
        for path in earlier.get(brief.src_uri, ()):
            match = _BRIEF_PATH.fullmatch(path)
            if not match:
                continue  # never a brief's address (misplaced, or not a brief)
            address = f"/briefs/{match[1]}/{match[2]}/"
            if address.casefold() in covered:
                continue
            covered.add(address.casefold())
            was = docs + path
            other = url_owner.get(address.casefold())
            if other is not None:
                report.error(source.path, 1, f"this brief's earlier address {address} (its file was {was} in git history) "
                             f"is now the address of {sources[other].path}, so old links would lead there: "
                             f"give {sources[other].path} another file name")
                report.error(sources[other].path, 1, f"this brief's address {address} was the address of "
                             f"{source.path} (its file was {was} in git history), and old links must keep leading "
                             "there: give this brief another file name")
                continue
            other = aliases.get(address.casefold())
            if other is not None:
                alias_index = next(i for i, a in enumerate(briefs[other].aliases) if _normalised(a).casefold() == address.casefold())
                report.error(source.path, 1, f"this brief's earlier address {address} (its file was {was} in git history) "
                             f"is also an alias of {sources[other].path}, so old links would lead there: "
                             f"remove that alias")
                report.error(sources[other].path, sources[other].meta.line_of("aliases", alias_index),
                             f"alias '{briefs[other].aliases[alias_index]}' was the address of {source.path} "
                             f"(its file was {was} in git history), and old links must keep leading there: remove this alias")
                continue
            kept.append((address, was))
        if kept:
            former[slug] = tuple(kept)
    return former


def _warn_unused(catalogue: Catalogue, briefs: dict[str, Brief], paths: ArchivePaths,
                 topic_lines: dict[str, int], report: Report) -> None:
    published = [b for b in briefs.values() if not b.draft]
    used_authors = {a.key for b in published for a in b.authors}
    used_topics = {t.key for b in published for t in b.topics}
    for key, author in catalogue.authors.items():
        if key not in used_authors:
            report.warning(f"{paths.shown(paths.docs_dir)}/{author.src_uri}", 1, f"author '{key}' has no published briefs yet")
    for key in catalogue.topics:
        if key not in used_topics:
            report.warning(paths.shown(paths.config_dir / "topics.yml"), topic_lines.get(key, 1), f"topic '{key}' is not used by any published brief")
