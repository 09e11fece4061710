"""`briefs import wordpress` (SPEC §5): a WordPress export (WXR) becomes briefs, profiles and a report.

The fixtures in tests/fixtures/wxr/ were written for these tests: `site.xml` holds one post for
each case (a rich published post, Korean and accented titles and authors, a draft, a pending, a
private and a trashed post, one without categories, one with an unmapped tag, one whose slug is
taken, one whose slug and author try to leave content/), `map.yml` the map an editor would have
written, and `bomb.xml`, `external-entity.xml`, `plain-rss.xml` what must be refused. The files
written are read back with python-frontmatter, their bodies rendered and parsed, the archive
loaded with the catalogue (what `briefs check` runs) and built, and the old addresses' redirect
pages followed.
"""

from __future__ import annotations

import contextlib
import gc
import io
import re
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import markdown
import pytest

from briefing_archive.forking import fork_workers
import yaml
from selectolax.lexbor import LexborHTMLParser

from archive_kit import Archive, BuiltSite, resolve
from briefing_archive.catalogue import ArchivePaths, load_archive
from briefing_archive.cli import console, main
from briefing_archive.importing import import_wordpress
from briefing_archive.importing.markdown import autop, to_markdown
from briefing_archive.importing.wxr import Item, read_export

FIXTURES = Path(__file__).parent / "fixtures" / "wxr"
SITE = FIXTURES / "site.xml"
MAP = FIXTURES / "map.yml"
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<severity>error|warning|note): (?P<message>.*)$")
SUMMARY = re.compile(r"(?P<posts>\d+) posts read: (?P<written>\d+) (?:written|to write) \((?P<drafts>\d+) as drafts\), "
                     r"(?P<already>\d+) already in the archive, (?P<skipped>\d+) skipped \(private, protected or trashed\), "
                     r"(?P<unwritten>\d+) not written because of errors; (?P<profiles>\d+) new author profiles; "
                     r"(?P<other>\d+) other items left out")


@dataclass
class Run:
    code: int
    lines: list[str]

    @property
    def problems(self) -> list[dict[str, str]]:
        return [m.groupdict() for line in self.lines if (m := LINE.match(line))]

    def about(self, text: str, severity: str | None = None) -> list[dict[str, str]]:
        return [p for p in self.problems if text in p["message"] and severity in (None, p["severity"])]

    @property
    def counts(self) -> dict[str, int]:
        match = next(m for line in self.lines if (m := SUMMARY.search(line)))
        return {key: int(value) for key, value in match.groupdict().items()}


def run(*argv: str) -> Run:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # a usage error: argparse exits with 2
            code = int(exc.code or 0)
    return Run(code, out.getvalue().splitlines())


def new_archive(root: Path) -> Archive:
    """The test kit's archive with its vocabularies on disk and one brief whose slug a post also wants."""
    archive = Archive(root)
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))
    archive.brief("existing-brief", date="2021-05-05", topics=["cyber", "sanctions", "north-korea"])
    return archive


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def item_line(post_id: str) -> int:
    """The line of the `<item>` holding `<wp:post_id>post_id</wp:post_id>` in site.xml."""
    lines = SITE.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if f"<wp:post_id>{post_id}</wp:post_id>" in line)
    return next(i for i in range(at, -1, -1) if lines[i].strip() == "<item>") + 1


def brief(archive: Archive, relative: str) -> frontmatter.Post:
    return frontmatter.load(archive.root / "content" / "briefs" / relative)


def rendered(body: str) -> LexborHTMLParser:
    return LexborHTMLParser(markdown.markdown(body, extensions=["tables", "footnotes"]))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, Run, dict[str, bytes]]:
    archive = new_archive(tmp_path_factory.mktemp("import"))
    before = files(archive.root)
    result = run("import", "wordpress", str(SITE), "--map", str(MAP), "--root", str(archive.root))
    return archive, result, before


@pytest.fixture(scope="module")
def built(imported) -> BuiltSite:
    archive, _, _ = imported
    site = archive.build()
    assert site.ok, site.errors()
    return site


# --- what is written ----------------------------------------------------------------------------

