"""Validate stage: raw, located data in; frozen records and every problem found out."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from generator.dates import PartialDate
from generator.errors import Diagnostic, SourceLocation, closest_first, error, warning
from generator.fields import Ref, fields_of, read_record
from generator.model import Explainer, ExplainerMeta, Listing, SiteConfig
from generator.raw import Prose, RawDocuments, RawExplainer, YamlMapping, YamlNode, YamlSequence
from generator.records import (
    KINDS,
    Chart,
    Era,
    Event,
    Figure,
    Image,
    Kind,
    Map,
    Place,
    Record,
    Section,
    Source,
)
from generator.validate.charts import check_charts
from generator.validate.figures import check_lead_figures
from generator.validate.images import check_images, check_logo
from generator.validate.listings import check_listings
from generator.validate.maps import check_maps, check_places
from generator.validate.prose import check_prose, text_locator
from generator.validate.records import Collected, RecordReader, resolve_references
from generator.validate.sections import split_sections
from generator.validate.shared import Shared, clashes_with_shared, used_shared, words_of
from generator.validate.timeline import order_timeline
from generator.validate.todos import check_todos

DEFAULT_CONFIG = SiteConfig(title="Explainers", description="", language="en",
                            base_url="https://example.org/", publisher="Explainers",
                            allow_raw_html=False)
SITE_FIELDS = fields_of(SiteConfig)
META_FIELDS = fields_of(ExplainerMeta)


@dataclass(frozen=True, slots=True)
class Context:
    """What every explainer's validation depends on besides its own files."""

    config: SiteConfig
    seed_files: frozenset[str]
    shared: Shared = field(default_factory=Shared)
    today: PartialDate | None = None  # None: no date is in the future


def validate_config(node: YamlNode | None, images: Mapping[str, bytes] | None = None,
                    config_path: str = "content/site.yaml",
                    ) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """The site's settings from site.yaml (None when missing or unreadable), with the bytes of
    its logo among ``images``, the pictures in content/."""
    if node is None:
        return None, []
    problems: list[Diagnostic] = []
    values, ok = read_record(node, SITE_FIELDS, "site", problems)
    if not ok:
        return None, problems
    values["publisher"] = values["publisher"] or values["title"]
    read = SiteConfig(**{k: v for k, v in values.items() if v is not None})
    config, found = check_logo(read, node, images or {}, posixpath.dirname(config_path))
    return config, problems + found


def validate_shared(documents: RawDocuments,
                    config: SiteConfig) -> tuple[Shared, list[Diagnostic]]:
    """Shared people, places, terms and sources; they may cite only shared sources."""
    problems: list[Diagnostic] = []
    reader = RecordReader(documents, config.allow_raw_html, problems)
    shared_kinds = [k for k in KINDS if k.shared]
    for kind in shared_kinds:
        reader.read(kind)
    found = reader.found
    resolve_references(found.refs, {k.name: found.declared(k.name) for k in shared_kinds},
                       problems)
    check_places(found, problems)
    records = {k.plural: tuple(found.valid(k)) for k in shared_kinds}
    return Shared(records, dict(found.ids)), problems


def _meta(reader: RecordReader) -> tuple[dict[str, Any], bool, YamlMapping | None]:
    node = reader.document("explainer.yaml", YamlMapping)
    if not isinstance(node, YamlMapping):
        return {}, False, None
    values, ok = reader.fields(node, META_FIELDS, "explainer")
    return values, ok, node


