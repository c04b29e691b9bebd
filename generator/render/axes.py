"""Scales and ticks for charts: time that is spaced as time, numbers from zero.

A date with a year's precision covers that whole year, a month's the whole month; a point
sits at the middle of its period, so ten years between two points always look like ten
years, whatever their precision.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from generator.dates import MONTHS, PartialDate


def format_number(value: float) -> str:
    """1300 -> '1,300'; 2.5 -> '2.5': thousands separators, no invented decimals."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def period(date: PartialDate) -> tuple[dt.date, dt.date]:
    """The first day of a date's period and the first day after it."""
    start = dt.date(date.year, date.month or 1, date.day or 1)
    if date.day is not None:
        return start, start + dt.timedelta(days=1)
    if date.month is not None:
        year, month = divmod(date.month, 12)
        return start, dt.date(date.year + year, month + 1, 1)
    return start, dt.date(date.year + 1, 1, 1)


@dataclass(frozen=True, slots=True)
class TimeScale:
    """Days since a start, as a share of the axis: 0.0 at ``start``, 1.0 at ``end``."""

    start: dt.date
    end: dt.date

    def share(self, day: dt.date | float) -> float:
        ordinal = day.toordinal() if isinstance(day, dt.date) else day
        return (ordinal - self.start.toordinal()) / (self.end.toordinal() -
                                                      self.start.toordinal())

    def middle(self, date: PartialDate) -> float:
        first, after = period(date)
        return self.share((first.toordinal() + after.toordinal()) / 2)


def time_scale(dates: Iterable[PartialDate]) -> TimeScale:
    """Whole years around the dates (whole months for spans under two years)."""
    periods = [period(d) for d in dates]
    first, last = min(p[0] for p in periods), max(p[1] for p in periods)
    if (last - first).days >= 730:
        end_year = last.year + (0 if last == dt.date(last.year, 1, 1) else 1)
        return TimeScale(dt.date(first.year, 1, 1), dt.date(end_year, 1, 1))
    end = last if last.day == 1 else period(PartialDate(last.year, last.month))[1]
    return TimeScale(dt.date(first.year, first.month, 1), end)


def time_ticks(scale: TimeScale, most: int = 6) -> list[tuple[dt.date, str]]:
    """Labelled ticks, at most ``most`` so they fit a phone: years, else months."""
    years = scale.end.year - scale.start.year
    if years >= 2:
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if years / s <= most)
        first = math.ceil(scale.start.year / step) * step
        return [(dt.date(year, 1, 1), str(year))
                for year in range(first, scale.end.year + 1, step)]
    months = (scale.end.year - scale.start.year) * 12 + scale.end.month - scale.start.month
    step = next((s for s in (1, 2, 3, 6, 12) if months / s <= most - 2), 12)
    ticks = []
    year, month = scale.start.year, scale.start.month
    while dt.date(year, month, 1) <= scale.end:
        if (month - 1) % step == 0:
            ticks.append((dt.date(year, month, 1), f"{MONTHS[month - 1][:3]} {year}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ticks


def minor_years(scale: TimeScale) -> list[dt.date]:
    """A small tick at every new year, where there are not too many to see."""
    if not 2 <= scale.end.year - scale.start.year <= 60:
        return []
    return [dt.date(y, 1, 1) for y in range(scale.start.year + 1, scale.end.year)]


def value_ticks(top: float, most: int = 5) -> list[float]:
    """0 and round steps up to at least ``top``: 0, 25,000, 50,000, 75,000, 100,000."""
    if top <= 0:
        return [0.0, 1.0]
    magnitude = 10 ** math.floor(math.log10(top))
    for factor in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = factor * magnitude
        count = math.ceil(top / step - 1e-9)
        if count <= most:
            return [round(step * i, 10) for i in range(count + 1)]
    return [0.0, top]
