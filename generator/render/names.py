"""Mentions of the people, places and terms a page explains, marked in its reading text so
that the final page pass (``finish``) can link the first one to its entry."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree as etree  # noqa: N813 - the name Python-Markdown uses

import markdown
from markdown.treeprocessors import Treeprocessor

if TYPE_CHECKING:
    from generator.render.extension import PageState

_NO_NAME_LINKS = frozenset({"a", "mark", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
"""Where a name is never linked: links, the highlighted original words, code, headings."""


class NameMentions(Treeprocessor):
    """Marks every mention of a person, place or term the page explains; the final page
    pass (``finish``) links the first one. Only in prose with a heading prefix: the article
    (with its notes) and the background, not short YAML fields."""

    def __init__(self, page: PageState, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        if self.page.names is None or not self.page.prefix:
            return
        self._walk(root)

    def _mark(self, text: str | None) -> str | None:
        if not text or self.page.names is None:
            return text
        pattern, anchors = self.page.names, self.page.anchors
        marked = pattern.sub(lambda m: entity_mark(anchors[m[0]], m[0]), text)
        return markdown.util.AtomicString(marked) if marked != text else text

    def _walk(self, element: etree.Element) -> None:
        for child in element:
            if child.tag not in _NO_NAME_LINKS and child.get("class") != "ed-note-label":
                child.text = self._mark(child.text)
                self._walk(child)
            child.tail = self._mark(child.tail)


def entity_mark(anchor: str, text: str) -> str:
    """A mention of a named entry; see ``finish``."""
    return f"\x00name:{anchor}\x00{text}\x00/name\x00"
