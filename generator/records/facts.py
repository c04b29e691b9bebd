"""The fact records of an explainer: figures, the timeline, background, people, places,
glossary terms, quotes and sources; and the site's authors, named in bylines."""

from __future__ import annotations

from dataclasses import dataclass

from generator import fields as read
from generator import values
from generator.dates import PartialDate
from generator.fields import column, derived
from generator.raw import Prose
from generator.records.base import Record, kind


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
    lead: bool = column(read.boolean, required=False, default=False)  # shown above the report
    featured: bool = column(read.boolean, required=False, default=False)  # the larger one


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


@kind(name="author", plural="authors", file="authors.yaml", anchor="author", site_only=True)
@dataclass(frozen=True, slots=True, kw_only=True)
class Author(Record):
    """Who an explainer is by, written once for the site in ``content/authors.yaml`` and
    named by id in an explainer's ``authors:``. A desk or a newsroom may be an author: no
    person is ever invented for a byline."""

    id: str = column(read.identifier)
    name: str = column(read.text)
    role: str = column(read.text)
    url: str | None = column(read.web_address, required=False)
    bio: str | None = column(read.text, required=False)
    organization: bool = column(read.boolean, required=False, default=False)  # a desk
