"""Load stage: read the content folder into raw, located data without judging its meaning."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Diagnostic, SourceLocation, did_you_mean, error, warning
from generator.yamlsource import YamlNode, parse_yaml

MAX_FILE_BYTES = 2 * 1024 * 1024
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SITE_CONFIG = "site.yaml"
REQUIRED_FILES = ("explainer.yaml", "article.md", "sources.yaml")
OPTIONAL_FILES = (
    "background.md", "timeline.yaml", "figures.yaml", "people.yaml", "places.yaml",
    "glossary.yaml",
)
KNOWN_FILES = REQUIRED_FILES + OPTIONAL_FILES


@dataclass(frozen=True, slots=True)
class TextFile:
    """A Markdown file's text; ``path`` is the name shown in messages."""

    path: str
    text: str


@dataclass(frozen=True, slots=True)
class RawExplainer:
    slug: str
    folder: str
    yaml: Mapping[str, YamlNode]  # file name -> parsed document (files that parsed)
    markdown: Mapping[str, TextFile]  # file name -> text
    present: frozenset[str]  # every known file that exists, readable or not

    def path_of(self, name: str) -> str:
        return f"{self.folder}/{name}"


@dataclass(frozen=True, slots=True)
class RawSite:
    config_path: str
    config: YamlNode | None
    explainers: tuple[RawExplainer, ...]
    seed_files: frozenset[str]  # project-relative paths such as "seeds/report.txt"


