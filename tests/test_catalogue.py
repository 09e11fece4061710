"""Unit tests of the plain functions under the plugin: text helpers, pagination, suggestions, ordering."""

from __future__ import annotations

from datetime import date

import pytest

from briefing_archive.catalogue import Author, Brief, BriefType, Catalogue, Program, Topic
from briefing_archive.catalogue.problems import Problem, Report, suggestion
from briefing_archive.catalogue.text import (
    SUMMARY_LENGTH, cut_at_word, derived_summary, format_date, is_slug, slugify,
)
from briefing_archive.pages import Listing, ListingPage, paginate

# --- slugs -------------------------------------------------------------------------------


@pytest.mark.parametrize("text, slug", [
    ("Québec", "quebec"),
    ("Québec Critical-Minerals Strategy", "quebec-critical-minerals-strategy"),
    ("Yoon's Audacious Initiative", "yoons-audacious-initiative"),
    ("Zoë Brandt", "zoe-brandt"),
    ("José Álvarez Ruiz", "jose-alvarez-ruiz"),
    ("  Kim--Putin   summit, 2023!  ", "kim-putin-summit-2023"),
    ("Bad_Name", "bad-name"),
    ("already-a-slug", "already-a-slug"),
])
def test_slugify(text: str, slug: str):
    assert slugify(text) == slug
    assert is_slug(slugify(text))


@pytest.mark.parametrize("korean", ["김민지", "북한 사이버 공격", "이재명 대북 정책"])
def test_slugify_transliterates_korean_to_a_non_empty_ascii_slug(korean: str):
    slug = slugify(korean)
    assert slug and slug.isascii()
    assert is_slug(slug)


def test_slugify_of_punctuation_only_is_empty():
    assert slugify("— … !") == ""


@pytest.mark.parametrize("value, ok", [
    ("cyber", True), ("north-korea", True), ("a1-b2", True), ("2023", True),
    ("North-Korea", False), ("north--korea", False), ("-cyber", False), ("cyber-", False),
    ("north_korea", False), ("", False), ("québec", False), (None, False), (3, False),
])
def test_is_slug(value, ok: bool):
    assert is_slug(value) is ok


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("value, shown", [
    (date(2023, 6, 26), "June 26, 2023"),
    (date(2024, 1, 5), "January 5, 2024"),
    (date(2021, 12, 31), "December 31, 2021"),
    (date(2024, 2, 29), "February 29, 2024"),
])
def test_format_date(value: date, shown: str):
    assert format_date(value) == shown


# --- summaries ---------------------------------------------------------------------------

WORDS = "Allied cooperation against state hackers needs shared rules, shared data and patience."


def long_paragraph(n: int = 10) -> str:
    return " ".join(f"{WORDS[:-1]} number {i}." for i in range(n))


def test_a_short_first_paragraph_is_the_summary_as_plain_text():
    body = "The *first* paragraph has **bold** and a [link](https://x.example/).\n\nSecond paragraph."
    assert derived_summary(body) == "The first paragraph has bold and a link."


def test_headings_lists_and_quotes_before_the_first_paragraph_are_skipped():
    body = "## Heading\n\n- a list item\n- another\n\n> a quote\n\nThe real first paragraph.\n\nMore."
    assert derived_summary(body) == "The real first paragraph."


def test_a_paragraph_over_several_lines_becomes_one_line():
    assert derived_summary("One line\nand the next line\n   and a third.") == "One line and the next line and a third."


def test_a_long_first_paragraph_is_cut_at_a_word_boundary_near_300_characters():
    paragraph = long_paragraph()
    assert len(paragraph) > 2 * SUMMARY_LENGTH
    summary = derived_summary(paragraph + "\n\nSecond paragraph.")
    assert summary.endswith("…")
    kept = summary[:-1]
    assert paragraph.startswith(kept)
    assert paragraph[len(kept)] in " .,"  # the cut falls between words
    assert SUMMARY_LENGTH - 40 <= len(kept) <= SUMMARY_LENGTH
    assert "Second" not in summary


def test_a_summary_never_ends_in_dangling_punctuation():
    paragraph = ("word " * 58 + "end, " + "more " * 40).strip()
    kept = cut_at_word(paragraph)[:-1]
    assert not kept.endswith((",", " ", ";", ":"))


