"""The timeline's own rules: events sit under known eras, in date order; no era is empty."""

from __future__ import annotations

from generator.errors import Diagnostic, error
from generator.records import Era, Event
from generator.validate.records import Collected


def order_timeline(found: Collected,
                   problems: list[Diagnostic]) -> tuple[tuple[Era, ...], tuple[Event, ...]]:
    """Eras in file order, each with its events by date (ties keep file order)."""
    eras = [r for r in found.read if r.kind is Era.KIND and r.record is not None]
    events = [r for r in found.read if r.kind is Event.KIND]
    era_ids = {r.record.id for r in eras if r.record is not None}
    all_events_valid = all(r.record is not None and isinstance(r.record, Event)
                           and r.record.era in era_ids for r in events)
    kept_eras: list[Era] = []
    kept_events: list[Event] = []
    for read_era in eras:
        era = read_era.record
        assert isinstance(era, Era)
        under = sorted(((r.record.date.sort_key, r.index, r.record) for r in events
                        if isinstance(r.record, Event) and r.record.era == era.id),
                       key=lambda entry: entry[:2])
        if not under:
            if all_events_valid:  # otherwise the empty era only echoes an event's problem
                problems.append(error(read_era.node.location, f"era '{era.id}' has no events; "
                                                              "expected at least one event "
                                                              "with this era, or remove the "
                                                              "era"))
            continue
        kept_eras.append(era)
        kept_events.extend(event for _key, _index, event in under)
    return tuple(kept_eras), tuple(kept_events)
