"""Embedded listings (SPEC §4): a ```briefs block in any page of content/ becomes a listing of the
published briefs its keys select, each a `data-brief` entry, then a link to the full listing.

The block is found by a fence scan that knows other fences, checked by the loader with the
file's lines (so `briefs check` and the build report the same problems in the same words), and
its briefs are chosen through the catalogue's indexes, from the smallest.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from archive_kit import Archive, BuiltSite, build_site, resolve
from briefing_archive.catalogue import ArchivePaths, load_archive
from briefing_archive.catalogue.embedded import Query, find_blocks
from briefing_archive.cli import main

SERIES = {"kpr": {"title": "Korea Program Report", "short": "KPR"}}


def write_config(archive: Archive) -> None:
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs),
                        ("series", SERIES)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))


def small_archive(archive: Archive) -> Archive:
    """Cyber briefs over three years, a series of three (numbered out of date order), a draft, a
    scheduled brief and a translation, all on cyber, which no listing may show."""
    write_config(archive)
    archive.brief("alpha", "2021-03-01", topics=["cyber"])
    archive.brief("bravo", "2022-05-05", topics=["cyber", "sanctions"], series="kpr", number=2)
    archive.brief("charlie", "2022-07-01", topics=["sanctions"], series="kpr", number=1, authors=["sam-ortiz"])
    archive.brief("delta", "2023-01-10", topics=["cyber"], series="kpr", number=3, program="ccti")
    archive.brief("echo", "2023-06-26", topics=["cyber", "north-korea"], type="analysis")
    archive.brief("foxtrot", "2023-08-01", topics=["cyber"], draft=True)
    archive.brief("golf", "2099-01-01", topics=["cyber"])  # scheduled
    archive.brief("alpha-ko", "2021-03-02", topics=["cyber"], translation_of="alpha", language="ko",
                  title="알파")
    return archive


def loaded(archive: Archive, **options):
    return load_archive(ArchivePaths.at(archive.root), derive_summaries=False, **options)


def problems(archive: Archive, path: str) -> list[tuple[int, str, str]]:
    return [(p.line, p.severity, p.message) for p in loaded(archive).report.sorted() if p.path == path]


# --- finding blocks -----------------------------------------------------------------------------

def test_a_block_is_a_fence_whose_info_string_is_briefs():
    text = "Intro.\n\n```briefs\ntopic: cyber\nlimit: 3\n```\n\n~~~ briefs\nauthor: sam-ortiz\n~~~\nEnd.\n"
    blocks = find_blocks(text)
    assert [(b.line, b.text, b.closed) for b in blocks] == [(2, "topic: cyber\nlimit: 3\n", True),
                                                             (7, "author: sam-ortiz\n", True)]
    assert text[blocks[0].start : blocks[0].end] == "```briefs\ntopic: cyber\nlimit: 3\n```\n"
    assert text[blocks[1].start : blocks[1].end] == "~~~ briefs\nauthor: sam-ortiz\n~~~\n"


@pytest.mark.parametrize("text", [
    "````markdown\n```briefs\ntopic: cyber\n```\n````\n",  # an example inside a longer fence
    "~~~\n```briefs\ntopic: cyber\n```\n~~~\n",  # inside a tilde fence
    "```python\nx = 1\n```briefs\ntopic: cyber\n```\n",  # a closing fence takes nothing after it: this one opens code
    "Text.\n\n    ```briefs\n    topic: cyber\n    ```\n",  # indented four spaces: code
    "```briefsx\ntopic: cyber\n```\n",  # another info string
    "``` python briefs\ntopic: cyber\n```\n",
])
def test_a_briefs_fence_inside_other_code_or_with_another_info_string_is_no_block(text: str):
    assert find_blocks(text) == ()


def test_a_block_after_a_closed_fence_is_found_and_an_unclosed_one_is_marked():
    text = "````\n```briefs\n```\n````\n\n```briefs\ntopic: cyber\n"
    (block,) = find_blocks(text)
    assert (block.line, block.text, block.closed) == (5, "topic: cyber\n", False)


# --- choosing the briefs ------------------------------------------------------------------------

def test_a_query_selects_published_originals_newest_first_and_a_series_in_number_order(archive: Archive):
    catalogue = loaded(small_archive(archive)).catalogue
    slugs = lambda **keys: [b.slug for b in Query(tuple(keys.items())).select(catalogue)]
    assert slugs(topic="cyber") == ["echo", "delta", "bravo", "alpha"]  # no draft, scheduled, translation
    assert [b.slug for b in Query((("topic", "cyber"),), 2).select(catalogue)] == ["echo", "delta"]
    assert slugs(series="kpr") == ["charlie", "bravo", "delta"]
    assert slugs(topic="cyber", series="kpr") == ["bravo", "delta"]
    assert slugs(topic="cyber", year=2023) == ["echo", "delta"]
    assert slugs(author="sam-ortiz") == ["charlie"]
    assert slugs(program="ccti") == ["delta"]
    assert slugs(type="analysis") == ["echo"]
    assert slugs(year=2030) == []
    assert [b.slug for b in Query((), 3).select(catalogue)] == ["echo", "delta", "charlie"]


class Untouchable(tuple):
    """An index that must not be walked: the query has a smaller one."""

    def __iter__(self):
        raise AssertionError("walked a larger index than needed")


def test_a_query_walks_its_smallest_index_only(archive: Archive):
    catalogue = loaded(small_archive(archive)).catalogue
    catalogue.by_type["policy-brief"] = Untouchable(catalogue.by_type["policy-brief"])
    catalogue.by_topic["cyber"] = Untouchable(catalogue.by_topic["cyber"])
    query = Query((("topic", "cyber"), ("type", "policy-brief"), ("series", "kpr")), 5)
    assert [b.slug for b in query.select(catalogue)] == ["bravo", "delta"]


def test_the_full_listing_is_the_most_specific_keys_that_exists(archive: Archive):
    catalogue = loaded(small_archive(archive)).catalogue
    every = lambda url: True
    no_series = lambda url: not url.startswith("series/")
    assert Query((("topic", "cyber"), ("year", 2023))).full_listing(catalogue, every).url == "topics/cyber/"
    assert Query((("author", "sam-ortiz"), ("topic", "sanctions"))).full_listing(catalogue, every).url == "authors/sam-ortiz/"
    assert Query((("topic", "cyber"), ("series", "kpr"))).full_listing(catalogue, every).url == "series/kpr/"
    assert Query((("topic", "cyber"), ("series", "kpr"))).full_listing(catalogue, no_series).url == "topics/cyber/"
    assert Query((("series", "kpr"),)).full_listing(catalogue, no_series) is None
    assert Query((("year", 2022),)).full_listing(catalogue, every).url == "archive/2022/"
    assert Query(()).full_listing(catalogue, every).url == "briefs/"


# --- checking blocks ----------------------------------------------------------------------------

ABOUT = "content/about.md"
BAD_PAGE = """\
---
title: About
---
# About us

