"""The pipeline in one place: load -> validate -> render -> (check) -> write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildFailed, Diagnostic, sort_diagnostics
from generator.load import load_site
from generator.model import Site
from generator.render import RenderedFiles, render_site
from generator.sitecheck import check_site
from generator.validate import validate_site
from generator.write import write_site


@dataclass(frozen=True, slots=True)
class Project:
    """Where a site's inputs and output live; every entry point takes one explicitly."""

    content_dir: Path
    templates_dir: Path
    out_dir: Path


@dataclass(frozen=True, slots=True)
class BuildResult:
    site: Site
    files: RenderedFiles
    warnings: tuple[Diagnostic, ...]

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


def _stop_on_errors(problems: list[Diagnostic], strict: bool) -> None:
    failing = [p for p in problems if p.is_error or strict]
    if failing:
        raise BuildFailed(sort_diagnostics(problems))


def render_project(project: Project, *, strict: bool = False) -> BuildResult:
    """Everything a build does except writing; raises BuildFailed with every problem."""
    raw, problems = load_site(project.content_dir)
    site, validation_problems = validate_site(raw)
    problems += validation_problems
    if site is None:
        _stop_on_errors(problems, strict)
        raise BuildFailed(sort_diagnostics(problems))  # unreachable unless validation lied
    files, render_problems = render_site(project.templates_dir, site)
    problems += render_problems
    _stop_on_errors(problems, strict)
    report = check_site(files, project.out_dir.as_posix(), site.config.base_path)
    problems += report.problems
    _stop_on_errors(problems, strict)
    return BuildResult(site, files, tuple(sort_diagnostics(problems)))


def build(project: Project, *, strict: bool = False) -> BuildReport:
    """Render the whole site and swap it into the output folder."""
    started = time.perf_counter()
    result = render_project(project, strict=strict)
    written = write_site(result.files, project.out_dir)
    return BuildReport(
        explainers=len(result.site.explainers), pages=result.pages, files_written=written,
        seconds=time.perf_counter() - started, warnings=result.warnings,
    )
