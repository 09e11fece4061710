"""`briefs schema`: a JSON Schema of brief front matter made from the vocabularies.

Validated with `jsonschema` (draft 2020-12, formats checked): every brief the catalogue accepts
passes it, and the usual mistakes fail it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker

from archive_kit import Archive
from briefing_archive.catalogue import ArchivePaths, load_archive
from briefing_archive.cli import main
from briefing_archive.schema import brief_schema

REPO = Path(__file__).resolve().parent.parent


SERIES = {"kpr": {"title": "Korea Program Report", "short": "KPR"}, "sanctions-watch": {"title": "Sanctions Watch"}}


def write_config(archive: Archive) -> None:
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs),
                        ("series", SERIES)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))


def front_matter(text: str) -> dict[str, Any]:
    """Front matter as an editor's YAML tooling sees it (YAML 1.2: dates are strings)."""
    data = yaml.safe_load(text.split("---\n")[1])
    return json.loads(json.dumps(data, default=str))


@pytest.fixture
def schema(archive: Archive) -> dict[str, Any]:
    write_config(archive)
    return brief_schema(load_archive(ArchivePaths.at(archive.root)).catalogue)


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=FormatChecker())


GOOD = {"title": "Allied Cyber Talks", "date": "2023-06-26", "type": "policy-brief",
        "authors": ["min-ji-kim", "sam-ortiz"], "topics": ["cyber", "north-korea"], "program": "ccti",
        "summary": "A dialogue.", "updated": "2023-07-01", "related": ["other-brief"],
        "aliases": ["/analysis/2023/old-name/"], "draft": False}


