"""schema.org JSON-LD for brief pages, safe to place inside a <script> element."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

from .catalogue import Brief


def absolute(site_url: str, path: str) -> str:
    """An address for machines: absolute when the site's URL is known, else site-rooted."""
    if not site_url:
        return "/" + path
    return site_url + path if site_url.endswith("/") else urljoin(site_url, path)


def brief_json_ld(brief: Brief, site_name: str, site_url: str, versions: tuple[Brief, ...] = ()) -> dict[str, Any]:
    """`versions`: every language version of the brief, the original first, when there are several."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": brief.title,
        "name": brief.title,
        "description": brief.summary,
        "datePublished": brief.date.isoformat(),
        "dateModified": brief.last_change.isoformat(),
        "genre": brief.type.title,
        "url": absolute(site_url, brief.url),
        "mainEntityOfPage": absolute(site_url, brief.url),
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute(site_url, author.url),
                **({"jobTitle": author.role} if author.role else {}),
                **({"sameAs": [l.url for l in author.links if l.url.startswith("http")]}
                   if any(l.url.startswith("http") for l in author.links) else {}),
            }
            for author in brief.authors
        ],
        "about": [{"@type": "Thing", "name": topic.title, "url": absolute(site_url, topic.url)}
                  for topic in brief.topics],
        "keywords": [topic.title for topic in brief.topics],
        "publisher": {"@type": "Organization", "name": site_name,
                      **({"url": site_url} if site_url else {})},
        "inLanguage": brief.language,
    }
    if brief.series:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": brief.series.title,
                            "url": absolute(site_url, brief.series.url)}
        data["reportNumber"] = str(brief.number)
    if brief.corrections:
        data["correction"] = [{"@type": "CorrectionComment", "datePublished": c.date.isoformat(), "text": c.note}
                              for c in brief.corrections]
    def work(other: Brief) -> dict[str, Any]:
        return {"@type": "Report", "name": other.title, "url": absolute(site_url, other.url), "inLanguage": other.language}
    if versions and brief.translation_of:
        data["translationOfWork"] = work(versions[0])
    elif versions:
        data["workTranslation"] = [work(other) for other in versions[1:]]
    if brief.program:
        data["sourceOrganization"] = {"@type": "Organization", "name": brief.program.title,
                                      "url": absolute(site_url, brief.program.url)}
    return data


def script_json(data: Any) -> str:
    """JSON that cannot close its <script> element or open a comment, whatever the text holds."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
