"""Locator maps as inline SVG: stored outlines, places and labels, no tiles, no script.

Each map is drawn once per canvas (a phone's width and a wide one) from the same layout
that validation checked; the stylesheet shows the one that fits. Colours are classes
styled by CSS custom properties, so dark mode and print restyle them.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from markupsafe import Markup

from generator.geo import Canvas, Layout, Placed, lay_out
from generator.geo.layout import AREA_FONT, MARKER_RADIUS
from generator.geo.outlines import contains, load_outlines, projected, svg_path
from generator.records import Map, Place


def _outlines(record: Map, layout: Layout) -> list[str]:
    """Land, then highlighted outlines, then province lines, then country borders."""
    shown = projected(layout.projection)
    focus = {o.id for o, _rings in shown if o.kind == "country" and any(
        contains(o, m.place.lat or 0, m.place.lon or 0) for m in layout.markers)}
    land, highlight, lines, borders = [], [], [], []
    for outline, rings in shown:
        d = svg_path(rings)
        if outline.kind == "country":
            name = "map-land map-focus" if outline.id in focus else "map-land"
            land.append(f'<path class="{name}" fill-rule="evenodd" d="{d}"/>')
            borders.append(f'<path class="map-border" d="{d}"/>')
        else:
            lines.append(f'<path class="map-province" d="{d}"/>')
        if outline.id in record.highlight:
            highlight.append(f'<path class="map-highlight" fill-rule="evenodd" d="{d}"/>')
    return land + highlight + lines + borders


def _label(placed: Placed, lines: tuple[str, ...], font: float) -> str:
    kind = placed.key.partition(":")[0] if ":" in placed.key else "place"
    spans = []
    for index, (text, baseline) in enumerate(zip(lines, placed.baselines, strict=True)):
        name = ' class="map-name"' if index == 0 and kind == "place" else ""
        spans.append(f'<tspan x="{placed.x:.1f}" y="{baseline:.1f}"{name}>{escape(text)}'
                     "</tspan>")
    size = f' font-size="{font * AREA_FONT:g}"' if kind != "place" else ""
    return (f'<text class="map-label map-label-{kind}" text-anchor="{placed.anchor}"{size}>'
            f'{"".join(spans)}</text>')


def _label_lines(record: Map, layout: Layout) -> dict[str, tuple[str, ...]]:
    lines: dict[str, tuple[str, ...]] = {}
    for marker in layout.markers:
        lines[marker.place.id] = (marker.name, marker.label) if marker.label else \
            (marker.name,)
    for outline in load_outlines():
        lines[f"region:{outline.id}"] = (outline.name,)
        lines[f"country:{outline.id}"] = (outline.name.upper(),)
    return lines


def map_svg(record: Map, places: Mapping[str, Place], canvas: Canvas) -> Markup:
    """One drawing of a map, for one canvas, titled for screen readers."""
    layout = lay_out(record, places, canvas)
    width, height = layout.projection.width, layout.projection.height
    ident = f"map-{record.id}-{canvas.name}"
    parts = [f'<svg class="map-svg map-{canvas.name}" viewBox="0 0 {width:g} {height:.1f}" '
             f'role="img" aria-labelledby="{ident}-title">'
             f'<title id="{ident}-title">{escape(record.title)}: a map; the list that '
             "follows it names every place shown</title>",
             f'<rect class="map-bg" width="{width:g}" height="{height:.1f}"/>',
             *_outlines(record, layout)]
    for marker in layout.markers:
        name = "map-marker map-marker-value" if marker.label else "map-marker"
        parts.append(f'<circle class="{name}" cx="{marker.x:.1f}" cy="{marker.y:.1f}" '
                     f'r="{MARKER_RADIUS:g}"/>')
    lines = _label_lines(record, layout)
    parts.append(f'<g class="map-labels" font-size="{canvas.font_size:g}">')
    parts += [_label(placed, lines[placed.key], canvas.font_size) for placed in layout.labels]
    parts.append("</g>")
    parts.append(f'<rect class="map-frame" width="{width:g}" height="{height:.1f}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
