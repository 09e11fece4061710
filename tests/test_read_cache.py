"""The read cache (catalogue/read_cache.py): a load that takes what reading each file found from
the cache finds exactly what a load that reads every file finds (briefs, sources, links,
problems and their lines), reads again only the files whose bytes changed, never answers for
other bytes, code or library versions, and is left as it was when it cannot be written.
`briefs check` keeps its reads there, and so does a build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from archive_kit import Archive

from briefing_archive import cli
from briefing_archive.catalogue import ArchivePaths, LoadedArchive, LoadMemo, load_archive
from briefing_archive.catalogue import read_briefs, read_cache

CACHE = ".cache/briefing-archive"


def write_vocabularies(archive: Archive) -> None:
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))


def files_read(root: Path) -> int:
    """Brief and author files: every file a load reads (empty or broken ones included)."""
    return sum(1 for _ in (root / "content" / "briefs").rglob("*.md")) + sum(1 for _ in (root / "content" / "authors").glob("*.md"))


def stored(cache_dir: Path) -> list[str]:
    """The keys of the entries in the cache file (its first line is the salt)."""
    lines = (cache_dir / read_cache.FILE_NAME).read_text(encoding="utf-8").split("\n")[1:]
    return [line.split("\t", 1)[0] for line in lines]


def found(loaded: LoadedArchive) -> tuple[str, ...]:
    return (repr(loaded.report.problems), repr(loaded.briefs), repr(loaded.sources), repr(loaded.body_links),
            repr(loaded.catalogue.authors), repr(loaded.all_slugs))


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The files parsed (not taken from the cache), in the order parsed."""
    names: list[str] = []
    parse = read_briefs.parse_markdown

    def counted(raw: bytes, path: str, report):
        names.append(path)
        return parse(raw, path, report)

    monkeypatch.setattr(read_briefs, "parse_markdown", counted)
    return names


# Values JSON would not give back as they are: a number as a key, a set, a float that is no number.
ODD_VALUES = {"odd-key": "1: one", "odd-set": "extra: !!set {a, b}", "odd-nan": "extra: .nan"}
ODD_FILES = sorted(f"content/briefs/2023/{name}.md" for name in ODD_VALUES)


def varied_archive(root: Path) -> Archive:
    """Briefs of every kind a reader meets: fine ones, and each way a file goes wrong."""
    archive = Archive(root)
    archive.brief("alpha", topics=["cybersecurity"], body="Links to [[bravo|the bravo brief]] and [x](../2022/bravo.md).")
    archive.brief("bravo", date="2022-01-01", body="```\n[[not-a-link]]\n```\n\nSee [[nope]].\n\n[r]: ../2023/alpha.md\n")
    archive.brief("charlie", date="2021-03-04", summary="Its own summary.", related=["alpha"])
    archive.brief("no-body", body="")
    archive.write("content/briefs/2023/crlf.md",
                  "\ufeff---\r\ntitle: Windows lines\r\ndate: 2023-02-01\r\ntype: analysis\r\nauthors: [min-ji-kim]\r\n"
                  "topics: [cyber]\r\n---\r\nText with\r\nCRLF line ends.\r\n")
    archive.write("content/briefs/2023/unknown-author.md",
                  "---\ntitle: X\ndate: 2023-02-01\ntype: analysis\nauthors: [nobody]\ntopics: [cyber]\n---\nText.\n")
    archive.write("content/briefs/2023/bad-date.md",
                  "---\ntitle: X\ndate: 2023-02-30\ntype: analysis\nauthors: [min-ji-kim]\ntopics: [cyber]\n---\nText.\n")
    archive.write("content/briefs/2023/bad-yaml.md", "---\ntitle: A: B\ndate: 2023-02-01\n---\nText.\n")
    archive.write("content/briefs/2023/twice.md", "---\ntitle: X\ntitle: Y\n---\nText.\n")
    archive.write("content/briefs/2023/not-utf8.md", b"---\ntitle: caf\xe9\n---\n")
    archive.write("content/briefs/2023/empty.md", "")
    archive.write("content/briefs/2023/no-front-matter.md", "Just text.\n")
    # Values JSON would not give back as they are: a number as a key, a set, a float that is no number.
    for name, odd in ODD_VALUES.items():
        archive.write(f"content/briefs/2023/{name}.md", "---\ntitle: Odd\ndate: 2023-03-01\ntype: analysis\n"
                      f"authors: [min-ji-kim]\ntopics: [cyber]\n{odd}\n---\nText.\n")
    archive.write("content/briefs/2023/nested.md", "---\ntitle: Nested\ndate: 2023-03-01\ntype: analysis\n"
                  "authors: [min-ji-kim]\ntopics: [cyber]\nextra: {deep: {er: [1, 2.5, null, true, '']}}\n---\nText.\n")
    write_vocabularies(archive)
    return archive


