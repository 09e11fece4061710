"""Real-browser fixtures: build the sample site once, serve it, drive Debian's chromium.

The whole directory is marked ``browser``. Without /usr/bin/chromium the tests skip, unless
BRIEFS_REQUIRE_BROWSER=1 (CI machines that must run them), in which case they fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from browser.serving import CHROMIUM, CHROMIUM_ARGS, chromium_launched, require_browser, served  # noqa: F401 - CHROMIUM, CHROMIUM_ARGS: for the test modules

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample site, built once per session into a temporary directory."""
    require_browser()
    out = tmp_path_factory.mktemp("browser-site") / "site"
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("BRIEFS_DRAFTS", None)
    result = subprocess.run(
        [*command, "build", "--quiet", "-f", str(REPO / "mkdocs.yml"), "-d", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=180,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def base_url(built_site: Path):
    """The built site served over HTTP on 127.0.0.1 (an ephemeral port) from a thread."""
    with served(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(base_url):
    """Chromium, per test module: Playwright's sync API allows one instance per thread at a time,
    so a module that drives its own (test_search_browser.py) must find none left running."""
    require_browser()
    with chromium_launched() as instance:
        yield instance


class Tab:
    """A page plus everything that went wrong on it: console errors, page errors, failed requests."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self._pending: set = set()
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("request", lambda request: self._pending.add(request))
        page.on("requestfinished", lambda request: self._pending.discard(request))
        page.on("requestfailed", self._on_failed)
        page.on("response", self._on_response)

    def _on_console(self, msg) -> None:
        if msg.type == "error":
            where = (msg.location or {}).get("url", "")
            self.errors.append(f"console: {msg.text} [{where}]")

    def _on_failed(self, request) -> None:
        self._pending.discard(request)
        self.errors.append(f"requestfailed: {request.url} {request.failure}")

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def path(self) -> str:
        """The current URL without the server origin."""
        return self.page.url.removeprefix(self.base_url)

    def goto(self, path: str):
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return response

    def settle(self, quiet_ms: int = 60, limit_ms: int = 3000) -> None:
        """Wait until no request has been in flight for `quiet_ms` (much faster than networkidle)."""
        quiet = waited = 0
        while quiet < quiet_ms and waited < limit_ms:
            self.page.wait_for_timeout(20)
            waited += 20
            quiet = 0 if self._pending else quiet + 20


def _new_tab(browser, base_url, viewport, **kwargs):
    context = browser.new_context(viewport=viewport, **kwargs)
    # Material fetches nothing external with `font: false`; keep it that way.
    context.route(
        lambda url: not url.startswith(base_url),
        lambda route: route.abort(),
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, Tab(page, base_url)


@pytest.fixture
def desktop(browser, base_url):
    context, tab = _new_tab(browser, base_url, DESKTOP)
    yield tab
    context.close()


@pytest.fixture
def phone(browser, base_url):
    context, tab = _new_tab(
        browser, base_url, PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
    )
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
