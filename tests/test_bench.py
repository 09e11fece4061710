"""The benchmark works: a tiny synthetic archive is written to the SPEC, deterministically, and
`python -m bench.run` builds it with and without the archive and reports its table and JSON.
(The benchmark's targets are checked by running it at 1,000 and 10,000 briefs, not here.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

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
    assert "bench/rebuild.py" not in edited.read_text(encoding="utf-8")  # the edit was undone

    check = size["check"]
    assert "skipped" in check or (check["rc"] == 0 and check["wall_s"] > 0 and check["again_s"] > 0)
    if "skipped" not in check:  # the second check had the read cache the first one left
        assert (tmp_path / "work" / f"n{N}" / ".cache" / "briefing-archive" / "reads.json").is_file()

    row = next(line for line in done.stdout.splitlines() if line.startswith(f"| {N} |"))
    assert f"{size['ratio']:.2f}×" in row
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
