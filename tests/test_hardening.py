"""Hostile content: whatever an editor writes, no script runs and nothing leaves the site.

One archive is built whose every editor-controlled field holds a hostile payload: each payload of
FIELD_PAYLOADS is at once a brief's title, summary and body; an author's name, role, bio, a link
label and a link address (inside its query); a topic's title, description and group; a type's
title and plural; a program's title, short name and description. BODY_PAYLOADS (Markdown and raw
HTML tricks: `javascript:` links in every spelling, event handlers, SVG/MathML, forms, embeds,
<base>, <meta refresh>, styles, mXSS shapes, iframes from hosts allow-listed or not) go into one
brief's body and one author's bio. Then the whole output is read back parsed:

- every HTML file (briefs, authors, topics, types, programs, listings and their cards, home,
  index pages, the search page, redirects) by an HTML5 parser: no script but the theme's and ours,
  no event-handler attribute, no `javascript:`/`vbscript:`/`data:` URL (data images aside), no
  <style> and no style attribute but our own bar widths and table alignment, no form but the
  search forms, no object/embed/base/foreign iframe, no meta refresh but on redirect pages;
- the same fields read back as text, exactly as written, on every surface that shows them;
- feeds (XML, text constructs only), the JSON API and JSON-LD (exactly one ld+json script per
  brief; json.loads round-trips; `</script>` cannot break out), citation files (RIS and BibTeX
  keep their structure; an XML-illegal control character in a title no longer breaks a feed), and
  Pagefind's records (the excerpts the search page shows as HTML cannot carry markup).

Markdown that must survive sanitizing (tables with alignment, footnotes, admonitions, figures,
details, heading anchors) is checked to be there. Paths: photos, aliases, links and file names
that would read or write outside site/ or the repository, symbolic links out of content/, files
MkDocs would publish unsanitized, and case-only collisions are each an error at their line, with
nothing written anywhere. Malformed files not covered by test_content_errors.py (tabs, control
characters, other encodings, YAML bombs and deep nesting, Python tags) are errors at their line. The render cache (kept between builds) cannot smuggle unsanitized HTML.
`test_summary_of_what_was_tried` prints the counts.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
from pathlib import Path

import pytest
import yaml
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from archive_kit import MKDOCS_YML, Archive, BuiltSite, build_site
from briefing_archive.catalogue import ArchivePaths, load_archive

SITE_URL = "https://briefs.test.example/"
ALLOWED_EMBED = "www.youtube-nocookie.com"
MARK = "pwn"  # every payload calls or names it; it must never reach a script or an attribute that runs

FIELD_PAYLOADS = [
    "<script>pwn(1)</script>",
    "</script><script>pwn(2)</script>",
    "<img src=x onerror=pwn(3)>",
    "<svg onload=pwn(4)>",
    '"><svg onload=pwn(5)>',
    "'><svg onload=pwn(6)>",
    '<a href="javascript:pwn(7)">x</a>',
    '<a href="data:text/html,<script>pwn(8)</script>">d</a>',
    '<iframe src="https://evil.example/pwn9"></iframe>',
    "<style>body{background:url(pwn10)}</style>",
    '<form action="https://evil.example/pwn11"><input name=p></form>',
    '<object data="pwn12.swf"></object><embed src="pwn12.swf">',
    "<!--<script>pwn(13)</script>-->",
    "]]></title><script>pwn(14)</script><![CDATA[",
    "&lt;script&gt;pwn(15)&lt;/script&gt; &amp; &#60;b&#62;",
    "{{ pwn16 }}{% if true %}pwn16{% endif %}${pwn16}",
    "<math><mtext><table><mglyph><style><img src=x onerror=pwn(17)>",
    '<noscript><p title="</noscript><img src=x onerror=pwn(18)>">',
    '<base href="https://evil.example/pwn19/">',
    '<meta http-equiv="refresh" content="0;url=javascript:pwn(20)">',
    "[x](javascript:pwn(21)) **bold** _em_ `code` [[b-0]]",
    '"}]}</script><script>pwn(22)</script><!--',
    "pwn23 \u2028 \u2029 </ScRiPt > \u0085 \u200b\ufeff",
    '<a href="&#106;avascript:pwn(24)">x</a>',
    "pwn25\nER  - \nTY  - JOUR\r\nAU  - Mallory",
    "pwn26}, author = {Mallory}, title = {",
    "pwn27 control \x01\x07\x1b\x7f chars",
    "Ünïcødé 김민지 العربية pwn28 🙂 \u202eRTL",
]

BODY_PAYLOADS = [
    "[md link](javascript:pwn(101))",
    "[md link upper](JaVaScRiPt:pwn(102))",
    "[md link angle](<javascript:pwn(103)>)",
    "![md image](javascript:pwn(104))",
    "[ref link][evil]\n\n[evil]: javascript:pwn(105)",
    '<a href="jav&#x09;ascript:pwn(106)">tab entity</a>',
    '<a href=" &#14;javascript:pwn(107)">control char</a>',
    '<a href="vbscript:pwn(108)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5wd24oMTA5KTwvc2NyaXB0Pg==">data link</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9cHduKDExMCk+" alt="svg data">',
    '<img src="x" onerror="pwn(111)">',
    '<svg onload="pwn(112)"><circle r="1"/></svg>',
    "<svg><script>pwn(113)</script></svg>",
    '<svg><a xlink:href="javascript:pwn(114)"><text>t</text></a></svg>',
    '<math><a href="javascript:pwn(115)">m</a></math>',
    '<details open ontoggle="pwn(116)"><summary>s</summary>d</details>',
    '<p style="background:url(javascript:pwn(117))">styled</p>',
    '<div style="position:fixed;inset:0">overlay pwn118</div>',
    'A paragraph with attributes pwn119.\n{: onclick="pwn(119)" style="color:red" }',
    '<iframe src="https://evil.example/pwn120"></iframe>',
    '<iframe src="http://www.youtube-nocookie.com/embed/pwn121"></iframe>',
    '<iframe src="https://www.youtube-nocookie.com.evil.example/pwn122"></iframe>',
    '<iframe src="https://evil.example/pwn123#www.youtube-nocookie.com"></iframe>',
    '<iframe srcdoc="<script>pwn(124)</script>"></iframe>',
    '<iframe src="https://www.youtube-nocookie.com/embed/ok" srcdoc="<script>pwn(125)</script>" onload="pwn(125)"></iframe>',
    '<object data="https://evil.example/pwn126.swf"></object>',
    '<embed src="https://evil.example/pwn127.swf">',
    '<form action="https://evil.example/pwn128"><input name="password"><button formaction="javascript:pwn(128)">go</button></form>',
    '<input autofocus onfocus="pwn(129)">',
    "<textarea><script>pwn(130)</script></textarea>",
    "<template><script>pwn(131)</script></template>",
    '<link rel="stylesheet" href="https://evil.example/pwn132.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/pwn133">',
    '<base href="https://evil.example/pwn134/">',
    '<style>@import "https://evil.example/pwn135.css";</style>',
    '<video poster="javascript:pwn(136)" src="x"></video>',
    '<img srcset="javascript:pwn(137) 1x">',
    '<table background="javascript:pwn(138)"><tr><td>t</td></tr></table>',
    "<!--><img src=x onerror=pwn(139)>-->",
    "<scr<script>ipt>pwn(140)</script>",
    "<<script>script>pwn(141)<</script>/script>",
    '<div markdown="1">**md in html** <script>pwn(142)</script></div>',
    '<a href="#" onclick="pwn(143)" onmouseover="pwn(143)">handlers</a>',
    '<body onload="pwn(144)"><html><head><script>pwn(144)</script></head></html>',
    '<a href="https://ok.example/" target="_blank" rel="opener">opener</a>',
    '<isindex action="javascript:pwn(145)"><keygen autofocus onfocus="pwn(145)">',
    '<marquee onstart="pwn(146)">m</marquee>',
    '<a href="java\nscript:pwn(147)">newline</a>',
]
CODE_PAYLOADS = ["```html\n<script>pwn(201)</script>\n```", "Inline `<script>pwn(202)</script>` code."]
BENIGN = [
    '<img src="https://img.example/ok.png" alt="ok image">',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="data png">',
    '<a href="https://ok.example/safe">safe link</a>',
    '<iframe src="https://www.youtube-nocookie.com/embed/allowed" title="An allowed embed"></iframe>',
]

STRUCTURE_BODY = """\
The structure brief opens here.

