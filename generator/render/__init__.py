"""Render stage: frozen records in, every output file as bytes out, in memory. The only file
it writes is its cache of processed pictures and share cards (``cache.PictureStore``), which
never changes what is rendered, only how fast."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.dates import PartialDate
from generator.errors import Diagnostic, SourceLocation, error
from generator.model import Explainer, Listing, Site, SiteConfig
from generator.records import Author, Event, Source
from generator.render.assets import ASSET_FOLDER, Assets, collect_assets
from generator.render.cache import PictureStore
from generator.render.finish import backlinks_token, finish
from generator.render.graphics import coordinates, render_graphics
from generator.render.listings import (
    RELATED_SLOT,
    author_pages,
    bylines,
    related_explainers,
    topic_pages,
)
from generator.render.markup import (
    Fragments,
    MarkdownConverter,
    ProseRenderer,
    count_notes,
)
from generator.render.opendata import (
    facts_document,
    news_article,
    script_json,
    timelinejs_document,
    to_json,
)
from generator.render.page import entry_names, figure_groups, rail_marks, reading_minutes
from generator.render.pictures import PictureView, explainer_pictures, site_pictures, teaser_view
from generator.render.search import BUNDLE, SEARCH_PAGE, SEARCH_TEMPLATE, index_parts
from generator.render.templates import (
    REQUIRED_TEMPLATES,
    RenderProblems,
    TemplateProblem,
    make_environment,
    render_template,
)

__all__ = ["RELATED_SLOT", "Renderer", "attempt", "prepare_renderer", "related_blocks",
           "relative_url", "render_explainer", "render_site_pages"]

RenderedFiles = dict[str, bytes]
"""Output path (posix, relative to the output folder) -> exact file content."""


def relative_url(from_path: str, to_path: str) -> str:
    """A link that works from any folder of any host and from disk: no leading slash."""
    target, _, fragment = to_path.partition("#")
    start = posixpath.dirname(from_path) or "."
    link = _relative(target, start) if target else ""
    if target.endswith("/") and not link.endswith("/"):
        link += "/"
    return link + (f"#{fragment}" if fragment else "")


def _relative(target: str, start: str) -> str:
    """``posixpath.relpath`` for the plain site paths pages link to, without its two
    absolute paths per call (a listing page of a big site links thousands of times)."""
    if not _PLAIN_PATH.fullmatch(target) or not (start == "." or _PLAIN_PATH.fullmatch(start)):
        return posixpath.relpath(target, start)
    here = [] if start == "." else start.split("/")
    there = target.rstrip("/").split("/")
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


_PLAIN_PATH = re.compile(r"(?!\.\.?(?:/|$))[^/]+(?:/(?!\.\.?(?:/|$))[^/]+)*/?")
"""Relative, with no empty, '.' or '..' segment: where string work equals relpath's."""


@dataclass(frozen=True, slots=True)
class Renderer:
    """What every page needs: templates, environment and hashed assets."""

    templates_dir: Path
    env: jinja2.Environment
    assets: Assets
    _converters: dict[bool, MarkdownConverter] = field(default_factory=dict)

    def converter(self, allow_raw_html: bool) -> MarkdownConverter:
        """One Markdown converter per setting, for every page this process renders."""
        if allow_raw_html not in self._converters:
            self._converters[allow_raw_html] = MarkdownConverter(allow_raw_html)
        return self._converters[allow_raw_html]
    has_search: bool = False  # the templates have a search page: build it and its index

    def has(self, template: str) -> bool:
        """Optional templates (topic and author pages, related explainers): a site whose
        templates leave one out gets no such pages."""
        return (self.templates_dir / template).is_file()

    def page(self, template: str, out_path: str, config: SiteConfig,
             **context: Any) -> tuple[str, str]:
        absolute = template == "404.html"  # served at any depth, so links start at the root

        def url(target: str) -> str:
            if absolute:
                return config.base_path + target
            return relative_url(out_path, target)

        def asset(name: str) -> str:
            if name not in self.assets.urls:
                raise jinja2.TemplateRuntimeError(
                    f"no asset '{name}' in {self.templates_dir.as_posix()}/{ASSET_FOLDER}/; "
                    f"expected one of: {', '.join(sorted(self.assets.urls)) or 'none'}")
            return url(self.assets.urls[name])

        text = render_template(self.env, self.templates_dir, template, {
            "site": config, "url": url, "asset": asset, "out_path": out_path,
            "canonical_url": config.base_url + out_path.removesuffix("index.html"),
            "share_card": None,
            "search_url": url(SEARCH_PAGE) if self.has_search else None,
            **context,
        })
        return out_path, text

    def picture(self, view: PictureView) -> Markup:
        """One picture through ``partials/image.html``, for a page or for Markdown."""
        return Markup(render_template(self.env, self.templates_dir, "partials/image.html",
                                      {"picture": view}))

