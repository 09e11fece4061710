"""The citation style switch of a brief page, in a real browser (issue 16).

With the script, the switch shows one style at a time (Chicago first) and answers the mouse and the
keyboard (a radio group: arrow keys move the choice); without it, all three styles show, labelled.
Leaves test-artifacts/screenshots/cite-apa-1280.png (the block with APA chosen). axe-core checks
the page with APA chosen.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import CHROMIUM_ARGS, DESKTOP  # noqa: F401 - the browser fixtures' own settings

pytestmark = pytest.mark.browser

BRIEF = "/briefs/2023/allied-cyber-talks-crypto-theft/"
STYLES = ("chicago", "apa", "mla")


def shown(tab) -> list[str]:
    """The styles a reader sees, in page order."""
    return [key for key in STYLES if tab.page.locator(f'.ba-cite [data-citation-style="{key}"]').is_visible()]


def test_choosing_apa_shows_apa_only(desktop):
    desktop.goto(BRIEF)
    switch = desktop.page.get_by_role("group", name="Citation style")
    assert switch.is_visible()
    assert shown(desktop) == ["chicago"]
    switch.get_by_role("radio", name="APA").check()
    assert shown(desktop) == ["apa"]
    apa = desktop.page.locator('.ba-cite [data-citation-style="apa"] .ba-cite__text').inner_text()
    # APA's shape: authors with initials, "&" before the last, the year in parentheses, then the title.
    assert "., & Ortiz, S. (2023). Allied Cyber Talks Can Blunt North Korean Crypto Theft" in apa, apa
    desktop.page.locator(".ba-cite").screenshot(path=str(screenshot_path("cite-apa-1280.png")), animations="disabled")
    assert desktop.errors == []


def test_the_switch_works_with_the_keyboard(desktop):
    desktop.goto(BRIEF)
    page = desktop.page
    # From the section's heading (made focusable here to start there), Tab reaches the checked radio button.
    heading = page.locator("#ba-cite-heading")
    heading.evaluate("el => { el.tabIndex = -1; }")
    heading.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.value")
    assert focused == "chicago"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.value") == "apa"
    assert shown(desktop) == ["apa"]
    # The chosen label carries a focus ring while the keyboard is on it.
    ring = page.locator(".ba-cite__choice", has_text="APA").evaluate("el => getComputedStyle(el).outlineStyle")
    assert ring == "solid"
    page.keyboard.press("ArrowRight")
    assert shown(desktop) == ["mla"]
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert shown(desktop) == ["chicago"]


def test_without_javascript_every_style_shows_with_its_label(browser, base_url):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + BRIEF)
        assert not page.locator("[data-citation-switch]").is_visible()
        for key, label in zip(STYLES, ("Chicago", "APA", "MLA")):
            style = page.locator(f'.ba-cite [data-citation-style="{key}"]')
            assert style.is_visible()
            assert style.locator(".ba-cite__label").inner_text().strip().casefold() == label.casefold()
    finally:
        context.close()


def test_axe_finds_nothing_serious_with_apa_chosen(desktop):
    desktop.goto(BRIEF)
    desktop.page.get_by_role("radio", name="APA").check()
    options = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}
    results = Axe().run(desktop.page, options=options).response
    serious = [(v["id"], v["impact"], [n["html"][:120] for n in v["nodes"]])
               for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    print("\naxe on the brief page with APA chosen:", [(v["id"], v["impact"]) for v in results["violations"]])


def screenshot_path(name: str):
    from conftest import SCREENSHOTS
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name