def test_the_schema_is_a_valid_2020_12_schema(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    Draft7Validator.check_schema(schema)  # editors' tools mostly implement draft-07: same meaning there


def test_it_is_made_from_the_vocabularies(schema):
    properties = schema["properties"]
    assert properties["topics"]["items"]["enum"] == ["cyber", "cybersecurity", "north-korea", "sanctions"]
    assert properties["authors"]["items"]["enum"] == ["min-ji-kim", "sam-ortiz"]
    assert properties["authors"]["items"]["enumDescriptions"] == ["Min-ji Kim", "Sam Ortiz"]
    assert properties["type"]["enum"] == ["analysis", "policy-brief"]
    assert properties["program"]["enum"] == ["ccti"]
    assert schema["required"] == ["title", "date", "type", "authors", "topics"]
    assert schema["additionalProperties"] is False
    assert properties["date"]["format"] == "date"


def test_a_good_brief_validates(schema):
    assert list(validator(schema).iter_errors(GOOD)) == []
    minimal = {k: GOOD[k] for k in schema["required"]}
    assert list(validator(schema).iter_errors(minimal)) == []


def test_a_brief_written_by_the_kit_validates(archive: Archive, schema):
    path = archive.brief("kit-brief", topics=["cybersecurity", "sanctions"], program="ccti")
    validator(schema).validate(front_matter(path.read_text(encoding="utf-8")))


BAD = {
    "unknown topic": ({"topics": ["cybersecurty"]}, "topics"),
    "author name instead of key": ({"authors": ["Sam Ortiz"]}, "authors"),
    "author twice": ({"authors": ["sam-ortiz", "sam-ortiz"]}, "authors"),
    "no topics": ({"topics": []}, "topics"),
    "topics not a list": ({"topics": "cyber"}, "topics"),
    "unknown type": ({"type": "polcy-brief"}, "type"),
    "unknown program": ({"program": "cct"}, "program"),
    "misspelt field": ({"topic": ["cyber"]}, ""),
    "date not ISO": ({"date": "26/06/2023"}, "date"),
    "date not real": ({"date": "2023-02-30"}, "date"),
    "empty title": ({"title": " "}, "title"),
    "draft not boolean": ({"draft": "maybe"}, "draft"),
    "related not a slug": ({"related": ["Other Brief"]}, "related"),
    "alias not a path": ({"aliases": ["https://elsewhere.example/"]}, "aliases"),
}


@pytest.mark.parametrize("change, where", BAD.values(), ids=BAD.keys())
def test_a_bad_brief_is_rejected(schema, change, where):
    errors = list(validator(schema).iter_errors({**GOOD, **change}))
    assert errors
    assert {(e.absolute_path[0] if e.absolute_path else "") for e in errors} == {where}


def test_a_missing_field_is_rejected(schema):
    brief = {k: v for k, v in GOOD.items() if k != "authors"}
    assert [e.message for e in validator(schema).iter_errors(brief)] == ["'authors' is a required property"]


def test_every_brief_of_the_project_validates():
    loaded = load_archive(ArchivePaths.at(REPO))
    check = validator(brief_schema(loaded.catalogue))
    for source in loaded.sources.values():
        data = json.loads(json.dumps(source.meta.data, default=str))
        assert list(check.iter_errors(data)) == [], source.path


# --- the command ----------------------------------------------------------------------------------

def test_briefs_schema_prints_the_schema(archive: Archive, schema, capsys):
    assert main(["schema", "--root", str(archive.root)]) == 0
    assert json.loads(capsys.readouterr().out) == schema


def test_briefs_schema_writes_a_file(archive: Archive, schema, capsys):
    target = archive.root / ".vscode" / "brief.schema.json"
    assert main(["schema", "--root", str(archive.root), "--output", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == schema
    assert capsys.readouterr().out == ""


def test_briefs_schema_says_when_a_vocabulary_is_broken(archive: Archive, schema, capsys):
    archive.write("site_config/topics.yml", "cyber:\n  title: Cyber\nBad Key:\n  title: Bad\n")
    assert main(["schema", "--root", str(archive.root)]) == 1
    out, err = capsys.readouterr()
    assert "site_config/topics.yml:3: error: key 'Bad Key'" in err
    assert json.loads(out)["properties"]["topics"]["items"]["enum"] == ["cyber"]


# --- the publication record's fields ------------------------------------------------------------

RECORD = {**GOOD, "series": "kpr", "number": 12, "language": "pt-BR", "translation_of": "allied-cyber-talks",
          "pdf": "briefs/pdf/allied-cyber-talks.pdf",
          "corrections": [{"date": "2023-06-30", "note": "The figure for 2022 was corrected."},
                          {"date": "2023-07-02", "note": "A name was misspelt."}]}


def both(schema: dict[str, Any]) -> list:
    """The schema under 2020-12 and under draft-07, which most editors' tools implement."""
    from jsonschema import Draft7Validator
    return [validator(schema), Draft7Validator(schema, format_checker=FormatChecker())]


def test_the_series_are_listed_with_their_titles(schema):
    series = schema["properties"]["series"]
    assert series["enum"] == ["kpr", "sanctions-watch"]
    assert series["enumDescriptions"] == ["Korea Program Report (KPR)", "Sanctions Watch"]


def test_the_language_pattern_is_the_loaders(schema):
    from briefing_archive.catalogue.loader import LANGUAGE_TAG
    assert schema["properties"]["language"]["pattern"] == LANGUAGE_TAG.pattern


def test_the_publication_record_validates(schema):
    for check in both(schema):
        assert list(check.iter_errors(RECORD)) == []
        assert list(check.iter_errors({**GOOD, "language": "ko"})) == []


RECORD_BAD = {
    "unknown series": ({"series": "kpx"}, "series"),
    "number zero": ({"number": 0}, "number"),
    "number as text": ({"number": "12"}, "number"),
    "number with a fraction": ({"number": 1.5}, "number"),
    "number true": ({"number": True}, "number"),
    "corrections not a list": ({"corrections": "Fixed a figure."}, "corrections"),
    "correction without note": ({"corrections": [{"date": "2023-06-30"}]}, "corrections"),
    "correction with an empty note": ({"corrections": [{"date": "2023-06-30", "note": " "}]}, "corrections"),
    "correction without date": ({"corrections": [{"note": "Fixed."}]}, "corrections"),
    "correction with a bad date": ({"corrections": [{"date": "30/06/2023", "note": "Fixed."}]}, "corrections"),
    "correction with another field": ({"corrections": [{"date": "2023-06-30", "note": "Fixed.", "by": "sam"}]},
                                      "corrections"),
    "language with underscore": ({"language": "en_US"}, "language"),
    "language as a word": ({"language": "english"}, "language"),
    "language upper case": ({"language": "EN"}, "language"),
    "translation_of not a slug": ({"translation_of": "Allied Cyber Talks"}, "translation_of"),
    "pdf not a pdf": ({"pdf": "briefs/pdf/x.docx"}, "pdf"),
    "pdf outside content": ({"pdf": "../x.pdf"}, "pdf"),
    "pdf further outside": ({"pdf": "briefs/../../x.pdf"}, "pdf"),
    "pdf absolute": ({"pdf": "/etc/x.pdf"}, "pdf"),
}


@pytest.mark.parametrize("change, where", RECORD_BAD.values(), ids=RECORD_BAD.keys())
def test_a_bad_publication_record_is_rejected(schema, change, where):
    for check in both(schema):
        errors = list(check.iter_errors({**RECORD, **change}))
        assert errors
        assert {(e.absolute_path[0] if e.absolute_path else "") for e in errors} == {where}


def test_a_series_needs_its_number_and_a_number_its_series(schema):
    for check in both(schema):
        without_number = {k: v for k, v in RECORD.items() if k != "number"}
        assert [e.message for e in check.iter_errors(without_number)] == ["'number' is a required property"]
        without_series = {k: v for k, v in RECORD.items() if k != "series"}
        assert [e.message for e in check.iter_errors(without_series)] == ["'series' is a required property"]


def test_a_pdf_may_be_named_in_capitals(schema):
    for check in both(schema):
        assert list(check.iter_errors({**GOOD, "pdf": "briefs/pdf/REPORT.PDF"})) == []
        assert list(check.iter_errors({**GOOD, "pdf": "briefs/pdf..x/report.pdf"})) == []  # '..' in a name is no step up


def test_a_brief_the_loader_accepts_with_every_field_validates(archive: Archive, schema):
    archive.write("content/briefs/pdf/x.pdf", b"%PDF-1.7\n")
    archive.brief("original", series="kpr", number=3)
    path = archive.brief("x", series="kpr", number=3, language="ko", translation_of="original", pdf="briefs/pdf/x.pdf",
                         corrections=[{"date": "2023-06-30", "note": "A figure."}])
    loaded = load_archive(ArchivePaths.at(archive.root))
    assert loaded.report.errors == []
    validator(schema).validate(front_matter(path.read_text(encoding="utf-8")))
