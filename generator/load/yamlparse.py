"""Parse YAML into small node trees that remember where every value was written.

PyYAML's ``safe_load`` forgets positions, silently keeps the last of two duplicate keys and
expands aliases; hand-curated fact files need the opposite on all three counts.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import Diagnostic, SourceLocation, error
from generator.raw import YamlMapping, YamlNode, YamlScalar, YamlSequence

_CORE_TAGS = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:int": "integer",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:bool": "boolean",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "date",
    "tag:yaml.org,2002:map": "mapping",
    "tag:yaml.org,2002:seq": "list",
}


class _NoAliasLoader(yaml.SafeLoader):
    """Refuses aliases where they are written: they hide data and enable alias bombs."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not supported; write the value out in full",
                event.start_mark)
        return super().compose_node(parent, index)


def _location(path: str, node: Node) -> SourceLocation:
    mark = node.start_mark
    return SourceLocation(path, mark.line + 1, mark.column + 1)


def _is_unclosed_quote(exc: yaml.MarkedYAMLError) -> bool:
    return bool(exc.context and "scanning a quoted scalar" in exc.context)


def _friendly_problem(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's messages, plus the hint a person at deadline needs."""
    problem = exc.problem or "invalid YAML"
    if "'\\t'" in problem:
        return "a tab character; YAML must be indented with spaces"
    if _is_unclosed_quote(exc):
        return "unclosed quote; expected a closing quote before the end of the text"
    if problem == "mapping values are not allowed here":
        return "unexpected ':'; put text that contains ': ' in quotes"
    if "could not find expected ':'" in problem:
        return "expected 'key: value' here; check the indentation of this line"
    if problem.startswith("expected <block end>"):
        return "unexpected indentation; items at one level must line up"
    if "expected a single document" in (exc.context or "") or "expected a single" in problem:
        return "more than one YAML document ('---'); expected one document per file"
    return problem


MAX_DEPTH = 64
"""Lists and mappings nest at most this deep; fact files need about six levels, and PyYAML's
composer (and ours) recurse once per level."""


class TooDeep(Exception):  # noqa: N818 - a finding, reported as a located problem
    def __init__(self, mark: Any) -> None:
        super().__init__("too deep")
        self.mark = mark


def _deep_point(text: str) -> Any:
    """Where the document first nests deeper than ``MAX_DEPTH``, from its events (PyYAML's
    parser is iterative, unlike its composer)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _inspect(root: Node) -> tuple[bool, list[Node]]:
    """One walk over the composed document: was any node reached twice (an alias), and
    which nodes carry an object tag ('!!python/…')? Raises ``TooDeep``."""
    seen: set[int] = set()
    foreign: list[Node] = []
    shared = False
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            shared = True
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise TooDeep(node.start_mark)
        if node.tag not in _CORE_TAGS:
            foreign.append(node)
        if isinstance(node, SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
        elif isinstance(node, MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
    return shared, foreign


def _foreign_tags(path: str, nodes: list[Node]) -> list[Diagnostic]:
    """A file with object tags is not read any further."""
    return [error(_location(path, node), f"YAML tag '{_shown(node.tag)}' is not allowed; "
                                         "expected plain values without '!' tags")
            for node in sorted(nodes, key=lambda n: n.start_mark.index)]


def _shown(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _convert(path: str, node: Node, text: str, problems: list[Diagnostic]) -> YamlNode | None:
    """Turn a composed PyYAML node into ours, refusing duplicate keys."""
    location = _location(path, node)
    if isinstance(node, ScalarNode):
        raw = text[node.start_mark.index:node.end_mark.index]
        return YamlScalar(node.value, _CORE_TAGS[node.tag], location, raw)
    if isinstance(node, SequenceNode):
        items = [_convert(path, item, text, problems) for item in node.value]
        return YamlSequence(tuple(i for i in items if i is not None), location)
    assert isinstance(node, MappingNode)
    entries: list[tuple[YamlScalar, YamlNode]] = []
    first_seen: dict[str, SourceLocation] = {}
    for key_node, value_node in node.value:
        key = _convert(path, key_node, text, problems)
        value = _convert(path, value_node, text, problems)
        if key is None or value is None:
            continue
        if not isinstance(key, YamlScalar) or key.kind == "null":
            problems.append(error(key.location, "a key must be a plain name; expected "
                                                "'name: value'"))
            continue
        if key.text in first_seen:
            earlier = first_seen[key.text]
            problems.append(error(key.location, f"duplicate key '{key.text}' (first written at "
                                                f"line {earlier.line}); expected each key once"))
            continue
        first_seen[key.text] = key.location
        entries.append((key, value))
    return YamlMapping(tuple(entries), location)


def _compose(text: str) -> tuple[Node | None, list[Node]]:
    """Compose with libyaml when present (about ten times faster); anything unusual is
    composed again by the pure-Python loader, whose messages and positions we report.
    Returns the document and its nodes with object tags."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            root = yaml.compose(text, Loader=fast)
        except yaml.YAMLError as exc:
            # libyaml refuses 1,000 levels, which the pure-Python composer takes seconds over
            mark = _deep_point(text) if "nesting depth" in str(exc) else None
            if mark is not None:
                raise TooDeep(mark) from None
        else:
            if root is None:
                return None, []
            shared, foreign = _inspect(root)
            if not shared:
                return root, foreign
    try:
        root = yaml.compose(text, Loader=_NoAliasLoader)
    except RecursionError:
        mark = _deep_point(text)
        if mark is None:
            raise
        raise TooDeep(mark) from None
    return root, _inspect(root)[1] if root is not None else []


def parse_yaml(path: str, text: str) -> tuple[YamlNode | None, list[Diagnostic]]:
    """Parse one YAML document; ``path`` is only used in locations."""
    problems: list[Diagnostic] = []
    try:
        root, foreign = _compose(text)
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is found at the end of the file; point at where it opened.
        mark = (exc.context_mark if _is_unclosed_quote(exc) else None) or exc.problem_mark \
            or exc.context_mark
        location = (SourceLocation(path, mark.line + 1, mark.column + 1) if mark
                    else SourceLocation(path))
        return None, [error(location, _friendly_problem(exc))]
    except TooDeep as exc:
        return None, [error(SourceLocation(path, exc.mark.line + 1, exc.mark.column + 1),
                            f"nested more than {MAX_DEPTH} levels deep; expected a few levels "
                            "of lists and mappings")]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, by position
        before = text[:exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return None, [error(SourceLocation(path, line, column),
                            f"control character U+{ord(char):04X} is not allowed in YAML; "
                            "expected plain text (delete it, or write it as an escape such "
                            "as \\t inside double quotes)")]
    except yaml.YAMLError as exc:
        return None, [error(SourceLocation(path, 1, 1), f"not readable as YAML: {exc}")]
    if root is None:
        return None, [error(SourceLocation(path, 1, 1), "file is empty; expected YAML content")]
    if foreign:
        return None, _foreign_tags(path, foreign)
    return _convert(path, root, text, problems), problems
