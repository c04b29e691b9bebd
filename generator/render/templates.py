"""Jinja2 set up the strict way, and template failures turned into located diagnostics."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from generator.dates import PartialDate
from generator.errors import Diagnostic, SourceLocation, error
from generator.render.typography import curly_quotes

REQUIRED_TEMPLATES = ("home.html", "explainer.html", "404.html", "feed.xml", "sitemap.xml",
                      "robots.txt")


class TemplateProblem(Exception):  # noqa: N818 - carries a diagnostic, not a program error
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


class RenderProblems(Exception):  # noqa: N818 - carries diagnostics, not a program error
    """Content found unusable only when it is rendered: a damaged picture, a title the share
    card cannot draw."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics


class _ContainedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses templates reached through links out of the folder."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        root = Path(self.searchpath[0])
        path = root.joinpath(*template.split("/"))
        if path.exists() and not path.resolve().is_relative_to(root.resolve()):
            raise jinja2.TemplateNotFound(template, f"'{template}' links outside {root}")
        return super().get_source(environment, template)


def make_environment(templates_dir: Path,
                     code_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Autoescaped and strict: a misspelt variable fails the build instead of rendering blank.
    ``code_cache`` keeps compiled templates between processes."""
    env = jinja2.Environment(
        loader=_ContainedLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=code_cache,
    )
    env.finalize = _typeset
    env.filters["datetime"] = lambda date: _date(date, "datetime").iso()
    env.filters["display"] = lambda date: _date(date, "display").display()
    env.filters["atom_date"] = lambda date: atom_date(_date(date, "atom_date"))
    return env


def _typeset(value: object) -> object:
    """Every plain text a template prints (a title, a label, a name from YAML) gets curly
    quotes; markup already made (Markup) and addresses are printed as they are."""
    if type(value) is str and ("'" in value or '"' in value) and "://" not in value:
        return curly_quotes(value)
    return value


def atom_date(date: PartialDate) -> str:
    """RFC 3339, as Atom requires; a day is taken to begin at midnight UTC."""
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def _date(value: object, filter_name: str) -> PartialDate:
    if not isinstance(value, PartialDate):
        raise jinja2.TemplateRuntimeError(f"the '{filter_name}' filter needs a date, got "
                                          f"{type(value).__name__} {value!r}")
    return value


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
    package = str(Path(__file__).resolve().parent.parent)
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
            location = SourceLocation((templates_dir / str(exc.name)).as_posix())
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
