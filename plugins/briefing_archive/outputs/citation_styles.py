"""A brief's reference in Chicago, APA and MLA, formatted by citeproc-py from the official CSL styles.

The three styles are the CSL project's own files, shipped in `csl/` (see its README for their
licence). Each is parsed once per process, on first use (or by `load_styles` before the page
workers fork), and kept. Formatting a brief in the three styles costs about 12 ms of CPU (the
1,000-brief bench archive, 1.5 authors a brief; 18 ms with the macro lookups alone kept, 20 ms
and more with none kept), the same in every page worker.

Where citeproc-py 0.11.1 falls short, it is patched here, narrowly (its `Name.initialize`, and
lookups that give the same answer for the life of a parsed style):
- `initialize="false"` (CSL 1.0.1), which every one of these styles sets where a reference spells
  given names out, is ignored: Chicago and MLA would print "Kim, M." for "Kim, Min-ji". And a
  hyphenated given name whose second part is lower case ("Min-ji", common in Korean names) comes
  out as "M.-. ji ." where APA wants "M.-j.".
- every macro call, every locale term and every "does this part print a variable?" walks the
  style again (XPath); each answer is kept. Rendering the bench archive's 1,000 briefs with and
  without these memos gave the same HTML, byte for byte.
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


# What never changes in a parsed style, found once. lxml hands out the same Python object for an
# element while one is alive, and `_style` keeps every element of our styles (and of their
# locales) alive: such an element's id() names it for as long as the process runs. Elements of
# any other style parsed in the process (a test's, say) are not ours, and go unremembered.
_found: dict[tuple, object] = {}
_ours: set[int] = set()  # the ids of our styles' and their locales' roots
_MISSING = object()


def _get_macro(self, name):
    root = self.get_root()
    if id(root) not in _ours:
        return _original_get_macro(self, name)
    key = ("macro", id(root), name)
    if key not in _found:
        _found[key] = _original_get_macro(self, name)
    return _found[key]


def _get_term(self, name, form=None, zero_padded=False):
    if id(self.get_root()) not in _ours:
        return _original_get_term(self, name, form, zero_padded)
    key = ("term", id(self), name, form, zero_padded)
    found = _found.get(key)
    if found is None:
        try:
            found = _original_get_term(self, name, form, zero_padded)
        except IndexError:
            found = _MISSING
        _found[key] = found
    if found is _MISSING:
        raise IndexError(name)
    return found


def _memoized_calls_variable(original):
    def calls_variable(self):
        if id(self.get_root()) not in _ours:
            return original(self)
        key = ("calls", id(self))
        found = _found.get(key)
        if found is None:
            found = _found[key] = original(self)
        return found
    return calls_variable


# The patches lean on citeproc-py's internals: made on the version they were tested on only
# (elsewhere its own code runs: the names may read as it prints them, and formatting is slower).
TESTED_CITEPROC = ("0.11.1",)
PATCHED = metadata.version("citeproc-py") in TESTED_CITEPROC
_original_initialize = _model.Name.initialize
_original_get_macro = _model.CitationStylesElement.get_macro
_original_get_term = _model.Locale.get_term
if PATCHED:
    _model.Name.initialize = _initialize
    _model.CitationStylesElement.get_macro = _get_macro
    _model.Locale.get_term = _get_term
    _model.Parent.calls_variable = _memoized_calls_variable(_model.Parent.calls_variable)
    _model.Text.calls_variable = _memoized_calls_variable(_model.Text.calls_variable)


_kept_alive: list[list[object]] = []


@cache
def _style(file: str) -> CitationStylesStyle:
    style = CitationStylesStyle(str(STYLES_DIR / file), locale="en-US", validate=False)
    roots = [style.root, *(locale.getroottree().getroot() for locale in style.root.locales)]
    _kept_alive.append([element for root in roots for element in root.iter()])
    _ours.update(id(root) for root in roots)
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


def render(record: dict) -> list[RenderedCitation]:
    """The reference in each style, as HTML (italics for titles), markup in the record kept as text."""
    source = CiteProcJSON([_for_formatter(record)])
    rendered = []
    for style in STYLES:
        bibliography = CitationStylesBibliography(_style(style.file), source, formatter.html)
        bibliography.register(Citation([CitationItem(str(record["id"]).lower())]))  # citeproc-py lowers ids
        entry = unicodedata.normalize("NFC", "".join(str(e) for e in bibliography.bibliography()))
        rendered.append(RenderedCitation(style, safe_html(" ".join(entry.split()))))
    return rendered


def safe_html(entry: str) -> str:
    """A second guard: nothing but citeproc's own inline tags can reach the page (also said of
    references read back from the cache, a file a pull request could bring)."""
    return nh3.clean(entry, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                     filter_style_properties={"font-variant", "font-style", "font-weight"})
