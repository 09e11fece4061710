"""URLs never break (SPEC §5): a brief whose file was renamed or moved in git history keeps each
earlier address as a redirect, with no alias written by hand.

The log parser is tested on literal `git log` output; the rest builds archives in real git
repositories made in `tmp_path` (fixed names and dates, so every commit is the same each run)
and parses the redirect pages, `briefs check`'s lines and the build's messages.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from archive_kit import MKDOCS_YML, Archive, BuiltSite, build_site, resolve
from briefing_archive.catalogue.history import SHALLOW_NOTICE, History, parse_log, read_history
from briefing_archive.cli import main

REPO = Path(__file__).resolve().parent.parent
SITE_URL = "https://briefs.test.example/"
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")
PROBLEM = re.compile(r"(?P<path>\S+?\.md):(?P<line>\d+): (?P<severity>error|warning): (?P<message>.*)$")


# --- the log parser, on literal output ------------------------------------------------------------

def log(*commits: list[str]) -> str:
    """`git log --name-status -z --format=tformat:commit` output, newest commit first: each commit
    a list of status lines written as git prints them with tabs (`R100\\told\\tnew`)."""
    out = ""
    for commit in commits:
        out += "commit\0\n" + "".join(field + "\0" for line in commit for field in line.split("\t"))
    return out


def test_renames_chain_back_through_every_commit():
    output = log(["R100\t2023/c.md\t2024/d.md"],  # newest: moved to another year
                 ["R096\t2023/b.md\t2023/c.md", "M\t2023/other.md"],
                 ["R100\t2023/a.md\t2023/b.md"],
                 ["A\t2023/a.md", "A\t2023/other.md"])
    assert parse_log(output) == {"2024/d.md": (("2023/c.md", 0), ("2023/b.md", 1), ("2023/a.md", 2))}


def test_the_real_layout_of_git_output_is_read():
    # As git 2.39 prints it: the format line ends in NUL, then a newline before the first status.
    output = "commit\0\nM\0002022/b2.md\0R100\0002022/b1.md\0002023/c1.md\0commit\0\nA\0002022/b1.md\0A\0002022/b2.md\0"
    assert parse_log(output) == {"2023/c1.md": (("2022/b1.md", 0),)}


def test_a_path_added_again_is_another_file():
    # a.md was renamed to b.md; later a new a.md was written: it has no earlier path, b.md keeps a.md.
    output = log(["A\t2023/a.md"], ["R100\t2023/a.md\t2023/b.md"], ["A\t2023/a.md"])
    assert parse_log(output) == {"2023/b.md": (("2023/a.md", 1),)}


def test_a_deleted_file_leads_to_nothing():
    output = log(["D\t2023/b.md"], ["R100\t2023/a.md\t2023/b.md"], ["A\t2023/a.md"])
    assert parse_log(output) == {}


def test_a_swap_in_one_commit_is_read_against_the_state_after_it():
    output = log(["R100\t2023/a.md\t2023/b.md", "R100\t2023/b.md\t2023/a.md"])
    assert parse_log(output) == {"2023/a.md": (("2023/b.md", 0),), "2023/b.md": (("2023/a.md", 0),)}


def test_a_file_renamed_back_is_not_its_own_earlier_path():
    output = log(["R100\t2023/b.md\t2023/a.md"], ["R100\t2023/a.md\t2023/b.md"], ["A\t2023/a.md"])
    claims = parse_log(output)
    history = History(head="x", claims=claims)
    assert history.earlier(["2023/a.md"]) == {"2023/a.md": ("2023/b.md",)}


def test_an_earlier_path_two_files_had_belongs_to_the_first():
    # a.md was renamed to b.md; a new a.md was later renamed to c.md: the address was b's first.
    output = log(["R100\t2023/a.md\t2023/c.md"], ["A\t2023/a.md"], ["R100\t2023/a.md\t2023/b.md"], ["A\t2023/a.md"])
    history = History(head="x", claims=parse_log(output))
    assert history.earlier(["2023/b.md", "2023/c.md"]) == {"2023/b.md": ("2023/a.md",)}
    # A file that is not there now claims nothing (another branch's rename, a later deletion).
    assert history.earlier(["2023/c.md"]) == {"2023/c.md": ("2023/a.md",)}


def test_paths_are_read_as_git_writes_them_with_z():
    # With -z git never quotes a path: spaces, non-ASCII and tabs come as they are.
    output = "commit\0\nR100\0n\u00e9e 2023/a\tb.md\0002023/b.md\0"
    assert parse_log(output) == {"2023/b.md": (("n\u00e9e 2023/a\tb.md", 0),)}


# --- real repositories ----------------------------------------------------------------------------

class Repo:
    """A git repository around an archive: every commit with fixed names and dates."""

    def __init__(self, top: Path, archive: Archive):
        self.top, self.archive, self.commits = top, archive, 0

    def git(self, *args: str) -> str:
        stamp = f"2024-01-{self.commits + 1:02d}T12:00:00+00:00"
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(GIT_AUTHOR_NAME="Editor", GIT_AUTHOR_EMAIL="editor@example.org", GIT_AUTHOR_DATE=stamp,
                   GIT_COMMITTER_NAME="Editor", GIT_COMMITTER_EMAIL="editor@example.org",
                   GIT_COMMITTER_DATE=stamp, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
        done = subprocess.run([GIT, "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                              cwd=self.top, env=env, capture_output=True, text=True, check=True)
        return done.stdout

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        self.commits += 1

    def move(self, old: str, new: str) -> None:
        """`git mv` of a brief file, paths relative to content/briefs/."""
        briefs = self.archive.root / "content" / "briefs"
        (briefs / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", str(briefs / old), str(briefs / new))


def write_config(archive: Archive) -> None:
    """What `Archive.build` writes before it builds (mkdocs.yml, site_config/), to commit it."""
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))
    archive.write("mkdocs.yml", MKDOCS_YML.replace("{page_size}", str(archive.page_size)))


def make_repo(top: Path, subfolder: str = "") -> Repo:
    top.mkdir(parents=True, exist_ok=True)
    archive = Archive(top / subfolder if subfolder else top)
    repo = Repo(top, archive)
    repo.git("init", "-q")
    (top / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    return repo


def renamed_twice(repo: Repo) -> None:
    """old-name (2022) -> new-name (2022) -> newest-name (moved to 2023 with its new date), and
    a brief whose hand-written alias is its own earlier address."""
    archive = repo.archive
    archive.brief("old-name", date="2022-05-02", body="A brief about the talks. " * 20)
    archive.brief("first-title", date="2022-06-01", body="Another brief. " * 20)
    archive.brief("stays-put", date="2022-07-01")
    write_config(archive)
    repo.commit("Three briefs")
    repo.move("2022/old-name.md", "2022/new-name.md")
    repo.move("2022/first-title.md", "2022/second-title.md")
    archive.brief("second-title", date="2022-06-01", body="Another brief. " * 20,
                  aliases=["/briefs/2022/first-title/"])
    repo.commit("Better file names")
    repo.move("2022/new-name.md", "2023/newest-name.md")
    archive.brief("newest-name", date="2023-01-09", year="2023", body="A brief about the talks. " * 20)
    repo.commit("The brief was published a year later")


def redirect_target(site: BuiltSite | Path, address: str) -> str:
    """Where the redirect page at `address` sends a reader (a site-rooted URL), checked against
    its canonical link. `site`: a build, or a site folder."""
    folder = site.site if isinstance(site, BuiltSite) else site
    file = folder / address.lstrip("/") / "index.html"
    assert file.is_file(), f"no redirect page at {address}"
    page = LexborHTMLParser(file.read_text(encoding="utf-8"))
    refresh = page.css_first('meta[http-equiv="refresh"]').attributes["content"]
    match = re.fullmatch(r"\s*0\s*;\s*url=(.+)", refresh, re.IGNORECASE)
    assert match, refresh
    target = resolve(address, match[1].strip())
    assert page.css_first('link[rel="canonical"]').attributes["href"] == SITE_URL + target.lstrip("/")
    return target


def redirect_pages(site: BuiltSite | Path) -> dict[str, str]:
    """Every redirect page of the site: its address -> where it sends the reader."""
    folder = site.site if isinstance(site, BuiltSite) else site
    found = {}
    for file in sorted(folder.rglob("index.html")):
        if 'http-equiv="refresh"' in file.read_text(encoding="utf-8"):
            address = "/" + file.parent.relative_to(folder).as_posix() + "/"
            found[address] = redirect_target(folder, address)
    return found


def check(capsys, root: Path) -> tuple[int, list[tuple[str, int, str, str]], str]:
    """`briefs check`'s exit status, errors and standard error."""
    code = main(["check", "--root", str(root)])
    out, err = capsys.readouterr()
    found = [(m["path"], int(m["line"]), m["severity"], m["message"])
             for m in map(PROBLEM.match, out.splitlines()) if m and m["severity"] == "error"]
    return code, found, err


