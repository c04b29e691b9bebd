"""What is checked once every explainer is known: which are published, and whether the
explainers each one calls related exist."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from generator.errors import Diagnostic
from generator.model import Listing
from generator.validate.records import resolve_references


def check_listings(listings: Iterable[Listing], drafts: bool, folders: Mapping[str, str],
                   ) -> tuple[tuple[Listing, ...], tuple[str, ...], list[Diagnostic]]:
    """The explainers the site shows, a note on each draft or scheduled one (left out of a
    published build, or shown as a draft with ``drafts``), and every 'related:' entry that
    names no explainer folder. A draft named in 'related:' is no error: the related block
    leaves it out until it is published."""
    shown, notes = [], []
    problems: list[Diagnostic] = []
    every = list(listings)
    for listing in every:
        if listing.held is None or drafts:
            shown.append(listing)
        if listing.held is not None:
            what = "shown as a draft, marked and noindex" if drafts else \
                "left out of the site; build --drafts to preview it"
            notes.append(f"note: {folders[listing.slug]}/explainer.yaml: {listing.held}: "
                         f"{what}")
    resolve_references((("explainer", ref) for e in every for ref in e.related_refs),
                       {"explainer": set(folders)}, problems)
    return tuple(shown), tuple(notes), problems
