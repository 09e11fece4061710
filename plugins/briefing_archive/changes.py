"""`briefs changes BASE`: what a pull request does to the published site, read from data.

Both revisions are loaded by the catalogue's own loader (BASE's `content/`, `site_config/` and
`mkdocs.yml` taken out of git into a temporary folder by one `git archive`), their pages planned
by `pages.py`, and what each reader-facing page would show is compared at the level of data:
which briefs, in which order, with which title, date, summary, byline… No site is built, so a
10,000-brief archive is compared in seconds. Plain Python, no MkDocs.

What is compared, and how exactly:
- every brief page's own fields and text, its previous/next briefs and the briefs citing it;
- every listing page (latest, topic, author, type, program, year; page by page), its header
  (a topic's description, an author's profile), the index pages (home, topics, authors,
  archive, types, programs), every Atom feed's entries, the JSON API files;
- related-brief lists, exactly as the build ranks them. When every topic and author weighs the
  same in both revisions (a retitle, an edit of the text: the weights come from how many briefs
  have each), only the briefs an edit can reach are ranked, in both — the changed briefs, every
  brief within the ranking's window of one in a topic or author they share (a brief is only
  ever a candidate within that window), and those naming one under `related:`. Otherwise (a
  brief added or removed, topics or authors changed) every brief is ranked in the working tree,
  on every core, and in BASE again only where the weights that moved could push a candidate
  across the threshold or swap two in its list (`_surely_the_same`);
- problems: those of the working tree that BASE did not have (same file, severity and words;
  the line may have moved);
- addresses: every brief, alias, listing and feed address BASE published that the working
  tree no longer serves, as `path:line: warning:` lines saying which alias would keep it.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import stat
import subprocess
import tarfile
import tempfile
from bisect import bisect_left
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator


from .catalogue import ArchivePaths, Brief, Catalogue, LoadedArchive, Problem, Report, load_archive
from .catalogue.read_briefs import PARALLEL_FROM as READ_PARALLEL_FROM
from .forking import fork_workers
from .catalogue.history import History, read_history
from .catalogue.reading import read_text
from .catalogue.text import derived_summary, format_date
from .outputs.api import API_FILES
from .outputs.feeds import FEED_KINDS, Feed
from .pages import Listing, listings
from .related import RelatedIndex
from .site_settings import SETTING_DEFAULTS, SiteSettings, read_settings

# The `briefing-archive` plugin's defaults (mkdocs_plugin/config.py; a test holds them equal).
ARCHIVE_PATHS = ("content", "site_config", "mkdocs.yml")


class ChangesError(Exception):
    """The comparison cannot be made (no git, no such revision): one line saying why and what to do."""


# --- git -----------------------------------------------------------------------------------------

def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    except OSError as exc:
        raise ChangesError(f"git could not be run ({exc.strerror}); the comparison needs git") from exc
    if done.returncode != 0:
        raise ChangesError((done.stderr.strip().splitlines() or [f"git {args[0]} failed"])[-1])
    return done.stdout


def _is_commit(cwd: Path, revision: str) -> str | None:
    done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
                          cwd=cwd, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def _shallow_hint(cwd: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=cwd, capture_output=True, text=True)
    return (" (this is a shallow clone, which lacks the history: fetch it, e.g. actions/checkout with "
            "'fetch-depth: 0')") if done.stdout.strip() == "true" else ""


def git_root(root: Path) -> tuple[Path, str]:
    """The repository's top folder and the archive's folder inside it ('' or 'sub/')."""
    try:
        top, prefix = (_git(root, "rev-parse", "--show-toplevel", "--show-prefix").split("\n") + [""])[:2]
    except ChangesError as exc:
        raise ChangesError(f"{root} is not inside a git repository ({exc}); 'briefs changes' compares "
                           "with a git revision") from None
    return Path(top), prefix


def resolve_base(root: Path, base: str | None) -> tuple[str, str, bool]:
    """(BASE's name, the commit to compare with, whether that is a merge base). Without BASE: the
    merge base of HEAD and the default branch, i.e. what the branch changed since it left it."""
    if base is not None:
        commit = _is_commit(root, base)
        if commit is None:
            raise ChangesError(f"'{base}' is not a revision of this repository{_shallow_hint(root)}")
        return base, commit, False
    candidates = []
    if os.environ.get("GITHUB_BASE_REF"):  # a pull request's target branch, under GitHub Actions
        candidates.append(f"origin/{os.environ['GITHUB_BASE_REF']}")
    remote_head = subprocess.run(["git", "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"],
                                 cwd=root, capture_output=True, text=True)
    if remote_head.returncode == 0 and remote_head.stdout.strip():
        candidates.append(remote_head.stdout.strip())
    candidates += ["origin/main", "origin/master", "main", "master"]
    for branch in dict.fromkeys(candidates):
        if _is_commit(root, branch):
            done = subprocess.run(["git", "merge-base", "HEAD", branch], cwd=root, capture_output=True, text=True)
            if done.returncode != 0:
                raise ChangesError(f"HEAD and {branch} have no common history{_shallow_hint(root)}; "
                                   "name the revision to compare with: briefs changes BASE")
            return branch, done.stdout.strip(), True
    raise ChangesError("no BASE given and no default branch to compare with (tried "
                       f"{', '.join(dict.fromkeys(candidates))}); name one: briefs changes main")


def changed_paths(root: Path, commit: str) -> set[str]:
    """The archive's files (relative to `root`) that differ between `commit` and the working tree,
    new untracked ones included: git knows from its index without reading every file."""
    names = _git(root, "diff", "--name-only", "-z", "--no-renames", "--relative", commit, "--", *ARCHIVE_PATHS)
    names += _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", *ARCHIVE_PATHS)
    return {name for name in names.split("\0") if name}


def materialise(root: Path, commit: str, into: Path, changed: set[str]) -> Path:
    """BASE's archive files under `into`; returns the archive's root there. A file the working
    tree has unchanged is hard-linked from it (one quick call, nothing copied: at 10,000 briefs
    writing them all out of git took most of the comparison); the others come out of one
    `git archive`. Nothing is ever written into the linked files."""
    top, prefix = git_root(root)
    target = into / prefix
    target.mkdir(parents=True, exist_ok=True)
    wanted = [prefix + name for name in ARCHIVE_PATHS]
    listed = [name for name in _git(top, "ls-tree", "-r", "-z", "--name-only", commit, "--", *wanted).split("\0") if name]
    needed: set[str] = set()
    folders: set[Path] = set()
    linking = True
    for name in listed:
        relative = name[len(prefix):]
        if linking and relative not in changed:
            source, copy = root / relative, target / relative
            try:
                if stat.S_ISREG(os.lstat(source).st_mode):
                    if copy.parent not in folders:
                        copy.parent.mkdir(parents=True, exist_ok=True)
                        folders.add(copy.parent)
                    os.link(source, copy)
                    continue
            except OSError:
                linking = False  # another disk, or no hard links here: take every file from git
        needed.add(name)
    if needed:
        present = [name for name in wanted if any(n == name or n.startswith(name + "/") for n in needed)]
        with subprocess.Popen(["git", "archive", "--format=tar", commit, "--", *present], cwd=top,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
            assert process.stdout is not None and process.stderr is not None
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                for member in archive:
                    if member.isdir() or member.name not in needed or os.path.lexists(into / member.name):
                        continue
                    try:  # the `data` filter refuses links out of the folder, devices, absolute paths
                        archive.extract(member, into, filter="data")
                    except tarfile.FilterError:
                        continue
            error = process.stderr.read().decode("utf-8", "replace")
        if process.returncode != 0:
            raise ChangesError((error.strip().splitlines() or ["git archive failed"])[-1])
    return target


# --- one revision -----------------------------------------------------------------------------------

@dataclass
class Revision:
    """One side of the comparison. Loaded as `briefs check` loads (no summaries derived from the
    text: that is a Markdown rendering per brief); `changed` names the files (relative to the
    root) that differ from the other side, None for all: only their texts are read again, and
    summaries are derived only where they can differ (`fill_summaries`)."""

    paths: ArchivePaths
    settings: SiteSettings
    loaded: LoadedArchive
    changed: set[str] | None = None

    def __post_init__(self) -> None:
        self.catalogue: Catalogue = self.loaded.catalogue
        self._bodies: dict[str, str] = {}
        self._planned: tuple[RelatedIndex, dict[tuple[str, str], Listing]] | None = None

    def plan(self) -> tuple[RelatedIndex, dict[tuple[str, str], Listing]]:
        """The ranking and the listings of the catalogue as it stands (after `fill_summaries`)."""
        if self._planned is None or self._planned[0].catalogue is not self.catalogue:
            self._planned = (RelatedIndex(self.catalogue),
                             {(listing.kind, _subject_key(listing)): listing for listing in listings(self.catalogue)})
        return self._planned

    @property
    def related(self) -> RelatedIndex:
        return self.plan()[0]

    @property
    def listings(self) -> dict[tuple[str, str], Listing]:
        return self.plan()[1]

    def is_changed(self, slug: str) -> bool:
        return self.changed is None or self.path_of(slug) in self.changed

    def fill_summaries(self, retitled: set[str]) -> None:
        """Summaries derived from the text (as the build derives them) for the briefs without a
        `summary` whose text changed or whose first paragraph may name a retitled brief; the
        others keep an empty one, the same on both sides."""
        titles = {slug: brief.title for slug, brief in self.loaded.briefs.items()}
        filled = {}
        for slug, brief in self.catalogue.briefs.items():
            if brief.summary:
                continue
            if self.is_changed(slug) or any(link.slug in retitled for link in self.loaded.body_links[slug].wiki):
                filled[slug] = replace(brief, summary=derived_summary(self.body(slug), titles))
        if filled:
            c = self.catalogue
            self.catalogue = Catalogue(site_name=c.site_name, topics=c.topics, types=c.types, programs=c.programs,
                                       authors=c.authors, briefs={slug: filled.get(slug, b) for slug, b in c.briefs.items()},
                                       links_to=c.links_to)

    @property
    def published(self) -> dict[str, Brief]:
        return self.catalogue.briefs

    def path_of(self, slug: str) -> str:
        source = self.loaded.sources.get(slug)
        return source.path if source else ""

    def body(self, slug: str) -> str:
        """The brief's text, read again from its file (a check's load keeps none)."""
        if slug not in self._bodies:
            source = self.loaded.sources.get(slug)
            text = read_text(self.paths.root / source.path, source.path, Report()) if source else None
            self._bodies[slug] = text[source.body_start :] if source and text is not None else ""
        return self._bodies[slug]

    def line_of(self, slug: str, key: str) -> int:
        source = self.loaded.sources.get(slug)
        return source.meta.line_of(key) if source else 1


def load_revision(root: Path, cache_dir: Path | None, fallback_dir: Path | None = None,
                  changed: set[str] | None = None, history: History | None = None) -> Revision:
    paths = ArchivePaths.at(root)
    settings = read_settings(paths.root, fallback_dir)
    loaded = load_archive(paths, site_name=settings.site_name, derive_summaries=False, cache_dir=cache_dir,
                          language=settings.language, history=history)
    return Revision(paths, settings, loaded, changed)


def _subject_key(listing: Listing) -> str:
    subject = listing.subject
    return str(subject) if isinstance(subject, int) else getattr(subject, "key", "")


# --- the result -------------------------------------------------------------------------------------

@dataclass
class FieldChange:
    field: str
    before: str = ""
    after: str = ""


@dataclass
class BriefChange:
    status: str  # added | changed | removed
    slug: str
    title: str
    url: str  # site-absolute, the address it has now (removed: the one it had)
    path: str  # its file (removed: the file it was)
    fields: list[FieldChange] = field(default_factory=list)
    note: str = ""


@dataclass
class Entry:
    slug: str
    title: str
    page: int = 0  # the listing page it is on (after; for a brief leaving: before)
    fields: list[str] = field(default_factory=list)


@dataclass
class ListingChange:
    kind: str  # latest | topic | author | type | program | year
    key: str
    title: str
    url: str
    status: str  # added | changed | removed
    pages_before: int
    pages_after: int
    changed_pages: list[int]  # numbers of the pages (of the working tree; BASE's for a removed one) that change
    header: list[str] = field(default_factory=list)
    entered: list[Entry] = field(default_factory=list)
    left: list[Entry] = field(default_factory=list)
    updated: list[Entry] = field(default_factory=list)

    @property
    def page_urls(self) -> list[str]:
        return [self.url if n == 1 else f"{self.url}page/{n}/" for n in self.changed_pages]


@dataclass
class PageChange:
    title: str
    url: str
    what: list[str]


@dataclass
class FeedChange:
    title: str
    url: str
    status: str
    header: list[str] = field(default_factory=list)
    entered: list[Entry] = field(default_factory=list)
    left: list[Entry] = field(default_factory=list)
    updated: list[Entry] = field(default_factory=list)


@dataclass
class BriefPageChange:
    """Another brief's page that changes because of the edit: its lists of other briefs."""
    slug: str
    title: str
    url: str
    related: list[str] = field(default_factory=list)  # "+ slug", "- slug", "order", "~ slug"
    backlinks: list[str] = field(default_factory=list)
    neighbours: list[str] = field(default_factory=list)


