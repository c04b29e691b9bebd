"""The validated site: typed, frozen records that templates and later stages read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar, cast

from generator import fields as read
from generator.dates import PartialDate
from generator.fields import column
from generator.raw import Prose, YamlNode, YamlSequence, describe
from generator.records import KINDS, Era, Event, Image, Kind, Record
from generator.rules import CITATION_PATTERN

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
    logo: str | None = column(read.image_file(""), required=False)  # a picture in content/
    logo_data: bytes | None = None  # its bytes, as loaded; set by validation

    @property
    def base_path(self) -> str:
        return url_path(self.base_url)


def url_path(base_url: str) -> str:
    """'/news/' for 'https://example.org/news/': where the site sits on its host."""
    return "/" + base_url.split("://", 1)[-1].partition("/")[2]


KEY_POINTS = (3, 6)
"""How many points "What you need to know" has: enough to answer, few enough to read first."""


def _key_points(node: YamlNode, reading: read.Reading) -> tuple[Prose, ...]:
    """The short answer under the dek: 3 to 6 points of inline Markdown, each citing."""
    if not isinstance(node, YamlSequence):
        raise read.Invalid(f"expected a list of points ('- …'), got {describe(node)}",
                           node.location)
    fewest, most = KEY_POINTS
    count = len(node.items)
    if not fewest <= count <= most:
        where = node.items[most].location if count > most else node.location
        raise read.Invalid(f"has {count} point{'s' if count != 1 else ''}; expected "
                           f"{fewest} to {most} short points", where)
    points = tuple(read.inline(item, reading) for item in node.items)
    for point in points:
        if not re.search(CITATION_PATTERN, point.text):
            raise read.Invalid("point cites no source; expected [@source-id] in every point "
                               "of what readers need to know", point.location)
    return points


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
    lead_image: str | None = column(read.ref("image"), required=False)
    key_points: tuple[Prose, ...] = column(_key_points, required=False, default=())


@dataclass(frozen=True, slots=True)
class EraEvents:
    era: Era
    events: tuple[Event, ...]


class _MetaView:
    """What an explainer says about itself, read the same way from a whole explainer and
    from its listing."""

    __slots__ = ()
    meta: ExplainerMeta

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


@dataclass(frozen=True)
class PictureFile:
    """One processed file of a picture, as pages link to it."""

    path: str  # in the site: '<slug>/images/kabul-960.3f2a9c1d0b.webp'
    width: int
    height: int
    media_type: str


@dataclass(frozen=True)
class PictureFiles:
    """A picture's processed files and its description: what a listing shows."""

    files: tuple[PictureFile, ...]  # smallest first
    alt: str

    def of_type(self, media_type: str) -> tuple[PictureFile, ...]:
        return tuple(f for f in self.files if f.media_type == media_type)

    @property
    def fallback_type(self) -> str:
        return next(f.media_type for f in self.files if f.media_type != "image/webp")


@dataclass(frozen=True, kw_only=True)  # no slots: pickled by the thousand
class Listing(_MetaView):
    """An explainer as other pages see it (home, feed, sitemap): small, so a site of
    thousands keeps every listing in memory and none of their records."""

    slug: str
    meta: ExplainerMeta
    lead: PictureFiles | None = None  # its lead picture, processed


@dataclass(frozen=True, slots=True, kw_only=True)
class Explainer(_MetaView):
    slug: str
    meta: ExplainerMeta
    article: Prose
    records: Mapping[str, tuple[Record, ...]]  # kind plural -> records, for every kind
    image_files: Mapping[str, bytes] = field(default_factory=dict)  # 'images/x.jpg' -> bytes
    folder: str = ""  # where its files are, as messages name it: 'content/<slug>'
    placed: frozenset[tuple[str, str]] = frozenset()  # (kind name, id) placed in the text

    def listing(self, lead: PictureFiles | None = None) -> Listing:
        return Listing(slug=self.slug, meta=self.meta, lead=lead)

    @property
    def lead_image(self) -> Image | None:
        """The picture shown under the dek, on listings and on the share card."""
        return next((i for i in self.of(Image) if i.id == self.meta.lead_image), None)

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
    explainers: tuple[Listing, ...]  # newest first, then by slug
