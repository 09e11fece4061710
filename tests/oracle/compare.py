"""Two site folders, file by file, everything included (pages, sitemaps, feeds, JSON, citation
files, redirects, assets, the Pagefind bundle), and a message that says where they differ."""

from __future__ import annotations

import difflib
import gzip
import re
from pathlib import Path

BUNDLE = "pagefind/"  # briefing-search's Pagefind bundle
LISTED = 12  # differing files named in a message
DIFF_LINES = 40


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _text(data: bytes) -> str | None:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except OSError:
            return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\0" in text else text


def _lines(text: str) -> list[str]:
    """Lines to diff; minified HTML and one-line JSON are cut at tag and item boundaries."""
    lines = text.splitlines()
    if lines and max(map(len, lines)) > 400:
        lines = re.sub(r'(>)(<)|(,)(")', lambda m: (m[1] or m[3]) + "\n" + (m[2] or m[4]), text).splitlines()
    return lines


def unified_diff(name: str, expected_label: str, expected: bytes, actual_label: str, actual: bytes) -> str:
    a, b = _text(expected), _text(actual)
    if a is None or b is None:
        return ""
    diff = list(difflib.unified_diff(_lines(a), _lines(b), f"{expected_label}/{name}", f"{actual_label}/{name}",
                                     n=1, lineterm=""))
    cut = len(diff) > DIFF_LINES
    shown = [line if len(line) <= 240 else line[:240] + " …" for line in diff[:DIFF_LINES]]
    return "\n".join(shown) + (f"\n… ({len(diff) - DIFF_LINES} more diff lines)" if cut else "")


def difference(what: str, expected_label: str, expected: dict[str, bytes], actual_label: str,
               actual: dict[str, bytes]) -> str | None:
    """None when both sites hold the same files with the same bytes; else what differs: files in one
    only, the first differing files (outside the Pagefind bundle first), and a short unified diff
    of the first differing text file."""
    def bundle_last(names) -> list[str]:
        return sorted(names, key=lambda name: (name.startswith(BUNDLE), name))

    only_expected = bundle_last(set(expected) - set(actual))
    only_actual = bundle_last(set(actual) - set(expected))
    differing = bundle_last(name for name in set(expected) & set(actual) if expected[name] != actual[name])
    if not (only_expected or only_actual or differing):
        return None
    every = only_expected + only_actual + differing
    outside = [name for name in every if not name.startswith(BUNDLE)]
    only_bundle = "" if outside else " (only the Pagefind bundle differs)"
    lines = [f"{what}: {len(every)} of {len(set(expected) | set(actual))} files differ from the {expected_label} "
             f"build's, {len(outside)} of them outside {BUNDLE}{only_bundle}"]
    if only_expected:
        lines.append(f"  only in {expected_label} ({len(only_expected)}): {only_expected[:LISTED]}")
    if only_actual:
        lines.append(f"  only in {actual_label} ({len(only_actual)}): {only_actual[:LISTED]}")
    if differing:
        lines.append(f"  differing ({len(differing)}): {differing[:LISTED]}")
    for name in differing:
        diff = unified_diff(name, expected_label, expected[name], actual_label, actual[name])
        if diff:
            lines.append(diff)
            break
    else:
        if differing:
            lines.append("  (no differing file is text)")
    return "\n".join(lines)
