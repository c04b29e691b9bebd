"""The pipeline in one place: load -> validate -> render -> check -> write.

``SiteBuilder`` keeps each explainer's validated model and rendered pages between builds and
redoes only what changed. A new builder has nothing kept, so a one-off ``explainer build``
and the live preview's hundredth rebuild run the very same code.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.errors import BuildFailed, Diagnostic, sort_diagnostics
from generator.load import load_explainer, load_frame
from generator.model import Explainer, Site, SiteConfig
from generator.render import (
    RenderedFiles,
    Renderer,
    attempt,
    prepare_renderer,
    render_explainer,
    render_site_pages,
)
from generator.sitecheck import PageCache, check_site
from generator.validate import (
    DEFAULT_CONFIG,
    order_explainers,
    validate_config,
    validate_explainer,
)
from generator.write import write_site


@dataclass(frozen=True, slots=True)
class Project:
    """Where a site's inputs and output live; every entry point takes one explicitly."""

    content_dir: Path
    templates_dir: Path
    out_dir: Path
    base_url: str | None = None  # overrides site.yaml's, e.g. for a staging host
    check_links: bool = True  # verify links, anchors and pages before writing


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
class _Kept:
    """One explainer's results, valid while its files, the config and the seeds are."""

    stamp: Stamp
    explainer: Explainer | None
    problems: list[Diagnostic]
    rendered: RenderedFiles = field(default_factory=dict)
    render_problems: list[Diagnostic] = field(default_factory=list)
    renderer: Renderer | None = None  # the renderer that produced ``rendered``


class SiteBuilder:
    """Builds one project repeatedly, reusing whatever its inputs say is still valid."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._context: tuple[SiteConfig | None, frozenset[str]] | None = None
        self._templates_stamp: Stamp | None = None
        self._renderer: Renderer | None = None
        self._renderer_problems: list[Diagnostic] = []
        self._kept: dict[str, _Kept] = {}
        self._pages: PageCache = {}

    def _refresh_renderer(self, force: bool) -> None:
        templates_stamp = stamp(self.project.templates_dir)
        if force or templates_stamp != self._templates_stamp or self._templates_stamp is None:
            self._templates_stamp = templates_stamp
            self._renderer, self._renderer_problems = prepare_renderer(self.project.templates_dir)

    def render(self, *, strict: bool = False, changed: Iterable[Path] = ()) -> BuildResult:
        """The whole site in memory, or BuildFailed with every problem.

        ``changed`` names files known to have changed (from a watcher): they are rebuilt even
        when a write within the same clock tick left their size and time unchanged.
        """
        changed = [Path(p).resolve() for p in changed]
        content = self.project.content_dir
        frame, problems = load_frame(content)
        config, config_problems = validate_config(frame.config)
        problems += config_problems
        if config is not None and self.project.base_url:
            config = replace(config, base_url=self.project.base_url)
        context = (config, frame.seed_files)
        if context != self._context:  # settings and seeds shape every explainer's validation
            self._context, self._kept = context, {}
        templates = self.project.templates_dir.resolve()
        self._refresh_renderer(force=any(p.is_relative_to(templates) for p in changed))
        renderer = self._renderer
        problems += self._renderer_problems

        content_root = content.resolve()
        touched_folders = {p.relative_to(content_root).parts[0] for p in changed
                           if p.is_relative_to(content_root) and p != content_root}
        rebuilt = []
        kept: dict[str, _Kept] = {}
        for folder in frame.folders:
            folder_stamp = stamp(folder)
            entry = self._kept.get(folder.name)
            touched = folder.name in touched_folders
            if entry is None or entry.stamp != folder_stamp or touched:
                raw, found = load_explainer(folder, content)
                model, invalid = validate_explainer(raw, config or DEFAULT_CONFIG,
                                                    frame.seed_files)
                if any(p.is_error for p in found):
                    model = None  # a file could not be read: the model would be incomplete
                entry = _Kept(folder_stamp, model, found + invalid)
                rebuilt.append(folder.name)
            if entry.explainer is not None and renderer is not None and \
                    entry.renderer is not renderer and config is not None:
                explainer = entry.explainer
                entry.rendered, entry.render_problems = attempt(
                    lambda e=explainer: render_explainer(renderer, config, e))
                entry.renderer = renderer
            kept[folder.name] = entry
            problems += entry.problems + entry.render_problems
        self._kept = kept
        if config is None or renderer is None or any(p.is_error for p in problems):
            _stop_on_errors(problems, strict)
            raise BuildFailed(sort_diagnostics(problems))
        site = Site(config=config, explainers=order_explainers(
            e.explainer for e in kept.values() if e.explainer is not None))
        site_pages, page_problems = attempt(lambda: render_site_pages(renderer, site))
        problems += page_problems
        _stop_on_errors(problems, strict)
        files: RenderedFiles = {}
        for entry in kept.values():
            files.update(entry.rendered)
        files.update(site_pages)
        external: tuple[str, ...] = ()
        if self.project.check_links:
            report = check_site(files, self.project.out_dir.as_posix(), config.base_url,
                                self._pages)
            problems += report.problems
            external = report.external_links
            _stop_on_errors(problems, strict)
        return BuildResult(site, files, tuple(sort_diagnostics(problems)), tuple(rebuilt),
                           external)


def _stop_on_errors(problems: list[Diagnostic], strict: bool) -> None:
    if any(p.is_error or strict for p in problems):
        raise BuildFailed(sort_diagnostics(problems))


def render_project(project: Project, *, strict: bool = False) -> BuildResult:
    """Everything a build does except writing; raises BuildFailed with every problem."""
    return SiteBuilder(project).render(strict=strict)


def build(project: Project, *, strict: bool = False) -> BuildReport:
    """Render the whole site and swap it into the output folder."""
    started = time.perf_counter()
    result = render_project(project, strict=strict)
    written = write_site(result.files, project.out_dir)
    return BuildReport(
        explainers=len(result.site.explainers), pages=result.pages, files_written=written,
        seconds=time.perf_counter() - started, warnings=result.warnings,
        external_links=result.external_links,
    )
