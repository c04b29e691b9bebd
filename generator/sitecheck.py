"""Check a rendered site before it is published: well-formed pages, links that resolve.

Works on the in-memory files of a build, so a broken link fails the build before anything
is written, and on a folder on disk for sites built earlier.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.errors import Diagnostic, SourceLocation, error

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}
_LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src",
                    "source": "src", "iframe": "src", "area": "href"}


@dataclass
class PageFacts:
    """What the checker learns from one HTML page."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, int, int]] = field(default_factory=list)  # (url, line, column)
    problems: list[tuple[str, int, int]] = field(default_factory=list)
    title: str = ""
    description: str | None = None


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self.stack: list[tuple[str, int, int]] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        values = dict(attrs)
        ident = values.get("id")
        if ident is not None:
            if ident in self.facts.ids:
                self.facts.problems.append((f"duplicate id '{ident}'", line, column + 1))
            self.facts.ids.add(ident)
        if tag == "a" and values.get("name"):
            self.facts.ids.add(values["name"] or "")
        attribute = _LINK_ATTRIBUTES.get(tag)
        if attribute and values.get(attribute) is not None:
            self.facts.links.append((values[attribute] or "", line, column + 1))
        if tag == "meta" and values.get("name") == "description":
            self.facts.description = values.get("content") or ""
        if tag == "title":
            self.in_title = True
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, line, column + 1))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        line, column = self.getpos()
        if tag == "title":
            self.in_title = False
        if tag in VOID_ELEMENTS:
            return
        if not self.stack or tag not in (open_tag for open_tag, _l, _c in self.stack):
            self.facts.problems.append((f"closing tag </{tag}> without an opening tag", line,
                                        column + 1))
            return
        while self.stack:
            open_tag, open_line, _open_column = self.stack.pop()
            if open_tag == tag:
                break
            self.facts.problems.append((f"<{open_tag}> opened at line {open_line} is not "
                                        f"closed before </{tag}>", line, column + 1))

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.facts.title += data

    def close(self) -> None:
        super().close()
        for tag, line, column in self.stack:
            self.facts.problems.append((f"<{tag}> is never closed", line, column))


def parse_page(html: str) -> PageFacts:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.facts


def is_external(url: str) -> bool:
    return bool(re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", url))


def resolve_link(page: str, url: str, base_path: str = "/") -> tuple[str, str]:
    """The output file and fragment an internal link from ``page`` points at.

    Links starting with '/' (only the 404 page uses them) are read against ``base_path``,
    the path part of the site's base URL; outside it they resolve to '..'.
    """
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not path:
        return page, unquote(parts.fragment)
    if path.startswith("/"):
        if not path.startswith(base_path):
            return "..", ""
        path = path[len(base_path):] or "./"
        page = "index.html"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if path.endswith("/") or target == ".":
        target = posixpath.join(target, "index.html") if target != "." else "index.html"
    return target, unquote(parts.fragment)


@dataclass(frozen=True, slots=True)
class SiteReport:
    problems: tuple[Diagnostic, ...]
    external_links: tuple[str, ...]
    pages: int


@dataclass(frozen=True, slots=True)
class _CheckedPage:
    """One page's own findings; reusable while the page's bytes do not change."""

    content: bytes
    facts: PageFacts
    internal: tuple[tuple[str, str, str, int, int], ...]  # (target, fragment, url, line, col)
    external: frozenset[str]
    own_problems: tuple[tuple[str, int, int], ...]


PageCache = dict[tuple[str, str], _CheckedPage]
"""(page path, base path) -> what the checker learnt from it; keeps rebuilds cheap."""


def _check_page(page: str, content: bytes, base_path: str) -> _CheckedPage:
    facts = parse_page(content.decode("utf-8"))
    internal = []
    external = set()
    own = [(f"malformed HTML: {message}", line, column)
           for message, line, column in facts.problems]
    if not facts.title.strip():
        own.append(("page has no <title>; expected every page to have one", 0, 0))
    if not (facts.description or "").strip():
        own.append(("page has no meta description; expected <meta name=\"description\" "
                    "content=\"…\">", 0, 0))
    for url, line, column in facts.links:
        if is_external(url):
            if url.startswith(("http://", "https://", "//")):
                external.add(url)
            continue
        target, fragment = resolve_link(page, url, base_path)
        if target.startswith("../") or target == "..":
            own.append((f"link '{url}' leaves the site; expected a page of this site", line,
                        column))
        else:
            internal.append((target, fragment, url, line, column))
    return _CheckedPage(content, facts, tuple(internal), frozenset(external), tuple(own))


def check_site(files: Mapping[str, bytes], shown_root: str, base_path: str = "/",
               cache: PageCache | None = None) -> SiteReport:
    """Every broken link, missing anchor, malformed page and orphan in a rendered site.

    ``cache`` (kept by the caller between builds) skips pages whose bytes are unchanged.
    """
    cache = {} if cache is None else cache
    checked: dict[str, _CheckedPage] = {}
    for path, content in sorted(files.items()):
        if not path.endswith(".html"):
            continue
        known = cache.get((path, base_path))
        if known is None or not (known.content is content or known.content == content):
            known = cache[path, base_path] = _check_page(path, content, base_path)
        checked[path] = known
    for key in [k for k in cache if k[0] not in checked]:
        del cache[key]

    problems: list[Diagnostic] = []
    external: set[str] = set()
    linked: set[str] = set()

    def at(page: str, line: int = 0, column: int = 0) -> SourceLocation:
        return SourceLocation(f"{shown_root}/{page}", line, column)

    for page, result in checked.items():
        problems += [error(at(page, line, column), message)
                     for message, line, column in result.own_problems]
        external |= result.external
        for target, fragment, url, line, column in result.internal:
            if target not in files:
                problems.append(error(at(page, line, column), f"broken link '{url}': no file "
                                                              f"'{target}' in the site"))
                continue
            if target != page:
                linked.add(target)
            if fragment and target in checked and fragment not in checked[target].facts.ids:
                problems.append(error(at(page, line, column), f"broken link '{url}': no "
                                                              f"id '{fragment}' in '{target}'"))
    for page in checked:
        if page not in linked and page not in ("index.html", "404.html"):
            problems.append(error(at(page), "orphan page: no other page links to it; expected a "
                                            "link from the home page or another page"))
    return SiteReport(tuple(problems), tuple(sorted(external)), len(checked))


def read_site(folder: Path) -> dict[str, bytes]:
    """A built site on disk as the same mapping the renderer produces."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