@dataclass
class Changes:
    base: str
    base_commit: str
    briefs: list[BriefChange] = field(default_factory=list)
    listings: list[ListingChange] = field(default_factory=list)
    index_pages: list[PageChange] = field(default_factory=list)
    brief_pages: list[BriefPageChange] = field(default_factory=list)
    feeds: list[FeedChange] = field(default_factory=list)
    data_files: list[str] = field(default_factory=list)
    other_files: list[FieldChange] = field(default_factory=list)  # field: the file, before/after: its address or ""
    new_problems: list[Problem] = field(default_factory=list)
    fixed_problems: int = 0
    broken_urls: list[Problem] = field(default_factory=list)
    related_ranked: str = ""  # "every brief" or how many
    merge_base: bool = False  # base_commit is where the branch left BASE, not BASE itself

    def as_data(self) -> dict:
        """Everything, as JSON can hold it (`briefs changes --format json`)."""
        data = asdict(self)
        for item, change in zip(data["listings"], self.listings):
            item["page_urls"] = change.page_urls
        return data

    @property
    def count(self) -> int:
        return (len(self.briefs) + len(self.listings) + len(self.index_pages) + len(self.brief_pages)
                + len(self.feeds) + len(self.data_files) + len(self.other_files))


# --- comparing ----------------------------------------------------------------------------------------

