"""What formatting a brief's reference costs: ms of CPU per brief per style, in one process.

    python -m bench.citations --briefs 1000              # a generated archive (made if missing)
    python -m bench.citations --archive .                # the sample content
    python -m bench.citations --briefs 1000 --profile out.prof

Loads the archive with the project's loader, takes every brief's CSL record (as the build does)
and formats each in every style, timing the styles apart; each style is parsed before timing.
"""

from __future__ import annotations

import argparse
import cProfile
import time
from pathlib import Path

from briefing_archive.catalogue.loader import ArchivePaths, load_archive
from briefing_archive.outputs import citation_styles
from briefing_archive.outputs.citations import csl_record

from . import generate

REPO = Path(__file__).resolve().parent.parent
PUBLISHER = "Meridian Institute for Security Studies"
SITE_URL = "https://briefs.meridian.example/"


def records(root: Path) -> list[dict]:
    """Every brief's CSL record, as the build formats it."""
    catalogue = load_archive(ArchivePaths.at(root), site_name=PUBLISHER).catalogue
    return [csl_record(brief, PUBLISHER, SITE_URL) for brief in catalogue.every]


def archive_root(briefs: int, workdir: Path, seed: int) -> Path:
    root = workdir / f"n{briefs}"
    if not generate.manifest_matches(root, briefs, seed):
        generate.generate(root, briefs, seed=seed)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefs", "-n", type=int, default=1000)
    parser.add_argument("--archive", type=Path, help="an archive's root instead of a generated one")
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the formatting here")
    args = parser.parse_args(argv)
    root = args.archive or archive_root(args.briefs, args.workdir, args.seed)
    found = records(root)
    citation_styles.load_styles()
    profiler = cProfile.Profile() if args.profile else None
    spent = {style.key: 0.0 for style in citation_styles.STYLES}
    if profiler:
        profiler.enable()
    for record in found:
        for style in citation_styles.STYLES:
            start = time.process_time()
            citation_styles.render(record, styles=(style,))
            spent[style.key] += time.process_time() - start
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(f"{len(found)} briefs, citeproc-py patched: {citation_styles.PATCHED}")
    for key, seconds in spent.items():
        print(f"  {key:8} {seconds * 1000 / len(found):6.2f} ms a brief")
    print(f"  {'all':8} {sum(spent.values()) * 1000 / len(found):6.2f} ms a brief")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
