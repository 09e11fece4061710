"""What every browser test shares: Debian's chromium (skipped, or failed under
BRIEFS_REQUIRE_BROWSER=1, where it is missing) and a built site served over loopback."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Material's "alternate" integration (meant for hreflang language versions) fetches
# `sitemap.xml` next to the href of EVERY <link rel="alternate"> in the page: for a topic's feed
# at /topics/<key>/feed.xml that is /topics/<key>/sitemap.xml, for a translated brief's hreflang
# addresses (absolute, on the published origin) the same beside each version: a 404 (or, offline,
# a failed request) on every load. Tolerated: issue 6 asks for exactly rel="alternate" on feed
# links (scripts select on it), SPEC §4 for hreflang alternates, and rel="alternate feed", which
# material ignores, would break that contract.
SITEMAP_PROBE = re.compile(r"https?://[^/\s]+/(?:[^\s\]]+/)sitemap\.xml\b")


def unexpected(errors: list[str]) -> list[str]:
    """What went wrong on a page, but for material's sitemap probe."""
    return [error for error in errors if not SITEMAP_PROBE.search(error)]


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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


class _ErrorPageHandler(_QuietHandler):
    """Answers an unknown address, or a folder with no index.html, with the site's 404.html and
    status 404, as static hosts do (they list no folder)."""

    def list_directory(self, path):
        self.send_error(404)

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def served(folder: Path, name: str = "site-server", error_page: bool = False) -> Iterator[str]:
    """`folder` served over HTTP on 127.0.0.1 (an ephemeral port) from a thread: its base URL.
    `error_page`: unknown addresses get the site's 404.html (status 404), as on a static host."""
    handler = functools.partial(_ErrorPageHandler if error_page else _QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
