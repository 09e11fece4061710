"""`mkdocs serve --dirty` rebuilds only what an edit changed, and what it leaves is the site a full
build makes from the same content: after each kind of edit an editor makes, the dirty rebuild's
site folder is compared, file by file, with a fresh `mkdocs build`.

The serve process is followed as MkDocs 1.6 runs it: plugins' `on_startup(command="serve",
dirty=True)` once, then for each change the configuration is loaded again (plugins with
`on_startup` are kept) and the site rebuilt into the same folder.
"""

from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path
from typing import Callable

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from mkdocs.commands import build as mkdocs_build_module
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from test_determinism import archive_files, lay_out, mkdocs_build

from briefing_archive.mkdocs_plugin import plugin as archive_plugin

SKIP = ("pagefind/",)  # Pagefind's own bytes vary from run to run (test_determinism.py)


def site_paths(site: Path) -> list[str]:
    """Every file of the site but Pagefind's (written beside the server while we look)."""
    found = []
    for folder, dirs, names in os.walk(site):
        relative = Path(folder).relative_to(site).as_posix()
        dirs[:] = sorted(d for d in dirs if not (relative == "." and f"{d}/" in SKIP))
        found += [Path(relative, name).as_posix() for name in names]
    return sorted(found)


def site_files(site: Path) -> dict[str, bytes]:
    return {name: (site / name).read_bytes() for name in site_paths(site)}


def html_times(site: Path) -> dict[str, int]:
    return {name: (site / name).stat().st_mtime_ns for name in site_paths(site) if name.endswith(".html")}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("a sentence added to a brief's text",
     lambda root: edit(root / "content/briefs/2023/echo.md", "A note.", "A note, and one sentence more.")),
    ("a brief retitled: its listings, neighbours, related lists and wiki-link texts show the title",
     lambda root: edit(root / "content/briefs/2021/alpha.md", "title: Alpha", "title: Alpha, Retitled")),
    ("a brief moved to other topics: listings and every related ranking change",
     lambda root: edit(root / "content/briefs/2022/delta.md", "- energy", "- cyber\n- sanctions")),
    ("a new brief",
     lambda root: (root / "content/briefs/2024/kilo.md").write_text(
         "---\ntitle: Kilo\ndate: 2024-03-03\ntype: policy-brief\nauthors: [jo-lee]\ntopics: [energy]\n---\n"
         "Kilo links [[echo]].\n", encoding="utf-8")),
    ("a brief deleted: its page, citation files and listing entries go",
     lambda root: (root / "content/briefs/2023/golf.md").unlink()),
    ("an author's profile links to a brief: the rebuilt profile must still find that brief",
     lambda root: edit(root / "content/authors/jo-lee.md", "Jo writes about *energy*.",
                       "Jo writes about *energy*, as in [Bravo](../briefs/2022/bravo.md).")),
    ("an author renamed: every page naming them",
     lambda root: edit(root / "content/authors/jo-lee.md", "name: Jo Lee (이조)", "name: Jo Lee-Park")),
    ("a topic retitled in the vocabulary",
     lambda root: edit(root / "site_config/topics.yml", "title: Énergie & Power", "title: Energy Security")),
    ("a draft published",
     lambda root: edit(root / "content/briefs/2024/hotel.md", "draft: true", "draft: false")),
    ("a brief's first paragraph (its summary) reworded: the brief whose embedded listing shows it",
     lambda root: edit(root / "content/briefs/2023/foxtrot.md", "about allied policy.", "about allied policy, reworded.")),
]