```briefs
tpoic: cyber
```

```briefs
topic: cybr
limit: three
```

```briefs
author: sam-ortis
type: policy-brif
program: cct
series: kpx
year: twenty
```

```briefs
topic: cybersecurity
limit: 0
```

```briefs
- topic: cyber
```

```briefs
topic: [cyber, sanctions]
year:
```

```briefs
topic: cyber
  limit: 3
```
"""


def test_every_problem_of_a_block_is_an_error_on_its_line_in_the_file(archive: Archive):
    small_archive(archive)
    archive.write(ABOUT, BAD_PAGE)
    assert problems(archive, ABOUT) == [
        (7, "error", "unknown key 'tpoic' in a briefs block (did you mean 'topic'?)"),
        (11, "error", "unknown topic 'cybr' (did you mean 'cyber'?) — the topics are listed in site_config/topics.yml"),
        (12, "error", "'limit' must be a whole number from 1 up, like 'limit: 3', not 'three'"),
        (16, "error", "unknown author 'sam-ortis' (did you mean 'sam-ortiz'?) — the authors are listed in content/authors/"),
        (17, "error", "unknown type 'policy-brif' (did you mean 'policy-brief'?) — the types are listed in site_config/types.yml"),
        (18, "error", "unknown program 'cct' (did you mean 'ccti'?) — the programs are listed in site_config/programs.yml"),
        (19, "error", "unknown series 'kpx' (did you mean 'kpr'?) — the series are listed in site_config/series.yml"),
        (20, "error", "'year' must be a year written with four digits, like 'year: 2023', not 'twenty'"),
        (24, "warning", "topic 'cybersecurity' is an alias; write 'cyber'"),
        (25, "error", "'limit' must be a whole number from 1 up, like 'limit: 3', not '0'"),
        (29, "error", "a briefs block holds 'key: value' lines, like 'topic: cyber' (keys: topic, author, type, program, series, year, limit)"),
        (33, "error", "'topic' takes one topic key, like 'topic: cyber'; keys of different kinds combine (a topic and a year, say)"),
        (34, "error", "'year' is empty: give it a value, like 'year: 2023'"),
        (39, "error", "invalid YAML: mapping values are not allowed in this context (check quotes, colons and indentation)"),
    ]


def test_blocks_in_a_brief_an_authors_bio_and_the_home_page_are_checked_on_their_file_lines(archive: Archive):
    small_archive(archive)
    brief = archive.brief("hotel", "2023-09-09", body="First paragraph.\n\n```briefs\ntopic: cybr\n```\n")
    archive.author("jo-lee", name="Jo Lee", bio="Jo's briefs:\n\n~~~briefs\nauthr: jo-lee\n~~~\n")
    archive.write("content/index.md", "# Home\n\n```briefs\nlimit: -1\n```\n")
    found = [(p.path, p.line, p.message) for p in loaded(archive).report.errors]
    lines = brief.read_text(encoding="utf-8").split("\n")
    assert lines[found[1][1] - 1] == "topic: cybr"
    assert found == [
        ("content/authors/jo-lee.md", 7, "unknown key 'authr' in a briefs block (did you mean 'author'?)"),
        ("content/briefs/2023/hotel.md", lines.index("topic: cybr") + 1,
         "unknown topic 'cybr' (did you mean 'cyber'?) — the topics are listed in site_config/topics.yml"),
        ("content/index.md", 4, "'limit' must be a whole number from 1 up, like 'limit: 3', not '-1'"),
    ]


def test_a_block_left_open_is_an_error_on_its_opening_line(archive: Archive):
    small_archive(archive)
    archive.write(ABOUT, "# About\n\nText.\n\n```briefs\ntopic: cyber\n")
    assert problems(archive, ABOUT) == [
        (5, "error", "this ```briefs block is not closed: add a line ``` after its last key")]


def test_briefs_check_and_the_build_report_a_bad_block_in_the_same_words(archive: Archive, capsys):
    small_archive(archive)
    archive.write(ABOUT, "# About\n\n```briefs\ntopic: cybr\n```\n")
    expected = ("content/about.md:4: error: unknown topic 'cybr' (did you mean 'cyber'?) — "
                "the topics are listed in site_config/topics.yml")
    assert main(["check", "--root", str(archive.root)]) == 1
    assert expected in capsys.readouterr().out.splitlines()
    assert main(["check", "--root", str(archive.root), str(archive.root / ABOUT)]) == 1
    assert expected in capsys.readouterr().out.splitlines()
    site = archive.build()
    assert not site.ok
    assert [m.removeprefix("briefing_archive: ") for m in site.messages if ": error: " in m] == [expected]
    assert not (site.site / "about/index.html").exists()


# --- the built site -----------------------------------------------------------------------------

ABOUT_PAGE = """\
---
title: About the Institute
---
# About the Institute

