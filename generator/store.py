"""Results kept on disk between builds, keyed by the content of every input that shapes them.

Two kinds of things are kept under the cache folder (``.explainer-cache/`` by default):

- blobs: output files, named by the SHA-256 of their bytes, written once, hard-linked into
  the site (so a rebuild writes nothing it wrote before);
- entries: pickled results (an explainer's records, rendered pages' facts), named by a key
  that hashes every input. A different input gives a different key, so a stale entry is
  never found; a corrupt or truncated one fails its checksum and is rebuilt.

Nothing here decides what a key covers: the pipeline does.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import jinja2

import generator

_MAGIC = b"explainer-cache-entry/1\n"
_DEPENDENCIES = ("jinja2", "markdown", "markupsafe", "pyyaml")


@dataclass(frozen=True)  # no slots: thousands are pickled per build, and slots pickle slowly
class Blob:
    """An output file kept in the store; its stat tells whether anyone changed it since."""

    path: str  # a plain string: thousands are kept, compared and pickled per build
    size: int
    mtime_ns: int
    inode: int

    def intact(self) -> bool:
        try:
            info = os.stat(self.path)  # noqa: PTH116 - see path
        except OSError:
            return False
        return (info.st_size, info.st_mtime_ns, info.st_ino) == (self.size, self.mtime_ns,
                                                                  self.inode)

    def read(self) -> bytes:
        return Path(self.path).read_bytes()


def digest(*parts: bytes | str) -> str:
    """One SHA-256 over several parts, each length-prefixed so no two splits collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def digest_files(root: Path, paths: Iterable[Path]) -> str:
    """The content of files (and their names relative to ``root``), unreadable ones marked."""
    parts: list[bytes | str] = []
    for path in sorted(paths):
        parts.append(path.relative_to(root).as_posix())
        try:
            parts.append(path.read_bytes())
        except OSError as exc:
            parts.append(f"\0unreadable: {exc.errno}")
    return digest(*parts)


def digest_tree(root: Path) -> str:
    """Every regular file under ``root``, by name and content."""
    if not root.is_dir():
        return digest(f"\0missing: {root}")
    return digest_files(root, (p for p in root.rglob("*") if p.is_file()))


RACY_SECONDS = 2.0
"""A file changed this close to when its digest was taken may change again within the same
tick of the file system's clock, unseen by its stamp: such a file is always read again (the
"racy git" rule)."""

Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


class FileDigests:
    """SHA-256 of files, remembered by stamp, so an unchanged site is not read again.

    A stamp is trusted only when the file was last changed well before its digest was
    taken (``RACY_SECONDS``); ctime changes on every write and cannot be set back, so a
    file changed since is always read.
    """

    def __init__(self, known: dict[str, tuple[Stamp, float, str]] | None = None) -> None:
        self.known = dict(known or {})
        self.dirty = False  # a digest was taken since ``known`` was last kept

    def of(self, path: str) -> str:
        try:
            info = os.stat(path)  # noqa: PTH116 - str paths: the hot path of every build
        except OSError as exc:
            return f"unreadable: {exc.errno}"
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block, a device never end
            return f"not a regular file: {stat.S_IFMT(info.st_mode)}"
        now = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        found = self.known.get(path)
        if found is not None and found[0] == now and \
                max(info.st_mtime_ns, info.st_ctime_ns) / 1e9 < found[1] - RACY_SECONDS:
            return found[2]
        taken = time.time()
        try:
            with open(path, "rb") as stream:  # noqa: PTH123 - the hot path of every build
                value = hashlib.sha256(stream.read()).hexdigest()
        except OSError as exc:
            return f"unreadable: {exc.errno}"
        self.known[path] = (now, taken, value)
        self.dirty = True
        return value

    def of_tree(self, root: Path) -> str:
        """Every regular file under ``root``, by name and content."""
        parts: list[str] = []
        files: list[tuple[str, str]] = []
        pending = [(str(root.absolute()), "")]
        while pending:
            folder, prefix = pending.pop()
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append((entry.path, prefix + entry.name + "/"))
                        else:
                            files.append((prefix + entry.name, entry.path))
            except OSError as exc:
                parts.append(f"unreadable folder {prefix or '.'}: {exc.errno}")
        for name, path in sorted(files):
            parts += [name, self.of(path)]
        return digest(*parts)


