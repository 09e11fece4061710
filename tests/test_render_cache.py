"""The cache of rendered brief bodies: same pages as without it, never stale, never hiding a warning."""

import json
import logging
from pathlib import Path

import pytest

from archive_kit import Archive


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def cache_use(messages: list[str]) -> tuple[int, int]:
    line = next(m for m in messages if "rendered bodies:" in m)
    hits, rendered = (int(word) for word in line.split() if word.isdigit())
    return hits, rendered


@pytest.fixture(autouse=True)
def debug_log(caplog):
    caplog.set_level(logging.DEBUG, logger="mkdocs")


BODY = "Intro paragraph.\n\n## A heading\n\nSee [[target-brief]] and the [note](#a-heading).\n"


def test_a_second_build_renders_nothing_again_and_writes_the_same_site(archive: Archive):
    archive.brief("target-brief", date="2023-01-01")
    archive.brief("linking-brief", date="2023-02-01", body=BODY)
    first = archive.build()
    assert first.ok, first.messages
    before = tree(first.site)
    assert cache_use(first.messages) == (0, 2)
    cache_file = archive.root / ".cache" / "briefing-archive" / "bodies.json"
    assert len(json.loads(cache_file.read_text())["bodies"]) == 2

    second = archive.build()
    assert second.ok
    assert cache_use(second.messages) == (2, 0)
    assert tree(second.site) == before
    # The table of contents survives the cache (the theme's skip link points at the first heading).
    assert second.html("briefs/2023/linking-brief/").css_first("a.md-skip").attributes["href"] == "#a-heading"


def test_an_edited_brief_is_rendered_again_and_only_it(archive: Archive):
    archive.brief("target-brief", date="2023-01-01")
    archive.brief("linking-brief", date="2023-02-01", body=BODY)
    archive.build()
    archive.brief("target-brief", date="2023-01-01", body="A new text.")
    site = archive.build()
    assert cache_use(site.messages) == (1, 1)
    assert "A new text." in site.html("briefs/2023/target-brief/").css_first(".ba-brief__body").text()


def test_a_retitled_link_target_updates_the_pages_linking_to_it(archive: Archive):
    archive.brief("target-brief", date="2023-01-01", title="Old Title")
    archive.brief("linking-brief", date="2023-02-01", body=BODY)
    archive.build()
    archive.brief("target-brief", date="2023-01-01", title="New Title")
    site = archive.build()
    links = [a.text(strip=True) for a in site.html("briefs/2023/linking-brief/").css(".ba-brief__body a")]
    assert "New Title" in links and "Old Title" not in links


def test_a_body_that_warned_warns_again_on_the_next_build(archive: Archive):
    archive.brief("lonely-brief", body="A [broken link](missing-page.md).")
    first = archive.build()
    second = archive.build()
    for site in (first, second):
        assert any("missing-page.md" in m and "not found" in m for m in site.messages), site.messages
    assert cache_use(second.messages) == (0, 1)


def test_a_link_target_appearing_changes_the_key(archive: Archive):
    archive.brief("lonely-brief", body="An [about page](../../about.md).")
    first = archive.build()
    assert any("about.md" in m for m in first.messages)
    archive.write("content/about.md", "# About\n")
    second = archive.build()
    assert cache_use(second.messages) == (0, 1)
    assert not any("about.md" in m and "not found" in m for m in second.messages)


def test_the_cache_can_be_turned_off(tmp_path: Path):
    archive = Archive(tmp_path, plugin_options={"cache_dir": ""})
    archive.brief("only-brief")
    assert archive.build().ok and archive.build().ok
    assert not (tmp_path / ".cache").exists()
