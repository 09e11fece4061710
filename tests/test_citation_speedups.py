"""The speed-ups of citeproc-py (outputs/citeproc_speedups.py) format every reference as citeproc-py
as released does, byte for byte: the plain path, each style parsed afresh for each record alone.

- every brief of a generated archive (200) and of the sample content (a Korean translation,
  authors named by their parts), and records that take the styles' other branches (other types,
  editors instead of authors, no author, no date, an uncertain date, many authors, page ranges,
  another language), formatted one after another so that what one kept serves the next;
- a style parsed apart from ours, in the same process, is left to citeproc-py's own code;
- the speed-ups are at work (a reference formatted again asks citeproc-py's conditions nothing),
  and a plain build (`speed_ups: false`) formats without them, the same citation blocks.
(`python -m bench.citations --briefs 1000 --compare` is the longer run of the first.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from citeproc import model
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from archive_kit import Archive
from briefing_archive.catalogue import ArchivePaths, load_archive
from briefing_archive.outputs import citation_styles
from briefing_archive.outputs.citations import csl_record
from test_bench import generate

REPO = Path(__file__).resolve().parent.parent
PUBLISHER = "Meridian Institute for Security Studies"
SITE_URL = "https://briefs.meridian.example/"

pytestmark = pytest.mark.skipif(not citation_styles.PATCHED, reason="the speed-ups are made on citeproc-py 0.11.1 only")

TWO_AUTHORS = [{"family": "Kim", "given": "Min-ji"}, {"family": "van der Berg", "given": "Piet"}]
EDITORS = [{"family": "Smith", "given": "Ann"}, {"family": "Lee", "given": "Joon"}]
# CSL-JSON our briefs never make, for the branches of the styles they never reach.
OTHER_RECORDS = [
    {"id": "article", "type": "article-journal", "title": "On the sanctions regime: a review of the evidence",
     "author": TWO_AUTHORS, "container-title": "Journal of Security Studies", "volume": "12", "issue": "3",
     "page": "101-129", "DOI": "10.1000/xyz", "issued": {"date-parts": [[2021, 5]]}, "language": "en"},
    {"id": "edited-book", "type": "book", "title": "Deterrence in the age of cyber", "editor": EDITORS[:1],
     "publisher": "Meridian Press", "publisher-place": "Washington, DC", "edition": "2",
     "issued": {"date-parts": [[2019]]}},
    {"id": "webpage", "type": "webpage", "title": "Sanctions tracker", "container-title": "Meridian",
     "URL": "https://example.org/tracker", "accessed": {"date-parts": [[2024, 1, 15]]}},
    {"id": "chapter", "type": "chapter", "title": "Allies and partners", "author": TWO_AUTHORS[:1],
     "editor": EDITORS, "container-title": "A handbook of alliances", "page": "1045-1067",
     "publisher": "Meridian Press", "issued": {"date-parts": [[2018, 3, 2]]}},
    {"id": "many-hands", "type": "report", "title": "A report by many hands",
     "author": [{"family": f"Author{i}", "given": "Given"} for i in range(12)], "publisher": "Meridian",
     "issued": {"date-parts": [[2022, 11, 30]]}, "number": "WP-12a", "collection-title": "Working Papers"},
    {"id": "circa", "type": "report", "title": "Le régime des sanctions", "author": TWO_AUTHORS[1:],
     "issued": {"date-parts": [[1998]], "circa": 1}, "language": "fr", "publisher": "Meridian"},
    {"id": "anonymous", "type": "report", "title": "Without an author or a date", "publisher": "Meridian"},
    # The same variables, empty and then not: what prints nothing for one prints for the other.
    {"id": "empty-values", "type": "thesis", "title": "", "publisher": "", "genre": "", "medium": "", "issued": {"date-parts": [[2020]]}},
    {"id": "full-values", "type": "thesis", "title": "A thesis", "publisher": "Yonsei University", "genre": "PhD thesis",
     "medium": "Print", "issued": {"date-parts": [[2020]]}},
    {"id": "hangul-and-one-name", "type": "report", "title": 'Markup <b>stays</b> & "text"',
     "author": [{"family": "김", "given": "민지"}, {"family": "Nomvula"}, {"family": "Ortiz", "given": "José"}],
     "issued": {"date-parts": [[2024, 3, 5]]}, "publisher": PUBLISHER, "genre": "Policy Brief",
     "collection-title": "Korea Program Reports", "number": "12", "language": "ko"},
]


def records(root: Path) -> list[dict]:
    catalogue = load_archive(ArchivePaths.at(root), site_name=PUBLISHER).catalogue
    return [csl_record(brief, PUBLISHER, SITE_URL) for brief in catalogue.every]


@pytest.fixture(scope="module")
def every_record(tmp_path_factory) -> list[dict]:
    generated = tmp_path_factory.mktemp("generated")
    generate(generated, 200)
    sample = records(REPO)
    found = records(generated) + sample + OTHER_RECORDS
    # What the sample content must bring: a translation, authors named by their parts.
    assert any(record["language"] == "ko" for record in sample)
    assert {"family": "Kim", "given": "Min-ji"} in [name for record in sample for name in record["author"]]
    assert len(found) > 230
    return found


def html(record: dict, speed_ups: bool = True) -> list[str]:
    return [citation.html for citation in citation_styles.render(record, speed_ups=speed_ups)]


def test_the_speed_ups_format_every_reference_as_citeproc_as_released(every_record: list[dict]):
    for record in every_record:
        assert html(record) == html(record, speed_ups=False), record["id"]


def test_a_style_parsed_apart_is_left_to_citeproc(every_record: list[dict], monkeypatch: pytest.MonkeyPatch):
    """Not one of ours (a test's, a hook's): every patched method hands its elements to
    citeproc-py's own code, and what is kept for ours is never given to it."""
    ours = {id(record): html(record) for record in every_record}
    monkeypatch.setattr(citation_styles, "_style", citation_styles._parsed)  # a new parse each time
    for record in every_record[::10] + OTHER_RECORDS:
        assert html(record) == ours[id(record)], record["id"]


