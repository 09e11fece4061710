"""Citations, sharing metadata and reading comfort on brief pages (issue 6), from the parsed output.

- the "Cite this brief" block, the BibTeX and RIS files it links, Google Scholar `citation_*` tags;
- OpenGraph / Twitter tags, the canonical link, schema.org JSON-LD (publisher, authors' sameAs),
  and a title that tries to break out of the JSON-LD <script>;
- the updated date (only when it differs) and reading time on brief pages and listing cards.
"""

from __future__ import annotations

import json
import re

import pytest

from archive_kit import Archive, BuiltSite, resolve

SITE_URL = "https://briefs.test.example/"
SITE_NAME = "Test Institute"

CITED_TITLE = "Allied Cyber Talks Can Blunt North Korean Crypto Theft"
BIB_TITLE = "100% Safe & Sound_Plan {v2}: $5 for #1"
SCRIPT_TITLE = 'Ends here </script><!-- <script>alert(1)</script> "quoted" & done'
LONG_WORDS = 1380

AUTHORS = {
    "min-ji-kim": dict(name="Min-ji Kim", role="Senior Fellow"),
    "sam-ortiz": dict(name="Sam Ortiz"),
    "jo-lee": dict(name="Jo Lee", links={"x": "https://x.com/jolee", "email": "jo@example.org",
                                         "website": "https://jo.example/", "mastodon": "http://social.example/@jo"}),
}
JO_SAME_AS = ["https://x.com/jolee", "https://jo.example/", "http://social.example/@jo"]

BRIEFS = {
    "cited-brief": dict(date="2023-06-26", title=CITED_TITLE, authors=["min-ji-kim", "sam-ortiz", "jo-lee"],
                        topics=["cyber", "north-korea"], program="ccti",
                        summary="A high-level dialogue is a step toward the allies' cooperation framework."),
    "bib-brief": dict(date="2023-05-02", title=BIB_TITLE, authors=["sam-ortiz"], topics=["sanctions"],
                      summary="Braces {and} 100% of the specials."),
    "script-brief": dict(date="2023-04-03", title=SCRIPT_TITLE, authors=["jo-lee"], topics=["cyber"],
                         summary="</script> in a summary too."),
    "updated-later": dict(date="2023-03-01", updated="2023-08-01", topics=["cyber"], title="Revised Months On"),
    "updated-same": dict(date="2023-02-01", updated="2023-02-01", topics=["cyber"], title="Revised The Same Day"),
    "long-read": dict(date="2023-01-10", topics=["cyber"], body=" ".join(["word"] * LONG_WORDS)),
}


def page_url(slug: str) -> str:
    return f"/briefs/{BRIEFS[slug]['date'][:4]}/{slug}/"


def absolute(slug: str) -> str:
    return SITE_URL + page_url(slug).lstrip("/")


def names(slug: str) -> list[str]:
    return [AUTHORS[k]["name"] for k in BRIEFS[slug]["authors"]]


def family_first(slug: str) -> list[str]:
    """The authors as the exports name them: "Kim, Min-ji" (the default rule: the last word is the family name)."""
    return [", ".join(reversed(name.rsplit(" ", 1))) for name in names(slug)]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    archive = Archive(tmp_path_factory.mktemp("cite"), plugin_options={"share_image": "assets/share.png"})
    archive.write("content/assets/share.png", b"\x89PNG\r\n\x1a\n")
    for key, fields in AUTHORS.items():
        archive.author(key, **fields)
    for slug, fields in BRIEFS.items():
        archive.brief(slug, **fields)
    built = archive.build()
    assert built.ok, built.messages
    return built


def meta(page, name: str) -> list[str]:
    return [m.attributes["content"] for m in page.css(f'meta[name="{name}"], meta[property="{name}"]')]


def one_meta(page, name: str) -> str:
    values = meta(page, name)
    assert len(values) == 1, (name, values)
    return values[0]


# ---------------------------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------------------------

