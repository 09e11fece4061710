"""What formatting a brief's reference costs, and that the speed-ups do not change it.

    python -m bench.citations --briefs 1000              # ms of CPU per brief per style
    python -m bench.citations --archive .                # the sample content
    python -m bench.citations --briefs 1000 --plain      # citeproc-py as released (the plain path)
    python -m bench.citations --briefs 1000 --compare    # every brief both ways, byte for byte
    python -m bench.citations --briefs 1000 --profile out.prof

Loads the archive with the project's loader (a generated one is written into --workdir first if
missing) and formats every brief's CSL record as the build does (outputs/citation_styles.py),
one style at a time, timing each; the styles are parsed before the clock starts. --compare
formats every record with the speed-ups and on the plain path (each style parsed afresh for each
record, citeproc-py unpatched) and exits 1 on the first difference.
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
    """Every brief's CSL record (translations too), as the build formats it."""
    catalogue = load_archive(ArchivePaths.at(root), site_name=PUBLISHER).catalogue
    return [csl_record(brief, PUBLISHER, SITE_URL) for brief in catalogue.every]


def generated(briefs: int, workdir: Path, seed: int) -> Path:
    root = workdir / f"n{briefs}"
    if not generate.manifest_matches(root, briefs, seed):
        generate.generate(root, briefs, seed=seed)
    return root


def timed(found: list[dict], speed_ups: bool, profile: Path | None) -> None:
    profiler = cProfile.Profile() if profile else None
    spent = dict.fromkeys((style.key for style in citation_styles.STYLES), 0.0)
    if profiler:
        profiler.enable()
    for record in found:
        for style in citation_styles.STYLES:
            start = time.process_time()
            citation_styles.render(record, speed_ups=speed_ups, styles=(style,))
            spent[style.key] += time.process_time() - start
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    patched = "speed-ups on" if speed_ups and citation_styles.PATCHED else "citeproc-py as released"
    print(f"{len(found)} briefs, {patched}, ms of CPU a brief:")
    for key, seconds in spent.items():
        print(f"  {key:8} {seconds * 1000 / len(found):6.2f}")
    print(f"  {'all':8} {sum(spent.values()) * 1000 / len(found):6.2f}")


def compared(found: list[dict]) -> int:
    for number, record in enumerate(found, 1):
        fast = [citation.html for citation in citation_styles.render(record)]
        plain = [citation.html for citation in citation_styles.render(record, speed_ups=False)]
        if fast != plain:
            print(f"{record['id']}: the speed-ups give\n  {fast}\nthe plain path gives\n  {plain}")
            return 1
        if number % 100 == 0:
            print(f"  {number} of {len(found)} the same")
    print(f"{len(found)} briefs, {len(citation_styles.STYLES)} styles: the same HTML, byte for byte")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefs", "-n", type=int, default=1000)
    parser.add_argument("--archive", type=Path, help="an archive's root instead of a generated one")
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--plain", action="store_true", help="time the plain path (citeproc-py as released)")
    parser.add_argument("--compare", action="store_true", help="compare the speed-ups with the plain path")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the formatting here")
    args = parser.parse_args(argv)
    found = records(args.archive or generated(args.briefs, args.workdir, args.seed))
    if args.compare:
        return compared(found)
    citation_styles.load_styles()
    timed(found, not args.plain, args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
