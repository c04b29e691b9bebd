"""Our Python-Markdown extension: citations, editorial notes, containers, heading ids and
safe links. The processors read the page being rendered from a shared ``PageState``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from xml.etree import ElementTree as etree  # noqa: N813 - the name Python-Markdown uses

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.toc import render_inner_html, strip_tags, unique
from markdown.extensions.toc import slugify as toc_slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from generator.records import Source
from generator.rules import (
    CITATION_PATTERN,
    CONTAINER_CLOSE_PATTERN,
    CONTAINER_OPEN_PATTERN,
    NOTE_PATTERN,
    PLACEMENT_KINDS,
    url_problem,
)

_OPEN = re.compile(CONTAINER_OPEN_PATTERN)
_CLOSE = re.compile(CONTAINER_CLOSE_PATTERN)
_HEADING = re.compile(r"h[1-6]")


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
    def __init__(self, page: PageState, md: markdown.Markdown) -> None:
        super().__init__(CITATION_PATTERN, md)
        self.page = page

    def handleMatch(  # type: ignore[override]  # noqa: N802 - Python-Markdown's names
            self, m: re.Match[str], data: str) -> tuple[str, int, int]:
        ids = tuple(part.strip().lstrip("@").strip() for part in m["ids"].split(";"))
        sources = self.page.sources
        unknown = [i for i in ids if i not in sources.numbers]
        if unknown:  # validation reports these; reaching here is a bug, not bad content
            raise KeyError(f"citation of unknown source {unknown[0]!r} reached the renderer")
        return self.md.htmlStash.store(citation_html(ids, sources)), m.start(0), m.end(0)


@dataclass
class PageState:
    """What the conversions of one page share: its source list, a count of its notes and
    the prefix of heading ids. One converter serves every page of a process; the page being
    rendered sets this before converting."""

    sources: SourceList
    notes: int = 0
    prefix: str = ""

    def next_note(self) -> int:
        self.notes += 1
        return self.notes


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

    def __init__(self, page: PageState, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        for wrapper in root.iter("span"):
            if wrapper.get("class") != "ed":
                continue
            number = f"\x00{self.page.next_note()}\x00"
            flag, ref, note = list(wrapper)[:3]
            flag.set("id", f"flag-{number}")
            ref.text = markdown.util.AtomicString(str(number))
            note.set("id", f"note-{number}")
            note[0].text = markdown.util.AtomicString(f"Editor's note {number}:")


class _Containers(BlockProcessor):
    """Pandoc-style fenced divs: '::: picture "description"' or '::: box', closed by ':::';
    and one-line placements, '::: image <id>', left as a token the page fills in (so a kept
    fragment stays right when what it places changes)."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(_OPEN.match(block.split("\n", 1)[0]))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        first = blocks.pop(0)
        head, _, rest = first.partition("\n")
        opening = _OPEN.match(head)
        assert opening is not None
        if opening["kind"] in PLACEMENT_KINDS:
            holder = etree.SubElement(parent, "p")
            token = f"\x00place:{opening['kind']}:{opening['ref']}\x00"
            holder.text = self.parser.md.htmlStash.store(token)
            if rest.strip():
                blocks.insert(0, rest)
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


class _HeadingIds(Treeprocessor):
    """What the ``toc`` extension did for us, without building a table of contents:
    headings one level down (the page owns <h2>) and unique, prefixed ids."""

    def __init__(self, page: PageState, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        used = {el.attrib["id"] for el in root.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for element in root.iter():
            if not isinstance(element.tag, str) or not _HEADING.fullmatch(element.tag):
                continue
            element.tag = f"h{min(int(element.tag[1]) + 1, 6)}"
            if "id" not in element.attrib:
                name = strip_tags(render_inner_html(element, self.md))
                slug = self.page.prefix + toc_slugify(html.unescape(name), "-")
                element.attrib["id"] = unique(slug, used, counters)


class ExplainerExtension(Extension):
    def __init__(self, page: PageState, allow_raw_html: bool) -> None:
        super().__init__()
        self.page = page
        self.allow_raw_html = allow_raw_html

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(_EditorialNotes(md), "editorial_note", 186)
        md.inlinePatterns.register(_Citations(self.page, md), "citation", 185)
        md.parser.blockprocessors.register(_Containers(md.parser), "container", 95)
        md.treeprocessors.register(_NumberNotes(self.page, md), "note_numbers", 15)
        md.treeprocessors.register(_HeadingIds(self.page, md), "heading_ids", 5)
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 1)
        if not self.allow_raw_html:
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
