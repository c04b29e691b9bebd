"""The allow-list sanitiser behind ``allow_raw_html: true``: nh3 (Rust's ammonia) cleans the
converted HTML of every text, so whatever a writer's raw HTML says, only the elements and
attributes listed in ``rules`` (plus the markup our own extension makes) reach a page.

Validation reports what is refused, at its line and column; this is the guarantee behind
it, with a real HTML parser's idea of what a tag is rather than a regular expression's.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import nh3
from markdown.postprocessors import Postprocessor

from generator.rules import ALLOWED_SCHEMES, RAW_HTML_ATTRIBUTES, RAW_HTML_TAGS

_OUR_TAGS = frozenset({"aside", "figure", "figcaption", "sup", "mark", "div", "span", "p", "a",
                       "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th",
                       "td"})
"""What the extension itself makes (citations, notes, containers, tables, headings)."""
_OUR_ATTRIBUTES = {
    "*": {"class", "id", "role", "aria-label", "title"},
    "a": {"href"},
    "td": {"style"},
    "th": {"style"},
}
_TABLE_ALIGN = frozenset({"text-align: left;", "text-align: right;", "text-align: center;"})


def _attributes() -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {tag: set(names) for tag, names in RAW_HTML_ATTRIBUTES.items()}
    for tag, names in _OUR_ATTRIBUTES.items():
        merged.setdefault(tag, set()).update(names)
    return merged


def _keep(tag: str, attribute: str, value: str) -> str | None:
    """Only the tables extension's alignment may use 'style'."""
    if attribute == "style":
        return value if value in _TABLE_ALIGN else None
    return value


def make_cleaner() -> Callable[[str], str]:
    """A sanitiser for converted Markdown. Our placeholders use NUL, which an HTML parser
    replaces, so they travel through it as a random word no writer can know in advance."""
    marker = f"z{secrets.token_hex(12)}z"
    tags = set(RAW_HTML_TAGS | _OUR_TAGS)
    attributes = _attributes()
    schemes = set(ALLOWED_SCHEMES)

    def clean(html: str) -> str:
        protected = html.replace("\x00", marker)
        cleaned = nh3.clean(protected, tags=tags, attributes=attributes, url_schemes=schemes,
                            link_rel=None, strip_comments=True, attribute_filter=_keep)
        return cleaned.replace(marker, "\x00")

    return clean


class Sanitiser(Postprocessor):
    """Runs last, on the finished HTML of one text, after raw HTML is put back in."""

    def __init__(self) -> None:
        super().__init__()
        self._clean = make_cleaner()

    def run(self, text: str) -> str:
        return self._clean(text)
