"""Reading a WordPress export (WXR: RSS 2.0 with WordPress's own namespaces), one item at a time.

An export comes from outside the project, so it is parsed as untrusted: defusedxml's expat
reader refuses any document type declaration (`<!DOCTYPE …>`). WordPress never writes one, and
it is where an XML bomb (entities expanding into gigabytes) or an external entity (a reference
to `file:///etc/passwd` or to a URL) would hide; refusing the DTD refuses both before anything
is expanded. The reader is a SAX handler fed the file in chunks: each `item` is handed on as
soon as it is complete and then forgotten, so memory stays bounded whatever the file's size.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.expatreader import DefusedExpatParser

CHUNK = 1 << 16
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
WORDPRESS = "http://wordpress.org/export/"  # followed by the WXR version: 1.0/, 1.1/, 1.2/


class ExportError(Exception):
    """The file cannot be read as a WordPress export; `line` is where the reading stopped."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Author:
    login: str
    display_name: str
    first_name: str = ""
    last_name: str = ""
    line: int = 1


@dataclass(frozen=True)
class Term:
    """A category or tag: `domain` is `category` or `post_tag`, `slug` its nicename."""

    domain: str
    slug: str
    name: str
    line: int = 1


@dataclass
class Item:
    """One `item` of the export: a post, a page, an attachment, a menu entry…"""

    line: int
    post_id: str = ""
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    pub_date: str = ""
    post_name: str = ""
    status: str = ""
    post_type: str = ""
    password: str = ""
    terms: list[Term] = field(default_factory=list)


def _kind(uri: str | None, name: str) -> str:
    """A namespaced element as one short name: `wp:post_id`, `content:encoded`, `title`."""
    if not uri:
        return name
    if uri == DC:
        return "dc:" + name
    if uri == CONTENT:
        return "content:" + name
    if uri.startswith(WORDPRESS):
        return ("excerpt:" if uri.rstrip("/").endswith("/excerpt") else "wp:") + name
    return "?:" + name


_ITEM_FIELDS = {
    "title": "title", "link": "link", "dc:creator": "creator", "content:encoded": "content",
    "excerpt:encoded": "excerpt", "wp:post_id": "post_id", "wp:post_date": "post_date", "pubDate": "pub_date",
    "wp:post_name": "post_name", "wp:status": "status", "wp:post_type": "post_type", "wp:post_password": "password",
}
# The channel's own declarations: element -> (what it declares, which child holds which field).
_DECLARATIONS = {
    "wp:author": {"wp:author_login": "login", "wp:author_display_name": "display_name",
                  "wp:author_first_name": "first_name", "wp:author_last_name": "last_name"},
    "wp:category": {"wp:category_nicename": "slug", "wp:cat_name": "name"},
    "wp:tag": {"wp:tag_slug": "slug", "wp:tag_name": "name"},
    "wp:term": {"wp:term_taxonomy": "domain", "wp:term_slug": "slug", "wp:term_name": "name"},
}


class _Handler(ContentHandler):
    """Collects the channel's authors and terms and each item's fields; completed ones wait in `ready`."""

    def __init__(self) -> None:
        super().__init__()
        self.ready: deque[Author | Term | Item] = deque()
        self.stack: list[str] = []
        self.text: list[str] | None = None  # the characters of the field being read
        self.item: Item | None = None
        self.category: dict[str, str] | None = None  # an item's <category domain= nicename=>
        self.declaration: tuple[str, int, dict[str, str]] | None = None
        self.saw_wordpress = False

    def line(self) -> int:
        return self._locator.getLineNumber() if self._locator else 1

    def startPrefixMapping(self, prefix: str | None, uri: str) -> None:
        if uri.startswith(WORDPRESS):
            self.saw_wordpress = True

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs) -> None:
        kind = _kind(*name)
        depth = len(self.stack)
        self.stack.append(kind)
        if depth == 0 and kind != "rss":
            raise ExportError(f"this is not a WordPress export: it starts with <{qname or name[1]}>, not <rss>", self.line())
        if depth == 2 and kind == "item":
            self.item = Item(line=self.line())
        elif self.item is not None and depth == 3:
            if kind in _ITEM_FIELDS:
                self.text = []
            elif kind == "category":
                self.category = {"domain": attrs.get((None, "domain"), ""),
                                 "nicename": attrs.get((None, "nicename"), "")}
                self.text = []
        elif depth == 2 and kind in _DECLARATIONS:
            self.declaration = (kind, self.line(), {})
        elif self.declaration is not None and depth == 3 and kind in _DECLARATIONS[self.declaration[0]]:
            self.text = []

    def characters(self, content: str) -> None:
        if self.text is not None:
            self.text.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        kind = self.stack.pop()
        depth = len(self.stack)
        if self.item is not None:
            if depth == 2:  # the item itself
                self.ready.append(self.item)
                self.item = None
            elif depth == 3 and self.text is not None:
                value = "".join(self.text)
                self.text = None
                if self.category is not None:
                    domain, slug = self.category["domain"], self.category["nicename"]
                    self.category = None
                    if domain in ("category", "post_tag") and slug:
                        self.item.terms.append(Term(domain, slug, " ".join(value.split()), self.item.line))
                else:
                    setattr(self.item, _ITEM_FIELDS[kind], value)
        elif self.declaration is not None:
            what, line, values = self.declaration
            if depth == 2:
                self.declaration = None
                self._declare(what, line, values)
            elif depth == 3 and self.text is not None:
                values[_DECLARATIONS[what][kind]] = "".join(self.text).strip()
                self.text = None

    def _declare(self, what: str, line: int, values: dict[str, str]) -> None:
        if what == "wp:author":
            if values.get("login"):
                self.ready.append(Author(values["login"], values.get("display_name") or values["login"],
                                         values.get("first_name", ""), values.get("last_name", ""), line))
            return
        domain = {"wp:category": "category", "wp:tag": "post_tag"}.get(what) or values.get("domain", "")
        if domain in ("category", "post_tag") and values.get("slug"):
            self.ready.append(Term(domain, values["slug"], values.get("name") or values["slug"], line))


def _refusal(exc: DefusedXmlException) -> str:
    what = "a document type (<!DOCTYPE …>)" if isinstance(exc, DTDForbidden) else "entities"
    return (f"the file declares {what}, which a WordPress export never does and an XML bomb or an "
            "external entity (a way to read other files) would; it was refused unread")


def read_export(path: Path) -> Iterator[Author | Term | Item]:
    """The export's authors, terms and items in file order, read as they come.

    Raises ExportError (with the line) when the file is not well-formed XML, declares a DTD or
    entities, or is not a WordPress export.
    """
    handler = _Handler()
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    handler.setDocumentLocator(parser)  # the reader is its own locator; only parse() would say so, not feed()
    try:
        with open(path, "rb") as file:
            while chunk := file.read(CHUNK):
                parser.feed(chunk)
                while handler.ready:
                    yield handler.ready.popleft()
            parser.close()
    except DefusedXmlException as exc:
        raise ExportError(_refusal(exc), handler.line()) from None
    except SAXParseException as exc:
        raise ExportError(f"this is not well-formed XML: {exc.getMessage()} (column {exc.getColumnNumber() + 1}); "
                          "export the site again from WordPress (Tools → Export)", exc.getLineNumber()) from None
    while handler.ready:
        yield handler.ready.popleft()
    if not handler.saw_wordpress:
        raise ExportError("this is an RSS file but not a WordPress export (it has no wp: elements); "
                          "export the site from WordPress's Tools → Export")
