"""Share cards drawn with Pillow: the 1200×630 PNG a page shows when it is shared (Open Graph).

A card is drawn from a `Card`, plain text only. It is set like the site: the title in a bold
serif, the rest in a sans, in the stylesheet's colours (assets/briefing-archive.css), under a
band that carries the institution's mark as the site's header does (the ink band, the accent
rule). The typefaces are Noto Serif CJK and Noto Sans CJK, Korean faces: their Latin is a sober
text face (Source Serif, Source Sans) and they cover Hangul, so a Korean translation's title is
set in the same family. They come from Debian's `fonts-noto-cjk` (see `find_fonts`).

Drawing is deterministic: Pillow's basic layout (not Raqm, which a machine may or may not have),
a fixed palette and no metadata in the PNG, so the same card gives the same bytes.

What it costs matters at 10,000 briefs (~4.5 ms of CPU a card, of which 2 ms go to the PNG's
deflate and 1 ms to setting the title): the band and mark are drawn once a process, kickers,
dates and bylines set once and pasted again, and the card is drawn straight into palette
indices (below), one byte a pixel.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
TEXT_WIDTH = WIDTH - 2 * MARGIN

# The stylesheet's custom properties (--ba-ink, --ba-accent, …).
INK = (0x16, 0x21, 0x3A)
INK_SOFT = (0x32, 0x3B, 0x4D)
ACCENT = (0xA3, 0x16, 0x2B)
MUTED = (0x5B, 0x64, 0x75)
RULE = (0xC5, 0xCC, 0xD8)
PAPER = (0xF8, 0xF6, 0xF1)
WHITE = (0xFF, 0xFF, 0xFF)

BAND_HEIGHT = 104  # the ink band with the mark, as the site's header
ACCENT_RULE = 6  # under it, as the navigation tabs' border
KICKER_BASELINE = 178
TITLE_TOP = 206
FOOTER_RULE_Y = 522
FOOTER_BASELINE = 578
TITLE_SIZES = (72, 66, 60, 54, 48, 44, 40)  # the largest whose lines fit is used
LINE_SPACING = 1.16
TITLE_ROOM = FOOTER_RULE_Y - 28 - TITLE_TOP  # for the title and the dek under it
DEK_SIZE, DEK_LINES, DEK_SPACING, DEK_GAP = 28, 2, 38, 18
FOOTER_SIZE = 28
ELLIPSIS = "..."  # the Korean faces set "…" at mid-height, as Korean writes it

# Where Debian and Ubuntu (fonts-noto-cjk), Fedora and Arch put the Noto CJK collections.
FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/google-noto-serif-cjk-fonts"),
    Path("/usr/share/fonts/google-noto-sans-cjk-fonts"),
    Path("/usr/share/fonts/noto-cjk"),
)
FONT_FILES = {"serif_bold": "NotoSerifCJK-Bold.ttc", "sans": "NotoSansCJK-Regular.ttc",
              "sans_bold": "NotoSansCJK-Bold.ttc"}
KOREAN_FACE = " KR"  # each collection holds a face per region; the Korean one, by its family name


@dataclass(frozen=True)
class Card:
    """Everything a card shows, as plain text: a card's cache key is made from these fields."""

    site_name: str  # set as the wordmark
    kicker: str  # what the page is: "Policy Brief", "Topic", "Author"…
    title: str
    dek: str = ""  # under the title: an author's role, a topic's description
    names: tuple[str, ...] = ()  # the byline, shortened to what fits ("A and 3 others")
    note: str = ""  # the date, or how many briefs


@dataclass(frozen=True)
class Fonts:
    """The font files a card is set in, each a (path, face index) in a collection."""

    serif_bold: tuple[str, int]
    sans: tuple[str, int]
    sans_bold: tuple[str, int]


def find_fonts() -> Fonts | None:
    """The Korean faces of the Noto CJK collections, or None where they are not installed."""
    found = {}
    for role, name in FONT_FILES.items():
        path = next((folder / name for folder in FONT_DIRS if (folder / name).is_file()), None)
        index = _korean_face(path) if path else None
        if index is None:
            return None
        found[role] = (str(path), index)
    return Fonts(**found)


def _korean_face(path: Path) -> int | None:
    index = 0
    while True:
        try:
            family, _style = ImageFont.truetype(str(path), 12, index=index).getname()
        except OSError:  # past the last face, or not a font
            return None
        if family and family.endswith(KOREAN_FACE):
            return index
        index += 1


@cache
def _font(face: tuple[str, int], size: int) -> ImageFont.FreeTypeFont:
    path, index = face
    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)


def load(fonts: Fonts, site_name: str) -> None:
    """Opens the title's fonts and draws the band, so that processes forked after share them."""
    for size in TITLE_SIZES:
        _font(fonts.serif_bold, size)
    _band(fonts, site_name)