def _check_updates(values: dict[str, Any], node: YamlMapping, today: PartialDate | None,
                   problems: list[Diagnostic]) -> None:
    """Each update falls between the day the page was published and today."""
    written, published = node.get("updates"), values.get("published")
    if not isinstance(written, YamlSequence) or not values.get("updates"):
        return
    for update, item in zip(values["updates"], written.items, strict=True):
        at = item.get("date") if isinstance(item, YamlMapping) else None
        where = at.location if at else item.location
        label = f"explainer: update '{update.date}'"
        if published and update.date.sort_key < published.sort_key:
            problems.append(error(where, f"{label}: {update.kind} dated before the explainer "
                                         f"was published ({published}); expected "
                                         f"{published} or later"))
        if today and update.date.sort_key > today.sort_key:
            problems.append(error(where, f"{label}: {update.kind} dated in the future (today "
                                         f"is {today}); expected a change already made"))


def _check_meta(values: dict[str, Any], node: YamlMapping | None, context: Context,
                slug: str, problems: list[Diagnostic]) -> None:
    if node is None:
        return
    seed_files = context.seed_files
    _check_updates(values, node, context.today, problems)
    related = node.get("related")
    if slug in (values.get("related") or ()) and isinstance(related, YamlSequence):
        itself = next(i for i in related.items if getattr(i, "text", "").strip() == slug)
        problems.append(error(itself.location, f"explainer: related: names this explainer itself "
                                               f"('{slug}'); expected other explainers"))
    updated, published = values.get("updated"), values.get("published")
    if updated and published and updated.sort_key < published.sort_key:
        at = node.get("updated")
        problems.append(error(at.location if at else node.location,
                              f"explainer: updated ({updated}) is before published "
                              f"({published}); expected the same day or later"))
    seed = values.get("seed")
    if seed and seed not in seed_files:
        at = node.get("seed")
        where = at.location if at else node.location
        known = closest_first(seed, seed_files) if seed_files else (
            f"(seeds are looked up in {PurePosixPath(where.path).parents[2] / 'seeds'}/, the "
            "seeds/ folder beside the content folder, and it holds none; expected the source "
            "document there)")
        problems.append(error(where, f"explainer: seed '{seed}' not found {known}"))


def _markdown(reader: RecordReader, name: str) -> Prose | None:
    source = reader.documents.markdown.get(name)
    if source is None:
        return None
    report = check_prose(source.text, text_locator(source.path, source.text), block=True,
                         allow_containers=True, allow_raw_html=reader.allow_raw_html)
    reader.problems.extend(report.problems)
    label = name.removesuffix(".md")
    reader.found.refs.extend((label, Ref("source", c.source_id, c.location))
                             for c in report.citations)
    reader.found.refs.extend((label, Ref(p.kind, p.ident, p.location))
                             for p in report.placements)
    reader.found.placements.extend(report.placements)
    return Prose(text=source.text, location=SourceLocation(source.path, 1, 1))


def _read_markdown_kind(reader: RecordReader, kind: Kind) -> list[Section]:
    prose = _markdown(reader, kind.file)
    if prose is None:
        return []
    sections, problems = split_sections(prose)
    reader.problems.extend(problems)
    return sections


def _unused_sources(found: Collected, problems: list[Diagnostic]) -> None:
    cited = {ref.id for _label, ref in found.refs if ref.kind == "source"}
    for read in found.read:
        if read.kind is Source.KIND and read.record is not None and \
                read.record.id not in cited:
            problems.append(warning(found.ids["source", read.record.id],
                                    f"source '{read.record.id}' is never cited; expected a "
                                    "[@id] or 'sources:' entry that uses it, or remove it"))


