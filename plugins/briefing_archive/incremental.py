"""What a rebuild under `mkdocs serve --dirty` must build again, and nothing more.

MkDocs' dirty rebuild renders a page again only when its source file is newer than its output.
That misses what an archive page shows from *other* briefs (a retitled brief appears on its
topic's listing, its neighbours, the briefs that rank it related or link to it). So every
page gets a fingerprint of everything it shows; a page whose fingerprint changed is built
again (the glue makes MkDocs see it as modified), the rest are left as they are.

- A brief's digest covers every field of it a page can show (the whole `Brief`, authors,
  topics and derived summary included).
- A page's fingerprint follows from its view (pages.py), the one object its template is handed:
  every field of the view, walked generically (a brief by its digest, a listing by every brief
  in it: listings show figures drawn from all of them), so a view that gains a field the
  template shows is fingerprinted with it; a field of a kind this walk does not know stops the
  build rather than being left out. A brief page also covers the briefs its body links to
  (whose titles its wiki-links show).
- Index pages (home, topics, archive, …) and any page whose template read the whole catalogue
  in the last build (a custom_dir template may): every brief.
- A page with embedded listings (```briefs blocks, catalogue/embedded.py; an editorial page too,
  which has no view): the briefs each block selects now and the listing it links, so a page is
  built again when a brief it lists changes or a new one takes a place in it.
- Everything else a page shows (configuration, vocabularies, authors, templates) goes into one
  site-wide digest: when it changes, every page is built again.

Related briefs are ranked from a few fields of every brief; the ranking of each brief is kept
from build to build and thrown away as soon as any of those fields changes anywhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Callable, Mapping

from .catalogue import Author, Brief, BriefType, Catalogue, Program, Series, Topic
from .catalogue.embedded import EmbeddedPage
from .pages import BriefPage, Listing, View
from .related import RelatedIndex


def digest(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def ranking_inputs(catalogue: Catalogue) -> str:
    """A digest of every field the related ranking reads, of every brief."""
    return digest(*(repr((b.slug, b.date, tuple(t.key for t in b.topics), tuple(a.key for a in b.authors),
                          b.program.key if b.program else None, b.type.key, b.related))
                    for b in catalogue.latest))


class RememberedRelated:
    """A RelatedIndex whose rankings outlive one build while the ranking inputs do not change."""

    def __init__(self) -> None:
        self.inputs = ""
        self.ranked: dict[str, tuple[str, ...]] = {}

    def record(self) -> dict:
        return {"inputs": self.inputs, "ranked": self.ranked}

    def resume(self, record: dict) -> None:
        """The rankings a finished build in another process left (kept while its inputs hold)."""
        self.inputs, self.ranked = record["inputs"], {slug: tuple(found) for slug, found in record["ranked"].items()}

    def index_for(self, catalogue: Catalogue) -> "RememberedRelated.Index":
        inputs = ranking_inputs(catalogue)
        if inputs != self.inputs:
            self.inputs, self.ranked = inputs, {}
        return RememberedRelated.Index(catalogue, self.ranked)

    class Index(RelatedIndex):
        def __init__(self, catalogue: Catalogue, ranked: dict[str, tuple[str, ...]]):
            super().__init__(catalogue)
            self.ranked = ranked

        def related(self, brief: Brief) -> tuple[Brief, ...]:
            slugs = self.ranked.get(brief.slug)
            if slugs is None:
                found = super().related(brief)
                self.ranked[brief.slug] = tuple(b.slug for b in found)
                return found
            return tuple(self.catalogue.briefs[slug] for slug in slugs)


class BriefDigests:
    """Each brief's digest, kept while the brief is the same object: the catalogue's loader hands
    an unchanged brief over as the object it made before (briefs are immutable)."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[Brief, str]] = {}

    def of(self, catalogue: Catalogue) -> dict[str, str]:
        kept = {}
        for slug, brief in catalogue.briefs.items():
            before = self.kept.get(slug)
            kept[slug] = before if before is not None and before[0] is brief else (brief, digest(repr(brief)))
        self.kept = kept
        return {slug: brief_digest for slug, (_brief, brief_digest) in kept.items()}


