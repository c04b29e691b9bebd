"""An explainer's charts and maps as finished figures, ready to be placed on its page.

The drawing is made in Python (``charts``, ``maps``); the figure around it (caption,
note, sources, the table of numbers or the list of places) comes from a template, like
the rest of the page. Every figure is made once, before the page, so the article can
place it with a '::: chart <id>' line and the key figures can show those it does not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.geo import CANVASES, load_outlines
from generator.model import Explainer
from generator.records import Chart, Map, Place
from generator.render.charts import chart_svg, number_text
from generator.render.maps import map_svg
from generator.render.templates import render_template

Graphics = dict[tuple[str, str], Markup]
"""(kind name, id) -> the figure's HTML: ("chart", "us-troops") -> <figure …>."""


def coordinates(place: Place) -> str:
    """'37.4917° N, 71.5558° E', as precise as the source gave them."""
    lat, lon = place.lat or 0, place.lon or 0
    return f"{abs(lat):g}° {'N' if lat >= 0 else 'S'}, {abs(lon):g}° {'E' if lon >= 0 else 'W'}"


def render_graphics(env: jinja2.Environment, templates_dir: Path, explainer: Explainer,
                    helpers: Mapping[str, Callable[..., Any]]) -> Graphics:
    """Every chart and map of one explainer, through partials/chart.html and map.html."""
    graphics: Graphics = {}
    for chart in explainer.of(Chart):
        graphics["chart", chart.id] = Markup(render_template(
            env, templates_dir, "partials/chart.html",
            {**helpers, "chart": chart, "svg": chart_svg(chart), "number": number_text,
             "remarks": any(p.wording or p.note or p.sources
                            for s in chart.series for p in s.points)}))
    places = {p.id: p for p in explainer.of(Place)}
    names = {o.id: o.name for o in load_outlines()}
    for record in explainer.of(Map):
        graphics["map", record.id] = Markup(render_template(
            env, templates_dir, "partials/map.html",
            {**helpers, "map": record, "places": places,
             "regions": [names[i] for i in record.highlight],
             "drawings": [map_svg(record, places, canvas) for canvas in CANVASES]}))
    return graphics
