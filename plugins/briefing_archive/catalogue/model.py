"""The archive's domain objects. Built once per build by `loader.load_catalogue`, read by everyone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, eq=False)
class Topic:
    key: str
    title: str
    description: str = ""
    group: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"topics/{self.key}/"


@dataclass(frozen=True, eq=False)
class BriefType:
    key: str
    title: str
    plural: str

    @property
    def url(self) -> str:
        return f"types/{self.key}/"


@dataclass(frozen=True, eq=False)
class _ShortTitled:
    """A vocabulary entry with a short form of its title."""

    key: str
    title: str
    short: str = ""
    description: str = ""

    @property
    def label(self) -> str:
        return self.short or self.title


@dataclass(frozen=True, eq=False)
class Program(_ShortTitled):
    @property
    def url(self) -> str:
        return f"programs/{self.key}/"


@dataclass(frozen=True, eq=False)
class Series(_ShortTitled):
    """A numbered series of briefs ("Korea Program Report No. 12")."""

    @property
    def url(self) -> str:
        return f"series/{self.key}/"

    def numbered(self, number: int) -> str:
        return f"{self.label} No. {number}"


@dataclass(frozen=True)
class Correction:
    date: date
    note: str


@dataclass(frozen=True, eq=False)
class Link:
    label: str
    url: str

    @property
    def title(self) -> str:
        return {"x": "X", "email": "Email", "linkedin": "LinkedIn", "website": "Website"}.get(
            self.label, self.label.replace("-", " ").replace("_", " ").capitalize()
        )


@dataclass(frozen=True, eq=False)
class Author:
    key: str
    name: str
    src_uri: str  # relative to the docs dir: authors/<key>.md
    role: str = ""
    program: Program | None = None
    photo: str = ""  # relative to the docs dir
    links: tuple[Link, ...] = ()
    alumni: bool = False
    family: str = ""  # the name's parts for citations; without them, see `name_parts`
    given: str = ""

    @property
    def name_parts(self) -> tuple[str, str]:
        """(family, given): the profile's own, or the last word of the name and the words before it."""
        if self.family:
            return self.family, self.given
        words = self.name.split()
        return (words[-1], " ".join(words[:-1])) if words else ("", "")

    @property
    def url(self) -> str:
        return f"authors/{self.key}/"

    @property
    def initials(self) -> str:
        words = [w for w in self.name.split() if w[:1].isalpha()]
        picked = words[:1] + words[1:][-1:]
        return "".join(w[0] for w in picked).upper()


@dataclass(frozen=True, eq=False)
class Brief:
    slug: str
    src_uri: str  # relative to the docs dir: briefs/<YYYY>/<slug>.md
    title: str
    date: date
    type: BriefType
    authors: tuple[Author, ...]
    topics: tuple[Topic, ...]
    summary: str
    program: Program | None = None
    updated: date | None = None
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    draft: bool = False
    reading_minutes: int = 1
    series: Series | None = None
    number: int | None = None
    corrections: tuple[Correction, ...] = ()  # oldest first
    language: str = ""  # BCP 47; the loader gives every brief one (the site's by default)
    translation_of: str = ""  # the original's slug
    pdf: str = ""  # the PDF edition's path under the docs dir
    scheduled: bool = False  # dated after the build's date

    @property
    def url(self) -> str:
        return f"briefs/{self.date.year}/{self.slug}/"

    @property
    def corrected(self) -> date | None:
        return self.corrections[-1].date if self.corrections else None

    @property
    def last_change(self) -> date:
        """The latest of its date, its update and its corrections (a feed entry's `updated`)."""
        return max(self.date, self.updated or self.date, self.corrected or self.date)

    @property
    def pdf_url(self) -> str:
        return f"{self.url}{self.slug}.pdf" if self.pdf else ""

    @property
    def series_label(self) -> str:
        return self.series.numbered(self.number) if self.series and self.number else ""

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def sort_key(self) -> tuple[int, str]:
        """Newest first; briefs of one day in slug order, so every listing is deterministic."""
        return (-self.date.toordinal(), self.slug)