def is_ignored(name: str) -> bool:
    """Editor droppings and hidden files are never content."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


def _display(path: Path) -> str:
    return path.as_posix()


def _inside(path: Path, root: Path) -> bool:
    """True when ``path`` resolves (following symlinks) to somewhere under ``root``."""
    return path.resolve().is_relative_to(root.resolve())


def read_text(path: Path, root: Path) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 file under ``root``, refusing what a person could not have meant."""
    shown = _display(path)
    at_start = SourceLocation(shown, 1, 1)
    if not _inside(path, root):
        return None, [error(SourceLocation(shown), "is a link to a file outside "
                                                   f"{_display(root)}/; expected a real file")]
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [error(at_start, f"file is too large ({size:,} bytes); expected at "
                                          f"most {MAX_FILE_BYTES:,} bytes")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(SourceLocation(shown), f"cannot be read: {exc.strerror}")]
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [error(at_start, "file starts with a byte-order mark; expected UTF-8 "
                                      "without BOM (re-save it as plain UTF-8)")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        return None, [error(SourceLocation(shown, line, column),
                            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); expected the "
                            "file to be saved as UTF-8")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        return None, [error(at_start, "file contains NUL bytes; expected a text file")]
    return text, []


def _load_yaml(path: Path, root: Path) -> tuple[YamlNode | None, list[Diagnostic]]:
    text, problems = read_text(path, root)
    if text is None:
        return None, problems
    return parse_yaml(_display(path), text)


def load_explainer(folder: Path, content_root: Path) -> tuple[RawExplainer, list[Diagnostic]]:
    """Read one explainer folder; per-explainer so results can be cached and rebuilt alone."""
    problems: list[Diagnostic] = []
    slug = folder.name
    if not SLUG_PATTERN.fullmatch(slug):
        suggestion = "-".join(re.findall(r"[a-z0-9]+", slug.lower())) or "my-explainer"
        problems.append(error(SourceLocation(_display(folder)),
                              f"folder name '{slug}' is not a plain name; expected lowercase "
                              f"letters, digits and single hyphens, such as '{suggestion}'"))
    yaml_files: dict[str, YamlNode] = {}
    markdown: dict[str, TextFile] = {}
    present: set[str] = set()
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if is_ignored(entry.name):
            continue
        if entry.name not in KNOWN_FILES:
            kind = "folder" if entry.is_dir() else "file"
            problems.append(error(SourceLocation(_display(entry)),
                                  f"unknown {kind} '{entry.name}' in an explainer folder"
                                  f"{did_you_mean(entry.name, KNOWN_FILES)} (expected: "
                                  f"{', '.join(KNOWN_FILES)})"))
            continue
        present.add(entry.name)
        if entry.name.endswith(".md"):
            text, file_problems = read_text(entry, content_root)
            problems += file_problems
            if text is not None:
                if not text.strip():
                    problems.append(error(SourceLocation(_display(entry), 1, 1),
                                          "file is empty; expected Markdown text"))
                else:
                    markdown[entry.name] = TextFile(_display(entry), text)
        else:
            node, file_problems = _load_yaml(entry, content_root)
            problems += file_problems
            if node is not None:
                yaml_files[entry.name] = node
    for name in REQUIRED_FILES:
        if name not in present:
            problems.append(error(SourceLocation(_display(folder / name)),
                                  f"missing required file '{name}' for explainer '{slug}'; "
                                  f"every explainer needs {', '.join(REQUIRED_FILES)}"))
    raw = RawExplainer(slug, _display(folder), yaml_files, markdown, frozenset(present))
    return raw, problems


def list_seed_files(project_root: Path) -> frozenset[str]:
    """Seed documents that explainers may name, as project-relative posix paths."""
    seeds = project_root / "seeds"
    if not seeds.is_dir():
        return frozenset()
    return frozenset(
        p.relative_to(project_root).as_posix()
        for p in seeds.rglob("*")
        if p.is_file() and not is_ignored(p.name) and _inside(p, seeds)
    )


def explainer_folders(content_dir: Path) -> list[Path]:
    return sorted(
        (p for p in content_dir.iterdir() if p.is_dir() and not is_ignored(p.name)),
        key=lambda p: p.name,
    )


@dataclass(frozen=True, slots=True)
class RawFrame:
    """The site-wide part of the content folder: config, explainer folders and seeds."""

    config_path: str
    config: YamlNode | None
    folders: tuple[Path, ...]
    seed_files: frozenset[str]


def load_frame(content_dir: Path) -> tuple[RawFrame, list[Diagnostic]]:
    """Read ``site.yaml`` and find the explainer folders, without reading them yet."""
    shown = _display(content_dir)
    config_path = content_dir / SITE_CONFIG
    if not content_dir.is_dir():
        what = "is not a folder" if content_dir.exists() else "not found"
        return RawFrame(_display(config_path), None, (), frozenset()), [
            error(SourceLocation(shown), f"content folder {what}; expected a folder with "
                                         f"{SITE_CONFIG} and one folder per explainer")]
    problems: list[Diagnostic] = []
    config: YamlNode | None = None
    if config_path.is_file():
        config, config_problems = _load_yaml(config_path, content_dir)
        problems += config_problems
    else:
        problems.append(error(SourceLocation(_display(config_path)),
                              f"missing site configuration '{SITE_CONFIG}'; expected title, "
                              "description, language and base_url"))
    for entry in sorted(content_dir.iterdir(), key=lambda p: p.name):
        if entry.is_file() and entry.name != SITE_CONFIG and not is_ignored(entry.name):
            problems.append(warning(SourceLocation(_display(entry)),
                                    "file ignored: only site.yaml and explainer folders belong "
                                    f"directly in {shown}/"))
    folders = tuple(explainer_folders(content_dir))
    if not folders:
        problems.append(error(SourceLocation(shown), "no explainers found; expected at least "
                                                     "one folder such as "
                                                     f"{shown}/my-explainer/"))
    seeds = list_seed_files(content_dir.parent)
    return RawFrame(_display(config_path), config, folders, seeds), problems


def load_site(content_dir: Path) -> tuple[RawSite, list[Diagnostic]]:
    """Read ``content/``: the site config and every explainer folder, in name order."""
    frame, problems = load_frame(content_dir)
    explainers = []
    for folder in frame.folders:
        raw, folder_problems = load_explainer(folder, content_dir)
        explainers.append(raw)
        problems += folder_problems
    return RawSite(frame.config_path, frame.config, tuple(explainers), frame.seed_files), problems