def code_digest() -> str:
    """The generator's own code and data, and the versions of what it depends on: a new
    release of either may change the output, so it changes every key."""
    package = Path(generator.__file__).resolve().parent
    versions = []
    for name in _DEPENDENCIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    files = (p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest(digest_files(package, files), *versions, sys.version)


class Store:
    """Blobs and entries under one folder; safe for several processes writing at once.

    Entries are kept per ``version`` (the generator's code and dependencies): a new release
    never reads what an older one pickled. Blobs are plain bytes, shared by all versions.
    """

    def __init__(self, root: Path, version: str) -> None:
        self.root = root
        self.version = version
        self._blobs = root / "blobs"
        self._entries = root / "entries"
        self._folders: set[Path] = set()  # made already: a build writes thousands of files
        self._written = 0
        self.used: set[str] = set()  # entries this process read or wrote: kept by a sweep

    def _atomic_write(self, target: Path, data: bytes) -> None:
        """Write to a temporary name, then rename: readers see the old file or the new."""
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        self._written += 1
        temporary = target.parent / f".tmp-{os.getpid()}-{self._written}"
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            with os.fdopen(handle, "wb") as stream:
                os.fchmod(handle, 0o644)  # readable by a web server, whatever the umask
                stream.write(data)
            temporary.replace(target)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise

    def put_blob(self, data: bytes) -> Blob:
        """Keep an output file; the same bytes are stored once, whoever writes them."""
        name = hashlib.sha256(data).hexdigest()
        path = self._blobs / name[:2] / name[2:]
        try:
            info = path.stat()
        except OSError:
            info = None
        if info is None or info.st_size != len(data):
            self._atomic_write(path, data)
            info = path.stat()
        return Blob(str(path), info.st_size, info.st_mtime_ns, info.st_ino)

    def entry_path(self, key: str) -> Path:
        name = digest(self.version, key)
        return self._entries / name[:2] / name[2:]

    @property
    def written(self) -> int:
        """Files this process wrote into the store."""
        return self._written

    def get(self, key: str) -> object | None:
        """The entry under ``key``, or None: missing, truncated or corrupt all mean rebuild."""
        path = self.entry_path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        self.used.add(str(path))
        if not data.startswith(_MAGIC):
            return None
        body = data[len(_MAGIC):]
        checksum, payload = body[:64], body[65:]
        if hashlib.sha256(payload).hexdigest().encode() != checksum:
            return None
        try:
            value: object = pickle.loads(payload)  # our own files, checksummed
            return value
        except Exception:  # an entry from an incompatible version: rebuild it
            return None

    def put(self, key: str, value: object) -> None:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        checksum = hashlib.sha256(payload).hexdigest().encode()
        path = self.entry_path(key)
        self.used.add(str(path))
        self._atomic_write(path,
                           _MAGIC + checksum + b"\n" + payload)


class TemplateCodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in the store: each process that renders (every worker, every
    preview restart) would otherwise compile every template again. Keyed by the template's
    source checksum, and checksummed like every entry: a stale or damaged one is recompiled."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def key_of(self, bucket: jinja2.bccache.Bucket) -> str:
        return digest("template code", bucket.key, bucket.checksum)

    def entries(self, environment: jinja2.Environment) -> set[str]:
        """Where each template's code is kept, whether compiled yet or not: what a sweep
        keeps, since the workers that read them do not report what they read."""
        found: set[str] = set()
        loader = environment.loader
        if loader is None:
            return found
        for name in environment.list_templates():
            try:
                source, filename, _ = loader.get_source(environment, name)
            except (jinja2.TemplateNotFound, UnicodeDecodeError, OSError):
                continue  # an asset rather than a template
            key = digest("template code", self.get_cache_key(name, filename),
                         self.get_source_checksum(source))
            found.add(str(self.store.entry_path(key)))
        return found

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self.store.get(self.key_of(bucket))
        if isinstance(found, bytes):
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store.put(self.key_of(bucket), bucket.bytecode_to_string())
