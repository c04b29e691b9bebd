"""Search across explainers: a static Pagefind index, made from the rendered pages.

Pagefind (pagefind.app) is the search engine static sites use: its index is a folder of
small files that the browser fetches only as a query needs them, so search needs no
server. We run its binary (the ``pagefind-bin`` package) on the explainer pages in a
temporary folder and take its output back as files of the site, like every other
rendered file. Its own search-box widgets are left out: the search page has its own small
script (``templates/assets/search.js``) so the Content-Security-Policy stays strict.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from generator.errors import Diagnostic, SourceLocation, error

SEARCH_TEMPLATE = "search.html"
SEARCH_PAGE = "search/index.html"
BUNDLE = "pagefind"
"""The index's folder in the site; the search page loads ``pagefind/pagefind.js``."""
PART_SIZE = 100
"""Pages per index part, about: a large site's index is split into parts the search page
merges, so a changed explainer re-indexes its part (Pagefind indexes a part at once), not
the whole site."""
NOT_INDEXED = (".toc", ".cite", ".ed-ref", "svg", ".graphic-credit", ".source-url", ".backlinks",
               ".back-to-contents", ".ed-back", ".sources-intro", ".data-links", ".no-link")
"""What a reader does not read as the explainer's text: navigation, citation marks, the
source list's addresses (shown only in print) and its boilerplate. Indexed, they showed in
results' excerpts and made every query for 'com' or 'sources' match every page; left out,
a realistic explainer's share of the index is a fifth smaller and Pagefind a fifth faster."""
_WIDGETS = ("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui",
            "pagefind-highlight", "playground/")
_NOT_IN_PARTS = ("wasm.", "pagefind.js", "pagefind-worker.js")
"""A merged part's copies of Pagefind's WebAssembly, script and worker, left out: the search
page loads the first bundle's script, whose one worker searches every part, and a part is
merged with ``load_wasm: false``. A part needs only its entry, meta, index and fragments."""


def _binary() -> Path | None:
    try:
        import pagefind_bin  # type: ignore[import-untyped]  # ships no type information
    except ImportError:
        return None
    try:
        return Path(pagefind_bin.get_executable())
    except FileNotFoundError:
        return None


def index_parts(pages: Iterable[str]) -> dict[str, list[str]]:
    """Each part's bundle folder and the pages it indexes; the first part's folder is
    ``pagefind/`` (the search page loads it, and merges the others). One part up to
    ``PART_SIZE`` pages, then a power of two: a page keeps its part as a site grows, until
    the count doubles. Parts follow from page paths alone, so every build agrees."""
    paths = sorted(pages)
    count = 1
    while count * PART_SIZE < len(paths):
        count *= 2
    by_part: dict[int, list[str]] = {}
    for path in paths:
        part = int(hashlib.sha256(path.encode()).hexdigest()[:8], 16) % count
        by_part.setdefault(part, []).append(path)
    ordered = sorted(by_part.items())
    return {(BUNDLE if index == 0 else f"{BUNDLE}/part-{part}"): members
            for index, (part, members) in enumerate(ordered)}


Indexed = tuple[dict[str, bytes], list[Diagnostic]]


def start_search_index(pages: Mapping[str, bytes],
                       bundle: str = BUNDLE) -> Callable[[], Indexed]:
    """Start Pagefind on ``pages`` (output path -> HTML); the returned call waits for it and
    gives the index as files under ``bundle``. Pagefind is a program of its own, so the
    build goes on while it runs."""
    here = SourceLocation(SEARCH_PAGE)
    binary = _binary()
    if binary is None:
        return _failed(error(here, "search: the Pagefind binary is not installed; expected "
                                   "the pagefind-bin package (pip install -e .)"))
    folder = tempfile.TemporaryDirectory(prefix="explainer-search-")
    root, output = Path(folder.name) / "site", Path(folder.name) / "bundle"
    try:
        for path, content in pages.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(content)
    except OSError as exc:
        folder.cleanup()
        return _failed(error(here, f"search: cannot write the pages to index in "
                                   f"{tempfile.gettempdir()}: {exc.strerror or exc}; "
                                   "expected room in the temporary folder ($TMPDIR)"))
    try:
        process = subprocess.Popen(
            [str(binary), "--site", str(root), "--output-path", str(output),
             "--keep-index-url", "--silent",
             *(arg for selector in NOT_INDEXED for arg in ("--exclude-selectors", selector))],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        folder.cleanup()
        return _failed(error(here, f"search: Pagefind did not run ({exc}); expected it to "
                                   "index the explainer pages"))

    def finish() -> Indexed:
        with folder:
            try:
                stdout, stderr = process.communicate(timeout=300)
            except subprocess.TimeoutExpired as exc:
                process.kill()
                process.communicate()
                return {}, [error(here, f"search: Pagefind did not run ({exc}); expected it "
                                        "to index the explainer pages")]
            if process.returncode != 0:
                said = " ".join((stderr or stdout).split())[:300]
                return {}, [error(here, f"search: Pagefind failed ({said}); expected it to "
                                        "index the explainer pages")]
            left_out = _WIDGETS if bundle == BUNDLE else (*_WIDGETS, *_NOT_IN_PARTS)
            files = {f"{bundle}/{p.relative_to(output).as_posix()}": p.read_bytes()
                     for p in sorted(output.rglob("*")) if p.is_file()
                     and not p.relative_to(output).as_posix().startswith(left_out)}
        return files, _check_counted(files, len(pages), here, bundle)

    return finish


def _failed(problem: Diagnostic) -> Callable[[], Indexed]:
    return lambda: ({}, [problem])


def _check_counted(files: Mapping[str, bytes], expected: int,
                   here: SourceLocation, bundle: str = BUNDLE) -> list[Diagnostic]:
    """Every explainer page must be in the index: a template that loses the page's
    ``data-pagefind-body`` would otherwise leave search quietly empty."""
    entry = json.loads(files.get(f"{bundle}/pagefind-entry.json", b"{}"))
    counted = sum(language.get("page_count", 0) for language in
                  entry.get("languages", {}).values())
    if counted != expected:
        return [error(here, f"search: {counted} of {expected} explainer pages were indexed; "
                            "expected each to carry data-pagefind-body on its main element")]
    return []
