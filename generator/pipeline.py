"""The build, top to bottom: load -> validate -> render -> check, then write.

``make_site`` reads like the table of contents of a build. What may be reused between
builds (each explainer's records and pages, the templates) is kept by a ``Memo`` that wraps
the per-explainer step; a new ``Memo`` has nothing kept, so a one-off ``explainer build``
and the live preview's hundredth rebuild run the very same code.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from generator.check import check_site
from generator.errors import BuildFailed, Diagnostic, sort_diagnostics
from generator.load import load_explainer, load_frame
from generator.memo import Memo
from generator.model import Explainer, Site, SiteConfig
from generator.render import RenderedFiles, attempt, render_explainer, render_site_pages
from generator.render.search import search_index
from generator.validate import (
    DEFAULT_CONFIG,
    Context,
    order_explainers,
    validate_config,
    validate_explainer,
    validate_shared,
)
from generator.write import Ledger, check_output_folder, remove_leftovers, write_site


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


@dataclass(frozen=True, slots=True)
class BuildResult:
    site: Site
    files: RenderedFiles
    warnings: tuple[Diagnostic, ...]
    rebuilt: tuple[str, ...] = ()  # explainers validated and rendered afresh by this build
    external_links: tuple[str, ...] = ()  # listed by the check, never fetched

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


class Problems(list[Diagnostic]):
    """Every problem of one build; the build stops only where going on would mislead."""

    def stop_if_failed(self, strict: bool) -> None:
        if any(p.is_error or strict for p in self):
            raise BuildFailed(sort_diagnostics(self))


def validate_folder(folder: Path, content_dir: Path,
                    context: Context) -> tuple[Explainer | None, list[Diagnostic]]:
    """One explainer's files, loaded and validated; None when any of them has an error."""
    raw, problems = load_explainer(folder, content_dir)
    explainer, invalid = validate_explainer(raw, context)
    problems += invalid
    if any(p.is_error for p in problems):
        return None, problems  # a file could not be read: the records would be incomplete
    return explainer, problems


def _site_config(node_config: SiteConfig | None, project: Project) -> SiteConfig | None:
    if node_config is not None and project.base_url:
        return replace(node_config, base_url=project.base_url)
    return node_config


def make_site(project: Project, *, strict: bool = False, memo: Memo | None = None,
              changed: Iterable[Path] = ()) -> BuildResult:
    """The whole site in memory and checked, or BuildFailed with every problem.

    ``changed`` names files a watcher saw change: they are redone even when a write within
    the same clock tick left their size and time unchanged.
    """
    memo = Memo() if memo is None else memo
    memo.forget(changed)
    problems = Problems()
    # 1. Load the frame: site.yaml, the shared fact files, the explainer folders, the seeds.
    frame, found = load_frame(project.content_dir)
    problems += found
    # 2. Validate the site's configuration and its shared records.
    config, found = validate_config(frame.config)
    problems += found
    config = _site_config(config, project)
    shared, found = validate_shared(frame.shared, config or DEFAULT_CONFIG)
    problems += found
    context = Context(config or DEFAULT_CONFIG, frame.seed_files, shared)
    renderer, found = memo.renderer(project.templates_dir)
    problems += found
    # 3. Per explainer: load, validate, render (kept by the memo while its inputs hold).
    def render(explainer: Explainer) -> tuple[RenderedFiles, list[Diagnostic]]:
        assert renderer is not None
        return attempt(lambda: render_explainer(renderer, context.config, explainer))

    results = memo.explainers(
        frame.folders, context,
        lambda folder: validate_folder(folder, project.content_dir, context),
        render if config is not None and renderer is not None else None)
    for result in results.values():
        problems += result.problems
    if config is None or renderer is None:
        problems.stop_if_failed(strict=True)
    assert config is not None and renderer is not None
    problems.stop_if_failed(strict)
    # 4. Site pages: home, 404, feed, sitemap, robots.txt and the assets.
    site = Site(config=config, explainers=order_explainers(
        r.explainer for r in results.values() if r.explainer is not None))
    files: RenderedFiles = {}
    for result in results.values():
        files.update(result.files)
    site_pages, found = attempt(lambda: render_site_pages(renderer, site,
                                                          project.search_index))
    problems += found
    problems.stop_if_failed(strict)
    files.update(site_pages)
    # 5. The search index: Pagefind over the explainer pages, if the site has a search page.
    if renderer.has_search and project.search_index:
        index, found = memo.search_index({f"{e.slug}/index.html": files[f"{e.slug}/index.html"]
                                          for e in site.explainers}, search_index)
        problems += found
        problems.stop_if_failed(strict)
        files.update(index)
    # 6. Check the rendered site: well-formed pages, every link and anchor resolves.
    external: tuple[str, ...] = ()
    if project.check_links:
        report = check_site(files, project.out_dir.as_posix(), config.base_url, memo.pages)
        problems += report.problems
        external = report.external_links
        problems.stop_if_failed(strict)
    return BuildResult(site, files, tuple(sort_diagnostics(problems)),
                       memo.rebuilt, external)


def build(project: Project, *, strict: bool = False) -> BuildReport:
    """Make the whole site, then (7.) write it: swapped into the output folder at once."""
    started = time.perf_counter()
    result = make_site(project, strict=strict)
    written = write_site(result.files, project.out_dir)
    return BuildReport(
        explainers=len(result.site.explainers), pages=result.pages, files_written=written,
        seconds=time.perf_counter() - started, warnings=result.warnings,
        external_links=result.external_links,
    )


__all__ = ["BuildReport", "BuildResult", "Ledger", "Project", "build", "check_output_folder",
           "make_site", "remove_leftovers", "write_site"]
