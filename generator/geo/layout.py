"""A map record laid out on one canvas: its frame, projected places and placed labels.

Validation lays every map out on every canvas to report what does not fit; rendering lays
it out again and draws exactly that, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.geo.labels import Label, Placed, markers_of, place_labels
from generator.geo.outlines import DATA_BOX, label_points
from generator.geo.projection import Canvas, Frame, Projection, frame_around
from generator.records import Map, Place

MARKER_RADIUS = 4.0
AREA_FONT = 0.85  # names of countries and regions, relative to the places' labels


@dataclass(frozen=True, slots=True)
class Marker:
    place: Place
    x: float
    y: float
    name: str  # the name the map prints
    label: str | None  # what the map says below the name ("312 soldiers")


@dataclass(frozen=True, slots=True)
class Layout:
    canvas: Canvas
    projection: Projection
    markers: tuple[Marker, ...]
    labels: tuple[Placed, ...]  # keys: place ids, or "region:<outline id>"
    unplaced: tuple[str, ...]  # place ids whose labels found no room (an error)


def map_frame(record: Map, places: Mapping[str, Place]) -> Frame:
    """The frame written in maps.yaml, or one around the map's places."""
    if record.frame is not None:
        f = record.frame
        return Frame(west=f.west, south=f.south, east=f.east, north=f.north)
    points = [(p.lat, p.lon) for shown in record.places
              if (p := places.get(shown.place)) is not None
              and p.lat is not None and p.lon is not None]
    return frame_around(points or [(DATA_BOX.south, DATA_BOX.west)], DATA_BOX)


def area_names(record: Map, projection: Projection) -> list[Label]:
    """Highlighted outlines and the countries that fill much of the map are named where
    there is room; names are not data, so one that does not fit is left out."""
    labels = []
    whole = projection.width * projection.height
    for outline, point, drawn in label_points(projection):
        if outline.id in record.highlight:
            labels.append(Label(f"region:{outline.id}", point[0], point[1], (outline.name,)))
        elif outline.kind == "country" and drawn > 0.06 * whole:
            labels.append(Label(f"country:{outline.id}", point[0], point[1],
                                (outline.name.upper(),)))
    return sorted(labels, key=lambda label: not label.key.startswith("region:"))


def lay_out(record: Map, places: Mapping[str, Place], canvas: Canvas) -> Layout:
    projection = Projection(map_frame(record, places), canvas.width)
    markers = []
    for shown in record.places:
        place = places.get(shown.place)
        if place is None or place.lat is None or place.lon is None:
            continue  # validation reports it
        x, y = projection.point(place.lat, place.lon)
        markers.append(Marker(place, x, y, shown.name or place.name, shown.label))
    labels = [Label(m.place.id, m.x, m.y, (m.name, m.label) if m.label else (m.name,),
                    MARKER_RADIUS) for m in markers]
    boxes = markers_of(labels)
    placed, missing = place_labels(labels, projection.width, projection.height,
                                   canvas.font_size, boxes)
    names, _skipped = place_labels(area_names(record, projection), projection.width,
                                   projection.height, canvas.font_size * AREA_FONT,
                                   boxes + [p.box for p in placed])
    return Layout(canvas, projection, tuple(markers), tuple(placed + names), tuple(missing))
