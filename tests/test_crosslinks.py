"""Cross-links between briefs (issue 3): wiki-links, backlinks, alias redirects, topic/author cross-navigation.

Each scenario builds one small archive (module-scoped, so the build runs once) and asserts on the
parsed pages. Expected values come from the archive as the test wrote it, never from the plugin.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from archive_kit import Archive, BuiltSite, resolve

SITE_URL = "https://briefs.test.example/"
PROBLEM = re.compile(r"(?P<path>content/\S+?\.md):(?P<line>\d+): (?P<severity>error|warning): (?P<message>.*)$")

FM = "---\ntitle: A Brief\ndate: 2023-06-26\ntype: policy-brief\nauthors: [min-ji-kim]\ntopics: [cyber]\n"


def problems(site: BuiltSite, severity: str = "error") -> list[tuple[str, int, str]]:
    found = []
    for message in site.messages:
        match = PROBLEM.search(message)
        if match and match["severity"] == severity:
            found.append((match["path"], int(match["line"]), match["message"]))
    return found


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the `occurrence`-th line of the whole file that contains `needle`."""
    hits = [n for n, line in enumerate(text.split("\n"), 1) if needle in line]
    return hits[occurrence - 1]


def body_of(site: BuiltSite, url: str):
    node = site.html(url).css_first(".ba-brief__body")
    assert node is not None, f"no brief body on {url}"
    return node


def article_slug(site: BuiltSite, url: str) -> str:
    return site.html(url).css_first("article[data-slug]").attributes["data-slug"]


# ---------------------------------------------------------------------------------------------
# Wiki-links and backlinks
# ---------------------------------------------------------------------------------------------

TARGET_TITLE = "Allied Cyber Talks Can Blunt Crypto Theft"
NASTY_TITLE = "Risk *and* _reward_ [draft] <b>bold</b> & more"

WIKI_BODY = """\
Before the talks, see [[target-brief]] for background.

The same brief, in other words: [[target-brief|the earlier brief]].

A title full of markup: [[nasty-title]].

Editors write `[[target-brief]]` or ``[[no-such-brief]]`` to link, then [[nasty-title|once more]].

```
[[no-such-brief]] and [[target-brief]]
```

~~~markdown
[[target-brief|inside a tilde fence]]
~~~
"""


INDENT_BODY = """\
A paragraph before indented code.

    [[no-such-brief]] and [[target-brief]] in indented code

- A list item

    whose second paragraph cites [[target-brief|list continuation]].

Text with a note.[^note]

[^note]: A footnote.

    Its second paragraph cites [[target-brief|footnote continuation]].

!!! note "An aside"

    An admonition citing [[target-brief|admonition body]].
"""


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> BuiltSite:
    archive = Archive(tmp_path_factory.mktemp("linked"))
    archive.brief("target-brief", date="2022-11-01", title=TARGET_TITLE)
    archive.brief("nasty-title", date="2023-01-05", title=NASTY_TITLE)
    archive.brief("wiki-linker", date="2023-02-10", body=WIKI_BODY)
    archive.brief("md-linker", date="2023-03-10",
                  body="An [earlier analysis](../2022/target-brief.md) set out the case.")
    archive.brief("abs-linker", date="2023-04-10",
                  body="Read [the talks brief](/briefs/2022/target-brief/#background) first.")
    archive.brief("ref-linker", date="2023-05-20",
                  body="See [the earlier brief][talks] again.\n\n[talks]: ../2022/target-brief.md\n")
    archive.brief("self-linker", date="2023-05-10",
                  body="As [[self-linker]] argues, and [this page](self-linker.md) repeats, see [[target-brief]].")
    archive.brief("loner", date="2023-06-01", body="Nothing links here and this links nowhere.")
    archive.brief("draft-linker", date="2023-07-01", draft=True, body="A draft citing [[target-brief]].")
    archive.brief("indent-linker", date="2023-09-01", body=INDENT_BODY)
    archive.brief("summary-linker", date="2023-08-01", body="Our note on [[nasty-title]] sets the stakes.\n\nMore text.")
    site = archive.build()
    assert site.ok, site.messages
    return site