def render_explainer(renderer: Renderer, config: SiteConfig, explainer: Explainer,
                     fragments: Fragments | None = None,
                     store: PictureStore | None = None,
                     today: PartialDate | None = None) -> RenderedFiles:
    """One explainer's page, data, pictures and share card; independent of every other
    explainer (cacheable). ``fragments``: its prose already converted (filled in with what
    this render converts); ``store`` keeps processed pictures (see ``cache``); ``today``:
    the build's date, which says whether it is still a draft."""
    store = PictureStore(None) if store is None else store
    names = entry_names(explainer)
    prose = ProseRenderer(explainer.of(Source), renderer.converter(config.allow_raw_html),
                          fragments, names)
    plain = prose.plain
    page_url = f"{config.base_url}{explainer.slug}/"
    out_path = f"{explainer.slug}/index.html"
    pictures = explainer_pictures(explainer, config, store, prose, renderer.picture,
                                  lambda target: relative_url(out_path, target),
                                  renderer.assets)
    helpers: dict[str, Callable[..., Any]] = {
        "inline": prose.inline, "cite": prose.cite, "plain": plain, "coordinates": coordinates}
    graphics = render_graphics(renderer.env, renderer.templates_dir, explainer, helpers)
    for (kind, ident), graphic in graphics.items():
        prose.place(kind, ident, Markup(graphic))
    known = {a.id: a for a in explainer.of(Author)}
    authors = [known[i] for i in explainer.meta.authors if i in known]
    path, html = renderer.page(
        "explainer.html", out_path, config, explainer=explainer,
        block=prose.block, **helpers,
        notes_in=count_notes, sections=explainer.kinds_shown, cited_from=backlinks_token,
        figures=figure_groups(explainer), reading_minutes=reading_minutes(explainer),
        rail=rail_marks(explainer.of(Event)),
        unplaced_graphics=[graphics[kind, ident] for kind, ident in graphics
                           if (kind, ident) not in explainer.placed],
        json_ld=Markup(script_json(news_article(explainer, config, page_url, plain,
                                                pictures.json_ld_images, pictures.logo,
                                                authors))),
        lead_picture=pictures.lead, share_card=pictures.card, authors=authors,
        updates=sorted(explainer.meta.updates, key=lambda u: u.date.sort_key, reverse=True),
        held=explainer.meta.held_back(today), related_slot=Markup(RELATED_SLOT),
    )
    return {
        path: finish(html, set(names.values())).encode("utf-8"),
        f"{explainer.slug}/facts.json": to_json(facts_document(explainer, page_url, plain)),
        f"{explainer.slug}/timeline.json": to_json(timelinejs_document(explainer, plain)),
        **pictures.files,
    }


