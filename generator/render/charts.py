"""Charts as inline SVG, drawn at build time; the page needs no script to show them.

Horizontal positions are percentages of the chart's width and vertical ones are pixels,
so one drawing fits a 320 px phone and a wide screen alike and its text keeps its size.
Shapes that need both (the cap of a range) sit in a nested <svg> placed at a percentage.
Colours come from CSS custom properties (classes only here), so dark mode and print
restyle them.
"""

from __future__ import annotations

import itertools
from html import escape

from markupsafe import Markup

from generator.records import Chart, Point
from generator.render.axes import (
    TimeScale,
    format_number,
    minor_years,
    period,
    time_scale,
    time_ticks,
    value_ticks,
)

PLOT_TOP = 30.0  # room for the top tick's label
PLOT_HEIGHT = 190.0
LEFT, RIGHT = 1.5, 98.5  # the plot's horizontal extent, in per cent
BAR_ROW = 44.0
BAR_SPAN = 78.0  # per cent of the width the longest scale tick takes in a bar chart


def _pct(share: float) -> str:
    return f"{LEFT + share * (RIGHT - LEFT):.3f}%"


def _y(value: float, top: float) -> float:
    return round(PLOT_TOP + PLOT_HEIGHT * (1 - value / top), 2)


def number_text(point: Point) -> str:
    if point.value is not None:
        return format_number(point.value)
    return f"{format_number(point.low or 0)}\u2013{format_number(point.high or 0)}"


def _svg(chart: Chart, height: float, body: list[str], summary: str) -> Markup:
    ident = f"chart-{chart.id}"
    return Markup(
        f'<svg class="chart-svg chart-{chart.kind}" width="100%" height="{height:g}" '
        f'role="img" aria-labelledby="{ident}-svg-title {ident}-svg-desc">'
        f'<title id="{ident}-svg-title">{escape(chart.title)}</title>'
        f'<desc id="{ident}-svg-desc">{escape(summary)}</desc>' + "".join(body) + "</svg>")


def _value_axis(ticks: list[float], unit: str) -> list[str]:
    parts = []
    for number, tick in enumerate(ticks):
        y = _y(tick, ticks[-1])
        name = "chart-axis" if tick == 0 else "chart-grid"
        text = format_number(tick) + (f" {unit}" if number == len(ticks) - 1 else "")
        parts.append(f'<line class="{name}" x1="0" x2="100%" y1="{y}" y2="{y}"/>')
        parts.append(f'<text class="chart-tick" x="0" y="{y - 5}">{escape(text)}</text>')
    return parts


def _time_axis(scale: TimeScale) -> list[str]:
    base = PLOT_TOP + PLOT_HEIGHT
    parts = [f'<line class="chart-tick-mark" x1="{_pct(scale.share(day))}" '
             f'x2="{_pct(scale.share(day))}" y1="{base}" y2="{base + 4}"/>'
             for day in minor_years(scale)]
    for day, text in time_ticks(scale):
        share = scale.share(day)
        anchor = "start" if share < 0.06 else "end" if share > 0.94 else "middle"
        parts.append(f'<line class="chart-axis" x1="{_pct(share)}" x2="{_pct(share)}" '
                     f'y1="{base}" y2="{base + 7}"/>')
        parts.append(f'<text class="chart-tick" x="{_pct(share)}" y="{base + 21}" '
                     f'text-anchor="{anchor}">{escape(text)}</text>')
    return parts


def _line_series(chart: Chart, scale: TimeScale, top: float) -> list[str]:
    parts = []
    for number, series in enumerate(chart.series, 1):
        points = [(scale.middle(p.date), _y((p.bottom + p.top) / 2, top), p)
                  for p in series.points if p.date is not None]
        parts.append(f'<g class="chart-series series-{number}">')
        for (x1, y1, _a), (x2, y2, _b) in itertools.pairwise(points):
            parts.append(f'<line class="chart-line" x1="{_pct(x1)}" y1="{y1}" '
                         f'x2="{_pct(x2)}" y2="{y2}"/>')
        for x, y, point in points:
            assert point.date is not None
            if point.date.precision != "day":  # the whole period the value is dated to
                first, after = period(point.date)
                parts.append(f'<line class="chart-period" x1="{_pct(scale.share(first))}" '
                             f'x2="{_pct(scale.share(after))}" y1="{y}" y2="{y}"/>')
            if point.value is None:
                high, low = _y(point.top, top), _y(point.bottom, top)
                parts.append(f'<svg x="{_pct(x)}" y="0" overflow="visible">'
                             f'<rect class="chart-range" x="-3.5" y="{high}" width="7" '
                             f'height="{max(low - high, 1):.2f}"/></svg>')
            parts.append(f'<circle class="chart-point" cx="{_pct(x)}" cy="{y}" r="3.5"/>')
        parts.append("</g>")
    return parts