def test_wiki_link_becomes_a_link_to_the_brief_with_its_title(linked: BuiltSite):
    url = "/briefs/2023/wiki-linker/"
    anchors = body_of(linked, url).css("a")
    to_target = [a for a in anchors if resolve(url, a.attributes["href"]) == "/briefs/2022/target-brief/"]
    assert [a.text() for a in to_target] == [TARGET_TITLE, "the earlier brief"]
    destination = resolve(url, to_target[0].attributes["href"])
    assert linked.file(destination).is_file()
    assert article_slug(linked, destination) == "target-brief"
    assert linked.html(destination).css_first("h1").text(strip=True) == TARGET_TITLE


def test_wiki_link_text_is_the_title_as_plain_text(linked: BuiltSite):
    url = "/briefs/2023/wiki-linker/"
    to_nasty = [a for a in body_of(linked, url).css("a")
                if resolve(url, a.attributes["href"]) == "/briefs/2023/nasty-title/"]
    assert [a.text() for a in to_nasty] == [NASTY_TITLE, "once more"]
    # No <b>, <em> or nested link came out of the title's characters.
    assert [n.tag for n in to_nasty[0].iter(include_text=False)] == []
    assert article_slug(linked, resolve(url, to_nasty[0].attributes["href"])) == "nasty-title"


def test_wiki_link_text_in_a_derived_summary_is_the_plain_title(linked: BuiltSite):
    """The summary (first paragraph as plain text) reads a wiki-link as the brief's title, verbatim."""
    briefs = {b["slug"]: b for b in linked.json("/api/briefs.json")}
    assert briefs["wiki-linker"]["summary"] == f"Before the talks, see {TARGET_TITLE} for background."
    expected = f"Our note on {NASTY_TITLE} sets the stakes."
    assert briefs["summary-linker"]["summary"] == expected
    card = linked.html("/briefs/").css_first('[data-brief="summary-linker"] .ba-card__summary')
    assert card.text(strip=True) == expected


def test_wiki_link_inside_code_is_left_alone(linked: BuiltSite):
    body = body_of(linked, "/briefs/2023/wiki-linker/")
    spans = [c.text() for c in body.css("code") if c.parent.tag != "pre"]
    assert spans == ["[[target-brief]]", "[[no-such-brief]]"]
    blocks = [c.text() for c in body.css("pre code")]
    assert blocks == ["[[no-such-brief]] and [[target-brief]]\n", "[[target-brief|inside a tilde fence]]\n"]
    for code in body.css("code"):
        assert code.css("a") == []
    # Only the four wiki-links in prose became links.
    assert len(body.css("a[href]")) == 4


def test_wiki_link_in_indented_code_is_left_alone_but_indented_content_links(linked: BuiltSite):
    url = "/briefs/2023/indent-linker/"
    body = body_of(linked, url)
    assert [c.text() for c in body.css("pre code")] == ["[[no-such-brief]] and [[target-brief]] in indented code\n"]
    links = [(a.text(), resolve(url, a.attributes["href"])) for a in body.css("a[href]")
             if not a.attributes["href"].startswith("#")]
    assert sorted(links) == [(text, "/briefs/2022/target-brief/")  # footnotes render last: any order
                             for text in ("admonition body", "footnote continuation", "list continuation")]


def test_backlinks_by_wiki_link_and_ordinary_links_newest_first(linked: BuiltSite):
    page = linked.html("/briefs/2022/target-brief/")
    backlinks = [n.attributes["data-backlink"] for n in page.css("[data-backlink]")]
    # ref-linker (reference-style ../2022/x.md), self-linker (wiki), abs-linker (/briefs/…/#fragment),
    # md-linker (../2022/x.md), wiki-linker (twice, listed once); the draft's link does not count
    # while drafts are hidden.
    assert backlinks == ["indent-linker", "ref-linker", "self-linker", "abs-linker", "md-linker", "wiki-linker"]
    for node in page.css("[data-backlink]"):
        href = node.css_first("a").attributes["href"]
        assert article_slug(linked, resolve("/briefs/2022/target-brief/", href)) == node.attributes["data-backlink"]


def test_backlink_from_the_one_brief_citing_a_title(linked: BuiltSite):
    page = linked.html("/briefs/2023/nasty-title/")
    assert [n.attributes["data-backlink"] for n in page.css("[data-backlink]")] == ["summary-linker", "wiki-linker"]


