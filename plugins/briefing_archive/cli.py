"""`briefs`: the editors' command — start a brief, check the archive, say what a change does to the
site, export a front-matter schema, import a WordPress site.

Every check is the catalogue's (`load_archive`), the same the MkDocs build runs, so the command
and the build say the same thing in the same words, the briefs' earlier addresses from git
history included (catalogue/history.py, read here as the build reads it), and an alias or
earlier address onto a page the archive publishes (a listing, a feed: the page plan says which,
without a build). Only what another plugin or a theme adds is the build's alone to know. This
module only chooses what to show and how: plain lines for people, JSON for tools, annotations
for GitHub.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Sequence, TextIO

import yaml

from .catalogue import ArchivePaths, Brief, LoadedArchive, Problem, load_archive
from .catalogue.loader import SCHEDULED, language_problem, number_problem, number_taken, translation_problem
from .catalogue.problems import ERROR, NOTE, WARNING, unknown_entry
from .catalogue.history import read_history
from .redirects import archive_addresses, plan_redirects
from .site_settings import read_settings
from .catalogue.read_cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from .catalogue.text import is_slug, slug_for_title, translation_slug
from .schema import brief_schema

# Where each kind of key is declared, as the messages of `briefs check` name it.
SOURCES = {
    "type": "site_config/types.yml",
    "author": "content/authors/",
    "topic": "site_config/topics.yml",
    "program": "site_config/programs.yml",
    "series": "site_config/series.yml",
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Slugs that would take the place of a generated page of the year folder.
RESERVED_SLUGS = frozenset({"index"})

BODY_PLACEHOLDER = (
    "Replace this paragraph with the text of the brief. Unless you add a summary line above,\n"
    "this first paragraph is what readers see in listings and feeds.\n"
)

NEW_EXAMPLE = """\
example:
  briefs new --title "Allied Cyber Talks Can Blunt North Korean Crypto Theft" \\
      --type policy-brief --author min-ji-kim --author sam-ortiz \\
      --topic cyber --topic north-korea --program ccti --date 2023-06-26

  writes content/briefs/2023/allied-cyber-talks-can-blunt-north-korean-crypto-theft.md
  and prints that path. Open it, replace the placeholder text, then run
  'briefs check' on it. Keys are the file names in content/authors/ and the
  entries of site_config/types.yml, topics.yml and programs.yml.

  briefs new --title "Korea Program Report: Alliance Costs" --type analysis \\
      --author min-ji-kim --topic north-korea --series kpr

  gives the brief the next free number of the series kpr (site_config/series.yml);
  --number 12 chooses one.

  briefs new --translation-of allied-cyber-talks-can-blunt-north-korean-crypto-theft \\
      --language ko --title "북한의 암호화폐 탈취를 막는 한미 사이버 대화"

  writes its Korean translation, with the original's type, authors, topics,
  program and series, as content/briefs/<YYYY>/<original's slug>-ko.md (a title in
  Latin letters gives the slug its words).
"""

CHECK_EXAMPLE = """\
examples:
  briefs check                                    the whole archive
  briefs check content/briefs/2025/my-brief.md    only this file's problems
  briefs check --format json                      for other tools

Each problem is one line, 'path:line: error|warning|note: message'. Errors must
be fixed before publishing; warnings point at what is allowed but probably wrong;
notes are only worth knowing, like a brief dated in the future ('scheduled'),
which the first build on or after its date publishes.
Exit status: 0 without errors, 1 with errors, 2 when the command is misused.
"""

CHANGES_EXAMPLE = """\
examples:
  briefs changes                   since this branch left the default branch
  briefs changes main              compared with main as it is now
  briefs changes HEAD              what the uncommitted edits change
  briefs changes --format json     the same, for other tools