def render_site_pages(renderer: Renderer, site: Site, store: PictureStore | None = None,
                      config_path: str = "content/site.yaml",
                      search_index: bool = True) -> RenderedFiles:
    """Pages that list or frame every explainer: the home page, the 404 page, feeds, and
    the search page (which loads the search index only where one is built)."""
    plain = renderer.converter(site.config.allow_raw_html).plain
    deks = {e.slug: plain(e.summary) for e in site.explainers}

    def dek(explainer: Listing) -> str:
        """Listing pages show the dek without citations: the sources live on its own page."""
        return deks[explainer.slug]

    store = PictureStore(None) if store is None else store
    teasers, card, files = site_pictures(
        site.explainers, site.config, store, renderer.picture,
        lambda target: relative_url("index.html", target), renderer.assets, config_path)
    newest = max((e.last_changed for e in site.published), key=lambda d: d.sort_key,
                 default=None)
    topics = topic_pages(site) if renderer.has("topic.html") else ()
    def from_a_topic_page(target: str) -> str:  # every topic page is as deep as another
        return relative_url("topics/t/index.html", target)

    topic_teasers = {e.slug: renderer.picture(teaser_view(e.lead, from_a_topic_page, lazy=True))
                     for e in site.explainers if topics and e.lead is not None}
    authors = author_pages(site) if renderer.has("author.html") else ()
    listing = {"explainers": site.explainers, "dek": dek, "newest": newest,
               "published": site.published, "topics": topics, "author_pages": authors,
               "authors_of": lambda explainer: bylines(explainer, site),
               "teaser_picture": lambda explainer, on_topic_page=False: (
                   topic_teasers if on_topic_page else teasers).get(explainer.slug),
               "search_index": search_index,
               "search_bundles": [f"{bundle}/" for bundle in index_parts(
                   f"{e.slug}/index.html" for e in site.explainers)] or [f"{BUNDLE}/"]}
    pages = [("home.html", "index.html"), ("404.html", "404.html"), ("feed.xml", "feed.xml"),
             ("sitemap.xml", "sitemap.xml"), ("robots.txt", "robots.txt")]
    if renderer.has_search:
        pages.append((SEARCH_TEMPLATE, SEARCH_PAGE))
    pages += [("topic.html", t.topic.path) for t in topics]
    pages += [("author.html", a.path) for a in authors]
    about = {**{t.topic.path: t for t in topics}, **{a.path: a for a in authors}}
    for template, out_path in pages:
        extra: dict[str, object] = {"share_card": card} \
            if template in ("home.html", SEARCH_TEMPLATE) or out_path in about else {}
        if out_path in about:  # a topic or author page, with the site's share card
            extra["page"] = about[out_path]
        path, text = renderer.page(template, out_path, site.config, **listing, **extra)
        files[path] = text.encode("utf-8")
    files.update(renderer.assets.files)
    return files


def related_blocks(renderer: Renderer, site: Site) -> RenderedFiles:
    """Each explainer's related explainers, rendered for its slot (see ``listings``)."""
    if not renderer.has("partials/related.html"):
        return {}
    blocks = {}
    related_of = related_explainers(site)
    for explainer in site.explainers:
        related = related_of[explainer.slug]
        if related:
            _path, text = renderer.page("partials/related.html", f"{explainer.slug}/index.html",
                                        site.config, related=related)
            one_line = " ".join(part.strip() for part in text.splitlines() if part.strip())
            blocks[explainer.slug] = one_line.encode("utf-8")  # the page's lines stay put
    return blocks


def prepare_renderer(templates_dir: Path, code_cache: jinja2.BytecodeCache | None = None,
                     ) -> tuple[Renderer | None, list[Diagnostic]]:
    """Templates, environment and hashed assets, or the problems that prevent rendering."""
    if not templates_dir.is_dir():
        what = "is not a folder" if templates_dir.exists() else "not found"
        return None, [error(SourceLocation(templates_dir.as_posix()),
                            f"templates folder {what}; expected "
                            f"{', '.join(REQUIRED_TEMPLATES)}")]
    problems = [
        error(SourceLocation((templates_dir / name).as_posix()),
              f"missing template '{name}'; every site needs {', '.join(REQUIRED_TEMPLATES)}")
        for name in REQUIRED_TEMPLATES if not (templates_dir / name).is_file()
    ]
    assets, asset_problems = collect_assets(templates_dir)
    problems += asset_problems
    if problems:
        return None, problems
    return Renderer(templates_dir, make_environment(templates_dir, code_cache), assets,
                    has_search=(templates_dir / SEARCH_TEMPLATE).is_file()), []


def attempt(job: Callable[[], RenderedFiles]) -> tuple[RenderedFiles, list[Diagnostic]]:
    """Run one rendering job, turning a template problem into a diagnostic."""
    try:
        return job(), []
    except TemplateProblem as problem:
        return {}, [problem.diagnostic]
    except RenderProblems as problems:
        return {}, list(problems.diagnostics)
