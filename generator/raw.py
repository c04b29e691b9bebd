"""Raw, located data: what the load stage hands to the validate stage.

Every value remembers the file, line and column it was written at, so that any stage can
point a writer at the exact place of a problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import SourceLocation


@dataclass(frozen=True, slots=True)
class YamlScalar:
    """A scalar as written: ``text`` is the value before type conversion."""

    text: str
    kind: str  # "text", "integer", "number", "boolean", "null" or "date"
    location: SourceLocation
    raw: str  # the characters of the file the scalar spans, quotes and all

    @property
    def described(self) -> str:
        return f"{self.kind} {self.text!r}" if self.kind != "null" else "nothing (null)"

    def locate(self, needle: str, start: int = 0) -> SourceLocation:
        """Where ``needle`` (a piece of the value) sits in the file, or the scalar's start."""
        index = self.raw.find(needle, start)
        if index < 0:
            return self.location
        before = self.raw[:index]
        newlines = before.count("\n")
        if newlines == 0:
            return SourceLocation(
                self.location.path, self.location.line, self.location.column + index
            )
        column = index - before.rfind("\n")
        return SourceLocation(self.location.path, self.location.line + newlines, column)


@dataclass(frozen=True, slots=True)
class YamlMapping:
    entries: tuple[tuple[YamlScalar, YamlNode], ...]
    location: SourceLocation

    def get(self, key: str) -> YamlNode | None:
        for name, value in self.entries:
            if name.text == key:
                return value
        return None


@dataclass(frozen=True, slots=True)
class YamlSequence:
    items: tuple[YamlNode, ...]
    location: SourceLocation


YamlNode = YamlScalar | YamlMapping | YamlSequence


def describe(node: YamlNode) -> str:
    """Name a node's shape for messages such as 'expected a list, got a mapping'."""
    if isinstance(node, YamlScalar):
        return node.described
    return "a mapping" if isinstance(node, YamlMapping) else "a list"


@dataclass(frozen=True, slots=True, kw_only=True)
class Prose:
    """Markdown written by a person, kept with its place so renderers can report problems."""

    text: str
    location: SourceLocation


@dataclass(frozen=True, slots=True)
class TextFile:
    """A Markdown file's text; ``path`` is the name shown in messages."""

    path: str
    text: str


@dataclass(frozen=True, slots=True)
class RawDocuments:
    """The files of one folder (an explainer, or the site's shared files), parsed."""

    folder: str
    yaml: Mapping[str, YamlNode]  # file name -> parsed document (files that parsed)
    markdown: Mapping[str, TextFile]  # file name -> text
    present: frozenset[str]  # every known file that exists, readable or not

    def path_of(self, name: str) -> str:
        return f"{self.folder}/{name}"


@dataclass(frozen=True, slots=True)
class RawExplainer:
    slug: str
    documents: RawDocuments
    images: Mapping[str, bytes] = field(default_factory=dict)  # 'images/x.jpg' -> its bytes


@dataclass(frozen=True, slots=True)
class RawFrame:
    """The site-wide part of the content folder: config, shared files, folders and seeds."""

    config_path: str
    config: YamlNode | None
    shared: RawDocuments  # site-level fact files every explainer may cite
    folders: tuple[Path, ...]
    seed_files: frozenset[str]  # project-relative paths such as "seeds/report.txt"
    images: Mapping[str, bytes] = field(default_factory=dict)  # pictures in content/: the logo
