"""Atom feeds and the static JSON API (issue 6), checked by parsing what the build wrote.

Feeds are read twice: by feedparser (what feed readers do; `bozo` flags anything malformed) and
by lxml (the raw Atom elements). Expected entries come from the table of briefs below.
"""

from __future__ import annotations

import os
import time
from datetime import date

import feedparser
import pytest
from lxml import etree

from archive_kit import Archive, BuiltSite, build_site, resolve

SITE_URL = "https://briefs.test.example/"
ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM}
FEED_SIZE = 3
NASTY_TITLE = 'Sanctions <script>alert("x")</script> & Q&A: "fines" <em>now</em>'

AUTHOR_NAMES = {"min-ji-kim": "Min-ji Kim", "sam-ortiz": "Sam Ortiz", "new-colleague": "New Colleague"}
TOPIC_TITLES = {"cyber": "Cyber", "sanctions": "Sanctions", "north-korea": "North Korea", "energy": "Energy"}

# slug -> front matter. Newest first here only for reading; the archive sorts by date.
BRIEFS: dict[str, dict] = {
    "feed-six": dict(date="2024-03-01", updated="2024-04-02", type="policy-brief", authors=["min-ji-kim"],
                     topics=["cyber"], program="ccti", summary="Six: the newest brief, updated a month later."),
    "feed-five": dict(date="2024-02-01", type="analysis", authors=["sam-ortiz"], topics=["sanctions"],
                      title=NASTY_TITLE, summary="Five <b>bold</b> & plain: summaries are text too."),
    "feed-four": dict(date="2024-01-01", type="policy-brief", authors=["min-ji-kim", "sam-ortiz"],
                      topics=["cyber", "north-korea"], program="ccti", summary="Four, by two authors on two topics."),
    "feed-three": dict(date="2023-12-01", type="analysis", authors=["sam-ortiz"], topics=["cyber"], program="ccti",
                       summary="Three, an analysis."),
    "feed-two": dict(date="2023-11-01", type="policy-brief", authors=["min-ji-kim"], topics=["cyber"],
                     body="First paragraph with **bold** words.\n\nSecond paragraph."),
    "feed-one": dict(date="2023-10-01", type="policy-brief", authors=["min-ji-kim"], topics=["north-korea"],
                     summary="One, the oldest."),
}
DRAFT = dict(date="2024-05-01", type="policy-brief", authors=["min-ji-kim"], topics=["cyber"], program="ccti",
             draft=True, summary="Not yet.")
DERIVED_SUMMARY = {"feed-two": "First paragraph with bold words."}


def title_of(slug: str) -> str:
    return BRIEFS[slug].get("title", slug.replace("-", " ").title())


def summary_of(slug: str) -> str:
    return BRIEFS[slug].get("summary") or DERIVED_SUMMARY[slug]


def url_of(slug: str) -> str:
    return f"{SITE_URL}briefs/{BRIEFS[slug]['date'][:4]}/{slug}/"


def newest_first(match) -> list[str]:
    chosen = [slug for slug, fields in BRIEFS.items() if match(fields)]
    return sorted(chosen, key=lambda slug: BRIEFS[slug]["date"], reverse=True)


FEEDS = {
    "/feed.xml": newest_first(lambda f: True),
    "/topics/cyber/feed.xml": newest_first(lambda f: "cyber" in f["topics"]),
    "/topics/north-korea/feed.xml": newest_first(lambda f: "north-korea" in f["topics"]),
    "/topics/sanctions/feed.xml": newest_first(lambda f: "sanctions" in f["topics"]),
    "/topics/energy/feed.xml": [],
    "/authors/min-ji-kim/feed.xml": newest_first(lambda f: "min-ji-kim" in f["authors"]),
    "/authors/sam-ortiz/feed.xml": newest_first(lambda f: "sam-ortiz" in f["authors"]),
    "/authors/new-colleague/feed.xml": [],
    "/types/policy-brief/feed.xml": newest_first(lambda f: f["type"] == "policy-brief"),
    "/types/analysis/feed.xml": newest_first(lambda f: f["type"] == "analysis"),
    "/programs/ccti/feed.xml": newest_first(lambda f: f.get("program") == "ccti"),
}