Prints Markdown: briefs added, changed and removed; the listings, index pages,
other briefs' pages and feeds whose content changes; problems BASE did not
have; addresses that would stop working (as 'path:line: warning:' lines).
Under GitHub Actions it also appends the Markdown to the job summary.
Exit status: 0 when the comparison is made (whether or not the changes have
problems: 'briefs check' is what fails on errors), 2 when it cannot be made.
"""

IMPORT_EXAMPLE = """\
the steps (CONTRIBUTING.md, "Moving an existing archive in", says more):
  briefs import wordpress export.xml --write-map wordpress-map.yml
      writes a starting map of every category, tag and author, with a guess
      for each: review it line by line
  briefs import wordpress export.xml --map wordpress-map.yml --dry-run
      prints what would be written and every problem; writes nothing
  briefs import wordpress export.xml --map wordpress-map.yml
      writes the briefs and new author profiles (never over an existing file)
  briefs check

Exit status: 0 without errors, 1 with errors (the posts they hold back are not
written), 2 when the command is misused.
"""

SCHEMA_EXAMPLE = """\
example:
  briefs schema --output .cache/brief.schema.json

The schema lists the current topic, author, type, program and series keys, so
run it again after adding any of them. CONTRIBUTING.md shows how to use it in VS Code.
"""


class UsageError(Exception):
    """The command was called in a way it cannot serve (exit status 2)."""


# --- the archive root ---------------------------------------------------------------------------

def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding an archive (mkdocs.yml or site_config/)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() or (folder / "site_config").is_dir():
            return folder
    return start


def archive_paths(root: str | None) -> ArchivePaths:
    folder = Path(root) if root else find_root(Path.cwd())
    if not folder.is_dir():
        raise UsageError(f"--root '{root}' is not a folder")
    paths = ArchivePaths.at(folder)
    if not paths.docs_dir.is_dir() and not paths.config_dir.is_dir():
        raise UsageError(f"no archive in {paths.root}: it should hold content/ and site_config/ "
                         "(run the command inside the repository, or pass --root)")
    return paths


def _redirect_problems(loaded: LoadedArchive, page_size: int) -> list[Problem]:
    """What the build finds planning redirects (an alias or an earlier address onto a page the
    archive publishes), in its words. The build plans them only once the catalogue has no error,
    so the check does too: the same problems, never one twice in other words."""
    if loaded.report.errors:
        return []
    return plan_redirects(loaded, archive_addresses(loaded.catalogue, page_size))[1].problems


# --- briefs check -------------------------------------------------------------------------------

def _named(paths: ArchivePaths, names: Sequence[str]) -> list[str]:
    """The files or folders named on the command line, as problems show paths (relative to the root)."""
    shown = []
    for name in names:
        target = Path(name)
        if not target.exists():
            raise UsageError(f"{name}: no such file or folder")
        resolved = target.resolve()
        if resolved != paths.root and not resolved.is_relative_to(paths.root):
            raise UsageError(f"{name} is not inside the archive at {paths.root}")
        shown.append("" if resolved == paths.root else resolved.relative_to(paths.root).as_posix())
    return shown


def _is_under(path: str, named: str) -> bool:
    return not named or path == named or path.startswith(named.rstrip("/") + "/")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# GitHub's words for each severity: its three workflow commands are error, warning and notice.
_GITHUB_COMMANDS = {ERROR: "error", WARNING: "warning", NOTE: "notice"}


def github_annotation(problem: Problem, prefix: str = "") -> str:
    """A workflow command that GitHub shows on the line of the pull request's diff."""
    file = _escape_property(prefix + problem.path)
    command = _GITHUB_COMMANDS.get(problem.severity, "notice")
    return f"::{command} file={file},line={problem.line}::{_escape_data(problem.message)}"


