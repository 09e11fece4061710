"""A long build says where it is (issue 18): INFO lines through the plugins' loggers, for a large
archive only, at most every few seconds: what was read and checked, the pages whose Markdown is
rendered, the pages built (the page workers' too), search indexing. Nothing more for a small
archive, nor under `-q`.

The rule of when to speak is a plain function of a clock handed in; the builds below make every
step speak (`LARGE` 1 page, `EVERY` 0 s) instead of waiting for one that is large and slow.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from archive_kit import Archive

from briefing_archive import progress
from briefing_archive.progress import Step

STEP_LINE = re.compile(r"(Rendered the Markdown of|Built) (\d+) of (\d+) pages")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_step_speaks_at_most_every_few_seconds():
    clock, said = Clock(), []
    step = Step("Built", 14_400, said.append, clock=clock, every=5.0, large=1_000)
    for count, seconds in [(1, 1.0), (2_000, 4.9), (3_000, 5.0), (4_000, 9.9), (6_000, 10.0), (6_001, 10.1)]:
        clock.now = 100.0 + seconds
        step.done(count)
    assert said == ["Built 3,000 of 14,400 pages", "Built 6,000 of 14,400 pages"]


def test_a_step_of_a_small_archive_or_one_that_is_over_says_nothing():
    clock, said = Clock(), []
    small = Step("Built", 999, said.append, clock=clock, every=5.0, large=1_000)
    large = Step("Indexed", 1_000, said.append, items="briefs", clock=clock, every=5.0, large=1_000)
    clock.now += 60
    small.done(500)
    large.done(1_000)  # the last one: what comes next says so
    assert said == []
    large.done(999)
    assert said == ["Indexed 999 of 1,000 briefs"]


def test_the_threshold_and_interval_are_read_when_a_step_is_made(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(progress, "LARGE", 2)
    monkeypatch.setattr(progress, "EVERY", 0.0)
    said: list[str] = []
    Step("Built", 3, said.append).done(1)
    assert said == ["Built 1 of 3 pages"] and progress.is_large(2) and not progress.is_large(1)


def small_archive(root: Path, search: bool = True) -> Archive:
    archive = Archive(root, plugins_extra=["briefing-search"] if search else [])
    for number in range(1, 6):
        archive.brief(f"brief-{number}", date=f"202{number}-03-04", body=f"Brief number {number}.")
    return archive


def progress_lines(messages: list[str]) -> list[str]:
    """What the plugins said of how far the build is, without their loggers' prefix."""
    said = (message.removeprefix("briefing_archive: ") for message in messages)
    return [m for m in said if m.startswith(("Read and checked", "Rendered the Markdown", "Built ", "Indexing ",
                                             "Search index part"))]


def test_a_small_archive_says_nothing_more(tmp_path: Path):
    built = small_archive(tmp_path).build()
    assert built.ok, built.messages
    assert progress_lines(built.messages) == []


def test_a_large_archive_says_what_it_read_then_how_far_each_step_is(tmp_path: Path, monkeypatch, caplog):
    monkeypatch.setattr(progress, "LARGE", 1)
    monkeypatch.setattr(progress, "EVERY", 0.0)
    caplog.set_level(logging.INFO, logger="mkdocs")
    archive = small_archive(tmp_path)
    archive.plugins_extra = [{"briefing-search": {"briefs_per_index": 2}}]  # an index in 3 parts
    built = archive.build()
    assert built.ok, built.messages
    lines = progress_lines([record.getMessage() for record in caplog.records
                            if record.name.startswith("mkdocs.plugins.briefing_archive")])
    assert all(record.levelno == logging.INFO for record in caplog.records if record.getMessage() in lines)
    assert re.fullmatch(r"Read and checked 5 briefs and 2 authors in \d+\.\d s", lines[0])
    steps = [STEP_LINE.fullmatch(line) for line in lines[1:-4]]
    assert all(steps), lines
    total = len(list(built.site.rglob("index.html")))  # every page is a folder's index.html
    rendered = [int(m[2]) for m in steps if m[1] == "Rendered the Markdown of"]
    built_pages = [int(m[2]) for m in steps if m[1] == "Built"]
    # one line a page (every 0 s), the last one unsaid: the next step says so
    assert rendered == list(range(1, total)) and built_pages == list(range(1, total))
    assert {int(m[3]) for m in steps} == {total}
    assert lines[-4:] == ["Indexing 5 briefs for search with Pagefind, in 3 parts",
                          "Search index part 1 of 3 (2024–2025) indexed",
                          "Search index part 2 of 3 (2022–2023) indexed",
                          "Search index part 3 of 3 (2021) indexed"]


DRIVER = textwrap.dedent("""
    import sys
    from briefing_archive import progress
    from mkdocs.__main__ import cli

    progress.LARGE, progress.EVERY = 1, 0.0  # every step of this small archive speaks
    cli.main(args=sys.argv[1:], prog_name="mkdocs")
""")


def run_mkdocs(*args: str) -> str:
    """`mkdocs ARGS` in its own process, as a build runs (page workers fork only there): its log."""
    result = subprocess.run([sys.executable, "-c", DRIVER, *args], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_pages_built_by_page_workers_are_counted(tmp_path: Path):
    archive = small_archive(tmp_path, search=False)
    archive.plugin_options = {"build_workers": 2}
    config = archive.build_config()
    log = run_mkdocs("build", "-v", "-f", str(config), "-d", str(tmp_path / "site"))
    by_workers = int(re.search(r"(\d+) pages built by page workers", log)[1])
    built = [int(m[2]) for m in STEP_LINE.finditer(log) if m[1] == "Built"]
    total = len(list((tmp_path / "site").rglob("index.html")))
    assert by_workers >= 1, log
    # This process speaks at each of its pages, given away ones too, and counts the worker's with
    # its own: past what it built itself. Counting its own alone, it would say "Built 1 of …" at
    # least (it builds a page before giving the rest away, and the last count goes unsaid only
    # when it reaches the total); counting the worker's, it may reach the total at once and say
    # nothing, however the two processes were scheduled.
    assert built == sorted(built) and (not built or max(built) > total - by_workers), (built, total, by_workers)


def test_a_quiet_build_says_nothing_more(tmp_path: Path):
    config = small_archive(tmp_path, search=False).build_config()
    loud = run_mkdocs("build", "-f", str(config), "-d", str(tmp_path / "loud"))
    assert "Read and checked 5 briefs" in loud and STEP_LINE.search(loud)
    assert run_mkdocs("build", "-q", "-f", str(config), "-d", str(tmp_path / "quiet")) == ""
