"""`mkdocs build ...` that also reports its own peak memory apart from its subprocesses' (Pagefind).

    python bench/child_build.py RUSAGE.json build -f mkdocs.yml

Runs MkDocs' command line in this process; on the way out writes RUSAGE.json with the peak
resident set size of this process (`self_peak_mb`) and of the largest subprocess it waited for
(`children_peak_mb`), and their CPU times. Run by file path, so it imports nothing of bench/.
"""

from __future__ import annotations

import json
import os
import resource
import sys


def main() -> int:
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)  # bench/ on the path would shadow nothing today; keep it that way
    out, args = sys.argv[1], sys.argv[2:]
    code = 0
    try:
        from mkdocs.__main__ import cli

        cli.main(args=args, prog_name="mkdocs", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    finally:
        me = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(out, "w", encoding="utf-8") as fh:
            json.dump({"self_peak_mb": round(me.ru_maxrss / 1024, 1), "children_peak_mb": round(children.ru_maxrss / 1024, 1),
                       "self_cpu_s": round(me.ru_utime + me.ru_stime, 3),
                       "children_cpu_s": round(children.ru_utime + children.ru_stime, 3)}, fh)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
