"""Typed, frozen records of a validated site; templates read only these."""

from __future__ import annotations

from dataclasses import dataclass

from generator.dates import PartialDate
from generator.errors import SourceLocation


@dataclass(frozen=True, slots=True, kw_only=True)
class Prose:
    """Markdown written by a person, kept with its place so renderers can report problems."""

    text: str
    location: SourceLocation


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    title: str
    description: str
    language: str
    base_url: str
    publisher: str
    allow_raw_html: bool

    @property
    def base_path(self) -> str:
        return url_path(self.base_url)


def url_path(base_url: str) -> str:
    """'/news/' for 'https://example.org/news/': where the site sits on its host."""
    return "/" + base_url.split("://", 1)[-1].partition("/")[2]


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    id: str
    number: int  # 1-based position in sources.yaml: the number readers see in citations
    title: str
    publisher: str
    date: PartialDate
    url: str | None
    author: str | None
    note: Prose | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Era:
    id: str
    title: str
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    id: str
    date: PartialDate
    era: str
    title: str
    text: Prose
    sources: tuple[str, ...]
    highlight: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    id: str
    value: str
    label: str
    as_of: PartialDate | None
    note: Prose | None
    sources: tuple[str, ...]
    from_article: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A person or a place: both are a name, a short description and sources."""

    id: str
    name: str
    role: str | None  # people only
    text: Prose
    sources: tuple[str, ...]
    report_spelling: str | None  # how the article's own text writes the name, when garbled


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    id: str  # anchor derived from the term
    term: str
    definition: Prose
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """One background section: a ``##`` heading and the Markdown under it."""

    id: str
    title: str
    body: Prose


@dataclass(frozen=True, slots=True, kw_only=True)
class Explainer:
    slug: str
    title: str
    summary: Prose
    published: PartialDate
    updated: PartialDate | None
    tags: tuple[str, ...]
    seed: str | None
    article_intro: Prose | None
    article: Prose
    background: tuple[Section, ...]
    eras: tuple[Era, ...]
    figures: tuple[Figure, ...]
    people: tuple[Entity, ...]
    places: tuple[Entity, ...]
    glossary: tuple[Term, ...]
    sources: tuple[Source, ...]

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(event for era in self.eras for event in era.events)

    @property
    def last_changed(self) -> PartialDate:
        return self.updated or self.published


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    config: SiteConfig
    explainers: tuple[Explainer, ...]  # newest first, then by slug
