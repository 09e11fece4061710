"""The Pagefind index in parts: each part a run of years, indexed by its own Pagefind run.

Pagefind 1.5 holds everything it indexes in memory until it writes the bundle, about 0.3 MB per
brief page of 800 words (3 GB at 10,000 briefs, whatever the page's HTML size or thread count).
Indexing at most `limit` briefs per run bounds that. The search page merges the parts in the
browser (Pagefind's `mergeIndex`); because each part is a run of years, newest first, a search
ordered by date is the parts' own ordered results, one part after the other.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

# content/briefs/<YYYY>/<slug>.md is published at briefs/<YYYY>/<slug>/ (SPEC: content layout, URLs).
_BRIEF_SOURCE = re.compile(r"briefs/(\d{4})/[^/]+\.md")


@dataclass(frozen=True)
class IndexPart:
    bundle: str  # folder under site_dir that this part's Pagefind run writes
    years: tuple[str, ...]  # newest first; empty when a single part holds every year

    @property
    def glob(self) -> str:
        """The brief pages of this part, as Pagefind's `--glob` (relative to the site folder)."""
        if not self.years:
            return "briefs/*/*/index.html"
        years = self.years[0] if len(self.years) == 1 else "{" + ",".join(self.years) + "}"
        return f"briefs/{years}/*/index.html"


def briefs_per_year(src_uris: Iterable[str]) -> Counter[str]:
    """How many brief sources each year folder holds (drafts included: a bound, not a count)."""
    return Counter(match[1] for uri in src_uris if (match := _BRIEF_SOURCE.fullmatch(uri)))


def plan_parts(per_year: Mapping[str, int], limit: int, bundle_dir: str) -> list[IndexPart]:
    """Years, newest first, grouped greedily into parts of at most `limit` briefs (a year is never
    split, so a year with more briefs than `limit` is a part of its own). The first part is
    written to `bundle_dir`, the next ones to `bundle_dir/part-2`, `part-3`, ... `limit` 0: one part."""
    bundle_dir = bundle_dir.strip("/")
    if limit <= 0 or sum(per_year.values()) <= limit:
        return [IndexPart(bundle_dir, ())]
    groups: list[list[str]] = []
    filled = 0
    for year in sorted(per_year, reverse=True):
        if not groups or filled + per_year[year] > limit:
            groups.append([])
            filled = 0
        groups[-1].append(year)
        filled += per_year[year]
    return [IndexPart(bundle_dir if number == 1 else f"{bundle_dir}/part-{number}", tuple(years))
            for number, years in enumerate(groups, start=1)]
