"""Atom feeds (RFC 4287): the whole archive and each topic, author, type and program."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

from ..catalogue import Brief, Catalogue
from ..pages import Listing, listings
from ..structured_data import absolute

ATOM = "http://www.w3.org/2005/Atom"
FEED_KINDS = ("latest", "topic", "author", "type", "program")


@dataclass(frozen=True)
class Feed:
    listing: Listing

    @property
    def url(self) -> str:
        return "feed.xml" if self.listing.kind == "latest" else f"{self.listing.url}feed.xml"

    @property
    def title(self) -> str:
        return self.listing.title


def feeds(catalogue: Catalogue) -> Iterator[Feed]:
    for listing in listings(catalogue):
        if listing.kind in FEED_KINDS:
            yield Feed(listing)


def feed_url_for(listing: Listing) -> str | None:
    return Feed(listing).url if listing.kind in FEED_KINDS else None


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


# Characters XML 1.0 cannot carry, even escaped: one in a title would make the whole feed unreadable.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {name: _NOT_XML.sub("", value) for name, value in attributes.items()})
    if text is not None:
        child.text = _NOT_XML.sub("", text)
    return child


def atom_feed(feed: Feed, catalogue: Catalogue, site_url: str, size: int) -> str:
    """The `size` newest briefs of the feed's listing. Dates come from the briefs, never the clock."""
    entries: Iterable[Brief] = feed.listing.briefs[:size]
    updated = max((b.last_change for b in entries), default=catalogue.last_change or date(1970, 1, 1))
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})
    site_name = catalogue.site_name
    _element(root, "id", absolute(site_url, feed.url))
    _element(root, "title", feed.title if feed.listing.kind == "latest" else f"{feed.title} — {site_name}")
    _element(root, "subtitle", f"Briefs from {site_name}")
    _element(root, "updated", _timestamp(updated))
    _element(root, "link", rel="self", type="application/atom+xml", href=absolute(site_url, feed.url))
    _element(root, "link", rel="alternate", type="text/html", href=absolute(site_url, feed.listing.url))
    author = _element(root, "author")
    _element(author, "name", site_name)
    _element(root, "generator", "briefing-archive")
    for brief in entries:
        entry = _element(root, "entry")
        url = absolute(site_url, brief.url)
        _element(entry, "id", url)
        _element(entry, "title", brief.title, type="text")
        _element(entry, "link", rel="alternate", type="text/html", href=url)
        _element(entry, "published", _timestamp(brief.date))
        _element(entry, "updated", _timestamp(brief.last_change))  # a correction moves it: readers see the change
        for person in brief.authors:
            author = _element(entry, "author")
            _element(author, "name", person.name)
            _element(author, "uri", absolute(site_url, person.url))
        for topic in brief.topics:
            _element(entry, "category", term=topic.key, label=topic.title, scheme=absolute(site_url, "topics/"))
        _element(entry, "summary", brief.summary, type="text")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
