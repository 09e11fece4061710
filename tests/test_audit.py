"""`make audit`'s verdicts and its server, without a browser: what it reads in Lighthouse's, the Nu
checker's and axe-core's reports, the table it prints, and the site served as a static host
serves it (compressed, hashed assets cached for a year, 404.html for unknown addresses)."""

from __future__ import annotations

import gzip
import http.client
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from audit.run import PAGES, run_nu
from audit.serving import IMMUTABLE, REVALIDATE, accepts_gzip, cache_control, resolve, serving
from audit.verdicts import PageAudit, axe_violations, nu_errors, read_lighthouse, table


def lighthouse_report(scores: dict[str, float], console=(), requests=(), missed=None) -> dict:
    """A Lighthouse JSON report, cut down to what the verdicts read."""
    audits = {"errors-in-console": {"score": 0 if console else 1, "details": {"items": list(console)}},
              "network-requests": {"score": 1, "details": {"items": list(requests)}}}
    categories = {}
    for category, score in scores.items():
        refs = [{"id": "errors-in-console" if category == "best-practices" else f"{category}-metric", "weight": 1},
                {"id": "unweighted", "weight": 0}]
        audits.setdefault(refs[0]["id"], {"score": (missed or {}).get(category, 1)})
        categories[category] = {"score": score, "auditRefs": refs}
    audits["unweighted"] = {"score": 0}
    return {"categories": categories, "audits": audits, "environment": {"benchmarkIndex": 1587.4}}


PERFECT = {"performance": 0.99, "accessibility": 1, "best-practices": 1, "seo": 1}


def test_a_report_at_the_targets_is_no_problem():
    result = read_lighthouse(lighthouse_report(PERFECT, requests=[{"url": "http://x/", "statusCode": 200}]))
    assert result.scores == {"performance": 99, "accessibility": 100, "best-practices": 100, "seo": 100}
    assert result.benchmark == 1587
    assert result.problems() == []


def test_scores_under_the_targets_name_their_category_and_the_audits_that_missed():
    report = lighthouse_report({**PERFECT, "performance": 0.97, "seo": 0.92}, missed={"performance": 0.55, "seo": 0})
    problems = read_lighthouse(report).problems()
    assert problems == ["Lighthouse performance 97 (target 98): performance-metric (0.55)",
                        "Lighthouse seo 92 (target 100): seo-metric (0)"]
    # 98 is the performance target, 100 every other one's
    assert read_lighthouse(lighthouse_report({**PERFECT, "performance": 0.98})).problems() == []
    assert read_lighthouse(lighthouse_report({**PERFECT, "accessibility": 0.99})).problems() != []


def test_console_errors_and_failed_requests_are_problems_whatever_the_scores():
    console = [{"description": "Failed to load resource: 404", "sourceLocation": {"url": "http://x/topics/a/sitemap.xml"}}]
    requests = [{"url": "http://x/", "statusCode": 200}, {"url": "http://x/topics/a/sitemap.xml", "statusCode": 404},
                {"url": "https://elsewhere/", "statusCode": -1}]
    result = read_lighthouse(lighthouse_report(PERFECT, console=console, requests=requests))
    assert result.console == ["Failed to load resource: 404 [http://x/topics/a/sitemap.xml]"]
    assert result.failed_requests == ["404 http://x/topics/a/sitemap.xml", "-1 https://elsewhere/"]
    assert len(result.problems()) == 3


def test_a_category_lighthouse_could_not_score_fails():
    result = read_lighthouse(lighthouse_report({**PERFECT, "performance": None}))
    assert result.scores["performance"] is None
    assert result.problems() == ["Lighthouse performance ? (target 98): no audit named"]


NU_REPORT = {"messages": [
    {"type": "error", "url": "file:/s/a/index.html", "lastLine": 570, "firstColumn": 5,
     "message": "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
     "extract": '<label class="md-nav__title" for="__toc">\n  '},
    {"type": "info", "subType": "warning", "url": "file:/s/a/index.html", "message": "Article lacks heading."},
    {"type": "non-document-error", "url": "file:/s/b/index.html", "message": "I/O error"},
]}


