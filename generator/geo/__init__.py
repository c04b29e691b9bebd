"""Geography for locator maps: stored outlines, the projection and where labels go.

Part of the foundation because validation and rendering must agree on it: validation
reports a place outside a map's frame or a label with no room at the line it was written
on; rendering draws exactly what validation accepted, with the same numbers.
"""

from __future__ import annotations

from generator.geo.labels import Box, Label, Placed, markers_of, place_labels, text_width
from generator.geo.layout import MARKER_RADIUS, Layout, Marker, lay_out, map_frame
from generator.geo.outlines import DATA_BOX, Outline, load_outlines, outline_ids
from generator.geo.projection import CANVASES, Canvas, Frame, Projection, frame_around

__all__ = [
    "CANVASES",
    "DATA_BOX",
    "MARKER_RADIUS",
    "Box",
    "Canvas",
    "Frame",
    "Label",
    "Layout",
    "Marker",
    "Outline",
    "Placed",
    "Projection",
    "frame_around",
    "lay_out",
    "load_outlines",
    "map_frame",
    "markers_of",
    "outline_ids",
    "place_labels",
    "text_width",
]