@pytest.mark.parametrize("derive_summaries", [True, False])  # a build keeps bodies; a check does not
@pytest.mark.parametrize("parallel", [False, True])
def test_a_load_from_the_cache_finds_what_reading_every_file_finds(tmp_path, monkeypatch, parsed,
                                                                    derive_summaries, parallel):
    if parallel:
        monkeypatch.setattr(read_briefs, "PARALLEL_FROM", 1)
    varied_archive(tmp_path / "repo")
    paths = ArchivePaths.at(tmp_path / "repo")
    cache_dir = tmp_path / "cache"
    fresh = found(load_archive(paths, derive_summaries=derive_summaries))
    assert any("not-utf8.md" in problem for problem in fresh[0].split("Problem(")), "the archive has its errors"

    first = load_archive(paths, derive_summaries=derive_summaries, cache_dir=cache_dir)
    assert found(first) == fresh
    again = load_archive(paths, derive_summaries=derive_summaries, cache_dir=cache_dir)
    assert found(again) == fresh
    if derive_summaries:
        assert again.sources["alpha"].body.startswith("Links to [[bravo")
        assert again.sources["crlf"].body == "Text with\nCRLF line ends.\n"
    if not parallel:  # workers parse in other processes, out of the counter's sight
        assert len(parsed) == 2 * files_read(tmp_path / "repo") + len(ODD_FILES)  # fresh, first; again: only the odd ones
        assert sorted(parsed[-len(ODD_FILES):]) == ODD_FILES
    assert len(stored(cache_dir)) == files_read(tmp_path / "repo") - len(ODD_FILES)


def test_only_the_files_whose_bytes_changed_are_read_again(tmp_path, parsed):
    archive = varied_archive(tmp_path)
    paths = ArchivePaths.at(tmp_path)
    cache_dir = tmp_path / CACHE
    load_archive(paths, cache_dir=cache_dir)
    parsed.clear()
    charlie = tmp_path / "content/briefs/2021/charlie.md"
    text = charlie.read_text(encoding="utf-8")
    charlie.write_text(text.replace("Its own summary.", "A new summary."), encoding="utf-8")
    (tmp_path / "content/briefs/2023/empty.md").unlink()
    loaded = load_archive(paths, cache_dir=cache_dir)
    assert sorted(parsed) == ["content/briefs/2021/charlie.md", *ODD_FILES]
    assert loaded.briefs["charlie"].summary == "A new summary."
    assert found(loaded) == found(load_archive(paths))

    parsed.clear()
    charlie.write_text(text, encoding="utf-8")  # back as it was: the cache has forgotten those bytes
    assert found(load_archive(paths, cache_dir=cache_dir)) == found(load_archive(paths))
    assert parsed.count("content/briefs/2021/charlie.md") == 2
    assert len(stored(cache_dir)) == files_read(tmp_path) - len(ODD_FILES)  # not the deleted file, nor charlie's edit


def test_a_file_moved_to_another_path_is_read_again_so_its_problems_name_the_new_path(tmp_path, parsed):
    archive = varied_archive(tmp_path)
    paths = ArchivePaths.at(tmp_path)
    cache_dir = tmp_path / CACHE
    load_archive(paths, cache_dir=cache_dir)
    archive.write("content/briefs/2024/bad-yaml.md", (tmp_path / "content/briefs/2023/bad-yaml.md").read_bytes())
    (tmp_path / "content/briefs/2023/bad-yaml.md").unlink()
    parsed.clear()
    loaded = load_archive(paths, cache_dir=cache_dir)
    assert "content/briefs/2024/bad-yaml.md" in parsed
    assert [p.path for p in loaded.report.errors if "invalid YAML" in p.message] == ["content/briefs/2024/bad-yaml.md"]


def spoiled(text: str, spoil: str) -> str | bytes:
    salt, *lines = text.split("\n")
    entries = [line.split("\t", 1) for line in lines]
    if spoil == "another salt":  # entries that would answer wrongly, if they were believed
        wrong = [json.dumps({**json.loads(entry), "problems": []}) for _key, entry in entries]
        return "\n".join(["0" * 64, *(f"{key}\t{line}" for (key, _), line in zip(entries, wrong))])
    if spoil == "cut short":
        return "\n".join([salt, *(f"{key}\t{entry[: len(entry) // 2]}" for key, entry in entries)])
    if spoil == "another shape":
        return "\n".join([salt, *(f"{key}\t{{\"source\": null}}" for key, _entry in entries)])
    return b"\xff\xfe not text"


