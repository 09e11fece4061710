"""Times `briefs changes` on a generated archive after one edit (optional; not part of `make bench`).

    python -m bench.changes                       # N = 1,000 and 10,000
    python -m bench.changes --sizes 1000 --json out.json

For each N it writes the archive with bench/generate.py under `--workdir` (default
`.cache/bench/changes-n<N>/`, reused when it matches), commits it in a git repository of its own
(fixed author and dates), edits the manifest's brief (a new title and one more paragraph: its
listings, feeds, and the related lists and previous/next links of the briefs near it change),
then runs `briefs changes HEAD` in that folder, each run in its own process (run.measure):

- first:  after that edit, with no read cache, as on a fresh checkout in CI;
- again:  the same, with the read cache the first run left (an editor's second run);
- added:  after adding a brief instead (a copy of the edited one under another title and slug),
          with the read cache: every topic's weight moves, so every related list is ranked.

It then checks the report names the edited brief as changed, so a broken comparison cannot pass
for a fast one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
from pathlib import Path

from . import generate
from .run import READ_CACHE, REPO, briefs_command, child_env, machine, machine_line, measure, say

GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@example.org", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed in {root}: {done.stderr.strip()}")
    return done.stdout


def prepare(root: Path, n: int, seed: int) -> dict:
    """The archive committed in its own repository, the working tree as committed."""
    if not generate.manifest_matches(root, n, seed) or not (root / ".git").is_dir():
        say(f"N={n}: writing the archive and committing it ...")
        manifest = generate.generate(root, n, seed=seed)
        if not (root / ".git").is_dir():
            git(root, "init", "-q", "-b", "main")
        (root / ".gitignore").write_text("/.cache/\n/logs/\n/site-*/\n", encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", f"generated archive of {n} briefs")
    else:
        manifest = json.loads((root / "bench-archive.json").read_text(encoding="utf-8"))
        git(root, "checkout", "-q", "--", ".")  # undo the last run's edit
    return manifest


def edit(root: Path, target: str) -> tuple[str, str]:
    """A new title and one more paragraph: no topic or author weighs differently."""
    path = root / target
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", "title: A Title Revised for the Benchmark", text, count=1)
    path.write_text(text + "\nOne more paragraph, written for the benchmark.\n", encoding="utf-8")
    return "changed", Path(target).stem


def add(root: Path, target: str) -> tuple[str, str]:
    """A new brief beside the target (its copy, under another title and slug, without its old
    addresses): every topic and author weighs a little differently, every related list is ranked."""
    path = root / target
    text = re.sub(r"(?m)^aliases: .*\n", "", path.read_text(encoding="utf-8"))
    text = re.sub(r"(?m)^title: .*$", "title: A New Brief for the Benchmark", text, count=1)
    path.with_name("a-new-brief-for-the-benchmark.md").write_text(text, encoding="utf-8")
    return "added", "a-new-brief-for-the-benchmark"


def run_size(n: int, args, env: dict, script: Path) -> dict:
    root = (args.workdir / f"changes-n{n}").resolve()
    manifest = prepare(root, n, args.seed)
    result: dict = {"n": n, "root": str(root), "edited": manifest["edit_target"]}
    (root / READ_CACHE).unlink(missing_ok=True)
    for name, change in (("first", edit), ("again", edit), ("added", add)):
        git(root, "checkout", "-q", "--", ".")
        git(root, "clean", "-q", "-f", "--", "content")
        expected = change(root, manifest["edit_target"])
        run = measure([str(script), "changes", "HEAD", "--format", "json"],
                      cwd=root, log=root / "logs" / f"changes-{name}.log", env=env)
        if run["rc"] == 0:
            data = json.loads(Path(run["log"]).read_text(encoding="utf-8"))
            run["reported"] = {"briefs": [(c["status"], c["slug"]) for c in data["briefs"]],
                               "listings": len(data["listings"]), "brief_pages": len(data["brief_pages"]),
                               "feeds": len(data["feeds"]), "related_ranked": data["related_ranked"]}
            if run["reported"]["briefs"] != [list(expected)]:
                run["rc"] = "wrong report"
        result[name] = run
        say(f"N={n}: briefs changes ({name}) {run['wall_s']} s, {run['peak_mb']} MB, rc {run['rc']}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    env = {k: v for k, v in child_env(None).items() if not k.startswith("GITHUB_")}  # JSON alone in the log
    script, why = briefs_command(env)
    if script is None:
        say(why)
        return 1
    results = {"machine": machine(), "sizes": [run_size(n, args, env, script) for n in sorted(args.sizes)]}
    print(f"Machine: {machine_line(results['machine'])}\n")
    print("| N | retitle, no read cache: wall s / CPU s | retitle again | a brief added | peak MB |")
    print("| --: | --: | --: | --: | --: |")
    for size in results["sizes"]:
        cells = [f"{size[k]['wall_s']} / {size[k]['cpu_s']}" for k in ("first", "again", "added")]
        print(f"| {size['n']:,} | {' | '.join(cells)} | {max(size[k]['peak_mb'] for k in ('first', 'again', 'added'))} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for size in results["sizes"]:  # leave the archive as committed
        git(Path(size["root"]), "checkout", "-q", "--", ".")
        git(Path(size["root"]), "clean", "-q", "-f", "--", "content")
    return 0 if all(s[k]["rc"] == 0 for s in results["sizes"] for k in ("first", "again", "added")) else 1


if __name__ == "__main__":
    raise SystemExit(main())
