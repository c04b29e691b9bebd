"""Located problems ("diagnostics") that every stage reports instead of raising."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class SourceLocation:
    """A place in a user's file; line and column count from 1, like a compiler's."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        if self.column <= 0:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, formatted the way compilers do so editors can jump to it."""

    location: SourceLocation
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        label = "" if self.is_error else "warning: "
        return f"{self.location}: {label}{self.message}"

    def to_data(self) -> dict[str, object]:
        """Plain data, to cross a process boundary as JSON and come back unchanged."""
        return {"path": self.location.path, "line": self.location.line,
                "column": self.location.column, "severity": self.severity.value,
                "message": self.message}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Diagnostic:
        location = SourceLocation(str(data["path"]), int(str(data["line"])),
                                  int(str(data["column"])))
        return cls(location, str(data["message"]), Severity(data["severity"]))


def error(location: SourceLocation, message: str) -> Diagnostic:
    return Diagnostic(location, message, Severity.ERROR)


def warning(location: SourceLocation, message: str) -> Diagnostic:
    return Diagnostic(location, message, Severity.WARNING)


class BuildFailed(Exception):  # noqa: N818 - reads better at call sites than BuildFailedError
    """Raised once, after a stage has collected every problem it could find."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Order by file and position so output is stable and reads top to bottom."""
    return sorted(
        diagnostics,
        key=lambda d: (d.location.path, d.location.line, d.location.column, d.message),
    )


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A '; did you mean 'x'?' suffix, or '' when nothing is close enough."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def closest_first(word: str, names: Iterable[str], limit: int = 3) -> str:
    """'(known: a, b, …)' with the likeliest intended names first."""
    ordered = sorted(set(names),
                     key=lambda n: (-difflib.SequenceMatcher(None, word, n).ratio(), n))
    if not ordered:
        return "(none defined)"
    more = ", …" if len(ordered) > limit else ""
    return f"(known: {', '.join(ordered[:limit])}{more})"