def test_self_links_are_not_backlinks(linked: BuiltSite):
    page = linked.html("/briefs/2023/self-linker/")
    assert page.css("[data-backlink]") == []
    assert page.css(".ba-brief__backlinks") == []


def test_no_backlinks_section_without_backlinks(linked: BuiltSite):
    page = linked.html("/briefs/2023/loner/")
    assert page.css("[data-backlink]") == []
    assert page.css(".ba-brief__backlinks") == []


def _write(archive: Archive, slug: str, text: str, year: str = "2023") -> tuple[str, str]:
    path = f"content/briefs/{year}/{slug}.md"
    archive.write(path, text)
    return path, text


def test_unknown_wiki_link_is_an_error_on_its_line_with_a_did_you_mean(archive: Archive):
    archive.brief("target-brief", date="2023-01-05")
    path, text = _write(archive, "x", FM + "summary: >\n  A summary written\n  over two lines.\n---\n"
                        "First paragraph links [[target-brief]] correctly.\n"
                        "\n"
                        "```\n"
                        "[[target-brif]] inside a fence is text\n"
                        "```\n"
                        "\n"
                        "Then `[[target-brif]]` in a span, and [[target-brif]] for real.\n"
                        "\n"
                        "Also [[entirely-unknown-brief|with text]].\n")
    site = archive.build()
    assert not site.ok
    expected_line = line_of(text, "for real")
    assert expected_line == 17  # 10 front-matter lines, then body line 7
    found = problems(site)
    assert len(found) == 2, site.messages
    (p1, l1, m1), (p2, l2, m2) = found
    assert (p1, l1) == (path, expected_line)
    assert "unknown brief 'target-brif'" in m1 and "(did you mean 'target-brief'?)" in m1
    assert (p2, l2) == (path, line_of(text, "entirely-unknown-brief"))
    assert "unknown brief 'entirely-unknown-brief'" in m2
    assert not any("Traceback" in m for m in site.messages)
    assert not (archive.root / "site" / "briefs").exists()


def test_wiki_link_to_a_draft_from_a_published_brief_is_an_error(archive: Archive):
    archive.brief("coming-soon", date="2023-01-05", draft=True)
    archive.brief("other-draft", date="2023-01-06", draft=True, body="A draft may link [[coming-soon]].")
    path, text = _write(archive, "x", FM + "---\nIntro.\n\nSee [[coming-soon]] later.\n")
    site = archive.build()
    assert not site.ok
    found = problems(site)
    assert len(found) == 1, site.messages
    assert found[0][:2] == (path, line_of(text, "See [[coming-soon]]"))
    assert "'coming-soon'" in found[0][2] and "draft" in found[0][2]


# ---------------------------------------------------------------------------------------------
# Redirects (aliases) and the sitemap
# ---------------------------------------------------------------------------------------------

ALIASES = {
    "new-name": ["/analysis/2023/old-name/", "/old/new-name.html", "/legacy/path"],
    "other-brief": ["/analysis/2022/other-old/"],
}


def alias_file(site: BuiltSite, alias: str) -> tuple[Path, str]:
    """The file a static server serves for an alias, and the URL that file is read at."""
    last = alias.rsplit("/", 1)[-1]
    if alias.endswith("/"):
        return site.site / alias.lstrip("/") / "index.html", alias
    if "." in last:
        return site.site / alias.lstrip("/"), alias
    return site.site / alias.lstrip("/") / "index.html", alias + "/"


@pytest.fixture(scope="module")
def moved(tmp_path_factory) -> BuiltSite:
    archive = Archive(tmp_path_factory.mktemp("moved"))
    archive.brief("new-name", date="2023-06-26", aliases=ALIASES["new-name"])
    archive.brief("other-brief", date="2022-03-01", aliases=ALIASES["other-brief"])
    archive.brief("plain-brief", date="2022-04-01")
    site = archive.build()
    assert site.ok, site.messages
    return site


