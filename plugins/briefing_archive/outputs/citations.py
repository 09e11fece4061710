"""How to cite a brief: a recommended citation, BibTeX, RIS and CSL-JSON files, Google Scholar meta tags.

Every export names authors by their parts (`Author.name_parts`: "Kim, Min-ji") and gives a brief in
a series its series and number where each format keeps a report's:
- BibTeX `@techreport`: `series`, `number`, `institution`. The file is UTF-8, as biblatex (with
  Biber) reads it: "Kim, 민지" and "Ortiz, José" need no LaTeX escapes.
- RIS `RPRT`: `T3` (the series title) and `SN` (the report number), as Zotero's and EndNote's
  RIS import and export read a report's series and number (`IS` is an issue, `M1` a free note).
- CSL-JSON `report`: `collection-title` and `number`, what CSL styles print for a report.
"""

from __future__ import annotations

import json
import re

from ..catalogue import Brief
from ..structured_data import absolute

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_~^])")
_BIBTEX_REPLACEMENT = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bibtex_name(author) -> str:
    # "Family, Given", each part in braces only when BibTeX would split it: at a comma or an "and".
    def part(text: str) -> str:
        text = _bibtex_escape(text)
        return "{" + text + "}" if "," in text or re.search(r"\band\b", text, re.IGNORECASE) else text
    family, given = author.name_parts
    return part(family) + (", " + part(given) if given else "")


def _ris_name(author) -> str:
    family, given = author.name_parts
    return f"{family}, {given}" if given else family


def _bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENT.get(m.group(1), "\\" + m.group(1)), " ".join(text.split()))


def bibtex(brief: Brief, publisher: str, site_url: str) -> str:
    fields = [
        ("title", "{" + _bibtex_escape(brief.title) + "}"),
        ("author", " and ".join(_bibtex_name(a) for a in brief.authors)),
        ("institution", _bibtex_escape(publisher)),
        ("type", _bibtex_escape(brief.type.title)),
    ]
    if brief.series and brief.number:
        fields += [("series", _bibtex_escape(brief.series.title)), ("number", str(brief.number))]
    fields += [
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
    lines += [line("AU", _ris_name(a)) for a in brief.authors]
    if brief.series and brief.number:
        lines += [line("T3", brief.series.title), line("SN", str(brief.number))]
    lines += [
        line("PY", str(brief.date.year)),
        line("DA", brief.date.strftime("%Y/%m/%d")),
        line("PB", publisher),
        line("M3", brief.type.title),
        line("UR", absolute(site_url, brief.url)),
        line("LA", brief.language),
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
        ("citation_language", brief.language or "en"),
    ]
    if brief.series and brief.number:
        tags.append(("citation_technical_report_number", brief.series.numbered(brief.number)))
    if brief.pdf_url:
        tags.append(("citation_pdf_url", absolute(site_url, brief.pdf_url)))
    tags += [("citation_keywords", t.title) for t in brief.topics]
    return tags


def csl_record(brief: Brief, publisher: str, site_url: str) -> dict:
    """The brief as one CSL-JSON item (the citation styles' input): a `report` of the publisher."""
    record: dict = {
        "id": brief.slug,
        "type": "report",
        "title": brief.title,
        "author": [dict(zip(("family", "given"), a.name_parts)) for a in brief.authors],
        "issued": {"date-parts": [[brief.date.year, brief.date.month, brief.date.day]]},
        "publisher": publisher,
        "genre": brief.type.title,
    }
    for name in record["author"]:
        if not name["given"]:
            del name["given"]
    if brief.series and brief.number:
        record["collection-title"] = brief.series.title
        record["number"] = str(brief.number)
    record["URL"] = absolute(site_url, brief.url)
    record["language"] = brief.language or "en"
    record["abstract"] = brief.summary
    return record


def csl_json(brief: Brief, publisher: str, site_url: str) -> str:
    """The `<slug>.json` file: a list holding the brief's CSL-JSON item, as reference managers import it."""
    return json.dumps([csl_record(brief, publisher, site_url)], ensure_ascii=False, indent=2) + "\n"


def citation_file(brief: Brief, extension: str) -> str:
    """Where a brief's citation file lives: next to its page, named after it."""
    return f"{brief.url}{brief.slug}.{extension}"


# The reference files beside each brief's page, by extension.
CITATION_FILES = {"bib": bibtex, "ris": ris, "json": csl_json}
