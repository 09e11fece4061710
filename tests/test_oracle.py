"""The oracle: every speed-up of the build gives the site the plain path gives, byte for byte.

The archive is fast because of caches (rendered brief bodies, read results, search index parts
under .cache/), forked page and body workers, theme partials rendered once for many pages, and
`serve --dirty` rebuilds. Each configuration of a small archive (tests/oracle/archives.py) is
built under both engines (MkDocs 1.6.1 and ProperDocs 1.6.7, each by its CLI in a process of its
own) on every path:

- plain: every speed-up off (`speed_ups: false` under briefing-archive, briefing-search's
  `cache_dir: ""`), in its own folder with no cache;
- cold: the default options, no .cache/;  warm: a second build after it, with its .cache/ (which
  puts back the files the first one wrote, site_mirror.py); warm-bodies: a third, without the
  state of the warm builds, so every page is built again from the cached bodies;
- workers-cold / workers-warm: the same with `build_workers: 2` (forced on whatever the plugins);
- warm-edit-N: after a cold build, each edit of tests/test_dirty_rebuilds.py's EDITS followed by a
  warm build in a new process (what the deploy of a merged pull request runs), against a plain
  build of the same content;
- serve-dirty-N: the `serve --dirty` sequence (tests/oracle/serve_driver.py, one process) after
  its first build (N=0) and after each edit of tests/test_dirty_rebuilds.py's EDITS (N≥1),
  against a plain build of the same content.

Every file of site/ is compared, the Pagefind bundle too, and what the configuration must show
(a hook's sentence beside the brief's own text, a custom partial's own URL, …) is checked on
every path. Every build but the serve ones runs with `--strict`: the verdict is the plain one's.
A planted broken link must fail `--strict` on every path; `use_directory_urls: false` must be
refused. So that no path passes by doing nothing: a body cache written by one process serves the
next one (the emoji configuration's Markdown settings hold functions, which once gave the cache
salt memory addresses), and the workers paths do build pages in forked workers.

Pagefind's bundle is compared byte for byte like everything else; a message says when it is the
only part that differs.

The builds are independent processes, run ORACLE_JOBS (2) at a time in the order of the tests
selected, and kept for the session: each test waits for the builds it compares.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from oracle.archives import CONFIGURATIONS, Files, broken_link, configured, file_urls
from oracle.builds import BODIES_LINE, ENGINES, WARM_LINE, WORKERS_LINE, Build, ServeSession, cli_build, serve_dirty
from oracle.compare import difference, tree
from test_determinism import lay_out
from test_dirty_rebuilds import EDITS

pytestmark = pytest.mark.oracle

PATHS = ("cold", "warm", "warm-bodies", "workers-cold", "workers-warm")
CHAIN_OF = {"cold": ("default", "cold"), "warm": ("default", "warm"), "warm-bodies": ("default", "bodies"),
            "workers-cold": ("workers", "cold"), "workers-warm": ("workers", "warm")}
CHAIN_OPTIONS = {"default": {}, "workers": {"build_workers": 2}}
PLAIN_ARCHIVE = {"speed_ups": False}
PLAIN_SEARCH = {"cache_dir": ""}  # briefing-search's index-part cache off too
PLAIN_NOTE = "plain = speed_ups: false"
TIMES = [1_600_000_000 + 60 * i for i in range(50)]
SERVED = [name for name, configuration in CONFIGURATIONS.items() if configuration.served]
BROKEN = "[gone](../2099/missing.md) in content/briefs/2022/bravo.md"


class Oracle:
    """Runs the builds the selected tests compare, each once, ORACLE_JOBS at a time."""

    def __init__(self, base: Path, jobs: int) -> None:
        self.base = base
        self.pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="oracle")
        self.futures: dict[tuple, Future] = {}
        self.lock, self.files_lock = threading.Lock(), threading.Lock()
        self.sources: dict[str, Files] = {}
        self.builds: list[Build] = []
        self.started = time.perf_counter()

    # --- scheduling
    def need(self, *key) -> Future:
        with self.lock:
            if key not in self.futures:
                self.futures[key] = self.pool.submit(getattr(self, "_" + key[0].replace("-", "_")), *key[1:])
            return self.futures[key]

    def get(self, *key):
        return self.need(*key).result(timeout=1200)

    # --- laying out sources
    def files(self, name: str) -> Files:
        with self.files_lock:
            if name not in self.sources:
                make = {"broken-link": broken_link, "file-urls": file_urls}.get(name) or CONFIGURATIONS[name].make
                self.sources[name] = make(self.base / "scratch" / name)
            return self.sources[name]

    def plain_files(self, name: str) -> Files:
        return configured(self.files(name), PLAIN_ARCHIVE, PLAIN_SEARCH)

    def root(self, engine: str, config: str, path: str, files: Files) -> Path:
        root = self.base / engine / config / path / "src"
        lay_out(root, files, sorted(files), TIMES)
        shutil.rmtree(root / ".cache", ignore_errors=True)  # a cold start
        return root

    def build(self, label: str, engine: str, root: Path, site: str, strict: bool) -> Build:
        build = cli_build(label, engine, root / "mkdocs.yml", root.parent / site, strict=strict)
        self.builds.append(build)
        return build

    # --- the jobs (none waits for another)
    def _plain(self, engine: str, config: str) -> Build:
        root = self.root(engine, config, "plain", self.plain_files(config))
        return self.build(f"{engine}/{config}/plain", engine, root, "site", strict=True)

    def _chain(self, engine: str, config: str, chain: str) -> dict:
        """A cold build and, in a new process, a warm one with the cache it left."""
        files = configured(self.files(config), CHAIN_OPTIONS[chain])
        root = self.root(engine, config, chain, files)
        prefix = "" if chain == "default" else "workers-"
        cold = self.build(f"{engine}/{config}/{prefix}cold", engine, root, "site-cold", strict=True)
        bodies = root / ".cache/briefing-archive/bodies.json"
        after_cold = bodies.read_bytes() if bodies.exists() else None
        warm = self.build(f"{engine}/{config}/{prefix}warm", engine, root, "site-warm", strict=True)
        after_warm = bodies.read_bytes() if bodies.exists() else None
        shutil.rmtree(root / ".cache/briefing-archive/warm", ignore_errors=True)
        again = self.build(f"{engine}/{config}/{prefix}warm-bodies", engine, root, "site-bodies", strict=True)
        return {"cold": cold, "warm": warm, "bodies": again, "bodies_after_cold": after_cold,
                "bodies_after_warm": after_warm}

    def _warm_edits(self, engine: str, config: str) -> list[Build]:
        """A cold build, then after each edit a warm build in a new process (step N: after N edits)."""
        root = self.root(engine, config, "warm-edits", self.files(config))
        builds = [self.build(f"{engine}/{config}/warm-edit-0", engine, root, "site-0", strict=False)]
        for step, (_what, change) in enumerate(EDITS, start=1):
            change(root)
            builds.append(self.build(f"{engine}/{config}/warm-edit-{step}", engine, root, f"site-{step}", strict=False))
        return builds

    def _serve(self, engine: str, config: str) -> ServeSession:
        root = self.root(engine, config, "serve", self.files(config))
        return serve_dirty(f"{engine}/{config}/serve-dirty", engine, root, root.parent / "served",
                           root.parent / "snapshots")

    def _serve_plain(self, engine: str, config: str, step: int) -> Build:
        """The plain build of the content the serve session had after `step` edits."""
        root = self.root(engine, config, f"plain-after-edit-{step}", self.plain_files(config))
        for _what, change in EDITS[:step]:
            change(root)
        return self.build(f"{engine}/{config}/plain-after-edit-{step}", engine, root, "site", strict=False)

    def _strict(self, engine: str, chain: str) -> dict:
        if chain == "plain":
            root = self.root(engine, "broken-link", "plain", self.plain_files("broken-link"))
            return {"plain": self.build(f"{engine}/broken-link/plain", engine, root, "site", strict=True)}
        return self._chain(engine, "broken-link", chain)

    def _refused(self, engine: str) -> Build:
        root = self.root(engine, "file-urls", "cold", self.files("file-urls"))
        return self.build(f"{engine}/use_directory_urls-false/cold", engine, root, "site", strict=False)

    def summary(self) -> str:
        with open(self.base / "timings.txt", "w", encoding="utf-8") as out:
            out.writelines(f"{b.seconds:6.2f} {b.label}\n" for b in sorted(self.builds, key=lambda b: -b.seconds))
        total = sum(b.seconds for b in self.builds)
        slowest = max(self.builds, key=lambda b: b.seconds, default=None)
        return (f"oracle: {len(self.builds)} CLI builds ({total:.0f} s of build time, slowest "
                f"{slowest.label if slowest else '-'} {slowest.seconds if slowest else 0:.1f} s) and "
                f"{sum(1 for k in self.futures if k[0] == 'serve')} serve sessions in "
                f"{time.perf_counter() - self.started:.0f} s; {PLAIN_NOTE}")


# --- the matrix ---------------------------------------------------------------------------

PLAIN = [pytest.param(e, c, id=f"{e}-{c}-plain") for e in ENGINES for c in CONFIGURATIONS]
MATRIX = [pytest.param(e, c, p, id=f"{e}-{c}-{p}") for e in ENGINES for c in CONFIGURATIONS for p in PATHS]
SERVE = [pytest.param(e, c, n, id=f"{e}-{c}-serve-dirty-{n}") for e in ENGINES for c in SERVED
         for n in range(len(EDITS) + 1)]
WARM_EDITS = [pytest.param(e, c, n, id=f"{e}-{c}-warm-edit-{n}") for e in ENGINES for c in SERVED
              for n in range(1, len(EDITS) + 1)]
STRICT = [pytest.param(e, p, id=f"{e}-broken-link-{p}") for e in ENGINES for p in ("plain", *PATHS)]
CACHED = [pytest.param(e, c, id=f"{e}-{c}-warm") for e in ENGINES for c in CONFIGURATIONS]
WORKERS = [pytest.param(e, c, p, id=f"{e}-{c}-{p}") for e in ENGINES for c in CONFIGURATIONS
           for p in ("workers-cold", "workers-warm")]


def jobs_for(test: str, params: dict) -> list[tuple]:
    """The builds a test of this module compares, in the order it needs them."""
    engine, config = params.get("engine"), params.get("config")
    if test == "test_the_plain_build_passes_strict_and_shows_its_configuration":
        return [("plain", engine, config)]
    if test == "test_a_speed_up_builds_the_plain_site":
        return [("plain", engine, config), ("chain", engine, config, CHAIN_OF[params["path"]][0])]
    if test == "test_a_serve_dirty_rebuild_leaves_the_plain_site":
        step = params["step"]
        plain = ("plain", engine, config) if step == 0 else ("serve-plain", engine, config, step)
        return [("serve", engine, config), plain]
    if test == "test_a_warm_build_after_an_edit_builds_the_plain_site":
        return [("warm-edits", engine, config), ("serve-plain", engine, config, params["step"])]
    if test == "test_strict_fails_on_a_broken_link_on_every_path":
        return [("strict", engine, "plain" if params["path"] == "plain" else CHAIN_OF[params["path"]][0])]
    if test == "test_use_directory_urls_false_is_refused":
        return [("refused", engine)]
    if test == "test_a_new_process_takes_every_body_from_the_cache":
        return [("chain", engine, config, "default")]
    if test == "test_the_workers_path_builds_pages_in_forked_workers":
        return [("chain", engine, config, "workers")]
    return []


@pytest.fixture(scope="session")
def oracle(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    oracle = Oracle(tmp_path_factory.mktemp("oracle"), int(os.environ.get("ORACLE_JOBS", "2")))
    here = Path(__file__).resolve()
    for item in request.session.items:  # every build the selected tests need, in their order
        if Path(str(item.fspath)).resolve() == here and hasattr(item, "callspec"):
            for key in jobs_for(item.originalname, item.callspec.params):
                oracle.need(*key)
    yield oracle
    oracle.pool.shutdown(wait=True, cancel_futures=True)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("\n" + oracle.summary())


def new_problems(config: str, site: dict[str, bytes], plain: dict[str, bytes]) -> list[str]:
    """What `config` must show that this site does not, though the plain site does."""
    configuration = CONFIGURATIONS[config]
    known = set(configuration.problems(plain))
    return [p for p in configuration.problems(site) if p not in known]


def _plain_or_fail(oracle: Oracle, build: Build, what: str) -> dict[str, bytes]:
    if not build.ok:
        pytest.fail(f"{what}: the plain build failed, so there is nothing to compare with ({PLAIN_NOTE})\n"
                    f"{build.report()}")
    return tree(build.site)


@pytest.mark.parametrize(("engine", "config"), PLAIN)
def test_the_plain_build_passes_strict_and_shows_its_configuration(oracle: Oracle, engine: str, config: str):
    build = oracle.get("plain", engine, config)
    assert build.ok, f"{PLAIN_NOTE}\n{build.report()}"
    problems = CONFIGURATIONS[config].problems(tree(build.site))
    assert problems == [], f"{engine}/{config}/plain ({PLAIN_NOTE}): " + "; ".join(problems)
    # Plain is one process and no cache (whatever it logs of them).
    assert not re.findall(WORKERS_LINE, build.log), f"{build.label}: page workers ran\n{build.report(6)}"
    assert all(hits == "0" for hits, _ in re.findall(BODIES_LINE, build.log)), \
        f"{build.label}: bodies came from a cache\n{build.report(6)}"


@pytest.mark.parametrize(("engine", "config", "path"), MATRIX)
def test_a_speed_up_builds_the_plain_site(oracle: Oracle, engine: str, config: str, path: str):
    what = f"{engine}/{config}"
    plain = _plain_or_fail(oracle, oracle.get("plain", engine, config), what)
    chain, which = CHAIN_OF[path]
    build: Build = oracle.get("chain", engine, config, chain)[which]
    site = tree(build.site)
    failures = []
    if not build.ok:
        failures.append(f"{what}/{path}: `build --strict` failed where the plain build passed\n{build.report()}")
    problems = new_problems(config, site, plain)
    if problems:
        failures.append(f"{what}/{path}: " + "; ".join(problems))
    differs = difference(f"{what}/{path} ({PLAIN_NOTE})", "plain", plain, path, site)
    if differs:
        failures.append(differs)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("engine", "config", "step"), SERVE)
def test_a_serve_dirty_rebuild_leaves_the_plain_site(oracle: Oracle, engine: str, config: str, step: int):
    what = f"{engine}/{config}/serve-dirty-{step}"
    edit = "the first build" if step == 0 else f"edit {step}: {EDITS[step - 1][0]}"
    session: ServeSession = oracle.get("serve", engine, config)
    snapshot = session.snapshot(step)
    if snapshot is None:
        pytest.fail(f"{what} ({edit}): the serve session left no site for this step\n{session.report()}")
    reference = oracle.get("plain", engine, config) if step == 0 else oracle.get("serve-plain", engine, config, step)
    plain = _plain_or_fail(oracle, reference, what)
    served = tree(snapshot)
    failures = []
    problems = new_problems(config, served, plain)
    if problems:
        failures.append(f"{what} ({edit}): " + "; ".join(problems))
    differs = difference(f"{what} after {edit} ({PLAIN_NOTE})", "plain", plain, "served", served)
    if differs:
        failures.append(differs)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("engine", "config", "step"), WARM_EDITS)
def test_a_warm_build_after_an_edit_builds_the_plain_site(oracle: Oracle, engine: str, config: str, step: int):
    """The deploy of a merged pull request: a new process with the last build's .cache/. Where
    only the archive's own plugins run, it builds again only what the edit changed and puts back
    the rest; with a hook or another plugin, it builds every page."""
    what = f"{engine}/{config}/warm-edit-{step} (edit {step}: {EDITS[step - 1][0]})"
    build: Build = oracle.get("warm-edits", engine, config)[step]
    plain = _plain_or_fail(oracle, oracle.get("serve-plain", engine, config, step), what)
    failures = []
    if not build.ok:
        failures.append(f"{what}: the build failed\n{build.report()}")
    problems = new_problems(config, tree(build.site), plain)
    if problems:
        failures.append(f"{what}: " + "; ".join(problems))
    differs = difference(f"{what} ({PLAIN_NOTE})", "plain", plain, "warm", tree(build.site))
    if differs:
        failures.append(differs)
    kept = [int(n) for n in re.findall(WARM_LINE, build.log)]
    if CONFIGURATIONS[config].ours_only and not (kept and kept[-1] > 0):
        failures.append(f"{what}: no file kept from the last build (no debug line like {WARM_LINE!r})\n{build.report(6)}")
    if not CONFIGURATIONS[config].ours_only and kept:
        failures.append(f"{what}: files kept from the last build with another plugin or a hook in the config")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("engine", "path"), STRICT)
def test_strict_fails_on_a_broken_link_on_every_path(oracle: Oracle, engine: str, path: str):
    """Warm, the broken link's body comes from the cache: MkDocs renders nothing, so it warns of
    nothing, unless the cache left out what warned; so must a body a worker rendered."""
    if path == "plain":
        build = oracle.get("strict", engine, "plain")["plain"]
    else:
        chain, which = CHAIN_OF[path]
        build = oracle.get("strict", engine, chain)[which]
    assert not build.ok, (f"{engine}/broken-link/{path}: `build --strict` passed with {BROKEN}, "
                          f"which it must refuse\n{build.report()}")
    warned = [line for line in build.log.splitlines() if "2099/missing.md" in line]
    assert warned and "strict mode" in build.log, \
        f"{engine}/broken-link/{path}: failed, but not for the broken link in strict mode\n{build.report()}"


@pytest.mark.parametrize("engine", ENGINES)
def test_use_directory_urls_false_is_refused(oracle: Oracle, engine: str):
    build = oracle.get("refused", engine)
    assert not build.ok, f"{engine}: `use_directory_urls: false` was built, not refused\n{build.report()}"
    said = [line for line in build.log.splitlines() if "use_directory_urls" in line]
    assert said, f"{engine}: the build failed without naming use_directory_urls\n{build.report()}"
    assert not (build.site / "index.html").exists(), f"{engine}: refused, but after writing pages"


@pytest.mark.parametrize(("engine", "config"), CACHED)
def test_a_new_process_takes_every_body_from_the_cache(oracle: Oracle, engine: str, config: str):
    """Two builds in two processes: the second renders no brief body (the plugin's debug line
    `rendered bodies: N from the cache, M rendered`), and leaves the cache file as it was. For
    the emoji configuration (Markdown settings that hold functions) that is the cache salt in a
    form without memory addresses; for the others, that the warm path is warm at all."""
    chain = oracle.get("chain", engine, config, "default")
    cold, warm = chain["cold"], chain["bodies"]
    assert cold.ok and warm.ok, f"{cold.report()}\n{warm.report()}"
    briefs = sum(1 for name in tree(cold.site) if re.fullmatch(r"briefs/\d{4}/[^/]+/index\.html", name))
    counts = []
    for build in (cold, warm):
        found = re.findall(BODIES_LINE, build.log)
        assert found, f"{build.label}: no debug line like {BODIES_LINE!r} in its -v log\n{build.report(6)}"
        counts.append(tuple(map(int, found[-1])))
    assert counts[0] == (0, briefs), f"{cold.label}: a cold build renders every one of the {briefs} bodies: {counts[0]}"
    assert counts[1] == (briefs, 0), (
        f"{warm.label}: (from the cache, rendered) = {counts[1]}, not ({briefs}, 0): the second process "
        f"missed the cache the first one wrote")
    assert chain["bodies_after_warm"] == chain["bodies_after_cold"], f"{chain['warm'].label}: the warm build rewrote bodies.json"


@pytest.mark.parametrize(("engine", "config", "path"), WORKERS)
def test_the_workers_path_builds_pages_in_forked_workers(oracle: Oracle, engine: str, config: str, path: str):
    """`build_workers: 2` is on whatever the plugins: a workers path that quietly built every page
    in one process would compare equal and prove nothing (the plugin's debug line
    `N pages built by page workers`)."""
    build = oracle.get("chain", engine, config, "workers")[CHAIN_OF[path][1]]
    found = re.findall(WORKERS_LINE, build.log)
    assert found and int(found[-1]) > 0, (f"{build.label}: no page built by a page worker (no debug line like "
                                          f"{WORKERS_LINE!r} in its -v log)\n{build.report(6)}")
