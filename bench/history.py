"""What reading the briefs' git history costs a build: a synthetic archive (bench/generate.py) in a
git repository with one commit per brief, edits, and renames and moves (some twice), then the
history read as a build reads it (one `git rev-parse`, one `git log`, parsed), timed.

    python -m bench.history --briefs 10000            # in .cache/bench/history-n10000/
    python -m bench.history --briefs 1000 --json out.json

The history is written with `git fast-import` (seconds for tens of thousands of commits), in a
fixed order from the seed, with fixed dates: the same arguments make the same commits. Renamed
briefs are added under their earlier names and renamed later, a quarter of them with an edit in
the same commit (git's inexact rename detection, which reads both files), a fifth of them twice,
a quarter into another year's folder (their earlier address is in the year before).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import generate

REPO = Path(__file__).resolve().parent.parent
START = 1_500_000_000  # the first commit's time (2017); one commit a minute after it


def _data(text: bytes) -> bytes:
    return b"data %d\n" % len(text) + text + b"\n"


def write_history(root: Path, specs: list, *, renamed: int, edits: int, seed: int) -> dict:
    """A repository at `root` whose HEAD holds every brief at its path in `specs`, with a history
    of one commit per brief, `edits` edits and `renamed` briefs renamed or moved on the way."""
    rng = random.Random(seed)
    chosen = set(rng.sample(range(len(specs)), min(renamed, len(specs))))
    earlier: dict[int, list[str]] = {}  # brief -> its paths before the current one, oldest first
    for index in sorted(chosen):
        spec = specs[index]
        names = []
        for step in range(2 if rng.random() < 0.2 else 1):
            year = spec.date.year - (1 if rng.random() < 0.25 else 0)
            names.append(f"content/briefs/{year}/{spec.slug}-draft-{step + 1}.md")
        earlier[index] = names
    # Every event of the history, in order: add each brief (under its first name), rename the
    # chosen ones some commits later, and edit briefs already added.
    events: list[tuple[str, int]] = [("add", i) for i in range(len(specs))]
    for index, names in earlier.items():
        for _ in names:
            events.insert(rng.randrange(events.index(("add", index)) + 1, len(events) + 1), ("rename", index))
    for _ in range(edits):
        events.insert(rng.randrange(1, len(events) + 1), ("edit", -1))
    path_of = {i: (earlier[i][0] if i in earlier else specs[i].path) for i in range(len(specs))}
    step_of = {i: 0 for i in earlier}
    text_of: dict[int, bytes] = {}
    added: list[int] = []
    stream = bytearray()
    commits = renames = 0
    for kind, index in events:
        lines = []
        if kind == "add":
            text_of[index] = (root / specs[index].path).read_bytes()
            added.append(index)
            lines.append(b"M 100644 inline " + path_of[index].encode() + b"\n" + _data(text_of[index]))
            message = f"Add {specs[index].slug}"
        elif kind == "rename":
            step_of[index] += 1
            new = earlier[index][step_of[index]] if step_of[index] < len(earlier[index]) else specs[index].path
            if rng.random() < 0.25:  # renamed with an edit: git pairs them by their likeness
                text_of[index] += b"\nA sentence added as the brief was renamed.\n"
                lines.append(b"D " + path_of[index].encode() + b"\n")
                lines.append(b"M 100644 inline " + new.encode() + b"\n" + _data(text_of[index]))
            else:
                lines.append(b"R " + path_of[index].encode() + b" " + new.encode() + b"\n")
            path_of[index] = new
            renames += 1
            message = f"Rename {specs[index].slug}"
        else:
            index = rng.choice(added)
            text_of[index] += b"\nA correction.\n"
            lines.append(b"M 100644 inline " + path_of[index].encode() + b"\n" + _data(text_of[index]))
            message = f"Edit {specs[index].slug}"
        stamp = b"%d +0000" % (START + 60 * commits)
        stream += b"commit refs/heads/main\n"
        stream += b"author Bench <bench@example.org> " + stamp + b"\n"
        stream += b"committer Bench <bench@example.org> " + stamp + b"\n"
        stream += _data(message.encode())
        stream += b"".join(lines) + b"\n"
        commits += 1
    assert all(path_of[i] == specs[i].path for i in range(len(specs)))
    shutil.rmtree(root / ".git", ignore_errors=True)
    git = ["git", "-C", str(root), "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "fast-import", "--quiet"], input=bytes(stream), check=True)
    subprocess.run([*git, "symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    return {"commits": commits, "renames": renames, "renamed_briefs": len(earlier),
            "expected": {specs[i].path.removeprefix("content/"): [p.removeprefix("content/") for p in reversed(names)]
                         for i, names in earlier.items()}}


def measure(root: Path, repeat: int) -> dict:
    from briefing_archive.catalogue.history import read_history

    briefs = root / "content" / "briefs"
    current = sorted(p.relative_to(root / "content").as_posix() for p in briefs.rglob("*.md"))
    reads, cpu, resolves = [], [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        history = read_history(briefs)
        reads.append(round(time.perf_counter() - started, 3))
        after = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
        cpu.append(round(sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before)), 3))
        started = time.perf_counter()
        earlier = history.earlier(current)
        resolves.append(round(time.perf_counter() - started, 4))
    return {"read_s": min(reads), "all_read_s": reads, "cpu_s": min(cpu), "earlier_s": min(resolves),
            "briefs_with_history": len(earlier), "earlier_paths": sum(map(len, earlier.values())),
            "notice": history.notice, "earlier": {k: list(v) for k, v in earlier.items()}}


def run(n: int, out: Path, *, renamed: int | None = None, edits: int | None = None, seed: int = generate.DEFAULT_SEED,
        repeat: int = 3) -> dict:
    renamed = n // 10 if renamed is None else renamed
    edits = n // 2 if edits is None else edits
    started = time.perf_counter()
    manifest = generate.generate(out, n, seed=seed)
    writer = generate.Writer(n, seed)
    topics = writer.topics()  # in generate()'s order: they draw from one generator
    specs = writer.briefs(writer.authors(), topics)
    written = write_history(out, specs, renamed=renamed, edits=edits, seed=seed)
    setup_s = round(time.perf_counter() - started, 1)
    result = measure(out, repeat)
    ok = result.pop("earlier") == written.pop("expected")
    return {"briefs": manifest["briefs"], **written, "setup_s": setup_s, **result, "earlier_as_written": ok}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefs", "-n", type=int, default=10_000, help="number of briefs (default 10000)")
    parser.add_argument("--out", type=Path, help="the repository to write (default .cache/bench/history-n<N>)")
    parser.add_argument("--renamed", type=int, help="briefs renamed or moved (default N/10)")
    parser.add_argument("--edits", type=int, help="commits editing a brief (default N/2)")
    parser.add_argument("--repeat", type=int, default=3, help="history reads; the fastest counts (default 3)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    out = (args.out or REPO / ".cache" / "bench" / f"history-n{args.briefs}").resolve()
    result = run(args.briefs, out, renamed=args.renamed, edits=args.edits, repeat=args.repeat)
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"{result['briefs']:,} briefs, {result['commits']:,} commits, {result['renames']:,} renames: history read in "
          f"{result['read_s']:.2f} s (of {', '.join(map(str, result['all_read_s']))}; CPU {result['cpu_s']:.2f} s, git's "
          "and the parse's), resolved in "
          f"{result['earlier_s']:.3f} s; every earlier path as written: {result['earlier_as_written']}", file=sys.stderr)
    return 0 if result["earlier_as_written"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
