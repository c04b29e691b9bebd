"""What the explainer page works out from its records to lay them out for a reader: which
key figures lead, how long the page takes to read, where the timeline marks a new year or a
long gap."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model import Explainer
from generator.records import Event, Figure, Person, Place, Section, Term
from generator.rules import CITATION_PATTERN

DEFAULT_LEAD_FIGURES = 4
"""Without 'lead: true' anywhere, the first figures lead: a phone's first screens hold them."""
WORDS_PER_MINUTE = 230
"""A common estimate for adults reading non-fiction on a screen."""
_WORD = re.compile(r"[^\W_]+(?:[\u2019'-][^\W_]+)*")
_MARKUP = re.compile(CITATION_PATTERN + r"|\{==|==\}|\{>>|<<\}|^:::.*$", re.M)


@dataclass(frozen=True, slots=True)
class FigureGroups:
    """Key figures above the report (at most six, one possibly featured) and the rest."""

    lead: tuple[Figure, ...]
    more: tuple[Figure, ...]


def figure_groups(explainer: Explainer) -> FigureGroups:
    figures = explainer.of(Figure)
    marked = tuple(f for f in figures if f.lead or f.featured)
    lead = marked or figures[:DEFAULT_LEAD_FIGURES]
    return FigureGroups(lead, tuple(f for f in figures if f not in lead))


def reading_minutes(explainer: Explainer) -> int:
    """Minutes to read what a reader reads through: the answer, the report with its notes,
    the timeline and the background (not the reference lists)."""
    texts = [p.text for p in explainer.meta.key_points]
    texts.append(explainer.article.text)
    texts += [e.text.text for e in explainer.of(Event)]
    texts += [s.body.text for s in explainer.of(Section)]
    words = sum(len(_WORD.findall(_MARKUP.sub(" ", text))) for text in texts)
    return max(1, round(words / WORDS_PER_MINUTE))


@dataclass(frozen=True, slots=True)
class RailMark:
    """What the timeline's rail shows before an event: its year when the year changes, and
    how much time passed when it is long enough to need saying."""

    year: int | None
    gap: str | None
    long: bool


def rail_marks(events: tuple[Event, ...]) -> dict[str, RailMark]:
    """By event id, in timeline order (events are sorted by validation)."""
    marks: dict[str, RailMark] = {}
    previous: Event | None = None
    for event in events:
        years = event.date.year - previous.date.year if previous else 0
        gap = f"{years} years later" if years >= 2 else None
        new_year = previous is None or years > 0
        marks[event.id] = RailMark(event.date.year if new_year else None, gap, years >= 5)
        previous = event
    return marks


def entry_names(explainer: Explainer) -> dict[str, str]:
    """Every name a reader may meet for the people, places and terms the page explains, as
    written and as the report spells it, with the anchor of its entry."""
    names: dict[str, str] = {}
    for term in explainer.of(Term):
        names.setdefault(term.term, f"term-{term.id}")
    entries: list[tuple[Person | Place, str]] = [(p, "person") for p in explainer.of(Person)]
    entries += [(p, "place") for p in explainer.of(Place)]
    for entry, anchor in entries:
        for name in (entry.name, entry.report_spelling):
            if name:
                names.setdefault(name, f"{anchor}-{entry.id}")
    return names