@pytest.fixture(scope="module")
def serve_session(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("dirty")
    files = archive_files(base / "scratch")
    root = base / "archive"
    lay_out(root, files, sorted(files), [1_600_000_000 + 60 * i for i in range(len(files) + 40)])
    site = base / "served"
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    yield root, site, base
    config.plugins.on_shutdown()
    # MkDocs keeps plugins that have on_startup for the rest of the process (as `serve` does):
    # the builds of other tests get new ones.
    MkDocsConfig.plugins.plugin_cache.clear()


def test_each_dirty_rebuild_leaves_the_site_a_full_build_makes(serve_session, monkeypatch: pytest.MonkeyPatch):
    root, site, base = serve_session
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    rebuilt_pages = []
    for number, (what, change) in enumerate(EDITS):
        time.sleep(0.05)  # file times must tell the edit from the last build's output
        change(root)
        before = html_times(site)
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
        build(config, dirty=True)
        after = html_times(site)
        rebuilt_pages.append(sum(1 for name, stamp in after.items() if before.get(name) != stamp))

        fresh = base / f"fresh-{number}"
        mkdocs_build(root / "mkdocs.yml", fresh, "0", "2208988800")
        served, full = site_files(site), site_files(fresh)
        assert sorted(served) == sorted(full), f"{what}: files differ: {sorted(set(served) ^ set(full))}"
        differing = [name for name in full if served[name] != full[name]]
        assert differing == [], f"{what}: {len(differing)} files differ from a full build: {differing[:8]}"

    # delta embeds the north-korea briefs; the last edit reworded foxtrot's first paragraph (its
    # summary), which delta shows in that listing alone: only delta's fingerprint covers it.
    delta = HTMLParser((site / "briefs/2022/delta/index.html").read_text(encoding="utf-8"))
    cards = delta.css(".ba-embedded [data-brief]")
    assert [node.attributes["data-brief"] for node in cards] == ["foxtrot", "bravo"]
    assert cards[0].css_first(".ba-card__summary").text().endswith("about allied policy, reworded.")

    # Not everything is built again: a change to one brief's text builds that page alone.
    pages = len([name for name in site_files(site) if name.endswith(".html")])
    assert rebuilt_pages[0] < pages / 4, rebuilt_pages


def test_after_a_rebuild_stopped_by_a_content_error_the_fixed_rebuild_leaves_a_full_builds_site(
        serve_session, monkeypatch: pytest.MonkeyPatch):
    """What a stopped rebuild planned is not taken as built: the pages of a retitle made in the
    same edit are built when the error is fixed. A taken alias is found once the rebuild has
    planned every generated file (stub files rewritten), an unknown author while it loads."""
    root, site, base = serve_session
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    echo = root / "content/briefs/2023/echo.md"
    steps = [
        ("a taken alias", ("title: Echo\n", "aliases: [/topics/cyber/]\ntitle: Echo, Retitled\n"),
         ("aliases: [/topics/cyber/]", "aliases: [/old/echo/]")),
        ("an unknown author", ("- min-ji-kim", "- nobody-known"), ("- nobody-known", "- min-ji-kim")),
    ]
    for number, (what, mistake, fix) in enumerate(steps):
        time.sleep(0.05)
        edit(echo, *mistake)
        if number:
            edit(echo, "title: Echo, Retitled\n", "title: Echo, Retitled Again\n")
        with pytest.raises(Exception):
            build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)), dirty=True)
        time.sleep(0.05)
        edit(echo, *fix)
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)), dirty=True)

        fresh = base / f"fresh-after-error-{number}"
        mkdocs_build(root / "mkdocs.yml", fresh, "0", "2208988800")
        served, full = site_files(site), site_files(fresh)
        assert sorted(served) == sorted(full), what
        assert [name for name in full if served[name] != full[name]] == [], what
    retitled = [name for name, data in served.items() if b"Echo, Retitled Again" in data]
    assert any(name.startswith("topics/cyber/") for name in retitled), retitled


def test_a_rebuild_hands_mkdocs_only_what_it_builds_again_and_what_that_links_to(serve_session, monkeypatch):
    """MkDocs makes a Page for every Markdown file it is given: a rebuild gives it the changed
    brief, the briefs that brief links to, the navigation's pages and the authors' profiles."""
    root, site, _ = serve_session
    handed: list[str] = []
    get_navigation = mkdocs_build_module.get_navigation

    def watched(files, config):
        handed.extend(file.src_uri for file in files.documentation_pages())
        return get_navigation(files, config)

    monkeypatch.setattr(mkdocs_build_module, "get_navigation", watched)
    time.sleep(0.05)
    edit(root / "content/briefs/2023/echo.md", "A note", "A note, reworded")  # echo links [[alpha]] and [[charlie]]
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)), dirty=True)
    briefs = sorted(uri for uri in handed if uri.startswith("briefs/") and uri != "briefs/index.md")
    assert briefs == ["briefs/2021/alpha.md", "briefs/2022/charlie.md", "briefs/2023/echo.md"]
    generated = sorted(uri for uri in handed if not uri.startswith(("briefs/2", "authors/")) or uri == "authors/index.md")
    assert generated == ["archive/index.md", "authors/index.md", "briefs/index.md", "index.md", "search/index.md",
                         "topics/index.md"]  # the navigation's
    pages = [p for p in site_paths(site) if p.endswith("index.html")]
    assert len(handed) < len(pages) / 3