def test_cite_block_names_authors_title_type_publisher_date_and_url(site: BuiltSite):
    page = site.html(page_url("cited-brief"))
    block = page.css_first(".ba-cite")
    assert block is not None
    text = " ".join(block.css_first("[data-citation]").text().split())
    # Chicago (the default style): the first author family name first, the others as written; the year.
    parts = ["Kim, Min-ji", "Sam Ortiz", "Jo Lee", CITED_TITLE, "Policy Brief", SITE_NAME, "2023", absolute("cited-brief")]
    positions = [text.find(part) for part in parts]
    assert all(p >= 0 for p in positions), (text, parts)
    assert positions == sorted(positions), text


def test_cite_block_shows_a_title_with_markup_as_text(site: BuiltSite):
    block = site.html(page_url("script-brief")).css_first(".ba-cite")
    # As text (Chicago capitalizes the title's words: "Ends Here"), and no element came of it.
    assert SCRIPT_TITLE.casefold() in block.css_first("[data-citation]").text().casefold()
    assert not block.css("script, [data-citation] *:not(i)")


def citation_files(site: BuiltSite, slug: str) -> dict[str, bytes]:
    url = page_url(slug)
    found = {}
    for link in site.html(url).css(".ba-cite a[href]"):
        target = resolve(url, link.attributes["href"])
        extension = target.rsplit(".", 1)[-1]
        if extension in ("bib", "ris"):
            assert site.file(target).is_file(), target
            found[extension] = site.file(target).read_bytes()
    assert set(found) == {"bib", "ris"}
    return found


def read_braced(text: str, at: int) -> tuple[str, int]:
    """The text inside the balanced braces opening at `at` (backslash escapes skipped), and the end."""
    assert text[at] == "{"
    depth, i = 0, at
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[at + 1 : i], i + 1
        i += 1
    raise AssertionError("unbalanced braces in BibTeX")


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """(entry type, key, fields) of a file holding exactly one BibTeX entry."""
    head = re.match(r"\s*@(\w+)\s*\{\s*([^,\s]+)\s*,", text)
    assert head, text
    fields, i = {}, head.end()
    while True:
        while text[i] in " \t\r\n,":
            i += 1
        if text[i] == "}":
            i += 1
            break
        name = re.compile(r"(\w+)\s*=\s*").match(text, i)
        assert name, text[i:]
        i = name.end()
        if text[i] == "{":
            value, i = read_braced(text, i)
        else:
            number = re.compile(r"\d+").match(text, i)
            assert number, text[i:]
            value, i = number.group(0), number.end()
        fields[name.group(1).lower()] = value
    assert not text[i:].strip(), "text after the entry"
    return head.group(1).lower(), head.group(2), fields


def unbrace(value: str) -> str:
    while value.startswith("{") and value.endswith("}") and read_braced(value, 0)[1] == len(value):
        value = value[1:-1]
    return value


def test_bibtex_file_is_a_balanced_entry_with_the_brief(site: BuiltSite):
    kind, key, fields = parse_bibtex(citation_files(site, "cited-brief")["bib"].decode("utf-8"))
    assert kind in ("techreport", "report", "misc", "online")
    assert key == "cited-brief"
    assert unbrace(fields["title"]) == CITED_TITLE
    assert [unbrace(n.strip()) for n in fields["author"].split(" and ")] == family_first("cited-brief")
    assert fields["year"] == "2023"
    assert fields["url"] == absolute("cited-brief")
    assert SITE_NAME in (fields.get("institution", "") + fields.get("publisher", ""))


def test_bibtex_escapes_special_characters_in_a_nasty_title(site: BuiltSite):
    text = citation_files(site, "bib-brief")["bib"].decode("utf-8")
    _, _, fields = parse_bibtex(text)  # balanced despite the braces in the title
    title = unbrace(fields["title"])
    # %, &, _, #, $ unescaped would comment out the rest of the line or break LaTeX.
    assert not re.search(r"(?<!\\)[%&_#$]", title), title
    assert re.sub(r"\\([{}%&$#_])", r"\1", title) == BIB_TITLE
    assert not re.search(r"(?<!\\)%", text), "an unescaped % anywhere comments out the rest of its line"


