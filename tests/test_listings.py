"""Listing pages (latest, topic, author, type, program, year), their pagination, and the index pages.

One archive of 25 briefs is built once for the module. What each page should list is worked
out here from the briefs the test wrote, never from the plugin's catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from archive_kit import Archive, BuiltSite, resolve

PAGE_SIZE = 5
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# Dates with ties (same-day briefs), written in an order unrelated to slug or date order.
DATES = ["2022-03-08", "2021-07-19", "2023-06-26", "2024-05-05", "2022-03-08", "2021-02-03",
         "2023-06-26", "2024-09-09", "2022-03-08", "2021-07-19", "2023-01-01", "2024-02-29",
         "2022-12-31", "2021-11-30", "2023-10-10", "2024-05-05", "2022-06-01", "2023-02-14",
         "2024-01-02", "2022-01-10", "2023-08-09", "2024-07-04", "2023-12-01", "2022-09-15",
         "2023-04-04"]
WORDS = ["kilo", "echo", "zulu", "alpha", "bravo", "golf", "alpha-two", "yankee", "delta", "oscar",
         "lima", "papa", "hotel", "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey",
         "xray", "mike", "india", "juliett", "foxtrot"]
AUTHOR_KEYS = ["min-ji-kim", "sam-ortiz", "priya-raman", "old-hand"]
TOPIC_KEYS = ["cyber", "sanctions", "north-korea", "china"]


@dataclass(frozen=True)
class Written:
    slug: str
    date: date
    type: str
    authors: tuple[str, ...]
    topics: tuple[str, ...]
    program: str | None

    @property
    def url(self) -> str:
        return f"briefs/{self.date.year}/{self.slug}/"


def written_briefs() -> list[Written]:
    briefs = []
    for i, (word, day) in enumerate(zip(WORDS, DATES)):
        authors = [AUTHOR_KEYS[i % 4]] + ([AUTHOR_KEYS[(i + 1) % 4]] if i % 3 == 0 else [])
        topics = [TOPIC_KEYS[i % 4]] + ([TOPIC_KEYS[(i + 2) % 4]] if i % 2 == 0 else [])
        briefs.append(Written(f"{word}-brief", date.fromisoformat(day), ("policy-brief", "analysis")[i % 5 == 0],
                              tuple(authors), tuple(topics), ("ccti", "kipp", None)[i % 3]))
    return briefs


BRIEFS = written_briefs()


def newest_first(briefs) -> list[str]:
    """The expected order, worked out independently: newest date first, same day by slug."""
    by_slug = sorted(briefs, key=lambda b: b.slug)
    return [b.slug for b in sorted(by_slug, key=lambda b: b.date, reverse=True)]


def reader_date(value: date) -> str:
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


def expected_listings() -> dict[str, list[str]]:
    """Listing URL -> slugs, for every listing the archive must have (empty ones included)."""
    listings = {"briefs/": newest_first(BRIEFS)}
    for key in [*TOPIC_KEYS, "energy"]:
        listings[f"topics/{key}/"] = newest_first(b for b in BRIEFS if key in b.topics)
    for key in [*AUTHOR_KEYS, "new-colleague"]:
        listings[f"authors/{key}/"] = newest_first(b for b in BRIEFS if key in b.authors)
    for key in ("policy-brief", "analysis", "testimony"):
        listings[f"types/{key}/"] = newest_first(b for b in BRIEFS if b.type == key)
    for key in ("ccti", "kipp", "cefp"):
        listings[f"programs/{key}/"] = newest_first(b for b in BRIEFS if b.program == key)
    for year in {b.date.year for b in BRIEFS}:
        listings[f"archive/{year}/"] = newest_first(b for b in BRIEFS if b.date.year == year)
    return listings


EXPECTED = expected_listings()
EMPTY = ["topics/energy/", "authors/new-colleague/", "types/testimony/", "programs/cefp/"]


def populate(archive: Archive) -> None:
    archive.topics["china"] = {"title": "China", "group": "Regions"}
    archive.topics["energy"] = {"title": "Energy Security", "group": "Issues"}
    archive.types["testimony"] = {"title": "Testimony", "plural": "Testimonies"}
    archive.programs["kipp"] = {"title": "Korea Program", "short": "KIPP"}
    archive.programs["cefp"] = {"title": "Center on Economic and Financial Power", "short": "CEFP"}
    archive.author("priya-raman", name="Priya Raman", role="Research Fellow")
    archive.author("old-hand", name="Olive Hand", alumni=True)
    archive.author("new-colleague", name="Nadia Newcomer", role="Fellow")
    for b in BRIEFS:
        archive.brief(b.slug, date=b.date.isoformat(), type=b.type, authors=list(b.authors),
                      topics=list(b.topics), **({"program": b.program} if b.program else {}))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    archive = Archive(tmp_path_factory.mktemp("listings"), page_size=PAGE_SIZE)
    populate(archive)
    built = archive.build()
    assert built.ok, built.messages
    return built


def page_url(listing: str, number: int) -> str:
    return listing if number == 1 else f"{listing}page/{number}/"


def chunks(slugs: list[str]) -> list[list[str]]:
    return [slugs[i : i + PAGE_SIZE] for i in range(0, len(slugs), PAGE_SIZE)] or [[]]


def site_path(page: str, href: str) -> str:
    return resolve(page, href).lstrip("/")


def head_link(site: BuiltSite, url: str, rel: str) -> list[str]:
    return [site_path(url, n.attributes["href"]) for n in site.html(url).css(f'head link[rel="{rel}"]')]


def pager_link(site: BuiltSite, url: str, rel: str) -> list[str]:
    return [site_path(url, n.attributes["href"]) for n in site.html(url).css(f'.ba-pager a[rel="{rel}"]')]


# --- the test data itself is what the tests need -------------------------------------------

def test_the_archive_under_test_has_ties_several_pages_and_empty_listings():
    days = [b.date for b in BRIEFS]
    assert len(BRIEFS) == 25 and len(days) != len(set(days))
    assert any(len(v) > 2 * PAGE_SIZE for v in EXPECTED.values() if v is not EXPECTED["briefs/"])
    assert all(EXPECTED[url] == [] for url in EMPTY)
    # ties are not already in slug order in the order they were written
    written = [b.slug for b in BRIEFS if b.date == date(2022, 3, 8)]
    assert written != sorted(written)


# --- every listing, every page ---------------------------------------------------------------

@pytest.mark.parametrize("listing", sorted(EXPECTED))
def test_listing_pages_list_exactly_the_right_briefs_in_order(site: BuiltSite, listing: str):
    pages = chunks(EXPECTED[listing])
    for number, slugs in enumerate(pages, start=1):
        url = page_url(listing, number)
        assert site.file(url).is_file(), f"missing page {url}"
        assert site.listed(url) == slugs, url
    assert not site.file(page_url(listing, len(pages) + 1)).exists()
    assert site.listed_all(listing) == EXPECTED[listing]


@pytest.mark.parametrize("listing", sorted(url for url, slugs in EXPECTED.items() if len(slugs) > PAGE_SIZE))
def test_every_page_links_its_neighbours(site: BuiltSite, listing: str):
    count = len(chunks(EXPECTED[listing]))
    assert count > 1
    for number in range(1, count + 1):
        url = page_url(listing, number)
        previous = [page_url(listing, number - 1)] if number > 1 else []
        following = [page_url(listing, number + 1)] if number < count else []
        assert pager_link(site, url, "prev") == previous, url
        assert pager_link(site, url, "next") == following, url
        assert head_link(site, url, "prev") == previous, url
        assert head_link(site, url, "next") == following, url


@pytest.mark.parametrize("listing", ["briefs/", "topics/cyber/"])
def test_the_pager_numbers_every_page_it_shows_with_the_right_address(site: BuiltSite, listing: str):
    count = len(chunks(EXPECTED[listing]))
    for number in range(1, count + 1):
        url = page_url(listing, number)
        pager = site.html(url).css_first(".ba-pager")
        numbered = {}
        for a in pager.css("a"):
            if a.text(strip=True).isdigit():
                numbered[int(a.text(strip=True))] = site_path(url, a.attributes["href"])
        assert numbered, url
        assert {1, count} - {number} <= set(numbered), url  # first and last are always reachable
        assert number not in numbered  # the current page is not a link
        for n, target in numbered.items():
            assert target == page_url(listing, n)


@pytest.mark.parametrize("listing", sorted(url for url, slugs in EXPECTED.items() if 0 < len(slugs) <= PAGE_SIZE))
def test_a_single_page_listing_has_no_neighbours(site: BuiltSite, listing: str):
    for rel in ("prev", "next"):
        assert pager_link(site, listing, rel) == []
        assert head_link(site, listing, rel) == []


def test_the_latest_listing_on_its_first_and_last_page_links_no_other_section(site: BuiltSite):
    count = len(chunks(EXPECTED["briefs/"]))
    assert head_link(site, "briefs/", "prev") == []
    assert head_link(site, "briefs/", "next") == ["briefs/page/2/"]
    assert head_link(site, f"briefs/page/{count}/", "next") == []


@pytest.mark.parametrize("listing", EMPTY)
def test_every_declared_subject_has_its_page_even_without_briefs(site: BuiltSite, listing: str):
    page = site.html(listing)
    assert page.css("[data-brief]") == []
    assert page.css_first(".ba-empty") is not None
    assert page.css_first(".ba-empty").text(strip=True)
    assert page.css(".ba-pager") == []


def test_listing_entries_link_to_their_briefs_and_show_reader_dates(site: BuiltSite):
    by_slug = {b.slug: b for b in BRIEFS}
    for number in range(1, len(chunks(EXPECTED["briefs/"])) + 1):
        url = page_url("briefs/", number)
        for entry in site.html(url).css("[data-brief]"):
            brief = by_slug[entry.attributes["data-brief"]]
            links = {site_path(url, a.attributes["href"]) for a in entry.css("a[href]")}
            assert brief.url in links
            assert site.file(brief.url).is_file()
            times = entry.css("time")
            assert [t.attributes["datetime"] for t in times] == [brief.date.isoformat()]
            assert times[0].text(strip=True) == reader_date(brief.date)


# --- index pages -------------------------------------------------------------------------

def test_the_topic_index_groups_topics_under_their_group_headings(site: BuiltSite):
    page = site.html("topics/")
    grouped: dict[str, set[str]] = {}
    for tile in page.css("[data-topic]"):
        container = tile.parent
        while container is not None and container.css_first("h2") is None:
            container = container.parent
        assert container is not None
        grouped.setdefault(container.css_first("h2").text(strip=True), set()).add(tile.attributes["data-topic"])
        link = tile.css_first("a[href]")
        assert site_path("topics/", link.attributes["href"]) == f"topics/{tile.attributes['data-topic']}/"
    assert grouped == {"Issues": {"cyber", "sanctions", "energy"}, "Regions": {"north-korea", "china"}}
    headings = [h.text(strip=True) for h in page.css("h2")]
    assert headings.index("Issues") < headings.index("Regions")  # groups in declared order


def test_the_author_index_puts_alumni_apart(site: BuiltSite):
    page = site.html("authors/")

    def keys(selector: str) -> set[str]:
        found = set()
        for a in page.css(f"{selector} a[href]"):
            target = site_path("authors/", a.attributes["href"])
            match = re.fullmatch(r"authors/([a-z0-9-]+)/", target)
            if match:
                found.add(match[1])
        return found

    assert keys("[data-authors=alumni]") == {"old-hand"}
    current = keys("[data-authors]:not([data-authors=alumni])")
    assert current == {"min-ji-kim", "sam-ortiz", "priya-raman", "new-colleague"}


def test_the_archive_page_lists_years_newest_first_with_counts(site: BuiltSite):
    page = site.html("archive/")
    years = page.css("[data-year]")
    expected = sorted({b.date.year for b in BRIEFS}, reverse=True)
    assert [int(y.attributes["data-year"]) for y in years] == expected
    for node in years:
        year = int(node.attributes["data-year"])
        count = sum(1 for b in BRIEFS if b.date.year == year)
        assert re.search(rf"\b{count} briefs?\b", node.text()), node.text()
        links = [site_path("archive/", a.attributes["href"]) for a in node.css("a[href]")]
        assert f"archive/{year}/" in links


def test_the_home_page_shows_the_latest_briefs_newest_first(site: BuiltSite):
    home = site.listed("")
    assert home, "no briefs on the home page"
    assert home == EXPECTED["briefs/"][: len(home)]
    assert len(home) >= 5


# --- navigation --------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["", "briefs/", "briefs/page/2/", "topics/cyber/", "authors/min-ji-kim/",
                                 "archive/2023/", BRIEFS[0].url])
def test_briefs_are_not_in_the_navigation_but_the_sections_are(site: BuiltSite, url: str):
    page = site.html(url)
    targets = {site_path(url, a.attributes["href"]) for a in page.css("nav.md-nav a[href], .md-tabs a[href]")}
    brief_urls = {b.url for b in BRIEFS}
    assert not targets & brief_urls
    assert not any(re.match(r"briefs/\d{4}/", t) for t in targets), targets
    assert {"briefs/", "topics/", "authors/", "archive/"} <= targets


# --- drafts ------------------------------------------------------------------------------

def draft_archive(root: Path, drafts_option: bool = False) -> Archive:
    archive = Archive(root, page_size=PAGE_SIZE, plugin_options={"drafts": True} if drafts_option else {})
    archive.brief("published-one", date="2023-03-01")
    archive.brief("published-two", date="2023-05-01", topics=["sanctions"])
    archive.brief("work-in-progress", date="2023-04-01", draft=True, authors=["sam-ortiz"], topics=["north-korea"])
    archive.brief("future-draft", date="2025-01-01", draft=True)
    return archive


def all_listed_slugs(site: BuiltSite) -> set[str]:
    slugs = set()
    for file in site.site.rglob("index.html"):
        url = file.parent.relative_to(site.site).as_posix() + "/"
        slugs |= set(site.listed("" if url == "./" else url))
    return slugs


def test_drafts_are_left_out_of_a_normal_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("BRIEFS_DRAFTS", raising=False)
    site = draft_archive(tmp_path).build()
    assert site.ok, site.messages
    assert site.listed("briefs/") == ["published-two", "published-one"]
    assert all_listed_slugs(site) == {"published-one", "published-two"}
    assert not site.file("briefs/2023/work-in-progress/").exists()
    assert not site.file("briefs/2025/future-draft/").exists()
    assert not site.file("archive/2025/").exists()
    assert site.listed("authors/sam-ortiz/") == []
    assert site.listed("topics/north-korea/") == []
    assert site.html("topics/north-korea/").css_first(".ba-empty") is not None


@pytest.mark.parametrize("how", ["environment", "plugin-option"])
def test_drafts_are_shown_and_marked_when_enabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str):
    if how == "environment":
        monkeypatch.setenv("BRIEFS_DRAFTS", "1")
    else:
        monkeypatch.delenv("BRIEFS_DRAFTS", raising=False)
    site = draft_archive(tmp_path, drafts_option=how == "plugin-option").build()
    assert site.ok, site.messages
    assert site.listed("briefs/") == ["future-draft", "published-two", "work-in-progress", "published-one"]
    assert site.listed("authors/sam-ortiz/") == ["work-in-progress"]
    assert site.listed("topics/north-korea/") == ["work-in-progress"]
    assert site.listed("archive/2025/") == ["future-draft"]
    listing = site.html("briefs/")
    marked = {e.attributes["data-brief"] for e in listing.css("[data-brief]") if e.css_first(".ba-draft")}
    assert marked == {"future-draft", "work-in-progress"}
    page = site.html("briefs/2023/work-in-progress/")
    assert page.css_first(".ba-draft") is not None
    assert site.html("briefs/2023/published-one/").css_first(".ba-draft") is None
