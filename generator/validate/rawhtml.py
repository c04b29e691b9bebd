"""Find the tags in a writer's raw HTML the way a browser's tokenizer does, in one pass.

Regular expressions over whole tags disagree with browsers on the cases attackers use
('<svg/onload=…>', 'alt=">" onerror=…', upper-case names); this follows the HTML tokenizer's
attribute states instead, so validation sees the attributes the browser (and the
renderer's sanitiser) would see. Linear in the text: every character is looked at a bounded
number of times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TAG_START = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])")
_SPACE = re.compile(r"[\s/]*")
_NAME = re.compile(r"[^\s/>]?[^\s/>=]*")
_EQUALS = re.compile(r"\s*=\s*")
_UNQUOTED = re.compile(r"[^\s>]*")


@dataclass(frozen=True, slots=True)
class Tag:
    start: int
    end: int
    name: str
    closing: bool
    attributes: list[tuple[str, str]]


def _attributes(text: str, at: int) -> tuple[list[tuple[str, str]], int] | None:
    """The attributes from ``at`` to the tag's '>' and the offset after it; None when the
    tag never ends."""
    found: list[tuple[str, str]] = []
    while True:
        space = _SPACE.match(text, at)
        assert space is not None
        at = space.end()
        if at >= len(text):
            return None
        if text[at] == ">":
            return found, at + 1
        name = _NAME.match(text, at)
        assert name is not None
        at = name.end()
        value = ""
        equals = _EQUALS.match(text, at)
        if equals is not None:
            at = equals.end()
            if at < len(text) and text[at] in "\"'":
                close = text.find(text[at], at + 1)
                if close < 0:
                    return None
                value, at = text[at + 1:close], close + 1
            else:
                unquoted = _UNQUOTED.match(text, at)
                assert unquoted is not None
                value, at = unquoted[0], unquoted.end()
        found.append((name[0], value))


def scan_tags(text: str) -> Iterator[Tag]:
    """Every start and end tag in ``text``, in order."""
    at = 0
    while (match := _TAG_START.search(text, at)) is not None:
        parsed = _attributes(text, match.end())
        if parsed is None:
            return  # a browser reads the rest as part of this tag, and drops it at the end
        attributes, end = parsed
        yield Tag(match.start(), end, match[2].lower(), bool(match[1]), attributes)
        at = end
