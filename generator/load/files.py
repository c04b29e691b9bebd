"""Read one text file the way a writer meant it: UTF-8, inside the project, not too big."""

from __future__ import annotations

from pathlib import Path

from generator.errors import Diagnostic, SourceLocation, error

MAX_FILE_BYTES = 2 * 1024 * 1024


def display(path: Path) -> str:
    return path.as_posix()


def inside(path: Path, root: Path) -> bool:
    """True when ``path`` resolves (following symlinks) to somewhere under ``root``."""
    return path.resolve().is_relative_to(root.resolve())


def read_text(path: Path, root: Path) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 file under ``root``, refusing what a person could not have meant."""
    shown = display(path)
    at_start = SourceLocation(shown, 1, 1)
    if not inside(path, root):
        return None, [error(SourceLocation(shown), "is a link to a file outside "
                                                   f"{display(root)}/; expected a real file")]
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [error(at_start, f"file is too large ({size:,} bytes); expected at "
                                          f"most {MAX_FILE_BYTES:,} bytes")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(SourceLocation(shown), f"cannot be read: {exc.strerror}")]
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [error(at_start, "file starts with a byte-order mark; expected UTF-8 "
                                      "without BOM (re-save it as plain UTF-8)")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        return None, [error(SourceLocation(shown, line, column),
                            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); expected the "
                            "file to be saved as UTF-8")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        before = text[:text.index("\x00")]
        where = SourceLocation(shown, before.count("\n") + 1, len(before) - before.rfind("\n"))
        return None, [error(where, "file contains NUL bytes; expected a text file")]
    return text, []
