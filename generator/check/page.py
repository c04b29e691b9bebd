"""One page at a time: what a page's bytes alone tell (its ids, links, title, description
and unbalanced tags), kept small so a big site's reports fit in memory."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urlsplit

from generator.model import url_path
from generator.textscan import positions

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
    followed: set[str] = field(default_factory=set)  # targets of <a href>: links a reader follows


_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?[^>]*>"
    r"|<(?P<close>/?)(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)"
    r"(?P<attrs>[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>",  # runs, not one char at a time
    re.S)
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
_RAW_TEXT = {"script", "style", "textarea", "title"}
_SHARED_IMAGES = {"og:image", "twitter:image"}  # absolute links to our own share cards


def _attributes(text: str) -> dict[str, str]:
    return {name.lower(): unescape(double or single or bare)
            for name, double, single, bare in _ATTRIBUTE.findall(text)}


def parse_page(html: str) -> PageFacts:
    """Ids, links, title, description and unbalanced tags of one page.

    A tokenizer rather than html.parser: several times faster on big pages, and the pages it
    reads are our own output (raw HTML in content is checked for balance too). Attributes
    are read only where they can matter, and positions only for what is reported.
    """
    facts = PageFacts()
    position = positions(html)
    stack: list[tuple[str, int]] = []  # open tags and where they opened
    links: list[tuple[str, int]] = []
    problems: list[tuple[str, int]] = []
    resume: int | None = 0  # where to tokenize from: the start, then after each raw text
    while resume is not None:
        start, resume = resume, None
        for match in _TOKEN.finditer(html, start):
            close, tag, attrs = match.group("close", "tag", "attrs")
            if tag is None:
                continue
            tag = tag.lower()
            at = match.start()
            if close:
                if stack and stack[-1][0] == tag:  # the usual case, in constant time
                    stack.pop()
                else:
                    _close(tag, stack, problems, at, position)
                continue
            if "=" in attrs and (tag in _LINK_ATTRIBUTES or tag == "meta" or "id" in attrs
                                 or "srcset" in attrs):
                _read_attributes(facts, tag, _attributes(attrs), at, links, problems)
            if tag in _RAW_TEXT:
                after = match.end()
                end = re.compile(rf"</{tag}\s*>", re.I).search(html, after)
                if end is None:
                    problems.append((f"<{tag}> is never closed", at))
                    break
                if tag == "title":
                    facts.title = unescape(html[after:end.start()])
                resume = end.end()
                break
            if tag not in VOID_ELEMENTS and not attrs.rstrip().endswith("/"):
                stack.append((tag, at))
    problems += [(f"<{tag}> is never closed", at) for tag, at in stack]
    facts.links = [(url, *position(at)) for url, at in links]
    facts.problems = [(message, *position(at)) for message, at in problems]
    return facts


def _read_attributes(facts: PageFacts, tag: str, values: dict[str, str], at: int,
                     links: list[tuple[str, int]], problems: list[tuple[str, int]]) -> None:
    """What one start tag's attributes add: an id, links to check, the description."""
    ident = values.get("id")
    if ident is not None:
        if ident in facts.ids:
            problems.append((f"duplicate id '{ident}'", at))
        facts.ids.add(ident)
    if tag == "a" and values.get("name"):
        facts.ids.add(values["name"])
    attribute = _LINK_ATTRIBUTES.get(tag)
    if attribute and attribute in values:
        links.append((values[attribute], at))
        if tag == "a":
            facts.followed.add(values[attribute])
    if "srcset" in values:  # "a.webp 480w, b.webp 960w": every candidate must exist
        links += [(candidate.split()[0], at)
                  for candidate in values["srcset"].split(",") if candidate.strip()]
    if tag == "meta" and (values.get("property") or values.get("name")) in _SHARED_IMAGES:
        links.append((values.get("content", ""), at))
    if tag == "meta" and values.get("name") == "description":
        facts.description = values.get("content", "")


def _close(tag: str, stack: list[tuple[str, int]], problems: list[tuple[str, int]],
           at: int, position: Callable[[int], tuple[int, int]]) -> None:
    """A closing tag that does not close the innermost open one (that is handled inline)."""
    if tag in VOID_ELEMENTS:
        return
    if not any(open_tag == tag for open_tag, _at in stack):
        problems.append((f"closing tag </{tag}> without an opening tag", at))
        return
    while stack:
        open_tag, opened = stack.pop()
        if open_tag == tag:
            return
        problems.append((f"<{open_tag}> opened at line {position(opened)[0]} is not closed "
                         f"before </{tag}>", at))


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


Problem = tuple[str, int, int]  # (message, line, column)


@dataclass(frozen=True)  # no slots: thousands are pickled per build, and slots pickle slowly
class PageReport:
    """What one page needs checked against the rest of the site; small, so thousands can be
    kept while their bytes are long written away. Links within the page are already
    resolved: their problems are among ``problems``."""

    ids: frozenset[str]
    links: tuple[tuple[str, str, str, int, int], ...]  # (target, fragment, url, line, column)
    external: frozenset[str]
    problems: tuple[Problem, ...]


def check_page(page: str, content: bytes, base_url: str) -> PageReport:
    """Everything about one page that can be known from its bytes alone."""
    facts = parse_page(content.decode("utf-8"))
    own = [(f"malformed HTML: {message}", line, column)
           for message, line, column in facts.problems]
    if not facts.title.strip():
        own.append(("page has no <title>; expected every page to have one", 0, 0))
    if not (facts.description or "").strip():
        own.append(("page has no meta description; expected <meta name=\"description\" "
                    "content=\"…\">", 0, 0))
    return _report(page, facts, base_url, own, whole=True)


def check_fragment(page: str, fragment: str, base_url: str, line: int) -> PageReport:
    """A one-line part of ``page``, written on ``line`` after the page was checked (its
    related explainers): what ``check_page`` would find in it. Links into the page itself
    are left to the site check, which knows all the page's ids."""
    facts = parse_page(fragment)
    facts.links = [(url, line, column) for url, _line, column in facts.links]
    own = [(f"malformed HTML: {message}", line, column)
           for message, _line, column in facts.problems]
    return _report(page, facts, base_url, own, whole=False)


def with_fragment(report: PageReport, fragment: PageReport) -> PageReport:
    return PageReport(report.ids | fragment.ids, report.links + fragment.links,
                      report.external | fragment.external, report.problems + fragment.problems)


def _report(page: str, facts: PageFacts, base_url: str, own: list[Problem],
            whole: bool) -> PageReport:
    base_path = url_path(base_url) if base_url else "/"
    links = []
    external = set()
    for url, line, column in facts.links:
        if base_url and url.startswith(base_url):
            if url in facts.followed:  # a writer's link to the newsroom's own host: a page
                external.add(url)      # beyond this site (the site's own links are relative)
                continue
            url = base_path + url[len(base_url):]  # canonical and share links: ours, absolute
        if is_external(url):
            if url.startswith(("http://", "https://", "//")):
                external.add(url)
            continue
        target, fragment = resolve_link(page, url, base_path)
        if target.startswith("../") or target == "..":
            own.append((f"link '{url}' leaves the site; expected a page of this site", line,
                        column))
        elif target == page and whole:
            if fragment and fragment not in facts.ids:
                own.append((f"broken link '{url}': no id '{fragment}' in '{target}'", line,
                            column))
        else:
            links.append((target, fragment, url, line, column))
    return PageReport(frozenset(facts.ids), tuple(links), frozenset(external), tuple(own))
