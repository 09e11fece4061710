"""The error page in a real browser (issue 18): a small archive served as a static host serves it,
404.html with status 404 for any unknown address; a mistyped brief address gets the closest briefs
by slug, from /api/slugs.json, and nothing of the address becomes markup.

Self-contained (its own archive, its own chromium), as test_search_browser.py. Skips without
/usr/bin/chromium unless BRIEFS_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import pytest
from archive_kit import Archive
from browser.serving import chromium_launched, require_browser, served

pytestmark = pytest.mark.browser

SUGGESTED = "() => [...document.querySelectorAll('[data-suggestion]')].map(item => item.dataset.suggestion)"
SCRIPT = "/assets/briefing-archive-not-found.js"

BRIEFS = {
    "allied-cyber-talks-crypto-theft": ("2023-06-26", "Allied Cyber Talks Can Blunt North Korean Crypto Theft"),
    "camp-david-trilateral-summit": ("2023-08-18", "What Camp David Means for the Alliance"),
    "gallium-germanium-export-curbs": ("2023-07-05", "China's Gallium and Germanium Export Curbs"),
    "iran-nuclear-program-after-strikes": ("2025-06-26", "Iran's Nuclear Program After the June Strikes"),
    "north-korea-2022-missile-record": ("2023-01-12", "North Korea's Record Year of Missile Launches"),
    "north-korea-five-year-plan-sanctions": ("2024-02-02", "The Five-Year Plan Meets Sanctions"),
    "russia-north-korea-mutual-defense-treaty": ("2024-06-20", "The Russia–North Korea Treaty"),
    "annual-report-2023": ("2023-12-01", "Annual Report 2023"),
    "annual-report-2024": ("2024-12-01", "Annual Report 2024"),
}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory):
    require_browser()
    archive = Archive(tmp_path_factory.mktemp("not-found-browser"), plugins_extra=["briefing-search"])
    for slug, (date, title) in BRIEFS.items():
        archive.brief(slug, date=date, title=title)
    built = archive.build()
    assert built.ok, built.messages
    with served(built.site, "not-found-site") as url:  # 404.html for unknown paths, as static hosts do
        yield url


@pytest.fixture(scope="module")
def chromium(site_url):
    with chromium_launched() as browser:
        yield browser


@pytest.fixture
def open_page(chromium, site_url):
    """Opens an address of the site at a width; asserts it was the error page, and that nothing
    but its own status went wrong on it."""
    contexts, problems = [], []

    def opening(path: str, width: int = 1280):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        context.route(lambda url: not url.startswith(site_url), lambda route: route.abort())
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
        page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}") or dialog.dismiss())
        page.on("response", lambda response: response.status >= 400 and response.request.resource_type != "document"
                and problems.append(f"HTTP {response.status}: {response.url}"))
        response = page.goto(site_url + path, wait_until="load")
        assert response.status == 404, path
        page.wait_for_selector("[data-not-found][data-not-found-ready]", state="attached")
        return page

    yield opening
    for context in contexts:
        context.close()
    assert problems == []


def suggestions(page) -> list[str]:
    return page.evaluate(SUGGESTED)


@pytest.mark.parametrize(("path", "first"), [
    ("/briefs/2023/allied-cyber-talk-blunt-crypto/", "allied-cyber-talks-crypto-theft"),  # a word cut short, two left out
    ("/briefs/2023/gallim-germanum-export-crubs/", "gallium-germanium-export-curbs"),  # typos in every word
    ("/briefs/2023/campdavidtrilateralsummit", "camp-david-trilateral-summit"),  # the hyphens left out
    ("/2025/06/26/iran-nuclear-program/", "iran-nuclear-program-after-strikes"),  # an old CMS's dated address
    ("/analysis/Camp_David_Summit.html", "camp-david-trilateral-summit"),  # another CMS's file name
    ("/briefs/2024/annual-report/", "annual-report-2024"),  # the year of the address breaks the tie
    ("/briefs/2023/annual-report/", "annual-report-2023"),
])
def test_a_mistyped_brief_address_suggests_the_closest_briefs(open_page, path, first):
    page = open_page(path)
    assert suggestions(page)[0] == first
    section = page.locator("[data-not-found-suggestions]")
    assert section.is_visible()
    link = section.locator(f'[data-suggestion="{first}"] a')
    year = BRIEFS[first][0][:4]
    assert link.inner_text() == BRIEFS[first][1]
    assert link.get_attribute("href").endswith(f"/briefs/{year}/{first}/")
    link.click()
    page.wait_for_url(f"**/briefs/{year}/{first}/")
    assert page.locator("h1").first.inner_text() == BRIEFS[first][1]


def test_the_search_box_is_filled_with_the_addresses_words(open_page):
    page = open_page("/briefs/2024/north-korea-sanctions/")
    assert set(suggestions(page)) >= {"north-korea-five-year-plan-sanctions"}
    box = page.locator("[data-not-found] input[name=q]")
    assert box.input_value() == "north korea sanctions"
    box.press("Enter")
    page.wait_for_url("**/search/?q=north+korea+sanctions")


@pytest.mark.parametrize(("path", "words"), [
    ("/topics/cybr/", ""),  # no brief's address: a one-word path outside /briefs/
    ("/briefs/2023/", ""),  # a year, no slug
    ("/index.php?p=123", ""),  # an old CMS's post number: nothing to match
    ("/briefs/2023/zzz-qqq-xxx/", "zzz qqq xxx"),  # a brief's address, but like no brief: a search, then
])
def test_an_address_like_no_brief_gets_no_suggestions_but_the_rest_of_the_page(open_page, path, words):
    page = open_page(path)
    assert page.evaluate(SUGGESTED) == []
    assert page.locator("[data-not-found-suggestions]").is_hidden()
    assert page.locator("[data-not-found] [data-brief]").count() == 6
    assert page.locator("[data-not-found] input[name=q]").input_value() == words


def test_nothing_of_the_address_becomes_markup(open_page):
    page = open_page('/briefs/2023/<img src=x onerror="alert(1)"><svg onload=alert(2)>camp-david-summit/')
    assert page.locator("[data-not-found] img, [data-not-found] svg").count() == 0
    shown = page.locator("[data-not-found-address]").inner_text()
    assert '<img src=x onerror="alert(1)"><svg onload=alert(2)>' in shown  # as text
    assert page.locator("[data-not-found] input[name=q]").input_value() == \
        "img src x onerror alert 1 svg onload alert 2 camp david summit"


@pytest.mark.parametrize(("path", "root", "wanted"), [
    ("/briefs/2023/camp-david/", "/", {"words": ["camp", "david"], "year": 2023}),
    ("/think-tank/briefs/2023/camp-david/", "/think-tank/", {"words": ["camp", "david"], "year": 2023}),
    ("/2023/06/26/Allied-Cyber-Talks/index.html", "/", {"words": ["allied", "cyber", "talks"], "year": 2023}),
    ("/briefs/2023/r%C3%A9sum%C3%A9-of-talks/", "/", {"words": ["resume", "of", "talks"], "year": 2023}),
    ("/briefs/2023/bad%E0%A4%A-escape/", "/", {"words": ["bad", "e0", "a4", "a", "escape"], "year": 2023}),
    ("/briefs/page/3/", "/", None), ("/topics/cyber/", "/", None), ("/", "/", None),
])
def test_what_an_address_asks_for(open_page, path, root, wanted):
    page = open_page("/no-such-page/")
    assert page.evaluate(f"async ([path, root]) => (await import('{SCRIPT}')).wantedBrief(path, root)",
                         [path, root]) == wanted


def test_common_words_count_for_little(open_page):
    """Words every slug shares ("north", "korea") weigh less than the rare one that tells them apart."""
    page = open_page("/no-such-page/")
    closest = page.evaluate(f"""async () => {{
        const script = await import('{SCRIPT}');
        const briefs = await (await fetch('/api/slugs.json')).json();
        return script.closestBriefs(script.wantedBrief('/briefs/treaty-north-korea/'), briefs)
            .map(found => found.brief.slug);
    }}""")
    assert closest[0] == "russia-north-korea-mutual-defense-treaty"


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshot(open_page, screenshot_dir, width):
    page = open_page("/briefs/2023/allied-cyber-talk-blunt-crypto/", width)
    suggestions(page)
    page.screenshot(path=str(screenshot_dir / f"not-found-{width}.png"), full_page=True)
    # nothing wider than the screen
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
