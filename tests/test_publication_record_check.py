"""The loader's checks of the publication record (SPEC §2–3): series and numbers, corrections,
translations and languages, PDF editions, authors' name parts, and scheduled briefs.

Each test writes a small archive and reads `load_archive(...).report`: the exact path, line and
words an editor sees, as `briefs check` and the build print them.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
import yaml

from archive_kit import Archive
from briefing_archive.catalogue import ArchivePaths, LoadedArchive, load_archive
from briefing_archive.catalogue.loader import PDF_LIMIT, build_date

P = "content/briefs/2024/x.md"
TODAY = date(2025, 1, 1)  # every brief of these tests is older, unless a test says otherwise
SERIES = {"kpr": {"title": "Korea Program Report", "short": "KPR"},
          "sanctions-watch": {"title": "Sanctions Watch"}}


def fm(*lines: str, body: str = "Body text of the brief.\n") -> str:
    """A Markdown file whose front matter is `lines`: line 1 is '---', lines[0] is line 2."""
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


def brief(*extra: str, date: str = "2024-03-05", title: str = "A Brief", body: str = "Body text of the brief.\n") -> str:
    """A valid brief: title, date, type, authors, topics on lines 2–6, then `extra` from line 7."""
    return fm(f"title: {title}", f"date: {date}", "type: policy-brief", "authors: [min-ji-kim, sam-ortiz]",
              "topics: [cyber, sanctions, north-korea]", *extra, body=body)


@pytest.fixture
def kit(archive: Archive) -> Archive:
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs),
                        ("series", SERIES)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))
    return archive


def load(archive: Archive, **options) -> LoadedArchive:
    options.setdefault("today", TODAY)
    return load_archive(ArchivePaths.at(archive.root), **options)


def problems(archive: Archive, severity: str = "error", **options) -> list[str]:
    return [str(p) for p in load(archive, **options).report.sorted() if p.severity == severity]


def only_problem(archive: Archive, severity: str = "error") -> str:
    found = problems(archive, severity)
    assert len(found) == 1, found
    return found[0]


def test_the_kit_itself_is_clean(kit: Archive):
    kit.write(P, brief("series: kpr", "number: 1", "language: en"))
    assert [str(p) for p in load(kit).report.problems] == []


# --- series and numbers -------------------------------------------------------------------------

SERIES_CASES = {
    "unknown series": (brief("series: kpx", "number: 1"),
                       f"{P}:7: error: unknown series 'kpx' (did you mean 'kpr'?) — the series are listed in site_config/series.yml"),
    "series by its title": (brief("series: Sanctions Watch", "number: 1"),
                            f"{P}:7: error: unknown series 'Sanctions Watch' (did you mean 'sanctions-watch'?) — the series are listed in site_config/series.yml"),
    "series without number": (brief("series: kpr"),
                              f"{P}:7: error: a brief of a series needs its number: add a line like 'number: 1' below 'series'"),
    "number without series": (brief("number: 3"),
                              f"{P}:7: error: 'number' is the brief's number in a series: add 'series: <key>' (site_config/series.yml) or remove it"),
    "number zero": (brief("series: kpr", "number: 0"),
                    f"{P}:8: error: 'number' must be a whole number from 1 up, like 'number: 12', not '0'"),
    "number negative": (brief("series: kpr", "number: -2"),
                        f"{P}:8: error: 'number' must be a whole number from 1 up, like 'number: 12', not '-2'"),
    "number as text": (brief("series: kpr", "number: twelve"),
                       f"{P}:8: error: 'number' must be a whole number from 1 up, like 'number: 12', not 'twelve'"),
    "number with a fraction": (brief("series: kpr", "number: 1.5"),
                               f"{P}:8: error: 'number' must be a whole number from 1 up, like 'number: 12', not '1.5'"),
    "number true": (brief("series: kpr", "number: true"),
                    f"{P}:8: error: 'number' must be a whole number from 1 up, like 'number: 12', not 'True'"),
}


@pytest.mark.parametrize("text, expected", SERIES_CASES.values(), ids=SERIES_CASES.keys())
def test_series_and_number_problems(kit: Archive, text, expected):
    kit.write(P, text)
    assert only_problem(kit) == expected


def test_a_number_taken_twice_names_both_files(kit: Archive):
    kit.write("content/briefs/2024/a.md", brief("series: kpr", "number: 4"))
    kit.write("content/briefs/2024/b.md", brief("series: kpr", "number: 4"))
    kit.write("content/briefs/2024/c.md", brief("series: sanctions-watch", "number: 4"))  # another series
    assert problems(kit) == [
        "content/briefs/2024/a.md:8: error: number 4 of series 'kpr' is also used by content/briefs/2024/b.md; each number is used once in a series",
        "content/briefs/2024/b.md:8: error: number 4 of series 'kpr' is already used by content/briefs/2024/a.md; each number is used once in a series",
    ]


def test_a_draft_or_scheduled_brief_takes_its_number_too(kit: Archive):
    kit.write("content/briefs/2024/a.md", brief("series: kpr", "number: 4", "draft: true"))
    kit.write("content/briefs/2025/b.md", brief("series: kpr", "number: 4", date="2025-06-01"))
    assert [p.split(": error: ")[0] for p in problems(kit)] == ["content/briefs/2024/a.md:8", "content/briefs/2025/b.md:8"]


def test_a_translation_shares_its_originals_number(kit: Archive):
    kit.write("content/briefs/2024/a.md", brief("series: kpr", "number: 4"))
    kit.write("content/briefs/2024/a-ko.md", brief("series: kpr", "number: 4", "language: ko", "translation_of: a"))
    assert problems(kit) == []


def test_series_without_a_series_file_is_unknown(kit: Archive):
    (kit.root / "site_config" / "series.yml").unlink()
    kit.write(P, brief("series: kpr", "number: 1"))
    assert only_problem(kit) == f"{P}:7: error: unknown series 'kpr' — the series are listed in site_config/series.yml"


def test_a_series_file_entry_needs_a_title(kit: Archive):
    kit.write("site_config/series.yml", "kpr:\n  short: KPR\n  colour: red\n")
    assert problems(kit) == [
        "site_config/series.yml:2: error: missing required field 'title' (add a line like 'title: Korea Program Report')",
        "site_config/series.yml:3: error: unknown field 'colour' in 'kpr' (allowed: title, short, description)",
    ]


# --- corrections --------------------------------------------------------------------------------

CORRECTION_CASES = {
    "before the brief's date": (brief("corrections:", "  - date: 2024-03-01", "    note: A figure."),
                                f"{P}:8: error: the correction dated 2024-03-01 is before the brief's date (2024-03-05)"),
    "bad date": (brief("corrections:", "  - date: 03/06/2024", "    note: A figure."),
                 f"{P}:8: error: a correction's date must be written YYYY-MM-DD, like 2023-06-30, not '03/06/2024'"),
    "date not real": (brief("corrections:", "  - date: 2024-02-30", "    note: A figure."),
                      f"{P}:8: error: a correction's date is not a real calendar date: '2024-02-30'"),
    "no date": (brief("corrections:", "  - note: A figure."),
                f"{P}:8: error: a correction needs its date, like 'date: 2023-06-30'"),
    "no note": (brief("corrections:", "  - date: 2024-04-01"),
                f"{P}:8: error: a correction needs a note saying what was corrected, like 'note: The figure for 2022 was corrected.'"),
    "empty note": (brief("corrections:", "  - {date: 2024-04-01, note: ' '}"),
                   f"{P}:8: error: a correction needs a note saying what was corrected, like 'note: The figure for 2022 was corrected.'"),
    "unknown key": (brief("corrections:", "  - date: 2024-04-01", "    notes: A figure."),
                    f"{P}:8: error: unknown field 'notes' in a correction (did you mean 'note'?)"),
    "misspelt date": (brief("corrections:", "  - dat: 2024-04-01", "    note: A figure."),
                      f"{P}:8: error: unknown field 'dat' in a correction (did you mean 'date'?)"),
    "unknown key beside both": (brief("corrections:", "  - {date: 2024-04-01, note: A figure., by: sam}"),
                                f"{P}:8: error: unknown field 'by' in a correction (a correction has a date and a note)"),
    "not a mapping": (brief("corrections:", "  - 2024-04-01 A figure."),
                      f"{P}:8: error: each correction is a date and a note, like '- {{date: 2023-06-30, note: The figure for 2022 was corrected.}}'"),
    "not a list": (brief("corrections: A figure."), f"{P}:7: error: 'corrections' must be a list, like 'corrections: [A figure.]'"),
    "out of order": (brief("corrections:", "  - {date: 2024-05-01, note: Second.}", "  - {date: 2024-04-01, note: First.}"),
                     f"{P}:9: error: corrections are listed oldest first; the one dated 2024-04-01 comes before 2024-05-01"),
}


@pytest.mark.parametrize("text, expected", CORRECTION_CASES.values(), ids=CORRECTION_CASES.keys())
def test_correction_problems(kit: Archive, text, expected):
    kit.write(P, text)
    assert only_problem(kit) == expected


def test_corrections_are_read_in_order(kit: Archive):
    kit.write(P, brief("corrections:", "  - {date: 2024-03-05, note: Same day.}", "  - date: 2024-06-01",
                       "    note: '  A later one.  '"))
    x = load(kit).catalogue.briefs["x"]
    assert [(c.date, c.note) for c in x.corrections] == [(date(2024, 3, 5), "Same day."), (date(2024, 6, 1), "A later one.")]
    assert x.corrected == date(2024, 6, 1)


# --- languages and translations -----------------------------------------------------------------

ORIGINAL = "content/briefs/2024/original.md"
KO = "content/briefs/2024/x.md"


@pytest.mark.parametrize("tag", ["en_US", "english", "EN", "e", "ko-kr", "pt-br-x"])
def test_a_malformed_language_tag(kit: Archive, tag):
    kit.write(P, brief(f"language: {tag}"))
    assert only_problem(kit) == f"{P}:7: error: 'language' must be a language tag like 'en', 'ko' or 'pt-BR', not '{tag}'"


@pytest.mark.parametrize("tag", ["en", "ko", "pt-BR", "zh-Hant-TW", "es-419", "fil"])
def test_well_formed_language_tags(kit: Archive, tag):
    kit.write(P, brief(f"language: {tag}"))
    assert problems(kit) == []
    assert load(kit).catalogue.briefs["x"].language == tag


def test_the_sites_language_is_the_default(kit: Archive):
    kit.write(P, brief())
    assert load(kit, language="fr").catalogue.briefs["x"].language == "fr"


def translation_cases() -> dict[str, tuple[dict[str, str], str]]:
    original = brief(title="The Original")
    return {
        "unknown original": ({ORIGINAL: original, KO: brief("language: ko", "translation_of: orignal")},
                             f"{KO}:8: error: unknown brief 'orignal' in translation_of (did you mean 'original'?)"),
        "of itself": ({KO: brief("language: ko", "translation_of: x")},
                      f"{KO}:8: error: a brief cannot be a translation of itself"),
        "of a translation": ({ORIGINAL: original,
                              "content/briefs/2024/original-fr.md": brief("language: fr", "translation_of: original"),
                              KO: brief("language: ko", "translation_of: original-fr")},
                             f"{KO}:8: error: 'original-fr' is itself a translation (of 'original'); name the original, 'original'"),
        "same language": ({ORIGINAL: original, KO: brief("language: en", "translation_of: original")},
                          f"{KO}:7: error: a translation must be in another language than its original; both are 'en' (set 'language', like 'language: ko')"),
        "same language by default": ({ORIGINAL: original, KO: brief("translation_of: original")},
                                     f"{KO}:7: error: a translation must be in another language than its original; both are 'en' (set 'language', like 'language: ko')"),
        "second into one language": ({ORIGINAL: original,
                                      "content/briefs/2024/original-ko.md": brief("language: ko", "translation_of: original"),
                                      KO: brief("language: ko", "translation_of: original")},
                                     f"{KO}:8: error: 'original' already has a translation into 'ko': content/briefs/2024/original-ko.md; keep one"),
        "not a slug": ({KO: brief("language: ko", "translation_of: The Original")},
                       f"{KO}:8: error: 'The Original' is not a brief slug (the original's file name without .md)"),
    }


@pytest.mark.parametrize("case", translation_cases().keys())
def test_translation_problems(kit: Archive, case):
    files, expected = translation_cases()[case]
    for path, text in files.items():
        kit.write(path, text)
    assert only_problem(kit) == expected


def test_a_translation_of_a_broken_original_adds_no_error_of_its_own(kit: Archive):
    kit.write(ORIGINAL, brief(title="The Original", date="2023-03-05"))  # in the wrong year's folder
    kit.write(KO, brief("language: ko", "translation_of: original"))
    assert [p.split(": error: ")[0] for p in problems(kit)] == [f"{ORIGINAL}:3"]


def test_translations_into_two_languages_are_fine(kit: Archive):
    kit.write(ORIGINAL, brief(title="The Original"))
    kit.write(KO, brief("language: ko", "translation_of: original"))
    kit.write("content/briefs/2024/y.md", brief("language: fr", "translation_of: original"))
    loaded = load(kit)
    assert problems(kit) == []
    assert [b.slug for b in loaded.catalogue.translations["original"]] == ["y", "x"]  # by language: fr, ko
    assert [b.slug for b in loaded.catalogue.latest] == ["original"]


def test_a_translation_whose_original_is_a_draft_is_left_out(kit: Archive):
    kit.write(ORIGINAL, brief("draft: true", title="The Original"))
    kit.write(KO, brief("language: ko", "translation_of: original"))
    assert problems(kit) == []
    assert sorted(load(kit).catalogue.briefs) == []
    assert sorted(load(kit, include_drafts=True).catalogue.briefs) == ["original", "x"]


def test_a_translation_whose_original_is_scheduled_is_left_out(kit: Archive):
    kit.write("content/briefs/2025/original.md", brief(title="The Original", date="2025-02-01"))
    kit.write("content/briefs/2025/x.md", brief("language: ko", "translation_of: original", date="2025-01-01"))
    assert sorted(load(kit).catalogue.briefs) == []


# --- PDF editions -------------------------------------------------------------------------------

def pdf(archive: Archive, relative: str, content: bytes = b"%PDF-1.7\n%%EOF\n") -> Path:
    return archive.write(f"content/{relative}", content)


def test_a_pdf_edition_is_accepted(kit: Archive):
    pdf(kit, "briefs/pdf/x.pdf")
    kit.write(P, brief("pdf: briefs/pdf/x.pdf"))
    assert problems(kit) == []
    assert load(kit).catalogue.briefs["x"].pdf == "briefs/pdf/x.pdf"


PDF_CASES = {
    "missing": ("pdf: briefs/pdf/nope.pdf", f"{P}:7: error: the PDF 'content/briefs/pdf/nope.pdf' does not exist"),
    "not .pdf": ("pdf: briefs/pdf/x.docx", f"{P}:7: error: 'pdf' must name a .pdf file, not 'briefs/pdf/x.docx'"),
    "outside content": ("pdf: ../x.pdf", f"{P}:7: error: 'pdf' must be a path inside content/, like 'briefs/pdf/x.pdf'"),
    "absolute": ("pdf: /etc/x.pdf", f"{P}:7: error: 'pdf' must be a path inside content/, like 'briefs/pdf/x.pdf'"),
    "not a PDF inside": ("pdf: briefs/pdf/fake.pdf", f"{P}:7: error: 'content/briefs/pdf/fake.pdf' is not a PDF file (it does not start as one)"),
    "too large": ("pdf: briefs/pdf/huge.pdf", f"{P}:7: error: the PDF 'content/briefs/pdf/huge.pdf' is larger than 50 MB; make a smaller edition for the web"),
    "not text": ("pdf: [a.pdf]", f"{P}:7: error: 'pdf' must be text"),
}


@pytest.mark.parametrize("line, expected", PDF_CASES.values(), ids=PDF_CASES.keys())
def test_pdf_problems(kit: Archive, line, expected):
    pdf(kit, "briefs/pdf/x.docx", b"PK\x03\x04")
    pdf(kit, "briefs/pdf/fake.pdf", b"<html>not a pdf</html>")
    kit.write("x.pdf", b"%PDF-1.7\n")  # beside content/, where ../x.pdf points
    huge = pdf(kit, "briefs/pdf/huge.pdf")
    os.truncate(huge, PDF_LIMIT + 1)  # sparse: the size without writing 50 MB
    kit.write(P, brief(line))
    assert only_problem(kit) == expected


def test_a_pdf_of_exactly_50_mb_is_accepted(kit: Archive):
    os.truncate(pdf(kit, "briefs/pdf/x.pdf"), PDF_LIMIT)
    kit.write(P, brief("pdf: briefs/pdf/x.pdf"))
    assert problems(kit) == []


# --- authors' name parts ------------------------------------------------------------------------

def test_authors_family_and_given_names_are_accepted(kit: Archive):
    kit.write("content/authors/min-ji-kim.md", fm("name: Kim Min-ji (김민지)", "family: Kim", "given: Min-ji"))
    kit.write(P, brief())
    assert problems(kit) == []
    assert load(kit).catalogue.authors["min-ji-kim"].name_parts == ("Kim", "Min-ji")
    assert load(kit).catalogue.authors["sam-ortiz"].name_parts == ("Ortiz", "Sam")


def test_unknown_author_fields_are_still_refused(kit: Archive):
    kit.write("content/authors/min-ji-kim.md", fm("name: Kim Min-ji", "familly: Kim", "given_name: Min-ji"))
    kit.write(P, brief())
    assert problems(kit) == [
        "content/authors/min-ji-kim.md:3: error: unknown field 'familly' in an author profile (did you mean 'family'?)",
        "content/authors/min-ji-kim.md:4: error: unknown field 'given_name' in an author profile (did you mean 'given'?)",
    ]


# --- scheduled briefs ---------------------------------------------------------------------------

def test_a_scheduled_brief_is_left_out_and_noted(kit: Archive):
    kit.write("content/briefs/2024/now.md", brief(date="2024-12-31"))
    kit.write("content/briefs/2025/later.md", brief(date="2025-01-05"))
    loaded = load(kit)
    assert sorted(loaded.catalogue.briefs) == ["now"]
    assert sorted(loaded.briefs) == ["later", "now"]  # checked all the same
    assert [str(p) for p in loaded.report.problems] == [
        "content/briefs/2025/later.md:3: note: scheduled: published by the first build on or after 2025-01-05"]
    assert load(kit, today=date(2025, 1, 5)).catalogue.briefs.keys() == {"now", "later"}
    assert [p for p in load(kit, today=date(2025, 1, 5)).report.problems] == []


def test_a_note_is_neither_an_error_nor_a_warning(kit: Archive):
    kit.write("content/briefs/2024/now.md", brief(date="2024-12-31", body=""))  # a warning: no text
    kit.write("content/briefs/2025/later.md", brief(date="2025-01-05"))
    report = load(kit).report
    assert [p.line for p in report.notes] == [3] and [p.line for p in report.warnings] == [7]
    assert report.errors == []


def test_drafts_shown_include_scheduled_briefs_marked(kit: Archive):
    kit.write("content/briefs/2025/later.md", brief(date="2025-01-05"))
    later = load(kit, include_drafts=True).catalogue.briefs["later"]
    assert later.scheduled and not later.draft


def test_a_scheduled_draft_is_not_noted(kit: Archive):
    kit.write("content/briefs/2025/later.md", brief("draft: true", date="2025-01-05"))
    assert problems(kit, "note") == []


def test_the_build_date_is_today_in_utc_or_source_date_epoch():
    assert build_date({"SOURCE_DATE_EPOCH": "1893456000"}) == date(2030, 1, 1)
    assert build_date({"SOURCE_DATE_EPOCH": "1893455999"}) == date(2029, 12, 31)  # 23:59:59 UTC
    from datetime import datetime, timezone
    before = datetime.now(tz=timezone.utc).date()
    found = build_date({})
    assert found in (before, datetime.now(tz=timezone.utc).date())


def test_load_archive_takes_its_date_from_source_date_epoch(kit: Archive, monkeypatch):
    kit.write("content/briefs/2025/later.md", brief(date="2025-01-05"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1736035200")  # 2025-01-05 00:00 UTC
    assert "later" in load_archive(ArchivePaths.at(kit.root)).catalogue.briefs
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1736035199")  # a second earlier
    assert "later" not in load_archive(ArchivePaths.at(kit.root)).catalogue.briefs


def test_a_wiki_link_to_a_scheduled_brief_is_an_error(kit: Archive):
    kit.write("content/briefs/2024/now.md", brief(date="2024-12-31", body="See [[later]].\n"))
    kit.write("content/briefs/2025/later.md", brief(date="2025-01-05"))
    assert problems(kit) == ["content/briefs/2024/now.md:8: error: wiki-link to 'later', which is scheduled for 2025-01-05: "
                             "readers would get a dead link until then"]


def test_a_scheduled_brief_may_link_an_earlier_scheduled_one(kit: Archive):
    kit.write("content/briefs/2025/first.md", brief(date="2025-01-05"))
    kit.write("content/briefs/2025/second.md", brief(date="2025-01-09", body="After [[first]].\n"))
    assert problems(kit) == []
