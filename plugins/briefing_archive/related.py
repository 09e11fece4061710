"""Related briefs: what a reader should read next, ranked through indexes, never all pairs.

Learned from Hugo's related-content index:
- several indexes (topics, authors) with their own weights, plus smaller signals (program,
  type, nearness in time);
- a keyword's value falls with how common it is (here inverse document frequency), and very
  common topics are not used to *find* candidates at all (Hugo's cardinality threshold), so a
  topic on most briefs neither floods nor slows the ranking;
- a minimum score (threshold), so a brief with nothing in common gets no filler;
- what Hugo users complained about: identical lists for every page on a popular tag, and
  results blind to time. Here rarer shared topics dominate, and time both scores and bounds the
  search: candidates come from a window of the nearest briefs in each posting list.
Cost per brief: (topics + authors) x window, independent of the archive's size.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass

from .catalogue import Brief, Catalogue


@dataclass(frozen=True)
class RelatedWeights:
    topic: float = 1.0
    author: float = 0.6
    program: float = 0.25
    type: float = 0.1
    time: float = 0.5
    half_life_days: float = 365.0
    window: int = 40  # candidates taken either side of the brief in each posting list
    common_share: float = 0.3  # topics on more than this share of briefs don't generate candidates
    common_min_briefs: int = 100  # ...once the archive is at least this large
    threshold: float = 0.5
    limit: int = 5


class RelatedIndex:
    def __init__(self, catalogue: Catalogue, weights: RelatedWeights = RelatedWeights()):
        self.catalogue, self.weights = catalogue, weights
        total = max(1, len(catalogue.latest))
        self.topic_idf = {k: math.log(total / len(v)) + 0.1 for k, v in catalogue.by_topic.items() if v}
        self.author_idf = {k: math.log(total / len(v)) + 0.1 for k, v in catalogue.by_author.items() if v}
        self._keys_of: tuple[Brief | None, tuple[frozenset[str], frozenset[str]]] = (None, (frozenset(), frozenset()))
        self.finders = {
            k for k, v in catalogue.by_topic.items()
            if v and not (total >= weights.common_min_briefs and len(v) / total > weights.common_share)
        }

    def _window(self, postings: tuple[Brief, ...], brief: Brief) -> tuple[Brief, ...]:
        # Postings are newest first like `latest`, so the archive-wide position orders them too.
        position = self.catalogue.position
        at = bisect_left(postings, position[brief.slug], key=lambda b: position[b.slug])
        w = self.weights.window
        return postings[max(0, at - w) : at + w + 1]

    def _keys(self, brief: Brief) -> tuple[frozenset[str], frozenset[str]]:
        """The brief's topic and author keys, kept: scoring asks for them once per candidate."""
        if self._keys_of[0] is not brief:
            self._keys_of = (brief, (frozenset(t.key for t in brief.topics), frozenset(a.key for a in brief.authors)))
        return self._keys_of[1]

    def score(self, brief: Brief, other: Brief) -> tuple[float, float]:
        """(what the two share, that plus nearness in time): the first must pass the threshold."""
        w = self.weights
        topics, authors = self._keys(brief)
        score = sum(w.topic * self.topic_idf[t.key] for t in other.topics if t.key in topics)
        score += sum(w.author * self.author_idf[a.key] for a in other.authors if a.key in authors)
        if brief.program and other.program is brief.program:
            score += w.program
        if other.type is brief.type:
            score += w.type
        days = abs((brief.date - other.date).days)
        return score, score + w.time * 0.5 ** (days / w.half_life_days)

    def candidates(self, brief: Brief) -> set[Brief]:
        found: set[Brief] = set()
        for topic in brief.topics:
            if topic.key in self.finders:
                found.update(self._window(self.catalogue.by_topic[topic.key], brief))
        for author in brief.authors:
            found.update(self._window(self.catalogue.by_author[author.key], brief))
        found.discard(brief)
        return found

    def related(self, brief: Brief) -> tuple[Brief, ...]:
        """The brief's own `related:` list in its order, then the best-scoring others."""
        chosen, ranked = self.ranking(brief)
        limit = self.weights.limit
        if len(chosen) >= limit:
            return tuple(chosen[:limit])
        passing = [r[4] for r in ranked if r[3] >= self.weights.threshold]
        return tuple(chosen + passing[: limit - len(chosen)])

    def ranking(self, brief: Brief) -> tuple[list[Brief], list[tuple[float, int, int, float, Brief]]]:
        """What `related` chooses from: the brief's own `related:` briefs, and (unless those fill
        the list) every other candidate as (-score, days apart, position, shared score, candidate),
        best first, those below the threshold included (`briefs changes` reads the margins). A
        translation's are its original's (translations are not ranked among the originals)."""
        brief = self.catalogue.original(brief)
        chosen = [self.catalogue.briefs[s] for s in brief.related if s in self.catalogue.briefs]
        if len(chosen) >= self.weights.limit:
            return chosen, []
        ranked = []
        for other in self.candidates(brief):
            if other in chosen:
                continue
            shared, score = self.score(brief, other)
            ranked.append((-score, abs((brief.date - other.date).days), self.catalogue.position[other.slug], shared, other))
        ranked.sort(key=lambda r: r[:3])
        return chosen, ranked
