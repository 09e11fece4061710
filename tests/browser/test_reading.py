"""What a reader does with the published sample site, in a real browser (SPEC §4).

Every test here works on the repository's own sample content (built once per session by
conftest.py) and only relies on the contract's machine-readable marks (`data-brief`,
`<time datetime>`, directory URLs), visible text and real clicks.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

DESKTOP_WIDTH, PHONE_WIDTH = 1280, 390  # the viewports of the `desktop` and `phone` fixtures

BRIEF_URL = re.compile(r"^/briefs/(\d{4})/([a-z0-9]+(?:-[a-z0-9]+)*)/$")
TOPIC_URL = re.compile(r"^/topics/([a-z0-9]+(?:-[a-z0-9]+)*)/$")
AUTHOR_URL = re.compile(r"^/authors/([a-z0-9]+(?:-[a-z0-9]+)*)/$")

# The pages every reader meets; each must load without a console error or a failed request.
MAIN_PAGES = [
    "/",
    "/briefs/",
    "/briefs/2023/allied-cyber-talks-crypto-theft/",
    "/topics/",
    "/topics/north-korea/",
    "/topics/north-korea/page/2/",
    "/authors/",
    "/authors/min-ji-kim/",
    "/archive/",
    "/archive/2024/",
    "/types/policy-brief/",
    "/programs/ccti/",
]

# Pages photographed at both widths (by file-name stem); at phone width each must also fit the screen.
SCREENSHOT_PAGES = {
    "home": "/",
    "brief": "/briefs/2023/allied-cyber-talks-crypto-theft/",
    "topic": "/topics/north-korea/",
    "author": "/authors/min-ji-kim/",
    "archive": "/archive/",
    "authors": "/authors/",
}

LISTED = """(root) => Array.from((root || document).querySelectorAll('[data-brief]')).map(el => {
    const time = el.querySelector('time[datetime]');
    return {slug: el.dataset.brief, date: time ? time.getAttribute('datetime') : null};
})"""


def listed(tab, selector: str | None = None) -> list[dict]:
    """The `data-brief` entries of the page (or of one part of it), in document order."""
    if selector is None:
        return tab.page.evaluate(LISTED, None)
    return tab.page.locator(selector).evaluate(LISTED)


def assert_newest_first(entries: list[dict]) -> None:
    dates = [entry["date"] for entry in entries]
    assert all(dates), f"every listed brief shows a <time datetime>: {entries}"
    assert dates == sorted(dates, reverse=True), f"not newest first: {dates}"


def heading(tab) -> str:
    return tab.page.locator("h1").first.inner_text().strip()


# --------------------------------------------------------------------------- home


def test_home_shows_the_latest_briefs_newest_first_and_the_topics(desktop):
    desktop.goto("/briefs/")
    everything = listed(desktop)
    assert len(everything) >= 2

    desktop.goto("/")
    latest = listed(desktop, ".ba-home-latest") if desktop.page.locator(".ba-home-latest").count() else listed(desktop)
    assert len(latest) >= 3, "the home page leads with several briefs"
    assert_newest_first(latest)
    assert [e["slug"] for e in latest] == [e["slug"] for e in everything[: len(latest)]], (
        "the home page shows the newest briefs of the whole archive"
    )
    # Each card is a real link to its brief.
    first = desktop.page.locator(f'[data-brief="{latest[0]["slug"]}"] a[href*="/{latest[0]["slug"]}/"]').first
    assert first.is_visible()

    topic_links = desktop.page.locator("main a[href]").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname).filter(p => /^\\/topics\\/[^/]+\\/$/.test(p))"
    )
    assert len(set(topic_links)) >= 5, f"the home page links the topics: {topic_links}"
    assert "/topics/north-korea/" in topic_links
    assert desktop.page.locator('main a[href]').evaluate_all(
        "links => links.some(a => new URL(a.href).pathname === '/topics/')"
    ), "the home page links the topic index"
    assert desktop.page.locator('main a[href]').evaluate_all(
        "links => links.some(a => new URL(a.href).pathname.startsWith('/archive/'))"
    ), "the home page offers a way into the archive"


# --------------------------------------------------------------------------- journey


def test_journey_home_topic_brief_author_brief_by_clicking(desktop):
    page = desktop.page
    desktop.goto("/")

    # Home → a topic.
    topic_link = page.locator('main a[href$="topics/north-korea/"]').first
    with page.expect_navigation():
        topic_link.click()
    assert TOPIC_URL.match(desktop.path()), desktop.path()
    assert heading(desktop) == "North Korea"
    on_topic = listed(desktop)
    assert on_topic, "a topic page lists its briefs"
    assert_newest_first(on_topic)

    # Topic → its newest brief, through the card's title.
    slug = on_topic[0]["slug"]
    title_link = page.locator(f'[data-brief="{slug}"] .ba-card__title a, [data-brief="{slug}"] h2 a, [data-brief="{slug}"] h3 a').first
    title = title_link.inner_text().strip()
    with page.expect_navigation():
        title_link.click()
    match = BRIEF_URL.match(desktop.path())
    assert match and match.group(2) == slug, desktop.path()
    assert match.group(1) == on_topic[0]["date"][:4], "a brief lives under its year"
    assert heading(desktop) == title
    assert page.locator('main a[href$="topics/north-korea/"]').count() >= 1, "the brief links back to its topic"

    # Brief → its first author, through the byline.
    author_link = page.locator('main a[rel~="author"]').first
    author_name = author_link.inner_text().strip()
    with page.expect_navigation():
        author_link.click()
    assert AUTHOR_URL.match(desktop.path()), desktop.path()
    assert heading(desktop) == author_name
    by_author = listed(desktop)
    assert slug in [e["slug"] for e in by_author], "the author page lists the brief we came from"
    assert_newest_first(by_author)

    # Author → another of their briefs.
    other = next((e for e in by_author if e["slug"] != slug), None)
    assert other is not None, f"{author_name} has more than one brief in the sample"
    other_link = page.locator(f'[data-brief="{other["slug"]}"] a[href$="/{other["slug"]}/"]').first
    other_title = other_link.inner_text().strip()
    with page.expect_navigation():
        other_link.click()
    match = BRIEF_URL.match(desktop.path())
    assert match and match.group(2) == other["slug"], desktop.path()
    assert heading(desktop) == other_title
    assert page.locator("main a[rel~='author']").filter(has_text=author_name).count() == 1, (
        "the other brief carries the same author in its byline"
    )


# --------------------------------------------------------------------------- pagination


def test_a_long_topic_paginates_and_older_leads_to_page_two(desktop):
    page = desktop.page
    desktop.goto("/topics/north-korea/")
    first_page = listed(desktop)
    assert len(first_page) == 20, "page size 20 (mkdocs.yml)"
    assert_newest_first(first_page)
    total = int(re.search(r"(\d+) briefs", page.locator(".ba-tally, main").first.inner_text()).group(1))
    assert total > 20, "north-korea has more than a page of briefs in the sample"

    older = page.get_by_role("link", name=re.compile(r"Older"))
    assert older.count() == 1
    with page.expect_navigation():
        older.click()
    assert desktop.path() == "/topics/north-korea/page/2/"
    second_page = listed(desktop)
    assert len(second_page) == total - 20, "page 2 shows the rest"
    assert not {e["slug"] for e in first_page} & {e["slug"] for e in second_page}
    assert_newest_first(first_page + second_page)
    assert heading(desktop) == "North Korea"

    # Page 2 links back to its neighbour, page 1 at the listing's own URL.
    newer = page.get_by_role("link", name=re.compile(r"Newer"))
    with page.expect_navigation():
        newer.click()
    assert desktop.path() == "/topics/north-korea/"


# --------------------------------------------------------------------------- phone


OVERFLOW = """() => ({
    scroll: document.scrollingElement.scrollWidth,
    inner: window.innerWidth,
    culprits: Array.from(document.querySelectorAll('.md-content *'))
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                      && !el.closest('.md-typeset__scrollwrap, pre, .md-sidebar'))
        .slice(0, 5).map(el => `${el.tagName.toLowerCase()}.${el.className}`),
})"""


def test_phone_width_pages_fit_the_screen_and_load_cleanly(phone, screenshot_dir):
    """No sideways scrolling at 390px; leaves test-artifacts/screenshots/<page>-390.png."""
    problems = []
    for name, path in SCREENSHOT_PAGES.items():
        phone.goto(path)
        phone.settle()
        screenshot(phone, screenshot_dir / f"{name}-{PHONE_WIDTH}.png")
        fit = phone.page.evaluate(OVERFLOW)
        assert fit["inner"] == PHONE_WIDTH
        if fit["scroll"] > fit["inner"] or fit["culprits"]:
            problems.append(f"{path}: scrollWidth {fit['scroll']} > {fit['inner']}; too wide: {fit['culprits']}")
    assert not problems, "\n".join(problems)
    assert not phone.errors, "\n".join(phone.errors)


# From the home page (in the navigation), and from pages outside it, two briefs of one year and an
# author, whose drawer is rendered once for their folder (mkdocs_plugin/shared_partials.py).
@pytest.mark.parametrize("start", ["/", "/briefs/2021/china-rare-earth-leverage/",
                                   "/briefs/2021/colonial-pipeline-ransomware-lessons/", "/authors/daniel-okafor/"])
def test_phone_navigation_drawer_opens_and_leads_to_a_section(phone, start: str):
    page = phone.page
    phone.goto(start)
    drawer = page.locator(".md-sidebar--primary")
    assert drawer.bounding_box()["x"] + drawer.bounding_box()["width"] <= 1, "the drawer starts closed"
    page.locator('.md-header label[for="__drawer"]').click()
    assert page.locator("#__drawer").is_checked()
    page.wait_for_function(
        "() => Math.abs(document.querySelector('.md-sidebar--primary').getBoundingClientRect().left) < 1"
    )
    authors = drawer.get_by_role("link", name="Authors", exact=True)
    assert authors.is_visible()
    with page.expect_navigation():
        authors.click()
    assert phone.path() == "/authors/"


def test_going_back_after_the_drawer_led_elsewhere_shows_it_closed(phone):
    """material's toggles lost `autocomplete="off"` (invalid on checkboxes, engine/valid_markup.py),
    which kept a browser from restoring the drawer open: briefing-archive.js closes it on return."""
    page = phone.page
    phone.goto("/")
    page.locator('.md-header label[for="__drawer"]').click()
    assert page.locator("#__drawer").is_checked()
    with page.expect_navigation():
        page.locator(".md-sidebar--primary").get_by_role("link", name="Authors", exact=True).click()
    page.go_back(wait_until="load")
    assert phone.path() == "/"
    page.wait_for_function("() => !document.getElementById('__drawer').checked")
    assert page.locator(".md-sidebar--primary").bounding_box()["x"] < 0, "the drawer is closed"


TABLE_BRIEF = "/briefs/2023/gallium-germanium-export-curbs/"
SCROLLING = "w => w.scrollWidth > w.clientWidth"


def test_a_table_wider_than_a_phone_scrolls_in_a_region_the_keyboard_reaches(phone, desktop):
    """axe-core's scrollable-region-focusable: material's wrapper around a wide table takes focus
    where it scrolls (briefing-archive.js), and only there."""
    phone.goto(TABLE_BRIEF)
    wrap = phone.page.locator(".md-typeset__scrollwrap").first
    assert wrap.evaluate(SCROLLING)
    phone.page.wait_for_function(f"() => document.querySelector('.md-typeset__scrollwrap').tabIndex === 0")
    wrap.focus()
    assert phone.page.evaluate("document.activeElement.classList.contains('md-typeset__scrollwrap')")
    desktop.goto(TABLE_BRIEF)
    wide = desktop.page.locator(".md-typeset__scrollwrap").first
    assert not wide.evaluate(SCROLLING) and wide.get_attribute("tabindex") is None


# --------------------------------------------------------------------------- keyboard


def test_keyboard_alone_reaches_a_brief_in_a_listing_and_opens_it(desktop):
    page = desktop.page
    desktop.goto("/topics/north-korea/")
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const a = document.activeElement;
                       const card = a && a.closest('[data-brief]');
                       return card && a.tagName === 'A' && a.closest('h2, h3')
                         ? {slug: card.dataset.brief, href: new URL(a.href).pathname,
                            outline: getComputedStyle(a).outlineStyle} : null; }"""
        )
        if focused:
            break
    else:
        pytest.fail("80 presses of Tab never reached a brief's title link")
    assert focused["outline"] != "none", "the focused link shows a focus ring"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert desktop.path() == focused["href"]
    match = BRIEF_URL.match(desktop.path())
    assert match and match.group(2) == focused["slug"]


# --------------------------------------------------------------------------- console


def test_main_pages_load_without_console_errors(desktop, screenshot_dir):
    """Also leaves full-page screenshots at 1280px: test-artifacts/screenshots/<page>-1280.png."""
    shots = {path: name for name, path in SCREENSHOT_PAGES.items()}
    for path in MAIN_PAGES:
        desktop.goto(path)
        desktop.settle()
        assert desktop.page.locator("h1").count() >= 1, f"{path} has a heading"
        if path in shots:
            screenshot(desktop, screenshot_dir / f"{shots[path]}-{DESKTOP_WIDTH}.png")
    assert not desktop.errors, "\n".join(desktop.errors)


def screenshot(tab, target) -> None:
    tab.page.evaluate("document.fonts.ready")
    tab.page.screenshot(path=str(target), full_page=True, scale="css", animations="disabled")
    assert target.stat().st_size > 5_000