# --- the card as palette indices ------------------------------------------------------------------
#
# A card has a few flat colours and text in a few inks, each always on the same background. It is
# drawn straight into palette indices: every solid colour has one, and every ink on its background
# a ramp of shades from one to the other, which anti-aliased text takes its pixels from. No RGB
# image is made, nor mapped onto a palette afterwards, and the PNG holds one byte a pixel.

_SOLIDS = (PAPER, INK, ACCENT, RULE)
_RAMPS = {(PAPER, INK): 48, (PAPER, INK_SOFT): 40, (PAPER, ACCENT): 40, (PAPER, MUTED): 40,
          (INK, WHITE): 40, (ACCENT, WHITE): 40}


def _ramp(start: tuple[int, int, int], end: tuple[int, int, int], steps: int) -> list[tuple[int, int, int]]:
    return [tuple(round(a + (b - a) * i / (steps - 1)) for a, b in zip(start, end)) for i in range(steps)]


def _palette() -> tuple[list[int], dict[tuple, bytes]]:
    """The palette (flat RGB) and, for each ink on its background, the index of each coverage 0-255."""
    colours = list(_SOLIDS)
    shades = {}
    for (background, ink), steps in _RAMPS.items():
        first = len(colours)
        colours += _ramp(background, ink, steps)
        shades[background, ink] = bytes(first + round(v * (steps - 1) / 255) for v in range(256))
    assert len(colours) <= 256
    return [channel for colour in colours for channel in colour], shades


PALETTE, _SHADES = _palette()
_COVERED = bytes([0] + [255] * 255)  # a pixel any ink touches takes its shade whole: the shade is the blend


def _fill(canvas: Image.Image, box: tuple[int, int, int, int], colour: tuple[int, int, int]) -> None:
    ImageDraw.Draw(canvas).rectangle(box, fill=_SOLIDS.index(colour))


def _shaded(text: str, font: ImageFont.FreeTypeFont, ink: tuple[int, int, int], on: tuple[int, int, int],
            anchor: str) -> tuple[Image.Image, Image.Image, int, int]:
    """`text` set in `ink` on `on`: its shades, the mask of the pixels it touches, and where its
    box stands from the anchor point."""
    left, top, right, bottom = font.getbbox(text, anchor=anchor)
    size = (right - left, bottom - top)
    coverage = Image.new("L", size)
    ImageDraw.Draw(coverage).text((-left, -top), text, font=font, fill=255, anchor=anchor)
    # Mapped through bytes.translate: Image.point would build its table again on every call.
    raw = coverage.tobytes()
    return (Image.frombytes("L", size, raw.translate(_SHADES[on, ink])),
            Image.frombytes("L", size, raw.translate(_COVERED)), left, top)


# Kickers, bylines, dates and counts repeat across thousands of cards: they are set once a process.
_shaded_again = lru_cache(maxsize=512)(_shaded)


def _text(canvas: Image.Image, xy: tuple[float, float], text: str, font: ImageFont.FreeTypeFont,
          ink: tuple[int, int, int], on: tuple[int, int, int] = PAPER, anchor: str = "ls", repeats: bool = False) -> None:
    """`text` set at `xy` (ImageDraw's anchors) in `ink`, on a background of colour `on`."""
    if not text:
        return
    shades, mask, left, top = (_shaded_again if repeats else _shaded)(text, font, ink, on, anchor)
    canvas.paste(shades, (round(xy[0]) + left, round(xy[1]) + top), mask)


# --- lines of text ------------------------------------------------------------------------------

def _shortened(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """`text`, cut at a word (or a character, in a language without spaces) with an ellipsis to fit `width`."""
    if font.getlength(text) <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle].rstrip() + ELLIPSIS) <= width:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    at_word = cut.rfind(" ")
    if at_word > low // 2:
        cut = cut[:at_word]
    return cut.rstrip(" ,;:–—-") + ELLIPSIS