def _check_graphics(found: Collected, shared: Shared,
                    problems: list[Diagnostic]) -> frozenset[tuple[str, str]]:
    """Charts and maps: their own checks, then where each is shown. Each appears once:
    where a '::: chart <id>' line places it, or else with the key figures."""
    check_places(found, problems)
    check_charts(found, problems)
    places = {p.id: p for p in (*shared.records.get("places", ()), *found.valid(Place.KIND))}
    check_maps(found, places, problems)  # type: ignore[arg-type]
    first: dict[tuple[str, str], SourceLocation] = {}
    for placement in found.placements:
        if placement.kind not in (Chart.KIND.name, Map.KIND.name):
            continue
        key = (placement.kind, placement.ident)
        if key in first:
            problems.append(error(placement.location, f"{placement.kind} '{placement.ident}' "
                                                      f"is placed twice (first at {first[key]});"
                                                      f" expected one '::: {placement.kind} "
                                                      f"{placement.ident}' line"))
        first.setdefault(key, placement.location)
    with_figures = bool(found.declared(Figure.KIND.name))
    for read in found.read:
        kind = read.kind
        if kind in (Chart.KIND, Map.KIND) and read.record is not None and not with_figures \
                and (kind.name, read.record.id) not in first:
            problems.append(error(read.node.location, f"{read.label}: shown nowhere; expected "
                                                      f"a '::: {kind.name} {read.record.id}' "
                                                      "line in article.md or background.md, "
                                                      "or key figures (figures.yaml) to show "
                                                      "it with"))
    return frozenset(first)


def validate_explainer(raw: RawExplainer,
                       context: Context) -> tuple[Explainer | None, list[Diagnostic]]:
    """One explainer's records and problems; pure, so results can be cached per explainer."""
    problems: list[Diagnostic] = []
    reader = RecordReader(raw.documents, context.config.allow_raw_html, problems)
    meta, meta_ok, meta_node = _meta(reader)
    _check_meta(meta, meta_node, context, raw.slug, problems)
    problems += check_todos(raw.documents)
    sections: list[Section] = []
    for kind in KINDS:
        if kind.markdown:
            sections = _read_markdown_kind(reader, kind)
        else:
            reader.read(kind)
    article = _markdown(reader, "article.md")
    found = reader.found
    clashes_with_shared(found, context.shared, problems)
    known = {k.name: found.declared(k.name) | {i for (n, i) in context.shared.ids
                                              if n == k.name}
             for k in KINDS if not (reader.unreadable(k) and not context.shared.records.get(
                 k.plural))}
    resolve_references(found.refs, known, problems)
    _unused_sources(found, problems)
    check_images(found, raw.images, raw.documents.present, raw.documents.folder, problems)
    placed = _check_graphics(found, context.shared, problems)
    check_lead_figures(found, problems)
    eras, events = order_timeline(found, problems)
    if any(p.is_error for p in problems) or not meta_ok or article is None:
        return None, problems
    own_words = [article.text, *(s.body.text for s in sections),  # a source's title is not
                 *words_of(read.record for read in found.read  # the page's own words
                           if read.record is not None and read.kind is not Source.KIND)]
    shared = used_shared(found, context.shared, own_words)
    records: dict[str, tuple[Record, ...]] = {}
    for kind in KINDS:
        local: Iterable[Record] = found.valid(kind)
        if kind is Era.KIND:
            local = eras
        elif kind is Event.KIND:
            local = events
        elif kind.markdown:
            local = sections
        records[kind.plural] = (*local, *shared.get(kind.plural, ()))
    meta_record = ExplainerMeta(**{k: v for k, v in meta.items() if v is not None})
    image_files = {image.file: raw.images[image.file] for image in found.valid(Image.KIND)
                   if isinstance(image, Image) and image.file in raw.images}
    return Explainer(slug=raw.slug, meta=meta_record, article=article,
                     records=records, image_files=image_files,
                     folder=raw.documents.folder, placed=placed,
                     related_refs=tuple(ref for _label, ref in found.refs
                                        if ref.kind == "explainer")), problems


__all__ = ["DEFAULT_CONFIG", "Context", "check_listings", "order_explainers",
           "validate_config", "validate_explainer", "validate_shared"]


def order_explainers(explainers: Iterable[Listing]) -> tuple[Listing, ...]:
    """Newest first, then by slug, so the index page never depends on folder order."""
    by_slug = sorted(explainers, key=lambda e: e.slug)
    return tuple(sorted(by_slug, key=lambda e: e.published.sort_key, reverse=True))
