"""Builds as a reader's machine runs them: the engine's CLI in a process of its own, or the serve
driver (serve_driver.py) for `serve --dirty`, with the build clock (SOURCE_DATE_EPOCH) and the
hash seed fixed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ENGINES = ("mkdocs", "properdocs")  # MkDocs 1.6.1 and ProperDocs 1.6.7: the same CLI
EPOCH = "1893456000"  # 2030-01-01: after every brief, so none is scheduled
DRIVER = Path(__file__).with_name("serve_driver.py")
BODIES_LINE = r"rendered bodies: (\d+) from the cache, (\d+) rendered"  # the plugin's debug lines in on_post_build
WORKERS_LINE = r"(\d+) pages built by page workers"
WARM_LINE = r"warm build: (\d+) files as the last build wrote them"


def environment() -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": "0"}
    env.pop("BRIEFS_DRAFTS", None)
    return env


def engine_command(engine: str) -> list[str]:
    assert engine in ENGINES, engine
    script = Path(sys.executable).with_name(engine)
    return [str(script)] if script.exists() else [sys.executable, "-m", engine]


def _tail(text: str, lines: int) -> str:
    kept = text.rstrip().splitlines()[-lines:]
    return "\n".join("    " + line[:300] for line in kept)


@dataclass
class Build:
    label: str  # engine/config/path
    command: list[str]
    returncode: int
    log: str
    seconds: float
    site: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def report(self, lines: int = 12) -> str:
        return (f"{self.label}: `{' '.join(self.command[-6:])}` exited {self.returncode} after {self.seconds:.1f} s; "
                f"its log ends:\n{_tail(self.log, lines)}")


def cli_build(label: str, engine: str, config_file: Path, site: Path, *, strict: bool = False) -> Build:
    """`ENGINE build -v [--strict] -f CONFIG -d SITE` in a new process (-v: the plugin's debug lines)."""
    command = [*engine_command(engine), "build", "-v", *(["--strict"] if strict else []),
               "-f", str(config_file), "-d", str(site)]
    started = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=config_file.parent, env=environment(), capture_output=True,
                                text=True, timeout=300)
        returncode, log = result.returncode, result.stdout + result.stderr
    except subprocess.TimeoutExpired as error:
        returncode, log = -1, f"timed out after {error.timeout} s\n{error.stdout or ''}{error.stderr or ''}"
    return Build(label, command, returncode, log, time.perf_counter() - started, site)


@dataclass
class ServeSession:
    """What serve_driver.py left: the served folder after the first build (step 0) and after
    each edit (step n), as copies, and how far it got."""
    label: str
    returncode: int
    log: str
    seconds: float
    snapshots: Path
    steps: list[dict]
    error: str | None

    def snapshot(self, step: int) -> Path | None:
        done = [s for s in self.steps if s["step"] == step]
        return self.snapshots / str(step) if done else None

    def report(self, lines: int = 15) -> str:
        return (f"{self.label}: the serve driver exited {self.returncode} after {self.seconds:.1f} s with "
                f"{len(self.steps)} steps done; error: {self.error or '-'}\n{_tail(self.log, lines)}")


def serve_dirty(label: str, engine: str, root: Path, served: Path, snapshots: Path) -> ServeSession:
    command = [sys.executable, str(DRIVER), engine, str(root / "mkdocs.yml"), str(served), str(snapshots)]
    started = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=root, env=environment(), capture_output=True, text=True, timeout=600)
        returncode, log = result.returncode, result.stdout + result.stderr
    except subprocess.TimeoutExpired as error:
        returncode, log = -1, f"timed out after {error.timeout} s"
    progress_file = snapshots / "progress.json"
    progress = json.loads(progress_file.read_text(encoding="utf-8")) if progress_file.exists() else \
        {"steps": [], "error": "the driver wrote no progress.json"}
    return ServeSession(label, returncode, log, time.perf_counter() - started, snapshots, progress["steps"],
                        progress.get("error"))
