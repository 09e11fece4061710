"""The publication record on the built site (issue 16, SPEC §4): series pages and marks,
corrections, translations, PDF editions and scheduled briefs, read from the HTML, the JSON-LD,
the Atom feeds and the JSON API that one small archive builds into."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
import yaml

from archive_kit import Archive, BuiltSite, resolve

SITE = "https://briefs.test.example/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# The build's date for these tests: 2024-06-01 (the scheduled brief is dated after it).
BEFORE = "1717200000"
AFTER = "1893456000"  # 2030-01-01


def publication_archive(root: Path) -> Archive:
    archive = Archive(root)
    archive.write("site_config/series.yml", yaml.safe_dump({
        "kpr": {"title": "Korea Program Report", "short": "KPR", "description": "Numbered reports of the Korea program."},
        "empty": {"title": "A Series Not Started"},
    }))
    # Numbers out of date order: the series page goes by number, listings by date.
    archive.brief("report-one", date="2023-01-10", series="kpr", number=1)
    archive.brief("report-two", date="2023-05-10", series="kpr", number=2)
    archive.brief("report-four", date="2023-03-10", series="kpr", number=4)
    archive.brief("report-three", date="2023-09-10", series="kpr", number=3,
                  corrections=[{"date": "2023-09-20", "note": "The 2022 figure was 41, not 14."},
                               {"date": "2023-10-02", "note": "A quotation is now attributed to its speaker."}],
                  pdf="briefs/pdf/report-three.pdf")
    archive.write("content/briefs/pdf/report-three.pdf", PDF)
    archive.brief("alliance-talks", date="2023-06-26", title="Allied Talks on Crypto Theft",
                  body="The allies meet again this month.")
    archive.brief("alliance-talks-ko", date="2023-06-28", title="암호화폐 탈취에 대한 동맹 회담",
                  language="ko", translation_of="alliance-talks", body="동맹국들이 이번 달에 다시 만난다.")
    archive.brief("alliance-talks-fr", date="2023-06-29", title="Les alliés face au vol de cryptomonnaies",
                  language="fr", translation_of="alliance-talks", body="Les alliés se retrouvent ce mois-ci.")
    archive.brief("next-summer", date="2024-07-01", title="Next Summer's Brief", body="Not out before July.")
    return archive


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", BEFORE)
    try:
        built = publication_archive(tmp_path_factory.mktemp("record")).build()
    finally:
        mp.undo()
    assert built.ok, built.messages
    return built


def json_ld(built: BuiltSite, url: str) -> dict:
    node = built.html(url).css_first('script[type="application/ld+json"]')
    return json.loads(node.text())


def test_a_series_page_lists_its_briefs_in_number_order_and_the_index_lists_every_series(site: BuiltSite):
    assert site.listed("/series/kpr/") == ["report-one", "report-two", "report-three", "report-four"]
    index = site.html("/series/")
    links = {a.attributes["href"] for a in index.css(".ba-tile__title")}
    assert {resolve("/series/", href) for href in links} == {"/series/kpr/", "/series/empty/"}
    assert site.listed("/series/empty/") == []
    # Everywhere else a series brief is listed by date, with its number on its card.
    assert site.listed("/topics/cyber/")[:2] == ["report-three", "alliance-talks"]
    card = site.html("/topics/cyber/").css_first('[data-brief="report-three"] .ba-series-label')
    assert card.text() == "KPR No. 3"


def test_a_series_brief_links_its_series_and_the_numbers_either_side(site: BuiltSite):
    page = site.html("/briefs/2023/report-two/")
    mark = page.css_first("[data-series]")
    assert (mark.attributes["data-series"], mark.attributes["data-series-number"]) == ("kpr", "2")
    assert mark.text() == "KPR No. 2"
    assert resolve("/briefs/2023/report-two/", mark.attributes["href"]) == "/series/kpr/"
    previous, following = page.css_first("[data-series-prev]"), page.css_first("[data-series-next]")
    assert previous.attributes["data-series-prev"] == "report-one"
    assert following.attributes["data-series-next"] == "report-three"
    assert resolve("/briefs/2023/report-two/", following.attributes["href"]) == "/briefs/2023/report-three/"
    first = site.html("/briefs/2023/report-one/")
    assert first.css_first("[data-series-prev]") is None and first.css_first("[data-series-next]") is not None
    assert site.html("/briefs/2023/report-four/").css_first("[data-series-next]") is None
    data = json_ld(site, "/briefs/2023/report-two/")
    assert data["isPartOf"] == {"@type": "CreativeWorkSeries", "name": "Korea Program Report", "url": SITE + "series/kpr/"}
    assert data["reportNumber"] == "2"


def test_corrections_are_announced_near_the_top_listed_at_the_end_and_move_the_feed_entry(site: BuiltSite):
    url = "/briefs/2023/report-three/"
    page = site.html(url)
    notice = page.css_first(".ba-notice a")
    assert notice.attributes["href"] == "#corrections"
    assert notice.css_first("time").attributes["datetime"] == "2023-10-02"
    listed = page.css("#corrections [data-correction]")
    assert [n.attributes["data-correction"] for n in listed] == ["2023-09-20", "2023-10-02"]
    assert "41, not 14" in listed[0].text()
    data = json_ld(site, url)
    assert data["correction"] == [
        {"@type": "CorrectionComment", "datePublished": "2023-09-20", "text": "The 2022 figure was 41, not 14."},
        {"@type": "CorrectionComment", "datePublished": "2023-10-02", "text": "A quotation is now attributed to its speaker."},
    ]
    assert data["dateModified"] == "2023-10-02"
    feed = feedparser.parse(site.file("/feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link == SITE + "briefs/2023/report-three/")
    assert entry.updated.startswith("2023-10-02") and entry.published.startswith("2023-09-10")
    api = {b["slug"]: b for b in site.json("/api/briefs.json")}
    assert api["report-three"]["corrections"] == [
        {"date": "2023-09-20", "note": "The 2022 figure was 41, not 14."},
        {"date": "2023-10-02", "note": "A quotation is now attributed to its speaker."},
    ]
    assert site.html("/briefs/2023/report-two/").css_first(".ba-notice") is None


def test_a_pdf_edition_is_published_beside_its_page_and_linked(site: BuiltSite):
    url = "/briefs/2023/report-three/"
    link = site.html(url).css_first("[data-pdf]")
    assert resolve(url, link.attributes["href"]) == "/briefs/2023/report-three/report-three.pdf"
    assert site.file("/briefs/2023/report-three/report-three.pdf").read_bytes() == PDF
    assert {b["slug"]: b for b in site.json("/api/briefs.json")}["report-three"]["pdf"] == \
        SITE + "briefs/2023/report-three/report-three.pdf"


def test_translations_have_pages_linked_both_ways_and_stay_out_of_listings_and_feeds(site: BuiltSite):
    versions = {"en": "/briefs/2023/alliance-talks/", "ko": "/briefs/2023/alliance-talks-ko/",
                "fr": "/briefs/2023/alliance-talks-fr/"}
    for language, url in versions.items():
        page = site.html(url)
        assert page.css_first("article.ba-brief").attributes["lang"] == language
        alternates = {n.attributes["hreflang"]: n.attributes["href"] for n in page.css('link[rel="alternate"][hreflang]')}
        assert alternates == {lang: SITE + other.lstrip("/") for lang, other in versions.items()}
        linked = {n.attributes["data-translation"]: resolve(url, n.attributes["href"]) for n in page.css("[data-translation]")}
        assert linked == {lang: other for lang, other in versions.items() if lang != language}
    assert site.html(versions["ko"]).css_first('[data-translation="en"]').text() == "English"
    assert site.html(versions["en"]).css_first('[data-translation="ko"]').text() == "한국어"
    original = json_ld(site, versions["en"])
    assert [w["inLanguage"] for w in original["workTranslation"]] == ["fr", "ko"]
    translation = json_ld(site, versions["ko"])
    assert translation["inLanguage"] == "ko"
    assert translation["translationOfWork"]["url"] == SITE + "briefs/2023/alliance-talks/"
    for listing in ("/briefs/", "/topics/cyber/", "/authors/min-ji-kim/", "/archive/2023/", ""):
        assert not {"alliance-talks-ko", "alliance-talks-fr"} & set(site.listed_all(listing) if listing else site.listed("")), listing
    feed = feedparser.parse(site.file("/feed.xml").read_bytes())
    assert all("alliance-talks-" not in e.link for e in feed.entries)
    api = {b["slug"]: b for b in site.json("/api/briefs.json")}
    assert api["alliance-talks-ko"]["translation_of"] == "alliance-talks" and api["alliance-talks-ko"]["language"] == "ko"
    assert api["alliance-talks"]["translations"] == ["alliance-talks-fr", "alliance-talks-ko"]
    assert api["report-one"]["series"] == "kpr" and api["report-one"]["number"] == 1


def test_a_scheduled_brief_is_left_out_until_a_build_on_or_after_its_date(site: BuiltSite, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch):
    assert not site.file("/briefs/2024/next-summer/").exists()
    assert "next-summer" not in site.listed_all("/briefs/")
    assert "next-summer" not in {b["slug"] for b in site.json("/api/briefs.json")}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AFTER)
    later = publication_archive(tmp_path).build()
    assert later.ok, later.messages
    assert later.listed("/briefs/")[0] == "next-summer"
    assert later.html("/briefs/2024/next-summer/").css_first("h1").text() == "Next Summer's Brief"
