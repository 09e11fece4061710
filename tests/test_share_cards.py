"""Share cards (issue 18): a 1200×630 PNG for each brief, topic, author, series and the home page,
named in the page's <head> (og:image with its size and alt, twitter:card summary_large_image),
drawn from what the page says, kept in .cache by a hash of it, the same bytes on every path.

The cards are opened with Pillow; the drawing is checked on its own too (a long title wraps and
shrinks and never overflows, a long byline is shortened, a Korean title is set in Hangul glyphs)."""

from __future__ import annotations

import io
import logging
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageChops, ImageDraw

from archive_kit import Archive, BuiltSite

from briefing_archive.outputs import card_drawing, share_cards
from briefing_archive.outputs.card_drawing import Card

SITE_URL = "https://briefs.test.example/"
EPOCH = "1717200000"  # the build's date, 2024-06-01: every brief below is out
LONG_TITLE = ("Testimony Before the House Foreign Affairs Committee on the Enforcement of Sanctions Against "
              "North Korea's Illicit Networks of Ship-to-Ship Transfers, Cyber Theft and Overseas Laborers in "
              "Russia and China, With Recommendations for the Congress and the Allies in Seoul and Tokyo")
KOREAN_TITLE = "한미 사이버 협의, 북한의 가상자산 탈취를 막는 발판"

FONTS = card_drawing.find_fonts()
needs_fonts = pytest.mark.skipif(FONTS is None and os.environ.get("BRIEFS_REQUIRE_BROWSER") != "1",
                                 reason="the Noto CJK fonts are not installed (apt-get install fonts-noto-cjk)")
pytestmark = needs_fonts


def card_archive(root: Path, **options) -> Archive:
    archive = Archive(root, page_size=2, plugin_options=options)
    archive.write("site_config/series.yml", yaml.safe_dump({"kpr": {"title": "Korea Program Report", "short": "KPR"}}))
    for key, name in (("jo-lee", "Jo Lee"), ("priya-raman", "Priya Raman"), ("daniel-okafor", "Daniel Okafor")):
        archive.author(key, name=name)
    archive.brief("allied-talks", date="2023-06-26", title="Allied Cyber Talks Can Blunt North Korean Crypto Theft",
                  authors=["min-ji-kim", "sam-ortiz"], topics=["cyber", "north-korea"], series="kpr", number=1)
    archive.brief("allied-talks-ko", date="2023-06-28", title=KOREAN_TITLE, language="ko",
                  translation_of="allied-talks", authors=["min-ji-kim", "sam-ortiz"], topics=["cyber", "north-korea"])
    archive.brief("long-testimony", date="2023-09-12", title=LONG_TITLE, topics=["cyber", "sanctions"],
                  authors=["min-ji-kim", "sam-ortiz", "jo-lee", "priya-raman", "daniel-okafor"])
    archive.brief("gas-storage", date="2022-10-03", title="Europe's Gas Storage Before Winter", topics=["cyber"])
    return archive


def build(archive: Archive, monkeypatch: pytest.MonkeyPatch | None = None) -> BuiltSite:
    patch = monkeypatch or pytest.MonkeyPatch()
    patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        built = archive.build()
    finally:
        if monkeypatch is None:
            patch.undo()
    assert built.ok, built.messages
    return built


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build(card_archive(tmp_path_factory.mktemp("cards")))