def test_report_counts_every_post_and_fails_on_the_posts_it_held_back(imported):
    _, result, _ = imported
    assert result.code == 1  # three posts are held back by errors
    assert result.counts == {"posts": 12, "written": 6, "drafts": 2, "already": 0, "skipped": 3,
                             "unwritten": 3, "profiles": 3, "other": 2}
    assert result.lines[-1].startswith("Next: ")


def test_a_published_post_becomes_a_brief_with_valid_front_matter(imported):
    archive, _, _ = imported
    post = brief(archive, "2023/allied-cyber-talks.md")
    assert post.metadata == {
        "title": "Allied Cyber Talks Can Blunt North Korean Crypto Theft",  # the <em> of the title is dropped
        "date": __import__("datetime").date(2023, 6, 26),
        "type": "policy-brief",
        "authors": ["min-ji-kim"],
        "topics": ["cyber", "north-korea"],
        "program": "ccti",
        "summary": "A high-level dialogue is a step toward implementing the allies' framework.",
        "aliases": ["/2023/06/26/allied-cyber-talks/"],
    }


def test_the_body_keeps_headings_lists_links_emphasis_quotes_tables_figures_and_superscripts(imported):
    archive, _, _ = imported
    page = rendered(brief(archive, "2023/allied-cyber-talks.md").content)
    paragraphs = [p.text(strip=True) for p in page.css("p")]
    assert paragraphs[0].startswith("A high-level dialogue")  # autop: a paragraph from the blank lines
    assert page.css_first("p br") is not None  # the single newline inside it is a line break
    assert page.css_first("p em").text() == "implementing"
    assert page.css_first("p strong").text() == "April"
    assert page.css_first("a").attributes == {"href": "https://example.org/framework"}
    assert [h.text(strip=True) for h in page.css("h2")] == ["What the talks covered"]
    assert [li.text() for li in page.css("ul > li")] == ["Laundering through mixers", "Exchanges in third countries"]
    figure = page.css_first("figure")
    assert figure.css_first("img").attributes["src"] == "https://old.example.org/wp-content/uploads/2023/06/map.png"
    assert figure.css_first("img").attributes["alt"] == "Map of the exchanges"
    assert figure.css_first("a").attributes["href"].endswith("map-large.png")
    assert figure.css_first("figcaption").text() == "Exchanges used in 2022, by volume."
    assert figure.css_first("figcaption em").text() == "volume"
    assert page.css_first("blockquote").text(strip=True) == "Cooperation is the only answer."
    assert page.css_first("p sup").text() == "1"
    assert [[c.text() for c in row.css("th, td")] for row in page.css("table tr")] == [
        ["Year", "Stolen"], ["2021", "$400m"], ["2022", "$1.7bn"]]


def test_scripts_styles_and_event_handlers_are_stripped_at_import(imported):
    archive, result, _ = imported
    text = (archive.root / "content/briefs/2023/allied-cyber-talks.md").read_text(encoding="utf-8")
    page = rendered(frontmatter.loads(text).content)
    assert page.css("script, style") == []
    assert [(node.tag, name) for node in page.css("*") for name in node.attributes if name.startswith("on")] == []
    assert "document.cookie" not in text and "steal()" not in text
    assert page.css("p")[-1].text() == "Further reading follows."  # the paragraph stays, its handler goes
    warned = result.about("removed what a page may not run", "warning")
    assert [int(w["line"]) for w in warned] == [item_line("101")]


def test_unknown_shortcodes_are_reported_with_the_post_and_kept_as_text(imported):
    archive, result, _ = imported
    warnings = result.about("unknown shortcode", "warning")
    assert {(w["path"], int(w["line"])) for w in warnings} == {(str(SITE), item_line("101"))}
    assert sorted(re.search(r"\[(\S+?)\]", w["message"])[1] for w in warnings) == ["gallery", "tweet"]
    assert all('post 101 "Allied Cyber Talks' in w["message"] for w in warnings)
    body = brief(archive, "2023/allied-cyber-talks.md").content
    assert '[gallery ids="7,8,9"]' in body.splitlines() and '[tweet id="12345"]' in body.splitlines()