@dataclass
class Catalogue:
    """Every brief, author and vocabulary entry of one archive, with the indexes listings need.

    Translations are briefs with pages of their own but no place in listings, feeds or the home
    page: `latest` and the `by_*` indexes hold the originals, `translations` their versions."""

    site_name: str
    topics: dict[str, Topic]
    types: dict[str, BriefType]
    programs: dict[str, Program]
    authors: dict[str, Author]
    briefs: dict[str, Brief]  # slug -> brief, translations included, drafts only when drafts are shown
    links_to: dict[str, frozenset[str]] = field(default_factory=dict)  # slug -> slugs its body links to
    series: dict[str, Series] = field(default_factory=dict)
    backlinks: dict[str, tuple[Brief, ...]] = field(default_factory=dict)  # slug -> briefs linking to it
    latest: tuple[Brief, ...] = ()  # the originals, newest first
    every: tuple[Brief, ...] = ()  # every brief with a page, translations too, newest first
    translations: dict[str, tuple[Brief, ...]] = field(default_factory=dict)  # original's slug -> by language
    by_topic: dict[str, tuple[Brief, ...]] = field(default_factory=dict)
    by_author: dict[str, tuple[Brief, ...]] = field(default_factory=dict)
    by_type: dict[str, tuple[Brief, ...]] = field(default_factory=dict)
    by_program: dict[str, tuple[Brief, ...]] = field(default_factory=dict)
    by_series: dict[str, tuple[Brief, ...]] = field(default_factory=dict)  # in number order
    by_year: dict[int, tuple[Brief, ...]] = field(default_factory=dict)
    by_src_uri: dict[str, Brief] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)  # slug -> index in `latest` (0 = newest)
    series_position: dict[str, int] = field(default_factory=dict)  # slug -> index in its `by_series`
    last_change: date | None = None  # the newest date, update or correction of any original

    def __post_init__(self) -> None:
        self.every = tuple(sorted(self.briefs.values(), key=lambda b: b.sort_key))
        self.latest = tuple(b for b in self.every if not b.translation_of)
        translations: dict[str, list[Brief]] = {}
        for brief in sorted(self.every, key=lambda b: (b.language, b.slug)):
            if brief.translation_of in self.briefs:
                translations.setdefault(brief.translation_of, []).append(brief)
        self.translations = {k: tuple(v) for k, v in sorted(translations.items())}
        self.position = {brief.slug: i for i, brief in enumerate(self.latest)}
        self.last_change = max((b.last_change for b in self.latest), default=None)
        self.by_src_uri = {brief.src_uri: brief for brief in self.every}
        topics: dict[str, list[Brief]] = {key: [] for key in self.topics}
        authors: dict[str, list[Brief]] = {key: [] for key in self.authors}
        types: dict[str, list[Brief]] = {key: [] for key in self.types}
        programs: dict[str, list[Brief]] = {key: [] for key in self.programs}
        series: dict[str, list[Brief]] = {key: [] for key in self.series}
        years: dict[int, list[Brief]] = {}
        for brief in self.latest:
            for topic in brief.topics:
                topics[topic.key].append(brief)
            for author in brief.authors:
                authors[author.key].append(brief)
            types[brief.type.key].append(brief)
            if brief.program:
                programs[brief.program.key].append(brief)
            if brief.series and brief.series.key in series:
                series[brief.series.key].append(brief)
            years.setdefault(brief.year, []).append(brief)
        self.by_topic = {k: tuple(v) for k, v in topics.items()}
        self.by_author = {k: tuple(v) for k, v in authors.items()}
        self.by_type = {k: tuple(v) for k, v in types.items()}
        self.by_program = {k: tuple(v) for k, v in programs.items()}
        self.by_series = {k: tuple(sorted(v, key=lambda b: (b.number or 0, b.slug))) for k, v in series.items()}
        self.series_position = {b.slug: i for numbered in self.by_series.values() for i, b in enumerate(numbered)}
        self.by_year = {k: tuple(v) for k, v in sorted(years.items(), reverse=True)}
        linked_from: dict[str, list[Brief]] = {}
        for brief in self.every:
            for target in sorted(self.links_to.get(brief.slug, ())):
                if target in self.briefs:
                    linked_from.setdefault(target, []).append(brief)
        self.backlinks = {k: tuple(v) for k, v in linked_from.items()}

    def original(self, brief: Brief) -> Brief:
        """The brief a translation translates; an original is its own."""
        return self.briefs.get(brief.translation_of, brief) if brief.translation_of else brief

    def versions(self, brief: Brief) -> tuple[Brief, ...]:
        """Every language version of the brief's text, the original first, itself included."""
        original = self.original(brief)
        return (original, *self.translations.get(original.slug, ()))

    def series_neighbours(self, brief: Brief) -> tuple[Brief | None, Brief | None]:
        """The previous and next numbers of the brief's series, from the series' own index."""
        if brief.slug not in self.series_position or not brief.series:
            return None, None
        numbered, i = self.by_series[brief.series.key], self.series_position[brief.slug]
        return (numbered[i - 1] if i > 0 else None, numbered[i + 1] if i + 1 < len(numbered) else None)

    def older(self, brief: Brief) -> Brief | None:
        """The brief published just before this one (the previous one in time); translations
        are not in the sequence and have none."""
        if brief.slug not in self.position:
            return None
        i = self.position[brief.slug] + 1
        return self.latest[i] if i < len(self.latest) else None

    def newer(self, brief: Brief) -> Brief | None:
        if brief.slug not in self.position:
            return None
        i = self.position[brief.slug] - 1
        return self.latest[i] if i >= 0 else None

    def co_topics(self, key: str, limit: int = 6) -> list[tuple[Topic, int]]:
        """Topics most often published together with this one (only a topic's own page asks)."""
        return self._most_common((t.key for b in self.by_topic[key] for t in b.topics if t.key != key), self.topics, limit)

    def topic_authors(self, key: str, limit: int = 6) -> list[tuple[Author, int]]:
        return self._most_common((a.key for b in self.by_topic[key] for a in b.authors), self.authors, limit)

    def author_topics(self, key: str, limit: int = 6) -> list[tuple[Topic, int]]:
        return self._most_common((t.key for b in self.by_author[key] for t in b.topics), self.topics, limit)

    @staticmethod
    def _most_common(keys, table, limit):
        counts: dict[str, int] = {}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(table[key], n) for key, n in ranked]

    def topic_groups(self) -> list[tuple[str, list[Topic]]]:
        """Topics by group (groups in first-declared order, topics by title) for the topic index."""
        groups: dict[str, list[Topic]] = {}
        for topic in self.topics.values():
            groups.setdefault(topic.group or "Other", []).append(topic)
        return [(name, sorted(items, key=lambda t: t.title.casefold())) for name, items in groups.items()]

    def authors_by_name(self, alumni: bool) -> list[Author]:
        chosen = [a for a in self.authors.values() if a.alumni == alumni]
        return sorted(chosen, key=lambda a: (a.name.casefold(), a.key))
