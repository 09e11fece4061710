"""Citations in any style (issue 16), from the built site, read back through well-kept parsers.

- the `.bib` through pybtex, the `.ris` through rispy, the CSL-JSON `<slug>.json` formatted by
  citeproc-py: each holds the same authors (family name first, by their parts), title, institution,
  series, number, date and URL as the page shows;
- the page's citation block: Chicago (the default), APA and MLA, each labelled, with a switch the
  script shows (the switch itself is driven in tests/browser/test_reading.py);
- markup in a title stays text in every style;
- Scholar tags: the report number of a brief in a series, the PDF's absolute address.
"""

from __future__ import annotations

import json

import pybtex.database
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pybtex.richtext import Text
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from archive_kit import Archive, BuiltSite, resolve
from briefing_archive.outputs.citation_styles import STYLES, STYLES_DIR

SITE_URL = "https://briefs.test.example/"
SITE_NAME = "Test Institute"
SERIES_TITLE = "Korea Program Reports"
SERIES_TITLE_TEX = SERIES_TITLE
TITLE = "Deterrence & Dialogue: What Allies Owe 100% of Their Partners"
SCRIPT_TITLE = 'Ends here </p></div><script>alert(1)</script> <b>bold</b> & "quoted"'

AUTHORS = {
    # Family name first in the profile's name: the parts say which is which.
    "kim-min-ji": dict(name="Kim Min-ji", family="Kim", given="Min-ji"),
    # The default rule (last word the family name), and an accent.
    "jose-ortiz": dict(name="José Ortiz"),
    # Hangul, parts set.
    "kim-hangul": dict(name="김민지", family="김", given="민지"),
}
ONE_NAME = dict(name="Nomvula")  # a single name: a family name and no given name
# (family, given) as every export must name them.
PARTS = [("Kim", "Min-ji"), ("Ortiz", "José"), ("김", "민지")]

SERIES_URL = "/briefs/2024/series-brief/"
PLAIN_URL = "/briefs/2024/plain-brief/"
SCRIPT_URL = "/briefs/2024/script-brief/"
ONE_NAME_URL = "/briefs/2023/one-name-brief/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    archive = Archive(tmp_path_factory.mktemp("styles"))
    archive.write("site_config/series.yml", f"korea-reports:\n  title: {SERIES_TITLE}\n  short: KPR\n")
    archive.write("content/briefs/pdf/series-brief.pdf", b"%PDF-1.4\n%%EOF\n")
    for key, fields in AUTHORS.items():
        archive.author(key, **fields)
    archive.brief("series-brief", date="2024-03-05", title=TITLE, authors=list(AUTHORS), series="korea-reports",
                  number=12, pdf="briefs/pdf/series-brief.pdf", summary="Allies & partners: a summary.")
    archive.brief("plain-brief", date="2024-02-01", title="A Brief Outside Any Series", authors=["jose-ortiz"])
    archive.brief("script-brief", date="2024-01-10", title=SCRIPT_TITLE, authors=["jose-ortiz"])
    archive.author("nomvula", **ONE_NAME)
    archive.brief("one-name-brief", date="2023-05-05", title="By One Name", authors=["nomvula"])
    built = archive.build()
    assert built.ok, built.messages
    return built


def export(site: BuiltSite, page: str, extension: str) -> str:
    """The file the page's citation block links with this extension, as text."""
    links = [resolve(page, a.attributes["href"]) for a in site.html(page).css(".ba-cite a[href]")]
    found = [target for target in links if target.endswith("." + extension)]
    assert len(found) == 1, links
    return site.file(found[0]).read_text(encoding="utf-8")


def latex_text(value: str) -> str:
    return Text.from_latex(value).render_as("text")


# ---------------------------------------------------------------------------------------------
# The exports, read back
# ---------------------------------------------------------------------------------------------

