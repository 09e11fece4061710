"""The `briefs` command (SPEC §5): `check`, `new` and `schema`, run in-process through `main([...])`.

Every case names the exact `path:line` an editor has to open. The command shares every check with
the build (the catalogue's `load_archive`); `test_check_and_build_report_the_same_problems` holds
them to the same words.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from archive_kit import Archive
from briefing_archive.catalogue import ArchivePaths, load_archive
from briefing_archive.cli import console, github_annotation, main
from briefing_archive.catalogue.problems import Problem

REPO = Path(__file__).resolve().parent.parent
P = "content/briefs/2024/x.md"
TOPICS = "site_config/topics.yml"


# --- helpers ------------------------------------------------------------------------------------

def write_config(archive: Archive) -> None:
    """The vocabularies, as `Archive.build()` writes them (the command needs no mkdocs.yml)."""
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))


def fm(*lines: str, body: str = "Body text of the brief.\n") -> str:
    """A Markdown file whose front matter is `lines`: line 1 is '---', lines[0] is line 2."""
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


BASE = {"title": "title: A Brief", "date": "date: 2024-03-05", "type": "type: policy-brief",
        "authors": "authors: [min-ji-kim]", "topics": "topics: [cyber]"}


def brief(*extra: str, body: str = "Body text of the brief.\n", **replace: str | None) -> str:
    """A valid brief: title, date, type, authors, topics on lines 2–6, then `extra` from line 7."""
    lines = {**BASE, **replace}
    return fm(*(v for v in lines.values() if v is not None), *extra, body=body)


@pytest.fixture
def kit(archive: Archive) -> Archive:
    """A small archive without a single problem: one brief uses every author and topic."""
    write_config(archive)
    archive.write("content/briefs/2023/baseline.md", fm(
        "title: Baseline", "date: 2023-06-26", "type: policy-brief", "authors: [min-ji-kim, sam-ortiz]",
        "topics: [cyber, sanctions, north-korea]", "program: ccti"))
    return archive


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check(capsys, archive: Archive, *argv: str) -> tuple[int, list[str], str]:
    code, out, err = run(capsys, "check", "--root", str(archive.root), *argv)
    return code, out.splitlines(), err


# --- check: a clean archive ---------------------------------------------------------------------

def test_a_clean_archive_passes_with_a_summary(kit: Archive, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code, lines, _ = check(capsys, kit)
    assert code == 0
    assert lines == ["1 brief and 2 authors checked: no problems."]


def test_the_projects_own_archive_has_no_errors(capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code, out, _ = run(capsys, "check", "--root", str(REPO))
    assert code == 0, out
    assert ": error: " not in out


# --- check: every kind of problem, at its exact path and line -----------------------------------

CASES = {
    # vocabulary keys, each with its did-you-mean
    "unknown topic": ({P: brief(topics="topics: [cybersecurty]")},
                      f"{P}:6: error: unknown topic 'cybersecurty' (did you mean 'cybersecurity'?) — the topics are listed in site_config/topics.yml"),
    "topic on its own line": ({P: brief(topics="topics:\n  - cyber\n  - sanctons")},
                              f"{P}:8: error: unknown topic 'sanctons' (did you mean 'sanctions'?) — the topics are listed in site_config/topics.yml"),
    "author name instead of key": ({P: brief(authors="authors: [Sam Ortiz]")},
                                   f"{P}:5: error: unknown author 'Sam Ortiz' (did you mean 'sam-ortiz'?) — the authors are listed in content/authors/"),
    "unknown author": ({P: brief(authors="authors: [min-ji-kim, jo-nobody]")},
                       f"{P}:5: error: unknown author 'jo-nobody' — the authors are listed in content/authors/"),
    "unknown type": ({P: brief(type="type: polcy-brief")},
                     f"{P}:4: error: unknown type 'polcy-brief' (did you mean 'policy-brief'?) — the types are listed in site_config/types.yml"),
    "unknown program": ({P: brief("program: cct")},
                        f"{P}:7: error: unknown program 'cct' (did you mean 'ccti'?) — the programs are listed in site_config/programs.yml"),
    "author twice": ({P: brief(authors="authors:\n  - min-ji-kim\n  - min-ji-kim")},
                     f"{P}:7: error: author 'min-ji-kim' is listed twice"),
    # fields
    "misspelt field": ({P: brief("topic: [sanctions]")},
                       f"{P}:7: error: unknown field 'topic' in a brief (did you mean 'topics'?)"),
    "missing field": ({P: brief(authors=None)},
                      f"{P}:2: error: missing required field 'authors' (add a line like 'authors: [min-ji-kim]')"),
    "empty list": ({P: brief(topics="topics: []")}, f"{P}:6: error: 'topics' is empty; give at least one"),
    "lone value for a list": ({P: brief(topics="topics: cyber")},
                              f"{P}:6: error: 'topics' must be a list, like 'topics: [cyber]'"),
    "field given twice": ({P: brief("title: Another Title")}, f"{P}:7: error: 'title' is given twice; keep one"),
    "draft not boolean": ({P: brief("draft: maybe")}, f"{P}:7: error: 'draft' must be true or false, not 'maybe'"),
    # dates
    "date not ISO": ({P: brief(date="date: 05/03/2024")},
                     f"{P}:3: error: 'date' must be a date written YYYY-MM-DD, like 2023-06-26, not '05/03/2024'"),
    "date not real": ({P: brief(date="date: 2024-02-30")}, f"{P}:3: error: 'date' is not a real calendar date: '2024-02-30'"),
    "date in another year than its folder": (
        {P: brief(date="date: 2023-12-31")},
        f"{P}:3: error: the date is in 2023 but the file is in briefs/2024/; move it to content/briefs/2023/x.md"),
    "updated before date": ({P: brief("updated: 2024-01-01")},
                            f"{P}:7: error: 'updated' (2024-01-01) is before 'date' (2024-03-05)"),
    # files
    "invalid YAML": ({P: brief(title="title: Sanctions: A Primer")},
                     f"{P}:2: error: invalid YAML: mapping values are not allowed …"),
    "no front matter": ({P: "# A Brief\n\nText.\n"},
                        f"{P}:1: error: no front matter: the file must start with a line '---', the fields, and another '---'"),
    "front matter not closed": ({P: "---\ntitle: A Brief\n"},
                                f"{P}:1: error: the front matter is not closed: add a line '---' after the last field"),
    "bad file name": ({"content/briefs/2024/My_Brief.md": brief()},
                      "content/briefs/2024/My_Brief.md:1: error: file name 'My_Brief.md' must be lowercase letters, digits and single hyphens, like 'my-brief.md'"),
    "brief outside a year folder": ({"content/briefs/x.md": brief()},
                                    "content/briefs/x.md:1: error: briefs live in content/briefs/<YYYY>/<slug>.md, where YYYY is the year of the brief's date"),
    "slug taken in another year": ({"content/briefs/2024/baseline.md": brief()},
                                   "content/briefs/2024/baseline.md:1: error: slug 'baseline' is already used by content/briefs/2023/baseline.md; slugs are unique across all years, so rename this file"),
    # links between briefs
    "unknown related brief": ({P: brief("related: [baselin]")},
                              f"{P}:7: error: unknown brief 'baselin' in related (did you mean 'baseline'?)"),
    "related to itself": ({P: brief("related: [x]")}, f"{P}:7: error: a brief cannot list itself as related"),
    "alias that is a brief's address": ({P: brief("aliases: [/briefs/2023/baseline/]")},
                                        f"{P}:7: error: alias '/briefs/2023/baseline/' is the address of a brief; choose an old address that no page uses"),
    "alias leaving the site": ({P: brief("aliases: ['https://elsewhere.example/']")},
                               f"{P}:7: error: alias 'https://elsewhere.example/' must be a path on this site, like '/analysis/2023/old-name/'"),
    # author profiles and vocabularies
    "author profile field": ({"content/authors/jo-lee.md": fm("name: Jo Lee", "rol: Fellow")},
                             "content/authors/jo-lee.md:3: error: unknown field 'rol' in an author profile (did you mean 'role'?)"),
    "author without a name": ({"content/authors/jo-lee.md": fm("role: Fellow")},
                              "content/authors/jo-lee.md:2: error: missing required field 'name' (add a line like 'name: Min-ji Kim')"),
    "topic key not a slug": ({TOPICS: "cyber:\n  title: Cyber\nSea Power:\n  title: Sea Power\n"},
                             f"{TOPICS}:3: error: key 'Sea Power' must be lowercase letters, digits and single hyphens, like 'sea-power'"),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_check_names_each_error_at_its_line(kit: Archive, capsys, monkeypatch, files, expected):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    for path, text in files.items():
        kit.write(path, text)
    code, lines, _ = check(capsys, kit)
    if expected.endswith("…"):  # PyYAML's own words differ between its C and Python parsers
        assert any(line.startswith(expected[:-1]) for line in lines), "\n".join(lines)
    else:
        assert expected in lines, "\n".join(lines)
    assert code == 1


WARNINGS = {
    "topic alias used": ({P: brief(topics="topics: [sanctions, cybersecurity]")},
                         f"{P}:6: warning: topic 'cybersecurity' is an alias; write 'cyber'"),
    "summary far too long": ({P: brief("summary: " + "word " * 130)},
                             f"{P}:7: warning: the summary has 649 characters; readers see about 300 in listings, so shorten it"),
    "no body": ({P: brief(body="")}, f"{P}:7: warning: the brief has no text below its front matter"),
    "author with no briefs": ({"content/authors/jo-lee.md": fm("name: Jo Lee")},
                              "content/authors/jo-lee.md:1: warning: author 'jo-lee' has no published briefs yet"),
    "topic nobody uses": ({TOPICS: "cyber:\n  title: Cyber\n  aliases: [cybersecurity]\nsanctions:\n  title: Sanctions\n"
                                   "north-korea:\n  title: North Korea\nspace:\n  title: Space\n"},
                          f"{TOPICS}:8: warning: topic 'space' is not used by any published brief"),
}


@pytest.mark.parametrize("files, expected", WARNINGS.values(), ids=WARNINGS.keys())
def test_check_warns_without_failing(kit: Archive, capsys, monkeypatch, files, expected):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    for path, text in files.items():
        kit.write(path, text)
    code, lines, _ = check(capsys, kit)
    assert lines[:-1] == [expected]
    assert lines[-1] == lines[-1].split(":")[0] + ": 0 errors, 1 warning."
    assert code == 0


def test_check_reports_every_problem_at_once_sorted_by_file_and_line(kit: Archive, capsys):
    kit.write(P, brief("program: cct", topics="topics: [cybersecurty]", date="date: 2024-02-30"))
    kit.write("content/briefs/2024/y.md", brief(type="type: memo"))
    kit.write("content/authors/jo-lee.md", fm("name: Jo Lee"))
    code, lines, _ = check(capsys, kit)
    problems = lines[:-1]
    assert [line.split(": ")[0] for line in problems] == [
        "content/authors/jo-lee.md:1", f"{P}:3", f"{P}:6", f"{P}:7", "content/briefs/2024/y.md:4"]
    assert lines[-1] == "3 briefs and 3 authors checked: 4 errors, 1 warning. Fix the errors before publishing."
    assert code == 1


def test_a_problem_is_never_a_traceback(kit: Archive, capsys):
    kit.write(P, b"---\ntitle: \xff\xfe\n---\n")
    kit.write("content/briefs/2024/y.md", "---\n- just\n- a list\n---\nText.\n")
    code, lines, err = check(capsys, kit)
    assert f"{P}:2: error: the file is not UTF-8 text; save it as UTF-8" in lines
    assert "content/briefs/2024/y.md:2: error: the front matter must be fields written as 'name: value'" in lines
    assert "Traceback" not in err and code == 1


# --- check PATH ...: only the named files, still against the whole archive ----------------------

def test_named_files_report_only_their_problems(kit: Archive, capsys):
    kit.write(P, brief("related: [baseline]", topics="topics: [cybersecurity]"))  # resolves against baseline
    kit.write("content/briefs/2024/y.md", brief(type="type: memo"))
    code, lines, _ = check(capsys, kit, str(kit.root / P))
    assert lines == [f"{P}:6: warning: topic 'cybersecurity' is an alias; write 'cyber'",
                     "1 file checked against the archive: 0 errors, 1 warning. "
                     "(1 more in other files: run 'briefs check' to see them.)"]
    assert code == 0  # the error is in a file that was not named


def test_named_file_is_checked_against_the_whole_archive(kit: Archive, capsys):
    kit.write("content/briefs/2024/baseline.md", brief())
    code, lines, _ = check(capsys, kit, str(kit.root / "content/briefs/2024/baseline.md"))
    assert lines[0].startswith("content/briefs/2024/baseline.md:1: error: slug 'baseline' is already used by content/briefs/2023/baseline.md")
    assert code == 1


def test_named_paths_are_relative_to_the_current_folder_and_may_be_folders(kit: Archive, capsys, monkeypatch):
    kit.write(P, brief(type="type: memo"))
    kit.write("content/briefs/2023/y.md", brief(date="date: 2023-01-01", type="type: memo"))
    monkeypatch.chdir(kit.root / "content" / "briefs")  # the root is found from here
    code, out, _ = run(capsys, "check", "2024")
    assert out.splitlines()[0].startswith(f"{P}:4: error: unknown type 'memo'")
    assert len(out.splitlines()) == 2 and code == 1
    code, out, _ = run(capsys, "check", "2024/x.md", "2023/y.md")
    assert [line.split(": ")[0] for line in out.splitlines()[:-1]] == ["content/briefs/2023/y.md:4", f"{P}:4"]


def test_a_missing_or_outside_path_is_a_usage_error(kit: Archive, capsys, tmp_path_factory):
    with pytest.raises(SystemExit) as stop:
        main(["check", "--root", str(kit.root), str(kit.root / "content/briefs/2024/nope.md")])
    assert stop.value.code == 2
    assert "no such file or folder" in capsys.readouterr().err
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "x.md"
    elsewhere.write_text("x", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["check", "--root", str(kit.root), str(elsewhere)])
    assert stop.value.code == 2
    assert "is not inside the archive" in capsys.readouterr().err


def test_a_folder_without_an_archive_is_a_usage_error(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["check"])
    assert stop.value.code == 2
    assert "no archive in" in capsys.readouterr().err


# --- check --format json --------------------------------------------------------------------------

def test_json_format_is_an_array_of_problems(kit: Archive, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    kit.write(P, brief(topics="topics: [cybersecurty, cybersecurity]"))
    code, out, err = run(capsys, "check", "--root", str(kit.root), "--format", "json")
    assert json.loads(out) == [
        {"path": P, "line": 6, "severity": "error",
         "message": "unknown topic 'cybersecurty' (did you mean 'cybersecurity'?) — the topics are listed in site_config/topics.yml"},
        {"path": P, "line": 6, "severity": "warning", "message": "topic 'cybersecurity' is an alias; write 'cyber'"},
    ]
    assert "1 error, 1 warning" in err  # the summary stays out of the JSON
    assert code == 1


def test_json_format_of_a_clean_archive_is_an_empty_array(kit: Archive, capsys):
    code, out, _ = run(capsys, "check", "--root", str(kit.root), "--format", "json")
    assert json.loads(out) == [] and code == 0


# --- check under GitHub Actions -------------------------------------------------------------------

def test_annotations_only_under_github_actions(kit: Archive, capsys, monkeypatch):
    kit.write(P, brief(type="type: polcy-brief", topics="topics: [cybersecurity]"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    _, lines, _ = check(capsys, kit)
    assert not [line for line in lines if line.startswith("::")]

    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    code, lines, _ = check(capsys, kit)
    assert [line for line in lines if line.startswith("::")] == [
        f"::error file={P},line=4::unknown type 'polcy-brief' (did you mean 'policy-brief'?) — the types are listed in site_config/types.yml",
        f"::warning file={P},line=6::topic 'cybersecurity' is an alias; write 'cyber'",
    ]
    assert f"{P}:4: error: unknown type 'polcy-brief' (did you mean 'policy-brief'?) — the types are listed in site_config/types.yml" in lines
    assert code == 1


def test_annotations_name_files_from_the_workspace(kit: Archive, capsys, monkeypatch):
    kit.write(P, brief(type="type: memo"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(kit.root.parent))
    _, lines, _ = check(capsys, kit)
    assert f"::error file={kit.root.name}/{P},line=4::" in "\n".join(lines)


def test_annotations_stay_out_of_json(kit: Archive, capsys, monkeypatch):
    kit.write(P, brief(type="type: memo"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    _, out, err = run(capsys, "check", "--root", str(kit.root), "--format", "json")
    assert len(json.loads(out)) == 1
    assert f"::error file={P},line=4::unknown type 'memo'" in err


def test_annotation_escapes_what_github_requires():
    problem = Problem("content/briefs/2024/a,b:c.md", 3, "error", "100% wrong\r\nsecond line")
    assert github_annotation(problem) == \
        "::error file=content/briefs/2024/a%2Cb%3Ac.md,line=3::100%25 wrong%0D%0Asecond line"


# --- check: scheduled briefs are notes ------------------------------------------------------------

LATER = "content/briefs/2027/later.md"
SCHEDULED_NOTE = f"{LATER}:3: note: scheduled: published by the first build on or after 2027-01-05"


@pytest.fixture
def scheduled(kit: Archive, monkeypatch) -> Archive:
    """The kit with one brief dated after the build's date (SOURCE_DATE_EPOCH: 2027-01-01)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    kit.write(LATER, brief(date="date: 2027-01-05"))
    return kit


