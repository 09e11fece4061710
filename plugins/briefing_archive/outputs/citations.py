"""How to cite a brief: a recommended citation, BibTeX and RIS files, Google Scholar meta tags."""

from __future__ import annotations

import re

from ..catalogue import Brief
from ..catalogue.text import format_date
from ..structured_data import absolute

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_~^])")
_BIBTEX_REPLACEMENT = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _names(brief: Brief) -> str:
    names = [a.name for a in brief.authors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def citation_text(brief: Brief, publisher: str, site_url: str) -> str:
    """A Chicago-style reference, as readers paste it into a paper."""
    return (f"{_names(brief)}, “{brief.title},” {brief.type.title}, {publisher}, "
            f"{format_date(brief.date)}, {absolute(site_url, brief.url)}")


def _bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENT.get(m.group(1), "\\" + m.group(1)), " ".join(text.split()))


def bibtex(brief: Brief, publisher: str, site_url: str) -> str:
    # Each name in braces: BibTeX must not reorder "Kim Min-ji" as if "Min-ji" were a family name.
    authors = " and ".join("{" + _bibtex_escape(a.name) + "}" for a in brief.authors)
    fields = [
        ("title", "{" + _bibtex_escape(brief.title) + "}"),
        ("author", authors),
        ("institution", _bibtex_escape(publisher)),
        ("type", _bibtex_escape(brief.type.title)),
        ("year", str(brief.date.year)),
        ("month", str(brief.date.month)),
        ("date", brief.date.isoformat()),
        ("url", absolute(site_url, brief.url)),
        ("abstract", _bibtex_escape(brief.summary)),
        ("keywords", _bibtex_escape(", ".join(t.title for t in brief.topics))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@techreport{{{brief.slug},\n{body}\n}}\n"


def ris(brief: Brief, publisher: str, site_url: str) -> str:
    def line(tag: str, value: str) -> str:
        return f"{tag}  - {' '.join(value.split())}"

    lines = [line("TY", "RPRT"), line("TI", brief.title)]
    lines += [line("AU", a.name) for a in brief.authors]
    lines += [
        line("PY", str(brief.date.year)),
        line("DA", brief.date.strftime("%Y/%m/%d")),
        line("PB", publisher),
        line("M3", brief.type.title),
        line("UR", absolute(site_url, brief.url)),
        line("AB", brief.summary),
    ]
    lines += [line("KW", t.title) for t in brief.topics]
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def scholar_meta(brief: Brief, publisher: str, site_url: str) -> list[tuple[str, str]]:
    """(name, content) pairs of Google Scholar's citation_* tags."""
    tags = [("citation_title", brief.title)]
    tags += [("citation_author", a.name) for a in brief.authors]
    tags += [
        ("citation_publication_date", brief.date.strftime("%Y/%m/%d")),
        ("citation_publisher", publisher),
        ("citation_technical_report_institution", publisher),
        ("citation_fulltext_html_url", absolute(site_url, brief.url)),
        ("citation_language", "en"),
    ]
    tags += [("citation_keywords", t.title) for t in brief.topics]
    return tags


def citation_file(brief: Brief, extension: str) -> str:
    """Where a brief's citation file lives: next to its page, named after it."""
    return f"{brief.url}{brief.slug}.{extension}"


# The reference files beside each brief's page, by extension.
CITATION_FILES = {"bib": bibtex, "ris": ris}
