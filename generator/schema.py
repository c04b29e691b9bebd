"""Read YAML records field by field, collecting every problem with its position.

Each reader turns one node into one typed value or raises ``Invalid``; ``read_record`` applies
a list of fields to a mapping so that one bad field never hides the next.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.dates import DateError, PartialDate, parse_partial_date
from generator.errors import Diagnostic, SourceLocation, did_you_mean, error
from generator.model import Prose
from generator.prose import ID_PATTERN, url_problem
from generator.yamlsource import YamlMapping, YamlNode, YamlScalar, YamlSequence, describe

_ID = re.compile(ID_PATTERN)


class Invalid(Exception):  # noqa: N818 - a value is invalid; not an error of the program
    def __init__(self, message: str, location: SourceLocation) -> None:
        super().__init__(message)
        self.message = message
        self.location = location


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to an id (a source, an era), kept with where it was written."""

    id: str
    location: SourceLocation


@dataclass(frozen=True, slots=True)
class ProseField:
    prose: Prose
    scalar: YamlScalar


Reader = Callable[[YamlNode], Any]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    read: Reader
    required: bool = True


def _scalar(node: YamlNode, expected: str) -> YamlScalar:
    if not isinstance(node, YamlScalar):
        raise Invalid(f"expected {expected}, got {describe(node)}", node.location)
    return node


def read_text(node: YamlNode) -> str:
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
    return scalar.text.strip()


def read_id(node: YamlNode) -> str:
    text = read_text(node)
    if not _ID.fullmatch(text):
        raise Invalid(f"'{text}' is not a valid id; expected lowercase letters, digits and "
                      "single hyphens, such as 'doha-agreement'", node.location)
    return text


def read_date(node: YamlNode) -> PartialDate:
    scalar = _scalar(node, "a date")
    if scalar.kind not in ("text", "integer", "date"):
        raise Invalid(f"expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got {scalar.described}",
                      scalar.location)
    try:
        return parse_partial_date(scalar.text)
    except DateError as exc:
        raise Invalid(str(exc), scalar.location) from None


def read_day(node: YamlNode) -> PartialDate:
    date = read_date(node)
    if date.precision != "day":
        raise Invalid(f"'{date.iso()}' is not a full date; expected YYYY-MM-DD", node.location)
    return date


def read_bool(node: YamlNode) -> bool:
    scalar = _scalar(node, "true or false")
    if scalar.kind != "boolean":
        raise Invalid(f"expected true or false, got {scalar.described}", scalar.location)
    return scalar.text.lower() in ("true", "yes", "on", "y")


def read_url(node: YamlNode) -> str:
    text = read_text(node)
    problem = url_problem(text)
    if problem:
        raise Invalid(problem, node.location)
    if not re.fullmatch(r"https?://[^\s/]+\.[^\s/]+(?:/\S*)?", text):
        raise Invalid(f"'{text}' is not a web address; expected an absolute http(s) URL",
                      node.location)
    return text


def read_base_url(node: YamlNode) -> str:
    url = read_url(node)
    if not url.endswith("/"):
        raise Invalid(f"base_url '{url}' must end with '/'; expected e.g. '{url}/'",
                      node.location)
    return url


def _sequence(node: YamlNode, what: str) -> YamlSequence:
    if not isinstance(node, YamlSequence):
        raise Invalid(f"expected a list of {what} ([a, b]), got {describe(node)}", node.location)
    return node


def read_text_list(node: YamlNode) -> tuple[str, ...]:
    return tuple(read_text(item) for item in _sequence(node, "texts").items)


def read_refs(node: YamlNode) -> tuple[Ref, ...]:
    sequence = _sequence(node, "source ids")
    if not sequence.items:
        raise Invalid("is an empty list; expected at least one source id", node.location)
    return tuple(Ref(read_id(item), item.location) for item in sequence.items)


def read_inline(node: YamlNode) -> ProseField:
    """A YAML text field that is inline Markdown (it may cite, emphasise and link)."""
    text = read_text(node)
    assert isinstance(node, YamlScalar)
    return ProseField(Prose(text=text, location=node.location), node)


def read_record(node: YamlNode, fields: Sequence[Field], label: str,
                problems: list[Diagnostic]) -> tuple[dict[str, Any], bool]:
    """Values of the fields that are valid, and whether all required ones are."""
    if not isinstance(node, YamlMapping):
        problems.append(error(node.location, f"{label}: expected a mapping of fields "
                                             f"(name: value), got {describe(node)}"))
        return {}, False
    by_name = {f.name: f for f in fields}
    values: dict[str, Any] = {}
    misspelt: set[str] = set()  # fields already explained by a "did you mean"
    ok = True
    for key, value in node.entries:
        field = by_name.get(key.text)
        if field is None:
            suggestion = did_you_mean(key.text, by_name)
            problems.append(error(key.location, f"{label}: unknown field '{key.text}'"
                                                f"{suggestion} (fields: {', '.join(by_name)})"))
            misspelt.update(name for name in by_name if f"'{name}'?" in suggestion)
            continue
        try:
            values[field.name] = field.read(value)
        except Invalid as exc:
            problems.append(error(exc.location, f"{label}: {field.name}: {exc.message}"))
            ok = ok and not field.required
            values[field.name] = None
    for field in fields:
        if field.name not in values:
            values[field.name] = None
            if field.required:
                if field.name not in misspelt:
                    problems.append(error(node.location, f"{label}: missing required field "
                                                         f"'{field.name}'"))
                ok = False
    return values, ok


def record_label(node: YamlNode, kind: str, index: int, key: str = "id") -> str:
    """'event 'doha-agreement'' when the id is readable, else 'event 3'."""
    if isinstance(node, YamlMapping):
        ident = node.get(key)
        if isinstance(ident, YamlScalar) and ident.text.strip():
            return f"{kind} '{ident.text.strip()}'"
    return f"{kind} {index + 1}"