def test_drafts_and_pending_posts_become_drafts_without_an_old_address(imported):
    archive, _, _ = imported
    draft = brief(archive, "2023/a-draft-on-sanctions.md")  # no post_name: the slug comes from the title
    pending = brief(archive, "2023/waiting-for-review.md")
    assert draft["draft"] is True and pending["draft"] is True
    assert "aliases" not in draft.metadata and "aliases" not in pending.metadata
    assert draft["topics"] == ["sanctions"] and draft["type"] == "policy-brief"
    assert pending["type"] == "analysis"  # no term gives a type: the map's default


def test_private_protected_and_trashed_posts_are_skipped_and_reported(imported):
    archive, result, _ = imported
    notes = {p["message"] for p in result.problems if p["severity"] == "note"}
    assert 'post 106 "Members only" skipped: it is private' in notes
    assert 'post 107 "Thrown away" skipped: it is in WordPress\'s trash' in notes
    assert 'post 112 "For the board only" skipped: it is password-protected, so not for every reader' in notes
    written = [p.stem for p in (archive.root / "content" / "briefs").rglob("*.md")]
    assert not {"members-only", "thrown-away", "thrown-away-trashed", "board-only"} & set(written)


def test_a_post_without_categories_is_reported_and_not_written(imported):
    archive, result, _ = imported
    [error] = result.about('post 108 "No categories at all" was not written', "error")
    assert int(error["line"]) == item_line("108") and "no category or tag" in error["message"]
    assert not list((archive.root / "content").rglob("no-categories.md"))


def test_an_unmapped_term_is_reported_with_a_guess_and_holds_its_posts_back(imported):
    archive, result, _ = imported
    [unset] = result.about("tag 'misc-notes'", "error")[:1]
    assert "has no mapping" in unset["message"] and "without a value" in unset["message"]
    assert int(unset["line"]) == 29  # its <wp:term> declaration
    [missing] = [p for p in result.about("tag 'cyber-ops'", "error") if "has no mapping" in p["message"]]
    assert "(did you mean {topic: cyber}?)" in missing["message"]
    [post] = result.about('post 109 "Notes on everything" was not written', "error")
    assert "misc-notes" in post["message"] and "cyber-ops" in post["message"]
    assert not list((archive.root / "content").rglob("notes.md"))


def test_a_slug_taken_in_another_year_is_reported_and_the_brief_left_alone(imported):
    archive, result, before = imported
    [error] = result.about('post 110 "Existing Brief, Again" was not written', "error")
    assert "content/briefs/2021/existing-brief.md" in error["message"]
    assert files(archive.root)["content/briefs/2021/existing-brief.md"] == before["content/briefs/2021/existing-brief.md"]
    assert not (archive.root / "content/briefs/2023/existing-brief.md").exists()


def test_nothing_is_written_outside_content_and_hostile_names_are_normalised(imported):
    archive, _, before = imported
    after = files(archive.root)
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed and all(path.startswith(("content/briefs/", "content/authors/")) for path in changed)
    assert all(".." not in path for path in changed)
    escaped = brief(archive, "2023/escape.md")  # post_name '../../escape', author '../../etc'
    assert escaped["authors"] == ["etc"]
    assert (archive.root / "content/authors/etc.md").is_file()


def test_non_ascii_titles_and_authors(imported):
    archive, _, _ = imported
    korean = brief(archive, "2022/hanmi-saibeo.md")  # post_name %ed%95%9c%eb%af%b8-… transliterated
    assert korean["title"] == "한미 사이버 협력의 다음 단계"
    assert korean["authors"] == ["gimseohyeon"]
    assert frontmatter.load(archive.root / "content/authors/gimseohyeon.md")["name"] == "김서현"
    accented = brief(archive, "2023/quebecs-critical-minerals.md")
    assert accented["title"] == "Québec's Critical Minerals & the Allies"
    assert accented["authors"] == ["jose-alvarez-ruiz"]
    assert frontmatter.load(archive.root / "content/authors/jose-alvarez-ruiz.md")["name"] == "José Álvarez-Ruiz"
    assert accented["topics"] == ["sanctions"] and accented["type"] == "analysis"  # 'uncategorized' ignored


