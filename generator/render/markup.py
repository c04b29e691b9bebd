"""Markdown to HTML with our extensions: citations, editorial notes and containers.

One ``ProseRenderer`` serves one page: citations use the numbers of that page's source list,
and editorial notes, whatever order the template renders its parts in, are numbered in the
order a reader meets them (``number_notes`` runs over the finished page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from xml.etree import ElementTree as etree  # noqa: N813 - the name Python-Markdown uses

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.toc import slugify as toc_slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator.raw import Prose
from generator.records import Source
from generator.rules import (
    CITATION_PATTERN,
    CONTAINER_CLOSE_PATTERN,
    CONTAINER_OPEN_PATTERN,
    NOTE_PATTERN,
    PLACING_CONTAINERS,
    url_problem,
)

_PLAIN_TEXT = re.compile(r"(?![0-9]+[.)])(?![-+*>#=])[^\\`*_\[\]<>&!{}#|~\n\r\t]+")
"""Text that Markdown would only wrap in <p>: rendered without running Markdown at all."""
_OPEN = re.compile(CONTAINER_OPEN_PATTERN)
_CLOSE = re.compile(CONTAINER_CLOSE_PATTERN)
_NOTE_TOKEN = re.compile("\x00(\\d+)\x00")
"""A note's number before the page is finished; NUL never occurs in content (load refuses
it), so the token cannot be forged by a writer."""


def cited_ids(text: str) -> list[str]:
    """Source ids cited with [@id] in a piece of Markdown, in order."""
    return [part.strip().lstrip("@").strip() for match in re.finditer(CITATION_PATTERN, text)
            for part in match["ids"].split(";")]


@dataclass(frozen=True, slots=True)
class SourceList:
    """A page's sources with the numbers readers see: their position in the list."""

    sources: Mapping[str, Source]
    numbers: Mapping[str, int]

    @classmethod
    def of(cls, sources: tuple[Source, ...]) -> SourceList:
        return cls({s.id: s for s in sources}, {s.id: n for n, s in enumerate(sources, 1)})


def citation_html(ids: tuple[str, ...], listed: SourceList) -> str:
    """The superscript '[1, 4]' that links each number to its entry in the source list."""
    links = []
    for ident in sorted(dict.fromkeys(ids), key=lambda i: listed.numbers[i]):
        source, number = listed.sources[ident], listed.numbers[ident]
        label = f"Source {number}: {source.publisher}, {source.title}"
        links.append(f'<a href="#source-{escape(ident)}" title="{escape(label)}">'
                     f"{number}</a>")
    return f'<sup class="cite">[{", ".join(links)}]</sup>'


class _Citations(InlineProcessor):
    def __init__(self, sources: SourceList, md: markdown.Markdown) -> None:
        super().__init__(CITATION_PATTERN, md)
        self.sources = sources

    def handleMatch(  # type: ignore[override]  # noqa: N802 - Python-Markdown's names
            self, m: re.Match[str], data: str) -> tuple[str, int, int]:
        ids = tuple(part.strip().lstrip("@").strip() for part in m["ids"].split(";"))
        unknown = [i for i in ids if i not in self.sources.numbers]
        if unknown:  # validation reports these; reaching here is a bug, not bad content
            raise KeyError(f"citation of unknown source {unknown[0]!r} reached the renderer")
        return self.md.htmlStash.store(citation_html(ids, self.sources)), m.start(0), m.end(0)


