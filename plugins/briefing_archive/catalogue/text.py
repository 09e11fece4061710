"""Text helpers shared by the catalogue, the pages and the `briefs` command."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date
from typing import Mapping

import markdown
import nh3
from babel import Locale, UnknownLocaleError
from unidecode import unidecode

from .links import WIKI_LINK, markdown_text

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SUMMARY_LENGTH = 300

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def is_slug(value: object) -> bool:
    return isinstance(value, str) and bool(SLUG_PATTERN.match(value))


def slugify(text: str) -> str:
    """`Yoon's Audacious Initiative` -> `yoons-audacious-initiative`; non-ASCII is transliterated."""
    ascii_text = unidecode(text).lower().replace("'", "")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))


SLUG_LENGTH = 60


def slug_for_title(title: str, limit: int = SLUG_LENGTH) -> str:
    """A brief's slug from its title, at most `limit` characters, cut between words.

    `Québec's Critical Minerals` -> `quebecs-critical-minerals`; an empty string if nothing is left.
    """
    slug = slugify(title)
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0]
    return cut if cut and len(cut) <= limit else slug[:limit].strip("-")


def language_name(tag: str) -> str:
    """A language as its own readers name it: 'ko' -> '한국어', 'pt-BR' -> 'Português (Brasil)'."""
    try:
        name = Locale.parse(tag, sep="-").get_display_name()
    except (ValueError, UnknownLocaleError):
        return tag
    return name[:1].upper() + name[1:] if name else tag


def written_in_latin(text: str) -> bool:
    """Whether every letter of `text` is a Latin one (accented ones too): `Québec` yes, `북한` no."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())


def translation_slug(title: str, original: str, language: str, limit: int = SLUG_LENGTH) -> str:
    """A translation's slug: made from its title when the title is written in Latin letters
    (`Les pourparlers cyber`), else the original's slug and the language (`allied-cyber-talks-ko`):
    a romanisation of a Korean or Chinese title is no address a reader would guess."""
    slug = slug_for_title(title, limit) if written_in_latin(title) else ""
    if slug:
        return slug
    suffix = "-" + slugify(language)  # pt-BR -> -pt-br
    return slug_for_title(original, limit - len(suffix)) + suffix  # cut between words if need be


def format_date(value: date) -> str:
    """Dates as readers read them: `June 26, 2023` (independent of the machine's locale)."""
    return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"


_MARKDOWN = markdown.Markdown()  # one instance: building one per summary costs more than the rendering


def markdown_to_text(source: str, titles: Mapping[str, str] = {}) -> str:
    """Plain text of a Markdown fragment: rendered, then every tag dropped.

    A wiki-link reads as its text, or as the title of the brief it names.
    """
    def as_text(m: re.Match) -> str:
        slug = m.group(1).strip()
        # A title is plain text: escaped, so `*`, `_` or `<b>` in it stay as written.
        return m.group(2) or (markdown_text(titles[slug]) if slug in titles else m.group(1))

    source = WIKI_LINK.sub(as_text, source)
    rendered = _MARKDOWN.reset().convert(source)
    return " ".join(html.unescape(nh3.clean(rendered, tags=set())).split())


def first_paragraph(body: str) -> str:
    """The first block of prose in a Markdown body (headings, lists, quotes, tables skipped)."""
    for block in re.split(r"\n\s*\n", body.strip()):
        block = block.strip()
        if block and not re.match(r"([#>|*+-]|\d+\.|```|~~~|<|\[\^)", block):
            return block
    return ""


def cut_at_word(text: str, limit: int = SUMMARY_LENGTH) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"


def derived_summary(body: str, titles: Mapping[str, str] = {}) -> str:
    return cut_at_word(markdown_to_text(first_paragraph(body), titles))


def reading_minutes(body: str) -> int:
    """Minutes at 230 words a minute, at least one."""
    return max(1, round(len(body.split()) / 230))
