"""How the archive is loaded, for speed: a load with a memo (as each rebuild of `mkdocs serve`
loads) finds what a fresh load finds, the same briefs and the same problems, however the archive
was edited in between, and what an edit did not touch is taken from the memo, not read and
checked again; and a load runs with Python's cyclic collector paused."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
import yaml

from archive_kit import Archive

from briefing_archive.catalogue import ArchivePaths, LoadedArchive, LoadMemo, load_archive
from briefing_archive.catalogue import loader


def write_vocabularies(archive: Archive) -> None:
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 1_000_000_000  # a later time even within one clock tick
    os.utime(path, ns=(stamp, stamp))


def load(root: Path, memo: LoadMemo | None) -> LoadedArchive:
    return load_archive(ArchivePaths.at(root), site_name="Test", memo=memo)


def found(loaded: LoadedArchive) -> tuple[list[str], dict[str, str], dict[str, str]]:
    return ([str(problem) for problem in loaded.report.sorted()],
            {slug: repr(brief) for slug, brief in loaded.catalogue.briefs.items()},
            {key: repr(author) for key, author in loaded.catalogue.authors.items()})


def test_a_load_with_a_memo_finds_what_a_fresh_load_finds_and_reuses_what_no_edit_touched(tmp_path: Path):
    archive = Archive(tmp_path)
    alpha = archive.brief("alpha", topics=["cybersecurity"])  # a topic alias: warned on every load
    bravo = archive.brief("bravo", date="2022-01-01", body="It builds on [[alpha]].")
    archive.brief("charlie", date="2021-01-01", body="Charlie's text.", summary="Charlie's own summary.")
    write_vocabularies(archive)
    memo = LoadMemo()

    def check(what: str) -> LoadedArchive:
        with_memo = load(tmp_path, memo)
        assert found(with_memo) == found(load(tmp_path, None)), what
        return with_memo

    first = check("a first load")
    assert any("topic 'cybersecurity' is an alias" in p for p in found(first)[0])
    second = check("nothing changed: the alias warning is reported again")
    assert second.catalogue.briefs["charlie"] is first.catalogue.briefs["charlie"]
    assert second.catalogue.authors["sam-ortiz"] is first.catalogue.authors["sam-ortiz"]

    edit(bravo, "authors:\n- min-ji-kim", "authors:\n- nobody-known")
    broken = check("an unknown author")
    assert [p.path for p in broken.report.errors] == ["content/briefs/2022/bravo.md"]
    assert "bravo" not in broken.catalogue.briefs
    assert broken.catalogue.briefs["charlie"] is first.catalogue.briefs["charlie"]

    edit(bravo, "- nobody-known", "- min-ji-kim")
    fixed = check("the author fixed")
    assert fixed.report.errors == []

    charlie = tmp_path / "content/briefs/2021/charlie.md"
    edit(charlie, "Charlie's text.", "Charlie's text.\n\nA paragraph more, below the one the summary shows.")
    added_to = check("text added to a brief: the catalogue, and all planned from it, stands")
    assert added_to.catalogue is fixed.catalogue

    edit(alpha, "Body text of the brief.", "A new first paragraph, which the summary shows.")
    retold = check("a body edited: its derived summary follows")
    assert retold.catalogue.briefs["alpha"].summary.startswith("A new first paragraph")
    assert retold.catalogue is not added_to.catalogue

    archive.topics["cyber"]["title"] = "Cyber Security"
    write_vocabularies(archive)
    retitled = check("a topic retitled: every brief on it shows the new title")
    assert retitled.catalogue.briefs["charlie"].topics[0].title == "Cyber Security"
    assert retitled.catalogue.briefs["charlie"] is not first.catalogue.briefs["charlie"]

    edit(tmp_path / "content/authors/min-ji-kim.md", "name: Min-ji Kim", "name: Min-ji Kim-Lee")
    renamed = check("an author renamed: every brief of theirs names them so")
    assert renamed.catalogue.briefs["charlie"].authors[0].name == "Min-ji Kim-Lee"

    (tmp_path / "content/authors/sam-ortiz.md").unlink()
    check("an author removed")
    bravo.unlink()
    check("a brief deleted")


@pytest.mark.parametrize("collecting", [True, False])  # False: a serve rebuild has paused it already
def test_a_load_runs_with_the_cyclic_collector_paused_and_leaves_it_as_it_found_it(tmp_path, monkeypatch, collecting):
    archive = Archive(tmp_path)
    archive.brief("alpha")
    write_vocabularies(archive)
    collector_on_while_checking = []
    read = loader._BriefReader.read

    def watched(self, *args):
        collector_on_while_checking.append(gc.isenabled())
        return read(self, *args)

    monkeypatch.setattr(loader._BriefReader, "read", watched)
    (gc.enable if collecting else gc.disable)()
    try:
        load(tmp_path, None)
        assert collector_on_while_checking == [False]
        assert gc.isenabled() is collecting
    finally:
        gc.enable()
