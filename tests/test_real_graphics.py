"""The charts and the map of the real explainers: true to their sources, and readable."""

from __future__ import annotations

import itertools
import re
from html import unescape

import pytest

from generator.geo import CANVASES, lay_out
from generator.pipeline import BuildResult
from generator.records import Chart, Map, Place

from realsite import build_real_site, by_slug

BORDER = "afghanistan-tajikistan-2021"
WITHDRAWAL = "us-withdrawal-afghanistan-2021"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_real_site(tmp_path_factory.mktemp("real") / "site")


def record(result: BuildResult, slug: str, kind: type, ident: str):
    found = [r for r in by_slug(result, slug).of(kind) if r.id == ident]
    assert found, f"{slug}: no {kind.__name__} '{ident}'"
    return found[0]


def figure(result: BuildResult, slug: str, anchor: str) -> str:
    page = result.files[f"{slug}/index.html"].decode()
    return page.split(f'id="{anchor}"')[1].split("</figure>")[0]


def test_the_crossings_chart_adds_up_to_the_tajik_count_of_1037(result: BuildResult):
    chart = record(result, BORDER, Chart, "crossings-by-point")
    points = chart.series[0].points
    assert [p.value for p in points] == [104, 213, 83, 173, 312, 102, 50]
    assert sum(p.value for p in points) == 1037
    assert "casian-2021-07-05" in chart.sources  # the border troops' statement itself
    assert chart.as_of is not None and chart.as_of.iso() == "2021-07-05"


def test_the_map_shows_the_border_districts_with_their_counts(result: BuildResult):
    shown = record(result, BORDER, Map, "border-crossings")
    assert shown.highlight == ("AF-BDS", "AF-TAK", "AF-KDZ")  # Badakhshan, Takhar, Kunduz
    places = [p.place for p in shown.places]
    assert {"kabul", "mazar-i-sharif", "dushanbe"} <= set(places)
    counts = [int(p.label.split()[0]) for p in shown.places if p.label]
    assert sorted(counts) == [104, 152, 173, 296, 312] and sum(counts) == 1037
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", figure(result, BORDER,
                                                              "map-border-crossings"))).split())
    assert "not which group of soldiers came from which" in text, \
        "the statement does not say which Afghan district each group came from"
    assert "Shaded: Badakhshan, Takhar, Kunduz." in text


def test_every_place_on_the_map_has_sourced_coordinates(result: BuildResult):
    explainer = by_slug(result, BORDER)
    places = {p.id: p for p in explainer.of(Place)}
    for shown in record(result, BORDER, Map, "border-crossings").places:
        place = places[shown.place]
        assert place.lat is not None and place.coordinates_sources, place.id


def test_the_map_labels_fit_every_canvas_without_overlap(result: BuildResult):
    explainer = by_slug(result, BORDER)
    places = {p.id: p for p in explainer.of(Place)}
    shown = record(result, BORDER, Map, "border-crossings")
    for canvas in CANVASES:
        layout = lay_out(shown, places, canvas)
        assert layout.unplaced == ()
        boxes = [p.box for p in layout.labels]
        assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
        assert {p.key for p in layout.labels} >= {p.place for p in shown.places}


def test_the_us_troops_chart_spans_the_twenty_years(result: BuildResult):
    chart = record(result, WITHDRAWAL, Chart, "us-troops")
    points = chart.series[0].points
    assert points[0].date.iso() == "2001-11" and points[0].value == 1300
    assert points[-1].date.iso() == "2021-08-30" and points[-1].value == 0
    peak = max(points, key=lambda p: p.top)
    assert peak.date.iso() == "2010" and (peak.low, peak.high) == (100000, 101000)
    assert all(p.sources for p in points)
    page = result.files[f"{WITHDRAWAL}/index.html"].decode()
    article = page.split('<div class="article-text">')[1].split("</section>")[0]
    assert 'id="chart-us-troops"' in article, "placed in the article by '::: chart us-troops'"
    table = figure(result, WITHDRAWAL, "chart-us-troops")
    assert "100,000–101,000" in table and "about 1,300" in table