def test_the_speed_ups_are_at_work(monkeypatch: pytest.MonkeyPatch):
    """A reference formatted again, as every brief of an archive is after the first of its kind,
    has the styles' conditions on its type and variables answered without asking citeproc-py
    (only those on a variable's value are asked again); the plain path asks them all."""
    asked: list[str] = []
    original = model.If._type
    monkeypatch.setattr(model.If, "_type", lambda self, item: asked.append(item.key) or original(self, item))
    record = OTHER_RECORDS[0]
    html(record)
    counts = []
    for speed_ups in (True, False):
        asked.clear()
        html(record, speed_ups)
        counts.append(len(asked))
    again, plain = counts
    assert again * 20 < plain  # 2 and 126 with citeproc-py 0.11.1


def citation_blocks(site) -> list[str]:
    return [HTMLParser(site.file(url).read_text(encoding="utf-8")).css_first(".ba-cite").html
            for url in ("/briefs/2024/one/", "/briefs/2023/two/")]


def test_a_plain_build_formats_without_the_speed_ups_the_same_citations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    asked: list[bool] = []
    render = citation_styles.render
    monkeypatch.setattr(citation_styles, "render",
                        lambda record, *, speed_ups=True, **options: asked.append(speed_ups) or render(
                            record, speed_ups=speed_ups, **options))
    sites = {}
    for speed_ups in (True, False):
        archive = Archive(tmp_path / str(speed_ups), plugin_options={"speed_ups": speed_ups})
        archive.author("kim-hangul", name="김민지", family="김", given="민지")
        archive.brief("one", date="2024-03-05", title="Deterrence & Dialogue", authors=["min-ji-kim", "kim-hangul"])
        archive.brief("two", date="2023-01-10", title="A Second Brief", authors=["sam-ortiz"])
        asked.clear()
        built = archive.build()
        assert built.ok, built.messages
        assert asked == [speed_ups, speed_ups]
        sites[speed_ups] = citation_blocks(built)
    assert sites[True] == sites[False]
    assert "김민지" in sites[True][0]
