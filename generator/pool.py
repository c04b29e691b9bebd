"""Where jobs run: in this process for a few, on every core for many.

A ``JobRunner`` keeps its worker processes between builds (the preview's hundredth rebuild
starts none), each with one ``Worker`` that keeps its prepared templates between jobs.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from generator.jobs import Outcome, Setup, SitePages, Worker
from generator.model import Site

POOL_THRESHOLD = 4  # fewer jobs than this run in-process: starting workers costs more

GC_THRESHOLDS = (50_000, 50, 100)
"""A build makes millions of small objects that live until it ends; with Python's default
thresholds (700, 10, 10) the cyclic collector keeps rescanning them (a fifth of a
fact-heavy build's time). Collecting less often keeps memory bounded and saves that time:
benchmarks/gc.py measures both."""

_WORKER: list[Worker] = []  # the one Worker of a pool process, set by its initializer


@contextlib.contextmanager
def tuned_collector() -> Iterator[None]:
    """Collect garbage less often while building; objects alive before are never rescanned."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def start_worker(setup: Setup) -> None:
    """Pool initializer: one Worker per process, with the collector tuned for building."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    _WORKER[:] = [Worker(setup)]


def run_in_worker(task: tuple[Path, str]) -> Outcome:
    folder, folder_key = task
    return _WORKER[0].run(folder, folder_key)


def site_pages_in_worker(site: Site, config_path: str, search_index: bool) -> SitePages:
    return _WORKER[0].site_pages(site, config_path, search_index)


class JobRunner:
    """Runs explainer jobs and hands back their outcomes in the order of the tasks (so the
    output does not depend on which process finished first)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._worker: Worker | None = None
        self._pool: tuple[Setup, concurrent.futures.ProcessPoolExecutor] | None = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool[1].shutdown(cancel_futures=True)
            self._pool = None

    def _local(self, setup: Setup) -> Worker:
        if self._worker is None or self._worker.setup != setup:
            self._worker = Worker(setup)
        return self._worker

    def start_site_pages(self, setup: Setup, site: Site, config_path: str,
                         search_index: bool) -> Callable[[], SitePages]:
        """The listing pages, made on a worker process while this one goes on (it adds the
        related explainers to every page meanwhile), where the workers are running anyway;
        in this process, when asked for, otherwise."""
        if self._pool is not None and self._pool[0] == setup:
            future = self._pool[1].submit(site_pages_in_worker, site, config_path,
                                          search_index)
            return future.result
        return lambda: self._local(setup).site_pages(site, config_path, search_index)

    def run(self, setup: Setup, tasks: list[tuple[Path, str]],
            progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
        if self.jobs == 1 or len(tasks) < POOL_THRESHOLD:
            worker = self._local(setup)
            made: Iterable[Outcome] = (worker.run(folder, key) for folder, key in tasks)
        else:
            chunk = max(1, min(16, len(tasks) // (self.jobs * 4)))
            made = self._pool_for(setup).map(run_in_worker, tasks, chunksize=chunk)
        outcomes = []
        for outcome in made:
            outcomes.append(outcome)
            if progress is not None:
                progress(len(outcomes), len(tasks))
        return outcomes

    def _pool_for(self, setup: Setup) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is not None and self._pool[0] == setup:
            return self._pool[1]
        self.close()
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=multiprocessing.get_context(method),
            initializer=start_worker, initargs=(setup,))
        self._pool = (setup, pool)
        return pool
