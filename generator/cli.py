"""Command line: the only module that prints or chooses exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from generator import __version__
from generator.dates import PartialDate
from generator.errors import BuildFailed, Diagnostic
from generator.messages import check_lines, failure_line, plural, summary_line
from generator.options import (
    CACHE_FOLDER,
    add_drafts_argument,
    add_project_arguments,
    add_publishing_arguments,
    base_url_argument,
)
from generator.pipeline import BuildReport, CacheInUseError, Project, build, clean, make_site

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
def print_diagnostics(diagnostics: Sequence[Diagnostic | str], stream: TextIO) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=stream)


def _project(args: argparse.Namespace) -> Project:
    content = Path(args.content)
    cache = None if getattr(args, "no_cache", False) else content.parent / CACHE_FOLDER
    today = args.today or PartialDate(*date.today().timetuple()[:3])
    return Project(content, Path(args.templates), Path(args.out),
                   base_url=getattr(args, "base_url", None),
                   check_links=not getattr(args, "no_check", False), cache_dir=cache,
                   jobs=getattr(args, "jobs", None) or os.cpu_count() or 1,
                   today=today, drafts=getattr(args, "drafts", False))


def run_build(args: argparse.Namespace) -> int:
    return EXIT_OK if _build(args) is not None else EXIT_PROBLEMS


def _build(args: argparse.Namespace) -> BuildReport | None:
    """Build and say how it went; None when it failed (the problems are printed)."""
    project = _project(args)
    try:
        report = build(project, strict=args.strict)
    except BuildFailed as failed:
        print_diagnostics(failed.diagnostics, sys.stderr)
        print(failure_line(failed.diagnostics, project.out_dir), file=sys.stderr)
        return None
    print_diagnostics([*report.warnings, *report.notes], sys.stderr)
    print(summary_line(report, project.out_dir))
    return report


def run_check(args: argparse.Namespace) -> int:
    project = _project(args)
    started = time.perf_counter()
    try:
        result = make_site(project, strict=args.strict)
    except BuildFailed as failed:
        print_diagnostics(failed.diagnostics, sys.stderr)
        print(failure_line(failed.diagnostics, None), file=sys.stderr)
        return EXIT_PROBLEMS
    print_diagnostics([*result.warnings, *result.notes], sys.stderr)
    warnings = f", {plural(len(result.warnings), 'warning')}" if result.warnings else ""
    if project.check_links:
        print("\n".join(check_lines(result.external_links, every_link=args.list_external)))
    print(f"checked {plural(len(result.site.explainers), 'explainer')} and "
          f"{plural(result.pages, 'page')} in {time.perf_counter() - started:.2f} s: "
          f"every internal link, anchor and asset resolves; no errors{warnings}; "
          "nothing written")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from generator.preview.serve import (  # the server's imports only when serving
        ServeOptions,
        serve,
    )

    options = ServeOptions(host=args.host, port=args.port, strict_port=args.strict_port,
                           open_browser=args.open, poll=args.poll, strict=args.strict)
    return serve(_project(args), options, sys.stdout)


def run_publish(args: argparse.Namespace) -> int:
    from generator.publish import check_base_url, preflight, publish_site

    project = _project(args)
    sources = (project.content_dir, project.templates_dir, project.content_dir.parent / "seeds")
    try:
        dirty = preflight(Path.cwd(), args.branch, sources, args.allow_dirty)
        report = _build(args)
        if report is None:
            return EXIT_PROBLEMS
        check_base_url(report.base_url, overridden=args.base_url is not None)
        published = publish_site(Path.cwd(), project.out_dir, args.branch, push=args.push,
                                 remote=args.remote, message=args.message, dirty=dirty)
    except BuildFailed as failed:
        print_diagnostics(failed.diagnostics, sys.stderr)
        print(f"failed: could not publish to branch {args.branch}; nothing was committed",
              file=sys.stderr)
        return EXIT_PROBLEMS
    if published.changed:
        print(f"published {project.out_dir.as_posix()}/ to branch {published.branch} "
              f"(commit {published.commit[:10]})")
    else:
        print(f"branch {published.branch} already holds this site; no new commit")
    if published.pushed:
        print(f"pushed {published.branch} to {args.remote}")
    return EXIT_OK


def run_clean(args: argparse.Namespace) -> int:
    cache = Path(args.content).parent / CACHE_FOLDER
    try:
        removed = clean(cache)
    except CacheInUseError:
        print(f"{cache.as_posix()}/: in use by a build or preview; stop it, then clean again",
              file=sys.stderr)
        return EXIT_PROBLEMS
    if removed:
        print(f"removed {cache.as_posix()}/")
    else:
        print(f"nothing to remove: {cache.as_posix()}/ does not exist")
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    from generator.scaffold import Refused, plan_explainer, write_explainer

    try:
        new = plan_explainer(Path(args.content), args.slug, today=date.today(),
                             seed_path=Path(args.seed) if args.seed else None, title=args.title)
        written = write_explainer(new)
    except Refused as refused:
        print(f"explainer new: {refused}; nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"created {new.folder.as_posix()}/ ('{new.title}'):")
    print("\n".join(f"  {path.as_posix()}" for path in written))
    if new.article is not None:
        print(f"article.md is {new.seed} as Markdown, word for word: "
              f"{plural(new.article.pictures, 'picture caption')} and "
              f"{plural(new.article.leftovers, 'page leftover')} flagged in editorial notes")
    print("next: fill in the TODOs (explainer check lists each one), then run explainer "
          f"serve and open {new.slug}/")
    return EXIT_OK


def run_worker(args: argparse.Namespace) -> int:
    from generator.preview.worker import worker_main

    return worker_main(_project(args))


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explainer",
        description="Build news explainer pages from Markdown text and sourced YAML facts.",
    )
    parser.add_argument("--version", action="version", version=f"explainer {__version__}")
    parser.add_argument("--traceback", action="store_true",
                        help="show Python tracebacks of internal errors (for bug reports)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_parser = commands.add_parser("build", help="render content/ into site/")
    add_project_arguments(build_parser)
    add_publishing_arguments(build_parser)
    add_drafts_argument(build_parser)
    build_parser.set_defaults(run=run_build)
    check_parser = commands.add_parser("check", help="load, validate and render without "
                                                     "writing anything")
    add_project_arguments(check_parser)
    check_parser.add_argument("--base-url", type=base_url_argument, metavar="URL",
                              help="check as if published at this address")
    check_parser.add_argument("--list-external", action="store_true",
                              help="list every external link (by default they are counted "
                                   "by host)")
    add_drafts_argument(check_parser)
    check_parser.set_defaults(run=run_check)
    serve_parser = commands.add_parser(
        "serve", help="build, serve on 127.0.0.1 and rebuild and reload on every change")
    add_project_arguments(serve_parser)
    serve_parser.add_argument("--host", default="127.0.0.1",
                              help="address to listen on (default: 127.0.0.1; 0.0.0.0 makes "
                                   "the preview reachable from your network)")
    serve_parser.add_argument("--port", type=int, default=8000,
                              help="port to listen on; the next free one is used if taken "
                                   "(default: 8000)")
    serve_parser.add_argument("--strict-port", action="store_true",
                              help="exit with code 2 instead of trying the next port")
    serve_parser.add_argument("--open", action="store_true", help="open a browser")
    serve_parser.add_argument("--poll", action="store_true",
                              help="poll for changes instead of file events (network drives, "
                                   "some containers)")
    serve_parser.add_argument("--no-drafts", dest="drafts", action="store_false",
                              help="leave drafts out, as a published build does")
    serve_parser.set_defaults(run=run_serve, drafts=True)
    publish_parser = commands.add_parser(
        "publish", help="build, then commit site/ to a branch (e.g. gh-pages) without "
                        "touching the working tree")
    add_project_arguments(publish_parser)
    add_publishing_arguments(publish_parser)
    publish_parser.add_argument("--branch", default="gh-pages",
                                help="branch to commit the site to (default: gh-pages)")
    publish_parser.add_argument("--push", action="store_true", help="push the branch")
    publish_parser.add_argument("--remote", default="origin",
                                help="remote to push to (default: origin)")
    publish_parser.add_argument("--message", help="commit message")
    publish_parser.add_argument("--allow-dirty", action="store_true",
                                help="publish even with uncommitted changes in content/, "
                                     "templates/ or seeds/ (the commit message says so)")
    publish_parser.set_defaults(run=run_publish)
    clean_parser = commands.add_parser(
        "clean", help=f"remove the kept results ({CACHE_FOLDER}/ beside the content folder)")
    clean_parser.add_argument("--content", default="content", metavar="DIR",
                              help="content folder (default: content)")
    clean_parser.set_defaults(run=run_clean)
    new_parser = commands.add_parser(
        "new", help="start an explainer: content/SLUG/ with explainer.yaml, sources.yaml "
                    "and article.md, from a seed document if given")
    new_parser.add_argument("slug", metavar="SLUG",
                            help="the folder name and address: lowercase letters, digits and "
                                 "single hyphens, e.g. my-story")
    new_parser.add_argument("--from", dest="seed", metavar="FILE",
                            help="a plain-text seed in seeds/, made into article.md word for "
                                 "word and cited as the first source")
    new_parser.add_argument("--title", help="the explainer's title (default: the seed's "
                                            "first line, or a TODO)")
    new_parser.add_argument("--content", default="content", metavar="DIR",
                            help="content folder (default: content)")
    new_parser.set_defaults(run=run_new)
    worker_parser = commands.add_parser("worker", help="internal: the preview's build process")
    add_project_arguments(worker_parser)
    add_publishing_arguments(worker_parser)
    add_drafts_argument(worker_parser)
    worker_parser.set_defaults(run=run_worker)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # a file or folder the system would not let us use
        where = exc.filename if exc.filename is not None else "explainer"
        print(f"{where}: cannot be used: {exc.strerror or exc}; expected a file or folder you "
              "may read (and, for the output, write): check that it exists and its "
              "permissions", file=sys.stderr)
        print("failed: 1 error; nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS
    except Exception as exc:  # a bug in explainer itself, not a problem in the content
        if args.traceback:
            traceback.print_exc()
        print(f"explainer: internal error: {type(exc).__name__}: {exc} (this is a bug in "
              "explainer; rerun with --traceback and report it)", file=sys.stderr)
        return EXIT_PROBLEMS


if __name__ == "__main__":
    sys.exit(main())
