"""Linear-time scans of a writer's Markdown, shared by validation and rendering.

Regular expressions that try every start position are quadratic on hostile text: a 20 KB
line of '{==' (each a note that never closes) or of '[' (each a link that never closes, which
Python-Markdown scans to the end of the paragraph for) cost minutes of CPU. These do the
same work with a bounded number of looks at each character.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from itertools import accumulate

from generator.rules import NOTE_PATTERN

_NOTE = re.compile(NOTE_PATTERN, re.DOTALL)
_BLANK_LINE = re.compile(r"\n\s*\n")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_BACKTICKS = re.compile(r"`+")
MAX_BRACKET_DEPTH = 4
"""Links nest at most this deep; deeper brackets are text (no real sentence needs more)."""


def positions(text: str) -> Callable[[int], tuple[int, int]]:
    """Line and column (both from 1) of an offset in ``text``. Offsets asked for in order
    (a page's links) count the newlines since the last one, so all of them together cost one
    pass; after ``_BACKWARDS`` steps back, a table of line starts is made, in C, and looked up.
    Never a Python step per line: a 1 MB file of blank lines would cost a third of a second."""
    starts: list[int] = []
    last = [0, 1, 0]  # the last offset answered, its line, where that line starts
    backwards = 0

    def position(offset: int) -> tuple[int, int]:
        nonlocal backwards
        if not starts:
            at, line, start = last
            if offset < at:
                backwards += 1
                at, line, start = 0, 1, 0
            if backwards <= _BACKWARDS:
                line += text.count("\n", at, offset)
                newline = text.rfind("\n", at, offset)
                last[:] = offset, line, start if newline < 0 else newline + 1
                return line, offset - last[2] + 1
            # each line's length plus its newline, summed: where the next line begins
            starts.extend(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    return position


_BACKWARDS = 16
"""Offsets asked for out of order, each counted from the start, before a table of line
starts is made: most texts have a few messages, and the table costs a pass over every line."""


def _fences(text: str) -> list[tuple[int, int]]:
    """Where each fenced code block starts and ends. Most text has no fence, and the pattern
    is tried at every line start, so look for one first."""
    if "```" not in text and "~~~" not in text:
        return []
    return [match.span() for match in _FENCE.finditer(text)]


def _code(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Code blocks and spans, and the backtick runs that open no span (they are text). A span
    closes at the next run of exactly as many backticks, as in CommonMark."""
    spans = _fences(text)
    fenced = iter(spans)
    fence = next(fenced, None)
    runs: list[tuple[int, int]] = []  # backtick runs outside fences
    by_length: dict[int, list[int]] = {}
    for match in _BACKTICKS.finditer(text):
        while fence is not None and fence[1] <= match.start():
            fence = next(fenced, None)
        if fence is not None and fence[0] <= match.start():
            continue
        runs.append(match.span())
        by_length.setdefault(match.end() - match.start(), []).append(len(runs) - 1)
    unmatched: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        after = bisect.bisect_right(same, index)
        if after < len(same):
            closing = same[after]
            spans.append((start, runs[closing][1]))
            index = closing + 1
        else:
            unmatched.append((start, end))
            index += 1
    return sorted(spans), unmatched


def mask_code(text: str) -> str:
    """Hide code blocks and code spans (spaces, newlines kept, so offsets still match): what
    is written there is shown, not interpreted."""
    spans, _unmatched = _code(text)
    if not spans:
        return text
    out, at = [], 0
    for start, end in spans:
        if start < at:
            continue
        out += [text[at:start], re.sub(r"[^\n]", " ", text[start:end])]
        at = end
    out.append(text[at:])
    return "".join(out)


class NoteFinder:
    """``search`` and ``finditer`` like ``re.compile(NOTE_PATTERN, re.DOTALL)``'s, in time
    proportional to what they match: the next '==}{>>', '<<}' and blank line are looked up
    once and reused for every '{==' before them, instead of scanned for from each."""

    pattern = NOTE_PATTERN

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        middle = close = blank = -1
        scanned = 0  # no blank line starts between the first '{==' and here
        start = text.find("{==", pos)
        while start >= 0:
            if middle < start + 3:
                middle = text.find("==}{>>", start + 3)
                if middle < 0:
                    return None
            if close < middle + 6:
                close = text.find("<<}", middle + 6)
                if close < 0:
                    return None
            if blank < start + 3:
                found = _BLANK_LINE.search(text, max(start + 3, scanned), close)
                scanned = max(scanned, close)
                blank = found.start() if found else -1
            if not start + 3 <= blank < close:
                match = _NOTE.match(text, start)
                if match is not None:
                    return match
            start = text.find("{==", start + 1)
        return None

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        at = pos
        while (match := self.search(text, at)) is not None:
            yield match
            at = max(match.end(), at + 1)


def defuse(text: str) -> str:
    """Take out what Python-Markdown would take quadratic time over, without changing what
    the text shows: escape a '[' never closed or nested deeper than links can, a link's '('
    never closed, a '<' that starts a tag with no '>' after it, a run of backticks that opens
    no code span, a quote or list marker nested
    beyond ``MAX_NESTING`` on one line (Python-Markdown recurses once per level); and
    shorten runs of blank lines (each is a block it pops from the
    front of a list)."""
    masked = mask_code(text)
    edits = [(at, at, "\\") for start, end in _code(text)[1] for at in range(start, end)]
    edits += [(at, at, "\\") for at in map(_marker_escape, _DEEP.finditer(masked))]
    closing = masked.rfind(">")  # a '<' after the last '>' opens a tag that never ends,
    edits += [(m.start(), m.end(), "&lt;")  # which html.parser rescans from each one
              for m in _TAG_OPEN.finditer(masked, closing + 1)]
    fences = _fences(text)
    for run in _BLANK_RUN.finditer(text):
        where = bisect.bisect_right(fences, (run.start(), len(text) + 1)) - 1
        if where < 0 or not fences[where][0] <= run.start() < fences[where][1]:
            edits.append((run.start(), run.end(), "\n\n"))
    if "[" in masked:
        edits += [(at, at, "\\") for at in _bracket_escapes(masked)]
    if not edits:
        return text
    out, at = [], 0
    for start, end, replacement in sorted(edits):
        if start < at:
            continue
        out += [text[at:start], replacement]
        at = end
    out.append(text[at:])
    return "".join(out)


_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
"""Written as '&lt;', which every path turns into the same text as a lone '<'."""
MAX_NESTING = 16
_MARKER = r"(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])"
"""What opens a quote or a list item, so that several on one line nest."""
_DEEP = re.compile(rf"^((?:[ \t]*{_MARKER}){{{MAX_NESTING}}}[ \t]*)(?={_MARKER})", re.M)


def _marker_escape(match: re.Match[str]) -> int:
    """Where a backslash turns the marker after ``match`` into text: before '>', '-', '*',
    '+', or before the '.' or ')' of '1.'."""
    at = match.end(1)
    while match.string[at].isdigit():
        at += 1
    return at
_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n){3,}")


