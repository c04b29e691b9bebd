"""Check the ':::' lines of our Markdown: containers ('::: picture', '::: box', closed by
':::') and one-line placements of records ('::: image <id>', '::: chart <id>')."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.errors import Diagnostic, SourceLocation, did_you_mean, error
from generator.rules import CONTAINER_KINDS, ID_RULE, PLACEMENT_KINDS, is_id

Locator = Callable[[int, str], SourceLocation]

_CONTAINER = re.compile(r"^ {0,3}:::+[ \t]*(?P<rest>[^\n]*)$", re.M)
_CONTAINER_OPEN = re.compile(r'(?P<kind>[A-Za-z][\w-]*)(?:[ \t]+(?P<ref>[^\s"]+))?'
                             r'(?:[ \t]+"(?P<title>[^"\n]*)")?'
                             r'(?:[ \t]+(?P<late_ref>[^\s"]+))?[ \t]*')
"""Read generously (an id after a description too), so a slip gets its own message."""


@dataclass(frozen=True, slots=True)
class Placement:  # a record placed in the text by its id: '::: image <id>'
    kind: str
    ident: str
    location: SourceLocation


def _check_placement(opening: re.Match[str], where: SourceLocation,
                     problems: list[Diagnostic], placements: list[Placement]) -> None:
    """'::: image <id>', '::: chart <id>': one line that names the record to show there;
    the id itself is checked with every other reference."""
    kind, ref = opening["kind"], opening["ref"] or opening["late_ref"]
    article = "an" if kind[0] in "aeiou" else "a"
    if ref is None or opening["title"] is not None:
        problems.append(error(where, f"'::: {kind}' needs the id of {article} {kind} and "
                                     f"nothing else; expected '::: {kind} <id>' on one line, "
                                     f"with the id from {kind}s.yaml"))
    elif not is_id(ref):
        problems.append(error(where, f"'{ref}' is not a valid {kind} id; expected "
                                     f"'::: {kind} <id>' with {ID_RULE}"))
    else:
        placements.append(Placement(kind, ref, where))


def check_containers(masked: str, locate: Locator, allowed: bool
                      ) -> tuple[list[Diagnostic], list[Placement]]:
    problems: list[Diagnostic] = []
    placements: list[Placement] = []
    open_at: tuple[int, str] | None = None
    placed_before = False  # the previous ':::' line was a one-line placement
    for match in _CONTAINER.finditer(masked):
        rest = match["rest"].strip()
        where = locate(match.start(), ":::")
        if not allowed:
            problems.append(error(where, "containers (':::') are not allowed here; expected "
                                         "them only in article.md or background.md"))
            continue
        if not rest:
            if open_at is None:
                hint = " (a '::: image <id>', '::: chart <id>' or '::: map <id>' line has " \
                    "no closing ':::')" if placed_before else ""
                problems.append(error(where, "':::' closes nothing; expected an opening "
                                             f"'::: picture' or '::: box' before it{hint}"))
            open_at = None
            continue
        opening = _CONTAINER_OPEN.fullmatch(rest)
        placed_before = opening is not None and opening["kind"] in PLACEMENT_KINDS
        if placed_before and opening is not None:
            _check_placement(opening, where, problems, placements)
            continue
        if open_at is not None:
            problems.append(error(where, f"'::: {rest}' inside another container (opened at "
                                         f"line {locate(*open_at).line}); expected ':::' to "
                                         "close the first one"))
        if opening is None:
            problems.append(error(where, f"cannot read container '::: {rest}'; expected "
                                         "'::: picture \"description\"' or '::: box'"))
        elif opening["kind"] not in CONTAINER_KINDS:
            problems.append(error(where, f"unknown container '{opening['kind']}'"
                                         f"{did_you_mean(opening['kind'], CONTAINER_KINDS)} "
                                         f"(known: {', '.join(CONTAINER_KINDS)})"))
        elif opening["title"] is not None and opening["kind"] != "picture":
            problems.append(error(where, f"'::: {opening['kind']}' takes no quoted text; "
                                         "expected only '::: picture' to have a description"))
        elif (opening["ref"] or opening["late_ref"]) is not None:
            problems.append(error(where, f"'::: {opening['kind']}' takes nothing after it; "
                                         "expected only '::: image', '::: chart' and "
                                         "'::: map' to name an id"))
        open_at = (match.start(), ":::")
    if open_at is not None:
        problems.append(error(locate(*open_at), "container is never closed; expected a line "
                                                "with ':::' after its content"))
    return problems, placements


