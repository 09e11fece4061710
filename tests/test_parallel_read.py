"""Reading briefs in worker processes gives the same catalogue and the same report as reading them
in one process, problems included, whichever way the files lie on disk; and the summaries
derived beside the read are those the loader derives."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_archive.catalogue import ArchivePaths, load_archive, loader
from briefing_archive.catalogue import read_briefs as read_briefs_module
from briefing_archive.catalogue.links import WIKI_LINK
from briefing_archive.catalogue.text import first_paragraph

from test_bench import generate


def snapshot(root: Path):
    loaded = load_archive(ArchivePaths.at(root))
    return ([str(p) for p in loaded.report.sorted()], {slug: repr(b) for slug, b in loaded.briefs.items()},
            loaded.catalogue.links_to,
            {slug: (s.path, s.body_line, s.meta.data, s.meta.key_lines) for slug, s in loaded.sources.items()})


def test_workers_read_what_one_process_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    generate(tmp_path, 60)
    briefs = sorted((tmp_path / "content" / "briefs").rglob("*.md"))
    # Some problems for the workers to report: bad YAML, an unknown topic, a wiki-link to nowhere.
    briefs[3].write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    text = briefs[7].read_text(encoding="utf-8")
    briefs[7].write_text(text.replace("topics: [", "topics: [no-such-topic, ", 1) + "\nSee [[nowhere]].\n",
                         encoding="utf-8")
    briefs[9].write_bytes(b"---\ntitle: \xff\n---\n")

    monkeypatch.setattr(read_briefs_module, "PARALLEL_FROM", 10**9)
    one_process = snapshot(tmp_path)
    # Two workers even where the suite runs on one core or beside other threads.
    monkeypatch.setattr(read_briefs_module, "fork_workers", lambda items, parallel_from: 2)
    in_workers = snapshot(tmp_path)

    assert in_workers == one_process
    messages = "\n".join(one_process[0])
    assert "invalid YAML" in messages and "no-such-topic" in messages and "nowhere" in messages
    assert "not UTF-8" in messages


def test_summaries_derived_while_reading_are_those_the_loader_derives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A brief without a summary gets one derived from its first paragraph. Where that paragraph
    names no other brief, it is derived with the read (in the workers); where it does, the loader
    derives it with the titles it shows. Either way, it is the summary the loader derives."""
    generate(tmp_path, 60)
    briefs = sorted((tmp_path / "content" / "briefs").rglob("*.md"))
    text = briefs[0].read_text(encoding="utf-8")
    other = briefs[1].stem
    head, _, rest = text.partition("\n---\n")
    head = "\n".join(line for line in head.split("\n") if not line.startswith("summary:"))
    briefs[0].write_text(f"{head}\n---\nAs [[{other}]] argued, *allies* matter.\n\n{rest}", encoding="utf-8")
    monkeypatch.setattr(read_briefs_module, "fork_workers", lambda items, parallel_from: 2)
    with_reads = snapshot(tmp_path)
    by_loader = []
    derive = loader.derived_summary
    monkeypatch.setattr(loader, "derived_summary", lambda body, titles: by_loader.append(body) or derive(body, titles))
    monkeypatch.setattr(read_briefs_module, "_summary_alone", lambda source: None)
    assert snapshot(tmp_path) == with_reads
    unlinked = [body for body in by_loader if not WIKI_LINK.search(first_paragraph(body))]
    assert len(by_loader) > len(unlinked) > 5  # some of each kind, all derived by the loader this time
    by_loader.clear()
    monkeypatch.undo()
    monkeypatch.setattr(loader, "derived_summary", lambda body, titles: by_loader.append(body) or derive(body, titles))
    by_reader = []
    monkeypatch.setattr(read_briefs_module, "derived_summary", lambda body: by_reader.append(body) or derive(body))
    loaded = load_archive(ArchivePaths.at(tmp_path))
    assert by_loader and all(WIKI_LINK.search(first_paragraph(body)) for body in by_loader)
    # Only briefs: an author's profile has no summary to derive.
    assert sorted(by_reader) == sorted(unlinked)
    title = loaded.briefs[other].title
    assert loaded.briefs[briefs[0].stem].summary.startswith(f"As {title} argued, allies matter.")
