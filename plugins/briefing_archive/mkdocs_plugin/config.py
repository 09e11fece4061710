"""Options of the `briefing-archive` plugin (set under `plugins:` in mkdocs.yml)."""

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..catalogue.read_cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from ..site_settings import SETTING_DEFAULTS


class ArchiveConfig(base.Config):
    vocabularies = c.Type(str, default="site_config")
    """Folder of topics.yml, types.yml and programs.yml, relative to mkdocs.yml."""

    page_size = c.Type(int, default=SETTING_DEFAULTS["page_size"])
    """Briefs per page of every listing (topic, author, type, program, year, latest)."""

    home_latest = c.Type(int, default=SETTING_DEFAULTS["home_latest"])
    """Briefs shown on the home page: one lead and the rest in a grid."""

    feed_size = c.Type(int, default=SETTING_DEFAULTS["feed_size"])
    """Entries in each Atom feed, newest first."""

    share_cards = c.Type(bool, default=True)
    """Draw a share card (a 1200×630 Open Graph image) for each brief, topic, author and series page
    and the home page. Needs the Noto CJK fonts (Debian: fonts-noto-cjk); without them, one line says so."""

    share_image = c.Type(str, default="")
    """Image (path under the docs dir) shown when a page without a share card is shared on social media."""

    drafts = c.Type(bool, default=False)
    """Build drafts too, marked as drafts. The environment variable BRIEFS_DRAFTS=1 does the same."""

    cache_dir = c.Type(str, default=DEFAULT_CACHE_DIR)
    """Where rendered brief bodies, and what reading each brief found, are kept between builds
    (relative to mkdocs.yml); "" turns it off. `briefs check` keeps its reads in the default one."""

    embed_hosts = c.ListOfItems(c.Type(str), default=[])
    """Hosts whose <iframe> embeds may appear in briefs (e.g. www.youtube-nocookie.com)."""

    speed_ups = c.Type(bool, default=True)
    """false: the plain path, every speed-up off (one process, no caches, no shared partials, pages
    read and rendered by MkDocs itself). Slower; the tests hold every speed-up to its output."""

    build_workers = c.Type(int, default=0)
    """Processes that build pages, this one included: 0 picks the number of cores for large
    archives (only with plugins known to keep no state between pages); 1 turns workers off."""
