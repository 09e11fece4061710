"""Reading briefs in worker processes gives the same catalogue and the same report as reading them
in one process, problems included, whichever way the files lie on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_archive.catalogue import ArchivePaths, load_archive
from briefing_archive.catalogue import read_briefs as read_briefs_module

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
    monkeypatch.setattr(read_briefs_module, "_workers", lambda count: 2)
    in_workers = snapshot(tmp_path)

    assert in_workers == one_process
    messages = "\n".join(one_process[0])
    assert "invalid YAML" in messages and "no-such-topic" in messages and "nowhere" in messages
    assert "not UTF-8" in messages
