"""citeproc-py 0.11.1 made faster on our own parsed styles, giving the same output byte for byte.

citeproc-py answers the same questions again and again while it formats: every name asks XPath
for its enclosing <bibliography> once per option, every text looks its <layout> up and asks five
times for the formatter, every <if> compares the reference's type and variables anew, every look
at the reference walks four dictionaries. Each patch keeps an answer that cannot change. In
instructions a brief for the three styles (valgrind; `python -m bench.citations` times them):
15 million with all of them, 72 with the macro, term and "prints a variable" memos alone (~10 ms
of CPU, what there was before), 280 with none; and without each, the others kept:

- answers about the style alone, kept per element (`_per_element`, `_kept`): its root, layout,
  macros, terms, dates, locale options, whether it prints a variable, a name's options, XPath
  searches from it: +22 million (18 of them the macros, terms and "prints a variable").
  Rendering never moves an element nor changes an attribute these answers read: it adds a
  <name> to a <names> that has none, and copies a style's <date-part> attributes onto a
  locale's (`_formats_nothing` leaves <date-part> alone);
- the formatter and the font options (`_get_formatter`, `_format`): +5 million;
- conditions (<if>, <else-if>) that test only the type and which variables are present, kept
  per `Cite.shape`, and the branches of a <choose> they rule out skipped: +6 million;
- a macro that can read none of the variables the reference has, known to print nothing for
  that shape (`_macro_render`): +4.5 million;
- the cited item's reference, found once and its variables readable as attributes (`Cite`):
  +6 million.
Answers are kept only for the elements of the styles given to `remember` (ours: parsed once per
process and kept, every element held in `_ours`, so an element stays one Python object for the
life of the process and can be a key). Any other element (a style a test parses) and any other
cited item go to citeproc-py's own code. Made only on the tested version
(citation_styles.TESTED_CITEPROC); `lifted()` gives citeproc-py as released for the plain path,
the oracle these are held to (tests/test_citation_speedups.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cached_property
from typing import Callable, Iterator

from citeproc import CitationItem
from citeproc import model as _model

_ours: set = set()  # every element of the styles (and their locales) `remember` was given
_MISSING = object()


def remember(root) -> None:
    """Takes a parsed style's (or locale's) elements as ours: kept alive, so answers about them can be kept."""
    _ours.update(root.iter())


class Cite(CitationItem):
    """A cited item whose reference (the same from its registration on) is looked up once."""

    @cached_property
    def reference(self):
        reference = CitationItem.reference.fget(self)
        # `reference.title` is `reference["title"]`, found by CustomDict.__getattr__ once Python's
        # own lookup has failed; as an attribute too it is found at once. The same value: no
        # one writes to a reference once CiteProcJSON has made it. A name the class has (a dict
        # method) stays the class's, as it does for citeproc-py.
        attributes = vars(reference)
        for name, value in reference.items():
            if not hasattr(type(reference), name):
                attributes[name] = value
        return reference

    @cached_property
    def shape(self) -> tuple:
        """All that a condition on type and variables reads of the item: the reference's type,
        which variables it has (`variable in reference`), whether the item has a locator."""
        return self.reference.type, frozenset(self.reference), "locator" in self


def _per_element(original: Callable) -> Callable:
    """A method without arguments whose answer depends on the element's place in its tree only."""
    kept: dict = {}

    def method(self):
        found = kept.get(self, _MISSING)
        if found is _MISSING:
            found = original(self)
            if self in _ours:
                kept[self] = found
        return found
    return method


def _xpath_search(self, expression):
    """The elements an XPath expression finds from one of our elements. citeproc-py's
    expressions look for macros, terms, dates, ancestors, a <substitute>, a <date-part> by name,
    a following <et-al>: none of which the one change rendering makes (a <name> added to a
    <names> without one) can add to or take from. A new list each time, as lxml gives."""
    key = (self, expression)
    found = _xpath_found.get(key)
    if found is None:
        found = _original_xpath_search(self, expression)
        if self in _ours:
            _xpath_found[key] = found
    return list(found)


_xpath_found: dict = {}
_original_xpath_search = _model.CitationStylesElement.xpath_search


def _formatter_holder(element):
    """The element whose `formatter` get_formatter reads: the style's root (a locale's `style`)."""
    root = element.get_root()
    return root.style if isinstance(root, _model.Locale) else root


_formatter_holder = _per_element(_formatter_holder)


def _get_formatter(self):
    return _formatter_holder(self).formatter


_PLAIN = (("font-style", "normal"), ("font-variant", "normal"), ("font-weight", "normal"),
          ("text-decoration", "none"), ("vertical-align", "baseline"))


def _formats_nothing(element) -> bool:
    """Whether Formatted.format gives its text back as it is: every font option at its default.
    Not said of a <date-part>, whose attributes citeproc-py overwrites as it renders dates."""
    return (element in _ours and not isinstance(element, _model.Date_Part)
            and all(element.get(option, default) == default for option, default in _PLAIN))