## Findings and *Risks*

| Country | Score | Note |
|:--------|------:|:----:|
| Korea   | 1     | a    |

A claim.[^note]

[^note]: The footnote text.

!!! warning "Mind this"
    Admonition body.

<figure markdown>
<img src="https://img.example/chart.png" alt="A chart">
<figcaption>Figure 1: a chart.</figcaption>
</figure>

<details><summary>More</summary><p>Hidden text.</p></details>

The <abbr title="Democratic People's Republic of Korea">DPRK</abbr>, <mark>marked</mark>, H<sub>2</sub>O, x<sup>2</sup>.

### Third level

- a list item
- another

1. first
2. second

> A quote.
"""

N = len(FIELD_PAYLOADS)
FIELD_SURFACES = {  # field -> where it is read back as text (the HTML scan covers every page regardless)
    "brief title": ["brief page h1, <title>, meta, cite block", "listing cards", "home", "feeds", "API", "JSON-LD", "RIS", "BibTeX", "Pagefind"],
    "brief summary": ["brief page dek and meta", "listing cards", "feeds", "API", "JSON-LD", "RIS"],
    "brief body": ["brief page"],
    "author name": ["author page h1", "bylines", "feeds", "API", "JSON-LD", "RIS"],
    "author role": ["author page", "API"],
    "author bio": ["author page"],
    "author link label": ["author page"],
    "author link address": ["author page href", "JSON-LD sameAs"],
    "topic title": ["topic page h1", "topic chips", "feeds", "API", "JSON-LD", "Pagefind"],
    "topic description": ["topic page", "API"],
    "topic group": ["topics index"],
    "type title": ["brief kicker", "JSON-LD"],
    "type plural": ["type page h1"],
    "program title": ["program page h1", "brief page"],
    "program short": ["program page"],
    "program description": ["program page"],
}


def link_address(payload: str) -> str:
    return "https://ok.example/?q=" + norm(payload)


def key(prefix: str, i: int) -> str:
    return f"{prefix}-{i}"


def mkdocs_yml(search: bool = True) -> str:
    text = MKDOCS_YML.replace("{page_size}", f'5\n      embed_hosts: ["{ALLOWED_EMBED}"]')
    text = text.replace("  - admonition\n", "  - admonition\n  - attr_list\n  - md_in_html\n  - pymdownx.superfences\n")
    return text + ("  - briefing-search\n" if search else "")


def populate(archive: Archive) -> None:
    archive.topics = {key("t", i): {"title": p, "description": p, "group": p} for i, p in enumerate(FIELD_PAYLOADS)}
    archive.topics["cyber"] = {"title": "Cyber", "group": "Issues"}
    archive.types = {key("k", i): {"title": p, "plural": p + " (plural)"} for i, p in enumerate(FIELD_PAYLOADS)}
    archive.types["policy-brief"] = {"title": "Policy Brief", "plural": "Policy Briefs"}
    archive.programs = {key("p", i): {"title": p, "short": p[:30], "description": p} for i, p in enumerate(FIELD_PAYLOADS)}
    archive.programs["ccti"] = {"title": "Center on Cyber and Technology Innovation", "short": "CCTI"}
    for i, payload in enumerate(FIELD_PAYLOADS):
        archive.author(key("a", i), name=payload, role=payload, bio=payload + "\n\nSecond paragraph of the bio.",
                       links={payload: link_address(payload)})
    for i, payload in enumerate(FIELD_PAYLOADS):
        archive.brief(key("b", i), date=f"2023-{1 + i % 12:02d}-{1 + i // 12:02d}", title=payload, summary=payload,
                      body="Opening paragraph.\n\n" + payload + "\n\n" + payload.replace("\n", " ") + " inline.\n",
                      authors=[key("a", i), key("a", (i + 1) % N)], topics=[key("t", i), "cyber"],
                      type=key("k", i), program=key("p", i))
    # What must survive comes first: a raw HTML block left open by a payload swallows what follows.
    hostile = "\n\n".join(CODE_PAYLOADS + BENIGN + BODY_PAYLOADS)
    archive.author("bio-author", name="Bio Author", bio="Bio opens.\n\n" + hostile)
    archive.brief("hostile-body", date="2024-01-01", body="The hostile body opens.\n\n" + hostile,
                  authors=["bio-author"], topics=["cyber"], type="policy-brief")
    archive.brief("structure", date="2024-02-01", body=STRUCTURE_BODY, authors=["bio-author"], topics=["cyber"],
                  type="policy-brief", summary="Structure survives.")
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("hostile")
    archive = Archive(root)
    populate(archive)
    archive.write("mkdocs.yml", mkdocs_yml())
    built = build_site(root / "mkdocs.yml")
    assert built.ok, "\n".join(built.messages)
    assert not any("Traceback" in m for m in built.messages)
    return built


def norm(text: str) -> str:
    return " ".join(text.split())


def page(site: BuiltSite, url: str) -> LexborHTMLParser:
    return site.html(url)


# --- the scan every HTML page passes --------------------------------------------------------

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "xlink:href", "background",
                  "cite", "longdesc", "ping", "lowsrc", "dynsrc", "icon", "manifest", "codebase", "archive", "srcset")
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,", re.I)
_THEME_SCRIPTS = ("__md_scope=new URL(", "var target=document.getElementById(location.hash",
                  'var palette=__md_get("__palette")')  # mkdocs-material's own inline scripts
_OUR_SCRIPTS = ('document.addEventListener("DOMContentLoaded",function(){var a=document.querySelectorAll('
                '"link[data-archive-alternate]")',)  # archive/head.html: feed and language links out of material's way
_OUR_STYLE = re.compile(r"^(--share: [\d.]+%|text-align: ?(left|right|center);?)$")  # bar widths; table columns
_ALLOWED_FORMS = {"bs-header-search", "bs-form"}
_SEARCH_BUTTONS = {"bs-more", "bs-clear"}  # the search page's own buttons, outside its form
_ALLOWED_FIELDSETS = {"ba-cite__switch"}  # a brief page's citation style switch (brief.html)


def url_value(value: str) -> str:
    """A URL as a browser reads it: entities decoded by the parser, then controls and spaces dropped."""
    return re.sub(r"[\x00-\x20\x7f]+", "", value).lower()


def dangers(name: str, parsed: LexborHTMLParser) -> list[str]:
    """Everything on a page that could run script, restyle it, submit it or load a foreign frame."""
    found: list[str] = []
    is_redirect = "Redirecting" in (parsed.css_first("title").text() if parsed.css_first("title") else "")
    for node in parsed.css("*"):
        tag, attrs = node.tag, node.attributes
        where = f"{name}: <{tag}>"
        for attribute, value in attrs.items():
            lowered = attribute.lower()
            if lowered.startswith("on"):
                found.append(f"{where} has event handler {attribute}={value!r}")
            if lowered == "srcdoc":
                found.append(f"{where} has srcdoc")
            if lowered in URL_ATTRIBUTES and value:
                url = url_value(value)
                candidates = [c.strip().split(" ")[0] for c in url.split(",")] if lowered == "srcset" else [url]
                for candidate in candidates:
                    if candidate.startswith(("javascript:", "vbscript:", "livescript:")):
                        found.append(f"{where} {attribute}={value!r}")
                    if candidate.startswith("data:") and not (tag == "img" and lowered == "src" and _DATA_IMAGE.match(candidate)):
                        found.append(f"{where} {attribute}={value[:60]!r}")
            if lowered == "style" and not _OUR_STYLE.match(value or ""):
                found.append(f"{where} style={value!r}")
        if tag in ("object", "embed", "applet", "base", "frame", "frameset", "param", "keygen", "isindex", "marquee"):
            found.append(f"{where} element")
        if tag == "style":
            found.append(f"{where} element: {node.text()[:60]!r}")
        if tag == "iframe" and not (attrs.get("src") or "").startswith(f"https://{ALLOWED_EMBED}/"):
            found.append(f"{where} src={attrs.get('src')!r}")
        if tag == "form" and not (set((attrs.get("class") or "").split()) & _ALLOWED_FORMS):
            found.append(f"{where} element")
        if tag in ("input", "button", "textarea", "select") and not (set((attrs.get("class") or "").split()) & _SEARCH_BUTTONS):
            ancestor, inside = node.parent, False
            while ancestor is not None:
                if ancestor.tag == "form" and set((ancestor.attributes.get("class") or "").split()) & _ALLOWED_FORMS:
                    inside = True
                if ancestor.tag == "fieldset" and set((ancestor.attributes.get("class") or "").split()) & _ALLOWED_FIELDSETS:
                    inside = True
                if ancestor.tag == "article" or "md-content" in (ancestor.attributes.get("class") or ""):
                    if not inside:
                        found.append(f"{where} in the content")
                    break
                ancestor = ancestor.parent
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            target = (attrs.get("content") or "").split("url=", 1)[-1]
            if not is_redirect or re.match(r"^\s*([a-z][a-z0-9+.-]*:|//)", target, re.I):
                found.append(f"{where} refresh {attrs.get('content')!r}")
        if tag == "link" and attrs.get("href"):
            href = attrs["href"]
            if re.match(r"^([a-z][a-z0-9+.-]*:|//)", href, re.I) and not href.startswith(SITE_URL):
                found.append(f"{where} rel={attrs.get('rel')!r} href={href!r}")
        if tag == "script":
            text, kind = node.text(), (attrs.get("type") or "").lower()
            if attrs.get("src"):
                if re.match(r"^([a-z][a-z0-9+.-]*:|//)", attrs["src"], re.I):
                    found.append(f"{where} src={attrs['src']!r}")
            elif kind in ("application/json", "application/ld+json"):
                if "<" in text:
                    found.append(f"{where} JSON holds a raw '<'")
                try:
                    json.loads(text)
                except ValueError:
                    found.append(f"{where} type={kind} is not JSON: {text[:80]!r}")
            elif not text.strip().startswith(_THEME_SCRIPTS + _OUR_SCRIPTS) or MARK in text:
                found.append(f"{where} inline script {text[:80]!r}")
    return found


@pytest.fixture(scope="module")
def html_pages(site: BuiltSite) -> dict[str, LexborHTMLParser]:
    return {p.relative_to(site.site).as_posix(): LexborHTMLParser(p.read_text(encoding="utf-8"))
            for p in sorted(site.site.rglob("*.html"))}


def test_no_page_carries_anything_that_runs_restyles_submits_or_embeds(html_pages: dict[str, LexborHTMLParser]):
    found = [d for name, parsed in html_pages.items() for d in dangers(name, parsed)]
    assert len(html_pages) > 4 * N
    assert found == [], f"{len(found)} dangers:\n" + "\n".join(found[:80])


def test_the_scan_sees_what_it_must():
    """The scan itself, on a page that has one of everything it forbids."""
    bad = LexborHTMLParser(
        '<html><head><title>t</title><style>x</style><base href="https://e/"><link rel="stylesheet" href="https://e/x.css">'
        '<meta http-equiv="refresh" content="0;url=https://e/"></head><body><div class="md-content">'
        '<script>pwn()</script><img src=x onerror=pwn()><a href=" java&#x09;script:pwn()">x</a>'
        '<a href="data:text/html,x">d</a><iframe src="https://e/"></iframe><form action="/x"><input></form>'
        '<object data="x"></object><p style="color:red">s</p><iframe srcdoc="x" src="https://www.youtube-nocookie.com/e"></iframe>'
        '<script type="application/ld+json">{"a": "</script>'
        '</div></body></html>')
    found = " ".join(dangers("bad", bad))
    for expected in ("<style> element", "<base> element", "<link>", "refresh", "inline script", "onerror",
                     "<a> href=' java", "data:text", "<iframe> src", "<form> element", "<input> in the content",
                     "<object> element", "style='color:red'", "srcdoc", "not JSON"):
        assert expected in found, (expected, found)


# --- fields read back as text, exactly ---------------------------------------------------------

def brief_url(i: int) -> str:
    return f"briefs/2023/{key('b', i)}/"


@pytest.mark.parametrize("i", range(N))
def test_brief_fields_are_text_on_the_brief_page(site: BuiltSite, i: int):
    payload = FIELD_PAYLOADS[i]
    parsed = page(site, brief_url(i))
    content = parsed.css_first(".md-content")
    assert norm(content.css_first("h1").text()) == norm(payload)
    assert norm(parsed.css_first("title").text()).startswith(norm(payload))
    assert norm(parsed.css_first(".ba-dek").text()) == norm(payload)
    assert norm(parsed.css_first('meta[name="description"]').attributes["content"]) == norm(payload)
    assert norm(parsed.css_first('meta[name="citation_title"]').attributes["content"]) == norm(payload)
    # Chicago (the default citation) capitalizes a title's words: compared without case.
    assert norm(payload).casefold() in norm(parsed.css_first("[data-citation]").text()).casefold()
    byline = norm(parsed.css_first(".ba-brief__byline").text())
    assert norm(FIELD_PAYLOADS[i]) in byline and norm(FIELD_PAYLOADS[(i + 1) % N]) in byline
    assert norm(parsed.css_first(".ba-kicker__type").text()) == norm(payload)  # the type's title
    assert norm(parsed.css_first(".ba-brief__program").text()) == norm(payload)
    topics = [norm(a.text()) for a in parsed.css(".ba-brief__topics a")]
    assert norm(payload) in topics


@pytest.mark.parametrize("i", range(N))
def test_json_ld_is_one_script_that_round_trips(site: BuiltSite, i: int):
    payload = FIELD_PAYLOADS[i].strip()
    scripts = page(site, brief_url(i)).css('script[type="application/ld+json"]')
    assert len(scripts) == 1
    raw = scripts[0].text()
    assert "</" not in raw and "<!--" not in raw
    data = json.loads(raw)
    assert data["headline"] == payload and data["description"] == payload
    assert [a["name"] for a in data["author"]] == [FIELD_PAYLOADS[i].strip(), FIELD_PAYLOADS[(i + 1) % N].strip()]
    assert data["keywords"] == [payload, "Cyber"] and data["about"][0]["name"] == payload
    assert data["genre"] == payload and data["sourceOrganization"]["name"] == payload
    assert data["author"][0]["sameAs"] == [link_address(FIELD_PAYLOADS[i])]


@pytest.mark.parametrize("i", range(N))
def test_author_fields_are_text_on_the_author_page(site: BuiltSite, i: int):
    payload = FIELD_PAYLOADS[i]
    parsed = page(site, f"authors/{key('a', i)}/")
    content = parsed.css_first(".md-content")
    assert norm(content.css_first("h1").text()) == norm(payload)
    assert norm(parsed.css_first(".ba-profile__role").text()) == norm(payload)
    links = parsed.css(".ba-links a")
    assert len(links) == 1
    assert links[0].attributes["href"] == link_address(payload)
    assert norm(links[0].text()) == norm(payload.replace("-", " ").replace("_", " ").capitalize())
    assert {b.attributes["data-brief"] for b in parsed.css("[data-brief]")} == {key("b", i), key("b", (i - 1) % N)}


@pytest.mark.parametrize("i", range(N))
def test_vocabulary_fields_are_text_on_their_pages(site: BuiltSite, i: int):
    payload = FIELD_PAYLOADS[i]
    topic = page(site, f"topics/{key('t', i)}/").css_first(".md-content")
    assert norm(topic.css_first("h1").text()) == norm(payload)
    assert norm(topic.text()).count(norm(payload)) >= 2  # the title, the description
    kind = page(site, f"types/{key('k', i)}/").css_first(".md-content")
    assert norm(kind.css_first("h1").text()) == norm(payload + " (plural)")
    program = page(site, f"programs/{key('p', i)}/").css_first(".md-content")
    assert norm(program.css_first("h1").text()) == norm(f"{payload} ({payload.strip()[:30]})")  # title (short)
    card = page(site, "briefs/").css_first(f'[data-brief="{key("b", i)}"]') or \
        page(site, f"topics/{key('t', i)}/").css_first(f'[data-brief="{key("b", i)}"]')
    assert card is not None and norm(payload) in norm(card.text())
    groups = [norm(h.text()) for h in page(site, "topics/").css(".md-content h2")]
    assert norm(payload) in groups


def test_home_lists_hostile_titles_as_text(site: BuiltSite):
    home = page(site, "")
    cards = home.css("[data-brief]")
    assert cards
    for card in cards:
        slug = card.attributes["data-brief"]
        if slug.startswith("b-"):
            assert norm(FIELD_PAYLOADS[int(slug[2:])]) in norm(card.text())


def test_the_search_page_is_clean_and_pagefind_keeps_text_escaped(site: BuiltSite, html_pages):
    assert dangers("search/index.html", html_pages["search/index.html"]) == []
    records = {}
    for path in (site.site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[raw.index(b"{"):])
        records[record["url"]] = record
    assert len(records) == N + 2
    for i, payload in enumerate(FIELD_PAYLOADS):
        record = records[f"/{brief_url(i)}"]
        assert norm(record["meta"]["title"]) == norm(payload)
        # Pagefind decodes entities in filter values once more than it should (a title written
        # `&lt;` is listed as `<`); harmless, as the search page sets option labels as text.
        assert {norm(payload), norm(html.unescape(payload))} & {norm(v) for v in record["filters"]["topic"]}
        # The search page shows an excerpt as HTML (for its <mark>s). Pagefind stores the page's
        # text as it reads (a title `<b>` is `<b>`) and escapes < and > when it cuts the excerpt.
        excerpt = record["content"].replace("<", "&lt;").replace(">", "&gt;")
        assert LexborHTMLParser(f"<p>{excerpt}</p>").body.css("p *") == []
    script = (site.site / "pagefind" / "pagefind.js").read_text(encoding="utf-8")
    assert 'raw_content=fragment.content.replace(/</g,"&lt;").replace(/>/g,"&gt;")' in script, \
        "Pagefind no longer escapes excerpts: briefing-search.js must stop using innerHTML for them"


# --- feeds, API, citation files ----------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_every_feed_is_xml_with_literal_text(site: BuiltSite):
    feeds = sorted(site.site.rglob("feed.xml"))
    assert len(feeds) >= 4 * N
    entries = 0
    for file in feeds:
        tree = etree.parse(str(file))  # raises on anything that is not well-formed XML
        for element in tree.iter(f"{ATOM}title", f"{ATOM}summary", f"{ATOM}content", f"{ATOM}subtitle"):
            assert element.get("type") in (None, "text"), f"{file}: {element.tag} type={element.get('type')}"
            assert len(element) == 0, f"{file}: markup inside {element.tag}"
        for entry in tree.iter(f"{ATOM}entry"):
            slug = entry.findtext(f"{ATOM}id").rstrip("/").rsplit("/", 1)[-1]
            if not slug.startswith("b-"):
                continue
            entries += 1
            payload = FIELD_PAYLOADS[int(slug[2:])]
            visible = _xml_text(payload)
            assert norm(entry.findtext(f"{ATOM}title")) == norm(visible)
            assert norm(entry.findtext(f"{ATOM}summary")) == norm(visible)
            assert norm(entry.find(f"{ATOM}author/{ATOM}name").text) == norm(visible)
            assert norm(visible) in [norm(c.get("label")) for c in entry.iter(f"{ATOM}category")]
    assert entries >= 3 * N


def _xml_text(text: str) -> str:
    """What XML can carry of a text: characters XML 1.0 forbids are dropped."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)


