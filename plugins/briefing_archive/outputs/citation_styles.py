"""A brief's reference in Chicago, APA and MLA, formatted by citeproc-py from the official CSL styles.

The three styles are the CSL project's own files, shipped in `csl/` (see its README for their
licence). Each is parsed once per process, on first use, and kept: a page worker forked after the
first brief page reuses them. Formatting is the slow part (about 13 ms a style, see `render`).

Two gaps in citeproc-py 0.11.1 are closed here, narrowly and only on its `Name` and macro lookup:
- `initialize="false"` (CSL 1.0.1), which every one of these styles sets where a reference spells
  given names out, is ignored: Chicago and MLA would print "Kim, M." for "Kim, Min-ji". And a
  hyphenated given name whose second part is lower case ("Min-ji", common in Korean names) comes
  out as "M.-. ji ." where APA wants "M.-j.".
- every macro call searches the whole style with XPath; the search is kept once per style.
Names in scripts without letter case (Hangul, Chinese, Japanese) are given to the formatter whole,
family name first and without a space ("김민지"), as the CSL specification displays them.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nh3
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc import model as _model
from citeproc.source.json import CiteProcJSON

STYLES_DIR = Path(__file__).resolve().parent.parent / "csl"


@dataclass(frozen=True)
class CitationStyle:
    key: str  # what the page marks it with: data-citation-style="chicago"
    label: str  # what the switch says
    file: str  # in csl/


STYLES = (
    CitationStyle("chicago", "Chicago", "chicago-notes-bibliography.csl"),
    CitationStyle("apa", "APA", "apa.csl"),
    CitationStyle("mla", "MLA", "modern-language-association.csl"),
)

# What citeproc-py's HTML formatter writes; anything else is dropped (the input is escaped anyway).
_ALLOWED_TAGS = {"i", "b", "sup", "sub", "span"}
_ALLOWED_ATTRIBUTES = {"span": {"style"}}


@dataclass(frozen=True)
class RenderedCitation:
    style: CitationStyle
    html: str  # safe to put in a page as it is


def _initialize(self, given, mark, context):
    """citeproc-py's Name.initialize, honouring initialize="false" and lower-case hyphenated parts."""
    element = self
    while element is not None:  # the option is inherited from <citation>, <bibliography>, <style>
        if element.get("initialize") is not None:
            if element.get("initialize") == "false":
                return given
            break
        element = element.getparent()
    if not self.get_option("initialize-with-hyphen", context):
        return _original_initialize(self, given, mark, context)
    parts = given.split("-")
    first = _original_initialize(self, parts[0], mark, context)
    rest = [part.strip()[:1] + mark.rstrip() for part in parts[1:] if part.strip()]
    return "-".join([first, *rest]) if rest else first


def _get_macro(self, name):
    root = self.get_root()
    found = _macros.get((id(root), name))
    if found is None or found[0] is not root:  # the root is the style's, kept alive by the style
        found = _macros[(id(root), name)] = (root, _original_get_macro(self, name))
    return found[1]


_macros: dict[tuple[int, str], tuple[object, object]] = {}
_original_initialize = _model.Name.initialize
_original_get_macro = _model.CitationStylesElement.get_macro
_model.Name.initialize = _initialize
_model.CitationStylesElement.get_macro = _get_macro


@cache
def _style(file: str) -> CitationStylesStyle:
    return CitationStylesStyle(str(STYLES_DIR / file), locale="en-US", validate=False)


def load_styles() -> None:
    """Parses every style now (before page workers fork, so they share them)."""
    for style in STYLES:
        _style(style.file)


def _caseless(text: str) -> bool:
    """Whether a name is written in a script without capitals (Hangul, Han, kana)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(not (c.isupper() or c.islower()) for c in letters)


def _for_formatter(record: dict) -> dict:
    """The CSL-JSON record as citeproc-py should read it: every text escaped for HTML (its HTML
    formatter writes variables as they are), names without letter case whole."""
    ready = {}
    for key, value in record.items():
        if key == "author":
            value = [{"literal": html.escape(n["family"] + n["given"], quote=False)}
                     if _caseless(n["family"] + n["given"]) else
                     {k: html.escape(v, quote=False) for k, v in n.items()} for n in value]
        elif isinstance(value, str) and key not in ("id", "type", "language"):
            value = html.escape(value, quote=False)
        ready[key] = value
    return ready


def render(record: dict) -> list[RenderedCitation]:
    """The reference in each style, as HTML (italics for titles), markup in the record kept as text."""
    source = CiteProcJSON([_for_formatter(record)])
    rendered = []
    for style in STYLES:
        bibliography = CitationStylesBibliography(_style(style.file), source, formatter.html)
        bibliography.register(Citation([CitationItem(str(record["id"]))]))
        entry = unicodedata.normalize("NFC", "".join(str(e) for e in bibliography.bibliography()))
        # A second guard: nothing but citeproc's own inline tags can reach the page.
        safe = nh3.clean(" ".join(entry.split()), tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                         filter_style_properties={"font-variant", "font-style", "font-weight"})
        rendered.append(RenderedCitation(style, safe))
    return rendered
