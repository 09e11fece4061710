"""Pagefind bundles kept from build to build, one per part of the index, so that Pagefind runs
only over the parts whose brief pages changed (a build with no change runs it not at all).

A part's bundle is kept under the digest of everything Pagefind reads for it: Pagefind's version
and settings (a `pagefind.*` file in the working folder, `PAGEFIND_*` variables), the part's glob
and output folder, and the path and bytes of every page the glob matches, and under the revision
of the order bundle_order.py puts the bundle in. A page
edited, added, removed or rendered differently (a template changed) gives another digest, so a
kept bundle is never stale; bundles this build did not use are deleted when it ends.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import bundle_order
from .index_parts import IndexPart


def pagefind_version() -> str:
    try:
        return version("pagefind-bin")
    except PackageNotFoundError:
        return "unknown"


def part_pages(site_dir: Path, part: IndexPart) -> list[str]:
    """The pages `part.glob` matches, relative to the site, sorted."""
    globs = [f"briefs/{year}/*/index.html" for year in part.years] or [part.glob]
    return sorted(page.relative_to(site_dir).as_posix() for glob in globs for page in site_dir.glob(glob))


def pagefind_settings() -> str:
    """What else Pagefind's command line reads: its version, a config file in the working
    folder, PAGEFIND_* environment variables; and what bundle_order.py does to its output."""
    found = [pagefind_version(), f"bundle order {bundle_order.REVISION}"]
    for name in ("pagefind.yml", "pagefind.yaml", "pagefind.toml", "pagefind.json"):
        if os.path.isfile(name):
            found.append(f"{name}:{Path(name).read_text(encoding='utf-8', errors='replace')}")
    found += sorted(f"{key}={value}" for key, value in os.environ.items() if key.startswith("PAGEFIND_"))
    return "\0".join(found)


def part_digest(site_dir: Path, part: IndexPart, settings: str) -> str:
    digest = hashlib.blake2b(f"{settings}\0{part.glob}\0{part.bundle}\0".encode(), digest_size=20)
    for page in part_pages(site_dir, part):
        data = (site_dir / page).read_bytes()
        digest.update(f"{page}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


class IndexCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def restore(self, digest: str, bundle: Path) -> bool:
        """Puts the bundle kept under `digest` at `bundle`; False if there is none."""
        kept = self.folder / digest
        if not (kept / "pagefind-entry.json").is_file():
            return False
        try:  # copies: the site never shares a file with the cache
            shutil.copytree(kept, bundle, dirs_exist_ok=True)
        except (OSError, shutil.Error):  # e.g. another build forgot it meanwhile: index instead
            shutil.rmtree(bundle, ignore_errors=True)
            return False
        self.used.add(digest)
        return True

    def keep(self, digest: str, bundle: Path) -> None:
        """Keeps the bundle just written at `bundle` (its own files: not the parts inside it)."""
        kept, unfinished = self.folder / digest, self.folder / f"{digest}.tmp"
        try:  # renamed into place once complete, so a bundle cut short is never put back
            shutil.rmtree(unfinished, ignore_errors=True)
            shutil.copytree(bundle, unfinished, ignore=shutil.ignore_patterns("part-*"))
            shutil.rmtree(kept, ignore_errors=True)
            os.replace(unfinished, kept)
        except (OSError, shutil.Error):  # the cache only saves time: a build never fails for it
            shutil.rmtree(unfinished, ignore_errors=True)
            return
        self.used.add(digest)

    def forget_unused(self) -> None:
        """Deletes the bundles this build did not use."""
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return
        for entry in entries:
            if entry.name not in self.used:
                shutil.rmtree(entry.path, ignore_errors=True)
        self.used = set()
