"""Background: one section per '##' heading of a Markdown file."""

from __future__ import annotations

import re

from generator.errors import Diagnostic, SourceLocation, error
from generator.raw import Prose
from generator.records import Section
from generator.rules import slugify
from generator.textscan import mask_code

_SECTION_HEADING = re.compile(r" {0,3}##[ \t]+\S")


def split_sections(prose: Prose) -> tuple[list[Section], list[Diagnostic]]:
    """The heading is the section's title; its slug, made unique, is the section's id."""
    lines = prose.text.split("\n")
    masked = mask_code(prose.text).split("\n")
    problems: list[Diagnostic] = []
    starts = [i for i, line in enumerate(masked) if _SECTION_HEADING.match(line)
              and not line.lstrip().startswith("###")]
    before = [i for i in range(starts[0] if starts else len(lines)) if lines[i].strip()]
    if before:
        where = SourceLocation(prose.location.path, before[0] + 1, 1)
        problems.append(error(where, "text before the first '##' heading; expected every "
                                     "background section to start with '## Title'"))
    sections: list[Section] = []
    used: set[str] = set()
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        title = lines[start].strip().lstrip("#").strip()
        ident = base = slugify(title)
        suffix = 2
        while ident in used:
            ident, suffix = f"{base}-{suffix}", suffix + 1
        used.add(ident)
        body_lines = lines[start + 1:end]
        first_body_line = start + 2
        while body_lines and not body_lines[0].strip():
            body_lines.pop(0)
            first_body_line += 1
        body = "\n".join(body_lines).rstrip()
        if not body:
            problems.append(error(SourceLocation(prose.location.path, start + 1, 1),
                                  f"background section '{title}' is empty; expected text "
                                  "under the heading"))
            continue
        sections.append(Section(id=ident, title=title, body=Prose(
            text=body, location=SourceLocation(prose.location.path, first_body_line, 1))))
    return sections, problems
