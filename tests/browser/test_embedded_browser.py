"""An editorial page with embedded listings (```briefs blocks), in a real browser at phone and
desktop widths: the entries are visible and fit the screen, their links and the link to the
full listing lead where they say. The site is the repository's sample with one page added
(`content/about.md`), built once for this module; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser.serving import require_browser, served

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser

ABOUT = """\
---
title: About the Institute
---
# About the Institute

The Meridian Institute publishes short, sourced policy briefs. Here is our latest work on
North Korea:

```briefs
topic: north-korea
limit: 3
```

## By our Senior Fellow

```briefs
author: min-ji-kim
limit: 2
```
"""


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site with `content/about.md`, built once for this module."""
    require_browser()
    root = tmp_path_factory.mktemp("embedded-browser")
    for name in ("content", "site_config"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "content/about.md").write_text(ABOUT, encoding="utf-8")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("BRIEFS_DRAFTS", None)
    result = subprocess.run([*command, "build", "--quiet", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
                            cwd=root, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return root / "site"


@pytest.fixture(scope="module")
def base_url(built_site: Path):
    with served(built_site, "embedded-site-server") as url:
        yield url


ENTRIES = """(root) => Array.from(root.querySelectorAll('[data-brief]')).map(el => ({
    slug: el.dataset.brief,
    date: el.querySelector('time[datetime]').getAttribute('datetime'),
    href: new URL(el.querySelector('.ba-card__title a').href).pathname,
}))"""


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_an_editorial_page_shows_its_embedded_listings_and_their_links_work(request, width, screenshot_dir):
    tab = request.getfixturevalue(width)
    page = tab.page
    tab.goto("/about/")
    tab.settle()
    listings = page.locator(".ba-embedded")
    assert listings.count() == 2
    north_korea, fellow = (listings.nth(i).evaluate(ENTRIES) for i in range(2))
    assert len(north_korea) == 3 and len(fellow) == 2
    for entries in (north_korea, fellow):
        dates = [e["date"] for e in entries]
        assert dates == sorted(dates, reverse=True), dates
    for entry in north_korea + fellow:
        card = listings.locator(f'[data-brief="{entry["slug"]}"]').first
        card.scroll_into_view_if_needed()
        assert card.is_visible()
        box = card.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 0.5, (entry, box)
    overflow = page.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    assert tab.errors == []  # nothing failed to load
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header at the top of the picture
    page.screenshot(path=str(screenshot_dir / f"embedded-about-{width}.png"), full_page=True)

    # An entry's title leads to its brief; the link below the listing to the topic's page.
    first = listings.nth(0).locator(f'[data-brief="{north_korea[0]["slug"]}"] .ba-card__title a')
    with page.expect_navigation():
        first.click()
    assert tab.path() == north_korea[0]["href"] and tab.path().endswith(f'/{north_korea[0]["slug"]}/')
    tab.goto("/about/")
    more = listings.nth(0).locator("a[data-embedded-more]")
    assert more.inner_text().strip() == "More on North Korea →"
    more.scroll_into_view_if_needed()
    with page.expect_navigation():
        more.click()
    assert tab.path() == "/topics/north-korea/"
    assert page.locator("h1").first.inner_text().strip() == "North Korea"


def test_axe_finds_no_serious_or_critical_violation_on_the_page(desktop):
    """As tests/browser/test_accessibility.py holds the sample's pages (moderate ones are noted:
    the cards' h3 titles follow whatever heading the editor wrote above the block)."""
    from axe_playwright_python.sync_playwright import Axe

    desktop.goto("/about/")
    desktop.settle()
    options = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}
    violations = Axe().run(desktop.page, options=options).response["violations"]
    print("axe on /about/:", [(v["id"], v["impact"], len(v["nodes"])) for v in violations])
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
