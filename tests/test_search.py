"""Reader search (`briefing-search` plugin): the search page, the header box (put into
mkdocs-material's header template), the brief pages' Pagefind marks, and the Pagefind index built
over the site, with its filter index in one order."""

from __future__ import annotations

import gzip
import json
import logging
import random
import shutil
from pathlib import Path

import pytest
from archive_kit import MKDOCS_YML, Archive, BuiltSite, resolve
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.utils import get_theme_dir

from briefing_archive.engine import header_search
from briefing_archive.search import bundle_order
from briefing_archive.search import plugin as search_plugin
from briefing_archive.search.bundle_order import UnknownLayout, decode, encode, pagefind_hash, read_record, stabilize
from briefing_archive.search.index_cache import IndexCache, pagefind_settings, part_digest
from briefing_archive.search.index_parts import IndexPart, briefs_per_year, plan_parts
from briefing_archive.search.plugin import EVERY_BRIEF

TRICKY_TITLE = 'Kim & Co: "Quotes", <Tags> and Commas'


def make_archive(root: Path, plugins_extra: list | None = None) -> Archive:
    archive = Archive(root, plugins_extra=["briefing-search"] if plugins_extra is None else plugins_extra)
    archive.author("ana-lopez", name="Ana López")
    archive.brief("pipeline-hack", date="2022-03-04", title="Hackers Hit a Gas Pipeline",
                  topics=["cyber", "north-korea"], authors=["sam-ortiz", "min-ji-kim"], program="ccti",
                  body="Ransomware stopped the pipeline for a week.")
    archive.brief("pipeline-sanctions", date="2024-07-08", title="Sanctions on Pipeline Builders",
                  type="analysis", topics=["sanctions"], authors=["ana-lopez"],
                  related=["pipeline-hack"], body="Treasury listed the pipeline contractors.")
    archive.brief("tricky-title", date="2023-01-02", title=TRICKY_TITLE, topics=["sanctions"],
                  summary="A summary with the word zeppelin.", body="Nothing about energy here.")
    return archive


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    built = make_archive(tmp_path_factory.mktemp("search")).build()
    assert built.ok, built.messages
    return built


def fragments(site: BuiltSite, bundle: str = "pagefind") -> dict[str, dict]:
    """Pagefind's per-page records (gzip, a short signature, then JSON), by URL."""
    records = {}
    for path in (site.site / bundle / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[raw.index(b"{"):])
        records[record["url"]] = record
    return records


