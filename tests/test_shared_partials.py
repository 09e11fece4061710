"""The theme's navigation, rendered once per folder for pages outside it, gives every page the
bytes the theme gives it when it renders the navigation for each page."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from archive_kit import MKDOCS_YML, Archive
from briefing_archive.engine.theme import SharedPartials

# Two more entries in the test archive's navigation: a page under one that is not in it (about/),
# and one brief of a year whose other briefs are not.
LAST_NAV_ENTRY = "  - Archive: archive/index.md\n"
MORE_NAV = "  - Team: about/team.md\n  - One brief: briefs/2023/in-the-nav.md\n"


def _archive(root: Path, extra: str = "") -> Archive:
    archive = Archive(root)
    for year in ("2022", "2023"):
        for number in range(3):
            archive.brief(f"brief-{number}-of-{year}", date=f"{year}-0{number + 1}-10")
    archive.brief("in-the-nav", date="2023-05-05")
    archive.write("content/about/index.md", "# About\n\nWho we are.\n")  # above a page in the nav
    archive.write("content/about/team.md", "# Team\n\nThe team.\n")
    archive.write("content/contact.md", "# Contact\n\nWrite to us.\n")  # beside about/, outside the nav
    config = MKDOCS_YML.replace("{page_size}", "20")
    assert LAST_NAV_ENTRY in config
    archive.write("mkdocs.yml", config.replace(LAST_NAV_ENTRY, LAST_NAV_ENTRY + MORE_NAV) + extra)
    return archive


def _build_both(tmp_path: Path, monkeypatch, extra: str = "") -> tuple[Path, Path]:
    shared = _archive(tmp_path / "shared", extra)
    theirs = _archive(tmp_path / "theirs", extra)
    assert shared.build().ok
    with monkeypatch.context() as patch:
        patch.setattr(SharedPartials, "install", lambda self, env, theme: None)
        assert theirs.build().ok
    return shared.root / "site", theirs.root / "site"


def _differences(left: Path, right: Path) -> list[str]:
    compared = filecmp.dircmp(left, right)
    found = [str(Path(compared.left) / name) for name in compared.left_only + compared.right_only]
    _, mismatch, errors = filecmp.cmpfiles(left, right, compared.common_files, shallow=False)
    found += [str(left / name) for name in mismatch + errors]
    for folder in compared.common_dirs:
        found += _differences(left / folder, right / folder)
    return found


def test_every_page_is_what_the_theme_renders_for_it(tmp_path: Path, monkeypatch):
    shared, theirs = _build_both(tmp_path, monkeypatch)
    assert _differences(shared, theirs) == []
    pages = sorted(shared.rglob("*.html"))
    assert len(pages) > 20


def test_pages_side_by_side_link_the_navigation_from_where_they_are(tmp_path: Path, monkeypatch):
    shared, _ = _build_both(tmp_path, monkeypatch)

    def drawer_links(page: str) -> dict[str, str]:
        tree = HTMLParser((shared / page).read_text(encoding="utf-8"))
        return {a.text(strip=True): a.attributes["href"] for a in tree.css("nav.md-nav--primary a.md-nav__link")}

    assert drawer_links("contact/index.html")["Team"] == "../about/team/"
    assert drawer_links("about/index.html")["Team"] == "team/"  # above a page in the nav: its own
    sibling = drawer_links("briefs/2023/brief-0-of-2023/index.html")
    assert sibling["One brief"] == "../in-the-nav/"
    assert drawer_links("briefs/2022/brief-0-of-2022/index.html")["One brief"] == "../../2023/in-the-nav/"
    assert sibling["Latest"] == "../../"
    in_nav = HTMLParser((shared / "briefs/2023/in-the-nav/index.html").read_text(encoding="utf-8"))
    assert [a.text(strip=True) for a in in_nav.css("a.md-nav__link--active")] == ["One brief"]


def test_a_partial_a_custom_dir_overrides_is_rendered_for_each_page(tmp_path: Path, monkeypatch):
    archive = _archive(tmp_path / "custom", "")
    archive.write("overrides/partials/nav.html", '<nav class="custom-nav">{{ page.title }}</nav>')
    config = (archive.root / "mkdocs.yml").read_text(encoding="utf-8")
    archive.write("mkdocs.yml", config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"))
    site = archive.build()
    assert site.ok, site.messages
    for slug in ("brief-0-of-2023", "brief-1-of-2023"):
        tree = HTMLParser((site.site / f"briefs/2023/{slug}/index.html").read_text(encoding="utf-8"))
        assert tree.css_first("nav.custom-nav").text() == tree.css_first("h1").text(strip=True)