@pytest.mark.parametrize("slug,alias", [(s, a) for s, aliases in ALIASES.items() for a in aliases])
def test_alias_is_a_redirect_page_to_the_brief(moved: BuiltSite, slug: str, alias: str):
    file, served_at = alias_file(moved, alias)
    assert file.is_file(), f"no redirect page for {alias}"
    page = LexborHTMLParser(file.read_text(encoding="utf-8"))
    year = {"new-name": "2023", "other-brief": "2022"}[slug]
    brief_url = f"/briefs/{year}/{slug}/"
    refresh = page.css_first('meta[http-equiv="refresh"]').attributes["content"]
    match = re.fullmatch(r"\s*0\s*;\s*url=(.+)", refresh, re.IGNORECASE)
    assert match, refresh
    assert resolve(served_at, match[1].strip().strip("'\"")) == brief_url
    assert page.css_first('link[rel="canonical"]').attributes["href"] == SITE_URL + brief_url.lstrip("/")
    assert article_slug(moved, brief_url) == slug


def test_sitemap_lists_canonical_urls_only(moved: BuiltSite):
    tree = etree.fromstring((moved.site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text.strip() for loc in tree.findall("s:url/s:loc", ns)]
    assert len(locs) == len(set(locs))
    for slug, year in (("new-name", 2023), ("other-brief", 2022), ("plain-brief", 2022)):
        assert f"{SITE_URL}briefs/{year}/{slug}/" in locs
    for loc in locs:
        assert loc.startswith(SITE_URL)
        path = "/" + loc[len(SITE_URL):]
        assert not path.startswith(("/analysis/", "/old/", "/legacy/")), loc
        assert "http-equiv" not in moved.file(path).read_text(encoding="utf-8"), f"{loc} is a redirect"


def _alias_brief(*aliases: str) -> str:
    return FM + "aliases:\n" + "".join(f"  - '{a}'\n" for a in aliases) + "---\nBody text.\n"


def test_aliases_that_leave_the_site_or_repeat_are_errors_on_their_lines(archive: Archive):
    archive.brief("taken-brief", date="2022-02-02")
    bad = ["../outside/", "/a/../../etc/", "https://evil.example/x/", "//evil.example/x/", "javascript:alert(1)"]
    path_a, text_a = _write(archive, "a-first", _alias_brief("/fine/old/", *bad))
    path_b, text_b = _write(archive, "b-second", _alias_brief("/briefs/2022/taken-brief/", "/fine/old/", "/briefs/2022/taken-brief"))
    site = archive.build()
    assert not site.ok
    found = sorted(problems(site))
    expected = sorted(
        [(path_a, line_of(text_a, f"- '{a}'"), a) for a in bad]
        + [(path_b, 8, "/briefs/2022/taken-brief/"), (path_b, 9, "/fine/old/"), (path_b, 10, "/briefs/2022/taken-brief")]
    )
    assert [(p, line) for p, line, _ in found] == [(p, line) for p, line, _ in expected], site.messages
    for (_, _, message), (_, _, alias) in zip(found, expected):
        assert f"alias '{alias}'" in message
    assert "'a-first'" in [m for p, line, m in found if (p, line) == (path_b, 9)][0]


@pytest.mark.parametrize("colliding", [
    ["/topics/cyber/", "/authors/", "/feed.xml", "/api/briefs.json", "/about/", "/"],
    ["/topics/cyber", "/briefs/2023/x/x.bib"],
], ids=["pages-and-files", "without-slash-and-citation-file"])
def test_alias_colliding_with_a_real_page_is_an_error(archive: Archive, colliding: list[str]):
    archive.write("content/about.md", "# About\n\nAn editorial page.\n")
    path, text = _write(archive, "x", _alias_brief("/fine/old/", *colliding))
    site = archive.build()
    assert not site.ok
    found = problems(site)
    assert [(p, line) for p, line, _ in found] == [(path, 9 + i) for i in range(len(colliding))], site.messages
    for (_, _, message), alias in zip(found, colliding):
        assert f"alias '{alias}'" in message
    assert not any("Traceback" in m for m in site.messages)


def test_aliases_spelled_differently_for_the_same_address_are_an_error(archive: Archive):
    """`/legacy/path` and `/legacy/path/index.html` are one page: the second must not silently vanish."""
    archive.brief("a-first", date="2023-01-01", aliases=["/legacy/path"])
    path, text = _write(archive, "b-second", _alias_brief("/fine/old/", "/legacy/path/index.html"))
    site = archive.build()
    assert not site.ok
    found = problems(site)
    assert [(p, line) for p, line, _ in found] == [(path, 9)], site.messages
    assert "alias '/legacy/path/index.html'" in found[0][2] and "a-first" in found[0][2]


def test_a_drafts_aliases_are_not_published(archive: Archive):
    archive.brief("published", date="2023-01-01", aliases=["/old/published/"])
    archive.brief("unpublished", date="2023-02-01", draft=True, aliases=["/old/unpublished/"])
    site = archive.build()
    assert site.ok, site.messages
    assert (site.site / "old" / "published" / "index.html").is_file()
    assert not (site.site / "old" / "unpublished").exists()


# ---------------------------------------------------------------------------------------------
# Topic and author cross-navigation
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def navigated(tmp_path_factory) -> BuiltSite:
    archive = Archive(tmp_path_factory.mktemp("navigated"))
    archive.topics["energy"] = {"title": "Energy", "group": "Issues"}
    archive.author("jo-lee", name="Jo Lee")
    archive.brief("nav-one", date="2023-01-01", topics=["cyber", "north-korea"], authors=["min-ji-kim"])
    archive.brief("nav-two", date="2023-02-01", topics=["cyber", "north-korea"], authors=["min-ji-kim", "sam-ortiz"])
    archive.brief("nav-three", date="2023-03-01", topics=["cyber", "sanctions"], authors=["sam-ortiz"])
    archive.brief("nav-four", date="2023-04-01", topics=["cyber"], authors=["min-ji-kim"])
    archive.brief("nav-five", date="2023-05-01", topics=["sanctions", "energy"], authors=["min-ji-kim", "jo-lee"])
    archive.brief("nav-six", date="2023-06-01", topics=["cyber", "energy", "north-korea"], authors=["jo-lee"])
    site = archive.build()
    assert site.ok, site.messages
    return site


def ranked(site: BuiltSite, url: str, heading: str) -> list[tuple[str, int]]:
    """(linked page URL, count) of each entry of the cross-navigation block whose heading matches."""
    page = site.html(url)
    for section in page.css(".ba-crossnav"):
        title = section.css_first("h2, h3")
        if title and re.search(heading, title.text(), re.IGNORECASE):
            entries = []
            for link in section.css("a"):
                count = re.findall(r"\d+", link.text())
                entries.append((resolve(url, link.attributes["href"]), int(count[-1])))
            return entries
    raise AssertionError(f"no section matching {heading!r} on {url}")


def assert_ranked(entries: list[tuple[str, int]], expected: dict[str, int]) -> None:
    """The block links exactly `expected` with those counts, most frequent first (ties in any order)."""
    assert dict(entries) == expected and len(entries) == len(expected)
    counts = [n for _, n in entries]
    assert counts == sorted(counts, reverse=True), entries


def test_topic_page_names_co_topics_by_frequency(navigated: BuiltSite):
    # cyber briefs: nav-one (nk), nav-two (nk), nav-three (sanctions), nav-four, nav-six (energy, nk)
    entries = ranked(navigated, "/topics/cyber/", "with")
    assert_ranked(entries, {"/topics/north-korea/": 3, "/topics/energy/": 1, "/topics/sanctions/": 1})
    assert entries[0] == ("/topics/north-korea/", 3)
    for target, _ in entries:
        assert navigated.file(target).is_file()


def test_topic_page_names_most_active_authors(navigated: BuiltSite):
    assert ranked(navigated, "/topics/cyber/", "author") == [
        ("/authors/min-ji-kim/", 3), ("/authors/sam-ortiz/", 2), ("/authors/jo-lee/", 1)]
    assert ranked(navigated, "/topics/energy/", "author") == [("/authors/jo-lee/", 2), ("/authors/min-ji-kim/", 1)]


def test_author_page_names_their_top_topics(navigated: BuiltSite):
    # min-ji-kim: nav-one, nav-two, nav-four (cyber x3), nk x2, sanctions + energy from nav-five
    entries = ranked(navigated, "/authors/min-ji-kim/", "topic|writes")
    assert_ranked(entries, {"/topics/cyber/": 3, "/topics/north-korea/": 2, "/topics/energy/": 1, "/topics/sanctions/": 1})
    assert entries[:2] == [("/topics/cyber/", 3), ("/topics/north-korea/", 2)]
    entries = ranked(navigated, "/authors/jo-lee/", "topic|writes")
    assert entries[0] == ("/topics/energy/", 2)
    assert_ranked(entries, {"/topics/energy/": 2, "/topics/cyber/": 1, "/topics/north-korea/": 1, "/topics/sanctions/": 1})
