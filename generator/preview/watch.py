"""Operating-system file events for the live preview, in batches.

livereload's watcher polls every 800 ms and reports one file per poll; watchfiles (inotify,
FSEvents, ReadDirectoryChangesW) reports within milliseconds, sees editors that save by
writing a temp file and renaming it, and groups a burst of saves into one batch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles

from generator.rules import is_ignored

QUIET_MS = 10  # a batch ends after this long without a new event
MAX_BATCH_MS = 300  # ...or after this long in any case
READY_MS = 50  # how soon an idle watcher first reports (nothing), to show it is watching


def make_ignore(out_dir: Path) -> Callable[[Path], bool]:
    """Paths that are never a reason to rebuild: our own output, caches, editor droppings."""
    out = out_dir.resolve()
    own = (f".{out.name}.tmp-", f".{out.name}.old-", f".{out.name}.lock", f".{out.name}.spare")

    def ignore(path: Path) -> bool:
        resolved = path.resolve()
        if resolved == out or resolved.is_relative_to(out):
            return True
        if resolved.parent == out.parent and resolved.name.startswith(own):
            return True
        if any(part.startswith(own) for part in resolved.parts):
            return True
        parts = path.parts
        if any(p in ("__pycache__", ".git", ".hg", ".svn") for p in parts):
            return True
        name = path.name
        return is_ignored(name) or name == "4913" or name.endswith((".pyc", ".pyo"))

    return ignore


class Watcher:
    """Watches folders in a background thread and hands each batch of changes on."""

    def __init__(self, folders: Iterable[Path], ignore: Callable[[Path], bool],
                 on_batch: Callable[[list[Path]], None], *, poll: bool = False) -> None:
        self.folders = [f for f in folders if f.exists()]
        self.ignore = ignore
        self.on_batch = on_batch
        self.poll = poll
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._thread = threading.Thread(target=self._run, name="explainer-watch", daemon=True)

    def start(self, timeout: float = 10) -> None:
        """Start watching; returns once the operating system is really reporting events."""
        self._thread.start()
        self._watching.wait(timeout)

    def _run(self) -> None:
        # yield_on_timeout: the first (empty) batch tells us the watches are in place
        for changes in watchfiles.watch(
                *self.folders, watch_filter=None, debounce=MAX_BATCH_MS, step=QUIET_MS,
                stop_event=self._stop, rust_timeout=READY_MS, yield_on_timeout=True,
                raise_interrupt=False, force_polling=self.poll or None, poll_delay_ms=200):
            self._watching.set()
            batch = sorted({Path(path) for _change, path in changes
                            if not self.ignore(Path(path))})
            if batch:
                self.on_batch(batch)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