def test_the_json_api_round_trips_every_field(site: BuiltSite):
    briefs = {b["slug"]: b for b in site.json("api/briefs.json")}
    topics = {t["key"]: t for t in site.json("api/topics.json")}
    authors = {a["key"]: a for a in site.json("api/authors.json")}
    for i, payload in enumerate(FIELD_PAYLOADS):
        assert briefs[key("b", i)]["title"] == payload.strip() and briefs[key("b", i)]["summary"] == payload.strip()
        assert topics[key("t", i)]["title"] == payload.strip() and topics[key("t", i)]["description"] == payload.strip()
        assert authors[key("a", i)]["name"] == payload.strip() and authors[key("a", i)]["role"] == payload.strip()


def test_citation_files_keep_their_structure(site: BuiltSite):
    tag = re.compile(r"^[A-Z][A-Z0-9]  - ")
    for i, payload in enumerate(FIELD_PAYLOADS):
        ris = site.file(f"{brief_url(i)}{key('b', i)}.ris").read_bytes().decode("utf-8")
        lines = ris.split("\r\n")
        assert lines[-1] == "" and all(tag.match(line) for line in lines[:-1]), lines
        assert [line[:2] for line in lines].count("TY") == 1 and [line[:2] for line in lines].count("ER") == 1
        assert lines[1] == "TI  - " + norm(payload)
        bib = site.file(f"{brief_url(i)}{key('b', i)}.bib").read_text(encoding="utf-8")
        depth = 0
        for position, char in enumerate(bib):
            if char in "{}" and (position == 0 or bib[position - 1] != "\\"):
                depth += 1 if char == "{" else -1
                assert depth >= 0, bib
        assert depth == 0, bib
        fields = re.findall(r"^  (\w+) = \{", bib, re.M)
        assert fields == ["title", "author", "institution", "type", "year", "month", "date", "url", "abstract", "keywords"]


