"""Markdown to HTML for our pages, and text without markup for descriptions and feeds.

One converter serves every page a process renders (Python-Markdown is reset between
texts). A ``ProseRenderer`` serves one page: citations use the numbers of that page's source
list, and editorial notes, whatever order the template renders its parts in, are numbered
in the order a reader meets them (``number_notes`` runs over the finished page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import markdown
from markupsafe import Markup

from generator.raw import Prose
from generator.records import Source
from generator.render.extension import ExplainerExtension, PageState, SourceList, citation_html
from generator.render.typography import curly_quotes, curly_quotes_html
from generator.rules import CITATION_PATTERN
from generator.textscan import NoteFinder, defuse

_PLAIN_TEXT = re.compile(r"(?![0-9]+[.)])(?![-+*>#=])[^\\`*_\[\]<>&!{}#|~\n\r\t]+")
"""Text that Markdown would only wrap in <p>: rendered without running Markdown at all."""
_NOTE_TOKEN = re.compile("\x00(\\d+)\x00")
"""A note's number before the page is finished; NUL never occurs in content (load refuses
it), so the token cannot be forged by a writer."""
_PLACEMENT = re.compile("<p>\x00place:([a-z]+:[a-z0-9-]+)\x00</p>"
                        "|\x00place:([a-z]+:[a-z0-9-]+)\x00")
_CITATION = re.compile(CITATION_PATTERN)
_PLAIN_RUN = re.compile(r"[^\\`*_\[\]<>&!{}#|~\n\r\t]*")
"""Text between citations that Markdown would leave as it is."""
_CITATION_WITH_SPACE = re.compile(r"(?<!\s)\s*" + CITATION_PATTERN)
"""Starts only where a run of spaces starts: from inside one, it would rescan the run."""


def cited_ids(text: str) -> list[str]:
    """Source ids cited with [@id] in a piece of Markdown, in order."""
    return [part.strip().lstrip("@").strip() for match in re.finditer(CITATION_PATTERN, text)
            for part in match["ids"].split(";")]


class MarkdownConverter:
    """One Python-Markdown instance with our extension, kept for every page of a process."""

    def __init__(self, allow_raw_html: bool) -> None:
        self.page = PageState(SourceList.of(()))
        self._md = markdown.Markdown(
            extensions=[ExplainerExtension(self.page, allow_raw_html), "tables"],
            output_format="html")
        self._plain = markdown.Markdown(output_format="html")
        self._plain_texts: dict[str, str] = {}

    def convert(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(defuse(text))

    def plain(self, prose: Prose) -> str:
        """Text without markup, citations or notes: for descriptions, listings and feeds."""
        known = self._plain_texts.get(prose.text)
        if known is not None:
            return known
        text = _CITATION_WITH_SPACE.sub("", prose.text)
        text = _note_flags(text)
        if _PLAIN_TEXT.fullmatch(text):
            result = " ".join(text.split())
        else:
            self._plain.reset()
            html = self._plain.convert(defuse(text))
            result = " ".join(Markup(html).striptags().split())
        if len(self._plain_texts) > 10_000:  # a long-lived process: keep memory bounded
            self._plain_texts.clear()
        self._plain_texts[prose.text] = result
        return result


def number_notes(page: str) -> str:
    """Number a finished page's editorial notes 1, 2, 3… in the order they appear on it."""
    order: dict[str, str] = {}

    def final(match: re.Match[str]) -> str:
        return order.setdefault(match[1], str(len(order) + 1))

    return _NOTE_TOKEN.sub(final, page)


def count_notes(prose: Prose) -> int:
    """How many editorial notes a piece of Markdown carries."""
    return sum(1 for _ in NoteFinder().finditer(prose.text))


def _note_flags(text: str) -> str:
    """The text with each editorial note replaced by its highlighted words."""
    out, at = [], 0
    for match in NoteFinder().finditer(text):
        out += [text[at:match.start()], match["flag"]]
        at = match.end()
    return "".join([*out, text[at:]])


Fragments = dict[str, str]
"""HTML of texts already converted for this page (its source numbers), by prefix and text;
kept between builds, so a template edit re-renders pages without running Markdown."""


