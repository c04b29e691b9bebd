"""Which site-wide people, places, terms and sources an explainer's page shows.

A shared record is written once in ``content/<kind>.yaml``; each page lists only those it
uses: the ones it refers to by id (a quote's speaker, a map's place, a ``[@source]``), and the
ones its own words mention by name (a person's ``name`` or ``report_spelling``, a place's
``name`` or ``report_spelling``, a glossary ``term``, whose first letter may be either case:
"Loya jirga" is named by "a loya jirga"), so writers need no second list. A source's title
is not the page's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass

from generator.errors import Diagnostic, SourceLocation, error
from generator.raw import Prose
from generator.records import KINDS, Person, Place, Record, Source, Term
from generator.validate.records import Collected

NAME_FIELDS = {Person.KIND.name: ("name", "report_spelling"),
               Place.KIND.name: ("name", "report_spelling"),
               Term.KIND.name: ("term",)}


@dataclass(frozen=True, slots=True)
class Shared:
    """Records written once for the whole site (content/<kind>.yaml), by kind."""

    records: dict[str, tuple[Record, ...]] = field(default_factory=dict)
    ids: dict[tuple[str, str], SourceLocation] = field(default_factory=dict)


def clashes_with_shared(found: Collected, shared: Shared, problems: list[Diagnostic]) -> None:
    """An explainer may not redefine a site-wide id: two texts for one id would diverge."""
    for (kind_name, ident), location in found.ids.items():
        site_wide = shared.ids.get((kind_name, ident))
        if site_wide is not None:
            problems.append(error(location, f"{kind_name} '{ident}' is already written for the "
                                            f"whole site at {site_wide}; expected it once "
                                            "(remove this one, or give it another id)"))


def used_shared(found: Collected, shared: Shared,
                own_words: Iterable[str]) -> dict[str, tuple[Record, ...]]:
    """Shared records this explainer refers to or names, with the sources they cite."""
    wanted = {(ref.kind, ref.id) for _label, ref in found.refs}
    wanted |= mentioned(shared, "\n".join(own_words))
    used: dict[str, tuple[Record, ...]] = {}
    for kind in KINDS:
        if kind.plural in shared.records and kind is not Source.KIND:
            used[kind.plural] = tuple(r for r in shared.records[kind.plural]
                                      if (kind.name, r.id) in wanted)
            for record in used[kind.plural]:
                wanted.update(("source", s) for s in getattr(record, "sources", ()))
                wanted.update(("source", s) for s in getattr(record, "coordinates_sources", ()))
    used["sources"] = tuple(r for r in shared.records.get("sources", ())
                            if ("source", r.id) in wanted)
    return used


def mentioned(shared: Shared, text: str) -> set[tuple[str, str]]:
    """(kind, id) of every shared person, place or term whose name occurs as whole words."""
    found: set[tuple[str, str]] = set()
    for kind in KINDS:
        names = NAME_FIELDS.get(kind.name)
        if names is None:
            continue
        for record in shared.records.get(kind.plural, ()):
            spellings = [getattr(record, n) for n in names if getattr(record, n, None)]
            either_case = kind is Term.KIND
            if any(_occurs(spelling, text, either_case) for spelling in spellings):
                found.add((kind.name, record.id))
    return found


def _occurs(name: str, text: str, either_case: bool = False) -> bool:
    rest = name[1:]
    if rest not in text:  # cheap test first: most names are absent from most pages
        return False
    first = f"[{re.escape(name[0].upper())}{re.escape(name[0].lower())}]" if either_case \
        else re.escape(name[0])
    return re.search(rf"(?<!\w){first}{re.escape(rest)}(?!\w)", text) is not None


def words_of(records: Iterable[Record]) -> Iterator[str]:
    """The text and Markdown of records, for finding the names they mention."""
    for record in records:
        if not is_dataclass(record):
            continue
        for column in fields(record):
            value = getattr(record, column.name)
            if isinstance(value, Prose):
                yield value.text
            elif isinstance(value, str) and column.name not in ("id", "sources"):
                yield value