def _workspace_prefix(paths: ArchivePaths) -> str:
    """Annotations name files relative to the checked-out repository; the archive may sit below it."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        try:
            relative = paths.root.relative_to(Path(workspace).resolve()).as_posix()
        except ValueError:
            return ""
        return "" if relative == "." else relative + "/"
    return ""


def _summary(loaded: LoadedArchive, shown: list[Problem], hidden: list[Problem], named: list[str]) -> str:
    errors = sum(p.severity == ERROR for p in shown)
    warnings = sum(p.severity == WARNING for p in shown)
    notes = [p for p in shown if p.severity == NOTE]
    scheduled = sum(p.message.startswith(SCHEDULED) for p in notes)
    what = (_count(len(named), "file") + " checked against the archive" if named else
            f"{_count(len(loaded.all_slugs), 'brief')} and {_count(len(loaded.catalogue.authors), 'author')} checked")
    # Notes are nothing to fix: counted apart, and only when there are some.
    counts = [_count(errors, "error"), _count(warnings, "warning")] if errors or warnings else ["no problems"]
    if scheduled:
        counts.append(f"{scheduled} scheduled")
    if len(notes) > scheduled:
        counts.append(_count(len(notes) - scheduled, "note"))
    found = ", ".join(counts)
    line = f"{what}: {found}."
    if hidden:
        line += f" ({len(hidden)} more in other files: run 'briefs check' to see them.)"
    if errors:
        line += " Fix the errors before publishing."
    return line


def run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    paths = archive_paths(args.root)
    named = _named(paths, args.paths)
    # What reading each file found is kept in the build's default cache folder, so that checking
    # again (a pre-commit hook) reads only the files that changed since.
    # The briefs' earlier addresses from git history, checked as the build checks them.
    history = read_history(paths.briefs_dir)
    if history.notice:
        print(f"note: {history.notice}", file=err)
    settings = read_settings(paths.root)
    loaded = load_archive(paths, derive_summaries=False, cache_dir=paths.root / DEFAULT_CACHE_DIR,
                          language=settings.language, history=history)
    loaded.report.problems.extend(_redirect_problems(loaded, settings.page_size))
    problems = loaded.report.sorted()
    if named:
        shown = [p for p in problems if any(_is_under(p.path, n) for n in named)]
        # What is left to fix in other files; their notes (a scheduled brief) are not.
        hidden = [p for p in problems if not any(_is_under(p.path, n) for n in named) and p.severity != NOTE]
    else:
        shown, hidden = problems, []

    annotations = os.environ.get("GITHUB_ACTIONS") == "true"
    prefix = _workspace_prefix(paths) if annotations else ""
    if args.format == "json":
        json.dump([asdict(p) for p in shown], out, ensure_ascii=False, indent=2)
        out.write("\n")
        if annotations:
            for problem in shown:
                print(github_annotation(problem, prefix), file=err)
        print(_summary(loaded, shown, hidden, named), file=err)
    else:
        for problem in shown:
            print(problem, file=out)
        if annotations:
            for problem in shown:
                print(github_annotation(problem, prefix), file=out)
        print(_summary(loaded, shown, hidden, named), file=out)
    return 1 if any(p.is_error for p in shown) else 0


# --- briefs new ---------------------------------------------------------------------------------

def _split(values: Sequence[str] | None) -> list[str]:
    """Repeated options, each of which may also hold a comma-separated list: `--topic cyber,china`."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def _brief_date(text: str | None, errors: list[str]) -> date | None:
    if text is None:
        return date.today()
    text = text.strip()
    if not ISO_DATE.fullmatch(text):
        errors.append(f"'date' must be a date written YYYY-MM-DD, like 2023-06-26, not '{text}'")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"'date' is not a real calendar date: '{text}'")
    return None


def _front_matter(fields: dict[str, object]) -> str:
    # A YAML dumper quotes whatever needs quoting in a title (colons, quotes, 'Yes', '2024', …);
    # lists stay on one line, like `authors: [min-ji-kim, sam-ortiz]`.
    text = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=1_000_000)
    return text


def _original(args: argparse.Namespace, loaded: LoadedArchive, errors: list[str]) -> Brief | None:
    """The brief that `--translation-of` names, when a translation of it into `--language` may be
    written; refused in the check's own words (`translation_problem`) otherwise."""
    original_slug = args.translation_of.strip()
    language = args.language.strip() if args.language else ""
    if not language:
        errors.append("a translation needs its language: add --language with its tag, like '--language ko'")
    elif problem := language_problem(language):
        errors.append(problem)
        language = ""
    sources = loaded.sources
    translated = {(b.translation_of, b.language): sources[slug].path
                  for slug, b in loaded.briefs.items() if b.translation_of}
    # The new brief's slug is not known yet (it may come from the original's): no slug is this one.
    # Without a language, no brief is in it: only what does not depend on it is checked.
    problem = translation_problem("", language, original_slug, loaded.briefs, loaded.all_slugs, translated)
    if problem is not None:
        errors.append(problem[1])
        return None
    if original_slug not in loaded.briefs:  # its file is there, with errors of its own
        errors.append(f"brief '{original_slug}' has errors of its own, so the translation cannot take its fields; "
                      "'briefs check' lists them")
        return None
    return loaded.briefs[original_slug]


