"""The search index of a build, part by part, made while the rest of the build goes on.

Pagefind indexes a part of the site at once (``render.search``); a part is made again only
when one of its pages changed, and is kept in the store by its pages' blobs. The first part
to make is started at once, so that while Pagefind (a program of its own) runs, the build
keeps its outcomes for the next one and collects its site pages; the others follow one
after another (Pagefind already uses both cores: two parts at once each take twice as long).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from generator.errors import Diagnostic
from generator.render.search import index_parts
from generator.store import Blob, Store, digest

Made = tuple[dict[str, bytes], list[Diagnostic]]
StartPart = Callable[[dict[str, bytes], str], Callable[[], Made]]  # (pages, bundle) -> wait
IndexFiles = tuple[dict[str, Blob], list[Diagnostic]]


def start_index(store: Store, pages: Mapping[str, Blob],
                start: StartPart) -> Callable[[], IndexFiles]:
    """Start indexing ``pages`` (output path -> page); the returned call waits for the
    index files, keeps the new parts in the store and gives every part's files in order."""
    parts: list[tuple[str, str, list[str], dict[str, Blob] | None]] = []  # None: to make
    for bundle, paths in index_parts(pages).items():
        key = digest("search index", bundle, *(f"{p}\0{pages[p].path}" for p in paths))
        found = store.get(key)
        kept = found if isinstance(found, dict) and all(
            isinstance(b, Blob) and b.intact() for b in found.values()) else None
        parts.append((key, bundle, paths, kept))

    def begin(bundle: str, paths: list[str]) -> Callable[[], Made]:
        return start({path: pages[path].read() for path in paths}, bundle)

    first = next(((key, begin(bundle, paths)) for key, bundle, paths, kept in parts
                  if kept is None), None)

    def finish() -> IndexFiles:
        files: dict[str, Blob] = {}
        problems: list[Diagnostic] = []
        for key, bundle, paths, kept in parts:
            if kept is None:
                made, found_problems = (first[1] if first is not None and first[0] == key
                                        else begin(bundle, paths))()
                kept = {path: store.put_blob(content) for path, content in made.items()}
                if not found_problems:
                    store.put(key, kept)
                problems += found_problems
            files.update(kept)
        return files, problems

    return finish
