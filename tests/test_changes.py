"""`briefs changes BASE` (SPEC §5): what the working tree changes on the site, compared with a git
revision, from both revisions' catalogues and page plans.

Each test makes a real git repository in a temporary folder, commits a small archive, edits it,
and runs the command in-process (`main([...])`). Assertions read its JSON (`--format json`) for
the structure, and the Markdown rendered to HTML (Markdown, then selectolax) for what a reader of
the pull request's summary sees.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import markdown
import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from archive_kit import Archive
from briefing_archive.site_settings import SETTING_DEFAULTS, read_settings
from briefing_archive.cli import main

GIT = "/usr/bin/git"
WHEN = "2026-01-02T03:04:05+00:00"
MKDOCS_YML = """\
site_name: Test Institute
site_url: https://briefs.test.example/
docs_dir: content
theme:
  name: material
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - briefing-archive:
      page_size: 2
"""


@pytest.fixture(autouse=True)
def quiet_git(monkeypatch, tmp_path: Path):
    """Git with no user or system configuration, fixed dates, and not under GitHub Actions."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, WHEN)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_BASE_REF", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)


def git(root: Path, *args: str) -> str:
    done = subprocess.run([GIT, "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *args],
                          cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def body(words: str) -> str:
    """A text of its own for each brief (a file renamed is recognised by its text)."""
    return f"{words}\n\n" + " ".join(f"{words.split()[0].lower()}{i}" for i in range(60))


def setup_archive(archive: Archive, branch: str = "main") -> Archive:
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))
    archive.write("mkdocs.yml", MKDOCS_YML)
    archive.brief("alpha", date="2023-01-10", title="Alpha", body=body("Alpha opens."), authors=["min-ji-kim", "sam-ortiz"],
                  topics=["cyber", "sanctions", "north-korea"], program="ccti")
    archive.brief("bravo", date="2023-02-10", title="Bravo", body=body("Bravo follows."), topics=["cyber", "sanctions"])
    archive.brief("charlie", date="2023-03-10", title="Charlie", body=body("Charlie turns."), topics=["cyber"])
    archive.brief("delta", date="2023-04-10", title="Delta", body=body("Delta ends."), topics=["north-korea"])
    archive.brief("old-one", date="2022-05-01", title="Old One", body=body("Old links [[alpha]]."), topics=["cyber"])
    archive.brief("gone-with-alias", date="2022-06-01", title="Gone", body=body("Gone soon."), topics=["sanctions"])
    archive.brief("keeper", date="2022-01-01", title="Keeper", body=body("Kept on."), topics=["north-korea"])
    git(archive.root, "init", "-q", "-b", branch)
    commit_all(archive.root, "the archive")
    return archive


@pytest.fixture
def repo(archive: Archive) -> Archive:
    return setup_archive(archive)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def brief_file(repo: Archive, year: int, slug: str) -> Path:
    return repo.root / "content" / "briefs" / str(year) / f"{slug}.md"


def the_pull_request(repo: Archive) -> None:
    """Adds a brief, retitles one, deletes one (no alias takes its address) and another (whose
    address another brief takes as an alias), moves one to other topics, adds one with an error."""
    repo.brief("new-one", date="2024-01-05", title="New One", body=body("Fresh news."), topics=["cyber"])
    edit(brief_file(repo, 2023, "bravo"), "title: Bravo", "title: Bravo Renamed")
    brief_file(repo, 2022, "old-one").unlink()
    brief_file(repo, 2022, "gone-with-alias").unlink()
    edit(brief_file(repo, 2023, "delta"), "topics:", "aliases:\n- /briefs/2022/gone-with-alias/\ntopics:")
    edit(brief_file(repo, 2023, "charlie"), "- cyber", "- sanctions")
    repo.brief("broken", date="2024-02-01", title="Broken", body=body("Broken one."), topics=["cybr"])


