"""The validated site: typed, frozen records that templates and later stages read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar, cast

from generator import fields as read
from generator.dates import PartialDate
from generator.fields import column
from generator.raw import Prose
from generator.records import KINDS, Era, Event, Kind, Record

R = TypeVar("R", bound=Record)


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    """``content/site.yaml``."""

    title: str = column(read.text)
    description: str = column(read.text)
    language: str = column(read.text)
    base_url: str = column(read.base_url)
    publisher: str = column(read.text, required=False, default="")
    allow_raw_html: bool = column(read.boolean, required=False, default=False)

    @property
    def base_path(self) -> str:
        return url_path(self.base_url)


def url_path(base_url: str) -> str:
    """'/news/' for 'https://example.org/news/': where the site sits on its host."""
    return "/" + base_url.split("://", 1)[-1].partition("/")[2]


@dataclass(frozen=True, slots=True, kw_only=True)
class ExplainerMeta:
    """``<slug>/explainer.yaml``: what the page says about itself."""

    title: str = column(read.text)
    summary: Prose = column(read.inline)
    published: PartialDate = column(read.day)
    updated: PartialDate | None = column(read.day, required=False)
    seed: str | None = column(read.text, required=False)
    article_intro: Prose | None = column(read.inline, required=False)
    tags: tuple[str, ...] = column(read.text_list, required=False, default=())


@dataclass(frozen=True, slots=True)
class EraEvents:
    era: Era
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Explainer:
    slug: str
    meta: ExplainerMeta
    article: Prose
    records: Mapping[str, tuple[Record, ...]]  # kind plural -> records, for every kind
    placed: frozenset[tuple[str, str]] = frozenset()  # (kind name, id) placed in the text

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def summary(self) -> Prose:
        return self.meta.summary

    @property
    def published(self) -> PartialDate:
        return self.meta.published

    @property
    def updated(self) -> PartialDate | None:
        return self.meta.updated

    @property
    def tags(self) -> tuple[str, ...]:
        return self.meta.tags

    @property
    def last_changed(self) -> PartialDate:
        return self.meta.updated or self.meta.published

    def unplaced(self, record_type: type[R]) -> tuple[R, ...]:
        """Records of a kind that no '::: <kind> <id>' line places: shown in their section."""
        return tuple(r for r in self.of(record_type)
                     if (record_type.KIND.name, r.id) not in self.placed)

    def of(self, record_type: type[R]) -> tuple[R, ...]:
        """The records of one kind, typed: ``explainer.of(Figure)``."""
        return cast(tuple[R, ...], self.records[record_type.KIND.plural])

    def kinds_shown(self, placement: str) -> tuple[Kind, ...]:
        """Kinds with a page section of their own and records to show, in page order."""
        return tuple(k for k in KINDS if k.title and k.placement == placement
                     and self.records[k.plural])

    @property
    def timeline(self) -> tuple[EraEvents, ...]:
        """Events grouped under their eras (validation has ordered both)."""
        events = self.of(Event)
        return tuple(EraEvents(era, tuple(e for e in events if e.era == era.id))
                     for era in self.of(Era))


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    config: SiteConfig
    explainers: tuple[Explainer, ...]  # newest first, then by slug