def meta(built: BuiltSite, url: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in built.html(url).css("meta[property], meta[name]"):
        name = node.attributes.get("property") or node.attributes.get("name")
        found.setdefault(name, []).append(node.attributes["content"])
    return found


def card_of(built: BuiltSite, url: str) -> Image.Image:
    """The page's card, found through its og:image."""
    (image,) = meta(built, url)["og:image"]
    assert image.startswith(SITE_URL)
    picture = Image.open(built.file(image[len(SITE_URL) - 1 :]))
    picture.load()
    return picture


def ink(picture: Image.Image, box: tuple[int, int, int, int]) -> int:
    """How many pixels of `box` are dark (text in the site's ink on its paper)."""
    grey = picture.convert("L").crop(box)
    return sum(grey.histogram()[:128])


PAGES_WITH_CARDS = {
    "/briefs/2023/allied-talks/": "briefs/2023/allied-talks/card.png",
    "/briefs/2023/allied-talks-ko/": "briefs/2023/allied-talks-ko/card.png",
    "/briefs/2023/long-testimony/": "briefs/2023/long-testimony/card.png",
    "/topics/cyber/": "topics/cyber/card.png",
    "/topics/cyber/page/2/": "topics/cyber/card.png",  # a listing's later pages show its first page's card
    "/authors/min-ji-kim/": "authors/min-ji-kim/card.png",
    "/series/kpr/": "series/kpr/card.png",
    "/": "card.png",
}


@pytest.mark.parametrize("url", PAGES_WITH_CARDS)
def test_each_page_with_a_card_names_it_with_its_size_and_alt(site: BuiltSite, url: str):
    tags = meta(site, url)
    card_url = SITE_URL + PAGES_WITH_CARDS[url]
    assert tags["og:image"] == tags["twitter:image"] == [card_url]
    assert tags["og:image:type"] == ["image/png"]
    assert tags["og:image:width"] == ["1200"] and tags["og:image:height"] == ["630"]
    assert tags["twitter:card"] == ["summary_large_image"]
    (alt,) = tags["og:image:alt"]
    assert tags["twitter:image:alt"] == [alt]
    assert "Test Institute" in alt
    picture = card_of(site, url)
    assert (picture.format, picture.size) == ("PNG", (1200, 630))


def test_a_brief_cards_alt_says_what_the_card_shows(site: BuiltSite):
    (alt,) = meta(site, "/briefs/2023/allied-talks/")["og:image:alt"]
    assert alt == ("Test Institute — Policy Brief, KPR No. 1: “Allied Cyber Talks Can Blunt North Korean Crypto "
                   "Theft”, by Min-ji Kim and Sam Ortiz, June 26, 2023")
    (alt,) = meta(site, "/briefs/2023/allied-talks-ko/")["og:image:alt"]
    assert alt == f"Test Institute — Policy Brief, 한국어: “{KOREAN_TITLE}”, by Min-ji Kim and Sam Ortiz, June 28, 2023"


@pytest.mark.parametrize("url", ["/archive/", "/types/policy-brief/", "/topics/", "/briefs/"])
def test_pages_without_a_card_name_no_image(site: BuiltSite, url: str):
    tags = meta(site, url)
    assert "og:image" not in tags and "twitter:image" not in tags
    assert tags["twitter:card"] == ["summary"]


def test_every_card_in_the_site_is_a_page_s_and_each_is_different(site: BuiltSite):
    files = sorted(path.relative_to(site.site).as_posix() for path in site.site.rglob("card.png"))
    assert files == sorted(set(PAGES_WITH_CARDS.values()) | {
        "authors/sam-ortiz/card.png", "authors/jo-lee/card.png", "authors/priya-raman/card.png",
        "authors/daniel-okafor/card.png", "briefs/2022/gas-storage/card.png", "topics/sanctions/card.png",
        "topics/north-korea/card.png"})
    contents = [(site.site / name).read_bytes() for name in files]
    assert len(set(contents)) == len(contents)


def test_the_card_shows_the_title_in_ink_where_the_title_goes(site: BuiltSite):
    picture = card_of(site, "/briefs/2023/allied-talks/")
    assert picture.getpixel((5, 5)) != picture.getpixel((5, 300))  # the band over the paper
    title_area = (72, 206, 1128, 494)
    assert ink(picture, title_area) > 5000
    assert ink(card_of(site, "/series/kpr/"), title_area) > 2000


def test_a_korean_translation_s_card_sets_its_title_in_hangul(site: BuiltSite):
    """Where the font had no Hangul, every syllable would be the same box (.notdef, "tofu"): the
    card would be the card of a title of as many unknown characters."""
    korean = card_drawing.Card("Test Institute", "Policy Brief · 한국어", KOREAN_TITLE,
                                names=("Min-ji Kim", "Sam Ortiz"), note="June 28, 2023")
    tofu = card_drawing.Card(korean.site_name, "Policy Brief · \ue000\ue000\ue000",
                             "".join(c if c in " ," else "\ue000" for c in KOREAN_TITLE), names=korean.names, note=korean.note)
    drawn, boxes = (Image.open(io.BytesIO(card_drawing.draw(card, FONTS))) for card in (korean, tofu))
    assert ImageChops.difference(drawn.convert("L"), boxes.convert("L")).getbbox() is not None
    font = card_drawing._font(FONTS.serif_bold, 60)

    def glyph(character: str) -> Image.Image:
        picture = Image.new("L", (90, 90))
        ImageDraw.Draw(picture).text((10, 10), character, font=font, fill=255)
        return picture

    notdef = glyph("\ue000").tobytes()
    for syllable in set(KOREAN_TITLE) - set(" ,"):
        drawn_glyph = glyph(syllable)
        assert drawn_glyph.getbbox() is not None and drawn_glyph.tobytes() != notdef, syllable
    built = card_of(site, "/briefs/2023/allied-talks-ko/")
    assert ImageChops.difference(built.convert("RGB"), drawn.convert("RGB")).getbbox() is None


def test_a_title_change_changes_the_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    archive = card_archive(tmp_path)
    first = build(archive, monkeypatch)
    before = card_of(first, "/briefs/2022/gas-storage/")
    archive.brief("gas-storage", date="2022-10-03", title="Europe's Gas Storage After Winter", topics=["cyber"])
    after = card_of(build(archive, monkeypatch), "/briefs/2022/gas-storage/")
    changed = ImageChops.difference(before.convert("L"), after.convert("L")).getbbox()
    assert changed is not None
    left, top, right, bottom = changed
    assert top >= 206 and bottom <= 494  # the title's lines, nothing else
    kept = sorted(p.name for p in (tmp_path / ".cache/briefing-archive/cards").iterdir())
    assert len(kept) == len(list((tmp_path / "site").rglob("card.png")))  # the retitled brief's old card is gone


def test_a_second_build_draws_nothing_and_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    archive = card_archive(tmp_path)
    first = build(archive, monkeypatch)
    cards = {path.relative_to(first.site): path.read_bytes() for path in first.site.rglob("card.png")}
    kept = tmp_path / ".cache/briefing-archive/cards"
    assert len(list(kept.glob("*.png"))) == len(cards)

    def no_drawing(*args):
        raise AssertionError("a card was drawn again")

    monkeypatch.setattr(card_drawing, "draw", no_drawing)
    second = build(archive, monkeypatch)
    assert {path.relative_to(second.site): path.read_bytes() for path in second.site.rglob("card.png")} == cards
    # The site's card is the kept file itself, linked: MkDocs has nothing to copy.
    assert os.path.samefile(second.site / "card.png", next(p for p in kept.glob("*.png")
                                                            if p.read_bytes() == cards[Path("card.png")]))


def test_a_warm_build_keeps_in_the_cache_the_cards_it_leaves_in_the_site(tmp_path: Path):
    """A warm `mkdocs build` (a new process with the last build's .cache/) puts back the cards of
    unchanged pages from its kept output; those cards stay in the cache all the same, so the next
    build that changes such a page finds them drawn (it once drew every card again after a build
    with no change: 31 s at 10,000 briefs)."""
    config = card_archive(tmp_path).build_config()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH}
    for build_number in range(2):  # cold, then warm with no change
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-v", "-f", str(config), "-d", str(tmp_path / "site")],
                              env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert re.search(r"warm build: [1-9]\d* files as the last build wrote them", done.stderr), done.stderr
    kept = tmp_path / ".cache/briefing-archive/cards"
    assert len(list(kept.glob("*.png"))) == len(list((tmp_path / "site").rglob("card.png")))


