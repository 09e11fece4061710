"""Every page is valid HTML, the theme's markup included (issue 18; engine/valid_markup.py): the Nu
HTML checker finds no error on any page of a small archive; material's table of contents labels a
checkbox that exists on pages outside the navigation too; its toggles carry no `autocomplete`; no
form has an empty `action`. And the feed and language links stay out of material's language
switch, which would fetch a `sitemap.xml` beside each (archive/head.html)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from archive_kit import Archive, BuiltSite
from mkdocs.utils import get_theme_dir
from selectolax.lexbor import LexborHTMLParser

from audit.run import run_nu
from briefing_archive.engine import valid_markup

BODY = """The allies met for three days.

## What was agreed

A framework for deterring cyber adversaries.[^1]

| Material | Share of supply |
| --- | --- |
| Gallium | about 98% |

## What comes next

Regular dialogues among experts.

[^1]: The framework was signed in April.
"""
BRIEF = "briefs/2023/allied-cyber-talks/"
TRANSLATION = "briefs/2023/allied-cyber-talks-ko/"


def markup_archive(root: Path) -> Archive:
    archive = Archive(root, plugins_extra=["briefing-search"])
    archive.brief("allied-cyber-talks", title="Allied Cyber Talks", topics=["cyber", "north-korea"], body=BODY)
    archive.brief("allied-cyber-talks-ko", date="2023-06-30", title="한미 사이버 대화", language="ko",
                  translation_of="allied-cyber-talks", body="동맹국들은 사이버 협력을 강화하기로 했다.")
    archive.brief("sanctions-review", date="2022-06-01", title="Sanctions Review", topics=["sanctions"])
    archive.write("content/index.md", "# Test Institute\n\n## Our work\n\nBriefs.\n\n## Our people\n\nFellows.\n")
    archive.write("content/about.md", "# About\n\n## Who we are\n\nAn institute.\n\n## What we do\n\nResearch.\n")
    return archive


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    built = markup_archive(tmp_path_factory.mktemp("markup")).build()
    assert built.ok, built.messages
    return built


def pages(site: BuiltSite) -> dict[str, LexborHTMLParser]:
    return {path.relative_to(site.site).as_posix(): LexborHTMLParser(path.read_text(encoding="utf-8"))
            for path in sorted(site.site.rglob("*.html"))}


def test_every_label_names_a_control_on_every_page(site: BuiltSite):
    orphans = []
    for name, page in pages(site).items():
        ids = [node.attributes["id"] for node in page.css("[id]")]
        assert len(ids) == len(set(ids)), (name, sorted(i for i in ids if ids.count(i) > 1))
        orphans += [f"{name}: for={label.attributes['for']}" for label in page.css("label[for]")
                    if label.attributes["for"] not in ids]
    assert orphans == []
    # the brief, outside the navigation, has its table of contents and the checkbox its title labels
    brief = site.html(BRIEF)
    assert brief.css_first('.md-sidebar--secondary label[for="__toc"]') is not None
    assert len(brief.css('input#__toc[type="checkbox"]')) == 1


def test_the_toc_checkbox_once_on_pages_in_and_outside_the_navigation(site: BuiltSite):
    """Home is in the navigation (material renders the checkbox beside its entry); the about page,
    an editorial page outside it, gets it from the adapted partial: one each."""
    for url in ("", "about/"):
        page = site.html(url)
        assert page.css_first('.md-sidebar--secondary label[for="__toc"]') is not None, url
        assert len(page.css("input#__toc")) == 1, url
    assert site.html("briefs/2022/sanctions-review/").css("input#__toc") == []  # no headings, no box


def test_no_checkbox_or_radio_has_autocomplete_and_no_form_an_empty_action(site: BuiltSite):
    found = []
    for name, page in pages(site).items():
        found += [f"{name}: {node.html[:90]}" for node in page.css("input[autocomplete]")
                  if node.attributes.get("type") in ("checkbox", "radio")]
        found += [f"{name}: {node.html[:90]}" for node in page.css("form[action]") if not node.attributes["action"]]
    assert found == []
    toggles = site.html(BRIEF).css("input.md-toggle[data-md-toggle]")
    assert {t.attributes["id"] for t in toggles} == {"__drawer", "__search"}  # still there, without the attribute


def test_feed_and_language_links_are_kept_out_of_materials_language_switch(site: BuiltSite):
    for url in (BRIEF, TRANSLATION, "topics/cyber/", "authors/min-ji-kim/", ""):
        head = site.html(url).css_first("head")
        alternates = head.css('link[rel="alternate"]')
        assert alternates and all("data-archive-alternate" in link.attributes for link in alternates), url
        shields = [s for s in head.css("script:not([src]):not([type])") if "data-archive-alternate" in s.text()]
        assert len(shields) == 1, url
    hreflangs = site.html(BRIEF).css('link[rel="alternate"][hreflang]')
    assert {link.attributes["hreflang"] for link in hreflangs} == {"en", "ko"}
    # a page with no such link has no script for them
    search = site.html("search/").css_first("head")
    assert search.css('link[rel="alternate"]') == [] and "data-archive-alternate" not in search.html


@pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime (apt-get install default-jre-headless)")
def test_the_nu_checker_finds_no_error_on_any_page(site: BuiltSite):
    every = {name: "/" + name for name in pages(site)}
    errors = {name: found for name, found in run_nu(site.site, every).items() if found}
    assert errors == {}
    assert len(every) > 20


# --- the adaptations themselves ---------------------------------------------------------------------

MATERIAL_BASE = (Path(get_theme_dir("material")) / valid_markup.BASE).read_text(encoding="utf-8")


def test_only_the_toggles_autocomplete_is_dropped():
    adapted = valid_markup.without_toggle_autocomplete(MATERIAL_BASE)
    assert adapted is not None
    assert 'autocomplete="off"' not in adapted.split('id="__search"')[0].split("<body")[-1]
    assert len(MATERIAL_BASE) - len(adapted) == 2 * len(' autocomplete="off"')
    assert adapted.replace('id="__drawer">', 'id="__drawer" autocomplete="off">').replace(
        'id="__search">', 'id="__search" autocomplete="off">') == MATERIAL_BASE


def test_a_base_html_not_as_tested_is_left_as_it_is():
    one_toggle = MATERIAL_BASE.replace('data-md-toggle="search"', 'data-md-toggle="find"')
    assert valid_markup.without_toggle_autocomplete(one_toggle) is None
    assert valid_markup.without_toggle_autocomplete("<body></body>") is None


def test_a_custom_dirs_own_base_and_toc_are_left_as_they_are(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    archive = markup_archive(tmp_path)
    archive.write("overrides/base.html", MATERIAL_BASE.replace("<body ", '<body data-theirs="yes" '))
    toc = (Path(get_theme_dir("material")) / valid_markup.TOC).read_text(encoding="utf-8")
    archive.write("overrides/partials/toc.html", toc.replace('<nav class="md-nav md-nav--secondary"',
                                                            '<nav data-their-toc class="md-nav md-nav--secondary"'))
    config = archive.build_config()
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
                      encoding="utf-8")
    built = archive.build()
    assert built.ok, built.messages
    brief = built.html(BRIEF)
    assert brief.css_first("body").attributes.get("data-theirs") == "yes"
    assert brief.css_first("input#__drawer").attributes.get("autocomplete") == "off"  # theirs, untouched
    assert brief.css_first("nav[data-their-toc]") is not None and brief.css("input#__toc") == []


def test_on_an_untested_theme_the_templates_are_the_themes_with_one_info_line(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch,
                                                                              caplog: pytest.LogCaptureFixture):
    monkeypatch.setattr(valid_markup, "SUPPORTED", False)
    caplog.set_level(logging.INFO, logger="mkdocs")
    built = markup_archive(tmp_path).build()
    assert built.ok, built.messages
    brief = built.html(BRIEF)
    assert brief.css_first("input#__drawer").attributes.get("autocomplete") == "off"
    assert brief.css("input#__toc") == []
    notes = [r for r in caplog.records if "not a version the markup fixes were tested on" in r.getMessage()]
    assert len(notes) == 1 and notes[0].levelname == "INFO"
