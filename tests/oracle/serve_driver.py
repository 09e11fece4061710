"""`serve --dirty` in one process, as MkDocs 1.6 (and ProperDocs) run it, without the server:

    python serve_driver.py ENGINE CONFIG_FILE SERVED_DIR SNAPSHOTS_DIR

Plugins' `on_startup(command="serve", dirty=True)` once, a first build into SERVED_DIR, then for
each edit of tests/test_dirty_rebuilds.py's EDITS (applied to the archive beside CONFIG_FILE)
the configuration loaded again (plugins with `on_startup` are kept, as `serve` keeps them) and
a dirty build into the same folder. After each build, once any indexing the plugins do beside
the server is done, the served folder is copied to SNAPSHOTS_DIR/<step> (0: the first build,
n: after the n-th edit) for the test to compare with a plain full build of the same content.
SNAPSHOTS_DIR/progress.json says which steps were done and, if one failed, why.

For ProperDocs, `properdocs.replacement` is imported first, as `properdocs serve` does, so
`mkdocs.*` imports (the plugins', the hooks') resolve to ProperDocs.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import threading
import time
import traceback
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def settle(config) -> None:
    """Waits for what plugins run beside the server after a build (briefing-search's Pagefind)."""
    for _ in range(100):
        running = [value for plugin in config.plugins.values() for value in vars(plugin).values()
                   if isinstance(value, threading.Thread) and value.is_alive()]
        if not running:
            return
        for thread in running:
            thread.join(timeout=120)


def main(engine: str, config_file: Path, served: Path, snapshots: Path) -> int:
    sys.path[:] = [str(TESTS)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    if engine == "properdocs":
        import properdocs.replacement  # noqa: F401
    elif engine != "mkdocs":
        raise SystemExit(f"unknown engine {engine!r}")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from test_dirty_rebuilds import EDITS

    root = config_file.parent
    snapshots.mkdir(parents=True, exist_ok=True)
    progress: dict = {"engine": engine, "steps": [], "error": None}

    def snapshot(step: int, what: str, seconds: float) -> None:
        shutil.copytree(served, snapshots / str(step))
        progress["steps"].append({"step": step, "edit": what, "seconds": round(seconds, 2)})
        (snapshots / "progress.json").write_text(json.dumps(progress, indent=1), encoding="utf-8")

    config = load_config(str(config_file), site_dir=str(served))
    try:
        config.plugins.on_startup(command="serve", dirty=True)
        started = time.perf_counter()
        build(config, dirty=True)
        settle(config)
        snapshot(0, "the first build", time.perf_counter() - started)
        for step, (what, change) in enumerate(EDITS, start=1):
            time.sleep(0.05)  # file times must tell the edit from the last build's output
            change(root)
            started = time.perf_counter()
            config = load_config(str(config_file), site_dir=str(served))
            build(config, dirty=True)
            settle(config)
            snapshot(step, what, time.perf_counter() - started)
    except BaseException as error:  # noqa: BLE001 - reported to the test, which names the step
        progress["error"] = f"after step {len(progress['steps']) - 1}: {type(error).__name__}: {error}"
        (snapshots / "progress.json").write_text(json.dumps(progress, indent=1), encoding="utf-8")
        traceback.print_exc()
        return 1
    finally:
        config.plugins.on_shutdown()
    (snapshots / "progress.json").write_text(json.dumps(progress, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1], Path(sys.argv[2]).resolve(), Path(sys.argv[3]).resolve(), Path(sys.argv[4]).resolve()))
