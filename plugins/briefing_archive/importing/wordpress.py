"""`briefs import wordpress`: a WordPress export becomes briefs and author profiles, and a report.

Two readings of the export, each streamed: the first checks the whole file is a readable
WordPress export and counts its authors, terms and posts (so a broken or hostile file is refused
before anything is written, and `--write-map` knows every term); the second turns each post into
a brief and writes it at once (bodies converted by worker processes when the export is large,
the files and the report still made in file order). Each post is written whole or not at all:
every reason not to write it is found first. Nothing is ever overwritten, and nothing is written outside content/.
"""

from __future__ import annotations

import multiprocessing
import re
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from ..catalogue import ArchivePaths, LoadedArchive, Problem, Report, load_archive
from ..catalogue.problems import ERROR, WARNING
from ..catalogue.text import slug_for_title, slugify
from ..forking import fork_workers
from .mapping import IGNORE, NEW, SECTIONS, ImportMap, Vocabulary, author_key, read_map, starting_map
from .markdown import Converted, plain_text, to_markdown
from .wxr import Author, ExportError, Item, Term, read_export

NOTE = "note"
PUBLISHED = {"publish", "future"}  # `future`: scheduled in WordPress, and scheduled here by its date
DRAFTS = {"draft", "pending"}
SKIPPED = {"private": "it is private", "trash": "it is in WordPress's trash",
           "auto-draft": "it is an unsaved auto-draft", "inherit": "it is a revision"}
RESERVED_SLUGS = frozenset({"index"})
# WordPress's own kinds of item that never hold an article (menus, revisions, theme data…).
INTERNAL_TYPES = frozenset({"attachment", "nav_menu_item", "revision", "custom_css", "customize_changeset",
                            "oembed_cache", "user_request", "wp_block", "wp_template", "wp_template_part",
                            "wp_global_styles", "wp_navigation", "wp_font_family", "wp_font_face"})
# First parts of addresses the site's own pages use: an old address there would clash with them.
SITE_SECTIONS = frozenset({"briefs", "topics", "authors", "archive", "types", "programs", "series", "api",
                           "search", "assets", "feed.xml", "sitemap.xml", "404.html", "index.html"})
# PyYAML's own emitter, as `briefs new` uses: libyaml's is faster but writes an emoji as
# "\U0001F600", so the same export would give other bytes where libyaml is missing.
_DUMPER = yaml.SafeDumper
PARALLEL_FROM = 200  # posts: below this, starting worker processes costs more than it saves
_ALIAS = re.compile(r"^/([A-Za-z0-9._~-]+/)*([A-Za-z0-9._~-]+)?$")  # the rule `aliases` follow


@dataclass
class Inventory:
    """What the first reading found."""

    authors: dict[str, Author] = field(default_factory=dict)  # login -> author
    terms: dict[tuple[str, str], Term] = field(default_factory=dict)  # (domain, slug) -> first declaration or use
    posts: Counter = field(default_factory=Counter)  # (domain, slug) / ("author", login) -> posts using it
    items: Counter = field(default_factory=Counter)  # post type -> items


@dataclass
class ImportReport:
    export: str  # as shown in messages
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # briefs, as shown
    profiles: list[str] = field(default_factory=list)  # new author profiles, as shown
    counts: Counter = field(default_factory=Counter)
    refused: bool = False  # the export or the map could not be used: nothing was read into briefs
    closing: list[str] = field(default_factory=list)  # the last lines, when not an import's counts
    left_out: Counter = field(default_factory=Counter)  # post type -> items not imported

    def add(self, severity: str, line: int, message: str, path: str | None = None) -> None:
        self.problems.append(Problem(path or self.export, line, severity, message))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)

    def lines(self) -> list[str]:
        """The report as printed: what was written, each problem, then the counts and the next step."""
        verb = "would write" if self.dry_run else "wrote"
        out = [f"{verb} {path}" for path in self.profiles] + [f"{verb} {path}" for path in self.written]
        out += [str(p) for p in self.problems]
        if self.refused:
            out.append("Nothing was written.")
            return out
        if self.closing:
            return out + self.closing
        c = self.counts
        out.append(
            f"{'Dry run: nothing written. ' if self.dry_run else ''}"
            f"{c['posts']} posts read: {c['written']} {'to write' if self.dry_run else 'written'}"
            f" ({c['drafts']} as drafts), {c['already']} already in the archive, {c['skipped']} skipped"
            f" (private, protected or trashed), {c['unwritten']} not written because of errors;"
            f" {len(self.profiles)} new author profiles; {sum(self.left_out.values())} other items left out"
            + (f" ({', '.join(f'{n} {kind}' for kind, n in sorted(self.left_out.items()))}; "
               "post_types: in the map says which become briefs)." if self.left_out else "."))
        if self.has_errors:
            out.append("Next: fix the map (or the posts in WordPress) for the errors above and run the import again; "
                       "what was written stays, and a second run writes only what is new.")
        elif self.dry_run:
            out.append("Next: run the same command without --dry-run.")
        else:
            out.append("Next: run 'briefs check', then 'make serve' to read the imported briefs, "
                       "and open a pull request.")
        return out


