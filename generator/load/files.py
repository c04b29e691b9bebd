"""Read one text file the way a writer meant it: UTF-8, inside the project, not too big."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import Diagnostic, SourceLocation, error

MAX_FILE_BYTES = 2 * 1024 * 1024


def display(path: Path) -> str:
    return path.as_posix()


def inside(path: Path, root: Path) -> bool:
    """True when ``path`` resolves (following symlinks) to somewhere under ``root``."""
    return path.resolve().is_relative_to(root.resolve())


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class Unfit(Exception):  # noqa: N818 - a finding about a file, reported as a problem
    pass


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, judged before reading: a FIFO
    would block the build, a device ('/dev/zero') would fill the memory. Raises ``Unfit``
    (with the reason) or ``OSError``."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
        raise Unfit(f"is {kind}, not a regular file; expected {what}")
    if info.st_size > limit:
        raise Unfit(f"file is too large ({info.st_size:,} bytes); expected at most "
                    f"{limit:,} bytes")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise Unfit(f"file is too large (over {limit:,} bytes); expected at most {limit:,} "
                    "bytes")
    return data


def list_folder(folder: Path) -> tuple[list[Path], list[Diagnostic]]:
    """A folder's entries by name, or a located problem when it cannot be listed."""
    entries, problems = list_folder_kinds(folder)
    return [path for path, _is_folder in entries], problems


def list_folder_kinds(folder: Path) -> tuple[list[tuple[Path, bool]], list[Diagnostic]]:
    """A folder's entries by name, each with whether it is a folder (links followed), read
    from the listing itself: a site of thousands of explainers is listed on every rebuild."""
    try:
        with os.scandir(folder) as found:
            entries = sorted((entry.name, entry.is_dir()) for entry in found)
        return [(folder / name, is_folder) for name, is_folder in entries], []
    except OSError as exc:
        return [], [error(SourceLocation(display(folder)), f"folder cannot be read: "
                                                           f"{exc.strerror}; expected a folder "
                                                           "you may read (check its "
                                                           "permissions)")]


def read_text(path: Path, root: Path) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 file under ``root``, refusing what a person could not have meant."""
    shown = display(path)
    at_start = SourceLocation(shown, 1, 1)
    if not inside(path, root):
        return None, [error(SourceLocation(shown), "is a link to a file outside "
                                                   f"{display(root)}/; expected a real file")]
    try:
        data = read_bounded(path, MAX_FILE_BYTES, "a text file")
    except Unfit as unfit:
        return None, [error(at_start, str(unfit))]
    except OSError as exc:
        return None, [error(SourceLocation(shown), f"cannot be read: {exc.strerror}; expected "
                                                   "a file you may read (check its "
                                                   "permissions)")]
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
