"""How explainers are found from one another: topic pages (one per tag), author pages, and
the related explainers at the foot of each page.

Everything here is worked out from the listings of the whole site, never from one
explainer alone; explainer pages are rendered on their own (and kept), so their related
explainers are rendered here and put into the slot each page leaves for them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.model import Listing, Site, Topic
from generator.records import Author

RELATED_SLOT = "<!-- related explainers -->"
"""Where an explainer page takes its related explainers, once all explainers are known."""
MOST_RELATED = 4
"""Without an explicit 'related:' list, the explainers sharing most topics, newest first."""


@dataclass(frozen=True, slots=True)
class TopicPage:
    topic: Topic
    explainers: tuple[Listing, ...]  # newest first

    @property
    def path(self) -> str:
        return self.topic.path


@dataclass(frozen=True, slots=True)
class AuthorPage:
    author: Author
    explainers: tuple[Listing, ...]  # newest first

    @property
    def path(self) -> str:
        return author_path(self.author.id)


def author_path(ident: str) -> str:
    return f"authors/{ident}/index.html"


def topic_pages(site: Site) -> tuple[TopicPage, ...]:
    """Every topic with its explainers, alphabetically. Tags that make the same address
    ('Afghanistan', 'afghanistan') are one topic, named as its newest explainer writes it."""
    topics: dict[str, Topic] = {}
    members: dict[str, list[Listing]] = {}
    for explainer in site.explainers:  # newest first
        for topic in explainer.topics:
            topics.setdefault(topic.slug, topic)
            members.setdefault(topic.slug, []).append(explainer)
    ordered = sorted(topics.values(), key=lambda t: (t.name.casefold(), t.slug))
    return tuple(TopicPage(t, tuple(members[t.slug])) for t in ordered)


def author_pages(site: Site) -> tuple[AuthorPage, ...]:
    """A page for each author with an explainer on the site, in authors.yaml's order."""
    pages = []
    for author in site.authors:
        theirs = tuple(e for e in site.explainers if author.id in e.meta.authors)
        if theirs:
            pages.append(AuthorPage(author, theirs))
    return tuple(pages)


def related_explainers(site: Site) -> dict[str, tuple[Listing, ...]]:
    """Each explainer's 'related:' explainers as written (those on the site: a draft is left
    out until it is published), or else up to MOST_RELATED sharing most of its topics, in
    the site's order among equals. Explainers are compared only with those that share a
    topic, so fifty or five thousand explainers cost about the same per page."""
    by_slug = {e.slug: e for e in site.explainers}
    order = {e.slug: at for at, e in enumerate(site.explainers)}
    topics_of = {e.slug: {t.slug for t in e.topics} for e in site.explainers}
    members: dict[str, list[str]] = {}
    for explainer in site.explainers:
        for topic in topics_of[explainer.slug]:
            members.setdefault(topic, []).append(explainer.slug)
    related: dict[str, tuple[Listing, ...]] = {}
    for explainer in site.explainers:
        own = explainer.slug
        if explainer.meta.related:
            related[own] = tuple(by_slug[s] for s in explainer.meta.related
                                 if s in by_slug and s != own)
            continue
        shared: Counter[str] = Counter()
        for topic in topics_of[own]:
            shared.update(s for s in members[topic] if s != own)
        ranked = sorted(shared, key=lambda slug: (-shared[slug], order[slug]))
        related[own] = tuple(by_slug[s] for s in ranked[:MOST_RELATED])
    return related


def bylines(explainer: Listing, site: Site) -> tuple[Author, ...]:
    """Its authors, in the order its 'authors:' names them."""
    known = {a.id: a for a in site.authors}
    return tuple(known[i] for i in explainer.meta.authors if i in known)
