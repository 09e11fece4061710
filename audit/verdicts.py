"""What each tool's report says about a page, and whether the page meets the targets.

Plain functions over the tools' JSON (Lighthouse's report, the Nu checker's `--format json`,
axe-core's results), so they are tested without a browser (tests/test_audit.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Issue 18's targets, on every page kind.
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
NU_ERROR_TYPES = ("error", "non-document-error")  # "info" messages (warnings among them) do not fail


@dataclass(frozen=True)
class LighthouseResult:
    scores: dict[str, int]  # category -> 0..100 (None where Lighthouse could not score it)
    missed: dict[str, list[str]]  # category -> its scored audits that did not pass, as "id (score)"
    console: list[str]  # errors-in-console: one line each
    failed_requests: list[str]  # requests that failed or were answered with 4xx/5xx
    benchmark: int  # Lighthouse's benchmarkIndex of the machine: lower is slower

    def problems(self) -> list[str]:
        found = []
        for category in CATEGORIES:
            score = self.scores.get(category)
            if score is None or score < TARGETS[category]:
                audits = ", ".join(self.missed.get(category, [])) or "no audit named"
                found.append(f"Lighthouse {category} {score if score is not None else '?'} "
                             f"(target {TARGETS[category]}): {audits}")
        found += [f"Lighthouse console: {line}" for line in self.console]
        found += [f"Lighthouse request: {line}" for line in self.failed_requests]
        return found


def read_lighthouse(report: dict) -> LighthouseResult:
    """The parts of a Lighthouse JSON report (`--output json`) that the targets look at."""
    audits = report.get("audits", {})
    scores: dict[str, int] = {}
    missed: dict[str, list[str]] = {}
    for category in CATEGORIES:
        found = report.get("categories", {}).get(category)
        if found is None:
            continue
        scores[category] = None if found.get("score") is None else round(found["score"] * 100)
        for ref in found.get("auditRefs", []):
            audit = audits.get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                missed.setdefault(category, []).append(f"{ref['id']} ({audit['score']:g})")
    console = [f"{item.get('description', '').strip()} [{(item.get('sourceLocation') or {}).get('url', '')}]"
               for item in _items(audits.get("errors-in-console"))]
    failed = [f"{item.get('statusCode')} {item.get('url')}" for item in _items(audits.get("network-requests"))
              if item.get("statusCode", 0) >= 400 or item.get("statusCode") == -1 or item.get("failed")]
    benchmark = round(report.get("environment", {}).get("benchmarkIndex") or 0)
    return LighthouseResult(scores, missed, console, failed, benchmark)


def _items(audit: dict | None) -> list[dict]:
    return ((audit or {}).get("details") or {}).get("items") or []


def nu_errors(report: dict) -> dict[str, list[str]]:
    """The Nu checker's errors (`java -jar vnu.jar --format json`), by the `url` of the file
    checked: "line:column: message", in the checker's order."""
    found: dict[str, list[str]] = {}
    for message in report.get("messages", []):
        if message.get("type") not in NU_ERROR_TYPES:
            continue
        where = f"{message.get('lastLine', '?')}:{message.get('firstColumn', message.get('lastColumn', '?'))}"
        extract = " ".join((message.get("extract") or "").split())
        text = f"{where}: {message.get('message', '').strip()}" + (f" — {extract[:120]}" if extract else "")
        found.setdefault(message.get("url", ""), []).append(text)
    return found


def axe_violations(results: dict) -> list[str]:
    """Every node of every axe-core violation, whatever its impact: "rule [impact]: help — target"."""
    found = []
    for violation in results.get("violations", []):
        for node in violation.get("nodes", []):
            target = " ".join(" ".join(map(str, t)) if isinstance(t, list) else str(t) for t in node.get("target", []))
            found.append(f"{violation['id']} [{violation.get('impact') or '?'}]: {violation.get('help', '')} — {target}")
    return found


@dataclass
class PageAudit:
    """One page kind: what every tool found there."""
    name: str
    path: str
    lighthouse: LighthouseResult | None = None
    lighthouse_runs: int = 0
    nu: list[str] = field(default_factory=list)
    axe: dict[str, list[str]] = field(default_factory=dict)  # viewport -> violations
    browser: dict[str, list[str]] = field(default_factory=dict)  # viewport -> console errors, failed requests

    def problems(self) -> list[str]:
        found = self.lighthouse.problems() if self.lighthouse else ["Lighthouse: no report"]
        found += [f"Nu: {error}" for error in self.nu]
        for viewport, violations in self.axe.items():
            found += [f"axe {viewport}: {violation}" for violation in violations]
        for viewport, errors in self.browser.items():
            found += [f"browser {viewport}: {error}" for error in errors]
        return found


def table(audits: list[PageAudit], viewports: list[str]) -> str:
    """One row a page: Lighthouse's four scores, console errors and failed requests it saw, the
    Nu checker's errors, axe-core's violations and the browser's errors at each width."""
    head = ["page", "perf", "a11y", "b.p.", "seo", "console", "Nu"]
    head += [f"axe {v}" for v in viewports] + [f"errors {v}" for v in viewports] + ["verdict"]
    rows = []
    for audit in audits:
        result = audit.lighthouse
        scores = [_score(result, c) + ("*" if c == "performance" and audit.lighthouse_runs > 1 else "")
                  for c in CATEGORIES]
        console = str(len(result.console) + len(result.failed_requests)) if result else "-"
        row = [audit.name, *scores, console, str(len(audit.nu))]
        row += [str(len(audit.axe.get(v, []))) if v in audit.axe else "-" for v in viewports]
        row += [str(len(audit.browser.get(v, []))) if v in audit.browser else "-" for v in viewports]
        row.append("FAIL" if audit.problems() else "ok")
        rows.append(row)
    widths = [max(len(str(cell)) for cell in column) for column in zip(head, *rows)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) if i == 0 else cell.rjust(width)
                                 for i, (cell, width) in enumerate(zip(cells, widths))) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(head), rule, *(line(row) for row in rows)])


def _score(result: LighthouseResult | None, category: str) -> str:
    if result is None or result.scores.get(category) is None:
        return "-"
    return str(result.scores[category])
