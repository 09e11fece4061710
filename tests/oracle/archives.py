"""The archives the oracle builds: each a configuration of the same small archive (tests/
test_determinism.py's `archive_files`: search on, wiki-links, a draft, aliases, non-ASCII) or the
repository's own sample site, as files by path, to be laid out in as many folders as it has paths.

Each configuration also says what any site built from it must show (`check`), so that a path
that quietly drops a hook's or a plugin's work is named as such, not only as differing bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from test_determinism import archive_files

REPO = Path(__file__).resolve().parent.parent.parent

Files = dict[str, bytes]
Site = dict[str, bytes]

# --- mkdocs.yml, edited as text (it holds `!!python/name:` tags, and stays as an editor writes it)


def _insert_after(text: str, line: str, addition: str) -> str:
    assert text.count(line) == 1, f"expected one {line!r} in mkdocs.yml"
    return text.replace(line, line + addition, 1)


def _yaml(value: object) -> str:
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()


def with_archive_options(text: str, options: dict) -> str:
    """mkdocs.yml with more options under `- briefing-archive:`."""
    lines = "".join(f"      {key}: {_yaml(value)}\n" for key, value in options.items())
    return _insert_after(text, "  - briefing-archive:\n", lines)


def with_search_options(text: str, options: dict) -> str:
    """mkdocs.yml with options under `- briefing-search` (written bare in both configurations)."""
    lines = "".join(f"\n      {key}: {_yaml(value)}" for key, value in options.items())
    bare = re.compile(r"^  - briefing-search(?:\s+#[^\n]*)?$", flags=re.M)  # a comment after it may go
    assert len(bare.findall(text)) == 1, "expected one bare `- briefing-search` in mkdocs.yml"
    return bare.sub(lambda _: "  - briefing-search:" + lines, text)


def _edit(files: Files, name: str, old: str, new: str) -> None:
    text = files[name].decode("utf-8")
    assert old in text, (name, old)
    files[name] = text.replace(old, new, 1).encode("utf-8")


def _config(files: Files, change: Callable[[str], str]) -> None:
    files["mkdocs.yml"] = change(files["mkdocs.yml"].decode("utf-8")).encode("utf-8")


def _page(site: Site, url: str) -> str:
    return site.get(url + "index.html", b"").decode("utf-8", "replace")


# --- the configurations ------------------------------------------------------------------

def base(scratch: Path) -> Files:
    return archive_files(scratch)


def sample(scratch: Path) -> Files:
    """The repository's own mkdocs.yml, content/ and site_config/."""
    files = {"mkdocs.yml": (REPO / "mkdocs.yml").read_bytes()}
    for folder in ("content", "site_config"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(REPO).as_posix()] = path.read_bytes()
    return files


HOOKED_BRIEF = "briefs/2023/echo/"  # content/briefs/2023/echo.md: also edited by the serve EDITS
ECHO_BODY = "Brief echo opens with a paragraph about allied policy."
HOOK_SENTENCE = "A sentence the on_page_markdown hook appended."
HOOKS_PY = f'''\
"""The oracle's hooks (MkDocs' `hooks:` option): each changes pages as a site's own hooks do."""

import mkdocs.plugins


@mkdocs.plugins.event_priority(-100)  # after every plugin: sees the Markdown as they left it
def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "briefs/2023/echo.md":
        return markdown + "\\n\\n{HOOK_SENTENCE}\\n"
    return markdown


def on_page_content(html, page, config, files):
    return '<div class="hooked">' + html + "</div>"


def on_post_page(output, page, config):
    marker = f'<meta name="oracle-hook" content="{{page.file.src_uri}}">\\n</head>'
    return output.replace("</head>", marker, 1)
'''


def hooks(scratch: Path) -> Files:
    files = archive_files(scratch)
    files["hooks.py"] = HOOKS_PY.encode("utf-8")
    _config(files, lambda text: text + "hooks:\n  - hooks.py\n")
    return files