def test_cut_at_word_keeps_text_up_to_the_limit_and_cuts_beyond():
    exact = ("abcd " * 60)[:SUMMARY_LENGTH]
    assert len(exact) == SUMMARY_LENGTH
    assert cut_at_word(exact) == exact
    longer = exact + " tail"
    cut = cut_at_word(longer)
    assert cut.endswith("…") and len(cut) <= SUMMARY_LENGTH + 1


def test_a_wiki_link_reads_as_its_text_in_a_summary():
    assert derived_summary("See [[other-brief|the earlier brief]] for more.") == "See the earlier brief for more."


def test_an_empty_body_has_an_empty_summary():
    assert derived_summary("") == ""
    assert derived_summary("## Only a heading\n") == ""


def test_non_ascii_text_survives_a_summary():
    assert derived_summary("Québec et 대한민국 : une stratégie « minérale ».") == "Québec et 대한민국 : une stratégie « minérale »."


def test_html_in_the_first_paragraph_is_not_kept():
    assert derived_summary("A paragraph with <b>bold</b> &amp; an entity.") == "A paragraph with bold & an entity."


# --- pagination --------------------------------------------------------------------------

TOPIC = Topic(key="cyber", title="Cyber")
TYPE = BriefType(key="policy-brief", title="Policy Brief", plural="Policy Briefs")
KIM = Author(key="min-ji-kim", name="Min-ji Kim", src_uri="authors/min-ji-kim.md")


def make_brief(slug: str, day: str, topics=(TOPIC,), authors=(KIM,)) -> Brief:
    when = date.fromisoformat(day)
    return Brief(slug=slug, src_uri=f"briefs/{when.year}/{slug}.md", title=slug.title(), date=when,
                 type=TYPE, authors=tuple(authors), topics=tuple(topics), summary="")


def listing_of(n: int, url: str = "topics/cyber/", first_src_uri: str = "") -> Listing:
    briefs = tuple(make_brief(f"b{i:02d}", f"2023-01-{i + 1:02d}") for i in range(n))
    return Listing("topic", "Cyber", url, briefs, TOPIC, first_src_uri)


def test_paginate_splits_a_listing_into_pages_of_page_size():
    pages = list(paginate(listing_of(12), 5))
    assert [p.number for p in pages] == [1, 2, 3]
    assert {p.count for p in pages} == {3}
    assert [len(p.briefs) for p in pages] == [5, 5, 2]
    assert [p.first_index for p in pages] == [0, 5, 10]
    assert [b.slug for p in pages for b in p.briefs] == [f"b{i:02d}" for i in range(12)]
    assert [p.url for p in pages] == ["topics/cyber/", "topics/cyber/page/2/", "topics/cyber/page/3/"]
    assert [p.src_uri for p in pages] == ["topics/cyber/index.md", "topics/cyber/page/2/index.md",
                                          "topics/cyber/page/3/index.md"]
    assert [p.previous_url for p in pages] == [None, "topics/cyber/", "topics/cyber/page/2/"]
    assert [p.next_url for p in pages] == ["topics/cyber/page/2/", "topics/cyber/page/3/", None]


@pytest.mark.parametrize("n, size, count", [(0, 5, 1), (1, 5, 1), (5, 5, 1), (6, 5, 2), (10, 5, 2), (11, 5, 3), (3, 1, 3)])
def test_paginate_page_count(n: int, size: int, count: int):
    pages = list(paginate(listing_of(n), size))
    assert len(pages) == count
    assert sum(len(p.briefs) for p in pages) == n
    assert all(p.briefs for p in pages) or n == 0


def test_an_empty_listing_has_one_empty_page_without_neighbours():
    (page,) = paginate(listing_of(0), 5)
    assert list(page.briefs) == [] and page.previous_url is None and page.next_url is None
    assert page.page_links() == [(1, "topics/cyber/")]


def test_the_first_page_of_an_author_listing_is_the_profile_page():
    pages = list(paginate(listing_of(7, "authors/min-ji-kim/", "authors/min-ji-kim.md"), 5))
    assert pages[0].src_uri == "authors/min-ji-kim.md"
    assert pages[1].src_uri == "authors/min-ji-kim/page/2/index.md"
    assert pages[0].url == "authors/min-ji-kim/"


