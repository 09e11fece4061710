"""How many processes to spread work over: the one rule the read workers, the reference
formatting, `briefs changes` and `briefs import` share."""

from __future__ import annotations

import multiprocessing
import os
import threading


def fork_workers(items: int, parallel_from: int) -> int:
    """Processes to use, this one included: one unless there are at least `parallel_from` items,
    cores to spare, and forking is safe (no other thread could be holding a lock, as under
    `mkdocs serve`); else every core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if items < parallel_from or cores < 2 or threading.active_count() > 1 \
            or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return cores
