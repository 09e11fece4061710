"""Pages built in worker processes: the site is byte for byte the one MkDocs builds alone, what a
worker logs still reaches the build's log and `--strict`, and a worker that fails fails the build.

Each build runs in its own process, as `mkdocs build` does (forking beside pytest's threads is
not what a real build does).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from test_determinism import archive_files, compare, lay_out, tree

DRIVER = textwrap.dedent("""
    import logging, sys, time
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from briefing_archive.engine import internals

    mode, config_file, site_dir = sys.argv[1:4]
    handler = logging.StreamHandler()  # as the mkdocs command prints its log
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.DEBUG if mode == "debug" else logging.INFO)
    build_page = internals.build_page

    first = [True]

    def patched(page, *args, **kwargs):  # runs in the workers only: they are forked after this
        if first.pop() if first else False:  # on the first page each worker builds
            if mode == "warn":
                logging.getLogger("mkdocs.plugins.test").warning("a warning from a worker")
            if mode == "fail":
                raise RuntimeError("a worker broke")
        return build_page(page, *args, **kwargs)

    internals.build_page = patched
    config = load_config(config_file, site_dir=site_dir, strict=mode in ("warn", "strict"))
    if mode == "dirty":  # `mkdocs build --dirty` over a site built before, after an edit
        config.plugins.on_startup(command="build", dirty=True)
        build(config)
        brief = Path(config_file).parent / "content/briefs/2023/echo.md"
        time.sleep(0.05)
        brief.write_text(brief.read_text(encoding="utf-8").replace("A note.", "A note, edited."), encoding="utf-8")
        config = load_config(config_file, site_dir=site_dir)
        build(config, dirty=True)
        sys.exit()
    try:
        build(config)
    except SystemExit as abort:  # as the mkdocs command shows it
        print(abort, file=sys.stderr)
        raise