def test_the_plain_path_draws_the_same_cards(site: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    plain = build(card_archive(tmp_path, speed_ups=False), monkeypatch)
    assert not (tmp_path / ".cache/briefing-archive/cards").exists()
    cached = {path.relative_to(site.site): path.read_bytes() for path in site.site.rglob("card.png")}
    assert {path.relative_to(plain.site): path.read_bytes() for path in plain.site.rglob("card.png")} == cached


def test_cards_drawn_on_every_core_are_the_ones_drawn_in_turn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cards = [Card("Test Institute", "Policy Brief", f"Brief number {n}", names=("Min-ji Kim",), note="June 26, 2023")
             for n in range(12)]
    monkeypatch.setattr(share_cards, "PARALLEL_FROM", 2)
    monkeypatch.setattr(share_cards, "_CHUNK", 3)
    monkeypatch.setattr(share_cards, "fork_workers", lambda items, parallel_from: 2)
    forked = share_cards.CardCache(tmp_path / "forked", FONTS)
    forked.prepare(cards)
    in_turn = share_cards.CardCache(None, FONTS)
    for card in cards:
        assert Path(forked.path(card)).read_bytes() == in_turn.png(card)


def test_a_card_in_the_site_folder_is_replaced_never_written_through(tmp_path: Path):
    kept, dest = tmp_path / "kept.png", tmp_path / "site" / "card.png"
    kept.write_bytes(b"the kept card")
    share_cards.place_card(str(dest), str(kept))
    assert os.path.samefile(kept, dest)
    share_cards.place_card(str(dest), None)  # the plain path: MkDocs writes the drawn bytes there
    dest.write_bytes(b"another card")
    assert kept.read_bytes() == b"the kept card"


def test_without_the_fonts_the_build_says_so_and_pages_keep_the_site_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                          caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="mkdocs")
    monkeypatch.setattr(card_drawing, "FONT_DIRS", (tmp_path / "no-fonts",))
    archive = card_archive(tmp_path / "archive", share_image="assets/share.png")
    archive.write("content/assets/share.png", b"\x89PNG\r\n\x1a\n")
    built = build(archive, monkeypatch)
    assert any("share cards not drawn" in m and "fonts-noto-cjk" in m for m in built.messages)
    assert list(built.site.rglob("card.png")) == []
    assert meta(built, "/briefs/2023/allied-talks/")["og:image"] == [SITE_URL + "assets/share.png"]