def _inventory(export: Path, wanted: tuple[str, ...] | None = None) -> Inventory:
    """Authors, terms and counts; terms and authors are counted on the items of the `wanted`
    post types (None: every kind of item that may hold an article)."""
    found = Inventory()
    for thing in read_export(export):
        if isinstance(thing, Author):
            found.authors.setdefault(thing.login, thing)
        elif isinstance(thing, Term):
            found.terms.setdefault((thing.domain, thing.slug), thing)
        else:
            found.items[thing.post_type] += 1
            if thing.post_type in wanted if wanted is not None else thing.post_type not in INTERNAL_TYPES:
                found.posts[("author", thing.creator)] += 1
                for term in thing.terms:
                    found.terms.setdefault((term.domain, term.slug), term)
                    found.posts[(term.domain, term.slug)] += 1
                if thing.creator and thing.creator not in found.authors:
                    found.authors[thing.creator] = Author(thing.creator, thing.creator, line=thing.line)
    return found


def _shown(paths: ArchivePaths, file: Path) -> str:
    return paths.shown(file)


# --- --write-map --------------------------------------------------------------------------------

def write_map(paths: ArchivePaths, export: Path, target: Path) -> ImportReport:
    """Writes a starting map for `export` at `target` (never over an existing file)."""
    report = ImportReport(export=_shown(paths, export), refused=True)
    shown_map = _shown(paths, target)
    if target.exists():
        report.add(ERROR, 1, f"{shown_map} already exists and was left as it is; edit it, or give another file name",
                   path=shown_map)
        return report
    try:
        found = _inventory(export)
    except ExportError as exc:
        report.add(ERROR, exc.line, str(exc))
        return report
    loaded = load_archive(paths, derive_summaries=False)
    kinds = Counter({kind: n for kind, n in found.items.items() if kind not in INTERNAL_TYPES})
    text = starting_map(list(found.authors.values()), found.terms, found.posts, Vocabulary(loaded.catalogue),
                        report.export, shown_map, kinds)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as file:
        file.write(text)
    report.refused = False
    report.written.append(shown_map)
    report.closing = [
        f"The map holds {_count(len(found.authors), 'author')} and {_count(len(found.terms), 'term')} (categories and tags) "
        f"of {_count(sum(kinds.values()), 'item')} that may become briefs.",
        f"Next: review every line of {shown_map}, then run "
        f"'briefs import wordpress {report.export} --map {shown_map} --dry-run'."]
    return report


# --- the import ---------------------------------------------------------------------------------

@dataclass
class _Plan:
    """What one post becomes, or why it cannot."""

    fields: dict[str, object]
    body: str
    target: Path | None
    profiles: dict[str, str]  # author key -> profile text, for authors new to the archive
    errors: list[str]
    warnings: list[str]


def _front_matter(fields: dict[str, object]) -> str:
    # The same YAML style as `briefs new`: one field a line, lists on one line, titles quoted
    # where YAML needs it.
    lines = [yaml.dump({key: value}, Dumper=_DUMPER, allow_unicode=True, width=1_000_000,
                       default_flow_style=None if isinstance(value, list) else False)
             for key, value in fields.items()]
    return "---\n" + "".join(lines) + "---\n"


def _post_date(item: Item) -> date | None:
    text = item.post_date.strip()
    try:
        return datetime.strptime(text[:10], "%Y-%m-%d").date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(item.pub_date.strip()).date()
    except (TypeError, ValueError, IndexError):
        return None


