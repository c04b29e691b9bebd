"""Read every declared kind of record out of a folder's documents, generically.

Nothing here names a particular kind: what a kind's file, fields, ids and references are
comes from its declaration in ``generator.records``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.errors import Diagnostic, SourceLocation, closest_first, error, warning
from generator.fields import (
    Field,
    ProseField,
    Reading,
    Ref,
    entries,
    read_record,
    record_label,
)
from generator.raw import RawDocuments, YamlMapping, YamlNode, YamlSequence, describe
from generator.records import KINDS, Kind, Record
from generator.rules import slugify
from generator.validate.containers import Placement
from generator.validate.prose import check_prose


@dataclass
class ReadRecord:
    """One record as read: its values even when invalid, so later checks can still look."""

    kind: Kind
    record: Record | None  # None when a field was invalid
    label: str
    node: YamlNode
    index: int


@dataclass
class Collected:
    """Everything read from one folder, before references are resolved."""

    read: list[ReadRecord] = field(default_factory=list)
    refs: list[tuple[str, Ref]] = field(default_factory=list)  # (label, reference)
    ids: dict[tuple[str, str], SourceLocation] = field(default_factory=dict)
    placements: list[Placement] = field(default_factory=list)  # '::: chart <id>' lines

    def declared(self, kind_name: str) -> set[str]:
        """Ids written for a kind, valid or not: references to them are not typos."""
        return {ident for seen_kind, ident in self.ids if seen_kind == kind_name}

    def valid(self, kind: Kind) -> list[Record]:
        return [r.record for r in self.read if r.kind is kind and r.record is not None]

    def all_valid(self, kind: Kind) -> bool:
        return all(r.record is not None for r in self.read if r.kind is kind)


def relabel(problems: Iterable[Diagnostic], label: str) -> list[Diagnostic]:
    return [Diagnostic(p.location, f"{label}: {p.message}", p.severity) for p in problems]


class RecordReader:
    """Reads the records of one folder (an explainer's, or the site's shared files)."""

    def __init__(self, documents: RawDocuments, allow_raw_html: bool,
                 problems: list[Diagnostic]) -> None:
        self.documents = documents
        self.allow_raw_html = allow_raw_html
        self.problems = problems
        self.found = Collected()
        self._keyed: dict[str, dict[str, tuple[YamlNode, ...]]] = {}

    def unreadable(self, kind: Kind) -> bool:
        """The kind's file is broken (or required and missing): a problem is already reported,
        so references to its records would only be false alarms."""
        name = kind.file
        if name not in self.documents.present:
            return kind.required
        if name in self.documents.markdown:
            return False
        node = self.documents.yaml.get(name)
        if node is None:
            return True
        if kind.key is not None:
            return not isinstance(node, YamlMapping)
        return not (isinstance(node, YamlSequence) and node.items)

    def document(self, name: str, shape: type) -> YamlNode | None:
        """A parsed YAML file of the expected top-level shape, or None (problem recorded)."""
        node = self.documents.yaml.get(name)
        if node is None:
            return None
        if not isinstance(node, shape):
            expected = "a list of entries ('- id: …')" if shape is YamlSequence else \
                "a mapping ('key: value')"
            self.problems.append(error(node.location, f"expected {expected} at the top of "
                                                      f"{name}, got {describe(node)}"))
            return None
        if isinstance(node, YamlSequence) and not node.items:
            self.problems.append(error(node.location, f"{name} is an empty list; expected "
                                                      "entries, or delete the file"))
            return None
        return node

    def check_prose(self, prose: ProseField, label: str) -> None:
        scalar = prose.scalar
        report = check_prose(prose.prose.text, lambda _offset, found: scalar.locate(found),
                             block=False, allow_containers=False,
                             allow_raw_html=self.allow_raw_html)
        self.problems.extend(relabel(report.problems, label))
        self.found.refs.extend((label, Ref("source", c.source_id, c.location))
                               for c in report.citations)

    def fields(self, node: YamlNode, fields: tuple[Field, ...],
               label: str) -> tuple[dict[str, Any], bool]:
        """One mapping's fields; its prose is checked and its references noted."""
        reading = Reading()
        values, ok = read_record(node, fields, label, self.problems, reading)
        for prose in reading.prose:
            self.check_prose(prose, label)
        self.found.refs.extend((label, ref) for ref in reading.refs)
        return values, ok

    def claim_id(self, ident: str | None, kind: Kind, location: SourceLocation) -> None:
        """Ids are anchors and reference targets, so each means one record of its kind."""
        if ident is None:
            return
        key = (kind.name, ident)
        if key in self.found.ids:
            other = self.found.ids[key]
            self.problems.append(error(location, f"duplicate {kind.name} id '{ident}' (first "
                                                 f"used at {other}); expected each {kind.name} "
                                                 "id once"))
        else:
            self.found.ids[key] = location

    def items(self, kind: Kind) -> tuple[YamlNode, ...]:
        """The YAML entries of a kind: its file's list, or a list under its key."""
        if kind.key is None:
            node = self.document(kind.file, YamlSequence)
            return node.items if isinstance(node, YamlSequence) else ()
        return self.keyed_lists(kind.file).get(kind.key, ())

    def keyed_lists(self, name: str) -> dict[str, tuple[YamlNode, ...]]:
        """A file that holds several kinds as lists under keys (timeline.yaml)."""
        if name in self._keyed:
            return self._keyed[name]
        lists: dict[str, tuple[YamlNode, ...]] = {}
        root = self.document(name, YamlMapping)
        if isinstance(root, YamlMapping):
            keys = tuple(Field(k.key, entries) for k in KINDS if k.file == name and k.key)
            values, _ok = read_record(root, keys, name.removesuffix(".yaml"), self.problems)
            lists = {key: value for key, value in values.items() if value}
        self._keyed[name] = lists
        return lists

    def read(self, kind: Kind) -> None:
        """Every record of ``kind`` in this folder, valid or not."""
        for index, item in enumerate(self.items(kind)):
            label = record_label(item, kind.name, index, kind.id_from or "id")
            values, ok = self.fields(item, kind.fields, label)
            if kind.id_from:
                source_text = values.get(kind.id_from)
                values["id"] = slugify(source_text) if source_text else None
                ok = ok and self._unique_derived_id(values["id"], kind, label, item)
            else:
                self.claim_id(values.get("id"), kind, item.location)
            record = None
            if ok:
                record = kind.record(**{k: v for k, v in values.items() if v is not None})
                self._recommend(kind, label, item)
            self.found.read.append(ReadRecord(kind, record, label, item, index))

    def _unique_derived_id(self, ident: str | None, kind: Kind, label: str,
                           item: YamlNode) -> bool:
        if ident is None:
            return False
        key = (kind.name, ident)
        if key in self.found.ids:
            self.problems.append(error(item.location, f"{label}: defined twice (first at "
                                                      f"{self.found.ids[key]}); expected each "
                                                      f"{kind.name} once"))
            return False
        self.found.ids[key] = item.location
        return True

    def _recommend(self, kind: Kind, label: str, item: YamlNode) -> None:
        for spec in kind.fields:
            written = item.get(spec.name) if isinstance(item, YamlMapping) else None
            if spec.recommended and written is None:
                self.problems.append(warning(item.location, f"{label}: {spec.recommended}"))


def resolve_references(refs: Iterable[tuple[str, Ref]],
                       known: dict[str, set[str]], problems: list[Diagnostic]) -> None:
    """Every reference must name a record of its kind that was written somewhere."""
    for label, ref in refs:
        names = known.get(ref.kind)
        if names is None or ref.id in names:
            continue
        problems.append(error(ref.location, f"{label}: unknown {ref.kind} '{ref.id}' "
                                            f"{closest_first(ref.id, names)}"))