def test_cards_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="mkdocs")
    built = build(card_archive(tmp_path, share_cards=False), monkeypatch)
    assert list(built.site.rglob("card.png")) == []
    assert "og:image" not in meta(built, "/briefs/2023/allied-talks/")
    assert not any("share cards not drawn" in m for m in built.messages)


# --- the drawing on its own ---------------------------------------------------------------------

def png_chunks(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        chunks.append(kind.decode("ascii"))
        at += 12 + length
    return chunks


def test_a_card_is_the_same_bytes_every_time_with_nothing_but_the_picture():
    card = Card("Test Institute", "Policy Brief", "Allied Cyber Talks", names=("Min-ji Kim",), note="June 26, 2023")
    data = card_drawing.draw(card, FONTS)
    assert card_drawing.draw(card, FONTS) == data
    assert set(png_chunks(data)) == {"IHDR", "PLTE", "IDAT", "IEND"}  # no time, no text


def test_a_long_title_shrinks_and_wraps_inside_the_card():
    height = 288
    title = LONG_TITLE[: LONG_TITLE.index(" Transfers") + len(" Transfers")]
    font, lines, spacing = card_drawing._fitted(title, FONTS.serif_bold, height)
    assert font.size < card_drawing.TITLE_SIZES[0]
    assert len(lines) * spacing <= height
    assert all(font.getlength(line) <= card_drawing.TEXT_WIDTH for line in lines)
    assert " ".join(lines) == title  # nothing lost while it fits
    short, short_lines, _ = card_drawing._fitted("Cyber", FONTS.serif_bold, height)
    assert (short.size, short_lines) == (card_drawing.TITLE_SIZES[0], ["Cyber"])


def test_a_title_too_long_for_the_smallest_size_is_cut_with_an_ellipsis():
    endless = " ".join([LONG_TITLE] * 4)
    font, lines, spacing = card_drawing._fitted(endless, FONTS.serif_bold, 288)
    assert font.size == card_drawing.TITLE_SIZES[-1]
    assert len(lines) * spacing <= 288
    assert all(font.getlength(line) <= card_drawing.TEXT_WIDTH for line in lines)
    assert lines[-1].endswith(card_drawing.ELLIPSIS)


def test_a_word_wider_than_the_card_is_broken_between_characters():
    font = card_drawing._font(FONTS.serif_bold, 72)
    lines = card_drawing._wrapped("Supercalifragilistic" * 4, font, card_drawing.TEXT_WIDTH)
    assert len(lines) > 1 and "".join(lines) == "Supercalifragilistic" * 4
    assert all(font.getlength(line) <= card_drawing.TEXT_WIDTH for line in lines)


def test_a_long_byline_names_the_first_authors_and_counts_the_others():
    font = card_drawing._font(FONTS.sans_bold, card_drawing.FOOTER_SIZE)
    two = ("Min-ji Kim", "Sam Ortiz")
    assert card_drawing.byline(two, font, 900) == "Min-ji Kim and Sam Ortiz"
    five = two + ("Jo Lee", "Priya Raman", "Daniel Okafor")
    assert card_drawing.byline(five, font, 2000) == "Min-ji Kim, Sam Ortiz, Jo Lee, Priya Raman and Daniel Okafor"
    assert card_drawing.byline(five, font, 750) == "Min-ji Kim, Sam Ortiz, Jo Lee and 2 others"  # never "and 1 other"
    assert card_drawing.byline(five, font, 500) == "Min-ji Kim, Sam Ortiz and 3 others"
    assert card_drawing.byline(five, font, 330) == "Min-ji Kim and 4 others"
    assert card_drawing.byline(two, font, 320) == "Min-ji Kim and 1 other"  # two names, only one fits
    assert card_drawing.byline(five, font, 260) == "Min... and 4 others"
    assert font.getlength(card_drawing.byline(five, font, 260)) <= 260
    assert card_drawing.byline(("Min-ji Kim",), font, 900) == "Min-ji Kim"