class _Importer:
    def __init__(self, paths: ArchivePaths, loaded: LoadedArchive, mapping: ImportMap, found: Inventory,
                 report: ImportReport):
        self.paths, self.loaded, self.map, self.found, self.report = paths, loaded, mapping, found, report
        self.vocabulary = Vocabulary(loaded.catalogue)
        # Every brief file on disk, whatever its state (one with errors still holds its slug).
        self.taken: dict[str, str] = {file.stem: paths.shown(file)
                                      for file in sorted(paths.briefs_dir.rglob("*.md"))} if paths.briefs_dir.is_dir() else {}
        self.addresses: set[str] = set()
        for brief in loaded.briefs.values():
            self.addresses.add("/" + brief.url)
            self.addresses.update(_normalised(alias) for alias in brief.aliases)
        self.new_profiles: dict[str, str] = {}  # key -> profile text, planned in this run
        self.reported_terms: set[tuple[str, str]] = set()
        self.left_out = report.left_out
        self.this_run: set[str] = set()  # slugs of the briefs this run writes (or would write)

    # -- one post --

    def plan(self, item: Item, body: Converted) -> _Plan:
        errors: list[str] = []
        warnings: list[str] = []
        title = plain_text(item.title)
        if not title:
            errors.append("it has no title; give it one in WordPress")
        published = _post_date(item)
        if published is None:
            errors.append(f"its date '{item.post_date}' is not a date; give it one in WordPress")

        topics: list[str] = []
        types: list[str] = []
        programs: list[str] = []
        for term in item.terms:
            key = (term.domain, term.slug)
            meaning = self.map.terms.get(key)
            if meaning is None:
                errors.append(f"{_term_kind(term)} '{term.slug}' is not mapped")
                self._report_unmapped(term)
                continue
            if meaning.ignore:
                continue
            topics += [t for t in meaning.topics if t not in topics]
            if meaning.type and meaning.type not in types:
                types.append(meaning.type)
            if meaning.program and meaning.program not in programs:
                programs.append(meaning.program)
        if not types and self.map.default_type:
            types.append(self.map.default_type)
        if not programs and self.map.default_program:
            programs.append(self.map.default_program)
        if not any(e.endswith("is not mapped") for e in errors):
            if not item.terms:
                errors.append("it has no category or tag, so no topic; give it a category in WordPress and "
                              "export again, or add the brief by hand")
            else:
                if not topics:
                    errors.append("none of its categories and tags maps to a topic; map one of "
                                  f"{', '.join(repr(t.slug) for t in item.terms)} to a topic")
                if not types:
                    errors.append("none of its categories and tags maps to a type; map one to a type, "
                                  "or set defaults: type: KEY in the map")
        if len(types) > 1:
            errors.append(f"its terms map to more than one type ({', '.join(types)}); a brief has one type")
        if len(programs) > 1:
            errors.append(f"its terms map to more than one program ({', '.join(programs)}); a brief has at most one")

        authors, profiles = self._authors(item)
        slug = self._slug(item, title)
        for name in body.unknown_shortcodes:
            warnings.append(f"unknown shortcode [{name}] kept as text; rewrite or remove it in the brief")
        if body.removed:
            warnings.append(f"removed what a page may not run: {', '.join(body.removed)}")
        if not body.markdown.strip():
            warnings.append("its body is empty")

        fields: dict[str, object] = {"title": title, "date": published, "type": types[0] if types else None,
                                     "authors": authors, "topics": topics}
        if programs:
            fields["program"] = programs[0]
        summary = plain_text(item.excerpt)
        if summary:
            fields["summary"] = summary
        target = None
        if published is not None:
            target = self.paths.briefs_dir / f"{published.year:04d}" / f"{slug}.md"
        if published is not None and item.status not in DRAFTS:  # a draft never had a public address
            alias, why_not = self._alias(item, published, slug)
            if alias:
                fields["aliases"] = [alias]
            elif why_not:
                warnings.append(why_not)
        if item.status in DRAFTS:
            fields["draft"] = True
        elif item.status == "future" and published is not None:
            warnings.append(f"it is scheduled in WordPress for {published.isoformat()}: the archive publishes it "
                            "from that date (a brief dated later than the build's date is scheduled)")
        return _Plan(fields, body.markdown, target, profiles, errors, warnings)

    def _report_unmapped(self, term: Term) -> None:
        key = (term.domain, term.slug)
        if key in self.reported_terms:
            return
        self.reported_terms.add(key)
        guess = self.vocabulary.guess_term(self.found.terms.get(key, term))
        hint = f" (did you mean {{{guess[0]}: {guess[1]}}}?)" if guess else ""
        section = SECTIONS[term.domain]
        if self.map.path:
            where = (f"it is listed in {self.map.path} without a value" if key in self.map.terms
                     else f"add it under {section}: in {self.map.path}")
        else:
            where = "write a map with --write-map, review it, and pass it with --map"
        declared = self.found.terms.get(key, term)
        self.report.add(ERROR, declared.line,
                        f"{_term_kind(term)} '{term.slug}' (\"{declared.name}\", {_count(self.found.posts[key], 'post')}) "
                        f"has no mapping{hint}: {where}; map it to a topic, type or program, or '{IGNORE}'")

    def _authors(self, item: Item) -> tuple[list[str], dict[str, str]]:
        login = item.creator.strip()
        author = self.found.authors.get(login) or Author(login or "unknown", login or "unknown", line=item.line)
        mapped = self.map.authors.get(author.login, NEW)
        if mapped != NEW:
            return [mapped], {}
        key = author_key(author)
        profile_file = self.paths.authors_dir / f"{key}.md"
        if key in self.vocabulary.authors or key in self.new_profiles or profile_file.exists():
            return [key], {}  # the profile of that name is already there (an earlier import made it)
        fields: dict[str, object] = {"name": plain_text(author.display_name) or plain_text(author.login) or key}
        if author.first_name and author.last_name:
            fields["family"], fields["given"] = author.last_name, author.first_name
        return [key], {key: _front_matter(fields)}

    def _slug(self, item: Item, title: str) -> str:
        post_id = slugify(item.post_id) or "0"
        if post_id in self.map.slugs:
            return self.map.slugs[post_id]
        slug = slug_for_title(unquote(item.post_name)) or slug_for_title(title) or f"post-{post_id}"
        return f"{slug}-{post_id}" if slug in RESERVED_SLUGS else slug

    def _alias(self, item: Item, published: date, slug: str) -> tuple[str | None, str | None]:
        """The post's old address as an alias, or why it cannot be one (None when not worth saying)."""
        link = urlsplit(item.link.strip())
        path = unquote(link.path or "/")
        old = item.link.strip() or "(none)"
        if path in ("", "/"):
            if link.query:
                return None, (f"its old address {old} cannot redirect: a static site serves paths, not '?' "
                              "queries (see 'Moving an existing archive in' in CONTRIBUTING.md)")
            return None, None
        if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            path += "/"
        if not _ALIAS.match(path) or any(part in (".", "..") for part in path.split("/")):
            return None, (f"its old address {old} cannot redirect: an alias may hold only letters a-z, digits "
                          "and - . _ ~; add one by hand in the brief's aliases if readers need it")
        if path == f"/briefs/{published.year:04d}/{slug}/":
            return None, None  # the same address as before: nothing to redirect
        first = path.strip("/").split("/", 1)[0]
        if first in SITE_SECTIONS:
            return None, f"its old address {path} is in the site's own {first}/ section, so it is not kept as an alias"
        if _normalised(path) in self.addresses:
            return None, f"its old address {path} is already an address of the archive, so it is not kept as an alias"
        return path, None

    # -- the whole export --

    def run(self, export: Path, dry_run: bool) -> None:
        """Each post in file order. Converting bodies is most of the work: with many posts and
        cores to spare, worker processes convert the next few while this one plans and writes,
        always in file order, so the files and the report are those of a run without workers."""
        workers = fork_workers(sum(self.found.items[kind] for kind in self.map.post_types), PARALLEL_FROM)
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) if workers > 1 else None
        ahead = workers * 16  # posts being converted at once: memory stays a few posts' worth
        pending: deque[tuple[Item, str, Future[Converted] | Converted]] = deque()
        try:
            for item in read_export(export):
                label = self._admit(item) if isinstance(item, Item) else None
                if label is None:
                    continue
                pending.append((item, label, pool.submit(to_markdown, item.content) if pool else to_markdown(item.content)))
                while len(pending) > (ahead if pool else 0):
                    self._finish(*pending.popleft(), dry_run)
            while pending:
                self._finish(*pending.popleft(), dry_run)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    def _admit(self, item: Item) -> str | None:
        """The post's label when it is to be planned; None (counted and said) when it is not."""
        report, counts = self.report, self.report.counts
        if item.post_type not in self.map.post_types:
            self.left_out[item.post_type] += 1
            return None
        counts["posts"] += 1
        label = f"post {item.post_id} \"{plain_text(item.title) or '(no title)'}\""
        why = SKIPPED.get(item.status)
        if why is None and item.password:
            why = "it is password-protected, so not for every reader"
        if why is None and item.status not in PUBLISHED | DRAFTS:
            why = f"its status '{item.status}' is not published, draft or pending"
        if why is not None:
            counts["skipped"] += 1
            report.add(NOTE, item.line, f"{label} skipped: {why}")
            return None
        # Already imported (a second run): said before the post's body is converted for nothing.
        published = _post_date(item)
        if published is not None:
            earlier = self.paths.briefs_dir / f"{published.year:04d}" / f"{self._slug(item, plain_text(item.title))}.md"
            # A file this run wrote is another post of the export with the same slug: a clash,
            # said when it is planned, as in a dry run, not "already there".
            if earlier.stem not in self.this_run and earlier.exists():
                counts["already"] += 1
                report.add(NOTE, item.line, f"{label}: {self.paths.shown(earlier)} already exists and was left as it is")
                return None
        return label

    def _finish(self, item: Item, label: str, body: Future[Converted] | Converted, dry_run: bool) -> None:
        report, counts = self.report, self.report.counts
        plan = self.plan(item, body.result() if isinstance(body, Future) else body)
        target = plan.target
        if target is not None and not plan.errors:
            slug = target.stem
            if slug in self.taken:
                plan.errors.append(
                    f"its slug '{slug}' is already used by {self.taken[slug]}; slugs are unique across all years, "
                    f"so choose another under slugs: in the map (\"{item.post_id}\": {slug}-{target.parent.name})")
            elif not target.resolve().is_relative_to(self.paths.docs_dir.resolve()):
                plan.errors.append(f"its file {target} would be outside content/")  # slugs make this impossible
        for warning in plan.warnings:
            report.add(WARNING, item.line, f"{label}: {warning}")
        if plan.errors:
            counts["unwritten"] += 1
            report.add(ERROR, item.line, f"{label} was not written: {'; '.join(plan.errors)}")
            return
        assert target is not None
        self._write(target, plan, dry_run)
        counts["written"] += 1
        counts["drafts"] += bool(plan.fields.get("draft"))

    def _write(self, target: Path, plan: _Plan, dry_run: bool) -> None:
        for key, text in plan.profiles.items():
            profile = self.paths.authors_dir / f"{key}.md"
            if key in self.new_profiles:
                continue
            self.new_profiles[key] = text
            self.report.profiles.append(self.paths.shown(profile))
            if not dry_run:
                profile.parent.mkdir(parents=True, exist_ok=True)
                with open(profile, "x", encoding="utf-8", newline="\n") as file:
                    file.write(text)
        self.taken[target.stem] = self.paths.shown(target)
        self.this_run.add(target.stem)
        self.addresses.add(f"/briefs/{target.parent.name}/{target.stem}/")  # later posts' old addresses
        self.addresses.update(_normalised(alias) for alias in plan.fields.get("aliases", ()))  # type: ignore[union-attr]
        self.report.written.append(self.paths.shown(target))
        if dry_run:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as file:  # never overwrites
            file.write(_front_matter(plan.fields) + plan.body)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _normalised(alias: str) -> str:
    return alias if alias.endswith("/") or "." in alias.rsplit("/", 1)[-1] else alias + "/"


