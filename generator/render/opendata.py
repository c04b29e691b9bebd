"""An explainer's facts as data: our own JSON, TimelineJS's format, and schema.org JSON-LD.

Newsrooms reuse facts in tools they already have; the same ids as in the YAML make every
record traceable back to its source file.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from html import escape
from typing import Any

from generator.dates import PartialDate
from generator.model import Explainer, SiteConfig
from generator.raw import Prose
from generator.records import KINDS, Author, Record, Source

FACTS_FORMAT = "explainer-facts/2"


def _date(date: PartialDate) -> dict[str, Any]:
    return {"iso": date.iso(), "precision": date.precision, "display": date.display()}


Plain = Callable[[Prose], str]
"""Text without markup, from the page's Markdown converter."""


def export(value: object, plain: Plain) -> Any:
    """Any record value as JSON: dates with their precision, prose as plain text and as
    written (with its [@citations]), records field by field."""
    if isinstance(value, PartialDate):
        return _date(value)
    if isinstance(value, Prose):
        return {"plain": plain(value), "markdown": value.text}
    if isinstance(value, tuple):
        return [export(item, plain) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: export(getattr(value, f.name), plain)
                for f in dataclasses.fields(value)}
    return value


def facts_document(explainer: Explainer, page_url: str, plain: Plain) -> dict[str, Any]:
    """Every fact of one explainer with its sources, kind by kind, in page order.

    Derived from the record declarations: a field added to a kind appears here by itself.
    """
    records: dict[str, list[Any]] = {}
    for kind in KINDS:
        records[kind.plural] = [export(record, plain)
                                for record in explainer.records[kind.plural]]
    for number, source in enumerate(records["sources"], 1):
        source["number"] = number
    return {
        "format": FACTS_FORMAT,
        "explainer": {"slug": explainer.slug, "url": page_url,
                      **export(explainer.meta, plain)},
        **records,
    }


def _timelinejs_date(date: PartialDate) -> dict[str, Any]:
    parts: dict[str, Any] = {"year": date.year}
    if date.month is not None:
        parts["month"] = date.month
    if date.day is not None:
        parts["day"] = date.day
    parts["display_date"] = date.display()
    return parts


def _sources_html(ids: tuple[str, ...], sources: dict[str, Record]) -> str:
    """TimelineJS shows HTML: name each source, linking those with a web address."""
    cited = []
    for ident in ids:
        source = sources[ident]
        assert isinstance(source, Source)
        date = source.date.display() if source.date else "undated"
        name = escape(f"{source.publisher}, {source.title}, {date}", quote=False)
        cited.append(f'<a href="{escape(source.url)}">{name}</a>' if source.url else name)
    return f"<p>Sources: {'; '.join(cited)}</p>" if cited else ""


def timelinejs_document(explainer: Explainer, plain: Plain) -> dict[str, Any]:
    """The timeline in TimelineJS 3's JSON format, eras included, ready to embed."""
    sources = {source.id: source for source in explainer.records["sources"]}
    events = []
    for group in explainer.timeline:
        era = group.era
        for event in group.events:
            events.append({
                "unique_id": event.id,
                "start_date": _timelinejs_date(event.date),
                "text": {"headline": escape(event.title, quote=False),
                         "text": f"<p>{escape(plain(event.text), quote=False)}</p>"
                                 + _sources_html(event.sources, sources)},
                "group": escape(era.title, quote=False),
            })
    eras = [{"start_date": _timelinejs_date(group.events[0].date),
             "end_date": _timelinejs_date(group.events[-1].date),
             "text": {"headline": escape(group.era.title, quote=False)}}
            for group in explainer.timeline]
    return {"title": {"text": {"headline": escape(explainer.title, quote=False),
                               "text": f"<p>{escape(plain(explainer.summary), quote=False)}"
                                       "</p>"}},
            "events": events, "eras": eras}


def news_article(explainer: Explainer, config: SiteConfig, page_url: str,
                 plain: Plain, images: list[dict[str, Any]] | None = None,
                 logo: dict[str, Any] | None = None,
                 authors: list[Author] | None = None) -> dict[str, Any]:
    """schema.org NewsArticle: headline, dates, images, authors (or else the publisher),
    publisher (with its logo) and the sources it cites."""
    publisher: dict[str, Any] = {"@type": "Organization", "name": config.publisher,
                                 "url": config.base_url}
    if logo is not None:
        publisher["logo"] = logo
    citations = []
    for source in explainer.of(Source):
        cited: dict[str, Any] = {"@type": "CreativeWork", "name": source.title,
                                 "publisher": {"@type": "Organization",
                                               "name": source.publisher}}
        if source.date:
            cited["datePublished"] = source.date.iso()
        if source.url:
            cited["url"] = source.url
        citations.append(cited)
    return {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": explainer.title, "description": plain(explainer.summary),
        "url": page_url, "mainEntityOfPage": page_url, "inLanguage": config.language,
        "datePublished": explainer.published.iso(),
        "dateModified": explainer.last_changed.iso(),
        **({"image": images} if images else {}),
        "author": [_author(a, config) for a in authors] if authors else publisher,
        "publisher": publisher,
        "keywords": list(explainer.tags), "citation": citations,
    }


def _author(author: Author, config: SiteConfig) -> dict[str, Any]:
    """A byline as schema.org has it: a Person, or an Organization for a desk; its url is
    its own address if it has one, else its author page on this site."""
    return {"@type": "Organization" if author.organization else "Person",
            "name": author.name, "url": author.url or f"{config.base_url}authors/{author.id}/"}


def to_json(document: dict[str, Any]) -> bytes:
    """Stable, compact JSON: the same facts always give the same bytes. (Indented output
    would need Python's slow pure-Python encoder: 8 % of a fact-heavy build.)"""
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def script_json(document: dict[str, Any]) -> str:
    """JSON safe inside <script type="application/ld+json">: no '</script>' can close it."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