def make_archive(root) -> Archive:
    archive = Archive(root, plugin_options={"feed_size": FEED_SIZE})
    archive.topics["energy"] = {"title": "Energy", "group": "Issues"}
    archive.author("new-colleague", name="New Colleague", role="Fellow")
    for slug, fields in BRIEFS.items():
        archive.brief(slug, **fields)
    archive.brief("feed-draft", **DRAFT)
    return archive


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    built = make_archive(tmp_path_factory.mktemp("feeds")).build()
    assert built.ok, built.messages
    return built


def parse(site: BuiltSite, url: str):
    raw = site.file(url).read_bytes()
    parsed = feedparser.parse(raw)
    assert parsed.bozo == 0, f"{url}: {parsed.get('bozo_exception')}"
    root = etree.fromstring(raw)
    assert root.tag == f"{{{ATOM}}}feed"
    return parsed, root


def test_the_expected_feeds_exist(site: BuiltSite):
    # The table above is the test's own; make sure it has the interesting shapes in it.
    assert len(FEEDS["/feed.xml"]) > FEED_SIZE and len(FEEDS["/topics/cyber/feed.xml"]) > FEED_SIZE
    for url in FEEDS:
        assert site.file(url).is_file(), url


@pytest.mark.parametrize("url", list(FEEDS))
def test_feed_is_valid_atom_newest_first_and_cut_at_feed_size(site: BuiltSite, url: str):
    parsed, root = parse(site, url)
    expected = FEEDS[url][:FEED_SIZE]
    assert parsed.version == "atom10"
    assert [entry.link for entry in parsed.entries] == [url_of(slug) for slug in expected]
    # Feed-level elements RFC 4287 requires.
    assert root.findtext("a:id", namespaces=NS).strip()
    assert root.findtext("a:title", namespaces=NS).strip()
    assert root.findtext("a:updated", namespaces=NS).strip()
    self_link = root.find("a:link[@rel='self']", NS)
    assert self_link is not None and self_link.get("href") == SITE_URL + url.lstrip("/")
    alternate = root.find("a:link[@rel='alternate']", NS)
    assert alternate is not None and alternate.get("href").startswith(SITE_URL)
    ids = [e.findtext("a:id", namespaces=NS) for e in root.findall("a:entry", NS)]
    assert len(ids) == len(set(ids)) == len(expected)


@pytest.mark.parametrize("url", [u for u, slugs in FEEDS.items() if slugs])
def test_feed_entries_carry_the_briefs_metadata(site: BuiltSite, url: str):
    parsed, root = parse(site, url)
    for entry, xml_entry, slug in zip(parsed.entries, root.findall("a:entry", NS), FEEDS[url][:FEED_SIZE]):
        fields = BRIEFS[slug]
        assert entry.title == title_of(slug)
        assert entry.link == url_of(slug)
        assert date(*entry.published_parsed[:3]).isoformat() == fields["date"]
        assert date(*entry.updated_parsed[:3]).isoformat() == fields.get("updated", fields["date"])
        assert [a.name for a in entry.authors] == [AUTHOR_NAMES[k] for k in fields["authors"]]
        assert [t.term for t in entry.tags] == fields["topics"]
        assert [t.label for t in entry.tags] == [TOPIC_TITLES[k] for k in fields["topics"]]
        assert entry.summary == summary_of(slug)
        # The same, as raw Atom elements.
        assert xml_entry.findtext("a:title", namespaces=NS) == title_of(slug)
        assert xml_entry.findtext("a:summary", namespaces=NS) == summary_of(slug)
        for element in ("a:id", "a:published", "a:updated"):
            assert xml_entry.findtext(element, namespaces=NS), element
        assert [c.get("term") for c in xml_entry.findall("a:category", NS)] == fields["topics"]


def test_feed_updated_is_the_newest_entry_date(site: BuiltSite):
    parsed, _ = parse(site, "/feed.xml")
    assert date(*parsed.feed.updated_parsed[:3]) == date(2024, 4, 2)  # feed-six's `updated`
    parsed, _ = parse(site, "/topics/sanctions/feed.xml")
    assert date(*parsed.feed.updated_parsed[:3]) == date(2024, 2, 1)


def test_titles_with_markup_are_escaped_text(site: BuiltSite):
    raw = site.file("/feed.xml").read_bytes()
    assert b"<script" not in raw and b"<em>" not in raw and b"<b>" not in raw
    parsed, root = parse(site, "/feed.xml")
    (entry,) = [e for e in parsed.entries if e.link == url_of("feed-five")]
    assert entry.title == NASTY_TITLE
    assert entry.summary == summary_of("feed-five")
    (xml_entry,) = [e for e in root.findall("a:entry", NS) if e.findtext("a:id", namespaces=NS) == url_of("feed-five")]
    assert xml_entry.find("a:title", NS).get("type", "text") == "text"


