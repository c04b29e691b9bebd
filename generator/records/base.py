"""What every kind of record is: a ``Kind`` (its file, name, page section and anchor)
attached to a frozen dataclass by ``@kind``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Literal, TypeVar

from generator.fields import Field, fields_of
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
    site_only: bool = False  # written only for the whole site (authors), never per explainer
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
         required: bool = False, shared: bool = False, site_only: bool = False,
         placement: Placement = "after-report",
         markdown: bool = False) -> Callable[[type[R]], type[R]]:
    """Attach a ``Kind`` to a record dataclass (apply above ``@dataclass``)."""

    def attach(record: type[R]) -> type[R]:
        record.KIND = Kind(record, name, plural, file, fields_of(record), key=key,
                           title=title, anchor=anchor, id_from=id_from, required=required,
                           shared=shared or site_only, site_only=site_only,
                           placement=placement, markdown=markdown)
        return record

    return attach
