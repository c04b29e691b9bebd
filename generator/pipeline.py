"""The build, top to bottom: load -> validate -> render -> check, then write.

``make_site`` reads like the table of contents of a build. Each explainer's load, validate
and render is one job (``jobs.py``); the ``Memo`` wrapped around that step finds results
kept from earlier builds and runs the rest on every core. A one-off ``explainer build`` and
the live preview's hundredth rebuild run the very same code.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from generator.check import PageReport, SiteReport
from generator.dates import PartialDate
from generator.errors import BuildFailed, Diagnostic, sort_diagnostics
from generator.indexer import start_index
from generator.jobs import Outcome, Setup
from generator.load import load_frame
from generator.memo import Memo
from generator.model import Explainer, Site
from generator.pool import tuned_collector
from generator.raw import RawFrame
from generator.records import Author
from generator.render.search import start_search_index
from generator.store import Blob, digest, digest_files
from generator.sweep import CacheInUseError
from generator.sweep import remove as clean
from generator.validate import (
    DEFAULT_CONFIG,
    Context,
    check_listings,
    order_explainers,
    validate_config,
    validate_shared,
)
from generator.write import (
    FileSource,
    StoredFile,
    check_output_folder,
    remove_leftovers,
    spare_of,
    write_site,
)


@dataclass(frozen=True, slots=True)
class Project:
    """Where a site's inputs and output live; every entry point takes one explicitly."""

    content_dir: Path
    templates_dir: Path
    out_dir: Path
    base_url: str | None = None  # overrides site.yaml's, e.g. for a staging host
    check_links: bool = True  # verify links, anchors and pages before writing
    search_index: bool = True  # build the search index (the live preview leaves it out)
    cache_dir: Path | None = None  # results kept between runs; None keeps nothing on disk
    jobs: int = 1  # processes for the per-explainer work
    today: PartialDate | None = None  # the build's date; None: nothing is in the future
    drafts: bool = False  # include drafts and scheduled explainers, marked as drafts


class OutputFiles(Mapping[str, bytes]):
    """Every output file by path; read from the store only when asked (a big site's bytes
    are never all in memory at once)."""

    def __init__(self, blobs: dict[str, Blob], keeper: object = None) -> None:
        self.blobs = blobs
        self._keeper = keeper  # what keeps the store's folder alive (a temporary one)

    def __getitem__(self, path: str) -> bytes:
        return self.blobs[path].read()

    def __iter__(self) -> Iterator[str]:
        return iter(self.blobs)

    def __len__(self) -> int:
        return len(self.blobs)

    def sources(self) -> dict[str, FileSource]:
        return {path: StoredFile(blob.path, blob.inode) for path, blob in self.blobs.items()}


