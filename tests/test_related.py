"""Related briefs (issue 3): explicit `related:` first, then briefs ranked by what they share.

The built archive holds separate clusters, each with its own topics and authors, so that every
expected order follows from one property (a rarer shared topic, a shared author, nearness in
time, the slug) and can be read off the cluster by a human. Across clusters briefs share only
their type, which is not enough to be related. The last tests drive `RelatedIndex` directly on
a synthetic catalogue of 5,000 briefs to show that candidates come from bounded windows of the
indexes, never from all pairs.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest

from archive_kit import Archive, BuiltSite, resolve
from briefing_archive.catalogue import Catalogue
from briefing_archive.catalogue.model import Author, Brief, BriefType, Program, Topic
from briefing_archive.related import RelatedIndex

CLUSTER_TOPICS = ["rare-one", "common-one", "topic-two", "topic-three", "topic-four", "lonely-topic"]
CLUSTER_AUTHORS = ["s1-author", "c1-writer", "s2-author", "other-two", "s3-author", "other-three",
                   "s4-author", "other-four", "loner-author"]


def brief_url(slug: str, day: str) -> str:
    return f"/briefs/{day[:4]}/{slug}/"


BRIEFS: dict[str, dict] = {
    # Cluster 1 -- rarity: s1-rare shares a topic only 2 briefs have, s1-common one that 6 have;
    # s1-common is nearer in time (30 days after vs 40 days before), so only the rarity of the
    # shared topic puts s1-rare first. The s1-far-* share the common topic and are ever further away.
    "s1-subject": dict(date="2023-06-15", topics=["common-one", "rare-one"], authors=["s1-author"]),
    "s1-rare": dict(date="2023-05-06", topics=["rare-one"], authors=["c1-writer"]),
    "s1-common": dict(date="2023-07-15", topics=["common-one"], authors=["c1-writer"]),
    "s1-far-a": dict(date="2023-04-01", topics=["common-one"], authors=["c1-writer"]),
    "s1-far-b": dict(date="2023-02-01", topics=["common-one"], authors=["c1-writer"]),
    "s1-far-c": dict(date="2022-12-01", topics=["common-one"], authors=["c1-writer"]),
    "s1-far-d": dict(date="2022-10-01", topics=["common-one"], authors=["c1-writer"]),
    # Cluster 2 -- a shared author: s2-coauthored shares topic and author but is further away
    # than s2-topic-only, which shares the topic only.
    "s2-subject": dict(date="2021-06-15", topics=["topic-two"], authors=["s2-author"]),
    "s2-coauthored": dict(date="2021-08-14", topics=["topic-two"], authors=["s2-author"]),
    "s2-topic-only": dict(date="2021-06-25", topics=["topic-two"], authors=["other-two"]),
    # Cluster 3 -- time: the same topic, nothing else; nearer first whichever side, equal dates by slug.
    "s3-subject": dict(date="2020-06-15", topics=["topic-three"], authors=["s3-author"]),
    "s3-near": dict(date="2020-06-25", topics=["topic-three"], authors=["other-three"]),
    "s3-before": dict(date="2020-04-26", topics=["topic-three"], authors=["other-three"]),
    "s3-later": dict(date="2020-09-23", topics=["topic-three"], authors=["other-three"]),
    "s3-tie-beta": dict(date="2019-12-01", topics=["topic-three"], authors=["other-three"]),
    "s3-tie-alpha": dict(date="2019-12-01", topics=["topic-three"], authors=["other-three"]),
    # Cluster 4 -- explicit `related:` lists.
    "s4-subject": dict(date="2024-03-01", topics=["topic-four"], authors=["s4-author"],
                       related=["s1-far-d", "s4-draft", "s3-tie-beta", "s4-scored"]),
    "s4-scored": dict(date="2024-03-05", topics=["topic-four"], authors=["s4-author"]),
    "s4-also": dict(date="2024-02-20", topics=["topic-four"], authors=["other-four"]),
    "s4-many": dict(date="2024-04-01", topics=["topic-four"], authors=["other-four"],
                    related=["s3-tie-beta", "s3-tie-alpha", "s1-far-d", "s1-far-c", "s2-topic-only", "s1-rare"]),
    "s4-draft": dict(date="2024-03-02", topics=["topic-four"], authors=["s4-author"], draft=True),
    # Nothing in common with anyone (not even the type); published the same day as s1-subject.
    "loner": dict(date="2023-06-15", topics=["lonely-topic"], authors=["loner-author"], type="analysis"),
}


@pytest.fixture(scope="module")
def related_site(tmp_path_factory) -> BuiltSite:
    archive = Archive(tmp_path_factory.mktemp("related"))
    archive.topics = {key: {"title": key.replace("-", " ").title(), "group": "Issues"} for key in CLUSTER_TOPICS}
    for key in CLUSTER_AUTHORS:
        archive.author(key)
    for slug, fields in BRIEFS.items():
        archive.brief(slug, **fields)
    site = archive.build()
    assert site.ok, site.messages
    return site


def related_of(site: BuiltSite, slug: str) -> list[str]:
    url = brief_url(slug, BRIEFS[slug]["date"])
    page = site.html(url)
    found = []
    for node in page.css("[data-related]"):
        other = node.attributes["data-related"]
        link = node.css_first("a[href]")
        assert resolve(url, link.attributes["href"]) == brief_url(other, BRIEFS[other]["date"])
        found.append(other)
    return found


def test_a_rarer_shared_topic_ranks_first_and_at_most_five_are_shown(related_site: BuiltSite):
    # Six briefs qualify; the five best are shown: the rare-topic one, then by distance in time.
    assert related_of(related_site, "s1-subject") == ["s1-rare", "s1-common", "s1-far-a", "s1-far-b", "s1-far-c"]


def test_sharing_an_author_as_well_beats_sharing_the_topic_only(related_site: BuiltSite):
    assert related_of(related_site, "s2-subject") == ["s2-coauthored", "s2-topic-only"]


def test_nearness_in_time_breaks_otherwise_equal_scores_then_the_slug(related_site: BuiltSite):
    assert related_of(related_site, "s3-subject") == ["s3-near", "s3-before", "s3-later", "s3-tie-alpha", "s3-tie-beta"]


def test_explicit_related_come_first_in_their_order_without_repeats(related_site: BuiltSite):
    # s4-draft is not published, so it is not shown; s4-scored is not repeated among the scored ones.
    assert related_of(related_site, "s4-subject") == ["s1-far-d", "s3-tie-beta", "s4-scored", "s4-also", "s4-many"]


def test_explicit_related_are_cut_at_five(related_site: BuiltSite):
    assert related_of(related_site, "s4-many") == ["s3-tie-beta", "s3-tie-alpha", "s1-far-d", "s1-far-c", "s2-topic-only"]


def test_a_brief_with_nothing_in_common_has_no_related_section(related_site: BuiltSite):
    page = related_site.html(brief_url("loner", BRIEFS["loner"]["date"]))
    assert page.css("[data-related]") == []
    assert page.css(".ba-brief__related") == []


def test_related_briefs_are_deterministic_across_builds(related_site: BuiltSite, tmp_path):
    archive = Archive(tmp_path)
    archive.topics = {key: {"title": key.replace("-", " ").title(), "group": "Issues"} for key in CLUSTER_TOPICS}
    for key in CLUSTER_AUTHORS:
        archive.author(key)
    for slug, fields in reversed(BRIEFS.items()):  # written in the other order
        archive.brief(slug, **fields)
    again = archive.build()
    assert again.ok, again.messages
    for slug, fields in BRIEFS.items():
        if not fields.get("draft"):
            assert related_of(again, slug) == related_of(related_site, slug), slug


def test_unknown_related_slug_is_an_error_on_its_line(archive: Archive):
    archive.brief("target-brief", date="2023-01-05")
    text = ("---\ntitle: A Brief\ndate: 2023-06-26\ntype: policy-brief\nauthors: [min-ji-kim]\n"
            "topics: [cyber]\nrelated:\n  - target-brief\n  - target-brif\n---\nBody.\n")
    archive.write("content/briefs/2023/x.md", text)
    site = archive.build()
    assert not site.ok
    errors = [m for m in site.messages if ": error: " in m]
    assert len(errors) == 1, site.messages
    match = re.search(r"(content/briefs/2023/x\.md):(\d+): error: (.*)$", errors[0])
    assert match and int(match[2]) == 9
    assert "unknown brief 'target-brif'" in match[3] and "(did you mean 'target-brief'?)" in match[3]


# ---------------------------------------------------------------------------------------------
# The index at scale: candidates come from windows of the posting lists, never from all pairs.
# ---------------------------------------------------------------------------------------------

def synthetic_catalogue(count: int = 5000, seed: int = 7) -> Catalogue:
    rng = random.Random(seed)
    topics = {f"topic-{i}": Topic(f"topic-{i}", f"Topic {i}") for i in range(40)}
    authors = {f"author-{i}": Author(f"author-{i}", f"Author {i}", f"authors/author-{i}.md") for i in range(150)}
    types = {"policy-brief": BriefType("policy-brief", "Policy Brief", "Policy Briefs"),
             "analysis": BriefType("analysis", "Analysis", "Analyses")}
    programs = {"ccti": Program("ccti", "Center on Cyber"), "cmpp": Program("cmpp", "Center on Power")}
    topic_keys = list(topics)[1:]
    topic_weights = [1 / (rank + 1) for rank in range(len(topic_keys))]  # a few popular topics, a long tail
    briefs = {}
    start = date(2010, 1, 1)
    for i in range(count):
        day = start + timedelta(days=rng.randrange(15 * 365))
        chosen = ["topic-0"] if rng.random() < 0.6 else []  # one topic on most briefs
        chosen += rng.choices(topic_keys, topic_weights, k=rng.randint(1, 3))
        slug = f"brief-{i:05d}"
        briefs[slug] = Brief(
            slug=slug, src_uri=f"briefs/{day.year}/{slug}.md", title=f"Brief {i}", date=day,
            type=types[rng.choice(list(types))],
            authors=tuple(authors[k] for k in dict.fromkeys(rng.sample(list(authors), rng.randint(1, 3)))),
            topics=tuple(topics[k] for k in dict.fromkeys(chosen)),
            summary="", program=programs[rng.choice(list(programs))] if rng.random() < 0.7 else None,
        )
    return Catalogue(site_name="Test Institute", topics=topics, types=types, programs=programs,
                     authors=authors, briefs=briefs)


class CountingIndex(RelatedIndex):
    scored = 0

    def score(self, brief, other):
        CountingIndex.scored += 1
        return super().score(brief, other)


@pytest.fixture(scope="module")
def big() -> tuple[Catalogue, CountingIndex]:
    catalogue = synthetic_catalogue()
    return catalogue, CountingIndex(catalogue)


def test_candidates_stay_within_the_windows_of_the_indexes(big):
    catalogue, index = big
    window = index.weights.window
    assert len(catalogue.latest) == 5000
    assert "topic-0" not in index.finders  # on ~60% of briefs: it ranks, but does not find candidates
    largest = total = 0
    for brief in catalogue.latest:
        candidates = index.candidates(brief)
        finders = sum(1 for t in brief.topics if t.key in index.finders)
        assert len(candidates) <= (finders + len(brief.authors)) * (2 * window + 1), brief.slug
        assert brief not in candidates
        largest, total = max(largest, len(candidates)), total + len(candidates)
    pairs = len(catalogue.latest) * (len(catalogue.latest) - 1)
    assert largest <= 6 * (2 * window + 1) < len(catalogue.latest) // 5
    assert total < pairs // 20


def test_ranking_scores_only_candidates(big):
    catalogue, index = big
    sample = catalogue.latest[::50]
    CountingIndex.scored = 0
    bound = sum(len(index.candidates(b)) for b in sample)
    results = {b.slug: index.related(b) for b in sample}
    assert 0 < CountingIndex.scored <= bound
    for brief in sample:
        shown = results[brief.slug]
        assert len(shown) <= 5 and brief not in shown and len(set(shown)) == len(shown)
        assert set(shown) <= index.candidates(brief)
    # The same catalogue gives the same lists.
    again = RelatedIndex(catalogue)
    assert all(again.related(b) == results[b.slug] for b in sample)