def changes(capsys, repo: Archive, *argv: str) -> tuple[int, dict, str]:
    code = main(["changes", "--root", str(repo.root), "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def markdown_of(capsys, repo: Archive, *argv: str) -> tuple[int, HTMLParser, str]:
    code = main(["changes", "--root", str(repo.root), *argv])
    out, _err = capsys.readouterr()
    return code, HTMLParser(markdown.markdown(out, extensions=["tables", "fenced_code"])), out


def section(html: HTMLParser, heading: str) -> list:
    """The elements after the h3 `heading`, up to the next h3."""
    (start,) = [h for h in html.css("h3") if h.text().strip() == heading]
    found, node = [], start.next
    while node is not None and node.tag != "h3":
        if node.tag != "-text":
            found.append(node)
        node = node.next
    return found


def by_slug(items: list[dict]) -> dict[str, dict]:
    return {item["slug"]: item for item in items}


# --- the structure ------------------------------------------------------------------------------

def test_briefs_added_changed_and_removed(capsys, repo: Archive):
    the_pull_request(repo)
    code, data, _ = changes(capsys, repo, "main")
    assert code == 0
    statuses = {(c["status"], c["slug"]) for c in data["briefs"]}
    assert statuses == {("added", "new-one"), ("changed", "bravo"), ("changed", "charlie"), ("changed", "delta"),
                        ("removed", "old-one"), ("removed", "gone-with-alias")}
    briefs = by_slug(data["briefs"])
    assert briefs["new-one"]["url"] == "/briefs/2024/new-one/"
    assert briefs["new-one"]["path"] == "content/briefs/2024/new-one.md"
    assert [(f["field"], f["before"], f["after"]) for f in briefs["bravo"]["fields"]] == [("title", "Bravo", "Bravo Renamed")]
    assert [(f["field"], f["before"], f["after"]) for f in briefs["charlie"]["fields"]] == [("topics", "Cyber", "Sanctions")]
    assert [f["field"] for f in briefs["delta"]["fields"]] == ["aliases"]
    assert briefs["old-one"]["note"] == "file deleted"


def test_listings_say_which_pages_change(capsys, repo: Archive):
    the_pull_request(repo)
    _, data, _ = changes(capsys, repo, "main")
    listings = {(c["kind"], c["key"]): c for c in data["listings"]}
    latest = listings[("latest", "")]
    # before: delta, charlie | bravo, alpha | gone, old-one | keeper (2 a page)
    # after:  new-one, delta | charlie, bravo | alpha, keeper
    assert (latest["pages_before"], latest["pages_after"]) == (4, 3)
    assert latest["changed_pages"] == [1, 2, 3]
    assert [(e["slug"], e["page"]) for e in latest["entered"]] == [("new-one", 1)]
    assert {e["slug"] for e in latest["left"]} == {"old-one", "gone-with-alias"}
    assert [(e["slug"], e["fields"]) for e in latest["updated"]] == [("bravo", ["title"])]
    assert latest["page_urls"] == ["/briefs/", "/briefs/page/2/", "/briefs/page/3/"]

    cyber = listings[("topic", "cyber")]
    assert {e["slug"] for e in cyber["entered"]} == {"new-one"}
    assert {e["slug"] for e in cyber["left"]} == {"charlie", "old-one"}
    sanctions = listings[("topic", "sanctions")]
    assert {e["slug"] for e in sanctions["entered"]} == {"charlie"}
    assert {e["slug"] for e in sanctions["left"]} == {"gone-with-alias"}
    assert listings[("year", "2024")]["status"] == "added"
    assert ("type", "analysis") not in listings  # untouched listings are not listed
    home = {p["url"]: p["what"] for p in data["index_pages"]}
    assert "latest briefs" in home["/"] and "years" in home["/archive/"]


def test_other_briefs_related_lists_backlinks_and_neighbours(capsys, repo: Archive):
    the_pull_request(repo)
    _, data, _ = changes(capsys, repo, "main")
    pages = by_slug(data["brief_pages"])
    assert "- Old One" in pages["alpha"]["backlinks"]  # old-one linked to alpha with [[alpha]]
    assert pages["delta"]["neighbours"] == ["next: New One"]
    related = {slug: page["related"] for slug, page in pages.items() if page["related"]}
    assert any("- Old One" in items for items in related.values())
    assert any("~ Bravo Renamed" in items for items in related.values())
    assert data["related_ranked"].startswith("every brief")  # briefs added and removed: weights change


def test_feeds_and_data_files(capsys, repo: Archive):
    the_pull_request(repo)
    _, data, _ = changes(capsys, repo, "main")
    feeds = {f["url"]: f for f in data["feeds"]}
    assert [e["slug"] for e in feeds["/feed.xml"]["entered"]] == ["new-one"]
    assert feeds["/topics/cyber/feed.xml"]["status"] == "changed"
    assert "/api/briefs.json" in data["data_files"] and "/api/topics.json" in data["data_files"]


def test_new_problems_only(capsys, repo: Archive):
    # BASE has a problem too (a warning): it is not new, and it is not reported.
    repo.author("jo-lee", name="Jo Lee")
    commit_all(repo.root, "a profile before the first brief")
    the_pull_request(repo)
    _, data, _ = changes(capsys, repo, "main")
    problems = [(p["path"], p["severity"], p["message"].split(" (")[0]) for p in data["new_problems"]]
    assert problems == [("content/briefs/2024/broken.md", "error", "unknown topic 'cybr'")]
    assert not any("jo-lee" in p["path"] for p in data["new_problems"])


def test_a_removed_address_is_reported_unless_an_alias_takes_it(capsys, repo: Archive):
    the_pull_request(repo)
    _, data, _ = changes(capsys, repo, "main")
    broken = data["broken_urls"]
    assert [(p["path"], p["line"], p["severity"]) for p in broken] == [("content/briefs/2022/old-one.md", 1, "warning")]
    assert "/briefs/2022/old-one/" in broken[0]["message"] and "aliases" in broken[0]["message"]
    assert not any("gone-with-alias" in p["message"] for p in broken)


def test_a_moved_brief_is_one_change_and_its_old_address_needs_an_alias(capsys, repo: Archive):
    old = brief_file(repo, 2023, "charlie")
    new = brief_file(repo, 2024, "charlie")
    new.parent.mkdir(parents=True)
    old.rename(new)
    edit(new, "date: '2023-03-10'", "date: '2024-03-10'")
    _, data, _ = changes(capsys, repo, "main")
    (change,) = data["briefs"]
    assert (change["status"], change["slug"], change["note"]) == ("changed", "charlie", "was content/briefs/2023/charlie.md")
    assert (change["fields"][0]["field"], change["fields"][0]["before"], change["fields"][0]["after"]) == \
        ("address", "/briefs/2023/charlie/", "/briefs/2024/charlie/")
    (warning,) = data["broken_urls"]
    lines = new.read_text(encoding="utf-8").splitlines()
    assert warning["path"] == "content/briefs/2024/charlie.md"
    assert lines[warning["line"] - 1].startswith("date:")  # the line that moved it
    assert "add '/briefs/2023/charlie/' to this brief's aliases" in warning["message"]

    edit(new, "topics:", "aliases:\n- /briefs/2023/charlie/\ntopics:")
    _, data, _ = changes(capsys, repo, "main")
    assert data["broken_urls"] == []


def test_a_renamed_file_is_recognised_by_its_text(capsys, repo: Archive):
    old = brief_file(repo, 2023, "bravo")
    old.rename(old.with_name("bravo-two.md"))
    _, data, _ = changes(capsys, repo, "main")
    (change,) = data["briefs"]
    assert (change["status"], change["slug"]) == ("changed", "bravo-two")
    (warning,) = data["broken_urls"]
    assert (warning["path"], warning["line"]) == ("content/briefs/2023/bravo-two.md", 1)


def test_a_rename_committed_on_the_branch_keeps_its_address_through_git_history(capsys, repo: Archive):
    """The build redirects a renamed brief's earlier address by itself (catalogue/history.py): once
    the rename is committed, nothing stops working and no alias is asked for."""
    git(repo.root, "checkout", "-q", "-b", "rename")
    git(repo.root, "mv", "content/briefs/2023/bravo.md", "content/briefs/2023/bravo-two.md")
    commit_all(repo.root, "A better name")
    _, data, _ = changes(capsys, repo, "main")
    assert [(c["status"], c["slug"]) for c in data["briefs"]] == [("changed", "bravo-two")]
    assert data["broken_urls"] == []


def test_a_brief_made_a_draft_leaves_the_site(capsys, repo: Archive):
    edit(brief_file(repo, 2023, "delta"), "topics:", "draft: true\ntopics:")
    _, data, _ = changes(capsys, repo, "main")
    (change,) = data["briefs"]
    assert (change["status"], change["slug"]) == ("removed", "delta") and "draft" in change["note"]
    (warning,) = data["broken_urls"]
    lines = brief_file(repo, 2023, "delta").read_text(encoding="utf-8").splitlines()
    assert lines[warning["line"] - 1] == "draft: true"


def test_a_deleted_topic_page_is_an_address_that_stops_working(capsys, repo: Archive):
    repo.topics["space"] = {"title": "Space"}
    repo.write("site_config/topics.yml", yaml.safe_dump(repo.topics, sort_keys=False))
    commit_all(repo.root, "a topic")
    del repo.topics["space"]
    repo.write("site_config/topics.yml", yaml.safe_dump(repo.topics, sort_keys=False))
    _, data, _ = changes(capsys, repo, "main")
    assert {(p["path"], p["message"]) for p in data["broken_urls"]} == {
        ("site_config/topics.yml", f"/topics/space/{feed} would stop working: 'space' is no longer in site_config/topics.yml")
        for feed in ("", "feed.xml")}
    assert {(c["kind"], c["key"], c["status"]) for c in data["listings"]} == {("topic", "space", "removed")}


def test_a_year_left_without_briefs(capsys, repo: Archive):
    brief_file(repo, 2022, "keeper").unlink()
    brief_file(repo, 2022, "old-one").unlink()
    edit(brief_file(repo, 2023, "alpha"), "topics:", "aliases:\n- /briefs/2022/old-one/\n- /briefs/2022/keeper/\ntopics:")
    edit(brief_file(repo, 2023, "bravo"), "topics:", "aliases:\n- /briefs/2022/gone-with-alias\ntopics:")
    brief_file(repo, 2022, "gone-with-alias").unlink()
    _, data, _ = changes(capsys, repo, "main")
    assert [(p["path"], p["message"]) for p in data["broken_urls"]] == [
        ("content/briefs/2022/", "/archive/2022/ would stop working: no published brief is dated 2022 any more")]


def test_nothing_changed(capsys, repo: Archive):
    code, html, text = markdown_of(capsys, repo, "main")
    assert code == 0
    assert "No reader-facing page changes." in text
    assert [p.text() for p in section(html, "Addresses that would stop working")] == ["None."]


# --- the Markdown -------------------------------------------------------------------------------

def test_the_markdown_summary(capsys, repo: Archive):
    the_pull_request(repo)
    code, html, _ = markdown_of(capsys, repo, "main")
    assert code == 0
    assert [h.text() for h in html.css("h3")] == [
        "Briefs", "Listings and index pages", "Other briefs' pages", "Feeds and data files", "New problems",
        "Addresses that would stop working"]
    briefs = section(html, "Briefs")
    labels = [node.text() for node in briefs if node.tag == "p"]
    assert labels == ["Added", "Changed", "Removed"]
    lists = [node for node in briefs if node.tag == "ul"]
    added, changed, removed = ([li.text() for li in ul.css("li")] for ul in lists)
    assert added[0].startswith("New One /briefs/2024/new-one/ (content/briefs/2024/new-one.md)")
    assert any(item.startswith("Bravo Renamed") and "title (“Bravo” → “Bravo Renamed”)" in item for item in changed)
    assert any(item.startswith("Charlie") and "topics (+Sanctions, −Cyber)" in item for item in changed)
    assert any(item.startswith("Old One /briefs/2022/old-one/") for item in removed)

    rows = {row.css("td")[1].text(): [td.text() for td in row.css("td")] for row in html.css("table")[0].css("tbody tr")}
    assert rows["/briefs/"][0] == "Latest briefs"
    assert rows["/briefs/"][2].startswith("pages 1–3 of 3 (was 4 pages); adds “New One” (p. 1)")

    (pre,) = [node for node in section(html, "New problems") if node.tag == "pre"]
    assert pre.text().strip().startswith("content/briefs/2024/broken.md:")
    assert ": error: unknown topic 'cybr'" in pre.text()
    (pre,) = [node for node in section(html, "Addresses that would stop working") if node.tag == "pre"]
    assert pre.text().strip().splitlines() == [
        "content/briefs/2022/old-one.md:1: warning: this brief is deleted and its address /briefs/2022/old-one/ would "
        "stop working: if another brief takes its place, add '/briefs/2022/old-one/' to that brief's aliases"]


def test_titles_are_shown_as_text_never_as_markup(capsys, repo: Archive):
    repo.brief("markup", date="2024-01-05", title="<img src=x onerror=alert(1)> *Bold* | [link](https://evil.example)",
               body=body("Markup here."))
    _, html, _ = markdown_of(capsys, repo, "main")
    assert not html.css("img") and not html.css("em") and not html.css("a")
    (item,) = [li for li in html.css("li") if "/briefs/2024/markup/" in li.text()]
    assert item.css_first("strong").text() == "<img src=x onerror=alert(1)> *Bold* | [link](https://evil.example)"


# --- the command --------------------------------------------------------------------------------

def test_exit_status_is_zero_with_new_errors_which_check_fails_on(capsys, repo: Archive):
    the_pull_request(repo)
    assert main(["changes", "--root", str(repo.root), "main"]) == 0
    capsys.readouterr()
    assert main(["check", "--root", str(repo.root)]) == 1
    capsys.readouterr()


def test_without_base_it_compares_with_where_the_branch_left_main(capsys, repo: Archive):
    git(repo.root, "checkout", "-q", "-b", "feature")
    repo.brief("on-the-branch", date="2024-01-05", title="On the Branch", body=body("Branch work."))
    commit_all(repo.root, "a brief on the branch")
    git(repo.root, "checkout", "-q", "main")
    repo.brief("on-main-later", date="2024-02-05", title="On Main Later", body=body("Main moved on."))
    commit_all(repo.root, "main moves on")
    git(repo.root, "checkout", "-q", "feature")
    _, data, _ = changes(capsys, repo)
    assert [(c["status"], c["slug"]) for c in data["briefs"]] == [("added", "on-the-branch")]
    assert data["base"] == "main" and data["merge_base"] is True
    # Naming main compares with main as it is now: its later brief is missing from the branch.
    _, data, _ = changes(capsys, repo, "main")
    assert {(c["status"], c["slug"]) for c in data["briefs"]} == {("added", "on-the-branch"), ("removed", "on-main-later")}


def test_uncommitted_and_untracked_files_count(capsys, repo: Archive):
    repo.brief("not-yet-added", date="2024-01-05", title="Not Yet Added", body=body("Untracked."))
    _, data, _ = changes(capsys, repo, "HEAD")
    assert [(c["status"], c["slug"]) for c in data["briefs"]] == [("added", "not-yet-added")]


@pytest.mark.parametrize("setup, argv, words", [
    ("no-default-branch", [], "no BASE given and no default branch"),
    ("repo", ["no-such-branch"], "'no-such-branch' is not a revision of this repository"),
    ("no-git", ["main"], "is not inside a git repository"),
])
def test_when_the_comparison_cannot_be_made_one_line_and_status_2(capsys, archive: Archive, setup, argv, words):
    if setup == "no-default-branch":
        setup_archive(archive, branch="work")
    elif setup == "repo":
        setup_archive(archive)
    else:
        archive.write("site_config/topics.yml", yaml.safe_dump(archive.topics))
    with pytest.raises(SystemExit) as exit_:
        main(["changes", "--root", str(archive.root), *argv])
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("briefs changes: ") and words in err


def test_under_github_actions_it_appends_to_the_job_summary_and_annotates(capsys, repo: Archive, monkeypatch, tmp_path):
    the_pull_request(repo)
    summary = tmp_path / "summary.md"
    summary.write_text("Earlier step.\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code = main(["changes", "--root", str(repo.root), "main"])
    out, err = capsys.readouterr()
    assert code == 0
    assert summary.read_text(encoding="utf-8") == "Earlier step.\n" + out + "\n"
    annotations = [line for line in err.splitlines() if line.startswith("::")]
    assert annotations == [line for line in annotations if line.startswith("::warning file=content/briefs/2022/old-one.md,line=1::")]
    assert len(annotations) == 1


def test_an_archive_in_a_folder_of_the_repository(capsys, tmp_path: Path):
    archive = Archive(tmp_path / "site")
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False))
    archive.brief("alpha", date="2023-01-10", body=body("Alpha text."))
    (tmp_path / "README.md").write_text("A repository with the archive in site/.\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    commit_all(tmp_path, "the archive in a folder")
    edit(archive.root / "content/briefs/2023/alpha.md", "title: Alpha", "title: Alpha Again")
    code = main(["changes", "--root", str(archive.root), "--format", "json", "main"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(c["slug"], c["fields"][0]["field"]) for c in data["briefs"]] == [("alpha", "title")]
    assert data["new_problems"] == []


def test_the_settings_come_from_mkdocs_yml_with_the_plugins_defaults(tmp_path: Path):
    from briefing_archive.mkdocs_plugin.config import ArchiveConfig

    defaults = {name: option.default for name, option in ArchiveConfig._schema if name in SETTING_DEFAULTS}
    assert defaults == SETTING_DEFAULTS
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")  # with a python/name tag
    settings = read_settings(tmp_path)
    assert (settings.site_name, settings.page_size, settings.feed_size) == ("Test Institute", 2, SETTING_DEFAULTS["feed_size"])
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "mkdocs.yml").write_text("INHERIT: ../mkdocs.yml\nsite_name: Child\n", encoding="utf-8")
    assert (read_settings(tmp_path / "child").site_name, read_settings(tmp_path / "child").page_size) == ("Child", 2)


def test_related_lists_are_what_ranking_every_brief_in_both_revisions_gives(capsys, tmp_path: Path, monkeypatch):
    """Ranking every brief in both revisions is the reference. After a retitle and a text edit
    (no topic or author weighs differently) only the briefs the edits can reach are ranked; after
    a brief is added (every weight moves a little) every brief is ranked in the working tree, and
    in BASE only where the moved weights could change its list. Both give the reference's lists."""
    from bench import generate
    from briefing_archive import changes as module

    def report() -> dict:
        assert main(["changes", "--root", str(tmp_path), "--format", "json", "main"]) == 0
        return json.loads(capsys.readouterr().out)

    def reference() -> dict:
        with monkeypatch.context() as patch:
            patch.setattr(module, "_same_weights", lambda base, head: False)
            patch.setattr(module, "_surely_the_same", lambda *args: False)
            return report()

    generate.generate(tmp_path, 240)
    git(tmp_path, "init", "-q", "-b", "main")
    commit_all(tmp_path, "generated")
    files = sorted((tmp_path / "content" / "briefs").rglob("*.md"))
    files[40].write_text(re.sub(r"(?m)^title: .*$", "title: Retitled", files[40].read_text(encoding="utf-8"), count=1),
                         encoding="utf-8")
    with open(files[90], "a", encoding="utf-8") as file:
        file.write("\nOne more paragraph.\n")
    near, every = report(), reference()
    assert {(c["status"], c["slug"]) for c in near["briefs"]} == {("changed", files[40].stem), ("changed", files[90].stem)}
    assert near["related_ranked"].startswith("the ") and every["related_ranked"].startswith("every brief")
    assert near["brief_pages"] == every["brief_pages"]
    assert any(page["related"] for page in every["brief_pages"])

    git(tmp_path, "checkout", "-q", "--", ".")
    text = re.sub(r"(?m)^aliases: .*\n", "", files[10].read_text(encoding="utf-8"))  # an address is one brief's
    files[10].with_name("a-new-brief.md").write_text(re.sub(r"(?m)^title: .*$", "title: A New Brief", text, count=1),
                                                     encoding="utf-8")
    files[200].unlink()
    margins, every = report(), reference()
    assert ("added", "a-new-brief") in [(c["status"], c["slug"]) for c in margins["briefs"]]
    assert margins["related_ranked"].startswith("every brief; in both revisions the ")
    assert margins["brief_pages"] == every["brief_pages"]
    assert sum(bool(page["related"]) for page in every["brief_pages"]) >= 5


def test_the_pull_request_workflows_step_on_a_checkout_like_githubs(repo: Archive, tmp_path: Path):
    """The step of .github/workflows/pr.yml, run as written (bash, the console script) in a clone
    with the whole history whose HEAD is the pull request merged into its target branch, as
    actions/checkout leaves it."""
    import sys

    venv = Path(sys.executable).parent.parent
    if not (venv / "bin" / "briefs").exists():
        pytest.skip("the briefs command is not installed beside this Python: run through make test")
    workflow = yaml.safe_load((Path(__file__).resolve().parent.parent / ".github/workflows/pr.yml").read_text(encoding="utf-8"))
    (command,) = [s["run"] for s in workflow["jobs"]["content"]["steps"] if "briefs changes" in s.get("run", "")]
    clone = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(repo.root), str(clone))
    git(clone, "checkout", "-q", "-b", "pull-request")
    (clone / "content/briefs/2023/bravo.md").unlink()
    commit_all(clone, "delete bravo")
    git(clone, "checkout", "-q", "--detach", "origin/main")
    git(clone, "merge", "-q", "--no-ff", "-m", "Merge pull request", "pull-request")
    (clone / ".venv").symlink_to(venv)
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary),
           "GITHUB_WORKSPACE": str(clone)}
    done = subprocess.run(["bash", "-e", "-c", command], cwd=clone, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    html = HTMLParser(markdown.markdown(summary.read_text(encoding="utf-8"), extensions=["tables", "fenced_code"]))
    assert html.css_first("h2").text() == "What this pull request changes on the site"
    (pre,) = [node for node in section(html, "Addresses that would stop working") if node.tag == "pre"]
    assert pre.text().startswith("content/briefs/2023/bravo.md:1: warning: this brief is deleted")
    assert "::warning file=content/briefs/2023/bravo.md,line=1::" in done.stderr


def test_editorial_pages_and_files(capsys, repo: Archive):
    repo.write("content/about.md", "# About\n\nWho we are.\n")
    repo.write("content/team/index.md", "# Team\n")
    commit_all(repo.root, "editorial pages")
    (repo.root / "content/about.md").unlink()
    repo.write("content/team/index.md", "# Our team\n")
    repo.write("content/reports/annual.pdf", b"%PDF-1.4\n")
    _, data, _ = changes(capsys, repo, "main")
    assert [(f["field"], f["before"], f["after"]) for f in data["other_files"]] == [
        ("content/about.md", "/about/", ""), ("content/reports/annual.pdf", "", "/reports/annual.pdf"),
        ("content/team/index.md", "/team/", "/team/")]
    assert [(p["path"], p["message"]) for p in data["broken_urls"]] == [
        ("content/about.md", "this page is deleted and its address /about/ would stop working")]
    assert data["briefs"] == []


def test_the_same_edit_gives_the_same_report_byte_for_byte(capsys, repo: Archive):
    the_pull_request(repo)
    _, _, first = markdown_of(capsys, repo, "main")
    _, _, again = markdown_of(capsys, repo, "main")
    assert first == again


def test_a_shallow_clone_is_told_to_fetch_the_history(capsys, repo: Archive, tmp_path: Path):
    edit(brief_file(repo, 2023, "bravo"), "title: Bravo", "title: Bravo Again")
    commit_all(repo.root, "a second commit")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    with pytest.raises(SystemExit) as exit_:
        main(["changes", "--root", str(clone), "HEAD~1"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "'HEAD~1' is not a revision of this repository" in err and "fetch-depth: 0" in err


def test_the_comparison_is_plain_python_without_mkdocs():
    import sys

    code = ("import sys, briefing_archive.changes, briefing_archive.cli; "
            "sys.exit(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'properdocs', 'material')) or 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_long_lists_end_with_how_many_more(capsys, repo: Archive, monkeypatch):
    """A vocabulary edit can touch thousands of pages: each list and table of the summary stops
    at MAX_ITEMS and says how many more there are (the job summary holds at most 1 MiB)."""
    from briefing_archive import changes as module

    monkeypatch.setattr(module, "MAX_ITEMS", 2)
    repo.types["policy-brief"]["title"] = "Policy Paper"
    repo.write("site_config/types.yml", yaml.safe_dump(repo.types, sort_keys=False))
    _, data, _ = changes(capsys, repo, "main")
    _, html, _ = markdown_of(capsys, repo, "main")
    table = html.css("table")[0]
    assert len(table.css("tbody tr")) == 2
    more = table.next
    while more is not None and more.tag != "p":
        more = more.next
    rows = len(data["listings"]) + len(data["index_pages"])
    assert rows > 2 and more.text() == f"… and {rows - 2:,} more listings or pages"