def test_old_addresses_that_a_static_host_cannot_serve_are_reported_not_aliased(imported):
    archive, result, _ = imported
    assert "aliases" not in brief(archive, "2022/hanmi-saibeo.md").metadata
    assert "aliases" not in brief(archive, "2023/quebecs-critical-minerals.md").metadata
    [query] = result.about("?p=103")
    assert query["severity"] == "warning" and "static site serves paths" in query["message"]
    [encoded] = result.about("%ed%95%9c")
    assert encoded["severity"] == "warning"


def test_what_the_import_writes_passes_the_archive_checks(imported):
    archive, _, _ = imported
    loaded = load_archive(ArchivePaths.at(archive.root), derive_summaries=False)
    assert [str(p) for p in loaded.report.errors] == []
    assert run("check", "--root", str(archive.root)).code == 0


def test_the_old_permalink_redirects_to_the_new_page(built: BuiltSite):
    served_at = "/2023/06/26/allied-cyber-talks/"
    page = built.html(served_at)
    refresh = page.css_first('meta[http-equiv="refresh"]').attributes["content"]
    target = re.fullmatch(r"\s*0\s*;\s*url=(.+)", refresh, re.I)[1].strip()
    assert resolve(served_at, target) == "/briefs/2023/allied-cyber-talks/"
    article = built.html("/briefs/2023/allied-cyber-talks/")
    assert article.css_first("figure figcaption").text() == "Exchanges used in 2022, by volume."
    assert article.css("article script, .md-content script:not([type='application/ld+json'])") == []
    assert "allied-cyber-talks" in built.listed_all("/briefs/")
    assert built.html("/authors/gimseohyeon/").css_first("h1").text(strip=True) == "김서현"


# --- running again, dry runs --------------------------------------------------------------------

def test_a_second_run_writes_only_what_is_new(tmp_path: Path):
    archive = new_archive(tmp_path)
    first = run("import", "wordpress", str(SITE), "--map", str(MAP), "--root", str(tmp_path))
    after_first = files(tmp_path)
    # The editor maps what was missing; the second run writes the held-back post and nothing else.
    fixed = MAP.read_text(encoding="utf-8").replace("  misc-notes:\n", "  misc-notes: ignore\n  cyber-ops: {topic: cyber}\n")
    (tmp_path / "map.yml").write_text(fixed, encoding="utf-8")
    second = run("import", "wordpress", str(SITE), "--map", str(tmp_path / "map.yml"), "--root", str(tmp_path))
    assert first.counts["written"] == 6
    assert second.counts["written"] == 1 and second.counts["already"] == 6
    after_second = files(tmp_path)
    assert {p for p in after_second if after_second[p] != after_first.get(p)} == {"content/briefs/2023/notes.md", "map.yml"}
    assert all(after_second[p] == after_first[p] for p in after_first)


def test_a_dry_run_writes_nothing_and_prints_the_same_report(tmp_path: Path):
    dry, real = new_archive(tmp_path / "dry"), new_archive(tmp_path / "real")
    before = files(dry.root)
    dry_run = run("import", "wordpress", str(SITE), "--map", str(MAP), "--root", str(dry.root), "--dry-run")
    real_run = run("import", "wordpress", str(SITE), "--map", str(MAP), "--root", str(real.root))
    assert files(dry.root) == before
    assert dry_run.code == real_run.code == 1
    assert dry_run.problems == real_run.problems
    assert [line.replace("would write ", "") for line in dry_run.lines if line.startswith("would write ")] == \
           [line.replace("wrote ", "") for line in real_run.lines if line.startswith("wrote ")]
    assert dry_run.counts == real_run.counts


# --- hostile and broken exports -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["bomb.xml", "external-entity.xml"])
def test_a_dtd_an_xml_bomb_or_an_external_entity_is_refused_and_nothing_written(tmp_path: Path, name: str):
    archive = new_archive(tmp_path)
    before = files(tmp_path)
    result = run("import", "wordpress", str(FIXTURES / name), "--root", str(tmp_path))
    assert result.code == 1
    [error] = result.problems
    assert error["severity"] == "error" and error["line"] == "2" and "<!DOCTYPE" in error["message"]
    assert result.lines[-1] == "Nothing was written."
    assert files(tmp_path) == before
    assert "root:" not in "\n".join(result.lines)
    del archive


