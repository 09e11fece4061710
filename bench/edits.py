"""The edits the benchmark makes to one brief, as an editor would: a sentence added to its text,
a new title. Each takes the file's text and the round's number, so every round changes it again."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

MARKER = "Sentence {n} added by the benchmark (bench/edits.py) to measure a rebuild."
RETITLED = "retitled for the benchmark, {n}"
TITLE = re.compile(r"^title:.*$", re.M)
FRONT_MATTER_END = "\n---\n"


def add_sentence(text: str, n: int) -> str:
    """The brief with the n-th sentence added at the end of its text."""
    return text + f"\n{MARKER.format(n=n)}\n"


def retitle(text: str, n: int) -> str:
    """The brief with `(retitled for the benchmark, n)` added to its title, nothing else changed."""
    head_end = text.index(FRONT_MATTER_END)
    found = TITLE.search(text, 0, head_end)
    if found is None:
        raise ValueError("the brief's front matter has no title line")
    title = yaml.safe_load(found.group(0))["title"]
    line = "title: " + json.dumps(f"{title} ({RETITLED.format(n=n)})", ensure_ascii=False)  # JSON's string is YAML's too
    return text[:found.start()] + line + text[found.end():]


def brief_page(site: Path, content: Path, brief: Path) -> Path:
    """Where a build writes a brief's page: content/briefs/<YYYY>/<slug>.md -> <site>/briefs/<YYYY>/<slug>/index.html."""
    return site / brief.parent.relative_to(content) / brief.stem / "index.html"
