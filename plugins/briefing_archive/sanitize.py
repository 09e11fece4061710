"""What reaches a page from an editor's Markdown is cleaned by nh3 (the Ammonia sanitizer).

The allow-list keeps what Markdown, its extensions and the theme produce (tables, footnotes,
admonitions, figures, heading anchors) and drops scripts, styles, event attributes,
`javascript:` URLs, forms, and embeds from hosts nobody allow-listed.
"""

from __future__ import annotations

import re
from functools import partial
from urllib.parse import urlsplit

import nh3

_TAGS = set(nh3.ALLOWED_TAGS) | {
    "figure", "figcaption", "details", "summary", "section", "iframe", "mark", "abbr",
    "sup", "sub", "dl", "dt", "dd", "hr", "br", "span", "div", "caption", "colgroup", "col",
}
_TAGS -= {"form", "input", "button", "textarea", "select", "object", "embed", "script", "style"}
_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "role", "aria-hidden", "aria-label"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "loading"},
    # Markdown tables align columns with style="text-align: …"; only that property is kept.
    "th": {"align", "colspan", "rowspan", "scope", "style"},
    "td": {"align", "colspan", "rowspan", "style"},
    "ol": {"start", "reversed"},
    "col": {"span"},
    "colgroup": {"span"},
    "abbr": {"title"},
}
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$")
# An <iframe> whose src was dropped (a host nobody allow-listed) is removed as a whole.
_IFRAME_WITHOUT_SRC = re.compile(r'<iframe\b(?![^>]*\ssrc=")[^>]*>.*?</iframe>', re.S | re.I)


def _filter(tag: str, attribute: str, value: str, embed_hosts: frozenset[str]) -> str | None:
    if attribute in ("href", "src") and value.strip().lower().startswith("data:"):
        return value if tag == "img" and attribute == "src" and _DATA_IMAGE.match(value.strip()) else None
    if tag == "iframe" and attribute == "src":
        parts = urlsplit(value)
        return value if parts.scheme == "https" and (parts.hostname or "") in embed_hosts else None
    return value


def clean_html(html: str, embed_hosts: frozenset[str] = frozenset()) -> str:
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={"script", "style", "object", "embed", "form", "textarea", "select"},
        attributes=_ATTRIBUTES,
        attribute_filter=partial(_filter, embed_hosts=embed_hosts),
        url_schemes={"http", "https", "mailto", "tel", "data"},
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
    )
    return _IFRAME_WITHOUT_SRC.sub("", cleaned)
