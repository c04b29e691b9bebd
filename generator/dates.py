"""Dates with honest precision: a year, a month or a day, never more than the source gives."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class DateError(ValueError):
    """The text is not a date we can stand behind; the message says why."""


@dataclass(frozen=True)  # no slots: pickled by the thousand, and slots pickle slowly
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """A year sorts before its months, a month before its days."""
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        """The ``<time datetime>`` value: 2001, 2001-11 or 2001-11-13."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def display(self) -> str:
        """How a reader sees it: 2001, November 2001, 13 November 2001."""
        if self.month is None:
            return str(self.year)
        month = MONTHS[self.month - 1]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    def __str__(self) -> str:
        return self.iso()


def parse_partial_date(text: str) -> PartialDate:
    """Read YYYY, YYYY-MM or YYYY-MM-DD, refusing impossible dates such as 2021-02-30."""
    match = _PATTERN.fullmatch(text.strip())
    if not match:
        raise DateError(f"'{text}' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match[1])
    month = int(match[2]) if match[2] else None
    day = int(match[3]) if match[3] else None
    if year < 1:
        raise DateError(f"year {year} does not exist; expected a year from 0001")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"'{text}' has month {month}; expected a month from 01 to 12")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(
                f"'{text}' does not exist: {MONTHS[month - 1]} {year} has {last} days"
            )
    return PartialDate(year, month, day)