def test_bibtex_reads_back_through_pybtex(site: BuiltSite):
    text = export(site, SERIES_URL, "bib")
    entries = pybtex.database.parse_string(text, "bibtex").entries
    assert list(entries) == ["series-brief"]
    entry = entries["series-brief"]
    assert entry.type == "techreport"
    people = [(" ".join(p.last_names), " ".join(p.first_names)) for p in entry.persons["author"]]
    assert people == PARTS
    assert "author = {Kim, Min-ji and Ortiz, José and 김, 민지}" in text  # UTF-8 as written, no LaTeX escapes
    assert latex_text(entry.fields["title"]) == TITLE
    assert entry.fields["institution"] == SITE_NAME
    assert entry.fields["series"] == SERIES_TITLE
    assert entry.fields["number"] == "12"
    assert (entry.fields["year"], entry.fields["month"], entry.fields["date"]) == ("2024", "3", "2024-03-05")
    assert entry.fields["url"] == SITE_URL + SERIES_URL.lstrip("/")


def test_ris_reads_back_through_rispy(site: BuiltSite):
    entries = rispy.loads(export(site, SERIES_URL, "ris"))
    assert len(entries) == 1
    entry = entries[0]
    assert entry["type_of_reference"] == "RPRT"
    assert entry["title"] == TITLE
    assert entry["authors"] == [f"{family}, {given}" for family, given in PARTS]
    assert entry["publisher"] == SITE_NAME
    assert entry["tertiary_title"] == SERIES_TITLE  # T3, a report's series
    assert entry["issn"] == "12"  # SN, a report's number (rispy names the tag after its meaning for journals)
    assert (entry["year"], entry["date"]) == ("2024", "2024/03/05")
    assert entry["urls"] == [SITE_URL + SERIES_URL.lstrip("/")]
    assert entry["language"] == "en"


def csl_record(site: BuiltSite, page: str) -> dict:
    records = json.loads(export(site, page, "json"))
    assert isinstance(records, list) and len(records) == 1
    return records[0]


def test_csl_json_is_a_report_with_the_briefs_fields(site: BuiltSite):
    record = csl_record(site, SERIES_URL)
    assert record["id"] == "series-brief"
    assert record["type"] == "report"
    assert record["title"] == TITLE
    assert record["author"] == [{"family": family, "given": given} for family, given in PARTS]
    assert record["issued"] == {"date-parts": [[2024, 3, 5]]}
    assert record["publisher"] == SITE_NAME
    assert record["collection-title"] == SERIES_TITLE
    assert record["number"] == "12"
    assert record["URL"] == SITE_URL + SERIES_URL.lstrip("/")
    assert record["language"] == "en"
    assert record["abstract"] == "Allies & partners: a summary."
    assert "accessed" not in record  # a build's date would make every build differ


def formatted(record: dict, style_file: str) -> str:
    """The record as citeproc-py formats it, as plain text."""
    style = CitationStylesStyle(str(STYLES_DIR / style_file), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([record]), formatter.html)
    bibliography.register(Citation([CitationItem(record["id"])]))
    return " ".join(HTMLParser("".join(str(e) for e in bibliography.bibliography())).text().split())


def style_text(site: BuiltSite, page: str, key: str) -> str:
    block = site.html(page).css_first(f'.ba-cite [data-citation-style="{key}"] .ba-cite__text')
    assert block is not None, key
    return " ".join(block.text().split())


def test_csl_json_formats_through_citeproc_as_the_page_shows_it(site: BuiltSite):
    record = csl_record(site, SERIES_URL)
    # MLA: Latin names only, so citeproc-py's own name handling is the page's.
    mla = formatted(record, "modern-language-association.csl")
    assert mla == style_text(site, SERIES_URL, "mla")
    for part in ("Kim, Min-ji, et al.", TITLE, SITE_NAME, "5 Mar. 2024", SITE_URL + SERIES_URL.lstrip("/"), SERIES_TITLE):
        assert part in mla, (part, mla)


