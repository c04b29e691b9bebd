"""What the pipeline may keep between builds of one project, and when it must not.

Each explainer's records are kept while its files, the site's configuration, shared
records and seeds are unchanged; its pages while the templates are too. A ``Memo`` only
remembers: the pipeline decides what a build is.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.check import PageCache
from generator.errors import Diagnostic
from generator.model import Explainer
from generator.render import RenderedFiles, Renderer, prepare_renderer
from generator.validate import Context

Stamp = tuple[tuple[str, int, int, int], ...]


def stamp(folder: Path) -> Stamp:
    """What a folder's files look like on disk: names, sizes, change times, inodes."""
    entries: list[tuple[str, int, int, int]] = []
    pending = [(folder, "")]
    while pending:
        current, prefix = pending.pop()
        try:
            scan = list(os.scandir(current))
        except OSError:
            continue
        for entry in scan:
            name = prefix + entry.name
            try:
                if entry.is_dir():
                    pending.append((Path(entry.path), name + "/"))
                    continue
                info = entry.stat()
            except OSError:
                continue
            entries.append((name, info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(sorted(entries))


@dataclass
class ExplainerResult:
    """One explainer's records (None when invalid), problems and rendered files."""

    explainer: Explainer | None
    problems: list[Diagnostic]
    files: RenderedFiles = field(default_factory=dict)


@dataclass
class _Kept:
    stamp: Stamp
    context: Context
    checked: tuple[Explainer | None, list[Diagnostic]]
    renderer: Renderer | None = None
    rendered: tuple[RenderedFiles, list[Diagnostic]] = ({}, [])


Validate = Callable[[Path], tuple[Explainer | None, list[Diagnostic]]]
MakeIndex = Callable[[Mapping[str, bytes]], tuple[RenderedFiles, list[Diagnostic]]]
Render = Callable[[Explainer], tuple[RenderedFiles, list[Diagnostic]]]


class Memo:
    """Results of earlier builds of one project, reused while their inputs hold."""

    def __init__(self) -> None:
        self._templates: tuple[Stamp, Renderer | None, list[Diagnostic]] | None = None
        self._kept: dict[str, _Kept] = {}
        self._forced: set[Path] = set()
        self.pages: PageCache = {}
        self.rebuilt: tuple[str, ...] = ()
        self._search: tuple[str, tuple[RenderedFiles, list[Diagnostic]]] | None = None

    def forget(self, changed: Iterable[Path]) -> None:
        """Files a watcher saw change are redone even if their stamp looks the same."""
        self._forced = {Path(p).resolve() for p in changed}

    def _forced_under(self, folder: Path) -> bool:
        root = folder.resolve()
        return any(p == root or p.is_relative_to(root) for p in self._forced)

    def renderer(self, templates_dir: Path) -> tuple[Renderer | None, list[Diagnostic]]:
        """The templates, prepared again only when a file under them changed."""
        now = stamp(templates_dir)
        if self._templates is None or self._templates[0] != now or \
                self._forced_under(templates_dir):
            renderer, problems = prepare_renderer(templates_dir)
            self._templates = (now, renderer, problems)
        return self._templates[1], list(self._templates[2])

    def search_index(self, pages: Mapping[str, bytes], make: MakeIndex
                     ) -> tuple[RenderedFiles, list[Diagnostic]]:
        """The search index, made again only when an indexed page changed."""
        digest = hashlib.sha256()
        for path in sorted(pages):
            digest.update(f"{path}\0{len(pages[path])}\0".encode() + pages[path])
        key = digest.hexdigest()
        if self._search is None or self._search[0] != key:
            self._search = (key, make(pages))
        files, problems = self._search[1]
        return dict(files), list(problems)

    def explainers(self, folders: Iterable[Path], context: Context,
                   validate: Validate, render: Render | None) -> dict[str, ExplainerResult]:
        """Each folder's result: kept where its inputs hold, made afresh elsewhere."""
        renderer = self._templates[1] if self._templates else None
        kept: dict[str, _Kept] = {}
        results: dict[str, ExplainerResult] = {}
        rebuilt = []
        for folder in folders:
            now = stamp(folder)
            entry = self._kept.get(folder.name)
            if entry is None or entry.stamp != now or entry.context != context or \
                    self._forced_under(folder):
                entry = _Kept(now, context, validate(folder))
                rebuilt.append(folder.name)
            explainer, problems = entry.checked
            if explainer is not None and render is not None and entry.renderer is not renderer:
                entry.rendered = render(explainer)
                entry.renderer = renderer
            files, render_problems = entry.rendered if render is not None else ({}, [])
            kept[folder.name] = entry
            results[folder.name] = ExplainerResult(explainer, problems + render_problems,
                                                   files)
        self._kept = kept
        self.rebuilt = tuple(rebuilt)
        return results