def _dated_bars(chart: Chart, scale: TimeScale, top: float) -> list[str]:
    parts = ['<g class="chart-series series-1">']
    for point in chart.series[0].points:
        assert point.date is not None
        first, after = period(point.date)
        left, right = scale.share(first), scale.share(after)
        inset = (right - left) * 0.1
        x, width = _pct(left + inset), f"{(right - left - 2 * inset) * (RIGHT - LEFT):.3f}%"
        base = PLOT_TOP + PLOT_HEIGHT
        parts.append(f'<rect class="chart-bar" x="{x}" width="{width}" '
                     f'y="{_y(point.bottom, top)}" height="{base - _y(point.bottom, top):.2f}"/>')
        if point.value is None:
            parts.append(f'<rect class="chart-range" x="{x}" width="{width}" '
                         f'y="{_y(point.top, top)}" '
                         f'height="{_y(point.bottom, top) - _y(point.top, top):.2f}"/>')
    return [*parts, "</g>"]


def _labelled_bars(chart: Chart) -> tuple[list[str], float]:
    points = chart.series[0].points
    ticks = value_ticks(max(p.top for p in points))
    scale = BAR_SPAN / ticks[-1]
    bottom = len(points) * BAR_ROW
    parts = []
    for tick in ticks:
        x = f"{tick * scale:.3f}%"
        parts.append(f'<line class="{"chart-axis" if tick == 0 else "chart-grid"}" x1="{x}" '
                     f'x2="{x}" y1="0" y2="{bottom + 4}"/>')
        anchor = "start" if tick == 0 else "middle"
        parts.append(f'<text class="chart-tick" x="{x}" y="{bottom + 19}" '
                     f'text-anchor="{anchor}">{escape(format_number(tick))}</text>')
    parts.append('<g class="chart-series series-1">')
    for row, point in enumerate(points):
        top = row * BAR_ROW
        parts.append(f'<text class="chart-label" x="0" y="{top + 14}">'
                     f'{escape(point.label or "")}</text>')
        parts.append(f'<rect class="chart-bar" x="0" y="{top + 20}" '
                     f'width="{point.bottom * scale:.3f}%" height="14"/>')
        if point.value is None:
            parts.append(f'<rect class="chart-range" x="{point.bottom * scale:.3f}%" '
                         f'y="{top + 20}" width="{(point.top - point.bottom) * scale:.3f}%" '
                         'height="14"/>')
        parts.append(f'<text class="chart-value" x="{point.top * scale:.3f}%" dx="6" '
                     f'y="{top + 32}">{escape(number_text(point))}</text>')
    parts.append("</g>")
    return parts, bottom + 26


def summary(chart: Chart) -> str:
    """What the picture shows, for those who cannot see it; the table has every number."""
    points = [p for s in chart.series for p in s.points]
    tops = [p.top for p in points]
    what = "Bar chart" if chart.kind == "bar" else "Line chart"
    dates = [p.date for p in points if p.date is not None]
    span = f" from {dates[0].display()} to {dates[-1].display()}" if dates else ""
    return (f"{what} of {len(points)} values{span}, in {chart.unit}, from "
            f"{format_number(min(p.bottom for p in points))} to {format_number(max(tops))}. "
            "Every number is in the table that follows the chart.")


def chart_svg(chart: Chart) -> Markup:
    """The chart's drawing, with a title and a description for screen readers."""
    if chart.kind == "bar" and chart.series[0].points[0].date is None:
        body, height = _labelled_bars(chart)
        return _svg(chart, height, body, summary(chart))
    dates = [p.date for s in chart.series for p in s.points if p.date is not None]
    scale = time_scale(dates)
    ticks = value_ticks(max(p.top for s in chart.series for p in s.points))
    body = _value_axis(ticks, chart.unit) + _time_axis(scale)
    if chart.kind == "bar":
        body += _dated_bars(chart, scale, ticks[-1])
    else:
        body += _line_series(chart, scale, ticks[-1])
    return _svg(chart, PLOT_TOP + PLOT_HEIGHT + 28, body, summary(chart))
