"""`mkdocs serve`'s rebuild path, timed: one process builds, an editor saves one brief, it builds again.

    python -m bench.rebuild --config .cache/bench/n1000/mkdocs.yml \
        --edit content/briefs/2021/some-brief.md --json out.json

Follows mkdocs/commands/serve.py (MkDocs 1.6): the configuration is loaded once and the
plugins' `on_startup(command="serve")` runs once; the first build uses that configuration;
every rebuild loads the configuration again (plugins with `on_startup`/`on_shutdown` are kept
across reloads by MkDocs, others are made anew) and builds into the same temporary site
folder, with `serve_url` set as the live server does. The edit appends a sentence to one brief
(bench/edits.py); the file is restored afterwards, whatever happens. A rebuild's time includes
reloading the configuration, as it does under `mkdocs serve`.

Before each edit it waits for the search index that the last build started beside the server
(the briefing-search plugin runs Pagefind in a thread once a build is done; the preview does
not wait for it): an editor saves at a human pace, and a rebuild timed while Pagefind indexes
on the same cores would measure the two together. The wait is recorded apart.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from .edits import MARKER, add_sentence, brief_page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--edit", required=True, help="the brief to edit, relative to the config's folder")
    parser.add_argument("--rebuilds", type=int, default=1, help="edit-and-rebuild rounds (default 1)")
    parser.add_argument("--dirty", action="store_true",
                        help="rebuild as `mkdocs serve --dirty` does: only pages whose source changed (and every "
                             "generated page) are rendered again; MkDocs warns such builds can be inaccurate")
    parser.add_argument("--json", type=Path, help="write the timings here (else print them)")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)-7s -  %(message)s")

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import _serve_url

    config_file = args.config.resolve()
    root = config_file.parent
    target = root / args.edit
    site_dir = tempfile.mkdtemp(prefix="mkdocs_bench_serve_", dir=root)

    def get_config():
        return load_config(config_file=str(config_file), site_dir=site_dir)

    result: dict = {"config": str(config_file), "edited": args.edit, "dirty": args.dirty, "rebuilds_s": [], "reload_config_s": [],
                    "search_index_wait_s": []}
    original = target.read_bytes()
    config = None
    try:
        started = time.perf_counter()
        config = get_config()
        config.plugins.on_startup(command="serve", dirty=args.dirty)
        host, port = config.dev_addr
        serve_url = _serve_url(host, port, urlsplit(config.site_url or "/").path)
        config.site_url = serve_url
        build(config, serve_url=serve_url)
        result["first_build_s"] = round(time.perf_counter() - started, 3)

        for n in range(1, args.rebuilds + 1):
            waited = time.perf_counter()
            indexer = getattr(config.plugins.get("briefing-search"), "indexer", None)
            if indexer is not None:
                indexer.join()
            result["search_index_wait_s"].append(round(time.perf_counter() - waited, 3))
            target.write_text(add_sentence(original.decode("utf-8"), n), encoding="utf-8")
            started = time.perf_counter()
            fresh = get_config()
            fresh.site_url = serve_url
            loaded = time.perf_counter()
            build(fresh, serve_url=serve_url, dirty=args.dirty)
            done = time.perf_counter()
            result["rebuilds_s"].append(round(done - started, 3))
            result["reload_config_s"].append(round(loaded - started, 3))
            # The brief's page by its address (a search of the folder would meet Pagefind writing).
            page = brief_page(Path(site_dir), root / "content", target)
            result["edit_visible"] = page.is_file() and MARKER.format(n=n) in page.read_text(encoding="utf-8")
        result["rebuild_s"] = result["rebuilds_s"][0] if result["rebuilds_s"] else None
    finally:
        target.write_bytes(original)
        if config is not None:
            config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)

    text = json.dumps(result, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
