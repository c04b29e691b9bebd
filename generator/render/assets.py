"""Static files of the templates folder, with content hashes in their names."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Diagnostic, SourceLocation, error
from generator.rules import is_ignored

ASSET_FOLDER = "assets"


@dataclass(frozen=True, slots=True)
class Assets:
    """Hashed names let hosts cache these files forever: a change gives a new name."""

    urls: Mapping[str, str]  # "style.css" -> "assets/style.3f2a9c1d0b.css"
    files: Mapping[str, bytes]  # output path -> content


def hashed_name(name: str, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()[:10]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


def collect_assets(templates_dir: Path) -> tuple[Assets, list[Diagnostic]]:
    folder = templates_dir / ASSET_FOLDER
    urls: dict[str, str] = {}
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        return Assets(urls, files), problems
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or is_ignored(path.name):
            continue
        if not path.resolve().is_relative_to(templates_dir.resolve()):
            problems.append(error(SourceLocation(path.as_posix()), "is a link to a file outside "
                                                                   f"{templates_dir.as_posix()}/; "
                                                                   "expected a real file"))
            continue
        content = path.read_bytes()
        name = path.relative_to(folder).as_posix()
        output = f"{ASSET_FOLDER}/{hashed_name(name, content)}"
        urls[name] = output
        files[output] = content
    return Assets(urls, files), problems
