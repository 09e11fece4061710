"""What every browser test shares: Debian's chromium (skipped, or failed under
BRIEFS_REQUIRE_BROWSER=1, where it is missing) and a built site served over loopback as a static
host serves it (audit/serving.py: compressed, hashed assets cached, 404.html for unknown paths)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import pytest

from audit.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - for the test modules
from audit.serving import serving as served  # noqa: F401 - for the test modules


def require_browser() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is not installed"
    if os.environ.get("BRIEFS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} and BRIEFS_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(message)


@contextmanager
def chromium_launched() -> Iterator:
    """Debian's chromium, headless, through Playwright's sync API (one instance per thread at a
    time): the browser, closed once done."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