def build_problems(site: BuiltSite) -> list[tuple[str, int, str, str]]:
    return [(m["path"], int(m["line"]), m["severity"], m["message"])
            for m in map(PROBLEM.search, site.messages) if m and m["severity"] == "error"]


@pytest.fixture(autouse=True)
def _not_in_actions(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture(scope="module")
def moved(tmp_path_factory) -> tuple[Repo, BuiltSite]:
    if GIT is None:
        pytest.skip("git is not installed")
    repo = make_repo(tmp_path_factory.mktemp("history"))
    renamed_twice(repo)
    site = repo.archive.build()
    assert site.ok, site.messages
    return repo, site


@needs_git
def test_each_earlier_address_of_a_renamed_brief_redirects_to_it(moved):
    _repo, site = moved
    assert redirect_target(site, "/briefs/2022/old-name/") == "/briefs/2023/newest-name/"
    assert redirect_target(site, "/briefs/2022/new-name/") == "/briefs/2023/newest-name/"
    article = site.html("/briefs/2023/newest-name/").css_first("article[data-slug]")
    assert article.attributes["data-slug"] == "newest-name"


@needs_git
def test_every_redirect_of_the_site_and_no_other(moved):
    # (The module's build logs at WARNING and above; the shallow test sees INFO lines.)
    # The hand-written alias of second-title is its own earlier address: one redirect page, no error.
    _repo, site = moved
    assert redirect_pages(site) == {
        "/briefs/2022/first-title/": "/briefs/2022/second-title/",
        "/briefs/2022/new-name/": "/briefs/2023/newest-name/",
        "/briefs/2022/old-name/": "/briefs/2023/newest-name/",
    }
    assert not build_problems(site)
    assert not [m for m in site.messages if "shallow" in m or "git" in m]


@needs_git
def test_the_check_passes_and_says_nothing_of_history(moved, capsys):
    repo, _site = moved
    code, found, err = check(capsys, repo.archive.root)
    assert (code, found) == (0, [])
    assert "note:" not in err


@needs_git
def test_the_same_history_gives_the_same_redirects_byte_for_byte(moved, tmp_path):
    repo, site = moved
    again = tmp_path / "again"
    shutil.copytree(repo.top, again, ignore=shutil.ignore_patterns("site", ".cache"))
    rebuilt = build_site(again / "mkdocs.yml")
    assert rebuilt.ok, rebuilt.messages
    for address in redirect_pages(site):
        assert rebuilt.file(address).read_bytes() == site.file(address).read_bytes()


@needs_git
def test_a_former_address_another_brief_now_uses_is_an_error_naming_both(moved, tmp_path, capsys):
    repo, _site = moved
    top = tmp_path / "taken"
    shutil.copytree(repo.top, top, ignore=shutil.ignore_patterns("site", ".cache"))
    taken = Repo(top, Archive(top))
    taken.commits = repo.commits
    # A new brief takes the renamed brief's first address; another claims its second as an alias.
    taken.archive.brief("old-name", date="2022-09-01")
    taken.archive.brief("claims-alias", date="2022-09-02", aliases=["/other/", "/briefs/2022/new-name"])
    renamed, new, claims = ("content/briefs/2023/newest-name.md", "content/briefs/2022/old-name.md",
                            "content/briefs/2022/claims-alias.md")
    lines = (top / claims).read_text(encoding="utf-8").splitlines()
    alias_line = next(n for n, line in enumerate(lines, 1) if line.endswith("/briefs/2022/new-name"))
    expected = [
        (claims, alias_line, "error", f"alias '/briefs/2022/new-name' was the address of {renamed} (its file was "
                             "content/briefs/2022/new-name.md in git history), and old links must keep leading "
                             "there: remove this alias"),
        (new, 1, "error", f"this brief's address /briefs/2022/old-name/ was the address of {renamed} (its file was "
                          f"{new} in git history), and old links must keep leading there: give this brief another "
                          "file name"),
        (renamed, 1, "error", "this brief's earlier address /briefs/2022/new-name/ (its file was "
                              f"content/briefs/2022/new-name.md in git history) is also an alias of {claims}, so old "
                              "links would lead there: remove that alias"),
        (renamed, 1, "error", f"this brief's earlier address /briefs/2022/old-name/ (its file was {new} in git "
                              f"history) is now the address of {new}, so old links would lead there: give {new} "
                              "another file name"),
    ]
    code, found, _err = check(capsys, top)
    assert (code, found) == (1, expected)
    site = taken.archive.build()
    assert not site.ok
    assert build_problems(site) == expected  # the same problems in the same words (SPEC §5)
    # Committed or not, the same.
    taken.commit("Two more briefs")
    assert check(capsys, top)[:2] == (1, expected)


@needs_git
def test_the_fix_for_a_taken_address_is_another_file_name(moved, tmp_path, capsys):
    # The newer brief took the address in a commit, then was given another name: the address is
    # still the renamed brief's, which had it first; no error is left.
    repo, _site = moved
    top = tmp_path / "fixed"
    shutil.copytree(repo.top, top, ignore=shutil.ignore_patterns("site", ".cache"))
    fixed = Repo(top, Archive(top))
    fixed.commits = repo.commits
    fixed.archive.brief("old-name", date="2022-09-01")
    fixed.commit("A brief that takes an old address")
    fixed.move("2022/old-name.md", "2022/old-name-2.md")
    fixed.commit("Another name")
    assert check(capsys, top)[:2] == (0, [])
    site = fixed.archive.build()
    assert site.ok, site.messages
    assert redirect_target(site, "/briefs/2022/old-name/") == "/briefs/2023/newest-name/"


@needs_git
def test_a_shallow_clone_says_so_in_one_line_and_builds(moved, tmp_path, capsys, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")
    repo, _site = moved
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.top}", str(clone))
    site = build_site(clone / "mkdocs.yml")
    assert site.ok, site.messages
    ours = [m for m in site.messages if m.startswith("briefing_archive: ") and ": warning: " not in m]
    assert ours == [f"briefing_archive: {SHALLOW_NOTICE}"]
    assert redirect_pages(site) == {"/briefs/2022/first-title/": "/briefs/2022/second-title/"}  # the alias only
    code, found, err = check(capsys, clone)
    assert (code, found) == (0, [])
    assert err.splitlines()[0] == f"note: {SHALLOW_NOTICE}"


@needs_git
def test_the_shallow_notice_does_not_fail_a_strict_build(moved, tmp_path):
    repo, _site = moved
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.top}", str(clone))
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]
    done = subprocess.run([*command, "build", "--strict"], cwd=clone, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=180)
    assert done.returncode == 0, done.stderr
    assert f"INFO    -  briefing_archive: {SHALLOW_NOTICE}" in done.stderr.splitlines()