def _bracket_escapes(masked: str) -> list[int]:
    """Offsets of the '[' and '(' that ``defuse`` escapes."""
    closed = _closed_parentheses(masked)
    escape: list[int] = []
    stack: list[int] = []
    for match in _TOKENS.finditer(masked):
        char = match[0]
        if char == "[":
            stack.append(match.start())
        elif char == "]" and stack:
            opened = stack.pop()
            if len(stack) >= MAX_BRACKET_DEPTH:
                escape.append(opened)
            elif masked.startswith("(", match.end()) and match.end() not in closed:
                escape.append(match.end())
        elif char.startswith("\n"):
            escape += stack
            stack.clear()
    return escape + stack


_TOKENS = re.compile(r"\\.|[\[\]()]|\n[ \t]*\n(?:[ \t]*\n)*")
"""Escaped characters (skipped), brackets, parentheses and blank lines (paragraph ends)."""


def _closed_parentheses(masked: str) -> set[int]:
    """Offsets of the '(' that close within their paragraph."""
    closed: set[int] = set()
    stack: list[int] = []
    for match in _TOKENS.finditer(masked):
        char = match[0]
        if char == "(":
            stack.append(match.start())
        elif char == ")" and stack:
            closed.add(stack.pop())
        elif char.startswith("\n"):
            stack.clear()
    return closed
