"""How far a long build has got, said the MkDocs way: INFO lines through a plugin's logger, never a
bar. A build of a large archive, or the first `make serve` of one, is otherwise silent for minutes
(reading the archive, rendering every page's Markdown, building every page, indexing for search).

A step says how far it is at most every `EVERY` seconds, and only for a large archive (`LARGE`
pages or briefs): a small one is done before a line would help, and says nothing more than it
did. `-q` hides INFO lines, and `--strict` counts only warnings. When to speak is decided by a
monotonic clock handed in, so the logic is tested without waiting.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

LARGE = 1_000  # pages (or briefs, for search): from here on a build says how far it is
EVERY = 5.0  # seconds at least between two lines of one step


def is_large(count: int) -> bool:
    return count >= LARGE


@dataclass
class Step:
    """A step of a build that goes through `total` items one by one: `done(count)` says
    "<verb> <count> of <total> <items>" once `every` seconds have passed since the step began or
    last said so; nothing when `total` is under `large`, nor once the step is over (what comes
    next says so)."""

    verb: str
    total: int
    say: Callable[[str], None]
    items: str = "pages"
    clock: Callable[[], float] = time.monotonic
    # Read when a step is made, so a test can make every step of a build speak.
    every: float = field(default_factory=lambda: EVERY)
    large: int = field(default_factory=lambda: LARGE)

    def __post_init__(self) -> None:
        self.said_at = self.clock()

    def done(self, count: int) -> None:
        if self.total < self.large or count >= self.total:
            return
        now = self.clock()
        if now - self.said_at >= self.every:
            self.say(f"{self.verb} {count:,} of {self.total:,} {self.items}")
            self.said_at = now