def test_rebuilds_keep_the_body_cache_in_memory_and_leave_its_file_as_a_full_build_wrote_it(serve_session, monkeypatch):
    """Written by a rebuild, the file would hold the few bodies it rendered, and the next
    `mkdocs build` would render every brief again."""
    root, site, _ = serve_session
    cache_file = root / ".cache/briefing-archive/bodies.json"
    written = cache_file.read_bytes()
    assert len(json.loads(written)["bodies"]) >= 8  # every published brief's
    opened = []
    monkeypatch.setattr(archive_plugin, "RenderCache", lambda *args: opened.append(args))
    time.sleep(0.05)
    edit(root / "content/briefs/2023/echo.md", "A note", "A note, reworded again")
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)), dirty=True)
    assert "reworded again" in (site / "briefs/2023/echo/index.html").read_text(encoding="utf-8")
    assert opened == []
    assert cache_file.read_bytes() == written


def test_a_rebuild_runs_with_the_cyclic_collector_paused_and_collects_after(serve_session, monkeypatch):
    root, site, _ = serve_session
    collector_on_while_planning = []
    site_wide_digest = archive_plugin.site_wide_digest

    def watched(*args):
        collector_on_while_planning.append(gc.isenabled())
        return site_wide_digest(*args)

    monkeypatch.setattr(archive_plugin, "site_wide_digest", watched)
    time.sleep(0.05)
    brief = root / "content/briefs/2023/echo.md"
    brief.write_text(brief.read_text(encoding="utf-8") + "\nOne line more.\n", encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    build(config, dirty=True)
    assert collector_on_while_planning == [False]
    assert gc.isenabled()
    later = config.plugins["briefing-archive"].serve.rebuilds.collector.later
    assert later is not None and later.is_alive()  # the collection after the rebuild is on its way


def test_with_the_archives_own_templates_no_page_but_the_index_pages_shows_every_brief(serve_session):
    """A topic's page asks the catalogue for its co-topics and authors: drawn from its own briefs,
    which its fingerprint covers, so a retitle elsewhere does not build it again."""
    root, site, _ = serve_session
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    time.sleep(0.05)
    edit(root / "content/briefs/2023/echo.md", "A note", "A note, once more")
    build(config, dirty=True)
    assert config.plugins["briefing-archive"].serve.rebuilds.read_catalogue_built == frozenset()


FOOTER_READING_THE_CATALOGUE = """\
<footer class="md-footer"><p class="count-of-briefs">
{%- if archive %}{{ archive.latest | length }} briefs in the archive{% endif -%}
</p></footer>
"""


def test_a_page_whose_template_reads_the_whole_catalogue_is_built_again_when_any_brief_changes(tmp_path: Path):
    """Fingerprints follow from what a page's template read: a custom_dir footer that counts every
    brief makes every brief page show every brief, so a deleted brief builds them all again."""
    files = archive_files(tmp_path / "scratch")
    root = tmp_path / "archive"
    lay_out(root, files, sorted(files), [1_600_000_000 + 60 * i for i in range(len(files) + 40)])
    (root / "overrides/partials").mkdir(parents=True)
    (root / "overrides/partials/footer.html").write_text(FOOTER_READING_THE_CATALOGUE, encoding="utf-8")
    config_file = root / "mkdocs.yml"
    config_file.write_text(config_file.read_text(encoding="utf-8").replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n"), encoding="utf-8")
    site = tmp_path / "served"

    def counts() -> set[str]:
        found = set()
        for page in (site / "briefs").glob("2*/*/index.html"):
            node = HTMLParser(page.read_text(encoding="utf-8")).css_first(".count-of-briefs")
            found.add(node.text())
        return found

    config = load_config(str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        assert counts() == {"8 briefs in the archive"}
        time.sleep(0.05)
        (root / "content/briefs/2023/golf.md").unlink()  # neither the newest nor the oldest
        build(load_config(str(config_file), site_dir=str(site)), dirty=True)
        assert counts() == {"7 briefs in the archive"}
    finally:
        config.plugins.on_shutdown()
        MkDocsConfig.plugins.plugin_cache.clear()


def test_the_catalogue_notes_reads_beyond_what_a_listings_fingerprint_covers():
    from briefing_archive.mkdocs_plugin.dirty_rebuilds import CatalogueReads

    class Catalogue:
        latest = ("a", "b")

        def co_topics(self, key):
            return [key]

    noted = []
    seen = CatalogueReads(Catalogue(), lambda: noted.append(1), frozenset({"co_topics"}), "cyber")
    assert seen.co_topics("cyber") == ["cyber"] and noted == []  # the listing's own subject
    assert seen.co_topics("energy") == ["energy"] and noted == [1]  # another topic's briefs
    assert seen.latest == ("a", "b") and noted == [1, 1]  # every brief