# --- bodies: the hostile one, and the one whose structure must survive ----------------------------

def test_the_hostile_body_and_bio_keep_only_what_is_safe(site: BuiltSite):
    for url in ("briefs/2024/hostile-body/", "authors/bio-author/"):
        content = page(site, url).css_first(".md-content")
        assert dangers(url, page(site, url)) == []
        iframes = [f.attributes.get("src") for f in content.css("iframe")]
        assert iframes == [f"https://{ALLOWED_EMBED}/embed/allowed", f"https://{ALLOWED_EMBED}/embed/ok"], iframes
        codes = [norm(c.text()) for c in content.css("code")]
        assert "<script>pwn(201)</script>" in codes and "<script>pwn(202)</script>" in codes
        srcs = [i.attributes.get("src") for i in content.css("img")]
        assert "https://img.example/ok.png" in srcs and "data:image/png;base64,iVBORw0KGgo=" in srcs
        assert "https://ok.example/safe" in [a.attributes.get("href") for a in content.css("a")]
        assert "md in html" in content.text() and "overlay pwn118" in content.text()


def test_markdown_structure_survives_sanitizing(site: BuiltSite):
    content = page(site, "briefs/2024/structure/").css_first(".ba-brief__body")
    heading = content.css_first("h2#findings-and-risks")
    assert heading is not None and heading.css_first("em") is not None
    assert heading.css_first('a.headerlink[href="#findings-and-risks"]') is not None
    assert content.css_first("h3#third-level a.headerlink") is not None
    table = content.css_first("table")
    assert table is not None and len(table.css("thead th")) == 3 and len(table.css("tbody td")) == 3
    aligns = [th.attributes.get("style") or th.attributes.get("align") for th in table.css("thead th")]
    assert [re.sub(r"[^a-z]", "", (a or "").replace("text-align", "")) for a in aligns] == ["left", "right", "center"], aligns
    assert content.css_first('sup a.footnote-ref[href="#fn:note"]') is not None
    footnote = content.css_first("div.footnote li#fn\\:note")
    assert footnote is not None and "The footnote text." in footnote.text()
    assert footnote.css_first('a.footnote-backref[href="#fnref:note"]') is not None
    admonition = content.css_first("div.admonition.warning")
    assert admonition is not None and norm(admonition.css_first("p.admonition-title").text()) == "Mind this"
    figure = content.css_first("figure")
    assert figure is not None and figure.css_first("img[alt='A chart']") and "Figure 1" in figure.css_first("figcaption").text()
    assert content.css_first("details summary") is not None
    assert content.css_first("abbr[title]") and content.css_first("mark") and content.css_first("sub") and content.css_first("sup")
    assert content.css("ul li") and content.css("ol li") and content.css_first("blockquote")