def test_nu_errors_by_file_and_warnings_left_out():
    found = nu_errors(NU_REPORT)
    assert found == {
        "file:/s/a/index.html": ['570:5: The value of the “for” attribute of the “label” element must be the ID of a '
                                 'non-hidden form control. — <label class="md-nav__title" for="__toc">'],
        "file:/s/b/index.html": ["?:?: I/O error"],
    }
    assert nu_errors({"messages": []}) == {}


def test_every_node_of_every_axe_violation_whatever_its_impact():
    results = {"violations": [
        {"id": "scrollable-region-focusable", "impact": "serious", "help": "Scrollable region must have keyboard access",
         "nodes": [{"target": [".md-typeset__scrollwrap"]}, {"target": ["#a", "iframe"]}]},
        {"id": "region", "impact": "moderate", "help": "All content should be contained by landmarks",
         "nodes": [{"target": [["#shadow", "p"]]}]},
        {"id": "minor-one", "impact": None, "help": "h", "nodes": [{"target": ["p"]}]},
    ]}
    assert axe_violations(results) == [
        "scrollable-region-focusable [serious]: Scrollable region must have keyboard access — .md-typeset__scrollwrap",
        "scrollable-region-focusable [serious]: Scrollable region must have keyboard access — #a iframe",
        "region [moderate]: All content should be contained by landmarks — #shadow p",
        "minor-one [?]: h — p",
    ]
    assert axe_violations({"violations": []}) == []


def test_the_table_has_a_row_a_page_and_its_verdict():
    good = PageAudit("topic", "/topics/x/", lighthouse=read_lighthouse(lighthouse_report(PERFECT)), lighthouse_runs=1,
                     axe={"390": [], "1280": []}, browser={"390": [], "1280": []})
    bad = PageAudit("brief", "/briefs/x/", lighthouse=read_lighthouse(lighthouse_report({**PERFECT, "performance": 0.98})),
                    lighthouse_runs=2, nu=["1:1: bad"], axe={"390": ["rule [minor]: h — p"], "1280": []},
                    browser={"390": [], "1280": ["console: boom"]})
    unmeasured = PageAudit("404", "/404.html")
    lines = table([good, bad, unmeasured], ["390", "1280"]).splitlines()
    cells = [[cell.strip() for cell in line.split("|")[1:-1]] for line in lines]
    assert cells[0] == ["page", "perf", "a11y", "b.p.", "seo", "console", "Nu", "axe 390", "axe 1280", "errors 390",
                        "errors 1280", "verdict"]
    assert len({len(line) for line in lines}) == 1  # columns aligned
    cells = cells[2:]
    assert cells[0] == ["topic", "99", "100", "100", "100", "0", "0", "0", "0", "0", "0", "ok"]
    assert cells[1] == ["brief", "98*", "100", "100", "100", "0", "1", "1", "0", "0", "1", "FAIL"]
    assert cells[2] == ["404", "-", "-", "-", "-", "-", "0", "-", "-", "-", "-", "FAIL"]
    assert bad.problems() == ["Nu: 1:1: bad", "axe 390: rule [minor]: h — p", "browser 1280: console: boom"]
    assert unmeasured.problems() == ["Lighthouse: no report"]


def test_the_audited_pages_are_the_issues_page_kinds():
    assert {"home", "brief", "brief-table", "brief-translated", "latest", "latest-page-2", "topic", "author", "type",
            "program", "year", "series", "topics", "authors", "archive", "search", "editorial", "404"} <= set(PAGES)
    assert urlsplit(PAGES["search"]).query  # with a query and a filter
    assert all("," not in name and " " not in name for name in PAGES)  # --pages takes them comma-separated


# --- the server ------------------------------------------------------------------------------

def test_hashed_names_are_cached_for_a_year_and_the_rest_revalidated():
    for name in ("bundle.a5f9d56c.min.js", "main.57a0d79d.min.css", "en_5ff5929.pf_fragment", "pagefind.en_99593887e6.pf_meta"):
        assert cache_control(name) == IMMUTABLE, name
    for name in ("index.html", "briefing-archive.css", "pagefind.js", "pagefind-entry.json", "feed.xml", "2024.html"):
        assert cache_control(name) == REVALIDATE, name


