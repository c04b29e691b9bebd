"""Read picture files as bytes: inside content/, not too big. What they contain is judged later
(validation checks the names, rendering decodes them)."""

from __future__ import annotations

from pathlib import Path

from generator.errors import Diagnostic, SourceLocation, error
from generator.load.files import Unfit, display, inside, list_folder, read_bounded
from generator.rules import IMAGE_FOLDER, is_ignored

MAX_IMAGE_BYTES = 25 * 1024 * 1024
"""Larger than any picture a web page needs; a bigger file is a mistake (a raw camera file, a
video) and would only slow every build down."""


def read_picture(path: Path, root: Path) -> tuple[bytes | None, list[Diagnostic]]:
    """A picture's bytes, unless it links out of ``root`` or is too big to be meant."""
    shown = display(path)
    if not inside(path, root):
        return None, [error(SourceLocation(shown), "is a link to a file outside "
                                                   f"{display(root)}/; expected a real file")]
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return None, [error(SourceLocation(shown), f"picture is too large ({size:,} bytes); "
                                                       f"expected at most {MAX_IMAGE_BYTES:,} "
                                                       "bytes (save it smaller, e.g. 2,000 "
                                                       "pixels wide)")]
        return read_bounded(path, MAX_IMAGE_BYTES, "a picture file"), []
    except Unfit as unfit:
        return None, [error(SourceLocation(shown), str(unfit))]
    except OSError as exc:
        return None, [error(SourceLocation(shown), f"cannot be read: {exc.strerror}")]


def read_image_folder(folder: Path, content_root: Path
                      ) -> tuple[dict[str, bytes], frozenset[str], list[Diagnostic]]:
    """Every file in an explainer's images/ folder, by its path from the explainer's folder
    ('images/photo.jpg'), and the names of all of them, read or not; images.yaml says which
    are used and how."""
    if not folder.is_dir():
        return {}, frozenset(), [error(SourceLocation(display(folder)),
                                       f"'{IMAGE_FOLDER}' is not a folder; expected a folder "
                                       "of pictures")]
    found: dict[str, bytes] = {}
    names: set[str] = set()
    entries, problems = list_folder(folder)
    for entry in entries:
        if is_ignored(entry.name):
            continue
        names.add(f"{IMAGE_FOLDER}/{entry.name}")
        if entry.is_dir() and not entry.is_symlink():
            problems.append(error(SourceLocation(display(entry)),
                                  f"folders inside {IMAGE_FOLDER}/ are not read; expected the "
                                  f"pictures directly in {IMAGE_FOLDER}/"))
            continue
        data, read_problems = read_picture(entry, content_root)
        problems += read_problems
        if data is not None:
            found[f"{IMAGE_FOLDER}/{entry.name}"] = data
    return found, frozenset(names), problems
