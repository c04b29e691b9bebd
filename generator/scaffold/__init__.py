"""``explainer new``: a new explainer's folder, ready to build, with TODOs where a writer
must fill something in.

``plan_explainer`` decides everything (refusing a bad slug, an existing folder or a seed
outside seeds/) and writes nothing; ``write_explainer`` puts the files in place at once, so a
refusal or a failure leaves content/ as it was. "Today" is a parameter, never read here.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.rules import ID_RULE, SITE_FOLDERS, is_id, is_ignored, suggest_id
from generator.scaffold.seed import SeedArticle, seed_markdown

SEED_SOURCE = "seed"
"""The id of the seed in the new sources.yaml; the article intro cites it."""
FIRST_SOURCE = "todo-source"


class Refused(Exception):  # noqa: N818 - a refusal to report, not an error of the program
    """Why the explainer was not created; nothing was written."""


@dataclass(frozen=True, slots=True)
class NewExplainer:
    slug: str
    folder: Path
    title: str
    seed: str | None  # project-relative, e.g. "seeds/report.txt"
    article: SeedArticle | None
    files: dict[str, str] = field(default_factory=dict)  # file name -> its text


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def check_slug(slug: str, content_dir: Path) -> Path:
    if not is_id(slug):
        example = suggest_id(slug) or "my-story"
        raise Refused(f"'{slug}' is not a valid slug: a slug is the explainer's folder name "
                      f"and web address, made of {ID_RULE}; for example '{example}'")
    if slug in SITE_FOLDERS:
        raise Refused(f"'{slug}' is the name of a folder of the site's own "
                      f"({', '.join(SITE_FOLDERS)}); choose another slug, e.g. '{slug}-story'")
    if not content_dir.is_dir():
        raise Refused(f"no content folder '{content_dir.as_posix()}'; run it in the project "
                      "folder (the one with content/ and seeds/) or pass --content DIR")
    folder = content_dir / slug
    if folder.exists() or folder.is_symlink():
        raise Refused(f"{folder.as_posix()}/ already exists; choose another slug, or edit "
                      "the explainer that is there")
    return folder


def read_seed(path: Path, project_root: Path) -> tuple[str, str]:
    """(the seed's project-relative name, its text), or Refused: only a UTF-8 text file in
    the project's seeds/ folder can be an explainer's seed."""
    seeds = project_root / "seeds"
    shown = path.as_posix()
    try:  # the name as written (symlinks kept), and where it really is: both in seeds/
        name = Path(os.path.normpath(path.absolute())).relative_to(seeds.absolute())
        path.resolve().relative_to(seeds.resolve())
    except ValueError:
        raise Refused(f"'{shown}' is outside {seeds.as_posix()}/; expected the source "
                      f"document there, unchanged (copy it in, then: --from "
                      f"{seeds.as_posix()}/{path.name})") from None
    if not path.is_file():
        what = "is not a file" if path.exists() else "not found"
        raise Refused(f"'{shown}' {what}; expected a plain-text file in {seeds.as_posix()}/")
    if any(is_ignored(part) for part in name.parts):
        raise Refused(f"'{shown}' is a hidden or editor file, which the build ignores; "
                      "expected a plain-text file with an ordinary name")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as bad:
        raise Refused(f"'{shown}' is not valid UTF-8 (byte 0x{data[bad.start]:02x} at offset "
                      f"{bad.start}); expected plain text saved as UTF-8") from None
    if not text.strip():
        raise Refused(f"'{shown}' is empty; expected the text of the source document")
    return ("seeds" / name).as_posix(), text


def _explainer_yaml(title: str, today: date, seed: str | None) -> str:
    lines = [f"# Made by 'explainer new' on {today.isoformat()}. Replace every TODO ('explainer",
             "# check' lists each one); the README's \"The content format\" explains the fields.",
             f"title: {_quoted(title)}",
             'summary: "TODO: the dek, one or two sentences: what happened and why it '
             'matters."',
             f"published: {today.isoformat()}"]
    if seed is not None:
        lines += [f"seed: {seed}",
                  f'article_intro: "The text of the report [@{SEED_SOURCE}], kept word for '
                  'word. TODO: say what it is (an original, a translation) and who published '
                  'it."']
    lines += ["# key_points:  3 to 6 short points readers need to know, each citing a source",
              f"#   - The first thing to know [@{SEED_SOURCE if seed else FIRST_SOURCE}].",
              "# tags: [Country, Topic]"]
    return "\n".join(lines) + "\n"


def _sources_yaml(seed: str | None, headline: str) -> str:
    head = "# Every source this explainer cites, numbered on the page in this order.\n"
    if seed is None:
        return head + (f"- id: {FIRST_SOURCE}\n"
                       '  title: "TODO: the title of the first source"\n'
                       '  publisher: "TODO: who published it"\n'
                       "  # date: YYYY-MM-DD   its date, if it has one\n"
                       "  # url: https://…     only an address you have checked\n")
    return head + (f"- id: {SEED_SOURCE}\n"
                   f"  title: {_quoted(headline or 'TODO: the title of the report')}\n"
                   '  publisher: "TODO: who published the report, e.g. BBC News"\n'
                   "  # date: YYYY-MM-DD   the report's date, if it has one\n"
                   "  # url: https://…     only an address you have checked\n"
                   f"  note: The source document, kept unchanged as {seed}.\n")


def _article_md(article: SeedArticle | None) -> str:
    if article is not None:
        return article.markdown
    return ("## TODO: the headline\n\n"
            f"TODO: the article's text in Markdown; cite a source like this [@{FIRST_SOURCE}].\n")


def plan_explainer(content_dir: Path, slug: str, *, today: date, seed_path: Path | None = None,
                   title: str | None = None) -> NewExplainer:
    """Everything ``explainer new`` will write, or Refused. Reads, never writes."""
    folder = check_slug(slug, content_dir)
    if title is not None and not title.strip():
        raise Refused("--title is empty; expected the explainer's title, or leave it out")
    seed, article = None, None
    if seed_path is not None:
        seed, text = read_seed(seed_path, content_dir.parent)
        article = seed_markdown(text)
    headline = article.headline if article else ""
    chosen = " ".join((title or headline or "TODO: the explainer's title").split())
    files = {"explainer.yaml": _explainer_yaml(chosen, today, seed),
             "sources.yaml": _sources_yaml(seed, headline),
             "article.md": _article_md(article)}
    return NewExplainer(slug, folder, chosen, seed, article, files)


def write_explainer(new: NewExplainer) -> list[Path]:
    """The files, written into a hidden folder beside the new one and renamed into place, so
    the explainer appears whole or not at all. Returns the paths written."""
    staging = new.folder.with_name(f".new-{new.slug}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir()
        for name, text in new.files.items():
            (staging / name).write_text(text, encoding="utf-8")
        staging.rename(new.folder)
    except OSError as failed:
        shutil.rmtree(staging, ignore_errors=True)
        raise Refused(f"could not write {new.folder.as_posix()}/: "
                      f"{failed.strerror or failed}") from None
    return [new.folder / name for name in new.files]
