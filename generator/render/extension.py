"""Our Python-Markdown extension: citations, editorial notes, containers, heading ids and
safe links. The processors read the page being rendered from a shared ``PageState``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
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
from generator.render.names import NameMentions
from generator.render.sanitise import Sanitiser
from generator.rules import (
    CITATION_PATTERN,
    CONTAINER_CLOSE_PATTERN,
    CONTAINER_OPEN_PATTERN,
    NOTE_PATTERN,
    PLACEMENT_KINDS,
    url_problem,
)
from generator.textscan import NoteFinder

_OPEN = re.compile(CONTAINER_OPEN_PATTERN)
_CLOSE = re.compile(CONTAINER_CLOSE_PATTERN)
_HEADING = re.compile(r"h[1-6]")
CITE_TOKEN = "\x00cite:"
"""Starts a citation link's id until the page is finished: '\\x00cite:<source id>\\x00'."""


@dataclass(frozen=True, slots=True)
class SourceList:
    """A page's sources with the numbers readers see: their position in the list."""

    sources: Mapping[str, Source]
    numbers: Mapping[str, int]

    @classmethod
    def of(cls, sources: tuple[Source, ...]) -> SourceList:
        return cls({s.id: s for s in sources}, {s.id: n for n, s in enumerate(sources, 1)})


def citation_label(number: int, source: Source) -> str:
    """What a citation link is called for screen readers: 'Source 4: Asia-Plus, 5 July 2021'."""
    when = source.date.display() if source.date is not None else "undated"
    return f"Source {number}: {source.publisher}, {when}"


def citation_html(ids: tuple[str, ...], listed: SourceList) -> str:
    """The superscript '[1, 4]' that links each number to its entry in the source list. Each
    link carries a token for its id, made unique on the page by the final pass (``finish``),
    since one converted fragment may be shown on several pages."""
    links = []
    for ident in sorted(dict.fromkeys(ids), key=lambda i: listed.numbers[i]):
        source, number = listed.sources[ident], listed.numbers[ident]
        label = citation_label(number, source)
        described = f"{label} \u2013 {source.title}"
        links.append(f'<a href="#source-{escape(ident)}" id="{CITE_TOKEN}{escape(ident)}\x00" '
                     f'aria-label="{escape(label)}" title="{escape(described)}">{number}</a>')
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
    names: re.Pattern[str] | None = None  # names of the page's entries, longest first
    anchors: Mapping[str, str] = field(default_factory=dict)  # name -> 'person-<id>'

    def next_note(self) -> int:
        self.notes += 1
        return self.notes


class _EditorialNotes(InlineProcessor):
    """The highlighted words and their note number, which links to the note; the note itself
    is moved after its paragraph by ``_NotesAfterParagraphs``."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(NOTE_PATTERN, md)
        self.compiled_re = NoteFinder()  # type: ignore[assignment]  # re.Pattern's search

    def handleMatch(  # type: ignore[override]  # noqa: N802 - Python-Markdown's names
            self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        wrapper = etree.Element("span", {"class": "ed"})
        flag = etree.SubElement(wrapper, "mark", {"class": "ed-flag"})
        flag.text = m["flag"]
        etree.SubElement(wrapper, "sup", {"class": "ed-ref"})
        note = etree.SubElement(wrapper, "p", {"class": "ed-note", "role": "note"})
        label = etree.SubElement(note, "span", {"class": "ed-note-label"})
        label.tail = " " + m["note"].strip() + " "
        return wrapper, m.start(0), m.end(0)


NOTE_HOSTS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
"""Blocks whose notes follow them, in a wrapper that lays the pair out side by side on wide
screens; in any other block (a list item, a table cell) they close the block."""
_NOTE_CLOSERS = frozenset({"li", "dd", "dt", "td", "th", "figcaption", "blockquote"})


class _NotesAfterParagraphs(Treeprocessor):
    """Gives each note a provisional number (replaced once the page is complete) and moves it
    out of its sentence: a paragraph's notes follow the paragraph, so no note ever splits a
    sentence and a screen reader reads each note once, after it."""

    def __init__(self, page: PageState, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        hosts: dict[etree.Element, list[etree.Element]] = {}
        for wrapper in [w for w in root.iter("span") if w.get("class") == "ed"]:
            number = f"\x00{self.page.next_note()}\x00"
            flag, ref, note = list(wrapper)[:3]
            flag.set("id", f"flag-{number}")
            link = etree.SubElement(ref, "a", {"href": f"#note-{number}",
                                               "id": f"note-ref-{number}",
                                               "aria-label": f"Editor\u2019s note {number}"})
            link.text = markdown.util.AtomicString(number)
            wrapper.remove(note)
            note.set("id", f"note-{number}")
            note[0].text = markdown.util.AtomicString(f"Editor\u2019s note {number}:")
            back = etree.SubElement(note, "a", {"class": "ed-back", "href": f"#note-ref-{number}",
                                                "aria-label": f"Back to note {number}\u2019s "
                                                              "words"})
            back.text = markdown.util.AtomicString("\u21a9")
            hosts.setdefault(_host_of(wrapper, parents, root), []).append(note)
        for host, notes in hosts.items():
            block = etree.Element("div", {"class": "ed-notes"})
            block.extend(notes)
            if host.tag in NOTE_HOSTS and host in parents:
                parent = parents[host]
                pair = etree.Element("div", {"class": "ed-para"})
                parent.insert(list(parent).index(host), pair)
                parent.remove(host)
                pair.tail, host.tail = host.tail, "\n"
                pair.text = "\n"
                pair.extend((host, block))
                block.tail = "\n"
            else:
                host.append(block)


def _host_of(element: etree.Element, parents: Mapping[etree.Element, etree.Element],
             root: etree.Element) -> etree.Element:
    """The paragraph (or other block) a note's words stand in."""
    while element in parents:
        element = parents[element]
        if element.tag in NOTE_HOSTS or element.tag in _NOTE_CLOSERS:
            return element
    return root


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
        md.treeprocessors.register(_NotesAfterParagraphs(self.page, md), "notes", 15)
        md.treeprocessors.register(NameMentions(self.page, md), "name_mentions", 12)
        md.treeprocessors.register(_HeadingIds(self.page, md), "heading_ids", 5)
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 1)
        if self.allow_raw_html:
            md.postprocessors.register(Sanitiser(), "sanitise", 0)
        else:
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
