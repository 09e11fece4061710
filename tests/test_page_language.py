"""A translation's page in its own language: `<html lang>` says it (engine/page_language.py), on
every path, with a `custom_dir` of the site's own and on an untested theme version; Pagefind
indexes it in an index of its language beside the site's, kept in order and byte for byte the
same from build to build, and kept across builds only while its pages are unchanged."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from archive_kit import Archive, BuiltSite
from mkdocs.utils import get_theme_dir
from test_determinism import compare, lay_out, mkdocs_build, tree

from briefing_archive.engine import page_language
from briefing_archive.search import plugin as search_plugin
from briefing_archive.search.bundle_order import pagefind_hash, read_record
from test_search import fragments

ORIGINAL = "briefs/2024/trilateral-cooperation/"
KOREAN = "briefs/2024/trilateral-cooperation-ko/"
KOREAN_CYBER = "briefs/2021/cyber-response-ko/"

KOREAN_BODY = (
    "한국과 일본, 미국은 북한의 미사일 발사에 대응하기 위해 경보 정보를 실시간으로 공유하기로 합의했다. "
    "세 나라의 안보 협력은 오랫동안 과거사 문제에 가로막혀 있었지만, 최근 [캠프 데이비드 정상회담](https://example.org/camp-david) 이후 빠르게 제도화되고 있다.\n\n"
    "정기적인 합동 훈련과 국방장관 회의는 정권이 바뀌어도 협력이 이어지도록 하는 장치다. "
    "다만 중국과의 관계를 고려하는 동남아시아 국가들은 이 협력 틀에 참여하는 데 여전히 신중하다."
)


def korean_archive(root: Path, search: dict | None = None, **options) -> Archive:
    """An English original and its Korean translation in 2024, another pair in 2021, an English
    brief in 2022 alone: with `briefs_per_index: 2`, the index is in three parts (2024 | 2022 |
    2021), the first and the last with a Korean index."""
    archive = Archive(root, plugin_options=options, plugins_extra=[{"briefing-search": search or {}}])
    archive.brief("trilateral-cooperation", date="2024-03-04", title="Trilateral Security Cooperation Takes Root",
                  topics=["north-korea"], summary="Three allies now share missile warnings in real time.",
                  body="Seoul, Tokyo and Washington agreed to share missile warning data in real time.\n\n"
                       "Regular drills and ministerial meetings are meant to outlast any one government.")
    archive.brief("trilateral-cooperation-ko", date="2024-03-11", title="한미일 안보 협력, 제도화의 길로",
                  topics=["north-korea"], language="ko", translation_of="trilateral-cooperation",
                  summary="세 나라가 미사일 경보 정보를 실시간으로 공유하기로 하면서 지역 안보 협력이 새로운 단계에 들어섰다.",
                  body=KOREAN_BODY)
    archive.brief("sanctions-review", date="2022-06-01", title="Sanctions Review", topics=["sanctions"],
                  body="Enforcement of the sanctions regime weakened over the year.")
    archive.brief("cyber-response", date="2021-09-09", title="A Joint Answer to Cyber Attacks", topics=["cyber"],
                  body="Allies should answer state hackers together.")
    archive.brief("cyber-response-ko", date="2021-09-20", title="사이버 공격에 대한 공동 대응", topics=["cyber"],
                  language="ko", translation_of="cyber-response",
                  body="동맹국들은 국가 해커의 공격에 함께 대응해야 한다. 정보 공유와 공동 귀속 발표가 협력의 출발점이다.")
    return archive


def html_lang(site: BuiltSite, url: str) -> str:
    return site.html(url).css_first("html").attributes["lang"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    built = korean_archive(tmp_path_factory.mktemp("korean")).build()
    assert built.ok, built.messages
    return built


def test_a_translations_page_says_its_language_and_the_others_the_sites(site: BuiltSite):
    assert html_lang(site, KOREAN) == html_lang(site, KOREAN_CYBER) == "ko"
    for url in (ORIGINAL, "briefs/2022/sanctions-review/", "", "topics/cyber/", "search/", "404.html"):
        assert html_lang(site, url) == "en", url
    # only the language: the theme's words stay the site's
    assert site.html(KOREAN).css_first("header nav.md-header__inner").attributes["aria-label"] == "Header"


def test_the_bundle_has_a_korean_index_beside_the_english_one_in_order(site: BuiltSite):
    bundle = site.site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en", "ko"]
    assert {lang: about["page_count"] for lang, about in entry["languages"].items()} == {"en": 3, "ko": 2}
    for language, about in entry["languages"].items():
        meta, _ = read_record((bundle / f"pagefind.{about['hash']}.pf_meta").read_bytes())
        names = [name for name, _hash in meta[3]]
        assert names == sorted(names) == ["author", "topic", "type", "year"]
        for name, file_hash in meta[3]:
            (key, values), payload = read_record((bundle / "filter" / f"{file_hash}.pf_filter").read_bytes())
            assert key == name and [v for v, _pages in values] == sorted(v for v, _pages in values)
            assert file_hash == f"{language}_" + pagefind_hash(payload)[:7]
    assert len(list((bundle / "filter").iterdir())) == 8  # four filters a language, none left behind
    found = fragments(site)
    assert found["/" + KOREAN]["meta"]["title"] == "한미일 안보 협력, 제도화의 길로"
    assert found["/" + KOREAN]["meta"]["language"] == "ko" and found["/" + ORIGINAL]["meta"]["language"] == "en"
    assert "실시간으로" in found["/" + KOREAN]["content"]


@pytest.mark.parametrize("options", [{"speed_ups": False}, {"build_workers": 2}], ids=["plain", "workers"])
def test_every_path_says_the_translations_language(tmp_path: Path, site: BuiltSite, options: dict,
                                                  caplog: pytest.LogCaptureFixture):
    """A feature, not a speed-up: the plain path (no shared partials) and pages built in forked
    workers give the very pages the default path gives."""
    caplog.set_level(logging.DEBUG, logger="mkdocs")
    archive = korean_archive(tmp_path, {"index": False}, **options)
    if "build_workers" in options:
        # In a process of its own: page workers fork only where no other thread runs (a browser
        # test's server thread may still run in this one).
        archive.build_config()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--verbose"], cwd=archive.root,
                                capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        assert result.returncode == 0, result.stderr
        assert "built by page workers" in result.stdout + result.stderr
        built = BuiltSite(root=archive.root, ok=True, messages=[])
    else:
        built = archive.build()
        assert built.ok, built.messages
    for url in (KOREAN, KOREAN_CYBER, ORIGINAL, "briefs/2022/sanctions-review/"):
        assert built.file(url).read_bytes() == site.file(url).read_bytes(), url


def test_a_custom_dirs_own_language_partial_is_left_as_it_is(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="mkdocs")
    archive = korean_archive(tmp_path, {"index": False})
    theirs = (Path(get_theme_dir("material")) / page_language.PARTIAL).read_text(encoding="utf-8")
    archive.write("overrides/partials/language.html",
                  theirs.replace("{% macro t(key) %}", "{% macro t(key) %}{% if key == 'language' %}x-theirs{% else %}")
                  .replace("{% endmacro %}", "{% endif %}{% endmacro %}"))
    config = archive.root / "mkdocs.yml"
    assert archive.build().ok  # writes mkdocs.yml, then with the site's custom_dir:
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
                      encoding="utf-8")
    caplog.clear()
    built = archive.build()
    assert built.ok, built.messages
    assert html_lang(built, KOREAN) == html_lang(built, ORIGINAL) == "x-theirs"  # theirs, untouched
    told = [m for m in built.messages if f"{page_language.PARTIAL} is the site's own" in m]
    assert len(told) == 1 and page_language.PAGE_LANGUAGE in told[0]
    assert [r.levelname for r in caplog.records if f"{page_language.PARTIAL} is the site's own" in r.getMessage()][-1] == "INFO"


def test_a_custom_dir_without_its_own_language_partial_still_gets_the_pages_language(tmp_path: Path):
    archive = korean_archive(tmp_path, {"index": False})
    archive.write("overrides/partials/copyright.html", '<div class="their-copyright">Ours</div>\n')
    config = archive.root / "mkdocs.yml"
    assert archive.build().ok  # writes mkdocs.yml, then with the site's custom_dir:
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
                      encoding="utf-8")
    built = archive.build()
    assert built.ok, built.messages
    assert built.html(KOREAN).css_first(".their-copyright") is not None
    assert html_lang(built, KOREAN) == "ko" and html_lang(built, ORIGINAL) == "en"
    assert not any("is the site's own" in m for m in built.messages)


UNTESTED = """
    import logging, sys
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from briefing_archive.engine import page_language

    page_language.SUPPORTED = False  # as on a mkdocs-material version this was not tested on
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    build(load_config(sys.argv[1], site_dir=sys.argv[2]))
"""


def test_on_an_untested_theme_version_pages_keep_the_sites_language_with_one_info_line(tmp_path: Path):
    archive = korean_archive(tmp_path / "archive", {"index": False})
    assert archive.build().ok  # writes mkdocs.yml
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(UNTESTED), str(archive.root / "mkdocs.yml"),
                           str(tmp_path / "untested" / "site")], cwd=archive.root, capture_output=True, text=True, timeout=240,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if "keep the site's language" in line]
    assert len(notes) == 1 and notes[0].startswith("INFO "), done.stderr[-2000:]
    aside = BuiltSite(root=tmp_path / "untested", ok=True, messages=[])
    assert html_lang(aside, KOREAN) == html_lang(aside, ORIGINAL) == "en"


def test_two_builds_with_a_translation_are_byte_identical_bundle_included(tmp_path: Path):
    scratch = korean_archive(tmp_path / "scratch", {"briefs_per_index": 2})
    assert scratch.build().ok  # writes mkdocs.yml
    files = {p.relative_to(scratch.root).as_posix(): p.read_bytes() for p in sorted(scratch.root.rglob("*"))
             if p.is_file() and not {"site", ".cache"} & set(p.relative_to(scratch.root).parts)}
    names = sorted(files)
    first, second = tmp_path / "first", tmp_path / "second"
    lay_out(first, files, names, [1_600_000_000 + 60 * i for i in range(len(names) + 20)])
    lay_out(second, files, names[::-1], [631_152_000 + 997_331 * i for i in range(len(names) + 20)][::-1])
    mkdocs_build(first / "mkdocs.yml", first / "site", "1", "2208988800")
    mkdocs_build(second / "mkdocs.yml", second / "site", "4242", "1893456000")
    one, two = tree(first / "site"), tree(second / "site")
    compare(one, two)
    languages = {bundle: list(json.loads(one[f"{bundle}/pagefind-entry.json"])["languages"])
                 for bundle in ("pagefind", "pagefind/part-2", "pagefind/part-3")}
    assert languages == {"pagefind": ["en", "ko"], "pagefind/part-2": ["en"], "pagefind/part-3": ["en", "ko"]}


def test_a_kept_bundle_with_two_languages_is_indexed_again_when_a_translation_changes(tmp_path: Path, monkeypatch):
    archive = korean_archive(tmp_path, {"briefs_per_index": 2})
    runs: list[str] = []
    run_pagefind = search_plugin.run_pagefind
    monkeypatch.setattr(search_plugin, "run_pagefind", lambda site_dir, part: runs.append(part.bundle) or run_pagefind(site_dir, part))
    first = archive.build()
    assert first.ok and runs == ["pagefind", "pagefind/part-2", "pagefind/part-3"]
    runs.clear()
    assert archive.build().ok and runs == []  # nothing changed: both parts kept
    runs.clear()
    korean = tmp_path / "content/briefs/2021/cyber-response-ko.md"
    korean.write_text(korean.read_text(encoding="utf-8").replace("출발점이다", "첫걸음이다"), encoding="utf-8")
    third = archive.build()
    assert third.ok and runs == ["pagefind/part-3"]  # the 2021 part alone
    assert "첫걸음이다" in fragments(third, "pagefind/part-3")["/" + KOREAN_CYBER]["content"]
