"""What the repository's git history says about brief files: the earlier paths of each file now
in `content/briefs/`, so that a renamed or moved brief keeps its earlier addresses as redirects.

One `git log` per build, whatever the number of briefs (`--follow` would be one per file): every
commit, children before parents (`--topo-order`), with its changes inside the briefs folder and
their renames (`-M`), read in plain Python (a merge shows none: the commits that made them do).
Walking back from the newest commit, each path is followed to the file it has become, so renames
chain (a -> b -> c gives c both a and b). A file renamed and rewritten beyond half its text in
one commit is, to git, another file: it keeps no earlier address.

No git, no checkout, no commit yet: no history, silently (a build from a tarball is as it was).
A shallow clone sees only its own commits and says so in one line (`History.notice`).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping

# Variables that would point git at another repository than the one holding the archive (a git
# hook sets some of them): the archive's own folder says which repository it is in.
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR",
                         "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES")
# Status letters of `--name-status` followed by two paths (rename, copy); the others name one.
_TWO_PATHS = ("R", "C")
COMMIT = "commit"  # the log's line for each commit (its `--format`)


@dataclass(frozen=True)
class History:
    """Earlier paths of brief files. Paths are relative to the docs folder, as `Brief.src_uri`
    (`briefs/2023/x.md`)."""

    head: str = ""  # the commit read; "" when there was no history to read
    shallow: bool = False
    # path now -> ((an earlier path, how many commits back it was renamed from), ...), newest first
    claims: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    notice: str = ""  # one line for the build's log and `briefs check`, or ""

    def earlier(self, current: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """The earlier paths of each file of `current` (the brief files there are now), newest
        first. A path two of them were renamed from belongs to the one that had it first: once
        the build checks history, a later file could take the address only in a build that
        failed (the address was still another brief's), so the first is the one readers knew."""
        current = set(current)
        owner: dict[str, tuple[int, str]] = {}
        for now in sorted(current & self.claims.keys()):
            for path, age in self.claims[now]:
                if path != now and (path not in owner or age > owner[path][0]):
                    owner[path] = (age, now)
        earlier: dict[str, list[str]] = {}
        for now in sorted(current & self.claims.keys()):
            for path, _age in self.claims[now]:
                if owner.get(path, (0, ""))[1] == now and path not in earlier.get(now, ()):
                    earlier.setdefault(now, []).append(path)
        return {now: tuple(paths) for now, paths in earlier.items()}


def _entries(output: str) -> Iterator[list[tuple[str, tuple[str, ...]]]]:
    """Each commit's (status, paths) of `git log --name-status -z --format=tformat:commit`."""
    tokens = output.split("\0")
    commit: list[tuple[str, tuple[str, ...]]] | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if not token:
            continue
        if token == COMMIT:
            if commit is not None:
                yield commit
            commit = []
            continue
        count = 2 if token[0] in _TWO_PATHS else 1
        paths = tuple(tokens[index : index + count])
        index += count
        if commit is not None and len(paths) == count:
            commit.append((token, paths))
    if commit is not None:
        yield commit


def parse_log(output: str) -> dict[str, tuple[tuple[str, int], ...]]:
    """Earlier paths of each path, from git log's output (newest commit first): path now ->
    ((earlier path, commits back), ...), newest first. A path the log does not show again is
    the same file as now; an added or deleted path was another file before."""
    leads_to: dict[str, str | None] = {}  # a path, as of the commit being read -> the path it has now
    claims: dict[str, list[tuple[str, int]]] = {}
    for age, commit in enumerate(_entries(output)):
        # A commit's renames are read against the state after it (a swap a <-> b renames both).
        renamed: list[tuple[str, str | None]] = []
        gone: set[str] = set()
        for status, paths in commit:
            if status[0] == "R":
                old, new = paths
                renamed.append((old, leads_to.get(new, new)))
                gone.add(new)
            elif status[0] in ("A", "C"):
                gone.add(paths[-1])  # before this commit, no file was there
            elif status[0] == "D":
                gone.add(paths[0])  # the file that was there is not one of today's
        for path in gone:
            leads_to[path] = None
        for old, now in renamed:
            leads_to[old] = now
            if now is not None and old != now:
                claims.setdefault(now, []).append((old, age))
    return {now: tuple(paths) for now, paths in sorted(claims.items())}


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # a read: never take the index lock a running `git` may want
    env["LC_ALL"] = "C"
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, env=env, check=False)
    except OSError:  # git is not installed
        return None


SHALLOW_NOTICE = ("this is a shallow clone of the repository, so briefs renamed or moved before its "
                  "first commit keep no redirect from their earlier addresses; fetch the whole history "
                  "('git fetch --unshallow', or 'fetch-depth: 0' for actions/checkout) to publish them")


def read_history(briefs_dir: Path, prefix: str = "briefs/", kept: History | None = None) -> History:
    """The history of the brief files in `briefs_dir`, whose paths start with `prefix` in the
    docs folder. `kept`: what an earlier read found (`mkdocs serve`), taken again while the
    checked-out commit is the same (the history read is that of committed files)."""
    if not briefs_dir.is_dir():
        return History()
    found = _git(briefs_dir, "rev-parse", "--is-shallow-repository", "--verify", "-q", "HEAD")
    if found is None:
        return History()
    if found.returncode != 0:
        message = found.stderr.decode("utf-8", "replace").strip().splitlines()
        if found.returncode == 1 or not message or "not a git repository" in message[0]:
            return History()  # no commit yet, or no checkout at all (a tarball)
        return History(notice=f"git history not read, so renamed briefs keep no redirect: {message[0]}")
    shallow, head = (found.stdout.decode("ascii", "replace").split() + ["", ""])[:2]
    notice = SHALLOW_NOTICE if shallow == "true" else ""
    if kept is not None and kept.head == head and kept.notice == notice:
        return kept
    # `--relative` alone shows only the changes inside the briefs folder, paths relative to it; a
    # pathspec (`-- .`) would show the same but compare each commit's trees twice (~40% more CPU).
    log = _git(briefs_dir, "-c", "core.quotePath=false", "-c", "log.showSignature=false", "log",
               "--no-color", "--no-ext-diff", "--no-textconv", "--topo-order", "--name-status", "-M",
               "--relative", "-z", f"--format=tformat:{COMMIT}")
    if log is None or log.returncode != 0:
        message = log.stderr.decode("utf-8", "replace").strip().splitlines() if log else []
        return History(notice="git history not read, so renamed briefs keep no redirect"
                       + (f": {message[0]}" if message else ""))
    claims = parse_log(log.stdout.decode("utf-8", "surrogateescape"))
    return History(head=head, shallow=shallow == "true", notice=notice,
                   claims={prefix + now: tuple((prefix + path, age) for path, age in paths)
                           for now, paths in claims.items()})
