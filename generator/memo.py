"""What a build keeps, and where its per-explainer jobs run.

A ``Memo`` wraps the per-explainer step of the pipeline: it finds each explainer's results
in the store (on disk, keyed by the content of every input) or has a job make them, in
this process or on every core. The live preview keeps one ``Memo`` for its whole session,
so it also remembers results in memory and trusts the watcher about which folders changed.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import sweep
from generator.check import PageReport, SiteCheck, parse_page
from generator.errors import Diagnostic
from generator.jobs import (
    Checked,
    Outcome,
    Rendered,
    Setup,
    SitePages,
    add_related,
    fragments_key,
    outcome_key,
    validation_key,
)
from generator.model import Explainer, Site
from generator.pool import JobRunner
from generator.render import (
    Renderer,
    attempt,
    prepare_renderer,
    related_blocks,
)
from generator.store import Blob, FileDigests, Store, TemplateCodeCache, code_digest, digest

_DIGESTS_KEY = digest("file digests")
_PATCHED_KEY = digest("pages with related explainers")  # one entry, not one per page
@dataclass(frozen=True, slots=True)
class Task:
    """One explainer to build, with the keys its results are kept under."""

    folder: Path
    folder_key: str
    checked_key: str
    outcome_key: str


class Memo:
    """Results of builds of one project, on disk (``store_root``) and, while it lives, in
    memory. With ``store_root`` None the store is a temporary folder, removed with the memo.
    """

    def __init__(self, store_root: Path | None = None, *, jobs: int = 1,
                 session: bool = False) -> None:
        self._lock: int | None = None  # held shared while the memo lives (``sweep``)
        if store_root is None:
            store_root = Path(tempfile.mkdtemp(prefix="explainer-store-"))
            weakref.finalize(self, shutil.rmtree, store_root, True)
        else:
            self._lock = sweep.hold(store_root)
        self._release = weakref.finalize(self, os.close, self._lock) \
            if self._lock is not None else None
        self.store = Store(store_root, code_digest())
        self._since_ns = time.time_ns()  # when the current build started
        self.site_files: dict[str, Blob] | None = None  # the last whole site built: kept
        self.session = session  # kept alive between builds (the preview): save when done
        self._changed: list[Path] = []
        self._site_pages: tuple[tuple[Site, str, bool], SitePages] | None = None
        self._related: tuple[tuple[Site, str], dict[str, bytes], list[Diagnostic]] | None = None
        self._site_digest: tuple[Site, str] | None = None
        self._patched: dict[str, tuple[Blob, PageReport]] | None = None
        self._related_done: dict[str, tuple[Outcome, bytes, Outcome, PageReport]] = {}
        self._folder_keys: dict[Path, str] = {}
        self._tasks: dict[str, tuple[str, Task]] = {}  # by folder name, for _planned_for
        self._planned_for: Setup | None = None
        self._last_key: str | None = None
        self.rebuilt: tuple[str, ...] = ()
        known = self.store.get(_DIGESTS_KEY)
        self._digests = FileDigests(known if isinstance(known, dict) else None)
        self._outcomes: dict[str, Outcome] = {}
        self._unsaved = self._patched_unsaved = False  # made since last kept (``save``)
        self._renderer: tuple[str, Renderer | None, list[Diagnostic]] | None = None
        self.runner = JobRunner(jobs)
        self.progress: Callable[[int, int], None] | None = None  # (jobs done, jobs to do)
        self.site_check = SiteCheck()  # remembers each page's findings between builds

    def close(self) -> None:
        self.runner.close()
        if self._release is not None:
            self._release()  # the store's lock: other processes may sweep it now

    def begin(self, changed: Iterable[Path]) -> None:
        """A build starts. Files a watcher saw change are read again, whatever their stamps
        say; in a session (the preview) only the folders it names are looked at again at all."""
        self._since_ns = time.time_ns() - 1_000_000_000  # file times lag the clock a little
        self._changed = [Path(p).resolve() for p in changed]
        for path in self._changed:
            self._digests.known.pop(str(path), None)

    @property
    def code_key(self) -> str:
        """The generator's own code, hashed once per memo (the preview restarts its build
        process when the code changes)."""
        return self.store.version

    def templates_key(self, templates_dir: Path) -> str:
        return self._digests.of_tree(templates_dir) if templates_dir.is_dir() else \
            digest(f"missing: {templates_dir}")

    def renderer(self, templates_dir: Path,
                 key: str) -> tuple[Renderer | None, list[Diagnostic]]:
        """The templates, prepared again only when their content changed."""
        if self._renderer is None or self._renderer[0] != key:
            renderer, problems = prepare_renderer(templates_dir, TemplateCodeCache(self.store))
            self._renderer = (key, renderer, problems)
        return self._renderer[1], list(self._renderer[2])

    def plan(self, setup: Setup, folders: Sequence[Path]) -> list[Task]:
        """Each explainer's keys: what its results are kept under, given its files now."""
        content = setup.content_dir.resolve()
        touched = {p.relative_to(content).parts[0] for p in self._changed
                   if p.is_relative_to(content) and p != content}
        if setup != self._planned_for:  # compared once a build, not once a folder
            self._tasks.clear()
            self._planned_for = setup
        tasks = []
        for folder in folders:
            name = folder.name
            folder_key = self._folder_key(folder, name in touched)
            known = self._tasks.get(name)
            if known is not None and known[0] == folder_key:
                tasks.append(known[1])
                continue
            checked = validation_key(setup, folder, folder_key)
            task = Task(folder, folder_key, checked, outcome_key(setup, checked))
            self._tasks[name] = (folder_key, task)
            tasks.append(task)
        if not self.session:  # the preview keeps them when it stops (``save``)
            self._save_digests()
        return tasks

    def _folder_key(self, folder: Path, touched: bool) -> str:
        """The folder's digest. The preview's watcher reports every change, so in a session a
        folder it did not name keeps its digest (a one-off build always looks)."""
        known = self._folder_keys.get(folder)
        if known is not None and self.session and self._changed and not touched:
            return known
        self._folder_keys[folder] = key = self._digests.of_tree(folder)
        return key

    def outcomes(self, setup: Setup, tasks: Sequence[Task]) -> dict[str, Outcome]:
        """Each explainer's outcome, in folder order: kept, or made by a job."""
        results: dict[str, Outcome] = {}
        missing: list[tuple[Path, str]] = []
        last = digest("last outcomes", setup.content_dir.as_posix())
        verified = self.session and bool(self._outcomes)  # checked or made by this process
        if not self._outcomes:  # a new process: start from the last build's outcomes
            found = self.store.get(last)
            self._outcomes = found if isinstance(found, dict) else {}
        for task in tasks:
            kept = self._outcomes.get(task.outcome_key)
            if kept is not None and (verified or all(b.intact() for b in kept.files.values())):
                results[task.folder.name] = kept
            else:
                missing.append((task.folder, task.folder_key))
        made = self.runner.run(setup, missing, self.progress)
        self.rebuilt = tuple(o.slug for o in made if o.validated)
        for outcome in made:
            results[outcome.slug] = outcome
        self._outcomes = {t.outcome_key: results[t.folder.name] for t in tasks}
        self._last_key = last
        self._unsaved |= bool(made)  # kept by ``save``: the build calls it while Pagefind runs
        return {task.folder.name: results[task.folder.name] for task in tasks}

    def save(self) -> None:
        """Keep the last build's outcomes and patched pages, each in one entry, for the next
        process to start from (the preview does this when it stops, not after every save)."""
        if self._unsaved and self._last_key is not None and self._outcomes:
            self.store.put(self._last_key, self._outcomes)
        if self._patched is not None and self._patched_unsaved:
            self.store.put(_PATCHED_KEY, self._patched)
        self._unsaved = self._patched_unsaved = False
        self._save_digests()

    def tidy(self) -> sweep.Swept | None:
        """Sweep the store once it has grown enough (``sweep``), keeping what this process
        used and all that its last build or the preview's memory refers to: the outcomes
        (with their records and Markdown, which a template edit renders again), the site's
        files, the listing and patched pages, the templates' code. Only once it wrote."""
        if self._lock is None or self.site_files is None or not self.store.written:
            return None
        if not sweep.due(self.store.root, sweep.count_entries(self.store.root)):
            return None
        outcomes = [*self._outcomes.values(),
                    *(done for _was, _block, done, _page in self._related_done.values())]
        blobs = [*self.site_files.values(), *(b for b, _r in (self._patched or {}).values()),
                 *(self._site_pages[1].files.values() if self._site_pages else ()),
                 *(blob for outcome in outcomes for blob in outcome.files.values())]
        live = {*self.store.used, *(blob.path for blob in blobs), *(
            str(self.store.entry_path(key)) for o in self._outcomes.values()
            for key in (o.checked_key, o.rendered_key, fragments_key(o.checked_key)))}
        if self._renderer is not None and self._renderer[1] is not None:
            live |= TemplateCodeCache(self.store).entries(self._renderer[1].env)
        return sweep.sweep(self.store.root, self._lock, {sweep.name_in_store(p) for p in live},
                           self._since_ns)

    def _save_digests(self) -> None:
        """The files' digests by stamp, for the next process; only when one was taken."""
        if self._digests.dirty:
            self.store.put(_DIGESTS_KEY, self._digests.known)
            self._digests.dirty = False

    def site_pages(self, renderer: Renderer, site: Site, setup: Setup, config_path: str,
                   search_index: bool) -> Callable[[], SitePages]:
        """Home, 404, feed, sitemap and assets: redone only when a listing or template
        changed (an edit to one article's body leaves every listing as it was). Started
        now, on a worker where there are workers; the result is there when called for."""
        made_of = (site, setup.templates_key, search_index)  # the preview has no index
        if self._site_pages is not None and self._site_pages[0] == made_of:
            known = self._site_pages[1]
            return lambda: known
        key = digest("site pages", self._site_key(renderer, site, setup.templates_key),
                     str(search_index))
        found = self.store.get(key)
        if isinstance(found, SitePages) and all(b.intact() for b in found.files.values()):
            self._site_pages = (made_of, found)
            return lambda: found
        pending = self.runner.start_site_pages(setup, site, config_path, search_index)

        def made() -> SitePages:
            result = pending()
            if not result.problems:
                self.store.put(key, result)
            self._site_pages = (made_of, result)
            return result

        return made

    def related(self, renderer: Renderer, site: Site, templates_key: str,
                outcomes: dict[str, Outcome],
                ) -> tuple[dict[str, Outcome], dict[str, PageReport], list[Diagnostic]]:
        """Each explainer page with its related explainers (``jobs.add_related``); the
        blocks are rendered again only when a listing or a template changed."""
        if self._related is None or self._related[0] != (site, templates_key):
            key = digest("related blocks", self._site_key(renderer, site, templates_key))
            found = self.store.get(key)
            blocks, problems = (found, []) if isinstance(found, dict) else \
                attempt(lambda: related_blocks(renderer, site))
            if found is None and not problems:
                self.store.put(key, blocks)
            self._related = ((site, templates_key), blocks, problems)
        _key, blocks, problems = self._related
        if self._patched is None:  # a new process: the last build's pages, in one entry
            found = self.store.get(_PATCHED_KEY)
            self._patched = found if isinstance(found, dict) else {}
        before = set(self._patched)
        done, reports = add_related(  # the preview also reuses whole results (``last``)
            self.store, outcomes, blocks, site.config.base_url, self._patched,
            self._related_done if self.session else None)
        self._patched_unsaved |= not self.session and set(self._patched) != before
        return done, reports, list(problems)

    def _site_key(self, renderer: Renderer, site: Site, templates_key: str) -> str:
        """What every listing page and related block is made from, pickled once per site."""
        if self._site_digest is None or self._site_digest[0] is not site:
            self._site_digest = (site, digest(templates_key, renderer.templates_dir.as_posix(),
                                              pickle.dumps(site, pickle.HIGHEST_PROTOCOL)))
        return self._site_digest[1]

    def explainer(self, checked_key: str) -> Explainer:
        """An explainer's records, as its job kept them."""
        found = self.store.get(checked_key)
        if not isinstance(found, Checked) or found.explainer is None:
            raise LookupError("an explainer's records are no longer in the store")
        return found.explainer

    def page_ids(self, outcome: Outcome, page: str) -> frozenset[str]:
        """A page's element ids, kept in the store rather than in memory; read from the
        page itself when that entry is gone or damaged, so a cache fault never shows up
        as a broken link."""
        found = self.store.get(outcome.rendered_key)
        if isinstance(found, Rendered) and page in found.pages:
            return found.pages[page].ids
        blob = outcome.files.get(page)
        if blob is None:
            return frozenset()
        return frozenset(parse_page(blob.read().decode("utf-8")).ids)
