"""Folders of output files: made fresh, brought up to date, compared, swapped.

Every file is placed by writing it or by hard-linking a finished file of the build's store,
and never changed in place afterwards, so two trees (the live site and its spare) may share
files safely, and a file's inode tells whether it is the one a build wants.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class StoredFile:
    """A finished file (in the build's store) to hard-link, with its inode as the store
    saw it: comparing inodes tells, without a system call, whether a tree holds it."""

    path: str
    inode: int


FileSource = bytes | StoredFile
"""An output file's content, or a stored file to hard-link."""

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def safe_target(root: Path, rel_path: str) -> Path:
    """Where an output file goes; a path that would leave the output folder is a bug."""
    parts = PurePosixPath(rel_path).parts
    if not parts or rel_path.startswith("/") or any(p in ("..", ".", "") for p in parts):
        raise ValueError(f"refusing to write outside the output folder: {rel_path!r}")
    return root.joinpath(*parts)


def place(target: Path, source: FileSource) -> None:
    """Write bytes, or hard-link a stored file (a copy where the file system cannot link)."""
    if isinstance(source, bytes):
        target.write_bytes(source)
        return
    try:
        os.link(source.path, target)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(source.path, target)


def listing(root: Path) -> dict[str, int]:
    """Every file under ``root`` (relative posix path) with its inode; folders left out."""
    found: dict[str, int] = {}
    pending = [(str(root), "")]  # plain strings: a big site has thousands of folders
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, name + "/"))
                else:
                    found[name] = entry.inode()
    return found


def _inode(source: FileSource) -> int | None:
    return None if isinstance(source, bytes) else source.inode


def holds_exactly(root: Path, files: Mapping[str, FileSource]) -> bool:
    """True when ``root`` is already exactly these files (the very same stored files).

    Each wanted file is looked up first, which stops at the first that differs (a rebuild
    that changed something); only a tree that has them all is listed for extra files."""
    folder = str(root)
    for path, source in files.items():
        inode = _inode(source)
        try:
            if inode is None or os.stat(f"{folder}/{path}").st_ino != inode:  # noqa: PTH116
                return False
        except (OSError, ValueError):
            return False
    try:
        present = listing(root)
    except OSError:
        return False
    if present.keys() != files.keys():
        return False
    return all(present[path] == _inode(source) for path, source in files.items())


def fill(root: Path, files: Mapping[str, FileSource]) -> None:
    """Make ``root`` hold exactly ``files``, touching only what differs from what it holds.

    Used on the spare tree (a previous site, not served): a rebuild that changed one page
    relinks one page instead of re-making thousands of files and folders.
    """
    present = listing(root)
    inodes = {path: _inode(source) for path, source in files.items()}
    wanted_folders = {path.rpartition("/")[0] for path in files} - {""}
    for path, inode in present.items():
        if inodes.get(path, -1) != inode:
            safe_target(root, path).unlink()
    for folder in sorted(_folders_of(present) - _with_parents(wanted_folders), reverse=True):
        with contextlib.suppress(OSError):  # not empty: it holds something still wanted
            safe_target(root, folder).rmdir()
    made: set[Path] = set()
    for path in sorted(files):
        if path in present and present[path] == inodes[path]:
            continue
        target = safe_target(root, path)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        place(target, files[path])


def _folders_of(paths: Mapping[str, int]) -> set[str]:
    return _with_parents({path.rpartition("/")[0] for path in paths} - {""})


def _with_parents(folders: set[str]) -> set[str]:
    found: set[str] = set()
    for folder in folders:
        while folder and folder not in found:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return found


def new_folder(beside: Path, prefix: str) -> Path:
    """An empty folder next to ``beside`` (same file system, so it can be swapped in)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=beside.parent))
    folder.chmod(0o755)  # mkdtemp makes it private; a web server must read the site
    return folder


def exchange(first: Path, second: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                       _RENAME_EXCHANGE)
    return int(result) == 0


def swap_into_place(ready: Path, out_dir: Path) -> Path | None:
    """Make ``ready`` the output folder; readers see the old site or the new, never a mix.

    Returns the folder that now holds the previous site (None if there was none).
    """
    if not out_dir.exists():
        ready.rename(out_dir)
        return None
    if exchange(ready, out_dir):
        return ready  # it now holds the previous site
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-{os.getpid()}-",
                                dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    ready.rename(out_dir)
    return old
