"""Which site-wide people, places, terms and sources an explainer's page shows.

A shared record is written once in ``content/<kind>.yaml``; each page lists only those it
uses: the ones it refers to by id (a quote's speaker, a map's place, a ``[@source]``), and the
ones its own words mention by name (a person's ``name`` or ``report_spelling``, a place's
``name`` or ``report_spelling``, a glossary ``term``, whose first letter may be either case:
"Loya jirga" is named by "a loya jirga"), so writers need no second list. A source's title
is not the page's own words, and a name inside a longer name the page or the site knows is
not a mention: "Hamid Karzai International Airport" names the airport, not the man.
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
    own_names = [name for read in found.read if read.record is not None
                 for name in _names_of(read.record, read.kind.name)]
    wanted |= mentioned(shared, "\n".join(own_words), own_names)
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


def mentioned(shared: Shared, text: str,
              other_names: Iterable[tuple[str, bool]] = ()) -> set[tuple[str, str]]:
    """(kind, id) of every shared person, place or term whose name occurs as whole words,
    not only inside a longer name (``other_names``: the page's own, with the shared ones)."""
    named = [(kind.name, record.id, spelling, either_case)
             for kind in KINDS if kind.name in NAME_FIELDS
             for record in shared.records.get(kind.plural, ())
             for spelling, either_case in _names_of(record, kind.name)]
    every_name = [*other_names, *((n, e) for _k, _i, n, e in named)]
    found: set[tuple[str, str]] = set()
    for kind_name, ident, spelling, either_case in named:
        if (kind_name, ident) in found or not _occurs(spelling, text, either_case):
            continue
        longer = [(n, e) for n, e in every_name  # looked for only once a name occurs
                  if len(n) > len(spelling) and spelling.casefold() in n.casefold()]
        if longer and not _occurs(spelling, _without(text, longer), either_case):
            continue
        found.add((kind_name, ident))
    return found


def _names_of(record: Record, kind_name: str) -> list[tuple[str, bool]]:
    """A record's spellings, each with whether its first letter may be either case."""
    return [(spelling, kind_name == Term.KIND.name)
            for spelling in (getattr(record, n, None) for n in NAME_FIELDS.get(kind_name, ()))
            if isinstance(spelling, str) and spelling]


def _pattern(name: str, either_case: bool) -> str:
    first = f"[{re.escape(name[0].upper())}{re.escape(name[0].lower())}]" if either_case \
        else re.escape(name[0])
    return rf"(?<!\w){first}{re.escape(name[1:])}(?!\w)"


def _occurs(name: str, text: str, either_case: bool = False) -> bool:
    if name[1:] not in text:  # cheap test first: most names are absent from most pages
        return False
    return re.search(_pattern(name, either_case), text) is not None


def _without(text: str, names: Iterable[tuple[str, bool]]) -> str:
    """``text`` with every whole-word occurrence of ``names`` blanked out."""
    for name, either_case in sorted(names, key=lambda n: -len(n[0])):
        text = re.sub(_pattern(name, either_case), "\0", text)
    return text


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
