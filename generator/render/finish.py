"""The last pass over a finished explainer page: what depends on the whole page, not on one
piece of prose. Converted fragments are kept and shown again on other pages (and by other
templates), so anything that must be unique or counted on a page is left as a token at
conversion time and settled here, once the page's order is known:

- editorial notes are numbered 1, 2, 3… in the order a reader meets them;
- every citation link gets an id of its own ('cite-<source>-<n>'), and each entry of the
  source list links back to every place it is cited; a space before a citation becomes a
  no-break space, so its bracket never starts a line;
- the first mention of a person, place or term links to its entry (``entity_token``).

Tokens start with NUL, which the loader refuses in content, so no text can forge one.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from html import escape

from markupsafe import Markup

from generator.render.markup import number_notes

_CITE = re.compile("\x00cite:([a-z0-9-]+)\x00")
_BACKLINKS = re.compile("\x00backlinks:([a-z0-9-]+)\x00")
_ENTITY = re.compile("\x00name:([a-z0-9-]+)\x00(.*?)\x00/name\x00", re.S)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def backlinks_token(source_id: str) -> Markup:
    """Where a source's entry lists the places that cite it (filled in by ``finish``)."""
    return Markup(f"\x00backlinks:{escape(source_id)}\x00")


def finish(page: str, entities: Collection[str] = ()) -> str:
    """Settle every token of a finished page. ``entities``: the anchors of the entries the
    page shows (people, places, terms)."""
    page = number_notes(page)
    page = _link_first_mentions(page, entities)
    citations: dict[str, list[str]] = {}

    def cite_id(match: re.Match[str]) -> str:
        places = citations.setdefault(match[1], [])
        places.append(f"cite-{match[1]}-{len(places) + 1}")
        return places[-1]

    page = _CITE.sub(cite_id, page).replace(' <sup class="cite">', '\u00a0<sup class="cite">')
    return _BACKLINKS.sub(lambda m: _backlinks(citations.get(m[1], [])), page)


def _letter(index: int) -> str:
    """a, b, … z, aa, ab, …: the usual marks for the places one source is cited."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, len(_LETTERS))
        text = _LETTERS[rest] + text
    return text


def _backlinks(places: list[str]) -> str:
    if not places:
        return ""
    if len(places) == 1:
        return (f'<span class="backlinks"><a href="#{places[0]}" aria-label="Back to where '
                f'this source is cited">\u21a9</a></span>')
    links = " ".join(
        f'<a href="#{place}" aria-label="Back to citation {_letter(n - 1)} ({n} of '
        f'{len(places)})">{_letter(n - 1)}</a>' for n, place in enumerate(places, 1))
    return f'<span class="backlinks"><span aria-hidden="true">\u21a9</span> {links}</span>'


def _link_first_mentions(page: str, entities: Collection[str]) -> str:
    seen: set[str] = set()

    def mention(match: re.Match[str]) -> str:
        anchor, text = match[1], match[2]
        if anchor in seen or anchor not in entities:
            return text
        seen.add(anchor)
        return f'<a class="entity-link" href="#{anchor}">{text}</a>'

    return _ENTITY.sub(mention, page)
