"""Links between briefs written in Markdown: `[[slug]]` wiki-links and ordinary links to brief pages.

One scanner serves the check (which names the line of an unknown slug), the renderer (which
turns wiki-links into links) and the backlink index, so all three agree on what is a link.
Code blocks and code spans are left alone: `[[x]]` there is text about wiki-links.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

WIKI_LINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_FENCE_CHARACTERS = ("`", "~")
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$")
# Blocks whose content continues indented by 4 spaces (so an indented block after them is not code):
# list items, footnotes, admonitions and other `!!!`/`???`/`===` containers, definitions.
_CONTAINER = re.compile(r"^ {0,3}(?:(?:[*+-]|\d+[.)])(?:\s|$)|\[\^[^\]]+\]:|!!!|\?\?\?|===|:\s)")


@dataclass(frozen=True)
class WikiLink:
    slug: str
    text: str | None
    line: int  # 0-based line within the body
    start: int  # offsets within the body
    end: int


@dataclass(frozen=True)
class BodyLinks:
    wiki: tuple[WikiLink, ...]
    targets: tuple[str, ...]  # destinations of ordinary Markdown links


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def _prose_lines(body: str) -> Iterator[tuple[int, int, str]]:
    """(line number, offset, text) of each line outside fenced and indented code, with code spans blanked."""
    fence: str | None = None
    offset = 0
    blank_before, indented_code, container = True, False, False
    for number, line in enumerate(body.split("\n")):
        stripped = line.lstrip()
        marker = _FENCE.match(line) if stripped[:1] in _FENCE_CHARACTERS else None
        if "\t" in line:
            expanded = line.expandtabs(4)
            indent = len(expanded) - len(expanded.lstrip())
        else:
            indent = len(line) - len(stripped)
        if fence is None and marker:
            fence = marker.group(1)
            blank_before = indented_code = False
        elif fence is not None:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence) \
                    and not stripped.rstrip().strip(fence[0]):
                fence = None
        elif not stripped:
            blank_before = True
        elif indent >= 4 and (indented_code or (blank_before and not container)):
            indented_code, blank_before = True, False  # an indented code block
        else:
            if indent < 4:
                container = bool(_CONTAINER.match(line)) or (container and not blank_before)
            indented_code = blank_before = False
            yield number, offset, _CODE_SPAN.sub(_blank, line) if "`" in line else line
        offset += len(line) + 1


def scan(body: str) -> BodyLinks:
    wiki: list[WikiLink] = []
    targets: list[str] = []
    if "[" not in body:
        return BodyLinks((), ())
    for number, offset, line in _prose_lines(body):
        if "[" not in line:
            continue
        for match in WIKI_LINK.finditer(line):
            if body[offset + match.start() : offset + match.end()] != match.group(0):
                continue  # it takes in part of a code span, which stays code
            text = match.group(2).strip() if match.group(2) else None
            wiki.append(WikiLink(match.group(1).strip(), text, number,
                                 offset + match.start(), offset + match.end()))
        targets += _INLINE_LINK.findall(line)
        reference = _REFERENCE.match(line)
        if reference:
            targets.append(reference.group(1))
    return BodyLinks(tuple(wiki), tuple(targets))


def replace_wiki_links(body: str, links: tuple[WikiLink, ...], render: Callable[[WikiLink], str]) -> str:
    parts, last = [], 0
    for link in links:
        parts += [body[last : link.start], render(link)]
        last = link.end
    return "".join(parts) + body[last:]


def markdown_text(text: str) -> str:
    """Plain text made safe as Markdown link text: nothing in it becomes markup."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]{}()#+!|~])", r"\\\1", escaped)


_EXTERNAL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//|/|#)")


def file_targets(targets: Iterable[str], src_uri: str) -> list[str]:
    """The docs-relative files that the relative links of the page at `src_uri` point at."""
    found = []
    for target in targets:
        target = target.split("#", 1)[0].split("?", 1)[0]
        if target and not _EXTERNAL.match(target):
            found.append(posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), target)))
    return found


def resolve_target(target: str, src_uri: str, url: str) -> tuple[str, str] | None:
    """What an ordinary link points at: ("src", briefs/2023/x.md) or ("url", briefs/2023/x/)."""
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
        return None
    if target.endswith(".md"):
        base = posixpath.dirname(src_uri)
        return "src", posixpath.normpath(posixpath.join(base, target)).lstrip("/")
    if target.startswith("/"):
        path = target
    else:
        path = posixpath.join("/" + url, target)
    normalised = posixpath.normpath(path).lstrip("/")
    return "url", (normalised + "/") if normalised and not normalised.endswith(".html") else normalised