def test_drafts_are_not_in_feeds(site: BuiltSite):
    for url in FEEDS:
        assert b"feed-draft" not in site.file(url).read_bytes(), url


def test_feeds_and_api_do_not_depend_on_the_build_time(site: BuiltSite, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    outputs = [*FEEDS, "/api/briefs.json", "/api/topics.json", "/api/authors.json"]
    first = {url: site.file(url).read_bytes() for url in outputs}
    time.sleep(1.1)
    later = time.time() + 86400 * 3  # sources edited "three days later"
    for path in (site.root / "content").rglob("*.md"):
        os.utime(path, (later, later))
    again = build_site(site.root / "mkdocs.yml")  # the same sources and configuration, later
    assert again.ok, again.messages
    for url in outputs:
        assert again.file(url).read_bytes() == first[url], url


@pytest.mark.parametrize("page,feed", [
    ("/", "/feed.xml"),
    ("/briefs/", "/feed.xml"),
    ("/topics/cyber/", "/topics/cyber/feed.xml"),
    ("/topics/energy/", "/topics/energy/feed.xml"),
    ("/authors/min-ji-kim/", "/authors/min-ji-kim/feed.xml"),
    ("/authors/new-colleague/", "/authors/new-colleague/feed.xml"),
    ("/types/analysis/", "/types/analysis/feed.xml"),
    ("/programs/ccti/", "/programs/ccti/feed.xml"),
])
def test_pages_advertise_their_feed(site: BuiltSite, page: str, feed: str):
    links = site.html(page).css('head link[rel="alternate"][type="application/atom+xml"]')
    targets = [resolve(page, link.attributes["href"]) for link in links]
    assert feed in targets, targets
    for link, target in zip(links, targets):
        assert link.attributes.get("title"), "a feed link needs a title for readers to pick it"
        assert site.file(target).is_file(), target


# ---------------------------------------------------------------------------------------------
# JSON API
# ---------------------------------------------------------------------------------------------

def test_api_briefs_lists_every_published_brief_newest_first(site: BuiltSite):
    data = site.json("/api/briefs.json")
    assert [item["slug"] for item in data] == newest_first(lambda f: True)
    for item in data:
        fields = BRIEFS[item["slug"]]
        assert {"slug", "url", "title", "date", "updated", "type", "authors", "topics", "program", "summary"} <= set(item)
        assert item["url"] == url_of(item["slug"])
        assert item["title"] == title_of(item["slug"])
        assert item["date"] == fields["date"]
        assert item["updated"] == fields.get("updated")
        assert item["type"] == fields["type"]
        assert item["authors"] == fields["authors"]
        assert item["topics"] == fields["topics"]
        assert item["program"] == fields.get("program")
        assert item["summary"] == summary_of(item["slug"])


def test_api_urls_point_at_built_pages(site: BuiltSite):
    for name in ("briefs", "topics", "authors"):
        for item in site.json(f"/api/{name}.json"):
            assert item["url"].startswith(SITE_URL)
            assert site.file("/" + item["url"][len(SITE_URL):]).is_file(), item["url"]


def test_api_topics_counts_and_urls(site: BuiltSite):
    data = {item["key"]: item for item in site.json("/api/topics.json")}
    assert set(data) == set(TOPIC_TITLES)
    for key, item in data.items():
        assert item["count"] == sum(key in f["topics"] for f in BRIEFS.values()), key
        assert item["url"] == f"{SITE_URL}topics/{key}/"
        assert item["title"] == TOPIC_TITLES[key]
    assert data["energy"]["count"] == 0


def test_api_authors_counts_and_urls(site: BuiltSite):
    data = {item["key"]: item for item in site.json("/api/authors.json")}
    assert set(data) == set(AUTHOR_NAMES)
    for key, item in data.items():
        assert item["count"] == sum(key in f["authors"] for f in BRIEFS.values()), key
        assert item["url"] == f"{SITE_URL}authors/{key}/"
        assert item["name"] == AUTHOR_NAMES[key]
    assert data["min-ji-kim"]["count"] == 4 and data["new-colleague"]["count"] == 0


def test_drafts_are_not_in_the_api(site: BuiltSite):
    for name in ("briefs", "topics", "authors"):
        assert "feed-draft" not in site.file(f"/api/{name}.json").read_text(encoding="utf-8")