def test_a_file_that_is_not_a_wordpress_export_is_refused(tmp_path: Path):
    new_archive(tmp_path)
    result = run("import", "wordpress", str(FIXTURES / "plain-rss.xml"), "--root", str(tmp_path))
    assert result.code == 1 and "not a WordPress export" in result.problems[0]["message"]


def test_a_truncated_export_is_refused_before_any_post_is_written(tmp_path: Path):
    archive = new_archive(tmp_path)
    text = SITE.read_text(encoding="utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: text.index("</item>", text.index("<wp:post_id>103")) + 7], encoding="utf-8")
    before = files(tmp_path)
    result = run("import", "wordpress", str(cut), "--map", str(MAP), "--root", str(tmp_path))
    assert result.code == 1 and "not well-formed XML" in result.problems[0]["message"]
    assert files(tmp_path) == before
    del archive


# --- the map ------------------------------------------------------------------------------------

def test_write_map_lists_every_term_and_author_with_a_guess_and_never_overwrites(tmp_path: Path):
    new_archive(tmp_path)
    target = tmp_path / "wordpress-map.yml"
    result = run("import", "wordpress", str(SITE), "--write-map", str(target), "--root", str(tmp_path))
    assert result.code == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["authors"] == {"mjkim": "min-ji-kim", "jalvarez": "new", "seohyun": "new", "../../etc": "new"}
    assert data["categories"] == {"cyber-security": {"topic": "cyber"}, "policy-briefs": {"type": "policy-brief"},
                                  "uncategorized": "ignore", "ccti": {"program": "ccti"}}
    assert data["tags"] == {"dprk": {"topic": "north-korea"}, "sanction": {"topic": "sanctions"},
                            "misc-notes": None, "cyber-ops": {"topic": "cyber"}}
    first = target.read_bytes()
    again = run("import", "wordpress", str(SITE), "--write-map", str(target), "--root", str(tmp_path))
    assert again.code == 1 and "already exists" in again.problems[0]["message"]
    assert target.read_bytes() == first


def test_a_written_map_once_reviewed_imports_and_passes_check(tmp_path: Path):
    new_archive(tmp_path)
    target = tmp_path / "map.yml"
    run("import", "wordpress", str(SITE), "--write-map", str(target), "--root", str(tmp_path))
    reviewed = target.read_text(encoding="utf-8").replace("  misc-notes:", "  misc-notes: ignore  #") \
        .replace("  # type: analysis", "  type: analysis").replace('  # "1234": my-chosen-slug', '  "110": existing-brief-2023')
    target.write_text(reviewed, encoding="utf-8")
    result = run("import", "wordpress", str(SITE), "--map", str(target), "--root", str(tmp_path))
    assert result.counts["unwritten"] == 1, result.lines  # only the post without any category
    assert (tmp_path / "content/briefs/2023/existing-brief-2023.md").is_file()
    assert run("check", "--root", str(tmp_path)).code == 0


def test_a_map_with_an_unknown_key_is_reported_at_its_line_and_nothing_written(tmp_path: Path):
    new_archive(tmp_path)
    bad = tmp_path / "map.yml"
    bad.write_text("authors:\n  mjkim: min-ji-km\ncategories:\n  cyber-security: {topic: cybr}\n", encoding="utf-8")
    before = files(tmp_path)
    result = run("import", "wordpress", str(SITE), "--map", str(bad), "--root", str(tmp_path))
    assert result.code == 1
    assert [(p["line"], p["severity"]) for p in result.problems] == [("2", "error"), ("4", "error")]
    assert "(did you mean 'min-ji-kim'?)" in result.problems[0]["message"]
    assert "(did you mean 'cyber'?)" in result.problems[1]["message"]
    assert result.lines[-1] == "Nothing was written."
    assert files(tmp_path) == before


def test_misuse_exits_2(tmp_path: Path):
    new_archive(tmp_path)
    assert run("import", "wordpress", str(tmp_path / "missing.xml"), "--root", str(tmp_path)).code == 2
    assert run("import", "wordpress", str(SITE), "--map", str(MAP), "--write-map", str(tmp_path / "m.yml"),
               "--root", str(tmp_path)).code == 2
    assert not (tmp_path / "m.yml").exists()


# --- the body, piece by piece -------------------------------------------------------------------

def test_autop_makes_paragraphs_from_blank_lines_and_leaves_blocks_alone():
    html = autop("One\ntwo\n\nThree\n\n<ul>\n<li>a</li>\n</ul>\n\n<pre>x\n\ny</pre>")
    page = LexborHTMLParser(html)
    assert [p.text() for p in page.css("p")] == ["One\ntwo", "Three"]
    assert len(page.css("p br")) == 1
    assert page.css_first("ul p") is None and page.css_first("pre").text() == "x\n\ny"


def test_text_that_reads_like_html_or_a_wiki_link_stays_text():
    converted = to_markdown("Never write &lt;script&gt; here, nor [[caption]], nor [[other-brief]]. R&amp;D, a &lt; b.")
    page = rendered(converted.markdown)
    assert page.css("script") == []
    assert page.css_first("p").text() == "Never write <script> here, nor [caption], nor [[other-brief]]. R&D, a < b."
    assert converted.unknown_shortcodes == []


def test_embeds_become_links_and_block_editor_posts_keep_their_paragraphs():
    converted = to_markdown('<!-- wp:paragraph -->\n<p>First.</p>\n<!-- /wp:paragraph -->\n\n'
                            '[embed]https://video.example/watch/1[/embed]\n\nhttps://video.example/watch/2')
    page = rendered(converted.markdown)
    assert [a.attributes["href"] for a in page.css("a")] == ["https://video.example/watch/1", "https://video.example/watch/2"]
    assert page.css_first("p").text() == "First."
    assert "wp:paragraph" not in converted.markdown


# --- a large export -----------------------------------------------------------------------------

def _large_export(path: Path, posts: int, paragraph: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
                  "<channel>\n<wp:author><wp:author_login>mjkim</wp:author_login>"
                  "<wp:author_display_name>Min-ji Kim</wp:author_display_name></wp:author>\n")
        for n in range(posts):
            out.write(f"<item><title>Post {n}</title><link>https://old.example.org/{n}/</link>"
                      "<dc:creator>mjkim</dc:creator>"
                      f"<content:encoded><![CDATA[{paragraph}]]></content:encoded>"
                      f"<wp:post_id>{n}</wp:post_id><wp:post_date>2020-01-01 00:00:00</wp:post_date>"
                      f"<wp:post_name>post-{n}</wp:post_name><wp:status>publish</wp:status>"
                      "<wp:post_type>post</wp:post_type>"
                      '<category domain="category" nicename="cyber-security">Cyber</category></item>\n')
        out.write("</channel>\n</rss>\n")


def test_a_large_export_streams_in_bounded_memory(tmp_path: Path):
    export = tmp_path / "large.xml"
    paragraph = ("Sanctions evasion networks move funds through front companies. " * 60 + "\n\n") * 8  # ~29 kB a post
    _large_export(export, 280, paragraph)
    size = export.stat().st_size
    assert size > 8_000_000
    tracemalloc.start()
    try:
        read = sum(isinstance(thing, Item) for thing in read_export(export))
        _, reading_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == 280
    assert reading_peak < size / 20  # a few posts at a time, never the file

    archive = new_archive(tmp_path / "archive")
    (tmp_path / "map.yml").write_text("categories:\n  cyber-security: {topic: cyber, type: analysis}\n", encoding="utf-8")
    tracemalloc.start()
    try:
        report = import_wordpress(ArchivePaths.at(archive.root), export, tmp_path / "map.yml", dry_run=True)
        _, import_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.counts["written"] == 280 and not report.has_errors
    assert import_peak < size / 4  # planning and converting one post at a time


def test_the_command_imports_with_the_cycle_collector_on(tmp_path: Path, capsys):
    """`briefs` turns the cycle collector off for its load-and-exit commands; each post's parsed HTML
    tree is a web of links only the collector frees, so the import turns it back on (without it a
    50 MB export took 1.4 GB)."""
    new_archive(tmp_path)
    collecting = gc.isenabled()
    try:
        console(["import", "wordpress", str(SITE), "--map", str(MAP), "--root", str(tmp_path), "--dry-run"])
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        (gc.enable if collecting else gc.disable)()
    assert "Dry run: nothing written." in capsys.readouterr().out


def test_other_post_types_are_left_out_and_counted_unless_the_map_names_them(tmp_path: Path):
    new_archive(tmp_path)
    text = SITE.read_text(encoding="utf-8")
    at = text.index("<wp:post_id>102</wp:post_id>")
    export = tmp_path / "custom.xml"
    export.write_text(text[:at] + text[at:].replace("<wp:post_type><![CDATA[post]]>", "<wp:post_type><![CDATA[publication]]>", 1),
                      encoding="utf-8")
    first = run("import", "wordpress", str(export), "--map", str(MAP), "--root", str(tmp_path), "--dry-run")
    assert "(1 attachment, 1 page, 1 publication; post_types: in the map says which become briefs)" in first.lines[-2]
    assert not any(line.endswith("content/briefs/2022/hanmi-saibeo.md") for line in first.lines)
    (tmp_path / "map.yml").write_text(MAP.read_text(encoding="utf-8") + "post_types: [post, publication]\n", encoding="utf-8")
    second = run("import", "wordpress", str(export), "--map", str(tmp_path / "map.yml"), "--root", str(tmp_path))
    assert "wrote content/briefs/2022/hanmi-saibeo.md" in second.lines
    written = run("import", "wordpress", str(export), "--write-map", str(tmp_path / "new-map.yml"), "--root", str(tmp_path))
    assert written.code == 0
    header = (tmp_path / "new-map.yml").read_text(encoding="utf-8")
    assert "(this export holds 11 post, 1 page, 1 publication)" in header
    assert yaml.safe_load(header)["post_types"] == ["post"]


def test_hostile_html_never_reaches_the_markdown():
    converted = to_markdown(
        '<p><a href="javascript:alert(1)">click</a> <img src="https://x.example/a.png" onerror="alert(2)" alt="a"></p>\n\n'
        '<iframe src="https://evil.example/"></iframe><style>body{display:none}</style><form action="/x"><input></form>\n\n'
        '[caption id="1"]<img src="https://x.example/b.png" alt="b" onload="alert(3)"> A <script>alert(4)</script>caption'
        ' <a href="javascript:alert(5)" onclick="x()">link</a>[/caption]\n\n'
        '<svg onload="alert(6)"><script>alert(7)</script></svg><object data="x.swf"></object>')
    page = rendered(converted.markdown)
    assert page.css("script, style, iframe, form, input, object, svg") == []
    assert [(n.tag, a) for n in page.css("*") for a in n.attributes if a.startswith("on")] == []
    assert not [n for n in page.css("[href], [src]") if "javascript:" in (n.attributes.get("href") or n.attributes.get("src") or "")]
    assert "alert" not in converted.markdown
    assert page.css_first("figure img").attributes["src"] == "https://x.example/b.png"
    assert page.css_first("figcaption").text() == "A caption link"


def _export(path: Path, *posts: tuple[str, str, str]) -> Path:
    """A minimal export: one published post per (post_id, post_name, link), in 'cyber-security'."""
    items = "".join(
        f"<item><title>Post {post_id}</title><link>{link}</link><dc:creator>mjkim</dc:creator>"
        f"<content:encoded>Text of post {post_id}.</content:encoded><wp:post_id>{post_id}</wp:post_id>"
        f"<wp:post_date>2024-01-0{post_id} 09:00:00</wp:post_date><wp:post_name>{name}</wp:post_name>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
        '<category domain="category" nicename="cyber-security">Cyber</category></item>\n'
        for post_id, name, link in posts)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
                    f"<channel>\n{items}</channel>\n</rss>\n", encoding="utf-8")
    return path


