"""Which key figures lead: at most six above the report, one of them larger."""

from __future__ import annotations

from generator.errors import Diagnostic, SourceLocation, error
from generator.raw import YamlMapping
from generator.records import Figure
from generator.validate.records import Collected, ReadRecord

MOST_LEAD_FIGURES = 6
"""Enough to frame the story; more would push the report off a phone's first screens."""


def _field_location(read: ReadRecord, name: str) -> SourceLocation:
    value = read.node.get(name) if isinstance(read.node, YamlMapping) else None
    return value.location if value is not None else read.node.location


def check_lead_figures(found: Collected, problems: list[Diagnostic]) -> None:
    """'lead: true' on at most six figures; 'featured: true' (a lead figure, shown larger)
    on at most one."""
    figures = [(r, r.record) for r in found.read if isinstance(r.record, Figure)]
    leads = [r for r, figure in figures if figure.lead or figure.featured]
    for extra in leads[MOST_LEAD_FIGURES:]:
        problems.append(error(_field_location(extra, "lead"),
                              f"{extra.label}: a lead figure too many ({len(leads)} are "
                              f"marked); expected at most {MOST_LEAD_FIGURES} figures with "
                              "'lead: true' above the report, the rest under More figures"))
    featured = [(r, figure) for r, figure in figures if figure.featured]
    for extra, _figure in featured[1:]:
        first, first_figure = featured[0]
        problems.append(error(_field_location(extra, "featured"),
                              f"{extra.label}: a second featured figure (the first is "
                              f"'{first_figure.id}' at {first.node.location}); "
                              "expected one figure with 'featured: true'"))
