"""Checks for locator maps and the coordinates they draw on.

A place's coordinates come with their source; a map shows only places it knows where to
put, inside its frame, with a label that fits on every size it is drawn at.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.errors import Diagnostic, closest_first, error
from generator.geo import CANVASES, DATA_BOX, lay_out, map_frame, outline_ids
from generator.raw import YamlMapping, YamlNode
from generator.records import Map, Place
from generator.validate.charts import node_at
from generator.validate.records import Collected


def check_places(found: Collected, problems: list[Diagnostic]) -> None:
    """Latitude and longitude come together, and never without a source."""
    for read in found.read:
        place = read.record
        if not isinstance(place, Place):
            continue
        has_lat, has_lon = place.lat is not None, place.lon is not None
        if isinstance(read.node, YamlMapping) and any(
                read.node.get(key) is not None and getattr(place, key) is None
                for key in ("lat", "lon")):
            continue  # a coordinate was written but is invalid: reported already
        if has_lat != has_lon:
            missing = "lon" if has_lat else "lat"
            problems.append(error(read.node.location, f"{read.label}: '{missing}' is missing; "
                                                      "expected both lat and lon"))
        elif has_lat and not place.coordinates_sources:
            problems.append(error(node_at(read.node, "lat").location,
                                  f"{read.label}: coordinates without a source; expected "
                                  "'coordinates_sources: [id, …]' naming where they come "
                                  "from"))
        elif not has_lat and place.coordinates_sources:
            problems.append(error(node_at(read.node, "coordinates_sources").location,
                                  f"{read.label}: coordinates_sources without coordinates; "
                                  "expected lat and lon too"))


def _check_frame(record: Map, node_label: str, read_node: YamlNode,
                 problems: list[Diagnostic]) -> bool:
    frame = record.frame
    if frame is None:
        return True
    where = node_at(read_node, "frame").location
    if frame.west >= frame.east or frame.south >= frame.north:
        problems.append(error(where, f"{node_label}: frame: expected west < east and south < "
                                     "north"))
        return False
    shown = map_frame(record, {})
    if not shown.within(DATA_BOX):
        problems.append(error(where, f"{node_label}: frame ({shown.describe()}) reaches "
                                     "beyond the stored outlines; expected a frame within "
                                     f"{DATA_BOX.describe()}"))
        return False
    return True


def check_maps(found: Collected, places: Mapping[str, Place],
               problems: list[Diagnostic]) -> None:
    """Every problem of every valid map, located in maps.yaml."""
    known_outlines = outline_ids()
    for read in found.read:
        record = read.record
        if not isinstance(record, Map):
            continue
        before = len(problems)
        for index, ident in enumerate(record.highlight):
            if ident not in known_outlines:
                problems.append(error(node_at(read.node, "highlight", index).location,
                                      f"{read.label}: unknown outline '{ident}' to highlight "
                                      f"{closest_first(ident, known_outlines)}"))
        frame_ok = _check_frame(record, read.label, read.node, problems)
        frame = map_frame(record, places)
        seen: set[str] = set()
        for index, shown in enumerate(record.places):
            where = node_at(read.node, "places", index, "place").location
            place = places.get(shown.place)
            if place is None:
                continue  # an unknown place id is reported with the other references
            if shown.place in seen:
                problems.append(error(where, f"{read.label}: place '{shown.place}' is shown "
                                             "twice; expected each place once"))
            seen.add(shown.place)
            if place.lat is None or place.lon is None:
                problems.append(error(where, f"{read.label}: place '{place.id}' has no "
                                             "coordinates; expected lat, lon and "
                                             "coordinates_sources in its places.yaml entry"))
            elif frame_ok and not frame.contains(place.lat, place.lon):
                problems.append(error(where, f"{read.label}: place '{place.id}' "
                                             f"({place.lat:g}, {place.lon:g}) is outside the "
                                             f"map's frame ({frame.describe()}); expected a "
                                             "frame that includes it"))
        if len(problems) > before or not frame.within(DATA_BOX):
            continue  # labels are laid out only for maps that are otherwise right
        for canvas in CANVASES:
            for ident in lay_out(record, places, canvas).unplaced:
                index = [s.place for s in record.places].index(ident)
                problems.append(error(node_at(read.node, "places", index, "place").location,
                                      f"{read.label}: no room for the label of '{ident}' at "
                                      f"{canvas.described} ({canvas.width:g} units wide); "
                                      "expected fewer or shorter labels, or a larger frame"))
