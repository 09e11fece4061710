"""A brief's page and an author's page, read as a reader (HTML) and as a machine (JSON-LD)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from archive_kit import Archive, BuiltSite, resolve

SITE_URL = "https://briefs.test.example/"
EVIL_TITLE = "Talks </script><script>alert(1)</script> & <b>x</b> \"quoted\""
LONG_PARAGRAPH = " ".join(
    f"Sentence {i} of a long opening paragraph about allied cooperation against ransomware crews."
    for i in range(1, 9)
)
UNSAFE_BODY = """\
Opening paragraph of a brief that reached us through a pull request.

<script>document.title = "owned"</script>

<p onclick="steal()" onmouseover="steal()">Click text stays.</p>

[markdown javascript link](javascript:alert(1))

<a href="JavaScript:alert(2)">raw javascript link</a>

<a href="data:text/html;base64,PHNjcmlwdD4=">data link</a>

<img src="https://img.example/chart.png" onerror="steal()" alt="chart">

<iframe src="https://evil.example/embed"></iframe>

<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>

<form action="https://evil.example/"><input name="password"></form>

<style>body { display: none }</style>

A [good link](https://ok.example/report) and <a href="https://ok.example/raw">a raw one</a>.
"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def populate(archive: Archive) -> None:
    archive.programs["kipp"] = {"title": "Korea Program", "short": "KIPP"}
    archive.write("content/authors/photos/jo-lee.png", PNG)
    archive.author(
        "jo-lee", name="Jo Lee", role="Senior Director", program="kipp", photo="authors/photos/jo-lee.png",
        links={"website": "https://jo.example/", "x": "https://x.com/jolee", "email": "a@b.example"},
        bio="Jo Lee studies *sanctions* and [export controls](https://exports.example/).\n\n"
            "<script>alert('bio')</script><a href=\"javascript:alert(3)\" onclick=\"x()\">bio link</a>\n",
    )
    archive.brief("oldest-brief", date="2021-01-15", topics=["sanctions"])
    archive.brief("main-brief", date="2023-06-26", updated="2023-07-01", type="analysis",
                  title="Allied Cyber Talks Can Blunt Crypto Theft",
                  authors=["sam-ortiz", "jo-lee", "min-ji-kim"], topics=["north-korea", "cyber"], program="ccti",
                  summary="A high-level dialogue is a step toward the allies' framework.",
                  body="The **first** paragraph of the main brief.\n\nA second paragraph.\n")
    archive.brief("same-day-later-slug", date="2023-06-26", authors=["jo-lee"], topics=["sanctions"])
    archive.brief("plain-brief", date="2022-04-01", authors=["min-ji-kim"], topics=["cyber"])
    archive.brief("evil-title", date="2022-08-01", title=EVIL_TITLE)
    archive.brief("unsafe-body", date="2022-09-01", body=UNSAFE_BODY, authors=["jo-lee"])
    archive.brief("long-summary", date="2022-10-01",
                  body=f"## A heading first\n\n{LONG_PARAGRAPH}\n\nSecond paragraph, never in the summary.\n")
    archive.brief("short-summary", date="2022-11-01",
                  body="A *short* first paragraph with [a link](https://ok.example/).\n\nSecond paragraph.\n")
    archive.brief("newest-brief", date="2024-12-31", authors=["jo-lee"], topics=["sanctions"])


# Every brief in time order, oldest first, as written above.
IN_TIME = ["oldest-brief", "plain-brief", "evil-title", "unsafe-body", "long-summary", "short-summary",
           "same-day-later-slug", "main-brief", "newest-brief"]
# Same day (2023-06-26): newest first means main-brief is listed before same-day-later-slug,
# so in time main-brief counts as the later one.
URLS = {slug: f"briefs/{year}/{slug}/" for slug, year in [
    ("oldest-brief", 2021), ("plain-brief", 2022), ("evil-title", 2022), ("unsafe-body", 2022),
    ("long-summary", 2022), ("short-summary", 2022), ("same-day-later-slug", 2023), ("main-brief", 2023),
    ("newest-brief", 2024)]}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("briefpages")
    archive = Archive(root, plugin_options={"embed_hosts": ["www.youtube-nocookie.com"]})
    populate(archive)
    built = archive.build()
    assert built.ok, built.messages
    return built


def content(page: LexborHTMLParser) -> LexborNode:
    node = page.css_first(".md-content")
    assert node is not None
    return node


def site_target(url: str, href: str | None) -> str | None:
    """The site path a link on the page at `url` points to; None for other sites and mailto:."""
    if not href or re.match(r"^([a-z][a-z0-9+.-]*:|//)", href, re.I):
        return None
    return resolve(url, href).lstrip("/")


def targets(url: str, nodes, attribute: str = "href") -> list[str]:
    found = (site_target(url, node.attributes.get(attribute)) for node in nodes)
    return [t for t in found if t is not None]


def json_ld(page: LexborHTMLParser) -> dict:
    found = []
    for script in page.css('script[type="application/ld+json"]'):
        data = json.loads(script.text())
        if isinstance(data, dict) and "headline" in data:
            found.append(data)
    assert len(found) == 1, "one JSON-LD description of the brief"
    return found[0]


def own_times(page: LexborHTMLParser) -> list[tuple[str, str]]:
    """(datetime, text) of the brief's own dates: not those of related, backlinked or neighbour briefs."""
    found = []
    for time in content(page).css("time"):
        ancestor, foreign = time.parent, False
        while ancestor is not None:
            attrs = ancestor.attributes
            if any(k in attrs for k in ("data-related", "data-backlink", "data-brief")) or \
                    (ancestor.tag == "a" and attrs.get("rel") in ("prev", "next")):
                foreign = True
                break
            ancestor = ancestor.parent
        if not foreign:
            found.append((time.attributes["datetime"], time.text(strip=True)))
    return found


# --- header, byline, links ---------------------------------------------------------------

def test_a_brief_page_shows_title_dates_type_byline_topics_program_and_body(site: BuiltSite):
    url = URLS["main-brief"]
    page = site.html(url)
    main = content(page)
    assert main.css_first("h1").text(strip=True) == "Allied Cyber Talks Can Blunt Crypto Theft"
    assert sorted(own_times(page)) == [("2023-06-26", "June 26, 2023"), ("2023-07-01", "July 1, 2023")]

    links = {(site_target(url, a.attributes["href"]), a.text(strip=True)) for a in main.css("a[href]")}
    assert ("types/analysis/", "Analysis") in links
    assert ("programs/ccti/", "Center on Cyber and Technology Innovation") in links
    assert ("topics/north-korea/", "North Korea") in links and ("topics/cyber/", "Cyber") in links
    assert ("topics/sanctions/", "Sanctions") not in links

    author_links = [t for t in targets(url, main.css("a[href]")) if re.fullmatch(r"authors/[a-z0-9-]+/", t)]
    in_order = list(dict.fromkeys(author_links))
    assert in_order == ["authors/sam-ortiz/", "authors/jo-lee/", "authors/min-ji-kim/"]
    names = {a.text(strip=True) for a in main.css("a[href]") if site_target(url, a.attributes["href"]) == "authors/jo-lee/"}
    assert "Jo Lee" in names

    body = main.text()
    assert "first paragraph of the main brief." in body and "A second paragraph." in body
    assert any(b.text(strip=True) == "first" for b in main.css("strong"))
    for link in ("types/analysis/", "programs/ccti/", "topics/cyber/", "authors/jo-lee/"):
        assert site.file(link).is_file()


def test_updated_is_shown_only_when_set(site: BuiltSite):
    page = site.html(URLS["plain-brief"])
    assert own_times(page) == [("2022-04-01", "April 1, 2022")]
    assert not re.search(r"\bUpdated\b", content(page).text())


def test_a_brief_without_program_has_no_program_link(site: BuiltSite):
    url = URLS["plain-brief"]
    assert not any(t.startswith("programs/") for t in targets(url, content(site.html(url)).css("a[href]")))


def neighbours(site: BuiltSite, slug: str) -> tuple[list[str], list[str]]:
    url = URLS[slug]
    main = content(site.html(url))
    return targets(url, main.css('a[rel="prev"]')), targets(url, main.css('a[rel="next"]'))


@pytest.mark.parametrize("slug", IN_TIME)
def test_previous_and_next_brief_in_time(site: BuiltSite, slug: str):
    i = IN_TIME.index(slug)
    previous, following = neighbours(site, slug)
    assert previous == ([URLS[IN_TIME[i - 1]]] if i > 0 else [])
    assert following == ([URLS[IN_TIME[i + 1]]] if i + 1 < len(IN_TIME) else [])


def test_the_first_and_last_brief_have_only_one_neighbour(site: BuiltSite):
    assert neighbours(site, "oldest-brief") == ([], [URLS["plain-brief"]])
    assert neighbours(site, "newest-brief") == ([URLS["main-brief"]], [])


# --- JSON-LD -----------------------------------------------------------------------------

def test_json_ld_describes_the_brief(site: BuiltSite):
    data = json_ld(site.html(URLS["main-brief"]))
    assert data["@context"] in ("https://schema.org", "http://schema.org", "https://schema.org/")
    assert isinstance(data["@type"], str) and data["@type"]
    assert data["headline"] == "Allied Cyber Talks Can Blunt Crypto Theft"
    assert data["datePublished"] == "2023-06-26"
    authors = data["author"]
    assert [a["@type"] for a in authors] == ["Person"] * 3
    assert [a["name"] for a in authors] == ["Sam Ortiz", "Jo Lee", "Min-ji Kim"]
    assert [a["url"] for a in authors] == [f"{SITE_URL}authors/{k}/" for k in ("sam-ortiz", "jo-lee", "min-ji-kim")]
    about = data.get("about", [])
    about_names = {item["name"] if isinstance(item, dict) else item for item in (about if isinstance(about, list) else [about])}
    keywords = data.get("keywords", [])
    keywords = set(keywords if isinstance(keywords, list) else [k.strip() for k in keywords.split(",")])
    assert {"Cyber", "North Korea"} <= about_names | keywords
    assert "Sanctions" not in about_names | keywords


# --- text stays text ---------------------------------------------------------------------

def test_a_title_with_markup_is_shown_as_text(site: BuiltSite):
    url = URLS["evil-title"]
    page = site.html(url)
    assert content(page).css_first("h1").text(strip=True) == EVIL_TITLE
    assert EVIL_TITLE in page.css_first("title").text()
    assert not [b for b in page.css("b") if b.text(strip=True) == "x"]
    injected = [s for s in page.css("script") if "alert(1)" in s.text()
                and s.attributes.get("type") != "application/ld+json"]
    assert injected == []
    assert len(page.css("script")) == len(site.html(URLS["plain-brief"]).css("script"))
    assert json_ld(page)["headline"] == EVIL_TITLE


@pytest.mark.parametrize("url", ["briefs/", "authors/min-ji-kim/", "topics/cyber/", "archive/2022/", URLS["plain-brief"], URLS["unsafe-body"]])
def test_a_title_with_markup_is_text_wherever_it_is_listed(site: BuiltSite, url: str):
    page = site.html(url)
    assert EVIL_TITLE in content(page).text()  # it is there: as a card, a neighbour, …
    assert not [b for b in page.css("b") if b.text(strip=True) == "x"]
    assert not [s for s in page.css("script") if "alert(1)" in s.text() and s.attributes.get("type") != "application/ld+json"]


# --- sanitized body ----------------------------------------------------------------------

def test_the_body_is_sanitized(site: BuiltSite):
    url = URLS["unsafe-body"]
    page = site.html(url)
    main = content(page)
    assert main.css("script") == [] and main.css("style") == [] and main.css("form") == []
    # The only inputs are the template's citation style switch (three radio buttons), none from the body.
    assert [(i.attributes.get("type"), i.attributes.get("name")) for i in main.css("input")] == [("radio", "ba-cite-style")] * 3
    assert main.css_first(".ba-brief__body").css("input, select, textarea, button") == []
    assert page.css_first("title").text().startswith("Unsafe Body")  # the script did not rename the page
    for node in main.css("*"):
        assert not [name for name in node.attributes if name.lower().startswith("on")], node.html
        for attribute in ("href", "src", "action"):
            value = (node.attributes.get(attribute) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:")), node.html
    iframes = [i.attributes.get("src") for i in main.css("iframe")]
    assert iframes == ["https://www.youtube-nocookie.com/embed/abc"]
    text = main.text()
    assert "Click text stays." in text and "document.title" not in text and "display: none" not in text
    hrefs = [a.attributes.get("href") for a in main.css("a")]
    assert "https://ok.example/report" in hrefs and "https://ok.example/raw" in hrefs
    assert any(img.attributes.get("src") == "https://img.example/chart.png" for img in main.css("img"))


def test_the_body_is_the_text_after_the_front_matter_however_it_begins(archive: Archive):
    """MkDocs is handed the body the catalogue read: a first line that looks like a field is text
    (not MultiMarkdown metadata), and front matter closed by a longer rule, which the catalogue
    accepts, is not shown as text."""
    archive.brief("field-like", body="Note: the figures are estimates.\n\nThe rest of the text.\n")
    archive.write("content/briefs/2023/long-rule.md",
                  "---\ntitle: Long Rule\ndate: 2023-05-01\ntype: analysis\nauthors: [min-ji-kim]\n"
                  "topics: [cyber]\n-----\n\n\nThe text after a longer rule.\n")
    site = archive.build()
    assert site.ok, site.messages
    body = content(site.html("briefs/2023/field-like/")).css_first(".ba-brief__body")
    paragraphs = [p.text(strip=True) for p in body.css("p")]
    assert paragraphs[:2] == ["Note: the figures are estimates.", "The rest of the text."]
    body = content(site.html("briefs/2023/long-rule/")).css_first(".ba-brief__body")
    assert [p.text(strip=True) for p in body.css("p")] == ["The text after a longer rule."]
    assert "authors:" not in body.text() and body.css("hr") == []


def test_an_iframe_from_a_host_not_allow_listed_is_removed_by_default(archive: Archive):
    archive.brief("embed", body='Text.\n\n<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>\n')
    site = archive.build()
    assert site.ok, site.messages
    assert content(site.html("briefs/2023/embed/")).css("iframe") == []


# --- summary -----------------------------------------------------------------------------

def summary_shown(site: BuiltSite, slug: str) -> str:
    meta = site.html(URLS[slug]).css_first('meta[name="description"]')
    return meta.attributes["content"]


def test_the_summary_is_derived_from_the_first_paragraph_cut_at_a_word(site: BuiltSite):
    summary = summary_shown(site, "long-summary")
    assert summary.endswith("…")
    kept = summary[:-1].rstrip()
    assert LONG_PARAGRAPH.startswith(kept)
    assert LONG_PARAGRAPH[len(kept)] == " "  # cut between words
    assert 250 <= len(kept) <= 300
    assert "heading" not in summary.lower() and "Second paragraph" not in summary
    entry = site.html("briefs/").css_first('[data-brief="long-summary"]')
    assert summary in " ".join(entry.text().split())


def test_a_short_first_paragraph_is_the_whole_summary_as_plain_text(site: BuiltSite):
    assert summary_shown(site, "short-summary") == "A short first paragraph with a link."


def test_a_given_summary_wins(site: BuiltSite):
    assert summary_shown(site, "main-brief") == "A high-level dialogue is a step toward the allies' framework."


# --- author page -------------------------------------------------------------------------

def test_the_author_page_shows_photo_role_program_links_bio_and_briefs(site: BuiltSite):
    url = "authors/jo-lee/"
    page = site.html(url)
    main = content(page)
    assert main.css_first("h1").text(strip=True) == "Jo Lee"
    assert "authors/photos/jo-lee.png" in targets(url, main.css("img"), "src")
    assert (site.site / "authors/photos/jo-lee.png").read_bytes() == PNG
    text = " ".join(main.text().split())
    assert "Senior Director" in text
    assert "programs/kipp/" in targets(url, main.css("a[href]"))
    hrefs = [a.attributes["href"] for a in main.css("a[href]")]
    assert "https://jo.example/" in hrefs and "https://x.com/jolee" in hrefs
    assert "mailto:a@b.example" in hrefs
    assert "Jo Lee studies sanctions and export controls." in text
    assert "https://exports.example/" in hrefs
    assert main.css("script") == [] and "alert('bio')" not in text
    assert not any((a.attributes.get("href") or "").startswith("javascript:") for a in main.css("a"))
    assert not any(k.startswith("on") for n in main.css("*") for k in n.attributes)
    assert site.listed(url) == ["newest-brief", "main-brief", "same-day-later-slug", "unsafe-body"]


def test_an_author_without_photo_or_links_still_has_a_page(site: BuiltSite):
    url = "authors/sam-ortiz/"
    main = content(site.html(url))
    assert main.css_first("h1").text(strip=True) == "Sam Ortiz"
    assert not [a for a in main.css("a[href]") if a.attributes["href"].startswith("mailto:")]
    assert site.listed(url) == ["main-brief"]


def test_an_email_link_becomes_mailto(archive: Archive):
    archive.author("ann-mail", name="Ann Mail", links={"email": "a@b.example"})
    site = archive.build()
    assert site.ok, site.messages
    hrefs = [a.attributes["href"] for a in content(site.html("authors/ann-mail/")).css("a[href]")]
    assert "mailto:a@b.example" in hrefs
    assert "a@b.example" not in hrefs