Our latest work on cyber:

```briefs
topic: cyber
limit: 3
```

The Korea Program Report, in order:

~~~briefs
series: kpr
~~~

<div class="ba-embedded-slot" id="ba-embedded-0123456789abcdef-1"></div>

How to embed a listing, shown as an example:

````markdown
```briefs
topic: sanctions
```
````
"""


def built_site(archive: Archive) -> BuiltSite:
    small_archive(archive)
    archive.write(ABOUT, ABOUT_PAGE)
    archive.brief("hotel", "2023-09-09", topics=["sanctions"],
                  body="Hotel opens with its own paragraph.\n\n```briefs\nauthor: sam-ortiz\n```\n\nHotel ends.\n")
    archive.write("content/index.md", "# Test Institute\n\nBriefs for tests.\n\n```briefs\nlimit: 2\n```\n")
    site = archive.build()
    assert site.ok, site.messages
    return site


def embedded(site: BuiltSite, url: str) -> list:
    return site.html(url).css(".ba-embedded")


def entries(node) -> list[str]:
    return [entry.attributes["data-brief"] for entry in node.css("[data-brief]")]


def more_link(site: BuiltSite, url: str, node) -> str | None:
    link = node.css_first("a[data-embedded-more]")
    return resolve(url, link.attributes["href"]) if link else None


def test_an_editorial_page_shows_each_blocks_briefs_and_links_the_full_listing(archive: Archive):
    site = built_site(archive)
    cyber, series = embedded(site, "about/")  # the placeholder an editor wrote stands for nothing
    assert entries(cyber) == ["echo", "delta", "bravo"]  # newest first, three
    assert more_link(site, "about/", cyber) == "/topics/cyber/"
    assert cyber.css_first("a[data-embedded-more]").text() == "More on Cyber →"
    assert entries(series) == ["charlie", "bravo", "delta"]  # in number order
    series_page = site.file("series/kpr/").exists()
    assert more_link(site, "about/", series) == ("/series/kpr/" if series_page else None)
    page = site.html("about/")
    assert [e.attributes["data-brief"] for e in page.css("[data-brief]")] == ["echo", "delta", "bravo", "charlie", "bravo", "delta"]
    # Every link of an entry leads to a page of the site, relative to the embedding page.
    for link in cyber.css("a[href]"):
        target = resolve("about/", link.attributes["href"])
        assert site.file(target).exists(), target
    # The example inside the longer fence stays code.
    code = [node.text() for node in page.css("pre code")]
    assert code == ["```briefs\ntopic: sanctions\n```\n"]
    assert "```briefs" not in page.css_first("article").text().replace(code[0], "")


def test_a_briefs_block_in_a_brief_and_on_the_home_page(archive: Archive):
    site = built_site(archive)
    (listing,) = embedded(site, "briefs/2023/hotel/")
    assert entries(listing) == ["charlie"]
    assert more_link(site, "briefs/2023/hotel/", listing) == "/authors/sam-ortiz/"
    body = site.html("briefs/2023/hotel/")
    texts = [p.text() for p in body.css("p")]
    assert "Hotel opens with its own paragraph." in texts and "Hotel ends." in texts
    # Its search entry is its own text: the listing is kept out of the index.
    assert "data-pagefind-ignore" in listing.attributes
    (home,) = embedded(site, "")
    assert entries(home) == ["hotel", "echo"]
    assert more_link(site, "", home) == "/briefs/"


def test_drafts_scheduled_briefs_and_translations_never_appear(archive: Archive):
    site = built_site(archive)
    shown = {slug for url in ("about/", "", "briefs/2023/hotel/") for node in embedded(site, url) for slug in entries(node)}
    assert shown and not shown & {"foxtrot", "golf", "alpha-ko"}


def test_a_sites_own_card_macro_renders_the_entries(archive: Archive):
    """The entries come from the theme's Jinja environment: a custom_dir's archive/macros.html wins."""
    from briefing_archive.mkdocs_plugin.plugin import PACKAGE_DIR

    small_archive(archive)
    archive.write(ABOUT, ABOUT_PAGE)
    macros = (PACKAGE_DIR / "templates/archive/macros.html").read_text(encoding="utf-8")
    assert macros.count('<article class="ba-card') == 1
    archive.write("overrides/archive/macros.html", macros.replace('<article class="ba-card', '<article class="our-card ba-card'))
    site = archive.build()  # writes mkdocs.yml
    config = archive.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
                      encoding="utf-8")
    site = build_site(config)
    assert site.ok, site.messages
    cyber = embedded(site, "about/")[0]
    assert [node.attributes["data-brief"] for node in cyber.css("article.our-card")] == ["echo", "delta", "bravo"]


# --- every path gives the plain path's site -----------------------------------------------------

def test_every_speed_up_builds_the_plain_paths_pages_and_a_cached_body_shows_the_listing_of_today(tmp_path: Path):
    """The plain path (speed_ups: false) against a cold build, a warm one whose bodies come from
    the render cache, and forked page workers; then a brief that a brief's block lists is
    retitled: the warm build takes the embedding brief's body from the cache and shows the title."""
    from test_determinism import mkdocs_build, tree

    roots = {}
    for name, options in (("plain", {"speed_ups": False}), ("default", {}), ("workers", {"build_workers": 2})):
        archive = Archive(tmp_path / name, plugin_options=options)
        built_site(archive)  # writes the files and builds once in-process; the builds compared are below
        roots[name] = archive.root
    sites = {}
    for name, site in (("plain", "plain"), ("default", "cold"), ("default", "warm"), ("workers", "workers")):
        mkdocs_build(roots[name] / "mkdocs.yml", tmp_path / f"site-{site}", "0", "1893456000")
        sites[site] = tree(tmp_path / f"site-{site}")
    assert (roots["default"] / ".cache/briefing-archive/bodies.json").exists()
    for site in ("cold", "warm", "workers"):
        assert sorted(sites[site]) == sorted(sites["plain"]), site
        assert [n for n in sites["plain"] if sites[site][n] != sites["plain"][n]] == [], site
    for name in ("plain", "default"):
        charlie = roots[name] / "content/briefs/2022/charlie.md"
        charlie.write_text(charlie.read_text(encoding="utf-8").replace("title: Charlie", "title: Charlie Renamed"),
                           encoding="utf-8")
        mkdocs_build(roots[name] / "mkdocs.yml", tmp_path / f"site-{name}-edited", "0", "1893456000")
    plain, warm = tree(tmp_path / "site-plain-edited"), tree(tmp_path / "site-default-edited")
    assert [n for n in plain if warm.get(n) != plain[n]] == []
    hotel = HTMLParser(warm["briefs/2023/hotel/index.html"].decode("utf-8"))
    assert [a.text() for a in hotel.css(".ba-embedded .ba-card__title a")] == ["Charlie Renamed"]


