"""Keeping the cache folder from growing without bound.

Every edit leaves the store a few new blobs and entries (the changed pages, a new index
part, the explainer's records) and the ones they replace behind: about 1 MB an edit for the
real explainers, so a day in the preview would leave hundreds of megabytes. Once the store
holds more than twice the entries it kept after its last sweep (or held after its first
build), the build that finds so removes every entry and blob it neither used nor refers to.

Nothing in the store is needed for a correct build (what is missing is made again), so a
sweep can only cost time. It still must not pull a file from under another process: every
process that builds from the store holds a shared lock on it while it lives, and a sweep
runs only when it can make that lock exclusive at once; otherwise a later build sweeps.
Files written since the sweeping build started are kept whatever they are, and files are
told apart by their names in the store, whatever spelling of its folder a build was given.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = "lock"
TURN_NAME = "sweeping"  # held by the one process sweeping or removing the store
RECORD_NAME = "swept"  # how many entries the last sweep kept
MIN_ENTRIES = 16  # a small site's store is swept only once it has this many more entries
KINDS = ("entries", "blobs")


@dataclass(frozen=True, slots=True)
class Swept:
    """What one sweep removed and kept, for the tests and the curious."""

    removed: int
    removed_bytes: int
    kept_entries: int


def hold(root: Path) -> int | None:
    """Open the store's lock and take it shared: the process uses the store until it closes
    the returned descriptor. None where the folder cannot be made or locked: no sweep then
    (nor on Windows, which has no ``flock``, and where a file in use cannot be removed)."""
    try:
        import fcntl
    except ImportError:
        return None
    while True:
        try:
            root.mkdir(parents=True, exist_ok=True)
            handle = _open(root / LOCK_NAME)
        except OSError:
            return None
        try:
            fcntl.flock(handle, fcntl.LOCK_SH)
        except OSError:  # a file system without locks: no sweeps
            os.close(handle)
            return None
        held = os.fstat(handle)
        try:
            now = (root / LOCK_NAME).stat()
        except FileNotFoundError:  # removed while we waited (``explainer clean``)
            now = None
        if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
            return handle
        os.close(handle)  # a lock no one else will look at: take the new one


class CacheInUseError(Exception):
    """The cache folder cannot be removed now: another build or preview is using it."""


def remove(root: Path) -> bool:
    """Remove a whole cache folder; True if there was one. ``CacheInUseError`` while another
    process builds from it: a preview would lose the files it trusts unchecked."""
    if not root.exists():
        return False
    try:
        import fcntl
    except ImportError:  # Windows: no flock, and a file in use there cannot be removed
        shutil.rmtree(root)
        return True
    with _turn(root) as turn:
        if not turn:
            raise CacheInUseError(root.as_posix())
        handle = _open(root / LOCK_NAME)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise CacheInUseError(root.as_posix()) from None
            shutil.rmtree(root)
        finally:
            os.close(handle)
    return True


def count_entries(root: Path) -> int:
    """How many entries the store holds: one listing per folder, no file is opened."""
    total = 0
    with contextlib.suppress(OSError), os.scandir(root / "entries") as folders:
        for folder in folders:
            with contextlib.suppress(OSError), os.scandir(folder.path) as files:
                total += sum(1 for _ in files)
    return total


def last_kept(root: Path) -> int | None:
    """Entries kept by the last sweep; None for a store never swept (or a damaged record)."""
    try:
        found = json.loads((root / RECORD_NAME).read_text(encoding="utf-8"))
        return int(found["entries"])
    except (OSError, ValueError, TypeError, KeyError):
        return None


def due(root: Path, entries: int) -> bool:
    """Whether the store has grown enough to sweep. A store never swept takes its size now
    as where it starts from: a first build wrote everything it holds, nothing to remove."""
    kept = last_kept(root)
    if kept is None:
        write_record(root, entries)
        return False
    return entries > 2 * kept + MIN_ENTRIES


def name_in_store(path: str) -> str:
    """A store file's name below the store's folder ('blobs/ab/cdef…'), the same whether
    the path it is read from is relative or absolute."""
    return "/".join(path.replace(os.sep, "/").rsplit("/", 3)[-3:])


def sweep(root: Path, lock: int, live: set[str], since_ns: int) -> Swept | None:
    """Remove the store's entries and blobs that are not ``live`` (``name_in_store``) and
    were written before ``since_ns``; None, touching nothing, while another process uses the
    store."""
    with _turn(root) as turn:
        if not turn:
            return None
        if not _exclusive(lock):
            return None
        removed = removed_bytes = kept = 0
        try:
            for kind in KINDS:
                for path, name, info in _files(root, kind):
                    if name in live or info.st_mtime_ns >= since_ns:
                        kept += kind == "entries"
                        continue
                    with contextlib.suppress(OSError):  # gone already, or not ours to remove
                        os.unlink(path)  # noqa: PTH108 - str paths, thousands of them
                        removed += 1
                        removed_bytes += info.st_size
            write_record(root, kept)
        finally:
            _shared(lock)
    return Swept(removed, removed_bytes, kept)


@contextlib.contextmanager
def _turn(root: Path) -> Iterator[bool]:
    """One sweep (or ``remove``) at a time. Making the shared lock exclusive first drops it
    for a moment on Linux, even when that fails: two sweepers doing so at once could each
    see the other gone. Whoever holds this second lock is the only one who tries."""
    import fcntl

    try:
        handle = _open(root / TURN_NAME)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(handle)


def _exclusive(lock: int) -> bool:
    """The shared lock made exclusive, if no other process holds it; kept shared if not."""
    import fcntl

    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # the failed conversion dropped the shared lock: take it again
        _shared(lock)
        return False
    return True


def _open(path: Path) -> int:
    """A lock file, made if missing; not passed on to programs this process starts."""
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)


def _shared(lock: int) -> None:
    import fcntl

    fcntl.flock(lock, fcntl.LOCK_SH)


def _files(root: Path, kind: str) -> list[tuple[str, str, os.stat_result]]:
    """Every file of one kind (in the store's two-letter folders): path, name, stat."""
    found: list[tuple[str, str, os.stat_result]] = []
    with contextlib.suppress(OSError), os.scandir(root / kind) as folders:
        for sub in folders:
            if not sub.is_dir(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError), os.scandir(sub.path) as files:
                for entry in files:
                    with contextlib.suppress(OSError):
                        if entry.is_file(follow_symlinks=False):
                            found.append((entry.path, f"{kind}/{sub.name}/{entry.name}",
                                          entry.stat(follow_symlinks=False)))
    return found


def write_record(root: Path, kept: int) -> None:
    """Written whole, then renamed; a damaged one is taken as no record at all."""
    temporary = root / f".{RECORD_NAME}-{os.getpid()}"
    with contextlib.suppress(OSError):
        temporary.write_text(json.dumps({"entries": kept}), encoding="utf-8")
        temporary.replace(root / RECORD_NAME)
