"""Options of the `briefing-search` plugin (set under `plugins:` in mkdocs.yml)."""

from mkdocs.config import base
from mkdocs.config import config_options as c


class SearchConfig(base.Config):
    page = c.Type(str, default="search/index.md")
    """Source path of the search page (generated unless the docs dir has one)."""

    bundle_dir = c.Type(str, default="pagefind")
    """Folder under site_dir that Pagefind writes its index and scripts into."""

    index = c.Type(bool, default=True)
    """Run Pagefind after the build. Without an index the search page finds nothing."""

    header_form = c.Type(bool, default=True)
    """Put a search box in the header of every page (it submits to the search page)."""

    page_size = c.Type(int, default=10)
    """Results shown at once on the search page; a button loads the next ones."""

    briefs_per_index = c.Type(int, default=4000)
    """Index at most this many briefs in one Pagefind run (whole years at a time): Pagefind holds
    about 0.3 MB a brief in memory while indexing. Search merges the parts. 0: always one run."""

    cache_dir = c.Type(str, default=".cache/briefing-search")
    """Folder (relative to mkdocs.yml) where each part's Pagefind bundle is kept, so that a build
    runs Pagefind only over the parts whose brief pages changed. Empty: run Pagefind every time."""
