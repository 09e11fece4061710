"""Debian's chromium through Playwright: axe-core on a page at each width, and what went wrong there
(console errors, page errors, failed requests). The browser tests drive the same chromium."""

from __future__ import annotations

from pathlib import Path

from .verdicts import axe_violations

CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium as root in a container: no sandbox, no GPU, nothing fetched on its own.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORTS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SEARCH_RESULTS = "[data-bs-results] [data-brief]"


class Browser:
    """Debian's chromium through Playwright: axe-core and what went wrong, at each width."""

    def __init__(self, origin: str) -> None:
        from playwright.sync_api import sync_playwright

        self.origin = origin
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()

    def audit(self, path: str, viewport: str, expected_status: int = 200) -> tuple[list[str], list[str]]:
        """axe-core's violations on `path` at `viewport`, and the console errors, page errors and
        failed requests on the way."""
        mobile = viewport == "390"
        context = self._browser.new_context(viewport=VIEWPORTS[viewport], device_scale_factor=2 if mobile else 1,
                                            is_mobile=mobile, has_touch=mobile)
        page = context.new_page()
        url = self.origin + path
        errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and errors.append(
            f"console: {msg.text} [{(msg.location or {}).get('url', '')}]"))
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url} {request.failure}"))
        page.on("response", lambda response: response.status >= 400 and not (
            response.url == url and response.status == expected_status) and errors.append(
            f"HTTP {response.status}: {response.url}"))
        try:
            response = page.goto(url, wait_until="networkidle")
            if response is None or response.status != expected_status:
                errors.append(f"HTTP {response and response.status} for the page itself, not {expected_status}")
            if "?q=" in path:
                page.wait_for_selector(SEARCH_RESULTS, timeout=15_000)
            page.add_script_tag(path=str(AXE))
            results = page.evaluate("options => axe.run(document, options)", {"resultTypes": ["violations"]})
        finally:
            context.close()
        # The browser says the page's own expected 404 once more on the console.
        errors = [e for e in errors if not (expected_status == 404 and e.startswith("console: Failed to load")
                                            and e.endswith(f"[{url}]"))]
        return axe_violations(results), errors
