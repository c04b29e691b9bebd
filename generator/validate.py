"""Validate stage: raw, located data in; frozen models and every problem found out."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.dates import PartialDate
from generator.errors import Diagnostic, SourceLocation, error, warning
from generator.load import RawExplainer
from generator.model import (
    Entity,
    Era,
    Event,
    Explainer,
    Figure,
    Prose,
    Section,
    SiteConfig,
    Source,
    Term,
)
from generator.prose import check_prose, mask_code, text_locator
from generator.schema import (
    Field,
    Invalid,
    ProseField,
    Ref,
    read_base_url,
    read_bool,
    read_date,
    read_day,
    read_id,
    read_inline,
    read_record,
    read_refs,
    read_text,
    read_text_list,
    read_url,
    record_label,
)
from generator.yamlsource import YamlMapping, YamlNode, YamlSequence, describe

DEFAULT_CONFIG = SiteConfig(title="Explainers", description="", language="en",
                            base_url="https://example.org/", publisher="Explainers",
                            allow_raw_html=False)

SITE_FIELDS = (
    Field("title", read_text), Field("description", read_text),
    Field("language", read_text), Field("base_url", read_base_url),
    Field("publisher", read_text, required=False),
    Field("allow_raw_html", read_bool, required=False),
)
EXPLAINER_FIELDS = (
    Field("title", read_text), Field("summary", read_inline),
    Field("published", read_day), Field("updated", read_day, required=False),
    Field("seed", read_text, required=False),
    Field("article_intro", read_inline, required=False),
    Field("tags", read_text_list, required=False),
)
SOURCE_FIELDS = (
    Field("id", read_id), Field("title", read_text), Field("publisher", read_text),
    Field("date", read_date), Field("url", read_url, required=False),
    Field("author", read_text, required=False), Field("note", read_inline, required=False),
)
ERA_FIELDS = (Field("id", read_id), Field("title", read_text))
EVENT_FIELDS = (
    Field("id", read_id), Field("date", read_date), Field("era", read_id),
    Field("title", read_text), Field("text", read_inline),
    Field("sources", read_refs, required=False),
    Field("highlight", read_text, required=False),
)
FIGURE_FIELDS = (
    Field("id", read_id), Field("value", read_text), Field("label", read_text),
    Field("as_of", read_date, required=False), Field("note", read_inline, required=False),
    Field("sources", read_refs), Field("from_article", read_bool, required=False),
)
PERSON_FIELDS = (
    Field("id", read_id), Field("name", read_text), Field("role", read_text),
    Field("text", read_inline), Field("sources", read_refs),
    Field("report_spelling", read_text, required=False),
)
PLACE_FIELDS = (
    Field("id", read_id), Field("name", read_text), Field("text", read_inline),
    Field("sources", read_refs), Field("report_spelling", read_text, required=False),
)
TERM_FIELDS = (
    Field("term", read_text), Field("definition", read_inline), Field("sources", read_refs),
)


def slugify(text: str) -> str:
    """An anchor-safe name: 'Doha agreement' -> 'doha-agreement'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())) or "section"


def closest_first(word: str, names: Iterable[str], limit: int = 3) -> str:
    """'(known: a, b, …)' with the likeliest intended names first."""
    ordered = sorted(set(names),
                     key=lambda n: (-difflib.SequenceMatcher(None, word, n).ratio(), n))
    if not ordered:
        return "(none defined)"
    more = ", …" if len(ordered) > limit else ""
    return f"(known: {', '.join(ordered[:limit])}{more})"