class ProseRenderer:
    """Renders every piece of prose on one page; see ``number_notes`` for the notes."""

    def __init__(self, sources: tuple[Source, ...], converter: MarkdownConverter,
                 fragments: Fragments | None = None,
                 names: Mapping[str, str] | None = None) -> None:
        """``names``: what the page explains, name -> anchor ('Kabul' -> 'place-kabul');
        mentions of them in the article and background link to the first one's entry."""
        self.sources = SourceList.of(sources)
        self.names = dict(names or {})
        self._names_pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(self.names, key=len,
                                                                          reverse=True))
            + r")(?![\w-])") if self.names else None
        self.converter = converter
        self.fragments: Fragments = {} if fragments is None else fragments
        self._notes = 0  # notes placed on the page so far
        self._placed: dict[str, str] = {}
        converter.page.sources = self.sources

    def block(self, prose: Prose, anchor_prefix: str = "") -> Markup:
        """Paragraphs, headings and containers; '##' becomes <h3> (the page owns <h2>)."""
        key = f"{anchor_prefix}\x01{prose.text}"
        html = self.fragments.get(key)
        if html is None:
            self.converter.page.prefix = anchor_prefix
            self.converter.page.names = self._names_pattern
            self.converter.page.anchors = self.names
            self.converter.page.notes = 0  # a fragment numbers its own notes from 1
            html = self.fragments[key] = self.converter.convert(prose.text)
        if "\x00place:" in html:
            html = _PLACEMENT.sub(self._placement, html)
        return Markup(self._place_notes(html))

    def place(self, kind: str, ident: str, html: Markup) -> None:
        """What '::: <kind> <ident>' shows; prepared before the text that places it."""
        self._placed[f"{kind}:{ident}"] = str(html)

    def _placement(self, match: re.Match[str]) -> str:
        key = match[1] or match[2]
        if key not in self._placed:  # validation reports these; reaching here is a bug
            raise KeyError(f"'::: {key.replace(':', ' ')}' reached the renderer with nothing "
                           "to place")
        return self._placed[key]

    def _place_notes(self, html: str) -> str:
        """Give a fragment's notes tokens unique on the page: its own 1, 2… follow on from
        the notes placed before it."""
        if "\x00" not in html:
            return html
        base = self._notes
        count = 0

        def shift(match: re.Match[str]) -> str:
            nonlocal count
            count = max(count, int(match[1]))
            return f"\x00{base + int(match[1])}\x00"

        placed = _NOTE_TOKEN.sub(shift, html)
        self._notes += count
        return placed

    def inline(self, prose: Prose) -> Markup:
        """A YAML text field, with curly quotes: one paragraph loses its <p> so it can sit
        inside other markup."""
        return Markup(curly_quotes_html(str(self._inline(prose))))

    def _inline(self, prose: Prose) -> Markup:
        text = prose.text
        if text != text.strip() or not text:
            pass
        elif _PLAIN_TEXT.fullmatch(text):
            return Markup(curly_quotes(text))  # has none of the characters HTML escapes
        elif "[@" in text and (fast := self._cited_plain_text(text)) is not None:
            return fast
        html = str(self.block(prose))
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)

    def _cited_plain_text(self, text: str) -> Markup | None:
        """Plain sentences with [@citations] (most fact fields): what Markdown would make of
        them, without running it; None when there is anything else to interpret."""
        parts = _CITATION.split(text)
        words, citations = parts[::2], parts[1::2]
        if not (_PLAIN_TEXT.fullmatch(words[0]) or words[0] == "") or \
                not all(_PLAIN_RUN.fullmatch(w) for w in words[1:]):
            return None
        out = [words[0]]
        for ids, after in zip(citations, words[1:], strict=True):
            cited = tuple(part.strip().lstrip("@").strip() for part in ids.split(";"))
            if any(i not in self.sources.numbers for i in cited):
                return None  # let the Markdown path report it
            out += [citation_html(cited, self.sources), after]
        return Markup("".join(out))

    def plain(self, prose: Prose) -> str:
        return self.converter.plain(prose)

    def cite(self, ids: tuple[str, ...], text: Prose | None = None) -> Markup:
        """A record's sources, in source-list order, leaving out those ``text`` cites inline."""
        inline = set(cited_ids(text.text)) if text is not None else set()
        rest = tuple(i for i in ids if i not in inline)
        return Markup(citation_html(rest, self.sources)) if rest else Markup("")