def _series(args: argparse.Namespace, loaded: LoadedArchive, original: Brief | None,
            errors: list[str]) -> tuple[str | None, int | None]:
    """The series key and number the new brief gets: the options', else a translation's original's;
    a new number is one more than the highest of the series (drafts and scheduled briefs included)."""
    series = loaded.catalogue.series
    key = args.series.strip() if args.series else None
    if key is None and original is not None and original.series:
        key = original.series.key
    number: int | None = None
    if args.number is not None:
        text = args.number.strip()
        value: object = int(text) if re.fullmatch(r"[+-]?\d+", text) else text
        if problem := number_problem(value):
            errors.append(problem)
        else:
            number = int(text)
    if key is None:
        if args.number is not None:
            errors.append("--number is the brief's number in a series: give its series with --series")
        return None, None
    if key not in series:
        errors.append(unknown_entry("series", key, SOURCES["series"], series, {s.title: s.key for s in series.values()}))
        return None, None
    if original is not None and args.series is None:  # the original's place in its series
        return key, number or original.number
    used = {b.number: loaded.sources[slug].path for slug, b in sorted(loaded.briefs.items())
            if b.series is not None and b.series.key == key and b.number and not b.translation_of}
    if number is None and args.number is None:
        number = max(used, default=0) + 1
    elif number in used and original is None:
        errors.append(number_taken(key, number, used[number]))
    return key, number


def _earlier_owner(paths: ArchivePaths, src_uri: str) -> str | None:
    """The brief file whose earlier path in git history `src_uri` (`briefs/<YYYY>/<slug>.md`) is."""
    if not paths.briefs_dir.is_dir():
        return None
    current = {paths.shown(file)[len(paths.shown(paths.docs_dir)) + 1:]: paths.shown(file)
               for file in paths.briefs_dir.rglob("*.md")}
    return next((current[now] for now, earlier in sorted(read_history(paths.briefs_dir).earlier(current).items())
                 if src_uri in earlier), None)


