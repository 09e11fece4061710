"""Share cards: which pages get one, what each says, and the drawn cards kept across builds.

A brief, a topic, an author, a series and the home page each get a card (drawn by
card_drawing.py) beside the page, `card.png` in its folder; a listing's later pages show its
first page's. The page's <head> points to it (sharing.py).

Drawing a card costs ~4.5 ms of CPU: 45 s at 10,000 briefs. A card changes only when what it
says does, so each is kept in `.cache/` as `<key>.png`, the key a hash of the card's text salted
with Pillow's version, the font files and the drawing code; only the cards the latest build used
are kept. What is missing is drawn before the pages are built, on every core when there are
many, and each kept card is hard-linked into the site folder (`place_card`). The plain path keeps
nothing: each card is drawn when the build asks for it, the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import PIL

from .. import cache_salt
from ..catalogue import Brief, Catalogue
from ..catalogue.text import format_date, language_name
from ..forking import fork_workers
from ..pages import BriefPage, IndexPage, Listing, ListingPage, View
from . import card_drawing
from .card_drawing import Card, Fonts

FILE_NAME = "card.png"
WIDTH, HEIGHT = card_drawing.WIDTH, card_drawing.HEIGHT
LISTINGS_WITH_CARDS = {"topic": "Topic", "author": "Author", "series": "Series"}
FOLDER = "cards"  # in the cache folder
# Below this many to draw, starting workers costs more than they save.
PARALLEL_FROM = 100
_CHUNK = 25


@dataclass(frozen=True)
class ShareCard:
    url: str  # site-relative, e.g. briefs/2023/<slug>/card.png
    card: Card
    alt: str  # what the card says, for those who do not see it


def _count(briefs: tuple[Brief, ...]) -> str:
    return f"{len(briefs):,} brief{'s' * (len(briefs) != 1)}" if briefs else "No briefs yet"


def _alt(site_name: str, kicker: tuple[str, ...], title: str, *more: str) -> str:
    """What a card shows, in a sentence for those who do not see it."""
    return f"{site_name} — {', '.join(kicker)}: “{title}”" + "".join(f", {part}" for part in more if part)


def _brief_card(brief: Brief, site_name: str) -> ShareCard:
    kicker = tuple(filter(None, (brief.type.title, brief.series_label,
                                 language_name(brief.language) if brief.translation_of else "")))
    names = tuple(author.name for author in brief.authors)
    date = format_date(brief.date)
    card = Card(site_name, " · ".join(kicker), brief.title, names=names, note=date)
    by = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return ShareCard(brief.url + FILE_NAME, card, _alt(site_name, kicker, brief.title, f"by {by}", date))


def _listing_card(listing: Listing, site_name: str) -> ShareCard:
    subject = listing.subject
    dek = subject.role if listing.kind == "author" else subject.description
    kicker = LISTINGS_WITH_CARDS[listing.kind]
    card = Card(site_name, kicker, listing.title, dek=dek, note=_count(listing.briefs))
    return ShareCard(listing.url + FILE_NAME, card, _alt(site_name, (kicker,), listing.title, dek))


def _home_card(catalogue: Catalogue, description: str) -> ShareCard:
    site_name = catalogue.site_name
    card = Card(site_name, "Policy briefs", site_name, dek=description, note=_count(catalogue.latest))
    return ShareCard(FILE_NAME, card, _alt(site_name, ("Policy briefs",), site_name, description))


def share_cards(plan: dict[str, View], catalogue: Catalogue, description: str) -> dict[str, ShareCard]:
    """The card of each page that has one, by the page's src_uri (a listing's pages share one).
    `description`: the site's, said on the home page's card."""
    cards: dict[str, ShareCard] = {}
    of_listing: dict[int, ShareCard] = {}
    site_name = catalogue.site_name
    for src_uri, view in plan.items():
        if isinstance(view, BriefPage):
            cards[src_uri] = _brief_card(view.brief, site_name)
        elif isinstance(view, ListingPage) and view.kind in LISTINGS_WITH_CARDS:
            listing = view.listing
            if id(listing) not in of_listing:
                of_listing[id(listing)] = _listing_card(listing, site_name)
            cards[src_uri] = of_listing[id(listing)]
        elif isinstance(view, IndexPage) and view.kind == "home":
            cards[src_uri] = _home_card(catalogue, description)
    return cards


# --- drawn cards, kept ----------------------------------------------------------------------------

def _salt(fonts: Fonts) -> str:
    """Pillow's version, the drawing code, and each font file as installed (its path, face, size
    and time: hashing ~70 MB of fonts on every build would cost more than it saves)."""
    faces = []
    for path, index in (fonts.serif_bold, fonts.sans, fonts.sans_bold):
        stat = os.stat(path)
        faces.append(f"{path}#{index}:{stat.st_size}:{stat.st_mtime_ns}")
    return cache_salt.salt([f"pillow=={PIL.__version__}", *faces], [], [Path(card_drawing.__file__)])


def _draw_into(folder: Path, fonts: Fonts, cards: list[tuple[str, Card]]) -> None:
    for key, card in cards:
        _write(folder / f"{key}.png", card_drawing.draw(card, fonts))


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def place_card(dest: str, kept: str | None) -> None:
    """Readies the card's place in the site folder: whatever is there is removed (it may be a hard
    link to a kept card, which writing through would spoil), and the `kept` card, if any, is
    hard-linked there where the file system allows. MkDocs then finds the file in place and
    copies nothing: copying 10,000 cards costs seconds, linking them a tenth of one."""
    try:
        os.unlink(dest)
    except FileNotFoundError:
        pass
    if kept:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            os.link(kept, dest)
        except OSError:  # another file system, or one without hard links: MkDocs copies it
            pass


class CardCache:
    """`folder` None: nothing is kept (the plain path); each card is drawn when asked for. The
    folder itself says which cards are drawn (a `build` beside a `serve` may have removed some)."""

    def __init__(self, folder: Path | None, fonts: Fonts) -> None:
        self.folder, self.fonts = folder, fonts
        self.salt = _salt(fonts)
        self.keys: dict[Card, str] = {}
        self.used: set[str] = set()

    def key(self, card: Card) -> str:
        key = self.keys.get(card)
        if key is None:
            text = json.dumps(dataclasses.astuple(card), ensure_ascii=False)
            key = self.keys[card] = hashlib.sha256(f"{self.salt}\0{text}".encode("utf-8")).hexdigest()
        return key

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.png"

    def prepare(self, cards: Iterable[Card]) -> None:
        """Draws, on every core when there are many, the cards the folder does not have."""
        missing = {}
        for card in cards:
            key = self.key(card)
            if key not in missing and not self._file(key).is_file():
                missing[key] = card
        if not missing:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        work = list(missing.items())
        workers = fork_workers(len(work), PARALLEL_FROM)
        if workers > 1:
            card_drawing.load(self.fonts, work[0][1].site_name)  # once, before the fork
            chunks = [work[i : i + _CHUNK] for i in range(0, len(work), _CHUNK)]
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                for _ in pool.map(_draw_into, [self.folder] * len(chunks), [self.fonts] * len(chunks), chunks):
                    pass
        else:
            _draw_into(self.folder, self.fonts, work)

    def path(self, card: Card) -> str:
        """The kept file of `card`, drawn now if it is missing."""
        key = self.key(card)
        path = self._file(key)
        if not path.is_file():
            self.folder.mkdir(parents=True, exist_ok=True)
            _draw_into(self.folder, self.fonts, [(key, card)])
        self.used.add(key)
        return str(path)

    def use(self, card: Card) -> str:
        """Notes that this build's site has `card` (if only as the last build wrote it, which a
        warm build puts back): `save` keeps it. Its key."""
        key = self.key(card)
        self.used.add(key)
        return key

    def png(self, card: Card) -> bytes:
        return card_drawing.draw(card, self.fonts)

    def save(self) -> None:
        """Keeps only the cards this build used."""
        if self.folder is None or not self.folder.is_dir():
            return
        for entry in os.scandir(self.folder):
            if entry.name.endswith(".png") and entry.name[: -len(".png")] not in self.used:
                os.unlink(entry.path)
        self.used = set()
