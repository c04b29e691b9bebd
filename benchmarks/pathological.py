"""Inputs that once cost a build seconds to minutes of CPU, and what each costs now.

``python benchmarks/pathological.py`` builds the minimal fixture once per input (each far
below the 2 MB file limit) and prints the CPU time of each beside a build of the plain
fixture, worst last. ``tests/test_pathological.py`` asserts the same cases against 2 s (or,
on a slower machine, eight plain builds).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "minimal"
ARTICLE = "content/sample-explainer/article.md"
EXPLAINER = "content/sample-explainer/explainer.yaml"
FIGURES = "content/sample-explainer/figures.yaml"


def _article(body: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        (root / ARTICLE).write_text(f"## Sample headline\n\n{body}\n\nThe end "
                                    "[@sample-report] [@sample-history].\n", encoding="utf-8")
    return edit


def _raw_article(body: str) -> Callable[[Path], None]:
    """The article, with raw HTML allowed in site.yaml."""
    def edit(root: Path) -> None:
        _article(body)(root)
        config = root / "content" / "site.yaml"
        config.write_text(config.read_text(encoding="utf-8") + "allow_raw_html: true\n",
                          encoding="utf-8")
    return edit


def _yaml_field(file: str, key: str, value: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / file
        lines = path.read_text(encoding="utf-8").splitlines()
        indent = next(line[: len(line) - len(line.lstrip())] for line in lines
                      if line.lstrip().lstrip("- ").startswith(f"{key}:"))
        kept = [line for line in lines if not line.lstrip().lstrip("- ").startswith(f"{key}:")]
        prefix = "- " if file == FIGURES and key == "id" else ""
        kept.append(f"{indent}{prefix}{key}: {value}")
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return edit


def _write(file: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        (root / file).write_text(text, encoding="utf-8")
    return edit


KB = 1024
CASES: dict[str, Callable[[Path], None]] = {
    "20 KB line of '['": _article("[" * 20 * KB),
    "20 KB line of '!['": _article("![" * 10 * KB),
    "20 KB line of '{=='": _article("{==" * 7 * KB),
    "20 KB line of '[x]('": _article("[x](" * 5 * KB),
    "20 KB line of '[@'": _article("[@" * 10 * KB),
    "20 KB line of '<b '": _article("<b " * 7 * KB),
    "20 KB line of '`'": _article("`a" * 10 * KB),
    "20 KB line of '==}{>>'": _article("{==a==}{>>" * 2 * KB),
    "20 KB line of '::: box'": _article("::: box\n" * 2 * KB),
    "20 KB line of '<http://a'": _article("<http://a" * 2 * KB),
    "24 KB of unclosed '<a ' with raw HTML allowed": _raw_article("<a " * 8 * KB),
    "6 KB line of '1. ' (lists nested 2,000 deep)": _article("1. " * 2000),
    "6 KB line of '* ' (lists nested 3,000 deep)": _article("* " * 3000),
    "100 KB of spaces in summary": _yaml_field(EXPLAINER, "summary",
                                               "'" + "a " + " " * 100 * KB + "b'"),
    "100 KB of spaces in a figure note": _yaml_field(FIGURES, "note",
                                                     "'" + "a " + " " * 100 * KB + "b'"),
    "100 KB of '[' in summary": _yaml_field(EXPLAINER, "summary", "'" + "[" * 100 * KB + "'"),
    "100 KB of '*a' in summary": _yaml_field(EXPLAINER, "summary", "'" + "*a" * 50 * KB + "'"),
    "9,999 characters of '[' in summary": _yaml_field(EXPLAINER, "summary",
                                                      "'" + "[" * 9999 + "'"),
    "9,999 characters of ' ' in summary": _yaml_field(EXPLAINER, "summary",
                                                      "'a" + " " * 9997 + "b'"),
    "YAML nested 5,000 deep": _write(FIGURES, "[" * 5000 + "]" * 5000 + "\n"),
    "YAML mapping nested 2,000 deep": _write(
        FIGURES, "".join(" " * i + "a:\n" for i in range(2000)) + " " * 2000 + "b\n"),
    "1 MB of '\\n' in article": _article("\n" * 1024 * KB),
    "200 KB of '> ' (nested quotes)": _article("> " * 100 * KB),
    "200 KB of '- ' (nested lists)": _article("".join("  " * i + "- x\n" for i in range(300))),
}


def run_case(name: str | None, root: Path) -> tuple[float, int, str]:
    """CPU seconds, exit code and stderr of one build of the fixture with case ``name``
    applied (``None``: the fixture as it is, for comparison)."""
    from generator.cli import main
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    if name is not None:
        CASES[name](root)
    err = io.StringIO()
    started = time.process_time()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", "--content", str(root / "content"), "--templates",
                     str(root / "templates"), "--out", str(root / "site"), "--no-check"])
    return time.process_time() - started, code, err.getvalue()


def main() -> None:
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory() as temp:
        run_case(None, Path(temp) / "project")  # imports and first compiles, not counted
    results = []
    for name in [None, *CASES]:
        with tempfile.TemporaryDirectory() as temp:
            seconds, code, _err = run_case(name, Path(temp) / "project")
        results.append((seconds, name or "", code))
        print(f"{seconds:7.3f} s  exit {code}  {name or 'the plain fixture'}", flush=True)
    worst = max(results)
    print(f"worst: {worst[1]}: {worst[0]:.3f} s of CPU")


if __name__ == "__main__":
    main()