def test_ris_file_has_its_tags_in_order_with_crlf(site: BuiltSite):
    raw = citation_files(site, "cited-brief")["ris"]
    assert raw.endswith(b"\r\n") and raw.count(b"\n") == raw.count(b"\r\n"), "RIS lines end in CRLF"
    lines = raw.decode("utf-8").split("\r\n")[:-1]
    records = []
    for line in lines:
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
        assert match, repr(line)
        records.append((match[1], match[2]))
    tags = [tag for tag, _ in records]
    wanted = [t for t in tags if t in ("TY", "TI", "AU", "PY", "DA", "PB", "UR", "ER")]
    assert wanted == ["TY", "TI", "AU", "AU", "AU", "PY", "DA", "PB", "UR", "ER"]
    assert tags[0] == "TY" and tags[-1] == "ER"
    values = {}
    for tag, value in records:
        values.setdefault(tag, []).append(value)
    assert values["TY"] == ["RPRT"]
    assert values["TI"] == [CITED_TITLE]
    assert values["AU"] == family_first("cited-brief")
    assert values["PY"] == ["2023"]
    assert values["DA"] == ["2023/06/26"]
    assert values["PB"] == [SITE_NAME]
    assert values["UR"] == [absolute("cited-brief")]
    assert values["ER"] == [""]


def test_google_scholar_tags(site: BuiltSite):
    page = site.html(page_url("cited-brief"))
    assert one_meta(page, "citation_title") == CITED_TITLE
    assert meta(page, "citation_author") == names("cited-brief")
    assert one_meta(page, "citation_publication_date") == "2023/06/26"
    assert one_meta(page, "citation_publisher") == SITE_NAME
    assert one_meta(page, "citation_fulltext_html_url") == absolute("cited-brief")
    # Inside <head>, where Scholar reads them.
    assert len(page.css('head meta[name="citation_author"]')) == 3


def test_google_scholar_title_keeps_markup_as_text(site: BuiltSite):
    assert one_meta(site.html(page_url("script-brief")), "citation_title") == SCRIPT_TITLE
    assert one_meta(site.html(page_url("bib-brief")), "citation_title") == BIB_TITLE


# ---------------------------------------------------------------------------------------------
# Sharing metadata
# ---------------------------------------------------------------------------------------------

def test_opengraph_and_twitter_tags(site: BuiltSite):
    page = site.html(page_url("cited-brief"))
    assert one_meta(page, "og:title") == CITED_TITLE
    assert one_meta(page, "og:description") == BRIEFS["cited-brief"]["summary"]
    assert one_meta(page, "og:url") == absolute("cited-brief")
    assert one_meta(page, "og:type") == "article"
    assert one_meta(page, "article:published_time") == "2023-06-26"
    assert one_meta(page, "og:site_name") == SITE_NAME
    assert one_meta(page, "twitter:card") == "summary_large_image"
    assert one_meta(page, "og:image") == absolute("cited-brief") + "card.png"  # its share card (test_share_cards.py)


def test_pages_without_a_share_card_show_the_site_wide_share_image(site: BuiltSite):
    page = site.html("/archive/")
    assert one_meta(page, "twitter:card") == "summary_large_image"
    assert one_meta(page, "og:image") == SITE_URL + "assets/share.png"
    assert meta(page, "og:image:width") == []  # its size is not known
    assert (site.site / "assets" / "share.png").is_file()


def test_modified_time_follows_updated(site: BuiltSite):
    page = site.html(page_url("updated-later"))
    assert one_meta(page, "article:published_time") == "2023-03-01"
    assert one_meta(page, "article:modified_time") == "2023-08-01"


def test_canonical_link(site: BuiltSite):
    for slug in BRIEFS:
        page = site.html(page_url(slug))
        canonical = page.css('link[rel="canonical"]')
        assert len(canonical) == 1
        assert canonical[0].attributes["href"] == absolute(slug) == one_meta(page, "og:url")