def test_old_addresses_that_would_clash_are_reported_and_left_out(tmp_path: Path):
    new_archive(tmp_path)
    export = _export(tmp_path / "clash.xml",
                     ("1", "first", "https://old.example.org/shared/"),
                     ("2", "second", "https://old.example.org/shared/"),  # the same old address twice
                     ("3", "third", "https://old.example.org/topics/cyber/"),  # a page the site makes itself
                     ("4", "fourth", "https://old.example.org/briefs/2024/first/"))  # post 1's new address
    (tmp_path / "map.yml").write_text("categories:\n  cyber-security: {topic: cyber, type: analysis}\n", encoding="utf-8")
    result = run("import", "wordpress", str(export), "--map", str(tmp_path / "map.yml"), "--root", str(tmp_path))
    assert result.code == 0 and result.counts["written"] == 4
    aliases = {slug: frontmatter.load(tmp_path / f"content/briefs/2024/{slug}.md").get("aliases")
               for slug in ("first", "second", "third", "fourth")}
    assert aliases == {"first": ["/shared/"], "second": None, "third": None, "fourth": None}
    assert {int(p["line"]) for p in result.problems if p["severity"] == "warning"} == {5, 6, 7}  # posts 2, 3, 4
    assert run("check", "--root", str(tmp_path)).code == 0