def run_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    paths = archive_paths(args.root)
    loaded = load_archive(paths, derive_summaries=False, language=read_settings(paths.root).language)
    catalogue = loaded.catalogue
    errors: list[str] = []
    notes: list[str] = []

    original = None
    if args.translation_of:
        original = _original(args, loaded, errors)
    else:
        # A translation takes these from its original; any other brief needs them.
        missing = [option for option, given in (("--type", args.type), ("--author", args.authors),
                                                ("--topic", args.topics)) if not given]
        if missing:
            raise UsageError(f"the following arguments are required: {', '.join(missing)} "
                             "(a translation, --translation-of, takes them from its original)")
        if args.language and (problem := language_problem(args.language.strip())):
            errors.append(problem)

    title = " ".join(args.title.split())
    if not title:
        errors.append("'title' is empty")
    published = _brief_date(args.date, errors)

    types = catalogue.types
    brief_type = args.type.strip() if args.type else original.type.key if original else ""
    if brief_type not in types and (args.type or original):
        errors.append(unknown_entry("type", brief_type, SOURCES["type"], types,
                                    {t.title: t.key for t in types.values()}))

    authors: list[str] = []
    author_names = {a.name: a.key for a in catalogue.authors.values()}
    author_keys = _split(args.authors) if args.authors else [a.key for a in original.authors] if original else []
    for key in author_keys:
        if key not in catalogue.authors:
            errors.append(unknown_entry("author", key, SOURCES["author"], catalogue.authors, author_names))
        elif key in authors:
            errors.append(f"author '{key}' is listed twice")
        else:
            authors.append(key)
    if not author_keys and (args.authors is not None or original):
        errors.append("give at least one --author")

    topics: list[str] = []
    aliases = {alias: topic.key for topic in catalogue.topics.values() for alias in topic.aliases}
    topic_names = {t.title: t.key for t in catalogue.topics.values()}
    topic_keys = _split(args.topics) if args.topics else [t.key for t in original.topics] if original else []
    for key in topic_keys:
        canonical = aliases.get(key, key)
        if canonical not in catalogue.topics:
            errors.append(unknown_entry("topic", key, SOURCES["topic"], {**catalogue.topics, **dict.fromkeys(aliases)},
                                        topic_names))
        elif canonical in topics:
            errors.append(f"topic '{key}' is listed twice")
        else:
            if canonical != key:
                notes.append(f"topic '{key}' is an alias; the brief says '{canonical}'")
            topics.append(canonical)
    if not topic_keys and (args.topics is not None or original):
        errors.append("give at least one --topic")

    program = args.program.strip() if args.program else original.program.key if original and original.program else None
    if program is not None and program not in catalogue.programs:
        errors.append(unknown_entry("program", program, SOURCES["program"], catalogue.programs,
                                    {p.title: p.key for p in catalogue.programs.values()}))

    series, number = _series(args, loaded, original, errors)

    if args.slug:
        slug = args.slug.strip()
    elif original is not None and args.language:
        slug = translation_slug(title, original.slug, args.language.strip())
    else:
        slug = slug_for_title(title)
    taken = {file.stem: paths.shown(file) for file in sorted(paths.briefs_dir.rglob("*.md"))} \
        if paths.briefs_dir.is_dir() else {}
    if args.slug and not is_slug(slug):
        errors.append(f"slug '{slug}' must be lowercase letters, digits and single hyphens, like '{slug_for_title(slug) or 'my-brief'}'")
    elif title and not slug:
        errors.append("the title has no letters or digits to make a file name from; choose one with --slug")
    elif slug in RESERVED_SLUGS:
        errors.append(f"slug '{slug}' is reserved for the site's own pages; choose another with --slug")
    elif slug in taken or slug in loaded.all_slugs:
        where = taken.get(slug, "another brief")
        errors.append(f"slug '{slug}' is already used by {where}; slugs are unique across all years, "
                      "so give the brief another title or choose a slug with --slug")
    elif published and slug and (owner := _earlier_owner(paths, f"briefs/{published.year}/{slug}.md")):
        errors.append(f"/briefs/{published.year}/{slug}/ was the address of {owner} before its file was renamed "
                      "(git history), and old links must keep leading there; give the brief another title or "
                      "choose a slug with --slug")

    for note in notes:
        print(f"note: {note}", file=err)
    if errors:
        for message in errors:
            print(f"error: {message}", file=err)
        broken = sorted({p.path for p in loaded.report.errors if not p.path.startswith("content/briefs/")})
        if broken:  # a key may be unknown because the file declaring it does not read
            print(f"note: {', '.join(broken)} also {'has errors' if len(broken) == 1 else 'have errors'}, "
                  "which may be why a key is unknown; 'briefs check' lists them", file=err)
        print("No file was written.", file=err)
        return 1

    assert published is not None
    fields: dict[str, object] = {"title": title, "date": published, "type": brief_type,
                                 "authors": authors, "topics": topics}
    if program:
        fields["program"] = program
    if series:
        fields["series"], fields["number"] = series, number
    if args.language:
        fields["language"] = args.language.strip()
    if original is not None:
        fields["translation_of"] = original.slug
    text = ("---\n" + _front_matter(fields)
            + "# summary: one or two sentences for listings (optional; remove the '# ' to use it)\n"
            + "---\n" + BODY_PLACEHOLDER)
    target = paths.briefs_dir / str(published.year) / f"{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as file:  # never overwrites
            file.write(text)
    except FileExistsError:
        print(f"error: {paths.shown(target)} already exists; it was left as it is", file=err)
        print("No file was written.", file=err)
        return 1
    print(paths.shown(target), file=out)
    print(f"Next: replace the placeholder text, then run 'briefs check {paths.shown(target)}'.", file=err)
    return 0