""")


def write_archive(root: Path, workers: int) -> Path:
    files = archive_files(root.parent / f"scratch-{root.name}")
    names = sorted(files)
    lay_out(root, files, names, [1_600_000_000 + 60 * i for i in range(len(names) + 40)])
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      page_size: 2\n" in text
    config.write_text(text.replace("      page_size: 2\n", f"      page_size: 2\n      build_workers: {workers}\n"),
                      encoding="utf-8")
    return config


def run(mode: str, config: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "1893456000"}
    return subprocess.run([sys.executable, "-c", DRIVER, mode, str(config), str(site)], cwd=config.parent,
                          env=env, capture_output=True, text=True, timeout=240)


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("page-workers")
    return {workers: write_archive(base / f"workers-{workers}", workers) for workers in (1, 3)}


def test_pages_built_by_workers_are_the_pages_mkdocs_builds_alone(archives: dict[int, Path]):
    sites = {}
    for workers, config in archives.items():
        result = run("plain", config, config.parent / "site")
        assert result.returncode == 0, result.stderr
        sites[workers] = tree(config.parent / "site")
    assert len([n for n in sites[1] if n.endswith(".html")]) > 40
    compare(sites[1], sites[3])
    # MkDocs' "Page skipped" notice for pages a worker built is not shown.
    assert "Page skipped" not in result.stderr


def test_a_warning_in_a_worker_is_logged_and_fails_a_strict_build(archives: dict[int, Path]):
    config = archives[3]
    result = run("warn", config, config.parent / "site-warn")
    assert result.returncode != 0
    assert "WARNING -  a warning from a worker" in result.stderr
    assert "warnings in strict mode" in result.stderr


def test_a_worker_that_fails_fails_the_build_and_says_why(archives: dict[int, Path]):
    config = archives[3]
    result = run("fail", config, config.parent / "site-fail")
    assert result.returncode != 0
    assert "RuntimeError: a worker broke" in result.stderr
    assert "building pages failed in briefing-archive-pages-" in result.stderr


def test_workers_build_only_what_a_dirty_build_builds(archives: dict[int, Path], tmp_path: Path):
    """Under `--dirty` a worker must skip the pages MkDocs would skip (they were not read)."""
    config = write_archive(tmp_path / "dirty-workers", 3)
    result = run("dirty", config, config.parent / "site")
    assert result.returncode == 0, result.stderr
    fresh = run("plain", config, config.parent / "site-fresh")
    assert fresh.returncode == 0, fresh.stderr
    dirty_site, fresh_site = tree(config.parent / "site"), tree(config.parent / "site-fresh")
    assert "A note, edited." in dirty_site["briefs/2023/echo/index.html"].decode()
    compare(fresh_site, dirty_site)


def test_a_body_that_warns_in_a_worker_is_rendered_again_here_and_warns_once(tmp_path: Path):
    config = write_archive(tmp_path / "warns", 3)
    brief = config.parent / "content/briefs/2022/delta.md"  # early in the order: a worker's, or this process's
    for target in (brief, config.parent / "content/briefs/2024/india.md"):  # ... late: the other's
        target.write_text(target.read_text(encoding="utf-8") + "\nSee [the annex](annex-missing.md).\n",
                          encoding="utf-8")
    result = run("strict", config, config.parent / "site")
    assert result.returncode != 0
    warnings = [line for line in result.stderr.splitlines() if "annex-missing.md" in line]
    assert len(warnings) == 2 and all(line.startswith("WARNING") for line in warnings), result.stderr
    assert "2 warnings in strict mode" in result.stderr


def add_long_briefs(root: Path, body_end: str = "") -> None:
    """40 briefs long enough that a body worker renders some of them while MkDocs renders others."""
    paragraph = "A long paragraph about allied policy, sanctions and supply chains. " * 60
    (root / "content/briefs/2020").mkdir()
    for number in range(40):
        (root / f"content/briefs/2020/long-{number:02d}.md").write_text(
            "---\ntitle: Long " + str(number) + "\ndate: 2020-01-" + f"{number % 28 + 1:02d}" +
            "\ntype: policy-brief\nauthors: [jo-lee]\ntopics: [cyber]\n---\n" +
            "\n\n".join([paragraph] * 16) + "\n" + body_end, encoding="utf-8")


def test_body_workers_keep_rendering_while_this_process_does(tmp_path: Path):
    """A worker's bodies go through a pipe: it must keep flowing while MkDocs renders its own
    (a full pipe once stalled the worker after a few bodies, and MkDocs rendered nearly all)."""
    config = write_archive(tmp_path / "bodies", 2)
    add_long_briefs(config.parent)
    result = run("debug", config, config.parent / "site")
    assert result.returncode == 0, result.stderr
    counts = re.search(r"rendered bodies: (\d+) from the cache, (\d+) rendered", result.stderr)
    assert counts, result.stderr[-2000:]
    from_workers, here = map(int, counts.groups())  # a cold build: every hit is a worker's body
    assert from_workers + here == 48  # 40 long briefs and the archive's 8 published ones
    assert from_workers >= 16, (from_workers, here)


def test_one_process_builds_alone_without_workers(archives: dict[int, Path]):
    """The same patch with build_workers: 1 is never called: nothing is forked."""
    config = archives[1]
    result = run("fail", config, config.parent / "site-alone")
    assert result.returncode == 0, result.stderr


LATE_HOOK = """
from mkdocs.plugins import event_priority

@event_priority(-100)  # after briefing-archive has taken the body a worker rendered
def on_page_markdown(markdown, page, **kwargs):
    if page.file.src_uri.startswith("briefs/2020/long-"):
        return markdown + "\\n\\n<script>window.hooked = 1</script>\\n\\nAdded by a hook.\\n"
    return markdown
"""


def test_a_body_a_later_plugin_changes_after_a_worker_rendered_it_is_sanitized_here(tmp_path: Path):
    """This process does not sanitize again the very HTML a worker rendered and sanitized, but a
    plugin after this one can change the Markdown, which MkDocs then renders here: sanitized."""
    config = write_archive(tmp_path / "hooked", 2)
    add_long_briefs(config.parent, body_end="\n<script>window.written = 1</script>\n")
    (config.parent / "late_hook.py").write_text(LATE_HOOK, encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "hooks:\n  - late_hook.py\n", encoding="utf-8")
    result = run("debug", config, config.parent / "site")
    assert result.returncode == 0, result.stderr
    from_workers = int(re.search(r"rendered bodies: (\d+) from the cache", result.stderr).group(1))
    assert from_workers >= 16, result.stderr[-2000:]
    for number in range(40):
        page = HTMLParser((config.parent / f"site/briefs/2020/long-{number:02d}/index.html").read_text(encoding="utf-8"))
        body = page.css_first(".ba-brief__body")
        assert "Added by a hook." in body.text()
        assert body.css("script") == [], number
