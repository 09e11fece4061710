"""Accessibility: axe-core finds no serious or critical violation on the pages readers use.

axe-core (the copy bundled in axe-playwright-python, so no network is needed) runs in Chromium on
the sample site (built and served once by conftest.py): at desktop width the home page, a brief, a
topic, an author, the archive and one year of it, the authors index and the search page (empty, and with results and
a filter chosen, so the parts the search script draws are checked too); at phone width the home
page and a brief. Every violation found is printed by the last test, whatever its impact; a test
fails on `serious` and `critical` ones.

Found and fixed when this was written: the footer's copyright line (mkdocs-material's white at 45%
on our navy footer) had a contrast of 4.3:1, under WCAG AA's 4.5:1, on every page; our stylesheet
now sets the footer's lighter text colour. And `heading-order` (moderate): listing pages went from
the h1 straight to the cards' h3s; they now have an h2 ("Briefs", visually hidden) above the cards.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "brief": "/briefs/2023/allied-cyber-talks-crypto-theft/",
    "topic": "/topics/north-korea/",
    "author": "/authors/min-ji-kim/",
    "archive": "/archive/",
    "archive year": "/archive/2024/",
    "authors": "/authors/",
    "search": "/search/",
    "search results": "/search/?q=sanctions&topic=North+Korea",
}
FAILING_IMPACTS = ("serious", "critical")
# (rule id, CSS selector of the node) pairs left out, each with its reason. None today.
EXCLUDED: dict[tuple[str, str], str] = {}
RUN_OPTIONS = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}

_axe = Axe()
AXE_VERSION = re.search(r"axe v([\d.]+)", _axe.axe_script[:200]).group(1)
_found: list[tuple[str, str, str, str, int]] = []  # page, viewport, rule, impact, nodes


def audit(tab, name: str, path: str, viewport: str) -> list[str]:
    tab.goto(path)
    tab.settle()
    if name == "search results":
        tab.page.wait_for_selector("[data-bs-results] [data-brief]", timeout=10_000)
    results = _axe.run(tab.page, options=RUN_OPTIONS).response
    failures = []
    for violation in results["violations"]:
        nodes = [node for node in violation["nodes"]
                 if (violation["id"], " ".join(map(str, node["target"]))) not in EXCLUDED]
        if not nodes:
            continue
        _found.append((name, viewport, violation["id"], violation["impact"] or "?", len(nodes)))
        if violation["impact"] in FAILING_IMPACTS:
            for node in nodes:
                failures.append(f"{name} ({viewport}) {violation['id']} [{violation['impact']}]: "
                                f"{violation['help']} — {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return failures


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violation_at_desktop_width(desktop, name: str):
    failures = audit(desktop, name, PAGES[name], "desktop")
    assert failures == [], "\n".join(failures)
    assert desktop.errors == [], desktop.errors


PHONE_PAGES = ["home", "brief"]


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_no_serious_or_critical_violation_at_phone_width(phone, name: str):
    failures = audit(phone, name, PAGES[name], "phone")
    assert failures == [], "\n".join(failures)


def test_summary_of_what_axe_found():
    """Runs last in this module: prints every violation of any impact, by rule."""
    by_rule: Counter = Counter()
    for page, viewport, rule, impact, nodes in _found:
        by_rule[(rule, impact)] += nodes
    print(f"\naxe-core {AXE_VERSION} on {len(PAGES)} desktop + {len(PHONE_PAGES)} phone page views; violations of any impact:")
    for (rule, impact), nodes in sorted(by_rule.items()):
        pages = sorted({f"{p} ({v})" for p, v, r, *_ in _found if r == rule})
        print(f"  {rule} [{impact}]: {nodes} nodes on {', '.join(pages)}")
    if not by_rule:
        print("  none")
