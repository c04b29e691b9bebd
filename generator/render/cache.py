"""Processed pictures and share cards, kept by content hash.

Within one build a picture used twice (on its page and as a lead image on the home page) is
processed once; between builds, when the project has a cache folder, nothing unchanged is
encoded again. Entries are named by the hash of everything that made them, so a stale entry
cannot be found, and each is written whole (a temporary file renamed into place), so builds
running side by side, or one killed midway, never leave a half entry behind; each starts
with the checksum of the rest, so a damaged entry is never used.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path


class PictureStore:
    """Bytes by key: in memory for one build, and on disk in ``folder`` if there is one."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._this_build: dict[str, bytes] = {}

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key

    def get(self, key: str) -> bytes | None:
        if key in self._this_build:
            return self._this_build[key]
        if self.folder is None:
            return None
        try:
            entry = self._path(key).read_bytes()
        except OSError:
            return None
        checksum, data = entry[:32], entry[32:]
        if hashlib.sha256(data).digest() != checksum:
            return None  # damaged (a full disk, a hand edit): made again and rewritten
        self._this_build[key] = data
        return data

    def put(self, key: str, data: bytes) -> None:
        self._this_build[key] = data
        if self.folder is None:
            return
        path = self._path(key)
        temporary: str | None = None
        try:  # a cache that cannot be written only costs time: the build goes on
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(hashlib.sha256(data).digest() + data)
            Path(temporary).replace(path)
        except OSError:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    Path(temporary).unlink()
