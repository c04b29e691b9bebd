"""Readers for values that are more than text: numbers, choices and nested records.

A chart's series and their points, and a map's frame and places, are records inside a
record. Every problem inside them is reported, each where it was written, and the
outer record's label is put in front ("chart 'troops': series 'US': point '2001-11': …").
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from generator.errors import Diagnostic, did_you_mean
from generator.fields import Invalid, Reader, Reading, fields_of, read_record
from generator.raw import YamlMapping, YamlNode, YamlScalar, YamlSequence, describe

T = TypeVar("T")

_LOOKS_LIKE_A_NUMBER = re.compile(r"[-+]?[\d,. ]*\d[\d,. ]*")


def number(node: YamlNode, _reading: Reading | None = None) -> float:
    """A plain number: qualifiers such as 'about' belong in another field, not the value."""
    if not isinstance(node, YamlScalar):
        raise Invalid(f"expected a number, got {describe(node)}", node.location)
    if node.kind in ("integer", "number"):
        try:
            value = float(node.text.replace("_", ""))
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return int(value) if node.kind == "integer" and value.is_integer() else value
    hint = ""
    if node.kind == "text" and _LOOKS_LIKE_A_NUMBER.fullmatch(node.text.strip()):
        hint = "; write it without thousands separators or spaces, such as 1300"
    elif node.kind == "text":
        hint = "; put words such as 'about' or 'more than' in 'wording'"
    raise Invalid(f"expected a number, got {node.described}{hint}", node.location)


def between(low: float, high: float, what: str) -> Reader:
    """A number within [low, high]: a latitude, a longitude."""

    def read(node: YamlNode, reading: Reading) -> float:
        try:
            value = number(node, reading)
        except Invalid:
            got = node.described if isinstance(node, YamlScalar) else describe(node)
            raise Invalid(f"expected a {what} in decimal degrees, such as 37.49 (north and "
                          f"east are positive), got {got}", node.location) from None
        if not low <= value <= high:
            raise Invalid(f"{value:g} is not a {what}; expected a number from {low:g} to "
                          f"{high:g}", node.location)
        return value

    return read


latitude = between(-90, 90, "latitude")
longitude = between(-180, 180, "longitude")


def choice(*options: str) -> Reader:
    """One word out of a fixed list (a chart's kind)."""

    def read(node: YamlNode, _reading: Reading) -> str:
        if not isinstance(node, YamlScalar) or node.kind != "text":
            got = node.described if isinstance(node, YamlScalar) else describe(node)
            raise Invalid(f"expected one of {', '.join(options)}, got {got}", node.location)
        value = node.text.strip()
        if value not in options:
            raise Invalid(f"'{value}' is not known{did_you_mean(value, options)} (expected one "
                          f"of: {', '.join(options)})", node.location)
        return value

    return read


def _label(node: YamlNode, what: str, index: int, keys: Sequence[str]) -> str:
    """'point '2001-11'' when one of ``keys`` names it, else 'point 3'."""
    if isinstance(node, YamlMapping):
        for key in keys:
            value = node.get(key)
            if isinstance(value, YamlScalar) and value.text.strip():
                return f"{what} '{value.text.strip()}'"
    return f"{what} {index + 1}"


def _build(record_type: Callable[..., T], node: YamlNode, label: str,
           problems: list[Diagnostic], reading: Reading) -> T | None:
    values, ok = read_record(node, fields_of(record_type),  # type: ignore[arg-type]
                             label, problems, reading)
    if not ok or any(p.is_error for p in problems):
        return None
    return record_type(**{k: v for k, v in values.items() if v is not None})


def records_of(record_type: Callable[..., T], what: str,
               named_by: Sequence[str] = ("id",)) -> Reader:
    """A non-empty list of nested records, every problem in each reported."""

    def read(node: YamlNode, reading: Reading) -> tuple[T, ...]:
        if not isinstance(node, YamlSequence):
            raise Invalid(f"expected a list of {what}s, got {describe(node)}", node.location)
        if not node.items:
            raise Invalid(f"is an empty list; expected at least one {what}", node.location)
        problems: list[Diagnostic] = []
        found: list[Any] = []
        for index, item in enumerate(node.items):
            own: list[Diagnostic] = []
            found.append(_build(record_type, item, _label(item, what, index, named_by), own,
                                reading))
            problems += own
        if any(p.is_error for p in problems):
            raise Invalid(f"invalid {what}s", node.location, tuple(problems))
        return tuple(found)

    return read


def record_of(record_type: Callable[..., T], what: str) -> Reader:
    """One nested record written as a mapping (a map's frame)."""

    def read(node: YamlNode, reading: Reading) -> T:
        problems: list[Diagnostic] = []
        built = _build(record_type, node, what, problems, reading)
        if built is None:
            raise Invalid(f"invalid {what}", node.location, tuple(problems))
        return built

    return read