def check_hooks(site: Site) -> list[str]:
    problems = []
    echo = _page(site, HOOKED_BRIEF)
    if f"<p>{ECHO_BODY}</p>" not in echo:
        problems.append(f"{HOOKED_BRIEF}: the brief's own body text ({ECHO_BODY!r}) is missing")
    if HOOK_SENTENCE not in echo:
        problems.append(f"{HOOKED_BRIEF}: the on_page_markdown hook's sentence is missing")
    if '<div class="hooked">' not in echo:
        problems.append(f"{HOOKED_BRIEF}: on_page_content's <div class=\"hooked\"> is missing")
    for name, data in site.items():  # every themed page, its own <meta> (a generated page's source is its-url/index.md)
        if not name.endswith("index.html") or b"md-header" not in data:
            continue
        found = re.findall(rb'<meta name="oracle-hook" content="([^"]*)">', data)
        folder = name.removesuffix("index.html")
        own = {folder + "index.md", folder.rstrip("/") + ".md"} if folder else {"index.md"}
        if len(found) != 1 or found[0].decode() not in own:
            problems.append(f"{name}: on_post_page's <meta> should name the page's source {sorted(own)}, not {found}")
    return problems


CHARTED_BRIEF = "briefs/2022/charlie/"
MACRO_BRIEF = "briefs/2022/bravo/"


def third_party(scratch: Path) -> Files:
    """Plugins that change pages: glightbox (images), minify (HTML), macros (Markdown as Jinja)."""
    files = archive_files(scratch)
    _edit(files, "content/briefs/2022/charlie.md", "A note.",
          "A chart:\n\n![A chart](../../authors/photos/jo-lee.png)\n\nA note.")
    _edit(files, "content/briefs/2022/bravo.md", "A note.", "It is published by {{ config.site_name }}.\n\nA note.")
    _config(files, lambda text: text + "  - glightbox\n  - minify:\n      minify_html: true\n  - macros\n")
    return files


def check_third_party(site: Site) -> list[str]:
    problems = []
    if "It is published by Test Institute." not in _page(site, MACRO_BRIEF):
        problems.append(f"{MACRO_BRIEF}: macros did not render {{{{ config.site_name }}}}")
    if not re.search(r'<a class="?glightbox', _page(site, CHARTED_BRIEF)):
        problems.append(f"{CHARTED_BRIEF}: glightbox did not wrap the image")
    if "\n  <" in _page(site, CHARTED_BRIEF):
        problems.append(f"{CHARTED_BRIEF}: minify did not minify the HTML")
    return problems


EMOJI_BRIEF = "briefs/2022/delta/"


