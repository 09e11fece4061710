"""Where a build's time goes: one `mkdocs build` of a synthetic archive under cProfile.

    python -m bench.profile_build --briefs 1000                 # the archive
    python -m bench.profile_build --briefs 1000 --floor         # the floor, for comparison
    python -m bench.profile_build --briefs 1000 --stats out.prof --top 40

Prints the top functions by cumulative and by own time, then two summaries:
- own time by component (every profiled function's own time lands in exactly one bucket, so the
  buckets add up to the whole build): Python-Markdown, Jinja/templates (material's and ours, told
  apart by the template file), the `url` filter, nh3, the search plugin, our package, YAML, I/O...
- cumulative time of the build's stages (inclusive; they overlap): Markdown rendering of pages,
  template rendering, each plugin event of ours, the url filter, nh3.clean, ...
Caches are kept in the archive's .cache/: run it twice to profile a warm build (the second finds
what the first kept, as a deploy does). cProfile slows Python code more than C code (nh3, the YAML C loader, file writes), so read
the shares as approximate and compare them with the wall times of bench/run.py.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import shutil
import time
from pathlib import Path

from . import generate

REPO = Path(__file__).resolve().parent.parent

# (label, test on (filename, function name)); the first match wins.
BUCKETS: list[tuple[str, object]] = [
    ("nh3 sanitizing (nh3.clean)", lambda f, n: "nh3" in n or "/nh3/" in f),
    ("url filter (mkdocs.utils.templates.url_filter, normalize_url, get_relative_url)",
     lambda f, n: (f.endswith("mkdocs/utils/templates.py") and n == "url_filter")
     or (f.endswith("mkdocs/utils/__init__.py") and n in ("normalize_url", "get_relative_url", "_get_norm_url"))
     or (f.endswith("mkdocs/structure/files.py") and n in ("url_relative_to",))
     or f.endswith("posixpath.py")),
    ("templates: ours (briefing_archive/templates/*.html)", lambda f, n: "briefing_archive/templates/" in f),
    ("templates: material (material/templates/*.html)", lambda f, n: "material/templates/" in f or "/templates/" in f and f.endswith(".html")),
    ("Jinja2 runtime", lambda f, n: "/jinja2/" in f or "markupsafe" in f),
    ("Python-Markdown + extensions (incl. ElementTree)", lambda f, n: "/markdown/" in f or "/pymdownx/" in f
     or "xml/etree" in f or "_elementtree" in f or n.startswith("<method '") and "Element" in n),
    ("search plugin (material)", lambda f, n: "material/plugins/search" in f or "mkdocs/contrib/search" in f),
    ("html.parser (stdlib; search plugin, ...)", lambda f, n: "html/parser.py" in f or "_markupbase.py" in f),
    ("briefing-search plugin (search/; incl. waiting for Pagefind)", lambda f, n: "briefing_archive/search/" in f),
    ("briefing_archive: catalogue (reading, checking)", lambda f, n: "briefing_archive/catalogue/" in f),
    ("briefing_archive: related briefs (related.py)", lambda f, n: "briefing_archive/related.py" in f),
    ("briefing_archive: feeds, API, citations, sharing (outputs/)", lambda f, n: "briefing_archive/outputs/" in f),
    ("briefing_archive: plugin, page plan, other", lambda f, n: "briefing_archive/" in f),
    ("YAML (PyYAML, front matter)", lambda f, n: "/yaml/" in f or "_yaml" in f or "frontmatter" in f),
    ("MkDocs core (structure, build, config, files)", lambda f, n: "/mkdocs/" in f),
    ("material (other Python)", lambda f, n: "/material/" in f),
    ("regular expressions", lambda f, n: "re/" in f or "sre_" in f or n.startswith("<method 'sub'") or n.startswith("<method 'match'")
     or n.startswith("<method 'search'") or n.startswith("<method 'finditer'") or n.startswith("<method 'findall'")),
    ("file I/O (open, read, write, copy, stat)", lambda f, n: any(w in n for w in ("open", "write", "read", "stat", "copy", "mkdir", "listdir", "scandir", "utime"))
     or "shutil.py" in f or "pathlib.py" in f or "genericpath.py" in f),
]

# (label, filename suffix, function name) of stages, reported by cumulative time.
STAGES = [
    ("whole build (mkdocs.commands.build.build)", "mkdocs/commands/build.py", "build"),
    ("  Markdown -> HTML of every page (Page.render)", "mkdocs/structure/pages.py", "render"),
    ("  template rendering (jinja2 Template.render, every page)", "jinja2/environment.py", "render"),
    ("  all page builds (_build_page, incl. events and writing)", "mkdocs/commands/build.py", "_build_page"),
    ("  reading pages' Markdown and meta (Page.read_source)", "mkdocs/structure/pages.py", "read_source"),
    ("  the url filter (url_filter)", "mkdocs/utils/templates.py", "url_filter"),
    ("  plugins: on_config (ours: catalogue load + page plan)", "briefing_archive/mkdocs_plugin/plugin.py", "on_config"),
    ("  plugins: on_files (ours)", "briefing_archive/mkdocs_plugin/plugin.py", "on_files"),
    ("  plugins: on_page_markdown (ours)", "briefing_archive/mkdocs_plugin/plugin.py", "on_page_markdown"),
    ("  plugins: on_page_content (ours: sanitize)", "briefing_archive/mkdocs_plugin/plugin.py", "on_page_content"),
    ("  plugins: on_page_context (ours)", "briefing_archive/mkdocs_plugin/plugin.py", "on_page_context"),
    ("  plugins: on_post_page (ours)", "briefing_archive/mkdocs_plugin/plugin.py", "on_post_page"),
    ("  plugins: on_post_build (ours)", "briefing_archive/mkdocs_plugin/plugin.py", "on_post_build"),
    ("  plugins: on_env (ours)", "briefing_archive/mkdocs_plugin/plugin.py", "on_env"),
    ("  page plan (pages.py: plan_pages, incl. related briefs)", "briefing_archive/pages.py", "plan_pages"),
    ("  related briefs (related.py: RelatedIndex.related)", "briefing_archive/related.py", "related"),
    ("  Atom feeds (outputs/feeds.py: atom_feed)", "briefing_archive/outputs/feeds.py", "atom_feed"),
    ("  citation files (outputs/citations.py: bibtex)", "briefing_archive/outputs/citations.py", "bibtex"),
    ("  citation files (outputs/citations.py: ris)", "briefing_archive/outputs/citations.py", "ris"),
    ("  JSON API (outputs/api.py: briefs_json)", "briefing_archive/outputs/api.py", "briefs_json"),
    ("  head meta (outputs/sharing.py: head_meta)", "briefing_archive/outputs/sharing.py", "head_meta"),
    ("  catalogue: load_archive", "briefing_archive/catalogue/loader.py", "load_archive"),
    ("  catalogue: derived summaries (Markdown of first paragraphs)", "briefing_archive/catalogue/text.py", "derived_summary"),
    ("  nh3.clean (all callers)", "~", "<built-in method nh3.clean>"),
    ("  briefing-search: on_post_page (header form, every page)", "briefing_archive/search/plugin.py", "on_post_page"),
    ("  briefing-search: on_post_build (runs Pagefind; waiting counted)", "briefing_archive/search/plugin.py", "on_post_build"),
    ("  material search plugin: on_page_context", "material/plugins/search/plugin.py", "on_page_context"),
    ("  material search plugin: on_post_build", "material/plugins/search/plugin.py", "on_post_build"),
    ("  nav for every page (material nav partials)", "material/templates/partials/nav.html", "root"),
    ("  writing files (mkdocs.utils.write_file)", "mkdocs/utils/__init__.py", "write_file"),
]


def bucket_of(filename: str, name: str) -> str:
    for label, test in BUCKETS:
        if test(filename, name):  # type: ignore[operator]
            return label
    return OTHER


OTHER = "other (stdlib, builtins)"


def summarise(stats: pstats.Stats, wall: float) -> str:
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, tt, _, _) in raw.values())
    memo: dict[tuple, dict[str, float]] = {}

    def shares(func: tuple, depth: int = 0) -> dict[str, float]:
        """The component(s) a function's own time belongs to: its own, or (for builtins and the
        stdlib: isinstance, str.join, copy.deepcopy, ...) its callers', by the time each call path took."""
        filename, _, name = func
        label = bucket_of(filename.replace(os.sep, "/"), name)
        if label != OTHER or depth > 30:
            return {label: 1.0}
        if func in memo:
            return memo[func]
        memo[func] = {OTHER: 1.0}  # while recursing: cycles stay "other"
        callers = raw[func][4]
        weights = {caller: edge[2] for caller, edge in callers.items()}
        if sum(weights.values()) <= 0:
            weights = {caller: edge[0] for caller, edge in callers.items()}
        whole = sum(weights.values())
        if not callers or whole <= 0:
            return memo[func]
        out: dict[str, float] = {}
        for caller, weight in weights.items():
            for key, value in shares(caller, depth + 1).items():
                out[key] = out.get(key, 0.0) + value * weight / whole
        memo[func] = out
        return out

    buckets: dict[str, float] = {}
    for func, (_, _, tt, _, _) in raw.items():
        for label, share in shares(func).items():
            buckets[label] = buckets.get(label, 0.0) + tt * share
    lines = ["Builtins' and the standard library's own time is charged to their callers' components.",
             f"Own time by component (profiled total {total:.1f} s; wall time under the profiler {wall:.1f} s):"]
    for label, tt in sorted(buckets.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {tt:8.2f} s  {100 * tt / total:5.1f} %  {label}")
    lines.append("\nCumulative time of stages (inclusive, overlapping):")
    for label, suffix, fname in STAGES:
        ct, calls = 0.0, 0
        for (filename, _, name), (cc, nc, tt, cum, _) in raw.items():
            if name == fname and filename.replace(os.sep, "/").endswith(suffix):
                # recursive functions: cProfile's cumulative already counts the outermost call only
                ct, calls = ct + cum, calls + nc
        if calls:
            lines.append(f"  {ct:8.2f} s  {100 * ct / total:5.1f} %  {label}  [{calls:,} calls]")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefs", "-n", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--floor", action="store_true", help="profile the floor build instead of the archive")
    parser.add_argument("--base-config", type=Path, default=REPO / "mkdocs.yml", help="the mkdocs.yml the archive inherits")
    parser.add_argument("--config", help="another config file in the archive's folder (e.g. a variant written by hand)")
    parser.add_argument("--stats", type=Path, help="write the raw cProfile stats here (for snakeviz, pstats)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--cpu", action="store_true",
                        help="time with the process's CPU clock (steadier on a busy machine, but a system call per "
                             "event: it inflates call-heavy code more than the default wall clock)")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

    root = (args.workdir / f"n{args.briefs}").resolve()
    if not generate.manifest_matches(root, args.briefs, args.seed):
        generate.generate(root, args.briefs, seed=args.seed, base_config=args.base_config)
    else:
        generate.write_configs(root, args.base_config)
    config_file = root / (args.config or ("mkdocs-floor.yml" if args.floor else "mkdocs.yml"))
    site_dir = root / "site-profile"

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    profiler = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    config = load_config(str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does (a warm build needs it)
    build(config)
    config.plugins.on_shutdown()
    profiler.disable()
    wall = time.perf_counter() - started

    if args.stats:
        profiler.dump_stats(str(args.stats))
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(key).print_stats(args.top)
        text = re.sub(r"^.*?(?=\s+ncalls)", "", out.getvalue(), count=1, flags=re.S)
        print(f"=== top {args.top} by {key} ===\n{text.replace(str(REPO) + '/', '').rstrip()}\n")
    print(summarise(pstats.Stats(profiler), wall))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
