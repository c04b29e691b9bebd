"""Where a map's labels go: a small deterministic search that never lets two overlap.

Each label tries positions around its point in a fixed order (right, left, a little
higher or lower on either side, the four diagonals, above, below; then the same further
out) and takes the first that
stays inside the map and clear of every marker and every label placed before it. Text
widths are estimated from a wide font (DejaVu Sans), so real fonts, which are narrower,
only leave more room.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LINE_HEIGHT = 1.25  # in font sizes
MARGIN = 2.0  # kept free along the map's edges and between labels, in map units

_NARROW = set("il.,:;'|!()[]{}ftjr ")
_WIDE = set("mwMW@%")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of the width of ``text`` set at ``size``."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.36
        elif char in _WIDE:
            em += 0.92
        elif char.isupper():
            em += 0.72
        elif char.isdigit():
            em += 0.64
        else:
            em += 0.6
    return em * size * (1.1 if bold else 1.0)


@dataclass(frozen=True, slots=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return not (self.x1 + gap <= other.x0 or other.x1 + gap <= self.x0
                    or self.y1 + gap <= other.y0 or other.y1 + gap <= self.y0)

    def inside(self, width: float, height: float, margin: float = MARGIN) -> bool:
        return (self.x0 >= margin and self.y0 >= margin and self.x1 <= width - margin
                and self.y1 <= height - margin)


@dataclass(frozen=True, slots=True)
class Label:
    """Text for a point: the first line is the name (bold), the others say more."""

    key: str
    x: float
    y: float
    lines: tuple[str, ...]
    radius: float = 0.0  # the marker's radius; 0 for a region's name, centred on its point


@dataclass(frozen=True, slots=True)
class Placed:
    key: str
    box: Box
    anchor: str  # SVG text-anchor: start, middle or end
    x: float
    baselines: tuple[float, ...]


def _size(label: Label, font: float) -> tuple[float, float]:
    widths = [text_width(line, font, bold=index == 0) for index, line in enumerate(label.lines)]
    return max(widths), len(label.lines) * LINE_HEIGHT * font


def _around_point(label: Label, w: float, h: float) -> Iterable[tuple[Box, str]]:
    x, y = label.x, label.y
    for step in (1.0, 1.9, 3.0):
        g = (label.radius + 2.5) * step
        d = g * 0.7
        yield Box(x + g, y - h / 2, x + g + w, y + h / 2), "start"
        yield Box(x - g - w, y - h / 2, x - g, y + h / 2), "end"
        yield Box(x + g, y - h * 0.8, x + g + w, y + h * 0.2), "start"
        yield Box(x + g, y - h * 0.2, x + g + w, y + h * 0.8), "start"
        yield Box(x - g - w, y - h * 0.8, x - g, y + h * 0.2), "end"
        yield Box(x - g - w, y - h * 0.2, x - g, y + h * 0.8), "end"
        yield Box(x + d, y - d - h, x + d + w, y - d), "start"
        yield Box(x + d, y + d, x + d + w, y + d + h), "start"
        yield Box(x - d - w, y - d - h, x - d, y - d), "end"
        yield Box(x - d - w, y + d, x - d, y + d + h), "end"
        yield Box(x - w / 2, y - g - h, x + w / 2, y - g), "middle"
        yield Box(x - w / 2, y + g, x + w / 2, y + g + h), "middle"


def _around_centre(label: Label, w: float, h: float) -> Iterable[tuple[Box, str]]:
    for dy in (0.0, -h, h, -2 * h, 2 * h):
        for dx in (0.0, -w / 2, w / 2):
            yield Box(label.x + dx - w / 2, label.y + dy - h / 2, label.x + dx + w / 2,
                      label.y + dy + h / 2), "middle"


def markers_of(labels: Iterable[Label]) -> list[Box]:
    return [Box(m.x - m.radius - 1, m.y - m.radius - 1, m.x + m.radius + 1, m.y + m.radius + 1)
            for m in labels if m.radius > 0]


def place_labels(labels: Sequence[Label], width: float, height: float, font: float,
                 markers: Sequence[Box] = ()) -> tuple[list[Placed], list[str]]:
    """Labels placed in the given order, and the keys of those that found no room."""
    taken: list[Box] = []
    placed: list[Placed] = []
    missing: list[str] = []
    for label in labels:
        w, h = _size(label, font)
        candidates = _around_point(label, w, h) if label.radius > 0 else \
            _around_centre(label, w, h)
        found = next(((box, anchor) for box, anchor in candidates
                      if box.inside(width, height)
                      and not any(box.overlaps(other, MARGIN) for other in taken)
                      and not any(box.overlaps(marker) for marker in markers)), None)
        if found is None:
            missing.append(label.key)
            continue
        box, anchor = found
        taken.append(box)
        x = {"start": box.x0, "end": box.x1, "middle": (box.x0 + box.x1) / 2}[anchor]
        first = box.y0 + font * 0.95
        placed.append(Placed(label.key, box, anchor, x, tuple(
            first + index * LINE_HEIGHT * font for index in range(len(label.lines)))))
    return placed, missing
