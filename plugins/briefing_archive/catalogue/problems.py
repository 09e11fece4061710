"""Content problems, reported the way compilers do: `path:line: severity: message`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # worth knowing, nothing to fix (a scheduled brief)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass
class Report:
    """Collects every problem of a run, so editors see them all at once."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, ERROR, message))

    def warning(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, WARNING, message))

    def note(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, NOTE, message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == NOTE]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems))


def closest(word: object, candidates: Iterable[str], names: dict[str, str] | None = None) -> str | None:
    """The candidate an editor most likely meant by `word`, or None.

    `names` maps a display name to its key, so that an editor who wrote an
    author's name (`Annie Fixler`) gets the key (`annie-fixler`).
    """
    if not isinstance(word, str) or not word:
        return None
    from .text import slugify

    candidates = sorted(candidates)
    as_slug = slugify(word)
    if as_slug in candidates and as_slug != word:
        return as_slug
    if names:
        by_name = {name.casefold(): key for name, key in names.items()}
        if word.casefold() in by_name:
            return by_name[word.casefold()]
    close = difflib.get_close_matches(word.lower(), candidates, n=1, cutoff=0.6)
    if not close and as_slug:
        close = difflib.get_close_matches(as_slug, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def suggestion(word: object, candidates: Iterable[str], names: dict[str, str] | None = None) -> str:
    """` (did you mean 'x'?)` for the closest candidate (see `closest`), or an empty string."""
    key = closest(word, candidates, names)
    return f" (did you mean '{key}'?)" if key else ""


def unknown_entry(kind: str, value: object, source: str, candidates: Iterable[str],
                  names: dict[str, str] | None = None) -> str:
    """The words for a key that is not in its vocabulary or registry, did-you-mean included.

    One sentence for every place that says it (`briefs check` through the loader, `briefs new`),
    so an editor reads the same message wherever the key was written.
    """
    kinds = kind if kind.endswith("s") else kind + "s"  # "the series are listed", not "seriess"
    return f"unknown {kind} '{value}'{suggestion(value, candidates, names)} — the {kinds} are listed in {source}"