# --- briefs changes ------------------------------------------------------------------------------

def run_changes(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # Imported here: the page plan, related ranking and outputs are not `briefs check`'s start-up cost.
    from .changes import ChangesError, changes_since, iter_annotations, render_markdown

    paths = archive_paths(args.root)
    try:
        found = changes_since(paths.root, args.base, cache_dir=paths.root / DEFAULT_CACHE_DIR)
    except ChangesError as exc:
        raise UsageError(str(exc)) from None
    text = render_markdown(found)
    if args.format == "json":
        json.dump(found.as_data(), out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    else:
        out.write(text)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        prefix = _workspace_prefix(paths)
        for problem in iter_annotations(found):
            print(github_annotation(problem, prefix), file=err)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as file:
                file.write(text + "\n")
    # A report, not a gate: `briefs check` (and the build) fail on errors; this must still be
    # written, with the problems in it, when they do.
    return 0


# --- briefs schema ------------------------------------------------------------------------------

def run_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    paths = archive_paths(args.root)
    loaded = load_archive(paths, derive_summaries=False)
    vocabulary_errors = [p for p in loaded.report.errors if not p.path.startswith("content/briefs/")]
    for problem in vocabulary_errors:
        print(problem, file=err)
    text = json.dumps(brief_schema(loaded.catalogue), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=err)
    else:
        out.write(text)
    return 1 if vocabulary_errors else 0


# --- briefs import wordpress ------------------------------------------------------------------

def run_import_wordpress(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .importing import import_wordpress, write_map  # only this command needs the converters

    # Unlike a check, an import makes and drops a parsed HTML tree per post, each a web of parent
    # and child links that only the cycle collector frees (without it, 1.4 GB for a 50 MB export).
    gc.enable()

    paths = archive_paths(args.root)
    export = Path(args.export)
    if not export.is_file():
        raise UsageError(f"{args.export}: no such file (the export WordPress saved from Tools → Export)")
    if args.write_map:
        if args.map or args.dry_run:
            raise UsageError("--write-map only writes a map: run it alone, then import with --map")
        report = write_map(paths, export, Path(args.write_map))
    else:
        if args.map and not Path(args.map).is_file():
            raise UsageError(f"{args.map}: no such file (write one with --write-map)")
        report = import_wordpress(paths, export, Path(args.map) if args.map else None, dry_run=args.dry_run)
    for line in report.lines():
        print(line, file=out)
    return 1 if report.has_errors else 0


# --- the parser ---------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefs",
        description="Work on the briefing archive: start a brief, check the archive, see what a change "
                    "does to the site, export a schema.",
        epilog="Run 'briefs COMMAND --help' for the options and an example of each command.",
    )
    root = argparse.ArgumentParser(add_help=False)
    root.add_argument("--root", metavar="DIR",
                      help="the repository holding content/ and site_config/ (default: found from the current folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    formatter = argparse.RawDescriptionHelpFormatter

    new = commands.add_parser(
        "new", parents=[root], formatter_class=formatter, epilog=NEW_EXAMPLE,
        help="write the skeleton of a new brief and print its path",
        description="Write content/briefs/<YYYY>/<slug>.md with its front matter filled in.\n"
                    "The slug comes from the title; an existing file is never overwritten.")
    new.add_argument("--title", required=True, help="the title, as readers will see it")
    new.add_argument("--type", metavar="KEY", help="a key of site_config/types.yml, e.g. policy-brief (required)")
    new.add_argument("--author", dest="authors", action="append", metavar="KEY",
                     help="an author key (file name in content/authors/ without .md); repeat in byline order (required)")
    new.add_argument("--topic", dest="topics", action="append", metavar="KEY",
                     help="a key of site_config/topics.yml; repeat for more topics (required)")
    new.add_argument("--program", metavar="KEY", help="a key of site_config/programs.yml (optional)")
    new.add_argument("--date", metavar="YYYY-MM-DD",
                     help="the publication date (default: today); a later date schedules the brief")
    new.add_argument("--slug", help="the file name without .md (default: made from the title)")
    new.add_argument("--series", metavar="KEY", help="a key of site_config/series.yml: the brief is one of that series")
    new.add_argument("--number", metavar="N",
                     help="its number in the series (default: one more than the highest number used in it)")
    new.add_argument("--translation-of", metavar="SLUG",
                     help="the slug of the brief this one translates; type, authors, topics, program, series "
                          "and number are the original's unless given")
    new.add_argument("--language", metavar="TAG",
                     help="the language of the brief's text, like ko or pt-BR (required with --translation-of)")
    new.set_defaults(run=run_new)

    check = commands.add_parser(
        "check", parents=[root], formatter_class=formatter, epilog=CHECK_EXAMPLE,
        help="check the archive and list every problem",
        description="Check every brief, author and vocabulary file against the rules and list\n"
                    "every problem at once. With PATHs, list only the problems of those files\n"
                    "(or folders); they are still checked against the whole archive.")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to report on (default: all)")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text (default): one problem a line; json: an array of {path, line, severity, message}, "
                            "severity being error, warning or note")
    check.set_defaults(run=run_check)

    changes = commands.add_parser(
        "changes", parents=[root], formatter_class=formatter, epilog=CHANGES_EXAMPLE,
        help="say what the working tree changes on the site, compared with a git revision",
        description="Compare the working tree with git revision BASE and print, as Markdown, which\n"
                    "reader-facing pages change, which problems are new and which addresses would\n"
                    "stop working. Nothing is built: both revisions' catalogues are compared.")
    changes.add_argument("base", nargs="?", metavar="BASE",
                         help="a branch, tag or commit (default: where this branch left the default branch)")
    changes.add_argument("--format", choices=("markdown", "json"), default="markdown",
                         help="markdown (default), or json: the same comparison as data")
    changes.set_defaults(run=run_changes)

    schema = commands.add_parser(
        "schema", parents=[root], formatter_class=formatter, epilog=SCHEMA_EXAMPLE,
        help="print a JSON Schema of brief front matter, for editors' text editors",
        description="Print a JSON Schema (draft 2020-12) of brief front matter, made from the\n"
                    "current vocabularies and authors.")
    schema.add_argument("--output", metavar="FILE", help="write the schema to FILE instead of printing it")
    schema.set_defaults(run=run_schema)

    importer = commands.add_parser(
        "import", help="move an existing archive in (from WordPress)",
        description="Move an existing archive into this one.")
    sources = importer.add_subparsers(dest="source", required=True, metavar="SOURCE")
    wordpress = sources.add_parser(
        "wordpress", parents=[root], formatter_class=formatter, epilog=IMPORT_EXAMPLE,
        help="import the posts of a WordPress export (Tools → Export) as briefs",
        description="Write one brief per post of a WordPress export (WXR) into content/briefs/<YYYY>/,\n"
                    "and the author profiles they need, then print a report. Categories, tags and\n"
                    "authors become keys through a map (MAP.yml). Nothing is ever overwritten.")
    wordpress.add_argument("export", metavar="EXPORT.xml", help="the file WordPress's Tools → Export saved")
    wordpress.add_argument("--map", metavar="MAP.yml", help="how categories, tags and authors map to keys")
    wordpress.add_argument("--dry-run", action="store_true", help="write nothing; print the same report")
    wordpress.add_argument("--write-map", metavar="MAP.yml",
                           help="write a starting map with a guess for every term and author (never over an existing file)")
    wordpress.set_defaults(run=run_import_wordpress)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args, sys.stdout, sys.stderr)
    except UsageError as exc:
        command = " ".join(filter(None, (args.command, getattr(args, "source", None))))
        parser.exit(2, f"briefs {command}: {exc}\n")
    except BrokenPipeError:  # `briefs check | head`
        sys.stderr.close()
        return 1


def console(argv: Sequence[str] | None = None) -> int:
    """`briefs` as a command of its own (the console script): `main` in a process that ends
    with it."""
    # What a command loads stays until the process ends and makes no cycles, so the collector
    # has nothing to free: it would only walk it all once the load is done and again at exit
    # (0.5 s of a 10,000-brief check).
    gc.disable()
    code = main(argv)
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(console())
