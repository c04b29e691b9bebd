"""What makes a chart's numbers chartable: checks across a chart's series and points.

Each field was read on its own already (a point's value is a number, its date a real
date); here the points must agree with each other and with their chart: one unit per
chart, dates in order, one precision for dated bars, a source for every number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.errors import Diagnostic, SourceLocation, error
from generator.geo import text_width
from generator.raw import YamlMapping, YamlNode, YamlSequence
from generator.records import Chart, Point, Series
from generator.validate.records import Collected

MAX_LINES = 4  # series in one line chart: more cannot be told apart by colour and shape
LABEL_FONT = 14  # the size a bar's label is set at (px), as in the stylesheet
PHONE_WIDTH = 288  # a chart's width on a 320 px screen: labels cannot wrap in SVG


def node_at(node: YamlNode, *path: str | int) -> YamlNode:
    """The YAML node at a path of keys and list positions, or the deepest one there is."""
    for step in path:
        if isinstance(step, str) and isinstance(node, YamlMapping):
            found = node.get(step)
        elif isinstance(step, int) and isinstance(node, YamlSequence) and \
                step < len(node.items):
            found = node.items[step]
        else:
            found = None
        if found is None:
            return node
        node = found
    return node


@dataclass(frozen=True, slots=True)
class _Checker:
    chart: Chart
    node: YamlNode
    label: str
    problems: list[Diagnostic]

    def at(self, *path: str | int) -> SourceLocation:
        return node_at(self.node, *path).location

    def say(self, where: SourceLocation, message: str) -> None:
        self.problems.append(error(where, f"{self.label}: {message}"))


def _point_problems(chart: Chart, point: Point) -> Iterator[tuple[str, str]]:
    """(field to point at, what is wrong) for one point on its own."""
    if (point.date is None) == (point.label is None):
        yield ("date" if point.date else "label",
               "a point needs either a 'date' or a 'label', not both" if point.date else
               "a point needs a 'date' (YYYY, YYYY-MM or YYYY-MM-DD) or a 'label'")
    if point.value is not None and (point.low is not None or point.high is not None):
        yield "low" if point.low is not None else "high", \
            "a point has a 'value' or a range ('low' and 'high'), not both"
    elif point.value is None and (point.low is None or point.high is None):
        yield "value", "a point needs a 'value', or 'low' and 'high' where sources disagree"
    elif point.low is not None and point.high is not None and point.low > point.high:
        yield "low", (f"low ({point.low:g}) is above high ({point.high:g}); expected low <= "
                      "high")
    if min(point.bottom, point.top) < 0:
        yield "value", "negative numbers cannot be charted yet; expected 0 or more"
    if not point.sources and not chart.sources:
        yield "sources", ("no sources for this number, and the chart has none; expected "
                          "'sources: [id, …]' on the point or on the chart")
    if chart.kind == "line" and point.label is not None and point.date is None:
        yield "label", "a line chart needs dated points; expected 'date' (or kind: bar)"
    elif point.label is not None and text_width(point.label, LABEL_FONT) > PHONE_WIDTH:
        yield "label", (f"label '{point.label}' is too long for a phone screen (about "
                        f"{text_width(point.label, LABEL_FONT):.0f} px; {PHONE_WIDTH} px fit); "
                        "expected a shorter label, with details in the chart's note")


def _check_series(check: _Checker, index: int, series: Series) -> None:
    chart = check.chart
    if series.unit is not None and series.unit != chart.unit:
        check.say(check.at("series", index, "unit"),
                  f"series unit '{series.unit}' does not match the chart's unit "
                  f"'{chart.unit}'; expected one unit per chart (it has one axis)")
    dated = [p.date is not None for p in series.points]
    for number, point in enumerate(series.points):
        where = ("series", index, "points", number)
        for field, message in _point_problems(chart, point):
            check.say(check.at(*where, field), message)
        if chart.kind == "bar" and dated[number] != dated[0] and \
                (point.date is None) != (point.label is None):
            check.say(check.at(*where), "a series has dated points or labelled points, not "
                                        "both; expected every point like the first")
    dates = [p.date for p in series.points if p.date is not None]
    if len(dates) != len(series.points):
        return
    for number in range(1, len(dates)):
        earlier, later = dates[number - 1], dates[number]
        if later.sort_key <= earlier.sort_key:
            check.say(check.at("series", index, "points", number, "date"),
                      f"date '{later}' is not after '{earlier}'; expected points in date "
                      "order, each date once")
    precisions = sorted({d.precision for d in dates})
    if chart.kind == "bar" and len(precisions) > 1:
        odd = next(n for n, d in enumerate(dates) if d.precision != dates[0].precision)
        check.say(check.at("series", index, "points", odd, "date"),
                  f"mixed date precisions ({', '.join(precisions)}) in a bar chart; expected "
                  f"every bar to cover the same length of time (all {dates[0].precision}s)")


def check_charts(found: Collected, problems: list[Diagnostic]) -> None:
    """Every problem of every valid chart, each where it was written."""
    for read in found.read:
        chart = read.record
        if not isinstance(chart, Chart):
            continue
        check = _Checker(chart, read.node, read.label, problems)
        if chart.kind == "bar" and len(chart.series) > 1:
            check.say(check.at("series", 1), "a bar chart has one series; expected one, or "
                                             "kind: line")
        if chart.kind == "line" and len(chart.series) > MAX_LINES:
            check.say(check.at("series", MAX_LINES), f"more than {MAX_LINES} series in one "
                                                     "chart; expected at most "
                                                     f"{MAX_LINES}")
        names = [s.name for s in chart.series]
        for index, series in enumerate(chart.series):
            if len(chart.series) > 1 and (series.name is None or
                                          names.index(series.name) != index):
                check.say(check.at("series", index), "series in one chart need different "
                                                     "names; expected 'name: …' on each, for "
                                                     "the legend")
            _check_series(check, index, series)
