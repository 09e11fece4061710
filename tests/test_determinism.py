"""Determinism: the same content gives a byte-identical site, however its files came to be.

One archive (several years, ties on a date, wiki-links, related, aliases, a draft, a photo,
pagination, non-ASCII, embedded listings, search on) is written twice, into two different folders: once file by
file in sorted order with increasing modification times, once in reversed order with shuffled
times decades apart (folders too). Each is built by `mkdocs build` in its own process, with a
different PYTHONHASHSEED (so set and dict orders that hang on string hashes differ) and a
different SOURCE_DATE_EPOCH (MkDocs' idea of the build time); the first is built once more, warm,
with brief bodies from the render cache (.cache/). Every file of the sites —
pages, sitemap.xml, sitemap.xml.gz, feeds, JSON API, citation files, redirects, assets — must be
byte-identical. The repository's sample site is built twice the same way.

The Pagefind bundle (site/pagefind/...) is compared byte for byte too. Pagefind 1.5.2 itself
writes each filter file (topic, type, author, ...) in the iteration order of a Rust HashMap,
whose seed is random per process, so the same values come out in another order, each filter
file gets another content hash (its name), and the metadata file and `pagefind-entry.json` that
name those hashes differ (upstream Pagefind/pagefind#638; fixed after 1.5.2 by #1124). The
`briefing-search` plugin puts that filter index in order after each Pagefind run
(search/bundle_order.py); without it, these tests fail on those files.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from archive_kit import MKDOCS_YML, Archive
from briefing_archive.search.bundle_order import pagefind_hash, read_record

REPO = Path(__file__).resolve().parent.parent
BUNDLE = "pagefind"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def archive_files(scratch: Path) -> dict[str, bytes]:
    """Every file of a small but varied archive, by path relative to its root."""
    archive = Archive(scratch, page_size=2, plugins_extra=["briefing-search"])
    archive.topics["energy"] = {"title": "Énergie & Power", "group": "Issues"}
    archive.programs["kipp"] = {"title": "Korea and Indo-Pacific Program", "short": "KIPP"}
    archive.write("content/authors/photos/jo-lee.png", PNG)
    archive.author("jo-lee", name="Jo Lee (이조)", role="Director", program="kipp",
                   photo="authors/photos/jo-lee.png", links={"website": "https://jo.example/", "email": "jo@x.example"},
                   bio="Jo writes about *energy*.")
    archive.author("ana-lopez", name="Ana López", alumni=True)
    specs = [
        ("alpha", "2021-03-01", {"topics": ["cyber"], "aliases": ["/old/alpha/"]}),
        ("bravo", "2022-05-05", {"topics": ["sanctions", "north-korea"], "authors": ["jo-lee", "min-ji-kim"]}),
        ("charlie", "2022-05-05", {"topics": ["sanctions"], "related": ["alpha"], "program": "ccti"}),
        ("delta", "2022-05-05", {"topics": ["energy"], "authors": ["ana-lopez"], "type": "analysis"}),
        ("echo", "2023-01-31", {"topics": ["cyber", "energy"], "updated": "2023-02-15", "program": "kipp"}),
        ("foxtrot", "2023-06-26", {"topics": ["north-korea"], "authors": ["sam-ortiz", "jo-lee"]}),
        ("golf", "2023-06-26", {"topics": ["cyber"], "summary": "Golf's own summary — with “quotes”."}),
        ("hotel", "2024-12-31", {"topics": ["cyber"], "draft": True}),
        ("india", "2024-02-29", {"topics": ["sanctions"], "aliases": ["/analysis/2024/india.html"]}),
    ]
    for slug, day, fields in specs:
        body = (f"Brief {slug} opens with a paragraph about allied policy.\n\n"
                f"It links [[alpha]] and [[charlie|the charlie brief]].\n\n## Détails\n\n"
                "| a | b |\n|---|---|\n| 1 | 2 |\n\nA note.[^1]\n\n[^1]: The footnote.\n")
        if slug in ("alpha", "charlie"):
            body = body.replace("It links [[alpha]] and [[charlie|the charlie brief]].", "No links here.")
        if slug == "delta":  # an embedded listing of briefs that delta neither links nor neighbours
            body += "\nOn North Korea:\n\n```briefs\ntopic: north-korea\n```\n"
        archive.brief(slug, date=day, body=body, **fields)
    archive.write("content/index.md", "# Test Institute\n\nBriefs for tests.\n\n```briefs\ntopic: cyber\nlimit: 2\n```\n")
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))
    config = MKDOCS_YML.replace("{page_size}", "2") + "  - briefing-search\n"
    archive.write("mkdocs.yml", config)
    return {p.relative_to(scratch).as_posix(): p.read_bytes() for p in sorted(scratch.rglob("*")) if p.is_file()}


def lay_out(root: Path, files: dict[str, bytes], order: list[str], times: list[int]) -> None:
    """Writes `files` under `root` in `order`, then gives files and folders the modification `times`."""
    for name in order:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
    everything = sorted(root.rglob("*"), key=lambda p: p.as_posix())
    for path, stamp in zip(everything, times * (len(everything) // len(times) + 1)):
        os.utime(path, (stamp, stamp))


def mkdocs_build(config: Path, out: Path, hash_seed: str, epoch: str) -> None:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": hash_seed, "SOURCE_DATE_EPOCH": epoch}
    env.pop("BRIEFS_DRAFTS", None)
    result = subprocess.run([*command, "build", "--quiet", "-f", str(config), "-d", str(out)],
                            cwd=config.parent, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def compare(first: dict[str, bytes], second: dict[str, bytes]) -> None:
    """Every file of two sites, byte for byte, the Pagefind bundle's too."""
    assert sorted(first) == sorted(second), f"different files: only in one {sorted(set(first) ^ set(second))}"
    differing = [name for name in first if first[name] != second[name]]
    assert differing == [], f"{len(differing)} files differ: {differing}"
    assert {"sitemap.xml", "sitemap.xml.gz", "feed.xml", "api/briefs.json", "index.html"} <= set(first)
    if any(n.startswith(BUNDLE + "/") for n in first):
        for kind in ("fragment/", "index/", "filter/", "pagefind-entry.json", ".pf_meta"):
            assert any(n.startswith(BUNDLE + "/") and kind in n for n in first), f"no Pagefind {kind} compared"