def test_the_page_offers_chicago_apa_and_mla(site: BuiltSite):
    block = site.html(SERIES_URL).css_first(".ba-cite")
    styles = block.css("[data-citation-style]")
    assert [s.attributes["data-citation-style"] for s in styles] == ["chicago", "apa", "mla"] == [s.key for s in STYLES]
    # Without the script, all three are shown, each labelled.
    assert not any("hidden" in s.attributes for s in styles)
    for style, expected in zip(styles, ("Chicago", "APA", "MLA")):
        label = style.css_first(".ba-cite__label")
        assert label.text(strip=True) == expected
        text = style.css_first(".ba-cite__text")
        assert text.attributes["aria-labelledby"] == label.attributes["id"]
    # The data-citation element holds the default, Chicago.
    assert block.css_first("[data-citation]").parent.attributes["data-citation-style"] == "chicago"
    # The switch: hidden until the script shows it; a legend and one radio button a style, Chicago chosen.
    switch = block.css_first("fieldset[data-citation-switch]")
    assert "hidden" in switch.attributes
    assert switch.css_first("legend").text(strip=True) == "Citation style"
    radios = switch.css('input[type="radio"]')
    assert [(r.attributes["value"], r.parent.text(strip=True)) for r in radios] == \
        [("chicago", "Chicago"), ("apa", "APA"), ("mla", "MLA")]
    assert ["checked" in r.attributes for r in radios] == [True, False, False]
    assert len({r.attributes["name"] for r in radios}) == 1


def test_each_style_names_the_authors_by_their_parts_with_series_and_number(site: BuiltSite):
    url = SITE_URL + SERIES_URL.lstrip("/")
    expected = {
        # Full given names; the first author inverted; Hangul family name first, unspaced.
        "chicago": ["Kim, Min-ji, José Ortiz, and 김민지.", TITLE, "No. 12", SERIES_TITLE, SITE_NAME, "2024", url],
        # Initials, "M.-j." for a hyphenated given name.
        "apa": ["Kim, M.-j., Ortiz, J., & 김민지. (2024).", TITLE[:20], "No. 12", SERIES_TITLE, SITE_NAME, url],
        "mla": ["Kim, Min-ji, et al.", TITLE, "no. 12", SITE_NAME, "5 Mar. 2024", url, SERIES_TITLE],
    }
    for key, parts in expected.items():
        text = style_text(site, SERIES_URL, key)
        positions = [text.find(part) for part in parts]
        assert all(p >= 0 for p in positions), (key, text, parts)
        assert positions == sorted(positions), (key, text)
        assert "<" not in text


def test_a_brief_outside_a_series_has_no_series_fields(site: BuiltSite):
    assert "series" not in pybtex.database.parse_string(export(site, PLAIN_URL, "bib"), "bibtex").entries["plain-brief"].fields
    entry = rispy.loads(export(site, PLAIN_URL, "ris"))[0]
    assert "tertiary_title" not in entry and "issn" not in entry
    record = csl_record(site, PLAIN_URL)
    assert "collection-title" not in record and "number" not in record
    assert record["author"] == [{"family": "Ortiz", "given": "José"}]
    assert style_text(site, PLAIN_URL, "chicago").startswith("Ortiz, José. ")


def test_markup_in_a_title_stays_text_in_every_style(site: BuiltSite):
    page = site.html(SCRIPT_URL)
    block = page.css_first(".ba-cite")
    for key in ("chicago", "apa", "mla"):
        text = block.css_first(f'[data-citation-style="{key}"] .ba-cite__text')
        # Only citeproc's own italics: no element came from the title.
        assert sorted(node.tag for node in text.css("*")) in (["i", "p"], ["p"]), (key, text.html)
        assert 'alert(1)</script> <b>bold</b> & "quoted"'.casefold() in text.text().casefold(), (key, text.text())
    assert not block.css("script, b")
    assert all("alert(1)" not in (s.text() or "") or s.attributes.get("type") == "application/ld+json"
               for s in page.css("script"))
    assert csl_record(site, SCRIPT_URL)["title"] == SCRIPT_TITLE
    assert latex_text(pybtex.database.parse_string(export(site, SCRIPT_URL, "bib"), "bibtex")
                      .entries["script-brief"].fields["title"]) == SCRIPT_TITLE


