"""Check a rendered site before it is published: well-formed pages, links that resolve.

Works on the in-memory files of a build, so a broken link fails the build before anything
is written, and on a folder on disk for sites built earlier.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urlsplit

from generator.errors import Diagnostic, SourceLocation, error
from generator.model import url_path

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


_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?[^>]*>"
    r"|<(?P<close>/?)(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S)
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
_RAW_TEXT = {"script", "style", "textarea", "title"}
_SHARED_IMAGES = {"og:image", "twitter:image"}  # absolute links to our own share cards


def parse_page(html: str) -> PageFacts:
    """Ids, links, title, description and unbalanced tags of one page.

    A tokenizer rather than html.parser: several times faster on big pages, and the pages it
    reads are our own output (raw HTML in content is checked for balance too).
    """
    facts = PageFacts()
    line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
    stack: list[tuple[str, int, int]] = []

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    index = 0
    while True:
        match = _TOKEN.search(html, index)
        if match is None:
            break
        index = match.end()
        tag = match["tag"]
        if tag is None:
            continue
        tag = tag.lower()
        line, column = position(match.start())
        if match["close"]:
            _close(tag, stack, facts, line, column)
            continue
        values = {name.lower(): unescape(next((v for v in rest if v), "") if any(rest) else "")
                  for name, *rest in _ATTRIBUTE.findall(match["attrs"])}
        ident = values.get("id")
        if ident is not None:
            if ident in facts.ids:
                facts.problems.append((f"duplicate id '{ident}'", line, column))
            facts.ids.add(ident)
        if tag == "a" and values.get("name"):
            facts.ids.add(values["name"])
        attribute = _LINK_ATTRIBUTES.get(tag)
        if attribute and attribute in values:
            facts.links.append((values[attribute], line, column))
        if "srcset" in values:  # "a.webp 480w, b.webp 960w": every candidate must exist
            facts.links += [(candidate.split()[0], line, column)
                            for candidate in values["srcset"].split(",") if candidate.strip()]
        if tag == "meta" and (values.get("property") or values.get("name")) in _SHARED_IMAGES:
            facts.links.append((values.get("content", ""), line, column))
        if tag == "meta" and values.get("name") == "description":
            facts.description = values.get("content", "")
        self_closing = match["attrs"].rstrip().endswith("/")
        if tag in _RAW_TEXT:
            end = re.compile(rf"</{tag}\s*>", re.I).search(html, index)
            if end is None:
                facts.problems.append((f"<{tag}> is never closed", line, column))
                break
            if tag == "title":
                facts.title = unescape(html[index:end.start()])
            index = end.end()
        elif tag not in VOID_ELEMENTS and not self_closing:
            stack.append((tag, line, column))
    for tag, line, column in stack:
        facts.problems.append((f"<{tag}> is never closed", line, column))
    return facts


def _close(tag: str, stack: list[tuple[str, int, int]], facts: PageFacts, line: int,
           column: int) -> None:
    if tag in VOID_ELEMENTS:
        return
    if not any(open_tag == tag for open_tag, _l, _c in stack):
        facts.problems.append((f"closing tag </{tag}> without an opening tag", line, column))
        return
    while stack:
        open_tag, open_line, _open_column = stack.pop()
        if open_tag == tag:
            return
        facts.problems.append((f"<{open_tag}> opened at line {open_line} is not closed "
                               f"before </{tag}>", line, column))


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
"""(page path, base URL) -> what the checker learnt from it; keeps rebuilds cheap."""


def _check_page(page: str, content: bytes, base_path: str, base_url: str) -> _CheckedPage:
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
        if base_url and url.startswith(base_url):  # canonical and share links: ours, absolute
            url = base_path + url[len(base_url):]
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


def check_site(files: Mapping[str, bytes], shown_root: str, base_url: str = "",
               cache: PageCache | None = None) -> SiteReport:
    """Every broken link, missing anchor, malformed page and orphan in a rendered site.

    ``cache`` (kept by the caller between builds) skips pages whose bytes are unchanged.
    """
    base_path = url_path(base_url) if base_url else "/"
    cache = {} if cache is None else cache
    checked: dict[str, _CheckedPage] = {}
    for path, content in sorted(files.items()):
        if not path.endswith(".html"):
            continue
        known = cache.get((path, base_url))
        if known is None or not (known.content is content or known.content == content):
            known = cache[path, base_url] = _check_page(path, content, base_path, base_url)
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