# --- the render cache cannot smuggle HTML -------------------------------------------------------

def test_a_poisoned_render_cache_is_sanitized_too(tmp_path: Path):
    """The cache of rendered bodies sits in the repository (.cache/), where a pull request can put a file."""
    archive = Archive(tmp_path)
    archive.brief("cached", body="An innocent body.\n")
    first = archive.build()
    assert first.ok, first.messages
    cache = next((tmp_path / ".cache").rglob("bodies.json"))
    data = json.loads(cache.read_text(encoding="utf-8"))
    assert data["bodies"], "the first build stored the body"
    for entry in data["bodies"].values():
        entry["html"] = '<p>An innocent body.</p><script>pwn(301)</script><img src=x onerror="pwn(302)">'
    cache.write_text(json.dumps(data), encoding="utf-8")
    second = build_site(tmp_path / "mkdocs.yml")
    assert second.ok, second.messages
    parsed = second.html("briefs/2023/cached/")
    assert "An innocent body." in parsed.css_first(".ba-brief__body").text()
    assert dangers("cached", parsed) == []


def test_a_poisoned_citation_cache_is_sanitized_too(tmp_path: Path):
    """The formatted references are kept in .cache/ as well."""
    archive = Archive(tmp_path)
    archive.brief("cited", body="A body.\n")
    first = archive.build()
    assert first.ok, first.messages
    cache = next((tmp_path / ".cache").rglob("citations.json"))
    data = json.loads(cache.read_text(encoding="utf-8"))
    assert data["entries"], "the first build stored the references"
    for styles in data["entries"].values():
        styles[:] = ['Kim. <i>Cited</i>.<script>pwn(401)</script><img src=x onerror="pwn(402)">'] * len(styles)
    cache.write_text(json.dumps(data), encoding="utf-8")
    second = build_site(tmp_path / "mkdocs.yml")
    assert second.ok, second.messages
    parsed = second.html("briefs/2023/cited/")
    assert parsed.css_first(".ba-cite i").text() == "Cited"  # the poisoned entry was used, cleaned
    assert dangers("cited", parsed) == []


