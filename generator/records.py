"""Every kind of fact record, declared once.

A declaration is a frozen dataclass whose fields say how each value is read from YAML
(``column``), decorated with ``@kind`` for the rest: the file it lives in, its name in
messages, its page section and anchor. Everything else is derived from it: the loader's
list of known files, validation and its messages, the typed record, the page section and
``facts.json``. To add a kind, declare it here, add it to ``KINDS`` and write its partial
``templates/partials/<plural>.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Literal, TypeVar

from generator import fields as read
from generator import values
from generator.dates import PartialDate
from generator.fields import Field, column, derived, fields_of
from generator.raw import Prose
from generator.rules import slugify

Placement = Literal["before-report", "after-report"]


@dataclass(frozen=True, slots=True)
class Kind:
    """What is known about one kind of record, apart from its fields' types."""

    record: type[Record]
    name: str  # in messages: "figure 'soldiers-crossed': …"
    plural: str  # the key in facts.json, in Explainer.records and the partial's name
    file: str  # where an explainer (or, if shared, the site) writes them
    fields: tuple[Field, ...]
    key: str | None = None  # for files holding several kinds: the list's key
    title: str | None = None  # the page section's heading; None: shown inside another
    anchor: str = ""  # element ids on the page: "<anchor>-<id>"
    id_from: str | None = None  # the id is made from this field (glossary terms)
    required: bool = False  # every explainer must have this file
    shared: bool = False  # may also be written once for the whole site, in content/
    placement: Placement = "after-report"
    markdown: bool = False  # a Markdown file of '##' sections rather than YAML

    @property
    def partial(self) -> str:
        return f"partials/{self.plural}.html"

    @property
    def section_id(self) -> str:
        """The page section's element id: 'Key figures' -> 'key-figures'."""
        return slugify(self.title or self.plural)


class Record:
    """Base of every declared record; ``KIND`` is attached by ``@kind``."""

    __slots__ = ()
    KIND: ClassVar[Kind]
    id: str


R = TypeVar("R", bound=Record)


def kind(*, name: str, plural: str, file: str, key: str | None = None,
         title: str | None = None, anchor: str = "", id_from: str | None = None,
         required: bool = False, shared: bool = False,
         placement: Placement = "after-report",
         markdown: bool = False) -> Callable[[type[R]], type[R]]:
    """Attach a ``Kind`` to a record dataclass (apply above ``@dataclass``)."""

    def attach(record: type[R]) -> type[R]:
        record.KIND = Kind(record, name, plural, file, fields_of(record), key=key,
                           title=title, anchor=anchor, id_from=id_from, required=required,
                           shared=shared, placement=placement, markdown=markdown)
        return record

    return attach


@kind(name="figure", plural="figures", file="figures.yaml", title="Key figures",
      anchor="figure", placement="before-report")