_formats_nothing = _per_element(_formats_nothing)


def _format(self, string):
    if not _formats_nothing(self):
        return _original_format(self, string)
    return str(string) if isinstance(string, (int, float)) else string


_original_format = _model.Formatted.format


def _kept(original: Callable, key: Callable) -> Callable:
    """A method whose answer depends on the element and the arguments `key` takes from a call only."""
    kept: dict = {}

    def method(self, *args, **kwargs):
        at = key(self, *args, **kwargs)
        found = kept.get(at, _MISSING)
        if found is _MISSING:
            found = original(self, *args, **kwargs)
            if self in _ours:
                kept[at] = found
        return found
    return method


def _locale_term(self, name, form=None, zero_padded=False):
    """Locale.get_term: a term of the locale, or IndexError when it has none (raised anew each
    time: one instance raised again and again would grow its traceback)."""
    key = (self, name, form, zero_padded)
    found = _terms.get(key, _MISSING)
    if found is _MISSING:
        try:
            found = _original_locale_term(self, name, form, zero_padded)
        except IndexError:
            found = None
        if self in _ours:
            _terms[key] = found
    if found is None:
        raise IndexError(name)
    return found


_terms: dict = {}
_original_locale_term = _model.Locale.get_term


# Tests of a condition that read more than the item's shape: the value of a variable, the
# reference's date, the item's locator, the citation's position.
_VALUE_TESTS = ("is-numeric", "is-uncertain-date", "locator", "position")


def _reads_shape_only(condition) -> bool:
    return condition in _ours and not any(test in condition.attrib for test in _VALUE_TESTS)


_reads_shape_only = _per_element(_reads_shape_only)
_held: dict = {}


def _holds(condition, shape: tuple) -> bool:
    """If.render's verdict on a condition that tests the type and variables only, from the item's
    shape alone: If._type compares each type with the reference's, If._variable asks whether
    each variable is in the reference (the locator: in the item)."""
    reference_type, variables, has_locator = shape
    results = [kind.lower() == reference_type for kind in condition.get("type", "").split()]
    for variable in condition.get("variable", "").split():
        variable = variable.replace("-", "_")
        results.append(has_locator if variable == "locator" else variable in variables)
    match = condition.get("match")
    if match == "any":
        return any(results)
    if match == "none":
        return not any(results)
    return all(results)


def _if_render(self, item, context=None, delimiter="", **kwargs):
    if type(item) is not Cite or not _reads_shape_only(self):
        return _original_if_render(self, item, context=context, delimiter=delimiter, **kwargs)
    key = (self, item.shape)
    holds = _held.get(key)
    if holds is None:
        holds = _held[key] = _holds(self, item.shape)
    if not holds:
        raise _model.ConditionFailed
    return self.render_children(item, context=context, delimiter=delimiter, **kwargs)


_original_if_render = _model.If.render
_children = _per_element(lambda element: tuple(element.iterchildren()))
_first_candidate: dict = {}


def _first_that_may_hold(choose, item) -> int:
    """The first branch of a <choose> that Choose.render could render: every branch before it is a
    condition on the item's shape that fails (and If.render would raise ConditionFailed for it
    before rendering anything); from it on, each branch is tried as citeproc-py tries it."""
    for index, branch in enumerate(_children(choose)):
        if not isinstance(branch, _model.If) or not _reads_shape_only(branch) or _holds(branch, item.shape):
            return index
    return len(_children(choose))


def _choose_render(self, item, context=None, delimiter="", **kwargs):
    if type(item) is not Cite or self not in _ours:
        return _original_choose_render(self, item, context=context, delimiter=delimiter, **kwargs)
    key = (self, item.shape)
    first = _first_candidate.get(key)
    if first is None:
        first = _first_candidate[key] = _first_that_may_hold(self, item)
    for branch in _children(self)[first:]:
        try:
            return branch.render(item, context=context, delimiter=delimiter, **kwargs)
        except _model.ConditionFailed:
            continue
    return None


_original_choose_render = _model.Choose.render


# What a macro's elements read of the cited item, by the kind of element: its variable. A macro
# holding anything else (names, whose substitutes change what later elements print; a
# condition on the locator or the citation's position) is not said to read a known set.
_READ_BY_VARIABLE = (_model.Text, _model.Number, _model.Label, _model.Date)
_READ_NOTHING = (_model.Macro, _model.Group, _model.Choose, _model.Else, _model.Date_Part)
_ITEM_VARIABLES = ("citation-number", "locator", "first-reference-note-number")  # not the reference's


