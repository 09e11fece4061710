"""Reader search in a real browser: type a query, narrow it with a filter, get the right brief.

Self-contained: builds its own small archive with the `briefing-search` plugin (the shared
fixtures in conftest.py serve the repository's sample site, whose content other tests own),
serves it on 127.0.0.1 and drives Debian's chromium. Skips without /usr/bin/chromium unless
BRIEFS_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import threading
from pathlib import Path

import pytest
from archive_kit import Archive
from browser.serving import chromium_launched

from briefing_archive.search.bundle_order import read_record

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
RESULTS = "[data-bs-results] [data-brief]"
SLUGS = f"() => [...document.querySelectorAll('{RESULTS}')].map(el => el.dataset.brief)"

# Four briefs speak of pipelines; topic, author, type and year each single one out.
BRIEFS = {
    "pipeline-ransomware": dict(date="2021-05-10", title="Ransomware Shuts a Fuel Pipeline", topics=["cyber"],
                                authors=["min-ji-kim"], program="ccti",
                                body="Criminal hackers froze the billing systems and the pipeline stopped for days."),
    "pipeline-sanctions": dict(date="2024-07-08", title="Sanctioning the Builders of a Gas Link", type="analysis",
                               topics=["sanctions"], authors=["ana-lopez"],
                               body="Treasury listed the contractors laying the pipeline under the sea."),
    "pipeline-north-korea": dict(date="2023-02-01", title="Pyongyang's Oil Lifeline", topics=["north-korea", "sanctions"],
                                 authors=["sam-ortiz"], body="A crude oil pipeline from China keeps the regime supplied."),
    "pipeline-survey": dict(date="2022-09-30", title="Energy Infrastructure Under Threat", topics=["cyber", "north-korea"],
                            authors=["sam-ortiz", "min-ji-kim"], body="Every pipeline operator we surveyed reported probing."),
    "unrelated-brief": dict(date="2024-01-15", title="Missile Tests Resume", topics=["north-korea"],
                            authors=["ana-lopez"], body="Launches from the east coast continued all winter."),
}


# Many words no query here uses, so the index has many chunks (and a search that fetched them all
# would show).
GLOSSARY = " ".join("".join(chr(ord("a") + int(c, 16)) for c in hashlib.sha1(str(i).encode()).hexdigest()[:7])
                    for i in range(20000))
BRIEFS["unrelated-brief"]["body"] += "\n\n" + GLOSSARY


SITES: dict[str, Path] = {}  # served address -> built site folder


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("BRIEFS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is not installed and BRIEFS_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed")


# Every test runs against one Pagefind index and against an index in parts of at most two briefs
# (2024 | 2023, 2022 | 2021), which the search page merges.
@pytest.fixture(scope="module", params=[0, 2], ids=["one-index", "index-in-parts"])
def search_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    _require_chromium()
    search = {"briefing-search": {"briefs_per_index": request.param}}
    archive = Archive(tmp_path_factory.mktemp("search-browser"), plugins_extra=[search])
    archive.author("ana-lopez", name="Ana López")
    for slug, fields in BRIEFS.items():
        archive.brief(slug, **fields)
    built = archive.build()
    assert built.ok, built.messages
    assert (built.site / "pagefind" / "pagefind.js").is_file()
    if request.param:
        assert (built.site / "pagefind" / "part-3" / "pagefind.js").is_file()
    for entry in built.site.glob("pagefind/**/pagefind-entry.json"):  # what the browser reads: the bundles in order
        meta, _ = read_record((entry.parent / f"pagefind.{json.loads(entry.read_text())['languages']['en']['hash']}.pf_meta").read_bytes())
        assert [name for name, _hash in meta[3]] == sorted(name for name, _hash in meta[3])
    handler = functools.partial(_Quiet, directory=str(built.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="search-site", daemon=True)
    thread.start()
    address = f"http://127.0.0.1:{server.server_address[1]}"
    SITES[address] = built.site
    try:
        yield address
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def chromium(search_site):
    with chromium_launched() as browser:
        yield browser


@pytest.fixture
def tab(chromium, search_site):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.route(lambda url: not url.startswith(search_site), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"))
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on("response", lambda res: res.status >= 400 and problems.append(f"HTTP {res.status}: {res.url}"))
    yield page
    context.close()
    assert problems == []


def wait_for_results(page, expected: list[str]) -> list[str]:
    """Waits until the result list shows exactly these briefs (any order); returns them in page order."""
    page.wait_for_function(
        f"expected => {{ const got = ({SLUGS})(); return got.length === expected.length"
        f" && expected.every(slug => got.includes(slug)); }}", arg=expected)
    return page.evaluate(SLUGS)


def test_type_a_query_apply_a_filter_get_the_right_brief(tab, search_site):
    tab.goto(search_site + "/search/")
    tab.get_by_label("Words in a title, summary or text").fill("pipeline")
    wait_for_results(tab, ["pipeline-ransomware", "pipeline-sanctions", "pipeline-north-korea", "pipeline-survey"])
    assert "4 briefs" in tab.locator("[data-bs-status]").inner_text()
    # the filter lists count what each value would leave
    assert "Sanctions (2)" in tab.locator("select[name=topic]").inner_text()

    tab.select_option("select[name=topic]", "Sanctions")
    wait_for_results(tab, ["pipeline-sanctions", "pipeline-north-korea"])
    tab.select_option("select[name=author]", "Ana López")
    assert wait_for_results(tab, ["pipeline-sanctions"]) == ["pipeline-sanctions"]
    assert "q=pipeline" in tab.url and "author=Ana+L%C3%B3pez" in tab.url  # the search is a shareable URL

    result = tab.locator(RESULTS).first
    assert "Sanctioning the Builders of a Gas Link" in result.inner_text()
    assert "By Ana López" in result.inner_text()
    assert result.locator("time").get_attribute("datetime") == "2024-07-08"
    assert result.locator("mark").first.inner_text().lower() == "pipeline"  # the match is highlighted
    result.get_by_role("link", name="Sanctioning the Builders of a Gas Link").click()
    tab.wait_for_url("**/briefs/2024/pipeline-sanctions/")


def test_the_header_box_leads_to_prefilled_results(tab, search_site):
    tab.goto(search_site + "/briefs/2021/pipeline-ransomware/")
    box = tab.locator("header.md-header input[name=q]")
    box.fill("pipeline")
    box.press("Enter")
    tab.wait_for_url("**/search/?q=pipeline")
    assert tab.locator("#bs-q").input_value() == "pipeline"
    wait_for_results(tab, ["pipeline-ransomware", "pipeline-sanctions", "pipeline-north-korea", "pipeline-survey"])
    tab.select_option("select[name=year]", "2022")
    assert wait_for_results(tab, ["pipeline-survey"]) == ["pipeline-survey"]


def test_filters_alone_browse_newest_first_and_a_shared_url_reopens(tab, search_site):
    tab.goto(search_site + "/search/?author=Sam+Ortiz")
    assert wait_for_results(tab, ["pipeline-north-korea", "pipeline-survey"]) == ["pipeline-north-korea", "pipeline-survey"]
    assert tab.locator("select[name=author]").input_value() == "Sam Ortiz"
    # a value that would leave nothing cannot be picked
    ccti = tab.locator("select[name=program] option", has_text="Center on Cyber and Technology Innovation")
    assert ccti.is_disabled()
    tab.locator("#bs-q").fill("crude")
    assert wait_for_results(tab, ["pipeline-north-korea"]) == ["pipeline-north-korea"]
    tab.goto(search_site + "/search/?q=pipeline&topic=Cyber&sort=oldest")
    assert wait_for_results(tab, ["pipeline-ransomware", "pipeline-survey"]) == ["pipeline-ransomware", "pipeline-survey"]
    assert tab.locator("select[name=sort]").input_value() == "oldest"


def test_newest_and_oldest_first_hold_across_the_whole_archive(tab, search_site):
    everything = ["pipeline-sanctions", "pipeline-north-korea", "pipeline-survey", "pipeline-ransomware"]
    tab.goto(search_site + "/search/?q=pipeline&sort=newest")
    assert wait_for_results(tab, everything) == everything
    assert "Sanctions (2)" in tab.locator("select[name=topic]").inner_text()
    assert "2023 (1)" in tab.locator("select[name=year]").inner_text()
    tab.select_option("select[name=sort]", "oldest")
    tab.wait_for_function(f"() => ({SLUGS})()[0] === 'pipeline-ransomware'")
    assert tab.evaluate(SLUGS) == everything[::-1]
    tab.select_option("select[name=year]", "2023")
    assert wait_for_results(tab, ["pipeline-north-korea"]) == ["pipeline-north-korea"]


def test_filters_alone_fetch_one_index_chunk_per_part_not_the_whole_index(tab, search_site):
    fetched: list[str] = []
    tab.on("request", lambda request: request.url.endswith(".pf_index") and fetched.append(request.url))
    tab.goto(search_site + "/search/?topic=Sanctions")
    assert wait_for_results(tab, ["pipeline-sanctions", "pipeline-north-korea"]) == ["pipeline-sanctions", "pipeline-north-korea"]
    parts = len(tab.evaluate("() => JSON.parse(document.querySelector('[data-bs-search]').dataset.bsParts)"))
    chunks = list(SITES[search_site].glob("pagefind/**/index/*.pf_index"))
    assert len(chunks) > parts  # the glossary: more chunks than parts, so fetching them all would show
    assert 0 < len(set(fetched)) <= parts, fetched
    fetched.clear()
    tab.locator("#bs-q").fill("pipeline")  # a word: its own chunk (one more, at most, per part)
    wait_for_results(tab, ["pipeline-sanctions", "pipeline-north-korea"])
    assert len(set(fetched)) <= parts


def test_a_query_that_begins_the_word_every_brief_carries_is_not_a_match_for_all(tab, search_site):
    tab.goto(search_site + "/search/?q=z")
    tab.wait_for_function("() => document.querySelector('[data-bs-status]').textContent.includes('No brief matches')")
    assert tab.evaluate(SLUGS) == []
    tab.locator("#bs-q").fill("pipeline")  # and the box still searches as usual afterwards
    wait_for_results(tab, ["pipeline-ransomware", "pipeline-sanctions", "pipeline-north-korea", "pipeline-survey"])


def test_a_result_shows_the_briefs_own_words_and_a_listings_credits(tab, search_site):
    tab.goto(search_site + "/search/?q=surveyed")
    assert wait_for_results(tab, ["pipeline-survey"]) == ["pipeline-survey"]
    result = tab.locator(RESULTS).first
    # the excerpt is cut from the body: not the header's type, date, reading time, title or byline
    excerpt = result.locator(".bs-result__excerpt").inner_text()
    assert excerpt == "Every pipeline operator we surveyed reported probing."
    assert result.locator(".bs-result__excerpt mark").inner_text() == "surveyed"
    # type, date, byline and reading time as a listing's card shows them
    assert result.locator(".ba-kicker").text_content() == "Policy Brief · September 30, 2022"
    assert result.locator(".ba-card__meta .ba-byline").inner_text() == "By Sam Ortiz and Min-ji Kim"
    assert " ".join(result.locator(".ba-card__time").inner_text().split()) == "· 1 min read"


@pytest.mark.parametrize(("words", "found"), [
    ("Ortiz", ["pipeline-north-korea", "pipeline-survey"]),  # a name of the byline (metadata)
    ("Lifeline", ["pipeline-north-korea"]),  # a word of the title (metadata)
])
def test_words_of_the_title_and_byline_still_find_a_brief(tab, search_site, words, found):
    tab.goto(search_site + f"/search/?q={words}")
    wait_for_results(tab, found)


def test_results_coming_in_move_nothing_already_in_view(tab, search_site):
    """No layout shift (Lighthouse's CLS) when results and the Clear button arrive: the page is at
    least a screen tall, so the footer is out of view before the results push it down, and the
    hidden Clear button keeps its place, so the status line stays where it was."""
    tab.set_viewport_size({"width": 412, "height": 823})  # Lighthouse's phone
    tab.goto(search_site + "/search/")
    tab.wait_for_function("() => document.querySelectorAll('select[name=topic] option').length > 1")
    assert tab.locator(".md-footer").bounding_box()["y"] >= 823
    status_before = tab.locator("[data-bs-status]").bounding_box()["y"]
    assert not tab.locator("[data-bs-clear]").is_visible()
    tab.goto(search_site + "/search/?topic=Sanctions")
    wait_for_results(tab, ["pipeline-sanctions", "pipeline-north-korea"])
    assert tab.locator("[data-bs-clear]").is_visible()
    assert tab.locator("[data-bs-status]").bounding_box()["y"] == status_before