def test_a_folder_that_is_no_checkout_builds_as_before(archive: Archive, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")
    archive.brief("plain", date="2022-05-02")
    site = archive.build()
    assert site.ok, site.messages
    assert not [m for m in site.messages if "git" in m or "shallow" in m]
    assert redirect_pages(site) == {}
    assert read_history(archive.root / "content" / "briefs") == History()


def test_without_git_installed_there_is_no_history(tmp_path, monkeypatch):
    (tmp_path / "briefs").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    assert read_history(tmp_path / "briefs") == History()


@needs_git
def test_an_archive_below_the_top_of_its_repository(tmp_path):
    repo = make_repo(tmp_path / "repo", subfolder="website")
    repo.archive.brief("before", date="2022-05-02", body="Text of a brief. " * 20)
    write_config(repo.archive)
    repo.commit("A brief")
    repo.move("2022/before.md", "2022/after.md")
    repo.commit("Renamed")
    site = repo.archive.build()
    assert site.ok, site.messages
    assert redirect_pages(site) == {"/briefs/2022/before/": "/briefs/2022/after/"}


@needs_git
def test_a_repository_without_commits_has_no_history(tmp_path):
    repo = make_repo(tmp_path / "repo")
    repo.archive.brief("before", date="2022-05-02")
    assert read_history(repo.archive.root / "content" / "briefs") == History()


@needs_git
def test_history_is_read_again_only_when_the_commit_changes(tmp_path):
    repo = make_repo(tmp_path / "repo")
    repo.archive.brief("before", date="2022-05-02", body="Text of a brief. " * 20)
    repo.commit("A brief")
    briefs = repo.archive.root / "content" / "briefs"
    first = read_history(briefs)
    assert read_history(briefs, kept=first) is first  # a `serve` rebuild after an edit
    repo.move("2022/before.md", "2022/after.md")
    assert read_history(briefs, kept=first) is first  # not committed yet: the same history
    repo.commit("Renamed")
    again = read_history(briefs, kept=first)
    assert again.earlier(["briefs/2022/after.md"]) == {"briefs/2022/after.md": ("briefs/2022/before.md",)}


@needs_git
def test_a_git_hook_pointing_git_elsewhere_does_not_change_the_history_read(moved, monkeypatch):
    # `briefs check` as a pre-commit hook runs with GIT_DIR and GIT_INDEX_FILE set.
    repo, _site = moved
    briefs = repo.archive.root / "content" / "briefs"
    expected = read_history(briefs)
    monkeypatch.setenv("GIT_DIR", str(REPO / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(REPO / ".git" / "index"))
    assert read_history(briefs) == expected


@pytest.mark.parametrize("workflow", ["deploy.yml", "pr.yml"])
def test_the_workflows_that_build_fetch_the_whole_history(workflow: str):
    # A shallow checkout (actions/checkout's default) would publish no redirect for a renamed brief.
    jobs = yaml.safe_load((REPO / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))["jobs"]
    for name, job in jobs.items():
        runs = " ".join(step.get("run", "") for step in job.get("steps", []))
        if "mkdocs build" not in runs and "briefs check" not in runs:
            continue
        checkouts = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout@")]
        assert checkouts and all(s.get("with", {}).get("fetch-depth") == 0 for s in checkouts), name


@needs_git
def test_the_history_benchmark_finds_every_rename_it_wrote(tmp_path: Path):
    # bench/history.py: briefs added one commit each, edited, renamed (some twice, some into
    # another year, some with an edit in the same commit); every earlier path is read back.
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-m", "bench.history", "--briefs", "60", "--out", str(tmp_path / "repo"),
                           "--repeat", "1", "--json", str(out)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["earlier_as_written"] is True
    assert result["briefs_with_history"] == result["renamed_briefs"] == 6
    assert result["earlier_paths"] == result["renames"] > 6  # one at least was renamed twice
    assert result["commits"] == 60 + 30 + result["renames"]
    assert result["notice"] == ""


@needs_git
def test_a_serve_dirty_rebuild_after_a_committed_rename_is_the_full_build(tmp_path, monkeypatch):
    # Under `mkdocs serve --dirty` the history is kept while the commit stays; a rename committed
    # between two builds (and one undone with a reset) rebuilds to the site a full build makes.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig
    from test_determinism import mkdocs_build, tree

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2208988800")
    repo = make_repo(tmp_path / "repo")
    repo.archive.brief("first", date="2022-05-02", body="The text of the first brief. " * 20)
    repo.archive.brief("second", date="2022-06-02", body="The second brief, linking [[first]]. " * 10)
    write_config(repo.archive)
    repo.commit("Two briefs")
    served = tmp_path / "served"
    root = repo.archive.root
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(served))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        steps = [
            lambda: (repo.move("2022/first.md", "2022/first-renamed.md"),
                     (root / "content/briefs/2022/second.md").write_text(
                         (root / "content/briefs/2022/second.md").read_text(encoding="utf-8").replace(
                             "[[first]]", "[[first-renamed]]"), encoding="utf-8"),
                     repo.commit("A better name")),
            lambda: (repo.move("2022/first-renamed.md", "2023/first-renamed.md"),
                     write_date(root / "content/briefs/2023/first-renamed.md", "2023-01-05"),
                     repo.commit("Published a year later")),
            lambda: repo.git("reset", "-q", "--hard", "HEAD~1"),
        ]
        expected = [{"/briefs/2022/first/": "/briefs/2022/first-renamed/"},
                    {"/briefs/2022/first/": "/briefs/2023/first-renamed/",
                     "/briefs/2022/first-renamed/": "/briefs/2023/first-renamed/"},
                    {"/briefs/2022/first/": "/briefs/2022/first-renamed/"}]
        for number, (step, redirects) in enumerate(zip(steps, expected)):
            step()
            build(load_config(str(root / "mkdocs.yml"), site_dir=str(served)), dirty=True)
            fresh = tmp_path / f"fresh-{number}"
            mkdocs_build(root / "mkdocs.yml", fresh, "0", "2208988800")
            assert tree(served) == tree(fresh), number
            assert redirect_pages(served) == redirects, number
    finally:
        config.plugins.on_shutdown()
        MkDocsConfig.plugins.plugin_cache.clear()


def write_date(path: Path, day: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^date: .*$", f"date: '{day}'", text, count=1), encoding="utf-8")


@needs_git
def test_briefs_new_refuses_an_address_a_renamed_brief_had(moved, tmp_path, capsys):
    repo, _site = moved
    top = tmp_path / "new"
    shutil.copytree(repo.top, top, ignore=shutil.ignore_patterns("site", ".cache"))
    argv = ["new", "--root", str(top), "--title", "Old Name", "--type", "policy-brief", "--author", "min-ji-kim",
            "--topic", "cyber", "--date", "2022-10-01"]
    assert main(argv) == 1
    _out, err = capsys.readouterr()
    assert err.splitlines()[:2] == [
        "error: /briefs/2022/old-name/ was the address of content/briefs/2023/newest-name.md before its file was "
        "renamed (git history), and old links must keep leading there; give the brief another title or choose a "
        "slug with --slug",
        "No file was written."]
    assert not (top / "content/briefs/2022/old-name.md").exists()
    # Another year's address is free: the slug is not taken.
    assert main([*argv[:-1], "2021-10-01"]) == 0
    assert capsys.readouterr()[0].strip() == "content/briefs/2021/old-name.md"


HOOK = '''\
from mkdocs.structure.files import File


def on_files(files, config):
    files.append(File.generated(config, "briefs/2022/old-name/index.html", content="<p>Another page.</p>"))
    return files
'''


@needs_git
def test_a_former_address_another_page_now_has_is_an_error(moved, tmp_path):
    # A page no brief is (here a hook's) at the renamed brief's first address: the build's check,
    # as for an alias onto a generated page.
    repo, _site = moved
    top = tmp_path / "hooked"
    shutil.copytree(repo.top, top, ignore=shutil.ignore_patterns("site", ".cache"))
    (top / "hook.py").write_text(HOOK, encoding="utf-8")
    config = top / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - hook.py\n", encoding="utf-8")
    site = build_site(config)
    assert not site.ok
    assert build_problems(site) == [
        ("content/briefs/2023/newest-name.md", 1, "error",
         "this brief's earlier address /briefs/2022/old-name/ (its file was content/briefs/2022/old-name.md in git "
         "history) is now the address of another page (briefs/2022/old-name/index.html), so old links would lead "
         "there: move that page to another address")]
