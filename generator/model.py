"""The validated site: typed, frozen records that templates and later stages read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar, cast

from generator import fields as read
from generator import values
from generator.dates import PartialDate
from generator.fields import column
from generator.raw import Prose, YamlNode, YamlSequence, describe
from generator.records import KINDS, Author, Era, Event, Image, Kind, Record
from generator.rules import CITATION_PATTERN, slugify

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


UPDATE_KINDS = ("correction", "update", "clarification")


@dataclass(frozen=True, slots=True, kw_only=True)
class Update:
    """One entry of an explainer's corrections and updates log: a dated change to the page
    (not an editorial note on the source document, which stays where it is)."""

    date: PartialDate = column(read.day)
    kind: str = column(values.choice(*UPDATE_KINDS))
    text: Prose = column(read.inline)


def _tags(node: YamlNode, _reading: read.Reading) -> tuple[str, ...]:
    """Topics: each tag is also the address of its topic page, so it needs letters or
    digits that make one ('Afghanistan' -> topics/afghanistan/)."""
    tags = read.text_list(node)
    for tag, item in zip(tags, cast(YamlSequence, node).items, strict=True):
        if not slugify(tag, empty=""):
            raise read.Invalid(f"tag '{tag}' has no Latin letters or digits for its topic "
                               "page's address; expected a tag such as 'Afghanistan'",
                               item.location)
    return tags


@dataclass(frozen=True, kw_only=True)  # no slots: pickled with every listing
class ExplainerMeta:
    """``<slug>/explainer.yaml``: what the page says about itself."""

    title: str = column(read.text)
    summary: Prose = column(read.inline)
    published: PartialDate = column(read.day)
    updated: PartialDate | None = column(read.day, required=False)
    seed: str | None = column(read.text, required=False)
    article_intro: Prose | None = column(read.inline, required=False)
    tags: tuple[str, ...] = column(_tags, required=False, default=())
    lead_image: str | None = column(read.ref("image"), required=False)
    key_points: tuple[Prose, ...] = column(_key_points, required=False, default=())
    authors: tuple[str, ...] = column(read.refs("author"), required=False, default=())
    updates: tuple[Update, ...] = column(values.records_of(Update, "update", ("date",)),
                                         required=False, default=())
    draft: bool = column(read.boolean, required=False, default=False)
    related: tuple[str, ...] = column(read.refs("explainer"), required=False, default=())

    @property
    def last_changed(self) -> PartialDate:
        """The rule for 'updated', dateModified, the feed's <updated> and the sitemap's
        lastmod: the latest of published, updated and the dates of the updates log."""
        dates = [self.published, *(d for d in (self.updated,) if d),
                 *(u.date for u in self.updates)]
        return max(dates, key=lambda d: d.sort_key)

    def held_back(self, today: PartialDate | None) -> str | None:
        """Why a published build leaves this explainer out, or None: a draft, or a
        publication date after ``today`` (None: no date is in the future)."""
        if self.draft:
            return "a draft (draft: true)"
        if today is not None and self.published.sort_key > today.sort_key:
            return f"scheduled for {self.published.iso()}, after today ({today.iso()})"
        return None


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
        return self.meta.last_changed

    @property
    def topics(self) -> tuple[Topic, ...]:
        """Its tags as topics, each once, in the order written."""
        found: dict[str, Topic] = {}
        for tag in self.meta.tags:
            slug = slugify(tag)
            found.setdefault(slug, Topic(tag, slug))
        return tuple(found.values())


@dataclass(frozen=True, slots=True)
class Topic:
    """A tag as a page of its own: 'topics/<slug>/'."""

    name: str
    slug: str

    @property
    def path(self) -> str:
        return f"topics/{self.slug}/index.html"


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
    held: str | None = None  # why a published build leaves it out (ExplainerMeta.held_back)
    related_refs: tuple[read.Ref, ...] = ()  # checked once every explainer is known


@dataclass(frozen=True, slots=True, kw_only=True)
class Explainer(_MetaView):
    slug: str
    meta: ExplainerMeta
    article: Prose
    records: Mapping[str, tuple[Record, ...]]  # kind plural -> records, for every kind
    image_files: Mapping[str, bytes] = field(default_factory=dict)  # 'images/x.jpg' -> bytes
    folder: str = ""  # where its files are, as messages name it: 'content/<slug>'
    placed: frozenset[tuple[str, str]] = frozenset()  # (kind name, id) placed in the text
    related_refs: tuple[read.Ref, ...] = ()  # its 'related:' explainers, where written

    def listing(self, lead: PictureFiles | None = None,
                today: PartialDate | None = None) -> Listing:
        return Listing(slug=self.slug, meta=self.meta, lead=lead,
                       held=self.meta.held_back(today), related_refs=self.related_refs)

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
    explainers: tuple[Listing, ...]  # newest first, then by slug; drafts only if asked for
    authors: tuple[Author, ...] = ()  # content/authors.yaml

    @property
    def published(self) -> tuple[Listing, ...]:
        """What the feed, the sitemap and the search index carry: never a draft."""
        return tuple(e for e in self.explainers if e.held is None)
