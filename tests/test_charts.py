"""Charts drawn from YAML: their geometry follows the numbers and the calendar."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from generator.dates import parse_partial_date
from generator.pipeline import Project, make_site
from generator.records import Chart, Point, Series
from generator.render.axes import format_number, time_scale, time_ticks, value_ticks
from generator.render.charts import LEFT, RIGHT, chart_svg

from conftest import FIXTURES, TEMPLATES, write_files

SLUG = "sample-explainer"


def chart(kind: str, *points: Point, unit: str = "people") -> Chart:
    return Chart(id="sample", title="A sample", kind=kind, unit=unit,
                 series=(Series(points=points),), sources=("sample-report",))


def dated(date: str, value: float | None = None, low: float | None = None,
          high: float | None = None) -> Point:
    return Point(date=parse_partial_date(date), value=value, low=low, high=high)


def labelled(label: str, value: float | None = None, low: float | None = None,
             high: float | None = None) -> Point:
    return Point(label=label, value=value, low=low, high=high)


def shapes(svg: str, name: str, tag: str = "rect") -> list[dict[str, str]]:
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', m)) for m in
            re.findall(rf'<{tag} class="{name}"([^>]*)/>', svg)]


def pct(value: str) -> float:
    return float(value.rstrip("%"))


def test_a_value_twice_as_big_draws_twice_as_long():
    svg = chart_svg(chart("bar", labelled("A", 150), labelled("B", 300), labelled("C", 75)))
    widths = [pct(bar["width"]) for bar in shapes(svg, "chart-bar")]
    assert widths[1] == pytest.approx(2 * widths[0])
    assert widths[0] == pytest.approx(2 * widths[2])


def test_dated_bars_grow_up_from_the_axis_in_proportion():
    svg = chart_svg(chart("bar", dated("2002", 5200), dated("2003", 10400)))
    bars = shapes(svg, "chart-bar")
    heights = [float(bar["height"]) for bar in bars]
    assert heights[1] == pytest.approx(2 * heights[0])
    bottoms = {round(float(b["y"]) + float(b["height"]), 6) for b in bars}
    assert len(bottoms) == 1, "every bar stands on the same axis"


def test_dates_are_spaced_by_time_whatever_their_precision():
    svg = chart_svg(chart("line", dated("2001", 10), dated("2011", 20), dated("2012", 30)))
    xs = [pct(c["cx"]) for c in shapes(svg, "chart-point", "circle")]
    assert xs[1] - xs[0] == pytest.approx(10 * (xs[2] - xs[1]), rel=0.01)
    days = chart_svg(chart("line", dated("2020-01-01", 1), dated("2020-01-11", 2),
                           dated("2020-01-31", 3)))
    xs = [pct(c["cx"]) for c in shapes(days, "chart-point", "circle")]
    assert xs[2] - xs[1] == pytest.approx(2 * (xs[1] - xs[0]))


def test_a_date_of_a_year_marks_the_whole_year():
    svg = chart_svg(chart("line", dated("2010", 100), dated("2012-07-01", 50)))
    period = shapes(svg, "chart-period", "line")[0]
    scale = time_scale([parse_partial_date("2010"), parse_partial_date("2012-07-01")])
    year = (RIGHT - LEFT) * 365 / (scale.end.toordinal() - scale.start.toordinal())
    assert pct(period["x2"]) - pct(period["x1"]) == pytest.approx(year, abs=0.002)
    point = shapes(svg, "chart-point", "circle")[0]
    assert pct(point["cx"]) == pytest.approx((pct(period["x1"]) + pct(period["x2"])) / 2,
                                             abs=0.01)


def test_a_contested_value_is_drawn_as_its_range():
    svg = chart_svg(chart("line", dated("2009", 30000), dated("2010", low=100000, high=101000),
                          dated("2011", 66000)))
    rect = re.search(r'<rect class="chart-range" x="-3.5" y="([\d.]+)" width="7" '
                     r'height="([\d.]+)"/>', svg)
    assert rect, svg
    ticks = value_ticks(101000)
    plot = 190.0
    assert float(rect[2]) == pytest.approx(plot * 1000 / ticks[-1], abs=0.02)
    bars = chart_svg(chart("bar", labelled("Police", 100), labelled("Organisers", low=100,
                                                                      high=120)))
    solid, extra = shapes(bars, "chart-bar")[1], shapes(bars, "chart-range")[0]
    assert pct(extra["x"]) == pytest.approx(pct(solid["width"]))
    assert pct(extra["width"]) == pytest.approx(pct(solid["width"]) * 0.2)
    assert "100–120" in bars


def test_axis_labels_have_thousands_separators_and_start_at_zero():
    svg = chart_svg(chart("line", dated("2001", 1300), dated("2010", 101000)))
    labels = re.findall(r'<text class="chart-tick" x="0" y="[\d.]+">([^<]+)</text>', svg)
    assert labels == ["0", "25,000", "50,000", "75,000", "100,000", "125,000 people"]
    assert format_number(1037) == "1,037" and format_number(2.5) == "2.5"


def test_time_ticks_fit_a_phone():
    scale = time_scale([parse_partial_date("2001-11"), parse_partial_date("2021-08-30")])
    assert [label for _day, label in time_ticks(scale)] == ["2005", "2010", "2015", "2020"]
    short = time_scale([parse_partial_date("2021-07-04"), parse_partial_date("2021-08-30")])
    assert [label for _day, label in time_ticks(short)] == ["Jul 2021", "Aug 2021", "Sep 2021"]


def test_the_drawing_is_described_for_screen_readers():
    svg = chart_svg(chart("line", dated("2001-11", 1300), dated("2021-08-30", 0)))
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-sample-svg-title chart-sample-svg-desc"' in svg
    assert '<title id="chart-sample-svg-title">A sample</title>' in svg
    assert ("<desc id=\"chart-sample-svg-desc\">Line chart of 2 values from November 2001 to "
            "30 August 2021, in people, from 0 to 1,300.") in svg
    assert "style=" not in svg and "<script" not in svg


@pytest.fixture
def charted(tmp_path) -> Project:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "p")
    write_files(tmp_path / "p" / "content" / SLUG, {
        "charts.yaml": """
            - id: sample-trend
              title: People at the sample, by year
              kind: line
              unit: people
              as_of: 2024
              series:
                - name: Counted
                  points:
                    - {date: 2021, value: 1200, wording: "about 1,200", sources: [sample-report]}
                    - {date: 2023-05, low: 1400, high: 1500, sources: [sample-history]}
                - name: Estimated
                  points:
                    - {date: 2022, value: 1300, sources: [sample-report]}
            - id: sample-days
              title: People at the sample, by day
              kind: bar
              unit: people
              as_of: 2024-03-05
              sources: [sample-report]
              series:
                - points:
                    - {label: Monday, value: 100}
                    - {label: Tuesday, value: 120}
            """,
        "article.md": (FIXTURES / "minimal" / "content" / SLUG / "article.md").read_text()
        + "\n::: chart sample-trend\n",
    })
    return Project(tmp_path / "p" / "content", TEMPLATES, tmp_path / "p" / "site")


def test_charts_are_placed_once_with_their_numbers_and_sources(charted: Project):
    page = make_site(charted).files[f"{SLUG}/index.html"].decode()
    assert page.count('id="chart-sample-trend"') == 1 and page.count('id="chart-sample-days"') == 1
    article = page.split('<div class="article-text">')[1].split("</section>")[0]
    assert 'id="chart-sample-trend"' in article, "placed by '::: chart' in the article"
    figures = page.split('id="more-figures"')[1].split("</section>")[0]
    assert 'id="chart-sample-days"' in figures, "not placed anywhere: under More figures"
    table = page.split('id="chart-sample-trend"')[1].split("</figure>")[0]
    assert "<td class=\"num\">1,400–1,500</td>" in table and "about 1,200" in table
    assert '<span class="chart-swatch series-2"></span>Estimated' in table
    assert re.search(r'href="#source-sample-history"', table)


def test_charts_reach_facts_json_with_every_point(charted: Project):
    facts = json.loads(make_site(charted).files[f"{SLUG}/facts.json"])
    trend = facts["charts"][0]
    assert trend["series"][0]["points"][1]["low"] == 1400
    assert trend["series"][0]["points"][0]["date"]["precision"] == "year"


def test_chart_and_map_colours_stand_out_in_both_schemes():
    """WCAG 1.4.11: shapes that carry meaning 3:1 against what is behind them; text 4.5:1."""
    css = (TEMPLATES / "assets" / "style.css").read_text()
    light, dark = css.split("@media (prefers-color-scheme: dark)")[:2]

    def colours(block: str) -> dict[str, str]:
        return dict(re.findall(r"--([a-z0-9-]+): (#[0-9a-f]{6});", block))

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for scheme in (colours(light), {**colours(light), **colours(dark)}):
        for shape in ("chart-1", "chart-2", "chart-3", "chart-4", "chart-range", "chart-axis"):
            assert contrast(scheme[shape], scheme["bg"]) >= 3, shape
        for line, ground in (("map-border", "map-land"), ("map-border", "map-focus"),
                             ("accent", "map-focus"), ("accent", "map-land")):
            assert contrast(scheme[line], scheme[ground]) >= 3, (line, ground)
        for text, ground in (("text", "map-focus"), ("text", "map-land"),
                             ("text", "map-highlight"), ("accent", "map-highlight"),
                             ("muted", "map-land"), ("muted", "bg")):
            assert contrast(scheme[text], scheme[ground]) >= 4.5, (text, ground)
