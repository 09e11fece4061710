"""Plans every page the archive generates: which pages exist, at which address, showing what.

This is where topic, author, type, program, year and "latest" listings come from, with their
pagination, and the index pages (topics, authors, archive, …). Plain Python: the MkDocs plugin
only turns this plan into files.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterator, Sequence

from .catalogue import Author, Brief, BriefType, Catalogue, Program, Series, Topic
from .related import RelatedIndex


@dataclass(frozen=True, eq=False)
class Listing:
    """One paginated list of briefs: a topic, an author, a type, a program, a year (newest
    first), or a series (in number order)."""

    kind: str  # latest | topic | author | type | program | year | series
    title: str
    url: str  # of its first page, e.g. topics/cyber/
    briefs: tuple[Brief, ...]
    subject: Topic | Author | BriefType | Program | Series | int | None = None
    first_src_uri: str = ""  # a page that already exists (an author profile); generated when empty

    def page_url(self, number: int) -> str:
        return self.url if number == 1 else f"{self.url}page/{number}/"

    def page_src_uri(self, number: int) -> str:
        if number == 1 and self.first_src_uri:
            return self.first_src_uri
        return self.page_url(number) + "index.md"


@dataclass(frozen=True, eq=False)
class ListingPage:
    listing: Listing
    number: int
    count: int
    briefs: Sequence[Brief]
    first_index: int  # position of briefs[0] in the whole listing, from 0

    template = "archive/listing.html"
    # Catalogue queries its template asks of the listing's own subject: their answers come from
    # the listing's briefs alone, which its fingerprint covers (incremental.py).
    SUBJECT_QUERIES = frozenset({"co_topics", "topic_authors", "author_topics"})

    @property
    def subject_key(self) -> str | None:
        return getattr(self.listing.subject, "key", None)

    @property
    def kind(self) -> str:
        return self.listing.kind

    @property
    def title(self) -> str:
        return self.listing.title if self.number == 1 else f"{self.listing.title} — page {self.number}"

    @property
    def url(self) -> str:
        return self.listing.page_url(self.number)

    @property
    def src_uri(self) -> str:
        return self.listing.page_src_uri(self.number)

    @property
    def previous_url(self) -> str | None:
        return self.listing.page_url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.listing.page_url(self.number + 1) if self.number < self.count else None

    def page_links(self, around: int = 2) -> list[tuple[int | None, str | None]]:
        """Numbered links for the pager: first, last and `around` either side; None marks a gap."""
        wanted = {1, self.count, *range(self.number - around, self.number + around + 1)}
        links: list[tuple[int | None, str | None]] = []
        for n in sorted(n for n in wanted if 1 <= n <= self.count):
            if links and links[-1][0] is not None and n - links[-1][0] > 1:
                links.append((None, None))
            links.append((n, self.listing.page_url(n)))
        return links


@dataclass(frozen=True, eq=False)
class IndexPage:
    """A page about the archive as a whole: home, all topics, all authors, the years."""

    kind: str  # home | topics | authors | archive | types | programs | series
    title: str
    src_uri: str
    url: str

    SHOWS_EVERY_BRIEF = True  # its template reads the whole catalogue

    @property
    def template(self) -> str:
        return f"archive/{self.kind}.html"


@dataclass(frozen=True, eq=False)
class BriefPage:
    brief: Brief
    older: Brief | None
    newer: Brief | None
    related_index: RelatedIndex
    backlinks: tuple[Brief, ...] = ()
    series_previous: Brief | None = None  # the numbers before and after it in its series
    series_next: Brief | None = None
    versions: tuple[Brief, ...] = ()  # every language version, the original first, when there are several

    template = "archive/brief.html"
    # What a field stands for on the page (incremental.py fingerprints what pages show)
    SHOWN_AS = {"related_index": "related"}

    @cached_property
    def related(self) -> tuple[Brief, ...]:
        # Ranked when the page is built, so the ranking is spread over the page workers.
        return self.related_index.related(self.brief)

    @property
    def kind(self) -> str:
        return "brief"

    @property
    def title(self) -> str:
        return self.brief.title

    @property
    def src_uri(self) -> str:
        return self.brief.src_uri

    @property
    def url(self) -> str:
        return self.brief.url


View = ListingPage | IndexPage | BriefPage


def listings(catalogue: Catalogue) -> Iterator[Listing]:
    yield Listing("latest", "Latest briefs", "briefs/", catalogue.latest)
    for key, topic in catalogue.topics.items():
        yield Listing("topic", topic.title, topic.url, catalogue.by_topic[key], topic)
    for key, author in catalogue.authors.items():
        yield Listing("author", author.name, author.url, catalogue.by_author[key], author, author.src_uri)
    for key, brief_type in catalogue.types.items():
        yield Listing("type", brief_type.plural, brief_type.url, catalogue.by_type[key], brief_type)
    for key, program in catalogue.programs.items():
        yield Listing("program", program.title, program.url, catalogue.by_program[key], program)
    for year, briefs in catalogue.by_year.items():
        yield Listing("year", f"Briefs of {year}", f"archive/{year}/", briefs, year)
    for key, series in catalogue.series.items():
        yield Listing("series", series.title, series.url, catalogue.by_series[key], series)


def paginate(listing: Listing, page_size: int) -> Iterator[ListingPage]:
    count = max(1, -(-len(listing.briefs) // page_size))
    for number in range(1, count + 1):
        start = (number - 1) * page_size
        yield ListingPage(listing, number, count, listing.briefs[start : start + page_size], start)


INDEX_PAGES = (
    IndexPage("home", "Home", "index.md", ""),
    IndexPage("topics", "Topics", "topics/index.md", "topics/"),
    IndexPage("authors", "Authors", "authors/index.md", "authors/"),
    IndexPage("archive", "Archive", "archive/index.md", "archive/"),
    IndexPage("types", "Publication types", "types/index.md", "types/"),
    IndexPage("programs", "Programs", "programs/index.md", "programs/"),
    IndexPage("series", "Series", "series/index.md", "series/"),
)


def dest_uri(src_uri: str) -> str:
    """The file a page's source becomes with directory URLs: `a/b.md` -> `a/b/index.html`."""
    stem = src_uri[: -len(".md")]
    return f"{stem}.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"


def plan_pages(catalogue: Catalogue, page_size: int, related: RelatedIndex | None = None) -> dict[str, View]:
    """Every archive page by the `src_uri` MkDocs knows it by (existing or to be generated)."""
    related = related or RelatedIndex(catalogue)
    plan: dict[str, View] = {page.src_uri: page for page in INDEX_PAGES}
    for listing in listings(catalogue):
        for page in paginate(listing, page_size):
            plan[page.src_uri] = page
    for brief in catalogue.every:
        versions = catalogue.versions(brief)
        plan[brief.src_uri] = BriefPage(brief, catalogue.older(brief), catalogue.newer(brief),
                                        related, catalogue.backlinks.get(brief.slug, ()),
                                        *catalogue.series_neighbours(brief),
                                        versions if len(versions) > 1 else ())
    return plan