def _wrapped(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Lines of `text` no wider than `width`, broken at spaces; a word wider than a line is broken
    between characters. Each word is measured once: with Pillow's basic layout (no kerning from
    GPOS, which is where these fonts keep it) a line is exactly as wide as its words and spaces."""
    space = font.getlength(" ")
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in text.split():
        size = font.getlength(word)
        if size > width:  # on lines of its own, broken where it must be
            if line:
                lines.append(" ".join(line))
            piece = ""
            for character in word:
                if piece and font.getlength(piece + character) > width:
                    lines.append(piece)
                    piece = ""
                piece += character
            line, used = [piece], font.getlength(piece)
            continue
        if line and used + space + size > width:
            lines.append(" ".join(line))
            line, used = [], 0.0
        used = used + space + size if line else size
        line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


def _fitted(text: str, face: tuple[str, int], height: int) -> tuple[ImageFont.FreeTypeFont, list[str], int]:
    """The largest title size whose lines fit the box, its lines and their spacing; at the
    smallest size, as many lines as fit, the last shortened."""
    for size in TITLE_SIZES:
        font, spacing = _font(face, size), round(size * LINE_SPACING)
        lines = _wrapped(text, font, TEXT_WIDTH)
        if len(lines) * spacing <= height:
            return font, lines, spacing
    room = max(1, height // spacing)
    if len(lines) > room:
        lines = lines[: room - 1] + [_shortened(" ".join(lines[room - 1 :]), font, TEXT_WIDTH)]
    return font, lines, spacing


def byline(names: tuple[str, ...], font: ImageFont.FreeTypeFont, width: float) -> str:
    """Every name if they fit ("A, B and C"), else the first (at most three) that fit and how
    many others, never just one ("A, B and 3 others")."""
    if len(names) <= 1:
        return _shortened(names[0], font, width) if names else ""
    every = ", ".join(names[:-1]) + " and " + names[-1]
    if font.getlength(every) <= width:
        return every
    for shown in range(min(3, len(names) - 2), 0, -1):
        text = ", ".join(names[:shown]) + f" and {len(names) - shown} others"
        if font.getlength(text) <= width:
            return text
    others = f" and {len(names) - 1} other{'s' * (len(names) > 2)}"
    return _shortened(names[0], font, width - font.getlength(others)) + others


# --- the card -----------------------------------------------------------------------------------

@cache
def _band(fonts: Fonts, site_name: str) -> Image.Image:
    """The paper, the ink band with the mark (an initial on an accent square and the name as a
    wordmark) and the accent rule: the same on every card of a site."""
    canvas = Image.new("L", (WIDTH, HEIGHT), _SOLIDS.index(PAPER))
    _fill(canvas, (0, 0, WIDTH - 1, BAND_HEIGHT - 1), INK)
    _fill(canvas, (0, BAND_HEIGHT, WIDTH - 1, BAND_HEIGHT + ACCENT_RULE - 1), ACCENT)
    if site_name:
        square = 56
        top = (BAND_HEIGHT - square) // 2
        _fill(canvas, (MARGIN, top, MARGIN + square - 1, top + square - 1), ACCENT)
        _text(canvas, (MARGIN + square / 2, top + square / 2), site_name[0].upper(), _font(fonts.serif_bold, 40),
              WHITE, on=ACCENT, anchor="mm")
        left = MARGIN + square + 22
        wordmark = _font(fonts.serif_bold, 34)
        _text(canvas, (left, BAND_HEIGHT / 2), _shortened(site_name, wordmark, WIDTH - MARGIN - left), wordmark,
              WHITE, on=INK, anchor="lm")
    return canvas


def draw(card: Card, fonts: Fonts) -> bytes:
    """The card as PNG bytes."""
    canvas = _band(fonts, card.site_name).copy()

    kicker = _font(fonts.sans_bold, 24)
    _text(canvas, (MARGIN, KICKER_BASELINE), _shortened(card.kicker.upper(), kicker, TEXT_WIDTH), kicker, ACCENT,
          repeats=True)

    dek_font = _font(fonts.sans, DEK_SIZE)
    dek = _wrapped(card.dek, dek_font, TEXT_WIDTH)
    if len(dek) > DEK_LINES:
        dek = dek[: DEK_LINES - 1] + [_shortened(" ".join(dek[DEK_LINES - 1 :]), dek_font, TEXT_WIDTH)]
    font, lines, spacing = _fitted(card.title, fonts.serif_bold,
                                   TITLE_ROOM - (DEK_GAP + len(dek) * DEK_SPACING if dek else 0))
    first = TITLE_TOP + round(font.size * 0.92)  # the first line's baseline, its capitals at TITLE_TOP
    for number, line in enumerate(lines):
        _text(canvas, (MARGIN, first + number * spacing), line, font, INK)
    under = first + (len(lines) - 1) * spacing + DEK_GAP
    for number, line in enumerate(dek, start=1):
        _text(canvas, (MARGIN, under + number * DEK_SPACING), line, dek_font, MUTED)

    _fill(canvas, (MARGIN, FOOTER_RULE_Y, WIDTH - MARGIN - 1, FOOTER_RULE_Y + 1), RULE)
    regular, bold = _font(fonts.sans, FOOTER_SIZE), _font(fonts.sans_bold, FOOTER_SIZE)
    if card.names:  # the byline on the left, the note (the date) on the right
        note_width = regular.getlength(card.note)
        _text(canvas, (WIDTH - MARGIN, FOOTER_BASELINE), card.note, regular, MUTED, anchor="rs", repeats=True)
        _text(canvas, (MARGIN, FOOTER_BASELINE), byline(card.names, bold, TEXT_WIDTH - note_width - 40), bold, INK_SOFT,
              repeats=True)
    else:
        _text(canvas, (MARGIN, FOOTER_BASELINE), _shortened(card.note, regular, TEXT_WIDTH), regular, MUTED,
              repeats=True)

    canvas.putpalette(PALETTE)  # the indices become a palette image
    out = io.BytesIO()
    # Fast deflate with run-length matches, for rows that are runs of one colour: ~2 ms, where
    # level 6 takes 2.5 times as long for 15 % fewer bytes.
    canvas.save(out, "PNG", compress_level=1, compress_type=zlib.Z_RLE)
    return out.getvalue()