def marks(site: BuiltSite, url: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in site.html(url).css("[data-pagefind-filter]"):
        key = node.attributes["data-pagefind-filter"].split("[")[0]
        found.setdefault(key, []).append(node.attributes["data-value"])
    return found


def test_pagefind_indexes_the_briefs_and_nothing_else(site: BuiltSite):
    bundle = site.site / "pagefind"
    for name in ("pagefind.js", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert [lang["page_count"] for lang in entry["languages"].values()] == [3]
    assert sorted(fragments(site)) == ["/briefs/2022/pipeline-hack/", "/briefs/2023/tricky-title/",
                                       "/briefs/2024/pipeline-sanctions/"]
    assert not (site.site / "search" / "search_index.json").exists()  # material's search is not used


def test_the_index_holds_each_briefs_facets_and_metadata(site: BuiltSite):
    record = fragments(site)["/briefs/2022/pipeline-hack/"]
    assert record["filters"] == {
        "type": ["Policy Brief"], "year": ["2022"],
        "program": ["Center on Cyber and Technology Innovation"],
        "topic": ["Cyber", "North Korea"], "author": ["Sam Ortiz", "Min-ji Kim"],  # byline order
    }
    assert record["meta"]["title"] == "Hackers Hit a Gas Pipeline"
    assert record["meta"]["date"] == "2022-03-04"
    assert record["meta"]["type"] == "Policy Brief"
    assert record["meta"]["authors"] == "Sam Ortiz and Min-ji Kim"  # as the byline writes them
    assert record["meta"]["minutes"] == "1"
    assert "series" not in record["meta"]
    assert "Ransomware stopped the pipeline" in record["content"]
    # the word filter-only browsing searches: in a metadata field, never in the text (nor in excerpts)
    assert record["meta"]["every"] == EVERY_BRIEF
    assert EVERY_BRIEF not in record["content"]
    tricky = fragments(site)["/briefs/2023/tricky-title/"]
    assert tricky["meta"]["title"] == TRICKY_TITLE
    assert "zeppelin" in tricky["meta"]["summary"]
    assert "program" not in tricky["filters"]


def test_the_indexed_text_is_the_briefs_body_alone(site: BuiltSite):
    """Excerpts are cut from the indexed text: it must be the brief's own words, not the header's
    type, date, reading time, title, summary or byline (those are metadata, searched too)."""
    for url, record in fragments(site).items():
        body = site.html(url).css_first(".ba-brief__body")
        assert record["content"] == " ".join(body.text(separator=" ").split()), url
    tricky = fragments(site)["/briefs/2023/tricky-title/"]
    assert tricky["content"] == "Nothing about energy here."
    assert "min read" not in tricky["content"] and "zeppelin" not in tricky["content"]


def test_permalinks_and_footnote_returns_are_not_words_of_the_text(tmp_path: Path):
    archive = make_archive(tmp_path)
    archive.brief("with-notes", date="2024-03-03", body="Intro.\n\n## A heading\n\nThe text.[^1]\n\n[^1]: A note.")
    site = archive.build()
    assert site.ok, site.messages
    page = site.html("briefs/2024/with-notes/")
    assert page.css_first(".headerlink") is not None and page.css_first(".footnote-backref") is not None
    assert fragments(site)["/briefs/2024/with-notes/"]["content"] == "Intro. A heading. The text. 1. A note."


def test_a_brief_in_a_series_gives_search_its_series_label(tmp_path: Path):
    archive = make_archive(tmp_path)
    archive.write("site_config/series.yml", "memos:\n  title: Cyber Memos\n  short: Memo\n")
    archive.brief("first-memo", date="2024-02-02", series="memos", number=1, body="A memo on pipelines.")
    site = archive.build()
    assert site.ok, site.messages
    assert fragments(site)["/briefs/2024/first-memo/"]["meta"]["series"] == "Memo No. 1"


def test_footer_text_is_not_indexed_as_the_briefs_own(site: BuiltSite):
    page = site.html("briefs/2024/pipeline-sanctions/")
    assert page.css_first('[data-related="pipeline-hack"]') is not None  # the footer does name it...
    content = fragments(site)["/briefs/2024/pipeline-sanctions/"]["content"]
    assert "Hackers Hit a Gas Pipeline" not in content  # ...but the index does not
    assert "Cite this brief" not in content


def test_brief_pages_carry_the_filter_marks(site: BuiltSite):
    page = site.html("briefs/2024/pipeline-sanctions/")
    body = page.css("[data-pagefind-body]")
    assert len(body) == 1 and "ba-brief__body" in body[0].attributes["class"]
    assert page.css_first("article.ba-brief").attributes["data-pagefind-sort"] == "date:2024-07-08"
    assert marks(site, "briefs/2024/pipeline-sanctions/") == {
        "type": ["Analysis"], "year": ["2024"], "topic": ["Sanctions"], "author": ["Ana López"]}
    # the marks are invisible: no text, inside a hidden element
    for node in page.css("[data-pagefind-filter]"):
        assert node.text(strip=True) == ""
        assert any("hidden" in parent.attributes for parent in _ancestors(node))
    # values survive escaping exactly
    assert site.html("briefs/2023/tricky-title/").css_first("h1[data-pagefind-meta]").text(strip=True) == TRICKY_TITLE


def _ancestors(node):
    while node is not None:
        yield node
        node = node.parent


def test_only_brief_pages_are_search_bodies(site: BuiltSite):
    for url in ("", "briefs/", "topics/cyber/", "authors/ana-lopez/", "archive/2024/", "search/"):
        assert site.html(url).css("[data-pagefind-body]") == [], url


def test_the_search_page_has_a_query_box_and_every_filter(site: BuiltSite):
    page = site.html("search/")
    form = page.css_first("form[role=search]")
    assert form.css_first("input[name=q][type=search]") is not None
    names = [select.attributes["name"] for select in form.css("select[data-bs-filter]")]
    assert names == ["topic", "type", "program", "author", "year"]
    script = page.css_first('script[type="module"][src]').attributes["src"]
    assert site.file(resolve("/search/", script)).is_file()
    bundle = page.css_first("[data-bs-bundle]").attributes["data-bs-bundle"]
    assert site.file(resolve("/search/", bundle) + "pagefind.js").is_file()
    for sheet in page.css('link[rel="stylesheet"]'):
        href = sheet.attributes["href"]
        if "briefing-search" in href:
            assert site.file(resolve("/search/", href)).is_file()
            break
    else:
        pytest.fail("the search stylesheet is not linked")


# --- The header box ----------------------------------------------------------------------

def header_box(site: BuiltSite, url: str):
    """The search form in material's header bar, which must be the bar's last item."""
    bar = site.html(url).css_first("header.md-header nav.md-header__inner")
    assert bar is not None, url
    forms = bar.css("form")
    if not forms:
        return None
    assert len(forms) == 1 and forms[0].parent == bar and forms[0].next is None, "not the bar's last item"
    return forms[0]


@pytest.mark.parametrize(("url", "action"), [
    ("", "search/"), ("briefs/2022/pipeline-hack/", "../../../search/"), ("briefs/", "../search/"),
    ("topics/cyber/", "../../search/"), ("authors/", "../search/"), ("authors/ana-lopez/", "../../search/")])
def test_every_page_header_has_a_search_box_leading_to_the_search_page(site: BuiltSite, url: str, action: str):
    form = header_box(site, url)
    assert form is not None
    assert form.attributes["role"] == "search" and form.attributes["method"] == "get"
    assert form.attributes["action"] == action
    assert resolve("/" + url, form.attributes["action"]) == "/search/"
    box = form.css_first("input.bs-header-search__input[name=q][type=search]")
    assert box is not None and box.attributes["aria-label"] == "Search briefs"
    button = form.css_first("button.md-header__button.md-icon.bs-header-search__button[type=submit]")
    assert button is not None and button.css_first("svg[aria-hidden=true]") is not None


def test_the_error_page_header_box_uses_a_site_absolute_link(site: BuiltSite):
    form = header_box(site, "404.html")
    assert form is not None and form.attributes["action"] == "/search/"


def test_the_search_page_has_no_header_box_of_its_own(site: BuiltSite):
    assert header_box(site, "search/") is None
    assert site.html("search/").css_first("form.bs-form[role=search]") is not None


def test_the_error_page_links_to_search_under_the_sites_own_path(tmp_path: Path):
    archive = make_archive(tmp_path)
    archive.write("mkdocs.yml", MKDOCS_YML.replace("{page_size}", "20").replace(
        "site_url: https://briefs.test.example/", "site_url: https://www.test.example/think-tank/briefs/")
        + "  - briefing-search\n")
    site = archive.build()
    assert site.ok, site.messages
    assert header_box(site, "404.html").attributes["action"] == "/think-tank/briefs/search/"
    assert header_box(site, "briefs/2022/pipeline-hack/").attributes["action"] == "../../../search/"


def test_the_header_box_is_there_whichever_plugin_comes_first(tmp_path: Path):
    archive = make_archive(tmp_path)
    archive.write("mkdocs.yml", MKDOCS_YML.replace("{page_size}", "20").replace(
        "plugins:\n", "plugins:\n  - briefing-search\n"))
    site = archive.build()
    assert site.ok, site.messages
    for url in ("briefs/2022/pipeline-hack/", "authors/ana-lopez/", "404.html"):
        assert header_box(site, url) is not None, url


MATERIAL_HEADER = Path(get_theme_dir("material"), "partials", "header.html").read_text(encoding="utf-8")


def test_materials_header_template_gets_the_include_at_the_end_of_its_bar():
    adapted = header_search.add_include(MATERIAL_HEADER, "archive/header-search.html")
    assert adapted is not None
    include = "{% include 'archive/header-search.html' %}"
    assert adapted.count(include) == 1
    assert adapted.replace(include, "") == MATERIAL_HEADER  # nothing else changed
    assert adapted.index(include) + len(include) == adapted.index("</nav>")
    assert adapted.index('<nav class="md-header__inner') < adapted.index(include)
    # Where the bar is not there once and only once, nothing is changed.
    assert header_search.add_include(MATERIAL_HEADER.replace("md-header__inner", "md-header__bar"), "x.html") is None
    assert header_search.add_include(MATERIAL_HEADER.replace("</nav>", "</nav><nav></nav>"), "x.html") is None
    assert header_search.add_include("<header></header>", "x.html") is None
    assert header_search.add_include('<header></nav><nav class="md-header__inner"></header>', "x.html") is None


def custom_header(tmp_path: Path, header: str) -> Archive:
    archive = make_archive(tmp_path)
    archive.write("overrides/partials/header.html", header)
    archive.write("mkdocs.yml", MKDOCS_YML.replace("{page_size}", "20").replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n") + "  - briefing-search\n")
    return archive


def test_a_custom_dirs_own_header_is_left_as_it_is(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="mkdocs")
    theirs = MATERIAL_HEADER.replace('<nav class="md-header__inner', '<span class="their-mark">ours</span>\n  <nav class="md-header__inner')
    site = custom_header(tmp_path, theirs).build()
    assert site.ok, site.messages
    for url in ("", "briefs/2022/pipeline-hack/", "topics/cyber/", "404.html"):
        page = site.html(url)
        assert page.css_first("header.md-header .their-mark") is not None, url  # their header, intact
        assert page.css_first("header.md-header nav.md-header__inner") is not None
        assert page.css("form.bs-header-search") == [], url  # and no box we put in it
    told = [m for m in site.messages if "partials/header.html is the site's own" in m]
    assert len(told) == 1 and "archive/header-search.html" in told[0]
    assert not any("could not adapt" in m for m in site.messages)


def test_a_custom_header_can_include_the_search_box_itself(tmp_path: Path):
    theirs = MATERIAL_HEADER.replace("  </nav>", "  {% include \"archive/header-search.html\" %}<i class=\"their-end\"></i>\n  </nav>")
    site = custom_header(tmp_path, theirs).build()
    assert site.ok, site.messages
    assert site.html("briefs/2022/pipeline-hack/").css_first("form.bs-header-search").attributes["action"] == "../../../search/"
    assert site.html("404.html").css_first("form.bs-header-search").attributes["action"] == "/search/"
    assert site.html("search/").css("form.bs-header-search") == []


@pytest.mark.parametrize("theme_version", ["9.8.1", "10.0.0"])
def test_a_header_the_include_cannot_go_into_is_built_as_it_is_with_one_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme_version: str):
    monkeypatch.setattr(header_search, "theme_version", lambda: theme_version)
    monkeypatch.setattr(header_search, "BAR", '<nav class="md-header__gone')  # as if the theme had moved on
    site = make_archive(tmp_path).build()
    assert site.ok, site.messages
    warned = [m for m in site.messages if "could not adapt the theme's partials/header.html" in m]
    assert len(warned) == 1, site.messages
    assert f"mkdocs-material {theme_version}" in warned[0]
    assert ("tested on 9.8.1" in warned[0]) == (theme_version != "9.8.1")
    for url in ("", "briefs/2022/pipeline-hack/", "404.html"):
        page = site.html(url)
        assert page.css_first("header.md-header nav.md-header__inner a.md-logo") is not None, url  # the theme's header
        assert page.css("form.bs-header-search") == [], url


def test_on_another_theme_version_the_include_goes_in_where_it_applies(tmp_path: Path, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")
    monkeypatch.setattr(header_search, "theme_version", lambda: "10.0.0")
    site = make_archive(tmp_path).build()
    assert site.ok, site.messages
    assert header_box(site, "briefs/2022/pipeline-hack/") is not None
    assert not any("header.html" in m for m in site.messages)


def test_search_can_skip_indexing_and_header_box(tmp_path: Path):
    site = make_archive(tmp_path, [{"briefing-search": {"index": False, "header_form": False}}]).build()
    assert site.ok, site.messages
    assert site.file("/search/").is_file()
    assert not (site.site / "pagefind").exists()
    assert site.html("briefs/2022/pipeline-hack/").css("header.md-header form") == []
    assert site.html("404.html").css("header.md-header form") == []
    assert any("search index not built" in message for message in site.messages)


def test_years_are_grouped_newest_first_into_parts_of_at_most_the_limit():
    per_year = {"2019": 3, "2020": 1, "2021": 2, "2022": 9, "2023": 2, "2024": 2}
    assert plan_parts(per_year, 4, "pagefind/") == [
        IndexPart("pagefind", ("2024", "2023")),
        IndexPart("pagefind/part-2", ("2022",)),  # more than the limit: a part of its own, never split
        IndexPart("pagefind/part-3", ("2021", "2020")),
        IndexPart("pagefind/part-4", ("2019",)),
    ]
    assert plan_parts(per_year, 19, "pagefind") == [IndexPart("pagefind", ())]  # everything fits
    assert plan_parts(per_year, 0, "pagefind") == [IndexPart("pagefind", ())]
    assert plan_parts({}, 4, "pagefind") == [IndexPart("pagefind", ())]
    assert IndexPart("pagefind", ()).glob == "briefs/*/*/index.html"
    assert IndexPart("p/part-2", ("2022",)).glob == "briefs/2022/*/index.html"
    assert IndexPart("p", ("2024", "2023")).glob == "briefs/{2024,2023}/*/index.html"
    assert briefs_per_year(["briefs/2024/a.md", "briefs/2024/b.md", "briefs/2023/c.md", "briefs/index.md",
                            "briefs/2024/notes/d.md", "authors/2024.md", "topics/cyber.md"]) == {"2024": 2, "2023": 1}


def test_an_index_in_parts_holds_each_brief_once_and_the_search_page_names_the_parts(tmp_path: Path):
    site = make_archive(tmp_path, [{"briefing-search": {"briefs_per_index": 2}}]).build()
    assert site.ok, site.messages
    assert sorted(fragments(site, "pagefind")) == ["/briefs/2023/tricky-title/", "/briefs/2024/pipeline-sanctions/"]
    assert sorted(fragments(site, "pagefind/part-2")) == ["/briefs/2022/pipeline-hack/"]
    root = site.html("search/").css_first("[data-bs-search]")
    parts = json.loads(root.attributes["data-bs-parts"])
    assert parts == [{"bundle": "pagefind/", "years": ["2024", "2023"]}, {"bundle": "pagefind/part-2/", "years": ["2022"]}]
    assert resolve("/search/", root.attributes["data-bs-bundle"]) == "/pagefind/"


def bundle_bytes(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_pagefind_runs_only_over_the_parts_whose_pages_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    archive = make_archive(tmp_path, [{"briefing-search": {"briefs_per_index": 2}}])
    runs: list[str] = []
    run_pagefind = search_plugin.run_pagefind

    def counted(site_dir: Path, part):
        runs.append(part.bundle)
        return run_pagefind(site_dir, part)

    monkeypatch.setattr(search_plugin, "run_pagefind", counted)
    first = archive.build()
    assert first.ok, first.messages
    assert runs == ["pagefind", "pagefind/part-2"]
    bundle = bundle_bytes(first.site / "pagefind")

    runs.clear()
    second = archive.build()  # nothing changed: both parts come back from the cache, byte for byte
    assert second.ok and runs == []
    assert bundle_bytes(second.site / "pagefind") == bundle

    runs.clear()
    brief = tmp_path / "content/briefs/2022/pipeline-hack.md"
    brief.write_text(brief.read_text(encoding="utf-8").replace("for a week", "for a fortnight"), encoding="utf-8")
    third = archive.build()
    assert third.ok and runs == ["pagefind/part-2"]  # the 2022 part alone
    assert "for a fortnight" in fragments(third, "pagefind/part-2")["/briefs/2022/pipeline-hack/"]["content"]
    assert sorted(fragments(third, "pagefind")) == ["/briefs/2023/tricky-title/", "/briefs/2024/pipeline-sanctions/"]
    assert len(list((tmp_path / ".cache" / "briefing-search").iterdir())) == 2  # the bundles in use, no more

    runs.clear()
    (tmp_path / "content/briefs/2023/tricky-title.md").unlink()
    fourth = archive.build()
    assert fourth.ok and runs == ["pagefind"]  # two briefs left: one part again
    assert sorted(fragments(fourth, "pagefind")) == ["/briefs/2022/pipeline-hack/", "/briefs/2024/pipeline-sanctions/"]
    assert not (fourth.site / "pagefind" / "part-2").exists()


def test_the_index_cache_puts_back_only_whole_bundles_and_never_fails_a_build(tmp_path: Path):
    bundle = tmp_path / "site" / "pagefind"
    (bundle / "fragment").mkdir(parents=True)
    (bundle / "fragment" / "a.pf_fragment").write_bytes(b"fragment")
    (bundle / "pagefind-entry.json").write_text("{}")
    (bundle / "part-2").mkdir()
    (bundle / "part-2" / "pagefind-entry.json").write_text("{}")
    cache = IndexCache(tmp_path / "cache")
    cache.keep("d1", bundle)
    assert sorted(p.relative_to(tmp_path / "cache").as_posix() for p in (tmp_path / "cache").rglob("*")) == [
        "d1", "d1/fragment", "d1/fragment/a.pf_fragment", "d1/pagefind-entry.json"]  # not the parts inside it

    (tmp_path / "cache" / "cut-short" / "fragment").mkdir(parents=True)  # no pagefind-entry.json
    assert not cache.restore("cut-short", tmp_path / "elsewhere")
    assert not (tmp_path / "elsewhere").exists()
    assert cache.restore("d1", tmp_path / "again")
    assert (tmp_path / "again" / "fragment" / "a.pf_fragment").read_bytes() == b"fragment"

    cache.forget_unused()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["d1"]

    blocked = IndexCache(tmp_path / "a-file")
    (tmp_path / "a-file").write_text("not a folder")
    blocked.keep("d2", bundle)  # cannot keep it: no error, nothing used
    assert blocked.used == set()


def test_a_kept_bundle_is_keyed_by_pagefinds_settings_and_every_page_of_its_part(tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    for page in ("briefs/2024/a/index.html", "briefs/2023/b/index.html"):
        (site / page).parent.mkdir(parents=True)
        (site / page).write_text(f"<p>{page}</p>")
    monkeypatch.chdir(tmp_path)
    newest, oldest = IndexPart("pagefind", ("2024",)), IndexPart("pagefind/part-2", ("2023",))
    settings = pagefind_settings()
    before = part_digest(site, newest, settings), part_digest(site, oldest, settings)
    (site / "briefs/2023/b/index.html").write_text("<p>changed</p>")
    assert part_digest(site, newest, settings) == before[0]  # another part's page: no change here
    assert part_digest(site, oldest, settings) != before[1]
    (site / "briefs/2024/c").mkdir()
    (site / "briefs/2024/c/index.html").write_text("<p>new</p>")
    assert part_digest(site, newest, settings) != before[0]
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "p")
    assert pagefind_settings() != settings
    monkeypatch.delenv("PAGEFIND_EXCLUDE_SELECTORS")
    (tmp_path / "pagefind.yml").write_text("exclude_selectors: [p]\n")
    assert pagefind_settings() != settings


# --- The Pagefind bundle in one order (bundle_order.py) -----------------------------------

def test_cbor_as_pagefind_writes_it():
    # cbor2's default encoding, as minicbor (Pagefind) writes it: RFC 8949's examples, the shortest
    # head for each length, definite lengths.
    for value, data in ((0, "00"), (23, "17"), (24, "1818"), (255, "18ff"), (256, "190100"), (65535, "19ffff"),
                        (65536, "1a00010000"), (2 ** 32, "1b0000000100000000"), (2 ** 64 - 1, "1bffffffffffffffff"),
                        (-1, "20"), (-500, "3901f3"), (-2 ** 64, "3bffffffffffffffff"), ("", "60"), ("a", "6161"),
                        ("ü", "62c3bc"), ("x" * 24, "7818" + "78" * 24), ([], "80"), ([1, [2, 3]], "8201820203"),
                        ([0] * 24, "9818" + "00" * 24)):
        assert encode(value) == bytes.fromhex(data) and decode(bytes.fromhex(data)) == value
    # map, false, float, indefinite array and text, bytes, a tag, bignums (tags), a shared value (a tag),
    # trailing byte, longer heads than needed, cut short...
    for data in ("a0", "f4", "f93c00", "9f01ff", "7f6161ff", "40", "c001", "c24101", "c249010000000000000000",
                 "d81c8101", "0000", "1817", "190017", "780161", "61", "8201", "62c3", "ff"):
        with pytest.raises(UnknownLayout):
            decode(bytes.fromhex(data))
    for value in (True, b"x", 1.5, {"a": 1}, None, (1, 2), [1, None], 2 ** 64, -2 ** 64 - 1):
        with pytest.raises(UnknownLayout):
            encode(value)


records = st.recursive(st.integers(-2 ** 64, 2 ** 64 - 1) | st.text(), lambda inner: st.lists(inner, max_size=5), max_leaves=30)


@given(records)
def test_what_is_encoded_decodes_to_itself(value):
    assert decode(encode(value)) == value


def test_pagefind_hash_spells_each_byte_without_a_leading_zero():
    # SHA-1 of nothing is da39a3ee5e6b4b0d3255bfef95601890afd80709: Pagefind writes 0d as d, 07 as 7, 09 as 9.
    assert pagefind_hash(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"


def test_pagefinds_own_files_read_back_exactly_and_are_named_as_we_name_them(site: BuiltSite):
    search_plugin.run_pagefind(site.site, IndexPart("raw-pagefind", ()))
    raw = site.site / "raw-pagefind"
    try:
        names = [p for p in raw.rglob("*") if p.suffix in (".pf_filter", ".pf_index", ".pf_meta")]
        assert {p.suffix for p in names} == {".pf_filter", ".pf_index", ".pf_meta"}
        for path in names:
            _value, payload = read_record(path.read_bytes())  # raises unless it encodes again to the same bytes
            short = 10 if path.suffix == ".pf_meta" else 7
            assert path.stem.removeprefix("pagefind.") == "en_" + pagefind_hash(payload)[:short], path.name
        assert stabilize(raw)
        assert bundle_bytes(raw) == bundle_bytes(site.site / "pagefind")  # another run, the same bundle
    finally:
        shutil.rmtree(raw)


def shuffled_bundle(bundle: Path, seed: int) -> None:
    """Rewrites `bundle` as Pagefind 1.5.2 may: filters and their values in another order (a HashMap's),
    so other bytes and other names for the filter files, the metadata file and the entry's hash."""
    rng = random.Random(seed)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    about = entry["languages"]["en"]
    meta_path = bundle / f"pagefind.{about['hash']}.pf_meta"
    meta, _ = read_record(meta_path.read_bytes())
    filters = []
    for name, file_hash in meta[3]:
        path = bundle / "filter" / f"{file_hash}.pf_filter"
        (key, values), _ = read_record(path.read_bytes())
        path.unlink()
        while len(values) > 1 and values == sorted(values):
            rng.shuffle(values)
        payload = encode([key, values])
        file_hash = "en_" + pagefind_hash(payload)[:7]
        (bundle / "filter" / f"{file_hash}.pf_filter").write_bytes(gzip.compress(b"pagefind_dcd" + payload, mtime=seed))
        filters.append([name, file_hash])
    rng.shuffle(filters)
    meta[3] = filters
    meta_path.unlink()
    payload = encode(meta)
    about["hash"] = "en_" + pagefind_hash(payload)[:10]
    (bundle / f"pagefind.{about['hash']}.pf_meta").write_bytes(gzip.compress(b"pagefind_dcd" + payload, mtime=seed))
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                encoding="utf-8")


def test_a_bundle_in_another_order_is_put_back_byte_for_byte(site: BuiltSite, tmp_path: Path):
    ordered = bundle_bytes(site.site / "pagefind")
    for seed in (1, 2, 3):
        bundle = tmp_path / f"bundle-{seed}"
        shutil.copytree(site.site / "pagefind", bundle)
        shuffled_bundle(bundle, seed)
        changed = bundle_bytes(bundle)
        assert changed != ordered and sorted(changed) != sorted(ordered)  # other names too
        assert stabilize(bundle)
        assert bundle_bytes(bundle) == ordered
        assert stabilize(bundle) and bundle_bytes(bundle) == ordered  # and once more changes nothing


def test_filter_files_whose_short_hashes_collide_get_longer_names(site: BuiltSite, tmp_path: Path, monkeypatch):
    real = bundle_order.pagefind_hash
    monkeypatch.setattr(bundle_order, "pagefind_hash", lambda data: "abcdef0" + real(data))  # all alike at first
    bundle = tmp_path / "bundle"
    shutil.copytree(site.site / "pagefind", bundle)
    assert stabilize(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta, _ = read_record((bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").read_bytes())
    names = [file_hash for _name, file_hash in meta[3]]
    assert names[0] == "en_abcdef0" and [len(name) for name in names] == [10, 12, 12, 12, 12]  # as Pagefind does
    assert sorted(p.stem for p in (bundle / "filter").iterdir()) == sorted(names)
    for name, file_hash in meta[3]:
        assert read_record((bundle / "filter" / f"{file_hash}.pf_filter").read_bytes())[0][0] == name


def test_a_bundle_this_cannot_read_exactly_is_left_as_pagefind_wrote_it(site: BuiltSite, tmp_path: Path):
    newer = tmp_path / "newer"
    shutil.copytree(site.site / "pagefind", newer)
    entry = newer / "pagefind-entry.json"
    for version, in_order in (("1.5.3", False), ("1.4.0", False), ("1.6.0", True), ("2.0.0-beta.1", True)):
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace(json.loads(text)["version"], version, 1), encoding="utf-8")
        before = bundle_bytes(newer)
        assert stabilize(newer) is in_order  # not a version it was tested on, or one that orders itself
        assert bundle_bytes(newer) == before

    broken = tmp_path / "broken"
    shutil.copytree(site.site / "pagefind", broken)
    a_filter = sorted((broken / "filter").iterdir())[0]
    a_filter.write_bytes(gzip.compress(b"pagefind_dcd" + bytes.fromhex("a1616101")))  # a CBOR map
    before = bundle_bytes(broken)
    with pytest.raises(UnknownLayout, match=a_filter.name):
        stabilize(broken)
    assert bundle_bytes(broken) == before


def test_a_build_says_when_its_bundle_is_left_in_pagefinds_order(tmp_path: Path, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")
    monkeypatch.setattr(bundle_order, "TESTED_VERSIONS", ("0.1.0",))
    site = make_archive(tmp_path).build()
    assert site.ok, site.messages
    told = [m for m in site.messages if "left in Pagefind's own order" in m]
    assert len(told) == 1 and "Pagefind 1.5.2" in told[0], site.messages
    assert any("Pagefind indexed 3 pages" in m for m in site.messages)  # the count, from the bundle's entry
