"""A content-hash cache of rendered brief bodies, kept across builds (outside content/ and site/).

MkDocs renders every page's Markdown on every build; for an archive where most briefs never
change again, that is most of the build. The key of a body is a hash of everything its HTML
depends on: the Markdown as MkDocs renders it (wiki-links already resolved, so a renamed or
retitled target changes it), the page's address, whether each relative link target exists,
the Markdown configuration, the sanitizer's settings and the versions of the libraries that
render. A body whose rendering logged a warning is never stored, so warnings are never hidden.
Only entries used by the latest build are kept. An entry is what the page's render leaves
behind: the sanitized HTML, its table of contents, its anchors and its links to other pages'
anchors (so MkDocs still validates those against the current targets).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Iterable

from . import cache_salt

_LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "nh3", "briefing-archive")
_CODE = ("sanitize.py", "render_cache.py", "catalogue/links.py")


def salt(markdown_config: object, embed_hosts: Iterable[str]) -> str:
    """What every body's HTML depends on besides its own text."""
    here = Path(__file__).resolve().parent
    return cache_salt.salt([repr(markdown_config), repr(sorted(embed_hosts))], _LIBRARIES,
                           [here / name for name in _CODE])


class RenderCache:
    def __init__(self, path: Path, salt: str):
        self.path, self.salt = path, salt
        self.stored: dict[str, dict] = {}
        self.used: dict[str, dict] = {}
        self.hits = self.misses = 0
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("salt") == salt and isinstance(data.get("bodies"), dict):
                self.stored = data["bodies"]
        except (OSError, ValueError):
            pass  # no cache yet, or an unreadable one: render everything

    def key(self, src_uri: str, markdown: str, targets: Iterable[str], exists: Callable[[str], bool]) -> str:
        digest = hashlib.sha256()
        for part in (self.salt, src_uri, markdown):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        for target in sorted(set(targets)):
            digest.update(f"{target}={exists(target)}\0".encode("utf-8"))
        return digest.hexdigest()

    def get(self, key: str) -> dict | None:
        entry = self.stored.get(key) or self.used.get(key)  # used: put by this build (body workers)
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
            self.used[key] = entry
        return entry

    def put(self, key: str, entry: dict) -> None:
        self.used[key] = entry

    def next_build(self) -> None:
        """Under `mkdocs serve`: this cache, with this build's bodies in it, serves the next
        build, which then neither reads the file again nor writes it (a rebuild renders a few
        bodies; writing 10,000 would cost more than the rebuild)."""
        self.stored.update(self.used)
        self.used = {}
        self.hits = self.misses = 0

    def save(self) -> None:
        """Writes the bodies this build used (atomically), unless nothing changed."""
        if self.used.keys() == self.stored.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"salt": self.salt, "bodies": dict(sorted(self.used.items()))}), encoding="utf-8")
        os.replace(temporary, self.path)
