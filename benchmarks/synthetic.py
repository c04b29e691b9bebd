"""Make a synthetic site of N explainers, for benchmarks (deterministic, no network)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

WORDS = ("border", "province", "soldiers", "talks", "withdrawal", "district", "capital",
         "agreement", "report", "officials", "crossing", "forces", "security", "envoy")


def sentence(seed: int, length: int = 14) -> str:
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)]
    return (" ".join(words)).capitalize() + "."


def explainer_files(number: int) -> dict[str, str]:
    sources = "".join(
        f"- id: source-{s}\n  title: Report number {s} on explainer {number}\n"
        f"  publisher: Publisher {s % 5}\n  date: 2021-07-{s % 28 + 1:02d}\n"
        for s in range(12))
    events = "".join(
        f"  - id: event-{e}\n    date: 20{10 + e % 11}-0{e % 9 + 1}-1{e % 9}\n"
        f"    era: era-{e % 3}\n    title: Event {e} of explainer {number}\n"
        f"    text: {sentence(number + e)}\n    sources: [source-{e % 12}]\n"
        for e in range(24))
    figures = "".join(
        f"- id: figure-{f}\n  value: about {(f + 1) * 100}\n  label: {sentence(f, 6)}\n"
        f"  as_of: 2021-07-05\n  sources: [source-{f}]\n"
        for f in range(8))
    article = f"## Headline of explainer {number}\n\n" + "".join(
        f"{sentence(number * 31 + p, 40)} [@source-{p % 12}]\n\n" for p in range(30))
    background = "".join(f"## Section {b}\n\n{sentence(b, 60)} [@source-{b}]\n\n"
                         for b in range(5))
    return {
        "explainer.yaml": f"title: Synthetic explainer {number}\nsummary: {sentence(number)}\n"
                          f"published: 2024-{number % 12 + 1:02d}-{number % 28 + 1:02d}\n",
        "sources.yaml": sources,
        "timeline.yaml": "eras:\n" + "".join(f"  - id: era-{i}\n    title: Era {i}\n"
                                              for i in range(3)) + "events:\n" + events,
        "figures.yaml": figures,
        "article.md": article,
        "background.md": background,
    }


def make_site(root: Path, count: int) -> Path:
    """A project folder (content/, templates/) with ``count`` explainers."""
    if root.exists():
        shutil.rmtree(root)
    content = root / "content"
    content.mkdir(parents=True)
    (content / "site.yaml").write_text(
        "title: Synthetic\ndescription: A benchmark site.\nlanguage: en\n"
        "base_url: https://example.org/\n")
    for number in range(count):
        folder = content / f"synthetic-{number:03d}"
        folder.mkdir()
        for name, text in explainer_files(number).items():
            (folder / name).write_text(text)
    shutil.copytree(REPO / "templates", root / "templates")
    return root


if __name__ == "__main__":
    make_site(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 200)
