"""Write stage: put a rendered site in place all at once, or not at all.

Files go into a staging folder beside the output folder, which is then swapped in with one
rename. A failed or killed build therefore leaves the previous site whole, and the output
holds exactly what the current build produced (no stale files from earlier builds).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from generator.errors import BuildFailed, SourceLocation, error

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


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


def _safe_target(root: Path, rel_path: str) -> Path:
    """Where an output file goes; a path that would leave the output folder is a bug."""
    parts = PurePosixPath(rel_path).parts
    if not parts or rel_path.startswith("/") or any(p in ("..", ".", "") for p in parts):
        raise ValueError(f"refusing to write outside the output folder: {rel_path!r}")
    return root.joinpath(*parts)


FileSource = bytes | Path
"""An output file's content, or a finished file (in the build's store) to hard-link."""


def _place(target: Path, source: FileSource) -> None:
    """Write bytes, or hard-link a stored file (a copy where the file system cannot link).

    Nothing ever changes a file in place, so a link shared with the store is safe.
    """
    if isinstance(source, bytes):
        target.write_bytes(source)
        return
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(source, target)


def stage_files(files: Mapping[str, FileSource], out_dir: Path) -> Path:
    """Put every file into a new staging folder beside ``out_dir`` and return it."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{_staging_prefix(out_dir)}{os.getpid()}-",
                                    dir=out_dir.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must read the site
        made: set[Path] = {staging}
        for rel_path in sorted(files):
            target = _safe_target(staging, rel_path)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            _place(target, files[rel_path])
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _fail(out_dir, f"cannot write the site: {exc.strerror or exc}; the previous site "
                             "was left unchanged") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _exchange(first: Path, second: Path) -> bool:
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


def swap_into_place(staging: Path, out_dir: Path) -> Path | None:
    """Make ``staging`` the output folder; readers see the old site or the new, never a mix.

    Returns the folder now holding the previous site, for the caller to delete (the live
    preview deletes it after telling browsers to reload, to reload sooner).
    """
    if not out_dir.exists():
        staging.rename(out_dir)
        return None
    if _exchange(staging, out_dir):
        return staging  # it now holds the previous site
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-{os.getpid()}-",
                                dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    staging.rename(out_dir)
    return old


def remove_leftovers(out_dir: Path) -> None:
    """Staging folders of builds that were killed before they could clean up."""
    if not out_dir.parent.is_dir():
        return
    for prefix in (_staging_prefix(out_dir), f".{out_dir.name}.old-"):
        for leftover in out_dir.parent.glob(prefix + "*"):
            if not _owner_alive(leftover, prefix):  # a live preview may be staging right now
                shutil.rmtree(leftover, ignore_errors=True)


def _discard(folder: Path, in_background: bool) -> None:
    if in_background:  # the live preview tells browsers to reload first
        threading.Thread(target=shutil.rmtree, args=(folder, True), daemon=True).start()
    else:
        shutil.rmtree(folder, ignore_errors=True)


def write_site(files: Mapping[str, FileSource], out_dir: Path, *,
               discard_in_background: bool = False) -> int:
    """Replace ``out_dir`` with exactly ``files``; returns how many files were written.

    The one write path of ``build`` and ``serve``: guard, lock, leftovers, stage, swap,
    clean up.
    """
    check_output_folder(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out_dir):
        remove_leftovers(out_dir)
        check_output_folder(out_dir)
        staging = stage_files(files, out_dir)
        try:
            previous = swap_into_place(staging, out_dir)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise _fail(out_dir, f"cannot replace the output folder: {exc.strerror or exc}; "
                                 "the previous site was left unchanged") from None
    if previous is not None:
        _discard(previous, discard_in_background)
    return len(files)