@dataclass
class _Checker:
    """Per-explainer working state: problems, citations and ids seen so far."""

    raw: RawExplainer
    config: SiteConfig
    problems: list[Diagnostic] = field(default_factory=list)
    citations: list[tuple[str, Ref]] = field(default_factory=list)
    ids: dict[tuple[str, str], SourceLocation] = field(default_factory=dict)

    def document(self, name: str, shape: type) -> YamlNode | None:
        """A parsed YAML file of the expected top-level shape, or None (problem recorded)."""
        node = self.raw.yaml.get(name)
        if node is None:
            return None
        if not isinstance(node, shape):
            expected = "a list of entries ('- id: …')" if shape is YamlSequence else \
                "a mapping ('key: value')"
            self.problems.append(error(node.location, f"expected {expected} at the top of "
                                                      f"{name}, got {describe(node)}"))
            return None
        if isinstance(node, YamlSequence) and not node.items:
            self.problems.append(error(node.location, f"{name} is an empty list; expected "
                                                      "entries, or delete the file"))
            return None
        return node

    def claim_id(self, ident: str | None, kind: str, location: SourceLocation) -> None:
        """Ids are anchors and reference targets, so each means one record of its kind."""
        if ident is None:
            return
        if (kind, ident) in self.ids:
            other = self.ids[kind, ident]
            self.problems.append(error(location, f"duplicate {kind} id '{ident}' (first used at "
                                                 f"{other}); expected each {kind} id once"))
        else:
            self.ids[kind, ident] = location

    def declared(self, kind: str) -> set[str]:
        """Ids written for a kind of record, valid or not: references to them are not typos."""
        return {ident for seen_kind, ident in self.ids if seen_kind == kind}

    def prose(self, value: ProseField | None, label: str) -> Prose | None:
        if value is None:
            return None
        report = check_prose(value.prose.text, lambda _offset, found: value.scalar.locate(found),
                             block=False, allow_containers=False,
                             allow_raw_html=self.config.allow_raw_html)
        self.problems.extend(_relabel(report.problems, label))
        self.citations.extend((label, Ref(c.source_id, c.location)) for c in report.citations)
        return value.prose

    def cite(self, refs: tuple[Ref, ...] | None, label: str) -> tuple[str, ...]:
        for ref in refs or ():
            self.citations.append((label, ref))
        return tuple(ref.id for ref in refs or ())

    def records(self, name: str, fields: tuple[Field, ...], kind: str,
                key: str = "id") -> list[tuple[dict[str, Any], str, YamlNode]]:
        node = self.document(name, YamlSequence)
        if not isinstance(node, YamlSequence):
            return []
        out = []
        for index, item in enumerate(node.items):
            label = record_label(item, kind, index, key)
            values, ok = read_record(item, fields, label, self.problems)
            if key == "id":
                self.claim_id(values.get("id"), kind, item.location)
            if ok:
                out.append((values, label, item))
        return out


def _relabel(problems: Iterable[Diagnostic], label: str) -> list[Diagnostic]:
    return [Diagnostic(p.location, f"{label}: {p.message}", p.severity) for p in problems]


def _sources(check: _Checker) -> tuple[Source, ...]:
    sources = []
    for values, label, _node in check.records("sources.yaml", SOURCE_FIELDS, "source"):
        sources.append(Source(
            id=values["id"], number=len(sources) + 1, title=values["title"],
            publisher=values["publisher"], date=values["date"], url=values["url"],
            author=values["author"], note=check.prose(values["note"], label)))
    return tuple(sources)


def _timeline(check: _Checker) -> tuple[Era, ...]:
    root = check.document("timeline.yaml", YamlMapping)
    if not isinstance(root, YamlMapping):
        return ()
    values, _ok = read_record(root, (Field("eras", _list), Field("events", _list)),
                              "timeline", check.problems)
    eras: dict[str, tuple[str, SourceLocation]] = {}
    for index, item in enumerate(values.get("eras") or ()):
        label = record_label(item, "era", index)
        era, ok = read_record(item, ERA_FIELDS, label, check.problems)
        check.claim_id(era.get("id"), "era", item.location)
        if ok and era["id"] not in eras:
            eras[era["id"]] = (era["title"], item.location)
    declared = check.declared("era")
    grouped: dict[str, list[tuple[PartialDate, int, Event]]] = {name: [] for name in eras}
    all_events_valid = True
    for index, item in enumerate(values.get("events") or ()):
        label = record_label(item, "event", index)
        event, ok = read_record(item, EVENT_FIELDS, label, check.problems)
        check.claim_id(event.get("id"), "event", item.location)
        if event.get("era") and event["era"] not in declared:
            era_node = item.get("era") if isinstance(item, YamlMapping) else None
            where = era_node.location if era_node else item.location
            check.problems.append(error(where, f"{label}: unknown era '{event['era']}' "
                                               f"{closest_first(event['era'], declared)}"))
            ok = False
        if not ok or event["era"] not in eras:
            all_events_valid = False
            continue
        if not event["sources"]:
            check.problems.append(warning(item.location, f"{label}: no sources; expected "
                                                         "'sources: [id, …]' for every event"))
        grouped[event["era"]].append((event["date"], index, Event(
            id=event["id"], date=event["date"], era=event["era"], title=event["title"],
            text=check.prose(event["text"], label), sources=check.cite(event["sources"], label),
            highlight=event["highlight"])))
    result = []
    for era_id, (title, location) in eras.items():
        events = sorted(grouped[era_id], key=lambda entry: (entry[0].sort_key, entry[1]))
        if not events:
            if all_events_valid:  # otherwise the empty era only echoes an event's problem
                check.problems.append(error(location, f"era '{era_id}' has no events; expected "
                                                      "at least one event with this era, or "
                                                      "remove the era"))
            continue
        result.append(Era(id=era_id, title=title, events=tuple(e for _d, _i, e in events)))
    return tuple(result)