def _site(url: str) -> str:
    return "/" + url


def _names(items: Iterable[Any], attribute: str) -> str:
    return ", ".join(getattr(item, attribute) for item in items)


CARD_FIELDS = ("address", "title", "date", "type", "authors", "summary", "reading time")
_cards: dict[Brief, tuple] = {}  # for one comparison: a brief is on several listings


def card_values(brief: Brief) -> tuple:
    found = _cards.get(brief)
    if found is None:
        found = _cards[brief] = tuple(card(brief).values())
    return found


def card(brief: Brief) -> dict[str, Any]:
    """What a listing entry (and the home page) shows of a brief."""
    return {"address": brief.url, "title": brief.title, "date": brief.date, "type": brief.type.title,
            "authors": tuple(a.name for a in brief.authors), "summary": brief.summary,
            "reading time": brief.reading_minutes}


def mini(brief: Brief) -> tuple:
    """What a related brief or a brief citing this one shows: type, date, title (and its link)."""
    return (brief.slug, brief.url, brief.type.title, brief.date, brief.title)


def feed_entry(brief: Brief) -> dict[str, Any]:
    return {"address": brief.url, "title": brief.title, "date": brief.date, "updated": brief.updated,
            "authors": tuple((a.name, a.url) for a in brief.authors),
            "topics": tuple((t.key, t.title) for t in brief.topics), "summary": brief.summary}


