"""Property-based tests (hypothesis): whatever an editor's file holds, the loader answers.

The loader (`load_archive`, not a whole MkDocs build, so that hundreds of cases take seconds)
reads a small archive into which one file is replaced by generated input:

- a brief whose front matter is a random mapping — the real field names and random ones, mapped
  to random YAML values: text (Unicode, YAML-special words, very long), integers, floats,
  booleans, null, dates, lists and nested mappings — on top of a valid brief or on its own;
- a brief whose front matter is arbitrary text between the `---` lines;
- a brief, an author profile and topics.yml made of arbitrary bytes or text.

Each time the loader must return (never raise) and find the same with the read cache, cold and
warm, as without it; every problem must be `path:line` with a path the archive has and a line
between 1 and the file's line count + 1; and a brief that did not make it into the catalogue
must be named by at least one error. An accepted catalogue must also plan its pages without an
exception.

Two helpers get the same treatment: `slugify` always returns a valid slug or "" (and is
idempotent), and `links.scan` never raises and gives wiki-link offsets that slice the body back
to exactly the `[[...]]` it reports.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from archive_kit import Archive
from briefing_archive.catalogue import ArchivePaths, load_archive
from briefing_archive.catalogue.links import WIKI_LINK, replace_wiki_links, scan
from briefing_archive.catalogue.loader import AUTHOR_FIELDS, BRIEF_FIELDS, TOPIC_FIELDS
from briefing_archive.catalogue.text import SLUG_PATTERN, is_slug, slug_for_title, slugify
from briefing_archive.pages import plan_pages

# Fresh random cases on every local run; the same cases on CI (CI=true), so a red CI is never luck.
DERANDOMIZE = bool(os.environ.get("CI"))
EXAMPLES = settings(max_examples=150, deadline=None, database=None, derandomize=DERANDOMIZE,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

BRIEF = "content/briefs/2023/random-brief.md"
AUTHOR = "content/authors/random-author.md"
TOPICS = "site_config/topics.yml"

YAML_SPECIAL = [
    "yes", "no", "on", "off", "true", "False", "~", "null", "NULL", ".nan", ".inf", "-.inf", "0x1F", "0o17",
    "1e3", "1_000", "2023-02-30", "2023-06-26", "2023-6-26", "26/06/2023", "12:30:00", "<<", "=", "*anchor",
    "&anchor x", "!!python/object:os.system", "!!binary aGk=", "%YAML 1.1", "---", "...", "- item", "? key",
    ": value", "key: value", "{a: 1}", "[a, b]", "#comment", "@at", "`tick`", "|", ">", "'", '"', "\\",
    "\t", "\r", "\x00", "\ufeff", "\u2028", "\x85", "é", "김민지", "🙂", "javascript:alert(1)", "../../etc/passwd",
    "/etc/passwd", "C:\\Windows", "cyber", "policy-brief", "min-ji-kim", "ccti", "[[random-brief]]",
]
KEYS = st.one_of(st.sampled_from(BRIEF_FIELDS + AUTHOR_FIELDS + TOPIC_FIELDS),
                 st.text(min_size=1, max_size=12), st.sampled_from(YAML_SPECIAL))
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.sampled_from(YAML_SPECIAL),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    # very long text, built cheaply (hypothesis is slow to draw thousands of characters one by one)
    st.builds(lambda piece, n: piece * n, st.sampled_from(["x", "é ", "김민지 ", "a: b ", "<b>"]),
              st.integers(min_value=500, max_value=20000)),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=5),
                               st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=12,
)
VALID_BRIEF = {"title": "A Random Brief", "date": "2023-06-26", "type": "policy-brief",
               "authors": ["min-ji-kim"], "topics": ["cyber"]}


def dump(mapping: dict) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the pure-Python dumper is slow on long text
    return yaml.dump(mapping, Dumper=dumper, sort_keys=False, allow_unicode=True, width=80)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small valid archive on disk; each example copies it and replaces one file."""
    root = tmp_path_factory.mktemp("property-template")
    archive = Archive(root)
    archive.brief("other-brief", date="2022-01-01", body="Links [[random-brief]].")
    archive.brief("random-brief")
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs)):
        archive.write(f"site_config/{name}.yml", dump(table))
    loaded = load_archive(ArchivePaths.at(root))
    assert not loaded.report.errors, loaded.report.errors
    return root


