"""What a page says about itself in <head>: feeds, OpenGraph, Twitter cards, Google Scholar tags."""

from __future__ import annotations

from ..catalogue import Catalogue
from ..pages import BriefPage, ListingPage, View
from ..structured_data import absolute
from .citations import scholar_meta
from .feeds import feed_url_for
from .share_cards import HEIGHT, WIDTH, ShareCard


def alternate_feeds(view: View, catalogue: Catalogue) -> list[tuple[str, str]]:
    """(title, site-relative URL) of the Atom feeds a reader of this page may want."""
    found = [(f"{catalogue.site_name}: latest briefs", "feed.xml")]
    if isinstance(view, ListingPage) and view.kind != "latest":
        url = feed_url_for(view.listing)
        if url:
            found.append((f"{view.listing.title}: latest briefs", url))
    return found


def head_meta(view: View, catalogue: Catalogue, site_url: str, share_image: str,
              card: ShareCard | None = None) -> list[tuple[str, str, str]]:
    """(attribute, name, content) of each <meta> tag, e.g. ("property", "og:title", "…"). The
    page's share card, when it has one, is its image; else the site's `share_image`, if any."""
    if isinstance(view, BriefPage):
        brief = view.brief
        title, description, kind = brief.title, brief.summary, "article"
    elif isinstance(view, ListingPage):
        subject = view.listing.subject
        title = view.title
        description = getattr(subject, "description", "") or f"Briefs from {catalogue.site_name}: {view.listing.title}"
        kind = "profile" if view.kind == "author" else "website"
    else:
        title = view.title if view.kind != "home" else catalogue.site_name
        description = f"Policy briefs from {catalogue.site_name}"
        kind = "website"
    tags = [
        ("property", "og:type", kind),
        ("property", "og:site_name", catalogue.site_name),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", absolute(site_url, view.url)),
        ("property", "og:locale", "en_US"),
        ("name", "twitter:card", "summary_large_image" if card or share_image else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    if card:
        image = absolute(site_url, card.url)
        tags += [("property", "og:image", image),
                 ("property", "og:image:type", "image/png"),
                 ("property", "og:image:width", str(WIDTH)),
                 ("property", "og:image:height", str(HEIGHT)),
                 ("property", "og:image:alt", card.alt),
                 ("name", "twitter:image", image),
                 ("name", "twitter:image:alt", card.alt)]
    elif share_image:
        tags += [("property", "og:image", absolute(site_url, share_image)),
                 ("name", "twitter:image", absolute(site_url, share_image))]
    if isinstance(view, BriefPage):
        brief = view.brief
        tags += [("property", "article:published_time", brief.date.isoformat()),
                 ("property", "article:modified_time", brief.last_change.isoformat())]
        tags += [("property", "article:author", absolute(site_url, a.url)) for a in brief.authors]
        tags += [("property", "article:tag", t.title) for t in brief.topics]
        tags += [("name", name, content) for name, content in scholar_meta(brief, catalogue.site_name, site_url)]
    return tags