class _NoteCounter:
    """Gives each note on the page a provisional number; ``number_notes`` fixes the order."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> int:
        self.count += 1
        return self.count


class _EditorialNotes(InlineProcessor):
    """Builds the note's markup; numbers are assigned afterwards, in document order."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(NOTE_PATTERN, md)
        self.compiled_re = re.compile(NOTE_PATTERN, re.DOTALL)

    def handleMatch(  # type: ignore[override]  # noqa: N802 - Python-Markdown's names
            self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        wrapper = etree.Element("span", {"class": "ed"})
        flag = etree.SubElement(wrapper, "mark", {"class": "ed-flag"})
        flag.text = m["flag"]
        etree.SubElement(wrapper, "sup", {"class": "ed-ref", "aria-hidden": "true"})
        note = etree.SubElement(wrapper, "span", {"class": "ed-note", "role": "note"})
        label = etree.SubElement(note, "span", {"class": "ed-note-label"})
        label.tail = " " + m["note"].strip()
        return wrapper, m.start(0), m.end(0)


class _NumberNotes(Treeprocessor):
    """Marks each note with a provisional token, replaced once the page is complete."""

    def __init__(self, counter: _NoteCounter, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.counter = counter

    def run(self, root: etree.Element) -> None:
        for wrapper in root.iter("span"):
            if wrapper.get("class") != "ed":
                continue
            number = f"\x00{self.counter.next()}\x00"
            flag, ref, note = list(wrapper)[:3]
            flag.set("id", f"flag-{number}")
            ref.text = markdown.util.AtomicString(str(number))
            note.set("id", f"note-{number}")
            note[0].text = markdown.util.AtomicString(f"Editor's note {number}:")


class _Containers(BlockProcessor):
    """Pandoc-style fenced divs: '::: picture "description"' or '::: box', closed by ':::';
    and one-line placements, '::: chart <id>' and '::: map <id>', of figures made before."""

    def __init__(self, parser: markdown.blockparser.BlockParser,
                 graphics: Mapping[tuple[str, str], str]) -> None:
        super().__init__(parser)
        self.graphics = graphics

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(_OPEN.match(block.split("\n", 1)[0]))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        first = blocks.pop(0)
        head, _, rest = first.partition("\n")
        opening = _OPEN.match(head)
        assert opening is not None
        if opening["kind"] in PLACING_CONTAINERS:
            if rest.strip():
                blocks.insert(0, rest)
            html = self.graphics[opening["kind"], opening["ref"]]  # validation checked the id
            etree.SubElement(parent, "p").text = self.parser.md.htmlStash.store(html)
            return
        inner: list[str] = []
        pending = [rest, *blocks]
        blocks.clear()
        for index, block in enumerate(pending):
            lines = block.split("\n")
            closing = next((i for i, line in enumerate(lines) if _CLOSE.match(line)), None)
            if closing is None:
                inner.append(block)
                continue
            inner.append("\n".join(lines[:closing]))
            after = "\n".join(lines[closing + 1:])
            blocks.extend(([after] if after.strip() else []) + pending[index + 1:])
            break
        body = "\n\n".join(part for part in inner if part.strip())
        if opening["kind"] == "picture":
            element = etree.SubElement(parent, "figure", {"class": "picture"})
            missing = etree.SubElement(element, "p", {"class": "picture-missing"})
            missing.text = markdown.util.AtomicString("Picture not reproduced")
            if opening["title"]:
                missing.text = markdown.util.AtomicString("Picture not reproduced: ")
                described = etree.SubElement(missing, "span", {"class": "picture-alt"})
                described.text = markdown.util.AtomicString(opening["title"])
            target = etree.SubElement(element, "figcaption")
        else:
            target = etree.SubElement(parent, "aside", {"class": opening["kind"]})
        self.parser.parseChunk(target, body)


class _SafeLinks(Treeprocessor):
    """Defence in depth behind validation: no script URLs; external links cannot reach back."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is None:
                    continue
                if url_problem(value):
                    del element.attrib[attribute]
                elif re.match(r"https?://", value, re.I) and element.tag == "a":
                    element.set("rel", "noopener noreferrer")


class _ExplainerExtension(Extension):
    def __init__(self, sources: SourceList, counter: _NoteCounter, allow_raw_html: bool,
                 graphics: Mapping[tuple[str, str], str]) -> None:
        super().__init__()
        self.sources = sources
        self.counter = counter
        self.allow_raw_html = allow_raw_html
        self.graphics = graphics

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(_EditorialNotes(md), "editorial_note", 186)
        md.inlinePatterns.register(_Citations(self.sources, md), "citation", 185)
        md.parser.blockprocessors.register(_Containers(md.parser, self.graphics), "container",
                                           95)
        md.treeprocessors.register(_NumberNotes(self.counter, md), "note_numbers", 15)
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 1)
        if not self.allow_raw_html:
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")


def plain_text(prose: Prose) -> str:
    """Text without markup, citations or notes: for descriptions, listings and feeds."""
    text = re.sub(r"\s*" + CITATION_PATTERN, "", prose.text)
    text = re.sub(NOTE_PATTERN, lambda m: m["flag"], text, flags=re.DOTALL)
    if _PLAIN_TEXT.fullmatch(text):
        return " ".join(text.split())
    html = markdown.markdown(text, output_format="html")
    return " ".join(Markup(html).striptags().split())


def number_notes(page: str) -> str:
    """Number a finished page's editorial notes 1, 2, 3… in the order they appear on it."""
    order: dict[str, str] = {}

    def final(match: re.Match[str]) -> str:
        return order.setdefault(match[1], str(len(order) + 1))

    return _NOTE_TOKEN.sub(final, page)


def count_notes(prose: Prose) -> int:
    """How many editorial notes a piece of Markdown carries."""
    return len(re.findall(NOTE_PATTERN, prose.text, flags=re.DOTALL))


class ProseRenderer:
    """Renders every piece of prose on one page; see ``number_notes`` for the notes."""

    def __init__(self, sources: tuple[Source, ...], allow_raw_html: bool) -> None:
        self.sources = SourceList.of(sources)
        self._counter = _NoteCounter()
        self._prefix = ""
        self._graphics: dict[tuple[str, str], str] = {}
        self._md = markdown.Markdown(
            extensions=[_ExplainerExtension(self.sources, self._counter, allow_raw_html,
                                            self._graphics), "toc"],
            extension_configs={"toc": {"baselevel": 2, "slugify": self._slugify}},
            output_format="html",
        )

    def place(self, graphics: Mapping[tuple[str, str], str]) -> None:
        """Figures made for this page, for '::: chart <id>' lines to place."""
        self._graphics.update(graphics)

    def _slugify(self, value: str, separator: str) -> str:
        return self._prefix + toc_slugify(value, separator)

    def block(self, prose: Prose, anchor_prefix: str = "") -> Markup:
        """Paragraphs, headings and containers; '##' becomes <h3> (the page owns <h2>)."""
        self._prefix = anchor_prefix
        self._md.reset()
        return Markup(self._md.convert(prose.text))

    def inline(self, prose: Prose) -> Markup:
        """A YAML text field: one paragraph loses its <p> so it can sit inside other markup."""
        if _PLAIN_TEXT.fullmatch(prose.text) and prose.text == prose.text.strip():
            return Markup(prose.text)  # has none of the characters HTML escapes
        html = str(self.block(prose))
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)

    def plain(self, prose: Prose) -> str:
        return plain_text(prose)

    def cite(self, ids: tuple[str, ...], text: Prose | None = None) -> Markup:
        """A record's sources, in source-list order, leaving out those ``text`` cites inline."""
        inline = set(cited_ids(text.text)) if text is not None else set()
        rest = tuple(i for i in ids if i not in inline)
        return Markup(citation_html(rest, self.sources)) if rest else Markup("")
