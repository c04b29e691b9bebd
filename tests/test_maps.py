"""Locator maps: the projection puts places where they are, and labels never collide."""

from __future__ import annotations

import itertools
import re
import shutil

import pytest

from generator.geo import CANVASES, DATA_BOX, Frame, Label, Projection, lay_out, place_labels
from generator.geo.outlines import clip, contains, load_outlines
from generator.pipeline import Project, make_site
from generator.records import Map, MapFrame, MapPlace, Place

from conftest import FIXTURES, TEMPLATES, write_files

SLUG = "sample-explainer"
FRAME = Frame(west=66.3, south=34.0, east=74.2, north=39.3)
# Worked out by hand: x = (lon - west) / (east - west) * width; y = (north - lat) * scale,
# scale = width / ((east - west) * cos(36.65°)) = 100.976 at 640 wide.
KNOWN = {  # (lat, lon) -> (x, y) at 640 wide
    (34.533, 69.167): (232.26, 481.35),  # Kabul
    (38.533, 68.783): (201.15, 77.45),  # Dushanbe
    (37.49167, 71.55583): (425.79, 182.60),  # Khorog
}


def test_known_coordinates_land_where_worked_out_by_hand():
    projection = Projection(FRAME, 640)
    assert projection.height == pytest.approx(535.17, abs=0.01)
    assert projection.point(FRAME.north, FRAME.west) == pytest.approx((0, 0))
    assert projection.point(FRAME.south, FRAME.east) == pytest.approx((640, 535.17), abs=0.01)
    for (lat, lon), expected in KNOWN.items():
        assert projection.point(lat, lon) == pytest.approx(expected, abs=0.01)


def place(ident: str, lat: float, lon: float, name: str = "") -> Place:
    from generator.errors import SourceLocation
    from generator.raw import Prose
    return Place(id=ident, name=name or ident.title(), text=Prose(
        text="A place.", location=SourceLocation("x")), sources=("s",), lat=lat, lon=lon,
        coordinates_sources=("s",))


def test_outlines_are_clipped_to_the_frame_and_know_what_they_contain():
    outlines = {o.id: o for o in load_outlines()}
    for ring in outlines["AFG"].rings:
        for lon, lat in clip(ring, FRAME):
            assert FRAME.west - 1e-9 <= lon <= FRAME.east + 1e-9
            assert FRAME.south - 1e-9 <= lat <= FRAME.north + 1e-9
    assert contains(outlines["AFG"], 34.533, 69.167) and not contains(outlines["TJK"], 34.533,
                                                                       69.167)
    assert contains(outlines["TJK"], 38.533, 68.783)
    assert contains(outlines["AF-BDS"], 37.1175, 70.57972)  # Faizabad, in Badakhshan
    assert FRAME.within(DATA_BOX)


def overlaps(placed) -> list[tuple[str, str]]:
    return [(a.key, b.key) for a, b in itertools.combinations(placed, 2)
            if a.box.overlaps(b.box)]


def test_crowded_labels_move_aside_and_never_overlap():
    points = [(200 + dx, 200 + dy) for dx, dy in ((0, 0), (12, 6), (-10, 14), (6, -16),
                                                  (20, 20), (-18, -8))]
    labels = [Label(f"p{i}", x, y, (f"Place {i}", "123 people"), 4) for i, (x, y)
              in enumerate(points)]
    markers = [m for m in _markers(labels)]
    placed, missing = place_labels(labels, 400, 400, 12, markers)
    assert missing == [] and overlaps(placed) == []
    assert len({p.anchor for p in placed}) > 1, "some labels had to move to other sides"
    for label in placed:
        assert label.box.inside(400, 400)
        assert not any(label.box.overlaps(m) for m in markers)


def _markers(labels):
    from generator.geo import markers_of
    return markers_of(labels)


def test_a_label_with_no_room_is_reported_not_drawn():
    labels = [Label("long", 50, 50, ("A name far too long to fit on a map this small",), 4)]
    placed, missing = place_labels(labels, 100, 100, 12, _markers(labels))
    assert placed == [] and missing == ["long"]


@pytest.fixture
def mapped(tmp_path) -> Project:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "p")
    places = (FIXTURES / "minimal" / "content" / SLUG / "places.yaml").read_text()
    write_files(tmp_path / "p" / "content", {f"{SLUG}/places.yaml": places + "".join(
        f"""- id: known-{number}
  name: Known {number}
  text: A place whose coordinates are known.
  sources: [sample-report]
  lat: {lat}
  lon: {lon}
  coordinates_sources: [sample-history]
""" for number, (lat, lon) in enumerate(KNOWN)), f"{SLUG}/maps.yaml": """
- id: sample-map
  title: Where the sample happened
  frame: {west: 66.3, south: 34.0, east: 74.2, north: 39.3}
  highlight: [AF-BDS]
  places:
    - {place: known-0, label: 120 people}
    - {place: known-1}
    - {place: known-2, name: Third place, note: "Counted twice [@sample-report]."}
  sources: [sample-report]
"""})
    return Project(tmp_path / "p" / "content", TEMPLATES, tmp_path / "p" / "site")


def test_the_drawn_map_puts_each_marker_at_its_coordinates(mapped: Project):
    page = make_site(mapped).files[f"{SLUG}/index.html"].decode()
    for canvas in CANVASES:
        drawing = page.split(f'class="map-svg map-{canvas.name}"')[1].split("</svg>")[0]
        markers = [(float(x), float(y)) for x, y in
                   re.findall(r'<circle class="map-marker[^"]*" cx="([\d.]+)" cy="([\d.]+)"',
                              drawing)]
        ratio = canvas.width / 640
        expected = [(x * ratio, y * ratio) for x, y in KNOWN.values()]
        for (x, y), (ex, ey) in zip(markers, expected, strict=True):
            assert abs(x - ex) <= 1 and abs(y - ey) <= 1, (canvas.name, (x, y), (ex, ey))


def test_the_map_has_a_text_alternative_and_the_page_stays_one_of_a_kind(mapped: Project):
    page = make_site(mapped).files[f"{SLUG}/index.html"].decode()
    figure = page.split('id="map-sample-map"')[1].split("</figure>")[0]
    assert figure.count('role="img"') == len(CANVASES)
    assert "What the map shows" in figure
    assert 'href="#place-known-2">Known 2</a>' in figure and "Counted twice" in figure
    assert "34.533° N, 69.167° E" in figure and "Shaded: Badakhshan." in figure
    assert "Natural Earth" in figure
    assert 'class="entity-coordinates">37.4917° N, 71.5558° E' in page.replace(
        "37.49167° N, 71.55583° E", "37.4917° N, 71.5558° E")


def test_every_label_of_a_map_fits_every_canvas():
    record = Map(id="m", title="M", places=tuple(MapPlace(place=p) for p in ("a", "b", "c")),
                 frame=MapFrame(west=66.3, south=34.0, east=74.2, north=39.3),
                 highlight=("AF-BDS", "AF-TAK", "AF-KDZ"))
    places = {"a": place("a", 34.533, 69.167, "Kabul"),
              "b": place("b", 38.533, 68.783, "Dushanbe"),
              "c": place("c", 37.49167, 71.55583, "Khorog")}
    for canvas in CANVASES:
        layout = lay_out(record, places, canvas)
        assert layout.unplaced == ()
        assert overlaps(layout.labels) == []
        assert all(p.box.inside(canvas.width, layout.projection.height) for p in layout.labels)
        assert {p.key for p in layout.labels} >= {"a", "b", "c", "region:AF-BDS"}
