"""Read YAML records field by field, collecting every problem with its position.

Each reader turns one node into one typed value or raises ``Invalid``. Readers also note,
in the record's ``Reading``, what must be checked once every record is known: references
to other records and prose that may cite sources. ``read_record`` applies a list of fields
to a mapping so that one bad field never hides the next.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.dates import DateError, PartialDate, parse_partial_date
from generator.errors import Diagnostic, SourceLocation, did_you_mean, error
from generator.raw import Prose, YamlMapping, YamlNode, YamlScalar, YamlSequence, describe
from generator.rules import (
    ID_RULE,
    base_url_problem,
    image_path_problem,
    is_id,
    normalise_base_url,
    url_problem,
)

MAX_FIELD_CHARS = 10_000
"""A YAML text field is a sentence or a paragraph; the longest real one has some 800."""

_WEB_ADDRESS = re.compile(r"https?://[^\s/]+\.[^\s/]+(?:/\S*)?")


class Invalid(Exception):  # noqa: N818 - a value is invalid; not an error of the program
    """``nested``: problems inside a value made of records (a chart's points), each located
    and labelled already; the record's label is put in front of each."""

    def __init__(self, message: str, location: SourceLocation,
                 nested: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.nested = nested


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a record of some kind (a source, an era, a person), kept with where
    it was written so an unknown id can be reported there."""

    kind: str
    id: str
    location: SourceLocation


@dataclass(frozen=True, slots=True)
class ProseField:
    """Inline Markdown from a YAML field, with the scalar that locates its characters."""

    prose: Prose
    scalar: YamlScalar


@dataclass
class Reading:
    """What reading one record noted for the checks that need every record first."""

    refs: list[Ref] = field(default_factory=list)
    prose: list[ProseField] = field(default_factory=list)


Reader = Callable[[YamlNode, Reading], Any]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    read: Reader
    required: bool = True
    recommended: str | None = None  # warn with this when the field is left out


def column(read: Reader, *, required: bool = True, default: Any = None,
           recommended: str | None = None) -> Any:
    """Declare a record's field where the record is declared: how to read it from YAML,
    whether it must be there, and what a missing optional field defaults to."""
    spec = Field("", read, required, recommended)
    if required:
        return dataclasses.field(metadata={"field": spec})
    return dataclasses.field(default=default, metadata={"field": spec})


def derived(default: Any = dataclasses.MISSING) -> Any:
    """A field computed by validation (an id made from a term), never written in YAML."""
    return dataclasses.field(default=default, metadata={"derived": True})


def fields_of(record_type: type) -> tuple[Field, ...]:
    """The YAML fields of a declared record, in the order they were declared."""
    found = []
    for item in dataclasses.fields(record_type):
        spec = item.metadata.get("field")
        if isinstance(spec, Field):
            found.append(Field(item.name, spec.read, spec.required, spec.recommended))
    return tuple(found)


def _scalar(node: YamlNode, expected: str) -> YamlScalar:
    if not isinstance(node, YamlScalar):
        raise Invalid(f"expected {expected}, got {describe(node)}", node.location)
    return node


def text(node: YamlNode, _reading: Reading | None = None) -> str:
    scalar = _scalar(node, "text")
    if scalar.kind == "null":
        raise Invalid("is empty; expected some text", scalar.location)
    if scalar.kind == "boolean":
        raise Invalid(f"expected text, got {scalar.described}; put it in quotes if it is "
                      "meant as text", scalar.location)
    if scalar.kind not in ("text", "integer", "number", "date"):
        raise Invalid(f"expected text, got {scalar.described}", scalar.location)
    if not scalar.text.strip():
        raise Invalid("is empty; expected some text", scalar.location)
    if len(scalar.text) > MAX_FIELD_CHARS:  # what it costs to render grows with its length
        raise Invalid(f"is {len(scalar.text):,} characters long; expected at most "
                      f"{MAX_FIELD_CHARS:,} (long text belongs in article.md or background.md)",
                      scalar.location)
    return scalar.text.strip()


def identifier(node: YamlNode, _reading: Reading | None = None) -> str:
    value = text(node)
    if not is_id(value):
        raise Invalid(f"'{value}' is not a valid id; expected {ID_RULE}, such as "
                      "'doha-agreement'", node.location)
    return value


def date(node: YamlNode, _reading: Reading | None = None) -> PartialDate:
    scalar = _scalar(node, "a date")
    if scalar.kind not in ("text", "integer", "date"):
        raise Invalid(f"expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got {scalar.described}",
                      scalar.location)
    try:
        return parse_partial_date(scalar.text)
    except DateError as exc:
        raise Invalid(str(exc), scalar.location) from None


def day(node: YamlNode, _reading: Reading | None = None) -> PartialDate:
    value = date(node)
    if value.precision != "day":
        raise Invalid(f"'{value.iso()}' is not a full date; expected YYYY-MM-DD", node.location)
    return value


def boolean(node: YamlNode, _reading: Reading | None = None) -> bool:
    scalar = _scalar(node, "true or false")
    if scalar.kind != "boolean":
        raise Invalid(f"expected true or false, got {scalar.described}", scalar.location)
    return scalar.text.lower() in ("true", "yes", "on", "y")


def web_address(node: YamlNode, _reading: Reading | None = None) -> str:
    value = text(node)
    problem = url_problem(value)
    if problem:
        raise Invalid(problem, node.location)
    if not _WEB_ADDRESS.fullmatch(value):
        raise Invalid(f"'{value}' is not a web address; expected an absolute http(s) URL",
                      node.location)
    return value


def base_url(node: YamlNode, _reading: Reading | None = None) -> str:
    value = text(node)
    problem = base_url_problem(value)
    if problem:
        raise Invalid(problem, node.location)
    return normalise_base_url(value)


def image_file(folder: str) -> Reader:
    """The path of a picture in ``folder`` (see ``rules.image_path_problem``)."""

    def read(node: YamlNode, _reading: Reading | None = None) -> str:
        value = text(node)
        problem = image_path_problem(value, folder)
        if problem:
            raise Invalid(problem, node.location)
        return value

    return read


def _sequence(node: YamlNode, what: str) -> YamlSequence:
    if not isinstance(node, YamlSequence):
        raise Invalid(f"expected a list of {what} ([a, b]), got {describe(node)}", node.location)
    return node


def text_list(node: YamlNode, _reading: Reading | None = None) -> tuple[str, ...]:
    return tuple(text(item) for item in _sequence(node, "texts").items)


def entries(node: YamlNode, _reading: Reading | None = None) -> tuple[YamlNode, ...]:
    """A non-empty list of records, read one by one later."""
    if not isinstance(node, YamlSequence):
        raise Invalid(f"expected a list of entries, got {describe(node)}", node.location)
    if not node.items:
        raise Invalid("is an empty list; expected at least one entry", node.location)
    return node.items


def refs(kind: str) -> Reader:
    """A non-empty list of ids of records of ``kind``; each is checked once all are known."""

    def read(node: YamlNode, reading: Reading) -> tuple[str, ...]:
        sequence = _sequence(node, f"{kind} ids")
        if not sequence.items:
            raise Invalid(f"is an empty list; expected at least one {kind} id", node.location)
        found = [Ref(kind, identifier(item), item.location) for item in sequence.items]
        reading.refs.extend(found)
        return tuple(ref.id for ref in found)

    return read


def ref(kind: str) -> Reader:
    """The id of one record of ``kind``; checked once every record is known."""

    def read(node: YamlNode, reading: Reading) -> str:
        found = Ref(kind, identifier(node), node.location)
        reading.refs.append(found)
        return found.id

    return read


def inline(node: YamlNode, reading: Reading) -> Prose:
    """A YAML text field that is inline Markdown (it may cite, emphasise and link)."""
    value = text(node)
    assert isinstance(node, YamlScalar)
    prose = Prose(text=value, location=node.location)
    reading.prose.append(ProseField(prose, node))
    return prose


def read_record(node: YamlNode, fields: Sequence[Field], label: str,
                problems: list[Diagnostic],
                reading: Reading | None = None) -> tuple[dict[str, Any], bool]:
    """Values of the fields that are valid, and whether all required ones are."""
    if not isinstance(node, YamlMapping):
        problems.append(error(node.location, f"{label}: expected a mapping of fields "
                                             f"(name: value), got {describe(node)}"))
        return {}, False
    reading = Reading() if reading is None else reading
    by_name = {f.name: f for f in fields}
    values: dict[str, Any] = {}
    misspelt: set[str] = set()  # fields already explained by a "did you mean"
    ok = True
    for key, value in node.entries:
        spec = by_name.get(key.text)
        if spec is None:
            suggestion = did_you_mean(key.text, by_name)
            problems.append(error(key.location, f"{label}: unknown field '{key.text}'"
                                                f"{suggestion} (fields: {', '.join(by_name)})"))
            misspelt.update(name for name in by_name if f"'{name}'?" in suggestion)
            continue
        try:
            values[spec.name] = spec.read(value, reading)
        except Invalid as exc:
            problems.extend([Diagnostic(p.location, f"{label}: {p.message}", p.severity)
                             for p in exc.nested] or
                            [error(exc.location, f"{label}: {spec.name}: {exc.message}")])
            ok = ok and not spec.required
            values[spec.name] = None
    for spec in fields:
        if spec.name not in values:
            values[spec.name] = None
            if spec.required:
                if spec.name not in misspelt:
                    problems.append(error(node.location, f"{label}: missing required field "
                                                         f"'{spec.name}'"))
                ok = False
    return values, ok


def record_label(node: YamlNode, kind: str, index: int, key: str = "id") -> str:
    """'event 'doha-agreement'' when the id is readable, else 'event 3'."""
    if isinstance(node, YamlMapping):
        ident = node.get(key)
        if isinstance(ident, YamlScalar) and ident.text.strip():
            return f"{kind} '{ident.text.strip()}'"
    return f"{kind} {index + 1}"
