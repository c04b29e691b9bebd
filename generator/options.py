"""The command line's shared options and how their values are read (parsing only: cli.py
prints and chooses exit codes)."""

from __future__ import annotations

import argparse

from generator.dates import DateError, PartialDate, parse_partial_date
from generator.rules import base_url_problem, normalise_base_url

CACHE_FOLDER = ".explainer-cache"
"""Beside content/, git-ignored: what builds keep for the next one (processed pictures)."""


def jobs_argument(text: str) -> int:
    """--jobs: how many processes render explainers; 1 keeps everything in this one."""
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes; expected "
                                         "1 or more")
    return jobs


def base_url_argument(text: str) -> str:
    """--base-url: the same rule as site.yaml's base_url; the trailing slash is added."""
    problem = base_url_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return normalise_base_url(text)


def today_argument(text: str) -> PartialDate:
    """--today: build as on another day (scheduled explainers, dates of updates)."""
    try:
        day = parse_partial_date(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if day.day is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a full date; expected YYYY-MM-DD")
    return day


def add_project_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", default="content", metavar="DIR",
                        help="content folder (default: content)")
    parser.add_argument("--templates", default="templates", metavar="DIR",
                        help="templates folder (default: templates)")
    parser.add_argument("--out", default="site", metavar="DIR",
                        help="output folder (default: site)")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings as errors")
    parser.add_argument("--jobs", type=jobs_argument, metavar="N",
                        help="processes for the per-explainer work (default: one per core; "
                             "1 for debugging)")
    parser.add_argument("--no-cache", action="store_true",
                        help=f"neither use nor keep results in {CACHE_FOLDER}/")
    parser.add_argument("--today", type=today_argument, metavar="YYYY-MM-DD",
                        help="build as on this day (default: today): what is scheduled, "
                             "which updates are in the future")


def add_drafts_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drafts", action="store_true", help="include drafts and scheduled "
                        "explainers, marked 'Draft' and noindex (never in feed or sitemap)")


def add_publishing_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", type=base_url_argument, metavar="URL",
                        help="the site's public address, overriding site.yaml's base_url "
                             "(used for canonical links, feed, sitemap and share cards)")
    parser.add_argument("--no-check", action="store_true",
                        help="skip the check of links, anchors and pages before writing")
