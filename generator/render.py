"""Render stage: frozen models in, every output file as bytes out; nothing touches the disk."""

from __future__ import annotations

import hashlib
import posixpath
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.dates import PartialDate
from generator.errors import Diagnostic, SourceLocation, error
from generator.load import is_ignored
from generator.markup import ProseRenderer, plain_text
from generator.model import Explainer, Site, SiteConfig
from generator.opendata import (
    facts_document,
    news_article,
    script_json,
    timelinejs_document,
    to_json,
)

REQUIRED_TEMPLATES = ("home.html", "explainer.html", "404.html", "feed.xml", "sitemap.xml",
                      "robots.txt")
ASSET_FOLDER = "assets"

RenderedFiles = dict[str, bytes]
"""Output path (posix, relative to the output folder) -> exact file content."""


class TemplateProblem(Exception):  # noqa: N818 - carries a diagnostic, not a program error
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


class _ContainedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses templates reached through links out of the folder."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        root = Path(self.searchpath[0])
        path = root.joinpath(*template.split("/"))
        if path.exists() and not path.resolve().is_relative_to(root.resolve()):
            raise jinja2.TemplateNotFound(template, f"'{template}' links outside {root}")
        return super().get_source(environment, template)


@dataclass(frozen=True, slots=True)
class Assets:
    """Static files with content hashes in their names, so hosts may cache them forever."""

    urls: Mapping[str, str]  # "style.css" -> "assets/style.3f2a9c1d0b.css"
    files: Mapping[str, bytes]  # output path -> content


