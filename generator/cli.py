"""Command line: the only module that prints or chooses exit codes."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from generator.build import BuildReport, Project, build, render_project
from generator.errors import BuildFailed, Diagnostic

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def print_diagnostics(diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=stream)


def summary_line(report: BuildReport, out_dir: Path) -> str:
    warnings = f", {_plural(len(report.warnings), 'warning')}" if report.warnings else ""
    return (f"built {_plural(report.explainers, 'explainer')}, {_plural(report.pages, 'page')}, "
            f"{_plural(report.files_written, 'file')} written to {out_dir.as_posix()}/ in "
            f"{report.seconds:.2f} s{warnings}")


def failure_line(diagnostics: Sequence[Diagnostic], out_dir: Path | None) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if errors:
        parts = [_plural(errors, "error")] + ([_plural(warnings, "warning")] if warnings else [])
    else:
        parts = [f"{_plural(warnings, 'warning')} (--strict fails on warnings)"]
    tail = f"; {out_dir.as_posix()}/ was left unchanged" if out_dir is not None else ""
    return f"failed: {', '.join(parts)}{tail}"


def _project(args: argparse.Namespace) -> Project:
    return Project(Path(args.content), Path(args.templates), Path(args.out))


def run_build(args: argparse.Namespace) -> int:
    project = _project(args)
    try:
        report = build(project, strict=args.strict)
    except BuildFailed as failed:
        print_diagnostics(failed.diagnostics, sys.stderr)
        print(failure_line(failed.diagnostics, project.out_dir), file=sys.stderr)
        return EXIT_PROBLEMS
    print_diagnostics(report.warnings, sys.stderr)
    print(summary_line(report, project.out_dir))
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    project = _project(args)
    started = time.perf_counter()
    try:
        result = render_project(project, strict=args.strict)
    except BuildFailed as failed:
        print_diagnostics(failed.diagnostics, sys.stderr)
        print(failure_line(failed.diagnostics, None), file=sys.stderr)
        return EXIT_PROBLEMS
    print_diagnostics(result.warnings, sys.stderr)
    warnings = f", {_plural(len(result.warnings), 'warning')}" if result.warnings else ""
    print(f"checked {_plural(len(result.site.explainers), 'explainer')} and "
          f"{_plural(result.pages, 'page')} in {time.perf_counter() - started:.2f} s: "
          f"no errors{warnings}; nothing written")
    return EXIT_OK


def _add_project_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", default="content", metavar="DIR",
                        help="content folder (default: content)")
    parser.add_argument("--templates", default="templates", metavar="DIR",
                        help="templates folder (default: templates)")
    parser.add_argument("--out", default="site", metavar="DIR",
                        help="output folder (default: site)")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings as errors")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explainer",
        description="Build news explainer pages from Markdown text and sourced YAML facts.",
    )
    parser.add_argument("--traceback", action="store_true",
                        help="show Python tracebacks of internal errors (for bug reports)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_parser = commands.add_parser("build", help="render content/ into site/")
    _add_project_arguments(build_parser)
    build_parser.set_defaults(run=run_build)
    check_parser = commands.add_parser("check", help="load, validate and render without "
                                                     "writing anything")
    _add_project_arguments(check_parser)
    check_parser.set_defaults(run=run_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in explainer itself, not a problem in the content
        if args.traceback:
            traceback.print_exc()
        print(f"explainer: internal error: {type(exc).__name__}: {exc} (this is a bug in "
              "explainer; rerun with --traceback and report it)", file=sys.stderr)
        return EXIT_PROBLEMS


if __name__ == "__main__":
    sys.exit(main())