class _ViewDigests:
    """A view's fields as digests: briefs by their digest, listings by every brief in them (each
    listing once, however many pages it has), vocabulary entries and authors by key (their
    content is in the site-wide digest)."""

    def __init__(self, briefs: dict[str, str]) -> None:
        self.briefs = briefs
        self.listings: dict[int, str] = {}

    def of_view(self, view: object) -> list[str]:
        parts = [type(view).__name__]
        shown_as = getattr(view, "SHOWN_AS", {})
        for field in dataclasses.fields(view):
            name = shown_as.get(field.name, field.name)
            parts += [name, *self.of_value(getattr(view, name))]
        return parts

    def of_value(self, value: object) -> list[str]:
        if value is None:
            return ["-"]
        if isinstance(value, Brief):
            return [self.briefs[value.slug]]
        if isinstance(value, (str, int)):
            return [str(value)]
        if isinstance(value, (Topic, Author, BriefType, Program, Series)):
            return [value.key]
        if isinstance(value, Listing):
            if id(value) not in self.listings:
                self.listings[id(value)] = digest(*self.of_view(value))
            return [self.listings[id(value)]]
        if isinstance(value, (tuple, list)):
            return [part for item in value for part in self.of_value(item)] + [str(len(value))]
        raise TypeError(f"a page's view shows a {type(value).__name__}, which page fingerprints do not cover: "
                        "say in incremental.py how it is fingerprinted")


def page_fingerprints(plan: dict[str, View], catalogue: Catalogue, site_wide: str, briefs: dict[str, str],
                      read_catalogue: frozenset[str] = frozenset(),
                      embedded: Mapping[str, EmbeddedPage] = {}) -> dict[str, str]:
    """Every planned page's fingerprint, and every page's with embedded listings, by src_uri;
    `briefs` are the briefs' digests; `read_catalogue`: the pages whose template read the whole
    catalogue in the last build; `embedded`: the pages with ```briefs blocks."""
    everything = digest(site_wide, *(briefs[b.slug] for b in catalogue.every))
    views = _ViewDigests(briefs)
    fingerprints = {}
    for src_uri, view in plan.items():
        if getattr(view, "SHOWS_EVERY_BRIEF", False):
            fingerprints[src_uri] = digest(everything, *views.of_view(view))
            continue
        parts = [site_wide, *views.of_view(view)]
        if isinstance(view, BriefPage):
            parts += ["links", *(briefs.get(slug, slug) for slug in sorted(catalogue.links_to.get(view.brief.slug, ())))]
        if src_uri in read_catalogue:
            parts.append(everything)
        fingerprints[src_uri] = digest(*parts)
    urls = frozenset(view.url for view in plan.values()) if embedded else frozenset()
    for src_uri, page in embedded.items():
        parts = [fingerprints.get(src_uri) or digest(site_wide, everything if src_uri in read_catalogue else "")]
        for query in page.queries:
            more = query.full_listing(catalogue, urls.__contains__) if query else None
            parts += ["embedded", repr(query), repr(more), *(briefs[b.slug] for b in query.select(catalogue))] if query else ["-"]
        fingerprints[src_uri] = digest(*parts)
    return fingerprints


class StubFiles:
    """Files standing in for generated ones under a dirty rebuild: each is written only when its
    text changes, so its modification time tells MkDocs whether to build or copy it again."""

    def __init__(self, folder: Path):
        self.folder, self.prefix = folder, str(folder) + "/"
        self.written: dict[str, str] = {}

    def path(self, src_uri: str, text: str) -> str:
        if self.written.get(src_uri) != text:
            path = self.folder / src_uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.written[src_uri] = text
        return self.prefix + src_uri


class Remembered:
    """Outputs (feeds, citation files, the JSON API) kept from build to build by a key of
    everything they are made from; what a build does not ask for is forgotten."""

    def __init__(self) -> None:
        self.kept: dict[tuple, str] = {}
        self.used: dict[tuple, str] = {}

    def get(self, key: tuple, make: Callable[[], str]) -> str:
        text = self.kept.get(key)
        if text is None:
            text = make()
        self.used[key] = text
        return text

    def finished(self) -> None:
        self.kept, self.used = self.used, {}
