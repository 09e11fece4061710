"""What a `mkdocs build` keeps for the next one, so that a warm build writes only what changed.

A build run where `.cache/` survives (a developer's machine, the deploy workflow, which keeps
it) starts from a clean `site/`: MkDocs empties the folder before writing. The pages whose
fingerprint (incremental.py) did not change are not rendered again (generated ones are not even
made): their files are put back from the last build's output.

- `SiteMirror` keeps that output as hard links to the files the last build wrote (no copy, no
  second write: a link costs a hundredth of a millisecond here), each with the size and
  modification time it had; a file changed in place since (a later `--dirty` build, a tool run
  over `site/`) no longer matches and is built again. Where links are not possible (another
  file system), files are copied.
- `WarmState` is the rest, in one JSON file: what the last finished build built and from what,
  under a salt of everything every page depends on (engine, theme, libraries, this package's
  code, the whole configuration). Another salt, an unreadable file or a build that did not
  finish: no state, so a cold build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Iterable

STATE_FILE = "state.json"
MIRROR_DIR = "site"


class SiteMirror:
    """Each kept file under a name drawn from its destination, in 256 folders: keeping a site of
    14,000 page folders would otherwise cost as many folders again."""

    def __init__(self, folder: Path) -> None:
        self.folder = str(folder)

    def _path(self, dest_uri: str) -> str:
        name = hashlib.sha1(dest_uri.encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.folder, name[:2], name[2:])

    def verified(self, recorded: dict[str, list[int]]) -> set[str]:
        """The destinations whose kept file is as the last build left it."""
        present = set()
        for dest_uri, (size, mtime_ns) in recorded.items():
            try:
                found = os.stat(self._path(dest_uri))
            except OSError:
                continue
            if found.st_size == size and found.st_mtime_ns == mtime_ns:
                present.add(dest_uri)
        return present

    def restore(self, site_dir: Path, dest_uris: Iterable[str]) -> None:
        """Puts the kept files back into `site_dir` (which MkDocs emptied)."""
        for dest_uri in dest_uris:
            _place(self._path(dest_uri), os.path.join(site_dir, dest_uri), replacing=False)

    def keep(self, site_dir: Path, dest_uris: Iterable[str]) -> dict[str, list[int]]:
        """Keeps these files of `site_dir`, which this build wrote; returns their size and time."""
        kept = {}
        for dest_uri in dest_uris:
            source, target = os.path.join(site_dir, dest_uri), self._path(dest_uri)
            if not os.path.exists(source):  # a page that rendered empty: MkDocs wrote nothing
                continue
            _place(source, target)
            found = os.stat(target)
            kept[dest_uri] = [found.st_size, found.st_mtime_ns]
        return kept

    def forget(self, dest_uris: Iterable[str]) -> None:
        for dest_uri in dest_uris:
            try:
                os.remove(self._path(dest_uri))
            except FileNotFoundError:
                pass


def _place(source: str, target: str, replacing: bool = True) -> None:
    """`target` becomes a hard link to `source` (a copy where links are not possible), its folder
    made if it is missing; `replacing` what may be there at once, never half-written (a folder
    known to be empty needs no second step)."""
    placed = target + ".tmp" if replacing else target
    try:
        _link_or_copy(source, placed)
    except FileNotFoundError:  # the folder (the callers know the source is there)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _link_or_copy(source, placed)
    if replacing:
        os.replace(placed, target)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except FileExistsError:  # left by a build that stopped here
        os.remove(target)
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:  # another file system
        shutil.copyfile(source, target)


class WarmState:
    """The state file beside the mirror."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder, self.salt = folder, salt
        self.mirror = SiteMirror(folder / MIRROR_DIR)

    def load(self) -> dict | None:
        """The last finished build's record, if it was made under this salt; the file is removed
        as it is read, so a build that stops half-way leaves no state behind it."""
        path = self.folder / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        path.unlink(missing_ok=True)
        if not isinstance(data, dict) or data.get("salt") != self.salt or not isinstance(data.get("built"), dict):
            return None
        return data

    def save(self, record: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / STATE_FILE
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"salt": self.salt, **record}, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)