@dataclass(frozen=True, slots=True, kw_only=True)
class Figure(Record):
    id: str = column(read.identifier)
    value: str = column(read.text)
    label: str = column(read.text)
    as_of: PartialDate | None = column(read.date, required=False,
                                       recommended="no 'as_of' date; expected the date the "
                                                   "figure is valid for")
    note: Prose | None = column(read.inline, required=False)
    sources: tuple[str, ...] = column(read.refs("source"))
    from_article: bool = column(read.boolean, required=False, default=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Point:
    """One value of a chart, dated (with the date's honest precision) or labelled; a single
    number, or a range (low, high) where sources disagree. ``wording``: the source's own
    qualifier ("about 1,300"), shown with the number so it never claims more precision."""

    date: PartialDate | None = column(read.date, required=False)
    label: str | None = column(read.text, required=False)
    value: float | None = column(values.number, required=False)
    low: float | None = column(values.number, required=False)
    high: float | None = column(values.number, required=False)
    wording: str | None = column(read.text, required=False)
    note: Prose | None = column(read.inline, required=False)
    sources: tuple[str, ...] = column(read.refs("source"), required=False, default=())

    @property
    def bottom(self) -> float:
        return self.value if self.value is not None else self.low or 0

    @property
    def top(self) -> float:
        return self.value if self.value is not None else self.high or 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Series:
    name: str | None = column(read.text, required=False)
    unit: str | None = column(read.text, required=False)
    points: tuple[Point, ...] = column(values.records_of(Point, "point", ("date", "label")))


@kind(name="chart", plural="charts", file="charts.yaml", anchor="chart")
@dataclass(frozen=True, slots=True, kw_only=True)
class Chart(Record):
    """A chart drawn at build time; shown where a '::: chart <id>' line places it, or else
    with the key figures."""

    id: str = column(read.identifier)
    title: str = column(read.text)
    kind: str = column(values.choice("bar", "line"))
    unit: str = column(read.text)
    series: tuple[Series, ...] = column(values.records_of(Series, "series", ("name",)))
    category: str | None = column(read.text, required=False)  # what labels name: "Crossing"
    as_of: PartialDate | None = column(read.date, required=False,
                                       recommended="no 'as_of' date; expected the date the "
                                                   "chart's numbers are valid for")
    note: Prose | None = column(read.inline, required=False)
    sources: tuple[str, ...] = column(read.refs("source"), required=False, default=())


@dataclass(frozen=True, slots=True, kw_only=True)
class MapFrame:
    west: float = column(values.longitude)
    south: float = column(values.latitude)
    east: float = column(values.longitude)
    north: float = column(values.latitude)


@dataclass(frozen=True, slots=True, kw_only=True)
class MapPlace:
    """A place shown on a map; ``label`` says more under its name ("312 soldiers")."""

    place: str = column(read.ref("place"))
    name: str | None = column(read.text, required=False)  # printed instead of the place's
    label: str | None = column(read.text, required=False)
    note: Prose | None = column(read.inline, required=False)
    sources: tuple[str, ...] = column(read.refs("source"), required=False, default=())


@kind(name="map", plural="maps", file="maps.yaml", anchor="map")
@dataclass(frozen=True, slots=True, kw_only=True)
class Map(Record):
    """A locator map drawn at build time from the stored outlines; placed like a chart.
    ``frame``: what it shows (else the places and some room around them); ``highlight``:
    ids of outlines to shade and name (AF-BDS for Badakhshan)."""

    id: str = column(read.identifier)
    title: str = column(read.text)
    places: tuple[MapPlace, ...] = column(values.records_of(MapPlace, "place", ("place",)))
    frame: MapFrame | None = column(values.record_of(MapFrame, "frame"), required=False)
    highlight: tuple[str, ...] = column(read.text_list, required=False, default=())
    note: Prose | None = column(read.inline, required=False)
    sources: tuple[str, ...] = column(read.refs("source"), required=False, default=())


@kind(name="era", plural="eras", file="timeline.yaml", key="eras", anchor="era")
@dataclass(frozen=True, slots=True, kw_only=True)
class Era(Record):
    id: str = column(read.identifier)
    title: str = column(read.text)


@kind(name="event", plural="events", file="timeline.yaml", key="events", title="Timeline",
      anchor="event")
@dataclass(frozen=True, slots=True, kw_only=True)
class Event(Record):
    id: str = column(read.identifier)
    date: PartialDate = column(read.date)
    era: str = column(read.ref("era"))
    title: str = column(read.text)
    text: Prose = column(read.inline)
    sources: tuple[str, ...] = column(read.refs("source"), required=False, default=(),
                                      recommended="no sources; expected 'sources: [id, …]' "
                                                  "for every event")
    highlight: str | None = column(read.text, required=False)


@kind(name="background section", plural="background", file="background.md",
      title="Background", anchor="background", markdown=True)
@dataclass(frozen=True, slots=True, kw_only=True)
class Section(Record):
    """One background section: a ``##`` heading and the Markdown under it."""

    id: str = derived()
    title: str = derived()
    body: Prose = derived()


@kind(name="person", plural="people", file="people.yaml", title="People", anchor="person",
      shared=True)
@dataclass(frozen=True, slots=True, kw_only=True)
class Person(Record):
    id: str = column(read.identifier)
    name: str = column(read.text)
    role: str = column(read.text)
    text: Prose = column(read.inline)
    sources: tuple[str, ...] = column(read.refs("source"))
    report_spelling: str | None = column(read.text, required=False)


@kind(name="place", plural="places", file="places.yaml", title="Places", anchor="place",
      shared=True)
@dataclass(frozen=True, slots=True, kw_only=True)
class Place(Record):
    id: str = column(read.identifier)
    name: str = column(read.text)
    text: Prose = column(read.inline)
    sources: tuple[str, ...] = column(read.refs("source"))
    report_spelling: str | None = column(read.text, required=False)
    lat: float | None = column(values.latitude, required=False)
    lon: float | None = column(values.longitude, required=False)
    coordinates_sources: tuple[str, ...] = column(read.refs("source"), required=False,
                                                  default=())


@kind(name="term", plural="glossary", file="glossary.yaml", title="Glossary", anchor="term",
      id_from="term", shared=True)
@dataclass(frozen=True, slots=True, kw_only=True)
class Term(Record):
    id: str = derived()
    term: str = column(read.text)
    definition: Prose = column(read.inline)
    sources: tuple[str, ...] = column(read.refs("source"))


@kind(name="quote", plural="quotes", file="quotes.yaml", title="Quotes", anchor="quote")
@dataclass(frozen=True, slots=True, kw_only=True)
class Quote(Record):
    """A notable quotation. ``translated``: the words we have are a translation or a
    back-translation, never shown as the speaker's own; ``original``: the original
    report's wording, where it was recovered."""

    id: str = column(read.identifier)
    speaker: str = column(read.ref("person"))
    text: str = column(read.text)
    date: PartialDate = column(read.date)
    context: Prose | None = column(read.inline, required=False)
    sources: tuple[str, ...] = column(read.refs("source"))
    translated: bool = column(read.boolean, required=False, default=False)
    original: str | None = column(read.text, required=False)


@kind(name="source", plural="sources", file="sources.yaml", title="Sources", anchor="source",
      required=True, shared=True)
@dataclass(frozen=True, slots=True, kw_only=True)
class Source(Record):
    id: str = column(read.identifier)
    title: str = column(read.text)
    publisher: str = column(read.text)
    date: PartialDate | None = column(read.date, required=False)  # None: the page is undated
    url: str | None = column(read.web_address, required=False)
    author: str | None = column(read.text, required=False)
    note: Prose | None = column(read.inline, required=False)


KINDS: tuple[Kind, ...] = (
    Figure.KIND, Chart.KIND, Map.KIND, Era.KIND, Event.KIND, Section.KIND, Person.KIND,
    Place.KIND, Term.KIND, Quote.KIND, Source.KIND,
)
"""Every kind, in the order the page shows them."""

KINDS_BY_NAME = {k.name: k for k in KINDS}
KINDS_BY_PLURAL = {k.plural: k for k in KINDS}