def _list(node: YamlNode) -> tuple[YamlNode, ...]:
    if not isinstance(node, YamlSequence):
        raise Invalid(f"expected a list of entries, got {describe(node)}", node.location)
    if not node.items:
        raise Invalid("is an empty list; expected at least one entry", node.location)
    return node.items


def _figures(check: _Checker) -> tuple[Figure, ...]:
    figures = []
    for values, label, node in check.records("figures.yaml", FIGURE_FIELDS, "figure"):
        if isinstance(node, YamlMapping) and node.get("as_of") is None:
            check.problems.append(warning(node.location, f"{label}: no 'as_of' date; expected "
                                                         "the date the figure is valid for"))
        figures.append(Figure(
            id=values["id"], value=values["value"], label=values["label"],
            as_of=values["as_of"], note=check.prose(values["note"], label),
            sources=check.cite(values["sources"], label),
            from_article=bool(values["from_article"])))
    return tuple(figures)


def _entities(check: _Checker, name: str, kind: str) -> tuple[Entity, ...]:
    fields = PERSON_FIELDS if kind == "person" else PLACE_FIELDS
    return tuple(
        Entity(id=values["id"], name=values["name"], role=values.get("role"),
               text=check.prose(values["text"], label),
               sources=check.cite(values["sources"], label),
               report_spelling=values["report_spelling"])
        for values, label, _node in check.records(name, fields, kind)
    )


def _glossary(check: _Checker) -> tuple[Term, ...]:
    terms: list[Term] = []
    seen: dict[str, SourceLocation] = {}
    for values, label, node in check.records("glossary.yaml", TERM_FIELDS, "term", "term"):
        anchor = slugify(values["term"])
        if anchor in seen:
            check.problems.append(error(node.location, f"{label}: defined twice (first at "
                                                       f"{seen[anchor]}); expected each term "
                                                       "once"))
            continue
        seen[anchor] = node.location
        terms.append(Term(id=anchor, term=values["term"],
                          definition=check.prose(values["definition"], label),
                          sources=check.cite(values["sources"], label)))
    return tuple(sorted(terms, key=lambda t: t.term.casefold()))


def _markdown(check: _Checker, name: str) -> Prose | None:
    source = check.raw.markdown.get(name)
    if source is None:
        return None
    report = check_prose(source.text, text_locator(source.path, source.text), block=True,
                         allow_containers=True, allow_raw_html=check.config.allow_raw_html)
    check.problems.extend(report.problems)
    label = name.removesuffix(".md")
    check.citations.extend((label, Ref(c.source_id, c.location)) for c in report.citations)
    return Prose(text=source.text, location=SourceLocation(source.path, 1, 1))


def split_sections(prose: Prose) -> tuple[list[Section], list[Diagnostic]]:
    """Background: one section per '##' heading; the heading is the section's title."""
    lines = prose.text.split("\n")
    masked = mask_code(prose.text).split("\n")
    problems: list[Diagnostic] = []
    starts = [i for i, line in enumerate(masked) if re.match(r" {0,3}##[ \t]+\S", line)
              and not line.lstrip().startswith("###")]
    before = [i for i in range(starts[0] if starts else len(lines)) if lines[i].strip()]
    if before:
        where = SourceLocation(prose.location.path, before[0] + 1, 1)
        problems.append(error(where, "text before the first '##' heading; expected every "
                                     "background section to start with '## Title'"))
    sections: list[Section] = []
    used: set[str] = set()
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        title = lines[start].strip().lstrip("#").strip()
        anchor = base = f"background-{slugify(title)}"
        suffix = 2
        while anchor in used:
            anchor, suffix = f"{base}-{suffix}", suffix + 1
        used.add(anchor)
        body_lines = lines[start + 1:end]
        first_body_line = start + 2
        while body_lines and not body_lines[0].strip():
            body_lines.pop(0)
            first_body_line += 1
        body = "\n".join(body_lines).rstrip()
        if not body:
            problems.append(error(SourceLocation(prose.location.path, start + 1, 1),
                                  f"background section '{title}' is empty; expected text "
                                  "under the heading"))
            continue
        sections.append(Section(id=anchor, title=title, body=Prose(
            text=body, location=SourceLocation(prose.location.path, first_body_line, 1))))
    return sections, problems


