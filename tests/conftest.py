import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from archive_kit import Archive  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path)
