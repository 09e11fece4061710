"""The plugin's state, declared in one place for each lifetime.

- `ServeState`: what one `mkdocs serve` keeps from build to build (MkDocs keeps a plugin that
  has `on_startup`): what earlier loads read and checked, the briefs' git history as of a
  commit, and under `--dirty` what the last build wrote and the fingerprints that decide what to
  build again. None for `mkdocs build`.
- `BuildState`: what one build knows, made in `on_config` and dropped when the next begins.
  Fields filled by a later event say which one.

The three modes read apart: `mkdocs build` (no ServeState; with speed-ups, rebuilds of its own and a
WarmState that carries them to the next build), `mkdocs serve` (a ServeState with no rebuilds),
`mkdocs serve --dirty` (a ServeState with rebuilds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import Environment
from mkdocs.structure.nav import Navigation

from ..catalogue import Catalogue, LoadedArchive, LoadMemo
from ..catalogue.embedded import Query
from ..catalogue.history import History
from ..outputs.citation_cache import CitationCache
from ..engine import internals
from ..outputs.share_cards import CardCache, ShareCard
from ..pages import View
from ..progress import Step
from ..site_mirror import WarmState
from .archive_pages import BodyRenders, WarningCount
from .body_workers import BodyWorkers
from .dirty_rebuilds import DirtyRebuilds
from .page_workers import PageWorkers


@dataclass
class ServeState:
    load_memo: LoadMemo = field(default_factory=LoadMemo)
    rebuilds: DirtyRebuilds | None = None  # under `--dirty`
    citations: CitationCache | None = None  # formatted references, kept from the first build on
    cards: CardCache | None = None  # the drawn share cards the folder holds, from the first build on
    history: History | None = None  # read again only when the checked-out commit changes


@dataclass
class BuildState:
    speed_ups: bool  # false: the plain path, every speed-up off (the oracle the tests hold the others to)
    rebuilds: DirtyRebuilds | None  # the serve's, under `serve --dirty` with speed-ups on
    loaded: LoadedArchive
    plan: dict[str, View]  # src_uri -> the view of every page the archive generates or shapes
    unpublished: set[str]  # src_uris of briefs left out of the site (drafts, scheduled, their translations)
    rebuilding: bool  # a `serve --dirty` rebuild after a first build
    warm: WarmState | None  # a `build` that keeps what it writes for the next (site_mirror.py)
    warm_record: dict | None  # what the last such build left, if it can be trusted
    warnings: WarningCount = field(default_factory=WarningCount)
    kept_notice: internals.EmptyPageNotice = field(default_factory=internals.EmptyPageNotice)  # pages a warm build keeps
    page_workers: PageWorkers = field(default_factory=PageWorkers)
    body_workers: BodyWorkers = field(default_factory=BodyWorkers)
    # src_uri -> (HTML in, HTML out) of the sanitizer, for bodies a body worker of this build sanitized
    sanitized: dict[str, tuple[str, str]] = field(default_factory=dict)
    bodies: BodyRenders | None = None  # on_files: the render cache, once the Markdown settings are final
    citations: CitationCache | None = None  # on_files: every brief's formatted references
    cards: CardCache | None = None  # on_files: the drawn share cards, when there are any
    share_cards: dict[str, ShareCard] = field(default_factory=dict)  # on_files: src_uri -> the page's card
    # on_files: (where in the site, the kept card or None) of each card to link there, once checked
    card_places: list[tuple[str, str | None]] = field(default_factory=list)
    generated_pages: set[str] = field(default_factory=set)  # on_files: src_uris of the pages added
    nav: Navigation | None = None  # on_nav
    workers: int = 1  # on_nav: processes building pages, this one included
    # on_page_markdown: src_uri -> (placeholder, query) of each ```briefs block of the page, in order
    embedded: dict[str, list[tuple[str, Query]]] = field(default_factory=dict)
    env: Environment | None = None  # on_env: the theme's Jinja environment, which renders embedded listings
    # How far the two long steps over every page are (progress.py), but under a `serve` rebuild:
    # on_nav: the Markdown rendered (on_page_content), on_env: the pages built (on_post_page).
    rendering: Step | None = None
    building: Step | None = None
    pages_rendered: int = 0
    pages_built: int = 0  # by this process; the page workers count theirs
    urls: frozenset[str] | None = None  # the planned pages' URLs, once an embedded listing asks

    @property
    def catalogue(self) -> Catalogue:
        return self.loaded.catalogue