def _term_kind(term: Term) -> str:
    return "category" if term.domain == "category" else "tag"


def import_wordpress(paths: ArchivePaths, export: Path, map_file: Path | None = None,
                     dry_run: bool = False) -> ImportReport:
    """Imports `export` into the archive at `paths` (or, with `dry_run`, only says what it would do)."""
    report = ImportReport(export=_shown(paths, export), dry_run=dry_run)
    loaded = load_archive(paths, derive_summaries=False)
    vocabulary = Vocabulary(loaded.catalogue)
    mapping = ImportMap()
    if map_file is not None:
        map_report = Report()
        mapping = read_map(map_file, _shown(paths, map_file), vocabulary, map_report)
        if map_report.errors:
            report.refused = True
            report.problems += map_report.sorted()
            return report
    try:
        found = _inventory(export, mapping.post_types)
    except ExportError as exc:
        report.refused = True
        report.add(ERROR, exc.line, str(exc))
        return report
    importer = _Importer(paths, loaded, mapping, found, report)
    try:
        importer.run(export, dry_run)
    except ExportError as exc:  # the file changed between the two readings
        report.add(ERROR, exc.line, str(exc))
    # Terms first (the cause), then each post, in file order.
    report.problems.sort(key=lambda p: (p.path != report.export, "has no mapping" not in p.message, p.line))
    return report


__all__ = ["ImportReport", "Inventory", "import_wordpress", "write_map"]
