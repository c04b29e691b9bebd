"""Charts and locator maps, drawn at build time from these records."""

from __future__ import annotations

from dataclasses import dataclass

from generator import fields as read
from generator import values
from generator.dates import PartialDate
from generator.fields import column
from generator.raw import Prose
from generator.records.base import Record, kind


@dataclass(frozen=True, slots=True, kw_only=True)
class Point:
    """One value of a chart, dated (with the date's honest precision) or labelled; a single
    number, or a range (low, high) where sources disagree. ``wording``: the source's own
    qualifier ("about 1,300"), shown with the number so it never claims more precision."""

    date: PartialDate | None = column(read.date, required=False)
    label: str | None = column(read.text, required=False)
    value: float | None = column(values.number, required=False)
    low: float | None = column(values.number, required=False)
    high: float | None = column(values.number, required=False)
    wording: str | None = column(read.text, required=False)
    note: Prose | None = column(read.inline, required=False)
    sources: tuple[str, ...] = column(read.refs("source"), required=False, default=())

    @property
    def bottom(self) -> float:
        return self.value if self.value is not None else self.low or 0

    @property
    def top(self) -> float:
        return self.value if self.value is not None else self.high or 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Series:
    name: str | None = column(read.text, required=False)
    unit: str | None = column(read.text, required=False)
    points: tuple[Point, ...] = column(values.records_of(Point, "point", ("date", "label")))


@kind(name="chart", plural="charts", file="charts.yaml", anchor="chart")
@dataclass(frozen=True, slots=True, kw_only=True)
class Chart(Record):
    """A chart drawn at build time; shown where a '::: chart <id>' line places it, or else
    with the key figures."""

    id: str = column(read.identifier)
    title: str = column(read.text)
    kind: str = column(values.choice("bar", "line"))
    unit: str = column(read.text)
    series: tuple[Series, ...] = column(values.records_of(Series, "series", ("name",)))
    category: str | None = column(read.text, required=False)  # what labels name: "Crossing"
    as_of: PartialDate | None = column(read.date, required=False,
                                       recommended="no 'as_of' date; expected the date the "
                                                   "chart's numbers are valid for")
    note: Prose | None = column(read.inline, required=False)
    sources: tuple[str, ...] = column(read.refs("source"), required=False, default=())


@dataclass(frozen=True, slots=True, kw_only=True)
class MapFrame:
    west: float = column(values.longitude)
    south: float = column(values.latitude)
    east: float = column(values.longitude)
    north: float = column(values.latitude)


@dataclass(frozen=True, slots=True, kw_only=True)
class MapPlace:
    """A place shown on a map; ``label`` says more under its name ("312 soldiers")."""

    place: str = column(read.ref("place"))
    name: str | None = column(read.text, required=False)  # printed instead of the place's
    label: str | None = column(read.text, required=False)
    note: Prose | None = column(read.inline, required=False)
    sources: tuple[str, ...] = column(read.refs("source"), required=False, default=())


@kind(name="map", plural="maps", file="maps.yaml", anchor="map")
@dataclass(frozen=True, slots=True, kw_only=True)
class Map(Record):
    """A locator map drawn at build time from the stored outlines; placed like a chart.
    ``frame``: what it shows (else the places and some room around them); ``highlight``:
    ids of outlines to shade and name (AF-BDS for Badakhshan)."""

    id: str = column(read.identifier)
    title: str = column(read.text)
    places: tuple[MapPlace, ...] = column(values.records_of(MapPlace, "place", ("place",)))
    frame: MapFrame | None = column(values.record_of(MapFrame, "frame"), required=False)
    highlight: tuple[str, ...] = column(read.text_list, required=False, default=())
    note: Prose | None = column(read.inline, required=False)
    sources: tuple[str, ...] = column(read.refs("source"), required=False, default=())