def test_a_scheduled_brief_is_a_note_counted_apart(scheduled: Archive, capsys):
    code, lines, _ = check(capsys, scheduled)
    assert lines == [SCHEDULED_NOTE, "2 briefs and 2 authors checked: no problems, 1 scheduled."]
    assert code == 0


def test_notes_are_counted_beside_errors_and_warnings(scheduled: Archive, capsys):
    scheduled.write(P, brief(topics="topics: [cybersecurity]"))
    code, lines, _ = check(capsys, scheduled)
    assert lines == [f"{P}:6: warning: topic 'cybersecurity' is an alias; write 'cyber'", SCHEDULED_NOTE,
                     "3 briefs and 2 authors checked: 0 errors, 1 warning, 1 scheduled."]
    assert code == 0
    scheduled.write(P, brief(type="type: memo"))
    code, lines, _ = check(capsys, scheduled)
    assert lines[-1] == "3 briefs and 2 authors checked: 1 error, 0 warnings, 1 scheduled. Fix the errors before publishing."
    assert code == 1


def test_a_brief_dated_the_build_date_is_published_not_noted(scheduled: Archive, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1799107200")  # 2027-01-05 00:00 UTC
    code, lines, _ = check(capsys, scheduled)
    assert lines == ["2 briefs and 2 authors checked: no problems."] and code == 0


def test_json_format_carries_notes_with_their_severity(scheduled: Archive, capsys):
    code, out, err = run(capsys, "check", "--root", str(scheduled.root), "--format", "json")
    assert json.loads(out) == [{"path": LATER, "line": 3, "severity": "note",
                                "message": "scheduled: published by the first build on or after 2027-01-05"}]
    assert err.strip() == "2 briefs and 2 authors checked: no problems, 1 scheduled."
    assert code == 0


def test_a_note_is_a_github_notice(scheduled: Archive, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    code, lines, _ = check(capsys, scheduled)
    assert [line for line in lines if line.startswith("::")] == [
        f"::notice file={LATER},line=3::scheduled: published by the first build on or after 2027-01-05"]
    assert code == 0


@pytest.mark.parametrize("severity, command", [("error", "error"), ("warning", "warning"), ("note", "notice")])
def test_each_severity_has_its_github_command(severity, command):
    assert github_annotation(Problem("a.md", 2, severity, "m")) == f"::{command} file=a.md,line=2::m"


# --- the build says the same ----------------------------------------------------------------------

def test_check_and_build_report_the_same_problems(kit: Archive, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    kit.write(P, brief("program: cct", topics="topics: [cybersecurty, cybersecurity]", authors="authors: [Sam Ortiz]"))
    kit.write("content/briefs/2024/y.md", brief(date="date: 2024-02-30", body=""))
    _, lines, _ = check(capsys, kit)
    site = kit.build()
    assert not site.ok
    # The build logs through the plugin's logger ("briefing_archive: " first); warnings at info level.
    logged = [m.removeprefix("briefing_archive: ") for m in site.messages if ": error: " in m]
    assert [line for line in lines if ": error: " in line] == logged
    assert len(logged) == 4


# --- new ------------------------------------------------------------------------------------------

def new(capsys, archive: Archive, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "new", "--root", str(archive.root), *argv)


def test_new_writes_a_valid_brief_and_prints_its_path(kit: Archive, capsys):
    code, out, err = new(capsys, kit, "--title", "Allied Cyber Talks: What's Next?", "--type", "analysis",
                         "--author", "sam-ortiz", "--author", "min-ji-kim", "--topic", "cyber",
                         "--topic", "north-korea", "--program", "ccti", "--date", "2024-06-26")
    path = "content/briefs/2024/allied-cyber-talks-whats-next.md"
    assert code == 0 and out == path + "\n"
    text = (kit.root / path).read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta == {"title": "Allied Cyber Talks: What's Next?", "date": date(2024, 6, 26), "type": "analysis",
                    "authors": ["sam-ortiz", "min-ji-kim"], "topics": ["cyber", "north-korea"], "program": "ccti"}
    assert "authors: [sam-ortiz, min-ji-kim]" in text
    assert text.split("---\n", 2)[2].startswith("Replace this paragraph")
    loaded = load_archive(ArchivePaths.at(kit.root))
    assert [p for p in loaded.report.problems if p.path == path] == []
    assert loaded.briefs["allied-cyber-talks-whats-next"].title == "Allied Cyber Talks: What's Next?"


def test_new_then_check_passes(kit: Archive, capsys):
    code, out, _ = new(capsys, kit, "--title", "Sanctions Evasion at Sea", "--type", "policy-brief",
                       "--author", "min-ji-kim", "--topic", "sanctions")
    assert code == 0
    code, lines, _ = check(capsys, kit, str(kit.root / out.strip()))
    assert code == 0 and lines == ["1 file checked against the archive: no problems."]


def test_new_dates_a_brief_today_by_default(kit: Archive, capsys):
    code, out, _ = new(capsys, kit, "--title", "Today", "--type", "analysis",
                       "--author", "min-ji-kim", "--topic", "cyber")
    today = date.today()
    assert code == 0 and out.strip() == f"content/briefs/{today.year}/today.md"
    assert f"date: {today.isoformat()}\n" in (kit.root / out.strip()).read_text(encoding="utf-8")


@pytest.mark.parametrize("title, slug", [
    ("Québec's Minerals", "quebecs-minerals"),
    ("Québec’s Critical-Minerals Strategy, Explained", "quebecs-critical-minerals-strategy-explained"),
    ("북한 핵", "bughan-haeg"),
    ("Why the U.S.–ROK Alliance Needs a 2025 Reset", "why-the-u-s-rok-alliance-needs-a-2025-reset"),
    ("The Long and Winding Road From Sanctions Enforcement to Lasting Diplomatic Progress on the Peninsula",
     "the-long-and-winding-road-from-sanctions-enforcement-to"),
])
def test_new_makes_the_slug_from_the_title(kit: Archive, capsys, title, slug):
    code, out, _ = new(capsys, kit, "--title", title, "--type", "analysis", "--author", "min-ji-kim",
                       "--topic", "cyber", "--date", "2024-01-02")
    assert code == 0 and out.strip() == f"content/briefs/2024/{slug}.md"
    assert len(slug) <= 60
    assert yaml.safe_load((kit.root / out.strip()).read_text(encoding="utf-8").split("---\n")[1])["title"] == title


def test_new_quotes_titles_that_yaml_would_misread(kit: Archive, capsys):
    for title, slug in (("Yes", "yes"), ("2024", "2024"), ("#1: North Korea", "1-north-korea"),
                        ('"Quoted" & [bracketed]', "quoted-bracketed")):
        code, out, _ = new(capsys, kit, "--title", title, "--type", "analysis", "--author", "min-ji-kim",
                           "--topic", "cyber", "--date", "2024-01-02")
        assert code == 0 and out.strip().endswith(f"/{slug}.md")
        assert load_archive(ArchivePaths.at(kit.root)).briefs[slug].title == title


def test_new_accepts_a_slug_and_comma_separated_keys(kit: Archive, capsys):
    code, out, _ = new(capsys, kit, "--title", "A Very Long Title Indeed", "--slug", "short-one", "--type", "analysis",
                       "--author", "min-ji-kim,sam-ortiz", "--topic", "cyber, sanctions", "--date", "2024-01-02")
    assert code == 0 and out.strip() == "content/briefs/2024/short-one.md"
    assert "topics: [cyber, sanctions]" in (kit.root / out.strip()).read_text(encoding="utf-8")


def test_new_writes_the_topic_an_alias_stands_for(kit: Archive, capsys):
    code, out, err = new(capsys, kit, "--title", "Alias", "--type", "analysis", "--author", "min-ji-kim",
                         "--topic", "cybersecurity", "--date", "2024-01-02")
    assert code == 0
    assert "topics: [cyber]" in (kit.root / out.strip()).read_text(encoding="utf-8")
    assert "note: topic 'cybersecurity' is an alias; the brief says 'cyber'" in err


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_new_refuses_a_slug_taken_in_any_year_and_never_overwrites(kit: Archive, capsys):
    before = _files(kit.root)
    code, out, err = new(capsys, kit, "--title", "Baseline", "--type", "analysis", "--author", "min-ji-kim",
                         "--topic", "cyber", "--date", "2025-01-02")
    assert code == 1 and out == ""
    assert "error: slug 'baseline' is already used by content/briefs/2023/baseline.md; slugs are unique across all years" in err
    assert err.rstrip().endswith("No file was written.")
    code, _, _ = new(capsys, kit, "--title", "Baseline", "--type", "analysis", "--author", "min-ji-kim",
                     "--topic", "cyber", "--date", "2023-06-26")  # the very same path
    assert code == 1
    assert _files(kit.root) == before


def test_new_refuses_a_taken_slug_even_if_that_brief_is_broken(kit: Archive, capsys):
    kit.write("content/briefs/2022/broken.md", "no front matter\n")
    code, _, err = new(capsys, kit, "--title", "Broken", "--type", "analysis", "--author", "min-ji-kim",
                       "--topic", "cyber", "--date", "2024-01-02")
    assert code == 1 and "already used by content/briefs/2022/broken.md" in err


def test_new_never_overwrites_a_file_that_appears_meanwhile(kit: Archive, capsys, monkeypatch):
    """The file is opened with mode 'x': a file written between the check and the write survives."""
    import briefing_archive.cli as cli

    target = kit.root / "content/briefs/2024/race.md"
    real = cli.slug_for_title

    def slug_then_race(title: str) -> str:
        kit.write("content/briefs/2024/race.md", "theirs\n")
        return real(title)

    monkeypatch.setattr(cli, "slug_for_title", slug_then_race)
    monkeypatch.setattr(cli.Path, "rglob", lambda self, pattern: iter(()))  # the race: not seen by the check
    code, out, err = new(capsys, kit, "--title", "Race", "--type", "analysis", "--author", "min-ji-kim",
                         "--topic", "cyber", "--date", "2024-01-02")
    assert code == 1 and out == ""
    assert "content/briefs/2024/race.md already exists; it was left as it is" in err
    assert target.read_text(encoding="utf-8") == "theirs\n"


def _check_message(capsys, archive: Archive, text: str) -> str:
    archive.write(P, text)
    _, lines, _ = check(capsys, archive)
    (archive.root / P).unlink()
    errors = [line.split(": error: ", 1)[1] for line in lines if ": error: " in line]
    assert len(errors) == 1, lines
    return errors[0]


REFUSALS = {
    "topic": (["--topic", "cybersecurty"], brief(topics="topics: [cybersecurty]")),
    "topic title": (["--topic", "North Korea"], brief(topics="topics: [North Korea]")),
    "author name": (["--author", "Sam Ortiz"], brief(authors="authors: [Sam Ortiz]")),
    "author": (["--author", "sam-ortis"], brief(authors="authors: [sam-ortis]")),
    "type": (["--type", "polcy-brief"], brief(type="type: polcy-brief")),
    "type title": (["--type", "Policy Brief"], brief(type="type: Policy Brief")),
    "program": (["--program", "cct"], brief("program: cct")),
    "date": (["--date", "2024-02-30"], brief(date="date: 2024-02-30")),
    "date format": (["--date", "26/06/2024"], brief(date="date: 26/06/2024")),
    "date almost ISO": (["--date", "2024-01-0x"], brief(date="date: 2024-01-0x")),
}


@pytest.mark.parametrize("option, same_in_a_brief", REFUSALS.values(), ids=REFUSALS.keys())
def test_new_refuses_what_check_refuses_in_the_same_words(kit: Archive, capsys, option, same_in_a_brief):
    words = _check_message(capsys, kit, same_in_a_brief)
    defaults = {"--title": "Refused", "--type": "analysis", "--author": "min-ji-kim", "--topic": "cyber",
                "--date": "2024-01-02"}
    defaults.pop(option[0], None)
    argv = [item for pair in defaults.items() for item in pair] + option
    before = _files(kit.root)
    code, out, err = new(capsys, kit, *argv)
    assert code == 1 and out == ""
    assert f"error: {words}\n" in err
    assert _files(kit.root) == before


def test_new_lists_every_refusal_at_once(kit: Archive, capsys):
    code, _, err = new(capsys, kit, "--title", "Many", "--type", "memo", "--author", "Sam Ortiz", "--author", "nobody",
                       "--topic", "cyber", "--topic", "cyber", "--program", "x", "--date", "2024-13-01")
    assert code == 1
    assert [line.split(":")[0] for line in err.splitlines()] == ["error"] * 6 + ["No file was written."]
    assert "error: topic 'cyber' is listed twice" in err


def test_new_refuses_a_title_without_letters(kit: Archive, capsys):
    code, _, err = new(capsys, kit, "--title", "???", "--type", "analysis", "--author", "min-ji-kim", "--topic", "cyber")
    assert code == 1 and "choose one with --slug" in err
    code, _, err = new(capsys, kit, "--title", "Fine", "--slug", "Not A Slug", "--type", "analysis",
                       "--author", "min-ji-kim", "--topic", "cyber")
    assert code == 1 and "slug 'Not A Slug' must be lowercase letters, digits and single hyphens, like 'not-a-slug'" in err
    code, _, err = new(capsys, kit, "--title", "Index", "--type", "analysis", "--author", "min-ji-kim", "--topic", "cyber")
    assert code == 1 and "slug 'index' is reserved for the site's own pages; choose another with --slug" in err


def test_new_needs_its_required_options(kit: Archive, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["new", "--root", str(kit.root), "--title", "No Author", "--type", "analysis", "--topic", "cyber"])
    assert stop.value.code == 2
    assert "--author" in capsys.readouterr().err


def test_help_shows_an_example(capsys):
    for command in ("new", "check", "schema"):
        with pytest.raises(SystemExit) as stop:
            main([command, "--help"])
        assert stop.value.code == 0
        out = capsys.readouterr().out
        assert "example" in out and f"briefs {command}" in out
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    assert 'briefs new --title "Allied Cyber Talks' in capsys.readouterr().out


# --- the console script ---------------------------------------------------------------------------

def test_the_briefs_console_script_runs(kit: Archive):
    kit.write(P, brief(topics="topics: [cybersecurty]"))
    script = Path(sys.executable).with_name("briefs")
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    done = subprocess.run([str(script), "check"], cwd=kit.root, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == (
        f"{P}:6: error: unknown topic 'cybersecurty' (did you mean 'cybersecurity'?) — the topics are listed in site_config/topics.yml")
    done = subprocess.run([str(script), "new", "--title", "From the Shell", "--type", "analysis", "--author", "sam-ortiz",
                           "--topic", "cyber", "--date", "2024-01-02"],
                          cwd=kit.root, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0 and done.stdout == "content/briefs/2024/from-the-shell.md\n"


def test_the_console_script_spares_its_process_the_collector(kit: Archive, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    try:
        assert console(["check", "--root", str(kit.root)]) == 0
        assert not gc.isenabled()  # nothing to collect before the process ends...
        assert gc.get_freeze_count() > 0  # ...nor as it ends
    finally:
        gc.enable()
        gc.unfreeze()
    assert capsys.readouterr().out.splitlines() == ["1 brief and 2 authors checked: no problems."]


def test_new_points_at_a_broken_vocabulary(kit: Archive, capsys):
    kit.write(TOPICS, "cyber:\n  title: Cyber\nspace:\n  title: [Space\n")  # unreadable: no topic at all
    code, _, err = new(capsys, kit, "--title", "Space", "--type", "analysis", "--author", "min-ji-kim",
                       "--topic", "space", "--date", "2024-01-02")
    assert code == 1
    assert "note: site_config/topics.yml also has errors, which may be why a key is unknown" in err


# --- new: series and numbers, translations --------------------------------------------------------

import frontmatter  # noqa: E402

SERIES = {"kpr": {"title": "Korea Program Report", "short": "KPR"}, "sanctions-watch": {"title": "Sanctions Watch"}}


@pytest.fixture
def record(kit: Archive) -> Archive:
    """The kit with two series: kpr's numbers 1 (published), 3 (a draft) and 5 (scheduled) are taken."""
    kit.write("site_config/series.yml", yaml.safe_dump(SERIES, sort_keys=False))
    kit.write("content/briefs/2023/kpr-one.md", brief("series: kpr", "number: 1", date="date: 2023-02-01"))
    kit.write("content/briefs/2023/kpr-three.md", brief("series: kpr", "number: 3", "draft: true", date="date: 2023-03-01"))
    kit.write("content/briefs/2099/kpr-five.md", brief("series: kpr", "number: 5", date="date: 2099-03-01"))
    return kit


def written(archive: Archive, out: str) -> frontmatter.Post:
    return frontmatter.loads((archive.root / out.strip()).read_text(encoding="utf-8"))


def passes_check(capsys, archive: Archive, out: str) -> None:
    code, lines, _ = check(capsys, archive, str(archive.root / out.strip()))
    assert code == 0 and lines == ["1 file checked against the archive: no problems."], lines


def test_new_gives_the_next_free_number_of_a_series(record: Archive, capsys):
    code, out, _ = new(capsys, record, "--title", "Alliance Costs", "--type", "analysis", "--author", "min-ji-kim",
                       "--topic", "north-korea", "--series", "kpr", "--date", "2024-01-02")
    assert code == 0 and out == "content/briefs/2024/alliance-costs.md\n"
    assert written(record, out).metadata == {
        "title": "Alliance Costs", "date": date(2024, 1, 2), "type": "analysis", "authors": ["min-ji-kim"],
        "topics": ["north-korea"], "series": "kpr", "number": 6}  # after the scheduled No. 5
    passes_check(capsys, record, out)
    code, out, _ = new(capsys, record, "--title", "First Watch", "--type", "analysis", "--author", "min-ji-kim",
                       "--topic", "sanctions", "--series", "sanctions-watch", "--date", "2024-01-02")
    assert code == 0 and written(record, out)["number"] == 1  # a series nobody has used yet


def test_new_takes_a_free_number(record: Archive, capsys):
    code, out, _ = new(capsys, record, "--title", "Two", "--type", "analysis", "--author", "min-ji-kim",
                       "--topic", "cyber", "--series", "kpr", "--number", "2", "--date", "2024-01-02")
    assert code == 0 and written(record, out)["number"] == 2
    passes_check(capsys, record, out)


def test_new_refuses_a_taken_number_in_the_words_of_check(record: Archive, capsys):
    record.write(P, brief("series: kpr", "number: 3"))
    _, lines, _ = check(capsys, record)
    (record.root / P).unlink()
    (words,) = [line.split(": error: ", 1)[1] for line in lines if line.startswith(f"{P}:")]
    assert words == ("number 3 of series 'kpr' is already used by content/briefs/2023/kpr-three.md; "
                     "each number is used once in a series")
    before = _files(record.root)
    code, out, err = new(capsys, record, "--title", "Three Again", "--type", "analysis", "--author", "min-ji-kim",
                         "--topic", "cyber", "--series", "kpr", "--number", "3", "--date", "2024-01-02")
    assert code == 1 and out == ""
    assert err.splitlines() == [f"error: {words}", "No file was written."]
    assert _files(record.root) == before


SERIES_REFUSALS = {
    "unknown series": (["--series", "kpx"], brief("series: kpx", "number: 1")),
    "series by its title": (["--series", "Sanctions Watch"], brief("series: Sanctions Watch", "number: 1")),
    "number zero": (["--series", "kpr", "--number", "0"], brief("series: kpr", "number: 0")),
    "number as words": (["--series", "kpr", "--number", "twelve"], brief("series: kpr", "number: twelve")),
    "negative number": (["--series", "kpr", "--number", "-2"], brief("series: kpr", "number: -2")),
    "malformed language": (["--language", "en_US"], brief("language: en_US")),
}


@pytest.mark.parametrize("option, same_in_a_brief", SERIES_REFUSALS.values(), ids=SERIES_REFUSALS.keys())
def test_new_refuses_a_series_number_or_language_as_check_does(record: Archive, capsys, option, same_in_a_brief):
    words = _check_message(capsys, record, same_in_a_brief)
    before = _files(record.root)
    code, out, err = new(capsys, record, "--title", "Refused", "--type", "analysis", "--author", "min-ji-kim",
                         "--topic", "cyber", "--date", "2024-01-02", *option)
    assert code == 1 and out == ""
    assert err.splitlines() == [f"error: {words}", "No file was written."]
    assert _files(record.root) == before


def test_new_refuses_a_number_without_a_series(record: Archive, capsys):
    code, _, err = new(capsys, record, "--title", "Lone", "--type", "analysis", "--author", "min-ji-kim",
                       "--topic", "cyber", "--number", "4")
    assert code == 1
    assert err.splitlines()[0] == "error: --number is the brief's number in a series: give its series with --series"


def test_new_writes_a_language_of_its_own(record: Archive, capsys):
    code, out, _ = new(capsys, record, "--title", "Écrit en français", "--type", "analysis", "--author", "min-ji-kim",
                       "--topic", "cyber", "--language", "fr", "--date", "2024-01-02")
    assert code == 0 and out.strip() == "content/briefs/2024/ecrit-en-francais.md"
    assert written(record, out)["language"] == "fr"
    passes_check(capsys, record, out)


def test_new_writes_a_translation_with_its_originals_fields(record: Archive, capsys):
    code, out, err = new(capsys, record, "--translation-of", "baseline", "--language", "ko",
                         "--title", "기준선: 한국어 번역", "--date", "2024-01-02")
    assert code == 0, err
    assert out == "content/briefs/2024/baseline-ko.md\n"  # a romanised Korean title is no address to guess
    post = written(record, out)
    assert post.metadata == {
        "title": "기준선: 한국어 번역", "date": date(2024, 1, 2), "type": "policy-brief",
        "authors": ["min-ji-kim", "sam-ortiz"], "topics": ["cyber", "sanctions", "north-korea"], "program": "ccti",
        "language": "ko", "translation_of": "baseline"}
    assert post.content.startswith("Replace this paragraph")
    passes_check(capsys, record, out)
    loaded = load_archive(ArchivePaths.at(record.root))
    assert [b.slug for b in loaded.catalogue.translations["baseline"]] == ["baseline-ko"]


def test_a_translation_takes_its_originals_series_and_number(record: Archive, capsys):
    code, out, _ = new(capsys, record, "--translation-of", "kpr-one", "--language", "pt-BR",
                       "--title", "Relatório Coreia", "--date", "2024-01-02")
    assert code == 0 and out.strip() == "content/briefs/2024/relatorio-coreia.md"  # Latin letters: the title's words
    post = written(record, out)
    assert (post["series"], post["number"], post["language"], post["translation_of"]) == ("kpr", 1, "pt-BR", "kpr-one")
    passes_check(capsys, record, out)


def test_a_translations_fields_may_be_given(record: Archive, capsys):
    code, out, _ = new(capsys, record, "--translation-of", "baseline", "--language", "zh-Hant-TW", "--title", "基線",
                       "--type", "analysis", "--author", "sam-ortiz", "--topic", "cyber", "--program", "ccti",
                       "--slug", "baseline-zh", "--date", "2024-01-02")
    assert code == 0 and out.strip() == "content/briefs/2024/baseline-zh.md"
    post = written(record, out)
    assert (post["type"], post["authors"], post["topics"]) == ("analysis", ["sam-ortiz"], ["cyber"])
    passes_check(capsys, record, out)
    code, out, _ = new(capsys, record, "--translation-of", "baseline", "--language", "ja", "--title", "ベースライン",
                       "--date", "2024-01-02")
    assert code == 0 and out.strip() == "content/briefs/2024/baseline-ja.md"


def translation_refusals() -> dict[str, tuple[list[str], dict[str, str], str]]:
    """Options of `briefs new`, the files in the archive, and a brief (at P) with the same mistake."""
    fr = {"content/briefs/2023/baseline-fr.md": brief("language: fr", "translation_of: baseline", date="date: 2023-07-01")}
    return {
        "unknown original": (["--translation-of", "baselin", "--language", "ko"], {},
                             brief("language: ko", "translation_of: baselin")),
        "original a translation": (["--translation-of", "baseline-fr", "--language", "ko"], fr,
                                   brief("language: ko", "translation_of: baseline-fr")),
        "same language": (["--translation-of", "baseline", "--language", "en"], {},
                          brief("language: en", "translation_of: baseline")),
        "second into one language": (["--translation-of", "baseline", "--language", "fr"], fr,
                                     brief("language: fr", "translation_of: baseline")),
        "malformed language": (["--translation-of", "baseline", "--language", "english"], {},
                               brief("language: english")),
    }


@pytest.mark.parametrize("case", translation_refusals().keys())
def test_new_refuses_a_translation_as_check_does(record: Archive, capsys, case):
    option, files, same_in_a_brief = translation_refusals()[case]
    for path, text in files.items():
        record.write(path, text)
    words = _check_message(capsys, record, same_in_a_brief)
    before = _files(record.root)
    code, out, err = new(capsys, record, "--title", "번역", "--date", "2024-01-02", *option)
    assert code == 1 and out == ""
    assert err.splitlines() == [f"error: {words}", "No file was written."]
    assert _files(record.root) == before


def test_new_needs_a_translations_language(record: Archive, capsys):
    code, _, err = new(capsys, record, "--translation-of", "baseline", "--title", "번역")
    assert code == 1
    assert err.splitlines() == ["error: a translation needs its language: add --language with its tag, like '--language ko'",
                                "No file was written."]


def test_new_refuses_a_translation_of_a_broken_original(record: Archive, capsys):
    record.write("content/briefs/2024/broken.md", brief(type="type: memo"))
    code, _, err = new(capsys, record, "--translation-of", "broken", "--language", "ko", "--title", "번역")
    assert code == 1
    assert err.splitlines()[0] == ("error: brief 'broken' has errors of its own, so the translation cannot take "
                                   "its fields; 'briefs check' lists them")


def test_new_translation_never_overwrites(record: Archive, capsys):
    record.write("content/briefs/2024/baseline-ko.md", "theirs\n")  # not a brief that reads: no translation yet
    code, _, err = new(capsys, record, "--translation-of", "baseline", "--language", "ko", "--title", "번역",
                       "--date", "2024-01-02")
    assert code == 1
    assert "error: slug 'baseline-ko' is already used by content/briefs/2024/baseline-ko.md" in err
    assert (record.root / "content/briefs/2024/baseline-ko.md").read_text(encoding="utf-8") == "theirs\n"


def test_new_without_a_translation_needs_type_authors_and_topics(kit: Archive, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["new", "--root", str(kit.root), "--title", "Nothing Else"])
    assert stop.value.code == 2
    assert "required: --type, --author, --topic" in capsys.readouterr().err


@pytest.mark.parametrize("title, original, language, slug", [
    ("북한 핵", "north-korea-nuclear", "ko", "north-korea-nuclear-ko"),
    ("Le nucléaire nord-coréen", "north-korea-nuclear", "fr", "le-nucleaire-nord-coreen"),
    ("Ядерная программа", "north-korea-nuclear", "ru", "north-korea-nuclear-ru"),
    ("核 2024", "a-b", "zh-Hant-TW", "a-b-zh-hant-tw"),
    ("!!!", "a-b", "fr", "a-b-fr"),  # nothing to make a slug from
    ("북한", "a" * 40 + "-" + "b" * 30, "ko", "a" * 40 + "-ko"),  # cut between words, at most 60
])
def test_a_translations_slug(title, original, language, slug):
    from briefing_archive.catalogue.text import is_slug, translation_slug

    assert translation_slug(title, original, language) == slug
    assert is_slug(slug) and len(slug) <= 60


# --- the site's language --------------------------------------------------------------------------

def test_check_and_new_take_the_sites_language_from_mkdocs_yml(record: Archive, capsys, monkeypatch):
    """A brief without `language` is in the site's (theme.language), in the check as in the build."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    record.write("mkdocs.yml", "site_name: T\ntheme:\n  name: material\n  language: ko\n"
                               "extra:\n  analytics: !ENV [NO_SUCH_VARIABLE, none]\n"
                               "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    record.write(P, brief("language: ko", "translation_of: baseline"))
    _, lines, _ = check(capsys, record)
    expected = (f"{P}:7: error: a translation must be in another language than its original; both are 'ko' "
                "(set 'language', like 'language: ko')")
    assert expected in lines
    (record.root / P).unlink()
    code, _, err = new(capsys, record, "--translation-of", "baseline", "--language", "ko", "--title", "번역")
    assert code == 1 and f"error: {expected.split(': error: ')[1]}" in err.splitlines()
    code, out, _ = new(capsys, record, "--translation-of", "baseline", "--language", "en", "--title", "In English",
                       "--date", "2024-01-02")
    assert code == 0 and out.strip() == "content/briefs/2024/in-english.md"
    passes_check(capsys, record, out)


@pytest.mark.parametrize("text", ["", "site_name: [unclosed\n", "theme: material\n", "- a list\n"])
def test_the_sites_language_is_english_without_a_readable_theme_language(tmp_path: Path, text):
    from briefing_archive.site_settings import read_settings

    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert read_settings(tmp_path).language == "en"
    (tmp_path / "mkdocs.yml").unlink()
    assert read_settings(tmp_path).language == "en"


def test_check_and_build_report_the_same_publication_record_problems(record: Archive, capsys, monkeypatch):
    """The build gives a brief without `language` the theme's; the check reads the same from mkdocs.yml."""
    from archive_kit import MKDOCS_YML

    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    record.write("mkdocs.yml", MKDOCS_YML.replace("  name: material\n", "  name: material\n  language: ko\n")
                 .replace("{page_size}", "20"))
    record.write(P, brief("series: kpr", "number: 1", "language: ko", "translation_of: baseline",
                          "corrections: [{date: 2024-01-01, note: Early.}]"))
    record.write("content/briefs/2024/y.md", brief("series: kpr", "number: 1", "pdf: ../y.pdf", "language: en_US"))
    _, lines, _ = check(capsys, record)
    site = record.build()
    assert not site.ok
    logged = [m.removeprefix("briefing_archive: ") for m in site.messages if ": error: " in m]
    assert [line for line in lines if ": error: " in line] == logged
    # x, a translation, shares its original's number; y takes kpr-one's.
    assert [line.split(": error: ")[0] for line in logged] == [
        "content/briefs/2023/kpr-one.md:8", f"{P}:9", f"{P}:11", "content/briefs/2024/y.md:8",
        "content/briefs/2024/y.md:9", "content/briefs/2024/y.md:10"]


# --- check and build find the same problems (SPEC §5) ----------------------------------------------

def test_an_alias_onto_a_page_the_archive_publishes_is_found_by_the_check_as_by_the_build(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    archive = Archive(tmp_path / "site", page_size=1)
    archive.brief("first", date="2023-01-02")
    archive.brief("second", date="2023-02-02", aliases=["/topics/cyber/", "/briefs/page/2/", "/feed.xml",
                                                       "/api/briefs.json", "/analysis/old-second/"])
    built = archive.build()
    assert not built.ok
    build_errors = sorted(m.split("briefing_archive: ", 1)[-1] for m in built.errors())
    code, lines, _ = check(capsys, archive)
    assert code == 1
    check_errors = sorted(line for line in lines if ": error: " in line)
    assert check_errors == build_errors
    assert sorted(line.split("alias '")[1].split("'")[0] for line in check_errors) == \
        ["/api/briefs.json", "/briefs/page/2/", "/feed.xml", "/topics/cyber/"]