class Workspace:
    """One archive copied from the template, into which examples write their file."""

    def __init__(self, template: Path, root: Path):
        shutil.copytree(template, root)
        self.root = root
        self.paths = ArchivePaths.at(root)
        self.original = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    def put(self, relative: str, data: bytes) -> None:
        for path in self.root.rglob("*"):  # undo the previous example
            if path.is_file() and path.relative_to(self.root).as_posix() not in self.original:
                path.unlink()
        for name, raw in self.original.items():
            (self.root / name).write_bytes(raw)
        (self.root / relative).write_bytes(data)


@pytest.fixture(scope="module")
def workspace(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(template, tmp_path_factory.mktemp("property") / "archive")


def line_count(raw: bytes) -> int:
    """Lines of a file as generously as any reader counts them (YAML's breaks included)."""
    text = raw.decode("utf-8", errors="replace")
    return max(len(text.splitlines()), raw.count(b"\n") + 1, 1)


def found(loaded) -> tuple[str, ...]:
    return (repr(loaded.report.problems), repr(loaded.briefs), repr(loaded.sources), repr(loaded.catalogue.authors))


def check_load(workspace: Workspace, relative: str) -> None:
    loaded = load_archive(workspace.paths)  # must not raise, whatever the file holds
    # The read cache (kept beside the workspace, across examples) gives back exactly what was read.
    cache_dir = workspace.root.parent / "read-cache"
    assert found(load_archive(workspace.paths, cache_dir=cache_dir)) == found(loaded)
    assert found(load_archive(workspace.paths, cache_dir=cache_dir)) == found(loaded)
    sizes = {p.relative_to(workspace.root).as_posix(): line_count(p.read_bytes())
             for p in workspace.root.rglob("*") if p.is_file()}
    for problem in loaded.report.problems:
        assert problem.path in sizes, f"{problem}: no such file"
        assert isinstance(problem.line, int) and 1 <= problem.line <= sizes[problem.path] + 1, \
            f"{problem}: line outside 1..{sizes[problem.path] + 1}"
        assert problem.severity in ("error", "warning") and problem.message.strip(), problem
        assert "Traceback" not in problem.message
    errors_here = [p for p in loaded.report.errors if p.path == relative]
    if relative == BRIEF and "random-brief" not in loaded.briefs:
        assert errors_here, f"the brief was dropped without an error: {loaded.report.problems}"
    if relative == AUTHOR and "random-author" not in loaded.catalogue.authors:
        assert errors_here, f"the author was dropped without an error: {loaded.report.problems}"
    if not loaded.report.errors:
        plan_pages(loaded.catalogue, 20)  # an accepted catalogue can be published


# --- random front matter ------------------------------------------------------------------

@EXAMPLES
@given(fields=st.dictionaries(KEYS, VALUES, max_size=8), on_valid=st.booleans(),
       body=st.sampled_from(["Body.\n", "", "[[other-brief]] and [[nope]]\n", "<script>x</script>\n"]))
def test_random_front_matter_is_accepted_or_reported_at_a_line(workspace: Workspace, fields, on_valid, body):
    mapping = {**VALID_BRIEF, **fields} if on_valid else fields
    try:
        text = "---\n" + dump(mapping) + "---\n" + body
    except (yaml.YAMLError, ValueError):
        assume(False)
    workspace.put(BRIEF, text.encode("utf-8", "surrogatepass"))
    check_load(workspace, BRIEF)


@EXAMPLES
@given(fields=st.dictionaries(KEYS, VALUES, max_size=6), on_valid=st.booleans())
@example(fields={"photo": "\x00"}, on_valid=True)  # found by hypothesis: resolve() raised ValueError
@example(fields={"photo": "x" * 500}, on_valid=True)  # found by hypothesis: is_file() raised OSError
def test_random_author_front_matter_is_accepted_or_reported_at_a_line(workspace: Workspace, fields, on_valid):
    mapping = {"name": "Random Author", **fields} if on_valid else fields
    try:
        text = "---\n" + dump(mapping) + "---\nA bio.\n"
    except (yaml.YAMLError, ValueError):
        assume(False)
    workspace.put(AUTHOR, text.encode("utf-8", "surrogatepass"))
    check_load(workspace, AUTHOR)


@EXAMPLES
@given(topics=st.dictionaries(KEYS, VALUES, max_size=5))
def test_random_topics_file_is_accepted_or_reported_at_a_line(workspace: Workspace, topics):
    try:
        text = dump({"cyber": {"title": "Cyber"}, **topics})
    except (yaml.YAMLError, ValueError):
        assume(False)
    workspace.put(TOPICS, text.encode("utf-8", "surrogatepass"))
    check_load(workspace, TOPICS)


# --- random text and bytes as whole files -------------------------------------------------

YAMLISH = st.lists(st.one_of(st.sampled_from(YAML_SPECIAL + ["\n", "\n  ", ": ", "- ", "---\n", "title: ", "date: "]),
                             st.text(max_size=10)), max_size=30).map("".join)


@EXAMPLES
@given(front=YAMLISH, body=st.text(max_size=200))
def test_random_text_between_the_front_matter_lines(workspace: Workspace, front, body):
    workspace.put(BRIEF, ("---\n" + front + "\n---\n" + body).encode("utf-8", "surrogatepass"))
    check_load(workspace, BRIEF)


@EXAMPLES
@given(target=st.sampled_from([BRIEF, AUTHOR, TOPICS]),
       data=st.one_of(st.binary(max_size=400),
                      st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
                      YAMLISH.map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf", b"---\r\n", b"---\n"]), st.binary(max_size=200))
                      .map(b"".join)))
def test_random_bytes_as_a_whole_file(workspace: Workspace, target, data):
    workspace.put(target, data)
    check_load(workspace, target)


# --- helpers ------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, database=None, derandomize=DERANDOMIZE)
@given(text=st.text(max_size=120))
def test_slugify_gives_a_valid_slug_or_nothing(text):
    slug = slugify(text)
    assert slug == "" or is_slug(slug), repr(slug)
    assert slugify(slug) == slug
    short = slug_for_title(text)
    assert short == "" or (is_slug(short) and len(short) <= 60), repr(short)
    assert SLUG_PATTERN.pattern == r"^[a-z0-9]+(-[a-z0-9]+)*$"


MARKDOWNISH = st.lists(st.one_of(
    st.sampled_from(["[[", "]]", "[", "]", "|", "`", "``", "```", "~~~", "\n", "\n\n", "    ", "\t", " ", "-", "1.",
                     "[^1]:", "!!! note", "[[a-b]]", "[[x|y]]", "[[ spaced ]]", "[t](u)", "[r]: u", ">", "#", "é", "\r"]),
    st.text(max_size=6)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, database=None, derandomize=DERANDOMIZE)
@given(body=MARKDOWNISH)
@example(body="[[`[[`]]")  # a code span inside brackets: no link, the span stays code
def test_scan_never_raises_and_its_offsets_slice_back_to_the_link(body):
    found = scan(body)
    last_end = 0
    for link in found.wiki:
        piece = body[link.start:link.end]
        match = WIKI_LINK.fullmatch(piece)
        assert match, (piece, link)
        assert link.slug == match.group(1).strip()
        assert link.text == (match.group(2).strip() if match.group(2) else None)
        assert link.line == body.count("\n", 0, link.start)
        assert link.start >= last_end  # in order, never overlapping
        last_end = link.end
    assert replace_wiki_links(body, found.wiki, lambda link: body[link.start:link.end]) == body
    assert all(isinstance(t, str) and t and not re.search(r"\s", t) for t in found.targets)