@pytest.fixture(scope="module")
def archive_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes], dict[str, bytes]]:
    base = tmp_path_factory.mktemp("determinism")
    files = archive_files(base / "scratch")
    names = sorted(files)
    first, second = base / "first-copy", base / "second" / "elsewhere"
    lay_out(first, files, names, [1_600_000_000 + 60 * i for i in range(len(names) + 40)])
    shuffled = [631_152_000 + 997_331 * i for i in range(len(names) + 40)]  # 1990 onwards
    random.Random(7).shuffle(shuffled)
    lay_out(second, files, names[::-1], shuffled)
    mkdocs_build(first / "mkdocs.yml", first / "site", "1", "2208988800")  # 2040-01-01 (after every brief: none is scheduled)
    mkdocs_build(second / "mkdocs.yml", second / "site", "4242", "1893456000")  # 2030-01-01
    assert (first / ".cache").is_dir(), "the render cache was written"
    mkdocs_build(first / "mkdocs.yml", first / "site-again", "99", "2051222400")  # 2035, warm: bodies from the cache
    return files, tree(first / "site"), tree(second / "site"), tree(first / "site-again")


def test_same_archive_written_differently_builds_byte_identical_sites(archive_sites):
    files, first, second, _ = archive_sites
    print(f"\n{len(files)} source files; {len(first)} site files compared")
    assert "briefs/2022/charlie/index.html" in first and "old/alpha/index.html" in first
    assert "briefs/2024/hotel/index.html" not in first  # the draft is out of both
    compare(first, second)


def test_the_sitemaps_list_pages_in_a_fixed_order_with_content_dates(archive_sites):
    _, first, _, _ = archive_sites
    sitemap = first["sitemap.xml"].decode()
    assert gzip.decompress(first["sitemap.xml.gz"]).decode() == sitemap
    for year in ("2000", "2030"):  # neither build's clock reached the output
        assert f"<lastmod>{year}" not in sitemap
    assert "<lastmod>2024-02-29</lastmod>" in sitemap


def test_the_pagefind_bundle_is_byte_identical_with_its_filter_index_in_order(archive_sites):
    _, first, second, _ = archive_sites
    bundle = {n: b for n, b in first.items() if n.startswith(BUNDLE + "/")}
    other = {n: b for n, b in second.items() if n.startswith(BUNDLE + "/")}
    assert bundle and sorted(n for n in set(bundle) | set(other) if bundle.get(n) != other.get(n)) == []
    assert len([n for n in bundle if "/fragment/" in n]) == 8  # the published briefs, and nothing else
    entry = json.loads(bundle[f"{BUNDLE}/pagefind-entry.json"])
    assert list(entry["languages"]) == ["en"]
    meta, _ = read_record(bundle[f"{BUNDLE}/pagefind.{entry['languages']['en']['hash']}.pf_meta"])
    names = [name for name, _hash in meta[3]]
    assert names == sorted(names) == ["author", "program", "topic", "type", "year"]
    for name, file_hash in meta[3]:
        (key, values), payload = read_record(bundle[f"{BUNDLE}/filter/{file_hash}.pf_filter"])
        assert key == name and [value for value, _pages in values] == sorted(value for value, _pages in values)
        assert file_hash == "en_" + pagefind_hash(payload)[:7]  # named for what it holds, as Pagefind names it
    filters = {name for name in bundle if "/filter/" in name}
    assert len(filters) == 5  # no file left behind under an older name


def test_a_build_from_the_render_cache_is_byte_identical_to_a_cold_one(archive_sites):
    _, first, _, warm = archive_sites
    compare(first, warm)


def test_the_sample_site_builds_byte_identically_twice(tmp_path: Path):
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "site", "test-artifacts", ".cache", "__pycache__", ".pytest_cache", "bench", "tests"))
    mkdocs_build(REPO / "mkdocs.yml", tmp_path / "one", "1", "2208988800")
    # The copy elsewhere, with every modification time moved, must give the same bytes.
    for path in sorted(copy.rglob("*"), reverse=True):
        os.utime(path, (315_532_800, 315_532_800))
    mkdocs_build(copy / "mkdocs.yml", tmp_path / "two", "777", "1893456000")
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    print(f"\nsample site: {len(first)} files compared")
    compare(first, second)
