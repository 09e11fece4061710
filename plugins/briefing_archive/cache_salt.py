"""The salt of a cache kept across runs: what every entry depends on besides its own input."""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path
from typing import Iterable


def salt(settings: Iterable[str], libraries: Iterable[str], code: Iterable[Path]) -> str:
    """A digest of the settings, the versions of the libraries and the text of the code files."""
    parts = list(settings)
    for name in libraries:
        try:
            parts.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}==?")
    parts += [file.read_text(encoding="utf-8") for file in code]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