def meta(site: BuiltSite, page: str, name: str) -> list[str]:
    return [m.attributes["content"] for m in site.html(page).css(f'head meta[name="{name}"]')]


def test_scholar_tags_for_the_report_number_and_the_pdf(site: BuiltSite):
    assert meta(site, SERIES_URL, "citation_technical_report_number") == ["KPR No. 12"]
    assert meta(site, SERIES_URL, "citation_pdf_url") == [SITE_URL + "briefs/2024/series-brief/series-brief.pdf"]
    assert meta(site, SERIES_URL, "citation_author") == ["Kim Min-ji", "José Ortiz", "김민지"]
    assert meta(site, PLAIN_URL, "citation_technical_report_number") == []
    assert meta(site, PLAIN_URL, "citation_pdf_url") == []


def test_the_switch_script_is_published_and_loaded_by_brief_pages(site: BuiltSite):
    scripts = [s.attributes["src"] for s in site.html(SERIES_URL).css("script[src]")
               if s.attributes["src"].endswith("briefing-archive-cite.js")]
    assert len(scripts) == 1
    script = site.file(resolve(SERIES_URL, scripts[0])).read_text(encoding="utf-8")
    assert "data-citation-switch" in script and "on" + "click=" not in site.html(SERIES_URL).html
    assert not [s for s in site.html("/briefs/").css("script[src]") if "briefing-archive-cite" in s.attributes["src"]]


def test_a_single_name_is_a_family_name_everywhere(site: BuiltSite):
    assert csl_record(site, ONE_NAME_URL)["author"] == [{"family": "Nomvula"}]
    entry = pybtex.database.parse_string(export(site, ONE_NAME_URL, "bib"), "bibtex").entries["one-name-brief"]
    assert [(" ".join(p.last_names), " ".join(p.first_names)) for p in entry.persons["author"]] == [("Nomvula", "")]
    assert rispy.loads(export(site, ONE_NAME_URL, "ris"))[0]["authors"] == ["Nomvula"]
    for key in ("chicago", "apa", "mla"):
        assert style_text(site, ONE_NAME_URL, key).startswith("Nomvula. "), key


def test_a_warm_build_takes_every_formatted_reference_from_the_cache(tmp_path, monkeypatch):
    """Formatting costs ~2.5 ms a brief: a second build formats none, and its pages are the first's."""
    from archive_kit import Archive
    from briefing_archive.outputs import citation_cache

    archive = Archive(tmp_path / "archive")
    for day in range(1, 6):
        archive.brief(f"brief-{day}", date=f"2023-03-0{day}", title=f"Brief number {day}")
    first = archive.build()
    assert first.ok, first.messages
    page = first.file("/briefs/2023/brief-3/").read_bytes()
    assert (archive.root / ".cache/briefing-archive/citations.json").is_file()
    formatted: list[int] = []
    original = citation_cache._format
    monkeypatch.setattr(citation_cache, "_format", lambda records, **options: formatted.append(len(records)) or original(records, **options))
    second = archive.build()
    assert second.ok and formatted == []
    assert second.file("/briefs/2023/brief-3/").read_bytes() == page
    archive.brief("brief-3", date="2023-03-03", title="Brief number three, retitled")
    third = archive.build()
    assert third.ok and formatted == [1]  # only the retitled brief's reference is formatted again
    assert "Retitled" in third.html("/briefs/2023/brief-3/").css_first("[data-citation]").text()  # Chicago: title case
