"""Every kind of fact record, declared once.

A declaration is a frozen dataclass whose fields say how each value is read from YAML
(``column``), decorated with ``@kind`` for the rest: the file it lives in, its name in
messages, its page section and anchor. Everything else is derived from it: the loader's
list of known files, validation and its messages, the typed record, the page section and
``facts.json``. To add a kind, declare it in one of these modules, add it to ``KINDS`` and
write its partial ``templates/partials/<plural>.html``.
"""

from __future__ import annotations

from generator.records.base import Kind, Placement, R, Record, kind
from generator.records.facts import (
    Author,
    Era,
    Event,
    Figure,
    Person,
    Place,
    Quote,
    Section,
    Source,
    Term,
)
from generator.records.graphics import Chart, Map, MapFrame, MapPlace, Point, Series
from generator.records.images import Image

KINDS: tuple[Kind, ...] = (
    Figure.KIND, Chart.KIND, Map.KIND, Era.KIND, Event.KIND, Section.KIND, Person.KIND,
    Place.KIND, Term.KIND, Quote.KIND, Image.KIND, Source.KIND, Author.KIND,
)
"""Every kind, in the order the page shows them."""

KINDS_BY_NAME = {k.name: k for k in KINDS}
KINDS_BY_PLURAL = {k.plural: k for k in KINDS}


__all__ = ["KINDS", "KINDS_BY_NAME", "KINDS_BY_PLURAL", "Author", "Chart", "Era", "Event", "Figure",
           "Image", "Kind", "Map", "MapFrame", "MapPlace", "Person", "Place", "Placement",
           "Point", "Quote", "R", "Record", "Section", "Series", "Source", "Term", "kind"]
