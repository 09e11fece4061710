"""No broken links: the repository's sample site is built once and every internal link checked.

Every HTML file is parsed; every URL-bearing attribute (`href` of <a>, <link>, <area>; `src` of
<img>, <script>, <iframe>, <source>, <audio>, <video>, <track>, <embed>; `srcset`; `poster`;
`data` of <object>; `action` of <form>; the URL of a `<meta http-equiv="refresh">`; the Pagefind
bundle the search page loads, `data-bs-bundle`) and every
`url(...)` of the site's stylesheets must resolve to a file under site/: a directory URL to its
index.html, with any #fragment and ?query stripped; so must every `sourceMappingURL` of a script or
stylesheet. Other sites, mailto:, tel:, javascript: and
data: URLs are not checked. Feeds (every attribute and text that is an address on the site), the
sitemap and the JSON API (every string that starts with the site's URL) are checked the same way.
A test fails listing every miss, not just the first.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from posixpath import normpath
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

REPO = Path(__file__).resolve().parent.parent
SITE_URL = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
BASE = "http://site.invalid/"  # a stand-in origin to resolve relative links against

URL_ATTRIBUTES = {
    "href": ("a", "link", "area", "base"),
    "src": ("img", "script", "iframe", "source", "audio", "video", "track", "embed", "input"),
    "poster": ("video",),
    "data": ("object",),
    "action": ("form",),
}
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]+))\s*\)""")
_SOURCE_MAP = re.compile(r"[#@] sourceMappingURL=(\S+?)(?:\s*\*/)?\s*$", re.M)
_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.I)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("links") / "site"
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("BRIEFS_DRAFTS", None)
    result = subprocess.run([*command, "build", "--quiet", "-f", str(REPO / "mkdocs.yml"), "-d", str(out)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return out


def target_file(site: Path, page: str, url: str) -> Path | None:
    """The file a link on the site file `page` (posix, relative to site/) points to; None if external."""
    url = url.strip()
    if not url or url.startswith("#") or _EXTERNAL.match(url):
        return None
    joined = urljoin(BASE + page, url)
    path = unquote(urlsplit(joined).path)
    normalised = normpath(path).lstrip("/")  # path is site-rooted: `..` cannot climb above site/
    file = site / normalised
    return file / "index.html" if path.endswith("/") or file.is_dir() else file


def site_url_file(site: Path, url: str) -> Path | None:
    """The file an absolute address on this site points to; None if it is another site's."""
    if not url.startswith(SITE_URL):
        return None
    return target_file(site, "", "/" + url[len(SITE_URL):])


def html_links(page: LexborHTMLParser) -> list[tuple[str, str]]:
    """(what, url) of every URL-bearing attribute on a page."""
    found: list[tuple[str, str]] = []
    for attribute, tags in URL_ATTRIBUTES.items():
        for tag in tags:
            for node in page.css(f"{tag}[{attribute}]"):
                found.append((f"<{tag} {attribute}>", node.attributes.get(attribute) or ""))
    for node in page.css("[srcset]"):
        for candidate in (node.attributes.get("srcset") or "").split(","):
            if candidate.strip():
                found.append((f"<{node.tag} srcset>", candidate.strip().split()[0]))
    for node in page.css("[data-bs-bundle]"):  # the search page loads Pagefind from this folder
        found.append(("<data-bs-bundle>", (node.attributes.get("data-bs-bundle") or "") + "pagefind.js"))
    for node in page.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").lower() == "refresh":
            match = _REFRESH.search(node.attributes.get("content") or "")
            assert match, f"a refresh without a URL: {node.html}"
            found.append(("<meta refresh>", match.group(1).strip()))
    return found


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, LexborHTMLParser]:
    return {p.relative_to(site).as_posix(): LexborHTMLParser(p.read_text(encoding="utf-8"))
            for p in sorted(site.rglob("*.html"))}


def test_every_internal_link_of_every_html_page_resolves_to_a_file(site: Path, pages: dict[str, LexborHTMLParser]):
    misses, checked, external = [], 0, 0
    for name, page in pages.items():
        base = page.css_first("base[href]")
        base_name = name
        if base is not None:  # a <base> changes what relative links resolve against
            base_file = target_file(site, name, base.attributes["href"])
            base_name = base_file.relative_to(site).as_posix() if base_file else name
        for what, url in html_links(page):
            file = target_file(site, name if what == "<base href>" else base_name, url)
            if file is None:
                external += 1
                continue
            checked += 1
            if not file.is_file():
                misses.append(f"{name}: {what} {url!r} -> {file.relative_to(site).as_posix()} is missing")
    print(f"\n{len(pages)} HTML pages, {checked} internal links checked, {external} external/anchor links skipped")
    assert len(pages) > 60 and checked > 1000  # the sample site: a floor, so a checker that sees nothing fails
    assert misses == [], f"{len(misses)} broken links:\n" + "\n".join(misses)


def test_every_stylesheet_url_resolves(site: Path):
    misses, checked, seen = [], 0, 0
    for css in sorted(site.rglob("*.css")):
        name = css.relative_to(site).as_posix()
        for groups in _CSS_URL.findall(css.read_text(encoding="utf-8")):
            url = next(g for g in groups if g) if any(groups) else ""
            seen += 1
            file = target_file(site, name, url)
            if file is None:  # data: URIs (the theme's icons) and other sites
                continue
            checked += 1
            if not file.is_file():
                misses.append(f"{name}: url({url}) is missing")
    print(f"\n{seen} stylesheet url()s seen, {checked} of them files of the site, checked")
    assert seen > 0, "the stylesheets were read"
    assert misses == [], "\n".join(misses)


def test_every_source_map_named_by_a_script_or_stylesheet_exists(site: Path):
    misses, checked = [], 0
    for file in sorted([*site.rglob("*.css"), *site.rglob("*.js")]):
        name = file.relative_to(site).as_posix()
        for url in _SOURCE_MAP.findall(file.read_text(encoding="utf-8", errors="replace")):
            target = target_file(site, name, url)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                misses.append(f"{name}: sourceMappingURL={url} is missing")
    print(f"\n{checked} source maps checked")
    assert misses == [], "\n".join(misses)


def _xml_addresses(tree: etree._ElementTree) -> list[str]:
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        found += [value for value in element.attrib.values() if value.startswith(SITE_URL)]
        text = (element.text or "").strip()
        if text.startswith(SITE_URL):
            found.append(text)
    return found


def test_every_feed_and_sitemap_address_on_the_site_resolves(site: Path):
    files = sorted(site.rglob("feed.xml")) + [site / "sitemap.xml"]
    assert len(files) > 10
    misses, checked = [], 0
    for file in files:
        name = file.relative_to(site).as_posix()
        addresses = _xml_addresses(etree.parse(str(file)))
        assert addresses, f"{name} names no address on the site"
        for address in addresses:
            target = site_url_file(site, address)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                misses.append(f"{name}: {address} is missing")
    print(f"\n{len(files)} feeds and sitemaps, {checked} addresses checked")
    assert misses == [], "\n".join(misses)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_every_json_api_address_resolves(site: Path):
    files = sorted((site / "api").glob("*.json"))
    assert {f.name for f in files} >= {"briefs.json"}
    misses, checked = [], 0
    for file in files:
        for address in _strings(json.loads(file.read_text(encoding="utf-8"))):
            target = site_url_file(site, address)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                misses.append(f"api/{file.name}: {address} is missing")
    print(f"\n{len(files)} API files, {checked} addresses checked")
    assert checked > 50
    assert misses == [], "\n".join(misses)


def test_the_checker_sees_a_broken_link(tmp_path: Path):
    """The checker itself: a missing page, a missing asset and a bad srcset are all found."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("ok", encoding="utf-8")
    (tmp_path / "x.png").write_bytes(b"")
    page = LexborHTMLParser(
        '<a href="../a/#top">ok</a><a href="../b/">missing</a><img src="../x.png?v=1" srcset="../x.png 1x, ../y.png 2x">'
        '<a href="mailto:a@b.example">m</a><a href="https://elsewhere.example/">e</a>'
        '<meta http-equiv="refresh" content="0; url=../a/">')
    links = html_links(page)
    resolved = {url: target_file(tmp_path, "p/index.html", url) for _, url in links}
    missing = sorted(url for url, f in resolved.items() if f is not None and not f.is_file())
    assert missing == ["../b/", "../y.png"]
    assert resolved["mailto:a@b.example"] is None and resolved["https://elsewhere.example/"] is None
    assert ("<meta refresh>", "../a/") in links
