"""A JSON Schema of brief front matter, made from the archive's vocabularies and authors.

Editors' text editors use it to complete topic and author keys and to underline a typo while
they type; `briefs check` stays the authority (it also checks what a schema cannot: the year
folder, unique slugs, related briefs that exist, aliases that collide).

The schema declares draft 2020-12 but uses only keywords that mean the same in draft-07,
which is what most editor integrations (the YAML language server among them) implement.
"""

from __future__ import annotations

from typing import Any

from .catalogue import Catalogue
from .catalogue.loader import LANGUAGE_TAG
from .catalogue.text import SLUG_PATTERN

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# A path inside content/ (not absolute, no '..' segment) naming a .pdf file.
PDF_PATTERN = r"^(?!/)(?!(.*/)?\.\.(/|$)).*\.[pP][dD][fF]$"


def _choice(keys: dict[str, str], what: str) -> dict[str, Any]:
    """A string among `keys` (key -> what the editor sees next to it while completing)."""
    ordered = sorted(keys)
    return {
        "type": "string",
        "enum": ordered,
        # VS Code's JSON and YAML services show these next to each completion.
        "enumDescriptions": [keys[k] for k in ordered],
        "description": what,
    }


def _unique_list(item: dict[str, Any], what: str) -> dict[str, Any]:
    return {"type": "array", "items": item, "minItems": 1, "uniqueItems": True, "description": what}


def brief_schema(catalogue: Catalogue) -> dict[str, Any]:
    topics = {key: topic.title for key, topic in catalogue.topics.items()}
    for topic in catalogue.topics.values():
        for alias in topic.aliases:
            topics[alias] = f"{topic.title} (alias: prefer '{topic.key}')"
    authors = {key: author.name + (" (alumni)" if author.alumni else "") for key, author in catalogue.authors.items()}
    types = {key: kind.title for key, kind in catalogue.types.items()}
    programs = {key: program.title for key, program in catalogue.programs.items()}
    series = {key: one.title + (f" ({one.short})" if one.short else "") for key, one in catalogue.series.items()}
    date = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    text = {"type": "string", "minLength": 1, "pattern": r"\S"}
    return {
        "$schema": DRAFT,
        "title": "Brief front matter",
        "description": "The fields between the two '---' lines at the top of content/briefs/<YYYY>/<slug>.md. "
                       "Made by 'briefs schema' from site_config/ and content/authors/.",
        "type": "object",
        "required": ["title", "date", "type", "authors", "topics"],
        "additionalProperties": False,
        "properties": {
            "title": {**text, "description": "The title, as plain text."},
            "date": {**date, "description": "Publication date, YYYY-MM-DD; its year is the folder's year."},
            "type": _choice(types, "The kind of publication, a key of site_config/types.yml."),
            "authors": _unique_list(_choice(authors, "An author key (content/authors/<key>.md)."),
                                    "Author keys in byline order."),
            "topics": _unique_list(_choice(topics, "A topic key of site_config/topics.yml."),
                                   "Topic keys (or their aliases)."),
            "program": _choice(programs, "The program the brief belongs to (optional), a key of site_config/programs.yml."),
            "summary": {"type": "string",
                        "description": "Optional plain-text summary for listings and feeds (about 300 characters at most); "
                                       "without it, the first paragraph of the text is used."},
            "updated": {**date, "description": "Date of the last substantial update (optional), not before 'date'."},
            "related": {"type": "array", "uniqueItems": True,
                        "items": {"type": "string", "pattern": SLUG_PATTERN.pattern},
                        "description": "Slugs (file names without .md) of briefs to show first among related briefs."},
            "aliases": {"type": "array", "uniqueItems": True,
                        "items": {"type": "string", "pattern": r"^/(?!/)"},
                        "description": "Old addresses on this site that must redirect here, like /analysis/2023/old-name/."},
            "draft": {"type": "boolean", "default": False,
                      "description": "true keeps the brief out of the published site."},
            "series": _choice(series, "The numbered series the brief belongs to (optional), a key of site_config/series.yml; "
                                      "give its 'number' too."),
            "number": {"type": "integer", "minimum": 1,
                       "description": "The brief's number in its series, from 1 up; each number is used once in a series."},
            "corrections": {
                "type": "array",
                "items": {"type": "object", "required": ["date", "note"], "additionalProperties": False,
                          "properties": {
                              "date": {**date, "description": "When the correction was made, not before the brief's date."},
                              "note": {**text, "description": "What was corrected, as plain text."},
                          }},
                "description": "Corrections published after the brief, oldest first: each a date and a note.",
            },
            "language": {"type": "string", "pattern": LANGUAGE_TAG.pattern,
                         "description": "The language of the brief's text, a tag like en, ko or pt-BR "
                                        "(default: the site's language)."},
            "translation_of": {"type": "string", "pattern": SLUG_PATTERN.pattern,
                               "description": "The slug of the original brief this one translates "
                                              "(give 'language' too: another language than the original's)."},
            "pdf": {"type": "string", "pattern": PDF_PATTERN,
                    "description": "The path under content/ of the brief's PDF edition, like briefs/pdf/my-brief.pdf "
                                   "(at most 50 MB)."},
        },
        # A series needs the brief's number, and a number its series. `dependentRequired` (2020-12)
        # and `dependencies` (draft-07) each mean nothing to the other draft; if/then means the same in both.
        "allOf": [
            {"if": {"required": ["series"]}, "then": {"required": ["number"]}},
            {"if": {"required": ["number"]}, "then": {"required": ["series"]}},
        ],
    }