@pytest.mark.parametrize("spoil", ["another salt", "cut short", "another shape", "not text"])
def test_a_cache_from_other_code_or_libraries_or_damaged_is_not_used(tmp_path, parsed, spoil):
    varied_archive(tmp_path)
    paths = ArchivePaths.at(tmp_path)
    cache_dir = tmp_path / CACHE
    load_archive(paths, cache_dir=cache_dir)
    cache_file = cache_dir / read_cache.FILE_NAME
    good = cache_file.read_text(encoding="utf-8")
    bad = spoiled(good, spoil)
    (cache_file.write_bytes if isinstance(bad, bytes) else cache_file.write_text)(bad)
    parsed.clear()
    loaded = load_archive(paths, cache_dir=cache_dir)
    assert len(parsed) == files_read(tmp_path)
    assert found(loaded) == found(load_archive(paths))
    assert cache_file.read_text(encoding="utf-8") == good  # written anew


def test_the_salt_covers_the_reading_code_and_the_yaml_libraries(monkeypatch):
    salt = read_cache._salt()
    assert read_cache._salt() == salt
    assert {"reading.py", "links.py", "text.py", "read_briefs.py", "read_cache.py"} <= set(read_cache._CODE)
    monkeypatch.setattr(read_cache.yaml, "__with_libyaml__", not read_cache.yaml.__with_libyaml__)
    assert read_cache._salt() != salt
    monkeypatch.undo()
    monkeypatch.setattr(read_cache, "_CODE", read_cache._CODE[:-1])
    assert read_cache._salt() != salt


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path):
    varied_archive(tmp_path / "repo")
    paths = ArchivePaths.at(tmp_path / "repo")
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("x", encoding="utf-8")
    assert found(load_archive(paths, cache_dir=blocked / "cache")) == found(load_archive(paths))
    assert blocked.read_text(encoding="utf-8") == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file-not-a-folder", "repo"]


def test_briefs_check_keeps_its_reads_and_says_the_same_the_second_time(tmp_path, monkeypatch, capsys, parsed):
    varied_archive(tmp_path)
    content = {p: p.read_bytes() for p in (tmp_path / "content").rglob("*") if p.is_file()}
    monkeypatch.chdir(tmp_path)
    first_code = cli.main(["check"])
    first = capsys.readouterr()
    assert first_code == 1 and "content/briefs/2023/bad-yaml.md:2: error: invalid YAML" in first.out
    assert (tmp_path / CACHE / read_cache.FILE_NAME).is_file()
    parsed.clear()
    assert cli.main(["check"]) == first_code
    assert capsys.readouterr() == first
    assert sorted(parsed) == ODD_FILES
    assert {p: p.read_bytes() for p in (tmp_path / "content").rglob("*") if p.is_file()} == content


def test_a_build_keeps_its_reads_for_the_next_build(tmp_path, parsed):
    archive = Archive(tmp_path)
    archive.brief("alpha", body="See [[bravo]].")
    archive.brief("bravo", date="2022-01-01")
    first = archive.build()
    assert first.ok, first.messages
    assert (tmp_path / CACHE / read_cache.FILE_NAME).is_file()
    pages = {p.relative_to(first.site): p.read_bytes() for p in first.site.rglob("*.html")}
    parsed.clear()
    shutil.rmtree(first.site)
    second = archive.build()
    assert second.ok and parsed == []
    assert {p.relative_to(second.site): p.read_bytes() for p in second.site.rglob("*.html")} == pages


def test_loads_after_the_first_of_a_process_leave_the_cache_whole(tmp_path, parsed):
    """`mkdocs serve` loads again after each edit, reading only the changed files (its memo): the
    cache the first load left must not be cut down to those."""
    varied_archive(tmp_path)
    paths = ArchivePaths.at(tmp_path)
    cache_dir = tmp_path / CACHE
    memo = LoadMemo()
    load_archive(paths, memo=memo, cache_dir=cache_dir)
    kept = stored(cache_dir)
    charlie = tmp_path / "content/briefs/2021/charlie.md"
    charlie.write_text(charlie.read_text(encoding="utf-8").replace("Its own summary.", "New."), encoding="utf-8")
    parsed.clear()
    after_edit = load_archive(paths, memo=memo, cache_dir=cache_dir)
    assert parsed == ["content/briefs/2021/charlie.md"]
    assert after_edit.briefs["charlie"].summary == "New."
    assert stored(cache_dir) == kept
