"""Check Markdown for our extra syntax (citations, editorial notes, containers) with positions.

Rendering happens later (``markup``); this module only finds what a writer got wrong, at the
line and column where they wrote it, and which sources the text cites.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.errors import Diagnostic, SourceLocation, error, warning
from generator.rules import (
    CITATION_PATTERN,
    ID_PATTERN,
    raw_html_problem,
    url_problem,
)
from generator.textscan import NoteFinder, mask_code, positions
from generator.validate.containers import Placement, check_containers
from generator.validate.rawhtml import scan_tags

Locator = Callable[[int, str], SourceLocation]
"""Maps (offset in the text, the text found there) to a place in the file."""

_CITATION = re.compile(CITATION_PATTERN)
_CITATION_START = re.compile(r"\[@")
_CITED_ID = re.compile(rf"\s*@({ID_PATTERN})\s*")
_NOTE_TOKEN = re.compile(r"\{==|==\}|\{>>|<<\}")
_OTHER_CRITIC = re.compile(r"\{\+\+|\{--|\{~~")
_HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]+|$)", re.M)
_LINK = re.compile(r"(?P<image>!?)\[(?P<label>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?"
                   r"(?P<url>[^)\s>]*(?:\s+[^)\s>\"']+)*)")
"""The target runs on over whitespace that is not before a title: a browser drops tabs and
newlines inside a URL, so 'java<newline>script:' is a script link."""
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?(?P<url>\S+?)>?(?:\s|$)", re.M)
_AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")


@dataclass(frozen=True, slots=True)
class Citation:
    source_id: str
    location: SourceLocation


@dataclass(frozen=True, slots=True)
class ProseReport:
    citations: tuple[Citation, ...]
    problems: tuple[Diagnostic, ...]
    placements: tuple[Placement, ...] = ()


def _check_citations(masked: str, locate: Locator) -> tuple[list[Citation], list[Diagnostic]]:
    citations: list[Citation] = []
    problems: list[Diagnostic] = []
    complete = {m.start() for m in _CITATION.finditer(masked)}
    for start in (m.start() for m in _CITATION_START.finditer(masked)):
        if start not in complete:
            problems.append(error(locate(start, "[@"), "citation '[@' is never closed; "
                                                       "expected [@source-id]"))
    for match in _CITATION.finditer(masked):
        items = match[1].split(";")
        parsed = [_CITED_ID.fullmatch(item) for item in items]
        if not all(parsed):
            problems.append(error(locate(match.start(), match[0]),
                                  f"malformed citation '{match[0]}'; expected [@source-id] or "
                                  "[@first-id; @second-id] (ids in lowercase with hyphens)"))
            continue
        offset = match.start() + 1
        for item, found in zip(items, parsed, strict=True):
            assert found is not None
            ident = found[1]
            at = offset + item.index("@")
            citations.append(Citation(ident, locate(at, "@" + ident)))
            offset += len(item) + 1
    return citations, problems


def _check_notes(masked: str, locate: Locator) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    covered: list[tuple[int, int]] = []
    reported_paragraphs: set[int] = set()  # one broken note is one problem

    breaks: list[int] = []

    def paragraph_of(offset: int) -> int:
        if not breaks:  # found once, and only when a note needs it
            breaks.extend([m.start() for m in re.finditer(r"\n[ \t]*\n", masked)] or [-1])
        return bisect.bisect_left(breaks, offset)

    for match in NoteFinder().finditer(masked):
        covered.append((match.start(), match.end()))
        for part in ("flag", "note"):
            body = match[part]
            if not body.strip():
                what = "highlighted words" if part == "flag" else "note"
                problems.append(error(locate(match.start(part), match[0][:12]),
                                      f"editorial note with empty {what}; expected "
                                      "{==original words==}{>>the note<<}"))
            inner = _NOTE_TOKEN.search(body)
            if inner:
                problems.append(error(locate(match.start(part) + inner.start(), inner[0]),
                                      "editorial notes cannot be nested; expected "
                                      "{==original words==}{>>the note<<}"))
                reported_paragraphs.add(paragraph_of(match.start()))
    for token in _NOTE_TOKEN.finditer(masked):
        inside = bisect.bisect_right(covered, (token.start(), len(masked) + 1)) - 1
        if inside >= 0 and covered[inside][0] <= token.start() < covered[inside][1]:
            continue
        paragraph = paragraph_of(token.start())
        if paragraph in reported_paragraphs:
            continue  # one broken note is one problem, however many of its marks are stray
        reported_paragraphs.add(paragraph)
        problems.append(error(locate(token.start(), token[0]),
                              f"broken editorial note at '{token[0]}'; expected "
                              "{==original words==}{>>the note<<} within one paragraph"))
    for other in _OTHER_CRITIC.finditer(masked):
        problems.append(error(locate(other.start(), other[0]),
                              f"unsupported CriticMarkup '{other[0]}'; only highlight-and-"
                              "comment notes {==original words==}{>>the note<<} are used"))
    return problems


def _check_headings(masked: str, locate: Locator, block: bool) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    previous = 1
    for match in _HEADING.finditer(masked):
        level = len(match["hashes"])
        where = locate(match.start("hashes"), match["hashes"])
        if not block:
            problems.append(error(where, "headings are not allowed in this field; expected "
                                         "plain sentences"))
            continue
        if level == 1:
            problems.append(error(where, "a '#' heading; expected '##' for a section (the page "
                                         "already has the explainer's title)"))
        elif level > previous + 1:
            problems.append(warning(where, f"heading level skipped ({'#' * level} after "
                                           f"{'#' * previous}); expected {'#' * (previous + 1)}"))
        previous = level
    return problems


def _check_links(masked: str, locate: Locator) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    targets = [(m.start("url"), m["url"]) for m in _LINK.finditer(masked)]
    targets += [(m.start("url"), m["url"]) for m in _REFERENCE.finditer(masked)]
    targets += [(m.start("url"), m["url"]) for m in _AUTOLINK.finditer(masked)]
    for offset, url in sorted(targets):
        reason = url_problem(url)
        if reason:
            problems.append(error(locate(offset, url), reason))
    for match in _LINK.finditer(masked):
        if match["image"] and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|//|$", match["url"]):
            problems.append(error(locate(match.start("url"), match["url"]), f"picture "
                                  f"'{match['url'][:40]}' is a file of this project; expected it "
                                  "in images/, described in images.yaml, shown with '::: image "
                                  "<id>'"))
        if match["image"] and not match["label"].strip():
            problems.append(warning(locate(match.start(), "!["), "image without alt text; "
                                    "expected a description in ![…] for readers who cannot "
                                    "see it"))
    return problems


def _check_html(masked: str, locate: Locator, allow_raw_html: bool) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for tag in scan_tags(masked):
        if tag.closing:
            continue  # the opening tag already said everything
        written = masked[tag.start:tag.end]
        where = locate(tag.start, written)
        if not allow_raw_html:
            problems.append(warning(where, f"raw HTML '{written[:30]}' is shown as text; "
                                           "expected Markdown (or allow_raw_html: true in "
                                           "site.yaml)"))
            continue
        reason = raw_html_problem(tag.name, tag.attributes)
        if reason:
            problems.append(error(where, reason))
    return problems


def check_prose(text: str, locate: Locator, *, block: bool, allow_containers: bool,
                allow_raw_html: bool) -> ProseReport:
    """Every problem in one piece of Markdown, and the sources it cites."""
    masked = mask_code(text)
    citations, problems = _check_citations(masked, locate)
    problems += _check_notes(masked, locate)
    found, placements = check_containers(masked, locate, allow_containers)
    problems += found
    problems += _check_headings(masked, locate, block)
    problems += _check_links(masked, locate)
    problems += _check_html(masked, locate, allow_raw_html)
    return ProseReport(tuple(citations), tuple(problems), tuple(placements))


def text_locator(path: str, text: str, first_line: int = 1) -> Locator:
    """Locator for a Markdown file (or a part of one starting at ``first_line``)."""
    position = positions(text)

    def locate(offset: int, _found: str) -> SourceLocation:
        line, column = position(offset)
        return SourceLocation(path, first_line + line - 1, column)

    return locate
