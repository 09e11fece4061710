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
class Program:
    key: str
    title: str
    short: str = ""
    description: str = ""

    @property
    def url(self) -> str:
        return f"programs/{self.key}/"

    @property
    def label(self) -> str:
        return self.short or self.title


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

    @property
    def url(self) -> str:
        return f"briefs/{self.date.year}/{self.slug}/"

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def sort_key(self) -> tuple[int, str]:
        """Newest first; briefs of one day in slug order, so every listing is deterministic."""
        return (-self.date.toordinal(), self.slug)


@dataclass
class Catalogue:
    """Every brief, author and vocabulary entry of one archive, with the indexes listings need."""

    site_name: str
    topics: dict[str, Topic]
    types: dict[str, BriefType]
    programs: dict[str, Program]
    authors: dict[str, Author]
    briefs: dict[str, Brief]  # slug -> brief, drafts included only when drafts are shown
    links_to: dict[str, frozenset[str]] = field(default_factory=dict)  # slug -> slugs its body links to
    backlinks: dict[str, tuple[Brief, ...]] = field(default_factory=dict)  # slug -> briefs linking to it
    latest: tuple[Brief, ...] = ()  # newest first
    by_topic: dict[str, tuple[Brief, ...]] = field(default_factory=dict)
    by_author: dict[str, tuple[Brief, ...]] = field(default_factory=dict)
    by_type: dict[str, tuple[Brief, ...]] = field(default_factory=dict)
    by_program: dict[str, tuple[Brief, ...]] = field(default_factory=dict)
    by_year: dict[int, tuple[Brief, ...]] = field(default_factory=dict)
    by_src_uri: dict[str, Brief] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)  # slug -> index in `latest` (0 = newest)
    last_change: date | None = None  # the newest `date` or `updated` of any brief

    def __post_init__(self) -> None:
        self.latest = tuple(sorted(self.briefs.values(), key=lambda b: b.sort_key))
        self.position = {brief.slug: i for i, brief in enumerate(self.latest)}
        self.last_change = max((b.updated or b.date for b in self.latest), default=None)
        self.by_src_uri = {brief.src_uri: brief for brief in self.latest}
        topics: dict[str, list[Brief]] = {key: [] for key in self.topics}
        authors: dict[str, list[Brief]] = {key: [] for key in self.authors}
        types: dict[str, list[Brief]] = {key: [] for key in self.types}
        programs: dict[str, list[Brief]] = {key: [] for key in self.programs}
        years: dict[int, list[Brief]] = {}
        for brief in self.latest:
            for topic in brief.topics:
                topics[topic.key].append(brief)
            for author in brief.authors:
                authors[author.key].append(brief)
            types[brief.type.key].append(brief)
            if brief.program:
                programs[brief.program.key].append(brief)
            years.setdefault(brief.year, []).append(brief)
        self.by_topic = {k: tuple(v) for k, v in topics.items()}
        self.by_author = {k: tuple(v) for k, v in authors.items()}
        self.by_type = {k: tuple(v) for k, v in types.items()}
        self.by_program = {k: tuple(v) for k, v in programs.items()}
        self.by_year = {k: tuple(v) for k, v in sorted(years.items(), reverse=True)}
        linked_from: dict[str, list[Brief]] = {}
        for brief in self.latest:
            for target in sorted(self.links_to.get(brief.slug, ())):
                if target in self.briefs:
                    linked_from.setdefault(target, []).append(brief)
        self.backlinks = {k: tuple(v) for k, v in linked_from.items()}

    def older(self, brief: Brief) -> Brief | None:
        """The brief published just before this one (the previous one in time)."""
        i = self.position[brief.slug] + 1
        return self.latest[i] if i < len(self.latest) else None

    def newer(self, brief: Brief) -> Brief | None:
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
