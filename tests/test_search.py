"""Reader search (`briefing-search` plugin): the search page, the header box, the brief pages'
Pagefind marks, and the Pagefind index built over the site."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from archive_kit import Archive, BuiltSite, resolve

from briefing_archive.search.index_parts import IndexPart, briefs_per_year, plan_parts
from briefing_archive.search import plugin as search_plugin
from briefing_archive.search.index_cache import IndexCache, pagefind_settings, part_digest
from briefing_archive.search.plugin import EVERY_BRIEF, add_header_form

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
    assert "Ransomware stopped the pipeline" in record["content"]
    # the word filter-only browsing searches: in a metadata field, never in the text (nor in excerpts)
    assert record["meta"]["every"] == EVERY_BRIEF
    assert EVERY_BRIEF not in record["content"]
    tricky = fragments(site)["/briefs/2023/tricky-title/"]
    assert tricky["meta"]["title"] == TRICKY_TITLE
    assert "zeppelin" in tricky["meta"]["summary"]
    assert "program" not in tricky["filters"]


def test_footer_text_is_not_indexed_as_the_briefs_own(site: BuiltSite):
    page = site.html("briefs/2024/pipeline-sanctions/")
    assert page.css_first('[data-related="pipeline-hack"]') is not None  # the footer does name it...
    content = fragments(site)["/briefs/2024/pipeline-sanctions/"]["content"]
    assert "Hackers Hit a Gas Pipeline" not in content  # ...but the index does not
    assert "Cite this brief" not in content


def test_brief_pages_carry_the_filter_marks(site: BuiltSite):
    page = site.html("briefs/2024/pipeline-sanctions/")
    body = page.css("[data-pagefind-body]")
    assert len(body) == 1 and body[0].tag == "article"
    assert body[0].attributes["data-pagefind-sort"] == "date:2024-07-08"
    assert marks(site, "briefs/2024/pipeline-sanctions/") == {
        "type": ["Analysis"], "year": ["2024"], "topic": ["Sanctions"], "author": ["Ana López"]}
    footer = page.css_first("article[data-pagefind-body] footer")
    assert footer is not None and "data-pagefind-ignore" in footer.attributes
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


@pytest.mark.parametrize("url", ["", "briefs/2022/pipeline-hack/", "topics/cyber/", "authors/"])
def test_every_page_header_has_a_search_box_leading_to_the_search_page(site: BuiltSite, url: str):
    form = site.html(url).css_first("header.md-header form[role=search]")
    assert form is not None
    assert resolve("/" + url, form.attributes["action"]) == "/search/"
    assert form.css_first("input[name=q]") is not None


def test_the_error_page_header_box_uses_a_site_absolute_link(site: BuiltSite):
    form = site.html("404.html").css_first("header.md-header form[role=search]")
    assert form is not None and form.attributes["action"] == "/search/"


def test_header_form_is_left_out_where_there_is_no_header():
    assert add_header_form("<html><body><p>hi</p></body></html>", "search/") == "<html><body><p>hi</p></body></html>"


def test_search_can_skip_indexing_and_header_box(tmp_path: Path):
    site = make_archive(tmp_path, [{"briefing-search": {"index": False, "header_form": False}}]).build()
    assert site.ok, site.messages
    assert site.file("/search/").is_file()
    assert not (site.site / "pagefind").exists()
    assert site.html("briefs/2022/pipeline-hack/").css("header.md-header form") == []
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