def _differs(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [key for key in after if before.get(key) != after[key]]


def _compare_briefs(base: Revision, head: Revision) -> tuple[list[BriefChange], set[str]]:
    """Briefs added, changed and removed (published ones; drafts noted), and every slug whose
    page or entries could show differently."""
    changes: list[BriefChange] = []
    touched: set[str] = set()
    before, after = base.published, head.published
    added = [s for s in after if s not in before]
    removed = [s for s in before if s not in after]
    # A file renamed is one brief that moved when two of its text, title and date stayed the same
    # (one alone could be chance: two new briefs both holding `briefs new`'s placeholder text).
    moved: dict[str, str] = {}
    for slug in removed:
        if slug in head.loaded.all_slugs:
            continue  # the file is still there (a draft, or not loadable): not a move
        old = before[slug]
        for new_slug in added:
            if new_slug in moved.values() or new_slug in base.loaded.all_slugs:
                continue
            new = after[new_slug]
            same_text = bool(base.body(slug).strip()) and base.body(slug) == head.body(new_slug)
            if same_text + (old.title == new.title) + (old.date == new.date) >= 2:
                moved[slug] = new_slug
                break

    for slug in sorted(after, key=lambda s: after[s].sort_key):
        brief = after[slug]
        old_slug = next((o for o, n in moved.items() if n == slug), slug)
        if old_slug not in before:
            touched.add(slug)
            draft_before = base.loaded.briefs.get(slug)
            note = "was a draft; now published" if draft_before is not None and draft_before.draft else ""
            if not note and slug in base.loaded.all_slugs:
                note = "had errors in BASE; now published"
            changes.append(BriefChange("added", slug, brief.title, _site(brief.url), head.path_of(slug), [
                FieldChange("date", after=format_date(brief.date)), FieldChange("type", after=brief.type.title),
                FieldChange("authors", after=_names(brief.authors, "name")),
                FieldChange("topics", after=_names(brief.topics, "title"))], note))
            continue
        text_may_differ = base.is_changed(old_slug) or head.is_changed(slug)
        fields = _field_changes(before[old_slug], brief, base.body(old_slug) if text_may_differ else "",
                                head.body(slug) if text_may_differ else "")
        if before[old_slug].url != brief.url:
            touched.add(old_slug)
            fields.insert(0, FieldChange("address", _site(before[old_slug].url), _site(brief.url)))
        if fields:
            touched.add(slug)
            path = head.path_of(slug)
            changes.append(BriefChange("changed", slug, brief.title, _site(brief.url), path, fields,
                                       f"was {base.path_of(old_slug)}" if base.path_of(old_slug) != path else ""))
    for slug in sorted(removed, key=lambda s: before[s].sort_key):
        if slug in moved:
            continue
        touched.add(slug)
        brief = before[slug]
        now = head.loaded.briefs.get(slug)
        if now is not None and now.draft:
            note = "made a draft (draft: true): off the site until published"
        elif slug in head.loaded.all_slugs:
            note = "has errors: left out until they are fixed (see the problems below)"
        else:
            note = "file deleted"
        changes.append(BriefChange("removed", slug, brief.title, _site(brief.url),
                                   head.path_of(slug) or base.path_of(slug), [], note))
    # Drafts added or changed are not on the site: noted, nothing else.
    for slug, brief in sorted(head.loaded.briefs.items()):
        if brief.draft and slug not in base.loaded.briefs:
            changes.append(BriefChange("added", slug, brief.title, _site(brief.url), head.path_of(slug), [],
                                       "a draft: not published until 'draft: true' is removed"))
    return changes, touched


def _field_changes(old: Brief, new: Brief, old_body: str, new_body: str) -> list[FieldChange]:
    found: list[FieldChange] = []

    def note(name: str, before: Any, after: Any) -> None:
        if before != after:
            found.append(FieldChange(name, str(before or ""), str(after or "")))

    note("title", old.title, new.title)
    note("date", format_date(old.date), format_date(new.date))
    note("updated", old.updated and format_date(old.updated), new.updated and format_date(new.updated))
    note("type", old.type.title, new.type.title)
    note("authors", _names(old.authors, "name"), _names(new.authors, "name"))
    old_topics, new_topics = [t.title for t in old.topics], [t.title for t in new.topics]
    if old_topics != new_topics:
        plus = [t for t in new_topics if t not in old_topics]
        minus = [t for t in old_topics if t not in new_topics]
        found.append(FieldChange("topics", ", ".join(old_topics), ", ".join(new_topics)
                                 if plus or minus else ", ".join(new_topics) + " (order)"))
    note("program", old.program and old.program.title, new.program and new.program.title)
    note("summary", old.summary, new.summary)
    if old_body != new_body:
        found.append(FieldChange("text"))
    note("reading time", f"{old.reading_minutes} min", f"{new.reading_minutes} min")
    note("related", ", ".join(old.related), ", ".join(new.related))
    note("aliases", ", ".join(old.aliases), ", ".join(new.aliases))
    return found


def _pages(briefs: tuple[Brief, ...], size: int) -> list[tuple]:
    count = max(1, -(-len(briefs) // size))
    return [tuple((b.slug, card_values(b)) for b in briefs[(n - 1) * size : n * size]) for n in range(1, count + 1)]


def _listing_header(revision: Revision, listing: Listing) -> dict[str, Any]:
    subject, catalogue = listing.subject, revision.catalogue
    header: dict[str, Any] = {"title": listing.title}
    if listing.kind == "topic":
        header.update(description=subject.description, group=subject.group,
                      **{"often published with": [(t.title, n) for t, n in catalogue.co_topics(subject.key)],
                         "most active authors": [(a.name, n) for a, n in catalogue.topic_authors(subject.key)]})
    elif listing.kind == "author":
        header.update(role=subject.role, program=subject.program and subject.program.title, photo=subject.photo,
                      links=[(link.label, link.url) for link in subject.links], alumni=subject.alumni,
                      profile=_file_text(revision.paths.docs_dir / subject.src_uri),
                      **{"author's topics": [(t.title, n) for t, n in catalogue.author_topics(subject.key)]})
    elif listing.kind == "program":
        header.update(short=subject.short, description=subject.description)
    header["count"] = len(listing.briefs)
    return header


# What only the first page of a listing shows; the rest of its header is on every page.
PAGE_ONE_ONLY = frozenset({"often published with", "most active authors", "author's topics", "profile"})


def _file_text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _compare_listings(base: Revision, head: Revision) -> list[ListingChange]:
    found = []
    for key in [*head.listings, *(k for k in base.listings if k not in head.listings)]:
        old, new = base.listings.get(key), head.listings.get(key)
        shown = new or old
        assert shown is not None
        old_pages = _pages(old.briefs, base.settings.page_size) if old else []
        new_pages = _pages(new.briefs, head.settings.page_size) if new else []
        if old is None or new is None:
            pages = new_pages or old_pages
            found.append(ListingChange(shown.kind, key[1], shown.title, _site(shown.url),
                                       "added" if old is None else "removed", len(old_pages), len(new_pages),
                                       list(range(1, len(pages) + 1))))
            continue
        header_old, header_new = _listing_header(base, old), _listing_header(head, new)
        changed_pages = [n for n in range(1, len(new_pages) + 1)
                         if n > len(old_pages) or old_pages[n - 1] != new_pages[n - 1]]
        header = [k for k in _differs(header_old, header_new) if k != "count"]
        if header_old["count"] != header_new["count"] or any(k not in PAGE_ONE_ONLY for k in header):
            changed_pages = list(range(1, len(new_pages) + 1))  # every page shows the count and the heading
        elif header:
            changed_pages = sorted({1, *changed_pages})
        if not changed_pages and len(old_pages) == len(new_pages):
            continue
        change = ListingChange(key[0], key[1], new.title, _site(new.url), "changed", len(old_pages),
                               len(new_pages), changed_pages, header)
        size_old, size_new = base.settings.page_size, head.settings.page_size
        old_at = {b.slug: i for i, b in enumerate(old.briefs)}
        new_at = {b.slug: i for i, b in enumerate(new.briefs)}
        for slug, i in new_at.items():
            brief = new.briefs[i]
            if slug not in old_at:
                change.entered.append(Entry(slug, brief.title, i // size_new + 1))
            else:
                before_card, after_card = card_values(old.briefs[old_at[slug]]), card_values(brief)
                differ = [name for name, a, b in zip(CARD_FIELDS, before_card, after_card) if a != b]
                if differ:
                    change.updated.append(Entry(slug, brief.title, i // size_new + 1, differ))
        for slug, i in old_at.items():
            if slug not in new_at:
                change.left.append(Entry(slug, old.briefs[i].title, i // size_old + 1))
        found.append(change)
    return found


def _index_aspects(revision: Revision) -> dict[str, tuple[str, str, dict[str, Any]]]:
    c, settings = revision.catalogue, revision.settings
    topic_counts = [(group, [(t.key, t.title, len(c.by_topic[t.key])) for t in topics]) for group, topics in c.topic_groups()]
    program_counts = [(p.key, p.title, len(c.by_program[p.key])) for p in c.programs.values()]
    type_counts = [(t.key, t.plural, len(c.by_type[t.key])) for t in c.types.values()]
    years = [(year, len(briefs)) for year, briefs in c.by_year.items()]
    totals = (len(c.latest), len(c.topics), len(c.authors))

    def authors(alumni: bool) -> list:
        return [(a.key, a.name, a.role, a.photo, a.program and a.program.title, len(c.by_author[a.key]))
                for a in c.authors_by_name(alumni)]

    home_text = _file_text(revision.paths.docs_dir / "index.md")
    return {
        "": ("Home", "/", {"introduction": home_text, "latest briefs": [card(b) for b in c.latest[: settings.home_latest]],
                           "totals": totals, "topics": topic_counts, "programs": program_counts,
                           "publication types": type_counts, "years": years}),
        "topics/": ("Topics", "/topics/", {"topics": [(g, [(k, t, c.topics[k].description, n) for k, t, n in items])
                                                      for g, items in topic_counts]}),
        "authors/": ("Authors", "/authors/", {"authors": authors(False), "alumni": authors(True)}),
        "archive/": ("Archive", "/archive/", {"years": years, "totals": totals[:1]}),
        "types/": ("Publication types", "/types/", {"publication types": type_counts}),
        "programs/": ("Programs", "/programs/", {"programs": [(k, t, c.programs[k].description, n) for k, t, n in program_counts]}),
    }


def _compare_index_pages(base: Revision, head: Revision) -> list[PageChange]:
    old, new = _index_aspects(base), _index_aspects(head)
    found = []
    for key, (title, url, aspects) in new.items():
        what = _differs(old[key][2], aspects)
        if what:
            found.append(PageChange(title, url, what))
    return found


def _feeds(revision: Revision) -> dict[str, Feed]:
    return {Feed(listing).url: Feed(listing) for listing in revision.listings.values() if listing.kind in FEED_KINDS}


def _compare_feeds(base: Revision, head: Revision) -> list[FeedChange]:
    old_feeds, new_feeds = _feeds(base), _feeds(head)
    found = []
    for url in [*new_feeds, *(u for u in old_feeds if u not in new_feeds)]:
        old, new = old_feeds.get(url), new_feeds.get(url)
        shown = new or old
        assert shown is not None
        if old is None or new is None:
            found.append(FeedChange(shown.title, _site(url), "added" if old is None else "removed"))
            continue
        old_entries = {b.slug: b for b in old.listing.briefs[: base.settings.feed_size]}
        new_entries = {b.slug: b for b in new.listing.briefs[: head.settings.feed_size]}
        header = [name for name, before, after in (("title", old.title, new.title),
                                                   ("site name", base.settings.site_name, head.settings.site_name),
                                                   ("site address", base.settings.site_url, head.settings.site_url))
                  if before != after]
        change = FeedChange(new.title, _site(url), "changed", header)
        for slug, brief in new_entries.items():
            if slug not in old_entries:
                change.entered.append(Entry(slug, brief.title))
            else:
                differ = _differs(feed_entry(old_entries[slug]), feed_entry(brief))
                if differ:
                    change.updated.append(Entry(slug, brief.title, 0, differ))
        change.left = [Entry(slug, brief.title) for slug, brief in old_entries.items() if slug not in new_entries]
        if header or change.entered or change.left or change.updated or list(old_entries) != list(new_entries):
            found.append(change)
    return found


def _api_entry(brief: Brief) -> tuple:
    """What /api/briefs.json holds of a brief (outputs/api.py), compared without writing 10,000 entries out."""
    return (brief.slug, brief.url, brief.title, brief.date, brief.updated, brief.type.key,
            tuple(a.key for a in brief.authors), tuple(t.key for t in brief.topics),
            brief.program.key if brief.program else None, brief.summary, brief.reading_minutes)


def _compare_data_files(base: Revision, head: Revision) -> list[str]:
    found = []
    for name, render in API_FILES.items():
        if name == "api/briefs.json":
            differs = base.settings.site_url != head.settings.site_url or \
                [_api_entry(b) for b in base.catalogue.latest] != [_api_entry(b) for b in head.catalogue.latest]
        else:  # one entry per topic, author or series, or a few fields a brief: small
            differs = render(base.catalogue, base.settings.site_url) != render(head.catalogue, head.settings.site_url)
        if differs:
            found.append(_site(name))
    return found


def _near(revision: Revision, slugs: set[str]) -> set[str]:
    """Every brief whose related list could hold one of `slugs` or be ranked differently because
    of them: those within the ranking's window of one in a topic or author list they share, and
    those naming one under `related:`."""
    catalogue, window = revision.catalogue, revision.related.weights.window
    position = catalogue.position
    found: set[str] = set()
    for slug in slugs:
        brief = catalogue.briefs.get(slug)
        if brief is None:
            continue
        found.add(slug)
        for postings in [*(catalogue.by_topic[t.key] for t in brief.topics),
                         *(catalogue.by_author[a.key] for a in brief.authors)]:
            at = bisect_left(postings, position[slug], key=lambda b: position[b.slug])
            found.update(b.slug for b in postings[max(0, at - window) : at + window + 1])
    found.update(b.slug for b in catalogue.latest if any(s in slugs for s in b.related))
    return found


def _same_weights(base: Revision, head: Revision) -> bool:
    """Whether every topic and author weighs the same in both rankings (the weights come from how
    many briefs have each, out of how many there are) and the same topics find candidates. Then
    a brief can only rank differently if an edited brief is within its reach (`_near`)."""
    old, new = base.catalogue, head.catalogue
    return (len(old.latest) == len(new.latest)
            and {k: len(v) for k, v in old.by_topic.items()} == {k: len(v) for k, v in new.by_topic.items()}
            and {k: len(v) for k, v in old.by_author.items()} == {k: len(v) for k, v in new.by_author.items()}
            and base.related.finders == head.related.finders)


_ranking: tuple[Revision, Revision, frozenset[str]] | None = None  # what forked ranking workers read
_EPSILON = 1e-9  # sums of the same weights in another order may differ in their last bits


def _surely_the_same(base: Revision, head: Revision, brief: Brief,
                     chosen: list[Brief], ranked: list[tuple[float, int, int, float, Brief]]) -> bool:
    """Whether a brief out of every edit's reach (the same candidates, with the same fields, in
    both revisions) has the same related list in BASE as `ranked` (the working tree's ranking)
    gives: each candidate's score moves by at most the weights its shared topics and authors
    moved, so no candidate crossing the threshold and no two in the list's order closer than
    twice that means the same list."""
    weights, old, new = head.related.weights, base.related, head.related
    moved = sum(weights.topic * abs(new.topic_idf.get(t.key, 0.0) - old.topic_idf.get(t.key, 0.0)) for t in brief.topics)
    moved += sum(weights.author * abs(new.author_idf.get(a.key, 0.0) - old.author_idf.get(a.key, 0.0))
                 for a in brief.authors)
    if any(abs(r[3] - weights.threshold) <= moved + _EPSILON for r in ranked):
        return False
    top = [r for r in ranked if r[3] >= weights.threshold][: weights.limit - len(chosen) + 1]
    return all(later[0] - earlier[0] > 2 * moved + _EPSILON for earlier, later in zip(top, top[1:]))


def _rank_chunk(slugs: list[str]) -> list[tuple[str, list[str]]]:
    assert _ranking is not None
    base, head, reach = _ranking
    found = []
    for slug in slugs:
        brief = head.published[slug]
        if slug in reach:
            after = head.related.related(brief)
        else:
            chosen, ranked = head.related.ranking(brief)
            if _surely_the_same(base, head, brief, chosen, ranked):
                continue
            after = head.related.related(brief)
        change = _list_change([mini(b) for b in base.related.related(base.published[slug])], [mini(b) for b in after])
        if change:
            found.append((slug, change))
    return found


def _rank(base: Revision, head: Revision, slugs: list[str], reach: frozenset[str]) -> dict[str, list[str]]:
    """How the related list of each brief changes. Those in `reach` are ranked in both revisions;
    the others in the working tree, and in BASE too only where the weights that moved could
    change the list. On every core when there are many (forked workers have both revisions
    without a copy)."""
    global _ranking
    _ranking = (base, head, reach)
    base.plan(), head.plan()  # before forking: once, for all the workers
    try:
        workers = fork_workers(len(slugs), READ_PARALLEL_FROM)
        if workers == 1:
            return dict(_rank_chunk(slugs))
        size = -(-len(slugs) // (workers * 4))
        chunks = [slugs[start : start + size] for start in range(0, len(slugs), size)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return {slug: change for found in pool.map(_rank_chunk, chunks) for slug, change in found}
    finally:
        _ranking = None


def _compare_brief_pages(base: Revision, head: Revision, touched: set[str],
                         rank_all: bool | None = None) -> tuple[list[BriefPageChange], str]:
    before, after = base.published, head.published
    both = [slug for slug in after if slug in before]
    # What every brief's page shows of others: a type retitled (shown on every mini) reaches
    # every brief of that type.
    for table in ("types", "topics", "authors", "programs"):
        old, new = getattr(base.catalogue, table), getattr(head.catalogue, table)
        for key in set(old) | set(new):
            if key not in old or key not in new or repr(old[key]) != repr(new[key]):
                postings_old = getattr(base.catalogue, f"by_{table[:-1]}").get(key, ())
                postings_new = getattr(head.catalogue, f"by_{table[:-1]}").get(key, ())
                touched |= {b.slug for b in (*postings_old, *postings_new)}
    reach = frozenset(_near(base, touched) | _near(head, touched))
    if rank_all is None:
        rank_all = base.related.finders != head.related.finders  # other lists searched: other candidates
    if rank_all:
        ranked, reach = both, frozenset(both)
        how = "every brief, in both revisions"
    elif _same_weights(base, head):
        ranked = [slug for slug in both if slug in reach]
        how = f"the {len(ranked):,} of {len(both):,} briefs an edit can reach"
    else:
        ranked = both
        how = (f"every brief; in both revisions the {len(reach & set(both)):,} an edit can reach and those "
               "whose list the topics' and authors' new weights could change")
    related = _rank(base, head, ranked, reach)
    found = []
    for slug in both:
        old, new = before[slug], after[slug]
        change = BriefPageChange(slug, new.title, _site(new.url), related.get(slug, []))
        change.backlinks = _list_change([mini(b) for b in base.catalogue.backlinks.get(slug, ())],
                                        [mini(b) for b in head.catalogue.backlinks.get(slug, ())])
        for label, older, newer in (("previous", base.catalogue.older(old), head.catalogue.older(new)),
                                    ("next", base.catalogue.newer(old), head.catalogue.newer(new))):
            if (older and (older.slug, older.url, older.title)) != (newer and (newer.slug, newer.url, newer.title)):
                change.neighbours.append(f"{label}: {newer.title if newer else '(none)'}")
        if change.related or change.backlinks or change.neighbours:
            found.append(change)
    return found, how


def _list_change(old: list[tuple], new: list[tuple]) -> list[str]:
    """'+ title', '- title', '~ title' (shown differently), 'order' — for a list of minis."""
    if old == new:
        return []
    old_by, new_by = {m[0]: m for m in old}, {m[0]: m for m in new}
    out = [f"+ {m[4]}" for m in new if m[0] not in old_by]
    out += [f"- {m[4]}" for m in old if m[0] not in new_by]
    out += [f"~ {m[4]}" for m in new if m[0] in old_by and old_by[m[0]] != m]
    if not out:
        out.append("order")
    return out


def page_url(relative: str) -> str:
    """The address of a file under content/: a Markdown page's folder, any other file itself."""
    if not relative.endswith(".md"):
        return "/" + relative
    folder, _, name = relative[: -len(".md")].rpartition("/")
    parts = [part for part in (folder, "" if name in ("index", "README") else name) if part]
    return "/" + "/".join(parts) + ("/" if parts else "")


def _compare_other_files(base: Revision, head: Revision) -> list[FieldChange]:
    """Files of content/ other than briefs and author profiles (editorial pages, images, PDFs)
    added, changed or removed: (file, address before, address after)."""
    if head.changed is None:
        return []
    docs = head.paths.docs_dir.name + "/"
    found = []
    for name in sorted(head.changed):
        if not name.startswith(docs) or name.startswith(docs + "briefs/") or \
                re.fullmatch(re.escape(docs) + r"authors/[^/]+\.md", name):
            continue
        relative = name[len(docs):]
        url = page_url(relative)
        found.append(FieldChange(name, url if (base.paths.root / name).is_file() else "",
                                 url if (head.paths.root / name).is_file() else ""))
    return found


def _new_problems(base: Revision, head: Revision) -> tuple[list[Problem], int]:
    """Problems the working tree has and BASE had not (same file, severity and words: a line may move)."""
    had = Counter((p.path, p.severity, p.message) for p in base.loaded.report.sorted())
    new = []
    for problem in head.loaded.report.sorted():
        key = (problem.path, problem.severity, problem.message)
        if had[key]:
            had[key] -= 1
        else:
            new.append(problem)
    return new, sum(had.values())


def _addresses(revision: Revision) -> dict[str, str]:
    """Every address a revision serves that people link to, by its normalised form: briefs,
    aliases (to their brief), listings' first pages, feeds, index pages."""
    served: dict[str, str] = {}
    for listing in revision.listings.values():
        served[_site(listing.url)] = "listing"
    for feed in _feeds(revision):
        served[_site(feed)] = "feed"
    for brief in revision.catalogue.latest:
        served[_site(brief.url)] = "brief"
        for alias in brief.aliases:
            served[_normalised(alias)] = f"alias of {brief.slug}"
    for url in ("/", "/topics/", "/authors/", "/archive/", "/types/", "/programs/"):
        served[url] = "index"
    return served


def _normalised(alias: str) -> str:
    return alias if alias.endswith("/") or "." in alias.rsplit("/", 1)[-1] else alias + "/"


def _broken_urls(base: Revision, head: Revision, briefs: list[BriefChange], kept: Iterable[str],
                 other_files: list[FieldChange] = ()) -> list[Problem]:
    old, new = _addresses(base), _addresses(head)
    kept = {_normalised(url if url.startswith("/") else "/" + url) for url in kept}
    found: list[Problem] = []
    for file in other_files:
        if file.before.endswith("/") and not file.after and file.before not in new and file.before not in kept:
            found.append(Problem(file.field, 1, "warning", f"this page is deleted and its address {file.before} "
                                                           "would stop working"))
    moved = {c.fields[0].before: c for c in briefs if c.status == "changed" and c.fields and c.fields[0].field == "address"}
    removed = {c.url: c for c in briefs if c.status == "removed"}
    for url, what in old.items():
        if url in new or url in kept:
            continue
        if url in moved:
            change = moved[url]
            same_slug = url.rstrip("/").rsplit("/", 1)[-1] == change.slug  # the year changed, not the file name
            found.append(Problem(change.path, head.line_of(change.slug, "date") if same_slug else 1, "warning",
                                 f"this brief's address changes from {url} to {change.url}, and {url} would stop working: "
                                 f"add '{url}' to this brief's aliases to keep it"))
        elif url in removed:
            change = removed[url]
            if "errors" in change.note:
                continue  # the errors fail the check and the build; the address is not the point yet
            if "draft" in change.note:
                found.append(Problem(change.path, head.line_of(change.slug, "draft"), "warning",
                                     f"'draft: true' takes {url} off the site: readers and links would find nothing there"))
            else:
                found.append(Problem(change.path, 1, "warning",
                                     f"this brief is deleted and its address {url} would stop working: if another brief "
                                     f"takes its place, add '{url}' to that brief's aliases"))
        elif what.startswith("alias of "):
            slug = what[len("alias of "):]
            path = head.path_of(slug) or base.path_of(slug)
            line = head.line_of(slug, "aliases") if slug in head.published else 1
            found.append(Problem(path, line, "warning",
                                 f"the old address {url} no longer redirects to '{slug}' and would stop working: "
                                 f"keep it in the aliases of '{slug}' or of the brief that replaces it"))
        elif what == "brief":
            continue  # its brief is listed as changed or removed above with its own line
        else:
            path, gone = _listing_source(url, base)
            found.append(Problem(path, 1, "warning", f"{url} would stop working: {gone}"))
    return sorted(found)


def _listing_source(url: str, base: Revision) -> tuple[str, str]:
    """The file whose entry made the listing (or feed) that is gone, and what went."""
    parts = url.strip("/").split("/")
    kind, key = parts[0], parts[1] if len(parts) > 1 else ""
    config = base.paths.config_dir.name
    if kind == "authors" and key in base.catalogue.authors:
        return (base.paths.shown(base.paths.docs_dir / base.catalogue.authors[key].src_uri),
                f"the profile of '{key}' is gone")
    if kind in ("topics", "types", "programs"):
        return f"{config}/{kind}.yml", f"'{key}' is no longer in {config}/{kind}.yml"
    if kind == "archive":
        return f"content/briefs/{key}/", f"no published brief is dated {key} any more"
    return "content/", "its page is gone"


def compare(base: Revision, head: Revision, base_name: str = "BASE", base_commit: str = "",
            kept: Iterable[str] = (), rank_all: bool | None = None) -> Changes:
    """Every reader-facing difference from `base` to `head`. `kept`: addresses something other
    than aliases keeps working (redirects made from git history)."""
    changes = Changes(base_name, base_commit)
    old_titles = {slug: b.title for slug, b in base.loaded.briefs.items()}
    new_titles = {slug: b.title for slug, b in head.loaded.briefs.items()}
    retitled = {slug for slug in old_titles.keys() | new_titles.keys() if old_titles.get(slug) != new_titles.get(slug)}
    base.fill_summaries(retitled)
    head.fill_summaries(retitled)
    changes.briefs, touched = _compare_briefs(base, head)
    changes.listings = _compare_listings(base, head)
    changes.index_pages = _compare_index_pages(base, head)
    changes.brief_pages, changes.related_ranked = _compare_brief_pages(base, head, touched, rank_all)
    changes.feeds = _compare_feeds(base, head)
    changes.data_files = _compare_data_files(base, head)
    changes.other_files = _compare_other_files(base, head)
    changes.new_problems, changes.fixed_problems = _new_problems(base, head)
    changes.broken_urls = _broken_urls(base, head, changes.briefs, kept, changes.other_files)
    aliases = {_normalised(alias): brief for brief in head.catalogue.latest for alias in brief.aliases}
    for change in changes.briefs:
        if change.status == "removed" and change.url in aliases:
            change.note += f"; its address now leads to “{aliases[change.url].title}” (an alias)"
    _cards.clear()
    return changes


def changes_since(root: Path, base: str | None, cache_dir: Path | None = None, kept: Iterable[str] = ()) -> Changes:
    """Compares the working tree at `root` with git revision `base` (None: the merge base with the
    default branch)."""
    root = root.resolve()
    git_root(root)
    name, commit, merge_base = resolve_base(root, base)
    changed = changed_paths(root, commit)
    # Beside the read cache when there is one (the repository's .cache/, ignored by git): some
    # systems' temporary folder is far slower at making thousands of small files.
    scratch = cache_dir.parent if cache_dir is not None else None
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="briefs-changes-", dir=scratch))
    try:
        base_root = materialise(root, commit, folder, changed)
        # BASE first: it fills the read cache with what both share, so the working tree reads
        # only what changed, and the cache is left with the working tree's entries.
        old = load_revision(base_root, cache_dir, fallback_dir=root, changed=changed)
        # The working tree's git history: a renamed brief's earlier address keeps working.
        new = load_revision(root, cache_dir, changed=changed, history=read_history(ArchivePaths.at(root).briefs_dir))
        redirected = [address for earlier in new.loaded.former.values() for address, _file in earlier]
        changes = compare(old, new, name, commit, [*kept, *redirected])
        changes.merge_base = merge_base
        return changes
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- Markdown ---------------------------------------------------------------------------------------

MAX_ITEMS = 40  # per list: a vocabulary edit can touch thousands of pages; the step summary stays short
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+!])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;"}


def md(text: str) -> str:
    """Text an editor wrote, shown as itself, on one line: Markdown punctuation backslash-escaped,
    and what only an entity escapes everywhere (HTML, a table's `|`, `~`) as an entity."""
    escaped = _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))
    return re.sub(r"[&<>|~]", lambda m: _ENTITIES[m.group()], escaped)


def code(text: str) -> str:
    return f"`{text}`" if "`" not in text else f"`` {text} ``"


def _fence(lines: list[str]) -> list[str]:
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *lines, fence]


def _capped(items: list[str], unit: str = "more", table: bool = False, most: int | None = None) -> list[str]:
    """At most `most` (MAX_ITEMS) lines of a list (or a table's rows), then how many more there are."""
    most = most or MAX_ITEMS
    if len(items) <= most:
        return items
    rest = f"… and {len(items) - most:,} {unit}"
    return items[:most] + (["", rest] if table else [f"- {rest}"])


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _pages_text(numbers: list[int], total: int) -> str:
    if total <= 1:
        return "the page"
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    text = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
    return f"page{'s' * (len(numbers) != 1)} {text} of {total}"


def _entries(change: ListingChange | FeedChange, with_pages: bool) -> str:
    parts = []
    for label, entries in (("adds", change.entered), ("removes", change.left)):
        if entries:
            shown = [f"“{md(e.title)}”" + (f" (p. {e.page})" if with_pages and e.page else "") for e in entries[:5]]
            more = f" and {len(entries) - 5:,} more" if len(entries) > 5 else ""
            parts.append(f"{label} {', '.join(shown)}{more}")
    if change.updated:
        shown = [f"“{md(e.title)}” ({', '.join(e.fields)})" for e in change.updated[:5]]
        more = f" and {len(change.updated) - 5:,} more" if len(change.updated) > 5 else ""
        parts.append(f"updates {', '.join(shown)}{more}")
    return "; ".join(parts)


KIND_LABELS = {"latest": "Latest", "topic": "Topic", "author": "Author", "type": "Type", "program": "Program", "year": "Year"}


def render_markdown(changes: Changes) -> str:
    out: list[str] = ["## What this pull request changes on the site", ""]
    commit = f" ({'merge base ' if changes.merge_base else ''}{code(changes.base_commit[:10])})" \
        if changes.base_commit else ""
    by_status = Counter(c.status for c in changes.briefs)
    summary = [f"{_count(by_status['added'], 'brief')} added, {by_status['changed']:,} changed, {by_status['removed']:,} removed",
               f"{_count(len(changes.listings), 'listing')}, {_count(len(changes.index_pages), 'index page')}, "
               f"{_count(len(changes.brief_pages), 'other brief page')} and {_count(len(changes.feeds), 'feed')} change",
               _count(len(changes.new_problems), "new problem"),
               f"{_count(len(changes.broken_urls), 'address', 'addresses')} would stop working"]
    out += [f"Compared with {code(changes.base)}{commit}: " + "; ".join(summary) + ".", ""]
    if not changes.count and not changes.new_problems and not changes.broken_urls:
        out += ["No reader-facing page changes.", ""]

    if changes.briefs:
        out += ["### Briefs", ""]
        for status in ("added", "changed", "removed"):
            items = [c for c in changes.briefs if c.status == status]
            if not items:
                continue
            out += [f"**{status.capitalize()}**", ""]
            lines = []
            for c in items:
                where = f"{code(c.url)} ({code(c.path)})" if c.path else code(c.url)
                if status == "changed":
                    what = "; ".join(_field_text(f) for f in c.fields)
                elif status == "added":
                    what = "; ".join(f"{f.field}: {md(f.after)}" for f in c.fields if f.after)
                else:
                    what = ""
                note = f" — {md(c.note)}" if c.note else ""
                lines.append(f"- **{md(c.title)}** {where}" + (f": {what}" if what else "") + note)
            out += _capped(lines) + [""]

    if changes.listings or changes.index_pages:
        out += ["### Listings and index pages", "", "| page | address | what changes |", "| --- | --- | --- |"]
        rows = []
        for page in changes.index_pages:
            rows.append(f"| {md(page.title)} | {code(page.url)} | {md(', '.join(page.what))} |")
        for c in changes.listings:
            label = f"{KIND_LABELS.get(c.kind, c.kind)}: {md(c.title)}" if c.kind != "latest" else "Latest briefs"
            if c.status != "changed":
                what = f"new listing, {_count(c.pages_after, 'page')}" if c.status == "added" else \
                    f"removed ({_count(c.pages_before, 'page')})"
            else:
                pages = _pages_text(c.changed_pages, c.pages_after)
                if c.pages_before != c.pages_after:
                    pages += f" (was {_count(c.pages_before, 'page')})"
                detail = [f"{md(', '.join(c.header))}"] if c.header else []
                entries = _entries(c, c.pages_after > 1)
                what = "; ".join([pages, *detail, *([entries] if entries else [])])
            rows.append(f"| {label} | {code(c.url)} | {what} |")
        out += _capped(rows, "more listings or pages", table=True) + [""]

    if changes.brief_pages:
        out += ["### Other briefs' pages", "",
                "Related briefs, briefs that cite them, and previous/next links "
                f"(related lists ranked again for {md(changes.related_ranked)}).", "",
                "| brief | related briefs | briefs citing it | previous / next |", "| --- | --- | --- | --- |"]
        rows = [f"| {md(p.title)} {code(p.url)} | {_list_text(p.related)} | {_list_text(p.backlinks)} | "
                f"{md('; '.join(p.neighbours))} |" for p in changes.brief_pages]
        out += _capped(rows, "more briefs", table=True) + [""]

    if changes.other_files:
        out += ["### Other pages and files", ""]
        lines = []
        for f in changes.other_files:
            status = "added" if not f.before else "removed" if not f.after else "changed"
            lines.append(f"- {code(f.after or f.before)} ({code(f.field)}): {status}")
        out += _capped(lines) + [""]

    if changes.feeds or changes.data_files:
        out += ["### Feeds and data files", ""]
        lines = []
        for f in changes.feeds:
            if f.status != "changed":
                lines.append(f"- {md(f.title)} {code(f.url)}: {f.status}")
            else:
                what = "; ".join(filter(None, [", ".join(f.header), _entries(f, False)])) or "order of entries"
                lines.append(f"- {md(f.title)} {code(f.url)}: {what}")
        lines += [f"- {code(url)}" for url in changes.data_files]
        out += _capped(lines) + [""]

    out += ["### New problems", ""]
    if changes.new_problems:
        errors = sum(p.is_error for p in changes.new_problems)
        out += [f"{_count(errors, 'error')} and {_count(len(changes.new_problems) - errors, 'warning')} that "
                f"{code(changes.base)} did not have (`briefs check` lists them with the others):", ""]
        out += _fence([str(p) for p in changes.new_problems[:200]]
                      + ([f"… and {len(changes.new_problems) - 200:,} more"] if len(changes.new_problems) > 200 else []))
    else:
        out.append("None.")
    if changes.fixed_problems:
        out.append(f"\n{_count(changes.fixed_problems, 'problem')} of {code(changes.base)} fixed.")
    out.append("")

    out += ["### Addresses that would stop working", ""]
    if changes.broken_urls:
        out += ["Readers' bookmarks and other sites' links to these would find nothing. An old address "
                "keeps working when a brief lists it under `aliases:`.", ""]
        shown = _capped([str(p) for p in changes.broken_urls], "more", most=200)
        out += _fence([line.removeprefix("- ") for line in shown if line])
    else:
        out.append("None.")
    out.append("")
    return "\n".join(out)


def _list_text(items: list[str]) -> str:
    """A list change (`_list_change`) in words."""
    words = []
    for item in items:
        if item == "order":
            words.append("new order")
        else:
            sign, title = item.split(" ", 1)
            words.append({"+": "adds “{}”", "-": "drops “{}”", "~": "“{}” updated"}[sign].format(md(title)))
    return "; ".join(words)


def _field_text(change: FieldChange) -> str:
    if change.field == "text":
        return "text"
    if change.field in ("summary",):
        return "summary"
    if change.field in ("topics", "aliases", "related"):
        before = [t for t in change.before.split(", ") if t]
        after = [t for t in change.after.removesuffix(" (order)").split(", ") if t]
        plus = [f"+{md(t)}" for t in after if t not in before]
        minus = [f"−{md(t)}" for t in before if t not in after]
        return f"{change.field} ({', '.join(plus + minus) or 'order'})"
    return f"{change.field} (“{md(change.before)}” → “{md(change.after)}”)"


def iter_annotations(changes: Changes) -> Iterator[Problem]:
    """The warnings to annotate under GitHub Actions: addresses that would stop working (the new
    problems are `briefs check`'s, annotated by it)."""
    yield from changes.broken_urls