def test_page_titles_name_the_page_number_after_the_first():
    pages = list(paginate(listing_of(7), 5))
    assert pages[0].title == "Cyber"
    assert "2" in pages[1].title and pages[1].title.startswith("Cyber")


def links(count: int, number: int, around: int = 2) -> list[int | None]:
    page = ListingPage(listing_of(count), number, count, (), 0)
    result = page.page_links(around)
    for n, url in result:
        assert (n is None) == (url is None)
        if n is not None:
            assert url == ("topics/cyber/" if n == 1 else f"topics/cyber/page/{n}/")
    return [n for n, _ in result]


@pytest.mark.parametrize("count, number, expected", [
    (1, 1, [1]),
    (2, 2, [1, 2]),
    (5, 3, [1, 2, 3, 4, 5]),
    (10, 1, [1, 2, 3, None, 10]),
    (10, 4, [1, 2, 3, 4, 5, 6, None, 10]),
    (10, 5, [1, None, 3, 4, 5, 6, 7, None, 10]),
    (10, 10, [1, None, 8, 9, 10]),
    (10, 7, [1, None, 5, 6, 7, 8, 9, 10]),
])
def test_page_links_show_first_last_and_neighbours_with_gaps(count: int, number: int, expected: list):
    assert links(count, number) == expected


def test_page_links_with_a_wider_window():
    assert links(20, 10, around=4) == [1, None, 6, 7, 8, 9, 10, 11, 12, 13, 14, None, 20]


# --- did you mean ------------------------------------------------------------------------

TOPIC_KEYS = ["cyber", "sanctions", "north-korea", "nuclear-proliferation"]


@pytest.mark.parametrize("word, candidates, names, expected", [
    ("cybr", TOPIC_KEYS, None, "cyber"),
    ("sanction", TOPIC_KEYS, None, "sanctions"),
    ("North Korea", TOPIC_KEYS, None, "north-korea"),
    ("north_korea", TOPIC_KEYS, None, "north-korea"),
    ("CYBER", TOPIC_KEYS, None, "cyber"),
    ("Sam Ortiz", ["min-ji-kim", "sam-ortiz"], {"Sam Ortiz": "sam-ortiz"}, "sam-ortiz"),
    ("sam ortiz", ["min-ji-kim", "sam-ortiz"], {"Sam Ortiz": "sam-ortiz"}, "sam-ortiz"),
    ("Samantha Ortiz", ["min-ji-kim", "samantha-o"], {"Samantha Ortiz": "samantha-o"}, "samantha-o"),
    ("policy-brif", ["policy-brief", "analysis"], None, "policy-brief"),
])
def test_suggestion_names_the_closest_key(word, candidates, names, expected):
    assert suggestion(word, candidates, names) == f" (did you mean '{expected}'?)"


@pytest.mark.parametrize("word", ["zzzzzz", "", None, 42, ["cyber"]])
def test_suggestion_is_empty_when_nothing_is_close(word):
    assert suggestion(word, TOPIC_KEYS) == ""


def test_problems_read_like_compiler_messages_and_sort_by_file_and_line():
    report = Report()
    report.error("content/briefs/2023/x.md", 10, "b")
    report.warning("content/briefs/2023/x.md", 2, "a")
    report.error("content/authors/k.md", 3, "c")
    report.error("content/briefs/2023/x.md", 10, "b")  # the same problem found twice is shown once
    assert [str(p) for p in report.sorted()] == [
        "content/authors/k.md:3: error: c",
        "content/briefs/2023/x.md:2: warning: a",
        "content/briefs/2023/x.md:10: error: b",
    ]
    assert len(report.errors) == 3 and len(report.warnings) == 1
    assert Problem("p", 1, "warning", "m").is_error is False


# --- catalogue ordering ------------------------------------------------------------------

SANCTIONS = Topic(key="sanctions", title="Sanctions", group="Issues")
NK = Topic(key="north-korea", title="North Korea", group="Regions")
CYBER = Topic(key="cyber", title="Cyber", group="Issues")
ORTIZ = Author(key="sam-ortiz", name="Sam Ortiz", src_uri="authors/sam-ortiz.md")
ALUM = Author(key="old-hand", name="Olive Hand", src_uri="authors/old-hand.md", alumni=True)
CCTI = Program(key="ccti", title="Center on Cyber and Technology Innovation", short="CCTI")
ANALYSIS = BriefType(key="analysis", title="Analysis", plural="Analyses")


