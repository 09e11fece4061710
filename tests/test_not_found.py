"""The error page (404.html, issue 18): served by static hosts for any unknown address, so every link
on it is site-absolute; it offers the search box, the latest briefs, the sections, and the small
index of slugs (/api/slugs.json) its script suggests briefs from (tests/browser/test_not_found_browser.py
runs the script)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from archive_kit import MKDOCS_YML, Archive, BuiltSite

TRICKY_TITLE = 'Kim & Co: "Quotes", <Tags> and Commas'
SECTIONS = {"Home": "/.", "Latest": "/briefs/", "Topics": "/topics/", "Authors": "/authors/", "Archive": "/archive/"}


def make_archive(root: Path, plugins_extra: list | None = None) -> Archive:
    archive = Archive(root, plugins_extra=["briefing-search"] if plugins_extra is None else plugins_extra)
    for number in range(1, 9):  # eight briefs, one a month of 2024: the page shows the six newest
        archive.brief(f"brief-number-{number}", date=f"2024-{number:02d}-10", title=f"Brief Number {number}")
    archive.brief("tricky-title", date="2024-08-20", title=TRICKY_TITLE)
    archive.brief("tricky-title-ko", date="2024-08-21", title="까다로운 제목", language="ko", translation_of="tricky-title")
    archive.brief("not-yet", date="2024-09-01", draft=True)
    return archive


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    built = make_archive(tmp_path_factory.mktemp("not-found")).build()
    assert built.ok, built.messages
    return built


def error_page(site: BuiltSite):
    page = site.html("404.html")
    root = page.css_first("[data-not-found]")
    assert root is not None
    return page, root


def test_the_error_page_is_the_archives(site: BuiltSite):
    """No `noindex`: hosts serve it with status 404, which keeps it out of search indexes, and
    Lighthouse's SEO audit (make audit) counts a noindex page as not crawlable."""
    page, _root = error_page(site)
    assert page.css_first("title").text() == "Page not found - Test Institute"
    assert page.css_first('meta[name="robots"]') is None
    assert page.css_first("h1").text(strip=True) == "This page is not in the archive"


def test_the_error_pages_search_landmarks_are_told_apart(site: BuiltSite):
    """The header's search box and the page's own are both search landmarks (axe: landmark-unique)."""
    page, _root = error_page(site)
    forms = page.css('form[role="search"]')
    assert len(forms) == 2
    names = [form.attributes.get("aria-label") or "" for form in forms]
    assert len(set(names)) == 2, names


def test_the_error_page_offers_the_search_box(site: BuiltSite):
    _page, root = error_page(site)
    form = root.css_first("form[role=search]")
    assert form.attributes["action"] == "/search/" and form.attributes["method"] == "get"
    box = form.css_first("input[name=q][type=search]")
    label = form.css_first(f'label[for="{box.attributes["id"]}"]')
    assert label.text(strip=True) == "Search the briefs"
    # and the header's own box, as on every page
    assert site.html("404.html").css_first("header.md-header form[role=search]").attributes["action"] == "/search/"


def test_the_error_page_lists_the_latest_briefs_as_listings_do(site: BuiltSite):
    _page, root = error_page(site)
    entries = root.css(".ba-not-found__latest [data-brief]")
    # newest first, originals only (a translation is no entry of a listing), no draft
    assert [entry.attributes["data-brief"] for entry in entries] == [
        "tricky-title", "brief-number-8", "brief-number-7", "brief-number-6", "brief-number-5", "brief-number-4"]
    first = entries[0]
    link = first.css_first(".ba-card__title a")
    assert link.attributes["href"] == "/briefs/2024/tricky-title/"  # site-absolute: served at any depth
    assert link.text() == TRICKY_TITLE  # escaped once, read back as written
    assert first.css_first("time").attributes["datetime"] == "2024-08-20"
    assert [a.attributes["href"] for a in first.css(".ba-byline a")] == ["/authors/min-ji-kim/"]
    assert root.css_first(".ba-not-found__latest .ba-more").attributes["href"] == "/briefs/"


def test_the_error_page_links_the_sections_of_the_navigation(site: BuiltSite):
    _page, root = error_page(site)
    links = {a.text(strip=True): a.attributes["href"] for a in root.css(".ba-not-found__sections a")}
    assert links == SECTIONS
    for href in links.values():
        assert site.file(href.rstrip(".")).is_file(), href


def test_the_error_page_script_and_its_index_are_published(site: BuiltSite):
    page, root = error_page(site)
    script = page.css_first('script[type="module"][src*="not-found"]').attributes["src"]
    assert script == "/assets/briefing-archive-not-found.js" and site.file(script).is_file()
    assert root.attributes["data-not-found-root"] == "/"
    assert root.attributes["data-not-found-index"] == "/api/slugs.json"
    # the suggestions are the script's to fill: hidden and empty in the page as published
    suggestions = root.css_first("[data-not-found-suggestions]")
    assert "hidden" in suggestions.attributes and suggestions.css("li") == []


def test_the_index_holds_every_published_brief_newest_first(site: BuiltSite):
    index = site.json("/api/slugs.json")
    assert [entry["slug"] for entry in index] == [
        "tricky-title-ko", "tricky-title", *(f"brief-number-{n}" for n in range(8, 0, -1))]  # translations too
    assert index[1] == {"slug": "tricky-title", "title": TRICKY_TITLE, "year": 2024, "path": "briefs/2024/tricky-title/"}
    for entry in index:
        assert site.file("/" + entry["path"]).is_file(), entry


def test_the_index_is_compact(site: BuiltSite):
    text = site.file("/api/slugs.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")) + "\n"


def test_under_a_sub_path_every_link_starts_with_it(tmp_path: Path):
    archive = make_archive(tmp_path)
    archive.write("mkdocs.yml", MKDOCS_YML.replace("{page_size}", "20").replace(
        "site_url: https://briefs.test.example/", "site_url: https://www.test.example/think-tank/")
        + "  - briefing-search\n")
    site = archive.build()
    assert site.ok, site.messages
    _page, root = error_page(site)
    assert root.attributes["data-not-found-root"] == "/think-tank/"
    assert root.attributes["data-not-found-index"] == "/think-tank/api/slugs.json"
    assert root.css_first("form[role=search]").attributes["action"] == "/think-tank/search/"
    assert root.css_first("[data-brief] .ba-card__title a").attributes["href"] == "/think-tank/briefs/2024/tricky-title/"
    links = {a.text(strip=True): a.attributes["href"] for a in root.css(".ba-not-found__sections a")}
    assert links == {title: "/think-tank" + href for title, href in SECTIONS.items()}


def test_without_the_search_plugin_the_page_has_no_search_box(tmp_path: Path):
    site = make_archive(tmp_path, plugins_extra=[]).build()
    assert site.ok, site.messages
    _page, root = error_page(site)
    assert root.css("form") == []
    assert len(root.css("[data-brief]")) == 6


def test_a_custom_dirs_own_error_page_wins(tmp_path: Path):
    archive = make_archive(tmp_path)
    archive.build_config()
    config = archive.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n"), encoding="utf-8")
    archive.write("overrides/404.html", '{% extends "main.html" %}{% block content %}'
                                        "<h1>{{ '<b>Lost</b>' }}</h1>{% endblock %}")
    site = archive.build()
    assert site.ok, site.messages
    page = site.html("404.html")
    assert page.css_first("[data-not-found]") is None
    assert page.css_first("h1 b").text() == "Lost"  # rendered as the theme renders its own
