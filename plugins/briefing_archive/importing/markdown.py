"""A WordPress post's body as clean Markdown.

WordPress stores a classic post as "autop" text: paragraphs are blank lines, not `<p>`, and
shortcodes (`[caption]`, `[embed]`, a plugin's own) stand for what WordPress renders in their
place. The steps, in WordPress's own order of meaning:

1. shortcodes: `[caption]` becomes a figure (the image and its caption), `[embed]`, `[audio]`
   and `[video]` a link to what they embedded; any other shortcode is kept as text and named in
   the report, never silently dropped;
2. autop: paragraphs from blank lines, line breaks from single newlines (a port of the heart of
   WordPress's `wpautop`; block-editor posts already hold their `<p>` and skip it);
3. the project's own sanitizer (nh3), so no `<script>`, `<style>`, event attribute or
   `javascript:` URL reaches the Markdown file, not only the page;
4. markdownify, adapted where the archive wants more than plain Markdown: a figure stays a
   `<figure>` with its `<figcaption>`, superscripts stay `<sup>` (footnote marks), and text that
   reads like HTML stays text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import nh3
from markdownify import ATX, MarkdownConverter

from ..sanitize import clean_html

# --- shortcodes ---------------------------------------------------------------------------------

# WordPress core's own shortcodes: a bare `[gallery]` is one even without attributes.
CORE_SHORTCODES = frozenset({"caption", "wp_caption", "embed", "audio", "video", "gallery", "playlist"})
_CANDIDATE = re.compile(r"\[([a-zA-Z][\w-]*)(?=[\s\]/])")
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"\]]+)""")
_MEDIA = ("mp3", "m4a", "ogg", "wav", "mp4", "webm", "m4v", "ogv")  # [audio mp3="…"], [video mp4="…"]
_URL = re.compile(r"https?://[^\s<>\"'\]\[]+")


@dataclass
class Converted:
    markdown: str
    unknown_shortcodes: list[str] = field(default_factory=list)  # names, in order of first use
    removed: list[str] = field(default_factory=list)  # what the sanitizer took out, for the report


def _attributes(text: str) -> dict[str, str]:
    found = {}
    for m in _ATTRIBUTE.finditer(text):
        if m.group(1):
            found[m.group(1).lower()] = m.group(2)
        elif m.group(3):
            found[m.group(3).lower()] = m.group(4)
        else:
            found[m.group(5).lower()] = m.group(6)
    return found


def _shortcode_pattern(name: str) -> re.Pattern[str]:
    """`[name attrs]`, `[name attrs /]` or `[name attrs]content[/name]`; `[[name]]` is WordPress's escape."""
    n = re.escape(name)
    return re.compile(
        rf"\[(\[?){n}(?![\w-])((?:[^\]\"']|\"[^\"]*\"|'[^']*')*?)(?:/\]|\](?:(.*?)\[/{n}\])?)(\]?)", re.S)


def _figure(attrs: dict[str, str], content: str) -> str:
    image = re.search(r"(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*</a>)?", content, re.I | re.S)
    caption = attrs.get("caption", "")
    if image:
        caption = caption or (content[: image.start()] + content[image.end():])
        picture = image.group(0)
    else:
        picture = ""
        caption = caption or content
    return f"\n\n<figure>{picture}<figcaption>{caption.strip()}</figcaption></figure>\n\n"


def _link(url: str) -> str:
    url = url.strip()
    return f'\n\n<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>\n\n' if _URL.fullmatch(url) else ""


def _replace_shortcodes(text: str, unknown: list[str]) -> str:
    names = []
    for name in _CANDIDATE.findall(text):
        lowered = name.lower()
        if name in names:
            continue
        closed = f"[/{name}]" in text
        has_attributes = re.search(rf"\[{re.escape(name)}\s+[\w-]+\s*=", text) is not None
        if lowered in CORE_SHORTCODES or closed or has_attributes:
            names.append(name)

    for name in names:
        lowered = name.lower()

        def replace(m: re.Match[str]) -> str:
            if m.group(1) and m.group(4):  # [[name]]: written out as text on purpose
                return m.group(0)[1:-1]
            attrs, content = _attributes(m.group(2) or ""), m.group(3) or ""
            if lowered in ("caption", "wp_caption"):
                return _figure(attrs, content)
            if lowered in ("embed", "audio", "video"):
                url = content if lowered == "embed" else ""
                url = url or attrs.get("src") or next((v for k, v in attrs.items() if k in _MEDIA), "")
                link = _link(url)
                if link:
                    return link  # without a web address it is kept and reported like any other
            if name not in unknown:
                unknown.append(name)
            return m.group(0)

        text = _shortcode_pattern(name).sub(replace, text)
    return text


# --- autop --------------------------------------------------------------------------------------

_BLOCKS = (r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area"
           r"|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header"
           r"|footer|nav|figure|figcaption|details|menu|summary)")
_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)


