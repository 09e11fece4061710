"""Redirect pages for briefs' old addresses, checked against every real page: those editors wrote
(`aliases:`) and those git history gives a renamed or moved brief file (`LoadedArchive.former`)."""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass

from .catalogue import Catalogue, LoadedArchive, Report
from .outputs.api import API_FILES
from .outputs.citations import CITATION_FILES, citation_file
from .outputs.feeds import feeds
from .pages import dest_uri, plan_pages
from .structured_data import absolute


@dataclass(frozen=True)
class Redirect:
    alias: str  # as the editor wrote it, /analysis/2023/old-name/, or from history, /briefs/2022/old-name/
    dest_uri: str  # the file written under site/: analysis/2023/old-name/index.html
    target_url: str  # the brief's own address: briefs/2023/new-name/


def alias_dest_uri(alias: str) -> str:
    path = alias.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path if "." in path.rsplit("/", 1)[-1] else path + "/index.html"


# Files MkDocs writes after the plugins' files (the theme's static templates, the sitemap's copy).
WRITTEN_LATER = ("404.html", "sitemap.xml", "sitemap.xml.gz")


def archive_addresses(catalogue: Catalogue, page_size: int) -> set[str]:
    """The files the archive itself publishes (pages, feeds, the API, citation files, PDF
    editions): what `briefs check` knows an alias must not take, without a build."""
    taken = {dest_uri(src_uri) for src_uri in plan_pages(catalogue, page_size)}
    taken.update(feed.url for feed in feeds(catalogue))
    taken.update(API_FILES)
    for brief in catalogue.every:
        taken.update(citation_file(brief, extension) for extension in CITATION_FILES)
        if brief.pdf:
            taken.add(brief.pdf_url)
    return taken


def plan_redirects(loaded: LoadedArchive, taken: set[str]) -> tuple[list[Redirect], Report]:
    """One redirect per alias and earlier address of a published brief; one that would overwrite a
    page is an error. (The loader has checked them against every brief's address and aliases.)

    Addresses are compared ignoring case: on a case-insensitive disk (macOS, Windows)
    `/Briefs/2023/X/` and `/briefs/2023/x/` are one file.
    """
    report = Report()
    redirects = []
    taken = {uri.casefold() for uri in (*taken, *WRITTEN_LATER)}
    planned: dict[str, str] = {}  # dest_uri -> slug: `/old` and `/old/index.html` are one file
    for brief in sorted(loaded.catalogue.every, key=lambda b: b.slug):  # same order as the loader's alias check
        source = loaded.sources[brief.slug]
        for index, alias in enumerate(brief.aliases):
            dest = alias_dest_uri(alias)
            if dest.casefold() in taken:
                report.error(source.path, source.meta.line_of("aliases", index),
                             f"alias '{alias}' is the address of an existing page ({dest}); an alias must be an old address nothing else uses")
                continue
            if dest.casefold() in planned:
                report.error(source.path, source.meta.line_of("aliases", index),
                             f"alias '{alias}' is the same address ({dest}) as an alias of '{planned[dest.casefold()]}'")
                continue
            planned[dest.casefold()] = brief.slug
            redirects.append(Redirect(alias, dest, brief.url))
        for address, was in loaded.former.get(brief.slug, ()):
            dest = alias_dest_uri(address)
            if dest.casefold() in taken or dest.casefold() in planned:
                report.error(source.path, 1, f"this brief's earlier address {address} (its file was {was} in git history) "
                             f"is now the address of another page ({dest}), so old links would lead there: "
                             "move that page to another address")
                continue
            planned[dest.casefold()] = brief.slug
            redirects.append(Redirect(address, dest, brief.url))
    return sorted(redirects, key=lambda r: r.dest_uri), report


def redirect_html(redirect: Redirect, site_url: str) -> str:
    relative = posixpath.relpath(redirect.target_url, posixpath.dirname(redirect.dest_uri) or ".") + "/"
    href = html.escape(relative)
    canonical = html.escape(absolute(site_url, redirect.target_url))
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Redirecting…</title>\n"
        f"<link rel=\"canonical\" href=\"{canonical}\">\n"
        "<meta name=\"robots\" content=\"noindex\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n"
        "</head>\n<body>\n"
        f"<p>This brief has moved to <a href=\"{href}\">{canonical}</a>.</p>\n"
        "</body>\n</html>\n"
    )
