"""A brief's reference in Chicago, APA and MLA, formatted by citeproc-py from the official CSL styles.

The three styles are the CSL project's own files, shipped in `csl/` (see its README for their
licence). Each is parsed once per process, on first use (or by `load_styles` before the page
workers fork), and kept. Formatting a brief in the three styles costs about 2.5 ms of CPU (the
1,000-brief bench archive, 1.5 authors a brief: `python -m bench.citations`; ~25 ms with
citeproc-py's own code), the same in every page worker.

Where citeproc-py 0.11.1 falls short, it is patched here, narrowly: its `Name.initialize`.
- `initialize="false"` (CSL 1.0.1), which every one of these styles sets where a reference spells
  given names out, is ignored: Chicago and MLA would print "Kim, M." for "Kim, Min-ji". And a
  hyphenated given name whose second part is lower case ("Min-ji", common in Korean names) comes
  out as "M.-. ji ." where APA wants "M.-j.".
Where it is slow, citeproc_speedups.py keeps what cannot change while a style formats (each
patch says why its answer is the same). `render(record, speed_ups=False)`, the plain path, formats
with citeproc-py as released (this module's name handling apart) and each style parsed afresh
for the record alone: tests/test_citation_speedups.py and `python -m bench.citations --compare`
hold the speed-ups to it, byte for byte, and so does the oracle of builds (`speed_ups: false`).
Names in scripts without letter case (Hangul, Chinese, Japanese) are given to the formatter whole,
family name first and without a space ("김민지"), as the CSL specification displays them.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import nh3
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc import model as _model
from citeproc.source.json import CiteProcJSON

from . import citeproc_speedups

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


# The patches lean on citeproc-py's internals: made on the version they were tested on only
# (elsewhere its own code runs: the names may read as it prints them, and formatting is slower;
# the output of the speed-ups is citeproc-py's own either way).
TESTED_CITEPROC = ("0.11.1",)
PATCHED = metadata.version("citeproc-py") in TESTED_CITEPROC
_original_initialize = _model.Name.initialize
if PATCHED:
    _model.Name.initialize = _initialize
    citeproc_speedups.install()


def _parsed(file: str) -> CitationStylesStyle:
    return CitationStylesStyle(str(STYLES_DIR / file), locale="en-US", validate=False)


@cache
def _style(file: str) -> CitationStylesStyle:
    style = _parsed(file)
    for root in (style.root, *(locale.getroottree().getroot() for locale in style.root.locales)):
        citeproc_speedups.remember(root)
    return style


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
            value = [{"literal": html.escape(n["family"] + n.get("given", ""), quote=False)}
                     if _caseless(n["family"] + n.get("given", "")) else
                     {k: html.escape(v, quote=False) for k, v in n.items()} for n in value]
        elif isinstance(value, str) and key not in ("id", "type", "language"):
            value = html.escape(value, quote=False)
        ready[key] = value
    return ready


def render(record: dict, *, speed_ups: bool = True, styles: tuple[CitationStyle, ...] = STYLES) -> list[RenderedCitation]:
    """The reference in each style, as HTML (italics for titles), markup in the record kept as text.
    `speed_ups=False` is the plain path: citeproc-py as released, each style parsed afresh for
    this record alone; the same HTML, byte for byte, several times slower."""
    source = CiteProcJSON([_for_formatter(record)])
    key = str(record["id"]).lower()  # citeproc-py lowers ids
    if not speed_ups:
        with citeproc_speedups.lifted():
            return [_rendered(style, _parsed(style.file), source, CitationItem(key)) for style in styles]
    cite = citeproc_speedups.Cite if PATCHED else CitationItem
    return [_rendered(style, _style(style.file), source, cite(key)) for style in styles]


def _rendered(style: CitationStyle, parsed: CitationStylesStyle, source: CiteProcJSON, item: CitationItem) -> RenderedCitation:
    bibliography = CitationStylesBibliography(parsed, source, formatter.html)
    bibliography.register(Citation([item]))
    entry = unicodedata.normalize("NFC", "".join(str(e) for e in bibliography.bibliography()))
    return RenderedCitation(style, safe_html(" ".join(entry.split())))


def safe_html(entry: str) -> str:
    """A second guard: nothing but citeproc's own inline tags can reach the page (also said of
    references read back from the cache, a file a pull request could bring)."""
    return nh3.clean(entry, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                     filter_style_properties={"font-variant", "font-style", "font-weight"})
