"""An explainer's facts as data: our own JSON, TimelineJS's format, and schema.org JSON-LD.

Newsrooms reuse facts in tools they already have; the same ids as in the YAML make every
record traceable back to its source file.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from generator.dates import PartialDate
from generator.markup import plain_text
from generator.model import Entity, Explainer, Prose, SiteConfig, Source

FACTS_FORMAT = "explainer-facts/1"


def _date(date: PartialDate | None) -> dict[str, Any] | None:
    if date is None:
        return None
    return {"iso": date.iso(), "precision": date.precision, "display": date.display()}


def _text(prose: Prose | None) -> dict[str, str] | None:
    """Plain text for reading, and the Markdown as written (with its [@citations])."""
    if prose is None:
        return None
    return {"plain": plain_text(prose), "markdown": prose.text}


def _source(source: Source) -> dict[str, Any]:
    return {"id": source.id, "number": source.number, "title": source.title,
            "publisher": source.publisher, "date": _date(source.date), "url": source.url,
            "author": source.author, "note": _text(source.note)}


def _entity(entity: Entity) -> dict[str, Any]:
    record = {"id": entity.id, "name": entity.name, "text": _text(entity.text),
              "sources": list(entity.sources), "report_spelling": entity.report_spelling}
    if entity.role is not None:
        record["role"] = entity.role
    return record


def facts_document(explainer: Explainer, page_url: str) -> dict[str, Any]:
    """Every fact of one explainer with its sources, in the order the page shows them."""
    return {
        "format": FACTS_FORMAT,
        "explainer": {
            "slug": explainer.slug, "title": explainer.title, "url": page_url,
            "summary": _text(explainer.summary), "published": _date(explainer.published),
            "updated": _date(explainer.updated), "tags": list(explainer.tags),
        },
        "eras": [{"id": era.id, "title": era.title, "events": [e.id for e in era.events]}
                 for era in explainer.eras],
        "timeline": [
            {"id": event.id, "date": _date(event.date), "era": event.era,
             "title": event.title, "text": _text(event.text), "sources": list(event.sources),
             "highlight": event.highlight}
            for event in explainer.events],
        "figures": [
            {"id": figure.id, "value": figure.value, "label": figure.label,
             "as_of": _date(figure.as_of), "note": _text(figure.note),
             "sources": list(figure.sources), "from_article": figure.from_article}
            for figure in explainer.figures],
        "people": [_entity(person) for person in explainer.people],
        "places": [_entity(place) for place in explainer.places],
        "glossary": [{"id": term.id, "term": term.term, "definition": _text(term.definition),
                      "sources": list(term.sources)} for term in explainer.glossary],
        "sources": [_source(source) for source in explainer.sources],
    }


def _timelinejs_date(date: PartialDate) -> dict[str, Any]:
    parts: dict[str, Any] = {"year": date.year}
    if date.month is not None:
        parts["month"] = date.month
    if date.day is not None:
        parts["day"] = date.day
    parts["display_date"] = date.display()
    return parts


def _sources_html(ids: tuple[str, ...], sources: dict[str, Source]) -> str:
    """TimelineJS shows HTML: name each source, linking those with a web address."""
    cited = []
    for ident in ids:
        source = sources[ident]
        name = escape(f"{source.publisher}, {source.title}, {source.date.display()}", quote=False)
        cited.append(f'<a href="{escape(source.url)}">{name}</a>' if source.url else name)
    return f"<p>Sources: {'; '.join(cited)}</p>" if cited else ""


def timelinejs_document(explainer: Explainer) -> dict[str, Any]:
    """The timeline in TimelineJS 3's JSON format, eras included, ready to embed."""
    sources = {source.id: source for source in explainer.sources}
    events = []
    for era in explainer.eras:
        for event in era.events:
            events.append({
                "unique_id": event.id,
                "start_date": _timelinejs_date(event.date),
                "text": {"headline": escape(event.title, quote=False),
                         "text": f"<p>{escape(plain_text(event.text), quote=False)}</p>"
                                 + _sources_html(event.sources, sources)},
                "group": era.title,
            })
    eras = [{"start_date": _timelinejs_date(era.events[0].date),
             "end_date": _timelinejs_date(era.events[-1].date),
             "text": {"headline": escape(era.title, quote=False)}} for era in explainer.eras]
    return {"title": {"text": {"headline": escape(explainer.title, quote=False),
                               "text": f"<p>{escape(plain_text(explainer.summary), quote=False)}"
                                       "</p>"}},
            "events": events, "eras": eras}


def news_article(explainer: Explainer, config: SiteConfig, page_url: str) -> dict[str, Any]:
    """schema.org NewsArticle: headline, dates, publisher and the sources it cites."""
    publisher = {"@type": "Organization", "name": config.publisher, "url": config.base_url}
    citations = []
    for source in explainer.sources:
        cited: dict[str, Any] = {"@type": "CreativeWork", "name": source.title,
                                 "publisher": {"@type": "Organization",
                                               "name": source.publisher},
                                 "datePublished": source.date.iso()}
        if source.url:
            cited["url"] = source.url
        citations.append(cited)
    return {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": explainer.title, "description": plain_text(explainer.summary),
        "url": page_url, "mainEntityOfPage": page_url, "inLanguage": config.language,
        "datePublished": explainer.published.iso(),
        "dateModified": explainer.last_changed.iso(),
        "author": publisher, "publisher": publisher,
        "keywords": list(explainer.tags), "citation": citations,
    }


def to_json(document: dict[str, Any]) -> bytes:
    """Stable, readable JSON: the same facts always give the same bytes."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def script_json(document: dict[str, Any]) -> str:
    """JSON safe inside <script type="application/ld+json">: no '</script>' can close it."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