# --- serve --dirty ------------------------------------------------------------------------------

def test_a_dirty_rebuild_builds_again_the_pages_whose_listings_changed(tmp_path: Path, monkeypatch):
    """Retitling a listed brief, or publishing one that takes a place in a listing, builds again
    the editorial page and the brief embedding them, though their own files did not change."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    archive = Archive(tmp_path / "archive")
    built_site(archive)
    root, site = archive.root, tmp_path / "served"

    def titles(url: str) -> list[list[str]]:
        page = HTMLParser((site / url / "index.html").read_text(encoding="utf-8"))
        return [[a.text() for a in node.css(".ba-card__title a")] for node in page.css(".ba-embedded")]

    def rebuild() -> None:
        time.sleep(0.05)  # file times must tell an edit from the last build's output
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)), dirty=True)

    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        assert titles("about") == [["Echo", "Delta", "Bravo"], ["Charlie", "Bravo", "Delta"]]
        about_built = (site / "about/index.html").stat().st_mtime_ns

        time.sleep(0.05)
        sanctions = root / "content/briefs/2022/charlie.md"  # in the series block and hotel's
        sanctions.write_text(sanctions.read_text(encoding="utf-8").replace("title: Charlie", "title: Charlie, Retitled"),
                             encoding="utf-8")
        rebuild()
        assert titles("about") == [["Echo", "Delta", "Bravo"], ["Charlie, Retitled", "Bravo", "Delta"]]
        assert titles("briefs/2023/hotel") == [["Charlie, Retitled"]]
        assert (site / "about/index.html").stat().st_mtime_ns != about_built

        archive.brief("india", "2024-01-15", topics=["cyber"], title="India")  # a new cyber brief
        rebuild()
        assert titles("about")[0] == ["India", "Echo", "Delta"]
        assert titles("")[0] == ["India", "Hotel"]  # the home page's latest two

        about_built = (site / "about/index.html").stat().st_mtime_ns
        other = root / "content/briefs/2021/alpha.md"  # on cyber, but not among the three shown
        other.write_text(other.read_text(encoding="utf-8").replace("title: Alpha", "title: Alpha, Retitled"),
                         encoding="utf-8")
        rebuild()
        assert (site / "about/index.html").stat().st_mtime_ns == about_built  # it shows nothing of alpha
    finally:
        config.plugins.on_shutdown()
        MkDocsConfig.plugins.plugin_cache.clear()


def test_a_briefs_blocks_come_back_from_the_read_cache(archive: Archive, capsys):
    """A second `briefs check` takes the brief's read from .cache/ (reads.json): its blocks too."""
    small_archive(archive)
    archive.brief("hotel", "2023-09-09", body="First paragraph.\n\n```briefs\nauthor: sam-ortis\n```\n")
    reads = archive.root / ".cache/briefing-archive/reads.json"
    outputs = []
    for _ in range(2):
        assert main(["check", "--root", str(archive.root)]) == 1
        outputs.append([line for line in capsys.readouterr().out.splitlines() if ": error: " in line])
    assert outputs[0] == outputs[1] == [
        "content/briefs/2023/hotel.md:13: error: unknown author 'sam-ortis' (did you mean 'sam-ortiz'?) — "
        "the authors are listed in content/authors/"]
    assert '"blocks":[[2,"author: sam-ortis\\n"' in reads.read_text(encoding="utf-8")
