"""Load stage: read the content folder into raw, located data without judging its meaning."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator.errors import Diagnostic, SourceLocation, did_you_mean, error, warning
from generator.load.files import display, inside, list_folder, list_folder_kinds, read_text
from generator.load.images import read_image_folder, read_picture
from generator.load.yamlparse import parse_yaml
from generator.raw import RawDocuments, RawExplainer, RawFrame, TextFile, YamlNode
from generator.records import KINDS
from generator.rules import (
    ID_RULE,
    IMAGE_FOLDER,
    IMAGE_SUFFIXES,
    SITE_FOLDERS,
    is_id,
    is_ignored,
    suggest_id,
)

SITE_CONFIG = "site.yaml"
EXPLAINER_FILE = "explainer.yaml"
ARTICLE_FILE = "article.md"
REQUIRED_FILES = (EXPLAINER_FILE, ARTICLE_FILE,
                  *dict.fromkeys(k.file for k in KINDS if k.required))
OPTIONAL_FILES = tuple(dict.fromkeys(k.file for k in KINDS
                                     if not (k.required or k.site_only)))
KNOWN_FILES = REQUIRED_FILES + OPTIONAL_FILES
SHARED_FILES = tuple(dict.fromkeys(k.file for k in KINDS if k.shared))
SITE_ONLY_FILES = tuple(k.file for k in KINDS if k.site_only)
"""Fact files the whole site may share, written directly in content/."""


def _load_yaml(path: Path, root: Path) -> tuple[YamlNode | None, list[Diagnostic]]:
    text, problems = read_text(path, root)
    if text is None:
        return None, problems
    return parse_yaml(display(path), text)


def _read_documents(folder: Path, names: list[Path], content_root: Path
                    ) -> tuple[RawDocuments, list[Diagnostic]]:
    """Parse the named files of one folder: YAML into located nodes, Markdown as text."""
    problems: list[Diagnostic] = []
    yaml_files: dict[str, YamlNode] = {}
    markdown: dict[str, TextFile] = {}
    for entry in names:
        if entry.name.endswith(".md"):
            text, file_problems = read_text(entry, content_root)
            problems += file_problems
            if text is None:
                continue
            if not text.strip():
                problems.append(error(SourceLocation(display(entry), 1, 1),
                                      "file is empty; expected Markdown text"))
            else:
                markdown[entry.name] = TextFile(display(entry), text)
        else:
            node, file_problems = _load_yaml(entry, content_root)
            problems += file_problems
            if node is not None:
                yaml_files[entry.name] = node
    present = frozenset(entry.name for entry in names)
    return RawDocuments(display(folder), yaml_files, markdown, present), problems


def load_explainer(folder: Path, content_root: Path) -> tuple[RawExplainer, list[Diagnostic]]:
    """Read one explainer folder; per-explainer so results can be cached and rebuilt alone."""
    problems: list[Diagnostic] = []
    slug = folder.name
    if not is_id(slug):
        suggestion = suggest_id(slug) or "my-explainer"
        problems.append(error(SourceLocation(display(folder)),
                              f"folder name '{slug}' is not a plain name; expected {ID_RULE}, "
                              f"such as '{suggestion}'"))
    elif slug in SITE_FOLDERS:
        problems.append(error(SourceLocation(display(folder)),
                              f"folder name '{slug}' is taken by the site's own pages "
                              f"({', '.join(SITE_FOLDERS)}); expected another name, such as "
                              f"'{slug}-explainer'"))
    known: list[Path] = []
    images: dict[str, bytes] = {}
    image_names: frozenset[str] = frozenset()  # read or not: an unreadable one is reported
    entries, unreadable = list_folder(folder)
    problems += unreadable
    for entry in entries:
        if is_ignored(entry.name):
            continue
        if entry.name == IMAGE_FOLDER:
            images, image_names, found = read_image_folder(entry, content_root)
            problems += found
            continue
        if entry.name in SITE_ONLY_FILES:
            problems.append(error(SourceLocation(display(entry)),
                                  f"'{entry.name}' belongs directly in "
                                  f"{display(content_root)}/, not in an explainer folder: it "
                                  "is written once for the whole site"))
            continue
        if entry.name not in KNOWN_FILES:
            kind = "folder" if entry.is_dir() else "file"
            problems.append(error(SourceLocation(display(entry)),
                                  f"unknown {kind} '{entry.name}' in an explainer folder"
                                  f"{did_you_mean(entry.name, KNOWN_FILES)} (expected: "
                                  f"{', '.join(KNOWN_FILES)}, {IMAGE_FOLDER}/)"))
            continue
        known.append(entry)
    documents, found = _read_documents(folder, known, content_root)
    documents = replace(documents, present=documents.present | image_names)
    problems += found
    for name in REQUIRED_FILES:
        if name not in documents.present:
            problems.append(error(SourceLocation(display(folder / name)),
                                  f"missing required file '{name}' for explainer '{slug}'; "
                                  f"every explainer needs {', '.join(REQUIRED_FILES)}"))
    return RawExplainer(slug, documents, images), problems


def list_seed_files(project_root: Path) -> frozenset[str]:
    """Seed documents that explainers may name, as project-relative posix paths."""
    seeds = project_root / "seeds"
    if not seeds.is_dir():
        return frozenset()
    return frozenset(
        p.relative_to(project_root).as_posix()
        for p in seeds.rglob("*")
        if p.is_file() and not is_ignored(p.name) and inside(p, seeds)
    )


def load_frame(content_dir: Path) -> tuple[RawFrame, list[Diagnostic]]:
    """Read ``site.yaml`` and the shared fact files, and find the explainer folders."""
    shown = display(content_dir)
    config_path = content_dir / SITE_CONFIG
    empty = RawDocuments(shown, {}, {}, frozenset())
    if not content_dir.is_dir():
        what = "is not a folder" if content_dir.exists() else "not found"
        return RawFrame(display(config_path), None, empty, (), frozenset()), [
            error(SourceLocation(shown), f"content folder {what}; expected a folder with "
                                         f"{SITE_CONFIG} and one folder per explainer")]
    problems: list[Diagnostic] = []
    config: YamlNode | None = None
    if config_path.is_file():
        config, config_problems = _load_yaml(config_path, content_dir)
        problems += config_problems
    else:
        problems.append(error(SourceLocation(display(config_path)),
                              f"missing site configuration '{SITE_CONFIG}'; expected title, "
                              "description, language and base_url"))
    shared: list[Path] = []
    images: dict[str, bytes] = {}
    entries, unreadable = list_folder_kinds(content_dir)
    problems += unreadable
    for entry, is_folder in entries:
        if is_folder or not entry.is_file() or entry.name == SITE_CONFIG or \
                is_ignored(entry.name):
            continue
        if entry.name in SHARED_FILES:
            shared.append(entry)
            continue
        if entry.suffix.lower() in IMAGE_SUFFIXES:  # the site's logo; validation says if used
            data, found = read_picture(entry, content_dir)
            problems += found
            if data is not None:
                images[entry.name] = data
            continue
        problems.append(warning(SourceLocation(display(entry)),
                                f"file ignored: only {SITE_CONFIG}, the shared fact files "
                                f"({', '.join(SHARED_FILES)}) and explainer folders belong "
                                f"directly in {shown}/"))
    documents, found = _read_documents(content_dir, shared, content_dir)
    problems += found
    folders = tuple(p for p, is_folder in entries if is_folder and not is_ignored(p.name))
    if not folders:
        problems.append(error(SourceLocation(shown), "no explainers found; expected at least "
                                                     "one folder such as "
                                                     f"{shown}/my-explainer/"))
    seeds = list_seed_files(content_dir.parent)
    return RawFrame(display(config_path), config, documents, folders, seeds, images), problems
