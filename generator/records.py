"""Every kind of fact record, declared once.

A declaration is a frozen dataclass whose fields say how each value is read from YAML
(``column``), decorated with ``@kind`` for the rest: the file it lives in, its name in
messages, its page section and anchor. Everything else is derived from it: the loader's
list of known files, validation and its messages, the typed record, the page section and
``facts.json``. To add a kind, declare it here, add it to ``KINDS`` and write its partial
``templates/partials/<plural>.html``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Literal, TypeVar

from generator import fields as read
from generator.dates import PartialDate
from generator.fields import Field, column, derived, fields_of
from generator.raw import Prose, YamlNode
from generator.rules import IMAGE_FOLDER, slugify

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


def _focus(node: YamlNode, _reading: read.Reading | None = None) -> tuple[float, float]:
    """Where a picture's subject is, kept in view when it is cropped: two percentages,
    across and down ('50% 30%'), returned as fractions (0.5, 0.3)."""
    value = read.text(node)
    found = re.fullmatch(r"(\d{1,3}(?:\.\d+)?)%\s+(\d{1,3}(?:\.\d+)?)%", value)
    if found is None or max(float(found[1]), float(found[2])) > 100:
        raise read.Invalid(f"cannot read '{value}'; expected two percentages from 0% to 100%, "
                      "across and down, such as '50% 30%'", node.location)
    return float(found[1]) / 100, float(found[2]) / 100


@kind(name="image", plural="images", file="images.yaml", anchor="image")
@dataclass(frozen=True, slots=True, kw_only=True)
class Image(Record):
    """A picture in the explainer's images/ folder, placed with '::: image <id>' or chosen
    as the lead image. ``own``: the newsroom made it, so ``credit`` and ``licence`` may be
    left out; anyone else's picture needs both. ``focus``: what stays in view when the
    picture is cropped (the share card)."""

    id: str = column(read.identifier)
    file: str = column(read.image_file(IMAGE_FOLDER))
    alt: str = column(read.text)
    caption: Prose | None = column(read.inline, required=False)
    credit: str | None = column(read.text, required=False)
    licence: str | None = column(read.text, required=False)
    own: bool = column(read.boolean, required=False, default=False)
    focus: tuple[float, float] | None = column(_focus, required=False)


@kind(name="source", plural="sources", file="sources.yaml", title="Sources", anchor="source",
      required=True, shared=True)
@dataclass(frozen=True, slots=True, kw_only=True)
class Source(Record):
    id: str = column(read.identifier)
    title: str = column(read.text)
    publisher: str = column(read.text)
    date: PartialDate = column(read.date)
    url: str | None = column(read.web_address, required=False)
    author: str | None = column(read.text, required=False)
    note: Prose | None = column(read.inline, required=False)


KINDS: tuple[Kind, ...] = (
    Figure.KIND, Era.KIND, Event.KIND, Section.KIND, Person.KIND, Place.KIND, Term.KIND,
    Quote.KIND, Image.KIND, Source.KIND,
)
"""Every kind, in the order the page shows them."""

KINDS_BY_NAME = {k.name: k for k in KINDS}
KINDS_BY_PLURAL = {k.plural: k for k in KINDS}
