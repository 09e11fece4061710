"""What reading each brief file found, kept across runs by a hash of the file's bytes.

Reading a brief (YAML with the line of every field, the link scan) is most of a `briefs check`
and of a build's load; an editor who checks again after changing one brief has the other
9,999 read already. An entry is keyed by the file's bytes and the path shown in its problems,
and the whole cache by the versions of the YAML libraries and the source of the code that
reads, so it can never answer for text or code it was not made from. It is JSON (not pickle:
`.cache/` may come from elsewhere, a CI cache say), each entry encoded by the process that read
the file (a read worker, in parallel). Front matter whose values JSON would not give back as
they were (a date, a set, a number as a key) is read again every time. Only the entries the
latest run used are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .. import cache_salt
from .embedded import Block
from .links import BodyLinks, WikiLink
from .problems import Problem
from .reading import Located, MarkdownSource

if TYPE_CHECKING:
    from .read_briefs import ReadBrief

DEFAULT_DIR = ".cache/briefing-archive"  # the build's `cache_dir` unless mkdocs.yml names another
FILE_NAME = "reads.json"  # in the cache folder, beside the rendered bodies
_LIBRARIES = ("PyYAML", "python-frontmatter", "Markdown", "nh3")  # the last two: derived summaries
_CODE = ("reading.py", "links.py", "text.py", "problems.py", "read_briefs.py", "read_cache.py", "embedded.py")


def _salt() -> str:
    here = Path(__file__).resolve().parent
    return cache_salt.salt([f"libyaml={yaml.__with_libyaml__}"], _LIBRARIES, [here / name for name in _CODE])


def key_of(shown: str, raw: bytes) -> str:
    digest = hashlib.blake2b(shown.encode("utf-8", "surrogatepass"), digest_size=20)
    digest.update(b"\0")
    digest.update(raw)
    return digest.hexdigest()


def _is_plain(value: Any) -> bool:
    """Whether JSON gives `value` back as it is, types included."""
    kind = type(value)
    if value is None or kind in (str, bool, int):
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(_is_plain(item) for item in value)
    if kind is dict:
        return all(type(key) is str and _is_plain(item) for key, item in value.items())
    return False


def _located_entry(located: Located) -> dict | None:
    children = {}
    for key, child in located.child.items():
        children[key] = _located_entry(child)
        if children[key] is None:
            return None
    if not _is_plain(located.data):
        return None
    return {"data": located.data, "keys": located.key_lines, "items": located.item_lines,
            "child": children, "line": located.line, "mapping": located.is_mapping}


def _located(entry: dict) -> Located:
    return Located(data=entry["data"], key_lines=entry["keys"], item_lines=entry["items"],
                   child={key: _located(child) for key, child in entry["child"].items()},
                   line=entry["line"], is_mapping=entry["mapping"])


def encode(read: "ReadBrief") -> str | None:
    """A ReadBrief as one line of JSON; None if its front matter would not survive JSON."""
    source = None
    if read.source is not None:
        meta = _located_entry(read.source.meta)
        if meta is None:
            return None
        source = {"meta": meta, "body_line": read.source.body_line, "body_start": read.source.body_start}
    # ensure_ascii: no line break of any kind inside the line
    return json.dumps({"source": source,
                       "wiki": [[link.slug, link.text, link.line, link.start, link.end] for link in read.links.wiki],
                       "targets": list(read.links.targets), "minutes": read.minutes, "has_text": read.has_text,
                       "problems": [[p.path, p.line, p.severity, p.message] for p in read.problems],
                       "summary": read.derived_summary,
                       "blocks": [[b.line, b.text, b.start, b.end, b.closed] for b in read.blocks]},
                      separators=(",", ":"), check_circular=False)


def _decode(line: str, shown: str, text: str | None) -> dict[str, Any]:
    entry = json.loads(line)
    source = entry["source"]
    if source is not None:
        body = text[source["body_start"]:] if text is not None else ""
        source = MarkdownSource(path=shown, meta=_located(source["meta"]), body=body,
                                body_line=source["body_line"], body_start=source["body_start"])
    return {"source": source,
            "links": BodyLinks(tuple(WikiLink(*link) for link in entry["wiki"]), tuple(entry["targets"])),
            "minutes": entry["minutes"], "has_text": entry["has_text"],
            "problems": tuple(Problem(*problem) for problem in entry["problems"]), "derived_summary": entry["summary"],
            "blocks": tuple(Block(*block) for block in entry["blocks"])}


class ReadCache:
    """The file holds the salt on its first line, then one line per entry: its key, a tab, and
    the entry as JSON. Entries stay text until a file asks for one, and go back to the file as
    they came."""

    def __init__(self, path: Path):
        self.path, self.salt = path, _salt()
        self.stored: dict[str, str] = {}
        self.used: dict[str, str] = {}
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except (OSError, ValueError):
            return  # no cache yet, or an unreadable one: read every file
        if lines[0] == self.salt:
            self.stored = dict(line.split("\t", 1) for line in lines[1:] if "\t" in line)

    def fields(self, key: str, shown: str, text: str | None) -> dict[str, Any] | None:
        """The fields of the ReadBrief kept for `key` (the file's `text`: None keeps no body);
        None if there is none, or it does not read as one (a damaged file)."""
        line = self.stored.get(key)
        if line is None:
            return None
        try:
            return _decode(line, shown, text)
        except (ValueError, LookupError, TypeError):
            del self.stored[key]  # read the file again, and keep that instead
            return None

    def note(self, key: str, encoded: str | None) -> None:
        """Keeps the entry of a file read with this key: the one the cache had, or else the one
        just `encoded` (None: nothing to keep)."""
        line = self.stored.get(key) or encoded
        if line is not None:
            self.used[key] = line

    def save(self) -> None:
        """Writes the entries this run used (atomically), unless they are the ones it found.
        A cache that cannot be written is left as it was: it only ever saves time."""
        if self.used.keys() == self.stored.keys():
            return
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")  # one per writer
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text("\n".join([self.salt, *(f"{key}\t{line}" for key, line in sorted(self.used.items()))]),
                                 encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):  # its folder may be what could not be made
                temporary.unlink(missing_ok=True)
