"""The country and province outlines stored with the package (``data/outlines.json``).

Natural Earth data, simplified and clipped to the region around Afghanistan; where they
come from and what was done to them is told in ``data/ORIGIN.md``.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

from generator.geo.projection import Frame, Projection

Ring = tuple[tuple[float, float], ...]  # (lon, lat) points; the first is repeated last
Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Outline:
    id: str  # ISO 3166 code (AFG, AF-BDS) or Natural Earth's code where ISO's is unsure
    name: str
    kind: str  # "country" or "province"
    country: str
    rings: tuple[Ring, ...]  # outer rings and enclaves alike: fill them even-odd

    bounds: tuple[float, float, float, float] = field(init=False, repr=False, compare=False)
    """west, south, east, north: worked out once, as every map asks for them."""

    def __post_init__(self) -> None:
        lons = [p[0] for ring in self.rings for p in ring]
        lats = [p[1] for ring in self.rings for p in ring]
        object.__setattr__(self, "bounds", (min(lons), min(lats), max(lons), max(lats)))


def _frame(box: dict[str, list[float]]) -> Frame:
    return Frame(west=box["lon"][0], south=box["lat"][0], east=box["lon"][1],
                 north=box["lat"][1])


@functools.cache
def _load() -> tuple[Frame, tuple[Outline, ...]]:
    text = resources.files("generator.geo").joinpath("data", "outlines.json").read_text()
    data = json.loads(text)
    outlines = tuple(
        Outline(f["id"], f["name"], f["kind"], f["country"],
                tuple(tuple((p[0], p[1]) for p in ring) for ring in f["rings"]))
        for f in data["features"])
    return _frame(data["processing"]["clip_box"]), outlines


def load_outlines() -> tuple[Outline, ...]:
    """Every stored outline, countries first (read once per process; never changes)."""
    return _load()[1]


def outline_ids() -> tuple[str, ...]:
    return tuple(o.id for o in load_outlines())


DATA_BOX = _load()[0]
"""The area the stored outlines cover: a map's frame must lie within it."""


def clip(ring: Ring, frame: Frame) -> list[Point]:
    """The part of a ring inside the frame (Sutherland-Hodgman, one edge at a time)."""
    points: list[Point] = list(ring[:-1]) if ring[0] == ring[-1] else list(ring)
    edges = ((0, frame.west, True), (0, frame.east, False),
             (1, frame.south, True), (1, frame.north, False))
    for axis, limit, keep_above in edges:
        if not points:
            break
        kept: list[Point] = []
        for index, current in enumerate(points):
            previous = points[index - 1]
            inside_now = (current[axis] >= limit) == keep_above
            inside_before = (previous[axis] >= limit) == keep_above
            if inside_now != inside_before:
                t = (limit - previous[axis]) / (current[axis] - previous[axis])
                crossing = (previous[0] + t * (current[0] - previous[0]),
                            previous[1] + t * (current[1] - previous[1]))
                kept.append(crossing)
            if inside_now:
                kept.append(current)
        points = kept
    return points


@functools.lru_cache(maxsize=32)
def projected(projection: Projection) -> tuple[tuple[Outline, tuple[Ring, ...]], ...]:
    """Every outline that shows in a projection's frame, clipped and projected; kept, as
    validation and rendering both need them, build after build."""
    found = []
    for outline in load_outlines():
        west, south, east, north = outline.bounds
        frame = projection.frame
        if east < frame.west or west > frame.east or north < frame.south or \
                south > frame.north:
            continue
        rings = projected_rings(outline, projection)
        if rings:
            found.append((outline, tuple(tuple(ring) for ring in rings)))
    return tuple(found)


@functools.lru_cache(maxsize=32)
def label_points(projection: Projection) -> tuple[tuple[Outline, Point, float], ...]:
    """Each outline shown in a projection, with where its name would go and its drawn area;
    kept like ``projected``: a map's validation and its rendering both place names."""
    found = []
    for outline, rings in projected(projection):
        point = label_point(rings)
        if point is not None:
            found.append((outline, point, sum(area(r) for r in rings)))
    return tuple(found)


def projected_rings(outline: Outline, projection: Projection,
                    tolerance: float = 0.35) -> list[list[Point]]:
    """Rings clipped to the frame and projected, without points closer than ``tolerance``
    map units to the one before (invisible detail, only bytes)."""
    rings = []
    for ring in outline.rings:
        drawn: list[Point] = []
        for lon, lat in clip(ring, projection.frame):
            x, y = projection.point(lat, lon)
            if drawn and abs(x - drawn[-1][0]) < tolerance and \
                    abs(y - drawn[-1][1]) < tolerance:
                continue
            drawn.append((x, y))
        if len(drawn) >= 3 and abs(_area(drawn)) > tolerance:
            rings.append(drawn)
    return rings


def contains(outline: Outline, lat: float, lon: float) -> bool:
    """Whether a point lies inside an outline (even-odd, like the drawing's fill)."""
    west, south, east, north = outline.bounds
    if not (west <= lon <= east and south <= lat <= north):
        return False  # most outlines of a map are far from a given place
    inside = False
    for ring in outline.rings:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def area(ring: Sequence[Point]) -> float:
    return abs(_area(ring))


def _area(ring: Sequence[Point]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in _edges(ring)) / 2


def _edges(ring: Sequence[Point]) -> list[tuple[Point, Point]]:
    return list(zip(ring, [*ring[1:], ring[0]], strict=True))


def svg_path(rings: Sequence[Sequence[Point]]) -> str:
    return "".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + "Z"
                   for ring in rings)


def label_point(rings: Sequence[Sequence[Point]]) -> Point | None:
    """A point well inside the largest ring, to print a region's name at."""
    if not rings:
        return None
    ring = max(rings, key=area)
    twice = 2 * _area(ring)
    cx = sum((a[0] + b[0]) * (a[0] * b[1] - b[0] * a[1]) for a, b in _edges(ring)) / (3 * twice)
    cy = sum((a[1] + b[1]) * (a[0] * b[1] - b[0] * a[1]) for a, b in _edges(ring)) / (3 * twice)
    crossings = sorted(a[0] + (cy - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
                       for a, b in _edges(ring) if (a[1] > cy) != (b[1] > cy))
    spans = list(zip(crossings[::2], crossings[1::2], strict=False))
    if any(left <= cx <= right for left, right in spans) or not spans:
        return cx, cy
    left, right = max(spans, key=lambda s: s[1] - s[0])  # the centroid fell outside
    return (left + right) / 2, cy