def autop(text: str) -> str:
    """Paragraphs from blank lines and line breaks from single newlines, as WordPress shows a post."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"<wp-pre-{len(kept) - 1}></wp-pre-{len(kept) - 1}>"

    text = _PRE.sub(keep, text)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.I)
    text = re.sub(rf"(<{_BLOCKS}[\s/>])", r"\n\n\1", text, flags=re.I)
    text = re.sub(rf"(</{_BLOCKS}>)", r"\1\n\n", text, flags=re.I)
    text = re.sub(r"</?[A-Za-z][^<>]*>", lambda m: m.group(0).replace("\n", " "), text)  # newlines inside a tag are spaces
    text = re.sub(r"\n\s*\n+", "\n\n", text.strip("\n"))
    paragraphs = [part.strip("\n") for part in re.split(r"\n\s*\n", text) if part.strip()]
    text = "".join(f"<p>{part}</p>\n" for part in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(rf"<p>\s*(</?{_BLOCKS}[^>]*>)", r"\1", text, flags=re.I)
    text = re.sub(rf"(</?{_BLOCKS}[^>]*>)\s*</p>", r"\1", text, flags=re.I)
    text = re.sub(r"<p>(<wp-pre-\d+></wp-pre-\d+>)</p>", r"\1", text)
    # Line breaks: a newline left inside a paragraph, unless a block tag stands beside it.
    text = re.sub(r"(?<!<br />)\s*\n(?!\s*</?" + _BLOCKS + r"[\s>/])", "<br />\n", text, flags=re.I)
    text = re.sub(rf"(</?{_BLOCKS}[^>]*>)\s*<br />", r"\1", text, flags=re.I)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=re.I)
    text = re.sub(r"<br />\n?$", "\n", text)
    return re.sub(r"<wp-pre-(\d+)></wp-pre-\1>", lambda m: kept[int(m.group(1))], text)


# --- HTML to Markdown ---------------------------------------------------------------------------

_CAPTION_TAGS = {"a", "em", "strong", "i", "b", "br", "sup", "sub", "code"}


class _Converter(MarkdownConverter):
    """markdownify with what the archive keeps as HTML, and text that never turns into markup."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = super().escape(text, parent_tags)
        # `&lt;script&gt;` in a post is text about a tag: it must stay text in the Markdown.
        # Only where Markdown would read markup: `R&D` and `a < b` stay as they are.
        if "&" in text:
            text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
        if "<" in text:
            text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
        return text.replace("[[", "[\\[")  # not a wiki link of this archive

    def convert_figure(self, el, text: str, parent_tags: set[str]) -> str:
        image = el.find("img")
        picture = ""
        if image is not None and image.get("src"):
            alt = html.escape(image.get("alt", "") or "")
            picture = f'<img src="{html.escape(image["src"])}" alt="{alt}">'
            link = image.find_parent("a")
            if link is not None and link.get("href") and el in link.parents:
                picture = f'<a href="{html.escape(link["href"])}">{picture}</a>'
        caption = el.find("figcaption")
        caption_html = ""
        if caption is not None:
            inner = "".join(str(child) for child in caption.children)
            inner = nh3.clean(inner, tags=_CAPTION_TAGS, attributes={"a": {"href"}}, link_rel=None,
                              url_schemes={"http", "https", "mailto"}).strip()
            if inner:
                caption_html = f"<figcaption>{' '.join(inner.split())}</figcaption>"
        if not picture and not caption_html:
            return text
        return f"\n\n<figure>{picture}{caption_html}</figure>\n\n"


_OPTIONS = dict(heading_style=ATX, bullets="-", sup_symbol="<sup>", sub_symbol="<sub>", table_infer_header=True,
                strong_em_symbol="*", escape_misc=False, code_language="")
_DROPPED = re.compile(r"<(script|style|iframe|object|embed|form)\b|\son[a-z]+\s*=|javascript:", re.I)


def to_markdown(content: str) -> Converted:
    """Markdown for a post's `content:encoded`, with what needs the editor's eye noted."""
    unknown: list[str] = []
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    removed = sorted({_removed_name(m) for m in _DROPPED.finditer(text)})
    text = _replace_shortcodes(text, unknown)
    # A URL alone on its line is what WordPress embeds (oEmbed): kept as a link to it.
    text = re.sub(r"(?m)^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", lambda m: _link(m.group(1)), text)
    if "<!-- wp:" not in text:  # the block editor writes its own <p>; WordPress skips autop too
        text = autop(text)
    text = clean_html(text)
    markdown = _Converter(**_OPTIONS).convert(text)
    markdown = "\n".join(line.rstrip() if not line.endswith("  ") else line for line in markdown.splitlines())
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip("\n")
    return Converted(markdown + "\n" if markdown else "", unknown, removed)


def _removed_name(m: re.Match[str]) -> str:
    if m.group(1):
        return f"<{m.group(1).lower()}>"
    return "javascript: links" if m.group(0).lower().startswith("javascript") else "on… event attributes"


def plain_text(fragment: str) -> str:
    """A title or an excerpt as plain text: tags dropped, entities read, whitespace collapsed."""
    return " ".join(html.unescape(nh3.clean(fragment or "", tags=set())).split())