def emoji(scratch: Path) -> Files:
    """pymdownx.emoji with mkdocs-material's documented index and generator."""
    files = archive_files(scratch)
    _edit(files, "content/briefs/2022/delta.md", "A note.", "It ends with a smile :smile:.\n\nA note.")
    _config(files, lambda text: _insert_after(text, "markdown_extensions:\n", (
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n")))
    return files


def check_emoji(site: Site) -> list[str]:
    page = _page(site, EMOJI_BRIEF)
    if not re.search(r'It ends with a smile <[^>]*class="twemoji"', page):
        return [f"{EMOJI_BRIEF}: :smile: was not rendered as material's twemoji"]
    return []


OWN_PAGE = 'data-oracle-page="{url}"'


def custom_dir(scratch: Path) -> Files:
    """A theme `custom_dir` whose `partials/nav.html` (material's, copied) shows the page's own URL
    and title: a speed-up that rendered it once for several pages would show another page's."""
    from mkdocs.utils import get_theme_dir

    files = archive_files(scratch)
    theirs = (Path(get_theme_dir("material")) / "partials/nav.html").read_text(encoding="utf-8")
    line = re.search(r"^<nav [^\n]*>\n", theirs, flags=re.M)
    assert line, "material's partials/nav.html opens with <nav ...>"
    own = '  <p class="oracle-own-page" data-oracle-page="{{ page.url }}">{{ page.title | striptags }}</p>\n'
    files["overrides/partials/nav.html"] = (theirs[:line.end()] + own + theirs[line.end():]).encode("utf-8")
    _config(files, lambda text: _insert_after(text, "theme:\n  name: material\n", "  custom_dir: overrides\n"))
    return files


def check_custom_dir(site: Site) -> list[str]:
    problems, checked = [], 0
    for name, data in site.items():
        if not name.endswith("index.html") or b"md-nav--primary" not in data:
            continue
        url = name.removesuffix("index.html")
        checked += 1
        if OWN_PAGE.format(url=url).encode() not in data:
            found = re.findall(rb'data-oracle-page="([^"]*)"', data)
            problems.append(f"{name}: the custom nav.html shows {found[:1]!r}, not its own URL {url!r}")
    if checked < 10:
        problems.append(f"only {checked} pages carry the theme's navigation")
    return problems


def check_base(site: Site) -> list[str]:
    problems = []
    for name in ("index.html", "briefs/2022/charlie/index.html", "old/alpha/index.html", "sitemap.xml",
                 "sitemap.xml.gz", "feed.xml", "api/briefs.json"):
        if name not in site:
            problems.append(f"{name} is missing")
    if "briefs/2024/hotel/index.html" in site:
        problems.append("the draft was published")
    if not any(name.startswith("pagefind/fragment/") for name in site):
        problems.append("no Pagefind fragments")
    if not any(name.endswith(".bib") for name in site) or not any(name.endswith(".ris") for name in site):
        problems.append("no citation files")
    for url, slug in (("briefs/2022/delta/", "foxtrot"), ("", "golf")):  # embedded listings (```briefs)
        if not re.search(rf'class="?ba-embedded"?[ >][\s\S]*data-brief="?{slug}\b', _page(site, url)):
            problems.append(f"{url or 'the home page'}: the embedded listing (with '{slug}') is missing")
    return problems


def check_sample(site: Site) -> list[str]:
    return [f"{name} is missing" for name in ("index.html", "sitemap.xml", "search/index.html") if name not in site] + \
        ([] if any(n.startswith("pagefind/") for n in site) else ["no Pagefind bundle"])


@dataclass(frozen=True)
class Configuration:
    name: str
    make: Callable[[Path], Files]
    checks: tuple[Callable[[Site], list[str]], ...]
    served: bool = True  # tests/test_dirty_rebuilds.py's EDITS apply to its content
    ours_only: bool = True  # no plugin or hook but the archive's (a warm build then keeps pages)

    def problems(self, site: Site) -> list[str]:
        return [problem for check in self.checks for problem in check(site)]


CONFIGURATIONS = {c.name: c for c in (
    Configuration("base", base, (check_base,)),
    Configuration("sample", sample, (check_sample,), served=False),
    Configuration("hooks", hooks, (check_base, check_hooks), ours_only=False),
    Configuration("plugins", third_party, (check_base, check_third_party), ours_only=False),
    Configuration("emoji", emoji, (check_base, check_emoji)),
    Configuration("custom-dir", custom_dir, (check_base, check_custom_dir)),
)}

# --- the strict verdict and the refused option ------------------------------------------

BROKEN_LINK_BRIEF = "content/briefs/2022/bravo.md"


def broken_link(scratch: Path) -> Files:
    files = archive_files(scratch)
    _edit(files, BROKEN_LINK_BRIEF, "A note.", "See [gone](../2099/missing.md).\n\nA note.")
    return files


def file_urls(scratch: Path) -> Files:
    files = archive_files(scratch)
    _config(files, lambda text: _insert_after(text, "docs_dir: content\n", "use_directory_urls: false\n"))
    return files


def configured(files: Files, archive: dict, search: dict | None = None) -> Files:
    """The same archive with more options under `- briefing-archive:` and `- briefing-search`."""
    def change(text: str) -> str:
        text = with_archive_options(text, archive) if archive else text
        return with_search_options(text, search) if search else text

    copy = dict(files)
    _config(copy, change)
    return copy
