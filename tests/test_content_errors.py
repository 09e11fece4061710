"""Every content rule of SPEC §2–3 (and every check of the loader) reported the compiler way.

Each case writes one bad file into a small archive, builds it, and checks that the build
fails, that the problem is reported as `path:line: error: message` with the right path, line
and words (did-you-mean included), that the build wrote nothing into content/ and published
nothing, and that no Python traceback reached the log.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from archive_kit import Archive, BuiltSite, dedent

P = "content/briefs/2023/x.md"
A = "content/authors/jo-lee.md"
TOPICS = "site_config/topics.yml"

TITLE = "title: A Brief"
DATE = "date: 2023-06-26"
TYPE = "type: policy-brief"
AUTHORS = "authors: [min-ji-kim]"
TOPICS_LINE = "topics: [cyber]"

_PROBLEM = re.compile(r"(?P<path>\S+):(?P<line>\d+): (?P<severity>error|warning): (?P<message>.*)$")


def fm(*lines: str, body: str = "Body text of the brief.\n") -> str:
    """A Markdown file whose front matter is `lines`: line 1 is '---', lines[0] is line 2."""
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


def valid(*extra: str, body: str = "Body text of the brief.\n", **replace: str | None) -> str:
    """A valid brief (lines 2–6: title, date, type, authors, topics) plus `extra` from line 7."""
    lines = {"title": TITLE, "date": DATE, "type": TYPE, "authors": AUTHORS, "topics": TOPICS_LINE}
    lines.update(replace)
    return fm(*(v for v in lines.values() if v is not None), *extra, body=body)


def problems(site: BuiltSite) -> list[tuple[str, int, str, str]]:
    """(path, line, severity, message) of every `path:line: severity: message` in the log."""
    found = []
    for message in site.messages:
        match = _PROBLEM.search(message)
        if match:
            found.append((match["path"], int(match["line"]), match["severity"], match["message"]))
    return found


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class Case:
    id: str
    files: dict[str, str | bytes]
    expected: list[tuple[str, int, str, list[str]]]  # path, line, severity, words of the message
    setup: Callable[[Archive], None] | None = None
    marks: list = field(default_factory=list)

    def param(self):
        return pytest.param(self, id=self.id, marks=self.marks)


def err(path: str, line: int, *words: str) -> tuple[str, int, str, list[str]]:
    return (path, line, "error", list(words))


def warn(path: str, line: int, *words: str) -> tuple[str, int, str, list[str]]:
    return (path, line, "warning", list(words))


def raw_topics(text: str) -> Callable[[Archive], None]:
    def setup(archive: Archive) -> None:
        archive.topics = None
        archive.write(TOPICS, dedent(text))
    return setup


def other_brief(archive: Archive) -> None:
    archive.brief("other-brief", date="2023-03-01")


BRIEF_CASES = [
    # --- fields --------------------------------------------------------------------------
    Case("unknown-field-typo", {P: valid("topic: [sanctions]")},
         [err(P, 7, "unknown field 'topic'", "(did you mean 'topics'?)")]),
    Case("missing-title", {P: valid(title=None)}, [err(P, 2, "missing required field 'title'")]),
    Case("missing-date", {P: valid(date=None)}, [err(P, 2, "missing required field 'date'")]),
    Case("missing-type", {P: valid(type=None)}, [err(P, 2, "missing required field 'type'")]),
    Case("missing-authors", {P: valid(authors=None)}, [err(P, 2, "missing required field 'authors'")]),
    Case("missing-topics", {P: valid(topics=None)}, [err(P, 2, "missing required field 'topics'")]),
    Case("empty-title", {P: valid(title='title: "  "')}, [err(P, 2, "'title' is empty")]),
    Case("title-not-text", {P: valid(title="title: [a, b]")}, [err(P, 2, "'title' must be text")]),
    # --- dates ---------------------------------------------------------------------------
    Case("bad-date-format", {P: valid(date="date: 26/06/2023")},
         [err(P, 3, "'date' must be a date written YYYY-MM-DD", "'26/06/2023'")]),
    Case("date-without-padding", {P: valid(date="date: 2023-6-26")},
         [err(P, 3, "'date' must be a date written YYYY-MM-DD", "'2023-6-26'")]),
    Case("impossible-date", {P: valid(date="date: 2023-02-30")},
         [err(P, 3, "'date' is not a real calendar date", "2023-02-30")]),
    Case("date-year-not-folder-year", {P: valid(date="date: 2024-01-05")},
         [err(P, 3, "the date is in 2024", "briefs/2023/", "content/briefs/2024/x.md")]),
    Case("updated-before-date", {P: valid("updated: 2023-06-01")},
         [err(P, 7, "'updated' (2023-06-01) is before 'date' (2023-06-26)")]),
    Case("updated-bad-format", {P: valid("updated: soon")},
         [err(P, 7, "'updated' must be a date written YYYY-MM-DD", "'soon'")]),
    # --- vocabulary keys -----------------------------------------------------------------
    Case("unknown-type", {P: valid(type="type: policy-brif")},
         [err(P, 4, "unknown type 'policy-brif'", "(did you mean 'policy-brief'?)", "site_config/types.yml")]),
    Case("type-written-as-its-title", {P: valid(type="type: Policy Brief")},
         [err(P, 4, "unknown type 'Policy Brief'", "(did you mean 'policy-brief'?)")]),
    Case("unknown-program", {P: valid("program: cctii")},
         [err(P, 7, "unknown program 'cctii'", "(did you mean 'ccti'?)", "site_config/programs.yml")]),
    Case("unknown-author-name-instead-of-key", {P: valid(authors="authors: [Sam Ortiz]")},
         [err(P, 5, "unknown author 'Sam Ortiz'", "(did you mean 'sam-ortiz'?)", "content/authors/")]),
    Case("unknown-author-typo", {P: valid(authors="authors: [min-ji-kin]")},
         [err(P, 5, "unknown author 'min-ji-kin'", "(did you mean 'min-ji-kim'?)")]),
    Case("unknown-topic", {P: valid(topics="topics: [cybr]")},
         [err(P, 6, "unknown topic 'cybr'", "(did you mean 'cyber'?)", "site_config/topics.yml")]),
    Case("unknown-topic-second-item", {P: valid(topics="topics:\n  - cyber\n  - sanctons")},
         [err(P, 8, "unknown topic 'sanctons'", "(did you mean 'sanctions'?)")]),
    Case("authors-not-a-list", {P: valid(authors="authors: min-ji-kim")},
         [err(P, 5, "'authors' must be a list", "authors: [min-ji-kim]")]),
    Case("topics-not-a-list", {P: valid(topics="topics: cyber")}, [err(P, 6, "'topics' must be a list")]),
    Case("authors-empty-list", {P: valid(authors="authors: []")}, [err(P, 5, "'authors' is empty")]),
    Case("topics-empty-list", {P: valid(topics="topics: []")}, [err(P, 6, "'topics' is empty")]),
    Case("duplicate-author", {P: valid(authors="authors:\n  - min-ji-kim\n  - sam-ortiz\n  - min-ji-kim")},
         [err(P, 8, "author 'min-ji-kim' is listed twice")]),
    Case("duplicate-topic", {P: valid(topics="topics:\n  - cyber\n  - sanctions\n  - cyber")},
         [err(P, 9, "topic 'cyber' is listed twice")]),
    Case("topic-twice-via-alias", {P: valid(topics="topics:\n  - cyber\n  - cybersecurity")},
         [err(P, 8, "topic 'cybersecurity' is listed twice"),
          warn(P, 8, "topic 'cybersecurity' is an alias", "'cyber'")]),
    Case("draft-not-boolean", {P: valid("draft: maybe")}, [err(P, 7, "'draft' must be true or false", "'maybe'")]),
    # --- related -------------------------------------------------------------------------
    Case("related-unknown-slug", {P: valid("related: [no-such-brief]")},
         [err(P, 7, "unknown brief 'no-such-brief' in related")]),
    Case("related-unknown-slug-did-you-mean", {P: valid("related:\n  - other-brief\n  - other-brif")},
         [err(P, 9, "unknown brief 'other-brif' in related", "(did you mean 'other-brief'?)")], setup=other_brief),
    Case("related-itself", {P: valid("related: [x]")}, [err(P, 7, "a brief cannot list itself as related")]),
    Case("related-not-a-slug", {P: valid("related: [Other Brief]")},
         [err(P, 7, "'Other Brief' is not a brief slug")]),
    # --- aliases -------------------------------------------------------------------------
    *[
        Case(f"alias-leaves-site-{i}", {P: valid(f"aliases: ['{alias}']")},
             [err(P, 7, f"alias '{alias}' must be a path on this site")])
        for i, alias in enumerate(["../x", "https://evil.example/", "//host/x", "/a/../../x",
                                   "javascript:alert(1)", "old/path/"])
    ],
    Case("alias-duplicate-across-briefs", {
        "content/briefs/2023/a-first.md": valid("aliases: [/analysis/2023/old-name/]"),
        P: valid("aliases:\n  - /other/\n  - /analysis/2023/old-name/"),
    }, [err(P, 9, "alias '/analysis/2023/old-name/' is already an alias of 'a-first'")]),
    Case("alias-equal-to-a-brief-url", {P: valid("aliases: [/briefs/2023/other-brief/]")},
         [err(P, 7, "alias '/briefs/2023/other-brief/'", "address of a brief")], setup=other_brief),
    Case("alias-equal-to-a-brief-url-without-slash", {P: valid("aliases: [/briefs/2023/other-brief]")},
         [err(P, 7, "alias '/briefs/2023/other-brief'", "address of a brief")], setup=other_brief),
    Case("alias-equal-to-a-listing-page", {P: valid("aliases: [/topics/cyber/]")},
         [err(P, 7, "alias '/topics/cyber/'")]),
    # --- files ---------------------------------------------------------------------------
    Case("duplicate-slug-across-years", {
        "content/briefs/2022/x.md": valid(date="date: 2022-05-01"), P: valid(),
    }, [err(P, 1, "slug 'x' is already used by content/briefs/2022/x.md"),
        err("content/briefs/2022/x.md", 1, "slug 'x' is also used by content/briefs/2023/x.md")]),
    Case("bad-slug-file-name", {"content/briefs/2023/Bad_Name.md": valid()},
         [err("content/briefs/2023/Bad_Name.md", 1, "file name 'Bad_Name.md'", "'bad-name.md'")]),
    Case("brief-not-in-a-year-folder", {"content/briefs/x.md": valid()},
         [err("content/briefs/x.md", 1, "content/briefs/<YYYY>/<slug>.md")]),
    Case("brief-in-a-subfolder-of-a-year", {"content/briefs/2023/extra/x.md": valid()},
         [err("content/briefs/2023/extra/x.md", 1, "content/briefs/<YYYY>/<slug>.md")]),
    Case("brief-in-a-folder-not-a-year", {"content/briefs/recent/x.md": valid()},
         [err("content/briefs/recent/x.md", 1, "content/briefs/<YYYY>/<slug>.md")]),
    Case("invalid-yaml", {P: valid(title="title: Allies: a new era")}, [err(P, 2, "invalid YAML")]),
    Case("invalid-yaml-bad-indentation", {P: valid("related:\n  - a\n - b")}, [err(P, 9, "invalid YAML")]),
    Case("no-front-matter", {P: "title: A Brief\ndate: 2023-06-26\n\nBody.\n"}, [err(P, 1, "no front matter")]),
    Case("unclosed-front-matter", {P: "---\ntitle: A Brief\ndate: 2023-06-26\n\nBody.\n"},
         [err(P, 1, "the front matter is not closed")]),
    Case("front-matter-not-a-mapping", {P: fm("- title", "- date")}, [err(P, 2, "the front matter must be fields")]),
    Case("empty-file", {P: ""}, [err(P, 1, "the file is empty")]),
    Case("blank-file", {P: "\n  \n\n"}, [err(P, 1, "the file is empty")]),
    Case("not-utf8", {P: valid(title="title: Caf\udce9").encode("utf-8", "surrogateescape")},
         [err(P, 2, "not UTF-8")]),
    Case("duplicate-key", {P: fm(TITLE, DATE, TYPE, "title: Another Title", AUTHORS, TOPICS_LINE)},
         [err(P, 5, "'title' is given twice")]),
]

AUTHOR_CASES = [
    Case("author-missing-name", {A: fm("role: Fellow", body="Bio.\n")}, [err(A, 2, "missing required field 'name'")]),
    Case("author-empty-name", {A: fm("name: ''", body="Bio.\n")}, [err(A, 2, "'name' is empty")]),
    Case("author-unknown-field", {A: fm("name: Jo Lee", "role: Fellow", "twitter: https://x.example/jo")},
         [err(A, 4, "unknown field 'twitter' in an author profile")]),
    Case("author-unknown-program", {A: fm("name: Jo Lee", "program: cctii")},
         [err(A, 3, "unknown program 'cctii'", "(did you mean 'ccti'?)")]),
    Case("author-photo-missing", {A: fm("name: Jo Lee", "photo: authors/photos/jo-lee.jpg")},
         [err(A, 3, "photo 'content/authors/photos/jo-lee.jpg' does not exist")]),
    Case("author-photo-outside-content", {A: fm("name: Jo Lee", "photo: ../mkdocs.yml")},
         [err(A, 3, "'photo' must be a path inside content/")]),
    Case("author-photo-absolute", {A: fm("name: Jo Lee", "photo: /etc/hostname")},
         [err(A, 3, "'photo' must be a path inside content/")]),
    Case("author-link-javascript", {A: fm("name: Jo Lee", "links:", "  website: 'javascript:alert(1)'")},
         [err(A, 3, "link 'website' must be a full https:// address", "javascript:alert(1)")]),
    Case("author-link-data-url", {A: fm("name: Jo Lee", "links:", "  x: 'data:text/html,hi'")},
         [err(A, 3, "link 'x' must be a full https:// address")]),
    Case("author-link-relative", {A: fm("name: Jo Lee", "links:", "  website: jo.example")},
         [err(A, 3, "link 'website' must be a full https:// address")]),
    Case("author-link-empty", {A: fm("name: Jo Lee", "links:", "  website: ''")},
         [err(A, 3, "link 'website' must be an address")]),
    Case("author-links-not-a-mapping", {A: fm("name: Jo Lee", "links: [https://jo.example/]")},
         [err(A, 3, "'links' must be label: address lines")]),
    Case("author-alumni-not-boolean", {A: fm("name: Jo Lee", "alumni: former")},
         [err(A, 3, "'alumni' must be true or false")]),
    Case("author-bad-file-name", {"content/authors/Jo_Lee.md": fm("name: Jo Lee")},
         [err("content/authors/Jo_Lee.md", 1, "author file name 'Jo_Lee.md'", "'jo-lee.md'")]),
    Case("author-no-front-matter", {A: "name: Jo Lee\n"}, [err(A, 1, "no front matter")]),
    Case("author-invalid-yaml", {A: fm("name: Jo Lee", "role: Fellow: Cyber")}, [err(A, 3, "invalid YAML")]),
]

VOCABULARY_CASES = [
    Case("topic-without-title", {}, [err(TOPICS, 5, "missing required field 'title'")], setup=raw_topics("""
        cyber:
          title: Cyber
          aliases: [cybersecurity]
        sanctions:
          group: Issues
        north-korea:
          title: North Korea
        """)),
    Case("topic-unknown-field", {}, [err(TOPICS, 3, "unknown field 'titel' in 'sanctions'", "(did you mean 'title'?)"),
                                     err(TOPICS, 3, "missing required field 'title'")],
         setup=raw_topics("""
        cyber: {title: Cyber}
        sanctions:
          titel: Sanctions
        north-korea: {title: North Korea}
        """)),
    Case("topic-bad-key", {}, [err(TOPICS, 3, "key 'North_Korea' must be lowercase", "'north-korea'")],
         setup=raw_topics("""
        cyber: {title: Cyber}
        sanctions: {title: Sanctions}
        North_Korea: {title: North Korea}
        """)),
    Case("topic-alias-is-a-topic-key", {}, [err(TOPICS, 5, "alias 'sanctions' of topic 'cyber' is itself a topic key")],
         setup=raw_topics("""
        cyber:
          title: Cyber
          aliases:
            - cybersecurity
            - sanctions
        sanctions: {title: Sanctions}
        north-korea: {title: North Korea}
        """)),
    Case("topic-alias-of-two-topics", {}, [err(TOPICS, 4, "alias 'cybersecurity' is already an alias of topic 'cyber'")],
         setup=raw_topics("""
        cyber: {title: Cyber, aliases: [cybersecurity]}
        sanctions:
          title: Sanctions
          aliases: [cybersecurity]
        north-korea: {title: North Korea}
        """)),
    Case("topic-alias-not-a-slug", {}, [err(TOPICS, 1, "topic alias 'Cyber Security' must be lowercase")],
         setup=raw_topics("""
        cyber: {title: Cyber, aliases: [Cyber Security]}
        sanctions: {title: Sanctions}
        north-korea: {title: North Korea}
        """)),
    Case("topic-without-fields", {}, [err(TOPICS, 2, "'sanctions' needs its fields indented")],
         setup=raw_topics("""
        cyber: {title: Cyber}
        sanctions:
        north-korea: {title: North Korea}
        """)),
    Case("topics-not-a-mapping", {}, [err(TOPICS, 1, "this file must map each key")],
         setup=raw_topics("""
        - cyber
        - sanctions
        """)),
    Case("topics-invalid-yaml", {}, [err(TOPICS, 3, "invalid YAML")],
         setup=raw_topics("""
        cyber: {title: Cyber}
        sanctions:
          title: Sanctions: and more
        """)),
    Case("topics-file-missing", {}, [err(TOPICS, 1, "site_config/topics.yml is missing")],
         setup=lambda archive: setattr(archive, "topics", None)),
    Case("type-without-title", {}, [err("site_config/types.yml", 8, "missing required field 'title'")],
         setup=lambda archive: archive.types.__setitem__("memo", {"plural": "Memos"})),
    Case("program-unknown-field", {}, [err("site_config/programs.yml", 4, "unknown field 'shortname' in 'ccti'")],
         setup=lambda archive: archive.programs["ccti"].__setitem__("shortname", "C")),
]


@pytest.fixture(autouse=True)
def _log_everything(caplog: pytest.LogCaptureFixture) -> None:
    # Warnings are logged at INFO level (they must not fail `mkdocs build --strict`).
    caplog.set_level(logging.INFO, logger="mkdocs")


def build_bad(archive: Archive, case: Case) -> BuiltSite:
    if case.setup:
        case.setup(archive)
    for path, text in case.files.items():
        archive.write(path, text)
    before = snapshot(archive.root / "content")
    site = archive.build()
    assert snapshot(archive.root / "content") == before, "the build changed files under content/"
    assert not any("Traceback" in m for m in site.messages), site.messages
    return site


def assert_reported(site: BuiltSite, expected: list[tuple[str, int, str, list[str]]]) -> None:
    reported = problems(site)
    for path, line, severity, words in expected:
        here = [msg for (p, n, s, msg) in reported if (p, n, s) == (path, line, severity)]
        assert any(all(w in msg for w in words) for msg in here), (
            f"expected {path}:{line}: {severity}: …{words}… in\n" + "\n".join(site.messages))


@pytest.mark.parametrize("case", [c.param() for c in BRIEF_CASES + AUTHOR_CASES + VOCABULARY_CASES])
def test_content_error_is_reported_with_file_line_and_message(archive: Archive, case: Case):
    site = build_bad(archive, case)
    assert site.ok is False
    assert_reported(site, case.expected)
    expected_errors = sorted((p, n) for p, n, s, _ in case.expected if s == "error")
    reported_errors = sorted((p, n) for p, n, s, _ in problems(site) if s == "error")
    assert reported_errors == expected_errors, "\n".join(site.messages)
    assert not (archive.root / "site").exists(), "a failed build must publish nothing"


def test_a_file_with_bom_and_crlf_line_ends_is_valid(archive: Archive):
    text = valid(title="title: Café Talks", body="First paragraph of the brief.\n\nSecond one.\n")
    archive.write(P, b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    archive.brief("other-brief", date="2023-01-01")
    site = archive.build()
    assert site.ok, site.messages
    assert site.errors() == []
    page = site.html("briefs/2023/x/")
    assert page.css_first("h1").text(strip=True) == "Café Talks"
    assert "Second one." in page.css_first(".ba-brief__body").text()
    assert site.listed("briefs/") == ["x", "other-brief"]


def test_many_errors_in_one_build_are_all_reported_at_once(archive: Archive):
    archive.write(P, valid(date="date: 2023-02-30", topics="topics: [cybr]"))
    archive.write("content/briefs/2023/y.md", valid(type="type: memo", authors="authors: [Sam Ortiz]"))
    archive.write("content/briefs/2024/Bad_Name.md", valid(date="date: 2024-01-01"))
    archive.write(A, fm("name: Jo Lee", "program: nowhere"))
    archive.brief("fine-brief", date="2023-05-05")
    site = build_bad(archive, Case("many", {}, []))
    assert site.ok is False
    expected = [
        err(P, 3, "not a real calendar date"),
        err(P, 6, "unknown topic 'cybr'", "(did you mean 'cyber'?)"),
        err("content/briefs/2023/y.md", 4, "unknown type 'memo'"),
        err("content/briefs/2023/y.md", 5, "unknown author 'Sam Ortiz'", "(did you mean 'sam-ortiz'?)"),
        err("content/briefs/2024/Bad_Name.md", 1, "file name 'Bad_Name.md'"),
        err(A, 3, "unknown program 'nowhere'"),
    ]
    assert_reported(site, expected)
    assert len(site.errors()) == len(expected), "\n".join(site.messages)
    assert any("6 content errors" in m for m in site.messages), site.messages


def test_problems_are_reported_in_file_and_line_order(archive: Archive):
    archive.write("content/briefs/2023/b.md", valid(type="type: nope", topics="topics: [nope]"))
    archive.write("content/briefs/2023/a.md", valid(topics="topics: [nope]"))
    site = build_bad(archive, Case("order", {}, []))
    located = [(p, n) for p, n, s, _ in problems(site) if s == "error"]
    assert located == [("content/briefs/2023/a.md", 6), ("content/briefs/2023/b.md", 4), ("content/briefs/2023/b.md", 6)]


def test_warnings_are_reported_and_do_not_fail_the_build(archive: Archive):
    archive.author("jo-lee", name="Jo Lee")  # no briefs
    archive.write(P, valid(topics="topics:\n  - sanctions\n  - cybersecurity"))  # alias topic, line 8
    archive.write("content/briefs/2023/empty-body.md", valid(authors="authors: [sam-ortiz]", topics="topics: [sanctions]", body=""))
    before = snapshot(archive.root / "content")
    site = archive.build()
    assert site.ok is True, site.messages
    assert site.errors() == []
    assert_reported(site, [
        warn(P, 8, "topic 'cybersecurity' is an alias", "write 'cyber'"),
        warn("content/briefs/2023/empty-body.md", 7, "the brief has no text below its front matter"),
        warn(A, 1, "author 'jo-lee' has no published briefs"),
        warn(TOPICS, 10, "topic 'north-korea' is not used by any published brief"),
    ])
    assert snapshot(archive.root / "content") == before
    # the alias resolved to its topic: the brief is listed under cyber
    assert site.listed("topics/cyber/") == ["x"]
    assert site.listed("authors/jo-lee/") == []


def test_a_long_summary_is_a_warning(archive: Archive):
    archive.write(P, valid("summary: " + "word " * 200))
    site = archive.build()
    assert site.ok, site.messages
    assert_reported(site, [warn(P, 7, "the summary has", "characters")])


def test_a_draft_with_errors_still_fails_the_build(archive: Archive):
    archive.write(P, valid("draft: true", topics="topics: [cybr]"))
    site = build_bad(archive, Case("draft", {}, []))
    assert site.ok is False
    assert_reported(site, [err(P, 6, "unknown topic 'cybr'")])
