"""What the command line says, as text: summary, failure and link-count lines (cli.py
prints them and chooses exit codes)."""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from generator.errors import Diagnostic
from generator.pipeline import BuildReport

HOSTS_SHOWN = 10  # check names the hosts linked most; --list-external lists every link


def plural(count: int, word: str) -> str:
    """'1 page', '2 pages'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: BuildReport, out_dir: Path) -> str:
    warnings = f", {plural(len(report.warnings), 'warning')}" if report.warnings else ""
    return (f"built {plural(report.explainers, 'explainer')}, {plural(report.pages, 'page')}, "
            f"{plural(report.files_written, 'file')} written to {out_dir.as_posix()}/ in "
            f"{report.seconds:.2f} s{warnings}")


def check_lines(external: Sequence[str], *, every_link: bool = False) -> list[str]:
    """External links are counted by host (or, with ``every_link``, listed) for a person to
    review; this tool never fetches them."""
    if every_link:
        return [f"  {url}" for url in external] + [
            f"{plural(len(external), 'external link')} listed above, not fetched (no network)"]
    hosts = links_by_host(external)
    rest = hosts[HOSTS_SHOWN:]
    units = [f"{host} {count}," for host, count in hosts[:HOSTS_SHOWN]]  # never split
    if rest:
        units.append(f"and {plural(sum(c for _h, c in rest), 'link')} on "
                     f"{plural(len(rest), 'other host')},")
    listed = ": " + " ".join(u.replace(" ", "\0") for u in units)[:-1] if units else ""
    lines = textwrap.wrap(f"{plural(len(external), 'external link')} on "
                          f"{plural(len(hosts), 'host')}, not fetched (no network){listed};"
                          " --list-external\0lists\0them\0all", 88, subsequent_indent="  ",
                          break_on_hyphens=False)
    return [line.replace("\0", " ") for line in lines]


def failure_line(diagnostics: Sequence[Diagnostic], out_dir: Path | None) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if errors:
        parts = [plural(errors, "error")] + ([plural(warnings, "warning")] if warnings else [])
    else:
        parts = [f"{plural(warnings, 'warning')} (--strict fails on warnings)"]
    tail = f"; {out_dir.as_posix()}/ was left unchanged" if out_dir is not None else ""
    return f"failed: {', '.join(parts)}{tail}"


def links_by_host(urls: Iterable[str]) -> list[tuple[str, int]]:
    """(host, number of links) for external links, most linked first; 'www.' is dropped,
    so www.bbc.com and bbc.com count as one."""
    counts = Counter((urlsplit(url).hostname or url).removeprefix("www.") for url in urls)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