def hashed_name(name: str, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()[:10]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


def collect_assets(templates_dir: Path) -> tuple[Assets, list[Diagnostic]]:
    folder = templates_dir / ASSET_FOLDER
    urls: dict[str, str] = {}
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        return Assets(urls, files), problems
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or is_ignored(path.name):
            continue
        if not path.resolve().is_relative_to(templates_dir.resolve()):
            problems.append(error(SourceLocation(path.as_posix()), "is a link to a file outside "
                                                                   f"{templates_dir.as_posix()}/; "
                                                                   "expected a real file"))
            continue
        content = path.read_bytes()
        name = path.relative_to(folder).as_posix()
        output = f"{ASSET_FOLDER}/{hashed_name(name, content)}"
        urls[name] = output
        files[output] = content
    return Assets(urls, files), problems


def make_environment(templates_dir: Path) -> jinja2.Environment:
    """Autoescaped and strict: a misspelt variable fails the build instead of rendering blank."""
    env = jinja2.Environment(
        loader=_ContainedLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["datetime"] = lambda date: _date(date, "datetime").iso()
    env.filters["display"] = lambda date: _date(date, "display").display()
    env.filters["atom_date"] = lambda date: atom_date(_date(date, "atom_date"))
    return env


def atom_date(date: PartialDate) -> str:
    """RFC 3339, as Atom requires; a day is taken to begin at midnight UTC."""
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def _date(value: object, filter_name: str) -> PartialDate:
    if not isinstance(value, PartialDate):
        raise jinja2.TemplateRuntimeError(f"the '{filter_name}' filter needs a date, got "
                                          f"{type(value).__name__} {value!r}")
    return value


def relative_url(from_path: str, to_path: str) -> str:
    """A link that works from any folder of any host and from disk: no leading slash."""
    target, _, fragment = to_path.partition("#")
    start = posixpath.dirname(from_path) or "."
    link = posixpath.relpath(target, start) if target else ""
    if target.endswith("/") and not link.endswith("/"):
        link += "/"
    return link + (f"#{fragment}" if fragment else "")


def _template_location(exc: BaseException, templates_dir: Path) -> SourceLocation:
    """The template file and line a runtime error came from (Jinja keeps them in frames)."""
    root = str(templates_dir.resolve())
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename and str(Path(f.filename).resolve()).startswith(root)]
    if not frames:
        return SourceLocation(templates_dir.as_posix())
    frame = frames[-1]
    shown = (templates_dir / Path(frame.filename).resolve().relative_to(root)).as_posix()
    return SourceLocation(shown, frame.lineno or 0)


def _raised_in_generator(exc: BaseException) -> bool:
    """True when the failing line is our code; False when it is a template's expression."""
    frames = traceback.extract_tb(exc.__traceback__)
    package = str(Path(__file__).resolve().parent)
    return bool(frames) and str(Path(frames[-1].filename).resolve()).startswith(package)


def render_template(env: jinja2.Environment, templates_dir: Path, name: str,
                    context: Mapping[str, Any]) -> str:
    """Render one template, turning every Jinja failure into a located diagnostic."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = templates_dir / (exc.name or name)
        raise TemplateProblem(error(SourceLocation(where.as_posix(), exc.lineno),
                                    f"template syntax error: {exc.message}")) from None
    except jinja2.TemplateNotFound as exc:
        location = _template_location(exc, templates_dir)
        if location.line == 0:
            location = SourceLocation((templates_dir / exc.name).as_posix())
        raise TemplateProblem(error(location, f"template '{exc.name}' not found; expected "
                                              f"it in {templates_dir.as_posix()}/")) from None
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(error(_template_location(exc, templates_dir),
                                    f"undefined in template: {exc.message}")) from None
    except jinja2.TemplateError as exc:
        raise TemplateProblem(error(_template_location(exc, templates_dir),
                                    f"template error: {exc.message}")) from None
    except Exception as exc:
        if _raised_in_generator(exc):
            raise  # a bug in explainer itself, not a mistake in the template
        raise TemplateProblem(error(_template_location(exc, templates_dir),
                                    f"template error: {type(exc).__name__}: {exc}")) from None


@dataclass(frozen=True, slots=True)
class Renderer:
    """What every page needs: templates, environment and hashed assets."""

    templates_dir: Path
    env: jinja2.Environment
    assets: Assets

    def page(self, template: str, out_path: str, config: SiteConfig,
             **context: Any) -> tuple[str, bytes]:
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

        html = render_template(self.env, self.templates_dir, template, {
            "site": config, "url": url, "asset": asset, "out_path": out_path,
            "canonical_url": config.base_url + out_path.removesuffix("index.html"),
            **context,
        })
        return out_path, html.encode("utf-8")


def render_explainer(renderer: Renderer, config: SiteConfig,
                     explainer: Explainer) -> RenderedFiles:
    """One explainer's page and data; independent of every other explainer (cacheable)."""
    prose = ProseRenderer(explainer.sources, config.allow_raw_html)
    page_url = f"{config.base_url}{explainer.slug}/"
    path, html = renderer.page(
        "explainer.html", f"{explainer.slug}/index.html", config, explainer=explainer,
        block=prose.block, inline=prose.inline, cite=prose.cite, plain=prose.plain,
        sources={source.id: source for source in explainer.sources},
        note_count=lambda: prose.note_count,
        json_ld=Markup(script_json(news_article(explainer, config, page_url))),
    )
    return {
        path: html,
        f"{explainer.slug}/facts.json": to_json(facts_document(explainer, page_url)),
        f"{explainer.slug}/timeline.json": to_json(timelinejs_document(explainer)),
    }


def render_site_pages(renderer: Renderer, site: Site) -> RenderedFiles:
    """Pages that list or frame every explainer: the home page and the 404 page."""
    deks = {e.slug: plain_text(e.summary) for e in site.explainers}

    def dek(explainer: Explainer) -> str:
        """Listing pages show the dek without citations: the sources live on its own page."""
        return deks[explainer.slug]

    newest = max((e.last_changed for e in site.explainers), key=lambda d: d.sort_key,
                 default=None)
    listing = {"explainers": site.explainers, "dek": dek, "newest": newest}
    files = dict([
        renderer.page("home.html", "index.html", site.config, **listing),
        renderer.page("404.html", "404.html", site.config, **listing),
        renderer.page("feed.xml", "feed.xml", site.config, **listing),
        renderer.page("sitemap.xml", "sitemap.xml", site.config, **listing),
        renderer.page("robots.txt", "robots.txt", site.config, **listing),
    ])
    files.update(renderer.assets.files)
    return files


def prepare_renderer(templates_dir: Path) -> tuple[Renderer | None, list[Diagnostic]]:
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
    return Renderer(templates_dir, make_environment(templates_dir), assets), []


def attempt(job: Callable[[], RenderedFiles]) -> tuple[RenderedFiles, list[Diagnostic]]:
    """Run one rendering job, turning a template problem into a diagnostic."""
    try:
        return job(), []
    except TemplateProblem as problem:
        return {}, [problem.diagnostic]
