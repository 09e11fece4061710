"""The static JSON API: /api/briefs.json, /api/topics.json, /api/authors.json, /api/series.json, and
/api/slugs.json, the small index the error page (404.html) suggests briefs from."""

from __future__ import annotations

import json
from typing import Any

from ..catalogue import Catalogue
from ..structured_data import absolute


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def briefs_json(catalogue: Catalogue, site_url: str) -> str:
    """Every published brief, translations too, newest first, with the fields of SPEC §4."""
    return _dump([
        {
            "slug": b.slug,
            "url": absolute(site_url, b.url),
            "title": b.title,
            "date": b.date.isoformat(),
            "updated": b.updated.isoformat() if b.updated else None,
            "type": b.type.key,
            "authors": [a.key for a in b.authors],
            "topics": [t.key for t in b.topics],
            "program": b.program.key if b.program else None,
            "summary": b.summary,
            "reading_minutes": b.reading_minutes,
            "series": b.series.key if b.series else None,
            "number": b.number,
            "language": b.language,
            "translation_of": b.translation_of or None,
            "translations": [t.slug for t in catalogue.translations.get(b.slug, ())],
            "corrections": [{"date": c.date.isoformat(), "note": c.note} for c in b.corrections],
            "pdf": absolute(site_url, b.pdf_url) if b.pdf else None,
        }
        for b in catalogue.every
    ])


def topics_json(catalogue: Catalogue, site_url: str) -> str:
    return _dump([
        {
            "key": t.key,
            "title": t.title,
            "group": t.group or None,
            "description": t.description or None,
            "count": len(catalogue.by_topic[t.key]),
            "url": absolute(site_url, t.url),
            "feed": absolute(site_url, f"{t.url}feed.xml"),
        }
        for t in catalogue.topics.values()
    ])


def authors_json(catalogue: Catalogue, site_url: str) -> str:
    return _dump([
        {
            "key": a.key,
            "name": a.name,
            "role": a.role or None,
            "program": a.program.key if a.program else None,
            "alumni": a.alumni,
            "count": len(catalogue.by_author[a.key]),
            "url": absolute(site_url, a.url),
            "feed": absolute(site_url, f"{a.url}feed.xml"),
        }
        for a in catalogue.authors.values()
    ])



def series_json(catalogue: Catalogue, site_url: str) -> str:
    return _dump([
        {
            "key": s.key,
            "title": s.title,
            "short": s.short or None,
            "description": s.description or None,
            "count": len(catalogue.by_series[s.key]),
            "briefs": [b.slug for b in catalogue.by_series[s.key]],
            "url": absolute(site_url, s.url),
        }
        for s in catalogue.series.values()
    ])


SLUGS = "api/slugs.json"


def slugs_json(catalogue: Catalogue, site_url: str) -> str:
    """Every published brief's slug, title, year and path (from the site's root, as the error page
    is served at any address and on any host), newest first: what the error page needs to suggest
    the briefs a mistyped address meant. Compact, as a reader's browser fetches it whole."""
    entries = [{"slug": b.slug, "title": b.title, "year": b.date.year, "path": b.url} for b in catalogue.every]
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":")) + "\n"


API_FILES = {
    "api/briefs.json": briefs_json,
    "api/topics.json": topics_json,
    "api/authors.json": authors_json,
    "api/series.json": series_json,
    SLUGS: slugs_json,
}
