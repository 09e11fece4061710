"""The glue of embedded listings (catalogue/embedded.py): each ```briefs block of a page's
Markdown becomes a listing of briefs, rendered by the theme's templates.

- `on_page_markdown` (`place`): each block is replaced by an empty placeholder element, which
  Markdown leaves alone (a raw HTML block) and the sanitizer keeps (a `div` with a class and an
  id). Its id is drawn from the page's Markdown, so no text an editor writes can stand for it.
- `on_page_context` (`fill`): each placeholder is replaced by the listing, rendered through the
  theme's Jinja environment (final only once every plugin's `on_env` has run, which MkDocs runs
  after every page's `on_page_content`), from `archive/embedded.html`, which shows each brief
  with the `card` macro of `archive/macros.html` as listing pages do: a `custom_dir` may
  override either. Links are relative to the embedding page, as the templates make them.

So the listing is never part of a page's rendered body: the render cache keeps bodies with their
placeholders (keyed on the Markdown, which names no other brief), the sanitizer never sees our
own markup (it would drop the `data-brief` marks), and what the listing shows is chosen afresh
by every build from the catalogue. Under `serve --dirty`, the page's fingerprint covers the
briefs its blocks select (incremental.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable

from jinja2 import Environment

from ..catalogue import Brief, Catalogue, LoadedArchive, Report
from ..catalogue.embedded import FullListing, Query, check_page, find_blocks

TEMPLATE = "archive/embedded.html"


@dataclass(frozen=True)
class EmbeddedListing:
    """What `archive/embedded.html` is handed as `embedded`."""

    query: Query
    briefs: tuple[Brief, ...]
    more: FullListing | None  # the full listing to link, if there is one


def place(markdown: str, path: str, src_uri: str, loaded: LoadedArchive,
          stop: Callable[[Report], None]) -> tuple[str, list[tuple[str, Query]]]:
    """The Markdown with each block replaced by a placeholder, and (placeholder id, query) for
    each. The blocks the loader checked are taken as it checked them; a block another plugin
    wrote into the Markdown is checked here (`stop` reports its problems and stops the build)."""
    blocks = find_blocks(markdown)
    if not blocks:
        return markdown, []
    checked = loaded.embedded.get(src_uri)
    if checked is None or checked.texts != tuple(block.text for block in blocks):
        report = Report()
        checked = check_page(f"{path} (its Markdown as the plugins left it)", blocks, 1, loaded.catalogue, report)
        stop(report)
    token = hashlib.blake2b(markdown.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    parts, slots, last = [], [], 0
    for number, (block, query) in enumerate(zip(blocks, checked.queries), start=1):
        if query is None:  # reported already; the build has stopped
            continue
        slot = f"ba-embedded-{token}-{number}"
        parts += [markdown[last : block.start], f'\n\n<div class="ba-embedded-slot" id="{slot}"></div>\n\n']
        slots.append((slot, query))
        last = block.end
    return "".join(parts) + markdown[last:], slots


def fill(content: str, slots: list[tuple[str, Query]], env: Environment, context: dict, catalogue: Catalogue,
         exists: Callable[[str], bool]) -> tuple[str, list[str]]:
    """The page's HTML with each placeholder replaced by its listing; and the ids of placeholders
    no longer found (a plugin took them out)."""
    template = env.get_template(TEMPLATE)
    missing = []
    for slot, query in slots:
        listing = EmbeddedListing(query, query.select(catalogue), query.full_listing(catalogue, exists))
        html = template.render(dict(context, embedded=listing))
        content, found = re.subn(rf'<div\b[^>]*\bid="{slot}"[^>]*>\s*</div>', lambda _: html, content, count=1)
        if not found:
            missing.append(slot)
    return content, missing
