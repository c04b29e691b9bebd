"""The whole site at once: every link resolves, every #fragment names an id, no page is
an orphan. ``SiteCheck`` remembers each page's findings, so the preview, which checks the
site after every save, walks again only the pages that could have changed."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from generator.check.page import PageReport, check_page
from generator.errors import Diagnostic, SourceLocation, error


@dataclass(frozen=True, slots=True)
class SiteReport:
    problems: tuple[Diagnostic, ...]
    external_links: tuple[str, ...]
    pages: int


@dataclass(frozen=True, slots=True)
class _Findings:
    """One page's part of a site report, and what it depended on."""

    report: PageReport
    problems: tuple[Diagnostic, ...]
    linked: frozenset[str]  # pages it links to that exist
    fragment_targets: frozenset[str]  # pages whose ids it needed


class SiteCheck:
    """``check_site`` with a memory: a page whose report is the very same object, in a site
    with the same files, linking by #fragment into no page whose report changed, has the
    same findings as last time. A fresh SiteCheck checks everything."""

    def __init__(self) -> None:
        self._files: frozenset[str] = frozenset()
        self._root = ""
        self._found: dict[str, _Findings] = {}

    def check(self, pages: Mapping[str, PageReport], files: Collection[str], shown_root: str,
              ids_of: Callable[[str], frozenset[str]] | None = None) -> SiteReport:
        ids = ids_of or (lambda page: pages[page].ids)
        names = frozenset(files)
        same_files = names == self._files and shown_root == self._root
        changed = {page for page, report in pages.items()
                   if (known := self._found.get(page)) is None or known.report is not report}
        found: dict[str, _Findings] = {}
        problems: list[Diagnostic] = []
        external: set[str] = set()
        linked: set[str] = set()
        for page, report in pages.items():
            known = self._found.get(page)
            if known is None or known.report is not report or not same_files or \
                    not known.fragment_targets.isdisjoint(changed):
                known = _page_findings(page, report, names, pages, ids, shown_root)
            found[page] = known
            problems += known.problems
            external |= report.external
            linked |= known.linked
        problems += [error(SourceLocation(f"{shown_root}/{page}"), "orphan page: no other page "
                                                                   "links to it; expected a link "
                                                                   "from the home page or "
                                                                   "another page")
                     for page in pages
                     if page not in linked and page not in ("index.html", "404.html")]
        self._files, self._root, self._found = names, shown_root, found
        return SiteReport(tuple(problems), tuple(sorted(external)), len(pages))


def _page_findings(page: str, report: PageReport, files: Collection[str],
                   pages: Mapping[str, PageReport], ids: Callable[[str], frozenset[str]],
                   shown_root: str) -> _Findings:
    def at(line: int = 0, column: int = 0) -> SourceLocation:
        return SourceLocation(f"{shown_root}/{page}", line, column)

    problems = [error(at(line, column), message) for message, line, column in report.problems]
    linked: set[str] = set()
    fragment_targets: set[str] = set()
    for target, fragment, url, line, column in report.links:
        if target not in files:
            problems.append(error(at(line, column), f"broken link '{url}': no file "
                                                    f"'{target}' in the site"))
            continue
        linked.add(target)
        if fragment and target in pages:
            fragment_targets.add(target)
            if fragment not in ids(target):
                problems.append(error(at(line, column), f"broken link '{url}': no id "
                                                        f"'{fragment}' in '{target}'"))
    return _Findings(report, tuple(problems), frozenset(linked), frozenset(fragment_targets))


def check_site(pages: Mapping[str, PageReport], files: Collection[str], shown_root: str,
               ids_of: Callable[[str], frozenset[str]] | None = None) -> SiteReport:
    """Every broken link, missing anchor, malformed page and orphan in a rendered site.

    ``ids_of`` gives a page's element ids where ``pages`` leaves them out (a big site keeps
    them on disk); it is asked only for pages that links point into with a #fragment.
    """
    return SiteCheck().check(pages, files, shown_root, ids_of)


def check_files(files: Mapping[str, bytes], shown_root: str, base_url: str = "") -> SiteReport:
    """Check rendered files held in memory (or read back from a built site)."""
    pages = {path: check_page(path, content, base_url)
             for path, content in sorted(files.items()) if path.endswith(".html")}
    return check_site(pages, set(files), shown_root)
