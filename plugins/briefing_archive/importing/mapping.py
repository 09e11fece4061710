"""MAP.yml: how a WordPress site's categories, tags and authors become this archive's keys.

```yaml
authors:                    # WordPress login: an author key of content/authors/, or `new`
  jdoe: min-ji-kim
  asmith: new               # a new profile made from the export's display name
categories:                 # WordPress category slug: what it means here
  cyber-security: {topic: cyber}
  policy-briefs: {type: policy-brief}
  korea-program: {program: kipp, topic: north-korea}
  uncategorized: ignore
tags:
  dprk: {topic: north-korea}
defaults:                   # optional: the type (and program) of a post whose terms give none
  type: analysis
slugs:                      # optional: a post's slug chosen by hand, by WordPress post ID
  "1234": allied-cyber-talks-2019
post_types: [post, publication]   # optional: which kinds of WordPress item become briefs (default: post)
```

A term may name one type, one program and any number of topics (`topics: [a, b]`). A term
written with no value (as `--write-map` leaves those it could not guess) is not mapped yet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import yaml

from ..catalogue import Catalogue, Report
from ..catalogue.problems import closest, unknown_entry
from ..catalogue.reading import Located, decode_text, parse_yaml, read_bytes
from ..catalogue.text import is_slug, slug_for_title, slugify
from .markdown import plain_text
from .wxr import Author, Term

SECTIONS = {"category": "categories", "post_tag": "tags"}
KINDS = ("topic", "type", "program")
SOURCES = {"type": "site_config/types.yml", "author": "content/authors/",
           "topic": "site_config/topics.yml", "program": "site_config/programs.yml"}
NEW = "new"
IGNORE = "ignore"


@dataclass(frozen=True)
class Meaning:
    """What one WordPress term means in the archive."""

    topics: tuple[str, ...] = ()
    type: str | None = None
    program: str | None = None
    ignore: bool = False


@dataclass
class ImportMap:
    path: str = ""  # as shown in messages; empty when no map was given
    authors: dict[str, str] = field(default_factory=dict)  # login -> author key or NEW
    terms: dict[tuple[str, str], Meaning | None] = field(default_factory=dict)  # (domain, slug) -> meaning
    term_lines: dict[tuple[str, str], int] = field(default_factory=dict)
    default_type: str | None = None
    default_program: str | None = None
    slugs: dict[str, str] = field(default_factory=dict)  # WordPress post ID -> slug
    post_types: tuple[str, ...] = ("post",)  # the kinds of item that become briefs


class Vocabulary:
    """The keys a map may use, with the names that help guess them."""

    def __init__(self, catalogue: Catalogue):
        self.topics = {**{k: k for k in catalogue.topics},
                       **{alias: topic.key for topic in catalogue.topics.values() for alias in topic.aliases}}
        self.topic_names = {t.title: t.key for t in catalogue.topics.values()}
        self.types = set(catalogue.types)
        self.type_names = {t.title: t.key for t in catalogue.types.values()} | \
                          {t.plural: t.key for t in catalogue.types.values() if getattr(t, "plural", None)}
        self.programs = set(catalogue.programs)
        self.program_names = {p.title: p.key for p in catalogue.programs.values()} | \
                             {p.short: p.key for p in catalogue.programs.values() if getattr(p, "short", None)}
        self.authors = set(catalogue.authors)
        self.author_names = {a.name: a.key for a in catalogue.authors.values()}

    def keys(self, kind: str) -> set[str]:
        return {"topic": set(self.topics), "type": self.types, "program": self.programs}[kind]

    def names(self, kind: str) -> dict[str, str]:
        return {"topic": self.topic_names, "type": self.type_names, "program": self.program_names}[kind]

    def guess_term(self, term: Term) -> tuple[str, str] | None:
        """(kind, key) that the term most likely means: an exact key or name first, then a close one."""
        for word in (unquote(term.slug), term.name):
            for kind in ("type", "program", "topic"):
                keys, names = self.keys(kind), self.names(kind)
                if word in keys or slugify(word) in keys:
                    key = word if word in keys else slugify(word)
                    return kind, self.topics.get(key, key) if kind == "topic" else key
                by_name = {n.casefold(): k for n, k in names.items()}
                if word.casefold() in by_name:
                    return kind, by_name[word.casefold()]
        for kind in ("topic", "type", "program"):
            for word in (unquote(term.slug), term.name):
                key = closest(word, self.keys(kind), self.names(kind))
                if key:
                    return kind, self.topics.get(key, key) if kind == "topic" else key
        return None

    def guess_author(self, author: Author) -> str | None:
        for word in (author.login, author.display_name):
            key = closest(word, self.authors, self.author_names)
            if key:
                return key
        return None


def author_key(author: Author) -> str:
    """The key of a new profile for a WordPress author: from the display name, else the login."""
    return slug_for_title(plain_text(author.display_name)) or slug_for_title(author.login) or "author"


def read_map(file: Path, shown: str, vocabulary: Vocabulary, report: Report) -> ImportMap:
    """The map in `file`; every problem goes to `report` with the line of the map it is on."""
    result = ImportMap(path=shown)
    raw = read_bytes(file, shown, report)
    text = decode_text(raw, shown, report) if raw is not None else None
    located = parse_yaml(text, shown, report) if text is not None else None
    if located is None:
        return result
    if not located.is_mapping:
        report.error(shown, located.line, "the map must be a mapping with authors:, categories: and tags:; "
                                          "write one with 'briefs import wordpress EXPORT.xml --write-map MAP.yml'")
        return result
    known = ("authors", "categories", "tags", "defaults", "slugs", "post_types")
    for key in located.data:
        if key not in known:
            hint = closest(str(key), known)
            report.error(shown, located.line_of(key), f"unknown section '{key}'"
                         + (f" (did you mean '{hint}'?)" if hint else "") + f"; a map has {', '.join(known)}")

    def section(name: str) -> tuple[dict, Located]:
        value = located.data.get(name)
        if value is None:
            return {}, Located(data={})
        if not isinstance(value, dict):
            report.error(shown, located.line_of(name), f"'{name}' must be a mapping, one entry a line")
            return {}, Located(data={})
        return value, located.child.get(name, Located(data={}))

    authors, lines = section("authors")
    for login, key in authors.items():
        line = lines.line_of(str(login))
        if key is None:
            continue  # not decided yet: a new profile, as with no entry
        if not isinstance(key, str) or not (key == NEW or key in vocabulary.authors):
            report.error(shown, line, unknown_entry("author", key, SOURCES["author"], vocabulary.authors,
                                                    vocabulary.author_names) + f", or '{NEW}' for a new profile")
            continue
        result.authors[str(login)] = key

    for domain, name in SECTIONS.items():
        terms, lines = section(name)
        for slug, value in terms.items():
            line = lines.line_of(str(slug))
            result.term_lines[(domain, str(slug))] = line
            result.terms[(domain, str(slug))] = _meaning(value, shown, line, vocabulary, report)

    defaults, lines = section("defaults")
    for key, value in defaults.items():
        line = lines.line_of(str(key))
        if key not in ("type", "program"):
            report.error(shown, line, f"unknown default '{key}'; defaults are 'type' and 'program'")
        elif not isinstance(value, str) or value not in vocabulary.keys(key):
            report.error(shown, line, unknown_entry(key, value, SOURCES[key], vocabulary.keys(key), vocabulary.names(key)))
        elif key == "type":
            result.default_type = value
        else:
            result.default_program = value

    slugs, lines = section("slugs")
    for post_id, slug in slugs.items():
        if not is_slug(slug):
            report.error(shown, lines.line_of(str(post_id)),
                         f"slug '{slug}' for post {post_id} must be lowercase letters, digits and single hyphens, "
                         f"like '{slug_for_title(str(slug)) or 'my-brief'}'")
        else:
            result.slugs[str(post_id)] = slug

    if "post_types" in located.data and located.data["post_types"] is not None:
        kinds = located.data["post_types"]
        if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) and k.strip() for k in kinds):
            report.error(shown, located.line_of("post_types"),
                         "post_types must be a list of WordPress post types, like [post, publication]")
        else:
            result.post_types = tuple(k.strip() for k in kinds)
    return result


def _meaning(value: object, shown: str, line: int, vocabulary: Vocabulary, report: Report) -> Meaning | None:
    if value is None:
        return None
    if value == IGNORE:
        return Meaning(ignore=True)
    if not isinstance(value, dict) or not value:
        report.error(shown, line, f"write what the term means as {{topic: KEY}}, {{type: KEY}}, {{program: KEY}} "
                                  f"(or several of them), or '{IGNORE}'; not {value!r}")
        return None
    topics: list[str] = []
    kind_of: dict[str, str] = {}
    ok = True
    for kind, keys in value.items():
        base = "topic" if kind == "topics" else kind
        if base not in KINDS:
            hint = closest(str(kind), (*KINDS, "topics"))
            report.error(shown, line, f"unknown field '{kind}'" + (f" (did you mean '{hint}'?)" if hint else "")
                         + "; a term maps to topic, type or program")
            ok = False
            continue
        for key in keys if isinstance(keys, list) and base == "topic" else [keys]:
            if not isinstance(key, str) or key not in vocabulary.keys(base):
                report.error(shown, line, unknown_entry(base, key, SOURCES[base], vocabulary.keys(base), vocabulary.names(base)))
                ok = False
            elif base == "topic":
                canonical = vocabulary.topics[key]
                if canonical not in topics:
                    topics.append(canonical)
            else:
                kind_of[base] = key
    if not ok:
        return None
    return Meaning(topics=tuple(topics), type=kind_of.get("type"), program=kind_of.get("program"))


# --- writing a starting map ---------------------------------------------------------------------

HEADER = """\
# How this WordPress export maps onto the archive, for 'briefs import wordpress'.
# Written by --write-map with a guess for each entry: review every line, then run
#   briefs import wordpress {export} --map {map} --dry-run
#
# authors:    WordPress login -> an author key (a file name in content/authors/ without .md),
#             or 'new' for a new profile made from the name WordPress shows.
# categories, tags: WordPress slug -> {{topic: KEY}}, {{type: KEY}}, {{program: KEY}} (or several,
#             e.g. {{type: memo, topic: cyber}}; 'topics: [a, b]' for more than one topic), or
#             'ignore'. An entry left empty is not mapped yet: its posts are not imported.
#             Keys: site_config/topics.yml, types.yml and programs.yml.
# defaults:   'type' (and 'program') for posts whose categories and tags give none.
# slugs:      "WordPress post ID": slug, for a post whose file name you choose yourself.
# post_types: which kinds of WordPress item become briefs (this export holds {kinds}).
"""


def _flow(value: dict) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000).strip()


def _scalar(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=1_000_000).strip().removesuffix("\n...").strip()


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _comment(text: str) -> str:
    return " ".join(text.split())


def starting_map(authors: list[Author], terms: dict[tuple[str, str], Term], posts: Counter,
                 vocabulary: Vocabulary, export: str, map_name: str, kinds: Counter) -> str:
    """The text of a map with every author and term of the export and a guess for each."""
    held = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))) or "no items"
    lines = [HEADER.format(export=export, map=map_name, kinds=held)]
    lines.append("authors:")
    for author in authors:
        guess = vocabulary.guess_author(author)
        comment = f"{_comment(author.display_name)}, {_count(posts[('author', author.login)], 'post')}"
        if guess:
            lines.append(f"  {_scalar(author.login)}: {guess}  # {comment} (a guess: check it is the same person)")
        else:
            lines.append(f"  {_scalar(author.login)}: {NEW}  # {comment} -> content/authors/{author_key(author)}.md")
    if not authors:
        lines[-1] += " {}"
    for domain, section in SECTIONS.items():
        lines.append("")
        lines.append(f"{section}:")
        mine = [term for (d, _), term in terms.items() if d == domain]
        for term in mine:
            guess = vocabulary.guess_term(term)
            comment = f"\"{_comment(term.name)}\", {_count(posts[(domain, term.slug)], 'post')}"
            if term.slug.casefold() in ("uncategorized", "uncategorised") and not guess:
                lines.append(f"  {_scalar(term.slug)}: {IGNORE}  # {comment}")
            elif guess:
                lines.append(f"  {_scalar(term.slug)}: {_flow({guess[0]: guess[1]})}  # {comment} (a guess)")
            else:
                lines.append(f"  {_scalar(term.slug)}:  # {comment}: no guess; write {{topic: KEY}}, "
                             f"{{type: KEY}}, {{program: KEY}} or {IGNORE}")
        if not mine:
            lines[-1] += " {}"
    lines.append("")
    lines.append("defaults:")
    lines.append("  # type: analysis")
    lines.append("")
    lines.append("slugs:")
    lines.append("  # \"1234\": my-chosen-slug")
    lines.append("")
    lines.append("post_types: [post]")
    return "\n".join(lines) + "\n"
