"""Writes small archives to the SPEC in a temporary folder, builds them, and parses what comes out."""

from __future__ import annotations

import json
import logging
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from selectolax.lexbor import LexborHTMLParser as HTMLParser

MKDOCS_YML = """\
site_name: Test Institute
site_url: https://briefs.test.example/
docs_dir: content
theme:
  name: material
  font: false
  features: [navigation.tabs]
nav:
  - Home: index.md
  - Latest: briefs/index.md
  - Topics: topics/index.md
  - Authors: authors/index.md
  - Archive: archive/index.md
validation:
  nav:
    omitted_files: ignore
markdown_extensions:
  - toc:
      permalink: true
  - footnotes
  - tables
  - admonition
plugins:
  - briefing-archive:
      page_size: {page_size}
"""


def front_matter(fields: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(fields, sort_keys=False, allow_unicode=True) + "---\n"


@dataclass
class BuiltSite:
    root: Path
    ok: bool
    messages: list[str]

    @property
    def site(self) -> Path:
        return self.root / "site"

    def file(self, url: str) -> Path:
        path = self.site / url.lstrip("/")
        return path / "index.html" if url.endswith("/") or url == "" else path

    def html(self, url: str) -> HTMLParser:
        return HTMLParser(self.file(url).read_text(encoding="utf-8"))

    def json(self, url: str) -> Any:
        return json.loads(self.file(url).read_text(encoding="utf-8"))

    def listed(self, url: str) -> list[str]:
        """Slugs of the brief entries on one page, in page order."""
        return [node.attributes["data-brief"] for node in self.html(url).css("[data-brief]")]

    def listed_all(self, url: str) -> list[str]:
        """Slugs across every page of a paginated listing, following its 'next' links."""
        slugs, current, seen = [], url, set()
        while current and current not in seen:
            seen.add(current)
            slugs += self.listed(current)
            nxt = self.html(current).css_first('.ba-pager a[rel="next"]')
            current = resolve(current, nxt.attributes["href"]) if nxt else None
        return slugs

    def errors(self) -> list[str]:
        return [m for m in self.messages if ": error: " in m]


def resolve(page_url: str, href: str) -> str:
    """The site-rooted URL of a relative link found on the page at `page_url`."""
    from posixpath import normpath
    from urllib.parse import urljoin

    joined = urljoin("http://x/" + page_url.lstrip("/"), href)
    path = joined.split("http://x", 1)[1].split("#")[0]
    normalised = normpath(path)
    return normalised + ("/" if path.endswith("/") and normalised != "/" else "")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class Archive:
    """An archive on disk. Starts with a small vocabulary; tests add briefs and authors."""

    root: Path
    page_size: int = 20
    plugin_options: dict[str, Any] = field(default_factory=dict)  # more `briefing-archive` options, e.g. feed_size
    plugins_extra: list[Any] = field(default_factory=list)  # more plugins after it, e.g. ["briefing-search"]
    topics: dict[str, Any] = field(default_factory=lambda: {
        "cyber": {"title": "Cyber", "group": "Issues", "description": "Threats in cyberspace.", "aliases": ["cybersecurity"]},
        "sanctions": {"title": "Sanctions", "group": "Issues"},
        "north-korea": {"title": "North Korea", "group": "Regions"},
    })
    types: dict[str, Any] = field(default_factory=lambda: {
        "policy-brief": {"title": "Policy Brief", "plural": "Policy Briefs"},
        "analysis": {"title": "Analysis", "plural": "Analyses"},
    })
    programs: dict[str, Any] = field(default_factory=lambda: {
        "ccti": {"title": "Center on Cyber and Technology Innovation", "short": "CCTI"},
    })

    def __post_init__(self) -> None:
        (self.root / "content" / "briefs").mkdir(parents=True, exist_ok=True)
        (self.root / "content" / "authors").mkdir(parents=True, exist_ok=True)
        (self.root / "content" / "index.md").write_text("# Test Institute\n\nBriefs for tests.\n", encoding="utf-8")
        self.author("min-ji-kim", name="Min-ji Kim", role="Senior Fellow", program="ccti")
        self.author("sam-ortiz", name="Sam Ortiz")

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def author(self, key: str, bio: str = "A bio.", **fields: Any) -> Path:
        fields.setdefault("name", key.replace("-", " ").title())
        return self.write(f"content/authors/{key}.md", front_matter(fields) + bio + "\n")

    def brief(self, slug: str, date: str = "2023-06-26", body: str = "Body text of the brief.", **fields: Any) -> Path:
        data = {"title": fields.pop("title", slug.replace("-", " ").title()), "date": date,
                "type": "policy-brief", "authors": ["min-ji-kim"], "topics": ["cyber"]}
        data.update(fields)
        year = fields.pop("year", None) or date[:4]
        data.pop("year", None)
        return self.write(f"content/briefs/{year}/{slug}.md", front_matter(data) + body + "\n")

    def build(self) -> BuiltSite:
        return build_site(self.build_config())

    def build_config(self) -> Path:
        """Writes the vocabularies and mkdocs.yml (if not there yet); returns mkdocs.yml's path."""
        for name, table in (("topics", self.topics), ("types", self.types), ("programs", self.programs)):
            if table is not None:
                self.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))
        config_file = self.root / "mkdocs.yml"
        if not config_file.exists():
            options = "".join(f"\n      {key}: {json.dumps(value)}" for key, value in self.plugin_options.items())
            text = MKDOCS_YML.replace("{page_size}", str(self.page_size) + options)
            if self.plugins_extra:
                text += textwrap.indent(yaml.safe_dump(self.plugins_extra, sort_keys=False), "  ")
            config_file.write_text(text, encoding="utf-8")
        return config_file


def build_site(config_file: Path) -> BuiltSite:
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    ok = True
    try:
        config = load_config(str(config_file))
        build(config)
    except Abort:
        ok = False
    finally:
        logger.removeHandler(handler)
    return BuiltSite(root=config_file.parent, ok=ok, messages=handler.messages)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")