@dataclass(frozen=True, slots=True)
class BuildResult:
    site: Site
    files: OutputFiles
    warnings: tuple[Diagnostic, ...]
    rebuilt: tuple[str, ...] = ()  # explainers validated afresh by this build
    external_links: tuple[str, ...] = ()  # listed by the check, never fetched
    records: Mapping[str, Callable[[], Explainer]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # drafts and scheduled explainers: left out, or shown as such

    def explainer(self, slug: str) -> Explainer:
        """One explainer with all its records (read back from the store: a big site's
        records are not all kept in memory)."""
        return self.records[slug]()

    @property
    def pages(self) -> int:
        return sum(1 for path in self.files if path.endswith(".html"))


@dataclass(frozen=True, slots=True)
class BuildReport:
    explainers: int
    pages: int
    files_written: int
    seconds: float
    warnings: tuple[Diagnostic, ...]
    external_links: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    base_url: str = ""  # the address the site was built for


@dataclass(frozen=True, slots=True)
class KeptBuild:
    """A whole build that went through, with the key of all its inputs: a build that changes
    nothing reads this one entry instead of a thousand. One is kept per way of building
    (output folder and options), each build replacing the last: a big site's is megabytes."""

    key: str
    site: Site
    files: dict[str, Blob]
    warnings: tuple[Diagnostic, ...]
    external_links: tuple[str, ...]
    records: dict[str, str]  # slug -> the key its records are kept under
    notes: tuple[str, ...] = ()

    def result(self, memo: Memo) -> BuildResult:
        return BuildResult(self.site, OutputFiles(self.files, memo), self.warnings, (),
                           self.external_links,
                           {slug: partial(memo.explainer, key)
                            for slug, key in self.records.items()}, self.notes)


class Problems(list[Diagnostic]):
    """Every problem of one build; the build stops only where going on would mislead."""

    def stop_if_failed(self, strict: bool) -> None:
        if any(p.is_error or strict for p in self):
            raise BuildFailed(sort_diagnostics(self))


def _context_key(project: Project, frame: RawFrame, code: str) -> str:
    """Everything besides its own folder that shapes an explainer's records and pages."""
    content = project.content_dir
    shared = [content / "site.yaml", *(content / name for name in frame.shared.present),
              *(content / name for name in frame.images)]
    seeds = [content.parent / seed for seed in sorted(frame.seed_files)]
    return digest(code, project.base_url or "", digest_files(content, shared),
                  digest_files(content.parent, seeds), str(project.today))


@contextlib.contextmanager
def one_off(project: Project) -> Iterator[Memo]:
    """A build's memo (not the preview's): kept, swept and closed when the build is done, a
    failed one too, and its lock held till then: no other process sweeps what it writes."""
    memo = Memo(project.cache_dir, jobs=project.jobs)
    try:
        with tuned_collector():
            yield memo
    finally:
        memo.save()
        memo.tidy()
        memo.close()


def make_site(project: Project, *, strict: bool = False, memo: Memo | None = None,
              changed: Iterable[Path] = ()) -> BuildResult:
    """The whole site, rendered into the store and checked, or BuildFailed with every
    problem. ``changed`` names files a watcher saw change (the preview's memo trusts it)."""
    if memo is None:
        with one_off(project) as memo:
            return make_site(project, strict=strict, memo=memo, changed=changed)
    memo.begin(changed)
    problems = Problems()
    # 1. Load the frame: site.yaml, the shared fact files, the explainer folders, the seeds.
    frame, found = load_frame(project.content_dir)
    problems += found
    # 2. Validate the site's configuration and its shared records; prepare the templates.
    config, found = validate_config(frame.config, frame.images, frame.config_path)
    problems += found
    if config is not None and project.base_url:
        config = replace(config, base_url=project.base_url)
    shared, found = validate_shared(frame.shared, config or DEFAULT_CONFIG)
    problems += found
    templates_key = memo.templates_key(project.templates_dir)
    renderer, found = memo.renderer(project.templates_dir, templates_key)
    problems += found
    setup = Setup(project.content_dir, project.templates_dir,
                  Context(config or DEFAULT_CONFIG, frame.seed_files, shared, project.today),
                  _context_key(project, frame, memo.code_key), templates_key,
                  memo.store.root, memo.store.version,
                  render=config is not None and renderer is not None)
    # 3. Per explainer: load, validate, render and check its pages (jobs, kept by the memo).
    tasks = memo.plan(setup, frame.folders)
    options = (project.out_dir.as_posix(), str(project.check_links),
               str(project.search_index), str(project.drafts))
    slot = digest("last build", project.content_dir.as_posix(), *options)
    whole = digest("build", setup.context_key, setup.templates_key, str(setup.render),
                   *options, *(t.outcome_key for t in tasks))
    kept = memo.store.get(slot)
    if isinstance(kept, KeptBuild) and kept.key == whole and \
            all(b.intact() for b in kept.files.values()) and not problems:
        problems += kept.warnings
        problems.stop_if_failed(strict)
        return kept.result(memo)
    outcomes = memo.outcomes(setup, tasks)
    for outcome in outcomes.values():
        problems += outcome.problems
    listings, notes, found = check_listings(
        order_explainers(o.listing for o in outcomes.values() if o.listing is not None),
        project.drafts, {f.name: f.as_posix() for f in frame.folders})
    problems += found
    problems.stop_if_failed(strict or config is None or renderer is None)
    assert config is not None and renderer is not None
    # 4. Site pages: home, topics, authors, 404, feed, sitemap, robots.txt and the assets;
    # drafts only if asked for, and each explainer page gets its related explainers.
    authors = tuple(a for a in shared.records.get("authors", ()) if isinstance(a, Author))
    site = Site(config=config, explainers=listings, authors=authors)
    outcomes = {e.slug: outcomes[e.slug] for e in listings}
    pending = memo.site_pages(renderer, site, setup, frame.config_path, project.search_index)
    unpatched = outcomes
    outcomes, patched, found = memo.related(renderer, site, templates_key, outcomes)
    problems += found
    files = {path: blob for o in outcomes.values() for path, blob in o.files.items()}
    # 5. The search index (if the site has a search page) of the pages as jobs made them, no
    # related blocks: a query for one explainer must not find each page linking to it. It
    # runs while the outcomes are kept; unchanged parts come from the store (``indexer``).
    indexing = start_index(memo.store, {f"{e.slug}/index.html": unpatched[e.slug].files[
        f"{e.slug}/index.html"] for e in site.published}, start_search_index) \
        if renderer.has_search and project.search_index and \
        not any(p.is_error for p in problems) else None  # errors stop the build below
    try:
        if not memo.session:
            memo.save()
        site_pages = pending()
    finally:
        index, found = indexing() if indexing is not None else ({}, [])
    problems += [*site_pages.problems, *found]
    problems.stop_if_failed(strict)
    files.update(site_pages.files)
    files.update(index)
    # 6. Check the rendered site: well-formed pages, every link and anchor resolves.
    external: tuple[str, ...] = ()
    if project.check_links:
        report = _check(project, outcomes, site_pages.pages, files, memo, patched)
        problems += report.problems
        external = report.external_links
        problems.stop_if_failed(strict)
    warnings = tuple(sort_diagnostics(problems))
    made = KeptBuild(whole, site, files, warnings, external, {
        slug: o.checked_key for slug, o in outcomes.items() if o.listing is not None}, notes)
    memo.site_files = files  # kept by a sweep (``Memo.tidy``)
    if not memo.session:  # the preview keeps its builds in memory instead
        memo.store.put(slot, made)
    return replace(made.result(memo), rebuilt=memo.rebuilt)


def _check(project: Project, outcomes: Mapping[str, Outcome],
           site_pages: Mapping[str, PageReport], files: Mapping[str, Blob],
           memo: Memo, patched: Mapping[str, PageReport]) -> SiteReport:
    """``patched``: explainer pages with their related explainers added; the ids of the
    rest of each page are read from the store only when a link needs them."""
    owners = {page: o for o in outcomes.values() for page in o.pages}
    pages = {page: report for o in outcomes.values() for page, report in o.pages.items()}
    pages.update(site_pages)
    pages.update(patched)

    def ids_of(page: str) -> frozenset[str]:
        if page in site_pages:
            return site_pages[page].ids
        return memo.page_ids(owners[page], page) | patched.get(page, pages[page]).ids

    return memo.site_check.check(dict(sorted(pages.items())), set(files),
                                 project.out_dir.as_posix(), ids_of)


def build(project: Project, *, strict: bool = False) -> BuildReport:
    """Make the whole site, then (7.) write it: swapped into the output folder at once."""
    started = time.perf_counter()
    with one_off(project) as memo:
        result = make_site(project, strict=strict, memo=memo)
        written = write_site(result.files.sources(), project.out_dir)
    return BuildReport(
        explainers=len(result.site.explainers), pages=result.pages, files_written=written,
        seconds=time.perf_counter() - started, warnings=result.warnings,
        external_links=result.external_links, notes=result.notes,
        base_url=result.site.config.base_url,
    )


__all__ = ["BuildReport", "BuildResult", "CacheInUseError", "Project", "build",
           "check_output_folder", "clean", "make_site", "remove_leftovers", "spare_of",
           "write_site"]
