"""The benchmark's Hugo anchor: an archive's briefs as a minimal Hugo site, beside the archive.

    python -m bench.hugo_site .cache/bench/n1000        # writes .cache/bench/n1000/hugo/

`bench/hugo/` holds the site's configuration and its few layouts, written for the benchmark (no
theme): a page per brief, the paginated listings the archive has (every brief, each topic,
author, type, program and year, 20 a page) under an index of their terms, a home page, Atom
feeds for the site and each term; no search. `write()` copies that folder to `<archive>/hugo/`
and writes into its `content/` the archive's Markdown, as it is, under Hugo's front matter:

| the archive's front matter | Hugo's |
| --- | --- |
| `title`, `date`, `summary`, `aliases` | the same (Hugo writes a redirect page for each alias, as the archive does) |
| `updated` | `lastmod` |
| `topics`, `authors`; `type`, `program` | the taxonomies `topics`, `authors`; `types`, `programs` (a list of one) |
| the year of `date` | the taxonomy `archive`: `/archive/<YYYY>/` |
| `related`, `series`, `number`, `corrections`, `language`, `translation_of` | left out: the minimal layout has no such parts |

`[[slug]]` and `[[slug|words]]` become Markdown links to the brief's address (with its title for
words), which the archive's build resolves the same way. Each topic, author, type and program
gets its term page's title (and description or bio) from `site_config/` and `content/authors/`.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import yaml

LAYOUT = Path(__file__).resolve().parent / "hugo"
SITE = "hugo"  # the folder under the archive
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n(.*)\Z", re.S)
WIKI_LINK = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # 10,000 front matters: libyaml's parser when there is one
# (taxonomy, the field of site_config/<taxonomy>.yml that titles its term pages; `description` is their text)
VOCABULARIES = (("topics", "title"), ("types", "plural"), ("programs", "title"))


def split(text: str) -> tuple[dict, str]:
    """A Markdown file's front matter (YAML) and body."""
    found = FRONT_MATTER.match(text)
    if not found:
        return {}, text
    return yaml.load(found.group(1), Loader=LOADER) or {}, found.group(2)


def front_matter(meta: dict) -> dict:
    """The archive's front matter of a brief, as Hugo reads it (the table in this module's docstring)."""
    hugo = {"title": meta["title"], "date": meta["date"]}
    if "updated" in meta:
        hugo["lastmod"] = meta["updated"]
    if "summary" in meta:
        hugo["summary"] = meta["summary"]
    hugo |= {"topics": list(meta["topics"]), "authors": list(meta["authors"]), "types": [meta["type"]],
             "archive": [str(meta["date"].year)]}
    if "program" in meta:
        hugo["programs"] = [meta["program"]]
    if "aliases" in meta:
        hugo["aliases"] = list(meta["aliases"])
    return hugo


def link_wiki(body: str, briefs: dict[str, tuple[str, str]]) -> str:
    """`[[slug]]` and `[[slug|words]]` as Markdown links; `briefs` maps a slug to (address, title)."""
    def link(found: re.Match) -> str:
        slug, words = found.group(1).strip(), found.group(2)
        if slug not in briefs:
            return found.group(0)
        address, title = briefs[slug]
        return f"[{words or title}]({address})"
    return WIKI_LINK.sub(link, body)


def page(meta: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000) + "---\n" + body


def write(root: Path) -> dict:
    """Writes the Hugo site of the archive at `root` into `root/hugo/` (its content and layouts
    replaced; what Hugo built is left for the caller); returns counts of what it wrote."""
    site = root / SITE
    for part in ("content", "layouts"):
        shutil.rmtree(site / part, ignore_errors=True)
    shutil.copytree(LAYOUT, site, dirs_exist_ok=True)
    content = site / "content"

    briefs = {}
    for path in sorted((root / "content" / "briefs").rglob("*.md")):
        meta, body = split(path.read_text(encoding="utf-8"))
        relative = path.relative_to(root / "content").with_suffix("")
        briefs[path.stem] = (relative, meta, body)
    addresses = {slug: (f"/{relative.as_posix()}/", meta["title"]) for slug, (relative, meta, _) in briefs.items()}
    for relative, meta, body in briefs.values():
        target = content / relative.with_suffix(".md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page(front_matter(meta), link_wiki(body, addresses)), encoding="utf-8")

    terms = []  # (folder, title, text) of each term page
    for taxonomy, title_field in VOCABULARIES:
        table = yaml.load((root / "site_config" / f"{taxonomy}.yml").read_text(encoding="utf-8"), Loader=LOADER)
        terms += [(content / taxonomy / key, entry[title_field], entry.get("description", "")) for key, entry in table.items()]
    for path in sorted((root / "content" / "authors").glob("*.md")):
        meta, bio = split(path.read_text(encoding="utf-8"))
        terms.append((content / "authors" / path.stem, meta["name"], bio))
    for folder, title, text in terms:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(page({"title": title}, text), encoding="utf-8")
    shutil.copyfile(root / "content" / "index.md", content / "_index.md")
    return {"briefs": len(briefs), "terms": len(terms)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path, help="an archive's folder (e.g. one bench/generate.py wrote)")
    args = parser.parse_args(argv)
    counts = write(args.archive)
    print(f"{args.archive / SITE}: {counts['briefs']} briefs, {counts['terms']} term pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
