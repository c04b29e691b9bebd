"""Write stage: put a rendered site in place all at once, or not at all.

Files go into a folder beside the output folder, which is then swapped in with one atomic
rename. A failed or killed build therefore leaves the previous site whole, and the output
holds exactly what the current build produced (no stale files from earlier builds).

The folder swapped in is the spare: the site before the last one, kept beside it
(``.site.spare``) and brought up to date file by file, so a rebuild that changed one page
touches one page. A build that changed nothing leaves the site as it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from generator.errors import BuildFailed, SourceLocation, error
from generator.write.tree import (
    FileSource,
    StoredFile,
    fill,
    holds_exactly,
    new_folder,
    swap_into_place,
)


def _fail(out_dir: Path, message: str) -> BuildFailed:
    return BuildFailed([error(SourceLocation(out_dir.as_posix()), message)])


def _staging_prefix(out_dir: Path) -> str:
    return f".{out_dir.name}.tmp-"


def _owner_alive(folder: Path, prefix: str) -> bool:
    """Staging folders are named after the process writing them; is it still running?"""
    pid_text = folder.name[len(prefix):].split("-", 1)[0]
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check_output_folder(out_dir: Path) -> None:
    """Refuse to replace something that is not a site we built: wiping it would lose work."""
    if out_dir.is_symlink():
        raise _fail(out_dir, "output folder is a symbolic link; expected a real folder")
    if out_dir.exists() and not out_dir.is_dir():
        raise _fail(out_dir, "output path exists and is not a folder; expected a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "index.html").is_file():
        raise _fail(out_dir, "refusing to replace a folder that does not look like a built site "
                             "(no index.html); expected an empty folder or an earlier build")


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """One writer at a time per output folder, so two builds never interleave their swaps.

    The lock file lives in the temp folder (no litter in the project) and is removed by
    its holder; a waiter that then wakes up on the removed file simply tries again.
    """
    try:
        import fcntl
    except ImportError:  # Windows: renames are still atomic enough for one user
        yield
        return
    key = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"explainer-{os.getuid()}-{key}.lock"
    while True:
        handle = lock_path.open("a")
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if os.fstat(handle.fileno()).st_ino == lock_path.stat().st_ino:
                break  # we hold the lock on the file that is still in place
        except FileNotFoundError:
            pass
        handle.close()
    try:
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def remove_leftovers(out_dir: Path) -> None:
    """Staging folders of builds that were killed before they could clean up."""
    if not out_dir.parent.is_dir():
        return
    for prefix in (_staging_prefix(out_dir), f".{out_dir.name}.old-"):
        for leftover in out_dir.parent.glob(prefix + "*"):
            if not _owner_alive(leftover, prefix):  # a live preview may be staging right now
                shutil.rmtree(leftover, ignore_errors=True)


def spare_of(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.spare"


def _prepare(files: Mapping[str, FileSource], out_dir: Path) -> Path:
    """The next site, ready to swap in: the spare brought up to date, or a new folder."""
    spare = spare_of(out_dir)
    if spare.is_dir() and not spare.is_symlink():
        try:
            fill(spare, files)
            return spare
        except (OSError, ValueError):  # not what we left there: start afresh
            shutil.rmtree(spare, ignore_errors=True)
    staging = new_folder(out_dir, _staging_prefix(out_dir))
    try:
        fill(staging, files)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _keep_as_spare(previous: Path, out_dir: Path) -> None:
    spare = spare_of(out_dir)
    if previous == spare:
        return
    shutil.rmtree(spare, ignore_errors=True)
    try:
        previous.rename(spare)
    except OSError:
        shutil.rmtree(previous, ignore_errors=True)


def write_site(files: Mapping[str, FileSource], out_dir: Path) -> int:
    """Make ``out_dir`` hold exactly ``files``; returns how many files the site has.

    The one write path of ``build`` and ``serve``: guard, lock, leftovers, prepare, swap;
    the previous site is kept as the next build's spare.
    """
    parent = next((p for p in out_dir.parents if p.exists() or p.is_symlink()), None)
    if parent is not None and not parent.is_dir():
        raise BuildFailed([error(SourceLocation(parent.as_posix()), "is a file, so the output "
                                 f"folder {out_dir.as_posix()}/ cannot be made inside it; "
                                 "expected a folder (choose another --out)")])
    try:
        check_output_folder(out_dir)
        return _write(files, out_dir)
    except OSError as exc:  # the output's surroundings: unwritable, read-only, full
        where = Path(exc.filename) if exc.filename else out_dir.parent
        raise BuildFailed([error(SourceLocation(where.as_posix()),
                                 f"cannot write here: {exc.strerror or exc}; expected a folder "
                                 "you may write to with room left (check its permissions and "
                                 "free space, or choose another --out); the previous site "
                                 "was left unchanged")]) from None


def _write(files: Mapping[str, FileSource], out_dir: Path) -> int:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out_dir):
        remove_leftovers(out_dir)
        check_output_folder(out_dir)
        if out_dir.is_dir() and holds_exactly(out_dir, files):
            return len(files)  # already this very site: nothing to swap
        try:
            ready = _prepare(files, out_dir)
        except OSError as exc:
            raise _fail(out_dir, f"cannot write the site: {exc.strerror or exc}; the "
                                 "previous site was left unchanged") from None
        try:
            previous = swap_into_place(ready, out_dir)
        except OSError as exc:
            if ready != spare_of(out_dir):
                shutil.rmtree(ready, ignore_errors=True)
            raise _fail(out_dir, f"cannot replace the output folder: {exc.strerror or exc}; "
                                 "the previous site was left unchanged") from None
        if previous is not None:
            _keep_as_spare(previous, out_dir)
    return len(files)


__all__ = ["FileSource", "StoredFile", "check_output_folder", "output_lock", "remove_leftovers",
           "spare_of", "write_site"]