# --- paths: nothing read or written outside ---------------------------------------------------

A_FM = "---\nname: Jo Lee\n{}\n---\nBio.\n"
BAD_PHOTOS = ["../../etc/passwd", "/etc/passwd", "authors/../../../etc/passwd", "..\\..\\etc\\passwd",
              "file:///etc/passwd", "https://evil.example/x.png", "authors/photos/%2e%2e/%2e%2e/x.png", "a\x00b",
              "x" * 600, "authors/photos/leak.png", "authors/photos/escape/inner.png"]
BAD_LINKS = ["JAVASCRIPT:pwn(1)", " javascript:pwn(2)", "java\tscript:pwn(3)", "vbscript:pwn(4)",
             "data:text/html,<script>pwn(5)</script>", "file:///etc/passwd", "//evil.example/x", "https:pwn",
             "javascript://ok.example/%0Apwn(6)", "ftp://evil.example/x", "\x00javascript:pwn(7)"]
BAD_ALIASES = ["/../../x/", "/%2e%2e/%2e%2e/x/", "/%2E%2E/x/", "/a\\..\\..\\x/", "\\..\\x", "/x/../../y/",
               "/./", "/.", "/x/./y/", "/" + "a" * 300 + "/", "/x%00y/", "/x\x00y/", "/ x /", "/x?y=1", "/x#frag",
               "file:///etc/passwd", "/C:/Windows/", "//evil.example/x/", "/x/\n/y/", "/" + "/".join(["b" * 200] * 6) + "/"]
PAGE_ALIASES = ["/sitemap.xml", "/sitemap.xml.gz", "/404.html", "/Briefs/2023/Target/", "/TOPICS/CYBER/",
                "/index.html", "/feed.xml", "/FEED.XML", "/api/briefs.json"]


def yaml_line(name: str, value: object) -> str:
    return yaml.safe_dump({name: value}, allow_unicode=True, width=10_000).rstrip("\n")


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): (b"" if p.is_symlink() else p.read_bytes())
            for p in sorted(folder.rglob("*"))
            if (p.is_file() or p.is_symlink()) and not p.relative_to(folder).as_posix().startswith(skip)}