def json_ld(site: BuiltSite, slug: str) -> dict:
    scripts = site.html(page_url(slug)).css('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text())


def test_json_ld_describes_the_brief(site: BuiltSite):
    data = json_ld(site, "cited-brief")
    assert data["@context"] in ("https://schema.org", "http://schema.org", "https://schema.org/")
    assert data["@type"]
    assert data["headline"] == CITED_TITLE
    assert data["datePublished"] == "2023-06-26"
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == SITE_NAME
    authors = data["author"]
    assert [a["@type"] for a in authors] == ["Person"] * 3
    assert [a["name"] for a in authors] == names("cited-brief")
    assert [a["url"] for a in authors] == [f"{SITE_URL}authors/{k}/" for k in BRIEFS["cited-brief"]["authors"]]
    about = json.dumps(data.get("about", [])) + json.dumps(data.get("keywords", []))
    assert "Cyber" in about and "North Korea" in about


def test_json_ld_same_as_from_web_links_only(site: BuiltSite):
    authors = {a["name"]: a for a in json_ld(site, "cited-brief")["author"]}
    assert authors["Jo Lee"]["sameAs"] == JO_SAME_AS
    assert not authors["Min-ji Kim"].get("sameAs")
    assert not authors["Sam Ortiz"].get("sameAs")
    assert "mailto:" not in json.dumps(json_ld(site, "cited-brief"))


def test_title_cannot_break_out_of_the_json_ld_script(site: BuiltSite):
    page = site.html(page_url("script-brief"))
    data = json_ld(site, "script-brief")
    assert data["headline"] == SCRIPT_TITLE
    assert data["description"] == BRIEFS["script-brief"]["summary"]
    # No script came out of the title: the only one mentioning alert(1) is the JSON-LD.
    assert [s.attributes.get("type") for s in page.css("script") if "alert(1)" in (s.text() or "")] == \
        ["application/ld+json"]
    assert page.css_first("h1").text(strip=True) == SCRIPT_TITLE
    assert page.css_first("title").text().startswith(SCRIPT_TITLE)
    assert one_meta(page, "og:title") == SCRIPT_TITLE


# ---------------------------------------------------------------------------------------------
# Reading comfort
# ---------------------------------------------------------------------------------------------

def header_dates(site: BuiltSite, slug: str) -> list[str]:
    header = site.html(page_url(slug)).css_first("article[data-slug] header")
    return [t.attributes["datetime"] for t in header.css("time")]


def test_updated_date_shown_only_when_it_differs(site: BuiltSite):
    assert header_dates(site, "updated-later") == ["2023-03-01", "2023-08-01"]
    later = site.html(page_url("updated-later")).css_first("article[data-slug] header")
    assert "Updated" in later.text() and "August 1, 2023" in later.text()
    for slug in ("updated-same", "cited-brief"):
        assert header_dates(site, slug) == [BRIEFS[slug]["date"]]
        assert "Updated" not in site.html(page_url(slug)).css_first("article[data-slug] header").text()


def minutes(text: str) -> int:
    found = re.findall(r"(\d+)\s*min(?:ute)?s?\s+read", " ".join(text.split()))
    assert len(found) == 1, text
    return int(found[0])


def test_reading_time_on_brief_pages_and_listing_cards(site: BuiltSite):
    long_page = minutes(site.html(page_url("long-read")).css_first("article[data-slug] header").text())
    assert 5 <= long_page <= 7  # 1,380 words at 200-275 words a minute
    assert minutes(site.html(page_url("updated-same")).css_first("article[data-slug] header").text()) == 1
    for listing in ("/briefs/", "/topics/cyber/", "/archive/2023/"):
        card = site.html(listing).css_first('[data-brief="long-read"]')
        assert minutes(card.text()) == long_page, listing
        assert minutes(site.html(listing).css_first('[data-brief="updated-same"]').text()) == 1