def _check_citations(check: _Checker, sources: tuple[Source, ...]) -> None:
    if "sources.yaml" not in check.raw.yaml:
        return  # sources.yaml is missing or unreadable: every citation would be a false alarm
    known = check.declared("source")
    used = set()
    for label, ref in check.citations:
        used.add(ref.id)
        if ref.id not in known:
            check.problems.append(error(ref.location, f"{label}: unknown source '{ref.id}' "
                                                      f"{closest_first(ref.id, known)}"))
    for source in sources:
        if source.id not in used:
            check.problems.append(warning(check.ids["source", source.id],
                                          f"source '{source.id}' is never cited; expected a "
                                          "[@id] or 'sources:' entry that uses it, or remove it"))


def validate_explainer(raw: RawExplainer, config: SiteConfig,
                       seed_files: frozenset[str]) -> tuple[Explainer | None, list[Diagnostic]]:
    """One explainer's models and problems; pure, so results can be cached per explainer."""
    check = _Checker(raw, config)
    meta_node = check.document("explainer.yaml", YamlMapping)
    meta: dict[str, Any] = {}
    meta_ok = False
    if meta_node is not None:
        meta, meta_ok = read_record(meta_node, EXPLAINER_FIELDS, "explainer", check.problems)
    summary = check.prose(meta.get("summary"), "explainer")
    intro = check.prose(meta.get("article_intro"), "explainer")
    if meta.get("updated") and meta.get("published") and \
            meta["updated"].sort_key < meta["published"].sort_key:
        at = meta_node.get("updated") if isinstance(meta_node, YamlMapping) else None
        check.problems.append(error(at.location if at else meta_node.location,
                                    f"explainer: updated ({meta['updated']}) is before "
                                    f"published ({meta['published']}); expected the same "
                                    "day or later"))
    if meta.get("seed") and meta["seed"] not in seed_files:
        at = meta_node.get("seed") if isinstance(meta_node, YamlMapping) else None
        check.problems.append(error(at.location if at else meta_node.location,
                                    f"explainer: seed '{meta['seed']}' not found "
                                    f"{closest_first(meta['seed'], seed_files)}"))
    sources = _sources(check)
    eras = _timeline(check)
    figures = _figures(check)
    people = _entities(check, "people.yaml", "person")
    places = _entities(check, "places.yaml", "place")
    glossary = _glossary(check)
    article = _markdown(check, "article.md")
    background_prose = _markdown(check, "background.md")
    background: list[Section] = []
    if background_prose is not None:
        background, section_problems = split_sections(background_prose)
        check.problems.extend(section_problems)
    _check_citations(check, sources)
    if any(p.is_error for p in check.problems) or not meta_ok or article is None:
        return None, check.problems
    assert summary is not None
    return Explainer(
        slug=raw.slug, title=meta["title"], summary=summary, published=meta["published"],
        updated=meta["updated"], tags=meta["tags"] or (), seed=meta["seed"],
        article_intro=intro, article=article, background=tuple(background), eras=eras,
        figures=figures, people=people, places=places, glossary=glossary, sources=sources,
    ), check.problems


def validate_config(node: YamlNode | None) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """The site's settings from site.yaml (None when missing or unreadable)."""
    if node is None:
        return None, []
    problems: list[Diagnostic] = []
    values, ok = read_record(node, SITE_FIELDS, "site", problems)
    if not ok:
        return None, problems
    return SiteConfig(
        title=values["title"], description=values["description"], language=values["language"],
        base_url=values["base_url"], publisher=values["publisher"] or values["title"],
        allow_raw_html=bool(values["allow_raw_html"]),
    ), problems


def order_explainers(explainers: Iterable[Explainer]) -> tuple[Explainer, ...]:
    """Newest first, then by slug, so the index page never depends on folder order."""
    by_slug = sorted(explainers, key=lambda e: e.slug)
    return tuple(sorted(by_slug, key=lambda e: e.published.sort_key, reverse=True))