def test_media_shortcodes_become_links_and_one_without_an_address_is_reported():
    converted = to_markdown('[audio mp3="https://media.example/talk.mp3"][/audio]\n\n'
                            '[video src="https://media.example/clip.mp4"]\n\n[embed]not an address[/embed]')
    page = rendered(converted.markdown)
    assert [a.attributes["href"] for a in page.css("a")] == ["https://media.example/talk.mp3", "https://media.example/clip.mp4"]
    assert converted.unknown_shortcodes == ["embed"]
    assert "[embed]not an address[/embed]" in converted.markdown


def test_the_same_export_gives_the_same_files_byte_for_byte(tmp_path: Path):
    one, two = new_archive(tmp_path / "one"), new_archive(tmp_path / "two")
    for archive in (one, two):
        run("import", "wordpress", str(SITE), "--map", str(MAP), "--root", str(archive.root))
    assert files(one.root) == files(two.root)


def test_two_posts_of_one_export_with_the_same_slug_clash_in_a_dry_run_and_a_real_one(tmp_path: Path):
    for mode in ((), ("--dry-run",)):
        root = tmp_path / (mode[0].strip("-") if mode else "real")
        new_archive(root)
        export = _export(tmp_path / "twice.xml", ("1", "same", "https://old.example.org/a/"),
                         ("2", "same", "https://old.example.org/b/"))
        (root / "map.yml").write_text("categories:\n  cyber-security: {topic: cyber, type: analysis}\n", encoding="utf-8")
        result = run("import", "wordpress", str(export), "--map", str(root / "map.yml"), "--root", str(root), *mode)
        assert result.code == 1 and result.counts["written"] == 1 and result.counts["already"] == 0
        [clash] = result.about('post 2 "Post 2" was not written', "error")
        assert "its slug 'same' is already used by content/briefs/2024/same.md" in clash["message"]


def test_worker_processes_change_nothing_in_the_files_or_the_report(tmp_path: Path, monkeypatch):
    from briefing_archive.importing import wordpress

    if fork_workers(10**6, wordpress.PARALLEL_FROM) < 2:
        pytest.skip("one core, or forking is not safe here: the import converts in this process")
    alone, pooled = new_archive(tmp_path / "alone"), new_archive(tmp_path / "pooled")
    plain = run("import", "wordpress", str(SITE), "--map", str(MAP), "--root", str(alone.root))
    started = []

    class Pool(wordpress.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            started.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(wordpress, "PARALLEL_FROM", 0)
    monkeypatch.setattr(wordpress, "ProcessPoolExecutor", Pool)
    with_workers = run("import", "wordpress", str(SITE), "--map", str(MAP), "--root", str(pooled.root))
    assert started  # the workers did convert the bodies
    assert with_workers.lines == plain.lines
    assert files(pooled.root) == files(alone.root)