def test_accept_encoding():
    assert accepts_gzip("gzip, deflate, br") and accepts_gzip("br;q=1.0, gzip;q=0.8") and accepts_gzip("*")
    assert not accepts_gzip(None) and not accepts_gzip("br") and not accepts_gzip("gzip;q=0") and not accepts_gzip("identity")


def test_resolve_stays_inside_the_site(tmp_path: Path):
    (tmp_path / "topics" / "cyber").mkdir(parents=True)
    (tmp_path / "topics" / "cyber" / "index.html").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    assert resolve(tmp_path, "/topics/cyber/") == tmp_path / "topics" / "cyber" / "index.html"
    assert resolve(tmp_path, "/topics/cyber") == tmp_path / "topics" / "cyber" / "index.html"
    assert resolve(tmp_path, "/topics/%63yber/index.html") == tmp_path / "topics" / "cyber" / "index.html"
    for path in ("/nope/", "/../etc/passwd", "/topics/../../x", "/.hidden", "/topics/"):
        assert resolve(tmp_path, path) is None, path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Home</title>" + "<p>brief</p>" * 200, encoding="utf-8")
    (tmp_path / "404.html").write_text("<!doctype html><title>Not found</title>", encoding="utf-8")
    (tmp_path / "assets" / "bundle.a5f9d56c.min.js").write_text("console.log(1);" * 100, encoding="utf-8")
    (tmp_path / "assets" / "favicon.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "index.html").write_text("<!doctype html><title>Topics</title>", encoding="utf-8")
    return tmp_path


def fetch(origin: str, path: str, gzip_ok: bool = True) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(origin)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip, br"} if gzip_ok else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_served_compressed_with_cache_headers_and_404_html(site: Path):
    with serving(site) as origin:
        status, headers, body = fetch(origin, "/")
        assert status == 200 and headers["content-encoding"] == "gzip" and headers["cache-control"] == REVALIDATE
        assert headers["content-type"] == "text/html; charset=utf-8" and headers["vary"] == "Accept-Encoding"
        assert gzip.decompress(body) == (site / "index.html").read_bytes()
        assert int(headers["content-length"]) == len(body) < (site / "index.html").stat().st_size

        status, headers, body = fetch(origin, "/assets/bundle.a5f9d56c.min.js")
        assert status == 200 and headers["cache-control"] == IMMUTABLE
        assert headers["content-type"].startswith("application/javascript") and headers["content-encoding"] == "gzip"

        status, headers, body = fetch(origin, "/", gzip_ok=False)
        assert status == 200 and "content-encoding" not in headers and body == (site / "index.html").read_bytes()

        status, headers, body = fetch(origin, "/assets/favicon.png")  # images are not compressed again
        assert status == 200 and "content-encoding" not in headers and body == (site / "assets" / "favicon.png").read_bytes()

        status, headers, body = fetch(origin, "/briefs/2023/no-such-brief/")
        assert status == 404 and gzip.decompress(body) == (site / "404.html").read_bytes()
        assert headers["cache-control"] == REVALIDATE

        status, headers, _ = fetch(origin, "/topics")
        assert status == 301 and headers["location"] == "/topics/"


@pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime (apt-get install default-jre-headless)")
def test_the_nu_checker_finds_errors_in_a_page_and_none_in_a_valid_one(tmp_path: Path):
    """The pinned vnu.jar runs and its findings come back by page name."""
    (tmp_path / "good").mkdir()
    (tmp_path / "bad").mkdir()
    (tmp_path / "good" / "index.html").write_text(
        '<!doctype html><html lang="en"><title>Good</title><input id="a" type="checkbox"><label for="a">A</label>',
        encoding="utf-8")
    (tmp_path / "bad" / "index.html").write_text(
        '<!doctype html><html lang="en"><title>Bad</title><input type="checkbox" autocomplete="off">'
        '<label for="__toc">Contents</label>', encoding="utf-8")
    found = run_nu(tmp_path, {"good": "/good/", "bad": "/bad/"})
    assert found["good"] == []
    assert len(found["bad"]) == 2 and any("autocomplete" in error for error in found["bad"])
    assert any("“for” attribute" in error for error in found["bad"])