def _read_by(macro, calling: frozenset) -> frozenset | None:
    """The reference variables (as citeproc-py names them: "collection_title") rendering `macro`
    can read, through the macros it calls; None when that is not known."""
    read: set[str] = set()
    for element in macro.iter():
        if isinstance(element, _model.If):  # Else_If too
            if "position" in element.attrib or "locator" in element.attrib:
                return None
            for test in ("is-numeric", "is-uncertain-date"):
                read.update(element.get(test, "").split())
        elif isinstance(element, _READ_BY_VARIABLE):
            variable = element.get("variable")
            if variable is not None:
                if variable in _ITEM_VARIABLES:
                    return None
                read.add(variable)
                read.add(variable + "-short")  # <text form="short"> reads it when there is one
                if variable.startswith("page"):
                    read.add("page")
            if isinstance(element, _model.Text) and "macro" in element.attrib:
                called = element.get_macro(element.get("macro"))
                below = None if called in calling else _read_by(called, calling | {macro})
                if below is None:
                    return None
                read.update(below)
        elif not isinstance(element, _READ_NOTHING):
            return None
    return frozenset(name.replace("-", "_") for name in read)


_variables_read = _per_element(lambda macro: _read_by(macro, frozenset()))
_renders_nothing: dict = {}


def _macro_render(self, item, context=None, sort_options=None):
    """A macro that can read none of the variables the reference has renders what it renders
    from the style, the item's shape and the reference's language (which sets title case) alone:
    when that is nothing, it is nothing again for every item of that shape and language. Nothing
    happens on the way (only a <names>' substitute marks what later elements leave out). The
    context (another element's layout) only tells an absent variable's None from its
    VariableError, which every parent treats alike."""
    if sort_options is not None or type(item) is not Cite or self not in _ours:
        return _original_macro_render(self, item, context=context, sort_options=sort_options)
    read = _variables_read(self)
    if read is None or not read.isdisjoint(item.shape[1]):
        return _original_macro_render(self, item, context=context, sort_options=sort_options)
    key = (self, item.shape, item.reference.get("language"), _formatter_holder(self).formatter)
    if _renders_nothing.get(key):
        return None
    rendered = _original_macro_render(self, item, context=context, sort_options=sort_options)
    _renders_nothing[key] = rendered is None
    return rendered


_original_macro_render = _model.Macro.render


def _name_option(original: Callable) -> Callable:
    """Name.get_option: an option a sort sets comes from the sort; any other from the style."""
    from_style = _kept(original, lambda self, name, context=None, sort_options=None: (self, name, context))

    def get_option(self, name, context=None, sort_options=None):
        if sort_options is not None and name in sort_options:
            return original(self, name, context, sort_options)
        return from_style(self, name, context)
    return get_option


def _patches() -> list[tuple[type, str, Callable]]:
    element, locale, name = _model.CitationStylesElement, _model.Locale, _model.Name
    return [
        (element, "get_root", _per_element(element.get_root)),
        (element, "get_layout", _per_element(element.get_layout)),
        (element, "get_macro", _kept(element.get_macro, lambda self, name: (self, name))),
        (element, "get_term", _kept(element.get_term, lambda self, name, form=None, fallback_locale=True,
                                    zero_padded=False: (self, name, form, fallback_locale, zero_padded))),
        (element, "get_date", _kept(element.get_date, lambda self, form: (self, form))),
        (element, "get_locale_option", _kept(element.get_locale_option, lambda self, name: (self, name))),
        (locale, "get_term", _locale_term),
        (_model.Parent, "calls_variable", _per_element(_model.Parent.calls_variable)),
        (_model.Text, "calls_variable", _per_element(_model.Text.calls_variable)),
        (_model.Date, "is_locale_date", _per_element(_model.Date.is_locale_date)),
        (_model.Names, "substitute", _per_element(_model.Names.substitute)),
        (_model.Names, "get_parent_delimiter", _kept(_model.Names.get_parent_delimiter,
                                                     lambda self, context=None: (self, context))),
        (name, "get_option", _name_option(name.get_option)),
        (element, "xpath_search", _xpath_search),
        (element, "get_formatter", _get_formatter),
        (locale, "get_formatter", _get_formatter),
        (_model.Formatted, "format", _format),
        (_model.If, "render", _if_render),
        (_model.Choose, "render", _choose_render),
        (_model.Macro, "render", _macro_render),
    ]


_PATCHES = _patches()
_ORIGINALS = [(owner, attribute, owner.__dict__[attribute]) for owner, attribute, _ in _PATCHES]
_installed = False


def install() -> None:
    global _installed
    for owner, attribute, patched in _PATCHES:
        setattr(owner, attribute, patched)
    _installed = True


@contextmanager
def lifted() -> Iterator[None]:
    """citeproc-py as released (but for citation_styles' own name handling), for the time of the block."""
    if not _installed:
        yield
        return
    for owner, attribute, original in _ORIGINALS:
        setattr(owner, attribute, original)
    try:
        yield
    finally:
        install()
