import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from archive_kit import Archive  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "oracle: builds archives on every speed-up path under both engines and "
                                       "requires the plain path's site (tests/test_oracle.py)")


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path)
