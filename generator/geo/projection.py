"""From latitude and longitude to a point on the map, computed at build time.

An equirectangular projection whose east-west scale is true at the frame's middle
latitude: over a region a few hundred kilometres across it distorts distances by a few
per cent at most, and anyone can check a position with a pocket calculator.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Frame:
    """What a map shows, in degrees: longitudes west..east, latitudes south..north."""

    west: float
    south: float
    east: float
    north: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def within(self, other: Frame) -> bool:
        return (other.west <= self.west and self.east <= other.east
                and other.south <= self.south and self.north <= other.north)

    def describe(self) -> str:
        return (f"{_lon(self.west)} to {_lon(self.east)}, {_lat(self.south)} to "
                f"{_lat(self.north)}")


def _lat(value: float) -> str:
    return f"{abs(value):g}° {'N' if value >= 0 else 'S'}"


def _lon(value: float) -> str:
    return f"{abs(value):g}° {'E' if value >= 0 else 'W'}"


@dataclass(frozen=True, slots=True)
class Canvas:
    """One size a map is drawn at, with the font size its labels use there.

    A map is drawn twice, for phones and for wider screens, so its labels keep a readable
    size on both; each drawing gets its own label placement.
    """

    name: str
    width: float
    font_size: float
    described: str


CANVASES = (
    Canvas("narrow", 340, 11, "phone width"),
    Canvas("wide", 640, 13, "full width"),
)


@dataclass(frozen=True, slots=True)
class Projection:
    frame: Frame
    width: float

    @property
    def _cos(self) -> float:
        return math.cos(math.radians((self.frame.south + self.frame.north) / 2))

    @property
    def scale(self) -> float:
        """Map units per degree of latitude."""
        return self.width / ((self.frame.east - self.frame.west) * self._cos)

    @property
    def height(self) -> float:
        return (self.frame.north - self.frame.south) * self.scale

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        """x to the right from the west edge, y down from the north edge."""
        return ((lon - self.frame.west) * self._cos * self.scale,
                (self.frame.north - lat) * self.scale)


def frame_around(points: Iterable[tuple[float, float]], limit: Frame) -> Frame:
    """A frame around (lat, lon) points with room for labels, kept within ``limit``."""
    lats, lons = zip(*points, strict=True)
    lat_pad = max((max(lats) - min(lats)) * 0.2, 0.5)
    lon_pad = max((max(lons) - min(lons)) * 0.2, 0.5)
    return Frame(west=max(limit.west, round(min(lons) - lon_pad, 2)),
                 south=max(limit.south, round(min(lats) - lat_pad, 2)),
                 east=min(limit.east, round(max(lons) + lon_pad, 2)),
                 north=min(limit.north, round(max(lats) + lat_pad, 2)))