@pytest.fixture
def catalogue() -> Catalogue:
    briefs = [
        make_brief("mike", "2023-06-26", topics=(CYBER,), authors=(KIM,)),
        make_brief("alpha", "2023-06-26", topics=(CYBER, NK), authors=(ORTIZ, KIM)),
        make_brief("zulu", "2024-01-02", topics=(SANCTIONS,), authors=(ORTIZ,)),
        make_brief("bravo", "2021-03-04", topics=(NK,), authors=(KIM,)),
        make_brief("kilo", "2023-06-26", topics=(SANCTIONS, CYBER), authors=(KIM,)),
        make_brief("echo", "2022-12-31", topics=(CYBER,), authors=(ORTIZ,)),
    ]
    return Catalogue(
        site_name="Test",
        topics={"cyber": CYBER, "sanctions": SANCTIONS, "north-korea": NK,
                "energy": Topic(key="energy", title="Energy", group="Issues"), "misc": Topic(key="misc", title="Misc")},
        types={"policy-brief": TYPE, "analysis": ANALYSIS},
        programs={"ccti": CCTI},
        authors={"min-ji-kim": KIM, "sam-ortiz": ORTIZ, "old-hand": ALUM},
        briefs={b.slug: b for b in briefs},
    )


def slugs(briefs) -> list[str]:
    return [b.slug for b in briefs]


def test_latest_is_newest_first_with_same_day_briefs_by_slug(catalogue: Catalogue):
    assert slugs(catalogue.latest) == ["zulu", "alpha", "kilo", "mike", "echo", "bravo"]


def test_indexes_keep_the_same_order_and_cover_every_declared_key(catalogue: Catalogue):
    assert slugs(catalogue.by_topic["cyber"]) == ["alpha", "kilo", "mike", "echo"]
    assert slugs(catalogue.by_topic["north-korea"]) == ["alpha", "bravo"]
    assert catalogue.by_topic["energy"] == ()
    assert slugs(catalogue.by_author["min-ji-kim"]) == ["alpha", "kilo", "mike", "bravo"]
    assert slugs(catalogue.by_author["sam-ortiz"]) == ["zulu", "alpha", "echo"]
    assert catalogue.by_author["old-hand"] == ()
    assert slugs(catalogue.by_type["policy-brief"]) == slugs(catalogue.latest)
    assert catalogue.by_type["analysis"] == ()
    assert catalogue.by_program["ccti"] == ()
    assert list(catalogue.by_year) == [2024, 2023, 2022, 2021]
    assert slugs(catalogue.by_year[2023]) == ["alpha", "kilo", "mike"]


def test_older_and_newer_follow_the_listing_order(catalogue: Catalogue):
    order = slugs(catalogue.latest)
    for i, slug in enumerate(order):
        brief = catalogue.briefs[slug]
        older, newer = catalogue.older(brief), catalogue.newer(brief)
        assert (older.slug if older else None) == (order[i + 1] if i + 1 < len(order) else None)
        assert (newer.slug if newer else None) == (order[i - 1] if i > 0 else None)
    assert catalogue.newer(catalogue.briefs["zulu"]) is None
    assert catalogue.older(catalogue.briefs["bravo"]) is None


def test_topic_groups_in_declared_order_with_topics_by_title(catalogue: Catalogue):
    groups = [(name, [t.key for t in topics]) for name, topics in catalogue.topic_groups()]
    assert groups == [("Issues", ["cyber", "energy", "sanctions"]), ("Regions", ["north-korea"]), ("Other", ["misc"])]


def test_authors_by_name_keeps_alumni_apart(catalogue: Catalogue):
    assert [a.key for a in catalogue.authors_by_name(False)] == ["min-ji-kim", "sam-ortiz"]
    assert [a.key for a in catalogue.authors_by_name(True)] == ["old-hand"]


def test_model_urls():
    brief = make_brief("alpha", "2023-06-26")
    assert brief.url == "briefs/2023/alpha/"
    assert (CYBER.url, KIM.url, TYPE.url, CCTI.url) == ("topics/cyber/", "authors/min-ji-kim/", "types/policy-brief/", "programs/ccti/")