def problem_lines(site: BuiltSite) -> set[tuple[str, int]]:
    found = set()
    for message in site.messages:
        match = re.search(r"(\S+):(\d+): error: ", message)
        if match:
            found.add((match[1], int(match[2])))
    return found


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outside-the-repository")
    (folder / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    (folder / "inner.png").write_bytes(b"\x89PNG")
    return folder


def prepare(archive: Archive) -> None:
    """Writes what `archive.build()` would write before building, so a snapshot can be taken first."""
    for name, table in (("topics", archive.topics), ("types", archive.types), ("programs", archive.programs)):
        archive.write(f"site_config/{name}.yml", yaml.safe_dump(table, sort_keys=False, allow_unicode=True))
    archive.write("mkdocs.yml", MKDOCS_YML.replace("{page_size}", "20"))


def test_paths_out_of_the_site_or_repository_are_errors_at_their_line(tmp_path: Path, outside: Path):
    root = tmp_path / "repo"
    archive = Archive(root)
    archive.brief("target")
    photos = root / "content" / "authors" / "photos"
    photos.mkdir(parents=True)
    os.symlink(outside / "secret.txt", photos / "leak.png")
    os.symlink(outside, photos / "escape")
    os.symlink("missing.png", photos / "dangling.png")  # inside, but to nothing: MkDocs would crash copying it
    os.symlink("../../../.git/config", photos / "git-config.txt")  # inside the repository, outside content/
    archive.write("content/templates/page.html", "<script>pwn()</script>")  # MkDocs leaves content/templates/ out…
    os.symlink("../templates", root / "content" / "authors" / "tpl")  # …but would publish it again through a link
    expected: list[tuple[str, int]] = [("content/authors/photos/leak.png", 1), ("content/authors/photos/escape", 1),
                                       ("content/authors/photos/dangling.png", 1), ("content/authors/photos/git-config.txt", 1),
                                       ("content/authors/tpl", 1)]
    for i, photo in enumerate(BAD_PHOTOS):
        archive.write(f"content/authors/photo-{i}.md", A_FM.format(yaml_line("photo", photo)))
        expected.append((f"content/authors/photo-{i}.md", 3))
    for i, link in enumerate(BAD_LINKS):
        archive.write(f"content/authors/link-{i}.md", A_FM.format("links:\n  " + yaml_line("website", link)))
        expected.append((f"content/authors/link-{i}.md", 3))
    for i, alias in enumerate(BAD_ALIASES):
        path = archive.brief(f"alias-{i}", aliases=["/fine/%d/" % i, alias])
        line = path.read_text(encoding="utf-8").split("\n").index("aliases:") + 3
        expected.append((f"content/briefs/2023/alias-{i}.md", line))
    # Case-only collisions (one file on macOS and Windows): the slug rule refuses the capitals.
    archive.brief("foo")
    archive.write("content/briefs/2023/Foo.md", (root / "content/briefs/2023/foo.md").read_text(encoding="utf-8"))
    archive.author("Min-Ji-Kim", name="Min-ji Kim")
    expected += [("content/briefs/2023/Foo.md", 1), ("content/authors/Min-Ji-Kim.md", 1)]
    # Files MkDocs would copy as they are, unsanitized; a brief under another Markdown extension.
    archive.write("content/briefs/2023/evil.html", "<script>pwn()</script>")
    archive.write("content/evil.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="pwn()"/>')
    archive.write("content/page.xhtml", "<html xmlns='http://www.w3.org/1999/xhtml'><script>pwn()</script></html>")
    archive.write("content/briefs/2023/misnamed.markdown", "---\ntitle: X\n---\nBody.\n")
    archive.write("content/authors/photos/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')  # fine
    expected += [("content/briefs/2023/evil.html", 1), ("content/evil.svg", 1), ("content/page.xhtml", 1),
                 ("content/briefs/2023/misnamed.markdown", 1)]
    prepare(archive)
    before = snapshot(root)
    around = sorted(p.name for p in tmp_path.iterdir())
    site = archive.build()
    assert site.ok is False
    assert not any("Traceback" in m for m in site.messages), site.messages
    missing = [e for e in expected if e not in problem_lines(site)]
    assert missing == [], "not reported:\n" + "\n".join(f"{p}:{n}" for p, n in missing) + "\n\n" + "\n".join(site.messages)
    for fine in ("content/authors/photos/chart.svg", "content/templates/page.html"):
        assert (fine, 1) not in problem_lines(site), fine
    assert not (root / "site").exists() or not any((root / "site").rglob("*.html")), "nothing is published"
    # Besides the site, only the build's cache (what reading each file found, kept for the next run).
    assert snapshot(root, skip=("site/", ".cache/")) == before, "the build changed the repository"
    assert sorted(p.name for p in tmp_path.iterdir()) == around, "the build wrote beside the repository"
    assert sorted(p.name for p in outside.iterdir()) == ["inner.png", "secret.txt"]


def test_aliases_onto_pages_or_files_the_build_writes_are_errors(tmp_path: Path):
    archive = Archive(tmp_path)
    archive.brief("target")
    expected = []
    for i, alias in enumerate(PAGE_ALIASES):
        path = archive.brief(f"page-alias-{i}", aliases=[alias])
        line = path.read_text(encoding="utf-8").split("\n").index("aliases:") + 2
        expected.append((f"content/briefs/2023/page-alias-{i}.md", line))
    archive.brief("case-one", aliases=["/Old/Name/"])
    path = archive.brief("case-two", aliases=["/old/name/"])
    expected.append(("content/briefs/2023/case-two.md", path.read_text(encoding="utf-8").split("\n").index("aliases:") + 2))
    site = archive.build()
    assert site.ok is False
    assert not any("Traceback" in m for m in site.messages), site.messages
    missing = [e for e in expected if e not in problem_lines(site)]
    assert missing == [], "not reported:\n" + "\n".join(f"{p}:{n}" for p, n in missing) + "\n\n" + "\n".join(site.messages)


def test_a_valid_alias_writes_its_redirect_inside_the_site(tmp_path: Path):
    archive = Archive(tmp_path)
    archive.brief("target", aliases=["/analysis/2023/old-name/", "/old.html", "/a.b/c~d/"])
    site = archive.build()
    assert site.ok, site.messages
    for dest in ("analysis/2023/old-name/index.html", "old.html", "a.b/c~d/index.html"):
        parsed = site.html(dest)
        assert dangers(dest, parsed) == []
        assert parsed.css_first('meta[http-equiv="refresh"]').attributes["content"].endswith("briefs/2023/target/")
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert written <= {"content", "site", "site_config", "mkdocs.yml", ".cache"}


# --- malformed files ----------------------------------------------------------------------------

VALID_FIELDS = "title: A Brief\ndate: 2023-06-26\ntype: policy-brief\nauthors: [min-ji-kim]\ntopics: [cyber]\n"


def with_fields(extra: str = "", replace: tuple[str, str] = ("", ""), body: str = "Body.\n") -> str:
    return "---\n" + VALID_FIELDS.replace(*replace) + extra + "---\n" + body


BOMB = "".join(["l0: &l0 [x, x, x, x, x, x, x, x, x]\n"] +
               [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9)])
# Kinds of malformed file not in test_content_errors.py: (file text, line, words of the error).
MALFORMED: dict[str, tuple[str | bytes, int, str]] = {
    "tab-indent": ("---\ntitle: A Brief\n\tdate: 2023-06-26\n---\nBody.\n", 3, "invalid YAML: found a tab"),
    "tab-list-indent": (with_fields(replace=("topics: [cyber]", "topics:\n\t- cyber")), 7, "invalid YAML"),
    "nul-byte": (with_fields(replace=("A Brief", "A\x00Brief")), 2, "the character U+0000 is not allowed"),
    "bell-byte": (with_fields(replace=("type: policy-brief", "type: policy\x07brief")), 4, "the character U+0007"),
    "only-dashes": ("---\n", 1, "the front matter is not closed"),
    "utf-16": (with_fields().encode("utf-16"), 1, "not UTF-8"),
    "windows-1252": (with_fields(replace=("A Brief", "Café Brief")).encode("cp1252"), 2, "not UTF-8"),
    "two-boms": ("\ufeff\ufeff" + with_fields(), 1, "no front matter"),
    "closed-with-dots": ("---\n" + VALID_FIELDS + "...\nBody.\n", 1, "the front matter is not closed"),
    "blank-line-first": ("\n" + with_fields(), 1, "no front matter"),
    "unhashable-key": (with_fields("? [a, b]\n: c\n"), 7, "invalid YAML: found unhashable key"),
    "python-tag": (with_fields("x: !!python/object/apply:os.system ['touch /tmp/pwned']\n"), 7, "could not determine a constructor"),
    "deep-mapping": (with_fields("x: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n"), 7, "nested more than"),
    "deep-list": (with_fields("x: " + "[" * 3000 + "]" * 3000 + "\n"), 7, "nested more than"),
    "recursive-anchor": (with_fields("x: &a [*a]\n"), 7, "nested more than"),
    "billion-laughs": (with_fields(BOMB + "related: *l8\n"), 13, "anchors and aliases"),  # l6 passes the limit
    "merge-key-repeats-a-field": (with_fields("<<: {title: Other}\n"), 2, "'title' is given twice"),
}
# Odd but valid: each is published.
ODD_BUT_VALID = {
    "tab-after-colon": with_fields(replace=("title: A Brief", "title:\tA Brief")),
    "old-mac-line-ends": with_fields().replace("\n", "\r"),
    "mixed-line-ends": with_fields().replace("\n", "\r\n", 2).replace("\n", "\r", 3),
    "very-long-title": with_fields(replace=("A Brief", "A " + "very " * 20_000 + "long brief")),
    "body-with-dashes": with_fields(body="Body.\n\n---\n\nMore after a rule.\n---\n"),
}


def test_malformed_files_are_errors_at_their_line_and_odd_valid_ones_publish(tmp_path: Path):
    archive = Archive(tmp_path)
    for name, (text, _, _) in MALFORMED.items():
        archive.write(f"content/briefs/2023/{name}.md", text)
    for name, text in ODD_BUT_VALID.items():
        archive.write(f"content/briefs/2023/{name}.md", text)
    prepare(archive)
    before = snapshot(tmp_path / "content")
    site = archive.build()
    assert site.ok is False and not any("Traceback" in m for m in site.messages), site.messages
    reported = [m for m in site.messages if ": error: " in m]
    for name, (_, line, words) in MALFORMED.items():
        here = [m for m in reported if f"content/briefs/2023/{name}.md:{line}: error: " in m]
        assert any(words in m for m in here), f"{name}: expected line {line} '{words}' in\n" + "\n".join(reported)
        assert all("\n" not in m for m in here), f"{name}: a message on one line: {here}"
    odd = [m for m in reported if any(f"/{name}.md:" in m for name in ODD_BUT_VALID)]
    assert odd == [], odd
    assert snapshot(tmp_path / "content") == before, "the build changed content/"
    assert not Path("/tmp/pwned").exists()
    loaded = load_archive(ArchivePaths.at(tmp_path))
    assert set(ODD_BUT_VALID) <= set(loaded.briefs)
    assert loaded.briefs["tab-after-colon"].title == "A Brief"


# --- the figures ------------------------------------------------------------------------------

def test_summary_of_what_was_tried(html_pages):
    field_cases = N * len(FIELD_SURFACES)
    body_cases = 2 * (len(BODY_PAYLOADS) + len(CODE_PAYLOADS) + len(BENIGN))
    outputs = sorted({surface for surfaces in FIELD_SURFACES.values() for surface in surfaces})
    path_cases = len(BAD_PHOTOS) + 5 + len(BAD_LINKS) + len(BAD_ALIASES) + len(PAGE_ALIASES) + 1 + 2 + 4
    file_cases = len(MALFORMED) + len(ODD_BUT_VALID)
    print(f"\nhostile field payloads: {N} x {len(FIELD_SURFACES)} editor fields = {field_cases} cases, "
          f"read back on {len(outputs)} kinds of output")
    print(f"body/bio payloads: {len(BODY_PAYLOADS) + len(CODE_PAYLOADS) + len(BENIGN)} x 2 (brief body, author bio) = {body_cases}")
    print(f"path and file cases: {path_cases}; malformed or odd files: {file_cases}; HTML pages scanned: {len(html_pages)}")
    assert field_cases + body_cases + path_cases + file_cases > 500
