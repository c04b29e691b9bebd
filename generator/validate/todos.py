"""'TODO' placeholders a writer has yet to fill in: warnings that say what is left to do.

``explainer new`` writes them where it cannot know the answer (the dek, a source's
publisher); each is a warning, so the new explainer builds at once and ``--strict``
refuses to let one through.
"""

from __future__ import annotations

import re

from generator.errors import Diagnostic, SourceLocation, warning
from generator.raw import RawDocuments, YamlMapping, YamlNode, YamlScalar, YamlSequence
from generator.textscan import positions

TODO = re.compile(r"\bTODO\b:?[ \t]*(?P<what>[^\n]*)")
_SHOWN = 100


def _message(what: str) -> str:
    what = what.strip().rstrip("\"'")
    if len(what) > _SHOWN:
        what = what[:_SHOWN].rsplit(" ", 1)[0] + " …"
    return f"left to do: {what}" if what else "left to do (a TODO marker)"


def _scalars(node: YamlNode) -> list[YamlScalar]:
    if isinstance(node, YamlScalar):
        return [node]
    if isinstance(node, YamlMapping):
        return [s for _key, value in node.entries for s in _scalars(value)]
    if isinstance(node, YamlSequence):
        return [s for item in node.items for s in _scalars(item)]
    return []


def check_todos(documents: RawDocuments) -> list[Diagnostic]:
    """A warning at every 'TODO' in an explainer's YAML values and Markdown files."""
    problems = []
    for name in sorted(documents.yaml):
        for scalar in _scalars(documents.yaml[name]):
            for match in TODO.finditer(scalar.text):
                problems.append(warning(scalar.locate("TODO"), _message(match["what"])))
    for name in sorted(documents.markdown):
        source = documents.markdown[name]
        position = positions(source.text)  # one scan of the text, not one per line
        for match in TODO.finditer(source.text):
            line, column = position(match.start())
            problems.append(warning(SourceLocation(source.path, line, column),
                                    _message(match["what"])))
    return problems
