"""A content-hash cache of rendered brief bodies, kept across builds (outside content/ and site/).

MkDocs renders every page's Markdown on every build; for an archive where most briefs never
change again, that is most of the build. The cache is a memo of that render, the step between
the plugins' `on_page_markdown` and `on_page_content` events: its key is a hash of everything
the render's result depends on: the Markdown as it stands once every plugin has had it (so a
later plugin's change gives another key), the page's address, the URL of each relative link
target (or that there is none), the Markdown and link-validation configuration in canonical
text, and the versions of the code that renders. A body whose render logged a warning is never
stored, so warnings are never hidden. Only entries used by the latest build are kept. An entry
is what the render leaves on the page: the HTML (not yet sanitized: every plugin's
`on_page_content` still runs on it), its table of contents, its anchors and its links to other
pages' anchors (so MkDocs still validates those against the current targets).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Iterable

from importlib import metadata

from . import cache_salt, engine
from .canonical import canonical

_LIBRARIES = ("mkdocs", "properdocs", "mkdocs-material", "markdown", "pymdown-extensions", "nh3", "briefing-archive")
_CODE = ("sanitize.py", "render_cache.py", "catalogue/links.py", "canonical.py")


@functools.cache
def _distributions_of_modules() -> dict[str, list[str]]:
    """Which installed distributions provide each top-level module (read once a process: it
    reads every distribution's file list, and a `serve` asks at every rebuild)."""
    return metadata.packages_distributions()


def extension_distributions(extensions: Iterable[object]) -> list[str]:
    """The installed distributions that provide these Markdown extensions (their versions go into
    the salt: an upgraded extension may render the same Markdown differently)."""
    provided = _distributions_of_modules()
    names = set()
    for extension in extensions:
        module = extension if isinstance(extension, str) else type(extension).__module__
        names.update(provided.get(module.split(".")[0], ()))
    return sorted(names)


def salt(markdown_settings: object, embed_hosts: Iterable[str], extensions: Iterable[object] = ()) -> str:
    """What every body's HTML depends on besides its own text: the engine that renders, the Markdown settings (in their
    canonical text, so the same settings give the same salt in every process), the sanitizer's
    allow-list, and the versions of the code that renders. Raises Unkeyable."""
    here = Path(__file__).resolve().parent
    libraries = sorted(set(_LIBRARIES).union(extension_distributions(extensions)))
    return cache_salt.salt([engine.NAME, canonical(markdown_settings), canonical(sorted(embed_hosts))], libraries,
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

    def key(self, src_uri: str, markdown: str, targets: Iterable[str], url_of: Callable[[str], str | None]) -> str:
        """`url_of(target)`: the URL of a linked file, None if there is none (MkDocs writes the
        link from it, or warns)."""
        digest = hashlib.sha256()
        for part in (self.salt, src_uri, markdown):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        for target in sorted(set(targets)):
            digest.update(f"{target}={url_of(target)}\0".encode("utf-8", "surrogatepass"))
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

    def save(self, keep_unused: bool = False) -> None:
        """Writes the bodies this build used (atomically), unless nothing changed. `keep_unused`:
        and those it did not (a warm build renders only what changed: the others are still the
        site's)."""
        if keep_unused:
            if self.used.keys() <= self.stored.keys():
                return
            self.used = {**self.stored, **self.used}
        if self.used.keys() == self.stored.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"salt": self.salt, "bodies": dict(sorted(self.used.items()))}), encoding="utf-8")
        os.replace(temporary, self.path)
